/* docrules serve: the decision service (serve/). The command line here;
 * the service in serve/serve.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../serve/serve.h"
#include "cli.h"
#include "query.h"

/* The rule set, opened as every querying command opens it: what the
 * service reloads is what it started with. */
static int open_rules(void *ctx, docrules_ruleset **out, docrules_error *err) {
    return dr_qopts_ruleset(ctx, out, err);
}

/* The token: the file's first line, without its line end. */
/* The token: the file's first line, without its line ending and the
 * spaces and tabs around it (the Authorization header is read with its
 * spaces trimmed, so a token ending in one could never match). One that
 * does not fit is refused, never cut short. */
static int read_token(const char *path, char *tok, size_t size) {
    FILE *f = fopen(path, "r");
    if (!f) return dr_cli_usage("serve", "--token-file %s: cannot read: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) { /* a pipe (<(echo x)) will do */
        fclose(f);
        return dr_cli_usage("serve", "--token-file %s: cannot read: a folder", path);
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n = getline(&line, &cap, f);
    fclose(f);
    if (n < 0) n = 0;
    size_t from = 0, to = (size_t)n;
    while (to > from && (line[to - 1] == ' ' || line[to - 1] == '\t' || line[to - 1] == '\r' || line[to - 1] == '\n'))
        to--;
    while (from < to && (line[from] == ' ' || line[from] == '\t')) from++;
    int rc = 0;
    if (from == to) rc = dr_cli_usage("serve", "--token-file %s: the first line is empty: no token", path);
    else if (to - from >= size)
        rc = dr_cli_usage("serve", "--token-file %s: the token is longer than %zu bytes", path, size - 1);
    else if (memchr(line + from, '\0', to - from))
        rc = dr_cli_usage("serve", "--token-file %s: the token holds a NUL byte", path);
    else {
        memcpy(tok, line + from, to - from);
        tok[to - from] = '\0';
    }
    free(line);
    return rc;
}

static int number(const char *opt, const char *val, unsigned long long max, unsigned long long *out) {
    char *end;
    errno = 0;
    unsigned long long n = strtoull(val, &end, 10);
    if (!*val || *end || errno || n == 0 || n > max || val[0] == '-')
        return dr_cli_usage("serve", "%s wants a number from 1 to %llu, not '%s'", opt, max, val);
    *out = n;
    return 0;
}

int dr_cmd_serve(int argc, char **argv) {
    dr_qopts o = {.takes = DR_QOPTS_DECIDES};
    dr_serve_options so = DR_SERVE_OPTIONS_INIT;
    const char *token_file = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        unsigned long long n;
        if (strcmp(a, "--log-required") == 0) {
            so.log_required = 1;
            continue;
        }
        if (strcmp(a, "--watch") == 0) {
            so.watch = 1;
            continue;
        }
        static const char *const valued[] = {"--listen", "--max-body", "--timeout", "--drain", "--max-connections",
                                             "--token-file", "--log", NULL};
        const char *const *v = valued;
        while (*v && strcmp(*v, a) != 0) v++;
        if (*v) {
            if (i + 1 >= argc) return dr_cli_usage("serve", "%s needs a value", a);
            const char *val = argv[++i];
            if (strcmp(a, "--listen") == 0) so.listen = val;
            else if (strcmp(a, "--token-file") == 0) token_file = val;
            else if (strcmp(a, "--log") == 0) so.log_path = val;
            else if (strcmp(a, "--max-body") == 0) {
                if (number(a, val, 1ULL << 40, &n)) return DR_EXIT_USAGE;
                so.max_body = (size_t)n;
            } else if (strcmp(a, "--drain") == 0) {
                /* 0 is today's default, written out: no drain. */
                if (strcmp(val, "0") == 0) so.drain = 0;
                else if (number(a, val, 3600, &n)) return DR_EXIT_USAGE;
                else so.drain = (unsigned)n;
            } else if (strcmp(a, "--timeout") == 0) {
                if (number(a, val, 86400, &n)) return DR_EXIT_USAGE;
                so.timeout = (unsigned)n;
            } else {
                if (number(a, val, 1000000, &n)) return DR_EXIT_USAGE;
                so.max_connections = (unsigned)n;
            }
            continue;
        }
        int t = dr_qopts_take("serve", &o, argc, argv, &i);
        if (t < 0) return DR_EXIT_USAGE;
        if (!t) return dr_cli_usage("serve", "unknown argument '%s'", a);
    }
    if (so.log_required && !so.log_path) return dr_cli_usage("serve", "--log-required needs --log FILE");
    int jobs = o.jobs; /* 0: the service's default, one per core */
    if (dr_qopts_finish("serve", &o)) return DR_EXIT_USAGE;
    char token[4096];
    if (token_file) {
        if (read_token(token_file, token, sizeof token)) return DR_EXIT_USAGE;
        so.token = token;
    }
    so.jobs = jobs;
    /* With --bundle the rules folder is only where the cases are (as for
     * `docrules test --bundle`): the bundle holds the rules and corpus it
     * was built from, and it is what a reload reads and --watch watches. */
    so.rules_dir = o.rules;
    so.corpus_dir = o.bundle ? NULL : o.corpus;
    so.bundle = o.bundle;
    so.query = dr_qopts_query(&o);
    so.open = open_rules;
    so.open_ctx = &o;
    dr_error err;
    dr_error_clear(&err);
    if (dr_serve_run(&so, &err) < 0) {
        char buf[1700];
        if (err.code == DR_EUSAGE) return dr_cli_usage("serve", "%s", dr_error_format(&err, buf, sizeof buf));
        dr_cli_error("%s", dr_error_format(&err, buf, sizeof buf));
        return DR_EXIT_USAGE;
    }
    return DR_EXIT_OK;
}
