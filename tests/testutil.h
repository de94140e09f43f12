/* Helpers the cmocka suites share: parse a string, find things in the model. */
#ifndef DR_TESTUTIL_H
#define DR_TESTUTIL_H

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

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

/* How many lines end in the n bytes at s (its newlines). */
static inline size_t count_lines(const char *s, size_t n) {
    size_t c = 0;
    for (size_t i = 0; i < n; i++) c += s[i] == '\n';
    return c;
}

/* The lines of a file: where text appended to it begins (less one). */
static inline size_t file_lines(const char *path) {
    size_t n = 0;
    char *s = slurp(path, &n);
    if (!s) fail_msg("cannot read %s", path);
    size_t c = count_lines(s, n);
    free(s);
    return c;
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

/* Passes over a test whose needs are absent, saying which: ../shared not
 * beside the clone, a package the README's command installs
 * (tools/install-deps.sh) not installed. In CI (CI=true) .ci/run provides
 * both, so there the test fails instead: a suite that cannot run its
 * checks must not pass in silence. (What no set-up provides, such as a
 * kernel feature, is a plain skip.) */
#define skip_unless_ci(...)                                                  \
    do {                                                                     \
        const char *ci_ = getenv("CI");                                      \
        if (ci_ && strcmp(ci_, "true") == 0) fail_msg("CI=true, yet " __VA_ARGS__); \
        printf("skipped: " __VA_ARGS__);                                     \
        printf("\n");                                                        \
        skip();                                                              \
    } while (0)

/* Each suite process's own scratch folder, made by mkdtemp when the group
 * starts (scratch_setup) and removed when it ends (scratch_teardown), so
 * that two runs at once - two checkouts, `make test` beside `make asan` -
 * never write each other's files, as fixed names under /tmp did. Pass both
 * to cmocka_run_group_tests_name and build every file a test writes with
 * scratch_path. Its cache/ is XDG_CACHE_HOME for the commands the suite
 * runs, so their compiled bundles stay out of the user's cache. */
static inline char *scratch_buf(void) {
    static char dir[128];
    return dir;
}

static inline const char *scratch_dir(void) {
    const char *d = scratch_buf();
    if (!d[0]) fail_msg("no scratch folder: the group's setup is not scratch_setup");
    return d;
}

/* DIR/NAME in buf; a name too long for buf is a failure, not a cut path. */
static inline char *scratch_path(char *buf, size_t size, const char *name) {
    if ((size_t)snprintf(buf, size, "%s/%s", scratch_dir(), name) >= size) fail_msg("path too long: %s", name);
    return buf;
}

/* A fresh folder of its own for one test, NAME-XXXXXX in the scratch
 * folder, its path in buf: it goes with the scratch folder however the
 * test ends, where one made in /tmp stayed there when an assertion failed
 * before the test's own rm -rf. */
static inline char *scratch_mkdtemp(char *buf, size_t size, const char *name) {
    char leaf[80];
    if ((size_t)snprintf(leaf, sizeof leaf, "%s-XXXXXX", name) >= sizeof leaf) fail_msg("name too long: %s", name);
    scratch_path(buf, size, leaf);
    if (!mkdtemp(buf)) fail_msg("mkdtemp %s: %s", buf, strerror(errno));
    return buf;
}

static inline int scratch_setup(void **state) {
    (void)state;
    const char *t = getenv("TMPDIR");
    char *d = scratch_buf(), cache[160];
    snprintf(d, 128, "%s/dr-test-XXXXXX", t && t[0] == '/' && strlen(t) < 100 ? t : "/tmp");
    if (!mkdtemp(d)) {
        perror("mkdtemp");
        d[0] = '\0';
        return -1;
    }
    snprintf(cache, sizeof cache, "%s/cache", d);
    return setenv("XDG_CACHE_HOME", cache, 1);
}

static inline int scratch_teardown(void **state) {
    (void)state;
    char *d = scratch_buf(), cmd[300];
    if (!d[0]) return 0;
    /* A test may leave a folder it locked (chmod 000): let rm in first. */
    snprintf(cmd, sizeof cmd, "chmod -R u+rwx '%s' 2>/dev/null; rm -rf '%s'", d, d);
    int rc = system(cmd);
    d[0] = '\0';
    return rc == 0 ? 0 : -1;
}

#endif
