/* The scaling-out examples of examples/ run as their READMEs say: Dask
 * (examples/dask), systemd (examples/systemd), haproxy (examples/haproxy).
 * Each is skipped, saying which package it needs, when that is missing; in CI
 * (CI=true), which installs them all, that is a failure (testutil.h). */
#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <strings.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"
#include "netutil.h"

/* A folder of one test's own in the suite's scratch folder (freed by the
 * test; the scratch folder's teardown removes what is in it). */
static char *scratch(void) {
    char buf[256];
    char *d = strdup(scratch_mkdtemp(buf, sizeof buf, "examples"));
    if (!d) abort(); /* not fail(): the compiler must see d is not NULL after */
    return d;
}

/* examples/dask/run.py cuts a file into pieces, runs docrules batch on each
 * on a LocalCluster of two worker processes, and joins the outputs: that
 * must be byte for byte what one batch over the file prints. The file is
 * 3,000 realistic accounts with the 15 bad lines of accounts-bad.ndjson
 * twice among them, so that a bad line's answer ({"line":N}) falls in a
 * later piece and must carry its line number in the file, not in the
 * piece. 64 KiB pieces of the ~820 KB file: a dozen pieces. */
static void dask_pieces_print_what_one_batch_prints(void **state) {
    (void)state;
    if (sh("/usr/bin/python3 -c 'import distributed' >/dev/null 2>&1") != 0) {
        skip_unless_ci("/usr/bin/python3 cannot import distributed (Debian package python3-distributed)");
    }
    char *d = scratch();
    assert_int_equal(sh("cd '%s' && /usr/bin/python3 bench/gen_realistic.py 3000 %s/gen.ndjson 7 && "
                        "{ head -1000 %s/gen.ndjson; cat tests/fixtures/accounts-bad.ndjson; "
                        "sed -n 1001,2000p %s/gen.ndjson; cat tests/fixtures/accounts-bad.ndjson; "
                        "sed -n '2001,$p' %s/gen.ndjson; } > %s/in.ndjson",
                        DR_TOP, d, d, d, d, d), 0);
    size_t nin = 0, nbad = 0, none = 0, nmany = 0;
    char path[512];
    snprintf(path, sizeof path, "%s/in.ndjson", d);
    char *in = slurp(path, &nin);
    char *bad = slurp(DR_TOP "/tests/fixtures/accounts-bad.ndjson", &nbad);
    assert_non_null(in);
    assert_non_null(bad);
    size_t lines = count_lines(in, nin);
    assert_int_equal(lines, 3000 + 2 * count_lines(bad, nbad));
    /* Same rules, corpus and day for both; relative paths, as a user in the
     * project's folder would give them (and as decisions cite them). */
    assert_int_equal(sh("cd '%s' && DOCRULES_TODAY=2026-06-01 '%s/docrules' batch --rules rules --corpus corpus "
                        "< %s/in.ndjson > %s/one.ndjson", DR_TOP, DR_BUILD, d, d), 0);
    assert_int_equal(sh("cd '%s' && DOCRULES_TODAY=2026-06-01 /usr/bin/python3 examples/dask/run.py %s/in.ndjson "
                        "--docrules '%s/docrules' --rules rules --corpus corpus --blocksize 64KiB "
                        "> %s/many.ndjson 2> %s/many.err", DR_TOP, d, DR_BUILD, d, d), 0);
    snprintf(path, sizeof path, "%s/one.ndjson", d);
    char *one = slurp(path, &none);
    snprintf(path, sizeof path, "%s/many.ndjson", d);
    char *many = slurp(path, &nmany);
    snprintf(path, sizeof path, "%s/many.err", d);
    char *err = slurp(path, NULL);
    assert_non_null(one);
    assert_non_null(many);
    assert_non_null(err);
    printf("dask: %s", err ? err : "(nothing on stderr)\n");
    /* Really cut: more than one piece, on both workers. */
    unsigned nl, pieces, workers;
    const char *said = strstr(err, "dask/run.py: ");
    assert_non_null(said);
    assert_int_equal(sscanf(said, "dask/run.py: %u lines in %u pieces on %u workers", &nl, &pieces, &workers), 3);
    assert_int_equal(nl, lines);
    assert_true(pieces >= 8);
    assert_int_equal(workers, 2);
    assert_int_equal(count_lines(one, none), lines);
    assert_true(none > lines * 100); /* decisions, not empty lines */
    assert_non_null(strstr(one, "\"decision\":\"allow\""));
    assert_non_null(strstr(one, "{\"line\":2030,")); /* the second copy's empty line, pieces after the first */
    assert_int_equal(nmany, none);
    assert_memory_equal(many, one, none);
    free(in), free(bad), free(one), free(many), free(err);
    assert_int_equal(sh("rm -rf '%s'", d), 0);
    free(d);
}

/* examples/systemd/docrules.service as systemd reads it. systemd-analyze
 * verify exits 0 even for an unknown key or a bad value (it says
 * "FILE:LINE: ..., ignoring"), so the test wants it silent too. The
 * binary it names must exist, so a copy names the one just built. Then
 * the sandbox as a number: systemd-analyze security --offline scores the
 * unit's exposure (0 to 10; 1.4 as written); over 2.0 means an option such
 * as DynamicUser or ProtectSystem was lost. */
static void systemd_unit_verifies(void **state) {
    (void)state;
    if (sh("command -v systemd-analyze >/dev/null 2>&1") != 0) {
        skip_unless_ci("no systemd-analyze (Debian package systemd)");
    }
    char *d = scratch();
    assert_int_equal(sh("sed 's#/usr/local/bin/docrules#%s/docrules#' '%s/examples/systemd/docrules.service' "
                        "> %s/docrules.service", DR_BUILD, DR_TOP, d), 0);
    assert_int_equal(sh("grep -q '^ExecStart=%s/docrules serve' %s/docrules.service", DR_BUILD, d), 0);
    assert_int_equal(sh("systemd-analyze verify --man=no %s/docrules.service > %s/verify.out 2>&1", d, d), 0);
    char path[512];
    snprintf(path, sizeof path, "%s/verify.out", d);
    size_t n = 0;
    char *out = slurp(path, &n);
    assert_non_null(out);
    if (n) printf("systemd-analyze verify said:\n%s", out);
    assert_int_equal(n, 0);
    free(out);
    if (sh("systemd-analyze security --help 2>/dev/null | grep -q -- --offline") == 0) {
        int rc = sh("systemd-analyze security --offline=yes --threshold=20 %s/docrules.service > %s/security.out 2>&1", d, d);
        if (rc != 0) sh("tail -3 %s/security.out", d);
        assert_int_equal(rc, 0);
    } else {
        printf("systemd-analyze has no security --offline (systemd < 252): exposure not scored\n");
    }
    assert_int_equal(sh("rm -rf '%s'", d), 0);
    free(d);
}

/* The unit sets MemoryDenyWriteExecute=yes and DOCRULES_PCRE2_JIT=0, and
 * says PCRE2 would fall back to its interpreter anyway. Checked without
 * systemd: the kernel's own W^X switch (prctl PR_SET_MDWE, Linux 6.3),
 * what the option asks for, under which `docrules facts` (every pattern
 * over the bundled corpus) must print what it prints unconfined, with the
 * JIT asked for and with it off. */
#ifndef PR_SET_MDWE
#define PR_SET_MDWE 65
#define PR_MDWE_REFUSE_EXEC_GAIN 1
#endif
static int facts_under_mdwe(const char *jit, const char *out) {
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (prctl(PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN, 0L, 0L, 0L) != 0) _exit(errno == EINVAL ? 77 : 78);
        if (!freopen(out, "w", stdout) || chdir(DR_TOP) != 0) _exit(79);
        setenv("DOCRULES_PCRE2_JIT", jit, 1);
        execl(DR_BUILD "/docrules", "docrules", "facts", "--format", "json", (char *)NULL);
        _exit(80);
    }
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static void patterns_read_the_same_without_write_execute(void **state) {
    (void)state;
    char *d = scratch();
    char free_out[512], jit_out[512], nojit_out[512];
    snprintf(free_out, sizeof free_out, "%s/free.json", d);
    snprintf(jit_out, sizeof jit_out, "%s/jit.json", d);
    snprintf(nojit_out, sizeof nojit_out, "%s/nojit.json", d);
    int rc = facts_under_mdwe("1", jit_out);
    if (rc == 77) {
        sh("rm -rf '%s'", d);
        free(d);
        printf("skipped: this kernel has no PR_SET_MDWE (Linux >= 6.3)\n");
        skip();
    }
    assert_int_equal(rc, 0);
    assert_int_equal(facts_under_mdwe("0", nojit_out), 0);
    assert_int_equal(sh("cd '%s' && '%s/docrules' facts --format json > %s", DR_TOP, DR_BUILD, free_out), 0);
    size_t nf = 0, nj = 0, nn = 0;
    char *f = slurp(free_out, &nf), *j = slurp(jit_out, &nj), *nj_ = slurp(nojit_out, &nn);
    assert_true(nf > 1000);
    assert_non_null(strstr(f, "online_cancel_max_licenses"));
    assert_int_equal(nj, nf);
    assert_memory_equal(j, f, nf);
    assert_int_equal(nn, nf);
    assert_memory_equal(nj_, f, nf);
    free(f), free(j), free(nj_);
    assert_int_equal(sh("rm -rf '%s'", d), 0);
    free(d);
}

/* ---- haproxy in front of two docrules serve (examples/haproxy) ---- */

#define HX_N 2000       /* requests, each a distinct account id */
#define HX_CLIENTS 4    /* client threads, one request out each */

typedef struct hx_answer {
    int status;         /* 0: the client's connection failed */
    int server;         /* 1 or 2: X-Docrules-Server */
    long rank;          /* the order answers came back in */
    char decision_id[40];
} hx_answer;

typedef struct hx_run {
    int port;
    atomic_int resent;  /* see hx_client */
    char *bodies[HX_N];
    hx_answer ans[HX_N];
    atomic_int next;
    atomic_long done;
} hx_run;

/* One request on fd, its answer into *an. 0; -2 when the connection was
 * closed before a byte of answer came; -1 for any other failure. */
static int hx_exchange(int fd, const char *body, hx_answer *an) {
    char head[256];
    int hl = snprintf(head, sizeof head, "POST /v1/decide HTTP/1.1\r\nHost: lb\r\nContent-Type: application/json\r\n"
                      "Content-Length: %zu\r\n\r\n", strlen(body));
    /* MSG_NOSIGNAL: a closed connection is a failed request, not SIGPIPE. */
    if (send(fd, head, (size_t)hl, MSG_NOSIGNAL) != hl ||
        send(fd, body, strlen(body), MSG_NOSIGNAL) != (ssize_t)strlen(body))
        return -1;
    char buf[65536];
    size_t n = 0;
    char *end = NULL;
    long clen = -1;
    for (;;) {
        ssize_t k = read(fd, buf + n, sizeof buf - 1 - n);
        if (k <= 0) return k == 0 && n == 0 ? -2 : -1;
        n += (size_t)k;
        buf[n] = '\0';
        if (!end && (end = strstr(buf, "\r\n\r\n"))) {
            for (char *h = buf; h && h < end; h = strchr(h, '\n')) {
                if (*h == '\n') h++;
                if (strncasecmp(h, "Content-Length:", 15) == 0) clen = strtol(h + 15, NULL, 10);
                if (strncasecmp(h, "X-Docrules-Server: s", 20) == 0) an->server = h[20] - '0';
            }
            if (clen < 0) return -1;
        }
        if (end && n >= (size_t)(end + 4 - buf) + (size_t)clen) break;
        if (n == sizeof buf - 1) return -1;
    }
    an->status = (int)strtol(buf + 9, NULL, 10);
    json_t *j = json_loads(end + 4, JSON_DISABLE_EOF_CHECK, NULL);
    const char *id = j ? json_string_value(json_object_get(j, "decision_id")) : NULL;
    if (id) snprintf(an->decision_id, sizeof an->decision_id, "%s", id);
    json_decref(j);
    return 0;
}

/* GET /healthz through haproxy: the instance that answered 200 (1 or 2),
 * or minus the status (-1 when there was none). */
static int hx_healthz(int port) {
    int fd = tcp_dial(port, 30);
    if (fd < 0) return -1;
    const char *req = "GET /healthz HTTP/1.1\r\nHost: lb\r\nConnection: close\r\n\r\n";
    if (send(fd, req, strlen(req), MSG_NOSIGNAL) != (ssize_t)strlen(req)) {
        close(fd);
        return -1;
    }
    char buf[8192];
    size_t n = 0;
    ssize_t k;
    while (n < sizeof buf - 1 && (k = read(fd, buf + n, sizeof buf - 1 - n)) > 0) n += (size_t)k;
    close(fd);
    buf[n] = '\0';
    int status = n > 12 ? (int)strtol(buf + 9, NULL, 10) : 0;
    if (status != 200) return status ? -status : -1;
    for (const char *h = strchr(buf, '\n'); h; h = strchr(h, '\n'))
        if (strncasecmp(++h, "X-Docrules-Server: s", 20) == 0) return h[20] - '0';
    return -1;
}

/* A client thread: one keep-alive connection to haproxy, one request out
 * at a time. A failed request is a failure, with one exception: a
 * kept-alive connection closed before a byte of answer, on which HTTP/1.1
 * lets a client send the request again on a new connection. haproxy 2.6
 * answers that way when a server resets its connection instead of
 * answering or closing it (it retries on the other server a connection
 * refused or closed unanswered, not one reset: see haproxy.cfg): what the
 * kernel does to a connection whose request the server had not read yet
 * when it was killed, or when it stopped. Only requests in flight at the
 * kill can meet it. */
static void *hx_client(void *arg) {
    hx_run *r = arg;
    int fd = tcp_dial(r->port, 30), used = 0;
    for (int i; (i = atomic_fetch_add(&r->next, 1)) < HX_N;) {
        hx_answer *an = &r->ans[i];
        int rc = fd < 0 ? -1 : hx_exchange(fd, r->bodies[i], an);
        if (rc == -2 && used) {
            close(fd);
            fd = tcp_dial(r->port, 30), used = 0;
            memset(an, 0, sizeof *an);
            atomic_fetch_add(&r->resent, 1);
            rc = fd < 0 ? -1 : hx_exchange(fd, r->bodies[i], an);
        }
        used++;
        if (rc < 0) {
            an->status = 0;
            if (fd >= 0) close(fd);
            fd = tcp_dial(r->port, 30), used = 0;
        }
        an->rank = atomic_fetch_add(&r->done, 1);
    }
    if (fd >= 0) close(fd);
    return NULL;
}

/* run.sh's process group (the servers and haproxy are in it), for the
 * teardown to stop when a test failed half-way. */
static pid_t hx_group;

static int hx_teardown(void **state) {
    (void)state;
    if (hx_group > 0) {
        kill(hx_group, SIGTERM); /* run.sh stops them all */
        for (int i = 0; i < 100 && waitpid(hx_group, NULL, WNOHANG) == 0; i++) usleep(100000);
        kill(-hx_group, SIGKILL);
        waitpid(hx_group, NULL, WNOHANG);
        hx_group = 0;
    }
    return 0;
}

static long pid_in(const char *dir, const char *name) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s.pid", dir, name);
    char *s = slurp(path, NULL);
    assert_non_null(s);
    long p = strtol(s, NULL, 10);
    free(s);
    return p;
}

/* `docrules log FILE`: decision_id -> account id, and how many times each
 * decision_id is there. */
static json_t *log_entries(const char *dir, const char *name) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s.ndjson", dir, name);
    assert_int_equal(sh("'%s/docrules' log %s/%s.db > %s", DR_BUILD, dir, name, path), 0);
    size_t n = 0;
    char *s = slurp(path, &n);
    assert_non_null(s);
    json_t *all = json_array();
    for (char *line = strtok(s, "\n"); line; line = strtok(NULL, "\n")) {
        json_t *e = json_loads(line, 0, NULL);
        assert_non_null(e);
        assert_non_null(json_string_value(json_object_get(e, "decision_id")));
        json_array_append_new(all, e);
    }
    free(s);
    return all;
}

/* Two servers, haproxy in front (examples/haproxy/run.sh), HX_N requests of
 * distinct accounts from HX_CLIENTS threads; once a third are answered, s1
 * gets sig. Every request must be answered 200, by a decision of its own.
 * What the logs then hold (`docrules log`) depends on the signal:
 *
 * SIGTERM: s1 finishes what it is deciding and flushes its log. The two
 * logs hold exactly the acknowledged decisions, each once, each in the log
 * of the server that answered it: none lost, none twice, none unanswered.
 * A request whose kept-alive connection haproxy closed unanswered is sent
 * once more, as HTTP lets a client (hx_client), and at most the requests
 * in flight at the kill (HX_CLIENTS) are; the logs then show the first
 * attempt was not decided.
 *
 * SIGKILL: s1 dies at once, which no server can survive without a sync
 * write per request (docrules queues each entry before answering and
 * writes the queue in batches). What is still true, and checked:
 * - none twice: no decision_id is in the logs twice;
 * - every decision of s2 (stopped with SIGTERM) is in its log, once;
 * - what s1 lost is a tail: entries s1 acknowledged but had not written.
 *   Entries are written in the order they were queued, so a lost entry
 *   has only lost entries queued after it; seen from the client, at most
 *   HX_CLIENTS - 1 logged entries can come back after the first lost one
 *   (those already answered but still on their way when it was);
 * - unanswered decisions: s1 may have logged a decision and died before
 *   sending it; haproxy then sent the request to s2 (retry-on
 *   empty-response). Such an entry has a decision_id nobody received, its
 *   account has its acknowledged decision from s2, and there can be no
 *   more of them than requests in flight at the kill (HX_CLIENTS). */
static void haproxy_failover(int sig, int drain) {
    if (sh("command -v haproxy >/dev/null 2>&1") != 0) {
        skip_unless_ci("no haproxy (Debian package haproxy)");
    }
    char *d = scratch();
    hx_run *r = calloc(1, sizeof *r);
    assert_non_null(r);
    r->port = free_port();
    /* The examples' five accounts, each with HX_N distinct ids. */
    const char *ex[] = {"office365-30-licenses", "azure-2017-account-admin", "azure-reactivate-late",
                        "close-account-half-done", "office365-trial"};
    for (int i = 0; i < HX_N; i++) {
        char path[512], id[32];
        snprintf(path, sizeof path, "%s/examples/%s.json", DR_TOP, ex[i % 5]);
        json_t *a = json_load_file(path, 0, NULL);
        assert_non_null(a);
        snprintf(id, sizeof id, "hx-%05d", i);
        json_object_set_new(a, "id", json_string(id));
        r->bodies[i] = json_dumps(a, JSON_COMPACT);
        json_decref(a);
    }
    pid_t run = fork();
    assert_true(run >= 0);
    if (run == 0) {
        char lb[64], out[512];
        snprintf(lb, sizeof lb, "127.0.0.1:%d", r->port);
        snprintf(out, sizeof out, "%s/run.out", d);
        setenv("DOCRULES_LB", lb, 1);
        setenv("DOCRULES_TODAY", "2026-06-01", 1);
        if (chdir(DR_TOP) != 0 || !freopen(out, "w", stdout)) _exit(99);
        setpgid(0, 0);
        execlp("sh", "sh", "examples/haproxy/run.sh", d, DR_BUILD "/docrules", "--", "-j", "2", "--rules", "rules",
               "--corpus", "corpus", drain ? "--drain" : NULL, "3", (char *)NULL);
        _exit(98);
    }
    hx_group = run;
    setpgid(run, run);
    char out[512];
    snprintf(out, sizeof out, "%s/run.out", d);
    for (int i = 0;; i++) {
        char *o = slurp(out, NULL);
        int up = o && strstr(o, "haproxy: listening on");
        free(o);
        if (up) break;
        int st;
        if (i > 600 || waitpid(run, &st, WNOHANG) == run) {
            sh("cat %s/*.err", d);
            fail_msg("examples/haproxy/run.sh did not start");
        }
        usleep(100000);
    }
    pthread_t t[HX_CLIENTS];
    for (int i = 0; i < HX_CLIENTS; i++) assert_int_equal(pthread_create(&t[i], NULL, hx_client, r), 0);
    while (atomic_load(&r->done) < HX_N / 3) usleep(1000);
    long s1 = pid_in(d, "s1");
    assert_int_equal(kill((pid_t)s1, sig), 0);
    struct timespec k0, k1;
    clock_gettime(CLOCK_MONOTONIC, &k0);
    long killed_at = atomic_load(&r->done);
    for (int i = 0; i < HX_CLIENTS; i++) pthread_join(t[i], NULL);
    if (drain) {
        /* Past two of haproxy's checks of s1 (every 500 ms, two failures
         * take it out), still in its 3 s of drain: haproxy sends nothing
         * more to s1, which would answer 503 "draining". */
        clock_gettime(CLOCK_MONOTONIC, &k1);
        double since = (double)(k1.tv_sec - k0.tv_sec) + (double)(k1.tv_nsec - k0.tv_nsec) / 1e9;
        if (since < 2) usleep((useconds_t)((2 - since) * 1e6));
        for (int k = 0; k < 10; k++) assert_int_equal(hx_healthz(r->port), 2);
    }
    /* run.sh stops haproxy, then s2 (and s1, after SIGTERM already gone)
     * with SIGTERM, and waits for them. */
    kill(run, SIGTERM);
    int st;
    assert_int_equal(waitpid(run, &st, 0), run);
    hx_group = 0;

    unsigned by[3] = {0, 0, 0};
    json_t *acked = json_object(); /* decision_id -> index */
    for (int i = 0; i < HX_N; i++) {
        hx_answer *an = &r->ans[i];
        if (an->status != 200) fail_msg("request %d (%s) answered %d", i, r->bodies[i], an->status);
        assert_int_equal(strlen(an->decision_id), 32);
        assert_true(an->server == 1 || an->server == 2);
        by[an->server]++;
        assert_null(json_object_get(acked, an->decision_id)); /* two answers, one decision */
        json_object_set_new(acked, an->decision_id, json_integer(i));
    }
    json_t *log[3] = {NULL, log_entries(d, "s1"), log_entries(d, "s2")};
    json_t *seen = json_object();
    unsigned lost = 0, unanswered = 0, after_lost = 0;
    long first_lost = -1;
    for (int s = 1; s <= 2; s++) {
        size_t k;
        json_t *e;
        json_array_foreach(log[s], k, e) {
            const char *id = json_string_value(json_object_get(e, "decision_id"));
            assert_null(json_object_get(seen, id)); /* none twice */
            json_object_set_new(seen, id, json_integer(s));
            json_t *ix = json_object_get(acked, id);
            if (ix) {
                int i = (int)json_integer_value(ix);
                assert_int_equal(r->ans[i].server, s); /* in the log of the server that answered */
                json_t *acct = json_loads(r->bodies[i], 0, NULL);
                assert_string_equal(json_string_value(json_object_get(e, "account_id")),
                                    json_string_value(json_object_get(acct, "id")));
                json_decref(acct);
                continue;
            }
            /* A decision nobody received: only from the killed server,
             * and its account was answered by the other. */
            unanswered++;
            if (sig == SIGTERM) fail_msg("%s is in %s's log but was never answered", id, s == 1 ? "s1" : "s2");
            assert_int_equal(s, 1);
            const char *acct = json_string_value(json_object_get(e, "account_id"));
            assert_non_null(acct);
            int i = atoi(acct + 3);
            assert_int_equal(r->ans[i].server, 2);
        }
    }
    for (int i = 0; i < HX_N; i++) {
        hx_answer *an = &r->ans[i];
        if (json_object_get(seen, an->decision_id)) continue;
        if (sig == SIGTERM || an->server == 2)
            fail_msg("decision %s (request %d, answered by s%d) is in no log", an->decision_id, i, an->server);
        lost++;
        if (first_lost < 0 || an->rank < first_lost) first_lost = an->rank;
    }
    if (first_lost >= 0)
        for (int i = 0; i < HX_N; i++)
            if (r->ans[i].server == 1 && r->ans[i].rank > first_lost && json_object_get(seen, r->ans[i].decision_id))
                after_lost++;
    printf("haproxy, %s to s1 after %ld answers: %d requests all 200 (s1 %u, s2 %u; %d sent again by the client); "
           "logs: %zu + %zu entries, %u acknowledged but lost, %u logged but never answered\n",
           sig == SIGTERM ? "SIGTERM" : "SIGKILL", killed_at, HX_N, by[1], by[2], atomic_load(&r->resent),
           json_array_size(log[1]), json_array_size(log[2]), lost, unanswered);
    assert_true(by[1] > 0 && by[2] > 0);
    assert_true(after_lost <= HX_CLIENTS - 1);
    assert_true(atomic_load(&r->resent) <= HX_CLIENTS);
    assert_true(unanswered <= HX_CLIENTS);
    if (sig == SIGTERM) assert_int_equal(json_array_size(log[1]) + json_array_size(log[2]), HX_N);
    /* With --drain 3, haproxy's checks (every 500 ms, out after two 503s)
     * take s1 out while it still answers: no connection of it is refused
     * or cut, so no client has to send a request again. */
    if (drain) assert_int_equal(atomic_load(&r->resent), 0);
    /* ...and it went on answering after SIGTERM: more than its half of
     * what came before the kill and of what was in flight then. */
    if (drain) assert_true(by[1] > killed_at / 2 + HX_CLIENTS);

    json_decref(log[1]), json_decref(log[2]), json_decref(seen), json_decref(acked);
    for (int i = 0; i < HX_N; i++) free(r->bodies[i]);
    free(r);
    assert_int_equal(sh("rm -rf '%s'", d), 0);
    free(d);
}

/* The unit's service as the unit runs it: no writable and executable
 * memory (PR_SET_MDWE, what MemoryDenyWriteExecute= asks for) and
 * DOCRULES_PCRE2_JIT=0. docrules serve starts, answers a decision,
 * reloads on SIGHUP, stops on SIGTERM with exit 0, and its log holds the
 * decision: nothing it links (libmicrohttpd, SQLite, Lua) needs W+X. */
static void serve_runs_without_write_execute(void **state) {
    (void)state;
    char *d = scratch();
    char err[512], db[512];
    snprintf(err, sizeof err, "%s/serve.err", d);
    snprintf(db, sizeof db, "%s/decisions.sqlite", d);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (prctl(PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN, 0L, 0L, 0L) != 0) _exit(errno == EINVAL ? 77 : 78);
        if (!freopen(err, "w", stderr) || chdir(DR_TOP) != 0) _exit(79);
        setenv("DOCRULES_PCRE2_JIT", "0", 1);
        execl(DR_BUILD "/docrules", "docrules", "serve", "--listen", "127.0.0.1:0", "-j", "2", "--rules", "rules",
              "--corpus", "corpus", "--log", db, (char *)NULL);
        _exit(80);
    }
    int port = 0, st;
    for (int i = 0; i < 600 && !port; i++) {
        if (waitpid(pid, &st, WNOHANG) == pid) {
            if (WIFEXITED(st) && WEXITSTATUS(st) == 77) {
                sh("rm -rf '%s'", d);
                free(d);
                printf("skipped: this kernel has no PR_SET_MDWE (Linux >= 6.3)\n");
                skip();
            }
            sh("cat '%s'", err);
            fail_msg("docrules serve exited before listening");
        }
        char *e = slurp(err, NULL);
        const char *at = e ? strstr(e, "listening on http://127.0.0.1:") : NULL;
        if (at) port = atoi(at + strlen("listening on http://127.0.0.1:"));
        free(e);
        if (!port) usleep(50000);
    }
    assert_true(port > 0);
    char *body = slurp(DR_TOP "/examples/office365-30-licenses.json", NULL);
    assert_non_null(body);
    hx_answer an;
    memset(&an, 0, sizeof an);
    int fd = tcp_dial(port, 30);
    assert_true(fd >= 0);
    assert_int_equal(hx_exchange(fd, body, &an), 0);
    close(fd);
    assert_int_equal(an.status, 200);
    assert_int_equal(strlen(an.decision_id), 32);
    /* A reload reads every pattern again, under the same refusal. */
    assert_int_equal(kill(pid, SIGHUP), 0);
    int reloaded = 0;
    for (int i = 0; i < 200 && !reloaded; i++) {
        char *e = slurp(err, NULL);
        reloaded = e && strstr(e, "docrules serve: reloaded");
        free(e);
        if (!reloaded) usleep(50000);
    }
    assert_true(reloaded);
    memset(&an, 0, sizeof an);
    fd = tcp_dial(port, 30);
    assert_true(fd >= 0);
    assert_int_equal(hx_exchange(fd, body, &an), 0);
    close(fd);
    assert_int_equal(an.status, 200);
    assert_int_equal(kill(pid, SIGTERM), 0);
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 0);
    assert_int_equal(sh("'%s/docrules' log '%s' --id %s | grep -q acct-0042", DR_BUILD, db, an.decision_id), 0);
    free(body);
    assert_int_equal(sh("rm -rf '%s'", d), 0);
    free(d);
}

static void haproxy_sigterm_loses_nothing(void **state) {
    (void)state;
    haproxy_failover(SIGTERM, 0);
}

static void haproxy_drain_takes_s1_out_while_it_answers(void **state) {
    (void)state;
    haproxy_failover(SIGTERM, 1);
}

static void haproxy_sigkill_answers_every_request(void **state) {
    (void)state;
    haproxy_failover(SIGKILL, 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dask_pieces_print_what_one_batch_prints),
        cmocka_unit_test(systemd_unit_verifies),
        cmocka_unit_test(patterns_read_the_same_without_write_execute),
        cmocka_unit_test(serve_runs_without_write_execute),
        cmocka_unit_test_teardown(haproxy_sigterm_loses_nothing, hx_teardown),
        cmocka_unit_test_teardown(haproxy_drain_takes_s1_out_while_it_answers, hx_teardown),
        cmocka_unit_test_teardown(haproxy_sigkill_answers_every_request, hx_teardown),
    };
    return cmocka_run_group_tests_name("examples", tests, scratch_setup, scratch_teardown);
}
