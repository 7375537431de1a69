# SPDX-License-Identifier: BSD-2-Clause
# make bench, key-value part: redis-benchmark from dom0 against the guest
# at 10.99.0.2:6379 (our kvstore, or the Linux guest's redis-server):
# -t set,get -n 5000 -c 16 -d 16, three runs. Prints "BENCH kv_set_rps"
# and "BENCH kv_get_rps" lines.
. ./client-lib.sh
wait_tcp 10.99.0.2 6379 120 || exit 1
for run in 1 2 3; do
    redis-benchmark -h 10.99.0.2 -p 6379 -t set,get -n 5000 -c 16 -d 16 -q >/tmp/rb.out 2>&1 || exit 1
    tr '\r' '\n' </tmp/rb.out | grep -qi 'error' && { cat /tmp/rb.out; exit 1; }
    echo "BENCH kv_set_rps $(tr '\r' '\n' </tmp/rb.out | sed -n 's/^SET: \([0-9.]*\) requests per second.*/\1/p' | tail -1)"
    echo "BENCH kv_get_rps $(tr '\r' '\n' </tmp/rb.out | sed -n 's/^GET: \([0-9.]*\) requests per second.*/\1/p' | tail -1)"
done
