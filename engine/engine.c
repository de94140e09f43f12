/* Building engines, and one decision. */
#include <inttypes.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "../common/alloc.h"
#include "../common/arena.h"
#include "../common/lang.h"
#include "../common/list.h"
#include "internal.h"
#include "../bundle/bundle.h"

const dr_catalog *dr_engine_catalog(const dr_engine *e) { return e->cat; }
const dr_factset *dr_engine_factset(const dr_engine *e) { return e->fs; }
const char *dr_engine_revision(const dr_engine *e) { return e->revision; }

static dr_engine *alloc_engine(const char *rules_dir, long max_instr, size_t max_mem,
                               const char *today) {
    /* Written by every decision: lines of its own (common/alloc.h). */
    dr_engine *e = dr_xcalloc_lines(sizeof *e);
    e->rules_dir = dr_xstrdup(rules_dir);
    e->max_instructions = max_instr > 0 ? max_instr : DR_DEFAULT_MAX_INSTRUCTIONS;
    e->max_memory = max_mem > 0 ? max_mem : DR_DEFAULT_MAX_MEMORY;
    if (today) {
        snprintf(e->today, sizeof e->today, "%s", today);
    } else {
        time_t t = time(NULL);
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(e->today, sizeof e->today, "%Y-%m-%d", &tm);
    }
    return e;
}

static int engine_new(const dr_engine_opts *o, dr_bundle *bundle, dr_engine **out, dr_error *err) {
    *out = NULL;
    dr_engine *e = alloc_engine(o->rules_dir ? o->rules_dir : "rules", o->max_instructions, o->max_memory, o->today);
    int rc;
    if (bundle) {
        e->bundle = bundle;
        rc = dr_engine_load_bundle(e, err);
    } else {
        /* A root keeps its scripts' text: forks load the same, and a bundle
         * written of it holds what was loaded. */
        e->keep_sources = e->sources_owned = 1;
        rc = dr_state_open(e, err);
        if (rc == DR_OK) rc = dr_state_load_dir(e, e->rules_dir, 0, err);
        e->keep_sources = 0;
        if (rc == DR_OK) rc = dr_catalog_from_decl(e, &e->cat, err);
        if (rc == DR_OK) rc = dr_lexicons_load(e, e->cat, err);
        dr_factset_opts fo = {0, o->corpus_label};
        if (rc == DR_OK) rc = dr_factset_load(e->cat, o->corpus, o->ncorpus, &fo, &e->fs, err);
        if (rc == DR_OK) dr_engine_set_revision(e, dr_factset_content_hash(e->fs));
    }
    if (rc != DR_OK) {
        e->bundle = NULL; /* the caller's again (dr_engine_new_from_bundle) */
        dr_engine_free(e);
        return rc;
    }
    *out = e;
    return DR_OK;
}

int dr_engine_new(const dr_engine_opts *o, dr_engine **out, dr_error *err) { return engine_new(o, NULL, out, err); }

int dr_engine_new_from_bundle(const dr_engine_opts *o, dr_bundle *b, dr_engine **out, dr_error *err) {
    return engine_new(o, b, out, err);
}

int dr_engine_fork(const dr_engine *parent, dr_engine **out, dr_error *err) {
    *out = NULL;
    dr_engine *e = alloc_engine(parent->rules_dir, parent->max_instructions, parent->max_memory,
                                parent->today);
    if (!e) return dr_error_set(err, DR_ELIMIT, NULL, 0, 0, "out of memory");
    e->parent = parent;
    e->cat = parent->cat;
    e->fs = parent->fs;
    memcpy(e->revision, parent->revision, sizeof e->revision);
    /* The root's scripts as it loaded them, not the files again: every
     * engine of a rule set runs the same rules. */
    e->sources = parent->sources;
    e->nsources = parent->nsources;
    int rc = dr_state_open(e, err);
    if (rc == DR_OK) rc = dr_state_load_sources(e, e->sources, e->nsources, err);
    if (rc != DR_OK) {
        dr_engine_free(e);
        return rc;
    }
    *out = e;
    return DR_OK;
}

const dr_source *dr_engine_sources(const dr_engine *e, size_t *n) {
    *n = e->nsources;
    return e->sources;
}

void dr_engine_hashes(const dr_engine *e, int *has_lexicons, uint64_t *lexicons, uint64_t *docs) {
    const dr_engine *r = e->parent ? e->parent : e;
    *has_lexicons = r->has_lexicons;
    *lexicons = r->lexicon_hash;
    *docs = r->docs_hash;
}

const char *dr_engine_rules_dir(const dr_engine *e) { return e->rules_dir; }

const char *dr_engine_today(const dr_engine *e) { return e->today; }

int dr_engine_field_known(dr_engine *e, const char *k) {
    if (dr_decision_field(k)) return 1;
    lua_State *L = e->L;
    lua_rawgeti(L, LUA_REGISTRYINDEX, e->module_ref);
    lua_getfield(L, -1, "decl");
    lua_getfield(L, -1, "added");
    lua_getfield(L, -1, k);
    int known = lua_toboolean(L, -1);
    lua_pop(L, 4);
    return known;
}

static int cmp_cstr(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

void dr_engine_fields_said(dr_engine *e, char *buf, size_t size) {
    size_t n = dr_decision_fields_said(buf, size);
    lua_State *L = e->L;
    lua_rawgeti(L, LUA_REGISTRYINDEX, e->module_ref);
    lua_getfield(L, -1, "decl");
    lua_getfield(L, -1, "added");
    /* In name order, as a message should be the same every time. */
    const char *names[64];
    size_t k = 0;
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        lua_pop(L, 1);
        if (lua_type(L, -1) == LUA_TSTRING && k < sizeof names / sizeof *names) names[k++] = lua_tostring(L, -1);
    }
    qsort(names, k, sizeof *names, cmp_cstr);
    for (size_t i = 0; i < k && n < size; i++) n += (size_t)snprintf(buf + n, size - n, ", %s", names[i]);
    lua_pop(L, 3);
}

/* A language once in a list of at most max, kept as "xx" (its primary
 * subtag, lower case, NUL-ended in 9 bytes). */
static size_t add_language(char (*list)[9], size_t n, size_t max, const char *tag) {
    size_t k = dr_lang_primary(tag);
    if (k == 0 || k > 8) return n;
    char l[9];
    for (size_t i = 0; i < k; i++) l[i] = (char)tolower((unsigned char)tag[i]);
    l[k] = '\0';
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i], l) == 0) return n;
    if (n < max) memcpy(list[n++], l, sizeof l);
    return n;
}

static int cmp_language(const void *a, const void *b) { return strcmp(a, b); }

int dr_engine_language_known(const dr_engine *e, const char *tag, char *langs, size_t size) {
    /* The languages docrules can answer in: those of the corpus's docs and
     * those a lexicon teaches (rules/lexicons), where a fallback is the
     * honest answer; any other is a typo. */
    char list[128][9];
    size_t n = 0, max = sizeof list / sizeof *list;
    size_t nloc;
    const char *const *loc = dr_factset_locales(dr_engine_factset(e), &nloc);
    for (size_t i = 0; i < nloc; i++) n = add_language(list, n, max, loc[i]);
    const dr_catalog *cat = dr_engine_catalog(e);
    for (size_t i = 0, nl = dr_catalog_lexicon_count(cat); i < nl; i++)
        n = add_language(list, n, max, dr_catalog_lexicon_lang(cat, i));
    qsort(list, n, sizeof *list, cmp_language);
    char want[9];
    size_t k = dr_lang_primary(tag), used = 0;
    snprintf(want, sizeof want, "%.*s", (int)(k < sizeof want ? k : 0), tag);
    for (char *c = want; *c; c++) *c = (char)tolower((unsigned char)*c);
    int known = 0;
    if (size) langs[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        known |= strcmp(list[i], want) == 0;
        if (used < size) used += (size_t)snprintf(langs + used, size - used, "%s%s", i ? ", " : "", list[i]);
    }
    return known;
}

void dr_engine_free(dr_engine *e) {
    if (!e) return;
    dr_state_close(e);
    if (!e->parent) {
        dr_factset_free(e->fs);
        dr_catalog_free(e->cat);
        if (e->sources_owned) dr_sources_free(e->sources, e->nsources);
        dr_bundle_free(e->bundle);
    }
    free(e->rules_dir);
    free(e->q_fields);
    free(e->account_warnings.s);
    free(e->noted.text.s);
    free(e->noted.f);
    free(e);
}

/* The frames of a traceback that are the rule scripts', one a line, into
 * out: the rule language's own (prelude, C, tail calls) tell an author
 * nothing, and name files that are not theirs. Empty when there are none. */
static void authors_frames(const char *tb, char *out, size_t size) {
    size_t n = 0;
    out[0] = '\0';
    for (const char *p = tb; *p;) {
        while (*p == '\n' || *p == '\t') p++;
        if (!*p) break;
        size_t len = strcspn(p, "\n");
        if (strncmp(p, "[C]", 3) != 0 && strncmp(p, "prelude:", 8) != 0 && strncmp(p, "(...tail calls...)", 18) != 0 &&
            n + len + 2 < size) {
            n += (size_t)snprintf(out + n, size - n, "%s\t%.*s", n ? "\n" : "", (int)len, p);
        }
        p += len;
    }
}

/* An error decision: the rule's file:line first, the traceback (where Lua
 * gave one) apart. Written without allocating in Lua, which may be the
 * very thing that failed. */
static void error_decision(lua_State *L, int id_at, const char *action, const char *msg,
                           dr_buf *out) {
    dr_buf_put(out, "{", 1);
    if (lua_type(L, id_at) == LUA_TSTRING) {
        size_t n;
        const char *id = lua_tolstring(L, id_at, &n);
        dr_buf_puts(out, "\"id\":");
        dr_json_put_string(out, id, n);
        dr_buf_put(out, ",", 1);
    }
    dr_buf_puts(out, "\"action\":");
    dr_json_put_string(out, action, strlen(action));
    dr_buf_puts(out, ",\"decision\":\"error\",\"error\":");
    const char *tb = strstr(msg, "\nstack traceback:");
    dr_json_put_string(out, msg, tb ? (size_t)(tb - msg) : strlen(msg));
    char frames[2048];
    if (tb) authors_frames(tb + 18, frames, sizeof frames);
    if (tb && frames[0]) {
        dr_buf_puts(out, ",\"traceback\":");
        dr_json_put_string(out, frames, strlen(frames));
    }
    dr_buf_put(out, "}", 1);
}

/* Whether the query table already holds v (NULL: nothing) for a field. */
static int same(const char *v, const char *last, size_t size) {
    if (v && strlen(v) >= size) v = NULL; /* not a value anyone could ask for */
    return v ? last[0] && strcmp(v, last) == 0 : !last[0];
}

static void remember(const char *v, char *last, size_t size) {
    snprintf(last, size, "%s", v && strlen(v) < size ? v : "");
}

typedef struct qvalues {
    dr_engine *e;
    const char *action, *as_of, *locale;
    int explain, brief, no_steps;
} qvalues;

static void set_field(lua_State *L, const char *k, const char *v) {
    if (v && *v) lua_pushstring(L, v);
    else lua_pushnil(L);
    lua_setfield(L, 1, k);
}

/* Protected: setting a field can allocate. */
static int update_query(lua_State *L) {
    qvalues *v = lua_touserdata(L, 1);
    dr_engine *e = v->e;
    lua_settop(L, 0);
    if (!e->query_ref) {
        lua_createtable(L, 0, 8);
        lua_pushvalue(L, 1);
        e->query_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    } else {
        lua_rawgeti(L, LUA_REGISTRYINDEX, e->query_ref);
    }
    set_field(L, "action", v->action);
    set_field(L, "as_of", v->as_of);
    set_field(L, "locale", v->locale);
    lua_pushboolean(L, v->explain);
    lua_setfield(L, 1, "explain");
    lua_pushboolean(L, v->brief);
    lua_setfield(L, 1, "brief");
    lua_pushboolean(L, v->no_steps);
    lua_setfield(L, 1, "no_steps");
    return 0;
}

/* The query table: the day, and what the caller fixed over the account's
 * own fields (action, language). Rewritten only when it changes, which in
 * a batch is never. */
static int push_query(dr_engine *e, const dr_query *q, dr_error *err) {
    lua_State *L = e->L;
    char loc[40] = "";
    if (q && q->locale) {
        snprintf(loc, sizeof loc, "%s", q->locale);
        for (char *p = loc; *p; p++)
            if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
    }
    /* e->fields holds the query's list, parsed. */
    qvalues v = {e, q ? q->action : NULL, q && q->as_of ? q->as_of : e->today, loc,
                 q && (q->explain || q->coverage), !e->fields.reasons, !e->fields.steps};
    if (!e->q_set || !same(v.action, e->q_action, sizeof e->q_action) ||
        !same(v.as_of, e->q_as_of, sizeof e->q_as_of) ||
        !same(loc[0] ? loc : NULL, e->q_locale, sizeof e->q_locale) || v.explain != e->q_explain ||
        v.brief != e->q_brief || v.no_steps != e->q_no_steps) {
        lua_pushcfunction(L, update_query);
        lua_pushlightuserdata(L, &v);
        if (lua_pcall(L, 1, 0, 0) != LUA_OK) {
            lua_pop(L, 1);
            e->q_set = 0;
            return dr_error_set(err, DR_ELIMIT, NULL, 0, 0, "out of memory (--max-memory)");
        }
        remember(v.action, e->q_action, sizeof e->q_action);
        remember(v.as_of, e->q_as_of, sizeof e->q_as_of);
        e->env_ok = 0; /* the envelope's head names the day */
        remember(loc, e->q_locale, sizeof e->q_locale);
        e->q_explain = v.explain;
        e->q_brief = v.brief;
        e->q_no_steps = v.no_steps;
        e->q_set = 1;
        dr_lean_query_changed(e);
    }
    lua_rawgeti(L, LUA_REGISTRYINDEX, e->query_ref);
    return DR_OK;
}

/* The language of a decision's steps: the first step's doc's, or NULL. */
static const char *steps_locale(lua_State *L, int dec) {
    const char *loc = NULL;
    if (dr_rawfield(L, dec, "steps") == LUA_TTABLE && lua_rawgeti(L, -1, 1) == LUA_TTABLE &&
        dr_rawfield(L, -1, "source") == LUA_TTABLE && dr_rawfield(L, -1, "locale") == LUA_TSTRING)
        loc = lua_tostring(L, -1); /* stays on the stack, which the caller resets */
    return loc;
}

static void put_text_field(dr_buf *out, int *first, const char *k, const char *v) {
    dr_buf_puts(out, *first ? "\"" : ",\"");
    dr_buf_puts(out, k);
    dr_buf_puts(out, "\":");
    dr_json_put_string(out, v, strlen(v));
    *first = 0;
}

/* as_of and revision, as the list asks them: written once a query and
 * copied into each decision (formatting them each time cost a decision
 * some seven hundred instructions). With a leading comma; empty when the
 * list asks neither. Made again when the day, the list or the revision
 * changes (env_ok cleared there). A library caller's as_of is not
 * checked to be a date: at its 15 bytes each escaped as \u00XX, with the
 * 16 of the revision and the names, the head still fits. */
_Static_assert(sizeof ",\"as_of\":\"\"" - 1 + 15 * 6 + sizeof ",\"revision\":\"\"" - 1 + 16 <=
                   sizeof ((dr_engine *)0)->env_head,
               "the envelope's head fits env_head");
static void put_envelope_head(dr_engine *e, dr_buf *out, int *first) {
    if (!e->env_ok) {
        dr_buf b = {0};
        int none = 0; /* put_text_field's "first": never, so each has its comma */
        if (dr_list_has(e->fields.spec, "as_of")) put_text_field(&b, &none, "as_of", e->q_as_of);
        if (dr_list_has(e->fields.spec, "revision")) put_text_field(&b, &none, "revision", e->revision);
        memcpy(e->env_head, b.n ? b.s : "", b.n);
        e->env_head_n = b.n;
        e->env_ok = 1;
        free(b.s);
    }
    if (!e->env_head_n) return;
    dr_buf_put(out, e->env_head + (*first ? 1 : 0), e->env_head_n - (*first ? 1 : 0));
    *first = 0;
}

/* What every decision carries, whichever path wrote it (lean, decide() or
 * an error): the day whose policy applied, the revision of the rules and
 * docs, and the language used (the steps', else the one asked, else
 * en-us), with the one asked when they differ. Appended to the object
 * written from mark, and only the fields --fields names. */
static void put_envelope(dr_engine *e, lua_State *L, int locale_at, int dec, const dr_query *q, dr_buf *out,
                         size_t mark) {
    const char *spec = e->fields.spec;
    if (out->n <= mark || out->s[out->n - 1] != '}') return;
    out->n--;
    int first = out->n - mark == 1; /* "{" alone: nothing before */
    char asked[40] = "";
    const char *a = q && q->locale ? q->locale : NULL;
    if (!a && lua_type(L, locale_at) == LUA_TSTRING) a = lua_tostring(L, locale_at);
    /* As the docs write tags: lower case, '-' (zh_TW is zh-tw, which the
     * steps were read in; "none in zh_tw" would be a fallback that was not). */
    if (a && strlen(a) < sizeof asked)
        for (size_t i = 0; (asked[i] = a[i] == '_' ? '-' : (char)tolower((unsigned char)a[i])) != '\0'; i++) {}
    const char *s = dec ? steps_locale(L, dec) : NULL;
    const char *used = s ? s : asked[0] ? asked : DR_DEFAULT_LOCALE;
    put_envelope_head(e, out, &first);
    if (dr_list_has(spec, "locale_used")) put_text_field(out, &first, "locale_used", used);
    if (asked[0] && strcmp(asked, used) != 0 && dr_list_has(spec, "locale_asked"))
        put_text_field(out, &first, "locale_asked", asked);
    const dr_buf *w = &e->account_warnings;
    if (w->n && dr_list_has(spec, "warnings")) {
        dr_buf_puts(out, first ? "\"warnings\":[" : ",\"warnings\":[");
        dr_buf_put(out, w->s, w->n);
        dr_buf_put(out, "]", 1);
    }
    dr_buf_put(out, "}", 1);
}

void dr_engine_add_lexicon_hash(dr_engine *e, uint64_t h) {
    e->has_lexicons = 1;
    e->lexicon_hash = h;
    e->script_hash = dr_hash(e->script_hash, &h, sizeof h);
}

void dr_engine_set_revision(dr_engine *e, uint64_t docs_hash) {
    e->docs_hash = docs_hash;
    snprintf(e->revision, sizeof e->revision, "%016" PRIx64, dr_hash(e->script_hash, &docs_hash, sizeof docs_hash));
    e->env_ok = 0;
}

/* Every decision notes its outcome, at the cost of three pointers: the
 * service's metrics and log read it instead of parsing each answer back. */
void dr_engine_note_outcome(dr_engine *e, int id, int action, int decision) {
    const int at[3] = {id, action, decision};
    for (int i = 0; i < 3; i++)
        e->outcome[i] = at[i] && lua_type(e->L, at[i]) == LUA_TSTRING ? lua_tostring(e->L, at[i]) : NULL;
}

void dr_engine_outcome(const dr_engine *e, const char **decision, const char **action, const char **id) {
    if (decision) *decision = e->outcome[2];
    if (action) *action = e->outcome[1];
    if (id) *id = e->outcome[0];
}

int dr_engine_decide_buf(dr_engine *e, const char *text, size_t len, const dr_query *q, dr_buf *out,
                         dr_error *err) {
    lua_State *L = e->L;
    int top = lua_gettop(L);
    e->strict = q ? q->strict : 0;
    dr_engine_note_outcome(e, 0, 0, 0);
    int rc = dr_account_read(e, text, len, DR_ACCOUNT_AUTO, err);
    if (rc != DR_OK) {
        lua_settop(L, top);
        return rc;
    }
    int account = lua_gettop(L);
    const char *spec = q ? q->fields : NULL;
    if (!e->fields_set || (spec ? !e->q_fields || strcmp(spec, e->q_fields) != 0 : e->q_fields != NULL)) {
        free(e->q_fields);
        e->q_fields = spec ? dr_xstrdup(spec) : NULL;
        dr_fields_parse(&e->fields, e->q_fields);
        e->fields_set = 1;
        e->env_ok = 0;
    }
    if ((rc = push_query(e, q, err)) != DR_OK) {
        lua_settop(L, top);
        return rc;
    }
    /* The account's id, action and language as it came, read before any
     * rule runs: a rule can write to the account, and the error decision
     * and the envelope say what the account said, not what a rule made of
     * it. */
    dr_rawfield(L, account, "id");
    dr_rawfield(L, account, "action");
    dr_rawfield(L, account, "locale");
    const int said = lua_gettop(L) - 2; /* id, action, locale */
    int lean = e->q_brief && e->q_no_steps && !e->q_explain;
    e->decisions++; /* the rules' views are copied anew (views.c) */
    lua_rawgeti(L, LUA_REGISTRYINDEX, lean ? e->lean.fn_ref : e->decide_ref);
    lua_pushvalue(L, account);
    lua_pushvalue(L, account + 1);
    e->lean.out = out;
    e->lean.written = 0;
    size_t mark = out->n;
    char msg[1024];
    e->deciding = 1;
    int called = dr_state_call(e, 2, 1, msg, sizeof msg);
    e->deciding = 0;
    e->lean.out = NULL;
    if (called != LUA_OK) {
        /* Nothing of the decision stays: the error decision replaces it. */
        out->n = mark;
        if (out->s) out->s[mark] = '\0';
        const char *action = q && q->action ? q->action : NULL;
        if (!action && lua_type(L, said + 1) == LUA_TSTRING) action = lua_tostring(L, said + 1);
        error_decision(L, said, action ? action : DR_DEFAULT_ACTION, msg, out);
        put_envelope(e, L, said + 2, 0, q, out, mark);
        /* (the account and its id stay on the stack to the end, and the
         * literals are interned in the state for good: prelude's own) */
        lua_pushvalue(L, said);
        lua_pushstring(L, action ? action : DR_DEFAULT_ACTION);
        lua_pushliteral(L, "error");
        dr_engine_note_outcome(e, lua_gettop(L) - 2, lua_gettop(L) - 1, lua_gettop(L));
    } else {
        if (q && q->coverage) {
            lua_rawgeti(L, LUA_REGISTRYINDEX, e->module_ref);
            lua_getfield(L, -1, "coverage_mark");
            lua_pushvalue(L, -3);
            char m2[256];
            dr_state_call_own(e, 1, 0, m2, sizeof m2);
            lua_pop(L, 1);
            if (!q->explain) {
                lua_pushnil(L);
                lua_setfield(L, -2, "explain");
            }
        }
        int dec = e->lean.written ? 0 : lua_gettop(L);
        if (dec) dr_decision_write(L, dec, &e->fields, &e->noted, out, e->outcome);
        put_envelope(e, L, said + 2, dec, q, out, mark);
    }
    dr_noted_clear(e);
    lua_settop(L, top);
    return DR_OK;
}

int dr_engine_decide(dr_engine *e, const char *text, size_t len, const dr_query *q, char **json,
                     dr_error *err) {
    dr_buf b = {0};
    *json = NULL;
    int rc = dr_engine_decide_buf(e, text, len, q, &b, err);
    if (rc != DR_OK) {
        free(b.s);
        return rc;
    }
    *json = b.s;
    return DR_OK;
}

int dr_engine_load_cases(dr_engine *e, const char *dir, size_t *ncases, dr_error *err) {
    int rc = dr_state_load_dir(e, dir, 1, err);
    lua_State *L = e->L;
    lua_rawgeti(L, LUA_REGISTRYINDEX, e->module_ref);
    lua_getfield(L, -1, "decl");
    lua_getfield(L, -1, "cases");
    *ncases = (size_t)lua_rawlen(L, -1);
    lua_pop(L, 3);
    return rc;
}

static const char *field(lua_State *L, int t, const char *k) {
    dr_rawfield(L, t, k);
    const char *s = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
    lua_pop(L, 1);
    return s;
}

int dr_engine_case(dr_engine *e, size_t i, dr_case *c) {
    lua_State *L = e->L;
    memset(c, 0, sizeof *c);
    lua_rawgeti(L, LUA_REGISTRYINDEX, e->module_ref);
    lua_getfield(L, -1, "decl");
    lua_getfield(L, -1, "cases");
    if (lua_rawgeti(L, -1, (lua_Integer)i + 1) != LUA_TTABLE) {
        lua_pop(L, 4);
        return DR_EUSAGE;
    }
    int t = lua_gettop(L);
    c->file = field(L, t, "file");
    c->name = field(L, t, "name");
    c->as_of = field(L, t, "as_of");
    c->locale = field(L, t, "locale");
    dr_rawfield(L, t, "line");
    c->line = (int)lua_tointeger(L, -1);
    lua_pop(L, 1);
    dr_buf a = {0}, x = {0};
    dr_rawfield(L, t, "account");
    dr_json_write(L, -1, &a);
    lua_pop(L, 1);
    dr_rawfield(L, t, "expect");
    dr_json_write(L, -1, &x);
    lua_pop(L, 1);
    c->account = a.s;
    c->expect = x.s;
    lua_pop(L, 4);
    return DR_OK;
}

/* A line of what the cases missed, "FILE:LINE: rule X ...", appended. */
static void missed(char ***lines, size_t *n, const char *file, long line, const char *fmt, const char *id, const char *label) {
    char what[600], at[700];
    snprintf(what, sizeof what, fmt, id, label);
    snprintf(at, sizeof at, "%s:%ld: %s", file, line, what);
    *lines = dr_xrealloc(*lines, (*n + 1) * sizeof **lines);
    (*lines)[(*n)++] = dr_xstrdup(at);
}

/* The one walk over what the cases exercised (prelude's coverage_data):
 * counts into st, an lcov tracefile when lcov, the lines of what was
 * missed when lines. */
static int coverage_walk(dr_engine *e, dr_coverage_stats *st, FILE *lcov, char ***lines, size_t *nlines) {
    lua_State *L = e->L;
    memset(st, 0, sizeof *st);
    lua_rawgeti(L, LUA_REGISTRYINDEX, e->module_ref);
    lua_getfield(L, -1, "coverage_data");
    char msg[256];
    if (dr_state_call_own(e, 0, 1, msg, sizeof msg) != LUA_OK) {
        lua_pop(L, 1);
        return DR_ERULE;
    }
    int files = lua_gettop(L);
    for (lua_Integer i = 1; i <= (lua_Integer)lua_rawlen(L, files); i++) {
        lua_rawgeti(L, files, i);
        int f = lua_gettop(L);
        const char *file = field(L, f, "file"); /* the table keeps it */
        if (!file) file = "?";
        if (lcov) fprintf(lcov, "TN:\nSF:%s\n", file);
        lua_getfield(L, f, "rules");
        int rules = lua_gettop(L);
        size_t lf = 0, lh = 0, brf = 0, brh = 0;
        for (lua_Integer k = 1; k <= (lua_Integer)lua_rawlen(L, rules); k++) {
            lua_rawgeti(L, rules, k);
            int r = lua_gettop(L);
            const char *id = field(L, r, "id");
            lua_getfield(L, r, "line");
            long line = (long)lua_tointeger(L, -1);
            lua_getfield(L, r, "held");
            int held = lua_toboolean(L, -1);
            lua_pop(L, 2);
            lf++;
            lh += held;
            if (lcov) fprintf(lcov, "DA:%ld,%d\n", line, held);
            if (lines && !held) missed(lines, nlines, file, line, "rule %s never decided%s", id ? id : "?", "");
            lua_getfield(L, r, "conds");
            for (lua_Integer c = 1; c <= (lua_Integer)lua_rawlen(L, -1); c++) {
                lua_rawgeti(L, -1, c);
                int seen[2];
                for (int b = 0; b < 2; b++) {
                    lua_rawgeti(L, -1, b + 1);
                    seen[b] = lua_toboolean(L, -1);
                    lua_pop(L, 1);
                    brf++;
                    brh += seen[b];
                    if (lcov) fprintf(lcov, "BRDA:%ld,%lld,%d,%d\n", line, (long long)c - 1, b, seen[b]);
                }
                lua_rawgeti(L, -1, 3);
                const char *label = lua_tostring(L, -1);
                if (lines && !(seen[0] && seen[1]))
                    missed(lines, nlines, file, line, seen[0] ? "rule %s: condition \"%s\" was never false"
                                                             : "rule %s: condition \"%s\" was never true",
                           id ? id : "?", label ? label : "?");
                lua_pop(L, 2);
            }
            lua_pop(L, 2);
        }
        if (lcov) fprintf(lcov, "BRF:%zu\nBRH:%zu\nLF:%zu\nLH:%zu\nend_of_record\n", brf, brh, lf, lh);
        st->rules += lf;
        st->rules_hit += lh;
        st->branches += brf;
        st->branches_hit += brh;
        lua_settop(L, files);
    }
    lua_pop(L, 2);
    return DR_OK;
}

int dr_engine_coverage(dr_engine *e, char ***lines, size_t *n) {
    dr_coverage_stats st;
    *lines = NULL;
    *n = 0;
    return coverage_walk(e, &st, NULL, lines, n);
}

int dr_engine_coverage_stats(dr_engine *e, dr_coverage_stats *st, FILE *lcov) {
    return coverage_walk(e, st, lcov, NULL, NULL);
}


