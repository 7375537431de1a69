# SPDX-License-Identifier: BSD-2-Clause
# make bench, Redis part: redis-benchmark from dom0 against Redis 7 at
# 10.99.0.2:6379 (apps/redis on Xenolith, or Debian's redis-server in the
# Linux guest: the same version, both without persistence):
# -t set,get,lpush,lpop,incr -n 3000 -c 16, one request at a time and
# pipelined 16 deep (-P 16), three runs. Prints "BENCH redis_<test>_rps"
# and "BENCH redis_<test>_p16_rps" lines, and the guest's and dom0's CPU
# time per request over the five tests ("BENCH redis_guest_cpu_us_per_req",
# "BENCH redis_p16_guest_cpu_us_per_req", ...).
. ./client-lib.sh
wait_tcp 10.99.0.2 6379 120 || exit 1
for run in 1 2 3; do
    for depth in 1 16; do
        cpu_mark
        redis-benchmark -h 10.99.0.2 -p 6379 -t set,get,lpush,lpop,incr -n 3000 -c 16 -P $depth -q \
            >/tmp/rb.out 2>&1 || exit 1
        tr '\r' '\n' </tmp/rb.out | grep -qi 'error' && { cat /tmp/rb.out; exit 1; }
        suffix=; [ $depth = 16 ] && suffix=_p16
        cpu_report redis$suffix 15000 req
        for t in SET GET LPUSH LPOP INCR; do
            v=$(tr '\r' '\n' </tmp/rb.out | sed -n "s/^$t: \([0-9.]*\) requests per second.*/\1/p" | tail -1)
            echo "BENCH redis_$(echo $t | tr A-Z a-z)${suffix}_rps $v"
        done
    done
done
