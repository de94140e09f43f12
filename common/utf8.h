/* UTF-8 as RFC 3629 defines it: no overlongs, no surrogates, nothing above
 * U+10FFFF. Docs, accounts and decisions all check against the same rule. */
#ifndef DR_UTF8_H
#define DR_UTF8_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Both inline: they sit in the loops that scan every byte of a corpus. */

/* Length of the valid sequence at s (1-4), or 0 when it is invalid. */
static inline size_t dr_utf8_seq(const unsigned char *s, size_t n) {
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

/* Whether the 8 bytes at p are all printable ASCII (0x20-0x7F): text is
 * mostly ASCII, and such a word needs no further look. */
static inline int dr_ascii_printable8(const unsigned char *p) {
    uint64_t w;
    memcpy(&w, p, 8);
    const uint64_t hi = 0x8080808080808080ULL, lo = 0x2020202020202020ULL;
    return ((w | (w - lo)) & hi) == 0;
}
/* Whether s is valid UTF-8 (control characters and NUL are). */
int dr_utf8_valid(const char *s, size_t n);
/* Whether s is valid UTF-8 with no byte below 0x20 (JSON text in one line
 * never needs one outside an escape). */
int dr_utf8_printable(const char *s, size_t n);

#endif
