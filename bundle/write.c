/* A root engine's rules and facts into a bundle's bytes, and the bytes
 * into a file atomically (bundle/bundle.h has the layout). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/alloc.h"
#include "../common/hash.h"
#include "../include/docrules.h"
#include "bundle.h"
#include "format.h"

/* The sections as they are written, and the strings they refer to. */
typedef struct writer {
    dr_buf sec[SEC_COUNT];
} writer;

static uint32_t str(writer *w, const char *s) {
    if (!s) return DR_BUNDLE_NONE;
    uint32_t at = (uint32_t)w->sec[SEC_STRINGS].n;
    dr_buf_put(&w->sec[SEC_STRINGS], s, strlen(s) + 1);
    return at;
}

static void put_str(writer *w, int sec, const char *s) { put32(&w->sec[sec], str(w, s)); }
static void put_i32(writer *w, int sec, long v) { put32(&w->sec[sec], (uint32_t)(int32_t)v); }

/* Which docs a bundle keeps: those of the rules' articles (deciding reads
 * no other) and any a fact cites; keep[i] gets doc i's new index or -1. */
static void kept_docs(const dr_factset *fs, const dr_doc_addr *v, long *keep) {
    size_t nd = dr_factset_doc_count(fs), nf, k = 0;
    const dr_fact *f = dr_factset_facts(fs, &nf);
    for (size_t i = 0; i < nd; i++) keep[i] = dr_factset_article(fs, i) >= 0 ? 0 : -1;
    for (size_t j = 0; j < nf; j++) {
        long i = dr_doc_addr_find(v, nd, f[j].doc);
        if (i >= 0) keep[i] = 0;
    }
    for (size_t i = 0; i < nd; i++)
        if (keep[i] >= 0) keep[i] = (long)k++;
}

/* Which sections of each kept doc a procedure fact is in: proc[i] marks
 * doc i's (NULL when none). One walk of the facts for all docs; each doc
 * walking them all made a fact-rich corpus's build quadratic. */
static unsigned char **procedure_sections(const dr_catalog *cat, const dr_factset *fs, const dr_doc_addr *v,
                                          const long *keep) {
    size_t nd = dr_factset_doc_count(fs), nf;
    const dr_fact *f = dr_factset_facts(fs, &nf);
    unsigned char **proc = dr_xcalloc(nd ? nd : 1, sizeof *proc);
    for (size_t j = 0; j < nf; j++) {
        if (dr_catalog_fact_kind(cat, f[j].fact) != DR_FACT_PROCEDURE || f[j].section < 0) continue;
        long i = dr_doc_addr_find(v, nd, f[j].doc);
        size_t ns;
        if (i < 0 || keep[i] < 0) continue;
        dr_doc_sections(f[j].doc, &ns);
        if ((size_t)f[j].section >= ns) continue;
        if (!proc[i]) proc[i] = dr_xcalloc(ns, 1);
        proc[i][f[j].section] = 1;
    }
    return proc;
}

/* One doc: its record, its sections, and the units of the sections a
 * procedure fact of it is in (proc, what the steps are read from). */
static void put_doc(writer *w, const dr_factset *fs, size_t i, const long *keep, const unsigned char *proc) {
    const dr_doc *d = dr_factset_doc(fs, i);
    size_t ns, nu, nseg;
    const dr_section *s = dr_doc_sections(d, &ns);
    const dr_unit *u = dr_doc_units(d, &nu);
    dr_doc_segments(d, &nseg);
    long *unit_at = dr_xmalloc((nu ? nu : 1) * sizeof *unit_at);
    size_t first_unit = w->sec[SEC_UNITS].n / UNIT_SIZE, kept = 0;
    for (size_t k = 0; k < nu; k++) {
        unit_at[k] = -1;
        if (!proc || u[k].section < 0 || (size_t)u[k].section >= ns || !proc[u[k].section]) continue;
        unit_at[k] = (long)kept++;
        put_str(w, SEC_UNITS, u[k].text);
        put_str(w, SEC_UNITS, u[k].source_text);
        put_str(w, SEC_UNITS, u[k].note_kind);
        put_i32(w, SEC_UNITS, u[k].kind);
        put_i32(w, SEC_UNITS, u[k].line);
        put_i32(w, SEC_UNITS, u[k].col);
        put_i32(w, SEC_UNITS, u[k].section);
        /* A nested unit's parent is a step of its own section, so kept;
         * were it not, the unit still says it is nested (under the doc's
         * first kept unit), unless it is that first unit: a parent always
         * comes before its child, which the reader checks (a unit its own
         * ancestor would loop whatever walks up from it). */
        long here = unit_at[k]; /* its index among the doc's kept units */
        put_i32(w, SEC_UNITS, u[k].parent < 0 ? -1
                              : u[k].parent < (int)k && unit_at[u[k].parent] >= 0 ? unit_at[u[k].parent]
                              : here > 0 ? 0 : -1);
        put_i32(w, SEC_UNITS, u[k].n);
        put_i32(w, SEC_UNITS, u[k].list);
    }
    size_t first_section = w->sec[SEC_SECTIONS].n / SECTION_SIZE;
    for (size_t k = 0; k < ns; k++) {
        put_str(w, SEC_SECTIONS, s[k].anchor);
        put_i32(w, SEC_SECTIONS, s[k].level);
        put_i32(w, SEC_SECTIONS, s[k].line);
        put_i32(w, SEC_SECTIONS, s[k].col);
        put_i32(w, SEC_SECTIONS, s[k].anchor_explicit);
    }
    long ref = dr_factset_ref(fs, i);
    put_str(w, SEC_DOCS, dr_doc_path(d));
    put_str(w, SEC_DOCS, dr_doc_locale(d));
    put_str(w, SEC_DOCS, dr_doc_date(d));
    put_str(w, SEC_DOCS, dr_doc_asset(d));
    put_i32(w, SEC_DOCS, dr_factset_article(fs, i));
    put_i32(w, SEC_DOCS, ref >= 0 ? keep[ref] : -1);
    put_i32(w, SEC_DOCS, nseg > 0);
    put_i32(w, SEC_DOCS, (long)first_section);
    put_i32(w, SEC_DOCS, (long)ns);
    put_i32(w, SEC_DOCS, (long)first_unit);
    put_i32(w, SEC_DOCS, (long)kept);
    free(unit_at);
}

static void put_facts(writer *w, const dr_factset *fs, const dr_doc_addr *v, const long *keep) {
    size_t nf;
    const dr_fact *f = dr_factset_facts(fs, &nf);
    const dr_doc *last = NULL;
    long at = -1;
    for (size_t j = 0; j < nf; j++) {
        if (f[j].doc != last) { /* facts come doc by doc */
            last = f[j].doc;
            long i = dr_doc_addr_find(v, dr_factset_doc_count(fs), last);
            at = i >= 0 ? keep[i] : -1;
        }
        put32(&w->sec[SEC_FACTS], (uint32_t)f[j].fact);
        put32(&w->sec[SEC_FACTS], (uint32_t)at);
        put64(&w->sec[SEC_FACTS], (uint64_t)(int64_t)f[j].value);
        put_str(w, SEC_FACTS, f[j].key);
        put_str(w, SEC_FACTS, f[j].text);
        put_str(w, SEC_FACTS, f[j].via);
        put_i32(w, SEC_FACTS, f[j].line);
        put_i32(w, SEC_FACTS, f[j].col);
        put_i32(w, SEC_FACTS, f[j].section);
        put_i32(w, SEC_FACTS, f[j].from_source);
        put_i32(w, SEC_FACTS, f[j].how);
        put_i32(w, SEC_FACTS, f[j].bound);
        put64(&w->sec[SEC_FACTS], (uint64_t)(int64_t)(f[j].how == DR_HOW_ALIGNED ? f[j].ref : -1));
    }
}

int dr_bundle_serialize(const dr_engine *e, const dr_inputs *in, dr_buf *out, dr_error *err) {
    writer w;
    memset(&w, 0, sizeof w);
    str(&w, ""); /* the strings section is never empty, and "" is at 0 */
    const dr_catalog *cat = dr_engine_catalog(e);
    const dr_factset *fs = dr_engine_factset(e);
    int has_lex;
    uint64_t lex, docs;
    dr_engine_hashes(e, &has_lex, &lex, &docs);
    put_str(&w, SEC_META, dr_build_id);
    put_str(&w, SEC_META, dr_engine_rules_dir(e));
    put_str(&w, SEC_META, dr_engine_revision(e));
    put32(&w.sec[SEC_META], (uint32_t)has_lex);
    put64(&w.sec[SEC_META], lex);
    put64(&w.sec[SEC_META], docs);
    put64(&w.sec[SEC_META], dr_factset_docs_read(fs));
    put64(&w.sec[SEC_META], (uint64_t)(in ? in->stamp_ns : 0));
    size_t ns;
    const dr_source *src = dr_engine_sources(e, &ns);
    for (size_t i = 0; i < ns; i++) {
        put_str(&w, SEC_SCRIPTS, src[i].path);
        put32(&w.sec[SEC_SCRIPTS], 0);
        put64(&w.sec[SEC_SCRIPTS], w.sec[SEC_BLOB].n);
        put64(&w.sec[SEC_SCRIPTS], src[i].len);
        dr_buf_put(&w.sec[SEC_BLOB], src[i].text, src[i].len);
    }
    for (size_t i = 0, n = dr_catalog_lexicon_count(cat); i < n; i++) {
        int line;
        const char *file = dr_catalog_lexicon_file(cat, i, &line);
        put_str(&w, SEC_LEXICONS, dr_catalog_lexicon_lang(cat, i));
        put_str(&w, SEC_LEXICONS, file);
        put_i32(&w, SEC_LEXICONS, line);
    }
    for (size_t i = 0, n = dr_catalog_article_count(cat); i < n; i++) put_str(&w, SEC_ARTICLES, dr_catalog_article_id(cat, i));
    for (size_t i = 0, n = dr_catalog_fact_count(cat); i < n; i++) put_str(&w, SEC_FACT_NAMES, dr_catalog_fact_name(cat, (int)i));
    size_t nloc;
    const char *const *loc = dr_factset_locales(fs, &nloc);
    for (size_t i = 0; i < nloc; i++) put_str(&w, SEC_LOCALES, loc[i]);
    size_t nd = dr_factset_doc_count(fs);
    long *keep = dr_xmalloc((nd ? nd : 1) * sizeof *keep);
    dr_doc_addr *v = dr_xmalloc((nd ? nd : 1) * sizeof *v);
    for (size_t i = 0; i < nd; i++) v[i] = (dr_doc_addr){dr_factset_doc(fs, i), i};
    dr_doc_addr_sort(v, nd);
    kept_docs(fs, v, keep);
    unsigned char **proc = procedure_sections(cat, fs, v, keep);
    for (size_t i = 0; i < nd; i++) {
        if (keep[i] >= 0) put_doc(&w, fs, i, keep, proc[i]);
        free(proc[i]);
    }
    free(proc);
    put_facts(&w, fs, v, keep);
    free(v);
    free(keep);
    for (size_t i = 0; in && i < in->n; i++) {
        const dr_input *x = &in->v[i];
        put_str(&w, SEC_INPUTS, x->path);
        put32(&w.sec[SEC_INPUTS], (uint32_t)x->group);
        put32(&w.sec[SEC_INPUTS], (uint32_t)x->kind);
        put32(&w.sec[SEC_INPUTS], 0);
        put64(&w.sec[SEC_INPUTS], (uint64_t)x->size);
        put64(&w.sec[SEC_INPUTS], (uint64_t)x->mtime_ns);
        put64(&w.sec[SEC_INPUTS], x->ino);
        put64(&w.sec[SEC_INPUTS], x->dev);
        put64(&w.sec[SEC_INPUTS], x->hash);
    }
    /* The header, the table, then each section in id order. */
    size_t start = out->n, nsec = SEC_COUNT - 1;
    size_t off = DR_BUNDLE_HEADER + nsec * DR_BUNDLE_ENTRY, total = off;
    for (int s = 1; s < SEC_COUNT; s++) total += w.sec[s].n;
    char version[16] = {0};
    snprintf(version, sizeof version, "%s", DOCRULES_VERSION);
    dr_buf_put(out, DR_BUNDLE_MAGIC, 8);
    put32(out, DR_BUNDLE_FORMAT);
    put32(out, DR_BUNDLE_HEADER);
    dr_buf_put(out, version, sizeof version);
    put64(out, total);
    put32(out, (uint32_t)nsec);
    put32(out, 0);
    put64(out, 0); /* the checksum, once the rest is written */
    put64(out, 0);
    for (int s = 1; s < SEC_COUNT; s++) {
        put32(out, (uint32_t)s);
        put32(out, 0);
        put64(out, off);
        put64(out, w.sec[s].n);
        off += w.sec[s].n;
    }
    for (int s = 1; s < SEC_COUNT; s++) {
        if (w.sec[s].n) dr_buf_put(out, w.sec[s].s, w.sec[s].n);
        free(w.sec[s].s);
    }
    set64(out->s + start + 48, dr_bundle_checksum(out->s + start, out->n - start));
    (void)err;
    return DR_OK;
}

/* The checksum: the bytes 32 at a time, as four lanes of little-endian
 * 64-bit words (the same value on any host). Each lane is an FNV-style step (xor, multiply by FNV's
 * prime) whose product's high half is folded back, so that every bit of a
 * word reaches the lane's low bits too; the four multiplies of a round do
 * not wait on one another. FNV-1a a byte at a time (format 1) was 8% of a
 * warm-cache check of corpus-bulk, whose bundle is 735 kB (perf), and sat
 * before the engine could load. Like FNV it finds corruption; it is no
 * defence against a forged file, which read.c's checks are for. */
#define LANE_PRIME UINT64_C(1099511628211)

/* One load, not eight (GCC did not merge the bytes' shifts). */
static uint64_t word_at(const unsigned char *p) {
    uint64_t w;
    memcpy(&w, p, sizeof w);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    w = __builtin_bswap64(w);
#endif
    return w;
}

/* n a multiple of 32. */
static void lanes(uint64_t h[4], const unsigned char *p, size_t n) {
    for (; n; p += 32, n -= 32)
        for (int i = 0; i < 4; i++) {
            uint64_t x = (h[i] ^ word_at(p + 8 * i)) * LANE_PRIME;
            h[i] = x ^ (x >> 32);
        }
}

uint64_t dr_bundle_checksum(const char *bytes, size_t len) {
    const unsigned char *p = (const unsigned char *)bytes;
    uint64_t h[4] = {DR_HASH_INIT, DR_HASH_INIT + 1, DR_HASH_INIT + 2, DR_HASH_INIT + 3};
    /* The header with its checksum's 8 bytes as zeros. */
    unsigned char head[DR_BUNDLE_HEADER], tail[32] = {0};
    memcpy(head, p, sizeof head);
    memset(head + 48, 0, 8);
    lanes(h, head, sizeof head);
    size_t body = (len - DR_BUNDLE_HEADER) & ~(size_t)31, rest = len - DR_BUNDLE_HEADER - body;
    lanes(h, p + DR_BUNDLE_HEADER, body);
    /* The last bytes padded with zeros; the length tells the padding apart. */
    memcpy(tail, p + DR_BUNDLE_HEADER + body, rest);
    lanes(h, tail, sizeof tail);
    /* The lanes and the length, folded as the words were. */
    uint64_t r[4] = {DR_HASH_INIT, 0, 0, 0};
    unsigned char fold[40];
    for (int i = 0; i < 5; i++) {
        uint64_t w = i < 4 ? h[i] : (uint64_t)len;
        for (int k = 0; k < 8; k++) fold[8 * i + k] = (unsigned char)(w >> 8 * k);
    }
    lanes(r, fold, 32);
    uint64_t x = (r[0] ^ r[1] ^ r[2] ^ r[3] ^ word_at(fold + 32)) * LANE_PRIME;
    return x ^ (x >> 32);
}

/* The bytes into a temporary file beside path, then renamed over it. */
static int write_beside(const char *path, const char *bytes, size_t len, int sync, dr_error *err) {
    char tmp[4200];
    const char *slash = strrchr(path, '/');
    /* Beside the file, so that the rename stays within one file system. */
    snprintf(tmp, sizeof tmp, "%.*s.tmp-%ld-XXXXXX", slash ? (int)(slash - path + 1) : 0, path, (long)getpid());
    int fd = mkstemp(tmp);
    if (fd < 0) return dr_error_set(err, DR_EIO, path, 0, 0, "cannot write: %s", strerror(errno));
    size_t done = 0;
    while (done < len) {
        ssize_t k = write(fd, bytes + done, len - done);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) break;
        done += (size_t)k;
    }
    /* mkstemp makes it 0600; a bundle is as readable as the files it holds. */
    int bad = done < len || fchmod(fd, 0644) != 0 || (sync && fsync(fd) != 0);
    int saved = errno;
    if (close(fd) != 0 && !bad) {
        bad = 1;
        saved = errno;
    }
    if (bad || rename(tmp, path) != 0) {
        if (!bad) saved = errno;
        unlink(tmp);
        return dr_error_set(err, DR_EIO, path, 0, 0, "cannot write: %s", strerror(saved ? saved : EIO));
    }
    return DR_OK;
}

int dr_bundle_write_file(const char *path, const char *bytes, size_t len, int sync, dr_error *err) {
    struct stat st;
    char *real = NULL;
    /* The bytes replace the target by a rename, which would as well replace
     * a device, a FIFO or a folder's entry for one: only a regular file (or
     * none yet) is a place for a bundle. A symbolic link is followed, as any
     * writer's -o does: the file it names is replaced, the link kept. */
    if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode) && !(real = realpath(path, NULL))) {
        /* A link to a file not made yet: the file is made where it says. */
        char to[4096];
        ssize_t n = errno == ENOENT ? readlink(path, to, sizeof to - 1) : -1;
        if (n <= 0 || (size_t)n >= sizeof to - 1)
            return dr_error_set(err, DR_EIO, path, 0, 0, "cannot write: the symbolic link's target: %s",
                                strerror(n < 0 ? errno : ENAMETOOLONG));
        to[n] = '\0';
        const char *slash = strrchr(path, '/');
        size_t dir = to[0] == '/' || !slash ? 0 : (size_t)(slash - path) + 1;
        real = dr_xmalloc(dir + (size_t)n + 1);
        memcpy(real, path, dir);
        memcpy(real + dir, to, (size_t)n + 1);
        struct stat tst;
        if (lstat(real, &tst) == 0) { /* there after all (another link, a race): not followed further */
            free(real);
            return dr_error_set(err, DR_EIO, path, 0, 0, "cannot write: the symbolic link's target is another link");
        }
    }
    if (stat(real ? real : path, &st) == 0 && !S_ISREG(st.st_mode)) {
        free(real);
        return dr_error_set(err, DR_EIO, path, 0, 0, "cannot write: not a regular file");
    }
    int rc = write_beside(real ? real : path, bytes, len, sync, err);
    free(real);
    return rc;
}
