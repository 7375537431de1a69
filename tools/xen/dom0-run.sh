#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Runs in the harness's dom0 as /test/run.sh: creates each guest listed in
# /test/guests ("NAME TIMEOUT [ACTION@SECONDS]" per line) with xl, one
# after the other, (ACTION, shutdown or reboot, is sent with xl that many
# seconds after the guest starts),
# waits until it has shut down, crashed or timed out, then prints its
# console (xenconsoled's log) with every line prefixed "NAME| ", and a line
#   XENOLITH-GUEST-END NAME state=poweroff|crashed|timeout|create-failed create_ms=N unpause_ms=N total_ms=N [shutdown_ms=N]
# (shutdown_ms: from `xl shutdown` (ACTION shutdown@S) to the guest's end,
# when it ended by powering off).
# Each guest is created paused (xl create -p), its devices are described,
# then it is unpaused; create_ms and unpause_ms time those two steps and
# total_ms runs from create to the end.
# for the host's runner, after lines that describe the guest's devices:
#   XENOLITH-VIF NAME IFACE bridge=BRIDGE
#   XENOLITH-DISK NAME DEVICE sector-size=N
# and, when the clients layer is present, once per run:
#   XENOLITH-CLIENT PROGRAM ok|failed
# A guest with a client script (/test/NAME.client) has it run once the
# guest is unpaused (GUEST, GUEST_ID, GUEST_LOG set, and CREATE_AT,
# UNPAUSE_BEGIN and UNPAUSED_AT: when `xl create -p` began and when `xl
# unpause` began and returned, in microseconds of the epoch; PROBE_OUT
# with a prober); when it ends the
# guest is shut down with `xl shutdown`, and its output follows the
# guest's console, prefixed "NAME/client| ", then
#   XENOLITH-CLIENT-END NAME status=N
# A guest with a hostile backend (/test/NAME.hostile holds the scenario)
# has `/test/hostile SCENARIO DOMID` started after `xl create -p`; the
# guest is unpaused once it printed "ready" (at most 5 s), it gets SIGTERM
# when the guest has ended, and its output follows the guest's console,
# prefixed "NAME/hostile| ".
# A guest with a prober (/test/NAME.probe: IP PORT) has `/test/xnprobe
# first DOMID IP PORT` started the same way, its output in
# /tmp/probe-NAME.out (PROBE_OUT for the client) and, once the guest
# ended, after its console prefixed "NAME/probe| ".
# A guest with a domain XML (/test/NAME.libvirt.xml: run.sh's via=libvirt)
# is created, unpaused, shut down and destroyed through libvirtd (started
# once, before the first such guest) with virsh instead of xl, and `virsh
# console` is attached before it runs; what that showed follows its
# console, prefixed "NAME/virsh-console| ".
# When a guest timed out or could not be created,
# Xen's and dom0's logs follow (prefixed "xen| " and "dom0| ").
ms() { local t=${EPOCHREALTIME/./}; echo $((t / 1000)); }
# wait_ready REGEX FILE PID: until FILE has a line matching REGEX (at most
# 5 s, or until PID, which writes it, has ended); 0 if it came.
wait_ready() {
    for _ in $(seq 100); do
        grep -q -- "$1" "$2" 2>/dev/null && return 0
        kill -0 "$3" 2>/dev/null || break
        sleep 0.05
    done
    grep -q -- "$1" "$2" 2>/dev/null
}
# killtree PID (client-lib.sh): stop a client and everything it started.
. /test/client-lib.sh
bad=0
echo "XENOLITH-DOM0-UP"             # the host's watchdog waits for this
mkdir -p /blank
mount -t tmpfs -o size=50% blank /blank || echo "dom0| cannot mount a tmpfs for blank disks"

# Each client runs in dom0 with the libraries it was packed with.
if [ -x /usr/bin/curl ]; then
    for c in "curl --version" "wrk -v" "redis-cli --version" "redis-benchmark --version" \
             "iperf3 --version" "dnsmasq --version" "fio --version" "ping -V" "socat -V"; do
        out=$($c 2>&1 | head -1)
        case $out in
        *"error while loading"*|*"not found"*|"") echo "XENOLITH-CLIENT ${c%% *} failed: $out" ;;
        *) echo "XENOLITH-CLIENT ${c%% *} ok" ;;
        esac
    done
fi

# Network services on xenbr0 for guests with clients: DHCP, router
# advertisements with stateless DHCPv6, and DNS.
if [ -x /usr/sbin/dnsmasq ] && ls /test/*.client >/dev/null 2>&1; then
    mkdir -p /var/lib/misc
    dnsmasq --interface=xenbr0 --bind-interfaces --except-interface=lo --user=root --group=root \
        --dhcp-range=10.99.0.100,10.99.0.199,255.255.255.0,1h \
        --dhcp-option=option:router,10.99.0.1 --dhcp-option=option:dns-server,10.99.0.1 \
        --enable-ra --dhcp-range=::,constructor:xenbr0,ra-stateless,64,1h \
        --dhcp-option=option6:dns-server,[fd00:99::1] \
        --host-record=xenolith.test,10.99.0.1,fd00:99::1 --no-resolv --no-hosts \
        --dhcp-leasefile=/tmp/dnsmasq.leases --pid-file=/run/dnsmasq.pid --log-facility=/tmp/dnsmasq.log ||
        echo "dom0: warning: dnsmasq did not start"
fi

# Waiting for a guest to end blocks on Xenstore's @releaseDomain watch
# (fired when any domain shuts down, crashes or goes away) instead of
# polling `xl list`: dom0 has one vCPU, shared with the backends and the
# clients being measured. wait_release MS: 0 when an event came within MS
# milliseconds (all pending ones are taken), 1 when the time ran out.
# Without the watch (xenstore-watch failed), it sleeps MS and says 0.
coproc RELEASE { exec xenstore-watch @releaseDomain 2>/dev/null; }
wait_release() {
    local ms=$1
    [ "$ms" -lt 1 ] && ms=1
    local t; t=$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))
    if [ -z "${RELEASE_PID:-}" ] || ! kill -0 "$RELEASE_PID" 2>/dev/null; then
        sleep "$t"
        return 0
    fi
    read -r -t "$t" -u "${RELEASE[0]}" _ || return 1
    while read -r -t 0.001 -u "${RELEASE[0]}" _; do :; done
    return 0
}
wait_release 200 || true               # the watch fires once when set

# libvirtd with its libxl driver, for guests started through libvirt
# (the libvirt layer: tools/xen/build-libvirt-layer.sh), started before
# the first of them: it watches every domain, so it would cost dom0 time
# during the other guests (make check runs the libvirt guests last).
VIRSH="virsh -q -c xen:///system"
libvirtd_up=0
exec 9>&1                               # this script's output, for g_create
# The toolstack that runs guest $1: its create-paused, unpause, and
# shutdown/reboot/destroy commands.
via_libvirt() { [ -f "/test/$1.libvirt.xml" ]; }
g_create() {
    if via_libvirt "$1"; then
        if [ $libvirtd_up = 0 ]; then
            . /test/dom0-libvirt.sh
            start_libvirtd >/tmp/libvirtd.start 2>&1 && libvirtd_up=1
            cat /tmp/libvirtd.start >&9     # its lines, unprefixed (create's output is not)
            [ $libvirtd_up = 1 ] || return 1
        fi
        $VIRSH create --paused "/test/$1.libvirt.xml"
    else
        xl create -p "/test/$1.xl"
    fi
}
g_unpause() { if via_libvirt "$1"; then $VIRSH resume "$1" >/dev/null; else xl unpause "$1"; fi; }
g_ctl() {       # ACTION NAME [SECONDS]: shutdown, reboot or destroy, bounded
    local t=()
    [ -n "${3:-}" ] && t=(timeout "$3")
    if via_libvirt "$2"; then "${t[@]}" $VIRSH "$1" "$2"; else "${t[@]}" xl "$1" "$2"; fi
}

# Describe the devices of guest $1 (domain id $2) as their backends see them.
devices() {
    local name=$1 id=$2 d node
    for d in $(xenstore-list "/local/domain/0/backend/vif/$id" 2>/dev/null); do
        node=vif$id.$d
        echo "XENOLITH-VIF $name $node bridge=$(basename "$(readlink "/sys/class/net/$node/master" 2>/dev/null)")"
    done
    for d in $(xenstore-list "/local/domain/0/backend/vbd/$id" 2>/dev/null); do
        node=$(xenstore-read "/local/domain/0/backend/vbd/$id/$d/node" 2>/dev/null)
        echo "XENOLITH-DISK $name $node sector-size=$(blockdev --getss "$node" 2>/dev/null)"
    done
}
while read -r name timeout action; do
    [ -n "$name" ] || continue
    log=/var/log/xen/console/guest-$name.log
    # After `xl migrate` to this host the domain's console is logged
    # under the incoming name (NAME--incoming): shown after the first.
    incoming=/var/log/xen/console/guest-$name--incoming.log
    rm -f "$log" "$incoming"
    t0=$(ms)
    create_at=${EPOCHREALTIME/./}
    # A blank disk (disk=blank:MIB) is made here, sparse, on its own tmpfs
    # (the root file system holds the initramfs), and removed at the end.
    if [ -f "/test/$name.img.blank" ] && [ ! -e "/test/$name.img" ]; then
        truncate -s "$(cat "/test/$name.img.blank")M" "/blank/$name.img" &&
            ln -s "/blank/$name.img" "/test/$name.img"
    fi
    if ! g_create "$name" >"/tmp/xl-$name.out" 2>&1; then
        sed "s/^/$name| create: /" "/tmp/xl-$name.out"
        echo "XENOLITH-GUEST-END $name state=create-failed create_ms=0 unpause_ms=0 total_ms=0"
        bad=1
        continue
    fi
    t1=$(ms)
    id=$(xl domid "$name" 2>/dev/null) && devices "$name" "$id"
    # Configuration keys for the guest, written while it is paused.
    while read -r key value; do
        [ -n "$key" ] || continue
        xenstore-write "/local/domain/$id/xenolith/$key" "$value" ||
            echo "$name| dom0: xenstore-write xenolith/$key failed"
    done <"/test/$name.xs"
    # A hostile backend (/test/NAME.hostile: its scenario) offers its
    # devices while the guest is paused, says "ready", and lives as long
    # as the guest.
    hpid=
    if [ -f "/test/$name.hostile" ]; then
        /test/hostile "$(cat "/test/$name.hostile")" "$id" >"/tmp/hostile-$name.out" 2>&1 &
        hpid=$!
        wait_ready ' ready$' "/tmp/hostile-$name.out" "$hpid" ||
            echo "XENOLITH-ACTION $name the hostile backend did not say ready"
    fi
    # The first-answer prober (/test/NAME.probe: IP PORT) starts while the
    # guest is paused, with dom0's neighbour entry for the guest set, so
    # ARP does not count; it ends by itself (first byte, or 120 s).
    ppid= probe_ip=
    rm -f "/tmp/probe-$name.out"
    if [ -f "/test/$name.probe" ]; then
        read -r probe_ip probe_port <"/test/$name.probe"
        mac=$(xenstore-read "/local/domain/$id/device/vif/0/mac")
        arp -d "$probe_ip" 2>/dev/null
        arp -i xenbr0 -s "$probe_ip" "$mac" || echo "XENOLITH-ACTION $name arp -s $probe_ip $mac failed"
        /test/xnprobe first "$id" "$probe_ip" "$probe_port" >"/tmp/probe-$name.out" 2>&1 &
        ppid=$!
        wait_ready '^ready$' "/tmp/probe-$name.out" "$ppid" ||
            echo "XENOLITH-ACTION $name the prober did not say ready"
    fi
    # A guest run by libvirt has its console read through `virsh console`
    # (which wants a terminal: socat gives it a pty) from before it runs.
    vcpid=
    if via_libvirt "$name"; then
        # (socat's address syntax has no room for the URI's colons.)
        printf '#!/bin/sh\nexec virsh -c xen:///system console --force %s\n' "$name" >/tmp/vconsole-$name.sh
        chmod +x /tmp/vconsole-$name.sh
        # virsh console wants its input to be that terminal too: socat's
        # other side reads from a pipe that stays open and never speaks.
        ( sleep 1000000 | socat "EXEC:/tmp/vconsole-$name.sh,pty,setsid,ctty,rawer" - \
              >/tmp/vconsole-$name.out 2>/tmp/vconsole-$name.err ) &
        vcpid=$!
        disown $vcpid                   # killed at the end: no job notice
        wait_ready 'Escape character' "/tmp/vconsole-$name.out" "$vcpid" ||
            echo "XENOLITH-ACTION $name virsh console did not attach: $(cat /tmp/vconsole-$name.err 2>/dev/null)"
    fi
    unpause_begin=${EPOCHREALTIME/./}
    g_unpause "$name"
    unpaused_at=${EPOCHREALTIME/./}
    t2=$(ms)
    crc=/tmp/client-$name.rc
    rm -f "$crc"
    if [ -f "/test/$name.client" ]; then
        ( cd /test && GUEST=$name GUEST_ID=$id GUEST_LOG=$log CREATE_AT=$create_at \
              UNPAUSE_BEGIN=$unpause_begin UNPAUSED_AT=$unpaused_at \
              PROBE_OUT=${ppid:+/tmp/probe-$name.out} bash "/test/$name.client" \
              >"/tmp/client-$name.out" 2>&1; echo $? >"$crc" ) &
        cpid=$!
    fi
    client_done=0
    deadline=$((t0 + timeout * 1000))
    act_at=0 act_sent=0
    [ -n "$action" ] && act_at=$((t2 + ${action#*@} * 1000))
    state=timeout
    # The guest's state is read when a domain was released, and every 2 s
    # regardless; the loop wakes for its own deadlines and, while a client
    # runs, every 0.25 s to see whether it ended (a file test, no fork).
    released=1 listed_at=0
    while [ "$(ms)" -lt $deadline ]; do
        now=$(ms)
        if [ "$action" = client ]; then
            # The client owns the guest (it may destroy and recreate it):
            # wait for the client, then for the guest to end.
            if [ -f "$crc" ]; then
                for _ in $(seq 20); do
                    [ -z "$(xl list "$name" 2>/dev/null | awk 'NR == 2 { print $5 }')" ] && break
                    wait_release 500
                done
                st=$(xl list "$name" 2>/dev/null | awk 'NR == 2 { print $5 }')
                case $st in
                "") state=poweroff ;;
                *c*) state=crashed ;;
                *) state=timeout ;;
                esac
                break
            fi
            if [ $released = 1 ] || [ $((now - listed_at)) -ge 2000 ]; then
                case $(xl list "$name" 2>/dev/null | awk 'NR == 2 { print $5 }') in
                *c*) state=crashed; break ;;    # not the client's doing
                esac
                released=0 listed_at=$now
            fi
            wait_release 250 && released=1
            continue
        fi
        if [ $released = 1 ] || [ $((now - listed_at)) -ge 2000 ]; then
            st=$(xl list "$name" 2>/dev/null | awk 'NR == 2 { print $5 }')
            if [ -z "$st" ]; then state=poweroff; break; fi
            case $st in *c*) state=crashed; break ;; esac
            released=0 listed_at=$now
        fi
        if [ $client_done = 0 ] && [ -f "$crc" ]; then
            client_done=1
            g_ctl shutdown "$name" >/dev/null 2>&1 || echo "XENOLITH-ACTION $name shutdown failed"
        fi
        if [ $act_at -gt 0 ] && [ "$(ms)" -ge $act_at ]; then
            case $action in
            input@*)    # type a line on the guest's console, through its pty
                tty=$(xenstore-read "/local/domain/$id/console/tty" 2>/dev/null)
                echo "XENOLITH-ACTION $name console input via ${tty:-no tty}"
                [ -n "$tty" ] && printf 'hello xenolith\r' >"$tty" ;;
            *)
                echo "XENOLITH-ACTION $name xl ${action%@*}"
                act_sent=$(ms)
                # Bounded: with the guest's Xenstore broken, xl would wait a minute.
                g_ctl "${action%@*}" "$name" 15 >/dev/null 2>&1 || echo "XENOLITH-ACTION $name xl ${action%@*} failed" ;;
            esac
            act_at=0
        fi
        # Until the next thing to do: a release, the action, the deadline,
        # or (a client running) a look at whether it ended.
        now=$(ms) w=$((deadline - now))
        [ $act_at -gt 0 ] && [ $((act_at - now)) -lt $w ] && w=$((act_at - now))
        [ -f "/test/$name.client" ] && [ $client_done = 0 ] && [ $w -gt 250 ] && w=250
        [ $w -gt 2000 ] && w=2000
        wait_release "$w" && released=1
    done
    t3=$(ms)
    [ $state = poweroff ] || g_ctl destroy "$name" >/dev/null 2>&1
    [ -f "$log" ] && sed "s/^/$name| /" "$log"
    [ -f "$incoming" ] && sed "s/^/$name| /" "$incoming"
    if [ -f "/test/$name.client" ]; then
        for _ in $(seq 50); do [ -f "$crc" ] && break; sleep 0.1; done
        if [ ! -f "$crc" ]; then          # the guest ended first: stop the client
            killtree "$cpid"
            echo "client stopped: the guest ended first" >>"/tmp/client-$name.out"
            # A client that owns its guest may have created it again.
            [ "$action" = client ] && g_ctl destroy "$name" >/dev/null 2>&1
        fi
        sed "s/^/$name\/client| /" "/tmp/client-$name.out"
        echo "XENOLITH-CLIENT-END $name status=$(cat "$crc" 2>/dev/null || echo 125)"
    fi
    if [ -n "$hpid" ]; then
        kill -TERM "$hpid" 2>/dev/null
        for _ in $(seq 30); do kill -0 "$hpid" 2>/dev/null || break; sleep 0.1; done
        if kill -0 "$hpid" 2>/dev/null; then
            kill -KILL "$hpid" 2>/dev/null
            echo "killed: it did not end within 3 s of SIGTERM" >>"/tmp/hostile-$name.out"
        fi
        wait "$hpid" 2>/dev/null
        # Whatever it stopped runs again, even if it was killed.
        for p in /run/xenstored.pid /run/xenconsoled.pid; do
            [ -f "$p" ] && kill -CONT "$(cat "$p")" 2>/dev/null
        done
        sed "s/^/$name\/hostile| /" "/tmp/hostile-$name.out"
    fi
    if [ -n "$ppid" ]; then
        kill -TERM "$ppid" 2>/dev/null
        wait "$ppid" 2>/dev/null
        arp -d "$probe_ip" 2>/dev/null
        sed "s/^/$name\/probe| /" "/tmp/probe-$name.out"
    fi
    if [ -n "$vcpid" ]; then
        for _ in $(seq 20); do kill -0 "$vcpid" 2>/dev/null || break; sleep 0.1; done
        killtree "$vcpid"
        tr -d '\r' <"/tmp/vconsole-$name.out" 2>/dev/null | sed "s/^/$name\/virsh-console| /"
    fi
    [ -f "/test/$name.img.blank" ] && rm -f "/blank/$name.img" "/test/$name.img"
    sd=
    [ "$act_sent" -gt 0 ] && [ "${action%@*}" = shutdown ] && [ $state = poweroff ] && sd=" shutdown_ms=$((t3 - act_sent))"
    echo "XENOLITH-GUEST-END $name state=$state create_ms=$((t1 - t0)) unpause_ms=$((t2 - t1)) total_ms=$((t3 - t0))$sd"
    case $state in poweroff|crashed) ;; *) bad=1 ;; esac
done </test/guests
if [ $bad = 1 ]; then
    xl dmesg 2>/dev/null | tail -n 40 | sed 's/^/xen| /'
    dmesg | tail -n 30 | sed 's/^/dom0| /'
    [ -f /var/log/xen/xen-hotplug.log ] && sed 's/^/dom0| hotplug: /' /var/log/xen/xen-hotplug.log
fi
exit 0
