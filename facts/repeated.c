/* Sentences a language says the same way in several docs.
 *
 * Machine translation works from a memory: the same English sentence comes
 * out in the same words wherever it recurs, across versions of an
 * article. "**Refund: Any prorated credit will be returned to you within the
 * next billing cycle.**" is 退款：在下一個計費週期內，任何按比例支付的信用額度都會傳回給您。
 * in five zh-TW docs of three versions. Where a bilingual doc pairs such a
 * sentence with the English a pattern reads a flag in, the translated
 * sentence states that flag, and so does any doc of the same language and
 * article that holds it word for word, whatever its version and whether or
 * not anything else of it aligns: no lexicon, no pattern for the language,
 * only its own repeated words.
 *
 * Run after every other reading (align.c), for the flags a doc still does
 * not state. Only whole sentences of some length count (a heading's two
 * words recur everywhere), compared with ASCII case and spaces folded. */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

/* Shorter than this (bytes, spaces out) is no evidence: eight CJK
 * characters, or a short English-length clause. */
#define MIN_SENTENCE 24

/* s with ASCII spaces out and ASCII letters lowered, in a. */
static char *fold(dr_arena *a, const char *s) {
    size_t n = strlen(s), k = 0;
    char *o = dr_arena_alloc(a, n + 1);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80 && isspace(c)) continue;
        o[k++] = c < 0x80 ? (char)tolower(c) : (char)c;
    }
    o[k] = '\0';
    return o;
}

/* A translated sentence that states a flag: a bilingual doc's segment
 * whose English an English pattern of the flag reads. */
typedef struct said {
    const dr_doc *doc;
    const char *locale;
    int article, fact;
    const char *folded;
    int line;
    long ref; /* the fact extraction found there, which a reading cites */
} said;

static int is_english(const char *l) {
    return l && strncasecmp(l, "en", 2) == 0 && (l[2] == '\0' || l[2] == '-');
}

void dr_read_repeated(const dr_catalog *c, dr_doc *const *docs, const int *article, size_t ndocs, dr_arena *a,
                      dr_fact_vec *facts, pcre2_match_data *md) {
    DR_VEC(said) ev = {0};
    size_t n0 = facts->n, nk = c->facts.n;
    if (!ndocs || !nk) return;
    /* Docs by address, and what each states: states[d * nk + fact]. */
    dr_doc_addr *sorted = dr_arena_calloc(a, ndocs, sizeof *sorted);
    for (size_t i = 0; i < ndocs; i++) sorted[i] = (dr_doc_addr){docs[i], i};
    dr_doc_addr_sort(sorted, ndocs);
    char *states = dr_arena_calloc(a, ndocs * nk, 1);
    for (size_t i = 0; i < n0; i++) {
        long d = dr_doc_addr_find(sorted, ndocs, facts->v[i].doc);
        if (d >= 0) states[(size_t)d * nk + (size_t)facts->v[i].fact] = 1;
    }
    /* What each bilingual doc's English states: the segment of it that
     * one of the flag's English patterns reads, each translation of it
     * once. */
    for (size_t i = 0; i < n0; i++) {
        const dr_fact *f = &facts->v[i];
        if (!f->from_source || c->facts.v[f->fact].kind != DR_FACT_FLAG) continue;
        long d = dr_doc_addr_find(sorted, ndocs, f->doc);
        long art = d >= 0 ? article[d] : -1;
        const char *loc = dr_doc_locale(f->doc);
        if (art < 0 || !loc || is_english(loc)) continue;
        size_t ns;
        const dr_segment *s = dr_doc_segments(f->doc, &ns);
        for (size_t k = 0; k < ns; k++) {
            if (!s[k].source || !s[k].target) continue;
            int read = 0;
            for (size_t p = 0; p < c->patterns.n && !read; p++) {
                const cat_pattern *cp = &c->patterns.v[p];
                if (cp->fact != f->fact || strcmp(cp->lang, "en") != 0 || !cp->code) continue;
                size_t at;
                read = dr_lexicon_find(c, cp->code, s[k].source, 0, strlen(s[k].source), &at, NULL, md);
            }
            if (!read) continue;
            const char *folded = fold(a, s[k].target);
            if (strlen(folded) < MIN_SENTENCE) continue;
            int known = 0;
            for (size_t j = 0; j < ev.n && !known; j++)
                known = ev.v[j].fact == f->fact && ev.v[j].article == (int)art && strcasecmp(ev.v[j].locale, loc) == 0 &&
                        strcmp(ev.v[j].folded, folded) == 0;
            if (known) continue;
            said *e = DR_VEC_PUSH(a, ev);
            *e = (said){f->doc, loc, (int)art, f->fact, folded, s[k].line, (long)i};
        }
    }
    if (!ev.n) return;
    for (size_t t = 0; t < ndocs; t++) {
        const char *loc = dr_doc_locale(docs[t]);
        if (article[t] < 0 || !loc || is_english(loc)) continue;
        size_t nu;
        const dr_unit *u = dr_doc_units(docs[t], &nu);
        const char **folded = NULL; /* each unit's, made when first needed */
        for (size_t e = 0; e < ev.n; e++) {
            const said *x = &ev.v[e];
            if (x->doc == docs[t] || x->article != article[t] || strcasecmp(x->locale, loc) != 0 ||
                states[t * nk + (size_t)x->fact])
                continue;
            if (!folded) folded = dr_arena_calloc(a, nu ? nu : 1, sizeof *folded);
            for (size_t k = 0; k < nu; k++) {
                if (!u[k].text) continue;
                if (!folded[k]) folded[k] = fold(a, u[k].text);
                if (!strstr(folded[k], x->folded)) continue;
                dr_fact *f = DR_VEC_PUSH(a, *facts);
                memset(f, 0, sizeof *f);
                f->fact = x->fact;
                f->value = 1;
                f->doc = docs[t];
                f->line = u[k].line;
                f->col = u[k].col;
                f->section = u[k].section;
                f->text = u[k].text;
                f->how = DR_HOW_ALIGNED;
                f->ref = x->ref;
                f->via = dr_arena_printf(a, "the same words as %s:%d, whose English states it", dr_doc_path(x->doc),
                                         x->line);
                states[t * nk + (size_t)x->fact] = 1;
                break;
            }
        }
    }
}
