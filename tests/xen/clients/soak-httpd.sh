# SPDX-License-Identifier: BSD-2-Clause
# Soak client for apps/httpd at 10.99.0.2:8080 (make soak): at least
# SOAK_CONNECTIONS (default 100000) connections, each a new TCP connection
# (wrk with "Connection: close"), in rounds; after every round the server
# must still answer, and its heap in use (printed by httpd every 10000
# connections) must not grow from the first report after warm-up to the
# last.
. ./client-lib.sh
URL=http://10.99.0.2:8080/index.html
want=${SOAK_CONNECTIONS:-100000}
check listening wait_tcp 10.99.0.2 8080 60
done_n=0 round=0 errors=0
while [ $done_n -lt $want ]; do
    round=$((round + 1))
    wrk -t 1 -c 8 -d 30 --timeout 10 -H 'Connection: close' "$URL" >/tmp/soak.out 2>&1 || { errors=$((errors + 1)); cat /tmp/soak.out; }
    n=$(sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' /tmp/soak.out)
    done_n=$((done_n + ${n:-0}))
    echo "round $round: ${n:-0} connections ($done_n in all); $(grep -h 'Socket errors\|Requests/sec' /tmp/soak.out | tr -s ' ' | tr '\n' ';')"
    curl -sf -o /dev/null --max-time 10 "$URL" || { echo "FAIL the server stopped answering after $done_n connections"; exit 1; }
done
echo "note: $done_n connections in $round rounds"
sleep 2
# "httpd: 10000 connections, heap in use N bytes" lines from the guest.
grep -o 'httpd: [0-9]* connections, heap in use [0-9]* bytes' "$GUEST_LOG" >/tmp/heap
cat /tmp/heap
first=$(sed -n '2p' /tmp/heap | awk '{print $7}')      # after 20000: warmed up
last=$(tail -1 /tmp/heap | awk '{print $7}')
check heap-reports sh -c "[ \$(wc -l </tmp/heap) -ge $((want / 10000 - 1)) ]"
check no-memory-growth sh -c "[ -n '$first' ] && [ -n '$last' ] && [ $last -le \$(( $first + $first / 10 + 65536 )) ]"
echo "note: heap in use ${first:-?} bytes after 20000 connections, ${last:-?} at the end"
check connections sh -c "[ $done_n -ge $want ]"
finish
