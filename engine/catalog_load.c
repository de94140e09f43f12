/* What article "..." { } and fact "..." { } declared, into a dr_catalog. */
#include <ctype.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <stdio.h>
#include <string.h>

#include "../common/alloc.h"
#include "internal.h"

static const char *str_field(lua_State *L, int t, const char *k) {
    dr_rawfield(L, t, k);
    const char *s = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
    lua_pop(L, 1); /* the string stays alive in the table */
    return s;
}

static int int_field(lua_State *L, int t, const char *k) {
    dr_rawfield(L, t, k);
    int v = (int)lua_tointeger(L, -1);
    lua_pop(L, 1);
    return v;
}

static int is_lang(const char *k) {
    size_t n = strlen(k);
    if (n < 2 || !islower((unsigned char)k[0]) || !islower((unsigned char)k[1])) return 0;
    if (n == 2) return 1;
    if (k[2] != '-' || n < 4) return 0;
    for (size_t i = 3; i < n; i++)
        if (!isalnum((unsigned char)k[i])) return 0;
    return 1;
}

/* The value at the top: a pattern, or a list of them, where each may be
 * { "regex", value = N }. */
static int add_patterns(lua_State *L, dr_catalog *c, int fact, const char *lang, const char *key,
                        const char *file, int line, dr_error *err) {
    int t = lua_gettop(L);
    if (lua_type(L, t) == LUA_TSTRING)
        return dr_catalog_add_pattern(c, fact, lang, key, 0, lua_tostring(L, t), file, line, err);
    if (!lua_istable(L, t))
        return dr_error_set(err, DR_EPARSE, file, line, 0,
                            "patterns for \"%s\" must be a string or a list of strings", lang);
    lua_Integer n = (lua_Integer)lua_rawlen(L, t);
    for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, t, i);
        int rc;
        if (lua_type(L, -1) == LUA_TSTRING) {
            rc = dr_catalog_add_pattern(c, fact, lang, key, 0, lua_tostring(L, -1), file, line, err);
        } else if (lua_istable(L, -1)) {
            lua_rawgeti(L, -1, 1);
            const char *re = lua_tostring(L, -1);
            lua_pop(L, 1);
            long value = int_field(L, lua_gettop(L), "value");
            rc = re ? dr_catalog_add_pattern(c, fact, lang, key, value, re, file, line, err)
                    : dr_error_set(err, DR_EPARSE, file, line, 0,
                                   "a pattern table is { \"regex\", value = N }");
        } else {
            rc = dr_error_set(err, DR_EPARSE, file, line, 0, "pattern %d for \"%s\" is not a string",
                              (int)i, lang);
        }
        lua_pop(L, 1);
        if (rc) return rc;
    }
    return DR_OK;
}

static size_t strings_of(lua_State *L, const char **out, size_t max);

static const char *const reserved[] = {"name", "article", "type", "file", "line",
                                       "description", "anchor", "quantity", "bound", "unit", "terms", NULL};

static int is_reserved(const char *k) {
    for (const char *const *r = reserved; *r; r++)
        if (strcmp(*r, k) == 0) return 1;
    return 0;
}

static int load_fact(lua_State *L, dr_catalog *c, int t, dr_error *err) {
    const char *name = str_field(L, t, "name"), *article = str_field(L, t, "article");
    const char *type = str_field(L, t, "type"), *file = str_field(L, t, "file");
    int line = int_field(L, t, "line");
    int fi, rc = dr_catalog_add_fact(c, name, article, type, file, line, &fi, err);
    if (rc) return rc;
    const char *quantity = str_field(L, t, "quantity"), *bound = str_field(L, t, "bound");
    if (bound || quantity) {
        static const char *const names[] = {"below", "above", "at_least", "at_most"};
        static const int bounds[] = {DR_BOUND_BELOW, DR_BOUND_ABOVE, DR_BOUND_AT_LEAST, DR_BOUND_AT_MOST};
        int b = 0;
        for (size_t k = 0; bound && k < 4 && !b; k++)
            if (strcmp(bound, names[k]) == 0) b = bounds[k];
        if (!quantity || !b || dr_catalog_fact_kind(c, fi) != DR_FACT_NUMBER)
            return dr_error_set(err, DR_EPARSE, file, line, 0,
                                "fact \"%s\": a bound is a number fact with quantity = \"field\" and bound = "
                                "\"below\" (fewer than), \"at_most\", \"above\" (more than) or \"at_least\"", name);
        dr_catalog_set_bound(c, fi, quantity, b);
    }
    const char *unit = str_field(L, t, "unit");
    if (unit && (dr_catalog_fact_kind(c, fi) != DR_FACT_NUMBER || dr_catalog_set_unit(c, fi, unit) != DR_OK))
        return dr_error_set(err, DR_EPARSE, file, line, 0,
                            "fact \"%s\": unit = \"%s\": a number fact's unit is one of days, minutes, "
                            "hours, months, licenses, users, accounts", name, unit);
    dr_rawfield(L, t, "terms");
    const char *terms[16];
    size_t nterms = strings_of(L, terms, 16);
    if (!lua_isnil(L, -1) && (dr_catalog_fact_kind(c, fi) != DR_FACT_FLAG || !nterms))
        rc = dr_error_set(err, DR_EPARSE, file, line, 0,
                          "fact \"%s\": terms = { \"...\" } names the lexicon terms a flag's sentence holds", name);
    for (size_t k = 0; rc == DR_OK && k < nterms; k++) rc = dr_catalog_add_concept(c, fi, terms[k]);
    lua_pop(L, 1);
    if (rc) return rc;
    /* anchor = "regex" or { ... }: the sections that state a procedure
     * (where its steps are) or a set (read there in any version). */
    dr_fact_kind kind = dr_catalog_fact_kind(c, fi);
    int proc = kind == DR_FACT_PROCEDURE, set = kind == DR_FACT_SET, any = 0;
    dr_rawfield(L, t, "anchor");
    if (lua_isnil(L, -1)) {
        if (proc) rc = dr_error_set(err, DR_EPARSE, file, line, 0, "procedure \"%s\" needs anchor = \"regex\"", name);
    } else {
        const char *anchors[16];
        size_t na = strings_of(L, anchors, 16);
        /* Every entry counted, not only the list's: { "x", k = "y" } is not a list. */
        size_t given = lua_type(L, -1) == LUA_TSTRING ? 1 : 0;
        if (lua_istable(L, -1)) {
            lua_pushnil(L);
            while (lua_next(L, -2)) {
                given++;
                lua_pop(L, 1);
            }
        }
        if (!(set || proc) || !na || na != given)
            rc = dr_error_set(err, DR_EPARSE, file, line, 0,
                              "fact \"%s\": anchor = \"regex\" (or a list of at most 16) names the sections of "
                              "a procedure or of a set", name);
        for (size_t k = 0; rc == DR_OK && k < na; k++) rc = dr_catalog_add_section(c, fi, anchors[k], file, line, err);
    }
    lua_pop(L, 1);
    /* A procedure is found by its anchor alone: patterns beside it would
     * be read by nobody. */
    for (int more = proc && rc == DR_OK ? (lua_pushnil(L), 1) : 0; more && lua_next(L, t);) {
        const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
        lua_pop(L, 1);
        if (k && !is_reserved(k)) {
            rc = dr_error_set(err, DR_EPARSE, file, line, 0,
                              "procedure \"%s\" is found by anchor = alone: %s = is read by nobody", name, k);
            lua_pop(L, 1);
            more = 0;
        }
    }
    if (proc || rc) return rc;
    lua_pushnil(L);
    while (rc == DR_OK && lua_next(L, t)) {
        const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
        if (k && !is_reserved(k)) {
            if (set) {
                /* value = { lang = patterns, ... } */
                if (!lua_istable(L, -1)) {
                    rc = dr_error_set(err, DR_EPARSE, file, line, 0,
                                      "set \"%s\": %s = { en = {...}, ... } gives its patterns", name, k);
                } else {
                    int vt = lua_gettop(L);
                    lua_pushnil(L);
                    while (rc == DR_OK && lua_next(L, vt)) {
                        const char *lang = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "";
                        if (!is_lang(lang))
                            rc = dr_error_set(err, DR_EPARSE, file, line, 0,
                                              "set \"%s\", value %s: \"%s\" is not a language tag",
                                              name, k, lang);
                        else rc = add_patterns(L, c, fi, lang, k, file, line, err);
                        any = 1;
                        lua_pop(L, 1);
                    }
                    if (rc) lua_pop(L, 1);
                }
            } else if (!is_lang(k)) {
                rc = dr_error_set(err, DR_EPARSE, file, line, 0,
                                  "fact \"%s\": \"%s\" is neither a field nor a language tag", name, k);
            } else {
                rc = add_patterns(L, c, fi, k, NULL, file, line, err);
                any = 1;
            }
        }
        lua_pop(L, 1);
        if (rc) lua_pop(L, 1);
    }
    if (rc == DR_OK && !any)
        rc = dr_error_set(err, DR_EPARSE, file, line, 0, "fact \"%s\" has no patterns", name);
    return rc;
}

/* An article's list field (t.name = { "...", ... }) into the catalog, one
 * string at a time through add. */
static int add_strings(lua_State *L, dr_catalog *c, int t, const char *name,
                       int (*add)(dr_catalog *, const char *, const char *), const char *what, dr_error *err) {
    const char *id = str_field(L, t, "id");
    int rc = DR_OK;
    dr_rawfield(L, t, name);
    for (lua_Integer k = 1; rc == DR_OK && k <= (lua_Integer)lua_rawlen(L, -1); k++) {
        lua_rawgeti(L, -1, k);
        if (lua_type(L, -1) != LUA_TSTRING || add(c, id, lua_tostring(L, -1)) != DR_OK)
            rc = dr_error_set(err, DR_EPARSE, str_field(L, t, "file"), int_field(L, t, "line"), 0,
                              "article \"%s\": %s is %s", id ? id : "?", name, what);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return rc;
}

int dr_catalog_from_decl(dr_engine *e, dr_catalog **out, dr_error *err) {
    lua_State *L = e->L;
    dr_catalog *c = dr_catalog_new();
    if (!c) return dr_error_set(err, DR_ELIMIT, NULL, 0, 0, "out of memory");
    /* Facts read from a bundle are found already: no pattern will run. */
    if (e->bundle) dr_catalog_reads_no_docs(c);
    int rc = DR_OK;
    lua_rawgeti(L, LUA_REGISTRYINDEX, e->module_ref);
    dr_rawfield(L, -1, "decl");
    int decl = lua_gettop(L);
    dr_rawfield(L, decl, "articles");
    for (lua_Integer i = 1; rc == DR_OK && i <= (lua_Integer)lua_rawlen(L, -1); i++) {
        lua_rawgeti(L, -1, i);
        int t = lua_gettop(L);
        const char *anchors[32];
        size_t na = 0;
        dr_rawfield(L, t, "anchors");
        for (lua_Integer k = 1; k <= (lua_Integer)lua_rawlen(L, -1) && na < 32; k++) {
            lua_rawgeti(L, -1, k);
            if (lua_type(L, -1) == LUA_TSTRING) anchors[na++] = lua_tostring(L, -1);
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
        rc = dr_catalog_add_article(c, str_field(L, t, "id"), str_field(L, t, "asset"), anchors, na,
                                    str_field(L, t, "file"), int_field(L, t, "line"), err);
        if (rc == DR_OK)
            rc = add_strings(L, c, t, "also_assets", dr_catalog_add_article_asset, "a list of ms.assetid values", err);
        if (rc == DR_OK)
            rc = add_strings(L, c, t, "sources", dr_catalog_add_article_source, "the names of its source files", err);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    dr_rawfield(L, decl, "facts");
    for (lua_Integer i = 1; rc == DR_OK && i <= (lua_Integer)lua_rawlen(L, -1); i++) {
        lua_rawgeti(L, -1, i);
        rc = load_fact(L, c, lua_gettop(L), err);
        lua_pop(L, 1);
    }
    lua_pop(L, 3);
    if (rc) {
        dr_catalog_free(c);
        return rc;
    }
    *out = c;
    return DR_OK;
}

/* A list of strings at the top (one string counts as a list of one) into
 * an array of at most max. */
static size_t strings_of(lua_State *L, const char **out, size_t max) {
    if (lua_type(L, -1) == LUA_TSTRING) {
        out[0] = lua_tostring(L, -1);
        return 1;
    }
    size_t n = 0;
    if (!lua_istable(L, -1)) return 0;
    for (lua_Integer k = 1; k <= (lua_Integer)lua_rawlen(L, -1) && n < max; k++) {
        lua_rawgeti(L, -1, k);
        if (lua_type(L, -1) == LUA_TSTRING) out[n++] = lua_tostring(L, -1); /* kept by the table */
        lua_pop(L, 1);
    }
    return n;
}

/* One lexicon "lang" { units, bounds, numbers, terms } into the catalog. */
static int load_lexicon(lua_State *L, dr_catalog *c, int t, dr_error *err) {
    const char *lang = str_field(L, t, "lang"), *file = str_field(L, t, "file");
    int line = int_field(L, t, "line"), lex;
    if (!is_lang(lang ? lang : ""))
        return dr_error_set(err, DR_EPARSE, file, line, 0, "lexicon \"%s\": not a language tag", lang ? lang : "");
    int rc = dr_catalog_add_lexicon(c, lang, file, line, &lex, err);
    static const char *const groups[] = {"units", "bounds", "terms"};
    for (int g = 0; rc == DR_OK && g < 3; g++) {
        dr_rawfield(L, t, groups[g]);
        if (lua_istable(L, -1)) {
            int gt = lua_gettop(L);
            lua_pushnil(L);
            while (rc == DR_OK && lua_next(L, gt)) {
                const char *key = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
                const char *frags[64];
                size_t n = strings_of(L, frags, 64);
                if (!key || !n)
                    rc = dr_error_set(err, DR_EPARSE, file, line, 0,
                                      "lexicon \"%s\": %s: each entry is name = { [[words]], ... }", lang, groups[g]);
                else rc = dr_catalog_lexicon_words(c, lex, groups[g], key, frags, n, err);
                lua_pop(L, 1);
            }
            if (rc) lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
    if (rc == DR_OK) {
        dr_rawfield(L, t, "numbers");
        const char *words[256];
        long values[256];
        size_t n = 0;
        if (lua_istable(L, -1)) {
            int nt = lua_gettop(L);
            lua_pushnil(L);
            while (lua_next(L, nt)) {
                if (lua_type(L, -2) == LUA_TSTRING && lua_isinteger(L, -1) && n < 256) {
                    words[n] = lua_tostring(L, -2);
                    values[n++] = (long)lua_tointeger(L, -1);
                } else if (rc == DR_OK) {
                    rc = dr_error_set(err, DR_EPARSE, file, line, 0,
                                      "lexicon \"%s\": numbers are [\"word\"] = integer", lang);
                }
                lua_pop(L, 1);
            }
        }
        lua_pop(L, 1);
        if (rc == DR_OK) rc = dr_catalog_lexicon_numbers(c, lex, words, values, n, err);
    }
    return rc;
}

/* The lexicons in rules/lexicons/, read in a state of their own that is
 * closed once they are in the catalog: the states that decide do not carry
 * them. A rules folder without lexicons has none (facts are then read by
 * patterns and by structure alone). */
int dr_lexicons_load(dr_engine *e, dr_catalog *c, dr_error *err) {
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/lexicons", e->rules_dir);
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) return DR_OK;
    dr_engine *x = dr_xcalloc(1, sizeof *x);
    /* Loading data, not deciding: the limits are the defaults, whatever a
     * caller set for its decisions (a cap of 200 KB is fine for rules). */
    x->max_instructions = DR_DEFAULT_MAX_INSTRUCTIONS;
    x->max_memory = DR_DEFAULT_MAX_MEMORY;
    int rc = dr_state_open(x, err);
    if (rc == DR_OK) rc = dr_state_load_dir(x, dir, 1, err);
    if (rc == DR_OK) {
        lua_State *L = x->L;
        lua_rawgeti(L, LUA_REGISTRYINDEX, x->module_ref);
        dr_rawfield(L, -1, "decl");
        dr_rawfield(L, -1, "lexicons");
        for (lua_Integer i = 1; rc == DR_OK && i <= (lua_Integer)lua_rawlen(L, -1); i++) {
            lua_rawgeti(L, -1, i);
            rc = load_lexicon(L, c, lua_gettop(L), err);
            lua_pop(L, 1);
        }
        lua_pop(L, 3);
    }
    /* The lexicons change what is read from the docs: part of the revision. */
    dr_engine_add_lexicon_hash(e, x->script_hash);
    dr_state_close(x);
    free(x);
    return rc;
}
