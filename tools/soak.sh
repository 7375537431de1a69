#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# make soak: long runs that do not belong in make check, in one Xen boot of
# the harness:
#   - apps/httpd takes SOAK_CONNECTIONS (default 100000) connections from
#     wrk in dom0, one request each, and must not hang or grow its heap
#     (tests/xen/clients/soak-httpd.sh);
#   - apps/kvstore goes through SOAK_KV_TRIALS (default 1000) rounds of
#     writes, `xl destroy` at a random moment and a reboot, losing no
#     acknowledged write (tests/xen/clients/kvstore.sh);
#   - apps/httpd is moved with `xl migrate` to the same host
#     SOAK_MIGRATIONS (default 20) times in a row under HTTP load
#     (tests/xen/clients/migrate.sh).
# Ends with "N passed, N failed".
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
O=${O:-$ROOT/build}
LOG=$O/soak
mkdir -p "$LOG"
for a in httpd kvstore; do
    make -C "$ROOT" --no-print-directory app APP=$a || { echo "0 passed, 1 failed"; exit 1; }
done
rm -rf "$LOG/site" && mkdir -p "$LOG/site"
printf '<!doctype html><title>Xenolith</title><h1>soak</h1>\n' >"$LOG/site/index.html"
(cd "$LOG/site" && tar -cf "$LOG/site.tar" index.html)
want=${SOAK_CONNECTIONS:-100000}
# The client's rounds take about 30 s each; allow for a slow emulator.
timeout=$(( want / 50 + 300 ))
sed "s/^want=.*/want=$want/" "$ROOT/tests/xen/clients/soak-httpd.sh" >"$LOG/soak-httpd.sh"
trials=${SOAK_KV_TRIALS:-1000}
sed -e "s/^IP=10.99.0.2 PORT=6379 TRIALS=.*/IP=10.99.0.2 PORT=6379 TRIALS=$trials/" \
    -e "s/^FRESH=.*/FRESH=1/" \
    "$ROOT/tests/xen/clients/kvstore.sh" >"$LOG/soak-kvstore.sh"
migrations=${SOAK_MIGRATIONS:-20}
sed "s/^IP=10.99.0.2 PORT=8080 MIGRATIONS=.*/IP=10.99.0.2 PORT=8080 MIGRATIONS=$migrations/" \
    "$ROOT/tests/xen/clients/migrate.sh" >"$LOG/soak-migrate.sh"
{
    echo "soak-httpd $O/httpd/httpd.elf type=pvh memory=32 vif=1 timeout=$timeout module=$LOG/site.tar client=$LOG/soak-httpd.sh -- net0.ip=10.99.0.2/24 app.port=8080"
    echo "soak-kvstore $O/kvstore/kvstore.elf type=pvh memory=32 vif=1 disk=blank:64 timeout=$(( trials * 15 + 600 )) xl=client client=$LOG/soak-kvstore.sh -- net0.ip=10.99.0.2/24 app.max_key=1024 app.max_value=65536"
    echo "soak-migrate $O/httpd/httpd.elf type=pvh memory=16 vif=1 timeout=$(( migrations * 30 + 300 )) module=$LOG/site.tar xl=client client=$LOG/soak-migrate.sh -- net0.ip=10.99.0.2/24 app.port=8080"
} >"$LOG/batch"
"$ROOT/tools/xen/run.sh" --logdir "$LOG/xen" "$LOG/batch" >"$LOG/run.log" 2>&1
grep 'client| \(round\|PASS\|FAIL\|note\|trial .*[1-9][0-9]* lost\)' "$LOG/run.log" | sed 's/^soak-[a-z]*\/client| /    /'
passed=0 failed=0
verdict() {     # GUEST NAME
    if [ "$(cat "$LOG/xen/$1.client.status" 2>/dev/null)" = 0 ] &&
       [ "$(cat "$LOG/xen/$1.status" 2>/dev/null)" = 0 ]; then
        echo "PASS soak/$2"; passed=$((passed + 1))
    else
        echo "FAIL soak/$2: see $LOG/run.log"; failed=$((failed + 1))
    fi
}
verdict soak-httpd "httpd-$want-connections"
verdict soak-kvstore "kvstore-$trials-destroy-trials"
verdict soak-migrate "httpd-$migrations-migrations"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
