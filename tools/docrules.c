/* docrules: documentation-driven rules. One binary, one subcommand each. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../include/docrules.h"
#include "cli.h"

/* The options every querying command takes (tools/query.c). */
#define QUERY_OPTIONS                                                                              \
    "  --corpus DIR            the docs (default: the bundled corpus, cited as corpus/...)\n"     \
    "  --rules DIR             the rule scripts (default: the bundled rules)\n"                    \
    "  --bundle FILE           the rules and facts of a compiled bundle (docrules build), not\n"  \
    "                          --corpus and --rules\n"                                           \
    "  --no-cache              read the corpus and rules, not the cached bundle of them\n"        \
    "                          (~/.cache/docrules, or $XDG_CACHE_HOME/docrules)\n"               \
    "  --as-of YYYY-MM-DD      the policy in force that day (default today, or DOCRULES_TODAY)\n" \
    "  --locale TAG            the steps' language (default the account's, then en-us, then any)\n" \
    "  --max-instructions N    the instruction budget of one decision (default 1000000)\n"        \
    "  --max-memory MiB        the memory cap of one Lua state (default 64)\n"
/* ... and those of the commands that write decisions (DR_QOPTS_DECIDES). */
#define DECISION_OPTIONS                                                                           \
    "  --action A              cancel-subscription, close-account or reactivate-subscription\n"    \
    "  --fields LIST           only these top-level fields of each decision\n"                     \
    "  --explain               every rule tried, each condition and the values it compared,\n"    \
    "                          the facts with doc lines\n"                                          \
    "  --strict                an account field the contract does not name is a bad account\n"
/* check and facts write text or JSON (DR_QOPTS_TEXT); test has formats of its own. */
#define FORMAT_OPTION "  --format text|json      output form (default: text on a terminal, else json)\n"

static const dr_cmd commands[] = {
    {"extract", dr_cmd_extract, "extract [-j N] FILE...     parsed document model(s) as JSON\n"
                                "  extract --stats PATH...  files, bytes, MB/s and diagnostics by code",
     "  --stats                 counts, throughput, peak memory and diagnostics by code\n"
     "  --compact               one line of JSON per document\n"
     "  --max-bytes N           refuse files larger than N bytes\n"
     "  -j N                    worker threads, 1 to 1024 (default 1, so that --stats measures\n"
     "                          one parser on any machine); the output is the same whatever N\n"},
    {"facts", dr_cmd_facts, "facts [--corpus DIR]       every fact extracted from the corpus", QUERY_OPTIONS FORMAT_OPTION},
    {"check", dr_cmd_check, "check ACCOUNT.json [--action A] [--as-of D] [--locale L] [--explain] [--fail-on LIST]\n"
                            "                             one decision (text on a terminal, else JSON)",
     QUERY_OPTIONS DECISION_OPTIONS FORMAT_OPTION "  --fail-on LIST          exit 3 for these decisions too (error always exits 3)\n"},
    {"batch", dr_cmd_batch, "batch [-j N] < in.ndjson   one JSON decision line out for every line in",
     QUERY_OPTIONS DECISION_OPTIONS "  -j N                    worker threads (default 1: a filter in a pipeline)\n"},
    {"validate", dr_cmd_validate, "validate [PATH...] [--format text|json|sarif|junit|github] [--min-severity S] [-j N]\n"
                                  "         [--docs-only] [--config F] [--max-warnings N] [--baseline F] [--write-baseline F]\n"
                                  "                             lint the corpus and the rules against it",
     "  --rules DIR             the rule scripts to check against the docs\n"
     "  --format F              text, json, sarif, junit or github (workflow commands)\n"
     "  --min-severity S        note, warning or error\n"
     "  -j N                    worker threads (default: the cores)\n"
     "  --docs-only             lint the docs alone (with rules/validate.lua's checks), not\n"
     "                          the rules against them\n"
     "  --config FILE           .docrules.yaml (default: in the folder validated or above it)\n"
     "  --max-warnings N        exit 1 when there are more warnings than N\n"
     "  --baseline FILE         report only findings FILE does not hold\n"
     "  --write-baseline FILE   write today's findings to FILE\n"},
    {"build", dr_cmd_build, "build [--corpus DIR] [--rules DIR] -o FILE\n"
                            "                             compile the rules and the corpus's facts into a bundle",
     "  --corpus DIR            the docs (default: the bundled corpus, cited as corpus/...)\n"
     "  --rules DIR             the rule scripts (default: the bundled rules)\n"
     "  -o FILE                 the bundle to write (replaced atomically)\n"},
    {"test", dr_cmd_test, "test [PATH...] [--coverage] [--run PATTERN] [-v] [--format text|json|junit]\n"
                          "                             run the rule test cases (default rules/tests)",
     QUERY_OPTIONS DECISION_OPTIONS "  --coverage              list the rules and conditions no case exercised\n"
                   "  --coverage-out FILE     also write the coverage as an lcov tracefile\n"
                   "  --run PATTERN           only the cases whose name contains PATTERN (or matches it: *)\n"
                   "  -v                      say each passing case too\n"
                   "  --format text|json|junit  the results as text, JSON or JUnit XML\n"},
    {"serve", dr_cmd_serve, "serve [--listen ADDR:PORT] [-j N] [--token-file F] [--log F] [--watch]\n"
                            "                             the decision service over HTTP (README: Decision service)",
     "  --listen ADDR:PORT      where to listen (default 127.0.0.1:8181; port 0: any free one)\n"
     "  -j N                    engines and HTTP threads (default: the cores)\n"
     "  --max-body BYTES        the largest /v1/decide body, and /v1/batch line (default 1 MiB)\n"
     "  --timeout SECONDS       a request's time limit, and an idle connection's (default 30)\n"
     "  --max-connections N     connections at once; past it new ones wait to be accepted\n"
     "  --token-file FILE       ask every request but /healthz for 'Authorization: Bearer' the\n"
     "                          file's first line\n"
     "  --log FILE              append every decision to the decision log FILE (SQLite)\n"
     "  --log-required          refuse decisions (503) while the log cannot be written\n"
     "  --watch                 reload when a file under --rules or --corpus changes\n"
     "                          (SIGHUP and POST /v1/reload reload too)\n"
     "  --drain SECONDS         on SIGTERM, go on deciding this long while /healthz says\n"
     "                          503 draining, so that a balancer takes the server out first\n"
     QUERY_OPTIONS DECISION_OPTIONS},
    {"log", dr_cmd_log, "log FILE [--id ID] [--account ID] [--since TIME] [--decision D]\n"
                        "                             the decisions serve logged in FILE, oldest first, as NDJSON",
     "  --id ID                 the entry of this decision_id\n"
     "  --account ID            the entries of this account id\n"
     "  --since TIME            the entries at or after TIME: RFC 3339 (2026-12-02T08:40:00Z,\n"
     "                          .123Z, +01:00) or YYYY-MM-DD (midnight UTC)\n"
     "  --decision D            the entries of this decision (allow, deny, ..., error)\n"},
};

static int help(FILE *out) {
    fputs("usage: docrules COMMAND [OPTIONS] [ARGS]\n\ncommands:\n", out);
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        fprintf(out, "  %s\n", commands[i].synopsis);
    fputs("\n'docrules COMMAND --help' lists a command's options; 'docrules --version' its version.\n", out);
    return 0;
}

static int command_help(const dr_cmd *c) {
    printf("usage: docrules %s\n\noptions:\n%s", c->synopsis, c->options);
    return DR_EXIT_OK;
}

static int asks_help(int argc, char **argv) {
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0) return 0;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) return 1;
    }
    return 0;
}

/* What a command wrote must have reached standard output: a decision or a
 * report lost to a full disk is a failure, not exit 0. A command that
 * exits 2 has said why already (the report could not be written, a bad
 * account...); any other is told here, and exits 2 too. */
static int finish(int rc) {
    errno = 0;
    if (fflush(stdout) == 0 && !ferror(stdout)) return rc;
    if (rc != DR_EXIT_USAGE) dr_cli_error("standard output: %s", errno ? strerror(errno) : "a write failed");
    return DR_EXIT_USAGE;
}

static int run(int argc, char **argv) {
    if (argc < 2) {
        help(stderr);
        return DR_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("docrules %s\n", DOCRULES_VERSION);
        return DR_EXIT_OK;
    }
    int help_of = strcmp(argv[1], "help") == 0 && argc > 2; /* docrules help check */
    if (!help_of && (strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0))
        return help(stdout);
    const char *name = help_of ? argv[2] : argv[1];
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (strcmp(name, commands[i].name) == 0)
            return help_of || asks_help(argc, argv) ? command_help(&commands[i]) : commands[i].run(argc - 1, argv + 1);
    dr_cli_error("unknown command '%s'", name);
    help(stderr);
    return DR_EXIT_USAGE;
}

int main(int argc, char **argv) { return finish(run(argc, argv)); }
