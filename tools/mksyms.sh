#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# Generate the .ksyms section (see kernel/ksyms.c) from an ELF's text
# symbols, as assembly: u64 count, u64 addrs[] (sorted), u32 offsets[],
# names. Usage: mksyms.sh IMAGE.elf > ksyms.S
set -eu
elf=${1:?usage: mksyms.sh IMAGE.elf}
nm -n --defined-only "$elf" | awk 'BEGIN { n = 0 }
    $2 ~ /^[tTwW]$/ && $3 !~ /^\./ && $3 !~ /^__.*_(start|end)$/ {
        if ($1 == last) next          # one name per address
        last = $1; addr[n] = $1; name[n] = $3; n++
    }
    END {
        print "\t.section .ksyms, \"a\""
        print "\t.balign 8"
        printf "\t.quad %d\n", n
        for (i = 0; i < n; i++) printf "\t.quad 0x%s\n", addr[i]
        off = 0
        for (i = 0; i < n; i++) { printf "\t.long %d\n", off; off += length(name[i]) + 1 }
        for (i = 0; i < n; i++) printf "\t.asciz \"%s\"\n", name[i]
    }'
