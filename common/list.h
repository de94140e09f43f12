/* Comma-separated lists of names, as options give them: --fields
 * id,decision or --fail-on deny,escalate. */
#ifndef DR_LIST_H
#define DR_LIST_H

/* Whether name is one of the list's (NULL: a list of every name). */
int dr_list_has(const char *list, const char *name);

#include <stddef.h>

/* The first name of list that known(name, n, ctx) refuses, its length in
 * *n; NULL when it knows them all (an empty list has none). A name left
 * empty (",a", "a,,b") is asked about too. One loop for every option and
 * field that takes a list: --fail-on, --fields, a query's fields. */
const char *dr_list_unknown(const char *list, int (*known)(const char *name, size_t n, void *ctx), void *ctx,
                            size_t *n);

/* The names of a list, for a message: "a, b or c" (last " or ") or "a, b,
 * c" (last ", "), each between quote marks q (or ""), into buf, which it
 * returns. n names, or with n (size_t)-1 up to the list's NULL. */
const char *dr_list_said(const char *const *names, size_t n, const char *last, const char *q, char *buf, size_t size);

#endif
