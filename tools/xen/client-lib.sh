# SPDX-License-Identifier: BSD-2-Clause
#
# Helpers for client scripts (tools/xen/run.sh client=SCRIPT), which run in
# the harness's dom0 while their guest runs: `. ./client-lib.sh`.
# GUEST, GUEST_ID and GUEST_LOG (the guest's console log) are set.
#
#   check NAME CMD...      run CMD; print "PASS NAME" or "FAIL NAME: ..."
#                          (and CMD's output lines that start with "note: "),
#                          then "time: NAME S s", the seconds CMD took
#   wait_log REGEX SECS    wait until the guest's console matches REGEX;
#                          print the first matching line
#   wait_tcp HOST PORT SECS  wait until HOST:PORT accepts a connection
#   wait_ready_file REGEX FILE  wait (at most 5 s) until FILE, written by
#                          a program started in the background, has a
#                          line matching REGEX
#   killtree PID           kill PID and every process it started
#   cpu_mark               remember the CPU time Xen has accounted to the
#                          guest and to dom0 (./xnprobe cpu)
#   cpu_report NAME N UNIT print "BENCH NAME_guest_cpu_us_per_UNIT V" and
#                          "BENCH NAME_dom0_cpu_us_per_UNIT V": the CPU
#                          time since cpu_mark divided by N (requests, MB)
#   mismatches WANT GOT    print how many lines of file WANT are not the
#                          same line of file GOT (missing ones included),
#                          then the first such line; dom0's diff is
#                          busybox's, whose output is unified only
#   finish                 exit 0 if every check passed, else 1
failures=0

check() {
    local name=$1; shift
    local out rc t0=$EPOCHREALTIME
    out=$("$@" 2>&1); rc=$?
    if [ $rc -eq 0 ]; then
        echo "PASS $name"
        printf '%s\n' "$out" | grep '^note: '
    else
        echo "FAIL $name: status $rc"
        printf '%s\n' "$out" | tail -n 8 | sed 's/^/    /'
        failures=$((failures + 1))
    fi
    awk -v a="$t0" -v b="$EPOCHREALTIME" -v n="$name" 'BEGIN { printf "time: %s %.1f s\n", n, b - a }'
    return $rc
}

wait_log() {
    local re=$1 secs=$2 i
    for i in $(seq $((secs * 10))); do
        if grep -qE -- "$re" "$GUEST_LOG" 2>/dev/null; then
            grep -E -- "$re" "$GUEST_LOG" | head -1
            return 0
        fi
        sleep 0.1
    done
    echo "wait_log: the guest's console did not show '$re' within $secs s" >&2
    return 1
}

wait_ready_file() {
    for _ in $(seq 50); do
        grep -qE -- "$1" "$2" 2>/dev/null && return 0
        sleep 0.1
    done
    echo "wait_ready_file: $2 has no line matching '$1' after 5 s:"
    cat "$2" 2>/dev/null
    return 1
}

wait_tcp() {
    local host=$1 port=$2 secs=$3 i
    for i in $(seq $((secs * 5))); do
        socat -T 1 /dev/null "TCP:$host:$port,connect-timeout=1" 2>/dev/null && return 0
        sleep 0.2
    done
    echo "wait_tcp: $host:$port did not accept a connection within $secs s" >&2
    return 1
}

# Each process is stopped before its children are listed, so none escapes;
# the children come from /proc (dom0's busybox has no pgrep).
killtree() {
    local c
    kill -STOP "$1" 2>/dev/null
    for c in $(awk -v p="$1" '$4 == p { print $1 }' /proc/[0-9]*/stat 2>/dev/null); do
        killtree "$c"
    done
    kill -KILL "$1" 2>/dev/null
}

cpu_now() {     # "GUEST_NS DOM0_NS", or nothing without xnprobe
    [ -x ./xnprobe ] || return 0
    ./xnprobe cpu "$GUEST_ID" 0 2>/dev/null | awk '{ v[NR] = $2 } END { if (NR == 2) print v[1], v[2] }'
}

cpu_mark() {
    CPU_MARK=$(cpu_now)
}

cpu_report() {
    local now
    now=$(cpu_now)
    [ -n "$CPU_MARK" ] && [ -n "$now" ] || return 0
    awk -v a="$CPU_MARK" -v b="$now" -v n="$2" -v name="$1" -v unit="$3" 'BEGIN {
        split(a, x, " "); split(b, y, " ")
        if (n <= 0) exit
        printf "BENCH %s_guest_cpu_us_per_%s %.2f\n", name, unit, (y[1] - x[1]) / 1000 / n
        printf "BENCH %s_dom0_cpu_us_per_%s %.2f\n", name, unit, (y[2] - x[2]) / 1000 / n
    }'
}

finish() {
    [ $failures -eq 0 ]
}

mismatches() {
    awk -v want="$1" 'FILENAME != want { got[FNR] = $0; next }
        !(FNR in got) || got[FNR] != $0 { if (!bad++) first = FNR ": " $0 }
        END { print bad + 0; if (bad) print "first: line " first }' "$2" "$1"
}
