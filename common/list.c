#include "list.h"

#include <stdio.h>
#include <string.h>

int dr_list_has(const char *list, const char *name) {
    if (!list) return 1;
    size_t n = strlen(name);
    for (const char *p = list; (p = strstr(p, name)); p += n)
        if ((p == list || p[-1] == ',') && (p[n] == ',' || p[n] == '\0')) return 1;
    return 0;
}

const char *dr_list_unknown(const char *list, int (*known)(const char *name, size_t n, void *ctx), void *ctx,
                            size_t *n) {
    for (const char *p = list; p && *p;) {
        size_t k = strcspn(p, ",");
        if (!known(p, k, ctx)) {
            *n = k;
            return p;
        }
        p += k + (p[k] == ',');
    }
    *n = 0;
    return NULL;
}

const char *dr_list_said(const char *const *names, size_t n, const char *last, const char *q, char *buf, size_t size) {
    if (n == (size_t)-1)
        for (n = 0; names && names[n]; n++) {}
    size_t used = 0;
    if (size) buf[0] = '\0';
    for (size_t i = 0; i < n && used < size; i++)
        used += (size_t)snprintf(buf + used, size - used, "%s%s%s%s", i == 0 ? "" : i + 1 < n ? ", " : last, q,
                                 names[i], q);
    return buf;
}
