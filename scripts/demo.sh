#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# `make demo`: lnsd terminating PPP subscribers over L2TP on a laptop-sized
# topology, start to finish, in about fifteen seconds. Needs root (network
# namespaces), build/ (make build) and the lwip-lac test peer, which it builds
# from Debian's lwip source package (scripts/deps.sh enables deb-src; a few
# seconds the first time, nothing after).
#
#   acc namespace: kernel 192.0.2.10, five lwIP clients    ==veth==  [lnsd in its own
#     192.0.2.20-24 on TAPs bridged with the veth                     namespace, DPDK
#   core namespace (198.51.100.254), route to the pool via lnsd ==veth==  net_af_packet
#                                                                     on the veths]
#
# It starts lnsd and shows its ports, lets it resolve its default route's next
# hop by itself and shows the neighbours, pings lnsd over IPv4 and IPv6 from
# both sides. Then five subscribers dial in: each lwIP client is a LAC and a
# PPP client (tests/peers/lwip-lac), opens an L2TP tunnel (authenticated with
# the shared secret) and a session, authenticates with MS-CHAPv2 as a user of
# the demo configuration, and gets an address from the pool by IPCP. The demo
# shows `lnsctl show tunnels` and `show sessions`, pings every subscriber from
# the core namespace through lnsd's data plane, shows the counters, lets the
# subscribers hang up (LCP Terminate, StopCCN), stops lnsd with SIGTERM and
# prints a one-line summary. Everything it creates is removed on exit,
# whatever happens.
#
# Next: a radius namespace with a FreeRADIUS server authenticating the
# subscribers instead of the local users.
#
# Logs and the generated configuration stay in tests/out/demo/.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export LNS_TEST_OUT=${LNS_TEST_OUT:-$ROOT/tests/out/demo}
T_NAME=demo
# shellcheck source=tests/netns/lib.sh
. "$ROOT/tests/netns/lib.sh"

BOLD='' PLAIN=''
if [ -t 1 ]; then
	BOLD=$'\033[1m' PLAIN=$'\033[0m'
fi
show() { # show TITLE CMD...: a command and its output, for the reader
	printf '\n%s$ %s%s\n' "$BOLD" "$1" "$PLAIN"
	shift
	"$@" 2>&1 | sed 's/^/  /'
}

SECRET=demo-secret
POOL=100.64.0.0/24
SUBSCRIBERS=(alice bob carol dave erin)
declare -A PASSWORD=([alice]=alice-pw [bob]=bob-pw [carol]=carol-pw [dave]=dave-pw [erin]=erin-pw)

t_init
[ "$(id -u)" -eq 0 ] || {
	echo "demo: needs root (it creates network namespaces)" >&2
	exit 1
}
for f in "$LNSD" "$LNSCTL"; do
	[ -x "$f" ] || {
		echo "demo: $f is not built (make build)" >&2
		exit 1
	}
done

step "building the topology"
topo_basic
say "the lwIP clients: tests/peers/lwip-lac/build.sh (the first time it fetches and builds Debian's lwip, a few seconds)"
if ! lac_setup; then
	echo "demo: cannot build the lwIP test peer: $LAC_BUILD_ERR" >&2
	echo "demo: run 'make deps' as root (it enables deb-src), then again" >&2
	exit 1
fi
ip -n "$NS_CORE" route add "$POOL" via "$LNS_CORE4"
say "core namespace: $POOL via lnsd ($LNS_CORE4)"
users=
for u in "${SUBSCRIBERS[@]}"; do
	users+=$'\n'"  - {name: $u, password: ${PASSWORD[$u]}, pool: subscribers}"
done
LNS_EXTRA_CONFIG="l2tp:
  peers:
    - {name: lac, match: [\"192.0.2.0/24\"], secret: $SECRET}
ppp: {auth: [mschapv2, chap-md5, pap], lcp-echo-interval: 10, lcp-echo-failures: 3, dns: [\"198.51.100.53\"]}
pools:
  - {name: subscribers, ranges: [\"$POOL\"]}
users:${users}"
config_basic "$T_OUT/lnsd.yaml"
say "configuration: $T_OUT/lnsd.yaml"

step "starting lnsd"
lnsd_start "$T_OUT/lnsd.yaml"
show "lnsctl show ports" lnsctl show ports

step "lnsd resolves its default route's next hop by itself"
wait_for 10 "next hop $CORE4" neigh_is "$CORE4" reachable ||
	say "next hop $CORE4 not resolved (see $T_OUT/lnsd.log)"
show "lnsctl show neighbours" lnsctl show neighbours

step "pinging lnsd from both sides"
answered=0
asked=0
for target in "$NS_ACC $LNS_ACC4" "$NS_ACC $LNS_ACC6" "$NS_CORE $LNS_CORE4" "$NS_CORE $LNS_CORE6"; do
	read -r ns addr <<<"$target"
	ping_from "$ns" "$addr" 3 || true
	printf '  from %-5s to %-16s %s/%s answered\n' "${ns%-"$T_SUFFIX"}" "$addr" "$PING_RECV" "$PING_SENT"
	answered=$((answered + PING_RECV))
	asked=$((asked + PING_SENT))
done

step "${#SUBSCRIBERS[@]} subscribers dial in (lwIP: L2TP tunnel and session, PPP, MS-CHAPv2, IPCP)"
for u in "${SUBSCRIBERS[@]}"; do
	lac_start "$u" --secret "$SECRET" --user "$u" --password "${PASSWORD[$u]}" --auth mschapv2 || true
done
up=0
declare -A ADDR=()
for u in "${SUBSCRIBERS[@]}"; do
	if [ -n "${LAC_PID[$u]:-}" ] && lac_wait_up "$u" 1 15; then
		ADDR[$u]=$(lac_addrs "$u" | head -n 1)
		up=$((up + 1))
		printf '  %-6s from %-11s up: %s\n' "$u" "${LAC_IP[$u]}" "$(grep -m1 '^session 1 up ' "${LAC_LOG[$u]}" | sed 's/^session 1 up //; s/ t=.*//')"
	else
		printf '  %-6s from %-11s NOT up: %s\n' "$u" "${LAC_IP[$u]:-?}" "$(tail -n 1 "${LAC_LOG[$u]:-/dev/null}" 2>/dev/null)"
	fi
done
show "lnsctl show tunnels" lnsctl show tunnels
show "lnsctl show sessions" lnsctl show sessions

step "pinging each subscriber from the core namespace, through lnsd"
sub_answered=0
sub_asked=0
for u in "${SUBSCRIBERS[@]}"; do
	[ -n "${ADDR[$u]:-}" ] || continue
	ping_from "$NS_CORE" "${ADDR[$u]}" 3 || true
	printf '  to %-6s %-12s %s/%s answered\n' "$u" "${ADDR[$u]}" "$PING_RECV" "$PING_SENT"
	sub_answered=$((sub_answered + PING_RECV))
	sub_asked=$((sub_asked + PING_SENT))
done
show "lnsctl show counters" lnsctl show counters
snap counters show counters || true
fwd=$(jget "$T_OUT/counters.json" total.tx 2>/dev/null || echo "?")
snap neighbours show neighbours || true
neighbours=$(jget --len "$T_OUT/neighbours.json" neighbours 2>/dev/null || echo "?")

step "the subscribers hang up (LCP Terminate-Request, StopCCN)"
for u in "${SUBSCRIBERS[@]}"; do # all at once, then collect them
	[ -z "${LAC_PID[$u]:-}" ] || kill -TERM "${LAC_PID[$u]}" 2>/dev/null || true
done
for u in "${SUBSCRIBERS[@]}"; do
	lac_stop "$u"
done
# shellcheck disable=SC2317 # called through wait_for
no_sessions() { snap sessions show sessions && [ "$(jget --len "$T_OUT/sessions.json" sessions 2>/dev/null)" = 0 ]; }
if wait_for 10 "every session closed" no_sessions; then
	say "every session closed"
	left=0
else
	left=$(jget --len "$T_OUT/sessions.json" sessions 2>/dev/null || echo "?")
	say "$left sessions still open"
fi
show "lnsctl show sessions" lnsctl show sessions

step "stopping lnsd (SIGTERM)"
lnsd_stop TERM 2000 || true
grep -A 30 'final counters' "$T_OUT/lnsd.log" | head -n 30 | sed 's/^/  /' || true

echo
summary="${up} subscribers up over L2TP/PPP (MS-CHAPv2, addresses from $POOL), $sub_answered/$sub_asked pings through lnsd to them (its workers forwarded $fwd packets); lnsd answered $answered/$asked pings (IPv4 and IPv6, from acc and core), knew $neighbours neighbours, stopped in ${LNSD_STOP_MS:-?} ms with exit status ${LNSD_EXIT:-?}"
echo "$summary"
if [ "$up" -eq "${#SUBSCRIBERS[@]}" ] && [ "$sub_asked" -eq $((3 * ${#SUBSCRIBERS[@]})) ] &&
	[ "$sub_answered" -eq "$sub_asked" ] && [ "$asked" -gt 0 ] && [ "$answered" -eq "$asked" ] &&
	[ "$left" = 0 ] && [ "${LNSD_EXIT:-1}" = 0 ]; then
	exit 0
fi
echo "demo: something went wrong; lnsd's log is $T_OUT/lnsd.log, the subscribers' $T_OUT/lac-*.log" >&2
exit 1
