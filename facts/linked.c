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
 * So before any doc is read, each translation's link (its doc's only one
 * to that target) is compared with the English of its version that links
 * the same target, else the nearest version that does; where that English
 * link's text is a value's term (an English pattern matches most of it,
 * and it is that doc's only link there), the translation's text, about as
 * long, is that language's term for the value. A term learned in one doc
 * reads the others of its language (the 2016 zh-TW article says 帳戶管理員
 * with no link). Two texts that read each other are terms for neither.
 *
 * What is learned is used only where a lexicon has no term for the fact,
 * and it confirms, never contradicts (align.c, as_the_reference): a set
 * is read by learned terms only as the reference states it in that unit,
 * every value and no other, else it is a gap.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../common/dates.h"
#include "../common/lang.h"
#include "../common/utf8.h"
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
    return dr_lang_covers("en", l);
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

/* Whether a translation's link text can be the term the English link's
 * is: about as long in a script that spaces its words (not "här", "here",
 * for "Account Administrator"; not a sentence), no longer and at least two
 * characters in one that does not (帳戶管理員 for it). */
static int term_sized(const char *text, const char *english) {
    /* (characters that show: six zero-width spaces after "här" do not
     * make it nine characters long) */
    size_t n = dr_utf8_shown(text), m = dr_utf8_shown(english);
    if (dr_utf8_spaced_script(text)) return 5 * n >= 2 * m && n <= 3 * m;
    return n >= 2 && n <= m;
}

/* The term's pattern: the text literally, without case, and in a script
 * that spaces its words only as whole words ("Sahip" is not in
 * "sahipler"), as lexicon.c's compile_any makes a lexicon's. */
static pcre2_code *compile_term(dr_arena *a, const char *text) {
    size_t n = strlen(text);
    char *p = dr_arena_alloc(a, 2 * n + 32), *o = p;
    int spaced = dr_utf8_spaced_script(text);
    o += sprintf(o, spaced ? "(?<!\\w)(?:" : "(?:");
    for (size_t i = 0; i < n; i++) {
        if (strchr("\\^$.|?*+()[]{}", text[i])) *o++ = '\\';
        *o++ = text[i];
    }
    o += sprintf(o, spaced ? ")(?!\\w)" : ")");
    int code;
    PCRE2_SIZE off;
    return pcre2_compile((PCRE2_SPTR)p, (PCRE2_SIZE)(o - p), PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS | PCRE2_MATCH_INVALID_UTF,
                         &code, &off, NULL);
}

static int reads(const dr_catalog *c, const pcre2_code *code, const char *s, pcre2_match_data *md) {
    size_t at;
    return dr_lexicon_find(c, code, s, 0, strlen(s), &at, NULL, md);
}

/* A language's terms for one fact: more than a vocabulary holds
 * (align.c's, 64) would be dropped there in silence. */
#define MAX_TERMS 64

/* Adds (locale, fact, key, text) unless there. Two values whose terms
 * read each other's text ("власник" and "Власник"; "proprietario
 * dell'account" and "proprietario") are terms for neither. */
static int learn(const dr_catalog *c, dr_learned_vec *out, dr_arena *a, const dr_doc *t, const dr_link *l,
                 const char *text, const dr_fact *f, pcre2_match_data *md) {
    const char *locale = dr_doc_locale(t);
    pcre2_code *re = compile_term(a, text);
    if (!re) return 0; /* not UTF-8: nothing a unit's text could match */
    size_t have = 0;
    int clash = 0;
    for (size_t i = 0; i < out->n; i++) {
        dr_learned *x = &out->v[i];
        if (x->fact != f->fact || strcasecmp(x->locale, locale) != 0) continue;
        have++;
        int same = reads(c, x->code, text, md) || reads(c, re, x->text, md);
        if (!same) continue;
        if (strcmp(x->key, f->key) == 0) {
            if (!strcmp(x->text, text)) {
                pcre2_code_free(re);
                return 0;
            }
            continue;
        }
        x->ambiguous = 1;
        clash = 1;
    }
    if (have >= MAX_TERMS) {
        pcre2_code_free(re);
        return 0;
    }
    dr_learned *x = DR_VEC_PUSH(a, *out);
    *x = (dr_learned){locale, f->fact, f->key, text, l->href,
                      dr_arena_printf(a, "%s:%d", dr_doc_path(t), l->line), f->doc, re, clash};
    return 1;
}

/* The day of d's version, or -1 when it has none. */
static long day_of(const dr_doc *d) {
    long day;
    const char *s = dr_doc_date(d);
    return s && dr_date_from_iso(s, &day) == DR_OK ? day : -1;
}

/* An English doc's link, and the value it names when it is a term's
 * (link_of), else NULL. */
typedef struct elink {
    int article;
    const char *href;
    long day;
    size_t doc;
    const dr_link *l;
    const dr_fact *f;
} elink;

static int by_href(const void *x, const void *y) {
    const elink *a = x, *b = y;
    if (a->article != b->article) return a->article < b->article ? -1 : 1;
    return strcmp(a->href, b->href);
}

/* by_href, then by the doc (its index: the corpus's order), then by the
 * link's line: an order qsort cannot leave to chance. */
static int by_href_doc(const void *x, const void *y) {
    const elink *a = x, *b = y;
    int o = by_href(a, b);
    if (o) return o;
    if (a->doc != b->doc) return a->doc < b->doc ? -1 : 1;
    return (a->l->line > b->l->line) - (a->l->line < b->l->line);
}

/* Whether two English links name the same value (or both none). */
static int same_value(const elink *a, const elink *b) {
    if (!a->f || !b->f) return !a->f && !b->f;
    return a->f->fact == b->f->fact && strcmp(a->f->key, b->f->key) == 0;
}

void dr_learn_linked_terms(const dr_catalog *c, dr_doc *const *docs, const int *article, size_t ndocs,
                           const dr_fact *facts, size_t nfacts, dr_arena *a, pcre2_match_data *md,
                           dr_learned_vec *out) {
    /* Every link of every English doc of the articles, by target; the
     * value each names where it is a term (its pattern facts lie
     * together: extraction appends them doc by doc). */
    DR_VEC(elink) el = {0};
    for (size_t d = 0, i = 0; d < ndocs; d++) {
        size_t from = i;
        while (i < nfacts && facts[i].doc == docs[d]) i++;
        if (article[d] < 0 || !is_english(docs[d])) continue;
        size_t nl, first = el.n;
        const dr_link *l = dr_doc_links(docs[d], &nl);
        for (size_t k = 0; k < nl; k++)
            if (l[k].href && l[k].href[0] && l[k].href[0] != '#')
                *DR_VEC_PUSH(a, el) = (elink){article[d], l[k].href, day_of(docs[d]), d, &l[k], NULL};
        for (size_t j = from; j < i; j++) {
            const dr_fact *f = &facts[j];
            if (f->how != DR_HOW_PATTERN || f->from_source || !f->key || c->facts.v[f->fact].kind != DR_FACT_SET)
                continue;
            const dr_link *lk = link_of(c, docs[d], f, md);
            for (size_t k = first; lk && k < el.n; k++)
                if (el.v[k].l == lk) el.v[k].f = f;
        }
    }
    if (!el.n) return;
    qsort(el.v, el.n, sizeof *el.v, by_href_doc);
    /* Whether an English doc of each doc's own version exists: then it
     * alone is compared, whether it links the target or not. */
    char *own = dr_arena_calloc(a, ndocs ? ndocs : 1, 1);
    for (size_t d = 0; d < ndocs; d++)
        for (size_t t = 0; t < ndocs && article[d] >= 0 && is_english(docs[d]); t++)
            if (!own[t] && t != d && article[t] == article[d] && dr_docs_same_version(docs[d], docs[t])) own[t] = 1;
    for (size_t t = 0; t < ndocs; t++) {
        size_t nseg;
        dr_doc_segments(docs[t], &nseg);
        long dt = day_of(docs[t]);
        if (article[t] < 0 || is_english(docs[t]) || nseg || !dr_doc_locale(docs[t]) || dt < 0) continue;
        size_t nl;
        const dr_link *tl = dr_doc_links(docs[t], &nl);
        for (size_t k = 0; k < nl; k++) {
            if (!tl[k].href || !tl[k].text || links_to(docs[t], tl[k].href) != 1) continue;
            elink key = {article[t], tl[k].href, 0, 0, NULL, NULL};
            elink *hit = bsearch(&key, el.v, el.n, sizeof *el.v, by_href);
            if (!hit) continue;
            /* The term is the words that show: a zero-width space or a
             * space inside the link's brackets, at either end, would
             * otherwise be part of every text the term must find. */
            size_t len, from = dr_utf8_trim(tl[k].text, &len);
            if (!len) continue;
            const char *text = dr_arena_strndup(a, tl[k].text + from, len);
            while (hit > el.v && by_href(hit - 1, &key) == 0) hit--;
            /* The English of this version, where it exists (linking the
             * target or not), else the nearest that links it: another
             * version's link to it may name another value, or none
             * (2018's "[Account Administrator](roles.md)", 2021's
             * "[roles](roles.md)" or no link at all, beside a
             * translation's "only the [owners](roles.md)"). */
            /* Two English links as near (two English docs of one version:
             * en-US and en-GB, or two copies) that name different values
             * say nothing of which the translation's is: no term. Those
             * that agree must each find the translation's text about as
             * long as theirs ("Account Administrator", "the Azure Account
             * Administrator"): which of them came first in the sort
             * followed the files' names. */
            const elink *best = NULL;
            long gap = LONG_MAX;
            int split = 0, sized = 0;
            for (const elink *x = hit; x < el.v + el.n && by_href(x, &key) == 0; x++) {
                int sv = dr_docs_same_version(docs[x->doc], docs[t]);
                if (own[t] && !sv) continue;
                long g = sv ? -1 : x->day < 0 ? LONG_MAX : x->day > dt ? x->day - dt : dt - x->day;
                if (!best || g < gap) {
                    best = x, gap = g, split = 0;
                    sized = term_sized(text, x->l->text);
                } else if (g == gap && !same_value(best, x)) {
                    split = 1;
                } else if (g == gap) {
                    sized = sized && term_sized(text, x->l->text);
                }
            }
            if (best && !split && best->f && sized) learn(c, out, a, docs[t], &tl[k], text, best->f, md);
        }
    }
}

void dr_learned_free(dr_learned_vec *v) {
    for (size_t i = 0; i < v->n; i++) pcre2_code_free(v->v[i].code);
    v->n = 0;
}
