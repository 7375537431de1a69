# SPDX-License-Identifier: BSD-2-Clause
# Client for apps/echo at 10.99.0.2: detach the guest's vif with
# `xl network-detach`, attach it again with `xl network-attach` (same MAC),
# and check that the guest followed both ways and serves again.
. ./client-lib.sh
IP=10.99.0.2
wait_log 'echo: TCP and UDP echo' 30 >/dev/null
check ping-before ping -c 2 -W 5 $IP
mac=$(xenstore-read "/local/domain/$GUEST_ID/device/vif/0/mac")
check detach xl network-detach "$GUEST" 0
check guest-saw-detach wait_log 'net0: the NIC went away' 20
check attach xl network-attach "$GUEST" bridge=xenbr0 "mac=$mac" script=vif-fast
check guest-saw-attach wait_log 'net0: back on' 30
check ping-after ping -c 3 -W 5 $IP
echo_after() {
    head -c 65536 /dev/urandom >/tmp/hp-in
    socat -t 10 -T 20 - TCP:$IP:7 </tmp/hp-in >/tmp/hp-out && cmp /tmp/hp-in /tmp/hp-out
}
check tcp-echo-after echo_after
finish
