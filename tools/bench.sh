#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# make bench: Xenolith side by side with a Linux PVH guest (Debian kernel,
# nginx, redis-server, socat, fio; tools/xen/build-linux-guest.sh), in ONE Xen
# boot of the harness, with the same hotplug scripts, static address
# (10.99.0.2) and vcpus = 1; memory BENCH_MEMORY MB (default 128) for ours
# and BENCH_LINUX_MEMORY (default 256: Linux with nginx and redis needs
# more than 128) for Linux. The
# harness is emulated (Xen under QEMU TCG): only ratios from one run mean
# much. What is measured, and how, is in docs/benchmarks.md; in short:
#   first_http_from_unpause_ms / _from_create_ms   xnprobe in dom0, started
#                          before xl unpause: connects every 10 ms, first
#                          answer byte; first_tl_*: dom0's timeline of it
#   *_guest_cpu_us_per_req / _per_MB   CPU time Xen accounted to the guest
#                          (and dom0) over each run, per request or MB
#   toolstack floor          xl create -p + xl unpause of hello, same config
#   http_rps                 wrk -t1 -c16 -d10, 3 runs after a warm-up;
#                            http_c64_*: the same with 64 connections
#   tcp_bulk_MBps            64 MiB into a TCP sink on port 9, 3 runs
#   boot timeline            the guest's own (entry to main, to network)
#   image size               stripped httpd vs vmlinuz + initramfs
#   smallest memory          the least memory= (from a fixed list) that
#                            boots and answers one HTTP request
#   kv_set/get_rps           redis-benchmark against kvstore / redis-server
#                            with appendonly yes, appendfsync always (and
#                            kv_everysec_*: everysec on both); kv_p16_*:
#                            -c 50 -P 16 (server-bound)
#   redis_*_rps              redis-benchmark against Redis 7 on both sides
#                            (apps/redis / the Linux guest's redis-server)
#   blk_*                    blkbench vs fio inside the guest, same sizes
#   downtime_*_ms            the longest gap in HTTP answers across xl
#                            save + restore and across xl migrate
# BENCH_REPORT_ONLY=1 prints the table of the last run again from its logs.
# Prints a table and writes build/bench/results.csv (metric, xenolith,
# linux, ratio, target, how) and, when gnuplot is installed, results.png:
# one panel per kind of figure (times, ratios against their targets, CPU
# per request) and the boot timeline of one Xenolith guest.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
O=${O:-$ROOT/build}
B=$O/bench
MEM=${BENCH_MEMORY:-128}
LMEM=${BENCH_LINUX_MEMORY:-256}
# The Linux guest that runs fio: its initramfs unpacks to about 100 MB.
LBMEM=${BENCH_LINUX_BLK_MEMORY:-512}
X_MEMS=${BENCH_X_MEMS:-"2 3 4 6 8"}
HELLO_MEMS=${BENCH_HELLO_MEMS:-"1 2"}
KV_MEMS=${BENCH_KV_MEMS:-"2 3 4 6 8"}
FIRST_RUNS=${BENCH_FIRST_RUNS:-3}
L_MEMS=${BENCH_LINUX_MEMS:-"96 128 160 192 256"}
mkdir -p "$B"
if [ "${BENCH_REPORT_ONLY:-0}" != 1 ]; then
    for a in hello httpd echo kvstore blkbench redis; do
        make -C "$ROOT" --no-print-directory app APP=$a >/dev/null || { echo "bench: cannot build $a" >&2; exit 1; }
    done
    "$ROOT/tools/xen/build-linux-guest.sh" "$O/xen-linux" || { echo "bench: the Linux guest could not be built" >&2; exit 1; }
fi
rm -rf "$B/site" && mkdir -p "$B/site"
printf '<!doctype html><title>Xenolith</title><h1>It works</h1>\n' >"$B/site/index.html"
(cd "$B/site" && tar -cf "$B/site.tar" index.html)
C=$ROOT/tests/xen/clients
# A guest runs one client script: the parts, joined.
join() { cat "$@" | grep -v '^\. \./client-lib.sh' | sed '1i . ./client-lib.sh'; }
join "$C/bench-http.sh" "$C/bench-sink.sh" "$C/bench-redis.sh" >"$B/bench-linux.sh"
# apps/redis as its xl config starts it.
RCMD=$(sed -n "s/^cmdline = '\(.*\)'$/\1/p" "$O/redis/redis.xl")
# noxsave: under emulated Xen, Linux's user space sometimes dies of SIGILL
# on an AVX instruction in its static glibc (busybox init, exit code 4: in
# 2 of 18 Linux guests of one run); without XSAVE the kernel leaves
# CPUID's OSXSAVE clear and glibc uses its SSE2 routines.
LCMD="console=hvc0 quiet panic=-1 noxsave linux.ip=10.99.0.2/24"
{
    echo "floor $O/hello/hello.elf type=pvh memory=$MEM vif=1 timeout=60 -- loglevel=warn"
    for i in $(seq "$FIRST_RUNS"); do
        echo "x-first-$i $O/httpd/httpd.elf type=pvh memory=$MEM vif=1 timeout=200 module=$B/site.tar probe=10.99.0.2:8080 client=$C/bench-first.sh -- net0.ip=10.99.0.2/24 app.port=8080"
        echo "linux-first-$i dom0:/bench/vmlinux type=pvh memory=$LMEM vif=1 timeout=200 module=dom0:/bench/linux-initrd.cpio probe=10.99.0.2:8080 client=$C/bench-first.sh -- $LCMD"
    done
    echo "x-httpd $O/httpd/httpd.elf type=pvh memory=$MEM vif=1 timeout=200 module=$B/site.tar client=$C/bench-http.sh -- net0.ip=10.99.0.2/24 app.port=8080"
    echo "x-sink $O/echo/echo.elf type=pvh memory=$MEM vif=1 timeout=300 client=$C/bench-sink.sh -- net0.ip=10.99.0.2/24"
    # KV: kvstore against redis-server with the matching append-only file
    # setting, on a disk of the same size (linux.kv=: tools/xen/linux-guest-init.sh).
    for f in always everysec; do
        echo "x-kv-$f $O/kvstore/kvstore.elf type=pvh memory=$MEM vif=1 disk=blank:40 timeout=400 client=$C/bench-kv.sh -- net0.ip=10.99.0.2/24 app.fsync=$f"
        echo "linux-kv-$f dom0:/bench/vmlinux type=pvh memory=$LMEM vif=1 disk=blank:40 timeout=600 module=dom0:/bench/linux-initrd.cpio client=$C/bench-kv.sh -- $LCMD linux.kv=$f"
    done
    echo "x-redis $O/redis/redis.elf type=pvh memory=$MEM vif=1 timeout=600 client=$C/bench-redis.sh -- $RCMD"
    echo "x-blk $O/blkbench/blkbench.elf type=pvh memory=$MEM disk=blank:40 timeout=300 -- app.size=32 app.depth=1"
    # Downtime across save/restore and migration: the same memory on both sides.
    echo "x-downtime $O/httpd/httpd.elf type=pvh memory=$LMEM vif=1 xl=client timeout=600 module=$B/site.tar client=$C/bench-downtime.sh -- net0.ip=10.99.0.2/24 app.port=8080"
    echo "linux-downtime dom0:/bench/vmlinux type=pvh memory=$LMEM vif=1 xl=client timeout=900 module=dom0:/bench/linux-initrd.cpio client=$C/bench-downtime.sh -- $LCMD"
    echo "linux dom0:/bench/vmlinux type=pvh memory=$LMEM vif=1 timeout=1200 module=dom0:/bench/linux-initrd.cpio client=$B/bench-linux.sh -- $LCMD"
    echo "linux-blk dom0:/bench/vmlinux type=pvh memory=$LBMEM vif=1 disk=blank:40 timeout=500 module=dom0:/bench/linux-initrd-fio.cpio client=$C/bench-blk-wait.sh -- $LCMD"
    for m in $X_MEMS; do
        echo "mem-x-$m $O/httpd/httpd.elf type=pvh memory=$m vif=1 timeout=60 module=$B/site.tar client=$C/bench-alive.sh -- net0.ip=10.99.0.2/24 app.port=8080"
    done
    for m in $KV_MEMS; do
        echo "mem-kv-$m $O/kvstore/kvstore.elf type=pvh memory=$m vif=1 disk=blank:8 timeout=60 client=$C/bench-kv-alive.sh -- net0.ip=10.99.0.2/24"
    done
    for m in $HELLO_MEMS; do
        echo "mem-hello-$m $O/hello/hello.elf type=pvh memory=$m timeout=30"
    done
    for m in $L_MEMS; do
        echo "mem-linux-$m dom0:/bench/vmlinux type=pvh memory=$m vif=1 timeout=90 module=dom0:/bench/linux-initrd.cpio client=$C/bench-alive.sh -- $LCMD"
    done
} >"$B/batch"
if [ "${BENCH_REPORT_ONLY:-0}" = 1 ]; then
    # The table again from the last run's logs (after a change to this
    # report, say), without running anything.
    rc=0
    echo "bench: the report of the last run (BENCH_REPORT_ONLY=1), from $B/xen"
else
    echo "bench: one Xen boot: Xenolith ($MEM MB) and Linux ($LMEM MB) guests (about 25 minutes)"
    "$ROOT/tools/xen/run.sh" --logdir "$B/xen" --layer "$O/xen-linux/bench-layer.cpio" "$B/batch" >"$B/run.log" 2>&1
    rc=$?
fi
X=$B/xen
if [ $rc -ge 2 ] || [ ! -f "$X/results.txt" ]; then
    echo "bench: the harness run failed (status $rc); the end of $B/run.log:" >&2
    tail -n 30 "$B/run.log" | sed 's/^/    | /' >&2
    exit 1
fi

vals() {        # GUEST METRIC: the values the guest's client or the guest printed
    cat "$X/$1.client.log" "$X/$1.log" 2>/dev/null | tr -d "\r" | grep -h "^BENCH $2 " | awk '{print $3}'
}
med() { sort -g | awk '{v[NR]=$1} END { if (NR) print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2 }'; }
spread() { sort -g | awk '{v[NR]=$1} END { if (NR) printf "%s-%s (%d runs)", v[1], v[NR], NR }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a != "" && b != "" && b > 0) printf "%.2f", a / b; else print "-" }'; }
field() { sed -n "s/^$1 .* $2=\\([0-9]*\\).*/\\1/p" "$X/results.txt" 2>/dev/null | head -1; }
smallest() {    # PREFIX LIST [alive|status]: the least memory that worked
    local m
    for m in $2; do
        if [ "$3" = alive ]; then
            [ -n "$(vals "$1$m" alive)" ] && { echo "$m"; return; }
        else
            [ "$(cat "$X/$1$m.status" 2>/dev/null)" = 0 ] && { echo "$m"; return; }
        fi
    done
    echo "none of $2"
}

fc=$(field floor create_ms) fu=$(field floor unpause_ms)
floor=$(( ${fc:-0} + ${fu:-0} ))
firsts() {      # PREFIX METRIC: the values of every first-answer guest
    local i
    for i in $(seq "$FIRST_RUNS"); do vals "$1$i" "$2"; done
}
# The timelines of the first-answer guests: median of each phase.
tl=$(grep -E '^x-first-[0-9]+: .*net=' "$X/timeline.txt" 2>/dev/null)
phase() { sed -n "s/.* $1=\([0-9]*\).*/\1/p" <<<"$tl" | med; }
xsize=$(stat -c %s "$O/httpd/httpd.stripped")
hsize=$(stat -c %s "$O/hello/hello.stripped")
# Linux: the compressed kernel (what a user deploys) plus the initramfs.
lsize=$(( $(sed -n 's/^vmlinuz \([0-9]*\) bytes.*/\1/p' "$O/xen-linux/VERSIONS") + \
          $(sed -n 's/^vmlinux [0-9]* bytes, initramfs \([0-9]*\) bytes.*/\1/p' "$O/xen-linux/VERSIONS") ))
# Which tool measured the Linux guest's disk (fio, or dd without it).
ltool=$(sed -n 's/.*linux-guest: block benchmark by \([a-z]*\).*/\1/p' "$X/linux-blk.log" 2>/dev/null | head -1)

# emit METRIC XENOLITH LINUX MODE TARGET HOW: one row of results.csv.
# MODE x: the ratio is Xenolith/Linux (more is better); l: Linux/Xenolith
# (less is better: times, CPU, bytes); -: no ratio.
emit() {
    local r=-
    case $4 in x) r=$(ratio "$2" "$3") ;; l) r=$(ratio "$3" "$2") ;; esac
    printf '%s,%s,%s,%s,%s,%s\n' "$1" "$2" "$3" "$r" "$5" "$(tr , ';' <<<"$6")"
}
# pair METRIC XGUEST LGUEST MODE TARGET HOW: the medians of a BENCH value
# printed for a Xenolith guest and a Linux guest.
# PFX=P (kv metrics): the row is named with P in place of the leading "kv".
pair() {
    local out=$1
    [ -n "${PFX:-}" ] && out=$PFX${1#kv}
    emit "$out" "$(vals "$2" "$1" | med)" "$(vals "$3" "$1" | med)" "$4" "$5" "$6 (xenolith $(vals "$2" "$1" | spread); linux $(vals "$3" "$1" | spread))"
}
# cpu NAME XGUEST LGUEST UNIT TARGET: guest and dom0 CPU per UNIT.
cpu() {
    pair "$1_guest_cpu_us_per_$4" "$2" "$3" l "$5" "CPU time Xen accounted to the guest over each $1 run / $4 (linux/xenolith)"
    pair "$1_dom0_cpu_us_per_$4" "$2" "$3" - "" "dom0's CPU time over the same runs / $4 (client, netback, blkback)"
}
fpair() {       # METRIC MODE TARGET HOW: over the first-answer guests
    emit "$1" "$(firsts x-first- "$1" | med)" "$(firsts linux-first- "$1" | med)" "$2" "$3" \
        "$4 (xenolith $(firsts x-first- "$1" | spread); linux $(firsts linux-first- "$1" | spread))"
}
REDIS_ROWS="set get lpush lpop incr"
{
    echo "metric,xenolith,linux,ratio,target,how"
    fpair first_http_from_unpause_ms l 30 "xnprobe in dom0 (connects every 10 ms) from xl unpause returning to the first answer byte; median of $FIRST_RUNS guests (linux/xenolith)"
    fpair first_http_from_create_ms l - "the same from xl create -p beginning"
    emit toolstack_floor_ms "$floor" "$floor" - - "xl create -p + xl unpause of hello (same config)"
    over() { local v; v=$(firsts "$1" first_http_from_create_ms | med | cut -d. -f1); [ -n "$v" ] && [ "$floor" -gt 0 ] && echo $((v - floor)); }
    emit over_floor_ms "$(over x-first-)" "$(over linux-first-)" - "<= 300" "first_http_from_create - floor"
    for k in unpaused backend frame synack byte; do
        fpair "first_tl_${k}_ms" - - "dom0's timeline of the first answer: ms from xl unpause beginning to $k"
    done
    emit boot_main_us "$(phase main)" "" - "< 5000" "guest timeline entry to main(); median of the first-answer guests"
    emit boot_net_us "$(phase net)" "" - - "guest timeline entry to network ready; same"
    pair http_rps x-httpd linux x 2.8 "wrk -t1 -c16 -d10; median of 3 (xenolith/linux)"
    cpu http x-httpd linux req 2.8
    pair http_c64_rps x-httpd linux x 2.8 "wrk -t1 -c64 -d10; median of 3 (xenolith/linux)"
    cpu http_c64 x-httpd linux req 2.8
    pair tcp_bulk_MBps x-sink linux x 1 "64 MiB into port 9; median of 3 (xenolith/linux)"
    cpu tcp_bulk x-sink linux MB 1
    emit image_bytes "$xsize" "$lsize" l - "httpd stripped vs vmlinuz+initramfs (linux/xenolith)"
    emit hello_image_bytes "$hsize" "" - "< 150000" "hello stripped"
    emit min_memory_http_MB "$(smallest mem-x- "$X_MEMS" alive)" "$(smallest mem-linux- "$L_MEMS" alive)" - "2" "least memory= answering HTTP (from: $X_MEMS / $L_MEMS)"
    emit min_memory_hello_MB "$(smallest mem-hello- "$HELLO_MEMS" status)" "" - 1 "least memory= running hello (from: $HELLO_MEMS)"
    emit min_memory_kv_MB "$(smallest mem-kv- "$KV_MEMS" alive)" "" - 4 "least memory= where kvstore (8 MiB disk) answers SET and GET (from: $KV_MEMS)"
    for f in always everysec; do
        sfx=; [ $f = everysec ] && sfx=_everysec
        PFX=kv$sfx pair kv_set_rps x-kv-$f linux-kv-$f x 1.7 "redis-benchmark -t set -n 5000 -c 16 -d 16; median of 3: kvstore app.fsync=$f vs redis-server appendonly yes appendfsync $f; each on a 40 MiB disk"
        PFX=kv$sfx pair kv_get_rps x-kv-$f linux-kv-$f x 1.7 "redis-benchmark -t get (same)"
        PFX=kv$sfx cpu kv x-kv-$f linux-kv-$f req 1.7
        PFX=kv$sfx pair kv_p16_set_rps x-kv-$f linux-kv-$f x 1.7 "redis-benchmark -t set -n 20000 -c 50 -P 16 -d 16; median of 3 (same servers)"
        PFX=kv$sfx pair kv_p16_get_rps x-kv-$f linux-kv-$f x 1.7 "redis-benchmark -t get (same)"
        PFX=kv$sfx cpu kv_p16 x-kv-$f linux-kv-$f req 1.7
    done
    for t in $REDIS_ROWS; do
        for sfx in "" _p16; do
            pair "redis_${t}${sfx}_rps" x-redis linux x 1.7 "Redis 7.0 both sides: redis-benchmark -t $t -n 3000 -c 16${sfx:+ -P 16}; median of 3 (xenolith/linux)"
        done
    done
    cpu redis x-redis linux req 1.7
    cpu redis_p16 x-redis linux req 1.7
    pair downtime_save_restore_ms x-downtime linux-downtime l - "the longest time without an answer (xnprobe gaps: HTTP requests 10 ms apart) across xl save + xl restore; both guests $LMEM MB (linux/xenolith)"
    pair save_restore_total_ms x-downtime linux-downtime l - "xl save + xl restore until the port answers again"
    pair downtime_migrate_ms x-downtime linux-downtime l - "the same across xl migrate to this host (xl migrate-receive run locally)"
    pair migrate_total_ms x-downtime linux-downtime l - "xl migrate until the port answers again"
    pair blk_seq_write_MBps x-blk linux-blk x 1 "32 MiB in 128 KiB requests one at a time then flush (blkbench vs ${ltool:-?} direct psync end_fsync; one run)"
    pair blk_seq_read_MBps x-blk linux-blk x 1 "32 MiB in 128 KiB requests one at a time (blkbench vs ${ltool:-?} direct; one run)"
    pair blk_rand_write_iops x-blk linux-blk x 1 "500 random 4 KiB writes one at a time over 32 MiB (blkbench vs ${ltool:-?}; one run)"
    pair blk_rand_read_iops x-blk linux-blk x 1 "500 random 4 KiB reads one at a time (same)"
} >"$B/results.csv"

printf '%-34s %14s %14s %8s   %s\n' metric Xenolith Linux ratio target
awk -F, 'NR > 1 { t = $5; if (t ~ /^[0-9.]+$/) t = ">= " t
                  printf "%-34s %14s %14s %8s   %s\n", $1, ($2 == "" ? "-" : $2), ($3 == "" ? "-" : $3), $4, (t == "" ? "-" : t) }' "$B/results.csv"
echo "memory: Xenolith $MEM MB, Linux $LMEM MB (with fio: $LBMEM MB); vcpus 1 for both; Xen under QEMU TCG: compare ratios from one run"
echo "ratio: Xenolith/Linux for rates, Linux/Xenolith for times, CPU and bytes (more is better for Xenolith either way)"
echo "how each figure was measured:"
tail -n +2 "$B/results.csv" | awk -F, '{ printf "  %-32s %s\n", $1, $6 }'

if command -v gnuplot >/dev/null; then
    "$ROOT/tools/bench-plot.sh" "$B/results.csv" "$tl" "$B/results.png" && echo "bench: $B/results.png"
else
    echo "bench: no plot (install gnuplot-nox for build/bench/results.png)"
fi
echo "bench: $B/results.csv; logs in $B/xen"
grep -q . <<<"$(vals x-httpd http_rps)$(vals linux http_rps)" || exit 1
