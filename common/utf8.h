/* UTF-8 as RFC 3629 defines it: no overlongs, no surrogates, nothing above
 * U+10FFFF. Docs, accounts and decisions all check against the same rule. */
#ifndef DR_UTF8_H
#define DR_UTF8_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

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

/* How many of the DR_ASCII_STEP bytes at p, from the first, are printable
 * ASCII (0x20-0x7F) other than a and b (0 for none: NUL never is): text
 * is mostly such runs, which need no further look. The one scan of docs'
 * bytes, account lines and the strings of decisions (JSON's '"' and '\\').
 * With SSE2 (every x86-64 has it) 16 bytes, exact masks; else a word of 8,
 * where a flagged byte may flag the ones after it (a borrow), so only the
 * first flagged byte is sure: the one wanted. */
#ifdef __SSE2__
#define DR_ASCII_STEP 16
static inline size_t dr_ascii_prefix(const unsigned char *p, unsigned char a, unsigned char b) {
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i printable = _mm_cmpeq_epi8(_mm_max_epu8(v, _mm_set1_epi8(0x20)), v);
    __m128i but = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8((char)a)), _mm_cmpeq_epi8(v, _mm_set1_epi8((char)b)));
    unsigned bad = ((unsigned)_mm_movemask_epi8(v) | ~(unsigned)_mm_movemask_epi8(printable) |
                    (unsigned)_mm_movemask_epi8(but)) & 0xFFFF;
    return bad ? (size_t)__builtin_ctz(bad) : 16;
}
#else
#define DR_ASCII_STEP 8
static inline size_t dr_ascii_prefix(const unsigned char *p, unsigned char a, unsigned char b) {
    uint64_t w;
    memcpy(&w, p, 8);
    const uint64_t ones = 0x0101010101010101ULL, hi = 0x8080808080808080ULL;
    uint64_t x = w ^ (ones * a), y = w ^ (ones * b);
    uint64_t bad = ((w | (w - ones * 0x20)) | ((x - ones) & ~x) | ((y - ones) & ~y)) & hi;
    if (!bad) return 8;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    return (size_t)__builtin_ctzll(bad) / 8;
#else
    /* The first byte in memory is the word's top one: borrows run toward
     * it, so no flag can be trusted but by looking at the byte. */
    return 0;
#endif
}
#endif
/* Whether s is valid UTF-8 (control characters and NUL are). */
int dr_utf8_valid(const char *s, size_t n);
/* Whether s is valid UTF-8 with no byte below 0x20 (JSON text in one line
 * never needs one outside an escape). */
int dr_utf8_printable(const char *s, size_t n);
/* s (n bytes) into out, each byte that starts no valid sequence (and each
 * NUL when nul is set) replaced by U+FFFD; out has room for 3n + 1 bytes
 * and is NUL-ended. The length written. The one way text that may not be
 * UTF-8 is kept: a doc before it is parsed, and every string a JSON output
 * carries (a rule's message, an error's, a logged request's), so the rest
 * of the text is still read. */
size_t dr_utf8_repair(char *out, const char *s, size_t n, int nul);
/* The length of the byte order mark s starts with (U+FEFF, which Windows
 * editors put before a file's text), or 0: JSON may start with one (RFC
 * 8259, 8.1) and it says nothing, so an account's readers pass over it. */
static inline size_t dr_utf8_bom(const char *s, size_t n) {
    return n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}
/* Line and column, from 1, of byte at of text (len bytes): columns count
 * characters, as an editor shows them. For messages about text read from
 * outside (an account, a configuration). */
void dr_utf8_place(const char *text, size_t len, size_t at, int *line, int *col);

/* Whether the first letter of s is of a script that spaces its words, so
 * that a term of it matches only as a whole word ("Sahip" is not in
 * "sahipler"): not Han, kana, Hangul (whose words take their particles
 * without a space), Thai, Lao, Khmer or Myanmar. Marks, punctuation,
 * spaces and format characters before it (a zero-width space, a quote)
 * are passed over; 1 when s has no letter. */
int dr_utf8_spaced_script(const char *s);

/* The characters of s that show: code points other than format
 * characters (the zero-width space and joiners, direction marks, the soft
 * hyphen, the byte order mark) and combining diacritics (U+0300-U+036F),
 * within what dr_utf8_trim keeps (white space at the ends does not count;
 * a space between words does). How long a word of s looks, whatever
 * invisible text it carries; an invalid byte counts as one. */
size_t dr_utf8_shown(const char *s);

/* Where the part of s that shows starts (the offset returned) and how
 * long it is (*len, in bytes): s without the white space and format
 * characters at its ends, nor combining marks before its first letter
 * (those after a letter are the letter's). "\u200b amministratore
 * dell'account\u200b " is "amministratore dell'account"; *len is 0 when
 * nothing shows. */
size_t dr_utf8_trim(const char *s, size_t *len);

#endif
