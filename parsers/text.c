#define _GNU_SOURCE /* memmem */
#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "../common/utf8.h"
#include "internal.h"

#ifdef __SSE2__
/* Whether the 15 bytes at p are five three-byte sequences led by E1-EF but
 * ED: Chinese and Japanese text is mostly such runs. Signed, a lead byte
 * is -31..-17 and a continuation byte below -64. */
static inline int cjk5(const unsigned char *p) {
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i lead = _mm_andnot_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xED)),
                                    _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(-32)),
                                                  _mm_cmplt_epi8(v, _mm_set1_epi8(-16))));
    unsigned l = (unsigned)_mm_movemask_epi8(lead);
    unsigned c = (unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(v, _mm_set1_epi8(-64)));
    /* Leads at 0, 3, 6, 9, 12; continuations at the ten places between. */
    return (l & 0x1249) == 0x1249 && (c & 0x6DB6) == 0x6DB6;
}
#endif

void dr_utf8_scan_bytes(const char *s, size_t n, dr_utf8_scan *out) {
    const unsigned char *u = (const unsigned char *)s;
    memset(out, 0, sizeof *out);
    out->first_invalid = out->first_nul = SIZE_MAX;
    for (size_t i = 0; i < n;) {
        if (i + DR_ASCII_STEP <= n) {
            size_t k = dr_ascii_prefix(u + i, 0, 0);
            i += k;
            if (k == DR_ASCII_STEP) continue;
        }
        if (u[i] >= 0x20 && u[i] < 0x80) { i++; continue; }
        if (u[i] == 0) {
            if (!out->nuls++) out->first_nul = i;
            i++;
            continue;
        }
        /* The common three-byte case (CJK) without the general checks, for
         * as long as it lasts. */
        if (u[i] >= 0xE1 && u[i] <= 0xEF && u[i] != 0xED) {
            size_t j = i;
#ifdef __SSE2__
            while (j + 16 <= n && cjk5(u + j)) j += 15;
#endif
            /* Lead byte E1-EF but ED (whose range holds the surrogates),
             * then two continuation bytes, tested as one 16-bit word. */
            while (j + 3 <= n && (unsigned)(u[j] - 0xE1) <= 0xEF - 0xE1 && u[j] != 0xED) {
                uint16_t c;
                memcpy(&c, u + j + 1, 2);
                if ((c & 0xC0C0) != 0x8080) break;
                j += 3;
            }
            if (j != i) {
                i = j;
                continue;
            }
        }
        size_t k = dr_utf8_seq(u + i, n - i);
        if (!k) {
            if (!out->invalid++) out->first_invalid = i;
            k = 1;
        }
        i += k;
    }
}

char *dr_utf8_sanitize(dr_arena *a, const char *s, size_t n, size_t *outlen) {
    /* Worst case each bad byte becomes three. */
    char *out = dr_arena_alloc(a, n * 3 + 1);
    *outlen = dr_utf8_repair(out, s, n, 1);
    return out;
}

void dr_doc_index_lines(dr_doc *d) {
    const char *src = d->src, *end = d->src + d->len;
    /* A lone CR ends a line too, as it does for cmark; most docs have none,
     * and then memchr alone finds every line. */
    int lone_cr = 0;
    for (const char *p = src; (p = memchr(p, '\r', (size_t)(end - p))); p++)
        if (p + 1 == end || p[1] != '\n') {
            lone_cr = 1;
            break;
        }
    /* One pass, into a table sized for lines of 40 bytes and grown as
     * needed, rather than a pass to count the lines and one to fill. */
    size_t cap = d->len / 40 + 16, k = 0;
    size_t *ls = dr_arena_alloc(d->arena, cap * sizeof *ls);
    ls[k++] = 0;
    if (!lone_cr) {
        for (const char *p = src; (p = memchr(p, '\n', (size_t)(end - p))); p++) {
            if (k == cap) ls = dr_arena_grow(d->arena, ls, k, &cap, sizeof *ls);
            ls[k++] = (size_t)(p - src) + 1;
        }
    } else {
        for (size_t i = 0; i < d->len; i++)
            if (src[i] == '\n' || (src[i] == '\r' && (i + 1 >= d->len || src[i + 1] != '\n'))) {
                if (k == cap) ls = dr_arena_grow(d->arena, ls, k, &cap, sizeof *ls);
                ls[k++] = i + 1;
            }
    }
    d->line_start = ls;
    d->nlines = k;
}

/* Characters in n bytes of valid UTF-8: the bytes that are not 10xxxxxx.
 * Columns count from the line's start, and a paragraph is one line, so
 * this runs over most of the text: eight bytes at a time. */
static int count_chars(const char *s, size_t n) {
    size_t cont = 0, i = 0;
    const uint64_t hi = 0x8080808080808080ULL, ones = 0x0101010101010101ULL;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        /* Bit 7 set and bit 6 clear: one bit per continuation byte, summed
         * into the top byte by the multiplication. */
        uint64_t m = (w & ~(w << 1) & hi) >> 7;
        cont += (m * ones) >> 56;
    }
    for (; i < n; i++) cont += ((unsigned char)s[i] & 0xC0) == 0x80;
    return (int)(n - cont);
}

void dr_doc_pos(const dr_doc *d, size_t off, int *line, int *col) {
    size_t lo = 0, hi = d->nlines;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (d->line_start[mid] <= off) lo = mid;
        else hi = mid;
    }
    *line = (int)lo + 1;
    *col = count_chars(d->src + d->line_start[lo], off - d->line_start[lo]) + 1;
}

void dr_doc_pos_from(const dr_doc *d, size_t from, int from_line, int from_col, size_t off, int *line, int *col) {
    if (from_line >= 1 && off >= from && (size_t)from_line <= d->nlines &&
        ((size_t)from_line == d->nlines || d->line_start[from_line] > off)) {
        *line = from_line;
        *col = from_col + count_chars(d->src + from, off - from);
        return;
    }
    dr_doc_pos(d, off, line, col);
}

int dr_doc_char_col(const dr_doc *d, int line, int bytecol) {
    if (line < 1 || (size_t)line > d->nlines || bytecol < 1) return bytecol;
    size_t start = d->line_start[line - 1];
    size_t n = (size_t)bytecol - 1;
    if (start + n > d->len) n = d->len - start;
    return count_chars(d->src + start, n) + 1;
}

/* Width of a white-space character at s, or 0. */
static size_t space_at(const unsigned char *s, size_t n) {
    if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f' || *s == '\v')
        return 1;
    if (n >= 2 && s[0] == 0xC2 && s[1] == 0xA0) return 2;                   /* NBSP */
    if (n >= 3 && s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80) return 3;    /* ideographic */
    return 0;
}

/* 0: an ordinary byte; 1: ASCII white space; 2: the lead byte of a
 * possible non-ASCII space (C2 for U+00A0, E3 for U+3000). Bytes below
 * 0x20 other than white space are ordinary: a parser passed them on. */
static const unsigned char fold_class[256] = {
    ['\t'] = 1, ['\n'] = 1, ['\v'] = 1, ['\f'] = 1, ['\r'] = 1, [' '] = 1,
    [0xC2] = 2, [0xE3] = 2,
};

/* Whether the PLAIN bytes at p (and the one after) can be copied as they
 * are, as far as a fold goes: no byte below 0x20, none that may start
 * U+00A0 or U+3000 (C2, E3), and every space followed by a byte that is
 * not white space. SSE2 (every x86-64 has it) takes 16 bytes at a time;
 * elsewhere word arithmetic takes 8 (a zero byte of w ^ c is a byte equal
 * to c), which may also flag an ordinary byte next to a found one: that
 * only sends the word down the byte-by-byte path. */
#ifdef __SSE2__
#define PLAIN 16
static inline int plain_run(const unsigned char *p) {
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i printable = _mm_cmpeq_epi8(_mm_max_epu8(v, _mm_set1_epi8(0x20)), v);
    __m128i lead = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xC2)),
                                _mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xE3)));
    unsigned ok = (unsigned)_mm_movemask_epi8(printable);
    unsigned sp = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')));
    if (ok != 0xFFFF || _mm_movemask_epi8(lead)) return 0;
    /* Two spaces in a row, or a space last with white space after it. */
    if (sp & (sp >> 1)) return 0;
    return !((sp & 0x8000) && fold_class[p[16]]);
}
#else
#define PLAIN 8
static inline int plain_run(const unsigned char *p) {
    uint64_t w;
    memcpy(&w, p, 8);
    const uint64_t ones = 0x0101010101010101ULL, hi = 0x8080808080808080ULL;
    uint64_t ctl = (w - ones * 0x20) & ~w & hi;
    uint64_t x = w ^ (ones * 0xC2), nbsp = (x - ones) & ~x & hi;
    x = w ^ (ones * 0xE3);
    uint64_t ideo = (x - ones) & ~x & hi;
    x = w ^ (ones * 0x20);
    uint64_t sp = (x - ones) & ~x & hi;
    uint64_t twice = sp & (sp >> 8);
    if ((sp >> 63) && fold_class[p[8]]) twice = 1;
    return !(ctl | nbsp | ideo | twice);
}
#endif

char *dr_text_fold(dr_arena *a, const char *s, size_t n) {
    char *out = dr_arena_alloc(a, n + 1), *o = out;
    const unsigned char *u = (const unsigned char *)s;
    int pending = 0;
    size_t i = 0;
    while (i < n) {
        if (!fold_class[u[i]]) {
            if (pending && o > out) *o++ = ' ';
            pending = 0;
            /* A run to copy as it is: ordinary bytes, single spaces between
             * them, and C2 or E3 that do not start a space. */
            size_t j = i + 1;
            int more = 1;
            while (more && j < n) {
                if (j + PLAIN + 1 <= n && plain_run(u + j)) {
                    j += PLAIN;
                    continue;
                }
                /* Byte by byte through the word that may hold a stop. */
                size_t stop = j + PLAIN < n ? j + PLAIN : n;
                while (j < stop) {
                    unsigned c = fold_class[u[j]];
                    if (!c) j++;
                    else if (u[j] == ' ' && j + 1 < n && !fold_class[u[j + 1]]) j += 2;
                    else if (c == 2 && !space_at(u + j, n - j)) j++;
                    else {
                        more = 0;
                        break;
                    }
                }
            }
            memcpy(o, u + i, j - i);
            o += j - i;
            i = j;
            continue;
        }
        size_t k = fold_class[u[i]] == 1 ? 1 : space_at(u + i, n - i);
        if (k) {
            pending = 1;
            i += k;
        } else {
            if (pending && o > out) *o++ = ' ';
            pending = 0;
            *o++ = (char)u[i++];
        }
    }
    *o = '\0';
    return out;
}

char *dr_text_slug(dr_arena *a, const char *title) {
    size_t n = strlen(title);
    char *out = dr_arena_alloc(a, n + 1), *o = out;
    for (const unsigned char *u = (const unsigned char *)title; *u; u++) {
        unsigned c = *u;
        if (c >= 0x80) *o++ = (char)c;
        else if (c >= 'A' && c <= 'Z') *o++ = (char)(c - 'A' + 'a');
        else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')
            *o++ = (char)c;
        else if (c == ' ') *o++ = '-';
    }
    *o = '\0';
    return out;
}

/* memchr for the first byte, then memcmp: the haystacks here are a
 * block's few lines or a header, where glibc's memmem spends more setting
 * up its shift table than searching. The first occurrence either way. A
 * long needle goes to memmem, whose time stays linear on any input; with
 * a short one each candidate costs at most FIND_SHORT bytes. */
#define FIND_SHORT 64
const char *dr_find(const char *hay, size_t n, const char *needle, size_t k) {
    if (!k || k > n) return k ? NULL : hay;
    if (k > FIND_SHORT) return memmem(hay, n, needle, k);
    const char *last = hay + n - k;
    for (const char *p = hay; p <= last && (p = memchr(p, needle[0], (size_t)(last - p) + 1)); p++)
        if (memcmp(p + 1, needle + 1, k - 1) == 0) return p;
    return NULL;
}

int dr_doc_find(const dr_doc *d, int from, int to, const char *needle, int *line, int *col) {
    if (from < 1 || (size_t)from > d->nlines) return 0;
    size_t a = d->line_start[from - 1];
    size_t b = (to >= from && (size_t)to < d->nlines) ? d->line_start[to] : d->len;
    size_t k = strlen(needle);
    if (!k || b - a < k) return 0;
    const char *hit = dr_find(d->src + a, b - a, needle, k);
    if (!hit) return 0;
    dr_doc_pos(d, (size_t)(hit - d->src), line, col);
    return 1;
}
