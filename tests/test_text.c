/* Text utilities: UTF-8 checks, folding, slugs, dates. */
#include "testutil.h"

#include "../common/arena.h"
#include "../common/utf8.h"
#include "../parsers/internal.h"

static void utf8_scan_finds_first_bad_byte(void **state) {
    (void)state;
    dr_utf8_scan s;
    dr_utf8_scan_bytes("ok \xE4\xB8\xAD \xC0\xAF x\xFF", 12, &s);
    assert_int_equal(s.invalid, 3); /* C0, AF (continuation alone), FF */
    assert_int_equal(s.first_invalid, 7);
    assert_int_equal(s.nuls, 0);
    dr_utf8_scan_bytes("a\0b", 3, &s);
    assert_int_equal(s.nuls, 1);
    assert_int_equal(s.first_nul, 1);
    /* Surrogates and overlongs are invalid even though they look well formed. */
    dr_utf8_scan_bytes("\xED\xA0\x80", 3, &s);
    assert_true(s.invalid > 0);
    dr_utf8_scan_bytes("\xE0\x80\xAF", 3, &s);
    assert_true(s.invalid > 0);
}

/* The scan's fast paths (ASCII eight bytes at a time, runs of three-byte
 * sequences) against the plain rule of common/utf8.h, on random bytes. */
static void utf8_scan_matches_byte_by_byte(void **state) {
    (void)state;
    static const unsigned char alphabet[] = {0x00, 0x0A, 0x1F, 'a', ' ', 0x7F, 0x80, 0xA0,
                                             0xBF, 0xC2, 0xC0, 0xE0, 0xE3, 0xED, 0xEF, 0xF0,
                                             0xF4, 0xF5, 0xFF, 0x9F, 0x8F};
    /* Whole characters too, so that runs of CJK reach the 15-byte path:
     * valid ones, ED and E0 at their edges, and a surrogate. */
    static const char *const chars[] = {"\xE4\xB8\xAD", "\xE1\x80\x80", "\xEF\xBF\xBD",
                                        "\xED\x9F\xBF", "\xE0\xA0\x80", "\xED\xA0\x80"};
    unsigned seed = 777;
    unsigned char in[80];
    for (int round = 0; round < 100000; round++) {
        size_t n = (size_t)(round % 60);
        for (size_t i = 0; i < n;) {
            seed = seed * 1103515245u + 12345u;
            unsigned r = (seed >> 16) % 96;
            if (r >= 48 && i + 3 <= n) {
                /* Mostly the common character, now and then another. */
                const char *c = chars[r < 90 ? 0 : r - 90];
                memcpy(in + i, c, 3);
                i += 3;
                continue;
            }
            in[i++] = r < sizeof alphabet ? alphabet[r] : (unsigned char)('a' + r % 26);
        }
        dr_utf8_scan want = {0, 0, SIZE_MAX, SIZE_MAX}, got;
        for (size_t i = 0; i < n;) {
            size_t k = in[i] ? dr_utf8_seq(in + i, n - i) : 1;
            if (!in[i] && !want.nuls++) want.first_nul = i;
            if (!k) {
                if (!want.invalid++) want.first_invalid = i;
                k = 1;
            }
            i += k;
        }
        dr_utf8_scan_bytes((const char *)in, n, &got);
        assert_int_equal(got.invalid, want.invalid);
        assert_int_equal(got.nuls, want.nuls);
        assert_int_equal(got.first_invalid, want.first_invalid);
        assert_int_equal(got.first_nul, want.first_nul);
    }
}

static void sanitize_replaces_with_fffd(void **state) {
    (void)state;
    dr_arena *a = dr_arena_new(0);
    size_t n;
    char *s = dr_utf8_sanitize(a, "a\xFF" "b\0c", 5, &n);
    assert_string_equal(s, "a\xEF\xBF\xBD" "b\xEF\xBF\xBD" "c");
    assert_int_equal(n, 9);
    dr_arena_free(a);
}

static void fold_collapses_all_white_space(void **state) {
    (void)state;
    dr_arena *a = dr_arena_new(0);
    const char *in = "  a \t\n b\xC2\xA0\xC2\xA0" "c\xE3\x80\x80" "d  ";
    assert_string_equal(dr_text_fold(a, in, strlen(in)), "a b c d");
    assert_string_equal(dr_text_fold(a, "", 0), "");
    dr_arena_free(a);
}

/* The fold as it was written first, one byte at a time: the word-at-a-time
 * fold of parsers/text.c must give the same bytes for any input. */
static char *fold_by_bytes(const char *s, size_t n) {
    char *out = malloc(n + 1), *o = out;
    assert_non_null(out);
    const unsigned char *u = (const unsigned char *)s;
    int pending = 0;
    for (size_t i = 0; i < n;) {
        size_t k = 0;
        if (u[i] == ' ' || u[i] == '\t' || u[i] == '\n' || u[i] == '\r' || u[i] == '\f' ||
            u[i] == '\v')
            k = 1;
        else if (i + 1 < n && u[i] == 0xC2 && u[i + 1] == 0xA0)
            k = 2;
        else if (i + 2 < n && u[i] == 0xE3 && u[i + 1] == 0x80 && u[i + 2] == 0x80)
            k = 3;
        if (k) {
            pending = 1;
            i += k;
            continue;
        }
        if (pending && o > out) *o++ = ' ';
        pending = 0;
        *o++ = (char)u[i++];
    }
    *o = '\0';
    return out;
}

static void fold_matches_byte_by_byte(void **state) {
    (void)state;
    /* Every byte the fold treats apart, and ordinary ones around them. */
    static const unsigned char alphabet[] = {' ', ' ', ' ', '\t', '\n', '\r', 'a', 'b', 'c', '!',
                                             0x01, 0x1F, 0x7F, 0xC2, 0xA0, 0xA9, 0xE3, 0x80,
                                             0x81, 0xE4, 0xB8};
    dr_arena *a = dr_arena_new(0);
    unsigned seed = 12345;
    char in[80];
    for (int round = 0; round < 200000; round++) {
        size_t n = (size_t)(round % 70);
        for (size_t i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            /* Mostly letters, so that long runs reach the word path. */
            unsigned r = (seed >> 16) % 64;
            in[i] = (char)(r < sizeof alphabet ? alphabet[r] : 'a' + r % 26);
        }
        char *want = fold_by_bytes(in, n);
        assert_string_equal(dr_text_fold(a, in, n), want);
        free(want);
        if (round % 1000 == 0) dr_arena_reset(a);
    }
    dr_arena_free(a);
}

static void slug_like_docs_sites(void **state) {
    (void)state;
    dr_arena *a = dr_arena_new(0);
    assert_string_equal(dr_text_slug(a, "Need help? Contact support."), "need-help-contact-support");
    assert_string_equal(dr_text_slug(a, "Step 1: Delete users"), "step-1-delete-users");
    assert_string_equal(dr_text_slug(a, "取消 Azure 訂用帳戶"), "取消-azure-訂用帳戶");
    dr_arena_free(a);
}

static void dates_in_every_corpus_form(void **state) {
    (void)state;
    int y, m, d;
    assert_int_equal(dr_date_parse("02/03/2017", &y, &m, &d), DR_OK);
    assert_int_equal(y, 2017); assert_int_equal(m, 2); assert_int_equal(d, 3);
    assert_int_equal(dr_date_parse("2/21/2018", &y, &m, &d), DR_OK);
    assert_int_equal(m, 2); assert_int_equal(d, 21);
    assert_int_equal(dr_date_parse("2017-06-27", &y, &m, &d), DR_OK);
    assert_int_equal(d, 27);
    assert_int_equal(dr_date_parse("2019-05-30T10:00:00Z", &y, &m, &d), DR_OK);
    assert_int_equal(dr_date_parse("02/29/2020", &y, &m, &d), DR_OK);
    assert_int_not_equal(dr_date_parse("02/29/2019", &y, &m, &d), DR_OK);
    assert_int_not_equal(dr_date_parse("2017-02-30", &y, &m, &d), DR_OK);
    assert_int_not_equal(dr_date_parse("13/01/2017", &y, &m, &d), DR_OK);
    assert_int_not_equal(dr_date_parse("yesterday", &y, &m, &d), DR_OK);
    assert_int_not_equal(dr_date_parse("2017-6-1x", &y, &m, &d), DR_OK);
}

/* A term of a script that spaces its words matches only whole; the
 * script is its first letter's, whatever comes before it. */
static void spaced_script_by_first_letter(void **state) {
    (void)state;
    assert_true(dr_utf8_spaced_script("här"));
    assert_true(dr_utf8_spaced_script("\xe2\x80\x8b" "här"));       /* a zero-width space first */
    assert_true(dr_utf8_spaced_script("\xe2\x80\x9c" "Owner\xe2\x80\x9d")); /* in curly quotes */
    assert_true(dr_utf8_spaced_script("Владелец"));
    assert_true(dr_utf8_spaced_script("מנהל"));
    assert_true(dr_utf8_spaced_script("(?:\\bowner)"));  /* a lexicon's regex: its letters */
    assert_true(dr_utf8_spaced_script(""));
    assert_false(dr_utf8_spaced_script("帳戶管理員"));
    assert_false(dr_utf8_spaced_script("\xe2\x80\x8b" "帳戶"));
    assert_false(dr_utf8_spaced_script("「所有者」"));
    assert_false(dr_utf8_spaced_script("アカウント"));
    assert_false(dr_utf8_spaced_script("계정 관리자"));
    assert_false(dr_utf8_spaced_script("ผู้ดูแลระบบ"));
    assert_false(dr_utf8_spaced_script("[帳账]戶"));
}

/* A term is as long as what of it shows: invisible characters carried
 * along (zero-width spaces, direction marks, a soft hyphen, a byte order
 * mark, a combining accent) add nothing. */
static void shown_characters(void **state) {
    (void)state;
    assert_int_equal(dr_utf8_shown(""), 0);
    assert_int_equal(dr_utf8_shown("här"), 3);
    assert_int_equal(dr_utf8_shown("ha\xcc\x88r"), 3);                                   /* a + U+0308 */
    assert_int_equal(dr_utf8_shown("h\xc3\xa4r\xe2\x80\x8b\xe2\x80\x8b\xe2\x80\x8b"), 3); /* U+200B x3 */
    assert_int_equal(dr_utf8_shown("\xef\xbb\xbf" "a\xc2\xad" "b\xe2\x80\x8f"), 2);     /* BOM, soft hyphen, RLM */
    assert_int_equal(dr_utf8_shown("\xe2\x81\xa0\xe2\x81\xa6x\xe2\x81\xa9"), 1);       /* U+2060, U+2066, U+2069 */
    assert_int_equal(dr_utf8_shown("\xf3\xa0\x80\x81" "en"), 2);                          /* a language tag */
    assert_int_equal(dr_utf8_shown("帳戶管理員"), 5);
    assert_int_equal(dr_utf8_shown("ผู้ดูแลระบบ"), 11); /* Thai's marks show */
    assert_int_equal(dr_utf8_shown("a\xff" "b"), 3);      /* an invalid byte is one */
    assert_int_equal(dr_utf8_shown("\xe2\x80\x8c\xe2\x80\x8d"), 0);  /* ZWNJ, ZWJ */
    /* white space at the ends does not show; between words it does */
    assert_int_equal(dr_utf8_shown(" \xc2\xa0h\xc3\xa4r\xe3\x80\x80\t"), 3);
    assert_int_equal(dr_utf8_shown(" a b "), 3);
    /* The first and last of each range of format characters: none shows;
     * the points on either side of two of them do. */
    assert_int_equal(dr_utf8_shown(
        "\xc2\xad\xd8\x80\xd8\x85\xd8\x9c\xdb\x9d\xdc\x8f"
        "\xe0\xa2\x90\xe0\xa2\x91\xe0\xa3\xa2\xe1\xa0\x8e\xe2\x80\x8b\xe2\x80\x8f"
        "\xe2\x80\xaa\xe2\x80\xae\xe2\x81\xa0\xe2\x81\xa4\xe2\x81\xa6\xe2\x81\xaf"
        "\xef\xbb\xbf\xef\xbf\xb9\xef\xbf\xbb\xf0\x91\x82\xbd\xf0\x91\x83\x8d\xf0\x93\x90\xb0"
        "\xf0\x93\x90\xbf\xf0\x9b\xb2\xa0\xf0\x9b\xb2\xa3\xf0\x9d\x85\xb3\xf0\x9d\x85\xba\xf3\xa0\x80\x81"
        "\xf3\xa0\x80\xa0\xf3\xa0\x81\xbf"), 0);
    assert_int_equal(dr_utf8_shown("\xc2\xac\xc2\xae\xd8\x86\xe2\x80\xaf\xef\xbf\xbc"), 5); /* U+AC, U+AE, U+606, U+202F, U+FFFC */
}

/* s trimmed (dr_utf8_trim), as a string. */
static const char *trimmed(const char *s, char *out) {
    size_t len, from = dr_utf8_trim(s, &len);
    memcpy(out, s + from, len);
    out[len] = '\0';
    return out;
}

static void trimmed_to_what_shows(void **state) {
    (void)state;
    char b[64];
    size_t len;
    assert_string_equal(trimmed("amministratore dell'account", b), "amministratore dell'account");
    /* U+200B, U+00A0 before; U+200B x2, a space after */
    assert_string_equal(trimmed("\xe2\x80\x8b\xc2\xa0" "amministratore dell'account\xe2\x80\x8b\xe2\x80\x8b ", b),
                        "amministratore dell'account");
    /* the ideographic space, a tab, a BOM, a language tag; RLM after */
    assert_string_equal(trimmed("\xe3\x80\x80\t\xef\xbb\xbf\xf3\xa0\x80\x81帳戶管理員\xe2\x80\x8f", b), "帳戶管理員");
    /* inside, nothing goes: a ZWSP and a space between words stay */
    assert_string_equal(trimmed(" a\xe2\x80\x8b b ", b), "a\xe2\x80\x8b b");
    /* a diacritic on the last letter is the letter's; one before any
     * letter sits on nothing */
    assert_string_equal(trimmed("\xcc\x88" "ha\xcc\x88", b), "ha\xcc\x88");
    /* nor does one after a space: it goes with the space */
    assert_string_equal(trimmed("a \xcc\x81", b), "a");
    /* an invalid byte shows (as dr_utf8_shown counts it) */
    assert_string_equal(trimmed(" \xff ", b), "\xff");
    assert_int_equal(dr_utf8_trim("", &len), 0);
    assert_int_equal(len, 0);
    dr_utf8_trim("\xe2\x80\x8b \xc2\xad\xe2\x80\x8c", &len);
    assert_int_equal(len, 0);
    /* a zero-width space, a no-break space, a language tag before a
     * Han word: its script is the word's, which spaces none */
    assert_false(dr_utf8_spaced_script("\xe2\x80\x8b\xc2\xa0\xf3\xa0\x80\x81帳戶"));
    assert_false(dr_utf8_spaced_script("\xe1\x9a\x80帳戶")); /* U+1680, the ogham space */
    assert_true(dr_utf8_spaced_script("\xf3\xa0\x80\x81Konto"));
}

static void arena_reset_keeps_working(void **state) {
    (void)state;
    dr_arena *a = dr_arena_new(64);
    for (int r = 0; r < 3; r++) {
        for (int i = 0; i < 1000; i++) {
            char *p = dr_arena_printf(a, "%d", i);
            assert_int_equal(atoi(p), i);
        }
        assert_true(dr_arena_used(a) > 0);
        dr_arena_reset(a);
        assert_int_equal(dr_arena_used(a), 0);
    }
    dr_arena_free(a);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(utf8_scan_finds_first_bad_byte),
        cmocka_unit_test(utf8_scan_matches_byte_by_byte),
        cmocka_unit_test(sanitize_replaces_with_fffd),
        cmocka_unit_test(fold_collapses_all_white_space),
        cmocka_unit_test(fold_matches_byte_by_byte),
        cmocka_unit_test(slug_like_docs_sites),
        cmocka_unit_test(dates_in_every_corpus_form),
        cmocka_unit_test(arena_reset_keeps_working),
        cmocka_unit_test(spaced_script_by_first_letter),
        cmocka_unit_test(shown_characters),
        cmocka_unit_test(trimmed_to_what_shows),
    };
    return cmocka_run_group_tests_name("text", tests, NULL, NULL);
}
