# SPDX-License-Identifier: BSD-2-Clause
# Client for apps/httpd with no site (no boot module, no disk), run in
# dom0 by the harness: / answers 200 with the built-in page, which says
# how to serve one's own files; other paths are 404.
. ./client-lib.sh
URL=http://10.99.0.2:8080
check listening wait_tcp 10.99.0.2 8080 30
builtin() {
    [ "$(curl -s -o /tmp/page -w '%{http_code}' "$URL/")" = 200 ] || { echo "GET / did not answer 200"; return 1; }
    grep -q 'Xenolith httpd is running' /tmp/page && grep -q 'make run APP=httpd MODULE=site.tar' /tmp/page ||
        { echo "GET / is not the built-in page:"; head -5 /tmp/page; return 1; }
}
check builtin-page builtin
check status-404 sh -c "[ \"\$(curl -s -o /dev/null -w '%{http_code}' $URL/other)\" = 404 ]"
finish
