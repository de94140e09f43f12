/* The rule engine: Lua 5.4 rule scripts over an account and the facts of a
 * corpus, giving a decision.
 *
 * An engine owns one Lua state, built once with every rule script compiled,
 * and reused for every account. It is sandboxed (no io, os, require, load,
 * debug or bytecode) and limited: each decision has an instruction budget
 * and the state a memory cap. Engines share nothing mutable, so each worker
 * thread has its own; dr_engine_fork makes one that shares the (read-only)
 * facts of another instead of parsing the corpus again. */
#ifndef DR_ENGINE_H
#define DR_ENGINE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../common/buf.h"
#include "../common/error.h"
#include "../facts/facts.h"

typedef struct dr_engine dr_engine;
struct dr_bundle;

/* A rule script's text as an engine loaded it (state.c): a root keeps its
 * scripts' so that forks load the same text and bundle/ can write it. */
typedef struct dr_source {
    char *path, *text;
    size_t len;
} dr_source;
void dr_sources_free(dr_source *v, size_t n);

typedef struct dr_engine_opts {
    const char *rules_dir;     /* the rule scripts; rules/tests/ is not loaded */
    const char *const *corpus; /* paths of the docs (files or folders) */
    size_t ncorpus;
    long max_instructions;     /* per decision; 0: DR_DEFAULT_MAX_INSTRUCTIONS */
    size_t max_memory;         /* per state, bytes; 0: DR_DEFAULT_MAX_MEMORY */
    const char *today;         /* YYYY-MM-DD for a missing date; NULL: the clock */
    const char *corpus_label;  /* how to name corpus[0] in citations ("corpus"), or NULL */
} dr_engine_opts;

#define DR_DEFAULT_MAX_INSTRUCTIONS 1000000L
#define DR_DEFAULT_MAX_MEMORY ((size_t)64 * 1024 * 1024)

typedef struct dr_query {
    const char *action;        /* NULL: the account's, else cancel-subscription */
    const char *as_of;         /* NULL: today */
    const char *locale;        /* NULL: the account's, then en-us, then any */
    int explain;               /* add every rule considered and why */
    int coverage;              /* remember what was exercised (docrules test) */
    const char *fields;        /* "id,decision,channels": only these top-level
                                  fields in the output; NULL: all */
    int strict;                /* a field the contract does not name is a bad
                                  account, not a warning */
} dr_query;


/* The actions rules/ declares ("cancel-subscription"...), NULL-ended. */
const char *const *dr_engine_actions(const dr_engine *e);
/* The values a decision's "decision" can take, NULL-ended: the contract's
 * (engine/output.c), for docrules_decisions. */
const char *const *dr_decisions(void);
/* The roles an actor can have ("account_admin"...), NULL-ended. */
const char *const *dr_engine_roles(const dr_engine *e);

int dr_engine_new(const dr_engine_opts *opts, dr_engine **out, dr_error *err);
/* The same from a compiled bundle (bundle/bundle.h) instead of opts'
 * rules_dir and corpus, which are not read (its limits and today are):
 * the rules, facts and revision are the bundle's. The engine takes b and
 * frees it with itself; on error b is still the caller's (the cache reads
 * its file list on another thread while the engine is made). */
int dr_engine_new_from_bundle(const dr_engine_opts *opts, struct dr_bundle *b, dr_engine **out, dr_error *err);
int dr_engine_fork(const dr_engine *parent, dr_engine **out, dr_error *err);
void dr_engine_free(dr_engine *e);

const dr_catalog *dr_engine_catalog(const dr_engine *e);
/* The scripts the engine loaded, in load order, with their text. */
const dr_source *dr_engine_sources(const dr_engine *e, size_t *n);
/* What went into the revision apart from the rule scripts: the lexicons'
 * hash (when the rules have lexicons/) and the corpus's; and the
 * revision, 16 hex digits. */
void dr_engine_hashes(const dr_engine *e, int *has_lexicons, uint64_t *lexicons, uint64_t *docs);
/* The revision its decisions carry (forks share their parent's). */
const char *dr_engine_revision(const dr_engine *e);
const char *dr_engine_rules_dir(const dr_engine *e);
const dr_factset *dr_engine_factset(const dr_engine *e);

/* Decides for one account given as JSON text. *json receives a malloc'd
 * decision object (caller frees) on DR_OK. A bad account fails with
 * DR_EPARSE and err placed in the account text (err->file is left for the
 * caller to fill); a rule that fails or runs out of its limits gives a
 * decision with "decision": "error" and the script's file:line, not a
 * failure, so a batch goes on. */
int dr_engine_decide(dr_engine *e, const char *account, size_t len, const dr_query *q,
                     char **json, dr_error *err);

/* The same, appending the decision to out: a batch writes every decision
 * of a chunk into one buffer. */
int dr_engine_decide_buf(dr_engine *e, const char *account, size_t len, const dr_query *q,
                         dr_buf *out, dr_error *err);
/* The last decision's outcome (docrules_outcome_get), each NULL when it
 * had none: e's strings, valid until its next decision. */
void dr_engine_outcome(const dr_engine *e, const char **decision, const char **action, const char **id);

/* Test cases (case { ... } in the scripts of a folder): how many. */
int dr_engine_load_cases(dr_engine *e, const char *dir, size_t *ncases, dr_error *err);
/* Case i: where it is, its name, its account and what it expects as JSON
 * (both malloc'd), and the day and language it asks about (or NULL). */
typedef struct dr_case {
    const char *file, *name, *as_of, *locale;
    int line;
    char *account, *expect;
} dr_case;
int dr_engine_case(dr_engine *e, size_t i, dr_case *c);
/* The facts the rules would read on as_of for a reader of locale (NULL:
 * en-us): keep[j] (one per dr_factset_facts entry) set for each. */
int dr_engine_facts_in_force(dr_engine *e, const char *as_of, const char *locale, unsigned char *keep);
/* Whether a decision can have field k (--fields): the contract's, the
 * engine's own (as_of, warnings...) or one a compute adds. */
int dr_engine_field_known(dr_engine *e, const char *k);
/* Every field a decision can have, "id, action, ...", for a message. */
void dr_engine_fields_said(dr_engine *e, char *buf, size_t size);
/* Whether docrules can answer in tag's language ("fr" of "fr-ca"): the
 * corpus has docs in it or rules/lexicons teaches it. langs receives the
 * languages it knows ("ar, de, en"), for a message. */
int dr_engine_language_known(const dr_engine *e, const char *tag, char *langs, size_t size);
/* The engine's today (opts.today, or the clock's day when it was made). */
const char *dr_engine_today(const dr_engine *e);
/* Lines "FILE:LINE: rule X never decided" for what the cases missed. */
int dr_engine_coverage(dr_engine *e, char ***lines, size_t *n);
/* How much the cases exercised: rules (and computes) that decided, and
 * condition outcomes seen (each condition has two: true and false). With
 * lcov, writes an lcov tracefile: a DA line per rule (hit when it
 * decided), BRDA lines per condition's two outcomes. */
typedef struct dr_coverage_stats {
    size_t rules, rules_hit, branches, branches_hit;
} dr_coverage_stats;
int dr_engine_coverage_stats(dr_engine *e, dr_coverage_stats *st, FILE *lcov);

/* What a folder of rule scripts declares, as plain data (declared.c), for
 * docrules validate: read by running the scripts in a state closed before
 * dr_declared_read returns. Everything lives as long as the dr_declared. */
typedef struct dr_lint_pattern {
    const char *artifact, *message, *lang, *regex, *file;
    int line;
} dr_lint_pattern;
/* A fact a rule or compute names: in uses, or optional. */
typedef struct dr_fact_use {
    const char *rule, *file, *fact;
    int line, optional;
} dr_fact_use;
/* A doc a test case expects a decision to cite. */
typedef struct dr_case_cite {
    const char *file, *name, *doc;
    int line;
} dr_case_cite;
typedef struct dr_declared {
    dr_catalog *cat;            /* articles, facts, lexicons */
    const char ***required;     /* front-matter keys: groups of alternatives, each NULL-ended */
    size_t nrequired;
    dr_lint_pattern *artifacts; /* machine-translation artifacts, a pattern each */
    size_t nartifacts;
    dr_fact_use *uses;          /* each rule once, its facts in order */
    size_t nuses;
    dr_case_cite *cites;        /* rules/tests' cases */
    size_t ncites;
    dr_error cases_error;       /* code set when rules/tests did not load */
    struct dr_arena *arena;
} dr_declared;
int dr_declared_read(const char *rules_dir, dr_declared **out, dr_error *err);
void dr_declared_free(dr_declared *d);

#endif
