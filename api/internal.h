/* Shared by the files of api/ only: the public library's own helpers. */
#ifndef DR_API_INTERNAL_H
#define DR_API_INTERNAL_H

#include "../include/docrules.h"

struct dr_engine;

/* Empties err (when given), as every public function does first. */
void dr_api_clear(docrules_error *err);
/* Fills err with DOCRULES_EUSAGE and msg; returns the code. */
int dr_api_usage(docrules_error *err, const char *msg);
int dr_api_no_memory(docrules_error *err);
/* Fills err from an internal error; returns its code. */
struct dr_error;
int dr_api_fail(docrules_error *err, const struct dr_error *in);
/* The engine behind a public one. */
struct dr_engine *dr_api_engine(const docrules_engine *e);

#endif
