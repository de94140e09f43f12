/* The public library (include/docrules.h) over the engine: a rule set is an
 * engine whose state loaded the scripts and whose corpus was read once; an
 * engine of the library is a fork of it, sharing those facts read-only. */
#define DOCRULES_BUILDING
#include "../include/docrules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../engine/engine.h"
#include "internal.h"

struct docrules_ruleset {
    dr_engine *root; /* its state is used only to fork from */
};

struct docrules_engine {
    dr_engine *e;
};

const char *docrules_version(void) { return DOCRULES_VERSION; }

void docrules_buf_dispose(docrules_buf *buf) {
    if (!buf) return;
    free(buf->ptr);
    buf->ptr = NULL;
    buf->size = buf->asize = 0;
}

int docrules_ruleset_open(docrules_ruleset **out, const docrules_ruleset_options *opts, docrules_error *err) {
    dr_api_clear(err);
    if (!out) return dr_api_usage(err, "docrules_ruleset_open: out is NULL");
    *out = NULL;
    docrules_ruleset_options d = DOCRULES_RULESET_OPTIONS_INIT;
    if (!opts) opts = &d;
    if (opts->version < 1 || opts->version > DOCRULES_RULESET_OPTIONS_VERSION)
        return dr_api_usage(err, "docrules_ruleset_open: options of an unknown version (use DOCRULES_RULESET_OPTIONS_INIT)");
    static const char *const default_corpus[] = {"corpus"};
    dr_engine_opts eo = {opts->rules_dir ? opts->rules_dir : "rules",
                         opts->ncorpus ? opts->corpus : default_corpus,
                         opts->ncorpus ? opts->ncorpus : 1,
                         opts->max_instructions,
                         opts->max_memory,
                         opts->today,
                         opts->corpus_label};
    docrules_ruleset *rs = calloc(1, sizeof *rs);
    if (!rs) return dr_api_no_memory(err);
    dr_error e;
    dr_error_clear(&e);
    if (dr_engine_new(&eo, &rs->root, &e) != DR_OK) {
        free(rs);
        return dr_api_fail(err, &e);
    }
    *out = rs;
    return DOCRULES_OK;
}

void docrules_ruleset_free(docrules_ruleset *rs) {
    if (!rs) return;
    dr_engine_free(rs->root);
    free(rs);
}

size_t docrules_ruleset_doc_count(const docrules_ruleset *rs) {
    return rs ? dr_factset_doc_count(dr_engine_factset(rs->root)) : 0;
}

size_t docrules_ruleset_fact_count(const docrules_ruleset *rs) {
    size_t n = 0;
    if (rs) dr_factset_facts(dr_engine_factset(rs->root), &n);
    return n;
}

int docrules_engine_new(docrules_engine **out, const docrules_ruleset *rs, const docrules_engine_options *opts,
                        docrules_error *err) {
    dr_api_clear(err);
    if (!out || !rs) return dr_api_usage(err, "docrules_engine_new: out and the rule set are required");
    *out = NULL;
    if (opts && (opts->version < 1 || opts->version > DOCRULES_ENGINE_OPTIONS_VERSION))
        return dr_api_usage(err, "docrules_engine_new: options of an unknown version (use DOCRULES_ENGINE_OPTIONS_INIT)");
    docrules_engine *x = calloc(1, sizeof *x);
    if (!x) return dr_api_no_memory(err);
    dr_error e;
    dr_error_clear(&e);
    if (dr_engine_fork(rs->root, &x->e, &e) != DR_OK) {
        free(x);
        return dr_api_fail(err, &e);
    }
    *out = x;
    return DOCRULES_OK;
}

void docrules_engine_free(docrules_engine *e) {
    if (!e) return;
    dr_engine_free(e->e);
    free(e);
}

int docrules_decide(docrules_buf *out, docrules_engine *e, const char *account, size_t len, const docrules_query *q,
                    docrules_error *err) {
    dr_api_clear(err);
    if (!out || !e || (!account && len)) return dr_api_usage(err, "docrules_decide: out, the engine and the account are required");
    if (q && (q->version < 1 || q->version > DOCRULES_QUERY_VERSION))
        return dr_api_usage(err, "docrules_decide: a query of an unknown version (use DOCRULES_QUERY_INIT)");
    /* A version-1 query ends before strict: its callers compiled a smaller struct. */
    dr_query dq = {q ? q->action : NULL, q ? q->as_of : NULL, q ? q->locale : NULL, q ? q->explain : 0, 0,
                   q ? q->fields : NULL, q && q->version >= 2 ? q->strict : 0};
    /* The caller's bytes, appended to in place. */
    dr_buf b = {out->ptr, out->size, out->asize};
    dr_error de;
    dr_error_clear(&de);
    int rc = dr_engine_decide_buf(e->e, account ? account : "", len, &dq, &b, &de);
    out->ptr = b.s;
    out->size = b.n;
    out->asize = b.cap;
    return rc == DR_OK ? DOCRULES_OK : dr_api_fail(err, &de);
}
