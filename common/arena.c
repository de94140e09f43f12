#include "alloc.h"
#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct chunk {
    struct chunk *next;
    size_t size, used;
    max_align_t data[];
} chunk;

struct dr_arena {
    chunk *head;  /* current chunk, the newest and largest */
    size_t first_size;
    size_t used;
};

static chunk *chunk_new(size_t size) {
    /* common/alloc.h's policy: a parser cannot go on without memory, and
     * every caller would only propagate the failure. */
    chunk *c = dr_xmalloc(sizeof *c + size);
    c->next = NULL;
    c->size = size;
    c->used = 0;
    return c;
}

dr_arena *dr_arena_new(size_t first_chunk) {
    /* Written by every allocation: a line of its own (alloc.h). */
    dr_arena *a = dr_xcalloc_lines(sizeof *a);
    a->first_size = first_chunk ? first_chunk : 64 * 1024;
    a->head = chunk_new(a->first_size);
    a->used = 0;
    return a;
}

void dr_arena_free(dr_arena *a) {
    if (!a) return;
    for (chunk *c = a->head, *n; c; c = n) {
        n = c->next;
        free(c);
    }
    free(a);
}

void dr_arena_reset(dr_arena *a) {
    /* Keep the newest chunk, the largest, so a reused arena stops calling
     * malloc once it has grown to its working size; but not a huge one left
     * by one huge input. */
    chunk *keep = a->head;
    if (keep->size > 8u * 1024 * 1024) keep = NULL;
    for (chunk *c = a->head, *n; c; c = n) {
        n = c->next;
        if (c != keep) free(c);
    }
    if (!keep) keep = chunk_new(a->first_size);
    keep->next = NULL;
    keep->used = 0;
    a->head = keep;
    a->used = 0;
}

void *dr_arena_alloc(dr_arena *a, size_t size) {
    const size_t align = sizeof(max_align_t);
    size = (size + align - 1) & ~(align - 1);
    if (size == 0) size = align;
    chunk *c = a->head;
    if (c->size - c->used < size) {
        size_t want = c->size * 2;
        if (want < size) want = size;
        if (want > 8u * 1024 * 1024 && size <= 8u * 1024 * 1024) want = 8u * 1024 * 1024;
        chunk *n = chunk_new(want);
        n->next = c;
        a->head = c = n;
    }
    void *p = (char *)c->data + c->used;
    c->used += size;
    a->used += size;
    return p;
}

void *dr_arena_calloc(dr_arena *a, size_t n, size_t size) {
    if (size && n > SIZE_MAX / size) {
        fputs("docrules: allocation overflow\n", stderr);
        dr_oom();
    }
    void *p = dr_arena_alloc(a, n * size);
    memset(p, 0, n * size);
    return p;
}

char *dr_arena_strndup(dr_arena *a, const char *s, size_t n) {
    char *p = dr_arena_alloc(a, n + 1);
    if (n) memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *dr_arena_strdup(dr_arena *a, const char *s) {
    return dr_arena_strndup(a, s, strlen(s));
}

char *dr_arena_printf(dr_arena *a, const char *fmt, ...) {
    va_list ap;
    /* Measured into a small buffer, not NULL: GCC's -O2 format-truncation
     * check takes vsnprintf(NULL, 0, ...) for a null format. Most fit. */
    char small[256];
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) return dr_arena_strdup(a, "");
    if ((size_t)n < sizeof small) return dr_arena_strndup(a, small, (size_t)n);
    char *p = dr_arena_alloc(a, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

size_t dr_arena_used(const dr_arena *a) { return a->used; }

void *dr_arena_grow(dr_arena *a, void *v, size_t n, size_t *cap, size_t elsize) {
    size_t ncap = *cap ? *cap * 2 : 8;
    void *nv = dr_arena_alloc(a, ncap * elsize);
    if (n) memcpy(nv, v, n * elsize);
    *cap = ncap;
    return nv;
}
