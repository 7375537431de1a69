#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Build the programs the harness runs in dom0: tools/xen/hostile/hostile.c,
# the hostile backend (tools/xen/run.sh's hostile=SCENARIO), and
# tools/xen/probe/xnprobe.c, make bench's CPU accounting and first-answer
# prober (probe=IP:PORT), against Debian's Xen libraries of the same
# version as the harness's xen-utils-4.17:
# libxen-dev (headers and the .so links) and the runtime packages the
# links point to are downloaded into the harness's download cache
# (tools/xen/debs.sh), extracted with dpkg-deb -x under OUT_DIR/sysroot,
# and the program is linked dynamically against the sonames that dom0's
# initramfs has (libxenstore.so.4, libxenevtchn.so.1, libxengnttab.so.1,
# libxenforeignmemory.so.1, libxenctrl.so.4.17); the script checks they
# are there.
#
# Needs no root and no libxen-dev on the host. A rerun with the same
# package version, source and script only checks the key.
#
# Usage: tools/xen/build-dom0-tools.sh [OUT_DIR]   (default build/xen-dom0-tools)
# Output: OUT_DIR/hostile, OUT_DIR/xnprobe
set -euo pipefail
unset MAKEFLAGS MFLAGS MAKELEVEL

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${1:-$ROOT/build/xen-dom0-tools}
CACHE=${XENOLITH_CACHE:-$HOME/.cache/xenolith}
DL=$CACHE/dl/harness
SRCS=("$ROOT/tools/xen/hostile/hostile.c" "$ROOT/tools/xen/probe/xnprobe.c")

say()  { printf '  XEN     %s\n' "$*" >&2; }
fail() { printf 'build-dom0-tools: error: %s\n' "$*" >&2; exit 1; }

for t in apt-get apt-cache dpkg-deb gcc readelf cpio sha256sum; do
    command -v "$t" >/dev/null || fail "'$t' not found (run tools/setup.sh)"
done
mkdir -p "$DL" "$OUT"
. "$ROOT/tools/xen/debs.sh"

# The libraries' version is the harness's Xen version.
XEN_VER=$(apt-cache policy xen-utils-4.17 2>/dev/null | awk '/Candidate:/ {print $2}')
[ -n "$XEN_VER" ] && [ "$XEN_VER" != "(none)" ] ||
    fail "xen-utils-4.17 not found by apt (run 'apt-get update' first?)"
LIBS=(libxenstore4 libxenevtchn1 libxengnttab1 libxenforeignmemory1 libxentoolcore1 libxentoollog1
      libxenmisc4.17 libxencall1 libxendevicemodel1 libxenhypfs1)
KEY=$( { echo "$XEN_VER"; gcc --version | head -1; cat "${SRCS[@]}" "$0"; } | sha256sum | cut -c1-16)
if [ -x "$OUT/hostile" ] && [ -x "$OUT/xnprobe" ] && [ "$(cat "$OUT/.key" 2>/dev/null)" = "$KEY" ]; then
    say "dom0 tools up to date ($OUT)"
    exit 0
fi

pvs=(libxen-dev="$XEN_VER")
for l in "${LIBS[@]}"; do pvs+=("$l=$XEN_VER"); done
fetch "${pvs[@]}"
SYS=$OUT/sysroot
rm -rf "$SYS"; mkdir -p "$SYS"
for pv in "${pvs[@]}"; do
    deb=$(deb_of "$pv")
    [ -n "$deb" ] || fail "no .deb for $pv in $DL"
    dpkg-deb -x "$deb" "$SYS"
done
LIBDIR=$SYS/usr/lib/x86_64-linux-gnu
[ -f "$SYS/usr/include/xenstore.h" ] || fail "libxen-dev has no usr/include/xenstore.h"
# NAME SOURCE LIBS...: compile one program; every library it needs must
# be in dom0's initramfs.
BASE=$ROOT/build/xen/dom0-base.cpio
have=
[ -f "$BASE" ] && have=$(cpio -it --quiet <"$BASE" 2>/dev/null | sed 's,.*/,,' | sort -u)
build() {
    local name=$1 src=$2 so; shift 2
    say "CC      ${src#$ROOT/} (Xen libraries $XEN_VER)"
    gcc -std=gnu11 -O2 -g -Wall -Wextra -Werror -D_GNU_SOURCE -I"$SYS/usr/include" \
        -o "$OUT/$name.tmp" "$src" \
        -L"$LIBDIR" -Wl,-rpath-link,"$LIBDIR" "$@" ||
        fail "${src#$ROOT/} did not compile"
    if [ -n "$have" ]; then
        for so in $(readelf -d "$OUT/$name.tmp" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
            grep -qx "$so" <<<"$have" || fail "$name needs $so, which dom0's initramfs lacks (add its package to BASE_PKGS in tools/xen/build-harness.sh)"
        done
    fi
    mv "$OUT/$name.tmp" "$OUT/$name"
}
build hostile "${SRCS[0]}" -lxenstore -lxenevtchn -lxengnttab -lxenforeignmemory -lpthread
build xnprobe "${SRCS[1]}" -lxenctrl -lxenstore
echo "$KEY" >"$OUT/.key"
say "dom0 tools built: $OUT/hostile $OUT/xnprobe"
