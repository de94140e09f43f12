#include "utf8.h"

#include <stdint.h>
#include <string.h>

size_t dr_utf8_seq(const unsigned char *s, size_t n) {
    unsigned c = s[0];
    if (c < 0x80) return 1;
    if (c < 0xC2) return 0;
    if (c < 0xE0) return (n >= 2 && (s[1] & 0xC0) == 0x80) ? 2 : 0;
    if (c < 0xF0) {
        if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80) return 0;
        if (c == 0xE0 && s[1] < 0xA0) return 0;
        if (c == 0xED && s[1] > 0x9F) return 0;
        return 3;
    }
    if (c < 0xF5) {
        if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
            return 0;
        if (c == 0xF0 && s[1] < 0x90) return 0;
        if (c == 0xF4 && s[1] > 0x8F) return 0;
        return 4;
    }
    return 0;
}

/* Eight bytes at a time: text is mostly ASCII, and a word with no byte
 * below 0x20 or above 0x7F needs no further look. */
int dr_ascii_printable8(const unsigned char *p) {
    uint64_t w;
    memcpy(&w, p, 8);
    const uint64_t hi = 0x8080808080808080ULL, lo = 0x2020202020202020ULL;
    return ((w | (w - lo)) & hi) == 0;
}

int dr_utf8_printable(const char *s, size_t n) {
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        if (i + 8 <= n && dr_ascii_printable8(u + i)) {
            i += 8;
            continue;
        }
        if (u[i] < 0x20) return 0;
        size_t k = dr_utf8_seq(u + i, n - i);
        if (!k) return 0;
        i += k;
    }
    return 1;
}

int dr_utf8_valid(const char *s, size_t n) {
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        if (u[i] < 0x80) {
            i++;
            continue;
        }
        size_t k = dr_utf8_seq(u + i, n - i);
        if (!k) return 0;
        i += k;
    }
    return 1;
}
