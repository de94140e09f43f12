/* The rule scripts an engine loaded, by number. Lua names a chunk by at
 * most 60 bytes, so each script's chunk is named "=\x1f<n>\x1f" and the
 * messages and places Lua gives are turned back into the whole path here:
 * for the loader (state.c) and for the rule language's own functions
 * (lualib.c's where), which both need it and not each other. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/alloc.h"
#include "internal.h"

void dr_script_add(dr_engine *e, const char *path, char *chunk, size_t size) {
    e->scripts = dr_xrealloc(e->scripts, (e->nscripts + 1) * sizeof *e->scripts);
    e->scripts[e->nscripts] = dr_xstrdup(path);
    snprintf(chunk, size, "=\x1f%zu\x1f", e->nscripts++);
}

void dr_scripts_free(dr_engine *e) {
    for (size_t i = 0; i < e->nscripts; i++) free(e->scripts[i]);
    free(e->scripts);
    e->scripts = NULL;
    e->nscripts = 0;
}

void dr_script_expand(const dr_engine *e, char *msg, size_t size) {
    if (!strchr(msg, '\x1f')) return;
    char out[4096];
    size_t o = 0;
    for (const char *p = msg; *p && o + 1 < sizeof out;) {
        const char *end;
        if (*p == '\x1f' && (end = strchr(p + 1, '\x1f'))) {
            size_t k = (size_t)strtoul(p + 1, NULL, 10);
            const char *path = k < e->nscripts ? e->scripts[k] : "?";
            size_t len = strlen(path);
            if (o + len >= sizeof out) break;
            memcpy(out + o, path, len);
            o += len;
            p = end + 1;
        } else {
            out[o++] = *p++;
        }
    }
    out[o] = '\0';
    snprintf(msg, size, "%s", out);
}

const char *dr_script_path(const dr_engine *e, const char *short_src) {
    if (short_src[0] != '\x1f') return short_src;
    size_t k = (size_t)strtoul(short_src + 1, NULL, 10);
    return k < e->nscripts ? e->scripts[k] : short_src;
}
