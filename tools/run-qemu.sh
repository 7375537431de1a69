#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Boot a Xenolith image directly in QEMU (PVH entry, microvm machine),
# with the console on the terminal, and exit with the guest's status.
#
# usage: run-qemu.sh [options] IMAGE.elf [COMMAND-LINE]
#   --timeout S     stop the guest after S seconds (default: none)
#   --log FILE      also write the console output to FILE
#   --accel A       auto (default), kvm or tcg
#   --memory MB     guest memory (default 64)
#   --module FILE   the boot module (a DTB or a tar archive)
#
# Exit status: the app's exit status (0-255) when the guest exits;
# 134 when the guest crashed; 124 on timeout; 125 when QEMU failed or
# ended without a verdict from the guest.
#
# --accel auto uses KVM when /dev/kvm is usable and a probe boot of the
# image under KVM succeeds (some machines have a KVM that cannot run it);
# otherwise TCG. The probe's answer is cached per QEMU version.
set -uo pipefail

TIMEOUT=0 LOG= ACCEL=auto MEM=64 MODULE=
while [ $# -gt 0 ]; do
    case $1 in
    --timeout) TIMEOUT=$2; shift 2 ;;
    --log) LOG=$2; shift 2 ;;
    --accel) ACCEL=$2; shift 2 ;;
    --memory) MEM=$2; shift 2 ;;
    --module) MODULE=$2; shift 2 ;;
    -h|--help) sed -n '4,22p' "$0"; exit 0 ;;
    -*) echo "run-qemu: error: unknown option '$1'" >&2; exit 125 ;;
    *) break ;;
    esac
done
IMAGE=${1:-}
CMDLINE=${2:-}
[ -n "$IMAGE" ] || { echo "run-qemu: error: no image given (usage: run-qemu.sh [options] IMAGE.elf [CMDLINE])" >&2; exit 125; }
[ -f "$IMAGE" ] || { echo "run-qemu: error: image '$IMAGE' not found" >&2; exit 125; }
[ -z "$MODULE" ] || [ -f "$MODULE" ] || { echo "run-qemu: error: module '$MODULE' not found" >&2; exit 125; }
QEMU=$(command -v qemu-system-x86_64) ||
    { echo "run-qemu: error: qemu-system-x86_64 not found; install the Debian package qemu-system-x86" >&2; exit 125; }

qemu_cmd() {   # accel image cmdline
    local accel=$1 cpu=max
    [ "$accel" = kvm ] && cpu=host
    echo "$QEMU" -M microvm -accel "$accel" -cpu "$cpu" -m "$MEM" -nographic \
        -nic none -no-reboot -device isa-debug-exit,iobase=0x501,iosize=1
}

kvm_usable() {
    [ -r /dev/kvm ] && [ -w /dev/kvm ] || return 1
    local cache=${XENOLITH_CACHE:-$HOME/.cache/xenolith}
    local key; key=$("$QEMU" --version | head -1 | tr -c 'a-zA-Z0-9.\n' _)
    local f=$cache/kvm-probe-$key-$(uname -r)
    # A negative answer is probed again after a day (a loaded host can
    # make one probe time out).
    if [ -f "$f" ] && [ "$(cat "$f")" = tcg ] && [ -n "$(find "$f" -mmin +1440)" ]; then
        rm -f "$f"
    fi
    if [ ! -f "$f" ]; then
        mkdir -p "$cache"
        # A bad loglevel makes the kernel stop with status 2 right after
        # entry, long mode, SSE and the console: QEMU exits with 5.
        timeout 10 $(qemu_cmd kvm) -kernel "$IMAGE" -append "loglevel=kvm-probe" \
            </dev/null >/dev/null 2>&1
        if [ $? -eq 5 ]; then echo kvm >"$f"; else echo tcg >"$f"; fi
    fi
    [ "$(cat "$f")" = kvm ]
}

case $ACCEL in
auto) if kvm_usable; then ACCEL=kvm; else ACCEL=tcg; fi ;;
kvm|tcg) ;;
*) echo "run-qemu: error: --accel must be auto, kvm or tcg" >&2; exit 125 ;;
esac

out=$(mktemp)
trap 'rm -f "$out"' EXIT
args=($(qemu_cmd "$ACCEL") -kernel "$IMAGE" -append "$CMDLINE")
[ -n "$MODULE" ] && args+=(-initrd "$MODULE")
if [ -t 0 ] && [ "$TIMEOUT" = 0 ]; then
    "${args[@]}" | tee "$out"       # interactive: Ctrl-A x quits
    rc=${PIPESTATUS[0]}
else
    tmo=()
    [ "$TIMEOUT" != 0 ] && tmo=(timeout -k 2 "$TIMEOUT")
    "${tmo[@]}" "${args[@]}" </dev/null | tee "$out"
    rc=${PIPESTATUS[0]}
fi
tr -d '\r' <"$out" >"$out.clean" && mv "$out.clean" "$out"
[ -n "$LOG" ] && cp "$out" "$LOG"

# QEMU's own exit status is authoritative: the guest's exit path writes
# its status to isa-debug-exit, and QEMU then ends with (code << 1) | 1.
# The console's verdict only says which status that was (the port keeps 7
# bits: exit(127), exit(255) and a crash all end QEMU with 255). A console
# verdict that QEMU's status does not confirm (a guest that printed
# "exit status 0" and then hung, died or exited otherwise) is no verdict.
crashed=0
grep -q '^xenolith: guest crashed$' "$out" && crashed=1
last=$(grep -E '^exit status [0-9]+$' "$out" | tail -1)
timed_out=0
[ "$TIMEOUT" != 0 ] && { [ "$rc" = 124 ] || [ "$rc" = 137 ]; } && timed_out=1
if [ $crashed = 1 ]; then
    [ "$rc" = 255 ] && exit 134
    echo "run-qemu: the guest reported a crash, but QEMU ended with status $rc, not 255" >&2
elif [ -n "$last" ]; then
    status=${last#exit status }
    want=$(( (status * 2 + 1) & 255 ))
    [ "$want" = "$rc" ] && exit "$status"
    echo "run-qemu: the guest printed '$last', but QEMU ended with status $rc (its exit path gives $want)" >&2
fi
if [ $timed_out = 1 ]; then
    echo "run-qemu: the guest did not finish within ${TIMEOUT}s" >&2
    exit 124
fi
[ $crashed = 1 ] || [ -n "$last" ] ||
    echo "run-qemu: QEMU ended (status $rc) without an exit status from the guest" >&2
exit 125
