/* The legacy <properties .../> <tags .../> header. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../parsers/doc.h"

static dr_parser *p;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!p) p = dr_parser_new(NULL);
    char *buf = malloc(size + 32);
    memcpy(buf, "<properties ", 12);
    memcpy(buf + 12, data, size);
    memcpy(buf + 12 + size, "\n# H\n", 5);
    dr_doc *d;
    if (dr_doc_parse(p, "fuzz.md", buf, size + 17, &d, NULL) == DR_OK) {
        (void)dr_doc_meta(d, "ms.date");
        dr_doc_free(d);
    }
    free(buf);
    return 0;
}
