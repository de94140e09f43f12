/* Money in integer minor units and calendar dates, as the contract says. */
#include "testutil.h"

#include "../common/dates.h"
#include "../common/money.h"

static long D(const char *s) {
    long d;
    assert_true(dr_date_from_iso(s, &d));
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
    assert_true(dr_date_from_iso("2024-02-29", &d));
    assert_false(dr_date_from_iso("2023-02-29", &d));
    assert_false(dr_date_from_iso("2017-02-30", &d));
    assert_false(dr_date_from_iso("2017-13-01", &d));
    assert_false(dr_date_from_iso("2017-1-01", &d));
    assert_false(dr_date_from_iso("2017-01-01T00:00", &d));
    assert_int_equal(D("1970-01-01"), 0);
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
    assert_true(dr_money_parse("1200.00", "USD", &v, &why));
    assert_int_equal(v, 120000);
    assert_true(dr_money_parse("12.5", "EUR", &v, &why));
    assert_int_equal(v, 1250);
    assert_true(dr_money_parse("12000", "JPY", &v, &why));
    assert_int_equal(v, 12000);
    assert_true(dr_money_parse("1.234", "BHD", &v, &why));
    assert_int_equal(v, 1234);
    assert_false(dr_money_parse("12.3.4", "USD", &v, &why));
    assert_false(dr_money_parse("1e9", "USD", &v, &why));
    assert_false(dr_money_parse("12.345", "USD", &v, &why));
    assert_false(dr_money_parse("12.5", "JPY", &v, &why));
    assert_false(dr_money_parse("", "USD", &v, &why));
    assert_false(dr_money_parse("12.", "USD", &v, &why));
    assert_false(dr_money_parse("1,200.00", "USD", &v, &why));
    assert_false(dr_money_parse("99999999999999999999", "USD", &v, &why));
    assert_false(dr_money_parse("10.00", "XYZ", &v, &why));
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
    assert_true(dr_money_scale(120000, 256, 366, &v));
    assert_int_equal(v, 83934);  /* 83934.426 */
    assert_true(dr_money_scale(5, 1, 2, &v));
    assert_int_equal(v, 3);      /* 2.5 -> 3 */
    assert_true(dr_money_scale(12000, 182, 365, &v));
    assert_int_equal(v, 5984);   /* 5983.56 */
    assert_true(dr_money_scale(INT64_MAX / 2, 3, 4, &v));
    assert_false(dr_money_scale(100, 1, 0, &v));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dates_parse_only_real_days),
        cmocka_unit_test(add_months_clamps_to_month_end),
        cmocka_unit_test(money_parse_and_reject),
        cmocka_unit_test(money_format_by_exponent),
        cmocka_unit_test(scale_rounds_half_up_once),
    };
    return cmocka_run_group_tests_name("money-dates", tests, NULL, NULL);
}
