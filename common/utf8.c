#include "utf8.h"

int dr_utf8_printable(const char *s, size_t n) {
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        if (i + DR_ASCII_STEP <= n) {
            size_t k = dr_ascii_prefix(u + i, 0, 0);
            i += k;
            if (k) continue;
        }
        if (u[i] < 0x20) return 0;
        size_t k = dr_utf8_seq(u + i, n - i);
        if (!k) return 0;
        i += k;
    }
    return 1;
}

int dr_utf8_valid(const char *s, size_t n) {
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        if (u[i] < 0x80) {
            i++;
            continue;
        }
        size_t k = dr_utf8_seq(u + i, n - i);
        if (!k) return 0;
        i += k;
    }
    return 1;
}

size_t dr_utf8_repair(char *out, const char *s, size_t n, int nul) {
    const unsigned char *u = (const unsigned char *)s;
    char *o = out;
    for (size_t i = 0; i < n;) {
        size_t k = u[i] || !nul ? dr_utf8_seq(u + i, n - i) : 0;
        if (k) {
            memcpy(o, s + i, k);
            o += k;
            i += k;
        } else {
            memcpy(o, "\xEF\xBF\xBD", 3);
            o += 3;
            i++;
        }
    }
    *o = '\0';
    return (size_t)(o - out);
}

void dr_utf8_place(const char *text, size_t len, size_t at, int *line, int *col) {
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < at && i < len; i++) {
        /* A line ends at LF, CRLF or a CR alone (JSON takes each as
         * whitespace; an editor saving old Mac line ends writes CRs): as
         * YAML headers' places are counted (common/yaml_text.c). */
        if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= len || text[i + 1] != '\n'))) {
            (*line)++;
            *col = 1;
        } else if (text[i] == '\r') {
            continue; /* the CR of a CRLF: the LF ends the line */
        } else if (((unsigned char)text[i] & 0xC0) != 0x80) {
            (*col)++;
        }
    }
}
