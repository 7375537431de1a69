#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# make hostile: the guest against a hostile backend and Xenstore. Every
# scenario of tools/xen/hostile/hostile.c runs twice (PVH and PV) in one
# Xen boot (tools/xen/run.sh, hostile=SCENARIO), with tests/xen/hostile as
# the guest app, and each is checked for:
#   heartbeat  the app's heartbeat never stopped for more than 2 s, and
#              went on until the shutdown request;
#   broken     the console names the attacked device (or Xenstore) as
#              broken (scenarios that only need the guest to carry on
#              have no such check);
#   no-crash   the guest did not crash;
#   shutdown   `xl shutdown` ended the guest within 10 s.
# One "PASS name" / "FAIL name: why" line per check, then "N passed, N
# failed"; exits non-zero if any failed.
# HOSTILE_SCENARIOS="a b" and HOSTILE_TYPES="pvh" run a subset, and
# HOSTILE_PV_SCENARIOS="a b" limits the PV guests to those scenarios
# (make check: the ones whose PV paths differ: event delivery, grant
# mapping, reconnection);
# --batch IMG prints the batch lines only, --check LOGDIR checks a run
# made from them (make check runs the guests in its own Xen boot);
# HOSTILE_KOPTS sets the kernel options (default xen.io_timeout=3, so a
# silent disk is found out within the scenario's few seconds).
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
O=${O:-$ROOT/build}
LOGDIR=$O/hostile-logs
passed=0 failed=0
pass() { passed=$((passed + 1)); printf 'PASS %s\n' "$1"; }
fail() { failed=$((failed + 1)); printf 'FAIL %s: %s\n' "$1" "$2"; }
t_start=$(date +%s)

# SCENARIO;SECONDS until xl shutdown;what the console must say (an ERE;
# "-": nothing; "reconnect": vif/5 connected again after the churn, or
# named broken);app arguments
scenarios() {
    cat <<'TABLE'
blk-silent;7;blkfront xvdd:.*broken;
rx-backwards;5;netfront vif/5:.*broken;
xs-stall;17;-;
xs-malformed;5;xenstore:.*(broken|resynchronised);
blk-id-range;4;blkfront xvdd:.*broken;
blk-id-idle;4;blkfront xvdd:.*broken;
blk-dup-id;4;blkfront xvdd:.*broken;
blk-wrong-op;4;blkfront xvdd:.*broken;
blk-bad-status;4;blkfront xvdd:.*broken;
blk-flush-eopnotsupp;4;blkfront xvdd:.*(flush|broken);
tx-bad-id;4;netfront vif/5:.*broken;
tx-dup-id;4;netfront vif/5:.*broken;
rx-offset;4;netfront vif/5:.*broken;
rx-slots;4;netfront vif/5:.*broken;
rx-flags;4;netfront vif/5:.*broken;
rx-oversize;4;netfront vif/5:.*broken;
rx-gso-bad;4;netfront vif/5:.*broken;
grants-kept;7;-;
console-drip;16;-;console-spam
churn;7;reconnect;
evtchn-storm;7;-;
TABLE
}

# One line per guest: NAME;SECONDS;EXPECT;SCENARIO;TYPE;ARGS.
entries() {
    local s secs expect args t
    while IFS=';' read -r s secs expect args; do
        [ -n "$s" ] || continue
        if [ -n "${HOSTILE_SCENARIOS:-}" ] && [[ " $HOSTILE_SCENARIOS " != *" $s "* ]]; then continue; fi
        for t in ${HOSTILE_TYPES:-pvh pv}; do
            if [ $t = pv ] && [ -n "${HOSTILE_PV_SCENARIOS:-}" ] &&
               [[ " $HOSTILE_PV_SCENARIOS " != *" $s "* ]]; then continue; fi
            echo "h-$t-$s;$secs;$expect;$s;$t;$args"
        done
    done < <(scenarios)
}

# The batch lines for tools/xen/run.sh, with the guest image IMG.
batch_lines() {
    local n secs expect s t args
    while IFS=';' read -r n secs expect s t args; do
        echo "$n $1 type=$t memory=16 timeout=$((secs + 15)) xl=shutdown@$secs hostile=$s -- ${HOSTILE_KOPTS-xen.io_timeout=3} -- $args"
    done < <(entries)
}

# --batch IMG: only print the batch lines (make check runs them in its own
# Xen boot, then calls --check on its log directory).
if [ "${1:-}" = --batch ]; then
    batch_lines "$2"
    exit 0
fi
if [ "${1:-}" = --check ]; then
    LOGDIR=$2
else
    echo "== build"
    make -C "$ROOT" --no-print-directory app APP="$ROOT/tests/xen/hostile" ||
        { echo "FAIL build: tests/xen/hostile"; echo "0 passed, 1 failed"; exit 1; }
    mkdir -p "$LOGDIR"
    batch=$LOGDIR/batch.txt
    batch_lines "$O/hostile/hostile.elf" >"$batch"
    echo "== Xen: $(wc -l <"$batch") guests against the hostile backend (one Xen boot)"
    "$ROOT/tools/xen/run.sh" --logdir "$LOGDIR" "$batch" >"$LOGDIR/xen-run.log" 2>&1
    xrc=$?
    if [ $xrc -ge 2 ]; then
        tail -n 40 "$LOGDIR/xen-run.log" | sed 's/^/    /'
        fail "harness" "tools/xen/run.sh failed (status $xrc; log $LOGDIR/xen-run.log)"
        echo "$passed passed, $failed failed"
        exit 1
    fi
fi

names=()
while IFS= read -r e; do names+=("$e"); done < <(entries)
for entry in "${names[@]}"; do
    IFS=';' read -r n secs expect _ <<<"$entry"
    log=$LOGDIR/$n.log
    res=$(grep "^$n " "$LOGDIR/results.txt" 2>/dev/null)
    state=$(sed -n 's/.* state=\([a-z-]*\).*/\1/p' <<<"$res")

    # Heartbeats: "heartbeat N T ms", one every 250 ms (a sleep after each
    # line); a stall is the time between two lines beyond their count.
    hb=$(awk '$1 == "heartbeat" && $2 ~ /^[0-9]+$/ && $4 == "ms" {
                 if (seen) { gap = ($3 - t) - 250 * ($2 - n - 1); if (gap > max) max = gap }
                 seen++; n = $2; t = $3 }
              END { printf "%d %d %d\n", seen, max, t }' "$log" 2>/dev/null)
    read -r hbn hbmax hblast <<<"${hb:-0 0 0}"
    if [ "$hbn" -lt 4 ]; then
        fail "$n/heartbeat" "only $hbn heartbeat lines (state ${state:-none})"
    elif [ "$hbmax" -gt 2000 ]; then
        fail "$n/heartbeat" "the heartbeat stopped for $hbmax ms"
    elif [ "$hblast" -lt $((secs * 1000 - 2500)) ]; then
        fail "$n/heartbeat" "the last heartbeat is at $hblast ms; xl shutdown came at about $((secs * 1000)) ms"
    else
        pass "$n/heartbeat"
    fi

    if [ "$expect" = reconnect ]; then
        c=$(grep -c 'netfront vif/5: connected' "$log" 2>/dev/null)
        if [ "${c:-0}" -ge 2 ] || grep -Eq 'netfront vif/5:.*broken' "$log"; then
            pass "$n/reconnect"
        else
            fail "$n/reconnect" "vif/5 connected ${c:-0} time(s) and was not named broken: $(grep 'netfront vif/5' "$log" | tail -n 2 | tr '\n' ';' | cut -c1-300)"
        fi
    elif [ "$expect" != - ]; then
        if grep -Eq "$expect" "$log" 2>/dev/null; then
            pass "$n/broken"
        else
            why=$(grep -Ei 'netfront|blkfront|xenstore|error' "$log" | grep -v '^heartbeat' | tail -n 3 | tr '\n' ';' | cut -c1-300)
            fail "$n/broken" "no line matching '$expect' (last driver lines: ${why:-none})"
        fi
    fi

    if [ "$state" = crashed ] || grep -q '^xenolith: guest crashed$' "$log" 2>/dev/null; then
        fail "$n/no-crash" "the guest crashed: $(grep -m1 -iE 'panic|fault|assert|crash' "$log" | cut -c1-200)"
    elif [ -z "$state" ]; then
        fail "$n/no-crash" "no result for the guest"
    else
        pass "$n/no-crash"
    fi

    sd=$(sed -n 's/.* shutdown_ms=\([0-9]*\).*/\1/p' <<<"$res")
    if [ -n "$sd" ] && [ "$sd" -le 10000 ]; then
        pass "$n/shutdown"
    elif [ -n "$sd" ]; then
        fail "$n/shutdown" "xl shutdown took $sd ms"
    else
        fail "$n/shutdown" "the guest did not end after xl shutdown (state ${state:-none})"
    fi
done
echo "hostile: logs in $LOGDIR (NAME.log, NAME.hostile.log); $(( $(date +%s) - t_start )) s"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
