/* SPDX-License-Identifier: BSD-2-Clause */
/* Boot test: exit with the status given as argv[1], through exit(). */
#include <stdio.h>
#include <stdlib.h>

static void on_exit_handler(void)
{
    printf("atexit handler ran\n");
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        printf("FAIL: usage: exitcode STATUS\n");
        return 1;
    }
    atexit(on_exit_handler);
    int status = atoi(argv[1]);
    printf("exiting with %d\n", status);
    exit(status);
}
