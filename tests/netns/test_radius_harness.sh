#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# The FreeRADIUS harness (tests/netns/radius.sh) proved with FreeRADIUS's own
# tools (radtest, radclient) and a hand-made client (radius/rawauth.py),
# without lnsd. In a namespace of its own:
#
#  1. Two private instances start: "a" on 127.0.0.1:1812/1813, requiring a
#     Message-Authenticator from its client and signing its answers; "b" on
#     127.0.0.1:11812/11813 requiring none and signing none, with a stand-in
#     RFC 5176 server on 13799. Neither touches /etc/freeradius.
#  2. PAP, CHAP and MS-CHAP (radtest) accepted with the user's reply
#     attributes; wrong passwords and unknown users rejected.
#  3. MS-CHAPv2 with the RFC 2759 section 9.2 values: accepted, and
#     MS-CHAP2-Success carries the authenticator response of the RFC.
#  4. Message-Authenticator: "a" drops an Access-Request without one and
#     answers one with it; "b" answers both. "a"'s answers carry a valid one
#     (checked by rawauth.py, which checks the Response Authenticator too),
#     "b"'s none.
#  5. Accounting Start, Interim-Update and Stop land in "a"'s detail file;
#     radius_detail_records gives them back with the values sent.
#  6. radius_disconnect and radius_coa against "b"'s stand-in: ACK and NAK
#     (Error-Cause) read back.
#  7. A private dictionary (radius_dictionary): a vendor attribute in a
#     reply, decoded by name. lns's own (docs/radius-dictionary), when it
#     exists, is included by the instances and radclient.
#  8. "a" stopped: it no longer answers, "b" still does; then both stopped,
#     no freeradius of this test left.
set -euo pipefail
# shellcheck source=tests/netns/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/netns/radius.sh
. "$(dirname "$0")/radius.sh"

t_init
require_root
require_radius

ns_add NS radius
A=$T_OUT/radius-a
B=$T_OUT/radius-b
SA='secret-a'
SB='s3cret "b" #2' # quoting in clients.conf and on radclient's command line

# A dictionary of this test's own: a vendor attribute for a reply.
cat >"$T_TMP/dictionary.harness" <<'EOF'
VENDOR		LNS-Harness-Test	999123
BEGIN-VENDOR	LNS-Harness-Test
ATTRIBUTE	LNS-Harness-Note	1	string
ATTRIBUTE	LNS-Harness-Level	2	integer
END-VENDOR	LNS-Harness-Test
EOF

step "1. two private FreeRADIUS instances"
radius_prepare "$A" a addr=127.0.0.1 auth=1812 acct=1813 client=127.0.0.1 secret="$SA" require_ma=yes reply_ma=yes
radius_user "$A" alice pw-alice 'Framed-IP-Address = 100.64.0.50' 'Session-Timeout = 30'
radius_user "$A" User clientPass 'Framed-IP-Address = 100.64.0.51' # RFC 2759 section 9.2
radius_user "$A" 'bob smith' 'p"w\b' 'Idle-Timeout = 600'
radius_dictionary "$A" "$T_TMP/dictionary.harness"
radius_user "$A" vera pw-vera 'LNS-Harness-Note = "hello"' 'LNS-Harness-Level = 7'
radius_prepare "$B" b auth=11812 acct=11813 da=13799 client=127.0.0.0/8 secret="$SB" require_ma=no reply_ma=no
radius_user "$B" carol pw-carol 'Framed-IP-Address = 100.64.1.7' 'Session-Timeout = 3600'

radius_start_ns "$NS" "$A"
START_A=$RADIUS_START_MS
radius_start_ns "$NS" "$B"
START_B=$RADIUS_START_MS
assert_le "ms for instance a to be ready" 5000 "$START_A"
assert_le "ms for instance b to be ready" 5000 "$START_B"
listening=$(ip netns exec "$NS" ss -Hlnu | awk '{print $4}' | sort | paste -sd' ' -)
assert_eq "UDP sockets open in $NS: exactly the listeners asked for" \
	"127.0.0.1:11812 127.0.0.1:11813 127.0.0.1:13799 127.0.0.1:1812 127.0.0.1:1813" "$listening"
assert_eq "instance a runs as root" root "$(ps -o user= -p "$(radius_pid "$A")")"
assert_match "instance a logs to its own directory" 'Ready to process requests' "$(cat "$A/radius.log")"

# expect_reply DESCRIPTION JSON CODE [EXPR=VALUE...]
expect_reply() {
	local desc=$1 json=$2 code=$3 kv
	shift 3
	assert_eq "$desc: reply" "$code" "$(radius_field "$json" code)"
	for kv in "$@"; do
		assert_eq "$desc: ${kv%%=*}" "${kv#*=}" "$(radius_field "$json" "attrs.${kv%%=*}")"
	done
}

step "2. PAP, CHAP, MS-CHAP (radtest)"
for t in pap chap mschap; do
	r=$(radius_auth "$NS" 127.0.0.1:1812 "$SA" "$t" alice pw-alice) || true
	expect_reply "$t alice" "$r" Access-Accept Framed-IP-Address=100.64.0.50 Session-Timeout=30
	r=$(radius_auth "$NS" 127.0.0.1:1812 "$SA" "$t" alice wrong) || true
	expect_reply "$t alice, wrong password" "$r" Access-Reject
done
r=$(radius_auth "$NS" 127.0.0.1:1812 "$SA" pap mallory pw-alice) || true
expect_reply "pap unknown user" "$r" Access-Reject
# radtest writes the password in quotes without escaping: radclient directly
r=$(radius_send "$NS" 127.0.0.1:1812 auth "$SA" 'User-Name = "bob smith"' 'User-Password = "p\"w\\b"' \
	'Message-Authenticator = 0x00') || true
expect_reply "pap, a name with a space, a password with a quote and a backslash" "$r" Access-Accept Idle-Timeout=600
r=$(radius_auth "$NS" 127.0.0.1:11812 "$SB" chap carol pw-carol) || true
expect_reply "chap carol at b" "$r" Access-Accept Framed-IP-Address=100.64.1.7 Session-Timeout=3600
r=$(radius_auth "$NS" 127.0.0.1:11812 "$SB" pap alice pw-alice) || true
expect_reply "alice at b (a user of a only)" "$r" Access-Reject

step "3. MS-CHAPv2, RFC 2759 section 9.2"
# radtest -t mschap sends MS-CHAP (v1): MS-CHAPv2 by hand, with the RFC's
# values: user "User", password "clientPass".
AUTH_CHALLENGE=5B5D7C7D7B3F2F3E3C2C602132262628
PEER_CHALLENGE=21402324255E262A28295F2B3A337C7E
NT_RESPONSE=82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF
# MS-CHAP2-Response: ident, flags, peer challenge, 8 reserved octets, NT-Response
r=$(radius_send "$NS" 127.0.0.1:1812 auth "$SA" 'User-Name = "User"' \
	"MS-CHAP-Challenge = 0x$AUTH_CHALLENGE" "MS-CHAP2-Response = 0x0700${PEER_CHALLENGE}0000000000000000$NT_RESPONSE" \
	'Message-Authenticator = 0x00') || true
expect_reply "MS-CHAPv2 User/clientPass" "$r" Access-Accept Framed-IP-Address=100.64.0.51
# ident 7, then "S=407A5589115FD0D6209F510FE9C04566932CDA56"
assert_eq "MS-CHAP2-Success (ident 7, the RFC's authenticator response)" \
	"0x07$(printf 'S=407A5589115FD0D6209F510FE9C04566932CDA56' | od -An -tx1 | tr -d ' \n')" \
	"$(radius_field "$r" attrs.MS-CHAP2-Success)"
assert_match "MPPE keys in the Access-Accept" '"MS-MPPE-Recv-Key": "0x[0-9a-f]{32}".*"MS-MPPE-Send-Key": "0x[0-9a-f]{32}"' "$r"
r=$(radius_send "$NS" 127.0.0.1:1812 auth "$SA" 'User-Name = "User"' \
	"MS-CHAP-Challenge = 0x$AUTH_CHALLENGE" "MS-CHAP2-Response = 0x0700${PEER_CHALLENGE}0000000000000000${NT_RESPONSE/82/83}" \
	'Message-Authenticator = 0x00') || true
expect_reply "MS-CHAPv2, a wrong NT-Response" "$r" Access-Reject
assert_match "MS-CHAP-Error E=691 in the Access-Reject" '"MS-CHAP-Error": "[^"]*E=691' "$r"

step "4. Message-Authenticator"
RADIUS_TIMEOUT=1 RADIUS_RETRIES=1
r=$(radius_send "$NS" 127.0.0.1:1812 auth "$SA" 'User-Name = "alice"' 'User-Password = "pw-alice"') || true
expect_reply "a: an Access-Request without Message-Authenticator" "$r" null
r=$(radius_send "$NS" 127.0.0.1:1812 auth "$SA" 'User-Name = "alice"' 'User-Password = "pw-alice"' 'Message-Authenticator = 0x00') || true
expect_reply "a: the same with Message-Authenticator" "$r" Access-Accept
r=$(radius_send "$NS" 127.0.0.1:11812 auth "$SB" 'User-Name = "carol"' 'User-Password = "pw-carol"') || true
expect_reply "b: an Access-Request without Message-Authenticator" "$r" Access-Accept
RADIUS_TIMEOUT=1 RADIUS_RETRIES=2
# rawauth CHECK... : what a RADIUS client sees, checked by hand
raw() { ip netns exec "$NS" "$PY" "$RADIUS_TPL/rawauth.py" "$@" --timeout 1; }
r=$(raw 127.0.0.1 1812 "$SA" alice pw-alice --ma)
assert_eq "a, raw: Access-Accept (2)" 2 "$(radius_field "$r" code)"
assert_eq "a, raw: Response Authenticator valid" true "$(radius_field "$r" resp_auth_ok)"
assert_eq "a, raw: Message-Authenticator in the Access-Accept" valid "$(radius_field "$r" ma)"
r=$(raw 127.0.0.1 1812 "$SA" alice wrong --ma)
assert_eq "a, raw: Access-Reject (3)" 3 "$(radius_field "$r" code)"
assert_eq "a, raw: Message-Authenticator in the Access-Reject" valid "$(radius_field "$r" ma)"
r=$(raw 127.0.0.1 1812 "$SA" alice pw-alice)
assert_eq "a, raw: no answer without Message-Authenticator" null "$(radius_field "$r" code)"
r=$(raw 127.0.0.1 11812 "$SB" carol pw-carol --ma)
assert_eq "b, raw: Access-Accept (2)" 2 "$(radius_field "$r" code)"
assert_eq "b, raw: Response Authenticator valid" true "$(radius_field "$r" resp_auth_ok)"
assert_eq "b, raw: no Message-Authenticator in the answer, though the request had one" absent "$(radius_field "$r" ma)"
r=$(radius_send "$NS" 127.0.0.1:1812 status "$SA") || true
expect_reply "a: Status-Server" "$r" Access-Accept
r=$(radius_send "$NS" 127.0.0.1:11812 status "$SB") || true
expect_reply "b: Status-Server" "$r" Access-Accept

step "5. accounting into the detail file"
acct() { radius_send "$NS" 127.0.0.1:1813 acct "$SA" "$@" >/dev/null || fail "no Accounting-Response to $1"; }
COMMON=('User-Name = "alice"' 'Acct-Session-Id = "0a1b2c3d"' 'NAS-IP-Address = 198.51.100.1'
	'NAS-Port-Type = Virtual' 'Service-Type = Framed-User' 'Framed-Protocol = PPP'
	'Framed-IP-Address = 100.64.0.50')
acct 'Acct-Status-Type = Start' "${COMMON[@]}" 'Acct-Delay-Time = 0'
acct 'Acct-Status-Type = Interim-Update' "${COMMON[@]}" 'Acct-Session-Time = 60' \
	'Acct-Input-Octets = 1000' 'Acct-Output-Octets = 2000' 'Acct-Input-Packets = 10' \
	'Acct-Output-Packets = 20' 'Acct-Delay-Time = 2'
acct 'Acct-Status-Type = Stop' "${COMMON[@]}" 'Acct-Session-Time = 120' \
	'Acct-Input-Octets = 5000' 'Acct-Output-Octets = 7' 'Acct-Input-Gigawords = 1' \
	'Acct-Output-Gigawords = 4294967295' 'Acct-Input-Packets = 50' 'Acct-Output-Packets = 60' \
	'Acct-Terminate-Cause = User-Request' 'Acct-Delay-Time = 0'
radius_detail_records "$A" >"$T_OUT/detail-a.jsonl"
sed 's/^/    | /' "$T_OUT/detail-a.jsonl"
assert_eq "records in a's detail file" 3 "$(wc -l <"$T_OUT/detail-a.jsonl")"
assert_cmd "the records hold the values sent" "$PY" - "$T_OUT/detail-a.jsonl" <<-'EOF'
	import json, sys
	recs = [json.loads(l) for l in open(sys.argv[1])]
	want = [
	    {"Acct-Status-Type": "Start", "Acct-Delay-Time": 0},
	    {"Acct-Status-Type": "Interim-Update", "Acct-Session-Time": 60, "Acct-Input-Octets": 1000,
	     "Acct-Output-Octets": 2000, "Acct-Input-Packets": 10, "Acct-Output-Packets": 20, "Acct-Delay-Time": 2},
	    {"Acct-Status-Type": "Stop", "Acct-Session-Time": 120, "Acct-Input-Octets": 5000,
	     "Acct-Output-Octets": 7, "Acct-Input-Gigawords": 1, "Acct-Output-Gigawords": 4294967295,
	     "Acct-Input-Packets": 50, "Acct-Output-Packets": 60, "Acct-Terminate-Cause": "User-Request",
	     "Acct-Delay-Time": 0},
	]
	common = {"User-Name": "alice", "Acct-Session-Id": "0a1b2c3d", "NAS-IP-Address": "198.51.100.1",
	          "NAS-Port-Type": "Virtual", "Service-Type": "Framed-User", "Framed-Protocol": "PPP",
	          "Framed-IP-Address": "100.64.0.50"}
	for i, (r, w) in enumerate(zip(recs, want)):
	    for k, v in list(w.items()) + list(common.items()):
	        assert r.get(k) == v, "record %d: %s = %r, expected %r" % (i, k, r.get(k), v)
	    assert isinstance(r.get("Timestamp"), int), "record %d: no Timestamp" % i
	    assert r.get("_header"), "record %d: no header" % i
	# FreeRADIUS's acct_unique: one Acct-Unique-Session-Id for the session
	assert len({r["Acct-Unique-Session-Id"] for r in recs}) == 1, "Acct-Unique-Session-Id differs"
	assert "Acct-Session-Time" not in recs[0]
EOF
assert_eq "radius_detail_json: the Stop's Acct-Input-Gigawords" 1 \
	"$(radius_detail_json "$A" | jget - '[2].Acct-Input-Gigawords')"
assert_eq "b's detail file: nothing" "" "$(radius_detail_records "$B")"

step "6. radius_disconnect and radius_coa (b's stand-in RFC 5176 server)"
r=$(radius_disconnect "$NS" 127.0.0.1:13799 "$SB" 'Acct-Session-Id = "0a1b2c3d"' 'User-Name = "alice"') || true
expect_reply "Disconnect-Request for a session" "$r" Disconnect-ACK
r=$(radius_disconnect "$NS" 127.0.0.1:13799 "$SB" 'Acct-Session-Id = "nosuch-1"') || true
expect_reply "Disconnect-Request for no session" "$r" Disconnect-NAK Error-Cause=Session-Context-Not-Found
r=$(radius_coa "$NS" 127.0.0.1:13799 "$SB" 'Acct-Session-Id = "0a1b2c3d"' 'Session-Timeout = 60' \
	'Message-Authenticator = 0x00') || true
expect_reply "CoA-Request (signed)" "$r" CoA-ACK
r=$(radius_coa "$NS" 127.0.0.1:13799 "$SB" 'Session-Timeout = 60') || true
expect_reply "CoA-Request without a session" "$r" CoA-NAK Error-Cause=Session-Context-Not-Found
r=$(RADIUS_TIMEOUT=1 RADIUS_RETRIES=1 radius_coa "$NS" 127.0.0.1:13799 wrong-secret 'Acct-Session-Id = "0a1b2c3d"') || true
expect_reply "CoA-Request with a wrong secret: no answer" "$r" null

step "7. dictionaries"
if [ -f "$RADIUS_LNS_DICT" ]; then
	assert_cmd "lns's dictionary included by a and by radclient" \
		grep -qxF "\$INCLUDE $RADIUS_LNS_DICT" "$A/dictionary" "$(radius_client_dir)/dictionary"
fi
r=$(radius_auth "$NS" 127.0.0.1:1812 "$SA" pap vera pw-vera) || true
expect_reply "vera: vendor attributes decoded by name" "$r" Access-Accept LNS-Harness-Note=hello LNS-Harness-Level=7

step "8. stopping"
PID_A=$(radius_pid "$A")
radius_stop "$A"
assert_cmd "a's freeradius (pid $PID_A) is gone" bash -c "! kill -0 $PID_A 2>/dev/null"
r=$(RADIUS_TIMEOUT=1 RADIUS_RETRIES=1 radius_send "$NS" 127.0.0.1:1812 auth "$SA" 'User-Name = "alice"' \
	'User-Password = "pw-alice"' 'Message-Authenticator = 0x00') || true
expect_reply "a no longer answers" "$r" null
r=$(radius_auth "$NS" 127.0.0.1:11812 "$SB" pap carol pw-carol) || true
expect_reply "b still answers" "$r" Access-Accept Framed-IP-Address=100.64.1.7
assert_cmd "b is running" radius_running "$B"
PID_B=$(radius_pid "$B")
radius_stop_all
assert_cmd "b's freeradius (pid $PID_B) is gone" bash -c "! kill -0 $PID_B 2>/dev/null"
assert_eq "UDP sockets left open in $NS" "" "$(ip netns exec "$NS" ss -Hlnu)"
assert_match "a logged its exit" 'Exiting normally' "$(cat "$A/radius.log")"

t_finish
