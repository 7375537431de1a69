/* SPDX-License-Identifier: BSD-2-Clause */
/* hello: the smallest Xenolith app: stdio with floats, malloc and time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int main(int argc, char **argv)
{
    printf("Hello from Xenolith!\n");
    for (int i = 0; i < argc; i++)
        printf("argv[%d] = %s\n", i, argv[i]);

    volatile double r = 1.5;
    printf("area of a circle of radius %.1f: %f\n", r, 3.14159265358979 * r * r);

    char *buf = malloc(64);
    if (buf == NULL) {
        printf("malloc failed\n");
        return 1;
    }
    strcpy(buf, "malloc works");
    printf("%s\n", buf);
    free(buf);

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    struct timespec ten_ms = { 0, 10 * 1000 * 1000 };
    nanosleep(&ten_ms, NULL);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    long us = (t1.tv_sec - t0.tv_sec) * 1000000L + (t1.tv_nsec - t0.tv_nsec) / 1000;
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    printf("slept %ld us; the time is %04d-%02d-%02d %02d:%02d:%02d UTC\n", us,
           tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
           tm.tm_min, tm.tm_sec);
    return 0;
}
