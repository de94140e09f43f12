/* Language tags as the docs write them: a pattern or lexicon for "fr"
 * reads docs of "fr-fr" and "fr-ca"; "zh-tw" reads zh-tw only. */
#ifndef DR_LANG_H
#define DR_LANG_H

/* Whether language lang ("fr", "zh-tw", "*" for any) covers the doc
 * locale ("fr-fr"), case-insensitively. */
int dr_lang_covers(const char *lang, const char *locale);

#include <stddef.h>

/* Whether s is a language tag in BCP 47's shape: a language of 2-8
 * letters, then subtags of 1-8 letters or digits after '-' (or '_'). */
int dr_lang_tag_valid(const char *s);

/* The length of a tag's language ("zh" of "zh-tw"). */
size_t dr_lang_primary(const char *tag);

#endif
