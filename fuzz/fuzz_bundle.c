/* Arbitrary bytes as a compiled bundle (bundle/read.c): as they are, then
 * with their checksum made right, so that mutations reach past it into
 * the sections, records and strings. A bundle that reads is made into an
 * engine (bundle/load.c) that decides an account and lists its facts; its
 * inputs are peeked at first, unchecked, as the cache does. A
 * hostile bundle is refused or decides, never crashes. Seeds: a real
 * bundle (fuzz/run.sh). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../bundle/bundle.h"
#include "../bundle/format.h"
#include "../engine/engine.h"

static void try_bundle(const uint8_t *data, size_t size, int fix) {
    char *bytes = malloc(size ? size : 1);
    if (!bytes) return;
    if (size) memcpy(bytes, data, size);
    if (fix && size >= DR_BUNDLE_HEADER) set64(bytes + 48, dr_bundle_checksum(bytes, size));
    /* What a warm-cache check reads before the checksum is looked at
     * (bundle/cache.c): the header, the section table and each input. */
    dr_inputs_raw raw;
    dr_error perr;
    if (dr_bundle_peek_inputs("fuzz.drb", bytes, size, &raw, &perr) == DR_OK) {
        dr_input in;
        size_t paths = 0;
        for (size_t i = 0; i < raw.n; i++)
            if (dr_inputs_raw_get(&raw, i, &in) == DR_OK) paths += strlen(in.path);
        dr_inputs all;
        int whole = dr_inputs_raw_decode(&raw, &all) == DR_OK;
        volatile size_t sink = paths + all.n + (size_t)whole; /* (the reads are what is tried) */
        (void)sink;
        dr_inputs_free(&all);
    }
    dr_bundle *b;
    dr_error err;
    if (dr_bundle_parse("fuzz.drb", bytes, size, &b, &err) != DR_OK) return; /* bytes freed */
    dr_engine_opts o = {NULL, NULL, 0, 200000, 32 * 1024 * 1024, "2026-01-01", NULL};
    dr_engine *e;
    if (dr_engine_new_from_bundle(&o, b, &e, &err) != DR_OK) {
        dr_bundle_free(b);
        return;
    }
    static const char *const accounts[] = {
        "{\"id\":\"a\",\"product\":\"office365\",\"assigned_licenses\":30,\"locale\":\"zh-tw\"}",
        "{\"id\":\"b\",\"product\":\"azure\",\"date\":\"2017-03-10\",\"actor\":{\"roles\":[\"account_admin\"]},"
        "\"subscription\":{\"type\":\"payg\",\"payment_method\":true}}"};
    dr_query q = {0};
    q.explain = 1;
    for (size_t i = 0; i < 2; i++) {
        char *out = NULL;
        if (dr_engine_decide(e, accounts[i], strlen(accounts[i]), &q, &out, &err) == DR_OK) free(out);
    }
    size_t n;
    dr_factset_facts(dr_engine_factset(e), &n);
    unsigned char *keep = malloc(n ? n : 1);
    if (keep) dr_engine_facts_in_force(e, "2020-05-01", "ja-jp", keep);
    free(keep);
    dr_engine_free(e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    try_bundle(data, size, 0);
    try_bundle(data, size, 1);
    return 0;
}
