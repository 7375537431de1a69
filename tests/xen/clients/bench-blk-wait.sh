# SPDX-License-Identifier: BSD-2-Clause
# make bench, the Linux guest's block benchmark: its /init runs fio on the
# guest's disk and prints "BENCH" lines on the console; wait for its last
# line (the harness then shuts the guest down).
. ./client-lib.sh
wait_log '^linux-guest: block benchmark by ' 400 || exit 1
