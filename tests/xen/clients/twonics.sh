# SPDX-License-Identifier: BSD-2-Clause
# Client for apps/echo with two vifs: net0 10.99.0.2/24 and net1
# 10.98.0.2/24 (dom0 takes 10.98.0.1 on the same bridge). Each address
# answers pings and echoes over TCP through its own NIC.
. ./client-lib.sh
ip addr add 10.98.0.1/24 dev xenbr0 2>/dev/null
wait_log 'echo: TCP and UDP echo' 30 >/dev/null
check two-nics-up wait_log 'net: 2 of 2 NICs up' 5
check ping-net0 ping -c 2 -W 5 10.99.0.2
check ping-net1 ping -c 2 -W 5 10.98.0.2
echo_via() {
    head -c 65536 /dev/urandom >/tmp/2n-in
    socat -t 10 -T 20 - "TCP:$1:7" </tmp/2n-in >/tmp/2n-out && cmp /tmp/2n-in /tmp/2n-out
}
check tcp-echo-net0 echo_via 10.99.0.2
check tcp-echo-net1 echo_via 10.98.0.2
# The two answers came from two different MACs.
macs=$(ip neigh show dev xenbr0 | grep -E '^10\.9[89]\.0\.2 ' | sed -n 's/.* lladdr \([0-9a-f:]*\).*/\1/p' | sort -u | wc -l)
check two-macs sh -c "[ $macs = 2 ]"
ip addr del 10.98.0.1/24 dev xenbr0 2>/dev/null
finish
