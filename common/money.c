#include "money.h"
#include "error.h"

#include <stdio.h>
#include <string.h>

/* ISO 4217 codes in use, with their minor-unit exponents. The common two-
 * decimal ones are listed so that an unknown code is an error, not a guess. */
static const struct {
    const char code[4];
    int exp;
} currencies[] = {
    {"AED", 2}, {"ARS", 2}, {"AUD", 2}, {"BHD", 3}, {"BRL", 2}, {"CAD", 2}, {"CHF", 2},
    {"CLP", 0}, {"CNY", 2}, {"COP", 2}, {"CZK", 2}, {"DKK", 2}, {"EGP", 2}, {"EUR", 2},
    {"GBP", 2}, {"HKD", 2}, {"HUF", 2}, {"IDR", 2}, {"ILS", 2}, {"INR", 2}, {"IQD", 3},
    {"ISK", 0}, {"JOD", 3}, {"JPY", 0}, {"KRW", 0}, {"KWD", 3}, {"LYD", 3}, {"MXN", 2},
    {"MYR", 2}, {"NOK", 2}, {"NZD", 2}, {"OMR", 3}, {"PHP", 2}, {"PKR", 2}, {"PLN", 2},
    {"QAR", 2}, {"RON", 2}, {"RUB", 2}, {"SAR", 2}, {"SEK", 2}, {"SGD", 2}, {"THB", 2},
    {"TND", 3}, {"TRY", 2}, {"TWD", 2}, {"UAH", 2}, {"UGX", 0}, {"USD", 2}, {"VND", 0},
    {"XAF", 0}, {"XOF", 0}, {"ZAR", 2},
};

/* By halves: the list is in code order, and a decision with money asks
 * for its currency's exponent several times (reading, the compute, the
 * output check). */
int dr_currency_exponent(const char *code) {
    if (!code || strlen(code) != 3) return -1;
    size_t lo = 0, hi = sizeof currencies / sizeof *currencies;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = memcmp(currencies[mid].code, code, 3);
        if (c == 0) return currencies[mid].exp;
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return -1;
}

int dr_money_parse(const char *s, const char *currency, int64_t *minor, const char **why) {
    int exp = dr_currency_exponent(currency);
    if (exp < 0) {
        *why = "unknown currency (want an ISO 4217 code such as USD, EUR, JPY)";
        return DR_EPARSE;
    }
    const char *p = s;
    int neg = 0;
    if (*p == '-') {
        neg = 1;
        p++;
    }
    int64_t v = 0;
    int digits = 0, decimals = -1;
    for (; *p; p++) {
        if (*p >= '0' && *p <= '9') {
            if (decimals >= exp && exp >= 0 && decimals >= 0) {
                /* a digit past the currency's decimals: said as that, not
                 * as an amount too large ("1.0000000000000000000001") */
                *why = exp ? "more decimals than the currency has" : "this currency has no decimals";
                return DR_EPARSE;
            }
            if (v > (INT64_MAX - 9) / 10) {
                *why = "amount is too large";
                return DR_EPARSE;
            }
            v = v * 10 + (*p - '0');
            digits++;
            if (decimals >= 0) decimals++;
        } else if (*p == '.' && decimals < 0) {
            decimals = 0;
        } else {
            *why = "not a decimal amount (digits, at most one '.', no exponent)";
            return DR_EPARSE;
        }
    }
    if (!digits || decimals == 0) {
        *why = "not a decimal amount (digits, at most one '.', no exponent)";
        return DR_EPARSE;
    }
    if (decimals < 0) decimals = 0;
    if (decimals > exp) {
        *why = exp ? "more decimals than the currency has" : "this currency has no decimals";
        return DR_EPARSE;
    }
    for (int i = decimals; i < exp; i++) {
        if (v > INT64_MAX / 10) {
            *why = "amount is too large";
            return DR_EPARSE;
        }
        v *= 10;
    }
    *minor = neg ? -v : v;
    return DR_OK;
}

/* As snprintf's "%s%llu.%0*llu" would write it (cut to size the same
 * way), without the format's parse: a compute formats its amounts on every
 * decision. */
void dr_money_format(int64_t minor, const char *currency, char *out, size_t size) {
    int exp = dr_currency_exponent(currency);
    if (exp < 0) exp = 2; /* exponents are 0, 2 or 3 */
    uint64_t a = minor < 0 ? (uint64_t)0 - (uint64_t)minor : (uint64_t)minor;
    char d[32];
    size_t i = sizeof d;
    for (int k = 0; k < exp; k++) {
        d[--i] = (char)('0' + a % 10);
        a /= 10;
    }
    if (exp) d[--i] = '.';
    do {
        d[--i] = (char)('0' + a % 10);
        a /= 10;
    } while (a);
    if (minor < 0) d[--i] = '-';
    if (!size) return;
    size_t n = sizeof d - i;
    if (n > size - 1) n = size - 1;
    memcpy(out, d + i, n);
    out[n] = '\0';
}

int dr_money_negative(const char *s, int64_t minor) { return minor < 0 || s[0] == '-'; }

int dr_money_scale(int64_t amount, int64_t num, int64_t den, int64_t *out) {
    if (den <= 0 || num < 0) return DR_EUSAGE;
    __int128 p = (__int128)amount * num;
    __int128 q = p / den, r = p % den;
    /* half-up: away from zero at exactly one half */
    if (r < 0) r = -r;
    if (2 * r >= den) q += p < 0 ? -1 : 1;
    if (q > INT64_MAX || q < INT64_MIN) return DR_ELIMIT;
    *out = (int64_t)q;
    return DR_OK;
}
