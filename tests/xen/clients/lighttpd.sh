# SPDX-License-Identifier: BSD-2-Clause
# Client for apps/lighttpd (lighttpd from Debian's source, built unchanged
# through the SDK) at 10.99.0.2:8080, run in dom0 by the harness. The
# guest's boot module (a tar: etc/lighttpd.conf and www/) is here too:
# every file is fetched with curl and compared byte for byte; status
# codes, headers, keep-alive, a directory listing, lighttpd's status page
# and wrk with 32 connections are checked. When it ends, dom0 shuts the
# guest down with xl shutdown: lighttpd catches SIGTERM and exits cleanly.
. ./client-lib.sh
IP=10.99.0.2 URL=http://10.99.0.2:8080
rm -rf /tmp/lsite && mkdir -p /tmp/lsite && tar -xf "/test/$GUEST.module" -C /tmp/lsite

check listening wait_tcp $IP 8080 60

fetch_all() {       # every file under www/, compared
    local f n=0
    for f in $(cd /tmp/lsite/www && find . -type f | sed 's|^\./||'); do
        curl -sf -o /tmp/got "$URL/$f" || { echo "GET /$f failed"; return 1; }
        cmp /tmp/got "/tmp/lsite/www/$f" || return 1
        n=$((n + 1))
    done
    [ $n -gt 1 ] || { echo "the site archive gave $n files"; return 1; }
    echo "note: $n files fetched and compared"
}
check fetch-every-file fetch_all
index() {           # / is index.html, from lighttpd
    curl -sf -D /tmp/hdrs -o /tmp/got "$URL/" && cmp /tmp/got /tmp/lsite/www/index.html &&
        tr -d '\r' </tmp/hdrs | grep -q '^Server: lighttpd/1\.4'
}
check index-from-lighttpd index
status() {          # EXPECTED CURL-ARGS...: the status code curl sees
    local want=$1; shift
    local got
    got=$(curl -s -o /dev/null -w '%{http_code}' "$@")
    [ "$got" = "$want" ] || { echo "status $got, expected $want"; return 1; }
}
check status-404 status 404 "$URL/no/such/file"
check content-type-css sh -c "curl -sI $URL/style.css | grep -qi '^Content-Type: text/css'"
head_req() {        # HEAD: Content-Length of the file, no body
    local len
    len=$(curl -sI "$URL/big.bin" | tr -d '\r' | sed -n 's/^Content-Length: //Ip')
    [ "$len" = "$(stat -c %s /tmp/lsite/www/big.bin)" ] || { echo "Content-Length '$len'"; return 1; }
}
check head head_req
range() {           # a byte range of the big file
    curl -sf -r 1000-1999 -o /tmp/got "$URL/big.bin" && [ "$(stat -c %s /tmp/got)" = 1000 ] &&
        cmp /tmp/got <(dd if=/tmp/lsite/www/big.bin bs=1000 skip=1 count=1 2>/dev/null)
}
check range range
keepalive() {       # two requests, one connection
    curl -sv -o /dev/null -o /dev/null "$URL/index.html" "$URL/style.css" 2>&1 |
        grep -q 'Re-using existing connection'
}
check keep-alive keepalive
check directory-listing sh -c "curl -sf $URL/sub/ | grep -q 'page.txt'"
check server-status sh -c "curl -sf '$URL/server-status?auto' | grep -q '^Total Accesses: '"
load() {            # wrk: 32 connections for 3 s, no errors
    wrk -t 2 -c 32 -d 3s "$URL/index.html" >/tmp/wrk.out 2>&1 || return 1
    grep -E 'Requests/sec' /tmp/wrk.out | sed 's/^/note: /'
    grep -qE '^ +[1-9][0-9]* requests in' /tmp/wrk.out && ! grep -qE 'Socket errors|Non-2xx' /tmp/wrk.out
}
check wrk-32-connections load
finish
