/* Size-class pool; see pool.h for why. */
#include "pool.h"
#include "alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Under AddressSanitizer a block in a free list is poisoned, so a use
 * after free inside the pool is still caught as one. */
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#define GRAIN 16
#define NCLASS (DR_POOL_MAX / GRAIN)
#define SLAB (64 * 1024)

typedef struct block {
    struct block *next;
} block;

typedef struct slab {
    struct slab *next;
    /* blocks follow, GRAIN-aligned */
} slab;

struct dr_pool {
    block *free[NCLASS];
    slab *slabs;
    char *bump, *end; /* the newest slab's part not handed out yet */
    size_t slab_bytes;
};

static size_t class_of(size_t n) { return (n - 1) / GRAIN; }

/* On lines of its own: its free lists are written by every allocation of
 * one worker, and the next engine's pool is made right after it (alloc.h's
 * dr_xcalloc_lines, but NULL rather than the end when memory is short). */
dr_pool *dr_pool_new(void) {
    size_t size = (sizeof(dr_pool) + DR_CACHE_LINE - 1) / DR_CACHE_LINE * DR_CACHE_LINE;
    dr_pool *p = aligned_alloc(DR_CACHE_LINE, size);
    return p ? memset(p, 0, size) : NULL;
}

void dr_pool_free(dr_pool *p) {
    if (!p) return;
    for (slab *s = p->slabs, *next; s; s = next) {
        next = s->next;
        UNPOISON(s, SLAB);
        free(s);
    }
    free(p);
}

static void *carve(dr_pool *p, size_t size) {
    if ((size_t)(p->end - p->bump) < size) {
        /* The rest of the old slab is lost to this class, at most one
         * block's worth. */
        slab *s = malloc(SLAB);
        if (!s) return NULL;
        s->next = p->slabs;
        p->slabs = s;
        p->slab_bytes += SLAB;
        p->bump = (char *)s + ((sizeof(slab) + GRAIN - 1) / GRAIN) * GRAIN;
        p->end = (char *)s + SLAB;
        POISON(p->bump, (size_t)(p->end - p->bump));
    }
    void *b = p->bump;
    p->bump += size;
    return b;
}

void *dr_pool_alloc(dr_pool *p, size_t n) {
    if (n > DR_POOL_MAX) return malloc(n);
    size_t c = class_of(n);
    block *b = p->free[c];
    if (b) {
        UNPOISON(b, (c + 1) * GRAIN);
        p->free[c] = b->next;
        /* The next block of this class is read at the next allocation:
         * freed by a sweep long ago, it is mostly out of cache, and Lua
         * allocates in bursts (a table and its parts), so its line is
         * fetched now, while the caller works with this one. (perf put
         * 3% of a realistic batch's samples on that load; what this saves
         * was within farm-bench's noise on the 2-core VM: 1.02x, 30
         * interleaved pairs.) */
        __builtin_prefetch(b->next, 1);
    } else {
        b = carve(p, (c + 1) * GRAIN);
        if (!b) return NULL;
        UNPOISON(b, (c + 1) * GRAIN);
    }
    return b;
}

void dr_pool_release(dr_pool *p, void *ptr, size_t n) {
    if (!ptr) return;
    if (n > DR_POOL_MAX) {
        free(ptr);
        return;
    }
    size_t c = class_of(n);
    block *b = ptr;
    b->next = p->free[c];
    p->free[c] = b;
    POISON(b, (c + 1) * GRAIN);
}

void *dr_pool_resize(dr_pool *p, void *ptr, size_t old, size_t n) {
    if (!ptr) return dr_pool_alloc(p, n);
    if (old > DR_POOL_MAX && n > DR_POOL_MAX) return realloc(ptr, n);
    if (old <= DR_POOL_MAX && n <= DR_POOL_MAX && class_of(old) == class_of(n)) return ptr;
    void *q = dr_pool_alloc(p, n);
    /* Lua counts on a block never failing to shrink. The old block is
     * large enough to serve as the smaller one; one that came from malloc
     * then stays with the pool's blocks (and is lost when the pool is
     * freed: only when memory has run out). */
    if (!q) return n < old ? ptr : NULL;
    memcpy(q, ptr, old < n ? old : n);
    dr_pool_release(p, ptr, old);
    return q;
}

size_t dr_pool_slab_bytes(const dr_pool *p) { return p->slab_bytes; }
