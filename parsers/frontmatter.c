/* The header of a doc: YAML front matter between --- lines (libyaml), or the
 * legacy <properties .../> <tags .../> elements (libxml2), or none. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h> /* qsort */
#include <string.h>
#include <yaml.h>

#include "../common/yaml_text.h"
#include "internal.h"

/* Length of the line at p without its line ending. */
static size_t line_len(const char *p, const char *end) {
    const char *q = p;
    while (q < end && *q != '\n' && *q != '\r') q++;
    return (size_t)(q - p);
}

static const char *next_line(const char *p, const char *end) {
    while (p < end && *p != '\n' && *p != '\r') p++;
    if (p < end && *p == '\r') p++;
    if (p < end && p[-1] == '\r' && *p == '\n') p++;
    else if (p < end && *p == '\n') p++;
    return p;
}

static int is_fence(const char *p, size_t n) {
    /* Trailing blanks after the fence are common in hand-edited docs. */
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\t')) n--;
    return n == 3 && (memcmp(p, "---", 3) == 0);
}

/* Front matter is a few dozen values. libyaml's loader shares one node for
 * every alias to it, and copying each alias where it stands multiplies:
 * nine aliases of nine aliases, nine levels deep, are 9^9 values from 336
 * bytes (18 GB before it was stopped). Past this many values the front
 * matter is refused. */
#define FM_MAX_VALUES 10000
/* libyaml's scanner keeps every open flow level's simple keys and walks
 * them for each token: 100,000 nested [ took 29 s. Front matter nested
 * past MAX_DEPTH is refused before libyaml sees it. */
#define FM_MAX_DEPTH 64

/* A map's keys in order of text, then of place: each run of one text
 * starts with the key that is kept. */
typedef struct fm_key {
    const char *key;
    size_t at;
} fm_key;

static int by_key(const void *a, const void *b) {
    const fm_key *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->at > y->at) - (x->at < y->at);
}

/* Whether this doc already said code at (line, col): a node reached
 * through aliases is copied once per alias, what is wrong with it too. */
static int said_at(const dr_doc *d, int line, int col, const char *code) {
    for (size_t i = 0; i < d->diags.n; i++)
        if (d->diags.v[i].line == line && d->diags.v[i].col == col &&
            strcmp(d->diags.v[i].code, code) == 0)
            return 1;
    return 0;
}

/* YAML forbids a key twice in one map, and libyaml lets it through (as
 * the legacy header's <properties/> and <tags/> together do). Every
 * reader of the doc (its metadata, facts, `extract`'s JSON) then sees the
 * first one: the later ones are dropped and each is said where it stands,
 * as a doc with two ms.date lines is in force on a day nobody chose. A
 * key that is no scalar (? [a]: 1), which the model names "", is no
 * duplicate of anything (plain[i] 0); lines and cols go with the keys. */
static void drop_duplicate_keys(dr_doc *d, dr_fm_value *v, int *lines, int *cols, unsigned char *plain,
                                const char *where) {
    if (v->n < 2) return;
    fm_key *k = dr_arena_alloc(d->arena, v->n * sizeof *k);
    unsigned char *drop = dr_arena_calloc(d->arena, v->n, 1);
    size_t nk = 0;
    for (size_t i = 0; i < v->n; i++)
        if (!plain || plain[i]) k[nk++] = (fm_key){v->keys[i], i};
    qsort(k, nk, sizeof *k, by_key);
    size_t dups = 0;
    for (size_t i = 1; i < nk; i++)
        if (strcmp(k[i].key, k[i - 1].key) == 0) {
            drop[k[i].at] = 1;
            dups++;
        }
    if (!dups) return;
    size_t n = 0;
    for (size_t i = 0; i < v->n; i++) {
        if (!drop[i]) {
            v->keys[n] = v->keys[i];
            v->items[n] = v->items[i];
            lines[n] = lines[i];
            if (plain) plain[n] = plain[i];
            cols[n++] = cols[i];
        } else if (!plain || !said_at(d, lines[i], cols[i], "yaml-duplicate-key")) { /* (said_at: for YAML's alias copies) */
            size_t first = 0; /* kept, so before n */
            while (first < n && ((plain && !plain[first]) || strcmp(v->keys[first], v->keys[i]) != 0)) first++;
            dr_doc_diag(d, lines[i], cols[i], DR_SEV_WARNING, "yaml-duplicate-key",
                        "%s has the key \"%.200s\" again (first on line %d); the first is read", where, v->keys[i],
                        lines[first]);
        }
    }
    v->n = n;
}

/* Where the front matter's lines are, and the doc line it starts on. */
typedef struct fm_text {
    dr_yaml_lines lines;
    int line0;
} fm_text;

/* Where a libyaml mark is in the doc (common/yaml_text.h). */
static void fm_place(const fm_text *t, yaml_mark_t m, int *line, int *col) {
    dr_yaml_lines_place(&t->lines, m.line, m.column, line, col);
    *line += t->line0;
}

static int fm_line(const fm_text *t, yaml_mark_t m) {
    int line, col;
    fm_place(t, m, &line, &col);
    return line;
}

/* A scalar's text in the doc's arena. YAML's "\0" puts a NUL in a
 * scalar, which the model's C strings would end at: "a\0b" and "a\0c"
 * would both be the key "a", a value would lose its tail unsaid. It is
 * read as U+FFFD instead, as a raw NUL byte in the file is, and said. */
static const char *fm_scalar(dr_doc *d, const yaml_node_t *n, const fm_text *t) {
    const char *s = (const char *)n->data.scalar.value;
    size_t len = n->data.scalar.length, nuls = 0;
    for (const char *p = s; (p = memchr(p, '\0', len - (size_t)(p - s))) != NULL; p++) nuls++;
    if (!nuls) return dr_arena_strndup(d->arena, s, len);
    char *out = dr_arena_alloc(d->arena, len + 2 * nuls + 1), *o = out;
    for (size_t i = 0; i < len; i++) {
        if (s[i]) {
            *o++ = s[i];
        } else {
            memcpy(o, "\xEF\xBF\xBD", 3);
            o += 3;
        }
    }
    *o = '\0';
    int line, col;
    fm_place(t, n->start_mark, &line, &col);
    if (!said_at(d, line, col, "nul-byte"))
        dr_doc_diag(d, line, col, DR_SEV_ERROR, "nul-byte",
                    "front matter writes %zu NUL character%s (\\0); replaced with U+FFFD", nuls, nuls == 1 ? "" : "s");
    return out;
}

static const dr_fm_value *yaml_to_value(dr_doc *d, yaml_document_t *doc, yaml_node_t *node,
                                        const fm_text *t, int depth, long *left) {
    if (--*left < 0) return NULL;
    dr_fm_value *v = dr_arena_calloc(d->arena, 1, sizeof *v);
    v->line = fm_line(t, node->start_mark);
    if (depth > FM_MAX_DEPTH) {
        /* Front matter nested this deep is not metadata; keep the doc usable. */
        v->type = DR_FM_STRING;
        v->str = "";
        return v;
    }
    switch (node->type) {
    case YAML_SCALAR_NODE:
        v->type = DR_FM_STRING;
        v->str = fm_scalar(d, node, t);
        break;
    case YAML_SEQUENCE_NODE: {
        v->type = DR_FM_LIST;
        size_t n = (size_t)(node->data.sequence.items.top - node->data.sequence.items.start);
        v->items = dr_arena_calloc(d->arena, n ? n : 1, sizeof *v->items);
        for (size_t i = 0; i < n; i++) {
            yaml_node_t *c = yaml_document_get_node(doc, node->data.sequence.items.start[i]);
            const dr_fm_value *x = c ? yaml_to_value(d, doc, c, t, depth + 1, left) : NULL;
            if (*left < 0) return NULL;
            if (x) v->items[v->n++] = x;
        }
        break;
    }
    case YAML_MAPPING_NODE: {
        v->type = DR_FM_MAP;
        size_t n = (size_t)(node->data.mapping.pairs.top - node->data.mapping.pairs.start);
        v->items = dr_arena_calloc(d->arena, n ? n : 1, sizeof *v->items);
        v->keys = dr_arena_calloc(d->arena, n ? n : 1, sizeof *v->keys);
        /* Where each kept key stands, for drop_duplicate_keys' words. */
        int *lines = dr_arena_calloc(d->arena, n ? n : 1, sizeof *lines);
        int *cols = dr_arena_calloc(d->arena, n ? n : 1, sizeof *cols);
        unsigned char *plain = dr_arena_calloc(d->arena, n ? n : 1, 1);
        for (size_t i = 0; i < n; i++) {
            yaml_node_pair_t *pr = &node->data.mapping.pairs.start[i];
            yaml_node_t *k = yaml_document_get_node(doc, pr->key);
            yaml_node_t *val = yaml_document_get_node(doc, pr->value);
            if (!k || !val) continue;
            const char *key = k->type == YAML_SCALAR_NODE ? fm_scalar(d, k, t) : "";
            const dr_fm_value *x = yaml_to_value(d, doc, val, t, depth + 1, left);
            if (*left < 0) return NULL;
            fm_place(t, k->start_mark, &lines[v->n], &cols[v->n]);
            plain[v->n] = k->type == YAML_SCALAR_NODE;
            v->keys[v->n] = key;
            v->items[v->n++] = x;
        }
        drop_duplicate_keys(d, v, lines, cols, plain, "front matter");
        break;
    }
    default:
        v->type = DR_FM_STRING;
        v->str = "";
    }
    return v;
}

static void parse_yaml(dr_doc *d, const char *y, size_t n, int line0) {
    fm_text text = {{0, NULL, NULL}, line0};
    int deep_line;
    if (dr_yaml_flow_too_deep(y, n, FM_MAX_DEPTH, &deep_line)) {
        dr_doc_diag(d, line0 + deep_line, 1, DR_SEV_ERROR, "yaml-invalid",
                    "invalid YAML front matter: [ ] and { } nest more than %d deep", FM_MAX_DEPTH);
        return;
    }
    dr_yaml_lines_make(&text.lines, y, n);
    yaml_parser_t yp;
    yaml_document_t ydoc;
    yaml_parser_initialize(&yp);
    yaml_parser_set_input_string(&yp, (const unsigned char *)y, n);
    if (!yaml_parser_load(&yp, &ydoc)) {
        int line, col;
        dr_yaml_problem_place(&text.lines, y, n, &yp, &line, &col);
        line += line0;
        dr_doc_diag(d, line, col, DR_SEV_ERROR, "yaml-invalid", "invalid YAML front matter: %s%s%s",
                    yp.problem ? yp.problem : "parse error", yp.context ? " " : "",
                    yp.context ? yp.context : "");
        yaml_parser_delete(&yp);
        dr_yaml_lines_free(&text.lines);
        return;
    }
    yaml_node_t *root = yaml_document_get_root_node(&ydoc);
    if (!root) {
        dr_fm_value *v = dr_arena_calloc(d->arena, 1, sizeof *v);
        v->type = DR_FM_MAP;
        v->line = line0;
        d->fm = v;
    } else if (root->type != YAML_MAPPING_NODE) {
        dr_doc_diag(d, line0, 1, DR_SEV_ERROR, "front-matter-not-mapping",
                    "front matter is not a list of key: value lines");
    } else {
        long left = FM_MAX_VALUES;
        d->fm = yaml_to_value(d, &ydoc, root, &text, 0, &left);
        if (!d->fm)
            dr_doc_diag(d, line0, 1, DR_SEV_ERROR, "yaml-invalid",
                        "invalid YAML front matter: its aliases make more than %d values", FM_MAX_VALUES);
    }
    yaml_document_delete(&ydoc);
    yaml_parser_delete(&yp);
    dr_yaml_lines_free(&text.lines);
}

/* Finds the end of one legacy element starting at p ("<properties" or
 * "<tags"): just past its "/>" or closing tag, ignoring '>' inside quotes. */
static const char *legacy_element_end(const char *p, const char *end, const char *name) {
    char q = 0;
    for (const char *s = p + 1; s < end; s++) {
        if (q) {
            if (*s == q) q = 0;
        } else if (*s == '"' || *s == '\'') {
            q = *s;
        } else if (*s == '>') {
            if (s[-1] == '/') return s + 1;
            /* <properties ...> ... </properties> */
            size_t nl = strlen(name);
            for (const char *t = s + 1; t + nl + 3 <= end; t++)
                if (t[0] == '<' && t[1] == '/' && memcmp(t + 2, name, nl) == 0) {
                    const char *gt = memchr(t, '>', (size_t)(end - t));
                    return gt ? gt + 1 : NULL;
                }
            return NULL;
        }
    }
    return NULL;
}

static const char *skip_blank(const char *p, const char *end) {
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) p++;
    return p;
}

static int starts_with_tag(const char *p, const char *end, const char *name) {
    size_t n = strlen(name);
    return (size_t)(end - p) > n + 1 && p[0] == '<' && strncasecmp(p + 1, name, n) == 0 &&
           (p[n + 1] == ' ' || p[n + 1] == '\t' || p[n + 1] == '\n' || p[n + 1] == '\r' ||
            p[n + 1] == '/' || p[n + 1] == '>');
}

typedef DR_VEC(const char *) key_vec;
typedef DR_VEC(const dr_fm_value *) val_vec;

/* Adds the attributes of one parsed element to the map under construction,
 * with the line each attribute is written on. */
/* What the SAX callbacks collect: the attributes of <properties> and
 * <tags>, with where each is written. */
typedef struct legacy_walk {
    dr_doc *d;
    size_t hdr_off, hdr_len, from;
    const char *hdr;
    key_vec keys;
    val_vec vals;
} legacy_walk;

static void legacy_start(void *ctx, const xmlChar *name, const xmlChar **atts) {
    legacy_walk *w = ((xmlParserCtxtPtr)ctx)->_private;
    (void)name;
    dr_doc *d = w->d;
    for (; atts && atts[0]; atts += 2) {
        dr_fm_value *v = dr_arena_calloc(d->arena, 1, sizeof *v);
        v->type = DR_FM_STRING;
        v->str = dr_arena_strdup(d->arena, atts[1] ? (const char *)atts[1] : "");
        /* libxml2 keeps element lines only; find the attribute's own line.
         * Attributes come in the order written, so the search moves on. */
        const char *an = (const char *)atts[0], *hdr = w->hdr;
        size_t nl = strlen(an), at_off = SIZE_MAX;
        for (size_t i = w->from; i + nl + 1 <= w->hdr_len;) {
            const char *hit = dr_find(hdr + i, w->hdr_len - i, an, nl);
            if (!hit) break;
            size_t k = (size_t)(hit - hdr);
            if ((k == 0 || hdr[k - 1] == ' ' || hdr[k - 1] == '\t' || hdr[k - 1] == '\n' ||
                 hdr[k - 1] == '\r') && (hdr[k + nl] == '=' || hdr[k + nl] == ' ')) {
                at_off = k;
                break;
            }
            i = k + 1;
        }
        v->line = d->body_line;
        if (at_off != SIZE_MAX) {
            int col;
            dr_doc_pos(d, w->hdr_off + at_off, &v->line, &col);
            w->from = at_off + nl;
        }
        *DR_VEC_PUSH(d->arena, w->keys) = dr_arena_strdup(d->arena, an);
        *DR_VEC_PUSH(d->arena, w->vals) = v;
    }
}

static int parse_legacy(dr_parser *p, dr_doc *d, const char *start) {
    const char *end = d->src + d->len;
    const char *e1 = legacy_element_end(start, end, "properties");
    if (!e1) {
        int line, col;
        dr_doc_pos(d, (size_t)(start - d->src), &line, &col);
        dr_doc_diag(d, line, col, DR_SEV_ERROR, "legacy-header-unterminated",
                    "<properties> header is not closed with />");
        return 0;
    }
    const char *hend = e1;
    const char *t = skip_blank(e1, end);
    if (starts_with_tag(t, end, "tags")) {
        const char *e2 = legacy_element_end(t, end, "tags");
        if (e2) hend = e2;
        else {
            int line, col;
            dr_doc_pos(d, (size_t)(t - d->src), &line, &col);
            dr_doc_diag(d, line, col, DR_SEV_ERROR, "legacy-header-unterminated",
                        "<tags> header is not closed with />");
        }
    }
    /* Wrap both elements in one root so libxml2 reads them as a document. */
    size_t hlen = (size_t)(hend - start);
    size_t wlen = hlen + 7;
    char *w = dr_arena_alloc(d->arena, wlen + 1);
    memcpy(w, "<h>", 3);
    memcpy(w + 3, start, hlen);
    memcpy(w + 3 + hlen, "</h>", 5);
    /* SAX: the attributes are all we need, so no tree is built. */
    legacy_walk lw = {d, (size_t)(start - d->src), hlen, 0, start, {0}, {0}};
    xmlParserCtxtPtr ctxt = p->xml;
    memset(ctxt->sax, 0, sizeof *ctxt->sax);
    ctxt->sax->startElement = legacy_start;
    ctxt->_private = &lw;
    /* No encoding named: XML without a declaration is UTF-8, which the
     * text is (sanitized), and libxml2 then reads it in place. Naming
     * "UTF-8" would copy it through a UTF-8 to UTF-8 converter, a chunk
     * at a time. */
    xmlDocPtr x = p->xml2->xmlCtxtReadMemory(ctxt, w, (int)wlen, NULL, NULL,
                                           XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                                               XML_PARSE_RECOVER);
    if (x) p->xml2->xmlFreeDoc(x);
    int line, col;
    const xmlError *xe = p->xml2->xmlCtxtGetLastError(ctxt);
    int xe_level = xe ? (int)xe->level : 0, xe_line = xe ? xe->line : 0, xe_col = xe ? xe->int2 : 0;
    char xe_msg[300];
    snprintf(xe_msg, sizeof xe_msg, "%s", xe && xe->message ? xe->message : "error");
    xe_msg[strcspn(xe_msg, "\n")] = '\0'; /* libxml2 ends its messages with one */
    dr_parser_recycle_xml(p);
    dr_doc_pos(d, (size_t)(start - d->src), &line, &col);
    if (xe_level >= XML_ERR_ERROR)
        dr_doc_diag(d, line + (xe_line > 1 ? xe_line - 1 : 0), xe_col > 0 ? xe_col : 1,
                    lw.keys.n ? DR_SEV_WARNING : DR_SEV_ERROR, "legacy-header-invalid",
                    "the <properties> header is not well-formed XML: %s", xe_msg);
    key_vec keys = lw.keys;
    val_vec vals = lw.vals;
    dr_fm_value *m = dr_arena_calloc(d->arena, 1, sizeof *m);
    m->type = DR_FM_MAP;
    m->line = line;
    m->keys = keys.v;
    m->items = vals.v;
    m->n = keys.n;
    /* <properties/> and <tags/> are two elements: a name in both is one
     * key twice (within one, libxml2 says so: legacy-header-invalid). */
    int *lines = dr_arena_calloc(d->arena, m->n ? m->n : 1, sizeof *lines);
    int *cols = dr_arena_calloc(d->arena, m->n ? m->n : 1, sizeof *cols);
    for (size_t i = 0; i < m->n; i++) {
        /* the column of the name's last " name=" on its line: a repeated
         * name's own (<tags/> comes after <properties/>) */
        lines[i] = m->items[i]->line;
        cols[i] = 1;
        size_t len, kl = strlen(m->keys[i]);
        const char *l = dr_doc_line(d, lines[i], &len);
        for (size_t k = 1; k + kl < len; k++)
            if ((l[k - 1] == ' ' || l[k - 1] == '\t') && memcmp(l + k, m->keys[i], kl) == 0 && l[k + kl] == '=') {
                int ln;
                dr_doc_pos(d, (size_t)(l + k - d->src), &ln, &cols[i]);
            }
    }
    drop_duplicate_keys(d, m, lines, cols, NULL, "the legacy header");
    d->fm = m;
    d->fm_style = DR_FM_LEGACY;
    /* The body starts on the line after the header. */
    const char *b = next_line(hend, end);
    d->body_off = (size_t)(b - d->src);
    dr_doc_pos(d, d->body_off, &d->body_line, &col);
    return 1;
}

void dr_fm_parse(dr_parser *p, dr_doc *d) {
    const char *s = d->src, *end = d->src + d->len;
    d->fm_style = DR_FM_NONE;
    d->body_off = 0;
    d->body_line = 1;
    if (d->len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
        s += 3;
        d->body_off = 3;
    }
    if (is_fence(s, line_len(s, end))) {
        const char *y = next_line(s, end);
        int line = 2;
        for (const char *l = y; l < end; l = next_line(l, end), line++) {
            if (is_fence(l, line_len(l, end))) {
                d->fm_style = DR_FM_YAML;
                parse_yaml(d, y, (size_t)(l - y), 2);
                const char *b = next_line(l, end);
                d->body_off = (size_t)(b - d->src);
                d->body_line = line + 1;
                return;
            }
        }
        dr_doc_diag(d, 1, 1, DR_SEV_ERROR, "front-matter-unterminated",
                    "front matter opened with --- on line 1 is never closed");
        return;
    }
    const char *t = skip_blank(s, end);
    if (starts_with_tag(t, end, "properties")) parse_legacy(p, d, t);
}
