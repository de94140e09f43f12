/* Compiled bundles and their cache (bundle/): decisions byte for byte the
 * same read from the files, from a bundle, from a cold and a warm cache;
 * each kind of bad bundle a clear error naming the file; the cache
 * following edits, ignoring touches, surviving corruption, concurrent
 * builds and an unwritable folder. */
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

#include "../bundle/bundle.h"
#include "../bundle/format.h"
#include "../engine/engine.h"
#include "../facts/facts.h"
#include "../include/docrules.h"

/* The suite's scratch folder (testutil.h), once setup made it. */
static char tmp[200];

typedef struct run_result {
    int status;
    char *out, *err;
} run_result;

/* "docrules ARGS" from the project top with env (assignments) before it,
 * a day fixed and the cache in tmp/cache unless env names another. */
static run_result run_env(const char *env, const char *args) {
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "cd '%s' && DOCRULES_TODAY=2026-12-02 XDG_CACHE_HOME='%s/cache' %s '%s/docrules' %s "
             ">%s/out 2>%s/err; rc=$?; cat %s/out; printf '\\001'; cat %s/err; exit $rc",
             DR_TOP, tmp, env, DR_BUILD, args, tmp, tmp, tmp, tmp);
    FILE *f = popen(cmd, "r");
    assert_non_null(f);
    size_t cap = 1 << 16, n = 0, k;
    char *buf = malloc(cap);
    while ((k = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += k;
        if (n + 1 >= cap) buf = realloc(buf, cap *= 2);
    }
    buf[n] = '\0';
    int st = pclose(f);
    run_result r = {WIFEXITED(st) ? WEXITSTATUS(st) : -1, buf, NULL};
    char *sep = strchr(buf, '\001');
    assert_non_null(sep);
    *sep = '\0';
    r.err = sep + 1;
    return r;
}

static run_result run(const char *args) { return run_env("", args); }

static void drop(run_result *r) { free(r->out); }

static char bundle_path[512], accounts[512];

static int setup(void **state) {
    if (scratch_setup(state) != 0) return -1;
    snprintf(tmp, sizeof tmp, "%s", scratch_dir());
    snprintf(bundle_path, sizeof bundle_path, "%s/bundled.drb", tmp);
    snprintf(accounts, sizeof accounts, "%s/accounts.ndjson", tmp);
    /* The examples and 300 accounts of the realistic mix (seed 7). */
    if (sh("cd '%s' && for f in examples/*.json; do tr -d '\\n' < $f; echo; done > '%s' && "
           "/usr/bin/python3 bench/gen_realistic.py 300 '%s/gen.ndjson' 7 && cat '%s/gen.ndjson' >> '%s'",
           DR_TOP, accounts, tmp, tmp, accounts) != 0)
        return -1;
    return sh("cd '%s' && '%s/docrules' build -o '%s' 2>/dev/null", DR_TOP, DR_BUILD, bundle_path);
}

static int teardown(void **state) { return scratch_teardown(state); }

/* Same stdout and status for args run with each of the four ways. */
static void same_four_ways(const char *args) {
    char a[4096];
    sh("rm -rf '%s/cache'", tmp);
    snprintf(a, sizeof a, "%s --no-cache", args);
    run_result files = run(a);
    snprintf(a, sizeof a, "%s --bundle '%s'", args, bundle_path);
    run_result bundle = run(a);
    run_result cold = run_env("DOCRULES_CACHE_DEBUG=1", args);
    run_result warm = run_env("DOCRULES_CACHE_DEBUG=1", args);
    if (!files.out[0]) fprintf(stderr, "no output: %s: %d %s\n", args, files.status, files.err);
    assert_true(strlen(files.out) > 0);
    assert_string_equal(bundle.out, files.out);
    assert_string_equal(cold.out, files.out);
    assert_string_equal(warm.out, files.out);
    assert_int_equal(bundle.status, files.status);
    assert_int_equal(cold.status, files.status);
    assert_int_equal(warm.status, files.status);
    /* The cold run built the cache, the warm one read it. */
    assert_non_null(strstr(cold.err, "cache: built "));
    assert_non_null(strstr(warm.err, "cache: read "));
    drop(&files), drop(&bundle), drop(&cold), drop(&warm);
}

static void batches_are_byte_identical(void **state) {
    (void)state;
    char a[1024];
    snprintf(a, sizeof a, "batch < '%s'", accounts);
    same_four_ways(a);
    snprintf(a, sizeof a, "batch --explain --as-of 2017-03-10 < '%s'", accounts);
    same_four_ways(a);
    snprintf(a, sizeof a, "batch --locale nl-nl --fields id,decision,steps,revision < '%s'", accounts);
    same_four_ways(a);
    /* Workers past the first are forks, which load the root's script text
     * (the bundle's) rather than files: 1,220 lines are three chunks. */
    assert_int_equal(sh("for i in 1 2 3 4; do cat '%s'; done > '%s/x4.ndjson'", accounts, tmp), 0);
    snprintf(a, sizeof a, "batch -j 3 < '%s/x4.ndjson'", tmp);
    same_four_ways(a);
}

static void checks_and_facts_are_byte_identical(void **state) {
    (void)state;
    const char *ex[] = {"office365-30-licenses", "azure-2017-account-admin", "azure-reactivate-late",
                        "close-account-half-done", "office365-trial"};
    char a[1024];
    for (size_t i = 0; i < sizeof ex / sizeof *ex; i++) {
        snprintf(a, sizeof a, "check examples/%s.json --format json --explain", ex[i]);
        same_four_ways(a);
        snprintf(a, sizeof a, "check examples/%s.json --format text --as-of 2018-05-01 --locale ja-jp", ex[i]);
        same_four_ways(a);
    }
    same_four_ways("facts --format json");
    same_four_ways("facts --as-of 2017-03-10 --locale zh-tw --format text");
    /* A usage error that the rules and corpus decide (a language neither
     * has) is the same too. */
    run_result f = run("check examples/office365-trial.json --locale xx-yy --no-cache");
    snprintf(a, sizeof a, "check examples/office365-trial.json --locale xx-yy --bundle '%s'", bundle_path);
    run_result b = run(a);
    assert_int_equal(f.status, 2);
    assert_int_equal(b.status, 2);
    assert_string_equal(b.err, f.err);
    drop(&f), drop(&b);
}

static void rule_cases_pass_from_a_bundle(void **state) {
    (void)state;
    char a[1024];
    snprintf(a, sizeof a, "test --bundle '%s'", bundle_path);
    run_result r = run(a);
    assert_int_equal(r.status, 0);
    int passed = -1, failed = -1;
    const char *last = strstr(r.out, " passed, ");
    while (last && strstr(last + 1, " passed, ")) last = strstr(last + 1, " passed, ");
    assert_non_null(last);
    while (last > r.out && last[-1] >= '0' && last[-1] <= '9') last--;
    assert_int_equal(sscanf(last, "%d passed, %d failed", &passed, &failed), 2);
    assert_true(passed > 10);
    assert_int_equal(failed, 0);
    drop(&r);
}

/* check with --bundle FILE: exit 2 and "docrules: FILE: msg" on stderr. */
static void refused(const char *file, const char *msg) {
    char a[1024], want[1200];
    snprintf(a, sizeof a, "check examples/office365-trial.json --bundle '%s'", file);
    run_result r = run(a);
    snprintf(want, sizeof want, "docrules: %s: %s", file, msg);
    if (r.status != 2 || !strstr(r.err, want)) fprintf(stderr, "wanted %s, got %d %s", want, r.status, r.err);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, want));
    assert_string_equal(r.out, "");
    drop(&r);
}

static char *bundle_bytes(size_t *len) {
    char *b = slurp(bundle_path, len);
    assert_non_null(b);
    return b;
}

static void write_bytes(const char *path, const char *b, size_t n) {
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b, 1, n, f), n);
    fclose(f);
}

static void bad_bundles_say_what_and_where(void **state) {
    (void)state;
    char p[600];
    size_t len = 0;
    char *b = bundle_bytes(&len);
    assert_true(len > 4096);
    /* Foreign: a JSON file, an empty file, a folder, a FIFO (not waited on). */
    refused(DR_TOP "/examples/office365-trial.json", "not a docrules bundle");
    snprintf(p, sizeof p, "%s/empty.drb", tmp);
    write_bytes(p, "", 0);
    refused(p, "not a docrules bundle");
    /* a folder and a FIFO are said for what they are */
    refused(tmp, "cannot read: not a regular file (docrules build writes one)");
    snprintf(p, sizeof p, "%s/fifo.drb", tmp);
    assert_int_equal(mkfifo(p, 0600), 0);
    alarm(20);
    refused(p, "cannot read: not a regular file");
    alarm(0);
    snprintf(p, sizeof p, "%s/none.drb", tmp);
    refused(p, "cannot open");
    /* Truncated: at 1000 bytes, and inside the header. */
    snprintf(p, sizeof p, "%s/cut.drb", tmp);
    write_bytes(p, b, 1000);
    refused(p, "truncated at byte 1000");
    write_bytes(p, b, 20);
    refused(p, "truncated at byte 20");
    /* Corrupted: one byte of the middle changed. */
    snprintf(p, sizeof p, "%s/flip.drb", tmp);
    b[len / 2] ^= 0x20;
    write_bytes(p, b, len);
    refused(p, "checksum mismatch: corrupted");
    b[len / 2] ^= 0x20;
    /* The checksum reads 32 bytes at a time: a flip in the last, partial
     * block or in the header (but the checksum's own bytes) is seen too. */
    for (size_t at = 0; at < len; at = at == 63 ? len - 40 : at + 1) {
        if (at >= 48 && at < 56) continue;
        uint64_t sum = dr_bundle_checksum(b, len);
        b[at] ^= 0x01;
        if (dr_bundle_checksum(b, len) == sum) fail_msg("a flip at byte %zu of %zu leaves the checksum", at, len);
        b[at] ^= 0x01;
    }
    /* Newer: format 3. */
    snprintf(p, sizeof p, "%s/newer.drb", tmp);
    set32(b + 8, 3);
    write_bytes(p, b, len);
    refused(p, "bundle format 3, this docrules reads 2");
    set32(b + 8, DR_BUNDLE_FORMAT);
    /* Another docrules, its checksum right. */
    snprintf(p, sizeof p, "%s/other.drb", tmp);
    char v[16];
    memcpy(v, b + 16, 16);
    memset(b + 16, 0, 16);
    memcpy(b + 16, "0.1.0", 5);
    set64(b + 48, dr_bundle_checksum(b, len));
    write_bytes(p, b, len);
    refused(p, "built by docrules 0.1.0, this is docrules " DOCRULES_VERSION);
    memcpy(b + 16, v, 16);
    set64(b + 48, dr_bundle_checksum(b, len));
    /* Hostile: right checksum, a section past the end; then every byte of
     * the section table and of the first records, one at a time. */
    snprintf(p, sizeof p, "%s/hostile.drb", tmp);
    char *h = malloc(len);
    memcpy(h, b, len);
    set64(h + DR_BUNDLE_HEADER + 8, len + 10);
    set64(h + 48, dr_bundle_checksum(h, len));
    write_bytes(p, h, len);
    refused(p, "corrupted: section ");
    free(h);
    size_t checked = 0, refused_flips = 0, table_flips = 0;
    for (size_t at = DR_BUNDLE_HEADER; at < len && at < 2048; at += 3) {
        char *x = malloc(len);
        memcpy(x, b, len);
        x[at] = (char)(x[at] ^ 0xff);
        set64(x + 48, dr_bundle_checksum(x, len));
        dr_bundle *bb = NULL;
        dr_error err;
        /* A section table entry's offset or length flipped (its bytes 8
         * to 23) points past the file: always refused. */
        size_t in_table = at - DR_BUNDLE_HEADER, nsec = le32((const unsigned char *)b + 40);
        int offset_or_length = in_table < nsec * DR_BUNDLE_ENTRY && in_table % DR_BUNDLE_ENTRY >= 8 &&
                               in_table % DR_BUNDLE_ENTRY < 24 && (in_table % DR_BUNDLE_ENTRY) % 8 == 7;
        if (dr_bundle_parse("x.drb", x, len, &bb, &err) == DR_OK) {
            if (offset_or_length) fail_msg("byte %zu of the section table flipped: read as a bundle", at);
            dr_bundle_free(bb);
        } else {
            assert_string_equal(err.file, "x.drb");
            refused_flips++;
        }
        table_flips += offset_or_length;
        checked++;
    }
    assert_true(checked > 500);
    assert_true(table_flips > 0);
    assert_true(refused_flips >= table_flips);
    /* A whole bundle again is read. */
    dr_bundle *whole;
    dr_error err;
    char *copy = malloc(len);
    memcpy(copy, b, len);
    assert_int_equal(dr_bundle_parse("whole.drb", copy, len, &whole, &err), DR_OK);
    assert_true(whole->nfacts > 100 && whole->nscripts > 5);
    /* Its engine's catalog holds the patterns as text only: it reads no
     * doc, and says so rather than finding nothing. */
    dr_engine_opts eo = {NULL, NULL, 0, 200000, 32 * 1024 * 1024, "2026-01-01", NULL};
    dr_engine *e;
    assert_int_equal(dr_engine_new_from_bundle(&eo, whole, &e, &err), DR_OK);
    const char *docs[] = {"corpus"};
    dr_factset *fs = NULL;
    assert_int_equal(dr_factset_load(dr_engine_catalog(e), docs, 1, NULL, &fs, &err), DR_EUSAGE);
    assert_null(fs);
    assert_non_null(strstr(err.message, "no doc is read"));
    dr_engine_free(e);
    free(b);
    /* And --bundle with --corpus or --rules is a usage error. */
    char a[1024];
    snprintf(a, sizeof a, "check examples/office365-trial.json --bundle '%s' --rules rules", bundle_path);
    run_result r = run(a);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "--bundle holds the rules and the corpus"));
    drop(&r);
}

/* check of the 30-license account with the cache, against --no-cache:
 * the same decision; returns it, and whether the cache was rebuilt. */
static char *checked(const char *corpus, const char *rules, int *rebuilt) {
    char a[1024];
    snprintf(a, sizeof a, "check examples/office365-30-licenses.json --format json --corpus '%s' --rules '%s'", corpus, rules);
    run_result c = run_env("DOCRULES_CACHE_DEBUG=1", a);
    strcat(a, " --no-cache");
    run_result f = run(a);
    assert_int_equal(c.status, 0);
    assert_string_equal(c.out, f.out);
    assert_non_null(strstr(c.err, "cache: "));
    *rebuilt = strstr(c.err, "cache: built ") != NULL;
    char *out = strdup(c.out);
    drop(&c), drop(&f);
    return out;
}

static void cache_follows_edits_and_ignores_touches(void **state) {
    (void)state;
    char corpus[600], rules[600];
    snprintf(corpus, sizeof corpus, "%s/corpus", tmp);
    snprintf(rules, sizeof rules, "%s/rules", tmp);
    /* Copies that keep their times: no file is recent enough to be racy. */
    assert_int_equal(sh("cp -Rp '%s/corpus' '%s' && cp -Rp '%s/rules' '%s' && rm -rf '%s/cache'", DR_TOP, corpus, DR_TOP, rules, tmp), 0);
    int rebuilt;
    char *first = checked(corpus, rules, &rebuilt);
    assert_true(rebuilt);
    char *again = checked(corpus, rules, &rebuilt);
    assert_false(rebuilt);
    assert_string_equal(again, first);
    free(again);
    /* Touched, not changed: read, not built; and the entry takes the new
     * stats, so the check after it hashes nothing again. */
    assert_int_equal(sh("touch -d '2 minutes ago' '%s/office365/cancel-subscription.zh-tw.md' '%s/office365-cancel.lua'",
                        corpus, rules), 0);
    again = checked(corpus, rules, &rebuilt);
    assert_false(rebuilt);
    assert_string_equal(again, first);
    free(again);
    char a[1400];
    snprintf(a, sizeof a, "check examples/office365-30-licenses.json --format json --corpus '%s' --rules '%s'", corpus, rules);
    run_result t = run_env("DOCRULES_CACHE_DEBUG=1", a);
    assert_non_null(strstr(t.err, "cache: read "));
    assert_null(strstr(t.err, "touched"));
    drop(&t);
    /* An editor's hidden file beside a doc changes its folder's mtime but
     * nothing the loaders read: listed again, not built. */
    assert_int_equal(sh("echo x > '%s/office365/.cancel.md.swp'", corpus), 0);
    again = checked(corpus, rules, &rebuilt);
    assert_false(rebuilt);
    assert_string_equal(again, first);
    free(again);
    /* A doc edited (the same size: 25 licenses become 40): another decision. */
    assert_int_equal(sh("sed -i 's/25/40/g' '%s/office365/cancel-subscription.zh-tw.md'", corpus), 0);
    char *edited = checked(corpus, rules, &rebuilt);
    assert_true(rebuilt);
    assert_string_not_equal(edited, first);
    assert_non_null(strstr(edited, "40"));
    /* Racily clean: the doc just recorded is written again in place, the
     * same size, and given back its recorded mtime (what a second edit in
     * the same timestamp tick looks like): its stat is the recorded one,
     * but it was modified within a second of the record, so it is read. */
    assert_int_equal(sh("cd '%s/office365' && cp -p cancel-subscription.zh-tw.md ref && "
                        "sed 's/fewer than 40 assigned/fewer than 45 assigned/; s/不足40個/不足45個/' ref > new && "
                        "cat new > cancel-subscription.zh-tw.md && touch -r ref cancel-subscription.zh-tw.md && rm ref new",
                        corpus), 0);
    char *racy = checked(corpus, rules, &rebuilt);
    assert_true(rebuilt);
    assert_non_null(strstr(racy, "fewer than 45"));
    free(racy);
    assert_int_equal(sh("sed -i 's/ 45 / 40 /; s/不足45個/不足40個/' '%s/office365/cancel-subscription.zh-tw.md'", corpus), 0);
    free(checked(corpus, rules, &rebuilt));
    assert_true(rebuilt);
    /* A doc added, then removed: rebuilt each time (the revision changes). */
    assert_int_equal(sh("cp '%s/office365/cancel-subscription.zh-tw.md' '%s/office365/copy.md'", corpus, corpus), 0);
    char *added = checked(corpus, rules, &rebuilt);
    assert_true(rebuilt);
    assert_string_not_equal(added, edited);
    assert_int_equal(sh("rm '%s/office365/copy.md'", corpus), 0);
    char *removed = checked(corpus, rules, &rebuilt);
    assert_true(rebuilt);
    assert_string_equal(removed, edited);
    /* A rule script edited (a comment): rebuilt, another revision. */
    assert_int_equal(sh("echo '-- edited' >> '%s/office365-cancel.lua'", rules), 0);
    char *rule = checked(corpus, rules, &rebuilt);
    assert_true(rebuilt);
    assert_string_not_equal(rule, removed);
    /* A lexicon edited: rebuilt. */
    assert_int_equal(sh("echo '-- edited' >> '%s/lexicons/de.lua'", rules), 0);
    free(checked(corpus, rules, &rebuilt));
    assert_true(rebuilt);
    free(first), free(edited), free(added), free(removed), free(rule);
}

static void corrupt_or_concurrent_cache_is_rebuilt_never_an_error(void **state) {
    (void)state;
    sh("rm -rf '%s/cache'", tmp);
    run_result files = run("check examples/azure-2017-account-admin.json --format json --no-cache");
    /* Four processes build at once: each decides right, the entry is whole. */
    assert_int_equal(sh("cd '%s' && for i in 1 2 3 4; do DOCRULES_TODAY=2026-12-02 XDG_CACHE_HOME='%s/cache' "
                        "'%s/docrules' check examples/azure-2017-account-admin.json --format json > '%s'/par.$i & done; wait",
                        DR_TOP, tmp, DR_BUILD, tmp), 0);
    for (int i = 1; i <= 4; i++) {
        char p[600];
        snprintf(p, sizeof p, "%s/par.%d", tmp, i);
        char *o = slurp(p, NULL);
        assert_string_equal(o, files.out);
        free(o);
    }
    run_result warm = run_env("DOCRULES_CACHE_DEBUG=1", "check examples/azure-2017-account-admin.json --format json");
    assert_non_null(strstr(warm.err, "cache: read "));
    drop(&warm);
    /* Every entry overwritten with garbage, or cut short: built again, silently. */
    /* (at least one entry is there to spoil) */
    assert_int_equal(sh("set -- '%s'/cache/docrules/*.drb; [ -e \"$1\" ] && for f; do echo garbage > \"$f\"; done", tmp), 0);
    run_result r = run("check examples/azure-2017-account-admin.json --format json");
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, files.out);
    assert_string_equal(r.err, "");
    drop(&r);
    assert_int_equal(sh("for f in '%s'/cache/docrules/*.drb; do head -c 500 \"$f\" > '%s/h' && mv '%s/h' \"$f\"; done", tmp, tmp, tmp), 0);
    r = run_env("DOCRULES_CACHE_DEBUG=1", "check examples/azure-2017-account-admin.json --format json");
    assert_string_equal(r.out, files.out);
    assert_non_null(strstr(r.err, "truncated at byte 500"));
    drop(&r);
    /* Emptied (nothing to map: read instead, and refused): built again. */
    assert_int_equal(sh("for f in '%s'/cache/docrules/*.drb; do : > '%s/h' && mv '%s/h' \"$f\"; done", tmp, tmp, tmp), 0);
    r = run_env("DOCRULES_CACHE_DEBUG=1", "check examples/azure-2017-account-admin.json --format json");
    assert_string_equal(r.out, files.out);
    assert_non_null(strstr(r.err, "not a docrules bundle"));
    drop(&r);
    drop(&files);
}

static void unwritable_cache_still_decides(void **state) {
    (void)state;
    char file[600], env[700];
    /* A file where the cache folder would be: not writable, even by root. */
    snprintf(file, sizeof file, "%s/not-a-folder", tmp);
    write_bytes(file, "x", 1);
    snprintf(env, sizeof env, "XDG_CACHE_HOME='%s'", file);
    run_result files = run("check examples/office365-30-licenses.json --format json --no-cache");
    run_result r = run_env(env, "check examples/office365-30-licenses.json --format json");
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, files.out);
    /* One line on stderr, saying why. */
    assert_non_null(strstr(r.err, "docrules: cache not used: cannot write "));
    assert_non_null(strchr(r.err, '\n'));
    assert_string_equal(strchr(r.err, '\n'), "\n");
    drop(&r);
    r = run_env(env, "check examples/office365-30-licenses.json --format json --no-cache");
    assert_string_equal(r.err, "");
    drop(&r);
    /* A file where docrules' own folder would be: said for what it is,
     * not as access()'s "Permission denied". */
    char dir[600];
    snprintf(dir, sizeof dir, "%.500s/cache-home", tmp);
    assert_int_equal(sh("mkdir -p '%s' && touch '%s/docrules'", dir, dir), 0);
    snprintf(env, sizeof env, "XDG_CACHE_HOME='%s'", dir);
    r = run_env(env, "check examples/office365-30-licenses.json --format json");
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, files.out);
    assert_non_null(strstr(r.err, "docrules: cache not used: cannot write "));
    assert_non_null(strstr(r.err, "/cache-home/docrules: not a folder\n"));
    drop(&r);
    drop(&files);
}

/* A corpus of hundreds of files is checked on two threads taking chunks
 * from one list (bundle/inputs.c): a change anywhere in it is seen,
 * whichever thread looks at it, and a touch anywhere is only a touch. */
static void cache_sees_a_change_anywhere_in_a_big_corpus(void **state) {
    (void)state;
    char corpus[600], rules[600];
    snprintf(corpus, sizeof corpus, "%s/big", tmp);
    snprintf(rules, sizeof rules, "%s/rules", tmp);
    /* Twenty copies of the bundled corpus: over 400 files and folders. */
    assert_int_equal(sh("rm -rf '%s' '%s' '%s/cache' && cp -Rp '%s/rules' '%s' && mkdir '%s' && "
                        "for i in $(seq 10 29); do cp -Rp '%s/corpus' '%s'/c$i; done",
                        corpus, rules, tmp, DR_TOP, rules, corpus, DR_TOP, corpus), 0);
    assert_int_equal(sh("test $(find '%s' | wc -l) -gt 400", corpus), 0);
    int rebuilt;
    char *last = checked(corpus, rules, &rebuilt);
    assert_true(rebuilt);
    free(checked(corpus, rules, &rebuilt));
    assert_false(rebuilt);
    const char *where[] = {"c10", "c19", "c29"};
    for (int k = 0; k < 3; k++) {
        /* Touched: read, not built, the same decision. */
        assert_int_equal(sh("touch -d '2 minutes ago' '%s/%s/office365/cancel-subscription.zh-tw.md'", corpus, where[k]), 0);
        char *again = checked(corpus, rules, &rebuilt);
        assert_false(rebuilt);
        assert_string_equal(again, last);
        free(again);
        /* Edited, the same size and an old mtime: built again. */
        assert_int_equal(sh("f='%s/%s/office365/cancel-subscription.zh-tw.md' && sed -i 's/25/26/g' \"$f\" && "
                            "touch -d '3 minutes ago' \"$f\"", corpus, where[k]), 0);
        free(last);
        last = checked(corpus, rules, &rebuilt);
        assert_true(rebuilt);
    }
    /* A doc gone from the middle: built again. */
    assert_int_equal(sh("rm '%s/c20/office365/cancel-subscription.zh-tw.md'", corpus), 0);
    free(checked(corpus, rules, &rebuilt));
    assert_true(rebuilt);
    free(last);
}

/* A cache entry's input records are looked at before its checksum is
 * (bundle/cache.c starts the restat while the entry is parsed). Records
 * whole in an entry whose checksum fails (the restat stopped mid-way:
 * nothing in the corpus is recent enough to be racy, so it does not stop
 * early on its own); records spoiled past their checksum, past it with the
 * checksum made right, one past the strings' end with it made right, and
 * naming a path that is not there: each a rebuild and the right decision,
 * over a corpus long enough for the helper thread. A record read past the
 * mapping, or bytes let go while the helper reads them, crash the check
 * (the mapping is no heap ASan watches: fuzz_bundle reads bundles from
 * the heap). */
enum { WHOLE = -1, STRINGS_END = -2 };
static void spoil_inputs(const char *from, const char *to, long path, int fix) {
    size_t len;
    char *b = slurp(from, &len);
    assert_true(len > DR_BUNDLE_HEADER);
    const unsigned char *p = (const unsigned char *)b;
    size_t at = 0, n = 0, strings = 0;
    for (uint32_t i = 0; i < le32(p + 40); i++) {
        const unsigned char *t = p + DR_BUNDLE_HEADER + (size_t)i * DR_BUNDLE_ENTRY;
        if (le32(t) == SEC_INPUTS) at = (size_t)le64(t + 8), n = (size_t)le64(t + 16) / INPUT_SIZE;
        if (le32(t) == SEC_STRINGS) strings = (size_t)le64(t + 16);
    }
    assert_true(n > 512 && strings > 0);
    if (path == WHOLE) b[DR_BUNDLE_HEADER - 1] ^= 1; /* a byte no record holds */
    else
        for (size_t i = 0; i < n; i++) set32(b + at + i * INPUT_SIZE, path == STRINGS_END ? (uint32_t)strings : (uint32_t)path);
    if (fix) set64(b + 48, dr_bundle_checksum(b, len));
    write_bytes(to, b, len);
    free(b);
}

/* Whether text holds one of the '|'-separated strings in ways. */
static int said_one_of(const char *text, const char *ways) {
    for (const char *w = ways; *w;) {
        size_t n = strcspn(w, "|");
        char one[200];
        snprintf(one, sizeof one, "%.*s", (int)n, w);
        if (strstr(text, one)) return 1;
        w += n + (w[n] == '|');
    }
    return 0;
}

static void cache_entry_with_spoiled_inputs_is_rebuilt(void **state) {
    (void)state;
    char corpus[600], a[1400], entry[800], keep[900];
    snprintf(corpus, sizeof corpus, "%s/spoil", tmp);
    /* 30 copies: over 700 files and folders, a few milliseconds of stat,
     * all of them an hour old. */
    assert_int_equal(sh("rm -rf '%s' '%s/cache' && mkdir '%s' && for i in $(seq 10 39); do cp -Rp '%s/corpus' '%s'/c$i; done && "
                        "find '%s' -exec touch -h -d '1 hour ago' {} +",
                        corpus, tmp, corpus, DR_TOP, corpus, corpus), 0);
    snprintf(a, sizeof a, "check examples/office365-30-licenses.json --format json --corpus '%s'", corpus);
    run_result files = run_env("DOCRULES_CACHE_DEBUG=1", a);
    assert_int_equal(files.status, 0);
    assert_non_null(strstr(files.err, "cache: built "));
    /* The entry's name, from the note: "cache: built NAME (why)". */
    const char *at = strstr(files.err, "cache: built ") + strlen("cache: built ");
    snprintf(entry, sizeof entry, "%.*s", (int)strcspn(at, " "), at);
    snprintf(keep, sizeof keep, "%s.keep", entry);
    assert_int_equal(sh("cp '%s' '%s'", entry, keep), 0);
    const struct {
        long path;
        int fix;
        const char *said; /* what the note says why, or one of several, '|' between */
    } cases[] = {{WHOLE, 0, "checksum mismatch: corrupted"}, /* twice: where the restat is when it stops varies */
                 {WHOLE, 0, "checksum mismatch: corrupted"},
                 {0x7ffffff0L, 0, "checksum mismatch: corrupted"},
                 {0x7ffffff0L, 1, "corrupted: a string lies outside the strings"},
                 {STRINGS_END, 1, "corrupted: a string lies outside the strings"},
                 /* the path "", each record's: a file gone, a folder another kind of
                  * file or (a folder's look first) the walk's list not the record's */
                 {0, 1, "( is gone)|( is another kind of file)|(rules is new, gone or another kind of file)"}};
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        spoil_inputs(keep, entry, cases[k].path, cases[k].fix);
        run_result r = run_env("DOCRULES_CACHE_DEBUG=1", a);
        assert_int_equal(r.status, 0);
        assert_string_equal(r.out, files.out);
        assert_non_null(strstr(r.err, "cache: built "));
        if (!said_one_of(r.err, cases[k].said)) fail_msg("case %zu: not said why: %s", k, r.err);
        drop(&r);
        /* Built again whole: the next check reads it, every record looked
         * at once by one thread or the other (the note counts them). */
        r = run_env("DOCRULES_CACHE_DEBUG=1", a);
        assert_string_equal(r.out, files.out);
        assert_non_null(strstr(r.err, "cache: read "));
        const char *its = strstr(r.err, "; its ");
        assert_non_null(its);
        size_t all = 0, caller = 0, helper = 0;
        assert_int_equal(sscanf(its, "; its %zu files and folders", &all), 1);
        const char *by = strstr(its, ": ");
        assert_non_null(by);
        assert_int_equal(sscanf(by, ": %zu stat'ed by the caller in %*f ms, %zu by the helper", &caller, &helper), 2);
        assert_true(all > 512);
        assert_int_equal(caller + helper, all);
        drop(&r);
    }
    drop(&files);
}

/* The cache keeps its 32 newest entries: a new one written, the oldest
 * go, and temporary files an interrupted write left over an hour ago; a
 * recent temporary file (a write under way), anything else, and what a
 * folder inside holds stay. */
static void cache_keeps_its_newest_entries(void **state) {
    (void)state;
    sh("rm -rf '%s/cache'", tmp);
    assert_int_equal(sh("d='%s/cache/docrules' && mkdir -p \"$d/mine\" && for i in $(seq 10 49); do "
                        "echo x > \"$d/old$i.drb\" && touch -d \"2026-01-01 00:00:$i\" \"$d/old$i.drb\"; done && "
                        "echo x > \"$d/a.drb.tmp-1-stale\" && touch -d '2 hours ago' \"$d/a.drb.tmp-1-stale\" && "
                        "echo x > \"$d/b.drb.tmp-2-fresh\" && echo x > \"$d/notes.txt\" && "
                        "touch -d 2020-01-01 \"$d/notes.txt\" && echo x > \"$d/mine/keep.drb\" && "
                        "touch -d 2020-01-01 \"$d/mine/keep.drb\"",
                        tmp), 0);
    run_result r = run("check examples/office365-30-licenses.json --format json");
    assert_int_equal(r.status, 0);
    drop(&r);
    /* 40 old and the new one: the nine oldest (old10 to old18) gone. */
    assert_int_equal(sh("cd '%s/cache/docrules' && test $(ls *.drb | wc -l) -eq 32 && ! test -e old18.drb && "
                        "test -e old19.drb && test -e old49.drb && ! test -e a.drb.tmp-1-stale && "
                        "test -e b.drb.tmp-2-fresh && test -e notes.txt && test -e mine/keep.drb",
                        tmp), 0);
    /* The new entry is among those kept: the next check reads it. */
    r = run_env("DOCRULES_CACHE_DEBUG=1", "check examples/office365-30-licenses.json --format json");
    assert_non_null(strstr(r.err, "cache: read "));
    drop(&r);
}

/* build -o writes a regular file only: a FIFO, a folder, a link to a
 * device are refused and left as they were (a rename would replace them);
 * a link to a file is followed, the file replaced and the link kept. */
static void build_writes_only_regular_files(void **state) {
    (void)state;
    char d[600], a[1400];
    snprintf(d, sizeof d, "%s/targets", tmp);
    assert_int_equal(sh("rm -rf '%s' && mkdir -p '%s/dir' && cd '%s' && mkfifo fifo && ln -s /dev/null dev && "
                        "echo old > file && ln -s file link && ln -s nowhere/x dangling", d, d, d), 0);
    const char *refuse[][2] = {{"fifo", "not a regular file"},
                               {"dir", "not a regular file"},
                               {"dev", "not a regular file"},
                               {"dangling", "cannot write: No such file or directory"}};
    for (size_t i = 0; i < sizeof refuse / sizeof *refuse; i++) {
        snprintf(a, sizeof a, "build -o '%s/%s'", d, refuse[i][0]);
        alarm(20); /* a FIFO opened for writing would wait for a reader */
        run_result r = run(a);
        alarm(0);
        char want[1400];
        /* (the dangling link is named by its target, in a folder not there) */
        snprintf(want, sizeof want, "docrules: %s/%s: ", d, i == 3 ? "nowhere/x" : refuse[i][0]);
        if (r.status != 2 || !strstr(r.err, want) || !strstr(r.err, refuse[i][1]))
            fail_msg("build -o %s: %d %s", refuse[i][0], r.status, r.err);
        drop(&r);
    }
    /* Each left as it was, and no temporary file beside them. */
    assert_int_equal(sh("cd '%s' && test -p fifo && test -d dir && test \"$(readlink dev)\" = /dev/null && "
                        "test -c /dev/null && test \"$(ls | tr '\n' ' ')\" = 'dangling dev dir fifo file link '", d), 0);
    snprintf(a, sizeof a, "build -o '%s/link'", d);
    run_result r = run(a);
    assert_int_equal(r.status, 0);
    drop(&r);
    assert_int_equal(sh("cd '%s' && test -L link && test \"$(readlink link)\" = file && cmp -s file '%s'", d,
                        bundle_path), 0);
    /* A link to a file not made yet, in a folder that is there: made. */
    assert_int_equal(sh("cd '%s' && ln -s dir/new.drb later", d), 0);
    snprintf(a, sizeof a, "build -o '%s/later'", d);
    r = run(a);
    assert_int_equal(r.status, 0);
    drop(&r);
    assert_int_equal(sh("cd '%s' && test -L later && cmp -s dir/new.drb '%s'", d, bundle_path), 0);
}

/* The library: a version-1 options struct is read as one (its fields and
 * no more), a bundle cannot come with a rules folder, and a saved bundle
 * opens to the same decisions and counts. */
static void library_saves_and_opens_bundles(void **state) {
    (void)state;
    const char *corpus[] = {DR_TOP "/corpus"}, *acct = "{\"id\":\"a\",\"product\":\"office365\",\"assigned_licenses\":30}";
    docrules_ruleset_options v1 = DOCRULES_RULESET_OPTIONS_INIT;
    v1.version = 1;
    v1.rules_dir = DR_TOP "/rules";
    v1.corpus = corpus;
    v1.ncorpus = 1;
    v1.today = "2026-12-02";
    v1.bundle = "/nonexistent"; /* past a version-1 struct's end: never read */
    docrules_ruleset *rs, *rb;
    docrules_error err;
    assert_int_equal(docrules_ruleset_open(&rs, &v1, &err), DOCRULES_OK);
    assert_null(docrules_ruleset_cache_note(rs, NULL));
    docrules_ruleset_options v2 = DOCRULES_RULESET_OPTIONS_INIT;
    v2.bundle = bundle_path;
    v2.rules_dir = "rules";
    assert_int_equal(docrules_ruleset_open(&rb, &v2, &err), DOCRULES_EUSAGE);
    char saved[600];
    snprintf(saved, sizeof saved, "%s/saved.drb", tmp);
    assert_int_equal(docrules_ruleset_save(rs, saved, &err), DOCRULES_OK);
    v2.rules_dir = NULL;
    v2.bundle = saved;
    v2.today = "2026-12-02";
    assert_int_equal(docrules_ruleset_open(&rb, &v2, &err), DOCRULES_OK);
    assert_int_equal(docrules_ruleset_doc_count(rb), docrules_ruleset_doc_count(rs));
    assert_int_equal(docrules_ruleset_fact_count(rb), docrules_ruleset_fact_count(rs));
    docrules_engine *e1, *e2, *f2;
    assert_int_equal(docrules_engine_new(&e1, rs, NULL, &err), DOCRULES_OK);
    assert_int_equal(docrules_engine_new(&e2, rb, NULL, &err), DOCRULES_OK);
    /* A second engine of the bundle's rule set is a fork: the same too. */
    assert_int_equal(docrules_engine_new(&f2, rb, NULL, &err), DOCRULES_OK);
    docrules_buf a = DOCRULES_BUF_INIT, b = DOCRULES_BUF_INIT, c = DOCRULES_BUF_INIT;
    docrules_query q = DOCRULES_QUERY_INIT;
    q.explain = 1;
    assert_int_equal(docrules_decide(&a, e1, acct, strlen(acct), &q, &err), DOCRULES_OK);
    assert_int_equal(docrules_decide(&b, e2, acct, strlen(acct), &q, &err), DOCRULES_OK);
    assert_int_equal(docrules_decide(&c, f2, acct, strlen(acct), &q, &err), DOCRULES_OK);
    assert_string_equal(a.ptr, b.ptr);
    assert_string_equal(a.ptr, c.ptr);
    assert_non_null(strstr(a.ptr, "\"revision\""));
    docrules_buf_dispose(&a), docrules_buf_dispose(&b), docrules_buf_dispose(&c);
    docrules_engine_free(e1), docrules_engine_free(e2), docrules_engine_free(f2);
    docrules_ruleset_free(rs), docrules_ruleset_free(rb);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(batches_are_byte_identical),
        cmocka_unit_test(checks_and_facts_are_byte_identical),
        cmocka_unit_test(rule_cases_pass_from_a_bundle),
        cmocka_unit_test(bad_bundles_say_what_and_where),
        cmocka_unit_test(cache_follows_edits_and_ignores_touches),
        cmocka_unit_test(corrupt_or_concurrent_cache_is_rebuilt_never_an_error),
        cmocka_unit_test(unwritable_cache_still_decides),
        cmocka_unit_test(cache_sees_a_change_anywhere_in_a_big_corpus),
        cmocka_unit_test(cache_entry_with_spoiled_inputs_is_rebuilt),
        cmocka_unit_test(cache_keeps_its_newest_entries),
        cmocka_unit_test(library_saves_and_opens_bundles),
        cmocka_unit_test(build_writes_only_regular_files),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
