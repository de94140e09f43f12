/* Reading a file whole: the one way docrules reads a doc, a rule script or
 * a bundle. Each caller words its own errors (a doc too large is a finding
 * on that doc, a bundle too large is no bundle), so this says what happened
 * and the caller says it. */
#ifndef DR_READFILE_H
#define DR_READFILE_H

#include <stddef.h>

typedef enum dr_read_status {
    DR_READ_OK,
    DR_READ_CANNOT_OPEN, /* errno says why */
    DR_READ_NOT_REGULAR, /* a folder, FIFO, socket or device: not read */
    DR_READ_TOO_LARGE,   /* over max: not read; *len is its size */
    DR_READ_FAILED       /* errno says why */
} dr_read_status;

/* Reads the regular file at path into *buf, grown (dr_xrealloc) when *cap
 * is short (both may start NULL and 0, or be a buffer reused from file to
 * file), its length in *len and a NUL after it. Opened O_NONBLOCK, so a
 * FIFO is turned away, not waited on. A file that shrinks while it is read
 * is read as it is; one that grows, up to the size it had when opened. */
dr_read_status dr_read_file(const char *path, size_t max, char **buf, size_t *cap, size_t *len);

/* Maps the regular file at path read-only, its pages mapped at once
 * (MAP_POPULATE): no copy, and no page fault a page. Only for files that
 * docrules itself replaces by rename, never in place (the cache's
 * entries): a file truncated while mapped makes reading past its new end
 * a SIGBUS. DR_READ_FAILED for an empty file too (nothing to map): the
 * caller reads it instead. Undone by dr_unmap_file. */
dr_read_status dr_map_file(const char *path, size_t max, char **bytes, size_t *len);
void dr_unmap_file(char *bytes, size_t len);

#endif
