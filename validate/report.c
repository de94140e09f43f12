/* Findings for people (text, like a compiler), programs (JSON), code
 * scanning dashboards (SARIF 2.1.0) and CI test reports (JUnit XML). */
#include <jansson.h>
#include <libxml/xmlwriter.h>
#include <string.h>

#include "validate.h"

static int keep(const dr_finding *f, dr_severity min) { return f->severity >= min; }

static int write_text(FILE *out, const dr_report *r, dr_severity min) {
    for (size_t i = 0; i < r->n; i++) {
        const dr_finding *f = &r->v[i];
        if (keep(f, min))
            fprintf(out, "%s:%d:%d: %s: %s: %s\n", f->file, f->line, f->col, dr_severity_name(f->severity),
                    f->code, f->message);
    }
    return 0;
}

static json_t *jstr(const char *s) {
    json_t *j = json_string(s);
    return j ? j : json_string("(not UTF-8)");
}

static int write_json(FILE *out, const dr_report *r, dr_severity min) {
    json_t *a = json_array();
    for (size_t i = 0; i < r->n; i++) {
        const dr_finding *f = &r->v[i];
        if (!keep(f, min)) continue;
        json_t *o = json_object();
        json_object_set_new(o, "file", jstr(f->file));
        json_object_set_new(o, "line", json_integer(f->line));
        json_object_set_new(o, "col", json_integer(f->col));
        json_object_set_new(o, "severity", json_string(dr_severity_name(f->severity)));
        json_object_set_new(o, "code", jstr(f->code));
        json_object_set_new(o, "message", jstr(f->message));
        json_array_append_new(a, o);
    }
    int rc = json_dumpf(a, out, JSON_INDENT(2));
    fputc('\n', out);
    json_decref(a);
    return rc;
}

static int write_sarif(FILE *out, const dr_report *r, dr_severity min) {
    json_t *rules = json_array(), *results = json_array(), *seen = json_object();
    for (size_t i = 0; i < r->n; i++) {
        const dr_finding *f = &r->v[i];
        if (!keep(f, min)) continue;
        if (!json_object_get(seen, f->code)) {
            json_object_set_new(seen, f->code, json_true());
            json_t *rule = json_object();
            json_object_set_new(rule, "id", jstr(f->code));
            json_array_append_new(rules, rule);
        }
        json_t *res = json_object(), *msg = json_object(), *loc = json_object(), *phys = json_object(),
               *art = json_object(), *reg = json_object();
        json_object_set_new(res, "ruleId", jstr(f->code));
        json_object_set_new(res, "level", json_string(dr_severity_name(f->severity)));
        json_object_set_new(msg, "text", jstr(f->message));
        json_object_set_new(res, "message", msg);
        json_object_set_new(art, "uri", jstr(f->file));
        json_object_set_new(reg, "startLine", json_integer(f->line));
        json_object_set_new(reg, "startColumn", json_integer(f->col));
        json_object_set_new(phys, "artifactLocation", art);
        json_object_set_new(phys, "region", reg);
        json_object_set_new(loc, "physicalLocation", phys);
        json_object_set_new(res, "locations", json_pack("[o]", loc));
        json_array_append_new(results, res);
    }
    json_decref(seen);
    json_t *doc = json_pack("{s:s, s:s, s:[{s:{s:{s:s, s:s, s:o}}, s:o}]}", "$schema",
                            "https://json.schemastore.org/sarif-2.1.0.json", "version", "2.1.0", "runs",
                            "tool", "driver", "name", "docrules", "informationUri",
                            "https://example.invalid/docrules", "rules", rules, "results", results);
    int rc = json_dumpf(doc, out, JSON_INDENT(2));
    fputc('\n', out);
    json_decref(doc);
    return rc;
}

/* One test case per file; a file fails with its error findings. */
static int write_junit(FILE *out, const dr_report *r, dr_severity min) {
    xmlBufferPtr buf = xmlBufferCreate();
    xmlTextWriterPtr w = xmlNewTextWriterMemory(buf, 0);
    xmlTextWriterSetIndent(w, 1);
    xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL);
    xmlTextWriterStartElement(w, BAD_CAST "testsuites");
    xmlTextWriterStartElement(w, BAD_CAST "testsuite");
    xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST "docrules validate");
    size_t files = 0, failures = 0;
    for (size_t i = 0; i < r->n; i++) {
        if (i && strcmp(r->v[i].file, r->v[i - 1].file) == 0) continue;
        files++;
        for (size_t j = i; j < r->n && strcmp(r->v[j].file, r->v[i].file) == 0; j++)
            if (r->v[j].severity == DR_SEV_ERROR) {
                failures++;
                break;
            }
    }
    xmlTextWriterWriteFormatAttribute(w, BAD_CAST "tests", "%zu", files);
    xmlTextWriterWriteFormatAttribute(w, BAD_CAST "failures", "%zu", failures);
    for (size_t i = 0; i < r->n;) {
        size_t j = i;
        while (j < r->n && strcmp(r->v[j].file, r->v[i].file) == 0) j++;
        xmlTextWriterStartElement(w, BAD_CAST "testcase");
        xmlTextWriterWriteAttribute(w, BAD_CAST "classname", BAD_CAST "docrules.validate");
        xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST r->v[i].file);
        for (size_t k = i; k < j; k++) {
            const dr_finding *f = &r->v[k];
            if (!keep(f, min)) continue;
            const char *el = f->severity == DR_SEV_ERROR ? "failure" : "system-out";
            xmlTextWriterStartElement(w, BAD_CAST el);
            if (f->severity == DR_SEV_ERROR) {
                xmlTextWriterWriteAttribute(w, BAD_CAST "type", BAD_CAST f->code);
                xmlTextWriterWriteAttribute(w, BAD_CAST "message", BAD_CAST f->message);
            }
            xmlTextWriterWriteFormatString(w, "%s:%d:%d: %s: %s: %s", f->file, f->line, f->col,
                                           dr_severity_name(f->severity), f->code, f->message);
            xmlTextWriterEndElement(w);
        }
        xmlTextWriterEndElement(w);
        i = j;
    }
    xmlTextWriterEndDocument(w);
    xmlFreeTextWriter(w);
    fwrite(xmlBufferContent(buf), 1, (size_t)xmlBufferLength(buf), out);
    xmlBufferFree(buf);
    return 0;
}

int dr_report_write(FILE *f, const dr_report *r, const char *format, dr_severity min) {
    if (strcmp(format, "json") == 0) return write_json(f, r, min);
    if (strcmp(format, "sarif") == 0) return write_sarif(f, r, min);
    if (strcmp(format, "junit") == 0) return write_junit(f, r, min);
    return write_text(f, r, min);
}
