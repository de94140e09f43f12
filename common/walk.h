/* The one walk over files and folders, for everything that reads many of
 * them: the corpus (facts), validate, extract --stats, the rule scripts.
 * It never follows a symbolic link (a link can loop, or lead out of the
 * folder) and never opens what is not a regular file (a FIFO blocks a
 * reader for ever): it says what each entry is, and each caller decides
 * what to tell its user. */
#ifndef DR_WALK_H
#define DR_WALK_H

#include <stddef.h>

#include "error.h"

typedef enum {
    DR_WALK_FILE,       /* a regular file: read it */
    DR_WALK_SYMLINK,    /* a symbolic link: not followed */
    DR_WALK_SPECIAL,    /* a FIFO, socket or device: never opened */
    DR_WALK_UNREADABLE, /* a folder or file whose entry cannot be read */
    DR_WALK_DIR         /* a folder walked (only when dr_walk.dirs asks) */
} dr_walk_kind;

/* With what lstat said of it, as the walk had it anyway: the compiled
 * bundles' cache (bundle/inputs.c) tells an unchanged file by these, as
 * git's index does, without reading it. */
typedef struct dr_walk_entry {
    char *path;
    dr_walk_kind kind;
    long long size, mtime_ns;
    unsigned long long ino, dev;
} dr_walk_entry;

/* Zero-initialize; dr_walk_free at the end. */
typedef struct dr_walk {
    dr_walk_entry *v;
    size_t n, cap;
    /* Set before adding: each folder walked (a root folder too) is an
     * entry as well, before what it holds; a folder's mtime says whether
     * an entry came or went in it (bundle/inputs.c). */
    int dirs;
} dr_walk;

/* Adds what root holds to w: root itself when it is not a folder (taken
 * whatever its name), else every entry below it whose name ends in ext
 * (".md"), depth first. Names starting with "." are passed over (.git,
 * editors' files), and so are folders named in skip (NULL-ended, or NULL).
 * Returns DR_OK, DR_EIO when root itself does not exist (err says so), or
 * DR_ELIMIT when memory runs out. */
int dr_walk_add(dr_walk *w, const char *root, const char *ext, const char *const *skip, dr_error *err);
/* Sorts by path, so that every run and every command sees one order. */
void dr_walk_sort(dr_walk *w);
void dr_walk_free(dr_walk *w);
/* "a symbolic link", "not a regular file"...: for messages. */
const char *dr_walk_kind_says(dr_walk_kind k);

#endif
