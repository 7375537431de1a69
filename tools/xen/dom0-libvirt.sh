# SPDX-License-Identifier: BSD-2-Clause
#
# Sourced in the harness's dom0 by dom0-run.sh and dom0-interactive.sh
# (as /test/dom0-libvirt.sh) when a guest runs through libvirt.
#
#   start_libvirtd   start libvirtd (the libvirt layer's, with its libxl
#                    driver: tools/xen/build-libvirt-layer.sh) and wait
#                    until virsh reaches it (at most 30 s); print
#                    "XENOLITH-LIBVIRT ok in N ms: VERSIONS" or
#                    "XENOLITH-LIBVIRT failed: WHY" with the end of its
#                    logs (prefixed "dom0| "); 0 when it is up.
start_libvirtd() {
    local virsh="virsh -q -c xen:///system" t pid out
    mkdir -p /var/log/libvirt /var/lib/libvirt /run/libvirt /var/cache/libvirt
    t=${EPOCHREALTIME/./}
    libvirtd >/tmp/libvirtd.out 2>&1 &
    pid=$!
    for _ in $(seq 150); do
        [ -S /run/libvirt/libvirt-sock ] && $virsh uri >/dev/null 2>&1 && break
        kill -0 $pid 2>/dev/null || break
        sleep 0.2
    done
    if out=$($virsh version 2>&1); then
        echo "XENOLITH-LIBVIRT ok in $(((${EPOCHREALTIME/./} - t) / 1000)) ms: $(echo $out)"
        return 0
    fi
    echo "XENOLITH-LIBVIRT failed: $(echo $out)"
    kill -0 $pid 2>/dev/null || echo "dom0| libvirtd exited"
    tail -n 20 /tmp/libvirtd.out | sed 's/^/dom0| libvirtd: /'
    tail -n 30 /var/log/libvirt/libvirtd.log 2>/dev/null | sed 's/^/dom0| libvirtd.log: /'
    return 1
}
