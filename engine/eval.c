/* The one rule loop: which rule of a plan holds for an account, and
 * whether one rule's conditions hold, with their trace when asked. Both
 * decision paths use it — decide.c (full decisions, --explain, computes)
 * and lean.c (the verdict only) — so "the first rule that holds" is
 * written once. The conditions are the rule scripts' own functions,
 * run by Lua under the instruction budget; what runs in C is the loop,
 * which costs no VM instruction (each of which the count hook pays for).
 *
 * It also remembers which rule is running, for the one error Lua cannot
 * place: a memory error names the rule and its line (dr_eval_running_where). */
#include "internal.h"

/* Pushes the account's value at a dotted path of len bytes (nil when it
 * has none there), read raw: the account as it was read. */
void dr_eval_path_push(lua_State *L, int a, const char *path, size_t len) {
    lua_pushvalue(L, a);
    for (const char *p = path, *end = path + len;;) {
        const char *dot = memchr(p, '.', (size_t)(end - p));
        size_t n = dot ? (size_t)(dot - p) : (size_t)(end - p);
        if (!lua_istable(L, -1)) {
            lua_pop(L, 1);
            lua_pushnil(L);
            return;
        }
        lua_pushlstring(L, p, n);
        lua_rawget(L, -2);
        lua_remove(L, -2);
        if (!dot) return;
        p = dot + 1;
    }
}

/* Whether the account has a value at a dotted path. */
static int has_path(lua_State *L, int a, const char *path) {
    dr_eval_path_push(L, a, path, strlen(path));
    int present = !lua_isnil(L, -1);
    lua_pop(L, 1);
    return present;
}

/* The inputs (a list of paths at index inputs) the account lacks, as a
 * new list on top of the stack; 0, with nothing pushed, when it has them
 * all. */
static int push_missing(lua_State *L, int inputs, int a) {
    lua_Integer n = (lua_Integer)lua_rawlen(L, inputs), nmiss = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (lua_Integer k = 1; k <= n; k++) {
            lua_rawgeti(L, inputs, k);
            int absent = lua_type(L, -1) == LUA_TSTRING && !has_path(L, a, lua_tostring(L, -1));
            if (absent && pass) lua_rawseti(L, -2, ++nmiss);
            else lua_pop(L, 1);
            if (absent && !pass) nmiss++;
        }
        if (!nmiss) return 0;
        if (!pass) {
            lua_createtable(L, (int)nmiss, 0);
            nmiss = 0;
        }
    }
    return 1;
}

static const char RUNNING_PLAN = 'p', RUNNING_RULE = 'r';

/* Runs the condition of pair ({ label, function }) on a and f (stack
 * indices) and returns whether it held. With watch (a stack index, or 0), on the
 * proxies watch(a, f) makes of them instead, leaving on the stack what the
 * condition compared (prelude.lua's watch): the one place a trace costs
 * more than the plain loop. */
static int run_condition(lua_State *L, dr_engine *e, int pair, int a, int f, int watch) {
    lua_rawgeti(L, pair, 2);
    if (!watch) {
        lua_pushvalue(L, a);
        lua_pushvalue(L, f);
        dr_budget_rule_call(L, e, 2, 1);
        int held = lua_toboolean(L, -1);
        lua_pop(L, 1);
        return held;
    }
    lua_pushvalue(L, watch);
    lua_pushvalue(L, a);
    lua_pushvalue(L, f);
    lua_call(L, 2, 3);    /* function, proxy of a, proxy of f, done */
    lua_rotate(L, -4, 1); /* done, function, proxy of a, proxy of f */
    dr_budget_rule_call(L, e, 2, 1);
    int held = lua_toboolean(L, -1);
    lua_pop(L, 1);
    lua_call(L, 0, 2); /* done() -> compared, whether it read more than it lists */
    return held;
}

/* Appends { condition = label, held = bool[, compared = ...,
 * compared_truncated = true] } to the trace at trace; compared is the
 * stack index of the list (run_condition's two results), or 0. */
static void trace_condition(lua_State *L, int trace, int pair, int held, int compared) {
    lua_createtable(L, 0, 4);
    lua_rawgeti(L, pair, 1);
    lua_setfield(L, -2, "condition");
    lua_pushboolean(L, held);
    lua_setfield(L, -2, "held");
    if (compared) {
        lua_pushvalue(L, compared);
        lua_setfield(L, -2, "compared");
        if (lua_toboolean(L, compared + 1)) {
            lua_pushboolean(L, 1);
            lua_setfield(L, -2, "compared_truncated");
        }
    }
    lua_rawseti(L, trace, (lua_Integer)lua_rawlen(L, trace) + 1);
}

/* A trace entry for the rule of the plan entry at entry: { rule = id,
 * at = "file:line" }, pushed. */
static void push_trace_entry(lua_State *L, int entry) {
    lua_rawgeti(L, entry, E_RULE);
    int r = lua_gettop(L);
    lua_createtable(L, 0, 6);
    lua_getfield(L, r, "id");
    lua_setfield(L, -2, "rule");
    lua_getfield(L, r, "file");
    lua_getfield(L, r, "line");
    lua_pushfstring(L, "%s:%s", lua_tostring(L, -2), lua_tostring(L, -1));
    lua_setfield(L, -4, "at");
    lua_pop(L, 2);
    lua_remove(L, r);
}

/* Appends the value on top to the list at index t (popped). */
static void append(lua_State *L, int t) { lua_rawseti(L, t, (lua_Integer)lua_rawlen(L, t) + 1); }

lua_Integer dr_eval_first(lua_State *L, dr_engine *e, int plan, lua_Integer first, int a, int *needs, int trace,
                          int watch) {
    plan = lua_absindex(L, plan);
    a = lua_absindex(L, a);
    if (trace) trace = lua_absindex(L, trace);
    if (watch) watch = lua_absindex(L, watch);
    /* The plan stays in the registry while it is the one running: a
     * memory error after the loop unwound the stack still finds its rule. */
    if (lua_topointer(L, plan) != e->eval.plan) {
        lua_pushvalue(L, plan);
        lua_rawsetp(L, LUA_REGISTRYINDEX, &RUNNING_PLAN);
        e->eval.plan = lua_topointer(L, plan);
    }
    lua_Integer n = (lua_Integer)lua_rawlen(L, plan);
    for (lua_Integer i = first; i <= n; i++) {
        lua_rawgeti(L, plan, i);
        int entry = lua_gettop(L);
        /* A rule whose facts the day's docs lack cannot run: the trace
         * says which, the loop goes on. */
        if (lua_rawgeti(L, entry, E_MISSING) != LUA_TNIL) {
            if (trace) {
                push_trace_entry(L, entry);
                lua_pushboolean(L, 0);
                lua_setfield(L, -2, "considered");
                lua_pushvalue(L, entry + 1);
                lua_setfield(L, -2, "missing_facts");
                append(L, trace);
            }
            lua_settop(L, entry - 1);
            continue;
        }
        lua_pop(L, 1);
        int rec = 0;
        if (trace) {
            push_trace_entry(L, entry);
            rec = lua_gettop(L);
            lua_pushboolean(L, 1);
            lua_setfield(L, rec, "considered");
            lua_newtable(L);
            lua_setfield(L, rec, "conditions");
        }
        if (needs) {
            /* A rule whose inputs the account lacks can neither hold nor
             * fail: the decision needs them (its conditions never run on
             * a value the account did not give). */
            lua_rawgeti(L, entry, E_INPUTS);
            if (!lua_isnil(L, -1) && push_missing(L, lua_gettop(L), a)) {
                if (trace) {
                    lua_pushboolean(L, 0);
                    lua_setfield(L, rec, "held");
                    lua_pushvalue(L, -1);
                    lua_setfield(L, rec, "missing_inputs");
                    lua_pushvalue(L, rec);
                    append(L, trace);
                }
                lua_replace(L, entry);
                lua_settop(L, entry);
                *needs = 1;
                return i;
            }
            lua_pop(L, 1);
        }
        lua_rawgeti(L, entry, E_FACTS);
        int f = lua_gettop(L);
        e->eval.entry = i;
        int held = 1;
        if (trace) {
            /* The labelled conditions, each traced (with what it
             * compared, when watched). */
            lua_getfield(L, rec, "conditions");
            int conds_out = lua_gettop(L);
            lua_rawgeti(L, entry, E_RULE);
            lua_getfield(L, -1, "conds");
            int conds = lua_gettop(L);
            lua_Integer nc = (lua_Integer)lua_rawlen(L, conds);
            for (lua_Integer k = 1; k <= nc && held; k++) {
                lua_rawgeti(L, conds, k);
                int pair = lua_gettop(L);
                held = run_condition(L, e, pair, a, f, watch);
                trace_condition(L, conds_out, pair, held, watch ? pair + 1 : 0);
                lua_settop(L, conds);
            }
            lua_pushboolean(L, held);
            lua_setfield(L, rec, "held");
            lua_pushvalue(L, rec);
            append(L, trace);
        } else {
            lua_Integer nc = (lua_Integer)lua_rawlen(L, entry);
            for (lua_Integer k = E_FIRST_COND; k <= nc && held; k++) {
                lua_rawgeti(L, entry, k);
                lua_pushvalue(L, a);
                lua_pushvalue(L, f);
                dr_budget_rule_call(L, e, 2, 1);
                held = lua_toboolean(L, -1);
                lua_pop(L, 1);
            }
        }
        lua_settop(L, entry - 1);
        if (held) return i;
    }
    return 0;
}

/* Whether every condition of the rule (or compute) at index rule holds
 * for a and f, each condition traced when trace (an index, or 0) and,
 * with watch, what it compared. The rule is the one running, for a memory
 * error's message. When the account lacks some of the rule's inputs: 0,
 * with *missing set and the list of them left on top. Indices absolute. */
static int test_rule(lua_State *L, dr_engine *e, int rule, int a, int f, int trace, int watch, int *missing) {
    int top = lua_gettop(L);
    lua_pushvalue(L, rule);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &RUNNING_RULE);
    e->eval.entry = -1; /* the rule in RUNNING_RULE */
    /* Its inputs first, as dr_eval_first checks them. */
    if (lua_getfield(L, rule, "inputs") == LUA_TTABLE && push_missing(L, top + 1, a)) {
        lua_replace(L, top + 1);
        *missing = 1;
        return 0;
    }
    lua_settop(L, top);
    lua_getfield(L, rule, "conds");
    int conds = top + 1;
    lua_Integer nc = (lua_Integer)lua_rawlen(L, conds);
    int held = 1;
    for (lua_Integer k = 1; k <= nc && held; k++) {
        lua_rawgeti(L, conds, k); /* { label, function } */
        held = run_condition(L, e, conds + 1, a, f, watch);
        if (trace) trace_condition(L, trace, conds + 1, held, watch ? conds + 2 : 0);
        lua_settop(L, conds);
    }
    lua_settop(L, top);
    return held;
}

int dr_eval_test_traced(lua_State *L, dr_engine *e, int rule, int a, int f, int trace, int watch) {
    int missing = 0, held = test_rule(L, e, rule, a, f, trace, watch, &missing);
    if (missing) lua_pop(L, 1);
    return held;
}

int dr_eval_test(lua_State *L, dr_engine *e, int rule, int a, int f) {
    return dr_eval_test_traced(L, e, rule, a, f, 0, 0);
}

static int push_running(dr_engine *e) {
    lua_State *L = e->L;
    if (e->eval.entry == 0) return 0;
    if (e->eval.entry < 0) {
        lua_rawgetp(L, LUA_REGISTRYINDEX, &RUNNING_RULE);
    } else {
        lua_rawgetp(L, LUA_REGISTRYINDEX, &RUNNING_PLAN);
        lua_rawgeti(L, -1, e->eval.entry);
        lua_rawgeti(L, -1, E_RULE);
        lua_replace(L, -3);
        lua_pop(L, 1);
    }
    return lua_istable(L, -1) ? 1 : (lua_pop(L, 1), 0);
}

void dr_eval_running_where(dr_engine *e, char *out, size_t size) {
    lua_State *L = e->L;
    out[0] = '\0';
    if (!push_running(e)) return;
    dr_rawfield(L, -1, "file");
    dr_rawfield(L, -2, "line");
    dr_rawfield(L, -3, "id");
    const char *file = lua_tostring(L, -3), *id = lua_tostring(L, -1);
    snprintf(out, size, "%s:%d: rule %s: ", file ? file : "?", (int)lua_tointeger(L, -2), id ? id : "?");
    lua_pop(L, 4);
}
