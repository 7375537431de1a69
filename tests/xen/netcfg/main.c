/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * In-guest test of network configuration (DHCP, SLAAC, DNS): once the
 * network is up (the kernel waits up to net.wait for DHCP), resolve each
 * name given as an argument through getaddrinfo() with the DNS servers the
 * network gave us, print every address, then serve nothing and wait to be
 * shut down (the harness's client pings us meanwhile).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

int main(int argc, char **argv)
{
    int bad = 0;
    for (int k = 0; k < 2 * (argc - 1); k++) {
        int i = 1 + k / 2, af = k % 2 ? AF_INET6 : AF_INET;     /* A, then AAAA */
        struct addrinfo hints = { .ai_family = af, .ai_socktype = SOCK_STREAM }, *res;
        int rc = getaddrinfo(argv[i], "80", &hints, &res);
        if (rc != 0) {
            printf("FAIL resolve %s (%s): %s\n", argv[i], af == AF_INET ? "A" : "AAAA",
                   gai_strerror(rc));
            bad = 1;
            continue;
        }
        for (struct addrinfo *a = res; a != NULL; a = a->ai_next) {
            char s[INET6_ADDRSTRLEN];
            const void *p = a->ai_family == AF_INET
                                ? (const void *)&((struct sockaddr_in *)a->ai_addr)->sin_addr
                                : (const void *)&((struct sockaddr_in6 *)a->ai_addr)->sin6_addr;
            printf("PASS resolve %s: %s\n", argv[i], inet_ntop(a->ai_family, p, s, sizeof(s)));
        }
        freeaddrinfo(res);
    }
    printf("netcfg: ready\n");
    fflush(stdout);
    for (;;)
        sleep(60);                      /* until xl shutdown */
    return bad;
}
