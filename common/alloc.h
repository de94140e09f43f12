/* The one out-of-memory policy of docrules' own bookkeeping: a small
 * allocation that fails ends the process with a message (as cmark and
 * every arena and buffer here do). Memory a rule script can make grow is
 * the Lua state's, capped by --max-memory and recovered from (an error
 * decision), and the public library's entry points return DOCRULES_ELIMIT
 * rather than abort where they allocate themselves. */
#ifndef DR_ALLOC_H
#define DR_ALLOC_H

#include <stddef.h>

/* Prints "docrules: out of memory" and aborts. */
void dr_oom(void) __attribute__((noreturn));
void *dr_xmalloc(size_t n);
void *dr_xcalloc(size_t n, size_t size);
void *dr_xrealloc(void *p, size_t n);
char *dr_xstrdup(const char *s);
char *dr_xstrndup(const char *s, size_t n);

/* Zeroed memory on cache lines of its own (aligned to DR_CACHE_LINE, its
 * size rounded up to them), freed with free(). For what a thread writes on
 * every decision when another thread's object of the same kind was made
 * just before it: each engine's own state, pool and arena are made on the
 * main thread one after the other, and two of them sharing a line made
 * every write of one worker take the line from the other's core (perf:
 * dr_arena_alloc six times as many samples with -j 2 as with -j 1). */
#define DR_CACHE_LINE 64
void *dr_xcalloc_lines(size_t n);

#endif
