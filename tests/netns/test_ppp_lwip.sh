#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# PPP subscribers end to end: lwIP (tests/peers/lwip-lac, built from Debian's
# lwip source package) as LAC and PPP client, one lwip-lac process per TAP,
# the TAPs bridged with the access veth. lnsd authenticates against local
# users, gives addresses from a pool, and forwards between the subscribers and
# the core namespace, which routes the pool via lnsd's core address.
#
# Run 1: ppp.auth [mschapv2, chap-md5, pap], pool 100.64.0.0/24; a capture on
# the LAC's veth throughout.
#  a. PAP, CHAP-MD5 and MS-CHAPv2 (lwIP's --auth accepts only that one; lnsd
#     follows its Nak): the session is up in lnsctl with that auth, lwIP's user,
#     a pool address (the one lwIP got), lwIP's tunnel and session IDs, IPv6CP
#     up, DNS from ppp.dns; the core pings the address through lnsd (the
#     workers send both ways: total.tx grows, nothing counted spoofed); lwIP's
#     orderly stop removes the session.
#  b. 20 sessions in one lwip-lac (--sessions 20, users u1..u20): all up, 20
#     distinct pool addresses in lnsctl (the ones lwIP got), all pingable;
#     one more subscriber coming up meanwhile disturbs none of them (b2).
#  c. a wrong password: lwIP reports PPPERR_AUTHFAIL after lnsd's CDN (result
#     2), auth_failed and cdn_tx grow, the session is gone.
#  f. tshark: nothing lnsd sent (ip.src = lnsd's access address) is malformed
#     or draws an expert warning; PPP (LCP, PAP, CHAP, IPCP, IPv6CP) and the
#     pings are seen inside L2TP.
# Runs 2-4: ppp.auth is one protocol only (pap, chap-md5, mschapv2) and lwIP
# accepts any: lnsd asks for that one and the session comes up with it.
# Run 5: a one-address pool (100.64.0.9-100.64.0.9), LCP echo every 2 s, 2
# failures.
#  d. a subscriber killed with SIGKILL (no goodbye): lnsd ends the session by
#     LCP echo within interval x (failures + 1) s (+ slack), counts
#     echo_timeouts, sends a CDN; the address went back to the pool: the next
#     subscriber gets it and answers pings.
#  e. pool exhaustion: a second subscriber while the first holds the address:
#     refused with a CDN (result 4) after authentication, pool_exhausted grows;
#     the first is still up and still answers pings (the refused call must
#     not disturb its forwarding).
set -euo pipefail
# shellcheck source=tests/netns/lib.sh
. "$(dirname "$0")/lib.sh"

t_init
require_root
require_lnsd
require_cmd ethtool ping tcpdump tshark

SECRET=s
POOL=100.64.0.0/24
ECHO_INT=2
ECHO_FAILS=2
NSESS=20
DNS1=192.0.2.53
DNS2=192.0.2.54
declare -A LNSD_AUTH=([pap]=pap [chap]=chap-md5 [mschapv2]=mschapv2)

topo_basic
lac_setup || t_skip "cannot build lwip-lac: $LAC_BUILD_ERR (scripts/deps.sh enables deb-src)"
ip -n "$NS_CORE" route add "$POOL" via "$LNS_CORE4"

# lnsd_run NAME AUTH-LIST RANGE: lnsd with that PPP configuration (the previous
# one stopped first, its log kept as lnsd-PREVIOUS.log).
RUN=
lnsd_run() {
	local users="  - {name: u, password: p, pool: default}" i
	if [ -n "$RUN" ]; then
		lnsd_stop TERM 3000 || true
		assert_eq "lnsd ($RUN) exit status" 0 "${LNSD_EXIT:-none}"
		cp "$T_OUT/lnsd.log" "$T_OUT/lnsd-$RUN.log"
	fi
	RUN=$1
	for ((i = 1; i <= NSESS; i++)); do
		users+=$'\n'"  - {name: u$i, password: p, pool: default}"
	done
	LNS_EXTRA_CONFIG="l2tp:
  peers:
    - {name: lac1, match: [\"192.0.2.0/24\"], secret: $SECRET}
ppp: {auth: [$2], lcp-echo-interval: $ECHO_INT, lcp-echo-failures: $ECHO_FAILS, dns: [\"$DNS1\", \"$DNS2\"], ipv6: true, proxy-lcp: true, proxy-auth: true}
pools:
  - {name: default, ranges: [\"$3\"]}
users:
$users"
	config_basic "$T_OUT/lnsd-$RUN.yaml"
	lnsd_start "$T_OUT/lnsd-$RUN.yaml"
}

# sessions_from IP: how many sessions lnsd has from the LAC at IP ($T_OUT/sessions.json)
sessions_from() {
	snap sessions show sessions || return 1
	"$PY" -c 'import json, sys; print(sum(1 for s in json.load(open(sys.argv[1]))["sessions"] if s["peer"] == sys.argv[2]))' \
		"$T_OUT/sessions.json" "$1"
}
# shellcheck disable=SC2317 # called through wait_for
no_session_from() { [ "$(sessions_from "$1")" = 0 ]; }

# in_pool ADDR: inside 100.64.0.0/24's hosts
in_pool() { [[ "$1" =~ ^100\.64\.0\.([0-9]+)$ ]] && ((BASH_REMATCH[1] >= 1 && BASH_REMATCH[1] <= 254)); }

# check_session ID AUTH: lwip-lac ID's one session as lnsctl shows it
check_session() {
	local id=$1 auth=$2 addr sel t s pt ps
	addr=$(lac_addrs "$id" | head -n 1)
	if in_pool "$addr"; then
		ok "lwIP $id got $addr from the pool"
	else
		fail "lwIP $id got '$addr', not a host of $POOL"
	fi
	snap sessions show sessions || fail "show sessions --json"
	sel="sessions[peer=${LAC_IP[$id]}]"
	assert_eq "lnsctl: $id's session ppp" up "$(jget "$T_OUT/sessions.json" "$sel.ppp" 2>&1)"
	assert_eq "lnsctl: $id's session auth" "$auth" "$(jget "$T_OUT/sessions.json" "$sel.auth" 2>&1)"
	assert_eq "lnsctl: $id's session ip (lwIP's)" "$addr" "$(jget "$T_OUT/sessions.json" "$sel.ip" 2>&1)"
	assert_eq "lnsctl: $id's session user" u "$(jget "$T_OUT/sessions.json" "$sel.user" 2>&1)"
	assert_eq "lnsctl: $id's session state" established "$(jget "$T_OUT/sessions.json" "$sel.state" 2>&1)"
	assert_eq "lnsctl: $id's session lac" lwIP "$(jget "$T_OUT/sessions.json" "$sel.lac" 2>&1)"
	assert_eq "lnsctl: $id's session ipv6 (IPv6CP up)" true "$(jget "$T_OUT/sessions.json" "$sel.ipv6" 2>&1)"
	# lwIP: "l2tp tunnel=T session=S peer_tunnel=PT peer_session=PS" (T, S its own)
	read -r t s pt ps < <(sed -n 's/^session 1 l2tp tunnel=\([0-9]*\) session=\([0-9]*\) peer_tunnel=\([0-9]*\) peer_session=\([0-9]*\).*/\1 \2 \3 \4/p' "${LAC_LOG[$id]}") || true
	assert_eq "lnsctl: $id's IDs (tunnel session peer_tunnel peer_session) as lwIP has them" "$pt $ps $t $s" \
		"$(for f in tunnel_id session_id peer_tunnel_id peer_session_id; do jget "$T_OUT/sessions.json" "$sel.$f" 2>&1; done | paste -sd ' ')"
	assert_match "lwIP $id: DNS from ppp.dns" "^session 1 up ip4=$addr peer=$LNS_ACC4 dns1=$DNS1 dns2=$DNS2" \
		"$(grep '^session 1 up ' "${LAC_LOG[$id]}")"
	assert_cmd "lwIP $id: IPv6CP up" lac_logged "$id" '^session 1 up6 '
}

# ping_through ADDR: the core pings ADDR through lnsd; the workers forward both ways
ping_through() {
	snap c-ping0 show counters || true
	assert_ping "$NS_CORE" "$1"
	snap c-ping1 show counters || true
	assert_ge "total.tx increase for 3 echoes through lnsd and 3 replies" 6 \
		"$(jdelta "$T_OUT/c-ping0.json" "$T_OUT/c-ping1.json" total.tx)"
	assert_eq "total.drop_spoofed increase (replies come from the session's address)" 0 \
		"$(jdelta "$T_OUT/c-ping0.json" "$T_OUT/c-ping1.json" total.drop_spoofed)"
}

# stop_and_gone ID: lwip-lac's orderly stop; its sessions leave lnsctl
stop_and_gone() {
	lac_stop "$1"
	if wait_for 10 "no session from ${LAC_IP[$1]}" no_session_from "${LAC_IP[$1]}"; then
		ok "lwIP $1 stopped (exit ${LWIP_LAC_EXIT:-?}): its sessions are gone"
	else
		fail "lwIP $1 stopped, but lnsd still has its session(s): $(cat "$T_OUT/sessions.json")"
	fi
}

# ===========================================================================
lnsd_run all "mschapv2, chap-md5, pap" "$POOL"
CAP=$T_OUT/ppp.pcap
capture_start ppp "$NS_ACC" "$PE_ACC" udp

step "a. PAP, CHAP-MD5, MS-CHAPv2 forced by lwIP (lnsd offers all three)"
for auth in pap chap mschapv2; do
	snap c-a-$auth show counters
	lac_start "$auth" --secret "$SECRET" --user u --password p --auth "$auth" || continue
	if lac_wait_up "$auth" 1 10; then
		ok "lwIP $auth: session up ($(grep -m1 '^session 1 up ' "${LAC_LOG[$auth]}"))"
		check_session "$auth" "${LNSD_AUTH[$auth]}"
		ping_through "$(lac_addrs "$auth" | head -n 1)"
		snap c-a-$auth-up show counters
		assert_eq "ppp.auth_ok increase" 1 "$(jdelta "$T_OUT/c-a-$auth.json" "$T_OUT/c-a-$auth-up.json" ppp.auth_ok)"
		assert_eq "ppp.sessions_up increase" 1 "$(jdelta "$T_OUT/c-a-$auth.json" "$T_OUT/c-a-$auth-up.json" ppp.sessions_up)"
	else
		fail "lwIP $auth: no session up: $(tail -n 3 "${LAC_LOG[$auth]}" | tr '\n' ' ')"
	fi
	stop_and_gone "$auth"
done

step "b. $NSESS sessions at once (one lwip-lac, users u1..u$NSESS)"
snap c-b show counters
t0=$(now_ms)
if lac_start many --secret "$SECRET" --user u --password p --auth mschapv2 --sessions "$NSESS" --user-suffix &&
	lac_wait_up many "$NSESS" 30; then
	ok "lwIP: all $NSESS sessions up after $(($(now_ms) - t0)) ms"
else
	fail "lwIP: $(count_lines "${LAC_LOG[many]}" '^session [0-9]+ up ') of $NSESS sessions up"
fi
snap sessions show sessions || fail "show sessions --json"
lac_addrs many | sort >"$T_OUT/b-lwip-addrs.txt"
assert_cmd "lnsctl: $NSESS sessions from ${LAC_IP[many]}, all up, users u1..u$NSESS, $NSESS distinct pool addresses, the ones lwIP got" \
	"$PY" - "$T_OUT/sessions.json" "${LAC_IP[many]}" "$NSESS" "$T_OUT/b-lwip-addrs.txt" <<-'EOF'
		import ipaddress, json, sys
		ss = [s for s in json.load(open(sys.argv[1]))["sessions"] if s["peer"] == sys.argv[2]]
		n = int(sys.argv[3])
		lwip = open(sys.argv[4]).read().split()
		print("%d sessions; addresses %s" % (len(ss), " ".join(sorted(s["ip"] for s in ss))))
		assert len(ss) == n, "%d sessions, want %d" % (len(ss), n)
		bad = [s for s in ss if s["ppp"] != "up" or s["auth"] != "mschapv2"]
		assert not bad, "not up with mschapv2: %s" % bad
		assert sorted(s["user"] for s in ss) == sorted("u%d" % i for i in range(1, n + 1)), "users"
		ips = [s["ip"] for s in ss]
		assert len(set(ips)) == n, "addresses not distinct: %s" % sorted(ips)
		net = ipaddress.ip_network("100.64.0.0/24")
		for a in ips:
		    assert ipaddress.ip_address(a) in net and a not in ("100.64.0.0", "100.64.0.255"), a
		assert sorted(ips) == sorted(lwip), "lnsctl %s != lwIP %s" % (sorted(ips), sorted(lwip))
	EOF
snap c-b-ping0 show counters || true
mapfile -t ADDRS < "$T_OUT/b-lwip-addrs.txt"
if [ "${#ADDRS[@]}" -gt 0 ] && ping_many "$NS_CORE" 3 "${ADDRS[@]}"; then
	ok "the core pinged all ${#ADDRS[@]} subscribers through lnsd: $PING_ALL_RECV/$PING_ALL answered"
else
	fail "pings to the $NSESS subscribers: $PING_ALL_RECV/$PING_ALL answered; not all: ${PING_FAILED:-no addresses}"
fi
snap c-b-ping1 show counters || true
assert_ge "total.tx increase for $NSESS x 3 echoes and replies" $((NSESS * 6)) \
	"$(jdelta "$T_OUT/c-b-ping0.json" "$T_OUT/c-b-ping1.json" total.tx)"
assert_eq "ppp.sessions_up increase" "$NSESS" "$(jdelta "$T_OUT/c-b.json" "$T_OUT/c-b-ping1.json" ppp.sessions_up)"

step "b2. one more subscriber while the $NSESS are up: it does not disturb them"
if lac_start late --secret "$SECRET" --user u --password p --auth pap && lac_wait_up late 1 10; then
	ok "lwIP late: session up ($(lac_addrs late | head -n 1))"
	if ping_many "$NS_CORE" 3 "${ADDRS[@]}" "$(lac_addrs late | head -n 1)"; then
		ok "the core pinged all $((${#ADDRS[@]} + 1)) subscribers: $PING_ALL_RECV/$PING_ALL answered"
	else
		fail "after one more subscriber: $PING_ALL_RECV/$PING_ALL answered; not all: $PING_FAILED"
	fi
else
	fail "lwIP late: no session up: $(tail -n 3 "${LAC_LOG[late]}" | tr '\n' ' ')"
fi
stop_and_gone late
stop_and_gone many

step "c. wrong password"
snap c-c show counters
lac_start wrong --secret "$SECRET" --user u --password wrong --auth mschapv2 || true
if wait_for 10 "lwIP: session down" lac_logged wrong '^session 1 down '; then
	assert_match "lwIP: authentication failure" '^session 1 down err=PPPERR_AUTHFAIL' "$(grep '^session 1 down' "${LAC_LOG[wrong]}")"
	assert_match "lwIP: lnsd's CDN, result 2 (general error)" '^session 1 cdn result=2 ' "$(grep '^session 1 cdn' "${LAC_LOG[wrong]}" || echo none)"
else
	fail "lwIP with a wrong password: no 'down' line: $(tail -n 3 "${LAC_LOG[wrong]}" | tr '\n' ' ')"
fi
if wait_for 5 "no session from ${LAC_IP[wrong]}" no_session_from "${LAC_IP[wrong]}"; then
	ok "no session left from ${LAC_IP[wrong]}"
else
	fail "lnsd still has a session from ${LAC_IP[wrong]}"
fi
snap c-c1 show counters
assert_eq "ppp.auth_failed increase" 1 "$(jdelta "$T_OUT/c-c.json" "$T_OUT/c-c1.json" ppp.auth_failed)"
assert_eq "ppp.auth_ok increase" 0 "$(jdelta "$T_OUT/c-c.json" "$T_OUT/c-c1.json" ppp.auth_ok)"
assert_eq "l2tp.cdn_tx increase" 1 "$(jdelta "$T_OUT/c-c.json" "$T_OUT/c-c1.json" l2tp.cdn_tx)"
assert_match "lnsd logged the failure" 'mschapv2 authentication of "u" failed' "$(cat "$T_OUT/lnsd.log")"
lac_stop wrong

step "f. tshark: what lnsd sent decodes cleanly; PPP inside L2TP"
capture_stop ppp
n_lns=$(tshark -r "$CAP" -d udp.port==1701,l2tp -Y "ip.src==$LNS_ACC4 && l2tp" 2>/dev/null | wc -l)
assert_ge "L2TP frames from lnsd in the capture" 100 "$n_lns"
bad=$(tshark -r "$CAP" -d udp.port==1701,l2tp -Y "ip.src==$LNS_ACC4 && (_ws.malformed || _ws.expert.severity >= warning)" 2>&1 |
	grep -v 'Running as user "root"' || true)
if [ -z "$bad" ]; then
	ok "tshark: none of lnsd's $n_lns frames is malformed or draws a warning"
else
	fail "tshark flags frames lnsd sent (${CAP#"$LNS_ROOT"/}):"
	printf '%s\n' "$bad" | head -n 20 | sed 's/^/        | /'
fi
tshark -r "$CAP" -d udp.port==1701,l2tp -Y "ip.src==$LNS_ACC4" -T fields -e frame.protocols 2>/dev/null >"$T_OUT/f-protocols.txt" || true
for p in lcp pap chap ipcp ipv6cp icmp; do
	assert_ge "tshark: frames from lnsd with $p inside L2TP/PPP" 1 "$(grep -c ":l2tp:ppp:$p\(:\|$\)\|:l2tp:ppp:ip:$p\(:\|$\)" "$T_OUT/f-protocols.txt")"
done
n_ppp=$(tshark -r "$CAP" -d udp.port==1701,l2tp -Y 'lcp || pap || chap || ipcp' 2>/dev/null | wc -l)
assert_ge "tshark -Y 'lcp || pap || chap || ipcp': frames" 1 "$n_ppp"
lw=$(tshark -r "$CAP" -d udp.port==1701,l2tp -Y "ip.src!=$LNS_ACC4 && (_ws.malformed || _ws.expert.severity >= warning)" 2>/dev/null | wc -l)
say "note: tshark flags $lw of lwIP's frames (not asserted)"

# ===========================================================================
for auth in pap chap mschapv2; do
	a=${LNSD_AUTH[$auth]}
	lnsd_run "only-$a" "$a" "$POOL"
	step "a2. ppp.auth: [$a], lwIP accepts any"
	lac_start "any-$auth" --secret "$SECRET" --user u --password p --auth any || continue
	if lac_wait_up "any-$auth" 1 10; then
		ok "lwIP: session up with lnsd offering $a only"
		snap sessions show sessions || true
		assert_eq "lnsctl: auth" "$a" "$(jget "$T_OUT/sessions.json" "sessions[peer=${LAC_IP[any-$auth]}].auth" 2>&1)"
		assert_ping "$NS_CORE" "$(lac_addrs "any-$auth" | head -n 1)"
	else
		fail "lwIP: no session up with lnsd offering $a only: $(tail -n 3 "${LAC_LOG[any-$auth]}" | tr '\n' ' ')"
	fi
	stop_and_gone "any-$auth"
done

# ===========================================================================
ONE=100.64.0.9
lnsd_run one "mschapv2, chap-md5, pap" "$ONE-$ONE"

step "d. SIGKILL: lnsd finds out by LCP echo ($ECHO_INT s, $ECHO_FAILS failures); the address goes back"
snap c-d show counters
lac_start k1 --secret "$SECRET" --user u --password p --auth any || true
if lac_wait_up k1 1 10; then
	assert_eq "lwIP k1's address" "$ONE" "$(lac_addrs k1 | head -n 1)"
	assert_ping "$NS_CORE" "$ONE"
	lac_kill k1 KILL
	t0=$(now_ms)
	limit=$((ECHO_INT * (ECHO_FAILS + 1) + 3))
	if wait_for "$limit" "lnsd to drop k1's session" no_session_from "${LAC_IP[k1]}"; then
		took=$(($(now_ms) - t0))
		ok "session gone ${took} ms after SIGKILL (limit ${limit} s: $ECHO_INT x ($ECHO_FAILS + 1) + 3 s slack)"
		assert_ge "ms to notice (at least $ECHO_FAILS unanswered echoes, $ECHO_INT s apart, less 1 s)" \
			$(((ECHO_FAILS * ECHO_INT - 1) * 1000)) "$took"
	else
		fail "lnsd still has k1's session ${limit} s after SIGKILL: $(cat "$T_OUT/sessions.json")"
	fi
	snap c-d1 show counters
	assert_eq "ppp.echo_timeouts increase" 1 "$(jdelta "$T_OUT/c-d.json" "$T_OUT/c-d1.json" ppp.echo_timeouts)"
	assert_eq "l2tp.cdn_tx increase (a CDN to the dead LAC)" 1 "$(jdelta "$T_OUT/c-d.json" "$T_OUT/c-d1.json" l2tp.cdn_tx)"
	assert_match "lnsd logged why" 'closed: no answer to LCP echo requests' "$(cat "$T_OUT/lnsd.log")"
	lac_start k2 --secret "$SECRET" --user u --password p --auth any || true
	if lac_wait_up k2 1 10; then
		assert_eq "the next subscriber (k2) gets the released address" "$ONE" "$(lac_addrs k2 | head -n 1)"
		assert_ping "$NS_CORE" "$ONE"
	else
		fail "k2 not up after k1's session was dropped: $(tail -n 3 "${LAC_LOG[k2]}" | tr '\n' ' ')"
	fi
else
	fail "lwIP k1: no session up: $(tail -n 3 "${LAC_LOG[k1]}" | tr '\n' ' ')"
fi

step "e. pool exhausted: a second subscriber while k2 holds $ONE"
snap c-e show counters
lac_start k3 --secret "$SECRET" --user u --password p --auth any || true
if wait_for 10 "lwIP k3: session down" lac_logged k3 '^session 1 down '; then
	assert_match "lwIP k3: lnsd's CDN, result 4 (no resources, temporary)" '^session 1 cdn result=4 ' \
		"$(grep '^session 1 cdn' "${LAC_LOG[k3]}" || echo none)"
	assert_cmd "lwIP k3 was never up" bash -c "! grep -q '^session 1 up ' '${LAC_LOG[k3]}'"
else
	fail "lwIP k3: no 'down' line: $(tail -n 3 "${LAC_LOG[k3]}" | tr '\n' ' ')"
fi
if wait_for 5 "no session from ${LAC_IP[k3]}" no_session_from "${LAC_IP[k3]}"; then
	ok "no session left from k3"
else
	fail "lnsd still has a session from k3"
fi
snap c-e1 show counters
assert_eq "ppp.pool_exhausted increase" 1 "$(jdelta "$T_OUT/c-e.json" "$T_OUT/c-e1.json" ppp.pool_exhausted)"
assert_eq "l2tp.cdn_tx increase" 1 "$(jdelta "$T_OUT/c-e.json" "$T_OUT/c-e1.json" l2tp.cdn_tx)"
assert_match "lnsd logged it" 'no address for "u": pool exhausted' "$(cat "$T_OUT/lnsd.log")"
assert_eq "k2's session still there" 1 "$(sessions_from "${LAC_IP[k2]:-none}")"
assert_ping "$NS_CORE" "$ONE"
lac_stop k3
stop_and_gone k2

lnsd_stop TERM 3000 || true
assert_eq "lnsd ($RUN) exit status" 0 "${LNSD_EXIT:-none}"
t_finish
