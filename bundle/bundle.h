/* Compiled bundles: what deciding reads of a rules folder and a corpus, in
 * one file (docrules build, --bundle, and the cache of bundle/cache.c).
 *
 * A bundle holds the rule scripts' source text and names (never Lua
 * bytecode, which Lua does not verify), the lexicons' languages, the facts
 * found in the corpus with their citations, the docs they cite (metadata,
 * section anchors, the units of procedure sections), the locales of the
 * corpus, the revision's parts, and the input files it was built from with
 * their stat and content hash (for the cache). It loads in time
 * proportional to the facts and scripts, not to the corpus's bytes.
 *
 * The layout (format 2; every integer little-endian, fixed width):
 *
 *   header, 64 bytes:
 *     0  "DRBUNDLE"              magic
 *     8  u32 format              DR_BUNDLE_FORMAT
 *    12  u32 header size         64
 *    16  char[16] version        the docrules that wrote it, NUL-padded
 *    32  u64 file size
 *    40  u32 sections            entries in the table that follows
 *    44  u32 flags               0
 *    48  u64 checksum            of the whole file with these 8 bytes as
 *                                zeros (bundle/write.c: four lanes of
 *                                64-bit FNV-style steps; format 1 had
 *                                FNV-1a a byte at a time)
 *    56  u64 reserved            0
 *   section table: per section u32 id, u32 0, u64 offset, u64 length
 *   sections: arrays of fixed-size records (bundle/format.h); strings are
 *   u32 offsets into the STRINGS section (NUL-terminated, which ends in a
 *   NUL), 0xffffffff for none.
 *
 * Every offset, length, count and index is checked before it is used: a
 * truncated, corrupted, foreign or newer file is an error naming the file,
 * never a crash. */
#ifndef DR_BUNDLE_H
#define DR_BUNDLE_H

#include <stddef.h>
#include <stdint.h>

#include "../common/buf.h"
#include "../common/error.h"
#include "../engine/engine.h"

#define DR_BUNDLE_MAGIC "DRBUNDLE"
#define DR_BUNDLE_FORMAT 2
/* A bundle larger than this is refused unread: a corpus's facts take a few
 * megabytes at most. */
#define DR_BUNDLE_MAX_BYTES ((size_t)1 << 30)

/* An input file as the walk saw it when the bundle was built: the rule
 * scripts, the lexicons, the corpus's docs (bundle/inputs.c). */
enum { DR_INPUT_RULES, DR_INPUT_LEXICONS, DR_INPUT_CORPUS };
typedef struct dr_input {
    const char *path;
    int group, kind;            /* DR_INPUT_*, dr_walk_kind */
    int64_t size, mtime_ns;
    uint64_t ino, dev, hash;    /* hash: of the bytes (0 for what is not a file) */
} dr_input;
typedef struct dr_inputs {
    int64_t stamp_ns;           /* when they were looked at (realtime) */
    dr_input *v;
    size_t n;
    struct dr_arena *arena;     /* their paths, when the dr_inputs owns them */
} dr_inputs;
void dr_inputs_free(dr_inputs *in);
/* The inputs as they lie in a bundle's bytes, read where they are (a
 * check needs each record once, and the copy cost it a millisecond):
 * records whose paths are in the strings section. */
typedef struct dr_inputs_raw {
    const unsigned char *rec;   /* n records */
    size_t n;
    const char *strings;        /* the strings section, ending in a NUL */
    size_t nstrings;
    int64_t stamp_ns;           /* when they were looked at (realtime) */
} dr_inputs_raw;
/* Record i, its path pointing into the bytes; DR_EPARSE when i or the
 * path's offset is out of bounds (a peeked bundle is not yet checked). */
int dr_inputs_raw_get(const dr_inputs_raw *in, size_t i, dr_input *out);
/* All of them, copied (dr_inputs_free; the paths stay the bytes'), in
 * their order, so that record i is out->v[i]; DR_EPARSE, out left empty,
 * when a record's path lies past the strings (only a peeked bundle's can:
 * dr_bundle_bytes_parse checks them all). */
int dr_inputs_raw_decode(const dr_inputs_raw *in, dr_inputs *out);

/* A bundle read back: the file's bytes (owned) and what they hold, checked.
 * Strings point into the bytes. */
typedef struct dr_bundle_lexicon {
    const char *lang, *file;
    int line;
} dr_bundle_lexicon;
typedef struct dr_bundle_doc {
    const char *path, *locale, *date, *asset;
    int article, ref, bilingual;   /* article: index into articles, or -1; ref: a doc, or -1 */
    size_t first_section, nsections, first_unit, nunits;
} dr_bundle_doc;
typedef struct dr_bundle_fact {
    size_t fact, doc;              /* indexes into fact_names and docs */
    long value;
    const char *key, *text, *via;
    int line, col, section, from_source, how, bound;
    long ref;                      /* a fact (index), or -1 */
} dr_bundle_fact;
/* A bundle's bytes: mapped (dr_map_file) or malloc'ed, let go of as they
 * were had (dr_bundle_bytes_close). */
typedef struct dr_bundle_bytes {
    char *bytes;
    size_t len;
    int mapped;
} dr_bundle_bytes;
typedef struct dr_bundle {
    dr_bundle_bytes file;          /* owned */
    char name[512];                /* the file, for messages */
    const char *build_id, *rules_dir, *revision; /* (its version is this docrules': checked) */
    int has_lexicons;
    uint64_t lexicon_hash, docs_hash;
    size_t docs_read;
    dr_source *scripts;            /* path and text into bytes: not owned */
    size_t nscripts;
    dr_bundle_lexicon *lexicons;
    size_t nlexicons;
    const char **articles, **fact_names, **locales;
    size_t narticles, nfact_names, nlocales;
    dr_bundle_doc *docs;
    size_t ndocs;
    dr_section *sections;          /* of every doc, each doc's in a run */
    size_t nsections;
    dr_unit *units;                /* section and parent within their doc */
    size_t nunits;
    dr_bundle_fact *facts;
    size_t nfacts;
    dr_inputs_raw inputs;          /* every path checked */
    struct dr_arena *arena;        /* the arrays above */
} dr_bundle;

/* Reads and checks the bundle at path. DR_EIO when it cannot be read,
 * DR_EPARSE when it is not a bundle this docrules reads, with the file
 * named and one of: "not a docrules bundle", "truncated at byte N",
 * "bundle format N, this docrules reads 2", "checksum mismatch:
 * corrupted", "built by docrules X, this is Y: ...", "corrupted: ...". */
int dr_bundle_read(const char *path, dr_bundle **out, dr_error *err);
/* The same, the file mapped rather than read (common/readfile.h says
 * when that is safe: the cache's entries, which docrules replaces only by
 * rename); a file that cannot be mapped is read. For the 720 KB entry of
 * corpus-bulk, 0.15 ms instead of 2 to 4 ms of copying into fresh pages. */
int dr_bundle_map(const char *path, dr_bundle **out, dr_error *err);
/* The same over bytes in memory (taken: freed with the bundle, or on
 * error); name is for messages. */
int dr_bundle_parse(const char *name, char *bytes, size_t len, dr_bundle **out, dr_error *err);
/* dr_bundle_map in two steps, for the cache, which starts looking at the
 * files a bundle records before the rest of it is checked and parsed:
 * _open maps the file (or reads it, as dr_bundle_map would); _parse makes
 * *out of the bytes, which it takes, or on error leaves them f's; _close
 * lets go of them (nothing after a _parse that succeeded). */
int dr_bundle_bytes_open(const char *path, dr_bundle_bytes *f, dr_error *err);
int dr_bundle_bytes_parse(const char *name, dr_bundle_bytes *f, dr_bundle **out, dr_error *err);
void dr_bundle_bytes_close(dr_bundle_bytes *f);
/* The inputs of the bundle in bytes, the header and section table checked
 * but not the checksum nor the rest: so that they can be looked at while
 * dr_bundle_bytes_parse checks it all. DR_EPARSE, naming the file name,
 * when it is not a bundle or its sections do not lie within it. */
int dr_bundle_peek_inputs(const char *name, const char *bytes, size_t len, dr_inputs_raw *out, dr_error *err);
void dr_bundle_free(dr_bundle *b);
/* The checksum a bundle's bytes should carry (over len >= 64 bytes). */
uint64_t dr_bundle_checksum(const char *bytes, size_t len);

/* The bytes of a bundle of root engine e and the inputs it was built from
 * (NULL: none), appended to out. build_id: what made it (DR_BUILD_ID). */
int dr_bundle_serialize(const dr_engine *e, const dr_inputs *in, dr_buf *out, dr_error *err);
/* Writes bytes to path through a temporary file beside it, renamed over
 * it: a reader sees the old file or the new, whole. sync: fsync first.
 * A symbolic link is followed (to a file not made yet too); a target that is not a regular file (a
 * device, a FIFO, a folder) is refused, DR_EIO, and left as it was. */
int dr_bundle_write_file(const char *path, const char *bytes, size_t len, int sync, dr_error *err);

/* bundle/cache.c: the root engine of o (a rules folder and a corpus) from
 * the cache when none of its files changed, else from the files, then
 * kept there. note gets what the cache did, in one line; *warning is set
 * when it could not be used (the engine is then made from the files, as
 * correct). Errors are those of dr_engine_new. */
int dr_cache_open(const dr_engine_opts *o, dr_engine **out, char *note, size_t size, int *warning, dr_error *err);

/* What this build of docrules is, beyond its version: a hash of the
 * library's sources (the Makefile's build/gen/build_id.c), so that a cache
 * written by another build is never read. */
extern const char dr_build_id[];

#endif
