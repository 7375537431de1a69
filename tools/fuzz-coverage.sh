#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Which functions of the parsers each fuzz target's seed corpus reaches:
# builds each target with clang's source coverage, runs it once over its
# corpus (tests/fuzz/corpus/<target>/, no fuzzing) and prints the
# per-function coverage of the project's own files (llvm-cov report).
#
# usage: tools/fuzz-coverage.sh OUTDIR DEPS TARGET...   (make fuzz-coverage)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
out=$1 deps=$2; shift 2
mkdir -p "$out"
. <(make -s -C "$ROOT" --no-print-directory print-unit-pure)
for t in "$@"; do
    bin=$out/$t
    clang -g -O0 -fprofile-instr-generate -fcoverage-mapping -fsanitize=fuzzer \
        -I"$ROOT/kernel" -I"$ROOT/tests/unit" -I"$deps/xeninc" -I"$deps/libfdt-src" \
        -D__XEN_INTERFACE_VERSION__=0x00040e00 -o "$bin" "$ROOT/tests/fuzz/$t.c" $UNIT_PURE
    LLVM_PROFILE_FILE=$out/$t.profraw "$bin" -runs=0 "$ROOT/tests/fuzz/corpus/$t" >/dev/null 2>&1
    llvm-profdata merge -sparse -o "$out/$t.profdata" "$out/$t.profraw"
    echo "== $t: functions of the project's files reached by the seeds"
    llvm-cov report "$bin" -instr-profile="$out/$t.profdata" -show-functions \
        $(for f in $UNIT_PURE; do case $f in "$ROOT"/build/*) ;; "$ROOT"/*) echo "$f" ;; esac; done) 2>/dev/null |
        awk '$1 != "" && $1 !~ /^(Name|-+|File|TOTAL)/ && NF >= 10 && $2 > 0 { print "  " $1, "regions", $2, "missed", $3, "(" $4 ")" }'
done
