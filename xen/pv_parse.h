/* SPDX-License-Identifier: BSD-2-Clause */
/* pv_parse.c: the pure part of the PV boot protocol (start_info). */
#ifndef XEN_PV_PARSE_H
#define XEN_PV_PARSE_H

#include <stddef.h>
#include <stdint.h>

#define XEN_HAVE_PV_GUEST_ENTRY 1
#include <xen/xen.h>

struct boot_info;

/* What the kernel uses of start_info, validated. */
struct pv_start {
    uint64_t nr_pages;
    uint64_t p2m;                       /* address of the p2m list */
    uint64_t console;                   /* address of the console page */
    uint32_t console_port;
    uint64_t store;                     /* Xenstore page, 0 if unusable */
    uint32_t store_port;
    uint64_t pt_base;                   /* address of the top-level table */
    uint64_t shared_info;               /* machine address */
};

/*
 * The pseudo-physical frame of machine frame (mfn), or UINT64_MAX if it is
 * not one of the domain's (the machine-to-physical table, checked against
 * the p2m list).
 */
typedef uint64_t (*pv_frame_pfn_fn)(uint64_t mfn, void *ctx);

#define PV_MAX_PAGES (1ULL << 27)       /* 512 GiB: what the kernel maps */

int pv_parse_start_info(const start_info_t *si, uint64_t bootstrap_end,
                        pv_frame_pfn_fn frame_pfn, void *ctx,
                        struct pv_start *out, struct boot_info *bi,
                        char *err, size_t errlen);

#endif
