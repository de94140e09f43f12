/* The Lua state: what rule scripts can reach, and the limits they run in. */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../common/alloc.h"
#include "../common/arena.h"
#include "../common/readfile.h"
#include "../common/walk.h"
#include "internal.h"

/* engine/prelude.lua as bytecode and as text (engine/gen/prelude_dump.c). */
extern const unsigned char dr_prelude_luac[], dr_prelude_lua[];
extern const unsigned long dr_prelude_luac_len, dr_prelude_lua_len;

/* What a block Lua asks for is charged to the budget, in bytes: a new
 * object (for one, Lua gives its type as osize, tag here), all it is made
 * with; not a new short string, which Lua makes only when the state holds
 * none of those bytes yet. Memory Lua grows for itself (a stack, a call's
 * record, a table's parts, a buffer) is charged only when it grows by
 * BIG_GROWTH at once: small growth depends on what earlier calls left
 * grown, and its work is the instructions' that asked for it, but one
 * instruction can ask for a lot (a VARARG or SETLIST of 200,000 values),
 * where no decision of a real policy comes near. So a charge is the same
 * whatever ran before, short of such growth. (LUA_TSTRING to LUA_TTHREAD
 * are the five types the manual says osize names.) */
#define BIG_GROWTH ((size_t)16 << 10)
_Static_assert(LUA_TTABLE == LUA_TSTRING + 1 && LUA_TFUNCTION == LUA_TSTRING + 2 && LUA_TUSERDATA == LUA_TSTRING + 3 &&
                   LUA_TTHREAD == LUA_TSTRING + 4,
               "the types of lua.h that name a new object are LUA_TSTRING to LUA_TTHREAD");
static int new_object(size_t tag) { return tag >= LUA_TSTRING && tag <= LUA_TTHREAD; }

static size_t charged_bytes(size_t tag, size_t osize, size_t nsize) {
    if (new_object(tag))
        return tag != LUA_TSTRING || nsize > DR_LUA_STRING_HEADER + DR_LUA_SHORT_STRING + 1 ? nsize : 0;
    /* (An exact doubling is Lua's string table, or a table's part filled
     * one instruction an entry; a stack or a SETLIST grows to the size
     * asked.) */
    if (osize && nsize == 2 * osize) return 0;
    return nsize > osize && nsize - osize >= BIG_GROWTH ? nsize - osize : 0;
}

/* Every allocation of the state goes through here, so a script cannot take
 * more than its cap: past it the allocation fails and Lua raises a memory
 * error in the script. */
static void *limited_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
    dr_engine *e = ud;
    size_t tag = ptr ? 0 : osize;
    if (!ptr) osize = 0;
    if (nsize == 0) {
        dr_pool_release(e->pool, ptr, osize);
        e->mem_used -= osize;
        return NULL;
    }
    if (nsize > osize && e->mem_used + (nsize - osize) > e->max_memory) return NULL;
    void *p = dr_pool_resize(e->pool, ptr, osize, nsize);
    if (p) e->mem_used += nsize - osize;
    /* Bytes made cost time as instructions do (budget.c). */
    if (p && e->limited) {
        size_t n = charged_bytes(tag, osize, nsize);
        /* (the rules' growth: the engine's own, the room its checks make
         * on the stack, is the same every decision once made) */
        if (n >= BIG_GROWTH && e->in_rule && !new_object(tag)) e->grew_big = 1;
        if (n) dr_budget_charge_bytes(e, n);
    }
    return p;
}


/* What a string function is charged: a unit of the budget for every
 * BYTES_PER_UNIT bytes it reads or writes (a VM instruction costs about as
 * much as copying that many), and for every BYTES_PER_UNIT times round
 * string.rep's loop, which costs time even when it copies nothing. */
#define BYTES_PER_UNIT (1 << DR_BUDGET_SHIFT_DECIDE) /* as the allocator charges a decision */
enum { S_REP, S_RANGE_I, S_RANGE_ALL, S_OFFSET };

/* Lua's own reading of a string function's [i, j] (lstrlib.c posrelatI
 * and getendpos) over a string of l bytes: how many bytes it walks. */
static long range_walked(lua_Integer i, lua_Integer j, size_t l) {
    lua_Integer n = (lua_Integer)l;
    i = i > 0 ? i : i == 0 ? 1 : i < -n ? 1 : n + i + 1;
    j = j > n ? n : j >= 0 ? j : j < -n ? 0 : n + j + 1;
    return j >= i ? (long)(j - i + 1) : 0;
}

/* a * b, or LONG_MAX past it. */
static long sat_mul(long a, long b) { return a && b > LONG_MAX / a ? LONG_MAX : a * b; }
static long sat_add(long a, long b) { return a > LONG_MAX - b ? LONG_MAX : a + b; }

/* Whether an error message begins with its place, "chunk:line: ". */
static int has_place(const char *m) {
    const char *c = strchr(m, ':');
    if (!c || c == m || memchr(m, '\n', (size_t)(c - m))) return 0;
    const char *d = c + 1;
    while (*d >= '0' && *d <= '9') d++;
    return d > c + 1 && d[0] == ':' && d[1] == ' ';
}

/* Calls the wrapped function (upvalue 1) with the arguments on the stack
 * and returns its results: what each charging wrapper does once it has
 * charged. Called directly, not protected: a memory error stays one (a
 * caught and raised error would be an ordinary one), and an error raised
 * in it is placed at the rule's line, and named, by the decision's message
 * handler (traceback, below), as every error raised in C is. */
static int call_wrapped(lua_State *L) {
    int nargs = lua_gettop(L);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, nargs, LUA_MULTRET);
    return lua_gettop(L);
}

/* The string functions loop in C, out of the count hook's sight, over
 * lengths the script chooses: string.rep("", 2^62) copies nothing and never
 * ends, and utf8.len of a long string over and over would take hours
 * within a million instructions. Each is charged for the bytes it will go
 * through (rep for its rounds too) before it runs: the range asked, so
 * that s:byte(i) in a loop costs a byte a call, not the string. */
static int charged_string_fn(lua_State *L) {
    dr_engine *e;
    lua_getallocf(L, (void **)&e);
    long n = 0;
    switch ((int)lua_tointeger(L, lua_upvalueindex(2))) {
    case S_REP: { /* rep(s, n, sep): n rounds of s and sep */
        size_t l = 0, lsep = 0;
        luaL_checklstring(L, 1, &l);
        lua_Integer k = luaL_checkinteger(L, 2);
        if (!lua_isnoneornil(L, 3)) luaL_checklstring(L, 3, &lsep);
        long rounds = k <= 0 ? 0 : k >= LONG_MAX ? LONG_MAX : (long)k;
        n = sat_add(rounds, sat_mul(rounds, sat_add((long)(l > LONG_MAX / 2 ? LONG_MAX / 2 : l),
                                                     (long)(lsep > LONG_MAX / 2 ? LONG_MAX / 2 : lsep))));
        break;
    }
    case S_RANGE_I:   /* byte(s, i, j), utf8.codepoint(s, i, j): j defaults to i */
    case S_RANGE_ALL: /* utf8.len(s, i, j): j defaults to the end */
        if (lua_type(L, 1) == LUA_TSTRING) {
            lua_Integer i = luaL_optinteger(L, 2, 1);
            lua_Integer j = luaL_optinteger(L, 3, (lua_Integer)lua_tointeger(L, lua_upvalueindex(2)) == S_RANGE_I ? i : -1);
            n = range_walked(i, j, lua_rawlen(L, 1));
        }
        break;
    case S_OFFSET: /* utf8.offset(s, n, i): |n| characters from i, at most the string */
        if (lua_type(L, 1) == LUA_TSTRING) {
            lua_Integer k = luaL_optinteger(L, 2, 0);
            lua_Unsigned walk = k < 0 ? (lua_Unsigned)0 - (lua_Unsigned)k : (lua_Unsigned)k;
            size_t l = lua_rawlen(L, 1);
            /* a character is at most 4 bytes; the walk stops at either end */
            n = walk >= l ? (long)l : (long)(walk * 4 < l ? walk * 4 : l);
        }
        break;
    }
    dr_budget_charge(L, e, n / BYTES_PER_UNIT);
    return call_wrapped(L);
}

/* utf8.codes' iterator, it(s, i), passes over the continuation bytes
 * from i in C before it reads a character: called again and again at the
 * start of a megabyte of them, it walks the megabyte each time. Charged
 * for those bytes before it runs (counting them is the same walk again,
 * and only as long as what it would do uncharged). */
static int charged_codes_step(lua_State *L) {
    /* The position read as the iterator reads it (1.0 and "1" are 1,
     * anything else 0); one past the string, or negative, walks nothing. */
    if (lua_type(L, 1) == LUA_TSTRING && lua_tointeger(L, 2) >= 0) {
        size_t len;
        const char *s = lua_tolstring(L, 1, &len);
        lua_Integer i = lua_tointeger(L, 2);
        size_t n = (size_t)i, from = n;
        while (n < len && ((unsigned char)s[n] & 0xC0) == 0x80) n++;
        dr_engine *e;
        lua_getallocf(L, (void **)&e);
        dr_budget_charge(L, e, (long)((n - from) / BYTES_PER_UNIT));
    }
    return call_wrapped(L);
}

/* utf8.codes(s): Lua's, with its iterator charged (charged_codes_step). */
static int charged_codes(lua_State *L) {
    call_wrapped(L); /* iterator, s, 0 */
    lua_pushvalue(L, 1);
    lua_pushcclosure(L, charged_codes_step, 1);
    lua_replace(L, 1);
    return 3;
}

/* A number read from a string is a pass over its bytes in C: tonumber(s),
 * and s + 0, whose arithmetic the string metatable's methods do. Charged
 * by the strings' bytes before the call. (Lua's C functions that take a
 * number read a numeric string too, one pass a call, uncharged: README,
 * Security.) */
static int charged_by_strings(lua_State *L) {
    long n = 0;
    /* (-s passes s twice: read once) */
    int two = lua_gettop(L) >= 2 && !lua_rawequal(L, 1, 2);
    for (int i = 1; i <= 1 + two; i++)
        if (lua_type(L, i) == LUA_TSTRING) n += (long)(lua_rawlen(L, i) / BYTES_PER_UNIT);
    dr_engine *e;
    lua_getallocf(L, (void **)&e);
    dr_budget_charge(L, e, n);
    return call_wrapped(L);
}

/* The field k of the table on top, charged_by_strings around it. */
static void charge_field(lua_State *L, const char *k) {
    if (lua_getfield(L, -1, k) != LUA_TFUNCTION) {
        lua_pop(L, 1);
        return;
    }
    lua_pushcclosure(L, charged_by_strings, 1);
    lua_setfield(L, -2, k);
}

typedef struct kept_fn {
    const char *name;
    int how; /* S_...; -1: kept as it is (constant time) */
} kept_fn;

/* A new table of library lib's functions keep[], each charged as it says
 * (charged_string_fn). */
static void push_charged(lua_State *L, const char *lib, lua_CFunction open, const kept_fn *keep, size_t n) {
    lua_newtable(L);
    luaL_requiref(L, lib, open, 0);
    for (size_t i = 0; i < n; i++) {
        lua_getfield(L, -1, keep[i].name);
        if (keep[i].how >= 0) {
            lua_pushinteger(L, keep[i].how);
            lua_pushcclosure(L, charged_string_fn, 2);
        }
        lua_setfield(L, -3, keep[i].name);
    }
    lua_pop(L, 1);
}

/* utf8: len, codepoint and offset walk their string in C making nothing,
 * and are charged by its bytes; char makes what it walks; charpattern is a
 * constant. */
static void push_safe_utf8(lua_State *L) {
    static const kept_fn keep[] = {{"char", -1}, {"codepoint", S_RANGE_I}, {"len", S_RANGE_ALL},
                                   {"offset", S_OFFSET}, {"codes", -1}, {"charpattern", -1}};
    push_charged(L, LUA_UTF8LIBNAME, luaopen_utf8, keep, sizeof keep / sizeof *keep);
    lua_getfield(L, -1, "codes");
    lua_pushcclosure(L, charged_codes, 1);
    lua_setfield(L, -2, "codes");
}

/* string without the pattern functions: a Lua pattern can backtrack for
 * hours inside one C call, where the instruction budget cannot stop it, and
 * rules about accounts do not need them. A function whose work is the
 * string it makes (format, upper, sub...) is charged by the allocator for
 * its bytes (budget.c), bounded by the memory cap; rep and byte can work
 * without making as much (an empty string repeated, a slice read), and are
 * charged here (charged_string_fn) before they run. */
static void push_safe_string(lua_State *L) {
    static const kept_fn keep[] = {{"byte", S_RANGE_I}, {"char", -1},    {"format", -1},
                                   {"len", -1},       {"lower", -1},     {"upper", -1},
                                   {"rep", S_REP},    {"reverse", -1},   {"sub", -1}};
    push_charged(L, LUA_STRLIBNAME, luaopen_string, keep, sizeof keep / sizeof *keep);
    /* The string metatable is what `s:upper()` reaches: point it at the
     * safe table too. It is shared by every string of every script, so
     * getmetatable("") gives false instead of it. */
    lua_pushliteral(L, "");
    lua_getmetatable(L, -1);
    lua_pushvalue(L, -3);
    lua_setfield(L, -2, "__index");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    static const char *const arith[] = {"__add", "__sub", "__mul", "__mod", "__pow", "__div", "__idiv", "__unm"};
    for (size_t i = 0; i < sizeof arith / sizeof *arith; i++) charge_field(L, arith[i]);
    lua_pop(L, 2);
}

/* table's functions loop in C, out of the count hook's sight, over a
 * length the script chooses: table.move(t, 1, 1 << 62, 2) on an empty
 * table allocates nothing and never ends, and neither does table.sort with
 * a C comparator over a __len of 2^31. Each is charged to the budget for
 * the elements it will visit before it runs, and a table whose length is a
 * __len metamethod is refused, since the function would ask it again and
 * could get another answer. */
enum { T_LEN, T_LEN_LOG, T_RANGE_MOVE, T_RANGE_3 };

static lua_Integer table_len(lua_State *L, const char *fn) {
    luaL_checktype(L, 1, LUA_TTABLE);
    if (luaL_getmetafield(L, 1, "__len") != LUA_TNIL)
        luaL_error(L, "table.%s: a table with a __len metamethod is not allowed here", fn);
    return (lua_Integer)lua_rawlen(L, 1);
}

/* The count of a range [i, j], without overflow; 0 when empty. */
static long range_count(lua_Integer i, lua_Integer j) {
    if (j < i) return 0;
    lua_Unsigned n = (lua_Unsigned)j - (lua_Unsigned)i;
    return n >= (lua_Unsigned)LONG_MAX ? LONG_MAX : (long)n + 1;
}

/* a < b, as table.sort compares without a comparator, charged a unit per
 * BYTES_PER_UNIT bytes of the shorter string (and one besides). */
static int charged_less(lua_State *L) {
    dr_engine *e;
    lua_getallocf(L, (void **)&e);
    long n = 1;
    if (lua_type(L, 1) == LUA_TSTRING && lua_type(L, 2) == LUA_TSTRING) {
        size_t a = lua_rawlen(L, 1), b = lua_rawlen(L, 2);
        n += (long)((a < b ? a : b) / BYTES_PER_UNIT);
    }
    dr_budget_charge(L, e, n);
    lua_pushboolean(L, lua_compare(L, 1, 2, LUA_OPLT));
    return 1;
}

static int charged_table_fn(lua_State *L) {
    dr_engine *e;
    lua_getallocf(L, (void **)&e);
    const char *fn = lua_tostring(L, lua_upvalueindex(2));
    int how = (int)lua_tointeger(L, lua_upvalueindex(3));
    long n = 0;
    switch (how) {
    case T_LEN: /* insert, remove */
        n = (long)table_len(L, fn);
        break;
    case T_LEN_LOG: { /* sort: n log n comparisons */
        long len = (long)table_len(L, fn), lg = 1;
        while (lg < 63 && (1L << lg) < len) lg++;
        n = len > LONG_MAX / lg ? LONG_MAX : len * lg;
        break;
    }
    case T_RANGE_MOVE: /* move(a1, f, e, t) */
        n = range_count(luaL_checkinteger(L, 2), luaL_checkinteger(L, 3));
        break;
    case T_RANGE_3: { /* concat(t, sep, i, j), unpack(t, i, j) */
        int first = strcmp(fn, "concat") == 0 ? 3 : 2;
        lua_Integer i = luaL_optinteger(L, first, 1);
        lua_Integer j = lua_isnoneornil(L, first + 1) ? table_len(L, fn) : luaL_checkinteger(L, first + 1);
        n = range_count(i, j);
        break;
    }
    }
    dr_budget_charge(L, e, n);
    /* sort's own comparison of two strings is one strcoll per NUL-free
     * piece, over lengths the script chose and out of the hook's sight:
     * without a comparator of its own, each comparison is made here and
     * charged by the bytes it reads. */
    if (how == T_LEN_LOG && lua_isnoneornil(L, 2)) {
        lua_settop(L, 1);
        lua_pushcfunction(L, charged_less);
    }
    return call_wrapped(L);
}

static void push_safe_table(lua_State *L) {
    static const struct {
        const char *name;
        int how;
    } charged[] = {{"insert", T_LEN}, {"remove", T_LEN}, {"sort", T_LEN_LOG},
                   {"move", T_RANGE_MOVE}, {"concat", T_RANGE_3}, {"unpack", T_RANGE_3}};
    lua_newtable(L);
    luaL_requiref(L, LUA_TABLIBNAME, luaopen_table, 0);
    lua_getfield(L, -1, "pack");
    lua_setfield(L, -3, "pack");
    for (size_t i = 0; i < sizeof charged / sizeof *charged; i++) {
        lua_getfield(L, -1, charged[i].name);
        lua_pushstring(L, charged[i].name);
        lua_pushinteger(L, charged[i].how);
        lua_pushcclosure(L, charged_table_fn, 3);
        lua_setfield(L, -3, charged[i].name);
    }
    lua_pop(L, 1);
}

/* The message, then Lua's traceback: callers keep the first line as the
 * error ("rules/x.lua:12: ...") and may show the rest. An error object that
 * is not a string is not asked to become one (its __tostring would run
 * here, unbudgeted): it is named by the rule line that raised it. */
static int traceback(lua_State *L) {
    const char *msg = lua_type(L, 1) == LUA_TSTRING ? lua_tostring(L, 1) : NULL;
    char buf[400];
    lua_Debug ar;
    dr_engine *e;
    lua_getallocf(L, (void **)&e);
    if (msg && !has_place(msg) && lua_getstack(L, 1, &ar) && lua_getinfo(L, "Sf", &ar)) {
        /* Raised in C (a library function, one of ours): luaL_error placed
         * it at that function, which has no line, as table.concat's and
         * rawset's errors were. The rule's line it was called from is the
         * place; error(msg, 0) keeps its author's choice of none. */
        int in_c = ar.what[0] == 'C' && lua_tocfunction(L, -1) != e->error_fn;
        lua_pop(L, 1);
        lua_Debug up;
        if (in_c && strstr(msg, " to '?'") && lua_getstack(L, 2, &up) && lua_getinfo(L, "Sn", &up) &&
            up.what[0] == 'C' && up.name) {
            /* A function a charging wrapper calls has no name of its own
             * there ("bad argument #1 to '?'"): the wrapper's, as the rule
             * called it, is the one its author knows. */
            char to[80];
            snprintf(to, sizeof to, " to '%.60s'", up.name);
            luaL_gsub(L, msg, " to '?'", to);
            lua_replace(L, 1);
            msg = lua_tostring(L, 1);
        }
        char where[300];
        if (in_c && (dr_script_line(L, 1, where, sizeof where), where[0])) {
            lua_pushstring(L, where);
            lua_pushvalue(L, 1);
            lua_concat(L, 2);
            lua_replace(L, 1);
            msg = lua_tostring(L, 1);
        }
    }
    if (!msg) {
        char where[300];
        dr_script_line(L, 1, where, sizeof where);
        snprintf(buf, sizeof buf, "%serror object is a %s, not a message", where, luaL_typename(L, 1));
        msg = buf;
    }
    luaL_traceback(L, L, msg, 1);
    return 1;
}

/* --max-instructions 500 stopped every load in check_facts, prelude's
 * walk over every rule, whatever the rules did: the budget is for the
 * rules' code. The engine's allowance (budget.c) still stops a runaway
 * that such a call meets, a metamethod of a rule's table say. */
int dr_state_call_own(dr_engine *e, int nargs, int nresults, char *msg, size_t size) {
    e->own_call = 1;
    int rc = dr_state_call(e, nargs, nresults, msg, size);
    e->own_call = 0;
    return rc;
}

static int raise_nothing(lua_State *L) {
    lua_pushboolean(L, 0);
    return lua_error(L);
}

int dr_state_call(dr_engine *e, int nargs, int nresults, char *msg, size_t size) {
    lua_State *L = e->L;
    int base = lua_gettop(L) - nargs;
    lua_pushcfunction(L, traceback);
    lua_insert(L, base);
    dr_budget_arm(e);
    e->eval.entry = 0;
    int rc = lua_pcall(L, nargs, nresults, base);
    int spent = dr_budget_disarm(e);
    /* An allocation that meets the cap while the collector itself is
     * working cannot collect first: past half the cap, garbage is cleared
     * between calls, so a small --max-memory holds a long batch. */
    if (e->mem_used > e->max_memory / 2) lua_gc(L, LUA_GCCOLLECT);
    /* After a call that grew Lua's own memory at once (BIG_GROWTH), the
     * stack is shrunk back, so that the next call grows it again and is
     * charged as this one was, not handed the room free. Lua 5.4 shrinks
     * a stack after an error a protected call caught (and in incremental
     * collection, not the generational one this state runs): an error
     * raised on purpose is the C API's one way to ask for it. */
    if (e->grew_big) {
        e->grew_big = 0;
        lua_pushcfunction(L, raise_nothing);
        lua_pcall(L, 0, 0, 0);
        lua_pop(L, 1);
    }
    if (spent) {
        /* Whatever the call returned (a rule may end in `return pcall(f)`,
         * after which no instruction of its own runs), the budget was spent:
         * that is the error. */
        lua_settop(L, base);
        snprintf(msg, size, "%s", e->budget_msg);
        dr_script_expand(e, msg, size);
        lua_remove(L, base);
        return LUA_ERRRUN;
    }
    if (rc != LUA_OK) {
        const char *m = lua_tostring(L, -1);
        if (rc == LUA_ERRMEM) {
            lua_pop(L, 1);
            /* Lua gives no position for this one: name the rule running. */
            char where[600] = "";
            dr_eval_running_where(e, where, sizeof where);
            snprintf(msg, size, "%smemory limit exceeded (%zu MiB; --max-memory)", where,
                     e->max_memory >> 20);
            lua_pushnil(L);
        } else {
            snprintf(msg, size, "%s", m ? m : "error");
        }
        lua_pop(L, 1);
        dr_script_expand(e, msg, size);
    }
    lua_remove(L, base);
    return rc;
}

void dr_state_close(dr_engine *e) {
    if (e->L) lua_close(e->L);
    dr_contract_free(e->contract);
    e->contract = NULL;
    dr_scripts_free(e);
    dr_pool_free(e->pool);
    dr_arena_free(e->scratch);
    e->L = NULL;
    e->pool = NULL;
    e->scratch = NULL;
}

int dr_state_open(dr_engine *e, dr_error *err) {
    e->pool = dr_pool_new();
    e->scratch = dr_arena_new(16 * 1024);
    lua_State *L = e->pool ? lua_newstate(limited_alloc, e) : NULL;
    if (!L) return dr_error_set(err, DR_ELIMIT, NULL, 0, 0, "cannot create a Lua state");
    e->L = L;
    /* A decision leaves garbage that dies young (its account, decision
     * and the computes' tables) over a live heap of rules and facts that
     * does not change: the generational collector frees it while its
     * memory is still in cache, where the incremental one (at 4x heap
     * growth) walked through four times the live heap between collections:
     * the same instructions, 15% less time and a smaller peak on the
     * realistic mix. An allocation that meets the memory cap first runs a
     * full collection, so the cap still holds for live data. A minor
     * collection comes at 50% growth rather than Lua's 20%: each walks the
     * weak tables whatever it frees, and at 100% the young generation
     * outgrew the first-level cache (README, "Where the instructions
     * went"). */
    lua_gc(L, LUA_GCGEN, 50, 0);
    /* The engine compares short strings by address (DR_LUA_SHORT_STRING):
     * a Lua that interned fewer would make it wrong in silence. */
    char a[DR_LUA_SHORT_STRING], b[DR_LUA_SHORT_STRING];
    memset(a, 'k', sizeof a);
    memcpy(b, a, sizeof b);
    if (lua_pushlstring(L, a, sizeof a) != lua_pushlstring(L, b, sizeof b))
        return dr_error_set(err, DR_ELIMIT, NULL, 0, 0,
                            "this Lua does not intern strings of %d bytes: engine/internal.h's "
                            "DR_LUA_SHORT_STRING must be its LUAI_MAXSHORTLEN", DR_LUA_SHORT_STRING);
    lua_pop(L, 2);
    /* Only the pure libraries; base is trimmed by prelude.lua's env. */
    luaL_requiref(L, LUA_GNAME, luaopen_base, 1);
    charge_field(L, "tonumber");
    lua_getfield(L, -1, "error");
    e->error_fn = lua_tocfunction(L, -1);
    lua_pop(L, 1);
    luaL_requiref(L, LUA_TABLIBNAME, luaopen_table, 1);
    luaL_requiref(L, LUA_MATHLIBNAME, luaopen_math, 1);
    luaL_requiref(L, LUA_UTF8LIBNAME, luaopen_utf8, 1);
    lua_pop(L, 4);
    /* The metatable of lauxlib's string buffers (_UBOX*) is made the first
     * time a buffer outgrows the stack, and would be charged to whichever
     * decision that is: made here, before any budget. */
    luaL_Buffer box;
    luaL_buffinitsize(L, &box, 2 * LUAL_BUFFERSIZE);
    luaL_pushresultsize(&box, 0);
    lua_pop(L, 1);
    int rc = dr_account_open(e, err);
    if (rc != DR_OK) return rc;
    dr_budget_install(e);
    /* The build's bytecode; the text only when this Lua refuses its
     * header (another version or number format: libdocrules.so run
     * against another liblua5.4), never after running out of memory. */
    int st = luaL_loadbufferx(L, (const char *)dr_prelude_luac, dr_prelude_luac_len, "=prelude", "b");
    e->prelude_from_text = st == LUA_ERRSYNTAX;
    if (st == LUA_ERRSYNTAX) {
        lua_pop(L, 1);
        st = luaL_loadbufferx(L, (const char *)dr_prelude_lua, dr_prelude_lua_len, "=prelude", "t");
    }
    if (st != LUA_OK)
        return dr_error_set(err, st == LUA_ERRMEM ? DR_ELIMIT : DR_ERULE, "prelude.lua", 0, 0, "%s", lua_tostring(L, -1));
    dr_lualib_push(e);
    push_safe_string(L);
    lua_setfield(L, -2, "safe_string");
    push_safe_table(L);
    lua_setfield(L, -2, "safe_table");
    push_safe_utf8(L);
    lua_setfield(L, -2, "safe_utf8");
    char msg[1024];
    if (dr_state_call_own(e, 1, 1, msg, sizeof msg) != LUA_OK)
        return dr_error_set(err, DR_ERULE, "prelude.lua", 0, 0, "%s", msg);
    e->module_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    dr_decide_open(e);
    dr_lean_open(e);
    lua_newtable(L);
    e->facts_cache_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    return DR_OK;
}

/* Declarations load before what uses them: facts/ first, then shared/
 * (shared rules, which rest on facts and which policies use), then the
 * policies. */
static int script_rank(const char *path) {
    if (strstr(path, "/facts/")) return 0;
    return strstr(path, "/shared/") ? 1 : 2;
}

static int script_order(const void *a, const void *b) {
    const char *x = *(char *const *)a, *y = *(char *const *)b;
    int rx = script_rank(x), ry = script_rank(y);
    if (rx != ry) return rx - ry;
    return strcmp(x, y);
}

/* A message "PATH:LINE: text" (or "\x1f<n>\x1f:LINE: text") about the
 * script at path, as an error whose file and line are those and whose
 * message is the text alone: the place is said once. */
static int located(dr_error *err, const char *path, const char *msg) {
    const char *rest = msg;
    int line = 0;
    size_t n = strlen(path);
    const char *at = NULL;
    if (msg[0] == '\x1f') at = strchr(msg + 1, '\x1f');
    else if (strncmp(msg, path, n) == 0) at = msg + n - 1;
    if (at && at[1] == ':' && at[2] >= '0' && at[2] <= '9') {
        char *end;
        line = (int)strtol(at + 2, &end, 10);
        rest = end[0] == ':' && end[1] == ' ' ? end + 2 : end;
    }
    /* While loading, the stack is the rule language's own frames under
     * the author's line, which the place already names: left out. */
    const char *tb = strstr(rest, "\nstack traceback:");
    return dr_error_set(err, DR_ERULE, path, line, 0, "%.*s", (int)(tb ? (size_t)(tb - rest) : strlen(rest)), rest);
}


/* What one load says: its first problem is the error; each other follows
 * in the error's message with its own place, "\n  also FILE:LINE: text",
 * up to ten and as many whole lines as fit, then how many more there are. */
typedef struct load_says {
    dr_error *err;
    int rc, more, untold;
} load_says;

/* Room kept at the end of the message for "\n  and N more". */
enum { UNTOLD_ROOM = 24 };

static void say(load_says *s, const dr_error *p) {
    if (s->rc == DR_OK) {
        s->rc = dr_error_set(s->err, p->code, p->file, p->line, p->col, "%s", p->message);
        return;
    }
    if (!s->err) return;
    /* Placed as every error is (dr_error_format): one without a file or
     * line says only what it is, not ":0:". */
    char said[sizeof p->file + sizeof p->message + 32], line[sizeof said + 16];
    int len = snprintf(line, sizeof line, "\n  also %s", dr_error_format(p, said, sizeof said));
    size_t n = strlen(s->err->message);
    if (s->more >= 10 || len < 0 || n + (size_t)len + UNTOLD_ROOM >= sizeof s->err->message) {
        s->untold++;
        return;
    }
    s->more++;
    memcpy(s->err->message + n, line, (size_t)len + 1);
}

static void say_untold(load_says *s) {
    if (!s->untold || !s->err) return;
    size_t n = strlen(s->err->message);
    snprintf(s->err->message + n, sizeof s->err->message - n, "\n  and %d more", s->untold);
}

/* The declarations' problems prelude.lua recorded since it was last asked
 * (each { file, line, message }), said in that order. */
static void say_recorded(dr_engine *e, load_says *s) {
    lua_State *L = e->L;
    dr_error one;
    char msg[1024];
    lua_rawgeti(L, LUA_REGISTRYINDEX, e->module_ref);
    lua_getfield(L, -1, "take_problems");
    lua_remove(L, -2);
    if (dr_state_call_own(e, 0, 1, msg, sizeof msg) != LUA_OK) {
        dr_error_set(&one, DR_ELIMIT, NULL, 0, 0, "%s", msg);
        say(s, &one);
        return;
    }
    for (lua_Integer i = 1; i <= (lua_Integer)lua_rawlen(L, -1); i++) {
        lua_rawgeti(L, -1, i);
        lua_getfield(L, -1, "file");
        lua_getfield(L, -2, "line");
        lua_getfield(L, -3, "message");
        const char *file = lua_tostring(L, -3), *text = lua_tostring(L, -1);
        dr_error_set(&one, DR_ERULE, file ? file : "?", (int)lua_tointeger(L, -2), 0, "%s", text ? text : "error");
        say(s, &one);
        lua_pop(L, 4);
    }
    lua_pop(L, 1);
}

/* One script's text into the state, named path: what a file holds, or
 * what a root engine kept of it (forks, bundles). */
static int load_chunk(dr_engine *e, const char *path, const char *buf, size_t got, dr_error *err) {
    lua_State *L = e->L;
    /* By the name within its folder, so that a copy elsewhere is the same revision. */
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    e->script_hash = dr_hash(dr_hash(e->script_hash ? e->script_hash : DR_HASH_INIT, base, strlen(base) + 1), buf, got);
    /* Named by number ("=\x1f<n>\x1f"): Lua cuts chunk names at 60 bytes,
     * and messages get the whole path back from the number. */
    char chunk[32];
    dr_script_add(e, path, chunk, sizeof chunk);
    /* A NUL is no part of a script's text: Lua would say "unexpected
     * symbol" and its message stop at the byte, naming nothing. */
    const char *nul = memchr(buf, '\0', got);
    if (nul) {
        int line = 1, col = 1;
        for (const char *c = buf; c < nul; c++) {
            if (*c == '\n') line++, col = 1;
            else col++;
        }
        return dr_error_set(err, DR_EPARSE, path, line, col, "a NUL byte: a rule script is text");
    }
    /* Text only: precompiled bytecode can break the VM's invariants. */
    int rc = luaL_loadbufferx(L, buf, got, chunk, "t");
    if (rc != LUA_OK) {
        char m[1024];
        snprintf(m, sizeof m, "%s", lua_tostring(L, -1) ? lua_tostring(L, -1) : "syntax error");
        lua_pop(L, 1);
        return located(err, path, m);
    }
    /* Each script gets its own globals (prelude's new_env), reading
     * through to the rule language; what one script defines or changes
     * does not leak into another. */
    char msg[1024];
    lua_rawgeti(L, LUA_REGISTRYINDEX, e->module_ref);
    lua_getfield(L, -1, "new_env");
    lua_remove(L, -2);
    if (dr_state_call_own(e, 0, 1, msg, sizeof msg) != LUA_OK) {
        lua_pop(L, 1);
        return dr_error_set(err, DR_ELIMIT, path, 0, 0, "%s", msg);
    }
    lua_setupvalue(L, -2, 1);
    /* A script's size sets what its load may spend beyond the decision's
     * budget: a long case file is long data, not a runaway loop. */
    e->load_extra = dr_budget_load_extra(got);
    int called = dr_state_call(e, 0, 0, msg, sizeof msg);
    e->load_extra = 0;
    if (called != LUA_OK) return located(err, path, msg);
    return DR_OK;
}

void dr_sources_free(dr_source *v, size_t n) {
    for (size_t i = 0; i < n; i++) {
        free(v[i].path);
        free(v[i].text);
    }
    free(v);
}

/* A script file: read, then loaded; its text kept in e->sources when the
 * engine keeps them (a root's first load), else freed. */
static int load_file(dr_engine *e, const char *path, dr_error *err) {
    char *buf = NULL;
    size_t cap = 0, got;
    dr_read_status st = dr_read_file(path, 16 * 1024 * 1024, &buf, &cap, &got);
    if (st != DR_READ_OK) {
        int saved = errno;
        free(buf);
        return st == DR_READ_CANNOT_OPEN ? dr_error_set(err, DR_EIO, path, 0, 0, "cannot open: %s", strerror(saved))
                                         : dr_error_set(err, DR_EIO, path, 0, 0, "not a readable rule script");
    }
    int rc = load_chunk(e, path, buf, got, err);
    if (e->keep_sources) {
        e->sources = dr_xrealloc(e->sources, (e->nsources + 1) * sizeof *e->sources);
        e->sources[e->nsources++] = (dr_source){dr_xstrdup(path), buf, got};
    } else {
        free(buf);
    }
    return rc;
}

/* One script (a file, or a text kept: src): what its declarations
 * recorded, then what stopped it (a syntax error, an error of its own
 * code), each said. */
static void load_script(dr_engine *e, const char *path, const dr_source *src, load_says *s) {
    dr_error stopped;
    dr_error_clear(&stopped);
    int rc = src ? load_chunk(e, src->path, src->text, src->len, &stopped) : load_file(e, path, &stopped);
    say_recorded(e, s);
    if (rc != DR_OK) say(s, &stopped);
}

/* After the last script: the rules' facts are declared (prelude's
 * check_facts), each problem said. */
static void check_facts(dr_engine *e, load_says *s) {
    lua_rawgeti(e->L, LUA_REGISTRYINDEX, e->module_ref);
    lua_getfield(e->L, -1, "check_facts");
    lua_remove(e->L, -2);
    char msg[1024];
    if (dr_state_call_own(e, 0, 0, msg, sizeof msg) != LUA_OK) {
        /* Not a problem of one script's (those are recorded): the checks
         * themselves stopped, and what they would have kept is not. */
        dr_error stopped;
        dr_error_set(&stopped, DR_ERULE, NULL, 0, 0, "checking the rules' facts and channels: %s", msg);
        say(s, &stopped);
    }
    say_recorded(e, s);
}

/* After the rule scripts (not the test cases): the account contract
 * built from what they declare (contract.c), then what needs every
 * declaration (prelude's check_accounts: a policy names a product another
 * file declares, a rule's fixed roles), each problem said. */
static void check_accounts(dr_engine *e, load_says *s) {
    dr_error built;
    dr_error_clear(&built);
    int ok = s->rc == DR_OK && dr_contract_build(e, &built) == DR_OK;
    lua_rawgeti(e->L, LUA_REGISTRYINDEX, e->module_ref);
    lua_getfield(e->L, -1, "check_accounts");
    lua_remove(e->L, -2);
    lua_pushboolean(e->L, ok);
    char msg[256];
    dr_state_call_own(e, 1, 0, msg, sizeof msg);
    say_recorded(e, s);
    if (!ok && built.code) say(s, &built);
}

/* Declarations are open only while scripts load (prelude.lua). */
static void seal(dr_engine *e, int on) {
    lua_State *L = e->L;
    lua_rawgeti(L, LUA_REGISTRYINDEX, e->module_ref);
    lua_getfield(L, -1, "seal");
    lua_remove(L, -2);
    lua_pushboolean(L, on);
    char msg[256];
    dr_state_call_own(e, 1, 0, msg, sizeof msg);
}

/* The scripts, in the order given (paths, or kept texts), sealed in:
 * every script is loaded, so that one load says every problem of every
 * script (load_says). */
static int load_list(dr_engine *e, size_t n, const char *const *paths, const dr_source *srcs, int all,
                     dr_error *err) {
    seal(e, 0);
    load_says says = {err, DR_OK, 0, 0};
    for (size_t i = 0; i < n; i++) load_script(e, paths ? paths[i] : srcs[i].path, srcs ? &srcs[i] : NULL, &says);
    check_facts(e, &says);
    if (!all) check_accounts(e, &says);
    say_untold(&says);
    seal(e, 1);
    return says.rc;
}

/* A folder without scripts still has the engine's own account fields
 * (and no product, which every account is told); plans made before these
 * scripts are stale. */
static int finish_load(dr_engine *e, int all, dr_error *err) {
    int rc = DR_OK;
    if (err && !all && !e->contract) rc = dr_contract_build(e, err);
    dr_lean_query_changed(e);
    return rc;
}

int dr_state_load_dir(dr_engine *e, const char *dir, int all, dr_error *err) {
    struct stat st;
    /* A folder, or one script (docrules test FILE.lua). */
    size_t dl = strlen(dir);
    if (stat(dir, &st) != 0 || !(S_ISDIR(st.st_mode) || (S_ISREG(st.st_mode) && dl > 4 && strcmp(dir + dl - 4, ".lua") == 0)))
        return dr_error_set(err, DR_EIO, dir, 0, 0, "not a folder of rule scripts, nor a .lua script");
    /* Lexicons are read apart, into the catalog (dr_lexicons_load): a
     * deciding state does not carry them; test cases only when asked. */
    static const char *const skip_tests[] = {"tests", "lexicons", NULL}, *const skip[] = {"lexicons", NULL};
    dr_walk w = {0};
    int rc = dr_walk_add(&w, dir, ".lua", all ? skip : skip_tests, err);
    /* A rule script that is a link or no file is not loaded, and a rule set
     * missing one is not the author's: it is an error. */
    for (size_t i = 0; rc == DR_OK && i < w.n; i++)
        if (w.v[i].kind != DR_WALK_FILE)
            rc = dr_error_set(err, DR_EIO, w.v[i].path, 0, 0, "%s", dr_walk_kind_says(w.v[i].kind));
    if (rc == DR_OK && w.n) {
        char **v = dr_xmalloc(w.n * sizeof *v);
        for (size_t i = 0; i < w.n; i++) v[i] = w.v[i].path;
        qsort(v, w.n, sizeof *v, script_order);
        rc = load_list(e, w.n, (const char *const *)v, NULL, all, err);
        free(v);
    }
    dr_walk_free(&w);
    if (rc == DR_OK) return finish_load(e, all, err);
    finish_load(e, all, NULL);
    return rc;
}

int dr_state_load_sources(dr_engine *e, const dr_source *v, size_t n, dr_error *err) {
    int rc = n ? load_list(e, n, NULL, v, 0, err) : DR_OK;
    if (rc == DR_OK) return finish_load(e, 0, err);
    finish_load(e, 0, NULL);
    return rc;
}
