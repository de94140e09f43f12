/* A reason's words with values in them: because = "{a.assigned_licenses}
 * assigned licenses is fewer than {f.online_cancel_max_licenses}".
 *
 * Most reasons a policy gives name a number or a list from the docs, or a
 * field of the account. Written as a function, each such reason is a call
 * into Lua and a string.format per decision (the realistic mix's reasons
 * cost some 6,600 instructions a decision that way: README, Performance);
 * written as words with places in them it is read here, in C, and a
 * reason whose places are all facts has the same words for every account
 * under the same docs, so decide.c keeps it, frozen, as it keeps fixed
 * words. The author reads the sentence as it will be said.
 *
 * A place is {a.path} (a field of the account, dotted) or {f.name} (a fact
 * of the rule's), each optionally with :word ({f.close_roles:or}), the word
 * that joins a list's items ("a or b"); without one a list is "a, b". Any
 * other brace is text. prelude.lua's check_words finds the places with the
 * same grammar (places_of) when the rule is declared, and refuses a fact not
 * in the rule's uses and a field not in its inputs, so that every place has
 * a value when the words are said; one without is still an error here, at
 * the rule's line, never words with a hole in them. */
#include <stdio.h>
#include <string.h>

#include "internal.h"

typedef struct place {
    char from;               /* 'a' or 'f' */
    const char *path, *join; /* "subscription.type"; the joining word or NULL */
    size_t path_len, join_len;
    size_t len;              /* of the whole place, braces and all */
} place;

static int name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
static int name_char(char c) { return name_start(c) || (c >= '0' && c <= '9'); }

/* Whether s (n bytes left) starts a place; fills pl. An f place has one
 * name: the facts are a flat list. */
static int place_at(const char *s, size_t n, place *pl) {
    if (n < 5 || s[0] != '{' || (s[1] != 'a' && s[1] != 'f') || s[2] != '.') return 0;
    size_t i = 3, segments = 0;
    for (;;) {
        if (i >= n || !name_start(s[i])) return 0;
        while (i < n && name_char(s[i])) i++;
        segments++;
        if (i < n && s[i] == '.') {
            i++;
            continue;
        }
        break;
    }
    if (s[1] == 'f' && segments > 1) return 0;
    pl->from = s[1];
    pl->path = s + 3;
    pl->path_len = (size_t)(s + i - pl->path);
    pl->join = NULL;
    pl->join_len = 0;
    if (i < n && s[i] == ':') {
        size_t j = ++i;
        while (i < n && s[i] >= 'a' && s[i] <= 'z') i++;
        if (i == j) return 0;
        pl->join = s + j;
        pl->join_len = i - j;
    }
    if (i >= n || s[i] != '}') return 0;
    pl->len = i + 1;
    return 1;
}

int dr_words_has_places(const char *s, size_t n) {
    place pl;
    int from = 0;
    for (const char *p = memchr(s, '{', n); p; p = memchr(p + 1, '{', n - (size_t)(p + 1 - s)))
        if (place_at(p, n - (size_t)(p - s), &pl)) from |= pl.from == 'a' ? DR_WORDS_ACCOUNT : DR_WORDS_FACTS;
    return from;
}

/* dr.places(s) -> a list of { from = "a" or "f", path = "...", join =
 * word or nil }, the places of words s in order: prelude's check_words
 * refuses a place the rule does not rest on, by the grammar the words
 * are filled by. */
int dr_words_places(lua_State *L) {
    size_t n;
    const char *s = luaL_checklstring(L, 1, &n);
    lua_newtable(L);
    lua_Integer k = 0;
    place pl;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '{' || !place_at(s + i, n - i, &pl)) continue;
        lua_createtable(L, 0, 3);
        lua_pushlstring(L, &pl.from, 1);
        lua_setfield(L, -2, "from");
        lua_pushlstring(L, pl.path, pl.path_len);
        lua_setfield(L, -2, "path");
        if (pl.join) {
            lua_pushlstring(L, pl.join, pl.join_len);
            lua_setfield(L, -2, "join");
        }
        lua_rawseti(L, -2, ++k);
        i += pl.len - 1;
    }
    return 1;
}

/* The words, as they are written into: at most DR_MAX_BECAUSE bytes. */
typedef struct words {
    char s[DR_MAX_BECAUSE];
    size_t n;
    int over;
} words;

static void put(words *w, const char *s, size_t n) {
    if (n > sizeof w->s - w->n) {
        w->over = 1;
        n = sizeof w->s - w->n;
    }
    memcpy(w->s + w->n, s, n);
    w->n += n;
}

/* One value that is not a list, as a reason says it: 0 for a kind no
 * reason says (a table, a function). Numbers as string.format's %d says a
 * whole one, others as tostring does. */
static int put_scalar(lua_State *L, int v, words *w) {
    char num[64];
    switch (lua_type(L, v)) {
    case LUA_TSTRING: {
        size_t n;
        const char *s = lua_tolstring(L, v, &n);
        put(w, s, n);
        return 1;
    }
    case LUA_TNUMBER: {
        /* A whole number as string.format's %d says it (a whole float too:
         * 25.0 is 25, -0.0 is 0), by hand: snprintf's %lld took more than
         * the rest of the words. Another as tostring says it. */
        int whole;
        lua_Integer x = lua_tointegerx(L, v, &whole);
        if (whole) {
            unsigned long long u = x < 0 ? 0ULL - (unsigned long long)x : (unsigned long long)x;
            char *end = num + sizeof num, *p = end;
            do *--p = (char)('0' + u % 10); while (u /= 10);
            if (x < 0) *--p = '-';
            put(w, p, (size_t)(end - p));
        } else {
            snprintf(num, sizeof num, "%.14g", lua_tonumber(L, v));
            put(w, num, strlen(num));
        }
        return 1;
    }
    case LUA_TBOOLEAN:
        put(w, lua_toboolean(L, v) ? "true" : "false", lua_toboolean(L, v) ? 4 : 5);
        return 1;
    default: return 0;
    }
}

/* The value on top, said into w (and popped); 0 with why in msg. */
static int put_value(lua_State *L, const place *pl, words *w, char *msg, size_t size) {
    int v = lua_gettop(L), ok = 1;
    if (lua_type(L, v) == LUA_TTABLE) {
        lua_Integer n = (lua_Integer)lua_rawlen(L, v);
        if (n == 0) {
            /* An object ({ type = "paid" }) is no list: said as nothing, it
             * would be a hole in the words. */
            lua_pushnil(L);
            if (lua_next(L, v)) {
                snprintf(msg, size, "{%c.%.*s} is an object, which words cannot say: use a function", pl->from,
                         (int)pl->path_len, pl->path);
                lua_settop(L, v - 1);
                return 0;
            }
        }
        for (lua_Integer k = 1; ok && k <= n && !w->over; k++) {
            if (k > 1) {
                if (pl->join) {
                    put(w, " ", 1);
                    put(w, pl->join, pl->join_len);
                    put(w, " ", 1);
                } else {
                    put(w, ", ", 2);
                }
            }
            lua_rawgeti(L, v, k);
            ok = put_scalar(L, -1, w);
            if (!ok)
                snprintf(msg, size, "{%c.%.*s} holds a %s at %lld, which words cannot say", pl->from,
                         (int)pl->path_len, pl->path, luaL_typename(L, -1), (long long)k);
            lua_pop(L, 1);
        }
    } else if (lua_isnil(L, v)) {
        ok = 0;
        snprintf(msg, size, "{%c.%.*s} has no value here", pl->from, (int)pl->path_len, pl->path);
    } else if (!put_scalar(L, v, w)) {
        ok = 0;
        snprintf(msg, size, "{%c.%.*s} is a %s, which words cannot say", pl->from, (int)pl->path_len, pl->path,
                 luaL_typename(L, v));
    }
    lua_settop(L, v - 1);
    return ok;
}

/* dr.fill_words(words, values) -> the words with their places filled from
 * the facts values holds, or nil and what is wrong: prelude asks it once a
 * day and language of words from the facts alone, which then cannot fail
 * in any decision under them (a place of the account's has no value here). */
int dr_words_fill_facts(lua_State *L) {
    luaL_checktype(L, 1, LUA_TSTRING);
    luaL_checktype(L, 2, LUA_TTABLE);
    lua_settop(L, 2);
    lua_pushnil(L); /* 3: no account */
    char msg[200];
    if (dr_words_fill(L, 1, 3, 2, msg, sizeof msg) == 0) return 1;
    lua_pushnil(L);
    lua_pushstring(L, msg);
    return 2;
}

int dr_words_fill(lua_State *L, int because, int a, int values, char *msg, size_t size) {
    size_t n;
    const char *s = lua_tolstring(L, because, &n);
    words buf, *w = &buf; /* on the C stack: a reason is short, and nothing is left to collect */
    int top = lua_gettop(L);
    w->n = 0;
    w->over = 0;
    size_t lit = 0; /* where the text not yet put starts */
    for (size_t i = 0; i < n && !w->over; i++) {
        place pl;
        if (s[i] != '{' || !place_at(s + i, n - i, &pl)) continue;
        put(w, s + lit, i - lit);
        if (pl.from == 'f') {
            lua_pushlstring(L, pl.path, pl.path_len);
            lua_rawget(L, values);
        } else {
            dr_eval_path_push(L, a, pl.path, pl.path_len);
        }
        if (!put_value(L, &pl, w, msg, size)) {
            lua_settop(L, top);
            return -1;
        }
        i += pl.len - 1;
        lit = i + 1;
    }
    if (!w->over) put(w, s + lit, n - lit);
    if (w->over) {
        snprintf(msg, size, "because's words come to more than %d bytes, the most a reason is", DR_MAX_BECAUSE);
        lua_settop(L, top);
        return -1;
    }
    lua_pushlstring(L, w->s, w->n);
    return 0;
}
