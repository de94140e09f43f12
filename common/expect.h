/* Whether a decision is what a rule test case expects: what `docrules
 * test` and the decision service's reload (which runs the cases before it
 * serves a new rule set) both ask, answered in one place. */
#ifndef DR_EXPECT_H
#define DR_EXPECT_H

#include <jansson.h>
#include <stddef.h>

/* The differences between what a case expects and what it got, as
 * "path: expected X, got Y" into out, and 1; 0 when none. At the top
 * (path "") each field that differs, the decision first, "; " between;
 * within a field, its first difference. Objects match on the fields want
 * gives, lists item by item, numbers by value, and "<absent>" asks that a
 * field not be there. */
int dr_expect_differ(json_t *want, json_t *got, const char *path, char *out, size_t size);

/* A value, short, into buf: cut at a character boundary with "…" past 100
 * bytes, so a long list shows where it differs, not a wall of JSON;
 * "absent" for NULL. */
void dr_expect_show(json_t *j, char *buf, size_t size);

#endif
