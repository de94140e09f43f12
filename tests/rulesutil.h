/* For tests of what a rule script's author gets wrong: a copy of a rules
 * folder with one more line, and the engine made from it. */
#ifndef DR_TEST_RULESUTIL_H
#define DR_TEST_RULESUTIL_H

#include "testutil.h"

#include "../engine/engine.h"

/* Copies the rules folder from into dir/r (rules gets that path), adds
 * text as a line at the end of its file (a path in it), and makes an
 * engine over the bundled corpus from it: dr_engine_new's code, err
 * holding what it said. An engine that was made is freed. */
static inline int engine_with_line(const char *dir, const char *from, const char *file, const char *text, char *rules,
                                   size_t size, dr_error *err) {
    snprintf(rules, size, "%s/r", dir);
    if (sh("rm -rf '%s' && cp -R '%s' '%s' && printf '\\n%%s\\n' \"%s\" >> '%s/%s'", rules, from, rules, text, rules,
           file) != 0)
        fail_msg("cannot copy %s to %s", from, rules);
    const char *c[1] = {DR_TOP "/corpus"};
    dr_engine_opts o = {rules, c, 1, 0, 0, "2026-01-01", NULL};
    dr_engine *e = NULL;
    dr_error_clear(err);
    int rc = dr_engine_new(&o, &e, err);
    if (rc == DR_OK) dr_engine_free(e);
    return rc;
}

#endif
