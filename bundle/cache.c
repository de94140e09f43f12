/* The cache of compiled bundles: `check` and its kin read a bundle kept
 * under $XDG_CACHE_HOME/docrules (else ~/.cache/docrules) for the rules and
 * corpus they name, while none of their files changed (bundle/inputs.c),
 * and build it again when one did. A cache that cannot be read is built
 * again; one that cannot be written means deciding without it: never an
 * error. Entries are written to a temporary file and renamed, so two
 * processes building at once each write a whole file and the last rename
 * wins; a reader sees one or the other. */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../common/alloc.h"
#include "../common/clock.h"
#include "../common/hash.h"
#include "../common/walk.h"
#include "../engine/internal.h"
#include "../include/docrules.h"
#include "bundle.h"
#include "format.h"
#include "inputs.h"

/* Bundles kept at most: each rules and corpus pair (as named, where they
 * are) has its own, and a test suite makes many in temporary folders. */
#define CACHE_KEEP 32

/* The cache folder, made if need be; 0 when there is none to make. */
static int cache_dir(char *dir, size_t size, char *why, size_t wsize) {
    const char *x = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    /* The XDG spec: a relative XDG_CACHE_HOME is to be ignored. */
    if (x && x[0] == '/') snprintf(dir, size, "%s/docrules", x);
    else if (home && home[0] == '/') snprintf(dir, size, "%s/.cache/docrules", home);
    else {
        snprintf(why, wsize, "no cache folder: neither XDG_CACHE_HOME nor HOME is set");
        return 0;
    }
    char parent[PATH_MAX];
    snprintf(parent, sizeof parent, "%s", dir);
    *strrchr(parent, '/') = '\0';
    struct stat st;
    if (stat(dir, &st) == 0 && !S_ISDIR(st.st_mode)) { /* access() would say "Permission denied" */
        snprintf(why, wsize, "cannot write %.400s: not a folder", dir);
        return 0;
    }
    if ((mkdir(parent, 0700) != 0 && errno != EEXIST) || (mkdir(dir, 0700) != 0 && errno != EEXIST) ||
        access(dir, W_OK | X_OK) != 0) {
        snprintf(why, wsize, "cannot write %.400s: %s", dir, strerror(errno));
        return 0;
    }
    return 1;
}

static uint64_t hash_str(uint64_t h, const char *s) { return dr_hash(h, s ? s : "", s ? strlen(s) + 1 : 1); }

/* The entry's name: this docrules, and the rules and corpus as named and
 * where they are (a name is part of every citation). */
static void entry_path(const dr_engine_opts *o, const char *dir, char *out, size_t size) {
    uint64_t h = hash_str(DR_HASH_INIT, "docrules bundle cache");
    h = hash_str(h, DOCRULES_VERSION);
    h = hash_str(h, dr_build_id);
    char real[PATH_MAX];
    h = hash_str(h, o->rules_dir);
    h = hash_str(h, realpath(o->rules_dir, real) ? real : "");
    for (size_t i = 0; i < o->ncorpus; i++) {
        h = hash_str(h, o->corpus[i]);
        h = hash_str(h, realpath(o->corpus[i], real) ? real : "");
    }
    h = hash_str(h, o->corpus_label);
    snprintf(out, size, "%s/%016" PRIx64 ".drb", dir, h);
}

/* The entry again with the stats just taken (same files, same bytes):
 * its inputs section patched in place, the checksum made again. */
static void restamp(const char *entry, dr_bundle *b, const dr_inputs *now) {
    char *bytes = dr_xmalloc(b->file.len);
    memcpy(bytes, b->file.bytes, b->file.len);
    unsigned char *p = (unsigned char *)bytes;
    size_t nsec = le32(p + 40), inputs = 0, meta = 0;
    for (size_t i = 0; i < nsec; i++) {
        const unsigned char *t = p + DR_BUNDLE_HEADER + i * DR_BUNDLE_ENTRY;
        if (le32(t) == SEC_INPUTS) inputs = (size_t)le64(t + 8);
        if (le32(t) == SEC_META) meta = (size_t)le64(t + 8);
    }
    set64(bytes + meta + 40, (uint64_t)now->stamp_ns);
    for (size_t i = 0; i < now->n; i++) {
        char *q = bytes + inputs + i * INPUT_SIZE;
        set64(q + 16, (uint64_t)now->v[i].size);
        set64(q + 24, (uint64_t)now->v[i].mtime_ns);
        set64(q + 32, now->v[i].ino);
        set64(q + 40, now->v[i].dev);
    }
    set64(bytes + 48, dr_bundle_checksum(bytes, b->file.len));
    dr_bundle_write_file(entry, bytes, b->file.len, 0, NULL);
    free(bytes);
}

/* Past CACHE_KEEP entries, the least recently written go; so do temporary
 * files an interrupted write left over an hour ago. Only the cache's own
 * files, in the folder itself (the walk lists what folders a user made
 * there hold too; they are left alone). */
static int newest_first(const void *x, const void *y) {
    long long a = (*(const dr_walk_entry *const *)x)->mtime_ns, b = (*(const dr_walk_entry *const *)y)->mtime_ns;
    return a < b ? 1 : a > b ? -1 : 0;
}

static void evict(const char *dir) {
    dr_walk w = {0};
    dr_error err;
    dr_error_clear(&err);
    if (dr_walk_add(&w, dir, "", NULL, &err) != DR_OK) {
        dr_walk_free(&w);
        return;
    }
    size_t dl = strlen(dir), n = 0;
    dr_walk_entry **v = dr_xmalloc((w.n ? w.n : 1) * sizeof *v);
    int64_t now_ns = dr_clock_real_ns();
    for (size_t i = 0; i < w.n; i++) {
        dr_walk_entry *f = &w.v[i];
        const char *name = f->path + dl + (dl && dir[dl - 1] != '/');
        if (f->kind != DR_WALK_FILE || strchr(name, '/')) continue;
        size_t len = strlen(name);
        if (strstr(name, ".tmp-")) {
            if (now_ns - f->mtime_ns > 3600 * 1000000000LL) unlink(f->path);
        } else if (len > 4 && strcmp(name + len - 4, ".drb") == 0) {
            v[n++] = f;
        }
    }
    if (n > CACHE_KEEP) {
        qsort(v, n, sizeof *v, newest_first);
        for (size_t i = CACHE_KEEP; i < n; i++) unlink(v[i]->path);
    }
    free(v);
    dr_walk_free(&w);
}

int dr_cache_open(const dr_engine_opts *o, dr_engine **out, char *note, size_t size, int *warning, dr_error *err) {
    char dir[PATH_MAX - 64], entry[PATH_MAX], why[1024] = "";
    *warning = 0;
    *out = NULL;
    if (!cache_dir(dir, sizeof dir, why, sizeof why)) {
        *warning = 1;
        snprintf(note, size, "cache not used: %s", why);
        return dr_engine_new(o, out, err);
    }
    entry_path(o, dir, entry, sizeof entry);
    dr_bundle *b = NULL;
    dr_error e;
    dr_error_clear(&e);
    dr_bundle_bytes f;
    dr_inputs_raw raw;
    /* (when the look at the files starts and ends, for the note) */
    double opened = dr_clock_mono();
    if (dr_bundle_bytes_open(entry, &f, &e) != DR_OK) {
        if (e.code == DR_EIO) snprintf(why, sizeof why, "none yet");
        else snprintf(why, sizeof why, "%s", e.message);
    } else if (dr_bundle_peek_inputs(entry, f.bytes, f.len, &raw, &e) != DR_OK) {
        snprintf(why, sizeof why, "%s", e.message);
        dr_bundle_bytes_close(&f);
    } else {
        /* The files are looked at on another thread from the moment the
         * entry is mapped, their list read where it lies, while this one
         * checks and parses the entry and makes the engine from it, which
         * most often is the answer; then it helps look at what is left.
         * Started before the parse rather than after it, a check of
         * corpus-bulk takes 0.93 to 0.95 of the wall it took (README,
         * "Compiled bundles and the cache"). The bytes
         * stay until the look is over: b's once parsed, living on as the
         * engine's or, when that fails, ours until the end; f's else. */
        double started = (dr_clock_mono() - opened) * 1e3;
        dr_restat *check = dr_inputs_restat_start(&raw);
        char times[200] = "";
        dr_inputs now;
        int touched, verdict = 0, loaded = 0;
        if (dr_bundle_bytes_parse(entry, &f, &b, &e) != DR_OK) {
            snprintf(why, sizeof why, "%s", e.message);
        } else if (strcmp(b->build_id, dr_build_id) != 0) {
            snprintf(why, sizeof why, "written by another build of docrules");
        } else {
            loaded = dr_engine_new_from_bundle(o, b, out, &e) == DR_OK;
            if (!loaded) snprintf(why, sizeof why, "%s", e.message);
        }
        if (!loaded) {
            dr_inputs_restat_cancel(check);
        } else if ((verdict = dr_inputs_restat_finish(check, &now, &touched, why, sizeof why, times, sizeof times)) < 0) {
            /* A folder's entries may have changed: list them all again. */
            dr_inputs was;
            dr_inputs_free(&now);
            if (dr_inputs_raw_decode(&b->inputs, &was) != DR_OK) { /* (not once parsed) */
                snprintf(why, sizeof why, "its record of an input is corrupted");
                verdict = 0;
            } else if (dr_inputs_walk(o->rules_dir, o->corpus, o->ncorpus, 0, &now, &e) != DR_OK) {
                snprintf(why, sizeof why, "%.300s: %.280s", e.file, e.message);
                verdict = 0;
            } else {
                verdict = dr_inputs_same(&was, &now, &touched, why, sizeof why);
            }
            dr_inputs_free(&was);
        }
        if (verdict == 1) {
            if (touched) restamp(entry, (*out)->bundle, &now);
            snprintf(note, size, "cache: read %s%s; its %zu files and folders looked at again from %.1f to %.1f ms "
                     "after the entry was opened: %s", entry, touched ? " (files touched, none changed)" : "", raw.n,
                     started, (dr_clock_mono() - opened) * 1e3, times);
        }
        if (loaded) dr_inputs_free(&now);
        if (verdict == 1) return DR_OK;
        if (loaded) {
            dr_engine_free(*out); /* and b with it */
            *out = NULL;
            b = NULL;
        }
        dr_bundle_bytes_close(&f); /* (nothing once parsed) */
    }
    dr_bundle_free(b);
    /* Built from the files, then kept. The inputs are looked at (and
     * hashed) before the load reads them: a file changed meanwhile has a
     * newer stat than the record, and is read again next time. */
    dr_inputs snap;
    int have = dr_inputs_walk(o->rules_dir, o->corpus, o->ncorpus, 1, &snap, &e) == DR_OK;
    int rc = dr_engine_new(o, out, err);
    if (rc != DR_OK || !have) {
        if (have) dr_inputs_free(&snap);
        snprintf(note, size, "cache: not written (%s)", rc != DR_OK ? "the rules did not load" : e.message);
        return rc;
    }
    dr_buf bytes = {0};
    dr_bundle_serialize(*out, &snap, &bytes, &e);
    dr_inputs_free(&snap);
    if (dr_bundle_write_file(entry, bytes.s, bytes.n, 0, &e) != DR_OK) {
        *warning = 1;
        snprintf(note, size, "cache not used: %s", e.message);
    } else {
        snprintf(note, size, "cache: built %s (%s)", entry, why);
        evict(dir);
    }
    free(bytes.s);
    return DR_OK;
}
