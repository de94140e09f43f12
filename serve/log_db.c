/* The decision log's file: one table, its indexes, and SQLite's own marks
 * (application_id, user_version) that tell a docrules log from any other
 * file. */
#define _GNU_SOURCE
#include "log_db.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* One row per decision answered. Nothing is NOT NULL but the time and the
 * latency the writer always has: a constraint an entry could break would
 * stop the writer on that entry for good. decision_id is indexed, not
 * unique, for the same reason (two entries with one id are both kept).
 * The indexes serve `docrules log`'s filters, each ordered by time. */
static const char schema[] =
    "CREATE TABLE decisions ("
    " decision_id TEXT, time_ms INTEGER NOT NULL, revision TEXT, account_id TEXT,"
    " action TEXT, decision TEXT, latency_ms REAL NOT NULL, account TEXT, output TEXT);"
    "CREATE INDEX decisions_time ON decisions(time_ms);"
    "CREATE INDEX decisions_id ON decisions(decision_id);"
    "CREATE INDEX decisions_account ON decisions(account_id, time_ms);"
    "CREATE INDEX decisions_decision ON decisions(decision, time_ms);";

/* SQLite's "disk I/O error" says neither what nor why; the system's errno,
 * when SQLite kept it, says why, and the extended code what. */
const char *dr_logdb_errmsg(sqlite3 *db, char *buf, size_t n) {
    int se = sqlite3_system_errno(db), x = sqlite3_extended_errcode(db);
    char sys[256];
    const char *what = x == SQLITE_IOERR_WRITE ? "a write failed: is the disk full?"
                     : x == SQLITE_IOERR_FSYNC ? "fsync failed"
                     : x == SQLITE_IOERR_READ || x == SQLITE_IOERR_SHORT_READ ? "a read failed"
                     : NULL;
    if (se && (x & 0xff) != SQLITE_CONSTRAINT)
        snprintf(buf, n, "%s (%s)", sqlite3_errmsg(db), strerror_r(se, sys, sizeof sys));
    else if (what)
        snprintf(buf, n, "%s (%s)", sqlite3_errmsg(db), what);
    else
        snprintf(buf, n, "%s", sqlite3_errmsg(db));
    return buf;
}

int dr_logdb_time_format(int64_t ms, char out[48]) {
    int64_t s = ms / 1000, frac = ms % 1000;
    if (frac < 0) { /* before 1970: the fraction counts up from the second before */
        frac += 1000;
        s--;
    }
    time_t t = (time_t)s;
    struct tm tm;
    out[0] = '\0';
    if (!gmtime_r(&t, &tm)) return -1;
    snprintf(out, 48, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
             tm.tm_hour, tm.tm_min, tm.tm_sec, (int)frac);
    return 0;
}

/* The one integer a PRAGMA or a count answers. */
static int one_int(sqlite3 *db, const char *sql, int64_t *v) {
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            *v = sqlite3_column_int64(st, 0);
            rc = SQLITE_OK;
        }
    }
    sqlite3_finalize(st);
    return rc;
}

static int fail(sqlite3 *db, const char *path, dr_error *e, const char *what) {
    char m[600];
    int code = sqlite3_errcode(db) & 0xff;
    if (code == SQLITE_NOTADB)
        return dr_error_set(e, DR_EIO, path, 0, 0, "not a docrules log (%s)", dr_logdb_errmsg(db, m, sizeof m));
    return dr_error_set(e, DR_EIO, path, 0, 0, "%s: %s", what, dr_logdb_errmsg(db, m, sizeof m));
}

/* A new file gets the table and the marks in one transaction, so no other
 * process ever sees a half-made log; IMMEDIATE takes the write lock first,
 * and the file is looked at again under it (two servers started at once). */
static int create(sqlite3 *db, const char *path, dr_error *e) {
    char sql[sizeof schema + 128];
    int64_t app = 0;
    if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) return fail(db, path, e, "cannot create the log");
    if (one_int(db, "PRAGMA application_id", &app) != SQLITE_OK) {
        fail(db, path, e, "cannot create the log");
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        return DR_EIO;
    }
    if (app == DR_LOGDB_APP_ID) return sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK ? DR_OK : fail(db, path, e, "cannot read the log");
    snprintf(sql, sizeof sql, "%s PRAGMA application_id = %d; PRAGMA user_version = %d; COMMIT;", schema,
             DR_LOGDB_APP_ID, DR_LOGDB_FORMAT);
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK) {
        fail(db, path, e, "cannot create the log");
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        return DR_EIO;
    }
    return DR_OK;
}

/* Whether db is a docrules log of a layout this build reads; a database
 * with no table at all becomes one when write is set. */
static int check(sqlite3 *db, const char *path, int write, dr_error *e) {
    int64_t app = 0, fmt = 0, tables = 0;
    if (one_int(db, "PRAGMA application_id", &app) != SQLITE_OK) return fail(db, path, e, "cannot read");
    if (app == DR_LOGDB_APP_ID) {
        if (one_int(db, "PRAGMA user_version", &fmt) != SQLITE_OK) return fail(db, path, e, "cannot read");
        if (fmt != DR_LOGDB_FORMAT)
            return dr_error_set(e, DR_EIO, path, 0, 0,
                                "a docrules log of format %" PRId64 ", which this docrules does not read (it reads %d)",
                                fmt, DR_LOGDB_FORMAT);
        return DR_OK;
    }
    if (app != 0)
        return dr_error_set(e, DR_EIO, path, 0, 0,
                            "not a docrules log (an SQLite database of another program: application_id 0x%08" PRIx64 ")",
                            (uint64_t)app & 0xffffffffu);
    if (one_int(db, "SELECT count(*) FROM sqlite_master", &tables) != SQLITE_OK) return fail(db, path, e, "cannot read");
    if (tables > 0)
        return dr_error_set(e, DR_EIO, path, 0, 0,
                            "not a docrules log (an SQLite database of another program: %" PRId64 " tables or indexes, "
                            "none of docrules')", tables);
    if (!write) return dr_error_set(e, DR_EIO, path, 0, 0, "not a docrules log (an empty database)");
    return create(db, path, e);
}

/* WAL: the writer appends while `docrules log` reads, neither waiting for
 * the other. synchronous=NORMAL: a commit is in the WAL, in the kernel's
 * hands, when it returns, so a crash of the server loses nothing written;
 * only a power cut can take the last commits (never corrupt the file), and
 * the fsync per batch that FULL costs would slow every batch down for it. */
static int set_wal(sqlite3 *db, const char *path, dr_error *e) {
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, "PRAGMA journal_mode = WAL", -1, &st, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        fail(db, path, e, "cannot set WAL mode");
        sqlite3_finalize(st);
        return DR_EIO;
    }
    const unsigned char *m = sqlite3_column_text(st, 0);
    char mode[32];
    snprintf(mode, sizeof mode, "%s", m ? (const char *)m : "none");
    sqlite3_finalize(st);
    if (strcmp(mode, "wal") != 0)
        return dr_error_set(e, DR_EIO, path, 0, 0, "cannot set WAL mode (the file stays in journal mode '%s')", mode);
    if (sqlite3_exec(db, "PRAGMA synchronous = NORMAL", NULL, NULL, NULL) != SQLITE_OK)
        return fail(db, path, e, "cannot set synchronous mode");
    return DR_OK;
}

int dr_logdb_open(sqlite3 **out, const char *path, int write, dr_error *e) {
    *out = NULL;
    struct stat st;
    char sys[256];
    /* Said before SQLite is asked: its "unable to open database file"
     * does not say why. */
    if (stat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode)) return dr_error_set(e, DR_EIO, path, 0, 0, "is a directory, not a docrules log");
        /* A FIFO would hold SQLite's open until a writer came; a device
         * is no database either. */
        if (!S_ISREG(st.st_mode)) return dr_error_set(e, DR_EIO, path, 0, 0, "is not a regular file, not a docrules log");
    } else if (errno != ENOENT || !write) {
        return dr_error_set(e, DR_EIO, path, 0, 0, "cannot open: %s", strerror_r(errno, sys, sizeof sys));
    }
    /* NOMUTEX: one thread at a time uses a connection (the writer, or the
     * query), so SQLite's own lock per call is not needed. */
    int flags = (write ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY) | SQLITE_OPEN_NOMUTEX;
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
        int rc = db ? fail(db, path, e, "cannot open") : dr_error_set(e, DR_EIO, path, 0, 0, "cannot open: out of memory");
        sqlite3_close(db);
        return rc;
    }
    sqlite3_extended_result_codes(db, 1);
    /* Another process holding the file's lock (a reader checkpointing, an
     * sqlite3 shell) is waited for a little, then is a failed write the
     * writer retries. */
    sqlite3_busy_timeout(db, 500);
    int rc = check(db, path, write, e);
    /* SQLite opens a file it may not write read-only without a word; the
     * log would then fail at its first entry rather than at start. */
    if (rc == DR_OK && write && sqlite3_db_readonly(db, "main") == 1)
        rc = dr_error_set(e, DR_EIO, path, 0, 0, "cannot write: the file is read-only to this user");
    if (rc == DR_OK && write) rc = set_wal(db, path, e);
    if (rc != DR_OK) {
        sqlite3_close(db);
        return rc;
    }
    *out = db;
    return DR_OK;
}
