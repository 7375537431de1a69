/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Boot test: the BSD socket API over the loopback interface (no NIC
 * needed, so it runs directly in QEMU): TCP over IPv4 and IPv6 between
 * two threads, UDP, sendmsg/recvmsg, non-blocking sockets, poll and
 * select across sockets and the console, names and addresses, the
 * errors of misuse, TIME-WAIT entries after 1,000 connections, window
 * scaling and TCP_INFO. Prints PASS or FAIL per part.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/uio.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

static int failed;

#define EXPECT(cond, ...)                                                  \
    do {                                                                   \
        if (!(cond)) {                                                     \
            printf("  failed: %s (errno %d): ", #cond, errno);             \
            printf(__VA_ARGS__);                                           \
            printf("\n");                                                  \
            ok = 0;                                                        \
        }                                                                  \
    } while (0)

static void verdict(const char *what, int ok)
{
    printf("%s %s\n", ok ? "PASS" : "FAIL", what);
    failed |= !ok;
}

static int tcp_listener(int af, const char *addr, unsigned short *port)
{
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof(ss));
    socklen_t len;
    if (af == AF_INET) {
        struct sockaddr_in *a = (struct sockaddr_in *)&ss;
        a->sin_family = AF_INET;
        inet_pton(AF_INET, addr, &a->sin_addr);
        len = sizeof(*a);
    } else {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
        a->sin6_family = AF_INET6;
        inet_pton(AF_INET6, addr, &a->sin6_addr);
        len = sizeof(*a);
    }
    int fd = socket(af, SOCK_STREAM, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)&ss, len) != 0 || listen(fd, 8) != 0)
        return -1;
    len = sizeof(ss);
    getsockname(fd, (struct sockaddr *)&ss, &len);
    *port = ntohs(af == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
                                : ((struct sockaddr_in6 *)&ss)->sin6_port);
    return fd;
}

/* A thread that accepts one connection and echoes until EOF. */
static void *echo_server(void *arg)
{
    int l = (int)(intptr_t)arg;
    int c = accept(l, NULL, NULL);
    char buf[4096];
    ssize_t n;
    while (c >= 0 && (n = read(c, buf, sizeof(buf))) > 0)
        for (ssize_t off = 0; off < n;) {
            ssize_t w = write(c, buf + off, (size_t)(n - off));
            if (w <= 0)
                return NULL;
            off += w;
        }
    close(c);
    return NULL;
}

static void tcp_echo(int af, const char *addr)
{
    int ok = 1;
    unsigned short port;
    int l = tcp_listener(af, addr, &port);
    EXPECT(l >= 0 && port != 0, "listen on %s", addr);
    pthread_t t;
    pthread_create(&t, NULL, echo_server, (void *)(intptr_t)l);

    struct addrinfo hints = { .ai_family = af, .ai_socktype = SOCK_STREAM }, *res = NULL;
    char service[8];
    snprintf(service, sizeof(service), "%u", port);
    int rc = getaddrinfo(addr, service, &hints, &res);
    EXPECT(rc == 0 && res != NULL, "getaddrinfo(%s, %s): %s", addr, service, gai_strerror(rc));
    int fd = socket(af, SOCK_STREAM, 0);
    EXPECT(fd >= 3, "socket");
    EXPECT(res != NULL && connect(fd, res->ai_addr, res->ai_addrlen) == 0, "connect");
    freeaddrinfo(res);
    int on = 1;
    EXPECT(setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on)) == 0, "TCP_NODELAY");

    /* 200 KB of pseudo-random bytes, back byte for byte. */
    size_t total = 200 * 1024, sent = 0, got = 0;
    unsigned char *out = malloc(total), *in = malloc(total);
    for (size_t i = 0; i < total; i++)
        out[i] = (unsigned char)(i * 2654435761u >> 13);
    while (got < total) {
        if (sent < total) {
            ssize_t w = send(fd, out + sent, total - sent > 8192 ? 8192 : total - sent, 0);
            if (w <= 0)
                break;
            sent += (size_t)w;
        }
        ssize_t r = recv(fd, in + got, total - got, sent < total ? MSG_DONTWAIT : 0);
        if (r == 0 || (r < 0 && errno != EAGAIN))
            break;
        if (r > 0)
            got += (size_t)r;
    }
    EXPECT(got == total && memcmp(in, out, total) == 0, "%zu of %zu bytes came back intact",
           got, total);

    struct sockaddr_storage me, peer;
    socklen_t ml = sizeof(me), pl = sizeof(peer);
    char h1[64], h2[64], s1[8];
    EXPECT(getsockname(fd, (struct sockaddr *)&me, &ml) == 0 &&
           getpeername(fd, (struct sockaddr *)&peer, &pl) == 0, "names");
    EXPECT(getnameinfo((struct sockaddr *)&peer, pl, h1, sizeof(h1), s1, sizeof(s1),
                       NI_NUMERICHOST | NI_NUMERICSERV) == 0 && strcmp(s1, service) == 0,
           "getnameinfo gives port %s", s1);
    EXPECT(getnameinfo((struct sockaddr *)&me, ml, h2, sizeof(h2), NULL, 0, NI_NUMERICHOST) == 0 &&
           strcmp(h1, h2) == 0 && strcmp(h1, addr) == 0, "both ends are %s (%s, %s)", addr, h1, h2);
    /* shutdown: the server sees EOF, closes, and we see EOF. */
    EXPECT(shutdown(fd, SHUT_WR) == 0, "shutdown");
    char b;
    EXPECT(read(fd, &b, 1) == 0, "EOF after the server closed");
    EXPECT(close(fd) == 0 && close(fd) == -1 && errno == EBADF, "close twice");
    pthread_join(t, NULL);
    close(l);
    free(out);
    free(in);
    char what[64];
    snprintf(what, sizeof(what), "TCP echo over %s", af == AF_INET ? "IPv4" : "IPv6");
    verdict(what, ok);
}

static void udp(void)
{
    int ok = 1;
    int a = socket(AF_INET6, SOCK_DGRAM, 0), b = socket(AF_INET, SOCK_DGRAM, 0);
    int off = 0;
    EXPECT(setsockopt(a, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off)) == 0, "V6ONLY off");
    struct sockaddr_in6 any = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_ANY_INIT };
    EXPECT(bind(a, (struct sockaddr *)&any, sizeof(any)) == 0, "bind [::]");
    socklen_t len = sizeof(any);
    getsockname(a, (struct sockaddr *)&any, &len);
    /* An IPv4 sender reaches the dual-stack socket. */
    struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = any.sin6_port,
                              .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    struct iovec iov[2] = { { "hello ", 6 }, { "datagram", 8 } };
    struct msghdr m = { .msg_name = &to, .msg_namelen = sizeof(to), .msg_iov = iov, .msg_iovlen = 2 };
    EXPECT(sendmsg(b, &m, 0) == 14, "sendmsg");
    struct pollfd p = { .fd = a, .events = POLLIN };
    EXPECT(poll(&p, 1, 2000) == 1 && (p.revents & POLLIN), "poll sees the datagram");
    char buf[32] = { 0 }, buf2[32] = { 0 };
    struct sockaddr_storage from;
    struct iovec rv[2] = { { buf, 6 }, { buf2, sizeof(buf2) } };
    struct msghdr rm = { .msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = rv, .msg_iovlen = 2 };
    EXPECT(recvmsg(a, &rm, 0) == 14 && strcmp(buf, "hello ") == 0 && strcmp(buf2, "datagram") == 0,
           "recvmsg got '%s' '%s'", buf, buf2);
    /* recvfrom on an empty non-blocking socket. */
    fcntl(a, F_SETFL, fcntl(a, F_GETFL) | O_NONBLOCK);
    EXPECT((fcntl(a, F_GETFL) & O_NONBLOCK) != 0, "O_NONBLOCK kept");
    EXPECT(recvfrom(a, buf, sizeof(buf), 0, NULL, NULL) == -1 && errno == EAGAIN, "EAGAIN");
    close(a);
    close(b);
    verdict("UDP, sendmsg and recvmsg, dual-stack socket", ok);
}

static void nonblocking_and_select(void)
{
    int ok = 1;
    unsigned short port;
    int l = tcp_listener(AF_INET, "127.0.0.1", &port);
    int fl = fcntl(l, F_GETFL);
    fcntl(l, F_SETFL, fl | O_NONBLOCK);
    EXPECT(accept(l, NULL, NULL) == -1 && (errno == EAGAIN || errno == EWOULDBLOCK),
           "accept with nothing pending");
    int c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(port),
                              .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    int rc = connect(c, (struct sockaddr *)&to, sizeof(to));
    EXPECT(rc == 0 || errno == EINPROGRESS, "non-blocking connect");
    /* select: the listener becomes readable, the client writable. */
    fd_set rd, wr;
    FD_ZERO(&rd);
    FD_ZERO(&wr);
    FD_SET(l, &rd);
    FD_SET(c, &wr);
    struct timeval tv = { 2, 0 };
    int n = select((l > c ? l : c) + 1, &rd, &wr, NULL, &tv);
    EXPECT(n == 2 && FD_ISSET(l, &rd) && FD_ISSET(c, &wr), "select gave %d", n);
    int s = accept4(l, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    EXPECT(s >= 0 && (fcntl(s, F_GETFL) & O_NONBLOCK) && (fcntl(s, F_GETFD) & FD_CLOEXEC),
           "accept4 flags");
    int err = -1;
    socklen_t el = sizeof(err);
    EXPECT(getsockopt(c, SOL_SOCKET, SO_ERROR, &err, &el) == 0 && err == 0, "SO_ERROR %d", err);
    /* poll across kinds: stdout is writable, the socket has nothing yet. */
    struct pollfd p[2] = { { .fd = 1, .events = POLLOUT }, { .fd = s, .events = POLLIN } };
    EXPECT(poll(p, 2, 0) == 1 && (p[0].revents & POLLOUT) && p[1].revents == 0,
           "poll(stdout, socket)");
    write(c, "x", 1);
    p[0].fd = -1;
    EXPECT(poll(p, 2, 2000) == 1 && (p[1].revents & POLLIN), "poll after a write");
    /* A timed-out poll really waits. */
    char b;
    read(s, &b, 1);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    EXPECT(poll(p, 2, 100) == 0, "poll timeout");
    clock_gettime(CLOCK_MONOTONIC, &t1);
    long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
    EXPECT(ms >= 95, "poll(100 ms) returned after %ld ms", ms);
    close(s);
    close(c);
    close(l);
    verdict("non-blocking sockets, select and poll across kinds", ok);
}

static void errors_and_names(void)
{
    int ok = 1;
    EXPECT(send(1, "x", 1, 0) == -1 && errno == ENOTSOCK, "send on the console");
    EXPECT(bind(99, NULL, 0) == -1 && errno == EBADF, "bind on a bad fd");
    EXPECT(socket(AF_UNIX, SOCK_STREAM, 0) == -1 && errno == EAFNOSUPPORT, "AF_UNIX");
    struct in6_addr a6;
    char s[INET6_ADDRSTRLEN];
    EXPECT(inet_pton(AF_INET6, "fd00:99::2", &a6) == 1 &&
           strcmp(inet_ntop(AF_INET6, &a6, s, sizeof(s)), "fd00:99::2") == 0, "inet_pton/ntop v6");
    EXPECT(inet_pton(AF_INET, "10.99.0.256", &a6) == 0, "bad IPv4 text");
    EXPECT(inet_addr("10.99.0.2") == htonl(0x0a630002), "inet_addr");
    unsigned short port;
    int l = tcp_listener(AF_INET, "127.0.0.1", &port);
    struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(port),
                              .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    int l2 = socket(AF_INET, SOCK_STREAM, 0);
    EXPECT(bind(l2, (struct sockaddr *)&to, sizeof(to)) == -1 && errno == EADDRINUSE,
           "a second bind to the same port");
    close(l2);
    close(l);
    int c = socket(AF_INET, SOCK_STREAM, 0);
    EXPECT(connect(c, (struct sockaddr *)&to, sizeof(to)) == -1 && errno == ECONNREFUSED,
           "connect to a closed port");
    close(c);
    struct addrinfo *res;
    EXPECT(getaddrinfo("no-such-host.invalid", "80", NULL, &res) != 0, "unknown name fails");
    verdict("errors, names and addresses", ok);
}

/*
 * TIME-WAIT: connections that the server closes first leave it one
 * TIME-WAIT entry each (60 s). After 1,000 of them, a new connection
 * still finds the listener, and a SYN from the 4-tuple of one of them
 * (the client's port bound again) is taken by that entry, not by the
 * listener: no new connection is accepted for it.
 */
static void time_wait(void)
{
    int ok = 1;
    unsigned short port;
    int l = tcp_listener(AF_INET, "127.0.0.1", &port);
    EXPECT(l >= 0, "listen");
    struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(port) };
    inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
    unsigned short first = 0;
    int made = 0;
    for (int i = 0; i < 1000 && ok; i++) {
        int c = socket(AF_INET, SOCK_STREAM, 0);
        EXPECT(c >= 0 && connect(c, (struct sockaddr *)&to, sizeof(to)) == 0, "connect %d", i);
        int a = accept(l, NULL, NULL);
        EXPECT(a >= 0, "accept %d", i);
        if (i == 0) {
            struct sockaddr_in me;
            socklen_t len = sizeof(me);
            getsockname(c, (struct sockaddr *)&me, &len);
            first = ntohs(me.sin_port);
        }
        char b;
        close(a);                       /* the server closes first: its side waits */
        EXPECT(read(c, &b, 1) == 0, "end of file %d", i);
        close(c);
        made += ok;
    }
    printf("sockets-test: %d connections closed by the server first\n", made);
    /* A SYN for the first one's 4-tuple: the TIME-WAIT entry answers it. */
    int c = socket(AF_INET, SOCK_STREAM, 0), on = 1;
    struct sockaddr_in me = { .sin_family = AF_INET, .sin_port = htons(first) };
    inet_pton(AF_INET, "127.0.0.1", &me.sin_addr);
    EXPECT(setsockopt(c, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) == 0 &&
           bind(c, (struct sockaddr *)&me, sizeof(me)) == 0, "bind to port %u", first);
    fcntl(c, F_SETFL, O_NONBLOCK);
    fcntl(l, F_SETFL, O_NONBLOCK);
    int rc = connect(c, (struct sockaddr *)&to, sizeof(to));
    int e = errno;
    struct pollfd pf = { .fd = c, .events = POLLOUT };
    poll(&pf, 1, 1000);
    int soerr = 0;
    socklen_t sl = sizeof(soerr);
    getsockopt(c, SOL_SOCKET, SO_ERROR, &soerr, &sl);
    int a = accept(l, NULL, NULL);
    printf("sockets-test: connect from port %u again: rc %d errno %d, revents 0x%x, SO_ERROR %d, "
           "accepted %d\n", first, rc, e, pf.revents, soerr, a >= 0);
    EXPECT(a < 0, "the listener accepted a connection that matches a TIME-WAIT entry");
    close(c);
    if (a >= 0)
        close(a);
    /* And a fresh one still reaches the listener. */
    fcntl(l, F_SETFL, 0);
    c = socket(AF_INET, SOCK_STREAM, 0);
    EXPECT(c >= 0 && connect(c, (struct sockaddr *)&to, sizeof(to)) == 0, "connect after");
    a = accept(l, NULL, NULL);
    EXPECT(a >= 0, "accept after");
    close(a);
    close(c);
    close(l);
    verdict("TIME-WAIT after 1000 connections", ok);
}

/*
 * RFC 7323 window scaling and getsockopt(TCP_INFO): the receiver holds
 * more than 64 KiB it has not read (the most an unscaled window allows),
 * and both ends report the shift they announced.
 */
static void window_scaling(void)
{
    int ok = 1;
    unsigned short port;
    int l = tcp_listener(AF_INET, "127.0.0.1", &port);
    EXPECT(l >= 0, "listen");
    struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(port) };
    inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
    int c = socket(AF_INET, SOCK_STREAM, 0);
    EXPECT(c >= 0 && connect(c, (struct sockaddr *)&to, sizeof(to)) == 0, "connect");
    int a = accept(l, NULL, NULL);
    EXPECT(a >= 0, "accept");

    struct tcp_info ti;
    socklen_t tl = sizeof(ti);
    EXPECT(getsockopt(c, IPPROTO_TCP, TCP_INFO, &ti, &tl) == 0 && tl == sizeof(ti), "TCP_INFO");
    printf("sockets-test: TCP_INFO: state %u, options 0x%x, window scale %u/%u, mss %u, "
           "cwnd %u\n", ti.tcpi_state, ti.tcpi_options, ti.tcpi_snd_wscale, ti.tcpi_rcv_wscale,
           ti.tcpi_snd_mss, ti.tcpi_snd_cwnd);
    EXPECT(ti.tcpi_state == TCP_ESTABLISHED, "state %u", ti.tcpi_state);
    EXPECT((ti.tcpi_options & TCPI_OPT_WSCALE) && ti.tcpi_snd_wscale > 0 && ti.tcpi_rcv_wscale > 0,
           "no window scaling negotiated");
    EXPECT(ti.tcpi_snd_mss > 0 && ti.tcpi_snd_cwnd > 0, "mss %u cwnd %u", ti.tcpi_snd_mss,
           ti.tcpi_snd_cwnd);
    tl = sizeof(ti);
    EXPECT(getsockopt(l, SOL_TCP, TCP_INFO, &ti, &tl) == 0 && ti.tcpi_state == TCP_LISTEN,
           "TCP_INFO of the listener: state %u", ti.tcpi_state);
    unsigned char head[4];
    tl = sizeof(head);
    EXPECT(getsockopt(c, IPPROTO_TCP, TCP_INFO, head, &tl) == 0 && tl == sizeof(head) &&
           head[0] == TCP_ESTABLISHED, "TCP_INFO into 4 bytes: %u bytes", (unsigned)tl);
    int u = socket(AF_INET, SOCK_DGRAM, 0);
    tl = sizeof(ti);
    EXPECT(getsockopt(u, IPPROTO_TCP, TCP_INFO, &ti, &tl) == -1 && errno == ENOPROTOOPT,
           "TCP_INFO of a UDP socket");
    close(u);

    /* Fill: the server reads nothing until the client can send no more. */
    static unsigned char out[4096];
    fcntl(c, F_SETFL, O_NONBLOCK);
    size_t sent = 0;
    for (;;) {
        for (size_t i = 0; i < sizeof(out); i++)
            out[i] = (unsigned char)((sent + i) * 7);
        ssize_t w = write(c, out, sizeof(out));
        if (w > 0) {
            sent += (size_t)w;
            continue;
        }
        struct pollfd pf = { .fd = c, .events = POLLOUT };
        if (w < 0 && errno == EAGAIN && poll(&pf, 1, 300) == 1)
            continue;
        break;
    }
    int queued = 0;
    EXPECT(ioctl(a, FIONREAD, &queued) == 0, "FIONREAD");
    printf("sockets-test: %zu bytes sent before the window closed, %d of them waiting at the "
           "receiver\n", sent, queued);
    EXPECT(queued > 65535, "the receiver holds %d bytes: a window of at most 64 KiB", queued);
    /* Everything arrives, in order. */
    fcntl(c, F_SETFL, 0);
    shutdown(c, SHUT_WR);
    size_t got = 0;
    int bad = 0;
    unsigned char in[4096];
    ssize_t r;
    while ((r = read(a, in, sizeof(in))) > 0) {
        for (ssize_t i = 0; i < r; i++)
            bad |= in[i] != (unsigned char)((got + (size_t)i) * 7);
        got += (size_t)r;
    }
    EXPECT(r == 0 && got == sent && !bad, "received %zu of %zu bytes%s", got, sent,
           bad ? ", some wrong" : "");
    close(a);
    close(c);
    close(l);
    verdict("window scaling and TCP_INFO", ok);
}

int main(void)
{
    tcp_echo(AF_INET, "127.0.0.1");
    tcp_echo(AF_INET6, "::1");
    udp();
    nonblocking_and_select();
    errors_and_names();
    time_wait();
    window_scaling();
    printf("%s\n", failed ? "FAIL" : "PASS");
    return failed;
}
