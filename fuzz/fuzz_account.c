/* One account JSON through validation and the bundled rules (every
 * field, then only the verdict); and the two
 * account readers (yajl where it may, jansson always) must agree: both
 * refuse, or both give the same table. */
#include <stdint.h>
#include <string.h>

#include "../engine/internal.h"
#include "fuzz_engine.h"

static int read_as(dr_engine *e, const uint8_t *data, size_t size, int path, dr_buf *out) {
    lua_State *L = e->L;
    dr_error err;
    dr_error_clear(&err);
    int rc = dr_account_read(e, (const char *)data, size, path, &err);
    if (rc == DR_OK) {
        dr_json_write(L, -1, out);
        lua_pop(L, 1);
    }
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    dr_engine *e = fuzz_engine();
    dr_buf fast = {0}, slow = {0};
    int rf = read_as(e, data, size, DR_ACCOUNT_AUTO, &fast);
    int rs = read_as(e, data, size, DR_ACCOUNT_SLOW, &slow);
    if (rf != rs || (rf == DR_OK && strcmp(fast.s, slow.s) != 0)) {
        fprintf(stderr, "fuzz: the account readers disagree: %d %s / %d %s\n", rf,
                fast.s ? fast.s : "", rs, slow.s ? slow.s : "");
        abort();
    }
    free(fast.s);
    free(slow.s);
    dr_query q = {0};
    char *out = NULL;
    dr_error err;
    if (dr_engine_decide(e, (const char *)data, size, &q, &out, &err) == DR_OK) free(out);
    /* And the lean path (engine/lean.c), which walks the rules itself
     * where no rule computes anything: it must say what decide() says. */
    dr_engine *b = fuzz_bench_engine();
    char *full = NULL;
    dr_query fq = {0};
    fq.fields = "id,action,decision,channels,required_roles,reasons";
    q.fields = "id,action,decision,channels,required_roles";
    int rl = dr_engine_decide(b, (const char *)data, size, &q, &out, &err);
    int rd = dr_engine_decide(b, (const char *)data, size, &fq, &full, &err);
    if (rl != rd) abort();
    if (rl == DR_OK) {
        /* The full decision with its reasons cut, and the lean one; an
         * error's traceback differs by the frames of who called the rule. */
        char *r = strstr(full, ",\"reasons\":");
        if (r) strcpy(r, "}");
        char *t = strstr(full, ",\"traceback\":"), *u = strstr(out, ",\"traceback\":");
        if (t && u) *t = *u = '\0';
        if (strcmp(out, full) != 0) {
            fprintf(stderr, "fuzz: lean %s / full %s\n", out, full);
            abort();
        }
        free(out);
        free(full);
    }
    return 0;
}
