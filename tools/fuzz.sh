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
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
bindir=$1 secs=$2; shift 2
bad=0
for t in "$@"; do
    work=$bindir/work/$t crashes=$bindir/crashes/$t
    rm -rf "$work"; mkdir -p "$work" "$crashes"
    corpus=$ROOT/tests/fuzz/corpus/$t
    if ! [ -d "$corpus" ] || [ -z "$(ls -A "$corpus")" ]; then
        echo "FAIL fuzz/$t: no seed corpus in $corpus"
        bad=1
        continue
    fi
    if ! [ -x "$bindir/$t" ]; then
        echo "FAIL fuzz/$t: no binary $bindir/$t (make fuzz-build)"
        bad=1
        continue
    fi
    cp "$corpus/"* "$work/" || { echo "FAIL fuzz/$t: cannot copy $corpus"; bad=1; continue; }
    log=$bindir/$t.log
    "$bindir/$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$crashes/" "$work" >"$log" 2>&1
    rc=$?
    runs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | tail -1 | awk '{print $2}')
    [ -n "$runs" ] || runs=$(grep -oE '#[0-9]+' "$log" | tail -1 | tr -d '#')
    if [ $rc -eq 0 ] && [ -z "$runs" ]; then
        echo "FAIL fuzz/$t: libFuzzer reported no executed inputs; log $log"
        bad=1
    elif [ $rc -eq 0 ]; then
        echo "PASS fuzz/$t (${runs:-?} inputs in ${secs}s)"
    else
        echo "FAIL fuzz/$t: exit status $rc; crashing input in $crashes/, log $log"
        grep -E 'ERROR|SUMMARY|runtime error|deadly signal' "$log" | head -5 | sed 's/^/    /'
        bad=1
    fi
done
exit $bad
