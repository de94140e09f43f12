#include "regex.h"

#include <stdlib.h>
#include <string.h>

void dr_regex_jit(pcre2_code *code) {
    const char *jit = getenv("DOCRULES_PCRE2_JIT");
    if (!jit || strcmp(jit, "0") != 0) pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
}
