/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The PVH boot protocol: arch/x86_64/pvh_entry.S calls pvh_boot() in long
 * mode with the physical address of struct hvm_start_info (written by Xen
 * or by QEMU's PVH loader). Everything in it is copied into a struct
 * boot_info after validation: the magic, the memory map (RAM entries
 * only), the command line and the boot module. Each structure is copied
 * out with memcpy before use: loaders do not always align them (QEMU puts
 * the module list at a 4-byte boundary). Pointers must lie inside
 * the boot identity map (the first 1 GiB) and must not wrap; a bad value
 * stops the boot with a message naming the field.
 */
#include <stdint.h>
#include <string.h>

#include <xen/arch-x86/hvm/start_info.h>

#include "../kernel/kernel.h"
#include "../arch/x86_64/arch.h"
#include "hypercall.h"
#include "platform.h"
#include "pvh_parse.h"

#define BOOT_MAP_LIMIT (1ULL << 30)

static struct boot_info boot_info;

/* Whether [pa, pa + len) lies inside the boot identity map. */
static bool readable(uint64_t pa, uint64_t len)
{
    return pa != 0 && pa < BOOT_MAP_LIMIT && len <= BOOT_MAP_LIMIT - pa;
}

__attribute__((noreturn)) static void bad(const char *what, uint64_t value)
{
    log_err("pvh: bad hvm_start_info: %s (%#llx)", what, (unsigned long long)value);
    power_crash();
}

static void parse_memmap(const struct hvm_start_info *si, struct boot_info *bi)
{
    char err[120];
    size_t dropped;

    if (si->version < 1 || si->memmap_entries == 0)
        bad("no memory map (version 1 start info required)", si->version);
    uint64_t bytes = (uint64_t)si->memmap_entries * sizeof(struct hvm_memmap_table_entry);
    if (!readable(si->memmap_paddr, bytes))
        bad("memmap_paddr", si->memmap_paddr);
    if (pvh_parse_memmap((const void *)(uintptr_t)si->memmap_paddr,
                         si->memmap_entries, bi, &dropped, err, sizeof(err)) != 0) {
        log_err("pvh: bad hvm_start_info: %s", err);
        power_crash();
    }
    if (dropped > 0)
        log_warn("pvh: memory map has more than %zu RAM ranges; %zu ignored",
                 ARRAY_SIZE(bi->ram), dropped);
}

static void parse_cmdline(const struct hvm_start_info *si, struct boot_info *bi)
{
    if (si->cmdline_paddr == 0)
        return;
    if (!readable(si->cmdline_paddr, 1))
        bad("cmdline_paddr", si->cmdline_paddr);
    const char *s = (const char *)(uintptr_t)si->cmdline_paddr;
    uint64_t room = BOOT_MAP_LIMIT - si->cmdline_paddr;
    size_t n = 0;
    while (n < sizeof(bi->cmdline) - 1 && n < room && s[n] != '\0') {
        bi->cmdline[n] = s[n];
        n++;
    }
    bi->cmdline[n] = '\0';
    bi->cmdline_truncated = n < room && s[n] != '\0';
}

static void parse_modules(const struct hvm_start_info *si, struct boot_info *bi)
{
    if (si->nr_modules == 0)
        return;
    if (!readable(si->modlist_paddr, sizeof(struct hvm_modlist_entry)))
        bad("modlist_paddr", si->modlist_paddr);
    /* Read once, with memcpy: loaders need not align it (QEMU does not). */
    struct hvm_modlist_entry m;
    memcpy(&m, (const void *)(uintptr_t)si->modlist_paddr, sizeof(m));
    if (m.size == 0)
        return;
    if (m.paddr + m.size < m.paddr)
        bad("module wraps around", m.paddr);
    bi->module.start = m.paddr;
    bi->module.end = m.paddr + m.size;
    if (si->nr_modules > 1)
        log_warn("pvh: %u boot modules given; only the first is used",
                 si->nr_modules);
}

__attribute__((noreturn, no_stack_protector)) void pvh_boot(uint32_t start_info_pa)
{
    struct boot_info *bi = &boot_info;

    /* RET in every byte until Xen fills it (xen/hypercall_page.S). */
    memset(hypercall_page, 0xc3, PAGE_SIZE);
    console_init();
    platform_init_early();      /* so even a bad start info ends the domain */
    timeline_mark("console");
    if (!readable(start_info_pa, sizeof(struct hvm_start_info)))
        bad("start info address", start_info_pa);
    /* Read once into an aligned copy; the loader need not align it. */
    static struct hvm_start_info copy;
    memcpy(&copy, (const void *)(uintptr_t)start_info_pa, sizeof(copy));
    const struct hvm_start_info *si = &copy;
    if (si->magic != XEN_HVM_START_MAGIC_VALUE)
        bad("magic", si->magic);
    bi->mode = "PVH";
    parse_memmap(si, bi);
    parse_cmdline(si, bi);
    parse_modules(si, bi);
    kernel_main(bi);
}
