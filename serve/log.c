/* The decision log's queue and its one writer thread (serve/log.h).
 *
 * Producers append copies of entries to a ring under a mutex; the writer
 * takes up to `batch` from its head and writes them in one transaction.
 * An entry leaves the ring only once its transaction committed, so a write
 * that fails (disk full, I/O error, file removed) loses nothing: the writer
 * says the log is unhealthy, backs off (100 ms doubling to 1 s) and tries
 * the same entries again, and the first write that succeeds heals it.
 * While unhealthy the log takes no new entry (dr_log_put: DR_EIO), so the
 * server can refuse requests it could not log.
 *
 * At close the writer drains the ring. If the log is failing it keeps
 * retrying for at most CLOSE_GRACE_MS, then gives up: the entries still
 * queued are dropped and dr_log_close says how many (DR_EIO), since a
 * process that must exit cannot keep them anywhere safer than the disk
 * that just refused them. */
#define _GNU_SOURCE
#include "log.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "../common/alloc.h"
#include "../common/clock.h"
#include "log_db.h"

enum { BACKOFF_MIN_MS = 100, BACKOFF_MAX_MS = 1000, CLOSE_GRACE_MS = 2000 };

/* The entry's strings, in the insert's order of text parameters. */
enum { F_ID, F_REVISION, F_ACCOUNT_ID, F_ACTION, F_DECISION, F_ACCOUNT, F_OUTPUT, F_N };

/* A queued copy of an entry: its strings in one block. */
typedef struct item {
    int64_t time_ms;
    double latency_ms;
    const char *s[F_N]; /* NULL where the entry had none */
    size_t len[F_N];
    char *block;
} item;

struct dr_log {
    char *path;        /* as the caller named it, for messages */
    char *abs;         /* as SQLite resolved it, for the removed-file check */
    dev_t dev;
    ino_t ino;
    sqlite3 *db;       /* the writer's alone once it runs */
    sqlite3_stmt *ins;
    unsigned batch;

    pthread_mutex_t mu;
    pthread_cond_t not_full;  /* the writer took entries, failed, or close began */
    pthread_cond_t wake;      /* entries came, or close began (monotonic clock) */
    item *ring;
    size_t cap, head, count;
    int closing;
    int64_t close_by;         /* closing: the writer gives up failing writes then (monotonic, ns) */
    int healthy;
    char why[700];
    uint64_t written, failures;
    pthread_t writer;
};

static void item_copy(item *it, const dr_log_entry *en) {
    const char *src[F_N] = {en->decision_id, en->revision, en->account_id, en->action,
                            en->decision,    en->account,  en->output};
    size_t total = 0;
    for (int i = 0; i < F_N; i++) {
        it->len[i] = !src[i] ? 0 : i == F_ACCOUNT ? en->account_len : i == F_OUTPUT ? en->output_len : strlen(src[i]);
        total += src[i] ? it->len[i] + 1 : 0;
    }
    char *p = it->block = dr_xmalloc(total ? total : 1);
    for (int i = 0; i < F_N; i++) {
        it->s[i] = NULL;
        if (!src[i]) continue;
        memcpy(p, src[i], it->len[i]);
        p[it->len[i]] = '\0';
        it->s[i] = p;
        p += it->len[i] + 1;
    }
    it->time_ms = en->time_ms;
    it->latency_ms = en->latency_ms;
}

/* ms from now on the monotonic clock, which wake waits by. */
static int64_t deadline_in(long ms) { return dr_clock_mono_ns() + (int64_t)ms * 1000000; }

/* Whether path still names the file SQLite writes: SQLite goes on writing
 * to a file that was unlinked, and every entry would vanish with it. */
static int same_file(dr_log *l, char *why, size_t n) {
    struct stat st;
    if (stat(l->abs, &st) == 0 && st.st_dev == l->dev && st.st_ino == l->ino) return 1;
    snprintf(why, n, "%s was removed or replaced", l->path);
    return 0;
}

static int bind_text(sqlite3_stmt *st, int i, const char *s, size_t len) {
    return s ? sqlite3_bind_text64(st, i, s, len, SQLITE_STATIC, SQLITE_UTF8) : sqlite3_bind_null(st, i);
}

/* Writes ring[head .. head+n) in one transaction; 0, or -1 with why. The
 * items are read without the lock: producers only append past them and
 * only the writer removes them. */
static int write_batch(dr_log *l, size_t n, char *why, size_t wn) {
    char m[600];
    if (!same_file(l, why, wn)) return -1;
    if (sqlite3_exec(l->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) goto failed;
    for (size_t k = 0; k < n; k++) {
        const item *it = &l->ring[(l->head + k) % l->cap];
        sqlite3_stmt *st = l->ins;
        int rc = bind_text(st, 1, it->s[F_ID], it->len[F_ID]);
        if (rc == SQLITE_OK) rc = sqlite3_bind_int64(st, 2, it->time_ms);
        if (rc == SQLITE_OK) rc = bind_text(st, 3, it->s[F_REVISION], it->len[F_REVISION]);
        if (rc == SQLITE_OK) rc = bind_text(st, 4, it->s[F_ACCOUNT_ID], it->len[F_ACCOUNT_ID]);
        if (rc == SQLITE_OK) rc = bind_text(st, 5, it->s[F_ACTION], it->len[F_ACTION]);
        if (rc == SQLITE_OK) rc = bind_text(st, 6, it->s[F_DECISION], it->len[F_DECISION]);
        if (rc == SQLITE_OK) rc = sqlite3_bind_double(st, 7, it->latency_ms);
        if (rc == SQLITE_OK) rc = bind_text(st, 8, it->s[F_ACCOUNT], it->len[F_ACCOUNT]);
        if (rc == SQLITE_OK) rc = bind_text(st, 9, it->s[F_OUTPUT], it->len[F_OUTPUT]);
        if (rc == SQLITE_OK) rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
        if (rc != SQLITE_OK) goto failed;
    }
    if (sqlite3_exec(l->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK) return 0;
failed:
    snprintf(why, wn, "%s: cannot write: %s", l->path, dr_logdb_errmsg(l->db, m, sizeof m));
    /* A failed COMMIT may leave the transaction open; the next try must
     * start clean. */
    if (!sqlite3_get_autocommit(l->db)) sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
    return -1;
}

static void *writer(void *arg) {
    dr_log *l = arg;
    long backoff = BACKOFF_MIN_MS;
    char why[sizeof l->why];
    pthread_mutex_lock(&l->mu);
    for (;;) {
        while (l->count == 0 && !l->closing) pthread_cond_wait(&l->wake, &l->mu);
        if (l->count == 0) break; /* closing, and all written */
        size_t n = l->count < l->batch ? l->count : l->batch;
        pthread_mutex_unlock(&l->mu);
        int rc = write_batch(l, n, why, sizeof why);
        pthread_mutex_lock(&l->mu);
        if (rc == 0) {
            for (size_t k = 0; k < n; k++) free(l->ring[(l->head + k) % l->cap].block);
            l->head = (l->head + n) % l->cap;
            l->count -= n;
            l->written += n;
            l->healthy = 1;
            backoff = BACKOFF_MIN_MS;
            pthread_cond_broadcast(&l->not_full);
            continue;
        }
        l->failures++;
        l->healthy = 0;
        memcpy(l->why, why, sizeof why);
        /* Producers waiting for room hear that none is coming. */
        pthread_cond_broadcast(&l->not_full);
        int64_t until_ns = deadline_in(backoff);
        if (l->closing) {
            if (dr_clock_mono_ns() >= l->close_by) break; /* give up: close drops what is left */
            if (l->close_by < until_ns) until_ns = l->close_by;
        }
        struct timespec until = dr_clock_timespec(until_ns);
        backoff = backoff * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : backoff * 2;
        /* Waits out the back-off; close starting ends it early (its
         * deadline then bounds the retries). */
        int was_closing = l->closing;
        while (l->closing == was_closing && pthread_cond_timedwait(&l->wake, &l->mu, &until) != ETIMEDOUT) {
        }
    }
    pthread_mutex_unlock(&l->mu);
    return NULL;
}

static void log_free(dr_log *l) {
    sqlite3_finalize(l->ins);
    sqlite3_close(l->db);
    free(l->ring);
    free(l->abs);
    free(l->path);
    free(l);
}

int dr_log_open(dr_log **out, const char *path, const dr_log_options *o, dr_error *e) {
    *out = NULL;
    dr_log_options defaults = DR_LOG_OPTIONS_INIT;
    if (!o) o = &defaults;
    if (!path || o->version != DR_LOG_OPTIONS_VERSION)
        return dr_error_set(e, DR_EUSAGE, path, 0, 0, "dr_log_open: %s", path ? "unknown options version" : "no path");
    dr_log *l = dr_xcalloc(1, sizeof *l);
    l->path = dr_xstrdup(path);
    l->cap = o->queue ? o->queue : 4096;
    l->batch = o->batch ? o->batch : 256;
    l->healthy = 1;
    int rc = dr_logdb_open(&l->db, path, 1, e);
    if (rc != DR_OK) {
        log_free(l);
        return rc;
    }
    /* The file as SQLite resolved it (absolute: a later chdir cannot
     * change what is checked), and which file that is now. */
    const char *abs = sqlite3_db_filename(l->db, "main");
    struct stat st;
    char m[600];
    if (!abs || stat(abs, &st) != 0) {
        log_free(l);
        return dr_error_set(e, DR_EIO, path, 0, 0, "cannot open: %s", strerror_r(errno, m, sizeof m));
    }
    l->abs = dr_xstrdup(abs);
    l->dev = st.st_dev;
    l->ino = st.st_ino;
    if (sqlite3_prepare_v3(l->db, DR_LOGDB_INSERT, -1, SQLITE_PREPARE_PERSISTENT, &l->ins, NULL) != SQLITE_OK) {
        rc = dr_error_set(e, DR_EIO, path, 0, 0, "cannot prepare the insert: %s", dr_logdb_errmsg(l->db, m, sizeof m));
        log_free(l);
        return rc;
    }
    l->ring = dr_xcalloc(l->cap, sizeof *l->ring);

    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_mutex_init(&l->mu, NULL);
    pthread_cond_init(&l->not_full, NULL);
    pthread_cond_init(&l->wake, &ca);
    pthread_condattr_destroy(&ca);

    /* The writer takes no asynchronous signal: the server's SIGTERM goes
     * to a thread that handles it, and a write past RLIMIT_FSIZE fails
     * with EFBIG rather than ending the process with SIGXFSZ. */
    sigset_t all, old;
    sigfillset(&all);
    sigdelset(&all, SIGSEGV);
    sigdelset(&all, SIGBUS);
    sigdelset(&all, SIGFPE);
    sigdelset(&all, SIGILL);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int prc = pthread_create(&l->writer, NULL, writer, l);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (prc != 0) {
        pthread_cond_destroy(&l->wake);
        pthread_cond_destroy(&l->not_full);
        pthread_mutex_destroy(&l->mu);
        log_free(l);
        return dr_error_set(e, DR_EIO, path, 0, 0, "cannot start the log's writer: %s", strerror_r(prc, m, sizeof m));
    }
    *out = l;
    return DR_OK;
}

int dr_log_put(dr_log *l, const dr_log_entry *en, dr_error *e) {
    if (!l || !en) return dr_error_set(e, DR_EUSAGE, NULL, 0, 0, "dr_log_put: no %s", l ? "entry" : "log");
    /* Copied before the lock: the copy is the costly part of a put. */
    item it;
    item_copy(&it, en);
    pthread_mutex_lock(&l->mu);
    while (l->count == l->cap && l->healthy && !l->closing) pthread_cond_wait(&l->not_full, &l->mu);
    if (!l->healthy || l->closing) {
        /* why names the file already. */
        int rc = l->closing ? dr_error_set(e, DR_EIO, l->path, 0, 0, "the decision log is closing")
                            : dr_error_set(e, DR_EIO, NULL, 0, 0, "the decision log is failing: %s", l->why);
        pthread_mutex_unlock(&l->mu);
        free(it.block);
        return rc;
    }
    l->ring[(l->head + l->count) % l->cap] = it;
    l->count++;
    pthread_cond_signal(&l->wake);
    pthread_mutex_unlock(&l->mu);
    return DR_OK;
}

int dr_log_health(dr_log *l, char *why, size_t n) {
    pthread_mutex_lock(&l->mu);
    int ok = l->healthy;
    if (why && n) snprintf(why, n, "%s", ok ? "" : l->why);
    pthread_mutex_unlock(&l->mu);
    return ok;
}

size_t dr_log_depth(dr_log *l) {
    pthread_mutex_lock(&l->mu);
    size_t n = l->count;
    pthread_mutex_unlock(&l->mu);
    return n;
}

uint64_t dr_log_written(dr_log *l) {
    pthread_mutex_lock(&l->mu);
    uint64_t n = l->written;
    pthread_mutex_unlock(&l->mu);
    return n;
}

uint64_t dr_log_failures(dr_log *l) {
    pthread_mutex_lock(&l->mu);
    uint64_t n = l->failures;
    pthread_mutex_unlock(&l->mu);
    return n;
}

int dr_log_close(dr_log *l, dr_error *e) {
    if (!l) return DR_OK;
    pthread_mutex_lock(&l->mu);
    l->closing = 1;
    l->close_by = deadline_in(CLOSE_GRACE_MS);
    pthread_cond_broadcast(&l->wake);
    pthread_cond_broadcast(&l->not_full);
    pthread_mutex_unlock(&l->mu);
    pthread_join(l->writer, NULL);

    /* The writer has ended: what it left is what could not be written. */
    size_t lost = l->count;
    for (size_t k = 0; k < lost; k++) free(l->ring[(l->head + k) % l->cap].block);
    int rc = DR_OK;
    if (lost)
        rc = dr_error_set(e, DR_EIO, NULL, 0, 0, "%zu queued decision%s not written to the log, given up after %d ms: %s",
                          lost, lost == 1 ? " was" : "s were", CLOSE_GRACE_MS, l->why);
    pthread_cond_destroy(&l->wake);
    pthread_cond_destroy(&l->not_full);
    pthread_mutex_destroy(&l->mu);
    /* Closing checkpoints the WAL into the file and removes it. */
    sqlite3_finalize(l->ins);
    l->ins = NULL;
    if (sqlite3_close(l->db) != SQLITE_OK && rc == DR_OK) {
        char m[600];
        rc = dr_error_set(e, DR_EIO, l->path, 0, 0, "cannot close: %s", dr_logdb_errmsg(l->db, m, sizeof m));
    }
    l->db = NULL;
    log_free(l);
    return rc;
}
