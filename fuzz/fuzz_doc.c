/* A whole document through the model and its JSON. */
#include <stdint.h>
#include <stdlib.h>

#include "../parsers/doc.h"
#include "../parsers/doc_json.h"

static dr_parser *p;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!p) p = dr_parser_new(NULL);
    dr_doc *d;
    if (dr_doc_parse(p, "fuzz/x.zh-tw.md", (const char *)data, size, &d, NULL) == DR_OK) {
        json_t *j = dr_doc_to_json(d);
        char *s = json_dumps(j, JSON_COMPACT);
        if (!s) abort(); /* the model must always be valid JSON */
        free(s);
        json_decref(j);
        dr_doc_free(d);
    }
    return 0;
}
