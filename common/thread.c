/* A thread placed on another processor for its start (thread.h): pinned
 * there through its attributes, so that it begins to run at once, and
 * unpinned by its first act, so that the scheduler keeps every choice
 * after that. Unpinned means given back the process's set as it was at the
 * start: a container whose processors grow later may not see such a
 * thread follow them on every kernel, which for the threads started here
 * (a check's helper, a command's workers: seconds at most) does not
 * matter. A machine of more processors than a cpu_set_t holds (1,024)
 * refuses sched_getaffinity with this size: its threads start unpinned. */
#define _GNU_SOURCE
#include <sched.h>
#include <stdlib.h>

#include "thread.h"

typedef struct start {
    void *(*fn)(void *);
    void *arg;
    cpu_set_t allowed; /* the process's processors, given back at the start */
    int pinned;
} start;

static void *begin(void *p) {
    start s = *(start *)p;
    free(p);
    /* (The call that pinned it through the attributes is the one that
     * gives the pin back: where one was allowed, so is the other.) */
    if (s.pinned) pthread_setaffinity_np(pthread_self(), sizeof s.allowed, &s.allowed);
    return s.fn(s.arg);
}

int dr_thread_start(pthread_t *th, int k, void *(*fn)(void *), void *arg) {
    start *s = malloc(sizeof *s);
    if (!s) return pthread_create(th, NULL, fn, arg);
    s->fn = fn;
    s->arg = arg;
    s->pinned = 0;
    pthread_attr_t attr;
    int have_attr = pthread_attr_init(&attr) == 0;
    int here = sched_getcpu();
    if (have_attr && here >= 0 && sched_getaffinity(0, sizeof s->allowed, &s->allowed) == 0 &&
        CPU_COUNT(&s->allowed) > 1) {
        /* The allowed processors in order, the caller's at p: the
         * thread goes k + 1 places after it, round the list. */
        int list[CPU_SETSIZE], n = 0, p = -1;
        for (int c = 0; c < CPU_SETSIZE; c++)
            if (CPU_ISSET(c, &s->allowed)) {
                if (c == here) p = n;
                list[n++] = c;
            }
        int cpu = list[(p + 1 + k) % n];
        cpu_set_t one;
        CPU_ZERO(&one);
        CPU_SET(cpu, &one);
        s->pinned = pthread_attr_setaffinity_np(&attr, sizeof one, &one) == 0;
    }
    int rc = pthread_create(th, have_attr ? &attr : NULL, begin, s);
    if (have_attr) pthread_attr_destroy(&attr);
    if (rc && s->pinned) {
        /* A sandbox that refuses to set affinities (seccomp) refuses
         * the pinned start: the thread starts as any other. */
        s->pinned = 0;
        rc = pthread_create(th, NULL, begin, s);
    }
    if (rc) free(s);
    return rc;
}
