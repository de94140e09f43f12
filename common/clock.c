/* The clocks; see clock.h. */
#include "clock.h"

#include <time.h>

static int64_t ns_of(clockid_t id) {
    struct timespec t;
    clock_gettime(id, &t);
    return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}

int64_t dr_clock_mono_ns(void) { return ns_of(CLOCK_MONOTONIC); }

double dr_clock_mono(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int64_t dr_clock_real_ns(void) { return ns_of(CLOCK_REALTIME); }
