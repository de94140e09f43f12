#define _GNU_SOURCE /* getline */
/* docrules batch < accounts.ndjson: one decision line out for every line
 * in, in order, whatever the line holds. With -j N, N workers (each its own
 * engine and Lua state) take chunks of lines; chunks are written back in
 * the order they were read. */
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/alloc.h"
#include "cli.h"
#include "query.h"

#define CHUNK_LINES 512

typedef struct chunk {
    char *buf;           /* the lines, each NUL-terminated */
    size_t len, cap;
    size_t *off, *lens;  /* per line */
    size_t n;
    long first_line;     /* number of the first line, 1-based */
    docrules_buf out;    /* results, one line each */
} chunk;

/* Appends to the chunk's results, growing them as docrules_decide does
 * (docrules_buf: the caller may grow it with realloc). */
static void put(chunk *c, const char *s, size_t n) {
    if (c->out.size + n + 1 > c->out.asize) {
        size_t cap = c->out.asize ? c->out.asize * 2 : 65536;
        while (cap < c->out.size + n + 1) cap *= 2;
        c->out.ptr = dr_xrealloc(c->out.ptr, cap);
        c->out.asize = cap;
    }
    memcpy(c->out.ptr + c->out.size, s, n);
    c->out.size += n;
    c->out.ptr[c->out.size] = '\0';
}

static void error_line(chunk *c, long line, int col, const char *msg) {
    json_t *o = json_object();
    json_object_set_new(o, "line", json_integer(line));
    if (col > 0) json_object_set_new(o, "col", json_integer(col));
    json_t *m = json_string(msg);
    json_object_set_new(o, "error", m ? m : json_string("(message is not UTF-8)"));
    char *s = json_dumps(o, JSON_COMPACT);
    put(c, s, strlen(s));
    put(c, "\n", 1);
    free(s);
    json_decref(o);
}

static void run_chunk(docrules_engine *e, const docrules_query *q, chunk *c) {
    c->out.size = 0;
    for (size_t i = 0; i < c->n; i++) {
        const char *line = c->buf + c->off[i];
        size_t len = c->lens[i];
        long no = c->first_line + (long)i;
        size_t k = 0;
        while (k < len && (line[k] == ' ' || line[k] == '\t')) k++;
        if (k == len) {
            error_line(c, no, 0, "empty line: no account");
            continue;
        }
        docrules_error err;
        size_t mark = c->out.size;
        if (docrules_decide(&c->out, e, line, len, q, &err) < 0) {
            /* Whatever a failed decision began to write is dropped. */
            c->out.size = mark;
            if (c->out.ptr) c->out.ptr[mark] = '\0';
            error_line(c, no, err.col, err.message);
            continue;
        }
        put(c, "\n", 1);
    }
}

/* Reads up to CHUNK_LINES lines; returns 0 at end of input. */
static int fill(chunk *c, FILE *in, long *lineno, char **lbuf, size_t *lcap) {
    c->n = 0;
    c->len = 0;
    c->first_line = *lineno + 1;
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
    return c->n > 0;
}

typedef struct worker {
    pthread_t th;
    docrules_engine *e;
    const docrules_query *q;
    chunk c;
    int has_work, done, quit;
    pthread_mutex_t mu;
    pthread_cond_t cv;
} worker;

static void *work(void *arg) {
    worker *w = arg;
    pthread_mutex_lock(&w->mu);
    for (;;) {
        while (!w->has_work && !w->quit) pthread_cond_wait(&w->cv, &w->mu);
        if (w->quit) break;
        pthread_mutex_unlock(&w->mu);
        run_chunk(w->e, w->q, &w->c);
        pthread_mutex_lock(&w->mu);
        w->has_work = 0;
        w->done = 1;
        pthread_cond_broadcast(&w->cv);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

static void start(worker *w) {
    pthread_mutex_lock(&w->mu);
    w->done = 0;
    w->has_work = 1;
    pthread_cond_broadcast(&w->cv);
    pthread_mutex_unlock(&w->mu);
}

static void free_chunk(chunk *c) {
    free(c->buf);
    free(c->off);
    free(c->lens);
    docrules_buf_dispose(&c->out);
}

int dr_cmd_batch(int argc, char **argv) {
    dr_qopts o = {0};
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
    static char outbuf[1 << 16];
    setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
    char *lbuf = NULL;
    size_t lcap = 0;
    long lineno = 0;
    int jobs = o.jobs;
    if (jobs <= 1) {
        chunk c = {0};
        while (fill(&c, stdin, &lineno, &lbuf, &lcap)) {
            run_chunk(root, &q, &c);
            fwrite(c.out.ptr, 1, c.out.size, stdout);
        }
        free_chunk(&c);
    } else {
        worker *ws = dr_xcalloc((size_t)jobs, sizeof *ws);
        for (int k = 0; k < jobs; k++) {
            docrules_error err;
            if (k == 0) ws[k].e = root;
            else if (docrules_engine_new(&ws[k].e, rs, NULL, &err) < 0) {
                dr_cli_api_error(&err);
                return DR_EXIT_USAGE;
            }
            ws[k].q = &q;
            pthread_mutex_init(&ws[k].mu, NULL);
            pthread_cond_init(&ws[k].cv, NULL);
            pthread_create(&ws[k].th, NULL, work, &ws[k]);
        }
        /* Round robin: worker k's chunk is written as soon as it is done,
         * and k gets the next one at once, so the others keep working
         * while the main thread writes and reads. Chunks are taken back in
         * the order they were given, which is the input's order. */
        int busy = 0, w = 0, more = 1;
        for (; busy < jobs && (more = fill(&ws[busy].c, stdin, &lineno, &lbuf, &lcap)); busy++)
            start(&ws[busy]);
        while (busy) {
            pthread_mutex_lock(&ws[w].mu);
            while (!ws[w].done) pthread_cond_wait(&ws[w].cv, &ws[w].mu);
            pthread_mutex_unlock(&ws[w].mu);
            fwrite(ws[w].c.out.ptr, 1, ws[w].c.out.size, stdout);
            if (more && (more = fill(&ws[w].c, stdin, &lineno, &lbuf, &lcap))) start(&ws[w]);
            else busy--;
            w = (w + 1) % jobs;
        }
        for (int k = 0; k < jobs; k++) {
            pthread_mutex_lock(&ws[k].mu);
            ws[k].quit = 1;
            pthread_cond_broadcast(&ws[k].cv);
            pthread_mutex_unlock(&ws[k].mu);
            pthread_join(ws[k].th, NULL);
            pthread_mutex_destroy(&ws[k].mu);
            pthread_cond_destroy(&ws[k].cv);
            free_chunk(&ws[k].c);
            if (k) docrules_engine_free(ws[k].e);
        }
        free(ws);
    }
    free(lbuf);
    fflush(stdout);
    docrules_engine_free(root);
    docrules_ruleset_free(rs);
    return ferror(stdout) ? DR_EXIT_USAGE : DR_EXIT_OK;
}
