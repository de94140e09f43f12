/* Front matter: YAML through libyaml, the legacy header through libxml2. */
#include "testutil.h"
#include "../parsers/doc_json.h"

static void yaml_scalars_quotes_empty_lists(void **state) {
    (void)state;
    dr_doc *d = parse_str("---\n"
                          "title: \"Cancel: your plan | Microsoft Docs\"\n"
                          "services: \n"
                          "author: 'genlin'\n"
                          "\n"
                          "ms.custom:\n"
                          "- \"4\"\n"
                          "- \"1400001\"\n"
                          "date: 2/21/2018\n"
                          "---\n"
                          "# Hi\n");
    assert_int_equal(dr_doc_front_matter_style(d), DR_FM_YAML);
    assert_string_equal(dr_doc_meta(d, "services"), "");
    assert_string_equal(dr_doc_meta(d, "author"), "genlin");
    assert_string_equal(dr_doc_title(d), "Cancel: your plan");
    const dr_fm_value *fm = dr_doc_front_matter(d);
    const dr_fm_value *custom = NULL;
    for (size_t i = 0; i < fm->n; i++)
        if (strcmp(fm->keys[i], "ms.custom") == 0) custom = fm->items[i];
    assert_non_null(custom);
    assert_int_equal(custom->type, DR_FM_LIST);
    assert_int_equal(custom->n, 2);
    assert_string_equal(custom->items[1]->str, "1400001");
    /* A key without the ms. prefix still gives the date. */
    assert_string_equal(dr_doc_date(d), "2018-02-21");
    assert_string_equal(dr_doc_date_from(d), "date");
    assert_int_equal(dr_doc_meta_line(d, "date"), 9);
    /* The body's lines are the file's lines. */
    size_t n;
    const dr_section *s = dr_doc_sections(d, &n);
    assert_int_equal(n, 1);
    assert_int_equal(s[0].line, 11);
    dr_doc_free(d);
}

static void yaml_crlf_and_no_final_newline(void **state) {
    (void)state;
    dr_doc *d = parse_str("---\r\ntitle: T\r\nms.date: 06/27/2017\r\nms.contentlocale: nl-NL\r\n---\n"
                          "# <a name=\"x\"></a>Kop\n\nTekst");
    assert_string_equal(dr_doc_date(d), "2017-06-27");
    assert_string_equal(dr_doc_locale(d), "nl-nl");
    assert_string_equal(dr_doc_locale_from(d), "ms.contentlocale");
    const dr_unit *u = nth_unit(d, DR_UNIT_PARAGRAPH, 0);
    assert_non_null(u);
    assert_string_equal(u->text, "Tekst");
    assert_int_equal(u->line, 8);
    dr_doc_free(d);
}

static void yaml_date_falls_back_to_lasthandoff(void **state) {
    (void)state;
    dr_doc *d = parse_str("---\nms.lasthandoff: 04/18/2020\n---\ntext\n");
    assert_string_equal(dr_doc_date(d), "2020-04-18");
    assert_string_equal(dr_doc_date_from(d), "ms.lasthandoff");
    dr_doc_free(d);
    d = parse_str("---\nms.date: 02/30/2017\nms.lasthandoff: 04/18/2020\n---\ntext\n");
    const dr_diag *g = diag_by_code(d, "date-invalid");
    assert_non_null(g);
    assert_int_equal(g->line, 2);
    assert_string_equal(dr_doc_date_from(d), "ms.lasthandoff");
    dr_doc_free(d);
}

static void yaml_invalid_reports_yaml_line(void **state) {
    (void)state;
    dr_doc *d = parse_str("---\ntitle: ok\ndescription: a: b\nms.date: 01/02/2017\n---\n# H\n");
    const dr_diag *g = diag_by_code(d, "yaml-invalid");
    assert_non_null(g);
    assert_int_equal(g->severity, DR_SEV_ERROR);
    assert_int_equal(g->line, 3);
    assert_true(g->col > 1);
    /* The body is still read. */
    size_t n;
    dr_doc_sections(d, &n);
    assert_int_equal(n, 1);
    dr_doc_free(d);
}

/* libyaml ends a line at U+2028, U+2029 and NEL too (YAML 1.1); the file
 * does not. A title holding one put every later finding a line low. */
static void yaml_places_are_the_files_lines(void **state) {
    (void)state;
    static const struct {
        const char *text, *code;
        int line, col;
    } said[] = {
        {"---\ntitle: \"a\xE2\x80\xA8" "b\"\nauthor: x\nauthor: y\n---\n# H\n", "yaml-duplicate-key", 4, 1},
        {"---\ntitle: \"a\xE2\x80\xA9" "b\"\ndescription: a: b\n---\n# H\n", "yaml-invalid", 3, 15},
        /* a character libyaml's reader refuses, at that character */
        {"---\ntitle: a\nauthor: b\nx: \"q\001\"\n---\n# H\n", "yaml-invalid", 4, 6},
        {"---\rtitle: a\rx: \"q\001\"\r---\r# H\r", "yaml-invalid", 3, 6},
        /* on the line of the break, the column counts from the file's line */
        {"---\n{a: \"x\xE2\x80\xA8y\", a: 2}\n---\n# H\n", "yaml-duplicate-key", 2, 12},
    };
    for (size_t i = 0; i < sizeof said / sizeof *said; i++) {
        dr_doc *d = parse_str(said[i].text);
        const dr_diag *g = diag_by_code(d, said[i].code);
        if (!g || g->line != said[i].line || g->col != said[i].col)
            fail_msg("case %zu: %s at %d:%d, want %d:%d", i, said[i].code, g ? g->line : 0, g ? g->col : 0,
                     said[i].line, said[i].col);
        dr_doc_free(d);
    }
}

/* head, then 100,000 [ and as many ], closing the front matter: into y,
 * which has room for it. */
static char *deep_brackets(char *y, const char *head) {
    strcpy(y, head);
    size_t at = strlen(y);
    memset(y + at, '[', 100000);
    memset(y + at + 100000, ']', 100000);
    strcpy(y + at + 200000, "\n---\n# H\n");
    return y;
}

/* Bounded whatever the front matter holds: aliases that multiply (nine
 * of nine, nine deep, were 9^9 values from 336 bytes) and flow nesting
 * libyaml's scanner takes quadratic time over are yaml-invalid, and the
 * body is still read. */
static void yaml_aliases_and_nesting_are_bounded(void **state) {
    (void)state;
    char *y = malloc(400000);
    assert_non_null(y);
    strcpy(y, "---\na: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\n");
    const char *names = "abcdefghi";
    for (int k = 1; k < 9; k++) {
        char line[80];
        snprintf(line, sizeof line, "%c: &%c [*%c,*%c,*%c,*%c,*%c,*%c,*%c,*%c,*%c]\n", names[k], names[k], names[k - 1],
                 names[k - 1], names[k - 1], names[k - 1], names[k - 1], names[k - 1], names[k - 1], names[k - 1],
                 names[k - 1]);
        strcat(y, line);
    }
    strcat(y, "---\n# H\n");
    dr_doc *d = parse_str(y);
    const dr_diag *g = diag_by_code(d, "yaml-invalid");
    assert_non_null(g);
    assert_non_null(strstr(g->message, "aliases make more than"));
    size_t n;
    dr_doc_sections(d, &n);
    assert_int_equal(n, 1);
    dr_doc_free(d);
    /* a few aliases stay fine */
    d = parse_str("---\nx: &x [1, 2]\ny: *x\n---\n# H\n");
    assert_null(diag_by_code(d, "yaml-invalid"));
    dr_doc_free(d);
    d = parse_str(deep_brackets(y, "---\na: "));
    g = diag_by_code(d, "yaml-invalid");
    assert_non_null(g);
    assert_non_null(strstr(g->message, "nest more than 64 deep"));
    assert_int_equal(g->line, 2);
    dr_doc_free(d);
    /* an apostrophe in a plain scalar opens no quote that would hide the
     * nesting after it (it took 37 s) */
    d = parse_str(deep_brackets(y, "---\nx: it's\ny: "));
    g = diag_by_code(d, "yaml-invalid");
    assert_non_null(g);
    assert_int_equal(g->line, 3);
    dr_doc_free(d);
    /* brackets in a block scalar's text, or in a plain scalar, are text */
    strcpy(y, "---\ntitle: A\ndescription: |\n");
    for (int i = 0; i < 70; i++) sprintf(y + strlen(y), "  range [%d, %d)\n", i, i + 1);
    strcat(y, "note: a [b [c [d\n---\n# H\n");
    d = parse_str(y);
    assert_null(diag_by_code(d, "yaml-invalid"));
    assert_non_null(strstr(dr_doc_meta(d, "description"), "range [69, 70)"));
    dr_doc_free(d);
    /* brackets inside quotes and comments are text */
    d = parse_str("---\ntitle: \"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\" # [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n---\n# H\n");
    assert_null(diag_by_code(d, "yaml-invalid"));
    dr_doc_free(d);
    free(y);
}

/* A key twice in one map: every reader sees the first (the metadata and
 * extract's JSON once disagreed), each later one is a warning at its line,
 * and a map copied through aliases says its duplicate once. */
static void a_duplicate_key_is_said_and_the_first_read(void **state) {
    (void)state;
    dr_doc *d = parse_str("---\ntitle: A\nms.date: 01/02/2017\nauthor: x\nms.date: 03/04/2019\n---\n# H\n");
    assert_string_equal(dr_doc_meta(d, "ms.date"), "01/02/2017");
    assert_string_equal(dr_doc_date(d), "2017-01-02");
    const dr_diag *g = diag_by_code(d, "yaml-duplicate-key");
    assert_non_null(g);
    assert_int_equal(g->severity, DR_SEV_WARNING);
    assert_int_equal(g->line, 5);
    assert_int_equal(g->col, 1);
    assert_non_null(strstr(g->message, "\"ms.date\" again (first on line 3)"));
    json_t *j = dr_doc_to_json(d);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "front_matter"), "ms.date")),
                        "01/02/2017");
    assert_int_equal(json_object_size(json_object_get(j, "front_matter")), 3);
    json_decref(j);
    dr_doc_free(d);
    d = parse_str("---\nm: &m {k: 1, k: 2}\nn: [*m, *m, *m]\n---\n# H\n");
    size_t n, dups = 0;
    const dr_diag *all = dr_doc_diags(d, &n);
    for (size_t i = 0; i < n; i++) dups += strcmp(all[i].code, "yaml-duplicate-key") == 0;
    assert_int_equal(dups, 1);
    dr_doc_free(d);
    d = parse_str("---\ntitle: A\ndate: 2017-01-02\nms.date: 01/02/2017\n---\n# H\n");
    assert_null(diag_by_code(d, "yaml-duplicate-key"));
    dr_doc_free(d);
    /* the first's line once a duplicate before it was dropped */
    d = parse_str("---\ntitle: A\ntitle: B\nauthor: x\nauthor: y\n---\n# H\n");
    all = dr_doc_diags(d, &n);
    assert_int_equal(n, 2);
    assert_non_null(strstr(all[1].message, "\"author\" again (first on line 4)"));
    assert_int_equal(all[1].line, 5);
    dr_doc_free(d);
    /* keys that are no scalars are no duplicates of one another */
    d = parse_str("---\ntitle: A\n? [a]\n: 1\n? [b]\n: 2\n---\n# H\n");
    assert_null(diag_by_code(d, "yaml-duplicate-key"));
    assert_int_equal(dr_doc_front_matter(d)->n, 3);
    dr_doc_free(d);
    /* YAML's \0 in a key or a value: read as U+FFFD (a C string would end
     * there: "a\0b" and "a\0c" were one key "a", said as given twice) and
     * said, once for a node that aliases copy */
    d = parse_str("---\ntitle: A\n\"a\\0b\": 1\n\"a\\0c\": x\\0y\nv: &n \"p\\0q\\0\"\nw: [*n, *n]\n---\n# H\n");
    assert_null(diag_by_code(d, "yaml-duplicate-key"));
    assert_string_equal(dr_doc_meta(d, "a\xEF\xBF\xBD" "b"), "1");
    assert_string_equal(dr_doc_meta(d, "a\xEF\xBF\xBD" "c"), "x\\0y"); /* plain: no escapes */
    assert_string_equal(dr_doc_meta(d, "v"), "p\xEF\xBF\xBDq\xEF\xBF\xBD");
    assert_null(dr_doc_meta(d, "a"));
    all = dr_doc_diags(d, &n);
    size_t nuls = 0;
    for (size_t i = 0; i < n; i++) nuls += strcmp(all[i].code, "nul-byte") == 0;
    assert_int_equal(nuls, 3);
    g = diag_by_code(d, "nul-byte");
    assert_int_equal(g->severity, DR_SEV_ERROR);
    assert_int_equal(g->line, 3);
    assert_int_equal(g->col, 1);
    assert_non_null(strstr(all[n - 1].message, "2 NUL characters"));
    dr_doc_free(d);
    /* the legacy header's two elements: one name in both */
    d = parse_str("<properties pageTitle=\"A\" ms.date=\"01/02/2017\" manager=\"m\" />\n"
                  "<tags ms.date=\"05/06/2020\" manager=\"y\" />\n\n# H\nx\n");
    g = diag_by_code(d, "yaml-duplicate-key");
    assert_non_null(g);
    assert_int_equal(g->line, 2);
    assert_int_equal(g->col, 7);
    all = dr_doc_diags(d, &n);
    assert_int_equal(n, 2); /* each at its own place, so that a report keeps both */
    assert_int_equal(all[1].col, 28);
    assert_string_equal(dr_doc_date(d), "2017-01-02");
    j = dr_doc_to_json(d);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "front_matter"), "ms.date")),
                        "01/02/2017");
    json_decref(j);
    dr_doc_free(d);
}

static void yaml_unterminated(void **state) {
    (void)state;
    dr_doc *d = parse_str("---\ntitle: x\n\n# Heading\nbody\n");
    const dr_diag *g = diag_by_code(d, "front-matter-unterminated");
    assert_non_null(g);
    assert_int_equal(g->line, 1);
    assert_int_equal(g->col, 1);
    assert_true(dr_doc_has_errors(d));
    dr_doc_free(d);
}

static void legacy_tabs_own_line_close(void **state) {
    (void)state;
    dr_doc *d = parse_str("<properties\r\n\tpageTitle=\"How to cancel | Microsoft Azure\"\r\n"
                          "\tservices=\"\"\r\n\t/>\r\n\r\n<tags\r\n\tms.service=\"billing\"\r\n"
                          "\tms.date=\"08/24/2016\"\r\n\tms.author=\"genli\"/>\r\n\r\n"
                          "# How to cancel\r\n\r\n1. Log on\r\n");
    assert_int_equal(dr_doc_front_matter_style(d), DR_FM_LEGACY);
    assert_string_equal(dr_doc_title(d), "How to cancel");
    assert_string_equal(dr_doc_date(d), "2016-08-24");
    assert_string_equal(dr_doc_meta(d, "services"), "");
    assert_int_equal(dr_doc_meta_line(d, "ms.date"), 8);
    const dr_unit *u = nth_unit(d, DR_UNIT_STEP, 0);
    assert_non_null(u);
    assert_int_equal(u->line, 13);
    dr_doc_free(d);
}

static void legacy_spaces_blank_line_before_properties_only(void **state) {
    (void)state;
    dr_doc *d = parse_str("\n<properties\n    pageTitle=\"Annuler\"\n    ms.date=\"09/26/2016\" />\n"
                          "# Titre\n");
    assert_int_equal(dr_doc_front_matter_style(d), DR_FM_LEGACY);
    assert_string_equal(dr_doc_meta(d, "pageTitle"), "Annuler");
    assert_string_equal(dr_doc_date(d), "2016-09-26");
    size_t n;
    const dr_section *s = dr_doc_sections(d, &n);
    assert_int_equal(n, 1);
    assert_int_equal(s[0].line, 5);
    dr_doc_free(d);
}

static void legacy_not_wellformed_still_read(void **state) {
    (void)state;
    /* A bare & is not XML, but the header is still usable. */
    dr_doc *d = parse_str("<properties pageTitle=\"Q & A\" />\n<tags ms.date=\"1/2/2017\"/>\ntext\n");
    assert_string_equal(dr_doc_date(d), "2017-01-02");
    assert_non_null(dr_doc_meta(d, "pageTitle"));
    dr_doc_free(d);
    d = parse_str("<properties pageTitle=\"never closed\"\n\ntext\n");
    assert_non_null(diag_by_code(d, "legacy-header-unterminated"));
    dr_doc_free(d);
}

static void no_header_title_from_h1_locale_from_path(void **state) {
    (void)state;
    dr_doc *d = parse_str_opts("corpus/azure/cancel-subscription.zh-tw.md", "# 標題\n\n內容\n", 0);
    assert_int_equal(dr_doc_front_matter_style(d), DR_FM_NONE);
    assert_null(dr_doc_front_matter(d));
    assert_string_equal(dr_doc_title(d), "標題");
    assert_string_equal(dr_doc_locale(d), "zh-tw");
    assert_string_equal(dr_doc_locale_from(d), "path");
    assert_null(dr_doc_date(d));
    dr_doc_free(d);
    d = parse_str_opts("x/de-de/azure-docs-pr-test.md", "text\n", 0);
    assert_string_equal(dr_doc_locale(d), "de-de");
    dr_doc_free(d);
    d = parse_str_opts("x/azure-docs-pr-test.nl-NL__37f36597.md", "text\n", 0);
    assert_string_equal(dr_doc_locale(d), "nl-nl");
    dr_doc_free(d);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(yaml_scalars_quotes_empty_lists),
        cmocka_unit_test(yaml_crlf_and_no_final_newline),
        cmocka_unit_test(yaml_date_falls_back_to_lasthandoff),
        cmocka_unit_test(yaml_invalid_reports_yaml_line),
        cmocka_unit_test(yaml_places_are_the_files_lines),
        cmocka_unit_test(yaml_unterminated),
        cmocka_unit_test(yaml_aliases_and_nesting_are_bounded),
        cmocka_unit_test(a_duplicate_key_is_said_and_the_first_read),
        cmocka_unit_test(legacy_tabs_own_line_close),
        cmocka_unit_test(legacy_spaces_blank_line_before_properties_only),
        cmocka_unit_test(legacy_not_wellformed_still_read),
        cmocka_unit_test(no_header_title_from_h1_locale_from_path),
    };
    return cmocka_run_group_tests_name("frontmatter", tests, NULL, NULL);
}
