/* docrules test [DIR]: the table-driven cases policy authors write
 * (the case { name, account, expect } scripts under rules/tests). Each expected field
 * must match the decision; objects match on the fields given, lists item
 * by item, and "<absent>" asks that a field not be there. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "query.h"

static void show(json_t *j, char *buf, size_t size) {
    if (!j) {
        snprintf(buf, size, "absent");
        return;
    }
    char *s = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
    snprintf(buf, size, "%s", s ? s : "?");
    free(s);
}

/* The first difference between what a case expects and what it got, as
 * "path: expected X, got Y"; NULL when none. */
static int differ(json_t *want, json_t *got, const char *path, char *out, size_t size) {
    char w[512], g[512];
    if (json_is_string(want) && strcmp(json_string_value(want), "<absent>") == 0) {
        if (!got) return 0;
        show(got, g, sizeof g);
        snprintf(out, size, "%s: expected absent, got %s", path, g);
        return 1;
    }
    if (!got) {
        show(want, w, sizeof w);
        snprintf(out, size, "%s: expected %s, got nothing", path, w);
        return 1;
    }
    if (json_is_object(want)) {
        if (!json_is_object(got)) goto mismatch;
        const char *k;
        json_t *v;
        json_object_foreach(want, k, v) {
            char sub[512];
            snprintf(sub, sizeof sub, "%s%s%s", path, *path ? "." : "", k);
            if (differ(v, json_object_get(got, k), sub, out, size)) return 1;
        }
        return 0;
    }
    if (json_is_array(want)) {
        if (!json_is_array(got) || json_array_size(got) != json_array_size(want)) goto mismatch;
        for (size_t i = 0; i < json_array_size(want); i++) {
            char sub[512];
            snprintf(sub, sizeof sub, "%s[%zu]", path, i + 1);
            if (differ(json_array_get(want, i), json_array_get(got, i), sub, out, size)) return 1;
        }
        return 0;
    }
    if (json_is_number(want) && json_is_number(got) && json_number_value(want) == json_number_value(got))
        return 0;
    if (json_equal(want, got)) return 0;
mismatch:
    show(want, w, sizeof w);
    show(got, g, sizeof g);
    snprintf(out, size, "%s: expected %s, got %s", *path ? path : "decision", w, g);
    return 1;
}

int dr_cmd_test(int argc, char **argv) {
    dr_qopts o = {0};
    const char *dir = NULL;
    int coverage = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--coverage") == 0) {
            coverage = 1;
            continue;
        }
        int t = dr_qopts_take("test", &o, argc, argv, &i);
        if (t < 0) return DR_EXIT_USAGE;
        if (t) continue;
        if (argv[i][0] == '-' && argv[i][1]) return dr_cli_usage("test", "unknown option '%s'", argv[i]);
        if (dir) return dr_cli_usage("test", "one folder of cases at a time");
        dir = argv[i];
    }
    if (dr_qopts_finish("test", &o)) return DR_EXIT_USAGE;
    char defdir[4200];
    if (!dir) {
        snprintf(defdir, sizeof defdir, "%s/tests", o.rules);
        dir = defdir;
    }
    dr_engine *e = dr_qopts_engine(&o);
    if (!e) return DR_EXIT_USAGE;
    size_t n;
    dr_error err;
    dr_error_clear(&err);
    if (dr_engine_load_cases(e, dir, &n, &err) != DR_OK) {
        char b[1600];
        dr_cli_error("%s", dr_error_format(&err, b, sizeof b));
        dr_engine_free(e);
        return DR_EXIT_USAGE;
    }
    size_t passed = 0, failed = 0;
    for (size_t i = 0; i < n; i++) {
        dr_case c;
        dr_engine_case(e, i, &c);
        dr_query q = {o.action, c.as_of ? c.as_of : o.as_of, c.locale ? c.locale : o.locale, 0, 1, NULL, o.strict};
        char *json = NULL;
        char diff[2048] = "";
        dr_error_clear(&err);
        if (dr_engine_decide(e, c.account, strlen(c.account), &q, &json, &err) != DR_OK) {
            snprintf(diff, sizeof diff, "the account is invalid: %s", err.message);
        } else {
            json_t *got = json_loads(json, 0, NULL), *want = json_loads(c.expect, 0, NULL);
            differ(want, got, "", diff, sizeof diff);
            json_decref(got);
            json_decref(want);
        }
        if (diff[0]) {
            printf("%s:%d: %s: %s\n", c.file ? c.file : "?", c.line, c.name ? c.name : "case", diff);
            failed++;
        } else {
            passed++;
        }
        free(json);
        free(c.account);
        free(c.expect);
    }
    if (coverage) {
        char **lines;
        size_t k;
        if (dr_engine_coverage(e, &lines, &k) == DR_OK) {
            for (size_t i = 0; i < k; i++) {
                printf("coverage: %s\n", lines[i]);
                free(lines[i]);
            }
            if (!k) printf("coverage: every rule decided and every condition was both true and false\n");
            free(lines);
        }
    }
    printf("%zu passed, %zu failed\n", passed, failed);
    dr_engine_free(e);
    return failed ? DR_EXIT_FINDINGS : DR_EXIT_OK;
}
