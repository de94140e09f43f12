/* docrules validate [PATH...]: lint the corpus, and the rules against it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../include/docrules.h"
#include "cli.h"
#include "query.h"

typedef struct progress {
    double start;
    int shown;
} progress;

/* Only on a terminal, and only once the run has taken a second. */
static void show_progress(void *data, size_t done, size_t total) {
    progress *p = data;
    if (dr_clock_mono() - p->start < 1.0) return;
    fprintf(stderr, "\rvalidate: %zu/%zu files", done, total);
    p->shown = 1;
}

int dr_cmd_validate(int argc, char **argv) {
    dr_qopts o = {0};
    /* The paths, gathered at the front of argv as they are met: each
     * moves to an index at or before its own, already read, so any number
     * of them fits (a CI job passes every changed file), with no copy. */
    const char **paths = (const char **)argv + 1;
    size_t npaths = 0;
    const char *min = "note", *config = NULL, *baseline = NULL, *write_baseline = NULL;
    long max_warnings = -1;
    int jobs_set = 0, docs_only = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int has = i + 1 < argc;
        if (strcmp(a, "--min-severity") == 0 && has) {
            min = argv[++i];
            continue;
        }
        if (strcmp(a, "--config") == 0 && has) {
            config = argv[++i];
            continue;
        }
        if (strcmp(a, "--baseline") == 0 && has) {
            baseline = argv[++i];
            continue;
        }
        if (strcmp(a, "--write-baseline") == 0 && has) {
            write_baseline = argv[++i];
            continue;
        }
        if (strcmp(a, "--docs-only") == 0) {
            docs_only = 1;
            continue;
        }
        if (strcmp(a, "--max-warnings") == 0 && has) {
            char *end;
            errno = 0;
            max_warnings = strtol(argv[++i], &end, 10);
            if (end == argv[i] || *end || max_warnings < 0 || errno == ERANGE)
                return dr_cli_usage("validate", "--max-warnings takes a count, not '%s'", argv[i]);
            continue;
        }
        if (strcmp(argv[i], "-j") == 0) jobs_set = 1;
        int t = dr_qopts_take("validate", &o, argc, argv, &i);
        if (t < 0) return DR_EXIT_USAGE;
        if (t) continue;
        if (argv[i][0] == '-' && argv[i][1]) return dr_cli_usage("validate", "unknown option '%s'", argv[i]);
        paths[npaths++] = argv[i];
    }
    const char *format = o.format;
    o.format = "json"; /* checked below, with more choices than the query commands */
    if (dr_qopts_finish("validate", &o)) return DR_EXIT_USAGE;
    if (!format) format = "text";
    if (!docrules_report_format_known(format))
        return dr_cli_usage("validate", "--format is text, json, sarif, junit or github, not '%s'", format);
    docrules_severity ms;
    if (strcmp(min, "note") == 0) ms = DOCRULES_SEVERITY_NOTE;
    else if (strcmp(min, "warning") == 0) ms = DOCRULES_SEVERITY_WARNING;
    else if (strcmp(min, "error") == 0) ms = DOCRULES_SEVERITY_ERROR;
    else return dr_cli_usage("validate", "--min-severity is note, warning or error, not '%s'", min);
    int labelled = 0;
    if (!npaths) {
        paths[npaths++] = o.corpus;
        labelled = o.bundled_corpus;
    }
    progress pg = {dr_clock_mono(), 0};
    docrules_validate_options vo = DOCRULES_VALIDATE_OPTIONS_INIT;
    vo.paths = paths;
    vo.npaths = npaths;
    vo.label = labelled ? "corpus" : NULL;
    vo.rules_dir = o.rules;
    vo.docs_only = docs_only;
    vo.jobs = jobs_set ? o.jobs : 0;
    vo.config = config;
    vo.baseline = baseline;
    vo.write_baseline = write_baseline;
    vo.progress = isatty(STDERR_FILENO) ? show_progress : NULL;
    vo.progress_data = &pg;
    docrules_report *r;
    docrules_error err;
    if (docrules_validate(&r, &vo, &err) != DOCRULES_OK) {
        dr_cli_api_error(&err);
        return DR_EXIT_USAGE;
    }
    if (pg.shown) fputc('\n', stderr);
    if (docrules_report_print(stdout, r, format, ms, &err) != DOCRULES_OK) {
        dr_cli_api_error(&err);
        docrules_report_free(r);
        return DR_EXIT_USAGE;
    }
    size_t e = docrules_report_count(r, DOCRULES_SEVERITY_ERROR);
    size_t w = docrules_report_count(r, DOCRULES_SEVERITY_WARNING);
    size_t n = docrules_report_count(r, DOCRULES_SEVERITY_NOTE);
    size_t files = docrules_report_files(r), bytes = docrules_report_bytes(r);
    double secs = docrules_report_seconds(r);
    fprintf(stderr, "validate: %zu files, %.2f MB in %.2f s (%.1f MB/s): %zu errors, %zu warnings, %zu notes\n",
            files, (double)bytes / 1e6, secs, secs > 0 ? (double)bytes / 1e6 / secs : 0.0, e, w, n);
    docrules_report_free(r);
    if (max_warnings >= 0 && w > (size_t)max_warnings) {
        fprintf(stderr, "validate: %zu warnings, more than --max-warnings %ld\n", w, max_warnings);
        return DR_EXIT_FINDINGS;
    }
    return e ? DR_EXIT_FINDINGS : DR_EXIT_OK;
}
