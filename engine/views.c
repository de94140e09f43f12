/* Each decision's own copy of a rule's facts.
 *
 * A rule's view of the day's facts (prelude.lua's view(): the facts it
 * uses, copied, behind a metatable that refuses the others) is made once
 * per day's facts and kept in the policy's plan. The rule functions must
 * not get that kept table: one that wrote to it (f.limit = f.limit - 1,
 * table.sort(f.close_roles)) would change every later decision under the
 * same facts, so that an account's decision would depend on the accounts
 * before it, and differ between -j 1 and -j 2 and between two servers.
 *
 * So the functions get a copy instead, made once per view, that reads the
 * view's numbers and words through its __index and refuses to be written
 * to (writing a fact is an error naming the rule's line); it holds as its
 * own only copies of the view's tables (a list of roles), which are set
 * back to the view's before each decision's first use of the copy: what a
 * rule does to such a list lasts for the rest of that decision, never into
 * the next. A plan keeps the copy itself for a view without tables, which
 * has nothing to set back (prelude's for_rules). This costs a realistic
 * decision about 4,300 instructions (5%), most of it setting the lists
 * back; a fresh deep copy per decision cost a fifth of its instructions in
 * allocation and collection, and setting every field back 6%.
 *
 * The view's metatable holds what this takes: [1] the copy (made at the
 * first use), [2] the copy's metatable and [3] that of the copies of the
 * view's tables (prelude makes both), [4] the decision the copy was set
 * back for, [5] the view's tables: { key, record, key, record, ... }, a
 * record being { copy, key, value, key, value, ... } with a nested
 * table's record as its value (false when the view has no tables). */
#include "internal.h"

enum { MT_COPY = 1, MT_COPY_MT, MT_NESTED_MT, MT_FOR, MT_TABLES };

/* Views are made from the docs' facts: a few levels, no cycles. Deeper
 * than this a table is shared as it is. */
#define MAX_DEPTH 16

/* Appends to the list at out (from *n on) key, value for each field of t
 * that the copy holds (every one, or at depth 0 only the tables), a table
 * as its record { copy, key, value, ... } (mt the view's metatable). */
static void add_fields(lua_State *L, int t, int mt, int out, lua_Integer *n, int depth) {
    luaL_checkstack(L, 8, "views");
    lua_pushnil(L);
    while (lua_next(L, t)) {
        int nested = lua_type(L, -1) == LUA_TTABLE && depth < MAX_DEPTH;
        if (depth == 0 && !nested) { /* read through the copy's __index */
            lua_pop(L, 1);
            continue;
        }
        if (nested) {
            int v = lua_gettop(L);
            lua_newtable(L);
            int rec = v + 1;
            lua_newtable(L);
            lua_rawgeti(L, mt, MT_NESTED_MT);
            lua_setmetatable(L, -2);
            lua_rawseti(L, rec, 1);
            lua_Integer m = 2;
            add_fields(L, v, mt, rec, &m, depth + 1);
            lua_replace(L, v);
        }
        lua_pushvalue(L, -2);
        lua_rawseti(L, out, (*n)++);
        lua_rawseti(L, out, (*n)++);
    }
}

/* Sets the fields of the copy at copy back from the list at list, from
 * index i on. */
static void set_back(lua_State *L, int copy, int list, lua_Integer i) {
    luaL_checkstack(L, 6, "views");
    lua_Integer n = (lua_Integer)lua_rawlen(L, list);
    for (; i < n; i += 2) {
        lua_rawgeti(L, list, i);
        if (lua_rawgeti(L, list, i + 1) == LUA_TTABLE) {
            int rec = lua_gettop(L);
            lua_rawgeti(L, rec, 1);
            set_back(L, lua_gettop(L), rec, 2);
            lua_replace(L, rec);
        }
        lua_rawset(L, copy);
    }
}

void dr_view_fresh(lua_State *L, dr_engine *e, int idx) {
    idx = lua_absindex(L, idx);
    int top = lua_gettop(L);
    if (!lua_checkstack(L, 4) || !lua_istable(L, idx) || !lua_getmetatable(L, idx)) return;
    int mt = top + 1;
    int tables = lua_rawgeti(L, mt, MT_TABLES);
    if (tables == LUA_TBOOLEAN) {
        /* No tables: the copy has nothing of its own to set back. */
        lua_rawgeti(L, mt, MT_COPY);
        lua_replace(L, idx);
        lua_settop(L, top);
        return;
    }
    if (tables == LUA_TTABLE) {
        lua_rawgeti(L, mt, MT_FOR);
        int done = lua_tointeger(L, -1) == (lua_Integer)e->decisions;
        lua_rawgeti(L, mt, MT_COPY);
        if (!done) {
            set_back(L, top + 4, top + 2, 1);
            lua_pushinteger(L, (lua_Integer)e->decisions);
            lua_rawseti(L, mt, MT_FOR);
        }
        lua_replace(L, idx);
        lua_settop(L, top);
        return;
    }
    /* The first use. A view has the metatables prelude's view() gives it;
     * any other table is passed as it is. */
    lua_pop(L, 1);
    if (lua_rawgeti(L, mt, MT_COPY_MT) != LUA_TTABLE) {
        lua_settop(L, top);
        return;
    }
    lua_newtable(L);
    lua_pushvalue(L, -2);
    lua_setmetatable(L, -2);
    lua_rawseti(L, mt, MT_COPY);
    lua_newtable(L);
    lua_Integer n = 1;
    add_fields(L, idx, mt, lua_gettop(L), &n, 0);
    if (n == 1) {
        lua_pop(L, 1);
        lua_pushboolean(L, 0);
    }
    lua_rawseti(L, mt, MT_TABLES);
    lua_settop(L, top);
    dr_view_fresh(L, e, idx); /* now as any later use */
}

void dr_view_push(lua_State *L, dr_engine *e, int entry, int facts, int set_back) {
    entry = lua_absindex(L, entry);
    lua_rawgeti(L, entry, facts);
    int again = lua_rawgeti(L, entry, set_back) != LUA_TNIL;
    lua_pop(L, 1);
    if (again) dr_view_fresh(L, e, -1);
}

/* fresh_view(view) -> the decision's copy of it: prelude's decide() calls
 * this where engine/decide.c calls dr_view_fresh. */
static int l_fresh_view(lua_State *L) {
    dr_engine *e;
    lua_getallocf(L, (void **)&e);
    lua_settop(L, 1);
    dr_view_fresh(L, e, 1);
    return 1;
}

/* real_mt(t) -> t's metatable, even one hidden by __metatable: for
 * --explain's watching proxies, which call a view's refusal themselves. */
static int l_real_mt(lua_State *L) {
    if (!lua_getmetatable(L, 1)) lua_pushnil(L);
    return 1;
}

/* fresh_view, real_mt. */
void dr_views_push_lib(lua_State *L) {
    lua_pushcfunction(L, l_fresh_view);
    lua_setfield(L, -2, "fresh_view");
    lua_pushcfunction(L, l_real_mt);
    lua_setfield(L, -2, "real_mt");
}
