#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# IPv6 subscribers end to end: lwIP (tests/peers/lwip-lac) as LAC and PPP
# client with IPv6CP and SLAAC (LWIP_IPV6_AUTOCONFIG), lnsd giving each session
# a /64 from ppp.ipv6-pool (advertised in its Router Advertisements) and a /56
# from ppp.pd-pool, and the workers forwarding IPv6 between the subscribers and
# the core namespace, which routes both pools via lnsd's core IPv6 address.
#
#  a. one subscriber: IPv6CP up; lwIP takes an address from lnsd's RA in the
#     session's /64 (lnsctl's ipv6_prefix), with its IPv6CP interface
#     identifier; lnsctl shows the delegated /56; the core pings the SLAAC
#     address through lnsd (total.tx grows by both ways, nothing spoofed,
#     ppp.ra_out and ppp.ipv6_up counted).
#  a2. a ping from the core with hop limit 1 draws an ICMPv6 Time Exceeded from
#     lnsd, one larger than the session's MTU (lwIP's MRU, 1450) a Packet Too Big
#     with that MTU; counted.
#  b. the delegated prefix is routed to the session: a ping from the core to
#     an address in it leaves lnsd into the subscriber's tunnel as PPP 0x0057
#     (seen by tshark on the access side; lwIP does not answer for it).
#  c. three subscribers in one lwip-lac: three distinct /64s, each
#     subscriber's SLAAC address in its own, all answer pings at once.
#  d. an orderly stop gives the prefixes back: the next subscriber gets the
#     first /64 and /56 again.
#  e. tshark: nothing lnsd sent is malformed (RAs, NAs and the forwarded
#     packets' checksums included); RAs inside L2TP carry the session's /64.
set -euo pipefail
# shellcheck source=tests/netns/lib.sh
. "$(dirname "$0")/lib.sh"

t_init
require_root
require_lnsd
require_cmd ethtool ping tcpdump tshark

SECRET=s
LINKS=2001:db8:100::/56 # 256 /64s, the first 2001:db8:100::/64
PD=2001:db8:200::/48	# 256 /56s, the first 2001:db8:200::/56
NSESS=3

topo_basic
lac_setup || t_skip "cannot build lwip-lac: $LAC_BUILD_ERR (scripts/deps.sh enables deb-src)"
ip -n "$NS_CORE" -6 route add "$LINKS" via "$LNS_CORE6"
ip -n "$NS_CORE" -6 route add "$PD" via "$LNS_CORE6"

users="  - {name: u, password: p}"
for ((i = 1; i <= NSESS; i++)); do
	users+=$'\n'"  - {name: u$i, password: p}"
done
LNS_EXTRA_CONFIG="l2tp:
  peers:
    - {name: lac1, match: [\"192.0.2.0/24\"], secret: $SECRET}
ppp: {auth: [pap], ipv6: true, ipv6-pool: links, pd-pool: pd}
pools:
  - {name: v4, ranges: [\"100.64.0.0/24\"]}
  - {name: links, ranges: [\"$LINKS\"]}
  - {name: pd, ranges: [\"$PD\"], prefix-length: 56}
users:
$users"
config_basic "$T_OUT/lnsd.yaml"
lnsd_start "$T_OUT/lnsd.yaml"

CAP=$T_OUT/ppp6.pcap
capture_start ppp6 "$NS_ACC" "$PE_ACC" udp

# lac_addr6 ID [N]: the SLAAC address session N (1) of lwip-lac ID reported
lac_addr6() { sed -n "s/^session ${2:-1} addr6 \\([0-9a-f:]*\\).*/\\1/p" "${LAC_LOG[$1]}" | head -n 1; }
# lac_ifid ID [N]: its IPv6CP interface identifier, as lwIP prints it (a:b:c:d)
lac_ifid() { sed -n "s/^session ${2:-1} up6 .* ifid=\\([0-9a-f:]*\\) .*/\\1/p" "${LAC_LOG[$1]}" | head -n 1; }

# session_json ID [N] FIELD: FIELD of lnsctl's session for lwip-lac ID's session N
session_field() {
	local t
	t=$(sed -n "s/^session $2 l2tp tunnel=[0-9]* session=[0-9]* peer_tunnel=\\([0-9]*\\) .*/\\1/p" "${LAC_LOG[$1]}")
	jget "$T_OUT/sessions.json" "sessions[tunnel_id=$t].$3" 2>&1
}

# in_prefix ADDR PREFIX [IFID]: ADDR lies in PREFIX (and ends in IFID when given)
in_prefix() {
	"$PY" - "$@" <<-'EOF'
		import ipaddress, sys
		a = ipaddress.ip_address(sys.argv[1])
		assert a in ipaddress.ip_network(sys.argv[2]), "%s not in %s" % (a, sys.argv[2])
		if len(sys.argv) > 3:
		    ifid = int(sys.argv[3].replace(":", ""), 16)
		    assert int(a) & (2**64 - 1) == ifid, "%s does not end in %s" % (a, sys.argv[3])
	EOF
}

# wait_addr6 ID N: lwip-lac ID's sessions 1..N all have a SLAAC address
wait_addr6() {
	local id=$1 n=$2
	# shellcheck disable=SC2317 # called through wait_for
	all_addr6() { [ "$(count_lines "${LAC_LOG[$1]}" '^session [0-9]+ addr6 ')" -ge "$2" ]; }
	wait_for 20 "lwip-lac $id: $n SLAAC addresses" all_addr6 "$id" "$n"
}

# ===========================================================================
step "a. one subscriber: SLAAC from lnsd's RA, ping through the workers"
snap c-a show counters
ADDR=
if lac_start one --secret "$SECRET" --user u --password p --auth pap --ipv6 &&
	lac_wait_up one 1 10 && wait_for 10 "lwIP: IPv6CP up" lac_logged one '^session 1 up6 ' &&
	wait_addr6 one 1; then
	ADDR=$(lac_addr6 one)
	ok "lwIP: $(grep -m1 '^session 1 up6 ' "${LAC_LOG[one]}" | cut -d' ' -f3-5); SLAAC address $ADDR"
	snap sessions show sessions || fail "show sessions --json"
	assert_eq "lnsctl: ipv6" true "$(session_field one 1 ipv6)"
	assert_eq "lnsctl: ipv6_prefix (the first /64 of $LINKS)" 2001:db8:100::/64 "$(session_field one 1 ipv6_prefix)"
	assert_eq "lnsctl: delegated_prefix (the first /56 of $PD)" 2001:db8:200::/56 "$(session_field one 1 delegated_prefix)"
	assert_cmd "lwIP's address is in the session's /64 and ends in its interface identifier ($(lac_ifid one))" \
		in_prefix "$ADDR" 2001:db8:100::/64 "$(lac_ifid one)"
	snap c-a-ping0 show counters || true
	assert_ping "$NS_CORE" "$ADDR"
	snap c-a-ping1 show counters || true
	assert_ge "total.tx increase for 3 echoes through lnsd and 3 replies" 6 \
		"$(jdelta "$T_OUT/c-a-ping0.json" "$T_OUT/c-a-ping1.json" total.tx)"
	assert_eq "total.drop_spoofed increase (replies come from the session's /64)" 0 \
		"$(jdelta "$T_OUT/c-a-ping0.json" "$T_OUT/c-a-ping1.json" total.drop_spoofed)"
	assert_eq "ppp.ipv6_up increase" 1 "$(jdelta "$T_OUT/c-a.json" "$T_OUT/c-a-ping1.json" ppp.ipv6_up)"
	assert_ge "ppp.ra_out increase" 1 "$(jdelta "$T_OUT/c-a.json" "$T_OUT/c-a-ping1.json" ppp.ra_out)"
	assert_eq "ppp.ipv6_no_prefix increase" 0 "$(jdelta "$T_OUT/c-a.json" "$T_OUT/c-a-ping1.json" ppp.ipv6_no_prefix)"
	# lwIP solicits (RS); its link-local traffic reaches PPP on the control lcore whole
	assert_ge "ppp.rs_in increase (lwIP's Router Solicitations answered)" 1 \
		"$(jdelta "$T_OUT/c-a.json" "$T_OUT/c-a-ping1.json" ppp.rs_in)"
	assert_eq "control.drop_malformed increase" 0 \
		"$(jdelta "$T_OUT/c-a.json" "$T_OUT/c-a-ping1.json" control.drop_malformed)"
else
	fail "lwIP: no SLAAC address: $(grep -E '^session 1 (up|up6|addr6|down)' "${LAC_LOG[one]}" | tr '\n' ' ')"
fi

step "a2. hop limit 1 and too big: ICMPv6 errors from lnsd"
if [ -n "$ADDR" ]; then
	snap c-a2 show counters
	out=$(ip netns exec "$NS_CORE" ping -c 1 -W 2 -t 1 "$ADDR" 2>&1 || true)
	assert_match "ping -t 1 from the core: Time Exceeded from lnsd's core address" \
		"From $LNS_CORE6.*(Time exceeded|Hop limit)" "$out"
	# 1440 + 8 + 40 = 1488 octets: through the core link (1500), not the tunnel: its MTU is
	# lwIP's MRU (1450) within the 1462 octets a 1500-octet access port leaves.
	out=$(ip netns exec "$NS_CORE" ping -c 2 -i 0.5 -W 2 -s 1440 -M do "$ADDR" 2>&1 || true)
	printf '%s\n' "$out" >"$T_OUT/ping-too-big.log"
	assert_match "ping -s 1440 -M do from the core: Packet Too Big from lnsd with the session's MTU" \
		"From $LNS_CORE6 icmp_seq=1 Packet too big: mtu=1450" "$out"
	snap c-a2b show counters
	assert_eq "control.icmp6_time_exceeded_out increase" 1 \
		"$(jdelta "$T_OUT/c-a2.json" "$T_OUT/c-a2b.json" control.icmp6_time_exceeded_out)"
	assert_eq "control.icmp6_too_big_out increase" 1 \
		"$(jdelta "$T_OUT/c-a2.json" "$T_OUT/c-a2b.json" control.icmp6_too_big_out)"
fi

step "b. the delegated /56 is routed into the session's tunnel"
snap c-b show counters
ping_from "$NS_CORE" 2001:db8:200:42::1 3 || true
snap c-b1 show counters
assert_ge "total.tx increase (3 echoes into the tunnel)" 3 "$(jdelta "$T_OUT/c-b.json" "$T_OUT/c-b1.json" total.tx)"
assert_eq "total.drop_no_route increase" 0 "$(jdelta "$T_OUT/c-b.json" "$T_OUT/c-b1.json" total.drop_no_route)"

step "c. $NSESS subscribers: distinct /64s, all pingable"
if lac_start many --secret "$SECRET" --user u --password p --auth pap --ipv6 --sessions "$NSESS" --user-suffix &&
	lac_wait_up many "$NSESS" 20 && wait_addr6 many "$NSESS"; then
	ok "lwIP: $NSESS sessions with SLAAC addresses"
	snap sessions show sessions || fail "show sessions --json"
	declare -a A6=()
	for ((i = 1; i <= NSESS; i++)); do
		a=$(lac_addr6 many "$i")
		pfx=$(session_field many "$i" ipv6_prefix)
		A6+=("$a")
		assert_cmd "lwIP many/$i: $a in its session's $pfx" in_prefix "$a" "$pfx" "$(lac_ifid many "$i")"
	done
	assert_eq "distinct /64s" "$NSESS" "$("$PY" -c 'import json,sys; s=json.load(open(sys.argv[1]))["sessions"]; print(len({x["ipv6_prefix"] for x in s if x["peer"]==sys.argv[2]}))' "$T_OUT/sessions.json" "${LAC_IP[many]}")"
	if ping_many "$NS_CORE" 3 "${A6[@]}"; then
		ok "the core pinged all $NSESS subscribers: $PING_ALL_RECV/$PING_ALL answered"
	else
		fail "pings to the $NSESS subscribers: $PING_ALL_RECV/$PING_ALL answered; not all: $PING_FAILED"
	fi
else
	fail "lwIP: $(count_lines "${LAC_LOG[many]}" '^session [0-9]+ addr6 ') of $NSESS SLAAC addresses"
fi
lac_stop many

step "d. an orderly stop gives the prefixes back"
lac_stop one
# shellcheck disable=SC2317 # called through wait_for
no_sessions() { snap sessions show sessions && [ "$("$PY" -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["sessions"]))' "$T_OUT/sessions.json")" = 0 ]; }
wait_for 10 "no sessions left" no_sessions || fail "sessions left: $(cat "$T_OUT/sessions.json")"
if lac_start again --secret "$SECRET" --user u --password p --auth pap --ipv6 && lac_wait_up again 1 10 &&
	wait_for 10 "lwIP: IPv6CP up" lac_logged again '^session 1 up6 '; then
	snap sessions show sessions || true
	pfx=$(session_field again 1 ipv6_prefix)
	assert_cmd "a prefix the stopped sessions had, again ($pfx)" \
		"$PY" -c 'import sys; assert sys.argv[1] in ["2001:db8:100:%x::/64" % i if i else "2001:db8:100::/64" for i in range(4)], sys.argv[1]' "$pfx"
	pfx=$(session_field again 1 delegated_prefix)
	assert_cmd "a /56 the stopped sessions had, again ($pfx)" \
		"$PY" -c 'import sys; assert sys.argv[1] in ["2001:db8:200:%x00::/56" % i if i else "2001:db8:200::/56" for i in range(4)], sys.argv[1]' "$pfx"
else
	fail "lwIP again: not up: $(tail -n 3 "${LAC_LOG[again]}" | tr '\n' ' ')"
fi
lac_stop again

step "e. tshark: what lnsd sent decodes cleanly; RAs and the forwarded IPv6 inside L2TP"
capture_stop ppp6
bad=$(tshark -r "$CAP" -d udp.port==1701,l2tp -Y "ip.src==$LNS_ACC4 && (_ws.malformed || _ws.expert.severity >= warning)" 2>&1 |
	grep -v 'Running as user "root"' || true)
if [ -z "$bad" ]; then
	ok "tshark: none of lnsd's frames is malformed or draws a warning"
else
	fail "tshark flags frames lnsd sent (${CAP#"$LNS_ROOT"/}):"
	printf '%s\n' "$bad" | head -n 20 | sed 's/^/        | /'
fi
assert_ge "RAs from lnsd advertising 2001:db8:100::/64 (on-link, autonomous)" 1 \
	"$(tshark -r "$CAP" -d udp.port==1701,l2tp -Y "ip.src==$LNS_ACC4 && icmpv6.type==134 && icmpv6.opt.prefix==2001:db8:100:: && icmpv6.opt.prefix.flag.a==1" 2>/dev/null | wc -l)"
assert_ge "echo requests from the core to the SLAAC address inside L2TP/PPP" 3 \
	"$(tshark -r "$CAP" -d udp.port==1701,l2tp -Y "ip.src==$LNS_ACC4 && ppp.protocol==0x0057 && icmpv6.type==128 && ipv6.dst==${ADDR:-::}" 2>/dev/null | wc -l)"
assert_ge "echo requests to the delegated prefix inside L2TP/PPP" 3 \
	"$(tshark -r "$CAP" -d udp.port==1701,l2tp -Y "ip.src==$LNS_ACC4 && ppp.protocol==0x0057 && ipv6.dst==2001:db8:200:42::1" 2>/dev/null | wc -l)"

lnsd_stop TERM 3000 || true
assert_eq "lnsd exit status" 0 "${LNSD_EXIT:-none}"
t_finish
