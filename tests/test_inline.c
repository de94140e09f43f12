#define _GNU_SOURCE /* memmem */
/* Inline HTML: bilingual sxs-lookup segments everywhere text lives, and the
 * diagnostics for bytes no parser should see. */
#include "../common/buf.h"
#include "testutil.h"

#define SEG(id, t, s)                                                                   \
    "<span data-ttu-id=\"" id "\">" t "</span><span class=\"sxs-lookup\"><span "         \
    "data-stu-id=\"" id "\">" s "</span></span>"

static void bilingual_in_every_kind_of_unit(void **state) {
    (void)state;
    dr_doc *d = parse_str("# <a name=\"h\"></a>" SEG("a-1", "標題", "Title") "\n\n"
                          SEG("a-2", "段落。", "A paragraph.") " " SEG("a-3", "第二句。", "Second.") "\n\n"
                          "- " SEG("a-4", "項目", "A bullet") "\n\n"
                          "1. " SEG("a-5", "步驟", "A step") "\n\n"
                          "> [!NOTE]\n> " SEG("a-6", "注意", "Mind this") "\n");
    size_t n;
    const dr_section *s = dr_doc_sections(d, &n);
    assert_string_equal(s[0].title, "標題");
    assert_string_equal(s[0].source_title, "Title");
    assert_string_equal(s[0].anchor, "h");
    const dr_unit *p = nth_unit(d, DR_UNIT_PARAGRAPH, 0);
    assert_string_equal(p->text, "段落。 第二句。");
    assert_string_equal(p->source_text, "A paragraph. Second.");
    assert_string_equal(nth_unit(d, DR_UNIT_BULLET, 0)->source_text, "A bullet");
    assert_string_equal(nth_unit(d, DR_UNIT_STEP, 0)->source_text, "A step");
    assert_string_equal(nth_unit(d, DR_UNIT_STEP, 0)->text, "步驟");
    const dr_unit *note = nth_unit(d, DR_UNIT_NOTE, 0);
    assert_string_equal(note->text, "注意");
    assert_string_equal(note->source_text, "Mind this");
    const dr_segment *g = dr_doc_segments(d, &n);
    assert_int_equal(n, 6);
    assert_string_equal(g[1].id, "a-2");
    assert_string_equal(g[1].target, "段落。");
    assert_string_equal(g[1].source, "A paragraph.");
    assert_int_equal(g[1].line, 3);
    assert_null(diag_by_code(d, "bilingual-unpaired"));
    dr_doc_free(d);
}

static void merged_ids_and_markdown_inside_segments(void **state) {
    (void)state;
    dr_doc *d = parse_str(SEG("a4cab-p101", "移至 [**帳單**](https://x/b)。", "Go to "
                              "**Billing** [Products](https://x/p).") "\n");
    const dr_unit *p = nth_unit(d, DR_UNIT_PARAGRAPH, 0);
    assert_string_equal(p->text, "移至 帳單。");
    assert_string_equal(p->source_text, "Go to Billing Products.");
    size_t n;
    const dr_link *l = dr_doc_links(d, &n);
    /* The link of the translation only; the source's is the same link. */
    assert_int_equal(n, 1);
    assert_string_equal(l[0].href, "https://x/b");
    assert_string_equal(l[0].text, "帳單");
    const dr_segment *g = dr_doc_segments(d, &n);
    assert_int_equal(n, 1);
    assert_string_equal(g[0].id, "a4cab-p101");
    dr_doc_free(d);
}

static void unpaired_segment_has_line_and_column(void **state) {
    (void)state;
    dr_doc *d = parse_str("# T\n\nok " SEG("b-1", "一", "one") "\n"
                          "<span data-ttu-id=\"b-2\">二</span>\n");
    const dr_diag *g = diag_by_code(d, "bilingual-unpaired");
    assert_non_null(g);
    assert_int_equal(g->line, 4);
    assert_int_equal(g->col, 7); /* the data-ttu-id attribute */
    assert_non_null(strstr(g->message, "b-2"));
    dr_doc_free(d);
    d = parse_str("<span class=\"sxs-lookup\"><span data-stu-id=\"c-9\">lonely</span></span>\n");
    assert_non_null(diag_by_code(d, "bilingual-unpaired"));
    dr_doc_free(d);
}

static void plain_docs_have_no_source_text(void **state) {
    (void)state;
    dr_doc *d = parse_str("Just <b>bold</b> text.\n");
    const dr_unit *p = nth_unit(d, DR_UNIT_PARAGRAPH, 0);
    assert_string_equal(p->text, "Just bold text.");
    assert_null(p->source_text);
    dr_doc_free(d);
}

static void invalid_utf8_and_nul_are_diagnosed_and_replaced(void **state) {
    (void)state;
    static const char doc[] = "# T\n\nab\xFF" "cd\n\nx\0y\n";
    dr_parser *p = dr_parser_new(NULL);
    dr_doc *d;
    assert_int_equal(dr_doc_parse(p, "bad.md", doc, sizeof doc - 1, &d, NULL), DR_OK);
    const dr_diag *u = diag_by_code(d, "utf8-invalid");
    assert_non_null(u);
    assert_int_equal(u->line, 3);
    assert_int_equal(u->col, 3);
    const dr_diag *z = diag_by_code(d, "nul-byte");
    assert_non_null(z);
    assert_int_equal(z->line, 5);
    assert_int_equal(z->col, 2);
    assert_string_equal(nth_unit(d, DR_UNIT_PARAGRAPH, 0)->text, "ab\xEF\xBF\xBD" "cd");
    dr_doc_free(d);
    dr_parser_free(p);
}

static void oversized_file_is_diagnosed_not_parsed(void **state) {
    (void)state;
    dr_doc *d = parse_str_opts("big.md", "# a heading\n\nsome text that is too long\n", 10);
    const dr_diag *g = diag_by_code(d, "file-too-large");
    assert_non_null(g);
    assert_int_equal(g->severity, DR_SEV_ERROR);
    size_t n;
    dr_doc_sections(d, &n);
    assert_int_equal(n, 0);
    dr_doc_free(d);
}

static void html_blocks_that_misbehave_do_not_spill(void **state) {
    (void)state;
    /* An unclosed <div>, a stray </div>, a raw-text element and an inline
     * comment left open: each keeps its text to itself, and the blocks after
     * them still get theirs. (A block-level "<!--" never closed is another
     * matter: CommonMark makes it run to the end of the doc.) */
    dr_doc *d = parse_str("<div class=\"op\">\n\n# One\n\n</div>\n\n"
                          "Para <b>two</b>\n\n"
                          "<p>three</div> after</p>\n\n"
                          "<script>var x = '<b>';</script>\n\n"
                          "Text <!-- open\n\n"
                          "Last <i>four</i>\n");
    size_t n;
    const dr_section *s = dr_doc_sections(d, &n);
    assert_string_equal(s[n - 1].title, "One");
    const dr_unit *u = dr_doc_units(d, &n);
    int two = 0, three = 0, four = 0;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(u[i].text, "Para two") == 0) two = 1;
        if (strncmp(u[i].text, "three", 5) == 0) three = 1;
        if (strcmp(u[i].text, "Last four") == 0) four = 1;
        assert_null(strstr(u[i].text, "var x"));
    }
    assert_true(two);
    assert_true(three);
    assert_true(four);
    dr_doc_free(d);
}

/* Regression for the legacy-header fuzzer's use-after-free: when one parse
 * grows the HTML dictionary past its bound, the libxml2 context is
 * recycled, and elements left open at the end were then closed through
 * the freed one. The fuzzer's input (tests/fixtures/fuzz/), with
 * thousands of distinct element names put in its unclosed <head...>
 * fragment to grow the dictionary in that one parse. */
static void html_context_recycled_with_elements_open(void **state) {
    (void)state;
    FILE *f = fopen(DR_TOP "/tests/fixtures/fuzz/legacy-html-recycle-uaf.bin", "rb");
    assert_non_null(f);
    char in[4096];
    size_t n = fread(in, 1, sizeof in - 1, f);
    fclose(f);
    in[n] = '\0';
    const char *head = memmem(in, n, "<headt2gs", 9);
    assert_non_null(head);
    dr_buf doc = {0};
    dr_buf_puts(&doc, "<properties ");
    dr_buf_put(&doc, in, (size_t)(head - in));
    char tag[32];
    for (int i = 0; i < 6000; i++) {
        snprintf(tag, sizeof tag, "<q%d></q%d>", i, i);
        dr_buf_puts(&doc, tag);
    }
    dr_buf_put(&doc, head, n - (size_t)(head - in));
    dr_buf_puts(&doc, "\n# H\n");
    dr_parser *p = dr_parser_new(NULL);
    assert_non_null(p);
    dr_doc *d = NULL;
    dr_error e;
    dr_error_clear(&e);
    assert_int_equal(dr_doc_parse(p, "fuzz.md", doc.s, doc.n, &d, &e), DR_OK);
    /* The "# H" the harness appends is read as a heading. */
    assert_non_null(section_by_anchor(d, "h"));
    dr_doc_free(d);
    dr_parser_free(p);
    free(doc.s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bilingual_in_every_kind_of_unit),
        cmocka_unit_test(merged_ids_and_markdown_inside_segments),
        cmocka_unit_test(unpaired_segment_has_line_and_column),
        cmocka_unit_test(plain_docs_have_no_source_text),
        cmocka_unit_test(invalid_utf8_and_nul_are_diagnosed_and_replaced),
        cmocka_unit_test(oversized_file_is_diagnosed_not_parsed),
        cmocka_unit_test(html_blocks_that_misbehave_do_not_spill),
        cmocka_unit_test(html_context_recycled_with_elements_open),
    };
    return cmocka_run_group_tests_name("inline", tests, NULL, NULL);
}
