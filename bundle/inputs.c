/* The files a rule set is made of, as its loaders will walk them, and
 * whether they are still those a bundle was built from: as git's index
 * does, a file whose size, mtime, inode and device are those recorded is
 * not read; one whose stat differs is read and hashed, and has changed only
 * if its bytes have. A file modified within a second of when its stat was
 * taken could change again within the same timestamp: it is always hashed
 * ("racily clean", in git's words). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../common/alloc.h"
#include "../common/arena.h"
#include "../common/hash.h"
#include "../common/walk.h"
#include "bundle.h"
#include "inputs.h"

/* A folder the loader only looks for (rules/lexicons): whether it is there
 * changes the revision, files or not. */
#define KIND_FOLDER 100
#define RACY_NS 1000000000LL

static int64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void add(dr_inputs *in, size_t *cap, const dr_walk_entry *w, int group) {
    if (in->n == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        in->v = dr_xrealloc(in->v, *cap * sizeof *in->v);
    }
    in->v[in->n++] = (dr_input){dr_arena_strdup(in->arena, w->path), group, (int)w->kind, w->size, w->mtime_ns, w->ino, w->dev, 0};
}

static int add_walk(dr_inputs *in, size_t *cap, const char *root, const char *ext, const char *const *skip, int group,
                    int sort, dr_error *err) {
    dr_walk w = {0};
    int rc = dr_walk_add(&w, root, ext, skip, err);
    if (rc == DR_OK) {
        if (sort) dr_walk_sort(&w);
        for (size_t i = 0; i < w.n; i++) add(in, cap, &w.v[i], group);
    }
    dr_walk_free(&w);
    return rc;
}

int dr_inputs_hash_file(const char *path, uint64_t *h) {
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return DR_EIO;
    char buf[65536];
    uint64_t x = DR_HASH_INIT;
    ssize_t k;
    while ((k = read(fd, buf, sizeof buf)) != 0) {
        if (k < 0 && errno == EINTR) continue;
        if (k < 0) {
            close(fd);
            return DR_EIO;
        }
        x = dr_hash(x, buf, (size_t)k);
    }
    close(fd);
    *h = x;
    return DR_OK;
}

int dr_inputs_walk(const char *rules_dir, const char *const *corpus, size_t ncorpus, int hash, dr_inputs *out,
                   dr_error *err) {
    memset(out, 0, sizeof *out);
    out->stamp_ns = now_ns();
    out->arena = dr_arena_new(0);
    size_t cap = 0;
    /* As state.c's loaders walk: the rules without tests/ and lexicons/,
     * then lexicons/ when it is a folder; the corpus as factset.c does. */
    static const char *const skip_rules[] = {"tests", "lexicons", NULL}, *const skip_lex[] = {"lexicons", NULL};
    int rc = add_walk(out, &cap, rules_dir, ".lua", skip_rules, DR_INPUT_RULES, 1, err);
    char lex[4200];
    struct stat st;
    snprintf(lex, sizeof lex, "%s/lexicons", rules_dir);
    if (rc == DR_OK && stat(lex, &st) == 0 && S_ISDIR(st.st_mode)) {
        dr_walk_entry folder = {lex, (dr_walk_kind)KIND_FOLDER, 0, 0, 0, 0};
        add(out, &cap, &folder, DR_INPUT_LEXICONS);
        rc = add_walk(out, &cap, lex, ".lua", skip_lex, DR_INPUT_LEXICONS, 1, err);
    }
    for (size_t i = 0; rc == DR_OK && i < ncorpus; i++)
        rc = add_walk(out, &cap, corpus[i], ".md", NULL, DR_INPUT_CORPUS, 1, err);
    for (size_t i = 0; rc == DR_OK && hash && i < out->n; i++)
        if (out->v[i].kind == DR_WALK_FILE && dr_inputs_hash_file(out->v[i].path, &out->v[i].hash) != DR_OK)
            rc = dr_error_set(err, DR_EIO, out->v[i].path, 0, 0, "cannot read: %s", strerror(errno));
    if (rc != DR_OK) dr_inputs_free(out);
    return rc;
}

int dr_inputs_same(const dr_inputs *was, dr_inputs *now, int *touched, char *why, size_t size) {
    *touched = 0;
    if (was->n != now->n) {
        snprintf(why, size, "%zu input files, now %zu", was->n, now->n);
        return 0;
    }
    for (size_t i = 0; i < now->n; i++) {
        const dr_input *a = &was->v[i];
        dr_input *b = &now->v[i];
        if (a->group != b->group || a->kind != b->kind || strcmp(a->path, b->path) != 0) {
            snprintf(why, size, "%s is new, gone or another kind of file", b->path);
            return 0;
        }
        if (b->kind != DR_WALK_FILE) continue;
        b->hash = a->hash;
        int racy = a->mtime_ns >= was->stamp_ns - RACY_NS;
        if (!racy && a->size == b->size && a->mtime_ns == b->mtime_ns && a->ino == b->ino && a->dev == b->dev) continue;
        uint64_t h;
        if (a->size != b->size || dr_inputs_hash_file(b->path, &h) != DR_OK || h != a->hash) {
            snprintf(why, size, "%s changed", b->path);
            return 0;
        }
        /* The same bytes: what a new bundle would record is the new stat. */
        if (!racy) *touched = 1;
    }
    return 1;
}
