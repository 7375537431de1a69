# SPDX-License-Identifier: BSD-2-Clause
# Client for apps/echo at 10.99.0.2 and fd00:99::2 (static addresses), run
# in dom0 by the harness: ping and ping6, TCP and UDP echo of random data
# over IPv4 and IPv6 checked byte for byte, and a bulk transfer to the
# discard port (large GSO packets from netback).
. ./client-lib.sh
IP=10.99.0.2 IP6=fd00:99::2

wait_log 'echo: TCP and UDP echo on port 7' 30 >/dev/null
check ping ping -c 3 -W 5 $IP
check ping6 ping -6 -c 3 -W 5 $IP6

head -c 1048576 /dev/urandom >/tmp/echo-in
tcp_echo() {        # ADDRESS: 1 MiB through the echo port, compared
    socat -t 20 -T 30 - "$1" </tmp/echo-in >/tmp/echo-out && cmp /tmp/echo-in /tmp/echo-out
}
check tcp-echo-ipv4 tcp_echo TCP:$IP:7
check tcp-echo-ipv6 tcp_echo "TCP6:[$IP6]:7"

udp_echo() {        # ADDRESS: datagrams of random sizes, each echoed
    local i n
    for i in $(seq 5); do
        n=$(( (RANDOM % 1400) + 1 ))
        head -c $n /dev/urandom >/tmp/udp-in
        # socat waits -t seconds for the answer after sending: 0.3 s, and
        # if that was not enough (dom0 busy), once more with 2 s.
        { socat -t 0.3 -T 3 - "$1" </tmp/udp-in >/tmp/udp-out && cmp -s /tmp/udp-in /tmp/udp-out; } ||
            { socat -t 2 -T 3 - "$1" </tmp/udp-in >/tmp/udp-out || return 1
              cmp /tmp/udp-in /tmp/udp-out || return 1
              echo "note: $1: a datagram of $n bytes was echoed only after more than 0.3 s"; }
    done
}
check udp-echo-ipv4 udp_echo UDP:$IP:7
check udp-echo-ipv6 udp_echo "UDP6:[$IP6]:7"

bulk() {            # 16 MiB into the discard port; prints the rate
    local t0 t1
    rm -f /tmp/discard-line
    t0=${EPOCHREALTIME/./}
    head -c 16777216 /dev/zero | socat -T 60 - TCP:$IP:9 || return 1
    t1=${EPOCHREALTIME/./}
    # What dom0 queued is not what the guest got: the guest's own count.
    wait_log 'echo: discard connection closed after [0-9]+ bytes' 20 | tr -d '\r' >/tmp/discard-line
    grep -q ' after 16777216 bytes ' /tmp/discard-line || {
        echo "the guest did not report 16777216 bytes received: $(grep 'discard connection' "$GUEST_LOG")"
        return 1
    }
    echo "note: bulk: 16 MiB in $(( (t1 - t0) / 1000 )) ms, all of it counted by the guest"
}
check discard-16MiB bulk
# RFC 7323 window scaling, negotiated with dom0's Linux: both sides
# announced a shift (the guest's getsockopt(TCP_INFO) reports them).
check window-scaling grep -qE "\(window scale: ours [1-9][0-9]*, the peer's [1-9][0-9]*\)" /tmp/discard-line

finish
