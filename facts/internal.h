/* Shared by the files of facts/ only. */
#ifndef DR_FACTS_INTERNAL_H
#define DR_FACTS_INTERNAL_H

#include "../common/regex.h"

#include "../common/arena.h"
#include "facts.h"

typedef struct cat_article {
    const char *id, *asset;
    const char **anchors;
    size_t nanchors;
    const char **sources;   /* source file names its docs' paths, links or images carry */
    size_t nsources;
    const char **assets;    /* further ms.assetid values (a sibling article's) */
    size_t nassets;
} cat_article;

typedef struct cat_fact {
    const char *name, *type, *file;
    const char *quantity;   /* the account field a bound is on, or NULL */
    int bound;              /* 0, or DR_BOUND_BELOW / DR_BOUND_ABOVE */
    int line;
    int article;
    int unit;               /* the lexicon unit its number counts (LX_DAYS...), or -1 */
    const char **concepts;  /* a flag's lexicon terms, one of which its sentence holds */
    size_t nconcepts;
    /* A set's: the anchors of sections that state it (anchor = ...), read
     * by the language's terms in any version that has one (align.c). */
    pcre2_code **sections;
    size_t nsections;
    dr_fact_kind kind;
} cat_fact;

typedef struct cat_pattern {
    int fact;
    const char *lang, *key, *regex;
    long value;
    pcre2_code *code;
} cat_pattern;

/* A language's words for reading a doc aligned to another (lexicon.c). */
enum { LX_DAYS, LX_MINUTES, LX_HOURS, LX_MONTHS, LX_LICENSES, LX_USERS, LX_ACCOUNTS, LX_NUNITS };
extern const char *const dr_lexicon_units[LX_NUNITS];
typedef struct cat_term {
    const char *key;        /* the set value it stands for */
    pcre2_code *code;
} cat_term;
typedef struct cat_lexicon {
    const char *lang, *file;
    int line;
    pcre2_code *unit[LX_NUNITS];     /* an alternation of the unit's words, or NULL */
    pcre2_code *bound[5];            /* by DR_BOUND_*, or NULL */
    pcre2_code *numbers;             /* number words, or NULL */
    const char **number_words;
    long *number_values;
    size_t nnumbers;
    DR_VEC(cat_term) terms;
} cat_lexicon;

struct dr_catalog {
    dr_arena *arena;
    DR_VEC(cat_article) articles;
    DR_VEC(cat_fact) facts;
    DR_VEC(cat_pattern) patterns;
    DR_VEC(cat_lexicon) lexicons;
    pcre2_match_context *mctx;
    int no_docs;            /* patterns kept as text only (dr_catalog_reads_no_docs) */
};

/* catalog.c */
/* Whether a section's anchor is one fact's anchor = names (its regex
 * which, or -1: any of them): where a procedure's steps are, where a set
 * is read in any version. */
int dr_catalog_section_names(const dr_catalog *c, int fact, int which, const char *anchor, pcre2_match_data *md);

/* lexicon.c */
/* The lexicon that reads docs of a locale (the longest language that
 * covers it), or NULL. */
const cat_lexicon *dr_lexicon_for(const dr_catalog *c, const char *locale);
/* A number in text: where it is and what it says. */
typedef struct num_tok {
    size_t start, end;
    long value;
} num_tok;
/* The numbers in s, digits (ASCII or full-width) and the lexicon's words,
 * in order; returns how many (at most max). */
size_t dr_lexicon_numbers(const dr_catalog *c, const cat_lexicon *lx, const char *s, num_tok *out,
                          size_t max, pcre2_match_data *md);
/* Whether the pattern matches s within [from, to); *at gets the match's start. */
int dr_lexicon_find(const dr_catalog *c, const pcre2_code *code, const char *s, size_t from,
                    size_t to, size_t *at, size_t *end, pcre2_match_data *md);
void dr_lexicon_free(cat_lexicon *lx);

typedef DR_VEC(dr_fact) dr_fact_vec;
typedef DR_VEC(dr_gap) dr_gap_vec;

/* align.c: whether two docs are one version (they translate the same
 * English: the same date, and the same asset where both name one). */
int dr_docs_same_version(const dr_doc *a, const dr_doc *b);

/* linked.c: a term a translation's link teaches for a set fact's value,
 * where the English links the same target from its words for it. */
typedef struct dr_learned {
    const char *locale;     /* the translation's, as it tags it */
    int fact;
    const char *key;        /* the value */
    const char *text;       /* the translation's link text: the term */
    const char *href;
    const char *where;      /* "doc:line" of the translation's link */
    const dr_doc *from;     /* the English doc whose link taught it */
    pcre2_code *code;       /* text, literally, without case */
    int ambiguous;          /* the same text was learned for another value: no term */
} dr_learned;
typedef DR_VEC(dr_learned) dr_learned_vec;
/* Learns, from the pattern facts of English docs (facts[0..nfacts)), the
 * terms of every translation of their articles that links the same target
 * (appended to out; dr_learned_free frees what they compiled). */
void dr_learn_linked_terms(const dr_catalog *c, dr_doc *const *docs, const int *article, size_t ndocs,
                           const dr_fact *facts, size_t nfacts, dr_arena *a, pcre2_match_data *md,
                           dr_learned_vec *out);
void dr_learned_free(dr_learned_vec *v);

/* repeated.c: the flags a doc states in the very words (its language's)
 * of a bilingual doc's sentence whose English states them; appended to
 * facts, after every other reading, for the docs not settled[] (align.c:
 * read by English patterns, or an English doc carries their version). */
void dr_read_repeated(const dr_catalog *c, dr_doc *const *docs, const int *article, size_t ndocs,
                      const char *settled, dr_arena *a, dr_fact_vec *facts, pcre2_match_data *md);

/* factset.c and restore.c (a factset read back from a bundle). */
struct dr_factset {
    const dr_catalog *cat;
    dr_arena *arena;
    DR_VEC(dr_doc *) docs;
    DR_VEC(int) article;      /* per doc, -1 when none */
    int *refs;                /* per doc, the doc it was aligned to, or -1 */
    dr_fact_vec facts;
    dr_gap_vec gaps;
    pcre2_match_data *md;
    uint64_t content_hash;
    size_t docs_read;         /* the corpus's docs, whether kept in docs or not */
    DR_VEC(const char *) locales; /* of every doc read, each once */
};
/* Adds a locale to fs->locales unless it is there (NULL: nothing). */
void dr_factset_note_locale(dr_factset *fs, const char *locale);

/* align.c: reads in each doc, through the doc of its article that patterns
 * read best (refs[i] gets its index, or -1), the facts that doc states and
 * this one's own patterns did not find; what cannot be read is a gap. */
void dr_align_docs(const dr_catalog *c, dr_doc *const *docs, const int *article, size_t ndocs,
                   int *refs, dr_arena *a, dr_fact_vec *facts, dr_gap_vec *gaps,
                   pcre2_match_data *md);

#endif
