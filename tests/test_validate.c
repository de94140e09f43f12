/* docrules validate: each check has a fixture that triggers it (dirty/)
 * and one that does not (clean/). */
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

#include "../include/docrules.h"

#include "../validate/internal.h"
#include "../validate/validate.h"

static dr_report run(const char *path, const char *rules) {
    const char *paths[1] = {path};
    dr_validate_opts o = {.paths = paths, .npaths = 1, .rules_dir = rules, .jobs = 2};
    dr_report r;
    dr_error err;
    assert_int_equal(dr_validate(&o, &r, &err), DR_OK);
    return r;
}

/* The finding with this code on this file (a suffix of its path) and line. */
static const dr_finding *find(const dr_report *r, const char *file, int line, const char *code) {
    for (size_t i = 0; i < r->n; i++) {
        size_t fl = strlen(r->v[i].file), k = strlen(file);
        if (fl >= k && strcmp(r->v[i].file + fl - k, file) == 0 && r->v[i].line == line &&
            strcmp(r->v[i].code, code) == 0)
            return &r->v[i];
    }
    return NULL;
}

#define FIX DR_TOP "/tests/fixtures/validate"

static void dirty_fixture_triggers_every_doc_check(void **state) {
    (void)state;
    dr_report r = run(FIX "/dirty", DR_TOP "/rules");
    static const struct {
        const char *file;
        int line;
        const char *code;
        dr_severity sev;
    } want[] = {
        {"dirty/keys-missing.md", 2, "front-matter-key-missing", DR_SEV_WARNING},
        {"dirty/no-front-matter.md", 1, "front-matter-absent", DR_SEV_NOTE},
        {"dirty/bad-date.md", 3, "date-invalid", DR_SEV_WARNING},
        {"dirty/locale.fr-fr.md", 4, "locale-mismatch", DR_SEV_WARNING},
        {"o365/bilingual.zh-tw.md", 8, "bilingual-untranslated", DR_SEV_NOTE},
        {"o365/bilingual.zh-tw.md", 9, "bilingual-unpaired", DR_SEV_ERROR},
        {"o365/cancel.en-us.md", 9, "policy-gap", DR_SEV_WARNING},
        {"o365/cancel.en-us.md", 10, "policy-gap", DR_SEV_WARNING},
        {"o365/cancel.en-us.md", 12, "link-anchor-missing", DR_SEV_WARNING},
        {"o365/cancel.en-us.md", 12, "link-file-missing", DR_SEV_WARNING},
        {"o365/cancel.en-us.md", 18, "anchor-duplicate", DR_SEV_WARNING},
        {"o365/cancel.en-us.md", 20, "section-empty", DR_SEV_WARNING},
        {"o365/cancel.en-us.md", 24, "list-numbering", DR_SEV_WARNING},
        {"o365/cancel.en-us.md", 31, "step-empty", DR_SEV_WARNING},
        {"o365/cancel.nl-nl.md", 9, "translation-disagrees", DR_SEV_ERROR},
        {"o365/cancel.nl-nl.md", 1, "translation-unread", DR_SEV_WARNING},
        {"o365/cancel.nl-nl.md", 9, "mt-too-glued", DR_SEV_WARNING},
        {"o365/cancel.nl-nl.md", 9, "mt-hello-for-the", DR_SEV_WARNING},
        {"o365/cancel.en-us.2020.md", 9, "fact-changed", DR_SEV_NOTE},
        {"rules/office365-cancel.lua", 89, "rule-fact-unstated", DR_SEV_ERROR},
        {"rules/facts/office365-cancel-subscription.lua", 50, "rule-fact-locales", DR_SEV_WARNING},
    };
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        const dr_finding *f = find(&r, want[i].file, want[i].line, want[i].code);
        if (!f) fail_msg("no %s at %s:%d", want[i].code, want[i].file, want[i].line);
        assert_int_equal(f->severity, want[i].sev);
    }
    /* The artifact is pointed at to the column. */
    const dr_finding *f = find(&r, "o365/cancel.nl-nl.md", 9, "mt-too-glued");
    assert_int_equal(f->col, 57);
    /* A translation that disagrees is the error, naming the English doc
     * and line; the English is not. */
    f = find(&r, "o365/cancel.nl-nl.md", 9, "translation-disagrees");
    assert_non_null(strstr(f->message, "is 10 here, but "));
    assert_non_null(strstr(f->message, "cancel.en-us.md:9 (version 2018-02-21) says 25"));
    assert_null(find(&r, "o365/cancel.en-us.md", 9, "translation-disagrees"));
    assert_true(dr_report_count(&r, DR_SEV_ERROR) > 0);
    dr_report_free(&r);
}

static void clean_fixture_triggers_no_doc_check(void **state) {
    (void)state;
    dr_report r = run(FIX "/clean", DR_TOP "/rules");
    for (size_t i = 0; i < r.n; i++)
        if (strstr(r.v[i].file, "fixtures/validate/clean"))
            fail_msg("%s:%d: %s: %s", r.v[i].file, r.v[i].line, r.v[i].code, r.v[i].message);
    /* "tool", "took", "tooth" are English, not artifacts; the links and
     * numbering resolve; the bounds leave no gap. */
    assert_int_equal(dr_report_count(&r, DR_SEV_ERROR), 0);
    dr_report_free(&r);
}

static void rule_scripts_are_checked_too(void **state) {
    (void)state;
    dr_report r = run(FIX "/clean", DR_TOP "/tests/fixtures/rules-badsyntax");
    assert_non_null(find(&r, "rules-badsyntax/broken.lua", 6, "rule-load-error"));
    dr_report_free(&r);
    r = run(DR_TOP "/corpus", FIX "/rules-casedoc");
    assert_non_null(find(&r, "rules-casedoc/tests/cases.lua", 1, "rule-case-doc-missing"));
    dr_report_free(&r);
}

/* The bundled corpus has one error, and it is real: the ja-JP 2018 doc
 * says "25 以上" (25 or more) where its English source says "more than
 * 25". Nothing else is an error. */
static void bundled_corpus_has_only_its_real_error(void **state) {
    (void)state;
    dr_report r = run(DR_TOP "/corpus", DR_TOP "/rules");
    for (size_t i = 0; i < r.n; i++) {
        if (r.v[i].severity != DR_SEV_ERROR) continue;
        if (strstr(r.v[i].file, "office365/cancel-subscription.ja-jp.2018-02-21.md") && r.v[i].line == 31 &&
            strcmp(r.v[i].code, "translation-disagrees") == 0 && strstr(r.v[i].message, "at_least here") &&
            strstr(r.v[i].message, "says above"))
            continue;
        fail_msg("%s:%d: %s: %s", r.v[i].file, r.v[i].line, r.v[i].code, r.v[i].message);
    }
    assert_int_equal(dr_report_count(&r, DR_SEV_ERROR), 1);
    assert_int_equal(r.files, 23);
    dr_report_free(&r);
}

static void formats_and_exit_status(void **state) {
    (void)state;
    char cmd[2048], sarif[512];
    scratch_path(sarif, sizeof sarif, "v.sarif");
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s' validate '%s/dirty' --format sarif > '%s' 2>/dev/null",
             DR_TOP, DR_BUILD "/docrules", FIX, sarif);
    int st = system(cmd);
    assert_int_equal(WEXITSTATUS(st), 1);
    char *s = slurp(sarif, NULL);
    assert_non_null(s);
    assert_non_null(strstr(s, "\"version\": \"2.1.0\""));
    assert_non_null(strstr(s, "\"ruleId\": \"translation-disagrees\""));
    free(s);
    /* 0 without errors, 1 with (the bundled corpus has its ja-JP one). */
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s' validate '%s/clean' >/dev/null 2>&1", DR_TOP, DR_BUILD "/docrules", FIX);
    assert_int_equal(WEXITSTATUS(system(cmd)), 0);
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s' validate >/dev/null 2>&1", DR_TOP, DR_BUILD "/docrules");
    assert_int_equal(WEXITSTATUS(system(cmd)), 1);
    snprintf(cmd, sizeof cmd,
             "cd '%s' && test \"$('%s' validate '%s/dirty' --min-severity error 2>/dev/null | "
             "grep -c -v ': error: ')\" = 0",
             DR_TOP, DR_BUILD "/docrules", FIX);
    assert_int_equal(WEXITSTATUS(system(cmd)), 0);
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s' validate --format yaml >/dev/null 2>&1", DR_TOP, DR_BUILD "/docrules");
    assert_int_equal(WEXITSTATUS(system(cmd)), 2);
    unlink(sarif);
}

/* Runs a shell command; its exit status. */
#define DR DR_BUILD "/docrules"

/* The same findings and exit status from any folder; rule checks only for
 * the articles of the docs validated, none with --docs-only; a path that is
 * not there is exit 2 with one message. */
static void results_do_not_depend_on_the_folder(void **state) {
    (void)state;
    char v1[512], v2[512], v3[512], want[1024];
    scratch_path(v1, sizeof v1, "v1");
    scratch_path(v2, sizeof v2, "v2");
    scratch_path(v3, sizeof v3, "v3");
    assert_int_equal(sh("cd '%s' && '%s' validate --rules '%s/rules' '%s/clean' > '%s' 2>/dev/null; echo $? >> '%s'",
                        DR_TOP, DR, DR_TOP, FIX, v1, v1), 0);
    assert_int_equal(sh("cd / && '%s' validate --rules '%s/rules' '%s/clean' > '%s' 2>/dev/null; echo $? >> '%s'",
                        DR, DR_TOP, FIX, v2, v2), 0);
    assert_int_equal(sh("cmp -s '%s' '%s'", v1, v2), 0);
    char *out = slurp(v1, NULL);
    assert_non_null(out);
    /* Nothing about articles these docs are not versions of, and the rules'
     * test cases find their corpus from any folder. */
    assert_null(strstr(out, "rule-article-absent"));
    assert_null(strstr(out, "rule-case-doc-missing"));
    assert_null(strstr(out, "azure-cancel.lua"));
    free(out);
    /* One file: findings about it alone. */
    assert_int_equal(sh("cd / && '%s' validate --rules '%s/rules' '%s/clean/o365/cancel.en-us.md' 2>/dev/null | "
                        "grep -v 'clean/o365/cancel.en-us.md' | grep -q .", DR, DR_TOP, FIX), 1);
    /* --docs-only: no rule check at all. */
    assert_int_equal(sh("'%s' validate --docs-only '%s/dirty' 2>/dev/null | grep -q 'rules/'", DR, FIX), 1);
    assert_int_equal(sh("'%s' validate --docs-only '%s/dirty' 2>/dev/null | grep -q 'list-numbering'", DR, FIX), 0);
    /* Rules that do not load leave a docs-only run as it was before it read
     * them: the docs linted, no rule-load-error. */
    assert_int_equal(sh("'%s' validate --docs-only --rules /nonexistent '%s/clean' > /dev/null 2>&1", DR, FIX), 0);
    /* A path that is not there. */
    assert_int_equal(sh("'%s' validate /nonexistent/docs > '%s' 2> '%s'", DR, v1, v2), 2);
    out = slurp(v2, NULL);
    assert_non_null(out);
    assert_non_null(strstr(out, "/nonexistent/docs"));
    int lines = 0;
    for (const char *p = out; (p = strchr(p, '\n')); p++) lines++;
    assert_int_equal(lines, 1);
    free(out);
    /* A folder that cannot be read: also exit 2 with one message. Root reads
     * every folder, so as root the command runs as nobody, from a copy of
     * the binary and rules beside the folder: a checkout under /root is
     * out of nobody's reach. The scratch folder is mkdtemp's 0700: nobody
     * may pass through it (a+x), not list it. */
    assert_int_equal(sh("chmod a+x '%s' && rm -rf '%s' && mkdir -p '%s/locked' && cp '%s' '%s/docrules' && "
                        "cp -R '%s/rules' '%s/rules' && chmod -R a+rX '%s' && chmod 000 '%s/locked'",
                        scratch_dir(), v3, v3, DR, v3, DR_TOP, v3, v3, v3), 0);
    assert_int_equal(sh("%s '%s/docrules' validate --docs-only --rules '%s/rules' '%s/locked' > '%s' 2> '%s'",
                        geteuid() == 0 ? "setpriv --reuid=65534 --regid=65534 --clear-groups" : "", v3, v3, v3, v1, v2), 2);
    out = slurp(v2, NULL);
    assert_non_null(out);
    snprintf(want, sizeof want, "%s/locked: cannot read: Permission denied", v3);
    assert_non_null(strstr(out, want));
    lines = 0;
    for (const char *p = out; (p = strchr(p, '\n')); p++) lines++;
    assert_int_equal(lines, 1);
    free(out);
    assert_int_equal(sh("chmod 700 '%s/locked' && rm -rf '%s'", v3, v3), 0);
    unlink(v1);
    unlink(v2);
}

/* A configuration or a baseline that is not one is exit 2 naming the file
 * (and the line, where there is one), never read as something else: a
 * number where a glob goes, an entry of a baseline that absorbs nothing,
 * a folder, a FIFO (not waited on); --max-warnings '' is not 0. */
static void bad_configurations_and_baselines_exit_2(void **state) {
    (void)state;
    char dir[256];
    scratch_mkdtemp(dir, sizeof dir, "badcfg");
    assert_int_equal(sh("mkdir -p '%s/docs' && cd '%s' && printf '# T\n\n## Empty\n' > docs/a.md && mkfifo fifo",
                        dir, dir), 0);
    static const struct { const char *yaml, *says; } cfg[] = {
        {"ignore: 5", "c.yaml:1:9: ignore: a list of strings"},
        {"ignore:", "c.yaml:1:8: ignore: a list of strings"},
        {"ignore: [drafts/**, true]", "c.yaml:1:21: ignore: a list of strings"},
        {"disable: [section-empty, 3]", "c.yaml:1:26: disable: a list of strings"},
        /* the code at its item, not at the list */
        {"disable:\n  - section-empty\n  - bogus-code", "c.yaml:3:5: disable: bogus-code is not a finding code"},
        /* each key once; one document */
        {"disable: [section-empty]\ndisable: [step-empty]", "c.yaml:2:1: disable is given twice: give it once"},
        {"severity:\n  policy-gap: error\n  policy-gap: note", "c.yaml:3:3: severity: policy-gap is given twice"},
        {"disable: [section-empty]\n---\ndisable: [bogus-code]", "c.yaml:3:1: a second YAML document"},
        /* YAML's \0, which a C string would end at: no key or glob cut */
        {"disable: [section-empty]\nignore: [\"a.md\\\\0junk\"]",
         "c.yaml:2:10: .0 (the NUL character) is not allowed in the configuration"},
        {"\"disable\\\\0x\": [section-empty]", "c.yaml:1:1: .0 (the NUL character) is not allowed"},
        /* a byte the reader refuses, placed by its offset */
        {"disable: [section-empty]\nignore: [\"a\\001b\"]", "c.yaml:2:12: control characters are not allowed"},
        /* the same with lines that end at CR, as the file's lines do */
        {"disable: [section-empty]\\rignore: [\"a\\001b\"]", "c.yaml:2:12: control characters are not allowed"},
        /* U+2028, which libyaml takes for a line break and the file does not */
        {"# a\\0342\\0200\\0250b\ndisable: [bogus-code]", "c.yaml:2:8: mapping values are not allowed"},
        {"ignore: [\"a\\0342\\0200\\0250b\"]\ndisable: [bogus-code]", "c.yaml:2:11: disable: bogus-code is not"},
        {"ignore: [\"a\\0342\\0200\\0250b\", 5]", "c.yaml:1:17: ignore: a list of strings"},
        /* a byte order mark, which libyaml's columns do not count, before one */
        {"\\0357\\0273\\0277# c\\0342\\0200\\0250ignore: [5]", "c.yaml:1:14: ignore: a list of strings"},
        /* deep flow nesting: refused before libyaml's quadratic scan */
        {"disable: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
         "c.yaml:1:1: . . and . . nest more than 64 deep"}, /* (dots: grep would read [ ] as a class) */
    };
    for (size_t i = 0; i < sizeof cfg / sizeof *cfg; i++)
        if (sh("cd '%s' && printf '%%b\n' '%s' > c.yaml && '%s' validate --docs-only docs --config c.yaml > out 2> err; "
               "test $? = 2 && grep -q 'docrules: %s' err && ! grep -q . out", dir, cfg[i].yaml, DR, cfg[i].says) != 0)
            fail_msg("config %s", cfg[i].yaml);
    /* Quoted, "5" is a glob. */
    assert_int_equal(sh("cd '%s' && printf 'ignore: [\"5\"]\n' > c.yaml && '%s' validate --docs-only docs --config c.yaml "
                        "> /dev/null 2>&1", dir, DR), 0);
    static const struct { const char *json, *says; } base[] = {
        {"[1,2,3]", "b.json:1:1: not a baseline (docrules validate --write-baseline writes one): entry 1 is not an object"},
        {"[{\"file\":1}]", "entry 1: its file is not a string"},
        {"[{\"file\":\"a\",\"code\":\"b\"}]", "entry 1: its message is missing"},
        {"{}", "b.json:1:1: not a baseline (docrules validate --write-baseline writes one): not a JSON list of findings"},
    };
    for (size_t i = 0; i < sizeof base / sizeof *base; i++) {
        char b[400];
        snprintf(b, sizeof b, "%s/b.json", dir);
        FILE *f = fopen(b, "w");
        assert_non_null(f);
        fputs(base[i].json, f);
        fclose(f);
        if (sh("cd '%s' && '%s' validate --docs-only docs --baseline b.json > out 2> err; "
               "test $? = 2 && grep -qF '%s' err && ! grep -q . out", dir, DR, base[i].says) != 0) {
            sh("cat '%s/err' >&2", dir);
            fail_msg("baseline %s", base[i].json);
        }
    }
    /* Not files: a folder, a FIFO; each said at once. */
    alarm(30);
    assert_int_equal(sh("cd '%s' && '%s' validate --docs-only docs --config docs 2> err; test $? = 2 && "
                        "grep -qx 'docrules: docs: cannot read: not a regular file' err && "
                        "'%s' validate --docs-only docs --config fifo 2> err; test $? = 2 && "
                        "grep -qx 'docrules: fifo: cannot read: not a regular file' err && "
                        "'%s' validate --docs-only docs --baseline fifo 2> err; test $? = 2 && "
                        "grep -qx 'docrules: fifo: cannot read the baseline: not a regular file' err",
                        dir, DR, DR, DR), 0);
    alarm(0);
    assert_int_equal(sh("cd '%s' && '%s' validate --docs-only docs --max-warnings '' 2> err; test $? = 2 && "
                        "grep -q \"max-warnings takes a count, not ''\" err", dir, DR), 0);
    assert_int_equal(sh("rm -rf '%s'", dir), 0);
}

/* Every path given is validated, however many: a CI job passes each
 * changed file. The 300th, the only bad one, once went unread (exit 0). */
static void every_path_given_is_validated(void **state) {
    (void)state;
    char dir[256];
    scratch_mkdtemp(dir, sizeof dir, "many");
    assert_int_equal(sh("cd '%s' && for i in $(seq 1 300); do printf -- '---\\ntitle: d%%s\\nms.date: 01/02/2017\\n---\\n"
                        "# H\\n\\ntext\\n' $i > d$i.md; done && printf -- '---\\ntitle: [unclosed\\n---\\n# H\\n' > d300.md",
                        dir), 0);
    assert_int_equal(sh("cd '%s' && '%s' validate --docs-only $(ls d*.md | sort -V) > out 2> err; test $? = 1 && "
                        "grep -q '^d300.md:3:1: error: yaml-invalid' out && grep -q 'validate: 300 files' err", dir, DR), 0);
    assert_int_equal(sh("rm -rf '%s'", dir), 0);
}

/* .docrules.yaml (found above the folder validated, or --config), inline
 * directives, --max-warnings and baselines, each as the README shows. */
static void configuration_directives_and_baselines(void **state) {
    (void)state;
    char dir[256];
    scratch_mkdtemp(dir, sizeof dir, "cfg");
    /* Three findings of three codes, one of them silenced inline; one doc
     * in drafts/. */
    assert_int_equal(sh("mkdir -p '%s/docs/drafts' && cd '%s/docs' && "
                        "printf '# T\n\n## Empty\n\n## Also empty\n\n<!-- docrules-disable-next-line section-empty -->\n## Silenced\n\n"
                        "[x](missing.md)\n\n1. a\n3. b\n' > a.md && "
                        "printf '# D\n\n[x](gone.md)\n' > drafts/d.md", dir, dir), 0);
    assert_int_equal(sh("cd '%s' && '%s' validate --docs-only docs > out 2>/dev/null; grep -c 'section-empty' out | grep -qx 2 && "
                        "grep -q 'drafts/d.md.*link-file-missing' out && grep -q 'list-numbering' out", dir, DR), 0);
    /* The configuration, in the folder above the one validated. */
    assert_int_equal(sh("cd '%s' && printf 'disable: [list-numbering]\nseverity:\n  section-empty: error\n"
                        "ignore:\n  - \"docs/drafts/**\"\n' > .docrules.yaml", dir), 0);
    /* section-empty is an error now: exit 1. */
    assert_int_equal(sh("cd '%s' && '%s' validate --docs-only docs > out 2>/dev/null", dir, DR), 1);
    assert_int_equal(sh("cd '%s' && grep -c ': error: section-empty' out | grep -qx 2 && ! grep -q list-numbering out && "
                        "! grep -q drafts out", dir), 0);
    /* Inline directives: a range, ended by enable. */
    assert_int_equal(sh("cd '%s/docs' && printf '<!-- docrules-disable link-file-missing -->\n[x](a1.md)\n"
                        "<!-- docrules-enable link-file-missing -->\n[y](a2.md)\n<!-- docrules-disable no-such-code -->\n' > b.md && "
                        "cd .. && '%s' validate --docs-only docs/b.md > out 2>/dev/null; grep -q 'a2.md' out && ! grep -q 'a1.md' out && "
                        "grep -q 'inline-directive-unknown' out", dir, DR), 0);
    /* A bad configuration is exit 2 naming its line. */
    assert_int_equal(sh("cd '%s' && printf 'disable: [no-such-code]\n' > bad.yaml && '%s' validate --docs-only --config bad.yaml docs "
                        "> /dev/null 2> err; test $? = 2 && grep -q 'bad.yaml:1:' err && grep -q no-such-code err", dir, DR), 0);
    /* The README's configuration names codes rules/validate.lua declares:
     * --docs-only reads them (and reports them) too. */
    assert_int_equal(sh("cd '%s' && printf 'disable: [mt-hello-for-the, link-file-missing]\n' > readme.yaml && "
                        "printf '# T\n\nSelect toocancel, then hello button.\n' > docs/mt.en-us.md && "
                        "'%s' validate --docs-only docs/mt.en-us.md --config readme.yaml > out 2>/dev/null; test $? = 0 && "
                        "grep -q 'mt.en-us.md:3:8: warning: mt-too-glued' out && ! grep -q mt-hello out && "
                        "'%s' validate --docs-only docs/mt.en-us.md > out 2>/dev/null; grep -q 'mt-hello-for-the' out && "
                        "rm docs/mt.en-us.md readme.yaml", dir, DR, DR), 0);
    /* --max-warnings: over it is exit 1. */
    assert_int_equal(sh("cd '%s' && rm .docrules.yaml && '%s' validate --docs-only docs/b.md --max-warnings 0 > /dev/null 2>&1", dir, DR), 1);
    assert_int_equal(sh("cd '%s' && '%s' validate --docs-only docs/b.md --max-warnings 5 > /dev/null 2>&1", dir, DR), 0);
    /* The README's CI job: a configuration, a committed baseline, no new
     * warning allowed. Today's findings pass; a new one fails, annotated. */
    const char *job = "validate --docs-only docs --config .docrules.yaml --baseline .docrules-baseline.json "
                      "--max-warnings 0 --format github";
    assert_int_equal(sh("cd '%s' && printf 'disable: [list-numbering]\n' > .docrules.yaml && "
                        "'%s' validate --docs-only docs --write-baseline .docrules-baseline.json > /dev/null 2>&1; "
                        "'%s' %s > out 2>/dev/null; test $? = 0 && ! grep -q . out", dir, DR, DR, job), 0);
    assert_int_equal(sh("cd '%s' && printf '\n[new](new.md)\n' >> docs/b.md && '%s' %s > out 2>/dev/null; test $? = 1 && "
                        "test \"$(wc -l < out)\" = 1 && grep -q '^::warning file=docs/b.md,line=7,col=7,title=link-file-missing::.*new.md' out",
                        dir, DR, job), 0);
    assert_int_equal(sh("rm -rf '%s'", dir), 0);
}

/* A file whose name is not UTF-8 is still reported: in the JSON format
 * its bad byte as U+FFFD (common/jsontext.c), the rest of the name kept;
 * SARIF's URIs percent-encode the byte itself. */
static void names_that_are_not_utf8_are_kept(void **state) {
    (void)state;
    char dir[256];
    scratch_mkdtemp(dir, sizeof dir, "names");
    assert_int_equal(sh("cd '%s' && printf '# T\\n\\n[x](missing.md)\\n' > \"$(printf 'caf\\351.md')\"", dir), 0);
    static const char *const want[][2] = {{"json", "caf\\ufffd.md"}, {"sarif", "caf%E9.md"}};
    for (int k = 0; k < 2; k++)
        assert_int_equal(sh("cd '%s' && '%s' validate --docs-only --format %s . > out 2>/dev/null; test $? = 0 && "
                            "/usr/bin/python3 -c \"import sys; t = open('out', 'rb').read().decode('utf-8'); "
                            "sys.exit(0 if '%s' in t and 'missing.md' in t else 1)\"",
                            dir, DR, want[k][0], want[k][1]), 0);
    assert_int_equal(sh("rm -rf '%s'", dir), 0);
}

/* SARIF that validates against the official 2.1.0 schema, with the tool's
 * version, every rule's descriptions and level, locations under %%SRCROOT%%
 * percent-encoded, and columns in code points; JUnit with a testcase per
 * validated file; GitHub workflow commands; paths whole. */
static void reports_for_ci(void **state) {
    (void)state;
    char dir[600], sarif[512], xml[512];
    scratch_path(dir, sizeof dir, "ci/");
    scratch_path(sarif, sizeof sarif, "ci.sarif");
    scratch_path(xml, sizeof xml, "ci.xml");
    while (strlen(dir) < 200) strcat(dir, "long-folder-name/");
    assert_int_equal(sh("mkdir -p '%s' && printf '# T\n\n## Empty\n' > '%stwo errors é #1.md' && printf '# Fine\n\nText.\n' > '%sclean.md'",
                        dir, dir, dir), 0);
    assert_int_equal(sh("cd '%s' && '%s' validate --docs-only '%s' --format sarif > '%s' 2>/dev/null", scratch_dir(), DR, dir, sarif), 0);
    assert_int_equal(sh("/usr/bin/python3 -c \"import json, jsonschema; jsonschema.validate(json.load(open('%s')), "
                        "json.load(open('%s/tests/fixtures/sarif-schema-2.1.0.json')))\"", sarif, DR_TOP), 0);
    char *s = slurp(sarif, NULL);
    assert_non_null(s);
    assert_non_null(strstr(s, "\"columnKind\": \"unicodeCodePoints\""));
    assert_non_null(strstr(s, "\"uriBaseId\": \"SRCROOT\""));
    /* Given absolute, a path under the folder validate ran in is relative. */
    assert_non_null(strstr(s, "\"uri\": \"ci/long-folder-name/"));
    assert_non_null(strstr(s, "\"version\": \"" DOCRULES_VERSION "\""));
    assert_non_null(strstr(s, "\"shortDescription\""));
    assert_non_null(strstr(s, "\"helpUri\""));
    assert_non_null(strstr(s, "two%20errors%20%C3%A9%20%231.md"));
    assert_non_null(strstr(s, "long-folder-name/long-folder-name/long-folder-name/long-folder-name/long-folder-name/long-folder-name"));
    assert_null(strstr(s, "..."));
    free(s);
    /* JUnit: each validated file a testcase, the clean one passing. */
    assert_int_equal(sh("'%s' validate --docs-only '%s' --format junit > '%s' 2>/dev/null", DR, dir, xml), 0);
    s = slurp(xml, NULL);
    assert_non_null(s);
    assert_non_null(strstr(s, "tests=\"2\" failures=\"1\" errors=\"0\""));
    assert_non_null(strstr(s, " time=\""));
    assert_non_null(strstr(s, "clean.md\" time=\"0\"/>"));
    assert_non_null(strstr(s, "<failure message=\"0 errors, 1 warnings\""));
    free(s);
    /* Over the dirty fixture with its rules, each file's failure holds
     * exactly its errors and warnings as the text format says them, in
     * the same order, and the counts say how many: the JUnit writer groups
     * the findings by file itself. */
    char txt[512];
    scratch_path(txt, sizeof txt, "ci.txt");
    assert_int_equal(sh("cd '%s' && '%s' validate '%s/dirty' --format junit > '%s' 2>/dev/null; "
                        "'%s' validate '%s/dirty' > '%s' 2>/dev/null; /usr/bin/python3 -c \"\n"
                        "import sys, xml.etree.ElementTree as ET\n"
                        "cases = ET.parse(sys.argv[1]).getroot().find('testsuite')\n"
                        "want = {}\n"
                        "for l in open(sys.argv[2], encoding='utf-8'):\n"
                        "    if ': error: ' in l or ': warning: ' in l: want.setdefault(l.split(':')[0], []).append(l)\n"
                        "got, failing = {}, 0\n"
                        "for c in cases:\n"
                        "    f = c.find('failure')\n"
                        "    if f is None: continue\n"
                        "    failing += 1\n"
                        "    lines = f.text.splitlines(True)\n"
                        "    got[c.get('name')] = lines\n"
                        "    e = sum(': error: ' in l for l in lines)\n"
                        "    assert f.get('message') == '%%d errors, %%d warnings' %% (e, len(lines) - e), f.get('message')\n"
                        "assert got == want, (sorted(got), sorted(want))\n"
                        "assert int(cases.get('failures')) == failing == len(want) > 3\n"
                        "assert any(n.endswith('.lua') for n in want)\n"
                        "\" '%s' '%s'",
                        DR_TOP, DR, FIX, xml, DR, FIX, txt, xml, txt), 0);
    /* A report that cannot be written (a full disk) is exit 2 with our one
     * message, in every format: not libxml2's own I/O lines besides. */
    static const char *const formats[] = {"text", "json", "sarif", "junit", "github"};
    for (size_t i = 0; i < sizeof formats / sizeof *formats; i++) {
        assert_int_equal(sh("cd '%s' && '%s' validate '%s/dirty' --format %s > /dev/full 2> '%s'", DR_TOP, DR, FIX,
                            formats[i], txt), 2);
        assert_int_equal(sh("grep -q '^docrules: the report could not be written$' '%s' && ! grep -q 'I/O error' '%s'",
                            txt, txt), 0);
    }
    /* GitHub Actions. */
    assert_int_equal(sh("'%s' validate --docs-only '%s' --format github 2>/dev/null | "
                        "grep -q '^::warning file=%stwo errors é #1.md,line=3,col=1,title=section-empty::section'", DR, dir, dir), 0);
    /* Only this run's files: a glob over /tmp removed another run's. */
    assert_int_equal(sh("rm -rf '%s/ci' '%s' '%s' '%s'", scratch_dir(), sarif, xml, txt), 0);
}

/* "fewer than 10" with "10 or more" (bound = "at_least") covers every
 * count: no policy-gap; with "12 or more", 10 and 11 are the gap. A bound
 * that is none of the four does not load. */
static void inclusive_bounds_close_the_gap(void **state) {
    (void)state;
    char out[512], rules[512];
    scratch_path(out, sizeof out, "bounds.out");
    scratch_path(rules, sizeof rules, "bounds-rules");
    assert_int_equal(sh("cd '%s' && '%s' validate --rules tests/fixtures/bounds/rules tests/fixtures/bounds/docs > '%s' 2>/dev/null; "
                        "grep -c policy-gap '%s' | grep -qx 2 && ! grep -q whole.en-us.md '%s' && "
                        "grep -q 'gap.en-us.md:7:1: warning: policy-gap: seats of 10 to 11: covered by neither \"fewer than 10\" "
                        "(line 7) nor \"at least 12\" (line 9)' '%s'", DR_TOP, DR, out, out, out, out), 0);
    assert_int_equal(sh("rm -rf '%s' && cp -R '%s/tests/fixtures/bounds/rules' '%s' && sed -i 's/\"at_least\"/\"atleast\"/' "
                        "'%s/facts/seats.lua' && '%s' validate --rules '%s' '%s/tests/fixtures/bounds/docs' 2>&1 | "
                        "grep -q 'bound = \"below\" (fewer than), \"at_most\", \"above\" (more than) or \"at_least\"'; rc=$?; rm -rf '%s' '%s'; exit $rc",
                        rules, DR_TOP, rules, rules, DR, rules, DR_TOP, rules, out), 0);
}

/* What a run keeps of a doc once its model is freed: the links whose
 * answer needs another doc (to an anchor of a doc of the run), not every
 * link; a link to a file outside the run settled as the doc is read; the
 * anchors and dates as numbers and pointers into the run's strings table,
 * each string once however many docs share it. */
static void a_summary_keeps_only_what_the_checks_across_docs_read(void **state) {
    (void)state;
    char dir[256];
    scratch_mkdtemp(dir, sizeof dir, "sum");
    assert_int_equal(sh("cd '%s' && printf -- '---\ndate: 2020-01-01\n---\n# Intro\n\n[b](b.md) [c](b.md#Setup) "
                        "[m](missing.md) [d](./b.md)\n\n## Next steps\n\nText.\n\n## next STEPS\n\nMore.\n' > a.md && "
                        "printf -- '---\ndate: 2020-01-01\n---\n# Setup\n\nText.\n' > b.md", dir), 0);
    char a[320], b[320];
    snprintf(a, sizeof a, "%s/a.md", dir);
    snprintf(b, sizeof b, "%s/b.md", dir);
    doc_at docs[2] = {{a, 0}, {b, 1}};
    dr_intern strings, report;
    dr_intern_init(&strings);
    dr_intern_init(&report);
    vshared shared = {.docs = docs, .ndocs = 2, .strings = &strings, .report = &report};
    dr_parsers_init();
    dr_parse_opts po = {0};
    dr_parser *p = dr_parser_new(&po);
    void *md = dr_match_data_new();
    dr_arena *scratch = dr_arena_new(0);
    doc_sum sa, sb;
    dr_check_doc(&shared, p, md, scratch, a, a, &sa);
    dr_arena_reset(scratch);
    dr_check_doc(&shared, p, md, scratch, b, b, &sb);
    /* One link kept: to b's anchor; b.md and ./b.md without an anchor are
     * settled, missing.md is a finding already. */
    assert_int_equal(sa.nlinks, 1);
    assert_int_equal(sa.links[0].doc, 1);
    assert_string_equal(sa.links[0].anchor, "Setup");
    assert_ptr_equal(sa.links[0].target, b);
    size_t missing = 0;
    for (size_t i = 0; i < sa.nfindings; i++)
        missing += strcmp(sa.findings[i].code, "link-file-missing") == 0 && strstr(sa.findings[i].message, "missing.md");
    assert_int_equal(missing, 1);
    /* Intro, next-steps and its duplicate: two anchors, matched ignoring case. */
    assert_int_equal(sa.nanchors, 2);
    assert_true(dr_doc_has_anchor(&strings, &sa, "NEXT-steps"));
    assert_true(dr_doc_has_anchor(&strings, &sb, "setup"));
    assert_false(dr_doc_has_anchor(&strings, &sa, "setup"));
    /* One date, kept once. */
    assert_string_equal(sa.date, "2020-01-01");
    assert_ptr_equal(sa.date, sb.date);
    /* A finding names its file and code by the report's strings. */
    assert_true(sa.nfindings > 1);
    assert_ptr_equal(sa.findings[0].file, sa.findings[1].file);
    for (size_t i = 0; i < sa.nfindings; i++) free(sa.findings[i].message);
    for (size_t i = 0; i < sb.nfindings; i++) free(sb.findings[i].message);
    free(sa.findings);
    free(sb.findings);
    dr_doc_sum_free(&sa);
    dr_doc_sum_free(&sb);
    dr_arena_free(scratch);
    dr_match_data_free(md);
    dr_parser_free(p);
    dr_intern_free(&strings);
    dr_intern_free(&report);
    assert_int_equal(sh("rm -rf '%s'", dir), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dirty_fixture_triggers_every_doc_check),
        cmocka_unit_test(a_summary_keeps_only_what_the_checks_across_docs_read),
        cmocka_unit_test(clean_fixture_triggers_no_doc_check),
        cmocka_unit_test(rule_scripts_are_checked_too),
        cmocka_unit_test(bundled_corpus_has_only_its_real_error),
        cmocka_unit_test(formats_and_exit_status),
        cmocka_unit_test(results_do_not_depend_on_the_folder),
        cmocka_unit_test(configuration_directives_and_baselines),
        cmocka_unit_test(bad_configurations_and_baselines_exit_2),
        cmocka_unit_test(every_path_given_is_validated),
        cmocka_unit_test(names_that_are_not_utf8_are_kept),
        cmocka_unit_test(reports_for_ci),
        cmocka_unit_test(inclusive_bounds_close_the_gap),
    };
    return cmocka_run_group_tests_name("validate", tests, scratch_setup, scratch_teardown);
}
