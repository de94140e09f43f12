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
#include "../common/money.h"
#include "../common/utf8.h"
#include "internal.h"

/* Deeper than any account field; deeper content is refused, not cut. */
#define MAX_DEPTH 64
#define KEY_LEVELS 4     /* levels whose keys the fast path remembers */
#define KEYS_PER_LEVEL 16

/* The contract's keys, made Lua strings once per state (dr_account_open)
 * and kept at stack index 1 while an account is read: the builder pushes
 * a key the contract names from there, without hashing its text, and
 * knows by its number which field it is. */
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
    K_COUNT
};
_Static_assert(K_COUNT < 256, "key numbers are kept in unsigned char");

static const char *const known_keys[] = {
    NULL,
#define AS_STRING(e, s) s,
    ACCOUNT_KEYS(AS_STRING)
#undef AS_STRING
};
#define NKEYS (sizeof known_keys / sizeof *known_keys)

/* The names the checks compare values with, made Lua strings once per
 * state (dr_account_open) into e->account_words. A short string Lua
 * interned (every value of DR_LUA_SHORT_STRING bytes or fewer) is one of them exactly when
 * it is the same string, so the checks compare addresses, not text. */
#define ACCOUNT_WORDS(X)                                                                       \
    X(AZURE, "azure") X(OFFICE365, "office365") X(MICROSOFT365, "microsoft365")                \
    ACCOUNT_ROLES(X)                                                                           \
    X(TRIAL, "trial") X(PAID_TYPE, "paid") X(PAYG, "payg") X(ENTERPRISE, "enterprise")         \
    X(FREE_CREDITS, "free_credits") ACCOUNT_ACTIONS(X)

/* The roles an actor can have: the one list, which the account check and
 * the check of what a rule returns (engine/output.c) read. */
#define ACCOUNT_ROLES(X)                                                                       \
    X(ACCOUNT_ADMIN, "account_admin") X(SERVICE_ADMIN, "service_admin") X(OWNER, "owner")      \
    X(GLOBAL_ADMIN, "global_admin") X(BILLING_ADMIN, "billing_admin") X(USER, "user")

/* The actions an account or a query can name: the one list, which the
 * check below, its message and the command line's --action read. */
#define ACCOUNT_ACTIONS(X)                                                                     \
    X(CANCEL, "cancel-subscription") X(CLOSE, "close-account") X(REACTIVATE, "reactivate-subscription")

enum {
    W_NONE,
#define AS_WORD(e, s) W_##e,
    ACCOUNT_WORDS(AS_WORD)
#undef AS_WORD
    W_COUNT
};
_Static_assert(W_COUNT <= DR_ACCOUNT_WORDS, "engine/internal.h: DR_ACCOUNT_WORDS too small");

static const char *const word_text[] = {
    NULL,
#define AS_TEXT(e, s) s,
    ACCOUNT_WORDS(AS_TEXT)
#undef AS_TEXT
};

static const char KEYS_KEY = 'k';
#define KEYS_INDEX 1

/* Every key fits the by-length index dr_account_open derives. */
#define KEY_FITS(e, s) _Static_assert(sizeof s - 1 < DR_ACCOUNT_KEY_LEN, "key " s " is too long");
ACCOUNT_KEYS(KEY_FITS)
#undef KEY_FITS

/* The number of a key the contract names, or K_NONE: the keys of its
 * length, from the index dr_account_open derived from known_keys. */
static int known_key(const unsigned char (*by_len)[DR_ACCOUNT_KEYS_PER_LEN], const unsigned char *s,
                     size_t n) {
    if (n >= DR_ACCOUNT_KEY_LEN) return K_NONE;
    for (const unsigned char *i = by_len[n]; *i; i++) {
        const char *k = known_keys[*i];
        if (k[0] == (char)s[0] && memcmp(k, s, n) == 0) return *i;
    }
    return K_NONE;
}

/* Where each field the contract checks sits: its parent and its key.
 * The reader notes each one's value as it goes by (a slot), and the checks
 * read the slots, in the contract's order, without looking anything up in
 * the tables. */
#define FIELDS(X)                                                                              \
    X(ID, ROOT, ID) X(PRODUCT, ROOT, PRODUCT) X(DATE, ROOT, DATE) X(LOCALE, ROOT, LOCALE)      \
    X(ACTION, ROOT, ACTION) X(ACTOR, ROOT, ACTOR) X(ROLES, ACTOR, ROLES)                       \
    X(LICENSES, ROOT, ASSIGNED_LICENSES) X(SUB, ROOT, SUBSCRIPTION) X(SUB_TYPE, SUB, TYPE)     \
    X(PAYMENT, SUB, PAYMENT_METHOD) X(CANCELLED, SUB, CANCELLED_ON) X(BILLING, SUB, BILLING)   \
    X(PERIOD_START, BILLING, PERIOD_START) X(PERIOD_END, BILLING, PERIOD_END)                  \
    X(AMOUNT, BILLING, AMOUNT) X(BILLING_CURRENCY, BILLING, CURRENCY)                          \
    X(SUPPORT, ROOT, SUPPORT_PLAN) X(PAID, SUPPORT, PAID) X(STARTED, SUPPORT, STARTED_ON)      \
    X(FEE, SUPPORT, MONTHLY_FEE) X(SUPPORT_CURRENCY, SUPPORT, CURRENCY) X(TENANT, ROOT, TENANT) \
    X(USERS, TENANT, USERS) X(ACTIVE, TENANT, ACTIVE_SUBSCRIPTIONS)                            \
    X(DISABLED, TENANT, DISABLED_SUBSCRIPTIONS) X(MFA, TENANT, MFA_ENABLED_USERS)              \
    X(SYNCED, TENANT, SYNCED)

enum {
    F_NONE, /* not a field the contract checks */
    F_ROOT, /* the account itself */
#define AS_FIELD(f, parent, key) F_##f,
    FIELDS(AS_FIELD)
#undef AS_FIELD
    NFIELDS
};

/* The field a key names inside a container that is a field (or F_NONE). */
static const unsigned char child_of[NFIELDS][K_COUNT] = {
#define AS_CHILD(f, parent, key) [F_##parent][K_##key] = F_##f,
    FIELDS(AS_CHILD)
#undef AS_CHILD
};

/* Each field's container and key, to name a field by its dotted path. */
static const unsigned char parent_of[NFIELDS] = {
#define AS_PARENT(f, parent, key) [F_##f] = F_##parent,
    FIELDS(AS_PARENT)
#undef AS_PARENT
};
static const unsigned char key_of[NFIELDS] = {
#define AS_KEY(f, parent, key) [F_##f] = K_##key,
    FIELDS(AS_KEY)
#undef AS_KEY
};
/* Whether the contract names the members of this object (it names some).
 * Asked only for a key that is no field, which is rare. */
static int is_container(int f) {
    for (int k = 1; f != F_NONE && k < K_COUNT; k++)
        if (child_of[f][k]) return 1;
    return 0;
}

/* "subscription.billing." for F_BILLING, "" for the account. */
static void path_of(int f, char *buf, size_t size) {
    buf[0] = '\0';
    if (f == F_ROOT || f == F_NONE) return;
    path_of(parent_of[f], buf, size);
    size_t n = strlen(buf);
    snprintf(buf + n, size - n, "%s.", known_keys[key_of[f]]);
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
    const char *const *words; /* e->account_words */
    const unsigned char (*by_len)[DR_ACCOUNT_KEYS_PER_LEN]; /* e->account_keys_by_len */
    const char *text;
    size_t len;
    dr_error *err;
    slot f[NFIELDS];
    /* The first element of actor.roles that is not a role name (bad_role
     * 1: the string bad_s; 2: not a string), for the message. */
    int bad_role;
    const char *bad_s;
    dr_buf *warnings; /* e->account_warnings */
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

/* A string value as a C string: NULL when it holds a NUL byte, which no
 * name, date or amount the contract knows does. */
static const char *text_of(const slot *s) { return strlen(s->s) == s->n ? s->s : NULL; }

/* Whether a string value is one of the words of a W_NONE-ended set. */
static int one_of(const vctx *v, const slot *s, const unsigned char *set) {
    for (; *set; set++)
        if (s->s == v->words[*set]) return 1;
    return 0;
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

static int want_count(vctx *v, int f, const char *path) {
    const slot *s = &v->f[f];
    int ok = s->type == V_ABSENT || (s->type == V_INTEGER && s->i >= 0 && s->i <= 1000000000);
    return ok ? DR_OK : bad(v, path, "must be a whole number from 0%s", "");
}

static int want_bool(vctx *v, int f, const char *path) {
    int ty = v->f[f].type;
    if (ty != V_ABSENT && ty != V_BOOL) return bad(v, path, "must be true or false%s", "");
    return DR_OK;
}

/* Whether the object is there: 0 when absent, -1 (error set) when it is
 * something else. */
static int want_object(vctx *v, int f, const char *path) {
    int ty = v->f[f].type;
    if (ty == V_ABSENT) return 0;
    if (ty != V_OBJECT) {
        bad(v, path, "must be an object { ... }%s", "");
        return -1;
    }
    return 1;
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
    if (minor < 0) return bad(v, path, "an amount cannot be negative%s", "");
    return DR_OK;
}

static const unsigned char products[] = {W_AZURE, W_OFFICE365, W_MICROSOFT365, 0};
static const unsigned char roles[] = {
#define AS_ROLE(e, s) W_##e,
    ACCOUNT_ROLES(AS_ROLE)
#undef AS_ROLE
    0};
static const unsigned char sub_types[] = {W_TRIAL, W_PAID_TYPE, W_PAYG, W_ENTERPRISE, W_FREE_CREDITS, 0};
static const unsigned char actions[] = {
#define AS_ACTION(e, s) W_##e,
    ACCOUNT_ACTIONS(AS_ACTION)
#undef AS_ACTION
    0};

static const char *const action_names[] = {
#define AS_NAME(e, s) s,
    ACCOUNT_ACTIONS(AS_NAME)
#undef AS_NAME
    NULL};

const char *const *dr_account_actions(void) { return action_names; }

static const char *const role_names[] = {
#define AS_NAME(e, s) s,
    ACCOUNT_ROLES(AS_NAME)
#undef AS_NAME
    NULL};

const char *const *dr_account_roles(void) { return role_names; }

int dr_account_field_known(const char *path) {
    char buf[128];
    for (int f = F_ROOT + 1; f < NFIELDS; f++) {
        path_of(parent_of[f], buf, sizeof buf);
        size_t n = strlen(buf);
        if (strncmp(path, buf, n) == 0 && strcmp(path + n, known_keys[key_of[f]]) == 0) return 1;
    }
    return 0;
}

/* "a, b or c" of the actions, into buf. */
static const char *actions_said(char *buf, size_t size) {
    buf[0] = '\0';
    for (size_t i = 0; action_names[i]; i++)
        snprintf(buf + strlen(buf), size - strlen(buf), "%s%s", i == 0 ? "" : action_names[i + 1] ? ", " : " or ",
                 action_names[i]);
    return buf;
}

static int validate_actor(vctx *v) {
    int rc = want_object(v, F_ACTOR, "actor");
    if (rc <= 0) return rc < 0 ? DR_EPARSE : DR_OK;
    int ty = v->f[F_ROLES].type;
    if (ty != V_ABSENT && ty != V_LIST) return bad(v, "actor.roles", "must be a list of role names%s", "");
    if (v->bad_role)
        return bad(v, "actor.roles",
                   "%s is not a role (account_admin, service_admin, owner, global_admin, "
                   "billing_admin, user)",
                   v->bad_role == 1 ? v->bad_s : "a non-string");
    return DR_OK;
}

static int validate_subscription(vctx *v) {
    int rc = want_object(v, F_SUB, "subscription");
    if (rc <= 0) return rc < 0 ? DR_EPARSE : DR_OK;
    if ((rc = want_string(v, F_SUB_TYPE, "subscription.type"))) return rc;
    const slot *t = &v->f[F_SUB_TYPE];
    if (t->type == V_STRING && !one_of(v, t, sub_types))
        return bad(v, "subscription.type", "\"%s\" is not trial, paid, payg, enterprise or free_credits", t->s);
    if ((rc = want_bool(v, F_PAYMENT, "subscription.payment_method"))) return rc;
    if ((rc = want_date(v, F_CANCELLED, "subscription.cancelled_on"))) return rc;
    rc = want_object(v, F_BILLING, "subscription.billing");
    if (rc <= 0) return rc < 0 ? DR_EPARSE : DR_OK;
    if ((rc = want_date(v, F_PERIOD_START, "subscription.billing.period_start"))) return rc;
    if ((rc = want_date(v, F_PERIOD_END, "subscription.billing.period_end"))) return rc;
    if ((rc = want_money(v, F_AMOUNT, F_BILLING_CURRENCY, "subscription.billing.amount",
                         "subscription.billing.currency")))
        return rc;
    const slot *ps = &v->f[F_PERIOD_START], *pe = &v->f[F_PERIOD_END];
    if (ps->type == V_STRING && pe->type == V_STRING && strcmp(pe->s, ps->s) <= 0)
        return bad(v, "subscription.billing.period_end", "%s", "must be after period_start");
    return DR_OK;
}

static int validate_rest(vctx *v) {
    int rc = want_object(v, F_SUPPORT, "support_plan");
    if (rc < 0) return DR_EPARSE;
    if (rc) {
        if ((rc = want_bool(v, F_PAID, "support_plan.paid"))) return rc;
        if ((rc = want_date(v, F_STARTED, "support_plan.started_on"))) return rc;
        if ((rc = want_money(v, F_FEE, F_SUPPORT_CURRENCY, "support_plan.monthly_fee", "support_plan.currency")))
            return rc;
    }
    rc = want_object(v, F_TENANT, "tenant");
    if (rc <= 0) return rc < 0 ? DR_EPARSE : DR_OK;
    static const struct {
        int f;
        const char *path;
    } counts[] = {{F_USERS, "tenant.users"},
                  {F_ACTIVE, "tenant.active_subscriptions"},
                  {F_DISABLED, "tenant.disabled_subscriptions"},
                  {F_MFA, "tenant.mfa_enabled_users"}};
    for (size_t i = 0; i < sizeof counts / sizeof *counts; i++)
        if ((rc = want_count(v, counts[i].f, counts[i].path))) return rc;
    return want_bool(v, F_SYNCED, "tenant.synced_from_on_premises");
}

/* The account's slots against the contract, in its order: the first
 * problem found is the one reported. */
static int validate(vctx *v) {
    int rc;
    const slot *id = &v->f[F_ID], *prod = &v->f[F_PRODUCT];
    if (id->type != V_STRING || id->n == 0) {
        if (id->type != V_ABSENT) return bad(v, "id", "must be a non-empty string%s", "");
        return dr_error_set(v->err, DR_EPARSE, NULL, 1, 1, "id: the account has no \"id\"");
    }
    if (prod->type == V_ABSENT)
        return dr_error_set(v->err, DR_EPARSE, NULL, 1, 1, "product: the account has no \"product\"");
    if (prod->type != V_STRING || !one_of(v, prod, products))
        return bad(v, "product", "%s", "must be \"azure\" or \"office365\" (\"microsoft365\" is the same)");
    if ((rc = want_date(v, F_DATE, "date"))) return rc;
    if ((rc = want_string(v, F_LOCALE, "locale"))) return rc;
    const slot *loc = &v->f[F_LOCALE];
    if (loc->type == V_STRING && (!text_of(loc) || !dr_lang_tag_valid(loc->s)))
        return bad(v, "locale", "\"%.40s\" is not a language tag (such as zh-tw or en-us)", loc->s);
    if ((rc = want_string(v, F_ACTION, "action"))) return rc;
    const slot *act = &v->f[F_ACTION];
    if (act->type == V_STRING && !one_of(v, act, actions)) {
        char said[200], fmt[260];
        /* The names hold no '%': they are the format's own text. */
        snprintf(fmt, sizeof fmt, "\"%%s\" is not %s", actions_said(said, sizeof said));
        return bad(v, "action", fmt, act->s);
    }
    if ((rc = validate_actor(v))) return rc;
    if ((rc = want_count(v, F_LICENSES, "assigned_licenses"))) return rc;
    if ((rc = validate_subscription(v))) return rc;
    return validate_rest(v);
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
    char unknown[220], unknown_says[300]; /* the first field the contract does not name */
} reader;

/* Notes a value in its slot when it is a field the contract checks, or
 * an element of actor.roles that is not a role name (the first one). */
static void note(reader *r, int type, const char *s, size_t n, long long i) {
    int d = r->depth;
    if (!d) return;
    if (r->in_object[d]) {
        if (r->pending) r->v.f[r->pending] = (slot){(unsigned char)type, i, s, n};
    } else if (r->field[d] == F_ROLES && !r->v.bad_role) {
        slot e = {(unsigned char)type, i, s, n};
        if (type != V_STRING) {
            r->v.bad_role = 2;
        } else if (!one_of(&r->v, &e, roles)) {
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

/* A member of an object the contract describes that it does not name: a
 * warning in the decision, with the nearest name it does; with --strict,
 * the first one makes a bad account (after the read, so that both readers
 * place it alike). A rule reading it would read what the contract never
 * promised; a misspelling would be silently ignored. */
static void unknown_field(reader *r, int in, const unsigned char *s, size_t n) {
    char path[128], rest[300], field[220];
    path_of(in, path, sizeof path);
    const char *near = NULL;
    size_t best = n / 3 > 2 ? n / 3 : 2;
    for (int k = 1; k < K_COUNT; k++) {
        if (!child_of[in][k]) continue;
        size_t dist = distance((const char *)s, n, known_keys[k]);
        if (dist <= best) {
            best = dist;
            near = known_keys[k];
        }
    }
    snprintf(field, sizeof field, "%s%.*s", path, (int)(n > 80 ? 80 : n), (const char *)s);
    if (near) snprintf(rest, sizeof rest, "not an account field the contract names; did you mean %s%s?", path, near);
    else snprintf(rest, sizeof rest, "not an account field the contract names");
    if (!r->unknown[0]) {
        snprintf(r->unknown, sizeof r->unknown, "%s", field);
        snprintf(r->unknown_says, sizeof r->unknown_says, "%s", rest);
    }
    dr_buf *w = r->v.warnings;
    char say[540];
    snprintf(say, sizeof say, "%s: %s", field, rest);
    if (w->n) dr_buf_put(w, ",", 1);
    dr_json_put_string(w, say, strlen(say));
}

static int y_key(void *ctx, const unsigned char *s, size_t n) {
    reader *r = ctx;
    lua_State *L = r->v.L;
    int id = known_key(r->v.by_len, s, n);
    const char *k;
    if (id) {
        lua_rawgeti(L, KEYS_INDEX, id);
        k = lua_tostring(L, -1);
    } else {
        k = lua_pushlstring(L, (const char *)s, n);
    }
    int dup = 0, d = r->depth;
    r->pending = child_of[r->field[d]][id];
    if (!r->pending && is_container(r->field[d])) unknown_field(r, r->field[d], s, n);
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
    int f = d == 0 ? (object ? F_ROOT : F_NONE) : r->in_object[d] ? r->pending : F_NONE;
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
    if (r->strict && r->unknown[0]) {
        r->rc = bad(&r->v, r->unknown, "%s (--strict)", r->unknown_says);
        return 0;
    }
    /* One product under two names. */
    const slot *p = &r->v.f[F_PRODUCT];
    if (p->s == r->v.words[W_MICROSOFT365]) {
        lua_rawgeti(L, KEYS_INDEX, K_PRODUCT);
        lua_pushliteral(L, "office365");
        lua_rawset(L, a);
    }
    if (r->v.f[F_DATE].type == V_ABSENT) {
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
    lua_State *L = e->L;
    /* The keys by length, from the one list of them: a key added to
     * ACCOUNT_KEYS is found without another table to keep. */
    memset(e->account_keys_by_len, 0, sizeof e->account_keys_by_len);
    for (size_t i = 1; i < NKEYS; i++) {
        unsigned char *b = e->account_keys_by_len[strlen(known_keys[i])];
        size_t k = 0;
        while (b[k]) k++;
        if (k + 1 >= DR_ACCOUNT_KEYS_PER_LEN)
            return dr_error_set(err, DR_ELIMIT, NULL, 0, 0,
                                "engine/internal.h: DR_ACCOUNT_KEYS_PER_LEN is too small for the keys");
        b[k] = (unsigned char)i;
    }
    lua_newtable(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &ARRAY_KEY);
    lua_newtable(L);
    for (size_t i = 1; i < NKEYS; i++) {
        lua_pushstring(L, known_keys[i]);
        lua_rawseti(L, -2, (lua_Integer)i);
    }
    /* The words after the keys, in the same table, which keeps them. */
    for (int i = 1; i < W_COUNT; i++) {
        e->account_words[i] = lua_pushstring(L, word_text[i]);
        lua_rawseti(L, -2, K_COUNT + i);
    }
    lua_rawsetp(L, LUA_REGISTRYINDEX, &KEYS_KEY);
    return DR_OK;
}

static void reader_init(reader *r, dr_engine *e, const char *text, size_t len, dr_error *err) {
    /* The arrays at the end are set as containers open. */
    memset(r, 0, offsetof(reader, in_object));
    r->v.L = e->L;
    r->v.words = e->account_words;
    r->v.by_len = e->account_keys_by_len;
    r->v.text = text;
    r->v.len = len;
    r->v.err = err;
    r->v.warnings = &e->account_warnings;
    r->strict = e->strict;
    r->today = e->today;
    r->unknown[0] = '\0';
    e->account_warnings.n = 0; /* this account's, not the last one's */
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
