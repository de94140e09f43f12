/* A fresh machine: `make` installs the packages before anything asks
 * pkg-config for their flags. Here pkg-config fails until the install step
 * has run (as it does on a machine without the -dev packages), and the
 * build must still pass on its first run. Nothing is uninstalled: the
 * install step is a stand-in that only marks that it ran. */
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

static void first_make_installs_before_it_asks_for_flags(void **state) {
    (void)state;
    char dir[256];
    scratch_mkdtemp(dir, sizeof dir, "fresh");
    char path[512], cmd[4096];
    snprintf(path, sizeof path, "%s/pkg-config", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    /* Fails, as for a package that is not there, until the mark exists. */
    fprintf(f, "#!/bin/sh\n[ -e '%s/installed' ] || exit 1\nexec /usr/bin/pkg-config \"$@\"\n", dir);
    fclose(f);
    snprintf(path, sizeof path, "%s/install-deps", dir);
    f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "#!/bin/sh\necho \"$@\" > '%s/installed'\n", dir);
    fclose(f);
    snprintf(cmd, sizeof cmd, "chmod +x %s/pkg-config %s/install-deps", dir, dir);
    assert_int_equal(system(cmd), 0);
    /* The outer make's variables would tell this one that the packages are
     * in already: it starts as a user's make would. -O0 keeps it short. */
    snprintf(cmd, sizeof cmd,
             "cd '%s' && env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS -u DR_DEPS_READY PATH='%s':\"$PATH\" "
             "make -j2 BUILD='%s/build' OPT=-O0 INSTALL_DEPS='%s/install-deps' > '%s/log' 2>&1",
             DR_TOP, dir, dir, dir, dir);
    int rc = system(cmd);
    if (WEXITSTATUS(rc) != 0) {
        snprintf(path, sizeof path, "%s/log", dir);
        char *log = slurp(path, NULL);
        fail_msg("first make failed:\n%s", log ? log : "(no log)");
    }
    snprintf(path, sizeof path, "%s/installed", dir);
    char *groups = slurp(path, NULL);
    assert_non_null(groups);
    assert_non_null(strstr(groups, "build")); /* the build group was asked for */
    free(groups);
    snprintf(path, sizeof path, "%s/build/docrules", dir);
    assert_true(path_exists(path));
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(first_make_installs_before_it_asks_for_flags),
    };
    return cmocka_run_group_tests_name("build", tests, scratch_setup, scratch_teardown);
}
