/* The one hash of bytes: FNV-1a, 64 bits. It tells two corpora apart for
 * caches and decision logs, keys validate's table of shared strings and
 * sums the link targets the alignment compares across translations; it is
 * no defence against anyone choosing content to collide, and is not used
 * where that matters. None of the project's libraries offers a hash of
 * bytes, hence these lines. */
#ifndef DR_HASH_H
#define DR_HASH_H

#include <stddef.h>
#include <stdint.h>

#define DR_HASH_INIT UINT64_C(14695981039346656037)

static inline uint64_t dr_hash(uint64_t h, const void *p, size_t n) {
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++) h = (h ^ s[i]) * UINT64_C(1099511628211);
    return h;
}

#endif
