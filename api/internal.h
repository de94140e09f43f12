/* What the files of the public library (api/) share: the caller's
 * docrules_error filled from the modules' dr_error. */
#ifndef DR_API_INTERNAL_H
#define DR_API_INTERNAL_H

/* Without it the header's functions would be compiled hidden, and the
 * shared library would export none of them. */
#ifndef DOCRULES_BUILDING
#error "define DOCRULES_BUILDING before including docrules.h in api/*.c"
#endif

#include "../common/error.h"
#include "../include/docrules.h"

/* Copies in to out (when out is given) and returns its code; an error
 * without one is DOCRULES_EUSAGE. */
int dr_api_fail(docrules_error *out, const dr_error *in);
/* DOCRULES_EUSAGE with the message: the call makes no sense. */
int dr_api_usage(docrules_error *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* DOCRULES_ELIMIT, "out of memory": where the library allocates itself it
 * returns rather than aborts (common/alloc.h). */
int dr_api_no_memory(docrules_error *out);
/* Empties out, when given: every entry point starts with it. */
void dr_api_clear(docrules_error *out);
/* The engine behind a public one. */
struct dr_engine;
struct dr_engine *dr_api_engine(const docrules_engine *e);

#endif
