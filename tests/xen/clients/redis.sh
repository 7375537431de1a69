# SPDX-License-Identifier: BSD-2-Clause
# Client for apps/redis (Redis 7 from Debian's source, built unchanged
# through the SDK) at 10.99.0.2:6379. Checks, with Debian's redis-cli and
# redis-benchmark in dom0:
#   - the commands of every data type (strings, lists, hashes, sets,
#     sorted sets, streams, bitmaps, HyperLogLog), EVAL with Redis's
#     embedded Lua, MULTI/EXEC and errors: every reply the same as Debian's
#     own redis-server (same version) gives in dom0 for the same input;
#   - publish/subscribe between two connections;
#   - keys that expire as time passes;
#   - INFO naming the server and the system;
#   - redis-benchmark's whole default suite without an error.
# When it ends, dom0 shuts the guest down with xl shutdown: Redis catches
# SIGTERM and exits cleanly (the guest's log is checked by tests/run.sh).
. ./client-lib.sh
IP=10.99.0.2 PORT=6379 BENCH_N=2000
check listening wait_tcp $IP $PORT 60

# The reference: Debian's redis-server in dom0, on another port.
redis-server --port 6391 --save '' --appendonly no --daemonize yes --logfile /tmp/redis-ref.log \
    --dir /tmp >/dev/null 2>&1
for i in $(seq 50); do redis-cli -p 6391 ping >/dev/null 2>&1 && break; sleep 0.1; done
cat >/tmp/redis.cmds <<'EOC'
PING
ECHO "two words"
SET s1 hello
APPEND s1 " world"
GET s1
STRLEN s1
GETRANGE s1 0 4
SETRANGE s1 6 Redis
GET s1
SET n 10
INCRBY n 5
DECRBY n 3
INCRBYFLOAT n 1.5
INCRBYFLOAT n 2.0e3
GET n
SET f 3.0
INCRBYFLOAT f 0.1
MSET a 1 b 2 c 3
MGET a b c nokey
GETSET a 100
GETDEL b
EXISTS a b c
SETNX c 4
SETEX tmp 100 v
RPUSH list a b c d e
LPUSH list z
LRANGE list 0 -1
LLEN list
LINDEX list 2
LPOP list
RPOP list 2
LINSERT list BEFORE c bb
LREM list 1 bb
LSET list 0 A
LTRIM list 0 1
LRANGE list 0 -1
LPOS list b
RPOPLPUSH list list2
LMOVE list2 list LEFT RIGHT
LRANGE list 0 -1
HSET h f1 v1 f2 v2 f3 3
HGET h f1
HMGET h f1 f2 nofield
HINCRBY h f3 7
HINCRBYFLOAT h f3 0.5
HLEN h
HEXISTS h f2
HDEL h f2
HKEYS h
HVALS h
HGETALL h
HSETNX h f1 x
HSTRLEN h f1
SADD s a b c d
SADD s2 c d e
SCARD s
SISMEMBER s a
SMISMEMBER s a x
SINTERSTORE si s s2
SORT si ALPHA
SUNIONSTORE su s s2
SORT su ALPHA
SDIFFSTORE sd s s2
SORT sd ALPHA
SINTERSTORE s3 s s2
SORT s3 ALPHA
SREM s a
SMOVE s s2 b
SINTERCARD 2 s s2
ZADD z 1 one 2 two 3 three 4.5 four
ZRANGE z 0 -1 WITHSCORES
ZREVRANGE z 0 1
ZRANGEBYSCORE z 2 4
ZSCORE z four
ZINCRBY z 10 one
ZRANK z one
ZCARD z
ZCOUNT z 2 5
ZREM z two
ZPOPMIN z
ZPOPMAX z
ZRANGE z 0 -1 WITHSCORES
ZADD zl 0 a 0 b 0 c 0 d
ZRANGEBYLEX zl [b [c
ZUNIONSTORE zu 2 z zl WEIGHTS 2 1
ZRANGE zu 0 -1 WITHSCORES
XADD st 1-1 name alice age 30
XADD st 2-1 name bob age 25
XADD st 3-1 name carol age 41
XLEN st
XRANGE st - +
XREVRANGE st + - COUNT 1
XREAD COUNT 2 STREAMS st 0-0
XGROUP CREATE st grp 0
XREADGROUP GROUP grp c1 COUNT 2 STREAMS st >
XPENDING st grp
XACK st grp 1-1
XDEL st 2-1
XTRIM st MAXLEN 1
XRANGE st - +
SETBIT bits 7 1
SETBIT bits 100 1
GETBIT bits 7
BITCOUNT bits
BITPOS bits 1
PFADD hll a b c d e f g a b
PFCOUNT hll
EVAL "return 1 + 2" 0
EVAL "return redis.call('GET', KEYS[1])" 1 s1
EVAL "redis.call('SET', KEYS[1], ARGV[1]); return redis.call('INCR', KEYS[1])" 1 luakey 41
EVAL "return {1, 2, {3, 'four'}, cjson.encode({a = 1})}" 0
EVAL "return string.format('%.3f', math.sqrt(2))" 0
EVAL "return redis.sha1hex('xenolith')" 0
SCRIPT LOAD "return ARGV[1] .. '!'"
EVALSHA 440f6a5f74c741f61e25dab0574c05e064e646a8 0 hi
EVAL "return redis.call('NOSUCHCMD')" 0
MULTI
INCR tx
INCR tx
SET txk v
EXEC
GET tx
MULTI
INCR tx
DISCARD
GET tx
WATCH tx
MULTI
INCR tx
EXEC
TYPE list
TYPE h
TYPE z
TYPE st
OBJECT ENCODING h
RENAME a a2
GET a2
COPY a2 a3
GET a3
DBSIZE
SORT list ALPHA
EXPIRE s1 1000
PERSIST s1
TTL s1
GET
WRONGTYPE
LPUSH s1 x
INCR s1
NOSUCHCOMMAND arg
FLUSHALL
DBSIZE
EOC
# A set's members come in an order that depends on the server's random
# hash seed: sets are read through SORT ... ALPHA.
compare() {         # one connection each: every reply, in order
    redis-cli -h 127.0.0.1 -p 6391 </tmp/redis.cmds >/tmp/redis.ref 2>&1
    redis-cli -h $IP -p $PORT </tmp/redis.cmds >/tmp/redis.ours 2>&1
    diff /tmp/redis.ref /tmp/redis.ours || return 1
    echo "note: $(wc -l </tmp/redis.cmds) commands, $(wc -l </tmp/redis.ours) reply lines, the same as redis-server's"
    # And the answers are the expected ones, not the same failure twice:
    # SETRANGE, Lua's arithmetic, library and EVALSHA of a loaded script.
    grep -qx 'hello Redis' /tmp/redis.ours && grep -qx 42 /tmp/redis.ours &&
        grep -qx '1.414' /tmp/redis.ours && grep -qx 'hi!' /tmp/redis.ours
}
check data-types-eval-multi-same-as-redis-server compare

pubsub() {          # a subscriber sees what another connection publishes
    ( timeout 10 redis-cli -h $IP -p $PORT SUBSCRIBE news >/tmp/redis.sub 2>&1 ) &
    local w=$! i n=0
    for i in $(seq 50); do
        grep -qx subscribe /tmp/redis.sub 2>/dev/null && break
        sleep 0.1
    done
    n=$(redis-cli -h $IP -p $PORT PUBLISH news "from dom0")
    sleep 0.5
    killtree $w; wait $w 2>/dev/null
    [ "$n" = 1 ] && grep -qx 'from dom0' /tmp/redis.sub
}
check publish-subscribe pubsub

expiry() {          # keys go away as time passes, not before
    redis-cli -h $IP -p $PORT SET soon v PX 1500 >/dev/null &&
    redis-cli -h $IP -p $PORT SET later v EX 100 >/dev/null &&
    [ "$(redis-cli -h $IP -p $PORT EXISTS soon)" = 1 ] || return 1
    sleep 2.5
    [ "$(redis-cli -h $IP -p $PORT EXISTS soon)" = 0 ] && [ "$(redis-cli -h $IP -p $PORT EXISTS later)" = 1 ] &&
    [ "$(redis-cli -h $IP -p $PORT TTL later)" -le 98 ]
}
check expire-with-time-passing expiry

info() {
    redis-cli -h $IP -p $PORT INFO >/tmp/redis.info || return 1
    tr -d '\r' </tmp/redis.info | grep -E '^(redis_version|os|process_id|tcp_port|used_memory_human|connected_clients):' |
        sed 's/^/note: INFO /'
    tr -d '\r' </tmp/redis.info | grep -qx 'redis_version:7.0.15' &&
    tr -d '\r' </tmp/redis.info | grep -q '^os:Xenolith .* x86_64$'
}
check info info

bench() {           # the default suite (every test), fewer requests than its 100,000
    redis-benchmark -h $IP -p $PORT -n $BENCH_N -q >/tmp/redis.bench 2>&1 || return 1
    tr '\r' '\n' </tmp/redis.bench | grep -E '^[A-Z_]+.*requests per second' | sed 's/^/note: /'
    local tests
    tests=$(tr '\r' '\n' </tmp/redis.bench | grep -c 'requests per second')
    ! tr '\r' '\n' </tmp/redis.bench | grep -qiE 'error|err |refused|reset' && [ "$tests" -ge 15 ]
}
check redis-benchmark-default-suite bench
redis-cli -p 6391 shutdown nosave >/dev/null 2>&1
finish
