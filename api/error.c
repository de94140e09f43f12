/* The caller's docrules_error, filled from the modules' dr_error. */
#define DOCRULES_BUILDING
#include "../include/docrules.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* The public codes are the internal ones. */
_Static_assert((int)DOCRULES_EIO == (int)DR_EIO && (int)DOCRULES_EPARSE == (int)DR_EPARSE &&
                   (int)DOCRULES_EUSAGE == (int)DR_EUSAGE && (int)DOCRULES_ELIMIT == (int)DR_ELIMIT &&
                   (int)DOCRULES_ERULE == (int)DR_ERULE,
               "docrules.h's codes are the engine's");

int dr_api_fail(docrules_error *out, const dr_error *in) {
    int code = in->code ? in->code : DOCRULES_EUSAGE;
    if (out) {
        out->code = code;
        snprintf(out->file, sizeof out->file, "%s", in->file);
        out->line = in->line;
        out->col = in->col;
        snprintf(out->message, sizeof out->message, "%s", in->message);
    }
    return code;
}

int dr_api_usage(docrules_error *out, const char *fmt, ...) {
    dr_error e;
    dr_error_clear(&e);
    e.code = DR_EUSAGE;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e.message, sizeof e.message, fmt, ap);
    va_end(ap);
    return dr_api_fail(out, &e);
}

int dr_api_no_memory(docrules_error *out) {
    dr_error e;
    dr_error_clear(&e);
    dr_error_set(&e, DR_ELIMIT, NULL, 0, 0, "out of memory");
    return dr_api_fail(out, &e);
}

/* Not a memset of the whole struct: this runs once per decision. */
void dr_api_clear(docrules_error *out) {
    if (!out) return;
    out->code = DOCRULES_OK;
    out->file[0] = out->message[0] = '\0';
    out->line = out->col = 0;
}
