/* Inline and block HTML through libxml2's HTML parser: anchors, <a href>
 * links, <img>, and the bilingual segments of machine-translated docs:
 *
 *   <span data-ttu-id="X">target</span>
 *   <span class="sxs-lookup"><span data-stu-id="X">source</span></span>
 *
 * The target goes to text and the source to source_text; text outside any
 * segment belongs to both. */
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

typedef struct walk {
    dr_parser *p;
    dr_doc *d;
    sbuf text, source, tmp;
    int bilingual;
    const char *anchor;
    int line, end_line, col, section, step;
    DR_VEC(pend_seg) segs;
} walk;

static const char *attr(xmlNodePtr n, const char *name) {
    for (xmlAttrPtr a = n->properties; a; a = a->next)
        if (strcasecmp((const char *)a->name, name) == 0 && a->children &&
            a->children->type == XML_TEXT_NODE)
            return (const char *)a->children->content;
    return NULL;
}

static int has_class(xmlNodePtr n, const char *cls) {
    const char *c = attr(n, "class");
    if (!c) return 0;
    size_t k = strlen(cls);
    for (const char *p = c; (p = strstr(p, cls)); p += k)
        if ((p == c || p[-1] == ' ') && (p[k] == '\0' || p[k] == ' ')) return 1;
    return 0;
}

/* All text under n, as one string (for link text and segments). */
static void collect_text(xmlNodePtr n, sbuf *b) {
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE)
            sb_put(b, (const char *)c->content, strlen((const char *)c->content));
        else if (c->type == XML_ELEMENT_NODE) {
            if (strcasecmp((const char *)c->name, "br") == 0) sb_put(b, " ", 1);
            collect_text(c, b);
        }
    }
}

static void locate(walk *w, const char *needle, int *line, int *col) {
    if (!dr_doc_find(w->d, w->line, w->end_line, needle, line, col)) {
        *line = w->line;
        *col = w->col;
    }
}

static pend_seg *seg_for(walk *w, const char *id) {
    for (size_t i = 0; i < w->segs.n; i++)
        if (strcmp(w->segs.v[i].id, id) == 0) return &w->segs.v[i];
    pend_seg *s = DR_VEC_PUSH(w->d->arena, w->segs);
    s->id = dr_arena_strdup(w->d->arena, id);
    s->target = s->source = NULL;
    return s;
}

enum { IN_BOTH, IN_TARGET, IN_SOURCE };

static void walk_nodes(walk *w, xmlNodePtr n, int mode, int depth) {
    for (xmlNodePtr c = n; c; c = c->next) {
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
            const char *t = (const char *)c->content;
            size_t k = strlen(t);
            if (mode != IN_SOURCE) sb_put(&w->text, t, k);
            if (mode != IN_TARGET) sb_put(&w->source, t, k);
            continue;
        }
        if (c->type != XML_ELEMENT_NODE) continue;
        const char *name = (const char *)c->name;
        if (strcasecmp(name, "script") == 0 || strcasecmp(name, "style") == 0) continue;
        if (strcasecmp(name, "br") == 0) {
            if (mode != IN_SOURCE) sb_put(&w->text, " ", 1);
            if (mode != IN_TARGET) sb_put(&w->source, " ", 1);
            continue;
        }
        int line, col;
        if (strcasecmp(name, "a") == 0) {
            const char *nm = attr(c, "name"), *id = attr(c, "id"), *href = attr(c, "href");
            const char *an = nm ? nm : id;
            if (an && mode != IN_SOURCE) {
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
                w->tmp.n = 0;
                sb_put(&w->tmp, "", 0);
                collect_text(c, &w->tmp);
                locate(w, href, &line, &col);
                dr_link *l = DR_VEC_PUSH(w->d->arena, w->d->links);
                l->href = dr_arena_strdup(w->d->arena, href);
                l->text = dr_text_fold(w->d->arena, w->tmp.s, w->tmp.n);
                l->line = line;
                l->col = col;
                l->section = w->section;
                l->from_html = attr(c, "data-dr-md") == NULL;
            }
        } else if (strcasecmp(name, "img") == 0 && mode != IN_SOURCE) {
            const char *src = attr(c, "src"), *alt = attr(c, "alt");
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
        if (depth > 200) continue; /* libxml2 caps depth too; text below is noise */
        const char *ttu = attr(c, "data-ttu-id"), *stu = attr(c, "data-stu-id");
        if (ttu && mode != IN_SOURCE) {
            w->bilingual = 1;
            w->tmp.n = 0;
            sb_put(&w->tmp, "", 0);
            collect_text(c, &w->tmp);
            pend_seg *s = seg_for(w, ttu);
            s->target = dr_text_fold(w->d->arena, w->tmp.s, w->tmp.n);
            walk_nodes(w, c->children, IN_TARGET, depth + 1);
            continue;
        }
        if (stu) {
            w->bilingual = 1;
            w->tmp.n = 0;
            sb_put(&w->tmp, "", 0);
            collect_text(c, &w->tmp);
            pend_seg *s = seg_for(w, stu);
            s->source = dr_text_fold(w->d->arena, w->tmp.s, w->tmp.n);
            walk_nodes(w, c->children, IN_SOURCE, depth + 1);
            continue;
        }
        if (has_class(c, "sxs-lookup")) {
            w->bilingual = 1;
            walk_nodes(w, c->children, IN_SOURCE, depth + 1);
            continue;
        }
        walk_nodes(w, c->children, mode, depth + 1);
    }
}

static void finish(walk *w, dr_inline *out) {
    dr_doc *d = w->d;
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
    free(w->tmp.s);
}

static void run(dr_parser *p, dr_doc *d, const char *html, size_t n, int line, int end_line,
                int col, int section, int step, dr_inline *out) {
    walk w = {0};
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
    htmlDocPtr x = htmlCtxtReadMemory(p->html, wrapped, (int)(n + 11), NULL, "UTF-8",
                                      HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                          HTML_PARSE_NONET | HTML_PARSE_NOIMPLIED |
                                          HTML_PARSE_COMPACT);
    free(wrapped);
    if (x) {
        walk_nodes(&w, x->children, IN_BOTH, 0);
        xmlFreeDoc(x);
    }
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
