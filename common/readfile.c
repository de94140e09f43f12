/* See readfile.h. */
#include "readfile.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"

/* path opened, if it is a regular file of max bytes at most: *fd and
 * *size (*size also when it is too large). */
static dr_read_status open_regular(const char *path, size_t max, int *fd, size_t *size) {
    *size = 0;
    *fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (*fd < 0) return DR_READ_CANNOT_OPEN;
    struct stat st;
    if (fstat(*fd, &st) != 0) {
        int e = errno;
        close(*fd);
        errno = e;
        return DR_READ_FAILED;
    }
    if (!S_ISREG(st.st_mode)) {
        close(*fd);
        return DR_READ_NOT_REGULAR;
    }
    *size = (size_t)st.st_size;
    if ((unsigned long long)st.st_size > max) {
        close(*fd);
        return DR_READ_TOO_LARGE;
    }
    return DR_READ_OK;
}

dr_read_status dr_read_file(const char *path, size_t max, char **buf, size_t *cap, size_t *len) {
    int fd;
    size_t size;
    dr_read_status st = open_regular(path, max, &fd, &size);
    *len = st == DR_READ_TOO_LARGE ? size : 0;
    if (st != DR_READ_OK) return st;
    if (size + 1 > *cap) {
        *buf = dr_xrealloc(*buf, size + 1);
        *cap = size + 1;
    }
    size_t got = 0;
    while (got < size) {
        ssize_t k = read(fd, *buf + got, size - got);
        if (k < 0 && errno == EINTR) continue;
        if (k < 0) {
            int e = errno;
            close(fd);
            errno = e;
            return DR_READ_FAILED;
        }
        if (k == 0) break; /* the file shrank while it was read */
        got += (size_t)k;
    }
    close(fd);
    (*buf)[got] = '\0';
    *len = got;
    return DR_READ_OK;
}

dr_read_status dr_map_file(const char *path, size_t max, char **bytes, size_t *len) {
    *bytes = NULL;
    int fd;
    size_t size;
    dr_read_status st = open_regular(path, max, &fd, &size);
    *len = st == DR_READ_TOO_LARGE ? size : 0;
    if (st != DR_READ_OK) return st;
    void *p = size ? mmap(NULL, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0) : MAP_FAILED;
    int e = size ? errno : EINVAL;
    close(fd);
    if (p == MAP_FAILED) {
        errno = e;
        return DR_READ_FAILED;
    }
    *bytes = p;
    *len = size;
    return DR_READ_OK;
}

void dr_unmap_file(char *bytes, size_t len) {
    if (bytes) munmap(bytes, len);
}
