/* docrules check ACCOUNT.json: one decision. */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/alloc.h"
#include "../common/list.h"
#include "cli.h"
#include "query.h"
#include "render.h"

/* The whole account, from a file or a pipe (dr_read_file takes regular
 * files only); NULL when reading failed (errno says why). Allocation
 * failures end the process (dr_xrealloc). */
static char *read_all(FILE *f, size_t *len) {
    size_t cap = 65536, n = 0, k;
    char *b = dr_xmalloc(cap);
    while ((k = fread(b + n, 1, cap - n, f)) > 0) {
        n += k;
        if (n == cap) b = dr_xrealloc(b, cap *= 2);
    }
    if (ferror(f)) {
        free(b);
        return NULL;
    }
    *len = n;
    return b;
}

/* Whether the n bytes at name are one of the contract's decisions. */
static int a_decision(const char *name, size_t n, void *ctx) {
    (void)ctx;
    for (const char *const *d = docrules_decisions(); *d; d++)
        if (strlen(*d) == n && strncmp(*d, name, n) == 0) return 1;
    return 0;
}

static int check_fail_on(const char *list) {
    size_t k;
    const char *bad = dr_list_unknown(list, a_decision, NULL, &k);
    if (!bad) return 0;
    char known[200];
    dr_list_said(docrules_decisions(), (size_t)-1, ", ", "", known, sizeof known);
    return dr_cli_usage("check", "--fail-on lists decisions (%s), not '%.*s'", known, (int)k, bad);
}

int dr_cmd_check(int argc, char **argv) {
    dr_qopts o = {.takes = DR_QOPTS_DECIDES | DR_QOPTS_TEXT};
    const char *file = NULL, *fail_on = "error";
    char fail_buf[256];
    for (int i = 1; i < argc; i++) {
        int t = dr_qopts_take("check", &o, argc, argv, &i);
        if (t < 0) return DR_EXIT_USAGE;
        if (t) continue;
        if (strcmp(argv[i], "--fail-on") == 0) {
            if (i + 1 >= argc) return dr_cli_usage("check", "--fail-on needs a list of decisions");
            if (check_fail_on(argv[++i])) return DR_EXIT_USAGE;
            /* error always fails: the list adds to it. */
            snprintf(fail_buf, sizeof fail_buf, "error,%s", argv[i]);
            fail_on = fail_buf;
            continue;
        }
        if (argv[i][0] == '-' && argv[i][1]) return dr_cli_usage("check", "unknown option '%s'", argv[i]);
        if (file) return dr_cli_usage("check", "one account at a time (use batch for many)");
        file = argv[i];
    }
    if (!file) return dr_cli_usage("check", "no account given (a JSON file, or - for standard input)");
    if (dr_qopts_finish("check", &o)) return DR_EXIT_USAGE;
    if (fail_on != NULL && strcmp(fail_on, "error") != 0 && o.fields && !dr_list_has(o.fields, "decision"))
        return dr_cli_usage("check", "--fail-on reads the decision: name decision in --fields");
    FILE *f = strcmp(file, "-") == 0 ? stdin : fopen(file, "rb");
    if (!f) {
        dr_cli_error("%s: cannot open: %s", file, strerror(errno));
        return DR_EXIT_USAGE;
    }
    size_t len;
    char *text = read_all(f, &len);
    if (f != stdin) fclose(f);
    if (!text) {
        dr_cli_error("%s: cannot read: %s", file, strerror(errno));
        return DR_EXIT_USAGE;
    }
    docrules_ruleset *rs = dr_qopts_open(&o);
    docrules_engine *e = rs ? dr_qopts_engine("check", &o, rs) : NULL;
    if (!e) {
        free(text);
        docrules_ruleset_free(rs);
        return DR_EXIT_USAGE;
    }
    docrules_query q = dr_qopts_query(&o);
    docrules_buf out = DOCRULES_BUF_INIT;
    docrules_error err;
    int rc = docrules_decide(&out, e, text, len, &q, &err);
    /* The decision as the engine has it: reading it back from the JSON
     * (jansson) took 0.4M of a --format json check's 12.6M instructions,
     * for JSON that is printed as it is. */
    docrules_outcome done;
    docrules_outcome_get(e, &done);
    int status = done.decision && dr_list_has(fail_on, done.decision) ? DR_EXIT_DECISION : DR_EXIT_OK;
    free(text);
    docrules_engine_free(e);
    docrules_ruleset_free(rs);
    if (rc < 0) {
        snprintf(err.file, sizeof err.file, "%s", strcmp(file, "-") == 0 ? "<stdin>" : file);
        dr_cli_api_error(&err);
        docrules_buf_dispose(&out);
        return DR_EXIT_USAGE;
    }
    if (strcmp(o.format, "json") == 0) {
        puts(out.ptr);
    } else {
        json_t *d = json_loads(out.ptr, 0, NULL);
        dr_render_decision(stdout, d);
        if (o.explain) dr_render_explain(stdout, json_object_get(d, "explain"));
        json_decref(d);
    }
    docrules_buf_dispose(&out);
    return status;
}
