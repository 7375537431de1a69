# SPDX-License-Identifier: BSD-2-Clause
# make bench, memory search for the KV store: does the guest at
# 10.99.0.2:6379 store and return a key within 60 s? Prints "BENCH alive 1"
# if so.
. ./client-lib.sh
for i in $(seq 60); do
    if [ "$(redis-cli -h 10.99.0.2 -p 6379 SET alive yes 2>/dev/null)" = OK ] &&
       [ "$(redis-cli -h 10.99.0.2 -p 6379 GET alive 2>/dev/null)" = yes ]; then
        echo "BENCH alive 1"
        exit 0
    fi
    sleep 1
done
exit 1
