#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# DHCPv6 prefix delegation to a real client over a PPP session: lwIP
# (tests/peers/lwip-lac) is the LAC and does LCP, PAP and IPv6CP; with
# --tun6 it hands session 1's IPv6 to a TUN device, which the test moves
# into a namespace of its own (the CPE) and numbers with the link-local
# address IPv6CP agreed on. There dhcpcd (Debian's dhcpcd-base) runs as the
# CPE's DHCPv6 client: it asks for a prefix (IA_PD) and DNS, and numbers its
# LAN interface from the prefix; a packet from that address reaches the core
# and comes back through lnsd's workers. The subscriber is authenticated by
# FreeRADIUS, whose Access-Accept gives its Delegated-IPv6-Prefix (a /56 in the
# middle of ppp.pd-pool, reserved there) and DNS-Server-IPv6-Address (instead
# of ppp.ra.dns).
#
#  cpe: dhcpcd, TUN (fe80::IFID) --- lwip-lac [acc] === L2TP/PPP === lnsd === core
#       LAN veth: an address in the delegated /56
#
#  a. the PPP session up with IPv6CP; the TUN in the CPE namespace.
#  b. dhcpcd gets exactly RADIUS's /56 (lnsctl's delegated_prefix too), and
#     RADIUS's DNS server;
#     its LAN interface gets an address in it; lnsd counted Advertise, Reply,
#     the prefix granted, and dropped nothing.
#  c. the RA's O flag brought dhcpcd a default route via lnsd's link-local
#     address; a ping from the LAN address to the core is answered, and one
#     from the core to it: both ways through the workers (the session's
#     up_packets and down_packets grow).
#  d. dhcpcd stops with a Release: lnsd counts the prefix released.
#  e. dhcpcd again, with Rapid Commit and an IA_NA besides: one Reply, no
#     Advertise; the same /56 again; the IA_NA refused (NoAddrsAvail), which
#     dhcpcd takes in its stride.
#  f. tshark: lnsd's RAs carry O (and not M), its DHCPv6 Replies the /56 and
#     the IA_NA's NoAddrsAvail; nothing lnsd sent is malformed.
set -euo pipefail
# shellcheck source=tests/netns/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/netns/radius.sh
. "$(dirname "$0")/radius.sh"

t_init
require_root
require_lnsd
require_radius
require_cmd ethtool ping tcpdump tshark dhcpcd
[ -c /dev/net/tun ] || t_skip "needs /dev/net/tun (lwip-lac --tun6)"

SECRET=s
LINKS=2001:db8:100::/56
PD=2001:db8:200::/48         # ppp.pd-pool, of /56s
WANT_PD=2001:db8:200:4200::/56 # RADIUS's Delegated-IPv6-Prefix: in the pool, not its first
DNS6=2001:db8:d::53            # RADIUS's DNS-Server-IPv6-Address
CONFIG_DNS6=2001:db8:d::99     # ppp.ra.dns, which RADIUS's replaces
RADIUS_SECRET=testing123

topo_basic
lac_setup || t_skip "cannot build lwip-lac: $LAC_BUILD_ERR (scripts/deps.sh enables deb-src)"
ns_add NS_CPE cpe
ip -n "$NS_CORE" -6 route add "$LINKS" via "$LNS_CORE6"
ip -n "$NS_CORE" -6 route add "$PD" via "$LNS_CORE6"

radius_prepare "$T_OUT/radius" r1 addr=127.0.0.1 client=127.0.0.1 secret="$RADIUS_SECRET"
radius_user "$T_OUT/radius" u p "Delegated-IPv6-Prefix = $WANT_PD" "DNS-Server-IPv6-Address = $DNS6"
radius_start_ns "$NS_LNS" "$T_OUT/radius"

LNS_EXTRA_CONFIG="l2tp:
  peers:
    - {name: lac1, match: [\"192.0.2.0/24\"], secret: $SECRET}
ppp: {auth: [pap], ipv6: true, ipv6-pool: links, pd-pool: pd, ra: {dns: [\"$CONFIG_DNS6\"]}}
pools:
  - {name: v4, ranges: [\"100.64.0.0/24\"]}
  - {name: links, ranges: [\"$LINKS\"]}
  - {name: pd, ranges: [\"$PD\"], prefix-length: 56}
radius:
  auth-servers: [{address: 127.0.0.1, port: 1812, secret: $RADIUS_SECRET}]"
config_basic "$T_OUT/lnsd.yaml"
lnsd_start "$T_OUT/lnsd.yaml"
capture_start pd "$NS_ACC" "$PE_ACC" udp

TUN=pdtun$T_SUFFIX
LAN=lan$T_SUFFIX
HOOK_DIR=$T_OUT/dhcpcd # its hook's records kept with the logs
mkdir -p "$HOOK_DIR"
# dhcpcd keeps its lease and pid files by interface name: ours are unique; removed at the end
dhcpcd_files() { rm -f "/var/lib/dhcpcd/$TUN".* "/var/lib/dhcpcd/$LAN".* "/run/dhcpcd/$TUN"* 2>/dev/null || true; }

# session_field FIELD: FIELD of the session in lnsctl (one session only)
session_field() {
	snap sessions show sessions >/dev/null 2>&1 || return 1
	jget "$T_OUT/sessions.json" "sessions[0].$1" 2>&1
}

# ===========================================================================
step "a. PPP with IPv6CP; lwip-lac hands session 1's IPv6 to $TUN, moved to the CPE"
snap c0 show counters
LL=
if lac_start cpe --secret "$SECRET" --user u --password p --auth pap --ipv6 --tun6 "$TUN" &&
	lac_wait_up cpe 1 10 && wait_for 10 "lwIP: IPv6CP up" lac_logged cpe '^session 1 up6 '; then
	LL=$(sed -n 's/^session 1 up6 ll=\([0-9a-f:]*\) .*/\1/p' "${LAC_LOG[cpe]}" | head -n 1)
	ok "IPv6CP up; the subscriber's link-local address $LL"
else
	fail "lwIP: no IPv6CP: $(tail -n 3 "${LAC_LOG[cpe]}" | tr '\n' ' ')"
fi
# No address of the kernel's own on the TUN (addrgenmode none): the only link-local one is
# the one IPv6CP agreed on, the source lnsd accepts.
ip -n "$NS_ACC" link set "$TUN" netns "$NS_CPE"
ip -n "$NS_CPE" link set "$TUN" addrgenmode none
ip -n "$NS_CPE" link set "$TUN" mtu 1400
[ -n "$LL" ] && ip -n "$NS_CPE" addr add "$LL/64" dev "$TUN" nodad
ip -n "$NS_CPE" link set "$TUN" up
ip -n "$NS_CPE" link add "$LAN" type veth peer name "${LAN}p"
# nobody else on the LAN: no duplicate address detection to wait for
ip netns exec "$NS_CPE" sysctl -qw "net.ipv6.conf.$LAN.accept_dad=0"
ip -n "$NS_CPE" link set "$LAN" up
ip -n "$NS_CPE" link set "${LAN}p" up
assert_match "the TUN in the CPE namespace with the subscriber's link-local address" "inet6 $LL/64" \
	"$(ip -n "$NS_CPE" -6 addr show dev "$TUN")"

step "b. dhcpcd asks for a prefix: RADIUS's /56, and RADIUS's DNS server"
cat >"$HOOK_DIR/hook.sh" <<-EOF
	#!/bin/sh
	# dhcpcd's hook: each event's environment kept, nothing configured on the host
	env | sort >"$HOOK_DIR/\$reason.env"
EOF
chmod +x "$HOOK_DIR/hook.sh"
# dhcpcd_start NAME [LINE...]: dhcpcd on the TUN as a CPE's WAN side (DHCPv6 only), its LAN
# numbered from the prefix, LINEs added to its configuration; log $T_OUT/dhcpcd-NAME.log
dhcpcd_start() {
	local name=$1 conf=$HOOK_DIR/dhcpcd-$1.conf
	shift
	{
		echo "# written by $T_NAME ($name)"
		printf '%s\n' ipv6only "ia_pd 1 $LAN/0/64" "option dhcp6_name_servers" release \
			"script $HOOK_DIR/hook.sh" "$@"
	} >"$conf"
	rm -f "$HOOK_DIR"/*.env
	dhcpcd_files
	ip netns exec "$NS_CPE" dhcpcd -f "$conf" -B -d -6 "$TUN" >"$T_OUT/dhcpcd-$name.log" 2>&1 &
	DHCPCD_PID=$!
	proc_record "$DHCPCD_PID" dhcpcd
}
dhcpcd_start plain

# shellcheck disable=SC2317 # called through wait_for
bound() { grep -qs '^new_dhcp6_ia_pd1_prefix1=' "$HOOK_DIR/BOUND6.env"; }
# dhcpcd-run-hooks(8): new_dhcp6_ia_pd<IA>_prefix<N>[_length|_pltime|_vltime]
env_of() { sed -n "s/^$1=//p" "$HOOK_DIR/BOUND6.env" 2>/dev/null | head -n 1; }
# shellcheck disable=SC2317
lan_numbered() { ip -n "$NS_CPE" -6 addr show dev "$LAN" scope global -tentative | grep -q 'inet6 '; }
if wait_for 15 "dhcpcd bound" bound && wait_for 5 "an address on $LAN" lan_numbered; then
	assert_eq "lnsctl: the session's delegated prefix (RADIUS's)" "$WANT_PD" \
		"$(session_field delegated_prefix)"
	assert_eq "dhcpcd: the delegated prefix (IA_PD 1)" "$WANT_PD" \
		"$(env_of new_dhcp6_ia_pd1_prefix1)/$(env_of new_dhcp6_ia_pd1_prefix1_length)"
	assert_eq "dhcpcd: its lifetimes (the /64's: ppp.ra's defaults)" "604800 2592000" \
		"$(env_of new_dhcp6_ia_pd1_prefix1_pltime) $(env_of new_dhcp6_ia_pd1_prefix1_vltime)"
	assert_eq "dhcpcd: the DNS server (RADIUS's, not ppp.ra.dns)" "$DNS6" "$(env_of new_dhcp6_name_servers)"
	LANADDR=$(ip -n "$NS_CPE" -6 -o addr show dev "$LAN" scope global | awk '{print $4}' | cut -d/ -f1 | head -n 1)
	assert_cmd "the LAN address $LANADDR lies in $WANT_PD" "$PY" -c \
		'import ipaddress,sys; assert ipaddress.ip_address(sys.argv[1]) in ipaddress.ip_network(sys.argv[2])' \
		"$LANADDR" "$WANT_PD"
else
	LANADDR=
	fail "dhcpcd: no prefix; its log:"
	tail -n 20 "$T_OUT/dhcpcd-plain.log" | sed 's/^/        | /'
fi
snap c1 show counters
for c in dhcp6_advertise dhcp6_reply dhcp6_pd_granted; do
	assert_ge "ppp.$c" 1 "$(jdelta "$T_OUT/c0.json" "$T_OUT/c1.json" "ppp.$c")"
done
for c in dhcp6_drop_malformed dhcp6_drop_invalid dhcp6_drop_foreign dhcp6_drop_unserved dhcp6_pd_refused; do
	assert_eq "ppp.$c" 0 "$(jdelta "$T_OUT/c0.json" "$T_OUT/c1.json" "ppp.$c")"
done
assert_match "lnsd logged the binding" "delegated prefix $WANT_PD bound \\(DHCPv6" "$(cat "$T_OUT/lnsd.log")"

step "c. from the delegated prefix to the core and back, through the workers"
# shellcheck disable=SC2317
default_route() { ip -n "$NS_CPE" -6 route show default | grep -q "dev $TUN"; }
assert_cmd "dhcpcd took a default route from lnsd's RA" wait_for 10 "a default route via $TUN" default_route
if [ -n "$LANADDR" ]; then
	s_up0=$(session_field up_packets) s_down0=$(session_field down_packets)
	out=$(ip netns exec "$NS_CPE" ping -c 3 -i 0.2 -W 2 -I "$LANADDR" "$CORE6" 2>&1 || true)
	printf '%s\n' "$out" >"$T_OUT/ping-cpe-core.log"
	assert_match "ping from $LANADDR to the core ($CORE6)" "3 packets transmitted, 3 received" "$out"
	assert_ping "$NS_CORE" "$LANADDR"
	s_up1=$(session_field up_packets) s_down1=$(session_field down_packets)
	assert_ge "the session's up_packets grew by the 6 packets from the LAN" 6 $((s_up1 - s_up0))
	assert_ge "the session's down_packets grew by the 6 packets to the LAN" 6 $((s_down1 - s_down0))
fi

step "d. dhcpcd stops and releases the prefix"
snap c2 show counters
proc_stop "$DHCPCD_PID" dhcpcd 5000
# shellcheck disable=SC2317
released() { snap c3 show counters && [ "$(jdelta "$T_OUT/c2.json" "$T_OUT/c3.json" ppp.dhcp6_released)" = 1 ]; }
assert_cmd "ppp.dhcp6_released grew by 1" wait_for 5 "the Release" released
assert_match "lnsd logged the release" "delegated prefix $WANT_PD released \\(DHCPv6" "$(cat "$T_OUT/lnsd.log")"

step "e. dhcpcd with Rapid Commit and an IA_NA: one Reply, the same /56, no address"
snap c4 show counters
dhcpcd_start rapid "ia_na 2" "option dhcp6_rapid_commit"
if wait_for 15 "dhcpcd bound (Rapid Commit)" bound; then
	assert_eq "dhcpcd: the delegated prefix again" "$WANT_PD" \
		"$(env_of new_dhcp6_ia_pd1_prefix1)/$(env_of new_dhcp6_ia_pd1_prefix1_length)"
	assert_eq "dhcpcd: no address from DHCPv6 (IA_NA 2 refused)" "" "$(env_of new_dhcp6_ia_na2_addr1)"
	assert_match "dhcpcd logged lnsd's NoAddrsAvail message and went on" \
		"REPLY: no addresses: SLAAC on the link" "$(cat "$T_OUT/dhcpcd-rapid.log")"
else
	fail "dhcpcd with Rapid Commit: no prefix; its log:"
	tail -n 20 "$T_OUT/dhcpcd-rapid.log" | sed 's/^/        | /'
fi
snap c5 show counters
assert_eq "ppp.dhcp6_advertise (Rapid Commit: none)" 0 "$(jdelta "$T_OUT/c4.json" "$T_OUT/c5.json" ppp.dhcp6_advertise)"
assert_ge "ppp.dhcp6_reply" 1 "$(jdelta "$T_OUT/c4.json" "$T_OUT/c5.json" ppp.dhcp6_reply)"
assert_ge "ppp.dhcp6_pd_granted" 1 "$(jdelta "$T_OUT/c4.json" "$T_OUT/c5.json" ppp.dhcp6_pd_granted)"
for c in dhcp6_drop_malformed dhcp6_drop_invalid dhcp6_drop_foreign dhcp6_drop_unserved; do
	assert_eq "ppp.$c, over the whole test" 0 "$(jdelta "$T_OUT/c0.json" "$T_OUT/c5.json" "ppp.$c")"
done
proc_stop "$DHCPCD_PID" dhcpcd 5000
dhcpcd_files

lac_stop cpe
step "f. tshark: the O flag, the prefix in DHCPv6 inside L2TP, nothing malformed"
# every Reply on disk before tcpdump stops: the Request's, the Release's, Rapid Commit's
capture_wait pd "ip.src==$LNS_ACC4 && dhcpv6.msgtype==7" 3 || true
capture_stop pd
CAP=$T_OUT/pd.pcap
assert_ge "RAs from lnsd with the O flag (other configuration: DHCPv6), not M" 1 \
	"$(tshark -r "$CAP" -d udp.port==1701,l2tp -Y "ip.src==$LNS_ACC4 && icmpv6.type==134 && icmpv6.nd.ra.flag.o==1 && icmpv6.nd.ra.flag.m==0" 2>/dev/null | wc -l)"
assert_ge "a Reply from lnsd with Rapid Commit refusing IA_NA 2 (NoAddrsAvail)" 1 \
	"$(tshark -r "$CAP" -d udp.port==1701,l2tp -Y "ip.src==$LNS_ACC4 && dhcpv6.msgtype==7 && dhcpv6.option.type==14 && dhcpv6.iaid==\"00000002\" && dhcpv6.status_code==2" 2>/dev/null | wc -l)"
assert_ge "DHCPv6 Replies from lnsd delegating ${WANT_PD} (the first, and Rapid Commit's)" 2 \
	"$(tshark -r "$CAP" -d udp.port==1701,l2tp -Y "ip.src==$LNS_ACC4 && dhcpv6.msgtype==7 && dhcpv6.iaprefix.pref_addr==${WANT_PD%/*} && dhcpv6.iaprefix.pref_len==56" 2>/dev/null | wc -l)"
bad=$(tshark -r "$CAP" -d udp.port==1701,l2tp -Y "ip.src==$LNS_ACC4 && (_ws.malformed || _ws.expert.severity >= warning)" 2>&1 |
	grep -v 'Running as user "root"' || true)
if [ -z "$bad" ]; then
	ok "tshark: none of lnsd's frames is malformed or draws a warning"
else
	fail "tshark flags frames lnsd sent (${CAP#"$LNS_ROOT"/}):"
	printf '%s\n' "$bad" | head -n 20 | sed 's/^/        | /'
fi

lnsd_stop TERM 3000 || true
assert_eq "lnsd exit status" 0 "${LNSD_EXIT:-none}"
t_finish
