/* docrules: documentation-driven rules. One binary, one subcommand each. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const dr_cmd commands[] = {
    {"extract", dr_cmd_extract, "extract FILE...            parsed document model(s) as JSON\n"
                                "  extract --stats PATH...  files, bytes, MB/s and diagnostics by code"},
    {"facts", dr_cmd_facts, "facts [--corpus DIR]       every fact extracted from the corpus"},
    {"check", dr_cmd_check, "check ACCOUNT.json [--action A] [--as-of D] [--locale L] [--explain] [--fail-on LIST]\n"
                            "                             one decision (text on a terminal, else JSON)"},
    {"batch", dr_cmd_batch, "batch [-j N] < in.ndjson   one JSON decision line out for every line in"},
    {"validate", dr_cmd_validate, "validate [PATH...] [--format text|json|sarif|junit|github] [--min-severity S] [-j N]\n"
                                  "         [--docs-only] [--config F] [--max-warnings N] [--baseline F] [--write-baseline F]\n"
                                  "                             lint the corpus and the rules against it"},
    {"test", dr_cmd_test, "test [DIR] [--coverage]    run the rule test cases (default rules/tests)"},
};

static int help(FILE *out) {
    fputs("usage: docrules COMMAND [OPTIONS] [ARGS]\n\ncommands:\n", out);
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        fprintf(out, "  %s\n", commands[i].synopsis);
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        help(stderr);
        return DR_EXIT_USAGE;
    }
    if (strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
        return help(stdout);
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (strcmp(argv[1], commands[i].name) == 0) return commands[i].run(argc - 1, argv + 1);
    dr_cli_error("unknown command '%s'", argv[1]);
    help(stderr);
    return DR_EXIT_USAGE;
}
