/* A bundle's bytes read and checked: every offset, length, count, index
 * and string before it is used (bundle/bundle.h has the layout). A file
 * that passes the checksum may still be hostile, so the checksum is no
 * excuse for trusting a field. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/alloc.h"
#include "../common/arena.h"
#include "../common/readfile.h"
#include "../include/docrules.h"
#include "bundle.h"
#include "format.h"

typedef struct rd {
    const unsigned char *p;
    size_t len;
    const unsigned char *sec[SEC_COUNT];
    size_t seclen[SEC_COUNT];
    dr_bundle *b;
    dr_error *err;
} rd;

static int fail(rd *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(rd *r, const char *fmt, ...) {
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return dr_error_set(r->err, DR_EPARSE, r->b->name, 0, 0, "%s", msg);
}

/* A string of the strings section: its offset is in it, and the section
 * ends in a NUL, so the string ends within it. */
static int str(rd *r, uint32_t ref, int optional, const char **out) {
    if (ref == DR_BUNDLE_NONE && optional) {
        *out = NULL;
        return DR_OK;
    }
    if (ref >= r->seclen[SEC_STRINGS]) return fail(r, "corrupted: a string lies outside the strings");
    *out = (const char *)r->sec[SEC_STRINGS] + ref;
    return DR_OK;
}

static int i32(const unsigned char *p) { return (int)(int32_t)le32(p); }

/* Section s as n records of size bytes. */
static int records(rd *r, int s, size_t size, size_t *n) {
    if (r->seclen[s] % size) return fail(r, "corrupted: section %d is not a whole number of records", s);
    *n = r->seclen[s] / size;
    return DR_OK;
}

/* The header and the section table; the checksum too with sum (a peek at
 * the inputs does without: dr_bundle_peek_inputs). */
static int header(rd *r, int sum) {
    const unsigned char *p = r->p;
    size_t len = r->len;
    if (len < 8 ? memcmp(p, DR_BUNDLE_MAGIC, len) != 0 || len == 0 : memcmp(p, DR_BUNDLE_MAGIC, 8) != 0)
        return fail(r, "not a docrules bundle");
    if (len < DR_BUNDLE_HEADER) return fail(r, "truncated at byte %zu", len);
    uint32_t format = le32(p + 8);
    if (format != DR_BUNDLE_FORMAT) return fail(r, "bundle format %u, this docrules reads %d", format, DR_BUNDLE_FORMAT);
    if (le32(p + 12) != DR_BUNDLE_HEADER) return fail(r, "corrupted: a header of %u bytes", le32(p + 12));
    uint64_t size = le64(p + 32);
    if (size > len) return fail(r, "truncated at byte %zu", len);
    if (size < len) return fail(r, "corrupted: %zu bytes after its end", len - (size_t)size);
    if (sum && le64(p + 48) != dr_bundle_checksum((const char *)p, len)) return fail(r, "checksum mismatch: corrupted");
    char version[17];
    memcpy(version, p + 16, 16);
    version[16] = '\0';
    if (strcmp(version, DOCRULES_VERSION) != 0)
        return fail(r, "built by docrules %s, this is docrules %s: build it again (docrules build)", version, DOCRULES_VERSION);
    uint32_t nsec = le32(p + 40);
    if (nsec > (len - DR_BUNDLE_HEADER) / DR_BUNDLE_ENTRY) return fail(r, "corrupted: %u sections", nsec);
    size_t table_end = DR_BUNDLE_HEADER + (size_t)nsec * DR_BUNDLE_ENTRY;
    for (uint32_t i = 0; i < nsec; i++) {
        const unsigned char *t = p + DR_BUNDLE_HEADER + (size_t)i * DR_BUNDLE_ENTRY;
        uint32_t id = le32(t);
        uint64_t off = le64(t + 8), n = le64(t + 16);
        if (id == 0 || id >= SEC_COUNT || r->sec[id]) return fail(r, "corrupted: section id %u", id);
        if (off < table_end || off > len || n > len - off) return fail(r, "corrupted: section %u runs past the end", id);
        r->sec[id] = p + off;
        r->seclen[id] = (size_t)n;
    }
    for (int s = 1; s < SEC_COUNT; s++)
        if (!r->sec[s]) return fail(r, "corrupted: section %d is missing", s);
    if (!r->seclen[SEC_STRINGS] || r->sec[SEC_STRINGS][r->seclen[SEC_STRINGS] - 1] != '\0')
        return fail(r, "corrupted: the strings do not end");
    return DR_OK;
}

static int meta(rd *r) {
    dr_bundle *b = r->b;
    if (r->seclen[SEC_META] != META_SIZE) return fail(r, "corrupted: its meta section");
    const unsigned char *m = r->sec[SEC_META];
    int rc;
    if ((rc = str(r, le32(m), 0, &b->build_id)) || (rc = str(r, le32(m + 4), 0, &b->rules_dir)) ||
        (rc = str(r, le32(m + 8), 0, &b->revision)))
        return rc;
    if (strlen(b->revision) != 16) return fail(r, "corrupted: its revision");
    b->has_lexicons = le32(m + 12) != 0;
    b->lexicon_hash = le64(m + 16);
    b->docs_hash = le64(m + 24);
    b->docs_read = (size_t)le64(m + 32);
    return DR_OK;
}

/* The inputs section, its records left where they lie, each path checked
 * as dr_inputs_raw_get reads it: copying 4,708 of them into fresh pages
 * took a millisecond of a warm-cache check (bundle/cache.c), which needs
 * them only when a stat moved. */
static int inputs_raw(rd *r, dr_inputs_raw *in) {
    size_t n = 0;
    int rc = records(r, SEC_INPUTS, INPUT_SIZE, &n);
    if (rc) return rc;
    in->rec = r->sec[SEC_INPUTS];
    in->n = n;
    in->strings = (const char *)r->sec[SEC_STRINGS];
    in->nstrings = r->seclen[SEC_STRINGS];
    in->stamp_ns = (int64_t)le64(r->sec[SEC_META] + 40);
    return DR_OK;
}

int dr_inputs_raw_get(const dr_inputs_raw *in, size_t i, dr_input *out) {
    if (i >= in->n) return DR_EPARSE;
    const unsigned char *q = in->rec + i * INPUT_SIZE;
    uint32_t path = le32(q);
    if (path >= in->nstrings) return DR_EPARSE;
    *out = (dr_input){in->strings + path, (int)le32(q + 4), (int)le32(q + 8), (int64_t)le64(q + 16),
                      (int64_t)le64(q + 24), le64(q + 32), le64(q + 40), le64(q + 48)};
    return DR_OK;
}

int dr_inputs_raw_decode(const dr_inputs_raw *in, dr_inputs *out) {
    memset(out, 0, sizeof *out);
    out->stamp_ns = in->stamp_ns;
    out->v = dr_xmalloc((in->n ? in->n : 1) * sizeof *out->v);
    for (; out->n < in->n; out->n++)
        if (dr_inputs_raw_get(in, out->n, &out->v[out->n]) != DR_OK) {
            dr_inputs_free(out);
            memset(out, 0, sizeof *out);
            return DR_EPARSE;
        }
    return DR_OK;
}

int dr_bundle_peek_inputs(const char *name, const char *bytes, size_t len, dr_inputs_raw *out, dr_error *err) {
    dr_bundle b; /* (its name, for fail's messages) */
    memset(&b, 0, sizeof b);
    snprintf(b.name, sizeof b.name, "%s", name);
    rd r = {(const unsigned char *)bytes, len, {0}, {0}, &b, err};
    memset(out, 0, sizeof *out);
    int rc;
    if ((rc = header(&r, 0))) return rc;
    if (r.seclen[SEC_META] != META_SIZE) return fail(&r, "corrupted: its meta section");
    return inputs_raw(&r, out);
}

static int scripts(rd *r) {
    dr_bundle *b = r->b;
    int rc = records(r, SEC_SCRIPTS, SCRIPT_SIZE, &b->nscripts);
    if (rc) return rc;
    b->scripts = dr_arena_calloc(b->arena, b->nscripts + 1, sizeof *b->scripts);
    for (size_t i = 0; i < b->nscripts; i++) {
        const unsigned char *q = r->sec[SEC_SCRIPTS] + i * SCRIPT_SIZE;
        const char *path = NULL;
        uint64_t off = le64(q + 8), n = le64(q + 16);
        if ((rc = str(r, le32(q), 0, &path))) return rc;
        if (off > r->seclen[SEC_BLOB] || n > r->seclen[SEC_BLOB] - off) return fail(r, "corrupted: script %zu runs past its text", i);
        b->scripts[i].path = (char *)path;
        b->scripts[i].text = (char *)r->sec[SEC_BLOB] + off;
        b->scripts[i].len = (size_t)n;
    }
    return DR_OK;
}

static int names(rd *r, int s, const char ***out, size_t *n) {
    int rc = records(r, s, NAME_SIZE, n);
    if (rc) return rc;
    *out = dr_arena_calloc(r->b->arena, *n + 1, sizeof **out);
    for (size_t i = 0; i < *n; i++)
        if ((rc = str(r, le32(r->sec[s] + i * NAME_SIZE), 0, &(*out)[i]))) return rc;
    return DR_OK;
}

static int lexicons(rd *r) {
    dr_bundle *b = r->b;
    int rc = records(r, SEC_LEXICONS, LEXICON_SIZE, &b->nlexicons);
    if (rc) return rc;
    b->lexicons = dr_arena_calloc(b->arena, b->nlexicons + 1, sizeof *b->lexicons);
    for (size_t i = 0; i < b->nlexicons; i++) {
        const unsigned char *q = r->sec[SEC_LEXICONS] + i * LEXICON_SIZE;
        if ((rc = str(r, le32(q), 0, &b->lexicons[i].lang)) || (rc = str(r, le32(q + 4), 0, &b->lexicons[i].file))) return rc;
        b->lexicons[i].line = i32(q + 8);
    }
    return DR_OK;
}

/* A run [first, first + n) of a section of total records. */
static int run_ok(uint32_t first, uint32_t n, size_t total) { return first <= total && n <= total - first; }

static int docs(rd *r) {
    dr_bundle *b = r->b;
    int rc;
    if ((rc = records(r, SEC_DOCS, DOC_SIZE, &b->ndocs)) || (rc = records(r, SEC_SECTIONS, SECTION_SIZE, &b->nsections)) ||
        (rc = records(r, SEC_UNITS, UNIT_SIZE, &b->nunits)))
        return rc;
    b->docs = dr_arena_calloc(b->arena, b->ndocs + 1, sizeof *b->docs);
    b->sections = dr_arena_calloc(b->arena, b->nsections + 1, sizeof *b->sections);
    b->units = dr_arena_calloc(b->arena, b->nunits + 1, sizeof *b->units);
    for (size_t i = 0; i < b->nsections; i++) {
        const unsigned char *q = r->sec[SEC_SECTIONS] + i * SECTION_SIZE;
        dr_section *s = &b->sections[i];
        if ((rc = str(r, le32(q), 0, &s->anchor))) return rc;
        s->title = "";
        s->level = i32(q + 4);
        s->line = i32(q + 8);
        s->col = i32(q + 12);
        s->anchor_explicit = i32(q + 16);
    }
    for (size_t i = 0; i < b->ndocs; i++) {
        const unsigned char *q = r->sec[SEC_DOCS] + i * DOC_SIZE;
        dr_bundle_doc *d = &b->docs[i];
        if ((rc = str(r, le32(q), 0, &d->path)) || (rc = str(r, le32(q + 4), 1, &d->locale)) ||
            (rc = str(r, le32(q + 8), 1, &d->date)) || (rc = str(r, le32(q + 12), 1, &d->asset)))
            return rc;
        d->article = i32(q + 16);
        d->ref = i32(q + 20);
        d->bilingual = le32(q + 24) != 0;
        uint32_t fs = le32(q + 28), ns = le32(q + 32), fu = le32(q + 36), nu = le32(q + 40);
        if (d->article < -1 || d->ref < -1 || d->ref >= (long)b->ndocs || !run_ok(fs, ns, b->nsections) ||
            !run_ok(fu, nu, b->nunits))
            return fail(r, "corrupted: doc %zu", i);
        d->first_section = fs, d->nsections = ns, d->first_unit = fu, d->nunits = nu;
        for (size_t k = fu; k < (size_t)fu + nu; k++) {
            const unsigned char *x = r->sec[SEC_UNITS] + k * UNIT_SIZE;
            dr_unit *u = &b->units[k];
            if ((rc = str(r, le32(x), 0, &u->text)) || (rc = str(r, le32(x + 4), 1, &u->source_text)) ||
                (rc = str(r, le32(x + 8), 1, &u->note_kind)))
                return rc;
            u->kind = (dr_unit_kind)i32(x + 12);
            u->line = i32(x + 16);
            u->col = i32(x + 20);
            u->section = i32(x + 24);
            u->parent = i32(x + 28);
            u->n = i32(x + 32);
            u->list = i32(x + 36);
            /* A parent comes before its child: no unit is its own ancestor. */
            if (u->kind > DR_UNIT_NOTE || u->section < 0 || (size_t)u->section >= ns || u->parent < -1 ||
                u->parent >= (int)(k - fu))
                return fail(r, "corrupted: a unit of doc %zu", i);
        }
    }
    return DR_OK;
}

static int facts(rd *r) {
    dr_bundle *b = r->b;
    int rc = records(r, SEC_FACTS, FACT_SIZE, &b->nfacts);
    if (rc) return rc;
    b->facts = dr_arena_calloc(b->arena, b->nfacts + 1, sizeof *b->facts);
    for (size_t j = 0; j < b->nfacts; j++) {
        const unsigned char *q = r->sec[SEC_FACTS] + j * FACT_SIZE;
        dr_bundle_fact *f = &b->facts[j];
        f->fact = le32(q);
        f->doc = le32(q + 4);
        f->value = (long)(int64_t)le64(q + 8);
        if ((rc = str(r, le32(q + 16), 1, &f->key)) || (rc = str(r, le32(q + 20), 0, &f->text)) ||
            (rc = str(r, le32(q + 24), 1, &f->via)))
            return rc;
        f->line = i32(q + 28);
        f->col = i32(q + 32);
        f->section = i32(q + 36);
        f->from_source = i32(q + 40);
        f->how = i32(q + 44);
        f->bound = i32(q + 48);
        int64_t ref = (int64_t)le64(q + 52);
        if (f->fact >= b->nfact_names || f->doc >= b->ndocs || f->section < -1 ||
            (f->section >= 0 && (size_t)f->section >= b->docs[f->doc].nsections) || f->bound < 0 || f->bound > 4 ||
            (f->how != DR_HOW_PATTERN && f->how != DR_HOW_ALIGNED) ||
            (f->how == DR_HOW_ALIGNED ? ref < 0 || (uint64_t)ref >= b->nfacts : ref != -1))
            return fail(r, "corrupted: fact %zu", j);
        f->ref = (long)ref;
    }
    return DR_OK;
}

static int inputs(rd *r) {
    dr_inputs_raw *in = &r->b->inputs;
    int rc = inputs_raw(r, in);
    dr_input x;
    for (size_t i = 0; rc == DR_OK && i < in->n; i++)
        if (dr_inputs_raw_get(in, i, &x) != DR_OK) rc = fail(r, "corrupted: a string lies outside the strings");
    return rc;
}

int dr_bundle_bytes_parse(const char *name, dr_bundle_bytes *f, dr_bundle **out, dr_error *err) {
    *out = NULL;
    dr_bundle *b = dr_xcalloc(1, sizeof *b);
    b->file = *f;
    snprintf(b->name, sizeof b->name, "%s", name);
    b->arena = dr_arena_new(0);
    rd r = {(const unsigned char *)f->bytes, f->len, {0}, {0}, b, err};
    int rc;
    if ((rc = header(&r, 1)) || (rc = meta(&r)) || (rc = scripts(&r)) || (rc = lexicons(&r)) ||
        (rc = names(&r, SEC_ARTICLES, &b->articles, &b->narticles)) ||
        (rc = names(&r, SEC_FACT_NAMES, &b->fact_names, &b->nfact_names)) ||
        (rc = names(&r, SEC_LOCALES, &b->locales, &b->nlocales)) || (rc = docs(&r)) || (rc = facts(&r)) ||
        (rc = inputs(&r)))
        goto failed;
    for (size_t i = 0; i < b->ndocs; i++)
        if (b->docs[i].article >= (int)b->narticles) {
            rc = dr_error_set(err, DR_EPARSE, name, 0, 0, "corrupted: doc %zu", i);
            goto failed;
        }
    memset(f, 0, sizeof *f);
    *out = b;
    return DR_OK;
failed:
    memset(&b->file, 0, sizeof b->file); /* f's still */
    dr_bundle_free(b);
    return rc;
}

int dr_bundle_parse(const char *name, char *bytes, size_t len, dr_bundle **out, dr_error *err) {
    dr_bundle_bytes f = {bytes, len, 0};
    int rc = dr_bundle_bytes_parse(name, &f, out, err);
    dr_bundle_bytes_close(&f);
    return rc;
}

/* Why a bundle's file could not be had, in one wording for reading and
 * mapping (bytes, when given, are freed). */
static int unread(const char *path, dr_read_status st, size_t len, char *bytes, dr_error *err) {
    int e = errno;
    free(bytes);
    switch (st) {
    case DR_READ_CANNOT_OPEN: return dr_error_set(err, DR_EIO, path, 0, 0, "cannot open: %s", strerror(e));
    case DR_READ_NOT_REGULAR: /* a folder, a pipe: a bundle is a file, mapped */
        return dr_error_set(err, DR_EIO, path, 0, 0, "cannot read: not a regular file (docrules build writes one)");
    case DR_READ_TOO_LARGE: return dr_error_set(err, DR_EPARSE, path, 0, 0, "not a docrules bundle (%zu bytes)", len);
    default: return dr_error_set(err, DR_EIO, path, 0, 0, "cannot read: %s", strerror(e));
    }
}

static int read_bytes(const char *path, dr_bundle_bytes *f, dr_error *err) {
    size_t cap = 0;
    memset(f, 0, sizeof *f);
    dr_read_status st = dr_read_file(path, DR_BUNDLE_MAX_BYTES, &f->bytes, &cap, &f->len);
    if (st == DR_READ_OK) return DR_OK;
    int rc = unread(path, st, f->len, f->bytes, err); /* (which frees them) */
    memset(f, 0, sizeof *f);
    return rc;
}

/* The file at path read (or mapped) and parsed. */
static int load(const char *path, int map, dr_bundle **out, dr_error *err) {
    *out = NULL;
    dr_bundle_bytes f;
    int rc = map ? dr_bundle_bytes_open(path, &f, err) : read_bytes(path, &f, err);
    if (rc == DR_OK) rc = dr_bundle_bytes_parse(path, &f, out, err);
    dr_bundle_bytes_close(&f);
    return rc;
}

int dr_bundle_read(const char *path, dr_bundle **out, dr_error *err) { return load(path, 0, out, err); }

int dr_bundle_bytes_open(const char *path, dr_bundle_bytes *f, dr_error *err) {
    memset(f, 0, sizeof *f);
    dr_read_status st = dr_map_file(path, DR_BUNDLE_MAX_BYTES, &f->bytes, &f->len);
    if (st == DR_READ_OK) {
        f->mapped = 1;
        return DR_OK;
    }
    /* Nothing to map (an empty file) or no mapping to be had: read it. */
    if (st == DR_READ_FAILED) return read_bytes(path, f, err);
    size_t len = f->len;
    memset(f, 0, sizeof *f);
    return unread(path, st, len, NULL, err);
}

void dr_bundle_bytes_close(dr_bundle_bytes *f) {
    if (f->mapped) dr_unmap_file(f->bytes, f->len);
    else free(f->bytes);
    memset(f, 0, sizeof *f);
}

int dr_bundle_map(const char *path, dr_bundle **out, dr_error *err) { return load(path, 1, out, err); }

void dr_bundle_free(dr_bundle *b) {
    if (!b) return;
    dr_arena_free(b->arena);
    dr_bundle_bytes_close(&b->file);
    free(b);
}

void dr_inputs_free(dr_inputs *in) {
    if (!in) return;
    free(in->v);
    dr_arena_free(in->arena);
    memset(in, 0, sizeof *in);
}
