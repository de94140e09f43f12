/* `docrules log`: the log's entries matching a query, oldest first, one
 * JSON line each (serve/log.h). */
#include "log.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../common/alloc.h"
#include "../common/jsontext.h"
#include "log_db.h"

/* A stored string as a JSON string. The server logs a 400's body as it
 * came, which may not be UTF-8: its bad bytes become U+FFFD, so the line
 * stays JSON and the rest of the text is still read. */
static json_t *string_value(const char *s, size_t n) {
    if (!s) return json_null();
    return dr_json_text(s, n);
}

static json_t *column_string(sqlite3_stmt *st, int i) {
    return string_value((const char *)sqlite3_column_text(st, i), (size_t)sqlite3_column_bytes(st, i));
}

/* A stored account or decision as the JSON value it is. Text that is not
 * JSON (an account answered with a 400) is kept as a string; so is JSON
 * with a key twice, which jansson would otherwise read as its last value
 * alone, showing an account other than the one received. */
static json_t *column_json(sqlite3_stmt *st, int i) {
    const char *s = (const char *)sqlite3_column_text(st, i);
    size_t n = (size_t)sqlite3_column_bytes(st, i);
    if (!s) return json_null();
    json_t *v = json_loadb(s, n, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, NULL);
    return v ? v : string_value(s, n);
}

static json_t *row_json(sqlite3_stmt *st) {
    char when[48];
    int timed = dr_logdb_time_format(sqlite3_column_int64(st, 1), when) == 0;
    json_t *o = json_object();
    if (!o) dr_oom();
    /* Milliseconds to the microsecond: the clock's noise past it is not
     * worth 17 digits a line. */
    double latency = round(sqlite3_column_double(st, 6) * 1000.0) / 1000.0;
    json_t *v[] = {column_string(st, 0), timed ? json_string(when) : json_null(),  column_string(st, 2),
                   column_string(st, 3), column_string(st, 4), column_string(st, 5),
                   json_real(latency),   column_json(st, 7),   column_json(st, 8)};
    static const char *const keys[] = {"decision_id", "time",       "revision", "account_id", "action",
                                       "decision",    "latency_ms", "account",  "output"};
    for (size_t k = 0; k < sizeof keys / sizeof *keys; k++)
        if (!v[k] || json_object_set_new(o, keys[k], v[k]) != 0) dr_oom();
    return o;
}

int dr_log_query_print(const char *path, const dr_log_query *q, FILE *out, dr_error *e) {
    static const dr_log_query none = {NULL, NULL, 0, NULL};
    if (!q) q = &none;
    sqlite3 *db = NULL;
    int rc = dr_logdb_open(&db, path, 0, e);
    if (rc != DR_OK) return rc;
    /* Each filter set adds its condition; the indexes of log_db.c serve
     * each one in time order. */
    char sql[512] = "SELECT decision_id, time_ms, revision, account_id, action, decision, latency_ms, account, "
                    "output FROM decisions WHERE 1";
    if (q->id) strcat(sql, " AND decision_id = :id");
    if (q->account) strcat(sql, " AND account_id = :account");
    if (q->since_ms) strcat(sql, " AND time_ms >= :since");
    if (q->decision) strcat(sql, " AND decision = :decision");
    strcat(sql, " ORDER BY time_ms, rowid");
    sqlite3_stmt *st = NULL;
    char m[600];
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        rc = dr_error_set(e, DR_EIO, path, 0, 0, "cannot read: %s", dr_logdb_errmsg(db, m, sizeof m));
        sqlite3_close(db);
        return rc;
    }
    if (q->id) sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":id"), q->id, -1, SQLITE_STATIC);
    if (q->account) sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":account"), q->account, -1, SQLITE_STATIC);
    if (q->since_ms) sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":since"), q->since_ms);
    if (q->decision)
        sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":decision"), q->decision, -1, SQLITE_STATIC);
    int src;
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *o = row_json(st);
        /* 15 digits give back every number of up to 15 significant digits
         * as it was written, where jansson's default 17 would print 0.1 as
         * 0.10000000000000001. */
        int w = json_dumpf(o, out, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
        json_decref(o);
        if (w != 0 || fputc('\n', out) == EOF) break;
    }
    if (src != SQLITE_DONE && src != SQLITE_ROW)
        rc = dr_error_set(e, DR_EIO, path, 0, 0, "cannot read: %s", dr_logdb_errmsg(db, m, sizeof m));
    else if (src == SQLITE_ROW || fflush(out) != 0 || ferror(out))
        rc = dr_error_set(e, DR_EIO, NULL, 0, 0, "cannot write the entries of %s", path);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rc;
}
