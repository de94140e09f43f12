/* decide(account, query): every decision the rules make, in C (lean.c
 * answers the queries that want only the verdict, and hands back here
 * whatever its plan cannot say). The walk: the account's policy and
 * language, the context of the day (lualib.c), the policy's plan for it
 * (prelude's plan_of), the first rule that holds (eval.c's loop, the one
 * rule loop), what that rule decides (apply), the computes the decision
 * calls for, the steps of its first channel. Under a trace (--explain,
 * coverage) the same walk also notes every rule and compute tried, each
 * condition and what it compared (prelude's watch proxies), and the facts
 * each rests on: one path for every query, so a change to what a decision
 * holds is made here once.
 *
 * The rules' own functions run in Lua under the instruction budget; what
 * runs here costs the budget nothing, as eval.c's loop does not (about
 * three hundred VM instructions an account when this walk was Lua's, each
 * of which the count hook paid for). prelude.lua keeps what is written in
 * Lua because rule authors read it: the declarations, the views, the plans,
 * a reason's words and citations, the message when no rule holds, the
 * trace's proxies.
 *
 * A reason in a function's words is frozen and kept once the next has the
 * same words (add_reason), so its JSON is written once. */
#include <string.h>

#include "internal.h"

/* The closure's upvalues: the engine, then prelude's for_c, in this order. */
enum {
    UV_ENGINE = 1,
    UV_POLICIES, UV_DECLARED, UV_MADE_FOR, UV_PLAN_OF, UV_NEEDS, UV_NO_RULE_SAYS,
    UV_STEPS_OF, UV_REASON, UV_WRONG, UV_LOCALE_OF, UV_NO_CHANNELS, UV_WATCH, UV_CITE,
    /* The names decide() reads and writes, made once: a name pushed from
     * here is not looked up in Lua's string table each time. */
    K_FIRST,
    K_PRODUCT = K_FIRST, K_ACTION, K_LOCALE, K_AS_OF, K_ID, K_VALUES, K_META,
    K_PLANS, K_DECISION, K_CHANNELS, K_REQUIRED_ROLES, K_REASONS, K_REMEDIES, K_STEPS,
    K_STEPS_FROM, K_BECAUSE, K_ON, K_SET, K_ADDS, K_COMPUTES, K_MESSAGE, K_RULE, K_REASON, K_SOURCES, K_SOURCE,
    K_SAID_REASON, K_REASON_BECAUSE,
    UV_COUNT = K_REASON_BECAUSE
};
static const char *const names[] = {
    "product", "action", "locale", "as_of", "id", "values", "meta",
    "plans", "decision", "channels", "required_roles", "reasons", "remedies", "steps",
    "steps_from", "because", "on", "set", "adds", "computes", "message", "rule", "reason", "sources", "source",
    "said_reason", "reason_because", NULL,
};
static const char *const for_c[] = {
    "policies_for", "declared", "made_for", "plan_of", "needs", "no_rule_says",
    "steps_of", "reason", "wrong", "locale_of", "no_channels", "watch", "cite", NULL,
};

/* What one decision works with: stack indices, and the query's flags. */
typedef struct walk {
    dr_engine *e;
    int a, q, d, p, c, meta, plan;
    int brief, no_steps;
    int explain; /* the trace (--explain, coverage), or 0 */
} walk;

#define UV(k) lua_upvalueindex(k)

/* t[name], name one of names[] (K_...): as lua_getfield, metamethods and
 * all. */
static int get(lua_State *L, int t, int k) {
    t = lua_absindex(L, t);
    lua_pushvalue(L, UV(k));
    return lua_gettable(L, t);
}

/* Raw reads, and raw writes of the value on top (popped), for the tables
 * the engine made and no rule ever holds (the decision, the account
 * before any rule ran, the query, the context, the plans, a rule's
 * citations and reasons, the policy's own fields): no metamethod can be
 * there to call, and skipping the check saves a decision some seven
 * hundred instructions. A rule's own tables (its declaration, `on`) are
 * read with get. */
static int rget(lua_State *L, int t, int k) {
    t = lua_absindex(L, t);
    lua_pushvalue(L, UV(k));
    return lua_rawget(L, t);
}

static void rset(lua_State *L, int t, int k) {
    t = lua_absindex(L, t);
    lua_pushvalue(L, UV(k));
    lua_insert(L, -2);
    lua_rawset(L, t);
}

/* Calls the function at UV(k) with the n values on top of the stack;
 * leaves one result. */
static void call_uv(lua_State *L, int k, int n) {
    lua_pushvalue(L, UV(k));
    lua_insert(L, -n - 1);
    lua_call(L, n, 1);
}

/* f(a, f): a rule function on the account and its facts, one result. */
static void call_rule_fn(lua_State *L, const walk *w, int fn, int facts) {
    lua_pushvalue(L, fn);
    lua_pushvalue(L, w->a);
    lua_pushvalue(L, facts);
    dr_budget_rule_call(L, w->e, 2, 1);
}

/* prelude's wrong(r, what, msg): raises the error that names the rule. */
static int wrong(lua_State *L, int r, const char *what, int msg) {
    lua_pushvalue(L, r);
    lua_pushstring(L, what);
    lua_pushvalue(L, msg);
    call_uv(L, UV_WRONG, 3);
    return lua_error(L); /* not reached: wrong raises */
}

/* prelude's checked(r, key, v): v (at index v) against the contract
 * (output.c's check_field, called here without a call into Lua), and
 * noted as checked: what the decision writes whatever the rules do to the
 * table afterwards. */
static void checked(lua_State *L, const walk *w, int r, const char *key, int v) {
    if (dr_output_check(L, key, v, w->e)) wrong(L, r, "rule", lua_gettop(L));
}

/* prelude's said(r, a, f, what): r's because (at index because), called
 * when a function, its places filled when words with places (words.c);
 * pushes it (nil or a string). */
static void said(lua_State *L, const walk *w, int r, int facts, const char *what, int because) {
    lua_pushvalue(L, because);
    if (lua_type(L, -1) == LUA_TFUNCTION) {
        int fn = lua_gettop(L);
        call_rule_fn(L, w, fn, facts);
        lua_remove(L, fn);
    } else if (lua_type(L, -1) == LUA_TSTRING && memchr(lua_tostring(L, -1), '{', lua_rawlen(L, -1))) {
        int b = lua_gettop(L);
        char msg[200];
        rget(L, w->c, K_VALUES);
        if (dr_words_fill(L, b, w->a, b + 1, msg, sizeof msg) < 0) {
            lua_pushstring(L, msg);
            wrong(L, r, what, lua_gettop(L));
        }
        lua_replace(L, b);
        lua_settop(L, b);
    }
    int t = lua_type(L, -1);
    /* nil is no words only where because is left out: from a function it
     * is a return forgotten, and the reason would go out with no message. */
    if (t != LUA_TSTRING && (t != LUA_TNIL || lua_type(L, because) == LUA_TFUNCTION)) {
        lua_pushfstring(L, t == LUA_TNIL ? "because gave %s, not a string (a rule with no words leaves because out)"
                                         : "because gave a %s, not a string",
                        lua_typename(L, t));
        wrong(L, r, what, lua_gettop(L));
    }
    /* Words for a reader: a megabyte of them is a runaway, not a reason. */
    if (t == LUA_TSTRING && lua_rawlen(L, -1) > DR_MAX_BECAUSE) {
        lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
        lua_pushfstring(L, "because gave %I bytes; a reason is at most %d", n, DR_MAX_BECAUSE);
        wrong(L, r, what, lua_gettop(L));
    }
}

/* Whether the reason x (at index x) is r's in words m: prelude's
 * `x.message == m and x.rule == r.id`. */
static int same_reason(lua_State *L, int x, int r, int m) {
    rget(L, x, K_MESSAGE);
    int same = lua_rawequal(L, -1, m);
    lua_pop(L, 1);
    if (same) {
        rget(L, x, K_RULE);
        get(L, r, K_ID);
        same = lua_compare(L, -2, -1, LUA_OPEQ);
        lua_pop(L, 2);
    }
    return same;
}

/* Appends prelude's reason(r, meta, m) to d.reasons, m on top (popped),
 * r's because at index because, r's citations under this context
 * (cited(r, meta), push_cited) at index c, or c 0 when not made yet:
 * the entry kept for r under this context when it has these words, else a
 * new one from r's citations (frozen and kept when r's words are fixed).
 * reason() itself runs only the first time r is cited under a context.
 *
 * A reason in a function's words is most often in the same words as the
 * last one r gave under this context (the admin roles, a compute's term
 * in days: words from the facts alone). The last one made is kept in
 * c.said_reason; when the next has the same words it is frozen and becomes
 * c.reason, so that later decisions share it and its JSON is written once,
 * as with fixed words. The entries are equal either way: the output is. */
static void add_reason(lua_State *L, const walk *w, int r, int because, int c) {
    int m = lua_gettop(L);
    rget(L, w->d, K_REASONS);
    int reasons = lua_gettop(L);
    lua_Integer n = (lua_Integer)lua_rawlen(L, reasons);
    if (!c) {
        /* cited(r, meta) not made yet: reason() makes it */
        lua_settop(L, reasons);
        lua_pushvalue(L, r);
        lua_pushvalue(L, w->meta);
        lua_pushvalue(L, m);
        call_uv(L, UV_REASON, 3);
        lua_rawseti(L, reasons, n + 1);
        lua_settop(L, m - 1);
        return;
    }
    /* x = c.reason; x.message == m and x.rule == r.id: that one */
    if (rget(L, c, K_REASON) != LUA_TNIL && lua_toboolean(L, -1) && same_reason(L, lua_gettop(L), r, m)) {
        lua_rawseti(L, reasons, n + 1);
        lua_settop(L, m - 1);
        return;
    }
    lua_pop(L, 1);
    lua_pushvalue(L, because);
    /* Words with an account's field in them change with the account: made
     * as a function's are (words.c). */
    int fixed = lua_type(L, -1) == LUA_TSTRING
                    ? !(dr_words_has_places(lua_tostring(L, -1), lua_rawlen(L, -1)) & DR_WORDS_ACCOUNT)
                    : lua_type(L, -1) != LUA_TFUNCTION;
    lua_pop(L, 1);
    if (!fixed) {
        /* the words of the last one made: frozen now, and kept */
        if (rget(L, c, K_SAID_REASON) == LUA_TTABLE && same_reason(L, lua_gettop(L), r, m)) {
            int x = lua_gettop(L);
            dr_const_mark(L, x);
            lua_pushvalue(L, x);
            rset(L, c, K_REASON);
            lua_pushnil(L);
            rset(L, c, K_SAID_REASON);
            lua_pushnil(L); /* words that change: never taken by kept_reason */
            rset(L, c, K_REASON_BECAUSE);
            lua_rawseti(L, reasons, n + 1);
            lua_settop(L, m - 1);
            return;
        }
        lua_pop(L, 1);
    }
    /* { rule = r.id, message = m, source = src[1], sources = #src > 1 and src or nil } */
    rget(L, c, K_SOURCES);
    int src = lua_gettop(L);
    lua_createtable(L, 0, 4);
    int x = lua_gettop(L);
    get(L, r, K_ID);
    rset(L, x, K_RULE);
    lua_pushvalue(L, m);
    rset(L, x, K_MESSAGE);
    lua_geti(L, src, 1);
    rset(L, x, K_SOURCE);
    if (lua_rawlen(L, src) > 1) { /* src: a frozen list */
        lua_pushvalue(L, src);
        rset(L, x, K_SOURCES);
    }
    if (fixed) {
        dr_const_mark(L, x); /* prelude's frozen(x) */
        lua_pushvalue(L, x);
        rset(L, c, K_REASON);
        lua_pushvalue(L, because);
        rset(L, c, K_REASON_BECAUSE);
    } else {
        lua_pushvalue(L, x);
        rset(L, c, K_SAID_REASON);
    }
    lua_pushvalue(L, x);
    lua_rawseti(L, reasons, n + 1);
    lua_settop(L, m - 1);
}

/* Pushes r's citations under this context (prelude's cited(r, meta):
 * made_for[meta][r]) and returns their index; 0, nothing pushed, when
 * they are not made yet. */
static int push_cited(lua_State *L, const walk *w, int r) {
    int top = lua_gettop(L);
    lua_pushvalue(L, w->meta);
    if (lua_rawget(L, UV(UV_MADE_FOR)) == LUA_TTABLE) {
        lua_pushvalue(L, r);
        if (lua_rawget(L, -2) == LUA_TTABLE) {
            lua_replace(L, top + 1);
            lua_settop(L, top + 1);
            return top + 1;
        }
    }
    lua_settop(L, top);
    return 0;
}

/* Appends the reason kept in r's citations c to d.reasons without saying
 * its words again, when they are fixed: c.reason was made from the very
 * because r has now (the string at index because is c.reason_because),
 * one with no account field in it, so its words, filled from this
 * context's facts alone, are the ones said() would give, and were checked
 * when it was made. 1 when appended; 0 when said() and add_reason() must
 * run. The stack is left as it was. (Filling "{f.data_retention_days}"
 * again cost each decision it held in some 2,100 instructions.) */
static int kept_reason(lua_State *L, const walk *w, int c, int because) {
    int top = lua_gettop(L), kept = 0;
    rget(L, c, K_REASON_BECAUSE);
    if (lua_rawequal(L, -1, because) && rget(L, c, K_REASON) == LUA_TTABLE) {
        int x = lua_gettop(L);
        rget(L, w->d, K_REASONS);
        lua_pushvalue(L, x);
        lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
        kept = 1;
    }
    lua_settop(L, top);
    return kept;
}

/* Whether a compute (its plan entry ce) has said its words without error
 * under this context from the because it has now (a string, at index
 * because): words from the facts alone, the same for every account. */
static int said_before(lua_State *L, int ce, int because) {
    lua_rawgeti(L, ce, C_SAID);
    int same = lua_rawequal(L, -1, because);
    lua_pop(L, 1);
    return same;
}

/* What r (a rule that decided, or a compute that held: ce its plan entry,
 * else 0) gives of its reason: its words said, an error at its line when
 * they cannot be, and its entry appended to d.reasons when reasons are
 * asked. A because that fails fails the decision whether the reasons are
 * asked for or not (--fields): the verdict never depends on the fields
 * asked. Words already said under this context are not said again: with
 * reasons, the entry kept for them (kept_reason); without, a compute's
 * words from the facts alone once said without error (C_SAID). */
static void give_reason(lua_State *L, const walk *w, int r, int facts, const char *what, int ce) {
    get(L, r, K_BECAUSE);
    int because = lua_gettop(L);
    int words = lua_type(L, because) == LUA_TSTRING;
    if (!w->brief) {
        int c = push_cited(L, w, r);
        if (!(words && c && kept_reason(L, w, c, because))) {
            said(L, w, r, facts, what, because);
            add_reason(L, w, r, because, c);
        }
    } else if (!(ce && words && said_before(L, ce, because))) {
        said(L, w, r, facts, what, because);
        /* (a compute's words have no account places: prelude's
         * check_places refuses them, a compute having no inputs) */
        if (ce && words) {
            lua_pushvalue(L, because);
            lua_rawseti(L, ce, C_SAID);
        }
    }
    lua_settop(L, because - 1);
}

/* The steps of the procedure fact on top (replaced by them, or nil), from
 * the context's cache (c.steps), read once per day and language. With r
 * (a rule's index, or 0), a name that is no procedure fact is an error at
 * r's line: looked for in the catalog only when the cache does not have
 * it, since a name is cached once dr.steps took it. */
static void steps_of(lua_State *L, const walk *w, int r) {
    int fact = lua_gettop(L);
    rget(L, w->c, K_STEPS);
    lua_pushvalue(L, fact);
    if (lua_gettable(L, -2) != LUA_TNIL) {
        if (!lua_toboolean(L, -1)) {
            lua_pop(L, 1);
            lua_pushnil(L);
        }
        lua_replace(L, fact);
        lua_settop(L, fact);
        return;
    }
    lua_settop(L, fact);
    if (r && dr_procedure_fact(w->e, lua_tostring(L, fact)) < 0) {
        lua_pushfstring(L, "steps_from gave \"%s\", which is not a procedure fact", lua_tostring(L, fact));
        wrong(L, r, "rule", lua_gettop(L));
    }
    lua_pushvalue(L, w->c);
    lua_insert(L, fact);
    call_uv(L, UV_STEPS_OF, 2);
}

/* prelude's apply(d, r, a, f, c, meta, q): what the rule that held
 * decides, entry its plan entry. */
static void apply(lua_State *L, const walk *w, int entry) {
    int top = lua_gettop(L);
    lua_rawgeti(L, entry, E_RULE);
    int r = lua_gettop(L);
    lua_rawgeti(L, entry, E_FACTS);
    int f = lua_gettop(L);
    lua_pushvalue(L, r);
    lua_gettable(L, UV(UV_DECLARED));
    int v = lua_gettop(L);
    rget(L, v, K_DECISION);
    rset(L, w->d, K_DECISION);
    rget(L, v, K_CHANNELS);
    if (lua_type(L, -1) == LUA_TFUNCTION) {
        int fn = lua_gettop(L);
        call_rule_fn(L, w, fn, f);
        if (!lua_toboolean(L, -1)) {
            lua_pop(L, 1);
            lua_pushvalue(L, UV(UV_NO_CHANNELS));
        }
        checked(L, w, r, "channels", lua_gettop(L));
        lua_remove(L, fn);
    }
    if (!lua_toboolean(L, -1)) {
        lua_pop(L, 1);
        lua_pushvalue(L, UV(UV_NO_CHANNELS));
    }
    rset(L, w->d, K_CHANNELS);
    rget(L, v, K_REQUIRED_ROLES);
    if (lua_type(L, -1) == LUA_TFUNCTION) {
        int fn = lua_gettop(L);
        call_rule_fn(L, w, fn, f);
        if (!lua_isnil(L, -1)) checked(L, w, r, "required_roles", lua_gettop(L));
        lua_remove(L, fn);
    } else if (lua_type(L, -1) == LUA_TSTRING) {
        /* A fact's name: its list, checked when the rule was planned for
         * this day and language (prelude's roles_from). */
        lua_pop(L, 1);
        if (lua_rawgeti(L, entry, E_ROLES) == LUA_TSTRING) wrong(L, r, "rule", lua_gettop(L));
    }
    rset(L, w->d, K_REQUIRED_ROLES);
    give_reason(L, w, r, f, "rule", 0);
    /* A fixed list was checked when the rule was declared; a function's
     * result is checked each time. */
    get(L, r, K_REMEDIES);
    if (lua_type(L, -1) == LUA_TFUNCTION) {
        int fn = lua_gettop(L);
        call_rule_fn(L, w, fn, f);
        checked(L, w, r, "remedies", lua_gettop(L));
        rset(L, w->d, K_REMEDIES);
        lua_pop(L, 1);
    } else if (lua_toboolean(L, -1)) {
        rset(L, w->d, K_REMEDIES);
    } else {
        lua_pop(L, 1);
    }
    get(L, r, K_STEPS_FROM);
    if (lua_type(L, -1) == LUA_TFUNCTION) {
        int fn = lua_gettop(L);
        call_rule_fn(L, w, fn, f);
        lua_remove(L, fn);
    }
    /* What steps_from names is checked (and its steps read, once per day
     * and language) whether the steps are asked for or not (--fields), as
     * a because is: a wrong one fails the decision in every query, at the
     * rule's line. */
    if (lua_toboolean(L, -1)) {
        if (lua_type(L, -1) != LUA_TSTRING) {
            lua_pushfstring(L, "steps_from gave a %s, not the name of a procedure fact", luaL_typename(L, -1));
            wrong(L, r, "rule", lua_gettop(L));
        }
        steps_of(L, w, r);
        if (!w->no_steps) rset(L, w->d, K_STEPS);
    }
    lua_settop(L, top);
}

/* r's facts as cited under this context (prelude's cite(r, meta)), into
 * the field "facts" of the trace entry at rec. */
static void cite_into(lua_State *L, const walk *w, int r, int rec) {
    lua_pushvalue(L, r);
    lua_pushvalue(L, w->meta);
    call_uv(L, UV_CITE, 2);
    lua_setfield(L, rec, "facts");
}

/* A trace entry for the compute cr, appended to the trace and pushed:
 * { rule = cr.id, at = "file:line" }. */
static int compute_entry(lua_State *L, const walk *w, int cr) {
    lua_createtable(L, 0, 6);
    int rec = lua_gettop(L);
    get(L, cr, K_ID);
    lua_setfield(L, rec, "rule");
    lua_getfield(L, cr, "file");
    lua_getfield(L, cr, "line");
    lua_pushfstring(L, "%s:%s", lua_tostring(L, -2), lua_tostring(L, -1));
    lua_setfield(L, rec, "at");
    lua_pop(L, 2);
    lua_pushvalue(L, rec);
    lua_rawseti(L, w->explain, (lua_Integer)lua_rawlen(L, w->explain) + 1);
    return rec;
}

/* decide()'s loop over the plan's computes, once a rule decided; under a
 * trace, an entry for each. */
static void run_computes(lua_State *L, const walk *w) {
    int top = lua_gettop(L);
    rget(L, w->plan, K_COMPUTES);
    int list = lua_gettop(L);
    lua_Integer n = lua_istable(L, list) ? (lua_Integer)lua_rawlen(L, list) : 0;
    for (lua_Integer k = 1; k <= n; k++) {
        lua_rawgeti(L, list, k);
        int ce = lua_gettop(L);
        lua_rawgeti(L, ce, C_RULE);
        int cr = lua_gettop(L);
        lua_rawgeti(L, ce, C_FACTS);
        int f = lua_gettop(L);
        int rec = w->explain ? compute_entry(L, w, cr) : 0;
        /* (a compute whose facts are missing is passed over) */
        if (lua_rawgeti(L, ce, C_MISSING) != LUA_TNIL && lua_toboolean(L, -1)) {
            if (rec) {
                lua_setfield(L, rec, "missing_facts");
                lua_pushboolean(L, 0);
                lua_setfield(L, rec, "considered");
            }
            lua_settop(L, list);
            continue;
        }
        /* cr.on == nil or cr.on[d.decision], with metamethods: a rule's own table */
        int on = get(L, cr, K_ON) == LUA_TNIL;
        if (!on) { /* cr.on is on top */
            rget(L, w->d, K_DECISION);
            lua_gettable(L, -2);
            on = lua_toboolean(L, -1);
        }
        lua_settop(L, rec ? rec : f);
        if (!on) {
            if (rec) {
                lua_pushboolean(L, 0);
                lua_setfield(L, rec, "considered");
                rget(L, w->d, K_DECISION);
                lua_setfield(L, rec, "skipped_for");
            }
            lua_settop(L, list);
            continue;
        }
        /* test(cr, a, f) and merge(d, (cr.set(a, f)), cr.adds), as eval.c
         * and output.c make them for prelude */
        int held;
        if (rec) {
            lua_newtable(L);
            int trace = lua_gettop(L);
            lua_pushvalue(L, w->explain + 1); /* this decision's watch */
            held = dr_eval_test_traced(L, w->e, cr, w->a, f, trace, trace + 1);
            lua_pushboolean(L, 1);
            lua_setfield(L, rec, "considered");
            lua_pushboolean(L, held);
            lua_setfield(L, rec, "held");
            lua_pushvalue(L, trace);
            lua_setfield(L, rec, "conditions");
            cite_into(L, w, cr, rec);
            lua_settop(L, rec);
        } else {
            held = dr_eval_test(L, w->e, cr, w->a, f);
        }
        if (held) {
            get(L, cr, K_SET);
            call_rule_fn(L, w, lua_gettop(L), f);
            int set_result = lua_gettop(L);
            get(L, cr, K_ADDS);
            if (dr_output_merge(L, w->d, set_result, set_result + 1)) wrong(L, cr, "compute", lua_gettop(L));
            give_reason(L, w, cr, f, "compute", ce);
        }
        lua_settop(L, list);
    }
    lua_settop(L, top);
}

static int fast_decide(lua_State *L) {
    dr_engine *e = lua_touserdata(L, UV(UV_ENGINE));
    lua_settop(L, 2);
    /* Room for this walk and for eval.c's loop under it. */
    luaL_checkstack(L, 64, "decide");
    walk w = {0};
    w.e = e;
    w.a = 1;
    w.q = 2;
    /* The query table is the engine's (engine.c's push_query, the only
     * caller's): its flags are e->q_*, read here without a lookup. */
    /* resolve(q, a.product, a.action, a.locale) */
    rget(L, w.a, K_PRODUCT);  /* 3 */
    rget(L, w.a, K_ACTION);   /* 4 */
    rget(L, w.a, K_LOCALE);   /* 5 */
    rget(L, w.q, K_ACTION);   /* 6: the action */
    if (!lua_toboolean(L, 6)) {
        lua_pop(L, 1);
        lua_pushvalue(L, 4);
        if (!lua_toboolean(L, 6)) {
            lua_pop(L, 1);
            lua_pushliteral(L, DR_DEFAULT_ACTION);
        }
    }
    const int action = 6;
    lua_pushvalue(L, 3);
    if (lua_gettable(L, UV(UV_POLICIES)) != LUA_TNIL && lua_toboolean(L, -1)) {
        lua_pushvalue(L, action);
        lua_gettable(L, -2);
        lua_remove(L, -2);
    }
    w.p = 7;
    rget(L, w.q, K_LOCALE); /* 8: the language */
    if (!lua_toboolean(L, 8)) {
        lua_pop(L, 1);
        if (!lua_toboolean(L, 5)) {
            lua_pushliteral(L, DR_DEFAULT_LOCALE);
        } else if (lua_type(L, 5) != LUA_TSTRING) {
            /* (not an account the contract lets through: as prelude's
             * resolve() would take it) */
            lua_pushvalue(L, 5);
            call_uv(L, UV_LOCALE_OF, 1);
        } else {
            size_t n;
            const char *s = lua_tolstring(L, 5, &n);
            int upper = 0;
            for (size_t i = 0; i < n && !upper; i++) upper = s[i] >= 'A' && s[i] <= 'Z';
            lua_pushvalue(L, 5);
            if (upper) call_uv(L, UV_LOCALE_OF, 1);
        }
    }
    const int locale = 8;
    /* d = { id = a.id, action = action, ... }, sized for the fields a
     * decision gets with its computes' (an Azure cancellation has a dozen),
     * so that it is not made again as they are set. */
    lua_createtable(L, 0, 12); /* 9 */
    w.d = 9;
    rget(L, w.a, K_ID);
    rset(L, w.d, K_ID);
    lua_pushvalue(L, action);
    rset(L, w.d, K_ACTION);
    if (!lua_toboolean(L, w.p)) {
        /* No policy: no_rule, said whatever the query (and no trace). */
        lua_pushliteral(L, "no_rule");
        rset(L, w.d, K_DECISION);
        lua_createtable(L, 1, 0);
        lua_createtable(L, 0, 2);
        lua_pushliteral(L, "none");
        rset(L, -2, K_RULE);
        luaL_tolstring(L, 3, NULL);
        lua_pushfstring(L, "no policy covers %s/%s", lua_tostring(L, -1), lua_tostring(L, action));
        lua_remove(L, -2);
        rset(L, -2, K_MESSAGE);
        lua_rawseti(L, -2, 1);
        rset(L, w.d, K_REASONS);
        lua_settop(L, w.d);
        return 1;
    }
    /* The context of the day and language (lualib.c's cache). */
    rget(L, w.q, K_AS_OF); /* 10 */
    const int as_of = 10;
    dr_context_push(L, e, as_of, locale); /* 11 */
    w.c = 11;
    rget(L, w.c, K_VALUES); /* 12 */
    const int values = 12;
    rget(L, w.c, K_META); /* 13 */
    w.meta = 13;
    w.brief = e->q_brief;
    w.no_steps = e->q_no_steps;
    if (!w.brief) {
        /* Room for a rule's reason and its computes': a list grown one
         * by one is made again at 1, 2 and 4 entries. */
        lua_createtable(L, 4, 0);
        rset(L, w.d, K_REASONS);
    }
    /* The policy's plan for this context (c.plans[p]), made by prelude's
     * plan_of the first time. (A slot in the policy held the last one:
     * a batch in seven languages missed it on six accounts of seven, and
     * each miss called into Lua.) */
    rget(L, w.c, K_PLANS); /* 14 */
    lua_pushvalue(L, w.p);
    if (!lua_istable(L, 14) || lua_rawget(L, 14) == LUA_TNIL) {
        lua_settop(L, 13);
        lua_pushvalue(L, w.p);
        lua_pushvalue(L, w.c);
        call_uv(L, UV_PLAN_OF, 2);
    } else {
        lua_replace(L, 14);
    }
    w.plan = 14;
    /* The first rule that holds (eval.c, as lean.c finds it), with the
     * trace of every rule tried when --explain (or coverage) asks: its
     * entries are the plan's first ones, each considered rule's facts
     * cited. */
    if (e->q_explain) {
        lua_newtable(L); /* 15 */
        w.explain = 15;
        /* 16: the decision's watch, whose conditions share one bound */
        call_uv(L, UV_WATCH, 0);
    }
    int needs = 0;
    lua_Integer i = dr_eval_first(L, e, w.plan, 1, w.a, &needs, w.explain, w.explain ? w.explain + 1 : 0);
    if (w.explain) {
        int top = lua_gettop(L);
        lua_Integer n = (lua_Integer)lua_rawlen(L, w.explain);
        for (lua_Integer k = 1; k <= n; k++) {
            lua_rawgeti(L, w.explain, k);
            int rec = lua_gettop(L);
            lua_getfield(L, rec, "considered");
            if (lua_toboolean(L, -1)) {
                lua_rawgeti(L, w.plan, k);
                lua_rawgeti(L, -1, E_RULE);
                cite_into(L, &w, lua_gettop(L), rec);
            }
            lua_settop(L, top);
        }
    }
    const int base = w.explain ? w.explain + 1 : w.plan; /* the walk's own, above it the rule loop's */
    if (needs) {
        int missing = lua_gettop(L);
        lua_pushvalue(L, w.d);
        lua_rawgeti(L, w.plan, i);
        lua_rawgeti(L, -1, E_RULE);
        lua_remove(L, -2);
        lua_pushvalue(L, missing);
        lua_pushvalue(L, w.meta);
        lua_pushvalue(L, w.q);
        call_uv(L, UV_NEEDS, 5);
        lua_settop(L, base);
    } else if (i) {
        lua_rawgeti(L, w.plan, i);
        int entry = lua_gettop(L);
        if (w.brief && w.no_steps && lua_rawgeti(L, entry, E_VERDICT) != LUA_TNIL && lua_toboolean(L, -1)) {
            int v = lua_gettop(L);
            lua_rawgeti(L, v, 1);
            rset(L, w.d, K_DECISION);
            lua_rawgeti(L, v, 2);
            rset(L, w.d, K_CHANNELS);
            lua_rawgeti(L, v, 3);
            rset(L, w.d, K_REQUIRED_ROLES);
        } else {
            lua_settop(L, entry);
            apply(L, &w, entry);
        }
        lua_settop(L, base);
    }
    rget(L, w.d, K_DECISION);
    if (!lua_toboolean(L, -1)) {
        lua_pushliteral(L, "no_rule");
        rset(L, w.d, K_DECISION);
        if (rget(L, w.d, K_REASONS) == LUA_TNIL) {
            lua_pop(L, 1);
            lua_newtable(L);
            lua_pushvalue(L, -1);
            rset(L, w.d, K_REASONS);
        }
        int reasons = lua_gettop(L);
        lua_Integer n = (lua_Integer)lua_rawlen(L, reasons);
        lua_createtable(L, 0, 2);
        lua_pushliteral(L, "none");
        rset(L, -2, K_RULE);
        lua_pushvalue(L, w.p);
        lua_pushvalue(L, values);
        lua_pushvalue(L, as_of);
        call_uv(L, UV_NO_RULE_SAYS, 3);
        rset(L, -2, K_MESSAGE);
        lua_rawseti(L, reasons, n + 1);
    }
    lua_settop(L, base);
    /* A decision still waiting for inputs has nothing to compute yet. */
    rget(L, w.d, K_DECISION);
    int waiting = lua_type(L, -1) == LUA_TSTRING && strcmp(lua_tostring(L, -1), "needs_input") == 0;
    lua_pop(L, 1);
    if (!waiting) run_computes(L, &w);
    /* The steps of the first channel, from its procedure fact, in the
     * requested language. */
    if (!w.no_steps && (rget(L, w.d, K_STEPS), !lua_toboolean(L, -1))) {
        if (rget(L, w.d, K_CHANNELS) != LUA_TNIL && lua_toboolean(L, -1)) {
            /* Raw, as the check read the list: an __index there would be a
             * rule's code running after the check, and a first channel the
             * decision does not list. */
            lua_rawgeti(L, -1, 1);
            int ch1 = lua_gettop(L);
            if (lua_toboolean(L, ch1) && rget(L, w.plan, K_CHANNELS) == LUA_TTABLE) {
                lua_pushvalue(L, ch1);
                /* the policy's channels[ch1], as checked when it loaded
                 * (prelude's check_facts, kept in its plan) */
                if (lua_rawget(L, -2) != LUA_TNIL && lua_toboolean(L, -1)) {
                    lua_remove(L, -2);
                    steps_of(L, &w, 0);
                    rset(L, w.d, K_STEPS);
                }
            }
        }
    }
    if (w.explain) {
        lua_pushvalue(L, w.explain);
        lua_setfield(L, w.d, "explain");
    }
    lua_settop(L, w.d);
    return 1;
}

void dr_decide_open(dr_engine *e) {
    lua_State *L = e->L;
    lua_pushlightuserdata(L, e);
    lua_rawgeti(L, LUA_REGISTRYINDEX, e->module_ref);
    lua_getfield(L, -1, "for_c");
    lua_remove(L, -2);
    int t = lua_gettop(L);
    for (int k = 0; for_c[k]; k++) lua_getfield(L, t, for_c[k]);
    lua_remove(L, t);
    for (int k = 0; names[k]; k++) lua_pushstring(L, names[k]);
    lua_pushcclosure(L, fast_decide, UV_COUNT);
    /* What every caller (the engine, lean.c's fallback) calls for
     * decide(). */
    e->decide_ref = luaL_ref(L, LUA_REGISTRYINDEX);
}
