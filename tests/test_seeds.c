/* Golden tests: for each seed, the model a reader of the file expects. Every
 * number here was read off the seed itself (grep -n), not off our output. */
#include "testutil.h"

typedef struct sec_exp {
    int level;
    const char *anchor;
    int line;
    int nsteps;
    int step_lines[8];
} sec_exp;

static dr_doc *load(const char *rel) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", DR_TOP, rel);
    dr_parser *p = dr_parser_new(NULL);
    dr_doc *d = NULL;
    dr_error e;
    assert_int_equal(dr_doc_load(p, path, &d, &e), DR_OK);
    dr_parser_free(p);
    size_t n;
    dr_doc_diags(d, &n);
    assert_int_equal(n, 0);
    return d;
}

static void check_sections(const dr_doc *d, const sec_exp *exp, size_t nexp) {
    size_t n, nu;
    const dr_section *s = dr_doc_sections(d, &n);
    const dr_unit *u = dr_doc_units(d, &nu);
    assert_int_equal(n, nexp);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(s[i].level, exp[i].level);
        assert_string_equal(s[i].anchor, exp[i].anchor);
        assert_int_equal(s[i].line, exp[i].line);
        int k = 0;
        for (size_t j = 0; j < nu; j++) {
            if (u[j].section != (int)i || u[j].kind != DR_UNIT_STEP) continue;
            assert_true(k < exp[i].nsteps);
            assert_int_equal(u[j].n, k + 1);
            assert_int_equal(u[j].line, exp[i].step_lines[k]);
            k++;
        }
        assert_int_equal(k, exp[i].nsteps);
    }
}

static void unit_lines(const dr_doc *d, dr_unit_kind kind, const int *lines, size_t n) {
    assert_int_equal(count_units(d, kind), n);
    for (size_t i = 0; i < n; i++) assert_int_equal(nth_unit(d, kind, i)->line, lines[i]);
}

static void seed0_azure_zh_tw(void **state) {
    (void)state;
    dr_doc *d = load("corpus/azure/cancel-subscription.zh-tw.md");
    assert_string_equal(dr_doc_title(d), "取消 Azure 訂用帳戶");
    assert_string_equal(dr_doc_date(d), "2017-02-03");
    assert_string_equal(dr_doc_date_from(d), "ms.date");
    assert_string_equal(dr_doc_asset(d), "3051d6b0-179f-4e3a-bda4-3fee7135eac5");
    assert_string_equal(dr_doc_locale(d), "zh-tw");
    static const sec_exp secs[] = {
        {1, "cancel-your-azure-subscription", 24, 0, {0}},
        {2, "cancel-subscription-via-the-azure-portal", 35, 4, {36, 43, 47, 50}},
        {2, "cancel-subscription-via-the-azure-account-center", 57, 5, {58, 59, 62, 65, 68}},
        {2, "reactivate-subscription", 72, 0, {0}},
        {2, "need-help-contact-support", 75, 0, {0}},
    };
    check_sections(d, secs, 5);
    static const int bullets[] = {29, 30, 31};
    unit_lines(d, DR_UNIT_BULLET, bullets, 3);
    /* One note inside portal step 1, one after the steps: each at the line
     * of its words, under its marker. */
    static const int notes[] = {39, 53};
    unit_lines(d, DR_UNIT_NOTE, notes, 2);
    const dr_unit *n0 = nth_unit(d, DR_UNIT_NOTE, 0), *n1 = nth_unit(d, DR_UNIT_NOTE, 1);
    assert_ptr_equal(nth_unit(d, DR_UNIT_STEP, 0), &dr_doc_units(d, &(size_t){0})[n0->parent]);
    assert_int_equal(n1->parent, -1);
    assert_non_null(strstr(n1->text, "10 分鐘"));
    assert_non_null(strstr(nth_unit(d, DR_UNIT_PARAGRAPH, 2)->text, "6 個月"));
    size_t n;
    const dr_link *l = dr_doc_links(d, &n);
    assert_int_equal(n, 9);
    assert_string_equal(l[4].href, "billing-subscription-transfer.md#faq");
    assert_int_equal(l[4].line, 39);
    const dr_image *im = dr_doc_images(d, &n);
    assert_int_equal(n, 6);
    assert_int_equal(im[0].line, 45);
    assert_int_equal(im[5].line, 68);
    dr_doc_free(d);
}

static void seed1_azure_fr_fr_legacy(void **state) {
    (void)state;
    dr_doc *d = load("corpus/azure/cancel-subscription.fr-fr.md");
    assert_int_equal(dr_doc_front_matter_style(d), DR_FM_LEGACY);
    assert_string_equal(dr_doc_title(d), "Annuler votre abonnement Azure");
    assert_string_equal(dr_doc_date(d), "2016-09-26");
    assert_null(dr_doc_asset(d));
    assert_string_equal(dr_doc_locale(d), "fr-fr");
    assert_string_equal(dr_doc_meta(d, "ms.author"), "genli");
    assert_int_equal(dr_doc_meta_line(d, "ms.date"), 18);
    static const sec_exp secs[] = {
        {1, "cancel-your-azure-subscription", 21, 0, {0}},
        {2, "cancel-subscription", 33, 5, {35, 37, 41, 45, 49}},
        {2, "reactivate-subscription", 53, 0, {0}},
        {2, "need-help-contact-support", 57, 0, {0}},
    };
    check_sections(d, secs, 4);
    static const int bullets[] = {27, 29};
    unit_lines(d, DR_UNIT_BULLET, bullets, 2);
    assert_int_equal(count_units(d, DR_UNIT_NOTE), 0);
    size_t n, nu;
    const dr_image *im = dr_doc_images(d, &n);
    const dr_unit *u = dr_doc_units(d, &nu);
    assert_int_equal(n, 4);
    /* Each screenshot is nested under steps 2, 3, 4 and 5. */
    for (size_t i = 0; i < 4; i++) assert_int_equal(u[im[i].step].n, (int)i + 2);
    const dr_unit *p = nth_unit(d, DR_UNIT_PARAGRAPH, 3);
    assert_int_equal(p->line, 51);
    assert_non_null(strstr(p->text, "90 jours"));
    dr_doc_free(d);
}

static void seed2_office365_bilingual(void **state) {
    (void)state;
    dr_doc *d = load("corpus/office365/cancel-subscription.zh-tw.md");
    assert_string_equal(dr_doc_title(d), "取消 Office 365 訂閱？");
    assert_string_equal(dr_doc_date(d), "2020-04-18");
    assert_string_equal(dr_doc_date_from(d), "ms.lasthandoff");
    assert_string_equal(dr_doc_locale(d), "zh-tw");
    assert_string_equal(dr_doc_locale_from(d), "ms.contentlocale");
    assert_string_equal(dr_doc_asset(d), "e0ba53f0-3b0a-4082-a42f-40f2b45ad91a");
    static const sec_exp secs[] = {{1, "canceling-your-office-365-subscription", 22, 0, {0}}};
    check_sections(d, secs, 1);
    size_t n;
    assert_string_equal(dr_doc_sections(d, &n)[0].source_title,
                        "Canceling your Office 365 subscription?");
    static const int bullets[] = {26, 28, 30};
    unit_lines(d, DR_UNIT_BULLET, bullets, 3);
    static const int paras[] = {24, 32, 34, 36};
    unit_lines(d, DR_UNIT_PARAGRAPH, paras, 4);
    const dr_unit *b = nth_unit(d, DR_UNIT_BULLET, 1);
    assert_string_equal(b->source_text,
                        "If you have fewer than 25 assigned licenses, you can cancel your "
                        "subscription online. Go to the Billing > Products & services page. In "
                        "the Settings & Actions section, choose Cancel subscription.");
    assert_non_null(strstr(b->text, "不足25個"));
    assert_string_equal(nth_unit(d, DR_UNIT_PARAGRAPH, 1)->source_text,
                        "Refund: Any prorated credit will be returned to you within the next "
                        "billing cycle.");
    const dr_segment *g = dr_doc_segments(d, &n);
    assert_int_equal(n, 11);
    for (size_t i = 0; i < n; i++) {
        char id[32];
        snprintf(id, sizeof id, "a4cab-%zu", 102 + i);
        assert_string_equal(g[i].id, id);
        assert_non_null(g[i].target);
        assert_non_null(g[i].source);
    }
    const dr_link *l = dr_doc_links(d, &n);
    assert_int_equal(n, 2);
    assert_int_equal(l[0].line, 28);
    assert_int_equal(l[1].line, 36);
    dr_doc_free(d);
}

static void seed3_azure_nl_nl_mt(void **state) {
    (void)state;
    dr_doc *d = load("corpus/azure/cancel-subscription.nl-nl.md");
    assert_string_equal(dr_doc_title(d), "aaaCancel uw Azure-abonnement");
    assert_string_equal(dr_doc_date(d), "2017-06-27");
    assert_string_equal(dr_doc_locale(d), "nl-nl");
    assert_string_equal(dr_doc_asset(d), "3051d6b0-179f-4e3a-bda4-3fee7135eac5");
    static const sec_exp secs[] = {
        {1, "cancel-your-subscription-for-azure", 24, 0, {0}},
        {2, "cancel-subscription-using-hello-azure-portal", 36, 3, {38, 40, 44}},
        {2, "cancel-subscription-using-hello-azure-account-center", 46, 5, {48, 50, 54, 58, 62}},
        {2, "what-happens-after-i-cancel-my-subscription", 64, 0, {0}},
        {2, "reactivate-subscription", 74, 0, {0}},
        {2, "need-help-contact-support", 80, 0, {0}},
    };
    check_sections(d, secs, 6);
    static const int bullets[] = {30, 31, 32};
    unit_lines(d, DR_UNIT_BULLET, bullets, 3);
    size_t n;
    dr_doc_images(d, &n);
    assert_int_equal(n, 5);
    /* The MT damage is kept as written: validation reports it. */
    assert_non_null(strstr(nth_unit(d, DR_UNIT_STEP, 1)->text, "toocancel"));
    dr_doc_free(d);
}

static void seed4_close_account(void **state) {
    (void)state;
    dr_doc *d = load("corpus/microsoft365/close-account.zh-tw.md");
    assert_string_equal(dr_doc_title(d), "關閉您的帳戶");
    assert_string_equal(dr_doc_date(d), "2021-04-16");
    assert_string_equal(dr_doc_date_from(d), "ms.lasthandoff");
    assert_null(dr_doc_asset(d));
    static const sec_exp secs[] = {
        {1, "close-your-account", 27, 0, {0}},
        {2, "before-you-begin", 31, 0, {0}},
        {2, "step-1-delete-users", 37, 0, {0}},
        {2, "step-2-cancel-all-active-subscriptions", 49, 5, {51, 52, 53, 54, 55}},
        {2, "step-3-delete-all-disabled-subscriptions", 57, 6, {59, 60, 61, 62, 63, 64}},
        {2, "step-4-disable-multi-factor-authentication", 69, 4, {71, 72, 73, 74}},
        {2, "step-5-delete-the-directory-in-azure-active-directory", 78, 5, {80, 81, 82, 83, 84}},
    };
    check_sections(d, secs, 7);
    static const int notes[] = {67}; /* its words, under "> [!NOTE]" */
    unit_lines(d, DR_UNIT_NOTE, notes, 1);
    assert_string_equal(nth_unit(d, DR_UNIT_NOTE, 0)->text, "如果您無法立即刪除停用的訂閱， 請聯繫支援人員");
    /* Markdown links on 35 and 71, HTML links on 43 45 47 51 59 67 72 76 80. */
    static const int link_lines[] = {35, 43, 45, 47, 51, 59, 67, 71, 72, 76, 80};
    size_t n;
    const dr_link *l = dr_doc_links(d, &n);
    assert_int_equal(n, 11);
    for (size_t i = 0; i < n; i++) assert_int_equal(l[i].line, link_lines[i]);
    assert_int_equal(l[0].from_html, 0);
    assert_int_equal(l[1].from_html, 1);
    assert_string_equal(l[8].href, "https://go.microsoft.com/fwlink/p/?linkid=834822");
    dr_doc_free(d);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(seed0_azure_zh_tw),
        cmocka_unit_test(seed1_azure_fr_fr_legacy),
        cmocka_unit_test(seed2_office365_bilingual),
        cmocka_unit_test(seed3_azure_nl_nl_mt),
        cmocka_unit_test(seed4_close_account),
    };
    return cmocka_run_group_tests_name("seeds", tests, NULL, NULL);
}
