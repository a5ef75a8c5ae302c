# shellcheck shell=bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Private FreeRADIUS instances for the namespace tests (RADIUS server for
# lnsd's client: authentication, accounting; radclient for RFC 5176 requests
# to lnsd). Source it after lib.sh and t_init:
#
#   . "$(dirname "$0")/lib.sh"
#   . "$(dirname "$0")/radius.sh"
#   t_init; require_root; require_radius
#   radius_prepare "$T_OUT/radius" r1 addr=198.51.100.254 client=198.51.100.1 secret=s3cret
#   radius_user "$T_OUT/radius" alice pw 'Framed-IP-Address = 100.64.0.50' 'Session-Timeout = 30'
#   radius_start_ns "$NS_CORE" "$T_OUT/radius"
#   ...
#   radius_detail_records "$T_OUT/radius"     # accounting received, JSON lines
#   radius_disconnect "$NS_CORE" 198.51.100.1:3799 s3cret 'Acct-Session-Id = "..."'
#
# An instance lives in a directory of its own (DIR, absolute or not): a copy
# of /etc/freeradius/3.0 (modules, policies, dictionaries; the system's files
# are never changed) with its own radiusd.conf, clients.conf, users file and
# a single virtual server whose listeners are the only sockets it opens (see
# tests/netns/radius/). It logs to DIR/radius.log (DIR/radius.out: what
# FreeRADIUS writes to stdout and stderr), writes accounting to DIR/detail
# and runs as root. RADIUS_DEBUG=1 starts it with -X instead of -f: the
# debug output goes to DIR/radius.log.
#
# Every instance started is recorded like the other processes of a test
# ("proc PID freeradius", see proc_record), so lib.sh's cleanup trap and the
# runner's reaper stop it whatever happens; radius_stop and radius_stop_all
# stop them earlier.
#
# Functions (details above each):
#   require_radius
#   radius_prepare DIR NAME [addr=A] [auth=P] [acct=P] [da=P] [client=A] [secret=S]
#                  [require_ma=yes|no] [reply_ma=yes|no]
#   radius_client DIR ADDR SECRET [yes|no]        another client
#   radius_user DIR USER PASSWORD [REPLY-ATTR...]
#   radius_dictionary DIR FILE                     $INCLUDE a dictionary
#   radius_start DIR / radius_start_ns NS DIR      start, wait until ready
#   radius_stop DIR / radius_stop_all
#   radius_running DIR / radius_pid DIR / radius_get DIR KEY
#   radius_detail_records DIR                      accounting, JSON lines
#   radius_detail_json DIR                         the same, one JSON list
#   radius_send NS SERVER:PORT CODE SECRET [ATTR...]   radclient, reply as JSON
#   radius_disconnect NS SERVER:PORT SECRET ATTR...    Disconnect-Request
#   radius_coa NS SERVER:PORT SECRET ATTR...           CoA-Request
#   radius_auth NS SERVER:PORT SECRET TYPE USER PASSWORD   radtest, reply as JSON
#   radius_field JSON EXPR                         a value out of those replies

if ! declare -F proc_record >/dev/null; then
	# shellcheck source=tests/netns/lib.sh
	. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
fi

RADIUS_SYSCONF=${RADIUS_SYSCONF:-/etc/freeradius/3.0}
RADIUSD=${RADIUSD:-freeradius}
RADIUS_TPL=$NETNS_DIR/radius
# lns's vendor dictionary: every instance and radclient include it when it exists
RADIUS_LNS_DICT=${RADIUS_LNS_DICT:-$LNS_ROOT/docs/radius-dictionary}
RADIUS_DEBUG=${RADIUS_DEBUG:-0}
RADIUS_START_TIMEOUT=${RADIUS_START_TIMEOUT:-15} # seconds
# radclient: seconds to wait for a reply, and how many times to send
RADIUS_TIMEOUT=${RADIUS_TIMEOUT:-1}
RADIUS_RETRIES=${RADIUS_RETRIES:-2}
# Modules an instance loads (from mods-available), besides its own detail.
RADIUS_MODULES=(always attr_filter chap expr files mschap pap preprocess)
declare -A RADIUS_PID=()
RADIUS_CLIENT_DIR=

require_radius() {
	require_cmd "$RADIUSD" radclient radtest
	[ -f "$RADIUS_SYSCONF/radiusd.conf" ] ||
		t_skip "needs FreeRADIUS's configuration in $RADIUS_SYSCONF (packages freeradius freeradius-utils)"
}

# radius_quote STRING: STRING double-quoted, \ and " escaped, as the users
# file wants it (clients.conf does not unescape \\: see radius_client)
radius_quote() {
	local s=${1//\\/\\\\}
	s=${s//\"/\\\"}
	printf '"%s"' "$s"
}

# radius_get DIR KEY: a setting radius_prepare recorded in DIR/instance
# (name addr auth acct da client secret require_ma reply_ma).
radius_get() {
	sed -n "s/^$2=//p" "$1/instance" | head -n 1
}

# radius_prepare DIR NAME [key=value...]: a new configuration directory DIR
# (must not exist, or be empty) for an instance called NAME. Settings:
#   addr=127.0.0.1     the address it listens on (IPv4 or IPv6)
#   auth=1812          its authentication port
#   acct=1813          its accounting port ("" for none)
#   da=                a port for a stand-in RFC 5176 server (CoA and
#                      Disconnect, see radius/da.conf), for trying the
#                      radclient wrappers without lnsd; none by default
#   client=127.0.0.1   the one client it answers (an address or a prefix)
#   secret=testing123  that client's shared secret
#   require_ma=yes     require Message-Authenticator in that client's
#                      requests (FreeRADIUS 3.2.1 drops an Access-Request,
#                      CoA-Request or Disconnect-Request without one, and
#                      logs it only with RADIUS_DEBUG=1)
#   reply_ma=yes       sign every Access-Accept and Access-Reject with a
#                      Message-Authenticator (as Blast-RADIUS-hardened
#                      servers do); no: none at all, whatever the request
#                      had, as FreeRADIUS 3.2.1 does by default
# Users: radius_user; more clients: radius_client.
radius_prepare() {
	local dir=$1 name=$2 kv k m listen da_text conf reply_ma_text
	local addr=127.0.0.1 auth=1812 acct=1813 da='' client=127.0.0.1 secret=testing123 require_ma=yes reply_ma=yes
	shift 2
	for kv in "$@"; do
		k=${kv%%=*}
		case $k in
		addr | auth | acct | da | client | secret | require_ma | reply_ma) printf -v "$k" '%s' "${kv#*=}" ;;
		*) die "radius_prepare: unknown setting '$kv'" ;;
		esac
	done
	for kv in "require_ma=$require_ma" "reply_ma=$reply_ma"; do
		case ${kv#*=} in yes | no) ;; *) die "radius_prepare: $kv (yes or no)" ;; esac
	done
	[[ "$name" =~ ^[A-Za-z0-9_.-]+$ ]] || die "radius_prepare: name '$name' (letters, digits, _ . -)"
	[[ "$addr" =~ ^[0-9A-Fa-f.:*]+$ ]] || die "radius_prepare: addr=$addr"
	dir=$(realpath -m "$dir")
	# unquoted in radiusd.conf, expanded (%) in the detail module's file name
	[[ "$dir" =~ ^[A-Za-z0-9_./+-]+$ ]] || die "radius_prepare: directory '$dir' (letters, digits, _ . / + -)"
	if [ -e "$dir" ] && [ -n "$(ls -A "$dir")" ]; then
		die "radius_prepare: $dir exists and is not empty"
	fi
	mkdir -p "$dir"
	# The system's configuration, symbolic links kept as they are: they are
	# relative (mods-enabled/pap -> ../mods-available/pap), so they point into
	# the copy. Then only what the tests need is enabled.
	cp -R "$RADIUS_SYSCONF/." "$dir/"
	rm -f "$dir"/mods-enabled/* "$dir"/sites-enabled/*
	for m in "${RADIUS_MODULES[@]}"; do
		ln -s "../mods-available/$m" "$dir/mods-enabled/$m"
	done
	cat >"$dir/mods-enabled/detail" <<-EOF
		# Every accounting request, to one file (radius_detail_records reads it).
		detail {
			filename = $(radius_quote "$dir/detail")
			escape_filenames = no
			permissions = 0600
			header = "%t"
			locking = no
		}
	EOF
	# No users but the test's, and no rewriting of user names (Debian's hints
	# strip ".ppp" and the like, its users file answers every PPP request).
	printf '# users of %s (radius_user)\n' "$name" >"$dir/mods-config/files/authorize"
	printf '# none\n' >"$dir/mods-config/preprocess/hints"
	printf '# none\n' >"$dir/mods-config/files/accounting"
	conf=$(<"$RADIUS_TPL/radiusd.conf")
	conf=${conf//@NAME@/"$name"}
	printf '%s\n' "${conf//@DIR@/"$dir"}" >"$dir/radiusd.conf"
	: >"$dir/clients.conf"
	radius_client "$dir" "$client" "$secret" "$require_ma"
	listen=$(radius_listen auth "$addr" "$auth")
	[ -z "$acct" ] || listen+=$'\n'$(radius_listen acct "$addr" "$acct")
	da_text=
	if [ -n "$da" ]; then
		listen+=$'\n'$(radius_listen coa "$addr" "$da")
		da_text=$(cat "$RADIUS_TPL/da.conf")
	fi
	reply_ma_text='# reply_ma=no: no Message-Authenticator in replies'
	[ "$reply_ma" = no ] ||
		reply_ma_text=$(printf 'update reply {\n\t&Message-Authenticator := 0x00\n}')
	# Each marker line becomes its text, indented as the marker was.
	LISTEN=$listen DA=$da_text REPLY_MA=$reply_ma_text awk '
		$1 ~ /^@[A-Z_]+@$/ {
			ind = $0
			sub(/[^\t ].*/, "", ind)
			n = split(ENVIRON[substr($1, 2, length($1) - 2)], l, "\n")
			for (i = 1; i <= n; i++) print (l[i] == "" ? "" : ind l[i])
			next
		}
		{ print }' "$RADIUS_TPL/site.conf" >"$dir/sites-enabled/lns"
	if [ -f "$RADIUS_LNS_DICT" ]; then
		radius_dictionary "$dir" "$RADIUS_LNS_DICT"
	fi
	printf '%s\n' "name=$name" "addr=$addr" "auth=$auth" "acct=$acct" "da=$da" \
		"client=$client" "secret=$secret" "require_ma=$require_ma" "reply_ma=$reply_ma" >"$dir/instance"
	[[ "$addr" != *:* ]] || addr="[$addr]"
	say "radius $name: prepared in ${dir#"$LNS_ROOT"/}, auth $addr:$auth${acct:+, acct $addr:$acct}${da:+, dynamic authorisation $addr:$da}, client $client (Message-Authenticator required: $require_ma, in replies: $reply_ma)"
}

# radius_listen TYPE ADDR PORT: a listen section
radius_listen() {
	printf 'listen {\n\ttype = %s\n\tipaddr = %s\n\tport = %s\n}\n' "$1" "$2" "$3"
}

# radius_client DIR ADDR SECRET [REQUIRE_MA]: one more client (an address or
# a prefix) in DIR/clients.conf. REQUIRE_MA (yes, the default, or no): drop
# its Access-, CoA- and Disconnect-Requests that have no Message-Authenticator.
radius_client() {
	local dir=$1 n
	# FreeRADIUS 3.2.1 keeps a backslash in a quoted string of radiusd.conf
	# and clients.conf as it is ("a\\b" is a, two backslashes, b), but
	# unescapes \" : no backslashes, then, rather than guesswork.
	[[ "$3" != *\\* && "$3" != *[[:cntrl:]]* ]] ||
		die "radius_client: a secret with a backslash or a control character"
	n=$(grep -c '^client ' "$dir/clients.conf" || true)
	cat >>"$dir/clients.conf" <<-EOF
		client c$((n + 1)) {
			ipaddr = $2
			secret = $(radius_quote "$3")
			require_message_authenticator = ${4:-yes}
			nas_type = other
		}
	EOF
}

# radius_user DIR USER PASSWORD [REPLY-ATTR...]: a user (Cleartext-Password,
# so PAP, CHAP, MS-CHAP and MS-CHAPv2 all work) answered with the reply
# attributes given ('Framed-IP-Address = 100.64.0.50', 'Session-Timeout = 30').
# Read at start-up: add users before radius_start.
radius_user() {
	local dir=$1 user=$2 pw=$3 i
	shift 3
	{
		printf '%s\tCleartext-Password := %s\n' "$(radius_quote "$user")" "$(radius_quote "$pw")"
		for ((i = 1; i <= $#; i++)); do
			if ((i < $#)); then
				printf '\t%s,\n' "${!i}"
			else
				printf '\t%s\n' "${!i}"
			fi
		done
		echo
	} >>"$dir/mods-config/files/authorize"
}

# radius_dictionary DIR FILE: DIR's instance and radclient (the wrappers
# below) both read dictionary FILE ($INCLUDE, absolute path). lns's own
# (docs/radius-dictionary) is included already when it exists.
radius_dictionary() {
	local f
	f=$(realpath "$2")
	printf '%s\n' "\$INCLUDE $f" >>"$1/dictionary"
	radius_client_dir >/dev/null
	grep -qxF "\$INCLUDE $f" "$RADIUS_CLIENT_DIR/dictionary" ||
		printf '%s\n' "\$INCLUDE $f" >>"$RADIUS_CLIENT_DIR/dictionary"
}

# radius_client_dir: radclient's directory (-d) for the wrappers: a dictionary
# with lns's dictionary and those radius_dictionary added. Made on first use.
radius_client_dir() {
	if [ -z "$RADIUS_CLIENT_DIR" ]; then
		RADIUS_CLIENT_DIR=${T_TMP:-$(mktemp -d /tmp/lns-radclient.XXXXXX)}/radclient
		mkdir -p "$RADIUS_CLIENT_DIR"
		printf '# radclient dictionary of %s\n' "$T_NAME" >"$RADIUS_CLIENT_DIR/dictionary"
		if [ -f "$RADIUS_LNS_DICT" ]; then
			printf '%s\n' "\$INCLUDE $RADIUS_LNS_DICT" >>"$RADIUS_CLIENT_DIR/dictionary"
		fi
	fi
	echo "$RADIUS_CLIENT_DIR"
}

# ---------------------------------------------------------------------------
# Starting and stopping

radius_start() { radius_start_ns "" "$1"; }

# radius_start_ns NS DIR: start DIR's instance in namespace NS ("" or "-":
# this one) and return once it has logged "Ready to process requests", by
# then its sockets are bound. Dies if it exits or is not ready within
# RADIUS_START_TIMEOUT seconds (the end of its log is shown).
radius_start_ns() {
	local ns=$1 dir name log mark pid t0 deadline
	local -a pre=() args=(-f -d)
	dir=$(realpath -m "$2")
	[ -f "$dir/instance" ] || die "radius_start: $dir was not made by radius_prepare"
	name=$(radius_get "$dir" name)
	if [ -n "${RADIUS_PID[$dir]:-}" ] && proc_alive "${RADIUS_PID[$dir]}"; then
		die "radius $name: already running (pid ${RADIUS_PID[$dir]})"
	fi
	[ "$ns" = - ] && ns=
	[ -z "$ns" ] || pre=(ip netns exec "$ns")
	[ "$RADIUS_DEBUG" != 1 ] || args=(-X -l "$dir/radius.log" -d)
	log=$dir/radius.log
	mark=$(log_mark "$log")
	t0=$(now_ms)
	"${pre[@]}" "$RADIUSD" "${args[@]}" "$dir" >>"$dir/radius.out" 2>&1 </dev/null &
	pid=$! # ip netns exec execs freeradius: this is its pid
	proc_record "$pid" freeradius
	RADIUS_PID[$dir]=$pid
	echo "$pid" >"$dir/pid"
	deadline=$((t0 + RADIUS_START_TIMEOUT * 1000))
	while ! log_has "$log" "$mark" 'Ready to process requests'; do
		if ! proc_alive "$pid"; then
			wait "$pid" 2>/dev/null || true
			unset "RADIUS_PID[$dir]"
			radius_show_log "$dir"
			die "radius $name: freeradius exited during start-up"
		fi
		if (($(now_ms) >= deadline)); then
			radius_show_log "$dir"
			die "radius $name: not ready after ${RADIUS_START_TIMEOUT}s"
		fi
		sleep 0.02
	done
	RADIUS_START_MS=$(($(now_ms) - t0))
	say "radius $name: freeradius (pid $pid) ready${ns:+ in $ns} after $RADIUS_START_MS ms"
}

radius_show_log() {
	local f
	for f in "$1/radius.out" "$1/radius.log"; do
		[ -s "$f" ] || continue
		echo "--- last 30 lines of $f"
		tail -n 30 "$f"
	done
	echo "---"
}

# radius_pid DIR: the pid of DIR's running instance (empty if none)
radius_pid() {
	local dir
	dir=$(realpath -m "$1")
	echo "${RADIUS_PID[$dir]:-}"
}

# radius_running DIR: DIR's instance is running
radius_running() {
	local pid
	pid=$(radius_pid "$1")
	[ -n "$pid" ] && proc_alive "$pid"
}

# radius_stop DIR: SIGTERM (SIGKILL after 3 s) to DIR's instance.
radius_stop() {
	local dir pid
	dir=$(realpath -m "$1")
	pid=${RADIUS_PID[$dir]:-}
	[ -n "$pid" ] || return 0
	proc_stop "$pid" freeradius 3000
	unset "RADIUS_PID[$dir]"
	say "radius $(radius_get "$dir" name): stopped (pid $pid)"
}

radius_stop_all() {
	local dir
	for dir in "${!RADIUS_PID[@]}"; do
		radius_stop "$dir"
	done
}

# ---------------------------------------------------------------------------
# Accounting received

# radius_detail_records DIR: the accounting requests DIR's instance received
# (DIR/detail), one JSON object a line, in order: every attribute logged
# (Acct-Status-Type, Acct-Session-Id, Acct-Input-Octets, Acct-Input-Gigawords,
# Acct-Delay-Time, Acct-Terminate-Cause...; FreeRADIUS adds
# Acct-Unique-Session-Id, Timestamp and, when missing, NAS-IP-Address), plus
# "_header": the time line. Integers are numbers, enumerated values their
# names ("Start", "Interim-Update", "User-Request"), a repeated attribute a
# list. Nothing (and status 0) when nothing was received.
radius_detail_records() {
	"$PY" "$RADIUS_TPL/radjson.py" detail "$(realpath -m "$1")/detail"
}

# radius_detail_json DIR: the same as one JSON list (for jget:
# `radius_detail_json DIR | jget - '[2].Acct-Status-Type'`).
radius_detail_json() {
	radius_detail_records "$1" | "$PY" -c 'import json, sys; print(json.dumps([json.loads(l) for l in sys.stdin]))'
}

# ---------------------------------------------------------------------------
# radclient and radtest

# radius_send NS SERVER:PORT CODE SECRET [ATTR...]: send one request with
# radclient from namespace NS ("" or "-": this one). CODE: auth, acct, status,
# coa or disconnect. ATTRs, one an argument: 'Acct-Session-Id = "s1"'; add
# 'Message-Authenticator = 0x00' for radclient to sign the request.
# Prints one JSON line: {"code": "Disconnect-ACK", "id": N, "from": ...,
# "attrs": {...}, "sent": "Disconnect-Request"}, "code": null when no reply
# came (RADIUS_TIMEOUT seconds, RADIUS_RETRIES tries). Returns 0 when a reply
# came, whatever its code. radclient's output is appended to
# $T_OUT/radclient.log.
radius_send() {
	local ns=$1 server=$2 code=$3 secret=$4 out rc=0 raddb
	local -a pre=()
	shift 4
	[ "$ns" = - ] && ns=
	[ -z "$ns" ] || pre=(ip netns exec "$ns")
	raddb=$(radius_client_dir)
	# radclient sends nothing without an attribute; Status-Server must be signed
	[ $# -gt 0 ] || [ "$code" != status ] || set -- 'Message-Authenticator = 0x00'
	out=$(if [ $# -gt 0 ]; then printf '%s\n' "$@"; fi |
		"${pre[@]}" radclient -x -d "$raddb" -t "$RADIUS_TIMEOUT" -r "$RADIUS_RETRIES" \
			"$server" "$code" "$secret" 2>&1) || rc=$?
	radius_log_client "radclient $code to $server${ns:+ from $ns} (exit $rc)" "$out"
	radius_reply_json "$out"
}

# radius_reply_json OUTPUT: radclient -x OUTPUT as JSON; status 0 if a reply came
radius_reply_json() {
	local json
	json=$(printf '%s\n' "$1" | "$PY" "$RADIUS_TPL/radjson.py" reply)
	echo "$json"
	[[ "$json" != '{"code": null'* ]]
}

# radius_field JSON EXPR: the value at EXPR (jget's paths: code,
# attrs.Framed-IP-Address) of a JSON text, or nothing when it has none.
radius_field() {
	printf '%s\n' "$1" | jget - "$2" 2>/dev/null || true
}

radius_log_client() {
	[ -n "${T_OUT:-}" ] && [ -d "$T_OUT" ] || return 0
	printf '%s %s\n%s\n\n' "$(date +%T.%3N)" "$1" "$2" >>"$T_OUT/radclient.log"
}

# radius_disconnect NS SERVER:PORT SECRET ATTR...: an RFC 5176
# Disconnect-Request (to lnsd: its dynamic authorisation port, 3799 by
# default); prints the reply as radius_send does.
radius_disconnect() {
	local ns=$1 server=$2 secret=$3
	shift 3
	radius_send "$ns" "$server" disconnect "$secret" "$@"
}

# radius_coa NS SERVER:PORT SECRET ATTR...: an RFC 5176 CoA-Request.
radius_coa() {
	local ns=$1 server=$2 secret=$3
	shift 3
	radius_send "$ns" "$server" coa "$secret" "$@"
}

# radius_auth NS SERVER:PORT SECRET TYPE USER PASSWORD: radtest -t TYPE (pap,
# chap or mschap; radtest signs its requests with a Message-Authenticator)
# from namespace NS; prints the reply as radius_send does.
radius_auth() {
	local ns=$1 server=$2 secret=$3 type=$4 user=$5 pw=$6 out rc=0
	local -a pre=()
	[ "$ns" = - ] && ns=
	[ -z "$ns" ] || pre=(ip netns exec "$ns")
	out=$("${pre[@]}" radtest -t "$type" -d "$(radius_client_dir)" "$user" "$pw" "$server" 0 "$secret" "" 127.0.0.1 2>&1 </dev/null) || rc=$?
	radius_log_client "radtest -t $type $user to $server${ns:+ from $ns} (exit $rc)" "$out"
	radius_reply_json "$out"
}
