/* docrules_facts: what the docs state, as the rules read it, in JSON. */
#define DOCRULES_BUILDING
#include "../include/docrules.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/alloc.h"
#include "../engine/engine.h"
#include "internal.h"

/* One fact as a JSON object. */
static json_t *fact_json(const dr_catalog *cat, const dr_fact *all, const dr_fact *f) {
    const dr_doc *d = f->doc;
    dr_fact_kind k = dr_catalog_fact_kind(cat, f->fact);
    size_t ns;
    const dr_section *s = dr_doc_sections(d, &ns);
    const char *anchor = f->section >= 0 && (size_t)f->section < ns ? s[f->section].anchor : "";
    json_t *j = json_object();
    json_object_set_new(j, "fact", json_string(dr_catalog_fact_name(cat, f->fact)));
    json_object_set_new(j, "type", json_string(dr_catalog_fact_type(cat, f->fact)));
    if (k == DR_FACT_NUMBER) json_object_set_new(j, "value", json_integer(f->value));
    else if (k == DR_FACT_SET) json_object_set_new(j, "value", json_string(f->key));
    else json_object_set_new(j, "value", json_true());
    if (k == DR_FACT_NUMBER) json_object_set_new(j, "unit", json_string(dr_catalog_fact_type(cat, f->fact)));
    json_object_set_new(j, "article", json_string(dr_catalog_fact_article(cat, f->fact)));
    json_object_set_new(j, "doc", json_string(dr_doc_path(d)));
    json_object_set_new(j, "line", json_integer(f->line));
    if (anchor[0]) json_object_set_new(j, "anchor", json_string(anchor));
    if (dr_doc_locale(d)) json_object_set_new(j, "locale", json_string(dr_doc_locale(d)));
    if (f->from_source) json_object_set_new(j, "from_source_text", json_true());
    if (dr_doc_date(d)) json_object_set_new(j, "date", json_string(dr_doc_date(d)));
    if (dr_doc_asset(d)) json_object_set_new(j, "asset", json_string(dr_doc_asset(d)));
    json_object_set_new(j, "text", json_string(f->text));
    /* How it was found: the author's pattern, or read through the doc this
     * one was aligned to (which fact there, and what was read). */
    json_object_set_new(j, "how", json_string(f->how == DR_HOW_ALIGNED ? "aligned" : "pattern"));
    if (f->how == DR_HOW_ALIGNED) {
        const dr_fact *r = &all[f->ref];
        char at[4200];
        snprintf(at, sizeof at, "%s:%d", dr_doc_path(r->doc), r->line);
        json_object_set_new(j, "aligned_to", json_string(at));
        if (f->via) json_object_set_new(j, "read", json_string(f->via));
    }
    if (dr_bound_name(f->bound)) json_object_set_new(j, "bound", json_string(dr_bound_name(f->bound)));
    return j;
}

int docrules_facts(docrules_buf *out, docrules_engine *x, const docrules_facts_options *opts, docrules_error *err) {
    dr_api_clear(err);
    if (!out || !x) return dr_api_usage(err, "docrules_facts: out and the engine are required");
    if (opts && (opts->version < 1 || opts->version > DOCRULES_FACTS_OPTIONS_VERSION))
        return dr_api_usage(err, "docrules_facts: options of an unknown version (use DOCRULES_FACTS_OPTIONS_INIT)");
    dr_engine *e = dr_api_engine(x);
    const dr_catalog *cat = dr_engine_catalog(e);
    size_t n;
    const dr_fact *f = dr_factset_facts(dr_engine_factset(e), &n);
    /* A day or a language: only the facts the rules would read then, in
     * that language (the version in force, best language first). */
    unsigned char *keep = NULL;
    if (opts && (opts->as_of || opts->locale)) {
        keep = dr_xmalloc(n ? n : 1);
        dr_engine_facts_in_force(e, opts->as_of ? opts->as_of : dr_engine_today(e), opts->locale, keep);
    }
    json_t *all = json_array();
    for (size_t i = 0; i < n; i++)
        if (!keep || keep[i]) json_array_append_new(all, fact_json(cat, f, &f[i]));
    free(keep);
    char *s = json_dumps(all, JSON_COMPACT);
    json_decref(all);
    if (!s) return dr_api_no_memory(err);
    docrules_buf_put(out, s, strlen(s));
    free(s);
    return DOCRULES_OK;
}
