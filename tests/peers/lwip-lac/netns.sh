# shellcheck shell=bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Shell helpers to run the lwip-lac test peer in a network namespace. Source
# it (after tests/netns/lib.sh if the test uses that; it needs nothing from it):
#
#   . "$LNS_ROOT/tests/peers/lwip-lac/netns.sh"
#   lwip_lac_build || t_skip "lwip-lac: cannot build"     # sets LWIP_LAC
#   lwip_lac_bridge "$NS_ACC" "$PE_ACC" lactap0 lacbr0    # TAP + bridge with the veth
#   lwip_lac_start "$NS_ACC" lactap0 "$T_OUT/lac.log" --ip 192.0.2.20/24 \
#       --lns 192.0.2.1 --secret s --user u --password p --sessions 4 --user-suffix
#   wait_for_line "$T_OUT/lac.log" '^session 4 up ' 30 || fail ...
#   lwip_lac_stop                                         # SIGTERM, orderly close
#
# lwip-lac exits by itself when the shell that started it dies (its parent
# death signal), so a test killed by the runner leaves no peer behind.

LWIP_LAC_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LWIP_LAC=${LWIP_LAC:-}
LWIP_LAC_PID=
LWIP_LAC_PIDS=()
LWIP_LAC_EXIT=

_lwip_lac_now_ms() {
	local t=${EPOCHREALTIME//[.,]/}
	echo $((t / 1000))
}

# lwip_lac_build [OUTDIR]: build (or find up to date) the program; sets LWIP_LAC.
# OUTDIR defaults to $LWIP_LAC_OUTDIR, else build.sh's own default
# (build/lwip-lac). Build messages go to stderr; returns 1 if it cannot be built.
LWIP_LAC_OUTDIR=${LWIP_LAC_OUTDIR:-}
lwip_lac_build() {
	local out
	out=$("$LWIP_LAC_DIR/build.sh" "${1:-$LWIP_LAC_OUTDIR}") || return 1
	LWIP_LAC=$(tail -n 1 <<<"$out")
	[ -x "$LWIP_LAC" ]
}

# lwip_lac_bridge NS UPLINK TAP [BRIDGE]: in NS, create the TAP device TAP and a
# Linux bridge BRIDGE (default br-TAP, cut to 15 characters) joining it to the
# existing interface UPLINK (the veth toward the LNS). UPLINK's addresses move
# to the bridge, so the namespace's own stack keeps them. Checksum offload is
# turned off on UPLINK and the TAP.
lwip_lac_bridge() {
	local ns=$1 up=$2 tap=$3 br=${4:-br-$3} a
	br=${br:0:15}
	ip -n "$ns" tuntap add dev "$tap" mode tap || return 1
	ip -n "$ns" link add "$br" type bridge stp_state 0 forward_delay 0 || return 1
	# The bridge takes the lowest port MAC unless told: keep UPLINK's.
	ip -n "$ns" link set "$br" address "$(ip -n "$ns" -br link show dev "$up" | awk '{print $3}')"
	ip netns exec "$ns" ethtool -K "$up" tx off rx off >/dev/null 2>&1 || true
	ip netns exec "$ns" ethtool -K "$tap" tx off rx off >/dev/null 2>&1 || true
	while read -r a; do
		[ -n "$a" ] || continue
		ip -n "$ns" addr del "$a" dev "$up"
		if [[ "$a" == *:* ]]; then
			ip -n "$ns" addr add "$a" dev "$br" nodad
		else
			ip -n "$ns" addr add "$a" dev "$br"
		fi
	done < <(ip -n "$ns" -o addr show dev "$up" scope global | awk '{print $4}')
	ip -n "$ns" link set "$up" master "$br" || return 1
	ip -n "$ns" link set "$tap" master "$br" || return 1
	ip -n "$ns" link set "$tap" up
	ip -n "$ns" link set "$up" up
	ip -n "$ns" link set "$br" up
}

# lwip_lac_start NS TAP LOG [ARGS...]: start lwip-lac in NS on TAP, stdout and
# stderr to LOG; sets LWIP_LAC_PID (and adds it to LWIP_LAC_PIDS). ARGS are
# lwip-lac's options (--ip, --lns, --user, --sessions ...). Returns 1 if it
# exited at once (bad options, no TAP): LOG says why.
lwip_lac_start() {
	local ns=$1 tap=$2 log=$3 deadline
	shift 3
	[ -x "$LWIP_LAC" ] || lwip_lac_build "$LWIP_LAC_OUTDIR" || return 1
	ip netns exec "$ns" "$LWIP_LAC" --tap "$tap" "$@" >"$log" 2>&1 &
	LWIP_LAC_PID=$! # ip netns exec execs lwip-lac: this is its pid
	LWIP_LAC_PIDS+=("$LWIP_LAC_PID")
	# It prints "lwip-lac start ..." once the TAP is open and the sessions made.
	deadline=$(($(_lwip_lac_now_ms) + 5000))
	until grep -q '^lwip-lac start ' "$log" 2>/dev/null; do
		if ! kill -0 "$LWIP_LAC_PID" 2>/dev/null || (($(_lwip_lac_now_ms) >= deadline)); then
			echo "lwip-lac did not start; $log:" >&2
			sed 's/^/    | /' "$log" >&2
			return 1
		fi
		sleep 0.05
	done
}

# lwip_lac_stop [PID] [MS]: SIGTERM lwip-lac (default: the last started) and
# wait up to MS (default 5000) for it to exit (it closes its sessions in up
# to 3 s); SIGKILL after that. Sets LWIP_LAC_EXIT; returns 1 if it had to be
# killed.
lwip_lac_stop() {
	local pid=${1:-$LWIP_LAC_PID} ms=${2:-5000} deadline rc=0
	[ -n "$pid" ] || return 0
	LWIP_LAC_EXIT=
	kill -TERM "$pid" 2>/dev/null || true
	deadline=$(($(_lwip_lac_now_ms) + ms))
	while kill -0 "$pid" 2>/dev/null && [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != Z ]; do
		if (($(_lwip_lac_now_ms) >= deadline)); then
			kill -KILL "$pid" 2>/dev/null || true
			rc=1
			break
		fi
		sleep 0.05
	done
	wait "$pid" 2>/dev/null || LWIP_LAC_EXIT=$?
	LWIP_LAC_EXIT=${LWIP_LAC_EXIT:-0}
	return "$rc"
}

# lwip_lac_stop_all: stop every lwip-lac this shell started (for a cleanup trap).
lwip_lac_stop_all() {
	local p
	for p in "${LWIP_LAC_PIDS[@]}"; do
		lwip_lac_stop "$p" 5000 || true
	done
	LWIP_LAC_PIDS=()
}

# wait_for_line LOG REGEX TIMEOUT: poll LOG (every 100 ms) until a line matches
# the extended regular expression REGEX; return 1 after TIMEOUT seconds
# (decimals allowed). Prints nothing.
wait_for_line() {
	local log=$1 re=$2 secs=$3 deadline ms
	ms=$(awk -v s="$secs" 'BEGIN { printf "%d", s * 1000 }')
	deadline=$(($(_lwip_lac_now_ms) + ms))
	while :; do
		grep -Eq -- "$re" "$log" 2>/dev/null && return 0
		(($(_lwip_lac_now_ms) >= deadline)) && return 1
		sleep 0.1
	done
}

# count_lines LOG REGEX: how many lines of LOG match REGEX (0 if none).
count_lines() {
	local n
	n=$(grep -Ec -- "$2" "$1" 2>/dev/null || true) # grep -c says 0, and exits 1, when none match
	echo "${n:-0}"
}
