/* A validation run: list the docs, check each in a worker, then check what
 * spans docs (links between them, translations, versions, rules). */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../common/alloc.h"
#include <jansson.h>

#include "../common/buf.h"
#include "../common/lang.h"
#include "../common/libxml.h"
#include "../common/thread.h"
#include "../common/walk.h"
#include "internal.h"

/* --- listing --------------------------------------------------------------*/

/* Paths, kept in the report's strings: a doc's path and its name in
 * findings are most often one string, kept once. */
typedef struct plist {
    const char **v;
    size_t n, cap;
} plist;

static void plist_add(plist *p, dr_intern *t, const char *s) {
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 256;
        const char **v = dr_xrealloc(p->v, cap * sizeof *v); /* a list of paths: nothing to go on without it */
        p->v = v;
        p->cap = cap;
    }
    pthread_mutex_lock(&t->lock);
    p->v[p->n++] = dr_intern_str(t, dr_intern_add(t, s, strlen(s)));
    pthread_mutex_unlock(&t->lock);
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* --- workers --------------------------------------------------------------*/

typedef struct work {
    const vshared *sh;
    plist *files, *names;
    doc_sum *sums;
    atomic_size_t next, done;
    size_t max_bytes;
} work;

static void *worker(void *arg) {
    work *w = arg;
    dr_parse_opts po = {w->max_bytes};
    dr_parser *p = dr_parser_new(&po);
    void *md = dr_match_data_new();
    dr_arena *scratch = dr_arena_new(0); /* reset per doc, not remade */
    for (;;) {
        size_t i = atomic_fetch_add(&w->next, 1);
        if (i >= w->files->n) break;
        dr_check_doc(w->sh, p, md, scratch, w->files->v[i], w->names->v[i], &w->sums[i]);
        dr_arena_reset(scratch);
        atomic_fetch_add(&w->done, 1);
    }
    dr_arena_free(scratch);
    dr_match_data_free(md);
    dr_parser_free(p);
    return NULL;
}

/* --- across docs ----------------------------------------------------------*/

/* Links to another doc's anchor, now that every doc's anchors are known. */
static void check_links(const dr_intern *strings, const doc_sum *sums, size_t n, dr_report *r) {
    for (size_t i = 0; i < n; i++) {
        const doc_sum *s = &sums[i];
        for (size_t k = 0; k < s->nlinks; k++) {
            const link_ref *l = &s->links[k];
            if (!dr_doc_has_anchor(strings, &sums[l->doc], l->anchor))
                dr_finding_add(r, s->path, l->line, l->col, DR_SEV_WARNING, "link-anchor-missing",
                               "link to %s#%s: that doc has no heading or anchor of that name",
                               l->target, l->anchor);
        }
    }
}

static const fact_ref *first_fact(const doc_sum *s, int fact) {
    for (size_t i = 0; i < s->nfacts; i++)
        if (s->facts[i].fact == fact) return &s->facts[i];
    return NULL;
}

/* The folder part of a path, into buf ("" for none); up: how many levels. */
static void folder_of(const char *path, int up, char *buf, size_t size) {
    snprintf(buf, size, "%s", path);
    for (int i = 0; i < up; i++) {
        char *slash = strrchr(buf, '/');
        if (!slash) {
            buf[0] = '\0';
            return;
        }
        *slash = '\0';
    }
}

typedef struct in_folder {
    char *folder;
    size_t doc;
} in_folder;

static int by_folder(const void *a, const void *b) {
    return strcmp(((const in_folder *)a)->folder, ((const in_folder *)b)->folder);
}

/* A doc no article claims, beside docs that are mostly versions of one
 * article (in its folder, or its folder's parent: article/locale/doc.md):
 * most likely a version whose asset, anchors and source name all changed.
 * Its facts are not read, which is said rather than left silent. A doc
 * among many others' (a whole doc set) is just another article. Docs are
 * grouped by folder by sorting, once per level. */
static void check_unattributed(const dr_catalog *cat, doc_sum *sums, size_t n, dr_report *r) {
    size_t na = dr_catalog_article_count(cat);
    in_folder *v = dr_xcalloc(n ? n : 1, sizeof *v);
    size_t *by = dr_xcalloc(na + 1, sizeof *by);
    char *said = dr_xcalloc(n ? n : 1, 1);
    if (!v || !by || !said) goto out;
    for (int up = 1; up <= 2; up++) {
        for (size_t i = 0; i < n; i++) {
            char f[4096];
            folder_of(sums[i].path, up, f, sizeof f);
            v[i] = (in_folder){dr_xstrdup(f), i};
        }
        qsort(v, n, sizeof *v, by_folder);
        for (size_t g = 0; g < n;) {
            size_t e = g;
            while (e < n && v[e].folder && v[g].folder && strcmp(v[e].folder, v[g].folder) == 0) e++;
            if (e == g) e = g + 1;
            memset(by, 0, (na + 1) * sizeof *by);
            size_t unclaimed = 0;
            for (size_t k = g; k < e; k++) {
                if (sums[v[k].doc].article >= 0) by[sums[v[k].doc].article]++;
                else unclaimed++;
            }
            int best = -1;
            for (size_t a = 0; a < na; a++)
                if (by[a] && (best < 0 || by[a] > by[best])) best = (int)a;
            size_t beside = e - g - 1;
            if (best >= 0 && unclaimed && v[g].folder && v[g].folder[0] && by[best] * 2 > beside)
                for (size_t k = g; k < e; k++) {
                    size_t d = v[k].doc;
                    if (sums[d].article >= 0 || said[d]) continue;
                    said[d] = 1;
                    dr_finding_add(r, sums[d].path, 1, 1, DR_SEV_WARNING, "article-unattributed",
                                   "no article's asset id, anchor or source name identifies this doc, though "
                                   "%zu of the %zu docs beside it are versions of %s: its facts are not read "
                                   "(declare its anchor or source in the article)",
                                   by[best], beside, dr_catalog_article_id(cat, (size_t)best));
                }
            g = e;
        }
        for (size_t i = 0; i < n; i++) free(v[i].folder);
    }
out:
    free(v);
    free(by);
    free(said);
}

/* The docs of the articles, read again as a factset: each translation
 * aligned to the doc it is best read through (facts/align.c). The rest of
 * the corpus is not read twice. Its aligned facts join the summaries, so
 * that the checks across docs see what alignment read; returns the
 * factset (NULL when no doc has an article) and, in *doc_of, the summary
 * of each of its docs. */
static dr_factset *read_aligned(const dr_catalog *cat, const plist *files, doc_sum *sums, size_t n,
                                size_t max_bytes, size_t **doc_of, dr_report *r) {
    const char **paths = dr_xmalloc((n ? n : 1) * sizeof *paths);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (sums[i].article >= 0) paths[k++] = files->v[i];
    *doc_of = NULL;
    dr_factset *fs = NULL;
    dr_factset_opts fo = {max_bytes, NULL};
    dr_error err;
    dr_error_clear(&err);
    if (k && dr_factset_load(cat, paths, k, &fo, &fs, &err) != DR_OK) {
        dr_finding_add(r, err.file[0] ? err.file : "?", err.line ? err.line : 1, 1, DR_SEV_ERROR,
                       "file-unreadable", "%s", err.message);
        fs = NULL;
    }
    free(paths);
    if (!fs) return NULL;
    size_t nd = dr_factset_doc_count(fs);
    size_t *map = dr_xmalloc((nd ? nd : 1) * sizeof *map);
    for (size_t j = 0; j < nd; j++) {
        map[j] = (size_t)-1;
        for (size_t i = 0; i < n; i++)
            if (sums[i].article >= 0 && strcmp(files->v[i], dr_doc_path(dr_factset_doc(fs, j))) == 0) map[j] = i;
    }
    size_t nf;
    const dr_fact *f = dr_factset_facts(fs, &nf);
    /* Read through a doc that states something besides procedures (found
     * by anchor in any language): its words and numbers can be read here. */
    for (size_t j = 0; j < nd; j++) {
        long ref = dr_factset_ref(fs, j);
        if (map[j] == (size_t)-1 || ref < 0) continue;
        const dr_doc *R = dr_factset_doc(fs, (size_t)ref);
        for (size_t q = 0; q < nf && !sums[map[j]].aligned; q++)
            sums[map[j]].aligned = f[q].doc == R && dr_catalog_fact_kind(cat, f[q].fact) != DR_FACT_PROCEDURE;
    }
    for (size_t q = 0; q < nf; q++) {
        if (f[q].how != DR_HOW_ALIGNED) continue;
        size_t j = 0;
        while (j < nd && dr_factset_doc(fs, j) != f[q].doc) j++;
        if (j == nd || map[j] == (size_t)-1) continue;
        doc_sum *s = &sums[map[j]];
        fact_ref *v = dr_xrealloc(s->facts, (s->nfacts + 1) * sizeof *v);
        if (!v) continue;
        s->facts = v;
        s->facts[s->nfacts++] = (fact_ref){f[q].fact, f[q].value, f[q].key ? dr_xstrdup(f[q].key) : NULL,
                                           f[q].line, f[q].col};
    }
    *doc_of = map;
    return fs;
}

/* Which of a doc's facts a comparison takes: all of them, or, in a
 * bilingual doc, the English source's (pattern) or the translation's
 * (read through that source). */
enum { SIDE_ALL, SIDE_SOURCE, SIDE_TRANSLATION };

static int on_side(const dr_fact *all, const dr_fact *f, int side) {
    if (side == SIDE_ALL) return 1;
    if (side == SIDE_SOURCE) return f->how == DR_HOW_PATTERN && f->from_source;
    return f->how == DR_HOW_ALIGNED && all[f->ref].doc == f->doc;
}

/* The first fact of a doc on a side, or NULL. */
static const dr_fact *first_of(const dr_fact *f, size_t nf, const dr_doc *d, int fact, int side) {
    const dr_fact *best = NULL;
    for (size_t i = 0; i < nf; i++)
        if (f[i].doc == d && f[i].fact == fact && on_side(f, &f[i], side) && (!best || f[i].line < best->line))
            best = &f[i];
    return best;
}

/* A set's values in a doc on a side, sorted, comma-separated, into buf. */
static void set_of(const dr_fact *f, size_t nf, const dr_doc *d, int fact, int side, char *buf, size_t size) {
    const char *keys[32];
    size_t k = 0;
    for (size_t i = 0; i < nf && k < 32; i++) {
        if (f[i].doc != d || f[i].fact != fact || !f[i].key || !on_side(f, &f[i], side)) continue;
        int dup = 0;
        for (size_t j = 0; j < k && !dup; j++) dup = strcmp(keys[j], f[i].key) == 0;
        if (!dup) keys[k++] = f[i].key;
    }
    for (size_t a = 1; a < k; a++)
        for (size_t b = a; b > 0 && strcmp(keys[b - 1], keys[b]) > 0; b--) {
            const char *t = keys[b];
            keys[b] = keys[b - 1];
            keys[b - 1] = t;
        }
    buf[0] = '\0';
    for (size_t i = 0; i < k; i++)
        snprintf(buf + strlen(buf), size - strlen(buf), "%s%s", i ? "," : "", keys[i]);
}

/* Whether d states value key of set fact on side. */
static int has_key(const dr_fact *f, size_t nf, const dr_doc *d, int fact, int side, const char *key) {
    for (size_t i = 0; i < nf; i++)
        if (f[i].doc == d && f[i].fact == fact && f[i].key && on_side(f, &f[i], side) && strcmp(f[i].key, key) == 0)
            return 1;
    return 0;
}

/* A gap of translation T for fact in the unit of R that states v (its
 * section and line), or NULL: a gap elsewhere in the section, where the
 * translation's reading failed for another unit, says nothing of this one. */
static const dr_gap *gap_at_unit(const dr_fact *f, const dr_gap *g, size_t ng, const dr_doc *T, int fact,
                                 const dr_doc *R, const dr_fact *v) {
    for (size_t q = 0; q < ng; q++) {
        const dr_fact *at = &f[g[q].ref];
        if (g[q].doc == T && at->fact == fact && at->doc == R && at->section == v->section && at->line == v->line)
            return &g[q];
    }
    return NULL;
}

/* One translation's facts (side ts of T) against the doc it was read
 * through (side rs of R, of the same version). */
static void compare_docs(const dr_catalog *cat, const dr_factset *fs, const dr_doc *T, int ts, const dr_doc *R,
                         int rs, const char *path, dr_report *r) {
    size_t nf, ng;
    const dr_fact *f = dr_factset_facts(fs, &nf);
    const dr_gap *g = dr_factset_gaps(fs, &ng);
    const char *date = dr_doc_date(T);
    char whose[4200];
    size_t nseg;
    dr_doc_segments(R, &nseg);
    if (T == R) snprintf(whose, sizeof whose, "its English source");
    else snprintf(whose, sizeof whose, "%s%s", nseg ? "the English source of " : "", dr_doc_path(R));
    for (size_t fi = 0; fi < dr_catalog_fact_count(cat); fi++) {
        const dr_fact *rf = first_of(f, nf, R, (int)fi, rs);
        if (!rf) continue;
        dr_fact_kind kind = dr_catalog_fact_kind(cat, (int)fi);
        /* The translation of a bilingual doc's flag or procedure is the
         * same unit: nothing to read. */
        if (T == R && kind != DR_FACT_NUMBER && kind != DR_FACT_SET) continue;
        const char *name = dr_catalog_fact_name(cat, (int)fi);
        const dr_fact *tf = first_of(f, nf, T, (int)fi, ts);
        if (!tf) {
            const dr_gap *why = NULL;
            for (size_t q = 0; q < ng && !why; q++)
                if (g[q].doc == T && f[g[q].ref].fact == (int)fi) why = &g[q];
            dr_finding_add(r, path, why ? why->line : rf->line, why ? why->col : 1, DR_SEV_WARNING,
                           "translation-unread",
                           "%s: %s:%d states it (version %s); the translation does not, or it cannot be "
                           "read here: %s", name, whose, rf->line, date ? date : "undated",
                           why ? why->why : "nothing of it was found");
            continue;
        }
        if (kind == DR_FACT_NUMBER && tf->value != rf->value) {
            dr_finding_add(r, path, tf->line, tf->col, DR_SEV_ERROR, "translation-disagrees",
                           "%s is %ld here, but %s:%d (version %s) says %ld", name, tf->value, whose,
                           rf->line, date ? date : "undated", rf->value);
            continue;
        }
        const char *q;
        int declared = dr_catalog_fact_bound(cat, (int)fi, &q);
        int rb = rf->bound ? rf->bound : declared, tb = tf->bound ? tf->bound : rb;
        if (kind == DR_FACT_NUMBER && declared && tb != rb) {
            dr_finding_add(r, path, tf->line, tf->col, DR_SEV_ERROR, "translation-disagrees",
                           "%s: the bound on %ld is %s here, but %s:%d (version %s) says %s", name,
                           tf->value, dr_bound_name(tb), whose, rf->line, date ? date : "undated",
                           dr_bound_name(rb));
            continue;
        }
        if (kind == DR_FACT_SET) {
            char a[512], b[512];
            set_of(f, nf, T, (int)fi, ts, a, sizeof a);
            set_of(f, nf, R, (int)fi, rs, b, sizeof b);
            if (strcmp(a, b) == 0) continue;
            /* Values R states that the translation lacks, where its reading
             * of the section saying them left a gap, were not read there:
             * unread, not said otherwise (a term a link taught reads one
             * unit; the next, naming a role no link names, is a gap). A
             * value the translation states that R does not, or one it lacks
             * where nothing was left unread, disagrees. */
            const dr_fact *unread = NULL;
            const dr_gap *why = NULL;
            int disagrees = 0;
            for (size_t i = 0; i < nf && !disagrees; i++) {
                if (f[i].fact != (int)fi || !f[i].key) continue;
                if (f[i].doc == T && on_side(f, &f[i], ts)) disagrees = !has_key(f, nf, R, (int)fi, rs, f[i].key);
                else if (f[i].doc == R && on_side(f, &f[i], rs) && !has_key(f, nf, T, (int)fi, ts, f[i].key)) {
                    const dr_gap *gi = gap_at_unit(f, g, ng, T, (int)fi, R, &f[i]);
                    if (!gi) disagrees = 1;
                    else if (!unread) unread = &f[i], why = gi;
                }
            }
            if (disagrees)
                dr_finding_add(r, path, tf->line, tf->col, DR_SEV_ERROR, "translation-disagrees",
                               "%s is {%s} here, but %s:%d (version %s) says {%s}", name, a, whose, rf->line,
                               date ? date : "undated", b);
            else if (unread)
                dr_finding_add(r, path, why->line, why->col, DR_SEV_WARNING, "translation-unread",
                               "%s: %s:%d states %s (version %s; {%s} in all); the translation's {%s} does not, "
                               "or it cannot be read here: %s", name, whose, unread->line, unread->key,
                               date ? date : "undated", b, a, why->why);
        }
    }
}

/* Every translation against the doc of its own version it was read
 * through, and a bilingual doc's translation against its English source:
 * a number, bound or set stated otherwise is an error on the
 * translation's line naming the other doc and line; a fact that doc states
 * and the translation does not (or that cannot be read in it) is a
 * warning naming the unit. */
static void check_translations(const dr_catalog *cat, const dr_factset *fs, const size_t *doc_of,
                               doc_sum *sums, dr_report *r) {
    size_t nd = dr_factset_doc_count(fs);
    for (size_t t = 0; t < nd; t++) {
        if (doc_of[t] == (size_t)-1) continue;
        const dr_doc *T = dr_factset_doc(fs, t);
        const char *path = sums[doc_of[t]].path;
        size_t nseg;
        dr_doc_segments(T, &nseg);
        if (nseg) {
            compare_docs(cat, fs, T, SIDE_TRANSLATION, T, SIDE_SOURCE, path, r);
            continue;
        }
        /* The English is what translations are held to, not the reverse. */
        const char *loc = dr_doc_locale(T);
        if (dr_lang_covers("en", loc)) continue;
        long ri = dr_factset_ref(fs, t);
        if (ri < 0) continue;
        const dr_doc *R = dr_factset_doc(fs, (size_t)ri);
        const char *dt = dr_doc_date(T), *drd = dr_doc_date(R);
        const char *at = dr_doc_asset(T), *ar = dr_doc_asset(R);
        /* Another version (or a sibling article's) may say otherwise and
         * be right. */
        if (!dt || !drd || strcmp(dt, drd) != 0 || (at && ar && strcasecmp(at, ar) != 0)) continue;
        compare_docs(cat, fs, T, SIDE_ALL, R, SIDE_ALL, path, r);
    }
}

static int cmp_date(const void *a, const void *b) {
    const doc_sum *x = *(doc_sum *const *)a, *y = *(doc_sum *const *)b;
    return strcmp(x->date, y->date);
}

/* A number that changed from one version to the next: a note on the
 * newer doc, so a reviewer sees the policy changed. */
static void check_versions(const dr_catalog *cat, doc_sum *sums, size_t n, dr_report *r) {
    for (size_t art = 0; art < dr_catalog_article_count(cat); art++) {
        doc_sum **v = dr_xmalloc((n ? n : 1) * sizeof *v);
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            if (sums[i].article == (int)art && sums[i].date) v[k++] = &sums[i];
        qsort(v, k, sizeof *v, cmp_date);
        for (size_t fi = 0; fi < dr_catalog_fact_count(cat); fi++) {
            if (dr_catalog_fact_kind(cat, (int)fi) != DR_FACT_NUMBER) continue;
            const doc_sum *prev = NULL;
            const fact_ref *pf = NULL;
            for (size_t i = 0; i < k; i++) {
                const fact_ref *f = first_fact(v[i], (int)fi);
                if (!f) continue;
                if (pf && f->value != pf->value && strcmp(prev->date, v[i]->date) != 0)
                    dr_finding_add(r, v[i]->path, f->line, f->col, DR_SEV_NOTE, "fact-changed",
                                   "%s is %ld since %s, %ld before (%s:%d)", dr_catalog_fact_name(cat, (int)fi),
                                   f->value, v[i]->date, pf->value, prev->path, pf->line);
                if (!pf || strcmp(prev->date, v[i]->date) != 0) {
                    prev = v[i];
                    pf = f;
                }
            }
        }
        free(v);
    }
}

typedef struct uses_ctx {
    const dr_catalog *cat;
    doc_sum *sums;
    size_t n;
    dr_report *r;
} uses_ctx;

static void on_use(uses_ctx *u, const char *rule, const char *file, int line, const char *fact, int optional) {
    int fi = dr_catalog_fact_index(u->cat, fact);
    if (fi < 0 || optional) return;
    const char *article = dr_catalog_fact_article(u->cat, fi);
    int art = -1;
    for (size_t a = 0; a < dr_catalog_article_count(u->cat); a++)
        if (strcmp(dr_catalog_article_id(u->cat, a), article) == 0) art = (int)a;
    int docs = 0, stating = 0, readable = 0;
    for (size_t i = 0; i < u->n; i++) {
        if (u->sums[i].article != art) continue;
        docs++;
        stating += first_fact(&u->sums[i], fi) != NULL;
        readable += dr_catalog_fact_reads(u->cat, fi, u->sums[i].locale, u->sums[i].bilingual) ||
                    u->sums[i].aligned;
    }
    /* Rules against the docs only for articles the validated paths have
     * docs of: validating one file or another doc set says nothing of the
     * rest of the rules. */
    if (!docs) return;
    if (!stating && !readable)
        dr_finding_add(u->r, file, line, 1, DR_SEV_WARNING, "rule-fact-unreadable",
                       "rule %s rests on %s, but no doc of article %s is in a language its patterns "
                       "read (a doc without a locale is read by none)", rule, fact, article);
    else if (!stating)
        dr_finding_add(u->r, file, line, 1, DR_SEV_ERROR, "rule-fact-unstated",
                       "rule %s rests on %s, which no doc of article %s states", rule, fact, article);
}

/* Locales of an article's newest version that do not state a fact its
 * rules use: a translation that lost it. Reported once per fact. */
static void check_fact_locales(const dr_catalog *cat, doc_sum *sums, size_t n, dr_report *r) {
    for (size_t fi = 0; fi < dr_catalog_fact_count(cat); fi++) {
        if (dr_catalog_fact_kind(cat, (int)fi) == DR_FACT_PROCEDURE) continue;
        const char *article = dr_catalog_fact_article(cat, (int)fi);
        int art = -1;
        for (size_t a = 0; a < dr_catalog_article_count(cat); a++)
            if (strcmp(dr_catalog_article_id(cat, a), article) == 0) art = (int)a;
        const char *newest = NULL;
        for (size_t i = 0; i < n; i++)
            if (sums[i].article == art && sums[i].date && first_fact(&sums[i], (int)fi) &&
                (!newest || strcmp(sums[i].date, newest) > 0))
                newest = sums[i].date;
        if (!newest) continue;
        char lacking[512] = "";
        int any = 0;
        for (size_t i = 0; i < n; i++) {
            if (sums[i].article != art || !sums[i].date || strcmp(sums[i].date, newest) != 0) continue;
            if (first_fact(&sums[i], (int)fi)) {
                any = 1;
                continue;
            }
            /* A doc neither patterns nor alignment read did not lose the
             * fact: we cannot see it. */
            if (!dr_catalog_fact_reads(cat, (int)fi, sums[i].locale, sums[i].bilingual) && !sums[i].aligned)
                continue;
            snprintf(lacking + strlen(lacking), sizeof lacking - strlen(lacking), "%s%s (%s)",
                     lacking[0] ? ", " : "", sums[i].locale ? sums[i].locale : "?", sums[i].path);
        }
        if (any && lacking[0]) {
            int line;
            const char *file = dr_catalog_fact_file(cat, (int)fi, &line);
            dr_finding_add(r, file, line, 1, DR_SEV_WARNING, "rule-fact-locales",
                           "%s is stated by the %s version of %s, but not in: %s", dr_catalog_fact_name(cat, (int)fi),
                           newest, article, lacking);
        }
    }
}

/* "doc" fields of test case expectations must name files that exist. */
static int validated(const doc_sum *sums, size_t n, const char *path) {
    for (size_t i = 0; i < n; i++)
        if (strcmp(sums[i].path, path) == 0) return 1;
    return 0;
}

static void check_case_docs(const dr_declared *d, const char *rules_dir, const doc_sum *sums, size_t ns,
                            dr_report *r) {
    if (d->cases_error.code) {
        dr_finding_add(r, d->cases_error.file, d->cases_error.line, 1, DR_SEV_ERROR, "rule-load-error", "%s",
                       d->cases_error.message);
        return;
    }
    struct stat st;
    for (size_t i = 0; i < d->ncites; i++) {
        const dr_case_cite *c = &d->cites[i];
        /* A case cites its rules' corpus ("corpus/..."), which sits beside
         * the rules folder wherever it is installed: resolved there, not
         * in the folder validate runs in. */
        char beside[8400];
        snprintf(beside, sizeof beside, "%s/../%s", rules_dir, c->doc);
        if (!validated(sums, ns, c->doc) && stat(beside, &st) != 0 && (c->doc[0] != '/' || stat(c->doc, &st) != 0))
            dr_finding_add(r, c->file, c->line, 1, DR_SEV_ERROR, "rule-case-doc-missing",
                           "case \"%s\" cites %s, which does not exist", c->name, c->doc);
    }
}

/* --- the run --------------------------------------------------------------*/

static int cmp_finding(const void *a, const void *b) {
    const dr_finding *x = a, *y = b;
    int c = strcmp(x->file, y->file);
    if (c) return c;
    if (x->line != y->line) return x->line - y->line;
    if (x->col != y->col) return x->col - y->col;
    return strcmp(x->code, y->code);
}

/* Appends n findings, the report's array grown once for all of them. */
static void move_findings(dr_report *to, dr_finding *v, size_t n) {
    if (to->n + n > to->cap) {
        to->cap = to->n + n;
        to->v = dr_xrealloc(to->v, to->cap * sizeof *to->v);
    }
    if (n) memcpy(to->v + to->n, v, n * sizeof *v);
    to->n += n;
    free(v);
}

static int cmp_doc_at(const void *a, const void *b) {
    const doc_at *x = a, *y = b;
    int c = strcmp(x->norm, y->norm);
    return c ? c : (x->doc > y->doc) - (x->doc < y->doc);
}

static void finding_free(dr_finding *f) { free(f->message); }

static int by_sum_path(const void *a, const void *b) {
    return strcmp((*(doc_sum *const *)a)->path, (*(doc_sum *const *)b)->path);
}

/* Takes out the findings .docrules.yaml disables or ignores and those the
 * docs' <!-- docrules-disable --> comments silence (on their own lines,
 * whichever check found them), and gives the rest their configured
 * severity. */
static void silence_findings(dr_report *r, doc_sum *sums, size_t n, const dr_vconfig *cfg) {
    doc_sum **by = dr_xcalloc(n ? n : 1, sizeof *by);
    for (size_t i = 0; i < n; i++) by[i] = &sums[i];
    qsort(by, n, sizeof *by, by_sum_path);
    size_t k = 0;
    for (size_t i = 0; i < r->n; i++) {
        dr_finding *f = &r->v[i];
        int keep = dr_vconfig_keep(cfg, f);
        doc_sum key = {.path = f->file}, *kp = &key;
        doc_sum **s = keep && n ? bsearch(&kp, by, n, sizeof *by, by_sum_path) : NULL;
        for (size_t j = 0; s && keep && j < (*s)->nsilence; j++) {
            const struct silence *x = &(*s)->silence[j];
            if (f->line >= x->from && f->line <= x->to && (!x->code || strcmp(x->code, f->code) == 0)) keep = 0;
        }
        if (keep) r->v[k++] = *f;
        else finding_free(f);
    }
    r->n = k;
    free(by);
}

/* A baseline: the findings as JSON [{file, code, message}], lines left out
 * so that an edit above a finding does not make it new. */
static int baseline_write(const dr_report *r, const char *path, dr_error *err) {
    json_t *a = json_array();
    for (size_t i = 0; i < r->n; i++) {
        const dr_finding *f = &r->v[i];
        json_t *e = json_pack("{s:s, s:s, s:s}", "file", f->file, "code", f->code, "message", f->message);
        /* JSON holds only UTF-8: a finding it cannot hold is said, not dropped. */
        if (!e) {
            json_decref(a);
            return dr_error_set(err, DR_EPARSE, f->file, f->line, f->col,
                                "this %s finding is not UTF-8 and cannot be kept in a baseline", f->code);
        }
        json_array_append_new(a, e);
    }
    FILE *out = fopen(path, "w");
    int rc = !out || json_dumpf(a, out, JSON_INDENT(2)) != 0 || fputc('\n', out) == EOF;
    if (out && fclose(out) != 0) rc = 1;
    json_decref(a);
    return rc ? dr_error_set(err, DR_EIO, path, 0, 0, "cannot write the baseline: %s", strerror(errno)) : DR_OK;
}

/* Takes out each finding the baseline holds (each entry once). */
static int baseline_apply(dr_report *r, const char *path, dr_error *err) {
    char *text;
    size_t len;
    int rc = dr_vfile_read(path, (size_t)1 << 30, " the baseline", &text, &len, err);
    if (rc != DR_OK) return rc;
    json_error_t je;
    json_t *a = json_loadb(text, len, 0, &je);
    free(text);
    const char *what = !a ? je.text : !json_is_array(a) ? "not a JSON list of findings" : NULL;
    /* Each entry is one finding as --write-baseline wrote it: an entry of
     * another shape would absorb nothing, in silence. */
    static const char *const keys[] = {"file", "code", "message"};
    char entry[160];
    for (size_t j = 0; !what && j < json_array_size(a); j++) {
        json_t *b = json_array_get(a, j);
        if (!json_is_object(b)) {
            snprintf(entry, sizeof entry, "entry %zu is not an object {\"file\", \"code\", \"message\"}", j + 1);
            what = entry;
        }
        for (size_t q = 0; q < 3 && !what; q++)
            if (!json_is_string(json_object_get(b, keys[q]))) {
                snprintf(entry, sizeof entry, "entry %zu: its %s is %s", j + 1, keys[q],
                         json_object_get(b, keys[q]) ? "not a string" : "missing");
                what = entry;
            }
    }
    if (what) {
        rc = dr_error_set(err, DR_EPARSE, path, !a && je.line > 0 ? je.line : 1, !a && je.column > 0 ? je.column : 1,
                              "not a baseline (docrules validate --write-baseline writes one): %s", what);
        json_decref(a);
        return rc;
    }
    size_t na = json_array_size(a), k = 0;
    char *used = dr_xcalloc(na ? na : 1, 1);
    for (size_t i = 0; i < r->n; i++) {
        int known = 0;
        for (size_t j = 0; j < na && !known; j++) {
            json_t *b = json_array_get(a, j);
            const char *bf = json_string_value(json_object_get(b, "file")), *bc = json_string_value(json_object_get(b, "code")),
                       *bm = json_string_value(json_object_get(b, "message"));
            if (!used[j] && bf && bc && bm && strcmp(bf, r->v[i].file) == 0 && strcmp(bc, r->v[i].code) == 0 &&
                strcmp(bm, r->v[i].message) == 0)
                known = used[j] = 1;
        }
        if (known) finding_free(&r->v[i]);
        else r->v[k++] = r->v[i];
    }
    r->n = k;
    free(used);
    json_decref(a);
    return DR_OK;
}

int dr_validate(const dr_validate_opts *o, dr_report *out, dr_error *err) {
    memset(out, 0, sizeof *out);
    /* Every doc is parsed, by workers that each need a parser. */
    if (!dr_libxml_get()) return dr_libxml_fail(err);
    out->strings = dr_xmalloc(sizeof *out->strings);
    dr_intern_init(out->strings);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    plist files = {0};
    for (size_t i = 0; i < o->npaths; i++) {
        dr_walk w = {0};
        dr_error werr;
        dr_error_clear(&werr);
        /* A path the user gave that is not there is a usage error (exit
         * 2), not a finding among others. */
        if (dr_walk_add(&w, o->paths[i], ".md", NULL, &werr) != DR_OK) {
            free(files.v);
            dr_walk_free(&w);
            dr_report_free(out);
            *err = werr;
            return werr.code;
        }
        for (size_t k = 0; k < w.n; k++) {
            const dr_walk_entry *x = &w.v[k];
            if (x->kind == DR_WALK_FILE) plist_add(&files, out->strings, x->path);
            else
                dr_finding_add(out, x->path, 1, 1, x->kind == DR_WALK_SYMLINK ? DR_SEV_NOTE : DR_SEV_ERROR,
                               x->kind == DR_WALK_SYMLINK ? "symlink-skipped" : "file-unreadable", "%s",
                               dr_walk_kind_says(x->kind));
        }
        dr_walk_free(&w);
    }
    if (files.n) qsort(files.v, files.n, sizeof *files.v, cmp_str);
    if (!files.n && !out->n) {
        free(files.v);
        dr_report_free(out);
        return dr_error_set(err, DR_EUSAGE, NULL, 0, 0, "no .md file to validate");
    }
    /* The rules, without a corpus: the docs are read here, one by one. */
    vshared sh = {0};
    dr_declared *decl = NULL;
    dr_declared none = {0};
    /* The rules are read under docs_only too, for what they ask of every
     * doc (rules/validate.lua): its codes, which a shared .docrules.yaml
     * names, and checks a docs team wants on its own docs. */
    if (o->rules_dir) {
        dr_error rerr;
        dr_error_clear(&rerr);
        if (dr_declared_read(o->rules_dir, &decl, &rerr) != DR_OK) {
            /* Under docs_only the rules are not what is validated: rules
             * that do not load leave the docs linted without their checks,
             * as before they were read at all. */
            if (!o->docs_only)
                dr_finding_add(out, rerr.file[0] ? rerr.file : o->rules_dir, rerr.line, rerr.col, DR_SEV_ERROR,
                               "rule-load-error", "%s", rerr.message);
            else {
                dr_declared_free(decl);
                decl = NULL;
            }
        }
    }
    const dr_declared *lint = decl ? decl : &none;
    if (decl) {
        /* What rules/validate.lua asks of every doc (front matter keys,
         * artifacts) is a doc check; the facts and the rules' uses of them
         * are not, under docs_only. */
        if (!o->docs_only) sh.cat = decl->cat;
        sh.required = decl->required;
        sh.nrequired = decl->nrequired;
        sh.mctx = dr_match_context_new();
        sh.artifacts = dr_xcalloc(lint->nartifacts ? lint->nartifacts : 1, sizeof *sh.artifacts);
        for (size_t i = 0; i < lint->nartifacts; i++) {
            int ec;
            PCRE2_SIZE eo2;
            pcre2_code *c = pcre2_compile((PCRE2_SPTR)lint->artifacts[i].regex, PCRE2_ZERO_TERMINATED,
                                          PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF, &ec, &eo2, NULL);
            if (!c) {
                PCRE2_UCHAR m[200];
                pcre2_get_error_message(ec, m, sizeof m);
                dr_finding_add(out, lint->artifacts[i].file, lint->artifacts[i].line, 1, DR_SEV_ERROR,
                               "rule-load-error", "artifact %s: /%s/ does not compile: %s",
                               lint->artifacts[i].artifact, lint->artifacts[i].regex, (const char *)m);
                continue;
            }
            dr_regex_jit(c);
            sh.artifacts[sh.nartifacts++] = (artifact_pat){lint->artifacts[i].artifact, lint->artifacts[i].message,
                                                            lint->artifacts[i].lang, c};
        }
    }
    /* The codes the rules declare, for the configuration and the docs'
     * inline directives. */
    const char **codes = dr_xcalloc(lint->nartifacts + 1, sizeof *codes);
    size_t ncodes = 0;
    for (size_t i = 0; i < lint->nartifacts; i++) {
        int dup = 0;
        for (size_t k = 0; k < ncodes && !dup; k++) dup = strcmp(codes[k], lint->artifacts[i].artifact) == 0;
        if (!dup) codes[ncodes++] = lint->artifacts[i].artifact;
    }
    sh.artifact_codes = codes;
    sh.nartifact_codes = ncodes;
    dr_vconfig cfg = {0};
    cfg.artifacts = codes;
    cfg.nartifacts = ncodes;
    char found[4200];
    const char *cpath = o->config ? o->config : dr_vconfig_find(o->npaths ? o->paths[0] : ".", found, sizeof found) ? found : NULL;
    if (cpath && dr_vconfig_load(&cfg, cpath, err) != DR_OK) {
        dr_vconfig_free(&cfg);
        free(codes);
        for (size_t i = 0; i < sh.nartifacts; i++) pcre2_code_free(sh.artifacts[i].code_re);
        dr_match_context_free(sh.mctx);
        free(sh.artifacts);
        dr_declared_free(decl);
        free(files.v);
        dr_report_free(out);
        return err->code;
    }
    /* What findings call each file: under a labelled root, by the label. */
    plist names = {0};
    for (size_t i = 0; i < files.n; i++) {
        char name[4096];
        dr_path_label(files.v[i], o->npaths ? o->paths[0] : NULL, o->label, name, sizeof name);
        plist_add(&names, out->strings, name);
    }
    /* The docs by the normalized path links name them by, so that a worker
     * settles each link as it reads it; most names are already normalized. */
    doc_at *docs = dr_xcalloc(files.n ? files.n : 1, sizeof *docs);
    for (size_t i = 0; i < files.n; i++) {
        char *norm = dr_path_join_norm("", names.v[i]);
        if (strcmp(norm, names.v[i]) == 0) {
            free(norm);
            docs[i] = (doc_at){names.v[i], i};
        } else {
            docs[i] = (doc_at){norm, i};
        }
    }
    qsort(docs, files.n, sizeof *docs, cmp_doc_at);
    dr_intern strings;
    dr_intern_init(&strings);
    sh.docs = docs;
    sh.ndocs = files.n;
    sh.strings = &strings;
    sh.report = out->strings;
    work w = {&sh, &files, &names, dr_xcalloc(files.n ? files.n : 1, sizeof(doc_sum)), 0, 0, o->max_bytes};
    int jobs = o->jobs > 0 ? o->jobs : (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (jobs < 1) jobs = 1;
    if ((size_t)jobs > files.n) jobs = files.n ? (int)files.n : 1;
    pthread_t th[64];
    if (jobs > 64) jobs = 64;
    dr_parsers_init();
    int started = 0;
    while (started < jobs && dr_thread_start(&th[started], started, worker, &w) == 0) started++;
    if (!started) worker(&w); /* no thread to be had: the docs, here */
    while (o->progress && atomic_load(&w.done) < files.n) {
        o->progress(o->ud, atomic_load(&w.done), files.n);
        struct timespec ts = {0, 200 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    for (int k = 0; k < started; k++) pthread_join(th[k], NULL);
    if (o->progress) o->progress(o->ud, files.n, files.n);
    /* Across docs. */
    dr_report cross = {.strings = out->strings};
    check_links(&strings, w.sums, files.n, &cross);
    if (sh.cat) {
        size_t *doc_of = NULL;
        dr_factset *fs = read_aligned(sh.cat, &files, w.sums, files.n, o->max_bytes, &doc_of, &cross);
        if (fs) check_translations(sh.cat, fs, doc_of, w.sums, &cross);
        dr_factset_free(fs);
        free(doc_of);
        check_versions(sh.cat, w.sums, files.n, &cross);
        check_unattributed(sh.cat, w.sums, files.n, &cross);
        uses_ctx uc = {sh.cat, w.sums, files.n, &cross};
        for (size_t i = 0; i < decl->nuses; i++) {
            const dr_fact_use *u = &decl->uses[i];
            on_use(&uc, u->rule, u->file, u->line, u->fact, u->optional);
        }
        check_fact_locales(sh.cat, w.sums, files.n, &cross);
        check_case_docs(decl, o->rules_dir, w.sums, files.n, &cross);
    }
    out->validated = dr_xcalloc(files.n ? files.n : 1, sizeof *out->validated);
    size_t total = out->n + cross.n;
    for (size_t i = 0; i < files.n; i++) total += w.sums[i].nfindings;
    if (total > out->cap) {
        out->cap = total;
        out->v = dr_xrealloc(out->v, total * sizeof *out->v);
    }
    for (size_t i = 0; i < files.n; i++) {
        move_findings(out, w.sums[i].findings, w.sums[i].nfindings);
        w.sums[i].findings = NULL;
        out->bytes += w.sums[i].bytes;
        out->validated[out->nvalidated++] = names.v[i];
    }
    if (out->nvalidated > 1) qsort(out->validated, out->nvalidated, sizeof *out->validated, cmp_str);
    move_findings(out, cross.v, cross.n);
    /* What the configuration and the docs' own directives take out. */
    silence_findings(out, w.sums, files.n, &cfg);
    for (size_t i = 0; i < files.n; i++) {
        dr_doc_sum_free(&w.sums[i]);
        if (docs[i].norm != names.v[docs[i].doc]) free((char *)docs[i].norm);
    }
    free(docs);
    dr_intern_free(&strings);
    dr_vconfig_free(&cfg);
    free(codes);
    out->files = files.n;
    free(w.sums);
    free(files.v);
    free(names.v);
    for (size_t i = 0; i < sh.nartifacts; i++) pcre2_code_free(sh.artifacts[i].code_re);
    dr_match_context_free(sh.mctx);
    free(sh.artifacts);
    dr_declared_free(decl);
    if (out->n) qsort(out->v, out->n, sizeof *out->v, cmp_finding);
    if (o->write_baseline && baseline_write(out, o->write_baseline, err) != DR_OK) return err->code;
    if (o->baseline && baseline_apply(out, o->baseline, err) != DR_OK) return err->code;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    out->seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    return DR_OK;
}

void dr_report_free(dr_report *r) {
    for (size_t i = 0; i < r->n; i++) free(r->v[i].message);
    free(r->v);
    free(r->validated);
    if (r->strings) dr_intern_free(r->strings);
    free(r->strings);
    memset(r, 0, sizeof *r);
}

size_t dr_report_count(const dr_report *r, dr_severity s) {
    size_t n = 0;
    for (size_t i = 0; i < r->n; i++) n += r->v[i].severity == s;
    return n;
}
