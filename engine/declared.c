/* What a folder of rule scripts declares, read into plain data for
 * docrules validate: the catalog (articles, facts, lexicons), the
 * front-matter keys and artifact patterns it lints with, every fact each
 * rule names, and what the test cases cite. The scripts run in a state of
 * their own that is closed before dr_declared_read returns: a linter holds
 * no rule engine (no sandboxed state, no compiled rules) while it reads
 * thousands of docs, and depends on this, not on the engine's API. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../common/alloc.h"
#include "../common/arena.h"
#include "internal.h"

/* Raw: the tables are the scripts' own (a rule, an artifact), read here
 * outside any protected call, where an __index a script set would run
 * unbudgeted. */
static const char *sfield(lua_State *L, int t, const char *k) {
    dr_rawfield(L, t, k);
    const char *s = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
    lua_pop(L, 1);
    return s;
}

static const char *keep(dr_declared *d, const char *s) { return s ? dr_arena_strdup(d->arena, s) : NULL; }

/* required_keys { ... } and artifact "id" { lang = { patterns } }. */
static void read_lint(dr_engine *e, dr_declared *d) {
    lua_State *L = e->L;
    lua_rawgeti(L, LUA_REGISTRYINDEX, e->module_ref);
    lua_getfield(L, -1, "decl");
    int decl = lua_gettop(L);
    lua_getfield(L, decl, "required");
    size_t nr = (size_t)lua_rawlen(L, -1);
    d->required = dr_arena_calloc(d->arena, nr ? nr : 1, sizeof *d->required);
    for (size_t i = 0; i < nr; i++) {
        lua_rawgeti(L, -1, (lua_Integer)i + 1);
        lua_getfield(L, -1, "alts");
        size_t na = (size_t)lua_rawlen(L, -1);
        d->required[i] = dr_arena_calloc(d->arena, na + 1, sizeof **d->required);
        for (size_t k = 0; k < na; k++) {
            lua_rawgeti(L, -1, (lua_Integer)k + 1);
            d->required[i][k] = keep(d, lua_tostring(L, -1));
            lua_pop(L, 1);
        }
        lua_pop(L, 2);
    }
    d->nrequired = nr;
    lua_pop(L, 1);
    lua_getfield(L, decl, "artifacts");
    size_t na = (size_t)lua_rawlen(L, -1);
    DR_VEC(dr_lint_pattern) pats = {0};
    for (size_t i = 0; i < na; i++) {
        lua_rawgeti(L, -1, (lua_Integer)i + 1);
        int t = lua_gettop(L);
        const char *id = keep(d, sfield(L, t, "id")), *msg = keep(d, sfield(L, t, "message"));
        const char *file = keep(d, sfield(L, t, "file"));
        dr_rawfield(L, t, "line");
        int line = (int)lua_tointeger(L, -1);
        lua_pop(L, 1);
        lua_pushnil(L);
        while (lua_next(L, t)) {
            const char *lang = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
            if (lang && lua_istable(L, -1)) {
                for (lua_Integer k = 1; k <= (lua_Integer)lua_rawlen(L, -1); k++) {
                    lua_rawgeti(L, -1, k);
                    if (lua_type(L, -1) == LUA_TSTRING)
                        *DR_VEC_PUSH(d->arena, pats) = (dr_lint_pattern){id, msg, keep(d, lang), keep(d, lua_tostring(L, -1)),
                                                                          file, line};
                    lua_pop(L, 1);
                }
            }
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
    d->artifacts = pats.v;
    d->nartifacts = pats.n;
    lua_pop(L, 3);
}

/* Each rule and compute once, as declared (prelude's decl.rules): a shared
 * rule is in several policies but says its facts once, at its own place. */
static void read_uses(dr_engine *e, dr_declared *d) {
    lua_State *L = e->L;
    lua_rawgeti(L, LUA_REGISTRYINDEX, e->module_ref);
    lua_getfield(L, -1, "decl");
    lua_getfield(L, -1, "rules");
    int rules = lua_gettop(L);
    DR_VEC(dr_fact_use) uses = {0};
    for (lua_Integer j = 1; j <= (lua_Integer)lua_rawlen(L, rules); j++) {
        lua_rawgeti(L, rules, j);
        int r = lua_gettop(L);
        const char *id = keep(d, sfield(L, r, "id")), *file = keep(d, sfield(L, r, "file"));
        dr_rawfield(L, r, "line");
        int line = (int)lua_tointeger(L, -1);
        lua_pop(L, 1);
        static const char *const fields[] = {"uses", "optional"};
        for (int fi = 0; fi < 2; fi++) {
            dr_rawfield(L, r, fields[fi]);
            for (lua_Integer k = 1; k <= (lua_Integer)lua_rawlen(L, -1); k++) {
                lua_rawgeti(L, -1, k);
                if (lua_type(L, -1) == LUA_TSTRING)
                    *DR_VEC_PUSH(d->arena, uses) = (dr_fact_use){id, file, keep(d, lua_tostring(L, -1)), line, fi};
                lua_pop(L, 1);
            }
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
    d->uses = uses.v;
    d->nuses = uses.n;
    lua_pop(L, 3);
}

/* The docs the cases in rules/tests expect decisions to cite ("doc":
 * "corpus/..." in their expect), each with the case's place. */
static void read_cites(dr_engine *e, const char *dir, dr_declared *d) {
    char tests[4200];
    snprintf(tests, sizeof tests, "%s/tests", dir);
    struct stat st;
    if (stat(tests, &st) != 0) return;
    size_t n;
    dr_error_clear(&d->cases_error);
    if (dr_engine_load_cases(e, tests, &n, &d->cases_error) != DR_OK) return;
    DR_VEC(dr_case_cite) cites = {0};
    for (size_t i = 0; i < n; i++) {
        dr_case c;
        if (dr_engine_case(e, i, &c) != DR_OK) continue;
        for (const char *p = c.expect; (p = strstr(p, "\"doc\":\"")) != NULL;) {
            p += 7;
            const char *q = strchr(p, '"');
            if (!q) break;
            *DR_VEC_PUSH(d->arena, cites) = (dr_case_cite){keep(d, c.file), keep(d, c.name ? c.name : "?"),
                                                           dr_arena_strndup(d->arena, p, (size_t)(q - p)), c.line};
            p = q;
        }
        free(c.account);
        free(c.expect);
    }
    d->cites = cites.v;
    d->ncites = cites.n;
}

int dr_declared_read(const char *dir, dr_declared **out, dr_error *err) {
    *out = NULL;
    dr_engine_opts eo = {dir, NULL, 0, 0, 0, NULL, NULL};
    dr_engine *e;
    int rc = dr_engine_new(&eo, &e, err);
    if (rc != DR_OK) return rc;
    dr_declared *d = dr_xcalloc(1, sizeof *d);
    d->arena = dr_arena_new(16 * 1024);
    read_lint(e, d);
    read_uses(e, d);
    read_cites(e, dir, d);
    /* The catalog outlives the engine: it is the declarations' now. */
    d->cat = e->cat;
    e->cat = NULL;
    dr_engine_free(e);
    *out = d;
    return DR_OK;
}

void dr_declared_free(dr_declared *d) {
    if (!d) return;
    dr_catalog_free(d->cat);
    dr_arena_free(d->arena);
    free(d);
}
