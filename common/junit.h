/* JUnit XML, the one writer: CI servers show a test tab from it.
 * `validate --format junit` (a testcase per doc) and `test --format junit`
 * (a testcase per rule case) both fill a list of cases and call this. */
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

/* One <testsuite> with tests, failures, errors="0", skipped="0" and time.
 * 0, or -1 when nothing could be written: libxml2 cannot be used
 * (dr_libxml_error says why), or its writer could not be made. */
int dr_junit_write(FILE *out, const char *suite, const dr_junit_case *v, size_t n, double seconds);

#endif
