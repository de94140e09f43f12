/* POST /v1/decide: one account in, one decision out, with the service's
 * decision_id and time. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* What a request may still wait for an engine: the rest of its time. */
static double time_left(const dr_server *s, const dr_req *r) {
    double left = (double)s->timeout - (dr_stamp_mono() - r->t0);
    return left > 0 ? left : 0;
}

/* The bad account's answer: the library's message, and where in the
 * account it is, as the command line says it. */
static enum MHD_Result bad_account(struct MHD_Connection *c, dr_req *r, const docrules_error *err) {
    json_t *o = json_object();
    json_t *m = json_string(err->message);
    json_object_set_new(o, "error", m ? m : json_string("(the message is not UTF-8)"));
    if (err->line > 0) json_object_set_new(o, "line", json_integer(err->line));
    if (err->col > 0) json_object_set_new(o, "col", json_integer(err->col));
    char *s = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    if (!s) return MHD_NO;
    docrules_buf b = DOCRULES_BUF_INIT;
    docrules_buf_put(&b, s, strlen(s));
    docrules_buf_put(&b, "\n", 1);
    free(s);
    enum MHD_Result ret = dr_http_json(c, r, MHD_HTTP_BAD_REQUEST, b.ptr, b.size);
    docrules_buf_dispose(&b);
    return ret;
}

enum MHD_Result dr_decide_answer(dr_server *s, struct MHD_Connection *c, dr_req *r) {
    dr_gen *g = dr_server_gen(s);
    docrules_engine *e = dr_gen_take(g, time_left(s, r));
    if (!e) {
        dr_gen_unref(g);
        return dr_http_error(c, r, MHD_HTTP_SERVICE_UNAVAILABLE, "no engine was free within the time limit (--timeout %u)",
                             s->timeout);
    }
    docrules_query q;
    enum MHD_Result ret;
    if (dr_http_query(c, r, e, &s->o->query, &q, &ret)) {
        dr_gen_give(g, e);
        dr_gen_unref(g);
        return ret;
    }
    docrules_buf out = DOCRULES_BUF_INIT;
    docrules_error err;
    int rc = docrules_decide(&out, e, r->body.ptr ? r->body.ptr : "", r->body.size, &q, &err);
    dr_gen_give(g, e);
    dr_gen_unref(g);
    char id[33], when[32];
    if (rc == DOCRULES_EPARSE) {
        ret = bad_account(c, r, &err);
    } else if (rc < 0) {
        ret = dr_http_error(c, r, MHD_HTTP_INTERNAL_SERVER_ERROR, "%s", err.message);
    } else if (dr_stamp_id(id) != DR_OK) {
        ret = dr_http_error(c, r, MHD_HTTP_INTERNAL_SERVER_ERROR, "no randomness for a decision_id (getrandom failed)");
    } else {
        dr_stamp_rfc3339(dr_stamp_now_ms(), when);
        docrules_buf b = DOCRULES_BUF_INIT;
        dr_stamp_put(&b, out.ptr, out.size, id, when);
        docrules_buf_put(&b, "\n", 1);
        json_t *d = json_loads(b.ptr, 0, NULL);
        const char *decided = json_string_value(json_object_get(d, "decision"));
        snprintf(r->decision, sizeof r->decision, "%s", decided ? decided : "");
        json_decref(d);
        ret = dr_http_json(c, r, MHD_HTTP_OK, b.ptr, b.size);
        docrules_buf_dispose(&b);
    }
    docrules_buf_dispose(&out);
    return ret;
}
