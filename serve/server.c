/* dr_serve_run: the listening socket, libmicrohttpd's daemon over it, the
 * generation served and its reloads, and the signals that end or reload
 * the service, waited for with sigwait on the calling thread (every
 * thread the service starts inherits them blocked), so no handler runs
 * and no state is global. */
#define _GNU_SOURCE
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "log.h"

dr_gen *dr_server_gen(dr_server *s) {
    pthread_mutex_lock(&s->mu);
    dr_gen *g = s->gen;
    dr_gen_ref(g);
    pthread_mutex_unlock(&s->mu);
    return g;
}

int dr_server_reload(dr_server *s, char *prev, char *rev, size_t size, docrules_error *err) {
    pthread_mutex_lock(&s->reloading);
    dr_gen *g = NULL, *old = NULL;
    int rc = dr_gen_open(&g, s->o, s->jobs, err);
    char where[1700] = "";
    if (rc < 0) docrules_error_format(err, where, sizeof where);
    pthread_mutex_lock(&s->mu);
    if (rc == DOCRULES_OK) {
        old = s->gen;
        s->gen = g;
        s->reload_failed = 0;
        s->reload_error[0] = '\0';
    } else {
        s->reload_failed = 1;
        snprintf(s->reload_error, sizeof s->reload_error, "%s", where);
    }
    snprintf(prev, size, "%s", old ? old->revision : s->gen->revision);
    snprintf(rev, size, "%s", s->gen->revision);
    pthread_mutex_unlock(&s->mu);
    /* Requests that began on the old one finish on it; the last frees it. */
    if (old) {
        fprintf(stderr, "docrules serve: reloaded: revision %s (was %s), %zu cases passed\n", g->revision, old->revision,
                g->cases);
        dr_gen_unref(old);
    } else {
        fprintf(stderr, "docrules serve: reload failed: %s\n", where);
    }
    dr_metrics_reload(s->metrics, rc == DOCRULES_OK);
    pthread_mutex_unlock(&s->reloading);
    return rc;
}

static void mhd_log(void *cls, const char *fmt, va_list ap) {
    (void)cls;
    char msg[1024];
    vsnprintf(msg, sizeof msg, fmt, ap);
    size_t n = strlen(msg);
    while (n && msg[n - 1] == '\n') msg[--n] = '\0';
    fprintf(stderr, "docrules serve: libmicrohttpd: %s\n", msg);
}

/* The listening socket for "ADDR:PORT" ("[v6]:PORT"), made here rather
 * than by libmicrohttpd so that a port taken says so, and an ephemeral
 * port (0) can be read back. name receives "ADDR:PORT" as bound. */
static int listen_on(const char *spec, int *fd_out, int *v6, char *name, size_t size, dr_error *e) {
    char host[256];
    const char *colon = strrchr(spec, ':');
    if (!colon || colon == spec || !colon[1] || (size_t)(colon - spec) >= sizeof host)
        return dr_error_set(e, DR_EUSAGE, NULL, 0, 0, "--listen wants ADDR:PORT (127.0.0.1:8181, [::1]:8181), not '%s'", spec);
    const char *h = spec;
    size_t hn = (size_t)(colon - spec);
    if (h[0] == '[' && hn >= 2 && h[hn - 1] == ']') {
        h++;
        hn -= 2;
    }
    memcpy(host, h, hn);
    host[hn] = '\0';
    char *end;
    long port = strtol(colon + 1, &end, 10);
    /* digits only: strtol would take " 8181", "+8181" and "-0" */
    if (*end || end == colon + 1 || strspn(colon + 1, "0123456789") != (size_t)(end - colon - 1) || port > 65535)
        return dr_error_set(e, DR_EUSAGE, NULL, 0, 0, "--listen: '%s' is not a port (0 to 65535)", colon + 1);
    struct addrinfo hints = {0}, *ai;
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    int gai = getaddrinfo(host[0] ? host : NULL, colon + 1, &hints, &ai);
    if (gai != 0) return dr_error_set(e, DR_EUSAGE, NULL, 0, 0, "--listen %s: %s", spec, gai_strerror(gai));
    int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    if (fd >= 0) setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (fd >= 0 && ai->ai_family == AF_INET6) setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    if (fd < 0 || bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 || listen(fd, SOMAXCONN) < 0) {
        int why = errno;
        if (fd >= 0) close(fd);
        freeaddrinfo(ai);
        return dr_error_set(e, DR_EUSAGE, NULL, 0, 0, "cannot listen on %s: %s", spec, strerror(why));
    }
    *v6 = ai->ai_family == AF_INET6;
    freeaddrinfo(ai);
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    char addr[INET6_ADDRSTRLEN + 2] = "?", serv[16] = "?";
    if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0)
        getnameinfo((struct sockaddr *)&ss, sl, addr, sizeof addr, serv, sizeof serv, NI_NUMERICHOST | NI_NUMERICSERV);
    snprintf(name, size, *v6 ? "[%s]:%s" : "%s:%s", addr, serv);
    *fd_out = fd;
    return DR_OK;
}

static int online_cores(void) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)(n > 256 ? 256 : n) : 1;
}

/* --drain: after SIGTERM, seconds more of serving as before, but with
 * /healthz answering 503, so that a balancer checking it takes this
 * instance out before it stops accepting (a connection it sent meanwhile
 * is answered, not refused or cut). SIGHUP still reloads; a second
 * SIGTERM, or SIGINT, ends it at once. */
static void drain_first(dr_server *s, const sigset_t *sigs, unsigned seconds) {
    atomic_store(&s->draining, 1);
    fprintf(stderr, "docrules serve: SIGTERM: draining for %u s (/healthz answers 503)\n", seconds);
    int64_t until = dr_clock_mono_ns() + (int64_t)seconds * 1000000000;
    for (;;) {
        int64_t left = until - dr_clock_mono_ns();
        if (left < 0) break;
        struct timespec wait = dr_clock_timespec(left);
        int sig = sigtimedwait(sigs, NULL, &wait);
        if (sig < 0 && errno == EAGAIN) break; /* the time is up */
        if (sig == SIGHUP) dr_reloader_ask(s, NULL);
        else if (sig == SIGTERM || sig == SIGINT) break;
    }
}

/* After SIGTERM (and --drain): no new connection; the requests in flight
 * finish (at most the time limit more), then the daemon stops. */
static void drain(dr_server *s) {
    atomic_store(&s->stopping, 1);
    MHD_socket lfd = MHD_quiesce_daemon(s->d);
    /* Quiesced, libmicrohttpd no longer accepts, but the kernel still
     * would, into the backlog, connections then cut unanswered at the
     * stop: refused now instead, so a client (a balancer) tries elsewhere.
     * The socket itself is closed after MHD_stop_daemon, as MHD asks. */
    if (lfd != MHD_INVALID_SOCKET) shutdown(lfd, SHUT_RDWR);
    /* (drained waits by the wall clock, a condition variable's default) */
    struct timespec until = dr_clock_timespec(dr_clock_real_ns() + (int64_t)s->timeout * 1000000000);
    pthread_mutex_lock(&s->mu);
    int rc = 0;
    while (s->in_flight > 0 && rc != ETIMEDOUT) rc = pthread_cond_timedwait(&s->drained, &s->mu, &until);
    long left = s->in_flight;
    /* From here no request is begun (routes.c): one whose connection was
     * accepted before the quiesce but whose headers come only now would
     * otherwise be decided and logged, then cut unanswered by the stop. */
    s->closed = 1;
    pthread_mutex_unlock(&s->mu);
    if (left) fprintf(stderr, "docrules serve: %ld requests still running after %u s: cut\n", left, s->timeout);
    /* A reload still running ends first and resumes who waits for it:
     * the daemon must not stop with a connection suspended. */
    dr_reloader_stop(s);
    MHD_stop_daemon(s->d);
    s->d = NULL;
}

static void dispose(dr_server *s) {
    /* Every answered decision was queued before its answer: closing
     * writes them all, or says how many it could not. */
    dr_error e;
    if (dr_log_close(s->log, &e) < 0) {
        char buf[1700];
        fprintf(stderr, "docrules serve: decision log: %s\n", dr_error_format(&e, buf, sizeof buf));
    }
    s->log = NULL;
    dr_gen_unref(s->gen);
    dr_metrics_free(s->metrics);
    pthread_cond_destroy(&s->drained);
    pthread_mutex_destroy(&s->reloading);
    pthread_cond_destroy(&s->r_cv);
    pthread_mutex_destroy(&s->rmu);
    pthread_mutex_destroy(&s->mu);
}

int dr_serve_run(const dr_serve_options *o, dr_error *err) {
    if (!o || o->version != DR_SERVE_OPTIONS_VERSION || !o->open)
        return dr_error_set(err, DR_EUSAGE, NULL, 0, 0, "dr_serve_run: options of an unknown version, or no open");
    dr_server s = {0};
    s.o = o;
    s.jobs = o->jobs > 0 ? o->jobs : online_cores();
    s.max_body = o->max_body ? o->max_body : 1024 * 1024;
    s.timeout = o->timeout ? o->timeout : 30;
    pthread_mutex_init(&s.mu, NULL);
    pthread_mutex_init(&s.reloading, NULL);
    pthread_mutex_init(&s.rmu, NULL);
    pthread_cond_init(&s.r_cv, NULL);
    pthread_cond_init(&s.drained, NULL);
    s.metrics = dr_metrics_new();
    /* Blocked before any thread starts, so that each inherits the mask
     * and only sigwait below sees them. SIGPIPE too: a client gone while
     * sendfile writes is an error of that write, not the end. */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGHUP);
    sigaddset(&sigs, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    docrules_error derr;
    int rc = dr_gen_open(&s.gen, o, s.jobs, &derr);
    if (rc < 0) {
        char where[1700];
        dr_error_set(err, rc == DOCRULES_EUSAGE ? DR_EUSAGE : rc, NULL, 0, 0, "%s", docrules_error_format(&derr, where, sizeof where));
        dispose(&s);
        return err ? err->code : rc;
    }
    /* The log before the socket: nothing is answered that it could miss. */
    if (o->log_path && (rc = dr_log_open(&s.log, o->log_path, NULL, err)) < 0) {
        dispose(&s);
        return rc;
    }
    int lfd = -1, v6 = 0;
    char name[300];
    rc = listen_on(o->listen ? o->listen : "127.0.0.1:8181", &lfd, &v6, name, sizeof name, err);
    if (rc < 0) {
        dispose(&s);
        return rc;
    }
    /* A thread pool of one thread per engine: a request runs on one
     * thread from its headers to its answer, so at most jobs engines are
     * lent at once and none waits for another's. ITC: for quiescing;
     * suspend/resume: for POST /v1/reload (reloader.c). */
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ITC | MHD_ALLOW_SUSPEND_RESUME |
                     MHD_USE_ERROR_LOG | (v6 ? MHD_USE_IPv6 : 0);
    struct MHD_OptionItem opts[8];
    size_t n = 0;
    opts[n++] = (struct MHD_OptionItem){MHD_OPTION_LISTEN_SOCKET, lfd, NULL};
    opts[n++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_TIMEOUT, s.timeout, NULL};
    opts[n++] = (struct MHD_OptionItem){MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)dr_routes_completed, &s};
    /* One thread is the daemon's own, not a pool of one. */
    if (s.jobs > 1) opts[n++] = (struct MHD_OptionItem){MHD_OPTION_THREAD_POOL_SIZE, s.jobs, NULL};
    /* Past it libmicrohttpd accepts no more: a new connection waits in the
     * kernel's backlog until one ends (README). */
    if (o->max_connections) opts[n++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_LIMIT, o->max_connections, NULL};
    opts[n] = (struct MHD_OptionItem){MHD_OPTION_END, 0, NULL};
    s.d = MHD_start_daemon(flags, 0, NULL, NULL, dr_routes_handle, &s,
                           /* first, or MHD says its first words itself */
                           MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL, MHD_OPTION_ARRAY, opts, MHD_OPTION_END);
    if (!s.d) {
        close(lfd);
        dispose(&s);
        return dr_error_set(err, DR_EUSAGE, NULL, 0, 0, "libmicrohttpd would not start on %s", name);
    }
    if ((rc = dr_reloader_start(&s, err)) < 0 || (o->watch && (rc = dr_watch_start(&s.watch, &s, err)) < 0)) {
        dr_reloader_stop(&s);
        MHD_stop_daemon(s.d);
        close(lfd);
        dispose(&s);
        return rc;
    }
    /* The daemon runs: a reload may already have swapped the generation. */
    dr_gen *g = dr_server_gen(&s);
    fprintf(stderr, "docrules serve: listening on http://%s (revision %s, %d workers)\n", name, g->revision, s.jobs);
    dr_gen_unref(g);
    for (;;) {
        int sig;
        if (sigwait(&sigs, &sig) != 0) continue;
        if (sig == SIGHUP) {
            dr_reloader_ask(&s, NULL);
        } else if (sig != SIGPIPE) {
            if (sig == SIGTERM && o->drain) drain_first(&s, &sigs, o->drain);
            break;
        }
    }
    /* No reload while the requests drain. */
    dr_watch_stop(s.watch);
    drain(&s);
    close(lfd);
    dispose(&s);
    /* The mask stays: a SIGPIPE still pending would end the process. */
    return DR_OK;
}
