#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Real L2TP messages from public captures (tests/data/, README there), sent to
# lnsd from the access namespace over a UDP socket by tests/netns/l2tp_peer.py
# (an RFC 2661 control peer written independently of lnsd's codec), which
# also answers lnsd's SCCRPs with SCCCNs and closes the tunnels again.
#
#  1. BNG Blaster's SCCRQ (a commercial tester's: Host Name "BNG", Vendor
#     "RtBrick, Inc.", a Random Vector and a *hidden* Challenge). The secret it
#     was hidden under is not published, so lnsd cannot un-hide it: as
#     captured, it is counted malformed (hidden_bad_len with a secret
#     configured for the peer, hidden_no_secret without) and not answered.
#     Built from it in code: (a) without its Challenge: SCCRP with lnsd's own
#     Challenge and no Challenge Response; (b) its Challenge re-hidden under our
#     secret with the message's own Random Vector: SCCRP whose Challenge
#     Response is MD5(2 || secret || challenge); (c) the same from an address
#     no peer matches, the peer known by its Host Name "BNG" only; (d) the
#     same to a peer with hide-avps: lnsd's SCCRP hidden, our SCCCN's
#     Challenge Response hidden: the tunnel comes up authenticated with
#     hidden AVPs both ways. Each answered SCCRQ gets our SCCCN (Challenge
#     Response to lnsd's Challenge), the tunnel must be established in
#     `lnsctl show tunnels`, then our StopCCN closes it.
#  2. tcpdump's l2tp-avp-overflow.pcap: its 16 L2TP payloads (fuzzed headers:
#     T and L set but S clear, Length 514 in a 16-octet datagram, tunnel 560,
#     AVPs running past the end), as captured and in variants built here that
#     get one check further each (S set; Length right; tunnel 0; cut to 5
#     octets). The counter each must move is derived per payload from RFC 2661
#     section 3.1 and lnsd's documented check order (docs/l2tp-codec.md): the
#     worker drops < 6 octets (drop_l2tp_malformed); the control lcore counts
#     header faults by reason, control messages to a tunnel it does not have
#     (rx_unknown_tunnel), and AVP faults of tunnel-0 messages by reason.
#     Nothing is answered, lnsd keeps running.
#  3. xl2tpd's SCCRQs from the xl2tpd/l2tpns captures, after the garbage: the
#     one without a Challenge to a peer without a secret; the one with a
#     Challenge to a peer with the capture's secret, whose SCCRP's Challenge
#     Response must equal l2tpns's in the same capture. Both tunnels come up.
#  4. tshark finds nothing malformed and no warning in what lnsd sent (only
#     lnsd's packets: the replayed ones are malformed on purpose).
set -euo pipefail
# shellcheck source=tests/netns/lib.sh
. "$(dirname "$0")/lib.sh"

t_init
require_root
require_lnsd
require_cmd ethtool tcpdump tshark ping

DATA=$LNS_ROOT/tests/data
BNG=$DATA/bngblaster_fuzz_l2tp_sccrq.raw
OVERFLOW=$DATA/l2tp-avp-overflow.pcap
NOPPP=$DATA/xl2tpd-lac_l2tpns-lns_control_no-ppp.pcap
AUTH=$DATA/xl2tpd-lac_l2tpns-lns_tunnel-auth_secret-tunnelsecret.pcap
for f in "$BNG" "$OVERFLOW" "$NOPPP" "$AUTH"; do
	[ -f "$f" ] || die "missing $f"
done
SECRET=tunnelsecret # the xl2tpd/l2tpns capture's, and ours for the other peers
A_SECRET=$ACC4      # 192.0.2.10: peer "replay", secret
A_PLAIN=192.0.2.11  # peer "plain", no secret
A_HIDDEN=192.0.2.12 # peer "hidden", secret, hide-avps
A_BYNAME=192.0.2.13 # no address match: peer "bng" by Host Name
# Our challenge for the re-hidden variant (any 16 octets; here MD5("lns test"))
CHALLENGE=$("$PY" -c 'import hashlib; print(hashlib.md5(b"lns test").hexdigest())')

topo_basic
for a in $A_PLAIN $A_HIDDEN $A_BYNAME; do addr_add "$NS_ACC" "$PE_ACC" "$a/24"; done
LNS_EXTRA_CONFIG="l2tp:
  peers:
    - {name: replay, match: [\"$A_SECRET/32\"], secret: \"$SECRET\"}
    - {name: plain, match: [\"$A_PLAIN/32\"]}
    - {name: hidden, match: [\"$A_HIDDEN/32\"], secret: \"$SECRET\", hide-avps: true}
    - {name: bng, host-name: BNG, secret: \"$SECRET\"}"
config_basic "$T_OUT/lnsd.yaml"
lnsd_start "$T_OUT/lnsd.yaml"
CAP=$T_OUT/replay.pcap
capture_start replay "$NS_ACC" "$PE_ACC" udp port 1701
snap c-start show counters || die "show counters failed"

peer_py() { ip netns exec "$NS_ACC" "$PY" "$NETNS_DIR/l2tp_peer.py" "$@"; }

# check_json DESCRIPTION FILE PYTHON: PYTHON (assert statements) with r = the
# JSON in FILE, hashlib and json imported, avp(message, type) at hand; on
# failure the assertion's message (the whole output is kept in the log).
check_json() {
	local desc=$1 file=$2 code=$3 out rc=0
	out=$("$PY" -c "
import hashlib, json, sys
r = json.load(open(sys.argv[1]))
def avp(m, t):
    x = [a for a in (m or {}).get('avps', []) if a['vendor'] == 0 and a['type'] == t]
    return x[0] if x else None
$code" "$file" 2>&1) || rc=$?
	if [ "$rc" -eq 0 ]; then
		ok "$desc"
		[ -z "$out" ] || printf '%s\n' "$out" | sed 's/^/        | /'
	else
		fail "$desc: $(printf '%s\n' "$out" | tail -n 1) (${file#"$LNS_ROOT"/})"
		printf '%s\n' "$out" | tail -n 6 | sed 's/^/        | /'
	fi
}
l2tp_delta() { jdelta "$T_OUT/$1.json" "$T_OUT/$2.json" "$3"; }

# A well-formed SCCRP answering SCCRQ r['sccrq'] (RFC 2661 section 6.2), and
# our SCCCN acknowledged (a ZLB, or a message carrying the acknowledgement).
SCCRP_OK='
a = r["answer"]
assert a is not None, "no answer to the SCCRQ"
assert a.get("msg") == "SCCRP", "answer is %s" % a.get("msg")
h = a["header"]
q_tid = avp(r["sccrq"], 9)["u16"]
assert h["tid"] == q_tid and h["sid"] == 0, "header tunnel/session %d/%d, want %d/0" % (h["tid"], h["sid"], q_tid)
assert h["l"] and h["s"] and not h["o"] and h["ns"] == 0 and h["nr"] == 1, h
for t in (2, 3, 7, 9):
    assert avp(a, t) is not None and "hex" in avp(a, t), "AVP %d missing or not un-hidden: %s" % (t, avp(a, t))
assert avp(a, 2)["hex"] == "0100", "Protocol Version %s" % avp(a, 2)["hex"]
assert avp(a, 7)["str"] == "lns", "Host Name %r" % avp(a, 7).get("str")
assert avp(a, 9)["u16"] != 0, "Assigned Tunnel ID 0"
'
SCCCN_ACKED='
s = r["scccn_answer"]
assert s is not None, "SCCCN not acknowledged"
assert s["header"]["nr"] == 2, "acknowledgement Nr %s, want 2" % s["header"].get("nr")
'

# open_case NAME BIND SPORT ARGS...: l2tp_peer.py open, JSON in $T_OUT/NAME.json
open_case() {
	local name=$1 bind=$2 sport=$3
	shift 3
	peer_py open --bind "$bind" --sport "$sport" --lns "$LNS_ACC4" "$@" >"$T_OUT/$name.json" ||
		fail "$name: l2tp_peer.py open exited $?"
}
# established_case NAME AUTH HOST: the tunnel of $T_OUT/NAME.json is in
# `show tunnels`: established, authenticated AUTH, host_name HOST
established_case() {
	local tid
	tid=$(jget "$T_OUT/$1.json" lns_tid 2>/dev/null) || {
		fail "$1: no tunnel ID from lnsd"
		return 1
	}
	snap tunnels show tunnels || true
	assert_eq "$1: tunnel $tid state" established "$(jget "$T_OUT/tunnels.json" "tunnels[id=$tid].state" 2>&1)"
	assert_eq "$1: tunnel $tid authenticated" "$2" "$(jget "$T_OUT/tunnels.json" "tunnels[id=$tid].authenticated" 2>&1)"
	assert_eq "$1: tunnel $tid host_name" "$3" "$(jget "$T_OUT/tunnels.json" "tunnels[id=$tid].host_name" 2>&1)"
	assert_eq "$1: tunnel $tid peer_id" "$(jget "$T_OUT/$1.json" our_tid)" \
		"$(jget "$T_OUT/tunnels.json" "tunnels[id=$tid].peer_id" 2>&1)"
}
# stop_case NAME BIND SPORT: our StopCCN on that tunnel, acknowledged; closing
stop_case() {
	local tid our
	tid=$(jget "$T_OUT/$1.json" lns_tid 2>/dev/null) || return 0
	our=$(jget "$T_OUT/$1.json" our_tid)
	peer_py stop --bind "$2" --sport "$3" --lns "$LNS_ACC4" --tid "$tid" --our-tid "$our" --ns 2 --nr 1 \
		>"$T_OUT/$1-stop.json" || fail "$1: l2tp_peer.py stop exited $?"
	check_json "$1: our StopCCN acknowledged" "$T_OUT/$1-stop.json" '
assert r["ack"] is not None, "no ZLB for the StopCCN: %s" % r["received"]
assert r["ack"]["header"]["nr"] == 3, r["ack"]["header"]'
	snap tunnels show tunnels || true
	assert_match "$1: tunnel $tid closing (or gone)" '^(closing|)$' \
		"$(jget "$T_OUT/tunnels.json" "tunnels[id=$tid].state" 2>/dev/null || true)"
}

# ---------------------------------------------------------------------------
step "1. BNG Blaster's SCCRQ as captured: its Challenge is hidden under an unknown secret"
snap c-1 show counters
open_case bng-raw "$A_SECRET" 40001 --file "$BNG" --frame --secret "$SECRET" --timeout 1
open_case bng-raw-nosecret "$A_PLAIN" 40002 --file "$BNG" --frame --timeout 1
check_json "bng-raw: it is an SCCRQ with a hidden Challenge (decoded here)" "$T_OUT/bng-raw.json" '
q = r["sccrq"]
assert q["msg"] == "SCCRQ" and avp(q, 7)["str"] == "BNG" and avp(q, 8)["str"] == "RtBrick, Inc.", q
assert avp(q, 11)["h"] and "unhide" in avp(q, 11), avp(q, 11)'
check_json "bng-raw: lnsd does not answer it (secret configured)" "$T_OUT/bng-raw.json" 'assert r["answer"] is None and not r["received"], r["received"]'
check_json "bng-raw-nosecret: lnsd does not answer it (no secret)" "$T_OUT/bng-raw-nosecret.json" 'assert r["answer"] is None and not r["received"], r["received"]'
snap c-1b show counters
assert_eq "l2tp.malformed.hidden_bad_len increase (peer with a secret)" 1 "$(l2tp_delta c-1 c-1b l2tp.malformed.hidden_bad_len)"
assert_eq "l2tp.malformed.hidden_no_secret increase (peer without)" 1 "$(l2tp_delta c-1 c-1b l2tp.malformed.hidden_no_secret)"
assert_eq "l2tp.rx_malformed increase" 2 "$(l2tp_delta c-1 c-1b l2tp.rx_malformed)"
assert_eq "l2tp.tunnels_refused increase" 0 "$(l2tp_delta c-1 c-1b l2tp.tunnels_refused)"

step "1a. BNG Blaster's SCCRQ without its Challenge (built from it)"
open_case bng-nochal "$A_SECRET" 40003 --file "$BNG" --frame --secret "$SECRET" --drop-last-avp --scccn
check_json "bng-nochal: SCCRP" "$T_OUT/bng-nochal.json" "$SCCRP_OK"
check_json "bng-nochal: lnsd's Challenge, no Challenge Response" "$T_OUT/bng-nochal.json" '
a = r["answer"]
assert avp(r["sccrq"], 11) is None
assert avp(a, 11) is not None and len(avp(a, 11)["hex"]) == 32, "no 16-octet Challenge: %s" % avp(a, 11)
assert avp(a, 13) is None, "a Challenge Response to no Challenge"'
check_json "bng-nochal: our SCCCN acknowledged" "$T_OUT/bng-nochal.json" "$SCCCN_ACKED"
established_case bng-nochal true BNG
snap tunnels show tunnels || true
tid=$(jget "$T_OUT/bng-nochal.json" lns_tid 2>/dev/null || echo none)
assert_eq "bng-nochal: vendor" "RtBrick, Inc." "$(jget "$T_OUT/tunnels.json" "tunnels[id=$tid].vendor" 2>&1)"
stop_case bng-nochal "$A_SECRET" 40003

step "1b. BNG Blaster's SCCRQ, its Challenge re-hidden under our secret"
open_case bng-hidden "$A_SECRET" 40004 --file "$BNG" --frame --secret "$SECRET" --hide-challenge "$CHALLENGE" --scccn
check_json "bng-hidden: SCCRP" "$T_OUT/bng-hidden.json" "$SCCRP_OK"
check_json "bng-hidden: Challenge Response = MD5(2, secret, challenge)" "$T_OUT/bng-hidden.json" "
a = r['answer']
c = avp(r['sccrq'], 11)
assert c['h'] and c['hex'] == '$CHALLENGE', c
want = hashlib.md5(b'\\x02' + b'$SECRET' + bytes.fromhex('$CHALLENGE')).hexdigest()
assert r['expected_chal_resp'] == want
got = avp(a, 13)
assert got is not None, 'no Challenge Response'
assert got['hex'] == want, 'Challenge Response %s, want %s' % (got['hex'], want)
print('Challenge Response', got['hex'], '= MD5(0x02 || secret || challenge)')"
check_json "bng-hidden: our SCCCN acknowledged" "$T_OUT/bng-hidden.json" "$SCCCN_ACKED"
established_case bng-hidden true BNG
stop_case bng-hidden "$A_SECRET" 40004

step "1c. the same from an address no peer matches: the peer is known by Host Name BNG"
snap c-1c show counters
open_case bng-byname "$A_BYNAME" 40005 --file "$BNG" --frame --secret "$SECRET" --hide-challenge "$CHALLENGE" --scccn
snap c-1c2 show counters
say "counters meanwhile: rx_malformed +$(l2tp_delta c-1c c-1c2 l2tp.rx_malformed)" \
	"(hidden_no_secret +$(l2tp_delta c-1c c-1c2 l2tp.malformed.hidden_no_secret))," \
	"tunnels_refused +$(l2tp_delta c-1c c-1c2 l2tp.tunnels_refused)"
check_json "bng-byname: SCCRP" "$T_OUT/bng-byname.json" "$SCCRP_OK"
if [ "$(jget "$T_OUT/bng-byname.json" answer.msg 2>/dev/null)" = SCCRP ]; then
	check_json "bng-byname: Challenge Response with peer bng's secret" "$T_OUT/bng-byname.json" "
assert avp(r['answer'], 13)['hex'] == r['expected_chal_resp'], avp(r['answer'], 13)"
	check_json "bng-byname: our SCCCN acknowledged" "$T_OUT/bng-byname.json" "$SCCCN_ACKED"
	established_case bng-byname true BNG
	stop_case bng-byname "$A_BYNAME" 40005
fi

step "1d. hidden AVPs both ways (peer with hide-avps)"
open_case bng-hideavps "$A_HIDDEN" 40006 --file "$BNG" --frame --secret "$SECRET" --hide-challenge "$CHALLENGE" \
	--scccn --scccn-hidden
check_json "bng-hideavps: SCCRP (hidden AVPs un-hidden here)" "$T_OUT/bng-hideavps.json" "$SCCRP_OK"
check_json "bng-hideavps: lnsd hid what it may, nothing it must not" "$T_OUT/bng-hideavps.json" '
a = r["answer"]
hidden = sorted(x["type"] for x in a["avps"] if x["h"])
print("hidden AVP types:", hidden)
for t in (3, 9, 11, 13):
    assert avp(a, t)["h"], "AVP %d in clear" % t
for t in (0, 2, 7, 10, 36):
    assert avp(a, t) is None or not avp(a, t)["h"], "AVP %d hidden" % t
assert a["avps"][1]["type"] == 36, "no Random Vector before the hidden AVPs"
for x in a["avps"]:
    assert "unhide" not in x, x
assert avp(a, 13)["hex"] == r["expected_chal_resp"], avp(a, 13)'
check_json "bng-hideavps: our SCCCN's Challenge Response went hidden" "$T_OUT/bng-hideavps.json" '
assert avp(r["scccn"], 13)["h"], r["scccn"]'
check_json "bng-hideavps: our SCCCN acknowledged" "$T_OUT/bng-hideavps.json" "$SCCCN_ACKED"
established_case bng-hideavps true BNG
stop_case bng-hideavps "$A_HIDDEN" 40006

# ---------------------------------------------------------------------------
step "2. tcpdump's malformed L2TP payloads, as captured and in variants"
peer_py payloads "$OVERFLOW" >"$T_OUT/overflow-payloads.json"
# plan.json: every payload to send, with the counter it must move (see the top)
"$PY" - "$T_OUT/overflow-payloads.json" "$NETNS_DIR" >"$T_OUT/overflow-plan.json" <<-'EOF'
	import json, struct, sys
	sys.path.insert(0, sys.argv[2])
	from l2tp_peer import parse_header, walk_avps
	pls = [bytes.fromhex(p["hex"]) for p in json.load(open(sys.argv[1]))["payloads"]]

	def expect(d):
	    """The counter lnsd must move for datagram D (RFC 2661 3.1; docs/l2tp-codec.md order)."""
	    if len(d) < 6:
	        return "total.drop_l2tp_malformed"          # the worker's minimum
	    h = parse_header(d)
	    if h["ver"] != 2:
	        return "l2tp.malformed.bad_version"
	    if not h["t"]:
	        return None                                 # data: not in this capture
	    if not (h["l"] and h["s"]) or h["o"]:
	        return "l2tp.malformed.ctrl_flags"
	    if "error" in h or h["hdr_len"] > len(d):
	        return "l2tp.malformed.truncated"
	    if h["length"] > len(d):
	        return "l2tp.malformed.bad_length"
	    if h["length"] < h["hdr_len"]:
	        return "l2tp.malformed.short_length"
	    if h["tid"] != 0:
	        return "l2tp.rx_unknown_tunnel"             # not parsed further
	    try:
	        walk_avps(d, h["hdr_len"], h["length"])
	    except ValueError as e:
	        return "l2tp.malformed." + str(e)
	    return None                                     # well-formed: not in this plan

	def variants(d):
	    s = bytes([d[0] | 0x08]) + d[1:]                       # S set
	    fixed = s[:2] + struct.pack(">H", len(s)) + s[4:]       # and Length = the datagram
	    tid0 = fixed[:4] + b"\0\0" + fixed[6:]                  # and tunnel 0
	    return [("as captured", d), ("S set", s), ("S set, Length right", fixed),
	            ("S set, Length right, tunnel 0", tid0), ("first 5 octets", d[:5])]

	plan = []
	for i, d in enumerate(pls):
	    for name, v in variants(d):
	        plan.append({"payload": i, "variant": name, "hex": v.hex(), "expect": expect(v)})
	json.dump({"count": len(pls), "plan": plan}, sys.stdout)
EOF
assert_eq "L2TP payloads in l2tp-avp-overflow.pcap" 16 "$(jget "$T_OUT/overflow-plan.json" count)"
"$PY" - "$T_OUT/overflow-plan.json" <<-'EOF'
	import collections, json, sys
	plan = json.load(open(sys.argv[1]))["plan"]
	c = collections.Counter((p["variant"], p["expect"]) for p in plan)
	for (v, e), n in sorted(c.items(), key=str):
	    print("    %2d x %-32s -> %s" % (n, v, e))
EOF
if "$PY" -c 'import json,sys; sys.exit(any(p["expect"] is None for p in json.load(open(sys.argv[1]))["plan"]))' \
	"$T_OUT/overflow-plan.json"; then
	ok "every payload and variant has an expected counter"
else
	fail "some payloads have no expected counter (well-formed?): see $T_OUT/overflow-plan.json"
fi
snap c-2 show counters
mapfile -t HEXES < <("$PY" -c 'import json,sys; [print(p["hex"]) for p in json.load(open(sys.argv[1]))["plan"]]' "$T_OUT/overflow-plan.json")
peer_py send --bind "$A_SECRET" --sport 40010 --lns "$LNS_ACC4" --wait 0.5 "${HEXES[@]}" >"$T_OUT/overflow-sent.json" ||
	fail "l2tp_peer.py send exited $?"
check_json "no answer to any of the ${#HEXES[@]} malformed payloads" "$T_OUT/overflow-sent.json" \
	'assert r["sent"] > 0 and not r["received"], r["received"]'
declare -A WANT=()
while read -r key n; do WANT[$key]=$n; done < <("$PY" - "$T_OUT/overflow-plan.json" <<-'EOF'
	import collections, json, sys
	plan = json.load(open(sys.argv[1]))["plan"]
	c = collections.Counter(p["expect"] for p in plan)
	for k, n in c.items():
	    print(k, n)
	m = sum(n for k, n in c.items() if k.startswith("l2tp.malformed."))
	print("l2tp.rx_malformed", m)
	print("l2tp.rx_packets", sum(n for k, n in c.items() if k != "total.drop_l2tp_malformed"))
EOF
)
# shellcheck disable=SC2317 # called through wait_for
overflow_counted() {
	local k
	snap c-2b show counters || return 1
	for k in "${!WANT[@]}"; do
		[ "$(l2tp_delta c-2 c-2b "$k")" -ge "${WANT[$k]}" ] 2>/dev/null || return 1
	done
}
wait_for 5 "every malformed payload counted" overflow_counted || true
for k in $(printf '%s\n' "${!WANT[@]}" | sort); do
	assert_eq "$k increase" "${WANT[$k]}" "$(l2tp_delta c-2 c-2b "$k")"
done
for k in l2tp.rx_ctrl l2tp.tunnels_refused l2tp.stopccn_tx l2tp.fsm_error; do
	assert_eq "$k increase (nothing got further)" 0 "$(l2tp_delta c-2 c-2b "$k")"
done
assert_cmd "lnsd still running after the malformed payloads" lnsd_alive
assert_ping "$NS_ACC" "$LNS_ACC4"

# ---------------------------------------------------------------------------
step "3. xl2tpd's SCCRQs (xl2tpd/l2tpns captures), after the garbage"
peer_py payloads "$NOPPP" >"$T_OUT/noppp-payloads.json"
peer_py payloads "$AUTH" >"$T_OUT/auth-payloads.json"
NOPPP_SCCRQ=$(jget "$T_OUT/noppp-payloads.json" 'payloads[0].hex')
AUTH_SCCRQ=$(jget "$T_OUT/auth-payloads.json" 'payloads[0].hex')
# l2tpns's Challenge Response to that SCCRQ (frame 2 of the same capture)
L2TPNS_RESP=$(peer_py decode "$AUTH" | "$PY" -c '
import json, sys
m = [x for x in json.load(sys.stdin)["messages"] if x.get("msg") == "SCCRP"][0]
print([a for a in m["avps"] if a["type"] == 13][0]["hex"])')
say "l2tpns's Challenge Response in the capture: $L2TPNS_RESP"

open_case xl2tpd-noauth "$A_PLAIN" 40020 --hex "$NOPPP_SCCRQ" --scccn
check_json "xl2tpd-noauth: SCCRP" "$T_OUT/xl2tpd-noauth.json" "$SCCRP_OK"
check_json "xl2tpd-noauth: no Challenge, no Challenge Response (no secret, none asked)" "$T_OUT/xl2tpd-noauth.json" '
assert avp(r["answer"], 11) is None and avp(r["answer"], 13) is None, r["answer"]'
check_json "xl2tpd-noauth: our SCCCN acknowledged" "$T_OUT/xl2tpd-noauth.json" "$SCCCN_ACKED"
established_case xl2tpd-noauth false xl2tpd-lac
stop_case xl2tpd-noauth "$A_PLAIN" 40020

open_case xl2tpd-auth "$A_SECRET" 40021 --hex "$AUTH_SCCRQ" --secret "$SECRET" --scccn
check_json "xl2tpd-auth: SCCRP" "$T_OUT/xl2tpd-auth.json" "$SCCRP_OK"
check_json "xl2tpd-auth: Challenge Response = MD5(2, secret, challenge) = l2tpns's" "$T_OUT/xl2tpd-auth.json" "
got = avp(r['answer'], 13)
assert got is not None, 'no Challenge Response'
assert got['hex'] == r['expected_chal_resp'], 'got %s, want %s' % (got['hex'], r['expected_chal_resp'])
assert got['hex'] == '$L2TPNS_RESP', 'got %s, l2tpns sent %s' % (got['hex'], '$L2TPNS_RESP')"
check_json "xl2tpd-auth: our SCCCN acknowledged" "$T_OUT/xl2tpd-auth.json" "$SCCCN_ACKED"
established_case xl2tpd-auth true xl2tpd-lac
stop_case xl2tpd-auth "$A_SECRET" 40021

# ---------------------------------------------------------------------------
step "4. what lnsd sent decodes cleanly (tshark)"
capture_stop replay
snap c-end show counters || true
n_lns=$(tshark -r "$CAP" -d udp.port==1701,l2tp -Y "ip.src==$LNS_ACC4 && l2tp" 2>/dev/null | wc -l)
assert_ge "L2TP messages from lnsd in the capture" 10 "$n_lns"
# Only lnsd's packets: the replayed payloads are malformed on purpose.
bad=$(tshark -r "$CAP" -d udp.port==1701,l2tp -Y "ip.src==$LNS_ACC4 && (_ws.malformed || _ws.expert.severity >= warning)" 2>&1 |
	grep -v 'Running as user "root"' || true)
if [ -z "$bad" ]; then
	ok "tshark: nothing malformed, no warning in lnsd's $n_lns messages"
else
	fail "tshark flags lnsd's packets in ${CAP#"$LNS_ROOT"/}:"
	printf '%s\n' "$bad" | head -n 20 | sed 's/^/        | /'
fi
assert_cmd "lnsd still running" lnsd_alive

t_finish
