/* JUnit XML through libxml2's writer (escaping is its job, not ours),
 * straight into the caller's stream. */
#include "junit.h"

#include <stdlib.h>

#include "libxml.h"

struct dr_junit {
    const dr_libxml *x;
    xmlTextWriterPtr w;
    FILE *out;
    int failed; /* some write returned an error */
};

/* Where libxml2's writer sends its bytes. A failed write is noted here and
 * said by dr_junit_end's caller: told of it, libxml2 would print its own
 * "I/O error" lines to stderr besides. */
static int put(void *ctx, const char *s, int n) {
    dr_junit *j = ctx;
    if (n > 0 && fwrite(s, 1, (size_t)n, j->out) != (size_t)n) j->failed = 1;
    return n;
}

/* libxml2's writer calls return the bytes written, or -1. */
static void ok(dr_junit *j, int rc) {
    if (rc < 0) j->failed = 1;
}

dr_junit *dr_junit_begin(FILE *out, const char *suite, size_t tests, size_t failures, double seconds) {
    const dr_libxml *x = dr_libxml_get();
    if (!x) return NULL;
    dr_junit *j = calloc(1, sizeof *j);
    if (j) j->out = out;
    /* The writer frees the buffer, which leaves out open. */
    xmlOutputBufferPtr ob = j ? x->xmlOutputBufferCreateIO(put, NULL, j, NULL) : NULL;
    xmlTextWriterPtr w = ob ? x->xmlNewTextWriter(ob) : NULL;
    if (!w) {
        if (ob) x->xmlOutputBufferClose(ob);
        free(j);
        return NULL;
    }
    j->x = x;
    j->w = w;
    ok(j, x->xmlTextWriterSetIndent(w, 1));
    ok(j, x->xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL));
    ok(j, x->xmlTextWriterStartElement(w, BAD_CAST "testsuites"));
    ok(j, x->xmlTextWriterStartElement(w, BAD_CAST "testsuite"));
    ok(j, x->xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST suite));
    ok(j, x->xmlTextWriterWriteFormatAttribute(w, BAD_CAST "tests", "%zu", tests));
    ok(j, x->xmlTextWriterWriteFormatAttribute(w, BAD_CAST "failures", "%zu", failures));
    ok(j, x->xmlTextWriterWriteAttribute(w, BAD_CAST "errors", BAD_CAST "0"));
    ok(j, x->xmlTextWriterWriteAttribute(w, BAD_CAST "skipped", BAD_CAST "0"));
    ok(j, x->xmlTextWriterWriteFormatAttribute(w, BAD_CAST "time", "%.3f", seconds));
    return j;
}

void dr_junit_add(dr_junit *j, const dr_junit_case *c) {
    const dr_libxml *x = j->x;
    xmlTextWriterPtr w = j->w;
    ok(j, x->xmlTextWriterStartElement(w, BAD_CAST "testcase"));
    ok(j, x->xmlTextWriterWriteAttribute(w, BAD_CAST "classname", BAD_CAST c->classname));
    ok(j, x->xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST c->name));
    ok(j, x->xmlTextWriterWriteAttribute(w, BAD_CAST "time", BAD_CAST "0"));
    if (c->failure) {
        ok(j, x->xmlTextWriterStartElement(w, BAD_CAST "failure"));
        ok(j, x->xmlTextWriterWriteAttribute(w, BAD_CAST "message", BAD_CAST c->failure));
        ok(j, x->xmlTextWriterWriteAttribute(w, BAD_CAST "type",
                                             BAD_CAST(c->failure_type ? c->failure_type : "failed")));
        ok(j, x->xmlTextWriterWriteString(w, BAD_CAST(c->text ? c->text : "")));
        ok(j, x->xmlTextWriterEndElement(w));
    }
    ok(j, x->xmlTextWriterEndElement(w));
}

int dr_junit_end(dr_junit *j) {
    ok(j, j->x->xmlTextWriterEndDocument(j->w));
    j->x->xmlFreeTextWriter(j->w); /* flushes the rest to put() */
    int rc = j->failed || fflush(j->out) != 0 ? -1 : 0;
    free(j);
    return rc;
}

int dr_junit_write(FILE *out, const char *suite, const dr_junit_case *v, size_t n, double seconds) {
    size_t failures = 0;
    for (size_t i = 0; i < n; i++) failures += v[i].failure != NULL;
    dr_junit *j = dr_junit_begin(out, suite, n, failures, seconds);
    if (!j) return -1;
    for (size_t i = 0; i < n; i++) dr_junit_add(j, &v[i]);
    return dr_junit_end(j);
}
