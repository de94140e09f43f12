/* A growable byte buffer on malloc, always NUL-terminated: scratch for
 * text built piece by piece. Zero-initialize to start; free(b.s) to end. */
#ifndef DR_BUF_H
#define DR_BUF_H

#include <stddef.h>
#include <string.h>

typedef struct dr_buf {
    char *s;
    size_t n, cap;
} dr_buf;

/* Makes room for n more bytes and the NUL. */
void dr_buf_grow(dr_buf *b, size_t n);

/* Inline: a decision is written in a dozen small pieces, most of them of
 * a length the compiler knows. */
static inline void dr_buf_put(dr_buf *b, const char *s, size_t n) {
    if (b->n + n + 1 > b->cap) dr_buf_grow(b, n);
    if (n) memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
}

static inline void dr_buf_puts(dr_buf *b, const char *s) { dr_buf_put(b, s, strlen(s)); }

/* The name users see for a file found under root: with a label (e.g.
 * "corpus" for a corpus installed elsewhere), root's part is replaced by
 * it; otherwise the path as found. */
void dr_path_label(const char *path, const char *root, const char *label, char *out, size_t size);

#endif
