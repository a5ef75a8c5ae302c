#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# `lnsd --check -c FILE` validates a configuration and exits: 0 when it is
# valid, 2 with a "file:line:col: message" line on stderr when it is not. It
# must not need root, devices or the EAL, so nothing here sets any up.
#
# Valid: every config/examples/*.yaml and the configuration the netns tests
# use. Invalid: variants of the latter with one fault each, where the fault's
# line is known, so the reported line is checked too.
set -euo pipefail
# shellcheck source=tests/netns/lib.sh
. "$(dirname "$0")/lib.sh"

t_init
[ -x "$LNSD" ] || t_skip "$LNSD not built"

# run_check FILE: sets CHECK_RC and CHECK_ERR (stderr).
run_check() {
	CHECK_RC=0
	timeout 30 "$LNSD" --check -c "$1" >"$T_TMP/check.out" 2>"$T_TMP/check.err" || CHECK_RC=$?
	CHECK_ERR=$(cat "$T_TMP/check.err")
}

step "valid files"
shopt -s nullglob
examples=("$LNS_ROOT"/config/examples/*.yaml)
shopt -u nullglob
if [ ${#examples[@]} -eq 0 ]; then
	fail "no config/examples/*.yaml to check"
fi
for f in "${examples[@]}"; do
	run_check "$f"
	assert_eq "--check ${f#"$LNS_ROOT"/} exit status" 0 "$CHECK_RC"
	[ "$CHECK_RC" -eq 0 ] || printf '%s\n' "$CHECK_ERR" | sed 's/^/        | /'
done

# The netns tests' own configuration (interface names need not exist).
T_SUFFIX=chk$T_SUFFIX
LN_ACC=nonexist-a LN_CORE=nonexist-c
good=$T_OUT/good.yaml
config_basic "$good"
run_check "$good"
assert_eq "--check on the netns tests' configuration exit status" 0 "$CHECK_RC"
[ "$CHECK_RC" -eq 0 ] || printf '%s\n' "$CHECK_ERR" | sed 's/^/        | /'
assert_cmd "--check set up no DPDK runtime (/var/run/dpdk/$LNS_PREFIX absent)" test ! -e "/var/run/dpdk/$LNS_PREFIX"

step "invalid files"
# line_of PATTERN FILE: number of the first line containing PATTERN
line_of() { grep -n -F -- "$1" "$2" | head -n 1 | cut -d: -f1; }

# bad NAME EXPECTED_LINE: check $T_OUT/NAME.yaml is refused with status 2 and
# a file:line:col message (at EXPECTED_LINE unless that is "-").
bad() {
	local f="$T_OUT/$1.yaml" want=$2 re line
	run_check "$f"
	assert_eq "$1: --check exit status" 2 "$CHECK_RC"
	re="^$f:([0-9]+):([0-9]+): .+"
	line=$(grep -E -m 1 -- "^$f:[0-9]+:[0-9]+: " "$T_TMP/check.err" || true)
	if [[ "$line" =~ $re ]]; then
		ok "$1: message '$line'"
		if [ "$want" != - ]; then
			assert_eq "$1: line in the message" "$want" "${BASH_REMATCH[1]}"
		fi
		assert_ge "$1: column in the message" 1 "${BASH_REMATCH[2]}"
	else
		fail "$1: expected a line '$f:LINE:COL: message' on stderr, got:"
		printf '%s\n' "$CHECK_ERR" | head -n 10 | sed 's/^/        | /'
	fi
}

# YAML syntax: a flow mapping never closed.
printf 'log: {level: info}\nports:\n  - {name: access0, device: "net_null0"\nmanagement: {socket: /tmp/x.sock}\n' \
	>"$T_OUT/syntax.yaml"
bad syntax -

# An address that is not one.
sed "s#$LNS_ACC4/24#192.0.2.300/24#" "$good" >"$T_OUT/bad-address.yaml"
bad bad-address "$(line_of 192.0.2.300 "$T_OUT/bad-address.yaml")"

# A key the schema does not know.
cp "$good" "$T_OUT/unknown-key.yaml"
echo "no-such-section: {a: 1}" >>"$T_OUT/unknown-key.yaml"
bad unknown-key "$(line_of no-such-section "$T_OUT/unknown-key.yaml")"

# A route whose next hop is on no port's subnet.
sed "s#via: $CORE4#via: 203.0.113.1#" "$good" >"$T_OUT/unreachable-via.yaml"
bad unreachable-via "$(line_of 203.0.113.1 "$T_OUT/unreachable-via.yaml")"

# Two ports with the same name: the second one is the fault.
sed "s#name: core0#name: access0#" "$good" >"$T_OUT/duplicate-port.yaml"
bad duplicate-port "$(line_of "$LN_CORE" "$T_OUT/duplicate-port.yaml")"

# A file that does not exist.
missing=$T_OUT/missing.yaml
run_check "$missing"
assert_eq "missing file: --check exit status" 2 "$CHECK_RC"
assert_match "missing file: the message names the file" "^$missing:" "$CHECK_ERR"

t_finish
