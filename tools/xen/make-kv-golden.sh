#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Make tests/xen/kv-golden.img.gz, the kvstore disk that make check replays
# (the on-disk format's fixed reference): kvstore writes the data set of
# tests/xen/clients/kv-golden.sh on a blank 1 MiB disk on Xen, shuts down,
# and dom0 sends the disk back through its console. Run it only when the
# on-disk format changes on purpose (and say so in docs/storage.md).
#
# usage: tools/xen/make-kv-golden.sh     (after make APP=kvstore)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
elf=$ROOT/build/kvstore/kvstore.elf
[ -f "$elf" ] || { echo "make-kv-golden: error: build kvstore first (make APP=kvstore)" >&2; exit 2; }
logs=$ROOT/build/kv-golden-logs
batch=$(mktemp)
trap 'rm -f "$batch"' EXIT
echo "kv-golden-make $elf type=pvh memory=32 vif=1 disk=blank:1 timeout=120 xl=client" \
    "client=$ROOT/tests/xen/clients/kv-golden.sh -- net0.ip=10.99.0.2/24" >"$batch"
"$ROOT/tools/xen/run.sh" --clients --logdir "$logs" "$batch" || true
log=$logs/kv-golden-make.client.log
grep -qx 'PASS read-data-set' "$log" || { echo "make-kv-golden: error: the data set was not written; see $log" >&2; exit 1; }
out=$ROOT/tests/xen/kv-golden.img.gz
sed -n '/^GOLDEN-BEGIN$/,/^GOLDEN-END$/p' "$log" | sed '1d;$d' | base64 -d >"$out.tmp"
gzip -t "$out.tmp" && [ "$(gzip -dc "$out.tmp" | wc -c)" = 1048576 ] ||
    { rm -f "$out.tmp"; echo "make-kv-golden: error: the disk did not come back whole" >&2; exit 1; }
mv "$out.tmp" "$out"
echo "make-kv-golden: wrote $out ($(stat -c %s "$out") bytes)"
