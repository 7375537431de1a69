#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Run libFuzzer targets: each for SECONDS on a copy of its seed corpus
# (tests/fuzz/corpus/<target>/, which holds the regression inputs too).
# Prints "PASS fuzz/<target>" or "FAIL fuzz/<target>: ..." per target and
# exits non-zero if any failed. A crashing input is saved in
# build/fuzz/crashes/<target>/.
#
# usage: tools/fuzz.sh BINDIR SECONDS TARGET...
# FUZZ_JOBS=N runs N targets at once (default: the number of cores).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
bindir=$1 secs=$2; shift 2
one() {             # TARGET: fuzz it; print its verdict; status 1 if it failed
    local t=$1 work crashes corpus log rc runs
    work=$bindir/work/$t crashes=$bindir/crashes/$t
    rm -rf "$work"; mkdir -p "$work" "$crashes"
    corpus=$ROOT/tests/fuzz/corpus/$t
    if ! [ -d "$corpus" ] || [ -z "$(ls -A "$corpus")" ]; then
        echo "FAIL fuzz/$t: no seed corpus in $corpus"
        return 1
    fi
    if ! [ -x "$bindir/$t" ]; then
        echo "FAIL fuzz/$t: no binary $bindir/$t (make fuzz-build)"
        return 1
    fi
    cp "$corpus/"* "$work/" || { echo "FAIL fuzz/$t: cannot copy $corpus"; return 1; }
    log=$bindir/$t.log
    "$bindir/$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$crashes/" "$work" >"$log" 2>&1
    rc=$?
    runs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | tail -1 | awk '{print $2}')
    [ -n "$runs" ] || runs=$(grep -oE '#[0-9]+' "$log" | tail -1 | tr -d '#')
    if [ $rc -eq 0 ] && [ -z "$runs" ]; then
        echo "FAIL fuzz/$t: libFuzzer reported no executed inputs; log $log"
        return 1
    elif [ $rc -eq 0 ]; then
        echo "PASS fuzz/$t (${runs:-?} inputs in ${secs}s)"
    else
        echo "FAIL fuzz/$t: exit status $rc; crashing input in $crashes/, log $log"
        grep -E 'ERROR|SUMMARY|runtime error|deadly signal' "$log" | head -5 | sed 's/^/    /'
        return 1
    fi
}

# FUZZ_JOBS targets at once (default: one per core); each target's
# verdict is printed in the order given, once all have run.
jobs=${FUZZ_JOBS:-$(nproc)}
out=$bindir/verdicts
rm -rf "$out"; mkdir -p "$out"
running=0
for t in "$@"; do
    ( one "$t" >"$out/$t" 2>&1; echo $? >"$out/$t.rc" ) &
    running=$((running + 1))
    if [ $running -ge "$jobs" ]; then wait -n; running=$((running - 1)); fi
done
wait
bad=0
for t in "$@"; do
    cat "$out/$t"
    [ "$(cat "$out/$t.rc" 2>/dev/null)" = 0 ] || bad=1
done
exit $bad
