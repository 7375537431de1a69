#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Build lighttpd for Xenolith: Debian's lighttpd source package (fetched
# and cached like the other dependencies, Debian's patches applied, never
# in git), built by lighttpd's own CMake build through the SDK's
# toolchain file, as lighttpd's INSTALL describes a static build: every
# module linked in (BUILD_STATIC) and src/plugin-static.h listing the ones
# to register. No change to lighttpd's source. Optional libraries it can
# use (PCRE2, zlib) are not part of the SDK and are turned off.
#
# usage: build.sh IMAGE     (the top-level Makefile runs it for make APP=lighttpd,
#                            with the SDK's bin/ first on PATH)
# Beside IMAGE: lighttpd-site.tar (etc/lighttpd.conf and www/ from this
# directory's site/), the guest's boot module.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
IMAGE=${1:?usage: build.sh IMAGE}
OUT=$(cd "$(dirname "$IMAGE")" && pwd)
command -v x86_64-xenolith-gcc >/dev/null ||
    { echo "lighttpd: error: x86_64-xenolith-gcc is not on PATH (make sdk)" >&2; exit 1; }
SDK=$(cd "$(dirname "$(command -v x86_64-xenolith-gcc)")/.." && pwd)

"$ROOT/tools/debsrc.sh" tree lighttpd "$OUT/src" "$SDK"
# The modules of the static build (INSTALL: "create src/plugin-static.h").
printf 'PLUGIN_INIT(%s)\n' mod_access mod_accesslog mod_alias mod_dirlisting mod_expire \
    mod_indexfile mod_redirect mod_setenv mod_staticfile mod_status >"$OUT/src/src/plugin-static.h"

log=$OUT/src/build.log
printf '  LIGHTTPD cmake and make (log: %s)\n' "${log#$ROOT/}"
mkdir -p "$OUT/src/_build"
if ! (cd "$OUT/src/_build" &&
      XENOLITH_XL=0 cmake -DCMAKE_TOOLCHAIN_FILE="$SDK/share/xenolith/toolchain.cmake" \
          -DCMAKE_BUILD_TYPE=Release -DBUILD_STATIC=ON -DWITH_PCRE2=OFF -DWITH_ZLIB=OFF .. &&
      XENOLITH_XL=0 make -j"${LIGHTTPD_JOBS:-2}" lighttpd) >"$log" 2>&1; then
    tail -30 "$log" >&2
    echo "lighttpd: error: lighttpd's build failed (whole log: $log)" >&2
    exit 1
fi
touch "$OUT/src/.built"
cmp -s "$OUT/src/_build/build/lighttpd" "$IMAGE" || cp "$OUT/src/_build/build/lighttpd" "$IMAGE"
tar -cf "$OUT/lighttpd-site.tar.tmp" -C "$HERE/site" etc www && mv "$OUT/lighttpd-site.tar.tmp" "$OUT/lighttpd-site.tar"
