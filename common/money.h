/* Money as integer minor units of an ISO 4217 currency: no floating point
 * anywhere, rounding half-up once, at the end. */
#ifndef DR_MONEY_H
#define DR_MONEY_H

#include <stddef.h>
#include <stdint.h>

/* Digits after the point for a currency code (USD 2, JPY 0, BHD 3), or -1
 * when the code is not one we know. */
int dr_currency_exponent(const char *code);
/* "1200.00" in USD -> 120000. Accepts an optional '-', digits, and at most
 * the currency's number of decimals ("12.5" is fine in USD, "12.345" not).
 * No exponents, no thousands separators. DR_OK, or DR_EPARSE with why in
 * *why. */
int dr_money_parse(const char *s, const char *currency, int64_t *minor, const char **why);
/* Whether s, parsed to minor, is negative: "-0.00" is, since a reader
 * shows the sign. An account's amount and a decision's are never. */
int dr_money_negative(const char *s, int64_t minor);
/* minor units -> "1200.00" */
void dr_money_format(int64_t minor, const char *currency, char *out, size_t size);
/* round_half_up(amount * num / den) without overflow for realistic values;
 * DR_OK; DR_EUSAGE when den is not positive or num negative, DR_ELIMIT when
 * the result would not fit. */
int dr_money_scale(int64_t amount, int64_t num, int64_t den, int64_t *out);

#endif
