/* --watch: inotify on the rules and corpus folders (and the folders under
 * them), and a reload once the changes have stopped for DEBOUNCE_MS, so
 * that an editor's burst of writes, or a git checkout, is one reload. A
 * thread of its own waits on the inotify descriptor and on an eventfd
 * that says stop.
 *
 * With --bundle, the bundle's folder instead, and only the events that
 * name the bundle: `docrules build -o` writes a temporary file beside it
 * and renames it over the old (IN_MOVED_TO), a copy writes it in place
 * (IN_CLOSE_WRITE). A watch on the file itself would stay on the old
 * inode the rename replaced. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "../common/walk.h"
#include "internal.h"

#define DEBOUNCE_MS 250
#define EVENTS (IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF | IN_ATTRIB)
/* Not IN_CREATE: a bundle being copied in is whole at its IN_CLOSE_WRITE. */
#define BUNDLE_EVENTS (IN_CLOSE_WRITE | IN_MOVED_TO | IN_DELETE | IN_MOVED_FROM)

struct dr_watch {
    dr_server *s;
    int in, stop;            /* inotify; eventfd */
    const char *name;        /* --bundle: the bundle's file name, the only one whose events count */
    pthread_t th;
};

/* Watches dir and every folder under it: common/walk.c's walk (links not
 * followed, hidden folders such as .git passed over), its folders only. */
static int add_tree(int in, const char *dir, dr_error *e) {
    dr_walk wk = {0};
    wk.dirs = 1;
    /* No file's name ends in "/": the walk lists the folders alone. */
    int rc = dr_walk_add(&wk, dir, "/", NULL, e);
    for (size_t i = 0; rc == DR_OK && i < wk.n; i++)
        if (wk.v[i].kind == DR_WALK_DIR && inotify_add_watch(in, wk.v[i].path, EVENTS | IN_ONLYDIR) < 0)
            rc = dr_error_set(e, DR_EIO, wk.v[i].path, 0, 0, "cannot watch: %s", strerror(errno));
    dr_walk_free(&wk);
    return rc;
}

/* Reads the pending events; 1 when one was about a change. A folder
 * made since the start is watched from the reload its making causes on
 * (rewatch): the reload reads whatever was written in it meanwhile. */
static int drain_events(struct dr_watch *w) {
    char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
    int changed = 0;
    for (;;) {
        ssize_t k = read(w->in, buf, sizeof buf);
        if (k <= 0) break;
        for (char *p = buf; p < buf + k;) {
            struct inotify_event *ev = (struct inotify_event *)p;
            if (!(ev->mask & IN_IGNORED) && (!w->name || (ev->len && strcmp(ev->name, w->name) == 0))) changed = 1;
            p += sizeof *ev + ev->len;
        }
    }
    return changed;
}

/* The folders again: those made since are watched from now on
 * (inotify_add_watch on a watched folder only updates its mask). */
static void rewatch(struct dr_watch *w) {
    if (w->name) return; /* the bundle's folder is watched still */
    dr_error e;
    const char *dirs[2] = {w->s->o->rules_dir, w->s->o->corpus_dir};
    for (size_t i = 0; i < 2; i++)
        if (dirs[i] && add_tree(w->in, dirs[i], &e) != DR_OK)
            fprintf(stderr, "docrules serve: --watch: %s: %s\n", e.file, e.message);
}

static void *watch_main(void *arg) {
    struct dr_watch *w = arg;
    struct pollfd p[2] = {{w->in, POLLIN, 0}, {w->stop, POLLIN, 0}};
    int pending = 0;
    for (;;) {
        int n = poll(p, 2, pending ? DEBOUNCE_MS : -1);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 || (p[1].revents & POLLIN)) break;
        if (n == 0) {
            /* Quiet for DEBOUNCE_MS after a change: reload. */
            pending = 0;
            rewatch(w);
            dr_reloader_ask(w->s, NULL);
            continue;
        }
        if (p[0].revents & POLLIN) pending |= drain_events(w);
    }
    return NULL;
}

int dr_watch_start(struct dr_watch **out, dr_server *s, dr_error *e) {
    *out = NULL;
    struct dr_watch *w = calloc(1, sizeof *w);
    if (!w) return dr_error_set(e, DR_ELIMIT, NULL, 0, 0, "out of memory");
    w->s = s;
    w->in = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    w->stop = eventfd(0, EFD_CLOEXEC);
    int rc = DR_OK;
    if (w->in < 0 || w->stop < 0) rc = dr_error_set(e, DR_EIO, NULL, 0, 0, "--watch: %s", strerror(errno));
    char dir[4096];
    if (rc == DR_OK && s->o->bundle) {
        const char *slash = strrchr(s->o->bundle, '/');
        w->name = slash ? slash + 1 : s->o->bundle;
        if (!*w->name || (size_t)snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - s->o->bundle) : 1,
                                          slash ? s->o->bundle : ".") >= sizeof dir)
            rc = dr_error_set(e, DR_EUSAGE, s->o->bundle, 0, 0, "--watch: not a file name");
        else if (inotify_add_watch(w->in, slash == s->o->bundle ? "/" : dir, BUNDLE_EVENTS | IN_ONLYDIR) < 0)
            rc = dr_error_set(e, DR_EIO, dir, 0, 0, "cannot watch: %s", strerror(errno));
    }
    const char *dirs[2] = {s->o->rules_dir, s->o->corpus_dir};
    for (size_t i = 0; rc == DR_OK && !s->o->bundle && i < 2; i++)
        if (dirs[i]) rc = add_tree(w->in, dirs[i], e);
    if (rc == DR_OK && pthread_create(&w->th, NULL, watch_main, w) != 0)
        rc = dr_error_set(e, DR_EIO, NULL, 0, 0, "--watch: no thread for it");
    if (rc != DR_OK) {
        if (w->in >= 0) close(w->in);
        if (w->stop >= 0) close(w->stop);
        free(w);
        return rc;
    }
    *out = w;
    return DR_OK;
}

void dr_watch_stop(struct dr_watch *w) {
    if (!w) return;
    uint64_t one = 1;
    if (write(w->stop, &one, sizeof one) != sizeof one) fprintf(stderr, "docrules serve: --watch would not stop\n");
    pthread_join(w->th, NULL);
    close(w->in);
    close(w->stop);
    free(w);
}
