/* A rule script's pattern set: the input, split on newlines, as the PCRE2
 * patterns of a fact, compiled and run over the seeds. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../facts/facts.h"

static dr_doc *docs[2];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!docs[0]) {
        dr_parser *p = dr_parser_new(NULL);
        dr_error err;
        if (dr_doc_load(p, DR_TOP "/corpus/office365/cancel-subscription.zh-tw.md", &docs[0], &err) ||
            dr_doc_load(p, DR_TOP "/corpus/azure/cancel-subscription.nl-nl.md", &docs[1], &err))
            abort();
        dr_parser_free(p);
    }
    dr_catalog *c = dr_catalog_new();
    static const char *const anchors[] = {"canceling-your-office-365-subscription",
                                          "cancel-your-subscription-for-azure"};
    dr_error err;
    int f;
    dr_catalog_add_article(c, "a", NULL, anchors, 2, "fuzz", 1, &err);
    dr_catalog_add_fact(c, "n", "a", "count", "fuzz", 1, &f, &err);
    char *copy = malloc(size + 1);
    memcpy(copy, data, size);
    copy[size] = '\0';
    for (char *save = NULL, *re = strtok_r(copy, "\n", &save); re; re = strtok_r(NULL, "\n", &save))
        dr_catalog_add_pattern(c, f, "en", NULL, 0, re, "fuzz", 1, &err);
    free(copy);
    dr_arena *a = dr_arena_new(0);
    void *md = dr_match_data_new();
    dr_fact *facts = NULL;
    size_t n = 0, cap = 0;
    for (int i = 0; i < 2; i++)
        dr_catalog_extract(c, docs[i], dr_catalog_article_of(c, docs[i]), a, &facts, &n, &cap, md);
    dr_match_data_free(md);
    dr_arena_free(a);
    dr_catalog_free(c);
    return 0;
}
