#define _GNU_SOURCE
#include "query.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/dates.h"
#include "../common/error.h"
#include "cli.h"

static int is_dir(const char *p) {
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

int dr_qopts_take(const char *cmd, dr_qopts *o, int argc, char **argv, int *i) {
    static const char *const valued[] = {"--corpus", "--rules", "--as-of", "--locale", "--action", "--format", "--fields",
                                         "--bundle", "-j", "--max-instructions", "--max-memory", NULL};
    const char *a = argv[*i];
    if (!(o->takes & DR_QOPTS_DECIDES) && (strcmp(a, "--explain") == 0 || strcmp(a, "--strict") == 0 ||
                                          strcmp(a, "--action") == 0 || strcmp(a, "--fields") == 0)) {
        dr_cli_usage(cmd, "%s is for the commands that write decisions (check, batch, test, serve), not %s", a, cmd);
        return -1;
    }
    if (strcmp(a, "--explain") == 0) {
        o->explain = 1;
        return 1;
    }
    if (strcmp(a, "--strict") == 0) {
        o->strict = 1;
        return 1;
    }
    if (strcmp(a, "--no-cache") == 0) {
        o->no_cache = 1;
        return 1;
    }
    const char *const *v = valued;
    while (*v && strcmp(*v, a) != 0) v++;
    if (!*v) return 0;
    if (*i + 1 >= argc) {
        dr_cli_usage(cmd, "%s needs a value", a);
        return -1;
    }
    const char *val = argv[++*i];
    if (strcmp(a, "--corpus") == 0) o->corpus = val;
    else if (strcmp(a, "--rules") == 0) o->rules = val;
    else if (strcmp(a, "--as-of") == 0) o->as_of = val;
    else if (strcmp(a, "--locale") == 0) o->locale = val;
    else if (strcmp(a, "--action") == 0) o->action = val;
    else if (strcmp(a, "--format") == 0) o->format = val;
    else if (strcmp(a, "--fields") == 0) o->fields = val;
    else if (strcmp(a, "--bundle") == 0) o->bundle = val;
    else {
        char *end;
        errno = 0;
        long n = strtol(val, &end, 10);
        /* Checked before the cast and the multiplication that would wrap:
         * -j 4294967297 ran one job, --max-memory 2^44 became the default. */
        int jobs = strcmp(a, "-j") == 0, mem = strcmp(a, "--max-memory") == 0;
        long most = jobs ? DR_CLI_MAX_JOBS : mem ? DR_CLI_MAX_MEMORY_MB : LONG_MAX;
        if (end == val || *end || n <= 0 || errno == ERANGE || n > most) {
            if (jobs || mem)
                dr_cli_usage(cmd, "%s wants a number %sfrom 1 to %ld, not '%s'", a, jobs ? "of threads " : "of MiB ",
                             most, val);
            else
                dr_cli_usage(cmd, "%s wants a positive number, not '%s'", a, val);
            return -1;
        }
        if (strcmp(a, "-j") == 0) o->jobs = (int)n;
        else if (strcmp(a, "--max-instructions") == 0) o->max_instructions = n;
        else o->max_memory_mb = n;
    }
    return 1;
}

/* Where the bundled corpus and rules are: the working directory when it
 * holds them (so paths print as corpus/...), else the installed data next
 * to an installed binary, else the source tree this binary was built in. */
static const char *bundled(const char *name) {
    static char buf[2][4096];
    char *out = buf[strcmp(name, "rules") == 0];
    if (is_dir(name) && is_dir("corpus") && is_dir("rules")) return name;
    char dir[4096];
    size_t prefix = dr_exe_dir(dir, sizeof dir) == 0 ? dr_install_prefix(dir) : 0;
    if (prefix) {
        /* An installed binary finds PREFIX/share/docrules, wherever
         * PREFIX is. */
        snprintf(out, 4096, "%.*s/share/docrules/%s", (int)prefix, dir, name);
        if (is_dir(out)) return out;
        snprintf(out, 4096, "%s/%s", DR_DATADIR, name);
        if (is_dir(out)) return out;
    }
    snprintf(out, 4096, "%s/%s", DR_TOP, name);
    if (is_dir(out)) return out;
    snprintf(out, 4096, "%s/%s", DR_DATADIR, name);
    return out;
}

int dr_qopts_finish(const char *cmd, dr_qopts *o) {
    /* A bundle is a corpus and rules already read: naming others too
     * would leave one of them unread, in silence. */
    if (o->bundle && (o->corpus || o->rules))
        return dr_cli_usage(cmd, "--bundle holds the rules and the corpus: give it, or --corpus and --rules, not both");
    if (!o->corpus) {
        o->corpus = bundled("corpus");
        o->bundled_corpus = strcmp(o->corpus, "corpus") != 0;
    }
    if (!o->rules) o->rules = bundled("rules");
    if (!o->format) o->format = isatty(STDOUT_FILENO) && (o->takes & DR_QOPTS_TEXT) ? "text" : "json";
    if (strcmp(o->format, "text") != 0 && strcmp(o->format, "json") != 0)
        return dr_cli_usage(cmd, "--format is text or json, not '%s'", o->format);
    if (!(o->takes & DR_QOPTS_TEXT) && strcmp(o->format, "text") == 0)
        return dr_cli_usage(cmd, "%s writes JSON only: --format text is for check and facts", cmd);
    long day;
    if (o->as_of && dr_date_from_iso(o->as_of, &day) != DR_OK)
        return dr_cli_usage(cmd, "--as-of wants a date YYYY-MM-DD, not '%s'", o->as_of);
    const char *t = getenv("DOCRULES_TODAY");
    if (t && *t) {
        if (dr_date_from_iso(t, &day) != DR_OK)
            return dr_cli_usage(cmd, "DOCRULES_TODAY wants a date YYYY-MM-DD, not '%s'", t);
        o->today = t;
    }
    if (!o->jobs) o->jobs = 1;
    return 0;
}

docrules_ruleset *dr_qopts_open(const dr_qopts *o) {
    docrules_ruleset *rs;
    docrules_error err;
    if (dr_qopts_ruleset(o, &rs, &err) < 0) {
        dr_cli_api_error(&err);
        return NULL;
    }
    /* A cache that cannot be used is said once (--no-cache silences it);
     * what it did, only when DOCRULES_CACHE_DEBUG asks. */
    int warning;
    const char *note = docrules_ruleset_cache_note(rs, &warning);
    const char *debug = getenv("DOCRULES_CACHE_DEBUG");
    if (note && (warning || (debug && *debug && strcmp(debug, "0") != 0))) dr_cli_error("%s", note);
    return rs;
}

int dr_qopts_ruleset(const dr_qopts *o, docrules_ruleset **out, docrules_error *err) {
    const char *corpus[1] = {o->corpus};
    docrules_ruleset_options ro = DOCRULES_RULESET_OPTIONS_INIT;
    if (o->bundle) {
        ro.bundle = o->bundle;
    } else {
        ro.rules_dir = o->rules;
        ro.corpus = corpus;
        ro.ncorpus = 1;
        ro.corpus_label = o->bundled_corpus ? "corpus" : NULL;
        ro.cache = !o->no_cache;
    }
    ro.max_instructions = o->max_instructions;
    ro.max_memory = (size_t)o->max_memory_mb * 1024 * 1024;
    ro.today = o->today;
    return docrules_ruleset_open(out, &ro, err);
}

docrules_query dr_qopts_query(const dr_qopts *o) {
    docrules_query q = DOCRULES_QUERY_INIT;
    q.action = o->action;
    q.as_of = o->as_of;
    q.locale = o->locale;
    q.explain = o->explain;
    q.fields = o->fields;
    q.strict = o->strict;
    return q;
}

docrules_engine *dr_qopts_engine(const char *cmd, const dr_qopts *o, const docrules_ruleset *rs) {
    docrules_engine *e;
    docrules_error err;
    if (docrules_engine_new(&e, rs, NULL, &err) < 0) {
        dr_cli_api_error(&err);
        return NULL;
    }
    /* What only the rules and corpus can tell is still the caller's
     * mistake: an action, field or language they do not know. */
    docrules_query q = dr_qopts_query(o);
    if (docrules_query_check(e, &q, &err) < 0) {
        dr_cli_usage(cmd, "--%s", err.message);
        docrules_engine_free(e);
        return NULL;
    }
    return e;
}

