/* HTML fragments with bilingual spans, in a heading, a step, a bullet, a
 * note and a paragraph. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../parsers/doc.h"

static dr_parser *p;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!p) p = dr_parser_new(NULL);
    static const char *const pre[] = {"# ", "1. ", "- ", "> [!NOTE]\n> ", "", "<div>"};
    size_t cap = size * 6 + 256, n = 0;
    char *buf = malloc(cap);
    for (size_t i = 0; i < sizeof pre / sizeof *pre; i++) {
        size_t k = strlen(pre[i]);
        memcpy(buf + n, pre[i], k);
        n += k;
        /* One line each: a newline in the input would leave the block. */
        for (size_t j = 0; j < size; j++) buf[n++] = data[j] == '\n' ? ' ' : (char)data[j];
        buf[n++] = '\n';
        buf[n++] = '\n';
    }
    dr_doc *d;
    if (dr_doc_parse(p, "fuzz.zh-tw.md", buf, n, &d, NULL) == DR_OK) {
        size_t ns;
        dr_doc_segments(d, &ns);
        dr_doc_free(d);
    }
    free(buf);
    return 0;
}
