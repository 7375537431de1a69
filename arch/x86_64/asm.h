/* SPDX-License-Identifier: BSD-2-Clause */
/* Constants shared by the assembly and C parts of arch/x86_64. */
#ifndef ARCH_X86_64_ASM_H
#define ARCH_X86_64_ASM_H

#define XEN_ELFNOTE_PHYS32_ENTRY 18

#define PTE_P       0x001
#define PTE_W       0x002
#define PTE_PS      0x080

#define CR0_PE      0x00000001
#define CR0_MP      0x00000002
#define CR0_EM      0x00000004
#define CR0_WP      0x00010000
#define CR0_PG      0x80000000
#define CR4_PAE     0x00000020
#define CR4_OSFXSR  0x00000200
#define CR4_OSXMMEXCPT 0x00000400

#define MSR_EFER    0xc0000080
#define EFER_LME    0x00000100
#define EFER_NXE    0x00000800

#define GDT_CODE    0x08
#define GDT_DATA    0x10
#define GDT_TSS     0x18

#define BOOT_STACK_SIZE 65536             /* main() runs on it */
#define IST_STACK_SIZE  8192

#endif
