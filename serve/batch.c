/* POST /v1/batch: NDJSON in, one line out for every line in, in order, as
 * `docrules batch` writes them (each decision with its decision_id and
 * time). The body is never held whole: libmicrohttpd hands it over in
 * pieces, the complete lines of each piece are decided at once, and the
 * answer is spooled to an unlinked temporary file that is sent with
 * MHD_create_response_from_fd64 once the body has ended (HTTP/1.1 answers
 * after the request, so the answer must wait somewhere: on disk, not in
 * memory). Memory is one line at most: a line longer than --max-body is
 * answered with an error line and its bytes are dropped as they come. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "../common/batchline.h"

/* Spooled output is written in pieces of this size. */
#define FLUSH_AT (256 * 1024)

struct dr_batch {
    dr_server *s;
    dr_gen *g;               /* every line is decided on the revision the request began on */
    double t0;               /* the request's start */
    docrules_query q;        /* its strings are the connection's, alive until the request ends */
    int fd;                  /* the spool, or -1 once handed to the response */
    uint64_t size;           /* bytes spooled */
    docrules_buf line;       /* a line whose end has not come yet */
    int overlong;            /* that line passed --max-body: its bytes are dropped */
    long lineno;             /* lines ended so far */
    docrules_buf out;        /* answered lines not yet spooled */
    docrules_buf dec;        /* one decision, before its stamp */
    char failed[300];        /* why the answer cannot be given (the spool failed) */
    unsigned failed_status;  /* and the status that says it: 500 ours, 503 the log's or no engine */
};

/* An unlinked file: nothing to clean up after a crash. */
static int spool_open(void) {
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir) dir = "/tmp";
    int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != ENOENT)) return fd;
    /* A file system without O_TMPFILE: make one and unlink it at once. */
    char path[4200];
    snprintf(path, sizeof path, "%s/docrules-batch-XXXXXX", dir);
    fd = mkostemp(path, O_CLOEXEC);
    if (fd >= 0) unlink(path);
    return fd;
}

static void spool_flush(struct dr_batch *b) {
    size_t done = 0;
    while (!b->failed[0] && done < b->out.size) {
        ssize_t k = write(b->fd, b->out.ptr + done, b->out.size - done);
        if (k < 0 && errno == EINTR) continue;
        if (k < 0) {
            snprintf(b->failed, sizeof b->failed, "the answer could not be spooled: %s", strerror(errno));
            b->failed_status = MHD_HTTP_INTERNAL_SERVER_ERROR;
        }
        else done += (size_t)k;
    }
    b->size += done;
    b->out.size = 0;
}

/* One line ended: its answer, and its log entry. */
static void decide_line(struct dr_batch *b, docrules_engine *e, const char *line, size_t len) {
    long no = ++b->lineno;
    size_t mark = b->out.size;
    char id[33], when[48];
    int have_id = dr_stamp_id(id) == DR_OK;
    dr_record_in rec = {id, dr_stamp_now_ms(), b->g->revision, line, len, NULL, 0, b->t0, NULL, NULL, NULL, NULL};
    if (len && line[len - 1] == '\r') len--;
    docrules_error err;
    b->dec.size = 0;
    if (b->overlong) {
        char msg[128];
        snprintf(msg, sizeof msg, "the line is longer than --max-body (%zu bytes)", b->s->max_body);
        dr_error_json(&b->out, no, 0, msg);
    } else if (dr_batch_line_empty(line, len)) {
        dr_error_json(&b->out, no, 0, DR_BATCH_EMPTY_LINE);
    } else if (docrules_decide(&b->dec, e, line, len, &b->q, &err) < 0) {
        dr_error_json(&b->out, no, err.col, err.message);
    } else if (!have_id) {
        dr_error_json(&b->out, no, 0, "no randomness for a decision_id (getrandom failed)");
    } else {
        dr_record_take(&rec, e);
        dr_stamp_rfc3339(rec.time_ms, when);
        dr_stamp_put(&b->out, b->dec.ptr, b->dec.size, id, when);
        docrules_buf_put(&b->out, "\n", 1);
    }
    if (have_id) {
        rec.output = b->out.ptr + mark;
        rec.output_len = b->out.size - mark - 1;
        char decision[32];
        dr_error lerr;
        if (dr_record(b->s, &rec, decision, sizeof decision, &lerr) != DR_OK && !b->failed[0]) {
            snprintf(b->failed, sizeof b->failed, "%.200s (--log-required)", lerr.message);
            b->failed_status = MHD_HTTP_SERVICE_UNAVAILABLE;
        }
    }
    dr_record_release(&rec);
}

/* Appends to the pending line, unless it is past the limit. */
static void keep(struct dr_batch *b, const char *p, size_t n) {
    if (b->overlong) return;
    if (b->line.size + n > b->s->max_body) {
        b->overlong = 1;
        docrules_buf_dispose(&b->line);
        return;
    }
    docrules_buf_put(&b->line, p, n);
}

int dr_batch_begin(dr_server *s, struct MHD_Connection *c, dr_req *r, enum MHD_Result *ret) {
    struct dr_batch *b = calloc(1, sizeof *b);
    if (!b) {
        *ret = MHD_NO;
        return 1;
    }
    b->s = s;
    b->t0 = r->t0;
    b->fd = -1;
    b->g = dr_server_gen(s);
    r->batch = b;
    /* The query is the same for every line: checked once, before the body. */
    docrules_engine *e = dr_gen_take(b->g, s->timeout);
    if (!e) {
        *ret = dr_http_error(c, r, MHD_HTTP_SERVICE_UNAVAILABLE, "no engine was free within the time limit (--timeout %u)",
                             s->timeout);
        return 1;
    }
    int bad = dr_http_query(c, r, e, &s->o->query, &b->q, ret);
    dr_gen_give(b->g, e);
    if (bad) return 1;
    b->fd = spool_open();
    if (b->fd < 0) {
        *ret = dr_http_error(c, r, MHD_HTTP_INTERNAL_SERVER_ERROR, "no temporary file for the answer: %s", strerror(errno));
        return 1;
    }
    return 0;
}

void dr_batch_feed(dr_req *r, const char *data, size_t len) {
    struct dr_batch *b = r->batch;
    if (b->failed[0]) return;
    const char *nl = memchr(data, '\n', len);
    if (!nl) {
        keep(b, data, len);
        return;
    }
    /* Engines are lent for a piece, not for the whole stream: a slow
     * client holds none while its bytes are on the way. */
    docrules_engine *e = dr_gen_take(b->g, b->s->timeout);
    if (!e) {
        snprintf(b->failed, sizeof b->failed, "no engine was free within the time limit (--timeout %u)", b->s->timeout);
        b->failed_status = MHD_HTTP_SERVICE_UNAVAILABLE;
        return;
    }
    const char *p = data, *end = data + len;
    while (nl) {
        if (b->line.size || b->overlong) {
            keep(b, p, (size_t)(nl - p));
            decide_line(b, e, b->line.ptr ? b->line.ptr : "", b->line.size);
            b->line.size = 0;
            b->overlong = 0;
        } else if ((size_t)(nl - p) > b->s->max_body) {
            b->overlong = 1;
            decide_line(b, e, p, (size_t)(nl - p));
            b->overlong = 0;
        } else {
            decide_line(b, e, p, (size_t)(nl - p));
        }
        p = nl + 1;
        nl = memchr(p, '\n', (size_t)(end - p));
        if (b->out.size >= FLUSH_AT) spool_flush(b);
    }
    dr_gen_give(b->g, e);
    keep(b, p, (size_t)(end - p));
}

enum MHD_Result dr_batch_answer(struct MHD_Connection *c, dr_req *r) {
    struct dr_batch *b = r->batch;
    if (!b->failed[0] && (b->line.size || b->overlong)) {
        /* The last line, without its newline. */
        docrules_engine *e = dr_gen_take(b->g, b->s->timeout);
        if (!e) {
            snprintf(b->failed, sizeof b->failed, "no engine was free within the time limit (--timeout %u)", b->s->timeout);
            b->failed_status = MHD_HTTP_SERVICE_UNAVAILABLE;
        } else {
            decide_line(b, e, b->line.ptr ? b->line.ptr : "", b->line.size);
            dr_gen_give(b->g, e);
        }
    }
    spool_flush(b);
    /* Nothing was answered yet: a batch whose lines could not all be
     * logged (--log-required) or decided is refused whole. */
    if (b->failed[0])
        return dr_http_error(c, r, b->failed_status,
                             "%s", b->failed);
    struct MHD_Response *resp;
    if (b->size == 0) {
        /* No line in, none out. */
        resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    } else {
        resp = MHD_create_response_from_fd64(b->size, b->fd);
        if (resp) b->fd = -1; /* the response's now: it closes it */
    }
    return dr_http_send(c, r, MHD_HTTP_OK, resp, "application/x-ndjson");
}

void dr_batch_free(struct dr_batch *b) {
    if (!b) return;
    if (b->fd >= 0) close(b->fd);
    dr_gen_unref(b->g);
    docrules_buf_dispose(&b->line);
    docrules_buf_dispose(&b->out);
    docrules_buf_dispose(&b->dec);
    free(b);
}
