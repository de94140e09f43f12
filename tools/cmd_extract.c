/* docrules extract FILE...        the document model as JSON
 * docrules extract --stats PATH...  throughput and diagnostics over a tree */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/alloc.h"
#include "../include/docrules.h"
#include "cli.h"

typedef struct code_count {
    char *code; /* a copy: the doc's own goes with it */
    size_t docs;
} code_count;

static int stats(docrules_parser *p, int n, char **paths) {
    dr_filelist fl = {0};
    for (int i = 0; i < n; i++) dr_filelist_collect(&fl, paths[i]);
    dr_filelist_sort(&fl);
    size_t bytes = 0, with_diags = 0, with_errors = 0, failed = 0;
    code_count counts[64];
    size_t ncodes = 0;
    double t0 = dr_now();
    for (size_t i = 0; i < fl.n; i++) {
        docrules_doc *d;
        docrules_error err;
        if (docrules_doc_load(&d, p, fl.paths[i], &err) != DOCRULES_OK) {
            dr_cli_api_error(&err);
            failed++;
            continue;
        }
        bytes += docrules_doc_bytes(d);
        size_t nd = docrules_doc_diag_count(d);
        if (nd) with_diags++;
        if (docrules_doc_has_errors(d)) with_errors++;
        /* Count each code once per doc: "how many docs have this problem". */
        for (size_t k = 0; k < nd; k++) {
            const char *code = docrules_doc_diag_code(d, k);
            int seen = 0;
            for (size_t j = 0; j < k; j++)
                if (strcmp(docrules_doc_diag_code(d, j), code) == 0) seen = 1;
            if (seen) continue;
            size_t c = 0;
            while (c < ncodes && strcmp(counts[c].code, code) != 0) c++;
            if (c == ncodes && ncodes < 64) counts[ncodes++] = (code_count){dr_xstrdup(code), 0};
            if (c < ncodes) counts[c].docs++;
        }
        docrules_doc_free(d);
    }
    double secs = dr_now() - t0;
    printf("files: %zu\n", fl.n);
    printf("bytes: %zu (%.2f MB)\n", bytes, (double)bytes / 1e6);
    printf("seconds: %.3f\n", secs);
    printf("throughput: %.2f MB/s, %.0f files/s\n", secs > 0 ? (double)bytes / 1e6 / secs : 0.0,
           secs > 0 ? (double)fl.n / secs : 0.0);
    printf("peak_rss: %.1f MiB\n", (double)dr_peak_rss_kib() / 1024.0);
    printf("docs with diagnostics: %zu (with errors: %zu)\n", with_diags, with_errors);
    for (size_t c = 0; c < ncodes; c++) {
        printf("  %s: %zu\n", counts[c].code, counts[c].docs);
        free(counts[c].code);
    }
    if (failed || fl.unreadable) printf("unreadable: %zu\n", failed + fl.unreadable);
    int rc = (failed || fl.unreadable) ? DR_EXIT_USAGE : DR_EXIT_OK;
    dr_filelist_free(&fl);
    return rc;
}

int dr_cmd_extract(int argc, char **argv) {
    int want_stats = 0, compact = 0;
    size_t max_bytes = 0;
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        }
        if (strcmp(argv[i], "--stats") == 0) want_stats = 1;
        else if (strcmp(argv[i], "--compact") == 0) compact = 1;
        else if (strcmp(argv[i], "--max-bytes") == 0 && i + 1 < argc) {
            char *end;
            unsigned long long v = strtoull(argv[++i], &end, 10);
            if (*end || !v) return dr_cli_usage("extract", "--max-bytes wants a positive number");
            max_bytes = (size_t)v;
        } else
            return dr_cli_usage("extract", "unknown option '%s'", argv[i]);
    }
    if (i >= argc) return dr_cli_usage("extract", "no file given");
    docrules_parser_options opts = DOCRULES_PARSER_OPTIONS_INIT;
    opts.max_bytes = max_bytes;
    docrules_parser *p;
    docrules_error err;
    if (docrules_parser_new(&p, &opts, &err) != DOCRULES_OK) {
        dr_cli_error("cannot initialize the parsers");
        return DR_EXIT_USAGE;
    }
    if (want_stats) {
        int rc = stats(p, argc - i, argv + i);
        docrules_parser_free(p);
        return rc;
    }
    int rc = DR_EXIT_OK, several = argc - i > 1;
    if (several) fputs("[\n", stdout);
    int first = 1;
    docrules_buf out = DOCRULES_BUF_INIT;
    for (; i < argc; i++) {
        docrules_doc *d;
        if (docrules_doc_load(&d, p, argv[i], &err) != DOCRULES_OK) {
            dr_cli_api_error(&err);
            rc = DR_EXIT_USAGE;
            continue;
        }
        out.size = 0;
        if (docrules_doc_to_json(&out, d, compact ? 0 : 2, &err) != DOCRULES_OK) {
            dr_cli_api_error(&err);
            rc = DR_EXIT_USAGE;
            docrules_doc_free(d);
            continue;
        }
        if (!first) fputs(",\n", stdout);
        first = 0;
        fwrite(out.ptr, 1, out.size, stdout);
        docrules_doc_free(d);
    }
    docrules_buf_dispose(&out);
    if (several) fputs("\n]", stdout);
    fputc('\n', stdout);
    docrules_parser_free(p);
    return rc;
}
