/* serve and log, as the docrules command runs them: by handing the process
 * to docrules-serve.
 *
 * The decision service needs libmicrohttpd and the decision log SQLite, and
 * libmicrohttpd needs GnuTLS: loading those and running GnuTLS's set-up took
 * every run of the command about 2 ms before it read its first argument
 * (a third of a `check --bundle`), though only these two commands use them.
 * So they are built into a second binary of the same sources, docrules-serve
 * (Makefile), and this one becomes it with execv: the same process id, the
 * same arguments and standard streams, so a supervisor's signals and a
 * shell pipeline reach it as before; its name (ps, /proc/PID/comm, the
 * journal's identifier) becomes docrules-serve. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/alloc.h"
#include "cli.h"

#define HELPER "docrules-serve"

/* Where docrules-serve is: beside this binary (the build tree), in
 * PREFIX/libexec/docrules of an installed one (wherever it was moved),
 * else where make install put it. 0, or -1 with the last place tried in
 * out. */
static int find_helper(char *out, size_t size) {
    char dir[4096];
    if (dr_exe_dir(dir, sizeof dir) == 0) {
        snprintf(out, size, "%s/%s", dir, HELPER);
        if (access(out, X_OK) == 0) return 0;
        size_t prefix = dr_install_prefix(dir);
        if (prefix) {
            snprintf(out, size, "%.*s/libexec/docrules/%s", (int)prefix, dir, HELPER);
            if (access(out, X_OK) == 0) return 0;
        }
    }
    snprintf(out, size, "%s/%s", DR_LIBEXECDIR, HELPER);
    return access(out, X_OK) == 0 ? 0 : -1;
}

/* argv[0] is the command's name (serve or log). Returns only on failure. */
static int become_helper(int argc, char **argv) {
    char path[4200];
    if (find_helper(path, sizeof path) != 0) {
        dr_cli_error("%s needs %s, which is neither beside this command, nor in its PREFIX/libexec/docrules, "
                     "nor in %s (%s)", argv[0], HELPER, DR_LIBEXECDIR, strerror(errno));
        return DR_EXIT_USAGE;
    }
    char **args = dr_xcalloc((size_t)argc + 2, sizeof *args);
    args[0] = HELPER;
    for (int i = 0; i < argc; i++) args[i + 1] = argv[i];
    fflush(NULL);
    execv(path, args);
    dr_cli_error("cannot run %s: %s", path, strerror(errno));
    free(args);
    return DR_EXIT_USAGE;
}

int dr_cmd_serve(int argc, char **argv) { return become_helper(argc, argv); }

int dr_cmd_log(int argc, char **argv) { return become_helper(argc, argv); }
