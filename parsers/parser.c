/* The parser object: what is costly to set up (cmark-gfm's extensions,
 * libxml2's contexts), made once and reused for every doc of a thread. */
#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <stdlib.h>

#include "../common/alloc.h"
#include "internal.h"

void dr_parsers_init(void) {
    xmlInitParser();
    cmark_gfm_core_extensions_ensure_registered();
}

dr_parser *dr_parser_new(const dr_parse_opts *opts) {
    dr_parser *p = dr_xcalloc(1, sizeof *p);
    if (!p) return NULL;
    p->opts.max_bytes = opts && opts->max_bytes ? opts->max_bytes : DR_DEFAULT_MAX_BYTES;
    /* Registration is idempotent and guarded inside cmark-gfm. */
    cmark_gfm_core_extensions_ensure_registered();
    p->ext_table = cmark_find_syntax_extension("table");
    p->ext_strike = cmark_find_syntax_extension("strikethrough");
    p->ext_autolink = cmark_find_syntax_extension("autolink");
    if (p->ext_table) {
        /* Learn the table node types once, so the walk compares integers. */
        cmark_parser *cp = cmark_parser_new(CMARK_OPT_DEFAULT);
        cmark_parser_attach_syntax_extension(cp, p->ext_table);
        static const char probe[] = "| a |\n|---|\n| b |\n";
        cmark_parser_feed(cp, probe, sizeof probe - 1);
        cmark_node *root = cmark_parser_finish(cp);
        cmark_node *table = cmark_node_first_child(root);
        cmark_node *row = table ? cmark_node_first_child(table) : NULL;
        cmark_node *cell = row ? cmark_node_first_child(row) : NULL;
        p->type_table = table ? cmark_node_get_type(table) : CMARK_NODE_NONE;
        p->type_cell = cell ? cmark_node_get_type(cell) : CMARK_NODE_NONE;
        cmark_node_free(root);
        cmark_parser_free(cp);
    }
    p->cmark_arena = dr_arena_new(1024 * 1024);
    p->html = htmlNewParserCtxt();
    p->xml = xmlNewParserCtxt();
    if (!p->ext_table || !p->ext_strike || !p->ext_autolink || !p->html || !p->xml) {
        dr_parser_free(p);
        return NULL;
    }
    return p;
}

#define DICT_BOUND 4096

void dr_parser_recycle_html(dr_parser *p) {
    if (p->html && p->html->dict && xmlDictSize(p->html->dict) > DICT_BOUND) {
        htmlFreeParserCtxt(p->html);
        p->html = htmlNewParserCtxt();
        if (!p->html) dr_oom();
    }
}

void dr_parser_recycle_xml(dr_parser *p) {
    if (p->xml && p->xml->dict && xmlDictSize(p->xml->dict) > DICT_BOUND) {
        xmlFreeParserCtxt(p->xml);
        p->xml = xmlNewParserCtxt();
        if (!p->xml) dr_oom();
    }
}

void dr_parser_free(dr_parser *p) {
    if (!p) return;
    if (p->html) htmlFreeParserCtxt(p->html);
    if (p->xml) xmlFreeParserCtxt(p->xml);
    dr_arena_free(p->cmark_arena);
    free(p->buf.s);
    free(p->batch.s);
    free(p->readbuf);
    free(p);
}

