#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Check the dependency rule of docs/architecture.md on the #include lines:
#   arch/x86_64/  includes only its own headers (and the C library's)
#   kernel/       may include arch/x86_64/arch.h, xen/platform.h and include/
#   xen/          may include kernel/, arch/ and the Xen public headers
#   lib/          includes include/, newlib and lwIP only: no Xen, no kernel
#   apps/, tests/boot/: <...> headers (include/, newlib, lwIP, libfdt) and
#                 their own headers in their own directory ("x.h", no path)
#   (tests/xen/ holds in-guest tests of the platform, which use the
#   kernel's internal interfaces on purpose.)
# usage: tools/check-layers.sh [TREE] (default: this tree)
# Prints each violation; exits 1 if there is any.
set -uo pipefail
cd "${1:-$(dirname "$0")/..}"
bad=0
violations() {  # dir regex-of-forbidden-include [regex-of-allowed-exception]
    local dir=$1 re=$2 allow=${3:-^$} found
    found=$(grep -nE '^[[:space:]]*#[[:space:]]*include' -r "$dir" --include='*.[chS]' |
        grep -E "$re" | grep -vE "$allow")
    [ -z "$found" ] || { printf '%s\n' "$found"; bad=1; }
}
violations arch/x86_64 '"\.\./|<xen/'
violations kernel '"\.\./xen/|"\.\./lib/|<xen/' '"\.\./xen/platform\.h"'
violations lib '"\.\./|<xen/'
violations apps '"[^"]*/'
violations tests/boot '"[^"]*/'
exit $bad
