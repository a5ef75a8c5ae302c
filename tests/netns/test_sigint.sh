#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# SIGINT (^C in a terminal) stops lnsd as orderly as SIGTERM (test_basic):
# within 2 s, exit status 0, final counters logged, nothing left behind in
# its DPDK runtime directory that would stop the next start with the same
# file prefix. Then lnsd starts again with the same configuration.
set -euo pipefail
# shellcheck source=tests/netns/lib.sh
. "$(dirname "$0")/lib.sh"

t_init
require_root
require_lnsd
require_cmd ethtool ping

topo_basic
config_basic "$T_OUT/lnsd.yaml"

for round in 1 2; do
	step "round $round: start, one ping, SIGINT"
	lnsd_start "$T_OUT/lnsd.yaml"
	assert_ping "$NS_ACC" "$LNS_ACC4"
	lnsd_stop INT 2000 || true
	assert_le "round $round: ms from SIGINT to exit" 2000 "${LNSD_STOP_MS:-none}"
	assert_eq "round $round: lnsd exit status after SIGINT" 0 "${LNSD_EXIT:-none}"
	assert_match "round $round: lnsd logged its final counters" 'final counters' "$(cat "$T_OUT/lnsd.log")"
	assert_cmd "round $round: management socket removed" test ! -e "$LNS_SOCK"
	cp "$T_OUT/lnsd.log" "$T_OUT/lnsd-round$round.log"
done

t_finish
