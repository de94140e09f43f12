/* The docrules command as users call it: output shape, stderr, exit codes. */
#include <jansson.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

#include "../include/docrules.h"

typedef struct run_result {
    int status;
    char *out, *err;
} run_result;

/* Runs "docrules ARGS" from the project top, capturing stdout and stderr. */
static run_result run(const char *args) {
    char cmd[4096];
    const char *d = scratch_dir();
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s/docrules' %s >'%s/out' 2>'%s/err'; "
             "rc=$?; cat '%s/out'; printf '\\001'; cat '%s/err'; exit $rc", DR_TOP, DR_BUILD, args, d, d, d, d);
    FILE *f = popen(cmd, "r");
    assert_non_null(f);
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    size_t k;
    while ((k = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += k;
        if (n + 1 >= cap) buf = realloc(buf, cap *= 2);
    }
    buf[n] = '\0';
    int st = pclose(f);
    run_result r;
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    char *sep = strchr(buf, '\001');
    assert_non_null(sep);
    *sep = '\0';
    r.out = buf;
    r.err = sep + 1;
    return r;
}

/* run, its arguments made like printf: most name files in the scratch folder. */
static run_result runf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static run_result runf(const char *fmt, ...) {
    char args[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    return run(args);
}

static void extract_one_file_is_one_object(void **state) {
    (void)state;
    run_result r = run("extract corpus/office365/cancel-subscription.zh-tw.md");
    assert_int_equal(r.status, 0);
    json_error_t je;
    json_t *j = json_loads(r.out, 0, &je);
    assert_non_null(j);
    assert_true(json_is_object(j));
    assert_string_equal(json_string_value(json_object_get(j, "path")),
                        "corpus/office365/cancel-subscription.zh-tw.md");
    assert_string_equal(json_string_value(json_object_get(j, "date")), "2020-04-18");
    json_t *fm = json_object_get(j, "front_matter");
    assert_true(json_is_array(json_object_get(fm, "ms.custom")));
    json_t *sec = json_array_get(json_object_get(j, "sections"), 0);
    json_t *b = json_array_get(json_object_get(sec, "bullets"), 1);
    assert_int_equal(json_integer_value(json_object_get(b, "line")), 28);
    assert_non_null(json_string_value(json_object_get(b, "source_text")));
    json_decref(j);
    free(r.out);
}

static void extract_several_files_is_an_array(void **state) {
    (void)state;
    run_result r = run("extract corpus/azure/cancel-subscription.zh-tw.md "
                       "corpus/azure/cancel-subscription.fr-fr.md");
    assert_int_equal(r.status, 0);
    json_t *j = json_loads(r.out, 0, NULL);
    assert_true(json_is_array(j));
    assert_int_equal(json_array_size(j), 2);
    json_t *fr = json_array_get(j, 1);
    json_t *steps = json_object_get(json_array_get(json_object_get(fr, "sections"), 1), "steps");
    assert_int_equal(json_array_size(steps), 5);
    json_t *s2 = json_array_get(steps, 1);
    assert_int_equal(json_integer_value(json_object_get(s2, "n")), 2);
    assert_int_equal(json_array_size(json_object_get(s2, "images")), 1);
    json_decref(j);
    free(r.out);
}

static void unreadable_file_exits_2_with_its_name(void **state) {
    (void)state;
    run_result r = run("extract no/such/file.md");
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "docrules: no/such/file.md: cannot open"));
    assert_string_equal(r.out, ""); /* not a bare newline */
    free(r.out);
    r = run("extract");
    assert_int_equal(r.status, 2);
    free(r.out);
    r = run("frobnicate");
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "unknown command"));
    free(r.out);
}

static void stats_counts_files_and_diagnostics(void **state) {
    (void)state;
    /* 22 docs, corpus/README.md and three broken fixtures. */
    run_result r = run("extract --stats corpus tests/fixtures/bad");
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "files: 26\n"));
    assert_non_null(strstr(r.out, "throughput: "));
    assert_non_null(strstr(r.out, "docs with diagnostics: 3 (with errors: 3)"));
    assert_non_null(strstr(r.out, "  yaml-invalid: 1\n"));
    assert_non_null(strstr(r.out, "  utf8-invalid: 1\n"));
    assert_non_null(strstr(r.out, "  front-matter-unterminated: 1\n"));
    free(r.out);
}

/* The files of the -j tests: a missing one first (so the first chunk may
 * print nothing and the array still opens without a comma), broken docs,
 * another missing one among the good: with 27 names and -j 2, chunks of 3
 * files down to 1, and the workers take several each. */
#define JOB_FILES "no/such/first.md tests/fixtures/bad/*.md corpus/azure/*.md no/such/middle.md " \
                  "corpus/microsoft365/*.md corpus/office365/*.md"

/* extract -j N prints what -j 1 does, byte for byte: the JSON, each error
 * line on stderr in the files' order, the exit status. Broken if the
 * chunks were written as they finish rather than in order, if a chunk's
 * separator were kept before the first doc or lost after an empty chunk,
 * or if a worker's errors were dropped or said out of order. */
static void extract_jobs_print_what_one_worker_prints(void **state) {
    (void)state;
    run_result one = run("extract -j 1 " JOB_FILES);
    assert_int_equal(one.status, 2);
    assert_string_equal(one.err, "docrules: no/such/first.md: cannot open: No such file or directory\n"
                                 "docrules: no/such/middle.md: cannot open: No such file or directory\n");
    json_t *j = json_loads(one.out, 0, NULL);
    assert_true(json_is_array(j));
    assert_int_equal(json_array_size(j), 25);
    assert_string_equal(json_string_value(json_object_get(json_array_get(j, 0), "path")),
                        "tests/fixtures/bad/unterminated.md");
    json_decref(j);
    static const char *const more[] = {"extract -j 2 " JOB_FILES, "extract -j 3 " JOB_FILES,
                                       "extract -j 2 --compact " JOB_FILES};
    for (size_t k = 0; k < sizeof more / sizeof *more; k++) {
        run_result r = run(more[k]);
        assert_int_equal(r.status, one.status);
        assert_string_equal(r.err, one.err);
        if (k < 2) {
            assert_string_equal(r.out, one.out);
        } else {
            json_t *c = json_loads(r.out, 0, NULL);
            assert_int_equal(json_array_size(c), 25);
            json_decref(c);
        }
        free(r.out);
    }
    free(one.out);
    /* One file, several workers asked: one object, as ever. */
    run_result a = run("extract corpus/azure/cancel-subscription.fr-fr.md");
    run_result b = run("extract -j 2 corpus/azure/cancel-subscription.fr-fr.md");
    assert_int_equal(b.status, 0);
    assert_string_equal(b.out, a.out);
    free(a.out);
    free(b.out);
}

/* Without its lines of time, throughput and memory, --stats -j 2 says what
 * -j 1 says: broken if a chunk's counts were lost or counted twice, or
 * codes came in the order chunks finished rather than the files'. */
static char *stats_counts(const char *out) {
    char *s = strdup(out), *w = s;
    for (char *line = strtok(s, "\n"); line; line = strtok(NULL, "\n")) {
        if (!strncmp(line, "seconds:", 8) || !strncmp(line, "throughput:", 11) || !strncmp(line, "peak_rss:", 9))
            continue;
        size_t n = strlen(line);
        memmove(w, line, n);
        w[n] = '\n';
        w += n + 1;
    }
    *w = '\0';
    return s;
}

static void stats_jobs_count_what_one_worker_counts(void **state) {
    (void)state;
    run_result one = run("extract --stats -j 1 corpus tests/fixtures/bad no/such/dir");
    assert_int_equal(one.status, 2);
    char *want = stats_counts(one.out);
    assert_non_null(strstr(want, "files: 26\nbytes: "));
    assert_non_null(strstr(want, "\ndocs with diagnostics: 3 (with errors: 3)\n  front-matter-unterminated: 1\n"
                                 "  utf8-invalid: 1\n  yaml-invalid: 1\nunreadable: 1\n"));
    for (int jobs = 2; jobs <= 3; jobs++) {
        char args[128];
        snprintf(args, sizeof args, "extract --stats -j %d corpus tests/fixtures/bad no/such/dir", jobs);
        run_result r = run(args);
        assert_int_equal(r.status, one.status);
        assert_string_equal(r.err, one.err);
        char *got = stats_counts(r.out);
        assert_string_equal(got, want);
        free(got);
        free(r.out);
    }
    free(want);
    free(one.out);
}

/* The query commands' options are checked before any work. Numbers
 * before any cast or product: -j 2147483648 aborted out of memory,
 * -j 4294967297 ran one job and --max-memory 2^44 MiB wrapped to the
 * default, all in silence. And an option the command would not act on is
 * refused, not ignored: facts lists the same facts whatever a decision's
 * options say, and batch writes JSON lines whatever --format says. */
static void query_options_are_checked_before_any_work(void **state) {
    (void)state;
    static const struct {
        const char *args, *says;
    } bad[] = {
        {"batch -j 2147483648", "-j wants a number of threads from 1 to 1024, not '2147483648'"},
        {"batch -j 4294967297", "-j wants a number of threads from 1 to 1024, not '4294967297'"},
        {"batch -j 99999999999999999999", "-j wants a number of threads from 1 to 1024"},
        {"batch -j 1025", "-j wants a number of threads from 1 to 1024"},
        {"batch -j ''", "-j wants a number of threads from 1 to 1024, not ''"},
        {"check -j 0 examples/office365-30-licenses.json", "-j wants a number of threads"},
        {"serve -j 100000", "-j wants a number of threads from 1 to 1024"},
        {"validate -j 5000", "-j wants a number of threads from 1 to 1024"},
        {"batch --max-memory 17592186044416", "--max-memory wants a number of MiB from 1 to 1048576"},
        {"batch --max-memory 99999999999999999999", "--max-memory wants a number of MiB from 1 to 1048576"},
        {"batch --max-instructions 99999999999999999999", "--max-instructions wants a positive number"},
        {"facts --fields id", "docrules facts: --fields is for the commands that write decisions"},
        {"facts --action close-account", "docrules facts: --action is for the commands that write decisions"},
        {"facts --explain", "docrules facts: --explain is for the commands that write decisions"},
        {"validate corpus --strict", "docrules validate: --strict is for the commands that write decisions"},
        {"batch --format text", "docrules batch: batch writes JSON only: --format text is for check and facts"},
        {"serve --format text", "docrules serve: serve writes JSON only"},
    };
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        char args[256];
        snprintf(args, sizeof args, "%s < /dev/null", bad[k].args);
        run_result r = run(args);
        if (r.status != 2 || !strstr(r.err, bad[k].says)) fail_msg("%s: exit %d, %s", args, r.status, r.err);
        assert_string_equal(r.out, "");
        free(r.out);
    }
    run_result r = run("batch -j 1024 --max-memory 1048576 --fields id < tests/fixtures/accounts-bad.ndjson");
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "{\"id\":\"v10\"}"));
    free(r.out);
    /* What facts and batch do take. */
    r = run("facts --as-of 2017-03-10 --locale zh-tw --format text");
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "cancel_roles"));
    free(r.out);
    r = run("batch --format json --fields id < tests/fixtures/budget-accounts.ndjson");
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "{\"id\":"));
    free(r.out);
    /* the largest budget runs (its time limit once overflowed to minus 8e9 s) */
    r = run("check --max-instructions 9223372036854775807 --fields decision examples/azure-2017-account-admin.json");
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "{\"decision\":\"allow\"}\n");
    free(r.out);
}

/* -j takes a count of threads: anything else is bad usage (exit 2), said
 * before a file is read, and --help lists it. */
static void extract_jobs_refuses_what_is_no_count(void **state) {
    (void)state;
    static const char *const bad[] = {"-j 0", "-j x", "-j -2", "-j 2x", "-j ''", "-j 100000", "--stats -j 0"};
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        char args[128];
        snprintf(args, sizeof args, "extract %s corpus/azure/cancel-subscription.fr-fr.md", bad[k]);
        run_result r = run(args);
        if (r.status != 2 || !strstr(r.err, "docrules extract: -j wants a number of threads from 1 to 1024"))
            fail_msg("%s: exit %d, %s", args, r.status, r.err);
        assert_string_equal(r.out, "");
        free(r.out);
    }
    run_result r = run("extract corpus/azure/cancel-subscription.fr-fr.md -j");
    assert_int_equal(r.status, 2);
    free(r.out);
    r = run("extract -j");
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "-j needs a value"));
    free(r.out);
    r = run("extract --help");
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "\n  -j N "));
    free(r.out);
}

static void check_prints_a_decision_and_exit_0(void **state) {
    (void)state;
    run_result r = run("check examples/office365-30-licenses.json --format json");
    assert_int_equal(r.status, 0);
    json_t *j = json_loads(r.out, 0, NULL);
    assert_string_equal(json_string_value(json_object_get(j, "decision")), "escalate");
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "refund"), "amount")), "839.34");
    json_decref(j);
    free(r.out);
    r = run("check examples/azure-2017-account-admin.json --as-of 2017-03-10 --format text");
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "az-2017: allow (cancel-subscription)"));
    assert_non_null(strstr(r.out, "corpus/azure/cancel-subscription.zh-tw.md:"));
    assert_non_null(strstr(r.out, "support plan: 4 more monthly charges, 116.00 USD"));
    assert_non_null(strstr(r.out, "steps:"));
    free(r.out);
}

/* check's exit status follows the decision: 3 for an error, and for the
 * decisions --fail-on names; a --fail-on that names no decision, or that
 * cannot see the decision for --fields, is bad usage. */
static void check_exit_status_follows_the_decision(void **state) {
    (void)state;
    run_result r = run("check examples/office365-30-licenses.json --fail-on deny");
    assert_int_equal(r.status, 0);
    free(r.out);
    r = run("check examples/office365-30-licenses.json --fail-on deny,escalate");
    assert_int_equal(r.status, 3);
    assert_non_null(strstr(r.out, "\"decision\":\"escalate\""));
    free(r.out);
    r = run("check examples/office365-30-licenses.json --fail-on escalated");
    assert_int_equal(r.status, 2);
    /* The list said is the contract's, engine-made decisions included. */
    assert_non_null(strstr(r.err, "--fail-on lists decisions (allow, deny, escalate, not_applicable, blocked, no_rule, "
                                  "error, needs_input), not 'escalated'"));
    free(r.out);
    r = run("check examples/office365-30-licenses.json --fail-on no_rule,needs_input");
    assert_int_equal(r.status, 0);
    free(r.out);
    r = run("check examples/office365-30-licenses.json --fail-on deny,,escalate");
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "not ''"));
    free(r.out);
    r = run("check examples/office365-30-licenses.json --fail-on escalate --fields id,channels");
    assert_int_equal(r.status, 2);
    free(r.out);
    r = run("check examples/office365-30-licenses.json --fail-on escalate --fields id,decision");
    assert_int_equal(r.status, 3);
    free(r.out);
    r = run("check tests/fixtures/loop-account.json --rules tests/fixtures/rules-sandbox --max-instructions 5000");
    assert_int_equal(r.status, 3);
    assert_non_null(strstr(r.out, "\"decision\":\"error\""));
    free(r.out);
    /* A budget too small for the rules is their error, at their line: the
     * engine's own checks as the scripts load are not charged to it (at
     * 500 every load stopped in prelude, exit 2, no decision). */
    r = run("check examples/office365-30-licenses.json --max-instructions 500 --format json");
    if (r.status != 3 || !strstr(r.out, "\"decision\":\"error\",\"error\":\"rules/") ||
        !strstr(r.out, "instruction budget exceeded (500 instructions") || strstr(r.out, "prelude"))
        fail_msg("exit %d: %s%s", r.status, r.out, r.err);
    free(r.out);
}

/* What only the loaded rules and corpus can tell is still a usage error:
 * a field no decision has, a language no doc is in, a tag that is none. */
static void check_refuses_unknown_fields_and_languages(void **state) {
    (void)state;
    run_result r = run("check examples/azure-2017-account-admin.json --fields id,bogus");
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "--fields: 'bogus' is not a field of a decision (id, action, decision,"));
    /* The list names what computes add, declared in their adds. */
    assert_non_null(strstr(r.err, "after_cancel, before_cancel)"));
    assert_string_equal(r.out, "");
    free(r.out);
    /* An empty list (a shell's empty variable) is no decision of no fields. */
    r = run("check examples/azure-2017-account-admin.json --fields ''");
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "--fields: the list is empty"));
    assert_string_equal(r.out, "");
    free(r.out);
    r = run("check examples/azure-2017-account-admin.json --fields id,after_cancel");
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "\"after_cancel\":{\"billing_stops\":\"immediately\""));
    free(r.out);
    r = run("check examples/azure-2017-account-admin.json --locale xx-yy");
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "--locale xx-yy: neither the corpus nor a lexicon is in that language "
                                  "(ar, de, en, es, fr, he, ja, ko, nl, pt, ru, th, zh)"));
    free(r.out);
    /* Korean: no doc, but a lexicon; the answer falls back, and says so. */
    r = run("check examples/azure-2017-account-admin.json --locale ko-kr --fields id,locale_used,locale_asked");
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "\"locale_used\":\"en-us\",\"locale_asked\":\"ko-kr\""));
    free(r.out);
    r = run("check examples/azure-2017-account-admin.json --locale 'fr fr'");
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "--locale wants a language tag such as zh-tw or en-us, not 'fr fr'"));
    free(r.out);
    r = run("facts --locale xx");
    assert_int_equal(r.status, 2);
    free(r.out);
    /* A language the corpus has, in a region it lacks, falls back and says so. */
    r = run("check examples/azure-2017-account-admin.json --locale FR-ca --fields id,locale_asked");
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "\"locale_asked\":\"fr-ca\""));
    free(r.out);
    /* zh_TW is zh-tw, the language the steps were read in: no fallback said. */
    r = run("check examples/azure-2017-account-admin.json --as-of 2017-03-10 --locale ZH_tw --fields locale_used,locale_asked");
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "{\"locale_used\":\"zh-tw\"}\n");
    free(r.out);
}

/* A new product, added as a policy author adds one (rules/README.md,
 * "Adding a product"): its accounts, doc, facts, policy and cases in a
 * rules folder of their own, and no C. Its cases pass, its accounts
 * decide with the doc's steps, its fields are its own, and validate finds
 * the doc and the rules agree. */
static void a_new_product_needs_no_c(void **state) {
    (void)state;
    const char *dir = DR_TOP "/tests/fixtures/dynamics365";
    char acct[512], outp[512], want[1024];
    scratch_path(acct, sizeof acct, "d365.json");
    scratch_path(outp, sizeof outp, "d365.out");
    assert_int_equal(sh("cd '%s' && '%s/docrules' test --rules rules --corpus corpus > '%s' 2>&1", dir, DR_BUILD, outp), 0);
    char *out = slurp(outp, NULL);
    assert_non_null(strstr(out, "5 passed, 0 failed"));
    free(out);
    run_result r = run("check - --rules tests/fixtures/dynamics365/rules --corpus tests/fixtures/dynamics365/corpus "
                       "--as-of 2024-06-01 < /dev/null");
    assert_int_equal(r.status, 2); /* no account: still a usage error */
    free(r.out);
    FILE *f = fopen(acct, "w");
    fputs("{\"id\":\"d\",\"product\":\"dynamics365\",\"licenses\":4,\"assigned_licenses\":4,"
          "\"environment\":{\"type\":\"production\",\"nmae\":\"x\"},\"actor\":{\"roles\":[\"global_admin\"]}}", f);
    fclose(f);
    r = runf("check '%s' --rules tests/fixtures/dynamics365/rules --corpus tests/fixtures/dynamics365/corpus "
             "--as-of 2024-06-01 --format json", acct);
    assert_int_equal(r.status, 0);
    json_t *d = json_loads(r.out, 0, NULL);
    assert_non_null(d);
    assert_string_equal(json_string_value(json_object_get(d, "decision")), "allow");
    assert_int_equal(json_array_size(json_object_get(d, "steps")), 3);
    /* Its fields are its own: an Office 365 field is not one of them. */
    json_t *w = json_object_get(d, "warnings");
    assert_int_equal(json_array_size(w), 2);
    assert_string_equal(json_string_value(json_array_get(w, 0)), "assigned_licenses: not a field of dynamics365 accounts");
    assert_string_equal(json_string_value(json_array_get(w, 1)),
                        "environment.nmae: not a field of dynamics365 accounts; did you mean environment.name?");
    json_decref(d);
    free(r.out);
    /* And checked as declared: a kind, a list of values. */
    r = runf("check '%s' --strict --rules tests/fixtures/dynamics365/rules "
             "--corpus tests/fixtures/dynamics365/corpus", acct);
    assert_int_equal(r.status, 2);
    snprintf(want, sizeof want, "%s:1:48: assigned_licenses: not a field of dynamics365 accounts (--strict)", acct);
    assert_non_null(strstr(r.err, want));
    free(r.out);
    f = fopen(acct, "w");
    fputs("{\"id\":\"d\",\"product\":\"dynamics365\",\"environment\":{\"type\":\"staging\"}}", f);
    fclose(f);
    r = runf("check '%s' --rules tests/fixtures/dynamics365/rules --corpus tests/fixtures/dynamics365/corpus", acct);
    assert_int_equal(r.status, 2);
    snprintf(want, sizeof want, "%s:1:50: environment.type: \"staging\" is not production, sandbox or trial", acct);
    assert_non_null(strstr(r.err, want));
    free(r.out);
    /* The bundled rules do not know it, and say which products they do. */
    r = runf("check '%s'", acct);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "product: must be \"office365\" or \"azure\" (\"microsoft365\" is office365)"));
    free(r.out);
    /* The rules' own --action list is the declared one. */
    r = runf("check '%s' --rules tests/fixtures/dynamics365/rules --corpus tests/fixtures/dynamics365/corpus "
             "--action close-account", acct);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "--action is cancel-subscription, not 'close-account'"));
    free(r.out);
    r = run("validate --rules tests/fixtures/dynamics365/rules tests/fixtures/dynamics365/corpus");
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.err, "0 errors, 0 warnings"));
    free(r.out);
    unlink(acct);
    unlink(outp);
}

/* `docrules test rules` is the rules' own cases, as `docrules test` is:
 * not the policies loaded a second time as cases. */
static void test_of_the_rules_folder_runs_its_cases(void **state) {
    (void)state;
    run_result a = run("test"), b = run("test rules");
    assert_int_equal(b.status, 0);
    assert_null(strstr(b.err, "already declared"));
    assert_non_null(strstr(b.out, " passed, 0 failed\n"));
    /* The same cases, so the same summary. */
    assert_string_equal(a.out, b.out);
    free(a.out);
    free(b.out);
}

static void check_bad_account_exits_2_with_location(void **state) {
    (void)state;
    char acct[512], want[1024];
    scratch_path(acct, sizeof acct, "bad-account.json");
    FILE *f = fopen(acct, "w");
    assert_non_null(f);
    fputs("{\n  \"id\": \"a\",\n  \"product\": \"azure\",\n  \"date\": \"2017-02-30\"\n}\n", f);
    fclose(f);
    run_result r = runf("check '%s'", acct);
    assert_int_equal(r.status, 2);
    snprintf(want, sizeof want, "docrules: %s:4:3: date: \"2017-02-30\" is not a date", acct);
    assert_non_null(strstr(r.err, want));
    free(r.out);
    r = run("check examples/office365-trial.json --as-of yesterday");
    assert_int_equal(r.status, 2);
    free(r.out);
    /* A folder opens but does not read: said as such, not taken for an
     * empty account. */
    r = runf("check '%s'", scratch_dir());
    assert_int_equal(r.status, 2);
    snprintf(want, sizeof want, "docrules: %s: cannot read: Is a directory\n", scratch_dir());
    assert_string_equal(r.err, want);
    free(r.out);
    unlink(acct);
}

static void batch_one_line_out_per_line_in(void **state) {
    (void)state;
    char in[512];
    scratch_path(in, sizeof in, "batch.ndjson");
    FILE *f = fopen(in, "w");
    assert_non_null(f);
    fputs("{\"id\":\"a\",\"product\":\"office365\",\"actor\":{\"roles\":[\"global_admin\"]},\"assigned_licenses\":3}\n"
          "not json\n"
          "\n"
          "{\"id\":\"b\",\"product\":\"azure\",\"actor\":{\"roles\":[\"user\"]}}\r\n"
          "{\"id\":\"c\",\"product\":\"azure\",\"date\":\"2017-02-30\"}", f); /* no final newline */
    fclose(f);
    run_result r = runf("batch < '%s'", in);
    assert_int_equal(r.status, 0);
    char *lines[8];
    int n = 0;
    for (char *l = strtok(r.out, "\n"); l && n < 8; l = strtok(NULL, "\n")) lines[n++] = l;
    assert_int_equal(n, 5);
    assert_non_null(strstr(lines[0], "\"id\":\"a\""));
    assert_non_null(strstr(lines[1], "{\"line\":2,"));
    assert_non_null(strstr(lines[2], "{\"line\":3,"));
    assert_non_null(strstr(lines[3], "\"decision\":\"deny\""));
    assert_non_null(strstr(lines[4], "{\"line\":5,"));
    free(r.out);
    run_result a = runf("batch < '%s'", in), b = runf("batch -j 2 < '%s'", in);
    assert_string_equal(a.out, b.out);
    free(a.out);
    free(b.out);
    unlink(in);
}

/* Output lost to a full disk is exit 2 with one message saying so, never
 * exit 0 (or a decision's 3); input that cannot be read (a folder on
 * stdin) is exit 2 too, not an empty batch. */
static void lost_output_and_unreadable_input_exit_2(void **state) {
    (void)state;
    static const char *const cmds[] = {
        "check examples/office365-trial.json", "check examples/office365-30-licenses.json --fail-on allow,deny,escalate,not_applicable", "facts", "test",
        "extract corpus/office365/cancel-subscription.de-de.2019-08-29.md", "extract -j 2 --stats corpus",
        "batch < examples/office365-trial.json", "batch -j 2 < examples/office365-trial.json", "--version", "help check",
    };
    char err[512];
    scratch_path(err, sizeof err, "full.err");
    for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++) {
        int rc = sh("cd '%s' && DOCRULES_TODAY=2026-12-02 XDG_CACHE_HOME='%s/cache' '%s/docrules' %s > /dev/full 2> '%s'",
                    DR_TOP, scratch_dir(), DR_BUILD, cmds[i], err);
        size_t n;
        char *e = slurp(err, &n);
        assert_non_null(e);
        const char *m = "docrules: standard output: No space left on device\n";
        if (rc != 2 || strcmp(e, m) != 0) fail_msg("%s > /dev/full: exit %d, stderr '%s'", cmds[i], rc, e);
        free(e);
    }
    run_result r = run("batch < corpus");
    assert_int_equal(r.status, 2);
    assert_string_equal(r.out, "");
    assert_string_equal(r.err, "docrules: standard input: Is a directory\n");
    free(r.out);
}

static void write_file(const char *path, const char *text, size_t n) {
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

/* A byte order mark before an account (Windows editors write one) is
 * passed over, in a file and on any line of a batch, by both readers: the
 * decision is the one without it. A NUL escaped in a string is refused in
 * the contract's words, not jansson's flag name. */
static void an_account_may_start_with_a_byte_order_mark(void **state) {
    (void)state;
    static const char acct[] = "{\"id\":\"b1\",\"product\":\"office365\",\"assigned_licenses\":3,"
                               "\"actor\":{\"roles\":[\"global_admin\"]}}";
    char plain[512], bom[512], lines[512], text[1024];
    scratch_path(plain, sizeof plain, "bom-plain.json");
    scratch_path(bom, sizeof bom, "bom.json");
    scratch_path(lines, sizeof lines, "bom.ndjson");
    write_file(plain, acct, strlen(acct));
    int n = snprintf(text, sizeof text, "\xEF\xBB\xBF%s", acct);
    write_file(bom, text, (size_t)n);
    /* the second line through jansson (a \u escape), the third through yajl */
    n = snprintf(text, sizeof text,
                 "\xEF\xBB\xBF{\"id\":\"b\\u0032\",\"product\":\"azure\"}\n\xEF\xBB\xBF%s\n"
                 "{\"id\":\"x\\u0000y\",\"product\":\"azure\"}\n",
                 acct);
    write_file(lines, text, (size_t)n);
    run_result a = runf("check --as-of 2026-12-02 '%s'", plain);
    run_result b = runf("check --as-of 2026-12-02 '%s'", bom);
    assert_int_equal(a.status, 0);
    assert_int_equal(b.status, 0);
    assert_non_null(strstr(a.out, "\"decision\":\"allow\""));
    assert_string_equal(a.out, b.out);
    run_result c = runf("batch --as-of 2026-12-02 --fields id,decision < '%s'", lines);
    assert_int_equal(c.status, 0);
    assert_string_equal(c.out, "{\"id\":\"b2\",\"decision\":\"deny\"}\n"
                               "{\"id\":\"b1\",\"decision\":\"allow\"}\n"
                               "{\"line\":3,\"col\":16,\"error\":\"\\\\u0000 (the NUL character) is not "
                               "allowed in an account\"}\n");
    free(a.out);
    free(b.out);
    free(c.out);
    /* a line of a mark and blanks is an empty line, as one of blanks is */
    n = snprintf(text, sizeof text, "\xEF\xBB\xBF\n\xEF\xBB\xBF \t\n");
    write_file(lines, text, (size_t)n);
    c = runf("batch < '%s'", lines);
    assert_string_equal(c.out, "{\"line\":1,\"error\":\"empty line: no account\"}\n"
                               "{\"line\":2,\"error\":\"empty line: no account\"}\n");
    free(c.out);
}

/* Lines that probe both account readers (tests/fixtures/accounts-bad.ndjson):
 * one line out for each, in order, the bad ones told by line, the good
 * ones decided; -j 2 and -j 3 give the same bytes. */
static void batch_bad_accounts_fixture(void **state) {
    (void)state;
    run_result r = run("batch < tests/fixtures/accounts-bad.ndjson");
    assert_int_equal(r.status, 0);
    static const char *const want[] = {
        "{\"line\":1,\"col\":77,\"error\":\"duplicate object key",
        "{\"line\":2,", "{\"line\":3,", "{\"line\":4,", NULL /* line 5: below */,
        "{\"line\":6,", "\"decision\":\"allow\"", "{\"line\":8,", "{\"line\":9,",
        "{\"id\":\"v10\"", "{\"line\":11,", "{\"line\":12,", "{\"line\":13,", "{\"line\":14,",
        "{\"line\":15,",
    };
    char *save = NULL;
    int n = 0;
    for (char *l = strtok_r(r.out, "\n", &save); l; l = strtok_r(NULL, "\n", &save), n++) {
        if (n == 4) assert_non_null(strstr(l, "\"id\":\"\xc3\xa9\",\"action\""));
        else if (n < 15) assert_non_null(strstr(l, want[n]));
    }
    assert_int_equal(n, 15);
    free(r.out);
    run_result a = run("batch < tests/fixtures/accounts-bad.ndjson");
    run_result b = run("batch -j 2 < tests/fixtures/accounts-bad.ndjson");
    run_result c = run("batch -j 3 < tests/fixtures/accounts-bad.ndjson");
    assert_string_equal(a.out, b.out);
    assert_string_equal(a.out, c.out);
    free(a.out);
    free(b.out);
    free(c.out);
}

static void rule_cases_pass(void **state) {
    (void)state;
    run_result r = run("test --coverage");
    if (r.status != 0) fail_msg("docrules test:\n%s", r.out);
    assert_non_null(strstr(r.out, " passed, 0 failed\n"));
    assert_non_null(strstr(r.out, "coverage: "));
    free(r.out);
}

static void installed_command_finds_its_rules_and_corpus(void **state) {
    (void)state;
    char dir[256];
    scratch_mkdtemp(dir, sizeof dir, "install");
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "make -s -C '%s' install PREFIX='%s' BUILD='%s' >/dev/null 2>&1", DR_TOP, dir,
             DR_BUILD);
    assert_int_equal(system(cmd), 0);
    /* From elsewhere: the command finds PREFIX/share/docrules, and cites
     * the bundled docs as corpus/..., as the contract says. */
    snprintf(cmd, sizeof cmd,
             "cd / && '%s/bin/docrules' check '%s/examples/office365-30-licenses.json' --format json "
             "| grep -q '\"doc\":\"corpus/office365/cancel-subscription.zh-tw.md\"' && "
             "'%s/bin/docrules' test | grep -q ' 0 failed' && "
             /* the one error of the bundled corpus: ja-JP's "25 以上" */
             "test \"$('%s/bin/docrules' validate 2>/dev/null | grep -c ': error: ')\" = 1",
             dir, DR_TOP, dir, dir);
    assert_int_equal(system(cmd), 0);
    /* serve and log are PREFIX/libexec/docrules/docrules-serve's: the
     * message is the log command's own, from the helper it became. */
    snprintf(cmd, sizeof cmd, "cd / && '%s/bin/docrules' log '%s/none.sqlite' 2>&1 | grep -q 'none.sqlite: cannot open'",
             dir, dir);
    assert_int_equal(system(cmd), 0);
    /* ... and serve, become that helper, decides with PREFIX/share/docrules
     * too, not with the source tree's rules (/v1/revision names them). */
    snprintf(cmd, sizeof cmd,
             "cd / && { '%s/bin/docrules' serve --listen 127.0.0.1:0 -j 1 2>'%s/serve.err' & pid=$!; "
             "port=; for i in $(seq 100); do "
             "port=$(sed -n 's|.*listening on http://127.0.0.1:\\([0-9]*\\) .*|\\1|p' '%s/serve.err'); "
             "[ -n \"$port\" ] && break; sleep 0.1; done; "
             "/usr/bin/python3 -c 'import sys, urllib.request; "
             "print(urllib.request.urlopen(sys.argv[1]).read().decode())' \"http://127.0.0.1:$port/v1/revision\" "
             "> '%s/revision.json'; kill $pid; wait $pid; "
             "grep -q '\"rules\":\"%s/share/docrules/rules\"' '%s/revision.json'; }",
             dir, dir, dir, dir, dir, dir);
    if (system(cmd) != 0) {
        sh("cat '%s/serve.err' '%s/revision.json'", dir, dir);
        fail_msg("the installed serve did not use PREFIX/share/docrules");
    }
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

/* Without docrules-serve beside it or installed, docrules says which file
 * serve needs, and exits 2; the other commands do not need it. */
static void serve_without_its_helper_says_so(void **state) {
    (void)state;
    char dir[512];
    scratch_path(dir, sizeof dir, "alone");
    if (access(DR_LIBEXECDIR "/docrules-serve", X_OK) == 0) {
        printf("skipped: %s/docrules-serve is installed on this machine\n", DR_LIBEXECDIR);
        skip();
    }
    assert_int_equal(sh("rm -rf '%s' && mkdir -p '%s' && cp '%s/docrules' '%s/'", dir, dir, DR_BUILD, dir), 0);
    assert_int_equal(sh("cd '%s' && ./docrules serve --listen 127.0.0.1:0 2>err; test $? = 2 && "
                        "grep -q 'serve needs docrules-serve' err && ./docrules --version >/dev/null",
                        dir), 0);
    assert_int_equal(sh("rm -rf '%s'", dir), 0);
}

/* libxml2 is opened by the first parse (common/libxml.h), never by a run
 * that parses no doc: a check with a bundle and --version load none of
 * it, nor ICU under it; extract of a doc does. The loader says which files
 * it opened (LD_DEBUG=files). */
static void libxml2_is_loaded_only_to_parse(void **state) {
    (void)state;
    char dir[512];
    scratch_path(dir, sizeof dir, "lazyxml");
    assert_int_equal(sh("rm -rf '%s' && mkdir -p '%s' && '%s/docrules' build -o '%s/b.drb' 2>/dev/null", dir, dir,
                        DR_BUILD, dir), 0);
    assert_int_equal(sh("cd '%s' && LD_DEBUG=files '%s/docrules' check '%s/examples/office365-30-licenses.json' "
                        "--bundle '%s/b.drb' >/dev/null 2>ld1; grep -q 'file=libjansson' ld1 && "
                        "! grep -q -e libxml2 -e libicu ld1",
                        dir, DR_BUILD, DR_TOP, dir), 0);
    assert_int_equal(sh("cd '%s' && LD_DEBUG=files '%s/docrules' --version >/dev/null 2>ld2; "
                        "! grep -q -e libxml2 -e libicu ld2", dir, DR_BUILD), 0);
    /* A warm cache and batch over it: the first check builds the entry
     * (and parses the corpus), the ones after it read no doc. */
    assert_int_equal(sh("cd '%s' && export XDG_CACHE_HOME='%s/cache' && cd '%s' && "
                        "'%s/docrules' check examples/office365-30-licenses.json >/dev/null && "
                        "LD_DEBUG=files '%s/docrules' check examples/office365-30-licenses.json >/dev/null 2>'%s/ld4' && "
                        "grep -q 'file=libjansson' '%s/ld4' && ! grep -q -e libxml2 -e libicu '%s/ld4' && "
                        "cat examples/*.json | tr -d '\\n' | sed 's/}{/}\\n{/g' | "
                        "LD_DEBUG=files '%s/docrules' batch -j 2 >/dev/null 2>'%s/ld5' && "
                        "grep -q 'file=libjansson' '%s/ld5' && ! grep -q -e libxml2 -e libicu '%s/ld5'",
                        dir, dir, DR_TOP, DR_BUILD, DR_BUILD, dir, dir, dir, DR_BUILD, dir, dir, dir), 0);
    assert_int_equal(sh("cd '%s' && LD_DEBUG=files '%s/docrules' extract '%s/corpus/office365/cancel-subscription.zh-tw.md' "
                        ">/dev/null 2>ld3; grep -q 'file=libxml2.*dynamically loaded' ld3",
                        dir, DR_BUILD, DR_TOP), 0);
    assert_int_equal(sh("rm -rf '%s'", dir), 0);
}

/* Without libxml2 (build/tests/docrules-nolibxml names one no machine
 * has), what parses a doc says so and exits 2, as the library returns the
 * error to its caller rather than ending the process; what parses none
 * (a check with a bundle, --version) works as ever. */
static void without_libxml2_parsing_fails_cleanly(void **state) {
    (void)state;
    char dir[512];
    scratch_path(dir, sizeof dir, "nolibxml");
    static const char *const parsing[] = {
        "extract corpus/office365/cancel-subscription.zh-tw.md",
        "extract --stats -j 2 corpus",
        "check examples/office365-30-licenses.json --no-cache",
        "validate corpus",
        "build -o %s/x.drb",
    };
    for (size_t i = 0; i < sizeof parsing / sizeof *parsing; i++) {
        char args[700];
        snprintf(args, sizeof args, parsing[i], dir);
        assert_int_equal(sh("mkdir -p '%s' && cd '%s' && DOCRULES_TODAY=2026-12-02 '%s/tests/docrules-nolibxml' %s "
                            ">'%s/out' 2>'%s/err'; test $? = 2 && "
                            "grep -q 'cannot load libdocrules-no-such-libxml2.so.0 (.*): install libxml2' '%s/err'",
                            dir, DR_TOP, DR_BUILD, args, dir, dir, dir), 0);
    }
    assert_int_equal(sh("cd '%s' && '%s/docrules' build -o '%s/b.drb' 2>/dev/null && "
                        "DOCRULES_TODAY=2026-12-02 '%s/docrules' check examples/office365-30-licenses.json --bundle '%s/b.drb' "
                        ">'%s/with' && DOCRULES_TODAY=2026-12-02 '%s/tests/docrules-nolibxml' check "
                        "examples/office365-30-licenses.json --bundle '%s/b.drb' >'%s/without' && cmp '%s/with' '%s/without' && "
                        "'%s/tests/docrules-nolibxml' --version >/dev/null",
                        DR_TOP, DR_BUILD, dir, DR_BUILD, dir, dir, DR_BUILD, dir, dir, dir, dir, DR_BUILD), 0);
    assert_int_equal(sh("rm -rf '%s'", dir), 0);
}

/* Every command answers --help (exit 0) with its options, and each option
 * it lists is one the command takes (not "unknown option"); --version. */
static void every_command_answers_help(void **state) {
    (void)state;
    static const char *const cmds[] = {"extract", "facts", "check", "batch", "validate", "test"};
    for (size_t c = 0; c < sizeof cmds / sizeof *cmds; c++) {
        char args[256];
        snprintf(args, sizeof args, "%s --help", cmds[c]);
        run_result r = run(args);
        assert_int_equal(r.status, 0);
        char *opts = strstr(r.out, "options:\n");
        if (!opts) fail_msg("%s --help: %s", cmds[c], r.out);
        int n = 0;
        for (char *line = strtok(opts + 9, "\n"); line; line = strtok(NULL, "\n")) {
            char opt[64], arg[64] = "";
            if (sscanf(line, " %63s %63s", opt, arg) < 1 || opt[0] != '-') continue;
            /* "--as-of YYYY-MM-DD  the policy": a value when the next word is not prose. */
            int valued = arg[0] && (arg[0] < 'a' || arg[0] > 'z' || strchr(arg, '|'));
            /* A FILE option may write one (--coverage-out): not into the tree. */
            const char *value = !valued ? "" : strstr(arg, "FILE") ? "/dev/null" : "1";
            snprintf(args, sizeof args, "%s %s %s < /dev/null", cmds[c], opt, value);
            run_result o = run(args);
            if (strstr(o.err, "unknown option")) fail_msg("%s lists %s but refuses it: %s", cmds[c], opt, o.err);
            free(o.out);
            n++;
        }
        if (n < 3) fail_msg("%s --help lists %d options", cmds[c], n);
        free(r.out);
    }
    run_result r = run("--version");
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "docrules " DOCRULES_VERSION "\n");
    free(r.out);
    r = run("help check");
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "--fail-on"));
    free(r.out);
}

/* A case is judged on the decision check makes, not the traced one it
 * also makes for coverage: under --explain a condition reads the account
 * through proxies (rawget on them gives nil), and the case failed where
 * check allowed. */
static void a_case_is_judged_as_check_decides(void **state) {
    (void)state;
    char dir[512];
    scratch_path(dir, sizeof dir, "rawget-rules");
    assert_int_equal(sh("mkdir -p '%s/tests' && cp tests/fixtures/rules-output/accounts.lua '%s/' && "
                        "printf '%%s\\n' 'local p = policy { id = \"t\", product = \"office365\", action = \"cancel-subscription\" }' "
                        "'p:rule { id = \"t.raw\", uses = {}, decision = \"allow\", channels = { \"online\" },' "
                        "'  when = function(a) return rawget(a, \"id\") == \"rawget\" end }' "
                        "'p:rule { id = \"t.else\", uses = {}, decision = \"deny\", when = function() return true end }' > '%s/t.lua' && "
                        "printf '%%s\\n' 'case { name = \"raw\", account = { id = \"rawget\", product = \"office365\" }, "
                        "expect = { decision = \"allow\" } }' > '%s/tests/t.lua'",
                        dir, dir, dir, dir), 0);
    run_result r = runf("test --no-cache --rules '%s'", dir);
    if (r.status != 0 || !strstr(r.out, "1 passed, 0 failed")) fail_msg("exit %d: %s%s", r.status, r.out, r.err);
    free(r.out);
}

/* A case that cannot test what it says is refused as it loads, exit 2 at
 * its line: a key the case does not have (expected for expect), no name
 * or one already taken, a day that is no day, a language no doc is in. */
static void test_refuses_a_case_it_cannot_run(void **state) {
    (void)state;
    static const struct { const char *keys, *says; } bad[] = {
        {"name = 'n', expected = {},", "case \"n\": expected is not a key of a case (name, account, expect, as_of, locale)"},
        {"", "case needs a name = \"what it shows\""},
        {"name = '',", "case needs a name = \"what it shows\""},
        {"name = 'n', as_of = '2016-12-99',", "case \"n\": as_of is \"2016-12-99\", not a date YYYY-MM-DD"},
        {"name = 'n', as_of = 'garbage',", "case \"n\": as_of is \"garbage\", not a date YYYY-MM-DD"},
        {"name = 'n', as_of = 20170310,", "case \"n\": as_of is a number, not a date YYYY-MM-DD"},
        {"name = 'n', locale = '',", "case \"n\": locale \"\" is not a language tag such as zh-tw or en-us"},
        {"name = 'n', locale = 'xx-yy',", "case \"n\": locale \"xx-yy\" is a language neither the corpus nor a lexicon is in (ar, de, en,"},
    };
    char dir[512], file[600];
    scratch_path(dir, sizeof dir, "badcases");
    snprintf(file, sizeof file, "%s/t.lua", dir);
    assert_int_equal(sh("mkdir -p '%s'", dir), 0);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        FILE *f = fopen(file, "w");
        assert_non_null(f);
        fprintf(f, "-- one case\n\ncase { %s account = { id = 'a', product = 'azure' }, expect = { decision = 'deny' } }\n",
                bad[i].keys);
        fclose(f);
        run_result r = runf("test '%s'", dir);
        char want[700];
        snprintf(want, sizeof want, "docrules: %s:3: %s", file, bad[i].says);
        if (r.status != 2 || !strstr(r.err, want)) fail_msg("%s: exit %d, %s", bad[i].keys, r.status, r.err);
        free(r.out);
    }
    /* expected in place of expect: named, not "case needs { ... }". */
    FILE *tf = fopen(file, "w");
    assert_non_null(tf);
    fputs("case { name = 'n', account = { id = 'a', product = 'azure' }, expected = { decision = 'deny' } }\n", tf);
    fclose(tf);
    run_result typo = runf("test '%s'", dir);
    assert_int_equal(typo.status, 2);
    assert_non_null(strstr(typo.err, ":1: case \"n\": expected is not a key of a case"));
    free(typo.out);
    /* An account or expect JSON cannot hold: once written as something
     * else or cut (names past 64 dropped, so that a case expecting a wrong
     * decision passed), now refused with the value's path. */
    static const struct { const char *account, *expect, *says; } data[] = {
        {"id = function() end, product = 'azure'", "decision = 'deny'", "account.id is a function, which JSON cannot hold"},
        {"id = 'a', product = 'office365', assigned_licenses = 0/0", "decision = 'allow'",
         "account.assigned_licenses is NaN (0/0), no JSON number"},
        {"id = 'a', product = 'office365', assigned_licenses = 1/0", "decision = 'allow'",
         "account.assigned_licenses is inf, no JSON number"},
        {"id = 'a', product = 'azure'", "decision = 'allow', x1 = 1, x2 = 2, x3 = 3, x4 = 4, x5 = 5, x6 = 6, x7 = 7, "
         "x8 = 8, x9 = 9, x10 = 1, x11 = 1, x12 = 1, x13 = 1, x14 = 1, x15 = 1, x16 = 1, x17 = 1, x18 = 1, x19 = 1, "
         "x20 = 1, x21 = 1, x22 = 1, x23 = 1, x24 = 1, x25 = 1, x26 = 1, x27 = 1, x28 = 1, x29 = 1, x30 = 1, x31 = 1, "
         "x32 = 1, x33 = 1, x34 = 1, x35 = 1, x36 = 1, x37 = 1, x38 = 1, x39 = 1, x40 = 1, x41 = 1, x42 = 1, x43 = 1, "
         "x44 = 1, x45 = 1, x46 = 1, x47 = 1, x48 = 1, x49 = 1, x50 = 1, x51 = 1, x52 = 1, x53 = 1, x54 = 1, x55 = 1, "
         "x56 = 1, x57 = 1, x58 = 1, x59 = 1, x60 = 1, x61 = 1, x62 = 1, x63 = 1, x64 = 1",
         "expect has 65 names, more than an object holds (64)"},
        {"id = 'a', product = 'azure'", "channels = { [1] = 'portal', [3] = 'x' }", "expect.channels "},
        {"id = 'a', product = 'azure', [true] = 1", "decision = 'deny'", "account has the key true"},
        {"id = 'a', product = 'azure', actor = { roles = { 'owner', x = 1 } }", "decision = 'deny'",
         "account.actor.roles mixes a list and names"},
        {"id = 'a', product = 'azure'", "", "expect is empty: a case expects at least one field of the decision"},
        {"id = 'a\\xff', product = 'azure'", "decision = 'deny'", "account.id is not UTF-8 text"},
        {"id = 'a', product = 'azure', ['\\xff'] = 1", "decision = 'deny'", "account has a name that is not UTF-8 text"},
        /* a table met twice is written twice: 2^40 values, once a hang */
        {"id = 'a', product = 'azure', x = (function() local t = { 'leaf' } for i = 1, 40 do t = { t, t } end "
         "return t end)()", "decision = 'deny'", "~: more than 100000 values in all"},
    };
    for (size_t i = 0; i < sizeof data / sizeof *data; i++) {
        FILE *f = fopen(file, "w");
        assert_non_null(f);
        fprintf(f, "-- one case\n\ncase { name = 'n', account = { %s }, expect = { %s } }\n", data[i].account,
                data[i].expect);
        fclose(f);
        run_result r = runf("test '%s'", dir);
        char want[700];
        /* "~...": said after a path too long to spell out here */
        snprintf(want, sizeof want, "docrules: %s:3: case \"n\": %s", file,
                 data[i].says[0] == '~' ? "account.x[" : data[i].says);
        if (r.status != 2 || !strstr(r.err, want) || (data[i].says[0] == '~' && !strstr(r.err, data[i].says + 1)))
            fail_msg("%s: exit %d, %s", data[i].says, r.status, r.err);
        free(r.out);
    }
    /* The same name twice: the second, pointing at the first. */
    FILE *f = fopen(file, "w");
    assert_non_null(f);
    fputs("case { name = 'x', account = { id = 'a', product = 'azure' }, expect = { decision = 'deny' } }\n"
          "case { name = 'x', account = { id = 'b', product = 'azure' }, expect = { decision = 'deny' } }\n", f);
    fclose(f);
    run_result r = runf("test '%s'", dir);
    char want[1300];
    snprintf(want, sizeof want, "docrules: %s:2: case \"x\" is already declared at %s:1", file, file);
    if (r.status != 2 || !strstr(r.err, want)) fail_msg("twice: exit %d, %s", r.status, r.err);
    free(r.out);
    /* The same file named twice (a folder and a file in it): each case once. */
    r = runf("test rules/tests rules/tests/azure-cancel.lua");
    assert_int_equal(r.status, 0);
    run_result one = run("test rules/tests");
    assert_string_equal(r.out, one.out);
    free(one.out);
    free(r.out);
    /* A right day and language run. */
    f = fopen(file, "w");
    assert_non_null(f);
    fputs("case { name = 'x', as_of = '2017-03-10', locale = 'zh-TW', account = { id = 'a', product = 'azure' }, "
          "expect = { decision = 'deny', as_of = '2017-03-10' } }\n", f);
    fclose(f);
    r = runf("test '%s'", dir);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "1 passed, 0 failed\n");
    free(r.out);
}

/* docrules test says why a case failed (the rule's error, the inputs the
 * account lacks, the facts no rule had), keeps diffs short and whole
 * characters, runs files or folders, one case with --run, and fails a
 * run that tested nothing; --format json and junit. */
static void test_says_why_a_case_failed(void **state) {
    (void)state;
    run_result r = run("test tests/fixtures/cases/failing.lua");
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.out, "failing.lua:3: a long list differs: channels[1]: expected \"ééé"));
    assert_non_null(strstr(r.out, "…, got \"online\""));
    /* valid UTF-8: the cut is at a character's start */
    json_t *j = json_stringn(r.out, strlen(r.out));
    assert_non_null(j);
    json_decref(j);
    assert_non_null(strstr(r.out, "no license count: decision: expected \"allow\", got \"needs_input\"\n    the account lacks [\"assigned_licenses\"]"));
    assert_non_null(strstr(r.out, "got \"no_rule\"\n    rule office365.cancel.trial (rules/office365-cancel.lua:"));
    assert_non_null(strstr(r.out, "as of 2015-01-01"));
    /* Every field that differs, the decision first, whichever order the
     * case wrote them in. */
    assert_non_null(strstr(r.out, "failing.lua:15: three fields differ: decision: expected \"deny\", got \"allow\"; "));
    assert_non_null(strstr(r.out, "channels[1]: expected \"support\", got \"online\""));
    assert_non_null(strstr(r.out, "required_roles: expected [\"billing_admin\"], got [\"global_admin\",\"billing_admin\"]"));
    assert_non_null(strstr(r.out, "1 passed, 4 failed"));
    free(r.out);
    r = run("test --rules tests/fixtures/rules-output");
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.out, "the rule failed: tests/fixtures/rules-output/wrong-output.lua:9: rule t.channel-unknown:"));
    free(r.out);
    r = run("test tests/fixtures/cases --run passes -v");
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "failing.lua:12: passes: ok\n1 passed, 0 failed"));
    free(r.out);
    r = run("test tests/fixtures/cases --run 'no such case'");
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "no test cases match --run 'no such case'"));
    free(r.out);
    r = run("test tests/fixtures/cases/failing.lua --run '*differs' --format json");
    assert_int_equal(r.status, 1);
    j = json_loads(r.out, 0, NULL);
    assert_int_equal(json_array_size(j), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(j, 0), "status")), "failed");
    json_decref(j);
    free(r.out);
    r = run("test tests/fixtures/cases/failing.lua --format junit");
    assert_non_null(strstr(r.out, "<testsuite name=\"docrules test\" tests=\"5\" failures=\"4\""));
    assert_non_null(strstr(r.out, "name=\"passes\" time=\"0\"/>"));
    free(r.out);
}

/* facts --as-of/--locale lists what the rules read that day in that
 * language: every fact a decision of that day cites is among them, and
 * they are fewer than every fact of every version. */
static void facts_as_of_are_what_decisions_cite(void **state) {
    (void)state;
    run_result all = run("facts --format json");
    run_result day = run("facts --as-of 2017-03-10 --locale zh-tw --format json");
    run_result dec = run("check examples/azure-2017-account-admin.json --as-of 2017-03-10 --format json");
    assert_int_equal(day.status, 0);
    json_t *ja = json_loads(all.out, 0, NULL), *jd = json_loads(day.out, 0, NULL), *d = json_loads(dec.out, 0, NULL);
    assert_true(json_array_size(jd) > 5);
    assert_true(json_array_size(jd) < json_array_size(ja) / 2);
    size_t i, cited = 0;
    json_t *r;
    json_array_foreach(json_object_get(d, "reasons"), i, r) {
        json_t *src = json_object_get(r, "source");
        if (!src) continue;
        int found = 0;
        size_t k;
        json_t *f;
        json_array_foreach(jd, k, f) {
            found |= json_equal(json_object_get(f, "doc"), json_object_get(src, "doc")) &&
                     json_equal(json_object_get(f, "line"), json_object_get(src, "line")) &&
                     json_equal(json_object_get(f, "fact"), json_object_get(src, "fact"));
        }
        if (!found) fail_msg("the decision cites %s, which facts --as-of does not list", json_dumps(src, 0));
        cited++;
    }
    assert_true(cited >= 3);
    json_decref(ja);
    json_decref(jd);
    json_decref(d);
    free(all.out);
    free(day.out);
    free(dec.out);
    /* Before every dated version only undated docs are in force. */
    run_result none = run("facts --as-of 2014-01-01 --format json");
    json_t *jn = json_loads(none.out, 0, NULL), *f;
    assert_non_null(jn);
    json_array_foreach(jn, i, f) assert_null(json_object_get(f, "date"));
    json_decref(jn);
    free(none.out);
}

/* --explain in text is a tree a person reads, not JSON; each condition's
 * line says the values it compared: a number, a string quoted, a list, a
 * value the account does not give. */
static void explain_text_is_a_tree(void **state) {
    (void)state;
    run_result r = run("check examples/office365-30-licenses.json --explain --format text");
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "    office365.cancel.online  (rules/office365-cancel.lua:40)  did not hold\n"
                                  "      [false] fewer assigned licenses than the online limit"
                                  "  (assigned_licenses = 30, f.online_cancel_max_licenses = 25)\n"
                                  "      online_cancel_max_licenses = 25   corpus/office365/cancel-subscription.zh-tw.md:28\n"));
    assert_non_null(strstr(r.out, "      [false] the subscription is a trial  (subscription.type = \"paid\")\n"));
    assert_non_null(strstr(r.out, "      [false] the actor is neither of the admin roles  (f.close_roles = "
                                  "[\"global_admin\",\"billing_admin\"], actor.roles = [\"global_admin\"])\n"));
    assert_non_null(strstr(r.out, "office365.cancel.license-threshold  (rules/office365-cancel.lua:63)  HELD"));
    /* The admin-role rule is the one shared with close-account: its own place. */
    assert_non_null(strstr(r.out, "    office365.admin-role  (rules/shared/office365-admin.lua:9)  did not hold\n"));
    assert_null(strstr(r.out, "\"rule\""));
    free(r.out);
    char acct[512];
    scratch_path(acct, sizeof acct, "no-subscription.json");
    FILE *f = fopen(acct, "w");
    assert_non_null(f);
    fputs("{\"id\":\"x\",\"product\":\"office365\",\"actor\":{\"roles\":[\"user\"]}}", f);
    fclose(f);
    r = runf("check '%s' --explain --format text", acct);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "      [false] the subscription is a trial  (subscription = absent)\n"));
    free(r.out);
    remove(acct);
}

/* --coverage gives a percentage, and --coverage-out an lcov tracefile
 * whose counts are the percentage's: a DA per rule, two BRDA per
 * condition. */
static void coverage_percentage_and_lcov(void **state) {
    (void)state;
    char info[512];
    scratch_path(info, sizeof info, "cov.info");
    run_result r = runf("test --coverage-out '%s'", info);
    assert_int_equal(r.status, 0);
    unsigned rh, rn, bh, bn;
    const char *c = strstr(r.out, "coverage: ");
    while (c && !strchr("0123456789", c[10])) c = strstr(c + 1, "coverage: ");
    assert_non_null(c);
    assert_int_equal(sscanf(c, "coverage: %*f%% (%u of %u rules decided, %u of %u condition outcomes seen)", &rh, &rn, &bh, &bn), 4);
    free(r.out);
    char *lcov = slurp(info, NULL);
    assert_non_null(lcov);
    assert_non_null(strstr(lcov, "SF:rules/office365-cancel.lua\n"));
    assert_non_null(strstr(lcov, "DA:64,1\n"));
    unsigned da = 0, brda = 0, brda_hit = 0, da_hit = 0;
    for (const char *p = lcov; (p = strstr(p, "\nDA:")); p++) { da++; da_hit += strncmp(strchr(p, ',') , ",1", 2) == 0; }
    for (const char *p = lcov; (p = strstr(p, "\nBRDA:")); p++) {
        brda++;
        const char *eol = strchr(p + 1, '\n');
        brda_hit += eol[-1] == '1';
    }
    assert_int_equal(da, rn);
    assert_int_equal(da_hit, rh);
    assert_int_equal(brda, bn);
    assert_int_equal(brda_hit, bh);
    free(lcov);
    unlink(info);
    /* What the cases missed, each with its place: a rule no case decided,
     * a condition seen only one way. */
    r = run("test tests/fixtures/cases --coverage");
    assert_non_null(strstr(r.out, "coverage: rules/azure-cancel.lua:24: rule azure.cancel.account-admin never decided\n"));
    assert_non_null(strstr(r.out, "coverage: rules/office365-cancel.lua:40: rule office365.cancel.online: condition "
                                  "\"fewer assigned licenses than the online limit\" was never false\n"));
    free(r.out);
}

/* One load says every broken script, each with its own place, once. */
static void every_broken_script_is_said(void **state) {
    (void)state;
    char two[512], want[1024];
    scratch_path(two, sizeof two, "two");
    assert_int_equal(sh("rm -rf '%s' && cp -R '" DR_TOP "/rules' '%s' && printf 'local x = {\\n' >> '%s/azure-reactivate.lua' && "
                        "printf '\\np:rule { id = 3 }\\n' >> '%s/office365-cancel.lua'", two, two, two, two), 0);
    run_result r = runf("check examples/office365-30-licenses.json --rules '%s'", two);
    assert_int_equal(r.status, 2);
    snprintf(want, sizeof want, "docrules: %s/azure-reactivate.lua:", two);
    assert_non_null(strstr(r.err, want));
    /* the rule appended after a blank line */
    size_t at = file_lines(DR_TOP "/rules/office365-cancel.lua") + 2;
    snprintf(want, sizeof want, "\n  also %s/office365-cancel.lua:%zu: rule needs id = \"...\"", two, at);
    assert_non_null(strstr(r.err, want));
    assert_null(strstr(r.err, "prelude"));
    /* each place once */
    const char *first = strstr(r.err, "azure-reactivate.lua:");
    assert_null(strstr(first + 1, "azure-reactivate.lua:"));
    free(r.out);
    /* A NUL byte: said where it is, not Lua's "unexpected symbol". */
    assert_int_equal(sh("rm -rf '%s' && cp -R '" DR_TOP "/rules' '%s' && printf '\n-- x\n  ab\\000c\n' >> '%s/azure-reactivate.lua'",
                        two, two, two), 0);
    r = runf("check examples/office365-30-licenses.json --rules '%s'", two);
    assert_int_equal(r.status, 2);
    snprintf(want, sizeof want, "docrules: %s/azure-reactivate.lua:%zu:5: a NUL byte: a rule script is text", two,
             file_lines(DR_TOP "/rules/azure-reactivate.lua") + 3);
    if (!strstr(r.err, want)) fail_msg("want %s in %s", want, r.err);
    free(r.out);
    assert_int_equal(sh("rm -rf '%s'", two), 0);
}

/* Within one script too, every wrong declaration is said, each with its
 * own place once, the first as it would be alone; a repeated id names the
 * place of the first; a rule's unknown fact is said with the others. */
static void every_wrong_declaration_is_said(void **state) {
    (void)state;
    char three[512], want[4096];
    scratch_path(three, sizeof three, "three");
    assert_int_equal(sh("rm -rf '%s' && cp -R '" DR_TOP "/rules' '%s' && printf '\\n"
                        "p:rule { id = \"x.ghost\", uses = { \"no_such_fact\" }, decision = \"deny\" }\\n"
                        "p:rule { id = \"x.when\", uses = {}, when = 3, decision = \"deny\" }\\n"
                        "p:rule { id = \"office365.cancel.online\", uses = {}, decision = \"deny\" }\\n' >> '%s/office365-cancel.lua'",
                        three, three, three), 0);
    run_result r = runf("check examples/office365-30-licenses.json --rules '%s'", three);
    assert_int_equal(r.status, 2);
    /* the three rules appended after a blank line */
    size_t at = file_lines(DR_TOP "/rules/office365-cancel.lua") + 2;
    snprintf(want, sizeof want,
             "docrules: %s/office365-cancel.lua:%zu: rule x.when: when must be a function or a list\n"
             "  also %s/office365-cancel.lua:%zu: rule id office365.cancel.online is already declared at %s/office365-cancel.lua:40\n"
             "  also %s/office365-cancel.lua:%zu: rule x.ghost uses fact \"no_such_fact\", which no fact \"...\" declares\n",
             three, at + 1, three, at + 2, three, three, at);
    assert_string_equal(r.err, want);
    free(r.out);
    /* A shared rule that did not load is said once, not again where a
     * policy uses it. */
    assert_int_equal(sh("rm -rf '%s' && cp -R '" DR_TOP "/rules' '%s' && "
                        "printf '\\nshared_rule { id = \"s.bad\", uses = {}, decision = \"maybe\" }\\n' >> '%s/shared/office365-admin.lua' && "
                        "printf '\\np:use(\"s.bad\")\\n' >> '%s/close-account.lua'", three, three, three, three), 0);
    r = runf("check examples/office365-30-licenses.json --rules '%s'", three);
    assert_int_equal(r.status, 2);
    snprintf(want, sizeof want,
             "docrules: %s/shared/office365-admin.lua:%zu: rule s.bad: decision must be allow, deny, escalate, not_applicable or blocked\n",
             three, file_lines(DR_TOP "/rules/shared/office365-admin.lua") + 2);
    assert_string_equal(r.err, want);
    free(r.out);
    /* A decision only the engine makes is not a rule's to give. */
    assert_int_equal(sh("rm -rf '%s' && cp -R '" DR_TOP "/rules' '%s' && "
                        "printf '\\nshared_rule { id = \"s.bad\", uses = {}, decision = \"no_rule\" }\\n' >> '%s/shared/office365-admin.lua'",
                        three, three, three), 0);
    r = runf("check examples/office365-30-licenses.json --rules '%s'", three);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "rule s.bad: decision must be allow, deny, escalate, not_applicable or blocked\n"));
    free(r.out);
    /* Ten more at most, then how many were left unsaid. */
    assert_int_equal(sh("rm -rf '%s' && cp -R '" DR_TOP "/rules' '%s' && "
                        "for i in 1 2 3 4 5 6 7 8 9 10 11 12 13; do echo 'p:rule { id = 3 }' >> '%s/office365-cancel.lua'; done",
                        three, three, three), 0);
    r = runf("check examples/office365-30-licenses.json --rules '%s'", three);
    assert_int_equal(r.status, 2);
    unsigned also = 0;
    for (const char *p = r.err; (p = strstr(p, "\n  also ")); p++) also++;
    assert_int_equal(also, 10);
    /* the eleventh of the lines appended, the last said */
    char last[128];
    snprintf(last, sizeof last, "office365-cancel.lua:%zu: rule needs id = \"...\"\n  and 2 more\n",
             file_lines(DR_TOP "/rules/office365-cancel.lua") + 11);
    assert_non_null(strstr(r.err, last));
    free(r.out);
    assert_int_equal(sh("rm -rf '%s'", three), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(extract_one_file_is_one_object),
        cmocka_unit_test(extract_several_files_is_an_array),
        cmocka_unit_test(unreadable_file_exits_2_with_its_name),
        cmocka_unit_test(stats_counts_files_and_diagnostics),
        cmocka_unit_test(extract_jobs_print_what_one_worker_prints),
        cmocka_unit_test(stats_jobs_count_what_one_worker_counts),
        cmocka_unit_test(extract_jobs_refuses_what_is_no_count),
        cmocka_unit_test(check_prints_a_decision_and_exit_0),
        cmocka_unit_test(check_exit_status_follows_the_decision),
        cmocka_unit_test(every_command_answers_help),
        cmocka_unit_test(test_says_why_a_case_failed),
        cmocka_unit_test(test_refuses_a_case_it_cannot_run),
        cmocka_unit_test(facts_as_of_are_what_decisions_cite),
        cmocka_unit_test(explain_text_is_a_tree),
        cmocka_unit_test(coverage_percentage_and_lcov),
        cmocka_unit_test(every_broken_script_is_said),
        cmocka_unit_test(every_wrong_declaration_is_said),
        cmocka_unit_test(check_refuses_unknown_fields_and_languages),
        cmocka_unit_test(a_new_product_needs_no_c),
        cmocka_unit_test(test_of_the_rules_folder_runs_its_cases),
        cmocka_unit_test(check_bad_account_exits_2_with_location),
        cmocka_unit_test(batch_one_line_out_per_line_in),
        cmocka_unit_test(batch_bad_accounts_fixture),
        cmocka_unit_test(query_options_are_checked_before_any_work),
        cmocka_unit_test(a_case_is_judged_as_check_decides),
        cmocka_unit_test(an_account_may_start_with_a_byte_order_mark),
        cmocka_unit_test(lost_output_and_unreadable_input_exit_2),
        cmocka_unit_test(rule_cases_pass),
        cmocka_unit_test(installed_command_finds_its_rules_and_corpus),
        cmocka_unit_test(serve_without_its_helper_says_so),
        cmocka_unit_test(libxml2_is_loaded_only_to_parse),
        cmocka_unit_test(without_libxml2_parsing_fails_cleanly),
    };
    return cmocka_run_group_tests_name("cli", tests, scratch_setup, scratch_teardown);
}
