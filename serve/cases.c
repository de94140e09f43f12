/* The rules' test cases, run before a rule set is served: a reload that
 * would change a decision its authors pinned down is refused. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "../common/expect.h"
#include "internal.h"

/* Case i against its decision: 0 when it passes, else DR_ERULE with err
 * naming the case's file and line. */
static int run_case(docrules_engine *e, size_t i, const docrules_query *base, docrules_error *err) {
    docrules_case c;
    if (docrules_case_get(&c, e, i, err) < 0) return err->code;
    docrules_query q = *base;
    q.as_of = c.as_of ? c.as_of : base->as_of;
    q.locale = c.locale ? c.locale : base->locale;
    q.explain = 1; /* as docrules test: a case may look at what explain says */
    q.fields = NULL;
    q.coverage = 0;
    docrules_buf json = DOCRULES_BUF_INIT;
    char diff[800] = "";
    docrules_error derr;
    if (docrules_decide(&json, e, c.account.ptr, c.account.size, &q, &derr) < 0) {
        snprintf(diff, sizeof diff, "the account is invalid: %.700s", derr.message);
    } else {
        json_t *got = json_loads(json.ptr, 0, NULL), *want = json_loads(c.expect.ptr, 0, NULL);
        if (!got || !want) snprintf(diff, sizeof diff, "the decision or the expectation is not JSON");
        else dr_expect_differ(want, got, "", diff, sizeof diff);
        json_decref(got);
        json_decref(want);
    }
    int rc = DOCRULES_OK;
    if (diff[0]) {
        memset(err, 0, sizeof *err);
        err->code = rc = DOCRULES_ERULE;
        snprintf(err->file, sizeof err->file, "%s", c.file ? c.file : "?");
        err->line = c.line;
        snprintf(err->message, sizeof err->message, "case '%.150s' fails: %s", c.name ? c.name : "case", diff);
    }
    docrules_buf_dispose(&json);
    docrules_case_dispose(&c);
    return rc;
}

int dr_cases_check(const docrules_ruleset *rs, const char *dir, const docrules_query *base, size_t *ran,
                   docrules_error *err) {
    *ran = 0;
    docrules_engine *e;
    int rc = docrules_engine_new(&e, rs, NULL, err);
    if (rc < 0) return rc;
    size_t n = 0;
    rc = docrules_cases_load(e, dir, &n, err);
    for (size_t i = 0; rc == DOCRULES_OK && i < n; i++) {
        rc = run_case(e, i, base, err);
        if (rc == DOCRULES_OK) ++*ran;
    }
    docrules_engine_free(e);
    return rc;
}
