#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# /init of the harness's dom0 (Linux under Xen under QEMU). Brings up the
# Xen toolstack (xenstored, xenconsoled with per-guest logs), the bridge
# xenbr0 (10.99.0.1/24) for guest networks, and, when QEMU gives dom0 a
# NIC, DHCP on it. Then runs /test/run.sh (appended to the initramfs by
# the host's runner), or a shell, and reports run.sh's exit status to
# QEMU through the isa-debug-exit port 0x501 (QEMU exits with
# (status << 1) | 1).
export PATH=/usr/sbin:/usr/bin:/sbin:/bin:/usr/lib/xen-4.17/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mkdir -p /dev/pts && mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /tmp
mkdir -p /run/lock /run/xen /var/log/xen/console /var/lib/xen
[ -f /etc/passwd ] || echo 'root:x:0:0:root:/root:/bin/sh' >/etc/passwd
[ -f /etc/group ] || echo 'root:x:0:' >/etc/group
ln -sf /proc/self/fd /dev/fd
ln -sf /proc/self/fd/0 /dev/stdin
ln -sf /proc/self/fd/1 /dev/stdout
ln -sf /proc/self/fd/2 /dev/stderr
echo "dom0: init at ${EPOCHREALTIME}"

for m in xen-evtchn xen-gntdev xen-gntalloc xen-privcmd xenfs xen-blkback \
         xen-netback bridge loop e1000; do
    modprobe "$m" 2>/dev/null || echo "dom0: warning: modprobe $m failed"
done
mount -t xenfs xenfs /proc/xen
syslogd -O /var/log/messages
xenstored --pid-file=/run/xenstored.pid
xen-init-dom0 >/dev/null
xenconsoled --log=guest --log-dir=/var/log/xen/console --pid-file=/run/xenconsoled.pid

brctl addbr xenbr0
echo 0 >/sys/class/net/xenbr0/bridge/stp_state      # no STP,
echo 0 >/sys/class/net/xenbr0/bridge/forward_delay  # forward at once
ip addr add 10.99.0.1/24 dev xenbr0
echo 0 >/proc/sys/net/ipv6/conf/xenbr0/accept_dad    # usable at once
ip -6 addr add fd00:99::1/64 dev xenbr0
ip link set xenbr0 up
ip link set lo up
if ip link show eth0 >/dev/null 2>&1; then
    ip link set eth0 up
    udhcpc -q -n -i eth0 -s /etc/xen/scripts/udhcpc-script >/dev/null 2>&1 ||
        echo "dom0: warning: no DHCP answer on eth0"
fi
echo "dom0: toolstack ready at ${EPOCHREALTIME}"

rc=0
if [ -x /test/run.sh ]; then
    cd /test && ./run.sh
    rc=$?
else
    echo "dom0: no /test/run.sh; starting a shell"
    setsid cttyhack sh
fi
echo "dom0: run.sh exited with status $rc"
printf "\\x$(printf %02x $((rc & 255)))" | dd of=/dev/port bs=1 seek=$((0x501)) count=1 2>/dev/null
poweroff -f
