#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Regenerates the fr-*.bin captures (README.md): starts Debian's FreeRADIUS 3.2 with a copy of
# /etc/freeradius/3.0 on 127.0.0.1 (ports 21812 auth, 21813 acct, 23799 CoA/Disconnect),
# drives it with radclient, captures on lo with tcpdump and writes each RADIUS payload out.
# Needs root (tcpdump), freeradius, freeradius-utils, tcpdump, tshark, python3.
# Usage: tests/unit/data/radius/capture.sh [OUTDIR]   (default: this directory)
set -euo pipefail

OUT=$(cd "${1:-$(dirname "$0")}" && pwd)
DICT=$(cd "$(dirname "$0")/../../../.." && pwd)/docs/radius-dictionary
SECRET=lns-radius-secret
W=$(mktemp -d)
FRPID=
TDPID=
cleanup() {
	[ -n "$TDPID" ] && kill "$TDPID" 2>/dev/null || true
	[ -n "$FRPID" ] && kill "$FRPID" 2>/dev/null || true
	rm -rf "$W"
}
trap cleanup EXIT

# ---- server configuration ----
cp -r /etc/freeradius/3.0 "$W/raddb"
R=$W/raddb
sed -i 's/^\(\s*\)user = freerad/\1user = root/; s/^\(\s*\)group = freerad/\1group = root/;
	s/^\(\s*\)reject_delay = 1/\1reject_delay = 0/' "$R/radiusd.conf"
echo "\$INCLUDE $DICT" >>"$R/dictionary"
cat >"$R/clients.conf" <<CLIENTS
client lnstest {
	ipaddr = 127.0.0.1
	secret = $SECRET
	require_message_authenticator = no
}
CLIENTS
# the four listeners of sites-available/default: port 0 (= /etc/services) -> ours
awk 'BEGIN { n = 0 }
/^listen \{/ { inl = 1; t = "" }
inl && /^\ttype = acct/ { t = "acct" }
inl && /^\ttype = auth/ { t = "auth" }
inl && /^\tport = 0/ { print "\tport = PORT_" n; n++; next }
inl && /^\}/ { inl = 0 }
{ print }' "$R/sites-available/default" >"$W/default"
# listener order in the Debian file: auth, acct, auth (v6), acct (v6)
sed 's/PORT_0/21812/; s/PORT_1/21813/; s/PORT_2/21812/; s/PORT_3/21813/' "$W/default" \
	>"$R/sites-available/default"
cat >"$R/sites-enabled/coa" <<'COA'
listen {
	type = coa
	ipaddr = 127.0.0.1
	port = 23799
	virtual_server = coa
}
server coa {
	recv-coa {
		if (&User-Name == "nobody") {
			update reply {
				Error-Cause := Session-Context-Not-Found
			}
			reject
		}
		update reply {
			Error-Cause := Residual-Context-Removed
			Message-Authenticator := 0x00
		}
		ok
	}
	send-coa {
		ok
	}
}
COA
cat - "$R/mods-config/files/authorize" >"$W/authorize" <<'USERS'
alice	Cleartext-Password := "wonderland"
	Service-Type = Framed-User,
	Framed-Protocol = PPP,
	Framed-IP-Address = 10.20.30.40,
	Framed-IP-Netmask = 255.255.255.255,
	Framed-MTU = 1492,
	Framed-Route = "192.0.2.0/24 10.20.30.40 1",
	Framed-IPv6-Prefix = 2001:db8:1::/64,
	Delegated-IPv6-Prefix = 2001:db8:100::/56,
	Framed-Interface-Id = 0:0:0:1,
	Framed-Pool = "subscribers",
	Session-Timeout = 86400,
	Idle-Timeout = 600,
	Acct-Interim-Interval = 300,
	Class = 0x6c6e732d636c6173732d31,
	Reply-Message = "welcome alice",
	Filter-Id = "std.in",
	MS-Primary-DNS-Server = 192.0.2.53,
	MS-Secondary-DNS-Server = 192.0.2.54,
	Tunnel-Type:1 = L2TP,
	Tunnel-Medium-Type:1 = IPv4,
	Tunnel-Server-Endpoint:1 = "192.0.2.1",
	Tunnel-Password:1 = "tunnelsecret",
	Tunnel-Assignment-ID:1 = "lns1",
	LNS-Rate-Limit-Up = 10000,
	LNS-Rate-Limit-Down = 50000,
	LNS-Rate-Limit-Burst = 1000,
	Message-Authenticator = 0x00

bob	Cleartext-Password := "bobpass"
	Service-Type = Framed-User,
	Framed-Protocol = PPP,
	Framed-IP-Address = 10.20.30.41,
	Message-Authenticator = 0x00

carol	Cleartext-Password := "carolpass"
	Service-Type = Framed-User,
	Framed-Protocol = PPP,
	Message-Authenticator = 0x00

USERS
cp "$W/authorize" "$R/mods-config/files/authorize"
freeradius -XC -d "$R" >"$W/check.log" 2>&1 || { tail -20 "$W/check.log"; exit 1; }

freeradius -X -f -d "$R" >"$W/server.log" 2>&1 &
FRPID=$!
tcpdump -i lo -U -w "$W/cap.pcap" 'udp and (port 21812 or port 21813 or port 23799)' \
	2>/dev/null &
TDPID=$!
sleep 2

# ---- the exchanges: name, port, radclient command, attributes ----
NAMES=()
send() { # send NAME PORT CMD <<< attributes
	NAMES+=("$1")
	radclient -d "$R" -r 1 -t 3 "127.0.0.1:$2" "$3" "$SECRET" >>"$W/client.log" 2>&1 || true
	sleep 0.3
}
NAS='NAS-IP-Address = 127.0.0.1, NAS-Identifier = "lns-test", NAS-Port = 7, NAS-Port-Type = Virtual'
send pap-accept 21812 auth <<<"User-Name = alice, User-Password = wonderland, $NAS,
Service-Type = Framed-User, Framed-Protocol = PPP, Calling-Station-Id = \"lac-1\",
Called-Station-Id = \"lns-1\", Acct-Session-Id = \"00000007\", Connect-Info = \"L2TP\",
Tunnel-Type:1 = L2TP, Tunnel-Medium-Type:1 = IPv4, Tunnel-Client-Endpoint:1 = \"192.0.2.9\",
Tunnel-Server-Endpoint:1 = \"192.0.2.1\", Tunnel-Client-Auth-ID:1 = \"lac\",
Message-Authenticator = 0x00"
send pap-reject 21812 auth <<<"User-Name = alice, User-Password = wrong, $NAS,
Message-Authenticator = 0x00"
send chap-accept 21812 auth <<<"User-Name = bob, CHAP-Password = bobpass,
CHAP-Challenge = 0x000102030405060708090a0b0c0d0e0f, $NAS, Message-Authenticator = 0x00"
send mschap-accept 21812 auth <<<"User-Name = carol, MS-CHAP-Password = carolpass, $NAS,
Message-Authenticator = 0x00"
send status 21812 status <<<"Message-Authenticator = 0x00"
ACCT="User-Name = alice, $NAS, Acct-Session-Id = \"00000007\", Acct-Authentic = RADIUS,
Framed-IP-Address = 10.20.30.40, Framed-Protocol = PPP, Service-Type = Framed-User,
Class = 0x6c6e732d636c6173732d31, Event-Timestamp = 1700000000"
send acct-start 21813 acct <<<"Acct-Status-Type = Start, $ACCT, Acct-Delay-Time = 0"
send acct-interim 21813 acct <<<"Acct-Status-Type = Interim-Update, $ACCT,
Acct-Session-Time = 300, Acct-Input-Octets = 123456, Acct-Output-Octets = 654321,
Acct-Input-Packets = 1000, Acct-Output-Packets = 2000, Acct-Input-Gigawords = 1,
Acct-Output-Gigawords = 2, Acct-Delay-Time = 1"
send acct-stop 21813 acct <<<"Acct-Status-Type = Stop, $ACCT, Acct-Session-Time = 600,
Acct-Input-Octets = 223456, Acct-Output-Octets = 754321, Acct-Terminate-Cause = User-Request,
LNS-Rate-Limit-Up = 10000, Message-Authenticator = 0x00"
send coa-ack 23799 coa <<<"User-Name = alice, Acct-Session-Id = \"00000007\",
NAS-IP-Address = 127.0.0.1, LNS-Rate-Limit-Down = 20000, LNS-Rate-Limit-Burst = 500,
Event-Timestamp = 1700000300, Message-Authenticator = 0x00"
send coa-nak 23799 coa <<<"User-Name = nobody, Acct-Session-Id = \"00000099\""
send disconnect-ack 23799 disconnect <<<"User-Name = alice, Acct-Session-Id = \"00000007\",
Message-Authenticator = 0x00"
send disconnect-nak 23799 disconnect <<<"User-Name = nobody, Acct-Session-Id = \"00000099\""
sleep 1
kill "$TDPID"
wait "$TDPID" 2>/dev/null || true
TDPID=

# ---- one file per packet: NN-NAME-request.bin, NN-NAME-response.bin ----
unhex() { python3 -c 'import sys; sys.stdout.buffer.write(bytes.fromhex(sys.argv[1]))' "$1"; }
i=0
tshark -r "$W/cap.pcap" -T fields -e udp.payload | while read -r hex; do
	n=$((i / 2))
	[ $((i % 2)) -eq 0 ] && dir=request || dir=response
	name=$(printf 'fr-%02d-%s-%s.bin' "$n" "${NAMES[$n]}" "$dir")
	unhex "$hex" >"$OUT/$name"
	i=$((i + 1))
done
cp "$W/cap.pcap" "$OUT/fr-capture.pcap"
ls "$OUT"/fr-*.bin | wc -l
