/* UTF-8 as RFC 3629 defines it: no overlongs, no surrogates, nothing above
 * U+10FFFF. Docs, accounts and decisions all check against the same rule. */
#ifndef DR_UTF8_H
#define DR_UTF8_H

#include <stddef.h>

/* Length of the valid sequence at s (1-4), or 0 when it is invalid. */
size_t dr_utf8_seq(const unsigned char *s, size_t n);
/* Whether the 8 bytes at p are all printable ASCII (0x20-0x7F). */
int dr_ascii_printable8(const unsigned char *p);
/* Whether s is valid UTF-8 (control characters and NUL are). */
int dr_utf8_valid(const char *s, size_t n);
/* Whether s is valid UTF-8 with no byte below 0x20 (JSON text in one line
 * never needs one outside an escape). */
int dr_utf8_printable(const char *s, size_t n);

#endif
