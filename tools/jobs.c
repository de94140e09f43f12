/* Ordered chunks over worker threads; see jobs.h for why. */
#include "jobs.h"

#include <pthread.h>
#include <stdlib.h>

#include "../common/alloc.h"
#include "../common/thread.h"

/* What the calling thread and the workers share, under mu. Chunk number
 * i (counted from 0 in the order filled) lives in slot i % nslots. */
typedef struct pool {
    const dr_jobs *j;
    int nslots;
    pthread_mutex_t mu;
    pthread_cond_t work; /* a slot was filled, or quit */
    pthread_cond_t done; /* a slot was worked */
    long filled, taken;  /* chunks filled by the caller, taken by workers */
    char *finished;      /* per slot: its chunk has been worked */
    int quit;
} pool;

typedef struct worker {
    pool *p;
    int k;
    pthread_t th;
} worker;

int dr_jobs_slots(int jobs) { return jobs > 1 ? 2 * jobs : 1; }

static void *work(void *arg) {
    worker *w = arg;
    pool *p = w->p;
    if (p->j->start && !p->j->start(p->j->ctx, w->k)) return NULL;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (p->taken == p->filled && !p->quit) pthread_cond_wait(&p->work, &p->mu);
        /* quit comes after the last chunk was drained: nothing is left. */
        if (p->taken == p->filled) break;
        int slot = (int)(p->taken++ % p->nslots);
        pthread_mutex_unlock(&p->mu);
        p->j->run(p->j->ctx, w->k, slot);
        pthread_mutex_lock(&p->mu);
        p->finished[slot] = 1;
        /* Only the calling thread waits on done. */
        pthread_cond_signal(&p->done);
    }
    pthread_mutex_unlock(&p->mu);
    if (p->j->stop) p->j->stop(p->j->ctx, w->k);
    return NULL;
}

/* Fills slot; says to the workers that it is there. 0 at the end. */
static int give(pool *p, int slot) {
    if (!p->j->fill(p->j->ctx, slot)) return 0;
    pthread_mutex_lock(&p->mu);
    p->filled++;
    pthread_cond_signal(&p->work);
    pthread_mutex_unlock(&p->mu);
    return 1;
}

void dr_jobs_run(const dr_jobs *j) {
    int jobs = j->jobs > 1 ? j->jobs : 1;
    pool p = {.j = j, .nslots = dr_jobs_slots(jobs)};
    /* The calling thread is worker 0, between its filling and draining:
     * jobs - 1 threads more, so that N jobs are N threads, and the calling
     * thread does not sleep and wake for every chunk it writes. One job
     * takes the same steps with no thread, its lock never contended. */
    pthread_mutex_init(&p.mu, NULL);
    pthread_cond_init(&p.work, NULL);
    pthread_cond_init(&p.done, NULL);
    worker *ws = dr_xcalloc((size_t)jobs, sizeof *ws);
    int started = 0;
    for (; started < jobs - 1; started++) {
        ws[started] = (worker){&p, started + 1, 0};
        if (dr_thread_start(&ws[started].th, started, work, &ws[started]) != 0) break;
    }
    p.finished = dr_xcalloc((size_t)p.nslots, 1);
    long drained = 0;
    int more = 1;
    while (more && p.filled < p.nslots) more = give(&p, (int)(p.filled % p.nslots));
    /* p.filled changes only on this thread: read without the lock. */
    while (drained < p.filled) {
        int slot = (int)(drained % p.nslots), mine = -1;
        pthread_mutex_lock(&p.mu);
        if (!p.finished[slot]) {
            /* The oldest is not done: work on the next waiting chunk, or,
             * when every filled one is taken, wait for the oldest. */
            if (p.taken < p.filled) mine = (int)(p.taken++ % p.nslots);
            else
                while (!p.finished[slot]) pthread_cond_wait(&p.done, &p.mu);
        }
        if (mine < 0) p.finished[slot] = 0;
        pthread_mutex_unlock(&p.mu);
        if (mine >= 0) {
            j->run(j->ctx, 0, mine);
            pthread_mutex_lock(&p.mu);
            p.finished[mine] = 1;
            pthread_mutex_unlock(&p.mu);
            continue;
        }
        j->drain(j->ctx, slot);
        drained++;
        if (more) more = give(&p, (int)(p.filled % p.nslots));
    }
    pthread_mutex_lock(&p.mu);
    p.quit = 1;
    pthread_cond_broadcast(&p.work);
    pthread_mutex_unlock(&p.mu);
    for (int k = 0; k < started; k++) pthread_join(ws[k].th, NULL);
    pthread_cond_destroy(&p.done);
    pthread_cond_destroy(&p.work);
    pthread_mutex_destroy(&p.mu);
    free(p.finished);
    free(ws);
}
