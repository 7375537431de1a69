# SPDX-License-Identifier: BSD-2-Clause
# make bench, key-value part: redis-benchmark from dom0 against the guest
# at 10.99.0.2:6379 (our kvstore, or the Linux guest's redis-server):
# -t set,get -n 5000 -c 16 -d 16, three runs, then a server-bound variant
# -n 20000 -c 50 -P 16, three runs. Around each run the CPU time Xen
# accounted to the guest and to dom0 is sampled (per request over SET and
# GET together). Prints "BENCH kv_set_rps", "BENCH kv_get_rps",
# "BENCH kv_guest_cpu_us_per_req", "BENCH kv_dom0_cpu_us_per_req" and the
# same with kv_p16_ (kv_p16_set_rps ...).
. ./client-lib.sh
wait_tcp 10.99.0.2 6379 120 || exit 1
for variant in plain p16; do
    if [ $variant = plain ]; then name=kv n=5000 opts="-c 16"; else name=kv_p16 n=20000 opts="-c 50 -P 16"; fi
    for run in 1 2 3; do
        cpu_mark
        redis-benchmark -h 10.99.0.2 -p 6379 -t set,get -n $n $opts -d 16 -q >/tmp/rb.out 2>&1 || exit 1
        cpu_report $name $((2 * n)) req
        tr '\r' '\n' </tmp/rb.out | grep -qi 'error' && { cat /tmp/rb.out; exit 1; }
        echo "BENCH ${name}_set_rps $(tr '\r' '\n' </tmp/rb.out | sed -n 's/^SET: \([0-9.]*\) requests per second.*/\1/p' | tail -1)"
        echo "BENCH ${name}_get_rps $(tr '\r' '\n' </tmp/rb.out | sed -n 's/^GET: \([0-9.]*\) requests per second.*/\1/p' | tail -1)"
    done
done
