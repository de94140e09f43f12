/* Validation and documents through the public API alone, as docrules
 * validate and docrules extract use them: only <docrules.h>, built against
 * the installed library (tests/test_library.c). Argument: the source tree. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <docrules.h>

static const char *top;

/* top/rel, in one of a few rotating buffers: a call may need three. */
static const char *at(const char *rel) {
    static char bufs[4][4096];
    static int next;
    char *b = bufs[next++ % 4];
    snprintf(b, sizeof bufs[0], "%s/%s", top, rel);
    return b;
}

static size_t count_of(const char *hay, const char *needle) {
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle)) n++;
    return n;
}

static long file_size(const char *path) {
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    long n = ftell(f);
    fclose(f);
    return n;
}

static void write_file(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

/* The docs of tests/fixtures/validate/dirty, without the rules. */
static docrules_report *validate_dirty(docrules_validate_options *vo) {
    const char *p[1] = {at("tests/fixtures/validate/dirty")};
    vo->paths = p;
    vo->npaths = 1;
    docrules_report *r = NULL;
    docrules_error err;
    if (docrules_validate(&r, vo, &err) != DOCRULES_OK) fail_msg("%s: %s", err.file, err.message);
    assert_non_null(r);
    vo->paths = NULL;
    return r;
}

static char *write_report(const docrules_report *r, const char *format, docrules_severity min) {
    docrules_buf out = DOCRULES_BUF_INIT;
    docrules_error err;
    assert_int_equal(docrules_report_write(&out, r, format, min, &err), DOCRULES_OK);
    assert_non_null(out.ptr);
    assert_int_equal(out.size, strlen(out.ptr));
    return out.ptr; /* the caller frees it: a docrules_buf's memory is malloc's */
}

typedef struct seen {
    size_t calls, done, total;
} seen;

static void on_progress(void *data, size_t done, size_t total) {
    seen *s = data;
    s->calls++;
    s->done = done;
    s->total = total;
}

/* Counts, summary and every format agree with one another and with the docs. */
static void validates_and_writes_every_format(void **state) {
    (void)state;
    docrules_validate_options vo = DOCRULES_VALIDATE_OPTIONS_INIT;
    seen s = {0, 0, 0};
    vo.jobs = 2;
    vo.progress = on_progress;
    vo.progress_data = &s;
    docrules_report *r = validate_dirty(&vo);
    /* The summary: the eight docs of the folder, their bytes, some time. */
    static const char *const docs[] = {"bad-date.md", "keys-missing.md", "locale.fr-fr.md", "no-front-matter.md",
                                       "o365/bilingual.zh-tw.md", "o365/cancel.en-us.2020.md",
                                       "o365/cancel.en-us.md", "o365/cancel.nl-nl.md"};
    long bytes = 0;
    for (size_t i = 0; i < sizeof docs / sizeof *docs; i++) {
        char rel[256];
        snprintf(rel, sizeof rel, "tests/fixtures/validate/dirty/%s", docs[i]);
        bytes += file_size(at(rel));
    }
    assert_int_equal(docrules_report_files(r), 8);
    assert_int_equal(docrules_report_bytes(r), (size_t)bytes);
    assert_true(docrules_report_seconds(r) > 0.0);
    /* The progress callback was given, and told the end. */
    assert_true(s.calls >= 1);
    assert_int_equal(s.done, 8);
    assert_int_equal(s.total, 8);

    /* Text: a line per finding, as many of each severity as counted. */
    size_t ne = docrules_report_count(r, DOCRULES_SEVERITY_ERROR);
    size_t nw = docrules_report_count(r, DOCRULES_SEVERITY_WARNING);
    size_t nn = docrules_report_count(r, DOCRULES_SEVERITY_NOTE);
    assert_true(ne >= 1 && nw >= 1 && nn >= 1);
    char *text = write_report(r, "text", DOCRULES_SEVERITY_NOTE);
    assert_int_equal(count_of(text, "\n"), ne + nw + nn);
    assert_int_equal(count_of(text, ": error: "), ne);
    assert_int_equal(count_of(text, ": warning: "), nw);
    assert_int_equal(count_of(text, ": note: "), nn);
    /* One finding the fixture is there for, placed. */
    char want[4200];
    snprintf(want, sizeof want, "%s:9:7: error: bilingual-unpaired: ",
             at("tests/fixtures/validate/dirty/o365/bilingual.zh-tw.md"));
    assert_non_null(strstr(text, want));
    /* Sorted by file, then line. */
    assert_true(strstr(text, "bad-date.md") < strstr(text, "o365/cancel.en-us.md:12:"));
    /* min leaves out what is below it. */
    char *errors = write_report(r, "text", DOCRULES_SEVERITY_ERROR);
    assert_int_equal(count_of(errors, "\n"), ne);
    assert_int_equal(count_of(errors, ": warning: "), 0);
    free(errors);
    char *warnings = write_report(r, "text", DOCRULES_SEVERITY_WARNING);
    assert_int_equal(count_of(warnings, "\n"), ne + nw);
    free(warnings);

    /* The other formats, each recognizably itself, with every finding. */
    char *json = write_report(r, "json", DOCRULES_SEVERITY_NOTE);
    assert_int_equal(json[0], '[');
    assert_int_equal(count_of(json, "\"code\": "), ne + nw + nn);
    assert_int_equal(count_of(json, "\"severity\": \"error\""), ne);
    free(json);
    char *sarif = write_report(r, "sarif", DOCRULES_SEVERITY_NOTE);
    assert_non_null(strstr(sarif, "\"version\": \"2.1.0\""));
    assert_int_equal(count_of(sarif, "\"ruleId\": "), ne + nw + nn);
    free(sarif);
    char *junit = write_report(r, "junit", DOCRULES_SEVERITY_NOTE);
    assert_non_null(strstr(junit, "<testsuite"));
    assert_int_equal(count_of(junit, "<testcase "), 8);
    free(junit);
    char *github = write_report(r, "github", DOCRULES_SEVERITY_NOTE);
    assert_int_equal(count_of(github, "::error file="), ne);
    assert_int_equal(count_of(github, "::warning file="), nw);
    assert_int_equal(count_of(github, "::notice file="), nn);
    free(github);

    /* Appends: a second write after the first doubles the bytes. */
    docrules_buf out = DOCRULES_BUF_INIT;
    docrules_error err;
    assert_int_equal(docrules_report_write(&out, r, "text", DOCRULES_SEVERITY_NOTE, &err), DOCRULES_OK);
    assert_int_equal(docrules_report_write(&out, r, "text", DOCRULES_SEVERITY_NOTE, &err), DOCRULES_OK);
    assert_int_equal(out.size, 2 * strlen(text));
    assert_memory_equal(out.ptr + strlen(text), text, strlen(text));
    /* A format it does not know: nothing appended, the format named. */
    size_t before = out.size;
    assert_int_equal(docrules_report_write(&out, r, "yaml", DOCRULES_SEVERITY_NOTE, &err), DOCRULES_EUSAGE);
    assert_int_equal(err.code, DOCRULES_EUSAGE);
    assert_non_null(strstr(err.message, "'yaml'"));
    assert_int_equal(out.size, before);
    assert_int_equal(docrules_report_write(&out, r, "text", (docrules_severity)7, &err), DOCRULES_EUSAGE);
    assert_int_equal(docrules_report_write(NULL, r, "text", DOCRULES_SEVERITY_NOTE, &err), DOCRULES_EUSAGE);
    assert_int_equal(docrules_report_write(&out, NULL, "text", DOCRULES_SEVERITY_NOTE, &err), DOCRULES_EUSAGE);
    assert_int_equal(docrules_report_write(&out, r, NULL, DOCRULES_SEVERITY_NOTE, NULL), DOCRULES_EUSAGE);
    assert_int_equal(out.size, before);
    docrules_buf_dispose(&out);
    /* Printed to a FILE as it is made: the same bytes. */
    FILE *f = tmpfile();
    assert_non_null(f);
    assert_int_equal(docrules_report_print(f, r, "text", DOCRULES_SEVERITY_NOTE, &err), DOCRULES_OK);
    long printed = ftell(f);
    assert_int_equal(printed, (long)strlen(text));
    char *back = malloc((size_t)printed + 1);
    rewind(f);
    assert_int_equal(fread(back, 1, (size_t)printed, f), (size_t)printed);
    assert_memory_equal(back, text, (size_t)printed);
    free(back);
    assert_int_equal(docrules_report_print(f, r, "yaml", DOCRULES_SEVERITY_NOTE, &err), DOCRULES_EUSAGE);
    fclose(f);
    assert_int_equal(docrules_report_print(NULL, r, "text", DOCRULES_SEVERITY_NOTE, &err), DOCRULES_EUSAGE);
    /* A stream that cannot be written: said, not silently short. */
    FILE *ro = fopen("/dev/null", "r");
    assert_non_null(ro);
    assert_int_equal(docrules_report_print(ro, r, "text", DOCRULES_SEVERITY_NOTE, &err), DOCRULES_EIO);
    fclose(ro);
    free(text);

    static const char *const formats[] = {"text", "json", "sarif", "junit", "github"};
    for (size_t i = 0; i < sizeof formats / sizeof *formats; i++) assert_true(docrules_report_format_known(formats[i]));
    assert_false(docrules_report_format_known("yaml"));
    assert_false(docrules_report_format_known(""));
    assert_false(docrules_report_format_known(NULL));
    docrules_report_free(r);
}

/* What the options change: one worker or two give one report; the label
 * names the folder; the rules are read when given; max_bytes is a limit. */
static void options_do_what_they_say(void **state) {
    (void)state;
    docrules_validate_options vo = DOCRULES_VALIDATE_OPTIONS_INIT;
    vo.jobs = 1;
    docrules_report *one = validate_dirty(&vo);
    vo.jobs = 2;
    docrules_report *two = validate_dirty(&vo);
    char *a = write_report(one, "text", DOCRULES_SEVERITY_NOTE), *b = write_report(two, "text", DOCRULES_SEVERITY_NOTE);
    assert_string_equal(a, b);
    free(b);
    docrules_report_free(two);

    vo.label = "docs";
    docrules_report *labelled = validate_dirty(&vo);
    char *l = write_report(labelled, "text", DOCRULES_SEVERITY_NOTE);
    assert_int_equal(count_of(l, "\n"), count_of(a, "\n"));
    assert_int_equal(count_of(l, "\ndocs/"), count_of(l, "\n") - 1);
    assert_int_equal(strncmp(l, "docs/bad-date.md:", 17), 0);
    assert_null(strstr(l, top));
    free(l);
    free(a);
    docrules_report_free(labelled);
    docrules_report_free(one);

    /* Rules that do not load are a finding at their line, not a failure. */
    const char *clean[1] = {at("tests/fixtures/validate/clean")};
    docrules_validate_options ro = DOCRULES_VALIDATE_OPTIONS_INIT;
    ro.paths = clean;
    ro.npaths = 1;
    docrules_report *r;
    docrules_error err;
    assert_int_equal(docrules_validate(&r, &ro, &err), DOCRULES_OK);
    assert_int_equal(docrules_report_count(r, DOCRULES_SEVERITY_ERROR), 0);
    /* No finding at all: the text is empty, and still a string. */
    char *none = write_report(r, "text", DOCRULES_SEVERITY_NOTE);
    assert_string_equal(none, "");
    free(none);
    docrules_report_free(r);
    ro.rules_dir = at("tests/fixtures/rules-badsyntax");
    assert_int_equal(docrules_validate(&r, &ro, &err), DOCRULES_OK);
    assert_int_equal(docrules_report_count(r, DOCRULES_SEVERITY_ERROR), 1);
    char *t = write_report(r, "text", DOCRULES_SEVERITY_NOTE);
    assert_non_null(strstr(t, "broken.lua:6:1: error: rule-load-error: "));
    free(t);
    docrules_report_free(r);

    /* Docs over max_bytes are findings, still counted with their bytes. */
    ro.rules_dir = NULL;
    ro.max_bytes = 10;
    assert_int_equal(docrules_validate(&r, &ro, &err), DOCRULES_OK);
    t = write_report(r, "text", DOCRULES_SEVERITY_NOTE);
    assert_int_equal(count_of(t, ": error: file-too-large: "), 2);
    free(t);
    assert_true(docrules_report_bytes(r) > 10);
    docrules_report_free(r);
}

/* The configuration and the baseline take findings out; bad ones fail at
 * their file and line. */
static void configuration_and_baseline(void **state) {
    (void)state;
    char dir[] = "/tmp/dr-api-validate-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char cfg[256], badcfg[256], base[256], notbase[256], nowhere[256];
    snprintf(cfg, sizeof cfg, "%s/docrules.yaml", dir);
    snprintf(badcfg, sizeof badcfg, "%s/bad.yaml", dir);
    snprintf(base, sizeof base, "%s/baseline.json", dir);
    snprintf(notbase, sizeof notbase, "%s/not-a-baseline.json", dir);
    snprintf(nowhere, sizeof nowhere, "%s/no/such/dir/baseline.json", dir);
    write_file(cfg, "disable: [section-empty]\n");
    write_file(badcfg, "disable: [no-such-code]\n");
    write_file(notbase, "{\"not\": \"an array\"}\n");

    docrules_validate_options vo = DOCRULES_VALIDATE_OPTIONS_INIT;
    docrules_report *all = validate_dirty(&vo);
    char *a = write_report(all, "text", DOCRULES_SEVERITY_NOTE);
    size_t empty_sections = count_of(a, ": section-empty: ");
    assert_true(empty_sections >= 1);
    free(a);

    vo.config = cfg;
    docrules_report *r = validate_dirty(&vo);
    char *c = write_report(r, "text", DOCRULES_SEVERITY_NOTE);
    assert_int_equal(count_of(c, ": section-empty: "), 0);
    free(c);
    assert_int_equal(docrules_report_count(r, DOCRULES_SEVERITY_WARNING),
                     docrules_report_count(all, DOCRULES_SEVERITY_WARNING) - empty_sections);
    docrules_report_free(r);

    /* A baseline written of every finding leaves none of them new. */
    vo.config = NULL;
    vo.write_baseline = base;
    r = validate_dirty(&vo);
    assert_int_equal(docrules_report_count(r, DOCRULES_SEVERITY_WARNING),
                     docrules_report_count(all, DOCRULES_SEVERITY_WARNING));
    docrules_report_free(r);
    vo.write_baseline = NULL;
    vo.baseline = base;
    r = validate_dirty(&vo);
    assert_int_equal(docrules_report_count(r, DOCRULES_SEVERITY_ERROR), 0);
    assert_int_equal(docrules_report_count(r, DOCRULES_SEVERITY_WARNING), 0);
    assert_int_equal(docrules_report_count(r, DOCRULES_SEVERITY_NOTE), 0);
    docrules_report_free(r);
    docrules_report_free(all);

    const char *p[1] = {at("tests/fixtures/validate/dirty")};
    docrules_validate_options bad = DOCRULES_VALIDATE_OPTIONS_INIT;
    bad.paths = p;
    bad.npaths = 1;
    docrules_error err;
    bad.config = badcfg;
    r = (docrules_report *)&err; /* set to NULL on failure */
    assert_int_equal(docrules_validate(&r, &bad, &err), DOCRULES_EPARSE);
    assert_null(r);
    assert_string_equal(err.file, badcfg);
    assert_int_equal(err.line, 1);
    assert_non_null(strstr(err.message, "no-such-code"));
    bad.config = NULL;
    bad.baseline = notbase;
    assert_int_equal(docrules_validate(&r, &bad, &err), DOCRULES_EPARSE);
    assert_string_equal(err.file, notbase);
    assert_null(r);
    bad.baseline = NULL;
    bad.write_baseline = nowhere;
    assert_int_equal(docrules_validate(&r, &bad, &err), DOCRULES_EIO);
    assert_string_equal(err.file, nowhere);
    assert_null(r);

    assert_int_equal(remove(cfg), 0);
    assert_int_equal(remove(badcfg), 0);
    assert_int_equal(remove(base), 0);
    assert_int_equal(remove(notbase), 0);
    assert_int_equal(remove(dir), 0);
}

static void validate_refuses_what_makes_no_sense(void **state) {
    (void)state;
    docrules_validate_options vo = DOCRULES_VALIDATE_OPTIONS_INIT;
    const char *p[2] = {at("tests/fixtures/validate/dirty"), NULL};
    vo.paths = p;
    vo.npaths = 1;
    docrules_report *r = NULL;
    docrules_error err;
    assert_int_equal(docrules_validate(NULL, &vo, &err), DOCRULES_EUSAGE);
    assert_int_equal(err.code, DOCRULES_EUSAGE);
    assert_int_equal(docrules_validate(&r, NULL, &err), DOCRULES_EUSAGE);
    assert_null(r);
    /* Options from a header this library does not know. */
    vo.version = 99;
    assert_int_equal(docrules_validate(&r, &vo, &err), DOCRULES_EUSAGE);
    assert_non_null(strstr(err.message, "DOCRULES_VALIDATE_OPTIONS_INIT"));
    vo.version = 0;
    assert_int_equal(docrules_validate(&r, &vo, &err), DOCRULES_EUSAGE);
    vo.version = DOCRULES_VALIDATE_OPTIONS_VERSION;
    vo.npaths = 0;
    assert_int_equal(docrules_validate(&r, &vo, &err), DOCRULES_EUSAGE);
    assert_non_null(strstr(err.message, "no path"));
    vo.npaths = 2;
    assert_int_equal(docrules_validate(&r, &vo, &err), DOCRULES_EUSAGE);
    assert_null(r);
    /* A folder without docs. */
    const char *nodocs[1] = {at("tests/fixtures/rules-badsyntax")};
    vo.paths = nodocs;
    vo.npaths = 1;
    assert_int_equal(docrules_validate(&r, &vo, &err), DOCRULES_EUSAGE);
    assert_null(r);
    /* A path that is not there: the file named; err may be left out. */
    const char *missing[2] = {at("tests/fixtures/validate/dirty"), at("no/such/docs")};
    vo.paths = missing;
    vo.npaths = 2;
    assert_int_equal(docrules_validate(&r, &vo, &err), DOCRULES_EIO);
    assert_string_equal(err.file, at("no/such/docs"));
    assert_null(r);
    assert_int_equal(docrules_validate(&r, &vo, NULL), DOCRULES_EIO);
    /* What takes a report takes none. */
    docrules_report_free(NULL);
    assert_int_equal(docrules_report_count(NULL, DOCRULES_SEVERITY_ERROR), 0);
    assert_int_equal(docrules_report_files(NULL), 0);
    assert_int_equal(docrules_report_bytes(NULL), 0);
    assert_true(docrules_report_seconds(NULL) == 0.0);
}

static docrules_parser *parser(size_t max_bytes) {
    docrules_parser_options po = DOCRULES_PARSER_OPTIONS_INIT;
    po.max_bytes = max_bytes;
    docrules_parser *p = NULL;
    docrules_error err;
    assert_int_equal(docrules_parser_new(&p, &po, &err), DOCRULES_OK);
    assert_non_null(p);
    return p;
}

static docrules_doc *load(docrules_parser *p, const char *rel) {
    docrules_doc *d = NULL;
    docrules_error err;
    if (docrules_doc_load(&d, p, at(rel), &err) != DOCRULES_OK) fail_msg("%s: %s", err.file, err.message);
    assert_non_null(d);
    return d;
}

static int has_diag(const docrules_doc *d, const char *code) {
    for (size_t i = 0; i < docrules_doc_diag_count(d); i++)
        if (strcmp(docrules_doc_diag_code(d, i), code) == 0) return 1;
    return 0;
}

/* A doc's model as JSON, indented or not, and what --stats counts. */
static void docs_parse_to_json(void **state) {
    (void)state;
    docrules_parser *p = parser(0);
    const char *rel = "tests/fixtures/validate/clean/o365/cancel.en-us.md";
    docrules_doc *d = load(p, rel);
    assert_int_equal(docrules_doc_bytes(d), (size_t)file_size(at(rel)));
    assert_int_equal(docrules_doc_diag_count(d), 0);
    assert_null(docrules_doc_diag_code(d, 0));
    assert_false(docrules_doc_has_errors(d));

    docrules_buf out = DOCRULES_BUF_INIT;
    docrules_error err;
    assert_int_equal(docrules_doc_to_json(&out, d, 2, &err), DOCRULES_OK);
    char want[4200];
    snprintf(want, sizeof want, "{\n  \"path\": \"%s\",\n", at(rel));
    assert_int_equal(strncmp(out.ptr, want, strlen(want)), 0);
    assert_int_equal(out.ptr[out.size - 1], '}');
    assert_int_equal(out.size, strlen(out.ptr));
    size_t indented = out.size;
    /* Indent 4: deeper than 2, the same JSON otherwise. */
    out.size = 0;
    assert_int_equal(docrules_doc_to_json(&out, d, 4, &err), DOCRULES_OK);
    assert_int_equal(strncmp(out.ptr, "{\n    \"path\": ", 14), 0);
    assert_true(out.size > indented);
    /* 0: one line, no spaces between the tokens; appended after what is there. */
    out.size = 0;
    assert_int_equal(docrules_doc_to_json(&out, d, 0, &err), DOCRULES_OK);
    size_t compact = out.size;
    assert_null(strchr(out.ptr, '\n'));
    snprintf(want, sizeof want, "{\"path\":\"%s\",", at(rel));
    assert_int_equal(strncmp(out.ptr, want, strlen(want)), 0);
    assert_true(compact < indented);
    assert_int_equal(docrules_doc_to_json(&out, d, 0, &err), DOCRULES_OK);
    assert_int_equal(out.size, 2 * compact);
    assert_memory_equal(out.ptr, out.ptr + compact, compact);
    /* An indent JSON cannot have, and what makes no sense: nothing appended. */
    assert_int_equal(docrules_doc_to_json(&out, d, 32, &err), DOCRULES_EUSAGE);
    assert_int_equal(docrules_doc_to_json(&out, d, -1, &err), DOCRULES_EUSAGE);
    assert_int_equal(docrules_doc_to_json(&out, NULL, 2, &err), DOCRULES_EUSAGE);
    assert_int_equal(docrules_doc_to_json(NULL, d, 2, &err), DOCRULES_EUSAGE);
    assert_int_equal(out.size, 2 * compact);
    docrules_buf_dispose(&out);
    docrules_doc_free(d);

    /* Problems inside a doc are its diagnostics, not a failure. */
    d = load(p, "tests/fixtures/bad/yaml-invalid.md");
    assert_true(docrules_doc_has_errors(d));
    assert_true(has_diag(d, "yaml-invalid"));
    assert_null(docrules_doc_diag_code(d, docrules_doc_diag_count(d)));
    docrules_doc_free(d);
    d = load(p, "tests/fixtures/bad/utf8-invalid.md");
    assert_true(has_diag(d, "utf8-invalid"));
    docrules_doc_free(d);
    /* Several diagnostics, each its own code, in the order found. */
    char dir[] = "/tmp/dr-api-doc-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char two[256];
    snprintf(two, sizeof two, "%s/two.md", dir);
    FILE *f = fopen(two, "wb");
    assert_non_null(f);
    static const char bytes[] = "# T\n\nA NUL \0 and a bad byte \xff.\n";
    assert_int_equal(fwrite(bytes, 1, sizeof bytes - 1, f), sizeof bytes - 1);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(docrules_doc_load(&d, p, two, &err), DOCRULES_OK);
    assert_int_equal(docrules_doc_diag_count(d), 2);
    assert_string_equal(docrules_doc_diag_code(d, 0), "nul-byte");
    assert_string_equal(docrules_doc_diag_code(d, 1), "utf8-invalid");
    assert_null(docrules_doc_diag_code(d, 2));
    assert_int_equal(docrules_doc_bytes(d), sizeof bytes - 1);
    docrules_doc_free(d);
    assert_int_equal(remove(two), 0);
    assert_int_equal(remove(dir), 0);
    docrules_parser_free(p);

    /* max_bytes: a larger doc is diagnosed with its size, not parsed. */
    p = parser(10);
    d = load(p, rel);
    assert_int_equal(docrules_doc_bytes(d), (size_t)file_size(at(rel)));
    assert_true(has_diag(d, "file-too-large"));
    assert_true(docrules_doc_has_errors(d));
    /* The doc keeps nothing of its parser (ASan would see it here). */
    docrules_parser_free(p);
    assert_int_equal(docrules_doc_to_json(&out, d, 0, &err), DOCRULES_OK);
    assert_non_null(strstr(out.ptr, "\"code\":\"file-too-large\""));
    docrules_buf_dispose(&out);
    docrules_doc_free(d);
}

static void docs_refuse_what_makes_no_sense(void **state) {
    (void)state;
    docrules_parser *p = NULL;
    docrules_error err;
    assert_int_equal(docrules_parser_new(NULL, NULL, &err), DOCRULES_EUSAGE);
    docrules_parser_options old = DOCRULES_PARSER_OPTIONS_INIT;
    old.version = 99;
    assert_int_equal(docrules_parser_new(&p, &old, &err), DOCRULES_EUSAGE);
    assert_non_null(strstr(err.message, "DOCRULES_PARSER_OPTIONS_INIT"));
    assert_null(p);
    old.version = 0;
    assert_int_equal(docrules_parser_new(&p, &old, &err), DOCRULES_EUSAGE);
    assert_null(p);
    /* opts may be NULL. */
    assert_int_equal(docrules_parser_new(&p, NULL, &err), DOCRULES_OK);
    assert_non_null(p);

    docrules_doc *d = (docrules_doc *)&err; /* set to NULL on failure */
    const char *missing = at("no/such/doc.md");
    assert_int_equal(docrules_doc_load(&d, p, missing, &err), DOCRULES_EIO);
    assert_int_equal(err.code, DOCRULES_EIO);
    assert_string_equal(err.file, missing);
    assert_non_null(strstr(err.message, "cannot open"));
    assert_null(d);
    /* A folder is not a doc. */
    assert_int_equal(docrules_doc_load(&d, p, at("corpus"), &err), DOCRULES_EIO);
    assert_string_equal(err.file, at("corpus"));
    assert_null(d);
    assert_int_equal(docrules_doc_load(&d, p, missing, NULL), DOCRULES_EIO);
    assert_int_equal(docrules_doc_load(NULL, p, missing, &err), DOCRULES_EUSAGE);
    assert_int_equal(docrules_doc_load(&d, NULL, missing, &err), DOCRULES_EUSAGE);
    assert_int_equal(docrules_doc_load(&d, p, NULL, &err), DOCRULES_EUSAGE);
    assert_null(d);
    docrules_parser_free(p);
    /* What takes a doc or a parser takes none. */
    docrules_parser_free(NULL);
    docrules_doc_free(NULL);
    assert_int_equal(docrules_doc_bytes(NULL), 0);
    assert_int_equal(docrules_doc_diag_count(NULL), 0);
    assert_null(docrules_doc_diag_code(NULL, 0));
    assert_false(docrules_doc_has_errors(NULL));
}

int main(int argc, char **argv) {
    top = argc > 1 ? argv[1] : ".";
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(validates_and_writes_every_format),
        cmocka_unit_test(options_do_what_they_say),
        cmocka_unit_test(configuration_and_baseline),
        cmocka_unit_test(validate_refuses_what_makes_no_sense),
        cmocka_unit_test(docs_parse_to_json),
        cmocka_unit_test(docs_refuse_what_makes_no_sense),
    };
    return cmocka_run_group_tests_name("api validate and docs", tests, NULL, NULL);
}
