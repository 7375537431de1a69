#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Runs in the harness's dom0 as /test/run.sh: creates each guest listed in
# /test/guests ("NAME TIMEOUT" per line) with xl, one after the other,
# waits until it has shut down, crashed or timed out, then prints its
# console (xenconsoled's log) with every line prefixed "NAME| ", and a line
#   XENOLITH-GUEST-END NAME state=poweroff|crashed|timeout|create-failed create_ms=N total_ms=N
# for the host's runner. When a guest timed out or could not be created,
# Xen's and dom0's logs follow (prefixed "xen| " and "dom0| ").
ms() { local t=${EPOCHREALTIME/./}; echo $((t / 1000)); }
bad=0
while read -r name timeout; do
    [ -n "$name" ] || continue
    log=/var/log/xen/console/guest-$name.log
    rm -f "$log"
    t0=$(ms)
    if ! xl create "/test/$name.xl" >"/tmp/xl-$name.out" 2>&1; then
        sed "s/^/$name| xl: /" "/tmp/xl-$name.out"
        echo "XENOLITH-GUEST-END $name state=create-failed create_ms=0 total_ms=0"
        bad=1
        continue
    fi
    t1=$(ms)
    deadline=$((t0 + timeout * 1000))
    state=timeout
    while [ "$(ms)" -lt $deadline ]; do
        st=$(xl list "$name" 2>/dev/null | awk 'NR == 2 { print $5 }')
        if [ -z "$st" ]; then state=poweroff; break; fi
        case $st in *c*) state=crashed; break ;; esac
        sleep 0.05
    done
    t2=$(ms)
    [ $state = poweroff ] || xl destroy "$name" 2>/dev/null
    [ -f "$log" ] && sed "s/^/$name| /" "$log"
    echo "XENOLITH-GUEST-END $name state=$state create_ms=$((t1 - t0)) total_ms=$((t2 - t0))"
    case $state in poweroff|crashed) ;; *) bad=1 ;; esac
done </test/guests
if [ $bad = 1 ]; then
    xl dmesg 2>/dev/null | tail -n 40 | sed 's/^/xen| /'
    dmesg | tail -n 30 | sed 's/^/dom0| /'
    [ -f /var/log/xen/xen-hotplug.log ] && sed 's/^/dom0| hotplug: /' /var/log/xen/xen-hotplug.log
fi
exit 0
