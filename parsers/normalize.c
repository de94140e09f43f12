/* title, locale, date and asset from whatever the doc's header calls them. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static int is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int days_in(int y, int m) {
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : d[m - 1];
}

static int read_int(const char **s, int maxdigits, int *out) {
    int v = 0, k = 0;
    while (k < maxdigits && isdigit((unsigned char)**s)) {
        v = v * 10 + (**s - '0');
        (*s)++;
        k++;
    }
    *out = v;
    return k;
}

int dr_date_parse(const char *s, int *y, int *m, int *dd) {
    while (*s == ' ' || *s == '\t') s++;
    int a, b, c;
    const char *p = s;
    int na = read_int(&p, 4, &a);
    if (na == 4 && *p == '-') {
        p++;
        if (read_int(&p, 2, &b) != 2 || *p++ != '-' || read_int(&p, 2, &c) != 2) return DR_EPARSE;
        *y = a, *m = b, *dd = c;
    } else if (na >= 1 && na <= 2 && *p == '/') {
        /* US order, as every corpus writes it: month/day/year. */
        p++;
        int nb = read_int(&p, 2, &b);
        if (nb < 1 || *p++ != '/' || read_int(&p, 4, &c) != 4) return DR_EPARSE;
        *y = c, *m = a, *dd = b;
    } else {
        return DR_EPARSE;
    }
    /* Accept a trailing time ("T10:00:00Z" or " 10:00"), nothing else. */
    if (*p && *p != 'T' && *p != ' ' && *p != '\t' && *p != '\r') return DR_EPARSE;
    if (*m < 1 || *m > 12 || *dd < 1 || *dd > days_in(*y, *m) || *y < 1900 || *y > 2999) return DR_EPARSE;
    return DR_OK;
}

static const char *meta(dr_doc *d, const char *const *keys, const char **which) {
    for (; *keys; keys++) {
        const char *v = dr_doc_meta(d, *keys);
        if (v && *v) {
            if (which) *which = *keys;
            return v;
        }
    }
    return NULL;
}

/* "ll-rr" (region of two letters or three digits) or "ll-Scri[-rr]". */
static size_t locale_len(const char *s, size_t n) {
    size_t i = 0;
    while (i < n && isalpha((unsigned char)s[i])) i++;
    if (i < 2 || i > 3 || i >= n || (s[i] != '-' && s[i] != '_')) return 0;
    size_t j = i + 1, k = j;
    while (k < n && isalnum((unsigned char)s[k])) k++;
    size_t r = k - j;
    int region = (r == 2 && isalpha((unsigned char)s[j]) && isalpha((unsigned char)s[j + 1])) ||
                 (r == 3 && isdigit((unsigned char)s[j]));
    static const char *const scripts[] = {"hans", "hant", "latn", "cyrl", "arab", NULL};
    int script = 0;
    for (const char *const *sc = scripts; *sc && r == 4; sc++)
        if (strncasecmp(s + j, *sc, 4) == 0) script = 1;
    if (!region && !script) return 0;
    if (script && k + 3 <= n && (s[k] == '-' || s[k] == '_') && isalpha((unsigned char)s[k + 1]) &&
        isalpha((unsigned char)s[k + 2]) && (k + 3 == n || !isalnum((unsigned char)s[k + 3])))
        k += 3;
    if (k < n && isalnum((unsigned char)s[k])) return 0;
    return k;
}

static char *lower_locale(dr_arena *a, const char *s, size_t n) {
    char *o = dr_arena_strndup(a, s, n);
    for (char *p = o; *p; p++) *p = *p == '_' ? '-' : (char)tolower((unsigned char)*p);
    return o;
}

/* The last locale-looking part of the path: a folder ("de-de/") or a name
 * part ("cancel.zh-tw.md", "azure-docs.nl-NL__x.md"). */
const char *dr_path_locale(const char *path, char *buf, size_t size) {
    const char *best = NULL;
    size_t bestn = 0;
    for (const char *p = path; *p; p++) {
        if (p != path && p[-1] != '/' && p[-1] != '.' && p[-1] != '_') continue;
        size_t rest = strlen(p), n = locale_len(p, rest);
        if (n && (p[n] == '/' || p[n] == '.' || p[n] == '_' || p[n] == '\0')) {
            best = p;
            bestn = n;
        }
    }
    if (!best || bestn >= size) return NULL;
    for (size_t i = 0; i < bestn; i++)
        buf[i] = best[i] == '_' ? '-' : (char)tolower((unsigned char)best[i]);
    buf[bestn] = '\0';
    return buf;
}

static const char *clean_title(dr_doc *d, const char *t) {
    /* "Cancel your Azure subscription | Microsoft Docs": the site, not the doc. */
    const char *bar = NULL;
    for (const char *p = t; (p = strstr(p, " | ")); p += 3) bar = p;
    if (bar && strncmp(bar + 3, "Microsoft", 9) == 0)
        return dr_text_fold(d->arena, t, (size_t)(bar - t));
    return dr_text_fold(d->arena, t, strlen(t));
}

void dr_doc_normalize(dr_doc *d) {
    static const char *const title_keys[] = {"title", "pageTitle", NULL};
    static const char *const locale_keys[] = {"ms.contentlocale", "ms.locale", "locale", NULL};
    static const char *const date_keys[] = {"ms.date", "date", NULL};
    static const char *const fallback_date_keys[] = {"ms.lasthandoff", "ms.reviewed", NULL};
    static const char *const asset_keys[] = {"ms.assetid", NULL};

    const char *t = meta(d, title_keys, NULL);
    if (t) d->title = clean_title(d, t);
    else
        for (size_t i = 0; i < d->sections.n; i++)
            if (d->sections.v[i].level == 1) {
                d->title = d->sections.v[i].title;
                break;
            }

    const char *lk;
    const char *l = meta(d, locale_keys, &lk);
    if (l) {
        size_t n = strlen(l);
        while (n && isspace((unsigned char)l[n - 1])) n--;
        d->locale = lower_locale(d->arena, l, n);
        d->locale_from = lk;
    } else {
        char buf[32];
        if (dr_path_locale(d->path, buf, sizeof buf)) {
            d->locale = dr_arena_strdup(d->arena, buf);
            d->locale_from = "path";
        }
    }

    int y, m, dd;
    const char *dk;
    const char *ds = meta(d, date_keys, &dk);
    if (ds) {
        if (dr_date_parse(ds, &y, &m, &dd) == DR_OK) {
            d->date = dr_arena_printf(d->arena, "%04d-%02d-%02d", y, m, dd);
            d->date_from = dk;
        } else {
            dr_doc_diag(d, dr_doc_meta_line(d, dk), 1, DR_SEV_WARNING, "date-invalid",
                        "%s \"%s\" is not a date (MM/DD/YYYY or YYYY-MM-DD)", dk, ds);
        }
    }
    if (!d->date) {
        const char *fs = meta(d, fallback_date_keys, &dk);
        if (fs && dr_date_parse(fs, &y, &m, &dd) == DR_OK) {
            d->date = dr_arena_printf(d->arena, "%04d-%02d-%02d", y, m, dd);
            d->date_from = dk;
        }
    }
    const char *as = meta(d, asset_keys, NULL);
    if (as) d->asset = dr_text_fold(d->arena, as, strlen(as));
}
