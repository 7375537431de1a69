# SPDX-License-Identifier: BSD-2-Clause
# Client for apps/kvstore across `xl save` and `xl restore` under a stream
# of writes (run with xl=client): every write acknowledged before, during
# or after must be there once the guest runs again.
. ./client-lib.sh
IP=10.99.0.2 PORT=6379
check listening wait_tcp $IP $PORT 60
rm -f /tmp/kvs-stop /tmp/kvs-acked
# Fifty acknowledged before the save, whatever the stream below manages.
before() {
    local i
    for i in $(seq 50); do echo "SET pre$i vpre$i"; done | redis-cli -h $IP -p $PORT | grep -cx OK | grep -qx 50 ||
        { echo "not every SET was acknowledged"; return 1; }
    for i in $(seq 50); do echo "pre$i"; done >/tmp/kvs-acked
}
check fifty-acknowledged-before before
(
    i=0
    while [ ! -f /tmp/kvs-stop ]; do
        i=$((i + 1))
        r=$(timeout 5 redis-cli -h $IP -p $PORT SET "k$i" "vk$i" 2>/dev/null)
        [ "$r" = OK ] && echo "k$i" >>/tmp/kvs-acked
        sleep 0.05
    done
) &
writer=$!
sleep 2
check save xl save "$GUEST" /tmp/$GUEST.save
check restore xl restore /tmp/$GUEST.save
check guest-resumed wait_log 'suspend: resumed after' 30
check listening-after wait_tcp $IP $PORT 30
sleep 2
touch /tmp/kvs-stop
wait $writer
acked_present() {    # one GET per acknowledged key, all in one session
    local n missing
    n=$(wc -l </tmp/kvs-acked)
    sed 's/^/GET /' /tmp/kvs-acked | timeout 60 redis-cli -h $IP -p $PORT >/tmp/kvs-got 2>&1
    sed 's/^/v/' /tmp/kvs-acked >/tmp/kvs-want
    missing=$(mismatches /tmp/kvs-want /tmp/kvs-got)
    [ "$(head -n 1 <<<"$missing")" = 0 ] ||
        { echo "$(head -n 1 <<<"$missing") acknowledged writes are not there ($(tail -n 1 <<<"$missing"))"; return 1; }
    [ $n -ge 50 ] || { echo "only $n writes were recorded as acknowledged"; return 1; }
    echo "note: $n acknowledged writes, all present after the restore"
}
check every-acknowledged-write-present acked_present
rm -f /tmp/$GUEST.save /tmp/kvs-stop /tmp/kvs-acked
# xl shutdown reaches the restored guest (its control watch was registered again).
check shutdown-after-restore timeout 30 xl shutdown -w "$GUEST"
finish
