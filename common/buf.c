#include "alloc.h"
#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void dr_buf_grow(dr_buf *b, size_t n) {
    size_t c = b->cap ? b->cap * 2 : 256;
    while (c < b->n + n + 1) c *= 2;
    b->s = dr_xrealloc(b->s, c);
    b->cap = c;
}

void dr_path_label(const char *path, const char *root, const char *label, char *out, size_t size) {
    size_t rl = root ? strlen(root) : 0;
    if (label && rl && strncmp(path, root, rl) == 0 && path[rl] == '/')
        snprintf(out, size, "%s%s", label, path + rl);
    else
        snprintf(out, size, "%s", path);
}
