/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The console. Output always goes to the early console (arch/x86_64:
 * 0xE9 and COM1) until a platform driver registers a primary console
 * (the PV console ring), which then carries normal output; crash reports
 * use console_write_panic(), which writes to both, synchronously.
 */
#include "kernel.h"
#include "../arch/x86_64/arch.h"

static struct {
    const struct console_ops *primary;
    volatile int writing;               /* a write is under way (interrupts may see it) */
} console;

/* True while some write is under way: an interrupt handler that wants to
 * print waits for a later interrupt instead of mixing into it. */
bool console_busy(void)
{
    return console.writing != 0;
}

void console_init(void)
{
    earlycon_init();
}

void console_set_primary(const struct console_ops *ops)
{
    console.primary = ops;
}

void console_write(const char *s, size_t n)
{
    console.writing++;
    if (console.primary != NULL)
        console.primary->write(s, n);
    else
        earlycon_write(s, n);
    console.writing--;
}

void console_write_panic(const char *s, size_t n)
{
    earlycon_write(s, n);
    if (console.primary != NULL)
        console.primary->write(s, n);
}

/*
 * Read console input: waits (blocked, when the console can wake us) for
 * the first byte, then returns what is there, up to a newline.
 */
int console_read(char *buf, size_t len)
{
    size_t got = 0;
    volatile unsigned long *counter = NULL;

    if (console.primary != NULL && console.primary->input_counter != NULL)
        counter = console.primary->input_counter();
    while (got < len) {
        unsigned long seen = counter != NULL ? *counter : 0;
        int c = console_getc();
        if (c < 0) {
            if (got > 0)
                break;
            if (counter != NULL)
                time_wait_change(counter, seen, UINT64_MAX);
            else
                cpu_relax();
            continue;
        }
        buf[got++] = (char)(c == '\r' ? '\n' : c);
        if (c == '\r' || c == '\n')
            break;
    }
    return (int)got;
}

int console_getc(void)
{
    if (console.primary != NULL && console.primary->getc != NULL)
        return console.primary->getc();
    return earlycon_getc();
}
