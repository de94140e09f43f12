/* docrules facts: every fact the declared patterns find in the corpus, or
 * with --as-of/--locale those the rules would read that day. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/alloc.h"
#include "cli.h"
#include "query.h"

int dr_cmd_facts(int argc, char **argv) {
    dr_qopts o = {0};
    for (int i = 1; i < argc; i++) {
        int t = dr_qopts_take("facts", &o, argc, argv, &i);
        if (t < 0) return DR_EXIT_USAGE;
        if (!t) return dr_cli_usage("facts", "unknown argument '%s'", argv[i]);
    }
    if (dr_qopts_finish("facts", &o)) return DR_EXIT_USAGE;
    dr_engine *e = dr_qopts_engine("facts", &o);
    if (!e) return DR_EXIT_USAGE;
    const dr_catalog *cat = dr_engine_catalog(e);
    const dr_factset *fs = dr_engine_factset(e);
    size_t n;
    const dr_fact *f = dr_factset_facts(fs, &n);
    /* --as-of or --locale: only the facts the rules would read then, in
     * that language (the version in force, best language first). */
    unsigned char *keep = NULL;
    if (o.as_of || o.locale) {
        keep = dr_xmalloc(n ? n : 1);
        dr_engine_facts_in_force(e, o.as_of ? o.as_of : dr_engine_today(e), o.locale, keep);
    }
    json_t *all = json_array();
    int text = strcmp(o.format, "text") == 0;
    if (text) printf("%-38s %-8s %-24s %-7s %-10s %-7s %s\n", "FACT", "VALUE", "ARTICLE", "LOCALE", "VERSION", "HOW", "WHERE");
    for (size_t i = 0; i < n; i++) {
        if (keep && !keep[i]) continue;
        const dr_doc *d = f[i].doc;
        dr_fact_kind k = dr_catalog_fact_kind(cat, f[i].fact);
        char value[64];
        if (k == DR_FACT_NUMBER) snprintf(value, sizeof value, "%ld", f[i].value);
        else if (k == DR_FACT_SET) snprintf(value, sizeof value, "%s", f[i].key);
        else snprintf(value, sizeof value, "yes");
        size_t ns;
        const dr_section *s = dr_doc_sections(d, &ns);
        const char *anchor = f[i].section >= 0 && (size_t)f[i].section < ns ? s[f[i].section].anchor : "";
        const char *loc = dr_doc_locale(d) ? dr_doc_locale(d) : "";
        if (text) {
            printf("%-38s %-8s %-24s %-7s %-10s %-7s %s:%d\n", dr_catalog_fact_name(cat, f[i].fact), value,
                   dr_catalog_fact_article(cat, f[i].fact), f[i].from_source ? "en(src)" : loc,
                   dr_doc_date(d) ? dr_doc_date(d) : "-", f[i].how == DR_HOW_ALIGNED ? "aligned" : "pattern",
                   dr_doc_path(d), f[i].line);
            continue;
        }
        json_t *j = json_object();
        json_object_set_new(j, "fact", json_string(dr_catalog_fact_name(cat, f[i].fact)));
        json_object_set_new(j, "type", json_string(dr_catalog_fact_type(cat, f[i].fact)));
        if (k == DR_FACT_NUMBER) json_object_set_new(j, "value", json_integer(f[i].value));
        else if (k == DR_FACT_SET) json_object_set_new(j, "value", json_string(f[i].key));
        else json_object_set_new(j, "value", json_true());
        if (k == DR_FACT_NUMBER) json_object_set_new(j, "unit", json_string(dr_catalog_fact_type(cat, f[i].fact)));
        json_object_set_new(j, "article", json_string(dr_catalog_fact_article(cat, f[i].fact)));
        json_object_set_new(j, "doc", json_string(dr_doc_path(d)));
        json_object_set_new(j, "line", json_integer(f[i].line));
        if (anchor[0]) json_object_set_new(j, "anchor", json_string(anchor));
        if (dr_doc_locale(d)) json_object_set_new(j, "locale", json_string(loc));
        if (f[i].from_source) json_object_set_new(j, "from_source_text", json_true());
        if (dr_doc_date(d)) json_object_set_new(j, "date", json_string(dr_doc_date(d)));
        if (dr_doc_asset(d)) json_object_set_new(j, "asset", json_string(dr_doc_asset(d)));
        json_object_set_new(j, "text", json_string(f[i].text));
        /* How it was found: the author's pattern, or read through the doc
         * this one was aligned to (which fact there, and what was read). */
        json_object_set_new(j, "how", json_string(f[i].how == DR_HOW_ALIGNED ? "aligned" : "pattern"));
        if (f[i].how == DR_HOW_ALIGNED) {
            const dr_fact *r = &f[f[i].ref];
            char at[4200];
            snprintf(at, sizeof at, "%s:%d", dr_doc_path(r->doc), r->line);
            json_object_set_new(j, "aligned_to", json_string(at));
            if (f[i].via) json_object_set_new(j, "read", json_string(f[i].via));
        }
        if (dr_bound_name(f[i].bound)) json_object_set_new(j, "bound", json_string(dr_bound_name(f[i].bound)));
        json_array_append_new(all, j);
    }
    if (!text) {
        json_dumpf(all, stdout, JSON_INDENT(2));
        fputc('\n', stdout);
    }
    json_decref(all);
    free(keep);
    dr_engine_free(e);
    return DR_EXIT_OK;
}
