/* The document model: what a Markdown doc says, with the line it says it on.
 *
 * A dr_doc is built by dr_doc_parse() and owns every string and array it
 * hands out; they stay valid until dr_doc_free(). The element structs below
 * are read-only views into that memory. */
#ifndef DR_DOC_H
#define DR_DOC_H

#include <stddef.h>

#include "../common/arena.h"
#include "../common/error.h"

typedef struct dr_doc dr_doc;
typedef struct dr_parser dr_parser;

typedef enum { DR_SEV_NOTE, DR_SEV_WARNING, DR_SEV_ERROR } dr_severity;
const char *dr_severity_name(dr_severity s);

typedef struct dr_diag {
    int line, col;
    dr_severity severity;
    const char *code;     /* stable, e.g. "yaml-invalid" */
    const char *message;
} dr_diag;

/* Front matter values keep the shape the doc wrote: YAML lists stay lists. */
typedef enum { DR_FM_STRING, DR_FM_LIST, DR_FM_MAP } dr_fm_type;
typedef struct dr_fm_value {
    dr_fm_type type;
    const char *str;                  /* DR_FM_STRING */
    const char **keys;                /* DR_FM_MAP: keys[i] -> items[i] */
    const struct dr_fm_value **items; /* DR_FM_LIST and DR_FM_MAP */
    size_t n;
    int line;
} dr_fm_value;

typedef enum {
    DR_FM_NONE,    /* no header at all */
    DR_FM_YAML,    /* --- ... --- */
    DR_FM_LEGACY   /* <properties .../> <tags .../> */
} dr_fm_style;

typedef enum {
    DR_UNIT_PARAGRAPH,
    DR_UNIT_BULLET,
    DR_UNIT_STEP,
    DR_UNIT_NOTE
} dr_unit_kind;
const char *dr_unit_kind_name(dr_unit_kind k);

/* A unit of text: the smallest thing a fact can be found in. */
typedef struct dr_unit {
    dr_unit_kind kind;
    const char *text;         /* plain, markup removed, whitespace folded */
    const char *source_text;  /* English original of a bilingual doc, or NULL */
    int line, col;            /* where its text starts (a note: under a marker alone on its line) */
    int section;              /* index into sections */
    int parent;               /* unit index of the step it is nested in, or -1 */
    int n;                    /* DR_UNIT_STEP: 1..n within its section */
    int list;                 /* steps and bullets: which Markdown list, 1.. per doc */
    const char *note_kind;    /* DR_UNIT_NOTE: note, important, tip, warning, caution */
} dr_unit;

typedef struct dr_section {
    int level;                /* 1-6; 0 for text before the first heading */
    const char *title;
    const char *source_title; /* English original, or NULL */
    const char *anchor;       /* from <a name|id>, else a slug of the title */
    int anchor_explicit;      /* 1 when the doc wrote the anchor */
    int code_blocks;          /* code blocks under it (not otherwise in the model) */
    int line, col;
} dr_section;

typedef struct dr_link {
    const char *href, *text;
    int line, col;
    int section;
    int from_html;            /* 1 for <a href> rather than [text](href) */
} dr_link;

typedef struct dr_image {
    const char *src, *alt;
    int line, col;
    int section;
    int step;                 /* unit index of the step it is nested in, or -1 */
} dr_image;

typedef struct dr_include {
    const char *ref;          /* the path the include names */
    int line, col;
    int section;
} dr_include;

typedef struct dr_table {
    int line, col, section;
    size_t nrows, ncols;
    const char **cells;       /* nrows * ncols, row-major; missing cells are "" */
} dr_table;

/* A bilingual segment as the doc paired it (data-ttu-id / data-stu-id). */
typedef struct dr_segment {
    const char *id;
    const char *target, *source;
    int line, col;
} dr_segment;

/* --- parsing --------------------------------------------------------------*/

typedef struct dr_parse_opts {
    size_t max_bytes;         /* larger files get a file-too-large diagnostic */
} dr_parse_opts;
#define DR_DEFAULT_MAX_BYTES ((size_t)16 * 1024 * 1024)

/* Sets up what the parsers' libraries share (libxml2's globals, cmark-gfm's
 * extension list and its table of autolink characters, parser.c). Their
 * own set-up on first use is not thread-safe, so a program that parses on
 * several threads calls this, or makes its first parser, once before
 * starting them; calling it again only reads. */
void dr_parsers_init(void);

/* A parser holds what is costly to set up (cmark extensions, libxml2
 * contexts). One per thread; it may parse any number of documents. NULL
 * when libxml2 cannot be used (common/libxml.h: dr_libxml_error says why). */
dr_parser *dr_parser_new(const dr_parse_opts *opts);
void dr_parser_free(dr_parser *p);

/* Parses bytes (not NUL-terminated, any line endings). Problems in the bytes
 * become diagnostics in the doc, never a failure; *out is always set on
 * DR_OK. path is recorded as given. */
int dr_doc_parse(dr_parser *p, const char *path, const char *bytes, size_t len,
                 dr_doc **out, dr_error *err);
/* Reads and parses a file; fails only when the file cannot be read. */
int dr_doc_load(dr_parser *p, const char *path, dr_doc **out, dr_error *err);
/* The same, the doc named `name` (what users see, e.g. "corpus/x.md" for a
 * file read from wherever the corpus is installed). */
int dr_doc_load_as(dr_parser *p, const char *path, const char *name, dr_doc **out, dr_error *err);
void dr_doc_free(dr_doc *d);

/* --- reading the model ----------------------------------------------------*/

const char *dr_doc_path(const dr_doc *d);
size_t dr_doc_bytes(const dr_doc *d);
/* The text parsed (valid UTF-8, no NUL), and one line of it without its
 * line ending; lines are 1-based. */
const char *dr_doc_source(const dr_doc *d, size_t *len);
const char *dr_doc_line(const dr_doc *d, int line, size_t *len);
size_t dr_doc_line_count(const dr_doc *d);
/* The character column (1-based, in code points) of a 1-based byte column
 * on a line: what a finding or a fact says, where bytes are what a search
 * found. */
int dr_doc_char_col(const dr_doc *d, int line, int bytecol);
/* Bytes the model takes: tests use it to check work stays linear. */
size_t dr_doc_memory(const dr_doc *d);
dr_fm_style dr_doc_front_matter_style(const dr_doc *d);
/* The front matter as a map (keys as written), or NULL when there is none. */
const dr_fm_value *dr_doc_front_matter(const dr_doc *d);
/* Scalar value of a front-matter key, or NULL. */
const char *dr_doc_meta(const dr_doc *d, const char *key);
int dr_doc_meta_line(const dr_doc *d, const char *key);

/* Normalized metadata; NULL when the doc does not say. */
const char *dr_doc_title(const dr_doc *d);
const char *dr_doc_locale(const dr_doc *d);
const char *dr_doc_locale_from(const dr_doc *d);  /* key or "path" */
const char *dr_doc_date(const dr_doc *d);         /* YYYY-MM-DD */
const char *dr_doc_date_from(const dr_doc *d);    /* "ms.date", or the fallback key */
const char *dr_doc_asset(const dr_doc *d);

const dr_section *dr_doc_sections(const dr_doc *d, size_t *n);
const dr_unit *dr_doc_units(const dr_doc *d, size_t *n);
const dr_link *dr_doc_links(const dr_doc *d, size_t *n);
const dr_image *dr_doc_images(const dr_doc *d, size_t *n);
const dr_include *dr_doc_includes(const dr_doc *d, size_t *n);
const dr_table *dr_doc_tables(const dr_doc *d, size_t *n);
const dr_segment *dr_doc_segments(const dr_doc *d, size_t *n);
const dr_diag *dr_doc_diags(const dr_doc *d, size_t *n);
int dr_doc_has_errors(const dr_doc *d);
/* Anchors the doc writes itself (<a name>, <a id>), wherever they are. */
size_t dr_doc_anchor_count(const dr_doc *d);
const char *dr_doc_anchor_name(const dr_doc *d, size_t i);

/* --- a doc read back from a compiled bundle (bundle/) ----------------------*/

/* What deciding reads of a doc, without its text: its name and metadata,
 * its sections (anchors, levels, lines; no titles), the units of the
 * sections its procedures are in, and whether it is bilingual (readers
 * ask only whether it has segments: it gets one, empty). */
typedef struct dr_doc_parts {
    const char *path, *locale, *date, *asset;
    int bilingual;
    const dr_section *sections;
    size_t nsections;
    const dr_unit *units;
    size_t nunits;
} dr_doc_parts;
/* A doc of those parts, allocated in arena a, which owns it and what it
 * points to (strings and arrays are the caller's, kept as long as a):
 * dr_doc_free leaves it to the arena. */
dr_doc *dr_doc_restore(dr_arena *a, const dr_doc_parts *parts);

/* The locale a path names ("de-de/x.md", "x.zh-tw.md"), lowercased into buf;
 * NULL when it names none. */
const char *dr_path_locale(const char *path, char *buf, size_t size);

#endif
