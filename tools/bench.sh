#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# make bench: performance figures, measured in one Xen boot of the
# harness (Xen under QEMU's emulation: only ratios measured in the same
# run mean much). Workloads (each states how it is measured):
#   httpd_rps         wrk in dom0 against apps/httpd: -t1 -c16, 10 s, 3 runs
#   tcp_bulk_MBps     64 MiB from dom0 into apps/echo's discard port, 3 runs
#   boot_main_us      the guest's own timeline, entry to main() (httpd guest)
#   boot_net_us       the same, entry to network ready (static address)
#   xl_create_ms      `xl create -p` of the httpd guest, as dom0 times it
#   xl_unpause_ms     `xl unpause` of the same
# Prints a table (median, min, max, runs) and writes build/bench/results.csv.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
O=${O:-$ROOT/build}
B=$O/bench
mkdir -p "$B"
for a in httpd echo; do
    make -C "$ROOT" --no-print-directory app APP=$a >/dev/null || { echo "bench: cannot build $a" >&2; exit 1; }
done
rm -rf "$B/site" && mkdir -p "$B/site"
printf '<!doctype html><title>Xenolith</title><h1>It works</h1>\n' >"$B/site/index.html"
(cd "$B/site" && tar -cf "$B/site.tar" index.html)
C=$ROOT/tests/xen/clients
cat >"$B/batch" <<EOB
bench-httpd $O/httpd/httpd.elf type=pvh memory=16 vif=1 timeout=200 module=$B/site.tar client=$C/bench-httpd.sh -- net0.ip=10.99.0.2/24 app.port=8080
bench-bulk $O/echo/echo.elf type=pvh memory=16 vif=1 timeout=300 client=$C/bench-bulk.sh -- net0.ip=10.99.0.2/24
EOB
echo "bench: one Xen boot, guests httpd and echo (a few minutes)"
"$ROOT/tools/xen/run.sh" --logdir "$B/xen" "$B/batch" >"$B/run.log" 2>&1
X=$B/xen
{
    grep -h '^BENCH ' "$X"/*.client.log 2>/dev/null | awk '{print $2, $3}'
    tl=$(grep '^bench-httpd: .*net=' "$X/timeline.txt" | tail -1)
    echo "boot_main_us $(sed -n 's/.* main=\([0-9]*\).*/\1/p' <<<"$tl")"
    echo "boot_net_us $(sed -n 's/.* net=\([0-9]*\).*/\1/p' <<<"$tl")"
    r=$(grep '^bench-httpd ' "$X/results.txt")
    echo "xl_create_ms $(sed -n 's/.*create_ms=\([0-9]*\).*/\1/p' <<<"$r")"
    echo "xl_unpause_ms $(sed -n 's/.*unpause_ms=\([0-9]*\).*/\1/p' <<<"$r")"
} >"$B/raw.txt"
echo "metric,median,min,max,runs" >"$B/results.csv"
printf '%-16s %12s %12s %12s %5s\n' metric median min max runs
ok=1
for m in httpd_rps tcp_bulk_MBps boot_main_us boot_net_us xl_create_ms xl_unpause_ms; do
    vals=$(awk -v m=$m '$1 == m && $2 != "" {print $2}' "$B/raw.txt" | sort -g)
    n=$(printf '%s\n' $vals | grep -c .)
    if [ "$n" -eq 0 ]; then
        printf '%-16s %12s\n' "$m" "(failed)"; ok=0; continue
    fi
    med=$(printf '%s\n' $vals | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}')
    min=$(printf '%s\n' $vals | head -1) max=$(printf '%s\n' $vals | tail -1)
    printf '%-16s %12s %12s %12s %5s\n' "$m" "$med" "$min" "$max" "$n"
    echo "$m,$med,$min,$max,$n" >>"$B/results.csv"
done
echo "bench: $B/results.csv (logs in $B/xen); the harness is emulated: compare ratios from one run"
[ $ok = 1 ]
