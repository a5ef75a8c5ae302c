#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# lnsd's RADIUS accounting into a private FreeRADIUS's detail file
# (tests/netns/radius.sh), with lwIP subscribers (tests/peers/lwip-lac).
# ppp.ipv6 is off, so the only IP traffic of a session is what the test sends;
# LCP echo runs every 2 s (not IP: counted neither in octets nor in packets,
# and no activity for Idle-Timeout).
#
#  1. Accounting-On when lnsd starts.
#  2. "acct1" (reply: Framed-IP-Address 100.64.0.50, Acct-Interim-Interval 5,
#     Class "c1"): Start with the session's Acct-Session-Id (16 hex digits),
#     NAS-Port-Id "tunnel/session" as lnsctl has them, User-Name, Class,
#     Framed-IP-Address, no counters; the Acct-Session-Id is the one the
#     Access-Request carried (FreeRADIUS runs with -X). The core sends 10
#     echo requests of 128 octets (ping -s 100) and gets 10 replies: an
#     Interim-Update comes every 5 s, and the first one after the pings
#     counts exactly 10 packets and 1280 octets each way (Input: from the subscriber, Output: to it); the one
#     before them counted nothing (LCP echo is not IP, not counted).
#     lwIP hangs up (SIGTERM: LCP Terminate-Request): Stop, User-Request, the
#     same exact counters, Acct-Session-Time >= the last Interim's. Every
#     record of the session has the same Acct-Session-Id, Class, address.
#  3. Session-Timeout = 5 ("st5"): the session ends 5 s after it came up
#     (lwIP gets a CDN), Stop with Acct-Terminate-Cause Session-Timeout.
#     Idle-Timeout = 3 ("idle3"), no traffic: ends after 3 s, Idle-Timeout.
#  4. 20 subscribers at once (one lwip-lac): 20 Starts and 20 Stops, distinct
#     Acct-Session-Ids, addresses and NAS-Port-Ids.
#  5. lnsd stopped (SIGTERM) with "live1" still up: its Stop (Admin-Reboot),
#     then Accounting-Off, both delivered before lnsd exits.
#  6. Counters: acct_requests = acct_responses = the records in the detail
#     file, nothing dropped, nothing retransmitted, nothing queued.
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
acct_users() {
	radius_user "$1" acct1 pw "Framed-IP-Address = $RL_FIXED" 'Acct-Interim-Interval = 5' 'Class = "c1"'
	radius_user "$1" st5 pw 'Session-Timeout = 5' 'Class = "st"'
	radius_user "$1" idle3 pw 'Idle-Timeout = 3'
	radius_user "$1" live1 pw
	for i in $(seq 1 20); do radius_user "$1" "m$i" pw; done
}
RL_EXTRA_USERS=acct_users
# LCP echo every 2 s: PPP traffic that is not IP, counted nowhere, and no
# activity for Idle-Timeout
RL_PPP="{lcp-echo-interval: 2, ipv6: false}"
R=$T_OUT/radius-main
rl_instance "$R" main
RADIUS_DEBUG=1 radius_start_ns "$NS_LNS" "$R" # -X: the Access-Requests in its log
rl_lnsd main

# recs JQ-SELECT: the records of R matching the select expression
recs() { rl_pick "select($1)" "$R"; }
# field JSON NAME
field() { jq -r --arg k "$2" '.[$k] // "none" | tostring' <<<"$1"; }
# of_user USER STATUS: jq selection
of_user() { printf '."User-Name" == "%s" and ."Acct-Status-Type" == "%s"' "$1" "$2"; }

step "1. Accounting-On at start"
if rl_wait_rec 5 "Accounting-On" 'select(."Acct-Status-Type" == "Accounting-On")' "$R"; then
	on=$(recs '."Acct-Status-Type" == "Accounting-On"' | head -n 1)
	ok "Accounting-On: $on"
	assert_eq "Accounting-On: NAS-Identifier (l2tp.host-name)" lns "$(field "$on" NAS-Identifier)"
	assert_eq "Accounting-On: no Acct-Session-Id" none "$(field "$on" Acct-Session-Id)"
else
	fail "no Accounting-On in the detail file"
fi

step "2. Start, Interim-Update, Stop of acct1; exact traffic counts"
# the timeouts of step 3 run meanwhile
rl_up st5 st5 pw chap || fail "st5 not up"
rl_up idle3 idle3 pw mschapv2 || fail "idle3 not up"
T0=$(now_ms)
rl_up acct1 acct1 pw pap || fail "acct1 not up: $(tail -n 3 "${LAC_LOG[acct1]}" | tr '\n' ' ')"
rl_ctr c-acct1-up
TID=$(rl_sess acct1 tunnel_id)
SID=$(rl_sess acct1 session_id)
if rl_wait_rec 5 "acct1's Start" "select($(of_user acct1 Start))" "$R"; then
	start=$(recs "$(of_user acct1 Start)")
	say "Start: $start"
	ASID=$(field "$start" Acct-Session-Id)
	assert_match "Start: Acct-Session-Id is 16 hex digits" '^[0-9A-Fa-f]{16}$' "$ASID"
	assert_eq "Start: Acct-Session-Id, the one of acct1's Access-Request" "\"$ASID\"" \
		"$(rl_attr "$(rl_access_request "$R" acct1)" Acct-Session-Id)"
	assert_eq "Start: Acct-Session-Id, lnsctl's acct_session_id of acct1" "$ASID" "$(rl_sess acct1 acct_session_id)"
	assert_eq "Start: NAS-Port-Id (lnsctl's tunnel/session)" "$TID/$SID" "$(field "$start" NAS-Port-Id)"
	assert_eq "Start: NAS-Port (tunnel << 16 | session)" $((TID * 65536 + SID)) "$(field "$start" NAS-Port)"
	assert_eq "Start: Framed-IP-Address" "$RL_FIXED" "$(field "$start" Framed-IP-Address)"
	assert_eq "Start: Class (c1)" 0x6331 "$(field "$start" Class)"
	assert_eq "Start: NAS-Port-Type" Virtual "$(field "$start" NAS-Port-Type)"
	assert_eq "Start: Acct-Delay-Time" 0 "$(field "$start" Acct-Delay-Time)"
	assert_eq "Start: no Acct-Input-Octets" none "$(field "$start" Acct-Input-Octets)"
	assert_eq "Start: NAS-IP-Address (the tunnel's LNS address)" "$LNS_ACC4" "$(field "$start" NAS-IP-Address)"
else
	fail "no Start for acct1"
	ASID=none
fi
# An Interim-Update before the pings: nothing counted (LCP echo is not IP)
if rl_wait_rec 10 "an Interim-Update of acct1" "select($(of_user acct1 Interim-Update))" "$R"; then
	i0=$(recs "$(of_user acct1 Interim-Update)" | head -n 1)
	say "first Interim-Update: $i0"
	for k in Acct-Input-Octets Acct-Output-Octets Acct-Input-Packets Acct-Output-Packets; do
		assert_eq "first Interim-Update (no traffic yet): $k" 0 "$(field "$i0" "$k")"
	done
else
	fail "no Interim-Update for acct1 within 10 s"
fi
# (ping_from has no size argument: ping by hand)
out=$(ip netns exec "$NS_CORE" ping -c 10 -s 100 -i 0.2 -W 2 "$RL_FIXED" 2>&1) || true
printf '%s\n' "$out" >"$T_OUT/ping-acct1.log"
assert_match "10 echo requests of 100 data octets (128-octet IP packets) answered" \
	'10 packets transmitted, 10 received' "$out"
assert_match "ping: 108 octets of ICMP each (128 with the IP header)" '^108 bytes from' "$(grep -m1 'bytes from' <<<"$out")"
PINGS=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' <<<"$out")
REPLIES=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' <<<"$out")
WANT_IN=$((REPLIES * 128)) WANT_OUT=$((PINGS * 128))
# the first Interim-Update made after the pings ended
# shellcheck disable=SC2317 # called through wait_for
n_interims() { [ "$(recs "$(of_user acct1 Interim-Update)" | wc -l)" -gt "$1" ]; }
NI=$(recs "$(of_user acct1 Interim-Update)" | wc -l)
if wait_for 12 "an Interim-Update after the pings" n_interims "$NI"; then
	i1=$(recs "$(of_user acct1 Interim-Update)" | sed -n "$((NI + 1))p")
	say "Interim-Update after the pings: $i1"
	assert_eq "Interim: Acct-Output-Packets (echo requests to the subscriber)" "$PINGS" "$(field "$i1" Acct-Output-Packets)"
	assert_eq "Interim: Acct-Input-Packets (echo replies from it)" "$REPLIES" "$(field "$i1" Acct-Input-Packets)"
	assert_eq "Interim: Acct-Output-Octets ($PINGS x 128)" "$WANT_OUT" "$(field "$i1" Acct-Output-Octets)"
	assert_eq "Interim: Acct-Input-Octets ($REPLIES x 128)" "$WANT_IN" "$(field "$i1" Acct-Input-Octets)"
else
	fail "no Interim-Update with traffic within 12 s"
fi
rl_ctr c-acct1-end
assert_ge "ppp.rx_frames increase while acct1 was up (LCP echo replies at least)" 4 \
	"$(rl_delta c-acct1-up c-acct1-end ppp.rx_frames)"
lac_stop acct1
if rl_wait_rec 8 "acct1's Stop" "select($(of_user acct1 Stop))" "$R"; then
	stop=$(recs "$(of_user acct1 Stop)")
	say "Stop: $stop"
	assert_eq "Stop: Acct-Terminate-Cause" User-Request "$(field "$stop" Acct-Terminate-Cause)"
	assert_eq "Stop: Acct-Output-Packets" "$PINGS" "$(field "$stop" Acct-Output-Packets)"
	assert_eq "Stop: Acct-Input-Packets" "$REPLIES" "$(field "$stop" Acct-Input-Packets)"
	assert_eq "Stop: Acct-Output-Octets" "$WANT_OUT" "$(field "$stop" Acct-Output-Octets)"
	assert_eq "Stop: Acct-Input-Octets" "$WANT_IN" "$(field "$stop" Acct-Input-Octets)"
	assert_eq "Stop: Acct-Delay-Time" 0 "$(field "$stop" Acct-Delay-Time)"
	assert_eq "Stop: no Gigawords" "none none" "$(field "$stop" Acct-Input-Gigawords) $(field "$stop" Acct-Output-Gigawords)"
	up_s=$(($(now_ms) - T0))
	assert_le "Stop: Acct-Session-Time (s) at most the time since lwIP started" $((up_s / 1000 + 1)) "$(field "$stop" Acct-Session-Time)"
else
	fail "no Stop for acct1"
fi
rl_pick "select(.\"User-Name\" == \"acct1\")" "$R" >"$T_OUT/acct1.jsonl"
assert_cmd "acct1's records: Start, Interim-Updates 5 s apart, one Stop; one Acct-Session-Id, Class, address; counters never go down" \
	"$PY" - "$T_OUT/acct1.jsonl" "$RL_FIXED" <<-'EOF'
		import calendar, json, sys, time
		def epoch(t):  # FreeRADIUS prints Event-Timestamp as "Nov 22 2026 00:24:51 UTC"
		    return calendar.timegm(time.strptime(t, "%b %d %Y %H:%M:%S UTC"))
		recs = [json.loads(l) for l in open(sys.argv[1])]
		kinds = [r["Acct-Status-Type"] for r in recs]
		print("records:", " ".join(kinds))
		assert kinds[0] == "Start" and kinds[-1] == "Stop", kinds
		assert set(kinds[1:-1]) == {"Interim-Update"} and len(kinds) >= 4, kinds
		for k in ("Acct-Session-Id", "Class", "Framed-IP-Address", "NAS-Port-Id", "NAS-Port"):
		    vals = {str(r.get(k)) for r in recs}
		    assert len(vals) == 1, "%s differs: %s" % (k, vals)
		assert recs[0]["Framed-IP-Address"] == sys.argv[2]
		assert recs[0]["Class"] == "0x6331", recs[0]["Class"]
		last = {}
		for r in recs[1:]:
		    for k in ("Acct-Session-Time", "Acct-Input-Octets", "Acct-Output-Octets",
		              "Acct-Input-Packets", "Acct-Output-Packets"):
		        assert r[k] >= last.get(k, 0), "%s went down: %s" % (k, r)
		        last[k] = r[k]
		ts = [epoch(r["Event-Timestamp"]) for r in recs if r["Acct-Status-Type"] == "Interim-Update"]
		gaps = [b - a for a, b in zip(ts, ts[1:])]
		print("Interim-Update gaps (s):", gaps, "session times:", [r.get("Acct-Session-Time") for r in recs])
		assert all(4 <= g <= 6 for g in gaps), gaps
		st = [r["Acct-Session-Time"] for r in recs if r["Acct-Status-Type"] == "Interim-Update"]
		assert 4 <= st[0] <= 6, "first Interim-Update at Acct-Session-Time %s, not ~5" % st[0]
	EOF
assert_eq "acct1's Start, Interim-Updates and Stop: Acct-Session-Id (the Start's)" "$ASID" \
	"$(jq -r '."Acct-Session-Id"' "$T_OUT/acct1.jsonl" | sort -u | paste -sd ' ')"

step "3. Session-Timeout = 5, Idle-Timeout = 3"
if rl_wait_rec 10 "st5's Stop" "select($(of_user st5 Stop))" "$R"; then
	s=$(recs "$(of_user st5 Stop)")
	say "st5's Stop: $s"
	assert_eq "st5: Acct-Terminate-Cause" Session-Timeout "$(field "$s" Acct-Terminate-Cause)"
	t=$(field "$s" Acct-Session-Time)
	assert_ge "st5: Acct-Session-Time" 4 "$t"
	assert_le "st5: Acct-Session-Time" 6 "$t"
	assert_eq "st5: Class echoed" 0x7374 "$(field "$s" Class)"
	assert_cmd "st5: Start and Stop 4 to 6 s apart (Event-Timestamp)" "$PY" -c '
import calendar, json, sys, time
e = lambda r: calendar.timegm(time.strptime(json.loads(r)["Event-Timestamp"], "%b %d %Y %H:%M:%S UTC"))
d = e(sys.argv[2]) - e(sys.argv[1])
print(d)
sys.exit(not 4 <= d <= 6)' "$(recs "$(of_user st5 Start)")" "$s"
	assert_cmd "lwIP st5: session down (lnsd's CDN)" wait_for 5 "lwIP st5 down" rl_lac_down st5
	assert_match "lwIP st5: a CDN" '^session 1 cdn result=' "$(grep '^session 1 cdn' "${LAC_LOG[st5]}" || echo none)"
	assert_eq "st5: no session in lnsctl" 0 "$(rl_nsess st5)"
else
	fail "no Stop for st5 (Session-Timeout = 5)"
fi
if rl_wait_rec 10 "idle3's Stop" "select($(of_user idle3 Stop))" "$R"; then
	s=$(recs "$(of_user idle3 Stop)")
	say "idle3's Stop: $s"
	assert_eq "idle3: Acct-Terminate-Cause" Idle-Timeout "$(field "$s" Acct-Terminate-Cause)"
	t=$(field "$s" Acct-Session-Time)
	assert_ge "idle3: Acct-Session-Time" 3 "$t"
	assert_le "idle3: Acct-Session-Time" 5 "$t"
	assert_eq "idle3: no traffic counted" "0 0" "$(field "$s" Acct-Input-Packets) $(field "$s" Acct-Output-Packets)"
	assert_cmd "lwIP idle3: session down" wait_for 5 "lwIP idle3 down" rl_lac_down idle3
else
	fail "no Stop for idle3 (Idle-Timeout = 3)"
fi
lac_stop st5
lac_stop idle3

step "4. 20 subscribers at once (one lwip-lac, users m1..m20)"
rl_ctr c-many0
if lac_start many --secret "$RL_L2TP_SECRET" --user m --password pw --auth chap --sessions 20 --user-suffix &&
	lac_wait_up many 20 30; then
	ok "20 sessions up"
else
	fail "$(count_lines "${LAC_LOG[many]}" '^session [0-9]+ up ') of 20 sessions up"
fi
# shellcheck disable=SC2317 # called through wait_for
n_recs() { [ "$(recs "(.\"User-Name\" // \"\" | startswith(\"m\")) and .\"Acct-Status-Type\" == \"$1\"" | wc -l)" -ge "$2" ]; }
wait_for 10 "20 Starts" n_recs Start 20 || fail "not 20 Starts"
lac_stop many
wait_for 10 "20 Stops" n_recs Stop 20 || fail "not 20 Stops"
recs '(."User-Name" // "" | startswith("m"))' >"$T_OUT/many.jsonl"
assert_cmd "m1..m20: one Start and one Stop (User-Request) each, 20 distinct Acct-Session-Ids and addresses" \
	"$PY" - "$T_OUT/many.jsonl" <<-'EOF'
		import json, sys
		recs = [json.loads(l) for l in open(sys.argv[1])]
		users = ["m%d" % i for i in range(1, 21)]
		for u in users:
		    k = sorted(r["Acct-Status-Type"] for r in recs if r["User-Name"] == u)
		    assert k == ["Start", "Stop"], "%s: %s" % (u, k)
		    assert [r["Acct-Terminate-Cause"] for r in recs if r["User-Name"] == u and "Acct-Terminate-Cause" in r] == ["User-Request"], u
		assert len({r["Acct-Session-Id"] for r in recs}) == 20, "Acct-Session-Ids not distinct"
		assert len({r["Framed-IP-Address"] for r in recs}) == 20, "addresses not distinct"
		assert len({r["NAS-Port-Id"] for r in recs}) == 20, "NAS-Port-Ids not distinct"
	EOF
rl_ctr c-many1
assert_eq "radius.auth_accepts increase" 20 "$(rl_delta c-many0 c-many1 radius.auth_accepts)"
assert_eq "radius.acct_requests increase" 40 "$(rl_delta c-many0 c-many1 radius.acct_requests)"
assert_eq "radius.acct_responses increase" 40 "$(rl_delta c-many0 c-many1 radius.acct_responses)"

step "5. lnsd stopped with a session up: Stop (Admin-Reboot), then Accounting-Off"
rl_up live1 live1 pw pap || fail "live1 not up"
rl_wait_rec 5 "live1's Start" "select($(of_user live1 Start))" "$R" || fail "no Start for live1"
rl_ctr c-end
lnsd_stop TERM 5000 || true
assert_eq "lnsd exit status" 0 "${LNSD_EXIT:-none}"
rl_records "$R" >"$T_OUT/all.jsonl"
s=$(jq -c "select($(of_user live1 Stop))" "$T_OUT/all.jsonl")
assert_eq "live1's Stop: Acct-Terminate-Cause" Admin-Reboot "$(field "${s:-{\}}" Acct-Terminate-Cause)"
assert_eq "the last two records: live1's Stop, Accounting-Off" "Stop Accounting-Off" \
	"$(jq -r '."Acct-Status-Type"' "$T_OUT/all.jsonl" | tail -n 2 | paste -sd ' ')"
assert_eq "Accounting-On and -Off: one each" "1 1" \
	"$(grep -c '"Accounting-On"' "$T_OUT/all.jsonl" || true) $(grep -c '"Accounting-Off"' "$T_OUT/all.jsonl" || true)"
lac_stop live1

step "6. counters"
n=$(wc -l <"$T_OUT/all.jsonl")
assert_eq "radius.acct_requests (before the last Stop and Accounting-Off) = records - 2" $((n - 2)) "$(rl_get c-end radius.acct_requests)"
assert_eq "radius.acct_responses (before the last Stop and Accounting-Off) = records - 2" $((n - 2)) "$(rl_get c-end radius.acct_responses)"
assert_eq "radius.acct_dropped" 0 "$(rl_get c-end radius.acct_dropped)"
assert_eq "radius.retransmits" 0 "$(rl_get c-end radius.retransmits)"
assert_eq "radius.queued" 0 "$(rl_get c-end radius.queued)"
t_finish
