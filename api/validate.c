/* docrules_validate and its report (include/docrules.h) over validate/:
 * the public report is the module's, kept whole until it is freed. */
#define DOCRULES_BUILDING
#include "../include/docrules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/buf.h"
#include "../common/libxml.h"
#include "../validate/validate.h"
#include "internal.h"

struct docrules_report {
    dr_report r;
};

/* The public severities are the parsers' (findings and diagnostics share them). */
_Static_assert((int)DOCRULES_SEVERITY_NOTE == (int)DR_SEV_NOTE &&
                   (int)DOCRULES_SEVERITY_WARNING == (int)DR_SEV_WARNING &&
                   (int)DOCRULES_SEVERITY_ERROR == (int)DR_SEV_ERROR,
               "docrules.h's severities are the parsers'");

int docrules_validate(docrules_report **out, const docrules_validate_options *opts, docrules_error *err) {
    dr_api_clear(err);
    if (!out) return dr_api_usage(err, "docrules_validate: out is NULL");
    *out = NULL;
    if (!opts) return dr_api_usage(err, "docrules_validate: the options are required (the paths to validate)");
    if (opts->version < 1 || opts->version > DOCRULES_VALIDATE_OPTIONS_VERSION)
        return dr_api_usage(err, "docrules_validate: options of an unknown version "
                                 "(use DOCRULES_VALIDATE_OPTIONS_INIT)");
    if (!opts->paths || !opts->npaths) return dr_api_usage(err, "docrules_validate: no path to validate");
    for (size_t i = 0; i < opts->npaths; i++)
        if (!opts->paths[i]) return dr_api_usage(err, "docrules_validate: paths[%zu] is NULL", i);
    docrules_report *x = calloc(1, sizeof *x);
    if (!x) return dr_api_no_memory(err);
    /* A version-1 struct ends before docs_only: never read there. */
    dr_validate_opts vo = {opts->paths,    opts->npaths,        opts->rules_dir, opts->jobs,
                           opts->max_bytes, opts->label,        opts->progress,  opts->progress_data,
                           opts->config,   opts->version >= 2 ? opts->docs_only : 0,
                           opts->baseline,  opts->write_baseline};
    dr_error e;
    dr_error_clear(&e);
    if (dr_validate(&vo, &x->r, &e) != DR_OK) {
        /* It may fail after the findings were made (writing the baseline). */
        dr_report_free(&x->r);
        free(x);
        return dr_api_fail(err, &e);
    }
    *out = x;
    return DOCRULES_OK;
}

void docrules_report_free(docrules_report *r) {
    if (!r) return;
    dr_report_free(&r->r);
    free(r);
}

size_t docrules_report_count(const docrules_report *r, docrules_severity s) {
    return r ? dr_report_count(&r->r, (dr_severity)s) : 0;
}

size_t docrules_report_files(const docrules_report *r) { return r ? r->r.files : 0; }
size_t docrules_report_bytes(const docrules_report *r) { return r ? r->r.bytes : 0; }
double docrules_report_seconds(const docrules_report *r) { return r ? r->r.seconds : 0.0; }

int docrules_report_format_known(const char *format) { return format && dr_report_format_known(format); }

/* What report_write and report_print both refuse. */
static int check_write(const char *fn, const void *out, const docrules_report *r, const char *format,
                       docrules_severity min, docrules_error *err) {
    dr_api_clear(err);
    if (!out || !r || !format) return dr_api_usage(err, "%s: out, the report and the format are required", fn);
    if (!dr_report_format_known(format))
        return dr_api_usage(err, "%s: the format is text, json, sarif, junit or github, not '%s'", fn, format);
    if (min < DOCRULES_SEVERITY_NOTE || min > DOCRULES_SEVERITY_ERROR)
        return dr_api_usage(err, "%s: no severity %d", fn, (int)min);
    return DOCRULES_OK;
}

int docrules_report_print(FILE *f, const docrules_report *r, const char *format, docrules_severity min,
                          docrules_error *err) {
    int rc = check_write("docrules_report_print", f, r, format, min, err);
    if (rc) return rc;
    if (dr_report_write(f, &r->r, format, (dr_severity)min) != 0 || ferror(f)) {
        dr_error e;
        dr_error_clear(&e);
        /* JUnit is written through libxml2, which may be missing. */
        const char *why = strcmp(format, "junit") == 0 ? dr_libxml_error() : NULL;
        dr_error_set(&e, DR_EIO, NULL, 0, 0, "the report could not be written%s%s", why ? ": " : "", why ? why : "");
        return dr_api_fail(err, &e);
    }
    return DOCRULES_OK;
}

int docrules_report_write(docrules_buf *out, const docrules_report *r, const char *format, docrules_severity min,
                          docrules_error *err) {
    int rc0 = check_write("docrules_report_write", out, r, format, min, err);
    if (rc0) return rc0;
    /* The writers print to a FILE, as they did for the command; a memory
     * stream hands their bytes to out unchanged. */
    char *mem = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&mem, &n);
    if (!f) return dr_api_no_memory(err);
    int rc = dr_report_write(f, &r->r, format, (dr_severity)min);
    if (fclose(f) != 0 || rc != 0) {
        free(mem);
        return dr_api_no_memory(err);
    }
    /* The caller's bytes, appended to in place; the NUL even when no
     * finding was written, so that ptr is a string. */
    docrules_buf_put(out, mem, n);
    free(mem);
    return DOCRULES_OK;
}
