#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# A thread dump on demand: `xl sysrq GUEST t` (tests/xen/threads "dump").
# The guest prints every thread; the test checks the dump on its console.
for _ in $(seq 100); do
    grep -q '^waiting for xl shutdown' "$GUEST_LOG" && break
    sleep 0.1
done
xl sysrq "$GUEST" t || { echo "FAIL xl sysrq"; exit 1; }
for _ in $(seq 100); do
    grep -q "'sleeper': blocked" "$GUEST_LOG" && break
    sleep 0.1
done
sleep 0.5
grep -q "'sleeper': blocked" "$GUEST_LOG" || { echo "FAIL no thread dump on the console"; exit 1; }
echo "PASS thread-dump"
