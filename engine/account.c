/* The account as the contract defines it: read into a Lua table, checked
 * field by field, and handed to the rules. Every error says where in the
 * account text it is.
 *
 * Reading is the larger part of a decision's cost, so it has two paths to
 * one result. The fast one streams the text through yajl's parser straight
 * into Lua tables. It is taken when the line is printable UTF-8 with no
 * \u escape: yajl lets lone surrogates through those, and jansson, the
 * reference, does not. Everything else, and every line yajl refuses (for
 * jansson's message and position), goes through jansson. fuzz/fuzz_account.c
 * checks that the two paths agree. */
#define _GNU_SOURCE /* memmem */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <yajl/yajl_parse.h>

#include "../common/arena.h"
#include "../common/dates.h"
#include "../common/money.h"
#include "../common/utf8.h"
#include "internal.h"

/* Deeper than any account field; deeper content is refused, not cut. */
#define MAX_DEPTH 64
#define KEY_LEVELS 4     /* levels whose keys the fast path remembers */
#define KEYS_PER_LEVEL 16

/* The contract's keys, made Lua strings once per state (dr_account_open)
 * and kept at stack index 1 while an account is read: the checks look a
 * key up by its number, without hashing its text, and the fast path
 * pushes a key the contract names from there. */
#define ACCOUNT_KEYS(X)                                                                        \
    X(ID, "id") X(PRODUCT, "product") X(DATE, "date") X(LOCALE, "locale") X(ACTION, "action")  \
    X(ACTOR, "actor") X(ROLES, "roles") X(ASSIGNED_LICENSES, "assigned_licenses")              \
    X(SUBSCRIPTION, "subscription") X(TYPE, "type") X(PAYMENT_METHOD, "payment_method")        \
    X(CANCELLED_ON, "cancelled_on") X(BILLING, "billing") X(PERIOD_START, "period_start")      \
    X(PERIOD_END, "period_end") X(AMOUNT, "amount") X(CURRENCY, "currency")                    \
    X(SUPPORT_PLAN, "support_plan") X(PAID, "paid") X(STARTED_ON, "started_on")                \
    X(MONTHLY_FEE, "monthly_fee") X(TENANT, "tenant") X(USERS, "users")                        \
    X(ACTIVE_SUBSCRIPTIONS, "active_subscriptions")                                            \
    X(DISABLED_SUBSCRIPTIONS, "disabled_subscriptions")                                        \
    X(MFA_ENABLED_USERS, "mfa_enabled_users") X(SYNCED, "synced_from_on_premises")

enum {
    K_NONE,
#define AS_ENUM(e, s) K_##e,
    ACCOUNT_KEYS(AS_ENUM)
#undef AS_ENUM
};

static const char *const known_keys[] = {
    NULL,
#define AS_STRING(e, s) s,
    ACCOUNT_KEYS(AS_STRING)
#undef AS_STRING
};
#define NKEYS (sizeof known_keys / sizeof *known_keys)

static const char KEYS_KEY = 'k';
#define KEYS_INDEX 1

/* The number of a key the contract names, or K_NONE. */
static int known_key(const unsigned char *s, size_t n) {
    /* The keys of each length, K_NONE-terminated. */
    static const unsigned char by_length[][5] = {
        [2] = {K_ID},
        [4] = {K_DATE, K_TYPE, K_PAID},
        [5] = {K_ACTOR, K_ROLES, K_USERS},
        [6] = {K_LOCALE, K_ACTION, K_AMOUNT, K_TENANT},
        [7] = {K_PRODUCT, K_BILLING},
        [8] = {K_CURRENCY},
        [10] = {K_PERIOD_END, K_STARTED_ON},
        [11] = {K_MONTHLY_FEE},
        [12] = {K_SUBSCRIPTION, K_CANCELLED_ON, K_PERIOD_START, K_SUPPORT_PLAN},
        [14] = {K_PAYMENT_METHOD},
        [17] = {K_ASSIGNED_LICENSES, K_MFA_ENABLED_USERS},
        [20] = {K_ACTIVE_SUBSCRIPTIONS},
        [22] = {K_DISABLED_SUBSCRIPTIONS},
        [23] = {K_SYNCED},
    };
    if (n >= sizeof by_length / sizeof *by_length) return K_NONE;
    for (const unsigned char *i = by_length[n]; *i; i++) {
        const char *k = known_keys[*i];
        if (k[0] == (char)s[0] && memcmp(k, s, n) == 0) return *i;
    }
    return K_NONE;
}

typedef struct vctx {
    lua_State *L;
    const char *text;
    size_t len;
    dr_error *err;
} vctx;

/* Line and column (in characters) of a byte offset. */
static void position(const char *text, size_t len, size_t at, int *line, int *col) {
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < at && i < len; i++) {
        if (text[i] == '\n') {
            (*line)++;
            *col = 1;
        } else if (((unsigned char)text[i] & 0xC0) != 0x80) {
            (*col)++;
        }
    }
}

/* Line and column of a dotted path's last key in the text: each key is
 * looked for after the previous one, which places it well enough for a
 * person to find it. */
static void place(vctx *v, const char *path, int *line, int *col) {
    size_t from = 0, at = 0;
    const char *p = path;
    while (*p) {
        const char *dot = strchr(p, '.');
        size_t k = dot ? (size_t)(dot - p) : strlen(p);
        char needle[128];
        if (k > sizeof needle - 3) k = sizeof needle - 3;
        needle[0] = '"';
        memcpy(needle + 1, p, k);
        needle[k + 1] = '"';
        needle[k + 2] = '\0';
        for (size_t i = from; i + k + 2 <= v->len; i++)
            if (memcmp(v->text + i, needle, k + 2) == 0) {
                at = i;
                from = i + k + 2;
                break;
            }
        p = dot ? dot + 1 : p + k;
    }
    position(v->text, v->len, at, line, col);
}

static int bad(vctx *v, const char *path, const char *fmt, const char *arg) {
    int line, col;
    place(v, path, &line, &col);
    char msg[600];
    snprintf(msg, sizeof msg, fmt, arg);
    return dr_error_set(v->err, DR_EPARSE, NULL, line, col, "%s: %s", path, msg);
}

static int one_of(const char *s, const char *const *allowed) {
    for (; *allowed; allowed++)
        if (strcmp(s, *allowed) == 0) return 1;
    return 0;
}

/* Arrays carry this metatable, so that [] and {} stay apart: an object
 * field given a list is an error, as the JSON says it is. */
static const char ARRAY_KEY = 'a';
/* An object member whose value is null, while the table is being built:
 * kept so that {"a": null, "a": 1} is seen as the duplicate it is, then
 * removed (absent and null are the same to the rules). */
static const char NULL_KEY = 'n';

static int is_list(lua_State *L, int idx) {
    if (!lua_getmetatable(L, idx)) return 0;
    lua_rawgetp(L, LUA_REGISTRYINDEX, &ARRAY_KEY);
    int r = lua_rawequal(L, -1, -2);
    lua_pop(L, 2);
    return r;
}

/* Pushes field key of the table at t (an account's tables have no
 * metamethods to honour), giving its type. */
static int field(lua_State *L, int t, int key) {
    lua_rawgeti(L, KEYS_INDEX, key);
    return lua_rawget(L, t);
}

/* Each want_* reads field key of the table at t; absent (or null) is
 * fine, a value of the wrong kind is an error at path. */
static int want_string(vctx *v, int t, int key, const char *path, const char **out) {
    lua_State *L = v->L;
    int ty = field(L, t, key);
    /* The string stays alive as a value of the table. */
    *out = ty == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
    lua_pop(L, 1);
    if (ty != LUA_TNIL && ty != LUA_TSTRING) return bad(v, path, "must be a string%s", "");
    return DR_OK;
}

/* out, when not NULL, receives the date as written (or NULL). */
static int want_date(vctx *v, int t, int key, const char *path, const char **out) {
    const char *s;
    int rc = want_string(v, t, key, path, &s);
    long d;
    if (rc == DR_OK && s && !dr_date_from_iso(s, &d))
        return bad(v, path, "\"%s\" is not a date (YYYY-MM-DD, a real calendar day)", s);
    if (out) *out = s;
    return rc;
}

static int want_count(vctx *v, int t, int key, const char *path) {
    lua_State *L = v->L;
    int ty = field(L, t, key);
    int ok = ty == LUA_TNIL || (lua_isinteger(L, -1) && lua_tointeger(L, -1) >= 0 &&
                                lua_tointeger(L, -1) <= 1000000000);
    lua_pop(L, 1);
    return ok ? DR_OK : bad(v, path, "must be a whole number from 0%s", "");
}

static int want_bool(vctx *v, int t, int key, const char *path) {
    int ty = field(v->L, t, key);
    lua_pop(v->L, 1);
    if (ty != LUA_TNIL && ty != LUA_TBOOLEAN) return bad(v, path, "must be true or false%s", "");
    return DR_OK;
}

/* Pushes the object (or nil) and gives its index in *out, 0 when absent. */
static int want_object(vctx *v, int t, int key, const char *path, int *out) {
    lua_State *L = v->L;
    int ty = field(L, t, key);
    *out = 0;
    if (ty == LUA_TNIL) return DR_OK;
    if (ty != LUA_TTABLE || is_list(L, -1)) return bad(v, path, "must be an object { ... }%s", "");
    *out = lua_gettop(L);
    return DR_OK;
}

static int want_money(vctx *v, int t, int amount_key, const char *path,
                      const char *cur_path) {
    lua_State *L = v->L;
    int ty = field(L, t, amount_key);
    const char *amount = ty == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
    lua_pop(L, 1);
    if (ty == LUA_TNIL) return DR_OK;
    if (ty == LUA_TNUMBER)
        return bad(v, path, "money is a decimal string such as \"12.50\", not a number%s", "");
    if (!amount) return bad(v, path, "money is a decimal string such as \"12.50\"%s", "");
    const char *cur;
    int rc = want_string(v, t, K_CURRENCY, cur_path, &cur);
    if (rc) return rc;
    if (!cur) return bad(v, cur_path, "an amount needs its currency (ISO 4217, e.g. \"USD\")%s", "");
    if (dr_currency_exponent(cur) < 0)
        return bad(v, cur_path, "\"%s\" is not a currency we know (ISO 4217, e.g. USD, EUR, JPY)", cur);
    int64_t minor;
    const char *why;
    if (!dr_money_parse(amount, cur, &minor, &why)) {
        char msg[300];
        snprintf(msg, sizeof msg, "\"%s\" %s", amount, why);
        return bad(v, path, "%s", msg);
    }
    if (minor < 0) return bad(v, path, "an amount cannot be negative%s", "");
    return DR_OK;
}

/* BCP-47 in shape: a 2-8 letter language, then 1-8 character subtags. */
static int is_language_tag(const char *s) {
    size_t n = strlen(s), i = 0;
    if (n > 35) return 0;
    while (i < n && isalpha((unsigned char)s[i])) i++;
    if (i < 2 || i > 8) return 0;
    while (i < n) {
        if (s[i] != '-' && s[i] != '_') return 0;
        size_t k = ++i;
        while (i < n && isalnum((unsigned char)s[i])) i++;
        if (i == k || i - k > 8) return 0;
    }
    return 1;
}

static const char *const products[] = {"azure", "office365", "microsoft365", NULL};
static const char *const roles[] = {"account_admin", "service_admin", "owner", "global_admin",
                                    "billing_admin", "user", NULL};
static const char *const sub_types[] = {"trial", "paid", "payg", "enterprise", "free_credits", NULL};
static const char *const actions[] = {"cancel-subscription", "close-account",
                                      "reactivate-subscription", NULL};

static int validate_actor(vctx *v, int a) {
    lua_State *L = v->L;
    int actor, rc;
    if ((rc = want_object(v, a, K_ACTOR, "actor", &actor)) || !actor) return rc;
    int ty = field(L, actor, K_ROLES);
    if (ty != LUA_TNIL && (ty != LUA_TTABLE || !is_list(L, -1)))
        return bad(v, "actor.roles", "must be a list of role names%s", "");
    lua_Integer n = ty == LUA_TTABLE ? (lua_Integer)lua_rawlen(L, -1) : 0;
    for (lua_Integer i = 1; i <= n; i++) {
        const char *r = lua_rawgeti(L, -1, i) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
        lua_pop(L, 1);
        if (!r || !one_of(r, roles))
            return bad(v, "actor.roles",
                       "%s is not a role (account_admin, service_admin, owner, global_admin, "
                       "billing_admin, user)",
                       r ? r : "a non-string");
    }
    return DR_OK;
}

static int validate_subscription(vctx *v, int a) {
    int sub, b, rc;
    const char *s;
    if ((rc = want_object(v, a, K_SUBSCRIPTION, "subscription", &sub)) || !sub) return rc;
    if ((rc = want_string(v, sub, K_TYPE, "subscription.type", &s))) return rc;
    if (s && !one_of(s, sub_types))
        return bad(v, "subscription.type", "\"%s\" is not trial, paid, payg, enterprise or free_credits", s);
    if ((rc = want_bool(v, sub, K_PAYMENT_METHOD, "subscription.payment_method"))) return rc;
    if ((rc = want_date(v, sub, K_CANCELLED_ON, "subscription.cancelled_on", NULL))) return rc;
    if ((rc = want_object(v, sub, K_BILLING, "subscription.billing", &b)) || !b) return rc;
    const char *ps, *pe;
    if ((rc = want_date(v, b, K_PERIOD_START, "subscription.billing.period_start", &ps))) return rc;
    if ((rc = want_date(v, b, K_PERIOD_END, "subscription.billing.period_end", &pe))) return rc;
    if ((rc = want_money(v, b, K_AMOUNT, "subscription.billing.amount", "subscription.billing.currency")))
        return rc;
    if (ps && pe && strcmp(pe, ps) <= 0)
        return bad(v, "subscription.billing.period_end", "%s", "must be after period_start");
    return DR_OK;
}

static int validate_rest(vctx *v, int a) {
    int sp, t, rc;
    if ((rc = want_object(v, a, K_SUPPORT_PLAN, "support_plan", &sp))) return rc;
    if (sp) {
        if ((rc = want_bool(v, sp, K_PAID, "support_plan.paid"))) return rc;
        if ((rc = want_date(v, sp, K_STARTED_ON, "support_plan.started_on", NULL))) return rc;
        if ((rc = want_money(v, sp, K_MONTHLY_FEE, "support_plan.monthly_fee", "support_plan.currency")))
            return rc;
    }
    if ((rc = want_object(v, a, K_TENANT, "tenant", &t)) || !t) return rc;
    static const struct {
        int key;
        const char *path;
    } counts[] = {{K_USERS, "tenant.users"},
                  {K_ACTIVE_SUBSCRIPTIONS, "tenant.active_subscriptions"},
                  {K_DISABLED_SUBSCRIPTIONS, "tenant.disabled_subscriptions"},
                  {K_MFA_ENABLED_USERS, "tenant.mfa_enabled_users"}};
    for (size_t i = 0; i < sizeof counts / sizeof *counts; i++)
        if ((rc = want_count(v, t, counts[i].key, counts[i].path))) return rc;
    return want_bool(v, t, K_SYNCED, "tenant.synced_from_on_premises");
}

/* The table at a against the contract. Objects it pushes are left on the
 * stack for the caller to drop. */
static int validate(vctx *v, int a) {
    lua_State *L = v->L;
    int rc;
    const char *s;
    int ty = field(L, a, K_ID);
    int ok = ty == LUA_TSTRING && lua_rawlen(L, -1) > 0;
    lua_pop(L, 1);
    if (!ok) {
        if (ty != LUA_TNIL) return bad(v, "id", "must be a non-empty string%s", "");
        return dr_error_set(v->err, DR_EPARSE, NULL, 1, 1, "id: the account has no \"id\"");
    }
    ty = field(L, a, K_PRODUCT);
    const char *prod = ty == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
    lua_pop(L, 1);
    if (ty == LUA_TNIL)
        return dr_error_set(v->err, DR_EPARSE, NULL, 1, 1, "product: the account has no \"product\"");
    if (!prod || !one_of(prod, products))
        return bad(v, "product", "%s", "must be \"azure\" or \"office365\" (\"microsoft365\" is the same)");
    if ((rc = want_date(v, a, K_DATE, "date", NULL))) return rc;
    if ((rc = want_string(v, a, K_LOCALE, "locale", &s))) return rc;
    if (s && !is_language_tag(s))
        return bad(v, "locale", "\"%.40s\" is not a language tag (such as zh-tw or en-us)", s);
    if ((rc = want_string(v, a, K_ACTION, "action", &s))) return rc;
    if (s && !one_of(s, actions))
        return bad(v, "action", "\"%s\" is not cancel-subscription, close-account or reactivate-subscription", s);
    if ((rc = validate_actor(v, a))) return rc;
    if ((rc = want_count(v, a, K_ASSIGNED_LICENSES, "assigned_licenses"))) return rc;
    if ((rc = validate_subscription(v, a))) return rc;
    return validate_rest(v, a);
}

/* Reading --------------------------------------------------------------- */

typedef struct reader {
    vctx v;
    const char *today;
    yajl_handle h;     /* made outside the protected call, freed after it */
    json_t *json;      /* the slow path's tree, the same */
    int depth, nulls, root_object;
    int in_object[MAX_DEPTH + 2];
    /* The keys of each open object of the first levels (an account's own),
     * as Lua's interned strings: a key's text has one address while it
     * lives, so a duplicate is found by comparing addresses. Deeper
     * objects, and those with more keys than fit, are checked through
     * their table. */
    const char *keys[KEY_LEVELS][KEYS_PER_LEVEL];
    int nkeys[KEY_LEVELS]; /* -1: checked through the table */
    lua_Integer next[MAX_DEPTH + 2];
    size_t root_end;     /* offset just past the root value */
    const char *refused; /* why the fast path stopped on its own */
    char key[80];        /* the duplicate key, for the message */
    int slow;            /* the fast path leaves this line to jansson */
    int rc;
} reader;

/* A value complete on top of the stack joins its parent. */
static int attach(reader *r) {
    lua_State *L = r->v.L;
    if (r->depth == 0) { /* the root stays */
        r->root_end = yajl_get_bytes_consumed(r->h);
        return 1;
    }
    if (r->in_object[r->depth]) lua_rawset(L, -3);
    else lua_rawseti(L, -2, ++r->next[r->depth]);
    return 1;
}

static int y_null(void *ctx) {
    reader *r = ctx;
    if (r->depth && r->in_object[r->depth]) {
        lua_pushlightuserdata(r->v.L, (void *)&NULL_KEY);
        r->nulls = 1;
    } else {
        lua_pushnil(r->v.L);
    }
    return attach(r);
}

static int y_bool(void *ctx, int b) {
    lua_pushboolean(((reader *)ctx)->v.L, b);
    return attach(ctx);
}

static int y_integer(void *ctx, long long i) {
    lua_pushinteger(((reader *)ctx)->v.L, (lua_Integer)i);
    return attach(ctx);
}

static int y_double(void *ctx, double d) {
    lua_pushnumber(((reader *)ctx)->v.L, d);
    return attach(ctx);
}

static int y_string(void *ctx, const unsigned char *s, size_t n) {
    lua_pushlstring(((reader *)ctx)->v.L, (const char *)s, n);
    return attach(ctx);
}

static int y_key(void *ctx, const unsigned char *s, size_t n) {
    reader *r = ctx;
    lua_State *L = r->v.L;
    int id = known_key(s, n);
    const char *k;
    if (id) {
        lua_rawgeti(L, KEYS_INDEX, id);
        k = lua_tostring(L, -1);
    } else {
        k = lua_pushlstring(L, (const char *)s, n);
    }
    int dup = 0, d = r->depth;
    /* Lua interns strings of up to 40 bytes. */
    if (d < KEY_LEVELS && r->nkeys[d] >= 0 && r->nkeys[d] < KEYS_PER_LEVEL && n <= 40) {
        for (int i = 0; i < r->nkeys[d] && !dup; i++) dup = r->keys[d][i] == k;
        r->keys[d][r->nkeys[d]++] = k;
    } else {
        if (d < KEY_LEVELS) r->nkeys[d] = -1;
        lua_pushvalue(L, -1);
        dup = lua_rawget(L, -3) != LUA_TNIL;
        lua_pop(L, 1);
    }
    if (dup) {
        /* Worded as jansson words it, so both paths say the same. */
        snprintf(r->key, sizeof r->key, "duplicate object key near '\"%.*s\"'",
                 (int)(n > 60 ? 60 : n), (const char *)s);
        r->refused = r->key;
    }
    return !dup;
}

static int open_container(reader *r, int object) {
    lua_State *L = r->v.L;
    if (r->depth == 0) r->root_object = object;
    /* The root is level 0, as push_json counts. */
    if (r->depth > MAX_DEPTH || !lua_checkstack(L, 4)) {
        r->refused = "nested deeper than 64 levels";
        return 0;
    }
    r->depth++;
    r->in_object[r->depth] = object;
    r->next[r->depth] = 0;
    if (r->depth < KEY_LEVELS) r->nkeys[r->depth] = 0;
    /* Sized for an account's objects and lists (roles), so that neither
     * grows in steps. */
    lua_createtable(L, object ? 0 : 4, object ? (r->depth == 1 ? 8 : 4) : 0);
    if (!object) {
        lua_rawgetp(L, LUA_REGISTRYINDEX, &ARRAY_KEY);
        lua_setmetatable(L, -2);
    }
    return 1;
}

static int y_start_map(void *ctx) { return open_container(ctx, 1); }
static int y_start_array(void *ctx) { return open_container(ctx, 0); }

static int y_end(void *ctx) {
    reader *r = ctx;
    r->depth--;
    return attach(r);
}

static const yajl_callbacks callbacks = {
    y_null, y_bool, y_integer, y_double, NULL, y_string, y_start_map, y_key, y_end,
    y_start_array, y_end,
};

/* Removes the null markers y_null left in objects. */
static void drop_nulls(lua_State *L, int t, int depth) {
    if (depth > MAX_DEPTH) return;
    luaL_checkstack(L, 4, "account nested too deep");
    lua_pushnil(L);
    while (lua_next(L, t)) {
        if (lua_touserdata(L, -1) == (void *)&NULL_KEY) {
            lua_pushvalue(L, -2);
            lua_pushnil(L);
            lua_rawset(L, t); /* clearing a field while traversing is allowed */
        } else if (lua_istable(L, -1)) {
            drop_nulls(L, lua_gettop(L), depth + 1);
        }
        lua_pop(L, 1);
    }
}

/* The fast path: 1 with the table pushed, 0 when the slow path must judge
 * (nothing pushed), or -1 with the error in r->rc. */
static int read_fast(reader *r) {
    lua_State *L = r->v.L;
    int top = lua_gettop(L);
    yajl_status st = yajl_parse(r->h, (const unsigned char *)r->v.text, r->v.len);
    if (st == yajl_status_ok) st = yajl_complete_parse(r->h);
    if (st != yajl_status_ok) {
        lua_settop(L, top);
        if (!r->refused) return 0;
        int line, col;
        size_t at = yajl_get_bytes_consumed(r->h);
        position(r->v.text, r->v.len, at ? at - 1 : 0, &line, &col);
        r->rc = dr_error_set(r->v.err, DR_EPARSE, NULL, line, col, "%s", r->refused);
        return -1;
    }
    /* yajl calls a parse complete with an unfinished token after the
     * root (`{...} "`); only spaces may follow it (a fast line has no
     * other white space). Anything else is the slow path's to judge. */
    for (size_t i = r->root_end; i < r->v.len; i++)
        if (r->v.text[i] != ' ') {
            lua_settop(L, top);
            return 0;
        }
    if (r->nulls) drop_nulls(L, lua_gettop(L), 0);
    return 1;
}

/* jansson's tree to the same tables as the fast path makes. */
static int push_json(reader *r, const json_t *j, int depth) {
    lua_State *L = r->v.L;
    if (!lua_checkstack(L, 4)) return 0;
    if ((json_is_object(j) || json_is_array(j)) && depth > MAX_DEPTH) return 0;
    switch (json_typeof(j)) {
    case JSON_OBJECT: {
        lua_createtable(L, 0, (int)json_object_size(j));
        const char *k;
        json_t *x;
        json_object_foreach((json_t *)j, k, x) {
            if (json_is_null(x)) continue; /* absent and null are the same */
            if (!push_json(r, x, depth + 1)) return 0;
            lua_setfield(L, -2, k);
        }
        return 1;
    }
    case JSON_ARRAY:
        lua_createtable(L, (int)json_array_size(j), 0);
        lua_rawgetp(L, LUA_REGISTRYINDEX, &ARRAY_KEY);
        lua_setmetatable(L, -2);
        for (size_t i = 0; i < json_array_size(j); i++) {
            if (!push_json(r, json_array_get(j, i), depth + 1)) return 0;
            lua_rawseti(L, -2, (lua_Integer)i + 1);
        }
        return 1;
    case JSON_STRING: lua_pushlstring(L, json_string_value(j), json_string_length(j)); return 1;
    case JSON_INTEGER: lua_pushinteger(L, (lua_Integer)json_integer_value(j)); return 1;
    case JSON_REAL: lua_pushnumber(L, json_real_value(j)); return 1;
    case JSON_TRUE: lua_pushboolean(L, 1); return 1;
    case JSON_FALSE: lua_pushboolean(L, 0); return 1;
    case JSON_NULL: lua_pushnil(L); return 1;
    }
    return 0;
}

/* After either path: the table on top against the contract, then the
 * two things the rules may count on (one product name, a date). */
static int finish(reader *r) {
    lua_State *L = r->v.L;
    if (!r->root_object) {
        r->rc = dr_error_set(r->v.err, DR_EPARSE, NULL, 1, 1, "an account is a JSON object { ... }");
        return 0;
    }
    int a = lua_gettop(L);
    if ((r->rc = validate(&r->v, a)) != DR_OK) return 0;
    lua_settop(L, a);
    /* One product under two names. */
    field(L, a, K_PRODUCT);
    if (strcmp(lua_tostring(L, -1), "microsoft365") == 0) {
        lua_rawgeti(L, KEYS_INDEX, K_PRODUCT);
        lua_pushliteral(L, "office365");
        lua_rawset(L, a);
    }
    if (field(L, a, K_DATE) == LUA_TNIL) {
        lua_rawgeti(L, KEYS_INDEX, K_DATE);
        lua_pushstring(L, r->today);
        lua_rawset(L, a);
    }
    lua_settop(L, a);
    return 1;
}

/* Both run protected: any allocation in them can meet the memory cap. */
static int fast_protected(lua_State *L) {
    reader *r = lua_touserdata(L, 1);
    lua_settop(L, 0);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &KEYS_KEY); /* KEYS_INDEX */
    int got = read_fast(r);
    r->slow = got == 0;
    return got > 0 ? finish(r) : 0;
}

static int slow_protected(lua_State *L) {
    reader *r = lua_touserdata(L, 1);
    lua_settop(L, 0);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &KEYS_KEY); /* KEYS_INDEX */
    r->root_object = json_is_object(r->json);
    if (!push_json(r, r->json, 0)) {
        r->rc = dr_error_set(r->v.err, DR_EPARSE, NULL, 1, 1, "nested deeper than %d levels", MAX_DEPTH);
        return 0;
    }
    return finish(r);
}

/* yajl's allocations for one account come from the engine's scratch
 * arena and are dropped at once after the parse: a parser handle costs no
 * malloc. Each block keeps its size in front of it, for realloc. */
#define YA_HEAD 16 /* keeps blocks aligned as malloc's are */

static void *ya_malloc(void *ctx, size_t n) {
    char *p = dr_arena_alloc(ctx, n + YA_HEAD);
    *(size_t *)p = n;
    return p + YA_HEAD;
}

static void *ya_realloc(void *ctx, void *ptr, size_t n) {
    if (!ptr) return ya_malloc(ctx, n);
    size_t old = *(size_t *)((char *)ptr - YA_HEAD);
    if (n <= old) return ptr;
    void *q = ya_malloc(ctx, n);
    memcpy(q, ptr, old);
    return q;
}

static void ya_free(void *ctx, void *ptr) {
    (void)ctx;
    (void)ptr;
}

static int fast_line(const char *text, size_t len) {
    if (memchr(text, '\\', len) && memmem(text, len, "\\u", 2)) return 0;
    return dr_utf8_printable(text, len);
}

static int run(dr_engine *e, lua_CFunction f, reader *r) {
    lua_State *L = e->L;
    lua_pushcfunction(L, f);
    lua_pushlightuserdata(L, r);
    if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
        lua_pop(L, 1);
        r->rc = dr_error_set(r->v.err, DR_ELIMIT, NULL, 1, 1,
                             "the account is too large for the rule engine's memory (%zu MiB; --max-memory)",
                             e->max_memory >> 20);
        return 0;
    }
    if (r->rc != DR_OK || lua_isnil(L, -1)) {
        lua_pop(L, 1);
        return 0;
    }
    return 1;
}

void dr_account_open(lua_State *L) {
    lua_newtable(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &ARRAY_KEY);
    lua_newtable(L);
    for (size_t i = 1; i < NKEYS; i++) {
        lua_pushstring(L, known_keys[i]);
        lua_rawseti(L, -2, (lua_Integer)i);
    }
    lua_rawsetp(L, LUA_REGISTRYINDEX, &KEYS_KEY);
}

static void reader_init(reader *r, dr_engine *e, const char *text, size_t len, dr_error *err) {
    memset(r, 0, sizeof *r);
    r->v = (vctx){e->L, text, len, err};
    r->today = e->today;
}

int dr_account_read(dr_engine *e, const char *text, size_t len, int path, dr_error *err) {
    reader r;
    if (path == DR_ACCOUNT_AUTO && fast_line(text, len)) {
        reader_init(&r, e, text, len, err);
        /* The handle lives outside the protected call, so a memory error
         * inside cannot lose it. */
        yajl_alloc_funcs af = {ya_malloc, ya_realloc, ya_free, e->scratch};
        r.h = yajl_alloc(&callbacks, &af, &r);
        int ok = r.h && run(e, fast_protected, &r);
        if (r.h) yajl_free(r.h);
        dr_arena_reset(e->scratch);
        if (ok) return DR_OK;
        if (!r.slow) return r.rc != DR_OK ? r.rc : dr_error_set(err, DR_EPARSE, NULL, 1, 1, "not an account");
    }
    reader_init(&r, e, text, len, err);
    json_error_t je;
    e->slow_reads++;
    r.json = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!r.json)
        return dr_error_set(err, DR_EPARSE, NULL, je.line > 0 ? je.line : 1,
                            je.column > 0 ? je.column : 1, "%s", je.text);
    int ok = run(e, slow_protected, &r);
    json_decref(r.json);
    return ok ? DR_OK : r.rc;
}
