/* Every real published version in ../shared/corpus-real becomes a non-empty
 * model with no error-level diagnostic. Skipped, saying so, without ../shared. */
#define _XOPEN_SOURCE 700
#include <ftw.h>

#include "testutil.h"

static char **files;
static size_t nfiles;

static int visit(const char *path, const struct stat *st, int type, struct FTW *ftw) {
    (void)st;
    (void)ftw;
    size_t n = strlen(path);
    if (type == FTW_F && n > 3 && strcmp(path + n - 3, ".md") == 0) {
        files = realloc(files, (nfiles + 1) * sizeof *files);
        files[nfiles++] = strdup(path);
    }
    return 0;
}

static void every_real_doc_extracts_cleanly(void **state) {
    (void)state;
    const char *root = DR_SHARED "/corpus-real";
    if (!path_exists(root)) skip_unless_ci("%s is absent (clone with ../shared beside it)", root);
    assert_int_equal(nftw(root, visit, 16, FTW_PHYS), 0);
    assert_true(nfiles >= 58);
    dr_parser *p = dr_parser_new(NULL);
    size_t bilingual = 0, legacy = 0;
    for (size_t i = 0; i < nfiles; i++) {
        dr_doc *d;
        dr_error e;
        assert_int_equal(dr_doc_load(p, files[i], &d, &e), DR_OK);
        size_t nd, ns, nu;
        const dr_diag *g = dr_doc_diags(d, &nd);
        for (size_t k = 0; k < nd; k++)
            if (g[k].severity == DR_SEV_ERROR)
                fail_msg("%s:%d:%d: %s: %s", files[i], g[k].line, g[k].col, g[k].code, g[k].message);
        dr_doc_sections(d, &ns);
        dr_doc_units(d, &nu);
        /* The one redirect stub has only front matter: its model is the header. */
        if (!strstr(files[i], "24098d65")) {
            assert_true(ns > 0);
            assert_true(nu > 0);
            assert_non_null(dr_doc_title(d));
        }
        assert_non_null(dr_doc_front_matter(d));
        assert_non_null(dr_doc_locale(d));
        size_t nseg;
        dr_doc_segments(d, &nseg);
        bilingual += nseg > 0;
        legacy += dr_doc_front_matter_style(d) == DR_FM_LEGACY;
        dr_doc_free(d);
        free(files[i]);
    }
    /* MANIFEST.tsv: 19 files carry bilingual spans, 6 the legacy header. */
    assert_int_equal(bilingual, 19);
    assert_int_equal(legacy, 6);
    dr_parser_free(p);
    free(files);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_real_doc_extracts_cleanly),
    };
    return cmocka_run_group_tests_name("corpus-real", tests, NULL, NULL);
}
