/* A factset read back from a compiled bundle (bundle/): the facts found
 * when the bundle was built, with the docs they cite, and nothing parsed. */
#include <string.h>

#include "../common/alloc.h"
#include "internal.h"

dr_factset *dr_factset_restore(const dr_catalog *c, dr_arena *arena, const dr_factset_parts *p) {
    dr_factset *fs = dr_xcalloc(1, sizeof *fs);
    fs->cat = c;
    fs->arena = arena;
    fs->docs.v = p->docs;
    fs->docs.n = fs->docs.cap = p->ndocs;
    fs->article.v = (int *)p->article;
    fs->article.n = fs->article.cap = p->ndocs;
    fs->refs = (int *)p->refs;
    fs->facts.v = (dr_fact *)p->facts;
    fs->facts.n = fs->facts.cap = p->nfacts;
    fs->content_hash = p->content_hash;
    fs->docs_read = p->docs_read;
    for (size_t i = 0; i < p->nlocales; i++) dr_factset_note_locale(fs, p->locales[i]);
    return fs;
}
