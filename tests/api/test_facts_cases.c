/* The public API of the querying commands but check: a query checked
 * against the rule set, facts in force, test cases and their coverage,
 * errors formatted as the command prints them. Only <docrules.h>, built
 * against the installed library (tests/test_library.c). Argument: the
 * source tree. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <docrules.h>

#include "bundled.h"

static const char *top;

/* The bundled rule set, and its first engine in e. */
static docrules_ruleset *open_with_engine(docrules_engine **e) {
    docrules_ruleset *rs = open_bundled(top);
    docrules_error err;
    if (docrules_engine_new(e, rs, NULL, &err) != DOCRULES_OK) fail_msg("%s", err.message);
    return rs;
}

/* What only the rule set can tell about a query: its action, fields and
 * language. */
static void a_query_is_checked_against_the_rule_set(void **state) {
    (void)state;
    docrules_engine *e;
    docrules_ruleset *rs = open_with_engine(&e);
    docrules_error err;
    docrules_query q = DOCRULES_QUERY_INIT;
    assert_int_equal(docrules_query_check(e, &q, &err), DOCRULES_OK);
    q.fields = "id,decision,after_cancel,as_of";
    q.locale = "ko-kr"; /* no doc, but a lexicon: answered in English, said */
    q.action = "close-account";
    assert_int_equal(docrules_query_check(e, &q, &err), DOCRULES_OK);
    q.fields = "id,bogus";
    assert_int_equal(docrules_query_check(e, &q, &err), DOCRULES_EUSAGE);
    assert_non_null(strstr(err.message, "'bogus' is not a field of a decision (id, action,"));
    q.fields = NULL;
    q.locale = "xx-yy";
    assert_int_equal(docrules_query_check(e, &q, &err), DOCRULES_EUSAGE);
    assert_non_null(strstr(err.message, "xx-yy: neither the corpus nor a lexicon is in that language"));
    q.locale = "not a tag";
    assert_int_equal(docrules_query_check(e, &q, &err), DOCRULES_EUSAGE);
    q.locale = NULL;
    q.action = "cancel";
    assert_int_equal(docrules_query_check(e, &q, &err), DOCRULES_EUSAGE);
    assert_non_null(strstr(err.message, "action is cancel-subscription, close-account or reactivate-subscription"));
    q.action = NULL;
    q.version = 99;
    assert_int_equal(docrules_query_check(e, &q, &err), DOCRULES_EUSAGE);
    assert_int_equal(docrules_query_check(NULL, NULL, &err), DOCRULES_EUSAGE);
    docrules_engine_free(e);
    docrules_ruleset_free(rs);
}

/* Every fact found, or those in force on a day in a language, in JSON. */
static void facts_every_one_or_those_in_force(void **state) {
    (void)state;
    docrules_engine *e;
    docrules_ruleset *rs = open_with_engine(&e);
    docrules_error err;
    docrules_buf all = DOCRULES_BUF_INIT, day = DOCRULES_BUF_INIT;
    assert_int_equal(docrules_facts(&all, e, NULL, &err), DOCRULES_OK);
    assert_true(all.ptr[0] == '[' && all.ptr[all.size - 1] == ']');
    assert_non_null(strstr(all.ptr, "\"fact\":\"online_cancel_max_licenses\""));
    docrules_facts_options fo = DOCRULES_FACTS_OPTIONS_INIT;
    fo.as_of = "2020-05-01";
    fo.locale = "zh-tw";
    assert_int_equal(docrules_facts(&day, e, &fo, &err), DOCRULES_OK);
    /* Fewer: one version, one language; the one the decisions cite. */
    assert_true(day.size < all.size / 2);
    assert_non_null(strstr(day.ptr, "\"doc\":\"corpus/office365/cancel-subscription.zh-tw.md\",\"line\":28"));
    assert_null(strstr(day.ptr, "de-de"));
    fo.version = 0;
    assert_int_equal(docrules_facts(&day, e, &fo, &err), DOCRULES_EUSAGE);
    assert_int_equal(docrules_facts(NULL, e, NULL, &err), DOCRULES_EUSAGE);
    docrules_buf_dispose(&all);
    docrules_buf_dispose(&day);
    docrules_engine_free(e);
    docrules_ruleset_free(rs);
}

/* The bundled rules' cases, decided with coverage: every one has its
 * account and expectation, and the coverage counts what they exercised. */
static void cases_and_their_coverage(void **state) {
    (void)state;
    docrules_engine *e;
    docrules_ruleset *rs = open_with_engine(&e);
    docrules_error err;
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/rules/tests", top);
    size_t n = 0;
    assert_int_equal(docrules_cases_load(e, dir, &n, &err), DOCRULES_OK);
    assert_true(n >= 20);
    docrules_coverage before;
    assert_int_equal(docrules_coverage_get(&before, NULL, NULL, e, &err), DOCRULES_OK);
    assert_int_equal(before.rules_hit, 0);
    for (size_t i = 0; i < n; i++) {
        docrules_case c;
        assert_int_equal(docrules_case_get(&c, e, i, &err), DOCRULES_OK);
        assert_non_null(strstr(c.file, "rules/tests/"));
        assert_true(c.line > 0);
        assert_true(c.account.ptr[0] == '{' && c.expect.ptr[0] == '{');
        docrules_query q = DOCRULES_QUERY_INIT;
        q.as_of = c.as_of;
        q.locale = c.locale;
        q.explain = 1;
        q.coverage = 1;
        docrules_buf out = DOCRULES_BUF_INIT;
        assert_int_equal(docrules_decide(&out, e, c.account.ptr, c.account.size, &q, &err), DOCRULES_OK);
        docrules_buf_dispose(&out);
        docrules_case_dispose(&c);
        assert_null(c.account.ptr);
    }
    docrules_case none;
    assert_int_equal(docrules_case_get(&none, e, n, &err), DOCRULES_EUSAGE);
    docrules_coverage st;
    docrules_buf missed = DOCRULES_BUF_INIT;
    char lcov_path[] = "/tmp/dr-api-lcov-XXXXXX";
    int fd = mkstemp(lcov_path);
    assert_true(fd >= 0);
    FILE *lcov = fdopen(fd, "w");
    assert_int_equal(docrules_coverage_get(&st, &missed, lcov, e, &err), DOCRULES_OK);
    fclose(lcov);
    assert_true(st.rules > 10 && st.rules_hit > before.rules_hit && st.rules_hit <= st.rules);
    assert_true(st.branches_hit > 0 && st.branches_hit <= st.branches);
    /* What was missed is said a line each, with its place. */
    if (st.rules_hit + st.branches_hit < st.rules + st.branches) assert_non_null(strstr(missed.ptr, ".lua:"));
    FILE *f = fopen(lcov_path, "r");
    char line[256] = "";
    assert_non_null(fgets(line, sizeof line, f));
    fclose(f);
    unlink(lcov_path);
    assert_string_equal(line, "TN:\n");
    docrules_buf_dispose(&missed);
    /* A folder with a broken case script: its place. */
    assert_int_equal(docrules_cases_load(e, "/nonexistent/cases", &n, &err), DOCRULES_EIO);
    assert_string_equal(err.file, "/nonexistent/cases");
    docrules_engine_free(e);
    docrules_ruleset_free(rs);
}

/* Errors print as the command prints them. */
static void errors_format_as_the_command_says_them(void **state) {
    (void)state;
    docrules_error err = {DOCRULES_EPARSE, "a.json", 4, 3, "date: \"2017-02-30\" is not a date"};
    char buf[2048];
    assert_string_equal(docrules_error_format(&err, buf, sizeof buf), "a.json:4:3: date: \"2017-02-30\" is not a date");
    err.col = 0;
    assert_string_equal(docrules_error_format(&err, buf, sizeof buf), "a.json:4: date: \"2017-02-30\" is not a date");
    err.file[0] = '\0';
    assert_string_equal(docrules_error_format(&err, buf, sizeof buf), "date: \"2017-02-30\" is not a date");
}

int main(int argc, char **argv) {
    top = argc > 1 ? argv[1] : ".";
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_query_is_checked_against_the_rule_set),
        cmocka_unit_test(facts_every_one_or_those_in_force),
        cmocka_unit_test(cases_and_their_coverage),
        cmocka_unit_test(errors_format_as_the_command_says_them),
    };
    return cmocka_run_group_tests_name("api: facts, cases, queries", tests, NULL, NULL);
}
