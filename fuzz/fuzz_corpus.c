#define _GNU_SOURCE /* memmem */
/* Several docs read together: what no one doc exercises. Alignment, the
 * terms a language's links teach (facts/linked.c), the sentences it
 * repeats (facts/repeated.c) and the comparison of translations
 * (validate) read each doc through the others, so a bad doc can upset
 * the reading of a good one.
 *
 * The input is a corpus in the shape `head` prints files:
 *   ==> cancel.en-us.2018.md <==
 *   ...the doc...
 *   ==> cancel.it-it.2018.md <==
 *   ...
 * Names keep [a-z0-9.-] (the locale and version are read from them), up to
 * MAX_DOCS docs; text before the first name is ignored. The rules are the
 * bundled ones, which have no Italian lexicon: an it-* doc is read as a
 * language nobody wrote for. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../engine/internal.h"
#include "../validate/validate.h"
#include "fuzz_engine.h"

#define MAX_DOCS 6
#define MAX_NAME 64

static char dir[] = "/tmp/docrules-fuzz-corpus-XXXXXX";

/* The name after "==> " up to " <==", kept to [a-z0-9.-] and ending .md. */
static int take_name(const char *s, size_t n, char *out) {
    size_t k = 0;
    for (size_t i = 0; i < n && k < MAX_NAME - 4; i++) {
        char c = s[i];
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-') out[k++] = c;
    }
    out[k] = '\0';
    if (k < 3 || strcmp(out + k - 3, ".md") != 0) memcpy(out + k, ".md", 4);
    return out[0] != '.';
}

/* Writes each doc of the input into dir; returns how many. */
static int write_docs(const char *data, size_t size, char names[MAX_DOCS][MAX_NAME + 8]) {
    static const char open_tag[] = "==> ", close_tag[] = " <==\n";
    int n = 0;
    const char *p = data, *end = data + size;
    const char *at = memmem(p, (size_t)(end - p), open_tag, 4);
    while (at && n < MAX_DOCS) {
        /* From past "==> ": its own space must not end the name. */
        const char *name_end = memmem(at + 4, (size_t)(end - at - 4), close_tag, 5);
        if (!name_end) break;
        const char *body = name_end + 5;
        const char *next = memmem(body, (size_t)(end - body), "\n==> ", 5);
        const char *body_end = next ? next + 1 : end;
        char name[MAX_NAME];
        if (take_name(at + 4, (size_t)(name_end - at - 4), name)) {
            int dup = 0;
            for (int k = 0; k < n; k++) dup |= strcmp(names[k], name) == 0;
            if (!dup) {
                char path[sizeof dir + MAX_NAME + 8];
                snprintf(path, sizeof path, "%s/%s", dir, name);
                FILE *f = fopen(path, "wb");
                if (!f) abort();
                if (fwrite(body, 1, (size_t)(body_end - body), f) != (size_t)(body_end - body)) abort();
                if (fclose(f) != 0) abort();
                snprintf(names[n++], MAX_NAME + 8, "%s", name);
            }
        }
        at = next ? next + 1 : NULL;
    }
    return n;
}

/* A configuration of no settings, named to dr_validate: without one it
 * would use the nearest .docrules.yaml above the scratch folder, which is
 * the machine's, not the input's. */
static char config_dir[] = "/tmp/docrules-fuzz-config-XXXXXX";
static char config[sizeof config_dir + 20];

/* The folder is empty between inputs: gone when the fuzzer exits, as is
 * the configuration. */
static void remove_dir(void) {
    rmdir(dir);
    unlink(config);
    rmdir(config_dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static dr_engine *e;
    if (!e) {
        e = fuzz_engine();
        if (!mkdtemp(dir) || !mkdtemp(config_dir)) abort();
        snprintf(config, sizeof config, "%s/.docrules.yaml", config_dir);
        FILE *c = fopen(config, "wb");
        if (!c || fputs("{}\n", c) < 0 || fclose(c) != 0) abort();
        atexit(remove_dir);
    }
    char names[MAX_DOCS][MAX_NAME + 8];
    int n = write_docs((const char *)data, size, names);
    if (n) {
        const char *paths[1] = {dir};
        dr_factset_opts fo = {0, "corpus"};
        dr_factset *fs;
        dr_error err;
        if (dr_factset_load(e->cat, paths, 1, &fo, &fs, &err) == DR_OK) dr_factset_free(fs);
        /* The translations compared, as `docrules validate --rules` does. */
        dr_validate_opts vo = {.paths = paths, .npaths = 1, .rules_dir = DR_TOP "/rules", .jobs = 1, .label = "corpus",
                               .config = config};
        dr_report r;
        if (dr_validate(&vo, &r, &err) == DR_OK) dr_report_free(&r);
    }
    for (int k = 0; k < n; k++) {
        char path[sizeof dir + MAX_NAME + 8];
        snprintf(path, sizeof path, "%s/%s", dir, names[k]);
        unlink(path);
    }
    return 0;
}
