/* Language tags as the docs write them: a pattern or lexicon for "fr"
 * reads docs of "fr-fr" and "fr-ca"; "zh-tw" reads zh-tw only. */
#ifndef DR_LANG_H
#define DR_LANG_H

/* Whether language lang ("fr", "zh-tw", "*" for any) covers the doc
 * locale ("fr-fr"), case-insensitively. */
int dr_lang_covers(const char *lang, const char *locale);

#endif
