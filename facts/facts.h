/* Facts: what the docs state, found by the patterns policy authors declare.
 *
 * A dr_catalog holds the declarations (articles and the facts each states,
 * with PCRE2 patterns per language), filled by the rule loader. A dr_factset
 * is a corpus run through a catalog: every fact found, in every doc, with
 * the doc, line, anchor, locale and date it came from; and for a day, the
 * version of each article in force. */
#ifndef DR_FACTS_H
#define DR_FACTS_H

#include <stddef.h>
#include <stdint.h>

#include "../common/error.h"
#include "../common/arena.h"
#include "../common/lang.h"
#include "../parsers/doc.h"

typedef struct dr_catalog dr_catalog;
typedef struct dr_factset dr_factset;

typedef enum {
    DR_FACT_NUMBER,    /* count, days, minutes, months: the first capture group */
    DR_FACT_FLAG,      /* stated or not */
    DR_FACT_SET,       /* which of the declared values are stated (roles...) */
    DR_FACT_PROCEDURE  /* a section whose anchor matches: its steps */
} dr_fact_kind;

dr_catalog *dr_catalog_new(void);
void dr_catalog_free(dr_catalog *c);
/* Patterns added from now on are kept as text, not compiled: for a
 * catalog whose facts were found already, as a bundle's (the build that
 * wrote it compiled and checked each pattern). Compiling them cost a tenth
 * of a check from a bundle. Such a catalog reads no doc: dr_factset_load
 * refuses it, and dr_catalog_extract finds nothing with it (no caller
 * gives it one: validate's catalog is made from the rule files). */
void dr_catalog_reads_no_docs(dr_catalog *c);

/* Declarations; file and line name where the author wrote them, for errors. */
int dr_catalog_add_article(dr_catalog *c, const char *id, const char *asset,
                           const char *const *anchors, size_t nanchors, const char *file,
                           int line, dr_error *err);
/* type: count, days, minutes, months, flag, set (roles, channels...) or
 * procedure. *index receives the fact's index. */
int dr_catalog_add_fact(dr_catalog *c, const char *name, const char *article, const char *type,
                        const char *file, int line, int *index, dr_error *err);
/* lang: "en", "zh-tw", "fr"... (a language matches its regions: "fr" covers
 * fr-fr); key: for a set, the value this pattern stands for; value: for a
 * number stated in words, the number (else 0: the first capture group).
 * For a procedure the pattern is matched against section anchors. */
int dr_catalog_add_pattern(dr_catalog *c, int fact, const char *lang, const char *key,
                           long value, const char *regex, const char *file, int line,
                           dr_error *err);

/* A number fact that bounds an account quantity: "fewer than N" (below) or
 * "more than N" (above). validate reports the values no bound covers. */
enum { DR_BOUND_NONE, DR_BOUND_BELOW, DR_BOUND_ABOVE, DR_BOUND_AT_LEAST, DR_BOUND_AT_MOST };
/* "below", "above", "at_least", "at_most" (NULL for none). */
const char *dr_bound_name(int bound);
void dr_catalog_set_bound(dr_catalog *c, int fact, const char *quantity, int bound);
int dr_catalog_fact_bound(const dr_catalog *c, int fact, const char **quantity);
const char *dr_catalog_fact_file(const dr_catalog *c, int fact, int *line);

size_t dr_catalog_fact_count(const dr_catalog *c);
const char *dr_catalog_fact_name(const dr_catalog *c, int fact);
const char *dr_catalog_fact_article(const dr_catalog *c, int fact);
const char *dr_catalog_fact_type(const dr_catalog *c, int fact);
dr_fact_kind dr_catalog_fact_kind(const dr_catalog *c, int fact);
int dr_catalog_fact_index(const dr_catalog *c, const char *name);
size_t dr_catalog_article_count(const dr_catalog *c);
const char *dr_catalog_article_id(const dr_catalog *c, size_t i);
/* The article declared as id, or -1. */
int dr_catalog_article_index(const dr_catalog *c, const char *id);

/* How a fact was found: by an author's pattern in the doc's language (or
 * the English source of a bilingual doc), or by reading the unit aligned
 * with the one where a pattern found it in another doc of the article. */
enum { DR_HOW_PATTERN, DR_HOW_ALIGNED };

/* One fact as one doc states it. */
typedef struct dr_fact {
    int fact;               /* index in the catalog */
    long value;             /* DR_FACT_NUMBER; 1 for a flag */
    const char *key;        /* DR_FACT_SET: the value stated */
    const dr_doc *doc;
    int line, col;
    size_t offset;          /* where in the text the match starts */
    int section;            /* index into the doc's sections */
    int from_source;        /* found in the English source of a bilingual doc */
    const char *text;       /* the sentence it was found in */
    int how;                /* DR_HOW_PATTERN or DR_HOW_ALIGNED */
    long ref;               /* DR_HOW_ALIGNED: the fact (index) it was read through; else -1 */
    int bound;              /* the bound the doc's own words give (DR_BOUND_*), 0: not read */
    const char *via;        /* DR_HOW_ALIGNED: what was read, in words */
} dr_fact;

/* A fact the doc a translation was aligned to states, which the
 * translation does not state or which cannot be read in it. */
typedef struct dr_gap {
    const dr_doc *doc;      /* the translation */
    long ref;               /* the fact (index) in the doc it was aligned to */
    int line, col;          /* the aligned unit, or the doc's first line */
    const char *why;
} dr_gap;

typedef struct dr_factset_opts {
    size_t max_bytes;       /* per doc, as dr_parse_opts */
    const char *label;      /* the name to show for paths[0] (e.g. "corpus"), or NULL */
} dr_factset_opts;

/* Parses every .md under each path (a file is taken as is) and extracts
 * every declared fact. Unreadable files fail; bad docs do not. */
int dr_factset_load(const dr_catalog *c, const char *const *paths, size_t npaths,
                    const dr_factset_opts *opts, dr_factset **out, dr_error *err);
void dr_factset_free(dr_factset *fs);

size_t dr_factset_doc_count(const dr_factset *fs);
/* How many docs the corpus had: dr_factset_doc_count, or more for a
 * factset read back from a bundle, which keeps only the docs of the rules'
 * articles (and those a fact cites). */
size_t dr_factset_docs_read(const dr_factset *fs);
/* The locales of every doc the corpus had ("zh-tw"), each once. */
const char *const *dr_factset_locales(const dr_factset *fs, size_t *n);
const dr_doc *dr_factset_doc(const dr_factset *fs, size_t i);
const dr_fact *dr_factset_facts(const dr_factset *fs, size_t *n);
const dr_gap *dr_factset_gaps(const dr_factset *fs, size_t *n);
/* A hash of every doc read: its file name and bytes, in path order. */
uint64_t dr_factset_content_hash(const dr_factset *fs);
/* The doc (index) doc i was aligned to, or -1. */
long dr_factset_ref(const dr_factset *fs, size_t i);

/* Docs by address, to find a fact's doc in log time: a corpus has
 * thousands of docs and many more facts. The caller fills (doc, index)
 * pairs, sorts them once, then finds; -1 for a doc not among them. */
typedef struct dr_doc_addr {
    const dr_doc *d;
    size_t i;
} dr_doc_addr;
void dr_doc_addr_sort(dr_doc_addr *v, size_t n);
long dr_doc_addr_find(const dr_doc_addr *v, size_t n, const dr_doc *d);
/* The article (index) of doc i, or -1 when it has none. */
int dr_factset_article(const dr_factset *fs, size_t i);

/* Lexicons (rules/lexicons/): the words that read facts in docs of a
 * language through the unit aligned with where a pattern found them.
 * group: "units" (key: days, minutes, hours, months, licenses, users,
 * accounts), "bounds" (below, above, at_least, at_most) or "terms" (a set's
 * value); frags: PCRE2 fragments, any of which is the word. */
size_t dr_catalog_lexicon_count(const dr_catalog *c);
const char *dr_catalog_lexicon_lang(const dr_catalog *c, size_t i); /* "de", "zh-tw" */
/* Where lexicon i is declared. */
const char *dr_catalog_lexicon_file(const dr_catalog *c, size_t i, int *line);
int dr_catalog_add_lexicon(dr_catalog *c, const char *lang, const char *file, int line, int *lex,
                           dr_error *err);
int dr_catalog_lexicon_words(dr_catalog *c, int lex, const char *group, const char *key,
                             const char *const *frags, size_t n, dr_error *err);
int dr_catalog_lexicon_numbers(dr_catalog *c, int lex, const char *const *words,
                               const long *values, size_t n, dr_error *err);
/* The unit a number fact counts ("days", "licenses"...): its type's, or
 * what its declaration says. */
int dr_catalog_set_unit(dr_catalog *c, int fact, const char *unit);
/* A lexicon term (key of the lexicons' terms) a translated sentence stating
 * this flag holds: "immediately" for "billing is stopped immediately". */
int dr_catalog_add_concept(dr_catalog *c, int fact, const char *term);
/* The anchor (a regex) of a section that states a procedure or a set fact
 * (anchor = in rules/facts): a procedure's steps are that section's, in any
 * language; "who can cancel" is a section of its own in later versions,
 * under an anchor translations keep, where another version's sentence has
 * nothing to align with. */
int dr_catalog_add_section(dr_catalog *c, int fact, const char *regex, const char *file, int line,
                           dr_error *err);
/* Source file names (without .md) an article's docs carry in their links,
 * images or paths, for docs with neither asset nor English anchor. */
int dr_catalog_add_article_source(dr_catalog *c, const char *article, const char *source);
/* A further ms.assetid whose docs are versions of the article. */
int dr_catalog_add_article_asset(dr_catalog *c, const char *article, const char *asset);

/* A factset read back from a compiled bundle (facts/restore.c): docs
 * (dr_doc_restore, owned by the arena, as are all the arrays), the
 * article (catalog index or -1) and aligned-to doc (index or -1) of each,
 * the facts (their doc pointers into docs), how many docs the corpus had,
 * their locales, and the corpus's content hash. The factset takes arena. */
typedef struct dr_factset_parts {
    dr_doc **docs;
    const int *article, *refs;
    size_t ndocs, docs_read;
    const dr_fact *facts;
    size_t nfacts;
    const char *const *locales;
    size_t nlocales;
    uint64_t content_hash;
} dr_factset_parts;
dr_factset *dr_factset_restore(const dr_catalog *c, dr_arena *arena, const dr_factset_parts *p);

/* The version of an article in force on day as_of (YYYY-MM-DD): the newest
 * date on or before it among the versions that have a doc in a language the
 * article's patterns cover. Undated docs count only when no dated version
 * qualifies. Returns the number of docs of that version (0: none) and fills
 * docs (caller's array of at least dr_factset_doc_count entries) with their
 * indexes; *date gets the version's date or NULL. */
size_t dr_factset_version(const dr_factset *fs, const char *article, const char *as_of,
                          size_t *docs, const char **date);

/* The article a doc is a version of (by ms.assetid, else by the anchor of
 * its title), as an index into the catalog's articles, or -1. */
int dr_catalog_article_of(const dr_catalog *c, const dr_doc *d);
/* Appends the facts one doc states to a vector living in arena a; returns
 * how many. match_data: a pcre2_match_data of the caller's (one per
 * thread), from dr_match_data_new. */
size_t dr_catalog_extract(const dr_catalog *c, const dr_doc *d, int article, dr_arena *a,
                          dr_fact **facts, size_t *n, size_t *cap, void *match_data);
void *dr_match_data_new(void);
/* A pcre2_match_context with the limits every pattern of the rules runs
 * under (a match limit of 1,000,000, a depth limit of 10,000): a pattern
 * that backtracks catastrophically stops there. Read-only once made, so
 * threads share one. Free with dr_match_context_free. */
void *dr_match_context_new(void);
void dr_match_context_free(void *mctx);
void dr_match_data_free(void *md);

/* Whether some pattern of a fact reads docs of this locale (English ones
 * also read bilingual docs). */
int dr_catalog_fact_reads(const dr_catalog *c, int fact, const char *locale, int bilingual);

/* dr_lang_covers: common/lang.h. */

#endif
