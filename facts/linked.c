/* Terms a language's own docs teach, through their links.
 *
 * A set fact (who can cancel, what is switched off) is read in a
 * translation by the language's words for its values, which a lexicon
 * gives for fourteen languages; the docs ship in forty. Link targets
 * survive translation where words do not: where the English names a value
 * as the text of a link,
 *
 *   Only an Azure subscription [Account Administrator](billing-subscription-transfer.md#whoisaa) can cancel
 *
 * a translation links the same target from its own words for it,
 *
 *   您可以用[帳戶管理員](billing-subscription-transfer.md#whoisaa)身分取消您的 Azure 訂用帳戶
 *
 * So before any doc is read, each value an English pattern found inside a
 * link's text (the match most of that text: the link is the term, not a
 * sentence around it) teaches, for every translation of the article that
 * links the same target, that link's text as the term for that value in
 * the translation's language. A term learned in one doc reads the others
 * of its language (the 2016 zh-TW article says 帳戶管理員 with no link).
 * A text learned for two values of one fact is no term for either.
 *
 * What is learned is used only where a lexicon has no term for the fact,
 * and more carefully than a lexicon's (align.c, read_set): a set is read
 * with learned terms only when every value the reference states has one
 * and the unit holds them all. */
#include <string.h>
#include <strings.h>

#include "internal.h"

/* The English pattern of a set's value, or NULL. */
static const cat_pattern *english_of(const dr_catalog *c, int fact, const char *key) {
    for (size_t i = 0; i < c->patterns.n; i++) {
        const cat_pattern *p = &c->patterns.v[i];
        if (p->fact == fact && p->key && strcmp(p->key, key) == 0 && strcmp(p->lang, "en") == 0) return p;
    }
    return NULL;
}

/* A doc English patterns read on its own (not a bilingual doc, whose
 * links are the translation's). */
static int is_english(const dr_doc *d) {
    const char *l = dr_doc_locale(d);
    return l && strncasecmp(l, "en", 2) == 0 && (l[2] == '\0' || l[2] == '-');
}

/* How many links of d go to href. */
static size_t links_to(const dr_doc *d, const char *href) {
    size_t nl, n = 0;
    const dr_link *l = dr_doc_links(d, &nl);
    for (size_t k = 0; k < nl; k++) n += l[k].href && strcmp(l[k].href, href) == 0;
    return n;
}

/* The link of d on f's line whose text holds f's match, the value's
 * English pattern matching most of that text, and the doc's only link to
 * its target (two would say nothing of which a translation's is); NULL
 * when none. */
static const dr_link *link_of(const dr_catalog *c, const dr_doc *d, const dr_fact *f, pcre2_match_data *md) {
    const cat_pattern *p = english_of(c, f->fact, f->key);
    if (!p || !p->code || !f->text) return NULL;
    size_t nl;
    const dr_link *l = dr_doc_links(d, &nl);
    for (size_t k = 0; k < nl; k++) {
        if (l[k].line != f->line || !l[k].href || !l[k].href[0] || l[k].href[0] == '#' || !l[k].text) continue;
        size_t len = strlen(l[k].text);
        const char *in = len ? strstr(f->text, l[k].text) : NULL;
        if (!in) continue;
        size_t from = (size_t)(in - f->text);
        if (f->offset < from || f->offset >= from + len) continue;
        size_t at, end;
        if (!dr_lexicon_find(c, p->code, l[k].text, 0, len, &at, &end, md)) continue;
        /* "Account Administrator", not "assign another user as a
         * subscription administrator". */
        if ((end - at) * 5 >= len * 3 && links_to(d, l[k].href) == 1) return &l[k];
    }
    return NULL;
}

/* Adds (locale, fact, key, text) unless there; the same text for another
 * value of the fact makes both no term. */
static int learn(dr_learned_vec *out, dr_arena *a, const dr_doc *t, const dr_link *l, const dr_fact *f,
                 const dr_doc *from) {
    const char *locale = dr_doc_locale(t);
    int clash = 0;
    for (size_t i = 0; i < out->n; i++) {
        dr_learned *x = &out->v[i];
        if (x->fact != f->fact || strcasecmp(x->locale, locale) != 0 || strcasecmp(x->text, l->text) != 0) continue;
        if (strcmp(x->key, f->key) == 0) return 0;
        x->ambiguous = 1;
        clash = 1;
    }
    int code;
    PCRE2_SIZE off;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)l->text, PCRE2_ZERO_TERMINATED,
                                   PCRE2_LITERAL | PCRE2_UTF | PCRE2_CASELESS | PCRE2_MATCH_INVALID_UTF, &code,
                                   &off, NULL);
    if (!re) return 0; /* not UTF-8: nothing a unit's text could match */
    dr_learned *x = DR_VEC_PUSH(a, *out);
    *x = (dr_learned){locale, f->fact, f->key, l->text, l->href,
                      dr_arena_printf(a, "%s:%d", dr_doc_path(t), l->line), from, re, clash};
    return 1;
}

/* A value an English link names, looked for in the translations once. */
typedef struct taught {
    long article;
    int fact;
    const char *key, *href;
} taught;

void dr_learn_linked_terms(const dr_catalog *c, dr_doc *const *docs, const int *article, size_t ndocs,
                           const dr_fact *facts, size_t nfacts, dr_arena *a, pcre2_match_data *md,
                           dr_learned_vec *out) {
    DR_VEC(taught) seen = {0};
    for (size_t i = 0; i < nfacts; i++) {
        const dr_fact *f = &facts[i];
        if (f->how != DR_HOW_PATTERN || f->from_source || !f->key || c->facts.v[f->fact].kind != DR_FACT_SET ||
            !is_english(f->doc))
            continue;
        const dr_link *l = link_of(c, f->doc, f, md);
        if (!l) continue;
        long art = -1;
        for (size_t d = 0; d < ndocs && art < 0; d++)
            if (docs[d] == f->doc) art = article[d];
        if (art < 0) continue;
        /* Every English version links the same target for the same
         * value: the translations are looked through once for each. */
        int done = 0;
        for (size_t k = 0; k < seen.n && !done; k++)
            done = seen.v[k].article == art && seen.v[k].fact == f->fact && strcmp(seen.v[k].key, f->key) == 0 &&
                   strcmp(seen.v[k].href, l->href) == 0;
        if (done) continue;
        *DR_VEC_PUSH(a, seen) = (taught){art, f->fact, f->key, l->href};
        for (size_t t = 0; t < ndocs; t++) {
            size_t nseg;
            dr_doc_segments(docs[t], &nseg);
            if (article[t] != art || is_english(docs[t]) || nseg || !dr_doc_locale(docs[t]) ||
                links_to(docs[t], l->href) != 1)
                continue;
            size_t nl;
            const dr_link *tl = dr_doc_links(docs[t], &nl);
            for (size_t k = 0; k < nl; k++)
                /* (a letter or two is no term: a CJK one is three bytes) */
                if (tl[k].href && tl[k].text && strlen(tl[k].text) >= 4 && strcmp(tl[k].href, l->href) == 0)
                    learn(out, a, docs[t], &tl[k], f, f->doc);
        }
    }
}

void dr_learned_free(dr_learned_vec *v) {
    for (size_t i = 0; i < v->n; i++) pcre2_code_free(v->v[i].code);
    v->n = 0;
}
