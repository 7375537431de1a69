# SPDX-License-Identifier: BSD-2-Clause
# The kvstore on-disk format against a fixed reference. A guest named
# *-make (tools/xen/make-kv-golden.sh, run with xl=client on a blank 1 MiB
# disk) writes the data set below, shuts down cleanly and prints its disk,
# gzipped and base64-encoded, between GOLDEN-BEGIN and GOLDEN-END: that is
# tests/xen/kv-golden.img.gz, made by an earlier build. Any other guest
# boots the current kvstore on a copy of that disk, and every key must
# replay as written.
. ./client-lib.sh
IP=10.99.0.2 PORT=6379
cli() { redis-cli -h $IP -p $PORT "$@"; }
check listening wait_tcp $IP $PORT 60

big=$(head -c 5000 /dev/zero | tr '\0' x)       # across a block boundary
write_set() {
    cli SET pre1 before-flushall >/dev/null &&
    [ "$(cli FLUSHALL)" = OK ] &&
    [ "$(cli SET s1 hello)" = OK ] &&
    [ "$(cli SET s2 'two words')" = OK ] &&
    [ "$(cli SET big "$big")" = OK ] &&
    [ "$(cli SET over first)" = OK ] && [ "$(cli SET over second)" = OK ] &&
    [ "$(cli SET gone x)" = OK ] && [ "$(cli DEL gone)" = 1 ] &&
    [ "$(cli SET ttl v EX 1000000000)" = OK ] &&
    cli INCR counter >/dev/null && cli INCR counter >/dev/null && [ "$(cli INCR counter)" = 3 ] &&
    [ "$(cli MSET m1 a m2 b)" = OK ]
}
verify_set() {
    local want got
    for want in "s1=hello" "s2=two words" "big=$big" "over=second" "counter=3" "m1=a" "m2=b" "ttl=v"; do
        got=$(cli GET "${want%%=*}")
        [ "$got" = "${want#*=}" ] || { echo "GET ${want%%=*}: '${got:0:40}', expected '${want#*=}'" | cut -c1-120; return 1; }
    done
    [ "$(cli EXISTS gone)" = 0 ] || { echo "a deleted key came back"; return 1; }
    [ "$(cli EXISTS pre1)" = 0 ] || { echo "a key from before FLUSHALL came back"; return 1; }
    local ttl; ttl=$(cli TTL ttl)
    [ "$ttl" -gt 900000000 ] 2>/dev/null || { echo "TTL ttl: '$ttl'"; return 1; }
    [ "$(cli DBSIZE)" = 8 ] || { echo "DBSIZE $(cli DBSIZE), expected 8"; return 1; }
}
case $GUEST in
*-make)
    check write-data-set write_set
    check read-data-set verify_set
    xl shutdown -w "$GUEST" >/dev/null 2>&1
    echo GOLDEN-BEGIN
    gzip -9c "/test/$GUEST.img" | base64
    echo GOLDEN-END ;;
*)
    check golden-disk-replayed verify_set ;;
esac
finish
