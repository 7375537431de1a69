# SPDX-License-Identifier: BSD-2-Clause
# Client for tests/xen/netcfg with net0.ip=dhcp and net0.ip6=auto: the
# guest must take a lease from dnsmasq in dom0 and a SLAAC address from its
# router advertisements, and answer pings on both; its DNS lookups (names
# from dnsmasq) are checked on its console by tests/run.sh.
. ./client-lib.sh
check ready wait_log '^netcfg: ready' 60
v4=$(wait_log 'net0: IPv4 10\.99\.0\.1[0-9][0-9] .*\(DHCP\)' 20 | sed -n 's/.*IPv4 \([0-9.]*\) .*/\1/p')
check dhcp-lease sh -c "[ -n '$v4' ] && grep -qi '$v4' /tmp/dnsmasq.leases"
check ping-dhcp-address ping -c 3 -W 5 "$v4"
v6=$(wait_log 'net0: IPv6 fd00:99::[0-9a-f:]+$' 30 | sed -n 's/.*IPv6 //p')
check slaac-address sh -c "[ -n '$v6' ]"
check ping6-slaac-address ping -6 -c 3 -W 5 "$v6"
echo "note: DHCP gave $v4, SLAAC $v6"
finish
