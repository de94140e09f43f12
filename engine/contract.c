/* The account contract as one table, built from what rules/ declares
 * (rules/accounts.lua: actions, roles, and each product's fields; see
 * prelude.lua's "Accounts"). Every account has the engine's own fields —
 * id, product, date, locale, action, actor.roles — and those its product
 * declares. From the table come the key lookup of the account reader
 * (account.c), the order in which an account is checked (the fields'
 * order: the engine's, then each product's in the order declared), the
 * messages (each kind says what it wants, each list its values), the
 * command line's actions and the roles a rule may return (output.c).
 *
 * Names are the state's interned Lua strings, kept alive by the keys table
 * in the registry: the reader compares a short string by its address. */
#include <stdio.h>
#include <string.h>

#include "../common/alloc.h"
#include "internal.h"

const char DR_CONTRACT_KEYS_KEY = 'k';

static const struct {
    const char *name;
    int kind;
} kinds[] = {{"text", DR_FK_TEXT}, {"date", DR_FK_DATE}, {"count", DR_FK_COUNT}, {"true or false", DR_FK_BOOL},
             {"money", DR_FK_MONEY}, {"currency", DR_FK_CURRENCY}, {"one of", DR_FK_ONE_OF}};

void dr_contract_push_kinds(lua_State *L) {
    size_t n = sizeof kinds / sizeof *kinds;
    lua_createtable(L, (int)n, 0);
    for (size_t k = 0; k < n; k++) {
        lua_pushstring(L, kinds[k].name);
        lua_rawseti(L, -2, (lua_Integer)k + 1);
    }
}

typedef struct builder {
    lua_State *L;
    dr_contract *c;
    int keys;        /* stack index of the keys table */
    int nwords;      /* its entries after the keys */
    dr_error *err;
    const char *file; /* the declaration being built, for errors */
    int line;
} builder;

/* A name as the state's interned string, anchored in the keys table. */
static const char *intern(builder *b, const char *s, size_t n) {
    const char *p = lua_pushlstring(b->L, s, n);
    lua_rawseti(b->L, b->keys, DR_CONTRACT_KEYS + ++b->nwords);
    return p;
}

static int key_of(builder *b, const char *s, size_t n) {
    dr_contract *c = b->c;
    for (int k = 1; k < c->nkeys; k++)
        if (strlen(c->key[k]) == n && memcmp(c->key[k], s, n) == 0) return k;
    if (n >= DR_ACCOUNT_KEY_LEN)
        return dr_error_set(b->err, DR_ERULE, b->file, b->line, 0, "field name %.*s is longer than %d bytes", (int)n,
                             s, DR_ACCOUNT_KEY_LEN - 1);
    if (c->nkeys >= DR_CONTRACT_KEYS)
        return dr_error_set(b->err, DR_ELIMIT, b->file, b->line, 0, "more than %d field names", DR_CONTRACT_KEYS - 1);
    unsigned char *bl = c->by_len[n];
    size_t i = 0;
    while (bl[i]) i++;
    if (i + 1 >= DR_ACCOUNT_KEYS_PER_LEN)
        return dr_error_set(b->err, DR_ELIMIT, b->file, b->line, 0, "more than %d field names of %zu bytes",
                             DR_ACCOUNT_KEYS_PER_LEN - 1, n);
    int k = c->nkeys++;
    c->key[k] = lua_pushlstring(b->L, s, n);
    lua_rawseti(b->L, b->keys, k);
    bl[i] = (unsigned char)k;
    return k;
}

/* The field key k names in field parent, made (of kind) when there is
 * none yet; -1 with the error set when it cannot be. */
static int field_at(builder *b, int parent, int k, int kind, uint64_t products) {
    dr_contract *c = b->c;
    for (int f = 2; f < c->nfields; f++)
        if (c->field[f].parent == parent && c->field[f].key == k) {
            c->field[f].products |= products;
            return f;
        }
    if (c->nfields >= DR_CONTRACT_FIELDS)
        return dr_error_set(b->err, DR_ELIMIT, b->file, b->line, 0, "more than %d account fields",
                                     DR_CONTRACT_FIELDS - 2);
    int f = c->nfields++;
    dr_cfield *x = &c->field[f];
    memset(x, 0, sizeof *x);
    x->parent = (unsigned char)parent;
    x->key = (unsigned char)k;
    x->kind = (unsigned char)kind;
    x->products = products;
    const char *pp = parent > 1 ? c->field[parent].path : "";
    char path[256];
    snprintf(path, sizeof path, "%s%s%s", pp, *pp ? "." : "", c->key[k]);
    x->path = dr_arena_strdup(c->arena, path);
    return f;
}

/* The field at a dotted path, its containers made as objects; -1 (error
 * set) when a segment is no name or a container is declared otherwise. */
static int field_of_path(builder *b, const char *path, int kind, uint64_t products) {
    int at = 1;
    for (const char *p = path;;) {
        size_t n = strcspn(p, ".");
        for (size_t i = 0; i < n; i++) {
            unsigned char ch = (unsigned char)p[i];
            if (!(ch == '_' || ch == '-' || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')))
                n = 0;
        }
        if (n == 0) {
            return dr_error_set(b->err, DR_ERULE, b->file, b->line, 0,
                                "field %s is not a dotted path of names (letters, digits, _ and -)", path);
        }
        int k = key_of(b, p, n);
        if (k < 0) return k;
        int last = p[n] == '\0';
        int f = field_at(b, at, k, last ? kind : DR_FK_OBJECT, products);
        if (f < 0) return f;
        if (!last && b->c->field[f].kind != DR_FK_OBJECT) {
            return dr_error_set(b->err, DR_ERULE, b->file, b->line, 0, "field %s is inside %s, which is not an object",
                                path, b->c->field[f].path);
        }
        if (last) return f;
        at = f;
        p += n + 1;
    }
}

/* The field a dotted path names, already made, or 0. */
static int field_named(const dr_contract *c, const char *path) {
    int at = 1;
    for (const char *p = path;;) {
        size_t n = strcspn(p, ".");
        int found = 0;
        for (int f = 2; f < c->nfields && !found; f++) {
            const char *k = c->key[c->field[f].key];
            if (c->field[f].parent == at && strlen(k) == n && memcmp(k, p, n) == 0) found = f;
        }
        if (!found || !p[n]) return found;
        at = found;
        p += n + 1;
    }
}

/* A NULL-ended list of the interned strings of the list at index t (an
 * array of strings, or of tables whose "name" is one). */
static const char **words_of(builder *b, int t, size_t *count) {
    lua_State *L = b->L;
    size_t n = (size_t)lua_rawlen(L, t);
    const char **w = dr_arena_calloc(b->c->arena, n + 1, sizeof *w);
    size_t k = 0;
    for (size_t i = 1; i <= n; i++) {
        lua_rawgeti(L, t, (lua_Integer)i);
        if (lua_istable(L, -1)) {
            dr_rawfield(L, -1, "name");
            lua_remove(L, -2);
        }
        size_t len;
        const char *s = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &len) : NULL;
        if (s) w[k++] = intern(b, s, len);
        lua_pop(L, 1);
    }
    if (count) *count = k;
    return w;
}

static const char *sfield(lua_State *L, int t, const char *k) {
    dr_rawfield(L, t, k);
    const char *s = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
    lua_pop(L, 1); /* the table keeps it */
    return s;
}

static void place(builder *b, int t) {
    b->file = sfield(b->L, t, "file");
    dr_rawfield(b->L, t, "line");
    b->line = (int)lua_tointeger(b->L, -1);
    lua_pop(b->L, 1);
}

/* The engine's own fields, every account's. */
static int base_fields(builder *b) {
    static const struct {
        const char *path;
        int kind;
    } own[] = {{"id", DR_FK_ID},         {"product", DR_FK_PRODUCT}, {"date", DR_FK_DATE},
               {"locale", DR_FK_LOCALE}, {"action", DR_FK_ACTION},   {"actor.roles", DR_FK_ROLES}};
    for (size_t i = 0; i < sizeof own / sizeof *own; i++) {
        int f = field_of_path(b, own[i].path, own[i].kind, ~(uint64_t)0);
        if (f < 0) return -1;
        if (own[i].kind == DR_FK_PRODUCT) b->c->product_field = (unsigned char)f;
        if (own[i].kind == DR_FK_DATE) b->c->date_field = (unsigned char)f;
    }
    return 0;
}

/* One product's fields (the list at index t), for product bit. */
static int product_fields(builder *b, int t, int product) {
    lua_State *L = b->L;
    dr_contract *c = b->c;
    uint64_t bit = (uint64_t)1 << product;
    for (lua_Integer i = 1; lua_rawgeti(L, t, i) == LUA_TTABLE; i++) {
        int e = lua_gettop(L);
        const char *path = sfield(L, e, "path"), *kind_name = sfield(L, e, "kind");
        int kind = DR_FK_TEXT;
        for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++)
            if (kind_name && strcmp(kind_name, kinds[k].name) == 0) kind = kinds[k].kind;
        int before = c->nfields;
        int f = field_of_path(b, path ? path : "", kind, bit);
        if (f < 0) return -1;
        dr_cfield *x = &c->field[f];
        size_t nvalues = 0;
        const char **values = NULL;
        if (dr_rawfield(L, e, "values") == LUA_TTABLE) values = words_of(b, lua_gettop(L), &nvalues);
        lua_pop(L, 1);
        if (f < before) {
            /* Another product declared it: one field, one kind, since the
             * reader notes one slot per field whatever the product. */
            int same = x->kind == kind && x->nvalues == nvalues;
            for (size_t k = 0; same && k < nvalues; k++) same = x->values[k] == values[k];
            if (!same)
                return dr_error_set(b->err, DR_ERULE, b->file, b->line, 0,
                                             "field %s is declared otherwise by another product: a field has one kind",
                                             path);
        } else {
            x->values = values;
            x->nvalues = nvalues;
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    /* Then what the fields name: a money's currency, a date's predecessor. */
    for (lua_Integer i = 1; lua_rawgeti(L, t, i) == LUA_TTABLE; i++) {
        int e = lua_gettop(L);
        const char *path = sfield(L, e, "path"), *cur = sfield(L, e, "currency"), *after = sfield(L, e, "after");
        /* prelude.lua checked that both are fields of the product, which the
         * loop above made. */
        int f = field_named(c, path);
        if (cur) {
            int cf = field_named(c, cur);
            if (!cf || c->field[cf].kind != DR_FK_CURRENCY)
                return dr_error_set(b->err, DR_ERULE, b->file, b->line, 0,
                                             "field %s: its currency %s must be of kind currency", path, cur);
            c->field[f].currency = (unsigned char)cf;
        }
        if (after) {
            int af = field_named(c, after);
            if (!af || c->field[af].kind != DR_FK_DATE)
                return dr_error_set(b->err, DR_ERULE, b->file, b->line, 0,
                                             "field %s must follow %s, which is not a date", path, after);
            c->field[f].after = (unsigned char)af;
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return 0;
}

static int products(builder *b, int list) {
    lua_State *L = b->L;
    dr_contract *c = b->c;
    int n = 0;
    for (lua_Integer i = 1; lua_rawgeti(L, list, i) == LUA_TTABLE; i++, n++) {
        int p = lua_gettop(L);
        place(b, p);
        if (n >= DR_CONTRACT_PRODUCTS)
            return dr_error_set(b->err, DR_ELIMIT, b->file, b->line, 0, "more than %d products",
                                         DR_CONTRACT_PRODUCTS);
        size_t len;
        dr_rawfield(L, p, "name");
        const char *name = lua_tolstring(L, -1, &len);
        c->product[n] = intern(b, name, len);
        lua_pop(L, 1);
        dr_rawfield(L, p, "aliases");
        size_t na;
        const char **aliases = words_of(b, lua_gettop(L), &na);
        lua_pop(L, 1);
        for (size_t a = 0; a < na; a++) {
            if (c->nnames >= DR_CONTRACT_PRODUCTS * 2)
                return dr_error_set(b->err, DR_ELIMIT, b->file, b->line, 0, "too many product aliases");
            c->alias[c->nnames] = aliases[a];
            c->alias_of[c->nnames++] = (unsigned char)n;
        }
        dr_rawfield(L, p, "fields");
        if (product_fields(b, lua_gettop(L), n) < 0) return -1;
        lua_pop(L, 2);
    }
    lua_pop(L, 1);
    c->nproducts = n;
    return 0;
}

void dr_contract_free(dr_contract *c) {
    if (!c) return;
    free(c->child);
    dr_arena_free(c->arena);
    free(c);
}

int dr_contract_build(dr_engine *e, dr_error *err) {
    lua_State *L = e->L;
    int top = lua_gettop(L);
    dr_contract *c = dr_xcalloc(1, sizeof *c);
    c->arena = dr_arena_new(4096);
    c->nfields = 2; /* 0: none; 1: the account itself */
    c->field[1].kind = DR_FK_OBJECT;
    c->field[1].path = "";
    c->field[1].products = ~(uint64_t)0;
    c->nkeys = 1;
    lua_newtable(L);
    builder b = {L, c, lua_gettop(L), 0, err, "rules/accounts.lua", 0};
    lua_rawgeti(L, LUA_REGISTRYINDEX, e->module_ref);
    dr_rawfield(L, -1, "decl");
    int decl = lua_gettop(L);
    int rc = base_fields(&b);
    if (rc == 0) {
        dr_rawfield(L, decl, "products");
        rc = products(&b, lua_gettop(L));
    }
    if (rc == 0) {
        dr_rawfield(L, decl, "actions");
        c->actions = words_of(&b, lua_gettop(L), NULL);
        dr_rawfield(L, decl, "roles");
        c->roles = words_of(&b, lua_gettop(L), NULL);
        /* Which field each key names inside each field. */
        c->child = dr_xcalloc((size_t)c->nfields * (size_t)c->nkeys, 1);
        for (int f = 2; f < c->nfields; f++) c->child[c->field[f].parent * c->nkeys + c->field[f].key] = (unsigned char)f;
        for (int f = 2; f < c->nfields; f++) c->field[c->field[f].parent].container = 1;
        for (int f = 2; f < c->nfields; f++)
            if (c->field[f].kind == DR_FK_ID || c->field[f].kind == DR_FK_PRODUCT)
                c->required[f >> 6] |= (uint64_t)1 << (f & 63);
    }
    if (rc != 0) {
        lua_settop(L, top);
        dr_contract_free(c);
        return err->code ? err->code : DR_ERULE;
    }
    lua_pushvalue(L, b.keys);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &DR_CONTRACT_KEYS_KEY);
    lua_settop(L, top);
    dr_contract_free(e->contract);
    e->contract = c;
    return DR_OK;
}

const char *const *dr_engine_actions(const dr_engine *e) {
    static const char *const none[] = {NULL};
    return e->contract && e->contract->actions ? e->contract->actions : none;
}

const char *const *dr_engine_roles(const dr_engine *e) {
    static const char *const none[] = {NULL};
    return e->contract && e->contract->roles ? e->contract->roles : none;
}
