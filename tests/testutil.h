/* Helpers the cmocka suites share: parse a string, find things in the model. */
#ifndef DR_TESTUTIL_H
#define DR_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "../parsers/doc.h"

static inline dr_doc *parse_str_opts(const char *path, const char *s, size_t max_bytes) {
    dr_parse_opts o = {max_bytes};
    dr_parser *p = dr_parser_new(&o);
    assert_non_null(p);
    dr_doc *d = NULL;
    dr_error e;
    dr_error_clear(&e);
    assert_int_equal(dr_doc_parse(p, path, s, strlen(s), &d, &e), DR_OK);
    dr_parser_free(p);
    assert_non_null(d);
    return d;
}

static inline dr_doc *parse_str(const char *s) { return parse_str_opts("t/test.md", s, 0); }

static inline const dr_section *section_by_anchor(const dr_doc *d, const char *anchor) {
    size_t n;
    const dr_section *s = dr_doc_sections(d, &n);
    for (size_t i = 0; i < n; i++)
        if (s[i].anchor && strcmp(s[i].anchor, anchor) == 0) return &s[i];
    return NULL;
}

/* The i-th unit (0-based) of a kind, in document order. */
static inline const dr_unit *nth_unit(const dr_doc *d, dr_unit_kind k, size_t i) {
    size_t n;
    const dr_unit *u = dr_doc_units(d, &n);
    for (size_t j = 0; j < n; j++)
        if (u[j].kind == k && i-- == 0) return &u[j];
    return NULL;
}

static inline size_t count_units(const dr_doc *d, dr_unit_kind k) {
    size_t n, c = 0;
    const dr_unit *u = dr_doc_units(d, &n);
    for (size_t j = 0; j < n; j++) c += u[j].kind == k;
    return c;
}

static inline const dr_diag *diag_by_code(const dr_doc *d, const char *code) {
    size_t n;
    const dr_diag *g = dr_doc_diags(d, &n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(g[i].code, code) == 0) return &g[i];
    return NULL;
}

static inline char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    size_t got = fread(b, 1, (size_t)n, f);
    fclose(f);
    b[got] = '\0';
    if (len) *len = got;
    return b;
}

/* A shell command made like printf; its exit status (128: killed). */
static inline int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline int sh(const char *fmt, ...) {
    char cmd[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    int rc = system(cmd);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : 128;
}

static inline int path_exists(const char *p) {
    struct stat st;
    return stat(p, &st) == 0;
}

#endif
