#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Install the Debian 12 packages Xenolith needs to build, boot and test
# (idempotent). Run as root, or through sudo.
set -euo pipefail

PKGS=(gcc make binutils git patch qemu-system-x86 dpkg-dev xz-utils apt ca-certificates cpio kmod
      clang libclang-rt-14-dev device-tree-compiler gnuplot-nox
      socat redis-tools wrk     # make run forwards ports with socat; make check drives it with redis-tools and wrk
      autoconf cmake pkg-config  # make check builds programs through the SDK with them (its
                                 # x86_64-xenolith-pkg-config runs pkg-config on the SDK's .pc files)
      libvirt-clients)           # virt-xml-validate checks each app's libvirt domain

if [ "$(id -u)" -ne 0 ]; then
    echo "setup: error: run as root (sudo tools/setup.sh)" >&2
    exit 1
fi
missing=()
for p in "${PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# apt-get update is needed anyway: tools/deps.sh resolves package versions.
echo "setup: apt-get update"
apt-get update -qq
if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "setup: all packages present"
