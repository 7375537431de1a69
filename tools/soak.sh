#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# make soak: long runs that do not belong in make check. On real Xen (the
# harness): apps/httpd takes SOAK_CONNECTIONS (default 100000) connections
# from wrk in dom0, one request each, and must not hang or grow its heap
# (tests/xen/clients/soak-httpd.sh). Ends with "N passed, N failed".
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
O=${O:-$ROOT/build}
LOG=$O/soak
mkdir -p "$LOG"
make -C "$ROOT" --no-print-directory app APP=httpd || { echo "0 passed, 1 failed"; exit 1; }
rm -rf "$LOG/site" && mkdir -p "$LOG/site"
printf '<!doctype html><title>Xenolith</title><h1>soak</h1>\n' >"$LOG/site/index.html"
(cd "$LOG/site" && tar -cf "$LOG/site.tar" index.html)
want=${SOAK_CONNECTIONS:-100000}
# The client's rounds take about 30 s each; allow for a slow emulator.
timeout=$(( want / 50 + 300 ))
sed "s/^want=.*/want=$want/" "$ROOT/tests/xen/clients/soak-httpd.sh" >"$LOG/soak-httpd.sh"
echo "soak-httpd $O/httpd/httpd.elf type=pvh memory=32 vif=1 timeout=$timeout module=$LOG/site.tar client=$LOG/soak-httpd.sh -- net0.ip=10.99.0.2/24 app.port=8080" >"$LOG/batch"
"$ROOT/tools/xen/run.sh" --logdir "$LOG/xen" "$LOG/batch" >"$LOG/run.log" 2>&1
grep 'client| \(round\|PASS\|FAIL\|note\)' "$LOG/run.log" | sed 's/^soak-httpd\/client| /    /'
passed=0 failed=0
if [ "$(cat "$LOG/xen/soak-httpd.client.status" 2>/dev/null)" = 0 ] &&
   [ "$(cat "$LOG/xen/soak-httpd.status" 2>/dev/null)" = 0 ]; then
    echo "PASS soak/httpd-$want-connections"; passed=1
else
    echo "FAIL soak/httpd-$want-connections: see $LOG/run.log"; failed=1
fi
echo "$passed passed, $failed failed"
[ $failed = 0 ]
