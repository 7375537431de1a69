/* SPDX-License-Identifier: BSD-2-Clause */
/* A program built by its own build system (autoconf, CMake or make)
 * through the SDK's compiler driver: it reports what its configuration
 * found and uses threads, the math library and a socket. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif
#ifndef BUILT_BY
#define BUILT_BY "make"
#endif

static void *worker(void *arg)
{
    *(double *)arg = sqrt(2.0);
    return NULL;
}

int main(int argc, char **argv)
{
    pthread_t t;
    double r = 0;
    if (pthread_create(&t, NULL, worker, &r) != 0 || pthread_join(t, NULL) != 0) {
        printf("sdk-sample: threads failed\n");
        return 1;
    }
    int s = socket(AF_INET, SOCK_STREAM, 0);
    printf("sdk-sample: built by %s; sqrt(2)=%.6f; socket %s; argv[0]=%s argc=%d\n",
           BUILT_BY, r, s >= 0 ? "ok" : "failed", argv[0], argc);
#ifdef HAVE_SYS_SOCKET_H
    printf("sdk-sample: configure found sys/socket.h\n");
#endif
    if (s >= 0)
        close(s);
    return s >= 0 && r > 1.41 && r < 1.42 ? 0 : 1;
}
