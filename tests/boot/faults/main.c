/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Boot test: each mode makes one deliberate fault; the runner checks the
 * crash report. The functions are noinline so that the backtrace names
 * them.
 */
#undef NDEBUG
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NOINLINE __attribute__((noinline))

volatile int sink;
volatile uintptr_t zero;                /* opaque to the compiler */

NOINLINE void cause_page_fault(void)
{
    *(volatile int *)0xdead0000UL = 1;  /* far above RAM: never mapped */
}

NOINLINE void read_null(void)
{
    sink = *(volatile int *)zero;
}

NOINLINE void write_to_text(void)
{
    *(volatile unsigned char *)(void *)&write_to_text = 0xc3;
}

NOINLINE void jump_into_heap(void)
{
    unsigned char *code = malloc(16);
    memset(code, 0xc3, 16);             /* ret */
    ((void (*)(void))code)();
}

/* Recurses until the stack runs out; the depth check only hides that. */
NOINLINE int recurse_forever(int depth)
{
    volatile char pad[256];
    pad[0] = (char)depth;
    if (depth < 0)
        return 0;
    return recurse_forever(depth + 1) + pad[0];
}

NOINLINE void smash_stack(const char *src)
{
    char buf[8];
    strcpy(buf, src);
    sink = buf[0];
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";

    printf("fault mode '%s'\n", mode);
    if (strcmp(mode, "pagefault") == 0)
        cause_page_fault();
    else if (strcmp(mode, "null") == 0)
        read_null();
    else if (strcmp(mode, "text") == 0)
        write_to_text();
    else if (strcmp(mode, "heapexec") == 0)
        jump_into_heap();
    else if (strcmp(mode, "overflow") == 0)
        sink = recurse_forever(0);
    else if (strcmp(mode, "smash") == 0)
        smash_stack("this string is far longer than eight bytes");
    else if (strcmp(mode, "abort") == 0)
        abort();
    else if (strcmp(mode, "assert") == 0)
        assert(zero == 1);
    else if (strcmp(mode, "ud2") == 0)
        __builtin_trap();
    printf("FAIL: mode '%s' did not fault\n", mode);
    return 1;
}
