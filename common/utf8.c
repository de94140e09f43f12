#include "utf8.h"

int dr_utf8_printable(const char *s, size_t n) {
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        if (i + DR_ASCII_STEP <= n) {
            size_t k = dr_ascii_prefix(u + i, 0, 0);
            i += k;
            if (k) continue;
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

size_t dr_utf8_repair(char *out, const char *s, size_t n, int nul) {
    const unsigned char *u = (const unsigned char *)s;
    char *o = out;
    for (size_t i = 0; i < n;) {
        size_t k = u[i] || !nul ? dr_utf8_seq(u + i, n - i) : 0;
        if (k) {
            memcpy(o, s + i, k);
            o += k;
            i += k;
        } else {
            memcpy(o, "\xEF\xBF\xBD", 3);
            o += 3;
            i++;
        }
    }
    *o = '\0';
    return (size_t)(o - out);
}

void dr_utf8_place(const char *text, size_t len, size_t at, int *line, int *col) {
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < at && i < len; i++) {
        /* A line ends at LF, CRLF or a CR alone (JSON takes each as
         * whitespace; an editor saving old Mac line ends writes CRs): as
         * YAML headers' places are counted (common/yaml_text.c). */
        if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= len || text[i + 1] != '\n'))) {
            (*line)++;
            *col = 1;
        } else if (text[i] == '\r') {
            continue; /* the CR of a CRLF: the LF ends the line */
        } else if (((unsigned char)text[i] & 0xC0) != 0x80) {
            (*col)++;
        }
    }
}

/* The code point at *p (advanced past it), or -1 for a byte that starts
 * no valid sequence (passed over). */
static long next_cp(const unsigned char **p) {
    const unsigned char *s = *p;
    size_t n = dr_utf8_seq(s, strnlen((const char *)s, 4));
    if (!n) {
        (*p)++;
        return -1;
    }
    *p += n;
    if (n == 1) return s[0];
    if (n == 2) return (long)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
    if (n == 3) return (long)(s[0] & 0x0F) << 12 | (long)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
    return (long)(s[0] & 0x07) << 18 | (long)(s[1] & 0x3F) << 12 | (long)(s[2] & 0x3F) << 6 | (s[3] & 0x3F);
}

/* Unicode's format characters (general category Cf, Unicode 15; the
 * unassigned points among them counted in). */
static int format_char(long c) {
    static const long cf[][2] = {
        {0x00AD, 0x00AD}, {0x0600, 0x0605}, {0x061C, 0x061C}, {0x06DD, 0x06DD},   {0x070F, 0x070F},
        {0x0890, 0x0891}, {0x08E2, 0x08E2}, {0x180E, 0x180E}, {0x200B, 0x200F},   {0x202A, 0x202E},
        {0x2060, 0x2064}, {0x2066, 0x206F}, {0xFEFF, 0xFEFF}, {0xFFF9, 0xFFFB},   {0x110BD, 0x110BD},
        {0x110CD, 0x110CD}, {0x13430, 0x1343F}, {0x1BCA0, 0x1BCA3}, {0x1D173, 0x1D17A},
    };
    if (c < 0xAD) return 0;
    if (c >= 0xE0000) return c <= 0xE007F; /* language tags */
    for (size_t i = 0; i < sizeof cf / sizeof cf[0]; i++)
        if (c >= cf[i][0] && c <= cf[i][1]) return 1;
    return 0;
}

/* What takes no room of its own in a word: a format character, or a
 * combining diacritic (U+0300-U+036F), which sits on the letter before it. */
static int invisible(long c) { return format_char(c) || (c >= 0x300 && c <= 0x36F); }

/* Unicode's white space (White_Space: the ASCII ones, the no-break space,
 * the ideographic space and the rest of Zs, the line and paragraph
 * separators). */
static int white(long c) {
    return c == ' ' || (c >= 0x09 && c <= 0x0D) || c == 0x85 || c == 0xA0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
           c == 0x3000;
}

size_t dr_utf8_shown(const char *s) {
    size_t len, from = dr_utf8_trim(s, &len);
    const unsigned char *p = (const unsigned char *)s + from, *end = p + len;
    size_t n = 0;
    while (p < end) {
        long c = next_cp(&p);
        n += c < 0 || !invisible(c);
    }
    return n;
}

size_t dr_utf8_trim(const char *s, size_t *len) {
    const unsigned char *p = (const unsigned char *)s, *from = NULL, *to = p;
    int after_kept = 0;
    while (*p) {
        const unsigned char *at = p;
        long c = next_cp(&p);
        /* A diacritic right after what is kept is part of its letter;
         * anywhere else (first, after a space) it sits on nothing. An
         * invalid byte (-1) is none of these: it shows. */
        int blank = white(c) || format_char(c) || (!after_kept && invisible(c));
        after_kept = !blank;
        if (blank) continue;
        if (!from) from = at;
        to = p;
    }
    if (!from) {
        *len = 0;
        return (size_t)(p - (const unsigned char *)s);
    }
    *len = (size_t)(to - from);
    return (size_t)(from - (const unsigned char *)s);
}

int dr_utf8_spaced_script(const char *s) {
    static const long unspaced[][2] = {
        {0x0E00, 0x0EFF},   /* Thai, Lao */
        {0x1000, 0x109F},   /* Myanmar */
        {0x1100, 0x11FF},   /* Hangul Jamo */
        {0x1780, 0x17FF},   /* Khmer */
        {0x2E80, 0x2FDF},   /* CJK radicals */
        {0x3040, 0x31FF},   /* kana, bopomofo, Hangul compatibility jamo */
        {0x3400, 0x4DBF},   /* CJK extension A */
        {0x4E00, 0x9FFF},   /* CJK unified ideographs */
        {0xA960, 0xA97F},   /* Hangul Jamo extended A */
        {0xAC00, 0xD7FF},   /* Hangul syllables and extended B */
        {0xF900, 0xFAFF},   /* CJK compatibility ideographs */
        {0xFF66, 0xFFDC},   /* half-width kana and Hangul */
        {0x20000, 0x3FFFF}, /* CJK extensions B and on */
    };
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        long c = next_cp(&p);
        if (c < 0) continue;
        /* Not letters: ASCII other than letters and digits, Latin-1's
         * punctuation and spaces, what does not show (invisible: the
         * zero-width space, a language tag, a combining mark), white
         * space, general punctuation (U+2000-U+206F), CJK punctuation,
         * full-width punctuation. */
        if ((c < 0x80 && !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) ||
            (c >= 0x80 && c <= 0xBF) || invisible(c) || white(c) || (c >= 0x2000 && c <= 0x206F) ||
            (c >= 0x3000 && c <= 0x303F) || (c >= 0xFF00 && c <= 0xFF0F))
            continue;
        for (size_t i = 0; i < sizeof unspaced / sizeof unspaced[0]; i++)
            if (c >= unspaced[i][0] && c <= unspaced[i][1]) return 0;
        return 1;
    }
    return 1;
}
