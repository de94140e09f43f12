/* Lua values out as JSON, written straight into a buffer: a decision is
 * written once per account, and building a jansson tree only to dump it
 * cost more than the rules did. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/alloc.h"
#include "../common/utf8.h"
#include "../common/list.h"
#include "internal.h"

#define MAX_DEPTH 64

/* Tables the engine never changes once made (the citation of a fact, the
 * same for every decision under one version of the docs) are written once:
 * each gets a metatable of its own holding a box with its JSON text. (A
 * weak-keyed registry table mapping each to its box held thousands of
 * entries, which the collector walked in every cycle, and each table
 * written was looked up in it: a realistic decision paid some 900
 * instructions and forty cache misses for it.) The metatable says nothing
 * else: reads and writes of the table are as without it, and
 * getmetatable() in a rule gives false. */
static const char CONST_KEY = 'c';
static const char BOX_MT_KEY = 'b';

typedef struct const_box {
    char *s;
    size_t n;
} const_box;

static int box_gc(lua_State *L) {
    const_box *b = lua_touserdata(L, 1);
    free(b->s);
    b->s = NULL;
    return 0;
}

/* Marking allocates the box, so that writing later allocates nothing in
 * Lua and cannot fail there. A table that has a metatable already is left
 * as it is, written each time. */
void dr_const_mark(lua_State *L, int idx) {
    idx = lua_absindex(L, idx);
    if (lua_getmetatable(L, idx)) {
        lua_pop(L, 1);
        return;
    }
    lua_createtable(L, 0, 2);
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    const_box *box = lua_newuserdatauv(L, sizeof *box, 0);
    box->s = NULL;
    box->n = 0;
    if (lua_rawgetp(L, LUA_REGISTRYINDEX, &BOX_MT_KEY) != LUA_TTABLE) {
        lua_pop(L, 1);
        lua_createtable(L, 0, 1);
        lua_pushcfunction(L, box_gc);
        lua_setfield(L, -2, "__gc");
        lua_pushvalue(L, -1);
        lua_rawsetp(L, LUA_REGISTRYINDEX, &BOX_MT_KEY);
    }
    lua_setmetatable(L, -2);
    lua_rawsetp(L, -2, &CONST_KEY);
    lua_setmetatable(L, idx);
}

/* One write: the state and the buffer. */
typedef struct writer {
    lua_State *L;
    dr_buf *b;
    const dr_noted *noted; /* a decision's checked tables, or NULL */
} writer;

static void begin_write(writer *w, lua_State *L, dr_buf *b) {
    w->L = L;
    w->b = b;
    w->noted = NULL;
}

/* The box of a marked table, or NULL for an ordinary one. No allocation. */
static const_box *box_of(const writer *w, int idx) {
    if (!lua_getmetatable(w->L, idx)) return NULL;
    const_box *box = lua_rawgetp(w->L, -1, &CONST_KEY) == LUA_TUSERDATA ? lua_touserdata(w->L, -1) : NULL;
    lua_pop(w->L, 2);
    return box;
}

static inline int json_plain(unsigned char c) { return c >= 0x20 && c < 0x80 && c != '"' && c != '\\'; }

/* As jansson escapes: the two that must be, the short forms, \u00XX for
 * the other control characters; everything else as it is. */
void dr_json_put_string(dr_buf *b, const char *s, size_t n) {
    /* Most strings are plain ASCII: copied as they are. */
    const unsigned char *u = (const unsigned char *)s;
    size_t plain = 0;
    while (plain + DR_ASCII_STEP <= n) {
        size_t k = dr_ascii_prefix(u + plain, '"', '\\');
        plain += k;
        if (k < DR_ASCII_STEP) break;
    }
    while (plain < n && json_plain(u[plain])) plain++;
    if (plain == n) {
        if (b->n + n + 3 > b->cap) dr_buf_grow(b, n + 2);
        b->s[b->n] = '"';
        memcpy(b->s + b->n + 1, s, n);
        b->s[b->n + n + 1] = '"';
        b->n += n + 2;
        b->s[b->n] = '\0';
        return;
    }
    /* The plain ASCII before it needs neither check nor escape. */
    if (!dr_utf8_valid(s + plain, n - plain)) {
        /* A rule may build invalid UTF-8: written with U+FFFD for each bad
         * byte (dr_utf8_repair), the rest of the text kept. */
        char *fixed = dr_xmalloc(3 * n + 1);
        dr_json_put_string(b, fixed, dr_utf8_repair(fixed, s, n, 0));
        free(fixed);
        return;
    }
    dr_buf_put(b, "\"", 1);
    size_t from = 0;
    for (size_t i = plain; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        dr_buf_put(b, s + from, i - from);
        from = i + 1;
        char esc[8];
        switch (c) {
        case '"': dr_buf_put(b, "\\\"", 2); break;
        case '\\': dr_buf_put(b, "\\\\", 2); break;
        case '\b': dr_buf_put(b, "\\b", 2); break;
        case '\f': dr_buf_put(b, "\\f", 2); break;
        case '\n': dr_buf_put(b, "\\n", 2); break;
        case '\r': dr_buf_put(b, "\\r", 2); break;
        case '\t': dr_buf_put(b, "\\t", 2); break;
        default:
            snprintf(esc, sizeof esc, "\\u%04X", c);
            dr_buf_put(b, esc, 6);
        }
    }
    dr_buf_put(b, s + from, n - from);
    dr_buf_put(b, "\"", 1);
}

void dr_json_put_integer(dr_buf *b, lua_Integer v) {
    char d[24];
    int i = (int)sizeof d;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do {
        d[--i] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0) d[--i] = '-';
    dr_buf_put(b, d + i, sizeof d - (size_t)i);
}

/* Shortest-exact is not needed; the same text every time is: %.17g, a
 * ".0" when it would read as an integer, no '+' or leading zeros in the
 * exponent (as jansson wrote it before). */
static void put_real(dr_buf *b, double v) {
    if (!isfinite(v)) {
        dr_buf_put(b, "null", 4);
        return;
    }
    char s[40], o[40];
    snprintf(s, sizeof s, "%.17g", v);
    size_t k = 0;
    int has_point = 0;
    for (const char *p = s; *p; p++) {
        if (*p == '.') has_point = 1;
        if (*p == 'e' || *p == 'E') {
            o[k++] = 'e';
            p++;
            if (*p == '-') o[k++] = *p++;
            else if (*p == '+') p++;
            while (*p == '0' && p[1]) p++;
            while (*p) o[k++] = *p++;
            has_point = 1;
            break;
        }
        o[k++] = *p;
    }
    if (!has_point) {
        o[k++] = '.';
        o[k++] = '0';
    }
    dr_buf_put(b, o, k);
}

/* Nested objects put the fields people look for first, in this order:
 * id, rule, condition, held, compared, message, source, sources, doc, line,
 * anchor, fact, path, value, n, text, amount, currency, when, days,
 * delete_after, channels, until, remaining_charges, term_end, count,
 * locale, version; then the others by name. A key's place is found by its
 * first letter: every key of every table written that is not frozen (a
 * compute's fields, remedies) comes here, and walking the list cost a key
 * about a hundred instructions. */
static int rank(const char *k) {
    switch (k[0]) {
    case 'a': if (strcmp(k, "anchor") == 0) return 10; if (strcmp(k, "amount") == 0) return 16; break;
    case 'c':
        if (strcmp(k, "condition") == 0) return 2;
        if (strcmp(k, "compared") == 0) return 4;
        if (strcmp(k, "currency") == 0) return 17;
        if (strcmp(k, "channels") == 0) return 21;
        if (strcmp(k, "count") == 0) return 25;
        break;
    case 'd':
        if (strcmp(k, "doc") == 0) return 8;
        if (strcmp(k, "days") == 0) return 19;
        if (strcmp(k, "delete_after") == 0) return 20;
        break;
    case 'f': if (strcmp(k, "fact") == 0) return 11; break;
    case 'h': if (strcmp(k, "held") == 0) return 3; break;
    case 'i': if (strcmp(k, "id") == 0) return 0; break;
    case 'l': if (strcmp(k, "line") == 0) return 9; if (strcmp(k, "locale") == 0) return 26; break;
    case 'm': if (strcmp(k, "message") == 0) return 5; break;
    case 'n': if (strcmp(k, "n") == 0) return 14; break;
    case 'p': if (strcmp(k, "path") == 0) return 12; break;
    case 'r': if (strcmp(k, "rule") == 0) return 1; if (strcmp(k, "remaining_charges") == 0) return 23; break;
    case 's': if (strcmp(k, "source") == 0) return 6; if (strcmp(k, "sources") == 0) return 7; break;
    case 't': if (strcmp(k, "text") == 0) return 15; if (strcmp(k, "term_end") == 0) return 24; break;
    case 'u': if (strcmp(k, "until") == 0) return 22; break;
    case 'v': if (strcmp(k, "value") == 0) return 13; if (strcmp(k, "version") == 0) return 27; break;
    case 'w': if (strcmp(k, "when") == 0) return 18; break;
    }
    return 1000;
}

/* A key's value when that is a string, a number or a boolean, noted in
 * the walk that found the key: written from here, it is not looked up
 * again. (The table is on the stack and unchanged while it is written, so
 * a string stays alive.) */
typedef struct noted_value {
    int type; /* the value's Lua type: a table (or other) is looked up */
    int integer;
    lua_Integer i;
    lua_Number d;
    const char *s;
    size_t sn;
} noted_value;

static void note_value(lua_State *L, int v, noted_value *k) {
    switch (k->type = lua_type(L, v)) {
    case LUA_TSTRING: k->s = lua_tolstring(L, v, &k->sn); break;
    case LUA_TNUMBER:
        if ((k->integer = lua_isinteger(L, v))) k->i = lua_tointeger(L, v);
        else k->d = lua_tonumber(L, v);
        break;
    case LUA_TBOOLEAN: k->i = lua_toboolean(L, v); break;
    }
}

void dr_json_key_init(dr_json_key *k, const char *key, size_t len, int at) {
    k->key = key;
    k->len = len;
    k->rank = rank(key);
    k->at = at;
}

/* By rank, then by bytes, the shorter first when one begins the other: as
 * strcmp orders names, and names with a NUL in them too (which strcmp
 * would call equal, leaving them in Lua's order, which changes from run
 * to run). */
int dr_json_key_before(const dr_json_key *x, const dr_json_key *y) {
    if (x->rank != y->rank) return x->rank < y->rank;
    int c = memcmp(x->key, y->key, x->len < y->len ? x->len : y->len);
    return c ? c < 0 : x->len < y->len;
}

/* A table's few keys: insertion, no calls through a comparator. Keys of
 * one table are distinct, so the order is the one qsort would give. */
void dr_json_sort_keys(dr_json_key *k, size_t n) {
    for (size_t i = 1; i < n; i++) {
        dr_json_key x = k[i];
        size_t j = i;
        for (; j > 0 && dr_json_key_before(&x, &k[j - 1]); j--) k[j] = k[j - 1];
        k[j] = x;
    }
}

#define MAX_KEYS DR_JSON_MAX_KEYS

/* Pushes t[key] for a key of t, allocating nothing: writing must work when
 * the state is at its memory cap. A short string is interned, so pushing
 * it finds the key's own; a long one would be a new string, so the table
 * is walked for it instead. */
static void push_field(lua_State *L, int t, const char *key, size_t len) {
    if (len <= DR_LUA_SHORT_STRING) {
        lua_pushlstring(L, key, len);
        lua_rawget(L, t);
        return;
    }
    lua_pushnil(L);
    while (lua_next(L, t)) {
        if (lua_type(L, -2) == LUA_TSTRING && lua_tostring(L, -2) == key) {
            lua_remove(L, -2);
            return;
        }
        lua_pop(L, 1);
    }
    lua_pushnil(L);
}

static void put_value(const writer *w, int idx, int depth);

/* A table is an array when its keys are exactly 1..n (an empty table is
 * an array: the fields that can be empty are lists); an object's string
 * keys are written in a fixed order: Lua's table order changes from run
 * to run, and output that does not cannot be diffed. One walk finds both.
 * The strings stay alive: they are keys of the table, which is on the
 * stack. */
static void put_table(const writer *w, int idx, int depth) {
    lua_State *L = w->L;
    dr_buf *b = w->b;
    dr_json_key keys[MAX_KEYS];
    noted_value vals[MAX_KEYS];
    size_t n = 0;
    lua_Integer len = (lua_Integer)lua_rawlen(L, idx), count = 0;
    int all_integers = 1;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        if (lua_isinteger(L, -2)) {
            count++;
        } else {
            all_integers = 0;
            if (lua_type(L, -2) == LUA_TSTRING && n < MAX_KEYS) {
                size_t kn;
                const char *key = lua_tolstring(L, -2, &kn);
                dr_json_key_init(&keys[n], key, kn, (int)n);
                note_value(L, lua_gettop(L), &vals[n]);
                n++;
            }
        }
        lua_pop(L, 1);
    }
    if (all_integers && count == len) {
        dr_buf_put(b, "[", 1);
        for (lua_Integer i = 1; i <= len; i++) {
            if (i > 1) dr_buf_put(b, ",", 1);
            lua_rawgeti(L, idx, i);
            put_value(w, lua_gettop(L), depth + 1);
            lua_pop(L, 1);
        }
        dr_buf_put(b, "]", 1);
        return;
    }
    dr_json_sort_keys(keys, n);
    dr_buf_put(b, "{", 1);
    for (size_t i = 0; i < n; i++) {
        if (i) dr_buf_put(b, ",", 1);
        const noted_value *k = &vals[keys[i].at];
        dr_json_put_string(b, keys[i].key, keys[i].len);
        dr_buf_put(b, ":", 1);
        switch (k->type) {
        case LUA_TSTRING: dr_json_put_string(b, k->s, k->sn); break;
        case LUA_TNUMBER:
            if (k->integer) dr_json_put_integer(b, k->i);
            else put_real(b, k->d);
            break;
        case LUA_TBOOLEAN:
            if (k->i) dr_buf_put(b, "true", 4);
            else dr_buf_put(b, "false", 5);
            break;
        default:
            push_field(L, idx, keys[i].key, keys[i].len);
            put_value(w, lua_gettop(L), depth + 1);
            lua_pop(L, 1);
        }
    }
    dr_buf_put(b, "}", 1);
}

static void put_value(const writer *w, int idx, int depth) {
    lua_State *L = w->L;
    dr_buf *b = w->b;
    switch (lua_type(L, idx)) {
    case LUA_TNIL: dr_buf_put(b, "null", 4); return;
    case LUA_TBOOLEAN:
        if (lua_toboolean(L, idx)) dr_buf_put(b, "true", 4);
        else dr_buf_put(b, "false", 5);
        return;
    case LUA_TNUMBER:
        if (lua_isinteger(L, idx)) dr_json_put_integer(b, lua_tointeger(L, idx));
        else put_real(b, lua_tonumber(L, idx));
        return;
    case LUA_TSTRING: {
        size_t n;
        const char *s = lua_tolstring(L, idx, &n);
        dr_json_put_string(b, s, n);
        return;
    }
    case LUA_TTABLE: {
        /* Each level needs a few slots; a table too deep to walk is said
         * so, not cut silently. */
        if (depth > MAX_DEPTH || !lua_checkstack(L, 6)) {
            dr_buf_puts(b, "\"(nested too deep)\"");
            return;
        }
        const_box *box = box_of(w, idx);
        if (box && box->s) {
            dr_buf_put(b, box->s, box->n);
            return;
        }
        size_t start = b->n;
        put_table(w, idx, depth);
        if (box) {
            /* Written once, then copied into every decision citing it. */
            box->s = dr_xmalloc(b->n - start);
            memcpy(box->s, b->s + start, b->n - start);
            box->n = b->n - start;
        }
        return;
    }
    default: {
        /* prelude's null: an absent value --explain noted. */
        if (lua_type(L, idx) == LUA_TLIGHTUSERDATA && !lua_touserdata(L, idx)) {
            dr_buf_put(b, "null", 4);
            return;
        }
        const char *t = luaL_typename(L, idx);
        dr_json_put_string(b, t, strlen(t));
    }
    }
}

void dr_json_write(lua_State *L, int idx, dr_buf *b) {
    writer w;
    idx = lua_absindex(L, idx);
    begin_write(&w, L, b);
    put_value(&w, idx, 0);
}

/* The contract's order; other fields (extensions) follow in name order. */
static const char *const order[] = {
    "id", "action", "decision", "error", "channels", "required_roles", "reasons", "remedies",
    "steps", "refund", "support_plan", "data_retention", "reactivation", "remaining", NULL,
};

#define N_ORDER (sizeof order / sizeof *order - 1)
#define EXPLAIN_AT N_ORDER /* explain comes last, after the extensions */

const char *const *dr_decision_contract_fields(void) { return order; }

/* k's place in order[], EXPLAIN_AT for "explain", -1 for any other name.
 * First letters first: this runs for each key of each decision written,
 * and for each field a compute sets. */
static int field_index(const char *k) {
    for (int i = 0; order[i]; i++)
        if (*order[i] == *k && strcmp(order[i], k) == 0) return i;
    return *k == 'e' && strcmp(k, "explain") == 0 ? (int)EXPLAIN_AT : -1;
}

int dr_decision_contract_field(const char *k) {
    int i = field_index(k);
    return i >= 0 && i < (int)EXPLAIN_AT;
}

/* The value at at of the decision's field k: as it was checked when that
 * table is one a rule's function or a compute returned (output.c's check,
 * through dr_noted_begin and dr_noted_end),
 * the last checked first; else as it is. */
static void put_field(const writer *w, int at, const char *k) {
    const dr_noted *nt = w->noted;
    if (nt && nt->n && lua_type(w->L, at) == LUA_TTABLE) {
        const void *t = lua_topointer(w->L, at);
        size_t kn = strlen(k);
        for (size_t i = nt->n; i-- > 0;) {
            const dr_noted_field *f = &nt->f[i];
            if (f->table == t && f->key_len == kn && memcmp(nt->text.s + f->key, k, kn) == 0) {
                dr_buf_put(w->b, nt->text.s + f->json, f->json_len);
                return;
            }
        }
    }
    put_value(w, at, 0);
}

/* "k": the value at at (an absolute index), unless it is nil. */
static void put_member(const writer *w, int at, const char *k, int *first) {
    if (lua_isnil(w->L, at)) return;
    dr_buf_put(w->b, *first ? "\"" : ",\"", *first ? 1 : 2);
    dr_buf_puts(w->b, k);
    dr_buf_put(w->b, "\":", 2);
    put_field(w, at, k);
    *first = 0;
}

/* Whether a query with these fields writes the decision's field k, at i
 * in order[] (field_index): the choice dr_decision_write makes, and what
 * the checks note for it (explain is always written). */
static int wanted_at(const dr_fields *fields, const char *k, int i) {
    if (i == (int)EXPLAIN_AT || !fields->spec) return 1;
    if (i >= 0) return (fields->mask >> i) & 1u;
    return !fields->all_known && dr_list_has(fields->spec, k);
}

static int wanted(const dr_fields *fields, const char *k) {
    return !fields->spec || wanted_at(fields, k, field_index(k));
}

dr_buf *dr_noted_begin(dr_engine *e, lua_State *L, int v, const char *key) {
    if (lua_type(L, v) != LUA_TTABLE || !wanted(&e->fields, key)) return NULL;
    dr_noted *nt = &e->noted;
    if (nt->n == nt->cap) {
        nt->cap = nt->cap ? 2 * nt->cap : 8;
        nt->f = dr_xrealloc(nt->f, nt->cap * sizeof *nt->f);
    }
    dr_noted_field *f = &nt->f[nt->n];
    f->key = nt->text.n;
    f->key_len = strlen(key);
    dr_buf_put(&nt->text, key, f->key_len);
    f->json = nt->text.n;
    return &nt->text;
}

void dr_noted_end(dr_engine *e, lua_State *L, int v, int ok) {
    dr_noted *nt = &e->noted;
    dr_noted_field *f = &nt->f[nt->n];
    if (!ok) {
        nt->text.n = f->key; /* (the decision is an error: nothing of it is written) */
        return;
    }
    f->table = lua_topointer(L, v);
    f->json_len = nt->text.n - f->json;
    if (!nt->anchors) {
        lua_newtable(L);
        nt->anchors = luaL_ref(L, LUA_REGISTRYINDEX);
    }
    lua_rawgeti(L, LUA_REGISTRYINDEX, nt->anchors);
    lua_pushvalue(L, v);
    lua_rawseti(L, -2, (lua_Integer)++nt->n);
    lua_pop(L, 1);
}

void dr_noted_clear(dr_engine *e) {
    dr_noted *nt = &e->noted;
    lua_State *L = e->L;
    if (nt->n) {
        lua_rawgeti(L, LUA_REGISTRYINDEX, nt->anchors);
        for (size_t i = 1; i <= nt->n; i++) {
            lua_pushnil(L);
            lua_rawseti(L, -2, (lua_Integer)i);
        }
        lua_pop(L, 1);
    }
    nt->n = 0;
    nt->text.n = 0;
    /* One big decision does not keep its memory for the engine's life
     * (a service's engine lives for days). */
    if (nt->text.cap > ((size_t)1 << 20)) {
        free(nt->text.s);
        nt->text = (dr_buf){0};
    }
}

/* Whether the n bytes at k name a field of order[], or explain. */
static int ordered(const char *k, size_t n, void *ctx) {
    (void)ctx;
    if (n == 7 && strncmp(k, "explain", 7) == 0) return 1;
    for (const char *const *o = order; *o; o++)
        if (strlen(*o) == n && strncmp(*o, k, n) == 0) return 1;
    return 0;
}

void dr_fields_parse(dr_fields *f, const char *spec) {
    f->spec = spec;
    f->mask = 0;
    for (int i = 0; order[i]; i++)
        if (dr_list_has(spec, order[i])) f->mask |= 1u << i;
    f->reasons = dr_list_has(spec, "reasons");
    /* The language used is the steps', so asking it makes them. */
    f->steps = dr_list_has(spec, "steps") || dr_list_has(spec, "locale_used") || dr_list_has(spec, "locale_asked");
    /* Extensions are looked for only when the list names a field not in
     * the order (or names none, which is every field). */
    size_t n;
    f->all_known = spec != NULL && !dr_list_unknown(spec, ordered, NULL, &n);
}

void dr_verdict_write(lua_State *L, const dr_verdict *v, const dr_fields *fields, dr_buf *b) {
    int first = 1;
    writer w;
    begin_write(&w, L, b);
    dr_buf_put(b, "{", 1);
    for (int i = 0; order[i]; i++) {
        if (!(fields->mask & (1u << i))) continue;
        int at = 0;
        switch (i) {
        case 0: at = v->id; break;
        case 1: at = v->action; break;
        case 2: at = v->decision; break;
        case 4: at = v->channels; break;
        case 5: at = v->required_roles; break;
        }
        if (at) put_member(&w, lua_absindex(L, at), order[i], &first);
    }
    dr_buf_put(b, "}", 1);
}

/* An extension field found in the walk: its name, and where its value
 * was left on the stack. */
typedef struct extension {
    const char *key;
    int at;
} extension;

static int cmp_extension(const void *a, const void *b) {
    return strcmp(((const extension *)a)->key, ((const extension *)b)->key);
}

/* The outcome's three are order[0..2]: id, action, decision. */
#define OUTCOME_FIELDS 3

static void note(lua_State *L, int at, const char *outcome[3], size_t i) {
    if (outcome && i < OUTCOME_FIELDS) outcome[i] = lua_type(L, at) == LUA_TSTRING ? lua_tostring(L, at) : NULL;
}

/* One walk over the decision's keys finds the contract's fields, the
 * extensions and explain, each value left in a stack slot of its own;
 * then they are written in the contract's order. (Looking up each of the
 * contract's fifteen names and then walking the table again for the
 * extensions cost a realistic decision some three thousand instructions.)
 * The decision is a plain table made by decide(): a key's value is its
 * raw value. */
void dr_decision_write(lua_State *L, int idx, const dr_fields *fields, const dr_noted *noted, dr_buf *b,
                       const char *outcome[3]) {
    idx = lua_absindex(L, idx);
    int first = 1;
    writer w;
    begin_write(&w, L, b);
    w.noted = noted;
    for (size_t i = 0; outcome && i < OUTCOME_FIELDS; i++) outcome[i] = NULL;
    if (fields->all_known) {
        /* A few fields asked, none an extension: each looked up, rather
         * than every key of the decision walked (and the outcome's,
         * asked or not). */
        dr_buf_put(b, "{", 1);
        for (size_t i = 0; i <= N_ORDER; i++) {
            const char *k = i < N_ORDER ? order[i] : "explain";
            int asked = wanted_at(fields, k, (int)i);
            if (!asked && !(outcome && i < OUTCOME_FIELDS)) continue;
            lua_pushstring(L, k);
            lua_rawget(L, idx);
            note(L, -1, outcome, i);
            if (asked) put_member(&w, lua_gettop(L), k, &first);
            lua_pop(L, 1);
        }
        dr_buf_put(b, "}", 1);
        return;
    }
    /* A stack that cannot grow (the state at its memory cap) keeps fewer
     * extensions rather than none of the decision. */
    size_t room = lua_checkstack(L, (int)N_ORDER + MAX_KEYS + 4) ? MAX_KEYS : 0;
    if (!room && !lua_checkstack(L, (int)N_ORDER + 4)) {
        dr_buf_puts(b, "{\"decision\":\"error\",\"error\":\"out of memory writing the decision\"}");
        return;
    }
    int base = lua_gettop(L); /* base + 1 + i: order[i]'s value; explain's last */
    for (size_t i = 0; i <= N_ORDER; i++) lua_pushnil(L);
    extension extra[MAX_KEYS];
    size_t n = 0;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        if (lua_type(L, -2) != LUA_TSTRING) {
            lua_pop(L, 1);
            continue;
        }
        const char *k = lua_tostring(L, -2);
        int i = field_index(k);
        if (i >= 0) note(L, -1, outcome, (size_t)i);
        int asked = wanted_at(fields, k, i);
        if (i >= 0 && asked) {
            lua_replace(L, base + 1 + i);
        } else if (i < 0 && asked && n < room) {
            /* kept under the key, which lua_next needs on top */
            lua_insert(L, -2);
            extra[n].key = k;
            extra[n].at = lua_gettop(L) - 1;
            n++;
        } else {
            lua_pop(L, 1);
        }
    }
    dr_buf_put(b, "{", 1);
    for (size_t i = 0; i < N_ORDER; i++) put_member(&w, base + 1 + (int)i, order[i], &first);
    qsort(extra, n, sizeof *extra, cmp_extension);
    for (size_t i = 0; i < n; i++) {
        if (lua_isnil(L, extra[i].at)) continue;
        if (!first) dr_buf_put(b, ",", 1);
        dr_json_put_string(b, extra[i].key, strlen(extra[i].key));
        dr_buf_put(b, ":", 1);
        put_field(&w, extra[i].at, extra[i].key);
        first = 0;
    }
    put_member(&w, base + 1 + (int)EXPLAIN_AT, "explain", &first);
    dr_buf_put(b, "}", 1);
    lua_settop(L, base);
}

/* Appends ".k" or "[i]" for the key on top of the stack to path (len
 * bytes used of cap); a path too long ends in "...". */
static size_t child_path(lua_State *L, char *path, size_t cap, size_t len) {
    int n;
    if (lua_type(L, -1) == LUA_TSTRING)
        n = snprintf(path + len, cap - len, ".%s", lua_tostring(L, -1));
    else
        n = snprintf(path + len, cap - len, "[%lld]", (long long)lua_tointeger(L, -1));
    if (n < 0 || (size_t)n >= cap - len) { /* the parent's path kept whole, "..." for the child */
        if (len + 4 > cap) {
            path[len] = '\0';
            return len;
        }
        memcpy(path + len, "...", 4);
        return len + 3;
    }
    return len + (size_t)n;
}

/* A key that is neither a name nor a list's position, in words. */
static void key_said(lua_State *L, int k, char *out, size_t size) {
    switch (lua_type(L, k)) {
    case LUA_TNUMBER:
        if (lua_isinteger(L, k)) snprintf(out, size, "%lld", (long long)lua_tointeger(L, k));
        else snprintf(out, size, "%.14g", lua_tonumber(L, k));
        break;
    case LUA_TBOOLEAN: snprintf(out, size, "%s", lua_toboolean(L, k) ? "true" : "false"); break;
    default: snprintf(out, size, "a %s", luaL_typename(L, k));
    }
}

/* Values a case may hold, counted as written: a table met twice is
 * written twice, and a list of itself nested forty times over is 2^40. */
#define PROBLEM_VALUES 100000

static int json_problem(lua_State *L, int v, char *path, size_t cap, size_t len, int depth, long *left, char *out,
                        size_t size) {
    if (--*left < 0) {
        snprintf(out, size, "%s: more than %d values in all", path, PROBLEM_VALUES);
        return 1;
    }
    switch (lua_type(L, v)) {
    case LUA_TBOOLEAN: return 0;
    case LUA_TSTRING: {
        size_t n;
        const char *s = lua_tolstring(L, v, &n);
        if (dr_utf8_valid(s, n)) return 0;
        snprintf(out, size, "%s is not UTF-8 text", path);
        return 1;
    }
    case LUA_TNUMBER: {
        if (lua_isinteger(L, v)) return 0;
        double d = lua_tonumber(L, v);
        if (d == d && !isinf(d)) return 0;
        snprintf(out, size, "%s is %s, no JSON number", path, d != d ? "NaN (0/0)" : d > 0 ? "inf" : "-inf");
        return 1;
    }
    case LUA_TTABLE: break;
    default:
        snprintf(out, size, "%s is a %s, which JSON cannot hold", path, luaL_typename(L, v));
        return 1;
    }
    if (depth > MAX_DEPTH || !lua_checkstack(L, 4)) {
        snprintf(out, size, "%s is nested more than %d deep", path, MAX_DEPTH);
        return 1;
    }
    if (lua_getmetatable(L, v)) {
        lua_pop(L, 1);
        snprintf(out, size, "%s has a metatable: plain tables only", path);
        return 1;
    }
    lua_Unsigned n = lua_rawlen(L, v);
    size_t count = 0, names = 0;
    lua_pushnil(L);
    while (lua_next(L, v)) {
        count++;
        if (lua_type(L, -2) == LUA_TSTRING) {
            size_t kn;
            const char *k = lua_tolstring(L, -2, &kn);
            if (!dr_utf8_valid(k, kn)) {
                lua_pop(L, 2);
                snprintf(out, size, "%s has a name that is not UTF-8 text", path);
                return 1;
            }
            names++;
        } else if (!lua_isinteger(L, -2) || lua_tointeger(L, -2) < 1 || (lua_Unsigned)lua_tointeger(L, -2) > n) {
            char k[64];
            key_said(L, lua_gettop(L) - 1, k, sizeof k);
            lua_pop(L, 2);
            snprintf(out, size, "%s has the key %s: a list counts from 1 with no holes, an object has names", path, k);
            return 1;
        }
        lua_pop(L, 1);
    }
    const char *wrong = names && names < count ? "mixes a list and names"
                        : !names && count != n ? "is a list with holes: a list counts from 1 with no holes"
                                               : NULL;
    if (wrong) {
        snprintf(out, size, "%s %s", path, wrong);
        return 1;
    }
    if (names > MAX_KEYS) {
        snprintf(out, size, "%s has %zu names, more than an object holds (%d)", path, names, MAX_KEYS);
        return 1;
    }
    lua_pushnil(L);
    while (lua_next(L, v)) {
        lua_pushvalue(L, -2);
        size_t at = child_path(L, path, cap, len);
        lua_pop(L, 1);
        int bad = json_problem(L, lua_gettop(L), path, cap, at, depth + 1, left, out, size);
        path[len] = '\0';
        lua_pop(L, 1);
        if (bad) {
            lua_pop(L, 1);
            return 1;
        }
    }
    return 0;
}

int dr_json_problem(lua_State *L, int idx, const char *name, char *out, size_t size) {
    char path[200];
    snprintf(path, sizeof path, "%s", name);
    long left = PROBLEM_VALUES;
    /* depth from 0, as the writer counts it */
    return json_problem(L, lua_absindex(L, idx), path, sizeof path, strlen(path), 0, &left, out, size);
}
