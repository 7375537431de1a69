/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The early console: every byte goes to the 0xE9 debug port (QEMU's
 * debugcon, and Xen's log as "(dN)" lines for an HVM/PVH guest) and, when
 * a 16550 UART answers at COM1, to COM1. The UART is probed through its
 * scratch register (and not probed at all under Xen, which has none for
 * a PVH guest), so a machine without one costs no polling. Waits on the UART are bounded: a stuck UART drops output
 * instead of hanging the guest.
 */
#include <string.h>

#include "arch.h"

#define COM1 0x3f8

static struct {
    bool com1;
} early;

void earlycon_init(void)
{
    char sig[13];
    uint32_t base;

    if (cpu_pv != NULL)
        return;                 /* no port I/O: cpu_pv->early_write */
    /* Xen gives a PVH guest no UART; every probe would trap to Xen. */
    if (cpu_hypervisor(sig, &base) && strcmp(sig, "XenVMMXenVMM") == 0)
        return;
    outb(COM1 + 7, 0x5a);
    if (inb(COM1 + 7) != 0x5a)
        return;
    outb(COM1 + 7, 0xa5);
    if (inb(COM1 + 7) != 0xa5)
        return;
    outb(COM1 + 1, 0x00);       /* no interrupts */
    outb(COM1 + 3, 0x80);       /* DLAB: divisor follows */
    outb(COM1 + 0, 0x01);       /* 115200 baud */
    outb(COM1 + 1, 0x00);
    outb(COM1 + 3, 0x03);       /* 8n1 */
    outb(COM1 + 2, 0xc7);       /* FIFOs on and cleared */
    outb(COM1 + 4, 0x03);       /* DTR, RTS */
    early.com1 = true;
}

static void com1_putc(char c)
{
    for (int i = 0; i < 100000 && !(inb(COM1 + 5) & 0x20); i++)
        cpu_relax();
    outb(COM1, (uint8_t)c);
}

void earlycon_write(const char *s, size_t n)
{
    if (cpu_pv != NULL) {
        cpu_pv->early_write(s, n);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        outb(0xe9, (uint8_t)s[i]);
        if (early.com1) {
            if (s[i] == '\n')
                com1_putc('\r');
            com1_putc(s[i]);
        }
    }
}

/* A byte from COM1, or -1 when none is waiting. */
int earlycon_getc(void)
{
    if (cpu_pv != NULL)
        return -1;
    if (early.com1 && (inb(COM1 + 5) & 0x01))
        return inb(COM1);
    return -1;
}
