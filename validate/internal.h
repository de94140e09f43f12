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
    /* Lines the doc's <!-- docrules-disable CODE --> comments silence:
     * code NULL for every code. */
    struct silence {
        char *code;
        int from, to;
    } *silence;
    size_t nsilence;
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
    const char *const *artifact_codes; /* the codes the rules declare, for inline directives */
    size_t nartifact_codes;
    void *mctx;                 /* the rules' match limits (dr_match_context_new) */
    size_t nartifacts;
} vshared;

/* codes.c: what each finding code means. */
typedef struct dr_code_info {
    const char *code;
    dr_severity severity;        /* its default */
    const char *short_text, *full_text;
} dr_code_info;
/* The code's description, or NULL for a code the rules declare (mt-...). */
const dr_code_info *dr_code_info_of(const char *code);

/* config.c: .docrules.yaml. artifacts: the codes the rules declare
 * (mt-...), known before the file is read. */
typedef struct dr_vconfig {
    char *file, *dir;
    char **disable, **ignore;
    size_t ndisable, nignore;
    struct {
        char *code;
        dr_severity severity;
    } *sev;
    size_t nsev;
    const char *const *artifacts;
    size_t nartifacts;
} dr_vconfig;
int dr_vconfig_load(dr_vconfig *c, const char *path, dr_error *err);
/* The nearest .docrules.yaml from start (a file or folder) upwards, into
 * out: 1 when found. */
int dr_vconfig_find(const char *start, char *out, size_t size);
/* Whether the finding stays (not disabled, not in an ignored file); sets
 * its configured severity. */
int dr_vconfig_keep(const dr_vconfig *c, dr_finding *f);
void dr_vconfig_free(dr_vconfig *c);

void dr_finding_add(dr_report *r, const char *file, int line, int col, dr_severity sev,
                    const char *code, const char *fmt, ...) __attribute__((format(printf, 7, 8)));
/* Per doc: runs every check that needs only this doc, fills the summary. */
void dr_check_doc(const vshared *sh, dr_parser *p, void *match_data, dr_arena *scratch,
                  const char *path, const char *name, doc_sum *out);
void dr_doc_sum_free(doc_sum *s);
/* "a/b/../c.md" -> "a/c.md", relative to dir when rel is relative. */
char *dr_path_join_norm(const char *dir, const char *rel);

#endif
