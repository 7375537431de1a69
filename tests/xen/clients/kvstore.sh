# SPDX-License-Identifier: BSD-2-Clause
# Client for apps/kvstore at 10.99.0.2:6379 (run with xl=client: this
# script owns the guest's life and restarts it). Checks, with real clients
# in dom0:
#   - redis-cli for every command, with the replies compared against a
#     real redis-server (Debian's) given the same command sequence;
#   - pipelined requests, and Redis-style errors for the size limits;
#   - redis-benchmark without errors;
#   - durability: TRIALS times (default 20), write keys and `xl destroy`
#     the guest at a random moment, boot it again on the same disk, and
#     check that every acknowledged key is there with its value.
. ./client-lib.sh
IP=10.99.0.2 PORT=6379 TRIALS=${KV_TRIALS:-20}
# FRESH=1 (make soak, whose 1,000 trials would not fit in memory): each
# trial starts from an empty store (FLUSHALL), and the last check covers
# the last trial's keys.
FRESH=${KV_FRESH:-0}
check listening wait_tcp $IP $PORT 60

# The reference: a real redis-server in dom0, on another port.
redis-server --port 6390 --save '' --appendonly no --daemonize yes --logfile /tmp/redis.log \
    --dir /tmp >/dev/null 2>&1
for i in $(seq 50); do redis-cli -p 6390 ping >/dev/null 2>&1 && break; sleep 0.1; done
cat >/tmp/kv.cmds <<'EOC'
PING
PING hello
ECHO "two words"
SET k1 v1
GET k1
GET nokey
SET k1 v2 XX
GET k1
SET k1 v3 NX
SET k2 v2 NX
SET k3 v3 XX
SET counter 10
INCR counter
DECR counter
DECR counter
INCR k1
INCR newcounter
SET big 9223372036854775807
INCR big
MSET m1 a m2 b m3 c
MGET m1 m2 nokey m3
EXISTS m1 m2 nokey m1
DEL m1 nokey m2
EXISTS m1 m2 m3
SET temp x EX 100
TTL temp
TTL k1
TTL nokey
EXPIRE k2 1000
TTL k2
EXPIRE nokey 10
EXPIRE k2 -1
GET k2
SET px y PX 100000
TTL px
SET bad v EX 0
SET bad v EX notanumber
SET bad v FOO
KEYS m*
KEYS *counter*
KEYS nothing*
DBSIZE
GET
SET onlykey
NOSUCHCOMMAND arg1 arg2
FLUSHALL
DBSIZE
GET k1
EOC
run_all() {         # PORT: kv.cmds in one redis-cli session, each reply after an "== line" marker
    # The markers are ECHO commands; KEYS answers in no particular order,
    # so its reply lines are sorted.
    awk '{ print "ECHO \047== " $0 "\047"; print }' /tmp/kv.cmds |
        redis-cli -h "$1" -p "$2" 2>&1 |
        awk '/^== / { fflush(); close("sort"); keys = /^== KEYS/; print; next }
             keys { print | "sort"; next } { print }
             END { fflush(); close("sort") }'
}
# TTLs may differ by a second between the two servers.
normalise() { sed -E 's/^(9[0-9]|100)$/TTL~100/; s/^(99[0-9]|1000)$/TTL~1000/; s/^(9999[0-9]|100000)$/TTL~100000/'; }
compare() {         # every command's reply, in order, as redis-server gives it
    run_all 127.0.0.1 6390 | normalise >/tmp/kv.redis
    run_all $IP $PORT | normalise >/tmp/kv.ours
    diff /tmp/kv.redis /tmp/kv.ours || return 1
    # And the answers are the expected ones, not the same failure twice.
    grep -qx 'two words' /tmp/kv.ours && grep -qx 9 /tmp/kv.ours && grep -qx 'TTL~1000' /tmp/kv.ours ||
        { echo "replies lack expected values"; return 1; }
    echo "note: $(wc -l </tmp/kv.cmds) commands, $(grep -vc '^== ' /tmp/kv.ours) reply lines, the same as redis-server's"
}
check same-replies-as-redis-server compare
pipelined() {       # three requests in one write, answered in order
    printf 'SET p1 one\r\nGET p1\r\n*2\r\n$3\r\nGET\r\n$2\r\np1\r\n' | socat -t 3 - TCP:$IP:$PORT >/tmp/kv.pipe
    [ "$(tr -d '\r' </tmp/kv.pipe | tr '\n' '|')" = "+OK|\$3|one|\$3|one|" ]
}
check pipelining pipelined
limits() {          # the guest runs with app.max_key=1024 app.max_value=65536
    redis-cli -h $IP -p $PORT SET "$(head -c 2000 /dev/zero | tr '\0' k)" v | grep -q 'key too large' &&
    head -c 70000 /dev/zero | tr '\0' v >/tmp/bigval &&
    redis-cli -h $IP -p $PORT -x SET bigval </tmp/bigval | grep -q 'value too large' &&
    [ "$(redis-cli -h $IP -p $PORT PING)" = PONG ]
}
check size-limits limits
bench() {
    redis-benchmark -h $IP -p $PORT -n 1000 -c 8 -t set,get,incr,mset -q >/tmp/kv.bench 2>&1 || return 1
    cat /tmp/kv.bench | tr '\r' '\n' | grep -v '^$' | tail -n 6
    ! grep -qi 'error\|err ' /tmp/kv.bench && grep -q 'SET: ' /tmp/kv.bench && grep -q 'GET: ' /tmp/kv.bench
}
check redis-benchmark bench

# Durability: acknowledged writes survive xl destroy at a random moment.
# Each trial streams 10,000 SETs over about 3 s on one connection (socat records
# the replies as they arrive, in order, so the first N "+OK" replies mean
# keys 1..N were acknowledged), destroys the guest 0.3-2.0 s in, boots it
# again and reads every acknowledged key back in one pipelined session.
# (dom0 runs this client for the PVH and the PV guest: start afresh.)
rm -f /tmp/all-acked /tmp/trial-counts
MIN_ACKED=50
boots=1
sets() {            # TRIAL N: N SET commands in RESP, 100 every 20 ms or so
    awk -v t="$1" -v n="$2" 'BEGIN { for (i = 1; i <= n; i++) { k = "t" t "k" i; v = "t" t "v" i
        printf "*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n", length(k), k, length(v), v
        if (i % 100 == 0) { fflush(); system("sleep 0.02") } } }'
}
# Read back keys: lines "TRIAL N" on stdin; prints how many are missing or
# wrong, after one pipelined session of GETs (ended by QUIT).
readback() {
    cat >/tmp/kv-list
    awk '{ for (i = 1; i <= $2; i++) { k = "t" $1 "k" i
        printf "*2\r\n$3\r\nGET\r\n$%d\r\n%s\r\n", length(k), k } }
        END { printf "*1\r\n$4\r\nQUIT\r\n" }' /tmp/kv-list >/tmp/kv-get
    awk '{ for (i = 1; i <= $2; i++) print "t" $1 "v" i }' /tmp/kv-list >/tmp/kv-want
    # The values, one per key; a missing key's nil ($-1) stays in its place.
    socat -t 30 -T 60 - "TCP:$IP:$PORT" </tmp/kv-get | tr -d '\r' | grep -Ev '^\+|^\$[0-9]' >/tmp/kv-got
    mismatches /tmp/kv-want /tmp/kv-got | head -n 1
}
trial() {
    local t=$1 k n lost
    if [ "$FRESH" = 1 ]; then
        [ "$(redis-cli -h $IP -p $PORT FLUSHALL)" = OK ] || { echo "trial $t: FLUSHALL failed"; return 1; }
        : >/tmp/all-acked
    fi
    ( sets "$t" 10000 | socat -t 30 - "TCP:$IP:$PORT" >/tmp/kv-replies 2>/dev/null ) &
    local w=$!
    sleep "$(( RANDOM % 2 )).$(( RANDOM % 7 + 3 ))$(( RANDOM % 10 ))"
    xl destroy "$GUEST"
    killtree $w; wait $w 2>/dev/null
    # Replies come in order: the leading "+OK"s are the acknowledged SETs.
    n=$(tr -d '\r' </tmp/kv-replies | awk '$0 != "+OK" { exit } { n++ } END { print n + 0 }')
    if tr -d '\r' </tmp/kv-replies | grep -qv '^+OK$'; then
        echo "trial $t: a SET was answered with: $(tr -d '\r' </tmp/kv-replies | grep -v '^+OK$' | head -1)"
        return 1
    fi
    # A trial whose destroy came before any write was acknowledged tests
    # nothing; it fails rather than passing empty.
    if [ "$n" -lt "$MIN_ACKED" ]; then
        echo "trial $t: only $n writes acknowledged before the destroy (at least $MIN_ACKED needed for a trial)"
        return 1
    fi
    echo "$t $n" >>/tmp/all-acked
    echo "$n" >>/tmp/trial-counts
    xl create "/test/$GUEST.xl" >/dev/null 2>&1 || { echo "trial $t: the guest did not start again"; return 1; }
    boots=$((boots + 1))
    for k in $(seq 100); do
        [ "$(grep -c '^kvstore: serving' "$GUEST_LOG")" -ge $boots ] && break
        sleep 0.1
    done
    wait_tcp $IP $PORT 30 || return 1
    lost=$(echo "$t $n" | readback)
    echo "trial $t: $n acknowledged writes, $lost lost"
    [ "$lost" = 0 ]
}
survive() {
    local t ok=0
    for t in $(seq $TRIALS); do
        trial $t && ok=$((ok + 1))
    done
    echo "note: durability: $ok of $TRIALS destroy-and-reboot trials kept every acknowledged write"
    echo "note: acknowledged writes per trial: $(tr '\n' ' ' </tmp/trial-counts)"
    [ $ok = $TRIALS ]
}
check acknowledged-writes-survive-destroy survive
# After all the reboots, every key acknowledged in any trial is still there.
all_kept() {
    local lost total
    total=$(awk '{ s += $2 } END { print s + 0 }' /tmp/all-acked)
    lost=$(readback </tmp/all-acked)
    [ "$lost" = 0 ] || { echo "$lost of $total acknowledged keys lost or wrong"; return 1; }
    [ "$total" -gt 0 ] || { echo "no write was acknowledged in any trial"; return 1; }
    echo "note: $total acknowledged keys from all trials present after $(grep -c '^kvstore: serving' "$GUEST_LOG") boots"
}
check all-trials-kept all_kept
xl shutdown "$GUEST" >/dev/null 2>&1
finish
