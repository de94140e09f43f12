/* dr_doc_parse: bytes in, model out. Each stage adds to the doc; none can
 * fail on content, only record a diagnostic. */
#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/alloc.h"
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

void dr_parsers_init(void) {
    xmlInitParser();
    cmark_gfm_core_extensions_ensure_registered();
}

dr_parser *dr_parser_new(const dr_parse_opts *opts) {
    dr_parser *p = dr_xcalloc(1, sizeof *p);
    if (!p) return NULL;
    p->opts.max_bytes = opts && opts->max_bytes ? opts->max_bytes : DR_DEFAULT_MAX_BYTES;
    /* Registration is idempotent and guarded inside cmark-gfm. */
    cmark_gfm_core_extensions_ensure_registered();
    p->ext_table = cmark_find_syntax_extension("table");
    p->ext_strike = cmark_find_syntax_extension("strikethrough");
    p->ext_autolink = cmark_find_syntax_extension("autolink");
    if (p->ext_table) {
        /* Learn the table node types once, so the walk compares integers. */
        cmark_parser *cp = cmark_parser_new(CMARK_OPT_DEFAULT);
        cmark_parser_attach_syntax_extension(cp, p->ext_table);
        static const char probe[] = "| a |\n|---|\n| b |\n";
        cmark_parser_feed(cp, probe, sizeof probe - 1);
        cmark_node *root = cmark_parser_finish(cp);
        cmark_node *table = cmark_node_first_child(root);
        cmark_node *row = table ? cmark_node_first_child(table) : NULL;
        cmark_node *cell = row ? cmark_node_first_child(row) : NULL;
        p->type_table = table ? cmark_node_get_type(table) : CMARK_NODE_NONE;
        p->type_cell = cell ? cmark_node_get_type(cell) : CMARK_NODE_NONE;
        cmark_node_free(root);
        cmark_parser_free(cp);
    }
    p->cmark_arena = dr_arena_new(1024 * 1024);
    p->html = htmlNewParserCtxt();
    p->xml = xmlNewParserCtxt();
    if (!p->ext_table || !p->ext_strike || !p->ext_autolink || !p->html || !p->xml) {
        dr_parser_free(p);
        return NULL;
    }
    return p;
}

#define DICT_BOUND 4096

void dr_parser_recycle_html(dr_parser *p) {
    if (p->html && p->html->dict && xmlDictSize(p->html->dict) > DICT_BOUND) {
        htmlFreeParserCtxt(p->html);
        p->html = htmlNewParserCtxt();
        if (!p->html) dr_oom();
    }
}

void dr_parser_recycle_xml(dr_parser *p) {
    if (p->xml && p->xml->dict && xmlDictSize(p->xml->dict) > DICT_BOUND) {
        xmlFreeParserCtxt(p->xml);
        p->xml = xmlNewParserCtxt();
        if (!p->xml) dr_oom();
    }
}

void dr_parser_free(dr_parser *p) {
    if (!p) return;
    if (p->html) htmlFreeParserCtxt(p->html);
    if (p->xml) xmlFreeParserCtxt(p->xml);
    dr_arena_free(p->cmark_arena);
    free(p->buf.s);
    free(p->batch.s);
    free(p->readbuf);
    free(p);
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

int dr_doc_parse(dr_parser *p, const char *path, const char *bytes, size_t len, dr_doc **out,
                 dr_error *err) {
    (void)err;
    dr_arena *a = dr_arena_new(len < 16384 ? 32768 : len * 3);
    dr_doc *d = dr_arena_calloc(a, 1, sizeof *d);
    d->arena = a;
    d->path = dr_arena_strdup(a, path ? path : "");
    d->bytes = len;
    *out = d;
    if (len > p->opts.max_bytes) {
        d->src = "";
        d->len = 0;
        dr_doc_index_lines(d);
        d->body_line = 1;
        dr_doc_diag(d, 1, 1, DR_SEV_ERROR, "file-too-large",
                    "file is %zu bytes, over the %zu-byte limit; not parsed", len,
                    p->opts.max_bytes);
        return DR_OK;
    }
    dr_utf8_scan scan;
    dr_utf8_scan_bytes(bytes, len, &scan);
    if (scan.invalid || scan.nuls) {
        /* Diagnose on the original bytes, then parse a clean copy: every
         * library downstream wants valid UTF-8 without NULs. */
        d->src = bytes;
        d->len = len;
        dr_doc_index_lines(d);
        int line, col;
        if (scan.nuls) {
            dr_doc_pos(d, scan.first_nul, &line, &col);
            dr_doc_diag(d, line, col, DR_SEV_ERROR, "nul-byte",
                        "%zu NUL byte%s (first here); replaced with U+FFFD", scan.nuls,
                        scan.nuls == 1 ? "" : "s");
        }
        if (scan.invalid) {
            dr_doc_pos(d, scan.first_invalid, &line, &col);
            dr_doc_diag(d, line, col, DR_SEV_ERROR, "utf8-invalid",
                        "%zu invalid UTF-8 sequence%s (first here); replaced with U+FFFD",
                        scan.invalid, scan.invalid == 1 ? "" : "s");
        }
        d->src = dr_utf8_sanitize(a, bytes, len, &d->len);
    } else {
        /* A copy, so the model (and validation over its lines) outlives the
         * caller's buffer. */
        d->src = dr_arena_strndup(a, bytes, len);
        d->len = len;
    }
    dr_doc_index_lines(d);
    dr_fm_parse(p, d);
    dr_md_parse(p, d);
    dr_doc_normalize(d);
    return DR_OK;
}

int dr_doc_load(dr_parser *p, const char *path, dr_doc **out, dr_error *err) {
    return dr_doc_load_as(p, path, path, out, err);
}

int dr_doc_load_as(dr_parser *p, const char *path, const char *name, dr_doc **out, dr_error *err) {
    *out = NULL;
    /* O_NONBLOCK: opening a FIFO would otherwise wait for a writer; fstat
     * then turns it away. Reads of regular files ignore the flag. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) return dr_error_set(err, DR_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return dr_error_set(err, DR_EIO, path, 0, 0, "not a regular file");
    }
    size_t size = (size_t)st.st_size;
    if (size > p->opts.max_bytes) {
        /* Do not read what we will not parse. */
        close(fd);
        char dummy = 0;
        int rc = dr_doc_parse(p, name, &dummy, 0, out, err);
        (*out)->bytes = size;
        dr_doc_diag(*out, 1, 1, DR_SEV_ERROR, "file-too-large",
                    "file is %zu bytes, over the %zu-byte limit; not parsed", size,
                    p->opts.max_bytes);
        return rc;
    }
    if (size + 1 > p->readcap) {
        char *nb = dr_xrealloc(p->readbuf, size + 1);
        if (!nb) {
            close(fd);
            return dr_error_set(err, DR_EIO, path, 0, 0, "out of memory reading %zu bytes", size);
        }
        p->readbuf = nb;
        p->readcap = size + 1;
    }
    size_t got = 0;
    while (got < size) {
        ssize_t k = read(fd, p->readbuf + got, size - got);
        if (k < 0 && errno == EINTR) continue;
        if (k < 0) {
            int e = errno;
            close(fd);
            return dr_error_set(err, DR_EIO, path, 0, 0, "read error: %s", strerror(e));
        }
        if (k == 0) break; /* the file shrank while we read it */
        got += (size_t)k;
    }
    close(fd);
    return dr_doc_parse(p, name, p->readbuf, got, out, err);
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
