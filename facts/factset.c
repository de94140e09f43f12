/* A corpus run through a catalog: every declared fact, where it is stated. */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "../common/alloc.h"
#include "../common/buf.h"
#include "../common/hash.h"
#include "../common/libxml.h"
#include "../common/walk.h"
#include "internal.h"

/* --- extraction -----------------------------------------------------------*/

/* Digits, ASCII or full-width, to a number; -1 when there are none. */
static long parse_number(const char *s, size_t n) {
    long v = 0;
    int any = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c >= '0' && c <= '9') {
            v = v * 10 + (c - '0');
            any = 1;
            i++;
        } else if (c == 0xEF && i + 2 < n && (unsigned char)s[i + 1] == 0xBC &&
                   (unsigned char)s[i + 2] >= 0x90 && (unsigned char)s[i + 2] <= 0x99) {
            v = v * 10 + ((unsigned char)s[i + 2] - 0x90); /* U+FF10..U+FF19 */
            any = 1;
            i += 3;
        } else {
            i++;
        }
        if (v > 1000000000L) return -1;
    }
    return any ? v : -1;
}

/* Whether text names the source file `name` (as a path component:
 * "media/name/x.png", "../name.md", "articles\\name.md"). */
static int names_source(const char *text, const char *name) {
    size_t n = strlen(name);
    for (const char *p = text; (p = strstr(p, name)) != NULL; p++) {
        char before = p == text ? '/' : p[-1], after = p[n];
        if ((before == '/' || before == '\\') &&
            (after == '/' || after == '\\' || after == '.' || after == '#' || after == '\0'))
            return 1;
    }
    return 0;
}

/* What survives translation names the article: its asset id, an English
 * anchor the doc writes (a heading's <a name>, at any level, old names
 * included), and its source file's name in the doc's own path or in the
 * paths of its images and links. */
int dr_catalog_article_of(const dr_catalog *c, const dr_doc *d) {
    const char *asset = dr_doc_asset(d);
    if (asset) {
        for (size_t i = 0; i < c->articles.n; i++) {
            if (c->articles.v[i].asset && strcasecmp(c->articles.v[i].asset, asset) == 0)
                return (int)i;
            for (size_t k = 0; k < c->articles.v[i].nassets; k++)
                if (strcasecmp(c->articles.v[i].assets[k], asset) == 0) return (int)i;
        }
        /* A doc that names another asset is another article, whatever its
         * anchors look like. */
        return -1;
    }
    size_t ns;
    const dr_section *s = dr_doc_sections(d, &ns);
    /* The title's anchor first, then any heading's the doc wrote. */
    for (int pass = 0; pass < 2; pass++)
        for (size_t k = 0; k < ns; k++) {
            if (pass == 0 ? s[k].level > 1 : !s[k].anchor_explicit) continue;
            for (size_t i = 0; i < c->articles.n; i++)
                for (size_t j = 0; j < c->articles.v[i].nanchors; j++)
                    if (strcmp(s[k].anchor, c->articles.v[i].anchors[j]) == 0) return (int)i;
        }
    size_t ni;
    const dr_image *img = dr_doc_images(d, &ni);
    for (size_t i = 0; i < c->articles.n; i++)
        for (size_t j = 0; j < c->articles.v[i].nsources; j++) {
            const char *src = c->articles.v[i].sources[j];
            if (names_source(dr_doc_path(d), src)) return (int)i;
            /* Its images, when most of them are in the article's media
             * folder: another article may borrow one screenshot. */
            size_t mine = 0, media = 0;
            for (size_t k = 0; k < ni; k++) {
                if (!img[k].src || !strstr(img[k].src, "media")) continue;
                media++;
                mine += names_source(img[k].src, src);
            }
            if (mine && mine * 2 > media) return (int)i;
        }
    return -1;
}

/* What extraction writes to: a vector in an arena, and its match data. */
typedef dr_fact_vec fact_vec;
typedef struct fx {
    const dr_catalog *cat;
    dr_arena *arena;
    fact_vec *facts;
    pcre2_match_data *md;
} fx;

/* text: what the pattern matched in (a unit, a title or an anchor). */
static void add_fact(fx *fs, const cat_pattern *p, const dr_doc *d, const char *text, int line,
                     int col, int section, int from_source) {
    const dr_catalog *c = fs->cat;
    const cat_fact *cf = &c->facts.v[p->fact];
    long value = 1;
    if (cf->kind == DR_FACT_NUMBER) {
        if (p->value) {
            value = p->value;
        } else {
            PCRE2_SIZE *ov = pcre2_get_ovector_pointer(fs->md);
            if (ov[2] == PCRE2_UNSET) return;
            value = parse_number(text + ov[2], ov[3] - ov[2]);
            if (value < 0) return;
        }
    }
    dr_fact *f = DR_VEC_PUSH(fs->arena, *fs->facts);
    memset(f, 0, sizeof *f);
    f->ref = -1;
    f->offset = pcre2_get_ovector_pointer(fs->md)[0];
    f->fact = p->fact;
    f->value = value;
    f->key = p->key;
    f->doc = d;
    f->line = line;
    f->col = col;
    f->section = section;
    f->from_source = from_source;
    f->text = text;
}

static int match(fx *fs, const cat_pattern *p, const char *s) {
    int rc = pcre2_match(p->code, (PCRE2_SPTR)s, strlen(s), 0, PCRE2_NO_UTF_CHECK, fs->md,
                         fs->cat->mctx);
    return rc > 0;
}

/* In the order the doc states them, whatever order the patterns were
 * declared in: "first stated" then means the same on every run. */
static int by_position(const void *pa, const void *pb) {
    const dr_fact *a = pa, *b = pb;
    if (a->line != b->line) return a->line < b->line ? -1 : 1;
    if (a->from_source != b->from_source) return a->from_source - b->from_source;
    if (a->offset != b->offset) return a->offset < b->offset ? -1 : 1;
    if (a->fact != b->fact) return a->fact - b->fact;
    return strcmp(a->key ? a->key : "", b->key ? b->key : "");
}

static void extract(fx *fs, const dr_doc *d, int article) {
    const dr_catalog *c = fs->cat;
    size_t first = fs->facts->n;
    const char *locale = dr_doc_locale(d);
    size_t nu, ns, nt;
    const dr_unit *u = dr_doc_units(d, &nu);
    const dr_section *s = dr_doc_sections(d, &ns);
    const dr_table *t = dr_doc_tables(d, &nt);
    /* A procedure is the first section each of its anchors names. */
    for (size_t fi = 0; fi < c->facts.n; fi++) {
        const cat_fact *cf = &c->facts.v[fi];
        if (cf->article != article || cf->kind != DR_FACT_PROCEDURE) continue;
        const cat_pattern p = {.fact = (int)fi};
        for (size_t a = 0; a < cf->nsections; a++)
            for (size_t k = 0; k < ns; k++)
                if (dr_catalog_section_names(c, (int)fi, (int)a, s[k].anchor, fs->md)) {
                    add_fact(fs, &p, d, s[k].title, s[k].line, s[k].col, (int)k, 0);
                    break;
                }
    }
    for (size_t pi = 0; pi < c->patterns.n; pi++) {
        const cat_pattern *p = &c->patterns.v[pi];
        const cat_fact *cf = &c->facts.v[p->fact];
        if (cf->article != article) continue;
        int own = locale && dr_lang_covers(p->lang, locale);
        int english = strcmp(p->lang, "en") == 0;
        for (size_t k = 0; k < ns; k++) {
            if (own && s[k].title[0] && match(fs, p, s[k].title))
                add_fact(fs, p, d, s[k].title, s[k].line, s[k].col, (int)k, 0);
            else if (english && !own && s[k].source_title && match(fs, p, s[k].source_title))
                add_fact(fs, p, d, s[k].source_title, s[k].line, s[k].col, (int)k, 1);
        }
        for (size_t k = 0; k < nu; k++) {
            if (own && match(fs, p, u[k].text))
                add_fact(fs, p, d, u[k].text, u[k].line, u[k].col, u[k].section, 0);
            else if (english && !own && u[k].source_text && match(fs, p, u[k].source_text))
                add_fact(fs, p, d, u[k].source_text, u[k].line, u[k].col, u[k].section, 1);
        }
        /* Table cells: the header row is the table's line, the rows after
         * the delimiter row follow it. */
        if (!own) continue;
        for (size_t k = 0; k < nt; k++)
            for (size_t r = 0; r < t[k].nrows; r++)
                for (size_t col = 0; col < t[k].ncols; col++) {
                    const char *cell = t[k].cells[r * t[k].ncols + col];
                    if (cell[0] && match(fs, p, cell))
                        add_fact(fs, p, d, cell, t[k].line + (r == 0 ? 0 : (int)r + 1), t[k].col,
                                 t[k].section, 0);
                }
    }
    if (fs->facts->n > first)
        qsort(fs->facts->v + first, fs->facts->n - first, sizeof *fs->facts->v, by_position);
}

size_t dr_catalog_extract(const dr_catalog *c, const dr_doc *d, int article, dr_arena *a,
                          dr_fact **facts, size_t *n, size_t *cap, void *match_data) {
    if (c->no_docs) return 0; /* its patterns are text only (facts.h) */
    fact_vec v = {*facts, *n, *cap};
    fx x = {c, a, &v, match_data};
    size_t before = v.n;
    if (article >= 0) extract(&x, d, article);
    *facts = v.v;
    *n = v.n;
    *cap = v.cap;
    return v.n - before;
}

int dr_factset_load(const dr_catalog *c, const char *const *paths, size_t npaths,
                    const dr_factset_opts *opts, dr_factset **out, dr_error *err) {
    *out = NULL;
    if (c->no_docs) return dr_error_set(err, DR_EUSAGE, NULL, 0, 0, "a bundle's facts are found already: no doc is read");
    /* Only regular files are read: links and FIFOs are passed over here
     * (docrules validate reports them). */
    dr_walk w = {0};
    for (size_t i = 0; i < npaths; i++) {
        int rc = dr_walk_add(&w, paths[i], ".md", NULL, err);
        if (rc != DR_OK) {
            dr_walk_free(&w);
            return rc;
        }
    }
    dr_walk_sort(&w);
    size_t nfiles = 0;
    for (size_t i = 0; i < w.n; i++)
        if (w.v[i].kind == DR_WALK_FILE) w.v[nfiles++] = w.v[i];
        else free(w.v[i].path);
    w.n = nfiles;
    dr_factset *fs = dr_xcalloc(1, sizeof *fs);
    fs->cat = c;
    fs->arena = dr_arena_new(0);
    fs->md = pcre2_match_data_create(16, NULL);
    dr_parse_opts po = {opts ? opts->max_bytes : 0};
    dr_parser *p = dr_parser_new(&po);
    int rc = p ? DR_OK : dr_libxml_fail(err);
    fs->content_hash = DR_HASH_INIT;
    for (size_t i = 0; i < w.n; i++) {
        dr_doc *d;
        /* Under the labelled root, a doc is named by the label. */
        char name[4096];
        dr_path_label(w.v[i].path, npaths ? paths[0] : NULL, opts ? opts->label : NULL, name, sizeof name);
        if (rc == DR_OK && (rc = dr_doc_load_as(p, w.v[i].path, name, &d, err)) == DR_OK) {
            size_t len;
            const char *src = dr_doc_source(d, &len);
            /* By its file name, not where the corpus lies: a copy is the same revision. */
            const char *base = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
            fs->content_hash = dr_hash(dr_hash(fs->content_hash, base, strlen(base) + 1), src, len);
            int a = dr_catalog_article_of(c, d);
            *DR_VEC_PUSH(fs->arena, fs->docs) = d;
            *DR_VEC_PUSH(fs->arena, fs->article) = a;
            if (a >= 0) {
                fx x = {c, fs->arena, &fs->facts, fs->md};
                extract(&x, d, a);
            }
        }
    }
    dr_walk_free(&w);
    dr_parser_free(p);
    if (rc != DR_OK) {
        dr_factset_free(fs);
        return rc;
    }
    fs->docs_read = fs->docs.n;
    for (size_t i = 0; i < fs->docs.n; i++) dr_factset_note_locale(fs, dr_doc_locale(fs->docs.v[i]));
    /* Then every doc through the one it is best read through. */
    fs->refs = dr_arena_calloc(fs->arena, fs->docs.n ? fs->docs.n : 1, sizeof *fs->refs);
    dr_align_docs(c, fs->docs.v, fs->article.v, fs->docs.n, fs->refs, fs->arena, &fs->facts,
                  &fs->gaps, fs->md);
    *out = fs;
    return DR_OK;
}

const dr_gap *dr_factset_gaps(const dr_factset *fs, size_t *n) {
    *n = fs->gaps.n;
    return fs->gaps.v;
}

uint64_t dr_factset_content_hash(const dr_factset *fs) { return fs->content_hash; }

long dr_factset_ref(const dr_factset *fs, size_t i) { return fs->refs ? fs->refs[i] : -1; }

static int addr_order(const void *x, const void *y) {
    uintptr_t a = (uintptr_t)((const dr_doc_addr *)x)->d, b = (uintptr_t)((const dr_doc_addr *)y)->d;
    return a < b ? -1 : a > b;
}

void dr_doc_addr_sort(dr_doc_addr *v, size_t n) {
    if (n) qsort(v, n, sizeof *v, addr_order);
}

long dr_doc_addr_find(const dr_doc_addr *v, size_t n, const dr_doc *d) {
    dr_doc_addr key = {d, 0};
    const dr_doc_addr *hit = n ? bsearch(&key, v, n, sizeof *v, addr_order) : NULL;
    return hit ? (long)hit->i : -1;
}
int dr_factset_article(const dr_factset *fs, size_t i) { return fs->article.v[i]; }

void dr_factset_free(dr_factset *fs) {
    if (!fs) return;
    for (size_t i = 0; i < fs->docs.n; i++) dr_doc_free(fs->docs.v[i]);
    pcre2_match_data_free(fs->md);
    dr_arena_free(fs->arena);
    free(fs);
}

size_t dr_factset_doc_count(const dr_factset *fs) { return fs->docs.n; }
size_t dr_factset_docs_read(const dr_factset *fs) { return fs->docs_read; }

const char *const *dr_factset_locales(const dr_factset *fs, size_t *n) {
    *n = fs->locales.n;
    return fs->locales.v;
}

void dr_factset_note_locale(dr_factset *fs, const char *locale) {
    if (!locale) return;
    for (size_t i = 0; i < fs->locales.n; i++)
        if (strcmp(fs->locales.v[i], locale) == 0) return;
    *DR_VEC_PUSH(fs->arena, fs->locales) = dr_arena_strdup(fs->arena, locale);
}
const dr_doc *dr_factset_doc(const dr_factset *fs, size_t i) { return fs->docs.v[i]; }
const dr_fact *dr_factset_facts(const dr_factset *fs, size_t *n) {
    *n = fs->facts.n;
    return fs->facts.v;
}

/* Whether some pattern of the article, in a language of its own, reads
 * this doc (procedures, found by anchor, have none). */
static int covered(const dr_factset *fs, int article, const dr_doc *d) {
    const dr_catalog *c = fs->cat;
    size_t nseg;
    dr_doc_segments(d, &nseg);
    for (size_t i = 0; i < c->patterns.n; i++) {
        const cat_pattern *p = &c->patterns.v[i];
        if (c->facts.v[p->fact].article != article) continue;
        if (dr_lang_covers(p->lang, dr_doc_locale(d))) return 1;
        if (nseg && strcmp(p->lang, "en") == 0) return 1;
    }
    return 0;
}

size_t dr_factset_version(const dr_factset *fs, const char *article, const char *as_of,
                          size_t *docs, const char **date) {
    int a = -1;
    for (size_t i = 0; i < fs->cat->articles.n; i++)
        if (strcmp(fs->cat->articles.v[i].id, article) == 0) a = (int)i;
    *date = NULL;
    if (a < 0) return 0;
    const char *best = NULL;
    int undated = 0;
    for (size_t i = 0; i < fs->docs.n; i++) {
        if (fs->article.v[i] != a || !covered(fs, a, fs->docs.v[i])) continue;
        const char *dt = dr_doc_date(fs->docs.v[i]);
        if (!dt) {
            undated = 1;
            continue;
        }
        if (as_of && strcmp(dt, as_of) > 0) continue;
        if (!best || strcmp(dt, best) > 0) best = dt;
    }
    size_t n = 0;
    for (size_t i = 0; i < fs->docs.n; i++) {
        if (fs->article.v[i] != a) continue;
        const char *dt = dr_doc_date(fs->docs.v[i]);
        if (best ? (dt && strcmp(dt, best) == 0) : (undated && !dt)) docs[n++] = i;
    }
    *date = best;
    return n;
}
