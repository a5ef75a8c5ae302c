#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Acceptance test of the bare appliance: lnsd on net_af_packet over veth pairs
# to an access (acc) and a core namespace whose kernels are its peers.
#
#  1. lnsd resolves its routes' next hops by itself: the core namespace has
#     sent nothing to it yet, and the core kernel learnt lnsd's MAC from
#     lnsd's own ARP request.
#  2. show ports (text and JSON) describes both ports as configured.
#  3. Both namespaces ping lnsd's IPv4 and IPv6 addresses; the echo counters
#     move.
#  4. show neighbours lists the peers with the MACs `ip link` gives.
#  5. show counters (text and JSON) parses and adds up.
#  6. Malformed and not-for-us frames at both ports (tests/netns/garbage.py)
#     are dropped and counted by reason: by the worker's drop_* counters for
#     what it can judge alone, by some control drop_* counter for ARP and
#     neighbour solicitations asking for addresses that are not lnsd's.
#     Afterwards lnsd still answers ping. Runts are 16-byte frames with a
#     cut-short 802.1Q tag, sent on lnsd's end of each veth: Linux will not
#     send a frame under 14 bytes at all, nor deliver that one across a veth
#     (garbage.py says more).
#  7. SIGTERM stops lnsd within 2 s, exit status 0, "final counters" logged.
set -euo pipefail
# shellcheck source=tests/netns/lib.sh
. "$(dirname "$0")/lib.sh"

t_init
require_root
require_lnsd
require_cmd ethtool ping
"$PY" -c 'import scapy.all' 2>/dev/null || t_skip "$PY has no scapy (package python3-scapy)"

topo_basic
config_basic "$T_OUT/lnsd.yaml"
lnsd_start "$T_OUT/lnsd.yaml"

# ---------------------------------------------------------------------------
step "1. next hops resolved by lnsd before any peer spoke to it"
for nh in "$CORE4" "$CORE6"; do
	if wait_for 10 "next hop $nh reachable" neigh_is "$nh" reachable; then
		ok "next hop $nh is reachable in lnsd's neighbour table"
	else
		fail "next hop $nh: expected state reachable, table is: $(cat "$T_OUT/neighbours.json" 2>/dev/null)"
	fi
	assert_eq "next hop $nh MAC (ip link in $NS_CORE)" "$MAC_PE_CORE" \
		"$(jget "$T_OUT/neighbours.json" "neighbours[address=$nh].mac" 2>&1 | tr 'A-F' 'a-f')"
	assert_eq "next hop $nh port" core0 "$(jget "$T_OUT/neighbours.json" "neighbours[address=$nh].port" 2>&1)"
done
cp "$T_OUT/neighbours.json" "$T_OUT/neighbours-before-pings.json"
# The core kernel answered an ARP request it did not ask for: it keeps the
# requester (lnsd) in its neighbour table. Nothing has pinged lnsd yet.
got=$(ip -n "$NS_CORE" neigh show "$LNS_CORE4" dev "$PE_CORE" | awk '{print $3}')
assert_eq "core kernel learnt $LNS_CORE4 from lnsd's ARP request" "$MAC_LN_CORE" "${got,,}"

# ---------------------------------------------------------------------------
step "2. show ports"
lnsctl show ports >"$T_OUT/ports.txt" 2>&1 || fail "lnsctl show ports exited $?: $(cat "$T_OUT/ports.txt")"
sed 's/^/    | /' "$T_OUT/ports.txt"
assert_match "show ports: a header line naming the columns" '^[[:space:]]*[A-Za-z_]+([[:space:]]+[A-Za-z_/]+)+[[:space:]]*$' \
	"$(head -n 1 "$T_OUT/ports.txt")"
assert_match "show ports: a line for access0" '(^|[[:space:]])access0[[:space:]]' "$(cat "$T_OUT/ports.txt")"
assert_match "show ports: a line for core0" '(^|[[:space:]])core0[[:space:]]' "$(cat "$T_OUT/ports.txt")"
if snap ports show ports; then
	ok "show ports --json parses"
	assert_eq "number of ports" 2 "$(jget --len "$T_OUT/ports.json" ports)"
	for p in "access0|access|$MAC_LN_ACC|$LNS_ACC4/24|$LNS_ACC6/64" \
		"core0|core|$MAC_LN_CORE|$LNS_CORE4/24|$LNS_CORE6/64"; do
		IFS='|' read -r name role mac a4 a6 <<<"$p"
		sel="ports[name=$name]"
		assert_eq "$name role" "$role" "$(jget "$T_OUT/ports.json" "$sel.role" 2>&1)"
		assert_eq "$name mac (its veth's)" "$mac" "$(jget "$T_OUT/ports.json" "$sel.mac" 2>&1 | tr 'A-F' 'a-f')"
		assert_eq "$name link" up "$(jget "$T_OUT/ports.json" "$sel.link" 2>&1)"
		assert_eq "$name mtu" 1500 "$(jget "$T_OUT/ports.json" "$sel.mtu" 2>&1)"
		assert_eq "$name addresses" "[\"$a4\",\"$a6\"]" "$(jget "$T_OUT/ports.json" "$sel.addresses" 2>&1)"
		for k in rx_packets rx_bytes tx_packets tx_bytes rx_missed rx_errors tx_errors; do
			v=$(jget "$T_OUT/ports.json" "$sel.$k" 2>&1)
			[[ "$v" =~ ^[0-9]+$ ]] || fail "$name $k: expected a count, got '$v'"
		done
	done
else
	fail "show ports --json: $(cat "$T_OUT/ports.err") $(head -c 300 "$T_OUT/ports.json")"
fi

# ---------------------------------------------------------------------------
step "3. ping lnsd from both sides"
snap c-before-ping show counters || die "show counters --json failed: $(cat "$T_OUT/c-before-ping.err")"
assert_ping "$NS_ACC" "$LNS_ACC4"
assert_ping "$NS_ACC" "$LNS_ACC6"
assert_ping "$NS_CORE" "$LNS_CORE4"
assert_ping "$NS_CORE" "$LNS_CORE6"
snap c-after-ping show counters || die "show counters --json failed: $(cat "$T_OUT/c-after-ping.err")"
for k in icmp_echo_in icmp_echo_reply_out icmp6_echo_in icmp6_echo_reply_out; do
	assert_ge "control.$k increase over 6 pings" 6 \
		"$(jdelta "$T_OUT/c-before-ping.json" "$T_OUT/c-after-ping.json" "control.$k")"
done

# ---------------------------------------------------------------------------
step "4. show neighbours"
lnsctl show neighbours >"$T_OUT/neighbours.txt" 2>&1 || fail "lnsctl show neighbours exited $?"
sed 's/^/    | /' "$T_OUT/neighbours.txt"
if snap neighbours show neighbours; then
	ok "show neighbours --json parses"
	for e in "$ACC4|$MAC_PE_ACC|access0" "$ACC6|$MAC_PE_ACC|access0" \
		"$CORE4|$MAC_PE_CORE|core0" "$CORE6|$MAC_PE_CORE|core0"; do
		IFS='|' read -r addr mac port <<<"$e"
		sel="neighbours[address=$addr]"
		assert_eq "neighbour $addr mac" "$mac" "$(jget "$T_OUT/neighbours.json" "$sel.mac" 2>&1 | tr 'A-F' 'a-f')"
		assert_eq "neighbour $addr port" "$port" "$(jget "$T_OUT/neighbours.json" "$sel.port" 2>&1)"
		assert_match "neighbour $addr state reachable or stale" '^(reachable|stale)$' \
			"$(jget "$T_OUT/neighbours.json" "$sel.state" 2>&1)"
	done
else
	fail "show neighbours --json: $(cat "$T_OUT/neighbours.err")"
fi

# ---------------------------------------------------------------------------
step "5. show counters"
lnsctl show counters >"$T_OUT/counters.txt" 2>&1 || fail "lnsctl show counters exited $?"
sed 's/^/    | /' "$T_OUT/counters.txt"
assert_match "show counters: a header line" '^[[:space:]]*[A-Za-z_]+([[:space:]]+[A-Za-z_0-9/]+)*[[:space:]:]*$' \
	"$(head -n 1 "$T_OUT/counters.txt")"
assert_match "show counters: names the drop reasons" 'drop_not_for_us' "$(cat "$T_OUT/counters.txt")"
if snap counters show counters; then
	ok "show counters --json parses"
	assert_cmd "counters: total is the sum over workers, every value a count" "$PY" - "$T_OUT/counters.json" <<-'EOF'
		import json, sys
		d = json.load(open(sys.argv[1]))
		ws = d["workers"]
		assert ws, "no workers"
		for k, v in list(d["total"].items()) + list(d["control"].items()):
		    assert isinstance(v, int) and v >= 0, "%s=%r" % (k, v)
		for k, v in d["total"].items():
		    s = sum(w["counters"].get(k, 0) for w in ws)
		    assert s == v, "total.%s=%d but workers sum to %d" % (k, v, s)
		assert d["total"]["rx"] > 0, "total.rx is 0 after pings"
	EOF
else
	fail "show counters --json: $(cat "$T_OUT/counters.err")"
fi

# ---------------------------------------------------------------------------
step "6. malformed and not-for-us frames, dropped and counted by reason"
# Which counter each kind of frame (tests/netns/garbage.py) must move.
declare -A REASON=(
	[runt_vlan]=total.drop_runt
	[unknown_ethertype]=total.drop_unknown_ethertype
	[ipv4_empty]=total.drop_bad_ip
	[ipv4_bad_ihl]=total.drop_bad_ip
	[ipv4_bad_version]=total.drop_bad_ip
	[ipv4_truncated]=total.drop_bad_ip
	[ipv6_short]=total.drop_bad_ip
	[ipv6_truncated]=total.drop_bad_ip
	[udp4_not_ours]=total.drop_not_for_us
	[udp6_not_ours]=total.drop_not_for_us
	[arp_not_ours]=control.arp_in
	[ns_not_ours]=control.nd_in
)
snap c-before-garbage show counters || die "show counters failed"
snap p-before-garbage show ports || die "show ports failed"
GARBAGE_COUNT=${GARBAGE_COUNT:-20}
PEER_KINDS=unknown_ethertype,ipv4_empty,ipv4_bad_ihl,ipv4_bad_version,ipv4_truncated,ipv6_short,ipv6_truncated,udp4_not_ours,udp6_not_ours,arp_not_ours,ns_not_ours
# send_garbage NS IFACE DSTMAC SRC4 OUR4 OTHER4 SRC6 OUR6 OTHER6 KINDS OUT
send_garbage() {
	ip netns exec "$1" "$PY" "$NETNS_DIR/garbage.py" --iface "$2" --dst-mac "$3" \
		--src4 "$4" --our4 "$5" --other4 "$6" --src6 "$7" --our6 "$8" --other6 "$9" \
		--kinds "${10}" --count "$GARBAGE_COUNT" >"${11}" || die "garbage.py failed in $1 on $2"
	say "sent on $2: $(cat "${11}")"
}
# From the peers, through the veth, as any neighbour could.
send_garbage "$NS_ACC" "$PE_ACC" "$MAC_LN_ACC" "$ACC4" "$LNS_ACC4" 192.0.2.99 \
	"$ACC6" "$LNS_ACC6" 2001:db8:a::99 "$PEER_KINDS" "$T_OUT/garbage-acc.json"
send_garbage "$NS_CORE" "$PE_CORE" "$MAC_LN_CORE" "$CORE4" "$LNS_CORE4" 198.51.100.99 \
	"$CORE6" "$LNS_CORE6" 2001:db8:c::99 "$PEER_KINDS" "$T_OUT/garbage-core.json"
# Runts: the veth's receive path drops a cut-short 802.1Q frame before any
# packet socket sees it, so they are sent on lnsd's end of each veth from its
# namespace, which its af_packet socket receives too (see garbage.py).
send_garbage "$NS_LNS" "$LN_ACC" "$MAC_LN_ACC" "$ACC4" "$LNS_ACC4" 192.0.2.99 \
	"$ACC6" "$LNS_ACC6" 2001:db8:a::99 runt_vlan "$T_OUT/garbage-lns-acc.json"
send_garbage "$NS_LNS" "$LN_CORE" "$MAC_LN_CORE" "$CORE4" "$LNS_CORE4" 198.51.100.99 \
	"$CORE6" "$LNS_CORE6" 2001:db8:c::99 runt_vlan "$T_OUT/garbage-lns-core.json"

# expected[counter] = frames sent (both sides) whose reason is that counter
declare -A EXPECT=()
for kind in "${!REASON[@]}"; do
	n=0
	for side in acc core lns-acc lns-core; do
		n=$((n + $(jget "$T_OUT/garbage-$side.json" "sent.$kind" 2>/dev/null || echo 0)))
	done
	c=${REASON[$kind]}
	EXPECT[$c]=$((${EXPECT[$c]:-0} + n))
done
declare -A DELTA=()
# shellcheck disable=SC2317 # called through wait_for
garbage_counted() {
	local c all=0
	snap c-after-garbage show counters || return 1
	for c in "${!EXPECT[@]}"; do
		DELTA[$c]=$(jdelta "$T_OUT/c-before-garbage.json" "$T_OUT/c-after-garbage.json" "$c")
		[[ "${DELTA[$c]}" =~ ^[0-9]+$ ]] && [ "${DELTA[$c]}" -ge "${EXPECT[$c]}" ] || all=1
	done
	return "$all"
}
wait_for 10 "drop counters to count every frame sent" garbage_counted || true
for c in $(printf '%s\n' "${!EXPECT[@]}" | sort); do
	kinds=$(for k in "${!REASON[@]}"; do if [ "${REASON[$k]}" = "$c" ]; then echo "$k"; fi; done | sort | paste -sd, -)
	assert_ge "$c increase for $kinds" "${EXPECT[$c]}" "${DELTA[$c]}"
done
# ARP and NS for addresses not ours reach the control lcore (the worker cannot
# tell): there they must be dropped by a reason too. Only those two kinds of
# garbage are punted, so whatever control.drop_* counters grew, grew for them.
cp_sent=0
for side in acc core; do
	for k in arp_not_ours ns_not_ours; do
		cp_sent=$((cp_sent + $(jget "$T_OUT/garbage-$side.json" "sent.$k")))
	done
done
cp_drops=$("$PY" - "$T_OUT/c-before-garbage.json" "$T_OUT/c-after-garbage.json" <<-'EOF'
	import json, sys
	b, a = (json.load(open(f))["control"] for f in sys.argv[1:3])
	d = {k: a[k] - b.get(k, 0) for k in a if k.startswith("drop_") and a[k] != b.get(k, 0)}
	print(sum(d.values()), " ".join("%s+%d" % kv for kv in sorted(d.items())) or "none grew")
EOF
)
assert_ge "control.drop_* increase for arp_not_ours,ns_not_ours (${cp_drops#* })" "$cp_sent" "${cp_drops%% *}"
snap p-after-garbage show ports || fail "show ports failed"
for p in access0 core0; do
	for k in rx_missed rx_errors; do
		assert_eq "$p $k increase during the garbage" 0 \
			"$(jdelta "$T_OUT/p-before-garbage.json" "$T_OUT/p-after-garbage.json" "ports[name=$p].$k")"
	done
done

step "6b. lnsd still answers after the garbage"
assert_cmd "lnsd still running" lnsd_alive
assert_ping "$NS_ACC" "$LNS_ACC4"
assert_ping "$NS_ACC" "$LNS_ACC6"
assert_ping "$NS_CORE" "$LNS_CORE4"
assert_ping "$NS_CORE" "$LNS_CORE6"

# ---------------------------------------------------------------------------
step "7. SIGTERM: orderly stop"
lnsd_stop TERM 2000 || true
assert_le "ms from SIGTERM to exit" 2000 "${LNSD_STOP_MS:-none}"
assert_eq "lnsd exit status after SIGTERM" 0 "${LNSD_EXIT:-none}"
assert_match "lnsd logged its final counters" 'final counters' "$(cat "$T_OUT/lnsd.log")"

t_finish
