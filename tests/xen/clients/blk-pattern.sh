# SPDX-License-Identifier: BSD-2-Clause
# Client for tests/xen/blkfront "pattern", run in dom0 by the harness: the
# guest's disk came from the host with lines "blk%012u\n" (each 16-byte
# line's index); the guest checks them in the first half and writes lines
# "gst%012u\n" over the second half. Here dom0 reads the disk image itself
# and compares both halves with what they must hold.
. ./client-lib.sh
img=/test/$GUEST.img

expect() {          # PREFIX FIRST-LINE COUNT: the lines as they must be
    # (seq, not awk: awk under emulation takes seconds per MiB; dom0's
    # is busybox's, without -f: 10^12 + i, whose leading 1 becomes PREFIX)
    seq $((1000000000000 + $2)) $((1000000000000 + $2 + $3 - 1)) | sed "s/^1/$1/"
}
check guest-read-host-pattern wait_log '^PASS read the host.s pattern' 60
host_sees_guest() {
    wait_log '^(PASS|FAIL) wrote the guest.s pattern' 60 | grep -q '^PASS' || return 1
    local bytes half
    bytes=$(stat -c %s "$img"); half=$((bytes / 2))
    # The expected halves are made once per dom0 and shared by the
    # guests of this test.
    [ -s /tmp/want-gst.$half ] || expect gst $((half / 16)) $((half / 16)) >/tmp/want-gst.$half
    dd if="$img" bs=65536 skip=$((half / 65536)) 2>/dev/null | cmp - /tmp/want-gst.$half || return 1
    # The first half is still the host's: the guest wrote nothing there.
    [ -s /tmp/want-blk.$half ] || expect blk 0 $((half / 16)) >/tmp/want-blk.$half
    dd if="$img" bs=65536 count=$((half / 65536)) 2>/dev/null | cmp - /tmp/want-blk.$half || return 1
    echo "note: dom0 read back $half bytes the guest wrote, and $half it left alone"
}
check host-reads-guest-pattern host_sees_guest
finish
