#define _GNU_SOURCE
#include "alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void dr_oom(void) {
    fputs("docrules: out of memory\n", stderr);
    abort();
}

void *dr_xmalloc(size_t n) {
    void *p = malloc(n ? n : 1);
    if (!p) dr_oom();
    return p;
}

void *dr_xcalloc(size_t n, size_t size) {
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) dr_oom();
    return p;
}

void *dr_xrealloc(void *p, size_t n) {
    void *q = realloc(p, n ? n : 1);
    if (!q) dr_oom();
    return q;
}

void *dr_xcalloc_lines(size_t n) {
    size_t size = (n + DR_CACHE_LINE - 1) / DR_CACHE_LINE * DR_CACHE_LINE;
    void *p = aligned_alloc(DR_CACHE_LINE, size ? size : DR_CACHE_LINE);
    if (!p) dr_oom();
    return memset(p, 0, size ? size : DR_CACHE_LINE);
}

char *dr_xstrdup(const char *s) {
    char *p = strdup(s);
    if (!p) dr_oom();
    return p;
}

char *dr_xstrndup(const char *s, size_t n) {
    char *p = strndup(s, n);
    if (!p) dr_oom();
    return p;
}
