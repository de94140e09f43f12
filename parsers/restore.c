/* A doc read back from a compiled bundle: the model's reading side over
 * parts a bundle kept, so that the engine decides from it exactly as from
 * a parsed doc (bundle/, engine/lualib.c). */
#include <string.h>

#include "internal.h"

dr_doc *dr_doc_restore(dr_arena *a, const dr_doc_parts *p) {
    dr_doc *d = dr_arena_calloc(a, 1, sizeof *d);
    if (!d) return NULL;
    d->arena = NULL; /* a's, not the doc's: dr_doc_free leaves it */
    d->path = p->path;
    d->src = "";
    d->locale = p->locale;
    d->date = p->date;
    d->asset = p->asset;
    d->sections.v = (dr_section *)p->sections;
    d->sections.n = d->sections.cap = p->nsections;
    d->units.v = (dr_unit *)p->units;
    d->units.n = d->units.cap = p->nunits;
    /* Readers ask only whether there are segments (a bilingual doc). */
    if (p->bilingual) {
        dr_segment *s = dr_arena_calloc(a, 1, sizeof *s);
        if (!s) return NULL;
        s->id = s->target = s->source = "";
        d->segments.v = s;
        d->segments.n = d->segments.cap = 1;
    }
    return d;
}
