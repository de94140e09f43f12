/* docrules build -o FILE: the rules and the corpus's facts compiled into
 * a bundle, which check, batch, test and facts read with --bundle FILE in
 * time proportional to the facts, not to the corpus. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "query.h"

int dr_cmd_build(int argc, char **argv) {
    dr_qopts o = {0};
    const char *out = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-o") == 0 || strcmp(a, "--corpus") == 0 || strcmp(a, "--rules") == 0) {
            if (i + 1 >= argc) return dr_cli_usage("build", "%s needs a value", a);
            const char *v = argv[++i];
            if (strcmp(a, "-o") == 0) out = v;
            else if (strcmp(a, "--corpus") == 0) o.corpus = v;
            else o.rules = v;
            continue;
        }
        return dr_cli_usage("build", "unknown argument '%s'", a);
    }
    if (!out) return dr_cli_usage("build", "no bundle to write: -o FILE");
    /* Read from the files themselves, never from a cache of them. */
    o.no_cache = 1;
    if (dr_qopts_finish("build", &o)) return DR_EXIT_USAGE;
    double t0 = dr_clock_mono();
    docrules_ruleset *rs = dr_qopts_open(&o);
    if (!rs) return DR_EXIT_USAGE;
    docrules_error err;
    int rc = docrules_ruleset_save(rs, out, &err);
    if (rc < 0) {
        dr_cli_api_error(&err);
    } else {
        fprintf(stderr, "build: %s: %zu facts from %zu docs in %.2f s\n", out, docrules_ruleset_fact_count(rs),
                docrules_ruleset_doc_count(rs), dr_clock_mono() - t0);
    }
    docrules_ruleset_free(rs);
    return rc < 0 ? DR_EXIT_USAGE : DR_EXIT_OK;
}
