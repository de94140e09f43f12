/* Which route a request is, whether it may have it (method, token), and
 * the answers of the routes that are a few lines each. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"
#include "log.h"

static const struct route {
    const char *path, *method;
    enum dr_route route;
} table[] = {
    {"/v1/decide", "POST", DR_R_DECIDE},   {"/v1/batch", "POST", DR_R_BATCH}, {"/v1/facts", "GET", DR_R_FACTS},
    {"/v1/revision", "GET", DR_R_REVISION}, {"/healthz", "GET", DR_R_HEALTHZ}, {"/metrics", "GET", DR_R_METRICS},
    {"/v1/reload", "POST", DR_R_RELOAD},
};
#define NTABLE (sizeof table / sizeof *table)
static const char *const query_params[] = {"action", "as_of", "locale", "explain", "fields", "strict", NULL};
static const char *const facts_params[] = {"as_of", "locale", NULL};
static const char *const no_params[] = {NULL};

const char *dr_route_path(enum dr_route r) {
    for (size_t i = 0; i < NTABLE; i++)
        if (table[i].route == r) return table[i].path;
    return "other";
}

/* Equal, in a time that depends on the secret's length only. */
static int same_secret(const char *given, size_t n, const char *secret) {
    size_t m = strlen(secret);
    unsigned char d = n != m;
    for (size_t i = 0; i < m; i++) d |= (unsigned char)((i < n ? given[i] : 0) ^ secret[i]);
    return d == 0;
}

/* 0 when the request may go on, else 1 with the 401 answered. */
static int refuse_token(dr_server *s, struct MHD_Connection *c, dr_req *r, enum MHD_Result *ret) {
    if (!s->o->token || r->route == DR_R_HEALTHZ) return 0;
    const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
    /* "Bearer", then spaces or tabs (RFC 9110's whitespace), then the token. */
    if (!h || strncasecmp(h, "Bearer", 6) != 0 || (h[6] != ' ' && h[6] != '\t')) {
        *ret = dr_http_error(c, r, MHD_HTTP_UNAUTHORIZED, "no bearer token (Authorization: Bearer TOKEN)");
        return 1;
    }
    h += 6;
    while (*h == ' ' || *h == '\t') h++;
    size_t n = strlen(h);
    while (n && (h[n - 1] == ' ' || h[n - 1] == '\t')) n--;
    if (!same_secret(h, n, s->o->token)) {
        *ret = dr_http_error(c, r, MHD_HTTP_UNAUTHORIZED, "wrong bearer token");
        return 1;
    }
    return 0;
}

/* o as the answer's JSON (its reference taken), compact, or as `docrules
 * facts --format json` prints with flags JSON_INDENT(2). */
static enum MHD_Result answer_json_as(struct MHD_Connection *c, dr_req *r, unsigned status, json_t *o, size_t flags) {
    char *text = json_dumps(o, flags);
    json_decref(o);
    if (!text) return MHD_NO;
    docrules_buf b = DOCRULES_BUF_INIT;
    docrules_buf_put(&b, text, strlen(text));
    docrules_buf_put(&b, "\n", 1);
    free(text);
    enum MHD_Result ret = dr_http_json(c, r, status, b.ptr, b.size);
    docrules_buf_dispose(&b);
    return ret;
}

static enum MHD_Result answer_json(struct MHD_Connection *c, dr_req *r, unsigned status, json_t *o) {
    return answer_json_as(c, r, status, o, JSON_COMPACT);
}

static enum MHD_Result facts(dr_server *s, struct MHD_Connection *c, dr_req *r) {
    if (dr_http_unknown_param(c, r, facts_params)) return MHD_YES;
    dr_gen *g = dr_server_gen(s);
    docrules_engine *e = dr_gen_take(g, s->timeout);
    enum MHD_Result ret;
    if (!e) {
        dr_gen_unref(g);
        return dr_http_error(c, r, MHD_HTTP_SERVICE_UNAVAILABLE, "no engine was free within the time limit (--timeout %u)",
                             s->timeout);
    }
    /* The day and language checked as a decision's are. */
    docrules_query base = DOCRULES_QUERY_INIT, q;
    base.as_of = s->o->query.as_of;
    base.locale = s->o->query.locale;
    if (dr_http_query(c, r, e, &base, &q, &ret)) {
        dr_gen_give(g, e);
        dr_gen_unref(g);
        return ret;
    }
    docrules_facts_options fo = DOCRULES_FACTS_OPTIONS_INIT;
    fo.as_of = q.as_of;
    fo.locale = q.locale;
    docrules_buf out = DOCRULES_BUF_INIT;
    docrules_error err;
    int rc = docrules_facts(&out, e, &fo, &err);
    dr_gen_give(g, e);
    dr_gen_unref(g);
    json_t *all = rc < 0 ? NULL : json_loads(out.ptr, 0, NULL);
    docrules_buf_dispose(&out);
    if (!all) return dr_http_error(c, r, MHD_HTTP_INTERNAL_SERVER_ERROR, "%s", rc < 0 ? err.message : "the facts are not JSON");
    /* As `docrules facts --format json` prints them. */
    return answer_json_as(c, r, MHD_HTTP_OK, all, JSON_INDENT(2));
}

static enum MHD_Result revision(dr_server *s, struct MHD_Connection *c, dr_req *r) {
    dr_gen *g = dr_server_gen(s);
    /* With --bundle, "rules" is where the cases were read from and
     * "corpus" is left out: the bundle holds both. */
    json_t *o = json_pack("{s:s, s:s, s:s, s:s*, s:I, s:I, s:I}", "revision", g->revision, "loaded", g->loaded, "rules",
                          s->o->rules_dir ? s->o->rules_dir : "rules", "corpus", s->o->corpus_dir, "docs",
                          (json_int_t)g->docs, "facts", (json_int_t)g->facts, "cases", (json_int_t)g->cases);
    if (o && s->o->bundle) json_object_set_new(o, "bundle", json_string(s->o->bundle));
    dr_gen_unref(g);
    return o ? answer_json(c, r, MHD_HTTP_OK, o) : MHD_NO;
}

static enum MHD_Result healthz(dr_server *s, struct MHD_Connection *c, dr_req *r) {
    if (atomic_load(&s->stopping)) {
        json_t *o = json_pack("{s:s, s:s}", "status", "stopping", "error", "the server is shutting down");
        return answer_json(c, r, MHD_HTTP_SERVICE_UNAVAILABLE, o);
    }
    if (atomic_load(&s->draining)) {
        /* Decisions are still answered: the 503 is for the balancer's
         * check, so that it sends no new request here before we stop. */
        json_t *o = json_pack("{s:s, s:s}", "status", "draining", "error",
                              "the server got SIGTERM and stops accepting once --drain is over");
        return answer_json(c, r, MHD_HTTP_SERVICE_UNAVAILABLE, o);
    }
    char why[600];
    int log_ok = !s->log || dr_log_health(s->log, why, sizeof why);
    if (!log_ok && s->o->log_required) {
        /* Decisions are refused meanwhile: a balancer should look elsewhere. */
        char msg[700];
        snprintf(msg, sizeof msg, "decision log: %s", why);
        json_t *o = json_pack("{s:s, s:s}", "status", "failing", "error", msg);
        return answer_json(c, r, MHD_HTTP_SERVICE_UNAVAILABLE, o);
    }
    dr_gen *g = dr_server_gen(s);
    json_t *o = json_pack("{s:s, s:s}", "status", "ok", "revision", g->revision);
    dr_gen_unref(g);
    if (s->log) {
        char said[700];
        snprintf(said, sizeof said, "failing: %s", why);
        json_object_set_new(o, "log", json_string(log_ok ? "ok" : said));
    }
    pthread_mutex_lock(&s->mu);
    if (s->reload_failed)
        json_object_set_new(o, "reload", json_pack("{s:b, s:s}", "ok", 0, "error", s->reload_error));
    pthread_mutex_unlock(&s->mu);
    return answer_json(c, r, MHD_HTTP_OK, o);
}

static enum MHD_Result metrics(dr_server *s, struct MHD_Connection *c, dr_req *r) {
    dr_gen *g = dr_server_gen(s);
    pthread_mutex_lock(&s->mu);
    int reload_ok = !s->reload_failed;
    long in_flight = s->in_flight;
    pthread_mutex_unlock(&s->mu);
    docrules_buf b = DOCRULES_BUF_INIT;
    dr_metrics_render(s->metrics, &b, g->revision, reload_ok, in_flight, s->log ? (long)dr_log_depth(s->log) : 0);
    dr_gen_unref(g);
    struct MHD_Response *resp = MHD_create_response_from_buffer(b.size, b.ptr, MHD_RESPMEM_MUST_COPY);
    docrules_buf_dispose(&b);
    return dr_http_send(c, r, MHD_HTTP_OK, resp, "text/plain; version=0.0.4; charset=utf-8");
}

static enum MHD_Result reload(dr_server *s, struct MHD_Connection *c, dr_req *r) {
    if (r->reload_state == 0) {
        /* Suspended before it is asked, so that the resume cannot come
         * first; answered when the reloader resumes it. */
        r->reload_state = 1;
        r->conn = c;
        MHD_suspend_connection(c);
        dr_reloader_ask(s, r);
        return MHD_YES;
    }
    if (r->reload_rc < 0) return dr_http_error(c, r, MHD_HTTP_UNPROCESSABLE_CONTENT, "%s", r->reload_err);
    return answer_json(c, r, MHD_HTTP_OK, json_pack("{s:s, s:s}", "revision", r->reload_rev, "previous", r->reload_prev));
}

/* A request's first call: its headers are in. Anything refused is
 * answered now, before its body is read (libmicrohttpd then closes the
 * connection, as the body is left unread); the rest is answered once the
 * body has come, on the call after the last piece, which keeps the
 * connection alive. */
static enum MHD_Result begin(dr_server *s, struct MHD_Connection *c, dr_req *r, const char *url, const char *method) {
    size_t i = 0;
    while (i < NTABLE && strcmp(table[i].path, url) != 0) i++;
    if (i == NTABLE) {
        r->route = DR_R_OTHER;
        return dr_http_error(c, r, MHD_HTTP_NOT_FOUND, "no such path: %.200s", url);
    }
    r->route = table[i].route;
    /* HEAD wherever GET (RFC 9110 9.1: balancers and uptime checks ask
     * /healthz so): answered as GET, the library sending no body. */
    int get = strcmp(table[i].method, "GET") == 0;
    if (strcmp(method, table[i].method) != 0 && !(get && strcmp(method, "HEAD") == 0)) {
        r->allow = get ? "GET, HEAD" : table[i].method;
        return dr_http_error(c, r, MHD_HTTP_METHOD_NOT_ALLOWED, "%s takes %s, not %.20s", url, r->allow, method);
    }
    enum MHD_Result ret = MHD_YES;
    if (refuse_token(s, c, r, &ret)) return ret;
    switch (r->route) {
    case DR_R_DECIDE: {
        if (dr_http_unknown_param(c, r, query_params)) return MHD_YES;
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (cl && strtoull(cl, NULL, 10) > s->max_body)
            return dr_http_error(c, r, MHD_HTTP_CONTENT_TOO_LARGE, "the account is larger than --max-body (%zu bytes)",
                                 s->max_body);
        return MHD_YES;
    }
    case DR_R_BATCH:
        if (dr_http_unknown_param(c, r, query_params)) return MHD_YES;
        dr_batch_begin(s, c, r, &ret);
        return ret;
    default: return MHD_YES; /* answered once the body, if any, has come */
    }
}

enum MHD_Result dr_routes_handle(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                 const char *version, const char *upload, size_t *upload_size, void **con_cls) {
    (void)version;
    dr_server *s = cls;
    dr_req *r = *con_cls;
    if (!r) {
        /* A request begun counts as in flight, which the drain after
         * SIGTERM waits for; once that wait is over (s->closed, set under
         * the same lock) none is begun: its connection is closed without
         * a byte of answer and without a decision logged, so a balancer
         * sends the request to another instance (haproxy's retry-on
         * empty-response) and no log holds a decision nobody got. */
        pthread_mutex_lock(&s->mu);
        int closed = s->closed;
        if (!closed) s->in_flight++;
        pthread_mutex_unlock(&s->mu);
        if (closed) return MHD_NO;
        r = calloc(1, sizeof *r);
        if (!r) {
            pthread_mutex_lock(&s->mu);
            if (--s->in_flight == 0) pthread_cond_broadcast(&s->drained);
            pthread_mutex_unlock(&s->mu);
            return MHD_NO;
        }
        r->s = s;
        r->t0 = dr_clock_mono();
        *con_cls = r;
        return begin(s, c, r, url, method);
    }
    if (*upload_size) {
        size_t n = *upload_size;
        *upload_size = 0;
        if (r->answered) return MHD_YES;
        double spent = dr_clock_mono() - r->t0;
        if (r->route == DR_R_BATCH) {
            /* A stream's length is its client's: only idleness limits it
             * (MHD_OPTION_CONNECTION_TIMEOUT). */
            dr_batch_feed(r, upload, n);
            return MHD_YES;
        }
        if (spent > s->timeout) {
            /* An answer can only be queued once the body has ended: the
             * rest is dropped, and a body that would not end is cut. */
            r->late = 1;
            docrules_buf_dispose(&r->body);
            return spent > 2.0 * s->timeout ? MHD_NO : MHD_YES;
        }
        if (r->route != DR_R_DECIDE || r->too_big) return MHD_YES;
        if (r->body.size + n > s->max_body) {
            r->too_big = 1; /* a body without Content-Length, too long */
            docrules_buf_dispose(&r->body);
            return MHD_YES;
        }
        docrules_buf_put(&r->body, upload, n);
        return MHD_YES;
    }
    if (r->answered) return MHD_YES;
    if (r->late)
        return dr_http_error(c, r, MHD_HTTP_REQUEST_TIMEOUT, "the request took longer than --timeout (%u s)", s->timeout);
    switch (r->route) {
    case DR_R_DECIDE:
        if (r->too_big)
            return dr_http_error(c, r, MHD_HTTP_CONTENT_TOO_LARGE, "the account is larger than --max-body (%zu bytes)",
                                 s->max_body);
        return dr_decide_answer(s, c, r);
    case DR_R_BATCH: return dr_batch_answer(c, r);
    case DR_R_RELOAD: return reload(s, c, r);
    case DR_R_FACTS: return facts(s, c, r);
    case DR_R_REVISION: return dr_http_unknown_param(c, r, no_params) ? MHD_YES : revision(s, c, r);
    case DR_R_HEALTHZ: return healthz(s, c, r);
    case DR_R_METRICS: return metrics(s, c, r);
    default: return MHD_NO; /* unknown paths were answered at their first call */
    }
}

void dr_routes_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe) {
    (void)c;
    (void)toe;
    dr_server *s = cls;
    dr_req *r = *con_cls;
    if (!r) return;
    *con_cls = NULL;
    /* A connection that died before its answer has no status to count. */
    if (r->answered) dr_metrics_request(s->metrics, r->route, r->status, r->decision, dr_clock_mono() - r->t0);
    docrules_buf_dispose(&r->body);
    dr_batch_free(r->batch);
    free(r);
    pthread_mutex_lock(&s->mu);
    if (--s->in_flight == 0) pthread_cond_broadcast(&s->drained);
    pthread_mutex_unlock(&s->mu);
}
