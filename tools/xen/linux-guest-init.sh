#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# /init of the Linux guest that make bench compares Xenolith with (built
# by tools/xen/build-linux-guest.sh). Takes linux.ip=ADDR/PREFIX (and
# linux.gw=ADDR) from the kernel command line, brings up eth0 over
# xen-netfront, and starts what the benchmarks talk to: nginx on port 8080
# serving /www (the same file as our httpd), redis-server on 6379 (no
# persistence; with linux.kv=always or linux.kv=everysec and a disk, an
# ext2 file system made on the disk and redis-server's append-only file
# there, with that appendfsync), and a TCP sink on port 9 (socat to
# /dev/null). It prints
# "linux-guest: ready" with its uptime. `xl shutdown` reaches the kernel,
# whose poweroff helper (busybox poweroff) signals this init, which then
# powers off.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /tmp
ip= gw= kv=
for w in $(cat /proc/cmdline); do
    case $w in
    linux.ip=*) ip=${w#linux.ip=} ;;
    linux.gw=*) gw=${w#linux.gw=} ;;
    linux.kv=always|linux.kv=everysec) kv=${w#linux.kv=} ;;
    esac
done
modprobe xen-netfront
modprobe xen-blkfront 2>/dev/null
for i in $(seq 100); do [ -e /sys/class/net/eth0 ] && break; sleep 0.05; done
ip link set lo up
ip link set eth0 up
[ -n "$ip" ] && ip addr add "$ip" dev eth0
[ -n "$gw" ] && ip route add default via "$gw"
printf '<!doctype html><title>Xenolith</title><h1>It works</h1>\n' >/www/index.html
cat >/etc/nginx.conf <<'EON'
user root;
worker_processes 1;
error_log /dev/null;
pid /run/nginx.pid;
events { worker_connections 1024; }
http {
    access_log off;
    sendfile on;
    keepalive_requests 1000000;
    server { listen 8080; root /www; }
}
EON
nginx -c /etc/nginx.conf
if [ -n "$kv" ] && [ -b /dev/xvda ]; then
    # Durable as kvstore is: every write in the append-only file, flushed
    # as appendfsync says, on the guest's disk.
    modprobe ext4
    mke2fs -q /dev/xvda && mkdir -p /kv && mount -t ext2 /dev/xvda /kv ||
        echo "linux-guest: cannot make or mount a file system on /dev/xvda"
    redis-server --port 6379 --bind 0.0.0.0 --protected-mode no --save '' --dir /kv \
        --appendonly yes --appendfsync "$kv" --daemonize yes --logfile /dev/null
    echo "linux-guest: redis-server with appendonly yes, appendfsync $kv on /dev/xvda"
else
    redis-server --port 6379 --bind 0.0.0.0 --protected-mode no --save '' --appendonly no \
        --daemonize yes --logfile /dev/null
fi
socat -u TCP-LISTEN:9,fork,reuseaddr OPEN:/dev/null &
echo "linux-guest: ready after $(cut -d' ' -f1 /proc/uptime) s"
# With a disk: the block benchmark, as blkbench measures ours, printed as
# "BENCH" lines: sequential 128 KiB requests one at a time over 32 MiB
# with O_DIRECT (the write ends with an fsync), then 500 random 4 KiB
# writes and reads one at a time. With fio (the initramfs that has it):
# fio's psync engine, figures from its terse output (v3: field 7/8 read
# KiB/s and IOPS, 48/49 write); without it, dd for the sequential pair.
if [ -z "$kv" ] && [ -b /dev/xvda ]; then
    if command -v fio >/dev/null; then
        fio_run() {     # NAME RW BS EXTRA... -> the terse line
            n=$1 rw=$2 bs=$3; shift 3
            fio --name="$n" --filename=/dev/xvda --ioengine=psync --direct=1 --iodepth=1 \
                --rw="$rw" --bs="$bs" --size=32m --randrepeat=1 --output-format=terse \
                --terse-version=3 "$@" 2>/dev/null | tail -n 1
        }
        l=$(fio_run seqw write 128k --end_fsync=1)
        echo "BENCH blk_seq_write_MBps $(echo "$l" | awk -F';' '{ printf "%.2f", $48 / 1024 }')"
        l=$(fio_run seqr read 128k)
        echo "BENCH blk_seq_read_MBps $(echo "$l" | awk -F';' '{ printf "%.2f", $7 / 1024 }')"
        l=$(fio_run randw randwrite 4k --number_ios=500)
        echo "BENCH blk_rand_write_iops $(echo "$l" | awk -F';' '{ printf "%.0f", $49 }')"
        l=$(fio_run randr randread 4k --number_ios=500)
        echo "BENCH blk_rand_read_iops $(echo "$l" | awk -F';' '{ printf "%.0f", $8 }')"
        echo "linux-guest: block benchmark by fio $(fio --version)"
    else
        up() { cut -d' ' -f1 /proc/uptime; }
        mbps() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", 32 / (b - a) }'; }
        t0=$(up); dd if=/dev/zero of=/dev/xvda bs=131072 count=256 oflag=direct conv=fsync 2>/dev/null; t1=$(up)
        echo "BENCH blk_seq_write_MBps $(mbps $t0 $t1)"
        t0=$(up); dd if=/dev/xvda of=/dev/null bs=131072 count=256 iflag=direct 2>/dev/null; t1=$(up)
        echo "BENCH blk_seq_read_MBps $(mbps $t0 $t1)"
        echo "linux-guest: block benchmark by dd (no fio in this initramfs)"
    fi
fi
trap 'echo "linux-guest: powering off"; poweroff -f' USR1 USR2 TERM INT
while :; do sleep 1; done
