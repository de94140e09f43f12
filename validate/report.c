/* Findings for people (text, like a compiler), programs (JSON), code
 * scanning dashboards (SARIF 2.1.0), CI test reports (JUnit XML) and
 * GitHub Actions annotations. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/alloc.h"
#include "../common/buf.h"
#include "../common/jsontext.h"
#include "../common/junit.h"
#include "../include/docrules.h"
#include "internal.h"

static int keep(const dr_finding *f, dr_severity min) { return f->severity >= min; }

/* A finding as a compiler says one, whole (a path may be long): the text
 * format's line, and a JUnit failure's. */
static void finding_line(dr_buf *b, const dr_finding *f) {
    char at[32];
    snprintf(at, sizeof at, ":%d:%d: ", f->line, f->col);
    dr_buf_puts(b, f->file);
    dr_buf_puts(b, at);
    dr_buf_puts(b, dr_severity_name(f->severity));
    dr_buf_puts(b, ": ");
    dr_buf_puts(b, f->code);
    dr_buf_puts(b, ": ");
    dr_buf_puts(b, f->message);
    dr_buf_puts(b, "\n");
}

static int write_text(FILE *out, const dr_report *r, dr_severity min) {
    dr_buf line = {0};
    for (size_t i = 0; i < r->n; i++) {
        const dr_finding *f = &r->v[i];
        if (!keep(f, min)) continue;
        line.n = 0;
        finding_line(&line, f);
        fwrite(line.s, 1, line.n, out);
    }
    free(line.s);
    return 0;
}

static json_t *jstr(const char *s) { return dr_json_text(s, strlen(s)); }

/* A path as a URI reference: RFC 3986's unreserved characters and '/'
 * stay, everything else is %XX ("two errors é #1.md" -> "two%20errors%20%C3%A9%20%231.md"). */
static void uri_encode(dr_buf *b, const char *path) {
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~/", *p)) {
            dr_buf_put(b, (const char *)p, 1);
        } else {
            char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
            dr_buf_put(b, e, 3);
        }
    }
}

static const char *sarif_level(dr_severity s) {
    return s == DR_SEV_ERROR ? "error" : s == DR_SEV_WARNING ? "warning" : "note";
}

/* The README's findings table, as installed: where every rule's help is. */
#ifndef DR_DOCDIR
#define DR_DOCDIR "/usr/local/share/doc/docrules"
#endif
#define INFO_URI "file://" DR_DOCDIR "/README.md"

/* SARIF 2.1.0 as code-scanning dashboards read it: the tool's name, version
 * and rules (each with its descriptions, default level and help), results
 * located relative to %SRCROOT% (the folder validate ran in) with
 * percent-encoded URIs, columns in Unicode code points. An absolute path
 * inside that folder is made relative too, since dashboards place results
 * by repository-relative path; one outside it is an absolute file: URI. tests/test_validate.c checks the output
 * against the official schema. */
/* f as a SARIF result, its rule the index'th of the run's rules. */
static json_t *sarif_result(const dr_finding *f, json_int_t index, const char *cwd, size_t ncwd) {
    json_t *res = json_object(), *msg = json_object(), *loc = json_object(), *phys = json_object(),
           *art = json_object(), *reg = json_object();
    json_object_set_new(res, "ruleId", jstr(f->code));
    json_object_set_new(res, "ruleIndex", json_integer(index));
    json_object_set_new(res, "level", json_string(sarif_level(f->severity)));
    json_object_set_new(msg, "text", jstr(f->message));
    json_object_set_new(res, "message", msg);
    dr_buf u = {0};
    const char *file = f->file;
    if (cwd && file[0] == '/' && strncmp(file, cwd, ncwd) == 0 && file[ncwd] == '/') file += ncwd + 1;
    if (file[0] == '/') {
        dr_buf_puts(&u, "file://");
        uri_encode(&u, file);
    } else {
        uri_encode(&u, file[0] == '.' && file[1] == '/' ? file + 2 : file);
        json_object_set_new(art, "uriBaseId", json_string("SRCROOT"));
    }
    json_object_set_new(art, "uri", jstr(u.s ? u.s : ""));
    free(u.s);
    json_object_set_new(reg, "startLine", json_integer(f->line > 0 ? f->line : 1));
    json_object_set_new(reg, "startColumn", json_integer(f->col > 0 ? f->col : 1));
    json_object_set_new(phys, "artifactLocation", art);
    json_object_set_new(phys, "region", reg);
    json_object_set_new(loc, "physicalLocation", phys);
    json_object_set_new(res, "locations", json_pack("[o]", loc));
    return res;
}

/* v dumped as jansson dumps it at depth levels of an indented document:
 * two more spaces after each newline for each level (a dumped value has no
 * raw newline of its own: JSON escapes it). 0, or -1 when it could not be
 * made. */
static int put_indented(FILE *out, const json_t *v, int levels) {
    char *s = v ? json_dumps(v, JSON_INDENT(2)) : NULL;
    if (!s) return -1;
    for (const char *p = s; *p; p++) {
        fputc(*p, out);
        if (*p == '\n')
            for (int i = 0; i < levels; i++) fputs("  ", out);
    }
    free(s);
    return 0;
}

static int write_sarif(FILE *out, const dr_report *r, dr_severity min) {
    /* getcwd(NULL, 0) allocates what it needs: a deep checkout is whole. */
    char *cwd = getcwd(NULL, 0);
    size_t ncwd = cwd ? strlen(cwd) : 0;
    if (ncwd == 1) ncwd = 0; /* run in "/": every absolute path is under it */
    /* The rules, each once, in the order findings first name them. */
    json_t *rules = json_array(), *index = json_object();
    size_t nresults = 0;
    for (size_t i = 0; i < r->n; i++) {
        const dr_finding *f = &r->v[i];
        if (!keep(f, min)) continue;
        nresults++;
        if (json_object_get(index, f->code)) continue;
        const dr_code_info *ci = dr_code_info_of(f->code);
        json_t *rule = json_object(), *sd = json_object(), *fd = json_object(), *dc = json_object();
        json_object_set_new(rule, "id", jstr(f->code));
        json_object_set_new(sd, "text", jstr(ci ? ci->short_text : f->code));
        json_object_set_new(fd, "text", jstr(ci ? ci->full_text : f->message));
        json_object_set_new(rule, "shortDescription", sd);
        json_object_set_new(rule, "fullDescription", fd);
        json_object_set_new(dc, "level", json_string(sarif_level(ci ? ci->severity : f->severity)));
        json_object_set_new(rule, "defaultConfiguration", dc);
        json_object_set_new(rule, "helpUri", json_string(INFO_URI "#validation-findings"));
        json_object_set_new(index, f->code, json_integer((json_int_t)json_array_size(rules)));
        json_array_append_new(rules, rule);
    }
    /* %SRCROOT%: the folder validate ran in, as a file: URI ending in '/'. */
    dr_buf root = {0};
    dr_buf_puts(&root, "file://");
    uri_encode(&root, cwd ? cwd : "/");
    if (root.s[root.n - 1] != '/') dr_buf_puts(&root, "/");
    json_t *driver = json_pack("{s:s, s:s, s:s, s:s, s:o}", "name", "docrules", "version", DOCRULES_VERSION,
                               "semanticVersion", DOCRULES_VERSION, "informationUri", INFO_URI, "rules", rules);
    json_t *run = json_pack("{s:{s:o}, s:{s:{s:s}}, s:s, s:[]}", "tool", "driver", driver, "originalUriBaseIds",
                            "SRCROOT", "uri", root.s, "columnKind", "unicodeCodePoints", "results");
    free(root.s);
    json_t *doc = json_pack("{s:s, s:s, s:[o]}", "$schema", "https://json.schemastore.org/sarif-2.1.0.json",
                            "version", "2.1.0", "runs", run);
    /* The document with its results empty, then the results one at a time
     * where that empty list stands (the last member of the only run): the
     * whole document as one tree made validate's peak memory grow by
     * three quarters for twice the corpus. The text "results": [] occurs
     * nowhere else: a quote inside a string is escaped. */
    char *skeleton = doc ? json_dumps(doc, JSON_INDENT(2)) : NULL;
    json_decref(doc);
    const char *at = NULL;
    for (const char *p = skeleton; p && (p = strstr(p, "\"results\": []")); p++) at = p;
    int rc = at ? 0 : -1;
    if (at) {
        size_t head = (size_t)(at - skeleton) + strlen("\"results\": [");
        fwrite(skeleton, 1, head, out);
        size_t k = 0;
        for (size_t i = 0; i < r->n && rc == 0 && nresults; i++) {
            const dr_finding *f = &r->v[i];
            if (!keep(f, min)) continue;
            json_t *res = sarif_result(f, json_integer_value(json_object_get(index, f->code)), cwd, ncwd);
            fputs(k++ ? ",\n        " : "\n        ", out);
            rc = put_indented(out, res, 4);
            json_decref(res);
        }
        if (nresults) fputs("\n      ", out);
        fputs(skeleton + head, out);
        fputc('\n', out);
    }
    free(skeleton);
    json_decref(index);
    free(cwd);
    return rc;
}

/* One finding at a time, each dumped as jansson writes an element of an
 * indented array: the whole array as one tree cost validate's peak memory
 * half again for twice the corpus (some 26,000 findings over both bulk
 * corpora: 35 MiB, where the text format ends at 21). */
static int write_json(FILE *out, const dr_report *r, dr_severity min) {
    size_t n = 0;
    for (size_t i = 0; i < r->n; i++) {
        const dr_finding *f = &r->v[i];
        if (!keep(f, min)) continue;
        json_t *o = json_pack("{s:o, s:I, s:I, s:s, s:o, s:o}", "file", jstr(f->file), "line", (json_int_t)f->line,
                              "col", (json_int_t)f->col, "severity", dr_severity_name(f->severity), "code",
                              jstr(f->code), "message", jstr(f->message));
        fputs(n++ ? ",\n  " : "[\n  ", out);
        int rc = put_indented(out, o, 1);
        json_decref(o);
        if (rc) return rc;
    }
    fputs(n ? "\n]\n" : "[]\n", out);
    return 0;
}

/* JUnit XML as CI servers read it: one <testcase> per validated file (a
 * file without errors or warnings passes), one <failure> per failing file
 * listing its errors and warnings in order, then a testcase per other file
 * findings name (a rule script); tests, failures, errors and time on the
 * suite. The files are numbered through an intern table (validated ones
 * first, then others as findings first name them) and the findings put in
 * file order by counting, so that each case is written as its text is
 * made: looking each file up in the findings took validate over both bulk
 * corpora (9,419 docs, 26,000 findings) from 1.0 to 1.9 s, and holding
 * every case's text and the whole document to the end grew its peak
 * memory by half for twice the corpus. */
static int write_junit(FILE *out, const dr_report *r, dr_severity min) {
    dr_intern files;
    dr_intern_init(&files);
    for (size_t i = 0; i < r->nvalidated; i++) dr_intern_add(&files, r->validated[i], strlen(r->validated[i]));
    size_t *file_of = dr_xcalloc(r->n ? r->n : 1, sizeof *file_of);
    for (size_t i = 0; i < r->n; i++) file_of[i] = dr_intern_add(&files, r->v[i].file, strlen(r->v[i].file));
    size_t nf = files.n;
    /* first[k] .. first[k + 1]: file k's failing findings in order[]. */
    size_t *first = dr_xcalloc(nf + 2, sizeof *first), *order = dr_xcalloc(r->n ? r->n : 1, sizeof *order);
    for (size_t i = 0; i < r->n; i++)
        if (keep(&r->v[i], min) && r->v[i].severity >= DR_SEV_WARNING) first[file_of[i] + 2]++;
    size_t failures = 0;
    for (size_t k = 0; k < nf; k++) {
        failures += first[k + 2] > 0;
        first[k + 2] += first[k + 1];
    }
    for (size_t i = 0; i < r->n; i++)
        if (keep(&r->v[i], min) && r->v[i].severity >= DR_SEV_WARNING) order[first[file_of[i] + 1]++] = i;
    int rc = -1;
    dr_junit *j = dr_junit_begin(out, "docrules validate", nf, failures, r->seconds);
    dr_buf text = {0};
    for (size_t k = 0; j && k < nf; k++) {
        dr_junit_case c = {"docrules.validate", dr_intern_str(&files, (uint32_t)k), NULL, NULL, NULL};
        char msg[64];
        size_t ne = 0, nw = 0;
        text.n = 0;
        for (size_t at = first[k]; at < first[k + 1]; at++) {
            const dr_finding *f = &r->v[order[at]];
            ne += f->severity == DR_SEV_ERROR;
            nw += f->severity == DR_SEV_WARNING;
            finding_line(&text, f);
        }
        if (first[k + 1] > first[k]) {
            snprintf(msg, sizeof msg, "%zu errors, %zu warnings", ne, nw);
            c.failure = msg;
            c.failure_type = ne ? "error" : "warning";
            c.text = text.s;
        }
        dr_junit_add(j, &c);
    }
    if (j) rc = dr_junit_end(j);
    free(text.s);
    free(order);
    free(first);
    free(file_of);
    dr_intern_free(&files);
    return rc;
}

/* GitHub Actions workflow commands, one per finding: annotations on the
 * pull request's lines. Data escape %, CR and LF; properties also : and ,. */
static void gh_escape(FILE *out, const char *s, int property) {
    for (; *s; s++) {
        if (*s == '%') fputs("%25", out);
        else if (*s == '\r') fputs("%0D", out);
        else if (*s == '\n') fputs("%0A", out);
        else if (property && *s == ':') fputs("%3A", out);
        else if (property && *s == ',') fputs("%2C", out);
        else fputc(*s, out);
    }
}

static int write_github(FILE *out, const dr_report *r, dr_severity min) {
    for (size_t i = 0; i < r->n; i++) {
        const dr_finding *f = &r->v[i];
        if (!keep(f, min)) continue;
        fprintf(out, "::%s file=", f->severity == DR_SEV_ERROR ? "error" : f->severity == DR_SEV_WARNING ? "warning" : "notice");
        gh_escape(out, f->file, 1);
        fprintf(out, ",line=%d,col=%d,title=", f->line, f->col);
        gh_escape(out, f->code, 1);
        fputs("::", out);
        gh_escape(out, f->message, 0);
        fputc('\n', out);
    }
    return 0;
}

int dr_report_format_known(const char *format) {
    static const char *const known[] = {"text", "json", "sarif", "junit", "github"};
    for (size_t i = 0; i < sizeof known / sizeof *known; i++)
        if (strcmp(format, known[i]) == 0) return 1;
    return 0;
}

int dr_report_write(FILE *f, const dr_report *r, const char *format, dr_severity min) {
    if (strcmp(format, "json") == 0) return write_json(f, r, min);
    if (strcmp(format, "sarif") == 0) return write_sarif(f, r, min);
    if (strcmp(format, "junit") == 0) return write_junit(f, r, min);
    if (strcmp(format, "github") == 0) return write_github(f, r, min);
    return write_text(f, r, min);
}
