/* The account as the contract defines it: read into a Lua table, checked
 * field by field, and handed to the rules. Every error says where in the
 * account text it is.
 *
 * Reading is the larger part of a decision's cost, so it has two parsers
 * and one builder. yajl streams the text into the builder's callbacks; it
 * is used when the line is printable UTF-8 with no \u escape (yajl lets
 * lone surrogates through those, and jansson, the reference, does not).
 * Everything else, and every line yajl refuses (for jansson's message and
 * position), jansson parses and its tree is walked through the same
 * callbacks. The builder makes the Lua tables and notes, in a slot per
 * field, what the contract's checks need, so that they never look in the
 * tables. fuzz/fuzz_account.c checks that the two parsers agree. */
#define _GNU_SOURCE /* memmem */
#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <yajl/yajl_parse.h>

#include "../common/arena.h"
#include "../common/dates.h"
#include "../common/lang.h"
#include "../common/list.h"
#include "../common/money.h"
#include "../common/utf8.h"
#include "internal.h"

/* Deeper than any account field; deeper content is refused, not cut. */
#define MAX_DEPTH 64
#define KEY_LEVELS 4     /* levels whose keys the fast path remembers */
#define KEYS_PER_LEVEL 16
/* The contract's keys table (contract.c) sits at this stack index while
 * an account is read: a key it names is pushed from there, without hashing
 * its text. */
#define KEYS_INDEX 1

/* The number of a key the contract names, or 0: the keys of its length,
 * from the index contract.c derived. */
static int known_key(const dr_contract *c, const unsigned char *s, size_t n) {
    if (n >= DR_ACCOUNT_KEY_LEN) return 0;
    for (const unsigned char *i = c->by_len[n]; *i; i++) {
        const char *k = c->key[*i];
        if (k[0] == (char)s[0] && memcmp(k, s, n) == 0) return *i;
    }
    return 0;
}

/* Edit distance, for "did you mean": names are short (under 32 bytes). */
static size_t distance(const char *a, size_t na, const char *b) {
    size_t nb = strlen(b), row[33];
    if (na > 32 || nb > 32) return (size_t)-1;
    for (size_t j = 0; j <= nb; j++) row[j] = j;
    for (size_t i = 1; i <= na; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= nb; j++) {
            size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best) best = up + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            diag = up;
            row[j] = best;
        }
    }
    return row[nb];
}

enum { V_ABSENT, V_STRING, V_INTEGER, V_REAL, V_BOOL, V_OBJECT, V_LIST };

/* A field's value as read. Strings point into the Lua strings the
 * account's tables hold, alive while the checks run. */
typedef struct slot {
    unsigned char type;
    long long i; /* V_INTEGER's value */
    const char *s;
    size_t n;
} slot;

typedef struct vctx {
    lua_State *L;
    const dr_contract *c;
    const char *text;
    size_t len;
    dr_error *err;
    slot *f;     /* one per field of the contract */
    int product; /* the account's (an index of c->product), once checked */
    /* The fields the account holds (bit f: f's slot is set), so that the
     * checks visit those and not the contract's every field. */
    uint64_t present[DR_CONTRACT_MASK_WORDS];
    /* The first element of a list of names (actor.roles) that is not one
     * (bad_role 1: the string bad_s; 2: not a string), for the message. */
    int bad_role;
    const char *bad_s;
    dr_buf *warnings; /* e->account_warnings */
} vctx;

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
    dr_utf8_place(v->text, v->len, at, line, col);
}

static int bad(vctx *v, const char *path, const char *fmt, const char *arg) {
    int line, col;
    place(v, path, &line, &col);
    char msg[600];
    snprintf(msg, sizeof msg, fmt, arg);
    return dr_error_set(v->err, DR_EPARSE, NULL, line, col, "%s: %s", path, msg);
}

/* A string value as a C string: NULL when it holds a NUL byte, which no
 * name, date or amount the contract knows does. */
static const char *text_of(const slot *s) { return strlen(s->s) == s->n ? s->s : NULL; }

/* Whether a string read is the name w, one of the state's interned
 * strings: a short string is w exactly when it is the same object. */
static int is_name(const char *s, size_t n, const char *w) {
    return s == w || (n > DR_LUA_SHORT_STRING && strcmp(s, w) == 0);
}

/* The index of the name in a NULL-ended list, or -1. */
static int name_in(const char *s, size_t n, const char *const *list) {
    for (int i = 0; list && list[i]; i++)
        if (is_name(s, n, list[i])) return i;
    return -1;
}

static size_t count_of(const char *const *list) {
    size_t n = 0;
    while (list && list[n]) n++;
    return n;
}

/* Each want_* checks one field: absent (or null) is fine, a value of the
 * wrong kind is an error at path. */
static int want_string(vctx *v, int f, const char *path) {
    int ty = v->f[f].type;
    if (ty != V_ABSENT && ty != V_STRING) return bad(v, path, "must be a string%s", "");
    return DR_OK;
}

static int want_date(vctx *v, int f, const char *path) {
    int rc = want_string(v, f, path);
    const slot *s = &v->f[f];
    long d;
    if (rc == DR_OK && s->type == V_STRING) {
        const char *t = text_of(s);
        if (!t || dr_date_from_iso(t, &d) != DR_OK)
            return bad(v, path, "\"%s\" is not a date (YYYY-MM-DD, a real calendar day)", s->s);
    }
    return rc;
}

/* The largest count an account gives, said in the message: a whole
 * number past it was refused as "not a whole number from 0". */
#define MAX_COUNT 1000000000
#define STR_(x) #x
#define STR(x) STR_(x)

static int want_count(vctx *v, int f, const char *path) {
    const slot *s = &v->f[f];
    int ok = s->type == V_ABSENT || (s->type == V_INTEGER && s->i >= 0 && s->i <= MAX_COUNT);
    return ok ? DR_OK : bad(v, path, "must be a whole number from 0 to %s", STR(MAX_COUNT));
}

static int want_bool(vctx *v, int f, const char *path) {
    int ty = v->f[f].type;
    if (ty != V_ABSENT && ty != V_BOOL) return bad(v, path, "must be true or false%s", "");
    return DR_OK;
}

static int want_object(vctx *v, int f, const char *path) {
    int ty = v->f[f].type;
    if (ty != V_ABSENT && ty != V_OBJECT) return bad(v, path, "must be an object { ... }%s", "");
    return DR_OK;
}

static int want_money(vctx *v, int f, int cur_f, const char *path, const char *cur_path) {
    const slot *a = &v->f[f], *c = &v->f[cur_f];
    if (a->type == V_ABSENT) return DR_OK;
    if (a->type == V_INTEGER || a->type == V_REAL)
        return bad(v, path, "money is a decimal string such as \"12.50\", not a number%s", "");
    if (a->type != V_STRING) return bad(v, path, "money is a decimal string such as \"12.50\"%s", "");
    int rc = want_string(v, cur_f, cur_path);
    if (rc) return rc;
    if (c->type == V_ABSENT)
        return bad(v, cur_path, "an amount needs its currency (ISO 4217, e.g. \"USD\")%s", "");
    const char *cur = text_of(c);
    if (!cur || dr_currency_exponent(cur) < 0)
        return bad(v, cur_path, "\"%s\" is not a currency we know (ISO 4217, e.g. USD, EUR, JPY)", c->s);
    int64_t minor;
    const char *why = "is not a decimal amount";
    const char *amount = text_of(a);
    if (!amount || dr_money_parse(amount, cur, &minor, &why) != DR_OK) {
        char msg[300];
        snprintf(msg, sizeof msg, "\"%s\" %s", a->s, why);
        return bad(v, path, "%s", msg);
    }
    if (dr_money_negative(amount, minor)) return bad(v, path, "an amount cannot be negative%s", "");
    return DR_OK;
}

/* A string that must be one of a list of names. */
static int want_one_of(vctx *v, int f, const char *path, const char *const *names, size_t n) {
    int rc = want_string(v, f, path);
    const slot *s = &v->f[f];
    if (rc || s->type != V_STRING || name_in(s->s, s->n, names) >= 0) return rc;
    char list[600], fmt[700];
    dr_list_said(names, n, " or ", "", list, sizeof list);
    /* The names are the format's own text: no '%' may stay in them. */
    for (char *p = list; *p; p++)
        if (*p == '%') *p = '?';
    snprintf(fmt, sizeof fmt, "\"%%s\" is not %s", list);
    return bad(v, path, fmt, s->s);
}

/* The product, under its name or another: its index, or -1. */
static int product_of(const dr_contract *c, const slot *s) {
    for (int i = 0; i < c->nproducts; i++)
        if (is_name(s->s, s->n, c->product[i])) return i;
    for (int i = 0; i < c->nnames; i++)
        if (is_name(s->s, s->n, c->alias[i])) return c->alias_of[i];
    return -1;
}

static int want_product(vctx *v, int f) {
    const dr_contract *c = v->c;
    const slot *s = &v->f[f];
    if (s->type == V_ABSENT) return dr_error_set(v->err, DR_EPARSE, NULL, 1, 1, "product: the account has no \"product\"");
    if (s->type == V_STRING && (v->product = product_of(c, s)) >= 0) return DR_OK;
    char names[600], also[600] = "", msg[1300];
    dr_list_said(c->product, (size_t)c->nproducts, " or ", "\"", names, sizeof names);
    for (int i = 0; i < c->nnames; i++) {
        size_t n = strlen(also);
        snprintf(also + n, sizeof also - n, "%s\"%s\" is %s", i ? ", " : " (", c->alias[i], c->product[c->alias_of[i]]);
    }
    if (c->nnames) snprintf(also + strlen(also), sizeof also - strlen(also), ")");
    snprintf(msg, sizeof msg, c->nproducts ? "must be %s%s" : "no product is declared (rules/accounts.lua)%s%s",
             c->nproducts ? names : "", also);
    return bad(v, "product", "%s", msg);
}

static int want_roles(vctx *v, int f, const char *path) {
    int ty = v->f[f].type;
    if (ty != V_ABSENT && ty != V_LIST) return bad(v, path, "must be a list of role names%s", "");
    if (!v->bad_role) return DR_OK;
    char names[600], fmt[700];
    dr_list_said(v->c->roles, count_of(v->c->roles), ", ", "", names, sizeof names);
    for (char *p = names; *p; p++)
        if (*p == '%') *p = '?';
    snprintf(fmt, sizeof fmt, "%%s is not a role (%s)", names);
    return bad(v, path, fmt, v->bad_role == 1 ? v->bad_s : "a non-string");
}

/* One field against its kind. */
static int check_field(vctx *v, int f) {
    const dr_contract *c = v->c;
    const dr_cfield *x = &c->field[f];
    const slot *s = &v->f[f];
    switch (x->kind) {
    case DR_FK_OBJECT: return want_object(v, f, x->path);
    case DR_FK_TEXT: case DR_FK_CURRENCY: return want_string(v, f, x->path);
    case DR_FK_COUNT: return want_count(v, f, x->path);
    case DR_FK_BOOL: return want_bool(v, f, x->path);
    case DR_FK_MONEY: return want_money(v, f, x->currency, x->path, c->field[x->currency].path);
    case DR_FK_ONE_OF: return want_one_of(v, f, x->path, x->values, x->nvalues);
    case DR_FK_DATE: {
        int rc = want_date(v, f, x->path);
        if (rc || !x->after) return rc;
        const slot *first = &v->f[x->after];
        const char *name = c->key[c->field[x->after].key];
        if (first->type == V_STRING && s->type == V_STRING && strcmp(s->s, first->s) <= 0)
            return bad(v, x->path, "must be after %s", name);
        return DR_OK;
    }
    case DR_FK_ID:
        if (s->type == V_STRING && s->n > 0) return DR_OK;
        if (s->type != V_ABSENT) return bad(v, "id", "must be a non-empty string%s", "");
        return dr_error_set(v->err, DR_EPARSE, NULL, 1, 1, "id: the account has no \"id\"");
    case DR_FK_PRODUCT: return want_product(v, f);
    case DR_FK_LOCALE: {
        int rc = want_string(v, f, x->path);
        if (!rc && s->type == V_STRING && (!text_of(s) || !dr_lang_tag_valid(s->s)))
            return bad(v, x->path, "\"%.40s\" is not a language tag (such as zh-tw or en-us)", s->s);
        return rc;
    }
    case DR_FK_ACTION: return want_one_of(v, f, x->path, c->actions, count_of(c->actions));
    case DR_FK_ROLES: return want_roles(v, f, x->path);
    }
    return DR_OK;
}

/* The account's slots against the contract, field by field in its order
 * (the engine's own, then the product's): the first problem found is the
 * one reported. Fields of other products are not the account's: what it
 * holds of them is said in the warnings. An absent field passes every
 * check but the id's and the product's (c->required), so the fields
 * visited are those and the ones the account holds, in the same order:
 * walking all of the contract's cost a realistic account a thousand
 * instructions. */
static int validate(vctx *v) {
    const dr_contract *c = v->c;
    v->product = -1;
    for (int w = 0; w < DR_CONTRACT_MASK_WORDS; w++)
        for (uint64_t m = v->present[w] | c->required[w]; m; m &= m - 1) {
            int f = w * 64 + __builtin_ctzll(m);
            if (f < 2 || f >= c->nfields) continue;
            if (v->product >= 0 && !(c->field[f].products >> v->product & 1)) continue;
            int rc = check_field(v, f);
            if (rc) return rc;
        }
    return DR_OK;
}

/* Reading --------------------------------------------------------------- */

/* Arrays carry this metatable, so that [] and {} stay apart when the
 * account is written back (docrules test prints accounts). */
static const char ARRAY_KEY = 'a';
/* An object member whose value is null, while the table is being built:
 * kept so that {"a": null, "a": 1} is seen as the duplicate it is, then
 * removed (absent and null are the same to the rules). */
static const char NULL_KEY = 'n';

typedef struct reader {
    vctx v;
    const char *today;
    int strict;        /* an unknown field is an error (--strict) */
    yajl_handle h;     /* made outside the protected call, freed after it */
    json_t *json;      /* the slow path's tree, the same */
    int depth, nulls, root_object;
    int pending;       /* the field the value after the last key is */
    size_t root_end;     /* offset just past the root value */
    const char *refused; /* why the fast path stopped on its own */
    int slow;            /* the fast path leaves this line to jansson */
    int rc;
    /* From here on, each level's entries are set as its container opens
     * (reader_init leaves them). */
    int in_object[MAX_DEPTH + 2];
    unsigned char field[MAX_DEPTH + 2]; /* the field each open container is, or F_NONE */
    lua_Integer next[MAX_DEPTH + 2];
    /* The keys of each open object of the first levels (an account's own),
     * as Lua's interned strings: a key's text has one address while it
     * lives, so a duplicate is found by comparing addresses. Deeper
     * objects, and those with more keys than fit, are checked through
     * their table. */
    const char *keys[KEY_LEVELS][KEYS_PER_LEVEL];
    int nkeys[KEY_LEVELS]; /* -1: checked through the table */
    char key[80];          /* the duplicate key, for the message (set with refused) */
    /* Keys the contract does not name, in reading order, said once the
     * product is known (its fields are the ones "did you mean" picks
     * from); those past the last are counted. */
    struct {
        unsigned char in; /* the field they are in */
        unsigned char n;
        char name[80];
    } unknown[8];
    int nunknown, unknown_more;
    slot f[DR_CONTRACT_FIELDS]; /* v.f; the contract's first nfields cleared */
} reader;

/* Notes a value in its slot when it is a field the contract checks, or
 * an element of actor.roles that is not a role name (the first one). */
static void note(reader *r, int type, const char *s, size_t n, long long i) {
    int d = r->depth;
    if (!d) return;
    if (r->in_object[d]) {
        if (r->pending) {
            r->v.f[r->pending] = (slot){(unsigned char)type, i, s, n};
            r->v.present[r->pending >> 6] |= (uint64_t)1 << (r->pending & 63);
        }
    } else if (r->field[d] && r->v.c->field[r->field[d]].kind == DR_FK_ROLES && !r->v.bad_role) {
        if (type != V_STRING) {
            r->v.bad_role = 2;
        } else if (name_in(s, n, r->v.c->roles) < 0) {
            r->v.bad_role = 1;
            r->v.bad_s = s;
        }
    }
}

/* A value complete on top of the stack joins its parent. */
static int attach(reader *r) {
    lua_State *L = r->v.L;
    if (r->depth == 0) { /* the root stays */
        if (r->h) r->root_end = yajl_get_bytes_consumed(r->h);
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
        note(r, V_ABSENT, NULL, 0, 0); /* in roles: not a role */
        lua_pushnil(r->v.L);
    }
    return attach(r);
}

static int y_bool(void *ctx, int b) {
    note(ctx, V_BOOL, NULL, 0, 0);
    lua_pushboolean(((reader *)ctx)->v.L, b);
    return attach(ctx);
}

static int y_integer(void *ctx, long long i) {
    note(ctx, V_INTEGER, NULL, 0, i);
    lua_pushinteger(((reader *)ctx)->v.L, (lua_Integer)i);
    return attach(ctx);
}

static int y_double(void *ctx, double d) {
    note(ctx, V_REAL, NULL, 0, 0);
    lua_pushnumber(((reader *)ctx)->v.L, d);
    return attach(ctx);
}

static int y_string(void *ctx, const unsigned char *s, size_t n) {
    /* The slot points at Lua's copy, which the table keeps. */
    const char *p = lua_pushlstring(((reader *)ctx)->v.L, (const char *)s, n);
    note(ctx, V_STRING, p, n, 0);
    return attach(ctx);
}

/* A member of an object the contract describes that it does not name:
 * noted, and said once the product is known (say_unknown). */
static void unknown_field(reader *r, int in, const unsigned char *s, size_t n) {
    if (r->nunknown == (int)(sizeof r->unknown / sizeof *r->unknown)) {
        r->unknown_more++;
        return;
    }
    r->unknown[r->nunknown].in = (unsigned char)in;
    r->unknown[r->nunknown].n = (unsigned char)(n > 79 ? 79 : n);
    memcpy(r->unknown[r->nunknown].name, s, r->unknown[r->nunknown].n);
    r->nunknown++;
}

/* One warning: "subscription.billing.amout: not a field of azure accounts;
 * did you mean subscription.billing.amount?", the nearest of the
 * product's names in the same object. With --strict, the first is an
 * error at its place instead (after the read, so both readers place it
 * alike). A rule reading such a field would read what the contract never
 * promised; a misspelling would be silently ignored. */
static int warn_field(reader *r, int in, const char *name, size_t n) {
    const dr_contract *c = r->v.c;
    const char *prefix = in > 1 ? c->field[in].path : "", *dot = in > 1 ? "." : "";
    const char *near = NULL;
    size_t best = n / 3 > 2 ? n / 3 : 2;
    for (int f = 2; f < c->nfields; f++) {
        if (c->field[f].parent != in || !(c->field[f].products >> r->v.product & 1)) continue;
        size_t dist = distance(name, n, c->key[c->field[f].key]);
        if (dist > 0 && (near ? dist < best : dist <= best)) { /* the first of the nearest */
            best = dist;
            near = c->key[c->field[f].key];
        }
    }
    char field[300], rest[600];
    snprintf(field, sizeof field, "%s%s%.*s", prefix, dot, (int)n, name);
    int len = snprintf(rest, sizeof rest, "not a field of %s accounts", c->product[r->v.product]);
    if (near) snprintf(rest + len, sizeof rest - (size_t)len, "; did you mean %s%s%s?", prefix, dot, near);
    if (r->strict) return bad(&r->v, field, "%s (--strict)", rest);
    dr_buf *w = r->v.warnings;
    char say[920];
    snprintf(say, sizeof say, "%s: %s", field, rest);
    if (w->n) dr_buf_put(w, ",", 1);
    dr_json_put_string(w, say, strlen(say));
    return DR_OK;
}

/* What the account holds that its product does not declare: the keys the
 * contract names nowhere (in reading order), then the fields of other
 * products (in the contract's order; inside one, only the outermost). */
static int say_unknown(reader *r) {
    const dr_contract *c = r->v.c;
    uint64_t bit = (uint64_t)1 << r->v.product;
    for (int i = 0; i < r->nunknown; i++) {
        if (!(c->field[r->unknown[i].in].products & bit)) continue;
        int rc = warn_field(r, r->unknown[i].in, r->unknown[i].name, r->unknown[i].n);
        if (rc) return rc;
    }
    for (int w = 0; w < DR_CONTRACT_MASK_WORDS; w++)
        for (uint64_t m = r->v.present[w]; m; m &= m - 1) {
            int f = w * 64 + __builtin_ctzll(m);
            const dr_cfield *x = &c->field[f];
            if (f < 2 || (x->products & bit) || !(c->field[x->parent].products & bit)) continue;
            int rc = warn_field(r, x->parent, c->key[x->key], strlen(c->key[x->key]));
            if (rc) return rc;
        }
    if (r->unknown_more && !r->strict) {
        char say[120];
        snprintf(say, sizeof say, "and %d more fields not declared for %s accounts", r->unknown_more,
                 c->product[r->v.product]);
        dr_buf_put(r->v.warnings, ",", 1);
        dr_json_put_string(r->v.warnings, say, strlen(say));
    }
    return DR_OK;
}

static int y_key(void *ctx, const unsigned char *s, size_t n) {
    reader *r = ctx;
    lua_State *L = r->v.L;
    const dr_contract *c = r->v.c;
    int id = known_key(c, s, n);
    const char *k;
    if (id) {
        lua_rawgeti(L, KEYS_INDEX, id);
        k = lua_tostring(L, -1);
    } else {
        k = lua_pushlstring(L, (const char *)s, n);
    }
    int dup = 0, d = r->depth;
    r->pending = r->field[d] ? c->child[r->field[d] * c->nkeys + id] : 0;
    if (!r->pending && r->field[d] && c->field[r->field[d]].container) unknown_field(r, r->field[d], s, n);
    /* Lua interns short strings: their addresses compare. */
    if (d < KEY_LEVELS && r->nkeys[d] >= 0 && r->nkeys[d] < KEYS_PER_LEVEL && n <= DR_LUA_SHORT_STRING) {
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
    /* The root is level 0. */
    if (r->depth > MAX_DEPTH || !lua_checkstack(L, 4)) {
        r->refused = "nested deeper than 64 levels";
        return 0;
    }
    int d = r->depth;
    note(r, object ? V_OBJECT : V_LIST, NULL, 0, 0);
    int f = d == 0 ? (object ? 1 : 0) : r->in_object[d] ? r->pending : 0; /* 1: the account */
    r->depth = ++d;
    r->in_object[d] = object;
    r->field[d] = (unsigned char)f;
    r->next[d] = 0;
    if (d < KEY_LEVELS) r->nkeys[d] = 0;
    /* Sized for an account's objects and lists (roles), so that neither
     * grows in steps. */
    lua_createtable(L, object ? 0 : 4, object ? (d == 1 ? 8 : 4) : 0);
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
        dr_utf8_place(r->v.text, r->v.len, at ? at - 1 : 0, &line, &col);
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

/* jansson's tree through the callbacks yajl's stream goes through, so
 * that both readers build the same tables and note the same slots. 0 when
 * a callback refused (too deep). */
static int walk_json(reader *r, const json_t *j) {
    switch (json_typeof(j)) {
    case JSON_OBJECT: {
        if (!y_start_map(r)) return 0;
        const char *k;
        json_t *x;
        json_object_foreach((json_t *)j, k, x) {
            if (!y_key(r, (const unsigned char *)k, strlen(k)) || !walk_json(r, x)) return 0;
        }
        return y_end(r);
    }
    case JSON_ARRAY:
        if (!y_start_array(r)) return 0;
        for (size_t i = 0; i < json_array_size(j); i++)
            if (!walk_json(r, json_array_get(j, i))) return 0;
        return y_end(r);
    case JSON_STRING:
        return y_string(r, (const unsigned char *)json_string_value(j), json_string_length(j));
    case JSON_INTEGER: return y_integer(r, (long long)json_integer_value(j));
    case JSON_REAL: return y_double(r, json_real_value(j));
    case JSON_TRUE: return y_bool(r, 1);
    case JSON_FALSE: return y_bool(r, 0);
    case JSON_NULL: return y_null(r);
    }
    return 0;
}

/* After either path: the slots against the contract, then the two things
 * the rules may count on (one product name, a date). */
static int finish(reader *r) {
    lua_State *L = r->v.L;
    if (!r->root_object) {
        r->rc = dr_error_set(r->v.err, DR_EPARSE, NULL, 1, 1, "an account is a JSON object { ... }");
        return 0;
    }
    int a = lua_gettop(L);
    if ((r->rc = validate(&r->v)) != DR_OK) return 0;
    if ((r->rc = say_unknown(r)) != DR_OK) return 0;
    /* One product under two names: the rules see its own. */
    const dr_contract *c = r->v.c;
    const slot *p = &r->v.f[c->product_field];
    if (p->s != c->product[r->v.product]) {
        lua_pushliteral(L, "product");
        lua_pushstring(L, c->product[r->v.product]);
        lua_rawset(L, a);
    }
    if (r->v.f[c->date_field].type == V_ABSENT) {
        lua_pushliteral(L, "date");
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
    lua_rawgetp(L, LUA_REGISTRYINDEX, &DR_CONTRACT_KEYS_KEY); /* KEYS_INDEX */
    int got = read_fast(r);
    r->slow = got == 0;
    return got > 0 ? finish(r) : 0;
}

static int slow_protected(lua_State *L) {
    reader *r = lua_touserdata(L, 1);
    lua_settop(L, 0);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &DR_CONTRACT_KEYS_KEY); /* KEYS_INDEX */
    if (!walk_json(r, r->json)) {
        r->rc = dr_error_set(r->v.err, DR_EPARSE, NULL, 1, 1, "nested deeper than %d levels", MAX_DEPTH);
        return 0;
    }
    if (r->nulls) drop_nulls(L, lua_gettop(L), 0);
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

int dr_account_open(dr_engine *e, dr_error *err) {
    (void)err;
    /* One metatable for every list of every account: hidden from the
     * rules (getmetatable gives false, setmetatable refuses), or a rule
     * could give it an __index or __len that every later account's lists
     * answer through, or a __gc that runs outside every limit. */
    lua_createtable(e->L, 0, 1);
    lua_pushboolean(e->L, 0);
    lua_setfield(e->L, -2, "__metatable");
    lua_rawsetp(e->L, LUA_REGISTRYINDEX, &ARRAY_KEY);
    return DR_OK;
}

static void reader_init(reader *r, dr_engine *e, const char *text, size_t len, dr_error *err) {
    /* The arrays at the end are set as containers open. */
    memset(r, 0, offsetof(reader, in_object));
    r->v.L = e->L;
    r->v.c = e->contract;
    r->v.f = r->f;
    memset(r->f, 0, (size_t)e->contract->nfields * sizeof *r->f);
    r->v.text = text;
    r->v.len = len;
    r->v.err = err;
    r->v.warnings = &e->account_warnings;
    r->strict = e->strict;
    r->today = e->today;
    r->nunknown = r->unknown_more = 0;
    e->account_warnings.n = 0; /* this account's, not the last one's */
}

/* jansson's words for what an account cannot hold, in the contract's:
 * its message names its own flag. */
static const char *said_of_jansson(const char *text) {
    if (strncmp(text, "\\u0000 is not allowed", 21) == 0)
        return "\\u0000 (the NUL character) is not allowed in an account";
    return text;
}

int dr_account_read(dr_engine *e, const char *text, size_t len, int path, dr_error *err) {
    reader r;
    /* A byte order mark is passed over; columns count from after it, as
     * an editor shows them. */
    size_t bom = dr_utf8_bom(text, len);
    text += bom;
    len -= bom;
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
                            je.column > 0 ? je.column : 1, "%s", said_of_jansson(je.text));
    int ok = run(e, slow_protected, &r);
    json_decref(r.json);
    return ok ? DR_OK : r.rc;
}
