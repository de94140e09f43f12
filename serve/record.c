/* What an answered decision leaves behind: its label for the metrics, and
 * its entry in the decision log, queued before the answer is (so that an
 * answer a client got is one the log has). The log and the metrics read
 * the decision, its action and account id even when the request's fields
 * leave them out: the engine is asked for them, and they are taken out
 * of the answer again. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/alloc.h"
#include "../common/list.h"
#include "internal.h"
#include "log.h"

static const char *const read_fields[] = {"decision", "action", "id"};

char *dr_record_fields(const char *fields, unsigned *strip) {
    *strip = 0;
    if (!fields) return NULL;
    size_t n = strlen(fields);
    char *wide = dr_xmalloc(n + 32);
    memcpy(wide, fields, n + 1);
    for (unsigned i = 0; i < 3; i++)
        if (!dr_list_has(fields, read_fields[i])) {
            *strip |= 1u << i;
            n += (size_t)sprintf(wide + n, "%s%s", n ? "," : "", read_fields[i]);
        }
    return wide;
}

json_t *dr_record_read(docrules_buf *out, unsigned strip, dr_record_in *in) {
    json_t *full = json_loadb(out->ptr, out->size, 0, NULL);
    in->decision = json_string_value(json_object_get(full, "decision"));
    in->action = json_string_value(json_object_get(full, "action"));
    in->account_id = json_string_value(json_object_get(full, "id"));
    if (strip && full) {
        /* A small answer (it has fields): parsed again and written compact,
         * as the engine writes. */
        json_t *answer = json_loadb(out->ptr, out->size, 0, NULL);
        for (unsigned i = 0; i < 3; i++)
            if (strip & (1u << i)) json_object_del(answer, read_fields[i]);
        char *text = json_dumps(answer, JSON_COMPACT);
        json_decref(answer);
        if (text) {
            out->size = 0;
            docrules_buf_put(out, text, strlen(text));
            free(text);
        }
    }
    return full;
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
        .latency_ms = (dr_stamp_mono() - in->t0) * 1000.0,
    };
    int rc = dr_log_put(s->log, &en, e);
    /* Without --log-required a failing log is said by /healthz, and the
     * decisions go on. */
    return s->o->log_required ? rc : DR_OK;
}
