# SPDX-License-Identifier: BSD-2-Clause
# Client for apps/httpd across `xl save` and `xl restore` (run with
# xl=client: the client owns the guest's life). A keep-alive connection
# opened before the save must keep working after the restore; a
# checkpoint (`xl save -c`: a cancelled suspend, the domain goes on)
# must leave the guest answering too. The restored guest must announce
# its IPv6 addresses (an unsolicited neighbour advertisement).
. ./client-lib.sh
IP=10.99.0.2 PORT=8080
check listening wait_tcp $IP $PORT 60

# get: one GET / on the connection at fd 3; the body's length must be right.
get() {
    local line len=
    printf 'GET / HTTP/1.1\r\nHost: %s\r\nConnection: keep-alive\r\n\r\n' $IP >&3 || return 1
    IFS= read -r -t 20 line <&3 || { echo "no status line"; return 1; }
    case $line in "HTTP/1.1 200"*) ;; *) echo "status: $line"; return 1 ;; esac
    while IFS= read -r -t 20 line <&3; do
        line=${line%$'\r'}
        [ -z "$line" ] && break
        case ${line,,} in content-length:*) len=${line#*: } ;; esac
    done
    [ -n "$len" ] || { echo "no Content-Length"; return 1; }
    IFS= read -r -t 20 -N "$len" body <&3 || { echo "short body"; return 1; }
    [ ${#body} = "$len" ]
}
exec 3<>/dev/tcp/$IP/$PORT
check keep-alive-before get
check checkpoint xl save -c "$GUEST" /tmp/$GUEST.ckpt
check guest-resumed-in-place wait_log 'suspend: cancelled, resumed in place' 30
check keep-alive-after-checkpoint get
# The restored guest announces its IPv6 addresses (an unsolicited
# neighbour advertisement from its MAC, seen on dom0's interfaces).
mac=$(xenstore-read "/local/domain/$GUEST_ID/device/vif/0/mac" 2>/dev/null)
check save xl save "$GUEST" /tmp/$GUEST.save
./xnprobe na "${mac:-none}" 60 >/tmp/$GUEST.na 2>&1 &
napid=$!
check na-watch-ready wait_ready_file '^ready$' /tmp/$GUEST.na
check restore xl restore /tmp/$GUEST.save
check guest-resumed wait_log 'suspend: resumed after' 30
check back-on wait_log 'net0: back on' 30
announced() {       # (a subshell of check's: it cannot wait for xnprobe)
    for _ in $(seq 100); do
        grep -q '^NA ' /tmp/$GUEST.na && break
        sleep 0.1
    done
    sed "s/^NA /note: neighbour advertisement: /" /tmp/$GUEST.na
    grep -qE "^NA target=[0-9a-f:]+ override=1 solicited=0 lladdr=$mac$" /tmp/$GUEST.na
}
check neighbour-advertisement announced
kill $napid 2>/dev/null
wait $napid 2>/dev/null
check keep-alive-after-restore get
check new-connection-after-restore curl -sf -o /dev/null --max-time 20 http://$IP:$PORT/
rm -f /tmp/$GUEST.save /tmp/$GUEST.ckpt
exec 3>&-
# xl shutdown reaches the restored guest (its control watch was registered again).
check shutdown-after-restore timeout 30 xl shutdown -w "$GUEST"
finish
