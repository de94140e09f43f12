/* YAML front matter: the input between --- lines, then a body. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../parsers/doc.h"

static dr_parser *p;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!p) p = dr_parser_new(NULL);
    char *buf = malloc(size + 32);
    memcpy(buf, "---\n", 4);
    memcpy(buf + 4, data, size);
    memcpy(buf + 4 + size, "\n---\n# H\n", 9);
    dr_doc *d;
    if (dr_doc_parse(p, "fuzz.md", buf, size + 13, &d, NULL) == DR_OK) {
        (void)dr_doc_date(d);
        (void)dr_doc_title(d);
        dr_doc_free(d);
    }
    free(buf);
    return 0;
}
