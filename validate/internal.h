/* Shared by the files of validate/ only. */
#ifndef DR_VALIDATE_INTERNAL_H
#define DR_VALIDATE_INTERNAL_H

#include "../common/regex.h"

#include <pthread.h>
#include <stdint.h>

#include "../common/arena.h"
#include "../engine/engine.h"
#include "../facts/facts.h"
#include "validate.h"

/* Strings many docs or findings share, each kept once (intern.c): the
 * run's (anchors, dates, locales) and the report's (paths, findings' files
 * and codes). The workers add to them under lock. */
typedef struct dr_intern {
    pthread_mutex_t lock;
    dr_arena *text;
    const char **str;           /* by id */
    uint32_t *slot;             /* open addressing: id + 1, 0 for empty */
    size_t n, cap, nslot;
} dr_intern;
void dr_intern_init(dr_intern *t);
void dr_intern_free(dr_intern *t);
/* The id of s's first len bytes, added when new; the caller holds the lock. */
uint32_t dr_intern_add(dr_intern *t, const char *s, size_t len);
/* The id of s, or -1 when it was never added. */
long dr_intern_find(const dr_intern *t, const char *s);
const char *dr_intern_str(const dr_intern *t, uint32_t id);

/* A doc of the run, by the normalized path links name it by. */
typedef struct doc_at {
    const char *norm;
    size_t doc;
} doc_at;

/* A link to an anchor of another doc of the run: checked once every doc's
 * anchors are known. A link to a doc outside the run, or to a doc without
 * an anchor, is settled when its doc is checked and not kept. */
typedef struct link_ref {
    size_t doc;                 /* the doc it names */
    const char *target;         /* that doc's normalized path (the run's doc_at) */
    char *anchor;
    int line, col;
} link_ref;

typedef struct fact_ref {
    int fact;
    long value;
    char *key;
    int line, col;
} fact_ref;

/* What the checks across docs need of one doc, and its findings: what a
 * run keeps per doc once the doc's model is freed, so it is kept small
 * (pointers first, then 32-bit counts: a doc's parts number far fewer). */
typedef struct doc_sum {
    const char *path;           /* the name findings give it (the report's strings) */
    const char *date, *locale;  /* the run's strings */
    uint32_t *anchors;          /* the run's strings' ids, lowercased (links match them ignoring case), sorted */
    link_ref *links;
    fact_ref *facts;
    dr_finding *findings;       /* this doc's own, merged in file order */
    /* Lines the doc's <!-- docrules-disable CODE --> comments silence:
     * code NULL for every code. */
    struct silence {
        char *code;
        int from, to;
    } *silence;
    size_t bytes;               /* the doc's size, 0 when it could not be read */
    uint32_t nanchors, nlinks, nfacts, nfindings, nsilence;
    int article;                /* catalog index or -1 */
    unsigned char bilingual;
    unsigned char aligned;      /* read through another doc of its article (facts/align.c) */
} doc_sum;

typedef struct artifact_pat {
    const char *code, *message, *lang;
    pcre2_code *code_re;
} artifact_pat;

/* Read-only for the workers, but for the strings tables. */
typedef struct vshared {
    const dr_catalog *cat;      /* NULL without rules */
    const char ***required;
    size_t nrequired;
    artifact_pat *artifacts;
    const char *const *artifact_codes; /* the codes the rules declare, for inline directives */
    size_t nartifact_codes;
    void *mctx;                 /* the rules' match limits (dr_match_context_new) */
    size_t nartifacts;
    const doc_at *docs;         /* every doc of the run, sorted by norm */
    size_t ndocs;
    /* The two things workers write to, under their locks: the run's
     * strings, and the report's (findings' files and codes). */
    dr_intern *strings, *report;
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
/* A validate input (the configuration, a baseline) read whole into *text
 * (the caller frees it) by common/readfile, so that a folder or a FIFO is
 * said at once ("cannot read<what>: not a regular file"), not waited on. */
int dr_vfile_read(const char *path, size_t max, const char *what, char **text, size_t *len, dr_error *err);
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
/* Whether the doc has a heading or anchor of that name, ignoring case. */
int dr_doc_has_anchor(const dr_intern *strings, const doc_sum *s, const char *anchor);
/* The doc of the run with this normalized path, or NULL. */
const doc_at *dr_doc_at_find(const doc_at *docs, size_t n, const char *norm);
/* "a/b/../c.md" -> "a/c.md", relative to dir when rel is relative. */
char *dr_path_join_norm(const char *dir, const char *rel);

#endif
