#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Print an xl guest config for a Xenolith image.
#
# usage: mkxl.sh --name NAME --kernel PATH [--type pvh|pv] [--memory MB]
#                [--cmdline STRING] [--vif] [--vifs N] [--mac MAC] [--mtu N] [--disk PATH]
#                [--module PATH] [--harness]
# --vif adds one network interface on the bridge xenbr0 (--vifs N adds N,
# their MACs counting up from --mac; --mtu sets their MTU); --disk a raw
# disk image as xvda; --module the boot module (xl's "ramdisk"). --harness adds what the emulated test harness needs
# (tsc_mode "native", the fast hotplug scripts, keeping a crashed domain
# for inspection); without it the config is meant for a real Xen host.
set -euo pipefail

name= kernel= type=pvh memory=16 cmdline= vif=0 mac= mtu= disk= module= harness=0
while [ $# -gt 0 ]; do
    case $1 in
    --name) name=$2; shift 2 ;;
    --kernel) kernel=$2; shift 2 ;;
    --type) type=$2; shift 2 ;;
    --memory) memory=$2; shift 2 ;;
    --cmdline) cmdline=$2; shift 2 ;;
    --vif) vif=1; shift ;;
    --vifs) vif=$2; shift 2 ;;
    --mac) mac=$2; shift 2 ;;
    --mtu) mtu=$2; shift 2 ;;
    --disk) disk=$2; shift 2 ;;
    --module) module=$2; shift 2 ;;
    --harness) harness=1; shift ;;
    *) echo "mkxl: error: unknown argument '$1'" >&2; exit 2 ;;
    esac
done
[ -n "$name" ] && [ -n "$kernel" ] || { echo "mkxl: error: --name and --kernel are required" >&2; exit 2; }
case $type in pvh|pv) ;; *) echo "mkxl: error: --type must be pvh or pv" >&2; exit 2 ;; esac
[[ $memory =~ ^[0-9]+$ ]] || { echo "mkxl: error: --memory must be a number of MB" >&2; exit 2; }

# xl strings: single quotes unless the value holds one.
quote() {
    case $1 in
    *\'*) printf '"%s"' "$(printf '%s' "$1" | sed 's/["\\]/\\&/g')" ;;
    *) printf "'%s'" "$1" ;;
    esac
}

echo "# Xenolith guest '$name'. Start it with: xl create <this file>"
echo "name = $(quote "$name")"
echo "type = \"$type\""
echo "kernel = $(quote "$kernel")"
echo "memory = $memory"
echo "vcpus = 1"
echo "cmdline = $(quote "$cmdline")"
# The boot module (a DTB or a tar file system): xl calls it the ramdisk.
[ -n "$module" ] && echo "ramdisk = $(quote "$module")"
echo 'on_poweroff = "destroy"'
echo 'on_reboot = "destroy"'
if [ $harness = 1 ]; then
    # Keep a crashed guest so the runner can see that it crashed.
    echo 'on_crash = "preserve"'
    # QEMU's emulated SVM mis-handles RDTSCP unless the TSC is native.
    echo 'tsc_mode = "native"'
else
    echo 'on_crash = "destroy"'
fi
[[ $vif =~ ^[0-9]$ ]] || { echo "mkxl: error: --vifs must be 0 to 9" >&2; exit 2; }
if [ "$vif" -gt 0 ]; then
    list=
    for i in $(seq 0 $((vif - 1))); do
        spec="bridge=xenbr0"
        if [ -n "$mac" ]; then
            last=$(( (16#${mac##*:} + i) % 256 ))
            spec="mac=${mac%:*}:$(printf '%02x' $last),$spec"
        fi
        [ -n "$mtu" ] && spec="$spec,mtu=$mtu"
        [ $harness = 1 ] && spec="$spec,script=vif-fast"
        list="$list${list:+, }'$spec'"
    done
    echo "vif = [ $list ]"
fi
if [ -n "$disk" ]; then
    spec="format=raw,vdev=xvda,access=rw"
    [ $harness = 1 ] && spec="$spec,script=block-fast"
    echo "disk = [ '$spec,target=$disk' ]"
fi
