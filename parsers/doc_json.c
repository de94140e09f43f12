#include "../common/alloc.h"
#include "doc_json.h"

#include <string.h>

static void set_str(json_t *o, const char *k, const char *v) {
    if (v) json_object_set_new(o, k, json_string(v));
}

json_t *dr_fm_to_json(const dr_fm_value *v) {
    switch (v->type) {
    case DR_FM_STRING: return json_string(v->str);
    case DR_FM_LIST: {
        json_t *a = json_array();
        for (size_t i = 0; i < v->n; i++) json_array_append_new(a, dr_fm_to_json(v->items[i]));
        return a;
    }
    case DR_FM_MAP: {
        json_t *o = json_object();
        for (size_t i = 0; i < v->n; i++) json_object_set_new(o, v->keys[i], dr_fm_to_json(v->items[i]));
        return o;
    }
    }
    return json_null();
}

/* Images per item, as linked lists, so each step finds its own in O(1). */
typedef struct img_index {
    int *head, *next;
} img_index;

static int descends_from(const dr_unit *all, int i, int anc) {
    for (int p = all[i].parent; p >= 0; p = all[p].parent)
        if (p == anc) return 1;
    return 0;
}

static json_t *unit_json(const dr_doc *d, const dr_unit *u, size_t idx, const img_index *ix) {
    json_t *o = json_object();
    if (u->kind == DR_UNIT_STEP) json_object_set_new(o, "n", json_integer(u->n));
    if (u->kind == DR_UNIT_NOTE) set_str(o, "kind", u->note_kind);
    set_str(o, "text", u->text);
    set_str(o, "source_text", u->source_text);
    json_object_set_new(o, "line", json_integer(u->line));
    if (u->kind == DR_UNIT_STEP) {
        /* Notes, bullets and images written inside the step stay with it.
         * Its descendants follow it contiguously in the unit array. */
        size_t n, ni;
        const dr_unit *all = dr_doc_units(d, &n);
        const dr_image *im = dr_doc_images(d, &ni);
        json_t *notes = json_array(), *bullets = json_array(), *images = json_array();
        for (size_t i = idx + 1; i < n && descends_from(all, (int)i, (int)idx); i++) {
            if (all[i].parent != (int)idx) continue;
            json_t *c = unit_json(d, &all[i], i, ix);
            json_array_append_new(all[i].kind == DR_UNIT_NOTE ? notes : bullets, c);
        }
        for (int i = ix->head[idx]; i >= 0; i = ix->next[i]) {
            json_t *c = json_object();
            set_str(c, "src", im[i].src);
            set_str(c, "alt", im[i].alt);
            json_object_set_new(c, "line", json_integer(im[i].line));
            json_array_append_new(images, c);
        }
        if (json_array_size(notes)) json_object_set(o, "notes", notes);
        if (json_array_size(bullets)) json_object_set(o, "bullets", bullets);
        if (json_array_size(images)) json_object_set(o, "images", images);
        json_decref(notes);
        json_decref(bullets);
        json_decref(images);
    }
    return o;
}

/* Nearest enclosing step of a unit, or -1. */
static int in_step(const dr_unit *all, int parent) {
    while (parent >= 0) {
        if (all[parent].kind == DR_UNIT_STEP) return parent;
        parent = all[parent].parent;
    }
    return -1;
}

json_t *dr_doc_to_json(const dr_doc *d) {
    json_t *o = json_object();
    set_str(o, "path", dr_doc_path(d));
    const dr_fm_value *fm = dr_doc_front_matter(d);
    json_object_set_new(o, "front_matter", fm ? dr_fm_to_json(fm) : json_object());
    static const char *const styles[] = {"none", "yaml", "legacy"};
    set_str(o, "front_matter_style", styles[dr_doc_front_matter_style(d)]);
    set_str(o, "title", dr_doc_title(d));
    set_str(o, "locale", dr_doc_locale(d));
    set_str(o, "locale_from", dr_doc_locale_from(d));
    set_str(o, "date", dr_doc_date(d));
    set_str(o, "date_from", dr_doc_date_from(d));
    set_str(o, "asset", dr_doc_asset(d));

    size_t ns, nu, nt;
    const dr_section *secs = dr_doc_sections(d, &ns);
    const dr_unit *units = dr_doc_units(d, &nu);
    const dr_table *tables = dr_doc_tables(d, &nt);
    json_t *sections = json_array();
    json_t **steps = dr_xcalloc(ns ? ns : 1, sizeof *steps), **bullets = dr_xcalloc(ns ? ns : 1, sizeof *bullets),
           **notes = dr_xcalloc(ns ? ns : 1, sizeof *notes), **paras = dr_xcalloc(ns ? ns : 1, sizeof *paras),
           **tabs = dr_xcalloc(ns ? ns : 1, sizeof *tabs);
    for (size_t i = 0; i < ns; i++) {
        json_t *s = json_object();
        json_object_set_new(s, "level", json_integer(secs[i].level));
        set_str(s, "title", secs[i].title);
        set_str(s, "source_title", secs[i].source_title);
        set_str(s, "anchor", secs[i].anchor);
        json_object_set_new(s, "line", json_integer(secs[i].line));
        json_object_set_new(s, "steps", steps[i] = json_array());
        json_object_set_new(s, "bullets", bullets[i] = json_array());
        json_object_set_new(s, "notes", notes[i] = json_array());
        json_object_set_new(s, "paragraphs", paras[i] = json_array());
        json_object_set_new(s, "tables", tabs[i] = json_array());
        json_array_append_new(sections, s);
    }
    size_t nimg;
    const dr_image *imgs = dr_doc_images(d, &nimg);
    img_index ix = {dr_xmalloc((nu ? nu : 1) * sizeof(int)), dr_xmalloc((nimg ? nimg : 1) * sizeof(int))};
    for (size_t i = 0; i < nu; i++) ix.head[i] = -1;
    for (size_t i = nimg; i-- > 0;) {
        int st = imgs[i].step;
        ix.next[i] = -1;
        if (st >= 0 && (size_t)st < nu) {
            ix.next[i] = ix.head[st];
            ix.head[st] = (int)i;
        }
    }
    for (size_t i = 0; i < nu; i++) {
        const dr_unit *u = &units[i];
        if (u->section < 0 || (size_t)u->section >= ns) continue;
        /* Things nested in a step are printed inside it. */
        if (u->kind != DR_UNIT_STEP && in_step(units, u->parent) >= 0) continue;
        json_t *dst = u->kind == DR_UNIT_STEP     ? steps[u->section]
                      : u->kind == DR_UNIT_BULLET ? bullets[u->section]
                      : u->kind == DR_UNIT_NOTE   ? notes[u->section]
                                                  : paras[u->section];
        json_array_append_new(dst, unit_json(d, u, i, &ix));
    }
    for (size_t i = 0; i < nt; i++) {
        const dr_table *t = &tables[i];
        if (t->section < 0 || (size_t)t->section >= ns) continue;
        json_t *jt = json_object(), *rows = json_array();
        json_object_set_new(jt, "line", json_integer(t->line));
        for (size_t r = 0; r < t->nrows; r++) {
            json_t *row = json_array();
            for (size_t c = 0; c < t->ncols; c++)
                json_array_append_new(row, json_string(t->cells[r * t->ncols + c]));
            json_array_append_new(rows, row);
        }
        json_object_set_new(jt, "rows", rows);
        json_array_append_new(tabs[t->section], jt);
    }
    free(ix.head);
    free(ix.next);
    free(steps);
    free(bullets);
    free(notes);
    free(paras);
    free(tabs);
    json_object_set_new(o, "sections", sections);

    size_t n;
    const dr_link *links = dr_doc_links(d, &n);
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *l = json_object();
        set_str(l, "href", links[i].href);
        set_str(l, "text", links[i].text);
        json_object_set_new(l, "line", json_integer(links[i].line));
        json_array_append_new(a, l);
    }
    json_object_set_new(o, "links", a);
    const dr_image *images = dr_doc_images(d, &n);
    a = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *l = json_object();
        set_str(l, "src", images[i].src);
        set_str(l, "alt", images[i].alt);
        json_object_set_new(l, "line", json_integer(images[i].line));
        json_array_append_new(a, l);
    }
    json_object_set_new(o, "images", a);
    const dr_include *inc = dr_doc_includes(d, &n);
    a = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *l = json_object();
        set_str(l, "ref", inc[i].ref);
        json_object_set_new(l, "line", json_integer(inc[i].line));
        json_array_append_new(a, l);
    }
    json_object_set_new(o, "includes", a);
    const dr_segment *segs = dr_doc_segments(d, &n);
    a = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *l = json_object();
        set_str(l, "id", segs[i].id);
        set_str(l, "text", segs[i].target);
        set_str(l, "source_text", segs[i].source);
        json_object_set_new(l, "line", json_integer(segs[i].line));
        json_array_append_new(a, l);
    }
    json_object_set_new(o, "segments", a);
    const dr_diag *dg = dr_doc_diags(d, &n);
    a = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *l = json_object();
        json_object_set_new(l, "line", json_integer(dg[i].line));
        json_object_set_new(l, "col", json_integer(dg[i].col));
        set_str(l, "severity", dr_severity_name(dg[i].severity));
        set_str(l, "code", dg[i].code);
        set_str(l, "message", dg[i].message);
        json_array_append_new(a, l);
    }
    json_object_set_new(o, "diagnostics", a);
    return o;
}
