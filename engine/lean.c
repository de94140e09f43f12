/* The lean decision: when a query asks neither reasons, steps nor a trace
 * (batch --fields id,decision,channels), all there is to find is which
 * rule holds. prelude.lua's lean_plan() lists, per product, action and
 * language, each rule with its facts, its conditions and its fixed
 * verdict; this file caches those plans and walks one per account in C.
 * The conditions are the rule scripts' own functions, run by Lua under the
 * instruction budget as always; what goes is decide()'s own bookkeeping,
 * about a hundred VM instructions an account, each of which the count
 * hook also pays for. When the plan is false (no policy, a compute, a rule
 * whose verdict depends on the account) decide.c's decide() runs instead,
 * before any condition, so every decision is made by one path or the
 * other, never partly by both. */
#include <string.h>

#include "internal.h"

enum {
    UV_ENGINE = 1,
    UV_ID, UV_PRODUCT, UV_ACTION, UV_LOCALE, /* account keys, in this order */
    UV_PLAN_FN, UV_DECIDE_FN,
    UV_COUNT = UV_DECIDE_FN
};

/* Plan layout, as lean_plan() makes it. */
enum { P_ACTION = 1, P_KEYS, P_FIRST };


/* The plan for the account's strings, made on a miss. Pushes it and gives
 * its reference. */
static int push_plan(lua_State *L, dr_engine *e, const void *key[3]) {
    dr_lean_cache *c = &e->lean;
    for (int i = 0; i < DR_LEAN_SLOTS; i++) {
        dr_lean_slot *s = &c->slot[i];
        if (s->ref && s->gen == c->gen && s->key[0] == key[0] && s->key[1] == key[1] &&
            s->key[2] == key[2]) {
            lua_rawgeti(L, LUA_REGISTRYINDEX, s->ref);
            return s->ref;
        }
    }
    lua_pushvalue(L, lua_upvalueindex(UV_PLAN_FN));
    lua_pushvalue(L, 3);
    lua_pushvalue(L, 4);
    lua_pushvalue(L, 5);
    lua_pushvalue(L, 2);
    lua_call(L, 4, 1);
    lua_pushvalue(L, -1);
    /* The plan keeps the three strings alive, so their addresses stay
     * theirs while the slot names them. */
    int ref = luaL_ref(L, LUA_REGISTRYINDEX);
    dr_lean_slot *s = &c->slot[c->next];
    c->next = (c->next + 1) % DR_LEAN_SLOTS;
    if (s->ref) luaL_unref(L, LUA_REGISTRYINDEX, s->ref);
    *s = (dr_lean_slot){{key[0], key[1], key[2]}, c->gen, ref};
    return ref;
}

/* decide(account, query) for a lean query: writes the decision as
 * decide.c's decide() would make it to e->lean.out and returns nothing,
 * or returns decide()'s table when the plan says decide() must make it. */
static int lean_decide(lua_State *L) {
    dr_engine *e = lua_touserdata(L, lua_upvalueindex(UV_ENGINE));
    lua_settop(L, 2);
    const void *key[3];
    int cacheable = 1;
    for (int i = 0; i < 3; i++) { /* 3: product, 4: action, 5: locale */
        lua_pushvalue(L, lua_upvalueindex(UV_PRODUCT + i));
        int t = lua_rawget(L, 1);
        key[i] = t == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
        if (t != LUA_TNIL && (t != LUA_TSTRING || lua_rawlen(L, -1) > DR_LUA_SHORT_STRING)) cacheable = 0;
    }
    if (cacheable) push_plan(L, e, key);
    if (!cacheable || !lua_istable(L, -1)) {
        lua_pushvalue(L, lua_upvalueindex(UV_DECIDE_FN));
        lua_pushvalue(L, 1);
        lua_pushvalue(L, 2);
        lua_call(L, 2, 1);
        return 1;
    }
    const int plan = 6;
    e->lean.decided++;
    /* The id is read before any rule runs, as decide() reads it. */
    lua_pushvalue(L, lua_upvalueindex(UV_ID));
    lua_rawget(L, 1); /* 7 */
    lua_rawgeti(L, plan, P_ACTION); /* 8 */
    dr_verdict v = {7, 8, 0, 0, 0};
    lua_Integer i = dr_eval_first(L, e, plan, P_FIRST, 1, NULL, 0, 0);
    if (i) {
        lua_rawgeti(L, plan, i); /* 9: the entry */
        lua_rawgeti(L, 9, E_VERDICT); /* 10 */
        lua_rawgeti(L, 10, 1); /* 11: decision */
        lua_rawgeti(L, 10, 2); /* 12: channels */
        lua_rawgeti(L, 10, 3); /* 13: required_roles (nil: none) */
        v = (dr_verdict){7, 8, 11, 12, 13};
    }
    if (!v.decision) {
        /* No rule holds. A lean query does not ask for reasons, so the
         * one decide() would give (no rule applies) is not made. */
        lua_pushliteral(L, "no_rule");
        v.decision = lua_gettop(L);
    }
    /* Written here rather than made into a table for the caller to write:
     * that table was a quarter of a lean decision's cost. */
    dr_verdict_write(L, &v, &e->fields, e->lean.out);
    dr_engine_note_outcome(e, v.id, v.action, v.decision);
    e->lean.written = 1;
    return 0;
}

void dr_lean_open(dr_engine *e) {
    lua_State *L = e->L;
    static const char *const names[] = {"id", "product", "action", "locale"};
    lua_pushlightuserdata(L, e);
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) lua_pushstring(L, names[i]);
    lua_rawgeti(L, LUA_REGISTRYINDEX, e->module_ref);
    lua_getfield(L, -1, "lean_plan");
    lua_remove(L, -2);
    lua_rawgeti(L, LUA_REGISTRYINDEX, e->decide_ref);
    lua_pushcclosure(L, lean_decide, UV_COUNT);
    e->lean.fn_ref = luaL_ref(L, LUA_REGISTRYINDEX);
}

void dr_lean_query_changed(dr_engine *e) { e->lean.gen++; }
