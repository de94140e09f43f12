/* See readfile.h. */
#include "readfile.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"

dr_read_status dr_read_file(const char *path, size_t max, char **buf, size_t *cap, size_t *len) {
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) return DR_READ_CANNOT_OPEN;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return DR_READ_NOT_REGULAR;
    }
    size_t size = (size_t)st.st_size;
    if ((unsigned long long)st.st_size > max) {
        close(fd);
        *len = size;
        return DR_READ_TOO_LARGE;
    }
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
    *len = 0;
    *bytes = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) return DR_READ_CANNOT_OPEN;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return DR_READ_NOT_REGULAR;
    }
    if ((unsigned long long)st.st_size > max) {
        close(fd);
        *len = (size_t)st.st_size;
        return DR_READ_TOO_LARGE;
    }
    void *p = st.st_size ? mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0) : MAP_FAILED;
    int e = errno;
    close(fd);
    if (p == MAP_FAILED) {
        errno = st.st_size ? e : EINVAL;
        return DR_READ_FAILED;
    }
    *bytes = p;
    *len = (size_t)st.st_size;
    return DR_READ_OK;
}

void dr_unmap_file(char *bytes, size_t len) {
    if (bytes) munmap(bytes, len);
}
