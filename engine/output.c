/* What a rule or a compute may put in a decision: the contract's ids and
 * shapes, checked before the decision is written. A rule script is plain
 * Lua; without this a compute returning { channels = "x", refund =
 * { amount = 1.5 } } would be printed as it is, and a billing system would
 * read a float as money. decide.c checks what a rule's functions return
 * (dr_output_check) and each field a compute sets (dr_output_merge), and
 * turns a message into an error decision naming the rule's line; prelude
 * checks a rule's fixed lists when it is declared (check_field). Checked
 * in C: no VM instruction, so a decision's budget is the rules' alone. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../common/dates.h"
#include "../common/list.h"
#include "../common/money.h"
#include "../common/utf8.h"
#include "internal.h"

/* The decisions a decision can be: the first RULE_DECISIONS a rule may
 * declare, then those only the engine makes (no rule held, a script
 * failed, the account lacks what a rule needs). */
static const char *const decisions[] = {"allow", "deny", "escalate", "not_applicable", "blocked",
                                        "no_rule", "error", "needs_input", NULL};
#define RULE_DECISIONS 5
static const char *const channels[] = {"portal", "account_center", "online", "support", NULL};
static const char *const remedies[] = {"remove_users", "disable_directory_sync", "contact_support", "add_payment_method", NULL};
/* The decision's fields that are objects, and steps, a list of them. */
static const char *const object_fields[] = {"refund", "support_plan", "data_retention", "reactivation", "steps", NULL};
static const char *const remaining[] = {"delete_users", "cancel_active_subscriptions", "delete_disabled_subscriptions",
                                        "disable_mfa", "delete_directory", NULL};

#define MAX_NEST 8
/* The stack a check may use: an object's values and a few more at each level. */
#define CHECK_STACK ((MAX_NEST + 2) * (DR_JSON_MAX_KEYS + 8))

/* The first letters compared before the call: a compute's every field is
 * looked for in two lists of a dozen names, and most differ there. */
static int in(const char *const *set, const char *s) {
    for (; *set; set++)
        if (**set == *s && strcmp(*set, s) == 0) return 1;
    return 0;
}

/* Where the check is, as segments (a key, or a list position when key is
 * NULL), made into a path only for a message: most decisions have none. */
typedef struct out {
    const char *key[MAX_NEST + 3];
    lua_Integer pos[MAX_NEST + 3];
    int n;
    /* Values and text seen so far: a table shared at every level ({t, t,
     * t...} eight deep) is checked, and written, once per reference, so
     * that what is small in memory can be billions of values in a decision.
     * Checked here, inside the budgeted call; the writer then has a bounded
     * tree to walk. */
    long values;
    size_t bytes;
    dr_engine *e; /* whose decision: what all its checks have seen */
    dr_buf *json; /* where the checked value's JSON goes, or NULL */
    char msg[400];
} out;

#define MAX_VALUES 10000
#define JSON_EXACT ((lua_Integer)1 << 53)
#define MAX_BYTES (1 << 20)
/* Values a decision's checks may see in all, each set of a field counted
 * (a compute setting one again is checked again): the writer's notes
 * (json.c) and the checks' time stay bounded whatever the rules set. */
#define MAX_DECISION_VALUES (10 * MAX_VALUES)

static void push_seg(out *o, const char *key, lua_Integer pos) {
    o->key[o->n] = key;
    o->pos[o->n] = pos;
    o->n++;
}

/* A check of field key from its top: no path, nothing counted yet (the
 * rest is written only when a message is). */
static void out_start(out *o, lua_State *L, const char *key) {
    lua_getallocf(L, (void **)&o->e);
    o->n = 0;
    o->values = 0;
    o->bytes = 0;
    push_seg(o, key, 0);
}

/* The message, path first ("refund.amount is ..."); cut to fit. */
static int bad(out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int bad(out *o, const char *fmt, ...) {
    size_t n = 0;
    for (int k = 0; k < o->n && n < sizeof o->msg - 1; k++) {
        if (o->key[k]) n += (size_t)snprintf(o->msg + n, sizeof o->msg - n, "%s%s", k ? "." : "", o->key[k]);
        else n += (size_t)snprintf(o->msg + n, sizeof o->msg - n, "[%lld]", (long long)o->pos[k]);
    }
    if (n < sizeof o->msg - 1) {
        o->msg[n++] = ' ';
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(o->msg + n, sizeof o->msg - n, fmt, ap);
        va_end(ap);
    }
    return 0;
}

/* Text the check has seen: n more bytes of a string or a name, against
 * the field's bound and the decision's. */
static int add_text(out *o, size_t n) {
    if ((o->bytes += n) > MAX_BYTES)
        return bad(o, "holds more than %d bytes of text: no decision field is that big", MAX_BYTES);
    /* And the decision as a whole: 64 fields of 1 MiB each would be
     * 384 MiB of escaped JSON, written after the budgeted call. */
    if ((o->e->out_text += n) > MAX_BYTES)
        return bad(o, "makes the decision hold more than %d bytes of text: no decision is that big", MAX_BYTES);
    return 1;
}

/* Writes n bytes of the JSON of what is checked, when it is written
 * (o->json): the check walks a value in the writer's order and writes it
 * as the writer would (json.c), so that what a decision holds is what was
 * checked, in one walk. */
static void emit(out *o, const char *s, size_t n) {
    if (o->json) dr_buf_put(o->json, s, n);
}

static void emit_string(out *o, const char *s, size_t n) {
    if (o->json) dr_json_put_string(o->json, s, n);
}

/* What a walk found of a table's keys that are not names: its positions
 * 1..n counted, the highest, the lowest under 1 (1: none), and the smallest
 * type name of a key that is neither a name nor a position. A list's keys
 * are positions 1..n without a hole: the writer writes such a table as a
 * list and any other as an object of its names, so a list with a name
 * (channels = { "online", fee = 1.5 }) or a hole would go out as something
 * never checked. What is wrong is said after the walk, by a fixed
 * precedence: what the walk meets first depends on Lua's table order, which
 * changes from run to run. */
typedef struct keys_seen {
    lua_Integer count, top, low;
    const char *odd;
} keys_seen;

static void see_key(lua_State *L, int k, keys_seen *ks) {
    if (!lua_isinteger(L, k)) {
        const char *ty = luaL_typename(L, k);
        if (!ks->odd || strcmp(ty, ks->odd) < 0) ks->odd = ty;
        return;
    }
    lua_Integer p = lua_tointeger(L, k);
    if (p < ks->low) ks->low = p;
    if (p >= 1) {
        ks->count++;
        if (p > ks->top) ks->top = p;
    }
}

/* 1, or 0 with what is wrong with the keys see_key saw said. */
static int keys_ok(out *o, const keys_seen *ks) {
    if (ks->odd) return bad(o, "has a %s key: only names and list positions", ks->odd);
    if (ks->low < 1) return bad(o, "has position %lld: a list counts from 1", (long long)ks->low);
    return 1;
}

static int no_holes(out *o, lua_Integer count, lua_Integer top) {
    if (top == count) return 1;
    return bad(o, "has %lld entries up to position %lld: a list has no holes", (long long)count, (long long)top);
}

/* The length of the list at t, or -1 with what is wrong said: its first
 * name in the writer's order, else what keys_ok says, else its holes. */
static lua_Integer list_length(lua_State *L, int t, out *o) {
    keys_seen ks = {0, 0, 1, NULL};
    dr_json_key name, k;
    int named = 0;
    lua_pushnil(L);
    while (lua_next(L, t)) {
        lua_pop(L, 1);
        if (lua_type(L, -1) == LUA_TSTRING) {
            size_t n;
            const char *key = lua_tolstring(L, -1, &n); /* alive: a key of t, on the stack */
            dr_json_key_init(&k, key, n, 0);
            if (!named++ || dr_json_key_before(&k, &name)) name = k;
        } else {
            see_key(L, -1, &ks);
        }
    }
    if (named) return bad(o, "must be a list: it has the name \"%s\"", name.key), -1;
    return keys_ok(o, &ks) && no_holes(o, ks.count, ks.top) ? ks.count : -1;
}

/* What makes a name no name a decision can write (0: nothing), the worst
 * first: a NUL would end it where the checks read it ("amount\0x" checked
 * as an amount, "refund\0" as refund) and where a reader's JSON library
 * does; bytes that are not UTF-8 the writer repairs to U+FFFD, and two such
 * names would be one name twice. name_faults[] says each after "a name". */
enum { NAME_OK, NAME_NUL, NAME_NOT_UTF8 };
static const char *const name_faults[] = {NULL, "with a NUL byte in it", "that is not UTF-8 text"};

static int name_fault(const char *key, size_t len) {
    if (memchr(key, '\0', len)) return NAME_NUL;
    if (!dr_utf8_valid(key, len)) return NAME_NOT_UTF8;
    return NAME_OK;
}

/* One more value the check has seen (with s, a string's n bytes of text;
 * NULL for another kind), against the field's bounds and the decision's. A string holding a NUL is refused: the checks that read ids,
 * currencies, dates and money read C strings, which end at the NUL, while
 * the decision would write every byte ("online\0x" checked as online). */
static int count_value(out *o, const char *s, size_t n) {
    if (++o->values > MAX_VALUES) return bad(o, "holds more than %d values: no decision field is that big", MAX_VALUES);
    if (++o->e->out_values > MAX_DECISION_VALUES)
        return bad(o, "makes the decision's checks see more than %d values: no decision is that big", MAX_DECISION_VALUES);
    if (!s) return 1;
    if (memchr(s, '\0', n)) return bad(o, "holds a NUL byte: no text of a decision does");
    return add_text(o, n);
}

/* A list of ids from set, at index i: each id counted as any value is. */
static int check_ids(lua_State *L, int i, const char *const *set, out *o) {
    if (!lua_istable(L, i)) return bad(o, "must be a list, not a %s", luaL_typename(L, i));
    lua_Integer n = list_length(L, i, o);
    if (n < 0) return 0;
    emit(o, "[", 1);
    for (lua_Integer k = 1; k <= n; k++) {
        lua_rawgeti(L, i, k);
        size_t len = 0;
        const char *s = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &len) : NULL;
        push_seg(o, NULL, k);
        if (s && !count_value(o, s, len)) {
            lua_pop(L, 1);
            return 0;
        }
        if (!s || !in(set, s)) {
            char known[200];
            dr_list_said(set, (size_t)-1, ", ", "", known, sizeof known);
            int r = bad(o, "is %s%s%s, not one of %s", s ? "\"" : "a ", s ? s : luaL_typename(L, -1), s ? "\"" : "", known);
            lua_pop(L, 1);
            return r;
        }
        o->n--;
        if (k > 1) emit(o, ",", 1);
        emit_string(o, s, len);
        lua_pop(L, 1);
    }
    emit(o, "]", 1);
    return 1;
}

static int check_value(lua_State *L, int i, const char *key, int depth, out *o);

/* What a key names, found by its first letter then one or two compares:
 * this runs for every field of every decision. */
enum { K_PLAIN, K_CHANNELS, K_ROLES, K_REMAINING, K_REMEDIES, K_MONEY, K_CURRENCY, K_COUNT, K_DATE };

static int kind_of(const char *key) {
    if (!key) return K_PLAIN;
#define IS(s) (strcmp(key, s) == 0)
    switch (key[0]) {
    case 'a': return IS("amount") ? K_MONEY : K_PLAIN;
    case 'c': return IS("channels") ? K_CHANNELS : IS("currency") ? K_CURRENCY : IS("count") ? K_COUNT : K_PLAIN;
    case 'd': return IS("days") ? K_COUNT : IS("delete_after") ? K_DATE : K_PLAIN;
    case 'm': return IS("monthly_fee") ? K_MONEY : K_PLAIN;
    case 'p': return IS("period_days") || IS("portal_shows_within_minutes") ? K_COUNT : K_PLAIN;
    case 'r':
        return IS("required_roles") ? K_ROLES : IS("remaining") ? K_REMAINING : IS("remedies") ? K_REMEDIES
               : IS("remaining_charges") ? K_COUNT : K_PLAIN;
    case 't': return IS("term_end") ? K_DATE : K_PLAIN;
    case 'u': return IS("until") ? K_DATE : IS("unused_days") ? K_COUNT : K_PLAIN;
    default: return K_PLAIN;
    }
#undef IS
}

static int is_money_key(const char *key) { return kind_of(key) == K_MONEY; }

/* The string an object's name holds, or NULL: among its names, whose
 * values wait on the stack (check_table). Not looked up by a pushed
 * string, which could set off a collection in the middle of the check. */
static const char *sibling_string(lua_State *L, const dr_json_key *names, int nn, const char *name) {
    size_t n = strlen(name);
    for (int j = 0; j < nn; j++)
        if (names[j].len == n && memcmp(names[j].key, name, n) == 0)
            return lua_type(L, names[j].at) == LUA_TSTRING ? lua_tostring(L, names[j].at) : NULL;
    return NULL;
}

/* The member on top, at name key or position pos (key NULL) of an object
 * whose names are names (nn of them) or of a list (none), with the money
 * check that needs its sibling (an amount in its currency). */
static int member_ok(lua_State *L, const dr_json_key *names, int nn, const char *key, lua_Integer pos, int depth,
                     out *o) {
    push_seg(o, key, pos);
    int ok = check_value(L, lua_gettop(L), key, depth + 1, o);
    if (ok && is_money_key(key)) {
        const char *currency = sibling_string(L, names, nn, "currency");
        const char *s = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL, *why = NULL;
        int64_t minor;
        if (!s) ok = bad(o, "is not money: a decimal string (\"12.50\") is");
        else if (!currency) ok = bad(o, "is money without a currency beside it");
        else if (dr_money_parse(s, currency, &minor, &why) != DR_OK)
            ok = bad(o, "is \"%s\", not an amount in %s (%s)", s, currency, why ? why : "");
        else if (dr_money_negative(s, minor))
            ok = bad(o, "is \"%s\": an amount a decision gives is not negative", s); /* as an account's */
    }
    if (ok) o->n--;
    return ok;
}

/* A table: a list (positions 1..n) or an object (names), the only two the
 * writer writes whole; with ids (a remedy's), an object whose id is one of
 * them. Its members checked, and written when the check writes, in the
 * writer's order: a list's positions, an object's names as json.c ranks
 * them (and so each message is the same whatever fields are asked and
 * from run to run, where Lua's own order is neither). Read raw, as the
 * writer reads it: a metamethod would be a rule's code running in the
 * middle of the check, and a currency found through __index is not one
 * the decision holds. Nothing is allocated from the walk to the end (the
 * stack was made room for by check_field): a collection run there would
 * empty a weak table's entries between their walk and their check. An
 * object's values wait on the stack meanwhile, which keeps them and their
 * names alive. */
/* What a table must be beyond any table's checks: a contract object
 * (names, not empty: an object that does not apply is left out), or a step
 * (an object with its text). */
enum { SHAPE_ANY, SHAPE_OBJECT, SHAPE_STEP };

static int check_table(lua_State *L, int t, int depth, const char *const *ids, int shape, out *o) {
    if (depth > MAX_NEST) return bad(o, "nests too deep");
    if (!lua_checkstack(L, DR_JSON_MAX_KEYS + 8)) return bad(o, "cannot be checked: no room on the stack");
    dr_json_key names[DR_JSON_MAX_KEYS];
    int nn = 0, base = lua_gettop(L), ok = 1, more = 0;
    int fault = NAME_OK; /* the worst of its names' */
    keys_seen ks = {0, 0, 1, NULL};
    size_t text = 0;
    lua_pushnil(L);
    while (lua_next(L, t)) {
        if (lua_type(L, -2) == LUA_TSTRING) {
            size_t len;
            const char *key = lua_tolstring(L, -2, &len);
            /* The writer keeps this many names of a table: more would be
             * dropped from the decision in silence. A name is text the
             * decision writes, as a string is. */
            text += len;
            int f = name_fault(key, len);
            if (f) {
                if (!fault || f < fault) fault = f;
            } else if (nn == DR_JSON_MAX_KEYS) {
                more = 1;
            } else {
                dr_json_key_init(&names[nn], key, len, lua_gettop(L) - 1);
                nn++;
                lua_insert(L, -2); /* the value stays, under the key lua_next goes on from */
                continue;
            }
        } else {
            see_key(L, -2, &ks);
        }
        lua_pop(L, 1);
    }
    if (!keys_ok(o, &ks)) ok = 0;
    else if (more) ok = bad(o, "has more than %d names: no decision object is that big", DR_JSON_MAX_KEYS);
    else if (fault) ok = bad(o, "has a name %s", name_faults[fault]);
    else if (!add_text(o, text)) ok = 0;
    else if (nn && ks.count)
        ok = bad(o, "has both list positions and names: a decision writes a list or an object, not both");
    else if (shape == SHAPE_OBJECT && !nn)
        ok = bad(o, ks.count ? "must be an object { ... }, not a list" : "is empty: an object that does not apply is left out");
    else if (shape == SHAPE_STEP && (!nn || !sibling_string(L, names, nn, "text")))
        ok = bad(o, "must be a step { text = \"...\", ... }: it has no text");
    if (ok && ids) {
        const char *id = sibling_string(L, names, nn, "id");
        if (!id || !in(ids, id)) {
            char known[200];
            dr_list_said(ids, (size_t)-1, ", ", "", known, sizeof known);
            ok = bad(o, "has id %s, not one of %s", id ? id : "(none)", known);
        }
    }
    if (ok && !nn) {
        ok = no_holes(o, ks.count, ks.top);
        emit(o, "[", 1);
        for (lua_Integer k = 1; ok && k <= ks.count; k++) {
            if (k > 1) emit(o, ",", 1);
            lua_rawgeti(L, t, k);
            ok = member_ok(L, NULL, 0, NULL, k, depth, o);
            lua_pop(L, 1);
        }
        emit(o, "]", 1);
    } else if (ok) {
        dr_json_sort_keys(names, (size_t)nn);
        emit(o, "{", 1);
        for (int i = 0; ok && i < nn; i++) {
            if (i) emit(o, ",", 1);
            emit_string(o, names[i].key, names[i].len);
            emit(o, ":", 1);
            lua_pushvalue(L, names[i].at);
            ok = member_ok(L, names, nn, names[i].key, 0, depth, o);
            lua_pop(L, 1);
        }
        emit(o, "}", 1);
    }
    lua_settop(L, base);
    return ok;
}

/* A list of objects, each checked as check_table checks one (with ids, an
 * object whose id is one of them; with shape, that shape): remedies, and
 * the steps a compute sets. what names an entry in a message. */
static int check_list_of(lua_State *L, int i, int depth, const char *const *ids, int shape, const char *what, out *o) {
    lua_Integer n = list_length(L, i, o);
    if (n < 0) return 0;
    emit(o, "[", 1);
    for (lua_Integer k = 1; k <= n; k++) {
        push_seg(o, NULL, k);
        if (k > 1) emit(o, ",", 1);
        int ok = lua_rawgeti(L, i, k) == LUA_TTABLE ? check_table(L, lua_gettop(L), depth + 1, ids, shape, o)
                                                   : bad(o, "must be %s, not a %s", what, luaL_typename(L, -1));
        lua_pop(L, 1);
        if (!ok) return 0;
        o->n--;
    }
    emit(o, "]", 1);
    return 1;
}

static int check_value(lua_State *L, int i, const char *key, int depth, out *o) {
    int t = lua_type(L, i), kind = kind_of(key);
    size_t len = 0;
    const char *s = t == LUA_TSTRING ? lua_tolstring(L, i, &len) : NULL;
    if (!count_value(o, s, len)) return 0;
    /* The contract's fields that are objects (CONTRACT.md) are objects:
     * "refund": 150 would be money as a number, out of every check. */
    if (depth == 0 && in(object_fields, key)) {
        int steps = strcmp(key, "steps") == 0;
        if (t != LUA_TTABLE)
            return bad(o, steps ? "must be a list of steps { text = \"...\", ... }, not a %s" : "must be an object { ... }, not a %s",
                       luaL_typename(L, i));
        return steps ? check_list_of(L, i, depth, NULL, SHAPE_STEP, "a step { text = \"...\", ... }", o)
                     : check_table(L, i, depth, NULL, SHAPE_OBJECT, o);
    }
    switch (kind) {
    case K_CHANNELS: return check_ids(L, i, channels, o);
    case K_ROLES: return check_ids(L, i, dr_engine_roles(o->e), o);
    case K_REMAINING: return check_ids(L, i, remaining, o);
    case K_REMEDIES:
        if (!lua_istable(L, i)) return bad(o, "must be a list of { id = ..., count = ... }, not a %s", luaL_typename(L, i));
        return check_list_of(L, i, depth, remedies, SHAPE_ANY, "a table { id = ..., count = ... }", o);
    }
    switch (t) {
    case LUA_TBOOLEAN:
        if (lua_toboolean(L, i)) emit(o, "true", 4);
        else emit(o, "false", 5);
        return 1;
    case LUA_TSTRING:
        if (kind == K_CURRENCY && dr_currency_exponent(lua_tostring(L, i)) < 0)
            return bad(o, "is \"%s\", not an ISO 4217 currency code", lua_tostring(L, i));
        if (kind == K_DATE) {
            long day;
            if (dr_date_from_iso(lua_tostring(L, i), &day) != DR_OK)
                return bad(o, "is \"%s\", not a date YYYY-MM-DD", lua_tostring(L, i));
        }
        if (kind == K_COUNT) return bad(o, "is \"%s\", not a whole number", lua_tostring(L, i));
        emit_string(o, lua_tostring(L, i), len);
        return 1;
    case LUA_TNUMBER:
        /* Said for what the field is: a number where text is due, or a
         * fraction, which no field of a decision holds (money goes as a
         * decimal string, so that it stays exact). */
        if (kind == K_DATE) return bad(o, "is %.14g, a number: a date is text YYYY-MM-DD", lua_tonumber(L, i));
        if (kind == K_CURRENCY) return bad(o, "is %.14g, a number: a currency is its ISO 4217 code (\"USD\")", lua_tonumber(L, i));
        if (kind == K_MONEY) return bad(o, "is a number: money is a decimal string (\"12.50\")");
        if (!lua_isinteger(L, i)) {
            lua_Number x = lua_tonumber(L, i);
            if (x != x || x - x != 0) return bad(o, "is %g, which is no number a decision can hold", x);
            if (x == floor(x))
                return bad(o, fabs(x) < 1e15 ? "is %.1f, a float: a decision's numbers are integers (math.tointeger gives one)"
                                             : "is %.14g, a float: a decision's numbers are integers (math.tointeger gives one)",
                           x);
            return bad(o, kind == K_COUNT ? "is %.14g, a fraction: a count is whole"
                                          : "is %.14g, a fraction: a decision's numbers are whole (money is a decimal string)",
                       x);
        }
        if (kind == K_COUNT && lua_tointeger(L, i) < 0)
            return bad(o, "is %lld: a count is not negative", (long long)lua_tointeger(L, i));
        /* Past 2^53 a JSON reader that keeps numbers as doubles (every
         * JavaScript one) reads another number than was written. */
        if (lua_tointeger(L, i) > JSON_EXACT || lua_tointeger(L, i) < -JSON_EXACT)
            return bad(o, "is %lld, past 2^53: a JSON reader would read another number", (long long)lua_tointeger(L, i));
        if (o->json) dr_json_put_integer(o->json, lua_tointeger(L, i));
        return 1;
    case LUA_TTABLE: return check_table(L, i, depth, NULL, SHAPE_ANY, o);
    default: return bad(o, "is a %s, which a decision cannot hold", luaL_typename(L, i));
    }
}

/* The value at v, checked as the decision's field key, and noted with its
 * JSON for the writer when note is the deciding engine and the query
 * writes that field (json.c's dr_noted_begin/end); 1, or 0 with o->msg. */
static int check_field(lua_State *L, const char *key, int v, dr_engine *note, out *o) {
    out_start(o, L, key);
    /* In a decision, room for an object's values at every level, made
     * before the walk: growing the stack inside it would allocate, and an
     * allocation that fails runs a collection (check_table). A rule's
     * declaration grows it level by level, as it needs. */
    if (note && !lua_checkstack(L, CHECK_STACK)) return bad(o, "cannot be checked: no room on the stack");
    o->json = note ? dr_noted_begin(note, L, v, key) : NULL;
    int ok = check_value(L, v, key, 0, o);
    if (o->json) dr_noted_end(note, L, v, ok);
    return ok;
}

/* check_field(key, value) -> nil, or what is wrong ("refund.amount is
 * 1.5, a fraction: ..."). */
int dr_output_check(lua_State *L, const char *key, int v, dr_engine *note) {
    int top = lua_gettop(L);
    v = lua_absindex(L, v);
    out o;
    if (check_field(L, key, v, note, &o)) return 0;
    lua_settop(L, top);
    lua_pushstring(L, o.msg);
    return 1;
}

static int l_check_field(lua_State *L) {
    const char *key = luaL_checkstring(L, 1);
    lua_settop(L, 2);
    return dr_output_check(L, key, 2, NULL);
}

const char *const *dr_decisions(void) { return decisions; }

/* rule_decision(v) -> nil, or what is wrong with v as a rule's decision. */
static int l_rule_decision(lua_State *L) {
    const char *v = lua_type(L, 1) == LUA_TSTRING ? lua_tostring(L, 1) : NULL;
    for (int i = 0; v && i < RULE_DECISIONS; i++)
        if (strcmp(v, decisions[i]) == 0) return 0;
    char known[200];
    lua_pushfstring(L, "decision must be %s", dr_list_said(decisions, RULE_DECISIONS, " or ", "", known, sizeof known));
    return 1;
}

/* The fields of a decision the engine writes, which a compute may not set. */
static const char *const owned[] = {"id", "action", "decision", "reasons", "explain", "error", "missing", "as_of",
                                    "revision", "locale_used", "locale_asked", "warnings", "traceback", NULL};

int dr_decision_field(const char *k) { return dr_decision_contract_field(k) || in(owned, k); }

/* What the decision service adds to every decision it answers (serve/stamp.c):
 * no compute may add them too, or an answer would hold each name twice. Not
 * decision fields for --fields: a command's decisions have neither. */
static const char *const service_owned[] = {"decision_id", "time", NULL};

size_t dr_decision_fields_said(char *buf, size_t size) {
    const char *const *sets[] = {dr_decision_contract_fields(), owned};
    size_t n = 0;
    buf[0] = '\0';
    for (int s = 0; s < 2; s++)
        for (const char *const *k = sets[s]; *k; k++)
            if ((s == 0 || !dr_decision_contract_field(*k)) && n < size)
                n += (size_t)snprintf(buf + n, size - n, "%s%s", n ? ", " : "", *k);
    return n < size ? n : size - 1;
}

/* The fields one set may return: the contract's, the engine's (refused,
 * but said so) and as many of its own as a decision holds. */
#define MERGE_MAX (2 * DR_JSON_MAX_KEYS)

/* Whether a compute's adds list (at index adds, or none) names k. */
static int added(lua_State *L, int adds, const char *k) {
    if (!lua_istable(L, adds)) return 0;
    lua_Integer n = (lua_Integer)lua_rawlen(L, adds);
    for (lua_Integer i = 1; i <= n; i++) {
        int same = lua_rawgeti(L, adds, i) == LUA_TSTRING && strcmp(lua_tostring(L, -1), k) == 0;
        lua_pop(L, 1);
        if (same) return 1;
    }
    return 0;
}

/* One field a compute's set returned, named k, its value at k->at and its
 * name just under it: checked, then set in the decision d; 0, or 1 with
 * what is wrong pushed. */
static int merge_field(lua_State *L, int d, int adds, dr_engine *e, const dr_json_key *k) {
    const char *key = k->key;
    int v = k->at;
    int f = name_fault(key, k->len);
    if (f) {
        lua_pushfstring(L, "set returned a field name %s", name_faults[f]);
        return 1;
    }
    if (in(owned, key)) {
        lua_pushfstring(L, "set may not set %s: the engine writes it", key);
        return 1;
    }
    int contract = dr_decision_contract_field(key);
    if (!contract && !added(L, adds, key)) {
        lua_pushfstring(L, "set returned %s, which is not a decision field: declare a new one in "
                           "adds = { \"%s\" }", key, key);
        return 1;
    }
    /* The writer keeps this many fields beyond the contract's: more would
     * be dropped from the decision in silence. */
    if (!contract) {
        lua_pushvalue(L, v - 1);
        int fresh = lua_rawget(L, d) == LUA_TNIL;
        lua_pop(L, 1);
        if (fresh && ++e->out_fields > DR_JSON_MAX_KEYS) {
            lua_pushfstring(L, "set makes the decision hold more than %d fields of its computes' own (adds)",
                            DR_JSON_MAX_KEYS);
            return 1;
        }
    }
    out o;
    if (!check_field(L, key, v, e, &o)) {
        lua_pushstring(L, o.msg);
        return 1;
    }
    lua_pushvalue(L, v - 1);
    lua_pushvalue(L, v);
    lua_rawset(L, d); /* d[key] = value */
    return 0;
}

/* Each field a compute's set returned, checked, then copied into the
 * decision d; 0, or 1 with what is wrong pushed. A field outside the
 * contract must be one the compute's adds declares. In C, as one call, so
 * that a compute's output costs its rule no VM instructions. */
int dr_output_merge(lua_State *L, int d, int set, int adds) {
    if (!lua_istable(L, set)) {
        lua_pushfstring(L, "set returned a %s, not a table of fields", luaL_typename(L, set));
        return 1;
    }
    int top = lua_gettop(L);
    /* The fields are checked in the writer's order, not Lua's: of two
     * wrong fields, the one a message names would otherwise change from
     * run to run (Lua seeds its string hashes anew in each process). Each
     * name and value waits on the stack, which keeps them alive, while
     * the names are sorted. */
    dr_json_key names[MERGE_MAX];
    int nn = 0;
    const char *odd = NULL; /* the smallest type name of a key that is no name */
    if (!lua_checkstack(L, 2 * MERGE_MAX + 8)) {
        lua_pushliteral(L, "set returned fields that cannot be checked: no room on the stack");
        return 1;
    }
    lua_pushnil(L);
    while (lua_next(L, set)) {
        if (lua_type(L, -2) != LUA_TSTRING) {
            const char *t = luaL_typename(L, -2);
            if (!odd || strcmp(t, odd) < 0) odd = t;
            lua_pop(L, 1);
            continue;
        }
        if (nn == MERGE_MAX) {
            lua_settop(L, top);
            lua_pushfstring(L, "set returned more than %d fields: no decision has that many", MERGE_MAX);
            return 1;
        }
        size_t klen;
        const char *key = lua_tolstring(L, -2, &klen);
        /* kept: the name and its value; a copy of the name goes on */
        lua_pushvalue(L, -2);
        dr_json_key_init(&names[nn], key, klen, lua_gettop(L) - 1);
        nn++;
    }
    int wrong = 0;
    if (odd) {
        lua_pushfstring(L, "set may not set %s: the engine writes it", odd);
        wrong = 1;
    }
    dr_json_sort_keys(names, (size_t)nn);
    dr_engine *e;
    lua_getallocf(L, (void **)&e);
    for (int i = 0; !wrong && i < nn; i++) wrong = merge_field(L, d, adds, e, &names[i]);
    if (!wrong) {
        lua_settop(L, top);
        return 0;
    }
    /* What is wrong, alone above what was there. */
    lua_replace(L, top + 1);
    lua_settop(L, top + 1);
    return 1;
}

/* field_name(k) -> whether k can be a decision field's name (no NUL, UTF-8
 * text): what the checks ask of a compute's fields, asked of adds as it
 * loads. */
static int l_field_name(lua_State *L) {
    size_t n;
    const char *k = luaL_checklstring(L, 1, &n);
    lua_pushboolean(L, name_fault(k, n) == NAME_OK);
    return 1;
}

/* money_name(k) -> whether a value named k is money, which the checks read
 * with the currency beside it: a decision field of its own could not be. */
static int l_money_name(lua_State *L) {
    lua_pushboolean(L, is_money_key(luaL_checkstring(L, 1)));
    return 1;
}

/* decision_field(k) -> whether the contract or the engine has field k. */
static int l_decision_field(lua_State *L) {
    lua_pushboolean(L, dr_decision_field(luaL_checkstring(L, 1)));
    return 1;
}

/* service_field(k) -> whether the decision service writes field k. */
static int l_service_field(lua_State *L) {
    lua_pushboolean(L, in(service_owned, luaL_checkstring(L, 1)));
    return 1;
}

void dr_output_push_lib(lua_State *L) {
    static const luaL_Reg fns[] = {
        {"decision_field", l_decision_field}, {"check_field", l_check_field}, {"money_name", l_money_name},
        {"field_name", l_field_name}, {"service_field", l_service_field},
        {"rule_decision", l_rule_decision}, {NULL, NULL},
    };
    luaL_setfuncs(L, fns, 0);
}
