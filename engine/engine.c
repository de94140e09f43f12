/* Building engines, and one decision. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"

const dr_catalog *dr_engine_catalog(const dr_engine *e) { return e->cat; }
const dr_factset *dr_engine_factset(const dr_engine *e) { return e->fs; }

static dr_engine *alloc_engine(const char *rules_dir, long max_instr, size_t max_mem,
                               const char *today) {
    dr_engine *e = calloc(1, sizeof *e);
    if (!e) return NULL;
    e->rules_dir = strdup(rules_dir);
    e->max_instructions = max_instr > 0 ? max_instr : DR_DEFAULT_MAX_INSTRUCTIONS;
    e->max_memory = max_mem > 0 ? max_mem : DR_DEFAULT_MAX_MEMORY;
    if (today) {
        snprintf(e->today, sizeof e->today, "%s", today);
    } else {
        time_t t = time(NULL);
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(e->today, sizeof e->today, "%Y-%m-%d", &tm);
    }
    return e;
}

/* Every fact a rule names in uses or optional must be declared. */
typedef struct uses_check {
    const dr_catalog *cat;
    dr_error *err;
    int rc;
} uses_check;

static void check_use(void *ud, const char *rule, const char *file, int line, const char *fact,
                      int optional) {
    (void)optional;
    uses_check *u = ud;
    if (u->rc == DR_OK && dr_catalog_fact_index(u->cat, fact) < 0)
        u->rc = dr_error_set(u->err, DR_ERULE, file, line, 0,
                             "rule %s uses fact \"%s\", which no fact \"...\" declares", rule, fact);
}

static int check_uses(dr_engine *e, dr_error *err) {
    uses_check u = {e->cat, err, DR_OK};
    dr_engine_uses(e, check_use, &u);
    return u.rc;
}

int dr_engine_new(const dr_engine_opts *o, dr_engine **out, dr_error *err) {
    *out = NULL;
    dr_engine *e = alloc_engine(o->rules_dir, o->max_instructions, o->max_memory, o->today);
    if (!e) return dr_error_set(err, DR_ELIMIT, NULL, 0, 0, "out of memory");
    int rc = dr_state_open(e, err);
    if (rc == DR_OK) rc = dr_state_load_dir(e, e->rules_dir, 0, err);
    if (rc == DR_OK) rc = dr_catalog_from_decl(e, &e->cat, err);
    if (rc == DR_OK) rc = check_uses(e, err);
    dr_factset_opts fo = {0, o->corpus_label};
    if (rc == DR_OK) rc = dr_factset_load(e->cat, o->corpus, o->ncorpus, &fo, &e->fs, err);
    if (rc != DR_OK) {
        dr_engine_free(e);
        return rc;
    }
    *out = e;
    return DR_OK;
}

int dr_engine_fork(const dr_engine *parent, dr_engine **out, dr_error *err) {
    *out = NULL;
    dr_engine *e = alloc_engine(parent->rules_dir, parent->max_instructions, parent->max_memory,
                                parent->today);
    if (!e) return dr_error_set(err, DR_ELIMIT, NULL, 0, 0, "out of memory");
    e->parent = parent;
    e->cat = parent->cat;
    e->fs = parent->fs;
    int rc = dr_state_open(e, err);
    if (rc == DR_OK) rc = dr_state_load_dir(e, e->rules_dir, 0, err);
    if (rc != DR_OK) {
        dr_engine_free(e);
        return rc;
    }
    *out = e;
    return DR_OK;
}

void dr_engine_free(dr_engine *e) {
    if (!e) return;
    if (e->L) lua_close(e->L);
    if (!e->parent) {
        dr_factset_free(e->fs);
        dr_catalog_free(e->cat);
    }
    free(e->rules_dir);
    free(e);
}

static char *error_decision(lua_State *L, int account, const char *action, const char *msg) {
    json_t *o = json_object();
    if (account && lua_getfield(L, account, "id") == LUA_TSTRING)
        json_object_set_new(o, "id", json_string(lua_tostring(L, -1)));
    if (account) lua_pop(L, 1);
    json_object_set_new(o, "action", json_string(action));
    json_object_set_new(o, "decision", json_string("error"));
    /* "file:line: message" first; the traceback, where Lua gave one, apart. */
    const char *tb = strstr(msg, "\nstack traceback:");
    json_t *m = tb ? json_stringn(msg, (size_t)(tb - msg)) : json_string(msg);
    json_object_set_new(o, "error", m ? m : json_string("(message is not UTF-8)"));
    if (tb) {
        json_t *t = json_string(tb + 18);
        if (t) json_object_set_new(o, "traceback", t);
    }
    char *s = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    return s;
}

int dr_engine_decide(dr_engine *e, const char *text, size_t len, const dr_query *q, char **json,
                     dr_error *err) {
    lua_State *L = e->L;
    int top = lua_gettop(L);
    *json = NULL;
    int rc = dr_account_push(e, text, len, err);
    if (rc != DR_OK) {
        lua_settop(L, top);
        return rc;
    }
    int account = lua_gettop(L);
    const char *action = q && q->action ? q->action : NULL;
    if (!action && lua_getfield(L, account, "action") == LUA_TSTRING) action = lua_tostring(L, -1);
    if (!action) action = "cancel-subscription";
    lua_getfield(L, account, "product");
    char key[96];
    snprintf(key, sizeof key, "%s/%s", lua_tostring(L, -1), action);
    const char *locale = q && q->locale ? q->locale : NULL;
    if (!locale && lua_getfield(L, account, "locale") == LUA_TSTRING) locale = lua_tostring(L, -1);
    if (!locale) locale = "en-us";
    char loc[32];
    snprintf(loc, sizeof loc, "%s", locale);
    for (char *p = loc; *p; p++)
        if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');

    lua_rawgeti(L, LUA_REGISTRYINDEX, e->module_ref);
    int mod = lua_gettop(L);
    lua_getfield(L, mod, "decide");
    lua_pushstring(L, key);
    lua_pushvalue(L, account);
    /* One query table, reused: a new one per decision is garbage. */
    if (!e->query_ref) {
        lua_createtable(L, 0, 6);
        e->query_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    }
    lua_rawgeti(L, LUA_REGISTRYINDEX, e->query_ref);
    lua_pushstring(L, action);
    lua_setfield(L, -2, "action");
    lua_pushstring(L, q && q->as_of ? q->as_of : e->today);
    lua_setfield(L, -2, "as_of");
    lua_pushstring(L, loc);
    lua_setfield(L, -2, "locale");
    lua_pushboolean(L, q && (q->explain || q->coverage));
    lua_setfield(L, -2, "explain");
    lua_pushboolean(L, q && q->fields && !strstr(q->fields, "reasons"));
    lua_setfield(L, -2, "brief");
    char msg[1024];
    if (dr_state_call(e, 3, 1, msg, sizeof msg) != LUA_OK) {
        *json = error_decision(L, account, action, msg);
    } else {
        if (q && q->coverage) {
            lua_getfield(L, mod, "coverage_mark");
            lua_pushvalue(L, -2);
            char m2[256];
            dr_state_call(e, 1, 0, m2, sizeof m2);
        }
        if (q && q->coverage && !q->explain) {
            lua_pushnil(L);
            lua_setfield(L, -2, "explain");
        }
        *json = dr_decision_to_json(L, -1, q ? q->fields : NULL);
    }
    lua_settop(L, top);
    if (!*json) return dr_error_set(err, DR_ELIMIT, NULL, 0, 0, "could not write the decision");
    return DR_OK;
}

int dr_engine_load_cases(dr_engine *e, const char *dir, size_t *ncases, dr_error *err) {
    int rc = dr_state_load_dir(e, dir, 1, err);
    lua_State *L = e->L;
    lua_rawgeti(L, LUA_REGISTRYINDEX, e->module_ref);
    lua_getfield(L, -1, "decl");
    lua_getfield(L, -1, "cases");
    *ncases = (size_t)lua_rawlen(L, -1);
    lua_pop(L, 3);
    return rc;
}

static const char *field(lua_State *L, int t, const char *k) {
    lua_getfield(L, t, k);
    const char *s = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
    lua_pop(L, 1);
    return s;
}

int dr_engine_case(dr_engine *e, size_t i, dr_case *c) {
    lua_State *L = e->L;
    memset(c, 0, sizeof *c);
    lua_rawgeti(L, LUA_REGISTRYINDEX, e->module_ref);
    lua_getfield(L, -1, "decl");
    lua_getfield(L, -1, "cases");
    if (lua_rawgeti(L, -1, (lua_Integer)i + 1) != LUA_TTABLE) {
        lua_pop(L, 4);
        return DR_EUSAGE;
    }
    int t = lua_gettop(L);
    c->file = field(L, t, "file");
    c->name = field(L, t, "name");
    c->as_of = field(L, t, "as_of");
    c->locale = field(L, t, "locale");
    lua_getfield(L, t, "line");
    c->line = (int)lua_tointeger(L, -1);
    lua_pop(L, 1);
    lua_getfield(L, t, "account");
    json_t *a = dr_lua_to_json(L, -1, 0);
    lua_pop(L, 1);
    lua_getfield(L, t, "expect");
    json_t *x = dr_lua_to_json(L, -1, 0);
    lua_pop(L, 1);
    c->account = json_dumps(a, JSON_COMPACT);
    c->expect = json_dumps(x, JSON_COMPACT);
    json_decref(a);
    json_decref(x);
    lua_pop(L, 4);
    return DR_OK;
}

int dr_engine_coverage(dr_engine *e, char ***lines, size_t *n) {
    lua_State *L = e->L;
    *lines = NULL;
    *n = 0;
    lua_rawgeti(L, LUA_REGISTRYINDEX, e->module_ref);
    lua_getfield(L, -1, "coverage_report");
    char msg[256];
    if (dr_state_call(e, 0, 1, msg, sizeof msg) != LUA_OK) {
        lua_pop(L, 1);
        return DR_ERULE;
    }
    size_t k = (size_t)lua_rawlen(L, -1);
    *lines = calloc(k ? k : 1, sizeof **lines);
    for (size_t i = 0; i < k; i++) {
        lua_rawgeti(L, -1, (lua_Integer)i + 1);
        const char *at = field(L, lua_gettop(L), "at"), *what = field(L, lua_gettop(L), "what");
        size_t len = strlen(at ? at : "?") + strlen(what ? what : "") + 4;
        (*lines)[i] = malloc(len);
        snprintf((*lines)[i], len, "%s: %s", at ? at : "?", what ? what : "");
        lua_pop(L, 1);
    }
    *n = k;
    lua_pop(L, 2);
    return DR_OK;
}

static const char *sfield(lua_State *L, int t, const char *k) {
    lua_getfield(L, t, k);
    const char *s = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
    lua_pop(L, 1);
    return s;
}

int dr_engine_lint(dr_engine *e, dr_lint_decl *out) {
    lua_State *L = e->L;
    memset(out, 0, sizeof *out);
    lua_rawgeti(L, LUA_REGISTRYINDEX, e->module_ref);
    lua_getfield(L, -1, "decl");
    int decl = lua_gettop(L);
    lua_getfield(L, decl, "required");
    size_t nr = (size_t)lua_rawlen(L, -1);
    out->required = calloc(nr ? nr : 1, sizeof *out->required);
    for (size_t i = 0; i < nr; i++) {
        lua_rawgeti(L, -1, (lua_Integer)i + 1);
        lua_getfield(L, -1, "alts");
        size_t na = (size_t)lua_rawlen(L, -1);
        out->required[i] = calloc(na + 1, sizeof **out->required);
        for (size_t k = 0; k < na; k++) {
            lua_rawgeti(L, -1, (lua_Integer)k + 1);
            out->required[i][k] = lua_tostring(L, -1); /* kept alive by decl */
            lua_pop(L, 1);
        }
        lua_pop(L, 2);
    }
    out->nrequired = nr;
    lua_pop(L, 1);
    lua_getfield(L, decl, "artifacts");
    size_t na = (size_t)lua_rawlen(L, -1), cap = 8, n = 0;
    out->artifacts = calloc(cap, sizeof *out->artifacts);
    for (size_t i = 0; i < na; i++) {
        lua_rawgeti(L, -1, (lua_Integer)i + 1);
        int t = lua_gettop(L);
        const char *id = sfield(L, t, "id"), *msg = sfield(L, t, "message"), *file = sfield(L, t, "file");
        lua_getfield(L, t, "line");
        int line = (int)lua_tointeger(L, -1);
        lua_pop(L, 1);
        lua_pushnil(L);
        while (lua_next(L, t)) {
            const char *lang = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
            if (lang && lua_istable(L, -1)) {
                for (lua_Integer k = 1; k <= (lua_Integer)lua_rawlen(L, -1); k++) {
                    lua_rawgeti(L, -1, k);
                    if (lua_type(L, -1) == LUA_TSTRING) {
                        if (n == cap) out->artifacts = realloc(out->artifacts, (cap *= 2) * sizeof *out->artifacts);
                        out->artifacts[n++] = (dr_lint_pattern){id, msg, lang, lua_tostring(L, -1), file, line};
                    }
                    lua_pop(L, 1);
                }
            }
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
    out->nartifacts = n;
    lua_pop(L, 3);
    return DR_OK;
}

void dr_lint_decl_free(dr_lint_decl *d) {
    for (size_t i = 0; i < d->nrequired; i++) free(d->required[i]);
    free(d->required);
    free(d->artifacts);
    memset(d, 0, sizeof *d);
}

void dr_engine_uses(dr_engine *e, dr_uses_fn fn, void *ud) {
    lua_State *L = e->L;
    lua_rawgeti(L, LUA_REGISTRYINDEX, e->module_ref);
    lua_getfield(L, -1, "decl");
    lua_getfield(L, -1, "policies");
    int pol = lua_gettop(L);
    for (lua_Integer i = 1; i <= (lua_Integer)lua_rawlen(L, pol); i++) {
        lua_rawgeti(L, pol, i);
        static const char *const lists[] = {"rules", "computes"};
        for (int li = 0; li < 2; li++) {
            lua_getfield(L, -1, lists[li]);
            for (lua_Integer j = 1; j <= (lua_Integer)lua_rawlen(L, -1); j++) {
                lua_rawgeti(L, -1, j);
                int r = lua_gettop(L);
                const char *id = sfield(L, r, "id"), *file = sfield(L, r, "file");
                lua_getfield(L, r, "line");
                int line = (int)lua_tointeger(L, -1);
                lua_pop(L, 1);
                static const char *const fields[] = {"uses", "optional"};
                for (int fi = 0; fi < 2; fi++) {
                    lua_getfield(L, r, fields[fi]);
                    for (lua_Integer k = 1; k <= (lua_Integer)lua_rawlen(L, -1); k++) {
                        lua_rawgeti(L, -1, k);
                        if (lua_type(L, -1) == LUA_TSTRING) fn(ud, id, file, line, lua_tostring(L, -1), fi);
                        lua_pop(L, 1);
                    }
                    lua_pop(L, 1);
                }
                lua_pop(L, 1);
            }
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 3);
}
