/* See batchline.h. */
#include "batchline.h"

#include "jsontext.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

int dr_batch_line_empty(const char *line, size_t len) {
    size_t k = 0;
    /* A byte order mark says nothing, as the account reader passes over
     * it (engine/account.c): a line of one and blanks is empty too. */
    if (len >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0) k = 3;
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
