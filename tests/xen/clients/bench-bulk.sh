# SPDX-License-Identifier: BSD-2-Clause
# make bench: TCP bulk throughput from dom0 into apps/echo's discard port
# (10.99.0.2:9): three runs of 64 MiB with socat. Prints
# "BENCH tcp_bulk_MBps VALUE" per run.
. ./client-lib.sh
wait_tcp 10.99.0.2 9 60 || exit 1
for run in 1 2 3; do
    t0=${EPOCHREALTIME/./}
    head -c 67108864 /dev/zero | socat -T 60 - TCP:10.99.0.2:9 || exit 1
    t1=${EPOCHREALTIME/./}
    echo "BENCH tcp_bulk_MBps $(awk -v us=$((t1 - t0)) 'BEGIN { printf "%.2f", 64 * 1048576 / us }')"
done
