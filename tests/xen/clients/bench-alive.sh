# SPDX-License-Identifier: BSD-2-Clause
# make bench, memory search: does the guest at 10.99.0.2 answer one HTTP
# request within 60 s? Prints "BENCH alive 1" if so.
. ./client-lib.sh
for i in $(seq 60); do
    if curl -sf -o /dev/null --connect-timeout 1 --max-time 3 http://10.99.0.2:8080/index.html; then
        echo "BENCH alive 1"
        exit 0
    fi
    sleep 1
done
exit 1
