/* docrules extract FILE...        the document model as JSON
 * docrules extract --stats PATH...  throughput and diagnostics over a tree
 *
 * With -j N, N workers (each its own parser) take chunks of files and the
 * chunks are written back in the files' order (tools/jobs.h): the output,
 * the errors and the counts are those of -j 1, byte for byte. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/alloc.h"
#include "../include/docrules.h"
#include "cli.h"
#include "jobs.h"

/* Files per chunk, at most: enough that handing a chunk out costs
 * nothing beside parsing it, few enough that a chunk's output is small. */
#define CHUNK_FILES 32

typedef struct code_count {
    char *code; /* a copy: the doc's own goes with it */
    size_t docs;
} code_count;

/* Diagnostic codes in the order first seen, each with the docs it is in. */
typedef struct code_counts {
    code_count *v;
    size_t n, cap;
} code_counts;

/* The counts of the command's output keep the first 64 codes seen. */
#define MAX_CODES 64

static void codes_add(code_counts *c, char *code, size_t docs) {
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 16;
        c->v = dr_xrealloc(c->v, c->cap * sizeof *c->v);
    }
    c->v[c->n++] = (code_count){code, docs};
}

static code_count *codes_find(code_counts *c, const char *code) {
    for (size_t k = 0; k < c->n; k++)
        if (strcmp(c->v[k].code, code) == 0) return &c->v[k];
    return NULL;
}

static void codes_clear(code_counts *c) {
    for (size_t k = 0; k < c->n; k++) free(c->v[k].code);
    c->n = 0;
}

/* One chunk: files lo to hi - 1, and what came of them. */
typedef struct chunk {
    size_t lo, hi;
    docrules_buf out;   /* each doc's JSON, each after ",\n" */
    docrules_buf err;   /* the error lines, as dr_cli_api_error says them */
    size_t failed, bytes, with_diags, with_errors;
    code_counts codes;  /* every code of the chunk: the cap is the total's */
} chunk;

typedef struct extract {
    char **paths;
    size_t n, next;
    int nslots;
    int stats, indent;
    docrules_parser **parsers; /* one per worker */
    chunk *chunks;             /* one per slot */
    /* What the chunks add up to, in the files' order. */
    int wrote;
    size_t failed, bytes, with_diags, with_errors;
    code_counts codes;
} extract;

static int fill_slot(void *ctx, int slot) {
    extract *x = ctx;
    if (x->next >= x->n) return 0;
    chunk *c = &x->chunks[slot];
    /* A share of what is left, so that chunks shrink toward the end and
     * the last ones keep every worker busy (and a few files also spread
     * over the workers). */
    size_t per = (x->n - x->next) / (2 * (size_t)x->nslots);
    per = per < 1 ? 1 : per > CHUNK_FILES ? CHUNK_FILES : per;
    c->lo = x->next;
    c->hi = x->next + per;
    x->next = c->hi;
    return 1;
}

static void count(chunk *c, const docrules_doc *d) {
    c->bytes += docrules_doc_bytes(d);
    size_t nd = docrules_doc_diag_count(d);
    if (nd) c->with_diags++;
    if (docrules_doc_has_errors(d)) c->with_errors++;
    /* Count each code once per doc: "how many docs have this problem". */
    for (size_t k = 0; k < nd; k++) {
        const char *code = docrules_doc_diag_code(d, k);
        int seen = 0;
        for (size_t j = 0; j < k && !seen; j++) seen = strcmp(docrules_doc_diag_code(d, j), code) == 0;
        if (seen) continue;
        code_count *cc = codes_find(&c->codes, code);
        if (cc) cc->docs++;
        else codes_add(&c->codes, dr_xstrdup(code), 1);
    }
}

static void run_slot(void *ctx, int worker, int slot) {
    extract *x = ctx;
    chunk *c = &x->chunks[slot];
    docrules_parser *p = x->parsers[worker];
    c->out.size = c->err.size = 0;
    c->failed = c->bytes = c->with_diags = c->with_errors = 0;
    for (size_t i = c->lo; i < c->hi; i++) {
        docrules_doc *d;
        docrules_error err;
        if (docrules_doc_load(&d, p, x->paths[i], &err) != DOCRULES_OK) {
            dr_cli_api_error_put(&c->err, &err);
            c->failed++;
            continue;
        }
        if (x->stats) {
            count(c, d);
        } else {
            /* The separator goes before every doc; the writer drops the
             * very first, which only it knows. */
            size_t mark = c->out.size;
            docrules_buf_put(&c->out, ",\n", 2);
            if (docrules_doc_to_json(&c->out, d, x->indent, &err) != DOCRULES_OK) {
                c->out.size = mark;
                c->out.ptr[mark] = '\0';
                dr_cli_api_error_put(&c->err, &err);
                c->failed++;
            }
        }
        docrules_doc_free(d);
    }
}

static void write_slot(void *ctx, int slot) {
    extract *x = ctx;
    chunk *c = &x->chunks[slot];
    if (c->err.size) fwrite(c->err.ptr, 1, c->err.size, stderr);
    x->failed += c->failed;
    if (!x->stats) {
        if (c->out.size) {
            size_t skip = x->wrote ? 0 : 2;
            fwrite(c->out.ptr + skip, 1, c->out.size - skip, stdout);
            x->wrote = 1;
        }
        return;
    }
    x->bytes += c->bytes;
    x->with_diags += c->with_diags;
    x->with_errors += c->with_errors;
    /* Taken in the files' order, the chunks' codes come in the order one
     * worker would have met them, and the cap drops the same ones. */
    for (size_t k = 0; k < c->codes.n; k++) {
        code_count *t = codes_find(&x->codes, c->codes.v[k].code);
        if (t) t->docs += c->codes.v[k].docs;
        else if (x->codes.n < MAX_CODES) {
            codes_add(&x->codes, c->codes.v[k].code, c->codes.v[k].docs);
            c->codes.v[k].code = NULL; /* the total's now */
        }
    }
    codes_clear(&c->codes);
}

/* Parses x->paths over jobs workers, writing as it goes. */
static void run_all(extract *x, int jobs) {
    int nslots = dr_jobs_slots(jobs);
    x->nslots = nslots;
    x->chunks = dr_xcalloc((size_t)nslots, sizeof *x->chunks);
    dr_jobs j = {.jobs = jobs, .ctx = x, .fill = fill_slot, .run = run_slot, .drain = write_slot};
    dr_jobs_run(&j);
    for (int s = 0; s < nslots; s++) {
        docrules_buf_dispose(&x->chunks[s].out);
        docrules_buf_dispose(&x->chunks[s].err);
        codes_clear(&x->chunks[s].codes);
        free(x->chunks[s].codes.v);
    }
    free(x->chunks);
}

static int stats(extract *x, int jobs, const dr_filelist *fl) {
    double t0 = dr_clock_mono();
    run_all(x, jobs);
    double secs = dr_clock_mono() - t0;
    printf("files: %zu\n", fl->n);
    printf("bytes: %zu (%.2f MB)\n", x->bytes, (double)x->bytes / 1e6);
    printf("seconds: %.3f\n", secs);
    printf("throughput: %.2f MB/s, %.0f files/s\n", secs > 0 ? (double)x->bytes / 1e6 / secs : 0.0,
           secs > 0 ? (double)fl->n / secs : 0.0);
    printf("peak_rss: %.1f MiB\n", (double)dr_peak_rss_kib() / 1024.0);
    printf("docs with diagnostics: %zu (with errors: %zu)\n", x->with_diags, x->with_errors);
    for (size_t c = 0; c < x->codes.n; c++) printf("  %s: %zu\n", x->codes.v[c].code, x->codes.v[c].docs);
    if (x->failed || fl->unreadable) printf("unreadable: %zu\n", x->failed + fl->unreadable);
    return (x->failed || fl->unreadable) ? DR_EXIT_USAGE : DR_EXIT_OK;
}

int dr_cmd_extract(int argc, char **argv) {
    int want_stats = 0, compact = 0, jobs = 1;
    size_t max_bytes = 0;
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        }
        if (strcmp(argv[i], "--stats") == 0) want_stats = 1;
        else if (strcmp(argv[i], "--compact") == 0) compact = 1;
        else if (strcmp(argv[i], "--max-bytes") == 0 && i + 1 < argc) {
            char *end;
            unsigned long long v = strtoull(argv[++i], &end, 10);
            if (*end || !v) return dr_cli_usage("extract", "--max-bytes wants a positive number");
            max_bytes = (size_t)v;
        } else if (strcmp(argv[i], "-j") == 0) {
            if (i + 1 >= argc) return dr_cli_usage("extract", "-j needs a value");
            char *end;
            long v = strtol(argv[++i], &end, 10);
            if (end == argv[i] || *end || v <= 0 || v > DR_CLI_MAX_JOBS)
                return dr_cli_usage("extract", "-j wants a number of threads from 1 to %d, not '%s'",
                                    DR_CLI_MAX_JOBS, argv[i]);
            jobs = (int)v;
        } else
            return dr_cli_usage("extract", "unknown option '%s'", argv[i]);
    }
    if (i >= argc) return dr_cli_usage("extract", "no file given");
    extract x = {0};
    dr_filelist fl = {0};
    if (want_stats) {
        for (int k = i; k < argc; k++) dr_filelist_collect(&fl, argv[k]);
        dr_filelist_sort(&fl);
        x.paths = fl.paths;
        x.n = fl.n;
    } else {
        x.paths = argv + i;
        x.n = (size_t)(argc - i);
    }
    /* More workers than files would only be idle. */
    if ((size_t)jobs > x.n) jobs = x.n ? (int)x.n : 1;
    docrules_parser_options opts = DOCRULES_PARSER_OPTIONS_INIT;
    opts.max_bytes = max_bytes;
    /* Every parser is made here, on this thread, before a worker starts:
     * cmark-gfm registers its extensions on first use without a lock
     * (include/docrules.h, Threads). */
    docrules_parser **parsers = dr_xcalloc((size_t)jobs, sizeof *parsers);
    int rc = DR_EXIT_OK;
    for (int k = 0; k < jobs && rc == DR_EXIT_OK; k++) {
        docrules_error err;
        if (docrules_parser_new(&parsers[k], &opts, &err) != DOCRULES_OK) {
            dr_cli_api_error(&err);
            rc = DR_EXIT_USAGE;
        }
    }
    x.parsers = parsers;
    x.stats = want_stats;
    x.indent = compact ? 0 : 2;
    if (rc == DR_EXIT_OK && want_stats) {
        rc = stats(&x, jobs, &fl);
    } else if (rc == DR_EXIT_OK) {
        int several = x.n > 1;
        if (several) fputs("[\n", stdout);
        run_all(&x, jobs);
        if (several) fputs("\n]", stdout);
        /* One file that could not be read printed nothing: not a bare line. */
        if (several || !x.failed) fputc('\n', stdout);
        rc = x.failed ? DR_EXIT_USAGE : DR_EXIT_OK;
    }
    codes_clear(&x.codes);
    free(x.codes.v);
    dr_filelist_free(&fl);
    for (int k = 0; k < jobs; k++) docrules_parser_free(parsers[k]);
    free(parsers);
    return rc;
}
