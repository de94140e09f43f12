/* One engine over the bundled rules and corpus, built once per process. */
#ifndef DR_FUZZ_ENGINE_H
#define DR_FUZZ_ENGINE_H

#include <stdio.h>
#include <stdlib.h>

#include "../engine/engine.h"

static dr_engine *fuzz_engine(void) {
    static dr_engine *e;
    if (e) return e;
    const char *corpus[1] = {DR_TOP "/corpus"};
    dr_engine_opts o = {DR_TOP "/rules", corpus, 1, 200000, 32 * 1024 * 1024, "2026-01-01", NULL};
    dr_error err;
    if (dr_engine_new(&o, &e, &err) != DR_OK) {
        fprintf(stderr, "fuzz: %s:%d: %s\n", err.file, err.line, err.message);
        abort();
    }
    return e;
}

#endif
