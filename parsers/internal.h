/* Shared by the files of parsers/ only: the layout of a document under
 * construction and the helpers each stage uses to add to it. */
#ifndef DR_PARSERS_INTERNAL_H
#define DR_PARSERS_INTERNAL_H

#include <cmark-gfm.h>
#include "../common/libxml.h"

#include "../common/arena.h"
#include "../common/buf.h"
#include "doc.h"

typedef struct dr_anchor {
    const char *name;
    int line, col;
} dr_anchor;

struct dr_doc {
    dr_arena *arena;
    const char *path;
    size_t bytes;            /* size of the file as read */
    const char *src;         /* sanitized copy: valid UTF-8, no NUL */
    size_t len;
    size_t *line_start;      /* byte offset of each line, 0-based index */
    size_t nlines;

    dr_fm_style fm_style;
    const dr_fm_value *fm;
    size_t body_off;         /* where the Markdown body starts */
    int body_line;           /* its 1-based line */

    const char *title, *locale, *locale_from, *date, *date_from, *asset;

    DR_VEC(dr_section) sections;
    DR_VEC(dr_unit) units;
    DR_VEC(dr_link) links;
    DR_VEC(dr_image) images;
    DR_VEC(dr_include) includes;
    DR_VEC(dr_table) tables;
    DR_VEC(dr_segment) segments;
    DR_VEC(dr_anchor) anchors;
    DR_VEC(dr_diag) diags;
    int nerrors;
};

/* The options every doc is parsed with. Only "~~" strikes text out, as
 * in the docs' own renderer (Markdig, where one '~' is a subscript): with
 * one '~' enough, "steps 1~3 and 5~6" was struck out from the first '~' to
 * the second and read "13 and 56". */
#define DR_CMARK_OPTIONS (CMARK_OPT_DEFAULT | CMARK_OPT_STRIKETHROUGH_DOUBLE_TILDE)

typedef struct dr_frag dr_frag;

struct dr_parser {
    dr_parse_opts opts;
    cmark_syntax_extension *ext_table, *ext_strike, *ext_autolink;
    /* The table and strikethrough extensions register their node types at
     * run time. */
    cmark_node_type type_table, type_cell, type_strike;
    const dr_libxml *xml2;   /* libxml2's functions (common/libxml.h) */
    htmlParserCtxtPtr html;  /* reused for every inline fragment */
    xmlParserCtxtPtr xml;    /* reused for every legacy header */
    dr_arena *cmark_arena;   /* cmark-gfm's tree, dropped after each doc */
    dr_buf buf;              /* scratch for serializing inline content */
    dr_buf batch;            /* queued HTML fragments */
    char *readbuf;           /* file bytes, reused from file to file */
    size_t readcap;
    DR_VEC(dr_frag *) frags;                   /* their results, in order */
};

void dr_doc_diag(dr_doc *d, int line, int col, dr_severity sev, const char *code,
                 const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* text.c */
/* Number of invalid UTF-8 sequences and NUL bytes in s, with the offset of
 * the first of each (SIZE_MAX when none). */
typedef struct dr_utf8_scan {
    size_t invalid, nuls, first_invalid, first_nul;
} dr_utf8_scan;
void dr_utf8_scan_bytes(const char *s, size_t n, dr_utf8_scan *out);
/* Copy of s with each invalid sequence and NUL replaced by U+FFFD. */
char *dr_utf8_sanitize(dr_arena *a, const char *s, size_t n, size_t *outlen);
void dr_doc_index_lines(dr_doc *d);
/* 1-based line and character column of a byte offset into d->src. */
void dr_doc_pos(const dr_doc *d, size_t off, int *line, int *col);
/* dr_doc_pos of off, counting on from a place known at from (its line and
 * column) when off is later on the same line: places found in order cost
 * each line's characters once, not once a place. */
void dr_doc_pos_from(const dr_doc *d, size_t from, int from_line, int from_col, size_t off, int *line, int *col);
/* Position of the first occurrence of needle on lines from..to (1-based,
 * inclusive); returns 0, leaving *line and *col alone, when absent. Used to
 * place what libxml2 and cmark inlines cannot. */
int dr_doc_find(const dr_doc *d, int from, int to, const char *needle, int *line, int *col);
/* memmem's answer, found faster in the short haystacks the parsers search. */
const char *dr_find(const char *hay, size_t n, const char *needle, size_t k);
/* Plain text: runs of white space (ASCII and U+00A0, U+3000) become one
 * space, leading and trailing ones go. */
char *dr_text_fold(dr_arena *a, const char *s, size_t n);
/* Heading slug as docs sites make it: lowercase, spaces to '-', ASCII
 * punctuation dropped, other letters kept. */
char *dr_text_slug(dr_arena *a, const char *title);

/* frontmatter.c: sets fm_style, fm, body_off, body_line. */
void dr_fm_parse(dr_parser *p, dr_doc *d);

/* inline.c: HTML through libxml2. Every fragment of a doc is queued
 * (dr_html_add), all are parsed in one go (dr_html_run), and each one's
 * result is added to the doc where the Markdown walk meets it
 * (dr_html_commit), with the section and step known by then. */
typedef struct dr_inline {
    const char *text;
    const char *source;      /* NULL unless bilingual */
    const char *anchor;      /* first <a name|id> seen, or NULL */
} dr_inline;
dr_frag *dr_html_add(dr_parser *p, dr_doc *d, const char *html, size_t n);
void dr_html_run(dr_parser *p, dr_doc *d);
void dr_html_commit(dr_doc *d, const dr_frag *f, int line, int end_line, int col, int section,
                    int step, dr_inline *out);
/* A fragment's text with its struck-out words too (not the sxs-lookup
 * source's), or NULL when it strikes nothing out: a heading's identifier. */
const char *dr_html_words(const dr_frag *f);

/* doc.c: a reused libxml2 context interns every name it meets; past a
 * bound it is replaced, so hostile names cannot grow memory forever. */
void dr_parser_recycle_html(dr_parser *p);
void dr_parser_recycle_xml(dr_parser *p);

/* markdown.c */
void dr_md_parse(dr_parser *p, dr_doc *d);

/* normalize.c */
void dr_doc_normalize(dr_doc *d);
/* "02/03/2017", "2/21/2018", "2017-02-03" (optionally with a time) to ISO;
 * DR_OK, or DR_EPARSE when s is not a real calendar date. */
int dr_date_parse(const char *s, int *y, int *m, int *dd);

#endif
