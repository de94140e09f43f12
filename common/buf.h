/* A growable byte buffer on malloc, always NUL-terminated: scratch for
 * text built piece by piece. Zero-initialize to start; free(b.s) to end. */
#ifndef DR_BUF_H
#define DR_BUF_H

#include <stddef.h>

typedef struct dr_buf {
    char *s;
    size_t n, cap;
} dr_buf;

void dr_buf_put(dr_buf *b, const char *s, size_t n);
void dr_buf_puts(dr_buf *b, const char *s);

/* The name users see for a file found under root: with a label (e.g.
 * "corpus" for a corpus installed elsewhere), root's part is replaced by
 * it; otherwise the path as found. */
void dr_path_label(const char *path, const char *root, const char *label, char *out, size_t size);

#endif
