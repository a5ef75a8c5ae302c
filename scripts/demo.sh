#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# `make demo`: lnsd on a laptop-sized topology, start to finish, in about ten
# seconds. Needs root (network namespaces) and build/ (make build).
#
#   acc namespace (192.0.2.10)  ==veth==  [lnsd in its own namespace, DPDK
#   core namespace (198.51.100.254) ==veth==  net_af_packet on the veths]
#
# It starts lnsd, shows its ports, pings it over IPv4 and IPv6 from both
# sides, shows the neighbours it learnt (including the core next hop it
# resolved on its own) and its counters, stops it with SIGTERM and prints a
# one-line summary. Everything it creates is removed on exit, whatever happens.
#
# This is the first step of the full subscriber demo: as the LNS grows, the
# acc namespace gets a LAC (xl2tpd + pppd) bringing up PPP sessions through
# L2TP tunnels, a radius namespace a FreeRADIUS server, and the demo shows
# sessions being authenticated, given addresses and routed to the core.
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

show "lnsctl show neighbours" lnsctl show neighbours
show "lnsctl show counters" lnsctl show counters
snap neighbours show neighbours || true
neighbours=$(jget --len "$T_OUT/neighbours.json" neighbours 2>/dev/null || echo "?")

step "stopping lnsd (SIGTERM)"
lnsd_stop TERM 2000 || true
grep -A 30 'final counters' "$T_OUT/lnsd.log" | head -n 30 | sed 's/^/  /' || true

echo
summary="lnsd answered $answered/$asked pings (IPv4 and IPv6, from acc and core), knew $neighbours neighbours, stopped in ${LNSD_STOP_MS:-?} ms with exit status ${LNSD_EXIT:-?}"
echo "$summary"
if [ "$asked" -gt 0 ] && [ "$answered" -eq "$asked" ] && [ "${LNSD_EXIT:-1}" = 0 ]; then
	exit 0
fi
echo "demo: something went wrong; lnsd's log is $T_OUT/lnsd.log" >&2
exit 1
