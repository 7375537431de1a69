/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Boot test for the UBSAN=1 build: each mode commits one kind of
 * undefined behaviour, which the sanitizer's runtime must report with its
 * kind, file and line before crashing the guest.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

volatile int big = INT_MAX, amount = 40, index_ = 5;
int table[4];

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";

    if (strcmp(mode, "overflow") == 0)
        printf("%d\n", big + 1);                    /* signed overflow */
    else if (strcmp(mode, "shift") == 0)
        printf("%d\n", 1 << amount);                /* shift too far */
    else if (strcmp(mode, "bounds") == 0)
        printf("%d\n", table[index_]);              /* index out of bounds */
    printf("FAIL: mode '%s' was not reported\n", mode);
    return 1;
}
