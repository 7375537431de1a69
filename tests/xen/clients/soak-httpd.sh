# SPDX-License-Identifier: BSD-2-Clause
# Soak client for apps/httpd at 10.99.0.2:8080 (make soak): at least
# SOAK_CONNECTIONS (default 100000) connections, each a new TCP connection
# (wrk with "Connection: close"), in rounds; after every round the server
# must still answer, and its heap in use (printed by httpd every 10000
# connections) must not grow from the third report (by then the closed
# connections' 60 s of TIME-WAIT are in steady state) to the last.
. ./client-lib.sh
URL=http://10.99.0.2:8080/index.html
want=${SOAK_CONNECTIONS:-100000}
check listening wait_tcp 10.99.0.2 8080 60
# What dom0 sees of the guest when it stops answering.
diagnose() {
    echo "diagnose: ping"; ping -c 2 -W 2 10.99.0.2 2>&1 | tail -2
    echo "diagnose: neighbours"; ip neigh show 2>&1
    echo "diagnose: sockets"; cat /proc/net/sockstat 2>&1
    echo "diagnose: vif counters"; ip -s link show "vif$GUEST_ID.0" 2>&1
    echo "diagnose: dom0 kernel log"; dmesg | tail -n 15
    echo "diagnose: Xen's view of domain $GUEST_ID (debug keys q, e)"
    xl debug-keys q; xl debug-keys e
    xl dmesg | grep -A6 "VCPU information and callbacks for domain $GUEST_ID:" | head -7
    xl dmesg | grep -A40 "Event channel information for domain $GUEST_ID:" | head -40
}
done_n=0 round=0 errors=0
while [ $done_n -lt $want ]; do
    round=$((round + 1))
    wrk -t 1 -c 8 -d 30 --timeout 10 -H 'Connection: close' "$URL" >/tmp/soak.out 2>&1 || { errors=$((errors + 1)); cat /tmp/soak.out; }
    n=$(sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' /tmp/soak.out)
    done_n=$((done_n + ${n:-0}))
    echo "round $round: ${n:-0} connections ($done_n in all); $(grep -h 'Socket errors\|Requests/sec' /tmp/soak.out | tr -s ' ' | tr '\n' ';')"
    if ! curl -sSf -o /dev/null --max-time 10 "$URL" 2>/tmp/curl.err; then
        echo "round $round: a fresh connection failed ($(cat /tmp/curl.err)); trying twice more"
        curl -sSf -o /dev/null --max-time 10 "$URL" || curl -sSf -o /dev/null --max-time 20 "$URL" ||
            { echo "FAIL the server stopped answering after $done_n connections"; diagnose; exit 1; }
    fi
done
echo "note: $done_n connections in $round rounds"
sleep 2
# "httpd: 10000 connections, heap N bytes, in use M bytes" lines from the
# guest: N is what malloc took from the system (it must not grow).
grep -o 'httpd: [0-9]* connections, heap [0-9]* bytes, in use [0-9]* bytes' "$GUEST_LOG" >/tmp/heap
cat /tmp/heap
first=$(sed -n '3p' /tmp/heap | awk '{print $5}')      # after 30000: steady state
last=$(tail -1 /tmp/heap | awk '{print $5}')
check heap-reports sh -c "[ \$(wc -l </tmp/heap) -ge 4 ] && [ \$(wc -l </tmp/heap) -ge $((want / 10000 - 1)) ]"
check no-memory-growth sh -c "[ -n '$first' ] && [ -n '$last' ] && [ $last -le \$(( $first + $first / 10 + 65536 )) ]"
echo "note: heap ${first:-?} bytes after 30000 connections, ${last:-?} at the end"
check connections sh -c "[ $done_n -ge $want ]"
finish
