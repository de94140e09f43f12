/* docrules test [DIR]: the table-driven cases policy authors write
 * (the case { name, account, expect } scripts under rules/tests). Each expected field
 * must match the decision; objects match on the fields given, lists item
 * by item, and "<absent>" asks that a field not be there. */
#include <errno.h>
#include <fnmatch.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/alloc.h"
#include "../common/expect.h"
#include "../common/junit.h"
#include "../common/libxml.h"
#include "cli.h"
#include "query.h"

/* Why a decision came out as it did, for a failing case: the rule's
 * error, the inputs it needs, or the facts no rule had. */
static void why(json_t *got, char *out, size_t size) {
    const char *d = json_string_value(json_object_get(got, "decision"));
    out[0] = '\0';
    if (!d) return;
    if (strcmp(d, "error") == 0) {
        snprintf(out, size, "\n    the rule failed: %s", json_string_value(json_object_get(got, "error")));
    } else if (strcmp(d, "needs_input") == 0) {
        char m[300];
        dr_expect_show(json_object_get(got, "missing"), m, sizeof m);
        snprintf(out, size, "\n    the account lacks %s", m);
    } else if (strcmp(d, "no_rule") == 0) {
        size_t n = 0;
        json_t *e;
        size_t i;
        json_array_foreach(json_object_get(got, "explain"), i, e) {
            json_t *missing = json_object_get(e, "missing_facts");
            if (!missing || n >= size) continue;
            char m[300];
            dr_expect_show(missing, m, sizeof m);
            n += (size_t)snprintf(out + n, size - n, "\n    rule %s (%s) had no %s as of %s", json_string_value(json_object_get(e, "rule")),
                                  json_string_value(json_object_get(e, "at")), m, json_string_value(json_object_get(got, "as_of")));
        }
        if (!n) snprintf(out, size, "\n    every rule was tried and none held (docrules check --explain shows each condition)");
    }
}

/* --run: a glob (with * ? [) or else a part of the name. */
static int selected(const char *pattern, const char *name) {
    if (!pattern) return 1;
    if (strpbrk(pattern, "*?[")) return fnmatch(pattern, name, 0) == 0;
    return strstr(name, pattern) != NULL;
}

int dr_cmd_test(int argc, char **argv) {
    dr_qopts o = {.takes = DR_QOPTS_DECIDES};
    const char *paths[64], *run = NULL, *format = "text", *lcov_out = NULL;
    size_t npaths = 0;
    int coverage = 0, verbose = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--coverage") == 0) {
            coverage = 1;
            continue;
        }
        if (strcmp(argv[i], "--coverage-out") == 0) {
            if (i + 1 >= argc) return dr_cli_usage("test", "--coverage-out needs a file");
            lcov_out = argv[++i];
            coverage = 1;
            continue;
        }
        if (strcmp(argv[i], "-v") == 0 || strcmp(argv[i], "--verbose") == 0) {
            verbose = 1;
            continue;
        }
        if (strcmp(argv[i], "--run") == 0) {
            if (i + 1 >= argc) return dr_cli_usage("test", "--run needs a pattern");
            run = argv[++i];
            continue;
        }
        /* test has its own formats: the common --format is text|json only. */
        if (strcmp(argv[i], "--format") == 0) {
            if (i + 1 >= argc) return dr_cli_usage("test", "--format needs a value");
            format = argv[++i];
            if (strcmp(format, "text") && strcmp(format, "json") && strcmp(format, "junit"))
                return dr_cli_usage("test", "--format is text, json or junit, not '%s'", format);
            continue;
        }
        int t = dr_qopts_take("test", &o, argc, argv, &i);
        if (t < 0) return DR_EXIT_USAGE;
        if (t) continue;
        if (argv[i][0] == '-' && argv[i][1]) return dr_cli_usage("test", "unknown option '%s'", argv[i]);
        if (npaths == sizeof paths / sizeof *paths) return dr_cli_usage("test", "at most 64 files or folders of cases");
        paths[npaths++] = argv[i];
    }
    if (dr_qopts_finish("test", &o)) return DR_EXIT_USAGE;
    char defdir[4200];
    if (!npaths) {
        snprintf(defdir, sizeof defdir, "%s/tests", o.rules);
        paths[npaths++] = defdir;
    }
    /* `docrules test rules` means the rules' cases: the policies themselves,
     * loaded again as cases, would each be "already declared". */
    char rules_real[PATH_MAX], path_real[PATH_MAX];
    if (realpath(o.rules, rules_real))
        for (size_t p = 0; p < npaths; p++)
            if (realpath(paths[p], path_real) && strcmp(path_real, rules_real) == 0) {
                snprintf(defdir, sizeof defdir, "%s/tests", o.rules);
                paths[p] = defdir;
            }
    docrules_ruleset *rs = dr_qopts_open(&o);
    docrules_engine *e = rs ? dr_qopts_engine("test", &o, rs) : NULL;
    if (!e) {
        docrules_ruleset_free(rs);
        return DR_EXIT_USAGE;
    }
    size_t n = 0;
    docrules_error err;
    for (size_t p = 0; p < npaths; p++) {
        if (docrules_cases_load(e, paths[p], &n, &err) < 0) {
            dr_cli_api_error(&err);
            docrules_engine_free(e);
            docrules_ruleset_free(rs);
            return DR_EXIT_USAGE;
        }
    }
    int text = strcmp(format, "text") == 0;
    json_t *results = json_array();
    size_t passed = 0, failed = 0;
    for (size_t i = 0; i < n; i++) {
        docrules_case c;
        if (docrules_case_get(&c, e, i, &err) < 0) continue;
        const char *name = c.name ? c.name : "case";
        if (!selected(run, name)) {
            docrules_case_dispose(&c);
            continue;
        }
        /* The case is judged on the decision check and batch make: under
         * --explain a condition reads the account through watching
         * proxies (rawget on them differs) at a higher instruction cost,
         * so a traced verdict may not be the one users get. The traced
         * decision is made beside it only when it is wanted: for the
         * coverage, and for the facts a no_rule lacked when the case
         * fails. */
        docrules_query q = dr_qopts_query(&o);
        q.as_of = c.as_of ? c.as_of : o.as_of;
        q.locale = c.locale ? c.locale : o.locale;
        q.fields = NULL;
        docrules_query traced = q;
        traced.explain = 1;
        traced.coverage = 1;
        docrules_buf json = DOCRULES_BUF_INIT, tjson = DOCRULES_BUF_INIT;
        char diff[2048] = "", because[1200] = "";
        if (docrules_decide(&json, e, c.account.ptr, c.account.size, &q, &err) < 0) {
            snprintf(diff, sizeof diff, "the account is invalid: %s", err.message);
        } else {
            json_t *got = json_loads(json.ptr, 0, NULL), *want = json_loads(c.expect.ptr, 0, NULL);
            int differ = dr_expect_differ(want, got, "", diff, sizeof diff);
            if ((coverage || differ) &&
                docrules_decide(&tjson, e, c.account.ptr, c.account.size, &traced, &err) == DOCRULES_OK && differ) {
                /* (said from the traced one when it decided alike) */
                json_t *t = json_loads(tjson.ptr, 0, NULL);
                const char *a = json_string_value(json_object_get(got, "decision"));
                const char *b = json_string_value(json_object_get(t, "decision"));
                why(a && b && strcmp(a, b) == 0 ? t : got, because, sizeof because);
                json_decref(t);
            }
            json_decref(got);
            json_decref(want);
        }
        docrules_buf_dispose(&tjson);
        if (diff[0]) failed++;
        else passed++;
        if (text && diff[0]) printf("%s:%d: %s: %s%s\n", c.file ? c.file : "?", c.line, name, diff, because);
        else if (text && verbose) printf("%s:%d: %s: ok\n", c.file ? c.file : "?", c.line, name);
        char full[3300];
        snprintf(full, sizeof full, "%s%s", diff, because);
        json_array_append_new(results, json_pack("{s:s, s:s, s:i, s:s, s:s*}", "name", name, "file", c.file ? c.file : "?",
                                                 "line", c.line, "status", diff[0] ? "failed" : "passed", "message",
                                                 diff[0] ? full : NULL));
        docrules_buf_dispose(&json);
        docrules_case_dispose(&c);
    }
    int status = failed ? DR_EXIT_FINDINGS : DR_EXIT_OK;
    if (passed + failed == 0) {
        /* A run that tested nothing is not a pass. */
        dr_cli_error("no test cases%s%s%s", run ? " match --run '" : "", run ? run : "", run ? "'" : "");
        status = DR_EXIT_FINDINGS;
    }
    if (strcmp(format, "json") == 0) {
        json_dumpf(results, stdout, JSON_INDENT(2));
        fputc('\n', stdout);
    } else if (strcmp(format, "junit") == 0) {
        size_t nr = json_array_size(results);
        dr_junit_case *cases = dr_xcalloc(nr ? nr : 1, sizeof *cases);
        for (size_t i = 0; i < nr; i++) {
            json_t *x = json_array_get(results, i);
            const char *m = json_string_value(json_object_get(x, "message"));
            cases[i] = (dr_junit_case){json_string_value(json_object_get(x, "file")), json_string_value(json_object_get(x, "name")),
                                       m ? "the decision differs" : NULL, "failed", m};
        }
        if (dr_junit_write(stdout, "docrules test", cases, nr, 0) != 0) {
            dr_cli_error("the JUnit report could not be written: %s", dr_libxml_error() ? dr_libxml_error() : "a write failed, or memory ran out");
            status = DR_EXIT_USAGE;
        }
        free(cases);
    }
    json_decref(results);
    if (coverage) {
        FILE *lcov = NULL;
        if (lcov_out && !(lcov = fopen(lcov_out, "w"))) {
            dr_cli_error("%s: cannot write: %s", lcov_out, strerror(errno));
            status = DR_EXIT_USAGE;
        }
        docrules_coverage st;
        docrules_buf missed = DOCRULES_BUF_INIT;
        if (docrules_coverage_get(&st, &missed, lcov, e, &err) == DOCRULES_OK) {
            for (char *line = missed.ptr, *end; line && *line; line = end + 1) {
                end = strchr(line, '\n');
                fprintf(text ? stdout : stderr, "coverage: %.*s\n", (int)(end - line), line);
            }
            if (!missed.size)
                fprintf(text ? stdout : stderr, "coverage: every rule decided and every condition was both true and false\n");
            size_t all = st.rules + st.branches, hit = st.rules_hit + st.branches_hit;
            fprintf(text ? stdout : stderr,
                    "coverage: %.1f%% (%zu of %zu rules decided, %zu of %zu condition outcomes seen)%s%s\n",
                    all ? 100.0 * (double)hit / (double)all : 100.0, st.rules_hit, st.rules, st.branches_hit, st.branches,
                    lcov ? "; lcov in " : "", lcov ? lcov_out : "");
        }
        docrules_buf_dispose(&missed);
        if (lcov && fclose(lcov) != 0) {
            dr_cli_error("%s: cannot write: %s", lcov_out, strerror(errno));
            status = DR_EXIT_USAGE;
        }
    }
    fprintf(text ? stdout : stderr, "%zu passed, %zu failed\n", passed, failed);
    docrules_engine_free(e);
    docrules_ruleset_free(rs);
    return status;
}
