/* docrules serve: the decision service. tools/cmd_serve.c turns the
 * command line into these options; dr_serve_run runs the service until
 * SIGTERM or SIGINT. What it answers is README.md's "Decision service". */
#ifndef DR_SERVE_H
#define DR_SERVE_H

#include <stddef.h>

#include "../common/error.h"
#include "../include/docrules.h"

/* Opens the rule set the command line names, at start and at each reload:
 * the command's own way (its options, --bundle...), so that the service
 * reloads exactly what it started with. Fills err on failure. */
typedef int (*dr_serve_open_fn)(void *ctx, docrules_ruleset **out, docrules_error *err);

typedef struct dr_serve_options {
    unsigned version;          /* DR_SERVE_OPTIONS_VERSION */
    const char *listen;        /* "ADDR:PORT" ("[::1]:PORT" for IPv6); NULL: 127.0.0.1:8181 */
    int jobs;                  /* engines per rule set and HTTP threads; 0: online cores */
    size_t max_body;           /* bytes of a /v1/decide body, and of one /v1/batch line; 0: 1 MiB */
    unsigned timeout;          /* seconds a request may take; 0: 30 */
    unsigned drain;            /* seconds SIGTERM keeps serving with /healthz 503 "draining" first; 0: none */
    unsigned max_connections;  /* 0: libmicrohttpd's default */
    const char *token;         /* the bearer token; NULL: no token asked */
    const char *log_path;      /* the decision log; NULL: none */
    int log_required;          /* a failing log refuses decisions (503) */
    int watch;                 /* reload when the rules or corpus folders change */
    const char *rules_dir;     /* where the rules' test cases are (rules_dir/tests), and what --watch watches */
    const char *corpus_dir;    /* what --watch watches too; NULL: nothing */
    const char *bundle;        /* --bundle FILE: what o->open reads, and what --watch watches instead of the folders */
    docrules_query query;      /* the command line's --action, --as-of...: what a request does not say */
    dr_serve_open_fn open;     /* required */
    void *open_ctx;
} dr_serve_options;
#define DR_SERVE_OPTIONS_VERSION 1
#define DR_SERVE_OPTIONS_INIT \
    {DR_SERVE_OPTIONS_VERSION, NULL, 0, 0, 0, 0, 0, NULL, NULL, 0, 0, NULL, NULL, NULL, DOCRULES_QUERY_INIT, NULL, NULL}

/* Serves until SIGTERM or SIGINT (blocked in every thread it starts, and
 * waited for here): after SIGTERM, o->drain seconds more with /healthz
 * saying 503 (a second SIGTERM, or SIGINT, cuts that short), then stops
 * accepting, finishes the requests in flight and returns 0. Fails before listening
 * (DR_EUSAGE: a bad address, a port taken; DR_ERULE/DR_EIO: the rule set
 * does not open or its cases fail) with err filled. The calling thread's
 * signal mask is changed. */
int dr_serve_run(const dr_serve_options *o, dr_error *err);

#endif
