#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# RADIUS Framed-IPv6-Route (RFC 3162 2.5) end to end: a private FreeRADIUS
# (tests/netns/radius.sh) answers lwIP subscribers (tests/peers/lwip-lac, PAP,
# IPv6CP and SLAAC) with Framed-IPv6-Prefix (the link's /64) and framed IPv6
# routes; lnsd runs with dataplane.ipv6-prefixes: 4, so that the fourth
# prefix in use is the last. The core namespace routes 2001:db8:300::/40 (the
# framed routes) and 2001:db8:100::/56 (the links) via lnsd.
#
#  a. v6a: routes "2001:db8:300::/56 :: 1" and "2001:db8:310::1" (a host),
#     and two lnsd refuses at the Access-Accept, each logged with its reason:
#     a gateway other than :: and a link-local prefix. lnsctl shows the two
#     routes (framed_ipv6_routes), the /64 and its IPv4 Framed-Route
#     (framed_routes); ppp.framed_ipv6_routes grows
#     by 2, framed_ipv6_routes_refused by 2; lnsd logged the table's size.
#  b. the core pings an address in the /56 and the host route: every echo
#     leaves lnsd into v6a's tunnel as PPP 0x0057 (tshark on the access side;
#     lwIP does not answer for them), v6a's down_packets grows by exactly
#     those 6, nothing is dropped for want of a route.
#  c. v6b: its /64 takes the table's last place; its route 2001:db8:300::/56
#     is v6a's already and 2001:db8:330::/56 finds no room: both refused,
#     logged and counted (ipv6_prefix_table_full once); v6b is up all the
#     same, with its /64 and no framed route.
#  d. v6a ends: its routes leave the FIB with it, so a new v6a session gets
#     both again (they would be "routed already" otherwise), and shows them.
#  e. tshark: nothing lnsd sent is malformed.
set -euo pipefail
# shellcheck source=tests/netns/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/netns/radius.sh
. "$(dirname "$0")/radius.sh"
# shellcheck source=tests/netns/radius_lns.sh
. "$(dirname "$0")/radius_lns.sh"

t_init
require_root
require_lnsd
require_radius
require_cmd tcpdump tshark
rl_setup
ip -n "$NS_CORE" -6 route add 2001:db8:300::/40 via "$LNS_CORE6"
ip -n "$NS_CORE" -6 route add 2001:db8:100::/56 via "$LNS_CORE6"

# shellcheck disable=SC2317 # called by rl_instance
v6_users() {
	radius_user "$1" v6a pw 'Framed-IPv6-Prefix = 2001:db8:100:1::/64' \
		'Framed-IPv6-Route += "2001:db8:300::/56 :: 1"' \
		'Framed-IPv6-Route += "2001:db8:310::1"' \
		'Framed-IPv6-Route += "2001:db8:320::/48 2001:db8::1 1"' \
		'Framed-IPv6-Route += "fe80::/64 :: 1"' \
		'Framed-Route += "198.19.5.0/24 0.0.0.0 1"'
	radius_user "$1" v6b pw 'Framed-IPv6-Prefix = 2001:db8:100:2::/64' \
		'Framed-IPv6-Route += "2001:db8:300::/56 :: 1"' \
		'Framed-IPv6-Route += "2001:db8:330::/56 :: 1"'
}
RL_EXTRA_USERS=v6_users
RL_PPP="{lcp-echo-interval: 10, ipv6: true}"
LNS_DP_EXTRA="ipv6-prefixes: 4"

R=$T_OUT/radius-main
rl_instance "$R" main
radius_start_ns "$NS_LNS" "$R"
rl_lnsd main

CAP=$T_OUT/v6route.pcap
capture_start v6route "$NS_ACC" "$PE_ACC" udp

# v6_up ID USER: lwip-lac ID logs in as USER with IPv6; IPv6CP up and a SLAAC address
v6_up() {
	lac_start "$1" --secret "$RL_L2TP_SECRET" --user "$2" --password pw --auth pap --ipv6 &&
		lac_wait_up "$1" 1 20 && wait_for 15 "lwIP $1: IPv6CP up" lac_logged "$1" '^session 1 up6 ' &&
		wait_for 15 "lwIP $1: a SLAAC address" lac_logged "$1" '^session 1 addr6 '
}

# lnsd_logged ERE: lnsd's log has a line matching ERE
# shellcheck disable=SC2317 # called through assert_cmd
lnsd_logged() { grep -Eq -- "$1" "$T_OUT/lnsd.log"; }

assert_cmd "lnsd logged the IPv6 FIB's room: 4 prefixes" lnsd_logged 'IPv6 FIB [0-9]+ KiB \(4 prefixes\)'

# ===========================================================================
step "a. v6a: two framed IPv6 routes routed, two refused at the Access-Accept"
rl_ctr c-a
if v6_up a v6a; then
	ok "lwIP a: $(grep -m1 '^session 1 addr6 ' "${LAC_LOG[a]}")"
	assert_eq "lnsctl: v6a's ipv6_prefix" 2001:db8:100:1::/64 "$(rl_sess v6a ipv6_prefix)"
	assert_eq "lnsctl: v6a's framed_ipv6_routes" '["2001:db8:300::/56","2001:db8:310::1/128"]' \
		"$(rl_sess v6a framed_ipv6_routes)"
	assert_eq "lnsctl: v6a's framed_routes (IPv4, Framed-Route)" '["198.19.5.0/24"]' "$(rl_sess v6a framed_routes)"
	rl_ctr c-a1
	assert_eq "ppp.framed_ipv6_routes increase" 2 "$(rl_delta c-a c-a1 ppp.framed_ipv6_routes)"
	assert_eq "ppp.framed_ipv6_routes_refused increase" 2 "$(rl_delta c-a c-a1 ppp.framed_ipv6_routes_refused)"
	assert_eq "ppp.ipv6_prefix_table_full increase" 0 "$(rl_delta c-a c-a1 ppp.ipv6_prefix_table_full)"
	assert_cmd "lnsd logged the route with another gateway as not applied, and why" lnsd_logged \
		'"v6a": Framed-IPv6-Route "2001:db8:320::/48 2001:db8::1 1" not applied: the gateway is not ::'
	assert_cmd "lnsd logged the link-local route as not applied, and why" lnsd_logged \
		'"v6a": Framed-IPv6-Route "fe80::/64 :: 1" not applied: it holds or lies in link-local'
else
	fail "lwIP a: not up with IPv6: $(grep -E '^session 1 (up|up6|addr6|down)' "${LAC_LOG[a]}" | tr '\n' ' ')"
fi

step "b. pings from the core into the framed routes reach v6a's tunnel"
rl_ctr c-b
before=$(rl_sess v6a down_packets)
ping_from "$NS_CORE" 2001:db8:300:42::1 3 || true
ping_from "$NS_CORE" 2001:db8:310::1 3 || true
capture_wait v6route "ip.src==$LNS_ACC4 && ppp.protocol==0x0057 && icmpv6.type==128 && ipv6.dst==2001:db8:300:42::1" 3 ||
	true
capture_wait v6route "ip.src==$LNS_ACC4 && ppp.protocol==0x0057 && icmpv6.type==128 && ipv6.dst==2001:db8:310::1" 3 ||
	true
rl_ctr c-b1
assert_eq "v6a's down_packets increase (3 echoes to each route, into its tunnel)" 6 \
	"$(($(rl_sess v6a down_packets) - ${before:-0}))"
assert_eq "total.drop_no_route increase" 0 "$(rl_delta c-b c-b1 total.drop_no_route)"
# the LAC's session ID of v6a (lnsctl's peer_session_id), which lnsd writes into the frames
# it sends: the echoes are in v6a's own session
sid=$(rl_sess v6a peer_session_id)
for dst in 2001:db8:300:42::1 2001:db8:310::1; do
	assert_eq "echo requests to $dst inside L2TP/PPP, to v6a's session $sid" 3 \
		"$(tshark -r "$CAP" -d udp.port==1701,l2tp -Y "ip.src==$LNS_ACC4 && l2tp.session==${sid:-0} && ppp.protocol==0x0057 && icmpv6.type==128 && ipv6.dst==$dst" 2>/dev/null | wc -l)"
done

step "c. v6b: its route routed already and one beyond dataplane.ipv6-prefixes refused"
rl_ctr c-c
if v6_up b v6b; then
	assert_eq "lnsctl: v6b's ipv6_prefix (the table's fourth prefix)" 2001:db8:100:2::/64 "$(rl_sess v6b ipv6_prefix)"
	assert_eq "lnsctl: v6b's framed_ipv6_routes" '[]' "$(rl_sess v6b framed_ipv6_routes)"
	assert_eq "lnsctl: v6b's framed_routes" '[]' "$(rl_sess v6b framed_routes)"
	lnsctl show sessions >"$T_OUT/sessions.txt" 2>&1 || true
	assert_match "lnsctl's text form: v6a's framed IPv6 routes comma-separated" \
		'v6a .* 2001:db8:300::/56,2001:db8:310::1/128' "$(cat "$T_OUT/sessions.txt")"
	rl_ctr c-c1
	assert_eq "ppp.framed_ipv6_routes increase" 0 "$(rl_delta c-c c-c1 ppp.framed_ipv6_routes)"
	assert_eq "ppp.framed_ipv6_routes_refused increase" 2 "$(rl_delta c-c c-c1 ppp.framed_ipv6_routes_refused)"
	assert_eq "ppp.ipv6_prefix_table_full increase" 1 "$(rl_delta c-c c-c1 ppp.ipv6_prefix_table_full)"
	assert_cmd "lnsd logged v6a's route as routed already for v6b" lnsd_logged \
		'framed IPv6 route 2001:db8:300::/56 not routed: the prefix is routed already'
	assert_cmd "lnsd logged the route beyond the table's room, and the key" lnsd_logged \
		'framed IPv6 route 2001:db8:330::/56 not routed: no room in the IPv6 prefix table \(dataplane.ipv6-prefixes: 4, 4 in use\)'
	assert_eq "lnsctl: v6a keeps its routes" '["2001:db8:300::/56","2001:db8:310::1/128"]' \
		"$(rl_sess v6a framed_ipv6_routes)"
else
	fail "lwIP b: not up with IPv6: $(grep -E '^session 1 (up|up6|addr6|down)' "${LAC_LOG[b]}" | tr '\n' ' ')"
fi

step "d. v6a's end takes its routes out: a new v6a session gets them again"
lac_stop a
wait_for 10 "no session of v6a" rl_no_sess v6a || fail "v6a's session is still there"
rl_ctr c-d
if v6_up again v6a; then
	assert_eq "lnsctl: the new v6a's framed_ipv6_routes" '["2001:db8:300::/56","2001:db8:310::1/128"]' \
		"$(rl_sess v6a framed_ipv6_routes)"
	rl_ctr c-d1
	assert_eq "ppp.framed_ipv6_routes increase" 2 "$(rl_delta c-d c-d1 ppp.framed_ipv6_routes)"
	assert_eq "ppp.ipv6_prefix_table_full increase" 0 "$(rl_delta c-d c-d1 ppp.ipv6_prefix_table_full)"
else
	fail "lwIP again: not up with IPv6: $(grep -E '^session 1 (up|up6|addr6|down)' "${LAC_LOG[again]}" | tr '\n' ' ')"
fi
lac_stop again
lac_stop b

step "e. tshark: what lnsd sent decodes cleanly"
capture_stop v6route
bad=$(tshark -r "$CAP" -d udp.port==1701,l2tp -Y "ip.src==$LNS_ACC4 && (_ws.malformed || _ws.expert.severity >= warning)" 2>&1 |
	grep -v 'Running as user "root"' || true)
if [ -z "$bad" ]; then
	ok "tshark: none of lnsd's frames is malformed or draws a warning"
else
	fail "tshark flags frames lnsd sent (${CAP#"$LNS_ROOT"/}):"
	printf '%s\n' "$bad" | head -n 20 | sed 's/^/        | /'
fi

lnsd_stop TERM 5000 || true
assert_eq "lnsd exit status" 0 "${LNSD_EXIT:-none}"
t_finish
