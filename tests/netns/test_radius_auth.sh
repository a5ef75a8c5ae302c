#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# lnsd authenticates lwIP subscribers (tests/peers/lwip-lac) against a private
# FreeRADIUS (tests/netns/radius.sh) in its own namespace, 127.0.0.1:1812,
# which signs its answers with a Message-Authenticator.
#
#  1. PAP, CHAP-MD5 and MS-CHAPv2 (lwIP accepts only that one), each user
#     with Framed-IP-Address = 100.64.0.50: the session is up in lnsctl with
#     that auth, user and address, lwIP got that address, the core pings it
#     through lnsd; radius auth_requests/auth_accepts and ppp.auth_ok grow by
#     one; FreeRADIUS logged "Login OK". The Access-Request as FreeRADIUS got
#     it (it runs with -X): NAS-Port(-Id) of the session as lnsctl shows it,
#     NAS identity, service, tunnel attributes, Acct-Session-Id,
#     Message-Authenticator, and the attributes of that method only.
#  2. The same three with a wrong password: lwIP reports PPPERR_AUTHFAIL after
#     lnsd's CDN (result 2); radius auth_rejects, ppp.auth_failed and
#     l2tp.cdn_tx grow by one; no session left.
#  3. Framed-Pool = "gold": the address comes from the second pool.
#  4. An Access-Accept without Message-Authenticator (an instance with
#     reply_ma=no on port 21812, the only auth server of a second lnsd run):
#     refused, rx_no_message_authenticator grows (one per try), the request
#     fails (auth_failed), the subscriber is not let in.
#  5. An Access-Accept with a wrong Response Authenticator (radius_mangle.py
#     on 31812 relays to the instance of 1 and flips one bit of it; FreeRADIUS
#     itself answers nothing to a client with the wrong secret, since it
#     drops requests whose Message-Authenticator does not verify): refused,
#     rx_bad_authenticator grows, the subscriber is not let in.
#  6. A pool of two addresses, the first the Framed-IP-Address of "fixed":
#     while fixed holds it, the pool gives the other, then is exhausted
#     (CDN result 4); once fixed left, the pool gives its address, and fixed
#     is refused (its address in use).
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
rl_setup

declare -A LNSD_AUTH=([pap]=pap [chap]=chap-md5 [mschapv2]=mschapv2)
declare -A USER_OF=([pap]=pap1 [chap]=chap1 [mschapv2]=ms1)

R=$T_OUT/radius-main
rl_instance "$R" main
RADIUS_DEBUG=1 radius_start_ns "$NS_LNS" "$R" # -X: the requests in its log
rl_lnsd main

# stop_gone ID USER: lwip-lac ID stopped, USER's session leaves lnsctl
stop_gone() {
	lac_stop "$1"
	wait_for 10 "no session of $2" rl_no_sess "$2" || fail "lnsd still has a session of $2 after lwIP $1 stopped"
}

# refused ID: lwip-lac ID's session went down with an authentication failure
# and a CDN, and never came up
refused() {
	if wait_for "${2:-15}" "lwIP $1: session down" rl_lac_down "$1"; then
		assert_match "lwIP $1: authentication failure" '^session 1 down err=PPPERR_AUTHFAIL' \
			"$(grep '^session 1 down' "${LAC_LOG[$1]}")"
		assert_match "lwIP $1: lnsd's CDN, result 2" '^session 1 cdn result=2 ' \
			"$(grep '^session 1 cdn' "${LAC_LOG[$1]}" || echo none)"
	else
		fail "lwIP $1: no 'down' line: $(tail -n 3 "${LAC_LOG[$1]}" | tr '\n' ' ')"
	fi
	assert_cmd "lwIP $1 was never up" bash -c "! grep -q '^session 1 up ' '${LAC_LOG[$1]}'"
}

# check_request AUTH USER ID: the Access-Request FreeRADIUS got for USER
# (lwip-lac ID) as docs/radius.md describes it
check_request() {
	local auth=$1 u=$2 id=$3 q tid sid a
	q=$(rl_access_request "$R" "$u")
	printf '%s\n' "$q" >"$T_OUT/access-request-$u.txt"
	tid=$(rl_sess "$u" tunnel_id)
	sid=$(rl_sess "$u" session_id)
	assert_eq "Access-Request ($u): NAS-Port-Id (lnsctl's tunnel/session)" "\"$tid/$sid\"" "$(rl_attr "$q" NAS-Port-Id)"
	assert_eq "Access-Request ($u): NAS-Port" $((tid * 65536 + sid)) "$(rl_attr "$q" NAS-Port)"
	assert_eq "Access-Request ($u): NAS-Identifier" '"lns"' "$(rl_attr "$q" NAS-Identifier)"
	assert_eq "Access-Request ($u): NAS-IP-Address (the tunnel's LNS address)" "$LNS_ACC4" "$(rl_attr "$q" NAS-IP-Address)"
	assert_eq "Access-Request ($u): NAS-Port-Type, Service-Type, Framed-Protocol" "Virtual Framed-User PPP" \
		"$(rl_attr "$q" NAS-Port-Type) $(rl_attr "$q" Service-Type) $(rl_attr "$q" Framed-Protocol)"
	assert_eq "Access-Request ($u): Tunnel-Type, -Medium-Type (tag 1)" "L2TP IPv4" \
		"$(rl_attr "$q" Tunnel-Type:1) $(rl_attr "$q" Tunnel-Medium-Type:1)"
	assert_eq "Access-Request ($u): Tunnel-Client-Endpoint, -Server-Endpoint" "\"${LAC_IP[$id]}\" \"$LNS_ACC4\"" \
		"$(rl_attr "$q" Tunnel-Client-Endpoint:1) $(rl_attr "$q" Tunnel-Server-Endpoint:1)"
	assert_eq "Access-Request ($u): Tunnel-Client-Auth-Id, -Server-Auth-Id" '"lwIP" "lns"' \
		"$(rl_attr "$q" Tunnel-Client-Auth-Id:1) $(rl_attr "$q" Tunnel-Server-Auth-Id:1)"
	assert_match "Access-Request ($u): Acct-Session-Id, 16 hex digits" '^"[0-9A-F]{16}"$' "$(rl_attr "$q" Acct-Session-Id)"
	assert_match "Access-Request ($u): Message-Authenticator" '^0x[0-9a-f]{32}$' "$(rl_attr "$q" Message-Authenticator)"
	case $auth in
	pap) a="User-Password" ;;
	chap) a="CHAP-Password CHAP-Challenge" ;;
	mschapv2) a="MS-CHAP-Challenge MS-CHAP2-Response" ;;
	esac
	assert_eq "Access-Request ($u): the $auth attributes ($a)" "$a" \
		"$(for x in $a; do [ -n "$(rl_attr "$q" "$x")" ] && printf '%s ' "$x"; done | sed 's/ $//')"
	assert_eq "Access-Request ($u): nothing of another method" "" \
		"$(grep -E '^(User-Password|CHAP-Password|MS-CHAP2-Response) ' <<<"$q" | grep -vE "^(${a// /|}) " || true)"
}

step "1. PAP, CHAP-MD5, MS-CHAPv2 accepted by RADIUS, Framed-IP-Address = $RL_FIXED"
for auth in pap chap mschapv2; do
	u=${USER_OF[$auth]}
	rl_ctr c1-$auth-0
	if rl_up "ok-$auth" "$u" pw "$auth"; then
		ok "lwIP $auth as $u: up ($(grep -m1 '^session 1 up ' "${LAC_LOG[ok-$auth]}"))"
		assert_eq "lwIP $auth: its address (Framed-IP-Address)" "$RL_FIXED" "$(lac_addrs "ok-$auth" | head -n 1)"
		assert_eq "lnsctl: $u's ip" "$RL_FIXED" "$(rl_sess "$u" ip)"
		assert_eq "lnsctl: $u's ppp" up "$(rl_sess "$u" ppp)"
		assert_eq "lnsctl: $u's auth" "${LNSD_AUTH[$auth]}" "$(rl_sess "$u" auth)"
		assert_ping "$NS_CORE" "$RL_FIXED"
		rl_ctr c1-$auth-1
		assert_eq "radius.auth_requests increase" 1 "$(rl_delta c1-$auth-0 c1-$auth-1 radius.auth_requests)"
		assert_eq "radius.auth_accepts increase" 1 "$(rl_delta c1-$auth-0 c1-$auth-1 radius.auth_accepts)"
		assert_eq "radius.auth_rejects increase" 0 "$(rl_delta c1-$auth-0 c1-$auth-1 radius.auth_rejects)"
		assert_eq "ppp.auth_ok increase" 1 "$(rl_delta c1-$auth-0 c1-$auth-1 ppp.auth_ok)"
		assert_match "FreeRADIUS: Login OK for $u" "Login OK: \\[$u\\]" "$(cat "$R/radius.log")"
		check_request "$auth" "$u" "ok-$auth"
	else
		fail "lwIP $auth as $u: no session up: $(tail -n 3 "${LAC_LOG[ok-$auth]}" | tr '\n' ' ')"
	fi
	stop_gone "ok-$auth" "$u"
done

step "2. wrong passwords: Access-Reject"
for auth in pap chap mschapv2; do
	u=${USER_OF[$auth]}
	rl_ctr c2-$auth-0
	lac_start "bad-$auth" --secret "$RL_L2TP_SECRET" --user "$u" --password wrong --auth "$auth" || true
	refused "bad-$auth"
	wait_for 5 "no session of $u" rl_no_sess "$u" || fail "lnsd still has a session of $u"
	rl_ctr c2-$auth-1
	assert_eq "$auth: radius.auth_rejects increase" 1 "$(rl_delta c2-$auth-0 c2-$auth-1 radius.auth_rejects)"
	assert_eq "$auth: radius.auth_accepts increase" 0 "$(rl_delta c2-$auth-0 c2-$auth-1 radius.auth_accepts)"
	assert_eq "$auth: ppp.auth_failed increase" 1 "$(rl_delta c2-$auth-0 c2-$auth-1 ppp.auth_failed)"
	assert_eq "$auth: l2tp.cdn_tx increase" 1 "$(rl_delta c2-$auth-0 c2-$auth-1 l2tp.cdn_tx)"
	assert_match "FreeRADIUS: Login incorrect for $u" "Login incorrect.*\\[$u\\]" "$(cat "$R/radius.log")"
	lac_stop "bad-$auth"
done

step "3. Framed-Pool = \"gold\""
if rl_up gold gold pw pap; then
	a=$(lac_addrs gold | head -n 1)
	assert_cmd "lwIP gold: address $a in the gold pool $RL_GOLD" "$PY" -c \
		'import ipaddress, sys; sys.exit(ipaddress.ip_address(sys.argv[1]) not in ipaddress.ip_network(sys.argv[2]))' \
		"${a:-none}" "$RL_GOLD"
	assert_eq "lnsctl: gold's ip" "$a" "$(rl_sess gold ip)"
	assert_ping "$NS_CORE" "${a:-none}"
else
	fail "lwIP gold: no session up: $(tail -n 3 "${LAC_LOG[gold]}" | tr '\n' ' ')"
fi
# and a user without Framed-Pool gets the default pool meanwhile
if rl_up plain plain pw chap; then
	a=$(lac_addrs plain | head -n 1)
	assert_match "lwIP plain: address from the default pool" '^100\.64\.0\.' "$a"
else
	fail "lwIP plain: no session up"
fi
stop_gone gold gold
stop_gone plain plain

step "4. an Access-Accept without Message-Authenticator is refused"
N=$T_OUT/radius-noma
rl_instance "$N" noma auth=21812 acct='' reply_ma=no
radius_start_ns "$NS_LNS" "$N"
RL_AUTH="[{address: 127.0.0.1, port: 21812, secret: $RL_SECRET}]"
rl_lnsd noma
rl_ctr c4-0
lac_start noma --secret "$RL_L2TP_SECRET" --user chap1 --password pw --auth chap || true
refused noma
rl_ctr c4-1
assert_ge "radius.rx_no_message_authenticator increase (one per try)" 2 \
	"$(rl_delta c4-0 c4-1 radius.rx_no_message_authenticator)"
assert_eq "radius.auth_accepts increase" 0 "$(rl_delta c4-0 c4-1 radius.auth_accepts)"
assert_eq "radius.auth_failed increase (no valid answer)" 1 "$(rl_delta c4-0 c4-1 radius.auth_failed)"
assert_eq "ppp.auth_failed increase" 1 "$(rl_delta c4-0 c4-1 ppp.auth_failed)"
assert_eq "ppp.auth_ok increase" 0 "$(rl_delta c4-0 c4-1 ppp.auth_ok)"
assert_match "the noma instance did accept chap1 (lnsd refused a real Access-Accept)" 'Login OK: \[chap1\]' \
	"$(cat "$N/radius.log")"
wait_for 5 "no session of chap1" rl_no_sess chap1 || fail "lnsd still has a session of chap1"
lac_stop noma

step "5. an Access-Accept with a wrong Response Authenticator is refused"
rl_mangle_start badauth 31812 1812 authenticator
RL_AUTH="[{address: 127.0.0.1, port: 31812, secret: $RL_SECRET}]"
rl_lnsd badauth
rl_ctr c5-0
lac_start badauth --secret "$RL_L2TP_SECRET" --user chap1 --password pw --auth chap || true
refused badauth
rl_ctr c5-1
assert_ge "radius.rx_bad_authenticator increase (one per try)" 2 "$(rl_delta c5-0 c5-1 radius.rx_bad_authenticator)"
assert_eq "radius.auth_accepts increase" 0 "$(rl_delta c5-0 c5-1 radius.auth_accepts)"
assert_eq "radius.auth_failed increase" 1 "$(rl_delta c5-0 c5-1 radius.auth_failed)"
assert_eq "ppp.auth_failed increase" 1 "$(rl_delta c5-0 c5-1 ppp.auth_failed)"
assert_ge "Access-Accepts the relay spoilt" 2 "$(grep -c '^Access-Accept id=' "$T_OUT/mangle-badauth.log" || true)"
assert_match "lnsd logged the refusal" 'RADIUS response from server 0 refused' "$(cat "$T_OUT/lnsd.log")"
wait_for 5 "no session of chap1" rl_no_sess chap1 || fail "lnsd still has a session of chap1"
lac_stop badauth
rl_mangle_stop badauth

step "6. a Framed-IP-Address inside a pool is reserved there while in use"
RL_POOL=$RL_FIXED-100.64.0.51 # two addresses, the first one RADIUS's for "fixed"
RL_AUTH="[{address: 127.0.0.1, port: 1812, secret: $RL_SECRET}]"
rl_lnsd pool2
rl_up p6a fixed pw pap || fail "fixed not up"
assert_eq "lwIP p6a (fixed): its address" "$RL_FIXED" "$(lac_addrs p6a | head -n 1)"
rl_up p6b plain pw pap || fail "plain not up"
assert_eq "lwIP p6b (plain): the pool's other address" 100.64.0.51 "$(lac_addrs p6b | head -n 1)"
rl_ctr c6-0
lac_start p6c --secret "$RL_L2TP_SECRET" --user plain2 --password pw --auth pap || true
if wait_for 10 "lwIP p6c: session down" rl_lac_down p6c; then
	assert_match "lwIP p6c (plain2): refused, CDN result 4 (the pool is exhausted)" '^session 1 cdn result=4 ' \
		"$(grep '^session 1 cdn' "${LAC_LOG[p6c]}" || echo none)"
else
	fail "lwIP p6c (plain2): no 'down' line: $(tail -n 3 "${LAC_LOG[p6c]}" | tr '\n' ' ')"
fi
rl_ctr c6-1
assert_eq "ppp.pool_exhausted increase" 1 "$(rl_delta c6-0 c6-1 ppp.pool_exhausted)"
lac_stop p6c
lac_stop p6a
wait_for 10 "no session of fixed" rl_no_sess fixed || fail "lnsd still has a session of fixed"
if rl_up p6d plain3 pw pap; then
	assert_eq "lwIP p6d (plain3): $RL_FIXED, back in the pool" "$RL_FIXED" "$(lac_addrs p6d | head -n 1)"
else
	fail "plain3 not up once fixed left"
fi
lac_start p6e --secret "$RL_L2TP_SECRET" --user fixed --password pw --auth pap || true
if wait_for 10 "lwIP p6e: session down" rl_lac_down p6e; then
	ok "fixed refused while the pool gave its address to plain3: $(grep '^session 1 cdn' "${LAC_LOG[p6e]}" || echo 'no CDN')"
else
	fail "lwIP p6e (fixed, its address taken): no 'down' line"
fi
assert_match "lnsd logged why" 'no address for "fixed": its address is in use' "$(cat "$T_OUT/lnsd.log")"
lac_stop p6e
stop_gone p6d plain3
stop_gone p6b plain

lnsd_stop TERM 5000 || true
assert_eq "lnsd ($RL_RUN) exit status" 0 "${LNSD_EXIT:-none}"
t_finish
