/* The account as the contract defines it: parsed with jansson, checked
 * field by field, and handed to the rules as a Lua table. Every error says
 * where in the account text it is. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "../common/dates.h"
#include "../common/money.h"
#include "internal.h"

typedef struct vctx {
    const char *text;
    size_t len;
    dr_error *err;
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
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < at && i < v->len; i++) {
        if (v->text[i] == '\n') {
            (*line)++;
            *col = 1;
        } else if (((unsigned char)v->text[i] & 0xC0) != 0x80) {
            (*col)++;
        }
    }
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

static int want_string(vctx *v, json_t *o, const char *key, const char *path, const char **out) {
    json_t *j = json_object_get(o, key);
    *out = NULL;
    if (!j || json_is_null(j)) return DR_OK;
    if (!json_is_string(j)) return bad(v, path, "must be a string%s", "");
    *out = json_string_value(j);
    return DR_OK;
}

static int want_date(vctx *v, json_t *o, const char *key, const char *path) {
    const char *s;
    int rc = want_string(v, o, key, path, &s);
    long d;
    if (rc == DR_OK && s && !dr_date_from_iso(s, &d))
        return bad(v, path, "\"%s\" is not a date (YYYY-MM-DD, a real calendar day)", s);
    return rc;
}

static int want_count(vctx *v, json_t *o, const char *key, const char *path) {
    json_t *j = json_object_get(o, key);
    if (!j || json_is_null(j)) return DR_OK;
    if (!json_is_integer(j) || json_integer_value(j) < 0 || json_integer_value(j) > 1000000000)
        return bad(v, path, "must be a whole number from 0%s", "");
    return DR_OK;
}

static int want_bool(vctx *v, json_t *o, const char *key, const char *path) {
    json_t *j = json_object_get(o, key);
    if (!j || json_is_null(j)) return DR_OK;
    if (!json_is_boolean(j)) return bad(v, path, "must be true or false%s", "");
    return DR_OK;
}

static int want_object(vctx *v, json_t *o, const char *key, const char *path, json_t **out) {
    json_t *j = json_object_get(o, key);
    *out = NULL;
    if (!j || json_is_null(j)) return DR_OK;
    if (!json_is_object(j)) return bad(v, path, "must be an object { ... }%s", "");
    *out = j;
    return DR_OK;
}

static int want_money(vctx *v, json_t *o, const char *amount_key, const char *path,
                      const char *cur_path) {
    json_t *a = json_object_get(o, amount_key);
    if (!a || json_is_null(a)) return DR_OK;
    if (json_is_number(a))
        return bad(v, path, "money is a decimal string such as \"12.50\", not a number%s", "");
    if (!json_is_string(a)) return bad(v, path, "money is a decimal string such as \"12.50\"%s", "");
    const char *cur;
    int rc = want_string(v, o, "currency", cur_path, &cur);
    if (rc) return rc;
    if (!cur) return bad(v, cur_path, "an amount needs its currency (ISO 4217, e.g. \"USD\")%s", "");
    if (dr_currency_exponent(cur) < 0)
        return bad(v, cur_path, "\"%s\" is not a currency we know (ISO 4217, e.g. USD, EUR, JPY)", cur);
    int64_t minor;
    const char *why;
    if (!dr_money_parse(json_string_value(a), cur, &minor, &why)) {
        char msg[300];
        snprintf(msg, sizeof msg, "\"%s\" %s", json_string_value(a), why);
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

static int validate(vctx *v, json_t *a) {
    int rc;
    const char *s;
    json_t *id = json_object_get(a, "id");
    if (!id || !json_is_string(id) || !json_string_length(id)) {
        if (id) return bad(v, "id", "must be a non-empty string%s", "");
        return dr_error_set(v->err, DR_EPARSE, NULL, 1, 1, "id: the account has no \"id\"");
    }
    json_t *prod = json_object_get(a, "product");
    if (!prod) return dr_error_set(v->err, DR_EPARSE, NULL, 1, 1, "product: the account has no \"product\"");
    if (!json_is_string(prod) || !one_of(json_string_value(prod), products))
        return bad(v, "product", "%s", "must be \"azure\" or \"office365\" (\"microsoft365\" is the same)");
    if ((rc = want_date(v, a, "date", "date"))) return rc;
    if ((rc = want_string(v, a, "locale", "locale", &s))) return rc;
    if (s && !is_language_tag(s))
        return bad(v, "locale", "\"%.40s\" is not a language tag (such as zh-tw or en-us)", s);
    if ((rc = want_string(v, a, "action", "action", &s))) return rc;
    if (s && !one_of(s, actions))
        return bad(v, "action", "\"%s\" is not cancel-subscription, close-account or reactivate-subscription", s);
    json_t *actor;
    if ((rc = want_object(v, a, "actor", "actor", &actor))) return rc;
    if (actor) {
        json_t *r = json_object_get(actor, "roles");
        if (r && !json_is_array(r)) return bad(v, "actor.roles", "must be a list of role names%s", "");
        for (size_t i = 0; r && i < json_array_size(r); i++) {
            json_t *x = json_array_get(r, i);
            if (!json_is_string(x) || !one_of(json_string_value(x), roles))
                return bad(v, "actor.roles",
                           "%s is not a role (account_admin, service_admin, owner, global_admin, "
                           "billing_admin, user)",
                           json_is_string(x) ? json_string_value(x) : "a non-string");
        }
    }
    if ((rc = want_count(v, a, "assigned_licenses", "assigned_licenses"))) return rc;
    json_t *sub;
    if ((rc = want_object(v, a, "subscription", "subscription", &sub))) return rc;
    if (sub) {
        if ((rc = want_string(v, sub, "type", "subscription.type", &s))) return rc;
        if (s && !one_of(s, sub_types))
            return bad(v, "subscription.type", "\"%s\" is not trial, paid, payg, enterprise or free_credits", s);
        if ((rc = want_bool(v, sub, "payment_method", "subscription.payment_method"))) return rc;
        if ((rc = want_date(v, sub, "cancelled_on", "subscription.cancelled_on"))) return rc;
        json_t *b;
        if ((rc = want_object(v, sub, "billing", "subscription.billing", &b))) return rc;
        if (b) {
            if ((rc = want_date(v, b, "period_start", "subscription.billing.period_start"))) return rc;
            if ((rc = want_date(v, b, "period_end", "subscription.billing.period_end"))) return rc;
            if ((rc = want_money(v, b, "amount", "subscription.billing.amount",
                                 "subscription.billing.currency")))
                return rc;
            const char *ps, *pe;
            want_string(v, b, "period_start", "", &ps);
            want_string(v, b, "period_end", "", &pe);
            if (ps && pe && strcmp(pe, ps) <= 0)
                return bad(v, "subscription.billing.period_end", "%s", "must be after period_start");
        }
    }
    json_t *sp;
    if ((rc = want_object(v, a, "support_plan", "support_plan", &sp))) return rc;
    if (sp) {
        if ((rc = want_bool(v, sp, "paid", "support_plan.paid"))) return rc;
        if ((rc = want_date(v, sp, "started_on", "support_plan.started_on"))) return rc;
        if ((rc = want_money(v, sp, "monthly_fee", "support_plan.monthly_fee", "support_plan.currency")))
            return rc;
    }
    json_t *t;
    if ((rc = want_object(v, a, "tenant", "tenant", &t))) return rc;
    if (t) {
        static const char *const counts[] = {"users", "active_subscriptions",
                                             "disabled_subscriptions", "mfa_enabled_users", NULL};
        char path[64];
        for (const char *const *k = counts; *k; k++) {
            snprintf(path, sizeof path, "tenant.%s", *k);
            if ((rc = want_count(v, t, *k, path))) return rc;
        }
        if ((rc = want_bool(v, t, "synced_from_on_premises", "tenant.synced_from_on_premises")))
            return rc;
    }
    return DR_OK;
}

static int push_account(lua_State *L) {
    dr_json_to_lua(L, lua_touserdata(L, 1), 0);
    return 1;
}

int dr_account_push(dr_engine *e, const char *text, size_t len, dr_error *err) {
    json_error_t je;
    json_t *a = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!a)
        return dr_error_set(err, DR_EPARSE, NULL, je.line > 0 ? je.line : 1,
                            je.column > 0 ? je.column : 1, "%s", je.text);
    vctx v = {text, len, err};
    if (!json_is_object(a)) {
        json_decref(a);
        return dr_error_set(err, DR_EPARSE, NULL, 1, 1, "an account is a JSON object { ... }");
    }
    int rc = validate(&v, a);
    if (rc == DR_OK) {
        /* One product under two names. */
        if (strcmp(json_string_value(json_object_get(a, "product")), "microsoft365") == 0)
            json_object_set_new(a, "product", json_string("office365"));
        if (!json_object_get(a, "date")) json_object_set_new(a, "date", json_string(e->today));
        /* Protected: a large account can pass the memory cap while it
         * becomes a table, and that must be an error, not a panic. */
        lua_State *L = e->L;
        lua_pushcfunction(L, push_account);
        lua_pushlightuserdata(L, a);
        if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
            lua_pop(L, 1);
            rc = dr_error_set(err, DR_ELIMIT, NULL, 1, 1,
                              "the account is too large for the rule engine's memory (%zu MiB; --max-memory)",
                              e->max_memory >> 20);
        }
    }
    json_decref(a);
    return rc;
}
