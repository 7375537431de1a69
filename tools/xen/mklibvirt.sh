#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Print a libvirt domain (libxl driver) for a Xenolith image: the same
# guest as tools/xen/mkxl.sh's xl config, for `virsh create` / `virsh
# define`. A PVH guest is <os><type>xenpvh</type>; a PV one
# <type>xen</type> (machine xenpv).
#
# usage: mklibvirt.sh --name NAME --kernel PATH [--type pvh|pv] [--memory MB]
#                     [--cmdline STRING] [--vif] [--mac MAC] [--disk PATH]
#                     [--module PATH] [--harness]
# --vif adds an interface on the bridge xenbr0 (--mac gives its MAC);
# --disk a raw disk image as xvda, served by blkback (driver 'phy': the
# file on a loop device, as xl does); --module the boot module (libvirt's
# <initrd>). --harness adds what the emulated test harness needs, as
# mkxl.sh's does: a native TSC, the fast vif hotplug script, a crashed
# domain kept for inspection.
set -euo pipefail

name= kernel= type=pvh memory=16 cmdline= vif=0 mac= disk= module= harness=0
while [ $# -gt 0 ]; do
    case $1 in
    --name) name=$2; shift 2 ;;
    --kernel) kernel=$2; shift 2 ;;
    --type) type=$2; shift 2 ;;
    --memory) memory=$2; shift 2 ;;
    --cmdline) cmdline=$2; shift 2 ;;
    --vif) vif=1; shift ;;
    --mac) mac=$2; shift 2 ;;
    --harness) harness=1; shift ;;
    --disk) disk=$2; shift 2 ;;
    --module) module=$2; shift 2 ;;
    *) echo "mklibvirt: error: unknown argument '$1'" >&2; exit 2 ;;
    esac
done
[ -n "$name" ] && [ -n "$kernel" ] || { echo "mklibvirt: error: --name and --kernel are required" >&2; exit 2; }
case $type in
pvh) ostype="<type arch='x86_64' machine='xenpvh'>xenpvh</type>" ;;
pv) ostype="<type arch='x86_64' machine='xenpv'>xen</type>" ;;
*) echo "mklibvirt: error: --type must be pvh or pv" >&2; exit 2 ;;
esac
[[ $memory =~ ^[0-9]+$ ]] || { echo "mklibvirt: error: --memory must be a number of MB" >&2; exit 2; }
[ -z "$mac" ] || [[ $mac =~ ^([0-9a-f]{2}:){5}[0-9a-f]{2}$ ]] || { echo "mklibvirt: error: --mac must be six hex bytes (00:16:3e:..)" >&2; exit 2; }

# XML text and attribute values: & < > ' " escaped.
esc() { printf '%s' "$1" | sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g' \
                               -e "s/'/\&apos;/g" -e 's/"/\&quot;/g'; }

echo "<!-- Xenolith guest '$(esc "$name")'. Start it with: virsh -c xen:/// create <this file> -->"
echo "<domain type='xen'>"
echo "  <name>$(esc "$name")</name>"
echo "  <memory unit='MiB'>$memory</memory>"
echo "  <vcpu>1</vcpu>"
echo "  <os>"
echo "    $ostype"
echo "    <kernel>$(esc "$kernel")</kernel>"
[ -n "$module" ] && echo "    <initrd>$(esc "$module")</initrd>"
echo "    <cmdline>$(esc "$cmdline")</cmdline>"
echo "  </os>"
if [ $harness = 1 ]; then
    # QEMU's emulated SVM mis-handles RDTSCP unless the TSC is native.
    echo "  <clock offset='utc'>"
    echo "    <timer name='tsc' mode='native'/>"
    echo "  </clock>"
fi
echo "  <on_poweroff>destroy</on_poweroff>"
echo "  <on_reboot>destroy</on_reboot>"
if [ $harness = 1 ]; then
    echo "  <on_crash>preserve</on_crash>"
else
    echo "  <on_crash>destroy</on_crash>"
fi
echo "  <devices>"
if [ "$vif" = 1 ]; then
    echo "    <interface type='bridge'>"
    echo "      <source bridge='xenbr0'/>"
    [ -n "$mac" ] && echo "      <mac address='$mac'/>"
    [ $harness = 1 ] && echo "      <script path='vif-fast'/>"
    echo "    </interface>"
fi
if [ -n "$disk" ]; then
    echo "    <disk type='file' device='disk'>"
    echo "      <driver name='phy' type='raw'/>"
    echo "      <source file='$(esc "$disk")'/>"
    echo "      <target dev='xvda' bus='xen'/>"
    echo "    </disk>"
fi
echo "    <console type='pty'>"
echo "      <target type='xen' port='0'/>"
echo "    </console>"
echo "  </devices>"
echo "</domain>"
