# SPDX-License-Identifier: BSD-2-Clause
# Client for apps/httpd with no site (no boot module, no disk), run in
# dom0 by the harness: / answers 200 with the built-in page, which says
# how to serve one's own files; other paths are 404. The guest also runs
# with make bench's first-answer prober (probe=10.99.0.2:8080) and the
# client reads Xen's CPU accounting (xnprobe cpu): both are checked here.
. ./client-lib.sh
URL=http://10.99.0.2:8080
check listening wait_tcp 10.99.0.2 8080 30
builtin() {
    [ "$(curl -s -o /tmp/page -w '%{http_code}' "$URL/")" = 200 ] || { echo "GET / did not answer 200"; return 1; }
    grep -q 'Xenolith httpd is running' /tmp/page && grep -q 'make run APP=httpd MODULE=site.tar' /tmp/page ||
        { echo "GET / is not the built-in page:"; head -5 /tmp/page; return 1; }
}
check builtin-page builtin
check status-404 sh -c "[ \"\$(curl -s -o /dev/null -w '%{http_code}' $URL/other)\" = 404 ]"
# The prober: an HTTP answer, and its timeline in order (the backend
# Connected, then the guest's first frame, SYN-ACK, first byte).
prober() {
    local line
    for _ in $(seq 100); do grep -q '^FIRST ' "$PROBE_OUT" 2>/dev/null && break; sleep 0.1; done
    line=$(grep '^FIRST ' "$PROBE_OUT") || { echo "no FIRST line from the prober:"; cat "$PROBE_OUT"; return 1; }
    echo "note: $line"
    awk -v u="$UNPAUSE_BEGIN" '{ for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } }
        END { if (v["status"] != "ok") { print "status " v["status"]; exit 1 }
              if (!(u > 0 && u <= v["backend"] && v["backend"] <= v["frame"] && v["frame"] <= v["synack"] && v["synack"] <= v["byte"])) {
                  print "timeline out of order"; exit 1 } }' <<<"$line"
}
check first-answer-prober prober
# Xen's CPU accounting: the guest's time grows while it answers.
cpu_grows() {
    local a b
    a=$(cpu_now) || return 1
    [ -n "$a" ] || { echo "xnprobe cpu printed nothing"; return 1; }
    for _ in 1 2 3 4 5 6 7 8 9 10; do curl -s -o /dev/null "$URL/"; done
    b=$(cpu_now)
    echo "note: cpu (guest dom0, ns) before: $a after: $b"
    awk -v a="$a" -v b="$b" 'BEGIN { split(a, x, " "); split(b, y, " "); exit !(y[1] > x[1] && y[2] > x[2]) }'
}
check cpu-accounting cpu_grows
finish
