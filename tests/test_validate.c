/* docrules validate: each check has a fixture that triggers it (dirty/)
 * and one that does not (clean/). */
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

#include "../validate/validate.h"

static dr_report run(const char *path, const char *rules) {
    const char *paths[1] = {path};
    dr_validate_opts o = {paths, 1, rules, 2, 0, NULL, NULL, NULL};
    dr_report r;
    dr_error err;
    assert_int_equal(dr_validate(&o, &r, &err), DR_OK);
    return r;
}

/* The finding with this code on this file (a suffix of its path) and line. */
static const dr_finding *find(const dr_report *r, const char *file, int line, const char *code) {
    for (size_t i = 0; i < r->n; i++) {
        size_t fl = strlen(r->v[i].file), k = strlen(file);
        if (fl >= k && strcmp(r->v[i].file + fl - k, file) == 0 && r->v[i].line == line &&
            strcmp(r->v[i].code, code) == 0)
            return &r->v[i];
    }
    return NULL;
}

#define FIX DR_TOP "/tests/fixtures/validate"

static void dirty_fixture_triggers_every_doc_check(void **state) {
    (void)state;
    dr_report r = run(FIX "/dirty", DR_TOP "/rules");
    static const struct {
        const char *file;
        int line;
        const char *code;
        dr_severity sev;
    } want[] = {
        {"dirty/keys-missing.md", 2, "front-matter-key-missing", DR_SEV_WARNING},
        {"dirty/no-front-matter.md", 1, "front-matter-absent", DR_SEV_NOTE},
        {"dirty/bad-date.md", 3, "date-invalid", DR_SEV_WARNING},
        {"dirty/locale.fr-fr.md", 4, "locale-mismatch", DR_SEV_WARNING},
        {"o365/bilingual.zh-tw.md", 8, "bilingual-untranslated", DR_SEV_NOTE},
        {"o365/bilingual.zh-tw.md", 9, "bilingual-unpaired", DR_SEV_ERROR},
        {"o365/cancel.en-us.md", 9, "policy-gap", DR_SEV_WARNING},
        {"o365/cancel.en-us.md", 10, "policy-gap", DR_SEV_WARNING},
        {"o365/cancel.en-us.md", 12, "link-anchor-missing", DR_SEV_WARNING},
        {"o365/cancel.en-us.md", 12, "link-file-missing", DR_SEV_WARNING},
        {"o365/cancel.en-us.md", 18, "anchor-duplicate", DR_SEV_WARNING},
        {"o365/cancel.en-us.md", 20, "section-empty", DR_SEV_WARNING},
        {"o365/cancel.en-us.md", 24, "list-numbering", DR_SEV_WARNING},
        {"o365/cancel.en-us.md", 31, "step-empty", DR_SEV_WARNING},
        {"o365/cancel.nl-nl.md", 9, "translation-disagrees", DR_SEV_ERROR},
        {"o365/cancel.nl-nl.md", 1, "translation-unread", DR_SEV_WARNING},
        {"o365/cancel.nl-nl.md", 9, "mt-too-glued", DR_SEV_WARNING},
        {"o365/cancel.nl-nl.md", 9, "mt-hello-for-the", DR_SEV_WARNING},
        {"o365/cancel.en-us.2020.md", 9, "fact-changed", DR_SEV_NOTE},
        {"rules/office365-cancel.lua", 96, "rule-fact-unstated", DR_SEV_ERROR},
        {"rules/azure-cancel.lua", 17, "rule-article-absent", DR_SEV_WARNING},
        {"rules/facts/office365-cancel-subscription.lua", 50, "rule-fact-locales", DR_SEV_WARNING},
    };
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        const dr_finding *f = find(&r, want[i].file, want[i].line, want[i].code);
        if (!f) fail_msg("no %s at %s:%d", want[i].code, want[i].file, want[i].line);
        assert_int_equal(f->severity, want[i].sev);
    }
    /* The artifact is pointed at to the column. */
    const dr_finding *f = find(&r, "o365/cancel.nl-nl.md", 9, "mt-too-glued");
    assert_int_equal(f->col, 57);
    /* A translation that disagrees is the error, naming the English doc
     * and line; the English is not. */
    f = find(&r, "o365/cancel.nl-nl.md", 9, "translation-disagrees");
    assert_non_null(strstr(f->message, "is 10 here, but "));
    assert_non_null(strstr(f->message, "cancel.en-us.md:9 (version 2018-02-21) says 25"));
    assert_null(find(&r, "o365/cancel.en-us.md", 9, "translation-disagrees"));
    assert_true(dr_report_count(&r, DR_SEV_ERROR) > 0);
    dr_report_free(&r);
}

static void clean_fixture_triggers_no_doc_check(void **state) {
    (void)state;
    dr_report r = run(FIX "/clean", DR_TOP "/rules");
    for (size_t i = 0; i < r.n; i++)
        if (strstr(r.v[i].file, "fixtures/validate/clean"))
            fail_msg("%s:%d: %s: %s", r.v[i].file, r.v[i].line, r.v[i].code, r.v[i].message);
    /* "tool", "took", "tooth" are English, not artifacts; the links and
     * numbering resolve; the bounds leave no gap. */
    assert_int_equal(dr_report_count(&r, DR_SEV_ERROR), 0);
    dr_report_free(&r);
}

static void rule_scripts_are_checked_too(void **state) {
    (void)state;
    dr_report r = run(FIX "/clean", DR_TOP "/tests/fixtures/rules-badsyntax");
    assert_non_null(find(&r, "rules-badsyntax/broken.lua", 6, "rule-load-error"));
    dr_report_free(&r);
    r = run(DR_TOP "/corpus", FIX "/rules-casedoc");
    assert_non_null(find(&r, "rules-casedoc/tests/cases.lua", 1, "rule-case-doc-missing"));
    dr_report_free(&r);
}

/* The bundled corpus has one error, and it is real: the ja-JP 2018 doc
 * says "25 以上" (25 or more) where its English source says "more than
 * 25". Nothing else is an error. */
static void bundled_corpus_has_only_its_real_error(void **state) {
    (void)state;
    dr_report r = run(DR_TOP "/corpus", DR_TOP "/rules");
    for (size_t i = 0; i < r.n; i++) {
        if (r.v[i].severity != DR_SEV_ERROR) continue;
        if (strstr(r.v[i].file, "office365/cancel-subscription.ja-jp.2018-02-21.md") && r.v[i].line == 31 &&
            strcmp(r.v[i].code, "translation-disagrees") == 0 && strstr(r.v[i].message, "at_least here") &&
            strstr(r.v[i].message, "says above"))
            continue;
        fail_msg("%s:%d: %s: %s", r.v[i].file, r.v[i].line, r.v[i].code, r.v[i].message);
    }
    assert_int_equal(dr_report_count(&r, DR_SEV_ERROR), 1);
    assert_int_equal(r.files, 23);
    dr_report_free(&r);
}

static void formats_and_exit_status(void **state) {
    (void)state;
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "cd '%s' && ./build/docrules validate '%s/dirty' --format sarif > /tmp/dr-v.sarif 2>/dev/null",
             DR_TOP, FIX);
    int st = system(cmd);
    assert_int_equal(WEXITSTATUS(st), 1);
    char *s = slurp("/tmp/dr-v.sarif", NULL);
    assert_non_null(strstr(s, "\"version\": \"2.1.0\""));
    assert_non_null(strstr(s, "\"ruleId\": \"translation-disagrees\""));
    free(s);
    /* 0 without errors, 1 with (the bundled corpus has its ja-JP one). */
    snprintf(cmd, sizeof cmd, "cd '%s' && ./build/docrules validate '%s/clean' >/dev/null 2>&1", DR_TOP, FIX);
    assert_int_equal(WEXITSTATUS(system(cmd)), 0);
    snprintf(cmd, sizeof cmd, "cd '%s' && ./build/docrules validate >/dev/null 2>&1", DR_TOP);
    assert_int_equal(WEXITSTATUS(system(cmd)), 1);
    snprintf(cmd, sizeof cmd,
             "cd '%s' && test \"$(./build/docrules validate '%s/dirty' --min-severity error 2>/dev/null | "
             "grep -c -v ': error: ')\" = 0",
             DR_TOP, FIX);
    assert_int_equal(WEXITSTATUS(system(cmd)), 0);
    snprintf(cmd, sizeof cmd, "cd '%s' && ./build/docrules validate --format yaml >/dev/null 2>&1", DR_TOP);
    assert_int_equal(WEXITSTATUS(system(cmd)), 2);
    unlink("/tmp/dr-v.sarif");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dirty_fixture_triggers_every_doc_check),
        cmocka_unit_test(clean_fixture_triggers_no_doc_check),
        cmocka_unit_test(rule_scripts_are_checked_too),
        cmocka_unit_test(bundled_corpus_has_only_its_real_error),
        cmocka_unit_test(formats_and_exit_status),
    };
    return cmocka_run_group_tests_name("validate", tests, NULL, NULL);
}
