/* Bump allocator: everything a document (or a decision) owns lives in one
 * arena and is released at once, so no element needs its own free. */
#ifndef DR_ARENA_H
#define DR_ARENA_H

#include <stddef.h>

typedef struct dr_arena dr_arena;

dr_arena *dr_arena_new(size_t first_chunk);
void dr_arena_free(dr_arena *a);
/* Drops every allocation but keeps the newest chunk (unless it is over 8 MiB),
 * so a worker that parses thousands of files reuses its memory instead of
 * returning it to malloc. */
void dr_arena_reset(dr_arena *a);
void *dr_arena_alloc(dr_arena *a, size_t size);
void *dr_arena_calloc(dr_arena *a, size_t n, size_t size);
char *dr_arena_strndup(dr_arena *a, const char *s, size_t n);
char *dr_arena_strdup(dr_arena *a, const char *s);
char *dr_arena_printf(dr_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Bytes handed out since the last reset; used by tests that check work stays
 * linear in input size. */
size_t dr_arena_used(const dr_arena *a);

/* A growable array whose storage lives in the arena. Growth copies (the old
 * block stays in the arena until reset), which doubles memory at worst. */
#define DR_VEC(T) struct { T *v; size_t n, cap; }
void *dr_arena_grow(dr_arena *a, void *v, size_t n, size_t *cap, size_t elsize);
#define DR_VEC_PUSH(a, vec) \
    ((vec).n == (vec).cap \
         ? (void)((vec).v = dr_arena_grow((a), (vec).v, (vec).n, &(vec).cap, sizeof *(vec).v)) \
         : (void)0, \
     &(vec).v[(vec).n++])

#endif
