/* The parser object: what is costly to set up (cmark-gfm's extensions,
 * libxml2's contexts), made once and reused for every doc of a thread. */
#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
/* cmark-gfm's own definition of an extension, for its special_inline_chars
 * list, which its API can set but not read (see pin_autolink_chars). */
#include <cmark-gfm/syntax_extension.h>
#include <stdlib.h>

#include "../common/alloc.h"
#include "internal.h"

/* cmark-gfm keeps the characters that may start an inline of an extension
 * (autolink's ':' and 'w', strikethrough's '~') in one table for the whole
 * process: every parse sets them as its inlines begin and clears them as
 * they end (process_inlines, blocks.c). A parse that ends on one thread
 * thus clears them under a parse on another, which then misses its bare
 * URLs (or struck-out words). Every parse of ours attaches autolink, so its
 * characters are set once, for good, and taken off the extension, so that
 * no parse clears them: each sees the table it would have set itself.
 * Strikethrough cannot be treated so, since cmark-gfm finds the extension
 * of a '~' delimiter through that same list: dr_md_parse attaches it only
 * to docs that hold a '~' and keeps their inline passes apart. Done on the
 * first parser's thread, before any other parses (include/docrules.h,
 * Threads); after that it only reads. */
static void pin_autolink_chars(void) {
    cmark_syntax_extension *ext = cmark_find_syntax_extension("autolink");
    if (!ext || !ext->special_inline_chars) return;
    cmark_parser *cp = cmark_parser_new(CMARK_OPT_DEFAULT);
    if (!cp) dr_oom();
    cmark_parser_attach_syntax_extension(cp, ext);
    cmark_manage_extensions_special_characters(cp, 1);
    cmark_parser_free(cp);
    cmark_llist *chars = ext->special_inline_chars;
    cmark_syntax_extension_set_special_inline_chars(ext, NULL);
    /* Made with the default allocator by create_autolink_extension. */
    cmark_llist_free(cmark_get_default_mem_allocator(), chars);
}

void dr_parsers_init(void) {
    dr_libxml_get();
    cmark_gfm_core_extensions_ensure_registered();
    pin_autolink_chars();
}

dr_parser *dr_parser_new(const dr_parse_opts *opts) {
    dr_parser *p = dr_xcalloc(1, sizeof *p);
    if (!p) return NULL;
    p->opts.max_bytes = opts && opts->max_bytes ? opts->max_bytes : DR_DEFAULT_MAX_BYTES;
    /* What is set up once for the process, done by the first parser, which
     * include/docrules.h asks to be made before other threads parse; the
     * later calls only read. */
    dr_parsers_init();
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
    if (p->ext_strike) {
        cmark_parser *cp = cmark_parser_new(DR_CMARK_OPTIONS);
        cmark_parser_attach_syntax_extension(cp, p->ext_strike);
        static const char probe[] = "~~a~~\n";
        cmark_parser_feed(cp, probe, sizeof probe - 1);
        cmark_node *root = cmark_parser_finish(cp);
        cmark_node *para = cmark_node_first_child(root);
        cmark_node *strike = para ? cmark_node_first_child(para) : NULL;
        p->type_strike = strike ? cmark_node_get_type(strike) : CMARK_NODE_NONE;
        cmark_node_free(root);
        cmark_parser_free(cp);
    }
    p->cmark_arena = dr_arena_new(1024 * 1024);
    p->xml2 = dr_libxml_get();
    if (!p->xml2) { /* dr_libxml_error says why */
        dr_parser_free(p);
        return NULL;
    }
    p->html = p->xml2->htmlNewParserCtxt();
    p->xml = p->xml2->xmlNewParserCtxt();
    /* Their contexts fail only for memory, which ends the process (docrules.h). */
    if (!p->ext_table || !p->ext_strike || !p->ext_autolink || !p->html || !p->xml) dr_oom();
    return p;
}

#define DICT_BOUND 4096

void dr_parser_recycle_html(dr_parser *p) {
    if (p->html && p->html->dict && p->xml2->xmlDictSize(p->html->dict) > DICT_BOUND) {
        p->xml2->htmlFreeParserCtxt(p->html);
        p->html = p->xml2->htmlNewParserCtxt();
        if (!p->html) dr_oom();
    }
}

void dr_parser_recycle_xml(dr_parser *p) {
    if (p->xml && p->xml->dict && p->xml2->xmlDictSize(p->xml->dict) > DICT_BOUND) {
        p->xml2->xmlFreeParserCtxt(p->xml);
        p->xml = p->xml2->xmlNewParserCtxt();
        if (!p->xml) dr_oom();
    }
}

void dr_parser_free(dr_parser *p) {
    if (!p) return;
    if (p->html) p->xml2->htmlFreeParserCtxt(p->html);
    if (p->xml) p->xml2->xmlFreeParserCtxt(p->xml);
    dr_arena_free(p->cmark_arena);
    free(p->buf.s);
    free(p->batch.s);
    free(p->readbuf);
    free(p);
}

