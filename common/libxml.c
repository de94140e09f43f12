/* libxml2 through dlopen: see libxml.h for why. */
#include "libxml.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef DR_LIBXML2_SONAME
#define DR_LIBXML2_SONAME "libxml2.so.2"
#endif

/* Both written once, inside pthread_once, and only read after. */
static dr_libxml table;
static const dr_libxml *usable;
static char why[512];
static pthread_once_t opened = PTHREAD_ONCE_INIT;

static void cannot(const char *what) {
    snprintf(why, sizeof why, "cannot load %s (%s): install libxml2 (tools/install-deps.sh)", DR_LIBXML2_SONAME,
             what ? what : "unknown error");
}

static void open_libxml(void) {
    void *h = dlopen(DR_LIBXML2_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        cannot(dlerror());
        return;
    }
    /* The parsers read fields of libxml2's parser context: a library older
     * than the headers may lay it out otherwise. */
    const char *const *version = dlsym(h, "xmlParserVersion");
    int v = version && *version ? atoi(*version) : 0;
    if (v / 10000 != LIBXML_VERSION / 10000 || v / 100 < LIBXML_VERSION / 100) {
        char said[160];
        snprintf(said, sizeof said, "its version is %s; docrules was built for %d.%d or a later %d.x",
                 version && *version ? *version : "unknown", LIBXML_VERSION / 10000, LIBXML_VERSION / 100 % 100,
                 LIBXML_VERSION / 10000);
        cannot(said);
        dlclose(h);
        return;
    }
    /* dlsym gives an object pointer; POSIX has it converted to a function
     * pointer by copying its bytes. */
#define DR_LIBXML_LOAD(name)                                                                                  \
    {                                                                                                         \
        void *f = dlsym(h, #name);                                                                            \
        if (!f) {                                                                                             \
            cannot("no " #name);                                                                              \
            dlclose(h);                                                                                       \
            return;                                                                                           \
        }                                                                                                     \
        memcpy(&table.name, &f, sizeof f);                                                                    \
    }
    DR_LIBXML_FUNCTIONS(DR_LIBXML_LOAD)
#undef DR_LIBXML_LOAD
    table.xmlInitParser();
    usable = &table;
}

const dr_libxml *dr_libxml_get(void) {
    pthread_once(&opened, open_libxml);
    return usable;
}

const char *dr_libxml_error(void) {
    pthread_once(&opened, open_libxml);
    return usable ? NULL : why;
}

int dr_libxml_fail(dr_error *err) {
    const char *w = dr_libxml_error();
    return dr_error_set(err, DR_EIO, NULL, 0, 0, "%s", w ? w : "libxml2 could not be used");
}
