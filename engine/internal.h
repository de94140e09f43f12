/* Shared by the files of engine/ only. */
#ifndef DR_ENGINE_INTERNAL_H
#define DR_ENGINE_INTERNAL_H

#include <jansson.h>
#include <stdint.h>
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "../common/buf.h"
#include "../common/hash.h"
#include "../common/pool.h"
#include "engine.h"

/* Lua interns every string of this many bytes or fewer (LUAI_MAXSHORTLEN,
 * private to Lua): two of them are equal exactly when they are one object,
 * which the account reader, lean.c and the JSON writer use to compare by
 * address. dr_state_open checks that the Lua it runs on still does. */
#define DR_LUA_SHORT_STRING 40
/* What a Lua 5.4 string object holds before its bytes (offsetof(TString,
 * contents), private to Lua): 24 on a 64-bit machine, less on a 32-bit
 * one. A block of at most this, DR_LUA_SHORT_STRING and the NUL is a short
 * string (state.c, which does not charge it to the budget). */
#define DR_LUA_STRING_HEADER 24

/* t[k] without metamethods: what C reads of a table a rule script could
 * have reached (the account, a rule, a case, a compute's output) outside a
 * protected call, where an __index that raised would abort the process and
 * one that looped would hang it, with no budget running. */
static inline int dr_rawfield(lua_State *L, int t, const char *k) {
    t = lua_absindex(L, t);
    lua_pushstring(L, k);
    return lua_rawget(L, t);
}

/* What a query that names no action or language, for an account that
 * names none either, is taken to ask (CONTRACT.md): defined here once, and
 * handed to prelude.lua as dr.default_action and dr.default_locale. */
#define DR_DEFAULT_ACTION "cancel-subscription"
#define DR_DEFAULT_LOCALE "en-us"

/* Which top-level fields of a decision to write: spec is the
 * comma-separated list (NULL: every field), parsed once per query. */
typedef struct dr_fields {
    const char *spec;
    unsigned mask;   /* bit i: the contract's i-th field */
    int all_known;   /* the list names only contract fields */
    int reasons, steps; /* whether the list has them (spec NULL: yes) */
} dr_fields;

/* What a rule's function or a compute returned for a field the decision
 * writes, as JSON written by output.c's check as it walked it (json.c's
 * dr_noted_begin and dr_noted_end):
 * the decision holds the table, and a rule can still change it (a compute
 * writing 1.5 into the refund another returned, through a table both
 * keep), so the writer writes what was checked, never what it became.
 * One decision's: emptied once it is written (dr_noted_clear). */
typedef struct dr_noted_field {
    const void *table;    /* lua_topointer of the table checked */
    size_t key, key_len;  /* the field's name, in text */
    size_t json, json_len;
} dr_noted_field;
typedef struct dr_noted {
    dr_buf text;
    dr_noted_field *f;
    size_t n, cap;
    /* A registry reference (0: none yet) to the list of the tables noted,
     * which keeps them alive until written: a table collected while its
     * note stands could leave its address to another, which would then be
     * written as the first one was. */
    int anchors;
} dr_noted;

/* lean.c: plans for lean queries, by the account's product, action and
 * language strings (their addresses) and the query's generation. Room for
 * a batch's every product, action and language together: four policies in
 * seven languages missed eight slots on most accounts, and each miss asks
 * prelude's lean_plan() (a false plan, for a policy with a compute, is
 * kept too). */
#define DR_LEAN_SLOTS 32
typedef struct dr_lean_slot {
    const void *key[3];
    unsigned gen;
    int ref; /* the plan (or false) in the registry; 0: an empty slot */
} dr_lean_slot;
typedef struct dr_lean_cache {
    dr_lean_slot slot[DR_LEAN_SLOTS];
    unsigned next, gen;
    int fn_ref;          /* the C function that decides lean queries */
    unsigned long decided; /* decisions made here, not by decide(): for the tests */
    dr_buf *out;         /* where a lean decision is written, with e->fields */
    int written;         /* the decision running was written there */
} dr_lean_cache;

struct dr_engine {
    lua_State *L;
    const struct dr_engine *parent;
    dr_catalog *cat;         /* owned unless parent */
    dr_factset *fs;          /* owned unless parent */
    char *rules_dir;
    long max_instructions;
    size_t max_memory, mem_used;
    dr_pool *pool;           /* the Lua state's small blocks */
    struct dr_arena *scratch; /* the account parser's, emptied after each account */
    /* What the armed call has spent: used, of the rules' own work
     * (instructions while a rule's function runs, and what it allocates),
     * against max_instructions; engine_used, of the engine's own between
     * them, against a far larger allowance (budget.c). */
    long used, engine_used;
    /* While a script's own code loads: the instructions it gets beyond
     * max_instructions, for the bytes of its text (budget.c); else 0. */
    long load_extra;
    /* A rule's function is running (dr_budget_rule_call), or a script
     * loads: what runs now is charged to used. */
    int in_rule;
    int limited;             /* the count hook is armed */
    /* The budget is spent: every instruction from here raises budget_msg
     * again, so a pcall in the rule cannot catch it and go on. */
    int exhausted;
    int hook_now;      /* the allocator set the hook to the next instruction */
    /* The armed call is a decision (set around it by engine.c), else a
     * load: budget.c charges its allocations and sets its time limit by it
     * (a script may build a table of data as it loads; a decision builds a
     * verdict). */
    int deciding;
    /* The armed call is the engine's own work outside a decision
     * (dr_state_call_own): prelude's checks of what the scripts declared,
     * coverage; charged to the engine's allowance, not to the budget of
     * the rules' own work. */
    int own_call;
    /* The armed call's wall-clock backstop (budget.c): its length, and
     * when it ends on CLOCK_MONOTONIC_COARSE. */
    int64_t time_limit_ns, deadline_ns;
    int hook_every;    /* the count hook's interval: 1000, or 1 in a big state */
    int fine_n;        /* at an interval of 1: instructions since the last 1,000 charged */
    int grew_big;      /* the call grew Lua's own memory at once (state.c's BIG_GROWTH) */
    lua_CFunction error_fn; /* Lua's error(), whose level-0 messages are left without a place */
    size_t out_text;   /* text the call's checked outputs hold (output.c) */
    int out_fields;    /* fields of the computes' own (adds) the call's decision holds */
    long out_values;   /* values the call's checks have seen, every set of a field counted */
    dr_noted noted;    /* the JSON of the tables checked, for the writer */
    char budget_msg[2048];
    /* The rule scripts loaded, by number: a chunk is named by its number
     * (Lua cuts chunk names at 60 bytes), and messages are given the whole
     * path back (dr_script_expand). */
    char **scripts;
    size_t nscripts;
    /* A hash of the scripts loaded (names and bytes), and the revision
     * every decision carries: that and the corpus's, in hex. */
    uint64_t script_hash;
    char revision[17];        /* dr_engine_set_revision's, nowhere else */
    int module_ref;          /* the table prelude.lua returned */
    int prelude_from_text;   /* this Lua refused the build's bytecode (state.c) */
    int facts_cache_ref;     /* as_of -> locale -> the context (dr_context_push) */
    int facts_cache_n;       /* contexts in it, bounded */
    int query_ref;           /* the query table, reused for every decision */
    int decide_ref;          /* decide(): engine/decide.c's closure (dr_decide_open) */
    dr_lean_cache lean;
    /* eval.c: the rule running, for a memory error's message: an entry of
     * the plan kept in the registry (> 0), the rule kept there (-1), or
     * none (0). */
    struct {
        long entry;
        const void *plan;
    } eval;
    /* contract.c: what an account may hold, from rules/' declarations;
     * built once the rule scripts have loaded. */
    struct dr_contract *contract;
    /* The account just read: the fields the contract does not name, as a
     * JSON array's members (the decision's "warnings"); whether they are
     * refused instead. */
    dr_buf account_warnings;
    /* The last decision's outcome (dr_engine_outcome): its id, action and
     * decision, NULL for none. Strings of the Lua state, not copied: the
     * state frees nothing until it next allocates, in the engine's next
     * call, and the outcome is documented to last until then. */
    const char *outcome[3];
    int strict;
    unsigned long slow_reads; /* accounts jansson read: a test checks the fast path is used */
    /* Decisions begun: a list fact's copy is set back at its first read
     * in each (views.c). */
    unsigned long decisions;
    /* What the query table holds now: it is rewritten only on a change,
     * which in a batch is never. */
    int q_set, q_explain, q_brief, q_no_steps;
    char q_action[40], q_as_of[16], q_locale[40];
    int fields_set;          /* fields holds the query's list, parsed */
    char *q_fields;
    dr_fields fields;
    /* The envelope's as_of and revision members as the fields list asks
     * them (",\"as_of\":...,\"revision\":..."), the same for every
     * decision of a query: dropped when the day, the list or the revision
     * changes (engine.c's put_envelope). */
    char env_head[160];
    size_t env_head_n;
    int env_ok;
    char today[11];
    /* The scripts' text in load order: read by a root (kept while
     * keep_sources), the parent's for a fork, the bundle's for a root read
     * from one; owned when sources_owned. */
    dr_source *sources;
    size_t nsources;
    int keep_sources, sources_owned;
    /* What the revision holds beside the scripts (bundle/ writes them). */
    int has_lexicons;
    uint64_t lexicon_hash, docs_hash;
    struct dr_bundle *bundle; /* a root read from a bundle owns it */
};
struct dr_bundle;

/* state.c */
int dr_state_open(dr_engine *e, dr_error *err);
/* Closes the state and frees what it allocates from (an engine's fields
 * are left to its owner). */
void dr_state_close(dr_engine *e);
/* Loads every rule script under dir, sorted, declarations (facts/) first;
 * folders named "tests" are skipped unless all. */
int dr_state_load_dir(dr_engine *e, const char *dir, int all, dr_error *err);
/* The same for scripts given as text, in their order (not test cases). */
int dr_state_load_sources(dr_engine *e, const dr_source *v, size_t n, dr_error *err);
/* Calls the function on top of the stack under the limits; on error leaves
 * a message "file:line: ..." in msg (size bytes) and returns nonzero. */
int dr_state_call(dr_engine *e, int nargs, int nresults, char *msg, size_t size);
/* The same for a call of prelude's own outside a decision (new_env,
 * check_facts, check_accounts as scripts load; coverage): the rules'
 * budget is for their code. */
int dr_state_call_own(dr_engine *e, int nargs, int nresults, char *msg, size_t size);

/* scripts.c: the loaded scripts by number. Adds path and writes the chunk
 * name Lua is to give it ("=\x1f<n>\x1f") into chunk. */
void dr_script_add(dr_engine *e, const char *path, char *chunk, size_t size);
void dr_scripts_free(dr_engine *e);
/* Replaces each script number Lua wrote in msg (a chunk name) with the
 * script's path, in place. */
void dr_script_expand(const dr_engine *e, char *msg, size_t size);
/* The path of a chunk Lua names by short_src, or short_src itself. */
const char *dr_script_path(const dr_engine *e, const char *short_src);

/* budget.c: the instruction budget. Install sets the count hook once per
 * state; arm starts a call's budget, disarm ends it and says whether it
 * was spent (then e->budget_msg is the error). */
void dr_budget_install(dr_engine *e);
void dr_budget_arm(dr_engine *e);
int dr_budget_disarm(dr_engine *e);
/* What a script of that many bytes gets beyond max_instructions while its
 * own code loads (e->load_extra). */
long dr_budget_load_extra(size_t bytes);
/* Counts n instructions of work a C helper does for a rule against the
 * budget, raising the budget error (at the rule's line) when it is spent:
 * a loop in C is out of the count hook's sight. */
void dr_budget_charge(lua_State *L, dr_engine *e, long n);
/* Counts the bytes an allocation of an armed call grows by (a unit for
 * every 2^DR_BUDGET_SHIFT_DECIDE, or _LOAD while scripts load): `s .. s`
 * copies megabytes in one instruction.
 * Called from the allocator, where no error can be raised: once the budget
 * is spent, the hook is set to fire at the next instruction, which raises. */
#define DR_BUDGET_SHIFT_DECIDE 4
#define DR_BUDGET_SHIFT_LOAD 8
void dr_budget_charge_bytes(dr_engine *e, size_t bytes);
/* Calls the function below the nargs arguments on top, a rule's (a
 * condition, a verdict's or a compute's function), as lua_call does
 * (nresults not LUA_MULTRET), with
 * what it runs charged to the rules' budget, counted from its first
 * instruction: a decision's count is then the same whatever ran before it
 * in the engine, and whatever the query writes. */
void dr_budget_rule_call(lua_State *L, dr_engine *e, int nargs, int nresults);
/* "file:line: " of the nearest rule script's line from `level` up. */
void dr_script_line(lua_State *L, int level, char *out, size_t size);

/* decide.c: decide(account, query), every query's (e->decide_ref), made
 * once per state after the prelude. */
void dr_decide_open(dr_engine *e);
/* lean.c: decide(account, query) for queries that ask neither reasons,
 * steps nor a trace, made once per state after the prelude. */
void dr_lean_open(dr_engine *e);
/* The query table or the scripts changed: plans made before are stale. */
void dr_lean_query_changed(dr_engine *e);
/* eval.c: the one rule loop. The index of the first entry of the plan at
 * stack index plan, from first on, whose conditions all hold for the
 * account at a, or 0; entries for rules whose facts are missing are passed
 * over. With needs, a rule's inputs are checked first: when the account
 * lacks some, *needs is set, the list of them is left on top and that
 * rule's index returned (lean plans have no rule with inputs, and pass
 * NULL). With trace (a stack index, or 0), an entry per rule tried is
 * appended to that list (--explain's), with each condition's outcome and,
 * with watch (prelude's watch function, or 0), what it compared. */
lua_Integer dr_eval_first(lua_State *L, dr_engine *e, int plan, lua_Integer first, int a, int *needs, int trace,
                          int watch);
/* Pushes the account's (at a) value at a dotted path of len bytes, or
 * nil, read raw (inputs, and a reason's {a.path}). */
void dr_eval_path_push(lua_State *L, int a, const char *path, size_t len);
/* words.c: which places a because string has to fill (DR_WORDS_ACCOUNT
 * for an {a.path}, DR_WORDS_FACTS for an {f.name}; 0: none, fixed words);
 * dr.places for prelude; and its words with them filled from the account
 * at a and the context's facts at values (stack indices): 0 with the
 * words pushed, or -1 with what is wrong in msg and nothing pushed. */
#define DR_WORDS_FACTS 1
#define DR_WORDS_ACCOUNT 2
int dr_words_has_places(const char *s, size_t n);
int dr_words_places(lua_State *L);
int dr_words_fill_facts(lua_State *L);
int dr_words_fill(lua_State *L, int because, int a, int values, char *msg, size_t size);
/* output.c: adds check_field (what a rule may put in a decision) to the
 * table on top (prelude's dr). */
void dr_output_push_lib(lua_State *L);
/* check_field and merge without a call into Lua, for decide.c (indices
 * absolute): each returns 0, or 1 with what is wrong pushed. A check for
 * the deciding engine (note; NULL for a declaration's) notes the JSON of
 * what it checked for the writer, made in the same walk. */
int dr_output_check(lua_State *L, const char *key, int v, dr_engine *note);
int dr_output_merge(lua_State *L, int d, int set, int adds);
/* test_rule without a call into Lua, for decide.c: whether every
 * condition of the rule (or compute) at index rule holds for a and f (0
 * when the account lacks its inputs). */
int dr_eval_test(lua_State *L, dr_engine *e, int rule, int a, int f);
/* The same, each condition traced into the list at trace and, with watch
 * (prelude's watch function, or 0), what it compared (--explain). */
int dr_eval_test_traced(lua_State *L, dr_engine *e, int rule, int a, int f, int trace, int watch);
/* A plan entry, as prelude's plan_of() makes it: the rule, its facts (its
 * view: prelude's view()), its fixed verdict or false, then its
 * conditions' functions. In the hash part: E_INPUTS, the rule's inputs
 * when it names any; E_MISSING, the facts the day's docs do not state,
 * when some are missing (such a rule cannot run, and is in the plan only
 * for the trace); E_ROLES, for a rule whose required_roles names a fact,
 * that fact's list under the context, checked and frozen, or what is
 * wrong with it (a string). A plan's computes are { compute, facts, facts
 * missing }, and C_SAID once a decision that asks no reasons has said the
 * compute's words from the facts alone without error: the because they
 * were said from (decide.c's give_reason). */
enum { E_ROLES = -2, E_MISSING = -1, E_INPUTS = 0, E_RULE = 1, E_FACTS, E_VERDICT, E_FIRST_COND };
enum { C_RULE = 1, C_FACTS, C_MISSING, C_SAID };

/* views.c: view_lists and real_mt into the table on top (prelude's dr). */
void dr_views_push_lib(lua_State *L);
/* "file:line: rule id: " of the rule whose function runs, or last ran,
 * in the call (for the errors Lua cannot place: memory, a budget spent as
 * a function returned), or "". */
void dr_eval_running_where(dr_engine *e, char *out, size_t size);

/* lualib.c: the dr table given to prelude.lua. */
void dr_lualib_push(dr_engine *e);
/* Pushes the context of the day and language at as_of and locale (both
 * strings): the facts in force then, their citations, and the steps and
 * plans made from them (prelude's c.values, c.meta, c.steps, c.plans).
 * Made the first time and kept: the one cache of them, which decide.c and
 * prelude's dr.context both ask; bounded, it starts over when full (then
 * a context is made again, equal to the one before). */
void dr_context_push(lua_State *L, dr_engine *e, int as_of, int locale);
/* The catalog's index of the procedure fact name, or -1 when name is none
 * (lualib.c's steps reads only those). */
int dr_procedure_fact(const dr_engine *e, const char *name);
/* The most bytes a reason's words may hold (decide.c checks a because
 * function's; prelude.lua, as dr.max_because, a fixed one). */
#define DR_MAX_BECAUSE 4096

/* catalog_load.c: the declarations into a catalog. */
int dr_catalog_from_decl(dr_engine *e, dr_catalog **out, dr_error *err);
/* The lexicons under the rules folder's lexicons/, into the catalog. */
int dr_lexicons_load(dr_engine *e, dr_catalog *c, dr_error *err);
/* bundle/load.c: the root engine e (allocated, nothing loaded) from
 * e->bundle: its scripts, the catalog they declare, the lexicons'
 * languages, the facts and the revision. */
int dr_engine_load_bundle(dr_engine *e, dr_error *err);

/* contract.c: the account contract as one table (see there). */
#define DR_ACCOUNT_KEY_LEN 32      /* a field name is shorter */
#define DR_ACCOUNT_KEYS_PER_LEN 16 /* names of one length, at most, and one */
#define DR_CONTRACT_FIELDS 96      /* fields, at most, with the engine's own and two */
#define DR_CONTRACT_MASK_WORDS ((DR_CONTRACT_FIELDS + 63) / 64) /* a bit a field */
#define DR_CONTRACT_KEYS 128       /* field names, at most, and one */
#define DR_CONTRACT_PRODUCTS 64    /* a field's products are bits of a uint64_t */
enum {
    DR_FK_OBJECT, DR_FK_TEXT, DR_FK_DATE, DR_FK_COUNT, DR_FK_BOOL, DR_FK_MONEY, DR_FK_CURRENCY, DR_FK_ONE_OF,
    /* the engine's own */
    DR_FK_ID, DR_FK_PRODUCT, DR_FK_LOCALE, DR_FK_ACTION, DR_FK_ROLES
};
typedef struct dr_cfield {
    unsigned char parent, key, kind;
    unsigned char container; /* some field is inside it */
    unsigned char currency;  /* money: its currency's field */
    unsigned char after;     /* a date that must follow this field's */
    const char *path;        /* "subscription.billing.amount" */
    const char **values;     /* one of: the values, NULL-ended */
    size_t nvalues;
    uint64_t products;       /* bit i: product i has it */
} dr_cfield;
typedef struct dr_contract {
    struct dr_arena *arena;
    int nfields, nkeys, nproducts, nnames;
    unsigned char product_field, date_field; /* the engine's own, which the reader sets */
    dr_cfield field[DR_CONTRACT_FIELDS]; /* 0: none; 1: the account */
    const char *key[DR_CONTRACT_KEYS];   /* 0: none */
    unsigned char by_len[DR_ACCOUNT_KEY_LEN][DR_ACCOUNT_KEYS_PER_LEN]; /* key numbers by length, 0-ended */
    unsigned char *child;                /* [field * nkeys + key]: the field a key names, or 0 */
    const char *product[DR_CONTRACT_PRODUCTS];
    const char *alias[DR_CONTRACT_PRODUCTS * 2];
    unsigned char alias_of[DR_CONTRACT_PRODUCTS * 2];
    const char **actions, **roles;       /* NULL-ended */
    /* The fields an account must hold (the id, the product): bit f. */
    uint64_t required[DR_CONTRACT_MASK_WORDS];
} dr_contract;
/* The registry key of the table that keeps the names alive: the keys at
 * their numbers, then the other names. */
extern const char DR_CONTRACT_KEYS_KEY;
int dr_contract_build(dr_engine *e, dr_error *err);
/* Pushes the kinds a declared field can be ("text", "date", ... "one of"),
 * a list in the order messages give them: prelude.lua checks declarations
 * against it (dr.field_kinds), this file reads them. */
void dr_contract_push_kinds(lua_State *L);
void dr_contract_free(dr_contract *c);

/* account.c: reads and validates the account and pushes it as a table; on
 * a bad account fills err (line and column in the text) and pushes
 * nothing. path: AUTO picks the fast reader where it may; SLOW forces
 * jansson (the fuzzer checks that both give the same). */
enum { DR_ACCOUNT_AUTO, DR_ACCOUNT_SLOW };
/* What the readers keep in the state (the list marker): once per state. */
int dr_account_open(dr_engine *e, dr_error *err);
int dr_account_read(dr_engine *e, const char *text, size_t len, int path, dr_error *err);

/* json.c: Lua values out as JSON, appended to a buffer. */
void dr_json_write(lua_State *L, int idx, dr_buf *b);
/* Whether dr_json_write would write the value at idx as something other
 * than it is (a function as its type's name, NaN as null, a list's holes
 * or names past 64 left out, text that is not UTF-8 repaired): 1 with
 * what and where (name.path...) in out, else 0. For values that come from
 * outside a decision, a test case's account and expect, where such a
 * change would pass or fail a case in silence. */
int dr_json_problem(lua_State *L, int idx, const char *name, char *out, size_t size);
/* A string as JSON ("(invalid UTF-8)" when it is not UTF-8). */
void dr_json_put_string(dr_buf *b, const char *s, size_t n);
void dr_json_put_integer(dr_buf *b, lua_Integer v);
/* A name of a table being written, in the writer's order: by rank (the
 * fields people look for first: id, rule, ... version), then by name. at
 * is the caller's, carried along as the names are sorted. */
typedef struct dr_json_key {
    const char *key;
    size_t len;
    int rank;
    int at;
} dr_json_key;
void dr_json_key_init(dr_json_key *k, const char *key, size_t len, int at);
/* Whether x comes before y in the writer's order. */
int dr_json_key_before(const dr_json_key *x, const dr_json_key *y);
void dr_json_sort_keys(dr_json_key *k, size_t n);
/* Marks a table the engine will not change, so its JSON is written once. */
void dr_const_mark(lua_State *L, int idx);
void dr_fields_parse(dr_fields *f, const char *spec);
/* Whether k is one of the contract's decision fields (id ... remaining). */
int dr_decision_contract_field(const char *k);
const char *const *dr_decision_contract_fields(void); /* NULL-ended */
/* Whether k is a field the engine or the contract gives a decision: the
 * contract's and the engine's own (as_of, warnings...), not a compute's
 * additions. */
int dr_decision_field(const char *k);
/* Those fields, "id, action, ...", into buf; the length written. */
size_t dr_decision_fields_said(char *buf, size_t size);
/* Writes the decision table at idx; outcome (or NULL) gets its id, action
 * and decision strings (NULL for none), the Lua state's own, read on the
 * way whatever fields are written (docrules_outcome_get). */
void dr_decision_write(lua_State *L, int idx, const dr_fields *fields, const dr_noted *noted, dr_buf *b,
                       const char *outcome[3]);
/* The notes of a check (output.c): begin gives the buffer the JSON of
 * the table at v, checked as the decision's field key, is to be written
 * into, or NULL when there is none to note (the query does not write that
 * field, or v is not a table: a string or a number cannot change); end
 * keeps it when the check passed (ok) and drops it otherwise. What they
 * hold is bounded by what output.c lets a decision's checks see in all
 * (values and text, each set of a field counted), whatever fields are
 * asked. */
dr_buf *dr_noted_begin(dr_engine *e, lua_State *L, int v, const char *key);
void dr_noted_end(dr_engine *e, lua_State *L, int v, int ok);
/* Empties the notes for the next decision, outside any call. */
void dr_noted_clear(dr_engine *e);
/* The most names a table the engine writes may hold (output.c refuses
 * more in what a rule returns). */
#define DR_JSON_MAX_KEYS 64
/* The same for a decision of these fields only, given as stack indices
 * (0: absent), without making its table: lean.c's. */
typedef struct dr_verdict {
    int id, action, decision, channels, required_roles;
} dr_verdict;
/* engine.c: the lexicons' hash (a part of what the docs are read with)
 * into the scripts', and the revision from the scripts' and docs' hashes:
 * one derivation for an engine made from files and one made from a bundle,
 * whose revision must come out the same. */
void dr_engine_add_lexicon_hash(dr_engine *e, uint64_t h);
void dr_engine_set_revision(dr_engine *e, uint64_t docs_hash);
/* engine.c: notes the outcome of the decision being made from the values
 * at these stack indices (0: none; a value that is not a string: none). */
void dr_engine_note_outcome(dr_engine *e, int id, int action, int decision);
void dr_verdict_write(lua_State *L, const dr_verdict *v, const dr_fields *fields, dr_buf *b);

#endif
