/* Between Lua values and JSON: accounts in, decisions out. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define MAX_DEPTH 64

/* Tables the engine never changes once made (the citation of a fact, the
 * same for every decision under one version of the docs) are serialized
 * once: the cache maps the table to its JSON, which jansson shares by
 * reference. The cache is a Lua table in the registry, weak on keys. */
static const char CONST_KEY = 'c';

static int json_gc(lua_State *L) {
    json_t **j = lua_touserdata(L, 1);
    if (*j) json_decref(*j);
    *j = NULL;
    return 0;
}

/* Marking allocates the box the JSON will live in, so that serializing
 * later allocates nothing in Lua and cannot fail there. */
void dr_const_mark(lua_State *L, int idx) {
    idx = lua_absindex(L, idx);
    if (lua_rawgetp(L, LUA_REGISTRYINDEX, &CONST_KEY) != LUA_TTABLE) {
        lua_pop(L, 1);
        lua_newtable(L);
        lua_newtable(L);
        lua_pushliteral(L, "k");
        lua_setfield(L, -2, "__mode");
        lua_setmetatable(L, -2);
        lua_pushvalue(L, -1);
        lua_rawsetp(L, LUA_REGISTRYINDEX, &CONST_KEY);
    }
    lua_pushvalue(L, idx);
    json_t **box = lua_newuserdatauv(L, sizeof *box, 0);
    *box = NULL;
    lua_newtable(L);
    lua_pushcfunction(L, json_gc);
    lua_setfield(L, -2, "__gc");
    lua_setmetatable(L, -2);
    lua_rawset(L, -3);
    lua_pop(L, 1);
}

/* The box of a marked table, or NULL for an ordinary one. No allocation. */
static json_t **const_box(lua_State *L, int idx) {
    if (lua_rawgetp(L, LUA_REGISTRYINDEX, &CONST_KEY) != LUA_TTABLE) {
        lua_pop(L, 1);
        return NULL;
    }
    lua_pushvalue(L, idx);
    json_t **box = lua_rawget(L, -2) == LUA_TUSERDATA ? lua_touserdata(L, -1) : NULL;
    lua_pop(L, 2);
    return box;
}

/* A table is an array when its keys are exactly 1..n (an empty table is
 * an array: the fields that can be empty are lists). */
static int is_array(lua_State *L, int idx) {
    lua_Integer n = (lua_Integer)lua_rawlen(L, idx), count = 0;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pop(L, 1);
        if (!lua_isinteger(L, -1)) {
            lua_pop(L, 1);
            return 0;
        }
        count++;
    }
    return count == n;
}

/* Nested objects put the fields people look for first. */
static const char *const preferred[] = {
    "id", "rule", "message", "source", "sources", "doc", "line", "anchor", "fact", "value",
    "n", "text", "amount", "currency", "when", "days", "delete_after", "channels", "until",
    "remaining_charges", "term_end", "count", "locale", "version", NULL,
};

static int rank(const char *k) {
    for (int i = 0; preferred[i]; i++)
        if (k[0] == preferred[i][0] && strcmp(preferred[i], k) == 0) return i;
    return 1000;
}

typedef struct ranked {
    const char *key;
    int rank;
} ranked;

static int key_order(const void *a, const void *b) {
    const ranked *x = a, *y = b;
    return x->rank != y->rank ? x->rank - y->rank : strcmp(x->key, y->key);
}

static json_t *to_json(lua_State *L, int idx, int depth, int use_const);

json_t *dr_lua_to_json(lua_State *L, int idx, int depth) { return to_json(L, idx, depth, 1); }

static json_t *to_json(lua_State *L, int idx, int depth, int use_const) {
    idx = lua_absindex(L, idx);
    switch (lua_type(L, idx)) {
    case LUA_TNIL: return json_null();
    case LUA_TBOOLEAN: return json_boolean(lua_toboolean(L, idx));
    case LUA_TNUMBER:
        if (lua_isinteger(L, idx)) return json_integer((json_int_t)lua_tointeger(L, idx));
        {
            double v = lua_tonumber(L, idx);
            return isfinite(v) ? json_real(v) : json_null();
        }
    case LUA_TSTRING: {
        size_t n;
        const char *s = lua_tolstring(L, idx, &n);
        json_t *j = json_stringn(s, n);
        /* A rule may build invalid UTF-8; say so rather than drop it. */
        return j ? j : json_string("(invalid UTF-8)");
    }
    case LUA_TTABLE: {
        if (depth > MAX_DEPTH) return json_string("(nested too deep)");
        json_t **box = use_const ? const_box(L, idx) : NULL;
        if (box && *box) return json_incref(*box);
        if (box) {
            /* Built once, then shared by every decision citing it. */
            json_t *j = to_json(L, idx, depth, 0);
            *box = json_incref(j);
            return j;
        }
        if (is_array(L, idx)) {
            json_t *a = json_array();
            lua_Integer n = (lua_Integer)lua_rawlen(L, idx);
            for (lua_Integer i = 1; i <= n; i++) {
                lua_rawgeti(L, idx, i);
                json_array_append_new(a, dr_lua_to_json(L, -1, depth + 1));
                lua_pop(L, 1);
            }
            return a;
        }
        /* Keys in a fixed order: Lua's table order changes from run to run,
         * and output that does not cannot be diffed. */
        ranked keys[64];
        size_t n = 0;
        lua_pushnil(L);
        while (lua_next(L, idx)) {
            lua_pop(L, 1);
            if (lua_type(L, -1) == LUA_TSTRING && n < 64) {
                keys[n].key = lua_tostring(L, -1);
                keys[n].rank = rank(keys[n].key);
                n++;
            }
        }
        if (n > 1) qsort(keys, n, sizeof *keys, key_order);
        json_t *o = json_object();
        for (size_t i = 0; i < n; i++) {
            lua_getfield(L, idx, keys[i].key);
            json_object_set_new(o, keys[i].key, dr_lua_to_json(L, -1, depth + 1));
            lua_pop(L, 1);
        }
        return o;
    }
    default: return json_string(luaL_typename(L, idx));
    }
}

void dr_json_to_lua(lua_State *L, const json_t *j, int depth) {
    luaL_checkstack(L, 4, "JSON nested too deep");
    switch (json_typeof(j)) {
    case JSON_OBJECT: {
        lua_createtable(L, 0, (int)json_object_size(j));
        if (depth > MAX_DEPTH) return;
        const char *k;
        json_t *v;
        json_object_foreach((json_t *)j, k, v) {
            if (json_is_null(v)) continue; /* absent and null are the same */
            dr_json_to_lua(L, v, depth + 1);
            lua_setfield(L, -2, k);
        }
        return;
    }
    case JSON_ARRAY: {
        lua_createtable(L, (int)json_array_size(j), 0);
        if (depth > MAX_DEPTH) return;
        for (size_t i = 0; i < json_array_size(j); i++) {
            dr_json_to_lua(L, json_array_get(j, i), depth + 1);
            lua_rawseti(L, -2, (lua_Integer)i + 1);
        }
        return;
    }
    case JSON_STRING: lua_pushlstring(L, json_string_value(j), json_string_length(j)); return;
    case JSON_INTEGER: lua_pushinteger(L, (lua_Integer)json_integer_value(j)); return;
    case JSON_REAL: lua_pushnumber(L, json_real_value(j)); return;
    case JSON_TRUE: lua_pushboolean(L, 1); return;
    case JSON_FALSE: lua_pushboolean(L, 0); return;
    case JSON_NULL: lua_pushnil(L); return;
    }
}

/* The contract's order; other fields (extensions) follow in name order. */
static const char *const order[] = {
    "id", "action", "decision", "error", "channels", "required_roles", "reasons", "remedies",
    "steps", "refund", "support_plan", "data_retention", "reactivation", "remaining", NULL,
};

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Whether a field is in a comma-separated list (NULL: every field). */
static int wanted(const char *fields, const char *k) {
    if (!fields) return 1;
    size_t n = strlen(k);
    for (const char *p = fields; (p = strstr(p, k)); p += n)
        if ((p == fields || p[-1] == ',') && (p[n] == ',' || p[n] == '\0')) return 1;
    return 0;
}

char *dr_decision_to_json(lua_State *L, int idx, const char *fields) {
    idx = lua_absindex(L, idx);
    json_t *o = json_object();
    for (const char *const *k = order; *k; k++) {
        if (!wanted(fields, *k)) continue;
        if (lua_getfield(L, idx, *k) != LUA_TNIL) json_object_set_new(o, *k, dr_lua_to_json(L, -1, 0));
        lua_pop(L, 1);
    }
    const char *extra[64];
    size_t n = 0;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pop(L, 1);
        if (lua_type(L, -1) != LUA_TSTRING) continue;
        const char *k = lua_tostring(L, -1);
        int known = strcmp(k, "explain") == 0;
        for (const char *const *p = order; *p && !known; p++) known = strcmp(*p, k) == 0;
        if (!known && n < 64 && wanted(fields, k)) extra[n++] = k;
    }
    qsort(extra, n, sizeof *extra, cmp_str);
    for (size_t i = 0; i < n; i++) {
        lua_getfield(L, idx, extra[i]);
        json_object_set_new(o, extra[i], dr_lua_to_json(L, -1, 0));
        lua_pop(L, 1);
    }
    if (lua_getfield(L, idx, "explain") != LUA_TNIL) json_object_set_new(o, "explain", dr_lua_to_json(L, -1, 0));
    lua_pop(L, 1);
    char *s = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    return s;
}
