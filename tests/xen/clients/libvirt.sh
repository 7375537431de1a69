# SPDX-License-Identifier: BSD-2-Clause
# Client for apps/httpd started through libvirt (run.sh via=libvirt
# xl=client: libvirtd's libxl driver created the guest from its domain
# XML, and this client owns its life). virsh sees it running; `virsh
# save` / `virsh restore` keep it answering; `virsh migrate` to this same
# host is refused by libvirt, with its reason noted; a domain XML with a
# bad value is refused with a message that names it; `virsh shutdown`
# ends the guest cleanly.
. ./client-lib.sh
IP=10.99.0.2 PORT=8080
V="virsh -c xen:///system"
XML=/test/$GUEST.libvirt.xml
check listening wait_tcp $IP $PORT 60

state_is() {    # WANT: the domain's state as virsh reports it
    local s
    s=$($V domstate "$GUEST" 2>&1 | sed '/^$/d')
    [ "$s" = "$1" ] || { echo "virsh domstate: '$s', not '$1'"; return 1; }
}
listed() { $V list --name | grep -qx "$GUEST" || { echo "virsh list --name:"; $V list --name; return 1; }; }
check virsh-sees-running state_is running
check virsh-lists-it listed
check answers curl -sf -o /dev/null --max-time 20 http://$IP:$PORT/

# The domain XML libvirt holds is the one the build wrote (kernel and
# command line included).
dumped() {
    $V dumpxml "$GUEST" >/tmp/$GUEST.dump.xml || return 1
    grep -q "<type arch='x86_64' machine='xenpvh'>xenpvh</type>" /tmp/$GUEST.dump.xml &&
        grep -q '<cmdline>.*app.port=8080.*</cmdline>' /tmp/$GUEST.dump.xml ||
        { head -n 20 /tmp/$GUEST.dump.xml; return 1; }
}
check dumpxml dumped

gone() {        # the domain is no longer running under libvirt or Xen
    for _ in $(seq 100); do
        $V domstate "$GUEST" >/dev/null 2>&1 || { xl list "$GUEST" >/dev/null 2>&1 || return 0; }
        sleep 0.2
    done
    echo "still there: virsh domstate: $($V domstate "$GUEST" 2>&1 | sed '/^$/d'); xl list: $(xl list "$GUEST" 2>&1 | tail -1)"
    tail -n 12 /var/log/libvirt/libvirtd.log 2>/dev/null
    return 1
}
rm -f /tmp/$GUEST.save
check virsh-save $V save "$GUEST" /tmp/$GUEST.save
check gone-after-save gone
check virsh-restore $V restore /tmp/$GUEST.save
check guest-resumed wait_log 'suspend: resumed after' 30
check back-on wait_log 'net0: back on' 30
check running-after-restore state_is running
check answers-after-restore curl -sf -o /dev/null --max-time 20 http://$IP:$PORT/
rm -f /tmp/$GUEST.save

# Live migration to the same host: libvirt refuses it, since source and
# destination are one libvirtd, where the domain is already active; the
# guest must go on answering.
migrate_same_host() {
    local out
    out=$(timeout 120 $V migrate --live --p2p "$GUEST" xen:///system 2>&1)
    [ $? -ne 0 ] || { echo "virsh migrate to this same host succeeded"; return 0; }
    echo "note: virsh migrate to the same host: $(echo "$out" | sed '/^$/d' | head -1)"
    grep -qi 'already active\|same host' <<<"$out" ||
        { echo "refused, but not for being the same host:"; echo "$out"; return 1; }
}
check migrate-same-host-refused migrate_same_host
check answers-after-migrate-attempt curl -sf -o /dev/null --max-time 20 http://$IP:$PORT/

# A bad value: libvirt refuses the XML and says which element was wrong.
bad_value() {
    local out
    sed "s|<memory unit='MiB'>[0-9]*</memory>|<memory unit='MiB'>lots</memory>|; s|<name>[^<]*</name>|<name>bad-$GUEST</name>|" \
        "$XML" >/tmp/bad.xml
    grep -q '>lots<' /tmp/bad.xml || { echo "could not make the bad XML"; return 1; }
    out=$($V create /tmp/bad.xml 2>&1) && { echo "virsh create accepted memory 'lots'"; $V destroy "bad-$GUEST"; return 1; }
    echo "note: $(echo "$out" | sed '/^$/d' | tr '\n' ' ')"
    grep -qi 'memory' <<<"$out" || { echo "the error does not name the memory element: $out"; return 1; }
    ! xl list "bad-$GUEST" >/dev/null 2>&1 || { echo "a domain bad-$GUEST exists"; return 1; }
}
check bad-xml-value-refused bad_value

# virsh shutdown reaches the restored guest, which exits with status 0.
check virsh-shutdown $V shutdown "$GUEST"
check gone-after-shutdown gone
check guest-exited-0 wait_log '^exit status 0$' 10
finish
