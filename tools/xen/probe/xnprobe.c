/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * xnprobe: measurements taken in the harness's dom0 for make bench
 * (tools/bench.sh), built with the hostile backend by
 * tools/xen/build-dom0-tools.sh.
 *
 *   xnprobe cpu DOMID...
 *       One line per domain, "DOMID NS": the CPU time Xen has accounted to
 *       it (all its vCPUs) in nanoseconds. A client samples its guest and
 *       dom0 before and after a run; the difference divided by the work
 *       done is the CPU cost per request or per MB.
 *
 *   xnprobe first DOMID IP PORT
 *       Started while the guest is still paused (tools/xen/run.sh's
 *       probe=IP:PORT). Prints "ready", then watches, until the first
 *       byte of an HTTP answer or 120 s:
 *         - the guest's vif 0 backend state in Xenstore (Connected, 4),
 *         - every frame on dom0's interfaces whose source MAC is the
 *           guest's (an AF_PACKET socket): the first one,
 *         - TCP connections to IP:PORT: a new non-blocking connect every
 *           10 ms, each kept for up to 1 s (a SYN answered late still
 *           counts), the first to complete sends "GET / HTTP/1.0",
 *         - the first byte of the answer.
 *       and prints one line:
 *         FIRST start=US backend=US frame=US synack=US byte=US status=S
 *       with gettimeofday() microseconds (bash's EPOCHREALTIME), 0 for
 *       what never happened; status is "ok" when the answer began with
 *       "HTTP/", else what went wrong. The exit status is 0 for ok.
 *
 *   xnprobe gaps IP PORT SECONDS
 *       For SECONDS, one HTTP request after another to IP:PORT, each on a
 *       new connection ("GET / HTTP/1.0"; 200 ms to connect, 500 ms to
 *       the first answer byte, then 10 ms before the next), and prints
 *         GAPS answers=N failures=N longest_gap_ms=MS gap_end=US
 *       the longest time between two answers (or from the start to the
 *       first, or from the last to the end) and when it ended, while a
 *       client saves, restores or migrates the guest (make bench's
 *       downtime). SIGTERM or SIGINT ends it early, with the same line.
 *       The exit status is 0 if there was any answer.
 *
 *   xnprobe na MAC SECONDS
 *       Prints "ready", then waits up to SECONDS for an unsolicited IPv6
 *       neighbour advertisement from MAC (an AF_PACKET socket): an
 *       ICMPv6 type 136 frame from MAC to the all-nodes group
 *       (33:33:00:00:00:01), hop limit 255. Prints for the first one
 *         NA target=ADDR override=0|1 solicited=0|1 lladdr=MAC|none
 *       (the target link-layer address option, when present) and exits
 *       0; 1 when none came. A guest sends them when its NIC is back
 *       after a resume or a migration.
 *
 * Every value read from Xenstore or the network is checked; a bad one
 * ends the run with a message naming it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <xenctrl.h>
#include <xenstore.h>

#define MAX_ATTEMPTS    128             /* connects in flight */
#define ATTEMPT_EVERY   10000           /* us between new connects */
#define ATTEMPT_LIFE    1000000         /* us a connect may take */
#define PROBE_LIMIT     120000000       /* us for the whole probe */

static uint64_t now_us(void)
{
    struct timeval tv;

    gettimeofday(&tv, NULL);
    return (uint64_t)tv.tv_sec * 1000000u + (uint64_t)tv.tv_usec;
}

static int parse_domid(const char *s, uint32_t *out)
{
    char *end;
    unsigned long v;

    errno = 0;
    v = strtoul(s, &end, 10);
    if (errno || end == s || *end || v >= DOMID_FIRST_RESERVED)
        return -1;
    *out = (uint32_t)v;
    return 0;
}

static int cmd_cpu(int argc, char **argv)
{
    xc_interface *xch = xc_interface_open(NULL, NULL, 0);
    int i, rc = 0;

    if (!xch) {
        fprintf(stderr, "xnprobe: cannot open the hypervisor interface: %s\n", strerror(errno));
        return 1;
    }
    for (i = 0; i < argc; i++) {
        xc_dominfo_t info;
        uint32_t d;

        if (parse_domid(argv[i], &d) < 0) {
            fprintf(stderr, "xnprobe: bad domain id '%s'\n", argv[i]);
            rc = 1;
            continue;
        }
        /* xc_domain_getinfo gives the first domain at or after d. */
        if (xc_domain_getinfo(xch, d, 1, &info) != 1 || info.domid != d) {
            fprintf(stderr, "xnprobe: no domain %u\n", d);
            rc = 1;
            continue;
        }
        printf("%u %llu\n", d, (unsigned long long)info.cpu_time);
    }
    xc_interface_close(xch);
    return rc;
}

static int parse_mac(const char *s, uint8_t mac[6])
{
    unsigned int b[6];
    int i, n = 0;

    if (!s || strlen(s) != 17 ||
        sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%n", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5], &n) != 6 ||
        n != 17)
        return -1;
    for (i = 0; i < 6; i++)
        mac[i] = (uint8_t)b[i];
    return 0;
}

/* A Xenstore value as a short string; NULL when absent. */
static char *xs_get(struct xs_handle *xs, const char *path)
{
    unsigned int len;
    char *v = xs_read(xs, XBT_NULL, path, &len);

    if (v && (len > 256 || strlen(v) != len)) {
        free(v);
        return NULL;
    }
    return v;
}

struct attempt {
    int fd;
    uint64_t started;
};

static int cmd_first(int argc, char **argv)
{
    uint64_t start, t_backend = 0, t_frame = 0, t_synack = 0, t_byte = 0, last_attempt = 0;
    struct attempt at[MAX_ATTEMPTS];
    struct sockaddr_in sin;
    struct xs_handle *xs;
    char path[128], *v, *backend_state = NULL;
    const char *status = "timeout";
    uint8_t mac[6];
    int pkt, conn = -1, i;
    uint32_t domid;
    char buf[2048];
    size_t got = 0;
    char head[8];

    if (argc != 3 || parse_domid(argv[0], &domid) < 0) {
        fprintf(stderr, "usage: xnprobe first DOMID IP PORT\n");
        return 2;
    }
    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    {
        char *end;
        unsigned long port = strtoul(argv[2], &end, 10);

        if (inet_pton(AF_INET, argv[1], &sin.sin_addr) != 1 || *end || end == argv[2] ||
            port == 0 || port > 65535) {
            fprintf(stderr, "xnprobe: bad address '%s' port '%s'\n", argv[1], argv[2]);
            return 2;
        }
        sin.sin_port = htons((uint16_t)port);
    }
    xs = xs_open(0);
    if (!xs) {
        fprintf(stderr, "xnprobe: cannot open Xenstore: %s\n", strerror(errno));
        return 1;
    }
    snprintf(path, sizeof(path), "/local/domain/%u/device/vif/0/mac", domid);
    v = xs_get(xs, path);
    if (parse_mac(v, mac) < 0) {
        fprintf(stderr, "xnprobe: %s: bad or missing MAC '%s'\n", path, v ? v : "(none)");
        free(v);
        return 1;
    }
    free(v);
    snprintf(path, sizeof(path), "/local/domain/%u/device/vif/0/backend", domid);
    v = xs_get(xs, path);
    if (!v || v[0] != '/' || strlen(v) > 100) {
        fprintf(stderr, "xnprobe: %s: bad or missing backend path\n", path);
        free(v);
        return 1;
    }
    if (asprintf(&backend_state, "%s/state", v) < 0)
        return 1;
    free(v);
    if (!xs_watch(xs, backend_state, "be")) {
        fprintf(stderr, "xnprobe: cannot watch %s: %s\n", backend_state, strerror(errno));
        return 1;
    }
    pkt = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK, htons(ETH_P_ALL));
    if (pkt < 0) {
        fprintf(stderr, "xnprobe: AF_PACKET socket: %s\n", strerror(errno));
        return 1;
    }
    for (i = 0; i < MAX_ATTEMPTS; i++)
        at[i].fd = -1;

    start = now_us();
    printf("ready\n");
    fflush(stdout);

    while (!t_byte) {
        struct pollfd pfd[2 + MAX_ATTEMPTS + 1];
        int map[2 + MAX_ATTEMPTS + 1];
        int n = 0, k, wait_ms;
        uint64_t t = now_us();

        if (t - start > PROBE_LIMIT)
            break;
        /* A new connect every ATTEMPT_EVERY until one completes. */
        if (!t_synack && t - last_attempt >= ATTEMPT_EVERY) {
            for (i = 0; i < MAX_ATTEMPTS && at[i].fd >= 0; i++)
                ;
            if (i < MAX_ATTEMPTS) {
                int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

                if (fd >= 0) {
                    if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 &&
                        errno != EINPROGRESS) {
                        close(fd);
                    } else {
                        at[i].fd = fd;
                        at[i].started = t;
                    }
                }
            }
            last_attempt = t;
        }
        pfd[n].fd = pkt; pfd[n].events = POLLIN; map[n++] = -1;
        pfd[n].fd = xs_fileno(xs); pfd[n].events = POLLIN; map[n++] = -2;
        if (conn >= 0) {
            pfd[n].fd = conn; pfd[n].events = POLLIN; map[n++] = -3;
        }
        for (i = 0; !t_synack && i < MAX_ATTEMPTS; i++) {
            if (at[i].fd < 0)
                continue;
            if (t - at[i].started > ATTEMPT_LIFE) {
                close(at[i].fd);
                at[i].fd = -1;
                continue;
            }
            pfd[n].fd = at[i].fd; pfd[n].events = POLLOUT; map[n++] = i;
        }
        wait_ms = t_synack ? 100 : 1 + (int)((ATTEMPT_EVERY - (now_us() - last_attempt) % ATTEMPT_EVERY) / 1000);
        if (poll(pfd, (nfds_t)n, wait_ms) < 0 && errno != EINTR) {
            status = "poll-failed";
            break;
        }
        t = now_us();
        for (k = 0; k < n; k++) {
            if (!pfd[k].revents)
                continue;
            if (map[k] == -1) {
                ssize_t len;

                while ((len = recv(pkt, buf, sizeof(buf), 0)) >= 14)
                    if (!t_frame && memcmp(buf + 6, mac, 6) == 0)
                        t_frame = t;
            } else if (map[k] == -2) {
                char **w;

                while ((w = xs_check_watch(xs)) != NULL) {
                    free(w);
                    if (!t_backend) {
                        v = xs_get(xs, backend_state);
                        if (v && strcmp(v, "4") == 0)
                            t_backend = t;
                        free(v);
                    }
                }
            } else if (map[k] == -3) {
                ssize_t len = recv(conn, head + got, sizeof(head) - got, 0);

                if (len > 0) {
                    if (!got)
                        t_byte = t;
                    got += (size_t)len;
                } else if (len == 0 || (errno != EAGAIN && errno != EINTR)) {
                    status = "closed-without-answer";
                    goto out;
                }
            } else {
                int fd = at[map[k]].fd, err = 0;
                socklen_t el = sizeof(err);

                getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el);
                if (err) {              /* refused: the guest is up, not listening yet */
                    close(fd);
                    at[map[k]].fd = -1;
                    continue;
                }
                if (t_synack)
                    continue;
                t_synack = t;
                conn = fd;
                at[map[k]].fd = -1;
                {
                    static const char req[] = "GET / HTTP/1.0\r\n\r\n";

                    if (send(conn, req, sizeof(req) - 1, MSG_NOSIGNAL) != (ssize_t)sizeof(req) - 1) {
                        status = "send-failed";
                        goto out;
                    }
                }
            }
        }
    }
    if (t_byte) {
        /* The rest of the status line, to check it is HTTP. */
        int tries;

        for (tries = 0; got < 5 && tries < 100; tries++) {
            struct pollfd p = { .fd = conn, .events = POLLIN };
            ssize_t len;

            poll(&p, 1, 20);
            len = recv(conn, head + got, sizeof(head) - got, 0);
            if (len > 0)
                got += (size_t)len;
            else if (len == 0)
                break;
        }
        status = (got >= 5 && memcmp(head, "HTTP/", 5) == 0) ? "ok" : "not-http";
    }
out:
    printf("FIRST start=%llu backend=%llu frame=%llu synack=%llu byte=%llu status=%s\n",
           (unsigned long long)start, (unsigned long long)t_backend, (unsigned long long)t_frame,
           (unsigned long long)t_synack, (unsigned long long)t_byte, status);
    fflush(stdout);
    for (i = 0; i < MAX_ATTEMPTS; i++)
        if (at[i].fd >= 0)
            close(at[i].fd);
    if (conn >= 0)
        close(conn);
    close(pkt);
    xs_close(xs);
    free(backend_state);
    return strcmp(status, "ok") == 0 ? 0 : 1;
}

static volatile sig_atomic_t gaps_stop;

static void on_stop(int sig)
{
    (void)sig;
    gaps_stop = 1;
}

/* One request on a new connection: 0 when an answer byte came in time. */
static int one_request(const struct sockaddr_in *sin)
{
    static const char req[] = "GET / HTTP/1.0\r\n\r\n";
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), rc = -1, err = 0;
    struct pollfd p = { .fd = fd };
    socklen_t el = sizeof(err);
    char c;

    if (fd < 0)
        return -1;
    if (connect(fd, (const struct sockaddr *)sin, sizeof(*sin)) < 0 && errno != EINPROGRESS)
        goto out;
    p.events = POLLOUT;
    if (poll(&p, 1, 200) != 1 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el) < 0 || err)
        goto out;
    if (send(fd, req, sizeof(req) - 1, MSG_NOSIGNAL) != (ssize_t)sizeof(req) - 1)
        goto out;
    p.events = POLLIN;
    if (poll(&p, 1, 500) == 1 && recv(fd, &c, 1, 0) == 1)
        rc = 0;
out:
    close(fd);
    return rc;
}

static int cmd_gaps(int argc, char **argv)
{
    struct sockaddr_in sin;
    unsigned long port, secs;
    char *end, *end2;
    uint64_t start, stop, last, gap = 0, gap_end = 0;
    unsigned long answers = 0, failures = 0;

    if (argc != 3) {
        fprintf(stderr, "usage: xnprobe gaps IP PORT SECONDS\n");
        return 2;
    }
    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    port = strtoul(argv[1], &end, 10);
    secs = strtoul(argv[2], &end2, 10);
    if (inet_pton(AF_INET, argv[0], &sin.sin_addr) != 1 || *end || end == argv[1] || port == 0 ||
        port > 65535 || *end2 || end2 == argv[2] || secs == 0 || secs > 3600) {
        fprintf(stderr, "xnprobe: bad address '%s', port '%s' or seconds '%s'\n", argv[0], argv[1], argv[2]);
        return 2;
    }
    sin.sin_port = htons((uint16_t)port);
    signal(SIGTERM, on_stop);
    signal(SIGINT, on_stop);
    start = last = now_us();
    stop = start + (uint64_t)secs * 1000000u;
    while (!gaps_stop && now_us() < stop) {
        if (one_request(&sin) == 0) {
            uint64_t t = now_us();
            if (t - last > gap) {
                gap = t - last;
                gap_end = t;
            }
            last = t;
            answers++;
        } else {
            failures++;
        }
        usleep(10000);
    }
    if (now_us() - last > gap) {
        gap = now_us() - last;
        gap_end = now_us();
    }
    printf("GAPS answers=%lu failures=%lu longest_gap_ms=%llu gap_end=%llu\n", answers, failures,
           (unsigned long long)(gap / 1000), (unsigned long long)gap_end);
    return answers ? 0 : 1;
}

/* xnprobe na MAC SECONDS: wait for an unsolicited neighbour advertisement. */
static int cmd_na(int argc, char **argv)
{
    static const uint8_t allnodes[6] = { 0x33, 0x33, 0, 0, 0, 1 };
    uint8_t mac[6], f[2048];
    long secs;
    char *end;
    int pkt;
    uint64_t deadline;

    if (argc != 2 || parse_mac(argv[0], mac) < 0 ||
        (secs = strtol(argv[1], &end, 10), *end != '\0' || secs < 1 || secs > 3600)) {
        fprintf(stderr, "usage: xnprobe na MAC SECONDS (MAC as 00:16:3e:.., 1 to 3600 s)\n");
        return 2;
    }
    pkt = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK, htons(ETH_P_IPV6));
    if (pkt < 0) {
        fprintf(stderr, "xnprobe: AF_PACKET socket: %s\n", strerror(errno));
        return 1;
    }
    printf("ready\n");
    fflush(stdout);
    deadline = now_us() + (uint64_t)secs * 1000000;
    for (;;) {
        struct pollfd pfd = { .fd = pkt, .events = POLLIN };
        uint64_t t = now_us();
        ssize_t n;

        if (t >= deadline)
            break;
        if (poll(&pfd, 1, (int)((deadline - t) / 1000) + 1) <= 0)
            continue;
        while ((n = recv(pkt, f, sizeof(f), 0)) > 0) {
            /* Ethernet 14, IPv6 40, then the ICMPv6 NA: type, code,
             * checksum, flags, 3 reserved, target (16), options. */
            const uint8_t *ip = f + 14, *na = f + 54, *opt;
            char addr[INET6_ADDRSTRLEN], ll[18] = "none";

            if (n < 54 + 24 || memcmp(f + 6, mac, 6) != 0 || memcmp(f, allnodes, 6) != 0 ||
                f[12] != 0x86 || f[13] != 0xdd || (ip[0] >> 4) != 6 || ip[6] != 58 || ip[7] != 255 ||
                na[0] != 136 || na[1] != 0)
                continue;
            for (opt = na + 24; opt + 8 <= f + n && opt[1] != 0; opt += opt[1] * 8) {
                if (opt + opt[1] * 8 > f + n)
                    break;
                if (opt[0] == 2 && opt[1] == 1)
                    snprintf(ll, sizeof(ll), "%02x:%02x:%02x:%02x:%02x:%02x", opt[2], opt[3], opt[4],
                             opt[5], opt[6], opt[7]);
            }
            inet_ntop(AF_INET6, na + 8, addr, sizeof(addr));
            printf("NA target=%s override=%d solicited=%d lladdr=%s\n", addr, (na[4] >> 5) & 1,
                   (na[4] >> 6) & 1, ll);
            return 0;
        }
    }
    printf("NA none within %ld s\n", secs);
    return 1;
}

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "cpu") == 0)
        return cmd_cpu(argc - 2, argv + 2);
    if (argc >= 2 && strcmp(argv[1], "first") == 0)
        return cmd_first(argc - 2, argv + 2);
    if (argc >= 2 && strcmp(argv[1], "gaps") == 0)
        return cmd_gaps(argc - 2, argv + 2);
    if (argc >= 2 && strcmp(argv[1], "na") == 0)
        return cmd_na(argc - 2, argv + 2);
    fprintf(stderr, "usage: xnprobe cpu DOMID... | xnprobe first DOMID IP PORT | xnprobe gaps IP PORT SECONDS"
                    " | xnprobe na MAC SECONDS\n");
    return 2;
}
