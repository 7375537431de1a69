#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# make bench-ab A=REV B=REV: one change measured alone. Builds httpd, echo
# and kvstore at two git revisions (each in a work tree of its own under
# build/bench-ab/), then runs them in ONE Xen boot of the harness, the two
# interleaved (A, B, A, B ...) so that drift on a shared machine falls on
# both. More revisions (make bench-ab REVS="R1 R2 R3 ...") measure a
# series of changes in the same boot, each against the one before. With
# make bench's clients (tests/xen/clients/bench-*.sh):
#   first answer   AB_FIRST (3) guests each: first_http_from_unpause_ms
#                  and the guest's boot timeline (entry to main, to net)
#   HTTP           AB_HTTP (1) guests each: wrk -c16 and -c64, with the
#                  guest's and dom0's CPU time per request
#   TCP bulk       1 guest each: 64 MiB into port 9, CPU per MB
#   KV             1 guest each: redis-benchmark, plain and -P 16
# and prints, per figure, the median of each revision and each one's ratio
# to the one before.
# Usage: tools/bench-ab.sh REV REV [REV...]   (REV: anything git rev-parse takes)
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
O=${O:-$ROOT/build}
W=$O/bench-ab
FIRST=${AB_FIRST:-3} HTTP=${AB_HTTP:-1}
[ $# -ge 2 ] || { echo "usage: tools/bench-ab.sh REV REV [REV...] (make bench-ab A=REV B=REV, or REVS=\"R1 R2 ...\")" >&2; exit 2; }
[ $# -le 8 ] || { echo "bench-ab: at most 8 revisions in one boot" >&2; exit 2; }
mkdir -p "$W"
REVS=("$@")
SIDES=()
for k in "${!REVS[@]}"; do
    side=R$k rev=${REVS[$k]}
    SIDES+=("$side")
    sha=$(git -C "$ROOT" rev-parse --verify -q "$rev^{commit}") ||
        { echo "bench-ab: '$rev' is not a revision of this repository" >&2; exit 2; }
    src=$W/src-$side
    # A work tree of its own, at that commit (the current tree's
    # uncommitted changes are not in it: commit them first).
    if [ -d "$src" ]; then
        git -C "$src" checkout -q --detach "$sha" || { echo "bench-ab: cannot check out $rev in $src" >&2; exit 1; }
    else
        git -C "$ROOT" worktree add -q --detach "$src" "$sha" || { echo "bench-ab: cannot add a work tree for $rev" >&2; exit 1; }
    fi
    for a in httpd echo kvstore; do
        make -C "$src" --no-print-directory -s app APP=$a O="$W/build-$side" >"$W/build-$side.log" 2>&1 ||
            { echo "bench-ab: $a does not build at $rev; see $W/build-$side.log" >&2; exit 1; }
    done
    echo "bench-ab: $side = $rev (${sha:0:12}) $(git -C "$ROOT" log -1 --format=%s "$sha" | cut -c1-60)"
done
rm -rf "$W/site" && mkdir -p "$W/site"
printf '<!doctype html><title>Xenolith</title><h1>It works</h1>\n' >"$W/site/index.html"
(cd "$W/site" && tar -cf "$W/site.tar" index.html)
C=$ROOT/tests/xen/clients
NET="net0.ip=10.99.0.2/24"
{
    for i in $(seq "$FIRST"); do
        # Rotated each round (A B, B A, ...): the guest that boots right
        # after a round's last one shares dom0 with its teardown, and
        # that place goes to each revision in turn.
        for j in "${!SIDES[@]}"; do
            s=${SIDES[$(( (j + i - 1) % ${#SIDES[@]} ))]}
            echo "$s-first-$i $W/build-$s/httpd/httpd.elf type=pvh memory=128 vif=1 timeout=200 module=$W/site.tar probe=10.99.0.2:8080 client=$C/bench-first.sh -- $NET app.port=8080"
        done
    done
    for i in $(seq "$HTTP"); do
        for j in "${!SIDES[@]}"; do
            s=${SIDES[$(( (j + i - 1) % ${#SIDES[@]} ))]}
            echo "$s-http-$i $W/build-$s/httpd/httpd.elf type=pvh memory=128 vif=1 timeout=300 module=$W/site.tar client=$C/bench-http.sh -- $NET app.port=8080"
        done
    done
    for s in "${SIDES[@]}"; do
        echo "$s-sink $W/build-$s/echo/echo.elf type=pvh memory=128 vif=1 timeout=300 client=$C/bench-sink.sh -- $NET"
    done
    for s in "${SIDES[@]}"; do
        echo "$s-kv $W/build-$s/kvstore/kvstore.elf type=pvh memory=128 vif=1 disk=blank:40 timeout=400 client=$C/bench-kv.sh -- $NET"
    done
} >"$W/batch"
echo "bench-ab: one Xen boot, ${#SIDES[@]} revisions interleaved (about $(( ${#SIDES[@]} * 5 )) minutes)"
"$ROOT/tools/xen/run.sh" --logdir "$W/xen" "$W/batch" >"$W/run.log" 2>&1
rc=$?
X=$W/xen
if [ $rc -ge 2 ] || [ ! -f "$X/results.txt" ]; then
    echo "bench-ab: the harness run failed (status $rc); the end of $W/run.log:" >&2
    tail -n 30 "$W/run.log" | sed 's/^/    | /' >&2
    exit 1
fi
vals() {        # SIDE METRIC: every value the side's guests printed
    cat "$X/$1"-*.client.log 2>/dev/null | tr -d '\r' | grep -h "^BENCH $2 " | awk '{print $3}'
}
tl() {          # SIDE PHASE: the first-answer guests' boot timeline phase
    grep -hE "^$1-first-[0-9]+: .* net=" "$X/timeline.txt" 2>/dev/null | sed -n "s/.* $2=\([0-9]*\).*/\1/p"
}
med() { sort -g | awk '{v[NR]=$1} END { if (NR) print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2 }'; }
n() { grep -c . || true; }
# NAME then one line of values per revision: medians, and each one's
# ratio to the revision before.
row() {
    local name=$1 k m prev= out
    shift
    out=$(printf '%-30s' "$name")
    for k in $(seq $#); do
        m=$(med <<<"${!k}")
        out+=$(printf ' %10s' "${m:--}")
        if [ $k -gt 1 ]; then
            out+=$(awk -v a="$prev" -v b="$m" 'BEGIN { if (a != "" && b != "" && a > 0) printf " (%.3f)", b / a; else printf " (-)" }')
        fi
        prev=$m
    done
    echo "$out"
}
{
    for k in "${!REVS[@]}"; do
        echo "R$k = ${REVS[$k]} ($(git -C "$ROOT" rev-parse --short=12 "${REVS[$k]}")) $(git -C "$ROOT" log -1 --format=%s "${REVS[$k]}" | cut -c1-70)"
    done
    echo "medians; (x) is the ratio to the revision before"
    each() {    # NAME FN ARG: FN SIDE ARG for every side, as separate arguments
        local name=$1 fn=$2 arg=$3 s args=()
        for s in "${SIDES[@]}"; do args+=("$($fn "$s" "$arg")"); done
        row "$name" "${args[@]}"
    }
    for m in first_http_from_unpause_ms first_tl_backend_ms first_tl_byte_ms; do
        each "$m" vals "$m"
    done
    for p in main net; do
        each "boot_${p}_us" tl "$p"
    done
    for m in http_rps http_guest_cpu_us_per_req http_dom0_cpu_us_per_req \
             http_c64_rps http_c64_guest_cpu_us_per_req \
             tcp_bulk_MBps tcp_bulk_guest_cpu_us_per_MB \
             kv_set_rps kv_get_rps kv_guest_cpu_us_per_req \
             kv_p16_set_rps kv_p16_get_rps kv_p16_guest_cpu_us_per_req; do
        each "$m" vals "$m"
    done
} | tee "$W/results.txt"
echo "bench-ab: $W/results.txt; logs in $X"
