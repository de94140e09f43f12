/* Text utilities: UTF-8 checks, folding, slugs, dates. */
#include "testutil.h"

#include "../common/arena.h"
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
        cmocka_unit_test(sanitize_replaces_with_fffd),
        cmocka_unit_test(fold_collapses_all_white_space),
        cmocka_unit_test(slug_like_docs_sites),
        cmocka_unit_test(dates_in_every_corpus_form),
        cmocka_unit_test(arena_reset_keeps_working),
    };
    return cmocka_run_group_tests_name("text", tests, NULL, NULL);
}
