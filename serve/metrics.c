/* The service's counters, in Prometheus' text format 0.0.4. One mutex:
 * a request takes it once, when it is answered, for a few additions. */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/alloc.h"
#include "internal.h"

#define NROUTES DR_ROUTES
/* Seconds: a decision takes a tenth of a millisecond or less, a batch or
 * a reload seconds. The buckets under 0.5 ms tell the server's own tail
 * from a client's (bench/serve_rates.sh sets the two side by side). */
static const double bounds[] = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
#define NBOUNDS (sizeof bounds / sizeof *bounds)

typedef struct counter {
    unsigned route, status;
    char decision[32];
    unsigned long long n;
} counter;

struct dr_metrics {
    pthread_mutex_t mu;
    counter *c;                /* one per route, status and decision seen */
    size_t nc, cap;
    unsigned long long hist[NROUTES][NBOUNDS + 1], count[NROUTES];
    double sum[NROUTES];
    unsigned long long reloads_ok, reloads_failed;
};

dr_metrics *dr_metrics_new(void) {
    dr_metrics *m = dr_xcalloc(1, sizeof *m);
    pthread_mutex_init(&m->mu, NULL);
    return m;
}

void dr_metrics_free(dr_metrics *m) {
    if (!m) return;
    pthread_mutex_destroy(&m->mu);
    free(m->c);
    free(m);
}

void dr_metrics_request(dr_metrics *m, enum dr_route route, unsigned status, const char *decision, double seconds) {
    unsigned r = (unsigned)route < NROUTES ? (unsigned)route : DR_R_OTHER;
    pthread_mutex_lock(&m->mu);
    size_t i = 0;
    while (i < m->nc && !(m->c[i].route == r && m->c[i].status == status && strcmp(m->c[i].decision, decision) == 0))
        i++;
    if (i == m->nc) {
        if (m->nc == m->cap) {
            m->cap = m->cap ? m->cap * 2 : 32;
            m->c = dr_xrealloc(m->c, m->cap * sizeof *m->c);
        }
        m->c[i] = (counter){r, status, "", 0};
        snprintf(m->c[i].decision, sizeof m->c[i].decision, "%s", decision);
        m->nc++;
    }
    m->c[i].n++;
    size_t b = 0;
    while (b < NBOUNDS && seconds > bounds[b]) b++;
    m->hist[r][b]++;
    m->count[r]++;
    m->sum[r] += seconds;
    pthread_mutex_unlock(&m->mu);
}

void dr_metrics_reload(dr_metrics *m, int ok) {
    pthread_mutex_lock(&m->mu);
    if (ok) m->reloads_ok++;
    else m->reloads_failed++;
    pthread_mutex_unlock(&m->mu);
}

static void put(docrules_buf *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(docrules_buf *out, const char *fmt, ...) {
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (n > 0) docrules_buf_put(out, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}

/* A label value as the format wants it: \, " and newline escaped. The
 * decisions and revisions are tokens, but a rule script names decisions. */
static void label(char *out, size_t size, const char *v) {
    size_t n = 0;
    for (; *v && n + 3 < size; v++) {
        if (*v == '\\' || *v == '"') out[n++] = '\\';
        if (*v == '\n') {
            out[n++] = '\\';
            out[n++] = 'n';
            continue;
        }
        out[n++] = *v;
    }
    out[n] = '\0';
}

void dr_metrics_render(dr_metrics *m, docrules_buf *out, const char *revision, int reload_ok, long in_flight, long log_depth) {
    char v[80];
    pthread_mutex_lock(&m->mu);
    put(out, "# HELP docrules_requests_total Requests answered, by route, HTTP status and decision.\n"
             "# TYPE docrules_requests_total counter\n");
    for (size_t i = 0; i < m->nc; i++) {
        label(v, sizeof v, m->c[i].decision);
        put(out, "docrules_requests_total{route=\"%s\",status=\"%u\",decision=\"%s\"} %llu\n", dr_route_path(m->c[i].route),
            m->c[i].status, v, m->c[i].n);
    }
    put(out, "# HELP docrules_request_duration_seconds Time from a request's headers to its answer.\n"
             "# TYPE docrules_request_duration_seconds histogram\n");
    for (size_t r = 0; r < NROUTES; r++) {
        if (!m->count[r]) continue;
        unsigned long long cum = 0;
        for (size_t b = 0; b < NBOUNDS; b++) {
            cum += m->hist[r][b];
            put(out, "docrules_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %llu\n", dr_route_path(r), bounds[b], cum);
        }
        put(out, "docrules_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %llu\n", dr_route_path(r), m->count[r]);
        put(out, "docrules_request_duration_seconds_sum{route=\"%s\"} %.6f\n", dr_route_path(r), m->sum[r]);
        put(out, "docrules_request_duration_seconds_count{route=\"%s\"} %llu\n", dr_route_path(r), m->count[r]);
    }
    put(out, "# HELP docrules_reloads_total Reloads of the rules and corpus, by result.\n"
             "# TYPE docrules_reloads_total counter\n"
             "docrules_reloads_total{result=\"ok\"} %llu\n"
             "docrules_reloads_total{result=\"failed\"} %llu\n",
        m->reloads_ok, m->reloads_failed);
    pthread_mutex_unlock(&m->mu);
    put(out, "# HELP docrules_last_reload_ok 0 while the last reload failed (the revision before it is served).\n"
             "# TYPE docrules_last_reload_ok gauge\n"
             "docrules_last_reload_ok %d\n", reload_ok);
    /* What SIGTERM waits for (server.c drain): a request counts from its
     * headers, so this one is among them. */
    put(out, "# HELP docrules_requests_in_flight Requests begun and not yet answered, this one included.\n"
             "# TYPE docrules_requests_in_flight gauge\n"
             "docrules_requests_in_flight %ld\n", in_flight);
    put(out, "# HELP docrules_log_queue_depth Decision log entries queued and not yet written.\n"
             "# TYPE docrules_log_queue_depth gauge\n"
             "docrules_log_queue_depth %ld\n", log_depth);
    label(v, sizeof v, revision);
    put(out, "# HELP docrules_revision_info The revision of the rules and corpus served.\n"
             "# TYPE docrules_revision_info gauge\n"
             "docrules_revision_info{revision=\"%s\"} 1\n", v);
}
