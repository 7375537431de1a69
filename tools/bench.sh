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
#   first_http_from_unpause_ms / _from_create_ms   curl retried from dom0
#                                                  right after xl unpause
#   toolstack floor          xl create -p + xl unpause of hello, same config
#   http_rps                 wrk -t1 -c16 -d10, 3 runs after a warm-up
#   tcp_bulk_MBps            64 MiB into a TCP sink on port 9, 3 runs
#   boot timeline            the guest's own (entry to main, to network)
#   image size               stripped httpd vs vmlinuz + initramfs
#   smallest memory          the least memory= (from a fixed list) that
#                            boots and answers one HTTP request
#   kv_set/get_rps           redis-benchmark against kvstore / redis-server
#   redis_*_rps              redis-benchmark against Redis 7 on both sides
#                            (apps/redis / the Linux guest's redis-server)
#   blk_*                    blkbench vs fio inside the guest, same sizes
# Prints a table and writes build/bench/results.csv (and results.png when
# gnuplot is installed).
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
for a in hello httpd echo kvstore blkbench redis; do
    make -C "$ROOT" --no-print-directory app APP=$a >/dev/null || { echo "bench: cannot build $a" >&2; exit 1; }
done
"$ROOT/tools/xen/build-linux-guest.sh" "$O/xen-linux" || { echo "bench: the Linux guest could not be built" >&2; exit 1; }
rm -rf "$B/site" && mkdir -p "$B/site"
printf '<!doctype html><title>Xenolith</title><h1>It works</h1>\n' >"$B/site/index.html"
(cd "$B/site" && tar -cf "$B/site.tar" index.html)
C=$ROOT/tests/xen/clients
# A guest runs one client script: the parts, joined.
join() { cat "$@" | grep -v '^\. \./client-lib.sh' | sed '1i . ./client-lib.sh'; }
join "$C/bench-http.sh" "$C/bench-sink.sh" "$C/bench-kv.sh" "$C/bench-redis.sh" >"$B/bench-linux.sh"
# apps/redis as its xl config starts it.
RCMD=$(sed -n "s/^cmdline = '\(.*\)'$/\1/p" "$O/redis/redis.xl")
LCMD="console=hvc0 quiet panic=-1 linux.ip=10.99.0.2/24"
{
    echo "floor $O/hello/hello.elf type=pvh memory=$MEM vif=1 timeout=60 -- loglevel=warn"
    for i in $(seq "$FIRST_RUNS"); do
        echo "x-first-$i $O/httpd/httpd.elf type=pvh memory=$MEM vif=1 timeout=200 module=$B/site.tar client=$C/bench-first.sh -- net0.ip=10.99.0.2/24 app.port=8080"
        echo "linux-first-$i dom0:/bench/vmlinux type=pvh memory=$LMEM vif=1 timeout=200 module=dom0:/bench/linux-initrd.cpio client=$C/bench-first.sh -- $LCMD"
    done
    echo "x-httpd $O/httpd/httpd.elf type=pvh memory=$MEM vif=1 timeout=200 module=$B/site.tar client=$C/bench-http.sh -- net0.ip=10.99.0.2/24 app.port=8080"
    echo "x-sink $O/echo/echo.elf type=pvh memory=$MEM vif=1 timeout=300 client=$C/bench-sink.sh -- net0.ip=10.99.0.2/24"
    echo "x-kv $O/kvstore/kvstore.elf type=pvh memory=$MEM vif=1 disk=blank:40 timeout=300 client=$C/bench-kv.sh -- net0.ip=10.99.0.2/24"
    echo "x-redis $O/redis/redis.elf type=pvh memory=$MEM vif=1 timeout=600 client=$C/bench-redis.sh -- $RCMD"
    echo "x-blk $O/blkbench/blkbench.elf type=pvh memory=$MEM disk=blank:40 timeout=300 -- app.size=32 app.depth=1"
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
echo "bench: one Xen boot: Xenolith ($MEM MB) and Linux ($LMEM MB) guests (about 10 minutes)"
"$ROOT/tools/xen/run.sh" --logdir "$B/xen" --layer "$O/xen-linux/bench-layer.cpio" "$B/batch" >"$B/run.log" 2>&1
rc=$?
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
xu=$(firsts x-first- first_http_from_unpause_ms | med) lu=$(firsts linux-first- first_http_from_unpause_ms | med)
xc=$(firsts x-first- first_http_from_create_ms | med) lc=$(firsts linux-first- first_http_from_create_ms | med)
xr=$(vals x-httpd http_rps | med) lr=$(vals linux http_rps | med)
xb=$(vals x-sink tcp_bulk_MBps | med) lb=$(vals linux tcp_bulk_MBps | med)
# The timelines of the first-answer guests: median of each.
tl=$(grep -E '^x-first-[0-9]+: .*net=' "$X/timeline.txt" 2>/dev/null)
tmain=$(sed -n 's/.* main=\([0-9]*\).*/\1/p' <<<"$tl" | med) tnet=$(sed -n 's/.* net=\([0-9]*\).*/\1/p' <<<"$tl" | med)
xsize=$(stat -c %s "$O/httpd/httpd.stripped")
hsize=$(stat -c %s "$O/hello/hello.stripped")
# Linux: the compressed kernel (what a user deploys) plus the initramfs.
lsize=$(( $(sed -n 's/^vmlinuz \([0-9]*\) bytes.*/\1/p' "$O/xen-linux/VERSIONS") + \
          $(sed -n 's/^vmlinux [0-9]* bytes, initramfs \([0-9]*\) bytes.*/\1/p' "$O/xen-linux/VERSIONS") ))
xmem=$(smallest mem-x- "$X_MEMS" alive) hmem=$(smallest mem-hello- "$HELLO_MEMS" status)
lmem=$(smallest mem-linux- "$L_MEMS" alive) kmem=$(smallest mem-kv- "$KV_MEMS" alive)
xks=$(vals x-kv kv_set_rps | med) lks=$(vals linux kv_set_rps | med)
xkg=$(vals x-kv kv_get_rps | med) lkg=$(vals linux kv_get_rps | med)
xbw=$(vals x-blk blk_seq_write_MBps | med) lbw=$(vals linux-blk blk_seq_write_MBps | med)
xbr=$(vals x-blk blk_seq_read_MBps | med) lbr=$(vals linux-blk blk_seq_read_MBps | med)
xri=$(vals x-blk blk_rand_read_iops | med) lri=$(vals linux-blk blk_rand_read_iops | med)
xwi=$(vals x-blk blk_rand_write_iops | med) lwi=$(vals linux-blk blk_rand_write_iops | med)
# Redis on both sides: (name, test, pipeline suffix) rows.
REDIS_ROWS="set get lpush lpop incr"
# Which tool measured the Linux guest's disk (fio, or dd without it).
ltool=$(sed -n 's/.*linux-guest: block benchmark by \([a-z]*\).*/\1/p' "$X/linux-blk.log" 2>/dev/null | head -1)

{
    echo "metric,xenolith,linux,ratio,how"
    echo "first_http_from_unpause_ms,$xu,$lu,$(ratio "$lu" "$xu"),curl from dom0 after xl unpause; median of $FIRST_RUNS guests each (xenolith $(firsts x-first- first_http_from_unpause_ms | spread | tr -d ,); linux $(firsts linux-first- first_http_from_unpause_ms | spread | tr -d ,)) (linux/xenolith)"
    echo "first_http_from_create_ms,$xc,$lc,$(ratio "$lc" "$xc"),from xl create -p; same guests (xenolith $(firsts x-first- first_http_from_create_ms | spread); linux $(firsts linux-first- first_http_from_create_ms | spread))"
    echo "toolstack_floor_ms,$floor,$floor,1,xl create -p + xl unpause of hello (same config)"
    echo "over_floor_ms,$(( ${xc:-0} - floor )),$(( ${lc:-0} - floor )),-,first_http_from_create - floor"
    echo "boot_main_us,$tmain,,-,guest timeline entry to main(); median of the first-answer guests"
    echo "boot_net_us,$tnet,,-,guest timeline entry to network ready; same"
    echo "http_rps,$xr,$lr,$(ratio "$xr" "$lr"),wrk -t1 -c16 -d10 median of 3 (xenolith/linux)"
    echo "tcp_bulk_MBps,$xb,$lb,$(ratio "$xb" "$lb"),64 MiB into port 9 median of 3 (xenolith/linux)"
    echo "image_bytes,$xsize,$lsize,$(ratio "$lsize" "$xsize"),httpd stripped vs vmlinuz+initramfs (linux/xenolith)"
    echo "hello_image_bytes,$hsize,,-,hello stripped"
    echo "min_memory_http_MB,$xmem,$lmem,-,least memory= answering HTTP (from: $X_MEMS / $L_MEMS)"
    echo "min_memory_hello_MB,$hmem,,-,least memory= running hello (from: $HELLO_MEMS)"
    echo "min_memory_kv_MB,$kmem,,-,least memory= where kvstore (8 MiB disk) answers SET and GET (from: $KV_MEMS)"
    echo "kv_set_rps,$xks,$lks,$(ratio "$xks" "$lks"),redis-benchmark -t set -n 5000 -c 16 -d 16 median of 3 (kvstore flushes each batch; redis-server as Debian configures it)"
    echo "kv_get_rps,$xkg,$lkg,$(ratio "$xkg" "$lkg"),redis-benchmark -t get (same)"
    for t in $REDIS_ROWS; do
        for sfx in "" _p16; do
            a=$(vals x-redis "redis_${t}${sfx}_rps" | med) b=$(vals linux "redis_${t}${sfx}_rps" | med)
            echo "redis_${t}${sfx}_rps,$a,$b,$(ratio "$a" "$b"),Redis 7.0 both sides: redis-benchmark -t $t -n 3000 -c 16${sfx:+ -P 16} median of 3 (xenolith/linux)"
        done
    done
    echo "blk_seq_write_MBps,$xbw,$lbw,$(ratio "$xbw" "$lbw"),32 MiB in 128 KiB requests one at a time then flush (blkbench vs ${ltool:-?} direct psync end_fsync; one run)"
    echo "blk_seq_read_MBps,$xbr,$lbr,$(ratio "$xbr" "$lbr"),32 MiB in 128 KiB requests one at a time (blkbench vs ${ltool:-?} direct; one run)"
    echo "blk_rand_write_iops,$xwi,$lwi,$(ratio "$xwi" "$lwi"),500 random 4 KiB writes one at a time over 32 MiB (blkbench vs ${ltool:-?}; one run)"
    echo "blk_rand_read_iops,$xri,$lri,$(ratio "$xri" "$lri"),500 random 4 KiB reads one at a time (same)"
} >"$B/results.csv"

printf '%-28s %14s %14s %8s   %s\n' metric Xenolith Linux ratio target
row() { printf '%-28s %14s %14s %8s   %s\n' "$1" "${2:--}" "${3:--}" "${4:--}" "$5"; }
row "first HTTP from unpause ms" "$xu" "$lu" "$(ratio "$lu" "$xu")" ">= 30 (Linux/Xenolith)"
row "  spread" "$(firsts x-first- first_http_from_unpause_ms | spread)" "$(firsts linux-first- first_http_from_unpause_ms | spread)" "" ""
row "first HTTP from create ms" "$xc" "$lc" "" "Xenolith within 300 ms of the floor"
row "toolstack floor ms" "$floor" "$floor" "" "xl create -p + unpause, hello"
row "boot entry->main us" "$tmain" "" "" "< 5000"
row "boot entry->network us" "$tnet" "" "" ""
row "HTTP requests/s (wrk)" "$xr" "$lr" "$(ratio "$xr" "$lr")" ">= 2.8 (Xenolith/Linux)"
row "  spread" "$(vals x-httpd http_rps | spread)" "$(vals linux http_rps | spread)" "" ""
row "TCP bulk MB/s" "$xb" "$lb" "$(ratio "$xb" "$lb")" ">= 1"
row "  spread" "$(vals x-sink tcp_bulk_MBps | spread)" "$(vals linux tcp_bulk_MBps | spread)" "" ""
row "image bytes (httpd/nginx)" "$xsize" "$lsize" "$(ratio "$lsize" "$xsize")" ""
row "image bytes (hello)" "$hsize" "" "" "< 150000"
row "least memory, HTTP MB" "$xmem" "$lmem" "" "2 (httpd)"
row "least memory, hello MB" "$hmem" "" "" "1"
row "least memory, KV MB" "$kmem" "" "" "4"
row "KV SET/s (redis-benchmark)" "$xks" "$lks" "$(ratio "$xks" "$lks")" ">= 1.7 (kvstore is durable per batch)"
row "KV GET/s (redis-benchmark)" "$xkg" "$lkg" "$(ratio "$xkg" "$lkg")" ">= 1.7"
for t in $REDIS_ROWS; do
    for sfx in "" _p16; do
        a=$(vals x-redis "redis_${t}${sfx}_rps" | med) b=$(vals linux "redis_${t}${sfx}_rps" | med)
        row "Redis $(echo $t | tr a-z A-Z)/s${sfx:+ -P 16}" "$a" "$b" "$(ratio "$a" "$b")" ">= 1.7 (Redis on both)"
    done
done
row "block seq write MB/s" "$xbw" "$lbw" "$(ratio "$xbw" "$lbw")" ">= 1"
row "block seq read MB/s" "$xbr" "$lbr" "$(ratio "$xbr" "$lbr")" ">= 1"
row "block 4K random write IOPS" "$xwi" "$lwi" "$(ratio "$xwi" "$lwi")" ">= 1"
row "block 4K random read IOPS" "$xri" "$lri" "$(ratio "$xri" "$lri")" ">= 1"
echo "memory: Xenolith $MEM MB, Linux $LMEM MB (with fio: $LBMEM MB); vcpus 1 for both; Xen under QEMU TCG: compare ratios from one run"
echo "how each figure was measured:"
tail -n +2 "$B/results.csv" | awk -F, '{ h = $5; for (i = 6; i <= NF; i++) h = h "," $i; printf "  %-26s %s\n", $1, h }'

if command -v gnuplot >/dev/null; then
    awk -F, 'NR > 1 && ($1 == "http_rps" || $1 == "tcp_bulk_MBps" || $1 == "first_http_from_unpause_ms") && $2 != "" && $3 != "" {
             print $1, $2, $3 }' "$B/results.csv" >"$B/plot.dat"
    gnuplot <<EOG 2>/dev/null && echo "bench: $B/results.png"
set terminal png size 900,400
set output "$B/results.png"
set style data histograms
set style fill solid
set logscale y
set title "Xenolith vs Linux PVH guest (one run, emulated Xen)"
plot "$B/plot.dat" using 2:xtic(1) title "Xenolith", "" using 3 title "Linux"
EOG
else
    echo "bench: no plot (install gnuplot-nox for build/bench/results.png)"
fi
echo "bench: $B/results.csv; logs in $B/xen"
grep -q . <<<"$xr$lr" || exit 1
