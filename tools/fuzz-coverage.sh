#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Which functions of the parsers each fuzz target's seed corpus reaches:
# runs each coverage build of a target (made by `make fuzz-coverage`) once
# over its corpus (tests/fuzz/corpus/<target>/, no fuzzing) and prints the
# per-function coverage of the project's own files (llvm-cov report).
#
# usage: tools/fuzz-coverage.sh BINDIR 'SOURCE...' TARGET...   (make fuzz-coverage)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
bindir=$1 sources=$2; shift 2
for t in "$@"; do
    bin=$bindir/$t
    LLVM_PROFILE_FILE=$bindir/$t.profraw "$bin" -runs=0 "$ROOT/tests/fuzz/corpus/$t" >/dev/null 2>&1
    llvm-profdata merge -sparse -o "$bindir/$t.profdata" "$bindir/$t.profraw"
    echo "== $t: functions of the project's files reached by the seeds"
    llvm-cov report "$bin" -instr-profile="$bindir/$t.profdata" -show-functions $sources 2>/dev/null |
        awk '$1 != "" && $1 !~ /^(Name|-+|File|TOTAL)/ && NF >= 10 && $2 > 0 { print "  " $1, "regions", $2, "missed", $3, "(" $4 ")" }'
done
