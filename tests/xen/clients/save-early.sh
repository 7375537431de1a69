# SPDX-License-Identifier: BSD-2-Clause
# Client for apps/httpd (xl=client: the client owns the guest's life):
# `xl save` asked the moment the guest is unpaused, while it is still
# booting (before its control watch, netfront's handshake and the app).
# It must either suspend (then `xl restore` brings it back, and it
# finishes its boot) or refuse cleanly (xl says so and the guest runs
# on); either way it ends up serving, and it never crashes.
. ./client-lib.sh
IP=10.99.0.2 PORT=8080
rm -f /tmp/$GUEST.early
early_save() {
    local out rc
    out=$(timeout 120 xl save "$GUEST" /tmp/$GUEST.early 2>&1); rc=$?
    if [ $rc = 0 ]; then
        echo "note: xl save while booting: saved"
        return 0
    fi
    # Refused: the guest must still be there, not crashed.
    echo "note: xl save while booting: refused (status $rc): $(echo "$out" | tail -n 2 | tr '\n' ' ')"
    case $(xl list "$GUEST" 2>/dev/null | awk 'NR == 2 { print $5 }') in
    ""|*c*) echo "the guest is gone or crashed after the refused save"; return 1 ;;
    esac
}
check save-while-booting early_save
restore_if_saved() {
    [ -f /tmp/$GUEST.early ] || return 0
    xl list "$GUEST" >/dev/null 2>&1 && { echo "the domain is still there after a save"; return 1; }
    xl restore /tmp/$GUEST.early
}
check restore-if-saved restore_if_saved
check listening wait_tcp $IP $PORT 60
check answers curl -sf -o /dev/null --max-time 20 http://$IP:$PORT/
check net-up wait_log 'net0: (up|back) on' 5
check shutdown timeout 30 xl shutdown -w "$GUEST"
rm -f /tmp/$GUEST.early
finish
