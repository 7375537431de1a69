#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Debian source packages, fetched without touching /etc/apt: a private
# deb-src list built from the Debian 'deb' entries already configured
# (same mirrors, suites and keys), apt-get source --download-only into the
# cache, and dpkg-source -x. Used by tools/deps.sh (lwIP) and by apps
# built from Debian's sources (apps/redis).
#
# As a command:
#   tools/debsrc.sh version PKG          the newest version in the list
#   tools/debsrc.sh extract PKG DIR [--skip-patches]
#                                        DIR: the newest version's tree
#                                        (with Debian's patches applied
#                                        unless --skip-patches); DIR/.version
#                                        records it; kept while current
#   tools/debsrc.sh tree PKG DIR SDK     DIR: a build tree of PKG for an app
#                                        built through the SDK (debsrc_tree)
# Sourced (tools/deps.sh), it defines debsrc_version and debsrc_extract.
# The list is refreshed when it is a week old. Cache: $XENOLITH_CACHE
# (default ~/.cache/xenolith)/apt-src and /dl.

DEBSRC_CACHE=${XENOLITH_CACHE:-$HOME/.cache/xenolith}
DEBSRC_APT=$DEBSRC_CACHE/apt-src
DEBSRC_OPTS=(-o Dir::Etc::SourceList="$DEBSRC_APT/sources.list" -o Dir::Etc::SourceParts=/dev/null
             -o Dir::State::Lists="$DEBSRC_APT/lists" -o Dir::Cache::Archives="$DEBSRC_APT/archives"
             -o APT::Sandbox::User=root -q)

debsrc_fail() { printf 'debsrc: error: %s\n' "$*" >&2; return 1; }

# The private deb-src list from the configured Debian 'deb' entries.
debsrc_make_list() {
    local f out=$DEBSRC_APT/sources.list
    mkdir -p "$DEBSRC_APT/lists/partial" "$DEBSRC_APT/archives/partial"
    : >"$out"
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        awk -v out="$out" '
            function flush() {
                if (deb && uri ~ /debian/ && suites != "")
                    for (i = 1; i <= split(suites, s, " "); i++)
                        printf "deb-src [signed-by=%s] %s %s %s\n", key, uri, s[i], comps >> out
                deb = 0; uri = ""; suites = ""; comps = ""; key = ""
            }
            /^[ \t]*$/ { flush(); next }
            /^Types:/ { deb = ($0 ~ /[ \t]deb([ \t]|$)/) }
            /^URIs:/ { uri = $2 }
            /^Suites:/ { $1 = ""; suites = $0 }
            /^Components:/ { $1 = ""; comps = $0 }
            /^Signed-By:/ { key = $2 }
            END { flush() }' "$f"
    done
    if [ -f /etc/apt/sources.list ]; then
        sed -n 's/^deb \(.*debian.*\)$/deb-src \1/p' /etc/apt/sources.list >>"$out"
    fi
    [ -s "$out" ] || debsrc_fail "no Debian 'deb' entries found in /etc/apt to derive a deb-src list from"
}

# Refresh the list when it is missing or a week old.
debsrc_update() {
    local stamp=$DEBSRC_APT/updated
    [ -f "$stamp" ] && [ -z "$(find "$stamp" -mtime +7 2>/dev/null)" ] && return 0
    debsrc_make_list || return 1
    printf '  DEBSRC  update private deb-src list\n' >&2
    apt-get "${DEBSRC_OPTS[@]}" update >"$DEBSRC_APT/update.log" 2>&1 ||
        { tail -5 "$DEBSRC_APT/update.log" >&2; debsrc_fail "apt-get update of the deb-src list failed"; return 1; }
    touch "$stamp"
}

# The newest version of source package $1.
debsrc_version() {
    local v
    debsrc_update || return 1
    v=$(apt-cache "${DEBSRC_OPTS[@]}" showsrc "$1" 2>/dev/null | awk '/^Version:/ {print $2}' | sort -V | tail -1)
    [ -n "$v" ] || { debsrc_fail "source package '$1' not found in the deb-src list"; return 1; }
    echo "$v"
}

# Extract source package $1 at version $2 into $3 (replaced); $4:
# --skip-patches for the pristine upstream tree.
debsrc_extract_version() {
    local pkg=$1 ver=$2 dir=$3 opt=${4:-} dl dsc
    dl=$DEBSRC_CACHE/dl/$pkg-$ver
    mkdir -p "$dl"
    if ! ls "$dl/${pkg}_"*.dsc >/dev/null 2>&1; then
        printf '  DEBSRC  download source %s %s\n' "$pkg" "$ver" >&2
        (cd "$dl" && apt-get "${DEBSRC_OPTS[@]}" source --download-only "$pkg=$ver" >"$dl/get.log" 2>&1) ||
            { tail -5 "$dl/get.log" >&2; debsrc_fail "apt-get source $pkg=$ver failed"; return 1; }
    fi
    dsc=$(ls "$dl/${pkg}_"*.dsc | head -1)
    mkdir -p "$(dirname "$dir")"
    rm -rf "$dir" "$dir.tmp"
    (cd "$dl" && dpkg-source $opt -x "$dsc" "$dir.tmp" >"$dl/x.log" 2>&1) ||
        { tail -5 "$dl/x.log" >&2; debsrc_fail "dpkg-source -x $dsc failed"; return 1; }
    echo "$ver" >"$dir.tmp/.version"
    mv "$dir.tmp" "$dir"
}

# The newest version of source package $1 in $2, unless it is there already.
debsrc_extract() {
    local ver
    ver=$(debsrc_version "$1") || return 1
    [ -f "$2/.version" ] && [ "$(cat "$2/.version")" = "$ver" ] && return 0
    debsrc_extract_version "$1" "$ver" "$2" "${3:-}"
}

# A build tree of source package $1 in $2 for an app built through the
# SDK at $3: a fresh copy of the cached source when the version changed,
# when the last build there did not finish (no $2/.built: a program's own
# build may not retry what failed), or when the SDK changed since (a
# program's dependency files leave out the system headers and libraries).
# The caller touches $2/.built after a successful build.
debsrc_tree() {
    local pkg=$1 dir=$2 sdk=$3 cache ver
    cache=$DEBSRC_CACHE/src/$pkg
    debsrc_extract "$pkg" "$cache" || return 1
    ver=$(cat "$cache/.version")
    if [ "$(cat "$dir/.version" 2>/dev/null)" != "$ver" ] || [ ! -f "$dir/.built" ] ||
       [ -n "$(find -L "$sdk" -type f -newer "$dir/.built" 2>/dev/null | head -1)" ]; then
        printf '  DEBSRC  %s %s: a fresh build tree in %s\n' "$pkg" "$ver" "$dir" >&2
        rm -rf "$dir"
        mkdir -p "$(dirname "$dir")"
        cp -a "$cache" "$dir" || return 1
    fi
    rm -f "$dir/.built"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    set -euo pipefail
    case ${1:-} in
    version) [ $# -eq 2 ] || { echo "usage: debsrc.sh version PKG" >&2; exit 2; }; debsrc_version "$2" ;;
    extract) [ $# -ge 3 ] || { echo "usage: debsrc.sh extract PKG DIR [--skip-patches]" >&2; exit 2; }
             debsrc_extract "$2" "$3" "${4:-}" ;;
    tree) [ $# -eq 4 ] || { echo "usage: debsrc.sh tree PKG DIR SDK" >&2; exit 2; }
          debsrc_tree "$2" "$3" "$4" ;;
    *) echo "usage: debsrc.sh version PKG | extract PKG DIR [--skip-patches] | tree PKG DIR SDK" >&2; exit 2 ;;
    esac
fi
