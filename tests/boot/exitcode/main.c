/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Boot test: exit with the status given as argv[1], through exit(), with
 * a constructor, an atexit handler and a destructor that must all run.
 * With "module" as argv[2], also print the boot module. With "fake" as
 * argv[1], print a false "exit status 0" line and spin: the runner must
 * not take the console's word for it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xenolith.h>

static int constructed;

__attribute__((constructor)) static void construct(void)
{
    constructed = 1;
}

__attribute__((destructor)) static void destruct(void)
{
    printf("destructor ran\n");
}

static void on_exit_handler(void)
{
    printf("atexit handler ran\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        printf("FAIL: usage: exitcode STATUS [module]\n");
        return 1;
    }
    if (strcmp(argv[1], "fake") == 0) {
        printf("exit status 0\n");
        fflush(stdout);
        for (;;)
            __asm__ volatile("pause");
    }
    if (constructed)
        printf("constructor ran\n");
    if (argc > 2 && strcmp(argv[2], "module") == 0) {
        const void *data;
        size_t len;
        if (xn_boot_module(&data, &len) == 0)
            printf("module: %zu bytes: '%.*s'\n", len, (int)(len < 40 ? len : 40),
                   (const char *)data);
        else
            printf("module: none\n");
    }
    atexit(on_exit_handler);
    int status = atoi(argv[1]);
    printf("exiting with %d\n", status);
    exit(status);
}
