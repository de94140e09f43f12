/* The lists among a rule's facts, each decision's own.
 *
 * A rule's view of the day's facts (prelude.lua's view()) is kept for every
 * account decided on the same docs and handed to each of the rule's
 * functions, so it must come out of a decision as it went in: a rule that
 * wrote to it (f.limit = f.limit - 1, table.sort(f.close_roles)) would
 * change every later decision, which would then depend on the accounts
 * before it and differ between -j 1 and -j 2 and between two servers. The
 * view's numbers and words are read-only (its __newindex refuses); a list
 * cannot be, as the C code that reads what a rule returns (output.c, the
 * JSON writer) reads tables raw. So a list the rule reads is a copy, set
 * back to the docs' list the first time each decision reads it: what a
 * rule does to it lasts for the rest of that decision, never into the
 * next, and a decision that reads no list pays nothing. In all this costs
 * a realistic decision about 3,800 instructions (4.5%): a fact read goes
 * through one __index more, a list read through get. (Setting back every
 * view's lists at each decision cost more, a fresh deep copy a fifth of
 * all: README, "Where the instructions went".)
 *
 * view_lists(lists, list_mt, unnamed, allowed) -> get: lists maps a
 * fact's name to its list, which stays here unseen; get(t, name), the
 * __index of the view's words, is that list's copy for the running
 * decision, nil for another name the rule may read (allowed), or what
 * unnamed(t, name, 3) says (an error at the rule's line for one not in its
 * uses: level 3 is the rule's function, past get). The copies (and the tables in them) have
 * list_mt, which refuses new keys: a rule cannot grow a list, so setting
 * back the docs' keys restores it. A C function, so that a list read
 * costs the rule no instructions of its budget. */
#include "internal.h"

/* A list's record, get's upvalue 1 by name: its copy, the docs' list, the
 * decision the copy was set back for, whether the list is flat (1..n,
 * no tables in it). */
enum { R_COPY = 1, R_LIST, R_FOR, R_FLAT };
enum { UV_RECORDS = 1, UV_LIST_MT, UV_UNNAMED, UV_ALLOWED };

/* Facts nest a few levels and have no cycles: deeper than this is an
 * error rather than a table shared between decisions. */
#define MAX_DEPTH 16

static void copy_of(lua_State *L, int t, int mt, int depth);

/* Puts each entry of the table at t into the table at c, a table in it
 * copied anew (never the same table as a rule may have kept). */
static void fill(lua_State *L, int c, int t, int mt, int depth) {
    luaL_checkstack(L, 6, "views");
    lua_pushnil(L);
    while (lua_next(L, t)) {
        if (lua_type(L, -1) == LUA_TTABLE) {
            copy_of(L, -1, mt, depth + 1);
            lua_replace(L, -2);
        }
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, c);
    }
}

/* Pushes a copy of the table at t, each table in it copied too, each with
 * the metatable at mt. */
static void copy_of(lua_State *L, int t, int mt, int depth) {
    t = lua_absindex(L, t);
    if (depth > MAX_DEPTH) luaL_error(L, "a fact nests tables deeper than %d levels", MAX_DEPTH);
    lua_createtable(L, (int)lua_rawlen(L, t), 0);
    int c = lua_gettop(L);
    fill(L, c, t, mt, depth);
    lua_pushvalue(L, mt);
    lua_setmetatable(L, c);
}

/* Whether t is 1..n with no table in it: set back entry by entry. */
static int flat(lua_State *L, int t) {
    lua_Integer n = (lua_Integer)lua_rawlen(L, t), count = 0;
    int ok = 1;
    lua_pushnil(L);
    while (ok && lua_next(L, t)) {
        count++;
        ok = lua_isinteger(L, -2) && lua_tointeger(L, -2) >= 1 && lua_tointeger(L, -2) <= n &&
             lua_type(L, -1) != LUA_TTABLE;
        lua_pop(L, 1);
    }
    if (!ok) lua_pop(L, 1); /* the key lua_next left */
    return ok && count == n;
}

/* Sets the copy at c back to the list at t: entry by entry when flat,
 * else filled again (a rule cannot add keys, so the docs' keys cover the
 * copy's). */
static void set_back(lua_State *L, int c, int t, int is_flat, int mt) {
    if (!is_flat) {
        fill(L, c, t, mt, 0);
        return;
    }
    lua_Integer n = (lua_Integer)lua_rawlen(L, t);
    for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, t, i);
        lua_rawseti(L, c, i);
    }
}

static int get(lua_State *L) {
    lua_settop(L, 2);
    lua_pushvalue(L, 2);
    if (lua_rawget(L, lua_upvalueindex(UV_RECORDS)) != LUA_TTABLE) {
        lua_pop(L, 1);
        /* A fact the rule names that the docs in force do not state: nil,
         * as unnamed says, without calling it (close-account's rules read
         * such optional facts several times an account). */
        lua_pushvalue(L, 2);
        if (lua_rawget(L, lua_upvalueindex(UV_ALLOWED)) != LUA_TNIL) {
            lua_pushnil(L);
            return 1;
        }
        lua_pop(L, 1);
        lua_pushvalue(L, lua_upvalueindex(UV_UNNAMED));
        lua_insert(L, 1);
        lua_pushinteger(L, 3);
        lua_call(L, 3, 1);
        return 1;
    }
    const int rec = 3;
    dr_engine *e;
    lua_getallocf(L, (void **)&e);
    lua_rawgeti(L, rec, R_COPY); /* 4 */
    lua_rawgeti(L, rec, R_FOR);
    if (lua_tointeger(L, -1) != (lua_Integer)e->decisions) {
        lua_rawgeti(L, rec, R_LIST); /* 6 */
        lua_rawgeti(L, rec, R_FLAT);
        set_back(L, 4, 6, lua_toboolean(L, 7), lua_upvalueindex(UV_LIST_MT));
        lua_pushinteger(L, (lua_Integer)e->decisions);
        lua_rawseti(L, rec, R_FOR);
    }
    lua_settop(L, 4);
    return 1;
}

static int l_view_lists(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    luaL_checktype(L, 2, LUA_TTABLE);
    luaL_checktype(L, 3, LUA_TFUNCTION);
    luaL_checktype(L, 4, LUA_TTABLE);
    lua_settop(L, 4);
    lua_newtable(L); /* 5: the records */
    lua_pushnil(L);
    while (lua_next(L, 1)) {
        int list = lua_gettop(L);
        if (lua_type(L, list) != LUA_TTABLE) {
            lua_pop(L, 1);
            continue;
        }
        lua_createtable(L, 4, 0);
        int rec = list + 1;
        copy_of(L, list, 2, 0);
        lua_rawseti(L, rec, R_COPY);
        lua_pushvalue(L, list);
        lua_rawseti(L, rec, R_LIST);
        lua_pushinteger(L, -1);
        lua_rawseti(L, rec, R_FOR);
        lua_pushboolean(L, flat(L, list));
        lua_rawseti(L, rec, R_FLAT);
        lua_pushvalue(L, list - 1); /* the name */
        lua_insert(L, rec);
        lua_rawset(L, 5);
        lua_pop(L, 1);
    }
    lua_pushvalue(L, 2);
    lua_pushvalue(L, 3);
    lua_pushvalue(L, 4);
    lua_pushcclosure(L, get, 4);
    return 1;
}

/* The iterator of view_pairs: the name after k in the list (upvalue 1),
 * and the fact, read through the view. */
static int view_next(lua_State *L) {
    lua_settop(L, 2);
    int names = lua_upvalueindex(1);
    lua_Integer n = (lua_Integer)lua_rawlen(L, names), i = 0;
    if (!lua_isnil(L, 2)) {
        for (i = 1; i <= n; i++) {
            lua_rawgeti(L, names, i);
            int same = lua_rawequal(L, -1, 2);
            lua_pop(L, 1);
            if (same) break;
        }
    }
    if (i >= n) return 0;
    lua_rawgeti(L, names, i + 1);
    lua_pushvalue(L, -1);
    lua_gettable(L, 1);
    return 2;
}

static int view_pairs_of(lua_State *L) {
    lua_pushvalue(L, lua_upvalueindex(2));
    lua_pushvalue(L, 1);
    lua_pushnil(L);
    return 3;
}

/* view_pairs(names) -> the __pairs of a view whose facts are names, in
 * that order. */
static int l_view_pairs(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    lua_pushvalue(L, 1);
    lua_pushcclosure(L, view_next, 1);
    lua_pushcclosure(L, view_pairs_of, 2);
    return 1;
}

/* real_mt(t) -> t's metatable, even one hidden by __metatable: for
 * --explain's watching proxies, which read a view themselves. */
static int l_real_mt(lua_State *L) {
    if (!lua_getmetatable(L, 1)) lua_pushnil(L);
    return 1;
}

void dr_views_push_lib(lua_State *L) {
    static const luaL_Reg fns[] = {
        {"view_lists", l_view_lists}, {"view_pairs", l_view_pairs}, {"real_mt", l_real_mt}, {NULL, NULL},
    };
    luaL_setfuncs(L, fns, 0);
}
