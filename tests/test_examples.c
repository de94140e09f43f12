/* The scaling-out examples of examples/ run as their READMEs say: Dask
 * (examples/dask), systemd (examples/systemd), haproxy (examples/haproxy).
 * Each is skipped, saying which package it needs, when that is missing. */
#include <unistd.h>

#include "testutil.h"

/* A scratch folder of this suite's, removed by the test that made it. */
static char *scratch(void) {
    char *d = strdup("/tmp/dr-examples-XXXXXX");
    assert_non_null(mkdtemp(d));
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
    printf("dask: %s", err);
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

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dask_pieces_print_what_one_batch_prints),
    };
    return cmocka_run_group_tests_name("examples", tests, NULL, NULL);
}
