/* make bench-serve's rate-limited client: latency at a fixed request rate,
 * what wrk2 measures (Debian has wrk, not wrk2).
 *
 *   serve_load HOST PORT PATH RATE SECONDS CONNECTIONS ACCOUNTS.ndjson [THREADS]
 *
 * Open loop: request k is due at start + k/RATE whatever the server does,
 * and its latency runs from that moment, not from when a connection was
 * free to send it. A server that stalls therefore shows the stall in every
 * request that came due meanwhile (wrk, which waits for an answer before
 * the next request, hides it: "coordinated omission"). The bodies cycle
 * over the file's lines. CONNECTIONS keep-alive connections, spread over
 * THREADS threads (2); a due request waits for a free connection of its
 * thread (and that wait counts). Prints one line:
 *
 *   sent=N done=N late=N non2xx=N errors=N rate=R p50_ms=X p90_ms=X p99_ms=X max_ms=X
 *
 * late: requests due that never got a connection before the end (the rate
 * was not reached: too few connections or a saturated server); errors:
 * connections that failed or closed with a request in flight, and requests
 * unanswered 5 s after the end. Only answers with a Content-Length are
 * understood (both servers of the bench send one). */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

typedef struct conn {
    int fd;
    int busy;           /* a request is out */
    int connecting;
    int out_on;         /* EPOLLOUT is asked for */
    const char *w;      /* what is left to write */
    size_t wlen;
    int64_t due;        /* the request's due time, ns */
    char *r;            /* what was read of the answer */
    size_t rlen, rcap;
} conn;

static struct sockaddr_in addr;
/* Each thread's own: its epoll set, counts and latencies. */
static __thread int ep;
static __thread uint64_t n_errors, n_non2xx, n_done;
static __thread uint32_t *lat_us;
static __thread size_t n_lat, cap_lat;

static int64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static void die(const char *what) {
    fprintf(stderr, "serve_load: %s: %s\n", what, strerror(errno));
    exit(2);
}

static void open_conn(conn *c) {
    c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (c->fd < 0) die("socket");
    int one = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    c->connecting = connect(c->fd, (struct sockaddr *)&addr, sizeof addr) < 0;
    if (c->connecting && errno != EINPROGRESS) die("connect");
    c->busy = 0, c->rlen = 0, c->out_on = 1;
    struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP, .data.ptr = c};
    if (epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev) < 0) die("epoll_ctl");
}

/* A connection that failed or was closed: a request in flight on it is an
 * error (it is not sent again); the connection is made anew. */
static void reopen(conn *c) {
    if (c->busy) n_errors++;
    epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
    open_conn(c);
}

/* Only when it changes: a syscall per request less, at rates where the
 * client's own CPU time matters (it shares the machine with the server). */
static void want_out(conn *c, int on) {
    if (c->out_on == on) return;
    struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP | (on ? EPOLLOUT : 0), .data.ptr = c};
    epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
    c->out_on = on;
}

static void flush_out(conn *c) {
    while (c->wlen) {
        ssize_t k = write(c->fd, c->w, c->wlen);
        if (k < 0 && errno == EAGAIN) return want_out(c, 1);
        if (k <= 0) return reopen(c);
        c->w += k, c->wlen -= (size_t)k;
    }
    want_out(c, 0);
}

/* One whole answer in c->r: its status and length are read, its latency
 * noted. 1 when an answer was complete, 0 when more is to come, -1 when it
 * cannot be understood. */
static int answer_done(conn *c) {
    char *end = memmem(c->r, c->rlen, "\r\n\r\n", 4);
    if (!end) return 0;
    size_t hlen = (size_t)(end - c->r) + 4;
    long status = 0, clen = -1;
    if (c->rlen < 12 || sscanf(c->r, "HTTP/1.%*c %ld", &status) != 1) return -1;
    for (char *p = c->r; p && p < end; p = memchr(p, '\n', (size_t)(end - p))) {
        if (*p == '\n') p++;
        if (strncasecmp(p, "Content-Length:", 15) == 0) clen = strtol(p + 15, NULL, 10);
    }
    if (clen < 0) return -1;
    if (c->rlen < hlen + (size_t)clen) return 0;
    int64_t us = (now_ns() - c->due) / 1000;
    if (n_lat == cap_lat) lat_us = realloc(lat_us, (cap_lat = cap_lat * 2 + 1024) * sizeof *lat_us);
    lat_us[n_lat++] = (uint32_t)(us > UINT32_MAX ? UINT32_MAX : us);
    n_done++;
    if (status < 200 || status > 299) n_non2xx++;
    c->busy = 0;
    size_t rest = c->rlen - hlen - (size_t)clen;
    memmove(c->r, c->r + hlen + clen, rest);
    c->rlen = rest;
    return 1;
}

static void read_in(conn *c) {
    int eof = 0;
    /* One read per readiness: epoll is level-triggered, so whatever is
     * left wakes the loop again (reading until EAGAIN costs a syscall per
     * answer). */
    if (c->rcap - c->rlen < 4096) c->r = realloc(c->r, c->rcap = c->rcap * 2 + 65536);
    ssize_t k = read(c->fd, c->r + c->rlen, c->rcap - c->rlen);
    if (k > 0) c->rlen += (size_t)k;
    else if (k == 0 || errno != EAGAIN) eof = 1;
    /* An answer followed by a close (Connection: close) is an answer. */
    if (c->busy && answer_done(c) < 0) {
        fprintf(stderr, "serve_load: an answer without Content-Length or status line\n");
        exit(2);
    }
    if (eof) reopen(c); /* an error only with a request still out */
}

static int cmp_u32(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

static double pct_ms(double q) {
    if (!n_lat) return 0;
    size_t i = (size_t)(q * (double)n_lat + 0.999999);
    if (i) i--;
    if (i >= n_lat) i = n_lat - 1;
    return lat_us[i] / 1000.0;
}

/* The requests, made up front (sending one is a write), and the run. */
static char **req;
static size_t *reqlen, nreq;
static double secs;
static int64_t t_start;

typedef struct worker {
    int k, nthreads, nconn;
    double rate;                      /* this thread's share */
    uint64_t sent, late, done, non2xx, errors;
    uint32_t *lat;
    size_t nlat;
} worker;

/* One thread: its share of the rate, on its own connections. Thread k of
 * T sends requests k, k+T, k+2T... of the whole schedule, each at its
 * time: together the threads keep the one schedule of RATE. */
static void *run(void *arg) {
    worker *w = arg;
    ep = epoll_create1(EPOLL_CLOEXEC);
    if (ep < 0) die("epoll_create1");
    conn *cs = calloc((size_t)w->nconn, sizeof *cs);
    for (int i = 0; i < w->nconn; i++) open_conn(&cs[i]);
    const int64_t period = (int64_t)(1e9 / w->rate), t0 = t_start + period / w->nthreads * w->k,
                  stop = t_start + (int64_t)(secs * 1e9);
    uint64_t sent = 0, due_total = 0;
    struct epoll_event evs[256];
    for (;;) {
        int64_t t = now_ns();
        /* Requests due by now (none after the end). */
        int64_t upto = t < stop ? t : stop;
        due_total = upto >= t0 ? (uint64_t)(upto - t0) / (uint64_t)period + 1 : 0;
        for (int i = 0; i < w->nconn && sent < due_total; i++) {
            conn *c = &cs[i];
            if (c->busy || c->connecting) continue;
            size_t k = (size_t)(sent * (uint64_t)w->nthreads + (uint64_t)w->k) % nreq;
            c->busy = 1, c->due = t0 + (int64_t)sent * period, c->w = req[k], c->wlen = reqlen[k];
            sent++;
            flush_out(c);
        }
        int out = 0;
        for (int i = 0; i < w->nconn; i++) out += cs[i].busy;
        if (t >= stop && (!out || t >= stop + 5000000000LL)) {
            n_errors += (uint64_t)out; /* unanswered 5 s after the end */
            break;
        }
        /* Sleep until the next request is due or, when due ones wait for a
         * connection (or the run is over), until an answer frees one. */
        int64_t next = t0 + (int64_t)due_total * period;
        if (t >= stop || sent < due_total) next = t + 100000000;
        struct timespec ts = {0, 0};
        if (next > t) ts.tv_sec = (next - t) / 1000000000, ts.tv_nsec = (next - t) % 1000000000;
        int n = epoll_pwait2(ep, evs, 256, &ts, NULL);
        if (n < 0 && errno != EINTR) die("epoll_pwait2");
        for (int i = 0; i < n; i++) {
            conn *c = evs[i].data.ptr;
            if (evs[i].events & (EPOLLERR | EPOLLHUP)) {
                reopen(c);
                continue;
            }
            if (c->connecting && (evs[i].events & EPOLLOUT)) {
                c->connecting = 0;
                want_out(c, 0);
            }
            if (evs[i].events & (EPOLLIN | EPOLLRDHUP)) read_in(c);
            else if (c->busy && c->wlen && (evs[i].events & EPOLLOUT)) flush_out(c);
        }
    }
    w->sent = sent, w->late = due_total - sent, w->done = n_done, w->non2xx = n_non2xx, w->errors = n_errors;
    w->lat = lat_us, w->nlat = n_lat;
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 8 && argc != 9) {
        fprintf(stderr, "usage: serve_load HOST PORT PATH RATE SECONDS CONNECTIONS ACCOUNTS.ndjson [THREADS]\n");
        return 2;
    }
    const char *host = argv[1], *path = argv[3];
    double rate = atof(argv[4]);
    secs = atof(argv[5]);
    int nconn = atoi(argv[6]), nthreads = argc > 8 ? atoi(argv[8]) : 2;
    if (rate <= 0 || secs <= 0 || nconn <= 0 || nthreads <= 0 || inet_pton(AF_INET, host, &addr.sin_addr) != 1) {
        fprintf(stderr, "serve_load: want an IPv4 HOST and RATE, SECONDS, CONNECTIONS, THREADS above 0\n");
        return 2;
    }
    if (nthreads > nconn) nthreads = nconn;
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)atoi(argv[2]));

    FILE *f = fopen(argv[7], "r");
    if (!f) die(argv[7]);
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    while ((len = getline(&line, &cap, f)) > 0 && nreq < 100000) {
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = '\0';
        if (!len) continue;
        req = realloc(req, (nreq + 1) * sizeof *req);
        reqlen = realloc(reqlen, (nreq + 1) * sizeof *reqlen);
        int n = asprintf(&req[nreq], "POST %s HTTP/1.1\r\nHost: %s:%s\r\nContent-Type: application/json\r\n"
                         "Content-Length: %zd\r\n\r\n%s", path, host, argv[2], len, line);
        if (n < 0) die("asprintf");
        reqlen[nreq++] = (size_t)n;
    }
    free(line);
    fclose(f);
    if (!nreq) {
        fprintf(stderr, "serve_load: %s has no account\n", argv[7]);
        return 2;
    }

    /* Threads, like wrk's -t: on a machine the server shares, one thread
     * gets one share of the CPU, and a client that cannot keep up would
     * be measured instead of the server. */
    worker *ws = calloc((size_t)nthreads, sizeof *ws);
    pthread_t *th = calloc((size_t)nthreads, sizeof *th);
    t_start = now_ns();
    for (int k = 0; k < nthreads; k++) {
        ws[k] = (worker){.k = k, .nthreads = nthreads, .rate = rate / nthreads,
                         .nconn = nconn / nthreads + (k < nconn % nthreads)};
        if (pthread_create(&th[k], NULL, run, &ws[k]) != 0) die("pthread_create");
    }
    uint64_t sent = 0, late = 0, done = 0, non2xx = 0, errors = 0;
    for (int k = 0; k < nthreads; k++) {
        pthread_join(th[k], NULL);
        sent += ws[k].sent, late += ws[k].late, done += ws[k].done, non2xx += ws[k].non2xx, errors += ws[k].errors;
        lat_us = realloc(lat_us, (n_lat + ws[k].nlat + 1) * sizeof *lat_us);
        if (ws[k].nlat) memcpy(lat_us + n_lat, ws[k].lat, ws[k].nlat * sizeof *lat_us);
        n_lat += ws[k].nlat;
    }
    double elapsed = (double)(now_ns() - t_start) / 1e9;
    qsort(lat_us, n_lat, sizeof *lat_us, cmp_u32);
    printf("sent=%llu done=%llu late=%llu non2xx=%llu errors=%llu rate=%.0f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f\n",
           (unsigned long long)sent, (unsigned long long)done, (unsigned long long)late,
           (unsigned long long)non2xx, (unsigned long long)errors, (double)done / elapsed, pct_ms(0.50),
           pct_ms(0.90), pct_ms(0.99), n_lat ? lat_us[n_lat - 1] / 1000.0 : 0.0);
    return 0;
}
