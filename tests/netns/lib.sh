# shellcheck shell=bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Helpers for the network-namespace tests (tests/netns/test_*.sh) and for
# scripts/demo.sh. Source it, then call t_init first:
#
#   . "$(dirname "$0")/lib.sh"
#   t_init                 # output dir, temp dir, cleanup trap, random suffix
#   require_root; require_lnsd
#   topo_basic             # lns/acc/core namespaces joined by veth pairs
#   config_basic "$T_OUT/lnsd.yaml"
#   lnsd_start "$T_OUT/lnsd.yaml"
#   ...assertions...
#   t_finish               # exit 1 if any assertion failed
#
# Conventions:
# - Everything a test creates carries the random suffix $T_SUFFIX: namespaces
#   are ROLE-SUFFIX, interfaces stay within IFNAMSIZ (15 characters).
# - lnsd runs inside its own namespace (ip netns exec), on net_af_packet over
#   the lns-side end of each veth pair; its peers are the kernel stacks of the
#   other namespaces.
# - Every resource goes into $T_OUT/.resources as soon as it exists. The
#   cleanup trap removes them whatever the outcome; if the test itself is
#   killed (tests/run.sh's timeout), the runner calls lns_reap on that file.
# - No blind sleeps: wait_for polls a condition against a deadline.
# - Exit status: 0 pass, 1 fail, 77 skip (reason on a "SKIP: " line).

PY=/usr/bin/python3 # Debian's: has scapy and yaml; the first python3 on PATH may not
LNS_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
NETNS_DIR=$LNS_ROOT/tests/netns
LNS_BUILD=${LNS_BUILD:-$LNS_ROOT/build}
LNSD=${LNSD:-$LNS_BUILD/app/lnsd}
LNSCTL=${LNSCTL:-$LNS_BUILD/app/lnsctl}

T_NAME=${T_NAME:-$(basename "$0" .sh)}
T_OUT=${LNS_TEST_OUT:-$LNS_ROOT/tests/out/netns/$T_NAME}
T_FAILS=0
T_CHECKS=0
T_SUFFIX=
T_TMP=
T_NETNS=()
T_KEEP_LOG_TAIL=${T_KEEP_LOG_TAIL:-40}
LNSD_PID=
LNSD_RUNNING=0
LNSD_EXIT=
LNSD_STOP_MS=
LNS_SOCK=
LNS_PREFIX=
NS_LNS='' NS_ACC='' NS_CORE='' # set by topo_basic (ns_add)

# ---------------------------------------------------------------------------
# Output and assertions

now_ms() {
	local t=${EPOCHREALTIME//[.,]/}
	echo $((t / 1000))
}

say() { printf '%s %s\n' "$(date +%T.%3N)" "$*"; }

# A section header in the log.
step() { printf '\n%s == %s\n' "$(date +%T.%3N)" "$*"; }

ok() {
	T_CHECKS=$((T_CHECKS + 1))
	say "ok   - $*"
}

fail() {
	T_CHECKS=$((T_CHECKS + 1))
	T_FAILS=$((T_FAILS + 1))
	say "FAIL - $*"
}

# Fatal: record the failure and leave (the trap cleans up).
die() {
	fail "$*"
	exit 1
}

t_skip() {
	echo "SKIP: $*"
	exit 77
}

# assert_eq DESCRIPTION EXPECTED GOT
assert_eq() {
	if [ "$2" == "$3" ]; then
		ok "$1: $3"
	else
		fail "$1: expected '$2', got '$3'"
	fi
}

# assert_ge DESCRIPTION MIN GOT (integers)
assert_ge() {
	if [[ "$3" =~ ^-?[0-9]+$ ]] && (($3 >= $2)); then
		ok "$1: $3 (>= $2)"
	else
		fail "$1: expected >= $2, got '$3'"
	fi
}

# assert_le DESCRIPTION MAX GOT (integers)
assert_le() {
	if [[ "$3" =~ ^-?[0-9]+$ ]] && (($3 <= $2)); then
		ok "$1: $3 (<= $2)"
	else
		fail "$1: expected <= $2, got '$3'"
	fi
}

# assert_match DESCRIPTION ERE TEXT
assert_match() {
	if [[ "$3" =~ $2 ]]; then
		ok "$1"
	else
		fail "$1: expected text matching /$2/, got:"
		printf '%s\n' "$3" | head -n 20 | sed 's/^/        | /'
	fi
}

# assert_cmd DESCRIPTION CMD [ARGS...]: the command succeeds (output shown on failure)
assert_cmd() {
	local desc=$1 out rc=0
	shift
	out=$("$@" 2>&1) || rc=$?
	if [ "$rc" -eq 0 ]; then
		ok "$desc"
	else
		fail "$desc: '$*' exited $rc:"
		printf '%s\n' "$out" | tail -n 20 | sed 's/^/        | /'
	fi
}

# ---------------------------------------------------------------------------
# Set-up and clean-up

t_init() {
	mkdir -p "$T_OUT"
	lns_reap "$T_OUT/.resources" # left by an earlier run that was killed
	find "$T_OUT" -mindepth 1 -delete
	T_SUFFIX=$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')
	T_TMP=$(mktemp -d "/tmp/lns-$T_NAME.XXXXXX")
	record dir "$T_TMP"
	trap t_cleanup EXIT
	set -E # so that ERR fires in functions too: say where a test died unexpectedly
	trap 't_err $? "${BASH_SOURCE[0]}" "$LINENO" "$BASH_COMMAND"' ERR
	trap 'exit 130' INT
	trap 'exit 143' TERM
	trap 'exit 129' HUP
	say "$T_NAME: suffix $T_SUFFIX, output in ${T_OUT#"$LNS_ROOT"/}"
}

t_err() {
	say "error: '$4' exited $1 at ${2#"$LNS_ROOT"/}:$3"
}

# record KIND VALUE: remember a resource for cleanup and for the runner's reaper.
record() { echo "$1 $2" >>"$T_OUT/.resources"; }

require_root() {
	[ "$(id -u)" -eq 0 ] || t_skip "needs root (network namespaces)"
	command -v ip >/dev/null || t_skip "needs iproute2"
}

require_lnsd() {
	[ -x "$LNSD" ] || t_skip "$LNSD not built"
	[ -x "$LNSCTL" ] || t_skip "$LNSCTL not built"
}

require_cmd() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null || t_skip "needs $c"
	done
}

# lns_reap FILE: remove what a test recorded and did not clean up itself.
# Only processes named lnsd (the ones the tests start) are killed.
lns_reap() {
	local file=$1 kind val deadline
	[ -f "$file" ] || return 0
	while read -r kind val; do
		[ "$kind" = pid ] || continue
		if [ "$(cat "/proc/$val/comm" 2>/dev/null)" = lnsd ]; then
			kill -TERM "$val" 2>/dev/null || true
			deadline=$(($(now_ms) + 3000))
			while [ -d "/proc/$val" ] && (($(now_ms) < deadline)); do sleep 0.05; done
			kill -KILL "$val" 2>/dev/null || true
		fi
	done <"$file"
	while read -r kind val; do
		case $kind in
		netns) ip netns del "$val" 2>/dev/null || true ;;
		dir) [[ "$val" == /tmp/lns-* ]] && rm -rf "$val" ;;
		dpdk) [ -n "$val" ] && rm -rf "/var/run/dpdk/$val" ;;
		esac
	done <"$file"
	rm -f "$file"
}

t_cleanup() {
	local rc=$?
	trap - EXIT INT TERM HUP
	set +e
	if [ "$LNSD_RUNNING" = 1 ] && lnsd_alive; then
		say "cleanup: stopping lnsd (pid $LNSD_PID)"
		kill -TERM "$LNSD_PID" 2>/dev/null
		wait_exit 3000 || kill -KILL "$LNSD_PID" 2>/dev/null
		wait "$LNSD_PID" 2>/dev/null
	fi
	if { [ "$rc" -ne 0 ] && [ "$rc" -ne 77 ]; } || [ "$T_FAILS" -gt 0 ]; then
		if [ -s "$T_OUT/lnsd.log" ]; then
			echo "--- last $T_KEEP_LOG_TAIL lines of $T_OUT/lnsd.log"
			tail -n "$T_KEEP_LOG_TAIL" "$T_OUT/lnsd.log"
			echo "---"
		fi
	fi
	lns_reap "$T_OUT/.resources"
	if [ "$rc" -eq 0 ] && [ "$T_FAILS" -gt 0 ]; then
		rc=1
	fi
	exit "$rc"
}

# Summary and exit status.
t_finish() {
	if [ "$T_FAILS" -gt 0 ]; then
		say "$T_FAILS of $T_CHECKS checks failed"
		exit 1
	fi
	say "all $T_CHECKS checks passed"
	exit 0
}

# wait_for SECONDS DESCRIPTION CMD [ARGS...]: poll CMD every 100 ms until it
# succeeds; fail (return 1) at the deadline, or at once if lnsd dies meanwhile.
wait_for() {
	local secs=$1 what=$2 deadline
	shift 2
	deadline=$(($(now_ms) + secs * 1000))
	while :; do
		if "$@"; then
			return 0
		fi
		if [ "$LNSD_RUNNING" = 1 ] && ! lnsd_alive; then
			say "lnsd exited while waiting for $what"
			return 1
		fi
		if (($(now_ms) >= deadline)); then
			say "timed out after ${secs}s waiting for $what"
			return 1
		fi
		sleep 0.1
	done
}

# ---------------------------------------------------------------------------
# Namespaces and links

# ns_add VAR ROLE: create namespace ROLE-SUFFIX and store its name in VAR.
ns_add() {
	local ns="$2-$T_SUFFIX"
	ip netns add "$ns"
	T_NETNS+=("$ns")
	record netns "$ns"
	ip -n "$ns" link set lo up
	printf -v "$1" '%s' "$ns"
}

# ns_quiet_ipv6 NS: no IPv6 on interfaces created in or moved into NS later,
# so the kernel beside lnsd sends no DAD, MLD or router solicitations.
ns_quiet_ipv6() {
	ip netns exec "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
}

# veth_add NS_A IF_A NS_B IF_B: a veth pair between two namespaces, both ends
# up, checksum offload off on both (else af_packet sees UDP whose checksum the
# kernel has not filled in yet).
veth_add() {
	ip link add "$2" netns "$1" type veth peer name "$4" netns "$3"
	ip netns exec "$1" ethtool -K "$2" tx off rx off >/dev/null
	ip netns exec "$3" ethtool -K "$4" tx off rx off >/dev/null
	ip -n "$1" link set "$2" up
	ip -n "$3" link set "$4" up
}

# addr_add NS IF ADDR/PLEN: IPv6 without duplicate address detection.
addr_add() {
	if [[ "$3" == *:* ]]; then
		ip -n "$1" addr add "$3" dev "$2" nodad
	else
		ip -n "$1" addr add "$3" dev "$2"
	fi
}

# mac_of NS IF
mac_of() {
	local mac
	mac=$(ip -n "$1" -br link show dev "$2" | awk '{print $3}')
	echo "${mac,,}"
}

# The standard topology: acc and core namespaces each joined by a veth pair
# to the lns namespace, where lnsd opens the lns-side ends with af_packet.
#
#   acc  PE_ACC 192.0.2.10/24 2001:db8:a::10/64 --- LN_ACC  [lnsd access0 192.0.2.1 2001:db8:a::1]
#   core PE_CORE 198.51.100.254/24 2001:db8:c::fe/64 --- LN_CORE [lnsd core0 198.51.100.1 2001:db8:c::1]
LNS_ACC4=192.0.2.1
LNS_ACC6=2001:db8:a::1
ACC4=192.0.2.10
ACC6=2001:db8:a::10
LNS_CORE4=198.51.100.1
LNS_CORE6=2001:db8:c::1
CORE4=198.51.100.254
CORE6=2001:db8:c::fe

topo_basic() {
	ns_add NS_LNS lns
	ns_add NS_ACC acc
	ns_add NS_CORE core
	ns_quiet_ipv6 "$NS_LNS"
	LN_ACC=lnacc$T_SUFFIX
	PE_ACC=peacc$T_SUFFIX
	LN_CORE=lncore$T_SUFFIX
	PE_CORE=pecore$T_SUFFIX
	veth_add "$NS_LNS" "$LN_ACC" "$NS_ACC" "$PE_ACC"
	veth_add "$NS_LNS" "$LN_CORE" "$NS_CORE" "$PE_CORE"
	addr_add "$NS_ACC" "$PE_ACC" "$ACC4/24"
	addr_add "$NS_ACC" "$PE_ACC" "$ACC6/64"
	addr_add "$NS_CORE" "$PE_CORE" "$CORE4/24"
	addr_add "$NS_CORE" "$PE_CORE" "$CORE6/64"
	MAC_LN_ACC=$(mac_of "$NS_LNS" "$LN_ACC")
	MAC_LN_CORE=$(mac_of "$NS_LNS" "$LN_CORE")
	MAC_PE_ACC=$(mac_of "$NS_ACC" "$PE_ACC")
	MAC_PE_CORE=$(mac_of "$NS_CORE" "$PE_CORE")
	say "topology: $NS_ACC/$PE_ACC ($MAC_PE_ACC) -- $LN_ACC ($MAC_LN_ACC) [$NS_LNS] $LN_CORE ($MAC_LN_CORE) -- $PE_CORE ($MAC_PE_CORE)/$NS_CORE"
}

# config_basic FILE: lnsd's configuration for topo_basic. The file prefix and
# the socket are unique to this test, so DPDK processes never collide.
config_basic() {
	LNS_PREFIX=lns$T_SUFFIX
	LNS_SOCK=$T_TMP/lnsd.sock
	record dpdk "$LNS_PREFIX"
	cat >"$1" <<-EOF
		# written by tests/netns/lib.sh for $T_NAME
		eal: {lcores: "0-1", memory-mb: 256, no-huge: true, file-prefix: $LNS_PREFIX}
		log: {level: ${LNS_LOG_LEVEL:-info}}
		dataplane: {mbufs: 8191, idle-sleep-us: 100}
		ports:
		  - {name: access0, device: "net_af_packet0,iface=$LN_ACC", role: access, addresses: ["$LNS_ACC4/24", "$LNS_ACC6/64"]}
		  - {name: core0, device: "net_af_packet1,iface=$LN_CORE", role: core, addresses: ["$LNS_CORE4/24", "$LNS_CORE6/64"]}
		routes:
		  - {prefix: 0.0.0.0/0, via: $CORE4}
		  - {prefix: "::/0", via: "$CORE6"}
		management: {socket: $LNS_SOCK}
	EOF
}

# ---------------------------------------------------------------------------
# lnsd

# lnsd_alive: the process exists and is not a zombie (kill -0 succeeds on one).
lnsd_alive() {
	local st
	[ -n "$LNSD_PID" ] || return 1
	st=$(awk '{print $3}' "/proc/$LNSD_PID/stat" 2>/dev/null) || return 1
	[ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

# wait_exit MS: wait up to MS milliseconds for lnsd to exit.
wait_exit() {
	local deadline=$(($(now_ms) + $1))
	while lnsd_alive; do
		(($(now_ms) < deadline)) || return 1
		sleep 0.02
	done
}

# lnsd_start CONFIG [PORTS]: start lnsd in the lns namespace and wait until
# its management socket answers and all PORTS (default 2) report link up.
lnsd_start() {
	local cfg=$1 nports=${2:-2}
	say "starting lnsd -c $cfg in $NS_LNS (log $T_OUT/lnsd.log)"
	ip netns exec "$NS_LNS" "$LNSD" -c "$cfg" >"$T_OUT/lnsd.log" 2>&1 &
	LNSD_PID=$! # ip netns exec execs lnsd: this is lnsd's pid
	LNSD_RUNNING=1
	record pid "$LNSD_PID"
	LNSD_START_MS=$(now_ms)
	wait_for 30 "the management socket $LNS_SOCK" mgmt_ready ||
		die "lnsd did not open its management socket"
	wait_for 15 "$nports ports with link up" ports_up "$nports" ||
		die "lnsd ports not up: $(cat "$T_TMP/ports.json" 2>/dev/null)"
	say "lnsd (pid $LNSD_PID) ready after $(($(now_ms) - LNSD_START_MS)) ms"
}

mgmt_ready() {
	[ -S "$LNS_SOCK" ] && lnsctl show ports >/dev/null 2>&1
}

ports_up() {
	lnsctl show ports --json >"$T_TMP/ports.json" 2>/dev/null || return 1
	"$PY" - "$T_TMP/ports.json" "$1" <<-'EOF'
		import json, sys
		p = json.load(open(sys.argv[1]))["ports"]
		sys.exit(0 if len(p) == int(sys.argv[2]) and all(x.get("link") == "up" for x in p) else 1)
	EOF
}

# lnsd_stop [SIGNAL] [MS]: signal lnsd, wait up to MS (default 2000) for it to
# exit. Sets LNSD_STOP_MS (time to exit) and LNSD_EXIT (its status); returns 1
# if it was still running at the deadline (it is then killed).
lnsd_stop() {
	local sig=${1:-TERM} ms=${2:-2000} t0 rc=0
	LNSD_EXIT=
	LNSD_STOP_MS=
	lnsd_alive || {
		LNSD_RUNNING=0
		wait "$LNSD_PID" || LNSD_EXIT=$?
		LNSD_EXIT=${LNSD_EXIT:-0}
		say "lnsd had already exited with status $LNSD_EXIT"
		return 1
	}
	t0=$(now_ms)
	kill "-$sig" "$LNSD_PID"
	if wait_exit "$ms"; then
		LNSD_STOP_MS=$(($(now_ms) - t0))
	else
		LNSD_STOP_MS=$(($(now_ms) - t0))
		say "lnsd still running ${ms} ms after SIG$sig: killing it"
		kill -KILL "$LNSD_PID" 2>/dev/null || true
		rc=1
	fi
	LNSD_RUNNING=0
	wait "$LNSD_PID" || LNSD_EXIT=$?
	LNSD_EXIT=${LNSD_EXIT:-0}
	say "lnsd exited with status $LNSD_EXIT, $LNSD_STOP_MS ms after SIG$sig"
	return "$rc"
}

# lnsctl ARGS...: the client against this test's lnsd (bounded: never hangs a test).
lnsctl() {
	timeout 10 "$LNSCTL" -s "$LNS_SOCK" "$@"
}

# jget FILE EXPR / jget --len FILE EXPR (see jget.py)
jget() {
	"$PY" "$NETNS_DIR/jget.py" "$@"
}

# jdelta BEFORE AFTER EXPR: how much the count at EXPR grew between two JSON
# snapshots, or a phrase saying why there is no number.
jdelta() {
	local b a
	b=$(jget "$1" "$3" 2>/dev/null) || b=missing
	a=$(jget "$2" "$3" 2>/dev/null) || a=missing
	if [[ "$a" =~ ^[0-9]+$ ]] && [[ "$b" =~ ^[0-9]+$ ]]; then
		echo $((a - b))
	else
		echo "no count at $3 (before: $b, after: $a)"
	fi
}

# snap NAME ARGS...: save `lnsctl ARGS... --json` as $T_OUT/NAME.json; fails if
# lnsctl fails or the output does not parse.
snap() {
	local name=$1
	shift
	lnsctl "$@" --json >"$T_OUT/$name.json" 2>"$T_OUT/$name.err" &&
		jget --check "$T_OUT/$name.json"
}

# neigh_is ADDRESS STATE: lnsd's neighbour table has ADDRESS in STATE.
neigh_is() {
	snap neighbours show neighbours || return 1
	[ "$(jget "$T_OUT/neighbours.json" "neighbours[address=$1].state" 2>/dev/null)" = "$2" ]
}

# ping_from NS ADDRESS [COUNT]: ping; sets PING_SENT and PING_RECV, returns 0
# only if every echo was answered. Output in $T_OUT/ping-NS-ADDRESS.log.
ping_from() {
	local ns=$1 addr=$2 count=${3:-3} log out
	log="$T_OUT/ping-${ns%-"$T_SUFFIX"}-$addr.log"
	out=$(ip netns exec "$ns" ping -c "$count" -W 2 -i 0.2 "$addr" 2>&1) || true
	printf '%s\n' "$out" >"$log"
	PING_SENT=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' <<<"$out")
	PING_RECV=$(sed -n 's/.* \([0-9]*\) \(packets \)\{0,1\}received.*/\1/p' <<<"$out")
	PING_SENT=${PING_SENT:-0}
	PING_RECV=${PING_RECV:-0}
	[ "$PING_SENT" = "$count" ] && [ "$PING_RECV" = "$count" ]
}

# assert_ping NS ADDRESS: all 3 echoes answered.
assert_ping() {
	if ping_from "$1" "$2" 3; then
		ok "ping $2 from ${1%-"$T_SUFFIX"}: $PING_RECV/$PING_SENT answered"
	else
		fail "ping $2 from ${1%-"$T_SUFFIX"}: expected 3/3 answered, got $PING_RECV/$PING_SENT"
		sed 's/^/        | /' "$T_OUT/ping-${1%-"$T_SUFFIX"}-$2.log"
	fi
}
