#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# RADIUS failover: two private FreeRADIUS instances in lnsd's namespace,
# primary "p" (127.0.0.1:1812/1813, priority 1) and secondary "s"
# (:11812/11813, priority 2); lnsd: timeout 500 ms, 2 tries, dead time 30 s.
#
#  1. Both up: Accounting-On and f1's Start land on p only; f1 authenticated
#     by p.
#  2. p stopped. f2 authenticates: p does not answer its 2 tries, the request
#     fails over to s (failovers grows, s logs "Login OK"), f2 comes up, its
#     Start lands on s. f1 hangs up: its Stop lands on s, without delay (p is
#     dead by then, so s is asked first).
#  3. s stopped too, f2 still up. A subscriber cannot authenticate (no server
#     answers: auth_failed). f2 hangs up: its Stop waits (radius.queued > 0,
#     no Accounting-Response); s comes back: the Stop is delivered, once,
#     with Acct-Delay-Time > 0, and nothing is queued any more.
#  4. No record lost, none doubled: every session has exactly one Start and
#     one Stop in the union of both detail files, with the same
#     Acct-Session-Id; acct_dropped 0.
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

P=$T_OUT/radius-p
S=$T_OUT/radius-s
rl_instance "$P" p auth=1812 acct=1813
rl_instance "$S" s auth=11812 acct=11813
radius_start_ns "$NS_LNS" "$P"
radius_start_ns "$NS_LNS" "$S"
rl_lnsd main

# sel USER STATUS: jq selection of USER's STATUS record
sel() { printf 'select(."User-Name" == "%s" and ."Acct-Status-Type" == "%s")' "$1" "$2"; }
# where USER STATUS: the names of the instances that have USER's STATUS record
where() { rl_pick "$(sel "$1" "$2") | ._server" "$P" "$S" | tr -d '"' | paste -sd ' '; }

step "1. both servers up: the primary gets everything"
rl_wait_rec 5 "Accounting-On" 'select(."Acct-Status-Type" == "Accounting-On")' "$P" "$S" ||
	fail "no Accounting-On"
assert_eq "Accounting-On: where" p "$(rl_pick 'select(."Acct-Status-Type" == "Accounting-On") | ._server' "$P" "$S" | tr -d '"')"
rl_up f1 plain pw pap || fail "f1 (plain) not up"
rl_wait_rec 5 "f1's Start" "$(sel plain Start)" "$P" "$S" || fail "no Start for f1"
assert_eq "f1's Start: where" p "$(where plain Start)"
assert_match "p authenticated f1" 'Login OK: \[plain\]' "$(cat "$P/radius.log")"
rl_ctr c1
assert_eq "radius.failovers" 0 "$(rl_get c1 radius.failovers)"

step "2. the primary stopped: authentication and accounting fail over"
radius_stop "$P"
t0=$(now_ms)
if rl_up f2 plain2 pw chap; then
	ok "f2 (plain2) up $(($(now_ms) - t0)) ms after starting, through s"
else
	fail "f2 (plain2) not up: $(tail -n 3 "${LAC_LOG[f2]}" | tr '\n' ' ')"
fi
assert_match "s authenticated f2" 'Login OK: \[plain2\]' "$(cat "$S/radius.log")"
rl_wait_rec 5 "f2's Start" "$(sel plain2 Start)" "$P" "$S" || fail "no Start for f2"
assert_eq "f2's Start: where" s "$(where plain2 Start)"
rl_ctr c2
assert_ge "radius.failovers increase (f2's Access-Request and its Start)" 2 "$(rl_delta c1 c2 radius.failovers)"
assert_ge "radius.retransmits increase" 2 "$(rl_delta c1 c2 radius.retransmits)"
assert_eq "radius.auth_accepts increase" 1 "$(rl_delta c1 c2 radius.auth_accepts)"
assert_eq "radius.auth_failed increase" 0 "$(rl_delta c1 c2 radius.auth_failed)"
assert_match "lnsd logged the failover" 'RADIUS authentication server 0 \(port 1812\) does not answer: failing over' \
	"$(cat "$T_OUT/lnsd.log")"
lac_stop f1
rl_wait_rec 8 "f1's Stop" "$(sel plain Stop)" "$P" "$S" || fail "no Stop for f1"
assert_eq "f1's Stop: where (Start on p, Stop on s)" s "$(where plain Stop)"
assert_eq "f1's Stop: Acct-Delay-Time (p known dead: s asked first)" 0 \
	"$(rl_pick "$(sel plain Stop) | .\"Acct-Delay-Time\"" "$S")"
assert_eq "f1's Stop: Acct-Terminate-Cause" '"User-Request"' "$(rl_pick "$(sel plain Stop) | .\"Acct-Terminate-Cause\"" "$S")"

step "3. both servers down: the Stop waits, then is delivered"
radius_stop "$S"
rl_ctr c3
# nobody answers an authentication now
lac_start f3 --secret "$RL_L2TP_SECRET" --user plain3 --password pw --auth pap || true
if wait_for 15 "lwIP f3: session down" rl_lac_down f3; then
	assert_match "lwIP f3: authentication failure" '^session 1 down err=PPPERR_AUTHFAIL' \
		"$(grep '^session 1 down' "${LAC_LOG[f3]}")"
else
	fail "lwIP f3 (no server answers): no 'down' line: $(tail -n 3 "${LAC_LOG[f3]}" | tr '\n' ' ')"
fi
assert_cmd "lwIP f3 was never up" bash -c "! grep -q '^session 1 up ' '${LAC_LOG[f3]}'"
rl_ctr c3a
assert_eq "radius.auth_failed increase (f3)" 1 "$(rl_delta c3 c3a radius.auth_failed)"
assert_eq "ppp.auth_failed increase (f3)" 1 "$(rl_delta c3 c3a ppp.auth_failed)"
lac_stop f3
T_HANGUP=$(now_ms)
lac_stop f2
# shellcheck disable=SC2317 # called through wait_for
queued() { rl_ctr c-q >/dev/null 2>&1 && [ "$(rl_get c-q radius.queued)" -ge 1 ] 2>/dev/null; }
if wait_for 5 "a record queued" queued; then
	ok "radius.queued: $(rl_get c-q radius.queued) with both servers down"
else
	fail "radius.queued stays 0 after f2 hung up with both servers down"
fi
# Both servers fail their tries (2 x 500 ms each): the record is parked for
# the dead time.
# shellcheck disable=SC2317 # called through wait_for
both_dead() { [ "$(grep -c 'RADIUS accounting server .* does not answer' "$T_OUT/lnsd.log")" -ge 3 ]; }
wait_for 10 "lnsd to give up on both accounting servers" both_dead ||
	fail "lnsd did not log both accounting servers dead: $(grep 'does not answer' "$T_OUT/lnsd.log" | tr '\n' ' ')"
rl_ctr c3b
assert_ge "radius.queued while both are down" 1 "$(rl_get c3b radius.queued)"
assert_eq "radius.acct_responses increase since s stopped" 0 "$(rl_delta c3 c3b radius.acct_responses)"
assert_eq "f2's Stop nowhere yet" "" "$(where plain2 Stop)"
radius_start_ns "$NS_LNS" "$S"
T_BACK=$(now_ms)
if rl_wait_rec 45 "f2's Stop on s" "$(sel plain2 Stop)" "$S"; then
	ok "f2's Stop delivered $(($(now_ms) - T_BACK)) ms after s came back, $(($(now_ms) - T_HANGUP)) ms after the hang-up"
	d=$(rl_pick "$(sel plain2 Stop) | .\"Acct-Delay-Time\"" "$S")
	assert_ge "f2's Stop: Acct-Delay-Time (s)" 1 "$d"
	assert_le "f2's Stop: Acct-Delay-Time (s), at most the time since the hang-up" \
		$(((($(now_ms) - T_HANGUP) + 999) / 1000)) "$d"
else
	fail "f2's Stop not delivered within 45 s of s coming back"
fi
# shellcheck disable=SC2317 # called through wait_for
drained() { rl_ctr c-d >/dev/null 2>&1 && [ "$(rl_get c-d radius.queued)" = 0 ]; }
wait_for 5 "radius.queued back to 0" drained || fail "radius.queued: $(rl_get c-d radius.queued) after delivery"

step "4. no record lost or doubled"
rl_ctr c4
rl_records "$P" "$S" >"$T_OUT/union.jsonl"
sed 's/^/    | /' "$T_OUT/union.jsonl" | cut -c1-220
assert_cmd "f1 (plain) and f2 (plain2): exactly one Start and one Stop each, one Acct-Session-Id" \
	"$PY" - "$T_OUT/union.jsonl" <<-'EOF'
		import json, sys
		recs = [json.loads(l) for l in open(sys.argv[1])]
		for user in ("plain", "plain2"):
		    mine = [r for r in recs if r.get("User-Name") == user]
		    kinds = sorted(r["Acct-Status-Type"] for r in mine)
		    print(user, [(r["Acct-Status-Type"], r["_server"], r.get("Acct-Delay-Time")) for r in mine])
		    assert kinds == ["Start", "Stop"], "%s: %s" % (user, kinds)
		    assert len({r["Acct-Session-Id"] for r in mine}) == 1, "%s: Acct-Session-Ids differ" % user
		assert not [r for r in recs if r.get("User-Name") == "plain3"], "plain3 was never up"
	EOF
assert_eq "radius.acct_dropped" 0 "$(rl_get c4 radius.acct_dropped)"
assert_eq "radius.acct_requests = acct_responses" "$(rl_get c4 radius.acct_requests)" "$(rl_get c4 radius.acct_responses)"
lnsd_stop TERM 5000 || true
assert_eq "lnsd exit status" 0 "${LNSD_EXIT:-none}"
t_finish
