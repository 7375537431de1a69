#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Boot real Xen (Xen 4.17 and a Linux dom0, under QEMU) once and run a
# batch of guests in it, one after the other.
#
# usage: tools/xen/run.sh [--logdir DIR] [--clients] [--verbose] [--layer CPIO] BATCH
#        tools/xen/run.sh --interactive [--logdir DIR] BATCH
#
# BATCH has one guest per line (# starts a comment):
#     NAME IMAGE [type=pvh|pv] [memory=MB] [timeout=S] [vif=N]
#          [disk=PATH[:SECTOR]|disk=blank:MIB[:SECTOR]]
#          [module=PATH] [xl=shutdown@S|reboot@S|input@S|client] [xs=PATH=VALUE ...]
#          [mtu=N] [client=SCRIPT] [hostile=SCENARIO] [probe=IP:PORT]
#          [via=xl|libvirt] [-- CMDLINE]
# CMDLINE is the guest's whole command line (kernel options, then its own
# "--" and the app's arguments). An IMAGE or module=PATH of the form
# dom0:/PATH names a file inside dom0 (from a --layer), not on the host.
# --layer CPIO appends a newc archive to dom0's initramfs (make bench: the
# Linux guest). A disk of 4096-byte sectors is given as
# disk=PATH:4096; disk=blank:MIB is a zeroed disk of MIB MiB that dom0
# makes (sparse) instead of carrying it in its initramfs. xl=shutdown@S has dom0 run `xl shutdown` S seconds after
# the guest was unpaused (reboot@S: `xl reboot`; input@S: type the line
# "hello xenolith" on its console through `xl console`; client: the client
# script owns the guest's life, may destroy and create it again, and the
# guest's end is awaited only once the client is done). Each xs=PATH=VALUE
# is written to /local/domain/<id>/xenolith/PATH while the guest is still
# paused (the configuration keys of docs/config.md; VALUE has no spaces).
# mtu=N sets the vif's MTU. client=SCRIPT runs SCRIPT (bash) in dom0 once
# the guest is unpaused, with GUEST (its name), GUEST_ID and GUEST_LOG (its
# console log) set and tools/xen/client-lib.sh beside it; when it ends,
# dom0 shuts the guest down with `xl shutdown`. Its output goes to
# LOGDIR/NAME.client.log and its exit status to LOGDIR/NAME.client.status.
# A client finds /test/xnprobe beside it (tools/xen/probe/xnprobe.c:
# `xnprobe cpu DOMID...` prints the CPU time Xen accounted to each domain).
# hostile=SCENARIO runs tools/xen/hostile/hostile.c (built with xnprobe by
# tools/xen/build-dom0-tools.sh) in dom0 as `hostile SCENARIO DOMID` after
# `xl create -p`: it offers the guest its own vif/vbd (vif 5, vbd 51760 =
# xvdd) and misbehaves as a backend or Xenstore as SCENARIO says (`hostile
# list`); the guest is unpaused once it is ready and it is stopped (SIGTERM)
# when the guest has ended. Its output goes to LOGDIR/NAME.hostile.log.
# probe=IP:PORT starts `xnprobe first DOMID IP PORT` while the guest is
# still paused (it watches the vif backend's state, the guest's frames and
# TCP connects to IP:PORT until the first byte of an HTTP answer) and
# unpauses the guest once it is ready; its result line ("FIRST ...") is in
# /tmp/probe-NAME.out for the client (PROBE_OUT) and in
# LOGDIR/NAME.probe.log.
# via=libvirt has libvirtd (Debian's libxl driver, in a dom0 layer built by
# tools/xen/build-libvirt-layer.sh) start the guest from a domain XML
# (tools/xen/mklibvirt.sh) with `virsh create --paused`, unpause it with
# `virsh resume` and send xl=shutdown@S/reboot@S and the end of a client
# with `virsh shutdown`/`virsh reboot`; `virsh console` is attached
# before the guest runs and what it showed is in LOGDIR/NAME.virsh-console.log.
# Such a guest takes vif=0|1, disk, module, memory and type (no mtu=).
# With xl=shutdown@S, the guest's line in results.txt has shutdown_ms=N:
# from `xl shutdown` to the guest's end.
# With a client, dnsmasq serves DHCP (10.99.0.100-199), router
# advertisements and stateless DHCPv6 for fd00:99::/64, and DNS
# (xenolith.test is 10.99.0.1 and fd00:99::1) on xenbr0.
#
# Each guest's console lines are shown prefixed "NAME| ". Results go to
# LOGDIR (default build/xen-logs): NAME.log (console), NAME.status (the
# guest's exit status; 134 crashed, 124 timed out, 125 no verdict),
# results.txt, timeline.txt (the guests' boot timelines) and qemu.log (the
# whole serial output: Xen, dom0 and the guests).
#
# --interactive runs the batch's one guest with its console on this
# terminal, gives dom0 a QEMU user-mode NIC with the host ports in
# $XEN_PORTS ("HOST:GUEST" pairs, default "8080:8080 6379:6379") forwarded
# to it, and dom0 forwards them on to the guest at 10.99.0.2 (DNAT in
# dom0's kernel). The host ports listen on 127.0.0.1 through socat (QEMU's
# own forwarding has a listen backlog of one); a port in use is an error. A disk image is not copied: QEMU gives the file itself
# to dom0 (/dev/vda), which hands it to the guest, so the guest's writes
# stay in the host's file. It exits with the guest's exit status (134:
# crashed).
#
# Exit status: 0 when every guest exited with status 0, 1 when some did
# not, 2 when the harness itself failed (Xen or dom0 did not come up),
# 3 when QEMU cannot run at all here. When the harness failed, or a guest
# timed out or could not be created, the end of Xen's and dom0's logs is
# shown.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
LOGDIR=$ROOT/build/xen-logs CLIENTS=0 VERBOSE=0 INTERACTIVE=0 HOST_DISK= LIBVIRT=0
EXTRA_LAYERS=()
while [ $# -gt 0 ]; do
    case $1 in
    --interactive) INTERACTIVE=1; CLIENTS=1; shift ;;
    --logdir) LOGDIR=$2; shift 2 ;;
    --clients) CLIENTS=1; shift ;;
    --verbose) VERBOSE=1; shift ;;
    --layer) EXTRA_LAYERS+=("$2"); shift 2 ;;
    -*) echo "xen-run: error: unknown option '$1'" >&2; exit 2 ;;
    *) break ;;
    esac
done
BATCH=${1:-}
[ -f "$BATCH" ] || { echo "xen-run: error: no batch file '${BATCH}'" >&2; exit 2; }
command -v qemu-system-x86_64 >/dev/null ||
    { echo "xen-run: SKIP: qemu-system-x86_64 is not installed (tools/setup.sh installs it)" >&2; exit 3; }

"$ROOT/tools/xen/build-harness.sh" "$ROOT/build/xen" || { echo "xen-run: error: the harness could not be built" >&2; exit 2; }
H=$ROOT/build/xen

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/test" "$LOGDIR"
rm -f "$LOGDIR"/*.log "$LOGDIR"/*.status "$LOGDIR"/results.txt "$LOGDIR"/timeline.txt
: >"$tmp/test/guests"
names=()
total_timeout=0
n=0
# The dom0 programs (hostile backend, xnprobe), built once per run.
# dom0_tools [optional]: a failure is an error unless "optional".
dom0_tools() {
    [ -f "$tmp/test/xnprobe" ] && return 0
    [ -f "$tmp/test/.no-dom0-tools" ] && [ "${1:-}" = optional ] && return 0
    if "$ROOT/tools/xen/build-dom0-tools.sh" "$ROOT/build/xen-dom0-tools" &&
        cp "$ROOT/build/xen-dom0-tools/hostile" "$ROOT/build/xen-dom0-tools/xnprobe" "$tmp/test/"; then
        return 0
    fi
    : >"$tmp/test/.no-dom0-tools"
    [ "${1:-}" = optional ] && { echo "xen-run: warning: the dom0 tools could not be built; clients run without xnprobe" >&2; return 0; }
    echo "xen-run: error: the dom0 tools (hostile backend, xnprobe) could not be built" >&2
    exit 2
}
while IFS= read -r line; do
    line=${line%%#*}
    [ -n "${line// }" ] || continue
    cmdline=
    case $line in *" -- "*) cmdline=${line#* -- }; line=${line%% -- *} ;; esac
    read -r name image opts <<<"$line"
    [[ $name =~ ^[a-zA-Z0-9_.-]+$ ]] || { echo "xen-run: error: bad guest name '$name'" >&2; exit 2; }
    case $image in
    dom0:/*) ;;
    *) [ -f "$image" ] || { echo "xen-run: error: guest $name: no image '$image'" >&2; exit 2; } ;;
    esac
    type=pvh memory=16 timeout=60 vif=0 disk= module= action= mtu= client= hostile= probe= via=xl
    : >"$tmp/test/$name.xs"
    for o in $opts; do
        case $o in
        type=*) type=${o#*=} ;;
        memory=*) memory=${o#*=} ;;
        timeout=*) timeout=${o#*=} ;;
        vif=*) vif=${o#*=} ;;
        disk=*) disk=${o#*=} ;;
        module=*) module=${o#*=} ;;
        xl=shutdown@*|xl=reboot@*|xl=input@*|xl=client) action=${o#*=} ;;
        xs=*=*) kv=${o#xs=}; echo "${kv%%=*} ${kv#*=}" >>"$tmp/test/$name.xs" ;;
        mtu=*) mtu=${o#*=} ;;
        client=*) client=${o#*=} ;;
        hostile=*) hostile=${o#*=} ;;
        probe=*) probe=${o#*=} ;;
        via=xl|via=libvirt) via=${o#*=} ;;
        *) echo "xen-run: error: guest $name: unknown option '$o'" >&2; exit 2 ;;
        esac
    done
    # Each image goes into dom0's initramfs once, without its debug
    # information (crash reports use the image's own .ksyms): 80 guests of
    # a dozen images, Redis's among them, must fit in dom0's memory.
    case $image in
    dom0:/*) kernel=${image#dom0:} ;;
    *) sum=$(sha256sum <"$image" | cut -c1-16)
       kernel=/test/img/$sum.elf
       [ -f "$tmp$kernel" ] || { mkdir -p "$tmp/test/img" && objcopy --strip-debug "$image" "$tmp$kernel"; } ||
           { echo "xen-run: error: guest $name: cannot copy '$image'" >&2; exit 2; } ;;
    esac
    args=(--name "$name" --kernel "$kernel" --type "$type" --memory "$memory"
          --cmdline "$cmdline" --harness)
    n=$((n + 1))
    # Each guest's MACs: 00:16:3e:58:<guest>:<vif> (up to 4 vifs).
    [ "$vif" != 0 ] && args+=(--vifs "$vif" --mac "$(printf '00:16:3e:58:%02x:%02x' $((n % 256)) 0)")
    [ -n "$mtu" ] && args+=(--mtu "$mtu")
    if [ -n "$client" ]; then
        [ -f "$client" ] || { echo "xen-run: error: guest $name: no client script '$client'" >&2; exit 2; }
        cp "$client" "$tmp/test/$name.client"
        CLIENTS=1
        dom0_tools optional
    fi
    if [ -n "$hostile" ]; then
        [[ $hostile =~ ^[a-z0-9-]+$ ]] || { echo "xen-run: error: guest $name: bad hostile scenario '$hostile'" >&2; exit 2; }
        dom0_tools
        echo "$hostile" >"$tmp/test/$name.hostile"
    fi
    if [ -n "$probe" ]; then
        [[ $probe =~ ^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+:[0-9]+$ ]] || { echo "xen-run: error: guest $name: bad probe '$probe' (IP:PORT)" >&2; exit 2; }
        [ "$vif" != 0 ] || { echo "xen-run: error: guest $name: probe= needs vif=1" >&2; exit 2; }
        dom0_tools
        echo "${probe%:*} ${probe##*:}" >"$tmp/test/$name.probe"
    fi
    if [ -n "$disk" ]; then
        case $disk in
        blank:*)    # made in dom0 (sparse), not carried in the initramfs
            rest=${disk#blank:} mb=${rest%%:*}
            [[ $mb =~ ^[1-9][0-9]*$ ]] || { echo "xen-run: error: guest $name: bad blank disk size '$mb' (MiB)" >&2; exit 2; }
            echo "$mb" >"$tmp/test/$name.img.blank"
            [ "$rest" != "$mb" ] && echo "${rest##*:}" >"$tmp/test/$name.img.sector-size" ;;
        *)
            dpath=${disk%%:*}
            [ -f "$dpath" ] || { echo "xen-run: error: guest $name: no disk image '$dpath'" >&2; exit 2; }
            if [ $INTERACTIVE = 1 ]; then
                # make run: the host's file itself, through QEMU as
                # dom0's /dev/vda, so what the guest writes is kept.
                [ "$disk" = "$dpath" ] || { echo "xen-run: error: guest $name: --interactive takes a disk of 512-byte sectors" >&2; exit 2; }
                HOST_DISK=$(readlink -f "$dpath")
                args+=(--disk /dev/vda)
            else
                cp "$dpath" "$tmp/test/$name.img"
                [ "$disk" != "$dpath" ] && echo "${disk##*:}" >"$tmp/test/$name.img.sector-size"
            fi ;;
        esac
        [ -n "$HOST_DISK" ] || args+=(--disk "/test/$name.img")
    fi
    case $module in
    "") ;;
    dom0:/*) args+=(--module "${module#dom0:}") ;;
    *)
        [ -f "$module" ] || { echo "xen-run: error: guest $name: no module '$module'" >&2; exit 2; }
        cp "$module" "$tmp/test/$name.module"
        args+=(--module "/test/$name.module") ;;
    esac
    "$ROOT/tools/xen/mkxl.sh" "${args[@]}" >"$tmp/test/$name.xl" || exit 2
    if [ $via = libvirt ]; then
        [ -z "$mtu" ] && [[ $vif =~ ^[01]$ ]] ||
            { echo "xen-run: error: guest $name: via=libvirt takes vif=0 or vif=1 and no mtu=" >&2; exit 2; }
        # The same guest as mkxl.sh's config, as libvirt's domain XML.
        largs=()
        skip=0
        for a in "${args[@]}"; do
            if [ $skip = 1 ]; then skip=0; continue; fi
            case $a in --vifs) skip=1; largs+=(--vif); continue ;; esac
            largs+=("$a")
        done
        "$ROOT/tools/xen/mklibvirt.sh" "${largs[@]}" >"$tmp/test/$name.libvirt.xml" || exit 2
        LIBVIRT=1 CLIENTS=1
    fi
    echo "$name $timeout $action" >>"$tmp/test/guests"
    names+=("$name")
    total_timeout=$((total_timeout + timeout + 5))
done <"$BATCH"
[ ${#names[@]} -gt 0 ] || { echo "xen-run: error: no guests in $BATCH" >&2; exit 2; }
if [ $INTERACTIVE = 1 ]; then
    [ ${#names[@]} -eq 1 ] || { echo "xen-run: error: --interactive runs exactly one guest" >&2; exit 2; }
    install -m 755 "$ROOT/tools/xen/dom0-interactive.sh" "$tmp/test/run.sh"
    # A preserved crashed domain would keep `xl create -c` attached.
    sed -i 's/^on_crash = .*/on_crash = "destroy"/' "$tmp/test/${names[0]}.xl"
    [ -f "$tmp/test/${names[0]}.libvirt.xml" ] &&
        sed -i 's|<on_crash>preserve</on_crash>|<on_crash>destroy</on_crash>|' "$tmp/test/${names[0]}.libvirt.xml"
    PORTS=${XEN_PORTS:-8080:8080 6379:6379}
    echo "$PORTS" >"$tmp/test/ports"
    nic="user,model=e1000"
    drive=()
    [ -n "$HOST_DISK" ] && drive=(-drive "file=$HOST_DISK,format=raw,if=virtio,cache=writeback")
    # QEMU's user-mode forwarding listens with a backlog of one: under
    # concurrent connects the host drops SYNs and clients stall for a
    # second or are reset. So QEMU forwards from internal ports, and a
    # socat per user port listens with a real backlog and connects on to
    # QEMU's, retrying quickly when its one-slot queue is full.
    command -v socat >/dev/null ||
        { echo "xen-run: error: socat is not installed (tools/setup.sh installs it); make run forwards host ports with it" >&2; exit 2; }
    port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
    fwd=()
    for p in $PORTS; do
        [[ $p =~ ^[0-9]+:[0-9]+$ ]] || { echo "xen-run: error: XEN_PORTS entry '$p' is not HOST:GUEST" >&2; exit 2; }
        hp=${p%%:*}
        [ "$hp" -ge 1 ] && [ "$hp" -le 65535 ] || { echo "xen-run: error: XEN_PORTS entry '$p': no port $hp" >&2; exit 2; }
        port_busy "$hp" && { echo "xen-run: error: host port $hp is in use; pick others, e.g. XEN_PORTS='$((hp + 10000)):${p#*:}'" >&2; exit 2; }
        ip=0
        for _ in 1 2 3 4 5 6 7 8 9 10; do
            ip=$((20000 + RANDOM % 30000))
            port_busy "$ip" || break
        done
        nic="$nic,hostfwd=tcp:127.0.0.1:$ip-:${p#*:}"
        fwd+=("$hp:$ip")
    done
else
    install -m 755 "$ROOT/tools/xen/dom0-run.sh" "$tmp/test/run.sh"
    cp "$ROOT/tools/xen/client-lib.sh" "$tmp/test/client-lib.sh"
fi

[ $LIBVIRT = 1 ] && cp "$ROOT/tools/xen/dom0-libvirt.sh" "$tmp/test/dom0-libvirt.sh"
(cd "$tmp" && find test | cpio -o -H newc -R 0:0 --quiet) >"$tmp/test.cpio"
layers=("$H/dom0-base.cpio")
# The clients layer (about 100 MB unpacked) needs a larger dom0.
QMEM=1024 DOM0MEM=512M
if [ $CLIENTS = 1 ]; then
    layers+=("$H/dom0-clients.cpio")
    QMEM=2048 DOM0MEM=1024M
fi
if [ $LIBVIRT = 1 ]; then
    "$ROOT/tools/xen/build-libvirt-layer.sh" "$ROOT/build/xen-libvirt" ||
        { echo "xen-run: error: the libvirt layer could not be built" >&2; exit 2; }
    layers+=("$ROOT/build/xen-libvirt/dom0-libvirt.cpio")
fi
for l in "${EXTRA_LAYERS[@]}"; do
    [ -f "$l" ] || { echo "xen-run: error: no layer '$l'" >&2; exit 2; }
    layers+=("$l")
done
cat "${layers[@]}" "$tmp/test.cpio" >"$tmp/initrd.cpio"

if [ $INTERACTIVE = 1 ]; then
    echo "xen-run: booting Xen (about 10 s), then guest '${names[0]}'; host ports forwarded to it: $PORTS"
    fpids=()
    trap 'kill "${fpids[@]}" 2>/dev/null; rm -rf "$tmp"' EXIT
    for f in "${fwd[@]}"; do
        socat "TCP-LISTEN:${f%%:*},bind=127.0.0.1,fork,reuseaddr,backlog=128" \
            "TCP:127.0.0.1:${f#*:},connect-timeout=0.05,retry=300,interval=0.01" 2>>"$LOGDIR/socat.log" &
        fpids+=($!)
    done
    qemu-system-x86_64 -M pc -cpu max -smp 2 -m $QMEM -nographic -no-reboot \
        -nic "$nic" "${drive[@]}" -device isa-debug-exit,iobase=0x501,iosize=1 \
        -kernel "$H/xen.elf" \
        -append "console=com1 com1=115200,8n1 loglvl=warning guest_loglvl=none dom0_mem=$DOM0MEM,max:$DOM0MEM dom0_max_vcpus=1 smap=0" \
        -initrd "$H/vmlinux console=hvc0 earlyprintk=xen panic=-1 quiet loglevel=3,$tmp/initrd.cpio" |
        tee "$LOGDIR/qemu.log"
    qrc=${PIPESTATUS[0]}
    tr -d '\r' <"$LOGDIR/qemu.log" >"$LOGDIR/qemu.log.tmp" && mv "$LOGDIR/qemu.log.tmp" "$LOGDIR/qemu.log"
    grep -q "^dom0: guest '${names[0]}' crashed" "$LOGDIR/qemu.log" && exit 134
    last=$(grep -E '^exit status [0-9]+$' "$LOGDIR/qemu.log" | tail -1)
    [ -n "$last" ] && exit "${last#exit status }"
    echo "xen-run: QEMU ended (status $qrc) without an exit status from the guest" >&2
    exit 125
fi

echo "xen-run: booting Xen with ${#names[@]} guest(s): ${names[*]}"
t0=$(date +%s)
# Watchdog: Xen and dom0 come up in well under a minute; if dom0 has not
# started the batch after DOM0_DEADLINE seconds, stop QEMU instead of
# waiting for the whole batch's timeout.
( trap 'kill $s 2>/dev/null; exit 0' TERM
  sleep "${DOM0_DEADLINE:-300}" & s=$!
  wait $s
  if ! grep -q '^XENOLITH-DOM0-UP' "$LOGDIR/qemu.log" 2>/dev/null && [ -s "$tmp/qemu.pid" ]; then
      echo "xen-run: error: dom0 did not start the batch within ${DOM0_DEADLINE:-300} s; stopping QEMU" >&2
      kill "$(cat "$tmp/qemu.pid")" 2>/dev/null
  fi ) &
watchdog=$!
timeout -k 5 $((total_timeout + 90)) qemu-system-x86_64 -M pc -cpu max -smp 2 -m $QMEM \
    -pidfile "$tmp/qemu.pid" \
    -nographic -nic none -no-reboot -device isa-debug-exit,iobase=0x501,iosize=1 \
    -kernel "$H/xen.elf" \
    -append "console=com1 com1=115200,8n1 loglvl=all guest_loglvl=all dom0_mem=$DOM0MEM,max:$DOM0MEM dom0_max_vcpus=1 smap=0" \
    -initrd "$H/vmlinux console=hvc0 earlyprintk=xen panic=-1 quiet,$tmp/initrd.cpio" </dev/null 2>&1 |
    stdbuf -oL tr -d '\r' | tee "$LOGDIR/qemu.log" | while IFS= read -r l; do
        case $l in
        XENOLITH-GUEST-END*) echo "xen-run: ${l#XENOLITH-GUEST-END }" ;;
        XENOLITH-*) echo "xen-run: ${l#XENOLITH-}" ;;
        *"| "*) [ $VERBOSE = 1 ] || case ${l%%| *} in xen|dom0) continue ;; esac; echo "$l" ;;
        *) [ $VERBOSE = 1 ] && echo "$l" ;;
        esac
    done
qrc=${PIPESTATUS[0]}
kill $watchdog 2>/dev/null
echo "xen-run: QEMU ended after $(( $(date +%s) - t0 )) s"

worst=0
for name in "${names[@]}"; do
    grep "^$name| " "$LOGDIR/qemu.log" | sed "s/^$name| //" >"$LOGDIR/$name.log"
    if grep -q "^XENOLITH-CLIENT-END $name " "$LOGDIR/qemu.log"; then
        grep "^$name/client| " "$LOGDIR/qemu.log" | sed "s/^$name\/client| //" >"$LOGDIR/$name.client.log"
        sed -n "s/^XENOLITH-CLIENT-END $name status=\([0-9]*\).*/\1/p" "$LOGDIR/qemu.log" |
            tail -1 >"$LOGDIR/$name.client.status"
    fi
    grep -q "^$name/probe| " "$LOGDIR/qemu.log" &&
        grep "^$name/probe| " "$LOGDIR/qemu.log" | sed "s/^$name\/probe| //" >"$LOGDIR/$name.probe.log"
    for part in hostile virsh-console; do
        grep -q "^$name/$part| " "$LOGDIR/qemu.log" &&
            grep "^$name/$part| " "$LOGDIR/qemu.log" | sed "s|^$name/$part\| ||" >"$LOGDIR/$name.$part.log"
    done
    end=$(grep "^XENOLITH-GUEST-END $name " "$LOGDIR/qemu.log" | tail -1)
    state=$(sed -n 's/.* state=\([a-z-]*\).*/\1/p' <<<"$end")
    case $state in
    poweroff)
        last=$(grep -E '^exit status [0-9]+$' "$LOGDIR/$name.log" | tail -1)
        status=${last#exit status }
        [ -n "$last" ] || status=125
        grep -q '^xenolith: guest crashed$' "$LOGDIR/$name.log" && status=134 ;;
    crashed) status=134 ;;
    timeout) status=124 ;;
    *) status=125; state=${state:-no-verdict} ;;
    esac
    echo "$status" >"$LOGDIR/$name.status"
    echo "$name status=$status state=$state ${end#* state=* }" >>"$LOGDIR/results.txt"
    sed -n "s/^.*boot timeline/$name: boot timeline/p" "$LOGDIR/$name.log" >>"$LOGDIR/timeline.txt"
    [ "$status" = 0 ] || worst=1
done
# dom0 reports run.sh's status through isa-debug-exit: (0 << 1) | 1.
if [ "$qrc" != 1 ] || ! grep -q '^XENOLITH-GUEST-END' "$LOGDIR/qemu.log"; then
    echo "xen-run: error: the harness did not finish (QEMU status $qrc); the end of its log:" >&2
    tail -n 60 "$LOGDIR/qemu.log" | sed 's/^/    | /' >&2
    exit 2
fi
if grep -q '^xen| \|^dom0| ' "$LOGDIR/qemu.log"; then
    echo "xen-run: Xen and dom0 logs:"
    grep '^xen| \|^dom0| ' "$LOGDIR/qemu.log" | tail -n 80 | sed 's/^/    /'
fi
exit $worst
