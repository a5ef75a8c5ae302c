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
	# Other processes (xl2tpd, tcpdump, stand-in pppd): "proc PID COMM", killed
	# only while /proc/PID/comm still says COMM (see proc_record).
	while read -r kind val; do
		[ "$kind" = proc ] || continue
		proc_stop "${val%% *}" "${val#* }" 2000
	done <"$file"
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
# LNS_EXTRA_ROUTES: more routes, YAML list items indented by two spaces, one
# per line ("  - {prefix: 203.0.113.0/24, via: 192.0.2.254}"). LNS_LCORES:
# eal.lcores (default "0-1": one worker).
config_basic() {
	LNS_PREFIX=lns$T_SUFFIX
	LNS_SOCK=$T_TMP/lnsd.sock
	record dpdk "$LNS_PREFIX"
	cat >"$1" <<-EOF
		# written by tests/netns/lib.sh for $T_NAME
		eal: {lcores: "${LNS_LCORES:-0-1}", memory-mb: 256, no-huge: true, file-prefix: $LNS_PREFIX}
		log: {level: ${LNS_LOG_LEVEL:-info}}
		dataplane: {mbufs: 8191, idle-sleep-us: 100${LNS_DP_EXTRA:+, $LNS_DP_EXTRA}}
		ports:
		  - {name: access0, device: "net_af_packet0,iface=$LN_ACC", role: access, addresses: ["$LNS_ACC4/24", "$LNS_ACC6/64"]}
		  - {name: core0, device: "net_af_packet1,iface=$LN_CORE", role: core, addresses: ["$LNS_CORE4/24", "$LNS_CORE6/64"]}
		routes:
		  - {prefix: 0.0.0.0/0, via: $CORE4}
		  - {prefix: "::/0", via: "$CORE6"}
		management: {socket: $LNS_SOCK}
	EOF
	if [ -n "${LNS_EXTRA_ROUTES:-}" ]; then
		EXTRA=$LNS_EXTRA_ROUTES awk '/^management:/ { print ENVIRON["EXTRA"] } { print }' "$1" >"$1.tmp" &&
			mv "$1.tmp" "$1"
	fi
	# LNS_EXTRA_CONFIG: more top-level sections (an l2tp: block...), verbatim.
	if [ -n "${LNS_EXTRA_CONFIG:-}" ]; then
		printf '%s\n' "$LNS_EXTRA_CONFIG" >>"$1"
	fi
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

# ---------------------------------------------------------------------------
# Other processes a test starts (xl2tpd, tcpdump, the stand-in pppd). Each is
# recorded as "proc PID COMM": cleanup (and the runner's reaper) kill that
# PID only while /proc/PID/comm still says COMM, never by name.

# proc_record PID COMM (COMM: what the process will be called once it has
# exec'd, e.g. xl2tpd for `ip netns exec NS xl2tpd`)
proc_record() { record proc "$1 $2"; }

# proc_alive PID: exists and is not a zombie
proc_alive() {
	local st
	st=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
	[ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

# proc_stop PID COMM [MS]: SIGTERM, then SIGKILL after MS (default 2000) ms;
# only if PID is still called COMM. Reaps it when it is our child.
proc_stop() {
	local pid=$1 comm=$2 ms=${3:-2000} deadline
	[[ "$pid" =~ ^[0-9]+$ ]] || return 0
	if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$comm" ] && proc_alive "$pid"; then
		kill -TERM "$pid" 2>/dev/null || true
		deadline=$(($(now_ms) + ms))
		while proc_alive "$pid" && (($(now_ms) < deadline)); do sleep 0.02; done
		if proc_alive "$pid"; then kill -KILL "$pid" 2>/dev/null || true; fi
	fi
	wait "$pid" 2>/dev/null || true
}

# log_mark FILE: the number of lines FILE has now (for log_since / log_has)
log_mark() { if [ -f "$1" ]; then wc -l <"$1"; else echo 0; fi; }

# log_has FILE MARK ERE: a line after line MARK of FILE matches ERE
log_has() { tail -n "+$(($2 + 1))" "$1" 2>/dev/null | grep -Eq -- "$3"; }

# ---------------------------------------------------------------------------
# Packet capture: capture_start NAME NS IFACE [FILTER...] writes
# $T_OUT/NAME.pcap (tcpdump -U: every packet on disk as it arrives) and returns
# once tcpdump listens; capture_stop NAME ends it and leaves the file complete.
declare -A CAP_PID=()

capture_start() {
	local name=$1 ns=$2 ifc=$3 log
	shift 3
	log=$T_OUT/$name.tcpdump.log
	ip netns exec "$ns" tcpdump -Z root -U -n -i "$ifc" -w "$T_OUT/$name.pcap" "$@" >"$log" 2>&1 &
	CAP_PID[$name]=$!
	proc_record "${CAP_PID[$name]}" tcpdump
	# shellcheck disable=SC2317 # called through wait_for
	cap_listening() { grep -q 'listening on' "$1"; }
	wait_for 10 "tcpdump listening on $ifc" cap_listening "$log" ||
		die "tcpdump on $ifc did not start: $(cat "$log")"
}

capture_stop() {
	proc_stop "${CAP_PID[$1]:-}" tcpdump 3000
	unset "CAP_PID[$1]"
}

# capture_wait NAME FILTER [COUNT [SECONDS]]: wait until capture NAME holds COUNT (default 1)
# packets matching the tshark display FILTER (L2TP decoded on 1701): what a test checks in a
# capture must be in it before capture_stop, or tcpdump may be stopped with it still queued.
capture_wait() {
	local name=$1 filter=$2 want=${3:-1} secs=${4:-5}
	# shellcheck disable=SC2317 # called through wait_for
	cap_has() {
		[ "$(tshark -r "$T_OUT/$1.pcap" -d udp.port==1701,l2tp -Y "$2" 2>/dev/null | wc -l)" -ge "$3" ]
	}
	wait_for "$secs" "$want packet(s) matching '$filter' in capture $name" cap_has "$name" "$filter" "$want"
}

# ---------------------------------------------------------------------------
# xl2tpd as a LAC (user space: no PPP or L2TP in the kernel here).
#
#   xl2tpd_start ID NS [--fake-pppd] [--secret S] [--listen ADDR]
#                [--global "key = value"]... [key=value...]
#
# writes $T_TMP/xl2tpd-ID/{xl2tpd.conf,l2tp-secrets,options} and starts
# `xl2tpd -D` in NS, logging to $T_OUT/xl2tpd-ID.log. The [lac lns] section
# dials $LNS_ACC4; key=value pairs replace or add its lines (spaces in keys as
# in xl2tpd.conf: "hidden bit=yes"). --listen binds xl2tpd to ADDR (its source
# address). --secret writes "* * S" to its auth file (default tunnelsecret).
# --global adds a line to the [global] section ("max retries = 10").
#
# pppd cannot run here (no /dev/ppp): xl2tpd starts it after ICCN, it fails at
# once and xl2tpd sends a CDN. --fake-pppd bind-mounts, inside the private
# mount namespace `ip netns exec` gives xl2tpd, a script over /usr/sbin/pppd
# that just sleeps, so the call stays up; xl2tpd_kill_pppd ID ends it ("pppd
# exited": xl2tpd sends a CDN).
declare -A XL_PID=() XL_DIR=() XL_LOG=()

xl2tpd_start() {
	local id=$1 ns=$2 fake=0 secret=tunnelsecret listen='' dir log kv k v
	local -a global=()
	shift 2
	local -a keys=(lns redial "require authentication" name pppoptfile "length bit" challenge "hidden bit")
	local -A lac=()
	dir=$T_TMP/xl2tpd-$id
	log=$T_OUT/xl2tpd-$id.log
	mkdir -p "$dir"
	lac=([lns]=$LNS_ACC4 [redial]=no ["require authentication"]=no [name]=lac1
		[pppoptfile]=$dir/options ["length bit"]=yes [challenge]=no ["hidden bit"]=no)
	while [ $# -gt 0 ]; do
		case $1 in
		--fake-pppd) fake=1 ;;
		--secret) secret=$2; shift ;;
		--listen) listen=$2; shift ;;
		--global) global+=("$2"); shift ;;
		*=*)
			kv=$1
			k=${kv%%=*} v=${kv#*=}
			[ -n "${lac[$k]+set}" ] || keys+=("$k")
			lac[$k]=$v
			;;
		*) die "xl2tpd_start: bad argument '$1'" ;;
		esac
		shift
	done
	printf '* * %s\n' "$secret" >"$dir/l2tp-secrets"
	printf 'noauth\n' >"$dir/options"
	{
		echo "; written by tests/netns/lib.sh for $T_NAME ($id)"
		echo "[global]"
		echo "port = 1701"
		[ -z "$listen" ] || echo "listen-addr = $listen"
		echo "access control = no"
		echo "auth file = $dir/l2tp-secrets"
		echo "debug tunnel = yes"
		echo "debug state = yes"
		for kv in "${global[@]}"; do echo "$kv"; done
		echo "[lac lns]"
		for k in "${keys[@]}"; do echo "$k = ${lac[$k]}"; done
	} >"$dir/xl2tpd.conf"
	cat >"$dir/fake-pppd" <<-EOF
		#!/bin/sh
		# stand-in for pppd (written by tests/netns/lib.sh): stays up until killed
		echo "proc \$\$ sleep" >>"$T_OUT/.resources"
		echo "\$\$" >>"$dir/pppd.pids"
		exec sleep 3600
	EOF
	chmod +x "$dir/fake-pppd"
	: >"$dir/pppd.pids"
	XL_DIR[$id]=$dir
	XL_LOG[$id]=$log
	say "starting xl2tpd $id in $ns${listen:+ on $listen}$( ((fake)) && echo ', stand-in pppd') (log ${log#"$LNS_ROOT"/})"
	if ((fake)); then
		# shellcheck disable=SC2016 # $1 and $@ are the inner shell's
		ip netns exec "$ns" sh -c 'mount --bind "$1" /usr/sbin/pppd && shift && exec "$@"' sh \
			"$dir/fake-pppd" xl2tpd -D -c "$dir/xl2tpd.conf" -p "$dir/xl2tpd.pid" -C "$dir/control" \
			>"$log" 2>&1 &
	else
		ip netns exec "$ns" xl2tpd -D -c "$dir/xl2tpd.conf" -p "$dir/xl2tpd.pid" -C "$dir/control" \
			>"$log" 2>&1 &
	fi
	XL_PID[$id]=$!
	proc_record "${XL_PID[$id]}" xl2tpd
	# shellcheck disable=SC2317 # called through wait_for
	xl_ready() { [ -p "$1/control" ] && grep -q 'Listening on' "$2"; }
	wait_for 10 "xl2tpd $id ready" xl_ready "$dir" "$log" ||
		die "xl2tpd $id did not start: $(tail -n 5 "$log")"
}

# xl2tpd_ctl ID COMMAND: write one command to xl2tpd's control FIFO ("c lns": dial,
# "d lns": hang the tunnel up)
xl2tpd_ctl() {
	local fifo=${XL_DIR[$1]}/control
	[ -p "$fifo" ] || die "xl2tpd $1: no control FIFO $fifo"
	say "xl2tpd $1: $2"
	# shellcheck disable=SC2016 # $1 and $2 are the inner shell's
	timeout 5 sh -c 'printf "%s\n" "$1" >"$2"' sh "$2" "$fifo" || die "xl2tpd $1: cannot write '$2' to $fifo"
}

# xl2tpd_mark ID / xl2tpd_logged ID ERE: xl2tpd's log after the mark matches ERE
declare -A XL_MARK=()
xl2tpd_mark() { XL_MARK[$1]=$(log_mark "${XL_LOG[$1]}"); }
xl2tpd_logged() { log_has "${XL_LOG[$1]}" "${XL_MARK[$1]:-0}" "$2"; }

# xl2tpd_kill_pppd ID: end the live stand-in pppd(s) of xl2tpd ID; returns 1 if none
xl2tpd_kill_pppd() {
	local pid n=0
	while read -r pid; do
		[ -n "$pid" ] || continue
		if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = sleep ] && proc_alive "$pid"; then
			say "xl2tpd $1: killing its stand-in pppd (pid $pid)"
			kill -TERM "$pid"
			n=$((n + 1))
		fi
	done <"${XL_DIR[$1]}/pppd.pids"
	[ "$n" -gt 0 ]
}

# xl2tpd_stop ID
xl2tpd_stop() {
	[ -n "${XL_PID[$1]:-}" ] || return 0
	proc_stop "${XL_PID[$1]}" xl2tpd 3000
	unset "XL_PID[$1]"
}

# ---------------------------------------------------------------------------
# lnsd's L2TP view (lnsctl show tunnels / sessions --json)

# tunnel_of PEER FIELD: FIELD of the first tunnel whose peer is PEER (ip:port)
# that is not closing; empty if none. Snapshot in $T_OUT/tunnels.json.
tunnel_of() {
	snap tunnels show tunnels || return 1
	"$PY" - "$T_OUT/tunnels.json" "$1" "$2" <<-'EOF'
		import json, sys
		ts = [t for t in json.load(open(sys.argv[1]))["tunnels"]
		      if t["peer"] == sys.argv[2] and t["state"] != "closing"]
		v = ts[0][sys.argv[3]] if ts else ""
		print(json.dumps(v) if isinstance(v, bool) else v)
	EOF
}

# tunnel_state_is PEER STATE: the tunnel of PEER (not closing) is in STATE;
# STATE "none": PEER has no tunnel other than closing ones.
tunnel_state_is() {
	local st
	st=$(tunnel_of "$1" state) || return 1
	[ "${st:-none}" = "$2" ]
}

# session_of TID FIELD: FIELD of the first session of our tunnel TID (empty if none)
session_of() {
	snap sessions show sessions || return 1
	"$PY" - "$T_OUT/sessions.json" "$1" "$2" <<-'EOF'
		import json, sys
		ss = [s for s in json.load(open(sys.argv[1]))["sessions"] if str(s["tunnel_id"]) == sys.argv[2]]
		print(ss[0][sys.argv[3]] if ss else "")
	EOF
}

session_state_is() {
	local st
	st=$(session_of "$1" state) || return 1
	[ "${st:-none}" = "$2" ]
}

# ---------------------------------------------------------------------------
# PPP subscribers: lwip-lac (tests/peers/lwip-lac, a LAC and PPP client built
# from Debian's lwIP source), one process per TAP, the TAPs bridged with the
# access veth in the acc namespace (the veth's addresses move to the bridge).
#
#   lac_setup                 build lwip-lac (returns 1, the reason in
#                             LAC_BUILD_ERR, if it cannot), bridge $PE_ACC
#   lac_start ID ARGS...      lwip-lac ID on a TAP of its own, its address
#                             192.0.2.(20+n), --lns $LNS_ACC4 --timestamps ARGS;
#                             log $T_OUT/lac-ID.log; LAC_IP[ID], LAC_PID[ID]
#   lac_wait_up ID N SECS     N sessions of ID up (IPCP); returns 1 at once when
#                             one goes down, or at the deadline
#   lac_logged ID ERE         a line of its log matches ERE
#   lac_addrs ID              the IPv4 addresses its sessions got, one a line
#   lac_kill ID [SIGNAL]      signal it (default KILL) and reap it
#   lac_stop ID               SIGTERM (orderly: LCP Terminate, StopCCN), wait
#   ping_many NS COUNT ADDR...  ping every ADDR from NS at once; sets PING_ALL
#                             (echoes sent), PING_ALL_RECV, PING_FAILED (the
#                             addresses not answered every time)
#
# lwip-lac stops by itself when the test's shell dies; cleanup (and the
# runner's reaper) also stop it as "proc PID lwip-lac".
declare -A LAC_PID=() LAC_IP=() LAC_LOG=() LAC_TAP=()
LAC_N=0
LAC_BR=
LAC_BUILD_ERR=

lac_setup() {
	# shellcheck source=tests/peers/lwip-lac/netns.sh
	. "$LNS_ROOT/tests/peers/lwip-lac/netns.sh"
	if ! lwip_lac_build 2>"$T_OUT/lwip-lac-build.log"; then
		# shellcheck disable=SC2034 # for the caller
		LAC_BUILD_ERR=$(tail -n 3 "$T_OUT/lwip-lac-build.log" | tr '\n' ' ')
		return 1
	fi
	LAC_BR=lacbr$T_SUFFIX
	lwip_lac_bridge "$NS_ACC" "$PE_ACC" "lt0$T_SUFFIX" "$LAC_BR" || return 1
	say "lwip-lac: $LWIP_LAC; TAPs bridged with $PE_ACC in $LAC_BR"
}

lac_start() {
	local id=$1 n=$LAC_N tap
	shift
	LAC_N=$((LAC_N + 1))
	tap=lt$n$T_SUFFIX
	if ! ip -n "$NS_ACC" link show dev "$tap" >/dev/null 2>&1; then
		ip -n "$NS_ACC" tuntap add dev "$tap" mode tap
		ip netns exec "$NS_ACC" ethtool -K "$tap" tx off rx off >/dev/null 2>&1 || true
		ip -n "$NS_ACC" link set "$tap" master "$LAC_BR"
		ip -n "$NS_ACC" link set "$tap" up
	fi
	# shellcheck disable=SC2034 # for the caller
	LAC_TAP[$id]=$tap
	LAC_IP[$id]=192.0.2.$((20 + n))
	LAC_LOG[$id]=$T_OUT/lac-$id.log
	say "starting lwip-lac $id on $tap as ${LAC_IP[$id]}: $* (log ${LAC_LOG[$id]#"$LNS_ROOT"/})"
	if ! lwip_lac_start "$NS_ACC" "$tap" "${LAC_LOG[$id]}" --ip "${LAC_IP[$id]}/24" \
		--lns "$LNS_ACC4" --timestamps "$@"; then
		fail "lwip-lac $id did not start: $(tail -n 3 "${LAC_LOG[$id]}" | tr '\n' ' ')"
		return 1
	fi
	LAC_PID[$id]=$LWIP_LAC_PID
	proc_record "$LWIP_LAC_PID" lwip-lac
}

lac_logged() { grep -Eq -- "$2" "${LAC_LOG[$1]}" 2>/dev/null; }

lac_wait_up() {
	local id=$1 n=$2 secs=$3 deadline
	deadline=$(($(now_ms) + secs * 1000))
	while :; do
		[ "$(count_lines "${LAC_LOG[$id]}" '^session [0-9]+ up ')" -ge "$n" ] && return 0
		if lac_logged "$id" '^session [0-9]+ down '; then
			say "lwip-lac $id: $(grep -m1 -E '^session [0-9]+ down ' "${LAC_LOG[$id]}")"
			return 1
		fi
		if (($(now_ms) >= deadline)); then
			say "lwip-lac $id: $(count_lines "${LAC_LOG[$id]}" '^session [0-9]+ up ') of $n sessions up after ${secs}s"
			return 1
		fi
		sleep 0.1
	done
}

lac_addrs() { sed -n 's/^session [0-9]* up ip4=\([0-9.]*\) .*/\1/p' "${LAC_LOG[$1]}"; }

lac_kill() {
	local pid=${LAC_PID[$1]:-}
	[ -n "$pid" ] || return 0
	say "lwip-lac $1: SIG${2:-KILL} to pid $pid"
	kill "-${2:-KILL}" "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	unset "LAC_PID[$1]"
}

lac_stop() {
	local pid=${LAC_PID[$1]:-}
	[ -n "$pid" ] || return 0
	lwip_lac_stop "$pid" 5000 || say "lwip-lac $1 did not stop within 5 s: killed"
	unset "LAC_PID[$1]"
}

ping_many() {
	local ns=$1 count=$2 a pid
	local -a pids=()
	shift 2
	for a in "$@"; do
		ip netns exec "$ns" ping -c "$count" -W 2 -i 0.2 "$a" >"$T_OUT/ping-${ns%-"$T_SUFFIX"}-$a.log" 2>&1 &
		pids+=($!)
	done
	for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
	PING_ALL=0 PING_ALL_RECV=0 PING_FAILED=
	for a in "$@"; do
		local r
		r=$(sed -n 's/.* \([0-9]*\) \(packets \)\{0,1\}received.*/\1/p' "$T_OUT/ping-${ns%-"$T_SUFFIX"}-$a.log")
		PING_ALL=$((PING_ALL + count))
		PING_ALL_RECV=$((PING_ALL_RECV + ${r:-0}))
		[ "${r:-0}" = "$count" ] || PING_FAILED+="$a "
	done
	[ -z "$PING_FAILED" ]
}
