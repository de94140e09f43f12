/* POST /v1/decide: one account in, one decision out, with the service's
 * decision_id and time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/batchline.h"
#include "internal.h"

/* What a request may still wait for an engine: the rest of its time. */
static double time_left(const dr_server *s, const dr_req *r) {
    double left = (double)s->timeout - (dr_clock_mono() - r->t0);
    return left > 0 ? left : 0;
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
    docrules_buf out = DOCRULES_BUF_INIT, b = DOCRULES_BUF_INIT;
    docrules_error err;
    const char *account = r->body.ptr ? r->body.ptr : "";
    int rc = docrules_decide(&out, e, account, r->body.size, &q, &err);
    dr_record_in rec = {NULL, dr_stamp_now_ms(), g->revision, account, r->body.size, NULL, 0, r->t0, NULL, NULL, NULL, NULL};
    if (rc == DOCRULES_OK) dr_record_take(&rec, e);
    dr_gen_give(g, e);
    char id[33], when[48];
    unsigned status = MHD_HTTP_OK;
    if (rc < 0 && rc != DOCRULES_EPARSE) {
        ret = dr_http_error(c, r, MHD_HTTP_INTERNAL_SERVER_ERROR, "%s", err.message);
        goto done;
    }
    if (dr_stamp_id(id) != DR_OK) {
        ret = dr_http_error(c, r, MHD_HTTP_INTERNAL_SERVER_ERROR, "no randomness for a decision_id (getrandom failed)");
        goto done;
    }
    rec.id = id;
    if (rc == DOCRULES_EPARSE) {
        /* Logged too, with its own id, so that the log holds every answer. */
        status = MHD_HTTP_BAD_REQUEST;
        /* the library's message, where in the account, as the command says it */
        dr_error_json(&b, err.line, err.col, err.message);
    } else {
        dr_stamp_rfc3339(rec.time_ms, when);
        dr_stamp_put(&b, out.ptr, out.size, id, when);
        docrules_buf_put(&b, "\n", 1);
    }
    rec.output = b.ptr;
    rec.output_len = b.size - 1;
    dr_error lerr;
    if (dr_record(s, &rec, r->decision, sizeof r->decision, &lerr) != DR_OK) {
        /* --log-required: what cannot be logged is not answered. */
        r->decision[0] = '\0';
        ret = dr_http_error(c, r, MHD_HTTP_SERVICE_UNAVAILABLE, "%s (--log-required)", lerr.message);
        goto done;
    }
    ret = dr_http_json(c, r, status, b.ptr, b.size);
done:
    dr_record_release(&rec);
    dr_gen_unref(g);
    docrules_buf_dispose(&b);
    docrules_buf_dispose(&out);
    return ret;
}
