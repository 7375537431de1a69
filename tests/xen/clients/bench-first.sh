# SPDX-License-Identifier: BSD-2-Clause
# make bench, first answer: the time from `xl unpause` and from
# `xl create -p` to the first answered HTTP request to the guest at
# 10.99.0.2:8080 (our httpd or the Linux guest's nginx), run in dom0 right
# after `xl unpause`. dom0's neighbour entry for the guest is set first, so
# ARP timing does not count; curl is retried with a 0.1 s connect timeout.
# Prints "BENCH first_http_from_unpause_ms" and "..._from_create_ms".
. ./client-lib.sh
IP=10.99.0.2
mac=$(xenstore-read "/local/domain/$GUEST_ID/device/vif/0/mac")
arp -d $IP 2>/dev/null
arp -i xenbr0 -s $IP "$mac" || exit 1           # permanent (busybox arp)
deadline=$(( ${EPOCHREALTIME/./} + 120000000 ))
# A short connect timeout: a SYN sent before the guest listens is not
# retransmitted for a second, so try again with a fresh one instead.
until curl -s -o /dev/null --connect-timeout 0.1 --max-time 2 "http://$IP:8080/index.html"; do
    [ ${EPOCHREALTIME/./} -lt $deadline ] || { echo "no answer within 120 s"; exit 1; }
done
t=${EPOCHREALTIME/./}
echo "BENCH first_http_from_unpause_ms $(( (t - UNPAUSED_AT) / 1000 ))"
echo "BENCH first_http_from_create_ms $(( (t - CREATE_AT) / 1000 ))"
# The next guest has another MAC.
arp -d $IP 2>/dev/null
