/* libdocrules as a user installs and uses it: make install into a fresh
 * prefix, then a program that includes only <docrules.h>, built with
 * `pkg-config --cflags --libs docrules` against that prefix, runs the API
 * tests (each tests/api/test_*.c) and decides the examples byte for byte as
 * `docrules check --format json` does (examples/embed.c). The manual pages
 * render, and make uninstall takes everything away again. */
#include <glob.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

static char prefix[256]; /* the install, in the suite's scratch folder */

/* cc SRC against the installed library, and nothing of the source tree
 * (with the sanitizers the library was built with, under make asan). */
#define BUILD_AGAINST_PREFIX \
    "cd '%s' && PKG_CONFIG_PATH='%s/lib/pkgconfig' && export PKG_CONFIG_PATH && " \
    "cc -std=gnu11 -Wall -Wextra -Werror " DR_SAN " -o '%s/%s' '%s' $(pkg-config --cflags --libs docrules) %s " \
    "-Wl,-rpath,'%s/lib' > '%s/cc.log' 2>&1"

static void installed_library_is_usable(void **state) {
    (void)state;
    /* scratch_setup: the commands below keep their cache there, not in
     * the user's. */
    scratch_path(prefix, sizeof prefix, "prefix");
    assert_int_equal(mkdir(prefix, 0700), 0);
    /* The outer make's variables would make this one skip its first pass. */
    assert_int_equal(sh("cd '%s' && env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make -s install PREFIX='%s' BUILD='%s' "
                        "> '%s/install.log' 2>&1", DR_TOP, prefix, DR_BUILD, prefix), 0);
    static const char *const installed[] = {"bin/docrules", "lib/libdocrules.a", "lib/libdocrules.so",
                                            "lib/libdocrules.so.0", "include/docrules.h",
                                            "lib/pkgconfig/docrules.pc", "share/man/man1/docrules.1",
                                            "share/man/man3/docrules.3",
                                            "share/bash-completion/completions/docrules",
                                            "share/docrules/rules/lexicons/ja.lua"};
    for (size_t i = 0; i < sizeof installed / sizeof *installed; i++) {
        char p[4096];
        snprintf(p, sizeof p, "%s/%s", prefix, installed[i]);
        if (!path_exists(p)) fail_msg("make install did not install %s", installed[i]);
    }
    /* The shared library exports the API and nothing else. */
    assert_int_equal(sh("nm -D --defined-only '%s/lib/libdocrules.so' | awk '{print $3}' | grep -v '^_' | "
                        "grep -qv '^docrules_'", prefix), 1);

    /* Every suite of tests/api/, each a program of its own. */
    char log[4200];
    snprintf(log, sizeof log, "%s/cc.log", prefix);
    glob_t g;
    assert_int_equal(glob(DR_TOP "/tests/api/test_*.c", 0, NULL, &g), 0);
    for (size_t i = 0; i < g.gl_pathc; i++) {
        const char *src = g.gl_pathv[i];
        char name[256];
        snprintf(name, sizeof name, "%.*s", (int)(strlen(strrchr(src, '/') + 1) - 2), strrchr(src, '/') + 1);
        int rc = sh(BUILD_AGAINST_PREFIX, DR_TOP, prefix, prefix, name, src, "-lcmocka", prefix, prefix);
        if (rc) fail_msg("%s does not build against the installed library:\n%s", src, slurp(log, NULL));
        if (sh("'%s/%s' '%s' > '%s/api.log' 2>&1", prefix, name, DR_TOP, prefix)) {
            char api_log[4200];
            snprintf(api_log, sizeof api_log, "%s/api.log", prefix);
            fail_msg("%s fails:\n%s", src, slurp(api_log, NULL));
        }
    }
    globfree(&g);
    int rc;

    rc = sh(BUILD_AGAINST_PREFIX, DR_TOP, prefix, prefix, "embed", "examples/embed.c", "", prefix, prefix);
    if (rc) fail_msg("examples/embed.c does not build against the installed library:\n%s", slurp(log, NULL));
    /* Byte for byte what the command prints, for every example account. */
    assert_int_equal(sh("cd '%s' && for f in examples/*.json; do '%s/embed' \"$f\" > '%s/a.json' && "
                        "'%s/docrules' check \"$f\" --format json > '%s/b.json' && cmp -s '%s/a.json' '%s/b.json' "
                        "|| { echo \"differs: $f\"; diff '%s/a.json' '%s/b.json' | cut -c1-2000; exit 1; }; done",
                        DR_TOP, prefix, prefix, DR_BUILD, prefix, prefix, prefix, prefix, prefix), 0);

    /* The manual pages render. */
    assert_int_equal(sh("man -l '%s/share/man/man1/docrules.1' 2>&1 | grep -q 'validate' && "
                        "man -l '%s/share/man/man3/docrules.3' 2>&1 | grep -q 'docrules_decide'", prefix, prefix), 0);

    assert_int_equal(sh("cd '%s' && env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make -s uninstall PREFIX='%s' BUILD='%s' "
                        "> /dev/null 2>&1", DR_TOP, prefix, DR_BUILD), 0);
    assert_int_equal(sh("test -z \"$(find '%s' -type f -path '*docrules*' ! -name '*.log' ! -name a.json ! -name b.json "
                        "! -name 'test_*' ! -name embed)\"", prefix), 0);
    assert_int_equal(sh("rm -rf '%s'", prefix), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(installed_library_is_usable),
    };
    return cmocka_run_group_tests_name("library", tests, scratch_setup, scratch_teardown);
}
