/* The body: sections, anchors, steps, bullets, notes, links, images, tables
 * and include references, each with its line. */
#include <jansson.h>
#include <pthread.h>

#include "testutil.h"

#include "../common/buf.h"
#include "../parsers/doc_json.h"

static void anchors_from_a_name_a_id_block_and_slug(void **state) {
    (void)state;
    dr_doc *d = parse_str("# <a name=\"top\"></a>Top\n"
                          "## <a id=\"by-id\"></a>By id\n"
                          "<a name=\"before\"></a>\n\n"
                          "## From the line before\n"
                          "## Need help? Contact support.\n"
                          "##<a name=\"code-of-conduct\"></a>No space\n");
    size_t n;
    const dr_section *s = dr_doc_sections(d, &n);
    assert_int_equal(n, 4);
    assert_string_equal(s[0].anchor, "top");
    assert_int_equal(s[0].anchor_explicit, 1);
    assert_string_equal(s[0].title, "Top");
    assert_int_equal(s[0].level, 1);
    assert_string_equal(s[1].anchor, "by-id");
    assert_string_equal(s[2].anchor, "before");
    assert_int_equal(s[2].line, 5);
    assert_string_equal(s[3].anchor, "need-help-contact-support");
    assert_int_equal(s[3].anchor_explicit, 0);
    assert_int_equal(s[3].level, 2);
    /* "##<a" is no heading in CommonMark: a paragraph, which is what docs
     * sites render too. */
    assert_string_equal(nth_unit(d, DR_UNIT_PARAGRAPH, 0)->text, "##No space");
    assert_int_equal(nth_unit(d, DR_UNIT_PARAGRAPH, 0)->line, 7);
    dr_doc_free(d);
}

static void steps_renumbered_whatever_the_markdown_says(void **state) {
    (void)state;
    dr_doc *d = parse_str("## A\n\n1. one\n1. two\n1. three\n\n## B\n\n1. a\n2. b\n\n"
                          "![img](x.png)\n\n3. c\n3. d\n");
    const dr_section *b = section_by_anchor(d, "b");
    assert_non_null(b);
    size_t n;
    const dr_unit *u = dr_doc_units(d, &n);
    int seen_a = 0, seen_b = 0;
    for (size_t i = 0; i < n; i++) {
        if (u[i].kind != DR_UNIT_STEP) continue;
        if (u[i].section == 0) assert_int_equal(u[i].n, ++seen_a);
        else assert_int_equal(u[i].n, ++seen_b);
    }
    assert_int_equal(seen_a, 3);
    assert_int_equal(seen_b, 4);
    const dr_unit *last = nth_unit(d, DR_UNIT_STEP, 6);
    assert_string_equal(last->text, "d");
    assert_int_equal(last->line, 15);
    dr_doc_free(d);
}

static void notes_and_images_stay_with_their_step(void **state) {
    (void)state;
    dr_doc *d = parse_str("1. Sign in.\n\n   > [!NOTE]\n   > Only the admin.\n\n"
                          "2. Select it.\n\n    ![shot](./media/a.png)\n\n3. Done.\n");
    const dr_unit *s1 = nth_unit(d, DR_UNIT_STEP, 0), *s2 = nth_unit(d, DR_UNIT_STEP, 1);
    const dr_unit *note = nth_unit(d, DR_UNIT_NOTE, 0);
    assert_non_null(note);
    assert_string_equal(note->text, "Only the admin.");
    assert_string_equal(note->note_kind, "note");
    assert_int_equal(note->line, 4); /* its words', not the marker's line */
    size_t n;
    const dr_unit *all = dr_doc_units(d, &n);
    assert_ptr_equal(&all[note->parent], s1);
    const dr_image *im = dr_doc_images(d, &n);
    assert_int_equal(n, 1);
    assert_ptr_equal(&all[im[0].step], s2);
    assert_string_equal(im[0].src, "./media/a.png");
    assert_string_equal(im[0].alt, "shot");
    assert_int_equal(im[0].line, 8);
    assert_int_equal(count_units(d, DR_UNIT_STEP), 3);
    dr_doc_free(d);
}

static void every_note_kind_and_the_legacy_form(void **state) {
    (void)state;
    dr_doc *d = parse_str("> [!NOTE]\n> n\n\n> [!IMPORTANT]\n> i\n\n> [!TIP]\n> t\n\n"
                          "> [!WARNING]\n> w\n\n> [!CAUTION]\n> c\n\n"
                          "> [AZURE.NOTE] legacy one\n\n>[AZURE.IMPORTANT] no space\n\n"
                          "> plain quote\n");
    static const char *const kinds[] = {"note", "important", "tip", "warning", "caution", "note",
                                        "important"};
    static const char *const texts[] = {"n", "i", "t", "w", "c", "legacy one", "no space"};
    for (size_t i = 0; i < 7; i++) {
        const dr_unit *u = nth_unit(d, DR_UNIT_NOTE, i);
        assert_non_null(u);
        assert_string_equal(u->note_kind, kinds[i]);
        assert_string_equal(u->text, texts[i]);
    }
    assert_null(nth_unit(d, DR_UNIT_NOTE, 7));
    assert_string_equal(nth_unit(d, DR_UNIT_PARAGRAPH, 0)->text, "plain quote");
    /* A note is at the line its words start on, as a paragraph is: after a
     * marker alone on its line, the next; a marker with words, its own. */
    static const int lines[] = {2, 5, 8, 11, 14, 16, 18};
    for (size_t i = 0; i < 7; i++) assert_int_equal(nth_unit(d, DR_UNIT_NOTE, i)->line, lines[i]);
    dr_doc_free(d);
    /* the words in a paragraph of their own, after "> [!NOTE]" and ">" */
    d = parse_str("# T\n\n> [!NOTE]\n>\n> Wait ten minutes.\n");
    assert_string_equal(nth_unit(d, DR_UNIT_NOTE, 0)->text, "Wait ten minutes.");
    assert_int_equal(nth_unit(d, DR_UNIT_NOTE, 0)->line, 5);
    dr_doc_free(d);
}

static void bullets_with_nested_lists(void **state) {
    (void)state;
    dr_doc *d = parse_str("* Back up.\n* Stop **services**.\n  - nested\n");
    assert_int_equal(count_units(d, DR_UNIT_BULLET), 3);
    assert_string_equal(nth_unit(d, DR_UNIT_BULLET, 1)->text, "Stop services.");
    const dr_unit *nested = nth_unit(d, DR_UNIT_BULLET, 2);
    assert_int_equal(nested->line, 3);
    size_t n;
    const dr_unit *all = dr_doc_units(d, &n);
    assert_ptr_equal(&all[nested->parent], nth_unit(d, DR_UNIT_BULLET, 1));
    dr_doc_free(d);
}

static void links_from_markdown_and_html(void **state) {
    (void)state;
    dr_doc *d = parse_str("See [the FAQ](billing.md#faq) and\n"
                          "<a href=\"https://example.com/x\">the site</a>.\n\n"
                          "<p>Block <a href=\"other.md\">other</a></p>\n");
    size_t n;
    const dr_link *l = dr_doc_links(d, &n);
    assert_int_equal(n, 3);
    assert_string_equal(l[0].href, "billing.md#faq");
    assert_string_equal(l[0].text, "the FAQ");
    assert_int_equal(l[0].line, 1);
    assert_int_equal(l[0].from_html, 0);
    assert_string_equal(l[1].href, "https://example.com/x");
    assert_string_equal(l[1].text, "the site");
    assert_int_equal(l[1].line, 2);
    assert_int_equal(l[1].from_html, 1);
    assert_string_equal(l[2].href, "other.md");
    assert_int_equal(l[2].line, 4);
    assert_string_equal(nth_unit(d, DR_UNIT_PARAGRAPH, 0)->text, "See the FAQ and the site.");
    assert_string_equal(nth_unit(d, DR_UNIT_PARAGRAPH, 1)->text, "Block other");
    dr_doc_free(d);
}

/* Each link and image at its own place: two to one target were both
 * placed at the first (the block was searched from its start each time),
 * and a link's own text holding its target was taken for the target. */
static void links_to_one_target_each_at_its_place(void **state) {
    (void)state;
    dr_doc *d = parse_str("# H\n\nSee ![a](b.png) and ![c](b.png) then [x](u.md) and [y](u.md).\n\n"
                          "Text [z](v.md)\nmore [w](v.md) [v.md](v.md)\n");
    size_t n;
    const dr_link *l = dr_doc_links(d, &n);
    assert_int_equal(n, 5);
    int want[][2] = {{3, 42}, {3, 56}, {5, 10}, {6, 10}, {6, 23}};
    for (size_t i = 0; i < n; i++) {
        if (l[i].line != want[i][0] || l[i].col != want[i][1])
            fail_msg("link %zu (%s): %d:%d, not %d:%d", i, l[i].text, l[i].line, l[i].col, want[i][0], want[i][1]);
    }
    const dr_image *im = dr_doc_images(d, &n);
    assert_int_equal(n, 2);
    assert_int_equal(im[0].col, 10);
    assert_int_equal(im[1].col, 26);
    dr_doc_free(d);
}

/* A row's cost in cmark-gfm grows with the square of its cells: a body
 * with a line of more than 128 | is read without tables, and says so. */
static void a_table_too_wide_is_read_as_text(void **state) {
    (void)state;
    char *md = malloc(4096);
    assert_non_null(md);
    strcpy(md, "# H\n\n|");
    for (int i = 0; i < 200; i++) strcat(md, " a |");
    strcat(md, "\n|");
    for (int i = 0; i < 200; i++) strcat(md, "---|");
    strcat(md, "\n");
    dr_doc *d = parse_str(md);
    size_t n;
    dr_doc_tables(d, &n);
    assert_int_equal(n, 0);
    const dr_diag *g = NULL;
    size_t nd;
    const dr_diag *all = dr_doc_diags(d, &nd);
    for (size_t i = 0; i < nd; i++)
        if (strcmp(all[i].code, "table-too-wide") == 0) g = &all[i];
    assert_non_null(g);
    assert_int_equal(g->line, 3);
    dr_doc_free(d);
    free(md);
}

static void tables_as_rows_of_cells(void **state) {
    (void)state;
    dr_doc *d = parse_str("## T\n\n| Type | What |\n|---|---|\n| Pay-as-you-go | "
                          "[reactivate](a.md) |\n| Free | x |\n");
    size_t n;
    const dr_table *t = dr_doc_tables(d, &n);
    assert_int_equal(n, 1);
    assert_int_equal(t[0].nrows, 3);
    assert_int_equal(t[0].ncols, 2);
    assert_int_equal(t[0].line, 3);
    assert_string_equal(t[0].cells[0], "Type");
    assert_string_equal(t[0].cells[3], "reactivate");
    assert_string_equal(t[0].cells[4], "Free");
    dr_doc_free(d);
}

static void includes_recorded_not_expanded(void **state) {
    (void)state;
    dr_doc *d = parse_str("[AZURE.INCLUDE [learn-about](../includes/learn.md)]\n\n"
                          "[!INCLUDE [applies-to](../includes/applies.md)]\n\ntext\n");
    size_t n;
    const dr_include *inc = dr_doc_includes(d, &n);
    assert_int_equal(n, 2);
    assert_string_equal(inc[0].ref, "../includes/learn.md");
    assert_string_equal(inc[1].ref, "../includes/applies.md");
    assert_int_equal(inc[1].line, 3);
    dr_doc_links(d, &n);
    assert_int_equal(n, 0);
    assert_int_equal(count_units(d, DR_UNIT_PARAGRAPH), 1);
    dr_doc_free(d);
}

static void comment_blocks_are_not_text(void **state) {
    (void)state;
    dr_doc *d = parse_str("<!--honumber-->\n\n# H\n\n<!-- a\nb -->\n\ntext\n");
    assert_int_equal(count_units(d, DR_UNIT_PARAGRAPH), 1);
    dr_doc_free(d);
}

/* What one thread's parser makes of a doc of bare URLs and struck-out
 * words, as JSON, so that two runs compare as strings. */
static char *model_of(dr_parser *p, const char *src) {
    dr_doc *d = NULL;
    dr_error e;
    dr_error_clear(&e);
    if (dr_doc_parse(p, "t/race.md", src, strlen(src), &d, &e) != DR_OK) return NULL;
    json_t *j = dr_doc_to_json(d);
    char *s = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    dr_doc_free(d);
    return s;
}

typedef struct racer {
    dr_parser *p;
    const char *src, *want;
    int differ;
} racer;

/* What is struck out is not said: "~~90~~ 30 days" says 30, in Markdown
 * and in HTML (<del>, <s>, <strike>), and its links are still links. One
 * '~' strikes nothing, as in the docs' renderer: "1~3" stays "1~3" (with
 * single tildes "steps 1~3 and 5~6" read "13 and 56"). */
static void struck_out_text_is_not_said(void **state) {
    (void)state;
    dr_doc *d = parse_str("# T\n\nWe wait ~~90~~ 30 days, ~~or [60](a.md)~~ then.\n\n"
                          "We wait <del>90</del> 30 days, <s>or <a href=\"b.md\">60</a></s> <strike>40</strike> then.\n\n"
                          "重复 1~3 和5~6步, 10~20 minutes.\n");
    assert_string_equal(nth_unit(d, DR_UNIT_PARAGRAPH, 0)->text, "We wait 30 days, then.");
    assert_string_equal(nth_unit(d, DR_UNIT_PARAGRAPH, 1)->text, "We wait 30 days, then.");
    assert_string_equal(nth_unit(d, DR_UNIT_PARAGRAPH, 2)->text,
                        "重复 1~3 和5~6步, 10~20 minutes.");
    size_t n;
    const dr_link *l = dr_doc_links(d, &n);
    assert_int_equal(n, 2);
    assert_string_equal(l[0].href, "a.md");
    assert_string_equal(l[1].href, "b.md");
    /* Their words are not said either, in Markdown as in HTML: a
     * translation's struck-out term teaches nothing (facts/linked.c). */
    assert_string_equal(l[0].text, "");
    assert_string_equal(l[1].text, "");
    dr_doc_free(d);
    d = parse_str("# T\n\nSee [kept](c.md) and ~~[gone](d.md)~~.\n");
    l = dr_doc_links(d, &n);
    assert_int_equal(n, 2);
    assert_string_equal(l[0].text, "kept");
    assert_string_equal(l[1].text, "");
    dr_doc_free(d);
}

/* A heading's identifier is made of all its words, as the docs' renderer
 * makes it: "## ~~Old~~ New heading" is #old-new-heading though it says
 * "New heading"; a heading with nothing struck out keeps its identifier. */
static void a_heading_identifier_keeps_its_struck_words(void **state) {
    (void)state;
    dr_doc *d = parse_str("# T\n\n## ~~Old~~ New heading\n\nx\n\n## <del>Old</del> New heading 2\n\nx\n\n"
                          "## <s>Was</s> <delta>Now</delta>\n\nx\n\n## Plain `code` heading\n\nx\n");
    size_t n;
    const dr_section *s = dr_doc_sections(d, &n);
    assert_int_equal(n, 5);
    assert_string_equal(s[1].title, "New heading");
    assert_string_equal(s[1].anchor, "old-new-heading");
    assert_string_equal(s[2].anchor, "old-new-heading-2");
    assert_string_equal(s[3].anchor, "was-now");
    assert_string_equal(s[4].anchor, "plain-code-heading");
    dr_doc_free(d);
    /* A bilingual heading's identifier is its translation's, struck words
     * and all, without the sxs-lookup source (as when nothing is struck):
     * the cmark nodes hold both, glued ("nouveauold-new"). */
    d = parse_str("# T\n\n## <span data-ttu-id=\"1\">~~Ancien~~ Nouveau</span><span class=\"sxs-lookup\">"
                  "<span data-stu-id=\"1\">Old New</span></span>\n\nx\n\n"
                  "## <span data-ttu-id=\"2\">Nouveau</span><span class=\"sxs-lookup\">"
                  "<span data-stu-id=\"2\">~~Old~~ New</span></span>\n\nx\n\n"
                  "## <span data-ttu-id=\"3\">Nouveau titre</span><span class=\"sxs-lookup\">"
                  "<span data-stu-id=\"3\">New title</span></span>\n\nx\n");
    s = dr_doc_sections(d, &n);
    assert_int_equal(n, 4);
    assert_string_equal(s[1].title, "Nouveau");
    assert_string_equal(s[1].anchor, "ancien-nouveau");
    assert_string_equal(s[2].anchor, "nouveau");
    assert_string_equal(s[3].anchor, "nouveau-titre");
    dr_doc_free(d);
}

static void *parse_again_and_again(void *arg) {
    racer *r = arg;
    for (int i = 0; i < 200; i++) {
        char *got = model_of(r->p, r->src);
        if (!got || strcmp(got, r->want) != 0) r->differ++;
        free(got);
    }
    return NULL;
}

/* Parsers on several threads read a doc as one alone does. cmark-gfm
 * keeps the characters that start an autolink (':', 'w') or a
 * strikethrough ('~') in one table for the process, and each parse used
 * to clear them as it ended, under the other threads' parses: URLs went
 * unlinked at random (extract -j 2 differed from -j 1 in 1 run of 6 over
 * 200 docs, and here 7 to 21 parses of 200 did). Two threads parse a doc
 * of bare URLs (no '~': parsed without strikethrough, with no lock), two
 * one of URLs and struck-out words (their inline passes take turns). */
static void parsers_on_two_threads_read_what_one_reads(void **state) {
    (void)state;
    dr_buf urls = {0}, struck = {0};
    for (int i = 0; i < 300; i++) {
        dr_buf_puts(&urls, "See http://example.com/page or www.example.org for more.\n\n");
        dr_buf_puts(&struck, "See http://example.com/page, www.example.org and ~~old~~ text.\n\n");
    }
    /* Every parser is made on this thread, before the others start
     * (include/docrules.h, Threads). */
    dr_parser *alone = dr_parser_new(NULL);
    char *want_urls = model_of(alone, urls.s), *want_struck = model_of(alone, struck.s);
    assert_non_null(want_urls);
    assert_non_null(want_struck);
    assert_non_null(strstr(want_urls, "http://example.com/page"));
    assert_non_null(strstr(want_struck, "http://example.com/page"));
    /* Struck out, the words lose their tildes. */
    assert_null(strstr(want_struck, "~~old~~"));
    racer r[4] = {{dr_parser_new(NULL), urls.s, want_urls, 0}, {dr_parser_new(NULL), urls.s, want_urls, 0},
                  {dr_parser_new(NULL), struck.s, want_struck, 0}, {dr_parser_new(NULL), struck.s, want_struck, 0}};
    pthread_t th[4];
    for (int k = 0; k < 4; k++) assert_int_equal(pthread_create(&th[k], NULL, parse_again_and_again, &r[k]), 0);
    for (int k = 0; k < 4; k++) pthread_join(th[k], NULL);
    for (int k = 0; k < 4; k++) {
        if (r[k].differ) fail_msg("thread %d: %d parses of 200 differ from one thread's", k, r[k].differ);
        dr_parser_free(r[k].p);
    }
    free(want_urls);
    free(want_struck);
    free(urls.s);
    free(struck.s);
    dr_parser_free(alone);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(anchors_from_a_name_a_id_block_and_slug),
        cmocka_unit_test(steps_renumbered_whatever_the_markdown_says),
        cmocka_unit_test(notes_and_images_stay_with_their_step),
        cmocka_unit_test(every_note_kind_and_the_legacy_form),
        cmocka_unit_test(bullets_with_nested_lists),
        cmocka_unit_test(links_from_markdown_and_html),
        cmocka_unit_test(tables_as_rows_of_cells),
        cmocka_unit_test(includes_recorded_not_expanded),
        cmocka_unit_test(comment_blocks_are_not_text),
        cmocka_unit_test(struck_out_text_is_not_said),
        cmocka_unit_test(a_heading_identifier_keeps_its_struck_words),
        cmocka_unit_test(links_to_one_target_each_at_its_place),
        cmocka_unit_test(a_table_too_wide_is_read_as_text),
        cmocka_unit_test(parsers_on_two_threads_read_what_one_reads),
    };
    return cmocka_run_group_tests_name("markdown", tests, NULL, NULL);
}
