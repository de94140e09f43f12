/* Every finding code validate reports: its default severity and what it
 * means, for SARIF's rule descriptions, the configuration's checks and the
 * README's table. Artifact codes (mt-...) are declared in the rules and
 * described by their own message. */
#include <string.h>

#include "internal.h"

static const dr_code_info codes[] = {
    {"yaml-invalid", DR_SEV_ERROR, "YAML front matter does not parse", "libyaml rejects the front matter; its line and column point at the error."},
    {"yaml-duplicate-key", DR_SEV_WARNING, "Front matter key given twice", "YAML allows a key once in a map, and libyaml reads a repeated one anyway; the legacy header's <properties/> and <tags/> may name one key twice. The first is read, the later ones are dropped and each is reported at its line."},
    {"front-matter-unterminated", DR_SEV_ERROR, "Front matter is never closed", "A --- on the first line opens front matter that no later --- closes."},
    {"front-matter-not-mapping", DR_SEV_ERROR, "Front matter is not key: value lines", "The front matter is YAML but not a mapping of keys to values."},
    {"legacy-header-unterminated", DR_SEV_ERROR, "Legacy header is never closed", "A <properties or <tags header is never closed with />."},
    {"legacy-header-invalid", DR_SEV_WARNING, "Legacy header is not well-formed", "The <properties/> or <tags/> header is not well-formed XML; it is still read."},
    {"date-invalid", DR_SEV_WARNING, "Date is not a calendar date", "ms.date (or its fallback) is not a real calendar date."},
    {"bilingual-unpaired", DR_SEV_ERROR, "Bilingual segment without its pair", "A data-ttu-id translation has no sxs-lookup source, or the reverse."},
    {"bilingual-untranslated", DR_SEV_NOTE, "Bilingual segment not translated", "A segment's translation is the same as its English source."},
    {"utf8-invalid", DR_SEV_ERROR, "Invalid UTF-8", "The file has bytes that are not UTF-8; they are read as U+FFFD."},
    {"nul-byte", DR_SEV_ERROR, "NUL bytes", "The file has NUL bytes, or its YAML front matter writes one as \\0; they are read as U+FFFD."},
    {"file-too-large", DR_SEV_ERROR, "File over the size limit", "The file is larger than --max-bytes and is not parsed."},
    {"table-too-wide", DR_SEV_WARNING, "A line too wide for a table", "A line holds more than 128 | characters: the doc is read without tables, which cmark-gfm would take time growing with the square of their cells to read."},
    {"nesting-too-deep", DR_SEV_WARNING, "Lists or quotes nested too deep", "Lists or quotes nested over 100 deep are cut at that depth."},
    {"front-matter-absent", DR_SEV_NOTE, "No front matter", "The doc has no front matter: no title, date or locale."},
    {"front-matter-key-missing", DR_SEV_WARNING, "Front matter lacks a required key", "A key rules/validate.lua requires (or one of its alternatives) is missing."},
    {"locale-mismatch", DR_SEV_WARNING, "Locale differs from the path's", "ms.contentlocale names another locale than the file's path."},
    {"anchor-duplicate", DR_SEV_WARNING, "Anchor used twice", "Two headings have one anchor; links to it reach the first."},
    {"link-anchor-missing", DR_SEV_WARNING, "Link to a missing anchor", "A link names an anchor that no heading or <a name> of the target doc has."},
    {"link-file-missing", DR_SEV_WARNING, "Link to a missing doc", "A relative link names a .md file that is not in the corpus."},
    {"section-empty", DR_SEV_WARNING, "Empty section", "A section has nothing under it."},
    {"step-empty", DR_SEV_WARNING, "Empty step", "A numbered step has no text."},
    {"list-numbering", DR_SEV_WARNING, "Steps numbered oddly", "A numbered list is numbered neither all 1. nor 1..n."},
    {"translation-disagrees", DR_SEV_ERROR, "Translation disagrees with its English", "A translation states a number, bound or set of values otherwise than the doc of its version it was read through (its English, or a bilingual doc's English source)."},
    {"translation-unread", DR_SEV_WARNING, "Translation does not state a fact its English states", "A fact the doc of its version states is not stated by the translation, or cannot be read in it (no unit aligns, no lexicon word)."},
    {"article-unattributed", DR_SEV_WARNING, "Doc of no article", "A doc beside versions of an article is identified by no asset id, anchor or source name: its facts are not read."},
    {"fact-changed", DR_SEV_NOTE, "Fact changed between versions", "A number the rules rest on changed from one version of an article to the next."},
    {"policy-gap", DR_SEV_WARNING, "Values no bound covers", "Two bounds of one quantity (fewer than N, more than M) leave values between them that no rule covers."},
    {"rule-fact-unstated", DR_SEV_ERROR, "Rule rests on a fact no doc states", "A rule uses a fact that no validated doc of its article states."},
    {"rule-fact-unreadable", DR_SEV_WARNING, "Rule rests on a fact no doc can be read for", "No validated doc of the article is in a language the fact's patterns or lexicons read."},
    {"rule-fact-locales", DR_SEV_WARNING, "Fact lost in some translations", "The newest version of an article states a fact the rules use, but some of its translations do not."},
    {"rule-case-doc-missing", DR_SEV_ERROR, "Test case cites a missing doc", "A rule test case expects a citation of a doc that does not exist."},
    {"rule-load-error", DR_SEV_ERROR, "Rule script does not load", "A rule script has a syntax error or fails while loading."},
    {"inline-directive-unknown", DR_SEV_WARNING, "docrules-disable names no finding code", "An inline <!-- docrules-disable CODE --> comment names a code validate does not report."},
    {"file-unreadable", DR_SEV_ERROR, "File or folder cannot be read", "A file or folder cannot be read, or is not a regular file (a FIFO or device)."},
    {"symlink-skipped", DR_SEV_NOTE, "Symbolic link not followed", "A symbolic link is not followed: links can loop or lead out of the corpus."},
};

const dr_code_info *dr_code_info_of(const char *code) {
    for (size_t i = 0; i < sizeof codes / sizeof *codes; i++)
        if (strcmp(codes[i].code, code) == 0) return &codes[i];
    return NULL;
}
