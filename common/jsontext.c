#include "jsontext.h"

#include <stdlib.h>

#include "alloc.h"
#include "utf8.h"

json_t *dr_json_text(const char *s, size_t n) {
    json_t *j = json_stringn(s, n);
    if (!j) {
        /* jansson refuses only bytes that are not UTF-8 (or memory). */
        char *fixed = dr_xmalloc(n * 3 + 1);
        j = json_stringn(fixed, dr_utf8_repair(fixed, s, n, 0));
        free(fixed);
    }
    if (!j) dr_oom();
    return j;
}
