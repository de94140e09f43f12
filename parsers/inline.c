/* Inline and block HTML through libxml2's HTML parser (SAX, no tree):
 * anchors, <a href> links, <img>, and the bilingual segments of
 * machine-translated docs:
 *
 *   <span data-ttu-id="X">target</span>
 *   <span class="sxs-lookup"><span data-stu-id="X">source</span></span>
 *
 * The target goes to text and the source to source_text; text outside any
 * segment belongs to both. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

typedef struct sbuf {
    char *s;
    size_t n, cap;
} sbuf;

static void sb_put(sbuf *b, const char *s, size_t n) {
    if (b->n + n + 1 > b->cap) {
        size_t c = b->cap ? b->cap * 2 : 256;
        while (c < b->n + n + 1) c *= 2;
        char *ns = realloc(b->s, c);
        if (!ns) abort();
        b->s = ns;
        b->cap = c;
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
}

typedef struct pend_seg {
    const char *id;
    const char *target, *source;
} pend_seg;

enum { IN_BOTH, IN_TARGET, IN_SOURCE, IN_NONE };
enum { K_OTHER, K_TTU, K_STU, K_LINK };

typedef struct frame {
    int mode, kind;
    size_t mark;       /* where this element's text starts in its buffer */
    size_t seg;        /* K_TTU, K_STU: index into segs */
    dr_link *link;     /* K_LINK */
} frame;

#define MAX_DEPTH 256

typedef struct walk {
    dr_parser *p;
    dr_doc *d;
    sbuf text, source;
    int bilingual;
    const char *anchor;
    int line, end_line, col, section, step;
    DR_VEC(pend_seg) segs;
    frame stack[MAX_DEPTH];
    int depth;         /* may exceed MAX_DEPTH: frames past it are not kept */
} walk;

static const char *attr(const xmlChar **atts, const char *name) {
    for (; atts && atts[0]; atts += 2)
        if (strcasecmp((const char *)atts[0], name) == 0) return atts[1] ? (const char *)atts[1] : "";
    return NULL;
}

static int has_class(const xmlChar **atts, const char *cls) {
    const char *c = attr(atts, "class");
    if (!c) return 0;
    size_t k = strlen(cls);
    for (const char *p = c; (p = strstr(p, cls)); p += k)
        if ((p == c || p[-1] == ' ') && (p[k] == '\0' || p[k] == ' ')) return 1;
    return 0;
}

static void locate(walk *w, const char *needle, int *line, int *col) {
    if (!dr_doc_find(w->d, w->line, w->end_line, needle, line, col)) {
        *line = w->line;
        *col = w->col;
    }
}

static size_t seg_for(walk *w, const char *id) {
    for (size_t i = 0; i < w->segs.n; i++)
        if (strcmp(w->segs.v[i].id, id) == 0) return i;
    pend_seg *s = DR_VEC_PUSH(w->d->arena, w->segs);
    s->id = dr_arena_strdup(w->d->arena, id);
    s->target = s->source = NULL;
    return w->segs.n - 1;
}

static int cur_mode(walk *w) {
    int top = w->depth < MAX_DEPTH ? w->depth : MAX_DEPTH;
    return top ? w->stack[top - 1].mode : IN_BOTH;
}

static void put_text(walk *w, int mode, const char *s, size_t n) {
    if (mode == IN_BOTH || mode == IN_TARGET) sb_put(&w->text, s, n);
    if (mode == IN_BOTH || mode == IN_SOURCE) sb_put(&w->source, s, n);
}

static walk *walk_of(void *ctx) { return ((xmlParserCtxtPtr)ctx)->_private; }

static void on_chars(void *ctx, const xmlChar *ch, int len) {
    walk *w = walk_of(ctx);
    int mode = cur_mode(w);
    if (mode != IN_NONE) put_text(w, mode, (const char *)ch, (size_t)len);
}

static void on_start(void *ctx, const xmlChar *xname, const xmlChar **atts) {
    walk *w = walk_of(ctx);
    const char *name = (const char *)xname;
    int mode = cur_mode(w);
    frame f = {mode, K_OTHER, 0, 0, NULL};
    int line, col;
    if (strcasecmp(name, "script") == 0 || strcasecmp(name, "style") == 0) {
        f.mode = IN_NONE;
    } else if (strcasecmp(name, "br") == 0) {
        if (mode != IN_NONE) put_text(w, mode, " ", 1);
    } else if (strcasecmp(name, "a") == 0 && mode != IN_NONE) {
        const char *nm = attr(atts, "name"), *id = attr(atts, "id"), *href = attr(atts, "href");
        const char *an = nm ? nm : id;
        if (an && *an && mode != IN_SOURCE) {
            char needle[300];
            snprintf(needle, sizeof needle, "\"%s\"", an);
            locate(w, needle, &line, &col);
            dr_anchor *a = DR_VEC_PUSH(w->d->arena, w->d->anchors);
            a->name = dr_arena_strdup(w->d->arena, an);
            a->line = line;
            a->col = col;
            if (!w->anchor) w->anchor = a->name;
        }
        if (href && mode != IN_SOURCE) {
            locate(w, href, &line, &col);
            dr_link *l = DR_VEC_PUSH(w->d->arena, w->d->links);
            l->href = dr_arena_strdup(w->d->arena, href);
            l->text = "";
            l->line = line;
            l->col = col;
            l->section = w->section;
            l->from_html = attr(atts, "data-dr-md") == NULL;
            f.kind = K_LINK;
            f.mark = w->text.n;
            /* The vector may move while the link is open; keep its index. */
            f.seg = w->d->links.n - 1;
        }
    } else if (strcasecmp(name, "img") == 0 && mode != IN_SOURCE && mode != IN_NONE) {
        const char *src = attr(atts, "src"), *alt = attr(atts, "alt");
        if (src) {
            locate(w, src, &line, &col);
            dr_image *im = DR_VEC_PUSH(w->d->arena, w->d->images);
            im->src = dr_arena_strdup(w->d->arena, src);
            im->alt = dr_arena_strdup(w->d->arena, alt ? alt : "");
            im->line = line;
            im->col = col;
            im->section = w->section;
            im->step = w->step;
        }
    }
    if (mode != IN_NONE && f.kind == K_OTHER) {
        const char *ttu = attr(atts, "data-ttu-id"), *stu = attr(atts, "data-stu-id");
        if (ttu && mode != IN_SOURCE) {
            w->bilingual = 1;
            f.kind = K_TTU;
            f.mode = IN_TARGET;
            f.mark = w->text.n;
            f.seg = seg_for(w, ttu);
        } else if (stu) {
            w->bilingual = 1;
            f.kind = K_STU;
            f.mode = IN_SOURCE;
            f.mark = w->source.n;
            f.seg = seg_for(w, stu);
        } else if (has_class(atts, "sxs-lookup")) {
            w->bilingual = 1;
            f.mode = IN_SOURCE;
        }
    }
    if (w->depth < MAX_DEPTH) w->stack[w->depth] = f;
    w->depth++;
}

static void on_end(void *ctx, const xmlChar *name) {
    (void)name;
    walk *w = walk_of(ctx);
    if (w->depth == 0) return;
    w->depth--;
    if (w->depth >= MAX_DEPTH) return;
    frame *f = &w->stack[w->depth];
    dr_arena *a = w->d->arena;
    if (f->kind == K_TTU) {
        w->segs.v[f->seg].target = dr_text_fold(a, w->text.s + f->mark, w->text.n - f->mark);
    } else if (f->kind == K_STU) {
        w->segs.v[f->seg].source = dr_text_fold(a, w->source.s + f->mark, w->source.n - f->mark);
    } else if (f->kind == K_LINK) {
        w->d->links.v[f->seg].text = dr_text_fold(a, w->text.s + f->mark, w->text.n - f->mark);
    }
}

static void finish(walk *w, dr_inline *out) {
    dr_doc *d = w->d;
    /* Elements libxml2 left open at the end of the fragment. */
    while (w->depth > 0) on_end(w->p->html, NULL);
    out->text = dr_text_fold(d->arena, w->text.s ? w->text.s : "", w->text.n);
    out->source = w->bilingual ? dr_text_fold(d->arena, w->source.s ? w->source.s : "", w->source.n)
                               : NULL;
    out->anchor = w->anchor;
    for (size_t i = 0; i < w->segs.n; i++) {
        pend_seg *s = &w->segs.v[i];
        char needle[300];
        int line, col;
        snprintf(needle, sizeof needle, "data-%s-id=\"%s\"", s->target ? "ttu" : "stu", s->id);
        locate(w, needle, &line, &col);
        if (!s->source)
            dr_doc_diag(d, line, col, DR_SEV_ERROR, "bilingual-unpaired",
                        "segment %s has a translation but no sxs-lookup source", s->id);
        else if (!s->target)
            dr_doc_diag(d, line, col, DR_SEV_ERROR, "bilingual-unpaired",
                        "segment %s has an sxs-lookup source but no translation", s->id);
        dr_segment *g = DR_VEC_PUSH(d->arena, d->segments);
        g->id = s->id;
        g->target = s->target;
        g->source = s->source;
        g->line = line;
        g->col = col;
    }
    free(w->text.s);
    free(w->source.s);
}

static void run(dr_parser *p, dr_doc *d, const char *html, size_t n, int line, int end_line,
                int col, int section, int step, dr_inline *out) {
    walk w;
    memset(&w, 0, offsetof(walk, stack));
    w.depth = 0;
    w.p = p;
    w.d = d;
    w.line = line;
    w.end_line = end_line;
    w.col = col;
    w.section = section;
    w.step = step;
    memset(out, 0, sizeof *out);
    if (n > (size_t)1 << 30) n = (size_t)1 << 30;
    /* Inside an element libxml2 keeps white space between spans, which at
     * the top of a fragment it would drop ("cancel. Trial" -> "cancel.Trial"). */
    char *wrapped = malloc(n + 12);
    if (!wrapped) abort();
    memcpy(wrapped, "<div>", 5);
    memcpy(wrapped + 5, html, n);
    memcpy(wrapped + 5 + n, "</div>", 6);
    htmlParserCtxtPtr ctxt = p->html;
    /* Only our callbacks: no tree is built, nothing to free afterwards. */
    xmlSAXHandler *sax = ctxt->sax;
    memset(sax, 0, sizeof *sax);
    sax->startElement = on_start;
    sax->endElement = on_end;
    sax->characters = on_chars;
    sax->cdataBlock = on_chars;
    ctxt->_private = &w;
    htmlDocPtr x = htmlCtxtReadMemory(ctxt, wrapped, (int)(n + 11), NULL, "UTF-8",
                                      HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                          HTML_PARSE_NONET | HTML_PARSE_NOIMPLIED);
    if (x) xmlFreeDoc(x);
    free(wrapped);
    finish(&w, out);
}

void dr_inline_html(dr_parser *p, dr_doc *d, const char *frag, size_t n, int line, int end_line,
                    int col, int section, int step, dr_inline *out) {
    run(p, d, frag, n, line, end_line, col, section, step, out);
}

void dr_html_block(dr_parser *p, dr_doc *d, const char *html, size_t n, int line, int end_line,
                   int col, int section, dr_inline *out) {
    run(p, d, html, n, line, end_line, col, section, -1, out);
}
