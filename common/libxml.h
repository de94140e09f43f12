/* libxml2, opened the first time a doc is parsed or a JUnit report is
 * written, and called through a table.
 *
 * Linked as a library, libxml2 was the costliest part of every start: it
 * brings ICU and libstdc++, whose mapping and relocation took about 3 ms of
 * each process here (docrules --version 6.4 ms against 3.1 ms for a
 * program that links nothing; a check with a bundle 14 ms), while most runs
 * never parse a doc: a check or batch with a bundle or a warm cache, serve
 * between reloads. So docrules dlopens it by the soname of the libxml2 it
 * was built against (the Makefile's DR_LIBXML2_SONAME) and calls it through
 * this table, whose types are libxml2's own declarations.
 *
 * The table is filled once per process (pthread_once) and only read after;
 * it holds no state of an engine or a parser. */
#ifndef DR_LIBXML_H
#define DR_LIBXML_H

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/xmlwriter.h>

#include "error.h"

/* Every libxml2 function docrules calls. */
#define DR_LIBXML_FUNCTIONS(X)                                                                                \
    X(xmlInitParser)                                                                                          \
    X(xmlDictSize)                                                                                            \
    X(htmlNewParserCtxt) X(htmlFreeParserCtxt) X(htmlCtxtReadMemory)                                         \
    X(xmlNewParserCtxt) X(xmlFreeParserCtxt) X(xmlCtxtReadMemory) X(xmlCtxtGetLastError) X(xmlFreeDoc)       \
    X(xmlOutputBufferCreateIO) X(xmlOutputBufferClose)                                                      \
    X(xmlNewTextWriter) X(xmlFreeTextWriter) X(xmlTextWriterSetIndent) X(xmlTextWriterStartDocument)   \
    X(xmlTextWriterEndDocument) X(xmlTextWriterStartElement) X(xmlTextWriterEndElement)                       \
    X(xmlTextWriterWriteAttribute) X(xmlTextWriterWriteFormatAttribute) X(xmlTextWriterWriteString)

typedef struct dr_libxml {
#define DR_LIBXML_FIELD(name) __typeof__(name) *name;
    DR_LIBXML_FUNCTIONS(DR_LIBXML_FIELD)
#undef DR_LIBXML_FIELD
} dr_libxml;

/* The table, libxml2 opened and initialized (xmlInitParser) by the first
 * call; NULL when it cannot be used: not installed, a function missing, or
 * older than the headers docrules was built with (whose structures the
 * parsers read). dr_libxml_error then says which, naming the soname. A
 * library does not end its host's process: each caller turns this into an
 * error of its own (DR_EIO). */
const dr_libxml *dr_libxml_get(void);
const char *dr_libxml_error(void);
/* That, as an error: DR_EIO with dr_libxml_error's message, returned. */
int dr_libxml_fail(dr_error *err);

#endif
