/* The clocks docrules reads, each in one place: how long something took
 * (the monotonic clock, which no change of the system's time moves) and
 * when it happened (the wall clock). The instruction budget's deadline
 * reads a coarser clock of its own, in the hot path (engine/budget.c). */
#ifndef DR_CLOCK_H
#define DR_CLOCK_H

#include <stdint.h>
#include <time.h>

/* The monotonic clock, in nanoseconds and in seconds: only differences
 * between two readings mean anything. */
int64_t dr_clock_mono_ns(void);
double dr_clock_mono(void);

/* The wall clock: nanoseconds since 1970-01-01 UTC. */
int64_t dr_clock_real_ns(void);

/* A reading of either clock (nanoseconds, a moment to wait until or a
 * length of time) as the struct timespec that pthread_cond_timedwait and
 * sigtimedwait take: deadlines are added up in nanoseconds, converted
 * once. */
struct timespec dr_clock_timespec(int64_t ns);

#endif
