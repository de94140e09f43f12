/* Options every querying command takes (check, batch, facts, test), and the
 * engine they build. */
#ifndef DR_QUERY_H
#define DR_QUERY_H

#include "../include/docrules.h"

/* What a command's options may say beyond the rule set's (the corpus,
 * rules, bundle, day, language and limits every querying command takes):
 * an option the command would not act on is a usage error, not ignored. */
enum {
    DR_QOPTS_DECIDES = 1, /* --action, --fields, --explain, --strict: it writes decisions */
    DR_QOPTS_TEXT = 2     /* --format text: it writes text too, not only JSON */
};

typedef struct dr_qopts {
    unsigned takes;         /* DR_QOPTS_*: set by the command before any option */
    const char *corpus, *rules, *as_of, *locale, *action, *format, *fields;
    int explain, jobs;
    int strict;             /* --strict: unknown account fields are bad accounts */
    long max_instructions;
    long max_memory_mb;
    const char *today;      /* DOCRULES_TODAY, for reproducible runs */
    int bundled_corpus;     /* no --corpus: docs are named corpus/... */
    const char *bundle;     /* --bundle FILE: the rules and facts from a compiled bundle */
    int no_cache;           /* --no-cache: read the files, keep no bundle of them */
} dr_qopts;

/* Takes the option at argv[*i] (and its value) if it is a common one:
 * returns 1 when taken, 0 when not ours, -1 after printing a usage error. */
int dr_qopts_take(const char *cmd, dr_qopts *o, int argc, char **argv, int *i);
/* Fills defaults: the bundled corpus and rules, json unless stdout is a
 * terminal. Returns DR_EXIT_USAGE after a message on bad values, else 0. */
int dr_qopts_finish(const char *cmd, dr_qopts *o);
/* Opens the rule set the options name (rules, corpus, limits, today);
 * prints the error and returns NULL on failure. */
docrules_ruleset *dr_qopts_open(const dr_qopts *o);
/* The same without printing: the error in err (the service reports a
 * failed reload rather than print it as a command would). */
int dr_qopts_ruleset(const dr_qopts *o, docrules_ruleset **out, docrules_error *err);
/* The query the options ask. */
docrules_query dr_qopts_query(const dr_qopts *o);
/* An engine of rs, and the options' query checked against it (--action,
 * --fields, --locale: a usage error of cmd); prints and returns NULL on
 * failure. */
docrules_engine *dr_qopts_engine(const char *cmd, const dr_qopts *o, const docrules_ruleset *rs);

#endif
