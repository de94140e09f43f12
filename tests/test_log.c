/* The decision log (serve/log.h) and `docrules log`: every entry put is
 * read back by the command, whatever the threads and the queue's size; a
 * file that is not a log is refused; a log that cannot be written says so,
 * refuses new entries, heals, and does not hang its close. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sys/stat.h>

#include "testutil.h"

#include "../serve/log.h"

/* 2026-12-02T08:00:00Z: the entries of the big test are 10 ms apart from it. */
#define BASE_MS INT64_C(1796198400000)

static const char *const decisions[] = {"allow", "deny", "escalate", "error", "no_rule"};

static double mono_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* `docrules log ARGS`: its exit status, stdout and stderr. */
typedef struct run_result {
    int status;
    char *out, *err;
} run_result;

static run_result run_log(const char *args) {
    char o[300], e[300];
    scratch_path(o, sizeof o, "out");
    scratch_path(e, sizeof e, "err");
    run_result r;
    r.status = sh("'%s/docrules' log %s >'%s' 2>'%s'", DR_BUILD, args, o, e);
    r.out = slurp(o, NULL);
    r.err = slurp(e, NULL);
    assert_non_null(r.out);
    assert_non_null(r.err);
    return r;
}

static void run_free(run_result *r) {
    free(r->out);
    free(r->err);
}

/* The output's lines as JSON objects; each line must be one. */
static json_t *lines_of(const char *out) {
    json_t *a = json_array();
    const char *p = out;
    while (*p) {
        const char *nl = strchr(p, '\n');
        assert_non_null(nl); /* every line ends with a newline */
        json_error_t je;
        json_t *j = json_loadb(p, (size_t)(nl - p), 0, &je);
        if (!j) fail_msg("not a JSON line: %.*s (%s)", (int)(nl - p), p, je.text);
        assert_true(json_is_object(j));
        json_array_append_new(a, j);
        p = nl + 1;
    }
    return a;
}

static const char *str_of(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }

/* --- Many producers ----------------------------------------------------- */

typedef struct producer {
    dr_log *log;
    int thread, n;
    int failed; /* puts that did not return 0 */
} producer;

/* Entry i of thread t: its id, account and decision follow from (t, i),
 * so the tests count what each filter must find. */
static void entry_of(int t, int i, char *id, char *acct, char *account, char *output, dr_log_entry *en) {
    sprintf(id, "t%d-%d", t, i);
    sprintf(acct, "acct-%d", (t * 7 + i) % 13);
    const char *d = decisions[(t + i) % 5];
    sprintf(account, "{\"id\":\"%s\",\"product\":\"office365\",\"n\":%d}", acct, i);
    sprintf(output, "{\"id\":\"%s\",\"decision\":\"%s\",\"decision_id\":\"%s\"}", acct, d, id);
    dr_log_entry e = {id, BASE_MS + (int64_t)i * 10 + t, "0123456789abcdef", acct, d, "cancel-subscription",
                      account, strlen(account), output, strlen(output), 1.5};
    *en = e;
}

static void *produce(void *arg) {
    producer *p = arg;
    char id[32], acct[32], account[128], output[160];
    for (int i = 0; i < p->n; i++) {
        dr_log_entry en;
        entry_of(p->thread, i, id, acct, account, output, &en);
        dr_error e;
        if (dr_log_put(p->log, &en, &e) != DR_OK) p->failed++;
    }
    return NULL;
}

/* Runs nthreads producers of n entries each into a new log at path. */
static void fill(const char *path, const dr_log_options *o, int nthreads, int n) {
    dr_log *l = NULL;
    dr_error e;
    dr_error_clear(&e);
    assert_int_equal(dr_log_open(&l, path, o, &e), DR_OK);
    producer p[16];
    pthread_t th[16];
    assert_true(nthreads <= 16);
    for (int t = 0; t < nthreads; t++) {
        p[t] = (producer){l, t, n, 0};
        assert_int_equal(pthread_create(&th[t], NULL, produce, &p[t]), 0);
    }
    for (int t = 0; t < nthreads; t++) {
        pthread_join(th[t], NULL);
        assert_int_equal(p[t].failed, 0);
    }
    char why[256];
    assert_int_equal(dr_log_health(l, why, sizeof why), 1);
    assert_int_equal(dr_log_failures(l), 0);
    assert_int_equal(dr_log_close(l, &e), DR_OK);
}

static void four_threads_ten_thousand_entries_all_read_back(void **state) {
    (void)state;
    char path[300], args[600];
    scratch_path(path, sizeof path, "big.db");
    fill(path, NULL, 4, 2500);

    snprintf(args, sizeof args, "'%s'", path);
    run_result r = run_log(args);
    assert_int_equal(r.status, 0);
    json_t *all = lines_of(r.out);
    assert_int_equal(json_array_size(all), 10000);
    /* Oldest first, each id once: time order is (i, t). */
    for (size_t k = 0; k < 10000; k++) {
        json_t *o = json_array_get(all, k);
        char want[32];
        sprintf(want, "t%zu-%zu", k % 4, k / 4);
        assert_string_equal(str_of(o, "decision_id"), want);
    }
    /* One entry whole: every field, account and output as JSON. */
    json_t *first = json_array_get(all, 0);
    assert_string_equal(str_of(first, "time"), "2026-12-02T08:00:00.000Z");
    assert_string_equal(str_of(first, "revision"), "0123456789abcdef");
    assert_string_equal(str_of(first, "account_id"), "acct-0");
    assert_string_equal(str_of(first, "action"), "cancel-subscription");
    assert_string_equal(str_of(first, "decision"), "allow");
    assert_true(json_real_value(json_object_get(first, "latency_ms")) == 1.5);
    assert_string_equal(str_of(json_object_get(first, "account"), "product"), "office365");
    assert_string_equal(str_of(json_object_get(first, "output"), "decision_id"), "t0-0");
    assert_string_equal(str_of(json_array_get(all, 9999), "time"), "2026-12-02T08:00:24.993Z");
    json_decref(all);
    run_free(&r);

    /* Each filter finds exactly the entries made to match it. */
    int by_account = 0, by_decision = 0, both = 0;
    for (int t = 0; t < 4; t++)
        for (int i = 0; i < 2500; i++) {
            int a = (t * 7 + i) % 13 == 5, d = (t + i) % 5 == 1;
            by_account += a;
            by_decision += d;
            both += a && d;
        }
    struct {
        const char *filter;
        int want;
        const char *key, *value; /* every line's key has this value */
    } cases[] = {
        {"--id t2-1234", 1, "decision_id", "t2-1234"},
        {"--id nope", 0, NULL, NULL},
        {"--account acct-5", by_account, "account_id", "acct-5"},
        {"--decision deny", by_decision, "decision", "deny"},
        {"--account acct-5 --decision deny", both, "decision", "deny"},
        /* i*10+t >= 20000: i >= 2000, 500 a thread. */
        {"--since 2026-12-02T08:00:20Z", 2000, NULL, NULL},
        /* the milliseconds count: 20005 leaves out i = 2000 (t < 4 < 5) */
        {"--since 2026-12-02T08:00:20.005Z", 1996, NULL, NULL},
        /* an offset: 09:00:20+01:00 is 08:00:20Z */
        {"--since 2026-12-02T09:00:20+01:00", 2000, NULL, NULL},
        {"--since 2026-12-02", 10000, NULL, NULL},
        {"--since 2026-12-03", 0, NULL, NULL},
    };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        snprintf(args, sizeof args, "'%s' %s", path, cases[c].filter);
        r = run_log(args);
        assert_int_equal(r.status, 0);
        json_t *got = lines_of(r.out);
        if ((int)json_array_size(got) != cases[c].want)
            fail_msg("%s: %zu lines, not %d", cases[c].filter, json_array_size(got), cases[c].want);
        int64_t last = 0;
        for (size_t k = 0; k < json_array_size(got); k++) {
            json_t *o = json_array_get(got, k);
            if (cases[c].key) assert_string_equal(str_of(o, cases[c].key), cases[c].value);
            int t, i;
            assert_int_equal(sscanf(str_of(o, "decision_id"), "t%d-%d", &t, &i), 2);
            int64_t when = (int64_t)i * 10 + t;
            assert_true(when >= last); /* oldest first */
            last = when;
        }
        json_decref(got);
        run_free(&r);
    }
}

/* A queue of 4 for 8 producers: puts wait for room, none is lost or
 * written twice. */
static void tiny_queue_many_producers_lose_nothing(void **state) {
    (void)state;
    char path[300], args[400];
    scratch_path(path, sizeof path, "tiny.db");
    dr_log_options o = DR_LOG_OPTIONS_INIT;
    o.queue = 4;
    o.batch = 3;
    fill(path, &o, 8, 500);
    snprintf(args, sizeof args, "'%s'", path);
    run_result r = run_log(args);
    assert_int_equal(r.status, 0);
    assert_int_equal(count_lines(r.out, strlen(r.out)), 4000);
    json_t *all = lines_of(r.out);
    static unsigned char seen[8][500];
    memset(seen, 0, sizeof seen);
    for (size_t k = 0; k < json_array_size(all); k++) {
        int t, i;
        assert_int_equal(sscanf(str_of(json_array_get(all, k), "decision_id"), "t%d-%d", &t, &i), 2);
        assert_true(t >= 0 && t < 8 && i >= 0 && i < 500);
        assert_int_equal(seen[t][i]++, 0);
    }
    json_decref(all);
    run_free(&r);
}

/* The counters say what was written; a reopened log appends to it. */
static void counters_and_reopen(void **state) {
    (void)state;
    char path[300], args[400];
    scratch_path(path, sizeof path, "reopen.db");
    fill(path, NULL, 1, 10);
    dr_log *l;
    dr_error e;
    assert_int_equal(dr_log_open(&l, path, NULL, &e), DR_OK);
    char id[32], acct[32], account[128], output[160];
    dr_log_entry en;
    entry_of(5, 0, id, acct, account, output, &en);
    assert_int_equal(dr_log_put(l, &en, &e), DR_OK);
    for (int k = 0; k < 300 && dr_log_written(l) < 1; k++) usleep(10000);
    assert_int_equal(dr_log_written(l), 1);
    assert_int_equal(dr_log_depth(l), 0);
    /* Read while the writer has it open (WAL): what is written is there. */
    snprintf(args, sizeof args, "'%s'", path);
    run_result r = run_log(args);
    assert_int_equal(r.status, 0);
    assert_int_equal(count_lines(r.out, strlen(r.out)), 11);
    run_free(&r);
    assert_int_equal(dr_log_close(l, &e), DR_OK);
    assert_int_equal(dr_log_close(NULL, &e), DR_OK);
    r = run_log(args);
    assert_int_equal(r.status, 0);
    assert_int_equal(count_lines(r.out, strlen(r.out)), 11);
    run_free(&r);
}

/* What a 400 leaves: no account id, no action, a body that is not JSON or
 * not UTF-8. Every line is still JSON and keeps what it can. */
static void odd_entries_stay_json_lines(void **state) {
    (void)state;
    char path[300], args[400];
    scratch_path(path, sizeof path, "odd.db");
    dr_log *l;
    dr_error e;
    assert_int_equal(dr_log_open(&l, path, NULL, &e), DR_OK);
    const char *bodies[] = {"{\"id\": \"x\", \"product\"", "{\"id\":\"a\",\"id\":\"b\"}", "{\"n\":\"caf\xe9\"}"};
    const char out[] = "{\"decision\":\"error\",\"error\":\"bad account\"}";
    for (int k = 0; k < 3; k++) {
        char id[16];
        sprintf(id, "odd-%d", k);
        dr_log_entry en = {id, BASE_MS - 1 + k, "r", NULL, "error", NULL,
                           bodies[k], strlen(bodies[k]), out, strlen(out), 12.3456789};
        assert_int_equal(dr_log_put(l, &en, &e), DR_OK);
    }
    assert_int_equal(dr_log_close(l, &e), DR_OK);
    snprintf(args, sizeof args, "'%s' --decision error", path);
    run_result r = run_log(args);
    assert_int_equal(r.status, 0);
    json_t *all = lines_of(r.out);
    assert_int_equal(json_array_size(all), 3);
    json_t *a = json_array_get(all, 0);
    assert_true(json_is_null(json_object_get(a, "account_id")));
    assert_true(json_is_null(json_object_get(a, "action")));
    assert_string_equal(str_of(a, "account"), bodies[0]);      /* not JSON: the text */
    assert_string_equal(str_of(a, "time"), "2026-12-02T07:59:59.999Z");
    assert_true(json_real_value(json_object_get(a, "latency_ms")) == 12.346);
    assert_string_equal(str_of(json_object_get(a, "output"), "error"), "bad account");
    assert_string_equal(str_of(json_array_get(all, 1), "account"), bodies[1]); /* a key twice: the text */
    assert_string_equal(str_of(json_array_get(all, 2), "account"), "{\"n\":\"caf\xef\xbf\xbd\"}");
    json_decref(all);
    run_free(&r);
}

/* --- Files that are not logs --------------------------------------------- */

static void refused(const char *path, const char *says) {
    dr_log *l = (dr_log *)1;
    dr_error e;
    dr_error_clear(&e);
    assert_int_equal(dr_log_open(&l, path, NULL, &e), DR_EIO);
    assert_null(l);
    char buf[2000];
    const char *m = dr_error_format(&e, buf, sizeof buf);
    if (!strstr(m, path) || !strstr(m, says)) fail_msg("'%s' does not name %s and say '%s'", m, path, says);
    /* The command refuses it too. */
    char args[400];
    snprintf(args, sizeof args, "'%s'", path);
    run_result r = run_log(args);
    assert_int_equal(r.status, 2);
    assert_string_equal(r.out, "");
    if (!strstr(r.err, path) || !strstr(r.err, says)) fail_msg("stderr '%s' does not name %s", r.err, path);
    run_free(&r);
}

static void a_file_that_is_not_a_database_is_refused_untouched(void **state) {
    (void)state;
    char path[300];
    scratch_path(path, sizeof path, "notes.txt");
    const char text[] = "These are someone's notes, not a database, and they are long enough "
                        "to hold SQLite's header of one hundred bytes, so only its magic says no.\n";
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    refused(path, "not a docrules log");
    size_t n;
    char *after = slurp(path, &n);
    assert_string_equal(after, text); /* nothing written into it */
    free(after);
    /* A FIFO (read or written: not waited on) and a device are no log. */
    scratch_path(path, sizeof path, "fifo.db");
    assert_int_equal(mkfifo(path, 0600), 0);
    alarm(20);
    refused(path, "is not a regular file, not a docrules log");
    alarm(0);
    refused("/dev/null", "is not a regular file, not a docrules log");
}

static void make_foreign(const char *path, const char *sql) {
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

static void another_programs_database_is_refused_untouched(void **state) {
    (void)state;
    char path[300], wal[320];
    scratch_path(path, sizeof path, "other.db");
    make_foreign(path, "CREATE TABLE decisions(x); INSERT INTO decisions VALUES (1);");
    refused(path, "another program");
    /* Still in its own journal mode, its row still there. */
    snprintf(wal, sizeof wal, "%s-wal", path);
    assert_false(path_exists(wal));
    sqlite3 *db;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "delete");
    sqlite3_finalize(st);
    sqlite3_close(db);

    /* Marked as another program's, even with no table. */
    scratch_path(path, sizeof path, "marked.db");
    make_foreign(path, "PRAGMA application_id = 305419896; CREATE TABLE t(x); DROP TABLE t;");
    refused(path, "application_id 0x12345678");
}

static void missing_and_newer_logs_are_refused(void **state) {
    (void)state;
    char path[300], args[400];
    scratch_path(path, sizeof path, "absent.db");
    snprintf(args, sizeof args, "'%s'", path);
    run_result r = run_log(args);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "No such file or directory"));
    assert_false(path_exists(path)); /* reading does not create it */
    run_free(&r);

    scratch_path(path, sizeof path, "newer.db");
    fill(path, NULL, 1, 1);
    make_foreign(path, "PRAGMA user_version = 2;");
    refused(path, "format 2");
}

/* --- A log that cannot be written ---------------------------------------- */

/* Puts entries with 2 KB accounts until one is refused (the log failed),
 * at most for 10 s; how many were taken. */
static int put_until_refused(dr_log *l, dr_error *e) {
    static char account[2048];
    memset(account, 'x', sizeof account - 1);
    memcpy(account, "\"", 1);
    account[sizeof account - 2] = '"';
    double end = mono_s() + 10;
    int n = 0;
    while (mono_s() < end) {
        char id[32];
        sprintf(id, "full-%d", n);
        dr_log_entry en = {id, BASE_MS + n, "r", "a", "allow", "x", account, strlen(account), "{}", 2, 1};
        if (dr_log_put(l, &en, e) != DR_OK) return n;
        n++;
        usleep(200);
    }
    return -1;
}

/* In a child (the file size limit and SIGXFSZ are the process's): a limit
 * just past the file's size makes the log fail, puts are refused with the
 * reason; with the limit lifted it heals and writes every entry it took.
 * Exits 0, or the number of the check that failed. */
static int disk_full_child(const char *path) {
    signal(SIGXFSZ, SIG_IGN);
    dr_log *l;
    dr_error e;
    if (dr_log_open(&l, path, NULL, &e) != DR_OK) return 10;
    struct rlimit rl;
    getrlimit(RLIMIT_FSIZE, &rl);
    struct rlimit tight = {256 * 1024, rl.rlim_max};
    if (setrlimit(RLIMIT_FSIZE, &tight) != 0) return 11;
    int taken = put_until_refused(l, &e);
    if (taken <= 0) return 12;
    if (e.code != DR_EIO || !strstr(e.message, "failing")) return 13;
    char why[512];
    if (dr_log_health(l, why, sizeof why) != 0 || !strstr(why, path)) return 14;
    if (dr_log_failures(l) < 1 || dr_log_depth(l) < 1) return 15;
    fprintf(stderr, "disk full: %d entries taken, then: %s\n", taken, why);
    if (setrlimit(RLIMIT_FSIZE, &rl) != 0) return 16;
    for (int k = 0; k < 500 && !dr_log_health(l, NULL, 0); k++) usleep(10000);
    if (!dr_log_health(l, why, sizeof why)) return 17;
    if (dr_log_close(l, &e) != DR_OK) return 18;
    /* Every entry taken is there, once. */
    sqlite3 *db;
    sqlite3_stmt *st;
    if (sqlite3_open(path, &db) != SQLITE_OK) return 19;
    sqlite3_prepare_v2(db, "SELECT count(*), count(DISTINCT decision_id) FROM decisions", -1, &st, NULL);
    int rows = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    int ids = sqlite3_column_int(st, 1);
    sqlite3_finalize(st);
    sqlite3_close(db);
    if (rows != taken || ids != taken) {
        fprintf(stderr, "%d rows, %d ids for %d entries\n", rows, ids, taken);
        return 20;
    }
    return 0;
}

/* The same limit never lifted: close gives up within its grace and says
 * how many entries it could not write. */
static int disk_stays_full_child(const char *path) {
    signal(SIGXFSZ, SIG_IGN);
    dr_log *l;
    dr_error e;
    if (dr_log_open(&l, path, NULL, &e) != DR_OK) return 30;
    struct rlimit rl;
    getrlimit(RLIMIT_FSIZE, &rl);
    struct rlimit tight = {256 * 1024, rl.rlim_max};
    if (setrlimit(RLIMIT_FSIZE, &tight) != 0) return 31;
    if (put_until_refused(l, &e) <= 0) return 32;
    size_t queued = dr_log_depth(l);
    if (queued < 1) return 33;
    double t0 = mono_s();
    int rc = dr_log_close(l, &e);
    double took = mono_s() - t0;
    fprintf(stderr, "disk stays full: close took %.2f s: %s\n", took, e.message);
    if (rc != DR_EIO) return 34;
    char want[64];
    snprintf(want, sizeof want, "%zu queued decision", queued);
    if (!strstr(e.message, want)) return 35;
    if (took > 5) return 36;
    return 0;
}

static void in_child(int (*fn)(const char *), const char *path) {
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) _exit(fn(path));
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 0);
}

static void a_full_disk_fails_the_log_and_freeing_it_heals(void **state) {
    (void)state;
    char path[300];
    scratch_path(path, sizeof path, "full.db");
    in_child(disk_full_child, path);
}

static void a_disk_that_stays_full_does_not_hang_close(void **state) {
    (void)state;
    char path[300];
    scratch_path(path, sizeof path, "stays-full.db");
    in_child(disk_stays_full_child, path);
}

/* SQLite writes on into an unlinked file; the log notices the path no
 * longer names it. */
static void a_removed_file_fails_the_log(void **state) {
    (void)state;
    char path[300];
    scratch_path(path, sizeof path, "removed.db");
    dr_log *l;
    dr_error e;
    dr_error_clear(&e);
    assert_int_equal(dr_log_open(&l, path, NULL, &e), DR_OK);
    char id[32], acct[32], account[128], output[160];
    dr_log_entry en;
    entry_of(0, 0, id, acct, account, output, &en);
    assert_int_equal(dr_log_put(l, &en, &e), DR_OK);
    for (int k = 0; k < 300 && dr_log_written(l) < 1; k++) usleep(10000);
    assert_int_equal(dr_log_written(l), 1);
    assert_int_equal(unlink(path), 0);
    entry_of(0, 1, id, acct, account, output, &en);
    assert_int_equal(dr_log_put(l, &en, &e), DR_OK);
    char why[512];
    for (int k = 0; k < 300 && dr_log_health(l, why, sizeof why); k++) usleep(10000);
    assert_int_equal(dr_log_health(l, why, sizeof why), 0);
    assert_non_null(strstr(why, "was removed or replaced"));
    assert_non_null(strstr(why, path));
    assert_true(dr_log_failures(l) >= 1);
    assert_int_equal(dr_log_written(l), 1);
    assert_int_equal(dr_log_depth(l), 1);
    entry_of(0, 2, id, acct, account, output, &en);
    assert_int_equal(dr_log_put(l, &en, &e), DR_EIO);
    assert_non_null(strstr(e.message, "was removed or replaced"));
    double t0 = mono_s();
    assert_int_equal(dr_log_close(l, &e), DR_EIO);
    assert_true(mono_s() - t0 < 5);
    assert_non_null(strstr(e.message, "1 queued decision was not written"));
}

/* Producers waiting for room in a full queue when the log fails are told
 * (DR_EIO), not left waiting for a writer that cannot write. */
static void producers_waiting_for_room_hear_the_log_failed(void **state) {
    (void)state;
    char path[300];
    scratch_path(path, sizeof path, "waiting.db");
    dr_log_options o = DR_LOG_OPTIONS_INIT;
    o.queue = 2;
    dr_log *l;
    dr_error e;
    assert_int_equal(dr_log_open(&l, path, &o, &e), DR_OK);
    assert_int_equal(unlink(path), 0);
    producer p[4];
    pthread_t th[4];
    for (int t = 0; t < 4; t++) {
        p[t] = (producer){l, t, 200, 0};
        assert_int_equal(pthread_create(&th[t], NULL, produce, &p[t]), 0);
    }
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 10;
    for (int t = 0; t < 4; t++) {
        if (pthread_timedjoin_np(th[t], NULL, &until) != 0) fail_msg("producer %d still waits for room", t);
        assert_true(p[t].failed > 0);
    }
    assert_int_equal(dr_log_written(l), 0);
    /* One or two: the writer may have tried (and failed) its first batch
     * before the second entry came. Once failed, the log takes no more, so
     * what is queued now is what close must say it dropped. */
    size_t depth = dr_log_depth(l);
    assert_true(depth == 1 || depth == 2);
    char want[80];
    snprintf(want, sizeof want, "%zu queued decision%s not written", depth, depth == 1 ? " was" : "s were");
    assert_int_equal(dr_log_close(l, &e), DR_EIO);
    assert_non_null(strstr(e.message, want));
}

/* --- The command's usage ------------------------------------------------- */

static void usage_errors_exit_2(void **state) {
    (void)state;
    char path[300], args[700];
    scratch_path(path, sizeof path, "usage.db");
    fill(path, NULL, 1, 3);
    struct {
        const char *args, *says;
    } cases[] = {
        {"--since yesterday", "--since 'yesterday' is not a time"},
        {"--since 2026-13-01", "not a time"},
        {"--since 2026-02-30", "not a time"},
        {"--since 2026-12-02T24:00:00Z", "not a time"},
        {"--since 2026-12-02T08:40:00", "not a time"},   /* no zone */
        {"--since 2026-12-02T08:40:00.Z", "not a time"}, /* no fraction digits */
        {"--since 2026-12-02T08:40Z", "2026-12-02T08:40:00.123Z"}, /* the forms are said */
        {"--bogus", "unknown option '--bogus'"},
        {"--id", "--id needs a value"},
        {"--decision deny --decision allow", "--decision is given twice"},
        {"--decision alow", "--decision is one of allow, deny, escalate, not_applicable, blocked, no_rule, error, "
                            "needs_input, not 'alow'"},
    };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        snprintf(args, sizeof args, "'%s' %s", path, cases[c].args);
        run_result r = run_log(args);
        if (r.status != 2 || !strstr(r.err, cases[c].says))
            fail_msg("log %s: status %d, stderr '%s'", cases[c].args, r.status, r.err);
        assert_string_equal(r.out, "");
        run_free(&r);
    }
    run_result r = run_log("");
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "which log?"));
    run_free(&r);
    snprintf(args, sizeof args, "'%s' '%s'", path, path);
    r = run_log(args);
    assert_int_equal(r.status, 2);
    run_free(&r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(four_threads_ten_thousand_entries_all_read_back),
        cmocka_unit_test(tiny_queue_many_producers_lose_nothing),
        cmocka_unit_test(counters_and_reopen),
        cmocka_unit_test(odd_entries_stay_json_lines),
        cmocka_unit_test(a_file_that_is_not_a_database_is_refused_untouched),
        cmocka_unit_test(another_programs_database_is_refused_untouched),
        cmocka_unit_test(missing_and_newer_logs_are_refused),
        cmocka_unit_test(a_full_disk_fails_the_log_and_freeing_it_heals),
        cmocka_unit_test(a_disk_that_stays_full_does_not_hang_close),
        cmocka_unit_test(a_removed_file_fails_the_log),
        cmocka_unit_test(producers_waiting_for_room_hear_the_log_failed),
        cmocka_unit_test(usage_errors_exit_2),
    };
    return cmocka_run_group_tests_name("log", tests, scratch_setup, scratch_teardown);
}
