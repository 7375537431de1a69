# SPDX-License-Identifier: BSD-2-Clause
# make bench, TCP bulk part: 64 MiB from dom0 into the TCP sink on port 9
# of the guest at 10.99.0.2 (our echo's discard port, or the Linux guest's
# socat to /dev/null), three runs. Prints "BENCH tcp_bulk_MBps VALUE" and
# the guest's and dom0's CPU time per MB ("BENCH tcp_bulk_guest_cpu_us_per_MB").
. ./client-lib.sh
wait_tcp 10.99.0.2 9 120 || exit 1
for run in 1 2 3; do
    cpu_mark
    t0=${EPOCHREALTIME/./}
    head -c 67108864 /dev/zero | socat -T 60 -u - TCP:10.99.0.2:9 || exit 1
    t1=${EPOCHREALTIME/./}
    cpu_report tcp_bulk 64 MB
    echo "BENCH tcp_bulk_MBps $(awk -v us=$((t1 - t0)) 'BEGIN { printf "%.2f", 64 * 1048576 / us }')"
done
