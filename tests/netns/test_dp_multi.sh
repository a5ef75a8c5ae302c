#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Several subscribers at once through two workers: nine lwIP PPP subscribers
# exchange traffic with the core namespace at the same time, and lnsd counts
# each one's packets and octets exactly.
#
# lnsd runs two workers oversubscribed on this 2-CPU machine (eal.lcores
# "0,(1-2)@(0-1)": the control lcore and both workers share CPUs 0 and 1), so
# each af_packet port has three queue pairs (one per worker, one for the
# control lcore; app/ports.c) and the kernel's PACKET_FANOUT hash spreads the
# flows over them: a tunnel's packets reach whichever worker its UDP 4-tuple
# hashes to, a subscriber's downstream packets whichever its address hashes to.
#
# Subscribers: six lwip-lac processes with one session each (six LAC
# addresses) and one with three sessions (one LAC address, three source
# ports). lwIP's PPPoL2TP opens one tunnel per session: nine tunnels, each
# with one session, PAP against local users, addresses from a pool, no IPv6
# (ppp.ipv6 false: lwIP's IPv6CP stays passive, so lwIP sends no IP packet
# of its own; LCP echo is PPP control and not counted).
#
# At the same time, for every subscriber:
#   - the core pings its address (ping -i 0.01), each subscriber with a
#     different count and size: echo requests go down into its tunnel, lwIP's
#     replies come up;
#   - lwIP sends a paced UDP stream from its address to a sink in the core
#     namespace (lwip-lac --udp-to, started with SIGUSR1; counts and sizes
#     differ per process), which counts what arrives per source address.
#     The sink's port is open, so nothing comes back: upstream only.
#
# Checks:
#   a. two workers, three queue pairs per port; nine sessions up; every
#      session's forwarded counters start at zero (lwIP sends nothing
#      unsolicited);
#   b. every ping got all its replies; every UDP stream was sent whole and
#      reached the sink whole (datagrams and octets per source address);
#   c. per session, from `lnsctl show sessions --json`, exactly:
#        down_packets = pings, down_bytes = pings x (20 + 8 + ping size)
#        up_packets = pings + datagrams,
#        up_bytes = pings x (28 + ping size) + datagrams x (28 + UDP size)
#      (a counter credited to the wrong session or worker, or counted twice,
#      or a direction mixed up, breaks one of these: no two subscribers have
#      the same numbers);
#   d. `show counters --json`: the per-worker counters over the traffic sum to
#      `total`, total.tx grew by exactly the packets forwarded, no forwarding drop
#      (spoofed, no route, no neighbour, TX full, too big...) on any worker,
#      no RX miss on either port; each worker forwarded some of it. The
#      kernel's fanout hash decides which: 18 flows (9 tunnels, 9 subscriber
#      addresses; random ports, a random pool) over three queues, two of them
#      worker 1's, so a run where worker 2 gets nothing has odds of about
#      (2/3)^18, 1 in 1500; the log shows the split;
#   e. the subscribers hang up; lnsd stops cleanly.
set -euo pipefail
# shellcheck source=tests/netns/lib.sh
. "$(dirname "$0")/lib.sh"

t_init
require_root
require_lnsd
require_cmd ethtool ping

SECRET=s
# A different /24 each run: the fanout hash of the downstream flows (by
# address) changes from run to run like that of the tunnels (by port).
POOL=100.64.$((RANDOM % 256)).0/24
SINK_PORT=9999
LNS_LCORES="0,(1-2)@(0-1)"
WORKERS=2

# The subscribers: an ID each; SUB_LAC is the lwip-lac process, SUB_IDX the
# session in it. Ping count and ICMP payload per subscriber; UDP datagram
# count and payload per process (all its sessions send the same stream).
SUBS=(s1 s2 s3 s4 s5 s6 m1 m2 m3)
declare -A SUB_LAC=() SUB_IDX=()
for s in s1 s2 s3 s4 s5 s6; do SUB_LAC[$s]=$s SUB_IDX[$s]=1; done
for k in 1 2 3; do SUB_LAC[m$k]=m SUB_IDX[m$k]=$k; done
declare -A PING_N=([s1]=37 [s2]=50 [s3]=64 [s4]=71 [s5]=83 [s6]=90 [m1]=45 [m2]=58 [m3]=100)
declare -A PING_S=([s1]=0 [s2]=56 [s3]=120 [s4]=333 [s5]=512 [s6]=1200 [m1]=8 [m2]=700 [m3]=1000)
LACS=(s1 s2 s3 s4 s5 s6 m)
declare -A UDP_N=([s1]=20 [s2]=30 [s3]=40 [s4]=50 [s5]=60 [s6]=70 [m]=25)
declare -A UDP_S=([s1]=10 [s2]=100 [s3]=200 [s4]=300 [s5]=1000 [s6]=0 [m]=77)

topo_basic
lac_setup || t_skip "cannot build lwip-lac: $LAC_BUILD_ERR (scripts/deps.sh enables deb-src)"
ip -n "$NS_CORE" route add "$POOL" via "$LNS_CORE4"

LNS_EXTRA_CONFIG="l2tp:
  peers:
    - {name: lac1, match: [\"192.0.2.0/24\"], secret: $SECRET}
ppp: {auth: [pap], ipv6: false}
pools:
  - {name: default, ranges: [\"$POOL\"]}
users:
  - {name: u, password: p, pool: default}
  - {name: u1, password: p, pool: default}
  - {name: u2, password: p, pool: default}
  - {name: u3, password: p, pool: default}"
export LNS_LCORES
config_basic "$T_OUT/lnsd.yaml"
lnsd_start "$T_OUT/lnsd.yaml"

step "a. two workers on two CPUs; nine subscribers up"
snap c-start show counters || fail "show counters --json"
assert_eq "workers in show counters" "$WORKERS" "$(jget --len "$T_OUT/c-start.json" workers 2>&1)"
assert_match "lnsd: 2 workers" "lnsd running: 2 ports, $WORKERS workers" "$(cat "$T_OUT/lnsd.log")"
assert_eq "ports with $((WORKERS + 1)) queue pairs (one per worker, one for the control lcore)" 2 \
	"$(grep -c "net_af_packet, $((WORKERS + 1)) queue pairs" "$T_OUT/lnsd.log")"

for l in "${LACS[@]}"; do
	args=(--secret "$SECRET" --password p --auth pap --udp-to "$CORE4:$SINK_PORT"
		--udp-count "${UDP_N[$l]}" --udp-size "${UDP_S[$l]}" --udp-interval 10)
	if [ "$l" = m ]; then
		args+=(--user u --sessions 3 --user-suffix)
	else
		args+=(--user u)
	fi
	lac_start "$l" "${args[@]}" || die "lwip-lac $l did not start"
done
for l in "${LACS[@]}"; do
	n=1
	[ "$l" = m ] && n=3
	lac_wait_up "$l" "$n" 15 || die "lwIP $l: not all $n sessions up: $(tail -n 3 "${LAC_LOG[$l]}" | tr '\n' ' ')"
done
# sub_addr SUB: the address lwIP's session got
sub_addr() {
	sed -n "s/^session ${SUB_IDX[$1]} up ip4=\([0-9.]*\) .*/\1/p" "${LAC_LOG[${SUB_LAC[$1]}]}" | head -n 1
}
declare -A ADDR=()
for s in "${SUBS[@]}"; do
	ADDR[$s]=$(sub_addr "$s")
	[ -n "${ADDR[$s]}" ] || die "no address for $s"
done
say "subscribers: $(for s in "${SUBS[@]}"; do printf '%s=%s ' "$s" "${ADDR[$s]}"; done)"

snap s0 show sessions || fail "show sessions --json"
assert_cmd "lnsctl: nine sessions up, nine tunnels, from seven LAC addresses, the addresses lwIP got" \
	"$PY" - "$T_OUT/s0.json" "${ADDR[@]}" <<-'EOF'
		import json, sys
		ss = json.load(open(sys.argv[1]))["sessions"]
		want = sorted(sys.argv[2:])
		assert sorted(s["ip"] for s in ss) == want, "%s != %s" % (sorted(s["ip"] for s in ss), want)
		assert all(s["ppp"] == "up" for s in ss), [s["ppp"] for s in ss]
		assert len({s["tunnel_id"] for s in ss}) == 9, "tunnels %s" % [s["tunnel_id"] for s in ss]
		assert len({s["peer"] for s in ss}) == 7, "LACs %s" % [s["peer"] for s in ss]
	EOF
for s in "${SUBS[@]}"; do
	got=$(for f in up_packets up_bytes down_packets down_bytes; do
		jget "$T_OUT/s0.json" "sessions[ip=${ADDR[$s]}].$f" 2>&1
	done | paste -sd ' ')
	assert_eq "$s (${ADDR[$s]}): forwarded counters before any traffic (up_packets up_bytes down_packets down_bytes)" \
		"0 0 0 0" "$got"
done

# ---------------------------------------------------------------------------
step "b. traffic to and from every subscriber at once"
SINK=$T_OUT/sink.json
ip netns exec "$NS_CORE" "$PY" "$NETNS_DIR/udp_sink.py" "$SINK_PORT" "$SINK" >"$T_OUT/sink.log" 2>&1 &
SINK_PID=$!
proc_record "$SINK_PID" python3
# shellcheck disable=SC2317 # called through wait_for
sink_ready() { [ "$(jget "$SINK" ready 2>/dev/null)" = true ]; }
wait_for 10 "the UDP sink" sink_ready || die "udp_sink.py did not start: $(cat "$T_OUT/sink.log")"

snap c0 show counters || fail "show counters --json"
snap p0 show ports || fail "show ports --json"
t0=$(now_ms)
declare -A PING_PID=()
for s in "${SUBS[@]}"; do
	ip netns exec "$NS_CORE" ping -n -q -c "${PING_N[$s]}" -s "${PING_S[$s]}" -i 0.01 -W 2 -w 20 \
		"${ADDR[$s]}" >"$T_OUT/ping-$s.log" 2>&1 &
	PING_PID[$s]=$!
done
for l in "${LACS[@]}"; do
	kill -USR1 "${LAC_PID[$l]}"
done
for s in "${SUBS[@]}"; do
	wait "${PING_PID[$s]}" || true
done
# shellcheck disable=SC2317 # called through wait_for
udp_done() {
	local l n=1
	for l in "${LACS[@]}"; do
		[ "$l" = m ] && n=3 || n=1
		[ "$(count_lines "${LAC_LOG[$l]}" '^session [0-9]+ udp sent=')" -ge "$n" ] || return 1
	done
}
wait_for 10 "every UDP stream sent" udp_done || fail "not every lwIP session reported its UDP stream done"
say "pings and UDP streams done after $(($(now_ms) - t0)) ms"

for s in "${SUBS[@]}"; do
	out=$(cat "$T_OUT/ping-$s.log")
	tx=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' <<<"$out")
	rx=$(sed -n 's/.* \([0-9]*\) \(packets \)\{0,1\}received.*/\1/p' <<<"$out")
	assert_eq "$s: ping -c ${PING_N[$s]} -s ${PING_S[$s]} ${ADDR[$s]}: transmitted/received" \
		"${PING_N[$s]}/${PING_N[$s]}" "${tx:-?}/${rx:-?}"
done
for s in "${SUBS[@]}"; do
	l=${SUB_LAC[$s]}
	assert_eq "$s: lwIP's UDP stream (sent, failed)" "sent=${UDP_N[$l]} failed=0" \
		"$(sed -n "s/^session ${SUB_IDX[$s]} udp \(sent=[0-9]* failed=[0-9]*\).*/\1/p" "${LAC_LOG[$l]}")"
done
# sink_has: the sink has counted every stream whole
# shellcheck disable=SC2317 # called through wait_for
sink_has() {
	local s l
	for s in "${SUBS[@]}"; do
		l=${SUB_LAC[$s]}
		[ "$(jget "$SINK" "sources[address=${ADDR[$s]}].datagrams" 2>/dev/null)" = "${UDP_N[$l]}" ] || return 1
	done
}
wait_for 5 "the sink to count every datagram" sink_has || true
for s in "${SUBS[@]}"; do
	l=${SUB_LAC[$s]}
	assert_eq "$s: the sink got from ${ADDR[$s]} (datagrams octets)" \
		"${UDP_N[$l]} $((UDP_N[$l] * UDP_S[$l]))" \
		"$(jget "$SINK" "sources[address=${ADDR[$s]}].datagrams" 2>&1) $(jget "$SINK" "sources[address=${ADDR[$s]}].octets" 2>&1)"
done
proc_stop "$SINK_PID" python3 2000
assert_eq "the sink heard from the subscribers only" "$(printf '%s\n' "${ADDR[@]}" | sort | paste -sd ' ')" \
	"$("$PY" -c 'import json,sys; print(" ".join(sorted(x["address"] for x in json.load(open(sys.argv[1]))["sources"])))' "$SINK")"

# ---------------------------------------------------------------------------
step "c. each session's counters: exactly what was sent and answered"
declare -A WANT=()
total_fwd=0
for s in "${SUBS[@]}"; do
	l=${SUB_LAC[$s]}
	pn=${PING_N[$s]} pb=$((20 + 8 + PING_S[$s]))
	un=${UDP_N[$l]} ub=$((20 + 8 + UDP_S[$l]))
	WANT[$s]="$((pn + un)) $((pn * pb + un * ub)) $pn $((pn * pb))"
	total_fwd=$((total_fwd + 2 * pn + un))
done
# sess_ctrs FILE SUB: up_packets up_bytes down_packets down_bytes of SUB's session
sess_ctrs() {
	local f
	for f in up_packets up_bytes down_packets down_bytes; do
		jget "$1" "sessions[ip=${ADDR[$2]}].$f" 2>&1
	done | paste -sd ' '
}
# The replies and datagrams arrived, so the workers forwarded them; a counter
# read may still be a burst behind the packet it counts.
# shellcheck disable=SC2317 # called through wait_for
ctrs_settled() {
	local s
	snap s1 show sessions || return 1
	for s in "${SUBS[@]}"; do
		[ "$(sess_ctrs "$T_OUT/s1.json" "$s")" = "${WANT[$s]}" ] || return 1
	done
}
wait_for 5 "every session's counters to match" ctrs_settled || true
for s in "${SUBS[@]}"; do
	l=${SUB_LAC[$s]}
	assert_eq "$s ${ADDR[$s]} (${PING_N[$s]} pings of ${PING_S[$s]}, ${UDP_N[$l]} datagrams of ${UDP_S[$l]}): up_packets up_bytes down_packets down_bytes" \
		"${WANT[$s]}" "$(sess_ctrs "$T_OUT/s1.json" "$s")"
done

# ---------------------------------------------------------------------------
step "d. the workers' counters"
snap c1 show counters || fail "show counters --json"
snap p1 show ports || fail "show ports --json"
rc=0
out=$("$PY" - "$T_OUT/c0.json" "$T_OUT/c1.json" "$total_fwd" "$WORKERS" 2>&1 <<-'EOF'
		import json, sys
		c0, c1 = (json.load(open(f)) for f in sys.argv[1:3])
		fwd, nw = int(sys.argv[3]), int(sys.argv[4])
		w0 = {w["lcore"]: w["counters"] for w in c0["workers"]}
		w1 = {w["lcore"]: w["counters"] for w in c1["workers"]}
		assert sorted(w0) == sorted(w1) and len(w1) == nw, "workers %s then %s" % (sorted(w0), sorted(w1))
		d = {lc: {k: w1[lc][k] - w0[lc].get(k, 0) for k in w1[lc]} for lc in w1}
		for lc in sorted(d):
		    print("worker lcore %d: %s" % (lc, " ".join("%s=%d" % (k, v) for k, v in d[lc].items() if v)))
		tot = {k: c1["total"][k] - c0["total"][k] for k in c1["total"]}
		for k in tot:
		    s = sum(d[lc][k] for lc in d)
		    assert s == tot[k], "total.%s grew by %d, the workers' by %d" % (k, tot[k], s)
		# Nothing but the subscribers' traffic crosses the workers meanwhile
		# (ARP, LCP echo and the like go to the control lcore, not out).
		assert tot["tx"] == fwd, "total.tx grew by %d for %d packets forwarded" % (tot["tx"], fwd)
		for lc in sorted(d):
		    assert d[lc]["tx"] > 0, "worker lcore %d forwarded nothing: the fanout hash put every flow on the other" % lc
		bad = ["drop_tx_full", "drop_spoofed", "drop_ttl", "drop_no_route", "drop_no_neighbour",
		       "drop_too_big", "drop_no_headroom", "drop_punt_ring_full", "drop_l2tp_unknown_session",
		       "drop_l2tp_malformed", "drop_bad_ip", "drop_handoff_full"]
		for lc in sorted(d):
		    for k in bad:
		        assert d[lc][k] == 0, "worker lcore %d: %s grew by %d" % (lc, k, d[lc][k])
	EOF
) || rc=$?
printf '%s\n' "$out" | sed 's/^/        | /'
if [ "$rc" -eq 0 ]; then
	ok "per-worker counters sum to total's; total.tx grew by the $total_fwd packets forwarded; each worker forwarded some; no forwarding drop on any worker"
else
	fail "the workers' counters over the traffic (above)"
fi
for port in access0 core0; do
	assert_eq "port $port: rx_missed increase (af_packet ring overruns)" 0 \
		"$(jdelta "$T_OUT/p0.json" "$T_OUT/p1.json" "ports[name=$port].rx_missed")"
done

# ---------------------------------------------------------------------------
step "e. the subscribers hang up; lnsd stops"
for l in "${LACS[@]}"; do
	kill -TERM "${LAC_PID[$l]}" 2>/dev/null || true
done
for l in "${LACS[@]}"; do
	lac_stop "$l"
done
# shellcheck disable=SC2317 # called through wait_for
no_sessions() { snap sessions show sessions && [ "$(jget --len "$T_OUT/sessions.json" sessions 2>/dev/null)" = 0 ]; }
if wait_for 10 "every session closed" no_sessions; then
	ok "every session closed"
else
	fail "sessions left: $(cat "$T_OUT/sessions.json")"
fi
lnsd_stop TERM 3000 || true
assert_eq "lnsd exit status" 0 "${LNSD_EXIT:-none}"

t_finish
