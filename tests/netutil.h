/* Sockets for the suites that talk to docrules serve (test_serve.c,
 * test_examples.c): one way to connect to a loopback port, one way to
 * find a free one. No cmocka assertion in tcp_dial, as a thread other than
 * the test's may call it (an assertion there would end the whole suite). */
#ifndef DR_TEST_NETUTIL_H
#define DR_TEST_NETUTIL_H

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "testutil.h" /* cmocka's fail_msg, for free_port */

static inline struct sockaddr_in loopback(int port) {
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_port = htons((unsigned short)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

/* A connection to 127.0.0.1:port whose reads give up after timeout_s
 * seconds, requests sent at once (TCP_NODELAY); -1 (errno set) when none. */
static inline int tcp_dial(int port, int timeout_s) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    struct sockaddr_in a = loopback(port);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    struct timeval tv = {timeout_s, 0};
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

/* A port nothing listens on now (the kernel's pick, then let go). */
static inline int free_port(void) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = loopback(0);
    socklen_t l = sizeof a;
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || getsockname(fd, (struct sockaddr *)&a, &l) != 0) {
        int e = errno;
        if (fd >= 0) close(fd);
        fail_msg("no free port: %s", strerror(e));
    }
    close(fd);
    return ntohs(a.sin_port);
}

#endif
