#define _GNU_SOURCE
/* The checks that need one doc only. Each finding has a stable code. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "../common/alloc.h"
#include "internal.h"

void dr_finding_add(dr_report *r, const char *file, int line, int col, dr_severity sev,
                    const char *code, const char *fmt, ...) {
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 16;
        r->v = dr_xrealloc(r->v, r->cap * sizeof *r->v);
    }
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* One finding, one line: library messages may end in a newline. */
    for (char *p = msg; *p; p++)
        if (*p == '\n' || *p == '\r') *p = ' ';
    size_t ml = strlen(msg);
    while (ml && msg[ml - 1] == ' ') msg[--ml] = '\0';
    dr_finding *f = &r->v[r->n++];
    dr_intern *t = r->strings; /* workers add findings at once */
    pthread_mutex_lock(&t->lock);
    f->file = dr_intern_str(t, dr_intern_add(t, file, strlen(file)));
    f->code = dr_intern_str(t, dr_intern_add(t, code, strlen(code)));
    pthread_mutex_unlock(&t->lock);
    f->line = line > 0 ? line : 1;
    f->col = col > 0 ? col : 1;
    f->severity = sev;
    f->message = dr_xstrdup(msg);
}

char *dr_path_join_norm(const char *dir, const char *rel) {
    size_t n = strlen(dir) + strlen(rel) + 2;
    char *joined = dr_xmalloc(n);
    if (rel[0] == '/' || !dir[0]) snprintf(joined, n, "%s", rel);
    else snprintf(joined, n, "%s/%s", dir, rel);
    /* Split on '/', drop "." and empty parts, let ".." eat one. */
    char *out = dr_xmalloc(n + 1);
    size_t o = 0;
    size_t starts[256];
    int depth = 0, absolute = joined[0] == '/';
    if (absolute) out[o++] = '/';
    for (char *save = NULL, *part = strtok_r(joined, "/", &save); part;
         part = strtok_r(NULL, "/", &save)) {
        if (strcmp(part, ".") == 0) continue;
        if (strcmp(part, "..") == 0 && depth > 0 &&
            !(o - starts[depth - 1] == 2 && memcmp(out + starts[depth - 1], "..", 2) == 0)) {
            o = starts[--depth];
            if (o > (size_t)absolute) o--; /* the '/' before it */
            continue;
        }
        if (o > (size_t)absolute) out[o++] = '/';
        if (depth < 256) starts[depth++] = o;
        size_t k = strlen(part);
        memcpy(out + o, part, k);
        o += k;
    }
    out[o] = '\0';
    free(joined);
    return out;
}

static char *dir_of(const char *path) {
    const char *slash = strrchr(path, '/');
    if (!slash) return dr_xstrdup("");
    return dr_xstrndup(path, (size_t)(slash - path));
}

/* --- front matter ---------------------------------------------------------*/

static void check_front_matter(const vshared *sh, const dr_doc *d, dr_report *r) {
    const char *path = dr_doc_path(d);
    const dr_fm_value *fm = dr_doc_front_matter(d);
    if (dr_doc_front_matter_style(d) == DR_FM_NONE) {
        dr_finding_add(r, path, 1, 1, DR_SEV_NOTE, "front-matter-absent",
                       "no front matter: no title, date or locale for this doc");
        return;
    }
    if (!fm) return; /* unparsable: the parse diagnostic says so */
    for (size_t g = 0; g < sh->nrequired; g++) {
        int found = 0;
        for (const char **k = sh->required[g]; *k && !found; k++) {
            const char *v = dr_doc_meta(d, *k);
            found = v && *v;
        }
        if (found) continue;
        char alts[256] = "";
        for (const char **k = sh->required[g]; *k; k++)
            snprintf(alts + strlen(alts), sizeof alts - strlen(alts), "%s%s",
                     k == sh->required[g] ? "" : " or ", *k);
        dr_finding_add(r, path, fm->line > 0 ? fm->line : 1, 1, DR_SEV_WARNING,
                       "front-matter-key-missing", "front matter has no %s", alts);
    }
    const char *loc = dr_doc_locale(d), *from = dr_doc_locale_from(d);
    char buf[32];
    const char *ploc = dr_path_locale(path, buf, sizeof buf);
    if (loc && from && strcmp(from, "path") != 0 && ploc && strcasecmp(loc, ploc) != 0)
        dr_finding_add(r, path, dr_doc_meta_line(d, from), 1, DR_SEV_WARNING, "locale-mismatch",
                       "%s says %s but the path says %s", from, loc, ploc);
}

/* --- structure ------------------------------------------------------------*/

/* Anchors are kept sorted (case-insensitively), so a doc with thousands of
 * headings costs n log n, not n squared. */
static int cmp_ci(const void *a, const void *b) {
    return strcasecmp(*(char *const *)a, *(char *const *)b);
}

static int has_anchor(const char *const *anchors, size_t n, const char *a) {
    return n && bsearch(&a, anchors, n, sizeof *anchors, cmp_ci) != NULL;
}

static int cmp_u32(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

int dr_doc_has_anchor(const dr_intern *strings, const doc_sum *s, const char *anchor) {
    char *low = dr_xstrdup(anchor);
    for (char *c = low; *c; c++) *c = (char)tolower((unsigned char)*c);
    long id = dr_intern_find(strings, low);
    free(low);
    uint32_t key = (uint32_t)id;
    return id >= 0 && s->nanchors && bsearch(&key, s->anchors, s->nanchors, sizeof key, cmp_u32) != NULL;
}

const doc_at *dr_doc_at_find(const doc_at *docs, size_t n, const char *norm) {
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(docs[mid].norm, norm);
        if (!c) return &docs[mid];
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return NULL;
}

typedef struct anchor_at {
    const char *name;
    int index;
} anchor_at;

static int cmp_anchor_at(const void *a, const void *b) {
    const anchor_at *x = a, *y = b;
    int c = strcasecmp(x->name, y->name);
    return c ? c : x->index - y->index;
}

static int is_external(const char *href) {
    for (const char *p = href; *p && *p != '/' && *p != '#' && *p != '?'; p++)
        if (*p == ':') return 1; /* https:, mailto: */
    return href[0] == '/' && href[1] == '/';
}

/* later: the findings on links to files outside the run, which the
 * checks across docs used to make and which come after the doc's own.
 * *low: the doc's anchors lowercased, in scratch, for the strings table. */
static void check_structure(const vshared *sh, const dr_doc *d, dr_arena *scratch, doc_sum *s, dr_report *r,
                            dr_report *later, char ***low, size_t *nlow) {
    const char *path = dr_doc_path(d);
    size_t ns, nu, nl, ni, nt, nc;
    const dr_section *sec = dr_doc_sections(d, &ns);
    const dr_unit *u = dr_doc_units(d, &nu);
    const dr_link *l = dr_doc_links(d, &nl);
    const dr_image *im = dr_doc_images(d, &ni);
    const dr_table *tb = dr_doc_tables(d, &nt);
    const dr_include *inc = dr_doc_includes(d, &nc);
    /* Anchors: duplicates (sorted, so equal ones are neighbours), and the
     * set links are checked against. */
    anchor_at *at = dr_xmalloc((ns ? ns : 1) * sizeof *at);
    size_t na = 0;
    for (size_t i = 0; i < ns; i++)
        if (sec[i].anchor[0]) at[na++] = (anchor_at){sec[i].anchor, (int)i};
    qsort(at, na, sizeof *at, cmp_anchor_at);
    for (size_t k = 1; k < na; k++) {
        if (strcasecmp(at[k].name, at[k - 1].name) != 0) continue;
        size_t first = k - 1;
        while (first > 0 && strcasecmp(at[first - 1].name, at[k].name) == 0) first--;
        const dr_section *dup = &sec[at[k].index];
        dr_finding_add(r, path, dup->line, dup->col, DR_SEV_WARNING, "anchor-duplicate",
                       "anchor \"%s\" is also the anchor of the heading on line %d; links "
                       "to it reach the first",
                       dup->anchor, sec[at[first].index].line);
    }
    size_t nexp = dr_doc_anchor_count(d), nall = 0;
    const char **all = dr_arena_alloc(scratch, (na + nexp + 1) * sizeof *all);
    for (size_t k = 0; k < na; k++) all[nall++] = at[k].name;
    /* Explicit <a name> anchors anywhere in the doc resolve links too. */
    for (size_t i = 0; i < nexp; i++) all[nall++] = dr_doc_anchor_name(d, i);
    qsort(all, nall, sizeof *all, cmp_ci);
    free(at);
    /* What other docs' links are matched against at the end: strcasecmp
     * equality is equality of the strings lowercased byte by byte. */
    *low = dr_arena_alloc(scratch, (nall + 1) * sizeof **low);
    *nlow = nall;
    for (size_t i = 0; i < nall; i++) {
        char *x = dr_arena_strdup(scratch, all[i]);
        for (char *c = x; *c; c++) *c = (char)tolower((unsigned char)*c);
        (*low)[i] = x;
    }
    /* Empty sections: a heading with nothing under it before the next
     * heading of the same or a higher level. */
    size_t *content = dr_xcalloc(ns ? ns : 1, sizeof *content);
    for (size_t i = 0; i < nu; i++)
        if (u[i].section >= 0 && (size_t)u[i].section < ns) content[u[i].section]++;
    for (size_t i = 0; i < ni; i++)
        if (im[i].section >= 0 && (size_t)im[i].section < ns) content[im[i].section]++;
    for (size_t i = 0; i < nt; i++)
        if (tb[i].section >= 0 && (size_t)tb[i].section < ns) content[tb[i].section]++;
    for (size_t i = 0; i < nc; i++)
        if (inc[i].section >= 0 && (size_t)inc[i].section < ns) content[inc[i].section]++;
    for (size_t i = 0; i < ns; i++) {
        if (sec[i].level < 1 || content[i] || sec[i].code_blocks) continue;
        int parent = i + 1 < ns && sec[i + 1].level > sec[i].level;
        if (!parent)
            dr_finding_add(r, path, sec[i].line, sec[i].col, DR_SEV_WARNING, "section-empty",
                           "section \"%s\" has nothing under it", sec[i].title);
    }
    free(content);
    /* Steps with no text and nothing nested. */
    for (size_t i = 0; i < nu; i++) {
        if (u[i].kind != DR_UNIT_STEP || u[i].text[0]) continue;
        int nested = 0;
        for (size_t j = i + 1; j < nu && !nested; j++) nested = u[j].parent == (int)i;
        for (size_t j = 0; j < ni && !nested; j++) nested = im[j].step == (int)i;
        if (!nested)
            dr_finding_add(r, path, u[i].line, u[i].col, DR_SEV_WARNING, "step-empty",
                           "step %d has no text", u[i].n);
    }
    /* Numbered lists: all "1." or 1..n (continuing across an interruption
     * within a section counts as 1..n). */
    int prev_section = -1, prev_last = 0;
    for (size_t i = 0; i < nu;) {
        if (u[i].kind != DR_UNIT_STEP) {
            i++;
            continue;
        }
        int list = u[i].list, section = u[i].section;
        size_t j = i;
        int nums[64], k = 0, ok_ones = 1, ok_seq = 1, first = 0;
        for (; j < nu && !(u[j].kind == DR_UNIT_STEP && u[j].list != list); j++) {
            if (u[j].kind != DR_UNIT_STEP || u[j].list != list) continue;
            size_t len;
            const char *ln = dr_doc_line(d, u[j].line, &len);
            size_t p = 0;
            while (p < len && (ln[p] == ' ' || ln[p] == '\t' || ln[p] == '>')) p++;
            int v = 0, digits = 0;
            while (p < len && isdigit((unsigned char)ln[p]) && digits < 9) v = v * 10 + (ln[p++] - '0'), digits++;
            if (!digits) continue;
            if (k == 0) first = v;
            if (k < 64) nums[k] = v;
            if (v != 1) ok_ones = 0;
            if (v != first + k) ok_seq = 0;
            k++;
        }
        int continues = section == prev_section && first == prev_last + 1;
        if (k > 1 && !ok_ones && !(ok_seq && (first == 1 || continues))) {
            char seq[200] = "";
            for (int q = 0; q < k && q < 12; q++)
                snprintf(seq + strlen(seq), sizeof seq - strlen(seq), "%s%d", q ? ", " : "", nums[q]);
            dr_finding_add(r, path, u[i].line, u[i].col, DR_SEV_WARNING, "list-numbering",
                           "steps numbered %s%s: neither all \"1.\" nor 1..n", seq, k > 12 ? ", ..." : "");
        }
        if (k) {
            prev_section = section;
            prev_last = ok_seq ? first + k - 1 : 0;
        }
        i = j;
    }
    /* Links: in-page anchors now, other docs at the end. */
    char *dir = dir_of(path);
    size_t lcap = 0;
    for (size_t i = 0; i < nl; i++) {
        const char *h = l[i].href;
        if (!h[0] || is_external(h)) continue;
        if (h[0] == '#') {
            if (h[1] && !has_anchor(all, nall, h + 1))
                dr_finding_add(r, path, l[i].line, l[i].col, DR_SEV_WARNING, "link-anchor-missing",
                               "link to #%s: no heading or anchor of that name here", h + 1);
            continue;
        }
        if (h[0] == '/') continue; /* a site path, not a file */
        const char *hash = strchr(h, '#'), *q = strchr(h, '?');
        size_t plen = hash ? (size_t)(hash - h) : strlen(h);
        if (q && (size_t)(q - h) < plen) plen = (size_t)(q - h);
        if (plen < 4 || strncasecmp(h + plen - 3, ".md", 3) != 0) continue;
        char *rel = dr_xstrndup(h, plen);
        char *target = dr_path_join_norm(dir, rel);
        free(rel);
        const doc_at *t = dr_doc_at_find(sh->docs, sh->ndocs, target);
        struct stat st;
        if (!t) {
            if (stat(target, &st) != 0)
                dr_finding_add(later, path, l[i].line, l[i].col, DR_SEV_WARNING, "link-file-missing",
                               "link to %s: no such doc in the corpus", target);
        } else if (hash && hash[1]) {
            /* Whether that doc has the anchor is known at the end. */
            if (s->nlinks == lcap) {
                lcap = lcap ? lcap * 2 : 4;
                s->links = dr_xrealloc(s->links, lcap * sizeof *s->links);
            }
            s->links[s->nlinks++] = (link_ref){t->doc, t->norm, dr_xstrdup(hash + 1), l[i].line, l[i].col};
        }
        free(target);
    }
    free(dir);
    if (s->nlinks && s->nlinks < lcap) s->links = dr_xrealloc(s->links, s->nlinks * sizeof *s->links);
}

/* --- bilingual ------------------------------------------------------------*/

static void check_bilingual(const dr_doc *d, dr_report *r) {
    size_t n;
    const dr_segment *g = dr_doc_segments(d, &n);
    for (size_t i = 0; i < n; i++) {
        if (!g[i].target || !g[i].source || strcmp(g[i].target, g[i].source) != 0) continue;
        int letters = 0;
        for (const char *p = g[i].source; *p; p++) letters += isalpha((unsigned char)*p) != 0;
        if (letters >= 4)
            dr_finding_add(r, dr_doc_path(d), g[i].line, g[i].col, DR_SEV_NOTE,
                           "bilingual-untranslated", "segment %s is the same in both languages: \"%.60s\"",
                           g[i].id, g[i].source);
    }
}

/* --- machine-translation artifacts ----------------------------------------*/

static void check_artifacts(const vshared *sh, const dr_doc *d, int bilingual, void *md, dr_report *r) {
    const char *loc = dr_doc_locale(d);
    for (size_t a = 0; a < sh->nartifacts; a++) {
        const artifact_pat *ap = &sh->artifacts[a];
        int applies = (loc && dr_lang_covers(ap->lang, loc)) || (bilingual && strcmp(ap->lang, "en") == 0);
        if (!applies) continue;
        for (size_t ln = 1; ln <= dr_doc_line_count(d); ln++) {
            size_t len;
            const char *text = dr_doc_line(d, (int)ln, &len);
            PCRE2_SIZE start = 0;
            size_t line_first = r->n; /* a repeat can only be on this line */
            while (start < len) {
                int rc = pcre2_match(ap->code_re, (PCRE2_SPTR)text, len, start, PCRE2_NO_UTF_CHECK, md, sh->mctx);
                if (rc <= 0) break;
                PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
                int line = (int)ln, col = dr_doc_char_col(d, line, (int)ov[0] + 1);
                /* Two patterns of one artifact may find the same place. */
                int seen = 0;
                for (size_t k = line_first; k < r->n && !seen; k++)
                    seen = r->v[k].line == line && r->v[k].col == col && strcmp(r->v[k].code, ap->code) == 0;
                if (!seen) {
                    /* The match and a few characters after it, cut on a
                     * character boundary. */
                    size_t end = ov[1], chars = 0;
                    while (end < len && chars < 12) {
                        end++;
                        while (end < len && ((unsigned char)text[end] & 0xC0) == 0x80) end++;
                        chars++;
                    }
                    dr_finding_add(r, dr_doc_path(d), line, col, DR_SEV_WARNING, ap->code, "%s: \"%.*s\"",
                                   ap->message, (int)(end - ov[0]), text + ov[0]);
                }
                start = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
            }
        }
    }
}

/* --- facts and gaps -------------------------------------------------------*/

/* A bound in the doc's words: "fewer than 25", "at least 25"... */
static void bound_says(int bound, long v, char *buf, size_t size) {
    const char *w = bound == DR_BOUND_BELOW ? "fewer than" : bound == DR_BOUND_AT_MOST ? "at most"
                  : bound == DR_BOUND_ABOVE ? "more than" : "at least";
    snprintf(buf, size, "%s %ld", w, v);
}

static void check_gaps(const vshared *sh, const dr_doc *d, const doc_sum *s, dr_report *r) {
    /* For each quantity with a low side ("fewer than" or "at most") and a
     * high side ("more than" or "at least") stated here: the whole numbers
     * between the largest the low side covers and the smallest the high
     * side covers are covered by neither. */
    for (size_t i = 0; i < s->nfacts; i++) {
        const char *q1, *q2;
        int bi = dr_catalog_fact_bound(sh->cat, s->facts[i].fact, &q1);
        if (bi != DR_BOUND_BELOW && bi != DR_BOUND_AT_MOST) continue;
        for (size_t j = 0; j < s->nfacts; j++) {
            int bj = dr_catalog_fact_bound(sh->cat, s->facts[j].fact, &q2);
            if (bj != DR_BOUND_ABOVE && bj != DR_BOUND_AT_LEAST) continue;
            if (strcmp(q1, q2) != 0) continue;
            long low_top = s->facts[i].value - (bi == DR_BOUND_BELOW), high_bottom = s->facts[j].value + (bj == DR_BOUND_ABOVE);
            long from = low_top + 1, to = high_bottom - 1;
            if (from > to) continue;
            char range[64], lo[48], hi[48];
            if (from == to) snprintf(range, sizeof range, "exactly %ld", from);
            else snprintf(range, sizeof range, "%ld to %ld", from, to);
            bound_says(bi, s->facts[i].value, lo, sizeof lo);
            bound_says(bj, s->facts[j].value, hi, sizeof hi);
            dr_finding_add(r, dr_doc_path(d), s->facts[i].line, s->facts[i].col, DR_SEV_WARNING, "policy-gap",
                           "%s of %s: covered by neither \"%s\" (line %d) nor \"%s\" (line %d)", q1, range, lo,
                           s->facts[i].line, hi, s->facts[j].line);
            if (s->facts[j].line != s->facts[i].line)
                dr_finding_add(r, dr_doc_path(d), s->facts[j].line, s->facts[j].col, DR_SEV_WARNING, "policy-gap",
                               "%s of %s: covered by neither \"%s\" nor \"%s\" (line %d)", q1, range, hi, lo,
                               s->facts[i].line);
            return; /* once per doc and quantity */
        }
    }
}

/* --- one doc --------------------------------------------------------------*/

static int cmp_place(const void *a, const void *b) {
    const dr_finding *x = a, *y = b;
    if (x->line != y->line) return x->line - y->line;
    if (x->col != y->col) return x->col - y->col;
    return strcmp(x->code, y->code);
}

/* Two patterns (two languages of one artifact) may report one place. */
static void unique_findings(dr_report *r) {
    if (r->n < 2) return;
    qsort(r->v, r->n, sizeof *r->v, cmp_place);
    size_t o = 1;
    for (size_t i = 1; i < r->n; i++) {
        if (cmp_place(&r->v[i], &r->v[o - 1]) == 0) {
            free(r->v[i].message);
            continue;
        }
        r->v[o++] = r->v[i];
    }
    r->n = o;
}

/* <!-- docrules-disable CODE... -->, <!-- docrules-enable CODE... --> and
 * <!-- docrules-disable-next-line CODE... --> in a doc: the lines each
 * silences (no code: every code). Read from the doc's own lines, so a
 * directive inside a code block counts too, as in markdownlint. */
static void silence(doc_sum *s, const char *code, int from, int to) {
    s->silence = dr_xrealloc(s->silence, (s->nsilence + 1) * sizeof *s->silence);
    s->silence[s->nsilence++] = (struct silence){code ? dr_xstrdup(code) : NULL, from, to};
}

static void read_directives(const vshared *sh, const dr_doc *d, doc_sum *s, dr_report *r) {
    /* Most docs have none: one search of the whole text decides. */
    size_t srclen;
    const char *src = dr_doc_source(d, &srclen);
    if (src && !memmem(src, srclen, "<!-- docrules-", 14)) return;
    size_t nl = dr_doc_line_count(d);
    for (size_t ln = 1; ln <= nl; ln++) {
        size_t len;
        const char *text = dr_doc_line(d, (int)ln, &len);
        const char *at = memmem(text, len, "<!-- docrules-", 14);
        if (!at) continue;
        const char *end = memmem(at, len - (size_t)(at - text), "-->", 3);
        if (!end) continue;
        char body[512];
        snprintf(body, sizeof body, "%.*s", (int)(end - at - 14), at + 14);
        char *save, *word = strtok_r(body, " \t", &save);
        int kind = !word ? 0 : strcmp(word, "disable") == 0 ? 1 : strcmp(word, "enable") == 0 ? 2
                   : strcmp(word, "disable-next-line") == 0 ? 3 : 0;
        if (!kind) continue;
        int any = 0;
        for (char *code; (code = strtok_r(NULL, " \t", &save));) {
            any = 1;
            int known = dr_code_info_of(code) != NULL;
            for (size_t i = 0; i < sh->nartifact_codes && !known; i++) known = strcmp(sh->artifact_codes[i], code) == 0;
            if (!known) {
                dr_finding_add(r, s->path, (int)ln, 1, DR_SEV_WARNING, "inline-directive-unknown",
                               "docrules-%s names %s, which is not a finding code", word, code);
                continue;
            }
            if (kind == 3) silence(s, code, (int)ln + 1, (int)ln + 1);
            else if (kind == 1) silence(s, code, (int)ln, (int)nl);
            else /* enable: ends the open disables of the code here */
                for (size_t i = 0; i < s->nsilence; i++)
                    if (s->silence[i].code && strcmp(s->silence[i].code, code) == 0 && s->silence[i].to >= (int)ln)
                        s->silence[i].to = (int)ln - 1;
        }
        if (!any) {
            if (kind == 3) silence(s, NULL, (int)ln + 1, (int)ln + 1);
            else if (kind == 1) silence(s, NULL, (int)ln, (int)nl);
            else
                for (size_t i = 0; i < s->nsilence; i++)
                    if (s->silence[i].to >= (int)ln) s->silence[i].to = (int)ln - 1;
        }
    }
}

/* A doc's findings, in a block of their size: a run keeps them to the end. */
static void keep_findings(doc_sum *s, dr_report *r) {
    if (r->n) {
        s->findings = dr_xrealloc(r->v, r->n * sizeof *r->v);
        s->nfindings = r->n;
    } else {
        free(r->v);
    }
}

/* The doc's date, locale and anchors into the run's strings table, in one
 * hold of its lock. */
static void keep_strings(const vshared *sh, const dr_doc *d, doc_sum *s, char **low, size_t nlow) {
    const char *date = dr_doc_date(d), *loc = dr_doc_locale(d);
    s->anchors = nlow ? dr_xmalloc(nlow * sizeof *s->anchors) : NULL;
    dr_intern *t = sh->strings;
    pthread_mutex_lock(&t->lock);
    s->date = date ? dr_intern_str(t, dr_intern_add(t, date, strlen(date))) : NULL;
    s->locale = loc ? dr_intern_str(t, dr_intern_add(t, loc, strlen(loc))) : NULL;
    for (size_t i = 0; i < nlow; i++) s->anchors[i] = dr_intern_add(t, low[i], strlen(low[i]));
    pthread_mutex_unlock(&t->lock);
    /* Sorted and each once, for bsearch. */
    if (nlow) qsort(s->anchors, nlow, sizeof *s->anchors, cmp_u32);
    for (size_t i = 0; i < nlow; i++)
        if (!s->nanchors || s->anchors[s->nanchors - 1] != s->anchors[i]) s->anchors[s->nanchors++] = s->anchors[i];
}

void dr_check_doc(const vshared *sh, dr_parser *p, void *md, dr_arena *scratch, const char *file,
                  const char *path, doc_sum *s) {
    memset(s, 0, sizeof *s);
    s->path = path;
    s->article = -1;
    dr_report own = {.strings = sh->report}, later = {.strings = sh->report}, *r = &own;
    dr_doc *d;
    dr_error err;
    dr_error_clear(&err);
    if (dr_doc_load_as(p, file, path, &d, &err) != DR_OK) {
        dr_finding_add(r, path, 1, 1, DR_SEV_ERROR, "file-unreadable", "%s", err.message);
        keep_findings(s, r);
        return;
    }
    size_t n;
    const dr_diag *g = dr_doc_diags(d, &n);
    for (size_t i = 0; i < n; i++)
        dr_finding_add(r, path, g[i].line, g[i].col, g[i].severity, g[i].code, "%s", g[i].message);
    size_t nseg;
    dr_doc_segments(d, &nseg);
    s->bilingual = nseg > 0;
    read_directives(sh, d, s, r);
    check_front_matter(sh, d, r);
    char **low;
    size_t nlow;
    check_structure(sh, d, scratch, s, r, &later, &low, &nlow);
    keep_strings(sh, d, s, low, nlow);
    check_bilingual(d, r);
    check_artifacts(sh, d, s->bilingual, md, r);
    if (sh->cat) {
        s->article = dr_catalog_article_of(sh->cat, d);
        if (s->article >= 0) {
            dr_fact *f = NULL;
            size_t nf = 0, cap = 0;
            dr_catalog_extract(sh->cat, d, s->article, scratch, &f, &nf, &cap, md);
            s->facts = dr_xcalloc(nf ? nf : 1, sizeof *s->facts);
            for (size_t i = 0; i < nf; i++)
                s->facts[i] = (fact_ref){f[i].fact, f[i].value, f[i].key ? dr_xstrdup(f[i].key) : NULL,
                                         f[i].line, f[i].col};
            s->nfacts = nf;
            check_gaps(sh, d, s, r);
        }
    }
    unique_findings(r);
    /* After the doc's own and in the order of its links, as when the checks
     * across docs made them: the report's sort keeps that order among
     * findings of one place. */
    for (size_t i = 0; i < later.n; i++) {
        if (r->n == r->cap) {
            r->cap = r->cap ? r->cap * 2 : 16;
            r->v = dr_xrealloc(r->v, r->cap * sizeof *r->v);
        }
        r->v[r->n++] = later.v[i];
    }
    free(later.v);
    keep_findings(s, r);
    s->bytes = dr_doc_bytes(d);
    dr_doc_free(d);
}

void dr_doc_sum_free(doc_sum *s) {
    free(s->anchors);
    for (size_t i = 0; i < s->nlinks; i++) free(s->links[i].anchor);
    free(s->links);
    for (size_t i = 0; i < s->nfacts; i++) free(s->facts[i].key);
    free(s->facts);
    for (size_t i = 0; i < s->nsilence; i++) free(s->silence[i].code);
    free(s->silence);
    /* findings are moved into the run's report, not freed here */
}
