#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int dr_error_set(dr_error *e, int code, const char *file, int line, int col,
                 const char *fmt, ...) {
    if (!e) return code;
    e->code = code;
    snprintf(e->file, sizeof e->file, "%s", file ? file : "");
    e->line = line;
    e->col = col;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
    return code;
}

/* Empty strings, not zeroed buffers: a batch clears one per account. */
void dr_error_clear(dr_error *e) {
    if (!e) return;
    e->code = DR_OK;
    e->file[0] = e->message[0] = '\0';
    e->line = e->col = 0;
}

const char *dr_error_format(const dr_error *e, char *buf, unsigned size) {
    if (!e->file[0])
        snprintf(buf, size, "%s", e->message);
    else if (e->line <= 0)
        snprintf(buf, size, "%s: %s", e->file, e->message);
    else if (e->col <= 0)
        snprintf(buf, size, "%s:%d: %s", e->file, e->line, e->message);
    else
        snprintf(buf, size, "%s:%d:%d: %s", e->file, e->line, e->col, e->message);
    return buf;
}
