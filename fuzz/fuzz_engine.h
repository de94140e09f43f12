/* Engines over the bundled corpus, built once per process. */
#ifndef DR_FUZZ_ENGINE_H
#define DR_FUZZ_ENGINE_H

#include <stdio.h>
#include <stdlib.h>

#include "../engine/engine.h"

static dr_engine *fuzz_engine_for(const char *rules) {
    dr_engine *e;
    const char *corpus[1] = {DR_TOP "/corpus"};
    dr_engine_opts o = {rules, corpus, 1, 200000, 32 * 1024 * 1024, "2026-01-01", NULL};
    dr_error err;
    if (dr_engine_new(&o, &e, &err) != DR_OK) {
        fprintf(stderr, "fuzz: %s:%d: %s\n", err.file, err.line, err.message);
        abort();
    }
    return e;
}

static dr_engine *fuzz_engine(void) {
    static dr_engine *e;
    if (!e) e = fuzz_engine_for(DR_TOP "/rules");
    return e;
}

/* make bench's reference policy over the bundled facts: no rule of it
 * computes anything, so lean queries are decided by engine/lean.c. */
static dr_engine *fuzz_bench_engine(void) {
    static dr_engine *e;
    if (e) return e;
    static char dir[] = "/tmp/docrules-fuzz-rules-XXXXXX";
    char cmd[512];
    if (!mkdtemp(dir)) abort();
    snprintf(cmd, sizeof cmd, "sh '%s/bench/rules.sh' '%s'", DR_TOP, dir);
    if (system(cmd) != 0) abort();
    e = fuzz_engine_for(dir);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) abort();
    return e;
}

#endif
