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

static int differ(json_t *want, json_t *got, const char *path, char *out, size_t size);

/* Each top-level field want gives that differs, "; " between, the
 * decision first: the verdict is what a case is about, and a wrong
 * decision shown only through its channels (or not at all, when the
 * channels came first and differed) sends the author after the wrong
 * field. */
static int differ_fields(json_t *want, json_t *got, char *out, size_t size) {
    size_t used = 0;
    int n = 0;
    for (int pass = 0; pass < 2; pass++) {
        const char *k;
        json_t *v;
        json_object_foreach(want, k, v) {
            if ((strcmp(k, "decision") == 0) != (pass == 0)) continue;
            char one[1100];
            if (!differ(v, json_object_get(got, k), k, one, sizeof one)) continue;
            if (used < size) {
                int w = snprintf(out + used, size - used, "%s%s", n ? "; " : "", one);
                used += w < 0 ? 0 : (size_t)w;
            }
            n++;
        }
    }
    return n > 0;
}

int dr_expect_differ(json_t *want, json_t *got, const char *path, char *out, size_t size) {
    if (!*path && json_is_object(want) && json_is_object(got)) return differ_fields(want, got, out, size);
    return differ(want, got, path, out, size);
}

static int differ(json_t *want, json_t *got, const char *path, char *out, size_t size) {
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
            if (differ(v, json_object_get(got, k), sub, out, size)) return 1;
        }
        return 0;
    }
    if (json_is_array(want)) {
        if (!json_is_array(got) || json_array_size(got) != json_array_size(want)) goto mismatch;
        for (size_t i = 0; i < json_array_size(want); i++) {
            char sub[512];
            snprintf(sub, sizeof sub, "%s[%zu]", path, i + 1);
            if (differ(json_array_get(want, i), json_array_get(got, i), sub, out, size)) return 1;
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
