#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Build what runs real Xen under QEMU, from Debian packages only (current
# versions, resolved at run time):
#   xen.elf          the hypervisor (gunzipped: QEMU's multiboot loader
#                    cannot load the .gz)
#   vmlinux          the dom0 kernel, uncompressed (xz in Xen under TCG
#                    costs seconds per boot)
#   dom0-base.cpio   dom0 initramfs: busybox, bash, xl, xenstored,
#                    xenconsoled, netback, blkback, bridge, loop, e1000,
#                    fast hotplug scripts, /init (tools/xen/dom0-init.sh);
#                    modules loaded only by `make run`'s dom0: virtio-blk
#                    (the host's disk image) and nf_tables NAT (port
#                    forwarding)
#   dom0-clients.cpio  a second layer with the real clients: curl, wrk,
#                    redis-tools (and redis-server, the reference for the
#                    kvstore tests), iperf3, dnsmasq, fio, ping, socat,
#                    nft (make run's port forwarding)
# Both layers are plain newc archives; Linux unpacks them one after the
# other when they are concatenated.
#
# Output: a directory in $XENOLITH_CACHE keyed by the package versions and
# the harness files, linked from OUT_DIR (default build/xen). A rerun with
# nothing changed only checks the key. Versions go to OUT_DIR/VERSIONS.
#
# Usage: tools/xen/build-harness.sh [OUT_DIR]
set -euo pipefail
unset MAKEFLAGS MFLAGS MAKELEVEL

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${1:-$ROOT/build/xen}
CACHE=${XENOLITH_CACHE:-$HOME/.cache/xenolith}
DL=$CACHE/dl/harness
STEP=start

say()  { printf '  XEN     %s\n' "$*" >&2; }
fail() { printf 'build-harness: error: %s\n' "$*" >&2; exit 1; }
trap 'rc=$?; [ $rc -ne 0 ] && printf "build-harness: failed during step: %s\n" "$STEP" >&2; exit $rc' EXIT

for t in apt-get apt-cache dpkg-deb cpio depmod modprobe xz gunzip; do
    command -v "$t" >/dev/null || fail "'$t' not found (run tools/setup.sh, which installs what the harness needs)"
done
mkdir -p "$DL"

# Packages dom0 needs; their library dependencies are added below.
BASE_PKGS=(xen-hypervisor-4.17-amd64 xen-utils-4.17 xen-utils-common xenstore-utils
           bash busybox-static util-linux mount)
CLIENT_PKGS=(curl wrk redis-tools iperf3 dnsmasq-base fio iputils-ping socat nftables)
MODULES=(xen-evtchn xen-gntdev xen-gntalloc xen-privcmd xenfs xen-blkback
         xen-netback bridge loop e1000
         virtio_pci virtio_blk nf_tables nft_chain_nat nft_nat nft_masq nf_conntrack nf_nat)
# Binaries that must resolve all their libraries inside the initramfs.
BASE_BINS=(usr/lib/xen-4.17/bin/xl usr/lib/xen-4.17/bin/xenstored
           usr/lib/xen-4.17/bin/xenconsoled usr/lib/xen-4.17/bin/xen-init-dom0
           usr/bin/xenstore-write usr/bin/xenstore-read bin/bash usr/bin/flock
           usr/sbin/losetup)
CLIENT_BINS=(usr/bin/curl usr/bin/wrk usr/bin/redis-cli usr/bin/redis-benchmark
             usr/bin/iperf3 usr/sbin/dnsmasq usr/bin/fio bin/ping usr/bin/socat usr/sbin/nft)

. "$ROOT/tools/xen/debs.sh"

STEP="resolve packages"
KPKG=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-/ {print $2; exit}')
[ -n "$KPKG" ] || fail "cannot resolve linux-image-amd64 (run 'apt-get update' first?)"
out=$(closure "${BASE_PKGS[@]}") || exit 1
mapfile -t base_list <<<"$out"
out=$(closure "${CLIENT_PKGS[@]}") || exit 1
mapfile -t client_all <<<"$out"
client_list=()
for p in "${client_all[@]}"; do
    printf '%s\n' "${base_list[@]}" | grep -qx "$p" || client_list+=("$p")
done
# Command substitution, not <(...): a failing pin must stop the script.
out=$(pin "${base_list[@]}" "$KPKG") || exit 1
mapfile -t base_pv <<<"$out"
out=$(pin "${client_list[@]}") || exit 1
mapfile -t client_pv <<<"$out"

HARNESS_FILES=("$0" "$ROOT/tools/xen/debs.sh" "$ROOT/tools/xen/dom0-init.sh" "$ROOT"/tools/xen/scripts/*)
KEY=$(printf '%s\n' "${base_pv[@]}" "${client_pv[@]}" "${MODULES[@]}" |
      cat - "${HARNESS_FILES[@]}" | sha256sum | cut -c1-16)
DEST=$CACHE/xen-harness-$KEY
if [ -f "$DEST/.done" ]; then
    say "harness up to date ($DEST)"
else
    rm -rf "$DEST"; mkdir -p "$DEST"
    STEP="download"
    fetch "${base_pv[@]}" "${client_pv[@]}"
    work=$(mktemp -d "$CACHE/harness-work.XXXXXX")
    trap 'rc=$?; rm -rf "$work"; [ $rc -ne 0 ] && printf "build-harness: failed during step: %s\n" "$STEP" >&2; exit $rc' EXIT

    STEP="hypervisor"
    x=$(mktemp -d "$work/x.XXXX")
    dpkg-deb -x "$(deb_of "$(printf '%s\n' "${base_pv[@]}" | grep '^xen-hypervisor-')")" "$x"
    gz=$(ls "$x"/boot/xen-*-amd64.gz | head -1)
    [ -n "$gz" ] || fail "no boot/xen-*.gz in xen-hypervisor"
    gunzip -c "$gz" >"$DEST/xen.elf"

    STEP="dom0 kernel ($KPKG)"
    k=$work/kernel
    mkdir -p "$k"
    dpkg-deb -x "$(deb_of "$(printf '%s\n' "${base_pv[@]}" | grep "^$KPKG=")")" "$k"
    kver=$(ls "$k/lib/modules" | head -1)
    vmlinuz=$k/boot/vmlinuz-$kver
    off=$(LC_ALL=C grep -obUaP '\xfd\x37\x7a\x58\x5a\x00' "$vmlinuz" | head -1 | cut -d: -f1)
    [ -n "$off" ] || fail "no xz stream in $vmlinuz"
    tail -c +$((off + 1)) "$vmlinuz" | xz -dc --single-stream >"$DEST/vmlinux" 2>/dev/null || true
    [ "$(head -c 4 "$DEST/vmlinux" | od -An -c | tr -d ' ')" = '177ELF' ] ||
        fail "the vmlinux extracted from $vmlinuz is not an ELF file"

    STEP="dom0 root"
    r=$work/base
    mkdir -p "$r"
    for pv in "${base_pv[@]}"; do
        case $pv in
        "$KPKG"=*|xen-hypervisor-*) ;;
        util-linux=*)   # only flock (Xen's locking.sh)
            u=$(mktemp -d "$work/u.XXXX"); dpkg-deb -x "$(deb_of "$pv")" "$u"
            install -D -m 755 "$u/usr/bin/flock" "$r/usr/bin/flock" ;;
        mount=*)        # only losetup, which can set the sector size
            u=$(mktemp -d "$work/u.XXXX"); dpkg-deb -x "$(deb_of "$pv")" "$u"
            f=$u/sbin/losetup
            [ -f "$f" ] || f=$u/usr/sbin/losetup
            [ -f "$f" ] || fail "the mount package has no losetup"
            install -D -m 755 "$f" "$r/usr/sbin/losetup" ;;
        *) dpkg-deb -x "$(deb_of "$pv")" "$r" ;;
        esac
    done
    STEP="modules"
    install_modules "$k" "$kver" "$r" "${MODULES[@]}"

    STEP="busybox and layout"
    "$r/bin/busybox" --list-full | while read -r app; do
        [ -e "$r/$app" ] || [ -L "$r/$app" ] || { mkdir -p "$r/$(dirname "$app")"; ln -s /bin/busybox "$r/$app"; }
    done
    mkdir -p "$r"/{proc,sys,dev,run,tmp,var/log/xen/console,var/lib/xen,etc/xen/scripts,test}
    ln -sfn /run "$r/var/run"
    ln -sfn /run/lock "$r/var/lock"
    ln -sfn /usr/lib/xen-4.17/bin/xl "$r/usr/sbin/xl"
    install -m 755 "$ROOT/tools/xen/dom0-init.sh" "$r/init"
    install -m 755 "$ROOT"/tools/xen/scripts/* "$r/etc/xen/scripts/"
    rm -rf "$r"/usr/share/{doc,man,info,locale,lintian,bug,bash-completion} \
           "$r"/usr/lib/xen-4.17/boot "$r"/usr/lib/python3* "$r"/boot

    STEP="clients"
    c=$work/clients
    mkdir -p "$c"
    for pv in "${client_pv[@]}"; do
        dpkg-deb -x "$(deb_of "$pv")" "$c"
    done
    rm -rf "$c"/usr/share/{doc,man,info,locale,lintian,bug,bash-completion} "$c"/etc/init.d
    # redis-tools' redis-check-rdb is redis-server too (Debian's redis-server
    # package is that link): a reference server for the kvstore tests.
    ln -sfn redis-check-rdb "$c/usr/bin/redis-server"

    STEP="library check"
    ld=$r/lib64/ld-linux-x86-64.so.2
    [ -e "$ld" ] || fail "no dynamic loader in the dom0 root"
    libpath=$r/lib/x86_64-linux-gnu:$r/usr/lib/x86_64-linux-gnu:$c/lib/x86_64-linux-gnu:$c/usr/lib/x86_64-linux-gnu:$c/usr/lib/x86_64-linux-gnu/ceph
    ld=$r/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2
    check_bins "$ld" "$libpath" "$r" "${BASE_BINS[@]}"
    check_bins "$ld" "$libpath" "$c" "${CLIENT_BINS[@]}"

    STEP="cpio"
    (cd "$r" && find . | cpio -o -H newc -R 0:0 --quiet) >"$DEST/dom0-base.cpio"
    (cd "$c" && find . | cpio -o -H newc -R 0:0 --quiet) >"$DEST/dom0-clients.cpio"
    {
        printf '%s\n' "${base_pv[@]}" "${client_pv[@]}"
        echo "dom0 kernel $kver"
    } >"$DEST/VERSIONS"
    rm -rf "$work"
    touch "$DEST/.done"
    say "built: $(du -sh "$DEST" | cut -f1) ($(ls "$DEST" | tr '\n' ' '))"
fi
STEP="link $OUT"
mkdir -p "$(dirname "$OUT")"
ln -sfn "$DEST" "$OUT"
say "harness ready: $OUT"
