/* Text as a JSON string, whatever its bytes: what the outputs built with
 * jansson (a batch line's error, validate's reports, the log's entries)
 * carry of text that came from outside and may not be UTF-8. */
#ifndef DR_JSONTEXT_H
#define DR_JSONTEXT_H

#include <jansson.h>
#include <stddef.h>

/* s (n bytes) as a JSON string; a byte that starts no valid UTF-8
 * sequence becomes U+FFFD (dr_utf8_repair), so the rest is still read.
 * NUL is kept (JSON writes it \u0000). Allocation failures end the
 * process (dr_oom), as every allocation of the command's does. */
json_t *dr_json_text(const char *s, size_t n);

#endif
