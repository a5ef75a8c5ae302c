#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# lnsd's RFC 5176 server (radius.dae on 127.0.0.1:3799, client 127.0.0.1),
# driven with radclient (radius_disconnect / radius_coa of
# tests/netns/radius.sh) from lnsd's namespace; lwIP subscribers; a private
# FreeRADIUS for authentication and accounting.
#
#  1. Disconnect-Request by Acct-Session-Id (read from the session's Start):
#     Disconnect-ACK, lwIP gets a CDN (result 3, administrative), the session
#     leaves lnsctl, Stop with Acct-Terminate-Cause Admin-Reset.
#  2. By Framed-IP-Address (a RADIUS-given 100.64.0.50): ACK, session gone.
#  3. By User-Name, the request signed with a Message-Authenticator: ACK;
#     by NAS-Port-Id and NAS-Port: ACK.
#  4. Refusals: an unknown Acct-Session-Id: NAK, Error-Cause 503; no
#     identification attribute: 402; a NAS-Identifier not ours: 403; an
#     attribute a Disconnect cannot carry (Session-Timeout): 401. Nothing
#     disconnected meanwhile. A NAS-IP-Address that is not lnsd's (it is
#     the tunnel's LNS address, no radius.nas-ip-address being set): 403
#     ("NAS-Identifier and NAS-IP-Address, when present, must be ours",
#     docs/radius.md); with ours: ACK.
#  5. Two sessions of one user: CoA by User-Name NAK 508 (one session only);
#     Disconnect by User-Name ends both.
#  6. A live session: a Disconnect-Request with the wrong secret gets no
#     answer (dae_bad grows, the session stays); CoA with Filter-Id: CoA-NAK
#     401, the session stays; CoA with Session-Timeout = 3: CoA-ACK, the
#     session ends about 3 s later, Stop with Session-Timeout.
#     A session with Session-Timeout 4 from RADIUS: CoA Session-Timeout = 0
#     (and Idle-Timeout = 0) removes it, the session outlives it; CoA
#     Idle-Timeout = 2 ends it about 2 s later, Stop with Idle-Timeout.
#  7. Counters: dae_requests, dae_acks, dae_naks, dae_bad add up.
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

# shellcheck disable=SC2317 # called through rl_instance
dae_users() {
	radius_user "$1" multi pw
	radius_user "$1" st4 pw 'Session-Timeout = 4'
}
RL_EXTRA_USERS=dae_users
R=$T_OUT/radius-main
rl_instance "$R" main
radius_start_ns "$NS_LNS" "$R"
rl_lnsd main
rl_ctr c0

# dis ATTR... / coa ATTR...: the reply as JSON (radclient from lnsd's namespace)
dis() { radius_disconnect "$NS_LNS" "$RL_DAE" "$RL_SECRET" "$@" || true; }
coa() { radius_coa "$NS_LNS" "$RL_DAE" "$RL_SECRET" "$@" || true; }
# expect DESCRIPTION JSON CODE [ERROR-CAUSE]
expect() {
	assert_eq "$1: answer" "$3" "$(radius_field "$2" code)"
	if [ -n "${4:-}" ]; then
		assert_eq "$1: Error-Cause" "$4" "$(radius_field "$2" attrs.Error-Cause)"
	fi
}
# asid USER: the Acct-Session-Id of USER's last Start
asid() { rl_pick "select(.\"User-Name\" == \"$1\" and .\"Acct-Status-Type\" == \"Start\") | .\"Acct-Session-Id\"" "$R" | tail -n 1 | tr -d '"'; }
# stop_cause USER: Acct-Terminate-Cause of USER's Stops, space-separated
stop_cause() { rl_pick "select(.\"User-Name\" == \"$1\" and .\"Acct-Status-Type\" == \"Stop\") | .\"Acct-Terminate-Cause\"" "$R" | tr -d '"' | paste -sd ' '; }
# up ID USER: lwip-lac ID up as USER, and its Start recorded
up() {
	rl_up "$1" "$2" pw pap || { fail "$1 ($2) not up: $(tail -n 3 "${LAC_LOG[$1]}" | tr '\n' ' ')"; return 1; }
	rl_wait_rec 5 "$2's Start" "select(.\"User-Name\" == \"$2\" and .\"Acct-Status-Type\" == \"Start\")" "$R" ||
		fail "no Start for $2"
}
# disconnected ID USER [CAUSE]: lwIP got the CDN, lnsctl forgot the session, Stop with CAUSE
disconnected() {
	if wait_for 5 "lwIP $1 down" rl_lac_down "$1"; then
		assert_match "lwIP $1: CDN result 3 (administrative)" '^session 1 cdn result=3 ' \
			"$(grep '^session 1 cdn' "${LAC_LOG[$1]}" || echo none)"
	else
		fail "lwIP $1: still up"
	fi
	wait_for 5 "no session of $2" rl_no_sess "$2" || fail "lnsd still has a session of $2"
	rl_wait_rec 5 "$2's Stop" "select(.\"User-Name\" == \"$2\" and .\"Acct-Status-Type\" == \"Stop\")" "$R" ||
		fail "no Stop for $2"
	assert_eq "$2's Stop: Acct-Terminate-Cause" "${3:-Admin-Reset}" "$(stop_cause "$2")"
}

step "1. Disconnect-Request by Acct-Session-Id"
up d1 plain
A1=$(asid plain)
assert_eq "lnsctl: plain's acct_session_id (the Start's Acct-Session-Id)" "$A1" "$(rl_sess plain acct_session_id)"
r=$(dis "Acct-Session-Id = \"$A1\"")
expect "Disconnect by Acct-Session-Id $A1" "$r" Disconnect-ACK
disconnected d1 plain
assert_match "lnsd logged it" 'RADIUS Disconnect-Request for "plain"' "$(cat "$T_OUT/lnsd.log")"
lac_stop d1

step "2. by Framed-IP-Address"
up d2 fixed
assert_eq "lnsctl: fixed's ip" "$RL_FIXED" "$(rl_sess fixed ip)"
r=$(dis "Framed-IP-Address = $RL_FIXED")
expect "Disconnect by Framed-IP-Address $RL_FIXED" "$r" Disconnect-ACK
disconnected d2 fixed
lac_stop d2

step "3. by User-Name, signed"
up d3 plain3
r=$(dis 'User-Name = "plain3"' 'Message-Authenticator = 0x00')
expect "Disconnect by User-Name (with Message-Authenticator)" "$r" Disconnect-ACK
disconnected d3 plain3
lac_stop d3

step "3b. by NAS-Port-Id and NAS-Port"
up d5 plain2
TID=$(rl_sess plain2 tunnel_id)
SID=$(rl_sess plain2 session_id)
r=$(dis "NAS-Port-Id = \"$TID/$SID\"" "NAS-Port = $((TID * 65536 + SID))")
expect "Disconnect by NAS-Port-Id $TID/$SID and NAS-Port" "$r" Disconnect-ACK
disconnected d5 plain2
lac_stop d5

step "4. refusals"
up d4 plain4
A4=$(asid plain4)
rl_ctr c4
r=$(dis 'Acct-Session-Id = "FFFFFFFF00000000"')
expect "Disconnect for an unknown Acct-Session-Id" "$r" Disconnect-NAK Session-Context-Not-Found
r=$(dis "Acct-Session-Id = \"$A4\"" 'User-Name = "someone-else"')
expect "Disconnect whose Acct-Session-Id and User-Name match different sessions (none)" "$r" Disconnect-NAK Session-Context-Not-Found
r=$(dis 'Event-Timestamp = 1700000000')
expect "Disconnect without an identification attribute" "$r" Disconnect-NAK Missing-Attribute
r=$(dis "Acct-Session-Id = \"$A4\"" 'NAS-Identifier = "not-us"')
expect "Disconnect for another NAS-Identifier" "$r" Disconnect-NAK NAS-Identification-Mismatch
r=$(dis "Acct-Session-Id = \"$A4\"" 'Session-Timeout = 10')
expect "Disconnect with Session-Timeout" "$r" Disconnect-NAK Unsupported-Attribute
r=$(coa 'Acct-Session-Id = "FFFFFFFF00000000"' 'Session-Timeout = 10')
expect "CoA for an unknown Acct-Session-Id" "$r" CoA-NAK Session-Context-Not-Found
rl_ctr c4a
assert_eq "radius.dae_naks increase" 6 "$(rl_delta c4 c4a radius.dae_naks)"
assert_eq "radius.dae_acks increase" 0 "$(rl_delta c4 c4a radius.dae_acks)"
assert_eq "plain4 still up" up "$(rl_sess plain4 ppp)"
assert_cmd "lwIP d4 still up" bash -c "! grep -q '^session 1 down' '${LAC_LOG[d4]}'"

step "4b. a NAS-IP-Address not ours (lnsd's is $LNS_ACC4, the tunnel's LNS address)"
up d6 plain
A6=$(asid plain)
rl_ctr c4b
r=$(dis "Acct-Session-Id = \"$A6\"" 'NAS-IP-Address = 203.0.113.99')
expect "Disconnect with NAS-IP-Address 203.0.113.99" "$r" Disconnect-NAK NAS-Identification-Mismatch
if [ "$(rl_sess plain ppp)" = up ]; then
	ok "plain still up after a Disconnect for another NAS"
	r=$(dis "Acct-Session-Id = \"$A6\"" "NAS-IP-Address = $LNS_ACC4" 'NAS-Identifier = "lns"')
	expect "Disconnect with our NAS-IP-Address and NAS-Identifier" "$r" Disconnect-ACK
	wait_for 5 "no session of plain" rl_no_sess plain || fail "lnsd still has a session of plain"
else
	fail "plain disconnected by a Disconnect-Request for NAS 203.0.113.99"
fi
lac_stop d6

step "5. two sessions of one user"
lac_start m2 --secret "$RL_L2TP_SECRET" --user multi --password pw --auth chap --sessions 2 || true
lac_wait_up m2 2 20 || fail "multi: 2 sessions not up: $(tail -n 3 "${LAC_LOG[m2]}" | tr '\n' ' ')"
assert_eq "lnsctl: multi's sessions" 2 "$(rl_nsess multi)"
r=$(coa 'User-Name = "multi"' 'Session-Timeout = 100')
expect "CoA matching two sessions" "$r" CoA-NAK Multiple-Session-Selection-Unsupported
assert_eq "lnsctl: multi's sessions after the refused CoA" 2 "$(rl_nsess multi)"
r=$(dis 'User-Name = "multi"')
expect "Disconnect matching two sessions" "$r" Disconnect-ACK
wait_for 5 "no session of multi" rl_no_sess multi || fail "lnsd still has $(rl_nsess multi) sessions of multi"
# shellcheck disable=SC2317 # called through wait_for
two_stops() { [ "$(stop_cause multi)" = "Admin-Reset Admin-Reset" ]; }
wait_for 5 "two Stops of multi" two_stops || fail "multi's Stops: '$(stop_cause multi)', expected two Admin-Reset"
lac_stop m2

step "6. a live session: wrong secret, CoA Filter-Id, CoA Session-Timeout = 3"
rl_ctr c6
r=$(RADIUS_RETRIES=1 radius_disconnect "$NS_LNS" "$RL_DAE" wrong-secret "Acct-Session-Id = \"$A4\"" || true)
expect "Disconnect-Request with the wrong secret" "$r" null
rl_ctr c6a
assert_eq "radius.dae_bad increase" 1 "$(rl_delta c6 c6a radius.dae_bad)"
assert_eq "radius.dae_acks + dae_naks increase" 0 \
	$(($(rl_delta c6 c6a radius.dae_acks) + $(rl_delta c6 c6a radius.dae_naks)))
assert_eq "plain4 still up after the wrong secret" up "$(rl_sess plain4 ppp)"
r=$(coa "Acct-Session-Id = \"$A4\"" 'Filter-Id = "gold-filter"')
expect "CoA with Filter-Id" "$r" CoA-NAK Unsupported-Attribute
assert_eq "plain4 still up after the refused CoA" up "$(rl_sess plain4 ppp)"
r=$(coa "Acct-Session-Id = \"$A4\"" 'Session-Timeout = 3')
T_ACK=$(now_ms)
expect "CoA with Session-Timeout = 3" "$r" CoA-ACK
if wait_for 8 "plain4's session to end" rl_no_sess plain4; then
	took=$(($(now_ms) - T_ACK))
	assert_ge "ms from the CoA-ACK to the session's end" 2500 "$took"
	assert_le "ms from the CoA-ACK to the session's end" 5000 "$took"
else
	fail "plain4 still up 8 s after CoA Session-Timeout = 3"
fi
rl_wait_rec 5 "plain4's Stop" 'select(."User-Name" == "plain4" and ."Acct-Status-Type" == "Stop")' "$R" ||
	fail "no Stop for plain4"
assert_eq "plain4's Stop: Acct-Terminate-Cause" Session-Timeout "$(stop_cause plain4)"
assert_cmd "lwIP d4: down" wait_for 5 "lwIP d4 down" rl_lac_down d4
lac_stop d4

step "6b. CoA: 0 removes a timeout; a new Idle-Timeout"
up d7 st4
assert_le "lnsctl: st4's session_timeout_s (RADIUS: 4)" 4 "$(rl_sess st4 session_timeout_s)"
r=$(coa 'User-Name = "st4"' 'Session-Timeout = 0' 'Idle-Timeout = 0')
expect "CoA Session-Timeout = 0 for st4 (RADIUS gave it 4 s)" "$r" CoA-ACK
assert_eq "lnsctl: st4's session_timeout_s after the CoA" 0 "$(rl_sess st4 session_timeout_s)"
T_UP=$(now_ms)
# shellcheck disable=SC2317 # called through wait_for
st4_gone() { [ "$(rl_nsess st4)" = 0 ]; }
if wait_for 6 "st4's session to end (it should not)" st4_gone; then
	fail "st4's session ended $(($(now_ms) - T_UP)) ms after its Session-Timeout was removed: $(stop_cause st4)"
else
	ok "st4 still up 6 s after the CoA removed its 4 s Session-Timeout"
fi
r=$(coa 'User-Name = "st4"' 'Idle-Timeout = 2')
T_ACK=$(now_ms)
expect "CoA Idle-Timeout = 2 for st4" "$r" CoA-ACK
assert_eq "lnsctl: st4's idle_timeout_s after the CoA" 2 "$(rl_sess st4 idle_timeout_s)"
if wait_for 6 "st4's session to end" rl_no_sess st4; then
	took=$(($(now_ms) - T_ACK))
	assert_ge "ms from the CoA-ACK to st4's end (no traffic)" 1500 "$took"
	assert_le "ms from the CoA-ACK to st4's end (no traffic)" 4000 "$took"
else
	fail "st4 still up 6 s after CoA Idle-Timeout = 2"
fi
rl_wait_rec 5 "st4's Stop" 'select(."User-Name" == "st4" and ."Acct-Status-Type" == "Stop")' "$R" || fail "no Stop for st4"
assert_eq "st4's Stop: Acct-Terminate-Cause" Idle-Timeout "$(stop_cause st4)"
lac_stop d7

step "7. counters"
rl_ctr c7
req=$(rl_delta c0 c7 radius.dae_requests)
acks=$(rl_delta c0 c7 radius.dae_acks)
naks=$(rl_delta c0 c7 radius.dae_naks)
bad=$(rl_delta c0 c7 radius.dae_bad)
# each answer was checked where it was asked for
assert_ge "radius.dae_acks" 8 "$acks"
assert_ge "radius.dae_naks" 8 "$naks"
assert_eq "radius.dae_bad" 1 "$bad"
assert_eq "radius.dae_requests = acks + naks + bad" $((acks + naks + bad)) "$req"
assert_eq "radius.acct_dropped" 0 "$(rl_get c7 radius.acct_dropped)"
lnsd_stop TERM 5000 || true
assert_eq "lnsd exit status" 0 "${LNSD_EXIT:-none}"
t_finish
