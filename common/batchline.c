/* See batchline.h. */
#include "batchline.h"

#include "jsontext.h"
#include "utf8.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

int dr_batch_line_empty(const char *line, size_t len) {
    /* after a byte order mark, which the account reader passes over too */
    size_t k = dr_utf8_bom(line, len);
    while (k < len && (line[k] == ' ' || line[k] == '\t')) k++;
    return k == len;
}

void dr_error_json(docrules_buf *out, long line, int col, const char *msg) {
    json_t *o = json_object();
    if (line > 0) json_object_set_new(o, "line", json_integer(line));
    if (col > 0) json_object_set_new(o, "col", json_integer(col));
    json_object_set_new(o, "error", dr_json_text(msg, strlen(msg)));
    char *s = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    if (s) docrules_buf_put(out, s, strlen(s));
    docrules_buf_put(out, "\n", 1);
    free(s);
}
