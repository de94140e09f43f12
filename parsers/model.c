/* The document model's reading side, and the one way its stages record a
 * diagnostic: what every stage (front matter, Markdown, inline HTML,
 * normalization) writes into and every reader reads. Nothing here parses. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

const char *dr_severity_name(dr_severity s) {
    return s == DR_SEV_ERROR ? "error" : s == DR_SEV_WARNING ? "warning" : "note";
}

const char *dr_unit_kind_name(dr_unit_kind k) {
    switch (k) {
    case DR_UNIT_PARAGRAPH: return "paragraph";
    case DR_UNIT_BULLET: return "bullet";
    case DR_UNIT_STEP: return "step";
    case DR_UNIT_NOTE: return "note";
    }
    return "?";
}

void dr_doc_diag(dr_doc *d, int line, int col, dr_severity sev, const char *code,
                 const char *fmt, ...) {
    /* A hostile doc can have millions of bad spans; the first thousand say
     * all a writer needs, and the cap keeps memory bounded. */
    if (d->diags.n >= 1000) {
        if (sev == DR_SEV_ERROR) d->nerrors++;
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    char msg[1024];
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    dr_diag *g = DR_VEC_PUSH(d->arena, d->diags);
    g->line = line > 0 ? line : 1;
    g->col = col > 0 ? col : 1;
    g->severity = sev;
    g->code = code;
    g->message = dr_arena_strdup(d->arena, msg);
    if (sev == DR_SEV_ERROR) d->nerrors++;
}

void dr_doc_free(dr_doc *d) {
    if (d) dr_arena_free(d->arena);
}

const char *dr_doc_path(const dr_doc *d) { return d->path; }
const char *dr_doc_source(const dr_doc *d, size_t *len) {
    *len = d->len;
    return d->src;
}
const char *dr_doc_line(const dr_doc *d, int line, size_t *len) {
    if (line < 1 || (size_t)line > d->nlines) {
        *len = 0;
        return "";
    }
    size_t a = d->line_start[line - 1];
    size_t b = (size_t)line < d->nlines ? d->line_start[line] : d->len;
    while (b > a && (d->src[b - 1] == '\n' || d->src[b - 1] == '\r')) b--;
    *len = b - a;
    return d->src + a;
}
size_t dr_doc_line_count(const dr_doc *d) { return d->nlines; }
size_t dr_doc_memory(const dr_doc *d) { return dr_arena_used(d->arena); }
size_t dr_doc_bytes(const dr_doc *d) { return d->bytes; }
dr_fm_style dr_doc_front_matter_style(const dr_doc *d) { return d->fm_style; }
const dr_fm_value *dr_doc_front_matter(const dr_doc *d) { return d->fm; }

static const dr_fm_value *fm_get(const dr_doc *d, const char *key) {
    if (!d->fm) return NULL;
    for (size_t i = 0; i < d->fm->n; i++)
        if (strcmp(d->fm->keys[i], key) == 0) return d->fm->items[i];
    return NULL;
}

const char *dr_doc_meta(const dr_doc *d, const char *key) {
    const dr_fm_value *v = fm_get(d, key);
    return v && v->type == DR_FM_STRING ? v->str : NULL;
}

int dr_doc_meta_line(const dr_doc *d, const char *key) {
    const dr_fm_value *v = fm_get(d, key);
    return v ? v->line : 1;
}

const char *dr_doc_title(const dr_doc *d) { return d->title; }
const char *dr_doc_locale(const dr_doc *d) { return d->locale; }
const char *dr_doc_locale_from(const dr_doc *d) { return d->locale_from; }
const char *dr_doc_date(const dr_doc *d) { return d->date; }
const char *dr_doc_date_from(const dr_doc *d) { return d->date_from; }
const char *dr_doc_asset(const dr_doc *d) { return d->asset; }

#define ACCESSOR(name, type, field)                       \
    const type *dr_doc_##name(const dr_doc *d, size_t *n) { \
        *n = d->field.n;                                  \
        return d->field.v;                                \
    }
ACCESSOR(sections, dr_section, sections)
ACCESSOR(units, dr_unit, units)
ACCESSOR(links, dr_link, links)
ACCESSOR(images, dr_image, images)
ACCESSOR(includes, dr_include, includes)
ACCESSOR(tables, dr_table, tables)
ACCESSOR(segments, dr_segment, segments)
ACCESSOR(diags, dr_diag, diags)

int dr_doc_has_errors(const dr_doc *d) { return d->nerrors > 0; }
size_t dr_doc_anchor_count(const dr_doc *d) { return d->anchors.n; }
const char *dr_doc_anchor_name(const dr_doc *d, size_t i) { return d->anchors.v[i].name; }
