/* The body through libcmark-gfm: sections, steps, bullets, paragraphs, notes,
 * tables, links, images and include references, each with its line. */
#define _GNU_SOURCE /* memmem */
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm-extension_api.h>

#include "internal.h"

typedef struct ctx {
    dr_parser *p;
    dr_doc *d;
    int section;             /* -1 until the first heading or text */
    int step;                /* unit index of the enclosing step, or -1 */
    int step_n;              /* steps so far in the current section */
    int list;                /* lists so far in the doc */
    int depth;               /* nested containers, bounded by MAX_NEST */
    const char *pending_anchor;
    /* where(): the block its links and images are being found in, the
     * offset the next is looked for from, and the place last found. */
    cmark_node *find_block;
    size_t find_from, found_at;
    int found_line, found_col;
    int find_misses;   /* targets not found in the block: each a pass to its end */
    int inline_misses; /* `](target` not found, the target then found alone */
    int struck;        /* inside struck-out text: its links say nothing (their text is "") */
} ctx;

/* Lists in lists in quotes...: past this depth the content is left out,
 * with a diagnostic, rather than recursing without bound on hostile
 * input. Real docs nest a handful of levels. */
#define MAX_NEST 100

static int too_deep(ctx *c, cmark_node *n);

static int line_of(ctx *c, cmark_node *n) {
    return cmark_node_get_start_line(n) + c->d->body_line - 1;
}

static int end_line_of(ctx *c, cmark_node *n) {
    int e = cmark_node_get_end_line(n);
    if (e < cmark_node_get_start_line(n)) e = cmark_node_get_start_line(n);
    return e + c->d->body_line - 1;
}

static int col_of(ctx *c, cmark_node *n) {
    return dr_doc_char_col(c->d, line_of(c, n), cmark_node_get_start_column(n));
}

/* --- serializing inline content ------------------------------------------*/

static void buf_put(dr_parser *p, const char *s, size_t n) { dr_buf_put(&p->buf, s, n); }

static void buf_puts(dr_parser *p, const char *s) { buf_put(p, s, strlen(s)); }

static void buf_escaped(dr_parser *p, const char *s) {
    for (const char *r = s;; r++) {
        const char *q = r;
        while (*q && *q != '&' && *q != '<' && *q != '>' && *q != '"') q++;
        buf_put(p, r, (size_t)(q - r));
        if (!*q) break;
        buf_puts(p, *q == '&' ? "&amp;" : *q == '<' ? "&lt;" : *q == '>' ? "&gt;" : "&quot;");
        r = q;
    }
}

static int has_html_at(cmark_node *n, int depth) {
    if (depth > 200) return 0;
    for (cmark_node *c = cmark_node_first_child(n); c; c = cmark_node_next(c)) {
        if (cmark_node_get_type(c) == CMARK_NODE_HTML_INLINE) return 1;
        if (cmark_node_first_child(c) && has_html_at(c, depth + 1)) return 1;
    }
    return 0;
}

static int has_html(cmark_node *n) { return has_html_at(n, 0); }

/* Plain text of inline children, for link text and image alt; with
 * struck, what is struck out too (a heading's identifier). */
static void plain_at(cmark_node *n, dr_parser *p, int struck, int depth) {
    if (depth > 200) return;
    for (cmark_node *c = cmark_node_first_child(n); c; c = cmark_node_next(c)) {
        cmark_node_type t = cmark_node_get_type(c);
        if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE) buf_puts(p, cmark_node_get_literal(c));
        else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK) buf_puts(p, " ");
        else if (t == p->type_strike && !struck) buf_puts(p, " "); /* struck out: not said (serialize_at) */
        else plain_at(c, p, struck, depth + 1);
    }
}

static char *plain_text_of(ctx *c, cmark_node *n, int struck) {
    size_t mark = c->p->buf.n;
    plain_at(n, c->p, struck, 0);
    char *s = dr_text_fold(c->d->arena, c->p->buf.s + mark, c->p->buf.n - mark);
    c->p->buf.n = mark;
    if (c->p->buf.s) c->p->buf.s[mark] = '\0';
    return s;
}

static char *plain_of(ctx *c, cmark_node *n) { return plain_text_of(c, n, 0); }

/* Whether a heading without HTML strikes something out (~~): one with
 * HTML (<del>, <s>, <strike>) is read by the HTML walk, which keeps its
 * struck words itself (dr_html_words). */
static int strikes_at(const dr_parser *p, cmark_node *n, int depth) {
    if (depth > 200 || p->type_strike == CMARK_NODE_NONE) return 0;
    for (cmark_node *c = cmark_node_first_child(n); c; c = cmark_node_next(c)) {
        if (cmark_node_get_type(c) == p->type_strike) return 1;
        if (cmark_node_first_child(c) && strikes_at(p, c, depth + 1)) return 1;
    }
    return 0;
}

/* The place of a link's or image's target in the source. cmark-gfm places
 * only some inlines, so the block's text is searched: from where the last
 * one of the block was found, so that two links to one file get two places
 * (each was the first one's), and `](target` before `target`, which the
 * link's own text may hold. */
static void where(ctx *c, cmark_node *n, cmark_node *block, const char *needle, int *line,
                  int *col) {
    const dr_doc *d = c->d;
    int from = line_of(c, block), to = end_line_of(c, block);
    if (from >= 1 && (size_t)from <= d->nlines) {
        size_t a = d->line_start[from - 1];
        size_t b = to >= from && (size_t)to < d->nlines ? d->line_start[to] : d->len;
        if (c->find_block != block || c->find_from < a || c->find_from > b) {
            c->find_block = block;
            c->find_from = a;
            c->found_at = 0;
            c->found_line = 0;
            c->find_misses = 0;
            c->inline_misses = 0;
        }
        /* A reference link's target is not in its block: a block of
         * 50,000 of them was 50,000 passes over it. Past a few misses the
         * rest take cmark's places. */
        size_t k = c->find_misses < 8 ? strlen(needle) : 0;
        const char *hit = NULL;
        char inl[258];
        if (k && c->inline_misses < 8 && k + 2 <= sizeof inl - 1 && k + 2 <= b - c->find_from && needle[0] != ']' &&
            needle[0] != '!') {
            inl[0] = ']';
            inl[1] = '(';
            memcpy(inl + 2, needle, k + 1);
            hit = dr_find(d->src + c->find_from, b - c->find_from, inl, k + 2);
            if (hit) hit += 2;
            else c->inline_misses++;
        }
        if (!hit && k && k <= b - c->find_from) hit = dr_find(d->src + c->find_from, b - c->find_from, needle, k);
        if (hit) {
            size_t off = (size_t)(hit - d->src);
            dr_doc_pos_from(d, c->found_at, c->found_line, c->found_col, off, line, col);
            c->find_from = off + k;
            c->found_at = off;
            c->found_line = *line;
            c->found_col = *col;
            return;
        }
        c->find_misses++;
    }
    *line = line_of(c, block);
    *col = col_of(c, block);
    if (cmark_node_get_start_line(n) > 0 && cmark_node_get_start_column(n) > 0 && n != block) {
        *line = line_of(c, n);
        *col = col_of(c, n);
    }
}

static void serialize_at(ctx *c, cmark_node *n, cmark_node *block, int html, int depth);

static void serialize(ctx *c, cmark_node *n, cmark_node *block, int html) {
    serialize_at(c, n, block, html, 0);
}

/* Inline nesting (emphasis in links in emphasis...) is bounded too. */
static void serialize_at(ctx *c, cmark_node *n, cmark_node *block, int html, int depth) {
    dr_parser *p = c->p;
    if (depth > 200) return;
    for (cmark_node *k = cmark_node_first_child(n); k; k = cmark_node_next(k)) {
        switch (cmark_node_get_type(k)) {
        case CMARK_NODE_TEXT:
        case CMARK_NODE_CODE:
            if (html) buf_escaped(p, cmark_node_get_literal(k));
            else buf_puts(p, cmark_node_get_literal(k));
            break;
        case CMARK_NODE_SOFTBREAK:
        case CMARK_NODE_LINEBREAK:
            buf_puts(p, " ");
            break;
        case CMARK_NODE_HTML_INLINE:
            if (html) buf_puts(p, cmark_node_get_literal(k));
            break;
        case CMARK_NODE_LINK: {
            const char *url = cmark_node_get_url(k);
            if (html) {
                /* Let the HTML walk record it, so a link inside a bilingual
                 * segment is recorded once, from the translation. */
                buf_puts(p, "<a data-dr-md=\"1\" href=\"");
                buf_escaped(p, url ? url : "");
                buf_puts(p, "\">");
                serialize_at(c, k, block, html, depth + 1);
                buf_puts(p, "</a>");
            } else {
                dr_link *l = DR_VEC_PUSH(c->d->arena, c->d->links);
                l->href = dr_arena_strdup(c->d->arena, url ? url : "");
                /* A struck-out link's words are not said, as the HTML walk
                 * has them (parsers/inline.c): a translation's old term,
                 * struck out, teaches nothing (facts/linked.c). */
                l->text = c->struck ? "" : plain_of(c, k);
                where(c, k, block, l->href[0] ? l->href : "](", &l->line, &l->col);
                l->section = c->section;
                l->from_html = 0;
                serialize_at(c, k, block, html, depth + 1);
            }
            break;
        }
        case CMARK_NODE_IMAGE: {
            const char *url = cmark_node_get_url(k);
            if (html) {
                buf_puts(p, "<img data-dr-md=\"1\" src=\"");
                buf_escaped(p, url ? url : "");
                buf_puts(p, "\" alt=\"");
                char *alt = plain_of(c, k);
                buf_escaped(p, alt);
                buf_puts(p, "\">");
            } else {
                dr_image *im = DR_VEC_PUSH(c->d->arena, c->d->images);
                im->src = dr_arena_strdup(c->d->arena, url ? url : "");
                im->alt = plain_of(c, k);
                where(c, k, block, im->src[0] ? im->src : "![", &im->line, &im->col);
                im->section = c->section;
                im->step = c->step;
            }
            break;
        }
        default:
            if (cmark_node_get_type(k) == p->type_strike && p->type_strike != CMARK_NODE_NONE) {
                /* ~~Struck out~~: what the doc no longer says ("we wait
                 * ~~90~~ 30 days"), so not in the text facts are read from;
                 * its links are still links (the HTML walk, parsers/inline.c,
                 * drops <del>, <s> and <strike> likewise). */
                if (html) {
                    buf_puts(p, "<del data-dr-md=\"1\">");
                    serialize_at(c, k, block, html, depth + 1);
                    buf_puts(p, "</del>");
                } else {
                    size_t mark = p->buf.n;
                    c->struck++;
                    serialize_at(c, k, block, html, depth + 1);
                    c->struck--;
                    p->buf.n = mark;
                    if (p->buf.s) p->buf.s[mark] = '\0';
                    buf_puts(p, " ");
                }
            } else {
                serialize_at(c, k, block, html, depth + 1);
            }
        }
    }
}

/* Renders the inline children of a leaf block (paragraph, heading, cell).
 * Blocks with inline HTML were serialized and parsed before the walk
 * (queue_html); their results wait on the node. */
static void render_inline(ctx *c, cmark_node *block, dr_inline *out) {
    const dr_frag *f = cmark_node_get_user_data(block);
    if (f) {
        dr_html_commit(c->d, f, line_of(c, block), end_line_of(c, block), col_of(c, block),
                       c->section, c->step, out);
        return;
    }
    dr_parser *p = c->p;
    p->buf.n = 0;
    buf_put(p, "", 0);
    serialize(c, block, block, 0);
    out->text = dr_text_fold(c->d->arena, p->buf.s, p->buf.n);
    out->source = NULL;
    out->anchor = NULL;
}

/* An HTML block's text, links and anchors. */
static void render_html_block(ctx *c, cmark_node *n, dr_inline *out) {
    const dr_frag *f = cmark_node_get_user_data(n);
    if (!f) {
        out->text = "";
        out->source = out->anchor = NULL;
        return;
    }
    dr_html_commit(c->d, f, line_of(c, n), end_line_of(c, n), col_of(c, n), c->section, c->step,
                   out);
}

static int comment_only(const char *lit) {
    const char *s = lit;
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') s++;
    if (strncmp(s, "<!--", 4) != 0) return 0;
    const char *e = strstr(s + 4, "-->");
    if (!e) return 0;
    e += 3;
    while (*e == ' ' || *e == '\t' || *e == '\n' || *e == '\r') e++;
    return *e == '\0';
}

static void queue_blocks(ctx *c, cmark_node *first, int depth) {
    dr_parser *p = c->p;
    if (depth > MAX_NEST + 1) return; /* the walk will not go there either */
    for (cmark_node *n = first; n; n = cmark_node_next(n)) {
        cmark_node_type t = cmark_node_get_type(n);
        if (t == CMARK_NODE_HTML_BLOCK) {
            const char *lit = cmark_node_get_literal(n);
            if (lit && !comment_only(lit))
                cmark_node_set_user_data(n, dr_html_add(p, c->d, lit, strlen(lit)));
        } else if (t == CMARK_NODE_PARAGRAPH || t == CMARK_NODE_HEADING || t == p->type_cell) {
            if (!has_html(n)) continue;
            p->buf.n = 0;
            buf_put(p, "", 0);
            serialize(c, n, n, 1);
            cmark_node_set_user_data(n, dr_html_add(p, c->d, p->buf.s, p->buf.n));
        } else if (t != CMARK_NODE_CODE_BLOCK && t != CMARK_NODE_THEMATIC_BREAK) {
            /* Containers: lists, items, block quotes, tables and rows. */
            queue_blocks(c, cmark_node_first_child(n), depth + 1);
        }
    }
}

/* First pass: every block whose text needs libxml2 is queued, so one HTML
 * parse serves the whole doc instead of one per heading. Only blocks are
 * visited; inline nodes only by has_html, which stops at the first tag. */
static void queue_html(ctx *c, cmark_node *root) {
    queue_blocks(c, cmark_node_first_child(root), 0);
    dr_html_run(c->p, c->d);
}

/* Joins the text of every leaf block under a container (note, list item).
 * The source side is the text side until a bilingual block comes, so it is
 * only kept apart from then on. */
typedef struct joined {
    DR_VEC(char) text, source;
    int bilingual;
} joined;

/* Room for k more bytes in one step: a doubling loop would copy a long
 * paragraph once per doubling. The old block stays in the arena. */
static void join_room(dr_arena *a, void *vec, size_t k) {
    DR_VEC(char) *v = vec;
    if (v->n + k <= v->cap) return;
    size_t ncap = v->cap * 2 > v->n + k ? v->cap * 2 : v->n + k + 16;
    char *nv = dr_arena_alloc(a, ncap);
    if (v->n) memcpy(nv, v->v, v->n);
    v->v = nv;
    v->cap = ncap;
}

static void join_str(dr_arena *a, void *vec, const char *s) {
    DR_VEC(char) *v = vec;
    size_t k = strlen(s);
    if (!k) return;
    join_room(a, v, k + 1);
    if (v->n) v->v[v->n++] = ' ';
    memcpy(v->v + v->n, s, k);
    v->n += k;
}

static void join_add(ctx *c, joined *j, const dr_inline *in) {
    dr_arena *a = c->d->arena;
    if (in->source && !j->bilingual) {
        /* Every block so far gave its text as its source too. */
        j->bilingual = 1;
        join_room(a, &j->source, j->text.n);
        if (j->text.n) memcpy(j->source.v, j->text.v, j->text.n);
        j->source.n = j->text.n;
    }
    join_str(a, &j->text, in->text);
    if (j->bilingual) join_str(a, &j->source, in->source ? in->source : in->text);
}

static void join_done(ctx *c, joined *j, dr_inline *out) {
    *DR_VEC_PUSH(c->d->arena, j->text) = '\0';
    out->text = j->text.v;
    out->source = NULL;
    if (j->bilingual) {
        *DR_VEC_PUSH(c->d->arena, j->source) = '\0';
        out->source = j->source.v;
    }
    out->anchor = NULL;
}

/* --- building the model --------------------------------------------------*/

static void ensure_section(ctx *c) {
    if (c->section >= 0) return;
    dr_section *s = DR_VEC_PUSH(c->d->arena, c->d->sections);
    memset(s, 0, sizeof *s);
    s->level = 0;
    s->title = "";
    s->anchor = "";
    s->line = c->d->body_line;
    s->col = 1;
    c->section = (int)c->d->sections.n - 1;
}

static dr_unit *add_unit(ctx *c, dr_unit_kind kind, const dr_inline *in, cmark_node *n) {
    ensure_section(c);
    dr_unit *u = DR_VEC_PUSH(c->d->arena, c->d->units);
    memset(u, 0, sizeof *u);
    u->kind = kind;
    u->text = in->text;
    u->source_text = in->source;
    u->line = line_of(c, n);
    u->col = col_of(c, n);
    u->section = c->section;
    u->parent = c->step;
    u->n = 0;
    return u;
}

/* "[!NOTE]", "[AZURE.NOTE]" and friends at the start of s: the length of the
 * marker, with the lowercase kind in kind[]. */
static size_t marker(const char *s, char *kind, size_t kcap) {
    const char *p;
    if (strncmp(s, "[!", 2) == 0) p = s + 2;
    else if (strncasecmp(s, "[AZURE.", 7) == 0) p = s + 7;
    else return 0;
    size_t k = 0;
    while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')) {
        if (k + 1 < kcap) kind[k++] = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
        p++;
    }
    kind[k] = '\0';
    if (!k) return 0;
    if (*p == ']') return (size_t)(p + 1 - s);
    if (*p == ' ') return (size_t)(p - s);  /* [!INCLUDE [x](y)] */
    return 0;
}

static const char *note_kind(const char *k) {
    static const char *const kinds[] = {"note", "important", "tip", "warning", "caution"};
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
        if (strcmp(k, kinds[i]) == 0) return kinds[i];
    if (strcmp(k, "information") == 0) return "note";
    return NULL;
}

static const char *strip_marker(ctx *c, const char *s) {
    char kind[32];
    size_t m = s ? marker(s, kind, sizeof kind) : 0;
    if (!m) return s;
    return dr_text_fold(c->d->arena, s + m, strlen(s + m));
}

static void walk_blocks(ctx *c, cmark_node *first);

static int too_deep(ctx *c, cmark_node *n) {
    if (c->depth < MAX_NEST) return 0;
    if (c->depth == MAX_NEST) {
        c->depth++; /* report once */
        dr_doc_diag(c->d, line_of(c, n), col_of(c, n), DR_SEV_WARNING, "nesting-too-deep",
                    "lists and quotes nested over %d deep: what is deeper is left out", MAX_NEST);
    }
    return 1;
}

/* An include reference: "[!INCLUDE [name](path)]" or the AZURE form. Returns
 * 1 when the paragraph was one. */
static int maybe_include(ctx *c, const dr_inline *in, cmark_node *n, size_t links_before) {
    char kind[32];
    if (!marker(in->text, kind, sizeof kind) || strcmp(kind, "include") != 0) return 0;
    dr_include *inc = DR_VEC_PUSH(c->d->arena, c->d->includes);
    inc->ref = c->d->links.n > links_before ? c->d->links.v[links_before].href : "";
    /* The include's link is a reference, not a link a reader follows. */
    c->d->links.n = links_before;
    inc->line = line_of(c, n);
    inc->col = col_of(c, n);
    ensure_section(c);
    inc->section = c->section;
    return 1;
}

static void do_paragraph(ctx *c, cmark_node *n) {
    size_t links_before = c->d->links.n;
    dr_inline in;
    render_inline(c, n, &in);
    if (maybe_include(c, &in, n, links_before)) return;
    if (!in.text[0]) {
        if (in.anchor) c->pending_anchor = in.anchor;
        return;
    }
    add_unit(c, DR_UNIT_PARAGRAPH, &in, n);
}

static void do_heading(ctx *c, cmark_node *n) {
    dr_inline in;
    /* A heading starts a section; links in it belong to the new one. */
    dr_section *s = DR_VEC_PUSH(c->d->arena, c->d->sections);
    c->section = (int)c->d->sections.n - 1;
    memset(s, 0, sizeof *s);
    c->step = -1;
    c->step_n = 0;
    render_inline(c, n, &in);
    s = &c->d->sections.v[c->section];
    s->level = cmark_node_get_heading_level(n);
    s->title = in.text;
    s->source_title = in.source;
    s->line = line_of(c, n);
    s->col = col_of(c, n);
    if (in.anchor) {
        s->anchor = in.anchor;
        s->anchor_explicit = 1;
    } else if (c->pending_anchor) {
        s->anchor = c->pending_anchor;
        s->anchor_explicit = 1;
    } else {
        /* The identifier the docs' renderer gives a heading is made of all
         * its words, struck out or not ("## ~~Old~~ New" is #old-new),
         * though what it says leaves them out. */
        const dr_frag *f = cmark_node_get_user_data(n);
        const char *words = f ? dr_html_words(f) : strikes_at(c->p, n, 0) ? plain_text_of(c, n, 1) : NULL;
        /* With HTML, the walk's words: those of the translation, not of
         * its sxs-lookup source as well (which the cmark nodes hold too). */
        s->anchor = dr_text_slug(c->d->arena, words ? words : in.text);
    }
    c->pending_anchor = NULL;
}

/* text_line: where the note's words start, when the marker stands alone
 * on its line ("> [!NOTE]" then "> words"), else 0 for the quote's first
 * line. A fact read from the note is cited there: at the marker's line,
 * every citation of a note pointed one line above its sentence. */
static void do_note(ctx *c, cmark_node *n, const char *kind, int text_line) {
    joined j = {0};
    for (cmark_node *k = cmark_node_first_child(n); k; k = cmark_node_next(k)) {
        cmark_node_type t = cmark_node_get_type(k);
        if (t == CMARK_NODE_PARAGRAPH || t == CMARK_NODE_HEADING) {
            dr_inline in;
            render_inline(c, k, &in);
            join_add(c, &j, &in);
        } else if (t == CMARK_NODE_LIST || t == CMARK_NODE_BLOCK_QUOTE) {
            /* Rare inside notes: keep their text in the note. */
            for (cmark_node *it = cmark_node_first_child(k); it; it = cmark_node_next(it))
                for (cmark_node *b = cmark_node_first_child(it); b; b = cmark_node_next(b))
                    if (cmark_node_get_type(b) == CMARK_NODE_PARAGRAPH) {
                        dr_inline in;
                        render_inline(c, b, &in);
                        join_add(c, &j, &in);
                    }
        }
    }
    dr_inline all;
    join_done(c, &j, &all);
    all.text = strip_marker(c, all.text);
    all.source = strip_marker(c, all.source);
    dr_unit *u = add_unit(c, DR_UNIT_NOTE, &all, n);
    u->note_kind = kind;
    if (text_line) u->line = text_line;
}

static void do_blockquote(ctx *c, cmark_node *n) {
    cmark_node *first = cmark_node_first_child(n);
    if (first && cmark_node_get_type(first) == CMARK_NODE_PARAGRAPH) {
        /* Peek at the marker without recording anything twice. */
        cmark_node *t = cmark_node_first_child(first);
        char buf[64] = "";
        size_t k = 0;
        for (; t && k < sizeof buf - 1; t = cmark_node_next(t)) {
            cmark_node_type ty = cmark_node_get_type(t);
            if (ty != CMARK_NODE_TEXT) break;
            const char *l = cmark_node_get_literal(t);
            size_t ln = strlen(l);
            if (k + ln >= sizeof buf) ln = sizeof buf - 1 - k;
            memcpy(buf + k, l, ln);
            k += ln;
        }
        buf[k] = '\0';
        const char *s = buf;
        while (*s == ' ') s++;
        char kind[32];
        size_t m = marker(s, kind, sizeof kind);
        if (m) {
            const char *nk = note_kind(kind);
            if (nk) {
                /* The marker alone: the words come on the next line of its
                 * paragraph, or in the next paragraph. */
                const char *rest = s + m;
                while (*rest == ' ' || *rest == '\t') rest++;
                int text_line = 0;
                if (!*rest && k < sizeof buf - 1) {
                    cmark_node_type ty = t ? cmark_node_get_type(t) : CMARK_NODE_NONE;
                    if (ty == CMARK_NODE_SOFTBREAK || ty == CMARK_NODE_LINEBREAK) text_line = line_of(c, first) + 1;
                    else if (!t && cmark_node_next(first)) text_line = line_of(c, cmark_node_next(first));
                }
                do_note(c, n, nk, text_line);
                return;
            }
        }
    }
    walk_blocks(c, first);
}

static void do_item(ctx *c, cmark_node *item, int ordered, int list) {
    joined j = {0};
    int first_line = line_of(c, item);
    ensure_section(c);
    size_t idx = c->d->units.n;
    /* Reserve the unit first, so nested notes can name it as parent. */
    dr_inline empty = {"", NULL, NULL};
    dr_unit *u = add_unit(c, ordered ? DR_UNIT_STEP : DR_UNIT_BULLET, &empty, item);
    if (ordered) u->n = ++c->step_n;
    u->list = list;
    int saved_step = c->step;
    c->step = (int)idx;
    for (cmark_node *k = cmark_node_first_child(item); k; k = cmark_node_next(k)) {
        cmark_node_type t = cmark_node_get_type(k);
        if (t == CMARK_NODE_PARAGRAPH || t == CMARK_NODE_HEADING) {
            size_t links_before = c->d->links.n;
            dr_inline in;
            render_inline(c, k, &in);
            if (maybe_include(c, &in, k, links_before)) continue;
            join_add(c, &j, &in);
        } else if (t == CMARK_NODE_HTML_BLOCK) {
            dr_inline in;
            render_html_block(c, k, &in);
            join_add(c, &j, &in);
        } else if (t == CMARK_NODE_LIST) {
            /* Nested lists under a step or bullet are its details. */
            if (too_deep(c, k)) continue;
            c->depth++;
            int saved_n = c->step_n, nested = ++c->list;
            for (cmark_node *it = cmark_node_first_child(k); it; it = cmark_node_next(it))
                do_item(c, it, 0, nested);
            c->step_n = saved_n;
            c->depth--;
        } else if (t == CMARK_NODE_BLOCK_QUOTE) {
            if (too_deep(c, k)) continue;
            c->depth++;
            do_blockquote(c, k);
            c->depth--;
        } else if (t != CMARK_NODE_CODE_BLOCK && t != CMARK_NODE_THEMATIC_BREAK) {
            if (too_deep(c, k)) continue;
            c->depth++;
            walk_blocks(c, k);
            c->depth--;
        }
    }
    c->step = saved_step;
    dr_inline all;
    join_done(c, &j, &all);
    u = &c->d->units.v[idx];
    u->text = all.text;
    u->source_text = all.source;
    u->line = first_line;
}

static void do_list(ctx *c, cmark_node *n) {
    int ordered = cmark_node_get_list_type(n) == CMARK_ORDERED_LIST, list = ++c->list;
    for (cmark_node *it = cmark_node_first_child(n); it; it = cmark_node_next(it))
        do_item(c, it, ordered, list);
}

static void do_table(ctx *c, cmark_node *n) {
    size_t nrows = 0, ncols = 0;
    for (cmark_node *r = cmark_node_first_child(n); r; r = cmark_node_next(r)) {
        size_t k = 0;
        for (cmark_node *cell = cmark_node_first_child(r); cell; cell = cmark_node_next(cell)) k++;
        if (k > ncols) ncols = k;
        nrows++;
    }
    ensure_section(c);
    dr_table *t = DR_VEC_PUSH(c->d->arena, c->d->tables);
    t->line = line_of(c, n);
    t->col = col_of(c, n);
    t->section = c->section;
    t->nrows = nrows;
    t->ncols = ncols;
    t->cells = dr_arena_calloc(c->d->arena, (nrows * ncols) > 0 ? nrows * ncols : 1, sizeof *t->cells);
    size_t ri = 0;
    for (cmark_node *r = cmark_node_first_child(n); r; r = cmark_node_next(r), ri++) {
        size_t ci = 0;
        for (cmark_node *cell = cmark_node_first_child(r); cell; cell = cmark_node_next(cell), ci++) {
            dr_inline in;
            render_inline(c, cell, &in);
            t->cells[ri * ncols + ci] = in.text;
        }
        for (; ci < ncols; ci++) t->cells[ri * ncols + ci] = "";
    }
}

static void do_html_block(ctx *c, cmark_node *n) {
    if (!cmark_node_get_user_data(n)) return; /* a comment says nothing to a reader */
    ensure_section(c);
    dr_inline in;
    render_html_block(c, n, &in);
    if (in.text[0]) add_unit(c, DR_UNIT_PARAGRAPH, &in, n);
    else if (in.anchor) c->pending_anchor = in.anchor;
}

static void walk_blocks(ctx *c, cmark_node *first) {
    for (cmark_node *n = first; n; n = cmark_node_next(n)) {
        switch (cmark_node_get_type(n)) {
        case CMARK_NODE_HEADING: do_heading(c, n); break;
        case CMARK_NODE_PARAGRAPH: do_paragraph(c, n); break;
        case CMARK_NODE_LIST: do_list(c, n); break;
        case CMARK_NODE_BLOCK_QUOTE:
            if (too_deep(c, n)) break;
            c->depth++;
            do_blockquote(c, n);
            c->depth--;
            break;
        case CMARK_NODE_HTML_BLOCK: do_html_block(c, n); break;
        case CMARK_NODE_CODE_BLOCK:
            if (c->section >= 0) c->d->sections.v[c->section].code_blocks++;
            break;
        case CMARK_NODE_THEMATIC_BREAK: break;
        default:
            if (cmark_node_get_type(n) == c->p->type_table) do_table(c, n);
            else if (!too_deep(c, n)) {
                c->depth++;
                walk_blocks(c, cmark_node_first_child(n));
                c->depth--;
            }
        }
    }
}

/* cmark-gfm allocates a node and a buffer or two per element and frees them
 * one by one; a bump allocator that drops the whole tree at once makes
 * parsing markedly faster. cmark_mem passes no context, so the pool is
 * bound to the calling thread for the length of one parse only. The pool
 * carves blocks out of slabs of the parser's arena inline: cmark-gfm asks
 * for memory some 700 times per doc, and a call into the arena for each
 * cost more than the carving. */
typedef struct pool {
    char *cur, *end;
    dr_arena *arena;
} pool;

static _Thread_local pool *cmark_pool;

#define SLAB ((size_t)64 * 1024)

/* The one lock of the library, as wide as what it guards: cmark-gfm's
 * table of special characters is the process's, so the lock that keeps
 * two parses from clearing '~' under each other is too. */
static pthread_mutex_t tilde_lock = PTHREAD_MUTEX_INITIALIZER;

typedef struct blk {
    size_t size;
    max_align_t data[];
} blk;

static blk *pool_take_slow(size_t size) {
    pool *pl = cmark_pool;
    if (size > SIZE_MAX - sizeof(blk) - _Alignof(max_align_t)) abort();
    size_t want = (sizeof(blk) + size + _Alignof(max_align_t) - 1) &
                  ~(_Alignof(max_align_t) - 1);
    blk *b;
    if (want > SLAB / 4) {
        /* Big buffers straight from the arena, so a slab is not wasted. */
        b = dr_arena_alloc(pl->arena, want);
    } else {
        pl->cur = dr_arena_alloc(pl->arena, SLAB);
        pl->end = pl->cur + SLAB;
        b = (blk *)pl->cur;
        pl->cur += want;
    }
    b->size = size;
    return b;
}

/* A block of size bytes (after its header), aligned for anything. Inline:
 * cmark-gfm asks some 700 times per doc. */
static inline blk *pool_take(size_t size) {
    pool *pl = cmark_pool;
    if (size < SLAB / 4) {
        size_t want = (sizeof(blk) + size + _Alignof(max_align_t) - 1) &
                      ~(_Alignof(max_align_t) - 1);
        if ((size_t)(pl->end - pl->cur) >= want) {
            blk *b = (blk *)pl->cur;
            pl->cur += want;
            b->size = size;
            return b;
        }
    }
    return pool_take_slow(size);
}

static void *mem_calloc(size_t n, size_t size) {
    size_t total;
    if (__builtin_mul_overflow(n, size, &total)) abort();
    blk *b = pool_take(total);
    memset(b->data, 0, total);
    return b->data;
}

static void *mem_realloc(void *p, size_t size) {
    if (p) {
        blk *old = (blk *)((char *)p - offsetof(blk, data));
        if (size <= old->size) return p;
        blk *b = pool_take(size);
        memcpy(b->data, old->data, old->size);
        return b->data;
    }
    return pool_take(size)->data;
}

static void mem_free(void *p) { (void)p; }

/* cmark-gfm's table extension appends each cell of a row to a list it
 * walks to the end: a row's cost grows with the square of its cells, and
 * 20,000 columns of 22 rows took 20 s. A body with a line of more than
 * this many | is parsed without tables, and said so (table-too-wide). */
#define MAX_TABLE_PIPES 128

/* The first line (counted from the body's) of more than MAX_TABLE_PIPES
 * |, or 0. Most bodies have fewer | in all, and are not walked by line. */
static int too_wide_line(const char *s, size_t n) {
    size_t total = 0;
    for (const char *q = s, *end = s + n; (q = memchr(q, '|', (size_t)(end - q))); q++)
        if (++total > MAX_TABLE_PIPES) break;
    if (total <= MAX_TABLE_PIPES) return 0;
    int line = 1, pipes = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n') {
            line++;
            pipes = 0;
        } else if (s[i] == '|' && ++pipes > MAX_TABLE_PIPES) {
            return line;
        }
    }
    return 0;
}

void dr_md_parse(dr_parser *p, dr_doc *d) {
    cmark_mem mem = {mem_calloc, mem_realloc, mem_free};
    pool pl = {NULL, NULL, p->cmark_arena}, *saved = cmark_pool;
    cmark_pool = &pl;
    cmark_parser *cp = cmark_parser_new_with_mem(DR_CMARK_OPTIONS, &mem);
    int wide = d->body_off < d->len ? too_wide_line(d->src + d->body_off, d->len - d->body_off) : 0;
    if (wide)
        dr_doc_diag(d, d->body_line + wide - 1, 1, DR_SEV_WARNING, "table-too-wide",
                    "a line with more than %d |: the doc is read without tables", MAX_TABLE_PIPES);
    else
        cmark_parser_attach_syntax_extension(cp, p->ext_table);
    /* Strikethrough sets and clears '~' in cmark-gfm's table of the whole
     * process (parsers/parser.c, pin_autolink_chars): a doc without a "~~"
     * (DR_CMARK_OPTIONS: one '~' strikes nothing) has nothing for it to find and is parsed without it, so that it
     * neither touches that table nor waits; the inline passes of docs
     * with one go one at a time, on whatever thread. */
    int strike = d->body_off < d->len && memmem(d->src + d->body_off, d->len - d->body_off, "~~", 2);
    if (strike) cmark_parser_attach_syntax_extension(cp, p->ext_strike);
    cmark_parser_attach_syntax_extension(cp, p->ext_autolink);
    if (d->body_off < d->len) cmark_parser_feed(cp, d->src + d->body_off, d->len - d->body_off);
    if (strike) pthread_mutex_lock(&tilde_lock);
    cmark_node *root = cmark_parser_finish(cp);
    if (strike) pthread_mutex_unlock(&tilde_lock);
    ctx c = {.p = p, .d = d, .section = -1, .step = -1};
    queue_html(&c, root);
    walk_blocks(&c, cmark_node_first_child(root));
    /* Nothing to free one by one: the arena goes at once. */
    cmark_pool = saved;
    dr_arena_reset(p->cmark_arena);
}
