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

static dr_libxml table;
static pthread_once_t opened = PTHREAD_ONCE_INIT;

static void __attribute__((noreturn)) cannot(const char *what) {
    fprintf(stderr, "docrules: cannot load %s (%s): install libxml2 (tools/install-deps.sh)\n", DR_LIBXML2_SONAME,
            what ? what : "unknown error");
    exit(127);
}

static void open_libxml(void) {
    void *h = dlopen(DR_LIBXML2_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!h) cannot(dlerror());
    /* dlsym gives an object pointer; POSIX has it converted to a function
     * pointer by copying its bytes. */
#define DR_LIBXML_LOAD(name)                                                                                  \
    {                                                                                                         \
        void *f = dlsym(h, #name);                                                                            \
        if (!f) cannot("no " #name);                                                                          \
        memcpy(&table.name, &f, sizeof f);                                                                    \
    }
    DR_LIBXML_FUNCTIONS(DR_LIBXML_LOAD)
#undef DR_LIBXML_LOAD
    table.xmlInitParser();
}

const dr_libxml *dr_libxml_get(void) {
    pthread_once(&opened, open_libxml);
    return &table;
}
