# SPDX-License-Identifier: BSD-2-Clause
# make bench, HTTP throughput against the guest at 10.99.0.2:8080 (our
# httpd or the Linux guest's nginx): wrk -t1 keep-alive for 10 s, three
# runs with 16 connections after a 3 s warm-up, then three with 64 (more
# work queued at the server, so the server's limit shows), no socket
# errors or non-2xx answers allowed. Around each run the CPU time Xen
# accounted to the guest and to dom0 is sampled (xnprobe cpu). Prints
# "BENCH http_rps", "BENCH http_guest_cpu_us_per_req",
# "BENCH http_dom0_cpu_us_per_req" and the same with http_c64_.
# tools/bench.sh runs it after bench-first.sh.
. ./client-lib.sh
IP=10.99.0.2
wait_tcp $IP 8080 120 || exit 1
wrk -t 1 -c 16 -d 3 "http://$IP:8080/index.html" >/dev/null 2>&1
for conns in 16 64; do
    name=http; [ $conns = 64 ] && name=http_c64
    for run in 1 2 3; do
        cpu_mark
        wrk -t 1 -c $conns -d 10 --timeout 10 "http://$IP:8080/index.html" >/tmp/wrk.out 2>&1 || exit 1
        grep -q 'Socket errors\|Non-2xx' /tmp/wrk.out && { cat /tmp/wrk.out; exit 1; }
        cpu_report $name "$(sed -n 's/^ *\([0-9]*\) requests in .*/\1/p' /tmp/wrk.out)" req
        echo "BENCH ${name}_rps $(sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' /tmp/wrk.out)"
    done
done
