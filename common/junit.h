/* JUnit XML, the one writer: CI servers show a test tab from it.
 * `validate --format junit` (a testcase per doc) and `test --format junit`
 * (a testcase per rule case) both write through it. */
#ifndef DR_JUNIT_H
#define DR_JUNIT_H

#include <stddef.h>
#include <stdio.h>

typedef struct dr_junit_case {
    const char *classname, *name;
    const char *failure;      /* the failure's message attribute; NULL: the case passed */
    const char *failure_type; /* "error", "warning", "failed" */
    const char *text;         /* the failure's body */
} dr_junit_case;

/* One <testsuite> with tests, failures, errors="0", skipped="0" and time,
 * written to out as it goes: begun with its counts, then case by case, so
 * that a report of ten thousand docs is never held whole. dr_junit_begin
 * gives NULL when nothing could be written: libxml2 cannot be used
 * (dr_libxml_error says why), or its writer could not be made.
 * dr_junit_end closes the suite and frees j: 0, or -1 when a write
 * failed. */
typedef struct dr_junit dr_junit;
dr_junit *dr_junit_begin(FILE *out, const char *suite, size_t tests, size_t failures, double seconds);
void dr_junit_add(dr_junit *j, const dr_junit_case *c);
int dr_junit_end(dr_junit *j);

/* The three over a list of cases: 0, or -1 as above. */
int dr_junit_write(FILE *out, const char *suite, const dr_junit_case *v, size_t n, double seconds);

#endif
