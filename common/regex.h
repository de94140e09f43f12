/* What every PCRE2 pattern docrules compiles goes through once compiled:
 * the fact patterns and lexicons (facts/) and the rules' artifact patterns
 * (validate/). */
#ifndef DR_REGEX_H
#define DR_REGEX_H

#ifndef PCRE2_CODE_UNIT_WIDTH
#define PCRE2_CODE_UNIT_WIDTH 8
#endif
#include <pcre2.h>

/* JIT-compiles code when it can (PCRE2 falls back to its interpreter by
 * itself when it cannot, as where no page may be both written and run).
 * DOCRULES_PCRE2_JIT=0 turns it off: valgrind cannot see into the
 * generated code and reports its reads as uninitialised (make valgrind
 * sets it). */
void dr_regex_jit(pcre2_code *code);

#endif
