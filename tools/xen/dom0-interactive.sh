#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Runs in the harness's dom0 as /test/run.sh for `make run`: forwards the
# ports in /test/ports ("HOSTPORT:GUESTPORT" words; QEMU forwards the host
# port to dom0's guest port) to the guest at 10.99.0.2, starts the one
# guest in /test/guests with its console on this terminal (with xl, or
# through libvirt when run.sh wrote its domain XML), and exits with
# the guest's exit status (134 if it crashed).
read -r name _ </test/guests
# The host's disk image, when there is one, is /dev/vda (virtio).
if grep -q "target=/dev/vda" "/test/$name.xl"; then
    modprobe virtio_pci 2>/dev/null; modprobe virtio_blk 2>/dev/null
    for _ in $(seq 50); do [ -b /dev/vda ] && break; sleep 0.1; done
    [ -b /dev/vda ] || { echo "dom0: error: the disk image did not appear as /dev/vda"; exit 125; }
fi
# Forward the ports in dom0's kernel: DNAT from eth0 (QEMU's user-mode
# NIC) to the guest, masquerading on the bridge so that the guest's
# replies come back here whatever its routes. socat (one process per
# connection) is the fallback when nftables cannot be set up.
ports=$(for p in $(cat /test/ports 2>/dev/null); do printf '%s, ' "${p#*:}"; done)
ports=${ports%, }
if [ -n "$ports" ]; then
    for m in nf_tables nf_conntrack nf_nat nft_chain_nat nft_nat nft_masq; do modprobe $m 2>/dev/null; done
    if echo 1 >/proc/sys/net/ipv4/ip_forward &&
       nft -f - <<EOF
table ip xenolith_run {
    chain prerouting {
        type nat hook prerouting priority dstnat;
        iifname "eth0" tcp dport { $ports } dnat to 10.99.0.2
    }
    chain postrouting {
        type nat hook postrouting priority srcnat;
        oifname "xenbr0" ip daddr 10.99.0.2 masquerade
    }
}
EOF
    then
        echo "dom0: forwarding tcp ports $ports to 10.99.0.2 (nftables DNAT)"
    else
        echo "dom0: warning: nftables DNAT could not be set up; forwarding through socat (one process per connection)"
        for p in $(cat /test/ports); do
            gp=${p#*:}
            socat "TCP-LISTEN:$gp,fork,reuseaddr" "TCP:10.99.0.2:$gp" 2>/dev/null &
        done
    fi
fi
echo "dom0: starting guest '$name' (Ctrl-] detaches from its console; the run ends when the guest does)"
# The guest's end is awaited on Xenstore's @releaseDomain watch (fired
# when a domain shuts down, crashes or goes away), not by polling xl list.
coproc RELEASE { exec xenstore-watch @releaseDomain 2>/dev/null; }
if [ -f "/test/$name.libvirt.xml" ]; then
    # make run VIA=libvirt: libvirtd's libxl driver creates the guest from
    # its domain XML, and virsh shows its console.
    . /test/dom0-libvirt.sh
    start_libvirtd || exit 125
    virsh -c xen:///system create --console "/test/$name.libvirt.xml"
else
    xl create -c "/test/$name.xl"
fi
while :; do
    st=$(xl list "$name" 2>/dev/null | awk 'NR == 2 { print $5 }')
    [ -z "$st" ] && break
    case $st in *c*) xl destroy "$name"; echo "dom0: guest '$name' crashed"; exit 134 ;; esac
    if [ -n "${RELEASE_PID:-}" ] && kill -0 "$RELEASE_PID" 2>/dev/null; then
        read -r -t 2 -u "${RELEASE[0]}" _
    else
        sleep 0.2
    fi
done
log=/var/log/xen/console/guest-$name.log
if grep -q '^xenolith: guest crashed$' "$log" 2>/dev/null; then
    echo "dom0: guest '$name' crashed"
    exit 134
fi
last=$(grep -E '^exit status [0-9]+$' "$log" 2>/dev/null | tail -1)
[ -n "$last" ] || exit 125
exit "${last#exit status }"
