/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The pure part of the PVH boot protocol (also built on the host for the
 * unit tests and the fuzzer tests/fuzz/fuzz_memmap.c): turning the
 * untrusted memory map from hvm_start_info into the kernel's RAM ranges.
 */
#include <stdint.h>
#include <string.h>

#include <xen/arch-x86/hvm/start_info.h>

#include "../kernel/kernel.h"
#include "pvh_parse.h"

/*
 * Add the RAM entries of (entries[0..count)) to bi->ram. Entries are read
 * once each. Returns 0; -EINVAL with (err) set when an entry wraps around
 * or there is no RAM at all. RAM ranges beyond the table's capacity are
 * dropped and counted in *dropped.
 */
int pvh_parse_memmap(const struct hvm_memmap_table_entry *entries,
                     uint32_t count, struct boot_info *bi, size_t *dropped,
                     char *err, size_t errlen)
{
    *dropped = 0;
    for (uint32_t i = 0; i < count; i++) {
        struct hvm_memmap_table_entry m;
        memcpy(&m, &entries[i], sizeof(m));     /* read once */
        if (m.type != XEN_HVM_MEMMAP_TYPE_RAM || m.size == 0)
            continue;
        if (m.addr + m.size < m.addr) {
            ksnprintf(err, errlen, "memory map entry %u wraps around (%#llx + %#llx)",
                      i, (unsigned long long)m.addr, (unsigned long long)m.size);
            return -EINVAL;
        }
        if (ranges_add(bi->ram, &bi->nram, ARRAY_SIZE(bi->ram), m.addr,
                       m.addr + m.size) != 0)
            (*dropped)++;
    }
    if (bi->nram == 0) {
        ksnprintf(err, errlen, "memory map has no RAM (%u entries)", count);
        return -EINVAL;
    }
    return 0;
}
