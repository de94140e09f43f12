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

#include "../common/alloc.h"
#include "../common/readfile.h"
#include "internal.h"

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
    size_t got;
    switch (dr_read_file(path, p->opts.max_bytes, &p->readbuf, &p->readcap, &got)) {
    case DR_READ_OK:
        return dr_doc_parse(p, name, p->readbuf, got, out, err);
    case DR_READ_TOO_LARGE: {
        /* Not read: what we will not parse. An empty doc carries the finding. */
        char dummy = 0;
        int rc = dr_doc_parse(p, name, &dummy, 0, out, err);
        (*out)->bytes = got;
        dr_doc_diag(*out, 1, 1, DR_SEV_ERROR, "file-too-large",
                    "file is %zu bytes, over the %zu-byte limit; not parsed", got, p->opts.max_bytes);
        return rc;
    }
    case DR_READ_NOT_REGULAR:
        return dr_error_set(err, DR_EIO, path, 0, 0, "not a regular file");
    case DR_READ_CANNOT_OPEN:
        return dr_error_set(err, DR_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
    default:
        return dr_error_set(err, DR_EIO, path, 0, 0, "read error: %s", strerror(errno));
    }
}

