#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Runs in the harness's dom0 as /test/run.sh for `make run`: forwards the
# ports in /test/ports ("HOSTPORT:GUESTPORT" words; dom0 listens on the
# guest port, which QEMU forwards from the host) to the guest at
# 10.99.0.2, starts the one guest in /test/guests with its console on this
# terminal, and exits with the guest's exit status (134 if it crashed).
read -r name _ </test/guests
for p in $(cat /test/ports 2>/dev/null); do
    gp=${p#*:}
    socat "TCP-LISTEN:$gp,fork,reuseaddr" "TCP:10.99.0.2:$gp" 2>/dev/null &
done
echo "dom0: starting guest '$name' (Ctrl-] detaches from its console; the run ends when the guest does)"
xl create -c "/test/$name.xl"
while :; do
    st=$(xl list "$name" 2>/dev/null | awk 'NR == 2 { print $5 }')
    [ -z "$st" ] && break
    case $st in *c*) xl destroy "$name"; echo "dom0: guest '$name' crashed"; exit 134 ;; esac
    sleep 0.2
done
log=/var/log/xen/console/guest-$name.log
if grep -q '^xenolith: guest crashed$' "$log" 2>/dev/null; then
    echo "dom0: guest '$name' crashed"
    exit 134
fi
last=$(grep -E '^exit status [0-9]+$' "$log" 2>/dev/null | tail -1)
[ -n "$last" ] || exit 125
exit "${last#exit status }"
