#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Draw make bench's results (tools/bench.sh) with gnuplot:
#   tools/bench-plot.sh RESULTS.CSV TIMELINE OUT.PNG
# RESULTS.CSV has the columns metric,xenolith,linux,ratio,target,how;
# TIMELINE is one or more Xenolith boot timeline lines ("... console=N
# cpu=N ... main=N net=N", microseconds since entry; the first is drawn).
# Four panels: time to the first answer (Xenolith, Linux, the toolstack
# floor), every ratio that has a target with its target beside it, the
# guest's CPU time per request, and the boot timeline as one bar per
# phase. Labels are printed as written (no enhanced text).
set -uo pipefail
csv=$1 timeline=$2 out=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
num='^[0-9]+(\.[0-9]+)?$'
# Panel 1: times.
awk -F, -v re="$num" 'NR > 1 && ($1 == "first_http_from_unpause_ms" || $1 == "first_http_from_create_ms" || $1 == "toolstack_floor_ms") &&
    $2 ~ re && $3 ~ re { n = $1; sub(/_ms$/, "", n); gsub(/_/, " ", n); printf "\"%s\" %s %s\n", n, $2, $3 }' "$csv" >"$tmp/times"
# Panel 2: ratios with a numeric target.
# A label: the metric without its unit suffix, words spaced.
awk -F, -v re="$num" 'NR > 1 && $4 ~ re && $5 ~ re { n = $1; sub(/_us_per_req$/, " per req", n); sub(/_us_per_MB$/, " per MB", n)
    sub(/_(rps|MBps|iops|ms|us|bytes|MB)$/, "", n); gsub(/_/, " ", n); printf "\"%s\" %s %s\n", n, $4, $5 }' "$csv" >"$tmp/ratios"
# Panel 3: guest CPU per request.
awk -F, -v re="$num" 'NR > 1 && $1 ~ /_guest_cpu_us_per_req$/ && $2 ~ re && $3 ~ re {
    n = $1; sub(/_guest_cpu_us_per_req$/, "", n); printf "\"%s\" %s %s\n", n, $2, $3 }' "$csv" >"$tmp/cpu"
# Panel 4: the boot timeline, one row per phase (start, end in ms).
line=$(head -n 1 <<<"$timeline")
grep -oE '[a-z]+=[0-9]+' <<<"${line#*:}" | awk -F= '{ printf "\"%s\" %.3f %.3f %d\n", $1, prev / 1000, $2 / 1000, NR - 1; prev = $2 }' >"$tmp/boot"

panel_bars() {  # FILE TITLE YLABEL LOG: clustered Xenolith / Linux bars
    if [ ! -s "$1" ]; then
        echo "set title '$2 (no data)'; unset logscale; plot [0:1][0:1] NaN notitle"
        return
    fi
    echo "set title '$2'; set ylabel '$3'; set xtics rotate by -30"
    [ "$4" = log ] && echo "set logscale y" || echo "unset logscale y; set yrange [0:*]"
    echo "set style data histograms; set style histogram clustered gap 1; set style fill solid 0.8 border -1"
    echo "plot '$1' using 2:xtic(1) title 'Xenolith' lc rgb '#2b6cb0', '' using 3 title 'Linux' lc rgb '#c05621'"
    echo "unset style data; set yrange [*:*]; unset ylabel"
}
{
    echo "set terminal pngcairo size 1400,1000 noenhanced font ',9'"
    echo "set output '$out'"
    echo "set termoption noenhanced"
    echo "set multiplot layout 2,2 title 'Xenolith vs Linux PVH guest, one make bench run (Xen under emulation: compare ratios)'"
    echo "set key top left; set grid ytics"
    panel_bars "$tmp/times" "Time to the first HTTP answer" "ms (log)" log
    if [ -s "$tmp/ratios" ]; then
        echo "set title 'Ratio to Linux (more is better) and its target'; set ylabel 'ratio (log)'; set logscale y"
        echo "set xtics rotate by -45; set boxwidth 0.6; set style fill solid 0.8 border -1"
        echo "plot '$tmp/ratios' using 0:2:xtic(1) with boxes title 'ratio' lc rgb '#2b6cb0', '' using 0:3 with points pt 5 ps 1.2 lc rgb '#c53030' title 'target', 1 with lines dt 2 lc rgb 'black' title 'parity'"
        echo "unset logscale y; unset ylabel"
    else
        echo "set title 'Ratio to Linux (no data)'; plot [0:1][0:1] NaN notitle"
    fi
    panel_bars "$tmp/cpu" "Guest CPU time per request (as Xen accounts it)" "us per request" lin
    if [ -s "$tmp/boot" ]; then
        echo "set title 'Boot timeline of one Xenolith guest (phases since entry)'; set xlabel 'ms since entry'; unset ylabel"
        echo "set xtics norotate; set ytics (); set yrange [-1:*] reverse; set xrange [0:*]; set style fill solid 0.8 border -1"
        echo "plot '$tmp/boot' using (((\$2)+(\$3))/2):4:2:3:(\$4-0.35):(\$4+0.35):ytic(1) with boxxyerror lc rgb '#2b6cb0' notitle, '' using 3:4:(sprintf('%.1f', \$3)) with labels left offset 0.5,0 notitle"
    else
        echo "set title 'Boot timeline (no data)'; plot [0:1][0:1] NaN notitle"
    fi
    echo "unset multiplot"
} >"$tmp/plot.gp"
gnuplot "$tmp/plot.gp"
