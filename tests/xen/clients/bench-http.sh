# SPDX-License-Identifier: BSD-2-Clause
# make bench, HTTP throughput against the guest at 10.99.0.2:8080 (our
# httpd or the Linux guest's nginx): wrk -t1 -c16 keep-alive for 10 s,
# three runs after a 3 s warm-up, no socket errors or non-2xx answers
# allowed. Prints "BENCH http_rps VALUE" lines. tools/bench.sh runs it
# after bench-first.sh.
. ./client-lib.sh
IP=10.99.0.2
wait_tcp $IP 8080 120 || exit 1
wrk -t 1 -c 16 -d 3 "http://$IP:8080/index.html" >/dev/null 2>&1
for run in 1 2 3; do
    wrk -t 1 -c 16 -d 10 --timeout 10 "http://$IP:8080/index.html" >/tmp/wrk.out 2>&1 || exit 1
    grep -q 'Socket errors\|Non-2xx' /tmp/wrk.out && { cat /tmp/wrk.out; exit 1; }
    echo "BENCH http_rps $(sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' /tmp/wrk.out)"
done
