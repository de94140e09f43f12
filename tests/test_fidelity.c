/* Facts from every translation, graded.
 *
 * tests/fidelity/expected.tsv holds, for every declared fact each of the 58
 * real docs of ../shared/corpus-real states, the value and the line, written
 * by reading the docs (not by running docrules). Extraction over that corpus
 * is graded against it: recall per locale and per fact, values read wrong,
 * facts taken from a sentence that does not state them. `make fidelity`
 * prints the table; the suite holds the targets. tests/fidelity/
 * disagreements.tsv lists the translations that really say otherwise than
 * their English (read by hand): validate must report those and no other. */
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

#include "../engine/engine.h"
#include "../facts/facts.h"
#include "../validate/validate.h"

#define CORPUS DR_SHARED "/corpus-real"
#define EXPECTED DR_TOP "/tests/fidelity/expected.tsv"

typedef struct row {
    char doc[256], fact[64], value[128], bound[16];
    int line;
    int found;
} row;

static row *load_rows(size_t *n) {
    FILE *f = fopen(EXPECTED, "r");
    assert_non_null(f);
    row *v = NULL;
    size_t cap = 0;
    *n = 0;
    char line[4096];
    int first = 1;
    while (fgets(line, sizeof line, f)) {
        if (first) { /* the header */
            first = 0;
            continue;
        }
        char *col[6] = {0};
        char *p = line;
        for (int k = 0; k < 6 && p; k++) {
            col[k] = p;
            p = strchr(p, '\t');
            if (p) *p++ = '\0';
        }
        if (!col[3]) continue;
        if (*n == cap) v = realloc(v, (cap = cap ? cap * 2 : 512) * sizeof *v);
        row *r = &v[(*n)++];
        memset(r, 0, sizeof *r);
        snprintf(r->doc, sizeof r->doc, "%s", col[0]);
        snprintf(r->fact, sizeof r->fact, "%s", col[1]);
        snprintf(r->value, sizeof r->value, "%s", col[2]);
        r->line = atoi(col[3]);
        snprintf(r->bound, sizeof r->bound, "%s", col[4] ? col[4] : "");
    }
    fclose(f);
    return v;
}

/* The doc's path relative to the corpus ("article/locale/file.md"). */
static const char *rel(const dr_doc *d) {
    const char *p = strstr(dr_doc_path(d), "corpus-real/");
    return p ? p + 12 : dr_doc_path(d);
}

static const char *locale_of(const char *doc) {
    static char b[16];
    const char *s = strchr(doc, '/');
    snprintf(b, sizeof b, "%.*s", s ? (int)strcspn(s + 1, "/") : 0, s ? s + 1 : "");
    return b;
}

/* A fact stated at `line` is found where the unit that holds it starts:
 * on that line or up to three before (a paragraph wraps). */
static int near(int found, int line) { return found <= line && found >= line - 3; }

typedef struct tally {
    char name[64];
    int total, found;
} tally;

static void count(tally *t, size_t *n, const char *name, int found) {
    size_t i = 0;
    while (i < *n && strcmp(t[i].name, name) != 0) i++;
    if (i == *n) {
        snprintf(t[i].name, sizeof t[i].name, "%s", name);
        t[i].total = t[i].found = 0;
        (*n)++;
    }
    t[i].total++;
    t[i].found += found;
}

static int by_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* An engine over one corpus folder with a rules folder; fails the test
 * with the engine's error. */
static dr_engine *engine_over(const char *corpus, const char *rules) {
    const char *c[1] = {corpus};
    dr_engine_opts o = {rules, c, 1, 0, 0, "2026-01-01", NULL};
    dr_engine *e = NULL;
    dr_error err;
    dr_error_clear(&err);
    if (dr_engine_new(&o, &e, &err) != DR_OK) fail_msg("engine: %s:%d: %s", err.file, err.line, err.message);
    return e;
}

/* What a grading found, over the rows whose locale starts with `only`
 * (NULL: every row). */
typedef struct grade {
    int total, found, wrong_values, wrong_sentences;
} grade;

/* Grades what engine e read of the corpus against rows, marking each
 * row found or not; with verbose, says each miss. */
static grade grade_facts(dr_engine *e, row *rows, size_t nrows, const char *only, int verbose) {
    grade g = {0, 0, 0, 0};
    const dr_catalog *cat = dr_engine_catalog(e);
    size_t nf;
    const dr_fact *f = dr_factset_facts(dr_engine_factset(e), &nf);
    size_t olen = only ? strlen(only) : 0;
    for (size_t i = 0; i < nrows; i++) {
        row *r = &rows[i];
        if (only && strncmp(locale_of(r->doc), only, olen) != 0) continue;
        int fi = dr_catalog_fact_index(cat, r->fact);
        if (fi < 0) fail_msg("expected.tsv: %s is not a declared fact", r->fact);
        dr_fact_kind kind = dr_catalog_fact_kind(cat, fi);
        const char *keyv[16];
        size_t nk = 0;
        int any = 0, value_wrong = 0;
        for (size_t k = 0; k < nf; k++) {
            if (f[k].fact != fi || strcmp(rel(f[k].doc), r->doc) != 0) continue;
            if (kind == DR_FACT_PROCEDURE) {
                any |= f[k].line == r->line;
                continue;
            }
            if (!near(f[k].line, r->line)) continue;
            if (kind == DR_FACT_NUMBER) {
                if (f[k].value == atol(r->value)) any = 1;
                else value_wrong = 1;
            } else if (kind == DR_FACT_SET) {
                if (nk < 16) keyv[nk++] = f[k].key;
            } else {
                any = 1;
            }
        }
        if (kind == DR_FACT_SET) {
            /* Each value once, sorted, as the expectation lists them. */
            qsort(keyv, nk, sizeof *keyv, by_str);
            char keys[512] = "";
            for (size_t k = 0; k < nk; k++)
                if (!k || strcmp(keyv[k], keyv[k - 1]) != 0)
                    snprintf(keys + strlen(keys), sizeof keys - strlen(keys), "%s%s", keys[0] ? "," : "", keyv[k]);
            any = strcmp(keys, r->value) == 0;
        }
        if (value_wrong && !any) g.wrong_values++;
        r->found = any;
        g.total++;
        g.found += any;
        if (verbose && !any)
            printf("  missed %s %s = %s at %d%s\n", r->doc, r->fact, r->value, r->line, value_wrong ? " (value wrong)" : "");
    }
    /* Facts no expectation names at all: taken from a sentence that does
     * not state them (procedures are sections: their line is checked
     * above). */
    for (size_t k = 0; k < nf; k++) {
        dr_fact_kind kind = dr_catalog_fact_kind(cat, f[k].fact);
        if (kind == DR_FACT_PROCEDURE || !strstr(dr_doc_path(f[k].doc), "corpus-real/")) continue;
        if (only && strncmp(locale_of(rel(f[k].doc)), only, olen) != 0) continue;
        const char *name = dr_catalog_fact_name(cat, f[k].fact);
        int stated = 0;
        for (size_t i = 0; i < nrows && !stated; i++)
            stated = strcmp(rows[i].fact, name) == 0 && strcmp(rows[i].doc, rel(f[k].doc)) == 0 &&
                     (kind != DR_FACT_SET || strstr(rows[i].value, f[k].key));
        if (!stated) {
            g.wrong_sentences++;
            printf("  not stated there: %s:%d %s (%s)\n", rel(f[k].doc), f[k].line, name,
                   f[k].how == DR_HOW_ALIGNED ? "aligned" : "pattern");
        }
    }
    return g;
}

static void every_translation_is_read(void **state) {
    (void)state;
    if (!path_exists(CORPUS)) skip_unless_ci("%s is absent (clone with ../shared beside it)", CORPUS);
    size_t nrows;
    row *rows = load_rows(&nrows);
    assert_true(nrows > 300);
    dr_engine *e = engine_over(CORPUS, DR_TOP "/rules");
    grade g = grade_facts(e, rows, nrows, NULL, getenv("DOCRULES_FIDELITY_VERBOSE") != NULL);
    tally loc[64], fac[64];
    size_t nl = 0, nfa = 0;
    for (size_t i = 0; i < nrows; i++) {
        count(loc, &nl, locale_of(rows[i].doc), rows[i].found);
        count(fac, &nfa, rows[i].fact, rows[i].found);
    }
    printf("fidelity over %s: %d of %d stated facts found (%.1f%%), %d values wrong, %d facts from a "
           "sentence that does not state them\n", CORPUS, g.found, g.total, 100.0 * g.found / g.total, g.wrong_values,
           g.wrong_sentences);
    printf("  %-40s %5s %5s %7s\n", "locale", "found", "of", "recall");
    for (size_t i = 0; i < nl; i++)
        printf("  %-40s %5d %5d %6.1f%%\n", loc[i].name, loc[i].found, loc[i].total, 100.0 * loc[i].found / loc[i].total);
    printf("  %-40s %5s %5s %7s\n", "fact", "found", "of", "recall");
    for (size_t i = 0; i < nfa; i++)
        printf("  %-40s %5d %5d %6.1f%%\n", fac[i].name, fac[i].found, fac[i].total, 100.0 * fac[i].found / fac[i].total);
    /* The targets. */
    assert_true(g.found * 100 >= g.total * 95);
    assert_int_equal(g.wrong_values, 0);
    assert_int_equal(g.wrong_sentences, 0);
    free(rows);
    dr_engine_free(e);
}

/* The languages somebody wrote for, each read as if nobody had: its
 * lexicon and its patterns taken out of a copy of the rules, its docs of
 * corpus-real read and graded. What is left is what structure, digits and
 * the corpus's own links give a language of the forty no lexicon covers.
 * The bar: most of what the docs state, and nothing read wrong (a gap is
 * a warning validate gives; a wrong value is a wrong decision). */
static void languages_nobody_wrote_for_are_read(void **state) {
    (void)state;
    if (!path_exists(CORPUS)) skip_unless_ci("%s is absent (clone with ../shared beside it)", CORPUS);
    static const char *const langs[][2] = {
        {"ar", "ar-"}, {"de", "de-"}, {"es", "es-"}, {"fr", "fr-"}, {"he", "he-"}, {"ja", "ja-"}, {"ko", "ko-"},
        {"nl", "nl-"}, {"pt", "pt-"}, {"ru", "ru-"}, {"th", "th-"}, {"zh-cn", "zh-cn"}, {"zh-tw", "zh-tw"},
    };
    size_t nrows;
    row *rows = load_rows(&nrows);
    grade all = {0, 0, 0, 0};
    printf("read with no lexicon and no pattern of their own (each language held out in turn):\n");
    for (size_t i = 0; i < sizeof langs / sizeof langs[0]; i++) {
        char dir[256], cmd[4096];
        scratch_mkdtemp(dir, sizeof dir, "held-out");
        /* Every pattern of a language is one line (`nl = { ... }`, `["zh-tw"] = { ... }`). */
        snprintf(cmd, sizeof cmd,
                 "cp -R '%s/rules/.' '%s/' && rm -f '%s/lexicons/%s.lua' && "
                 "sed -i -E '/^[[:space:]]*(\\[\"%s\"\\]|%s)[[:space:]]*=[[:space:]]*\\{/d' '%s'/facts/*.lua && "
                 "! grep -qE '(\\[\"%s\"\\]|^[[:space:]]*%s)[[:space:]]*=' '%s'/facts/*.lua",
                 DR_TOP, dir, dir, langs[i][0], langs[i][0], langs[i][0], dir, langs[i][0], langs[i][0], dir);
        assert_int_equal(system(cmd), 0);
        dr_engine *e = engine_over(CORPUS, dir);
        grade g = grade_facts(e, rows, nrows, langs[i][1], getenv("DOCRULES_FIDELITY_VERBOSE") != NULL);
        printf("  %-8s %4d of %4d (%5.1f%%), %d values wrong, %d from a sentence that does not state them\n",
               langs[i][0], g.found, g.total, 100.0 * g.found / g.total, g.wrong_values, g.wrong_sentences);
        all.total += g.total;
        all.found += g.found;
        all.wrong_values += g.wrong_values;
        all.wrong_sentences += g.wrong_sentences;
        dr_engine_free(e);
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        assert_int_equal(system(cmd), 0);
    }
    printf("  all      %4d of %4d (%5.1f%%)\n", all.found, all.total, 100.0 * all.found / all.total);
    assert_true(all.total > 300);
    /* 84.5% before the terms links teach (linked.c), 88.0% with them,
     * 89.4% with the sentences a language repeats (repeated.c), 89.7%
     * once Dutch's pattern read its own docs' "wacht we 90 dagen" (the
     * French of that version, held out, is read through it): one fact
     * fewer fails. */
    assert_true(all.found * 1000 >= all.total * 897);
    assert_int_equal(all.wrong_values, 0);
    assert_int_equal(all.wrong_sentences, 0);
    free(rows);
}

static dr_report validate(const char *path) {
    const char *paths[1] = {path};
    dr_validate_opts o = {.paths = paths, .npaths = 1, .rules_dir = DR_TOP "/rules", .jobs = 2};
    dr_report r;
    dr_error err;
    assert_int_equal(dr_validate(&o, &r, &err), DR_OK);
    return r;
}

/* Validates the corpus at path: fails the test on any
 * translation-disagrees (learned terms confirm, never contradict); 1 when
 * a translation-unread is on file's line (file NULL: none asked) with a
 * message holding says. */
static int unread_and_no_disagreement(const char *path, const char *file, int line, const char *says) {
    dr_report r = validate(path);
    int unread = 0;
    for (size_t i = 0; i < r.n; i++) {
        if (!strcmp(r.v[i].code, "translation-disagrees"))
            fail_msg("%s: %s:%d: %s", path, r.v[i].file, r.v[i].line, r.v[i].message);
        unread |= file && !strcmp(r.v[i].code, "translation-unread") && strstr(r.v[i].file, file) &&
                  r.v[i].line == line && strstr(r.v[i].message, says);
    }
    dr_report_free(&r);
    return unread;
}

/* The real corpus: exactly the disagreements read by hand. */
static void validate_reports_only_real_disagreements(void **state) {
    (void)state;
    if (!path_exists(CORPUS)) skip_unless_ci("%s is absent (clone with ../shared beside it)", CORPUS);
    dr_report r = validate(CORPUS);
    char *want = slurp(DR_TOP "/tests/fidelity/disagreements.tsv", NULL);
    assert_non_null(want);
    int n = 0;
    for (size_t i = 0; i < r.n; i++) {
        if (strcmp(r.v[i].code, "translation-disagrees") != 0) continue;
        const char *p = strstr(r.v[i].file, "corpus-real/");
        char key[512];
        snprintf(key, sizeof key, "%s\t%d\t", p ? p + 12 : r.v[i].file, r.v[i].line);
        if (!strstr(want, key)) fail_msg("a disagreement no reader found: %s:%d: %s", r.v[i].file, r.v[i].line, r.v[i].message);
        n++;
    }
    int lines = 0;
    for (const char *p = want; (p = strchr(p, '\n')); p++) lines++;
    assert_int_equal(n, lines - 1); /* each one listed is reported */
    /* The one doc no article claims, a redirect stub among Azure's
     * versions, is said, not dropped in silence. */
    int stub = 0, unattributed = 0;
    for (size_t i = 0; i < r.n; i++)
        if (!strcmp(r.v[i].code, "article-unattributed")) {
            unattributed++;
            stub |= strstr(r.v[i].file, "zh-tw/OpenLocalizationTestOrg_azure-docs-pr-test.zh-TW__24098d65.md") != NULL &&
                    strstr(r.v[i].message, "versions of azure-cancel-subscription") != NULL;
        }
    assert_true(stub);
    assert_int_equal(unattributed, 1);
    free(want);
    dr_report_free(&r);
}

/* A translation edited to disagree with its version is an error on that
 * file, whatever its language: nl-NL Office 365 2018-02-21 made to say 30
 * licenses, nl-NL Azure 2017-06-27 made to say 30 days and 60 minutes, and
 * pt-BR Office 365 2018-02-21 (a language no pattern reads) made to say 20. */
static void edited_translations_are_errors(void **state) {
    (void)state;
    if (!path_exists(CORPUS)) skip_unless_ci("%s is absent (clone with ../shared beside it)", CORPUS);
    char dir[256];
    scratch_mkdtemp(dir, sizeof dir, "fidelity");
    char cmd[8192];
    snprintf(cmd, sizeof cmd,
             "cp -R '%s/.' '%s/' && cd '%s' && "
             "sed -i 's/minder dan 25 toegewezen/minder dan 30 toegewezen/' o365-cancel-subscription/nl-nl/*04315d6b.md && "
             "sed -i 's/wachten we 90 dagen/wachten we 30 dagen/; s/maximaal 10 minuten/maximaal 60 minuten/' "
             "azure-cancel-subscription/nl-nl/*37f36597.md && "
             "sed -i '29s/menos de 25/menos de 20/' o365-cancel-subscription/pt-br/*0903cba7.md && chmod -R u+w .",
             CORPUS, dir, dir);
    assert_int_equal(system(cmd), 0);
    dr_report r = validate(dir);
    static const struct {
        const char *file;
        int line;
        const char *says;
    } want[] = {
        {"o365-cancel-subscription/nl-nl/", 27, "online_cancel_max_licenses is 30 here"},
        {"azure-cancel-subscription/nl-nl/", 66, "portal_shows_within_minutes is 60 here"},
        {"azure-cancel-subscription/nl-nl/", 72, "data_retention_days is 30 here"},
        {"o365-cancel-subscription/pt-br/", 29, "online_cancel_max_licenses is 20 here"},
    };
    /* What make fidelity shows of them. */
    for (size_t i = 0; i < r.n; i++)
        if (!strcmp(r.v[i].code, "translation-disagrees"))
            printf("  disagreement after the edits: %s:%d: %s\n", strstr(r.v[i].file, "/") ? strstr(r.v[i].file, dir) ? r.v[i].file + strlen(dir) + 1 : r.v[i].file : r.v[i].file,
                   r.v[i].line, r.v[i].message);
    for (size_t k = 0; k < sizeof want / sizeof *want; k++) {
        int hit = 0;
        for (size_t i = 0; i < r.n && !hit; i++)
            hit = strcmp(r.v[i].code, "translation-disagrees") == 0 && strstr(r.v[i].file, want[k].file) &&
                  r.v[i].line == want[k].line && strstr(r.v[i].message, want[k].says);
        if (!hit) fail_msg("no translation-disagrees at %s...:%d (%s)", want[k].file, want[k].line, want[k].says);
    }
    dr_report_free(&r);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

/* What moved between versions is still read. A set read by the anchor of
 * its section (cancel_roles, anchor =
 * "^who-can-cancel"): the bundled German 2019-10 version says who can
 * cancel in a table of its own section, which no sentence of the English
 * it is read through (2019-05) aligns with; it was read as nothing. Each
 * role of the row is read there, by the German lexicon's terms; a version
 * without that section is still read through alignment. */
static void what_moved_between_versions_is_read(void **state) {
    (void)state;
    dr_engine *e = engine_over(DR_TOP "/corpus", DR_TOP "/rules");
    const dr_catalog *cat = dr_engine_catalog(e);
    size_t nf;
    const dr_fact *f = dr_factset_facts(dr_engine_factset(e), &nf);
    char got[200] = "";
    int old_version = 0, delete_first = 0, ten = 0;
    for (size_t k = 0; k < nf; k++) {
        /* A number the translation writes as a word where the English of
         * another version had digits ("bis zu zehn Minuten", "up to 10
         * minutes"), in a paragraph that took in the next one's sentence:
         * the number words say the units are one. */
        if (!strcmp(dr_catalog_fact_name(cat, f[k].fact), "portal_shows_within_minutes") &&
            strstr(dr_doc_path(f[k].doc), "de-de.2019-10-01"))
            ten = f[k].line == 57 && f[k].value == 10 && strstr(f[k].via, "en-us.2019-05-30.md:41") != NULL;
        /* A flag another version states in a list this one grew: the unit
         * of the aligned section holding its words ("Löschen Sie alle
         * Ressourcen", the fourth bullet of five, the English's only). */
        if (!strcmp(dr_catalog_fact_name(cat, f[k].fact), "delete_resources_first") &&
            strstr(dr_doc_path(f[k].doc), "de-de.2019-10-01"))
            delete_first = f[k].line == 30 && strstr(f[k].via, "that holds its words") != NULL;
        if (strcmp(dr_catalog_fact_name(cat, f[k].fact), "cancel_roles") != 0) continue;
        if (strstr(dr_doc_path(f[k].doc), "de-de.2015-10-21")) old_version = f[k].line == 27 && strstr(f[k].via, "aligned");
        if (!strstr(dr_doc_path(f[k].doc), "de-de.2019-10-01")) continue;
        assert_int_equal(f[k].line, 50);
        assert_non_null(strstr(f[k].via, "in the section #who-can-cancel-a-subscription"));
        strcat(got, f[k].key);
        strcat(got, " ");
    }
    assert_string_equal(got, "account_admin owner contributor ");
    assert_true(old_version);
    assert_true(delete_first);
    assert_true(ten);
    dr_engine_free(e);
}

/* What the version a translation was read through does not state is read
 * through the version that does. The 2021 Office 365 translations (ko-KR,
 * zh-TW; zh-CN of 2020-09 the same) say "reduce below 25 to cancel" again,
 * which the 2020-11 English nearest them had dropped; no English of their
 * version is published. The 2018 sentence has the same two 25s in the same
 * place; the 2020-11 "more than 25, call support" has one, and its
 * monolingual translations (he-IL) must not be read as stating it. The
 * zh-TW close-account of 2020-11 states its roles under
 * #before-you-begin, a section the versions before it do not have. */
static void what_a_later_version_restores_is_read(void **state) {
    (void)state;
    if (!path_exists(CORPUS)) skip_unless_ci("%s is absent (clone with ../shared beside it)", CORPUS);
    dr_engine *e = engine_over(CORPUS, DR_TOP "/rules");
    const dr_catalog *cat = dr_engine_catalog(e);
    const dr_factset *fs = dr_engine_factset(e);
    size_t nf;
    const dr_fact *f = dr_factset_facts(fs, &nf);
    int ko = 0, zh_cn = 0, zh_tw = 0, he = 0, trial = 0;
    char roles[64] = "";
    for (size_t k = 0; k < nf; k++) {
        const char *n = dr_catalog_fact_name(cat, f[k].fact), *p = dr_doc_path(f[k].doc);
        if (!strcmp(n, "remove_users_above_licenses")) {
            /* Read through a version before the 2020-11 "call support". */
            const char *through = f[k].how == DR_HOW_ALIGNED ? dr_doc_date(f[f[k].ref].doc) : NULL;
            int restored = f[k].value == 25 && through && strcmp(through, "2020-11") < 0 &&
                           strstr(f[k].via, "(the nearest does not)");
            if (strstr(p, "0258ae21")) ko = restored && f[k].line == 29 && f[k].bound == DR_BOUND_AT_LEAST;
            if (strstr(p, "03aa943e")) zh_cn = restored && f[k].line == 29 && f[k].bound == DR_BOUND_AT_LEAST;
            if (strstr(p, "abd8075c")) zh_tw = restored && f[k].line == 30 && f[k].bound == DR_BOUND_ABOVE;
            if (strstr(p, "02134a83")) he = 1;
        }
        if (!strcmp(n, "trial_nothing_to_cancel") && strstr(p, "d3f85ba3")) trial = f[k].line == 28;
        if (!strcmp(n, "close_roles") && strstr(p, "013bfbc1")) {
            assert_int_equal(f[k].line, 42);
            assert_non_null(strstr(f[k].via, "the section #before-you-begin"));
            strcat(roles, f[k].key);
            strcat(roles, " ");
        }
    }
    assert_true(ko && zh_cn && zh_tw && trial);
    assert_false(he);
    assert_string_equal(roles, "global_admin billing_admin ");

    /* And a decision: 30 licenses in Korean in 2022 (the 2021-08 version in
     * force) escalates with both ways out the 2021 text gives, citing the
     * sentence read; in 2021 (the 2020-11 version: "call support") with
     * support alone. Before, the rule needed "Let us call you", which
     * neither version says, and both were no_rule. */
    static const struct {
        const char *as_of, *remedies, *cites;
    } when[] = {
        {"2022-03-01", "\"remedies\":[{\"id\":\"remove_users\",\"count\":6},{\"id\":\"contact_support\"}]",
         "\"line\":30,\"anchor\":\"canceling-your-subscription\",\"fact\":\"remove_users_above_licenses\""},
        {"2021-01-15", "\"remedies\":[{\"id\":\"contact_support\"}]", NULL},
    };
    static const char acct[] = "{\"id\":\"a\",\"product\":\"office365\",\"locale\":\"ko-kr\","
                               "\"action\":\"cancel-subscription\",\"actor\":{\"roles\":[\"global_admin\"]},"
                               "\"assigned_licenses\":30,\"subscription\":{\"type\":\"paid\",\"payment_method\":true}}";
    for (size_t i = 0; i < sizeof when / sizeof *when; i++) {
        dr_query q = {0};
        q.as_of = when[i].as_of;
        char *out = NULL;
        dr_error err;
        dr_error_clear(&err);
        if (dr_engine_decide(e, acct, strlen(acct), &q, &out, &err) != DR_OK) fail_msg("%s", err.message);
        if (!strstr(out, "\"decision\":\"escalate\"") || !strstr(out, when[i].remedies) ||
            (when[i].cites && !strstr(out, when[i].cites)) || strstr(out, "support_calls_you"))
            fail_msg("as of %s: %s", when[i].as_of, out);
        free(out);
    }
    dr_engine_free(e);
}

/* What a second reading may not do: where the English of a doc's own
 * version is there, what it does not state is not stated. The 2021
 * English here drops "Let us call you" and words "remove users" without
 * the "either" the pattern wants; its Italian is not read as saying
 * either through the 2020 zh-TW that does (review of 42c1715 found both
 * read, and validate then blaming the English). */
static void the_english_of_a_version_settles_it(void **state) {
    (void)state;
    dr_engine *e = engine_over(DR_TOP "/tests/fixtures/second-reading", DR_TOP "/rules");
    const dr_catalog *cat = dr_engine_catalog(e);
    size_t nf;
    const dr_fact *f = dr_factset_facts(dr_engine_factset(e), &nf);
    int calls = 0, removes = 0, limit = 0;
    for (size_t k = 0; k < nf; k++) {
        if (!strstr(dr_doc_path(f[k].doc), "c.it-it.md")) continue;
        const char *n = dr_catalog_fact_name(cat, f[k].fact);
        calls += !strcmp(n, "support_calls_you");
        removes += !strcmp(n, "remove_users_above_licenses");
        /* (what the English states is read, through it) */
        limit += !strcmp(n, "online_cancel_max_licenses") && f[k].value == 25 && strstr(f[k].via, "b.en-us.md:12");
    }
    assert_int_equal(calls, 0);
    assert_int_equal(removes, 0);
    assert_int_equal(limit, 1);
    dr_engine_free(e);
}

/* A language nobody wrote anything for (Italian: no pattern, no lexicon):
 * its numbers are read by their place in the aligned unit, its flags by the
 * unit being there; its roles cannot be read, which validate says, naming
 * the unit. Then an author adds rules/lexicons/it.lua with one term and the
 * role is read. */
static void a_language_without_patterns_is_read(void **state) {
    (void)state;
    dr_engine *e = engine_over(DR_TOP "/tests/fixtures/aligned", DR_TOP "/rules");
    const dr_catalog *cat = dr_engine_catalog(e);
    size_t nf;
    const dr_fact *f = dr_factset_facts(dr_engine_factset(e), &nf);
    int days = 0, minutes = 0, flag = 0, role = 0;
    for (size_t k = 0; k < nf; k++) {
        if (!strstr(dr_doc_path(f[k].doc), "it-it")) continue;
        const char *n = dr_catalog_fact_name(cat, f[k].fact);
        assert_int_equal(f[k].how, DR_HOW_ALIGNED);
        assert_non_null(strstr(f[k].via, "cancel.en-us.md"));
        if (!strcmp(n, "data_retention_days")) days = f[k].line == 15 && f[k].value == 90;
        if (!strcmp(n, "portal_shows_within_minutes")) minutes = f[k].line == 13 && f[k].value == 10;
        if (!strcmp(n, "billing_stops_immediately")) flag = f[k].line == 13;
        if (!strcmp(n, "cancel_roles")) role = 1;
    }
    assert_true(days && minutes && flag);
    assert_false(role);
    dr_engine_free(e);

    /* The rules with an Italian lexicon of one term. */
    char dir[256];
    scratch_mkdtemp(dir, sizeof dir, "lexicon");
    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             "cp -R '%s/rules/.' '%s/' && printf '%%s\n' 'lexicon \"it\" {' "
             "'  terms = { account_admin = { [[amministratore dell.account]] } },' '}' > '%s/lexicons/it.lua'",
             DR_TOP, dir, dir);
    assert_int_equal(system(cmd), 0);
    e = engine_over(DR_TOP "/tests/fixtures/aligned", dir);
    f = dr_factset_facts(dr_engine_factset(e), &nf);
    for (size_t k = 0; k < nf; k++)
        if (strstr(dr_doc_path(f[k].doc), "it-it") && f[k].key &&
            !strcmp(dr_catalog_fact_name(dr_engine_catalog(e), f[k].fact), "cancel_roles"))
            role = f[k].line == 9 && !strcmp(f[k].key, "account_admin");
    assert_true(role);
    dr_engine_free(e);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);

    /* validate: the role the translation cannot be read in is a warning on
     * its unit; an edited number is an error naming the English line. */
    dr_report r = validate(DR_TOP "/tests/fixtures/aligned");
    int unread = 0;
    for (size_t i = 0; i < r.n; i++)
        unread |= !strcmp(r.v[i].code, "translation-unread") && strstr(r.v[i].file, "cancel.it-it.md") &&
                  r.v[i].line == 9 && strstr(r.v[i].message, "cancel_roles");
    assert_true(unread);
    for (size_t i = 0; i < r.n; i++)
        if (!strcmp(r.v[i].code, "translation-disagrees")) fail_msg("%s:%d: %s", r.v[i].file, r.v[i].line, r.v[i].message);
    dr_report_free(&r);
    char edited[256];
    scratch_mkdtemp(edited, sizeof edited, "aligned");
    snprintf(cmd, sizeof cmd, "cp '%s/tests/fixtures/aligned/'*.md '%s/' && sed -i 's/attendiamo 90 giorni/attendiamo 30 giorni/' '%s/cancel.it-it.md'",
             DR_TOP, edited, edited);
    assert_int_equal(system(cmd), 0);
    r = validate(edited);
    int wrong = 0;
    for (size_t i = 0; i < r.n; i++)
        wrong |= !strcmp(r.v[i].code, "translation-disagrees") && strstr(r.v[i].file, "cancel.it-it.md") &&
                 r.v[i].line == 15 && strstr(r.v[i].message, "data_retention_days is 30 here") &&
                 strstr(r.v[i].message, "cancel.en-us.md:15");
    assert_true(wrong);
    dr_report_free(&r);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", edited);
    assert_int_equal(system(cmd), 0);
}

/* The fact of engine e named name (with key, or any) in the doc whose
 * path ends in doc, or NULL. */
static const dr_fact *fact_in(dr_engine *e, const char *doc, const char *name, const char *key) {
    size_t nf;
    const dr_fact *f = dr_factset_facts(dr_engine_factset(e), &nf);
    for (size_t k = 0; k < nf; k++) {
        const char *p = dr_doc_path(f[k].doc);
        size_t lp = strlen(p), ld = strlen(doc);
        if (lp >= ld && !strcmp(p + lp - ld, doc) && !strcmp(dr_catalog_fact_name(dr_engine_catalog(e), f[k].fact), name) &&
            (!key || (f[k].key && !strcmp(f[k].key, key))))
            return &f[k];
    }
    return NULL;
}

/* Italian again, with no lexicon: where the English links its term for
 * a value ("[Account Administrator](billing-subscription-transfer.md#whoisaa)"),
 * the Italian of the same article linking the same target teaches the
 * Italian term, which then reads that doc and the Italian docs with no
 * link (2016). A version naming a value no link taught (2019: owners,
 * contributors) is not read in part: a gap, which validate says, never a
 * disagreement. A text taught for two values is a term for neither. */
static void a_term_a_link_teaches_reads_the_language(void **state) {
    (void)state;
    dr_engine *e = engine_over(DR_TOP "/tests/fixtures/linked", DR_TOP "/rules");
    const dr_fact *f18 = fact_in(e, "cancel.it-it.2018.md", "cancel_roles", "account_admin");
    const dr_fact *f16 = fact_in(e, "cancel.it-it.2016.md", "cancel_roles", "account_admin");
    assert_non_null(f18);
    assert_non_null(f16);
    assert_int_equal(f18->line, 9);
    assert_int_equal(f16->line, 8);
    assert_int_equal(f16->how, DR_HOW_ALIGNED);
    /* 2016 has no link: its term is the one 2018's taught. */
    assert_non_null(strstr(f16->via, "link to billing-subscription-transfer.md#whoisaa taught"));
    assert_non_null(strstr(f16->via, "cancel.it-it.2018.md:9"));
    assert_non_null(strstr(f16->via, "cancel.en-us.2016.md"));
    assert_null(fact_in(e, "cancel.it-it.2019.md", "cancel_roles", NULL));
    assert_non_null(fact_in(e, "cancel.en-us.2019.md", "cancel_roles", "owner"));
    dr_engine_free(e);

    assert_true(unread_and_no_disagreement(DR_TOP "/tests/fixtures/linked", "cancel.it-it.2019.md", 9,
                                           "no link of its docs taught a term for owner"));

    /* A link's text with invisible characters and spaces at its ends
     * ("[\u200b\u00a0amministratore dell'account\u200b\u200b ]", as machine
     * translation leaves them) teaches the words that show: the term then
     * reads 2016's sentence, which has none of them
     * (tests/fixtures/linked-zwends). */
    e = engine_over(DR_TOP "/tests/fixtures/linked-zwends", DR_TOP "/rules");
    assert_non_null(fact_in(e, "cancel.it-it.2018.md", "cancel_roles", "account_admin"));
    f16 = fact_in(e, "cancel.it-it.2016.md", "cancel_roles", "account_admin");
    assert_non_null(f16);
    assert_int_equal(f16->how, DR_HOW_ALIGNED);
    dr_engine_free(e);

    /* Once links have taught every value a version names (2020 links the
     * owners too), a unit that holds only some of their terms (2021's
     * Italian says "titolari" for owners) is not read in part either. */
    char more[256], mcmd[1024];
    scratch_mkdtemp(more, sizeof more, "linked-more");
    snprintf(mcmd, sizeof mcmd, "cp '%s/tests/fixtures/linked/'*.md '%s/tests/fixtures/linked-more/'*.md '%s/'", DR_TOP,
             DR_TOP, more);
    assert_int_equal(system(mcmd), 0);
    e = engine_over(more, DR_TOP "/rules");
    const dr_fact *owner = fact_in(e, "cancel.it-it.2020.md", "cancel_roles", "owner");
    assert_non_null(owner);
    assert_int_equal(owner->line, 11);
    assert_non_null(fact_in(e, "cancel.en-us.2021.md", "cancel_roles", "owner"));
    assert_null(fact_in(e, "cancel.it-it.2021.md", "cancel_roles", NULL));
    dr_engine_free(e);
    assert_true(unread_and_no_disagreement(more, "cancel.it-it.2021.md", 9, "and only those"));
    snprintf(mcmd, sizeof mcmd, "rm -rf '%s'", more);
    assert_int_equal(system(mcmd), 0);

    /* What review (helper-53) made of it, each a false error or a wrong
     * fact before its guard (tests/fixtures/linked-wrong):
     * xver: a 2021 Italian "only the [owners](roles.md)" beside a 2018
     *   English "[Account Administrator](roles.md)": the English compared
     *   is the nearest version linking the target, here 2021's "[roles]";
     * tr: "Sahip" (owner) is also "to have": a learned reading finds what
     *   the reference states there and only that, else nothing;
     * sv: "[här](...#whoisaa)" ("here") is no term for "Account
     *   Administrator": a term is about as long as the English one;
     * overlap: "proprietario dell'account" (account admin) and
     *   "Proprietario" (owner) read each other: a term for neither, or
     *   2021's "only the account's owner" would read as admin and owner,
     *   which its English says;
     * word: "amministratore", learned, is not in "sottoamministratore"
     *   (a whole word, in a script that spaces its words);
     * (helper-55) own: as xver, but 2021's English links nothing there:
     *   the English of the doc's own version, where it exists, alone is
     *   compared;
     * section: 2022's "only the owners" beside a later sentence "questions
     *   go to the account administrator": learned terms read only the
     *   aligned unit, never another of its section;
     * zwsp: sv's "[här]" with a zero-width space first was taken for a
     *   word of a script that does not space its words (by its first
     *   byte), so neither its length nor whole words held: the script is
     *   its first letter's (common/utf8.h, dr_utf8_spaced_script);
     * zwlen: sv's "[här]" with six zero-width spaces after it counted
     *   nine characters, long enough beside "Account Administrator"; a
     *   term's length is its characters that show (dr_utf8_shown);
     * twoenglish: two English docs of the Italian's version, one linking
     *   roles.md from "Account Administrator", the other from "roles":
     *   which one taught the term went by the files' names (-a learned,
     *   -b did not); English that disagrees teaches nothing;
     * twosized: as twoenglish, but both name the admin, from "Account
     *   Administrator" and "the Azure Account Administrator": whether the
     *   Italian "admin conto" was long enough went by the one first by
     *   name (-a learned, -b did not); each must find it so. */
    static const char *const wrong[][2] = {
        {"xver", "cancel.it-it.2021.md"}, {"tr", "cancel.tr-tr.2021.md"},
        {"sv", "cancel.sv-se.2018.md"},   {"sv", "cancel.sv-se.2019.md"},
        {"overlap", "cancel.it-it.2018.md"}, {"overlap", "cancel.it-it.2021.md"},
        {"word", "cancel.it-it.2021.md"},  {"own", "cancel.it-it.2021.md"},
        {"section", "cancel.it-it.2022.md"}, {"zwsp", "cancel.sv-se.2018.md"},
        {"zwlen", "cancel.sv-se.2018.md"},
        {"twoenglish-a", "z.it-it.2018.md"}, {"twoenglish-b", "z.it-it.2018.md"},
        {"twosized-a", "z.it-it.2018.md"},   {"twosized-b", "z.it-it.2018.md"},
    };
    for (size_t i = 0; i < sizeof wrong / sizeof wrong[0]; i++) {
        char at[256];
        snprintf(at, sizeof at, DR_TOP "/tests/fixtures/linked-wrong/%s", wrong[i][0]);
        e = engine_over(at, DR_TOP "/rules");
        if (fact_in(e, wrong[i][1], "cancel_roles", NULL)) fail_msg("%s: %s reads cancel_roles", wrong[i][0], wrong[i][1]);
        if (!strcmp(wrong[i][0], "section")) assert_non_null(fact_in(e, "cancel.it-it.2021.md", "cancel_roles", "account_admin"));
        if (!strcmp(wrong[i][0], "word")) assert_non_null(fact_in(e, "cancel.it-it.2020.md", "cancel_roles", "account_admin"));
        if (!strcmp(wrong[i][0], "tr")) { /* 2020 says both, and its links teach both */
            assert_non_null(fact_in(e, "cancel.tr-tr.2020.md", "cancel_roles", "account_admin"));
            assert_non_null(fact_in(e, "cancel.tr-tr.2020.md", "cancel_roles", "owner"));
        }
        dr_engine_free(e);
        unread_and_no_disagreement(at, NULL, 0, NULL);
    }

    /* (helper-55) A set stated in two units: the English's admin as a
     * link (which teaches the Italian term), its owners in the next
     * sentence (no link names them). The Italian is read in the first and
     * is a gap in the second; validate compared the union of each doc's
     * values and called that a disagreement. The owners are unread there,
     * not said otherwise (tests/fixtures/linked-gap/it). What a
     * translation states that its English does not still disagrees: the
     * German's lexicon reads contributors beside the owners (de). */
    e = engine_over(DR_TOP "/tests/fixtures/linked-gap/it", DR_TOP "/rules");
    assert_non_null(fact_in(e, "cancel.it-it.2021.md", "cancel_roles", "account_admin"));
    assert_null(fact_in(e, "cancel.it-it.2021.md", "cancel_roles", "owner"));
    dr_engine_free(e);
    assert_true(unread_and_no_disagreement(DR_TOP "/tests/fixtures/linked-gap/it", "cancel.it-it.2021.md", 11,
                                           "cancel.en-us.2021.md:11 states owner"));
    /* The unread value's warning is at the gap of its own unit, with that
     * gap's reason: the owners' sentence (15), whose words no link taught,
     * not the first gap of the section (13, the administrator's sentence,
     * where the taught term is missing), which says nothing of owners
     * (tests/fixtures/linked-gap/unit). */
    assert_true(unread_and_no_disagreement(DR_TOP "/tests/fixtures/linked-gap/unit", "cancel.it-it.2021.md", 15,
                                           "no link of its docs taught a term for owner"));
    dr_report r = validate(DR_TOP "/tests/fixtures/linked-gap/de");
    int extra = 0;
    for (size_t i = 0; i < r.n; i++)
        extra |= !strcmp(r.v[i].code, "translation-disagrees") && strstr(r.v[i].file, "cancel.de-de.2021.md") &&
                 strstr(r.v[i].message, "{account_admin,contributor,owner} here");
    assert_true(extra);
    dr_report_free(&r);
}

/* Machine translation repeats itself: a sentence a bilingual doc pairs
 * with the English that states a flag states it wherever the locale says
 * that very sentence, whatever the version (2021 moved the refund under a
 * heading of its own, where nothing aligns with 2020's place for it). Not:
 * other words (2022: "non verrà restituito"); the sentence inside another
 * that says the opposite (2023: 'Until 2021: "..." Since 2022 no credit is
 * returned'); another locale (it-CH); a version whose English exists and
 * does not say it; a heading's words. */
static void a_sentence_the_language_repeats_states_the_same(void **state) {
    (void)state;
    dr_engine *e = engine_over(DR_TOP "/tests/fixtures/repeated", DR_TOP "/rules");
    const dr_fact *f20 = fact_in(e, "cancel.it-it.2020.md", "prorated_credit_next_cycle", NULL);
    const dr_fact *f21 = fact_in(e, "cancel.it-it.2021.md", "prorated_credit_next_cycle", NULL);
    assert_non_null(f20);
    assert_true(f20->from_source);
    assert_non_null(f21);
    assert_int_equal(f21->line, 13);
    assert_int_equal(f21->how, DR_HOW_ALIGNED);
    assert_non_null(strstr(f21->via, "the same sentence as"));
    assert_non_null(strstr(f21->via, "cancel.it-it.2020.md:11"));
    assert_null(fact_in(e, "cancel.it-it.2022.md", "prorated_credit_next_cycle", NULL));
    assert_null(fact_in(e, "cancel.it-it.2023.md", "prorated_credit_next_cycle", NULL));
    assert_null(fact_in(e, "cancel.it-ch.2021.md", "prorated_credit_next_cycle", NULL));
    /* Only the flag: the number of 2020 is not in 2021's words. */
    assert_null(fact_in(e, "cancel.it-it.2021.md", "online_cancel_max_licenses", NULL));
    dr_engine_free(e);

    char dir[256], cmd[4096];
    /* The 2021 English, which says nothing of a refund: it settles 2021. */
    scratch_mkdtemp(dir, sizeof dir, "repeated");
    snprintf(cmd, sizeof cmd,
             "cp '%s/tests/fixtures/repeated/'*.md '%s/' && cd '%s' && printf '%%s\\n' '---' "
             "'title: Canceling your Office 365 subscription?' 'ms.assetid: e0ba53f0-3b0a-4082-a42f-40f2b45ad91a' "
             "'ms.contentlocale: en-US' 'ms.date: 08/11/2021' '---' "
             "'# <a name=\"canceling-your-subscription\"></a>Canceling your subscription' '' "
             "'To cancel your subscription, call support.' > cancel.en-us.2021.md",
             DR_TOP, dir, dir);
    assert_int_equal(system(cmd), 0);
    e = engine_over(dir, DR_TOP "/rules");
    assert_null(fact_in(e, "cancel.it-it.2021.md", "prorated_credit_next_cycle", NULL));
    dr_engine_free(e);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);

    /* A table cell of the bilingual doc pairs the same English with other
     * words ("Nessun credito..."): only the sentences of the unit the flag
     * was read in are evidence (helper-55). */
    e = engine_over(DR_TOP "/tests/fixtures/repeated-cell", DR_TOP "/rules");
    assert_non_null(fact_in(e, "cancel.it-it.2020.md", "prorated_credit_next_cycle", NULL));
    assert_null(fact_in(e, "cancel.it-it.2022.md", "prorated_credit_next_cycle", NULL));
    dr_engine_free(e);

    /* The 2020 refund as a heading: a heading is no sentence to go by. */
    scratch_mkdtemp(dir, sizeof dir, "repeated");
    snprintf(cmd, sizeof cmd,
             "cp '%s/tests/fixtures/repeated/'*.md '%s/' && cd '%s' && "
             "sed -i 's/^<span data-ttu-id=\"a1-110\">/## &/' cancel.it-it.2020.md && grep -q '^## <span' cancel.it-it.2020.md",
             DR_TOP, dir, dir);
    assert_int_equal(system(cmd), 0);
    e = engine_over(dir, DR_TOP "/rules");
    assert_non_null(fact_in(e, "cancel.it-it.2020.md", "prorated_credit_next_cycle", NULL));
    assert_null(fact_in(e, "cancel.it-it.2021.md", "prorated_credit_next_cycle", NULL));
    dr_engine_free(e);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);

    /* Two sentences of two flags that begin alike ("Rimborso:
     * l'eventuale credito ..."), the trial's in two sentences, looked up
     * by the hash of the whole: each is read where a sentence of 2022
     * starts, the one after "Grazie." too; 2023's near misses (another
     * last word, no full stop) state neither
     * (tests/fixtures/repeated-prefix). */
    e = engine_over(DR_TOP "/tests/fixtures/repeated-prefix", DR_TOP "/rules");
    assert_non_null(fact_in(e, "cancel.it-it.2022.md", "prorated_credit_next_cycle", NULL));
    assert_non_null(fact_in(e, "cancel.it-it.2022.md", "trial_nothing_to_cancel", NULL));
    assert_null(fact_in(e, "cancel.it-it.2023.md", "prorated_credit_next_cycle", NULL));
    assert_null(fact_in(e, "cancel.it-it.2023.md", "trial_nothing_to_cancel", NULL));
    dr_engine_free(e);
}

/* What a doc struck out it no longer says: "fewer than ~~25~~ 30
 * licenses" states 30, and a flag's sentence struck out (~~...~~ or
 * <del>) states nothing, for a pattern as for a number
 * (tests/fixtures/struck; parsers/markdown.c and inline.c leave struck
 * text out of a unit's text). */
static void struck_out_text_states_nothing(void **state) {
    (void)state;
    dr_engine *e = engine_over(DR_TOP "/tests/fixtures/struck", DR_TOP "/rules");
    const dr_fact *n = fact_in(e, "cancel.en-us.2021.md", "online_cancel_max_licenses", NULL);
    assert_non_null(n);
    assert_int_equal(n->value, 30);
    assert_null(fact_in(e, "cancel.en-us.2021.md", "prorated_credit_next_cycle", NULL));
    dr_engine_free(e);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_translation_is_read),
        cmocka_unit_test(a_language_without_patterns_is_read),
        cmocka_unit_test(languages_nobody_wrote_for_are_read),
        cmocka_unit_test(a_term_a_link_teaches_reads_the_language),
        cmocka_unit_test(a_sentence_the_language_repeats_states_the_same),
        cmocka_unit_test(what_moved_between_versions_is_read),
        cmocka_unit_test(what_a_later_version_restores_is_read),
        cmocka_unit_test(the_english_of_a_version_settles_it),
        cmocka_unit_test(validate_reports_only_real_disagreements),
        cmocka_unit_test(edited_translations_are_errors),
        cmocka_unit_test(struck_out_text_states_nothing),
    };
    return cmocka_run_group_tests_name("fidelity", tests, scratch_setup, scratch_teardown);
}
