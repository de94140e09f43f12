/* A decision against a test case's expectations (expect.h). */
#include "expect.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void dr_expect_show(json_t *j, char *buf, size_t size) {
    if (!j) {
        snprintf(buf, size, "absent");
        return;
    }
    char *s = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
    size_t n = s ? strlen(s) : 0, max = size > 8 ? size - 8 : 0;
    if (max > 100) max = 100;
    if (n > max) {
        n = max;
        while (n && ((unsigned char)s[n] & 0xC0) == 0x80) n--; /* not inside a character */
        snprintf(buf, size, "%.*s…", (int)n, s);
    } else {
        snprintf(buf, size, "%s", s ? s : "?");
    }
    free(s);
}

int dr_expect_differ(json_t *want, json_t *got, const char *path, char *out, size_t size) {
    char w[512], g[512];
    if (json_is_string(want) && strcmp(json_string_value(want), "<absent>") == 0) {
        if (!got) return 0;
        dr_expect_show(got, g, sizeof g);
        snprintf(out, size, "%s: expected absent, got %s", path, g);
        return 1;
    }
    if (!got) {
        dr_expect_show(want, w, sizeof w);
        snprintf(out, size, "%s: expected %s, got nothing", path, w);
        return 1;
    }
    if (json_is_object(want)) {
        if (!json_is_object(got)) goto mismatch;
        const char *k;
        json_t *v;
        json_object_foreach(want, k, v) {
            char sub[512];
            snprintf(sub, sizeof sub, "%s%s%s", path, *path ? "." : "", k);
            if (dr_expect_differ(v, json_object_get(got, k), sub, out, size)) return 1;
        }
        return 0;
    }
    if (json_is_array(want)) {
        if (!json_is_array(got) || json_array_size(got) != json_array_size(want)) goto mismatch;
        for (size_t i = 0; i < json_array_size(want); i++) {
            char sub[512];
            snprintf(sub, sizeof sub, "%s[%zu]", path, i + 1);
            if (dr_expect_differ(json_array_get(want, i), json_array_get(got, i), sub, out, size)) return 1;
        }
        return 0;
    }
    if (json_is_number(want) && json_is_number(got) && json_number_value(want) == json_number_value(got))
        return 0;
    if (json_equal(want, got)) return 0;
mismatch:
    dr_expect_show(want, w, sizeof w);
    dr_expect_show(got, g, sizeof g);
    snprintf(out, size, "%s: expected %s, got %s", *path ? path : "decision", w, g);
    return 1;
}
