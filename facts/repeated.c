/* Sentences a language says the same way in several docs.
 *
 * Machine translation works from a memory: the same English sentence comes
 * out in the same words wherever it recurs, across versions of an
 * article. "**Refund: Any prorated credit will be returned to you within the
 * next billing cycle.**" is 退款：在下一個計費週期內，任何按比例支付的信用額度都會傳回給您。
 * in six zh-TW docs of four versions. Where a bilingual doc pairs such a
 * sentence with the English a pattern reads a flag in, the translated
 * sentence states that flag, and so does a doc of the same article and
 * locale that says that very sentence, whether or not anything else of it
 * aligns: no lexicon, no pattern for the language, only its own repeated
 * words.
 *
 * What counts, since a sentence inside another says what that one says
 * ("Until 2021: '<the refund sentence>' Since 2022 no credit is
 * returned"): the evidence is a whole sentence of a paragraph, step or
 * note (not a heading or a cell), ending as sentences end, at least 24
 * bytes; it is matched only where a sentence of the doc starts (the unit's
 * start, or after a sentence's end), with ASCII case and spaces folded.
 * Only docs that nothing settles are read (align.c's settled[]: a doc
 * English patterns read, or whose version's English exists, states what
 * that English states). Run after every other reading, for the flags a
 * doc does not state yet. */
#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../common/buf.h"
#include "../common/hash.h"
#include "../common/lang.h"
#include "internal.h"

/* Shorter than this (bytes, spaces out) is no evidence: eight CJK
 * characters, or a short clause. */
#define MIN_SENTENCE 24

/* s with ASCII spaces out and ASCII letters lowered, in a. */
static char *fold(dr_arena *a, const char *s, size_t *len) {
    size_t n = strlen(s), k = 0;
    char *o = dr_arena_alloc(a, n + 1);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80 && isspace(c)) continue;
        o[k++] = c < 0x80 ? (char)tolower(c) : (char)c;
    }
    o[k] = '\0';
    *len = k;
    return o;
}

/* fold(), into b (its bytes replaced); returns the length. */
static size_t fold_into(dr_buf *b, const char *s) {
    b->n = 0;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x80 && isspace(c)) continue;
        char o = c < 0x80 ? (char)tolower(c) : (char)c;
        dr_buf_put(b, &o, 1);
    }
    dr_buf_put(b, "", 0); /* a unit of spaces alone: still a string */
    return b->n;
}

/* The bytes of a sentence's end at s[i] (. ! ? 。 ！ ？ ． ؟ ।), or 0. */
static size_t end_at(const char *s, size_t i, size_t n) {
    const unsigned char *u = (const unsigned char *)s + i;
    size_t left = n - i;
    if (!left) return 0;
    if (*u == '.' || *u == '!' || *u == '?') return 1;
    if (left >= 2 && u[0] == 0xD8 && u[1] == 0x9F) return 2;
    if (left < 3) return 0;
    if (u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x82) return 3;
    if (u[0] == 0xEF && u[1] == 0xBC && (u[2] == 0x81 || u[2] == 0x9F || u[2] == 0x8E)) return 3;
    if (u[0] == 0xE0 && u[1] == 0xA5 && u[2] == 0xA4) return 3;
    return 0;
}

/* Whether s (n bytes) ends as a sentence ends. */
static int ends_sentence(const char *s, size_t n) {
    for (size_t k = 1; k <= 3 && k <= n; k++)
        if (end_at(s, n - k, n) == k) return 1;
    return 0;
}

/* A translated sentence that states a flag: a bilingual doc's segment
 * whose English an English pattern of the flag reads. */
typedef struct said {
    const dr_doc *doc;
    const char *locale;
    int article, fact;
    const char *folded;
    size_t len;
    uint64_t hash;
    int line;
    long ref; /* the fact extraction found there, which a reading cites */
} said;

/* The text unit (paragraph, step, bullet, note) of d whose English is
 * text, or NULL: a heading's or a cell's is no sentence. */
static const dr_unit *unit_of(const dr_doc *d, const char *text) {
    size_t nu;
    const dr_unit *u = dr_doc_units(d, &nu);
    for (size_t i = 0; i < nu; i++)
        if (u[i].source_text == text) return &u[i];
    return NULL;
}

/* The first line after unit u's start where something else of d starts
 * (a unit, a table, a heading), or INT_MAX: u's segments lie before it. */
static int unit_end(const dr_doc *d, const dr_unit *u) {
    int end = INT_MAX;
    size_t n;
    const dr_unit *v = dr_doc_units(d, &n);
    for (size_t i = 0; i < n; i++)
        if (v[i].line > u->line && v[i].line < end) end = v[i].line;
    const dr_table *t = dr_doc_tables(d, &n);
    for (size_t i = 0; i < n; i++)
        if (t[i].line > u->line && t[i].line < end) end = t[i].line;
    const dr_section *h = dr_doc_sections(d, &n);
    for (size_t i = 0; i < n; i++)
        if (h[i].line > u->line && h[i].line < end) end = h[i].line;
    return end;
}

/* Whether a pattern of the flag in English reads s. */
static int english_reads(const dr_catalog *c, int fact, const char *s, pcre2_match_data *md) {
    for (size_t p = 0; p < c->patterns.n; p++) {
        const cat_pattern *cp = &c->patterns.v[p];
        size_t at;
        if (cp->fact == fact && cp->code && strcmp(cp->lang, "en") == 0 &&
            dr_lexicon_find(c, cp->code, s, 0, strlen(s), &at, NULL, md))
            return 1;
    }
    return 0;
}

void dr_read_repeated(const dr_catalog *c, dr_doc *const *docs, const int *article, size_t ndocs,
                      const char *settled, dr_arena *a, dr_fact_vec *facts, pcre2_match_data *md) {
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
    /* The evidence, each sentence of each (article, locale, flag) once,
     * in a table by its hash. */
    DR_VEC(said) ev = {0};
    size_t cap = 64;
    long *table = dr_arena_alloc(a, cap * sizeof *table);
    memset(table, 0xff, cap * sizeof *table);
    for (size_t i = 0; i < n0; i++) {
        const dr_fact *f = &facts->v[i];
        if (!f->from_source || !f->text || c->facts.v[f->fact].kind != DR_FACT_FLAG) continue;
        long d = dr_doc_addr_find(sorted, ndocs, f->doc);
        long art = d >= 0 ? article[d] : -1;
        const char *loc = dr_doc_locale(f->doc);
        const dr_unit *u = art >= 0 && loc && !dr_lang_covers("en", loc) ? unit_of(f->doc, f->text) : NULL;
        if (!u) continue;
        int end = unit_end(f->doc, u);
        size_t ns;
        const dr_segment *s = dr_doc_segments(f->doc, &ns);
        for (size_t k = 0; k < ns; k++) {
            /* A sentence of the unit the fact was read in: on its lines
             * (a cell elsewhere may pair the same English with other
             * words), then its English in the unit's and read by the
             * flag's pattern; only then folded. */
            if (s[k].line < u->line || s[k].line >= end || !s[k].source || !s[k].target || !s[k].source[0] ||
                !strstr(f->text, s[k].source) || !english_reads(c, f->fact, s[k].source, md))
                continue;
            size_t len;
            const char *folded = fold(a, s[k].target, &len);
            if (len < MIN_SENTENCE || !ends_sentence(folded, len)) continue;
            uint64_t h = dr_hash(DR_HASH_INIT, folded, len);
            size_t slot = (size_t)h & (cap - 1);
            int known = 0;
            for (; table[slot] >= 0 && !known; slot = (slot + 1) & (cap - 1)) {
                const said *x = &ev.v[table[slot]];
                known = x->hash == h && x->fact == f->fact && x->article == (int)art && x->len == len &&
                        strcasecmp(x->locale, loc) == 0 && memcmp(x->folded, folded, len) == 0;
            }
            if (known) continue;
            said *e = DR_VEC_PUSH(a, ev);
            *e = (said){f->doc, loc, (int)art, f->fact, folded, len, h, s[k].line, (long)i};
            if (2 * ev.n > cap) { /* grown: every entry placed again */
                cap *= 2;
                table = dr_arena_alloc(a, cap * sizeof *table);
                memset(table, 0xff, cap * sizeof *table);
                for (size_t j = 0; j < ev.n; j++) {
                    size_t at = (size_t)ev.v[j].hash & (cap - 1);
                    while (table[at] >= 0) at = (at + 1) & (cap - 1);
                    table[at] = (long)j;
                }
            } else {
                table[slot] = (long)(ev.n - 1);
            }
        }
    }
    if (!ev.n) return;
    /* The evidence by the hash of its whole folded sentence, chained in
     * the order found, and which lengths it comes in. At a place where a
     * sentence starts, the doc's bytes are hashed on from there, and where
     * what is hashed so far ends as a sentence ends and is as long as some
     * evidence, that hash is looked up: the time is the sentence starts x
     * the longest sentence, whatever the evidence's number (it was
     * evidence x sentence starts, and with the first bytes hashed alone,
     * sentences a translation memory begins alike all fell in one chain). */
    size_t pcap = 16, maxlen = 0;
    while (pcap < 2 * ev.n) pcap *= 2;
    for (size_t e = 0; e < ev.n; e++)
        if (ev.v[e].len > maxlen) maxlen = ev.v[e].len;
    long *first = dr_arena_alloc(a, pcap * sizeof *first), *next = dr_arena_alloc(a, ev.n * sizeof *next);
    char *sized = dr_arena_calloc(a, maxlen + 1, 1);
    memset(first, 0xff, pcap * sizeof *first);
    for (size_t e = ev.n; e-- > 0;) {
        size_t slot = (size_t)ev.v[e].hash & (pcap - 1);
        next[e] = first[slot];
        first[slot] = (long)e;
        sized[ev.v[e].len] = 1;
    }
    dr_buf fb = {0}; /* a unit's text folded, made again for each */
    for (size_t t = 0; t < ndocs; t++) {
        const char *loc = dr_doc_locale(docs[t]);
        if (article[t] < 0 || settled[t] || !loc || dr_lang_covers("en", loc)) continue;
        /* Whether any sentence could be read here: of its article and
         * locale, of a flag it does not state yet. */
        int any = 0;
        for (size_t e = 0; e < ev.n && !any; e++) {
            const said *x = &ev.v[e];
            any = x->doc != docs[t] && x->article == article[t] && !states[t * nk + (size_t)x->fact] &&
                  strcasecmp(x->locale, loc) == 0;
        }
        if (!any) continue;
        size_t nu;
        const dr_unit *u = dr_doc_units(docs[t], &nu);
        for (size_t k = 0; k < nu; k++) {
            if (!u[k].text) continue;
            size_t len = fold_into(&fb, u[k].text);
            const char *s = fb.s;
            /* At each place a sentence starts: the unit's start, and after
             * each sentence's end. */
            for (size_t p = 0; p < len;) {
                /* The first evidence (in the order found) the text from p
                 * begins with, as comparing each in turn found it. */
                long best = -1;
                uint64_t h = DR_HASH_INIT;
                size_t lim = len - p < maxlen ? len - p : maxlen;
                for (size_t n = 0; n < lim;) {
                    h = dr_hash(h, s + p + n, 1);
                    n++;
                    if (n < MIN_SENTENCE || !sized[n] || !ends_sentence(s + p, n)) continue;
                    for (long j = first[(size_t)h & (pcap - 1)]; j >= 0 && (best < 0 || j < best); j = next[j]) {
                        const said *x = &ev.v[j];
                        if (x->hash == h && x->len == n && x->doc != docs[t] && x->article == article[t] &&
                            !states[t * nk + (size_t)x->fact] && strcasecmp(x->locale, loc) == 0 &&
                            memcmp(s + p, x->folded, n) == 0) {
                            best = j;
                            break;
                        }
                    }
                }
                if (best >= 0) {
                    const said *x = &ev.v[best];
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
                    f->via = dr_arena_printf(a, "the same sentence as %s:%d, whose English states it",
                                             dr_doc_path(x->doc), x->line);
                    /* Stated now: no other sentence of this flag is looked for. */
                    states[t * nk + (size_t)x->fact] = 1;
                }
                /* the next sentence's start */
                size_t e = 0;
                while (p < len && !(e = end_at(s, p, len))) p++;
                p += p < len ? e : 0;
            }
        }
    }
    free(fb.s);
}
