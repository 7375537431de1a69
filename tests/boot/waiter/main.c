/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Boot test: waits (sleeping) for up to 60 s for the toolstack to shut
 * the guest down; the atexit handler shows that shutdown ran it. Exits 1
 * if nobody asked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void goodbye(void)
{
    printf("atexit handler ran\n");
}

int main(void)
{
    atexit(goodbye);
    printf("waiting for a shutdown request\n");
    for (int i = 0; i < 600; i++)
        usleep(100000);
    printf("FAIL: no shutdown request within 60 s\n");
    return 1;
}
