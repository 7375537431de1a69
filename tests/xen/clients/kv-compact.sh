# SPDX-License-Identifier: BSD-2-Clause
# Client for apps/kvstore on a small disk (1 MiB: two log regions of about
# 500 KiB), run with xl=client: overwrite 16 keys with 4 KiB values 400
# times (1.6 MiB of log) in one redis-cli session, so the log is compacted
# several times; then destroy
# the guest, boot it again, and check the last value of every key.
. ./client-lib.sh
IP=10.99.0.2 PORT=6379
check listening wait_tcp $IP $PORT 60
fill() {            # one redis-cli session; each SET is answered before the next
    local i k v pad
    pad=$(head -c 4091 /dev/zero | tr '\0' x)
    : >/tmp/kv-fill
    for i in $(seq 400); do
        k=$((i % 16))
        v=$(printf '%04d-%s' $i "$pad")          # 4096 bytes
        echo "SET key$k $v" >>/tmp/kv-fill
        echo "$v" >"/tmp/last$k"
    done
    n=$(redis-cli -h $IP -p $PORT </tmp/kv-fill | grep -cx OK)
    [ "$n" = 400 ] || { echo "$n of 400 SETs answered OK"; return 1; }
}
check overwrite-1600-KiB fill
check compacted sh -c "redis-cli -h $IP -p $PORT INFO | tr -d '\r' | grep -E '^compactions:([2-9]|[1-9][0-9])'"
echo "note: $(redis-cli -h $IP -p $PORT INFO | tr -d '\r' | grep -E '^(compactions|log_generation|log_bytes):' | tr '\n' ' ')"
reboot_guest() {
    xl destroy "$GUEST" && xl create "/test/$GUEST.xl" >/dev/null 2>&1 || return 1
    for i in $(seq 100); do
        [ "$(grep -c '^kvstore: serving' "$GUEST_LOG")" -ge 2 ] && break
        sleep 0.1
    done
    wait_tcp $IP $PORT 30
}
check destroy-and-reboot reboot_guest
kept() {
    local k
    for k in $(seq 0 15); do
        [ "$(redis-cli -h $IP -p $PORT GET "key$k")" = "$(cat /tmp/last$k)" ] || { echo "key$k differs"; return 1; }
    done
    [ "$(redis-cli -h $IP -p $PORT DBSIZE)" = 16 ]
}
check last-values-after-reboot kept
xl shutdown "$GUEST" >/dev/null 2>&1
finish
