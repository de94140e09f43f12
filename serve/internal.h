/* What the files of the decision service share: the server, a request's
 * state, the generations of rule sets it serves, and its counters. One
 * header for them all, so that the serve/ files stay small around one idea
 * each without a header apiece. */
#ifndef DR_SERVE_INTERNAL_H
#define DR_SERVE_INTERNAL_H

#include <jansson.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "../common/clock.h"
#include "serve.h"

/* --- stamp.c: what the service adds to a decision ------------------------- */

/* 32 lowercase hex digits from getrandom: a decision's "decision_id".
 * DR_EIO when the kernel gives no randomness. */
int dr_stamp_id(char id[33]);
/* The wall clock, Unix milliseconds. */
int64_t dr_stamp_now_ms(void);
/* "2026-12-02T08:40:00.123Z": RFC 3339, UTC, milliseconds. */
void dr_stamp_rfc3339(int64_t ms, char out[48]);
/* Appends decision (one JSON object, len bytes) to out with
 * "decision_id" and "time" added as its last members. */
void dr_stamp_put(docrules_buf *out, const char *decision, size_t len, const char *id, const char *time);

/* --- gen.c: a generation, a rule set and its engines ----------------------- */

/* What requests decide with: a rule set, and one engine per worker forked
 * from it, lent to one request at a time. A request holds a reference from
 * its start to its end, so that it finishes on the revision it began on;
 * the generation is freed when the server's reference and the last
 * request's are gone (a reload drops the server's). */
typedef struct dr_gen {
    atomic_int refs;
    docrules_ruleset *rs;
    char revision[32];
    char loaded[48];          /* when it was built, RFC 3339 */
    size_t docs, facts, cases;
    int n;                    /* engines */
    docrules_engine **idle;   /* those not lent, nidle of them */
    int nidle;
    pthread_mutex_t mu;
    pthread_cond_t cv;        /* an engine came back */
} dr_gen;

/* Opens the rule set (o->open), makes jobs engines, and runs the rules'
 * test cases (o->rules_dir/tests, when there is one) on an engine of its
 * own: a generation whose cases fail is not made. One reference, the
 * caller's. */
int dr_gen_open(dr_gen **out, const dr_serve_options *o, int jobs, docrules_error *err);
void dr_gen_ref(dr_gen *g);
void dr_gen_unref(dr_gen *g);
/* An engine of g, waiting at most seconds for one to come back; NULL when
 * none did. */
docrules_engine *dr_gen_take(dr_gen *g, double seconds);
void dr_gen_give(dr_gen *g, docrules_engine *e);

/* --- cases.c ---------------------------------------------------------------- */

/* Runs the test cases under dir on an engine of rs made for them, as
 * `docrules test` does (base: the service's query; a case's day and
 * language win). The first failing case is DR_ERULE with its file, line
 * and the difference; *ran counts the cases run. */
int dr_cases_check(const docrules_ruleset *rs, const char *dir, const docrules_query *base, size_t *ran,
                   docrules_error *err);

/* --- metrics.c ----------------------------------------------------------- */

typedef struct dr_metrics dr_metrics;
dr_metrics *dr_metrics_new(void);
void dr_metrics_free(dr_metrics *m);
/* The routes; routes.c's dr_route_path names each ("other" the unknown
 * paths'), and the metrics count by them. */
enum dr_route { DR_R_DECIDE, DR_R_BATCH, DR_R_FACTS, DR_R_REVISION, DR_R_HEALTHZ, DR_R_METRICS, DR_R_RELOAD, DR_R_OTHER };
#define DR_ROUTES (DR_R_OTHER + 1)
const char *dr_route_path(enum dr_route r);
/* One request answered: its route, status, decision ("" when it has none)
 * and duration. */
void dr_metrics_request(dr_metrics *m, enum dr_route route, unsigned status, const char *decision, double seconds);
void dr_metrics_reload(dr_metrics *m, int ok);
/* The Prometheus text (format 0.0.4) of every counter, appended to out. */
void dr_metrics_render(dr_metrics *m, docrules_buf *out, const char *revision, int reload_ok, long in_flight, long log_depth);

/* --- server ---------------------------------------------------------------- */

struct dr_log;
struct dr_server;

/* watch.c: --watch. Reloads s (dr_server_reload) once files under the
 * rules and corpus folders stopped changing for a moment. */
struct dr_watch;
int dr_watch_start(struct dr_watch **out, struct dr_server *s, dr_error *e);
void dr_watch_stop(struct dr_watch *w);

typedef struct dr_server {
    const dr_serve_options *o;
    int jobs;
    size_t max_body;
    unsigned timeout;
    struct MHD_Daemon *d;
    dr_metrics *metrics;
    struct dr_log *log;       /* NULL without --log */
    struct dr_watch *watch;   /* NULL without --watch */
    atomic_int draining;      /* SIGTERM came, --drain runs: /healthz says 503, requests are still served */
    atomic_int stopping;      /* the drain is over: no new connection, answers close */
    /* The generation served, what the last reload said, and the requests
     * begun and not yet completed (SIGTERM waits for them: drained). */
    pthread_mutex_t mu;
    long in_flight;
    int closed;               /* under mu: the last request in flight is done, the daemon stops */
    pthread_cond_t drained;
    dr_gen *gen;
    int reload_failed;
    char reload_error[1700];
    pthread_mutex_t reloading; /* one reload at a time */
    /* reloader.c: the reload thread, what it was asked, who waits. */
    pthread_t r_thread;
    int r_started;
    pthread_mutex_t rmu;
    pthread_cond_t r_cv;
    int r_asked, r_quit;
    struct dr_req *r_waiting;
} dr_server;

/* record.c: one answer of a decision (or of a bad account, output then
 * being its error) about to be sent. */
typedef struct dr_record_in {
    const char *id;           /* its decision_id */
    int64_t time_ms;          /* its time */
    const char *revision;
    const char *account;      /* as received */
    size_t account_len;
    const char *output;       /* as answered, without the newline */
    size_t output_len;
    double t0;                /* the request's start, monotonic */
    const char *decision, *action, *account_id; /* NULL: none (a bad account) */
    char *held;               /* what those point into (dr_record_take) */
} dr_record_in;
/* Copies the outcome of e's last decision (docrules_outcome_get: whatever
 * fields the request left out of the answer) into in, before e serves
 * another request; dr_record_release frees the copy. */
void dr_record_take(dr_record_in *in, const docrules_engine *e);
void dr_record_release(dr_record_in *in);
/* Puts the decision's label ("" without one) into decision and queues its
 * log entry; DR_EIO (e says why) when the log is failing and
 * --log-required asks that it be refused, else 0. */
int dr_record(struct dr_server *s, const dr_record_in *in, char *decision, size_t size, dr_error *e);

/* reloader.c: reloads on a thread of their own (see there). ask: one is
 * wanted; r, when given, is a POST /v1/reload whose connection the caller
 * suspended, resumed with reload_* filled. */
struct dr_req;
int dr_reloader_start(dr_server *s, dr_error *e);
void dr_reloader_ask(dr_server *s, struct dr_req *r);
void dr_reloader_stop(dr_server *s);

/* The generation served now, with a reference for the caller. */
dr_gen *dr_server_gen(dr_server *s);
/* Builds a generation and, when its cases pass, serves it; else keeps the
 * one served and says why (stderr, /healthz, /metrics). prev and rev (size
 * bytes each) receive the revisions served before and after it. */
int dr_server_reload(dr_server *s, char *prev, char *rev, size_t size, docrules_error *err);

/* --- a request (routes.c, decide.c, batch.c) ------------------------------ */


struct dr_batch;

typedef struct dr_req {
    dr_server *s;
    enum dr_route route;
    const char *allow;        /* a 405's Allow header */
    double t0;                /* monotonic, at its headers */
    unsigned status;          /* what it was answered */
    char decision[32];        /* the decision answered, for the metrics */
    docrules_buf body;        /* /v1/decide's account */
    int too_big;              /* the body passed max_body: the rest is read and dropped */
    int late;                 /* the time limit passed while the body came */
    int answered;
    struct dr_batch *batch;   /* /v1/batch's state */
    /* /v1/reload, suspended while the reloader works for it. */
    struct MHD_Connection *conn;
    int reload_state;         /* 0 not asked, 1 waiting, 2 done */
    int reload_rc;
    char reload_prev[32], reload_rev[32], reload_err[1700];
    struct dr_req *r_next;    /* the reloader's list of waiters */
} dr_req;

/* http.c: answers. Each returns what the access handler returns. */
/* Queues resp (NULL: MHD_NO) as r's answer with its Content-Type and the
 * headers every answer may need (Connection: close while stopping; Allow,
 * WWW-Authenticate for 405, 401), and destroys it. */
enum MHD_Result dr_http_send(struct MHD_Connection *c, dr_req *r, unsigned status, struct MHD_Response *resp,
                             const char *content_type);
enum MHD_Result dr_http_json(struct MHD_Connection *c, dr_req *r, unsigned status, const char *body, size_t len);
enum MHD_Result dr_http_error(struct MHD_Connection *c, dr_req *r, unsigned status, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* 1 when the request names a parameter not in the NULL-ended list, with
 * the 400 answered. */
int dr_http_unknown_param(struct MHD_Connection *c, dr_req *r, const char *const *known);
/* The query a request asks (its parameters over the service's defaults),
 * checked on e as the command line's is; 0, or 1 with the 400 answered. */
int dr_http_query(struct MHD_Connection *c, dr_req *r, docrules_engine *e, const docrules_query *base,
                  docrules_query *q, enum MHD_Result *ret);

/* routes.c: the access handler and the completion callback. */
enum MHD_Result dr_routes_handle(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                 const char *version, const char *upload, size_t *upload_size, void **con_cls);
void dr_routes_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe);

/* decide.c: POST /v1/decide, once its body is in. */
enum MHD_Result dr_decide_answer(dr_server *s, struct MHD_Connection *c, dr_req *r);

/* batch.c: POST /v1/batch. Lines are decided as their pieces arrive and
 * the answer is spooled to an unlinked temporary file. */
int dr_batch_begin(dr_server *s, struct MHD_Connection *c, dr_req *r, enum MHD_Result *ret);
void dr_batch_feed(dr_req *r, const char *data, size_t len);
enum MHD_Result dr_batch_answer(struct MHD_Connection *c, dr_req *r);
void dr_batch_free(struct dr_batch *b);

#endif
