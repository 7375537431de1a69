#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# lib/'s own global names: those defined in ARCHIVE that no header in the
# given directories mentions (the public headers a program sees, and
# lwIP's port headers, which lwIP's library calls through). Prints an
# objcopy --redefine-syms list that gives each the reserved prefix __xn_,
# so that a program's own names never meet them (docs/architecture.md).
# _init and _fini (newlib's start-up calls them), _svfprintf_r (newlib's
# sprintf family calls it; lib/newlib/svfprintf.c) and wait3 and wait4 (BSD
# calls no newlib header declares) keep their names.
#
# usage: lib-internal-syms.sh ARCHIVE HEADER-DIR...
set -eu
ar=${1:?usage: lib-internal-syms.sh ARCHIVE HEADER-DIR...}
shift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
find -L "$@" -name '*.h' -exec cat {} + | grep -ohE '[A-Za-z_][A-Za-z0-9_]*' | sort -u >"$tmp/public"
printf '%s\n' _init _fini _svfprintf_r wait3 wait4 >>"$tmp/public"
sort -u -o "$tmp/public" "$tmp/public"
nm -g --defined-only "$ar" | awk 'NF == 3 { print $3 }' | sort -u >"$tmp/defined"
comm -23 "$tmp/defined" "$tmp/public" | awk '{ print $1, "__xn_" $1 }'
