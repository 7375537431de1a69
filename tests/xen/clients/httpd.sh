# SPDX-License-Identifier: BSD-2-Clause
# Client for apps/httpd at 10.99.0.2:8080 (and [fd00:99::2]:8080), run in
# dom0 by the harness. The site is the guest's boot module (a tar), which
# dom0 has too: every file is fetched with curl and compared byte for
# byte; status codes, headers, keep-alive and wrk are checked.
. ./client-lib.sh
IP=10.99.0.2 IP6=fd00:99::2 URL=http://10.99.0.2:8080
rm -rf /tmp/site && mkdir -p /tmp/site && tar -xf "/test/$GUEST.module" -C /tmp/site

check listening wait_tcp $IP 8080 30

fetch_all() {       # every file in the archive, compared
    local f n=0
    for f in $(cd /tmp/site && find . -type f | sed 's|^\./||'); do
        curl -sf -o /tmp/got "$URL/$f" || { echo "GET /$f failed"; return 1; }
        cmp /tmp/got "/tmp/site/$f" || return 1
        n=$((n + 1))
    done
    [ $n -gt 0 ] || { echo "the site archive gave no files"; return 1; }
    echo "note: $n files fetched and compared"
}
check fetch-every-file fetch_all
index() {           # / is index.html, byte for byte
    curl -sf -o /tmp/got "$URL/" && cmp /tmp/got /tmp/site/index.html
}
check index index
status() {          # EXPECTED CURL-ARGS...: the status code curl sees
    local want=$1; shift
    local got
    got=$(curl -s -o /dev/null -w '%{http_code}' "$@")
    [ "$got" = "$want" ] || { echo "status $got, expected $want"; return 1; }
}
check status-404 status 404 "$URL/no/such/file"
check status-405 status 405 -X POST -d data "$URL/index.html"
check status-301 status 301 "$URL/sub"
check location sh -c "curl -sI $URL/sub | grep -qi '^Location: /sub/'"
check content-type-html sh -c "curl -sI $URL/index.html | grep -qi '^Content-Type: text/html'"
check content-type-css sh -c "curl -sI $URL/style.css | grep -qi '^Content-Type: text/css'"
head_req() {        # HEAD: the headers of GET, no body
    local len
    len=$(curl -sI "$URL/big.bin" | tr -d '\r' | sed -n 's/^Content-Length: //Ip')
    [ "$len" = "$(stat -c %s /tmp/site/big.bin)" ] || { echo "Content-Length '$len'"; return 1; }
    # The whole answer to a HEAD (the server closes after it): headers,
    # the empty line, and not one byte more.
    printf 'HEAD /big.bin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' |
        socat -t 5 - TCP:$IP:8080 >/tmp/head.out || return 1
    grep -q '^HTTP/1.1 200 ' /tmp/head.out || { echo "no 200: $(head -1 /tmp/head.out)"; return 1; }
    grep -q "^$(printf '\r')\$" /tmp/head.out || { echo "the headers do not end"; return 1; }
    [ "$(sed '1,/^\r$/d' /tmp/head.out | wc -c)" = 0 ] || { echo "a body after the headers of a HEAD"; return 1; }
}
check head head_req
bad_request() {     # malformed request line: 400, then the connection closes
    printf 'GARBAGE\r\n\r\n' | socat -t 5 - TCP:$IP:8080 | head -1 | grep -q '^HTTP/1.1 400 '
}
check status-400 bad_request
check status-505 sh -c "printf 'GET / HTTP/2.0\r\nHost: x\r\n\r\n' | socat -t 5 - TCP:$IP:8080 | head -1 | grep -q '^HTTP/1.1 505 '"
keepalive() {       # two requests, one connection
    curl -sv -o /dev/null -o /dev/null "$URL/index.html" "$URL/style.css" 2>&1 |
        grep -q 'Re-using existing connection'
}
check keep-alive keepalive
pipelined() {       # three requests in one write, three answers in order
    printf 'GET /index.html HTTP/1.1\r\nHost: x\r\n\r\nGET /missing HTTP/1.1\r\nHost: x\r\n\r\nGET /style.css HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' |
        socat -t 5 - TCP:$IP:8080 | grep '^HTTP/1.1' | tr -d '\r' >/tmp/pipe
    [ "$(cat /tmp/pipe | tr '\n' '|')" = "HTTP/1.1 200 OK|HTTP/1.1 404 Not Found|HTTP/1.1 200 OK|" ]
}
check pipelining pipelined
same_port() {       # the guest closes first and keeps TIME-WAIT; a new SYN
                    # from the same client port ends it at once (RFC 6191)
    local i
    for i in 1 2 3; do
        curl -sf --local-port 40123 -H 'Connection: close' --max-time 5 -o /tmp/got \
            "$URL/index.html" || { echo "request $i from port 40123 failed"; return 1; }
        cmp /tmp/got /tmp/site/index.html || return 1
    done
}
check same-client-port same_port
check ipv6 sh -c "curl -sfg -o /tmp/got 'http://[$IP6]:8080/index.html' && cmp /tmp/got /tmp/site/index.html"
load() {            # wrk: no socket errors, no non-2xx answers
    wrk -t 1 -c 16 -d 3 --timeout 5 "$URL/index.html" >/tmp/wrk.out 2>&1 || return 1
    cat /tmp/wrk.out
    ! grep -q 'Socket errors\|Non-2xx' /tmp/wrk.out || return 1
    echo "note: wrk -t1 -c16 -d3: $(grep 'Requests/sec' /tmp/wrk.out)"
}
check wrk load
finish
