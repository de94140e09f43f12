/* Strings that many docs or findings share, kept once: a doc's summary
 * and a finding hold numbers or pointers into a table instead of copies,
 * so that what a run keeps per doc stays small. A run has two: its own
 * (anchors, dates, locales: 164,000 anchors of the two bulk corpora are
 * 30,000 distinct strings), freed when it ends, and its report's (the
 * docs' paths, the findings' files and codes), freed with the report. */
#include <stdlib.h>
#include <string.h>

#include "../common/alloc.h"
#include "../common/hash.h"
#include "internal.h"

void dr_intern_init(dr_intern *t) {
    memset(t, 0, sizeof *t);
    pthread_mutex_init(&t->lock, NULL);
    t->text = dr_arena_new(16 * 1024);
}

void dr_intern_free(dr_intern *t) {
    pthread_mutex_destroy(&t->lock);
    dr_arena_free(t->text);
    free(t->str);
    free(t->slot);
    memset(t, 0, sizeof *t);
}


/* The slot of s: the one holding it, or the empty one it would go in. */
static size_t slot_of(const dr_intern *t, const char *s, size_t len) {
    size_t mask = t->nslot - 1;
    for (size_t i = (size_t)dr_hash(DR_HASH_INIT, s, len) & mask;; i = (i + 1) & mask) {
        uint32_t id = t->slot[i];
        if (!id) return i;
        const char *x = t->str[id - 1];
        if (strncmp(x, s, len) == 0 && x[len] == '\0') return i;
    }
}

uint32_t dr_intern_add(dr_intern *t, const char *s, size_t len) {
    /* Half full at most, so that probes stay short. */
    if (2 * (t->n + 1) > t->nslot) {
        size_t nslot = t->nslot ? t->nslot * 2 : 1024;
        uint32_t *old = t->slot;
        size_t nold = t->nslot;
        t->slot = dr_xcalloc(nslot, sizeof *t->slot);
        t->nslot = nslot;
        for (size_t i = 0; i < nold; i++)
            if (old[i]) {
                const char *x = t->str[old[i] - 1];
                t->slot[slot_of(t, x, strlen(x))] = old[i];
            }
        free(old);
    }
    size_t i = slot_of(t, s, len);
    if (t->slot[i]) return t->slot[i] - 1;
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 1024;
        t->str = dr_xrealloc(t->str, t->cap * sizeof *t->str);
    }
    t->str[t->n] = dr_arena_strndup(t->text, s, len);
    t->slot[i] = (uint32_t)++t->n;
    return (uint32_t)(t->n - 1);
}

long dr_intern_find(const dr_intern *t, const char *s) {
    if (!t->n) return -1;
    size_t i = slot_of(t, s, strlen(s));
    return t->slot[i] ? (long)t->slot[i] - 1 : -1;
}

const char *dr_intern_str(const dr_intern *t, uint32_t id) { return t->str[id]; }
