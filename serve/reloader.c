/* Reloads run on a thread of their own, one at a time: POST /v1/reload
 * suspends its connection (MHD_suspend_connection) and is resumed with the
 * result, so the HTTP thread that took it goes on serving its other
 * connections meanwhile; SIGHUP and --watch ask the same thread, so the
 * main thread stays free for SIGTERM. Requests that arrive while a reload
 * runs share the next one: each reload reads the files as they are when it
 * starts, after every request made before. */
#include <stdio.h>

#include "internal.h"

static void *reloader_main(void *arg) {
    dr_server *s = arg;
    pthread_mutex_lock(&s->rmu);
    for (;;) {
        while (!s->r_asked && !s->r_quit) pthread_cond_wait(&s->r_cv, &s->rmu);
        if (!s->r_asked) break; /* quit, and nothing asked */
        dr_req *waiting = s->r_waiting;
        s->r_waiting = NULL;
        s->r_asked = 0;
        pthread_mutex_unlock(&s->rmu);
        char prev[32], rev[32];
        docrules_error err;
        int rc = dr_server_reload(s, prev, rev, sizeof rev, &err);
        while (waiting) {
            dr_req *r = waiting;
            waiting = r->r_next;
            r->reload_rc = rc;
            snprintf(r->reload_prev, sizeof r->reload_prev, "%s", prev);
            snprintf(r->reload_rev, sizeof r->reload_rev, "%s", rev);
            if (rc < 0) docrules_error_format(&err, r->reload_err, sizeof r->reload_err);
            r->reload_state = 2;
            /* The handler is called again, on the connection's thread. */
            MHD_resume_connection(r->conn);
        }
        pthread_mutex_lock(&s->rmu);
    }
    pthread_mutex_unlock(&s->rmu);
    return NULL;
}

int dr_reloader_start(dr_server *s, dr_error *e) {
    if (pthread_create(&s->r_thread, NULL, reloader_main, s) != 0)
        return dr_error_set(e, DR_EIO, NULL, 0, 0, "no thread for reloads");
    s->r_started = 1;
    return DR_OK;
}

void dr_reloader_ask(dr_server *s, dr_req *r) {
    pthread_mutex_lock(&s->rmu);
    if (r) {
        r->r_next = s->r_waiting;
        s->r_waiting = r;
    }
    s->r_asked = 1;
    pthread_cond_signal(&s->r_cv);
    pthread_mutex_unlock(&s->rmu);
}

void dr_reloader_stop(dr_server *s) {
    if (!s->r_started) return;
    pthread_mutex_lock(&s->rmu);
    s->r_quit = 1;
    pthread_cond_signal(&s->r_cv);
    pthread_mutex_unlock(&s->rmu);
    /* A reload asked before runs first, and its waiters are resumed. */
    pthread_join(s->r_thread, NULL);
    s->r_started = 0;
}
