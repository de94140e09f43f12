/* The clocks; see clock.h. */
#include "clock.h"

static int64_t ns_of(clockid_t id) {
    struct timespec t;
    clock_gettime(id, &t);
    return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}

int64_t dr_clock_mono_ns(void) { return ns_of(CLOCK_MONOTONIC); }

/* (a double holds whole nanoseconds for 104 days of uptime, then rounds
 * below a microsecond: far finer than anything timed with it) */
double dr_clock_mono(void) { return (double)dr_clock_mono_ns() / 1e9; }

int64_t dr_clock_real_ns(void) { return ns_of(CLOCK_REALTIME); }

struct timespec dr_clock_timespec(int64_t ns) {
    struct timespec t = {(time_t)(ns / 1000000000LL), (long)(ns % 1000000000LL)};
    return t;
}
