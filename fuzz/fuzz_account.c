/* One account JSON through validation and the bundled rules. */
#include <stdint.h>

#include "fuzz_engine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    dr_engine *e = fuzz_engine();
    dr_query q = {0};
    char *out = NULL;
    dr_error err;
    if (dr_engine_decide(e, (const char *)data, size, &q, &out, &err) == DR_OK) free(out);
    return 0;
}
