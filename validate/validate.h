/* docrules validate: lint a doc corpus, and the rules against it.
 *
 * Docs are parsed and checked one at a time (in worker threads), each
 * leaving a small summary; what needs several docs (links between them,
 * translations that disagree, versions that change a fact, rules against
 * the docs) is checked on the summaries at the end, so memory does not grow
 * with the corpus. */
#ifndef DR_VALIDATE_H
#define DR_VALIDATE_H

#include <stdio.h>

#include "../parsers/doc.h"

struct dr_intern;

/* A finding's file and code are its report's strings (thousands of
 * findings name a few files and codes); its message is its own. Pointers
 * first: 40 bytes, not 48, a finding. */
typedef struct dr_finding {
    const char *file;
    const char *code;    /* stable, e.g. "link-anchor-missing" */
    char *message;
    int line, col;
    dr_severity severity;
} dr_finding;

typedef struct dr_report {
    dr_finding *v;
    size_t n, cap;
    size_t files, bytes;
    double seconds;
    const char **validated; /* the docs validated, as findings name them, sorted */
    size_t nvalidated;
    /* Where the paths of the run and the findings' files and codes are
     * kept, each once; the report frees it. */
    struct dr_intern *strings;
} dr_report;

typedef struct dr_validate_opts {
    const char *const *paths;  /* files or folders of .md docs */
    size_t npaths;
    const char *rules_dir;     /* NULL: the docs alone */
    int jobs;                  /* worker threads; 0: the number of cores */
    size_t max_bytes;          /* per doc; 0: the parser's default */
    const char *label;         /* how to name paths[0] in findings ("corpus"), or NULL */
    /* Called from the main thread now and then while docs are checked. */
    void (*progress)(void *ud, size_t done, size_t total);
    void *ud;
    const char *config;        /* a .docrules.yaml; NULL: the nearest to paths[0], if any */
    int docs_only;             /* the rules' lint artifacts only, no check of the rules */
    const char *baseline;      /* report only findings not in this file (--write-baseline's JSON) */
    const char *write_baseline; /* write the findings there, as a baseline */
} dr_validate_opts;

/* Fails when a path given does not exist or cannot be read, when nothing
 * could be validated, or when the configuration or baseline is bad (err
 * says where); everything else is a finding. Findings come sorted by file
 * and line, after the configuration, the docs' inline directives and the
 * baseline took theirs out. */
int dr_validate(const dr_validate_opts *o, dr_report *out, dr_error *err);
void dr_report_free(dr_report *r);
size_t dr_report_count(const dr_report *r, dr_severity s);

/* text, json, sarif, junit or github (GitHub Actions workflow commands);
 * findings below min are left out. */
int dr_report_write(FILE *f, const dr_report *r, const char *format, dr_severity min);
/* Whether a format name is one dr_report_write knows. */
int dr_report_format_known(const char *format);

#endif
