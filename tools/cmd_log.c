/* docrules log FILE: the decisions `docrules serve` logged, oldest first,
 * as NDJSON, filtered by decision id, account, time and decision
 * (serve/log.h reads the file). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../common/dates.h"
#include "../common/error.h"
#include "../common/list.h"
#include "../include/docrules.h"
#include "../serve/log.h"
#include "cli.h"

#define TIME_FORMS "2026-12-02T08:40:00Z, 2026-12-02T08:40:00.123Z, 2026-12-02T09:40:00+01:00 or 2026-12-02 (midnight UTC)"

/* Two decimal digits at p. */
static int two(const char *p, int *v) {
    if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9') return 0;
    *v = (p[0] - '0') * 10 + (p[1] - '0');
    return 1;
}

/* RFC 3339 (a date, 'T', the time with optional fraction, 'Z' or an
 * offset) or a bare date, meaning its midnight UTC, as Unix milliseconds.
 * A fraction finer than the millisecond is cut: the log keeps no finer. */
static int parse_time(const char *s, int64_t *ms) {
    char date[11];
    long day;
    if (strlen(s) < 10) return -1;
    memcpy(date, s, 10);
    date[10] = '\0';
    if (dr_date_from_iso(date, &day) != DR_OK) return -1;
    int64_t t = (int64_t)day * 86400000;
    const char *p = s + 10;
    if (!*p) {
        *ms = t;
        return 0;
    }
    int hh, mm, ss, frac = 0, off = 0;
    if ((*p != 'T' && *p != 't') || !two(p + 1, &hh) || p[3] != ':' || !two(p + 4, &mm) || p[6] != ':' ||
        !two(p + 7, &ss) || hh > 23 || mm > 59 || ss > 60) /* 60: RFC 3339's leap second */
        return -1;
    p += 9;
    if (*p == '.') {
        int digits = 0;
        for (p++; *p >= '0' && *p <= '9'; p++, digits++)
            if (digits < 3) frac = frac * 10 + (*p - '0');
        if (!digits) return -1;
        for (; digits < 3; digits++) frac *= 10;
    }
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int oh, om;
        if (!two(p + 1, &oh) || p[3] != ':' || !two(p + 4, &om) || oh > 23 || om > 59) return -1;
        off = (*p == '-' ? -1 : 1) * (oh * 60 + om);
        p += 6;
    } else {
        return -1;
    }
    if (*p) return -1;
    *ms = t + ((int64_t)(hh * 60 + mm - off) * 60 + ss) * 1000 + frac;
    return 0;
}

int dr_cmd_log(int argc, char **argv) {
    dr_log_query q = {NULL, NULL, 0, NULL};
    const char *file = NULL, *since = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = strcmp(a, "--id") == 0 ? &q.id
                          : strcmp(a, "--account") == 0 ? &q.account
                          : strcmp(a, "--since") == 0 ? &since
                          : strcmp(a, "--decision") == 0 ? &q.decision
                          : NULL;
        if (slot) {
            if (i + 1 >= argc) return dr_cli_usage("log", "%s needs a value", a);
            /* Twice would read as "either" to some and "the last" to
             * others: neither is guessed. */
            if (*slot) return dr_cli_usage("log", "%s is given twice", a);
            *slot = argv[++i];
        } else if (a[0] == '-' && a[1]) {
            return dr_cli_usage("log", "unknown option '%s'", a);
        } else if (file) {
            return dr_cli_usage("log", "one log FILE only ('%s' and '%s')", file, a);
        } else {
            file = a;
        }
    }
    if (!file) return dr_cli_usage("log", "which log? docrules log FILE [--id ID] [--account ID] [--since TIME] [--decision D]");
    if (since && parse_time(since, &q.since_ms) != 0)
        return dr_cli_usage("log", "--since '%s' is not a time: write %s", since, TIME_FORMS);
    /* A misspelled decision (--decision alow) would match nothing and
     * print nothing, as if none were logged. */
    if (q.decision) {
        const char *const *d = docrules_decisions();
        while (*d && strcmp(*d, q.decision) != 0) d++;
        if (!*d) {
            char list[256];
            dr_list_said(docrules_decisions(), (size_t)-1, ", ", "", list, sizeof list);
            return dr_cli_usage("log", "--decision is one of %s, not '%s'", list, q.decision);
        }
    }
    dr_error err;
    dr_error_clear(&err);
    if (dr_log_query_print(file, &q, stdout, &err) != DR_OK) {
        char buf[1700];
        dr_cli_error("%s", dr_error_format(&err, buf, sizeof buf));
        return DR_EXIT_USAGE;
    }
    return DR_EXIT_OK;
}
