/* The records of a bundle's sections (bundle/bundle.h has the header), and
 * little-endian integers in and out: for read.c and write.c only. Each
 * record is fixed-size; its fields in order, 4 bytes unless said. */
#ifndef DR_BUNDLE_FORMAT_H
#define DR_BUNDLE_FORMAT_H

#include <stdint.h>
#include <string.h>

#include "../common/buf.h"

#define DR_BUNDLE_HEADER 64
#define DR_BUNDLE_ENTRY 24      /* a section table entry */
#define DR_BUNDLE_NONE 0xffffffffu /* a string that is not there */

enum {
    SEC_STRINGS = 1, /* bytes: NUL-terminated strings, the last byte a NUL */
    SEC_BLOB,        /* bytes: the scripts' text */
    SEC_META,        /* one: build_id, rules_dir, revision (strings), has_lexicons,
                        lexicon_hash (8), docs_hash (8), docs_read (8), the inputs'
                        stamp (8) */
    SEC_SCRIPTS,     /* path (string), 0, offset (8) and length (8) in SEC_BLOB */
    SEC_LEXICONS,    /* lang, file (strings), line */
    SEC_ARTICLES,    /* id (string) */
    SEC_FACT_NAMES,  /* name (string) */
    SEC_LOCALES,     /* locale (string) */
    SEC_DOCS,        /* path, locale, date, asset (strings), article, ref, bilingual,
                        first section, sections, first unit, units */
    SEC_SECTIONS,    /* anchor (string), level, line, col, anchor_explicit */
    SEC_UNITS,       /* text, source_text, note_kind (strings), kind, line, col,
                        section, parent (within the doc), n, list */
    SEC_FACTS,       /* fact (a name), doc, value (8), key, text, via (strings), line,
                        col, section, from_source, how, bound, ref (8: a fact or -1) */
    SEC_INPUTS,      /* path (string), group, kind, 0, size, mtime_ns, ino, dev, hash (8 each) */
    SEC_COUNT
};

enum {
    META_SIZE = 48,
    SCRIPT_SIZE = 24,
    LEXICON_SIZE = 12,
    NAME_SIZE = 4,
    DOC_SIZE = 44,
    SECTION_SIZE = 20,
    UNIT_SIZE = 40,
    FACT_SIZE = 60,
    INPUT_SIZE = 56
};

static inline uint32_t le32(const unsigned char *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline uint64_t le64(const unsigned char *p) { return le32(p) | (uint64_t)le32(p + 4) << 32; }

static inline void put32(dr_buf *b, uint32_t v) {
    unsigned char x[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16), (unsigned char)(v >> 24)};
    dr_buf_put(b, (const char *)x, 4);
}
static inline void put64(dr_buf *b, uint64_t v) {
    put32(b, (uint32_t)v);
    put32(b, (uint32_t)(v >> 32));
}
static inline void set32(char *p, uint32_t v) {
    for (int i = 0; i < 4; i++) p[i] = (char)(v >> (8 * i));
}
static inline void set64(char *p, uint64_t v) {
    set32(p, (uint32_t)v);
    set32(p + 4, (uint32_t)(v >> 32));
}

#endif
