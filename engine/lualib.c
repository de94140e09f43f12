/* The C functions prelude.lua builds the rule language on. */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../common/alloc.h"
#include "../common/dates.h"
#include "../common/lang.h"
#include "../common/money.h"
#include "internal.h"

#define FACTS_CACHE_MAX 64

static dr_engine *engine_of(lua_State *L) {
    dr_engine *e;
    lua_getallocf(L, (void **)&e);
    return e;
}

/* where(level) -> file, line of the function `level` calls up. */
static int l_where(lua_State *L) {
    lua_Debug ar;
    int level = (int)luaL_optinteger(L, 1, 1);
    if (!lua_getstack(L, level, &ar) || !lua_getinfo(L, "Sl", &ar)) {
        lua_pushliteral(L, "?");
        lua_pushinteger(L, 0);
        return 2;
    }
    lua_pushstring(L, dr_script_path(engine_of(L), ar.short_src));
    lua_pushinteger(L, ar.currentline);
    return 2;
}

static int l_date(lua_State *L) {
    const char *s = luaL_checkstring(L, 1);
    long day;
    if (dr_date_from_iso(s, &day) != DR_OK) return luaL_error(L, "\"%s\" is not a date (YYYY-MM-DD)", s);
    lua_pushinteger(L, day);
    return 1;
}

static int l_iso(lua_State *L) {
    char out[11];
    lua_Integer day = luaL_checkinteger(L, 1);
    /* Past 9999-12-31 (an account's last day plus a retention period) no
     * YYYY-MM-DD says the day: an error, never a wrapped year. */
    if (day < DR_DAY_FIRST || day > DR_DAY_LAST || dr_date_to_iso((long)day, out) != DR_OK)
        return luaL_error(L, "iso: the day is %s, which no YYYY-MM-DD date can say",
                          day > 0 ? "after 9999-12-31" : "before 0001-01-01");
    lua_pushstring(L, out);
    return 1;
}

static int l_add_months(lua_State *L) {
    lua_Integer d = luaL_checkinteger(L, 1), k = luaL_checkinteger(L, 2);
    /* A day no date names would overflow the calendar's arithmetic. */
    if (d < DR_DAY_FIRST || d > DR_DAY_LAST)
        return luaL_error(L, "add_months: the day is not one from 0001-01-01 to 9999-12-31");
    if (k < -120000 || k > 120000) return luaL_error(L, "add_months: %d months is too many", (int)k);
    lua_pushinteger(L, dr_date_add_months((long)d, (int)k));
    return 1;
}

static int l_money(lua_State *L) {
    const char *s = luaL_checkstring(L, 1), *cur = luaL_checkstring(L, 2);
    int64_t v;
    const char *why;
    if (dr_money_parse(s, cur, &v, &why) != DR_OK) return luaL_error(L, "money \"%s\" %s: %s", s, cur, why);
    lua_pushinteger(L, (lua_Integer)v);
    return 1;
}

static int l_money_str(lua_State *L) {
    char out[64];
    dr_money_format((int64_t)luaL_checkinteger(L, 1), luaL_checkstring(L, 2), out, sizeof out);
    lua_pushstring(L, out);
    return 1;
}

static int l_prorate(lua_State *L) {
    int64_t out;
    if (DR_OK != dr_money_scale((int64_t)luaL_checkinteger(L, 1), (int64_t)luaL_checkinteger(L, 2),
                        (int64_t)luaL_checkinteger(L, 3), &out))
        return luaL_error(L, "prorate: cannot scale %I by %I/%I", luaL_checkinteger(L, 1), luaL_checkinteger(L, 2),
                          luaL_checkinteger(L, 3));
    lua_pushinteger(L, (lua_Integer)out);
    return 1;
}

/* Scratch memory for one C function, left on the Lua stack: if a Lua error
 * (the memory cap, say) unwinds past the function, the collector frees it,
 * where malloc'd memory would leak. */
static void *scratch(lua_State *L, size_t bytes) {
    return lua_newuserdatauv(L, bytes ? bytes : 1, 0);
}

/* How well a doc's language serves a reader of `want`: the higher the
 * better. An English reader is served by a bilingual doc's source text. */
static int locale_score(const dr_doc *d, const char *want, int *use_source) {
    const char *loc = dr_doc_locale(d);
    size_t nseg;
    dr_doc_segments(d, &nseg);
    *use_source = 0;
    int want_en = want && strncmp(want, "en", 2) == 0;
    if (loc && want && strcasecmp(loc, want) == 0) return 5;
    if (loc && want && strncasecmp(loc, want, 2) == 0) return 4;
    if (want_en && nseg) {
        *use_source = 1;
        return 3;
    }
    if (loc && strcmp(loc, "en-us") == 0) return 2;
    if (loc && strncmp(loc, "en", 2) == 0) return 2;
    if (nseg) return 1;
    return 0;
}

/* The docs of the version of `article` in force, best language first. */
static size_t ranked_docs(dr_engine *e, const char *article, const char *as_of, const char *locale,
                          size_t *docs, int *use_source, const char **date) {
    const dr_factset *fs = e->fs;
    size_t n = dr_factset_version(fs, article, as_of, docs, date);
    int score[n ? n : 1];
    for (size_t i = 0; i < n; i++) score[i] = locale_score(dr_factset_doc(fs, docs[i]), locale, &use_source[i]);
    /* Stable insertion sort: few docs per version. */
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && score[j] > score[j - 1]; j--) {
            size_t td = docs[j];
            docs[j] = docs[j - 1];
            docs[j - 1] = td;
            int ts = score[j];
            score[j] = score[j - 1];
            score[j - 1] = ts;
            int tu = use_source[j];
            use_source[j] = use_source[j - 1];
            use_source[j - 1] = tu;
        }
    return n;
}

static void push_meta(lua_State *L, const dr_catalog *cat, const dr_fact *f, const char *date) {
    const dr_doc *d = f->doc;
    size_t ns;
    const dr_section *s = dr_doc_sections(d, &ns);
    lua_createtable(L, 0, 8);
    lua_pushstring(L, dr_doc_path(d));
    lua_setfield(L, -2, "doc");
    lua_pushinteger(L, f->line);
    lua_setfield(L, -2, "line");
    if (f->section >= 0 && (size_t)f->section < ns && s[f->section].anchor[0]) {
        lua_pushstring(L, s[f->section].anchor);
        lua_setfield(L, -2, "anchor");
    }
    lua_pushstring(L, dr_catalog_fact_name(cat, f->fact));
    lua_setfield(L, -2, "fact");
    if (dr_doc_locale(d)) {
        lua_pushstring(L, dr_doc_locale(d));
        lua_setfield(L, -2, "locale");
    }
    if (date) {
        lua_pushstring(L, date);
        lua_setfield(L, -2, "version");
    }
    if (f->from_source) {
        lua_pushboolean(L, 1);
        lua_setfield(L, -2, "from_source_text");
    }
    /* A fact read through the doc this one translates says so, and what
     * was read: a citation an auditor can follow to the English line. */
    if (f->how == DR_HOW_ALIGNED && f->via) {
        lua_pushliteral(L, "aligned");
        lua_setfield(L, -2, "how");
        lua_pushstring(L, f->via);
        lua_setfield(L, -2, "read");
    }
}

/* context(as_of, locale) -> { as_of, locale, values, meta, steps = {} }:
 * every declared fact stated by the version of its article in force on
 * as_of, its citation, and a place for the procedures' steps once read.
 * The one cache of these, per (day, locale): the corpus does not change
 * while the engine lives. */
/* oldest_version(facts) -> the date of the oldest doc of the articles
 * these facts come from, or nil: for a no_rule on a day before it. */
static int l_oldest_version(lua_State *L) {
    dr_engine *e = engine_of(L);
    luaL_checktype(L, 1, LUA_TTABLE);
    const char *oldest = NULL;
    lua_Integer n = (lua_Integer)lua_rawlen(L, 1);
    for (lua_Integer k = 1; k <= n; k++) {
        lua_rawgeti(L, 1, k);
        int fi = lua_type(L, -1) == LUA_TSTRING ? dr_catalog_fact_index(e->cat, lua_tostring(L, -1)) : -1;
        lua_pop(L, 1);
        if (fi < 0) continue;
        const char *art = dr_catalog_fact_article(e->cat, fi);
        for (size_t d = 0; d < dr_factset_doc_count(e->fs); d++) {
            int a = dr_factset_article(e->fs, d);
            const char *date = dr_doc_date(dr_factset_doc(e->fs, d));
            if (a < 0 || !date || strcmp(dr_catalog_article_id(e->cat, (size_t)a), art) != 0) continue;
            if (!oldest || strcmp(date, oldest) < 0) oldest = date;
        }
    }
    if (oldest) lua_pushstring(L, oldest);
    else lua_pushnil(L);
    return 1;
}

/* first_stated(fact) -> the date of the oldest version of a doc that
 * states the fact, or nil: for a no_rule whose rules rest on a fact the
 * docs in force do not state yet. */
static int l_first_stated(lua_State *L) {
    dr_engine *e = engine_of(L);
    int fi = dr_catalog_fact_index(e->cat, luaL_checkstring(L, 1));
    const char *first = NULL;
    size_t nf;
    const dr_fact *f = dr_factset_facts(e->fs, &nf);
    for (size_t i = 0; fi >= 0 && i < nf; i++) {
        const char *date = f[i].fact == fi ? dr_doc_date(f[i].doc) : NULL;
        if (date && (!first || strcmp(date, first) < 0)) first = date;
    }
    if (first) lua_pushstring(L, first);
    else lua_pushnil(L);
    return 1;
}

/* The facts in force on as_of for a reader of locale: for each fact of
 * each article, what the first doc of the version in force (best
 * language first) that states it says. keep[j] is set for each of those
 * statements (a set's every member), date[j] to its version's date. The
 * one selection: the rules' context and `docrules facts --as-of` read it. */
static void in_force(dr_engine *e, const char *as_of, const char *locale, size_t *docs, int *src, unsigned char *keep,
                     const char **date) {
    const dr_catalog *cat = e->cat;
    const dr_factset *fs = e->fs;
    size_t nf;
    const dr_fact *facts = dr_factset_facts(fs, &nf);
    memset(keep, 0, nf);
    for (size_t a = 0; a < dr_catalog_article_count(cat); a++) {
        const char *art = dr_catalog_article_id(cat, a), *version;
        size_t n = ranked_docs(e, art, as_of, locale, docs, src, &version);
        for (size_t fi = 0; fi < dr_catalog_fact_count(cat); fi++) {
            if (strcmp(dr_catalog_fact_article(cat, (int)fi), art) != 0) continue;
            int stated = 0;
            for (size_t k = 0; k < n && !stated; k++) {
                const dr_doc *d = dr_factset_doc(fs, docs[k]);
                for (size_t j = 0; j < nf; j++) {
                    if (facts[j].doc != d || facts[j].fact != (int)fi) continue;
                    keep[j] = 1;
                    date[j] = version;
                    stated = 1;
                    if (dr_catalog_fact_kind(cat, (int)fi) != DR_FACT_SET) break;
                }
            }
        }
    }
}

int dr_engine_facts_in_force(dr_engine *e, const char *as_of, const char *locale, unsigned char *keep) {
    size_t ndocs = dr_factset_doc_count(e->fs), nf;
    dr_factset_facts(e->fs, &nf);
    size_t *docs = dr_xmalloc((ndocs ? ndocs : 1) * sizeof *docs);
    int *src = dr_xmalloc((ndocs ? ndocs : 1) * sizeof *src);
    const char **date = dr_xmalloc((nf ? nf : 1) * sizeof *date);
    char loc[40];
    snprintf(loc, sizeof loc, "%s", locale ? locale : DR_DEFAULT_LOCALE);
    for (char *p = loc; *p; p++) *p = (char)tolower((unsigned char)*p);
    in_force(e, as_of, loc, docs, src, keep, date);
    free(docs);
    free(src);
    free(date);
    return DR_OK;
}

/* A new context for the day and language at as_of and locale (strings,
 * absolute indices), pushed over what it used of the stack. */
static void make_context(lua_State *L, dr_engine *e, int as_of_at, int locale_at) {
    int top = lua_gettop(L);
    const char *as_of = lua_tostring(L, as_of_at), *locale = lua_tostring(L, locale_at);
    const dr_catalog *cat = e->cat;
    const dr_factset *fs = e->fs;
    size_t ndocs = dr_factset_doc_count(fs), nf;
    const dr_fact *facts = dr_factset_facts(fs, &nf);
    size_t *docs = scratch(L, ndocs * sizeof *docs);
    int *src = scratch(L, ndocs * sizeof *src);
    unsigned char *keep = scratch(L, nf);
    const char **date = scratch(L, nf * sizeof *date);
    in_force(e, as_of, locale, docs, src, keep, date);
    lua_newtable(L); /* values */
    lua_newtable(L); /* meta */
    int values = lua_gettop(L) - 1, meta = values + 1;
    for (size_t fi = 0; fi < dr_catalog_fact_count(cat); fi++) {
        dr_fact_kind kind = dr_catalog_fact_kind(cat, (int)fi);
        const char *name = dr_catalog_fact_name(cat, (int)fi);
        const dr_fact *first = NULL;
        const char *version = NULL;
        int nkeys = 0;
        for (size_t j = 0; j < nf; j++) {
            if (!keep[j] || facts[j].fact != (int)fi) continue;
            if (!first) {
                first = &facts[j];
                version = date[j];
                if (kind == DR_FACT_SET) lua_newtable(L);
            }
            if (kind != DR_FACT_SET) break;
            /* A set: each value once, in the order first stated. */
            int dup = 0;
            for (int q = 1; q <= nkeys && !dup; q++) {
                lua_rawgeti(L, -1, q);
                dup = strcmp(lua_tostring(L, -1), facts[j].key) == 0;
                lua_pop(L, 1);
            }
            if (!dup) {
                lua_pushstring(L, facts[j].key);
                lua_rawseti(L, -2, ++nkeys);
            }
        }
        if (!first) continue;
        if (kind == DR_FACT_NUMBER) lua_pushinteger(L, first->value);
        else if (kind != DR_FACT_SET) lua_pushboolean(L, 1);
        lua_pushvalue(L, -1);
        lua_setfield(L, values, name);
        push_meta(L, cat, first, version);
        lua_insert(L, -2);
        lua_setfield(L, -2, "value");
        dr_const_mark(L, -1);
        lua_setfield(L, meta, name);
    }
    lua_createtable(L, 0, 6);
    lua_pushvalue(L, as_of_at);
    lua_setfield(L, -2, "as_of");
    lua_pushvalue(L, locale_at);
    lua_setfield(L, -2, "locale");
    lua_pushvalue(L, values);
    lua_setfield(L, -2, "values");
    lua_pushvalue(L, meta);
    lua_setfield(L, -2, "meta");
    lua_newtable(L);
    lua_setfield(L, -2, "steps");
    lua_newtable(L); /* each policy's plan (prelude's plan_of) */
    lua_setfield(L, -2, "plans");
    lua_replace(L, top + 1);
    lua_settop(L, top + 1);
}

void dr_context_push(lua_State *L, dr_engine *e, int as_of, int locale) {
    as_of = lua_absindex(L, as_of);
    locale = lua_absindex(L, locale);
    if (lua_type(L, as_of) != LUA_TSTRING || lua_type(L, locale) != LUA_TSTRING)
        luaL_error(L, "context: the day and the language are strings, not %s and %s", luaL_typename(L, as_of),
                   luaL_typename(L, locale));
    int top = lua_gettop(L);
    lua_rawgeti(L, LUA_REGISTRYINDEX, e->facts_cache_ref); /* top + 1: cache */
    lua_pushvalue(L, as_of);
    if (lua_rawget(L, top + 1) == LUA_TTABLE) { /* top + 2: cache[as_of] */
        lua_pushvalue(L, locale);
        if (lua_rawget(L, top + 2) == LUA_TTABLE) {
            lua_replace(L, top + 1);
            lua_settop(L, top + 1);
            return;
        }
        lua_pop(L, 1);
    } else {
        lua_pop(L, 1);
        lua_newtable(L);
        lua_pushvalue(L, as_of);
        lua_pushvalue(L, -2);
        lua_rawset(L, top + 1);
    }
    /* A stream of accounts can name many days and languages: the cache is
     * bounded, and starts over when full. */
    if (++e->facts_cache_n > FACTS_CACHE_MAX) {
        lua_settop(L, top);
        lua_newtable(L);
        lua_pushvalue(L, -1);
        lua_rawseti(L, LUA_REGISTRYINDEX, e->facts_cache_ref);
        lua_newtable(L);
        lua_pushvalue(L, as_of);
        lua_pushvalue(L, -2);
        lua_rawset(L, top + 1);
        e->facts_cache_n = 1;
    }
    make_context(L, e, as_of, locale); /* top + 3 */
    lua_pushvalue(L, locale);
    lua_pushvalue(L, top + 3);
    lua_rawset(L, top + 2);
    lua_replace(L, top + 1);
    lua_settop(L, top + 1);
}

/* context(as_of, locale) -> the context (dr_context_push). */
static int l_context(lua_State *L) {
    luaL_checkstring(L, 1);
    if (lua_isnoneornil(L, 2)) {
        lua_settop(L, 1);
        lua_pushliteral(L, DR_DEFAULT_LOCALE);
    }
    luaL_checkstring(L, 2);
    dr_context_push(L, engine_of(L), 1, 2);
    return 1;
}

int dr_procedure_fact(const dr_engine *e, const char *name) {
    int fi = dr_catalog_fact_index(e->cat, name);
    return fi >= 0 && dr_catalog_fact_kind(e->cat, fi) == DR_FACT_PROCEDURE ? fi : -1;
}

/* steps(procedure fact, as_of, locale) -> { {n, text, source = {doc, line}} } */
static int l_steps(lua_State *L) {
    dr_engine *e = engine_of(L);
    const char *name = luaL_checkstring(L, 1), *as_of = luaL_checkstring(L, 2);
    const char *locale = luaL_optstring(L, 3, DR_DEFAULT_LOCALE);
    const dr_catalog *cat = e->cat;
    int fi = dr_procedure_fact(e, name);
    if (fi < 0) return luaL_error(L, "\"%s\" is not a procedure fact", name);
    const dr_factset *fs = e->fs;
    size_t ndocs = dr_factset_doc_count(fs), nf;
    const dr_fact *facts = dr_factset_facts(fs, &nf);
    size_t *docs = scratch(L, ndocs * sizeof *docs);
    int *src = scratch(L, ndocs * sizeof *src);
    const char *date;
    size_t n = ranked_docs(e, dr_catalog_fact_article(cat, fi), as_of, locale, docs, src, &date);
    lua_newtable(L);
    for (size_t k = 0; k < n; k++) {
        const dr_doc *d = dr_factset_doc(fs, docs[k]);
        const dr_fact *hit = NULL;
        for (size_t j = 0; j < nf && !hit; j++)
            if (facts[j].doc == d && facts[j].fact == fi) hit = &facts[j];
        if (!hit) continue;
        size_t nu;
        const dr_unit *u = dr_doc_units(d, &nu);
        /* A section that says what to do in paragraphs, not a numbered
         * list ("Step 1: Delete users"), gives its paragraphs. */
        dr_unit_kind kind = DR_UNIT_PARAGRAPH;
        for (size_t j = 0; j < nu; j++)
            if (u[j].section == hit->section && u[j].kind == DR_UNIT_STEP) kind = DR_UNIT_STEP;
        int i = 0;
        for (size_t j = 0; j < nu; j++) {
            if (u[j].section != hit->section || u[j].kind != kind || u[j].parent >= 0) continue;
            const char *text = src[k] && u[j].source_text ? u[j].source_text : u[j].text;
            lua_createtable(L, 0, 3);
            lua_pushinteger(L, i + 1);
            lua_setfield(L, -2, "n");
            lua_pushstring(L, text);
            lua_setfield(L, -2, "text");
            lua_createtable(L, 0, 3);
            lua_pushstring(L, dr_doc_path(d));
            lua_setfield(L, -2, "doc");
            lua_pushinteger(L, u[j].line);
            lua_setfield(L, -2, "line");
            if (dr_doc_locale(d)) {
                lua_pushstring(L, src[k] ? "en" : dr_doc_locale(d));
                lua_setfield(L, -2, "locale");
            }
            lua_setfield(L, -2, "source");
            dr_const_mark(L, -1); /* the same for every decision: JSON built once */
            lua_rawseti(L, -2, ++i);
        }
        break;
    }
    /* The list too: prelude keeps it with the context and never changes
     * it, and a decision with steps otherwise walked it to reach the
     * frozen steps. */
    dr_const_mark(L, -1);
    return 1;
}

/* Four instructions a comparison, as the same loop in Lua counted; the
 * charge comes first, so a length of 2^60 fails before the loop. */
static long cost_of(lua_Integer n) {
    if (n <= 0) return 1;
    return n > LONG_MAX / 4 ? LONG_MAX : (long)n * 4;
}

/* Pushes `a.actor and a.actor.roles` for the account at a, with Lua's
 * metamethods, the two keys being the functions' upvalues (made strings
 * once, not looked up by their text on every call). */
static void push_roles(lua_State *L, int a) {
    lua_pushvalue(L, lua_upvalueindex(1));
    if (lua_gettable(L, a) != LUA_TNIL && lua_toboolean(L, -1)) {
        lua_pushvalue(L, lua_upvalueindex(2));
        lua_gettable(L, -2);
        lua_remove(L, -2);
    }
}

/* Whether the list at roles (any false value: none) holds the value at
 * role: `roles[i] == role` for each i, with the same metamethods. In C
 * because most rules ask it of every account, and in Lua it cost more
 * than the rest of the rule. */
static int holds_role(lua_State *L, dr_engine *e, int roles, int role) {
    if (!lua_toboolean(L, roles)) return 0;
    lua_Integer n = luaL_len(L, roles);
    dr_budget_charge(L, e, cost_of(n));
    int found = 0;
    for (lua_Integer i = 1; i <= n && !found; i++) {
        lua_geti(L, roles, i);
        found = lua_compare(L, -1, role, LUA_OPEQ);
        lua_pop(L, 1);
    }
    return found;
}

/* has_role(a, role) */
static int l_has_role(lua_State *L) {
    lua_settop(L, 2);
    push_roles(L, 1); /* 3 */
    lua_pushboolean(L, holds_role(L, engine_of(L), 3, 2));
    return 1;
}

/* any_role(a, set): whether the actor holds any role of a list. */
static int l_any_role(lua_State *L) {
    lua_settop(L, 2);
    dr_engine *e = engine_of(L);
    lua_Integer n = luaL_len(L, 2);
    dr_budget_charge(L, e, cost_of(n));
    int found = 0;
    for (lua_Integer i = 1; i <= n && !found; i++) {
        if (i == 1) push_roles(L, 1); /* 3: read only if there is a role to look for */
        lua_geti(L, 2, i);
        found = holds_role(L, e, 3, 4);
        lua_pop(L, 1);
    }
    lua_pushboolean(L, found);
    return 1;
}

/* language_problem(tag): nil when a query could ask for tag (the check
 * of --locale, api/docrules.c), else what is wrong with it, in words: for
 * a test case's locale, said at the case's line when it loads. */
static int l_language_problem(lua_State *L) {
    const char *tag = luaL_checkstring(L, 1);
    char langs[512];
    if (!dr_lang_tag_valid(tag))
        lua_pushliteral(L, "is not a language tag such as zh-tw or en-us");
    else if (!dr_engine_language_known(engine_of(L), tag, langs, sizeof langs))
        lua_pushfstring(L, "is a language neither the corpus nor a lexicon is in (%s)", langs[0] ? langs : "none");
    else
        lua_pushnil(L);
    return 1;
}

/* frozen(t): for prelude.lua only, on a table it will never change again
 * (a rule's channels as declared): its JSON is made once. Returns t. */
static int l_frozen(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    dr_const_mark(L, 1);
    return 1;
}

/* json_problem(v, name): what JSON would not hold of v as it is (json.c's
 * dr_json_problem), or nil. In C: a case file's cases are checked as it
 * loads, and a Lua walk of each was charged to the file's budget (1,500
 * cases fitted where 8,700 had). */
static int l_json_problem(lua_State *L) {
    char out[400];
    const char *name = luaL_checkstring(L, 2);
    lua_settop(L, 2);
    if (dr_json_problem(L, 1, name, out, sizeof out)) lua_pushstring(L, out);
    else lua_pushnil(L);
    return 1;
}

void dr_lualib_push(dr_engine *e) {
    static const luaL_Reg fns[] = {
        {"where", l_where},     {"date", l_date},           {"iso", l_iso},
        {"add_months", l_add_months}, {"money", l_money},   {"money_str", l_money_str},
        {"prorate", l_prorate}, {"context", l_context}, {"oldest_version", l_oldest_version},
        {"first_stated", l_first_stated},         {"steps", l_steps},
        {"has_role", l_has_role}, {"any_role", l_any_role}, {"frozen", l_frozen},
        {"language_problem", l_language_problem}, {"places", dr_words_places},
        {"fill_words", dr_words_fill_facts}, {"json_problem", l_json_problem},
        {NULL, NULL},
    };
    luaL_newlibtable(e->L, fns);
    lua_pushliteral(e->L, "actor");
    lua_pushliteral(e->L, "roles");
    luaL_setfuncs(e->L, fns, 2);
    dr_output_push_lib(e->L);
    dr_views_push_lib(e->L);
    /* null: what --explain notes for a value a condition found absent (a
     * table cannot hold nil); the JSON writer writes it as null. A rule
     * script cannot make a light userdata, so none of its values is this. */
    lua_pushlightuserdata(e->L, NULL);
    lua_setfield(e->L, -2, "null");
    dr_contract_push_kinds(e->L);
    lua_setfield(e->L, -2, "field_kinds");
    lua_pushliteral(e->L, DR_DEFAULT_ACTION);
    lua_setfield(e->L, -2, "default_action");
    lua_pushinteger(e->L, DR_MAX_BECAUSE);
    lua_setfield(e->L, -2, "max_because");
    lua_pushliteral(e->L, DR_DEFAULT_LOCALE);
    lua_setfield(e->L, -2, "default_locale");
}
