/* Threads started on another processor (common/thread.c): placed away from
 * the caller's for their start, and free to move from their first act. And
 * the deadlines threads wait by (common/clock.c). */
#define _GNU_SOURCE
#include <sched.h>

#include "testutil.h"

#include "../common/clock.h"
#include "../common/thread.h"

typedef struct seen {
    int arg;
    int cpu;
    int mask_ok; /* sched_getaffinity answered */
    cpu_set_t mask;
} seen;

/* On the new thread: what it sees, noted for the caller to check (cmocka
 * asserts belong to the test's own thread). */
static void *look(void *p) {
    seen *s = p;
    s->arg++;
    s->cpu = sched_getcpu();
    CPU_ZERO(&s->mask);
    s->mask_ok = sched_getaffinity(0, sizeof s->mask, &s->mask) == 0;
    return s;
}

/* Runs look on a thread started by dr_thread_start(k): 1 when the caller
 * stayed on one processor meanwhile (here), 0 when it moved (try again),
 * -1 when the start failed. */
static int start_once(int k, seen *s, int *here) {
    memset(s, 0, sizeof *s);
    int before = sched_getcpu();
    pthread_t th;
    void *back = NULL;
    if (dr_thread_start(&th, k, look, s) != 0) return -1;
    int after = sched_getcpu();
    if (pthread_join(th, &back) != 0 || back != s || s->arg != 1 || !s->mask_ok) return -1;
    *here = before;
    return before == after;
}

/* With two processors or more, the thread begins on one the caller is not
 * on, and lets go of it: its mask is the process's whole again. */
static void starts_elsewhere_and_lets_go(void **state) {
    (void)state;
    cpu_set_t all;
    if (sched_getaffinity(0, sizeof all, &all) != 0 || CPU_COUNT(&all) < 2) skip();
    seen s;
    int here = -1, tries = 0, rc;
    while ((rc = start_once(0, &s, &here)) == 0 && ++tries < 20) continue;
    assert_int_equal(rc, 1);
    assert_true(CPU_EQUAL(&s.mask, &all));
    if (s.cpu == here) fail_msg("the thread began on the caller's processor %d", here);
    /* k counts on round the processors allowed: k = n - 1 is the caller's own. */
    tries = 0;
    while ((rc = start_once(CPU_COUNT(&all) - 1, &s, &here)) == 0 && ++tries < 20) continue;
    assert_int_equal(rc, 1);
    assert_true(CPU_EQUAL(&s.mask, &all));
    assert_int_equal(s.cpu, here);
}

/* On one processor it is pthread_create: the thread has the caller's mask
 * and no other. */
static void one_processor_is_plain(void **state) {
    (void)state;
    cpu_set_t all, one;
    if (sched_getaffinity(0, sizeof all, &all) != 0) skip();
    int here = sched_getcpu();
    assert_true(here >= 0);
    CPU_ZERO(&one);
    CPU_SET(here, &one);
    assert_int_equal(sched_setaffinity(0, sizeof one, &one), 0);
    seen s;
    int at = -1;
    int rc = start_once(3, &s, &at);
    /* the caller's whole set back before anything can fail */
    assert_int_equal(sched_setaffinity(0, sizeof all, &all), 0);
    assert_int_equal(rc, 1);
    assert_true(CPU_EQUAL(&s.mask, &one));
    assert_int_equal(s.cpu, here);
}

/* A deadline in nanoseconds is the timespec a wait takes: seconds and the
 * rest, and a monotonic condition variable waits until it, not before. */
static void a_deadline_is_the_timespec_a_wait_takes(void **state) {
    (void)state;
    struct timespec t = dr_clock_timespec(1500000000LL);
    assert_int_equal(t.tv_sec, 1);
    assert_int_equal(t.tv_nsec, 500000000L);
    t = dr_clock_timespec(2000000000LL);
    assert_int_equal(t.tv_sec, 2);
    assert_int_equal(t.tv_nsec, 0);
    t = dr_clock_timespec(999999999LL);
    assert_int_equal(t.tv_sec, 0);
    assert_int_equal(t.tv_nsec, 999999999L);

    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_t cv;
    pthread_cond_init(&cv, &ca);
    pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
    int64_t start = dr_clock_mono_ns(), until = start + 50000000; /* 50 ms */
    struct timespec ts = dr_clock_timespec(until);
    pthread_mutex_lock(&mu);
    int rc = 0;
    while (rc != ETIMEDOUT) rc = pthread_cond_timedwait(&cv, &mu, &ts);
    pthread_mutex_unlock(&mu);
    /* (a lower bound, which POSIX gives: no speed is asserted) */
    assert_true(dr_clock_mono_ns() >= until);
    pthread_cond_destroy(&cv);
    pthread_condattr_destroy(&ca);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(starts_elsewhere_and_lets_go),
        cmocka_unit_test(one_processor_is_plain),
        cmocka_unit_test(a_deadline_is_the_timespec_a_wait_takes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
