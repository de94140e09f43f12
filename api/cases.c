/* docrules test's part of the library: the cases rule scripts declare,
 * and what the decisions made for them exercised. */
#define DOCRULES_BUILDING
#include "../include/docrules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../engine/engine.h"
#include "internal.h"

int docrules_cases_load(docrules_engine *x, const char *path, size_t *count, docrules_error *err) {
    dr_api_clear(err);
    if (!x || !path || !count) return dr_api_usage(err, "docrules_cases_load: the engine, a path and count are required");
    dr_error e;
    dr_error_clear(&e);
    if (dr_engine_load_cases(dr_api_engine(x), path, count, &e) != DR_OK) return dr_api_fail(err, &e);
    return DOCRULES_OK;
}

/* A malloc'd string as a buffer, which then owns it. */
static docrules_buf buf_of(char *s) {
    size_t n = s ? strlen(s) : 0;
    docrules_buf b = {s, n, s ? n + 1 : 0};
    return b;
}

int docrules_case_get(docrules_case *c, docrules_engine *x, size_t i, docrules_error *err) {
    dr_api_clear(err);
    if (!c || !x) return dr_api_usage(err, "docrules_case_get: the case and the engine are required");
    memset(c, 0, sizeof *c);
    dr_case k;
    if (dr_engine_case(dr_api_engine(x), i, &k) != DR_OK) return dr_api_usage(err, "docrules_case_get: no such case");
    c->file = k.file;
    c->name = k.name;
    c->as_of = k.as_of;
    c->locale = k.locale;
    c->line = k.line;
    c->account = buf_of(k.account);
    c->expect = buf_of(k.expect);
    return DOCRULES_OK;
}

void docrules_case_dispose(docrules_case *c) {
    if (!c) return;
    docrules_buf_dispose(&c->account);
    docrules_buf_dispose(&c->expect);
}

int docrules_coverage_get(docrules_coverage *st, docrules_buf *missed, FILE *lcov, docrules_engine *x,
                          docrules_error *err) {
    dr_api_clear(err);
    if (!st || !x) return dr_api_usage(err, "docrules_coverage_get: st and the engine are required");
    dr_engine *e = dr_api_engine(x);
    if (missed) {
        char **lines;
        size_t n;
        if (dr_engine_coverage(e, &lines, &n) == DR_OK) {
            for (size_t i = 0; i < n; i++) {
                docrules_buf_put(missed, lines[i], strlen(lines[i]));
                docrules_buf_put(missed, "\n", 1);
                free(lines[i]);
            }
            free(lines);
        }
    }
    dr_coverage_stats s;
    if (dr_engine_coverage_stats(e, &s, lcov) != DR_OK) return dr_api_usage(err, "docrules_coverage_get: no coverage");
    st->rules = s.rules;
    st->rules_hit = s.rules_hit;
    st->branches = s.branches;
    st->branches_hit = s.branches_hit;
    return DOCRULES_OK;
}
