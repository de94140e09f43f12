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

#endif
