/* The instruction budget of a call into the rule scripts: a count hook
 * every HOOK_EVERY VM instructions, a charge for the loops C helpers make
 * for a rule, and, once spent, an error no rule can catch and go on from.
 *
 * A decision's budget is the rules' own work: the instructions of a rule's
 * functions, counted from the first of each call the engine makes into one
 * (dr_budget_rule_call), and what they allocate and have C helpers do. The
 * engine's own work around them (reading facts, making a context's plans
 * and citations the first time they are needed, building the decision)
 * counts against an allowance of its own. So whether a decision fits its
 * budget does not depend on which accounts came before it, nor on the
 * fields the query writes. */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "internal.h"

#define HOOK_EVERY 1000
#define FINE_HOOK_ABOVE ((size_t)16 << 20)
/* The engine's own work in a decision is a few thousand instructions,
 * its first decision in a day and language some tens of thousands more:
 * the allowance is there to stop by a count a path that runs a rule's
 * code outside dr_budget_rule_call (review found one: a policy's id made
 * a table whose __concat ran in a message; what decisions read of a
 * policy is now prelude's own copy). */
#define ENGINE_ALLOWANCE 10000000L
#define LOAD_PER_BYTE 16L

/* Both limits stop at LONG_MAX - 1: add() stores limit + 1 for a charge
 * past it, which must not overflow (at LONG_MAX it wrapped to LONG_MIN,
 * and table.move over 2^63 slots then ran unstopped). */
#define MOST_LIMIT (LONG_MAX - 1)

/* What the rules' own work may spend in the armed call: max_instructions
 * for a decision; for a script's load that and LOAD_PER_BYTE for each byte
 * of its text, so that a case file of 12,000 plain cases loads (about 143
 * instructions and 193 bytes each: the flat budget stopped at 6,987) while
 * a loop in a script still stops, at a bound its size sets. */
static inline long rule_limit(const dr_engine *e) {
    long m = e->max_instructions;
    return m > MOST_LIMIT || e->load_extra > MOST_LIMIT - m ? MOST_LIMIT : m + e->load_extra;
}

long dr_budget_load_extra(size_t bytes) {
    return bytes > (size_t)(LONG_MAX / LOAD_PER_BYTE) ? LONG_MAX : (long)bytes * LOAD_PER_BYTE;
}

static inline long engine_allowance(const dr_engine *e) {
    long m = e->max_instructions;
    return m > (MOST_LIMIT - ENGINE_ALLOWANCE) / 16 ? MOST_LIMIT : 16 * m + ENGINE_ALLOWANCE;
}

/* Adds n to what the work running now is charged to (the rules' count
 * while one of their functions runs or a script loads, else the
 * engine's), stopping just past its limit: no overflow, whatever n. */
static inline void add(dr_engine *e, long n) {
    long *c = e->in_rule ? &e->used : &e->engine_used;
    long limit = e->in_rule ? rule_limit(e) : engine_allowance(e);
    *c = n < 0 || n > limit - *c ? limit + 1 : *c + n;
}

static inline int spent(const dr_engine *e) {
    return e->used > rule_limit(e) || e->engine_used > engine_allowance(e);
}

static void count_hook(lua_State *L, lua_Debug *ar);

/* "file:line: " of the nearest rule script's line from `level` up: the
 * prelude's own helpers (setmetatable, xpcall) and C functions are passed
 * over, since the author's line is what the message is for. */
void dr_script_line(lua_State *L, int level, char *out, size_t size) {
    lua_Debug d;
    out[0] = '\0';
    for (int k = level; k < level + 16 && lua_getstack(L, k, &d); k++) {
        if (!lua_getinfo(L, "Sl", &d) || d.currentline <= 0) continue;
        if (d.source[0] == '@' || (d.source[0] == '=' && d.source[1] == '\x1f')) {
            snprintf(out, size, "%s:%d: ", d.short_src, d.currentline);
            return;
        }
        if (!out[0]) snprintf(out, size, "%s:%d: ", d.short_src, d.currentline);
    }
}

/* Raises the budget error, placed at the Lua function `level` up. The first
 * time, it notes where the budget ran out and turns the hook to fire on
 * every instruction: the error is an ordinary Lua error that a rule's own
 * pcall (or xpcall, or a __close handler) could catch, and with the hook at
 * one instruction whatever runs next, the handler or the code after the
 * pcall, raises it again. dr_state_call reports the first message whatever
 * the call returns. */
/* The time limit's message, after where ("file:line: " or ""). */
static void say_time_limit(dr_engine *e, const char *where) {
    snprintf(e->budget_msg, sizeof e->budget_msg,
             "%stime limit exceeded (%.1f s for a budget of %ld instructions; --max-instructions): "
             "single instructions doing long work in C, such as comparing long strings",
             where, (double)e->time_limit_ns / 1e9, rule_limit(e));
}

/* The budget's message, after where ("file:line: " or ""). */
static void say_budget(dr_engine *e, const char *where) {
    if (e->load_extra)
        snprintf(e->budget_msg, sizeof e->budget_msg,
                 "%sinstruction budget exceeded (%ld instructions: --max-instructions and %ld for each byte of the "
                 "script)", where, rule_limit(e), LOAD_PER_BYTE);
    else
        snprintf(e->budget_msg, sizeof e->budget_msg, "%sinstruction budget exceeded (%ld instructions; --max-instructions)",
                 where, e->max_instructions);
}

static int over_limit_at(lua_State *L, dr_engine *e, int level, int timed_out, const char *at) {
    if (!e->exhausted) {
        char where[300] = "";
        if (at) snprintf(where, sizeof where, "%s", at);
        else dr_script_line(L, level, where, sizeof where);
        /* lua_pushfstring knows no %ld. */
        if (timed_out)
            say_time_limit(e, where);
        else
            say_budget(e, where);
        e->exhausted = 1;
        /* Lua's traceback of this first stop, as other errors have it. */
        luaL_traceback(L, L, NULL, level);
        size_t have = strlen(e->budget_msg);
        snprintf(e->budget_msg + have, sizeof e->budget_msg - have, "\n%s", lua_tostring(L, -1));
        lua_pop(L, 1);
    }
    lua_sethook(L, count_hook, LUA_MASKCOUNT, 1);
    lua_pushstring(L, e->budget_msg);
    return lua_error(L);
}

static int over_limit(lua_State *L, dr_engine *e, int level, int timed_out) {
    return over_limit_at(L, e, level, timed_out, NULL);
}

static int over_budget(lua_State *L, dr_engine *e, int level) { return over_limit(L, e, level, 0); }

static int64_t now_ns(void) {
    struct timespec t;
    /* The coarse clock: a few ns from the vDSO, and ms are enough here. */
    clock_gettime(CLOCK_MONOTONIC_COARSE, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static void count_hook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    dr_engine *e;
    lua_getallocf(L, (void **)&e);
    if (!e->limited) return;
    if (e->exhausted) over_budget(L, e, 0);
    long step = e->hook_every;
    if (step == 1 && !e->hook_now) {
        /* At every instruction (a big state, for the clock below): charged
         * as at the hook's own pace, a whole 1,000 at a time from the
         * call's first, so that a call costs the same whichever the state
         * was in when it began (garbage can put it over 16 MiB). */
        if (++e->fine_n < HOOK_EVERY) step = 0;
        else e->fine_n = 0, step = HOOK_EVERY;
    }
    if (step) {
        add(e, step);
        /* Level 0 is the interrupted function (luaL_error would name its
         * caller). */
        if (spent(e)) over_budget(L, e, 0);
    }
    /* The backstop: an instruction can do long work in C that nothing
     * charges (== of two long strings is one memcmp), and the budget would
     * then let minutes pass. Far above what any budget's instructions take. */
    if (now_ns() > e->deadline_ns) over_limit(L, e, 0, 1);
}

void dr_budget_charge(lua_State *L, dr_engine *e, long n) {
    add(e, n);
    if (spent(e)) {
        if (e->limited) over_budget(L, e, 1);
        return;
    }
    /* A C helper's loop (a sort's comparisons) is where no hook runs. */
    if (e->limited && now_ns() > e->deadline_ns) over_limit(L, e, 1, 1);
}

void dr_budget_charge_bytes(dr_engine *e, size_t bytes) {
    add(e, (long)(bytes >> (e->deciding ? DR_BUDGET_SHIFT_DECIDE : DR_BUDGET_SHIFT_LOAD)));
    /* lua_sethook may be called from anywhere, a signal handler even (the
     * Lua manual): here, inside an allocation. */
    if (spent(e) && !e->exhausted && !e->hook_now) {
        e->hook_now = 1;
        lua_sethook(e->L, count_hook, LUA_MASKCOUNT, 1);
    } else if (e->hook_every != 1 && e->mem_used > FINE_HOOK_ABOVE) {
        /* Grown big during the call: as dr_budget_arm would set it. */
        e->hook_every = 1;
        if (!e->hook_now) lua_sethook(e->L, count_hook, LUA_MASKCOUNT, 1);
    }
}

void dr_budget_install(dr_engine *e) {
    e->hook_every = HOOK_EVERY;
    lua_sethook(e->L, count_hook, LUA_MASKCOUNT, HOOK_EVERY);
}

void dr_budget_rule_call(lua_State *L, dr_engine *e, int nargs, int nresults) {
    if (e->in_rule) { /* a rule's function inside another's: one count */
        lua_call(L, nargs, nresults);
        return;
    }
    e->in_rule = 1;
    /* The hook's count starts again here, so that the call is charged for
     * every whole 1,000 of its own instructions, none of the engine's
     * before it. Past the budget the hook fires at every instruction, and
     * stays so. */
    if (e->limited && !e->hook_now && !e->exhausted) lua_sethook(L, count_hook, LUA_MASKCOUNT, e->hook_every);
    e->fine_n = 0;
    lua_call(L, nargs, nresults);
    /* What it ran past its last whole 1,000 no hook saw: half of 1,000 for
     * it, so that a call is charged its instructions give or take 500
     * (most conditions take a few dozen). (An error skips this and leaves
     * in_rule set: what runs after it in the call is charged to the rules,
     * which is never less safe.) */
    add(e, HOOK_EVERY / 2);
    if (spent(e) && e->limited) {
        /* Spent by its last part: said at the rule whose function it was. */
        char at[300];
        dr_eval_running_where(e, at, sizeof at);
        over_limit_at(L, e, 0, 0, at);
    }
    e->in_rule = 0;
}

void dr_budget_arm(dr_engine *e) {
    e->used = 0;
    e->engine_used = 0;
    e->fine_n = 0;
    /* A script's load is all its own work; prelude's checks around the
     * loads are the engine's. */
    e->in_rule = !e->deciding && !e->own_call;
    e->out_text = 0;
    e->out_fields = 0;
    e->out_values = 0;
    e->limited = 1;
    e->exhausted = 0;
    /* 5 s for a decision, 30 s for a script's load, and 100 ns for each
     * instruction of the budget: some 30 times what one takes here (README, Limits). */
    /* (a budget past 2^62 / 100 instructions, which no run spends, gives
     * the largest limit: the product and the sum would overflow) */
    const int64_t most = INT64_MAX / 4;
    int64_t per = rule_limit(e) > most / 100 ? most : (int64_t)rule_limit(e) * 100;
    e->time_limit_ns = (e->deciding ? 5 : 30) * (int64_t)1000000000 + per;
    e->deadline_ns = now_ns() + e->time_limit_ns;
    /* A state holding many megabytes may hold long strings, each compare
     * of which is long work in one instruction (< of 32 MiB of NULs is 32
     * million strcoll calls): the hook then fires at every instruction, so
     * that the time limit is seen within one. Rule sets hold a few MiB;
     * only such a state pays for it. */
    int every = e->mem_used > FINE_HOOK_ABOVE ? 1 : HOOK_EVERY;
    /* A load is counted from its first instruction, not from where the
     * last call left the hook's count (a decision, from each rule call's:
     * dr_budget_rule_call). */
    if (every != e->hook_every || !e->deciding) {
        e->hook_every = every;
        lua_sethook(e->L, count_hook, LUA_MASKCOUNT, every);
    }
}

int dr_budget_disarm(dr_engine *e) {
    e->limited = 0;
    if (e->hook_now && !e->exhausted) {
        /* The call ended before the next instruction could raise: it made
         * what it made, and the next call starts at the hook's pace. */
        lua_sethook(e->L, count_hook, LUA_MASKCOUNT, e->hook_every);
    }
    e->hook_now = 0;
    if (!e->exhausted && spent(e)) {
        /* Spent by what came last, a C helper's charge or an allocation,
         * with no instruction of the call after it to raise: the result
         * is not taken. */
        say_budget(e, "");
        return 1;
    }
    if (!e->exhausted && now_ns() > e->deadline_ns) {
        /* Past the time limit with no hook to see it (the call's last
         * stretch was in C): its result is not taken either. */
        say_time_limit(e, "");
        return 1;
    }
    if (!e->exhausted) return 0;
    /* The hook fired on every instruction since: back to its pace. */
    lua_sethook(e->L, count_hook, LUA_MASKCOUNT, e->hook_every);
    e->exhausted = 0;
    return 1;
}
