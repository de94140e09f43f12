#define _XOPEN_SOURCE 700
#include "cli.h"

#include <errno.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

void dr_cli_error(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("docrules: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
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
        char **np = realloc(fl->paths, fl->cap * sizeof *np);
        if (!np) abort();
        fl->paths = np;
    }
    fl->paths[fl->n] = strdup(p);
    if (!fl->paths[fl->n]) abort();
    fl->n++;
}

static int is_md(const char *p) {
    size_t n = strlen(p);
    return n > 3 && strcmp(p + n - 3, ".md") == 0;
}

/* nftw has no user pointer; the walk is single-threaded and this is set only
 * for its duration. */
static _Thread_local dr_filelist *walking;

static int visit(const char *path, const struct stat *st, int type, struct FTW *ftw) {
    (void)st;
    (void)ftw;
    if ((type == FTW_F) && is_md(path)) push(walking, path);
    else if (type == FTW_DNR || type == FTW_NS) {
        walking->unreadable++;
        dr_cli_error("%s: cannot read", path);
    }
    return 0;
}

int dr_filelist_collect(dr_filelist *fl, const char *path) {
    struct stat st;
    if (stat(path, &st) != 0) {
        dr_cli_error("%s: %s", path, strerror(errno));
        fl->unreadable++;
        return -1;
    }
    if (!S_ISDIR(st.st_mode)) {
        push(fl, path);
        return 0;
    }
    walking = fl;
    int rc = nftw(path, visit, 32, FTW_PHYS);
    walking = NULL;
    if (rc != 0) {
        dr_cli_error("%s: %s", path, strerror(errno));
        fl->unreadable++;
        return -1;
    }
    return 0;
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

double dr_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

long dr_peak_rss_kib(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}
