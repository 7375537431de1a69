#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Build dom0-libvirt.cpio: a third initramfs layer for the harness's dom0
# (on top of dom0-base.cpio and dom0-clients.cpio, whose libraries it
# uses) with Debian's libvirt: libvirtd and its libxl connection driver
# (libvirt-daemon-driver-xen), virsh and libvirt0, and the libraries of
# theirs that the other two layers lack. Only the libxl connection driver
# is kept: libvirtd loads the drivers it finds, and the network, storage
# and nwfilter ones would look for dnsmasq, iptables and udev at start.
# tools/xen/run.sh adds the layer for a guest with via=libvirt.
#
# Output: a directory in $XENOLITH_CACHE keyed by the package versions,
# this script and the harness it sits on, linked from OUT_DIR (default
# build/xen-libvirt). Needs the harness (tools/xen/build-harness.sh).
#
# Usage: tools/xen/build-libvirt-layer.sh [OUT_DIR]
set -euo pipefail
unset MAKEFLAGS MFLAGS MAKELEVEL

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${1:-$ROOT/build/xen-libvirt}
H=$ROOT/build/xen
CACHE=${XENOLITH_CACHE:-$HOME/.cache/xenolith}
DL=$CACHE/dl/harness
STEP=start

say()  { printf '  XEN     %s\n' "$*" >&2; }
fail() { printf 'build-libvirt-layer: error: %s\n' "$*" >&2; exit 1; }
trap 'rc=$?; [ $rc -ne 0 ] && printf "build-libvirt-layer: failed during step: %s\n" "$STEP" >&2; exit $rc' EXIT

[ -f "$H/VERSIONS" ] && [ -f "$H/dom0-base.cpio" ] && [ -f "$H/dom0-clients.cpio" ] ||
    fail "no harness in $H (tools/xen/build-harness.sh builds it)"
mkdir -p "$DL"

PKGS=(libvirt-daemon-driver-xen libvirt-daemon libvirt-clients libvirt0)
# Packages the closure reaches that dom0 does not need: libvirt-daemon
# depends on the QEMU driver.
SKIP=(libvirt-daemon-driver-qemu)
BINS=(usr/sbin/libvirtd usr/bin/virsh
      usr/lib/x86_64-linux-gnu/libvirt/connection-driver/libvirt_driver_libxl.so)

. "$ROOT/tools/xen/debs.sh"

STEP="resolve packages"
out=$(closure "${PKGS[@]}") || exit 1
have=$(sed -n 's/=.*//p' "$H/VERSIONS")
list=()
while read -r p; do
    grep -qx -- "$p" <<<"$have" && continue
    [[ " ${SKIP[*]} " == *" $p "* ]] && continue
    list+=("$p")
done <<<"$out"
out=$(pin "${list[@]}") || exit 1
mapfile -t pv <<<"$out"

KEY=$(printf '%s\n' "${pv[@]}" | cat - "$0" "$ROOT/tools/xen/debs.sh" "$H/VERSIONS" |
      sha256sum | cut -c1-16)
DEST=$CACHE/xen-libvirt-$KEY
if [ -f "$DEST/.done" ]; then
    say "libvirt layer up to date ($DEST)"
else
    rm -rf "$DEST"; mkdir -p "$DEST"
    STEP="download"
    fetch "${pv[@]}"
    work=$(mktemp -d "$CACHE/libvirt-work.XXXXXX")
    trap 'rc=$?; rm -rf "$work"; [ $rc -ne 0 ] && printf "build-libvirt-layer: failed during step: %s\n" "$STEP" >&2; exit $rc' EXIT

    STEP="extract"
    r=$work/root
    mkdir -p "$r"
    for p in "${pv[@]}"; do
        dpkg-deb -x "$(deb_of "$p")" "$r"
    done
    drv=$r/usr/lib/x86_64-linux-gnu/libvirt/connection-driver
    find "$drv" -name '*.so' ! -name libvirt_driver_libxl.so -delete
    rm -rf "$r"/usr/share/{doc,man,info,locale,lintian,bug,bash-completion,polkit-1} \
           "$r"/etc/init.d "$r"/etc/logrotate.d "$r"/etc/apparmor.d "$r"/lib/systemd "$r"/usr/lib/systemd \
           "$r"/usr/lib/x86_64-linux-gnu/libvirt/storage-* "$r"/usr/lib/x86_64-linux-gnu/libvirt/lock-driver
    # libvirtd decodes the host CPU Xen reports into one of its models,
    # and its libxl driver refuses to start when none fits. Every x86
    # model has VME, which the emulated CPU that Xen reports under QEMU
    # lacks (`xl info`'s hw_caps word 0 is 1fcbf3fd); the 486 model,
    # without VME, fits it. Only this harness's copy is changed.
    m486=$r/usr/share/libvirt/cpu_map/x86_486.xml
    grep -q "<feature name='vme'/>" "$m486" || fail "$m486 no longer lists vme; recheck the workaround"
    sed -i "/<feature name='vme'\/>/d" "$m486"
    # libvirtd's own configuration: root's local socket without polkit
    # (dom0 has no D-Bus), logs to a file dom0-run.sh shows on failure.
    mkdir -p "$r/etc/libvirt"
    cat >"$r/etc/libvirt/libvirtd.conf" <<'EOF'
# The harness's dom0 (tools/xen/build-libvirt-layer.sh).
unix_sock_group = "root"
unix_sock_rw_perms = "0700"
auth_unix_ro = "none"
auth_unix_rw = "none"
log_outputs = "3:file:/var/log/libvirt/libvirtd.log"
EOF

    STEP="library check"
    libs=$work/libs
    mkdir -p "$libs"
    for l in "$H/dom0-base.cpio" "$H/dom0-clients.cpio"; do
        (cd "$libs" && cpio -idm --quiet '*lib*' <"$l") || fail "cannot unpack $l"
    done
    ld=$libs/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2
    [ -e "$ld" ] || fail "no dynamic loader in the harness's dom0 layers"
    libpath=$r/lib/x86_64-linux-gnu:$r/usr/lib/x86_64-linux-gnu
    libpath=$libpath:$libs/lib/x86_64-linux-gnu:$libs/usr/lib/x86_64-linux-gnu:$libs/usr/lib/x86_64-linux-gnu/ceph
    check_bins "$ld" "$libpath" "$r" "${BINS[@]}"

    STEP="cpio"
    (cd "$r" && find . | cpio -o -H newc -R 0:0 --quiet) >"$DEST/dom0-libvirt.cpio"
    printf '%s\n' "${pv[@]}" >"$DEST/VERSIONS"
    rm -rf "$work"
    touch "$DEST/.done"
    say "built: $(du -sh "$DEST/dom0-libvirt.cpio" | cut -f1) (${#pv[@]} packages)"
fi
STEP="link $OUT"
mkdir -p "$(dirname "$OUT")"
ln -sfn "$DEST" "$OUT"
say "libvirt layer ready: $OUT"
