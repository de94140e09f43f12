#include "lang.h"

#include <string.h>
#include <strings.h>

int dr_lang_covers(const char *lang, const char *locale) {
    if (!lang || !locale) return 0;
    if (strcmp(lang, "*") == 0) return 1;
    size_t n = strlen(lang);
    return strncasecmp(lang, locale, n) == 0 && (locale[n] == '\0' || locale[n] == '-');
}
