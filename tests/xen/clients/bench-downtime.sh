# SPDX-License-Identifier: BSD-2-Clause
# make bench, downtime: the longest time a client goes without an answer
# from the guest at 10.99.0.2:8080 (our httpd or the Linux guest's nginx)
# across `xl save` + `xl restore`, then across `xl migrate` to this same
# host (the receiving xl started locally). The client is `xnprobe gaps`:
# one HTTP request after another on new connections, 10 ms apart; it
# starts 2 s before the operation and is stopped 2 s after the guest
# answers again. Run with xl=client (the client owns the guest's life).
# Prints "BENCH downtime_save_restore_ms" and "BENCH downtime_migrate_ms",
# and the toolstack's own times ("BENCH save_restore_total_ms",
# "BENCH migrate_total_ms").
. ./client-lib.sh
IP=10.99.0.2 PORT=8080
wait_tcp $IP $PORT 120 || exit 1
[ -x ./xnprobe ] || { echo "bench-downtime: no xnprobe"; exit 1; }
# measure NAME CMD...: the downtime seen while CMD runs.
measure() {
    local name=$1 p t0 t1 line; shift
    ./xnprobe gaps $IP $PORT 600 >/tmp/gaps.out 2>&1 &
    p=$!
    sleep 2
    t0=${EPOCHREALTIME/./}
    "$@" >/tmp/op.out 2>&1 || { echo "$name: '$*' failed:"; tail -n 5 /tmp/op.out; kill $p; return 1; }
    wait_tcp $IP $PORT 60 || { kill $p; return 1; }
    t1=${EPOCHREALTIME/./}
    sleep 2
    kill -TERM $p; wait $p
    line=$(grep '^GAPS ' /tmp/gaps.out) || { echo "$name: no result from xnprobe:"; cat /tmp/gaps.out; return 1; }
    echo "$name: $line"
    echo "BENCH downtime_${name}_ms $(sed -n 's/.* longest_gap_ms=\([0-9]*\).*/\1/p' <<<"$line")"
    echo "BENCH ${name}_total_ms $(( (t1 - t0) / 1000 ))"
}
save_restore() {
    xl save "$GUEST" /tmp/$GUEST.save && xl restore /tmp/$GUEST.save
    local rc=$?
    rm -f /tmp/$GUEST.save
    return $rc
}
measure save_restore save_restore || exit 1
measure migrate timeout 300 xl migrate -s '' "$GUEST" 'xl migrate-receive' || exit 1
timeout 60 xl shutdown -w "$GUEST" >/dev/null 2>&1 || xl destroy "$GUEST"
exit 0
