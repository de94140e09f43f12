/* The account contract, field by field: each check the reader makes is
 * exercised by an account it must refuse (with its message, line and
 * column) and, at the edges, one it must accept. Written from a mutation
 * run over engine/account.c: every row kills a change to the checks that
 * the other suites let pass (deleting a field's check, an off-by-one in a
 * bound, a message naming the wrong field or column). */
#include <jansson.h>

#include "rulesutil.h"

#include "../engine/engine.h"

#define A "{\"id\":\"a\",\"product\":\"azure\","

static const struct {
    const char *json;
    int col;
    const char *says; /* the start of the message */
} refused[] = {
    {A "\"subscription\":{\"payment_method\":\"card\"}}", 45, "subscription.payment_method: must be true or false"},
    {A "\"support_plan\":{\"paid\":\"yes\"}}", 45, "support_plan.paid: must be true or false"},
    {A "\"tenant\":{\"synced_from_on_premises\":\"yes\"}}", 39, "tenant.synced_from_on_premises: must be true or false"},
    {A "\"tenant\":{\"mfa_enabled_users\":-1}}", 39, "tenant.mfa_enabled_users: must be a whole number from 0"},
    {A "\"tenant\":{\"active_subscriptions\":-1}}", 39, "tenant.active_subscriptions: must be a whole number from 0"},
    {A "\"tenant\":{\"disabled_subscriptions\":-1}}", 39, "tenant.disabled_subscriptions: must be a whole number from 0"},
    {A "\"tenant\":{\"users\":-1}}", 39, "tenant.users: must be a whole number from 0"},
    {A "\"support_plan\":{\"started_on\":\"2017-02-30\"}}", 45, "support_plan.started_on: \"2017-02-30\" is not a date"},
    {A "\"subscription\":{\"cancelled_on\":\"2017-02-30\"}}", 45, "subscription.cancelled_on: \"2017-02-30\" is not a date"},
    {A "\"subscription\":{\"billing\":{\"period_start\":\"2017-02-30\"}}}", 56,
     "subscription.billing.period_start: \"2017-02-30\" is not a date"},
    {A "\"subscription\":{\"billing\":{\"period_end\":\"2017-02-30\"}}}", 56,
     "subscription.billing.period_end: \"2017-02-30\" is not a date"},
    {A "\"subscription\":{\"billing\":{\"period_start\":\"2017-01-01\",\"period_end\":\"2017-01-01\"}}}", 84,
     "subscription.billing.period_end: must be after period_start"},
    {A "\"subscription\":{\"billing\":{\"period_start\":\"2017-02-01\",\"period_end\":\"2017-01-01\"}}}", 84,
     "subscription.billing.period_end: must be after period_start"},
    {A "\"locale\":5}", 29, "locale: must be a string"},
    {A "\"action\":5}", 29, "action: must be a string"},
    {A "\"subscription\":{\"type\":5}}", 45, "subscription.type: must be a string"},
    {A "\"subscription\":{\"type\":\"gift\"}}", 45, "subscription.type: \"gift\" is not trial, paid, payg, enterprise or free_credits"},
    {A "\"action\":\"delete-everything\"}", 29, "action: \"delete-everything\" is not cancel-subscription"},
    {A "\"subscription\":5}", 29, "subscription: must be an object"},
    {A "\"subscription\":{\"billing\":5}}", 45, "subscription.billing: must be an object"},
    {A "\"support_plan\":5}", 29, "support_plan: must be an object"},
    {A "\"tenant\":5}", 29, "tenant: must be an object"},
    {A "\"assigned_licenses\":-1}", 29, "assigned_licenses: must be a whole number from 0"},
    {A "\"assigned_licenses\":1000000001}", 29, "assigned_licenses: must be a whole number from 0 to 1000000000"},
    {A "\"support_plan\":{\"monthly_fee\":12,\"currency\":\"USD\"}}", 45,
     "support_plan.monthly_fee: money is a decimal string such as \"12.50\", not a number"},
    {A "\"support_plan\":{\"monthly_fee\":true,\"currency\":\"USD\"}}", 45,
     "support_plan.monthly_fee: money is a decimal string such as \"12.50\""},
    {A "\"support_plan\":{\"monthly_fee\":\"12\",\"currency\":840}}", 64, "support_plan.currency: must be a string"},
    {A "\"support_plan\":{\"monthly_fee\":\"12\"}}", 29, "support_plan.currency: an amount needs its currency"},
    {A "\"support_plan\":{\"monthly_fee\":\"12.345\",\"currency\":\"USD\"}}", 45,
     "support_plan.monthly_fee: \"12.345\" more decimals than the currency has"},
    {A "\"support_plan\":{\"monthly_fee\":\"-1.00\",\"currency\":\"USD\"}}", 45,
     "support_plan.monthly_fee: an amount cannot be negative"},
    {A "\"support_plan\":{\"monthly_fee\":\"-0.00\",\"currency\":\"USD\"}}", 45,
     "support_plan.monthly_fee: an amount cannot be negative"},
    /* Each key is looked for after the last one found. */
    {A "\"support_plan\":{\"currency\":\"USD\",\"monthly_fee\":\"1\"},\"subscription\":{\"billing\":{\"amount\":\"12\"}}}", 97,
     "subscription.billing.currency: an amount needs its currency"},
    /* Columns count characters, not bytes. */
    {"{\"id\":\"é\",\"product\":\"gcp\"}", 11, "product:"},
    {"{\"id\":\"\",\"product\":\"azure\"}", 2, "id: must be a non-empty string"},
    {"{\"id\":5,\"product\":\"azure\"}", 2, "id: must be a non-empty string"},
    {"{\"id\":\"a\"}", 1, "product: the account has no \"product\""},
    {A "\"locale\":\"abcdefgh-12345678-12345678-1234567-1\"}", 29, "locale: \"abcdefgh-12345678-12345678-1234567-1\" is not a language tag"},
    {A "\"locale\":\"e\"}", 29, "locale: \"e\" is not a language tag"},
    {A "\"locale\":\"abcdefghi\"}", 29, "locale: \"abcdefghi\" is not a language tag"},
    {A "\"locale\":\"e1-us\"}", 29, "locale: \"e1-us\" is not a language tag"},
    {A "\"locale\":\"en-123456789\"}", 29, "locale: \"en-123456789\" is not a language tag"},
    {A "\"locale\":\"en-\"}", 29, "locale: \"en-\" is not a language tag"},
    /* The value is quoted up to 40 characters. */
    {A "\"locale\":\"zh tw<script>0123456789012345678901234567890123456789\"}", 29,
     "locale: \"zh tw<script>012345678901234567890123456\" is not"},
};

static const char *const accepted[] = {
    A "\"assigned_licenses\":1000000000}",
    A "\"support_plan\":{\"monthly_fee\":\"0.00\",\"currency\":\"USD\"}}",
    A "\"locale\":\"abcdefgh-12345678-12345678-123456-1\"}",
    A "\"locale\":\"zh_TW\"}",
    A "\"tenant\":{\"users\":0,\"mfa_enabled_users\":0,\"active_subscriptions\":0,\"disabled_subscriptions\":0,"
      "\"synced_from_on_premises\":false},\"support_plan\":{\"paid\":true,\"started_on\":\"2017-01-31\"},"
      "\"subscription\":{\"type\":\"payg\",\"payment_method\":true,\"cancelled_on\":\"2017-12-31\"}}",
};

static dr_engine *engine(void) {
    const char *c[1] = {DR_TOP "/corpus"};
    dr_engine_opts o = {DR_TOP "/rules", c, 1, 0, 0, "2026-01-01", NULL};
    dr_engine *e = NULL;
    dr_error err;
    assert_int_equal(dr_engine_new(&o, &e, &err), DR_OK);
    return e;
}

static void every_check_refuses_with_its_message_and_place(void **state) {
    (void)state;
    dr_engine *e = engine();
    for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
        dr_query q = {0};
        char *out = NULL;
        dr_error err;
        dr_error_clear(&err);
        int rc = dr_engine_decide(e, refused[i].json, strlen(refused[i].json), &q, &out, &err);
        if (rc != DR_EPARSE) fail_msg("%s: accepted (%s)", refused[i].json, out ? out : "");
        if (strncmp(err.message, refused[i].says, strlen(refused[i].says)) != 0 || err.line != 1 ||
            err.col != refused[i].col)
            fail_msg("%s:\n  got  %d:%d: %s\n  want 1:%d: %s...", refused[i].json, err.line, err.col, err.message,
                     refused[i].col, refused[i].says);
        free(out);
    }
    dr_engine_free(e);
}

/* An account saved with any line ends is placed by its lines: LF, CRLF
 * or a CR alone (JSON takes each as whitespace), the bad value on the
 * third line whichever it is. */
static void places_count_every_kind_of_line_end(void **state) {
    (void)state;
    dr_engine *e = engine();
    static const char *const ends[] = {"\n", "\r\n", "\r"};
    for (size_t i = 0; i < sizeof ends / sizeof *ends; i++) {
        char acct[256];
        snprintf(acct, sizeof acct, "{\"id\":\"a\",%s\"product\":\"azure\",%s  \"locale\":\"e\"}", ends[i], ends[i]);
        dr_query q = {0};
        char *out = NULL;
        dr_error err;
        dr_error_clear(&err);
        assert_int_equal(dr_engine_decide(e, acct, strlen(acct), &q, &out, &err), DR_EPARSE);
        if (err.line != 3 || err.col != 3 || !strstr(err.message, "locale"))
            fail_msg("line end %zu: got %d:%d: %s, want 3:3", i, err.line, err.col, err.message);
        free(out);
    }
    dr_engine_free(e);
}

static void edge_values_are_accepted(void **state) {
    (void)state;
    dr_engine *e = engine();
    for (size_t i = 0; i < sizeof accepted / sizeof *accepted; i++) {
        dr_query q = {0};
        char *out = NULL;
        dr_error err;
        dr_error_clear(&err);
        if (dr_engine_decide(e, accepted[i], strlen(accepted[i]), &q, &out, &err) != DR_OK)
            fail_msg("%s: refused: %d:%d: %s", accepted[i], err.line, err.col, err.message);
        free(out);
    }
    dr_engine_free(e);
}

/* The contract's additions (2026-12): every decision, whichever path wrote
 * it, carries the day whose policy applied, the revision of the rules and
 * docs, and the language used, with the one asked when they differ. */
static char *decide(dr_engine *e, const char *acct, const char *as_of, const char *locale, const char *fields) {
    dr_query q = {0};
    q.as_of = as_of;
    q.locale = locale;
    q.fields = fields;
    char *out = NULL;
    dr_error err;
    dr_error_clear(&err);
    if (dr_engine_decide(e, acct, strlen(acct), &q, &out, &err) != DR_OK) fail_msg("%s: %s", acct, err.message);
    return out;
}

static void field_of(const char *json, const char *k, char *v, size_t size) {
    char key[64];
    snprintf(key, sizeof key, "\"%s\":\"", k);
    const char *p = strstr(json, key);
    v[0] = '\0';
    if (p) snprintf(v, size, "%.*s", (int)strcspn(p + strlen(key), "\""), p + strlen(key));
}

static dr_engine *engine_over(const char *rules, const char *corpus, long max_instructions) {
    const char *c[1] = {corpus};
    dr_engine_opts o = {rules, c, 1, max_instructions, 0, "2026-01-01", "corpus"};
    dr_engine *e = NULL;
    dr_error err;
    if (dr_engine_new(&o, &e, &err) != DR_OK) fail_msg("%s", err.message);
    return e;
}

/* An engine over a rules folder made in a scratch folder (dir, named
 * name): the fixture's account declarations and script as t.lua. */
/* The first line of each scratch policy engine_with_script is given. */
#define T_POLICY "local p = policy { id = \"t\", product = \"office365\", action = \"cancel-subscription\" }\n"

/* The script as dir/t.lua, then an engine over dir and corpus. */
static dr_engine *engine_over_script_in(const char *dir, const char *corpus, const char *script) {
    char path[512];
    snprintf(path, sizeof path, "%s/t.lua", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_true(fputs(script, f) >= 0);
    assert_int_equal(fclose(f), 0);
    return engine_over(dir, corpus, 0);
}

/* The same over the bundled corpus. */
static dr_engine *engine_over_script(const char *dir, const char *script) {
    return engine_over_script_in(dir, DR_TOP "/corpus", script);
}

static dr_engine *engine_with_script(char *dir, size_t size, const char *name, const char *script) {
    scratch_mkdtemp(dir, size, name);
    assert_int_equal(sh("cp '%s/tests/fixtures/rules-output/accounts.lua' '%s/'", DR_TOP, dir), 0);
    return engine_over_script(dir, script);
}

/* Whether out is an error decision saying want (the rule's place and
 * message). */
static int error_saying(const char *out, const char *want) {
    return strstr(out, "\"decision\":\"error\"") && strstr(out, want);
}

#define AZ "{\"id\":\"z\",\"product\":\"azure\",\"actor\":{\"roles\":[\"account_admin\"]}"

static void every_decision_says_its_day_revision_and_language(void **state) {
    (void)state;
    dr_engine *e = engine();
    char v[64], rev[64];
    /* The day: the one asked, else today. */
    char *out = decide(e, AZ "}", "2017-07-01", NULL, NULL);
    field_of(out, "as_of", v, sizeof v);
    assert_string_equal(v, "2017-07-01");
    field_of(out, "revision", rev, sizeof rev);
    assert_int_equal(strlen(rev), 16);
    assert_int_equal(strspn(rev, "0123456789abcdef"), 16);
    free(out);
    out = decide(e, AZ "}", NULL, NULL, NULL);
    field_of(out, "as_of", v, sizeof v);
    assert_string_equal(v, "2026-01-01");
    free(out);
    /* The steps in the language asked: no locale_asked. */
    out = decide(e, AZ ",\"locale\":\"zh-TW\"}", "2017-07-01", NULL, NULL);
    field_of(out, "locale_used", v, sizeof v);
    assert_string_equal(v, "zh-tw");
    assert_null(strstr(out, "locale_asked"));
    assert_non_null(strstr(out, "cancel-subscription.zh-tw"));
    free(out);
    /* No Korean doc: the steps fall back to the account's language, then
     * to English, and the decision says so. */
    out = decide(e, AZ ",\"locale\":\"zh-tw\"}", "2017-07-01", "ko-KR", NULL);
    field_of(out, "locale_asked", v, sizeof v);
    assert_string_equal(v, "ko-kr");
    field_of(out, "locale_used", v, sizeof v);
    assert_string_equal(v, "zh-tw");
    free(out);
    out = decide(e, AZ "}", "2019-07-01", "ko-KR", NULL);
    field_of(out, "locale_used", v, sizeof v);
    assert_string_equal(v, "en-us");
    free(out);
    /* --fields: only what is named; the language used is the steps' even
     * when the steps are not written. */
    out = decide(e, AZ "}", "2019-07-01", "ko-kr", "id,decision");
    assert_null(strstr(out, "as_of"));
    assert_null(strstr(out, "locale_used"));
    free(out);
    out = decide(e, AZ "}", "2019-07-01", "ko-kr", "id,locale_used,locale_asked");
    assert_string_equal(out, "{\"id\":\"z\",\"locale_used\":\"en-us\",\"locale_asked\":\"ko-kr\"}");
    free(out);
    dr_engine_free(e);
    /* An error decision carries them too. */
    e = engine_over(DR_TOP "/tests/fixtures/rules-sandbox", DR_TOP "/corpus", 5000);
    out = decide(e, "{\"id\":\"loop\",\"product\":\"azure\"}", "2017-07-01", NULL, NULL);
    assert_non_null(strstr(out, "\"decision\":\"error\""));
    field_of(out, "as_of", v, sizeof v);
    assert_string_equal(v, "2017-07-01");
    field_of(out, "revision", v, sizeof v);
    assert_int_equal(strspn(v, "0123456789abcdef"), 16);
    assert_string_not_equal(v, rev); /* other rules */
    free(out);
    dr_engine_free(e);
}

/* The revision is the content's: the same for a copy elsewhere, another
 * for one changed byte of a doc or of a rule script. */
static void the_revision_follows_content_not_place(void **state) {
    (void)state;
    char dir[200], cmd[2048], a[64], b[64];
    scratch_mkdtemp(dir, sizeof dir, "rev");
    snprintf(cmd, sizeof cmd, "cp -R '%s/rules' '%s/corpus' '%s/'", DR_TOP, DR_TOP, dir);
    assert_int_equal(system(cmd), 0);
    char rules[256], corpus[256];
    snprintf(rules, sizeof rules, "%s/rules", dir);
    snprintf(corpus, sizeof corpus, "%s/corpus", dir);
    dr_engine *e = engine();
    char *out = decide(e, AZ "}", NULL, NULL, NULL);
    field_of(out, "revision", a, sizeof a);
    free(out);
    dr_engine_free(e);
    e = engine_over(rules, corpus, 0);
    out = decide(e, AZ "}", NULL, NULL, NULL);
    field_of(out, "revision", b, sizeof b);
    free(out);
    dr_engine_free(e);
    assert_string_equal(a, b);
    /* One byte of one doc. */
    snprintf(cmd, sizeof cmd, "printf ' ' >> '%s/azure/cancel-subscription.de-de.2015-10-21.md'", corpus);
    assert_int_equal(system(cmd), 0);
    e = engine_over(rules, corpus, 0);
    out = decide(e, AZ "}", NULL, NULL, NULL);
    field_of(out, "revision", b, sizeof b);
    free(out);
    dr_engine_free(e);
    assert_string_not_equal(a, b);
    char c2[64];
    /* One byte of a rule script, the docs as they were. */
    snprintf(cmd, sizeof cmd, "cp '%s/corpus/azure/cancel-subscription.de-de.2015-10-21.md' '%s/azure/' && printf '\\n' >> '%s/close-account.lua'",
             DR_TOP, corpus, rules);
    assert_int_equal(system(cmd), 0);
    e = engine_over(rules, corpus, 0);
    out = decide(e, AZ "}", NULL, NULL, NULL);
    field_of(out, "revision", c2, sizeof c2);
    free(out);
    dr_engine_free(e);
    assert_string_not_equal(a, c2);
    assert_string_not_equal(b, c2);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

/* A field the contract does not name is never silently ignored: the
 * decision warns, naming the nearest field, whichever reader read it (one
 * line: yajl; pretty-printed: jansson); with strict it is a bad account at
 * its key. Every contract field is named, so the accounts above warn of
 * nothing. */
static void unknown_account_fields_are_said(void **state) {
    (void)state;
    dr_engine *e = engine();
    const char *one = "{\"id\":\"u\",\"product\":\"office365\",\"assigned_licences\":30,"
                      "\"subscription\":{\"tpye\":\"paid\",\"billing\":{\"amout\":\"1.00\"}},\"notes\":{\"x\":1}}";
    const char *pretty = "{\n  \"id\": \"u\",\n  \"product\": \"office365\",\n  \"assigned_licences\": 30,\n"
                         "  \"subscription\": {\"tpye\": \"paid\", \"billing\": {\"amout\": \"1.00\"}},\n  \"notes\": {\"x\": 1}\n}";
    const char *want = "\"warnings\":[\"assigned_licences: not a field of office365 accounts; did you mean assigned_licenses?\","
                       "\"subscription.tpye: not a field of office365 accounts; did you mean subscription.type?\","
                       "\"subscription.billing.amout: not a field of office365 accounts; did you mean subscription.billing.amount?\","
                       "\"notes: not a field of office365 accounts\"]";
    for (int i = 0; i < 2; i++) {
        char *out = decide(e, i ? pretty : one, NULL, NULL, NULL);
        if (!strstr(out, want)) fail_msg("%s reader: %s", i ? "jansson" : "yajl", out);
        free(out);
    }
    /* The next account's decision does not inherit them. */
    char *out = decide(e, AZ "}", NULL, NULL, NULL);
    assert_null(strstr(out, "warnings"));
    free(out);
    for (size_t i = 0; i < sizeof accepted / sizeof *accepted; i++) {
        out = decide(e, accepted[i], NULL, NULL, NULL);
        if (strstr(out, "warnings")) fail_msg("%s: %s", accepted[i], out);
        free(out);
    }
    /* strict: the first, at its key, by both readers. */
    for (int i = 0; i < 2; i++) {
        dr_query q = {0};
        q.strict = 1;
        char *o = NULL;
        dr_error err;
        dr_error_clear(&err);
        const char *a = i ? pretty : one;
        assert_int_equal(dr_engine_decide(e, a, strlen(a), &q, &o, &err), DR_EPARSE);
        assert_null(o);
        assert_int_equal(err.line, i ? 4 : 1);
        assert_int_equal(err.col, i ? 3 : 33);
        assert_non_null(strstr(err.message, "assigned_licences: not a field of office365 accounts; did you mean assigned_licenses? (--strict)"));
    }
    dr_engine_free(e);
}

/* A rule that reads an account field names it in inputs; an account
 * without it gets needs_input with the list, on the plain path and under
 * --explain alike, and nothing computed from a value nobody gave. A rule
 * naming a field the contract does not, a compute naming inputs, or a
 * second rule of one id does not load, and says where without the rule
 * language's own stack. */
static void a_missing_input_is_needs_input(void **state) {
    (void)state;
    dr_engine *e = engine();
    const char *acct = "{\"id\":\"n\",\"product\":\"office365\",\"date\":\"2020-04-20\",\"actor\":{\"roles\":[\"global_admin\"]},"
                       "\"subscription\":{\"type\":\"paid\",\"billing\":{\"period_start\":\"2020-01-01\","
                       "\"period_end\":\"2021-01-01\",\"amount\":\"1200.00\",\"currency\":\"USD\"}}}";
    for (int explain = 0; explain < 2; explain++) {
        dr_query q = {0};
        q.explain = explain;
        char *out = NULL;
        dr_error err;
        dr_error_clear(&err);
        assert_int_equal(dr_engine_decide(e, acct, strlen(acct), &q, &out, &err), DR_OK);
        if (!strstr(out, "\"decision\":\"needs_input\",\"channels\":[]") || !strstr(out, "\"missing\":[\"assigned_licenses\"]"))
            fail_msg("explain=%d: %s", explain, out);
        assert_null(strstr(out, "\"refund\""));
        assert_null(strstr(out, "0 assigned licenses"));
        if (explain) assert_non_null(strstr(out, "\"missing_inputs\":[\"assigned_licenses\"]"));
        free(out);
    }
    /* Given, the same account decides. */
    const char *given = "{\"id\":\"n\",\"product\":\"office365\",\"assigned_licenses\":3,\"actor\":{\"roles\":[\"global_admin\"]}}";
    char *out = decide(e, given, NULL, NULL, NULL);
    assert_non_null(strstr(out, "\"decision\":\"allow\""));
    free(out);
    dr_engine_free(e);
    /* Declarations that do not load. */
    char dir[200], cmd[1024];
    scratch_mkdtemp(dir, sizeof dir, "inputs");
    static const struct { const char *decl, *says; } bad[] = {
        {"p:rule { id = 'x.typo', uses = {}, inputs = { 'assigned_licences' }, decision = 'deny' }",
         "rule x.typo: input 1 (assigned_licences) is not a field of office365 accounts"},
        {"p:rule { id = 'x.kind', uses = {}, inputs = 3, decision = 'deny' }",
         "rule x.kind: inputs must be a list of account fields"},
        {"p:compute { id = 'x.c', uses = {}, inputs = { 'tenant.users' }, set = function() return {} end }",
         "compute x.c: inputs are for rules"},
        /* Reasons name rules by id: one id, one rule, across policies. */
        {"p:rule { id = 'azure.cancel.allow', uses = {}, decision = 'deny' }",
         "rule id azure.cancel.allow is already declared at "},
        {"p:compute { id = 'office365.cancel.online', uses = {}, set = function() return {} end }",
         "compute id office365.cancel.online is already declared at "},
        /* A compute's new fields are new: not the contract's, and names. */
        {"p:compute { id = 'x.a', uses = {}, adds = { 'refund' }, set = function() return {} end }",
         "compute x.a: adds names refund, which the contract already has"},
        /* nor the service's: an answer would hold the name twice */
        {"p:compute { id = 'x.s', uses = {}, adds = { 'time' }, set = function() return {} end }",
         "compute x.s: adds names time, which the decision service writes into every decision"},
        {"p:compute { id = 'x.s2', uses = {}, adds = { 'decision_id' }, set = function() return {} end }",
         "compute x.s2: adds names decision_id, which the decision service writes into every decision"},
        {"p:compute { id = 'x.b', uses = {}, adds = { 3 }, set = function() return {} end }",
         "compute x.b: adds[1] is not a field name"},
        /* Money is checked with its currency beside it: never a field alone. */
        {"p:compute { id = 'x.m', uses = {}, adds = { 'amount' }, set = function() return {} end }",
         "compute x.m: adds names amount, which is money: money goes in an object beside its currency"},
        /* Products and actions are rules/accounts.lua's: a policy names
         * one it declares, and hears which there are. */
        {"policy { id = 'x.p', product = 'dynamics', action = 'cancel-subscription' }",
         "policy x.p: unknown product dynamics (declared: office365 or azure)"},
        {"policy { id = 'x.q', product = 'azure', action = 'cancel' }",
         "policy x.q: unknown action cancel (declared: cancel-subscription, close-account or reactivate-subscription)"},
        {"policy { id = 'x.r', product = 'microsoft365', action = 'reactivate-subscription' }",
         "policy x.r: microsoft365 is another name of office365: name the product office365"},
        /* What a query that does not write them never reads: checked as
         * they load, so that the verdict does not depend on --fields. */
        {"p:rule { id = 'x.because', uses = {}, decision = 'deny', because = 42 }",
         "rule x.because: because must be a string or a function, not a number"},
        {"p:compute { id = 'x.long', uses = {}, because = ('x'):rep(5000), set = function() return {} end }",
         "compute x.long: because is 5000 bytes; a reason is at most 4096"},
        /* Words with places name what the rule rests on, so that each
         * place has a value whenever the rule holds (engine/words.c). */
        {"p:rule { id = 'x.w1', uses = { 'close_roles' }, decision = 'deny', because = 'only {f.cancel_roles}' }",
         "rule x.w1: because says {f.cancel_roles}, which is not in its uses"},
        {"p:rule { id = 'x.w2', uses = {}, optional = { 'close_roles' }, decision = 'deny', because = '{f.close_roles}' }",
         "rule x.w2: because says {f.close_roles}, which is not in its uses (words name the facts the rule rests on; "
         "an optional one may be missing: use a function)"},
        {"p:rule { id = 'x.w3', uses = {}, decision = 'deny', because = '{a.assigned_licenses} licenses' }",
         "rule x.w3: because says {a.assigned_licenses}, which is not in its inputs"},
        {"p:compute { id = 'x.w4', uses = {}, because = 'on {a.date:or}', set = function() return {} end }",
         "compute x.w4: because says {a.date}, which is not in its inputs (a compute has no inputs: use a function)"},
        /* actor is an input a rule may name, but an object: no words say it. */
        {"p:rule { id = 'x.w5', uses = {}, inputs = { 'actor' }, decision = 'deny', because = 'by {a.actor}' }",
         "rule x.w5: because says {a.actor}, which is an object, which words cannot say (name a field in it, "
         "{a.actor.roles}, or use a function)"},
        /* required_roles = "fact": a fact the rule rests on. */
        {"p:rule { id = 'x.r1', uses = { 'close_roles' }, decision = 'deny', required_roles = 'cancel_roles' }",
         "rule x.r1: required_roles names fact cancel_roles, which is not in its uses"},
        {"p:rule { id = 'x.steps', uses = {}, decision = 'deny', steps_from = {} }",
         "rule x.steps: steps_from must be a procedure fact's name or a function, not a table"},
        {"p:compute { id = 'x.nul', uses = {}, adds = { 'a\\0b' }, set = function() return {} end }",
         "compute x.nul: adds[1] is not a field name"},
        {"policy { id = 'x.ch', product = 'office365', action = 'close-account', channels = 'portal' }",
         "policy channels must be a table"},
        /* A channel's steps are written only in full decisions: what
         * names them is checked as the scripts load, every fact declared. */
        {"policy { id = 'x.ch2', product = 'office365', action = 'reactivate-subscription', channels = { portal = 'nowhere' } }",
         "policy x.ch2: channel \"portal\" names \"nowhere\", which is no procedure fact"},
        {"policy { id = 'x.ch3', product = 'office365', action = 'reactivate-subscription', channels = { portal = 'cancel_roles' } }",
         "policy x.ch3: channel \"portal\" names \"cancel_roles\", which is no procedure fact"},
        {"policy { id = 'x.ch4', product = 'office365', action = 'reactivate-subscription', channels = { 'portal_procedure' } }",
         "policy x.ch4: channel a number names \"portal_procedure\", which is no procedure fact"},
        {"p:rule { id = 'x.role', uses = {}, decision = 'deny', required_roles = { 'king' } }",
         "rule x.role: required_roles[1] is \"king\", not one of account_admin, service_admin, owner"},
        /* Declarations of accounts, each wrong in its own way. */
        {"product 'x' { fields = { { 'a', 'number' } } }",
         "product \"x\": field a: kind must be text, date, count, true or false, money, currency or one of, not number"},
        {"product 'y' { fields = { { 'fee', 'money' } } }",
         "product \"y\": field fee: money needs currency = "},
        {"product 'y2' { fields = { { 'kind', 'one of' } } }",
         "product \"y2\": field kind: one of needs the list of values"},
        {"product 'v' { fields = { { 'locale', 'text' } } }",
         "product \"v\": field locale is every account's own"},
        {"product 'azure' {}", "product azure is already declared at "},
        {"product 'z' { fields = { { 'a..b', 'text' } } }", "field a..b is not a dotted path of names"},
        {"product 'm' { fields = { { 'fee', 'money', currency = 'cur' }, { 'cur', 'text' } } }",
         "field fee: its currency cur must be of kind currency"},
        {"product 'n' { fields = { { 'a', 'text' }, { 'b', 'date', after = 'a' } } }",
         "field b must follow a, which is not a date"},
        {"product 'w' { fields = { { 'subscription.type', 'text' } } }",
         "field subscription.type is declared otherwise by another product: a field has one kind"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char rules[256];
        dr_error err;
        assert_int_not_equal(engine_with_line(dir, DR_TOP "/rules", "office365-cancel.lua", bad[i].decl, rules,
                                              sizeof rules, &err),
                             DR_OK);
        if (!strstr(err.message, bad[i].says) || !strstr(err.file, "office365-cancel.lua"))
            fail_msg("%s: %s: %s", bad[i].decl, err.file, err.message);
        /* The author's place, once; not the rule language's frames. */
        assert_null(strstr(err.message, "prelude"));
        assert_null(strstr(err.message, "traceback"));
    }
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

/* What a rule or compute returns is checked against the contract before
 * it is written (engine/output.c): each wrong output is an error decision
 * naming the script line that produced it, with no traceback of the rule
 * language's own frames; a fixed list is checked when the rule loads. */
static void wrong_rule_output_is_an_error_at_its_line(void **state) {
    (void)state;
    static const struct { const char *id; int line; const char *says; } wrong[] = {
        {"channels", 7, "rule t.channels-string: channels must be a list, not a string"},
        {"onlin", 9, "rule t.channel-unknown: channels[1] is \"onlin\", not one of portal, account_center, online, support"},
        {"because", 11, "rule t.because-number: because gave a number, not a string"},
        {"remedy", 13, "rule t.remedy-unknown: remedies[1] has id remove_user, not one of"},
        {"count", 15, "rule t.count-negative: remedies[1].count is -3: a count is not negative"},
        {"role", 17, "rule t.role-unknown: required_roles[1] is \"admin\""},
        {"float", 24, "compute t.money-float: refund.amount is a number: money is a decimal string"},
        {"digits", 26, "compute t.money-digits: refund.amount is \"1.505\", not an amount in USD"},
        {"overwrite", 28, "compute t.overwrite-id: set may not set id"},
        {"string", 30, "compute t.not-a-table: set returned a string, not a table of fields"},
        {"date", 32, "compute t.bad-date: data_retention.delete_after is \"2017-13-01\", not a date"},
        {"refnud", 34, "compute t.undeclared: set returned refnud, which is not a decision field: "
                       "declare a new one in adds = { \"refnud\" }"},
        {"bomb", 40, "compute t.shared-bomb: extra[1][1][1][1][1][17][16][2] holds more than 10000 values"},
        {"text", 46, "compute t.long-text: note[3] holds more than 1048576 bytes of text"},
        {"two", 51, "compute t.field-b: note_b makes the decision hold more than 1048576 bytes of text"},
        {"wide", 62, "compute t.wide: wide has more than 64 names: no decision object is that big"},
        {"cur", 66, "compute t.currency-index: refund.amount is money without a currency beside it"},
        {"listname", 72, "compute t.list-with-name: remaining must be a list: it has the name \"why\""},
        {"mixed", 74, "compute t.mixed: note has both list positions and names"},
        {"holes", 76, "compute t.holes: note has 2 entries up to position 3: a list has no holes"},
        {"zero", 78, "compute t.zero: note has position 0: a list counts from 1"},
        {"fields", 83, "compute t.many-fields: set makes the decision hold more than 64 fields of its computes' own"},
        {"again", 89, "compute t.again12: big[989] makes the decision's checks see more than 100000 values"},
        {"remname", 92, "compute t.remedies-name: remedies must be a list: it has the name \"x\""},
        {"nul", 94, "compute t.nul-name: note has a name with a NUL byte in it"},
        {"nulfield", 98, "compute t.nul-field: set returned a field name with a NUL byte in it"},
        {"nulvalue", 101, "compute t.nul-value: refund.currency holds a NUL byte: no text of a decision does"},
        {"ids", 104, "compute t.many-ids: reactivation.channels[9999] holds more than 10000 values"},
        {"refundnum", 110, "compute t.refund-number: refund must be an object { ... }, not a number"},
        {"utf8", 113, "compute t.not-utf8: note has a name that is not UTF-8 text"},
        {"countfrac", 116, "compute t.count-fraction: data_retention.days is 0.5, a fraction: a count is whole"},
        {"plainfrac", 118, "compute t.plain-fraction: note.x1 is 0.5, a fraction: a decision's numbers are whole"},
        {"datenum", 120, "compute t.date-number: data_retention.delete_after is 20170101, a number: a date is text"},
        {"floatwhole", 124, "compute t.float-whole: data_retention.days is 30.0, a float: a decision's numbers are integers"},
        {"huge", 126, "compute t.huge: note.x is inf, which is no number a decision can hold"},
        {"curnum", 122, "compute t.currency-number: refund.currency is 840, a number: a currency is its ISO 4217 code"},
        {"refundlist", 129, "compute t.refund-list: refund must be an object { ... }, not a list"},
        {"refundempty", 131, "compute t.refund-empty: refund is empty: an object that does not apply is left out"},
        {"stepsobj", 133, "compute t.steps-object: steps must be a list: it has the name \"a\""},
        {"negmoney", 138, "compute t.money-negative: refund.amount is \"-5.00\": an amount a decision gives is not negative"},
        {"negzero", 142, "compute t.money-minus-zero: refund.amount is \"-0.00\": an amount a decision gives is not negative"},
        {"hugecount", 140, "compute t.count-huge: data_retention.days is 9223372036854775807, past 2^53"},
        {"steptext", 135, "compute t.step-no-text: steps[1] must be a step { text = \"...\", ... }: it has no text"},
    };
    dr_engine *e = engine_over(DR_TOP "/tests/fixtures/rules-output", DR_TOP "/corpus", 0);
    for (size_t i = 0; i < sizeof wrong / sizeof *wrong; i++) {
        char acct[128], want[300];
        snprintf(acct, sizeof acct, "{\"id\":\"%s\",\"product\":\"office365\"}", wrong[i].id);
        char *out = decide(e, acct, NULL, NULL, NULL);
        snprintf(want, sizeof want, "wrong-output.lua:%d: %s", wrong[i].line, wrong[i].says);
        json_t *d = json_loads(out, 0, NULL);
        const char *error = json_string_value(json_object_get(d, "error"));
        if (!error || !strstr(error, want) || json_object_get(d, "traceback") ||
            strcmp(json_string_value(json_object_get(d, "decision")), "error") != 0)
            fail_msg("%s: want %s in %s", wrong[i].id, want, out);
        /* The same error under a trace, where the conditions run on
         * watching proxies. */
        dr_query q = {.explain = 1};
        char *traced = NULL;
        dr_error err;
        dr_error_clear(&err);
        assert_int_equal(dr_engine_decide(e, acct, strlen(acct), &q, &traced, &err), DR_OK);
        json_t *t = json_loads(traced, 0, NULL);
        const char *terror = json_string_value(json_object_get(t, "error"));
        if (!terror || strcmp(terror, error) != 0) fail_msg("%s: %s, under --explain %s", wrong[i].id, out, traced);
        json_decref(t);
        free(traced);
        /* And when only the verdict is asked (--fields): the decision does
         * not depend on the fields asked. */
        char *brief = decide(e, acct, NULL, NULL, "id,decision");
        json_t *b = json_loads(brief, 0, NULL);
        const char *berror = json_string_value(json_object_get(b, "error"));
        if (!berror || strcmp(berror, error) != 0 ||
            strcmp(json_string_value(json_object_get(b, "decision")), "error") != 0)
            fail_msg("%s: %s, with --fields id,decision %s", wrong[i].id, out, brief);
        json_decref(b);
        free(brief);
        json_decref(d);
        free(out);
    }
    /* A fixed list of remedies, checked at load, is the decision's. */
    char *out = decide(e, "{\"id\":\"fixed\",\"product\":\"office365\"}", NULL, NULL, NULL);
    assert_non_null(strstr(out, "\"decision\":\"blocked\""));
    assert_non_null(strstr(out, "\"remedies\":[{\"id\":\"contact_support\"}]"));
    free(out);
    /* A field the compute declares in adds is the decision's. */
    out = decide(e, "{\"id\":\"added\",\"product\":\"office365\"}", NULL, NULL, NULL);
    assert_non_null(strstr(out, "\"credit_note\":\"CN-1\""));
    assert_null(strstr(out, "\"error\""));
    free(out);
    /* A table is written as it was checked: a later compute that changes
     * it (a float for money, a table for the currency) changes nothing. */
    out = decide(e, "{\"id\":\"later\",\"product\":\"office365\"}", NULL, NULL, NULL);
    if (!strstr(out, "\"refund\":{\"amount\":\"1.50\",\"currency\":\"USD\"}") || strstr(out, "\"error\""))
        fail_msg("a table changed after its check: %s", out);
    free(out);
    out = decide(e, "{\"id\":\"later\",\"product\":\"office365\"}", NULL, NULL, "id,refund");
    if (strcmp(out, "{\"id\":\"later\",\"refund\":{\"amount\":\"1.50\",\"currency\":\"USD\"}}") != 0)
        fail_msg("with --fields id,refund: %s", out);
    free(out);
    /* The right one decides. */
    out = decide(e, "{\"id\":\"ok\",\"product\":\"office365\"}", NULL, NULL, NULL);
    assert_non_null(strstr(out, "\"decision\":\"allow\",\"channels\":[\"online\"]"));
    free(out);
    dr_engine_free(e);
    /* A policy with no compute is decided by engine/lean.c when only the
     * verdict is asked: a because that fails is an error there too. */
    char dir[200], cmd[2048], rules[256];
    e = engine_with_script(dir, sizeof dir, "lean",
                           T_POLICY
                           "p:rule { id = \"t.because-number\", uses = {}, when = function(a) return a.id == \"because\" end,\n"
                           "  decision = \"deny\", because = function() return 42 end }\n"
                           "p:rule { id = \"t.because-long\", uses = {}, when = function(a) return a.id == \"long\" end,\n"
                           "  decision = \"deny\", because = function() return (\"x\"):rep(5000) end }\n"
                           "p:rule { id = \"t.because-nil\", uses = {}, when = function(a) return a.id == \"nil\" end,\n"
                           "  decision = \"deny\", because = function() end }\n"
                           "p:rule { id = \"t.fine\", uses = {}, decision = \"allow\", channels = { \"online\" } }\n");
    for (int round = 0; round < 2; round++) { /* the second from the plan's cache */
        char *lean = decide(e, "{\"id\":\"because\",\"product\":\"office365\"}", NULL, NULL, "id,decision");
        if (!strstr(lean, "\"decision\":\"error\",\"error\":\"") ||
            !strstr(lean, "t.lua:2: rule t.because-number: because gave a number, not a string"))
            fail_msg("round %d: %s", round, lean);
        free(lean);
        lean = decide(e, "{\"id\":\"long\",\"product\":\"office365\"}", NULL, NULL, round ? NULL : "id,decision");
        if (!strstr(lean, "t.lua:4: rule t.because-long: because gave 5000 bytes; a reason is at most 4096"))
            fail_msg("round %d: %s", round, lean);
        free(lean);
        /* A function's nil is a return forgotten, not a reason with no
         * words (a rule that has none leaves because out). */
        lean = decide(e, "{\"id\":\"nil\",\"product\":\"office365\"}", NULL, NULL, round ? NULL : "id,decision");
        if (!strstr(lean, "t.lua:6: rule t.because-nil: because gave nil, not a string"))
            fail_msg("round %d: %s", round, lean);
        free(lean);
        lean = decide(e, "{\"id\":\"b\",\"product\":\"office365\"}", NULL, NULL, "id,decision");
        assert_string_equal(lean, "{\"id\":\"b\",\"decision\":\"allow\"}");
        free(lean);
    }
    dr_engine_free(e);
    assert_int_equal(sh("rm -rf '%s'", dir), 0);
    /* What a rule's function returned, changed by a compute after its
     * check, is written as it was checked. */
    e = engine_with_script(dir, sizeof dir, "kept",
                           T_POLICY
                           "local kept\n"
                           "p:rule { id = \"t.remedies\", uses = {}, decision = \"blocked\",\n"
                           "  remedies = function() kept = { { id = \"remove_users\", count = 2 } } return kept end }\n"
                           "p:compute { id = \"t.later\", uses = {},\n"
                           "  set = function() kept[1].count = -1 kept[1].id = \"nope\" kept[2] = 7 return {} end }\n");
    char *kept = decide(e, "{\"id\":\"k\",\"product\":\"office365\"}", NULL, NULL, NULL);
    if (!strstr(kept, "\"decision\":\"blocked\"") ||
        !strstr(kept, "\"remedies\":[{\"id\":\"remove_users\",\"count\":2}]"))
        fail_msg("a rule's remedies changed by a compute: %s", kept);
    free(kept);
    dr_engine_free(e);
    assert_int_equal(sh("rm -rf '%s'", dir), 0);
    /* What steps_from names is checked whatever the query asks, at the
     * rule's line, fixed or given by a function; and the first channel's
     * steps are looked for in the checked list read raw: an __index there
     * would run after the check, and could give a channel the decision
     * does not list. */
    e = engine_with_script(dir, sizeof dir, "steps",
                           T_POLICY
                           "p:rule { id = \"t.steps-fn\", uses = {}, when = function(a) return a.id == \"fn\" end,\n"
                           "  decision = \"allow\", channels = { \"online\" }, steps_from = function() return \"no_such_fact\" end }\n"
                           "p:rule { id = \"t.steps-fixed\", uses = {}, when = function(a) return a.id == \"fixed\" end,\n"
                           "  decision = \"allow\", channels = { \"online\" }, steps_from = \"no_such_fact\" }\n"
                           "p:rule { id = \"t.steps-number\", uses = {}, when = function(a) return a.id == \"number\" end,\n"
                           "  decision = \"allow\", steps_from = function() return 0/0 end }\n"
                           "p:rule { id = \"t.index\", uses = {}, decision = \"allow\",\n"
                           "  channels = function() return setmetatable({}, { __index = function() error(\"boom\") end }) end }\n");
    static const struct { const char *id, *says; } steps[] = {
        {"fn", "t.lua:2: rule t.steps-fn: steps_from gave \\\"no_such_fact\\\", which is not a procedure fact"},
        {"fixed", "t.lua:4: rule t.steps-fixed: steps_from gave \\\"no_such_fact\\\", which is not a procedure fact"},
        {"number", "t.lua:6: rule t.steps-number: steps_from gave a number, not the name of a procedure fact"},
    };
    for (size_t i = 0; i < sizeof steps / sizeof *steps; i++) {
        char acct[128];
        snprintf(acct, sizeof acct, "{\"id\":\"%s\",\"product\":\"office365\"}", steps[i].id);
        for (int brief = 0; brief < 2; brief++) {
            char *got = decide(e, acct, NULL, NULL, brief ? "id,decision,channels" : NULL);
            if (!strstr(got, "\"decision\":\"error\"") || !strstr(got, steps[i].says))
                fail_msg("%s, brief %d: %s", steps[i].id, brief, got);
            free(got);
        }
    }
    for (int brief = 0; brief < 2; brief++) {
        char *got = decide(e, "{\"id\":\"i\",\"product\":\"office365\"}", NULL, NULL, brief ? "id,decision,channels" : NULL);
        if (!strstr(got, "\"decision\":\"allow\",\"channels\":[]") || strstr(got, "boom") || strstr(got, "\"steps\""))
            fail_msg("channels with an __index, brief %d: %s", brief, got);
        free(got);
    }
    dr_engine_free(e);
    assert_int_equal(sh("rm -rf '%s'", dir), 0);
    /* A rule that writes to the account does not change what the decision
     * says of it: the id, the action and the language asked are the
     * account's as it came, in an error decision too. */
    e = engine_with_script(dir, sizeof dir, "forge",
                           T_POLICY
                           "p:rule { id = \"t.forge\", uses = {}, decision = \"allow\", channels = { \"online\" },\n"
                           "  when = function(a) local was = a.id a.id = \"forged\" a.action = \"close-account\"\n"
                           "    a.locale = \"zz-zz\" if was == \"err\" then error(\"boom\") end return true end }\n");
    for (int brief = 0; brief < 2; brief++) {
        const char *fields = brief ? "id,decision,action,locale_used" : NULL;
        char *got = decide(e, "{\"id\":\"err\",\"product\":\"office365\"}", NULL, NULL, fields);
        if (!strstr(got, "{\"id\":\"err\",\"action\":\"cancel-subscription\",\"decision\":\"error\"") ||
            !strstr(got, "boom") || !strstr(got, "\"locale_used\":\"en-us\"") || strstr(got, "forged") || strstr(got, "zz"))
            fail_msg("an error decision after a rule wrote to the account, brief %d: %s", brief, got);
        free(got);
        got = decide(e, "{\"id\":\"ok\",\"product\":\"office365\"}", NULL, NULL, fields);
        if (!strstr(got, "{\"id\":\"ok\",") || !strstr(got, "\"decision\":\"allow\"") ||
            !strstr(got, "\"locale_used\":\"en-us\"") || strstr(got, "forged") || strstr(got, "zz"))
            fail_msg("a decision after a rule wrote to the account, brief %d: %s", brief, got);
        free(got);
    }
    dr_engine_free(e);
    assert_int_equal(sh("rm -rf '%s'", dir), 0);
    /* Of several wrong fields a compute sets, the message names the same
     * one in every process: Lua seeds its string hashes anew in each, and
     * the fields were checked in its table order (five different messages
     * in six runs). */
    e = engine_with_script(dir, sizeof dir, "order",
                           T_POLICY
                           "p:rule { id = \"t.names\", uses = {}, when = function(a) return a.id == \"b\" end, decision = \"allow\",\n"
                           "  channels = function() return { foo = 1, bar = 2, baz = 3, [true] = 1, [0] = 2 } end }\n"
                           "p:rule { id = \"t.fine\", uses = {}, decision = \"allow\", channels = { \"online\" } }\n"
                           "p:compute { id = \"t.wrong\", uses = {}, adds = { \"x1\", \"x2\" }, when = function(a) return a.id == \"a\" end, set = function() return {\n"
                           "  refund = { amount = 1.5, currency = \"USD\" }, support_plan = { monthly_fee = 2.5, currency = \"USD\" },\n"
                           "  x1 = 0.5, x2 = 0.25, data_retention = { days = -1 } } end }\n"
                           "p:compute { id = \"t.keys\", uses = {}, adds = { \"note\" }, when = function(a) return a.id == \"c\" end,\n"
                           "  set = function() return { note = { x = 1, y = 2, [1] = 1, [true] = 1, [2.5] = 1 } } end }\n");
    dr_engine_free(e);
    assert_int_equal(sh("for i in 1 2 3 4 5 6 7 8; do printf '%%s\\n' '{\"id\":\"a\",\"product\":\"office365\"}' "
                        "'{\"id\":\"b\",\"product\":\"office365\"}' '{\"id\":\"c\",\"product\":\"office365\"}' | "
                        "'%s/docrules' batch --no-cache --rules '%s' --corpus '%s/corpus'; done | sort -u > '%s/out'",
                        DR_BUILD, dir, DR_TOP, dir), 0);
    assert_int_equal(sh("test $(wc -l < '%s/out') -eq 3 && grep -q 't.lua:5: compute t.wrong: data_retention.days is -1' '%s/out' && "
                        "grep -q 't.lua:2: rule t.names: channels must be a list: it has the name .\"bar.\"' '%s/out' && "
                        "grep -q 't.lua:8: compute t.keys: note has a boolean key: only names and list positions' '%s/out'",
                        dir, dir, dir, dir), 0);
    assert_int_equal(sh("rm -rf '%s'", dir), 0);
    /* A fixed list: at load. */
    scratch_mkdtemp(dir, sizeof dir, "out");
    snprintf(cmd, sizeof cmd, "printf 'local p = policy { id = \"u\", product = \"azure\", action = \"close-account\" }\\n"
             "p:rule { id = \"u.x\", uses = {}, decision = \"allow\", channels = { \"portl\" } }\\n' > '%s/x.lua'", dir);
    assert_int_equal(system(cmd), 0);
    snprintf(rules, sizeof rules, "%s", dir);
    const char *c[1] = {DR_TOP "/corpus"};
    dr_engine_opts o = {rules, c, 1, 0, 0, "2026-01-01", NULL};
    dr_error err;
    dr_error_clear(&err);
    e = NULL;
    assert_int_not_equal(dr_engine_new(&o, &e, &err), DR_OK);
    assert_int_equal(err.line, 2);
    if (!strstr(err.message, "rule u.x: channels[1] is \"portl\"")) fail_msg("%s", err.message);
    /* A fixed list with a name in it would be written as an object of
     * that name alone: refused as it loads. */
    snprintf(cmd, sizeof cmd, "printf 'local p = policy { id = \"u\", product = \"azure\", action = \"close-account\" }\\n"
             "p:rule { id = \"u.x\", uses = {}, decision = \"allow\", channels = { \"portal\", fee = 1.5 } }\\n' > '%s/x.lua'", dir);
    assert_int_equal(system(cmd), 0);
    dr_error_clear(&err);
    e = NULL;
    assert_int_not_equal(dr_engine_new(&o, &e, &err), DR_OK);
    assert_int_equal(err.line, 2);
    if (!strstr(err.message, "rule u.x: channels must be a list: it has the name \"fee\"")) fail_msg("%s", err.message);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

/* A weak table is refused at the rule's line, whatever fields are asked:
 * the collector clears a chain of weak keys one link a pass, in work that
 * grows with the square of the chain and runs inside an allocation, out
 * of the budget's and the clock's reach (a chain of 55,000 held one
 * decision 12.5 s). Weak tables once reached the checks, where a
 * collection set off in the middle emptied entries between their walk
 * and their check; none can now. */
/* An engine over the bundled corpus and facts (rules/facts), with a
 * policy t of its own (script) and accounts that have assigned_licenses
 * and a note. */
static dr_engine *engine_with_facts(char *dir, size_t size, const char *name, const char *script) {
    scratch_mkdtemp(dir, size, name);
    assert_int_equal(sh("cp -r '%s/rules/facts' '%s/'", DR_TOP, dir), 0);
    assert_int_equal(sh("printf '%%s\\n' 'actions { \"cancel-subscription\" }' 'roles { \"global_admin\", \"billing_admin\" }' "
                        "'product \"office365\" { fields = { { \"assigned_licenses\", \"count\" }, { \"note\", \"text\" } } }' "
                        "> '%s/accounts.lua'", dir), 0);
    return engine_over_script(dir, script);
}

/* because = "{a.assigned_licenses} ... {f.online_cancel_max_licenses}":
 * the places filled from the account and the rule's facts, in C
 * (engine/words.c), in the words a function would have made; what no
 * words can say is an error at the rule's line whatever the query asks. */
static void words_with_places_are_filled(void **state) {
    (void)state;
    char dir[200];
    dr_engine *e = engine_with_facts(dir, sizeof dir, "words",
                                     T_POLICY
                      "local function is(id) return function(a) return a.id == id end end\n"
                      "p:rule { id = \"t.words\", uses = { \"online_cancel_max_licenses\", \"close_roles\" },\n"
                      "  inputs = { \"assigned_licenses\" }, when = is(\"w\"), decision = \"allow\",\n"
                      "  because = \"{a.assigned_licenses} of {f.online_cancel_max_licenses}: {f.close_roles:or}; \" ..\n"
                      "            \"{f.close_roles} {x} {a.} {f.a.b} {a.assigned_licenses:} {\" }\n"
                      "p:rule { id = \"t.long\", uses = {}, inputs = { \"note\" }, when = is(\"long\"),\n"
                      "  decision = \"deny\", because = \"the note: {a.note}\" }\n"
                      "p:rule { id = \"t.longf\", uses = { \"close_roles\" }, when = is(\"longf\"),\n"
                      "  decision = \"deny\", because = (\"{f.close_roles} \"):rep(200) }\n"
                      "p:rule { id = \"t.fine\", uses = { \"data_retention_days\" }, decision = \"deny\",\n"
                      "  because = \"kept {f.data_retention_days} days\" }\n"
                      /* The same words as a function makes them: compared below. */
                      "p:compute { id = \"t.same\", uses = { \"online_cancel_max_licenses\", \"close_roles\" },\n"
                      "  set = function() return {} end,\n"
                      "  because = function(a, f)\n"
                      "    return a.assigned_licenses .. \" of \" .. f.online_cancel_max_licenses .. \": \" ..\n"
                      "      table.concat(f.close_roles, \" or \") .. \"; \" .. table.concat(f.close_roles, \", \") ..\n"
                      "      \" {x} {a.} {f.a.b} {a.assigned_licenses:} {\"\n"
                      "  end }\n");
    for (int round = 0; round < 2; round++) { /* the second with the reasons kept */
        char acct[100];
        snprintf(acct, sizeof acct, "{\"id\":\"w\",\"product\":\"office365\",\"assigned_licenses\":%d}", 30 + round);
        char *out = decide(e, acct, NULL, NULL, NULL);
        json_t *d = json_loads(out, 0, NULL);
        json_t *reasons = json_object_get(d, "reasons");
        const char *m0 = json_string_value(json_object_get(json_array_get(reasons, 0), "message"));
        const char *m1 = json_string_value(json_object_get(json_array_get(reasons, 1), "message"));
        char want[32];
        snprintf(want, sizeof want, "%d of ", 30 + round);
        if (!m0 || !m1 || strcmp(m0, m1) != 0 || strncmp(m0, want, strlen(want)) != 0 || !strstr(m0, " or "))
            fail_msg("round %d: %s", round, out);
        json_decref(d);
        free(out);
        /* Words from the facts alone are the same for every account. */
        out = decide(e, "{\"id\":\"f\",\"product\":\"office365\",\"assigned_licenses\":1,\"note\":\"n\"}", NULL, NULL, NULL);
        if (!strstr(out, "\"message\":\"kept 90 days\"")) fail_msg("round %d: %s", round, out);
        free(out);
        /* More than a reason holds: an error at the rule's line, however
         * the decision is asked for. */
        char big[6000];
        int n = snprintf(big, sizeof big, "{\"id\":\"long\",\"product\":\"office365\",\"assigned_licenses\":1,\"note\":\"");
        memset(big + n, 'x', 5000);
        snprintf(big + n + 5000, sizeof big - (size_t)n - 5000, "\"}");
        const char *fields[] = {NULL, "id,decision"};
        for (int k = 0; k < 2; k++) {
            out = decide(e, big, NULL, NULL, fields[k]);
            if (!error_saying(out, "t.lua:7: rule t.long: because's words come to more than 4096 bytes"))
                fail_msg("round %d, fields %s: %.300s", round, fields[k] ? fields[k] : "(all)", out);
            free(out);
            /* Words from the facts alone that no reason can hold: never a
             * fixed verdict that would pass over them. */
            out = decide(e, "{\"id\":\"longf\",\"product\":\"office365\",\"assigned_licenses\":1,\"note\":\"n\"}",
                         NULL, NULL, fields[k]);
            if (!error_saying(out, "t.lua:9: rule t.longf: because's words come to more than 4096 bytes"))
                fail_msg("round %d, fields %s: %.300s", round, fields[k] ? fields[k] : "(all)", out);
            free(out);
        }
    }
    dr_engine_free(e);
    assert_int_equal(sh("rm -rf '%s'", dir), 0);
}

/* Words from the facts alone are said once per day and language, then
 * handed out with the reason kept for that context (decide.c's
 * kept_reason). Over two English versions whose retention differs (the
 * 2018 one edited to 30 days here) and two languages asked for,
 * interleaved, each decision's words are its own context's, as a function
 * making the same words each time says them. */
static void kept_words_follow_the_context(void **state) {
    (void)state;
    char dir[200], rules[300], corpus[300];
    scratch_mkdtemp(dir, sizeof dir, "kept");
    snprintf(rules, sizeof rules, "%s/rules", dir);
    snprintf(corpus, sizeof corpus, "%s/corpus", dir);
    assert_int_equal(sh("mkdir -p '%s/azure' '%s' && cp -r '%s/rules/facts' '%s/'", corpus, rules, DR_TOP, rules), 0);
    assert_int_equal(sh("cp '%s/corpus/azure/cancel-subscription.en-us.2019-05-30.md' '%s/azure/' && "
                        "sed 's/We wait 90 days/We wait 30 days/' '%s/corpus/azure/cancel-subscription.en-us.2018-07-18.md' "
                        "> '%s/azure/cancel-subscription.en-us.2018-07-18.md'", DR_TOP, corpus, DR_TOP, corpus), 0);
    assert_int_equal(sh("printf '%%s\\n' 'actions { \"cancel-subscription\" }' 'roles { \"account_admin\" }' "
                        "'product \"azure\" { fields = { { \"note\", \"text\" } } }' > '%s/accounts.lua'", rules), 0);
    dr_engine *e = engine_over_script_in(rules, corpus, "local p = policy { id = \"t\", product = \"azure\", action = \"cancel-subscription\" }\n"
        "p:rule { id = \"t.kept\", uses = { \"data_retention_days\" }, decision = \"allow\",\n"
        "  because = \"kept {f.data_retention_days} days\" }\n"
        "p:compute { id = \"t.kept-compute\", uses = { \"data_retention_days\" }, set = function() return {} end,\n"
        "  because = \"{f.data_retention_days} days, then deleted\" }\n"
        "p:compute { id = \"t.truth\", uses = { \"data_retention_days\" }, set = function() return {} end,\n"
        "  because = function(a, f)\n"
        "    return \"kept \" .. f.data_retention_days .. \" days; \" .. f.data_retention_days .. \" days, then deleted\"\n"
        "  end }\n"
        /* 3,960 bytes of words, some 9,000 once the list is in them */
        "p:compute { id = \"t.long\", uses = { \"services_disabled\" }, set = function() return {} end,\n"
        "  when = function(a) return a.id == \"long\" end, because = (\"{f.services_disabled} \"):rep(180) }\n");
    const char *days[] = {"2018-12-01", "2021-06-01"}, *langs[] = {"en-us", "fr-fr"};
    char first[2][300] = {"", ""};
    for (int round = 0; round < 3; round++)
        for (int k = 0; k < 4; k++) {
            char *out = decide(e, "{\"id\":\"k\",\"product\":\"azure\"}", days[k % 2], langs[k / 2], NULL);
            json_t *d = json_loads(out, 0, NULL);
            json_t *reasons = json_object_get(d, "reasons");
            const char *m[3];
            for (int i = 0; i < 3; i++)
                m[i] = json_string_value(json_object_get(json_array_get(reasons, (size_t)i), "message"));
            char joined[300];
            snprintf(joined, sizeof joined, "%s; %s", m[0] ? m[0] : "", m[1] ? m[1] : "");
            if (!m[0] || !m[1] || !m[2] || strcmp(joined, m[2]) != 0)
                fail_msg("round %d, %s %s: %s", round, days[k % 2], langs[k / 2], out);
            if (!first[k % 2][0]) snprintf(first[k % 2], sizeof first[k % 2], "%s", m[2]);
            json_decref(d);
            free(out);
        }
    /* (the two days' words differ: otherwise the check above shows nothing) */
    if (strcmp(first[0], "kept 30 days; 30 days, then deleted") != 0 || strcmp(first[1], "kept 90 days; 90 days, then deleted") != 0)
        fail_msg("the days' words: \"%s\", \"%s\"", first[0], first[1]);
    /* Words that cannot be said fail every decision the compute holds in,
     * reasons asked or not: only words said without error are not said
     * again (decide.c's give_reason, C_SAID). */
    const char *fields[] = {"id,decision", "id,decision", NULL};
    for (int round = 0; round < 6; round++) {
        char *out = decide(e, "{\"id\":\"long\",\"product\":\"azure\"}", days[round / 3], "en-us", fields[round % 3]);
        if (!error_saying(out, "t.lua:10: compute t.long: because's words come to more than 4096 bytes"))
            fail_msg("round %d: %.300s", round, out);
        free(out);
    }
    dr_engine_free(e);
    assert_int_equal(sh("rm -rf '%s'", dir), 0);
}

/* required_roles = "close_roles": the roles that fact lists under the
 * day and language, as the function returning f.close_roles gives them,
 * in full decisions, --fields and --explain alike; a fact that lists no
 * roles is an error at the rule's line however the decision is asked for. */
static void required_roles_from_a_fact(void **state) {
    (void)state;
    char dir[200];
    dr_engine *e = engine_with_facts(dir, sizeof dir, "roles",
                                     T_POLICY
                                     "local function is(id) return function(a) return a.id == id end end\n"
                                     "p:rule { id = \"t.named\", uses = { \"close_roles\" }, when = is(\"n\"),\n"
                                     "  decision = \"deny\", required_roles = \"close_roles\" }\n"
                                     "p:rule { id = \"t.fn\", uses = { \"close_roles\" }, when = is(\"f\"),\n"
                                     "  decision = \"deny\", required_roles = function(a, f) return f.close_roles end }\n"
                                     "p:rule { id = \"t.number\", uses = { \"online_cancel_max_licenses\" }, when = is(\"x\"),\n"
                                     "  decision = \"deny\", required_roles = \"online_cancel_max_licenses\" }\n"
                                     "p:rule { id = \"t.fine\", uses = {}, decision = \"allow\", channels = { \"online\" } }\n");
    const char *fields[] = {NULL, "id,decision,required_roles"};
    for (int round = 0; round < 2; round++) { /* the second from the plan's cache */
        for (int k = 0; k < 2; k++) {
            char *named = decide(e, "{\"id\":\"n\",\"product\":\"office365\"}", NULL, NULL, fields[k]);
            char *fn = decide(e, "{\"id\":\"f\",\"product\":\"office365\"}", NULL, NULL, fields[k]);
            const char *a = strstr(named, "\"required_roles\":["), *b = strstr(fn, "\"required_roles\":[");
            if (!a || !b || strncmp(a, b, strcspn(b, "]")) != 0 || !strstr(a, "global_admin"))
                fail_msg("round %d: %s against %s", round, named, fn);
            free(named);
            free(fn);
            char *bad = decide(e, "{\"id\":\"x\",\"product\":\"office365\"}", NULL, NULL, fields[k]);
            if (!error_saying(bad, "t.lua:7: rule t.number: required_roles must be a list, not a number"))
                fail_msg("round %d, fields %s: %s", round, fields[k] ? fields[k] : "(all)", bad);
            free(bad);
        }
        dr_query q = {.explain = 1};
        char *traced = NULL;
        dr_error err;
        dr_error_clear(&err);
        const char *acct = "{\"id\":\"n\",\"product\":\"office365\"}";
        assert_int_equal(dr_engine_decide(e, acct, strlen(acct), &q, &traced, &err), DR_OK);
        if (!strstr(traced, "\"required_roles\":[\"global_admin\"") && !strstr(traced, "\"required_roles\":[\"billing_admin\""))
            fail_msg("under --explain: %s", traced);
        free(traced);
    }
    dr_engine_free(e);
    assert_int_equal(sh("rm -rf '%s'", dir), 0);
}

static void weak_tables_are_refused(void **state) {
    (void)state;
    char dir[200];
    dr_engine *e = engine_with_script(dir, sizeof dir, "weak",
                                      T_POLICY
                                      "p:rule { id = \"t.fine\", uses = {}, decision = \"allow\", channels = { \"online\" } }\n"
                                      "p:compute { id = \"t.weak\", uses = {}, adds = { \"ext\" },\n"
                                      "  set = function(a)\n"
                                      "    local t = setmetatable({}, { __mode = \"v\" })\n"
                                      "    return { ext = t }\n"
                                      "  end }\n");
    for (int brief = 0; brief < 2; brief++) {
        char *out = decide(e, "{\"id\":\"a\",\"product\":\"office365\"}", NULL, NULL, brief ? "id,decision" : NULL);
        if (!strstr(out, "\"decision\":\"error\"") || !strstr(out, "t.lua:5: __mode is not available to rule scripts"))
            fail_msg("%s: %.300s", brief ? "--fields id,decision" : "every field", out);
        free(out);
    }
    dr_engine_free(e);
    assert_int_equal(sh("rm -rf '%s'", dir), 0);
}

/* An --explain trace is words for a reader, bounded whatever a condition
 * reads: at most 64 values a condition, each string cut to 200 bytes on a
 * character's edge, and said so. Unbounded, a condition reading 600
 * strings of a megabyte made one decision 629 MB of JSON. */
static void an_explain_trace_is_bounded(void **state) {
    (void)state;
    char dir[200];
    dr_engine *e = engine_with_script(dir, sizeof dir, "explain",
                                      T_POLICY
                                      "p:rule { id = \"t.big\", uses = {}, decision = \"allow\", channels = { \"online\" },\n"
                                      "  when = function(a)\n"
                                      "    local s = (\"\xe2\x82\xac\"):rep(200)\n" /* 600 bytes of the euro sign */
                                      "    local c = {} c.c = c a.cycle = c\n" /* noted whole: never walked live */
                                      "    if a.cycle == nil then return false end\n"
                                      "    for i = 1, 100 do a[\"k\" .. i] = s end\n"
                                      "    local n = 0\n"
                                      "    for i = 1, 100 do n = n + #a[\"k\" .. i] end\n"
                                      "    return n > 0\n"
                                      "  end }\n");
    dr_query q = {.explain = 1};
    char *out = NULL;
    dr_error err;
    dr_error_clear(&err);
    const char *acct = "{\"id\":\"x\",\"product\":\"office365\"}";
    assert_int_equal(dr_engine_decide(e, acct, strlen(acct), &q, &out, &err), DR_OK);
    json_error_t jerr;
    json_t *d = json_loads(out, 0, &jerr); /* (jansson refuses text that is not UTF-8) */
    if (!d) fail_msg("%s: %.200s", jerr.text, out);
    assert_string_equal(json_string_value(json_object_get(d, "decision")), "allow");
    json_t *c = json_array_get(json_object_get(json_array_get(json_object_get(d, "explain"), 0), "conditions"), 0);
    json_t *compared = json_object_get(c, "compared");
    assert_int_equal(json_array_size(compared), 64); /* the cycle, then k1 to k63 */
    assert_true(json_is_true(json_object_get(c, "compared_truncated")));
    json_t *first = json_array_get(compared, 0);
    assert_string_equal(json_string_value(json_object_get(first, "path")), "cycle");
    first = json_array_get(compared, 1);
    assert_string_equal(json_string_value(json_object_get(first, "path")), "k1");
    /* 66 whole euro signs: 198 of the 200 bytes */
    assert_int_equal(strlen(json_string_value(json_object_get(first, "value"))), 198);
    assert_true(json_is_true(json_object_get(first, "truncated")));
    json_decref(d);
    free(out);
    dr_engine_free(e);
    assert_int_equal(sh("rm -rf '%s'", dir), 0);
    /* And bounded per decision: conditions that each read 64 tables of 64
     * entries (4,160 values each, per condition within its bound) share
     * the decision's 4,096 values; the later ones say what they left out. */
    e = engine_with_script(dir, sizeof dir, "explain2",
                           T_POLICY
                           "local conds = { { \"tables\", function(a)\n"
                           "  a.t = {} for i = 1, 64 do a.t[i] = {} for j = 1, 64 do a.t[i][j] = j end end\n"
                           "  return true end } }\n"
                           "for c = 2, 4 do conds[c] = { \"reads \" .. c, function(a)\n"
                           "  local n = 0 for i = 1, 64 do if a.t[i] ~= nil then n = n + 1 end end\n"
                           "  return n == 64 end } end\n"
                           "p:rule { id = \"t.many\", uses = {}, decision = \"allow\", channels = { \"online\" },\n"
                           "  when = conds }\n");
    assert_int_equal(dr_engine_decide(e, acct, strlen(acct), &q, &out, &err), DR_OK);
    d = json_loads(out, 0, &jerr);
    if (!d) fail_msg("%s: %.200s", jerr.text, out);
    assert_string_equal(json_string_value(json_object_get(d, "decision")), "allow");
    json_t *conds = json_object_get(json_array_get(json_object_get(d, "explain"), 0), "conditions");
    assert_int_equal(json_array_size(conds), 4);
    size_t values = 0;
    for (size_t k = 0; k < json_array_size(conds); k++) {
        json_t *cmp = json_object_get(json_array_get(conds, k), "compared");
        for (size_t i = 0; i < json_array_size(cmp); i++) {
            json_t *v = json_object_get(json_array_get(cmp, i), "value");
            values += 1 + (json_is_array(v) ? json_array_size(v) : json_is_object(v) ? json_object_size(v) : 0);
        }
    }
    assert_true(values <= 4096);
    assert_true(values > 4000); /* the bound, not less, was spent */
    json_t *second = json_array_get(conds, 1);
    /* t[1] to t[63]: t itself, read into, took the 64th place and is not listed */
    assert_int_equal(json_array_size(json_object_get(second, "compared")), 63);
    json_t *last = json_array_get(conds, 3);
    assert_true(json_is_true(json_object_get(last, "compared_truncated")));
    assert_true(json_is_true(json_object_get(last, "held")));
    json_decref(d);
    free(out);
    dr_engine_free(e);
    assert_int_equal(sh("rm -rf '%s'", dir), 0);
}

/* What the budget charges beyond instructions (bytes allocated, string
 * ranges walked) leaves legitimate work alone at the default budget: a
 * script that builds a table of 100,000 entries as it loads, a rule that
 * reads a 20,000-byte id a byte at a time (a byte a call, not the string). */
static void legitimate_work_fits_the_default_budget(void **state) {
    (void)state;
    char dir[200];
    scratch_mkdtemp(dir, sizeof dir, "budget");
    assert_int_equal(sh("cp '%s/tests/fixtures/rules-output/accounts.lua' '%s/' && /usr/bin/python3 -c \""
                        "import sys\n"
                        "with open(sys.argv[1], 'w') as f:\n"
                        "    f.write('local skus = {\\n')\n"
                        "    for i in range(100000): f.write('  [\\'sku-%%07d\\'] = { name = \\'Seat plan %%d\\', seats = %%d },\\n' %% (i, i, i %% 50))\n"
                        "    f.write('}\\n')\n"
                        "    f.write('local p = policy { id = \\'t\\', product = \\'office365\\', action = \\'cancel-subscription\\' }\\n')\n"
                        "    f.write('p:rule { id = \\'t.bytes\\', uses = {}, decision = \\'allow\\', when = function(a)\\n')\n"
                        "    f.write('  local n = 0 for i = 1, #a.id do n = n + a.id:byte(i) + utf8.codepoint(a.id, i) end\\n')\n"
                        "    f.write('  return n > 0 and skus[\\'sku-0000042\\'].seats == 42 end }\\n')\n"
                        "\" '%s/t.lua'", DR_TOP, dir, dir), 0);
    dr_engine *e = engine_over(dir, DR_TOP "/corpus", 0);
    size_t n = 20000;
    char *acct = malloc(n + 64);
    int k = snprintf(acct, n + 64, "{\"id\":\"");
    memset(acct + k, 'x', n);
    snprintf(acct + k + n, 64, "\",\"product\":\"office365\"}");
    char *out = decide(e, acct, NULL, NULL, "decision");
    if (strcmp(out, "{\"decision\":\"allow\"}") != 0) fail_msg("%.300s", out);
    free(out);
    free(acct);
    dr_engine_free(e);
    assert_int_equal(sh("rm -rf '%s'", dir), 0);
}

/* A date the decision would carry past 9999-12-31 (the last day an
 * account can give, plus the 90 days of retention) is an error saying so
 * at the rule's line, never a wrapped year ("0000-03-30"). */
static void dates_past_9999_are_an_error_not_a_wrapped_year(void **state) {
    (void)state;
    dr_engine *e = engine();
    char *out = decide(e, AZ ",\"date\":\"9999-12-31\",\"subscription\":{\"type\":\"payg\","
                          "\"cancelled_on\":\"9999-12-31\"}}", "9999-12-31", NULL, NULL);
    if (!strstr(out, "\"decision\":\"error\"") ||
        !strstr(out, "azure-cancel.lua:100: iso: the day is after 9999-12-31, which no YYYY-MM-DD date can say") ||
        strstr(out, "0000-"))
        fail_msg("%s", out);
    free(out);
    /* The day before is one. */
    out = decide(e, AZ ",\"date\":\"9999-10-01\",\"subscription\":{\"type\":\"payg\","
                    "\"cancelled_on\":\"9999-10-01\"}}", "9999-10-01", NULL, NULL);
    if (!strstr(out, "\"delete_after\":\"9999-12-30\"")) fail_msg("%s", out);
    free(out);
    dr_engine_free(e);
}

/* A no_rule says why in words: before the oldest version of the docs, the
 * date of that version; else that no rule held that day. */
static void no_rule_says_why(void **state) {
    (void)state;
    dr_engine *e = engine();
    char *out = decide(e, "{\"id\":\"z\",\"product\":\"azure\"}", "2014-01-01", NULL, "reasons");
    assert_string_equal(out, "{\"reasons\":[{\"rule\":\"none\",\"message\":\"no version of the docs the rules of azure.cancel "
                             "rest on is in force on 2014-01-01; the oldest is 2015-10-21\"}]}");
    free(out);
    /* Rules passed over for a fact the docs in force do not state yet:
     * which fact, how many rules rest on it, and the first version that
     * states it (Office 365's roles come from close-account, 2021-04). */
    const char *o365 = "{\"id\":\"o\",\"product\":\"office365\",\"locale\":\"zh-tw\",\"assigned_licenses\":30,"
                       "\"subscription\":{\"type\":\"paid\",\"payment_method\":true}}";
    out = decide(e, o365, "2020-06-01", NULL, "decision,reasons");
    assert_string_equal(out, "{\"decision\":\"no_rule\",\"reasons\":[{\"rule\":\"none\",\"message\":\"no rule of "
                             "office365.cancel applies on 2020-06-01 (--explain shows each condition): 3 rules rest on "
                             "close_roles, which the docs in force do not state (first stated by the version of "
                             "2021-04-02)\"}]}");
    free(out);
    /* Asked again (the date is kept once found), and once they are stated. */
    out = decide(e, o365, "2020-06-02", NULL, "reasons");
    if (!strstr(out, "(first stated by the version of 2021-04-02)")) fail_msg("%s", out);
    free(out);
    out = decide(e, o365, "2021-06-01", NULL, "decision");
    assert_string_equal(out, "{\"decision\":\"deny\"}"); /* no actor: the roles rule holds */
    free(out);
    dr_engine_free(e);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_check_refuses_with_its_message_and_place),
        cmocka_unit_test(places_count_every_kind_of_line_end),
        cmocka_unit_test(edge_values_are_accepted),
        cmocka_unit_test(every_decision_says_its_day_revision_and_language),
        cmocka_unit_test(the_revision_follows_content_not_place),
        cmocka_unit_test(unknown_account_fields_are_said),
        cmocka_unit_test(a_missing_input_is_needs_input),
        cmocka_unit_test(wrong_rule_output_is_an_error_at_its_line),
        cmocka_unit_test(words_with_places_are_filled),
        cmocka_unit_test(kept_words_follow_the_context),
        cmocka_unit_test(required_roles_from_a_fact),
        cmocka_unit_test(weak_tables_are_refused),
        cmocka_unit_test(an_explain_trace_is_bounded),
        cmocka_unit_test(dates_past_9999_are_an_error_not_a_wrapped_year),
        cmocka_unit_test(legitimate_work_fits_the_default_budget),
        cmocka_unit_test(no_rule_says_why),
    };
    return cmocka_run_group_tests_name("contract", tests, scratch_setup, scratch_teardown);
}
