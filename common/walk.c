#define _XOPEN_SOURCE 700
#include "walk.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Folders nested deeper than this are not entered: a corpus has a few
 * levels, and each level costs stack. */
#define MAX_DEPTH 64

static int push(dr_walk *w, const char *path, dr_walk_kind kind, const struct stat *st) {
    if (w->n == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 64;
        dr_walk_entry *v = realloc(w->v, cap * sizeof *v);
        if (!v) return DR_ELIMIT;
        w->v = v;
        w->cap = cap;
    }
    char *p = strdup(path);
    if (!p) return DR_ELIMIT;
    dr_walk_entry e = {p, kind, 0, 0, 0, 0};
    if (st) {
        e.size = (long long)st->st_size;
        e.mtime_ns = (long long)st->st_mtim.tv_sec * 1000000000LL + st->st_mtim.tv_nsec;
        e.ino = (unsigned long long)st->st_ino;
        e.dev = (unsigned long long)st->st_dev;
    }
    w->v[w->n++] = e;
    return DR_OK;
}

static int ends_with(const char *s, const char *ext) {
    size_t n = strlen(s), k = strlen(ext);
    return n > k && strcmp(s + n - k, ext) == 0;
}

static int skipped(const char *name, const char *const *skip) {
    for (; skip && *skip; skip++)
        if (strcmp(name, *skip) == 0) return 1;
    return 0;
}

static int walk(dr_walk *w, const char *dir, const char *ext, const char *const *skip, int depth) {
    DIR *dh = opendir(dir);
    if (!dh) return push(w, dir, DR_WALK_UNREADABLE, NULL);
    int rc = DR_OK;
    struct dirent *de;
    while (rc == DR_OK && (de = readdir(dh))) {
        if (de->d_name[0] == '.') continue;
        char path[4096];
        size_t dl = strlen(dir);
        const char *sep = dl && dir[dl - 1] == '/' ? "" : "/"; /* "rules/" stays one slash */
        if ((size_t)snprintf(path, sizeof path, "%s%s%s", dir, sep, de->d_name) >= sizeof path) {
            rc = push(w, dir, DR_WALK_UNREADABLE, NULL); /* a name longer than a path can be */
            continue;
        }
        struct stat st;
        if (lstat(path, &st) != 0) {
            rc = push(w, path, DR_WALK_UNREADABLE, NULL);
        } else if (S_ISDIR(st.st_mode)) {
            if (!skipped(de->d_name, skip) && depth < MAX_DEPTH) {
                if (w->dirs) rc = push(w, path, DR_WALK_DIR, &st);
                if (rc == DR_OK) rc = walk(w, path, ext, skip, depth + 1);
            }
        } else if (ends_with(de->d_name, ext)) {
            rc = push(w, path, S_ISREG(st.st_mode) ? DR_WALK_FILE : S_ISLNK(st.st_mode) ? DR_WALK_SYMLINK : DR_WALK_SPECIAL, &st);
        }
    }
    closedir(dh);
    return rc;
}

int dr_walk_add(dr_walk *w, const char *root, const char *ext, const char *const *skip, dr_error *err) {
    struct stat st;
    if (lstat(root, &st) != 0)
        return dr_error_set(err, DR_EIO, root, 0, 0, "cannot read: %s", strerror(errno));
    /* A link the user names as the root is theirs to give: followed. */
    if (S_ISLNK(st.st_mode) && stat(root, &st) != 0)
        return dr_error_set(err, DR_EIO, root, 0, 0, "cannot read: %s", strerror(errno));
    /* A folder the user names but cannot be read is their error (exit 2),
     * not a finding inside it, as a folder met on the way is. */
    if (S_ISDIR(st.st_mode)) {
        DIR *dh = opendir(root);
        if (!dh) return dr_error_set(err, DR_EIO, root, 0, 0, "cannot read: %s", strerror(errno));
        closedir(dh);
    }
    int rc = DR_OK;
    if (S_ISDIR(st.st_mode)) {
        if (w->dirs) rc = push(w, root, DR_WALK_DIR, &st);
        if (rc == DR_OK) rc = walk(w, root, ext, skip, 0);
    } else {
        rc = push(w, root, S_ISREG(st.st_mode) ? DR_WALK_FILE : DR_WALK_SPECIAL, &st);
    }
    if (rc != DR_OK) return dr_error_set(err, rc, root, 0, 0, "out of memory listing the files");
    return DR_OK;
}

static int by_path(const void *a, const void *b) {
    return strcmp(((const dr_walk_entry *)a)->path, ((const dr_walk_entry *)b)->path);
}

void dr_walk_sort(dr_walk *w) {
    if (w->n > 1) qsort(w->v, w->n, sizeof *w->v, by_path);
}

void dr_walk_free(dr_walk *w) {
    for (size_t i = 0; i < w->n; i++) free(w->v[i].path);
    free(w->v);
    memset(w, 0, sizeof *w);
}

const char *dr_walk_kind_says(dr_walk_kind k) {
    switch (k) {
    case DR_WALK_FILE: return "a file";
    case DR_WALK_SYMLINK: return "a symbolic link: not followed (links can loop)";
    case DR_WALK_SPECIAL: return "not a regular file (a FIFO, socket or device): not read";
    case DR_WALK_UNREADABLE: return "cannot be read";
    case DR_WALK_DIR: return "a folder";
    }
    return "?";
}
