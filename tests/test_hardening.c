/* Bad input: hostile docs keep the work linear (by counting the model's
 * bytes, not by timing), hostile corpora finish with findings, hostile
 * streams keep one line out per line in. */
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <time.h>

#include "testutil.h"
#include "sandbox_attacks.h"

#include "../engine/engine.h"
#include "../facts/facts.h"
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
    char dir[256];
    scratch_mkdtemp(dir, sizeof dir, "hostile");
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
    dr_validate_opts o = {.paths = paths, .npaths = 1, .jobs = 2};
    dr_report r;
    dr_error err;
    assert_int_equal(dr_validate(&o, &r, &err), DR_OK);
    assert_true(has(&r, "latin1.md", "utf8-invalid"));
    assert_true(has(&r, "dangling.md", "symlink-skipped"));
    assert_true(has(&r, "fifo.md", "file-unreadable"));
    assert_true(has(&r, "huge.md", "file-too-large"));
    assert_true(has(&r, "nested.md", "nesting-too-deep"));
    assert_int_equal(r.files, 3); /* the symlinks are not followed, the FIFO not opened */
    dr_report_free(&r);
    /* Every command walks the folder one way: check and facts read the
     * same three docs (not blocking on the FIFO, not following the loop),
     * under a timeout that turns a hang into a failure. */
    char run[1024];
    snprintf(run, sizeof run, "timeout 60 '%s/docrules' facts --corpus '%s' --format json > /dev/null 2>&1", DR_BUILD, dir);
    assert_int_equal(WEXITSTATUS(system(run)), 0);
    snprintf(run, sizeof run,
             "echo '{\"id\":\"a\",\"product\":\"azure\"}' | timeout 60 '%s/docrules' check - --corpus '%s' "
             "--format json > /dev/null 2>&1", DR_BUILD, dir);
    assert_int_equal(WEXITSTATUS(system(run)), 0);
    /* extract says the same and exits 0: a bad doc is not a failure. */
    char cmd[2048], txt[512];
    scratch_path(txt, sizeof txt, "hostile.txt");
    snprintf(cmd, sizeof cmd, "'%s/docrules' extract --stats '%s' > '%s' 2>&1", DR_BUILD, dir, txt);
    int st = system(cmd);
    char *out = slurp(txt, NULL);
    assert_non_null(out);
    if (WEXITSTATUS(st) != 2 || !strstr(out, "file-too-large: 1")) fail_msg("extract: %d\n%s", st, out);
    free(out);
    snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s'", dir, txt);
    assert_int_equal(system(cmd), 0);
}

/* A run of digits no long holds, in a translation and its English: the
 * alignment compares units by their numbers, and the run once overflowed
 * (undefined behaviour; UBSan stops `make asan` on it; found by
 * fuzz/fuzz_corpus.c). The units around it are read as before. */
static void digit_runs_past_a_long_align_as_before(void **state) {
    (void)state;
    char dir[256], cmd[2048];
    scratch_mkdtemp(dir, sizeof dir, "digits");
    snprintf(cmd, sizeof cmd,
             "cp '%s/tests/fixtures/aligned/'*.md '%s/' && "
             "printf '\\nReference 123456789012345678901234567890 and 99999999999999999999999.\\n' >> '%s/cancel.en-us.md' && "
             "printf '\\nRiferimento 123456789012345678901234567890 e 99999999999999999999999.\\n' >> '%s/cancel.it-it.md'",
             DR_TOP, dir, dir, dir);
    assert_int_equal(system(cmd), 0);
    const char *corpus[1] = {dir};
    dr_engine_opts o = {DR_TOP "/rules", corpus, 1, 200000, 32 * 1024 * 1024, "2026-01-01", NULL};
    dr_engine *e;
    dr_error err;
    assert_int_equal(dr_engine_new(&o, &e, &err), DR_OK);
    size_t nf;
    const dr_fact *f = dr_factset_facts(dr_engine_factset(e), &nf);
    int retention = 0;
    for (size_t k = 0; k < nf; k++)
        retention |= strstr(dr_doc_path(f[k].doc), "cancel.it-it.md") && f[k].value == 90 &&
                     !strcmp(dr_catalog_fact_name(dr_engine_catalog(e), f[k].fact), "data_retention_days");
    assert_true(retention);
    dr_engine_free(e);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

static void hostile_stream_keeps_one_line_per_line(void **state) {
    (void)state;
    char in[512], outp[512];
    scratch_path(in, sizeof in, "hostile.ndjson");
    scratch_path(outp, sizeof outp, "hostile.out");
    FILE *f = fopen(in, "wb");
    assert_non_null(f);
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
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s/docrules' batch -j 2 < '%s' > '%s'", DR_TOP, DR_BUILD, in, outp);
    int st = system(cmd);
    assert_int_equal(WEXITSTATUS(st), 0);
    size_t n = 0;
    char *out = slurp(outp, &n);
    assert_non_null(out);
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
    unlink(in);
    unlink(outp);
}

/* A runaway rule stops that account only; the limits are settable. */
static void batch_goes_on_after_a_runaway_rule(void **state) {
    (void)state;
    char cmd[2048], outp[512];
    scratch_path(outp, sizeof outp, "runaway.out");
    snprintf(cmd, sizeof cmd,
             "cd '%s' && printf '%%s\\n' '{\"id\":\"loop\",\"product\":\"azure\"}' "
             "'{\"id\":\"fine\",\"product\":\"azure\"}' '{\"id\":\"rep_gb\",\"product\":\"azure\"}' "
             "'{\"id\":\"fine\",\"product\":\"azure\"}' | '%s/docrules' batch --rules "
             "tests/fixtures/rules-sandbox --max-instructions 200000000 --max-memory 8 > '%s'",
             DR_TOP, DR_BUILD, outp);
    assert_int_equal(WEXITSTATUS(system(cmd)), 0);
    char *out = slurp(outp, NULL);
    assert_non_null(out);
    char *l1 = strtok(out, "\n"), *l2 = strtok(NULL, "\n"), *l3 = strtok(NULL, "\n"), *l4 = strtok(NULL, "\n");
    assert_non_null(l4);
    /* The line of the loop itself, and Lua's traceback beside it. */
    /* (A budget large enough for rep_gb's gigabyte, charged by its bytes
     * before it runs, to meet the memory limit first.) */
    assert_non_null(strstr(l1, "evil.lua:8: instruction budget exceeded (200000000 instructions"));
    assert_non_null(strstr(l1, "\"traceback\":\"\\ttests/fixtures/rules-sandbox/evil.lua:8:"));
    /* Only the author's frames: not the rule language's own. */
    assert_null(strstr(l1, "prelude:"));
    assert_null(strstr(l1, "[C]"));
    assert_non_null(strstr(l2, "\"decision\":\"allow\""));
    assert_non_null(strstr(l3, "memory limit exceeded (8 MiB"));
    assert_non_null(strstr(l4, "\"decision\":\"allow\""));
    free(out);
    unlink(outp);
}

/* The wall-clock backstop: an instruction that does long work in C no
 * charge sees (== of two distinct 8 MiB strings is one memcmp, < of them
 * 8 million strcoll calls when they are NULs) stops at the time limit (5 s
 * + 100 ns an instruction), not after the budget's instructions (minutes
 * here without it); the batch goes on. */
static void long_work_in_one_instruction_meets_the_time_limit(void **state) {
    (void)state;
    char dir[512], outp[600];
    scratch_path(dir, sizeof dir, "slow-rules");
    snprintf(outp, sizeof outp, "%s.out", dir);
    assert_int_equal(sh("rm -rf '%s' && mkdir -p '%s' && cp '%s/tests/fixtures/rules-sandbox/accounts.lua' '%s/' && "
                        "printf '%%s\n' 'local p = policy { id = \"slow\", product = \"azure\", action = \"cancel-subscription\" }' "
                        "'p:rule { id = \"slow.compare\", uses = {}, decision = \"deny\", when = function()' "
                        "'  local a, b, n = (\"\\0\"):rep(1 << 23), (\"\\0\"):rep(1 << 23), 0' "
                        "'  while true do if a == b then n = n + 1 end if a < b then n = n + 1 end end' 'end }' > '%s/slow.lua'",
                        dir, dir, DR_TOP, dir, dir), 0);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(sh("printf '%%s\n' '{\"id\":\"s\",\"product\":\"azure\"}' '{\"id\":\"t\",\"product\":\"office365\"}' | "
                        "timeout 60 '%s/docrules' batch --rules '%s' --max-instructions 5000000 > '%s'", DR_BUILD, dir, outp), 0);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    /* Within an instruction of the limit: a state this big (two 8 MiB
     * strings) has the hook at every instruction, where each < of 8 MiB of
     * NULs is 8 million strcoll calls (about 20 s more at every 1,000). */
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    if (secs > 12) fail_msg("the time limit of 5.5 s was seen after %.1f s", secs);
    char *out = slurp(outp, NULL);
    assert_non_null(out);
    if (!strstr(out, "slow.lua:4: time limit exceeded (5.5 s for a budget of 5000000 instructions") ||
        !strstr(out, "\n{\"id\":\"t\""))
        fail_msg("%s", out);
    free(out);
}

/* Every sandbox attack through the command line: `check` one at a time
 * and `batch -j 2` with all of them between harmless accounts, under
 * `timeout` so that a regression fails here instead of hanging CI. */
static void sandbox_attacks_through_check_and_batch(void **state) {
    (void)state;
    char in[512], out[512];
    scratch_path(in, sizeof in, "attacks.ndjson");
    scratch_path(out, sizeof out, "attacks.out");
    FILE *f = fopen(in, "w");
    assert_non_null(f);
    for (int round = 0; round < 2; round++)
        for (size_t i = 0; i < N_SANDBOX_ATTACKS; i++)
            fprintf(f, SANDBOX_ACCOUNT "\n" SANDBOX_FINE "\n", sandbox_attacks[i].id);
    fclose(f);
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "cd '%s' && timeout 120 '%s/docrules' batch -j 2 --rules tests/fixtures/rules-sandbox "
             "--max-instructions 100000 --max-memory 16 < '%s' > '%s'",
             DR_TOP, DR_BUILD, in, out);
    int rc = system(cmd);
    if (WEXITSTATUS(rc) == 124) fail_msg("batch -j 2 over the attacks did not finish in 120 s");
    assert_int_equal(WEXITSTATUS(rc), 0);
    char *text = slurp(out, NULL);
    assert_non_null(text);
    char *line = strtok(text, "\n");
    for (int round = 0; round < 2; round++)
        for (size_t i = 0; i < N_SANDBOX_ATTACKS; i++) {
            assert_non_null(line);
            if (!strstr(line, "\"decision\":\"error\"") || !sandbox_says(line, sandbox_attacks[i].says) ||
                !strstr(line, "evil.lua:"))
                fail_msg("batch, %s: %s", sandbox_attacks[i].id, line);
            line = strtok(NULL, "\n");
            assert_non_null(line);
            if (!strstr(line, "\"decision\":\"allow\""))
                fail_msg("batch, the account after %s: %s", sandbox_attacks[i].id, line);
            line = strtok(NULL, "\n");
        }
    assert_null(line);
    free(text);
    for (size_t i = 0; i < N_SANDBOX_ATTACKS; i++) {
        snprintf(cmd, sizeof cmd,
                 "cd '%s' && echo '" SANDBOX_ACCOUNT "' | timeout 60 '%s/docrules' check - "
                 "--format json --rules tests/fixtures/rules-sandbox --max-instructions 100000 --max-memory 16 > '%s'",
                 DR_TOP, sandbox_attacks[i].id, DR_BUILD, out);
        rc = system(cmd);
        if (WEXITSTATUS(rc) == 124) fail_msg("check, %s: did not finish in 60 s", sandbox_attacks[i].id);
        text = slurp(out, NULL);
        assert_non_null(text);
        if (!strstr(text, "\"decision\": \"error\"") && !strstr(text, "\"decision\":\"error\""))
            fail_msg("check, %s: %s", sandbox_attacks[i].id, text);
        if (!sandbox_says(text, sandbox_attacks[i].says)) fail_msg("check, %s: %s", sandbox_attacks[i].id, text);
        free(text);
    }
    unlink(in);
    unlink(out);
}

/* Replaces the first `from` in the file at path with `to`. */
static void patch_file(const char *path, const char *from, const char *to) {
    char *text = slurp(path, NULL);
    assert_non_null(text);
    char *at = strstr(text, from);
    if (!at) fail_msg("%s: no '%s' to patch", path, from);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fwrite(text, 1, (size_t)(at - text), f);
    fputs(to, f);
    fputs(at + strlen(from), f);
    fclose(f);
    free(text);
}

/* A rule's facts are kept for every account decided on the same day's
 * docs; a rule that writes to them must not change the next account's
 * decision (nor make -j 2 differ from -j 1). Writing a fact is an error at
 * the rule's line; a list of the facts is the decision's own: what a rule
 * does to it is gone by the next account. */
static void rule_that_writes_its_facts_changes_no_other_decision(void **state) {
    (void)state;
    char dir[256];
    scratch_mkdtemp(dir, sizeof dir, "rules");
    char cmd[2048], script[600], in[512], out[512];
    snprintf(cmd, sizeof cmd, "cp -R '%s/rules/.' '%s/'", DR_TOP, dir);
    assert_int_equal(system(cmd), 0);
    snprintf(script, sizeof script, "%s/office365-cancel.lua", dir);
    /* Account "scalar" lowers the limit it compares with, "raw" the same
     * with rawset, "grow" adds a role to the list; account "list" changes
     * the first of the admin roles it answers with. Every account walks
     * its facts with pairs, which must find both. */
    patch_file(script, "function(a, f) return a.assigned_licenses < f.online_cancel_max_licenses end",
               "function(a, f)\n"
               "        if a.id == \"scalar\" then f.online_cancel_max_licenses = 1 end\n"
               "        if a.id == \"raw\" then rawset(f, \"online_cancel_max_licenses\", 1) end\n"
               "        if a.id == \"grow\" then rawset(f.close_roles, #f.close_roles + 1, \"user\") end\n"
               "        local n = 0\n"
               "        for _ in pairs(f) do n = n + 1 end\n"
               "        if n ~= 2 then error(\"pairs(f) gave \" .. n .. \" facts\") end\n"
               "        return a.assigned_licenses < f.online_cancel_max_licenses end");
    patch_file(script, "required_roles = \"close_roles\"",
               "required_roles = function(a, f)\n"
               "    if a.id == \"list\" then f.close_roles[1] = \"billing_admin\" end\n"
               "    return f.close_roles end");
    scratch_path(in, sizeof in, "writers.ndjson");
    FILE *f = fopen(in, "w");
    assert_non_null(f);
    static const char *const ids[] = {"scalar", "plain", "list", "plain", "raw",   "plain",
                                      "grow",   "plain", "scalar", "list", "plain"};
    for (size_t i = 0; i < sizeof ids / sizeof *ids; i++)
        fprintf(f,
                "{\"id\":\"%s\",\"product\":\"office365\",\"date\":\"2020-04-20\",\"locale\":\"en-us\","
                "\"actor\":{\"roles\":[\"global_admin\"]},\"assigned_licenses\":20,"
                "\"subscription\":{\"type\":\"paid\",\"payment_method\":true}}\n",
                ids[i]);
    fclose(f);
    /* -j 1, -j 2, and --explain (whose rules read their facts through
     * watching proxies): the same decisions. */
    static const char *const runs[] = {"-j 1", "-j 2", "-j 1 --explain"};
    char *outs[3];
    for (int j = 0; j < 3; j++) {
        char name[32];
        snprintf(name, sizeof name, "writers-%d.out", j);
        scratch_path(out, sizeof out, name);
        snprintf(cmd, sizeof cmd,
                 "cd '%s' && DOCRULES_TODAY=2026-12-02 '%s/docrules' batch %s --no-cache --rules '%s' "
                 "--fields id,decision,required_roles,error < '%s' > '%s'",
                 DR_TOP, DR_BUILD, runs[j], dir, in, out);
        assert_int_equal(WEXITSTATUS(system(cmd)), 0);
        outs[j] = slurp(out, NULL);
        assert_non_null(outs[j]);
    }
    assert_string_equal(outs[0], outs[1]);
    /* --explain adds its trace (and a decision's traceback differs): the
     * decisions and errors are compared line by line. */
    char *save1 = NULL, *save3 = NULL;
    char *copy0 = strdup(outs[0]);
    assert_non_null(copy0);
    for (char *x = strtok_r(copy0, "\n", &save1), *y = strtok_r(outs[2], "\n", &save3); x || y;
         x = strtok_r(NULL, "\n", &save1), y = strtok_r(NULL, "\n", &save3)) {
        assert_non_null(x);
        assert_non_null(y);
        const char *keys[] = {"\"decision\":", "\"error\":"};
        for (size_t k = 0; k < 2; k++) {
            const char *px = strstr(x, keys[k]), *py = strstr(y, keys[k]);
            if (!px != !py) fail_msg("with and without --explain:\n%s\n%s", x, y);
            if (px && strncmp(px, py, strcspn(px, ",}")) != 0) fail_msg("with and without --explain:\n%s\n%s", x, y);
        }
    }
    free(copy0);
    free(outs[2]);
    char *line = strtok(outs[0], "\n");
    for (size_t i = 0; i < sizeof ids / sizeof *ids; i++) {
        assert_non_null(line);
        if (strcmp(ids[i], "scalar") == 0 || strcmp(ids[i], "raw") == 0) {
            if (!strstr(line, "\"decision\":\"error\"") || !strstr(line, "office365-cancel.lua:") ||
                !strstr(line, "facts are read-only: a rule cannot write \\\"online_cancel_max_licenses\\\""))
                fail_msg("a rule writing a fact: %s", line);
        } else if (strcmp(ids[i], "grow") == 0) {
            if (!strstr(line, "\"decision\":\"error\"") || !strstr(line, "office365-cancel.lua:") ||
                !strstr(line, "facts are read-only: a rule cannot write \\\"3\\\""))
                fail_msg("a rule growing a list of its facts: %s", line);
        } else if (strcmp(ids[i], "list") == 0) {
            if (!strstr(line, "\"required_roles\":[\"billing_admin\",\"billing_admin\"]"))
                fail_msg("the decision whose rule changed its list: %s", line);
        } else if (!strstr(line, "\"decision\":\"allow\",\"required_roles\":[\"global_admin\",\"billing_admin\"]")) {
            fail_msg("an account after one whose rule wrote to its facts: %s", line);
        }
        line = strtok(NULL, "\n");
    }
    free(outs[0]);
    free(outs[1]);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

/* A rule script that is a link is not followed, and a rule set missing it
 * is not loaded half: an error naming the link. */
static void linked_rule_script_is_an_error(void **state) {
    (void)state;
    char dir[256];
    scratch_mkdtemp(dir, sizeof dir, "rules");
    char cmd[2048], link[600];
    snprintf(cmd, sizeof cmd, "cp -R '%s/rules/.' '%s/'", DR_TOP, dir);
    assert_int_equal(system(cmd), 0);
    snprintf(link, sizeof link, "%s/elsewhere.lua", dir);
    assert_int_equal(symlink("/etc/hostname", link), 0);
    const char *c[1] = {DR_TOP "/corpus"};
    dr_engine_opts o = {dir, c, 1, 0, 0, NULL, NULL};
    dr_engine *e = NULL;
    dr_error err;
    dr_error_clear(&err);
    assert_int_equal(dr_engine_new(&o, &e, &err), DR_EIO);
    assert_null(e);
    assert_non_null(strstr(err.file, "elsewhere.lua"));
    assert_non_null(strstr(err.message, "symbolic link"));
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

/* A script's load gets the decision's budget and 16 instructions for each
 * byte of its text: a case file of 12,000 plain cases loads and passes
 * under the default budget (the flat one stopped near 7,000), and a loop
 * at a script's top level still stops, at that bound, named. */
static void long_case_files_load_and_top_level_loops_stop(void **state) {
    (void)state;
    char dir[256], path[512], out[512];
    scratch_mkdtemp(dir, sizeof dir, "bigcases");
    assert_int_equal(sh("cp -R '%s/rules/.' '%s/'", DR_TOP, dir), 0);
    snprintf(path, sizeof path, "%s/tests/many.lua", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    for (int i = 0; i < 12000; i++)
        fprintf(f, "case {\n  name = \"case %d\",\n  as_of = \"2017-03-10\",\n  account = { id = \"az%d\", "
                   "product = \"azure\", date = \"2017-03-10\", actor = { roles = { \"user\" } } },\n"
                   "  expect = { decision = \"deny\" },\n}\n\n", i, i);
    assert_int_equal(fclose(f), 0);
    scratch_path(out, sizeof out, "bigcases.out");
    assert_int_equal(sh("cd '%s' && '%s/docrules' test --rules '%s' > '%s' 2>&1", DR_TOP, DR_BUILD, dir, out), 0);
    char *o = slurp(out, NULL);
    assert_non_null(o);
    const char *tail = strstr(o, " passed, 0 failed");
    if (!tail) fail_msg("not every case passed: %.300s", o);
    while (tail > o && tail[-1] >= '0' && tail[-1] <= '9') tail--;
    assert_true(atol(tail) > 12000); /* the 12,000 and the bundled ones */
    free(o);
    /* A loop at the top level: stopped at the budget and the bytes. */
    assert_int_equal(sh("rm '%s'", path), 0);
    snprintf(path, sizeof path, "%s/tests/loop.lua", dir);
    f = fopen(path, "w");
    assert_non_null(f);
    const char *loop = "local n = 0\nwhile true do n = n + 1 end\n";
    fputs(loop, f);
    assert_int_equal(fclose(f), 0);
    assert_int_not_equal(sh("cd '%s' && '%s/docrules' test --rules '%s' > '%s' 2>&1", DR_TOP, DR_BUILD, dir, out), 0);
    o = slurp(out, NULL);
    assert_non_null(o);
    char want[700];
    snprintf(want, sizeof want, "loop.lua:2: instruction budget exceeded (%ld instructions: --max-instructions and 16 "
             "for each byte of the script)", 1000000L + 16L * (long)strlen(loop));
    if (!strstr(o, want)) fail_msg("wanted '%s' in: %.300s", want, o);
    free(o);
    /* A budget within the bytes' share of LONG_MAX: the count must not
     * wrap (it did, and this table.move then ran unstopped). */
    assert_int_equal(sh("printf 'table.move({}, 1, math.maxinteger, 1)\\n' > '%s'", path), 0);
    assert_int_not_equal(sh("cd '%s' && timeout 20 '%s/docrules' test --rules '%s' --max-instructions "
                            "9223372036854775707 > '%s' 2>&1", DR_TOP, DR_BUILD, dir, out), 0);
    o = slurp(out, NULL);
    assert_non_null(o);
    if (!strstr(o, "loop.lua:1: instruction budget exceeded (9223372036854775806 instructions"))
        fail_msg("not stopped by the budget: %.300s", o);
    free(o);
    assert_int_equal(sh("rm -rf '%s'", dir), 0);
}

/* Paths are whole, however long: Lua cuts chunk names at 60 bytes, so
 * scripts are named by number and messages get their path back. A runaway
 * rule's error and its traceback, a load error (its place said once), and
 * the rule declarations validate cites all carry the 200-byte path. */
static void long_paths_are_whole(void **state) {
    (void)state;
    char dir[512], top[256], outp[512];
    scratch_path(top, sizeof top, "long");
    scratch_path(outp, sizeof outp, "long.out");
    assert_int_equal(mkdir(top, 0700), 0);
    snprintf(dir, sizeof dir, "%s/", top);
    while (strlen(dir) < 200) strcat(dir, "deeper-folder-name/");
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s' && cp -R '%s/tests/fixtures/rules-sandbox/.' '%s/'", dir, DR_TOP, dir);
    assert_int_equal(system(cmd), 0);
    snprintf(cmd, sizeof cmd,
             "echo '{\"id\":\"loop\",\"product\":\"azure\"}' | '%s/docrules' check - --format json --rules '%s' "
             "--corpus '%s/corpus' --max-instructions 5000 > '%s'", DR_BUILD, dir, DR_TOP, outp);
    assert_int_equal(WEXITSTATUS(system(cmd)), 3); /* an error decision */
    char *out = slurp(outp, NULL), want[700];
    assert_non_null(out);
    snprintf(want, sizeof want, "%sevil.lua:8: instruction budget exceeded", dir);
    if (!strstr(out, want)) fail_msg("no whole path in: %s", out);
    snprintf(want, sizeof want, "%sevil.lua:8: in local 'attack'", dir);
    if (!strstr(out, want)) fail_msg("no whole path in the traceback: %s", out);
    assert_null(strstr(out, "..."));
    free(out);
    /* A load error: the place once, then what is wrong. */
    snprintf(cmd, sizeof cmd, "printf 'local x = {\n' > '%sbroken.lua'", dir);
    assert_int_equal(system(cmd), 0);
    const char *c[1] = {DR_TOP "/corpus"};
    dr_engine_opts o = {dir, c, 1, 0, 0, NULL, NULL};
    dr_engine *e = NULL;
    dr_error err;
    dr_error_clear(&err);
    assert_int_equal(dr_engine_new(&o, &e, &err), DR_ERULE);
    snprintf(want, sizeof want, "%sbroken.lua", dir);
    assert_string_equal(err.file, want);
    assert_int_equal(err.line, 2);
    assert_null(strstr(err.message, "broken.lua"));
    assert_non_null(strstr(err.message, "expected"));
    /* validate names it whole too, and --explain names each rule's place whole. */
    snprintf(cmd, sizeof cmd, "'%s/docrules' validate --rules '%s' '%s/corpus' 2>/dev/null | grep -qF '%sbroken.lua:2:'",
             DR_BUILD, dir, DR_TOP, dir);
    assert_int_equal(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "mkdir '%swhole' && cp -R '%s/rules/.' '%swhole/' && '%s/docrules' check '%s/examples/azure-2017-account-admin.json' "
             "--explain --format json --rules '%swhole' --corpus '%s/corpus' | grep -qF '\"at\":\"%swhole/azure-cancel.lua:24\"'",
             dir, DR_TOP, dir, DR_BUILD, DR_TOP, dir, DR_TOP, dir);
    assert_int_equal(system(cmd), 0);
    /* Only this run's folder: a glob over /tmp removed another run's. */
    snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s'", top, outp);
    assert_int_equal(system(cmd), 0);
}

/* A fact pattern that backtracks catastrophically stops at PCRE2's limit. */
static void catastrophic_fact_pattern_stops(void **state) {
    (void)state;
    dr_catalog *c = dr_catalog_new();
    static const char *const anchors[] = {"t"};
    dr_error err;
    int f;
    assert_int_equal(dr_catalog_add_article(c, "a", NULL, anchors, 1, "x.lua", 1, &err), DR_OK);
    assert_int_equal(dr_catalog_add_fact(c, "n", "a", "flag", "x.lua", 2, &f, &err), DR_OK);
    assert_int_equal(dr_catalog_add_pattern(c, f, "en", NULL, 0, "^(a+)+$", "x.lua", 3, &err), DR_OK);
    char *text = repeat("a", 5000, "b\n");
    char *doc = malloc(strlen(text) + 64);
    sprintf(doc, "---\nms.contentlocale: en-US\n---\n# <a name=\"t\"></a>T\n\n%s", text);
    dr_parser *p = dr_parser_new(NULL);
    dr_doc *d;
    assert_int_equal(dr_doc_parse(p, "x.md", doc, strlen(doc), &d, NULL), DR_OK);
    dr_arena *a = dr_arena_new(0);
    void *md = dr_match_data_new();
    dr_fact *facts = NULL;
    size_t n = 0, cap = 0;
    assert_int_equal(dr_catalog_article_of(c, d), 0);
    /* Returns (no match within the limit) instead of running for ages. */
    assert_int_equal(dr_catalog_extract(c, d, 0, a, &facts, &n, &cap, md), 0);
    dr_match_data_free(md);
    dr_arena_free(a);
    dr_doc_free(d);
    dr_parser_free(p);
    dr_catalog_free(c);
    free(doc);
    free(text);
}

/* Regression for the account fuzzer's leak: a memory error inside the
 * facts lookup unwound past two malloc'd arrays. Under make asan,
 * LeakSanitizer fails this binary if anything leaks. */
static void memory_errors_leak_nothing(void **state) {
    (void)state;
    const char *c[1] = {DR_TOP "/corpus"};
    /* Room for the rules (about 210 KiB), little for decisions. */
    dr_engine_opts o = {DR_TOP "/rules", c, 1, 0, 240 * 1024, "2026-01-01", NULL};
    dr_engine *e;
    dr_error err;
    assert_int_equal(dr_engine_new(&o, &e, &err), DR_OK);
    int memory_errors = 0;
    for (int i = 0; i < 200; i++) {
        char acct[200];
        snprintf(acct, sizeof acct,
                 "{\"id\":\"a\",\"product\":\"azure\",\"locale\":\"xx-%d\","
                 "\"actor\":{\"roles\":[\"account_admin\"]}}", i);
        dr_query q = {0};
        char *out;
        assert_int_equal(dr_engine_decide(e, acct, strlen(acct), &q, &out, &err), DR_OK);
        if (strstr(out, "memory limit exceeded")) memory_errors++;
        free(out);
    }
    assert_true(memory_errors > 0);
    dr_engine_free(e);
}

/* An account that becomes a table bigger than the memory cap is an error
 * for that account; it used to be converted unprotected, a Lua panic. */
static void oversized_account_is_an_error_not_a_panic(void **state) {
    (void)state;
    const char *c[1] = {DR_TOP "/corpus"};
    dr_engine_opts o = {DR_TOP "/rules", c, 1, 0, 2 * 1024 * 1024, "2026-01-01", NULL};
    dr_engine *e;
    dr_error err;
    assert_int_equal(dr_engine_new(&o, &e, &err), DR_OK);
    char *items = repeat("1,", 300000, "1");
    char *acct = malloc(strlen(items) + 100);
    sprintf(acct, "{\"id\":\"big\",\"product\":\"azure\",\"pad\":[%s]}", items);
    dr_query q = {0};
    char *out = NULL;
    assert_int_equal(dr_engine_decide(e, acct, strlen(acct), &q, &out, &err), DR_ELIMIT);
    assert_non_null(strstr(err.message, "too large"));
    /* And the engine goes on. */
    static const char ok[] = "{\"id\":\"ok\",\"product\":\"azure\",\"actor\":{\"roles\":[\"account_admin\"]}}";
    assert_int_equal(dr_engine_decide(e, ok, strlen(ok), &q, &out, &err), DR_OK);
    assert_non_null(strstr(out, "\"decision\":\"allow\""));
    free(out);
    free(acct);
    free(items);
    dr_engine_free(e);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(doubling_the_input_does_not_quadruple_the_work),
        cmocka_unit_test(hostile_corpus_finishes_with_findings),
        cmocka_unit_test(digit_runs_past_a_long_align_as_before),
        cmocka_unit_test(hostile_stream_keeps_one_line_per_line),
        cmocka_unit_test(batch_goes_on_after_a_runaway_rule),
        cmocka_unit_test(long_work_in_one_instruction_meets_the_time_limit),
        cmocka_unit_test(sandbox_attacks_through_check_and_batch),
        cmocka_unit_test(rule_that_writes_its_facts_changes_no_other_decision),
        cmocka_unit_test(catastrophic_fact_pattern_stops),
        cmocka_unit_test(linked_rule_script_is_an_error),
        cmocka_unit_test(long_case_files_load_and_top_level_loops_stop),
        cmocka_unit_test(long_paths_are_whole),
        cmocka_unit_test(memory_errors_leak_nothing),
        cmocka_unit_test(oversized_account_is_an_error_not_a_panic),
    };
    return cmocka_run_group_tests_name("hardening", tests, scratch_setup, scratch_teardown);
}
