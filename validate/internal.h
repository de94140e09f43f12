/* Shared by the files of validate/ only. */
#ifndef DR_VALIDATE_INTERNAL_H
#define DR_VALIDATE_INTERNAL_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "../common/arena.h"
#include "../engine/engine.h"
#include "../facts/facts.h"
#include "validate.h"

typedef struct link_ref {
    char *target;      /* normalized path of the .md it names */
    char *anchor;      /* or NULL */
    int line, col;
} link_ref;

typedef struct fact_ref {
    int fact;
    long value;
    char *key;
    int line, col;
} fact_ref;

/* What the checks across docs need of one doc. */
typedef struct doc_sum {
    char *path, *norm;          /* as given; normalized for link lookup */
    int article;                /* catalog index or -1 */
    char *date, *locale, *commit;
    int bilingual;
    int aligned;                /* read through another doc of its article (facts/align.c) */
    char **anchors;
    size_t nanchors;
    link_ref *links;
    size_t nlinks;
    fact_ref *facts;
    size_t nfacts;
    dr_report findings;         /* this doc's own, merged in file order */
} doc_sum;

typedef struct artifact_pat {
    const char *code, *message, *lang;
    pcre2_code *code_re;
} artifact_pat;

/* Read-only for the workers. */
typedef struct vshared {
    const dr_catalog *cat;      /* NULL without rules */
    const char ***required;
    size_t nrequired;
    artifact_pat *artifacts;
    void *mctx;                 /* the rules' match limits (dr_match_context_new) */
    size_t nartifacts;
} vshared;

void dr_finding_add(dr_report *r, const char *file, int line, int col, dr_severity sev,
                    const char *code, const char *fmt, ...) __attribute__((format(printf, 7, 8)));
/* Per doc: runs every check that needs only this doc, fills the summary. */
void dr_check_doc(const vshared *sh, dr_parser *p, void *match_data, dr_arena *scratch,
                  const char *path, const char *name, doc_sum *out);
void dr_doc_sum_free(doc_sum *s);
/* "a/b/../c.md" -> "a/c.md", relative to dir when rel is relative. */
char *dr_path_join_norm(const char *dir, const char *rel);

#endif
