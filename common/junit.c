/* JUnit XML through libxml2's writer (escaping is its job, not ours). */
#include "junit.h"

#include "libxml.h"

int dr_junit_write(FILE *out, const char *suite, const dr_junit_case *v, size_t n, double seconds) {
    const dr_libxml *x = dr_libxml_get();
    if (!x) return -1;
    size_t failures = 0;
    for (size_t i = 0; i < n; i++) failures += v[i].failure != NULL;
    xmlBufferPtr buf = x->xmlBufferCreate();
    xmlTextWriterPtr w = buf ? x->xmlNewTextWriterMemory(buf, 0) : NULL;
    if (!w) {
        x->xmlBufferFree(buf);
        return -1;
    }
    x->xmlTextWriterSetIndent(w, 1);
    x->xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL);
    x->xmlTextWriterStartElement(w, BAD_CAST "testsuites");
    x->xmlTextWriterStartElement(w, BAD_CAST "testsuite");
    x->xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST suite);
    x->xmlTextWriterWriteFormatAttribute(w, BAD_CAST "tests", "%zu", n);
    x->xmlTextWriterWriteFormatAttribute(w, BAD_CAST "failures", "%zu", failures);
    x->xmlTextWriterWriteAttribute(w, BAD_CAST "errors", BAD_CAST "0");
    x->xmlTextWriterWriteAttribute(w, BAD_CAST "skipped", BAD_CAST "0");
    x->xmlTextWriterWriteFormatAttribute(w, BAD_CAST "time", "%.3f", seconds);
    for (size_t i = 0; i < n; i++) {
        x->xmlTextWriterStartElement(w, BAD_CAST "testcase");
        x->xmlTextWriterWriteAttribute(w, BAD_CAST "classname", BAD_CAST v[i].classname);
        x->xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST v[i].name);
        x->xmlTextWriterWriteAttribute(w, BAD_CAST "time", BAD_CAST "0");
        if (v[i].failure) {
            x->xmlTextWriterStartElement(w, BAD_CAST "failure");
            x->xmlTextWriterWriteAttribute(w, BAD_CAST "message", BAD_CAST v[i].failure);
            x->xmlTextWriterWriteAttribute(w, BAD_CAST "type", BAD_CAST(v[i].failure_type ? v[i].failure_type : "failed"));
            x->xmlTextWriterWriteString(w, BAD_CAST(v[i].text ? v[i].text : ""));
            x->xmlTextWriterEndElement(w);
        }
        x->xmlTextWriterEndElement(w);
    }
    x->xmlTextWriterEndDocument(w);
    x->xmlFreeTextWriter(w);
    fwrite(x->xmlBufferContent(buf), 1, (size_t)x->xmlBufferLength(buf), out);
    x->xmlBufferFree(buf);
    return 0;
}
