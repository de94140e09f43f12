#define _XOPEN_SOURCE 700
#include "../common/alloc.h"
#include "cli.h"
#include "../common/walk.h"
#include "../include/docrules.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libgen.h>
#include <sys/resource.h>
#include <unistd.h>
#include <sys/stat.h>

void dr_cli_error(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    /* One line whatever other threads say meanwhile (batch -j's workers):
     * the three calls under the stream's lock. */
    flockfile(stderr);
    fputs("docrules: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    funlockfile(stderr);
    va_end(ap);
}

void dr_cli_api_error(const docrules_error *e) {
    char buf[1700];
    dr_cli_error("%s", docrules_error_format(e, buf, sizeof buf));
}

void dr_cli_api_error_put(docrules_buf *b, const docrules_error *e) {
    char buf[1700];
    const char *m = docrules_error_format(e, buf, sizeof buf);
    docrules_buf_put(b, "docrules: ", 10);
    docrules_buf_put(b, m, strlen(m));
    docrules_buf_put(b, "\n", 1);
}

int dr_cli_usage(const char *cmd, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "docrules %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\nTry 'docrules help' for usage.\n");
    va_end(ap);
    return DR_EXIT_USAGE;
}

static void push(dr_filelist *fl, const char *p) {
    if (fl->n == fl->cap) {
        fl->cap = fl->cap ? fl->cap * 2 : 256;
        char **np = dr_xrealloc(fl->paths, fl->cap * sizeof *np);
        fl->paths = np;
    }
    fl->paths[fl->n] = dr_xstrdup(p);
    fl->n++;
}

/* The one walk (common/walk.h): regular files are listed; a link, FIFO or
 * unreadable entry is said on stderr, and all but links count as
 * unreadable. */
int dr_filelist_collect(dr_filelist *fl, const char *path) {
    dr_walk w = {0};
    dr_error err;
    dr_error_clear(&err);
    if (dr_walk_add(&w, path, ".md", NULL, &err) != DR_OK) {
        dr_cli_error("%s: %s", path, err.message);
        fl->unreadable++;
        dr_walk_free(&w);
        return DR_EIO;
    }
    for (size_t i = 0; i < w.n; i++) {
        if (w.v[i].kind == DR_WALK_FILE) {
            push(fl, w.v[i].path);
        } else {
            /* A link is passed over, as validate notes it; what cannot be
             * read is an error, as validate says too. */
            dr_cli_error("%s: %s", w.v[i].path, dr_walk_kind_says(w.v[i].kind));
            if (w.v[i].kind != DR_WALK_SYMLINK) fl->unreadable++;
        }
    }
    dr_walk_free(&w);
    return DR_OK;
}

static int cmp(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void dr_filelist_sort(dr_filelist *fl) {
    if (fl->n) qsort(fl->paths, fl->n, sizeof *fl->paths, cmp);
}

void dr_filelist_free(dr_filelist *fl) {
    for (size_t i = 0; i < fl->n; i++) free(fl->paths[i]);
    free(fl->paths);
    memset(fl, 0, sizeof *fl);
}

long dr_peak_rss_kib(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

int dr_exe_dir(char *dir, size_t size) {
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) return -1;
    exe[n] = '\0';
    return (size_t)snprintf(dir, size, "%s", dirname(exe)) < size ? 0 : -1;
}

size_t dr_install_prefix(const char *dir) {
    /* PREFIX/bin/docrules, and PREFIX/libexec/docrules/docrules-serve,
     * which docrules becomes for serve and log (serve_exec.c). */
    static const char *const below[] = {"/bin", "/libexec/docrules"};
    size_t k = strlen(dir);
    for (size_t i = 0; i < sizeof below / sizeof *below; i++) {
        size_t b = strlen(below[i]);
        if (k >= b && strcmp(dir + k - b, below[i]) == 0) return k - b;
    }
    return 0;
}
