/* An NDJSON stream: every line decided, one result per line, whatever the
 * lines hold (as docrules batch does). */
#include <stdint.h>
#include <string.h>

#include "fuzz_engine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    dr_engine *e = fuzz_engine();
    dr_query q = {NULL, NULL, NULL, 0, 0, "id,decision,channels"};
    const char *s = (const char *)data, *end = s + size;
    size_t lines = 0, results = 0;
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        size_t len = nl ? (size_t)(nl - s) : (size_t)(end - s);
        if (len && s[len - 1] == '\r') len--;
        char *out = NULL;
        dr_error err;
        int rc = dr_engine_decide(e, s, len, &q, &out, &err);
        lines++;
        if (rc == DR_OK || rc == DR_EPARSE) results++; /* a decision or an error record */
        free(out);
        s = nl ? nl + 1 : end;
    }
    if (results != lines) abort();
    return 0;
}
