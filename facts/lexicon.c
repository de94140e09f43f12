/* Lexicons: a language's words for units, bounds, numbers and the values of
 * set facts, which read a translated doc through the unit aligned with where
 * an author's pattern found a fact in another doc (align.c). They are data
 * in rules/lexicons/, not code: a language is added by writing its words. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../common/buf.h"
#include "../common/utf8.h"
#include "internal.h"

const char *const dr_lexicon_units[LX_NUNITS] = {"days",     "minutes", "hours",   "months",
                                                 "licenses", "users",   "accounts"};
static const char *const bound_names[] = {NULL, "below", "above", "at_least", "at_most"};

const char *dr_bound_name(int bound) {
    return bound > 0 && bound < (int)(sizeof bound_names / sizeof *bound_names) ? bound_names[bound]
                                                                                 : NULL;
}

int dr_catalog_add_lexicon(dr_catalog *c, const char *lang, const char *file, int line, int *lex,
                           dr_error *err) {
    for (size_t i = 0; i < c->lexicons.n; i++)
        if (strcmp(c->lexicons.v[i].lang, lang) == 0)
            return dr_error_set(err, DR_EPARSE, file, line, 0,
                                "lexicon \"%s\" is declared twice (also at %s:%d)", lang,
                                c->lexicons.v[i].file, c->lexicons.v[i].line);
    cat_lexicon *lx = DR_VEC_PUSH(c->arena, c->lexicons);
    memset(lx, 0, sizeof *lx);
    lx->lang = dr_arena_strdup(c->arena, lang);
    lx->file = dr_arena_strdup(c->arena, file ? file : "");
    lx->line = line;
    *lex = (int)c->lexicons.n - 1;
    return DR_OK;
}

/* One pattern for any of the fragments. Words of a script that spaces its
 * words (common/utf8.h) only match whole. */
static pcre2_code *compile_any(dr_catalog *c, const char *const *frags, size_t n, int whole,
                               const char *file, int line, const char *what, dr_error *err) {
    dr_buf b = {0};
    dr_buf_puts(&b, "(?:");
    for (size_t i = 0; i < n; i++) {
        if (i) dr_buf_puts(&b, "|");
        int spaced = whole && dr_utf8_spaced_script(frags[i]);
        if (spaced) dr_buf_puts(&b, "(?<!\\w)(?:");
        else dr_buf_puts(&b, "(?:");
        dr_buf_puts(&b, frags[i]);
        dr_buf_puts(&b, spaced ? ")(?!\\w)" : ")");
    }
    dr_buf_puts(&b, ")");
    if (!b.s) {
        dr_error_set(err, DR_ELIMIT, file, line, 0, "out of memory");
        return NULL;
    }
    int code;
    PCRE2_SIZE off;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)b.s, PCRE2_ZERO_TERMINATED,
                                   PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS | PCRE2_MATCH_INVALID_UTF,
                                   &code, &off, NULL);
    if (!re) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(code, msg, sizeof msg);
        dr_error_set(err, DR_EPARSE, file, line, 0, "lexicon: %s: /%s/ does not compile: %s", what,
                     b.s, (const char *)msg);
    }
    /* Not JIT-compiled: a lexicon's words are matched against a few
     * aligned units, and compiling hundreds of them to machine code cost
     * more than every match (7 of a check's 22 ms on the bundled corpus). */
    free(b.s);
    (void)c;
    return re;
}

static int index_of(const char *const *names, size_t n, const char *k) {
    for (size_t i = 0; i < n; i++)
        if (names[i] && strcmp(names[i], k) == 0) return (int)i;
    return -1;
}

int dr_catalog_lexicon_words(dr_catalog *c, int lex, const char *group, const char *key,
                             const char *const *frags, size_t n, dr_error *err) {
    cat_lexicon *lx = &c->lexicons.v[lex];
    char what[160];
    snprintf(what, sizeof what, "%s.%s", group, key);
    if (!n) return dr_error_set(err, DR_EPARSE, lx->file, lx->line, 0, "lexicon \"%s\": %s has no words", lx->lang, what);
    pcre2_code **slot;
    cat_term *t = NULL;
    if (strcmp(group, "units") == 0) {
        int u = index_of(dr_lexicon_units, LX_NUNITS, key);
        if (u < 0)
            return dr_error_set(err, DR_EPARSE, lx->file, lx->line, 0,
                                "lexicon \"%s\": units.%s is not a unit (days, minutes, hours, "
                                "months, licenses, users, accounts)", lx->lang, key);
        slot = &lx->unit[u];
    } else if (strcmp(group, "bounds") == 0) {
        int b = index_of(bound_names, sizeof bound_names / sizeof *bound_names, key);
        if (b < 0)
            return dr_error_set(err, DR_EPARSE, lx->file, lx->line, 0,
                                "lexicon \"%s\": bounds.%s is not a bound (below, above, "
                                "at_least, at_most)", lx->lang, key);
        slot = &lx->bound[b];
    } else if (strcmp(group, "terms") == 0) {
        t = DR_VEC_PUSH(c->arena, lx->terms);
        t->key = dr_arena_strdup(c->arena, key);
        t->code = NULL;
        slot = &t->code;
    } else {
        return dr_error_set(err, DR_EPARSE, lx->file, lx->line, 0,
                            "lexicon \"%s\": %s is not a group (units, bounds, numbers, terms)",
                            lx->lang, group);
    }
    if (*slot) pcre2_code_free(*slot);
    *slot = compile_any(c, frags, n, 0, lx->file, lx->line, what, err);
    if (!*slot) {
        if (t) lx->terms.n--;
        return err->code ? err->code : DR_EPARSE;
    }
    return DR_OK;
}

int dr_catalog_lexicon_numbers(dr_catalog *c, int lex, const char *const *words, const long *values,
                               size_t n, dr_error *err) {
    cat_lexicon *lx = &c->lexicons.v[lex];
    /* Number words of unspaced scripts (Chinese, Japanese, Thai) sit inside
     * other words (Thai สาม "3" in สามารถ "can"): those docs write digits,
     * and only words of spaced scripts are read. Longest first, so that
     * "twenty-five" is not read as "twenty". */
    const char **w = dr_arena_calloc(c->arena, n ? n : 1, sizeof *w);
    long *v = dr_arena_calloc(c->arena, n ? n : 1, sizeof *v);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char first = (unsigned char)words[i][0];
        if (first >= 0xE0) continue; /* U+0800 and up: Thai, CJK */
        size_t j = k++;
        while (j > 0 && strlen(w[j - 1]) < strlen(words[i])) {
            w[j] = w[j - 1];
            v[j] = v[j - 1];
            j--;
        }
        w[j] = dr_arena_strdup(c->arena, words[i]);
        v[j] = values[i];
    }
    lx->number_words = w;
    lx->number_values = v;
    lx->nnumbers = k;
    if (lx->numbers) pcre2_code_free(lx->numbers);
    lx->numbers = NULL;
    if (!k) return DR_OK;
    /* The words are literal text: quoted; whole words are checked in C
     * (dr_lexicon_numbers), so that PCRE2 can look for the words' first
     * letters instead of trying every position. One pattern, JIT-compiled:
     * it runs over every aligned unit. */
    const char **q = dr_arena_calloc(c->arena, k, sizeof *q);
    for (size_t i = 0; i < k; i++) q[i] = dr_arena_printf(c->arena, "\\Q%s\\E", w[i]);
    lx->numbers = compile_any(c, q, k, 0, lx->file, lx->line, "numbers", err);
    if (!lx->numbers) return DR_EPARSE;
    dr_regex_jit(lx->numbers);
    return DR_OK;
}

void dr_lexicon_free(cat_lexicon *lx) {
    for (int i = 0; i < LX_NUNITS; i++) pcre2_code_free(lx->unit[i]);
    for (int i = 0; i < 5; i++) pcre2_code_free(lx->bound[i]);
    pcre2_code_free(lx->numbers);
    for (size_t i = 0; i < lx->terms.n; i++) pcre2_code_free(lx->terms.v[i].code);
}

const cat_lexicon *dr_lexicon_for(const dr_catalog *c, const char *locale) {
    const cat_lexicon *best = NULL;
    if (!locale) return NULL;
    for (size_t i = 0; i < c->lexicons.n; i++) {
        const cat_lexicon *lx = &c->lexicons.v[i];
        if (dr_lang_covers(lx->lang, locale) && (!best || strlen(lx->lang) > strlen(best->lang)))
            best = lx;
    }
    return best;
}

int dr_lexicon_find(const dr_catalog *c, const pcre2_code *code, const char *s, size_t from,
                    size_t to, size_t *at, size_t *end, pcre2_match_data *md) {
    if (!code || from >= to) return 0;
    /* Matching the slice keeps a look-behind from seeing past its start,
     * which is what a window wants. */
    int rc = pcre2_match(code, (PCRE2_SPTR)s, to, from, PCRE2_NO_UTF_CHECK, md, c->mctx);
    if (rc <= 0) return 0;
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
    *at = ov[0];
    if (end) *end = ov[1];
    return 1;
}

/* Digits, ASCII or full-width (U+FF10..U+FF19), at s[i]: the byte length
 * of the digit, its value in *d; 0 when none. */
static size_t digit_at(const char *s, size_t i, int *d) {
    unsigned char c = (unsigned char)s[i];
    if (c >= '0' && c <= '9') {
        *d = c - '0';
        return 1;
    }
    if (c == 0xEF && (unsigned char)s[i + 1] == 0xBC && (unsigned char)s[i + 2] >= 0x90 &&
        (unsigned char)s[i + 2] <= 0x99) {
        *d = (unsigned char)s[i + 2] - 0x90;
        return 3;
    }
    return 0;
}

static int by_start(const void *a, const void *b) {
    const num_tok *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

size_t dr_lexicon_numbers(const dr_catalog *c, const cat_lexicon *lx, const char *s, num_tok *out,
                          size_t max, pcre2_match_data *md) {
    size_t n = 0, len = strlen(s);
    for (size_t i = 0; i < len && n < max;) {
        int d;
        size_t k = digit_at(s, i, &d);
        if (!k) {
            i++;
            continue;
        }
        /* Digits glued to a word count too: machine translation writes
         * "up too10 minutes", and CJK text has no spaces ("為6個月"). */
        size_t start = i;
        long v = 0;
        while (i < len && (k = digit_at(s, i, &d))) {
            if (v < 100000000L) v = v * 10 + d;
            i += k;
        }
        /* "1,000" and "2.5" are one number: a separator between digits. */
        while (i + 1 < len && (s[i] == ',' || s[i] == '.') && digit_at(s, i + 1, &d)) {
            i++;
            while (i < len && (k = digit_at(s, i, &d))) i += k;
            v = -1;
        }
        if (v >= 0) out[n++] = (num_tok){start, i, v};
    }
    if (lx && lx->numbers) {
        size_t from = 0;
        while (n < max && dr_lexicon_find(c, lx->numbers, s, from, len, &(size_t){0}, NULL, md)) {
            PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
            size_t a = ov[0], b = ov[1];
            from = b > from ? b : from + 1;
            /* A whole word: no letter or digit (nor any byte of a non-ASCII
             * character, which these scripts' letters are) on either side. */
            unsigned char before = a ? (unsigned char)s[a - 1] : ' ', after = (unsigned char)s[b];
            if (isalnum(before) || before >= 0x80 || isalnum(after) || after >= 0x80) continue;
            long v = -1;
            for (size_t w = 0; w < lx->nnumbers && v < 0; w++)
                if (strlen(lx->number_words[w]) == b - a && strncasecmp(lx->number_words[w], s + a, b - a) == 0)
                    v = lx->number_values[w];
            /* Case-folded words compare by length and text; a fold that
             * changes the length (rare) is read by the first word of its
             * length. */
            for (size_t w = 0; w < lx->nnumbers && v < 0; w++)
                if (strlen(lx->number_words[w]) == b - a) v = lx->number_values[w];
            if (v >= 0) out[n++] = (num_tok){a, b, v};
        }
        qsort(out, n, sizeof *out, by_start);
    }
    return n;
}
