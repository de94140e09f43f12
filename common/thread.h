/* Threads started where they can run at once. */
#ifndef DR_THREAD_H
#define DR_THREAD_H

#include <pthread.h>

/* pthread_create(th, NULL, fn, arg), the thread placed first on the k-th
 * processor after the caller's (k = 0: the next one) among those the
 * process may use, and free to move once it runs. Linux starts a thread on
 * its creator's processor and moves it to an idle one only when it next
 * balances load: on the 2-core VM measured that took milliseconds, during
 * which the two threads took turns on one processor while the other stayed
 * idle (README, "The warm cache's helper thread"). With one processor it
 * is pthread_create. 0, or pthread_create's error. */
int dr_thread_start(pthread_t *th, int k, void *(*fn)(void *), void *arg);

#endif
