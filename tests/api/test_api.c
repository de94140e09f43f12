/* The public API as a user's program sees it: only <docrules.h>, built
 * against the installed library through pkg-config (tests/test_library.c
 * installs it and builds this). Argument: the source tree. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <docrules.h>

#include "bundled.h"

static const char *top;


static void version_is_the_header_s(void **state) {
    (void)state;
    assert_string_equal(docrules_version(), DOCRULES_VERSION);
}

/* The caller may append to a buffer as the library does. */
static void a_buffer_appends_and_stays_a_string(void **state) {
    (void)state;
    docrules_buf b = DOCRULES_BUF_INIT;
    docrules_buf_put(&b, "ab", 2);
    docrules_buf_put(&b, "", 0);
    docrules_buf_put(&b, "cde", 3);
    assert_int_equal(b.size, 5);
    assert_string_equal(b.ptr, "abcde");
    assert_true(b.asize > b.size);
    docrules_buf_put(NULL, "x", 1); /* nothing to append to: nothing happens */
    docrules_buf_dispose(&b);
    assert_null(b.ptr);
    assert_int_equal(b.size, 0);
}

static void decides_and_reuses_its_buffer(void **state) {
    (void)state;
    docrules_ruleset *rs = open_bundled(top);
    assert_true(docrules_ruleset_doc_count(rs) > 20);
    assert_true(docrules_ruleset_fact_count(rs) > 50);
    docrules_engine *e;
    docrules_error err;
    assert_int_equal(docrules_engine_new(&e, rs, NULL, &err), DOCRULES_OK);
    docrules_buf out = DOCRULES_BUF_INIT;
    const char *a = "{\"id\":\"a1\",\"product\":\"office365\",\"assigned_licenses\":30,"
                    "\"actor\":{\"roles\":[\"global_admin\"]}}";
    docrules_query q = DOCRULES_QUERY_INIT;
    q.fields = "id,decision,channels";
    assert_int_equal(docrules_decide(&out, e, a, strlen(a), &q, &err), DOCRULES_OK);
    assert_string_equal(out.ptr, "{\"id\":\"a1\",\"decision\":\"escalate\",\"channels\":[\"support\"]}");
    assert_int_equal(out.size, strlen(out.ptr));
    /* Appends; size 0 starts over in the same memory. */
    out.size = 0;
    q.as_of = "2019-01-01";
    assert_int_equal(docrules_decide(&out, e, a, strlen(a), &q, &err), DOCRULES_OK);
    assert_non_null(strstr(out.ptr, "\"id\":\"a1\""));
    docrules_buf_dispose(&out);
    assert_null(out.ptr);
    docrules_engine_free(e);
    docrules_ruleset_free(rs);
}

/* The revision a rule set says is the one its decisions carry: what a
 * service reports before it decides anything. */
static void the_rule_set_says_its_decisions_revision(void **state) {
    (void)state;
    docrules_ruleset *rs = open_bundled(top);
    const char *rev = docrules_ruleset_revision(rs);
    assert_int_equal(strlen(rev), 16);
    docrules_engine *e;
    docrules_error err;
    assert_int_equal(docrules_engine_new(&e, rs, NULL, &err), DOCRULES_OK);
    docrules_buf out = DOCRULES_BUF_INIT;
    const char *a = "{\"id\":\"a1\",\"product\":\"azure\"}";
    docrules_query q = DOCRULES_QUERY_INIT;
    q.fields = "revision";
    assert_int_equal(docrules_decide(&out, e, a, strlen(a), &q, &err), DOCRULES_OK);
    char want[64];
    snprintf(want, sizeof want, "{\"revision\":\"%s\"}", rev);
    assert_string_equal(out.ptr, want);
    /* What the fields left out, the outcome says. */
    docrules_outcome o;
    docrules_outcome_get(e, &o);
    assert_string_equal(o.decision, "deny"); /* no role to cancel with */
    assert_string_equal(o.action, "cancel-subscription");
    assert_string_equal(o.account_id, "a1");
    assert_string_equal(docrules_ruleset_revision(NULL), "");
    /* The decisions a caller may meet: the rules' five, then the engine's. */
    const char *const want_decisions[] = {"allow", "deny", "escalate", "not_applicable", "blocked",
                                          "no_rule", "error", "needs_input"};
    const char *const *d = docrules_decisions();
    for (size_t i = 0; i < sizeof want_decisions / sizeof *want_decisions; i++) assert_string_equal(d[i], want_decisions[i]);
    assert_null(d[sizeof want_decisions / sizeof *want_decisions]);
    docrules_buf_dispose(&out);
    docrules_engine_free(e);
    docrules_ruleset_free(rs);
}

static void errors_are_negative_and_placed(void **state) {
    (void)state;
    docrules_ruleset *rs = open_bundled(top);
    docrules_engine *e;
    docrules_error err;
    assert_int_equal(docrules_engine_new(&e, rs, NULL, &err), DOCRULES_OK);
    docrules_buf out = DOCRULES_BUF_INIT;
    const char *bad = "{\"id\":\"a\",\n\"product\":\"gcp\"}";
    assert_int_equal(docrules_decide(&out, e, bad, strlen(bad), NULL, &err), DOCRULES_EPARSE);
    assert_int_equal(err.code, DOCRULES_EPARSE);
    docrules_outcome o;
    docrules_outcome_get(e, &o);
    assert_null(o.decision); /* nothing was decided */
    assert_null(o.account_id);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.col, 1);
    assert_non_null(strstr(err.message, "product"));
    assert_int_equal(out.size, 0);
    assert_int_equal(docrules_decide(&out, NULL, bad, 1, NULL, &err), DOCRULES_EUSAGE);
    docrules_query old = DOCRULES_QUERY_INIT;
    old.version = 99;
    assert_int_equal(docrules_decide(&out, e, bad, strlen(bad), &old, &err), DOCRULES_EUSAGE);
    /* A field the contract does not name: a warning, or with strict a bad account at its key. */
    const char *typo = "{\"id\":\"t\",\"product\":\"office365\",\n\"assigned_licences\":3}";
    docrules_query strict = DOCRULES_QUERY_INIT;
    assert_int_equal(docrules_decide(&out, e, typo, strlen(typo), &strict, &err), DOCRULES_OK);
    assert_non_null(strstr(out.ptr, "\"warnings\":[\"assigned_licences: not a field of office365 accounts; did you mean assigned_licenses?\"]"));
    out.size = 0;
    strict.strict = 1;
    assert_int_equal(docrules_decide(&out, e, typo, strlen(typo), &strict, &err), DOCRULES_EPARSE);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.col, 1);
    assert_non_null(strstr(err.message, "did you mean assigned_licenses?"));
    assert_int_equal(out.size, 0);
    docrules_buf_dispose(&out);
    docrules_engine_free(e);
    docrules_ruleset_free(rs);
    /* A rule script that does not load: its file and line. */
    char rules[4096];
    snprintf(rules, sizeof rules, "%s/tests/fixtures/rules-badsyntax", top);
    docrules_ruleset_options ro = DOCRULES_RULESET_OPTIONS_INIT;
    ro.rules_dir = rules;
    char corpus[4096];
    snprintf(corpus, sizeof corpus, "%s/corpus", top);
    const char *c[1] = {corpus};
    ro.corpus = c;
    ro.ncorpus = 1;
    assert_int_equal(docrules_ruleset_open(&rs, &ro, &err), DOCRULES_ERULE);
    assert_non_null(strstr(err.file, "broken.lua"));
    assert_int_equal(err.line, 6);
    assert_null(rs);
}

/* A runaway rule is an error decision, not a failure, and the engine goes on. */
static void a_runaway_rule_is_a_decision(void **state) {
    (void)state;
    char rules[4096], corpus[4096];
    snprintf(rules, sizeof rules, "%s/tests/fixtures/rules-sandbox", top);
    snprintf(corpus, sizeof corpus, "%s/corpus", top);
    const char *c[1] = {corpus};
    docrules_ruleset_options ro = DOCRULES_RULESET_OPTIONS_INIT;
    ro.rules_dir = rules;
    ro.corpus = c;
    ro.ncorpus = 1;
    ro.max_instructions = 5000;
    docrules_ruleset *rs;
    docrules_engine *e;
    docrules_error err;
    assert_int_equal(docrules_ruleset_open(&rs, &ro, &err), DOCRULES_OK);
    assert_int_equal(docrules_engine_new(&e, rs, NULL, &err), DOCRULES_OK);
    docrules_buf out = DOCRULES_BUF_INIT;
    const char *loop = "{\"id\":\"pcall_loop\",\"product\":\"azure\"}";
    assert_int_equal(docrules_decide(&out, e, loop, strlen(loop), NULL, &err), DOCRULES_OK);
    assert_non_null(strstr(out.ptr, "instruction budget exceeded (5000 instructions"));
    out.size = 0;
    const char *fine = "{\"id\":\"fine\",\"product\":\"azure\"}";
    assert_int_equal(docrules_decide(&out, e, fine, strlen(fine), NULL, &err), DOCRULES_OK);
    assert_non_null(strstr(out.ptr, "\"decision\":\"allow\""));
    docrules_buf_dispose(&out);
    docrules_engine_free(e);
    docrules_ruleset_free(rs);
}

int main(int argc, char **argv) {
    top = argc > 1 ? argv[1] : ".";
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(version_is_the_header_s),
        cmocka_unit_test(a_buffer_appends_and_stays_a_string),
        cmocka_unit_test(decides_and_reuses_its_buffer),
        cmocka_unit_test(the_rule_set_says_its_decisions_revision),
        cmocka_unit_test(errors_are_negative_and_placed),
        cmocka_unit_test(a_runaway_rule_is_a_decision),
    };
    return cmocka_run_group_tests_name("api", tests, NULL, NULL);
}
