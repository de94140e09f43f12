/* docrules serve, as its clients see it: the built binary started as a
 * child on an ephemeral port, spoken to in HTTP/1.1 over plain sockets,
 * and stopped with SIGTERM. Each test starts its own server, stopped by
 * the test's teardown if an assertion ended it early; what it writes is in
 * the suite's scratch folder. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"
#include "netutil.h"

#define ACCOUNT_ALLOW DR_TOP "/examples/azure-2017-account-admin.json"

/* --- the server as a child ------------------------------------------------ */

typedef struct server {
    pid_t pid;
    int port;
    int err;             /* its stderr, read end */
    char said[16384];    /* what it said on stderr so far */
    size_t nsaid;
} server;

/* The servers a test started, for its teardown to stop when an assertion
 * ended it early. */
static pid_t live[8];

static void track(pid_t pid, int on) {
    for (size_t i = 0; i < 8; i++)
        if (on ? live[i] == 0 : live[i] == pid) {
            live[i] = on ? pid : 0;
            return;
        }
}


static void hammer_stop(void);

static int cleanup(void **state) {
    (void)state;
    hammer_stop();
    for (size_t i = 0; i < 8; i++)
        if (live[i]) {
            kill(live[i], SIGKILL);
            waitpid(live[i], NULL, 0);
            live[i] = 0;
        }
    return 0;
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Reads what the server said on stderr, waiting at most ms for more. */
static void hear(server *s, int ms) {
    struct pollfd p = {s->err, POLLIN, 0};
    while (poll(&p, 1, ms) > 0) {
        if (s->nsaid + 1 >= sizeof s->said) break;
        ssize_t k = read(s->err, s->said + s->nsaid, sizeof s->said - s->nsaid - 1);
        if (k <= 0) break;
        s->nsaid += (size_t)k;
        s->said[s->nsaid] = '\0';
        ms = 0;
    }
}

/* Starts "docrules serve --listen 127.0.0.1:0 ARGS" in folder dir
 * (DOCRULES_TODAY fixed) and waits for its ready line; 0, or its exit
 * status when it ended before (s->said says why). */
static int start_in(server *s, const char *dir, const char *args) {
    memset(s, 0, sizeof *s);
    int fds[2];
    assert_int_equal(pipe2(fds, O_CLOEXEC), 0);
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "exec '%s/docrules' serve --listen 127.0.0.1:0 -j 2 %s", DR_BUILD, args);
    s->pid = fork();
    assert_true(s->pid >= 0);
    if (s->pid == 0) {
        dup2(fds[1], 2);
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 1);
        if (chdir(dir) != 0) _exit(127);
        setenv("DOCRULES_TODAY", "2026-01-01", 1);
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    track(s->pid, 1);
    s->err = fds[0];
    double until = now() + 20;
    while (now() < until) {
        hear(s, 100);
        const char *l = strstr(s->said, "listening on http://127.0.0.1:");
        if (l && strchr(l, '\n')) {
            s->port = atoi(l + strlen("listening on http://127.0.0.1:"));
            return 0;
        }
        int st;
        if (waitpid(s->pid, &st, WNOHANG) == s->pid) {
            track(s->pid, 0);
            hear(s, 100);
            close(s->err);
            s->pid = 0;
            return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
        }
    }
    kill(s->pid, SIGKILL);
    waitpid(s->pid, NULL, 0);
    fail_msg("the server did not say it listens: %s", s->said);
    return -1;
}

/* The same in the source tree, with its bundled rules and corpus. */
static int start(server *s, const char *args) { return start_in(s, DR_TOP, args); }

/* Waits at most secs for the server to end by itself; its exit status
 * (killed and 128 when it did not). */
static int ended(server *s, double secs) {
    double until = now() + secs;
    int st = 0;
    pid_t got = 0;
    while (now() < until && (got = waitpid(s->pid, &st, WNOHANG)) == 0) hear(s, 20);
    if (got != s->pid) {
        kill(s->pid, SIGKILL);
        waitpid(s->pid, &st, 0);
        st = 128 << 8;
    }
    track(s->pid, 0);
    hear(s, 0);
    close(s->err);
    s->pid = 0;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

/* SIGTERM, and its exit status (killed and 128 after 15 s). */
static int stop(server *s) {
    if (!s->pid) return -1;
    kill(s->pid, SIGTERM);
    return ended(s, 15);
}

/* --- HTTP/1.1 over a socket --------------------------------------------- */

typedef struct reply {
    int status;
    char *head;          /* the status line and headers */
    char *body;
    size_t len;
} reply;

static int dial(int port) {
    int fd = tcp_dial(port, 20);
    assert_true(fd >= 0);
    return fd;
}

static void send_all(int fd, const char *p, size_t n) {
    while (n) {
        ssize_t k = send(fd, p, n, MSG_NOSIGNAL);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) return; /* the server may answer before all is sent */
        p += k;
        n -= (size_t)k;
    }
}

/* Reads the answer to the end of the connection. */
static reply receive(int fd) {
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap);
    ssize_t k;
    while ((k = recv(fd, buf + n, cap - n - 1, 0)) > 0 || (k < 0 && errno == EINTR)) {
        if (k < 0) continue;
        n += (size_t)k;
        if (n + 1 >= cap) buf = realloc(buf, cap *= 2);
    }
    int why = k < 0 ? errno : 0;
    buf[n] = '\0';
    close(fd);
    reply r = {0, buf, NULL, 0};
    r.body = buf + n;
    char *end = strstr(buf, "\r\n\r\n");
    if (!end || sscanf(buf, "HTTP/1.1 %d", &r.status) != 1) {
        r.status = -2; /* no answer at all */
        if (why) snprintf(buf + n, cap - n, "(%s)", strerror(why));
        r.body = buf + n;
        return r;
    }
    *end = '\0';
    r.body = end + 4;
    r.len = n - (size_t)(r.body - buf);
    return r;
}

/* METHOD PATH with extra header lines (each ending "\r\n") and a body;
 * status -1 when no answer came (or no connection). */
static reply http(int port, const char *method, const char *path, const char *headers, const char *body, size_t len) {
    int fd = tcp_dial(port, 20);
    if (fd < 0) {
        char *why = strdup(strerror(errno));
        return (reply){-1, why, why, 0};
    }
    char head[4096];
    int n = snprintf(head, sizeof head, "%s %s HTTP/1.1\r\nHost: test\r\nConnection: close\r\n%s", method, path,
                     headers ? headers : "");
    if (body) n += snprintf(head + n, sizeof head - (size_t)n, "Content-Length: %zu\r\n", len);
    n += snprintf(head + n, sizeof head - (size_t)n, "\r\n");
    send_all(fd, head, (size_t)n);
    if (body) send_all(fd, body, len);
    return receive(fd);
}

static reply get(int port, const char *path) { return http(port, "GET", path, NULL, NULL, 0); }
static reply post(int port, const char *path, const char *body) { return http(port, "POST", path, NULL, body, strlen(body)); }

static const char *header(reply *r, const char *name) {
    static char v[512];
    size_t n = strlen(name);
    for (const char *l = strstr(r->head, "\r\n"); l; l = strstr(l + 2, "\r\n"))
        if (strncasecmp(l + 2, name, n) == 0 && l[2 + n] == ':') {
            const char *p = l + 3 + n;
            while (*p == ' ') p++;
            size_t k = strcspn(p, "\r");
            snprintf(v, sizeof v, "%.*s", (int)k, p);
            return v;
        }
    return NULL;
}

static json_t *json_of(reply *r) {
    json_error_t je;
    json_t *j = json_loadb(r->body, r->len, 0, &je);
    if (!j) fail_msg("not JSON (%s): %s", je.text, r->body);
    return j;
}

static void dispose(reply *r) { free(r->head); }

/* An error answer: its status, JSON type, {"error": ...}; the message. */
static const char *expect_error(reply *r, int status) {
    static char msg[2048];
    if (r->status != status) fail_msg("expected %d, got %d: %s", status, r->status, r->body);
    assert_string_equal(header(r, "Content-Type"), "application/json");
    json_t *j = json_of(r);
    assert_non_null(json_string_value(json_object_get(j, "error")));
    snprintf(msg, sizeof msg, "%s", json_string_value(json_object_get(j, "error")));
    json_decref(j);
    return msg;
}

/* What the command line prints for ARGS (stdout, or with 2>&1 its errors). */
static char *cli(const char *args) {
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "cd '%s' && DOCRULES_TODAY=2026-01-01 '%s/docrules' %s", DR_TOP, DR_BUILD, args);
    FILE *f = popen(cmd, "r");
    assert_non_null(f);
    size_t cap = 1 << 16, n = 0, k;
    char *b = malloc(cap);
    while ((k = fread(b + n, 1, cap - n - 1, f)) > 0)
        if ((n += k) + 1 >= cap) b = realloc(b, cap *= 2);
    b[n] = '\0';
    pclose(f);
    return b;
}

static int is_hex32(const char *s) {
    if (!s || strlen(s) != 32) return 0;
    for (; *s; s++)
        if (!strchr("0123456789abcdef", *s)) return 0;
    return 1;
}

/* "2026-12-02T08:40:00.123Z" */
static int is_rfc3339_ms(const char *s) {
    int y, mo, d, h, mi, sec, ms;
    char z;
    return s && strlen(s) == 24 && sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d.%3d%c", &y, &mo, &d, &h, &mi, &sec, &ms, &z) == 8 &&
           z == 'Z';
}

/* A decision without what the service adds, to compare with the CLI's. */
static json_t *unstamped(json_t *d) {
    assert_true(is_hex32(json_string_value(json_object_get(d, "decision_id"))));
    assert_true(is_rfc3339_ms(json_string_value(json_object_get(d, "time"))));
    json_object_del(d, "decision_id");
    json_object_del(d, "time");
    return d;
}

/* A copy of the bundled rules and corpus to edit, in the scratch folder. */
static void copy_tree(char *dir, size_t size) {
    scratch_mkdtemp(dir, size, "serve");
    assert_int_equal(sh("cp -R '%s/rules' '%s/corpus' '%s/'", DR_TOP, DR_TOP, dir), 0);
}

/* --- the routes ----------------------------------------------------------- */

static void decides_as_the_command_line_does(void **state) {
    (void)state;
    server s;
    assert_int_equal(start(&s, ""), 0);
    char *acct = slurp(ACCOUNT_ALLOW, NULL);
    reply r = post(s.port, "/v1/decide", acct);
    assert_int_equal(r.status, 200);
    assert_string_equal(header(&r, "Content-Type"), "application/json");
    json_t *got = unstamped(json_of(&r));
    char *want_text = cli("check --format json " ACCOUNT_ALLOW);
    json_t *want = json_loads(want_text, 0, NULL);
    assert_non_null(want);
    assert_true(json_equal(got, want));
    json_decref(got);
    dispose(&r);
    /* Two decisions, two ids. */
    reply a = post(s.port, "/v1/decide", acct), b = post(s.port, "/v1/decide", acct);
    json_t *ja = json_of(&a), *jb = json_of(&b);
    assert_string_not_equal(json_string_value(json_object_get(ja, "decision_id")),
                            json_string_value(json_object_get(jb, "decision_id")));
    json_decref(ja);
    json_decref(jb);
    dispose(&a);
    dispose(&b);
    /* The parameters are the command line's options. */
    r = post(s.port, "/v1/decide?fields=id,decision&action=close-account&as_of=2020-01-01", acct);
    assert_int_equal(r.status, 200);
    got = unstamped(json_of(&r));
    free(want_text);
    json_decref(want);
    want_text = cli("check --format json --fields id,decision --action close-account --as-of 2020-01-01 " ACCOUNT_ALLOW);
    want = json_loads(want_text, 0, NULL);
    assert_true(json_equal(got, want));
    assert_int_equal(json_object_size(got), 2);
    json_decref(got);
    json_decref(want);
    free(want_text);
    dispose(&r);
    free(acct);
    assert_int_equal(stop(&s), 0);
}

static void facts_revision_and_health(void **state) {
    (void)state;
    server s;
    assert_int_equal(start(&s, ""), 0);
    reply r = get(s.port, "/v1/facts");
    assert_int_equal(r.status, 200);
    char *want = cli("facts --format json");
    assert_string_equal(r.body, want); /* byte for byte */
    free(want);
    dispose(&r);
    r = get(s.port, "/v1/facts?as_of=2017-03-10&locale=zh-tw");
    assert_int_equal(r.status, 200);
    want = cli("facts --format json --as-of 2017-03-10 --locale zh-tw");
    assert_string_equal(r.body, want);
    free(want);
    dispose(&r);

    r = get(s.port, "/v1/revision");
    assert_int_equal(r.status, 200);
    json_t *j = json_of(&r);
    const char *rev = json_string_value(json_object_get(j, "revision"));
    assert_int_equal(strlen(rev), 16);
    assert_non_null(strstr(s.said, rev)); /* the ready line said it */
    assert_true(is_rfc3339_ms(json_string_value(json_object_get(j, "loaded"))));
    assert_true(json_integer_value(json_object_get(j, "docs")) > 20);
    assert_true(json_integer_value(json_object_get(j, "facts")) > 50);
    assert_true(json_integer_value(json_object_get(j, "cases")) > 0);
    assert_non_null(json_string_value(json_object_get(j, "rules")));
    dispose(&r);

    r = get(s.port, "/healthz");
    assert_int_equal(r.status, 200);
    json_t *h = json_of(&r);
    assert_string_equal(json_string_value(json_object_get(h, "status")), "ok");
    assert_string_equal(json_string_value(json_object_get(h, "revision")), rev);
    assert_null(json_object_get(h, "reload"));
    json_decref(h);
    json_decref(j);
    dispose(&r);
    assert_int_equal(stop(&s), 0);
}

/* --- errors ------------------------------------------------------------- */

static void a_bad_account_says_where(void **state) {
    (void)state;
    server s;
    assert_int_equal(start(&s, ""), 0);
    const char *bad = "{\"id\": \"x\",\n \"product\": \"azure\",}";
    reply r = post(s.port, "/v1/decide", bad);
    const char *msg = expect_error(&r, 400);
    json_t *j = json_of(&r);
    assert_int_equal(json_integer_value(json_object_get(j, "line")), 2);
    assert_true(json_integer_value(json_object_get(j, "col")) > 0);
    /* The command line's words: "docrules: <stdin>:2:C: MSG". */
    char cmd[512];
    snprintf(cmd, sizeof cmd, "check --format json - 2>&1 <<'EOF'\n%s\nEOF", bad);
    char *said = cli(cmd);
    char where[64];
    snprintf(where, sizeof where, "<stdin>:2:%lld: ", (long long)json_integer_value(json_object_get(j, "col")));
    assert_non_null(strstr(said, where));
    assert_non_null(strstr(said, msg));
    free(said);
    json_decref(j);
    dispose(&r);
    /* Not an account at all, and no body. */
    r = post(s.port, "/v1/decide", "[1, 2]");
    expect_error(&r, 400);
    dispose(&r);
    r = post(s.port, "/v1/decide", "");
    expect_error(&r, 400);
    dispose(&r);
    assert_int_equal(stop(&s), 0);
}

static void a_bad_query_is_refused_with_the_cli_s_words(void **state) {
    (void)state;
    server s;
    assert_int_equal(start(&s, ""), 0);
    char *acct = slurp(ACCOUNT_ALLOW, NULL);
    static const struct {
        const char *query, *cli_option;
    } bad[] = {
        {"action=fly", "--action fly"},
        {"fields=id,nope", "--fields id,nope"},
        {"locale=tlh-xx", "--locale tlh-xx"},
        {"as_of=2020-13-45", "--as-of 2020-13-45"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char path[128], cmd[256];
        snprintf(path, sizeof path, "/v1/decide?%s", bad[i].query);
        reply r = post(s.port, path, acct);
        const char *msg = expect_error(&r, 400);
        snprintf(cmd, sizeof cmd, "check %s " ACCOUNT_ALLOW " 2>&1", bad[i].cli_option);
        char *said = cli(cmd);
        /* The CLI says "--action is ...", the service "action is ...". */
        const char *m = strchr(msg, ' ');
        assert_non_null(m);
        if (!strstr(said, m)) fail_msg("'%s' is not what the command line says: %s", msg, said);
        free(said);
        dispose(&r);
    }
    reply r = post(s.port, "/v1/decide?explain=maybe", acct);
    expect_error(&r, 400);
    dispose(&r);
    /* Each parameter as sent: an unknown one, one given twice (not the
     * first taken and the second dropped), one with no name (it once ended
     * the check unseen, so the ones after it went unchecked), and %00 in a
     * name or a value (not read as the text before it). */
    static const struct {
        const char *query, *says;
    } refused[] = {
        {"acton=close-account", "unknown parameter 'acton'"},
        {"action=cancel-subscription&action=bogus", "parameter 'action' is given twice: give it once"},
        {"=x&bogus=1", "unknown parameter ''"},
        {"&action=close-account&action=cancel-subscription", "parameter 'action' is given twice"},
        {"action=close-account%00junk", "parameter 'action' holds a NUL byte (%00)"},
        {"action%00junk=close-account", "holds a NUL byte (%00)"},
        {"action", "not ''"}, /* given with no '=': given empty */
    };
    for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
        char path[160];
        snprintf(path, sizeof path, "/v1/decide?%s", refused[i].query);
        r = post(s.port, path, acct);
        const char *msg = expect_error(&r, 400);
        if (!strstr(msg, refused[i].says)) fail_msg("%s: %s", path, msg);
        dispose(&r);
    }
    /* a stray '&' is nothing */
    r = post(s.port, "/v1/decide?fields=id,decision&", acct);
    assert_int_equal(r.status, 200);
    dispose(&r);
    /* A name with no '=' is given, empty: a flag is true, a value "". */
    r = post(s.port, "/v1/decide?explain&fields=id,explain", acct);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "\"explain\":[{"));
    dispose(&r);
    free(acct);
    assert_int_equal(stop(&s), 0);
}

static void unknown_paths_and_methods(void **state) {
    (void)state;
    server s;
    assert_int_equal(start(&s, ""), 0);
    reply r = get(s.port, "/v2/decide");
    expect_error(&r, 404);
    dispose(&r);
    r = get(s.port, "/v1/decide");
    expect_error(&r, 405);
    assert_string_equal(header(&r, "Allow"), "POST");
    dispose(&r);
    r = post(s.port, "/healthz", "{}");
    expect_error(&r, 405);
    assert_string_equal(header(&r, "Allow"), "GET, HEAD");
    dispose(&r);
    /* HEAD wherever GET, with GET's head and no body (RFC 9110 9.1). */
    r = http(s.port, "HEAD", "/healthz", NULL, NULL, 0);
    assert_int_equal(r.status, 200);
    assert_string_equal(header(&r, "Content-Type"), "application/json");
    assert_int_equal(r.len, 0);
    dispose(&r);
    r = http(s.port, "DELETE", "/v1/batch", NULL, NULL, 0);
    expect_error(&r, 405);
    dispose(&r);
    assert_int_equal(stop(&s), 0);
}

static void a_body_over_the_limit_is_413(void **state) {
    (void)state;
    server s;
    assert_int_equal(start(&s, "--max-body 100"), 0);
    char big[300];
    memset(big, ' ', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    memcpy(big, "{\"id\":\"x\",\"product\":\"azure\"}", 28);
    reply r = post(s.port, "/v1/decide", big);
    assert_non_null(strstr(expect_error(&r, 413), "--max-body"));
    dispose(&r);
    /* Without a Content-Length: chunked, found too long as it comes. */
    int fd = dial(s.port);
    const char *head = "POST /v1/decide HTTP/1.1\r\nHost: t\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n";
    send_all(fd, head, strlen(head));
    char chunk[400];
    int n = snprintf(chunk, sizeof chunk, "%zx\r\n%s\r\n0\r\n\r\n", strlen(big), big);
    send_all(fd, chunk, (size_t)n);
    r = receive(fd);
    expect_error(&r, 413);
    dispose(&r);
    /* Under the limit, the same server decides. */
    r = post(s.port, "/v1/decide", "{\"id\":\"x\",\"product\":\"azure\"}");
    assert_int_equal(r.status, 200);
    dispose(&r);
    assert_int_equal(stop(&s), 0);
}

static void a_request_past_the_time_limit_is_408(void **state) {
    (void)state;
    server s;
    assert_int_equal(start(&s, "--timeout 1"), 0);
    /* A body that trickles: each byte in time for the idle limit, the
     * whole past the request's. */
    int fd = dial(s.port);
    const char *acct = "{\"id\":\"x\",\"product\":\"azure\"}";
    char head[256];
    int n = snprintf(head, sizeof head, "POST /v1/decide HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Length: %zu\r\n\r\n",
                     strlen(acct));
    send_all(fd, head, (size_t)n);
    for (int i = 0; i < 5; i++) {
        send_all(fd, acct + i, 1);
        usleep(300000);
    }
    send_all(fd, acct + 5, strlen(acct) - 5);
    reply r = receive(fd);
    assert_non_null(strstr(expect_error(&r, 408), "--timeout"));
    dispose(&r);
    assert_int_equal(stop(&s), 0);
}

/* --- the token ------------------------------------------------------------ */

static void the_token_guards_all_but_health(void **state) {
    (void)state;
    char dir[256], file[320], args[400];
    scratch_mkdtemp(dir, sizeof dir, "serve");
    snprintf(file, sizeof file, "%s/token", dir);
    FILE *f = fopen(file, "w");
    fputs("s3cret-token\nthe rest is not the token\n", f);
    fclose(f);
    snprintf(args, sizeof args, "--token-file %s", file);
    server s;
    assert_int_equal(start(&s, args), 0);
    const char *acct = "{\"id\":\"x\",\"product\":\"azure\"}";
    reply r = post(s.port, "/v1/decide", acct);
    expect_error(&r, 401);
    assert_string_equal(header(&r, "WWW-Authenticate"), "Bearer");
    dispose(&r);
    r = http(s.port, "POST", "/v1/decide", "Authorization: Bearer s3cret-tokeN\r\n", acct, strlen(acct));
    expect_error(&r, 401);
    dispose(&r);
    r = http(s.port, "POST", "/v1/decide", "Authorization: Bearer s3cret-token-and-more\r\n", acct, strlen(acct));
    expect_error(&r, 401);
    dispose(&r);
    r = http(s.port, "POST", "/v1/decide", "Authorization: Basic s3cret-token\r\n", acct, strlen(acct));
    expect_error(&r, 401);
    dispose(&r);
    r = http(s.port, "POST", "/v1/decide", "Authorization: Bearer s3cret-token\r\n", acct, strlen(acct));
    assert_int_equal(r.status, 200);
    dispose(&r);
    /* Tabs are the header's whitespace as spaces are (RFC 9110). */
    r = http(s.port, "POST", "/v1/decide", "Authorization: Bearer\t s3cret-token\t\r\n", acct, strlen(acct));
    assert_int_equal(r.status, 200);
    dispose(&r);
    r = http(s.port, "POST", "/v1/decide", "Authorization: Bearers3cret-token\r\n", acct, strlen(acct));
    expect_error(&r, 401);
    dispose(&r);
    static const char *const guarded[] = {"/metrics", "/v1/revision", "/v1/facts"};
    for (size_t i = 0; i < 3; i++) {
        r = get(s.port, guarded[i]);
        expect_error(&r, 401);
        dispose(&r);
    }
    r = get(s.port, "/healthz");
    assert_int_equal(r.status, 200);
    dispose(&r);
    assert_int_equal(stop(&s), 0);

    /* A token file that is empty, or not there: a usage error at start. */
    f = fopen(file, "w");
    fputs("\n", f);
    fclose(f);
    assert_int_equal(start(&s, args), 2);
    assert_non_null(strstr(s.said, "empty"));
    snprintf(args, sizeof args, "--token-file %s/none", dir);
    assert_int_equal(start(&s, args), 2);
    assert_non_null(strstr(s.said, "cannot read"));
    /* A folder; a token too long for its room, once cut short in silence
     * (its prefix opened the service, the token itself did not). */
    snprintf(args, sizeof args, "--token-file %s", dir);
    assert_int_equal(start(&s, args), 2);
    assert_non_null(strstr(s.said, "cannot read: a folder"));
    /* a NUL is no blank to trim */
    f = fopen(file, "w");
    fwrite("secret\0\n", 1, 8, f);
    fclose(f);
    snprintf(args, sizeof args, "--token-file %s", file);
    assert_int_equal(start(&s, args), 2);
    assert_non_null(strstr(s.said, "the token holds a NUL byte"));
    f = fopen(file, "w");
    for (int i = 0; i < 5000; i++) fputc('x', f);
    fputc('\n', f);
    fclose(f);
    snprintf(args, sizeof args, "--token-file %s", file);
    assert_int_equal(start(&s, args), 2);
    assert_non_null(strstr(s.said, "the token is longer than 4095 bytes"));
    /* Spaces around it are not the token's: the header's are trimmed too,
     * so 'secret ' could never match anything. */
    f = fopen(file, "w");
    fputs("  s3cret-token \t\r\n", f);
    fclose(f);
    assert_int_equal(start(&s, args), 0);
    r = http(s.port, "POST", "/v1/decide", "Authorization: Bearer s3cret-token\r\n", acct, strlen(acct));
    assert_int_equal(r.status, 200);
    dispose(&r);
    assert_int_equal(stop(&s), 0);
    assert_int_equal(sh("rm -rf '%s'", dir), 0);
}

/* --- metrics ------------------------------------------------------------- */

static unsigned long long metric(const char *text, const char *series) {
    const char *p = strstr(text, series);
    if (!p) return 0;
    return strtoull(p + strlen(series), NULL, 10);
}

static void metrics_count_what_was_answered(void **state) {
    (void)state;
    server s;
    assert_int_equal(start(&s, ""), 0);
    char *acct = slurp(ACCOUNT_ALLOW, NULL);
    reply r = post(s.port, "/v1/decide", acct);
    dispose(&r);
    reply m1 = get(s.port, "/metrics");
    assert_int_equal(m1.status, 200);
    assert_string_equal(header(&m1, "Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
    const char *allow = "docrules_requests_total{route=\"/v1/decide\",status=\"200\",decision=\"allow\"} ";
    const char *inf = "docrules_request_duration_seconds_bucket{route=\"/v1/decide\",le=\"+Inf\"} ";
    assert_int_equal(metric(m1.body, allow), 1);
    for (int i = 0; i < 3; i++) {
        r = post(s.port, "/v1/decide", acct);
        dispose(&r);
    }
    r = get(s.port, "/nowhere");
    dispose(&r);
    reply m2 = get(s.port, "/metrics");
    assert_int_equal(metric(m2.body, allow), 4);
    assert_int_equal(metric(m2.body, inf), 4);
    assert_int_equal(metric(m2.body, "docrules_requests_total{route=\"other\",status=\"404\",decision=\"\"} "), 1);
    assert_non_null(strstr(m2.body, "# TYPE docrules_request_duration_seconds histogram\n"));
    assert_non_null(strstr(m2.body, "docrules_request_duration_seconds_sum{route=\"/v1/decide\"} "));
    assert_non_null(strstr(m2.body, "docrules_reloads_total{result=\"ok\"} 0\n"));
    assert_non_null(strstr(m2.body, "docrules_reloads_total{result=\"failed\"} 0\n"));
    assert_non_null(strstr(m2.body, "docrules_log_queue_depth "));
    /* Nothing else is under way: the /metrics request itself. */
    assert_int_equal(metric(m2.body, "\ndocrules_requests_in_flight "), 1);
    assert_non_null(strstr(m2.body, "docrules_revision_info{revision=\""));
    /* Every line a comment or "name{labels} value". */
    for (char *l = m2.body; *l; l = strchr(l, '\n') + 1) {
        if (*l != '#') assert_non_null(memchr(l, ' ', strcspn(l, "\n")));
        if (!strchr(l, '\n')) break;
    }
    dispose(&m1);
    dispose(&m2);
    free(acct);
    assert_int_equal(stop(&s), 0);
}

/* --- batch ------------------------------------------------------------- */

static void batch_answers_every_line_in_order(void **state) {
    (void)state;
    server s;
    assert_int_equal(start(&s, ""), 0);
    const char *lines = "{\"id\":\"one\",\"product\":\"azure\"}\n"
                        "{\"id\":\"two\",\"product\":\"office365\",\"assigned_licenses\":30,\"actor\":{\"roles\":[\"global_admin\"]}}\n"
                        "{not json\n"
                        "\n"
                        "{\"id\":\"five\",\"product\":\"azure\",\"date\":\"2017-02-30\"}\n"
                        "{\"id\":\"six\",\"product\":\"azure\"}"; /* no newline at the end */
    reply r = post(s.port, "/v1/batch", lines);
    assert_int_equal(r.status, 200);
    assert_string_equal(header(&r, "Content-Type"), "application/x-ndjson");
    char dir[256], file[320], cmd[400];
    scratch_mkdtemp(dir, sizeof dir, "serve");
    snprintf(file, sizeof file, "%s/in.ndjson", dir);
    FILE *f = fopen(file, "w");
    fputs(lines, f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "batch < %s", file);
    char *want = cli(cmd);
    /* Line for line what docrules batch writes, decisions stamped. */
    char *g = r.body, *w = want;
    int n = 0;
    while (*g && *w) {
        char *ge = strchr(g, '\n'), *we = strchr(w, '\n');
        assert_non_null(ge);
        assert_non_null(we);
        json_t *gj = json_loadb(g, (size_t)(ge - g), 0, NULL), *wj = json_loadb(w, (size_t)(we - w), 0, NULL);
        assert_non_null(gj);
        if (json_object_get(gj, "decision")) unstamped(gj);
        else assert_null(json_object_get(gj, "decision_id"));
        assert_true(json_equal(gj, wj));
        json_decref(gj);
        json_decref(wj);
        g = ge + 1;
        w = we + 1;
        n++;
    }
    assert_int_equal(n, 6);
    assert_string_equal(g, "");
    assert_string_equal(w, "");
    free(want);
    dispose(&r);
    assert_int_equal(sh("rm -rf '%s'", dir), 0);
    assert_int_equal(stop(&s), 0);
}

/* Larger than --max-body as a whole, streamed; one line over it is a bad
 * line of its own and the lines after it go on. */
static void batch_streams_past_the_body_limit(void **state) {
    (void)state;
    server s;
    assert_int_equal(start(&s, "--max-body 200"), 0);
    size_t cap = 1 << 20, n = 0;
    char *in = malloc(cap);
    const int lines = 3000;
    for (int i = 1; i <= lines; i++) {
        if (i == 1500) {
            n += (size_t)snprintf(in + n, cap - n, "{\"id\":\"long\",\"product\":\"azure\",\"x\":\"");
            memset(in + n, 'x', 300);
            n += 300;
            n += (size_t)snprintf(in + n, cap - n, "\"}\n");
            continue;
        }
        n += (size_t)snprintf(in + n, cap - n, "{\"id\":\"a%d\",\"product\":\"azure\"}\n", i);
    }
    assert_true(n > 200 * 100);
    reply r = http(s.port, "POST", "/v1/batch", NULL, in, n);
    assert_int_equal(r.status, 200);
    int k = 0;
    for (char *l = r.body; *l; k++) {
        char *e = strchr(l, '\n');
        assert_non_null(e);
        json_t *j = json_loadb(l, (size_t)(e - l), 0, NULL);
        assert_non_null(j);
        if (k + 1 == 1500) {
            assert_int_equal(json_integer_value(json_object_get(j, "line")), 1500);
            assert_non_null(strstr(json_string_value(json_object_get(j, "error")), "--max-body"));
        } else {
            char id[16];
            snprintf(id, sizeof id, "a%d", k + 1);
            assert_string_equal(json_string_value(json_object_get(j, "id")), id);
        }
        json_decref(j);
        l = e + 1;
    }
    assert_int_equal(k, lines);
    dispose(&r);
    free(in);
    assert_int_equal(stop(&s), 0);
}

/* --- reload ------------------------------------------------------------- */

typedef struct hammer {
    int port;
    atomic_int stop;
    atomic_int sent, failed;
    char first_failure[512];
} hammer;

/* The one hammer running, in static storage: an assertion that ends its
 * test early leaves it to the teardown to stop, not writing into a
 * stack frame that is gone. */
static hammer the_hammer;
static pthread_t hammer_thread;
static int hammer_running;

/* Decides over and over until told to stop: every answer must be 200. */
static void *hammer_on(void *arg) {
    hammer *h = arg;
    const char *acct = "{\"id\":\"x\",\"product\":\"azure\",\"actor\":{\"roles\":[\"account_admin\"]}}";
    while (!atomic_load(&h->stop)) {
        reply r = post(h->port, "/v1/decide", acct);
        atomic_fetch_add(&h->sent, 1);
        if (r.status != 200 && atomic_fetch_add(&h->failed, 1) == 0)
            snprintf(h->first_failure, sizeof h->first_failure, "%d %s", r.status, r.body);
        dispose(&r);
    }
    return NULL;
}

static void hammer_stop(void) {
    if (!hammer_running) return;
    atomic_store(&the_hammer.stop, 1);
    pthread_join(hammer_thread, NULL);
    hammer_running = 0;
}

static char *revision_of(int port) {
    reply r = get(port, "/v1/revision");
    json_t *j = json_of(&r);
    char *rev = strdup(json_string_value(json_object_get(j, "revision")));
    json_decref(j);
    dispose(&r);
    return rev;
}

static void reload_swaps_or_keeps_the_old_revision(void **state) {
    (void)state;
    char dir[256], args[512];
    copy_tree(dir, sizeof dir);
    /* Run in the copy, so that docs are cited corpus/... as the cases
     * expect. */
    snprintf(args, sizeof args, "--rules rules --corpus corpus");
    server s;
    assert_int_equal(start_in(&s, dir, args), 0);
    hammer *hp = &the_hammer;
    memset(hp, 0, sizeof *hp);
    hp->port = s.port;
    assert_int_equal(pthread_create(&hammer_thread, NULL, hammer_on, hp), 0);
    hammer_running = 1;
    char *rev0 = revision_of(s.port);

    /* A good change: a new revision, served at once. */
    assert_int_equal(sh("echo '-- a comment changes the scripts hash' >> %s/rules/azure-cancel.lua", dir), 0);
    reply r = post(s.port, "/v1/reload", "");
    assert_int_equal(r.status, 200);
    json_t *j = json_of(&r);
    char *rev1 = strdup(json_string_value(json_object_get(j, "revision")));
    assert_string_not_equal(rev0, rev1);
    assert_string_equal(json_string_value(json_object_get(j, "previous")), rev0);
    json_decref(j);
    dispose(&r);
    char *now_rev = revision_of(s.port);
    assert_string_equal(now_rev, rev1);
    free(now_rev);
    r = post(s.port, "/v1/decide?fields=revision", "{\"id\":\"x\",\"product\":\"azure\"}");
    j = json_of(&r);
    assert_string_equal(json_string_value(json_object_get(j, "revision")), rev1);
    json_decref(j);
    dispose(&r);

    /* Reloads asked at once: each connection is suspended until a reload
     * after its asking is done, and each is answered. */
    int fds[3];
    for (int i = 0; i < 3; i++) {
        fds[i] = dial(s.port);
        const char *req = "POST /v1/reload HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Length: 0\r\n\r\n";
        send_all(fds[i], req, strlen(req));
    }
    for (int i = 0; i < 3; i++) {
        r = receive(fds[i]);
        assert_int_equal(r.status, 200);
        j = json_of(&r);
        assert_string_equal(json_string_value(json_object_get(j, "revision")), rev1);
        json_decref(j);
        dispose(&r);
    }

    /* A syntax error: refused, the old revision goes on. */
    assert_int_equal(sh("cp %s/rules/azure-cancel.lua %s/good.lua && echo 'p:rule {' >> %s/rules/azure-cancel.lua", dir, dir, dir), 0);
    r = post(s.port, "/v1/reload", "");
    assert_non_null(strstr(expect_error(&r, 422), "azure-cancel.lua"));
    dispose(&r);
    now_rev = revision_of(s.port);
    assert_string_equal(now_rev, rev1);
    free(now_rev);
    r = get(s.port, "/healthz");
    assert_int_equal(r.status, 200);
    j = json_of(&r);
    assert_true(json_is_false(json_object_get(json_object_get(j, "reload"), "ok")));
    assert_non_null(strstr(json_string_value(json_object_get(json_object_get(j, "reload"), "error")), "azure-cancel.lua"));
    json_decref(j);
    dispose(&r);
    hear(&s, 50);
    assert_non_null(strstr(s.said, "docrules serve: reload failed: "));
    assert_non_null(strstr(s.said, "rules/azure-cancel.lua:"));

    /* A case that fails: refused too, said with the case's file and line. */
    assert_int_equal(sh("cp %s/good.lua %s/rules/azure-cancel.lua && sed -i 's/expect = { decision = \"deny\", required_roles/"
                        "expect = { decision = \"allow\", required_roles/' %s/rules/tests/azure-cancel.lua",
                        dir, dir, dir), 0);
    r = post(s.port, "/v1/reload", "");
    const char *msg = expect_error(&r, 422);
    assert_non_null(strstr(msg, "rules/tests/azure-cancel.lua:"));
    assert_non_null(strstr(msg, "only the account administrator can cancel"));
    dispose(&r);
    now_rev = revision_of(s.port);
    assert_string_equal(now_rev, rev1);
    free(now_rev);
    reply m = get(s.port, "/metrics");
    /* One for the edit, one or more for the three asked at once. */
    unsigned long long oks = metric(m.body, "docrules_reloads_total{result=\"ok\"} ");
    assert_true(oks >= 2 && oks <= 4);
    assert_int_equal(metric(m.body, "docrules_reloads_total{result=\"failed\"} "), 2);
    assert_non_null(strstr(m.body, "docrules_last_reload_ok 0\n"));
    char info[128];
    snprintf(info, sizeof info, "docrules_revision_info{revision=\"%s\"} 1\n", rev1);
    assert_non_null(strstr(m.body, info));
    dispose(&m);

    /* Mended, and SIGHUP: served again, and healthz forgets the failure. */
    assert_int_equal(sh("sed -i 's/expect = { decision = \"allow\", required_roles/"
                        "expect = { decision = \"deny\", required_roles/' %s/rules/tests/azure-cancel.lua && "
                        "echo '-- another' >> %s/rules/azure-cancel.lua", dir, dir), 0);
    kill(s.pid, SIGHUP);
    double until = now() + 10;
    char *rev2 = revision_of(s.port);
    while (strcmp(rev2, rev1) == 0 && now() < until) {
        usleep(20000);
        free(rev2);
        rev2 = revision_of(s.port);
    }
    assert_string_not_equal(rev2, rev1);
    r = get(s.port, "/healthz");
    j = json_of(&r);
    assert_null(json_object_get(j, "reload"));
    json_decref(j);
    dispose(&r);

    atomic_store(&hp->stop, 1);
    pthread_join(hammer_thread, NULL);
    hammer_running = 0;
    if (hp->failed) {
        hear(&s, 50);
        fail_msg("%d of %d requests failed during reloads; first: %s; the server said: %s", hp->failed, hp->sent,
                 hp->first_failure, s.said);
    }
    assert_true(hp->sent > 0);
    free(rev0);
    free(rev1);
    free(rev2);
    assert_int_equal(stop(&s), 0);
    assert_int_equal(sh("rm -rf '%s'", dir), 0);
}

/* --watch: a change under the rules folder is served without a word;
 * a change that breaks them is refused as any reload. */
static void watch_reloads_on_change(void **state) {
    (void)state;
    char dir[256];
    copy_tree(dir, sizeof dir);
    server s;
    assert_int_equal(start_in(&s, dir, "--rules rules --corpus corpus --watch"), 0);
    char *rev0 = revision_of(s.port);
    assert_int_equal(sh("echo '-- changed' >> %s/rules/azure-cancel.lua", dir), 0);
    double until = now() + 10;
    char *rev1 = revision_of(s.port);
    while (strcmp(rev1, rev0) == 0 && now() < until) {
        usleep(50000);
        free(rev1);
        rev1 = revision_of(s.port);
    }
    assert_string_not_equal(rev1, rev0);
    /* A bad rule is refused, as by any reload. */
    assert_int_equal(sh("echo 'p:rule {' >> %s/rules/azure-cancel.lua", dir), 0);
    until = now() + 10;
    int failed = 0;
    while (!failed && now() < until) {
        usleep(50000);
        reply r = get(s.port, "/healthz");
        json_t *j = json_of(&r);
        failed = json_is_false(json_object_get(json_object_get(j, "reload"), "ok"));
        json_decref(j);
        dispose(&r);
    }
    assert_true(failed);
    char *rev2 = revision_of(s.port);
    assert_string_equal(rev2, rev1);
    free(rev0);
    free(rev1);
    free(rev2);
    assert_int_equal(stop(&s), 0);
    assert_int_equal(sh("rm -rf '%s'", dir), 0);
}

/* --- --bundle -------------------------------------------------------------- */

/* docrules build -o b.drb in dir, from dir's rules and corpus. */
static void build_bundle(const char *dir) {
    assert_int_equal(sh("cd '%s' && DOCRULES_TODAY=2026-01-01 '%s/docrules' build -o b.drb --rules rules --corpus corpus "
                        "2>/dev/null",
                        dir, DR_BUILD),
                     0);
}

/* POST /v1/reload's status, and /healthz's reload error ("" when none). */
static int reload_says(int port, char *why, size_t size) {
    reply r = post(port, "/v1/reload", "");
    int status = r.status;
    dispose(&r);
    r = get(port, "/healthz");
    json_t *j = json_of(&r);
    const char *e = json_string_value(json_object_get(json_object_get(j, "reload"), "error"));
    snprintf(why, size, "%s", e ? e : "");
    json_decref(j);
    dispose(&r);
    return status;
}

/* A reload under --bundle reads the bundle file again: rebuilt, a new
 * revision; damaged, the old one kept and the damage said. The cases run
 * are the rules folder's, as `docrules test --bundle` runs them. */
static void reload_rereads_the_bundle(void **state) {
    (void)state;
    char dir[256], why[2048];
    copy_tree(dir, sizeof dir);
    build_bundle(dir);
    server s;
    assert_int_equal(start_in(&s, dir, "--bundle b.drb"), 0);
    char *rev0 = revision_of(s.port);
    reply r = get(s.port, "/v1/revision");
    json_t *j = json_of(&r);
    assert_string_equal(json_string_value(json_object_get(j, "bundle")), "b.drb");
    assert_null(json_object_get(j, "corpus")); /* the bundle holds it */
    assert_true(json_integer_value(json_object_get(j, "cases")) > 0);
    json_decref(j);
    dispose(&r);
    /* The rules change, but the bundle does not yet: nothing changes. */
    assert_int_equal(sh("echo '-- changed' >> %s/rules/azure-cancel.lua", dir), 0);
    assert_int_equal(reload_says(s.port, why, sizeof why), 200);
    char *rev1 = revision_of(s.port);
    assert_string_equal(rev1, rev0);
    build_bundle(dir);
    assert_int_equal(reload_says(s.port, why, sizeof why), 200);
    char *rev2 = revision_of(s.port);
    assert_string_not_equal(rev2, rev0);
    /* Damaged in place, a byte in its middle: refused, the revision kept. */
    assert_int_equal(sh("printf 'XXXXXXXX' | dd of=%s/b.drb bs=1 seek=4000 conv=notrunc 2>/dev/null", dir), 0);
    assert_int_equal(reload_says(s.port, why, sizeof why), 422);
    assert_non_null(strstr(why, "b.drb"));
    char *rev3 = revision_of(s.port);
    assert_string_equal(rev3, rev2);
    reply d = post(s.port, "/v1/decide", "{\"id\":\"x\",\"product\":\"azure\"}");
    assert_int_equal(d.status, 200);
    dispose(&d);
    hear(&s, 50);
    assert_non_null(strstr(s.said, "reload failed"));
    free(rev0);
    free(rev1);
    free(rev2);
    free(rev3);
    assert_int_equal(stop(&s), 0);
}

/* --watch with --bundle watches the bundle, not the folders: editing the
 * rules does nothing until `docrules build -o` renames a new bundle over
 * the old. */
static void watch_follows_the_bundle(void **state) {
    (void)state;
    char dir[256];
    copy_tree(dir, sizeof dir);
    build_bundle(dir);
    server s;
    assert_int_equal(start_in(&s, dir, "--bundle b.drb --watch"), 0);
    char *rev0 = revision_of(s.port);
    assert_int_equal(sh("echo '-- changed' >> %s/rules/azure-cancel.lua", dir), 0);
    usleep(800000); /* past the debounce: a watch on the folders would have reloaded */
    char *rev1 = revision_of(s.port);
    assert_string_equal(rev1, rev0);
    hear(&s, 0);
    assert_null(strstr(s.said, "reload"));
    build_bundle(dir);
    double until = now() + 10;
    char *rev2 = revision_of(s.port);
    while (strcmp(rev2, rev0) == 0 && now() < until) {
        usleep(50000);
        free(rev2);
        rev2 = revision_of(s.port);
    }
    assert_string_not_equal(rev2, rev0);
    /* One reload in all, the bundle's: a late one for the edited rules
     * (which the fixed wait above could miss) would be a second. */
    usleep(400000); /* past the debounce again */
    hear(&s, 50);
    int reloads = 0;
    for (const char *p = s.said; (p = strstr(p, "reloaded:")); p++) reloads++;
    if (reloads != 1) fail_msg("%d reloads; the server said: %s", reloads, s.said);
    free(rev0);
    free(rev1);
    free(rev2);
    assert_int_equal(stop(&s), 0);
}

/* --- the decision log ---------------------------------------------------- */

/* Every answer the server gave is in its log once it stopped: decisions
 * with the real decision even when fields leave it out of the answer,
 * bad accounts with their error, batch lines one by one. */
static void every_answer_is_logged(void **state) {
    (void)state;
    char dir[256], args[400];
    scratch_mkdtemp(dir, sizeof dir, "serve");
    snprintf(args, sizeof args, "--log %s/log.db", dir);
    server s;
    assert_int_equal(start(&s, args), 0);
    char *acct = slurp(ACCOUNT_ALLOW, NULL);
    reply d = post(s.port, "/v1/decide?fields=channels", acct);
    assert_int_equal(d.status, 200);
    json_t *dj = json_of(&d);
    assert_null(json_object_get(dj, "decision")); /* not asked for */
    reply bad = post(s.port, "/v1/decide", "{\"id\": 1");
    expect_error(&bad, 400);
    reply b = post(s.port, "/v1/batch", "{\"id\":\"b1\",\"product\":\"azure\"}\n{nope\n");
    assert_int_equal(b.status, 200);
    reply h = get(s.port, "/healthz");
    json_t *hj = json_of(&h);
    assert_string_equal(json_string_value(json_object_get(hj, "log")), "ok");
    json_decref(hj);
    dispose(&h);
    assert_int_equal(stop(&s), 0);

    char cmd[400];
    snprintf(cmd, sizeof cmd, "log %s/log.db", dir);
    char *log = cli(cmd);
    json_t *lines[8];
    int n = 0;
    for (char *l = log, *e; *l && n < 8; l = e + 1) {
        e = strchr(l, '\n');
        assert_non_null(e);
        lines[n] = json_loadb(l, (size_t)(e - l), 0, NULL);
        assert_non_null(lines[n]);
        n++;
    }
    assert_int_equal(n, 4);
    /* The decision: its id, the decision the answer left out, and the
     * answer itself. */
    assert_string_equal(json_string_value(json_object_get(lines[0], "decision_id")),
                        json_string_value(json_object_get(dj, "decision_id")));
    assert_string_equal(json_string_value(json_object_get(lines[0], "decision")), "allow");
    assert_string_equal(json_string_value(json_object_get(lines[0], "account_id")), "az-2017");
    assert_string_equal(json_string_value(json_object_get(lines[0], "action")), "cancel-subscription");
    assert_true(json_equal(json_object_get(lines[0], "output"), dj));
    assert_string_equal(json_string_value(json_object_get(lines[0], "time")), json_string_value(json_object_get(dj, "time")));
    /* The bad account, as received. */
    assert_string_equal(json_string_value(json_object_get(lines[1], "decision")), "error");
    assert_string_equal(json_string_value(json_object_get(lines[1], "account")), "{\"id\": 1");
    /* The batch, line by line. */
    assert_string_equal(json_string_value(json_object_get(lines[2], "account_id")), "b1");
    assert_string_equal(json_string_value(json_object_get(lines[3], "decision")), "error");
    assert_int_equal(json_integer_value(json_object_get(json_object_get(lines[3], "output"), "line")), 2);
    for (int i = 0; i < n; i++) json_decref(lines[i]);
    json_decref(dj);
    free(log);
    free(acct);
    dispose(&d);
    dispose(&bad);
    dispose(&b);
}

/* Polls /healthz until its status is want; its body then. */
static json_t *health_until(int port, int want) {
    double until = now() + 10;
    for (;;) {
        reply r = get(port, "/healthz");
        if (r.status == want || now() > until) {
            assert_int_equal(r.status, want);
            json_t *j = json_of(&r);
            dispose(&r);
            return j;
        }
        dispose(&r);
        usleep(20000);
    }
}

/* The log's file removed under the server: with --log-required decisions
 * are refused (503) and /healthz says 503; without it they go on and
 * /healthz says the log is failing. */
static void a_failing_log_refuses_or_is_said(void **state) {
    (void)state;
    char dir[256], args[400], path[320];
    scratch_mkdtemp(dir, sizeof dir, "serve");
    const char *acct = "{\"id\":\"x\",\"product\":\"azure\"}";
    for (int required = 1; required >= 0; required--) {
        snprintf(path, sizeof path, "%s/log%d.db", dir, required);
        snprintf(args, sizeof args, "--log %s%s", path, required ? " --log-required" : "");
        server s;
        assert_int_equal(start(&s, args), 0);
        reply r = post(s.port, "/v1/decide", acct);
        assert_int_equal(r.status, 200);
        dispose(&r);
        json_t *j = health_until(s.port, 200);
        json_decref(j);
        assert_int_equal(unlink(path), 0);
        r = post(s.port, "/v1/decide", acct); /* the write that finds it gone */
        dispose(&r);
        if (required) {
            j = health_until(s.port, 503);
            assert_string_equal(json_string_value(json_object_get(j, "status")), "failing");
            assert_non_null(strstr(json_string_value(json_object_get(j, "error")), "decision log"));
            json_decref(j);
            r = post(s.port, "/v1/decide", acct);
            assert_non_null(strstr(expect_error(&r, 503), "--log-required"));
            dispose(&r);
            r = post(s.port, "/v1/batch", acct);
            expect_error(&r, 503);
            dispose(&r);
        } else {
            double until = now() + 10;
            const char *said = "";
            j = NULL;
            while (strncmp(said, "failing: ", 9) != 0 && now() < until) {
                json_decref(j);
                usleep(20000);
                j = health_until(s.port, 200);
                said = json_string_value(json_object_get(j, "log"));
                if (!said) said = "";
            }
            assert_non_null(strstr(said, "failing: "));
            json_decref(j);
            r = post(s.port, "/v1/decide", acct);
            assert_int_equal(r.status, 200);
            dispose(&r);
        }
        assert_int_equal(stop(&s), 0);
    }
}

/* --- stopping and starting ---------------------------------------------------- */

static void sigterm_finishes_the_requests_in_flight(void **state) {
    (void)state;
    server s;
    assert_int_equal(start(&s, ""), 0);
    /* Half an account sent, then SIGTERM, then the rest. */
    const char *acct = "{\"id\":\"late\",\"product\":\"azure\"}";
    int fd = dial(s.port);
    char head[256];
    int n = snprintf(head, sizeof head, "POST /v1/decide HTTP/1.1\r\nHost: t\r\nContent-Length: %zu\r\n\r\n", strlen(acct));
    send_all(fd, head, (size_t)n);
    send_all(fd, acct, 10);
    /* SIGTERM waits for the requests begun, and a request begins with its
     * headers: signalled before the server has read them (a fixed sleep
     * is not enough under TSan), the connection is rightly cut. So wait
     * until /metrics counts it, beside the /metrics request itself. */
    int begun = 0;
    for (double until = now() + 10; !begun && now() < until;) {
        reply m = get(s.port, "/metrics");
        begun = m.body && metric(m.body, "\ndocrules_requests_in_flight ") >= 2;
        dispose(&m);
        if (!begun) usleep(20000);
    }
    assert_true(begun);
    kill(s.pid, SIGTERM);
    /* No new connection is taken meanwhile: once the server has heard the
     * signal (polled, not a fixed sleep: a sanitizer build hears it late),
     * connecting is refused while the half-sent request still waits. */
    int refused = 0;
    for (double until = now() + 10; !refused && now() < until;) {
        int probe = tcp_dial(s.port, 1);
        refused = probe < 0;
        if (probe >= 0) close(probe);
        if (!refused) usleep(20000);
    }
    assert_true(refused);
    send_all(fd, acct + 10, strlen(acct) - 10);
    reply r = receive(fd);
    assert_int_equal(r.status, 200);
    assert_string_equal(header(&r, "Connection"), "close");
    json_t *j = json_of(&r);
    assert_string_equal(json_string_value(json_object_get(j, "id")), "late");
    json_decref(j);
    dispose(&r);
    assert_int_equal(stop(&s), 0);
}


/* --drain: after SIGTERM /healthz says 503 "draining" while decisions are
 * still answered, new connections taken; then the server stops by itself,
 * exit 0, every decision in its log. A second SIGTERM cuts a drain short. */
static void sigterm_drains_before_stopping(void **state) {
    (void)state;
    char dir[256], args[400];
    scratch_mkdtemp(dir, sizeof dir, "serve");
    snprintf(args, sizeof args, "--drain 2 --log %s/log.db", dir);
    server s;
    assert_int_equal(start(&s, args), 0);
    const char *acct = "{\"id\":\"d0\",\"product\":\"azure\"}";
    reply r = post(s.port, "/v1/decide", acct);
    assert_int_equal(r.status, 200);
    dispose(&r);
    double t0 = now();
    kill(s.pid, SIGTERM);
    int draining = 0;
    while (!draining && now() < t0 + 1.5) {
        r = get(s.port, "/healthz");
        if (r.status == 503) {
            json_t *j = json_of(&r);
            assert_string_equal(json_string_value(json_object_get(j, "status")), "draining");
            json_decref(j);
            draining = 1;
        } else {
            assert_int_equal(r.status, 200); /* not yet seen the signal */
        }
        dispose(&r);
    }
    assert_true(draining);
    /* Decisions go on, each on a new connection, closed after it. */
    int answered = 0;
    for (int i = 0; i < 5; i++) {
        char body[64];
        snprintf(body, sizeof body, "{\"id\":\"d%d\",\"product\":\"azure\"}", i + 1);
        r = post(s.port, "/v1/decide", body);
        assert_int_equal(r.status, 200);
        assert_string_equal(header(&r, "Connection"), "close");
        answered++;
        dispose(&r);
    }
    assert_true(now() < t0 + 2); /* all of it within the drain */
    assert_int_equal(ended(&s, 15), 0);
    assert_true(now() >= t0 + 1.9);
    assert_non_null(strstr(s.said, "draining for 2 s"));
    /* The log has the six decisions, the drain's included. */
    char cmd[400];
    snprintf(cmd, sizeof cmd, "log %s/log.db", dir);
    char *log = cli(cmd);
    int lines = 0;
    for (char *p = log; (p = strchr(p, '\n')); p++) lines++;
    assert_int_equal(lines, 1 + answered);
    for (int i = 0; i <= answered; i++) {
        char id[32];
        snprintf(id, sizeof id, "\"account_id\":\"d%d\"", i);
        assert_non_null(strstr(log, id));
    }
    free(log);

    /* A second SIGTERM ends a long drain at once. */
    assert_int_equal(start(&s, "--drain 60"), 0);
    t0 = now();
    kill(s.pid, SIGTERM);
    /* Draining: /healthz turns 503 (polled, not a fixed wait). */
    unsigned health = 0;
    for (double until = now() + 10; health != 503 && now() < until;) {
        r = get(s.port, "/healthz");
        health = r.status;
        dispose(&r);
        if (health != 503) usleep(20000);
    }
    assert_int_equal(health, 503);
    kill(s.pid, SIGTERM);
    assert_int_equal(ended(&s, 10), 0);
    assert_true(now() < t0 + 10);
}

static void a_listen_address_that_will_not_do(void **state) {
    (void)state;
    server a, b;
    assert_int_equal(start(&a, ""), 0);
    char args[64];
    snprintf(args, sizeof args, "--listen 127.0.0.1:%d", a.port);
    /* The later --listen wins over start()'s. */
    assert_int_equal(start(&b, args), 2);
    assert_non_null(strstr(b.said, "cannot listen on"));
    assert_int_equal(start(&b, "--listen nowhere"), 2);
    assert_non_null(strstr(b.said, "--listen wants ADDR:PORT"));
    /* a port is digits: strtol took '-0' (a random port) and ' 18476' */
    assert_int_equal(start(&b, "--listen 127.0.0.1:-0"), 2);
    assert_non_null(strstr(b.said, "--listen: '-0' is not a port"));
    assert_int_equal(start(&b, "--listen '127.0.0.1: 18476'"), 2);
    assert_non_null(strstr(b.said, "--listen: ' 18476' is not a port"));
    assert_int_equal(start(&b, "--log-required"), 2);
    assert_int_equal(start(&b, "--drain soon"), 2);
    assert_non_null(strstr(b.said, "--drain wants a number"));
    assert_int_equal(stop(&a), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(decides_as_the_command_line_does, cleanup),
        cmocka_unit_test_teardown(facts_revision_and_health, cleanup),
        cmocka_unit_test_teardown(a_bad_account_says_where, cleanup),
        cmocka_unit_test_teardown(a_bad_query_is_refused_with_the_cli_s_words, cleanup),
        cmocka_unit_test_teardown(unknown_paths_and_methods, cleanup),
        cmocka_unit_test_teardown(a_body_over_the_limit_is_413, cleanup),
        cmocka_unit_test_teardown(a_request_past_the_time_limit_is_408, cleanup),
        cmocka_unit_test_teardown(the_token_guards_all_but_health, cleanup),
        cmocka_unit_test_teardown(metrics_count_what_was_answered, cleanup),
        cmocka_unit_test_teardown(batch_answers_every_line_in_order, cleanup),
        cmocka_unit_test_teardown(batch_streams_past_the_body_limit, cleanup),
        cmocka_unit_test_teardown(reload_swaps_or_keeps_the_old_revision, cleanup),
        cmocka_unit_test_teardown(watch_reloads_on_change, cleanup),
        cmocka_unit_test_teardown(reload_rereads_the_bundle, cleanup),
        cmocka_unit_test_teardown(watch_follows_the_bundle, cleanup),
        cmocka_unit_test_teardown(every_answer_is_logged, cleanup),
        cmocka_unit_test_teardown(a_failing_log_refuses_or_is_said, cleanup),
        cmocka_unit_test_teardown(sigterm_finishes_the_requests_in_flight, cleanup),
        cmocka_unit_test_teardown(sigterm_drains_before_stopping, cleanup),
        cmocka_unit_test_teardown(a_listen_address_that_will_not_do, cleanup),
    };
    return cmocka_run_group_tests_name("serve", tests, scratch_setup, scratch_teardown);
}
