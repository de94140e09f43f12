/* Generations: a rule set with its pool of engines, refcounted so that a
 * reload can swap the one served while requests finish on the old. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "internal.h"

static void gen_free(dr_gen *g) {
    /* Every engine is back: the last reference is gone. */
    for (int i = 0; i < g->nidle; i++) docrules_engine_free(g->idle[i]);
    free(g->idle);
    docrules_ruleset_free(g->rs);
    pthread_cond_destroy(&g->cv);
    pthread_mutex_destroy(&g->mu);
    free(g);
}

static int is_dir(const char *p) {
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

int dr_gen_open(dr_gen **out, const dr_serve_options *o, int jobs, docrules_error *err) {
    *out = NULL;
    dr_gen *g = calloc(1, sizeof *g);
    if (!g) goto no_memory;
    g->idle = calloc((size_t)jobs, sizeof *g->idle);
    if (!g->idle) {
        free(g);
        goto no_memory;
    }
    pthread_mutex_init(&g->mu, NULL);
    /* Waits for an engine are timed on the monotonic clock: a wall clock
     * set back would stretch them, one set forward cut them short. */
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&g->cv, &ca);
    pthread_condattr_destroy(&ca);
    atomic_init(&g->refs, 1);
    int rc = o->open(o->open_ctx, &g->rs, err);
    /* The first engine is the rule set's own root (docrules_engine_new),
     * the others forks: all made here, before any request uses one. */
    for (int i = 0; rc == DOCRULES_OK && i < jobs; i++) {
        rc = docrules_engine_new(&g->idle[i], g->rs, NULL, err);
        if (rc == DOCRULES_OK) g->nidle++;
    }
    g->n = g->nidle;
    /* The command line's --action, --fields, --locale: what every request
     * that does not say otherwise asks, so the rules must know them. */
    if (rc == DOCRULES_OK && docrules_query_check(g->idle[0], &o->query, err) < 0) {
        /* Named as the command line wrote it; the message ends cut by
         * two bytes at worst. */
        memmove(err->message + 2, err->message, sizeof err->message - 3);
        err->message[sizeof err->message - 1] = '\0';
        memcpy(err->message, "--", 2);
        rc = err->code;
    }
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/tests", o->rules_dir ? o->rules_dir : "rules");
    /* A rules folder without cases has nothing to check; one with cases
     * is served only when they pass. */
    if (rc == DOCRULES_OK && is_dir(dir)) rc = dr_cases_check(g->rs, dir, &o->query, &g->cases, err);
    if (rc != DOCRULES_OK) {
        gen_free(g);
        return rc;
    }
    snprintf(g->revision, sizeof g->revision, "%s", docrules_ruleset_revision(g->rs));
    dr_stamp_rfc3339(dr_stamp_now_ms(), g->loaded);
    g->docs = docrules_ruleset_doc_count(g->rs);
    g->facts = docrules_ruleset_fact_count(g->rs);
    *out = g;
    return DOCRULES_OK;
no_memory:
    if (err) {
        memset(err, 0, sizeof *err);
        err->code = DOCRULES_ELIMIT;
        snprintf(err->message, sizeof err->message, "out of memory");
    }
    return DOCRULES_ELIMIT;
}

void dr_gen_ref(dr_gen *g) { atomic_fetch_add(&g->refs, 1); }

void dr_gen_unref(dr_gen *g) {
    if (g && atomic_fetch_sub(&g->refs, 1) == 1) gen_free(g);
}

docrules_engine *dr_gen_take(dr_gen *g, double seconds) {
    /* (cv waits by the monotonic clock) */
    struct timespec until = dr_clock_timespec(dr_clock_mono_ns() + (int64_t)(seconds * 1e9));
    docrules_engine *e = NULL;
    pthread_mutex_lock(&g->mu);
    int rc = 0;
    while (g->nidle == 0 && rc != ETIMEDOUT) rc = pthread_cond_timedwait(&g->cv, &g->mu, &until);
    if (g->nidle > 0) e = g->idle[--g->nidle];
    pthread_mutex_unlock(&g->mu);
    return e;
}

void dr_gen_give(dr_gen *g, docrules_engine *e) {
    pthread_mutex_lock(&g->mu);
    g->idle[g->nidle++] = e;
    pthread_cond_signal(&g->cv);
    pthread_mutex_unlock(&g->mu);
}
