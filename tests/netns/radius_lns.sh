# shellcheck shell=bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Shared set-up of the lnsd-as-RADIUS-client tests (tests/netns/test_radius_
# auth.sh, _acct.sh, _failover.sh, _dae.sh). Source it after lib.sh and
# radius.sh, and after t_init:
#
#   rl_setup                    topo_basic, lwip-lac bridged, the pools routed
#                               from the core namespace via lnsd
#   rl_instance DIR NAME [radius_prepare settings...]
#                               a FreeRADIUS instance with the test users
#                               (rl_users) for lnsd's namespace, 127.0.0.1
#   rl_lnsd NAME                (re)start lnsd with rl_config; the previous
#                               one is stopped, its log kept as lnsd-PREV.log
#   rl_ctr NAME                 `show counters --json` as $T_OUT/NAME.json
#   rl_delta A B EXPR           EXPR's growth from snapshot A to B
#   rl_get NAME EXPR            EXPR in snapshot NAME
#   rl_sess USER FIELD          FIELD of USER's session in lnsctl (empty: none)
#   rl_nsess USER / rl_no_sess USER   how many sessions USER has / none
#   rl_lac_down ID              lwip-lac ID's session went down
#   rl_up ID USER PW AUTH [SECS]  lwip-lac ID as USER; waits for IPCP up
#   rl_records DIR...           the detail records of the instances, one JSON
#                               object a line, in order, "_server": the
#                               instance's name added
#   rl_pick JQ-FILTER DIR...    rl_records through `jq -c JQ-FILTER`
#   rl_wait_rec SECS DESC JQ-FILTER DIR...  until rl_pick prints something
#   rl_access_request DIR USER  the first Access-Request for USER, as the
#                               instance (started with RADIUS_DEBUG=1) logged it
#   rl_attr TEXT NAME           an attribute's value out of that
#   rl_mangle_start NAME PORT SERVER-PORT MODE / rl_mangle_stop NAME
#                               radius_mangle.py: a relay spoiling the answers
#
# The lnsd configuration (rl_config FILE) is the one of the brief: auth
# servers 127.0.0.1:1812 (priority 1) and :11812 (2), accounting :1813 and
# :11813, timeout 500 ms, 2 tries, dead time 30 s, DAE on 127.0.0.1:3799;
# RL_AUTH, RL_ACCT (YAML flow lists), RL_RADIUS_MORE (more lines of the radius
# mapping, "  key: value", indented by two spaces), RL_PPP (the ppp mapping), RL_POOL, RL_DEAD_TIME
# change it. Pools: default 100.64.0.0/24, gold 100.64.8.0/24; the core
# namespace routes 100.64.0.0/16 via lnsd.

RL_SECRET=testing123
RL_L2TP_SECRET=s
RL_POOL=100.64.0.0/24
RL_GOLD=100.64.8.0/24
RL_FIXED=100.64.0.50 # Framed-IP-Address of the users that have one
# shellcheck disable=SC2034 # for the tests: lnsd's radius.dae, for radclient
RL_DAE=127.0.0.1:3799
RL_AUTH="[{address: 127.0.0.1, port: 1812, secret: $RL_SECRET, priority: 1}, {address: 127.0.0.1, port: 11812, secret: $RL_SECRET, priority: 2}]"
RL_ACCT="[{address: 127.0.0.1, port: 1813, secret: $RL_SECRET, priority: 1}, {address: 127.0.0.1, port: 11813, secret: $RL_SECRET, priority: 2}]"
RL_RADIUS_MORE=
RL_PPP="{lcp-echo-interval: 10, ipv6: false}"
RL_RUN=

rl_setup() {
	require_cmd ethtool ping jq
	topo_basic
	lac_setup || t_skip "cannot build lwip-lac: $LAC_BUILD_ERR (scripts/deps.sh enables deb-src)"
	ip -n "$NS_CORE" route add 100.64.0.0/16 via "$LNS_CORE4"
	ip -n "$NS_LNS" link set lo up
}

# rl_config FILE
rl_config() {
	LNS_EXTRA_CONFIG="l2tp:
  peers:
    - {name: lac1, match: [\"192.0.2.0/24\"], secret: $RL_L2TP_SECRET}
ppp: $RL_PPP
pools:
  - {name: default, ranges: [\"$RL_POOL\"]}
  - {name: gold, ranges: [\"$RL_GOLD\"]}
radius:
  auth-servers: $RL_AUTH
  acct-servers: $RL_ACCT
  timeout-ms: 500
  retries: 2
  dead-time: ${RL_DEAD_TIME:-30}
  interim-interval: 60
  dae: {address: 127.0.0.1, port: 3799, clients: [{address: 127.0.0.1, secret: $RL_SECRET}]}${RL_RADIUS_MORE:+
$RL_RADIUS_MORE}" \
		config_basic "$1"
}

# rl_lnsd NAME: lnsd with rl_config (the previous one stopped first)
rl_lnsd() {
	if [ -n "$RL_RUN" ] && [ "$LNSD_RUNNING" = 1 ]; then
		lnsd_stop TERM 5000 || true
		assert_eq "lnsd ($RL_RUN) exit status" 0 "${LNSD_EXIT:-none}"
		cp "$T_OUT/lnsd.log" "$T_OUT/lnsd-$RL_RUN.log"
	fi
	RL_RUN=$1
	rl_config "$T_OUT/lnsd-$RL_RUN.yaml"
	lnsd_start "$T_OUT/lnsd-$RL_RUN.yaml"
}

# rl_users DIR: the users every test may use
#   pap1/chap1/ms1 (password pw): Framed-IP-Address 100.64.0.50 (one at a time)
#   gold (pw): Framed-Pool "gold"; plain (pw): nothing, the default pool
rl_users() {
	local u
	for u in pap1 chap1 ms1 fixed; do
		radius_user "$1" "$u" pw "Framed-IP-Address = $RL_FIXED"
	done
	radius_user "$1" gold pw 'Framed-Pool = "gold"'
	for u in plain plain2 plain3 plain4; do
		radius_user "$1" "$u" pw
	done
}

# rl_instance DIR NAME [settings...]: prepared (radius_prepare) with rl_users
# and, if given, the users of RL_EXTRA_USERS (a function NAME called with DIR)
rl_instance() {
	local dir=$1 name=$2
	shift 2
	radius_prepare "$dir" "$name" addr=127.0.0.1 client=127.0.0.1 secret="$RL_SECRET" "$@"
	rl_users "$dir"
	if [ -n "${RL_EXTRA_USERS:-}" ]; then "$RL_EXTRA_USERS" "$dir"; fi
}

# rl_ctr NAME: counters snapshot $T_OUT/NAME.json
rl_ctr() { snap "$1" show counters || fail "lnsctl show counters --json ($1)"; }

# rl_delta A B EXPR
rl_delta() { jdelta "$T_OUT/$1.json" "$T_OUT/$2.json" "$3"; }

# rl_get SNAPSHOT EXPR
rl_get() { jget "$T_OUT/$1.json" "$2" 2>/dev/null || echo missing; }

# rl_sess USER FIELD: FIELD of USER's (first) session in lnsctl, empty if none
rl_sess() {
	snap sessions show sessions >/dev/null 2>&1 || return 1
	jq -r --arg u "$1" --arg f "$2" \
		'[.sessions[] | select(.user == $u)][0] // {} | .[$f] // empty | tostring' "$T_OUT/sessions.json"
}

rl_nsess() {
	snap sessions show sessions >/dev/null 2>&1 || return 1
	jq -r --arg u "$1" '[.sessions[] | select(.user == $u)] | length' "$T_OUT/sessions.json"
}

# shellcheck disable=SC2317 # called through wait_for
rl_no_sess() { [ "$(rl_nsess "$1")" = 0 ]; }

# rl_up ID USER PW AUTH [SECS]: lwip-lac ID logs in as USER; returns 0 once IPCP is up
rl_up() {
	lac_start "$1" --secret "$RL_L2TP_SECRET" --user "$2" --password "$3" --auth "$4" || return 1
	lac_wait_up "$1" 1 "${5:-20}"
}

# rl_records DIR...: the instances' detail records, "_server" added
rl_records() {
	local d
	for d in "$@"; do
		radius_detail_records "$d" | jq -c --arg s "$(radius_get "$d" name)" '. + {_server: $s}'
	done
}

# rl_pick JQ-FILTER DIR...: matching records, compact JSON, one a line
rl_pick() {
	local f=$1
	shift
	rl_records "$@" | jq -c "$f"
}

# rl_wait_rec SECS DESCRIPTION JQ-FILTER DIR...
rl_wait_rec() {
	local secs=$1 desc=$2
	shift 2
	# shellcheck disable=SC2317 # called through wait_for
	_rl_has() { [ -n "$(rl_pick "$@" 2>/dev/null)" ]; }
	wait_for "$secs" "$desc" _rl_has "$@"
}

# rl_lac_down ID: lwip-lac ID's session went down (any reason)
# shellcheck disable=SC2317 # called through wait_for
rl_lac_down() { lac_logged "$1" '^session 1 down '; }

# rl_mangle_start NAME LISTEN-PORT SERVER-PORT MODE: radius_mangle.py in lnsd's
# namespace on 127.0.0.1:LISTEN-PORT, relaying to 127.0.0.1:SERVER-PORT and
# spoiling the answers (MODE: authenticator, strip-ma, none); log
# $T_OUT/mangle-NAME.log
declare -A RL_MANGLE_PID=()
rl_mangle_start() {
	local log=$T_OUT/mangle-$1.log
	: >"$log"
	ip netns exec "$NS_LNS" "$PY" "$NETNS_DIR/radius_mangle.py" --listen "127.0.0.1:$2" \
		--server "127.0.0.1:$3" --mode "$4" --log "$log" &
	RL_MANGLE_PID[$1]=$!
	proc_record "${RL_MANGLE_PID[$1]}" python3
	wait_for 5 "radius_mangle.py $1 ready" grep -q '^ready' "$log" ||
		die "radius_mangle.py $1 did not start"
	say "radius_mangle.py $1 (pid ${RL_MANGLE_PID[$1]}): 127.0.0.1:$2 -> 127.0.0.1:$3, mode $4"
}

rl_mangle_stop() {
	proc_stop "${RL_MANGLE_PID[$1]:-}" python3 2000
	unset "RL_MANGLE_PID[$1]"
}

# rl_access_request DIR USER: the attributes ("Name = value", one a line) of
# the first Access-Request for USER that DIR's instance received; needs the
# instance started with RADIUS_DEBUG=1 (freeradius -X logs every packet)
rl_access_request() {
	awk -v user="$2" '
		/^\([0-9]+\) Received Access-Request / { n = $1; inreq = 1; buf = ""; next }
		inreq && index($0, n "   ") == 1 {
			line = substr($0, length(n) + 4)
			buf = buf line "\n"
			if (line == "User-Name = \"" user "\"") mine = 1
			next
		}
		inreq { inreq = 0; if (mine) { printf "%s", buf; exit } }
	' "$1/radius.log"
}

# rl_attr TEXT NAME: the value of attribute NAME in rl_access_request's output
rl_attr() { sed -n "s/^$2 = //p" <<<"$1" | head -n 1; }
