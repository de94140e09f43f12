/* The attacks of tests/fixtures/rules-sandbox/evil.lua (each account id
 * runs one inside a rule's condition) and what the error decision must
 * say: "a|b" when either stop is right (deep recursion may run out of
 * instructions before it runs out of stack). test_engine runs them through
 * both decision paths in-process; test_hardening through `check` and
 * `batch -j 2`. */
#ifndef DR_SANDBOX_ATTACKS_H
#define DR_SANDBOX_ATTACKS_H

#include <signal.h>
#include <string.h>
#include <unistd.h>

/* An attack's account, and the harmless one after it ("fine"): each with a
 * list, so that an attack can reach what the lists share and the account
 * after it shows whether it did (evil.fine: not has_role global_admin). */
#define SANDBOX_ACCOUNT "{\"id\":\"%s\",\"product\":\"azure\",\"actor\":{\"roles\":[\"account_admin\"]}}"
#define SANDBOX_FINE "{\"id\":\"fine\",\"product\":\"azure\",\"actor\":{\"roles\":[\"account_admin\"]}}"

static const struct {
    const char *id, *says;
} sandbox_attacks[] = {
    {"loop", "instruction budget exceeded"},
    {"rep_empty", "instruction budget exceeded"},
    {"rep_empty_method", "instruction budget exceeded"},
    {"upper_loop", "instruction budget exceeded"},
    {"utf8_len_loop", "instruction budget exceeded"},
    {"byte_loop", "instruction budget exceeded|stack overflow"},
    {"sort_long_strings", "instruction budget exceeded"},
    {"random", "'random'"},
    {"policy_rules", "field 'rules'"},
    {"iso_huge", "after 9999-12-31"},
    {"add_months_huge", "add_months: the day is not one"},
    {"account_meta", "account_meta raised"},
    {"account_meta_raise", "account_meta_raise raised"},
    {"recursion", "stack overflow|instruction budget"},
    {"rep", "instruction budget|too large"},
    {"rep_gb", "instruction budget|memory"},
    {"concat", "memory|instruction budget"},
    {"table_growth", "memory|instruction budget"},
    {"os_execute", "'os'"},
    {"io_open", "'io'"},
    {"require", "'require'"},
    {"load", "'load'"},
    {"bytecode", "'dump'"},
    {"debug", "'debug'"},
    {"pattern", "'find'"},
    {"dofile", "'dofile'"},
    {"undeclared_fact", "not in its uses"},
    {"any_role_huge", "instruction budget exceeded"},
    {"has_role_huge", "instruction budget exceeded"},
    {"declare", "policy is a declaration"},
    {"mutate", "mutated"},
    {"pcall_loop", "instruction budget exceeded"},
    {"xpcall_loop", "instruction budget exceeded"},
    {"xpcall_handler", "instruction budget exceeded"},
    {"close", "instruction budget exceeded"},
    {"close_pcall", "instruction budget exceeded"},
    {"error_object", "error object is a table"},
    {"error_object_pcall", "instruction budget exceeded"},
    {"tostring_loop", "instruction budget exceeded"},
    {"format_loop", "instruction budget exceeded"},
    {"gc", "__gc is not available"},
    {"gc_later", "__gc is not available"},
    {"gc_inherited", "cannot be a metatable"},
    {"coroutine", "'coroutine'"},
    {"sort_comparator", "instruction budget exceeded"},
    {"sort_c_comparator", "__len metamethod"},
    {"move", "instruction budget exceeded"},
    {"varargs_table", "instruction budget exceeded"},
    {"varargs_pack", "instruction budget exceeded"},
    {"varargs_copy", "instruction budget exceeded"},
    {"insert_len", "__len metamethod"},
    {"remove_len", "__len metamethod"},
    {"concat_range", "instruction budget exceeded"},
    {"unpack_range", "instruction budget exceeded"},
    {"metamethod_recursion", "stack overflow|instruction budget"},
    {"string_metatable", "boolean"},
    {"libraries", "libraries changed here"},
    {"policy_methods", "boolean"},
    {"shared_fact", "fact list changed here"},
    {"account_list_meta", "boolean"},
    {"account_list_gc", "boolean"},
    {"account_list_set", "protected metatable"},
    {"codes_loop", "instruction budget exceeded"},
    {"codes_float", "instruction budget exceeded"},
    {"tonumber_loop", "instruction budget exceeded"},
    {"arith_loop", "instruction budget exceeded"},
    {"tonumber_none", "evil.lua:204: bad argument #1 to 'tonumber' (value expected)"},
    {"concat_table", "evil.lua:205: invalid value (table) at index 1 in table for 'concat'"},
    {"rawset_nil", "evil.lua:206: table index is nil"},
    {"weak_keys", "__mode is not available"},
    {"weak_mode_later", "__mode is not available"},
    {"weak_mode_rawset", "__mode is not available"},
    {"meta_of_meta", "cannot be a metatable"},
    {"list_as_metatable", "cannot be a metatable"},
    {"pcall_tail", "instruction budget exceeded"},
};
#define N_SANDBOX_ATTACKS (sizeof sandbox_attacks / sizeof *sandbox_attacks)

/* Whether an error message says what the attack's entry expects. */
static inline int sandbox_says(const char *err, const char *says) {
    char alt[128];
    snprintf(alt, sizeof alt, "%s", says);
    char *bar = strchr(alt, '|');
    if (bar) *bar = '\0';
    return err && (strstr(err, alt) || (bar && strstr(err, bar + 1)));
}

/* A regression that hangs must fail the suite, not CI's clock: the alarm
 * ends the test binary, which tests/run.sh counts as a failure. */
static const char *sandbox_running = "";
static inline void sandbox_hung(int sig) {
    (void)sig;
    static const char m[] = "sandbox attack hung past its alarm: ";
    ssize_t w = write(2, m, sizeof m - 1);
    w = write(2, sandbox_running, strlen(sandbox_running));
    w = write(2, "\n", 1);
    (void)w;
    _exit(70);
}
static inline void sandbox_alarm(const char *what, unsigned seconds) {
    sandbox_running = what;
    signal(SIGALRM, sandbox_hung);
    alarm(seconds);
}

#endif
