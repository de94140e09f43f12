/* The engine: decisions for the bundled examples, decisions that follow
 * the docs, a sandbox that holds, and bad input told where it is. */
#include <jansson.h>
#include <time.h>

#include "rulesutil.h"
#include "sandbox_attacks.h"

#include "../engine/engine.h"
#include "../engine/internal.h"
#include "../common/utf8.h"

static dr_engine *engine_with(const char *rules, const char *corpus, long max_instructions, size_t max_memory) {
    const char *c[1] = {corpus};
    dr_engine_opts o = {rules, c, 1, max_instructions, max_memory, "2026-01-01", NULL};
    dr_engine *e = NULL;
    dr_error err;
    dr_error_clear(&err);
    int rc = dr_engine_new(&o, &e, &err);
    if (rc != DR_OK) fail_msg("engine: %s:%d: %s", err.file, err.line, err.message);
    return e;
}

static dr_engine *engine_for(const char *rules, const char *corpus) {
    return engine_with(rules, corpus, 200000, 32 * 1024 * 1024);
}

static json_t *decide_query(dr_engine *e, const char *account, const dr_query *q) {
    char *out;
    dr_error err;
    dr_error_clear(&err);
    int rc = dr_engine_decide(e, account, strlen(account), q, &out, &err);
    if (rc != DR_OK) fail_msg("decide: %d:%d: %s", err.line, err.col, err.message);
    json_t *j = json_loads(out, 0, NULL);
    free(out);
    assert_non_null(j);
    return j;
}

/* fields: NULL for every field. */
static json_t *decide_fields(dr_engine *e, const char *account, const char *as_of, const char *fields) {
    dr_query q = {.as_of = as_of, .fields = fields};
    return decide_query(e, account, &q);
}

/* Every field, and the --explain trace. */
static json_t *decide_explained(dr_engine *e, const char *account, const char *as_of) {
    dr_query q = {.as_of = as_of, .explain = 1};
    return decide_query(e, account, &q);
}

static json_t *decide(dr_engine *e, const char *account, const char *as_of) {
    return decide_fields(e, account, as_of, NULL);
}

static const char *str(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }

static int same_str(const char *a, const char *b) { return a ? b && strcmp(a, b) == 0 : !b; }

/* One list of fields against the full decision: each field asked for is
 * the full decision's (or absent from both), and no other is there; the
 * outcome (docrules_outcome_get) is the full decision's decision, action
 * and id, whatever the list leaves out. */
static void same_fields(dr_engine *e, const char *acct, const char *day, const char *list) {
    json_t *full = decide(e, acct, day);
    json_t *lean = decide_fields(e, acct, day, list);
    const char *od, *oa, *oi;
    dr_engine_outcome(e, &od, &oa, &oi);
    if (!same_str(od, str(full, "decision")) || !same_str(oa, str(full, "action")) || !same_str(oi, str(full, "id")))
        fail_msg("%s, --fields %s: the outcome is %s, %s, %s", acct, list, od ? od : "(none)", oa ? oa : "(none)",
                 oi ? oi : "(none)");
    const char *k;
    json_t *v;
    char have[160];
    snprintf(have, sizeof have, ",%s,", list);
    json_object_foreach(lean, k, v) {
        char want[64];
        snprintf(want, sizeof want, ",%s,", k);
        if (!strstr(have, want)) fail_msg("%s, --fields %s: has %s", acct, list, k);
    }
    for (const char *f = list; *f;) {
        size_t fl = strcspn(f, ",");
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)fl, f);
        json_t *a = json_object_get(full, name), *b = json_object_get(lean, name);
        if (!(a ? b && json_equal(a, b) : !b))
            fail_msg("%s, --fields %s: %s differs from the full decision", acct, list, name);
        f += fl + (f[fl] == ',');
    }
    json_decref(full);
    json_decref(lean);
}

/* --fields picks fields of the decision; it never changes them. Without
 * reasons and steps decide() takes shortcuts (a rule's fixed verdict), so
 * each list is checked against the full decision, alternating on one
 * engine, for the examples and for accounts whose rule has a fixed
 * verdict with channels. */
static void fields_select_without_changing_the_decision(void **state) {
    (void)state;
    dr_engine *e = engine_for(DR_TOP "/rules", DR_TOP "/corpus");
    static const char *const lists[] = {"id,decision,channels", "id,decision,channels,required_roles",
                                        "decision,steps", "id,reasons,decision", "refund,remaining,decision"};
    static const struct {
        const char *account, *as_of;
    } more[] = {
        {"{\"id\":\"payg\",\"product\":\"azure\",\"action\":\"reactivate-subscription\","
         "\"date\":\"2017-06-09\",\"actor\":{\"roles\":[\"account_admin\"]},"
         "\"subscription\":{\"type\":\"payg\",\"cancelled_on\":\"2017-05-10\"}}",
         "2017-06-09"},
        {"{\"id\":\"small\",\"product\":\"office365\",\"assigned_licenses\":3,"
         "\"actor\":{\"roles\":[\"global_admin\"]}}",
         NULL},
        {"{\"id\":\"user\",\"product\":\"azure\",\"actor\":{\"roles\":[\"user\"]}}", NULL},
    };
    char *tsv = slurp(DR_TOP "/examples/expected.tsv", NULL);
    assert_non_null(tsv);
    int checked = 0;
    for (char *line = strtok(tsv, "\n"); line; line = strtok(NULL, "\n")) {
        if (line[0] == '#') continue;
        char file[256], as_of[32], path[512];
        assert_int_equal(sscanf(line, "%255[^\t]\t%31[^\t]", file, as_of), 2);
        snprintf(path, sizeof path, "%s/examples/%s", DR_TOP, file);
        char *acct = slurp(path, NULL);
        assert_non_null(acct);
        for (size_t l = 0; l < sizeof lists / sizeof *lists; l++)
            same_fields(e, acct, strcmp(as_of, "-") ? as_of : NULL, lists[l]);
        free(acct);
        checked++;
    }
    assert_int_equal(checked, 5);
    for (size_t i = 0; i < sizeof more / sizeof *more; i++)
        for (size_t l = 0; l < sizeof lists / sizeof *lists; l++)
            same_fields(e, more[i].account, more[i].as_of, lists[l]);
    free(tsv);
    dr_engine_free(e);
}

static void examples_get_their_decisions(void **state) {
    (void)state;
    dr_engine *e = engine_for(DR_TOP "/rules", DR_TOP "/corpus");
    size_t n;
    char *tsv = slurp(DR_TOP "/examples/expected.tsv", &n);
    assert_non_null(tsv);
    int checked = 0;
    for (char *line = strtok(tsv, "\n"); line; line = strtok(NULL, "\n")) {
        if (line[0] == '#') continue;
        char file[256], as_of[32], decision[64], channels[128];
        assert_int_equal(sscanf(line, "%255[^\t]\t%31[^\t]\t%63[^\t]\t%127[^\t]", file, as_of, decision,
                                channels), 4);
        char path[512];
        snprintf(path, sizeof path, "%s/examples/%s", DR_TOP, file);
        char *acct = slurp(path, NULL);
        assert_non_null(acct);
        json_t *d = decide(e, acct, strcmp(as_of, "-") ? as_of : NULL);
        assert_string_equal(str(d, "decision"), decision);
        char got[256] = "";
        json_t *ch = json_object_get(d, "channels");
        for (size_t i = 0; i < json_array_size(ch); i++)
            snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s", i ? "," : "",
                     json_string_value(json_array_get(ch, i)));
        assert_string_equal(got[0] ? got : "-", channels);
        json_decref(d);
        free(acct);
        checked++;
    }
    assert_int_equal(checked, 5);
    free(tsv);
    dr_engine_free(e);
}

/* Every number comes from the docs: change the threshold in the doc in
 * force and the same account gets another decision. */
static void changing_the_doc_changes_the_decision(void **state) {
    (void)state;
    char dir[256];
    scratch_mkdtemp(dir, sizeof dir, "corpus");
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "cp -R '%s/corpus/.' '%s/' && sed -i '28s/25/10/g; 30s/25/10/g' "
             "'%s/office365/cancel-subscription.zh-tw.md'",
             DR_TOP, dir, dir);
    assert_int_equal(system(cmd), 0);
    static const char acct[] = "{\"id\":\"a\",\"product\":\"office365\",\"date\":\"2020-05-01\","
                               "\"actor\":{\"roles\":[\"global_admin\"]},\"assigned_licenses\":20}";
    dr_engine *orig = engine_for(DR_TOP "/rules", DR_TOP "/corpus");
    dr_engine *edited = engine_for(DR_TOP "/rules", dir);
    json_t *a = decide(orig, acct, NULL), *b = decide(edited, acct, NULL);
    assert_string_equal(str(a, "decision"), "allow");
    assert_string_equal(str(b, "decision"), "escalate");
    json_t *src = json_object_get(json_array_get(json_object_get(b, "reasons"), 0), "source");
    assert_int_equal(json_integer_value(json_object_get(src, "value")), 10);
    assert_int_equal(json_integer_value(json_object_get(src, "line")), 28);
    json_decref(a);
    json_decref(b);
    dr_engine_free(orig);
    dr_engine_free(edited);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

/* The contexts of the days asked (the facts in force, their citations)
 * are made once and kept, up to a bound past which the cache starts over:
 * whatever the days before it and in whatever order, a decision is the
 * one a fresh engine makes for that day and language. 80 days in two
 * languages are 160 contexts, past the bound twice. */
static void every_day_decides_as_a_fresh_engine(void **state) {
    (void)state;
    static const char *const acct[] = {
        "{\"id\":\"a\",\"product\":\"office365\",\"locale\":\"zh-tw\",\"actor\":{\"roles\":[\"global_admin\"]},"
        "\"assigned_licenses\":30}",
        "{\"id\":\"a\",\"product\":\"office365\",\"locale\":\"de-de\",\"actor\":{\"roles\":[\"global_admin\"]},"
        "\"assigned_licenses\":30}",
    };
    enum { DAYS = 80 };
    char day[DAYS][24];
    char *got[DAYS][2];
    dr_engine *e = engine_for(DR_TOP "/rules", DR_TOP "/corpus");
    int versions = 0;
    for (int i = 0; i < DAYS; i++) {
        snprintf(day[i], sizeof day[i], "%d-%02d-15", 2016 + i / 8, 1 + i % 8);
        for (int l = 0; l < 2; l++) {
            json_t *d = decide(e, acct[l], day[i]);
            got[i][l] = json_dumps(d, JSON_SORT_KEYS);
            versions += i > 0 && strcmp(got[i][l], got[i - 1][l]) != 0;
            json_decref(d);
        }
    }
    /* The docs in force change over these years: the days are not alike. */
    assert_true(versions >= 2);
    static const int again[] = {0, 1, 40, 63, 64, 79};
    for (size_t k = 0; k < sizeof again / sizeof *again; k++) {
        int i = again[k];
        /* (the languages the other way round: a context one language took
         * for the other's would differ from the first pass's) */
        dr_engine *fresh = engine_for(DR_TOP "/rules", DR_TOP "/corpus");
        for (int l = 1; l >= 0; l--) {
            json_t *a = decide(fresh, acct[l], day[i]), *b = decide(e, acct[l], day[i]);
            char *sa = json_dumps(a, JSON_SORT_KEYS), *sb = json_dumps(b, JSON_SORT_KEYS);
            assert_string_equal(sa, got[i][l]);
            assert_string_equal(sb, got[i][l]);
            free(sa);
            free(sb);
            json_decref(a);
            json_decref(b);
        }
        dr_engine_free(fresh);
    }
    for (int i = 0; i < DAYS; i++) {
        free(got[i][0]);
        free(got[i][1]);
    }
    dr_engine_free(e);
}

/* The reference policy of make bench (every verdict fixed, no compute)
 * with the bundled facts, in a folder of its own. */
static void bench_rules(char *dir, size_t size) {
    scratch_mkdtemp(dir, size, "bench-rules");
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "sh '%s/bench/rules.sh' '%s'", DR_TOP, dir);
    assert_int_equal(system(cmd), 0);
    /* And a policy with conditions in a list, fixed roles, and accounts
     * that no rule covers. */
    char path[512];
    snprintf(path, sizeof path, "%s/close.lua", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("local p = policy { id = \"t.close\", product = \"office365\", action = \"close-account\" }\n"
          "p:rule { id = \"t.close.admin\", uses = { \"close_roles\" },\n"
          "  when = { { \"admin\", function(a, f) return any_role(a, f.close_roles) end },\n"
          "           { \"small\", function(a, f) return a.assigned_licenses < 26 end } },\n"
          "  decision = \"allow\", channels = { \"portal\" }, required_roles = { \"global_admin\" } }\n"
          "p:rule { id = \"t.close.trial\", uses = { \"close_roles\" },\n"
          "  when = function(a, f) return a.subscription.type == \"trial\" end, decision = \"deny\" }\n",
          f);
    fclose(f);
}

/* Accounts over the products, actions, languages and edges the reference
 * policy turns on; more languages than engine/lean.c keeps plans for. */
static size_t lean_accounts(char out[][320], size_t cap) {
    static const char *const products[] = {"office365", "azure", "microsoft365"};
    static const char *const actions[] = {NULL, "cancel-subscription", "close-account"};
    static const char *const locales[] = {NULL, "en-us", "zh-TW", "fr-FR", "nl-NL", "de-de", "ja-jp",
                                          "ko-kr", "es-es", "it-it", "pt-br", "ZH-tw"};
    static const char *const roles[] = {"", "\"user\"", "\"global_admin\"", "\"billing_admin\",\"user\"",
                                        "\"account_admin\""};
    static const char *const subs[] = {",\"subscription\":{\"type\":\"payg\",\"payment_method\":true}", ",\"subscription\":{\"type\":\"trial\",\"payment_method\":false}",
                                       ",\"subscription\":{\"type\":\"trial\",\"payment_method\":true}",
                                       ",\"subscription\":{\"type\":\"paid\"}"};
    static const int licenses[] = {24, 25, 26};
    size_t n = 0, k = 0;
    for (size_t p = 0; p < 3; p++)
        for (size_t a = 0; a < 3; a++)
            for (size_t r = 0; r < 5; r++)
                for (size_t u = 0; u < 4; u++)
                    for (size_t l = 0; l < 3 && n < cap; l++, k++) {
                        const char *loc = locales[k % 12], *act = actions[a];
                        snprintf(out[n], 320,
                                 "{\"id\":\"l%zu\",\"product\":\"%s\"%s%s%s%s%s%s,"
                                 "\"actor\":{\"roles\":[%s]},\"assigned_licenses\":%d%s}",
                                 n, products[p], act ? ",\"action\":\"" : "", act ? act : "", act ? "\"" : "",
                                 loc ? ",\"locale\":\"" : "", loc ? loc : "", loc ? "\"" : "", roles[r],
                                 licenses[l], subs[u]);
                        n++;
                    }
    return n;
}

/* Decisions engine/lean.c makes are decide.c's ones: on one
 * engine that alternates lean and full queries (each change of query
 * makes the plans stale), and on an engine that only ever gets the lean
 * query (plans kept, and dropped as more languages come than it keeps)
 * against one that only gets full ones. */
static void lean_decisions_are_the_full_ones(void **state) {
    (void)state;
    char dir[256];
    bench_rules(dir, sizeof dir);
    static char accts[600][320];
    size_t n = lean_accounts(accts, 600);
    assert_int_equal(n, 540);
    static const char *const days[] = {NULL, "2016-12-01"};
    dr_engine *e = engine_for(dir, DR_TOP "/corpus");
    for (size_t d = 0; d < 2; d++)
        for (size_t i = 0; i < n; i += 7) same_fields(e, accts[i], days[d], "id,decision,channels,required_roles");
    assert_true(e->lean.decided > 0);
    dr_engine *lean = engine_for(dir, DR_TOP "/corpus"), *full = engine_for(dir, DR_TOP "/corpus");
    /* With reasons asked for, decide() makes the decision. */
    const char *const list = "id,action,decision,channels,required_roles,reasons";
    unsigned long want = 0;
    for (size_t d = 0; d < 2; d++)
        for (size_t i = 0; i < n; i++) {
            json_t *a = decide_fields(lean, accts[i], days[d], "id,action,decision,channels,required_roles");
            json_t *b = decide_fields(full, accts[i], days[d], list);
            json_object_del(b, "reasons");
            if (!json_equal(a, b)) {
                char *x = json_dumps(a, 0), *y = json_dumps(b, 0);
                fail_msg("%s (as of %s): lean %s, full %s", accts[i], days[d] ? days[d] : "today", x, y);
            }
            want += !strstr(accts[i], "close-account") || !strstr(accts[i], "azure");
            json_decref(a);
            json_decref(b);
        }
    /* Every account with a policy was decided by lean.c, not handed back. */
    assert_int_equal(lean->lean.decided, want);
    assert_int_equal(full->lean.decided, 0);
    dr_engine_free(e);
    dr_engine_free(lean);
    dr_engine_free(full);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

/* One account's decision on e under query q: what the rules were charged
 * (e->used after it), and whether it was the budget's error. */
static long charged(dr_engine *e, const char *acct, const char *fields, int *over) {
    dr_query q = {.fields = fields};
    json_t *d = decide_query(e, acct, &q);
    json_t *err = json_object_get(d, "error");
    *over = err && strstr(json_string_value(err), "instruction budget exceeded") != NULL;
    if (err && !*over) fail_msg("%s: %s", acct, json_string_value(err));
    json_decref(d);
    return e->used;
}

static dr_engine *bundled_engine(long max_instructions) {
    return engine_with(DR_TOP "/rules", DR_TOP "/corpus", max_instructions, 0);
}

/* The budget is the rules' own work (engine/budget.c): an account is
 * charged the same on a fresh engine as after the other accounts made
 * the contexts, plans and citations it uses, and the same whatever the
 * query writes; so at the budget's edge its verdict does not move with
 * the accounts before it or the fields asked. The accounts are the
 * realistic mix's four policies, in several days and languages. */
static void the_budget_counts_the_rules_work_alone(void **state) {
    (void)state;
    char *text = slurp(DR_TOP "/tests/fixtures/budget-accounts.ndjson", NULL);
    assert_non_null(text);
    char *acct[32];
    size_t n = 0;
    for (char *line = strtok(text, "\n"); line && n < 32; line = strtok(NULL, "\n")) acct[n++] = line;
    assert_int_equal(n, 16);
    dr_engine *warm = bundled_engine(0);
    int over;
    for (size_t i = 0; i < n; i++) charged(warm, acct[i], NULL, &over);
    long most = 0;
    size_t most_at = 0;
    int differ = 0;
    for (size_t i = 0; i < n; i++) {
        dr_engine *fresh = bundled_engine(0);
        long cold = charged(fresh, acct[i], NULL, &over);
        dr_engine_free(fresh);
        long full = charged(warm, acct[i], NULL, &over);
        long brief = charged(warm, acct[i], "id,decision,channels", &over);
        long steps = charged(warm, acct[i], "id,decision,steps", &over);
        if (cold != full || full != brief || full != steps)
            fail_msg("%s: charged %ld on a fresh engine, %ld after others, %ld for its verdict, %ld for its steps",
                     acct[i], cold, full, brief, steps);
        if (getenv("DR_SHOW_CHARGED")) printf("%ld %s\n", full, acct[i]);
        if (full != most && i) differ = 1;
        if (full > most) most = full, most_at = i;
    }
    /* Not all nothing: the Azure computes run past the hook's count. */
    assert_true(most >= 3000);
    assert_true(differ);
    /* At the edge: a budget of exactly what it is charged decides it, one
     * less is the budget's error, fresh or after the others, full or not. */
    for (long budget = most - 1; budget <= most; budget++)
        for (int before = 0; before < 2; before++)
            for (int brief = 0; brief < 2; brief++) {
                dr_engine *e = bundled_engine(budget);
                if (before)
                    for (size_t i = 0; i < n; i++)
                        if (i != most_at) charged(e, acct[i], NULL, &over);
                charged(e, acct[most_at], brief ? "id,decision,channels" : NULL, &over);
                if (over != (budget < most))
                    fail_msg("%s under %ld (%s, %s): %s", acct[most_at], budget, before ? "after the others" : "first",
                             brief ? "verdict" : "full", over ? "over budget" : "decided");
                dr_engine_free(e);
            }
    dr_engine_free(warm);
    free(text);
}

/* All three paths: decide.c's decide() (every field), lean.c (the verdict
 * only), which runs the conditions itself, and decide() under --explain,
 * whose conditions run on watching proxies and must fail as they do
 * without: the same error, at the same line. */
static void sandbox_stops_every_escape_and_runaway(void **state) {
    (void)state;
    dr_engine *e = engine_for(DR_TOP "/tests/fixtures/rules-sandbox", DR_TOP "/corpus");
    char *plain_err[N_SANDBOX_ATTACKS] = {0};
    for (int mode = 0; mode < 3; mode++) {
    int lean = mode == 1, explain = mode == 2;
    dr_query q = {.fields = lean ? "id,decision,channels" : NULL, .explain = explain};
    for (size_t i = 0; i < N_SANDBOX_ATTACKS; i++) {
        char acct[256];
        snprintf(acct, sizeof acct, SANDBOX_ACCOUNT, sandbox_attacks[i].id);
        sandbox_alarm(sandbox_attacks[i].id, 20);
        /* Stopped, and soon: a charge that went missing (the allocator's,
         * say) can leave an attack ending on the instruction count after
         * many seconds of work one instruction at a time. */
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        json_t *d = decide_query(e, acct, &q);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
        if (secs > 5) fail_msg("%s: stopped only after %.1f s", sandbox_attacks[i].id, secs);
        const char *decision = str(d, "decision"), *err = str(d, "error");
        if (strcmp(decision, "error") != 0 || !sandbox_says(err, sandbox_attacks[i].says))
            fail_msg("%s: decision %s, error %s", sandbox_attacks[i].id, decision, err ? err : "(none)");
        /* The message names the rule script and its line. */
        if (!strstr(err, "evil.lua:")) fail_msg("%s: error %s names no evil.lua line", sandbox_attacks[i].id, err);
        /* The outcome of an error decision says so (the service counts it). */
        const char *od, *oa, *oi;
        dr_engine_outcome(e, &od, &oa, &oi);
        if (!same_str(od, "error") || !same_str(oa, str(d, "action")) || !same_str(oi, sandbox_attacks[i].id))
            fail_msg("%s: the outcome is %s, %s, %s", sandbox_attacks[i].id, od ? od : "(none)", oa ? oa : "(none)",
                     oi ? oi : "(none)");
        if (mode == 0) assert_non_null(plain_err[i] = strdup(err));
        if (explain && strcmp(err, plain_err[i]) != 0)
            fail_msg("%s: under --explain %s, without %s", sandbox_attacks[i].id, err, plain_err[i]);
        json_decref(d);
        /* The state is still usable: the next account decides normally,
         * with its own rule's facts and the libraries unchanged. */
        d = decide_query(e, SANDBOX_FINE, &q);
        assert_string_equal(str(d, "decision"), "allow");
        assert_string_equal(json_string_value(json_array_get(json_object_get(d, "channels"), 0)), "portal");
        if (!lean) {
            const char *why = str(json_array_get(json_object_get(d, "reasons"), 0), "message");
            if (!why || strcmp(why, "kept 90 days, account_admin") != 0)
                fail_msg("after %s: fine's reason is %s", sandbox_attacks[i].id, why ? why : "(none)");
        }
        json_decref(d);
        /* Another script's policy sees its own libraries and facts. */
        d = decide(e, "{\"id\":\"n\",\"product\":\"azure\",\"action\":\"close-account\"}", NULL);
        const char *why = str(json_array_get(json_object_get(d, "reasons"), 0), "message");
        if (!why || strcmp(why, "KEPT 2 account_admin") != 0)
            fail_msg("after %s: the neighbour's reason is %s", sandbox_attacks[i].id, why ? why : "(none)");
        json_decref(d);
        alarm(0);
    }
    json_t *d = decide_query(e, "{\"id\":\"env_escape\",\"product\":\"azure\"}", &q);
    assert_string_equal(str(d, "decision"), "no_rule"); /* getmetatable(_ENV) is false */
    json_decref(d);
    assert_false(path_exists("/tmp/docrules-pwned"));
    }
    /* The same attack twice in a row: the second must find Lua's stack
     * shrunk back (and pay to grow it), not grown for it by the first
     * (state.c collects after such a call). */
    for (int k = 0; k < 2; k++) {
        sandbox_alarm("varargs_copy twice", 20);
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        json_t *d = decide_query(e, "{\"id\":\"varargs_copy\",\"product\":\"azure\"}", NULL);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
        const char *err = str(d, "error");
        if (secs > 5 || !err || !strstr(err, "instruction budget exceeded"))
            fail_msg("varargs_copy, time %d: %s after %.1f s", k + 1, err ? err : "(no error)", secs);
        json_decref(d);
        alarm(0);
    }
    /* A decision that grows Lua's stack at once and ends well is charged
     * for it each time, not only the first (the next finds it shrunk). */
    long grown[2];
    for (int k = 0; k < 2; k++) {
        json_t *d = decide_query(e, "{\"id\":\"grow_stack\",\"product\":\"azure\"}", NULL);
        assert_string_equal(str(d, "decision"), "no_rule");
        json_decref(d);
        grown[k] = e->used;
    }
    if (grown[0] != grown[1] || grown[0] < 20000) fail_msg("grow_stack charged %ld, then %ld", grown[0], grown[1]);
    for (size_t i = 0; i < N_SANDBOX_ATTACKS; i++) free(plain_err[i]);
    assert_true(e->lean.decided > 0);
    dr_engine_free(e);
}

/* The compared list of the k-th condition (from 0) in rule's entry of a
 * decision's explain, against want (JSON): the paths, the values, their
 * order, and nothing besides (no "value" key missing, no table noted with
 * its leaves). */
static void compared_is(json_t *d, const char *rule, size_t k, const char *want) {
    json_t *e, *got = NULL;
    size_t i;
    json_array_foreach(json_object_get(d, "explain"), i, e)
        if (str(e, "rule") && strcmp(str(e, "rule"), rule) == 0)
            got = json_object_get(json_array_get(json_object_get(e, "conditions"), k), "compared");
    json_error_t jerr;
    json_t *w = json_loads(want, 0, &jerr);
    if (!w) fail_msg("bad want %s: %s", want, jerr.text);
    if (!got || !json_equal(got, w)) {
        char *g = got ? json_dumps(got, JSON_COMPACT) : NULL;
        fail_msg("%s, condition %zu: compared %s, not %s", rule, k + 1, g ? g : "(none)", want);
    }
    json_decref(w);
}

/* --explain says what each condition compared: the account's values by
 * their path (subscription.type), the facts' as f.name, a list of values
 * whole, an absent value as null; a table the condition read into is not
 * noted besides its leaves. */
static void explain_says_what_each_condition_compared(void **state) {
    (void)state;
    dr_engine *e = engine_for(DR_TOP "/rules", DR_TOP "/corpus");
    char *acct = slurp(DR_TOP "/examples/office365-30-licenses.json", NULL);
    assert_non_null(acct);
    json_t *d = decide_explained(e, acct, NULL);
    assert_string_equal(str(d, "decision"), "escalate");
    static const char licenses[] =
        "[{\"path\":\"assigned_licenses\",\"value\":30},{\"path\":\"f.online_cancel_max_licenses\",\"value\":25}]";
    compared_is(d, "office365.cancel.online", 0, licenses);
    compared_is(d, "office365.cancel.license-threshold", 0, licenses);
    compared_is(d, "office365.cancel.trial", 0, "[{\"path\":\"subscription.type\",\"value\":\"paid\"}]");
    compared_is(d, "office365.admin-role", 0,
                "[{\"path\":\"f.close_roles\",\"value\":[\"global_admin\",\"billing_admin\"]},"
                "{\"path\":\"actor.roles\",\"value\":[\"global_admin\"]}]");
    compared_is(d, "office365.cancel.refund", 0,
                "[{\"path\":\"subscription.billing.amount\",\"value\":\"1200.00\"},"
                "{\"path\":\"subscription.billing.period_start\",\"value\":\"2020-01-01\"},"
                "{\"path\":\"subscription.billing.period_end\",\"value\":\"2021-01-01\"}]");
    json_decref(d);
    free(acct);
    /* Why the trial rule fails for an account without a subscription. */
    d = decide_explained(e, "{\"id\":\"x\",\"product\":\"office365\",\"actor\":{\"roles\":[\"user\"]}}", NULL);
    compared_is(d, "office365.cancel.trial", 0, "[{\"path\":\"subscription\",\"value\":null}]");
    json_decref(d);
    dr_engine_free(e);
}

/* Under --explain the conditions read proxies of a and f. Each condition
 * of this rule holds without a trace; with one, each must hold too, and
 * note what it read: # and ipairs over lists, pairs, type(), has_role and
 * any_role (which read the account from C), table identity, a write
 * through a proxy (which must store the table, not the proxy: the reason
 * reads it raw), a table noted whole, cut short when large. */
static const char watch_policy[] =
    "local p = policy { id = \"w\", product = \"office365\", action = \"cancel-subscription\" }\n"
    "p:rule { id = \"w.all\", uses = { \"close_roles\" }, when = {\n"
    "  { \"length\", function(a, f) return #a.actor.roles == 2 and #f.close_roles == 2 end },\n"
    "  { \"ipairs\", function(a, f) local n = 0 for _, x in ipairs(a.x_items) do n = n + x.n end return n == 3 end },\n"
    "  { \"pairs\", function(a, f) local k = {} for key in pairs(a.subscription) do k[#k + 1] = key end\n"
    "                             table.sort(k) return table.concat(k, \",\") == \"payment_method,type\" end },\n"
    "  { \"types\", function(a, f) return type(a.x_items[1]) == \"table\" and type(a.actor.roles) == \"table\" end },\n"
    "  { \"helpers\", function(a, f) return has_role(a, \"billing_admin\") and any_role(a, f.close_roles) end },\n"
    "  { \"identity\", function(a, f) return a.subscription == a.subscription and rawequal(a.actor, a.actor) end },\n"
    "  { \"present\", function(a, f) return a.subscription ~= nil end },\n"
    "  { \"absent\", function(a, f) return a.tenant == nil end },\n"
    "  { \"write\", function(a, f) a.scratch = a.subscription return a.scratch.type == \"paid\" end },\n"
    "  { \"large\", function(a, f) return a.x_many ~= nil end },\n"
    "}, decision = \"allow\", channels = { \"online\" }, required_roles = { \"global_admin\" },\n"
    "  because = function(a, f) return \"wrote \" .. tostring(rawget(a.scratch, \"type\")) end }\n";

static void explain_proxies_read_as_the_tables_do(void **state) {
    (void)state;
    char dir[256], cmd[1024], path[512];
    scratch_mkdtemp(dir, sizeof dir, "watch");
    snprintf(cmd, sizeof cmd, "cp -R '%s/rules/facts' '%s/rules/accounts.lua' '%s/'", DR_TOP, DR_TOP, dir);
    assert_int_equal(system(cmd), 0);
    snprintf(path, sizeof path, "%s/watch.lua", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(watch_policy, f);
    fclose(f);
    dr_engine *e = engine_for(dir, DR_TOP "/corpus");
    char acct[4096];
    int n = snprintf(acct, sizeof acct,
                     "{\"id\":\"w\",\"product\":\"office365\",\"actor\":{\"roles\":[\"global_admin\",\"billing_admin\"]},"
                     "\"subscription\":{\"type\":\"paid\",\"payment_method\":true},"
                     "\"x_items\":[{\"n\":1},{\"n\":2}],\"x_many\":[");
    for (int i = 0; i < 70; i++) n += snprintf(acct + n, sizeof acct - (size_t)n, "%s{\"n\":%d}", i ? "," : "", i);
    snprintf(acct + n, sizeof acct - (size_t)n, "]}");
    json_t *plain = decide(e, acct, NULL), *traced = decide_explained(e, acct, NULL);
    const char *why = str(json_array_get(json_object_get(traced, "reasons"), 0), "message");
    assert_string_equal(str(plain, "decision"), "allow");
    if (strcmp(str(traced, "decision"), "allow") != 0 || !why || strcmp(why, "wrote paid") != 0) {
        char *t = json_dumps(json_object_get(traced, "explain"), JSON_COMPACT);
        fail_msg("under --explain: %s, %s; %s", str(traced, "decision"), why ? why : "(no reason)", t);
    }
    static const char roles[] = "{\"path\":\"actor.roles\",\"value\":[\"global_admin\",\"billing_admin\"]}",
                      close_roles[] = "{\"path\":\"f.close_roles\",\"value\":[\"global_admin\",\"billing_admin\"]}";
    char want[512];
    snprintf(want, sizeof want, "[%s,%s]", roles, close_roles);
    compared_is(traced, "w.all", 0, want);
    compared_is(traced, "w.all", 1, "[{\"path\":\"x_items[1].n\",\"value\":1},{\"path\":\"x_items[2].n\",\"value\":2}]");
    compared_is(traced, "w.all", 4, want);
    compared_is(traced, "w.all", 6, "[{\"path\":\"subscription\",\"value\":{\"type\":\"paid\",\"payment_method\":true}}]");
    compared_is(traced, "w.all", 7, "[{\"path\":\"tenant\",\"value\":null}]");
    compared_is(traced, "w.all", 8, "[{\"path\":\"subscription.type\",\"value\":\"paid\"}]");
    /* pairs reads both fields, in the table's order. */
    json_t *rule = json_array_get(json_object_get(traced, "explain"), 0);
    json_t *conds = json_object_get(rule, "conditions");
    json_t *pairs = json_object_get(json_array_get(conds, 2), "compared");
    assert_int_equal(json_array_size(pairs), 2);
    for (size_t i = 0; i < 2; i++) {
        const char *p = str(json_array_get(pairs, i), "path");
        assert_true(strcmp(p, "subscription.type") == 0 || strcmp(p, "subscription.payment_method") == 0);
    }
    /* 70 objects passed along: a copy of the first, said to be cut. */
    json_t *large = json_array_get(json_object_get(json_array_get(conds, 9), "compared"), 0);
    assert_string_equal(str(large, "path"), "x_many");
    assert_true(json_is_true(json_object_get(large, "truncated")));
    assert_true(json_array_size(json_object_get(large, "value")) > 0);
    assert_true(json_array_size(json_object_get(large, "value")) < 70);
    json_decref(plain);
    json_decref(traced);
    dr_engine_free(e);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

/* --explain only adds the trace: over the accounts lean.c is checked
 * with, on two days, the bundled rules decide every field the same with
 * and without it. */
static void explain_decides_as_the_plain_path(void **state) {
    (void)state;
    static char accts[600][320];
    size_t n = lean_accounts(accts, 600);
    static const char *const days[] = {NULL, "2016-12-01"};
    dr_engine *e = engine_for(DR_TOP "/rules", DR_TOP "/corpus");
    size_t traced = 0; /* an account no policy covers has no trace */
    for (size_t d = 0; d < 2; d++)
        for (size_t i = 0; i < n; i++) {
            json_t *a = decide(e, accts[i], days[d]), *b = decide_explained(e, accts[i], days[d]);
            traced += json_object_del(b, "explain") == 0;
            if (!json_equal(a, b)) {
                char *x = json_dumps(a, 0), *y = json_dumps(b, 0);
                fail_msg("%s: plain %s, under --explain %s", accts[i], x, y);
            }
            json_decref(a);
            json_decref(b);
        }
    assert_true(traced > n);
    dr_engine_free(e);
}

static void rule_script_errors_name_file_and_line(void **state) {
    (void)state;
    const char *c[1] = {DR_TOP "/corpus"};
    dr_engine_opts o = {DR_TOP "/tests/fixtures/rules-badsyntax", c, 1, 0, 0, NULL, NULL};
    dr_engine *e;
    dr_error err;
    dr_error_clear(&err);
    assert_int_equal(dr_engine_new(&o, &e, &err), DR_ERULE);
    assert_non_null(strstr(err.file, "broken.lua"));
    assert_int_equal(err.line, 6);
    o.rules_dir = DR_TOP "/tests/fixtures/rules-undeclared";
    dr_error_clear(&err);
    assert_int_equal(dr_engine_new(&o, &e, &err), DR_ERULE);
    assert_non_null(strstr(err.file, "ghost.lua"));
    assert_int_equal(err.line, 3);
    assert_non_null(strstr(err.message, "no_such_fact"));
}

/* A fact's anchor = is where a procedure's steps are and where a set is
 * read in any version: a mistake in it is an error at the declaration, not
 * a fact silently never found. */
static void anchor_mistakes_say_where(void **state) {
    (void)state;
    static const struct { const char *text, *says; } bad[] = {
        {"fact 'p1' { article = 'close-account', type = 'procedure' }", "procedure \"p1\" needs anchor = \"regex\""},
        {"fact 'p2' { article = 'close-account', type = 'procedure', anchor = { 'delete-users', 5 } }",
         "fact \"p2\": anchor = \"regex\" (or a list of at most 16) names the sections"},
        {"fact 'n1' { article = 'close-account', type = 'count', anchor = 'delete-users', en = { [[(\\d+) users]] } }",
         "fact \"n1\": anchor = \"regex\" (or a list of at most 16) names the sections"},
        {"fact 'p3' { article = 'close-account', type = 'procedure', anchor = '(' }", "fact \"p3\": pattern /(/ does not compile"},
        {"fact 'p4' { article = 'close-account', type = 'procedure', anchor = { 'delete-users', k = 'x' } }",
         "fact \"p4\": anchor = \"regex\" (or a list of at most 16)"},
        {"fact 'p5' { article = 'close-account', type = 'procedure', anchor = 'delete-users', en = { [[x]] } }",
         "procedure \"p5\" is found by anchor = alone: en = is read by nobody"},
    };
    char dir[200];
    scratch_mkdtemp(dir, sizeof dir, "anchors");
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char rules[256];
        dr_error err;
        assert_int_not_equal(engine_with_line(dir, DR_TOP "/rules", "facts/close-account.lua", bad[i].text, rules,
                                              sizeof rules, &err),
                             DR_OK);
        if (!strstr(err.file, "/r/facts/close-account.lua") || err.line < 40 || !strstr(err.message, bad[i].says))
            fail_msg("%s: %s:%d: %s", bad[i].text, err.file, err.line, err.message);
    }
    assert_int_equal(sh("rm -rf '%s'", dir), 0);
}

/* A decision, traced and counted for coverage as docrules test does. */
static json_t *decide_traced(dr_engine *e, const char *account) {
    dr_query q = {.explain = 1, .coverage = 1};
    char *out;
    dr_error err;
    dr_error_clear(&err);
    if (dr_engine_decide(e, account, strlen(account), &q, &out, &err) != DR_OK) fail_msg("decide: %s", err.message);
    json_t *j = json_loads(out, 0, NULL);
    free(out);
    assert_non_null(j);
    return j;
}

/* Whether the first reason and explain entry i of d name rule id, with
 * message why (NULL: none), at the place that ends with at. */
static void decided_by(json_t *d, const char *id, const char *why, size_t i, const char *at) {
    json_t *r = json_array_get(json_object_get(d, "reasons"), 0);
    json_t *x = json_array_get(json_object_get(d, "explain"), i);
    const char *xat = str(x, "at"), *rule = str(r, "rule"), *msg = str(r, "message"), *xrule = str(x, "rule");
    if (!rule || strcmp(rule, id) != 0 || (why ? !msg || strcmp(msg, why) != 0 : msg != NULL) ||
        !xrule || strcmp(xrule, id) != 0 || !xat || strlen(xat) < strlen(at) ||
        strcmp(xat + strlen(xat) - strlen(at), at) != 0)
        fail_msg("want %s (\"%s\") at %s, explain entry %zu: %s", id, why, at, i, json_dumps(d, 0));
}

typedef struct uses_seen {
    int n;
    const char *file;
    int line;
} uses_seen;

static void count_kept(uses_seen *u, const char *rule, const char *file, int line, const char *fact, int optional) {
    (void)fact;
    (void)optional;
    if (strcmp(rule, "s.kept") != 0) return;
    u->n++;
    u->file = file;
    u->line = line;
}

/* A shared rule is one definition: each policy tries it where its p:use
 * says, its reasons and trace name it and its own file:line (in the
 * policy's words when it gives them), and coverage and validate's walk
 * over the rules' facts see it once. */
static void shared_rule_is_one_definition(void **state) {
    (void)state;
    dr_engine *e = engine_for(DR_TOP "/tests/fixtures/rules-shared", DR_TOP "/corpus");
    /* After c.first, before c.last (which always holds). */
    json_t *d = decide_traced(e, "{\"id\":\"kept\",\"product\":\"azure\"}");
    assert_string_equal(str(d, "decision"), "deny");
    decided_by(d, "s.kept", "kept 90 days", 1, "rules-shared/shared/kept.lua:3");
    json_decref(d);
    d = decide_traced(e, "{\"id\":\"kept\",\"product\":\"azure\",\"action\":\"reactivate-subscription\"}");
    decided_by(d, "s.kept", "kept, in reactivate's words", 0, "rules-shared/shared/kept.lua:3");
    json_decref(d);
    d = decide_traced(e, "{\"id\":\"other\",\"product\":\"azure\"}");
    decided_by(d, "c.last", NULL, 2, "rules-shared/cancel.lua:6");
    json_decref(d);
    /* Four rules, the shared one once, both its outcomes seen. */
    dr_coverage_stats st;
    FILE *lcov = tmpfile();
    assert_int_equal(dr_engine_coverage_stats(e, &st, lcov), DR_OK);
    assert_int_equal(st.rules, 4);
    assert_int_equal(st.rules_hit, 2);
    char text[2048] = "";
    rewind(lcov);
    text[fread(text, 1, sizeof text - 1, lcov)] = '\0';
    fclose(lcov);
    const char *kept = "rules-shared/shared/kept.lua\nDA:3,1\nBRDA:3,0,0,1\nBRDA:3,0,1,1\n";
    const char *at = strstr(text, kept);
    if (!at || strstr(at + strlen(kept), "kept.lua")) fail_msg("%s", text);
    dr_engine_free(e);
    /* validate's reading of the declarations has it once, at its place. */
    dr_declared *decl;
    dr_error err;
    assert_int_equal(dr_declared_read(DR_TOP "/tests/fixtures/rules-shared", &decl, &err), DR_OK);
    uses_seen u = {0};
    for (size_t i = 0; i < decl->nuses; i++)
        count_kept(&u, decl->uses[i].rule, decl->uses[i].file, decl->uses[i].line, decl->uses[i].fact,
                   decl->uses[i].optional);
    assert_int_equal(u.n, 1);
    assert_non_null(strstr(u.file, "rules-shared/shared/kept.lua"));
    assert_int_equal(u.line, 3);
    dr_declared_free(decl);
}

/* Mistakes in sharing do not load, and each says where, with the first
 * place of what it repeats. */
static void shared_rule_mistakes_say_where(void **state) {
    (void)state;
    /* at: where the error is; says: its message, where %s is the copy. */
    static const struct { const char *file, *text, *at, *says; } bad[] = {
        {"cancel.lua", "p:use('s.kept')", "/cancel.lua:8",
         "shared rule s.kept is already used by policy c at %s/cancel.lua:5"},
        {"shared/kept.lua", "shared_rule { id = 's.kept', uses = {}, decision = 'deny' }", "/shared/kept.lua:12",
         "rule id s.kept is already declared at %s/shared/kept.lua:3"},
        {"shared/kept.lua", "shared_rule { id = 's.ghost', uses = { 'no_such_fact' }, decision = 'deny' }",
         "/shared/kept.lua:12", "rule s.ghost uses fact \"no_such_fact\", which no fact \"...\" declares"},
        {"cancel.lua", "p:use('s.nope')", "/cancel.lua:8", "p:use: no shared_rule \"s.nope\" is declared"},
        {"other.lua", "local q = policy { id = 'o', product = 'office365', action = 'close-account' } q:use('s.kept', { decision = 'allow' })",
         "/other.lua:2",
         "p:use(\"s.kept\"): decision is the shared rule's; only because may be the policy's own"},
    };
    char dir[200];
    scratch_mkdtemp(dir, sizeof dir, "shared");
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char rules[256], at[4300], says[300];
        dr_error err;
        assert_int_equal(engine_with_line(dir, DR_TOP "/tests/fixtures/rules-shared", bad[i].file, bad[i].text, rules,
                                          sizeof rules, &err),
                         DR_ERULE);
        snprintf(at, sizeof at, "%s:%d", err.file, err.line);
        snprintf(says, sizeof says, bad[i].says, rules);
        if (strncmp(at, rules, strlen(rules)) != 0 || strcmp(at + strlen(rules), bad[i].at) != 0 ||
            !strstr(err.message, says))
            fail_msg("%s: %s: %s", bad[i].text, at, err.message);
    }
    assert_int_equal(sh("rm -rf '%s'", dir), 0);
}

static void no_rule_is_not_deny(void **state) {
    (void)state;
    dr_engine *e = engine_for(DR_TOP "/tests/fixtures/rules-sandbox", DR_TOP "/corpus");
    json_t *d = decide(e, "{\"id\":\"nobody\",\"product\":\"azure\"}", NULL);
    assert_string_equal(str(d, "decision"), "no_rule");
    json_decref(d);
    d = decide(e, "{\"id\":\"x\",\"product\":\"office365\"}", NULL);
    assert_string_equal(str(d, "decision"), "no_rule");
    json_decref(d);
    dr_engine_free(e);
}

static void bad_accounts_say_where(void **state) {
    (void)state;
    dr_engine *e = engine_for(DR_TOP "/rules", DR_TOP "/corpus");
    static const struct {
        const char *json;
        int line, col;
        const char *says;
    } bad[] = {
        {"{\"id\":\"a\",\"product\":\"azure\"", 1, 27, "end of file"},
        {"{\"id\":\"a\",\n \"product\":\"gcp\"}", 2, 2, "product"},
        {"{\"id\":\"a\",\"product\":\"azure\",\n\"date\":\"2017-02-30\"}", 2, 1, "not a date"},
        {"{\"id\":\"a\",\"product\":\"azure\",\"actor\":{\"roles\":[\"king\"]}}", 1, 38, "king is not a role"},
        {"{\"id\":\"a\",\"product\":\"azure\",\"assigned_licenses\":\"30\"}", 1, 29, "whole number"},
        {"{\"id\":\"a\",\"product\":\"azure\",\"support_plan\":{\"monthly_fee\":\"12.3.4\",\"currency\":\"USD\"}}",
         1, 45, "not a decimal"},
        {"{\"id\":\"a\",\"product\":\"azure\",\"support_plan\":{\"monthly_fee\":\"1e9\",\"currency\":\"USD\"}}",
         1, 45, "not a decimal"},
        {"{\"id\":\"a\",\"product\":\"azure\",\"support_plan\":{\"monthly_fee\":12.5,\"currency\":\"USD\"}}",
         1, 45, "not a number"},
        {"{\"id\":\"a\",\"product\":\"azure\",\"support_plan\":{\"monthly_fee\":\"12\",\"currency\":\"ABC\"}}",
         1, 64, "not a currency"},
        {"[1,2]", 1, 1, "object"},
        {"{\"product\":\"azure\"}", 1, 1, "no \"id\""},
        {"{\"id\":\"a\",\"id\":\"b\",\"product\":\"azure\"}", 1, 0, "duplicate"},
        {"{\"id\":\"a\",\"product\":\"azure\",\"locale\":\"zh tw<script>\"}", 1, 0, "language tag"},
        /* A null among the roles is not a role, wherever it is. */
        {"{\"id\":\"a\",\"product\":\"azure\",\"actor\":{\"roles\":[\"user\",null]}}", 1, 38,
         "a non-string is not a role"},
        {"{\"id\":\"a\",\"product\":\"azure\",\"actor\":{\"roles\":[[\"user\"]]}}", 1, 38,
         "a non-string is not a role"},
        /* Fields are where the contract puts them: a roles list elsewhere
         * is the account's own business. */
        {"{\"id\":\"a\",\"product\":\"azure\",\"x\":{\"roles\":[5]},\"actor\":[]}", 1, 47, "must be an object"},
        {"{\"id\":\"a\",\"product\":\"azure\",\"support_plan\":{\"monthly_fee\":\"12\"},"
         "\"subscription\":{\"billing\":{\"currency\":\"EUR\"}}}", 1, 0, "needs its currency"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        dr_query q = {0};
        char *out = NULL;
        dr_error err;
        dr_error_clear(&err);
        /* (a good account first: its outcome must not outlive it) */
        json_decref(decide(e, "{\"id\":\"good\",\"product\":\"azure\"}", NULL));
        int rc = dr_engine_decide(e, bad[i].json, strlen(bad[i].json), &q, &out, &err);
        if (rc != DR_EPARSE || !strstr(err.message, bad[i].says) || err.line != bad[i].line ||
            (bad[i].col && err.col != bad[i].col))
            fail_msg("case %zu: rc %d at %d:%d: %s", i, rc, err.line, err.col, err.message);
        const char *od, *oa, *oi;
        dr_engine_outcome(e, &od, &oa, &oi);
        if (od || oa || oi) fail_msg("case %zu: an account not read has an outcome: %s", i, od ? od : "");
    }
    /* 100,000-deep nesting and NUL bytes are errors, not crashes. */
    size_t n = 200001;
    char *deep = malloc(n + 1);
    for (size_t i = 0; i < 100000; i++) deep[i] = '[';
    for (size_t i = 100000; i < 200000; i++) deep[i] = ']';
    deep[200000] = '\0';
    dr_query q = {0};
    char *out;
    dr_error err;
    assert_int_equal(dr_engine_decide(e, deep, 200000, &q, &out, &err), DR_EPARSE);
    free(deep);
    static const char nul[] = "{\"id\":\"a\0\",\"product\":\"azure\"}";
    assert_int_equal(dr_engine_decide(e, nul, sizeof nul - 1, &q, &out, &err), DR_EPARSE);
    static const char bad_utf8[] = "{\"id\":\"\xff\",\"product\":\"azure\"}";
    assert_int_equal(dr_engine_decide(e, bad_utf8, sizeof bad_utf8 - 1, &q, &out, &err), DR_EPARSE);
    dr_engine_free(e);
}

/* A stream naming thousands of languages cannot fill the engine: the
 * caches are bounded, so decisions go on without memory errors. */
static void many_locales_do_not_exhaust_memory(void **state) {
    (void)state;
    const char *c[1] = {DR_TOP "/corpus"};
    dr_engine_opts o = {DR_TOP "/rules", c, 1, 0, 8 * 1024 * 1024, "2026-01-01", NULL};
    dr_engine *e;
    dr_error err;
    assert_int_equal(dr_engine_new(&o, &e, &err), DR_OK);
    for (int i = 0; i < 3000; i++) {
        char acct[256];
        snprintf(acct, sizeof acct,
                 "{\"id\":\"a%d\",\"product\":\"azure\",\"locale\":\"xx-%d\","
                 "\"actor\":{\"roles\":[\"account_admin\"]}}", i, i);
        json_t *d = decide(e, acct, NULL);
        if (strcmp(str(d, "decision"), "allow") != 0) fail_msg("account %d: %s", i, str(d, "error"));
        json_decref(d);
    }
    dr_engine_free(e);
}

/* A decision is the same with a trace as without (the trace's walk runs
 * the conditions on watching proxies): over many languages and days that
 * change, with lualib.c's contexts kept between them. */
static void traced_decisions_are_the_plain_ones(void **state) {
    (void)state;
    static const char *const real[] = {"en-us", "zh-tw", "de-de", "ja-jp", "nl-nl", "fr-fr", "ko-kr"};
    static const char *const days[] = {NULL, "2016-12-01", "2019-06-01"};
    dr_engine *e = engine_for(DR_TOP "/rules", DR_TOP "/corpus");
    for (int round = 0; round < 6; round++)
        for (int i = 0; i < 40; i++) {
            char loc[16], acct[400];
            if (i < 7) snprintf(loc, sizeof loc, "%s", real[i]);
            else snprintf(loc, sizeof loc, "xx-%d", i);
            snprintf(acct, sizeof acct,
                     i % 2 ? "{\"id\":\"k%d\",\"product\":\"azure\",\"locale\":\"%s\",\"date\":\"2019-07-01\","
                             "\"actor\":{\"roles\":[\"account_admin\"]},\"subscription\":{\"type\":\"payg\"}}"
                           : "{\"id\":\"k%d\",\"product\":\"office365\",\"locale\":\"%s\",\"assigned_licenses\":%d,"
                             "\"actor\":{\"roles\":[\"global_admin\"]}}",
                     i, loc, 10 + i);
            const char *day = days[round % 3];
            json_t *a = decide(e, acct, day), *b = decide_explained(e, acct, day);
            json_object_del(b, "explain");
            if (!json_equal(a, b)) {
                char *x = json_dumps(a, 0), *y = json_dumps(b, 0);
                fail_msg("%s (as of %s): plain %s, under --explain %s", acct, day ? day : "today", x, y);
            }
            json_decref(a);
            json_decref(b);
        }
    dr_engine_free(e);
}

static void two_engines_live_in_one_process(void **state) {
    (void)state;
    dr_engine *a = engine_for(DR_TOP "/rules", DR_TOP "/corpus");
    dr_engine *b;
    dr_error err;
    assert_int_equal(dr_engine_fork(a, &b, &err), DR_OK);
    static const char acct[] = "{\"id\":\"a\",\"product\":\"office365\",\"actor\":{\"roles\":[\"global_admin\"]},"
                               "\"assigned_licenses\":3}";
    json_t *x = decide(a, acct, NULL), *y = decide(b, acct, NULL);
    assert_true(json_equal(x, y));
    json_decref(x);
    json_decref(y);
    dr_engine_free(b);
    dr_engine_free(a);
}

/* The account has two readers, yajl where it may and jansson always: on
 * lines that probe their differences both must refuse, or both give the
 * same table. (fuzz/fuzz_account.c asks the same of random lines.) */
static int read_with(dr_engine *e, const char *text, int path, dr_buf *out, dr_error *err) {
    dr_error_clear(err);
    int rc = dr_account_read(e, text, strlen(text), path, err);
    if (rc == DR_OK) {
        dr_json_write(e->L, -1, out);
        lua_pop(e->L, 1);
    }
    return rc;
}

/* A string as JSON, byte by byte, as engine/json.c wrote every string
 * before it copied plain ASCII words whole: the reference its fast path
 * must equal. */
static void reference_json_string(dr_buf *b, const unsigned char *s, size_t n) {
    if (!dr_utf8_valid((const char *)s, n)) {
        /* each byte that starts no sequence as U+FFFD */
        char *fixed = malloc(3 * n + 1);
        size_t k = 0;
        for (size_t i = 0; i < n;) {
            size_t q = dr_utf8_seq(s + i, n - i);
            if (q) memcpy(fixed + k, s + i, q), k += q, i += q;
            else memcpy(fixed + k, "\xEF\xBF\xBD", 3), k += 3, i++;
        }
        reference_json_string(b, (const unsigned char *)fixed, k);
        free(fixed);
        return;
    }
    dr_buf_put(b, "\"", 1);
    for (size_t i = 0; i < n; i++) {
        char esc[8];
        switch (s[i]) {
        case '"': dr_buf_puts(b, "\\\""); break;
        case '\\': dr_buf_puts(b, "\\\\"); break;
        case '\b': dr_buf_puts(b, "\\b"); break;
        case '\f': dr_buf_puts(b, "\\f"); break;
        case '\n': dr_buf_puts(b, "\\n"); break;
        case '\r': dr_buf_puts(b, "\\r"); break;
        case '\t': dr_buf_puts(b, "\\t"); break;
        default:
            if (s[i] < 0x20) {
                snprintf(esc, sizeof esc, "\\u%04X", s[i]);
                dr_buf_puts(b, esc);
            } else {
                dr_buf_put(b, (const char *)s + i, 1);
            }
        }
    }
    dr_buf_put(b, "\"", 1);
}

/* Every byte that is not plain ASCII, at every place of strings of 0 to
 * 40 bytes (across the 8-byte words the writer copies whole), is written
 * as the byte-by-byte writer wrote it. */
static void json_strings_are_written_byte_for_byte(void **state) {
    (void)state;
    static const char *const odd[] = {"\"", "\\", "\x01", "\x1f", "\n", "\t", "\x7f", "\xc3\xa9", "\xff", "\xe2\x82",
                                      " ", "~", "\xf0\x9f\x98\x80"};
    unsigned char s[64];
    for (size_t n = 0; n <= 40; n++)
        for (size_t at = 0; at <= n; at++)
            for (size_t k = 0; k < sizeof odd / sizeof *odd; k++) {
                size_t m = 0;
                for (size_t i = 0; i < at; i++) s[m++] = (unsigned char)('a' + i % 26);
                size_t ol = strlen(odd[k]);
                memcpy(s + m, odd[k], ol);
                m += ol;
                for (size_t i = at; i < n; i++) s[m++] = (unsigned char)('A' + i % 26);
                dr_buf got = {0}, want = {0};
                dr_json_put_string(&got, (const char *)s, m);
                reference_json_string(&want, s, m);
                if (got.n != want.n || memcmp(got.s, want.s, got.n) != 0)
                    fail_msg("%zu bytes, odd %zu at %zu: %s, want %s", m, k, at, got.s, want.s);
                free(got.s);
                free(want.s);
            }
    /* A rule's text that is not UTF-8 keeps the rest of its words. */
    dr_buf b = {0};
    dr_json_put_string(&b, "caf\xe9 \"x\"", 8);
    assert_string_equal(b.s, "\"caf\xEF\xBF\xBD \\\"x\\\"\"");
    free(b.s);
}

static void account_readers_agree(void **state) {
    (void)state;
    dr_engine *e = engine_for(DR_TOP "/rules", DR_TOP "/corpus");
    static const struct {
        const char *text;
        int ok;
    } cases[] = {
        {"{\"id\":\"a\",\"product\":\"azure\",\"actor\":{\"roles\":[\"owner\"]},\"x\":[1,2.5,-0,1E2,true,null]}", 1},
        {"{\"id\":\"a\",\"product\":\"azure\",\"x\":null,\"x\":1}", 0},
        {"{\"id\":\"a\",\"product\":\"azure\",\"x\":{\"y\":null}}", 1},
        {"{\"id\":\"a\",\"product\":\"azure\",\"actor\":[]}", 0},
        {"{\"id\":\"a\",\"product\":\"azure\",\"actor\":{\"roles\":{}}}", 0},
        {"{\"id\":\"a\",\"product\":\"azure\",\"tenant\":{}}", 1},
        {"{\"id\":\"\\u00e9\",\"product\":\"azure\"}", 1},
        {"{\"id\":\"\\ud800\",\"product\":\"azure\"}", 0},
        {"{\"id\":\"\xc0\xaf\",\"product\":\"azure\"}", 0},
        {"{\"id\":\"\xed\xa0\x80\",\"product\":\"azure\"}", 0},
        {"{\"id\":\"é\",\"product\":\"azure\"}", 1},
        {"{\"id\":\"a\",\"product\":\"azure\",\"assigned_licenses\":25.0}", 0},
        {"{\"id\":\"a\",\"product\":\"azure\",\"assigned_licenses\":01}", 0},
        {"{\"id\":\"a\",\"product\":\"azure\",\"assigned_licenses\":1.}", 0},
        {"{\"id\":\"a\",\"product\":\"azure\",\"x\":12345678901234567890}", 0},
        {"{\"id\":\"a\",\"product\":\"azure\",\"x\":1e999}", 0},
        {"{\"id\":\"a\",\"product\":\"azure\",\"x\":[1,]}", 0},
        {"{\"id\":\"a\",\"product\":\"azure\",}", 0},
        {"{\"id\":\"a\",\"product\":\"azure\"} x", 0},
        {"{\"id\":\"a\",\"product\":\"azure\"}{}", 0},
        {"{\"id\":\"a\",\"product\":\"azure\"} \"", 0},
        {"{\"id\":\"a\",\"product\":\"azure\"} \"x\"", 0},
        {"{\"id\":\"a\",\"product\":\"azure\"} 1", 0},
        {"{\"id\":\"a\",\"product\":\"azure\"} t", 0},
        {"{\"id\":\"a\",\"product\":\"azure\"}   ", 1},
        {"\t{\"id\":\"a\",\"product\":\"azure\"}\r", 1},
        {"{\"id\":\"a\tb\",\"product\":\"azure\"}", 0},
        {"{\"id\":\"a\",\"product\":\"azure\",\"x\":\"a\\\\u0041\"}", 1},
        {"[1,2]", 0},
        {"\"str\"", 0},
        {"", 0},
        {"{\"id\":\"a\",\"product\":\"azure\",\"x\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
         "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}", 1},
        {"{\"id\":\"a\",\"product\":\"azure\",\"x\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
         "[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}", 0},
        {"{\"id\":\"a\",\"product\":\"microsoft365\"}", 1},
        {"{\"id\":\"a\",\"product\":\"azure\",\"actor\":{\"roles\":[\"user\",null]}}", 0},
        {"{\"id\":\"a\",\"product\":\"azure\",\"x\":{\"actor\":{\"roles\":[\"king\"]}}}", 1},
    };
    /* The account fuzzer's find: yajl took a complete object followed by
     * the start of a string as the object alone. */
    size_t flen;
    char *found = slurp(DR_TOP "/tests/fixtures/fuzz/account-readers-trailing-quote.json", &flen);
    assert_non_null(found);
    dr_buf fa = {0}, sa = {0};
    dr_error efa, esa;
    assert_int_equal(read_with(e, found, DR_ACCOUNT_AUTO, &fa, &efa), DR_EPARSE);
    assert_int_equal(read_with(e, found, DR_ACCOUNT_SLOW, &sa, &esa), DR_EPARSE);
    free(found);
    free(fa.s);
    free(sa.s);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        dr_buf fast = {0}, slow = {0};
        dr_error ef, es;
        unsigned long before = e->slow_reads;
        int rf = read_with(e, cases[i].text, DR_ACCOUNT_AUTO, &fast, &ef);
        /* A plain valid line never needs jansson: the fast path is in use. */
        if (i == 0) assert_int_equal(e->slow_reads, before);
        int rs = read_with(e, cases[i].text, DR_ACCOUNT_SLOW, &slow, &es);
        if (rf != rs || (rf == DR_OK && strcmp(fast.s, slow.s) != 0) || (rf == DR_OK) != cases[i].ok)
            fail_msg("case %zu: fast %d %s (%s) / slow %d %s (%s)", i, rf, fast.s ? fast.s : "",
                     ef.message, rs, slow.s ? slow.s : "", es.message);
        if (rf != DR_OK) assert_true(ef.line >= 1 && ef.col >= 1);
        free(fast.s);
        free(slow.s);
    }
    dr_engine_free(e);
}

/* The prelude every state runs is the build's bytecode (engine/gen/
 * prelude_dump.c): this Lua must read it, and it must be prelude.lua's
 * text compiled, debug lines and all, not a stale or stripped copy. */
extern const unsigned char dr_prelude_luac[], dr_prelude_lua[];
extern const unsigned long dr_prelude_luac_len, dr_prelude_lua_len;

static int dump_to(lua_State *L, const void *p, size_t n, void *ud) {
    (void)L;
    dr_buf_put(ud, p, n);
    return 0;
}

static void prelude_bytecode_is_its_text_compiled(void **state) {
    (void)state;
    lua_State *L = luaL_newstate();
    assert_non_null(L);
    assert_int_equal(luaL_loadbufferx(L, (const char *)dr_prelude_luac, dr_prelude_luac_len, "=prelude", "b"), LUA_OK);
    lua_pop(L, 1);
    size_t n = 0;
    char *text = slurp(DR_TOP "/engine/prelude.lua", &n);
    assert_non_null(text);
    assert_int_equal(n, dr_prelude_lua_len);
    assert_memory_equal(text, dr_prelude_lua, n);
    assert_int_equal(luaL_loadbufferx(L, text, n, "=prelude", "t"), LUA_OK);
    dr_buf b = {0};
    assert_int_equal(lua_dump(L, dump_to, &b, 0), 0);
    assert_int_equal(b.n, dr_prelude_luac_len);
    assert_memory_equal(b.s, dr_prelude_luac, b.n);
    free(b.s);
    free(text);
    lua_close(L);
    /* And an engine runs that bytecode (a refused one would be compiled
     * from the text: the same rules, only slower, which nothing else here
     * would notice), its forks too. */
    dr_engine *e = engine_for(DR_TOP "/rules", DR_TOP "/corpus");
    assert_false(e->prelude_from_text);
    dr_engine *f;
    dr_error err;
    assert_int_equal(dr_engine_fork(e, &f, &err), DR_OK);
    assert_false(f->prelude_from_text);
    dr_engine_free(f);
    dr_engine_free(e);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(examples_get_their_decisions),
        cmocka_unit_test(fields_select_without_changing_the_decision),
        cmocka_unit_test(lean_decisions_are_the_full_ones),
        cmocka_unit_test(the_budget_counts_the_rules_work_alone),
        cmocka_unit_test(changing_the_doc_changes_the_decision),
        cmocka_unit_test(every_day_decides_as_a_fresh_engine),
        cmocka_unit_test(sandbox_stops_every_escape_and_runaway),
        cmocka_unit_test(explain_says_what_each_condition_compared),
        cmocka_unit_test(explain_proxies_read_as_the_tables_do),
        cmocka_unit_test(explain_decides_as_the_plain_path),
        cmocka_unit_test(rule_script_errors_name_file_and_line),
        cmocka_unit_test(anchor_mistakes_say_where),
        cmocka_unit_test(shared_rule_is_one_definition),
        cmocka_unit_test(shared_rule_mistakes_say_where),
        cmocka_unit_test(no_rule_is_not_deny),
        cmocka_unit_test(bad_accounts_say_where),
        cmocka_unit_test(many_locales_do_not_exhaust_memory),
        cmocka_unit_test(traced_decisions_are_the_plain_ones),
        cmocka_unit_test(prelude_bytecode_is_its_text_compiled),
        cmocka_unit_test(two_engines_live_in_one_process),
        cmocka_unit_test(account_readers_agree),
        cmocka_unit_test(json_strings_are_written_byte_for_byte),
    };
    return cmocka_run_group_tests_name("engine", tests, scratch_setup, scratch_teardown);
}
