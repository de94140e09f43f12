/* The bundled rules and corpus of the source tree (argv[1] of each suite),
 * as the API's suites open them: a program of the user's, so only the
 * public header. Citations name the corpus "corpus", as the command's do. */
#ifndef DR_TEST_API_BUNDLED_H
#define DR_TEST_API_BUNDLED_H

#include <stdio.h>

#include <docrules.h>

static docrules_ruleset *open_bundled(const char *top) {
    char rules[4096], corpus[4096];
    snprintf(rules, sizeof rules, "%s/rules", top);
    snprintf(corpus, sizeof corpus, "%s/corpus", top);
    const char *c[1] = {corpus};
    docrules_ruleset_options ro = DOCRULES_RULESET_OPTIONS_INIT;
    ro.rules_dir = rules;
    ro.corpus = c;
    ro.ncorpus = 1;
    ro.corpus_label = "corpus";
    ro.today = "2026-01-01";
    docrules_ruleset *rs = NULL;
    docrules_error err;
    if (docrules_ruleset_open(&rs, &ro, &err) != DOCRULES_OK) fail_msg("%s:%d: %s", err.file, err.line, err.message);
    return rs;
}

#endif
