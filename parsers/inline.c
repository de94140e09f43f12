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

/* What one fragment said, kept raw until the walk of the Markdown tree
 * knows its section and step and commits it to the doc. */
typedef struct raw_link {
    const char *href, *text;
    int from_html;
} raw_link;
typedef struct raw_image {
    const char *src, *alt;
} raw_image;
typedef struct raw_seg {
    const char *id;
    const char *target, *source;
} raw_seg;

struct dr_frag {
    const char *html;        /* set for fragments parsed on their own */
    size_t n;
    int done, bilingual;
    const char *text, *source, *anchor;
    const char *words;       /* text with its struck-out words, or NULL: nothing struck */
    DR_VEC(raw_link) links;
    DR_VEC(raw_image) images;
    DR_VEC(const char *) anchors;
    DR_VEC(raw_seg) segs;
};

enum { IN_BOTH, IN_TARGET, IN_SOURCE, IN_NONE };
enum { K_OTHER, K_TTU, K_STU, K_LINK, K_FRAG };

typedef struct frame {
    int mode, kind;
    int struck;        /* inside <del>, <s> or <strike>: not said */
    size_t mark;       /* where this element's text starts in its buffer */
    size_t index;      /* K_TTU, K_STU: segment; K_LINK: link */
} frame;

#define MAX_DEPTH 256

typedef struct walk {
    dr_doc *d;
    dr_frag **frags;   /* in batch order */
    size_t nfrags, next;
    dr_frag *cur;      /* the fragment whose text is being read, or NULL */
    int solo;          /* one fragment, without <dr-f> wrappers */
    dr_buf text, source;
    /* The text with what is struck out too, once something is (a heading's
     * identifier is made of all its words): a copy of text until then. */
    dr_buf words;
    int words_on;
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

static size_t seg_for(walk *w, const char *id) {
    dr_frag *f = w->cur;
    for (size_t i = 0; i < f->segs.n; i++)
        if (strcmp(f->segs.v[i].id, id) == 0) return i;
    raw_seg *s = DR_VEC_PUSH(w->d->arena, f->segs);
    s->id = dr_arena_strdup(w->d->arena, id);
    s->target = s->source = NULL;
    return f->segs.n - 1;
}

static int cur_mode(walk *w) {
    if (!w->cur) return IN_NONE;
    int top = w->depth < MAX_DEPTH ? w->depth : MAX_DEPTH;
    return top ? w->stack[top - 1].mode : IN_BOTH;
}

/* Said text; with struck, text said only in the words (put_words). */
static void put_said(walk *w, int mode, const char *s, size_t n, int words) {
    if (mode == IN_BOTH || mode == IN_TARGET) {
        dr_buf_put(&w->text, s, n);
        if (words && w->words_on) dr_buf_put(&w->words, s, n);
    }
    if (mode == IN_BOTH || mode == IN_SOURCE) dr_buf_put(&w->source, s, n);
}

static void put_text(walk *w, int mode, const char *s, size_t n) { put_said(w, mode, s, n, 1); }

/* Struck-out text of the translation (or of a doc that is not bilingual):
 * not said, but one of the words a heading's identifier is made of. */
static void put_words(walk *w, int mode, const char *s, size_t n) {
    if (mode != IN_BOTH && mode != IN_TARGET) return;
    if (!w->words_on) {
        w->words.n = 0;
        dr_buf_put(&w->words, w->text.s, w->text.n);
        w->words_on = 1;
    }
    dr_buf_put(&w->words, s, n);
}

static walk *walk_of(void *ctx) { return ((xmlParserCtxtPtr)ctx)->_private; }

static void begin_frag(walk *w, dr_frag *f) {
    w->cur = f;
    w->text.n = w->source.n = 0;
    dr_buf_put(&w->text, "", 0);
    dr_buf_put(&w->source, "", 0);
    w->words_on = 0;
}

static void end_frag(walk *w) {
    dr_frag *f = w->cur;
    if (!f) return;
    dr_arena *a = w->d->arena;
    f->text = dr_text_fold(a, w->text.s, w->text.n);
    f->source = f->bilingual ? dr_text_fold(a, w->source.s, w->source.n) : NULL;
    f->words = w->words_on ? dr_text_fold(a, w->words.s, w->words.n) : NULL;
    w->words_on = 0;
    f->done = 1;
    w->cur = NULL;
}

/* Whether the text here is struck out: what a doc no longer says is not
 * read as said (parsers/markdown.c does the same for ~~text~~). */
static int cur_struck(walk *w) {
    int top = w->depth < MAX_DEPTH ? w->depth : MAX_DEPTH;
    return w->cur && top ? w->stack[top - 1].struck : 0;
}

static void on_chars(void *ctx, const xmlChar *ch, int len) {
    walk *w = walk_of(ctx);
    int mode = cur_mode(w);
    if (mode == IN_NONE) return;
    if (!cur_struck(w)) put_text(w, mode, (const char *)ch, (size_t)len);
    else put_words(w, mode, (const char *)ch, (size_t)len);
}

static void on_start(void *ctx, const xmlChar *xname, const xmlChar **atts) {
    walk *w = walk_of(ctx);
    const char *name = (const char *)xname;
    frame f = {cur_mode(w), K_OTHER, cur_struck(w), 0, 0};
    if (!w->solo && name[0] == 'd' && strcmp(name, "div") == 0 && attr(atts, "data-dr-f")) {
        /* A fragment libxml2 did not close is closed by the next one. */
        if (w->cur) end_frag(w);
        if (w->next < w->nfrags) begin_frag(w, w->frags[w->next++]);
        f.kind = K_FRAG;
        f.mode = w->cur ? IN_BOTH : IN_NONE;
        w->depth = 0;
    } else if (f.mode == IN_NONE) {
        /* inside script, style, or between fragments */
    } else if (strcasecmp(name, "script") == 0 || strcasecmp(name, "style") == 0) {
        f.mode = IN_NONE;
    } else if (strcasecmp(name, "br") == 0) {
        put_text(w, f.mode, " ", 1);
    } else if (strcasecmp(name, "del") == 0 || strcasecmp(name, "s") == 0 || strcasecmp(name, "strike") == 0) {
        /* A space where struck words were, in what is said only: "~~Old~~New"
         * is all one word ("OldNew") as the renderer makes an identifier. */
        if (!f.struck) put_words(w, f.mode, "", 0);
        put_said(w, f.mode, " ", 1, 0);
        f.struck = 1;
    } else if (strcasecmp(name, "a") == 0) {
        const char *nm = attr(atts, "name"), *id = attr(atts, "id"), *href = attr(atts, "href");
        const char *an = nm ? nm : id;
        if (an && *an && f.mode != IN_SOURCE) {
            *DR_VEC_PUSH(w->d->arena, w->cur->anchors) = dr_arena_strdup(w->d->arena, an);
            if (!w->cur->anchor) w->cur->anchor = w->cur->anchors.v[w->cur->anchors.n - 1];
        }
        if (href && f.mode != IN_SOURCE) {
            raw_link *l = DR_VEC_PUSH(w->d->arena, w->cur->links);
            l->href = dr_arena_strdup(w->d->arena, href);
            l->text = "";
            l->from_html = attr(atts, "data-dr-md") == NULL;
            f.kind = K_LINK;
            f.mark = w->text.n;
            f.index = w->cur->links.n - 1;
        }
    } else if (strcasecmp(name, "img") == 0 && f.mode != IN_SOURCE) {
        const char *src = attr(atts, "src"), *alt = attr(atts, "alt");
        if (src) {
            raw_image *im = DR_VEC_PUSH(w->d->arena, w->cur->images);
            im->src = dr_arena_strdup(w->d->arena, src);
            im->alt = dr_arena_strdup(w->d->arena, alt ? alt : "");
        }
    }
    if (f.mode != IN_NONE && f.kind == K_OTHER) {
        const char *ttu = attr(atts, "data-ttu-id"), *stu = attr(atts, "data-stu-id");
        if (ttu && f.mode != IN_SOURCE) {
            w->cur->bilingual = 1;
            f.kind = K_TTU;
            f.mode = IN_TARGET;
            f.mark = w->text.n;
            f.index = seg_for(w, ttu);
        } else if (stu) {
            w->cur->bilingual = 1;
            f.kind = K_STU;
            f.mode = IN_SOURCE;
            f.mark = w->source.n;
            f.index = seg_for(w, stu);
        } else if (has_class(atts, "sxs-lookup")) {
            w->cur->bilingual = 1;
            f.mode = IN_SOURCE;
        }
    }
    if (w->depth < MAX_DEPTH) w->stack[w->depth] = f;
    w->depth++;
}

static void close_element(walk *w) {
    if (w->depth == 0) return;
    w->depth--;
    if (w->depth >= MAX_DEPTH) return;
    frame *f = &w->stack[w->depth];
    dr_arena *a = w->d->arena;
    if (f->kind == K_FRAG) {
        end_frag(w);
    } else if (!w->cur) {
        return;
    } else if (f->kind == K_TTU) {
        w->cur->segs.v[f->index].target = dr_text_fold(a, w->text.s + f->mark, w->text.n - f->mark);
    } else if (f->kind == K_STU) {
        w->cur->segs.v[f->index].source =
            dr_text_fold(a, w->source.s + f->mark, w->source.n - f->mark);
    } else if (f->kind == K_LINK) {
        w->cur->links.v[f->index].text = dr_text_fold(a, w->text.s + f->mark, w->text.n - f->mark);
    }
}

static void on_end(void *ctx, const xmlChar *name) {
    (void)name;
    close_element(walk_of(ctx));
}

static void parse(dr_parser *p, walk *w, const char *html, size_t n) {
    if (n > (size_t)1 << 30) n = (size_t)1 << 30;
    htmlParserCtxtPtr ctxt = p->html;
    /* Only our callbacks: no tree is built, nothing to free afterwards. */
    xmlSAXHandler *sax = ctxt->sax;
    memset(sax, 0, sizeof *sax);
    sax->startElement = on_start;
    sax->endElement = on_end;
    sax->characters = on_chars;
    sax->cdataBlock = on_chars;
    ctxt->_private = w;
    w->depth = 0;
    /* The input starts with a UTF-8 byte order mark (BOM below): libxml2
     * 2.9 reads an HTML fragment that does not say its encoding as
     * Latin-1, and naming "UTF-8" instead would copy every byte through
     * its UTF-8 to UTF-8 converter. With the mark it reads the bytes in
     * place, and skips the mark. IGNORE_ENC keeps a <meta charset> in a
     * doc from switching it, as the named encoding did. */
    htmlDocPtr x = p->xml2->htmlCtxtReadMemory(ctxt, html, (int)n, NULL, NULL,
                                             HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                                 HTML_PARSE_NONET | HTML_PARSE_NOIMPLIED |
                                                 HTML_PARSE_IGNORE_ENC);
    if (x) p->xml2->xmlFreeDoc(x);
    /* Elements libxml2 left open at the end: closed through the walk, not
     * the context, which the recycling below may free. */
    while (w->depth > 0) close_element(w);
    end_frag(w);
    dr_parser_recycle_html(p);
}

/* Whether the name at t (n bytes on) starts with word, in any case; word
 * is lowercase ASCII. */
static int starts_ci(const char *t, size_t n, const char *word) {
    size_t i = 0;
    for (; word[i]; i++) {
        if (i >= n) return 0;
        unsigned c = (unsigned char)t[i];
        if (c >= 'A' && c <= 'Z') c += 'a' - 'A';
        if (c != (unsigned char)word[i]) return 0;
    }
    return 1;
}

/* Fragments that could swallow the ones after them (an unclosed comment, a
 * raw-text element, a document-level tag) are parsed alone. A fragment of
 * a bilingual doc holds a tag every few words, so each '<' is looked at
 * only for the names that start with its first letter. */
static int needs_solo(const char *s, size_t n) {
    static const char *const risky[] = {"!", "?", "script", "style", "textarea", "title",
                                        "xmp", "iframe", "noembed", "noframes", "noscript",
                                        "plaintext", "html", "body", "head", "frameset"};
    const char *end = s + n;
    for (const char *q = s; (q = memchr(q, '<', (size_t)(end - q))); q++) {
        const char *t = q + 1;
        if (t < end && *t == '/') t++;
        if (t >= end) continue;
        unsigned c0 = (unsigned char)*t;
        if (c0 >= 'A' && c0 <= 'Z') c0 += 'a' - 'A';
        for (size_t i = 0; i < sizeof risky / sizeof *risky; i++)
            if ((unsigned char)risky[i][0] == c0 && starts_ci(t, (size_t)(end - t), risky[i]))
                return 1;
    }
    return dr_find(s, n, "data-dr-f", 9) != NULL;
}

/* What every input to libxml2 starts with: see parse. */
#define BOM "\xEF\xBB\xBF"

dr_frag *dr_html_add(dr_parser *p, dr_doc *d, const char *html, size_t n) {
    dr_frag *f = dr_arena_calloc(d->arena, 1, sizeof *f);
    if (needs_solo(html, n)) {
        /* Wrapped: inside an element libxml2 keeps the white space between
         * spans that it drops at the top of a fragment. */
        char *w = dr_arena_alloc(d->arena, n + 15);
        memcpy(w, BOM "<div>", 8);
        memcpy(w + 8, html, n);
        memcpy(w + 8 + n, "</div>", 7);
        f->html = w;
        f->n = n + 14;
    } else {
        if (!p->batch.n) dr_buf_put(&p->batch, BOM "<div>", 8);
        /* A known element, so libxml2 raises no error per fragment. A stray
         * </div> in the fragment may close it early; the next fragment's
         * start tag closes whatever is left open. */
        dr_buf_put(&p->batch, "<div data-dr-f>", 15);
        dr_buf_put(&p->batch, html, n);
        dr_buf_put(&p->batch, "</div>", 6);
    }
    *DR_VEC_PUSH(d->arena, p->frags) = f;
    return f;
}

void dr_html_run(dr_parser *p, dr_doc *d) {
    walk w;
    memset(&w, 0, offsetof(walk, stack));
    w.d = d;
    /* Batched fragments first, in one parse. */
    dr_frag **batched = dr_arena_alloc(d->arena, (p->frags.n + 1) * sizeof *batched);
    size_t nb = 0;
    for (size_t i = 0; i < p->frags.n; i++)
        if (!p->frags.v[i]->html) batched[nb++] = p->frags.v[i];
    if (nb) {
        dr_buf_put(&p->batch, "</div>", 6);
        w.frags = batched;
        w.nfrags = nb;
        parse(p, &w, p->batch.s, p->batch.n);
    }
    w.solo = 1;
    for (size_t i = 0; i < p->frags.n; i++) {
        dr_frag *f = p->frags.v[i];
        if (!f->html) continue;
        begin_frag(&w, f);
        parse(p, &w, f->html, f->n);
    }
    free(w.text.s);
    free(w.source.s);
    free(w.words.s);
    p->batch.n = 0;
    p->frags.n = 0;
    p->frags.cap = 0;
    p->frags.v = NULL;
}

/* Where a string first occurs on the block's lines, for records libxml2
 * cannot place. */
static void locate(dr_doc *d, int line, int end_line, int col, const char *needle, int *oline,
                   int *ocol) {
    if (!dr_doc_find(d, line, end_line, needle, oline, ocol)) {
        *oline = line;
        *ocol = col;
    }
}

void dr_html_commit(dr_doc *d, const dr_frag *f, int line, int end_line, int col, int section,
                    int step, dr_inline *out) {
    dr_arena *a = d->arena;
    char needle[512];
    int l, c;
    for (size_t i = 0; i < f->anchors.n; i++) {
        snprintf(needle, sizeof needle, "\"%s\"", f->anchors.v[i]);
        locate(d, line, end_line, col, needle, &l, &c);
        dr_anchor *an = DR_VEC_PUSH(a, d->anchors);
        an->name = f->anchors.v[i];
        an->line = l;
        an->col = c;
    }
    for (size_t i = 0; i < f->links.n; i++) {
        const raw_link *r = &f->links.v[i];
        locate(d, line, end_line, col, r->href, &l, &c);
        dr_link *k = DR_VEC_PUSH(a, d->links);
        k->href = r->href;
        k->text = r->text;
        k->from_html = r->from_html;
        k->line = l;
        k->col = c;
        k->section = section;
    }
    for (size_t i = 0; i < f->images.n; i++) {
        const raw_image *r = &f->images.v[i];
        locate(d, line, end_line, col, r->src, &l, &c);
        dr_image *im = DR_VEC_PUSH(a, d->images);
        im->src = r->src;
        im->alt = r->alt;
        im->line = l;
        im->col = c;
        im->section = section;
        im->step = step;
    }
    for (size_t i = 0; i < f->segs.n; i++) {
        const raw_seg *s = &f->segs.v[i];
        snprintf(needle, sizeof needle, "data-%s-id=\"%s\"", s->target ? "ttu" : "stu", s->id);
        locate(d, line, end_line, col, needle, &l, &c);
        if (!s->source)
            dr_doc_diag(d, l, c, DR_SEV_ERROR, "bilingual-unpaired",
                        "segment %s has a translation but no sxs-lookup source", s->id);
        else if (!s->target)
            dr_doc_diag(d, l, c, DR_SEV_ERROR, "bilingual-unpaired",
                        "segment %s has an sxs-lookup source but no translation", s->id);
        dr_segment *g = DR_VEC_PUSH(a, d->segments);
        g->id = s->id;
        g->target = s->target;
        g->source = s->source;
        g->line = l;
        g->col = c;
    }
    out->text = f->text ? f->text : "";
    out->source = f->source;
    out->anchor = f->anchor;
}

const char *dr_html_words(const dr_frag *f) { return f->words; }
