/* What this machine charges for the things a check pays per file and per
 * page, which the README's check rows are about as much as docrules is:
 *
 *   make build/bench/vm_costs && build/bench/vm_costs ../shared/corpus-bulk
 *
 * prints the cost of an empty syscall (getppid), of an lstat of each
 * regular file under DIR by its path (one thread, then two taking halves),
 * by its name in its folder (fstatat on a descriptor of the folder kept
 * while the next file is in it, as bundle/inputs.c does), and by statx
 * asking only what the cache compares, by path on a second thread while the
 * caller only computes, and of touching a page of fresh memory for the
 * first time, faulted one page at a time and populated at once
 * (MAP_POPULATE). Medians of 9 rounds; nothing of docrules is linked. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define ROUNDS 9
#define PAGES 1024

static char **paths;
static size_t npaths, cap;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v) {
    qsort(v, ROUNDS, sizeof *v, cmp_double);
    return v[ROUNDS / 2];
}

static int collect(const char *p, const struct stat *st, int type, struct FTW *f) {
    (void)st, (void)f;
    if (type != FTW_F) return 0;
    if (npaths == cap) {
        cap = cap ? cap * 2 : 1024;
        if (!(paths = realloc(paths, cap * sizeof *paths))) exit(1);
    }
    if (!(paths[npaths++] = strdup(p))) exit(1);
    return 0;
}

typedef struct range {
    size_t from, to;
} range;

/* A thread stat'ing the files over and over until told to stop, beside a
 * caller that only computes: whether the two processors are two cores or
 * one core's two hardware threads, which is what a check's restat beside
 * the engine's load meets (README, "Compiled bundles and the cache"). */
static volatile int spin_stop;
static size_t spun;
static void *stat_until_stopped(void *arg) {
    (void)arg;
    struct stat st;
    size_t i = 0;
    while (!spin_stop) lstat(paths[i++ % npaths], &st);
    spun = i;
    return NULL;
}

static void *stat_range(void *arg) {
    range *r = arg;
    struct stat st;
    for (size_t i = r->from; i < r->to; i++) lstat(paths[i], &st);
    return NULL;
}

/* Each file by name in its folder (mode 0: fstatat; 1: statx with a mask),
 * a folder's descriptor opened when the folder changes. */
static void stat_by_name(int mode) {
    int dfd = -1;
    size_t dlen = 0;
    const char *dir = NULL;
    for (size_t i = 0; i < npaths; i++) {
        const char *slash = strrchr(paths[i], '/');
        if (!slash) continue;
        size_t n = (size_t)(slash - paths[i]);
        if (dfd < 0 || n != dlen || memcmp(dir, paths[i], n) != 0) {
            char d[4096];
            if (n >= sizeof d) continue;
            memcpy(d, paths[i], n);
            d[n] = '\0';
            if (dfd >= 0) close(dfd);
            dfd = open(n ? d : "/", O_PATH | O_DIRECTORY | O_CLOEXEC);
            dir = paths[i];
            dlen = n;
            if (dfd < 0) continue;
        }
        if (mode == 0) {
            struct stat st;
            fstatat(dfd, slash + 1, &st, AT_SYMLINK_NOFOLLOW);
        } else {
            struct statx sx;
            statx(dfd, slash + 1, AT_SYMLINK_NOFOLLOW | AT_STATX_DONT_SYNC,
                  STATX_TYPE | STATX_MTIME | STATX_SIZE | STATX_INO, &sx);
        }
    }
    if (dfd >= 0) close(dfd);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: vm_costs DIR\n");
        return 2;
    }
    if (nftw(argv[1], collect, 32, FTW_PHYS) != 0 || !npaths) {
        fprintf(stderr, "vm_costs: no file under %s\n", argv[1]);
        return 2;
    }
    double sys[ROUNDS], one[ROUNDS], two[ROUNDS], byname[ROUNDS], masked[ROUNDS], fault[ROUNDS], pop[ROUNDS],
        beside[ROUNDS];
    size_t size = (size_t)PAGES * (size_t)sysconf(_SC_PAGESIZE);
    for (int r = 0; r < ROUNDS; r++) {
        double t = now();
        for (size_t i = 0; i < npaths; i++) getppid();
        sys[r] = (now() - t) / (double)npaths;
        range all = {0, npaths};
        t = now();
        stat_range(&all);
        one[r] = now() - t;
        range half[2] = {{0, npaths / 2}, {npaths / 2, npaths}};
        pthread_t th;
        t = now();
        int threaded = pthread_create(&th, NULL, stat_range, &half[1]) == 0;
        stat_range(&half[0]);
        if (threaded) pthread_join(th, NULL);
        else stat_range(&half[1]);
        two[r] = now() - t;
        t = now();
        stat_by_name(0);
        byname[r] = now() - t;
        t = now();
        stat_by_name(1);
        masked[r] = now() - t;
        spin_stop = 0;
        spun = 0;
        if (pthread_create(&th, NULL, stat_until_stopped, NULL) == 0) {
            volatile unsigned long x = 0;
            t = now();
            while (now() - t < 0.01)
                for (int k = 0; k < 10000; k++) x += (unsigned long)k;
            spin_stop = 1;
            pthread_join(th, NULL);
            beside[r] = (now() - t) / (double)(spun ? spun : 1);
        } else {
            beside[r] = 0;
        }
        char *a = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (a == MAP_FAILED) return 1;
        t = now();
        for (size_t i = 0; i < size; i += (size_t)sysconf(_SC_PAGESIZE)) a[i] = 1;
        fault[r] = (now() - t) / PAGES;
        munmap(a, size);
        t = now();
        a = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
        if (a == MAP_FAILED) return 1;
        for (size_t i = 0; i < size; i += (size_t)sysconf(_SC_PAGESIZE)) a[i] = 1;
        pop[r] = (now() - t) / PAGES;
        munmap(a, size);
    }
    printf("files: %zu under %s; medians of %d rounds\n", npaths, argv[1], ROUNDS);
    printf("syscall (getppid): %.2f us\n", median(sys) * 1e6);
    printf("lstat, 1 thread: %.2f ms (%.2f us a file)\n", median(one) * 1e3, median(one) * 1e6 / (double)npaths);
    printf("lstat, 2 threads: %.2f ms\n", median(two) * 1e3);
    printf("fstatat by name in its folder, 1 thread: %.2f ms (%.2f us a file)\n", median(byname) * 1e3,
           median(byname) * 1e6 / (double)npaths);
    printf("statx by name, type/mtime/size/ino only, 1 thread: %.2f ms (%.2f us a file)\n", median(masked) * 1e3,
           median(masked) * 1e6 / (double)npaths);
    printf("lstat on a thread beside a caller that only computes: %.2f us a file\n", median(beside) * 1e6);
    printf("fresh page, faulted: %.2f us; populated at once (MAP_POPULATE): %.2f us\n", median(fault) * 1e6,
           median(pop) * 1e6);
    for (size_t i = 0; i < npaths; i++) free(paths[i]);
    free(paths);
    return 0;
}
