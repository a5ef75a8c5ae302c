#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# test_dp_multi.sh again with dataplane.handoff: true: the worker that receives
# a session's L2TP data passes it to the worker owning the session (a hash of
# its IDs) over that worker's ring. Every subscriber's counters must still
# match what was sent, exactly, with two workers on two CPUs.
export T_NAME=test_dp_multi_handoff LNS_DP_EXTRA="handoff: true"
exec bash "$(dirname "$0")/test_dp_multi.sh" "$@"
