/* A root engine from a bundle read back (bundle/read.c): the scripts
 * loaded from their text as from files, the catalog they declare (its
 * patterns kept as text, not compiled: no doc will be read), the lexicons'
 * languages, and the facts with the docs they cite; then the revision made
 * again from those parts, which must be the one the bundle says. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/alloc.h"
#include "../common/arena.h"
#include "../engine/internal.h"
#include "bundle.h"

static int corrupted(const dr_bundle *b, dr_error *err, const char *what, const char *name) {
    return dr_error_set(err, DR_EPARSE, b->name, 0, 0, "corrupted: %s%s%s", what, name ? " " : "", name ? name : "");
}

/* The facts and docs, as a factset over the catalog the scripts made. */
static int restore_facts(dr_engine *e, const dr_bundle *b, dr_error *err) {
    const dr_catalog *cat = e->cat;
    dr_arena *a = dr_arena_new(0);
    int *article = dr_arena_calloc(a, b->ndocs + 1, sizeof *article);
    int *refs = dr_arena_calloc(a, b->ndocs + 1, sizeof *refs);
    int *fact_of = dr_arena_calloc(a, b->nfact_names + 1, sizeof *fact_of);
    int *article_of = dr_arena_calloc(a, b->narticles + 1, sizeof *article_of);
    dr_doc **docs = dr_arena_calloc(a, b->ndocs + 1, sizeof *docs);
    dr_fact *facts = dr_arena_calloc(a, b->nfacts + 1, sizeof *facts);
    int rc = DR_OK;
    /* By name: the bundle's articles and facts are those its scripts declare. */
    for (size_t i = 0; rc == DR_OK && i < b->narticles; i++) {
        article_of[i] = dr_catalog_article_index(cat, b->articles[i]);
        if (article_of[i] < 0) rc = corrupted(b, err, "its rules declare no article", b->articles[i]);
    }
    for (size_t i = 0; rc == DR_OK && i < b->nfact_names; i++)
        if ((fact_of[i] = dr_catalog_fact_index(cat, b->fact_names[i])) < 0)
            rc = corrupted(b, err, "its rules declare no fact", b->fact_names[i]);
    for (size_t i = 0; rc == DR_OK && i < b->ndocs; i++) {
        const dr_bundle_doc *d = &b->docs[i];
        dr_doc_parts parts = {d->path, d->locale, d->date, d->asset, d->bilingual,
                              b->sections + d->first_section, d->nsections, b->units + d->first_unit, d->nunits};
        docs[i] = dr_doc_restore(a, &parts);
        article[i] = d->article >= 0 ? article_of[d->article] : -1;
        refs[i] = d->ref;
    }
    for (size_t j = 0; rc == DR_OK && j < b->nfacts; j++) {
        const dr_bundle_fact *f = &b->facts[j];
        dr_fact *x = &facts[j];
        x->fact = fact_of[f->fact];
        if (dr_catalog_fact_kind(cat, x->fact) == DR_FACT_SET && !f->key) {
            rc = corrupted(b, err, "a set fact without its value:", b->fact_names[f->fact]);
            break;
        }
        x->value = f->value;
        x->key = f->key;
        x->doc = docs[f->doc];
        x->line = f->line;
        x->col = f->col;
        x->section = f->section;
        x->from_source = f->from_source;
        x->text = f->text;
        x->how = f->how;
        x->ref = f->ref;
        x->bound = f->bound;
        x->via = f->via;
    }
    if (rc != DR_OK) {
        dr_arena_free(a);
        return rc;
    }
    dr_factset_parts p = {docs, article, refs, b->ndocs, b->docs_read, facts, b->nfacts,
                          b->locales, b->nlocales, b->docs_hash};
    e->fs = dr_factset_restore(cat, a, &p);
    return DR_OK;
}

int dr_engine_load_bundle(dr_engine *e, dr_error *err) {
    const dr_bundle *b = e->bundle;
    free(e->rules_dir);
    e->rules_dir = dr_xstrdup(b->rules_dir);
    e->sources = b->scripts;
    e->nsources = b->nscripts;
    int rc = dr_state_open(e, err);
    if (rc == DR_OK) rc = dr_state_load_sources(e, b->scripts, b->nscripts, err);
    if (rc == DR_OK) rc = dr_catalog_from_decl(e, &e->cat, err);
    for (size_t i = 0; rc == DR_OK && i < b->nlexicons; i++) {
        int lex;
        rc = dr_catalog_add_lexicon(e->cat, b->lexicons[i].lang, b->lexicons[i].file, b->lexicons[i].line, &lex, err);
    }
    if (rc != DR_OK) return rc;
    if (b->has_lexicons) dr_engine_add_lexicon_hash(e, b->lexicon_hash);
    dr_engine_set_revision(e, b->docs_hash);
    /* The scripts are those the revision was made of, or the file lies. */
    if (strcmp(e->revision, b->revision) != 0) return corrupted(b, err, "its scripts are not those of its revision", NULL);
    return restore_facts(e, b, err);
}
