# SPDX-License-Identifier: BSD-2-Clause
# Client for apps/httpd serving the tar file system from its disk (no boot
# module): every file of the archive on the disk, which dom0 has too, is
# fetched with curl and compared byte for byte, and a missing one is 404.
. ./client-lib.sh
URL=http://10.99.0.2:8080
rm -rf /tmp/site-disk && mkdir -p /tmp/site-disk && tar -xf "/test/$GUEST.img" -C /tmp/site-disk
check listening wait_tcp 10.99.0.2 8080 30
fetch_all() {
    local f n=0
    for f in $(cd /tmp/site-disk && find . -type f | sed 's|^\./||'); do
        curl -sf -o /tmp/got-disk "$URL/$f" || { echo "GET /$f failed"; return 1; }
        cmp /tmp/got-disk "/tmp/site-disk/$f" || return 1
        n=$((n + 1))
    done
    [ $n -gt 0 ] || { echo "no files in the archive"; return 1; }
    echo "note: $n files fetched from the disk's tar and compared"
}
check fetch-every-file-from-disk fetch_all
check missing-is-404 sh -c "[ \"\$(curl -s -o /dev/null -w '%{http_code}' $URL/no/such/file)\" = 404 ]"
finish
