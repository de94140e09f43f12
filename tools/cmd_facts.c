/* docrules facts: every fact the declared patterns find in the corpus, or
 * with --as-of/--locale those the rules would read that day. The library
 * gives them as JSON (docrules_facts); the text form is a table of it. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "query.h"

/* One fact as a line of the table. */
static void print_row(json_t *f) {
    const json_t *v = json_object_get(f, "value");
    char value[64];
    if (json_is_integer(v)) snprintf(value, sizeof value, "%lld", (long long)json_integer_value(v));
    else if (json_is_string(v)) snprintf(value, sizeof value, "%s", json_string_value(v));
    else snprintf(value, sizeof value, "yes");
    const char *loc = json_string_value(json_object_get(f, "locale")), *date = json_string_value(json_object_get(f, "date"));
    printf("%-38s %-8s %-24s %-7s %-10s %-7s %s:%lld\n", json_string_value(json_object_get(f, "fact")), value,
           json_string_value(json_object_get(f, "article")),
           json_is_true(json_object_get(f, "from_source_text")) ? "en(src)" : loc ? loc : "", date ? date : "-",
           json_string_value(json_object_get(f, "how")), json_string_value(json_object_get(f, "doc")),
           (long long)json_integer_value(json_object_get(f, "line")));
}

int dr_cmd_facts(int argc, char **argv) {
    dr_qopts o = {.takes = DR_QOPTS_TEXT};
    for (int i = 1; i < argc; i++) {
        int t = dr_qopts_take("facts", &o, argc, argv, &i);
        if (t < 0) return DR_EXIT_USAGE;
        if (!t) return dr_cli_usage("facts", "unknown argument '%s'", argv[i]);
    }
    if (dr_qopts_finish("facts", &o)) return DR_EXIT_USAGE;
    docrules_ruleset *rs = dr_qopts_open(&o);
    docrules_engine *e = rs ? dr_qopts_engine("facts", &o, rs) : NULL;
    if (!e) {
        docrules_ruleset_free(rs);
        return DR_EXIT_USAGE;
    }
    docrules_facts_options fo = DOCRULES_FACTS_OPTIONS_INIT;
    fo.as_of = o.as_of;
    fo.locale = o.locale;
    docrules_buf out = DOCRULES_BUF_INIT;
    docrules_error err;
    int rc = docrules_facts(&out, e, &fo, &err);
    docrules_engine_free(e);
    docrules_ruleset_free(rs);
    json_t *all = rc < 0 ? NULL : json_loads(out.ptr, 0, NULL);
    docrules_buf_dispose(&out);
    if (!all) {
        if (rc < 0) dr_cli_api_error(&err);
        else dr_cli_error("facts: the library's answer is not JSON");
        return DR_EXIT_USAGE;
    }
    if (strcmp(o.format, "text") == 0) {
        printf("%-38s %-8s %-24s %-7s %-10s %-7s %s\n", "FACT", "VALUE", "ARTICLE", "LOCALE", "VERSION", "HOW", "WHERE");
        for (size_t i = 0; i < json_array_size(all); i++) print_row(json_array_get(all, i));
    } else {
        json_dumpf(all, stdout, JSON_INDENT(2));
        fputc('\n', stdout);
    }
    json_decref(all);
    return DR_EXIT_OK;
}
