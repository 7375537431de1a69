#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# `make run` on Xen: boot IMAGE.elf as a guest with its console on this
# terminal and exit with the guest's exit status. In a Xen dom0 this is
# `xl create -c` of the image's config; anywhere else the guest runs in
# the project's Xen-in-QEMU harness (tools/xen/run.sh --interactive).
#
# usage: tools/xen/run-app.sh IMAGE.elf [COMMAND-LINE]
# The guest type, memory, network and disk settings come from IMAGE.xl (written by
# the build); COMMAND-LINE, when given, replaces the one in it. MODULE=FILE
# in the environment gives the guest a boot module (a tar file system or a
# configuration DTB). VIA=libvirt in the environment starts it through
# libvirt (virsh, libvirtd's libxl driver) instead of xl.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
ELF=${1:?usage: run-app.sh IMAGE.elf [COMMAND-LINE]}
XL=${ELF%.elf}.xl
[ -f "$ELF" ] && [ -f "$XL" ] || { echo "run-app: error: $ELF or $XL not found (build the app first)" >&2; exit 125; }
name=$(basename "$ELF" .elf)
VIA=${VIA:-xl}
case $VIA in xl|libvirt) ;; *) echo "run-app: error: VIA must be xl or libvirt, not '$VIA'" >&2; exit 125 ;; esac
cmdline=${2-}
[ -n "$cmdline" ] || cmdline=$(sed -n "s/^cmdline = ['\"]\\(.*\\)['\"]$/\\1/p" "$XL")
memory=$(sed -n 's/^memory = //p' "$XL")
type=$(sed -n 's/^type = "\(pvh\|pv\)"$/\1/p' "$XL")
type=${type:-pvh}
vif=0; grep -q '^vif = ' "$XL" && vif=1
disk=$(sed -n "s/^disk = .*target=\\([^']*\\)'.*/\\1/p" "$XL")
# The boot module: MODULE, else the one the build put in the config.
module=${MODULE:-$(sed -n "s/^ramdisk = '\(.*\)'$/\1/p" "$XL")}
[ -z "$module" ] || [ -f "$module" ] || { echo "run-app: error: module '$module' not found" >&2; exit 125; }
[ -z "$module" ] || module=$(readlink -f "$module")

if grep -qs control_d /proc/xen/capabilities && command -v xl >/dev/null; then
    cfg=$(mktemp --suffix=.xl)
    trap 'rm -f "$cfg"' EXIT
    args=(--name "$name" --kernel "$ELF" --type "$type" --memory "$memory" --cmdline "$cmdline")
    [ $vif = 1 ] && args+=(--vif)
    [ -n "$disk" ] && args+=(--disk "$disk")
    [ -n "$module" ] && args+=(--module "$module")
    out=$(mktemp)
    if [ "$VIA" = libvirt ]; then
        command -v virsh >/dev/null || { echo "run-app: error: VIA=libvirt needs virsh (Debian: libvirt-clients, libvirt-daemon-driver-xen)" >&2; exit 125; }
        "$ROOT/tools/xen/mklibvirt.sh" "${args[@]}" >"$cfg"
        virsh -c xen:///system create --console "$cfg" | tee "$out"
    else
        "$ROOT/tools/xen/mkxl.sh" "${args[@]}" >"$cfg"
        xl create -c "$cfg" | tee "$out"
    fi
    last=$(tr -d '\r' <"$out" | grep -E '^exit status [0-9]+$' | tail -1)
    rm -f "$out"
    [ -n "$last" ] && exit "${last#exit status }"
    exit 125
fi

batch=$(mktemp)
trap 'rm -f "$batch"' EXIT
opts="type=$type memory=$memory timeout=86400"
[ $vif = 1 ] && opts="$opts vif=1"
[ -n "$disk" ] && opts="$opts disk=$disk"
[ -n "$module" ] && opts="$opts module=$module"
[ "$VIA" = libvirt ] && opts="$opts via=libvirt"
echo "$name $ELF $opts -- $cmdline" >"$batch"
# Its logs (Xen's and dom0's serial output) beside the image, so that a
# make run leaves make check's build/xen-logs alone.
"$ROOT/tools/xen/run.sh" --interactive --logdir "$(dirname "$ELF")/xen-logs" "$batch"
