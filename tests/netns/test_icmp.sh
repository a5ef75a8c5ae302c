#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# The data plane's MTU policy end to end (docs/dataplane.md): lnsd between
# the core namespace and an lwIP subscriber (tests/peers/lwip-lac), its
# session's inner MTU 1450: lwIP's MRU (PPPOL2TP_DEFMRU), below what the
# access port's 1500 leaves after 38 octets of tunnel.
#
#  1. Fragmentation: the core pings the subscriber with 1500-octet packets
#     without DF; lnsd cuts them to fit the tunnel, lwIP reassembles and
#     answers; the worker counts what it fragmented.
#  1b. A TCP SYN from the core (MSS 1460, its port's MTU less 40) reaches
#     lwIP with the MSS clamped to the tunnel's MTU less 40 (tcp-mss-clamp:
#     auto, the default); mss_clamped grows. Before step 3, which teaches the
#     core kernel a smaller path MTU (and so a smaller MSS of its own).
#  2. `ping -t 1` from the core: "Time to live exceeded" from lnsd's core
#     address; drop_ttl and icmp_time_exceeded_out grow.
#  3. `ping -M do -s 1472` from the core: "Frag needed and DF set (mtu =
#     1450)" from lnsd's core address, and the core kernel takes that MTU
#     for the subscriber's address; drop_too_big and icmp_frag_needed_out grow.
#  4. Rate limit (dataplane.icmp-errors-per-second: 10): 60 TTL-1 pings in
#     about 0.2 s draw no more errors than the bucket holds plus what it
#     refills meanwhile; every expired packet is accounted for exactly once
#     (sent, held back by the worker, or by the control lcore); ping saw as
#     many errors as lnsd counted sent.
#  5. From the subscriber side: an L2TP data message as lwIP's LAC would send
#     it (scapy, lwIP's tunnel and session), carrying the subscriber's packet
#     with TTL 1: lnsd answers inside the tunnel, from the address it has on
#     the PPP link (its access address), to the subscriber's address.
#  5c. No route (lnsd has routes to 203.0.113.0/24 and 2001:db8:ff00::/40 only,
#     no default): `ping` from the core to 198.18.0.1 draws "Destination Net
#     Unreachable" from lnsd's core address; to an address of the pool that no
#     session holds, "Destination Host Unreachable"; `ping -6` to
#     2001:db8:dead::1, "Destination unreachable: No route"; `ping -6` to a /64
#     of the links pool that no session holds, "Destination unreachable: Address
#     unreachable", though lnsd routes the pool's /48 aggregate back to the core
#     (the pool's own route wins); the subscriber's own packet to 198.18.0.1
#     (scapy, as in step 5), a Net Unreachable inside its tunnel.
#     drop_no_route, icmp_unreach_out and icmp6_unreach_out grow.
#  5d. A second lwIP subscriber with IPv6 (SLAAC from lnsd's RA in a /64 of
#     the links pool) pings lnsd's core IPv6 address from its SLAAC address
#     (lwip-lac --ping6): every echo answered, from that address, checksum
#     right (lwIP checks it).
#  6. tshark: lnsd's ICMP errors on both sides decode cleanly (checksums
#     checked, the quoted header too), with the types, codes and MTU above;
#     the echo replies to lwIP inside the tunnel.
#  7. The new counters in `lnsctl show counters` and in the metrics.
set -euo pipefail
# shellcheck source=tests/netns/lib.sh
. "$(dirname "$0")/lib.sh"

t_init
require_root
require_lnsd
require_cmd ethtool ping tcpdump tshark
"$PY" -c 'import scapy.all' 2>/dev/null || t_skip "$PY has no scapy (package python3-scapy)"

SECRET=s
POOL=100.64.0.0/24
RATE=10
# min(lwIP's MRU 1450, access port MTU 1500 - IPv4 20 - UDP 8 - L2TP 6 - PPP 4)
TUNNEL_MTU=1450
NET_IP=203.0.113.5
METRICS=127.0.0.1:9109
LINKS=2001:db8:100::/56   # the IPv6 subscriber's /64 comes from here
UNROUTED4=198.18.0.1      # lnsd has no route for these
UNROUTED6=2001:db8:dead::1
UNHELD=100.64.0.250       # in the pool, held by no session (the pool hands out from the bottom)
UNHELD6=2001:db8:100:ff::1 # in the links pool's last /64, held by no session (likewise)
AGGR6=2001:db8:100::/48    # lnsd's route toward the core covering the links pool

topo_basic
lac_setup || t_skip "cannot build lwip-lac: $LAC_BUILD_ERR (scripts/deps.sh enables deb-src)"
ip -n "$NS_CORE" route add "$POOL" via "$LNS_CORE4"
ip -n "$NS_CORE" route add "${UNROUTED4%.*}.0/24" via "$LNS_CORE4"
ip -n "$NS_CORE" -6 route add "$UNROUTED6/64" via "$LNS_CORE6"
ip -n "$NS_CORE" -6 route add "$LINKS" via "$LNS_CORE6"

# The core's aggregate for the links pool, routed back to it by lnsd: without the pool's own
# route (dp/fib6.h), a ping to a free /64 of the pool would go round until its hop limit ran out.
LNS_EXTRA_ROUTES="  - {prefix: \"$AGGR6\", via: \"$CORE6\"}"

LNS_EXTRA_CONFIG="l2tp:
  peers:
    - {name: lac1, match: [\"192.0.2.0/24\"], secret: $SECRET}
ppp: {auth: [pap], ipv6-pool: links}
pools:
  - {name: default, ranges: [\"$POOL\"]}
  - {name: links, ranges: [\"$LINKS\"]}
users:
  - {name: u, password: p, pool: default}
  - {name: u6, password: p, pool: default}"
config_basic "$T_OUT/lnsd.yaml"
# this test's rate, and metrics inside lnsd's namespace
sed -i -e "s/^dataplane: {\(.*\)}$/dataplane: {\1, icmp-errors-per-second: $RATE}/" \
	-e "s|^management: {socket: \(.*\)}$|management: {socket: \1, metrics: \"$METRICS\"}|" \
	"$T_OUT/lnsd.yaml"
grep -q "icmp-errors-per-second: $RATE" "$T_OUT/lnsd.yaml" || die "could not set the rate in lnsd.yaml"
# no default routes: a hole in the FIB for step 5c (Destination Unreachable is on by default)
sed -i -e 's|{prefix: 0.0.0.0/0, via: \(.*\)}|{prefix: 203.0.113.0/24, via: \1}|' \
	-e 's|{prefix: "::/0", via: \(.*\)}|{prefix: "2001:db8:ff00::/40", via: \1}|' "$T_OUT/lnsd.yaml"
if ! grep -q "prefix: 203.0.113.0/24" "$T_OUT/lnsd.yaml" || grep -q '0/0\|::/0' "$T_OUT/lnsd.yaml" ||
	! grep -q "prefix: \"$AGGR6\"" "$T_OUT/lnsd.yaml"; then
	die "could not replace the default routes in lnsd.yaml"
fi
lnsd_start "$T_OUT/lnsd.yaml"

capture_start core "$NS_CORE" "$PE_CORE" icmp or icmp6
capture_start acc "$NS_ACC" "$PE_ACC" udp port 1701
lac_start sub --secret "$SECRET" --user u --password p --auth pap || die "lwip-lac did not start"
lac_wait_up sub 1 20 || die "the lwIP session did not come up"
SUB=$(lac_addrs sub | head -n 1)
say "subscriber: $SUB behind lwIP ${LAC_IP[sub]}"

# delta KEY: how much counter KEY grew from c0.json to c1.json
delta() { jdelta "$T_OUT/c0.json" "$T_OUT/c1.json" "$1"; }

# ---------------------------------------------------------------------------
step "1. 1500-octet pings without DF: fragmented into the tunnel, answered"
snap c0 show counters || die "show counters failed"
out=$(ip netns exec "$NS_CORE" ping -c 3 -i 0.2 -W 3 -M dont -s 1472 "$SUB" 2>&1) || true
printf '%s\n' "$out" >"$T_OUT/ping-frag.log"
assert_match "ping -M dont -s 1472: 3 answered" '3 packets transmitted, 3 received' "$out"
snap c1 show counters || die "show counters failed"
assert_ge "total.fragmented increase" 3 "$(delta total.fragmented)"
assert_ge "total.frag_out increase (two fragments each)" 6 "$(delta total.frag_out)"
assert_eq "total.drop_too_big increase" 0 "$(delta total.drop_too_big)"

# ---------------------------------------------------------------------------
step "1b. a TCP SYN from the core: MSS clamped to $((TUNNEL_MTU - 40)) in the tunnel"
snap c0 show counters || die "show counters failed"
# a connection attempt: the SYN is what matters, whatever lwIP answers
ip netns exec "$NS_CORE" timeout 1 bash -c "exec 3<>/dev/tcp/$SUB/5001" 2>/dev/null || true
# shellcheck disable=SC2317 # called through wait_for
clamped() { snap c1 show counters && [ "$(delta total.mss_clamped)" -ge 1 ]; }
wait_for 5 "mss_clamped to count the SYN" clamped || true
assert_ge "total.mss_clamped increase" 1 "$(delta total.mss_clamped)"

# ---------------------------------------------------------------------------
step "2. ping -t 1: Time to live exceeded from lnsd"
snap c0 show counters || die "show counters failed"
out=$(ip netns exec "$NS_CORE" ping -c 1 -W 2 -t 1 "$SUB" 2>&1) || true
printf '%s\n' "$out" >"$T_OUT/ping-ttl.log"
assert_match "ping -t 1: Time to live exceeded from $LNS_CORE4" \
	"From $LNS_CORE4 icmp_seq=1 Time to live exceeded" "$out"
# shellcheck disable=SC2317 # called through wait_for
sent_one() { snap c1 show counters && [ "$(delta control.icmp_time_exceeded_out)" -ge 1 ]; }
wait_for 5 "icmp_time_exceeded_out to count it" sent_one || true
assert_eq "total.drop_ttl increase" 1 "$(delta total.drop_ttl)"
assert_eq "control.icmp_time_exceeded_out increase" 1 "$(delta control.icmp_time_exceeded_out)"

# ---------------------------------------------------------------------------
step "3. ping -M do -s 1472: Frag needed (mtu = $TUNNEL_MTU) from lnsd"
snap c0 show counters || die "show counters failed"
out=$(ip netns exec "$NS_CORE" ping -c 1 -W 2 -M "do" -s 1472 "$SUB" 2>&1) || true
printf '%s\n' "$out" >"$T_OUT/ping-df.log"
assert_match "ping -M do: Frag needed with the tunnel's MTU, from $LNS_CORE4" \
	"From $LNS_CORE4 icmp_seq=1 Frag needed and DF set \(mtu = $TUNNEL_MTU\)" "$out"
# shellcheck disable=SC2317 # called through wait_for
fn_one() { snap c1 show counters && [ "$(delta control.icmp_frag_needed_out)" -ge 1 ]; }
wait_for 5 "icmp_frag_needed_out to count it" fn_one || true
assert_eq "total.drop_too_big increase" 1 "$(delta total.drop_too_big)"
assert_eq "control.icmp_frag_needed_out increase" 1 "$(delta control.icmp_frag_needed_out)"
assert_match "the core kernel learnt the path MTU to $SUB" "mtu $TUNNEL_MTU" \
	"$(ip -n "$NS_CORE" route get "$SUB" 2>&1)"

# ---------------------------------------------------------------------------
step "4. rate limit: 60 TTL-1 pings at once, $RATE errors a second"
sleep 1.1 # both buckets full again (one second refills $RATE)
snap c0 show counters || die "show counters failed"
t0=$(now_ms)
out=$(ip netns exec "$NS_CORE" ping -c 60 -i 0.002 -W 1 -t 1 "$SUB" 2>&1) || true
t1=$(now_ms)
printf '%s\n' "$out" >"$T_OUT/ping-flood.log"
got=$(grep -c "Time to live exceeded" <<<"$out" || true)
# shellcheck disable=SC2317 # called through wait_for
all_seen() { snap c1 show counters && [ "$(delta total.drop_ttl)" -ge 60 ]; }
wait_for 5 "the 60 expired packets to be counted" all_seen || true
sent=$(delta control.icmp_time_exceeded_out)
wl=$(delta total.icmp_punt_limited)
cl=$(delta control.icmp_err_rate_limited)
say "60 expired in $((t1 - t0)) ms (ping's span): $sent errors sent, $wl held back by the worker, $cl by the control lcore; ping saw $got"
assert_eq "total.drop_ttl increase" 60 "$(delta total.drop_ttl)"
assert_eq "each expired packet: sent, or held back by one bucket (sent + worker + control)" 60 \
	$((sent + wl + cl))
# a full bucket, and what $RATE a second refills while ping ran (rounded up)
max=$((RATE + (RATE * (t1 - t0) + 999) / 1000))
assert_le "errors sent" "$max" "$sent"
assert_ge "errors sent (the bucket was full)" "$RATE" "$sent"
assert_eq "errors ping received = errors lnsd sent" "$sent" "$got"
assert_eq "control.icmp_err_suppressed increase" 0 "$(delta control.icmp_err_suppressed)"

# ---------------------------------------------------------------------------
step "5. from the subscriber's side: Time Exceeded inside its tunnel"
sleep 1.1
snap tunnels show tunnels || die "show tunnels failed"
snap sessions show sessions || die "show sessions failed"
peer=$(jget "$T_OUT/tunnels.json" "tunnels[0].peer")
tid=$(jget "$T_OUT/sessions.json" "sessions[0].tunnel_id")
sid=$(jget "$T_OUT/sessions.json" "sessions[0].session_id")
say "lwIP's tunnel: peer $peer, lnsd's tunnel $tid session $sid"
snap c0 show counters || die "show counters failed"
ip netns exec "$NS_ACC" "$PY" - "$PE_ACC" "$MAC_LN_ACC" "$peer" "$LNS_ACC4" "$tid" "$sid" \
	"$SUB" "$NET_IP" >"$T_OUT/scapy.log" 2>&1 <<-'EOF' || die "scapy failed: $(cat "$T_OUT/scapy.log")"
	import struct, sys
	from scapy.all import Ether, IP, UDP, Raw, sendp, conf
	conf.verb = 0
	iface, mac, peer, lns, tid, sid, sub, net = sys.argv[1:9]
	lac, port = peer.rsplit(":", 1)
	# RFC 2661 3.1: T=0, no L/S/O, version 2; PPP ff 03 0021 (IPv4)
	l2tp = struct.pack("!HHH", 0x0002, int(tid), int(sid)) + b"\xff\x03\x00\x21"
	inner = IP(src=sub, dst=net, ttl=1, id=0x4242) / UDP(sport=33434, dport=33435) / Raw(b"lns-icmp-test")
	sendp(Ether(dst=mac) / IP(src=lac, dst=lns) / UDP(sport=int(port), dport=1701) / Raw(l2tp + bytes(inner)),
	      iface=iface)
	print("sent")
EOF
# shellcheck disable=SC2317 # called through wait_for
sub_sent() { snap c1 show counters && [ "$(delta control.icmp_time_exceeded_out)" -ge 1 ]; }
wait_for 5 "the error toward the subscriber" sub_sent || true
assert_eq "total.drop_ttl increase" 1 "$(delta total.drop_ttl)"
assert_eq "control.icmp_time_exceeded_out increase" 1 "$(delta control.icmp_time_exceeded_out)"
assert_ge "ppp.tx_frames increase (the error went into the tunnel)" 1 "$(delta ppp.tx_frames)"

step "5b. from the subscriber's side: a ping to lnsd's own address (its gateway) answered"
snap c0 show counters || die "show counters failed"
ip netns exec "$NS_ACC" "$PY" - "$PE_ACC" "$MAC_LN_ACC" "$peer" "$LNS_ACC4" "$tid" "$sid" \
	"$SUB" >"$T_OUT/scapy-echo.log" 2>&1 <<-'EOF' || die "scapy failed: $(cat "$T_OUT/scapy-echo.log")"
	import struct, sys
	from scapy.all import Ether, IP, ICMP, UDP, Raw, sendp, conf
	conf.verb = 0
	iface, mac, peer, lns, tid, sid, sub = sys.argv[1:8]
	lac, port = peer.rsplit(":", 1)
	l2tp = struct.pack("!HHH", 0x0002, int(tid), int(sid)) + b"\xff\x03\x00\x21"
	inner = IP(src=sub, dst=lns, id=0x4343) / ICMP(type=8, id=0x77, seq=1) / Raw(b"lns-echo-test")
	sendp(Ether(dst=mac) / IP(src=lac, dst=lns) / UDP(sport=int(port), dport=1701) / Raw(l2tp + bytes(inner)),
	      iface=iface)
	print("sent")
EOF
# shellcheck disable=SC2317 # called through wait_for
echo_sent() { snap c1 show counters && [ "$(delta control.icmp_echo_reply_out)" -ge 1 ]; }
wait_for 5 "the echo reply toward the subscriber" echo_sent || true
assert_eq "control.icmp_echo_in increase" 1 "$(delta control.icmp_echo_in)"
assert_eq "control.icmp_echo_reply_out increase" 1 "$(delta control.icmp_echo_reply_out)"

# ---------------------------------------------------------------------------
step "5c. no route: Destination Unreachable from lnsd"
[ "$SUB" != "$UNHELD" ] || die "the subscriber holds $UNHELD: pick another unheld address"
sleep 1.1 # both buckets full again
snap c0 show counters || die "show counters failed"
out=$(ip netns exec "$NS_CORE" ping -c 1 -W 2 "$UNROUTED4" 2>&1) || true
printf '%s\n' "$out" >"$T_OUT/ping-net-unreach.log"
assert_match "ping $UNROUTED4: Destination Net Unreachable from $LNS_CORE4" \
	"From $LNS_CORE4 icmp_seq=1 Destination Net Unreachable" "$out"
out=$(ip netns exec "$NS_CORE" ping -c 1 -W 2 "$UNHELD" 2>&1) || true
printf '%s\n' "$out" >"$T_OUT/ping-host-unreach.log"
assert_match "ping $UNHELD (the pool's, nobody's): Destination Host Unreachable from $LNS_CORE4" \
	"From $LNS_CORE4 icmp_seq=1 Destination Host Unreachable" "$out"
out=$(ip netns exec "$NS_CORE" ping -6 -c 1 -W 2 "$UNROUTED6" 2>&1) || true
printf '%s\n' "$out" >"$T_OUT/ping6-unreach.log"
assert_match "ping -6 $UNROUTED6: Destination unreachable: No route, from $LNS_CORE6" \
	"From $LNS_CORE6 icmp_seq=1 Destination unreachable: No route" "$out"
out=$(ip netns exec "$NS_CORE" ping -6 -c 1 -W 2 "$UNHELD6" 2>&1) || true
printf '%s\n' "$out" >"$T_OUT/ping6-addr-unreach.log"
assert_match "ping -6 $UNHELD6 (the links pool's, nobody's): Destination unreachable: Address unreachable, from $LNS_CORE6" \
	"From $LNS_CORE6 icmp_seq=1 Destination unreachable: Address unreachable" "$out"
# An error lnsd would send to a free prefix of its own pool (here: a Time Exceeded for a packet
# claiming to come from there) has no route either, in the control lcore too (cp/ip6_out.c):
# not sent toward the core, whose aggregate would bring it back.
snap p0 show counters || die "show counters failed"
ip netns exec "$NS_CORE" "$PY" - "$PE_CORE" "$MAC_LN_CORE" "$UNHELD6" "$UNROUTED6" \
	>"$T_OUT/scapy-pool6-src.log" 2>&1 <<-'EOF' || die "scapy failed: $(cat "$T_OUT/scapy-pool6-src.log")"
	import sys
	from scapy.all import Ether, IPv6, ICMPv6EchoRequest, sendp, conf
	conf.verb = 0
	sendp(Ether(dst=sys.argv[2]) / IPv6(src=sys.argv[3], dst=sys.argv[4], hlim=1) /
	      ICMPv6EchoRequest(id=7, seq=1), iface=sys.argv[1])
	EOF
pdelta() { jdelta "$T_OUT/p0.json" "$T_OUT/p1.json" "$1"; }
# shellcheck disable=SC2317 # called through wait_for
pool_src_done() { snap p1 show counters && [ "$(pdelta control.drop_no_route)" -ge 1 ]; }
wait_for 5 "the control lcore to find no route to $UNHELD6" pool_src_done || true
assert_eq "control.drop_no_route increase (Time Exceeded to a free pool prefix)" 1 \
	"$(pdelta control.drop_no_route)"
assert_eq "control.icmp6_time_exceeded_out + icmp6_unreach_out increase (none sent)" 0 \
	"$(($(pdelta control.icmp6_time_exceeded_out) + $(pdelta control.icmp6_unreach_out)))"
ip netns exec "$NS_ACC" "$PY" - "$PE_ACC" "$MAC_LN_ACC" "$peer" "$LNS_ACC4" "$tid" "$sid" \
	"$SUB" "$UNROUTED4" >"$T_OUT/scapy-unreach.log" 2>&1 <<-'EOF' || die "scapy failed: $(cat "$T_OUT/scapy-unreach.log")"
	import struct, sys
	from scapy.all import Ether, IP, UDP, Raw, sendp, conf
	conf.verb = 0
	iface, mac, peer, lns, tid, sid, sub, dst = sys.argv[1:9]
	lac, port = peer.rsplit(":", 1)
	l2tp = struct.pack("!HHH", 0x0002, int(tid), int(sid)) + b"\xff\x03\x00\x21"
	inner = IP(src=sub, dst=dst, id=0x4444) / UDP(sport=33434, dport=33435) / Raw(b"lns-unreach-test")
	sendp(Ether(dst=mac) / IP(src=lac, dst=lns) / UDP(sport=int(port), dport=1701) / Raw(l2tp + bytes(inner)),
	      iface=iface)
	print("sent")
EOF
# shellcheck disable=SC2317 # called through wait_for
unreach_sent() { snap c1 show counters && [ "$(delta control.icmp_unreach_out)" -ge 3 ] &&
	[ "$(delta control.icmp6_unreach_out)" -ge 2 ]; }
wait_for 5 "icmp_unreach_out and icmp6_unreach_out to count them" unreach_sent || true
assert_eq "total.drop_no_route increase" 5 "$(delta total.drop_no_route)"
assert_eq "control.icmp_unreach_out increase (two to the core, one into the tunnel)" 3 \
	"$(delta control.icmp_unreach_out)"
assert_eq "control.icmp6_unreach_out increase (no route, address unreachable)" 2 \
	"$(delta control.icmp6_unreach_out)"
assert_eq "control.icmp_err_rate_limited increase" 0 "$(delta control.icmp_err_rate_limited)"

# ---------------------------------------------------------------------------
step "5d. an lwIP subscriber with IPv6 pings lnsd's core address $LNS_CORE6"
snap c0 show counters || die "show counters failed"
PINGS=3
if lac_start sub6 --secret "$SECRET" --user u6 --password p --auth pap --ipv6 \
	--ping6 "$LNS_CORE6" --ping6-count "$PINGS" &&
	lac_wait_up sub6 1 20 &&
	wait_for 20 "lwIP: $PINGS echo requests sent" lac_logged sub6 "^session 1 ping6 sent=$PINGS"; then
	# shellcheck disable=SC2317 # called through wait_for
	all_replies() { [ "$(count_lines "${LAC_LOG[sub6]}" '^session 1 ping6 reply ')" -ge "$PINGS" ]; }
	wait_for 5 "$PINGS echo replies at lwIP" all_replies || true
	say "lwIP: $(grep -m1 '^session 1 ping6 start' "${LAC_LOG[sub6]}" | cut -d' ' -f3-)"
	assert_eq "echo replies lwIP received from $LNS_CORE6, hop limit 64, checksum right" "$PINGS" \
		"$(count_lines "${LAC_LOG[sub6]}" "^session 1 ping6 reply from=$LNS_CORE6 seq=[0-9]+ hlim=64 len=[0-9]+ cksum=ok")"
	assert_eq "echo replies lwIP received in all" "$PINGS" \
		"$(count_lines "${LAC_LOG[sub6]}" '^session 1 ping6 reply ')"
	snap c1 show counters || die "show counters failed"
	assert_eq "control.icmp6_echo_in increase" "$PINGS" "$(delta control.icmp6_echo_in)"
	assert_eq "control.icmp6_echo_reply_out increase" "$PINGS" "$(delta control.icmp6_echo_reply_out)"
	assert_eq "total.drop_spoofed increase" 0 "$(delta total.drop_spoofed)"
else
	fail "lwIP sub6: no pings: $(grep -E '^session 1 (up|up6|addr6|ping6|down)' "${LAC_LOG[sub6]}" | tr '\n' ' ')"
fi

# ---------------------------------------------------------------------------
step "6. tshark: lnsd's ICMP errors decode cleanly"
# the last packets each capture must hold (tcpdump writes each as it reads it)
capture_wait acc "icmp.type==0 && ip.src==$LNS_ACC4 && ip.dst==$SUB" || true
capture_wait core "ip.src==$LNS_CORE4 && icmp.type==11" $((1 + sent)) || true
capture_wait core "ipv6.src==$LNS_CORE6 && icmpv6.type==1" 2 || true
capture_wait acc "ipv6.src==$LNS_CORE6 && icmpv6.type==129" "$PINGS" || true
capture_wait acc "ip.src==$LNS_ACC4 && icmp.type==3" || true
capture_stop core
capture_stop acc
TS=(-o ip.check_checksum:TRUE -o udp.check_checksum:TRUE -o tcp.check_checksum:TRUE)
n_te=$(tshark "${TS[@]}" -r "$T_OUT/core.pcap" -Y "ip.src==$LNS_CORE4 && icmp.type==11 && icmp.code==0 && icmp.checksum.status==1" 2>/dev/null | wc -l)
assert_eq "core side: Time Exceeded from $LNS_CORE4, checksum good (step 2 and 4)" $((1 + sent)) "$n_te"
n_fn=$(tshark "${TS[@]}" -r "$T_OUT/core.pcap" -Y "ip.src==$LNS_CORE4 && icmp.type==3 && icmp.code==4 && icmp.mtu==$TUNNEL_MTU && icmp.checksum.status==1" 2>/dev/null | wc -l)
assert_eq "core side: Frag needed with mtu $TUNNEL_MTU from $LNS_CORE4, checksum good" 1 "$n_fn"
# the worker had taken one off the TTL of the DF ping before it found it too big; the
# quote must carry it as sent (64), with a header checksum that matches (checked below)
assert_eq "core side: Frag needed's TTLs (its own, the quoted header's)" "64,64" \
	"$(tshark -r "$T_OUT/core.pcap" -Y "icmp.type==3 && icmp.code==4" -T fields -e ip.ttl 2>/dev/null)"
while read -r code dst what; do
	f="ip.src==$LNS_CORE4 && ip.dst==$CORE4 && icmp.type==3 && icmp.code==$code && ip.dst==$dst"
	n=$(tshark "${TS[@]}" -r "$T_OUT/core.pcap" -Y "$f && icmp.checksum.status==1" 2>/dev/null | wc -l)
	assert_eq "core side: $what Unreachable (code $code) from $LNS_CORE4 about $dst, checksum good" 1 "$n"
	# the quote is the ping as it was sent (TTL 64: it was never routed), its checksum good
	assert_eq "core side: $what Unreachable's TTLs (its own, the quoted header's)" "64,64" \
		"$(tshark -r "$T_OUT/core.pcap" -Y "$f" -T fields -e ip.ttl 2>/dev/null)"
done <<<"0 $UNROUTED4 Net
1 $UNHELD Host"
n=$(tshark "${TS[@]}" -r "$T_OUT/core.pcap" -Y "ipv6.src==$LNS_CORE6 && ipv6.dst==$CORE6 && icmpv6.type==1 && icmpv6.code==0 && icmpv6.checksum.status==1 && ipv6.dst==$UNROUTED6" 2>/dev/null | wc -l)
assert_eq "core side: ICMPv6 no route from $LNS_CORE6, quoting the ping to $UNROUTED6, checksum good" 1 "$n"
F6="ipv6.src==$LNS_CORE6 && ipv6.dst==$CORE6 && icmpv6.type==1 && icmpv6.code==3 && ipv6.dst==$UNHELD6"
n=$(tshark "${TS[@]}" -r "$T_OUT/core.pcap" -Y "$F6 && icmpv6.checksum.status==1" 2>/dev/null | wc -l)
assert_eq "core side: ICMPv6 address unreachable from $LNS_CORE6, quoting the ping to $UNHELD6, checksum good" 1 "$n"
# the quote is the ping as it was sent (hop limit 64: it was never routed, nor sent round)
assert_eq "core side: address unreachable's hop limits (its own, the quoted header's)" "64,64" \
	"$(tshark -r "$T_OUT/core.pcap" -Y "$F6" -T fields -e ipv6.hlim 2>/dev/null)"
n_q=$(tshark "${TS[@]}" -r "$T_OUT/core.pcap" -Y "ip.src==$LNS_CORE4 && icmp.type==11 && ip.dst==$SUB && ip.ttl==1" 2>/dev/null | wc -l)
assert_ge "core side: the quoted header is the ping's as it arrived (TTL 1, checksum good)" 1 "$n_q"
bad=$(tshark "${TS[@]}" -r "$T_OUT/core.pcap" -Y "(ip.src==$LNS_CORE4 || ipv6.src==$LNS_CORE6) && (_ws.malformed || _ws.expert.severity >= warning)" 2>&1 |
	grep -v 'Running as user "root"' || true)
if [ -z "$bad" ]; then
	ok "tshark: none of lnsd's ICMP errors on the core side is malformed or draws a warning"
else
	fail "tshark flags lnsd's ICMP errors on the core side (${T_OUT#"$LNS_ROOT"/}/core.pcap):"
	printf '%s\n' "$bad" | head -n 20 | sed 's/^/        | /'
fi
MSS_F="l2tp && tcp.flags.syn==1 && tcp.flags.ack==0 && ip.dst==$SUB"
assert_match "access side: the core's SYNs inside the tunnel carry MSS $((TUNNEL_MTU - 40))" \
	"^($((TUNNEL_MTU - 40))\s*)+$" \
	"$(tshark "${TS[@]}" -r "$T_OUT/acc.pcap" -d udp.port==1701,l2tp -Y "$MSS_F" -T fields -e tcp.options.mss_val 2>/dev/null)"
n_syn=$(tshark "${TS[@]}" -r "$T_OUT/acc.pcap" -d udp.port==1701,l2tp -Y "$MSS_F && tcp.checksum.status==1" 2>/dev/null | wc -l)
assert_ge "access side: and a TCP checksum that verifies" 1 "$n_syn"
ACC_F="ip.src==$LNS_ACC4 && l2tp && icmp.type==11 && icmp.code==0"
n_sub=$(tshark "${TS[@]}" -r "$T_OUT/acc.pcap" -d udp.port==1701,l2tp -Y "$ACC_F && ip.src==$LNS_ACC4 && ip.dst==$SUB && icmp.checksum.status==1" 2>/dev/null | wc -l)
assert_eq "access side: Time Exceeded from $LNS_ACC4 to $SUB inside L2TP/PPP, checksum good" 1 "$n_sub"
n_sq=$(tshark "${TS[@]}" -r "$T_OUT/acc.pcap" -d udp.port==1701,l2tp -Y "$ACC_F && ip.id==0x4242 && ip.dst==$NET_IP" 2>/dev/null | wc -l)
assert_eq "access side: it quotes the subscriber's packet" 1 "$n_sq"
n_er=$(tshark "${TS[@]}" -r "$T_OUT/acc.pcap" -d udp.port==1701,l2tp -Y "l2tp && icmp.type==0 && ip.src==$LNS_ACC4 && ip.dst==$SUB && icmp.ident==0x77 && icmp.checksum.status==1" 2>/dev/null | wc -l)
assert_eq "access side: the echo reply from $LNS_ACC4 to $SUB inside L2TP/PPP, checksum good" 1 "$n_er"
n_un=$(tshark "${TS[@]}" -r "$T_OUT/acc.pcap" -d udp.port==1701,l2tp -Y "l2tp && icmp.type==3 && icmp.code==0 && ip.src==$LNS_ACC4 && ip.dst==$SUB && ip.id==0x4444 && ip.dst==$UNROUTED4 && icmp.checksum.status==1" 2>/dev/null | wc -l)
assert_eq "access side: Net Unreachable from $LNS_ACC4 to $SUB inside L2TP/PPP, quoting its packet, checksum good" 1 "$n_un"
n_er6=$(tshark "${TS[@]}" -r "$T_OUT/acc.pcap" -d udp.port==1701,l2tp -Y "l2tp && ppp.protocol==0x0057 && icmpv6.type==129 && ipv6.src==$LNS_CORE6 && ipv6.hlim==64 && icmpv6.checksum.status==1" 2>/dev/null | wc -l)
assert_eq "access side: echo replies from $LNS_CORE6 to lwIP inside L2TP/PPP, checksum good" "$PINGS" "$n_er6"
bad=$(tshark "${TS[@]}" -r "$T_OUT/acc.pcap" -d udp.port==1701,l2tp -Y "ip.src==$LNS_ACC4 && icmp && (_ws.malformed || _ws.expert.severity >= warning)" 2>&1 |
	grep -v 'Running as user "root"' || true)
if [ -z "$bad" ]; then
	ok "tshark: lnsd's ICMP error inside the tunnel is neither malformed nor warned about"
else
	fail "tshark flags lnsd's ICMP inside the tunnel (${T_OUT#"$LNS_ROOT"/}/acc.pcap):"
	printf '%s\n' "$bad" | head -n 20 | sed 's/^/        | /'
fi

# ---------------------------------------------------------------------------
step "7. the counters in lnsctl and the metrics"
lnsctl show counters >"$T_OUT/counters.txt" 2>&1 || fail "lnsctl show counters exited $?"
for k in icmp_time_exceeded_out icmp_frag_needed_out icmp_unreach_out icmp6_unreach_out \
	icmp_err_rate_limited icmp_err_suppressed icmp_punt_limited fragmented frag_out mss_clamped; do
	assert_match "show counters names $k" "$k" "$(cat "$T_OUT/counters.txt")"
done
ip netns exec "$NS_LNS" "$PY" -c 'import sys, urllib.request; sys.stdout.write(urllib.request.urlopen("http://" + sys.argv[1] + "/metrics", timeout=5).read().decode())' \
	"$METRICS" >"$T_OUT/metrics.txt" 2>&1 || fail "metrics: $(tail -n 3 "$T_OUT/metrics.txt")"
for m in 'lns_control_icmp_time_exceeded_out_total [1-9]' 'lns_control_icmp_frag_needed_out_total 1' \
	'lns_control_icmp_unreach_out_total 3' 'lns_control_icmp6_unreach_out_total 2' \
	'lns_control_icmp_err_rate_limited_total [0-9]' 'lns_worker_fragmented_total\{lcore="[0-9]+"\} [1-9]' \
	'lns_worker_icmp_punt_limited_total\{lcore="[0-9]+"\} [0-9]' 'lns_worker_mss_clamped_total\{lcore="[0-9]+"\} [0-9]'; do
	assert_match "metrics: $m" "$m" "$(cat "$T_OUT/metrics.txt")"
done

lac_stop sub
lac_stop sub6
lnsd_stop TERM 3000 || true
assert_eq "lnsd exit status" 0 "${LNSD_EXIT:-none}"
t_finish
