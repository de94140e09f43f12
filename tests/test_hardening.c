/* Bad input: hostile docs keep the work linear (by counting the model's
 * bytes, not by timing), hostile corpora finish with findings, hostile
 * streams keep one line out per line in. */
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

#include "../validate/validate.h"

typedef char *(*maker)(size_t n);

static char *repeat(const char *unit, size_t n, const char *tail) {
    size_t k = strlen(unit), t = strlen(tail);
    char *s = malloc(k * n + t + 1);
    for (size_t i = 0; i < n; i++) memcpy(s + i * k, unit, k);
    memcpy(s + k * n, tail, t + 1);
    return s;
}

static char *nested_lists(size_t n) { return repeat("- ", n, "x\n"); }
static char *emphasis(size_t n) { return repeat("*a **a ", n, "\n"); }
static char *link_nesting(size_t n) {
    char *open = repeat("[", n, "a"), *close = repeat("](b)", n, "\n");
    char *s = malloc(strlen(open) + strlen(close) + 1);
    strcpy(s, open);
    strcat(s, close);
    free(open);
    free(close);
    return s;
}
static char *headings(size_t n) { return repeat("## Same\n\ntext [x](#same)\n\n", n, ""); }
static char *segments(size_t n) {
    return repeat("<span data-ttu-id=\"a-1\">t</span><span class=\"sxs-lookup\"><span data-stu-id=\"a-1\">s</span></span> ",
                  n, "\n");
}
static char *steps(size_t n) { return repeat("1. step\n\n   > [!NOTE]\n   > note\n\n   ![i](x.png)\n\n", n, ""); }

static size_t model_bytes(const char *text) {
    dr_parser *p = dr_parser_new(NULL);
    dr_doc *d;
    assert_int_equal(dr_doc_parse(p, "x.md", text, strlen(text), &d, NULL), DR_OK);
    size_t m = dr_doc_memory(d);
    dr_doc_free(d);
    dr_parser_free(p);
    return m;
}

static void doubling_the_input_does_not_quadruple_the_work(void **state) {
    (void)state;
    static const struct {
        const char *name;
        maker make;
        size_t n;
    } inputs[] = {
        {"10,000 nested lists", nested_lists, 10000}, {"emphasis", emphasis, 20000},
        {"link nesting", link_nesting, 10000},        {"headings", headings, 5000},
        {"bilingual segments", segments, 5000},       {"steps with notes", steps, 5000},
    };
    for (size_t i = 0; i < sizeof inputs / sizeof *inputs; i++) {
        char *a = inputs[i].make(inputs[i].n), *b = inputs[i].make(inputs[i].n * 2);
        size_t ma = model_bytes(a), mb = model_bytes(b);
        /* Linear: about twice. Quadratic would be four times. */
        if (mb > ma * 5 / 2)
            fail_msg("%s: %zu bytes of model for n, %zu for 2n", inputs[i].name, ma, mb);
        free(a);
        free(b);
    }
}

static void write_file(const char *path, const char *s) {
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(s, f);
    fclose(f);
}

static int has(const dr_report *r, const char *file_suffix, const char *code) {
    for (size_t i = 0; i < r->n; i++) {
        size_t fl = strlen(r->v[i].file), k = strlen(file_suffix);
        if (fl >= k && strcmp(r->v[i].file + fl - k, file_suffix) == 0 && strcmp(r->v[i].code, code) == 0)
            return 1;
    }
    return 0;
}

static void hostile_corpus_finishes_with_findings(void **state) {
    (void)state;
    char dir[] = "/tmp/docrules-hostile-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char p[512];
    snprintf(p, sizeof p, "%s/latin1.md", dir);
    write_file(p, "# Caf\xe9\n\nNa\xefve text.\n");
    snprintf(p, sizeof p, "%s/dangling.md", dir);
    assert_int_equal(symlink("/nonexistent/target.md", p), 0);
    snprintf(p, sizeof p, "%s/loop", dir);
    assert_int_equal(symlink(".", p), 0); /* a folder that contains itself */
    snprintf(p, sizeof p, "%s/fifo.md", dir);
    assert_int_equal(mkfifo(p, 0600), 0);
    char *nest = nested_lists(10000);
    snprintf(p, sizeof p, "%s/nested.md", dir);
    write_file(p, nest);
    free(nest);
    /* 50 MB on one line: over the size limit, diagnosed, not parsed. */
    snprintf(p, sizeof p, "%s/huge.md", dir);
    FILE *f = fopen(p, "wb");
    char block[65536];
    memset(block, 'a', sizeof block);
    for (int i = 0; i < 800; i++) fwrite(block, 1, sizeof block, f);
    fclose(f);
    const char *paths[1] = {dir};
    dr_validate_opts o = {paths, 1, NULL, 2, 0, NULL, NULL, NULL};
    dr_report r;
    dr_error err;
    assert_int_equal(dr_validate(&o, &r, &err), DR_OK);
    assert_true(has(&r, "latin1.md", "utf8-invalid"));
    assert_true(has(&r, "dangling.md", "symlink-skipped"));
    assert_true(has(&r, "fifo.md", "file-unreadable"));
    assert_true(has(&r, "huge.md", "file-too-large"));
    assert_true(has(&r, "nested.md", "nesting-too-deep"));
    assert_int_equal(r.files, 4); /* the symlinks are not followed */
    dr_report_free(&r);
    /* extract says the same and exits 0: a bad doc is not a failure. */
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "'%s/docrules' extract --stats '%s' > /tmp/dr-hostile.txt 2>&1", DR_BUILD, dir);
    int st = system(cmd);
    char *out = slurp("/tmp/dr-hostile.txt", NULL);
    if (WEXITSTATUS(st) != 2 || !strstr(out, "file-too-large: 1")) fail_msg("extract: %d\n%s", st, out);
    free(out);
    snprintf(cmd, sizeof cmd, "rm -rf '%s' /tmp/dr-hostile.txt", dir);
    assert_int_equal(system(cmd), 0);
}

static void hostile_stream_keeps_one_line_per_line(void **state) {
    (void)state;
    FILE *f = fopen("/tmp/dr-hostile.ndjson", "wb");
    fputs("{\"id\":\"ok\",\"product\":\"azure\",\"actor\":{\"roles\":[\"account_admin\"]}}\n", f);
    /* a 10 MB line */
    fputs("{\"id\":\"big\",\"product\":\"azure\",\"pad\":\"", f);
    char block[65536];
    memset(block, 'x', sizeof block);
    for (int i = 0; i < 160; i++) fwrite(block, 1, sizeof block, f);
    fputs("\"}\n", f);
    fwrite("{\"id\":\"n\0l\",\"product\":\"azure\"}\n", 1, 32, f); /* a NUL byte */
    fputs("{\"id\":\"\xff\xfe\",\"product\":\"azure\"}\n", f);    /* invalid UTF-8 */
    fputs("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n", f);
    fputs("{\"id\":\"last\",\"product\":\"azure\"}", f); /* no final newline */
    fclose(f);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s/docrules' batch -j 2 < /tmp/dr-hostile.ndjson > /tmp/dr-hostile.out",
             DR_TOP, DR_BUILD);
    int st = system(cmd);
    assert_int_equal(WEXITSTATUS(st), 0);
    size_t n = 0;
    char *out = slurp("/tmp/dr-hostile.out", &n);
    int lines = 0;
    for (size_t i = 0; i < n; i++) lines += out[i] == '\n';
    assert_int_equal(lines, 6);
    assert_non_null(strstr(out, "\"id\":\"ok\""));
    assert_non_null(strstr(out, "\"id\":\"big\""));
    assert_non_null(strstr(out, "{\"line\":3,"));
    assert_non_null(strstr(out, "{\"line\":4,"));
    assert_non_null(strstr(out, "{\"line\":5,"));
    assert_non_null(strstr(out, "\"id\":\"last\""));
    free(out);
    unlink("/tmp/dr-hostile.ndjson");
    unlink("/tmp/dr-hostile.out");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(doubling_the_input_does_not_quadruple_the_work),
        cmocka_unit_test(hostile_corpus_finishes_with_findings),
        cmocka_unit_test(hostile_stream_keeps_one_line_per_line),
    };
    return cmocka_run_group_tests_name("hardening", tests, NULL, NULL);
}
