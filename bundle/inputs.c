/* The files a rule set is made of, as its loaders will walk them, and
 * whether they are still those a bundle was built from: as git's index
 * does, a file whose size, mtime, inode and device are those recorded is
 * not read; one whose stat differs is read and hashed, and has changed only
 * if its bytes have. A file modified within a second of when its stat was
 * taken could change again within the same timestamp: it is always hashed
 * ("racily clean", in git's words). */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/alloc.h"
#include "../common/arena.h"
#include "../common/clock.h"
#include "../common/hash.h"
#include "../common/thread.h"
#include "../common/walk.h"
#include "bundle.h"
#include "inputs.h"

#define RACY_NS 1000000000LL

static void add(dr_inputs *in, size_t *cap, const dr_walk_entry *w, int group) {
    if (in->n == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        in->v = dr_xrealloc(in->v, *cap * sizeof *in->v);
    }
    in->v[in->n++] = (dr_input){dr_arena_strdup(in->arena, w->path), group, (int)w->kind, w->size, w->mtime_ns, w->ino, w->dev, 0};
}

static int add_walk(dr_inputs *in, size_t *cap, const char *root, const char *ext, const char *const *skip, int group,
                    int sort, dr_error *err) {
    /* Folders too: one whose mtime is the recorded one had no entry come
     * or go, so a check need not list it again (dr_inputs_restat). */
    dr_walk w = {0};
    w.dirs = 1;
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
    out->stamp_ns = dr_clock_real_ns();
    out->arena = dr_arena_new(0);
    size_t cap = 0;
    /* As state.c's loaders walk: the rules without tests/ and lexicons/,
     * then lexicons/ when it is a folder; the corpus as factset.c does. */
    static const char *const skip_rules[] = {"tests", "lexicons", NULL}, *const skip_lex[] = {"lexicons", NULL};
    int rc = add_walk(out, &cap, rules_dir, ".lua", skip_rules, DR_INPUT_RULES, 1, err);
    char lex[4200];
    struct stat st;
    snprintf(lex, sizeof lex, "%s/lexicons", rules_dir);
    if (rc == DR_OK && stat(lex, &st) == 0 && S_ISDIR(st.st_mode))
        rc = add_walk(out, &cap, lex, ".lua", skip_lex, DR_INPUT_LEXICONS, 1, err);
    for (size_t i = 0; rc == DR_OK && i < ncorpus; i++)
        rc = add_walk(out, &cap, corpus[i], ".md", NULL, DR_INPUT_CORPUS, 1, err);
    for (size_t i = 0; rc == DR_OK && hash && i < out->n; i++)
        if (out->v[i].kind == DR_WALK_FILE && dr_inputs_hash_file(out->v[i].path, &out->v[i].hash) != DR_OK)
            rc = dr_error_set(err, DR_EIO, out->v[i].path, 0, 0, "cannot read: %s", strerror(errno));
    if (rc != DR_OK) dr_inputs_free(out);
    return rc;
}

/* Whether file a, as was recorded it at stamp_ns, is b, as stat'ed now:
 * the same stat, not racily clean; else the same bytes by their hash (and
 * then *touched: a new record would keep the new stat). 0, and why, when
 * it changed. */
static int same_file(int64_t stamp_ns, const dr_input *a, const dr_input *b, int *touched, char *why, size_t size) {
    int racy = a->mtime_ns >= stamp_ns - RACY_NS;
    if (!racy && a->size == b->size && a->mtime_ns == b->mtime_ns && a->ino == b->ino && a->dev == b->dev) return 1;
    uint64_t h;
    if (a->size != b->size || dr_inputs_hash_file(a->path, &h) != DR_OK || h != a->hash) {
        snprintf(why, size, "%s changed", a->path);
        return 0;
    }
    if (!racy) *touched = 1;
    return 1;
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
        if (b->kind == DR_WALK_DIR && (a->mtime_ns != b->mtime_ns || a->ino != b->ino)) *touched = 1;
        if (b->kind != DR_WALK_FILE) continue;
        b->hash = a->hash;
        if (!same_file(was->stamp_ns, a, b, touched, why, size)) return 0;
    }
    return 1;
}

/* What one thread of a restat found: verdict 1 fresh, 0 changed, -1 a
 * folder changed. */
typedef struct restat_part {
    int verdict, touched;
    char why[600];
    /* The entries whose stat moved, with the stat now: most checks find
     * none, and then no memory is touched for the thousands that did not. */
    struct moved {
        size_t i;
        dr_input now;
    } *moved;
    size_t nmoved;
    size_t looked; /* entries stat'ed, and the time taken: for the cache's note */
    int64_t ns;
} restat_part;

/* The entries are taken RESTAT_CHUNK at a time from one cursor by the
 * caller's thread and a helper, so neither waits on the other's share: the
 * helper may start late, the caller may be busy loading the engine first
 * (bundle/cache.c), and a fixed half each left one core idle for
 * milliseconds. A chunk is a few dozen files of one folder or two. */
#define RESTAT_CHUNK 64
struct dr_restat {
    dr_inputs_raw was;  /* read where they lie: a record is looked at once */
    int64_t stamp_ns;
    atomic_size_t next; /* the first entry no thread has taken */
    atomic_int stop;    /* a change was found: the rest need not be looked at */
    restat_part part[2]; /* [0] the caller's thread, [1] the helper's */
    pthread_t helper;
    int threaded;
};

/* lstat(path), through a descriptor of its folder kept in *dfd for the
 * next file of the same folder (*dir, its length *dlen): one name looked
 * up, not the whole path (a quarter of the time over corpus-bulk when
 * written; within 10% of lstat by path in build/bench/vm_costs on 12-04,
 * where entering the kernel is most of either). */
static int lstat_in(const char *path, int *dfd, const char **dir, size_t *dlen, struct stat *st) {
    const char *slash = strrchr(path, '/');
    if (!slash) return fstatat(AT_FDCWD, path, st, AT_SYMLINK_NOFOLLOW);
    size_t n = (size_t)(slash - path);
    if (*dfd < 0 || n != *dlen || memcmp(*dir, path, n) != 0) {
        char d[4096];
        if (n >= sizeof d) return lstat(path, st);
        memcpy(d, path, n);
        d[n] = '\0';
        if (*dfd >= 0) close(*dfd);
        *dfd = open(n ? d : "/", O_PATH | O_DIRECTORY | O_CLOEXEC);
        *dir = path;
        *dlen = n;
        if (*dfd < 0) return lstat(path, st);
    }
    return fstatat(*dfd, slash + 1, st, AT_SYMLINK_NOFOLLOW);
}

/* Entry i of r->was stat'ed again, into p: 1 while all is the same. */
static int restat_one(dr_restat *r, restat_part *p, size_t i, int *dfd, const char **dir_of, size_t *dlen) {
    dr_input was;
    if (dr_inputs_raw_get(&r->was, i, &was) != DR_OK) {
        snprintf(p->why, sizeof p->why, "its record of input %zu is corrupted", i);
        return p->verdict = 0;
    }
    const dr_input *a = &was;
    dr_input now = was, *b = &now;
    struct stat st;
    int dir = a->kind == DR_WALK_DIR;
    /* A folder as the walk saw it (a root given as a link is followed);
     * anything else as it is. */
    if ((dir ? stat(a->path, &st) : lstat_in(a->path, dfd, dir_of, dlen, &st)) != 0) {
        snprintf(p->why, sizeof p->why, "%s is gone", a->path);
        return p->verdict = dir ? -1 : 0;
    }
    b->size = (int64_t)st.st_size;
    b->mtime_ns = (int64_t)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
    b->ino = (uint64_t)st.st_ino;
    b->dev = (uint64_t)st.st_dev;
    int racy = a->mtime_ns >= r->was.stamp_ns - RACY_NS;
    int same = b->mtime_ns == a->mtime_ns && b->ino == a->ino && b->dev == a->dev;
    if (!same || b->size != a->size) {
        p->moved = dr_xrealloc(p->moved, (p->nmoved + 1) * sizeof *p->moved);
        p->moved[p->nmoved++] = (struct moved){i, now};
    }
    if (dir) {
        /* An entry came or went in it, or may have: list it again. */
        if (!S_ISDIR(st.st_mode) || !same || racy) p->verdict = -1;
        return p->verdict;
    }
    int kind = S_ISREG(st.st_mode) ? DR_WALK_FILE : S_ISLNK(st.st_mode) ? DR_WALK_SYMLINK : DR_WALK_SPECIAL;
    if (kind != a->kind) {
        snprintf(p->why, sizeof p->why, "%s is another kind of file", a->path);
        p->verdict = 0;
    } else if (kind == DR_WALK_FILE && !same_file(r->was.stamp_ns, a, b, &p->touched, p->why, sizeof p->why)) {
        p->verdict = 0;
    }
    return p->verdict;
}

/* Takes chunks until none is left or some thread found a change. */
static void restat_work(dr_restat *r, restat_part *p) {
    int64_t t0 = dr_clock_mono_ns();
    int dfd = -1;
    const char *dir_of = NULL;
    size_t dlen = 0, n = r->was.n;
    while (p->verdict == 1 && !atomic_load_explicit(&r->stop, memory_order_relaxed)) {
        size_t from = atomic_fetch_add_explicit(&r->next, RESTAT_CHUNK, memory_order_relaxed);
        if (from >= n) break;
        size_t to = from + RESTAT_CHUNK < n ? from + RESTAT_CHUNK : n;
        /* (stop looked at each record too: a cancelled look, its bundle
         * found unfit, does not stat and hash the rest of a chunk) */
        for (size_t i = from; i < to && !atomic_load_explicit(&r->stop, memory_order_relaxed); i++, p->looked++)
            if (restat_one(r, p, i, &dfd, &dir_of, &dlen) != 1) {
                atomic_store_explicit(&r->stop, 1, memory_order_relaxed);
                break;
            }
    }
    if (dfd >= 0) close(dfd);
    p->ns = dr_clock_mono_ns() - t0;
}

static void *restat_helper(void *arg) {
    dr_restat *r = arg;
    restat_work(r, &r->part[1]);
    return NULL;
}

dr_restat *dr_inputs_restat_start(const dr_inputs_raw *was) {
    dr_restat *r = dr_xcalloc(1, sizeof *r);
    r->was = *was;
    r->stamp_ns = dr_clock_real_ns();
    atomic_init(&r->next, 0);
    atomic_init(&r->stop, 0);
    r->part[0].verdict = r->part[1].verdict = 1;
    /* A stat is a path lookup in the kernel (2.4 µs on the VM measured:
     * build/bench/vm_costs), thousands of them per corpus; for a few
     * hundred a thread costs more than it saves. */
    r->threaded = was->n >= 256 && dr_thread_start(&r->helper, 0, restat_helper, r) == 0;
    return r;
}

static void restat_free(dr_restat *r) {
    free(r->part[0].moved);
    free(r->part[1].moved);
    free(r);
}

void dr_inputs_restat_cancel(dr_restat *r) {
    atomic_store_explicit(&r->stop, 1, memory_order_relaxed);
    if (r->threaded) pthread_join(r->helper, NULL);
    restat_free(r);
}

int dr_inputs_restat_finish(dr_restat *r, dr_inputs *now, int *touched, char *why, size_t size, char *times,
                            size_t tsize) {
    memset(now, 0, sizeof *now);
    restat_work(r, &r->part[0]);
    if (r->threaded) pthread_join(r->helper, NULL);
    restat_part *part = r->part;
    int verdict = part[0].verdict == 0 || part[1].verdict == 0 ? 0 : part[0].verdict < 0 || part[1].verdict < 0 ? -1 : 1;
    *touched = part[0].touched || part[1].touched;
    if (verdict == 1 && *touched) {
        /* The record to write again: was's entries (their paths into
         * was's bytes), with the stats that moved. */
        if (dr_inputs_raw_decode(&r->was, now) != DR_OK) { /* (not after every record read) */
            verdict = 0;
            snprintf(part[0].why, sizeof part[0].why, "its record of an input is corrupted");
            part[0].verdict = 0;
        } else {
            now->stamp_ns = r->stamp_ns;
            for (int k = 0; k < 2; k++)
                for (size_t j = 0; j < part[k].nmoved; j++) now->v[part[k].moved[j].i] = part[k].moved[j].now;
        }
    }
    /* Why: a file changed, else a folder did (each part says its own). */
    const restat_part *said = part[0].verdict == 0 ? &part[0] : part[1].verdict == 0 ? &part[1]
                            : part[0].verdict < 0 ? &part[0] : &part[1];
    snprintf(why, size, "%s", said->why);
    snprintf(times, tsize, "%zu stat'ed by the caller in %.1f ms, %zu by the helper in %.1f ms", part[0].looked,
             (double)part[0].ns / 1e6, part[1].looked, (double)part[1].ns / 1e6);
    restat_free(r);
    return verdict;
}
