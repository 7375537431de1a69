/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Ending a guest that runs directly in QEMU: QEMU's isa-debug-exit device
 * at port 0x501 ends the QEMU process with status (code << 1) | 1. On
 * machines without that device the write does nothing.
 */
#include "arch.h"

void power_qemu_exit(unsigned code)
{
    outb(0x501, (uint8_t)code);
}
