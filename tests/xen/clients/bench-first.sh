# SPDX-License-Identifier: BSD-2-Clause
# make bench, first answer: the time from `xl unpause` and from
# `xl create -p` to the first byte of an HTTP answer from the guest at
# 10.99.0.2:8080 (our httpd or the Linux guest's nginx). The guest runs
# with probe=10.99.0.2:8080: xnprobe, started in dom0 while the guest was
# paused (with dom0's neighbour entry for the guest set, so ARP does not
# count), retries non-blocking connects every 10 ms and notes, in
# gettimeofday() microseconds, when the vif's backend said Connected, the
# guest's first frame, the first SYN-ACK (connect done) and the first
# answer byte. This script waits for its result and prints
# "BENCH first_http_from_unpause_ms" (from `xl unpause` returning),
# "..._from_create_ms" (from `xl create -p` beginning) and the timeline
# from dom0's side, in ms from `xl unpause` beginning:
# "BENCH first_tl_unpaused_ms" (xl unpause returned), "..._backend_ms",
# "..._frame_ms", "..._synack_ms", "..._byte_ms".
. ./client-lib.sh
[ -n "${PROBE_OUT:-}" ] || { echo "bench-first: the guest has no prober (probe=IP:PORT)"; exit 1; }
for _ in $(seq 1300); do
    grep -q '^FIRST ' "$PROBE_OUT" 2>/dev/null && break
    sleep 0.1
done
line=$(grep '^FIRST ' "$PROBE_OUT")
[ -n "$line" ] || { echo "bench-first: no result from the prober:"; cat "$PROBE_OUT"; exit 1; }
echo "probe: $line"
val() { sed -n "s/.* $1=\\([0-9a-z-]*\\).*/\\1/p" <<<"$line"; }
[ "$(val status)" = ok ] || { echo "bench-first: the prober failed: $(val status)"; exit 1; }
byte=$(val byte)
echo "BENCH first_http_from_unpause_ms $(( (byte - UNPAUSED_AT) / 1000 ))"
echo "BENCH first_http_from_create_ms $(( (byte - CREATE_AT) / 1000 ))"
ms() { [ "${1:-0}" -gt 0 ] && awk -v t="$1" -v b="$UNPAUSE_BEGIN" 'BEGIN { printf "%.1f", (t - b) / 1000 }'; }
echo "BENCH first_tl_unpaused_ms $(ms "$UNPAUSED_AT")"
for k in backend frame synack byte; do
    v=$(ms "$(val $k)") && echo "BENCH first_tl_${k}_ms $v"
done
exit 0
