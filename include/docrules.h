/*
 * docrules.h - decisions from documentation, as a library.
 *
 * docrules reads support and billing documentation (Markdown, in many
 * languages and versions), extracts the facts policy authors declare
 * (thresholds, durations, roles, procedures) and runs their Lua rule
 * scripts, sandboxed, over an account, giving a decision whose every reason
 * cites the doc line it rests on.
 *
 * A program embeds it in three steps:
 *
 *     docrules_ruleset *rs;
 *     docrules_engine *e;
 *     docrules_error err;
 *     docrules_ruleset_options ro = DOCRULES_RULESET_OPTIONS_INIT;
 *     const char *corpus[] = {"corpus"};
 *     ro.rules_dir = "rules";
 *     ro.corpus = corpus;
 *     ro.ncorpus = 1;
 *     if (docrules_ruleset_open(&rs, &ro, &err) < 0) ...      (once)
 *     if (docrules_engine_new(&e, rs, NULL, &err) < 0) ...   (once per thread)
 *     docrules_buf out = DOCRULES_BUF_INIT;
 *     if (docrules_decide(&out, e, json, len, NULL, &err) < 0) ...   (per account)
 *     fwrite(out.ptr, 1, out.size, stdout);
 *     docrules_buf_dispose(&out);
 *     docrules_engine_free(e);
 *     docrules_ruleset_free(rs);
 *
 * Conventions. Every function that can fail returns 0 (DOCRULES_OK) or a
 * negative DOCRULES_E* code and fills the caller's docrules_error, when one
 * is given, with the file, line and column of the input at fault and a
 * message. Out-parameters come first. Option structs start with a version
 * field: initialise them with their *_INIT macro and set what you need, so
 * that a program built against this header keeps working when fields are
 * added. Nothing here keeps global state: any number of rule sets and
 * engines live in one process.
 *
 * Memory. What a rule script allocates lives in its engine's Lua state,
 * capped by max_memory: a script past the cap gets an error decision and
 * the engine goes on. docrules' own bookkeeping (parsed docs, lists,
 * buffers) is small, and when an allocation of it fails the process ends
 * with "docrules: out of memory", as with cmark: an embedder that must
 * survive memory exhaustion runs docrules in a process of its own.
 *
 * Threads. A docrules_ruleset is immutable once open and may be shared by
 * any number of threads. A docrules_engine is one sandboxed Lua state: use
 * it from one thread at a time (make one per worker thread; each shares its
 * rule set's parsed docs). A docrules_parser likewise, one per thread.
 * docrules_validate runs worker threads of its own. cmark-gfm, which
 * parses the Markdown, registers its extensions on first use without a
 * lock: a program that parses on several threads opens its first rule set,
 * parser or validation before it starts them.
 *
 * Stability. The functions, types, codes and macros of this header are
 * stable from version 1.0 on: they may gain functions and option fields
 * (behind the version field), never change or lose one. Before 1.0 (this
 * is 0.x) they may still change between minor versions, and the release
 * notes say how. The decision JSON is the contract's (CONTRACT.md), with the
 * additions the README lists.
 */
#ifndef DOCRULES_H
#define DOCRULES_H

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Marks what the shared library exports; everything else in it is hidden. */
#if defined(DOCRULES_BUILDING) && defined(__GNUC__)
#define DOCRULES_EXTERN __attribute__((visibility("default")))
#else
#define DOCRULES_EXTERN
#endif

#define DOCRULES_VERSION_MAJOR 0
#define DOCRULES_VERSION_MINOR 7
#define DOCRULES_VERSION_PATCH 0
#define DOCRULES_VERSION "0.7.0"

/* The library's version, as "MAJOR.MINOR.PATCH": the one linked, which
 * may be newer than DOCRULES_VERSION, the one compiled against. */
DOCRULES_EXTERN const char *docrules_version(void);

/* --- Errors ---------------------------------------------------------------- */

enum {
    DOCRULES_OK = 0,
    DOCRULES_EIO = -1,    /* a file could not be read */
    DOCRULES_EPARSE = -2, /* the input is not in the form it must be (a bad account) */
    DOCRULES_EUSAGE = -3, /* the call makes no sense (a NULL where a value must be) */
    DOCRULES_ELIMIT = -4, /* a limit stopped the work (memory) */
    DOCRULES_ERULE = -5   /* a rule script does not load */
};

/* What went wrong and where, in the input the caller gave: a doc or rule
 * script (file, 1-based line and column), or the account (file left empty,
 * line and column in its text). Owned by the caller; no function keeps it. */
typedef struct docrules_error {
    int code;            /* one of DOCRULES_E* */
    char file[512];      /* "" when the input has no file name */
    int line, col;       /* 0 when unknown */
    char message[1024];
} docrules_error;

/* "FILE:LINE:COL: message" (leaving out what is unknown) into buf, which
 * it returns: how the docrules command prints an error. */
DOCRULES_EXTERN const char *docrules_error_format(const docrules_error *err, char *buf, size_t size);

/* --- Output buffers ----------------------------------------------------- */

/* Bytes the library appends to. ptr is NUL-terminated after every call
 * that appends; size counts the bytes without the NUL. Reuse one buffer for
 * many decisions (set size to 0 between them) and dispose of it once. */
typedef struct docrules_buf {
    char *ptr;
    size_t size, asize;
} docrules_buf;
#define DOCRULES_BUF_INIT {NULL, 0, 0}

/* Frees the buffer's memory and empties it. */
DOCRULES_EXTERN void docrules_buf_dispose(docrules_buf *buf);
/* Appends len bytes (and keeps ptr NUL-terminated): how the library
 * appends to a caller's buffer, for the caller's own bytes too. Growing
 * it is bookkeeping (see Memory above). */
DOCRULES_EXTERN void docrules_buf_put(docrules_buf *buf, const char *data, size_t len);

/* --- Rule sets -------------------------------------------------------------- */

/* The rule scripts (a folder, as rules/ in the source tree), the corpus of
 * docs their facts come from (files or folders of .md), and the limits of
 * the engines made from it. Declared facts are extracted from every doc,
 * in every language, when the rule set opens. */
typedef struct docrules_ruleset_options {
    unsigned int version;        /* DOCRULES_RULESET_OPTIONS_VERSION */
    const char *rules_dir;       /* default "rules" */
    const char *const *corpus;   /* default {"corpus"} */
    size_t ncorpus;
    const char *corpus_label;    /* how citations name corpus[0] ("corpus"); NULL: as given */
    long max_instructions;       /* per decision; 0: 1,000,000 */
    size_t max_memory;           /* bytes per engine's Lua state; 0: 64 MiB */
    const char *today;           /* "YYYY-MM-DD" for queries without as_of; NULL: the clock */
    const char *bundle;          /* (version 2) a compiled bundle (docrules_ruleset_save) to
                                    read the rules and facts from: rules_dir, corpus and
                                    corpus_label must then be NULL (DOCRULES_EUSAGE) */
    int cache;                   /* (version 2) keep a bundle of rules_dir and the corpus in
                                    $XDG_CACHE_HOME/docrules (else ~/.cache/docrules) and read
                                    it while no input file changed; 0 (the default): parse */
} docrules_ruleset_options;
#define DOCRULES_RULESET_OPTIONS_VERSION 2
#define DOCRULES_RULESET_OPTIONS_INIT {DOCRULES_RULESET_OPTIONS_VERSION, NULL, NULL, 0, NULL, 0, 0, NULL, NULL, 0}

typedef struct docrules_ruleset docrules_ruleset;

/* Loads the rule scripts and reads the corpus. A script that does not load
 * is DOCRULES_ERULE with its file and line; an unreadable path DOCRULES_EIO.
 * Docs with problems are read as well as they can be (docrules validate
 * reports them). */
DOCRULES_EXTERN int docrules_ruleset_open(docrules_ruleset **out, const docrules_ruleset_options *opts,
                                          docrules_error *err);
DOCRULES_EXTERN void docrules_ruleset_free(docrules_ruleset *rs);

/* Writes what the rule set's decisions read (the rule scripts' text, the
 * facts with their citations, the revision) to path as a compiled bundle,
 * replacing it atomically: what `docrules build` does. A rule set opened
 * from it decides byte for byte as rs does, and loads in time proportional
 * to its facts, not to the corpus. A symbolic link path is followed; a
 * path that names anything but a regular file is refused. DOCRULES_EIO
 * when it cannot be written. */
DOCRULES_EXTERN int docrules_ruleset_save(const docrules_ruleset *rs, const char *path, docrules_error *err);

/* What the cache did when rs opened (options.cache), in one line: NULL
 * when it was not asked; "cache: read FILE", "cache: built FILE (why)";
 * or, when *warning (may be NULL) is set to 1, "cache not used: why"
 * ("cannot write DIR: ..."): the rule set was then read from the files, as
 * correct, only not cached. */
DOCRULES_EXTERN const char *docrules_ruleset_cache_note(const docrules_ruleset *rs, int *warning);

/* How many docs the corpus has, and how many facts were found in them. */
DOCRULES_EXTERN size_t docrules_ruleset_doc_count(const docrules_ruleset *rs);
DOCRULES_EXTERN size_t docrules_ruleset_fact_count(const docrules_ruleset *rs);
/* The revision every decision of its engines carries ("revision"): a hash
 * of the rule scripts' and the corpus docs' content, as 16 hex digits.
 * It lives as long as rs; "" for NULL. */
DOCRULES_EXTERN const char *docrules_ruleset_revision(const docrules_ruleset *rs);

/* --- Engines ------------------------------------------------------------------ */

typedef struct docrules_engine_options {
    unsigned int version;        /* DOCRULES_ENGINE_OPTIONS_VERSION */
} docrules_engine_options;
#define DOCRULES_ENGINE_OPTIONS_VERSION 1
#define DOCRULES_ENGINE_OPTIONS_INIT {DOCRULES_ENGINE_OPTIONS_VERSION}

typedef struct docrules_engine docrules_engine;

/* One sandboxed Lua state with the rule set's scripts, sharing its facts.
 * opts may be NULL. The rule set must outlive the engine. */
DOCRULES_EXTERN int docrules_engine_new(docrules_engine **out, const docrules_ruleset *rs,
                                        const docrules_engine_options *opts, docrules_error *err);
DOCRULES_EXTERN void docrules_engine_free(docrules_engine *e);

/* --- Decisions ---------------------------------------------------------------- */

/* What to decide, beyond the account's own fields. Every field is
 * optional: NULL (or 0) means the account's or the default. */
typedef struct docrules_query {
    unsigned int version;        /* DOCRULES_QUERY_VERSION */
    const char *action;          /* "cancel-subscription"...; NULL: the account's */
    const char *as_of;           /* "YYYY-MM-DD": the policy in force that day; NULL: today */
    const char *locale;          /* the steps' language; NULL: the account's, then en-us */
    int explain;                 /* add every rule considered, each condition, the facts */
    const char *fields;          /* "id,decision,channels": only these fields; NULL: all */
    int strict;                  /* (version 2) an account field the contract does not
                                    name is DOCRULES_EPARSE, not a "warnings" entry */
    int coverage;                /* (version 3) remember which rules decided and which
                                    outcome each condition had: docrules_coverage_get */
} docrules_query;
#define DOCRULES_QUERY_VERSION 3
#define DOCRULES_QUERY_INIT {DOCRULES_QUERY_VERSION, NULL, NULL, NULL, 0, NULL, 0, 0}

/* Decides for one account, given as JSON text of len bytes, and appends
 * the decision (one JSON object, no newline) to out. q may be NULL.
 *
 * A bad account (not JSON, or not the contract's: a field of the wrong
 * kind, a date that is not one) is DOCRULES_EPARSE with the line and column
 * in the account's text, and nothing is appended. A rule that fails, or
 * runs out of its instruction budget or memory, is not a failure: the
 * decision says "decision": "error" and names the script's file:line, and
 * the engine goes on deciding. */
DOCRULES_EXTERN int docrules_decide(docrules_buf *out, docrules_engine *e, const char *account, size_t len,
                                    const docrules_query *q, docrules_error *err);

/* What the last docrules_decide on e decided, for a caller that counts or
 * files decisions without parsing the JSON back (the decision service's
 * metrics and log do): the decision ("allow", "error"...), the action
 * and the account's id, each NULL when there was none (no id; nothing
 * decided, as after DOCRULES_EPARSE), and whatever fields the query left
 * out of the JSON. The strings are e's, valid until its next call. */
typedef struct docrules_outcome {
    const char *decision;
    const char *action;
    const char *account_id;
} docrules_outcome;
DOCRULES_EXTERN void docrules_outcome_get(const docrules_engine *e, docrules_outcome *out);

/* The values a decision's "decision" can take, NULL-ended: allow, deny,
 * escalate, not_applicable and blocked, which a rule gives, then no_rule,
 * error and needs_input, which the engine does. Static: never freed. */
DOCRULES_EXTERN const char *const *docrules_decisions(void);

/* --- Facts ------------------------------------------------------------------ */

/* Which facts: NULL both, every fact found in the corpus, in every doc and
 * language; either, those the rules would read on as_of (NULL: today) for
 * a reader of locale (NULL: en-us), in the version in force. */
typedef struct docrules_facts_options {
    unsigned int version;        /* DOCRULES_FACTS_OPTIONS_VERSION */
    const char *as_of;
    const char *locale;
} docrules_facts_options;
#define DOCRULES_FACTS_OPTIONS_VERSION 1
#define DOCRULES_FACTS_OPTIONS_INIT {DOCRULES_FACTS_OPTIONS_VERSION, NULL, NULL}

/* Appends the facts to out as one JSON array (no newline), each
 * { "fact", "type", "value" (a number, a set's value, or true), "unit",
 * "article", "doc", "line", "anchor", "locale", "from_source_text",
 * "date", "asset", "text" (the sentence), "how" ("pattern", or "aligned"
 * with "aligned_to" and "read"), "bound" }, members absent when unknown.
 * opts may be NULL. */
DOCRULES_EXTERN int docrules_facts(docrules_buf *out, docrules_engine *e, const docrules_facts_options *opts,
                                   docrules_error *err);

/* --- Test cases ----------------------------------------------------------- */

/* Loads the test cases (case { name = ..., account = {...}, expect = {...} }
 * in the .lua scripts under path, a folder or one script) into e, after
 * any loaded before; *count receives how many e holds in all. A script
 * that does not load is DOCRULES_ERULE at its file and line. */
DOCRULES_EXTERN int docrules_cases_load(docrules_engine *e, const char *path, size_t *count, docrules_error *err);

/* Case i of e: where it is, its name, the day and language it asks about
 * (NULL: the query's), its account and the fields its decision must have,
 * as JSON. The strings live as long as e; the two buffers are the
 * caller's (docrules_case_dispose). */
typedef struct docrules_case {
    const char *file, *name, *as_of, *locale;
    int line;
    docrules_buf account, expect;
} docrules_case;
DOCRULES_EXTERN int docrules_case_get(docrules_case *c, docrules_engine *e, size_t i, docrules_error *err);
DOCRULES_EXTERN void docrules_case_dispose(docrules_case *c);

/* What the decisions e made with coverage asked exercised: rules (and
 * computes) that decided, and condition outcomes seen (each condition has
 * two, true and false). With missed, appends a line "FILE:LINE: rule X
 * never decided" (or a condition never true, never false) for each gap;
 * with lcov, writes an lcov tracefile (a DA line per rule, BRDA lines per
 * condition), for the usual coverage tools. */
typedef struct docrules_coverage {
    size_t rules, rules_hit, branches, branches_hit;
} docrules_coverage;
DOCRULES_EXTERN int docrules_coverage_get(docrules_coverage *st, docrules_buf *missed, FILE *lcov, docrules_engine *e,
                                          docrules_error *err);

/* Checks a query against what the rule set knows, once, before it is used
 * for many accounts: its action is one rules/ declares, each name in fields
 * is a field a decision can have (the contract's, the engine's own such as
 * as_of, and those a compute declares it adds), and its locale is a
 * language tag whose language the corpus or a lexicon has (another falls
 * back to English, which is rarely what a caller meant). DOCRULES_EUSAGE
 * with the reason and the names that would do; docrules_decide does not
 * repeat these checks. */
DOCRULES_EXTERN int docrules_query_check(const docrules_engine *e, const docrules_query *q, docrules_error *err);

/* --- Validation --------------------------------------------------------------- */

/* What docrules validate does, for a program: the docs (files or folders
 * of .md) are linted one by one on worker threads, then checked across
 * (links between them, translations that disagree, versions that change a
 * fact) and, given the rules, against what the rule scripts declare. Each
 * problem is a finding: file, line, column, severity, a stable code
 * ("link-anchor-missing") and a message. */

/* How much a finding matters. */
typedef enum docrules_severity {
    DOCRULES_SEVERITY_NOTE,
    DOCRULES_SEVERITY_WARNING,
    DOCRULES_SEVERITY_ERROR
} docrules_severity;

typedef struct docrules_validate_options {
    unsigned int version;        /* DOCRULES_VALIDATE_OPTIONS_VERSION */
    const char *const *paths;    /* the docs: files or folders of .md (required) */
    size_t npaths;
    const char *label;           /* how findings name paths[0] ("corpus"); NULL: as given */
    const char *rules_dir;       /* the rule scripts to check too; NULL: the docs alone */
    int jobs;                    /* worker threads; 0: one per core (at most 64) */
    size_t max_bytes;            /* per doc; a larger one is a finding, not read; 0: 16 MiB */
    const char *config;          /* a .docrules.yaml; NULL: the nearest above paths[0], if any */
    const char *baseline;        /* leave out the findings this file holds */
    const char *write_baseline;  /* write the findings there as a baseline (before
                                    baseline takes any out) */
    void (*progress)(void *data, size_t done, size_t total); /* NULL, or called every
                                    0.2 s while the docs are read, and once when all are,
                                    on the thread that called docrules_validate */
    void *progress_data;         /* its first argument */
    int docs_only;               /* (version 2) with rules_dir: the docs alone, linted with
                                    the artifacts rules_dir declares (rules/validate.lua),
                                    the rules not checked against them (validate --docs-only) */
} docrules_validate_options;
#define DOCRULES_VALIDATE_OPTIONS_VERSION 2
#define DOCRULES_VALIDATE_OPTIONS_INIT \
    {DOCRULES_VALIDATE_OPTIONS_VERSION, NULL, 0, NULL, NULL, 0, 0, NULL, NULL, NULL, NULL, NULL, 0}

typedef struct docrules_report docrules_report;

/* Validates. What is wrong in the docs or the rules is a finding of the
 * report, never a failure. It fails when a path given does not exist or
 * cannot be read, or the baseline cannot be written (DOCRULES_EIO, naming
 * the file), when the configuration or the baseline is not one
 * (DOCRULES_EPARSE with its file and line), and when there is nothing to
 * validate (DOCRULES_EUSAGE). The findings come sorted by file and line,
 * after the configuration, the docs' <!-- docrules-disable --> comments and
 * the baseline took theirs out. */
DOCRULES_EXTERN int docrules_validate(docrules_report **out, const docrules_validate_options *opts,
                                      docrules_error *err);
DOCRULES_EXTERN void docrules_report_free(docrules_report *r);

/* How many findings of that severity the report holds. */
DOCRULES_EXTERN size_t docrules_report_count(const docrules_report *r, docrules_severity s);
/* How many docs were read, how many bytes they were, and how long the
 * validation took, in seconds. */
DOCRULES_EXTERN size_t docrules_report_files(const docrules_report *r);
DOCRULES_EXTERN size_t docrules_report_bytes(const docrules_report *r);
DOCRULES_EXTERN double docrules_report_seconds(const docrules_report *r);

/* Appends the findings of severity min and above to out, in a format:
 *     "text"    FILE:LINE:COL: severity: code: message, a line each
 *     "json"    an array of {file, line, col, severity, code, message}
 *     "sarif"   SARIF 2.1.0, paths relative to the working directory
 *     "junit"   JUnit XML: a test case per doc, failing on its errors
 *               and warnings
 *     "github"  GitHub Actions workflow commands (annotations)
 * A format it does not know is DOCRULES_EUSAGE, and nothing is appended.
 * out.ptr is a string even when no finding is written. */
DOCRULES_EXTERN int docrules_report_write(docrules_buf *out, const docrules_report *r, const char *format,
                                          docrules_severity min, docrules_error *err);
/* The same, printed to f as it is made: a large corpus's report (megabytes
 * of findings) is never held in memory twice. DOCRULES_EIO when f fails. */
DOCRULES_EXTERN int docrules_report_print(FILE *f, const docrules_report *r, const char *format,
                                          docrules_severity min, docrules_error *err);
/* 1 when docrules_report_write knows the format, else 0: to refuse a bad
 * one before validating. */
DOCRULES_EXTERN int docrules_report_format_known(const char *format);

/* --- Documents ---------------------------------------------------------------- */

/* The document model the facts are read from, as docrules extract prints
 * it: a doc's front matter, sections, units of text (paragraphs, bullets,
 * steps, notes), links, images and tables, each with its line, and the
 * problems found in it (diagnostics). */

typedef struct docrules_parser_options {
    unsigned int version;        /* DOCRULES_PARSER_OPTIONS_VERSION */
    size_t max_bytes;            /* a larger doc is not parsed, only diagnosed
                                    (file-too-large); 0: 16 MiB */
} docrules_parser_options;
#define DOCRULES_PARSER_OPTIONS_VERSION 1
#define DOCRULES_PARSER_OPTIONS_INIT {DOCRULES_PARSER_OPTIONS_VERSION, 0}

typedef struct docrules_parser docrules_parser;
typedef struct docrules_doc docrules_doc;

/* What is costly to set up for parsing (the Markdown extensions, the HTML
 * and XML parsers), made once for any number of docs. opts may be NULL.
 * Like an engine, a parser is used from one thread at a time: make one per
 * thread. libxml2 is opened by the first parser (or rule set read from
 * files, or validation): DOCRULES_EIO, its message naming the library,
 * when it is missing or older than the one docrules was built with. */
DOCRULES_EXTERN int docrules_parser_new(docrules_parser **out, const docrules_parser_options *opts,
                                        docrules_error *err);
DOCRULES_EXTERN void docrules_parser_free(docrules_parser *p);

/* Reads and parses the doc at path. It fails only when the file cannot be
 * read (DOCRULES_EIO, naming it): what is wrong inside (YAML that does not
 * parse, bytes that are not UTF-8, a doc too large) is a diagnostic of the
 * doc. The doc keeps nothing of the parser: free them in any order. */
DOCRULES_EXTERN int docrules_doc_load(docrules_doc **out, docrules_parser *p, const char *path,
                                      docrules_error *err);
DOCRULES_EXTERN void docrules_doc_free(docrules_doc *d);

/* Appends the doc's model as JSON to out: indent spaces a level (1 to 31),
 * or on one line without spaces when indent is 0. No newline at the end. */
DOCRULES_EXTERN int docrules_doc_to_json(docrules_buf *out, const docrules_doc *d, int indent, docrules_error *err);

/* The doc's size in bytes, as the file was (also when too large to parse). */
DOCRULES_EXTERN size_t docrules_doc_bytes(const docrules_doc *d);
/* Its diagnostics, in the order found (the first thousand): how many, and
 * the stable code of each ("yaml-invalid"), valid until the doc is freed;
 * NULL past the last. */
DOCRULES_EXTERN size_t docrules_doc_diag_count(const docrules_doc *d);
DOCRULES_EXTERN const char *docrules_doc_diag_code(const docrules_doc *d, size_t i);
/* 1 when a diagnostic is an error (the doc could not be read as written). */
DOCRULES_EXTERN int docrules_doc_has_errors(const docrules_doc *d);

#ifdef __cplusplus
}
#endif

#endif
