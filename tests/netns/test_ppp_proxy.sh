#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Proxy LCP and proxy authentication (RFC 2661 section 4.4.5): a LAC that
# negotiated LCP with the client and authenticated it already hands both to
# the LNS in its ICCN. tests/netns/ppp_proxy.py plays LAC and client from the
# access namespace (its own L2TP and PPP, written from the RFCs): it opens a
# tunnel (tunnel authentication with the secret) and a call, sends the ICCN
# with the proxy AVPs below, then records what lnsd sends on the call and
# answers as the client would (LCP echo, IPCP, ICMP echo).
#
# lnsd: ppp.auth [chap-md5, pap] (MS-CHAPv2 not allowed), proxy-lcp and
# proxy-auth on, no IPv6CP, LCP echo every second.
#
# The proxied LCP: the client asked for MRU 1492 and a magic number (Initial
# and Last Received LCP CONFREQ); the LAC asked for an authentication protocol
# and its own magic number (Last Sent LCP CONFREQ). Values are the LCP
# Configure-Request's options without the LCP header, as lnsd's
# cp/ppp_lcp.c:ppp_lcp_proxy reads them.
#
#  1. proxy LCP (LAC asked PAP) and proxy PAP, right password: lnsd sends no
#     LCP Configure-Request; its first PPP frame is a PAP Authenticate-Ack
#     carrying the proxied ID, then an IPCP Configure-Request; its LCP
#     Echo-Requests carry the LAC's magic number (the LCP it took over).
#     proxy_lcp_accepted, proxy_auth_accepted, auth_ok grow. The client
#     completes IPCP: the session is up in lnsctl (pap, the user, the address
#     IPCP gave) and the core pings the client through lnsd.
#  2. the same with CHAP-MD5 (response MD5(id || password || challenge)): CHAP
#     Success with the proxied ID, no Challenge of lnsd's own; up as chap-md5.
#  3. refused proxy LCP: the LAC asked for MS-CHAPv2, which ppp.auth does not
#     allow: lnsd renegotiates (its own LCP Configure-Request, asking for
#     CHAP-MD5), proxy_lcp_renegotiated grows, no authentication verdict.
#  3b. refused proxy LCP: the client asked for MRU 64, which lnsd would have
#     Nak'ed: renegotiated likewise.
#  4. proxy PAP with a wrong password: PAP Authenticate-Nak with the proxied
#     ID, then a CDN (result 2, general error); auth_failed grows, the session
#     is gone.
#  5. tshark finds nothing malformed and no warning in what lnsd sent.
set -euo pipefail
# shellcheck source=tests/netns/lib.sh
. "$(dirname "$0")/lib.sh"

t_init
require_root
require_lnsd
require_cmd ethtool ping tcpdump tshark

SECRET=s
POOL=100.64.0.0/24
CLIENT_MAGIC=1a2b3c4d
LAC_MAGIC=5e6f7081
LCP_CLIENT=010405d40506$CLIENT_MAGIC # MRU 1492, Magic-Number
LCP_LAC_PAP=0304c0230506$LAC_MAGIC   # Authentication-Protocol PAP, Magic-Number
LCP_LAC_CHAP=0305c223050506$LAC_MAGIC # CHAP with MD5
LCP_LAC_MSV2=0305c223810506$LAC_MAGIC # CHAP with MS-CHAPv2
LCP_CLIENT_MRU64=010400400506$CLIENT_MAGIC

topo_basic
LNS_EXTRA_CONFIG="l2tp:
  peers:
    - {name: lac1, match: [\"192.0.2.0/24\"], secret: $SECRET}
ppp: {auth: [chap-md5, pap], lcp-echo-interval: 1, lcp-echo-failures: 3, ipv6: false, proxy-lcp: true, proxy-auth: true}
pools:
  - {name: default, ranges: [\"$POOL\"]}
users:
  - {name: u, password: p, pool: default}"
config_basic "$T_OUT/lnsd.yaml"
lnsd_start "$T_OUT/lnsd.yaml"
ip -n "$NS_CORE" route add "$POOL" via "$LNS_CORE4"
CAP=$T_OUT/proxy.pcap
capture_start proxy "$NS_ACC" "$PE_ACC" udp port 1701

# proxy NAME ARGS...: ppp_proxy.py in the access namespace from $ACC4,
# JSON in $T_OUT/proxy-NAME.json. With --release it runs in the background
# (PROXY_PID) until release NAME.
PROXY_PID=
proxy() {
	local name=$1
	shift
	say "ppp_proxy.py $name: $*"
	rm -f "$T_OUT/proxy-$name.json" "$T_TMP/release-$name"
	if [[ " $* " == *" --release "* ]]; then
		ip netns exec "$NS_ACC" "$PY" "$NETNS_DIR/ppp_proxy.py" --bind "$ACC4" --lns "$LNS_ACC4" --secret "$SECRET" \
			--out "$T_OUT/proxy-$name.json" "$@" >"$T_OUT/proxy-$name.log" 2>&1 &
		PROXY_PID=$!
		proc_record "$PROXY_PID" python3
	else
		ip netns exec "$NS_ACC" "$PY" "$NETNS_DIR/ppp_proxy.py" --bind "$ACC4" --lns "$LNS_ACC4" --secret "$SECRET" \
			--out "$T_OUT/proxy-$name.json" "$@" >"$T_OUT/proxy-$name.log" 2>&1 ||
			fail "ppp_proxy.py $name exited $?: $(tail -n 3 "$T_OUT/proxy-$name.log")"
	fi
}
# shellcheck disable=SC2317 # called through wait_for
proxy_phase() { grep -q "\"phase\": \"$2\"" "$T_OUT/proxy-$1.json" 2>/dev/null; }
release() {
	touch "$T_TMP/release-$1"
	wait_for 8 "ppp_proxy.py $1 done" proxy_phase "$1" "done" || fail "ppp_proxy.py $1 did not finish"
	wait "$PROXY_PID" 2>/dev/null || true
}
# pcheck NAME DESCRIPTION: the Python assertions on stdin about r (the JSON),
# ppp (the PPP frames lnsd sent, in order) and first(proto, code)
pcheck() {
	local name=$1 desc=$2
	assert_cmd "$name: $desc" "$PY" -c '
import json, sys
r = json.load(open(sys.argv[1]))
ppp = [e for e in r["events"] if e["kind"] == "ppp" and e["dir"] == "rx"]
def first(proto, code=None):
    for i, e in enumerate(ppp):
        if e["proto"] == proto and (code is None or e.get("code") == code):
            return i, e
    return None, None
print("PPP from lnsd:", ", ".join("%s %s id %s" % (e["proto"], e.get("name", ""), e.get("id")) for e in ppp[:8]))
exec(sys.stdin.read())' "$T_OUT/proxy-$name.json"
}
counters_delta() { # counters_delta BEFORE KEY...: "key=delta ..." against now
	local b=$1 k
	shift
	snap c-now show counters || return 1
	for k in "$@"; do printf '%s=%s ' "$k" "$(jdelta "$T_OUT/$b.json" "$T_OUT/c-now.json" "ppp.$k")"; done
}
sel="sessions[peer=$ACC4]"

# ---------------------------------------------------------------------------
step "1. proxy LCP (PAP) and proxy PAP, right password"
snap c-1 show counters
proxy pap --lcp-initial "$LCP_CLIENT" --lcp-rx "$LCP_CLIENT" --lcp-tx "$LCP_LAC_PAP" \
	--auth-type 3 --auth-name u --auth-id 42 --password p --ipcp --until ipcp-up --wait-echo 3 \
	--release "$T_TMP/release-pap" --hold 20
if wait_for 15 "ppp_proxy.py pap: IPCP up" proxy_phase pap held; then
	pcheck pap "no LCP Configure-Request from lnsd; first its PAP Ack with the proxied ID 42, then IPCP" <<-'EOF'
		assert r["reached"] == "ipcp-up", "IPCP did not come up: %s" % r["reached"]
		i, e = first("lcp", 1)
		assert e is None, "lnsd sent an LCP Configure-Request: %s" % e
		assert ppp and ppp[0]["proto"] == "pap" and ppp[0]["code"] == 2, "first frame: %s" % (ppp[:1],)
		assert ppp[0]["id"] == 42, "PAP Ack id %s" % ppp[0]["id"]
		assert first("pap", 3)[1] is None, "a PAP Nak too"
		j, ipcp = first("ipcp", 1)
		assert ipcp is not None and j > 0, "no IPCP Configure-Request after the PAP Ack"
	EOF
	pcheck pap "lnsd's LCP Echo-Request carries the LAC's magic number" <<-EOF
		i, e = first("lcp", 9)
		assert e is not None, "no Echo-Request in the hold"
		assert e["data"][:8] == "$LAC_MAGIC", "Echo-Request magic %s" % e["data"][:8]
	EOF
	addr=$(jget "$T_OUT/proxy-pap.json" address)
	snap sessions show sessions || fail "show sessions"
	assert_eq "lnsctl: session ppp" up "$(jget "$T_OUT/sessions.json" "$sel.ppp" 2>&1)"
	assert_eq "lnsctl: session auth" pap "$(jget "$T_OUT/sessions.json" "$sel.auth" 2>&1)"
	assert_eq "lnsctl: session user" u "$(jget "$T_OUT/sessions.json" "$sel.user" 2>&1)"
	assert_eq "lnsctl: session ip (IPCP's)" "$addr" "$(jget "$T_OUT/sessions.json" "$sel.ip" 2>&1)"
	assert_eq "lnsctl: session lac" proxy-lac "$(jget "$T_OUT/sessions.json" "$sel.lac" 2>&1)"
	assert_ping "$NS_CORE" "$addr"
	assert_eq "ppp counters" "proxy_lcp_accepted=1 proxy_auth_accepted=1 auth_ok=1 proxy_lcp_renegotiated=0 sessions_up=1 " \
		"$(counters_delta c-1 proxy_lcp_accepted proxy_auth_accepted auth_ok proxy_lcp_renegotiated sessions_up)"
	release pap
	assert_eq "ppp_proxy.py answered lnsd's pings" 3 "$(jget "$T_OUT/proxy-pap.json" pings_answered 2>&1)"
else
	fail "ppp_proxy.py pap: IPCP not up: $(cat "$T_OUT/proxy-pap.log") $(head -c 600 "$T_OUT/proxy-pap.json" 2>/dev/null)"
	release pap
fi
wait_for 5 "the session gone" session_state_is "$(jget "$T_OUT/proxy-pap.json" tunnel.lns 2>/dev/null || echo 0)" none ||
	fail "session still there after the StopCCN"

# ---------------------------------------------------------------------------
step "2. proxy LCP (CHAP-MD5) and proxy CHAP-MD5"
snap c-2 show counters
CHAL=00112233445566778899aabbccddeeff
proxy chap --lcp-initial "$LCP_CLIENT" --lcp-rx "$LCP_CLIENT" --lcp-tx "$LCP_LAC_CHAP" \
	--auth-type 2 --auth-name u --auth-id 51 --auth-chal "$CHAL" --password p --ipcp --until ipcp-up \
	--release "$T_TMP/release-chap" --hold 20
if wait_for 15 "ppp_proxy.py chap: IPCP up" proxy_phase chap held; then
	pcheck chap "no LCP Configure-Request, no Challenge; CHAP Success with the proxied ID 51, then IPCP" <<-'EOF'
		assert r["reached"] == "ipcp-up", "IPCP did not come up: %s" % r["reached"]
		assert first("lcp", 1)[1] is None, "lnsd sent an LCP Configure-Request"
		assert first("chap", 1)[1] is None, "lnsd challenged: %s" % (first("chap", 1)[1],)
		assert ppp and ppp[0]["proto"] == "chap" and ppp[0]["code"] == 3, "first frame: %s" % (ppp[:1],)
		assert ppp[0]["id"] == 51, "CHAP Success id %s" % ppp[0]["id"]
		j, ipcp = first("ipcp", 1)
		assert ipcp is not None and j > 0, "no IPCP Configure-Request after the Success"
	EOF
	snap sessions show sessions || fail "show sessions"
	assert_eq "lnsctl: session ppp" up "$(jget "$T_OUT/sessions.json" "$sel.ppp" 2>&1)"
	assert_eq "lnsctl: session auth" chap-md5 "$(jget "$T_OUT/sessions.json" "$sel.auth" 2>&1)"
	assert_eq "lnsctl: session ip (IPCP's)" "$(jget "$T_OUT/proxy-chap.json" address)" "$(jget "$T_OUT/sessions.json" "$sel.ip" 2>&1)"
	assert_eq "ppp counters" "proxy_lcp_accepted=1 proxy_auth_accepted=1 auth_ok=1 proxy_lcp_renegotiated=0 " \
		"$(counters_delta c-2 proxy_lcp_accepted proxy_auth_accepted auth_ok proxy_lcp_renegotiated)"
else
	fail "ppp_proxy.py chap: IPCP not up: $(cat "$T_OUT/proxy-chap.log") $(head -c 600 "$T_OUT/proxy-chap.json" 2>/dev/null)"
fi
release chap

# ---------------------------------------------------------------------------
step "3. refused proxy LCP: the LAC asked for MS-CHAPv2 (not in ppp.auth)"
snap c-3 show counters
proxy msv2 --lcp-initial "$LCP_CLIENT" --lcp-rx "$LCP_CLIENT" --lcp-tx "$LCP_LAC_MSV2" \
	--auth-type 2 --auth-name u --auth-id 7 --auth-chal "$CHAL" --password p --until lcp-confreq --timeout 5
pcheck msv2 "lnsd renegotiates: its own LCP Configure-Request, asking for CHAP-MD5; no verdict" <<-'EOF'
	assert r["reached"] == "lcp-confreq", "no LCP Configure-Request from lnsd"
	i, e = first("lcp", 1)
	opts = {o["type"]: o["hex"] for o in e["options"]}
	assert opts.get(3) == "c22305", "Authentication-Protocol %s, want CHAP-MD5 (c22305)" % opts.get(3)
	assert 5 in opts and opts[5] != "5e6f7081", "magic %s" % opts.get(5)
	assert not [x for x in ppp if x["proto"] in ("pap", "chap") and x.get("code") in (2, 3, 4)], "a verdict"
EOF
assert_eq "ppp counters" "proxy_lcp_renegotiated=1 proxy_lcp_accepted=0 proxy_auth_accepted=0 " \
	"$(counters_delta c-3 proxy_lcp_renegotiated proxy_lcp_accepted proxy_auth_accepted)"

step "3b. refused proxy LCP: the client asked for MRU 64"
snap c-3b show counters
proxy mru64 --lcp-initial "$LCP_CLIENT_MRU64" --lcp-rx "$LCP_CLIENT_MRU64" --lcp-tx "$LCP_LAC_PAP" \
	--auth-type 3 --auth-name u --auth-id 9 --password p --until lcp-confreq --timeout 5
pcheck mru64 "lnsd renegotiates: its own LCP Configure-Request, no PAP verdict" <<-'EOF'
	assert r["reached"] == "lcp-confreq", "no LCP Configure-Request from lnsd"
	assert first("pap")[1] is None, "PAP: %s" % (first("pap")[1],)
EOF
assert_eq "ppp counters" "proxy_lcp_renegotiated=1 proxy_lcp_accepted=0 " \
	"$(counters_delta c-3b proxy_lcp_renegotiated proxy_lcp_accepted)"

# ---------------------------------------------------------------------------
step "4. proxy PAP with a wrong password"
snap c-4 show counters
proxy wrong --lcp-initial "$LCP_CLIENT" --lcp-rx "$LCP_CLIENT" --lcp-tx "$LCP_LAC_PAP" \
	--auth-type 3 --auth-name u --auth-id 77 --password wrong --until cdn --timeout 5
pcheck wrong "PAP Nak with the proxied ID 77, no LCP Configure-Request, then a CDN (result 2)" <<-'EOF'
	assert first("lcp", 1)[1] is None, "lnsd sent an LCP Configure-Request"
	i, e = first("pap", 3)
	assert e is not None, "no PAP Nak"
	assert e["id"] == 77, "PAP Nak id %s" % e["id"]
	assert first("pap", 2)[1] is None, "a PAP Ack"
	assert r["reached"] == "cdn" and r["cdn"], "no CDN"
	assert r["cdn"]["result"] == 2, "CDN %s" % r["cdn"]
	print("CDN:", r["cdn"])
EOF
assert_eq "ppp counters" "auth_failed=1 auth_ok=0 proxy_lcp_accepted=1 " \
	"$(counters_delta c-4 auth_failed auth_ok proxy_lcp_accepted)"
assert_eq "l2tp.cdn_tx increase" 1 "$(jdelta "$T_OUT/c-4.json" "$T_OUT/c-now.json" l2tp.cdn_tx)"
assert_cmd "no session left" session_state_is "$(jget "$T_OUT/proxy-wrong.json" tunnel.lns 2>/dev/null || echo 0)" none

# ---------------------------------------------------------------------------
step "5. tshark: what lnsd sent decodes cleanly"
capture_stop proxy
n_lns=$(tshark -r "$CAP" -d udp.port==1701,l2tp -Y "ip.src==$LNS_ACC4 && l2tp" 2>/dev/null | wc -l)
assert_ge "L2TP frames from lnsd in the capture" 20 "$n_lns"
bad=$(tshark -r "$CAP" -d udp.port==1701,l2tp -Y "ip.src==$LNS_ACC4 && (_ws.malformed || _ws.expert.severity >= warning)" 2>&1 |
	grep -v 'Running as user "root"' || true)
if [ -z "$bad" ]; then
	ok "tshark: none of lnsd's $n_lns frames is malformed or draws a warning"
else
	fail "tshark flags frames lnsd sent (${CAP#"$LNS_ROOT"/}):"
	printf '%s\n' "$bad" | head -n 20 | sed 's/^/        | /'
fi
n_proxy=$(tshark -r "$CAP" -d udp.port==1701,l2tp -Y "l2tp.avp.type == 27 || l2tp.avp.type == 33" 2>/dev/null | wc -l)
assert_ge "tshark: ICCNs with proxy AVPs (27, 33) in the capture" 4 "$n_proxy"

lnsd_stop TERM 3000 || true
assert_eq "lnsd exit status" 0 "${LNSD_EXIT:-none}"
t_finish
