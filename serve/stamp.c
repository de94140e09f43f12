/* A decision's identity: a random id and the time it was made. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "internal.h"
#include "log_db.h"

int dr_stamp_id(char id[33]) {
    unsigned char b[16];
    size_t got = 0;
    /* 16 bytes never come short once the pool is ready; EINTR is the only
     * error worth a retry. Without kernel randomness (a seccomp filter, an
     * old kernel) there is no id worth the name: the request fails. */
    while (got < sizeof b) {
        ssize_t k = getrandom(b + got, sizeof b - got, 0);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) return DR_EIO;
        got += (size_t)k;
    }
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < sizeof b; i++) {
        id[2 * i] = hex[b[i] >> 4];
        id[2 * i + 1] = hex[b[i] & 15];
    }
    id[32] = '\0';
    return DR_OK;
}

int64_t dr_stamp_now_ms(void) { return dr_clock_real_ns() / 1000000; }

void dr_stamp_rfc3339(int64_t ms, char out[48]) {
    /* The log's own formatter: one way to write a time, in the answer as in
     * `docrules log` (a clock before 1970 included). */
    if (dr_logdb_time_format(ms, out) < 0) snprintf(out, 48, "1970-01-01T00:00:00.000Z");
}

void dr_stamp_put(docrules_buf *out, const char *decision, size_t len, const char *id, const char *time) {
    /* The engine writes one object, "{...}" with no space after it. */
    size_t body = len && decision[len - 1] == '}' ? len - 1 : len;
    docrules_buf_put(out, decision, body);
    int empty = body <= 1;
    char tail[128];
    int n = snprintf(tail, sizeof tail, "%s\"decision_id\":\"%s\",\"time\":\"%s\"}", empty ? "" : ",", id, time);
    docrules_buf_put(out, tail, (size_t)n);
}
