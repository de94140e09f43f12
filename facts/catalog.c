/* The declared facts and their patterns, compiled once with PCRE2's JIT. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../common/alloc.h"
#include "internal.h"

dr_catalog *dr_catalog_new(void) {
    dr_catalog *c = dr_xcalloc(1, sizeof *c);
    if (!c) return NULL;
    c->arena = dr_arena_new(0);
    c->mctx = dr_match_context_new();
    if (!c->arena || !c->mctx) {
        dr_catalog_free(c);
        return NULL;
    }
    return c;
}

void dr_catalog_reads_no_docs(dr_catalog *c) { c->no_docs = 1; }

void dr_catalog_free(dr_catalog *c) {
    if (!c) return;
    for (size_t i = 0; i < c->patterns.n; i++) pcre2_code_free(c->patterns.v[i].code);
    for (size_t i = 0; i < c->facts.n; i++)
        for (size_t k = 0; k < c->facts.v[i].nsections; k++) pcre2_code_free(c->facts.v[i].sections[k]);
    for (size_t i = 0; i < c->lexicons.n; i++) dr_lexicon_free(&c->lexicons.v[i]);
    pcre2_match_context_free(c->mctx);
    dr_arena_free(c->arena);
    free(c);
}

int dr_catalog_article_index(const dr_catalog *c, const char *id) {
    for (size_t i = 0; i < c->articles.n; i++)
        if (strcmp(c->articles.v[i].id, id) == 0) return (int)i;
    return -1;
}

int dr_catalog_add_article(dr_catalog *c, const char *id, const char *asset,
                           const char *const *anchors, size_t nanchors, const char *file,
                           int line, dr_error *err) {
    if (dr_catalog_article_index(c, id) >= 0)
        return dr_error_set(err, DR_EPARSE, file, line, 0, "article \"%s\" is declared twice", id);
    if (!asset && !nanchors)
        return dr_error_set(err, DR_EPARSE, file, line, 0,
                            "article \"%s\" needs an asset (ms.assetid) or anchors to find its docs",
                            id);
    cat_article *a = DR_VEC_PUSH(c->arena, c->articles);
    memset(a, 0, sizeof *a);
    a->id = dr_arena_strdup(c->arena, id);
    a->asset = asset ? dr_arena_strdup(c->arena, asset) : NULL;
    a->anchors = dr_arena_calloc(c->arena, nanchors ? nanchors : 1, sizeof *a->anchors);
    for (size_t i = 0; i < nanchors; i++) a->anchors[i] = dr_arena_strdup(c->arena, anchors[i]);
    a->nanchors = nanchors;
    return DR_OK;
}

static const struct {
    const char *type;
    dr_fact_kind kind;
} types[] = {
    {"count", DR_FACT_NUMBER},  {"days", DR_FACT_NUMBER}, {"minutes", DR_FACT_NUMBER},
    {"months", DR_FACT_NUMBER}, {"flag", DR_FACT_FLAG},   {"set", DR_FACT_SET},
    {"procedure", DR_FACT_PROCEDURE},
};

int dr_catalog_add_fact(dr_catalog *c, const char *name, const char *article, const char *type,
                        const char *file, int line, int *index, dr_error *err) {
    if (dr_catalog_fact_index(c, name) >= 0)
        return dr_error_set(err, DR_EPARSE, file, line, 0, "fact \"%s\" is declared twice", name);
    int ai = dr_catalog_article_index(c, article ? article : "");
    if (ai < 0)
        return dr_error_set(err, DR_EPARSE, file, line, 0,
                            "fact \"%s\" names article \"%s\", which is not declared", name,
                            article ? article : "");
    int kind = -1;
    for (size_t i = 0; i < sizeof types / sizeof *types; i++)
        if (type && strcmp(type, types[i].type) == 0) kind = (int)types[i].kind;
    if (kind < 0)
        return dr_error_set(err, DR_EPARSE, file, line, 0,
                            "fact \"%s\": type \"%s\" is not one of count, days, minutes, "
                            "months, flag, set, procedure",
                            name, type ? type : "");
    cat_fact *f = DR_VEC_PUSH(c->arena, c->facts);
    memset(f, 0, sizeof *f);
    f->name = dr_arena_strdup(c->arena, name);
    f->article = ai;
    f->type = dr_arena_strdup(c->arena, type);
    f->kind = (dr_fact_kind)kind;
    f->file = dr_arena_strdup(c->arena, file ? file : "");
    f->line = line;
    f->unit = -1;
    for (int u = 0; u < LX_NUNITS; u++)
        if (strcmp(type, dr_lexicon_units[u]) == 0) f->unit = u;
    *index = (int)c->facts.n - 1;
    return DR_OK;
}

int dr_catalog_set_unit(dr_catalog *c, int fact, const char *unit) {
    for (int u = 0; u < LX_NUNITS; u++)
        if (strcmp(unit, dr_lexicon_units[u]) == 0) {
            c->facts.v[fact].unit = u;
            return DR_OK;
        }
    return DR_EPARSE;
}

static const char **append(dr_arena *a, const char **v, size_t *n, const char *s) {
    const char **w = dr_arena_calloc(a, *n + 1, sizeof *w);
    if (*n) memcpy(w, v, *n * sizeof *w);
    w[(*n)++] = dr_arena_strdup(a, s);
    return w;
}

int dr_catalog_add_concept(dr_catalog *c, int fact, const char *term) {
    if (fact < 0 || (size_t)fact >= c->facts.n || !term || !term[0]) return DR_EUSAGE;
    cat_fact *f = &c->facts.v[fact];
    f->concepts = append(c->arena, f->concepts, &f->nconcepts, term);
    return DR_OK;
}

int dr_catalog_add_article_asset(dr_catalog *c, const char *article, const char *asset) {
    int ai = dr_catalog_article_index(c, article);
    if (ai < 0 || !asset || !asset[0]) return DR_EUSAGE;
    cat_article *a = &c->articles.v[ai];
    a->assets = append(c->arena, a->assets, &a->nassets, asset);
    return DR_OK;
}

int dr_catalog_add_article_source(dr_catalog *c, const char *article, const char *source) {
    int ai = dr_catalog_article_index(c, article);
    if (ai < 0 || !source || !source[0]) return DR_EUSAGE;
    cat_article *a = &c->articles.v[ai];
    a->sources = append(c->arena, a->sources, &a->nsources, source);
    return DR_OK;
}

/* regex compiled for fact (JIT-compiled when it can be) and checked: a
 * number's pattern captures it unless it gives a value. */
static int compile(dr_catalog *c, int fact, long value, const char *regex, const char *file, int line,
                   pcre2_code **out, dr_error *err) {
    int errcode;
    PCRE2_SIZE erroff;
    /* Docs are sanitized UTF-8, so the check is skipped on every match. */
    pcre2_code *code = pcre2_compile((PCRE2_SPTR)regex, PCRE2_ZERO_TERMINATED,
                                     PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS | PCRE2_MATCH_INVALID_UTF,
                                     &errcode, &erroff, NULL);
    if (!code) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(errcode, msg, sizeof msg);
        return dr_error_set(err, DR_EPARSE, file, line, 0,
                            "fact \"%s\": pattern /%s/ does not compile at offset %zu: %s",
                            c->facts.v[fact].name, regex, (size_t)erroff, (const char *)msg);
    }
    dr_regex_jit(code);
    const cat_fact *f = &c->facts.v[fact];
    if (f->kind == DR_FACT_NUMBER && !value) {
        uint32_t groups = 0;
        pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &groups);
        if (groups < 1) {
            pcre2_code_free(code);
            return dr_error_set(err, DR_EPARSE, file, line, 0,
                                "fact \"%s\" is a number: pattern /%s/ needs a (capture) for it, "
                                "or a value",
                                f->name, regex);
        }
    }
    *out = code;
    return DR_OK;
}

int dr_catalog_add_section(dr_catalog *c, int fact, const char *regex, const char *file, int line,
                           dr_error *err) {
    if (fact < 0 || (size_t)fact >= c->facts.n || !regex)
        return dr_error_set(err, DR_EUSAGE, file, line, 0, "no such fact");
    cat_fact *f = &c->facts.v[fact];
    if (f->kind != DR_FACT_SET && f->kind != DR_FACT_PROCEDURE)
        return dr_error_set(err, DR_EPARSE, file, line, 0,
                            "fact \"%s\": anchor = names the section of a procedure or of a set", f->name);
    /* Facts read from a bundle are found already: nothing to compile, but
     * the fact still has its sections (dr_catalog_fact_reads). */
    pcre2_code *code = NULL;
    if (!c->no_docs) {
        int rc = compile(c, fact, 0, regex, file, line, &code, err);
        if (rc != DR_OK) return rc;
    }
    pcre2_code **w = dr_arena_calloc(c->arena, f->nsections + 1, sizeof *w);
    if (f->nsections) memcpy(w, f->sections, f->nsections * sizeof *w);
    w[f->nsections++] = code;
    f->sections = w;
    return DR_OK;
}

/* The one place a section's anchor is matched against what a fact's
 * anchor = names: a procedure's steps are found there, a set is read
 * there (factset.c, align.c). which: the k-th regex only, or -1 any. */
int dr_catalog_section_names(const dr_catalog *c, int fact, int which, const char *anchor, pcre2_match_data *md) {
    const cat_fact *f = &c->facts.v[fact];
    if (!anchor || !anchor[0]) return 0;
    for (size_t k = 0; k < f->nsections; k++) {
        if (which >= 0 && (size_t)which != k) continue;
        if (f->sections[k] &&
            pcre2_match(f->sections[k], (PCRE2_SPTR)anchor, strlen(anchor), 0, PCRE2_NO_UTF_CHECK, md, c->mctx) > 0)
            return 1;
    }
    return 0;
}

int dr_catalog_add_pattern(dr_catalog *c, int fact, const char *lang, const char *key,
                           long value, const char *regex, const char *file, int line,
                           dr_error *err) {
    if (fact < 0 || (size_t)fact >= c->facts.n)
        return dr_error_set(err, DR_EUSAGE, file, line, 0, "no such fact");
    if (c->facts.v[fact].kind == DR_FACT_SET && !key)
        return dr_error_set(err, DR_EPARSE, file, line, 0,
                            "fact \"%s\" is a set: each pattern says which value it stands for",
                            c->facts.v[fact].name);
    pcre2_code *code = NULL;
    if (!c->no_docs) {
        int rc = compile(c, fact, value, regex, file, line, &code, err);
        if (rc != DR_OK) return rc;
    }
    cat_pattern *p = DR_VEC_PUSH(c->arena, c->patterns);
    p->fact = fact;
    p->lang = dr_arena_strdup(c->arena, lang ? lang : "*");
    p->key = key ? dr_arena_strdup(c->arena, key) : NULL;
    p->value = value;
    p->regex = dr_arena_strdup(c->arena, regex);
    p->code = code;
    return DR_OK;
}

size_t dr_catalog_lexicon_count(const dr_catalog *c) { return c->lexicons.n; }
const char *dr_catalog_lexicon_lang(const dr_catalog *c, size_t i) {
    return i < c->lexicons.n ? c->lexicons.v[i].lang : NULL;
}

const char *dr_catalog_lexicon_file(const dr_catalog *c, size_t i, int *line) {
    *line = i < c->lexicons.n ? c->lexicons.v[i].line : 0;
    return i < c->lexicons.n ? c->lexicons.v[i].file : NULL;
}

size_t dr_catalog_fact_count(const dr_catalog *c) { return c->facts.n; }
const char *dr_catalog_fact_name(const dr_catalog *c, int f) { return c->facts.v[f].name; }
const char *dr_catalog_fact_type(const dr_catalog *c, int f) { return c->facts.v[f].type; }
dr_fact_kind dr_catalog_fact_kind(const dr_catalog *c, int f) { return c->facts.v[f].kind; }
const char *dr_catalog_fact_article(const dr_catalog *c, int f) {
    return c->articles.v[c->facts.v[f].article].id;
}
int dr_catalog_fact_index(const dr_catalog *c, const char *name) {
    for (size_t i = 0; i < c->facts.n; i++)
        if (strcmp(c->facts.v[i].name, name) == 0) return (int)i;
    return -1;
}
size_t dr_catalog_article_count(const dr_catalog *c) { return c->articles.n; }
const char *dr_catalog_article_id(const dr_catalog *c, size_t i) { return c->articles.v[i].id; }


void *dr_match_data_new(void) { return pcre2_match_data_create(16, NULL); }

void *dr_match_context_new(void) {
    pcre2_match_context *m = pcre2_match_context_create(NULL);
    if (!m) return NULL;
    /* A pattern that backtracks catastrophically stops here, not in the
     * user's patience. */
    pcre2_set_match_limit(m, 1000000);
    pcre2_set_depth_limit(m, 10000);
    return m;
}

void dr_match_context_free(void *mctx) { pcre2_match_context_free(mctx); }
void dr_match_data_free(void *md) { pcre2_match_data_free(md); }

void dr_catalog_set_bound(dr_catalog *c, int fact, const char *quantity, int bound) {
    c->facts.v[fact].quantity = dr_arena_strdup(c->arena, quantity);
    c->facts.v[fact].bound = bound;
}

int dr_catalog_fact_bound(const dr_catalog *c, int fact, const char **quantity) {
    *quantity = c->facts.v[fact].quantity;
    return c->facts.v[fact].bound;
}

const char *dr_catalog_fact_file(const dr_catalog *c, int fact, int *line) {
    *line = c->facts.v[fact].line;
    return c->facts.v[fact].file;
}

int dr_catalog_fact_reads(const dr_catalog *c, int fact, const char *locale, int bilingual) {
    /* A procedure is found by its section's anchor, in any language. */
    if (c->facts.v[fact].kind == DR_FACT_PROCEDURE) return c->facts.v[fact].nsections > 0;
    for (size_t i = 0; i < c->patterns.n; i++) {
        const cat_pattern *p = &c->patterns.v[i];
        if (p->fact != fact) continue;
        if (dr_lang_covers(p->lang, locale)) return 1;
        if (bilingual && strcmp(p->lang, "en") == 0) return 1;
    }
    return 0;
}
