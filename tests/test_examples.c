/* The scaling-out examples of examples/ run as their READMEs say: Dask
 * (examples/dask), systemd (examples/systemd), haproxy (examples/haproxy).
 * Each is skipped, saying which package it needs, when that is missing. */
#include <errno.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "testutil.h"

/* A scratch folder of this suite's, removed by the test that made it. */
static char *scratch(void) {
    char *d = strdup("/tmp/dr-examples-XXXXXX");
    if (!d || !mkdtemp(d)) {
        print_error("cannot make a scratch folder in /tmp\n");
        abort(); /* not fail(): the compiler must see d is not NULL after */
    }
    return d;
}

static size_t count_lines(const char *s, size_t n) {
    size_t c = 0;
    for (size_t i = 0; i < n; i++) c += s[i] == '\n';
    return c;
}

/* examples/dask/run.py cuts a file into pieces, runs docrules batch on each
 * on a LocalCluster of two worker processes, and joins the outputs: that
 * must be byte for byte what one batch over the file prints. The file is
 * 3,000 realistic accounts with the 15 bad lines of accounts-bad.ndjson
 * twice among them, so that a bad line's answer ({"line":N}) falls in a
 * later piece and must carry its line number in the file, not in the
 * piece. 64 KiB pieces of the ~820 KB file: a dozen pieces. */
static void dask_pieces_print_what_one_batch_prints(void **state) {
    (void)state;
    if (sh("/usr/bin/python3 -c 'import distributed' >/dev/null 2>&1") != 0) {
        printf("skipped: /usr/bin/python3 cannot import distributed (Debian package python3-distributed)\n");
        skip();
    }
    char *d = scratch();
    assert_int_equal(sh("cd '%s' && python3 bench/gen_realistic.py 3000 %s/gen.ndjson 7 && "
                        "{ head -1000 %s/gen.ndjson; cat tests/fixtures/accounts-bad.ndjson; "
                        "sed -n 1001,2000p %s/gen.ndjson; cat tests/fixtures/accounts-bad.ndjson; "
                        "sed -n '2001,$p' %s/gen.ndjson; } > %s/in.ndjson",
                        DR_TOP, d, d, d, d, d), 0);
    size_t nin = 0, nbad = 0, none = 0, nmany = 0;
    char path[512];
    snprintf(path, sizeof path, "%s/in.ndjson", d);
    char *in = slurp(path, &nin);
    char *bad = slurp(DR_TOP "/tests/fixtures/accounts-bad.ndjson", &nbad);
    assert_non_null(in);
    assert_non_null(bad);
    size_t lines = count_lines(in, nin);
    assert_int_equal(lines, 3000 + 2 * count_lines(bad, nbad));
    /* Same rules, corpus and day for both; relative paths, as a user in the
     * project's folder would give them (and as decisions cite them). */
    assert_int_equal(sh("cd '%s' && DOCRULES_TODAY=2026-06-01 '%s/docrules' batch --rules rules --corpus corpus "
                        "< %s/in.ndjson > %s/one.ndjson", DR_TOP, DR_BUILD, d, d), 0);
    assert_int_equal(sh("cd '%s' && DOCRULES_TODAY=2026-06-01 /usr/bin/python3 examples/dask/run.py %s/in.ndjson "
                        "--docrules '%s/docrules' --rules rules --corpus corpus --blocksize 64KiB "
                        "> %s/many.ndjson 2> %s/many.err", DR_TOP, d, DR_BUILD, d, d), 0);
    snprintf(path, sizeof path, "%s/one.ndjson", d);
    char *one = slurp(path, &none);
    snprintf(path, sizeof path, "%s/many.ndjson", d);
    char *many = slurp(path, &nmany);
    snprintf(path, sizeof path, "%s/many.err", d);
    char *err = slurp(path, NULL);
    assert_non_null(one);
    assert_non_null(many);
    assert_non_null(err);
    printf("dask: %s", err ? err : "(nothing on stderr)\n");
    /* Really cut: more than one piece, on both workers. */
    unsigned nl, pieces, workers;
    const char *said = strstr(err, "dask/run.py: ");
    assert_non_null(said);
    assert_int_equal(sscanf(said, "dask/run.py: %u lines in %u pieces on %u workers", &nl, &pieces, &workers), 3);
    assert_int_equal(nl, lines);
    assert_true(pieces >= 8);
    assert_int_equal(workers, 2);
    assert_int_equal(count_lines(one, none), lines);
    assert_true(none > lines * 100); /* decisions, not empty lines */
    assert_non_null(strstr(one, "\"decision\":\"allow\""));
    assert_non_null(strstr(one, "{\"line\":2030,")); /* the second copy's empty line, pieces after the first */
    assert_int_equal(nmany, none);
    assert_memory_equal(many, one, none);
    free(in), free(bad), free(one), free(many), free(err);
    assert_int_equal(sh("rm -rf '%s'", d), 0);
    free(d);
}

/* examples/systemd/docrules.service as systemd reads it. systemd-analyze
 * verify exits 0 even for an unknown key or a bad value (it says
 * "FILE:LINE: ..., ignoring"), so the test wants it silent too. The
 * binary it names must exist, so a copy names the one just built. Then
 * the sandbox as a number: systemd-analyze security --offline scores the
 * unit's exposure (0 to 10; 1.4 as written); over 2.0 means an option such
 * as DynamicUser or ProtectSystem was lost. */
static void systemd_unit_verifies(void **state) {
    (void)state;
    if (sh("command -v systemd-analyze >/dev/null 2>&1") != 0) {
        printf("skipped: no systemd-analyze (Debian package systemd)\n");
        skip();
    }
    char *d = scratch();
    assert_int_equal(sh("sed 's#/usr/local/bin/docrules#%s/docrules#' '%s/examples/systemd/docrules.service' "
                        "> %s/docrules.service", DR_BUILD, DR_TOP, d), 0);
    assert_int_equal(sh("grep -q '^ExecStart=%s/docrules serve' %s/docrules.service", DR_BUILD, d), 0);
    assert_int_equal(sh("systemd-analyze verify --man=no %s/docrules.service > %s/verify.out 2>&1", d, d), 0);
    char path[512];
    snprintf(path, sizeof path, "%s/verify.out", d);
    size_t n = 0;
    char *out = slurp(path, &n);
    assert_non_null(out);
    if (n) printf("systemd-analyze verify said:\n%s", out);
    assert_int_equal(n, 0);
    free(out);
    if (sh("systemd-analyze security --help 2>/dev/null | grep -q -- --offline") == 0) {
        int rc = sh("systemd-analyze security --offline=yes --threshold=20 %s/docrules.service > %s/security.out 2>&1", d, d);
        if (rc != 0) sh("tail -3 %s/security.out", d);
        assert_int_equal(rc, 0);
    } else {
        printf("systemd-analyze has no security --offline (systemd < 252): exposure not scored\n");
    }
    assert_int_equal(sh("rm -rf '%s'", d), 0);
    free(d);
}

/* The unit sets MemoryDenyWriteExecute=yes and DOCRULES_PCRE2_JIT=0, and
 * says PCRE2 would fall back to its interpreter anyway. Checked without
 * systemd: the kernel's own W^X switch (prctl PR_SET_MDWE, Linux 6.3),
 * what the option asks for, under which `docrules facts` (every pattern
 * over the bundled corpus) must print what it prints unconfined, with the
 * JIT asked for and with it off. */
#ifndef PR_SET_MDWE
#define PR_SET_MDWE 65
#define PR_MDWE_REFUSE_EXEC_GAIN 1
#endif
static int facts_under_mdwe(const char *jit, const char *out) {
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (prctl(PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN, 0L, 0L, 0L) != 0) _exit(errno == EINVAL ? 77 : 78);
        if (!freopen(out, "w", stdout) || chdir(DR_TOP) != 0) _exit(79);
        setenv("DOCRULES_PCRE2_JIT", jit, 1);
        execl(DR_BUILD "/docrules", "docrules", "facts", "--format", "json", (char *)NULL);
        _exit(80);
    }
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static void patterns_read_the_same_without_write_execute(void **state) {
    (void)state;
    char *d = scratch();
    char free_out[512], jit_out[512], nojit_out[512];
    snprintf(free_out, sizeof free_out, "%s/free.json", d);
    snprintf(jit_out, sizeof jit_out, "%s/jit.json", d);
    snprintf(nojit_out, sizeof nojit_out, "%s/nojit.json", d);
    int rc = facts_under_mdwe("1", jit_out);
    if (rc == 77) {
        sh("rm -rf '%s'", d);
        free(d);
        printf("skipped: this kernel has no PR_SET_MDWE (Linux >= 6.3)\n");
        skip();
    }
    assert_int_equal(rc, 0);
    assert_int_equal(facts_under_mdwe("0", nojit_out), 0);
    assert_int_equal(sh("cd '%s' && '%s/docrules' facts --format json > %s", DR_TOP, DR_BUILD, free_out), 0);
    size_t nf = 0, nj = 0, nn = 0;
    char *f = slurp(free_out, &nf), *j = slurp(jit_out, &nj), *nj_ = slurp(nojit_out, &nn);
    assert_true(nf > 1000);
    assert_non_null(strstr(f, "online_cancel_max_licenses"));
    assert_int_equal(nj, nf);
    assert_memory_equal(j, f, nf);
    assert_int_equal(nn, nf);
    assert_memory_equal(nj_, f, nf);
    free(f), free(j), free(nj_);
    assert_int_equal(sh("rm -rf '%s'", d), 0);
    free(d);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dask_pieces_print_what_one_batch_prints),
        cmocka_unit_test(systemd_unit_verifies),
        cmocka_unit_test(patterns_read_the_same_without_write_execute),
    };
    return cmocka_run_group_tests_name("examples", tests, NULL, NULL);
}
