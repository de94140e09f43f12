/* What an answered decision leaves behind: its label for the metrics, and
 * its entry in the decision log, queued before the answer is (so that an
 * answer a client got is one the log has). The decision, its action and
 * account id come from the engine (docrules_outcome_get), whatever fields
 * the request asked for: the answer is not parsed back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/alloc.h"
#include "internal.h"
#include "log.h"

void dr_record_take(dr_record_in *in, const docrules_engine *e) {
    docrules_outcome o;
    docrules_outcome_get(e, &o);
    const char *from[3] = {o.decision, o.action, o.account_id};
    size_t n[3], total = 0;
    for (int i = 0; i < 3; i++) total += n[i] = from[i] ? strlen(from[i]) + 1 : 0;
    free(in->held);
    in->held = total ? dr_xmalloc(total) : NULL;
    const char **to[3] = {&in->decision, &in->action, &in->account_id};
    char *p = in->held;
    for (int i = 0; i < 3; i++) {
        *to[i] = NULL;
        if (!from[i]) continue;
        memcpy(p, from[i], n[i]);
        *to[i] = p;
        p += n[i];
    }
}

void dr_record_release(dr_record_in *in) {
    free(in->held);
    in->held = NULL;
}

int dr_record(dr_server *s, const dr_record_in *in, char *decision, size_t size, dr_error *e) {
    snprintf(decision, size, "%s", in->decision ? in->decision : "");
    if (!s->log) return DR_OK;
    dr_log_entry en = {
        .decision_id = in->id,
        .time_ms = in->time_ms,
        .revision = in->revision,
        .account_id = in->account_id,
        .decision = in->decision ? in->decision : "error",
        .action = in->action,
        .account = in->account,
        .account_len = in->account_len,
        .output = in->output,
        .output_len = in->output_len,
        .latency_ms = (dr_clock_mono() - in->t0) * 1000.0,
    };
    int rc = dr_log_put(s->log, &en, e);
    /* Without --log-required a failing log is said by /healthz, and the
     * decisions go on. */
    return s->o->log_required ? rc : DR_OK;
}
