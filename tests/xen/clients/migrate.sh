# SPDX-License-Identifier: BSD-2-Clause
# Client for apps/httpd: `xl migrate` to this same host (the receiving xl
# started locally instead of through ssh), MIGRATIONS times in a row
# (default 2; make soak: 20) while a load loop fetches pages; the guest must
# answer after each, and the client's longest gap without an answer is
# noted (the downtime a client sees).
. ./client-lib.sh
IP=10.99.0.2 PORT=8080 MIGRATIONS=${MIGRATIONS:-2}
check listening wait_tcp $IP $PORT 60
rm -f /tmp/mig-stop /tmp/mig-times
(
    while [ ! -f /tmp/mig-stop ]; do
        curl -sf -o /dev/null --max-time 5 http://$IP:$PORT/ && echo $((${EPOCHREALTIME/./} / 1000)) >>/tmp/mig-times
        sleep 0.05
    done
) &
loader=$!
migrate_all() {
    local i
    for i in $(seq "$MIGRATIONS"); do
        timeout 120 xl migrate -s '' "$GUEST" 'xl migrate-receive' >/tmp/mig.out 2>&1 ||
            { echo "migration $i failed:"; tail -n 30 /tmp/mig.out; return 1; }
        wait_tcp $IP $PORT 30 || { echo "no answer after migration $i"; return 1; }
        curl -sf -o /dev/null --max-time 10 http://$IP:$PORT/ ||
            { echo "no page after migration $i"; return 1; }
    done
}
check migrate-$MIGRATIONS-times migrate_all
touch /tmp/mig-stop
wait $loader
# The load loop ran through the migrations: at least one answer per
# migration and one more (the longest gap is noted, not judged: timing).
gap() {
    awk -v want=$((MIGRATIONS + 1)) 'BEGIN { m = 0 } NR > 1 { d = $1 - p; if (d > m) m = d } { p = $1 }
         END { printf "note: %d answers; the longest gap between two was %d ms\n", NR, m
               if (NR < want) { printf "only %d answers during %d migrations\n", NR, want - 1; exit 1 } }' /tmp/mig-times
}
check answers-between gap
# After a migration the console is logged under the incoming domain's
# name (NAME--incoming), which the domain keeps in xenconsoled's log.
resumed() {
    local n
    n=$(cat /var/log/xen/console/guest-"$GUEST"*.log 2>/dev/null | grep -c 'suspend: running again')
    grep -h 'suspend: resumed after' /var/log/xen/console/guest-"$GUEST"*.log 2>/dev/null | sed 's/^/note: /'
    [ "$n" -ge "$MIGRATIONS" ] || { echo "the guest said it was running again $n times"; return 1; }
}
check guest-resumed-each-time resumed
check shutdown-after-migrations timeout 30 xl shutdown -w "$GUEST"
finish
