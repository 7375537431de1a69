#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Obtain and build Xenolith's third-party dependencies from Debian packages:
#   newlib   (binary package newlib-source)
#   lwIP     (source package lwip, pristine upstream tree)
#   libfdt   (scripts/dtc/libfdt from binary package linux-source-6.1)
#   Xen public headers (binary package libxen-dev)
#
# Everything goes into a cache outside the source tree ($XENOLITH_CACHE,
# default ~/.cache/xenolith). Each component is keyed by its Debian version,
# the compiler flags and its recipe, so a rerun only rebuilds what changed.
# Versions are resolved at run time from apt and recorded in
# $OUT/VERSIONS. On success $OUT (normally build/deps) holds:
#   include/        newlib headers
#   lib/            libc.a libm.a liblwip.a libfdt.a
#   lwip/           lwIP headers (src/include)
#   libfdt/         libfdt headers
#   libfdt-src/     libfdt sources (host builds of the unit tests and fuzzers)
#   xeninc/xen      Xen public headers
#
# Usage: tools/deps.sh OUT_DIR   (CFLAGS for the libraries in $DEPS_CFLAGS)
set -euo pipefail
# Builds below run their own make; do not inherit the caller's jobserver.
unset MAKEFLAGS MFLAGS MAKELEVEL

OUT=${1:?usage: deps.sh OUT_DIR}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${XENOLITH_CACHE:-$HOME/.cache/xenolith}
JOBS=${DEPS_JOBS:-2}
CFLAGS_DEP=${DEPS_CFLAGS:?DEPS_CFLAGS must be set (the Makefile sets it)}
GCCINC=$(gcc -print-file-name=include)
STEP="start"

say()  { printf '  DEPS    %s\n' "$*" >&2; }
fail() { printf 'deps: error: %s\n' "$*" >&2; exit 1; }
trap 'rc=$?; [ $rc -ne 0 ] && printf "deps: failed during step: %s (see messages above)\n" "$STEP" >&2; exit $rc' EXIT

hash() { sha256sum | cut -c1-16; }

need_tool() {
    command -v "$1" >/dev/null 2>&1 ||
        fail "'$1' not found; install Debian package '$2' (or run .ci/run, which installs everything)"
}
need_tool apt-get apt
need_tool dpkg-deb dpkg
need_tool dpkg-source dpkg-dev
need_tool xz xz-utils
need_tool gcc gcc

mkdir -p "$CACHE/dl" "$OUT"

# Candidate version of a binary package, or fail with a clear message.
pkg_version() {
    local v
    v=$(apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ {print $2}')
    [ -n "$v" ] && [ "$v" != "(none)" ] ||
        fail "Debian package '$1' not found by apt (run 'apt-get update' first?)"
    echo "$v"
}

# Download a binary package .deb at the given version into the cache.
pkg_fetch() {
    local name=$1 ver=$2 deb
    deb=$(ls "$CACHE/dl/${name}_${ver//:/%3a}_"*.deb 2>/dev/null | head -1 || true)
    if [ -z "$deb" ]; then
        say "download $name $ver"
        (cd "$CACHE/dl" && apt-get -o APT::Sandbox::User=root download -q "$name=$ver" >/dev/null) ||
            fail "apt-get download $name=$ver failed"
        deb=$(ls "$CACHE/dl/${name}_${ver//:/%3a}_"*.deb 2>/dev/null | head -1 || true)
        [ -n "$deb" ] || fail "download of $name $ver produced no .deb"
    fi
    echo "$deb"
}

# ---------------------------------------------------------------- newlib
STEP="newlib"
NEWLIB_VER=$(pkg_version newlib-source)
NEWLIB_RECIPE=7
NEWLIB_KEY=$(printf '%s|%s|%s|%s|%s' "$NEWLIB_VER" "$CFLAGS_DEP" "$NEWLIB_RECIPE" "$(gcc --version | head -1)" \
    "$(hash <"$ROOT/include/sys/dirent.h")" | hash)
NEWLIB_DIR=$CACHE/newlib-$NEWLIB_KEY
if [ ! -f "$NEWLIB_DIR/.done" ]; then
    deb=$(pkg_fetch newlib-source "$NEWLIB_VER")
    work=$CACHE/work/newlib-$NEWLIB_KEY
    rm -rf "$work" "$NEWLIB_DIR"; mkdir -p "$work/pkg" "$work/src" "$work/build"
    STEP="newlib: unpack $deb"
    dpkg-deb -x "$deb" "$work/pkg"
    tarball=$(ls "$work"/pkg/usr/src/newlib/newlib-*.tar.* | head -1)
    [ -n "$tarball" ] || fail "newlib-source has no tarball under /usr/src/newlib"
    tar -C "$work/src" -xf "$tarball"
    srcdir=$(ls -d "$work"/src/*/ | head -1)
    # newlib 3.3's malloc fills its own struct mallinfo of ints while the
    # installed <malloc.h> declares size_t fields, so mallinfo() returned
    # garbage in the upper fields: give mallocr.c the header's layout.
    STEP="newlib: patch mallinfo"
    mallocr=$srcdir/newlib/libc/stdlib/mallocr.c
    sed -i '/^struct mallinfo {/,/^};/ s/^  int /  size_t /' "$mallocr" ||
        fail "cannot patch $mallocr"
    [ "$(sed -n '/^struct mallinfo {/,/^};/p' "$mallocr" | grep -c '^  size_t ')" = 10 ] ||
        fail "newlib's mallocr.c no longer has the expected struct mallinfo; review the mallinfo patch in tools/deps.sh"
    STEP="newlib: configure"
    say "configure newlib $NEWLIB_VER"
    (cd "$work/build" && "$srcdir/configure" --target=x86_64-elf --prefix="$work/prefix" \
        --disable-multilib --disable-nls \
        --enable-newlib-io-long-long --enable-newlib-io-c99-formats \
        --enable-newlib-retargetable-locking --enable-newlib-multithread \
        --enable-newlib-global-stdio-streams --enable-newlib-io-long-double \
        CC_FOR_TARGET="gcc -nostdinc -idirafter $GCCINC" \
        AS_FOR_TARGET=as AR_FOR_TARGET=ar RANLIB_FOR_TARGET=ranlib LD_FOR_TARGET=ld \
        NM_FOR_TARGET=nm OBJDUMP_FOR_TARGET=objdump OBJCOPY_FOR_TARGET=objcopy \
        READELF_FOR_TARGET=readelf STRIP_FOR_TARGET=strip \
        CFLAGS_FOR_TARGET="$CFLAGS_DEP -D__LINUX_ERRNO_EXTENSIONS__" >"$work/configure.log" 2>&1) ||
        { tail -20 "$work/configure.log" >&2; fail "newlib configure failed (log: $work/configure.log)"; }
    STEP="newlib: build"
    say "build newlib (a few minutes)"
    (cd "$work/build" && make -j"$JOBS" all-target-newlib >"$work/build.log" 2>&1 &&
        make install-target-newlib >>"$work/build.log" 2>&1) ||
        { tail -30 "$work/build.log" >&2; fail "newlib build failed (log: $work/build.log)"; }
    # newlib builds libc/posix only for the systems it lists (a generic
    # ELF target gets none of it, and its directory calls need a DIR it
    # does not have). Its fnmatch, glob and regex are portable: compile
    # them here into libc.a, glob with the DIR of include/sys/dirent.h
    # (lib/fs/vfs.c implements opendir and readdir).
    STEP="newlib: fnmatch, glob, regex"
    psrc=$srcdir/newlib/libc/posix
    mkdir -p "$work/posix/inc/sys"
    cp "$ROOT/include/sys/dirent.h" "$work/posix/inc/sys/"
    # glob() as __bsd_glob: lib/posix/path.c's glob() adds POSIX's
    # GLOB_NOMATCH and backslash quoting around it (include/glob.h).
    for f in fnmatch collate collcmp glob regcomp regerror regexec regfree; do
        gcc $CFLAGS_DEP -Dglob=__bsd_glob -D__LINUX_ERRNO_EXTENSIONS__ -D_GNU_SOURCE -fno-builtin -DMISSING_SYSCALL_NAMES \
            -nostdinc -I"$work/posix/inc" -isystem "$work/prefix/x86_64-elf/include" -idirafter "$GCCINC" \
            -I"$psrc" -c "$psrc/$f.c" -o "$work/posix/lib_a-$f.o" >>"$work/build.log" 2>&1 ||
            { tail -20 "$work/build.log" >&2; fail "newlib's libc/posix/$f.c did not compile (log: $work/build.log)"; }
    done
    ar rcs "$work/prefix/x86_64-elf/lib/libc.a" "$work/posix/"*.o
    mkdir -p "$NEWLIB_DIR/lib"
    cp -r "$work/prefix/x86_64-elf/include" "$NEWLIB_DIR/include"
    cp "$work/prefix/x86_64-elf/lib/libc.a" "$work/prefix/x86_64-elf/lib/libm.a" "$NEWLIB_DIR/lib/"
    rm -rf "$work"
    touch "$NEWLIB_DIR/.done"
fi
say "newlib $NEWLIB_VER ready"

# ---------------------------------------------------------------- Xen headers
STEP="libxen-dev"
XEN_VER=$(pkg_version libxen-dev)
XEN_DIR=$CACHE/xenheaders-$(printf '%s' "$XEN_VER" | hash)
if [ ! -f "$XEN_DIR/.done" ]; then
    deb=$(pkg_fetch libxen-dev "$XEN_VER")
    rm -rf "$XEN_DIR"; mkdir -p "$XEN_DIR/tmp" "$XEN_DIR/xeninc"
    dpkg-deb -x "$deb" "$XEN_DIR/tmp"
    [ -f "$XEN_DIR/tmp/usr/include/xen/xen.h" ] || fail "libxen-dev has no usr/include/xen/xen.h"
    mv "$XEN_DIR/tmp/usr/include/xen" "$XEN_DIR/xeninc/xen"
    rm -rf "$XEN_DIR/tmp"
    touch "$XEN_DIR/.done"
fi
say "Xen headers $XEN_VER ready"

# ---------------------------------------------------------------- lwIP
STEP="lwip source"
# shellcheck source=tools/debsrc.sh
. "$ROOT/tools/debsrc.sh"
LWIP_VER=$(debsrc_version lwip) || fail "no version of the lwip source package"
# Xenolith's own changes to lwIP (lib/lwip/patches/*.patch, applied in
# name order) are part of the source tree's key.
LWIP_PATCHES=
for p in "$ROOT"/lib/lwip/patches/*.patch; do
    if [ -f "$p" ]; then LWIP_PATCHES+="$p "; fi
done
LWIP_SRC=$CACHE/lwip-src-$(printf '%s|%s' "$LWIP_VER" "$(cat $LWIP_PATCHES /dev/null | hash)" | hash)
if [ ! -f "$LWIP_SRC/.version" ]; then
    # --skip-patches: the pristine upstream tree (Debian's port patch
    # rewrites sockets.c for its Linux port).
    rm -rf "$LWIP_SRC"
    debsrc_extract_version lwip "$LWIP_VER" "$LWIP_SRC.tmp" --skip-patches || fail "lwip source $LWIP_VER"
    for p in $LWIP_PATCHES; do
        patch -d "$LWIP_SRC.tmp" -p1 -s --no-backup-if-mismatch <"$p" ||
            fail "$(basename "$p") does not apply to lwIP $LWIP_VER; update it"
    done
    mv "$LWIP_SRC.tmp" "$LWIP_SRC"
fi

STEP="lwip build"
PORT=$ROOT/lib/lwip/include
LWIP_RECIPE=3
LWIP_KEY=$(printf '%s|%s|%s|%s|%s' "$LWIP_RECIPE" "$LWIP_SRC" "$CFLAGS_DEP" "$NEWLIB_KEY" \
    "$(cat "$PORT"/*.h "$PORT"/arch/*.h | hash)" | hash)
LWIP_DIR=$CACHE/lwip-$LWIP_KEY
if [ ! -f "$LWIP_DIR/.done" ]; then
    say "build lwIP $LWIP_VER"
    rm -rf "$LWIP_DIR"; mkdir -p "$LWIP_DIR/obj" "$LWIP_DIR/lib"
    files=$(make -s -f - -C "$LWIP_SRC" print LWIPDIR=src <<'EOF'
include src/Filelists.mk
print:
	@echo $(COREFILES) $(CORE4FILES) $(CORE6FILES) $(APIFILES) src/netif/ethernet.c
EOF
)
    [ -n "$files" ] || fail "could not read the lwIP file list from src/Filelists.mk"
    # Compile in parallel; the file list is built first, outside the
    # pipeline, so nothing depends on variables set in a subshell.
    # Two variants: liblwip.a, and liblwip-debug.a with lwIP's debug
    # output compiled in (make LWIP_DEBUG=1; net.debug switches it on).
    for variant in "" -debug; do
        vflag=
        [ -n "$variant" ] && vflag=-DXENOLITH_LWIP_DEBUG
        rm -rf "$LWIP_DIR/obj"; mkdir -p "$LWIP_DIR/obj"
        nfiles=0
        for f in $files; do
            nfiles=$((nfiles + 1))
            echo "gcc $CFLAGS_DEP $vflag -nostdinc -isystem $NEWLIB_DIR/include -idirafter $GCCINC -I$PORT -I$LWIP_SRC/src/include -c $LWIP_SRC/$f -o $LWIP_DIR/obj/$(echo "$f" | tr / _).o"
        done >"$LWIP_DIR/commands$variant"
        xargs -P "$JOBS" -I{} sh -c '{} || exit 255' <"$LWIP_DIR/commands$variant" 2>"$LWIP_DIR/build$variant.log" ||
            { tail -20 "$LWIP_DIR/build$variant.log" >&2; fail "lwIP$variant compile failed (log: $LWIP_DIR/build$variant.log)"; }
        ar rcs "$LWIP_DIR/lib/liblwip$variant.a" "$LWIP_DIR"/obj/*.o
        n=$(ar t "$LWIP_DIR/lib/liblwip$variant.a" | wc -l)
        [ "$n" -eq "$nfiles" ] || fail "liblwip$variant.a has $n members, expected $nfiles"
    done
    rm -rf "$LWIP_DIR/obj"
    touch "$LWIP_DIR/.done"
fi
say "lwIP $LWIP_VER ready"

# ---------------------------------------------------------------- libfdt
STEP="libfdt source (linux-source-6.1)"
KSRC_PKG=linux-source-6.1
KSRC_VER=$(pkg_version $KSRC_PKG)
FDT_SRC=$CACHE/libfdt-src-$(printf '%s' "$KSRC_VER" | hash)
# (fdt.c too: builds before this fix could delete the cached sources.)
if [ ! -f "$FDT_SRC/.done" ] || [ ! -f "$FDT_SRC/fdt.c" ]; then
    deb=$(pkg_fetch $KSRC_PKG "$KSRC_VER")
    rm -rf "$FDT_SRC"; mkdir -p "$FDT_SRC"
    say "extract libfdt from $KSRC_PKG $KSRC_VER"
    member=$(dpkg-deb --fsys-tarfile "$deb" | tar -t | awk '/usr\/src\/linux-source-.*\.tar\.xz$/ && !m { print; m = 1 }')
    [ -n "$member" ] || fail "$KSRC_PKG has no kernel source tarball"
    dpkg-deb --fsys-tarfile "$deb" | tar -xO "$member" |
        tar -C "$FDT_SRC" -xJ --wildcards --strip-components=4 '*/scripts/dtc/libfdt/*' ||
        fail "extracting scripts/dtc/libfdt from $KSRC_PKG failed"
    [ -f "$FDT_SRC/libfdt.h" ] || fail "libfdt.h missing after extraction"
    rm -f "$deb"   # 140 MB; only 13 files of it are needed
    touch "$FDT_SRC/.done"
fi
STEP="libfdt build"
FDT_KEY=$(printf '%s|%s|%s' "$KSRC_VER" "$CFLAGS_DEP" "$NEWLIB_KEY" | hash)
FDT_DIR=$CACHE/libfdt-$FDT_KEY
if [ ! -f "$FDT_DIR/.done" ]; then
    say "build libfdt"
    rm -rf "$FDT_DIR"; mkdir -p "$FDT_DIR/obj" "$FDT_DIR/lib" "$FDT_DIR/include"
    for f in "$FDT_SRC"/fdt*.c; do
        gcc $CFLAGS_DEP -nostdinc -isystem "$NEWLIB_DIR/include" -idirafter "$GCCINC" \
            -I"$FDT_SRC" -c "$f" -o "$FDT_DIR/obj/$(basename "$f" .c).o" ||
            fail "libfdt compile of $(basename "$f") failed"
    done
    ar rcs "$FDT_DIR/lib/libfdt.a" "$FDT_DIR"/obj/*.o
    n=$(ar t "$FDT_DIR/lib/libfdt.a" | wc -l)
    [ "$n" -ge 8 ] || fail "libfdt.a has only $n members"
    cp "$FDT_SRC"/libfdt.h "$FDT_SRC"/fdt.h "$FDT_SRC"/libfdt_env.h "$FDT_DIR/include/"
    rm -rf "$FDT_DIR/obj"
    touch "$FDT_DIR/.done"
fi
say "libfdt ($KSRC_PKG $KSRC_VER) ready"

# ---------------------------------------------------------------- licenses
STEP="license files"
LIC=$CACHE/licenses-$(printf '%s|%s|%s|%s' "$NEWLIB_VER" "$LWIP_VER" "$KSRC_VER" "$XEN_VER" | hash)
if [ ! -f "$LIC/.done" ]; then
    rm -rf "$LIC"; mkdir -p "$LIC"
    deb=$(pkg_fetch newlib-source "$NEWLIB_VER")
    tmp=$(mktemp -d)
    dpkg-deb -x "$deb" "$tmp"
    tar -xOf "$(ls "$tmp"/usr/src/newlib/newlib-*.tar.* | head -1)" --wildcards '*/COPYING.NEWLIB' >"$LIC/newlib-COPYING.NEWLIB" ||
        fail "COPYING.NEWLIB not found in newlib-source"
    rm -rf "$tmp"
    cp "$LWIP_SRC/COPYING" "$LIC/lwip-COPYING"
    deb=$(pkg_fetch libxen-dev "$XEN_VER")
    tmp=$(mktemp -d)
    dpkg-deb -x "$deb" "$tmp"
    cp "$tmp/usr/share/doc/libxen-dev/copyright" "$LIC/xen-headers-copyright"
    rm -rf "$tmp"
    head -50 "$FDT_SRC/libfdt.h" >"$LIC/libfdt-header-notice"
    touch "$LIC/.done"
fi

# ---------------------------------------------------------------- assemble
STEP="assemble $OUT"
rm -rf "$OUT.new"; mkdir -p "$OUT.new/lib"
ln -s "$NEWLIB_DIR/include" "$OUT.new/include"
ln -s "$NEWLIB_DIR/lib/libc.a" "$NEWLIB_DIR/lib/libm.a" "$LWIP_DIR/lib/liblwip.a" \
      "$LWIP_DIR/lib/liblwip-debug.a" \
      "$FDT_DIR/lib/libfdt.a" "$OUT.new/lib/"
ln -s "$LWIP_SRC/src/include" "$OUT.new/lwip"
ln -s "$FDT_DIR/include" "$OUT.new/libfdt"
ln -s "$FDT_SRC" "$OUT.new/libfdt-src"      # for host builds (unit tests, fuzzing)
ln -s "$XEN_DIR/xeninc" "$OUT.new/xeninc"
ln -s "$LIC" "$OUT.new/licenses"
cat >"$OUT.new/VERSIONS" <<EOF
newlib-source $NEWLIB_VER
lwip (source) $LWIP_VER
$KSRC_PKG $KSRC_VER (scripts/dtc/libfdt)
libxen-dev $XEN_VER
cflags $CFLAGS_DEP
cache $CACHE
EOF
rm -rf "$OUT"; mv "$OUT.new" "$OUT"
say "all dependencies ready (versions in $OUT/VERSIONS)"
