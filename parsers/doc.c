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

