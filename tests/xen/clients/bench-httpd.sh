# SPDX-License-Identifier: BSD-2-Clause
# make bench: requests per second of apps/httpd (10.99.0.2:8080) with wrk
# in dom0, three runs of 10 s, 16 connections, keep-alive, one 56-byte
# file. Prints "BENCH httpd_rps VALUE" per run.
. ./client-lib.sh
wait_tcp 10.99.0.2 8080 60 || exit 1
wrk -t 1 -c 16 -d 3 http://10.99.0.2:8080/index.html >/dev/null 2>&1    # warm-up
for run in 1 2 3; do
    wrk -t 1 -c 16 -d 10 --timeout 10 http://10.99.0.2:8080/index.html >/tmp/wrk.out 2>&1 || exit 1
    grep -q 'Socket errors\|Non-2xx' /tmp/wrk.out && { cat /tmp/wrk.out; exit 1; }
    echo "BENCH httpd_rps $(sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' /tmp/wrk.out)"
done
