#define _GNU_SOURCE /* getline */
/* docrules batch < accounts.ndjson: one decision line out for every line
 * in, in order, whatever the line holds. With -j N, N workers (each its own
 * engine and Lua state) take chunks of lines; chunks are written back in
 * the order they were read (tools/jobs.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/alloc.h"
#include "../common/batchline.h"
#include "cli.h"
#include "jobs.h"
#include "query.h"

#define CHUNK_LINES 512

/* Each on lines of its own (common/alloc.h): the main thread fills one
 * slot while a worker writes the results of the next. */
typedef struct chunk {
    _Alignas(DR_CACHE_LINE) char *buf; /* the lines, each NUL-terminated */
    size_t len, cap;
    size_t *off, *lens;  /* per line */
    size_t n;
    long first_line;     /* number of the first line, 1-based */
    docrules_buf out;    /* results, one line each */
} chunk;

static void run_chunk(docrules_engine *e, const docrules_query *q, chunk *c) {
    c->out.size = 0;
    for (size_t i = 0; i < c->n; i++) {
        const char *line = c->buf + c->off[i];
        size_t len = c->lens[i];
        long no = c->first_line + (long)i;
        if (dr_batch_line_empty(line, len)) {
            dr_error_json(&c->out, no, 0, DR_BATCH_EMPTY_LINE);
            continue;
        }
        docrules_error err;
        size_t mark = c->out.size;
        if (docrules_decide(&c->out, e, line, len, q, &err) < 0) {
            /* Whatever a failed decision began to write is dropped. */
            c->out.size = mark;
            if (c->out.ptr) c->out.ptr[mark] = '\0';
            dr_error_json(&c->out, no, err.col, err.message);
            continue;
        }
        docrules_buf_put(&c->out, "\n", 1);
    }
}

/* Reads up to CHUNK_LINES lines; returns 0 at end of input. A read that
 * fails (not the end) sets *failed to its errno, and nothing is read
 * after it. */
static int fill(chunk *c, FILE *in, long *lineno, char **lbuf, size_t *lcap, int *failed) {
    c->n = 0;
    c->len = 0;
    c->first_line = *lineno + 1;
    if (*failed) return 0;
    if (!c->off) {
        c->off = dr_xmalloc(CHUNK_LINES * sizeof *c->off);
        c->lens = dr_xmalloc(CHUNK_LINES * sizeof *c->lens);
    }
    ssize_t got;
    while (c->n < CHUNK_LINES && (got = getline(lbuf, lcap, in)) >= 0) {
        size_t n = (size_t)got;
        if (n && (*lbuf)[n - 1] == '\n') n--;
        if (n && (*lbuf)[n - 1] == '\r') n--;
        if (c->len + n + 1 > c->cap) {
            size_t cap = c->cap ? c->cap * 2 : 65536;
            while (cap < c->len + n + 1) cap *= 2;
            char *nb = dr_xrealloc(c->buf, cap);
            c->buf = nb;
            c->cap = cap;
        }
        memcpy(c->buf + c->len, *lbuf, n);
        c->buf[c->len + n] = '\0';
        c->off[c->n] = c->len;
        c->lens[c->n] = n;
        c->len += n + 1;
        c->n++;
        (*lineno)++;
    }
    if (c->n < CHUNK_LINES && ferror(in)) *failed = errno ? errno : EIO;
    return c->n > 0;
}

/* What the three steps of tools/jobs.h share: the workers' engines, the
 * slots' chunks, and the reading position in stdin. */
typedef struct batch {
    docrules_engine **engines; /* one per worker, each made on its thread */
    const docrules_ruleset *rs;
    const docrules_query *q;
    chunk *chunks;             /* one per slot */
    long lineno;
    char *lbuf;
    size_t lcap;
    int read_errno; /* stdin failed (not its end): the lines past it are lost */
} batch;

static int fill_slot(void *ctx, int slot) {
    batch *b = ctx;
    errno = 0;
    return fill(&b->chunks[slot], stdin, &b->lineno, &b->lbuf, &b->lcap, &b->read_errno);
}

static void run_slot(void *ctx, int worker, int slot) {
    batch *b = ctx;
    run_chunk(b->engines[worker], b->q, &b->chunks[slot]);
}

/* Worker k's engine, made on its own thread (tools/jobs.h). The root
 * engine decided the query's first check, so a fork of it fails only for
 * want of memory: the worker then says so and leaves its part to the
 * others, and every account is still decided, in order. */
static int start_worker(void *ctx, int worker) {
    batch *b = ctx;
    docrules_error err;
    if (docrules_engine_new(&b->engines[worker], b->rs, NULL, &err) == 0) return 1;
    dr_cli_error("worker %d of -j: %s; the other workers decide its accounts", worker + 1, err.message);
    return 0;
}

static void stop_worker(void *ctx, int worker) {
    batch *b = ctx;
    docrules_engine_free(b->engines[worker]);
    b->engines[worker] = NULL;
}

static void write_slot(void *ctx, int slot) {
    batch *b = ctx;
    fwrite(b->chunks[slot].out.ptr, 1, b->chunks[slot].out.size, stdout);
}

static void free_chunk(chunk *c) {
    free(c->buf);
    free(c->off);
    free(c->lens);
    docrules_buf_dispose(&c->out);
}

int dr_cmd_batch(int argc, char **argv) {
    dr_qopts o = {.takes = DR_QOPTS_DECIDES};
    for (int i = 1; i < argc; i++) {
        int t = dr_qopts_take("batch", &o, argc, argv, &i);
        if (t < 0) return DR_EXIT_USAGE;
        if (!t) return dr_cli_usage("batch", "unknown argument '%s' (accounts come on standard input)", argv[i]);
    }
    if (dr_qopts_finish("batch", &o)) return DR_EXIT_USAGE;
    docrules_ruleset *rs = dr_qopts_open(&o);
    docrules_engine *root = rs ? dr_qopts_engine("batch", &o, rs) : NULL;
    if (!root) {
        docrules_ruleset_free(rs);
        return DR_EXIT_USAGE;
    }
    docrules_query q = dr_qopts_query(&o);
    /* 64 KiB at a time each way. stdio read a file on stdin 4 KiB at a
     * time: 6,719 reads for 100,000 realistic accounts (27 MB), now 418,
     * on the thread that feeds the workers (farm-bench: 0.98x the wall of
     * batch -j 2 and -j 1, within this VM's noise; never slower). */
    static char inbuf[1 << 16], outbuf[1 << 16];
    setvbuf(stdin, inbuf, _IOFBF, sizeof inbuf);
    setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
    int jobs = o.jobs;
    /* Engine 0, the calling thread's, is the one that checked the query;
     * each other worker makes its own on its thread (start_worker), since
     * a rule set may be shared by threads (include/docrules.h, Threads). */
    docrules_engine **engines = dr_xcalloc_lines((size_t)jobs * sizeof *engines);
    engines[0] = root;
    int rc = DR_EXIT_OK;
    int nslots = dr_jobs_slots(jobs);
    batch b = {engines, rs, &q, dr_xcalloc_lines((size_t)nslots * sizeof(chunk)), 0, NULL, 0, 0};
    {
        dr_jobs j = {jobs, &b, fill_slot, run_slot, write_slot, start_worker, stop_worker};
        dr_jobs_run(&j);
        /* The decisions of the lines read are out; that the rest were never
         * read must not pass for the end of the input. */
        if (b.read_errno) {
            if (b.lineno)
                dr_cli_error("standard input: %s after line %ld", strerror(b.read_errno), b.lineno);
            else
                dr_cli_error("standard input: %s", strerror(b.read_errno));
            rc = DR_EXIT_USAGE;
        }
    }
    for (int s = 0; s < nslots; s++) free_chunk(&b.chunks[s]);
    free(b.chunks);
    free(b.lbuf);
    free(engines);
    docrules_engine_free(root);
    docrules_ruleset_free(rs);
    return rc; /* tools/docrules.c says so if stdout failed */
}
