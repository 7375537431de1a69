#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# Generate the .ksyms section (see kernel/ksyms.c) from an ELF's text
# symbols, as assembly: u32 count, u32 offsets[] (address - __image_start,
# sorted), names. Usage: mksyms.sh IMAGE.elf > ksyms.S
set -eu
elf=${1:?usage: mksyms.sh IMAGE.elf}
nm -n --defined-only "$elf" | awk 'BEGIN { n = 0 }
    $3 == "__image_start" { base = $1 }
    $2 ~ /^[tTwW]$/ && $3 !~ /^\./ && $3 !~ /^__.*_(start|end)$/ {
        if ($1 == last) next          # one name per address
        last = $1; addr[n] = $1; name[n] = $3; n++
    }
    END {
        if (base == "") { print "mksyms: no __image_start in the image" > "/dev/stderr"; exit 1 }
        print "\t.section .ksyms, \"a\""
        print "\t.balign 4"
        printf "\t.long %d\n", n
        for (i = 0; i < n; i++) printf "\t.long 0x%s - 0x%s\n", addr[i], base
        for (i = 0; i < n; i++) printf "\t.asciz \"%s\"\n", name[i]
    }'
