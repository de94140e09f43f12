/* What `docrules batch` writes for a line it cannot decide, and which lines
 * are empty: the same bytes from the command and from the decision
 * service's POST /v1/batch, so both are written here, once; and the same
 * error object is the body of the service's error answers. */
#ifndef DR_BATCHLINE_H
#define DR_BATCHLINE_H

#include <stddef.h>

#include "../include/docrules.h"

/* The message of a line with nothing but blanks on it. */
#define DR_BATCH_EMPTY_LINE "empty line: no account"

/* 1 when line (len bytes) holds only spaces and tabs, after a byte order
 * mark if it starts with one. */
int dr_batch_line_empty(const char *line, size_t len);

/* {"line": line, "col": col, "error": msg} and a newline, appended to out;
 * line and col are left out when 0 (unknown, or no line: an HTTP error's
 * body). A message that is not UTF-8 is said so, rather than dropping the
 * line. */
void dr_error_json(docrules_buf *out, long line, int col, const char *msg);

#endif
