/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * echo: the echo service (RFC 862) over TCP and UDP, and the discard
 * service (RFC 863) over TCP, on IPv4 and IPv6, for tests and bulk
 * throughput. One thread, one poll() loop, non-blocking sockets.
 *
 * Configuration (docs/config.md): app.echo_port (default 7),
 * app.discard_port (default 9), app.max_clients (default 128).
 * At exit (xl shutdown) it prints what it served.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <xenolith.h>

#define BUF_SIZE 16384

struct client {
    int fd;
    bool discard;
    unsigned long long received;        /* bytes read from this client */
    size_t pending, off;                /* echo bytes not yet written back */
    char *buf;
};

static struct {
    unsigned long long echoed, discarded, udp_echoed, accepted;
} stats;

static void report(void)
{
    printf("echo: %llu connections, %llu bytes echoed over TCP, %llu over UDP, "
           "%llu bytes discarded\n", stats.accepted, stats.echoed, stats.udp_echoed,
           stats.discarded);
}

static int listener(int type, unsigned port)
{
    int fd = socket(AF_INET6, type | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        printf("echo: socket: %s\n", strerror(errno));
        exit(1);
    }
    int on = 1, off = 0;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off));   /* IPv4 too */
    struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_port = htons((uint16_t)port),
                              .sin6_addr = IN6ADDR_ANY_INIT };
    if (bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0 ||
        (type == SOCK_STREAM && listen(fd, SOMAXCONN) != 0)) {
        printf("echo: cannot listen on %s port %u: %s\n", type == SOCK_STREAM ? "TCP" : "UDP",
               port, strerror(errno));
        exit(1);
    }
    return fd;
}

static unsigned cfg(const char *key, unsigned dflt, unsigned max)
{
    unsigned long long v;
    if (xn_config_uint(key, dflt, max, &v) != 0)
        exit(2);
    return (unsigned)v;
}

int main(void)
{
    /* A client that goes away mid-reply is an error on that connection
     * (EPIPE), not the end of the server. */
    signal(SIGPIPE, SIG_IGN);
    unsigned echo_port = cfg("app.echo_port", 7, 65535);
    unsigned discard_port = cfg("app.discard_port", 9, 65535);
    unsigned max = cfg("app.max_clients", 128, 250);
    int tcp_echo = listener(SOCK_STREAM, echo_port);
    int tcp_discard = listener(SOCK_STREAM, discard_port);
    int udp_echo = listener(SOCK_DGRAM, echo_port);
    struct client *c = calloc(max, sizeof(*c));
    struct pollfd *p = calloc(max + 3, sizeof(*p));
    char *scratch = malloc(BUF_SIZE);
    if (c == NULL || p == NULL || scratch == NULL) {
        printf("echo: out of memory\n");
        return 1;
    }
    unsigned n = 0;
    atexit(report);
    printf("echo: TCP and UDP echo on port %u, TCP discard on port %u (IPv4 and IPv6)\n",
           echo_port, discard_port);
    fflush(stdout);

    for (;;) {
        p[0] = (struct pollfd){ .fd = n < max ? tcp_echo : -1, .events = POLLIN };
        p[1] = (struct pollfd){ .fd = n < max ? tcp_discard : -1, .events = POLLIN };
        p[2] = (struct pollfd){ .fd = udp_echo, .events = POLLIN };
        for (unsigned i = 0; i < n; i++)
            p[3 + i] = (struct pollfd){ .fd = c[i].fd, .events = c[i].pending ? POLLOUT : POLLIN };
        if (poll(p, 3 + n, -1) < 0) {
            printf("echo: poll: %s\n", strerror(errno));
            return 1;
        }
        /* Clients first: their indexes move when one is removed. */
        for (unsigned i = n; i-- > 0;) {
            struct client *k = &c[i];
            short ev = p[3 + i].revents;
            bool done = false;
            if (ev & (POLLERR | POLLNVAL)) {
                done = true;
            } else if (k->pending && (ev & (POLLOUT | POLLHUP))) {
                ssize_t w = write(k->fd, k->buf + k->off, k->pending);
                if (w > 0) {
                    k->off += (size_t)w;
                    k->pending -= (size_t)w;
                    stats.echoed += (unsigned long long)w;
                } else if (w < 0 && errno != EAGAIN) {
                    done = true;
                }
            } else if (ev & (POLLIN | POLLHUP)) {
                char *into = k->discard ? scratch : k->buf;
                ssize_t r = read(k->fd, into, BUF_SIZE);
                if (r > 0) {
                    k->received += (unsigned long long)r;
                    if (k->discard) {
                        stats.discarded += (unsigned long long)r;
                    } else {
                        k->pending = (size_t)r;
                        k->off = 0;
                    }
                } else if (r == 0 || errno != EAGAIN) {
                    done = true;
                }
            }
            if (done) {
                if (k->discard) {
                    /* With the window scaling both sides announced (RFC
                     * 7323), as TCP_INFO reports it. */
                    struct tcp_info ti;
                    socklen_t tl = sizeof(ti);
                    if (getsockopt(k->fd, IPPROTO_TCP, TCP_INFO, &ti, &tl) == 0 &&
                        (ti.tcpi_options & TCPI_OPT_WSCALE))
                        printf("echo: discard connection closed after %llu bytes "
                               "(window scale: ours %u, the peer's %u)\n", k->received,
                               ti.tcpi_rcv_wscale, ti.tcpi_snd_wscale);
                    else
                        printf("echo: discard connection closed after %llu bytes "
                               "(no window scaling)\n", k->received);
                    fflush(stdout);
                }
                close(k->fd);
                free(k->buf);
                c[i] = c[--n];
            }
        }
        for (int l = 0; l < 2; l++) {
            if (!(p[l].revents & POLLIN))
                continue;
            int fd = accept4(p[l].fd, NULL, NULL, SOCK_NONBLOCK);
            if (fd < 0)
                continue;
            char *buf = l == 0 ? malloc(BUF_SIZE) : NULL;
            if (l == 0 && buf == NULL) {
                close(fd);
                continue;
            }
            int on = 1;
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
            c[n++] = (struct client){ .fd = fd, .discard = l == 1, .buf = buf };
            stats.accepted++;
        }
        if (p[2].revents & POLLIN) {
            struct sockaddr_in6 from;
            socklen_t len = sizeof(from);
            ssize_t r = recvfrom(udp_echo, scratch, BUF_SIZE, 0, (struct sockaddr *)&from, &len);
            if (r >= 0 && sendto(udp_echo, scratch, (size_t)r, 0, (struct sockaddr *)&from, len) == r)
                stats.udp_echoed += (unsigned long long)r;
        }
    }
}
