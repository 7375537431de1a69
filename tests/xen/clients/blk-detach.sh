# SPDX-License-Identifier: BSD-2-Clause
# Client for apps/kvstore whose disk is hot-unplugged under it
# (`xl block-detach`): blkback goes Closing, the guest must disconnect the
# disk (failing what was pending, never hanging), keep serving what it
# holds, refuse new changes, and still shut down cleanly afterwards (the
# harness's xl shutdown when this client ends).
. ./client-lib.sh
IP=10.99.0.2 PORT=6379
check listening wait_tcp $IP $PORT 60
acked() {
    local i
    for i in $(seq 20); do echo "SET key$i value$i"; done | redis-cli -h $IP -p $PORT | grep -cx OK | grep -qx 20
}
check twenty-sets-acknowledged acked
check detach xl block-detach "$GUEST" xvda
check guest-saw-detach wait_log 'blkfront xvda: disconnecting \(the backend is (Closing|Closed|gone)\)' 20
still_reads() {
    local i
    for i in 1 10 20; do
        [ "$(redis-cli -h $IP -p $PORT GET "key$i")" = "value$i" ] || { echo "key$i lost"; return 1; }
    done
}
check acknowledged-still-served still_reads
refused() {
    local out
    out=$(redis-cli -h $IP -p $PORT SET after detach 2>&1)
    case $out in OK) echo "a change was acknowledged with no disk"; return 1 ;; esac
    echo "note: SET after the detach: ${out:-connection closed}"
}
check change-refused refused
check ping-after redis-cli -h $IP -p $PORT PING
finish
