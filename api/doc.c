/* Parsers and docs (include/docrules.h) over parsers/: what docrules
 * extract reads and prints. */
#define DOCRULES_BUILDING
#include "../include/docrules.h"

#include <jansson.h>
#include <stdlib.h>

#include "../common/buf.h"
#include "../common/libxml.h"
#include "../parsers/doc.h"
#include "../parsers/doc_json.h"
#include "internal.h"

struct docrules_parser {
    dr_parser *p;
};

struct docrules_doc {
    dr_doc *d;
};

int docrules_parser_new(docrules_parser **out, const docrules_parser_options *opts, docrules_error *err) {
    dr_api_clear(err);
    if (!out) return dr_api_usage(err, "docrules_parser_new: out is NULL");
    *out = NULL;
    if (opts && (opts->version < 1 || opts->version > DOCRULES_PARSER_OPTIONS_VERSION))
        return dr_api_usage(err, "docrules_parser_new: options of an unknown version "
                                 "(use DOCRULES_PARSER_OPTIONS_INIT)");
    docrules_parser *x = calloc(1, sizeof *x);
    if (!x) return dr_api_no_memory(err);
    dr_parse_opts po = {opts ? opts->max_bytes : 0};
    x->p = dr_parser_new(&po);
    if (!x->p) {
        free(x);
        dr_error e;
        dr_libxml_fail(&e);
        return dr_api_fail(err, &e);
    }
    *out = x;
    return DOCRULES_OK;
}

void docrules_parser_free(docrules_parser *p) {
    if (!p) return;
    dr_parser_free(p->p);
    free(p);
}

int docrules_doc_load(docrules_doc **out, docrules_parser *p, const char *path, docrules_error *err) {
    dr_api_clear(err);
    if (!out) return dr_api_usage(err, "docrules_doc_load: out is NULL");
    *out = NULL;
    if (!p || !path) return dr_api_usage(err, "docrules_doc_load: the parser and the path are required");
    docrules_doc *x = calloc(1, sizeof *x);
    if (!x) return dr_api_no_memory(err);
    dr_error e;
    dr_error_clear(&e);
    if (dr_doc_load(p->p, path, &x->d, &e) != DR_OK) {
        free(x);
        return dr_api_fail(err, &e);
    }
    *out = x;
    return DOCRULES_OK;
}

void docrules_doc_free(docrules_doc *d) {
    if (!d) return;
    dr_doc_free(d->d);
    free(d);
}

static int append(const char *s, size_t n, void *b) {
    dr_buf_put(b, s, n);
    return 0;
}

int docrules_doc_to_json(docrules_buf *out, const docrules_doc *d, int indent, docrules_error *err) {
    dr_api_clear(err);
    if (!out || !d) return dr_api_usage(err, "docrules_doc_to_json: out and the doc are required");
    /* What jansson's JSON_INDENT can say. */
    if (indent < 0 || indent > 31) return dr_api_usage(err, "docrules_doc_to_json: indent is 0 to 31, not %d", indent);
    json_t *j = dr_doc_to_json(d->d);
    if (!j) return dr_api_no_memory(err);
    /* The caller's bytes, appended to in place. */
    dr_buf b = {out->ptr, out->size, out->asize};
    size_t before = b.n;
    int rc = json_dump_callback(j, append, &b, indent ? JSON_INDENT(indent) : JSON_COMPACT);
    json_decref(j);
    /* A failed dump leaves nothing of itself in out. */
    if (rc != 0) b.n = before;
    dr_buf_put(&b, "", 0);
    out->ptr = b.s;
    out->size = b.n;
    out->asize = b.cap;
    return rc == 0 ? DOCRULES_OK : dr_api_no_memory(err);
}

size_t docrules_doc_bytes(const docrules_doc *d) { return d ? dr_doc_bytes(d->d) : 0; }

size_t docrules_doc_diag_count(const docrules_doc *d) {
    size_t n = 0;
    if (d) dr_doc_diags(d->d, &n);
    return n;
}

const char *docrules_doc_diag_code(const docrules_doc *d, size_t i) {
    size_t n = 0;
    const dr_diag *g = d ? dr_doc_diags(d->d, &n) : NULL;
    return i < n ? g[i].code : NULL;
}

int docrules_doc_has_errors(const docrules_doc *d) { return d && dr_doc_has_errors(d->d); }
