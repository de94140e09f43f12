/* Money in integer minor units and calendar dates, as the contract says. */
#include <limits.h>

#include "testutil.h"

#include "../common/dates.h"
#include "../common/money.h"
#include "../common/error.h"

static long D(const char *s) {
    long d;
    assert_int_equal(dr_date_from_iso(s, &d), DR_OK);
    return d;
}

static const char *iso(long d) {
    static char b[11];
    dr_date_to_iso(d, b);
    return b;
}

static void dates_parse_only_real_days(void **state) {
    (void)state;
    long d;
    assert_int_equal(dr_date_from_iso("2024-02-29", &d), DR_OK);
    assert_int_not_equal(dr_date_from_iso("2023-02-29", &d), DR_OK);
    assert_int_not_equal(dr_date_from_iso("2017-02-30", &d), DR_OK);
    assert_int_not_equal(dr_date_from_iso("2017-13-01", &d), DR_OK);
    assert_int_not_equal(dr_date_from_iso("2017-1-01", &d), DR_OK);
    assert_int_not_equal(dr_date_from_iso("2017-01-01T00:00", &d), DR_OK);
    assert_int_equal(D("1970-01-01"), 0);
    /* The range four digits can write, and no further (no wrapped year). */
    assert_int_equal(D("0001-01-01"), DR_DAY_FIRST);
    assert_int_equal(D("9999-12-31"), DR_DAY_LAST);
    char b[11];
    assert_int_equal(dr_date_to_iso(DR_DAY_LAST, b), DR_OK);
    assert_string_equal(b, "9999-12-31");
    assert_int_equal(dr_date_to_iso(DR_DAY_FIRST, b), DR_OK);
    assert_string_equal(b, "0001-01-01");
    assert_int_not_equal(dr_date_to_iso(DR_DAY_LAST + 90, b), DR_OK);
    assert_string_equal(b, "");
    assert_int_not_equal(dr_date_to_iso(DR_DAY_FIRST - 1, b), DR_OK);
    assert_int_not_equal(dr_date_to_iso(LONG_MAX, b), DR_OK);
    assert_int_equal(D("2021-01-01") - D("2020-01-01"), 366);
    assert_string_equal(iso(D("2000-02-29") + 1), "2000-03-01");
}

static void add_months_clamps_to_month_end(void **state) {
    (void)state;
    assert_string_equal(iso(dr_date_add_months(D("2017-01-31"), 1)), "2017-02-28");
    assert_string_equal(iso(dr_date_add_months(D("2020-01-31"), 1)), "2020-02-29");
    assert_string_equal(iso(dr_date_add_months(D("2017-01-31"), 2)), "2017-03-31");
    assert_string_equal(iso(dr_date_add_months(D("2017-08-31"), 6)), "2018-02-28");
    assert_string_equal(iso(dr_date_add_months(D("2017-01-15"), 6)), "2017-07-15");
    assert_string_equal(iso(dr_date_add_months(D("2017-03-31"), -1)), "2017-02-28");
}

static void money_parse_and_reject(void **state) {
    (void)state;
    int64_t v;
    const char *why;
    assert_int_equal(dr_money_parse("1200.00", "USD", &v, &why), DR_OK);
    assert_int_equal(v, 120000);
    assert_int_equal(dr_money_parse("12.5", "EUR", &v, &why), DR_OK);
    assert_int_equal(v, 1250);
    assert_int_equal(dr_money_parse("12000", "JPY", &v, &why), DR_OK);
    assert_int_equal(v, 12000);
    assert_int_equal(dr_money_parse("1.234", "BHD", &v, &why), DR_OK);
    assert_int_equal(v, 1234);
    assert_int_not_equal(dr_money_parse("12.3.4", "USD", &v, &why), DR_OK);
    assert_int_not_equal(dr_money_parse("1e9", "USD", &v, &why), DR_OK);
    assert_int_not_equal(dr_money_parse("12.345", "USD", &v, &why), DR_OK);
    assert_int_not_equal(dr_money_parse("12.5", "JPY", &v, &why), DR_OK);
    assert_int_not_equal(dr_money_parse("", "USD", &v, &why), DR_OK);
    assert_int_not_equal(dr_money_parse("12.", "USD", &v, &why), DR_OK);
    assert_int_not_equal(dr_money_parse("1,200.00", "USD", &v, &why), DR_OK);
    assert_int_not_equal(dr_money_parse("99999999999999999999", "USD", &v, &why), DR_OK);
    assert_int_not_equal(dr_money_parse("10.00", "XYZ", &v, &why), DR_OK);
    assert_non_null(strstr(why, "currency"));
}

static void money_format_by_exponent(void **state) {
    (void)state;
    char b[64];
    dr_money_format(83934, "USD", b, sizeof b);
    assert_string_equal(b, "839.34");
    dr_money_format(5, "USD", b, sizeof b);
    assert_string_equal(b, "0.05");
    dr_money_format(5984, "JPY", b, sizeof b);
    assert_string_equal(b, "5984");
    dr_money_format(1234, "KWD", b, sizeof b);
    assert_string_equal(b, "1.234");
    dr_money_format(-150, "EUR", b, sizeof b);
    assert_string_equal(b, "-1.50");
}

static void scale_rounds_half_up_once(void **state) {
    (void)state;
    int64_t v;
    assert_int_equal(dr_money_scale(120000, 256, 366, &v), DR_OK);
    assert_int_equal(v, 83934);  /* 83934.426 */
    assert_int_equal(dr_money_scale(5, 1, 2, &v), DR_OK);
    assert_int_equal(v, 3);      /* 2.5 -> 3 */
    assert_int_equal(dr_money_scale(12000, 182, 365, &v), DR_OK);
    assert_int_equal(v, 5984);   /* 5983.56 */
    assert_int_equal(dr_money_scale(INT64_MAX / 2, 3, 4, &v), DR_OK);
    assert_int_not_equal(dr_money_scale(100, 1, 0, &v), DR_OK);
}

/* From a mutation run over common/money.c and common/dates.c: each
 * assertion below fails under a change the other tests let pass. */
static void money_signs_limits_and_table(void **state) {
    (void)state;
    int64_t v;
    const char *why;
    assert_int_equal(dr_money_parse("-1.50", "USD", &v, &why), DR_OK);
    assert_int_equal(v, -150);
    assert_int_not_equal(dr_money_parse("+1", "USD", &v, &why), DR_OK);
    assert_int_not_equal(dr_money_parse("12,50", "EUR", &v, &why), DR_OK);
    assert_int_not_equal(dr_money_parse("10", "XYZ", &v, &why), DR_OK);
    assert_non_null(strstr(why, "unknown currency"));
    assert_int_not_equal(dr_money_parse("1.5", "JPY", &v, &why), DR_OK);
    assert_string_equal(why, "this currency has no decimals");
    assert_int_not_equal(dr_money_parse("1.5", "CLP", &v, &why), DR_OK);
    /* The largest value, and one more digit of overflow on its own. */
    assert_int_equal(dr_money_parse("9223372036854775799", "JPY", &v, &why), DR_OK);
    assert_true(v == INT64_C(9223372036854775799));
    assert_int_not_equal(dr_money_parse("9223372036854775809", "JPY", &v, &why), DR_OK);
    assert_string_equal(why, "amount is too large");
    assert_int_not_equal(dr_money_parse("100000000000000000", "USD", &v, &why), DR_OK);
    assert_string_equal(why, "amount is too large");
    /* Decimals past the currency's are said as that, however many. */
    assert_int_not_equal(dr_money_parse("1.0000000000000000000000000001", "USD", &v, &why), DR_OK);
    assert_string_equal(why, "more decimals than the currency has");
    /* Every code and its exponent, as ISO 4217 has them. */
    static const struct {
        const char *code;
        int exp;
    } iso[] = {{"AED", 2}, {"ARS", 2}, {"AUD", 2}, {"BHD", 3}, {"BRL", 2}, {"CAD", 2}, {"CHF", 2}, {"CLP", 0},
               {"CNY", 2}, {"COP", 2}, {"CZK", 2}, {"DKK", 2}, {"EGP", 2}, {"EUR", 2}, {"GBP", 2}, {"HKD", 2},
               {"HUF", 2}, {"IDR", 2}, {"ILS", 2}, {"INR", 2}, {"IQD", 3}, {"ISK", 0}, {"JOD", 3}, {"JPY", 0},
               {"KRW", 0}, {"KWD", 3}, {"LYD", 3}, {"MXN", 2}, {"MYR", 2}, {"NOK", 2}, {"NZD", 2}, {"OMR", 3},
               {"PHP", 2}, {"PKR", 2}, {"PLN", 2}, {"QAR", 2}, {"RON", 2}, {"RUB", 2}, {"SAR", 2}, {"SEK", 2},
               {"SGD", 2}, {"THB", 2}, {"TND", 3}, {"TRY", 2}, {"TWD", 2}, {"UAH", 2}, {"UGX", 0}, {"USD", 2},
               {"VND", 0}, {"XAF", 0}, {"XOF", 0}, {"ZAR", 2}};
    for (size_t i = 0; i < sizeof iso / sizeof *iso; i++)
        if (dr_currency_exponent(iso[i].code) != iso[i].exp)
            fail_msg("%s: exponent %d, not %d", iso[i].code, dr_currency_exponent(iso[i].code), iso[i].exp);
    assert_int_equal(dr_currency_exponent("USDX"), -1);
    assert_int_equal(dr_currency_exponent("USX"), -1);
    assert_int_equal(dr_currency_exponent(NULL), -1);
    char b[64];
    dr_money_format(-1500, "KWD", b, sizeof b);
    assert_string_equal(b, "-1.500");
    dr_money_format(-5984, "JPY", b, sizeof b);
    assert_string_equal(b, "-5984");
    dr_money_format(1005, "KWD", b, sizeof b);
    assert_string_equal(b, "1.005");
    dr_money_format(150, "XYZ", b, sizeof b);
    assert_string_equal(b, "1.50");
    /* Scaling: half away from zero for negatives too; overflow either way. */
    assert_int_not_equal(dr_money_scale(100, -1, 2, &v), DR_OK);
    assert_int_equal(dr_money_scale(-5, 1, 2, &v), DR_OK);
    assert_int_equal(v, -3);
    assert_int_equal(dr_money_scale(-7, 1, 2, &v), DR_OK);
    assert_int_equal(v, -4);
    assert_int_not_equal(dr_money_scale(INT64_MAX, 2, 1, &v), DR_OK);
    assert_int_not_equal(dr_money_scale(INT64_MIN, 2, 1, &v), DR_OK);
    assert_int_equal(dr_money_scale(INT64_MAX, 1, 1, &v), DR_OK);
    assert_true(v == INT64_MAX);
    assert_int_equal(dr_money_scale(INT64_MAX / 2, 3, 4, &v), DR_OK);
    assert_true(v == INT64_C(3458764513820540927));
}

static void dates_every_month_and_edge(void **state) {
    (void)state;
    long d;
    static const int last[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    for (int m = 1; m <= 12; m++) {
        char s[48];
        snprintf(s, sizeof s, "2017-%02d-%02d", m, last[m - 1]);
        if (dr_date_from_iso(s, &d) != DR_OK) fail_msg("%s refused", s);
        snprintf(s, sizeof s, "2017-%02d-%02d", m, last[m - 1] + 1);
        if (dr_date_from_iso(s, &d) == DR_OK) fail_msg("%s accepted", s);
    }
    assert_int_not_equal(dr_date_from_iso("1900-02-29", &d), DR_OK);
    assert_int_not_equal(dr_date_from_iso("2100-02-29", &d), DR_OK);
    assert_int_equal(dr_date_from_iso("2000-02-29", &d), DR_OK);
    assert_int_not_equal(dr_date_from_iso("0000-01-01", &d), DR_OK);
    assert_int_not_equal(dr_date_from_iso("2017-01-00", &d), DR_OK);
    assert_int_not_equal(dr_date_from_iso("2017-00-01", &d), DR_OK);
    assert_int_not_equal(dr_date_from_iso("2017/01/01", &d), DR_OK);
    assert_int_not_equal(dr_date_from_iso("201/-01-01", &d), DR_OK);
    assert_int_not_equal(dr_date_from_iso("20a7-01-01", &d), DR_OK);
    assert_int_not_equal(dr_date_from_iso("2017-0:-01", &d), DR_OK);
    assert_string_equal(iso(D("0999-12-31")), "0999-12-31");
    assert_string_equal(iso(D("0001-01-01")), "0001-01-01");
    assert_string_equal(iso(D("2017-10-01")), "2017-10-01");
    /* Before the first day: no date, not year 0000, which nothing reads. */
    assert_int_not_equal(dr_date_to_iso(dr_date_add_months(D("0001-01-01"), -13), (char[11]){0}), DR_OK);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dates_parse_only_real_days),
        cmocka_unit_test(add_months_clamps_to_month_end),
        cmocka_unit_test(money_parse_and_reject),
        cmocka_unit_test(money_format_by_exponent),
        cmocka_unit_test(scale_rounds_half_up_once),
        cmocka_unit_test(money_signs_limits_and_table),
        cmocka_unit_test(dates_every_month_and_edge),
    };
    return cmocka_run_group_tests_name("money-dates", tests, NULL, NULL);
}
