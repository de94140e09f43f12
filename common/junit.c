/* JUnit XML through libxml2's writer (escaping is its job, not ours). */
#include "junit.h"

#include <libxml/xmlwriter.h>

void dr_junit_write(FILE *out, const char *suite, const dr_junit_case *v, size_t n, double seconds) {
    size_t failures = 0;
    for (size_t i = 0; i < n; i++) failures += v[i].failure != NULL;
    xmlBufferPtr buf = xmlBufferCreate();
    xmlTextWriterPtr w = buf ? xmlNewTextWriterMemory(buf, 0) : NULL;
    if (!w) {
        xmlBufferFree(buf);
        return;
    }
    xmlTextWriterSetIndent(w, 1);
    xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL);
    xmlTextWriterStartElement(w, BAD_CAST "testsuites");
    xmlTextWriterStartElement(w, BAD_CAST "testsuite");
    xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST suite);
    xmlTextWriterWriteFormatAttribute(w, BAD_CAST "tests", "%zu", n);
    xmlTextWriterWriteFormatAttribute(w, BAD_CAST "failures", "%zu", failures);
    xmlTextWriterWriteAttribute(w, BAD_CAST "errors", BAD_CAST "0");
    xmlTextWriterWriteAttribute(w, BAD_CAST "skipped", BAD_CAST "0");
    xmlTextWriterWriteFormatAttribute(w, BAD_CAST "time", "%.3f", seconds);
    for (size_t i = 0; i < n; i++) {
        xmlTextWriterStartElement(w, BAD_CAST "testcase");
        xmlTextWriterWriteAttribute(w, BAD_CAST "classname", BAD_CAST v[i].classname);
        xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST v[i].name);
        xmlTextWriterWriteAttribute(w, BAD_CAST "time", BAD_CAST "0");
        if (v[i].failure) {
            xmlTextWriterStartElement(w, BAD_CAST "failure");
            xmlTextWriterWriteAttribute(w, BAD_CAST "message", BAD_CAST v[i].failure);
            xmlTextWriterWriteAttribute(w, BAD_CAST "type", BAD_CAST(v[i].failure_type ? v[i].failure_type : "failed"));
            xmlTextWriterWriteString(w, BAD_CAST(v[i].text ? v[i].text : ""));
            xmlTextWriterEndElement(w);
        }
        xmlTextWriterEndElement(w);
    }
    xmlTextWriterEndDocument(w);
    xmlFreeTextWriter(w);
    fwrite(xmlBufferContent(buf), 1, (size_t)xmlBufferLength(buf), out);
    xmlBufferFree(buf);
}
