/* The decision log's file (serve/log.h): what makes an SQLite file a
 * docrules log, opening one to write or to read, and SQLite's errors said
 * with the system's reason. Only serve/log*.c use it. */
#ifndef DR_SERVE_LOG_DB_H
#define DR_SERVE_LOG_DB_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "../common/error.h"

/* PRAGMA application_id of a docrules log ("DRLG"): SQLite's own mark of
 * which program a database file belongs to, so another program's database
 * is refused rather than given a table of ours. */
#define DR_LOGDB_APP_ID 0x44524C47
/* PRAGMA user_version: the table's layout. A file of a newer layout is
 * refused, not misread. */
#define DR_LOGDB_FORMAT 1

/* The insert the writer prepares once; its parameters, in order:
 * decision_id, time_ms, revision, account_id, action, decision,
 * latency_ms, account, output. */
#define DR_LOGDB_INSERT                                                                            \
    "INSERT INTO decisions(decision_id, time_ms, revision, account_id, action, decision, "        \
    "latency_ms, account, output) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"

/* Opens the log at path. write: creates the file and its table when new,
 * WAL mode; else read only, and a file that does not exist is an error.
 * Either way a file that is not a docrules log is an error naming path. */
int dr_logdb_open(sqlite3 **out, const char *path, int write, dr_error *e);

/* SQLite's message for db's last error, with the system's reason when
 * there is one ("disk I/O error (File too large)"). */
const char *dr_logdb_errmsg(sqlite3 *db, char *buf, size_t n);

/* Unix milliseconds as RFC 3339 UTC with milliseconds,
 * "2026-12-02T08:40:00.123Z" (out holds 48 bytes: any int64 fits); -1
 * for a time the C library cannot break down. */
int dr_logdb_time_format(int64_t ms, char out[48]);

#endif
