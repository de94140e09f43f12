/* Single-decision latency in-process with the full bundled rule set: one
 * engine, N decisions timed one by one; prints p50 and p99 in microseconds.
 *   latency RULES CORPUS ACCOUNTS.ndjson [N] */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../engine/engine.h"

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    if (argc < 4) return 2;
    const char *corpus[1] = {argv[2]};
    dr_engine_opts o = {argv[1], corpus, 1, 0, 0, NULL, "corpus"};
    dr_engine *e;
    dr_error err;
    if (dr_engine_new(&o, &e, &err) != DR_OK) {
        fprintf(stderr, "%s:%d: %s\n", err.file, err.line, err.message);
        return 1;
    }
    FILE *f = fopen(argv[3], "r");
    size_t n = argc > 4 ? (size_t)atol(argv[4]) : 20000, k = 0;
    double *t = malloc(n * sizeof *t);
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    dr_query q = {0};
    while (k < n && (len = getline(&line, &cap, f)) > 0) {
        char *out;
        double t0 = now();
        if (dr_engine_decide(e, line, (size_t)len, &q, &out, &err) == DR_OK) free(out);
        t[k++] = now() - t0;
    }
    qsort(t, k, sizeof *t, cmp);
    printf("{\"decisions\": %zu, \"p50_us\": %.1f, \"p99_us\": %.1f}\n", k, t[k / 2], t[k * 99 / 100]);
    free(t);
    free(line);
    fclose(f);
    dr_engine_free(e);
    return 0;
}
