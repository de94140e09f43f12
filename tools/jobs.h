/* Chunks of input worked on by N threads, their results written in the
 * input's order: what batch (lines of accounts) and extract (files) share.
 *
 * The calling thread reads the input a chunk at a time into slots, and
 * writes each slot's results once its worker is done, oldest first; the
 * workers take filled slots in the order they were filled, whichever
 * worker is free. The calling thread is worker 0: while the oldest slot
 * is not done it works on the next filled one, so N jobs are N threads,
 * and it does not sleep and wake for each chunk (batch -j 2 on the VM
 * measured: 590 context switches over 100,000 accounts, now 30; 0.98x the
 * wall). More slots than workers (dr_jobs_slots) keep a worker
 * busy while the oldest chunk, a slow one, holds up the writing: with one
 * slot per worker, each would wait for the slowest of the round. With one
 * job everything runs on the calling thread, in the same steps, so that
 * -j 1 and -j N give the same bytes by construction. */
#ifndef DR_JOBS_H
#define DR_JOBS_H

typedef struct dr_jobs {
    int jobs;  /* workers, 1 or more: the calling thread and jobs - 1 threads */
    void *ctx; /* the callbacks' first argument */
    /* Calling thread: the next chunk of input into slot; 0 when there is
     * none left (the slot is then not run). */
    int (*fill)(void *ctx, int slot);
    /* A worker's thread (worker 0's is the calling thread): the work of
     * the chunk in slot. worker (0 to jobs - 1) names the state of the
     * worker's own (its parser, its engine): the one a thread uses, never
     * another's. */
    void (*run)(void *ctx, int worker, int slot);
    /* Calling thread: slot's results, in the order the chunks were read. */
    void (*drain)(void *ctx, int slot);
    /* Optional (NULL: nothing to do). A worker thread's own state (1 to
     * jobs - 1: worker 0's is the caller's), made on that thread before it
     * takes a chunk and freed there after its last: making a Lua state
     * takes milliseconds, which the workers then spend side by side rather
     * than one after another before any chunk is read, and its memory comes
     * from the thread that uses it. 0 from start: the worker cannot work,
     * and leaves its part to the others, as a thread that did not start
     * does (stop is not called for it). */
    int (*start)(void *ctx, int worker);
    void (*stop)(void *ctx, int worker);
} dr_jobs;

/* How many slots dr_jobs_run uses for that many jobs: the callbacks' slot
 * is 0 to this minus one. */
int dr_jobs_slots(int jobs);

/* Runs the chunks until fill says there are no more and every one is
 * drained. A worker thread that cannot be started leaves its part to the
 * others (to the calling thread when none starts): the output is the
 * same, only slower. */
void dr_jobs_run(const dr_jobs *j);

#endif
