/* The decision log: every decision the service answered, appended to an
 * SQLite file (WAL mode) by one writer thread that drains a bounded queue,
 * so no request waits on the disk. `docrules log FILE` reads it back.
 *
 * What "nothing acknowledged is lost" means here: the server queues a
 * decision's entry before it sends the response (dr_log_put), and
 * dr_log_close writes every queued entry before it returns; SIGTERM ends in
 * dr_log_close. A queue that is full makes dr_log_put wait for room (the
 * writer is the bottleneck, so requests slow down rather than entries being
 * dropped); a log that cannot be written (disk full, file removed, not a
 * database) is said by dr_log_health, and the server then refuses or keeps
 * deciding as --log-required says. */
#ifndef DR_SERVE_LOG_H
#define DR_SERVE_LOG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../common/error.h"

typedef struct dr_log dr_log;

/* One entry. dr_log_put copies every string; none needs to outlive it. */
typedef struct dr_log_entry {
    const char *decision_id;   /* the decision's "decision_id" */
    int64_t time_ms;           /* when it was decided, Unix milliseconds (UTC) */
    const char *revision;      /* the decision's "revision" */
    const char *account_id;    /* the account's "id", or NULL when it had none */
    const char *decision;      /* allow, deny, …, or "error" for a 400 */
    const char *action;        /* the decision's "action", or NULL */
    const char *account;       /* the request's account JSON, as received */
    size_t account_len;
    const char *output;        /* the decision JSON, as answered */
    size_t output_len;
    double latency_ms;         /* from the request's first byte to its answer */
} dr_log_entry;

typedef struct dr_log_options {
    unsigned version;
    size_t queue;              /* entries waiting at most; 0 = 4096 */
    unsigned batch;            /* entries written per transaction at most; 0 = 256 */
} dr_log_options;
#define DR_LOG_OPTIONS_VERSION 1
#define DR_LOG_OPTIONS_INIT {DR_LOG_OPTIONS_VERSION, 0, 0}

/* Opens (creating it and its table when new) the log at path and starts
 * its writer thread. A file that is not a docrules log, or cannot be
 * opened, is an error with path in e. */
int dr_log_open(dr_log **out, const char *path, const dr_log_options *o, dr_error *e);

/* Queues one entry; waits while the queue is full. 0, or DR_EIO when the
 * log has failed (the entry is not queued; e says why). */
int dr_log_put(dr_log *l, const dr_log_entry *en, dr_error *e);

/* 1 while every write so far succeeded; 0 after a failure, with its
 * message in why (the log keeps retrying: a freed disk heals it). */
int dr_log_health(dr_log *l, char *why, size_t n);

/* Entries queued and not yet written; entries written since open;
 * writes that failed since open. */
size_t dr_log_depth(dr_log *l);
uint64_t dr_log_written(dr_log *l);
uint64_t dr_log_failures(dr_log *l);

/* Writes whatever is queued, stops the writer and closes the file.
 * Returns 0, or DR_EIO when some entry could not be written (e says how
 * many). NULL is allowed. */
int dr_log_close(dr_log *l, dr_error *e);

/* `docrules log`'s query: entries matching every filter that is set,
 * oldest first, one NDJSON line each ({"decision_id", "time", "revision",
 * "account_id", "action", "decision", "latency_ms", "account", "output"},
 * account and output as JSON values) written to out. */
typedef struct dr_log_query {
    const char *id;            /* decision_id */
    const char *account;       /* account id */
    int64_t since_ms;          /* time >= since_ms; 0 = any */
    const char *decision;
} dr_log_query;

int dr_log_query_print(const char *path, const dr_log_query *q, FILE *out, dr_error *e);

#endif
