/* Reading a translation through the doc it translates.
 *
 * Authors write patterns for a few languages; the docs ship in forty.
 * What survives machine translation is structure — sections and their
 * anchors, numbered steps, paragraphs in order, table cells — and digits.
 * So a doc is read through a reference: the doc of the same article that
 * patterns read best (the same version's English, a bilingual doc's English
 * source, or a sibling whose language has patterns). Its sections and units
 * are aligned with the reference's, and each fact a pattern found there is
 * read in the aligned unit here: the number by its place among the unit's
 * numbers and by the language's unit word next to it, the bound by the
 * language's bound words, a set's values by the language's terms, a flag and
 * a procedure by the aligned unit or section being there. What cannot be
 * read is a gap, never a silent skip. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../common/alloc.h"
#include "../common/dates.h"
#include "../common/hash.h"
#include "../common/lang.h"
#include "internal.h"

/* --- reading units: titles, text units and table cells, per section -------*/

enum { RK_TITLE = 8, RK_CELL = 9 }; /* beside dr_unit_kind's values */

typedef struct rd_unit {
    int kind;
    const char *text, *source;
    int line, col, section;
    int ord;  /* among the units of its kind in its section */
    int unit; /* index in dr_doc_units, or -1 */
    unsigned long links; /* a hash of the link targets on its line: they survive translation */
    double share;        /* its length over the doc's: kept, roughly, by translation */
} rd_unit;

typedef struct rd_doc {
    const dr_doc *doc;
    rd_unit *u;
    size_t n;
    size_t nsec;
    const dr_section *sec;
} rd_doc;

static void rd_build(const dr_doc *d, dr_arena *a, rd_doc *out) {
    size_t nu, ns, nt;
    const dr_unit *u = dr_doc_units(d, &nu);
    const dr_section *s = dr_doc_sections(d, &ns);
    const dr_table *t = dr_doc_tables(d, &nt);
    size_t cells = 0;
    for (size_t i = 0; i < nt; i++) cells += t[i].nrows * t[i].ncols;
    out->doc = d;
    out->sec = s;
    out->nsec = ns;
    out->u = dr_arena_calloc(a, ns + nu + cells + 1, sizeof *out->u);
    out->n = 0;
    /* Section by section, so that ordinals count within one. */
    for (size_t k = 0; k < ns; k++) {
        int ord[10] = {0};
        if (s[k].title && s[k].title[0])
            out->u[out->n++] = (rd_unit){RK_TITLE, s[k].title, s[k].source_title, s[k].line, s[k].col,
                                         (int)k, 0, -1, 0, 0};
        for (size_t i = 0; i < nu; i++)
            if (u[i].section == (int)k)
                out->u[out->n++] = (rd_unit){(int)u[i].kind, u[i].text, u[i].source_text, u[i].line,
                                             u[i].col, (int)k, ord[u[i].kind]++, (int)i, 0, 0};
        for (size_t i = 0; i < nt; i++) {
            if (t[i].section != (int)k) continue;
            for (size_t r = 0; r < t[i].nrows; r++)
                for (size_t c = 0; c < t[i].ncols; c++) {
                    /* The header row, then the delimiter row, then the rest. */
                    int line = t[i].line + (r == 0 ? 0 : (int)r + 1);
                    out->u[out->n++] = (rd_unit){RK_CELL, t[i].cells[r * t[i].ncols + c], NULL, line,
                                                 t[i].col, (int)k, ord[RK_CELL]++, -1, 0, 0};
                }
        }
    }
    size_t nl, total = 0;
    const dr_link *l = dr_doc_links(d, &nl);
    for (size_t i = 0; i < out->n; i++) {
        rd_unit *x = &out->u[i];
        total += strlen(x->text);
        for (size_t k = 0; k < nl; k++) {
            if (l[k].line != x->line || !l[k].href || l[k].href[0] == '#') continue;
            /* order-free: translation may reorder them */
            x->links += (unsigned long)dr_hash(DR_HASH_INIT, l[k].href, strlen(l[k].href));
        }
    }
    for (size_t i = 0; i < out->n; i++)
        out->u[i].share = total ? (double)strlen(out->u[i].text) / (double)total : 0;
}

/* The reading unit a fact was found in: same line and section, its text. */
static const rd_unit *rd_find(const rd_doc *r, const dr_fact *f) {
    const rd_unit *best = NULL;
    for (size_t i = 0; i < r->n; i++) {
        const rd_unit *x = &r->u[i];
        if (x->section != f->section || x->line != f->line) continue;
        if (x->text == f->text || x->source == f->text) return x;
        if (!best) best = x;
    }
    return best;
}

static size_t count_kind(const rd_doc *r, int section, int kind) {
    size_t n = 0;
    for (size_t i = 0; i < r->n; i++) n += r->u[i].section == section && r->u[i].kind == kind;
    return n;
}

static size_t digits_of(const char *s, long *out, size_t max) {
    size_t n = 0;
    for (const char *p = s; *p && n < max; p++) {
        if (*p < '0' || *p > '9') continue;
        /* A run of digits past what a long holds (a doc can say anything)
         * stays at LONG_MAX: no quantity is that big, and overflow is UB. */
        long v = 0;
        for (; *p >= '0' && *p <= '9'; p++) v = v > (LONG_MAX - 9) / 10 ? LONG_MAX : v * 10 + (*p - '0');
        out[n++] = v;
        if (!*p) break;
    }
    return n;
}

/* --- choosing the reference ---------------------------------------------*/

static int english_readable(const dr_doc *d) {
    size_t nseg;
    dr_doc_segments(d, &nseg);
    const char *l = dr_doc_locale(d);
    return nseg > 0 || dr_lang_covers("en", l);
}

static int shared_anchors(const dr_doc *a, const dr_doc *b) {
    size_t na, nb, n = 0;
    const dr_section *x = dr_doc_sections(a, &na), *y = dr_doc_sections(b, &nb);
    for (size_t i = 0; i < na; i++)
        for (size_t j = 0; j < nb; j++)
            if (x[i].anchor_explicit && y[j].anchor_explicit && strcmp(x[i].anchor, y[j].anchor) == 0) {
                n++;
                break;
            }
    return (int)n;
}

/* Two docs are one version when they translate the same English: the
 * same date, and the same asset where both name one (a sibling article
 * can change on the same day). */
int dr_docs_same_version(const dr_doc *a, const dr_doc *b) {
    const char *da = dr_doc_date(a), *db = dr_doc_date(b);
    if (!da || !db || strcmp(da, db) != 0) return 0;
    const char *x = dr_doc_asset(a), *y = dr_doc_asset(b);
    return !x || !y || strcasecmp(x, y) == 0;
}

/* What of a doc survives translation, as a sorted list: the numbers its
 * text units state and the targets of its links (hashed, kept apart from
 * the numbers by their top bit). Two versions that say the same thing
 * share most of it; at most max. */
static size_t doc_numbers(const dr_doc *d, long *out, size_t max) {
    size_t nu, nl, n = 0;
    const dr_unit *u = dr_doc_units(d, &nu);
    for (size_t i = 0; i < nu && n < max; i++) n += digits_of(u[i].text, out + n, max - n);
    const dr_link *l = dr_doc_links(d, &nl);
    for (size_t i = 0; i < nl && n < max; i++) {
        if (!l[i].href || l[i].href[0] == '#') continue;
        uint64_t h = dr_hash(DR_HASH_INIT, l[i].href, strlen(l[i].href));
        out[n++] = (long)((h | (UINT64_C(1) << 62)) & (uint64_t)LONG_MAX);
    }
    for (size_t a = 1; a < n; a++)
        for (size_t b = a; b > 0 && out[b - 1] > out[b]; b--) {
            long t = out[b];
            out[b] = out[b - 1];
            out[b - 1] = t;
        }
    return n;
}

/* How alike two docs' numbers are: shared ones less the ones either has
 * alone. Versions that say the same thing state the same numbers. */
static long numbers_alike(const long *a, size_t na, const long *b, size_t nb) {
    long shared = 0;
    size_t i = 0, j = 0;
    while (i < na && j < nb) {
        if (a[i] == b[j]) shared++, i++, j++;
        else if (a[i] < b[j]) i++;
        else j++;
    }
    return shared - ((long)na - shared) - ((long)nb - shared);
}

/* The doc of the article that doc t is best read through, or -1: among
 * the docs read before it (ready[]), the same version first (the date of
 * the English it translates), then a doc whose English patterns read
 * (English, or bilingual), then the most facts and the most alike
 * structure. */
/* What choose_ref compares of each doc, made once. */
typedef struct fingerprint {
    long v[128];
    size_t n, nsec;
} fingerprint;

/* How well doc r serves as doc t's reference; 0 or less: not at all. */
static long ref_score(dr_doc *const *docs, const int *article, const size_t *nfacts, const char *ready,
                      const fingerprint *fp, size_t t, size_t r) {
    if (r == t || !ready[r] || article[r] != article[t] || nfacts[r] == 0) return 0;
    const char *dt = dr_doc_date(docs[t]), *dr = dr_doc_date(docs[r]);
    long score = 1;
    if (dr_docs_same_version(docs[t], docs[r])) score += 1000;
    if (english_readable(docs[r])) score += 100;
    score += nfacts[r] > 40 ? 40 : (long)nfacts[r];
    score += 5 * shared_anchors(docs[r], docs[t]);
    score -= 10 * labs((long)fp[r].nsec - (long)fp[t].nsec);
    score += 15 * numbers_alike(fp[t].v, fp[t].n, fp[r].v, fp[r].n);
    /* Among other versions, the nearest: a tenth of a point a day. */
    long a, b;
    if (dt && dr && dr_date_from_iso(dt, &a) == DR_OK && dr_date_from_iso(dr, &b) == DR_OK) score -= labs(a - b) / 10;
    return score;
}

static long choose_ref(dr_doc *const *docs, const int *article, size_t ndocs, const size_t *nfacts,
                       const char *ready, const fingerprint *fp, size_t t) {
    long best = -1, best_score = 0;
    for (size_t r = 0; r < ndocs; r++) {
        long score = ref_score(docs, article, nfacts, ready, fp, t, r);
        if (score > best_score) {
            best = (long)r;
            best_score = score;
        }
    }
    return best;
}

/* --- aligning sections ----------------------------------------------------*/

/* map[i] = the section of t aligned with section i of r, or -1. Anchors the
 * doc wrote survive translation: equal ones pair first, in order; the runs
 * between them pair in order when they are as long, else by heading level. */
static void align_sections(const rd_doc *r, const rd_doc *t, int *map, char *pinned) {
    size_t nr = r->nsec, nt = t->nsec;
    for (size_t i = 0; i < nr; i++) map[i] = -1, pinned[i] = 0;
    long last = -1;
    for (size_t i = 0; i < nr; i++)
        for (size_t j = (size_t)(last + 1); j < nt; j++)
            if (r->sec[i].anchor[0] && strcmp(r->sec[i].anchor, t->sec[j].anchor) == 0 &&
                (r->sec[i].anchor_explicit || t->sec[j].anchor_explicit ||
                 r->sec[i].level == t->sec[j].level)) {
                map[i] = (int)j;
                pinned[i] = 1;
                last = (long)j;
                break;
            }
    /* The gaps between pinned pairs (and before the first, after the last). */
    long pr = -1, pt = -1;
    for (size_t i = 0; i <= nr; i++) {
        if (i < nr && map[i] < 0) continue;
        long er = (long)i, et = i < nr ? map[i] : (long)nt;
        long gr = er - pr - 1, gt = et - pt - 1;
        if (gr > 0 && gt > 0) {
            if (gr == gt) {
                for (long k = 0; k < gr; k++) map[pr + 1 + k] = (int)(pt + 1 + k);
            } else {
                /* Longest common subsequence of heading levels. */
                long w = gt + 1;
                int *L = dr_xcalloc((size_t)((gr + 1) * w), sizeof *L);
                if (L) {
                    for (long a = gr - 1; a >= 0; a--)
                        for (long b = gt - 1; b >= 0; b--)
                            L[a * w + b] = r->sec[pr + 1 + a].level == t->sec[pt + 1 + b].level
                                               ? L[(a + 1) * w + b + 1] + 1
                                               : (L[(a + 1) * w + b] > L[a * w + b + 1] ? L[(a + 1) * w + b]
                                                                                         : L[a * w + b + 1]);
                    long a = 0, b = 0;
                    while (a < gr && b < gt) {
                        if (r->sec[pr + 1 + a].level == t->sec[pt + 1 + b].level &&
                            L[a * w + b] == L[(a + 1) * w + b + 1] + 1) {
                            map[pr + 1 + a] = (int)(pt + 1 + b);
                            a++, b++;
                        } else if (L[(a + 1) * w + b] >= L[a * w + b + 1]) {
                            a++;
                        } else {
                            b++;
                        }
                    }
                    free(L);
                }
            }
        }
        pr = er;
        pt = et;
    }
}

/* --- aligning a unit ------------------------------------------------------*/

typedef struct aligner {
    const dr_catalog *c;
    dr_arena *a;
    dr_fact_vec *facts;
    dr_gap_vec *gaps;
    pcre2_match_data *md;
    /* A second reading (dr_align_docs' last pass): only what its want[]
     * names, only where digits or words say so, and no gaps, since the
     * version read first does not state those facts and neither may this
     * doc. */
    const char *want;
    /* The terms the docs' links taught (linked.c). */
    const dr_learned_vec *learned;
} aligner;


/* Whether two texts state the same numbers in the same order, digits or
 * the languages' number words ("up to 10 minutes", "bis zu zehn Minuten"):
 * a translation may write out what its source gave in digits. */
static size_t numbers_of(const aligner *al, const cat_lexicon *lx, const char *s, long *out) {
    num_tok t[16];
    size_t n = dr_lexicon_numbers(al->c, lx, s, t, 16, al->md), k = 0;
    for (size_t i = 0; i < n; i++) {
        /* "one" written out is also the article of most languages ("in
         * einem Abrechnungszeitraum", "un administrador"): no evidence
         * either way. A 1 written in digits (ASCII or full-width) is. */
        const unsigned char *c = (const unsigned char *)s + t[i].start;
        int digits = (*c >= '0' && *c <= '9') || (c[0] == 0xEF && c[1] == 0xBC && c[2] >= 0x90 && c[2] <= 0x99);
        if (t[i].value > 1 || digits) out[k++] = t[i].value;
    }
    return k;
}

static int same_numbers(const aligner *al, const cat_lexicon *la, const char *a, const cat_lexicon *lb,
                        const char *b) {
    long x[16], y[16];
    size_t nx = numbers_of(al, la, a, x), ny = numbers_of(al, lb, b, y);
    if (!nx || nx != ny) return 0;
    for (size_t i = 0; i < nx; i++)
        if (x[i] != y[i]) return 0;
    return 1;
}

/* What two texts' digits say of their being one unit: the same digits
 * in the same order +30 (or the same numbers, some written as words);
 * digits on one side only -40 (a sentence with a number does not
 * translate into one without); different digits -10 (an edited
 * translation is still the same unit); none on either side 0. la and lb:
 * the texts' lexicons, for their number words. */
static int digit_evidence(const aligner *al, const cat_lexicon *la, const char *a, const cat_lexicon *lb,
                          const char *b) {
    long x[16], y[16];
    size_t nx = digits_of(a, x, 16), ny = digits_of(b, y, 16);
    if (!nx && !ny) return 0;
    int same = nx == ny;
    for (size_t i = 0; i < nx && same; i++) same = x[i] == y[i];
    if (same || same_numbers(al, la, a, lb, b)) return 30;
    return !nx || !ny ? -40 : -10;
}

/* The lexicons a unit of r (its English source, when it has one) and a
 * unit of t are read with. */
static const cat_lexicon *lex_of(const aligner *al, const rd_doc *d, const rd_unit *u) {
    return dr_lexicon_for(al->c, u && u->source ? "en" : dr_doc_locale(d->doc));
}

/* What the digits of unit u of r and unit x of t say of their being one. */
static int unit_digits(const aligner *al, const rd_doc *r, const rd_unit *u, const rd_doc *t, const rd_unit *x) {
    return digit_evidence(al, lex_of(al, r, u), u->source ? u->source : u->text, lex_of(al, t, NULL), x->text);
}

/* What the units' digits and link targets say of their being one. */
static int evidence(const aligner *al, const rd_doc *r, const rd_unit *u, const rd_doc *t, const rd_unit *x) {
    int e = unit_digits(al, r, u, t, x);
    if (u->links && x->links) e += u->links == x->links ? 60 : -20;
    return e;
}

/* The unit of t aligned with unit u of r, or NULL. *sure: whether the
 * pairing rests on more than order: the section pinned by its anchor, as
 * many units of the kind on both sides, and neither digits nor links
 * against it. */
static const rd_unit *align_unit(const aligner *al, const rd_doc *r, const rd_doc *t, const int *map,
                                 const char *pinned, const rd_unit *u, int *sure) {
    int st = map[u->section];
    *sure = 0;
    if (st < 0) return NULL;
    if (u->kind == RK_TITLE) {
        *sure = pinned[u->section];
        for (size_t i = 0; i < t->n; i++)
            if (t->u[i].section == st && t->u[i].kind == RK_TITLE) return &t->u[i];
        return NULL;
    }
    size_t cr = count_kind(r, u->section, u->kind), ct = count_kind(t, st, u->kind);
    const char *utext = u->source ? u->source : u->text;
    const cat_lexicon *lu = lex_of(al, r, u), *lx = lex_of(al, t, NULL);
    const rd_unit *best = NULL;
    double best_score = -1e9;
    for (size_t i = 0; i < t->n; i++) {
        const rd_unit *x = &t->u[i];
        if (x->section != st || x->kind != u->kind) continue;
        double score;
        if (cr == ct) {
            score = x->ord == u->ord ? 100 : -10.0 * abs(x->ord - u->ord);
        } else {
            /* Unequal counts: the same relative place, helped by the same digits. */
            double pr = cr > 1 ? (double)u->ord / (double)(cr - 1) : 0;
            double pt = ct > 1 ? (double)x->ord / (double)(ct - 1) : 0;
            score = -50.0 * (pr > pt ? pr - pt : pt - pr);
        }
        score += digit_evidence(al, lu, utext, lx, x->text);
        /* The same link targets: the strongest sign two units are one. */
        if (u->links && x->links) score += u->links == x->links ? 60 : -20;
        /* A like share of the doc's text. */
        double m = u->share > x->share ? u->share : x->share;
        if (m > 0) score -= 30.0 * (u->share > x->share ? u->share - x->share : x->share - u->share) / m;
        if (score > best_score) {
            best = x;
            best_score = score;
        }
    }
    /* Where the counts differ, a unit with nothing for it (a sentence this
     * version does not have) is better than the nearest one. */
    if (cr != ct && best_score < -45) return NULL;
    if (best)
        *sure = pinned[u->section] && cr == ct && digit_evidence(al, lu, utext, lx, best->text) >= 0 &&
                !(u->links && best->links && u->links != best->links);
    return best;
}

/* --- reading in the aligned unit -----------------------------------------*/


#define MAX_NUMS 32

/* Whether a unit word of the fact's unit stands right after (or before) a
 * number. */
static int unit_next_to(const aligner *al, const cat_lexicon *lx, int unit, const char *s,
                        const num_tok *n) {
    if (!lx || unit < 0 || !lx->unit[unit]) return 0;
    size_t len = strlen(s), at;
    size_t to = n->end + 24 < len ? n->end + 24 : len;
    if (dr_lexicon_find(al->c, lx->unit[unit], s, n->end, to, &at, NULL, al->md)) {
        /* Only spaces, a hyphen or a counter's few letters between. */
        int ok = 1, letters = 0;
        for (size_t i = n->end; i < at && ok; i++) {
            unsigned char ch = (unsigned char)s[i];
            if (ch == ' ' || ch == '-' || ch == 0xC2 /* NBSP */ || ch == 0xA0) continue;
            if (++letters > 12) ok = 0;
        }
        if (ok) return 1;
    }
    size_t from = n->start > 16 ? n->start - 16 : 0, end;
    if (dr_lexicon_find(al->c, lx->unit[unit], s, from, n->start, &at, &end, al->md) && end + 3 >= n->start)
        return 1;
    return 0;
}

/* The bound the words around a number give, nearest first; 0: none. */
static int bound_near(const aligner *al, const cat_lexicon *lx, const char *s, const num_tok *n) {
    if (!lx) return 0;
    size_t len = strlen(s), best_d = (size_t)-1;
    int best = 0;
    for (int b = DR_BOUND_BELOW; b <= DR_BOUND_AT_MOST; b++) {
        if (!lx->bound[b]) continue;
        size_t at, end;
        size_t from = n->start > 40 ? n->start - 40 : 0;
        size_t pos = from;
        while (pos < n->start && dr_lexicon_find(al->c, lx->bound[b], s, pos, n->start, &at, &end, al->md)) {
            size_t d = end <= n->start ? n->start - end : 0;
            if (d < best_d) {
                best_d = d;
                best = b;
            }
            pos = end > pos ? end : pos + 1;
        }
        size_t to = n->end + 40 < len ? n->end + 40 : len;
        if (dr_lexicon_find(al->c, lx->bound[b], s, n->end, to, &at, &end, al->md)) {
            size_t d = at - n->end;
            if (d < best_d) {
                best_d = d;
                best = b;
            }
        }
    }
    return best;
}

static dr_fact *emit(aligner *al, const dr_fact *rf, long ref, const rd_doc *t, const rd_unit *x,
                     long value, const char *key, int bound, const char *via) {
    dr_fact *f = DR_VEC_PUSH(al->a, *al->facts);
    memset(f, 0, sizeof *f);
    f->fact = rf->fact;
    f->value = value;
    f->key = key;
    f->doc = t->doc;
    f->line = x ? x->line : t->sec[0].line;
    f->col = x ? x->col : 1;
    f->section = x ? x->section : 0;
    f->text = x ? x->text : "";
    f->how = DR_HOW_ALIGNED;
    f->ref = ref;
    f->bound = bound;
    /* Say so when a second reading found it: a reader checking the fact
     * should know the version it was read through is not the nearest. */
    f->via = al->want ? dr_arena_printf(al->a, "%s, a version that states it (the nearest does not)", via) : via;
    return f;
}

static void gap(aligner *al, const rd_doc *t, long ref, const rd_unit *x, const char *why) {
    if (al->want) return;
    dr_gap *g = DR_VEC_PUSH(al->a, *al->gaps);
    g->doc = t->doc;
    g->ref = ref;
    g->line = x ? x->line : 1;
    g->col = x ? x->col : 1;
    g->why = why;
}

/* Whether unit x of t holds one of the lexicon terms the flag's sentence
 * has ("immediately" for "billing is stopped immediately"): a sentence of
 * another version in the same place is not taken for it. */
static int holds_concept(const aligner *al, const rd_doc *t, const cat_fact *cf, const rd_unit *x) {
    const cat_lexicon *lt = dr_lexicon_for(al->c, dr_doc_locale(t->doc));
    if (!lt) return 0;
    size_t len = strlen(x->text), at;
    for (size_t k = 0; k < cf->nconcepts; k++)
        for (size_t i = 0; i < lt->terms.n; i++)
            if (strcmp(lt->terms.v[i].key, cf->concepts[k]) == 0 &&
                dr_lexicon_find(al->c, lt->terms.v[i].code, x->text, 0, len, &at, NULL, al->md))
                return 1;
    return 0;
}

/* The first unit of x's section, of x's kind, that holds one of flag cf's
 * concepts, or NULL (none declared, or none holds one). */
static const rd_unit *concept_in_section(const aligner *al, const rd_doc *t, const cat_fact *cf, const rd_unit *x) {
    if (!cf->nconcepts) return NULL;
    for (size_t i = 0; i < t->n; i++) {
        const rd_unit *y = &t->u[i];
        if (y != x && y->section == x->section && y->kind == x->kind && holds_concept(al, t, cf, y)) return y;
    }
    return NULL;
}

/* Whether doc t already states fact (and key): its own pattern's facts
 * start at `first`, what this reading added follows them or comes last. */
static int stated(const aligner *al, size_t first, const dr_doc *t, int fact, const char *key) {
    for (size_t i = first; i < al->facts->n; i++) {
        const dr_fact *f = &al->facts->v[i];
        if (f->doc == t && f->fact == fact && (!key || !f->key || strcmp(f->key, key) == 0)) return 1;
    }
    return 0;
}

/* Reads a number fact in unit x of t, found at rf in unit u of r. */
static void read_number(aligner *al, const rd_doc *r, const rd_doc *t, const rd_unit *u,
                        const rd_unit *x, const dr_fact *rf, long ref) {
    const cat_fact *cf = &al->c->facts.v[rf->fact];
    const cat_lexicon *lr = dr_lexicon_for(al->c, rf->from_source ? "en" : dr_doc_locale(r->doc));
    const cat_lexicon *lt = dr_lexicon_for(al->c, dr_doc_locale(t->doc));
    const char *rs = rf->text, *ts = x->text;
    num_tok rn[MAX_NUMS], tn[MAX_NUMS];
    size_t nr = dr_lexicon_numbers(al->c, lr, rs, rn, MAX_NUMS, al->md);
    size_t nt = dr_lexicon_numbers(al->c, lt, ts, tn, MAX_NUMS, al->md);
    (void)u;
    /* Which of r's numbers the fact is: the one of its value nearest the
     * pattern's match. */
    long k = -1;
    for (size_t i = 0; i < nr; i++)
        if (rn[i].value == rf->value && rn[i].end > rf->offset &&
            (k < 0 || rn[i].start < rn[k].start))
            k = (long)i;
    for (size_t i = 0; i < nr && k < 0; i++)
        if (rn[i].value == rf->value) k = (long)i;
    long pick = -1;
    const char *how = NULL;
    /* A value the pattern gives ("except for one global administrator"):
     * the aligned unit states it, unless it writes another number in its
     * place (machine translation also drops the "one"). */
    int fixed = 0;
    for (size_t i = 0; i < al->c->patterns.n && !fixed; i++)
        fixed = al->c->patterns.v[i].fact == rf->fact && al->c->patterns.v[i].value != 0;
    if (fixed && !(nt == 1 && tn[0].value != rf->value)) {
        emit(al, rf, ref, t, x, rf->value, NULL, 0, "the aligned unit (the value the pattern gives)");
        return;
    }
    if (k < 0 || nt == 0) {
        gap(al, t, ref, x, nt ? "the aligned unit's numbers cannot be matched to the source's"
                              : "the aligned unit has no number");
        return;
    }
    /* 1. The language's unit word next to it ("90 Tage", "10 分钟"). */
    if (cf->unit >= 0 && lt && lt->unit[cf->unit]) {
        long rank = 0, rcount = 0, cand[MAX_NUMS], nc = 0;
        for (size_t i = 0; i < nr; i++)
            if (unit_next_to(al, lr, cf->unit, rs, &rn[i])) {
                if ((long)i == k) rank = rcount;
                rcount++;
            }
        for (size_t i = 0; i < nt; i++)
            if (unit_next_to(al, lt, cf->unit, ts, &tn[i])) cand[nc++] = (long)i;
        if (nc == 1 || (nc > 0 && nc == rcount)) {
            pick = cand[nc == 1 ? 0 : rank];
            how = "the number next to the unit word";
        }
    }
    /* 2. Its place among the unit's numbers, when there are as many. */
    if (pick < 0 && nt == nr) {
        pick = k;
        how = "the number in the same place";
    }
    /* 3. The same value, or the only number. */
    for (size_t i = 0; i < nt && pick < 0; i++)
        if (tn[i].value == rf->value) {
            pick = (long)i;
            how = "the same number";
        }
    if (pick < 0 && nt == 1) {
        pick = 0;
        how = "the only number";
    }
    if (pick < 0) {
        gap(al, t, ref, x, "the aligned unit's numbers cannot be matched to the source's");
        return;
    }
    int bound = cf->bound ? bound_near(al, lt, ts, &tn[pick]) : 0;
    char *via = dr_arena_printf(al->a, "%s (%ld of %zu) in the unit aligned with %s:%d", how,
                                pick + 1, nt, dr_doc_path(r->doc), u->line);
    dr_fact *f = emit(al, rf, ref, t, x, tn[pick].value, NULL, bound, via);
    f->offset = tn[pick].start;
}

/* The words that read a set fact's values in one language: the
 * lexicon's terms for the values the fact declares, or, where it has
 * none, the terms the language's own links taught (linked.c). At most 64. */
typedef struct vocab_term {
    const char *key;
    const pcre2_code *code;
    const dr_learned *learned; /* or NULL: the lexicon's */
} vocab_term;

typedef struct vocab {
    vocab_term v[64];
    size_t n;
    int learned; /* its terms are learned ones */
    int lexicon; /* the language has a lexicon */
} vocab;

static void vocab_of(const aligner *al, const char *locale, int fact, vocab *out) {
    const cat_lexicon *lt = dr_lexicon_for(al->c, locale);
    out->n = 0;
    out->learned = 0;
    out->lexicon = lt != NULL;
    for (size_t i = 0; lt && i < lt->terms.n && out->n < 64; i++) {
        const cat_term *term = &lt->terms.v[i];
        int declared = 0;
        for (size_t p = 0; p < al->c->patterns.n && !declared; p++)
            declared = al->c->patterns.v[p].fact == fact && al->c->patterns.v[p].key &&
                       strcmp(al->c->patterns.v[p].key, term->key) == 0;
        if (declared) out->v[out->n++] = (vocab_term){term->key, term->code, NULL};
    }
    if (out->n || !locale || !al->learned) return;
    for (size_t i = 0; i < al->learned->n && out->n < 64; i++) {
        const dr_learned *l = &al->learned->v[i];
        if (l->fact == fact && !l->ambiguous && strcasecmp(l->locale, locale) == 0)
            out->v[out->n++] = (vocab_term){l->key, l->code, l};
    }
    out->learned = out->n > 0;
}

static int vocab_has(const vocab *v, const char *key) {
    for (size_t i = 0; i < v->n; i++)
        if (strcmp(v->v[i].key, key) == 0) return 1;
    return 0;
}

/* The terms of the vocabulary in unit x: a bit per term, where each
 * starts in where[]. */
static unsigned long long terms_in(aligner *al, const vocab *v, const rd_unit *x, size_t *where) {
    unsigned long long found = 0;
    size_t len = strlen(x->text);
    for (size_t i = 0; i < v->n; i++) {
        size_t at;
        if (dr_lexicon_find(al->c, v->v[i].code, x->text, 0, len, &at, NULL, al->md)) {
            found |= 1ULL << i;
            where[i] = at;
        }
    }
    return found;
}

/* The values the reference states in the unit of its fact at ref: its
 * facts of that fact on that line, which lie next to it (a doc's facts
 * are appended together). At most 64. */
static size_t ref_keys(const aligner *al, long ref, const char **keys) {
    const dr_fact *rf = &al->facts->v[ref];
    size_t n = 0;
    for (long d = -1; d <= 1; d += 2)
        for (long j = d < 0 ? ref : ref + 1; j >= 0 && (size_t)j < al->facts->n && al->facts->v[j].doc == rf->doc;
             j += d) {
            const dr_fact *f = &al->facts->v[j];
            if (f->fact == rf->fact && f->line == rf->line && f->key && n < 64) keys[n++] = f->key;
        }
    return n;
}

/* A set read by learned terms is read as the reference states it, or not
 * at all: every value it states must have a term (else *missing names the
 * first that has none) and be found, and no other value found. A value
 * whose term was never learned would read as one the translation drops,
 * and a learned word that also means something else ("sahip": owner, and
 * "to have") as one it adds; learned terms confirm, a lexicon's can
 * contradict. */
static int as_the_reference(const aligner *al, long ref, const vocab *v, unsigned long long found,
                            const char **missing) {
    const char *keys[64];
    size_t nk = ref_keys(al, ref, keys);
    int all = 1;
    for (size_t i = 0; i < nk; i++) {
        int has = 0, in = 0;
        for (size_t k = 0; k < v->n; k++)
            if (strcmp(v->v[k].key, keys[i]) == 0) {
                has = 1;
                in |= (found >> k) & 1;
            }
        if (!has && !*missing) *missing = keys[i];
        all &= in;
    }
    for (size_t k = 0; k < v->n; k++) {
        int stated = 0;
        for (size_t i = 0; i < nk && !stated; i++) stated = strcmp(v->v[k].key, keys[i]) == 0;
        if (((found >> k) & 1) && !stated) all = 0;
    }
    return all;
}

static void emit_terms(aligner *al, const vocab *v, const dr_fact *rf, long ref, const rd_doc *t,
                       const rd_unit *at, unsigned long long found, const size_t *where_at, size_t first,
                       const char *where);

/* Reads the values of a set fact (roles...) in unit x of t: the
 * language's terms for every value the fact declares. Where the aligned
 * unit names none (a version that moved the roles into a table), the first
 * unit of the aligned section that names one. */
static void read_set(aligner *al, const rd_doc *r, const rd_doc *t, const rd_unit *u, const rd_unit *x,
                     const dr_fact *rf, long ref, size_t first) {
    vocab v;
    vocab_of(al, dr_doc_locale(t->doc), rf->fact, &v);
    /* No word for any value: a gap, even where x surely translates u in a
     * doc of the same version. Taking the values u states there, as a
     * flag is taken from its unit, read 4 more held-out facts of 341
     * (services_disabled in fr, nl, ru and zh-tw: 89.7% to 90.9%, none
     * wrong), but it also read the admin in a translation that names the
     * owners (tests/fixtures/linked-wrong/xver), and a set read that way
     * can never disagree, so validate would stop seeing such edits. */
    if (!v.n) {
        gap(al, t, ref, x, v.lexicon ? "the language's lexicon has no term for it"
                                     : "no lexicon for this language, and no link of its docs taught a term: its "
                                       "terms cannot be read");
        return;
    }
    const char *missing = NULL;
    if (v.learned) {
        as_the_reference(al, ref, &v, 0, &missing);
        if (missing) {
            gap(al, t, ref, x, dr_arena_printf(al->a, "no lexicon for this language, and no link of its docs taught "
                                                      "a term for %s", missing));
            return;
        }
    }
    const rd_unit *at = x;
    size_t where_at[64];
    unsigned long long found = terms_in(al, &v, x, where_at);
    const char *where = "the unit";
    /* Learned terms only in the aligned unit: another unit of the section
     * may name a role for another reason ("questions go to the account
     * administrator") beside a unit no learned term reads. */
    for (size_t i = 0; i < t->n && !found && !v.learned; i++) {
        const rd_unit *y = &t->u[i];
        if (y->section != x->section || y == x || y->kind == RK_TITLE) continue;
        found = terms_in(al, &v, y, where_at);
        if (found) {
            at = y;
            where = "the section";
        }
    }
    if (!found) {
        gap(al, t, ref, x, vocab_has(&v, rf->key) ? "none of the language's terms for it is in the aligned unit"
                                                  : "the language's lexicon has no term for it");
        return;
    }
    if (v.learned && !as_the_reference(al, ref, &v, found, &missing)) {
        gap(al, t, ref, x, "the terms its links taught do not find in the aligned unit the values the reference "
                           "states there, and only those");
        return;
    }
    char *where_said = dr_arena_printf(al->a, "%s aligned with %s:%d", where, dr_doc_path(r->doc), u->line);
    emit_terms(al, &v, rf, ref, t, at, found, where_at, first, where_said);
}

/* A set fact's values in unit at of t (found: terms_in's bits, at
 * where_at), each stated once, in the order the unit states them, as
 * patterns' facts are; where says where the unit is, for `read`. */
static void emit_terms(aligner *al, const vocab *v, const dr_fact *rf, long ref, const rd_doc *t,
                       const rd_unit *at, unsigned long long found, const size_t *where_at, size_t first,
                       const char *where) {
    for (;;) {
        size_t i = 64;
        for (size_t j = 0; j < v->n; j++)
            if ((found & (1ULL << j)) && (i == 64 || where_at[j] < where_at[i])) i = j;
        if (i == 64) break;
        found &= ~(1ULL << i);
        const vocab_term *term = &v->v[i];
        if (stated(al, first, t->doc, rf->fact, term->key)) continue;
        char *via = term->learned
                        ? dr_arena_printf(al->a, "the term for %s that its link to %s taught (%s) in %s", term->key,
                                          term->learned->href, term->learned->where, where)
                        : dr_arena_printf(al->a, "a term of %s in %s", term->key, where);
        dr_fact *f = emit(al, rf, ref, t, at, 1, term->key, 0, via);
        f->offset = where_at[i];
    }
}

/* A set fact the declaration places in a section by its anchor (anchor =
 * in rules/facts): read in t's section of that anchor, its first unit
 * naming one of the language's terms for the fact's values, whatever the
 * reference's version. Anchors survive translation where sentences move:
 * the 2019-10 Azure article says who can cancel in a table of its own
 * section, which no earlier English sentence aligns with. 1 when t has
 * such a section and a unit of it was read. Not by learned terms: with
 * no reference unit to say which values to look for, a value whose term
 * was never learned would read as one the version drops. */
static int read_set_section(aligner *al, const rd_doc *t, const dr_fact *rf, long ref, size_t first) {
    const cat_fact *cf = &al->c->facts.v[rf->fact];
    if (!cf->nsections) return 0;
    vocab v;
    vocab_of(al, dr_doc_locale(t->doc), rf->fact, &v);
    if (!v.n || v.learned) return 0;
    for (size_t s = 0; s < t->nsec; s++) {
        const char *anchor = t->sec[s].anchor;
        if (!t->sec[s].anchor_explicit || !dr_catalog_section_names(al->c, rf->fact, -1, anchor, al->md)) continue;
        for (size_t i = 0; i < t->n; i++) {
            const rd_unit *y = &t->u[i];
            if (y->section != (int)s || y->kind == RK_TITLE) continue;
            size_t where_at[64];
            unsigned long long found = terms_in(al, &v, y, where_at);
            if (!found) continue;
            char *where = dr_arena_printf(al->a, "the section #%s", anchor);
            emit_terms(al, &v, rf, ref, t, y, found, where_at, first, where);
            return 1;
        }
    }
    return 0;
}

/* --- one doc --------------------------------------------------------------*/

static int has_english_pattern(const dr_catalog *c, int fact) {
    for (size_t i = 0; i < c->patterns.n; i++)
        if (c->patterns.v[i].fact == fact && strcmp(c->patterns.v[i].lang, "en") == 0) return 1;
    return 0;
}

/* The facts of r: its patterns' (rfirst..rlast) and those its own
 * reading added (afirst..alast). */
static void align_doc(aligner *al, const rd_doc *r, const rd_doc *t, const size_t range[4],
                      size_t tfirst) {
    int *map = dr_arena_calloc(al->a, r->nsec ? r->nsec : 1, sizeof *map);
    char *pinned = dr_arena_calloc(al->a, r->nsec ? r->nsec : 1, 1);
    align_sections(r, t, map, pinned);
    /* Another version's doc says where this one's numbers and terms are;
     * that it states a flag says nothing of this version unless the units
     * pair surely. */
    int same = dr_docs_same_version(r->doc, t->doc);
    /* English is what the authors' patterns were written against: in a doc
     * English patterns read (English, or a bilingual doc's source), a fact
     * that has them is stated where they find it and nowhere else. */
    int english = english_readable(t->doc);
    for (size_t i = range[0]; i < range[3]; i++) {
        if (i == range[1]) i = range[2];
        if (i >= range[3]) break;
        /* A copy: reading appends to the vector it lives in. */
        const dr_fact rfc = al->facts->v[i], *rf = &rfc;
        if (rf->doc != r->doc) continue;
        const cat_fact *cf = &al->c->facts.v[rf->fact];
        if (english && has_english_pattern(al->c, rf->fact)) continue;
        if (al->want && !al->want[rf->fact]) continue;
        int seen = 0; /* a set's values of one unit are read at once */
        for (size_t j = range[0]; j < i && !seen; j++)
            seen = cf->kind == DR_FACT_SET && al->facts->v[j].doc == r->doc &&
                   al->facts->v[j].fact == rf->fact && al->facts->v[j].line == rf->line;
        if (seen) continue;
        if (cf->kind == DR_FACT_PROCEDURE) {
            if (stated(al, tfirst, t->doc, rf->fact, NULL)) continue;
            int st = map[rf->section];
            if (st < 0) {
                gap(al, t, (long)i, NULL, "no section aligns with the procedure's");
                continue;
            }
            /* An anchor the doc wrote names the section: one the
             * procedure's patterns do not match is another section. */
            if (t->sec[st].anchor_explicit) {
                if (!dr_catalog_section_names(al->c, rf->fact, -1, t->sec[st].anchor, al->md)) {
                    gap(al, t, (long)i, NULL, "the aligned section's anchor is not the procedure's");
                    continue;
                }
            }
            rd_unit title = {RK_TITLE, t->sec[st].title, NULL, t->sec[st].line, t->sec[st].col, st, 0, -1, 0, 0};
            char *via = dr_arena_printf(al->a, "the section aligned with %s:%d", dr_doc_path(r->doc), rf->line);
            emit(al, rf, (long)i, t, &title, 1, NULL, 0, via);
            continue;
        }
        if (cf->kind != DR_FACT_SET && stated(al, tfirst, t->doc, rf->fact, NULL)) continue;
        if (cf->kind == DR_FACT_SET && read_set_section(al, t, rf, (long)i, tfirst)) continue;
        /* A second reading reads a set only in the section its anchor names. */
        if (cf->kind == DR_FACT_SET && al->want) continue;
        const rd_unit *u = rd_find(r, rf);
        int sure = 0;
        const rd_unit *x = u ? align_unit(al, r, t, map, pinned, u, &sure) : NULL;
        /* Read again through another version, a flag needs its words:
         * that the units pair says nothing of a sentence the nearest
         * version dropped. */
        int placed = x && sure && !al->want && evidence(al, r, u, t, x) > 0;
        if (x && (!same || al->want) && cf->kind == DR_FACT_FLAG && !(placed || holds_concept(al, t, cf, x))) {
            /* A version that added sentences around it (2019-10 put four
             * more bullets before "delete all resources") moves it off its
             * place: the unit of the aligned section that holds the fact's
             * words states it. */
            const rd_unit *y = concept_in_section(al, t, cf, x);
            if (!y) {
                gap(al, t, (long)i, x, "another version states it here; whether this one does cannot be told");
                continue;
            }
            char *via = dr_arena_printf(al->a, "the unit of the section aligned with %s:%d that holds its words",
                                        dr_doc_path(r->doc), u->line);
            emit(al, rf, (long)i, t, y, 1, NULL, 0, via);
            continue;
        }
        if (!x) {
            if (!stated(al, tfirst, t->doc, rf->fact, NULL))
                gap(al, t, (long)i, NULL, "no unit aligns with the one that states it");
            continue;
        }
        switch (cf->kind) {
        case DR_FACT_NUMBER:
            /* Through a version that is not the one read first, a number
             * is read only in a unit with the same digits in the same
             * order: "more than 25 ... fewer than 25" is not "more than
             * 25, call support". */
            if (al->want && unit_digits(al, r, u, t, x) <= 0) break;
            read_number(al, r, t, u, x, rf, (long)i);
            break;
        case DR_FACT_SET:
            read_set(al, r, t, u, x, rf, (long)i, tfirst);
            break;
        default: {
            char *via = dr_arena_printf(al->a, "the unit aligned with %s:%d", dr_doc_path(r->doc), u->line);
            emit(al, rf, (long)i, t, x, 1, NULL, 0, via);
        }
        }
    }
}

/* A bilingual doc is its own reference: the translation of each unit
 * where an English pattern found a number or a set is read as a
 * translation of another doc would be, so that "25 以上" beside "more than
 * 25" is seen (flags and procedures need no reading: the unit is there). */
static void align_self(aligner *al, const rd_doc *d, size_t first, size_t last) {
    for (size_t i = first; i < last; i++) {
        const dr_fact rfc = al->facts->v[i], *rf = &rfc;
        if (!rf->from_source) continue;
        const cat_fact *cf = &al->c->facts.v[rf->fact];
        if (cf->kind != DR_FACT_NUMBER && cf->kind != DR_FACT_SET) continue;
        int seen = 0;
        for (size_t j = first; j < i && !seen; j++)
            seen = cf->kind == DR_FACT_SET && al->facts->v[j].fact == rf->fact && al->facts->v[j].line == rf->line;
        if (seen) continue;
        const rd_unit *u = rd_find(d, rf);
        if (!u || !u->source) continue;
        rd_unit x = *u;
        x.source = NULL;
        if (cf->kind == DR_FACT_NUMBER) read_number(al, d, d, u, &x, rf, (long)i);
        else read_set(al, d, d, u, &x, rf, (long)i, al->facts->n);
    }
}

/* settled[t]: what doc t does not state is settled, and nothing reads it
 * again: English patterns read it (English, or bilingual), or an English
 * or bilingual doc of its article carries its version (the English of a
 * translation not stating a fact settles it: review of 42c1715 found an
 * Italian 2021 doc read, through a 2020 one, as saying what its 2021
 * English dropped). */
static char *settled_docs(dr_doc *const *docs, const int *article, size_t ndocs, dr_arena *a) {
    char *settled = dr_arena_calloc(a, ndocs ? ndocs : 1, 1);
    for (size_t t = 0; t < ndocs; t++) {
        if (article[t] < 0) continue;
        settled[t] = (char)english_readable(docs[t]);
        for (size_t r = 0; r < ndocs && !settled[t]; r++)
            settled[t] = r != t && article[r] == article[t] && english_readable(docs[r]) &&
                         dr_docs_same_version(docs[r], docs[t]);
    }
    return settled;
}

/* What the version a doc was read through does not state, the doc may
 * state all the same: the 2021 translations of the Office 365 article put
 * back "reduce to fewer than 25" that the 2020 English nearest them had
 * dropped, and no English of 2021 is published. So in a version no
 * English or bilingual doc carries (where one does, what it does not
 * state is not stated), each number, flag and anchored set of the article
 * that a translation does not state, and whose reading left no gap (its
 * reference does not state it either), is looked for through the doc most
 * like it that can give it: a number
 * where the aligned unit has the same digits in the same order, a flag
 * where the aligned unit (or one of its section) holds the fact's words,
 * a set declared with its section's anchor in that section of this doc.
 * Nothing read here is a gap: the doc may well not state it. */
static void second_readings(aligner *al, dr_doc *const *docs, const int *article, size_t ndocs,
                            size_t (*range)[4], const size_t *nfacts, const char *ready, const fingerprint *fp,
                            const char *settled) {
    const dr_catalog *c = al->c;
    size_t nk = c->facts.n;
    if (!nk || !ndocs) return;
    int any = 0;
    for (size_t t = 0; t < ndocs && !any; t++) any = article[t] >= 0 && !settled[t];
    if (!any) return;
    dr_doc_addr *sorted = dr_arena_calloc(al->a, ndocs, sizeof *sorted);
    /* states[t * nk + f]: 1 doc t states fact f, 2 its reading left a gap
     * for it, 4 it can give it to a reading through it (a fact of its
     * range[], which align_doc reads). */
    char *states = dr_arena_calloc(al->a, ndocs * nk, 1);
    long *score = dr_arena_calloc(al->a, ndocs, sizeof *score);
    char *want = dr_arena_calloc(al->a, nk, 1);
    long *via = dr_arena_calloc(al->a, nk, sizeof *via);
    for (size_t i = 0; i < ndocs; i++) sorted[i] = (dr_doc_addr){docs[i], i};
    dr_doc_addr_sort(sorted, ndocs);
    for (size_t i = 0; i < al->facts->n; i++) {
        long d = dr_doc_addr_find(sorted, ndocs, al->facts->v[i].doc);
        if (d >= 0) states[(size_t)d * nk + (size_t)al->facts->v[i].fact] = 1;
    }
    for (size_t i = 0; i < al->gaps->n; i++) {
        long d = dr_doc_addr_find(sorted, ndocs, al->gaps->v[i].doc);
        if (d >= 0) states[(size_t)d * nk + (size_t)al->facts->v[al->gaps->v[i].ref].fact] |= 2;
    }
    for (size_t r = 0; r < ndocs; r++)
        for (size_t i = range[r][0]; i < range[r][3]; i++) {
            if (i == range[r][1]) i = range[r][2];
            if (i >= range[r][3]) break;
            states[r * nk + (size_t)al->facts->v[i].fact] |= 4;
        }
    for (size_t t = 0; t < ndocs; t++) {
        if (article[t] < 0 || settled[t]) continue;
        size_t nwant = 0;
        int scored = 0;
        for (size_t f = 0; f < nk; f++) {
            const cat_fact *cf = &c->facts.v[f];
            via[f] = -1;
            if (cf->article != article[t] || states[t * nk + f] ||
                !(cf->kind == DR_FACT_NUMBER || cf->kind == DR_FACT_FLAG ||
                  (cf->kind == DR_FACT_SET && cf->nsections)))
                continue;
            /* Each doc's fitness as t's reference, once for all its facts. */
            for (size_t r = 0; r < ndocs && !scored; r++) score[r] = ref_score(docs, article, nfacts, ready, fp, t, r);
            scored = 1;
            long best = 0;
            for (size_t r = 0; r < ndocs; r++)
                if ((states[r * nk + f] & 4) && score[r] > best) {
                    best = score[r];
                    via[f] = (long)r;
                }
            nwant += via[f] >= 0;
        }
        /* One reading per doc read through, for all it is wanted for. */
        while (nwant) {
            long r = -1;
            for (size_t f = 0; f < nk; f++) {
                want[f] = 0;
                if (via[f] >= 0 && (r < 0 || via[f] == r)) {
                    r = via[f];
                    want[f] = 1;
                    via[f] = -1;
                    nwant--;
                }
            }
            rd_doc rd, td;
            rd_build(docs[r], al->a, &rd);
            rd_build(docs[t], al->a, &td);
            al->want = want;
            align_doc(al, &rd, &td, range[r], range[t][0]);
            al->want = NULL;
        }
    }
}

void dr_align_docs(const dr_catalog *c, dr_doc *const *docs, const int *article, size_t ndocs,
                   int *refs, dr_arena *a, dr_fact_vec *facts, dr_gap_vec *gaps,
                   pcre2_match_data *md) {
    dr_learned_vec learned = {0};
    aligner al = {c, a, facts, gaps, md, NULL, &learned};
    /* range[i]: doc i's pattern facts (extraction appended them doc by
     * doc, in order), then those its reading adds. */
    size_t (*range)[4] = dr_arena_calloc(a, ndocs + 1, sizeof *range);
    size_t *nfacts = dr_arena_calloc(a, ndocs + 1, sizeof *nfacts);
    size_t *nlang = dr_arena_calloc(a, ndocs + 1, sizeof *nlang);
    char *ready = dr_arena_calloc(a, ndocs + 1, 1);
    fingerprint *fp = dr_arena_calloc(a, ndocs + 1, sizeof *fp);
    for (size_t i = 0; i < ndocs; i++)
        if (article[i] >= 0) {
            fp[i].n = doc_numbers(docs[i], fp[i].v, 128);
            dr_doc_sections(docs[i], &fp[i].nsec);
        }
    size_t n0 = facts->n;
    for (size_t i = 0, f = 0; i < ndocs; i++) {
        range[i][0] = f;
        for (; f < n0 && facts->v[f].doc == docs[i]; f++)
            /* Procedures are found by anchor in every language: they say
             * nothing of whether the doc's language has patterns. */
            nlang[i] += c->facts.v[facts->v[f].fact].kind != DR_FACT_PROCEDURE;
        range[i][1] = range[i][2] = range[i][3] = f;
        nfacts[i] = range[i][1] - range[i][0];
    }
    /* What the links teach is learned from every doc before any is read,
     * so that a doc read early uses what a later one's link taught. */
    dr_learn_linked_terms(c, docs, article, ndocs, facts->v, n0, a, md, &learned);
    /* Docs English patterns read come first, then those of languages with
     * patterns, then the rest, each read through one read before it: a
     * version with no English doc is read through a sibling of its own
     * version that patterns (or an earlier reading) read. */
    for (int tier = 0; tier < 3; tier++)
        for (size_t t = 0; t < ndocs; t++) {
            int my = english_readable(docs[t]) ? 0 : nlang[t] ? 1 : 2;
            if (my != tier) continue;
            refs[t] = -1;
            size_t nseg;
            dr_doc_segments(docs[t], &nseg);
            if (article[t] >= 0 && nseg) {
                rd_doc self;
                rd_build(docs[t], a, &self);
                size_t before = facts->n;
                align_self(&al, &self, range[t][0], range[t][1]);
                range[t][2] = before;
                range[t][3] = facts->n;
            }
            if (article[t] >= 0) {
                long r = choose_ref(docs, article, ndocs, nfacts, ready, fp, t);
                if (r >= 0) {
                    refs[t] = (int)r;
                    rd_doc rd, td;
                    rd_build(docs[r], a, &rd);
                    rd_build(docs[t], a, &td);
                    size_t before = facts->n;
                    align_doc(&al, &rd, &td, range[r], range[t][0]);
                    if (range[t][3] == range[t][2]) range[t][2] = before;
                    range[t][3] = facts->n;
                    nfacts[t] += facts->n - before;
                }
            }
            ready[t] = 1;
        }
    /* A doc read before a sibling of its own version was ready reads it
     * now, for what its first reference did not give. */
    for (size_t t = 0; t < ndocs; t++) {
        if (article[t] < 0 || english_readable(docs[t]) || (refs[t] >= 0 && dr_docs_same_version(docs[refs[t]], docs[t])))
            continue;
        long r = choose_ref(docs, article, ndocs, nfacts, ready, fp, t);
        if (r < 0 || r == refs[t] || !dr_docs_same_version(docs[r], docs[t])) continue;
        rd_doc rd, td;
        rd_build(docs[r], a, &rd);
        rd_build(docs[t], a, &td);
        refs[t] = (int)r;
        align_doc(&al, &rd, &td, range[r], range[t][0]);
    }
    char *settled = settled_docs(docs, article, ndocs, a);
    second_readings(&al, docs, article, ndocs, range, nfacts, ready, fp, settled);
    dr_read_repeated(c, docs, article, ndocs, settled, a, facts, md);
    dr_learned_free(&learned);
}
