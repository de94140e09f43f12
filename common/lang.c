#include "lang.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

int dr_lang_covers(const char *lang, const char *locale) {
    if (!lang || !locale) return 0;
    if (strcmp(lang, "*") == 0) return 1;
    size_t n = strlen(lang);
    return strncasecmp(lang, locale, n) == 0 && (locale[n] == '\0' || locale[n] == '-');
}

int dr_lang_tag_valid(const char *s) {
    size_t n = strlen(s), i = 0;
    if (n > 35) return 0;
    while (i < n && isalpha((unsigned char)s[i])) i++;
    if (i < 2 || i > 8) return 0;
    while (i < n) {
        if (s[i] != '-' && s[i] != '_') return 0;
        size_t k = ++i;
        while (i < n && isalnum((unsigned char)s[i])) i++;
        if (i == k || i - k > 8) return 0;
    }
    return 1;
}

size_t dr_lang_primary(const char *tag) { return strcspn(tag, "-_"); }
