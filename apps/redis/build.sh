#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Build Redis for Xenolith: Debian's redis source package (fetched and
# cached like the other dependencies, with Debian's patches applied; never
# in git), built by Redis's own Makefile with its usual options for a
# static build (MALLOC=libc, no systemd, no TLS) through the SDK's
# compiler driver. No change to Redis's source.
#
# usage: build.sh IMAGE     (the top-level Makefile runs it for make APP=redis,
#                            with the SDK's bin/ first on PATH)
# IMAGE: where redis-server goes; its source tree is built beside it,
# in IMAGE's directory/src (kept: Redis's make rebuilds what changed).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
IMAGE=${1:?usage: build.sh IMAGE}
OUT=$(cd "$(dirname "$IMAGE")" && pwd)
command -v x86_64-xenolith-gcc >/dev/null ||
    { echo "redis: error: x86_64-xenolith-gcc is not on PATH (make sdk)" >&2; exit 1; }

# The source: Debian's newest redis, extracted once into the cache and
# copied here (afresh for a new version, a failed build or a new SDK).
SDK=$(cd "$(dirname "$(command -v x86_64-xenolith-gcc)")/.." && pwd)
"$ROOT/tools/debsrc.sh" tree redis "$OUT/src" "$SDK"

# Redis's own Makefile. MALLOC=libc: newlib's malloc (jemalloc is a
# separate configure-based build); USE_MALLOC_USABLE_SIZE: Redis sizes
# allocations with malloc_usable_size() (newlib has it) instead of a
# prefix. The link of redis-server through the driver makes the image.
printf '  REDIS   make redis-server (log: %s)\n' "${OUT#$ROOT/}/src/build.log"
if ! XENOLITH_XL=0 make -C "$OUT/src/src" -j"${REDIS_JOBS:-2}" redis-server \
        CC=x86_64-xenolith-gcc AR=x86_64-xenolith-ar RANLIB=x86_64-xenolith-ranlib \
        PKG_CONFIG=x86_64-xenolith-pkg-config MALLOC=libc USE_SYSTEMD=no BUILD_TLS=no \
        REDIS_CFLAGS=-DUSE_MALLOC_USABLE_SIZE >"$OUT/src/build.log" 2>&1; then
    tail -30 "$OUT/src/build.log" >&2
    echo "redis: error: Redis's build failed (whole log: $OUT/src/build.log)" >&2
    exit 1
fi
touch "$OUT/src/.built"
cmp -s "$OUT/src/src/redis-server" "$IMAGE" || cp "$OUT/src/src/redis-server" "$IMAGE"
