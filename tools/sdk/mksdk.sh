#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Assemble the Xenolith SDK (make sdk): a relocatable tree with a compiler
# driver whose link step makes a bootable image.
#
# usage: SDK_CFLAGS='...' tools/sdk/mksdk.sh OUT DEPS LIBXENOLITH LIBC KERNEL-OBJECT
# SDK_CFLAGS: the flags every object of an image is compiled with (the
# Makefile passes mk/flags.mk's and the POSIX definitions).
#
#   OUT/bin/x86_64-xenolith-gcc      the compiler driver (also -cc, and
#                                    xenolith-cc; x86_64-xenolith-elf-* for
#                                    configure scripts whose config.sub
#                                    wants a three-part name)
#   OUT/bin/x86_64-xenolith-{ar,ranlib,strip,nm,objcopy,objdump,readelf,pkg-config}
#   OUT/x86_64-xenolith/include/     newlib, Xenolith, lwIP, libfdt headers
#   OUT/x86_64-xenolith/lib/         the kernel, libc, libm, lwIP, libfdt,
#                                    the linker script and link helpers
#   OUT/share/xenolith/toolchain.cmake   CMake's toolchain file
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${1:?usage: mksdk.sh OUT DEPS LIBXENOLITH LIBC KERNEL-OBJECT}
DEPS=$2 LIBXN=$3 LIBC=$4
shift 4
[ $# -eq 1 ] || { echo "mksdk: error: one kernel object expected" >&2; exit 2; }
T=$OUT.tmp
rm -rf "$T"
SYS=$T/x86_64-xenolith
mkdir -p "$T/bin" "$SYS/lib/pkgconfig" "$SYS/include" "$T/share/xenolith/Platform"

# Libraries. The kernel goes in whole (one object: the image's start,
# drivers and hooks, with only its public names global); the rest are
# searched as usual.
ar rcs "$SYS/lib/libxnkernel.a" "$1"
cp "$LIBXN" "$SYS/lib/libxenolith.a"
cp "$LIBC" "$SYS/lib/libc.a"
for l in m lwip fdt; do cp -L "$DEPS/lib/lib$l.a" "$SYS/lib/"; done
# Libraries that other systems split out of libc: here every call is in
# the one C library, so they are empty and -lpthread and the like link.
for l in pthread rt dl util xnet crypt; do ar rc "$SYS/lib/lib$l.a"; done
cp "$ROOT/linker.ld" "$ROOT/tools/mksyms.sh" "$ROOT/tools/xen/mkxl.sh" "$SYS/lib/"
[ -n "${SDK_CFLAGS:-}" ] || { echo "mksdk: error: SDK_CFLAGS is not set" >&2; exit 2; }
printf '%s\n' "$SDK_CFLAGS" >"$SYS/lib/cflags"

# Headers, in the order the tree's own build searches them.
cp -rL "$DEPS/include/." "$SYS/include/"
mkdir -p "$SYS/include/xenolith" "$SYS/include/lwip" "$SYS/include/lwip-port" "$SYS/include/libfdt"
cp -r "$ROOT/include/." "$SYS/include/xenolith/"
cp -rL "$DEPS/lwip/." "$SYS/include/lwip/"
cp -r "$ROOT/lib/lwip/include/." "$SYS/include/lwip-port/"
cp -L "$DEPS"/libfdt/*.h "$SYS/include/libfdt/"

# Programs.
install -m 755 "$ROOT/tools/sdk/x86_64-xenolith-gcc" "$T/bin/x86_64-xenolith-gcc"
for n in x86_64-xenolith-cc xenolith-cc x86_64-xenolith-elf-gcc x86_64-xenolith-elf-cc; do
    ln -s x86_64-xenolith-gcc "$T/bin/$n"
done
# The host's binutils handle the image's objects (x86-64 ELF) as they are.
for t in ar ranlib strip nm objcopy objdump readelf; do
    printf '#!/bin/sh\nexec %s "$@"\n' "$t" >"$T/bin/x86_64-xenolith-$t"
    chmod 755 "$T/bin/x86_64-xenolith-$t"
    ln -s "x86_64-xenolith-$t" "$T/bin/x86_64-xenolith-elf-$t"
done
# pkg-config sees only the SDK's own .pc files, never the host's.
cat >"$T/bin/x86_64-xenolith-pkg-config" <<'EOF'
#!/bin/sh
SYS=$(cd "$(dirname "$(readlink -f "$0")")/../x86_64-xenolith" && pwd)
command -v pkg-config >/dev/null || { echo "x86_64-xenolith-pkg-config: error: pkg-config is not installed" >&2; exit 1; }
PKG_CONFIG_LIBDIR=$SYS/lib/pkgconfig PKG_CONFIG_PATH= PKG_CONFIG_SYSROOT_DIR= exec pkg-config "$@"
EOF
chmod 755 "$T/bin/x86_64-xenolith-pkg-config"
ln -s x86_64-xenolith-pkg-config "$T/bin/x86_64-xenolith-elf-pkg-config"

# CMake: -DCMAKE_TOOLCHAIN_FILE=<sdk>/share/xenolith/toolchain.cmake
cat >"$T/share/xenolith/toolchain.cmake" <<'EOF'
# CMake toolchain file for Xenolith: cmake -DCMAKE_TOOLCHAIN_FILE=<sdk>/share/xenolith/toolchain.cmake
get_filename_component(XENOLITH_SDK "${CMAKE_CURRENT_LIST_DIR}/../.." ABSOLUTE)
list(APPEND CMAKE_MODULE_PATH "${CMAKE_CURRENT_LIST_DIR}")
set(CMAKE_SYSTEM_NAME Xenolith)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(CMAKE_C_COMPILER "${XENOLITH_SDK}/bin/x86_64-xenolith-gcc")
set(CMAKE_AR "${XENOLITH_SDK}/bin/x86_64-xenolith-ar" CACHE FILEPATH "ar")
set(CMAKE_RANLIB "${XENOLITH_SDK}/bin/x86_64-xenolith-ranlib" CACHE FILEPATH "ranlib")
set(CMAKE_STRIP "${XENOLITH_SDK}/bin/x86_64-xenolith-strip" CACHE FILEPATH "strip")
set(PKG_CONFIG_EXECUTABLE "${XENOLITH_SDK}/bin/x86_64-xenolith-pkg-config" CACHE FILEPATH "pkg-config")
set(CMAKE_FIND_ROOT_PATH "${XENOLITH_SDK}/x86_64-xenolith")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
EOF
# CMake's platform file: a Unix, static only.
cat >"$T/share/xenolith/Platform/Xenolith.cmake" <<'EOF'
# Xenolith: one statically linked image; a Unix as far as sources care.
set(UNIX 1)
set(XENOLITH 1)
set(CMAKE_STATIC_LIBRARY_PREFIX "lib")
set(CMAKE_STATIC_LIBRARY_SUFFIX ".a")
set(CMAKE_EXECUTABLE_SUFFIX "")
set(CMAKE_FIND_LIBRARY_PREFIXES "lib")
set(CMAKE_FIND_LIBRARY_SUFFIXES ".a")
set_property(GLOBAL PROPERTY TARGET_SUPPORTS_SHARED_LIBS FALSE)
EOF
cp "$ROOT/docs/porting.md" "$T/share/xenolith/" 2>/dev/null || true

rm -rf "$OUT"
mv "$T" "$OUT"
printf '  %-7s %s\n' SDK "${OUT#"$ROOT"/}/bin/x86_64-xenolith-gcc"
