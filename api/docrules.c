/* The public library (include/docrules.h) over the engine: a rule set is an
 * engine whose state loaded the scripts and whose corpus was read once; an
 * engine of the library is a fork of it, sharing those facts read-only. */
#define DOCRULES_BUILDING
#include "../include/docrules.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/lang.h"
#include "../common/list.h"
#include "../bundle/bundle.h"
#include "../engine/engine.h"
#include "internal.h"

/* The root engine read the corpus and loaded the scripts; forks share its
 * facts and load the scripts into states of their own. Forking never
 * touches the root's Lua state, so the first engine made (a command
 * deciding one account, a batch's first worker) is the root itself and
 * spares a second load: whoever takes it marks it, until it is freed. */
struct docrules_ruleset {
    dr_engine *root;
    atomic_int root_taken;
    char *cache_note;  /* what the cache did (options.cache), or NULL */
    int cache_warning;
};

struct docrules_engine {
    dr_engine *e;
    docrules_ruleset *root_of; /* when e is its rule set's root, to give back */
};

struct dr_engine *dr_api_engine(const docrules_engine *e) { return e->e; }

const char *docrules_version(void) { return DOCRULES_VERSION; }

const char *docrules_error_format(const docrules_error *err, char *buf, size_t size) {
    if (!buf || !size) return buf;
    if (!err) {
        buf[0] = '\0';
        return buf;
    }
    dr_error e;
    e.code = err->code;
    snprintf(e.file, sizeof e.file, "%s", err->file);
    e.line = err->line;
    e.col = err->col;
    snprintf(e.message, sizeof e.message, "%s", err->message);
    return dr_error_format(&e, buf, size > 0xffffffffu ? 0xffffffffu : (unsigned)size);
}

/* docrules_buf and the modules' dr_buf are one layout under two names:
 * the caller's bytes are grown as every module grows its own. */
void docrules_buf_put(docrules_buf *buf, const char *data, size_t len) {
    if (!buf) return;
    dr_buf b = {buf->ptr, buf->size, buf->asize};
    dr_buf_put(&b, data, len);
    buf->ptr = b.s;
    buf->size = b.n;
    buf->asize = b.cap;
}

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
    /* A version-1 struct ends at today: its callers compiled no more. */
    const char *bundle = opts->version >= 2 ? opts->bundle : NULL;
    int cache = opts->version >= 2 && opts->cache;
    if (bundle && (opts->rules_dir || opts->ncorpus || opts->corpus_label || cache))
        return dr_api_usage(err, "docrules_ruleset_open: a bundle holds the rules and the corpus: "
                                 "give it alone, without rules_dir, corpus or cache");
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
    int rc;
    if (bundle) {
        dr_bundle *b;
        rc = dr_bundle_read(bundle, &b, &e);
        if (rc == DR_OK && (rc = dr_engine_new_from_bundle(&eo, b, &rs->root, &e)) != DR_OK) dr_bundle_free(b);
    } else if (cache) {
        char note[2048];
        rc = dr_cache_open(&eo, &rs->root, note, sizeof note, &rs->cache_warning, &e);
        if (rc == DR_OK && !(rs->cache_note = strdup(note))) {
            docrules_ruleset_free(rs);
            return dr_api_no_memory(err);
        }
    } else {
        rc = dr_engine_new(&eo, &rs->root, &e);
    }
    if (rc != DR_OK) {
        free(rs);
        return dr_api_fail(err, &e);
    }
    *out = rs;
    return DOCRULES_OK;
}

int docrules_ruleset_save(const docrules_ruleset *rs, const char *path, docrules_error *err) {
    dr_api_clear(err);
    if (!rs || !path) return dr_api_usage(err, "docrules_ruleset_save: the rule set and a path are required");
    dr_buf b = {0};
    dr_error e;
    dr_error_clear(&e);
    int rc = dr_bundle_serialize(rs->root, NULL, &b, &e);
    /* A bundle is made to be deployed: on disk before it is said written. */
    if (rc == DR_OK) rc = dr_bundle_write_file(path, b.s, b.n, 1, &e);
    free(b.s);
    return rc == DR_OK ? DOCRULES_OK : dr_api_fail(err, &e);
}

const char *docrules_ruleset_cache_note(const docrules_ruleset *rs, int *warning) {
    if (warning) *warning = rs && rs->cache_warning;
    return rs ? rs->cache_note : NULL;
}

void docrules_ruleset_free(docrules_ruleset *rs) {
    if (!rs) return;
    dr_engine_free(rs->root);
    free(rs->cache_note);
    free(rs);
}

size_t docrules_ruleset_doc_count(const docrules_ruleset *rs) {
    return rs ? dr_factset_docs_read(dr_engine_factset(rs->root)) : 0;
}

size_t docrules_ruleset_fact_count(const docrules_ruleset *rs) {
    size_t n = 0;
    if (rs) dr_factset_facts(dr_engine_factset(rs->root), &n);
    return n;
}

const char *docrules_ruleset_revision(const docrules_ruleset *rs) {
    return rs ? dr_engine_revision(rs->root) : "";
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
    /* The root's state is mutable behind the rule set's const: one taker. */
    docrules_ruleset *owner = (docrules_ruleset *)rs;
    int free_root = 0;
    if (atomic_compare_exchange_strong(&owner->root_taken, &free_root, 1)) {
        x->e = owner->root;
        x->root_of = owner;
        *out = x;
        return DOCRULES_OK;
    }
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
    if (e->root_of) atomic_store(&e->root_of->root_taken, 0);
    else dr_engine_free(e->e);
    free(e);
}

int docrules_decide(docrules_buf *out, docrules_engine *e, const char *account, size_t len, const docrules_query *q,
                    docrules_error *err) {
    dr_api_clear(err);
    if (!out || !e || (!account && len)) return dr_api_usage(err, "docrules_decide: out, the engine and the account are required");
    if (q && (q->version < 1 || q->version > DOCRULES_QUERY_VERSION))
        return dr_api_usage(err, "docrules_decide: a query of an unknown version (use DOCRULES_QUERY_INIT)");
    /* An older query ends before strict (1) or coverage (2): its callers
     * compiled a smaller struct. */
    dr_query dq = {q ? q->action : NULL, q ? q->as_of : NULL, q ? q->locale : NULL, q ? q->explain : 0,
                   q && q->version >= 3 ? q->coverage : 0, q ? q->fields : NULL, q && q->version >= 2 ? q->strict : 0};
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

void docrules_outcome_get(const docrules_engine *e, docrules_outcome *out) {
    if (!out) return;
    out->decision = out->action = out->account_id = NULL;
    if (e) dr_engine_outcome(e->e, &out->decision, &out->action, &out->account_id);
}

const char *const *docrules_decisions(void) { return dr_decisions(); }

/* Whether the n bytes at name are a field a decision of engine ctx can
 * have (a name longer than any field is not). */
static int field_known(const char *name, size_t n, void *ctx) {
    char k[64];
    if (n == 0 || n >= sizeof k) return 0;
    memcpy(k, name, n);
    k[n] = '\0';
    return dr_engine_field_known(ctx, k);
}

int docrules_query_check(const docrules_engine *x, const docrules_query *q, docrules_error *err) {
    dr_api_clear(err);
    if (!x) return dr_api_usage(err, "docrules_query_check: the engine is required");
    if (!q) return DOCRULES_OK;
    if (q->version < 1 || q->version > DOCRULES_QUERY_VERSION)
        return dr_api_usage(err, "docrules_query_check: a query of an unknown version (use DOCRULES_QUERY_INIT)");
    dr_engine *e = x->e;
    char msg[1400];
    if (q->action) {
        const char *const *a = dr_engine_actions(e);
        int known = 0;
        char list[600];
        for (size_t i = 0; a[i]; i++) known |= strcmp(q->action, a[i]) == 0;
        dr_list_said(a, (size_t)-1, " or ", "", list, sizeof list);
        if (!known) {
            snprintf(msg, sizeof msg, "action is %s, not '%s'", list[0] ? list : "(none declared)", q->action);
            return dr_api_usage(err, "%s", msg);
        }
    }
    /* An empty list would be a decision of no fields, {}: nothing asked is
     * more likely a shell's empty variable than a wish. */
    if (q->fields && !q->fields[strspn(q->fields, ", ")])
        return dr_api_usage(err, "fields: the list is empty: name the fields wanted (id,decision,...), or leave it out for all");
    size_t n;
    const char *bad = dr_list_unknown(q->fields, field_known, e, &n);
    if (bad) {
        char known[1024];
        dr_engine_fields_said(e, known, sizeof known);
        snprintf(msg, sizeof msg, "fields: '%.*s' is not a field of a decision (%s)", (int)(n > 200 ? 200 : n), bad, known);
        return dr_api_usage(err, "%s", msg);
    }
    if (q->locale) {
        char langs[512];
        if (!dr_lang_tag_valid(q->locale)) {
            snprintf(msg, sizeof msg, "locale wants a language tag such as zh-tw or en-us, not '%.200s'", q->locale);
            return dr_api_usage(err, "%s", msg);
        }
        if (!dr_engine_language_known(e, q->locale, langs, sizeof langs)) {
            snprintf(msg, sizeof msg, "locale %.200s: neither the corpus nor a lexicon is in that language (%s)", q->locale,
                     langs[0] ? langs : "none");
            return dr_api_usage(err, "%s", msg);
        }
    }
    return DOCRULES_OK;
}
