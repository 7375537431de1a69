# SPDX-License-Identifier: BSD-2-Clause
#
# Helpers for building initramfs trees from Debian packages, sourced by
# tools/xen/build-harness.sh and tools/xen/build-linux-guest.sh. They use
# DL (the download cache) and fail() from the sourcing script.

# The dependency closure of the given packages, following only library
# packages (lib*, zlib1g, and the names in EXTRA_DEPS): the initramfs runs
# binaries, not maintainer scripts, so debconf, perl, python and the like
# are never needed.
closure() {
    local -A seen=()
    local level=("$@") next p d
    while [ ${#level[@]} -gt 0 ]; do
        next=()
        for p in "${level[@]}"; do
            [ -n "${seen[$p]:-}" ] && continue
            seen[$p]=1
            echo "$p"
        done
        # One apt-cache call per level; the first alternative of each
        # dependency group is taken.
        while read -r d; do
            [ -n "${seen[$d]:-}" ] && continue
            case $d in
            lib*|zlib1g) next+=("$d") ;;
            *) [[ " ${EXTRA_DEPS:-} " == *" $d "* ]] && next+=("$d") ;;
            esac
        done < <(apt-cache depends --no-recommends --no-suggests --no-conflicts \
                    --no-breaks --no-replaces --no-enhances "${level[@]}" 2>/dev/null |
                 awk '/^ *\|?(Pre)?Depends:/ { if (!alt) print $2; alt = ($1 ~ /^\|/) }
                      /^[^ ]/ { alt = 0 }' |
                 grep -v '^<' | sort -u)
        level=("${next[@]}")
    done
}

# "name=version" for each package, from one apt-cache call.
pin() {
    local out p
    out=$(apt-cache policy "$@" 2>/dev/null | awk '
        /^[^ ].*:$/ { name = substr($0, 1, length($0) - 1) }
        /^  Candidate:/ { print name "=" $2 }')
    for p in "$@"; do
        grep -q "^$p=" <<<"$out" && ! grep -q "^$p=(none)" <<<"$out" ||
            fail "package '$p' not found by apt (run 'apt-get update' first?)"
    done
    printf '%s\n' "$out"
}

fetch() {   # pkg=version ...: download what is not cached yet
    local want=() pv name ver
    for pv in "$@"; do
        name=${pv%%=*}; ver=${pv#*=}
        ls "$DL/${name}_${ver//:/%3a}_"*.deb >/dev/null 2>&1 || want+=("$pv")
    done
    if [ ${#want[@]} -gt 0 ]; then
        say "download ${#want[@]} packages"
        (cd "$DL" && apt-get -o APT::Sandbox::User=root download -q "${want[@]}" >/dev/null) ||
            fail "apt-get download failed for some of: ${want[*]}"
    fi
}

deb_of() {  # pkg=version -> path of the cached .deb
    local name=${1%%=*} ver=${1#*=}
    ls "$DL/${name}_${ver//:/%3a}_"*.deb 2>/dev/null | head -1
}

# Copy kernel modules and their dependencies from an extracted kernel
# package (KDIR, version KVER) into ROOT, and index them there.
install_modules() {     # KDIR KVER ROOT MODULE...
    local k=$1 kver=$2 r=$3 m verb path f dep
    shift 3
    dep=$(mktemp)
    depmod -b "$k" "$kver"
    for m in "$@"; do
        modprobe -d "$k" -S "$kver" --show-depends "$m" >"$dep" 2>&1 ||
            fail "kernel module '$m' not found"
        while read -r verb path _; do
            [ "$verb" = insmod ] || continue
            install -D -m 644 "$path" "$r${path#$k}"
        done <"$dep"
    done
    rm -f "$dep"
    for f in modules.order modules.builtin modules.builtin.modinfo; do
        [ -f "$k/lib/modules/$kver/$f" ] && cp "$k/lib/modules/$kver/$f" "$r/lib/modules/$kver/"
    done
    depmod -b "$r" "$kver"
}

# Fail unless every binary (paths under ROOT) loads with the libraries in
# LIBPATH (colon-separated), using the loader in LOADER.
check_bins() {          # LOADER LIBPATH ROOT BIN...
    local ld=$1 libpath=$2 root=$3 b out
    shift 3
    for b in "$@"; do
        [ -f "$root/$b" ] || fail "the initramfs lacks /$b"
        out=$("$ld" --library-path "$libpath" --list "$root/$b" 2>&1) ||
            fail "cannot load /$b: $out"
        if grep -q 'not found' <<<"$out"; then
            fail "/$b needs libraries that are not in the initramfs: $(grep 'not found' <<<"$out" | tr -s ' \t' ' ')"
        fi
    done
}
