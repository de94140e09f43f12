/* Shared by the files of facts/ only. */
#ifndef DR_FACTS_INTERNAL_H
#define DR_FACTS_INTERNAL_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "../common/arena.h"
#include "facts.h"

typedef struct cat_article {
    const char *id, *asset;
    const char **anchors;
    size_t nanchors;
} cat_article;

typedef struct cat_fact {
    const char *name, *type, *file;
    const char *quantity;   /* the account field a bound is on, or NULL */
    int bound;              /* 0, or DR_BOUND_BELOW / DR_BOUND_ABOVE */
    int line;
    int article;
    dr_fact_kind kind;
} cat_fact;

typedef struct cat_pattern {
    int fact;
    const char *lang, *key, *regex;
    long value;
    pcre2_code *code;
} cat_pattern;

struct dr_catalog {
    dr_arena *arena;
    DR_VEC(cat_article) articles;
    DR_VEC(cat_fact) facts;
    DR_VEC(cat_pattern) patterns;
    pcre2_match_context *mctx;
};

#endif
