#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Build the Linux guest that make bench compares Xenolith with, from Debian
# packages only (current versions, resolved at run time): the Debian kernel
# (the harness's vmlinux, booted as a PVH guest) and an initramfs with
# busybox, nginx, redis-server, socat (the TCP sink),
# the Xen netfront and blkfront modules, ext4 (for linux.kv=), and a small /init
# (tools/xen/linux-guest-init.sh) that takes the same static addresses as
# our guests (linux.ip=ADDR/PREFIX on the kernel command line) and starts
# the services. A second initramfs adds fio (for the block benchmark) with
# the libraries it loads: fio's Debian build links ceph, gluster, libnbd
# and pmem, which more than double the initramfs, so image size and the
# least-memory search use the first one.
#
# Output: OUT_DIR (default build/xen-linux) -> a directory in
# $XENOLITH_CACHE keyed by the package versions and this script's files,
# holding bench-layer.cpio: a dom0 initramfs layer with /bench/vmlinux,
# /bench/linux-initrd.cpio and /bench/linux-initrd-fio.cpio (both
# gzip-compressed), for tools/xen/run.sh --layer.
#
# Usage: tools/xen/build-linux-guest.sh [OUT_DIR]
set -euo pipefail
unset MAKEFLAGS MFLAGS MAKELEVEL
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${1:-$ROOT/build/xen-linux}
CACHE=${XENOLITH_CACHE:-$HOME/.cache/xenolith}
DL=$CACHE/dl/harness
STEP=start
say()  { printf '  LINUX   %s\n' "$*" >&2; }
fail() { printf 'build-linux-guest: error: %s\n' "$*" >&2; exit 1; }
trap 'rc=$?; [ $rc -ne 0 ] && printf "build-linux-guest: failed during step: %s\n" "$STEP" >&2; exit $rc' EXIT

"$ROOT/tools/xen/build-harness.sh" >/dev/null || fail "the Xen harness could not be built"
H=$ROOT/build/xen
mkdir -p "$DL"

PKGS=(busybox-static nginx redis-server redis-tools socat libc-bin)
GUEST_BINS=(usr/sbin/nginx usr/bin/redis-server usr/bin/socat)
MODULES=(xen-netfront xen-blkfront ext4)     # ext4: the file system for Redis's AOF (linux.kv=)
FIO_PKGS=(fio)
FIO_BINS=(usr/bin/fio)

STEP="resolve packages"
KPKG=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-/ {print $2; exit}')
[ -n "$KPKG" ] || fail "cannot resolve linux-image-amd64 (run 'apt-get update' first?)"
. "$ROOT/tools/xen/debs.sh"
EXTRA_DEPS=nginx-common                 # nginx's configuration and modules
out=$(closure "${PKGS[@]}" "$KPKG") || exit 1
mapfile -t list <<<"$out"
out=$(pin "${list[@]}") || exit 1
mapfile -t pv <<<"$out"
# fio's packages beyond the first initramfs's.
out=$(closure "${PKGS[@]}" "$KPKG" "${FIO_PKGS[@]}") || exit 1
fio_list=()
while read -r p; do
    printf '%s\n' "${list[@]}" | grep -qx "$p" || fio_list+=("$p")
done <<<"$out"
out=$(pin "${fio_list[@]}") || exit 1
mapfile -t fio_pv <<<"$out"

FILES=("$0" "$ROOT/tools/xen/debs.sh" "$ROOT/tools/xen/linux-guest-init.sh")
KEY=$(printf '%s\n' "${pv[@]}" "${fio_pv[@]}" "${MODULES[@]}" | cat - "${FILES[@]}" "$H/VERSIONS" |
      sha256sum | cut -c1-16)
DEST=$CACHE/linux-guest-$KEY
if [ -f "$DEST/.done" ]; then
    say "Linux guest up to date ($DEST)"
else
    rm -rf "$DEST"; mkdir -p "$DEST"
    STEP="download"
    fetch "${pv[@]}" "${fio_pv[@]}"
    work=$(mktemp -d "$CACHE/linux-work.XXXXXX")
    trap 'rc=$?; rm -rf "$work"; [ $rc -ne 0 ] && printf "build-linux-guest: failed during step: %s\n" "$STEP" >&2; exit $rc' EXIT

    STEP="root"
    r=$work/root k=$work/kernel
    mkdir -p "$r" "$k"
    for p in "${pv[@]}"; do
        case $p in
        "$KPKG"=*) dpkg-deb -x "$(deb_of "$p")" "$k" ;;
        libc-bin=*) ;;                  # only wanted for its dependencies
        *) dpkg-deb -x "$(deb_of "$p")" "$r" ;;
        esac
    done
    STEP="modules"
    kver=$(ls "$k/lib/modules" | head -1)
    install_modules "$k" "$kver" "$r" "${MODULES[@]}"

    STEP="layout"
    "$r/bin/busybox" --list-full | while read -r app; do
        [ -e "$r/$app" ] || [ -L "$r/$app" ] || { mkdir -p "$r/$(dirname "$app")"; ln -s /bin/busybox "$r/$app"; }
    done
    mkdir -p "$r"/{proc,sys,dev,run,tmp,var/log/nginx,var/lib/nginx,var/lib/redis,www,etc}
    echo 'root:x:0:0:root:/root:/bin/sh' >"$r/etc/passwd"
    echo 'www-data:x:33:33:www-data:/var/www:/bin/sh' >>"$r/etc/passwd"
    printf 'root:x:0:\nwww-data:x:33:\n' >"$r/etc/group"
    install -m 755 "$ROOT/tools/xen/linux-guest-init.sh" "$r/init"
    rm -rf "$r"/usr/share/{doc,man,info,locale,lintian,bug,bash-completion,vim,gdb} "$r/boot" \
           "$r"/usr/lib/x86_64-linux-gnu/gconv

    STEP="library check"
    check_bins "$r/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2" \
        "$r/lib/x86_64-linux-gnu:$r/usr/lib/x86_64-linux-gnu:$r/usr/lib/x86_64-linux-gnu/ceph" \
        "$r" "${GUEST_BINS[@]}"

    STEP="cpio"
    l=$work/layer
    mkdir -p "$l/bench"
    # gzip, as Debian's initramfs-tools does: the kernel unpacks it.
    (cd "$r" && find . | cpio -o -H newc -R 0:0 --quiet) | gzip -6 >"$l/bench/linux-initrd.cpio"

    STEP="fio initramfs"
    # Only fio and the shared libraries it loads (the packages hold much
    # more: ceph's, gluster's and ICU's data), resolved by the loader.
    f=$work/fio
    mkdir -p "$f"
    for p in "${fio_pv[@]}"; do dpkg-deb -x "$(deb_of "$p")" "$f"; done
    fio_libpath=$r/lib/x86_64-linux-gnu:$r/usr/lib/x86_64-linux-gnu
    fio_libpath=$fio_libpath:$f/lib/x86_64-linux-gnu:$f/usr/lib/x86_64-linux-gnu:$f/usr/lib/x86_64-linux-gnu/ceph
    for b in "${FIO_BINS[@]}"; do
        install -D -m 755 "$f/$b" "$r/$b"
        "$r/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2" --library-path "$fio_libpath" --list "$f/$b" |
            awk '$2 == "=>" && $3 ~ /^\// { print $3 }' | while read -r lib; do
            case $lib in
            "$f"/*) rel=${lib#"$f"}
                    install -D -m 644 "$(readlink -f "$lib")" "$r$rel" ;;
            esac
        done
    done
    check_bins "$r/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2" \
        "$r/lib/x86_64-linux-gnu:$r/usr/lib/x86_64-linux-gnu:$r/usr/lib/x86_64-linux-gnu/ceph" \
        "$r" "${FIO_BINS[@]}"
    (cd "$r" && find . | cpio -o -H newc -R 0:0 --quiet) | gzip -6 >"$l/bench/linux-initrd-fio.cpio"
    cp "$H/vmlinux" "$l/bench/vmlinux"
    (cd "$l" && find . | cpio -o -H newc -R 0:0 --quiet) >"$DEST/bench-layer.cpio"
    {
        printf '%s\n' "${pv[@]}"
        echo "guest kernel $kver (the harness's vmlinux)"
        echo "vmlinux $(stat -c %s "$H/vmlinux") bytes, initramfs $(stat -c %s "$l/bench/linux-initrd.cpio") bytes (gzip)"
        echo "initramfs with fio $(stat -c %s "$l/bench/linux-initrd-fio.cpio") bytes (gzip), $(du -sb "$r" | cut -f1) bytes unpacked"
        echo "vmlinuz $(stat -c %s "$k/boot/vmlinuz-$kver") bytes (the compressed kernel)"
    } >"$DEST/VERSIONS"
    rm -rf "$work"
    touch "$DEST/.done"
    say "built: $(du -sh "$DEST" | cut -f1)"
fi
mkdir -p "$(dirname "$OUT")"
ln -sfn "$DEST" "$OUT"
say "Linux guest ready: $OUT"
