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

typedef struct dr_finding {
    char *file;
    int line, col;
    dr_severity severity;
    char *code;          /* stable, e.g. "link-anchor-missing" */
    char *message;
} dr_finding;

typedef struct dr_report {
    dr_finding *v;
    size_t n, cap;
    size_t files, bytes;
    double seconds;
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
} dr_validate_opts;

/* Fails only when nothing could be validated (no file could be listed);
 * everything else is a finding. Findings come sorted by file and line. */
int dr_validate(const dr_validate_opts *o, dr_report *out, dr_error *err);
void dr_report_free(dr_report *r);
size_t dr_report_count(const dr_report *r, dr_severity s);

/* text, json, sarif or junit; findings below min are left out. */
int dr_report_write(FILE *f, const dr_report *r, const char *format, dr_severity min);

#endif
