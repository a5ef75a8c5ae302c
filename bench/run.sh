#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The worker benchmark: runs build/bench/lns_bench for N = 1k, 64k and 1M
# sessions, DPDK's testpmd (io forwarding) for the I/O floor, and writes
# bench/results/latest.json (plus a timestamped copy), bench/results/latest.svg
# and the results section of docs/performance.md. `make bench` builds and runs
# it; `make bench QUICK=1` runs shorter windows (about 30 s instead of 1.5 min).
#
#   QUICK=1     shorter measured windows (same matrix, same repetitions)
#   IPV6_ALL=1  the IPv6 scenarios (up6, down6) at every size, not only 64 B
#   WORKERS=N   several workers at once, 1 up to N (default: the CPUs there are, at most
#               15: net_ring's 16 queues a port); 64 B, plain/up/down. WORKERS=1: none.
#               (adds about 17 s)
#   PROFILE=1   also profile the worker with perf (needs perf; adds ~25 s)
#   REMOTE=1    also run the worker loop on its own lcore, fed across cores
#   BUILD=dir   the meson build directory (default build)
#   SESSIONS="1000 64000 1000000"  the session counts
#
# Hugepages: as root, with hugetlbfs in the kernel, it reserves 2 MiB pages for
# the run (nr_hugepages raised, a private hugetlbfs mount) and gives them back
# afterwards; otherwise it runs on --no-huge memory and says so in the results.
set -euo pipefail

cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
QUICK=${QUICK:-0}
[ -n "$QUICK" ] || QUICK=0
PROFILE=${PROFILE:-0}
[ -n "$PROFILE" ] || PROFILE=0
REMOTE=${REMOTE:-0}
[ -n "$REMOTE" ] || REMOTE=0
SESSIONS=${SESSIONS:-"1000 64000 1000000"}
SIZES=64,512,1400
IPV6_ALL=${IPV6_ALL:-0}
[ -n "$IPV6_ALL" ] || IPV6_ALL=0
SIZES6=64
WORKERS=${WORKERS:-$(nproc)}
[ -n "$WORKERS" ] || WORKERS=$(nproc)
[ "$WORKERS" -le 15 ] || WORKERS=15
[ "$IPV6_ALL" = 0 ] || SIZES6=$SIZES
BIN=$BUILD/bench/lns_bench
OUT=bench/results

if [ ! -x "$BIN" ]; then
	echo "bench: $BIN is missing: build with 'make bench' (meson option bench=true)" >&2
	exit 1
fi
if [ "$QUICK" != 0 ]; then
	WIN=(--window-ms 40 --warmup-ms 10 --reps 3)
	TP_SECONDS=0.5
else
	WIN=(--window-ms 200 --warmup-ms 40 --reps 3)
	TP_SECONDS=1.5
fi

TMP=$(mktemp -d /tmp/lns-bench.XXXXXX)
PREFIX=lnsbench$$
HUGE_OLD=
HUGE_MNT=
cleanup() {
	if [ -n "$HUGE_MNT" ]; then
		umount "$HUGE_MNT" 2>/dev/null || true
	fi
	if [ -n "$HUGE_OLD" ]; then
		echo "$HUGE_OLD" >/proc/sys/vm/nr_hugepages 2>/dev/null || true
	fi
	rm -rf "$TMP" "/var/run/dpdk/$PREFIX" "/var/run/dpdk/$PREFIX-tp" 2>/dev/null || true
}
trap cleanup EXIT

# 2 MiB pages for 1M sessions: about 600 MiB of tables, 40 MiB of mbufs.
HUGE_PAGES=720
MEM=(--no-huge -m 1536)
MEMORY_MODE="4 KiB pages (--no-huge)"
if [ "$(id -u)" = 0 ] && grep -qw hugetlbfs /proc/filesystems &&
	[ -w /proc/sys/vm/nr_hugepages ]; then
	old=$(cat /proc/sys/vm/nr_hugepages)
	free=$(awk '/HugePages_Free/ {print $2}' /proc/meminfo)
	if [ "$free" -lt "$HUGE_PAGES" ]; then
		HUGE_OLD=$old
		echo $((old + HUGE_PAGES - free)) >/proc/sys/vm/nr_hugepages 2>/dev/null || true
		# Pages a previous run gave back may take a moment to be free again.
		for _ in 1 2 3 4 5; do
			free=$(awk '/HugePages_Free/ {print $2}' /proc/meminfo)
			[ "$free" -lt "$HUGE_PAGES" ] || break
			sleep 1
			echo $(($(cat /proc/sys/vm/nr_hugepages) + HUGE_PAGES - free)) \
				>/proc/sys/vm/nr_hugepages 2>/dev/null || true
		done
	fi
	mkdir -p "$TMP/huge"
	if [ "$free" -ge "$HUGE_PAGES" ] &&
		mount -t hugetlbfs -o pagesize=2M nodev "$TMP/huge" 2>/dev/null; then
		HUGE_MNT=$TMP/huge
		MEM=(--huge-dir "$HUGE_MNT" -m 1400)
		MEMORY_MODE="2 MiB hugepages"
	else
		echo "bench: no hugepages to be had; running on --no-huge memory" >&2
	fi
fi

# EAL options; LCORES: the lcores (default: the main one and one worker).
eal() {
	echo "${LCORES:--l 0,1}" --no-pci --no-telemetry --file-prefix "$PREFIX" \
		--log-level=lib.eal:error "$@"
}

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
LOAD_START=$(loadavg)
START=$(date +%s)
echo "bench: $MEMORY_MODE; load average $LOAD_START; sessions $SESSIONS" >&2

# The main matrix: every size, scenario and session count, worker inline; the IPv6
# scenarios at 64 B only unless IPV6_ALL=1.
for n in $SESSIONS; do
	# shellcheck disable=SC2046
	"$BIN" $(eal "${MEM[@]}") -- --config bench/bench.yaml --sessions "$n" --sizes "$SIZES" \
		--scenarios plain,up,down,up6,down6 --sizes6 "$SIZES6" "${WIN[@]}" \
		--json "$TMP/main-$n.json"
done
# The worker on its own lcore, fed by the other (64-byte packets). Both lcores
# must then run at once: on a shared 2-CPU machine that is often not so, and
# these numbers move a lot; hence only on request.
if [ "$REMOTE" != 0 ]; then
	for n in $SESSIONS; do
		# shellcheck disable=SC2046
		"$BIN" $(eal "${MEM[@]}") -- --config bench/bench.yaml --sessions "$n" --sizes 64 \
			--scenarios plain,up,down "${WIN[@]}" --remote --json "$TMP/remote-$n.json"
	done
fi
# Several workers at once: 1, 2, 4, ... up to WORKERS, each on its own CPU. The runtime has
# WORKERS workers (one EAL lcore each, and the main one); lane 0 runs on the main lcore, so
# worker 0's own lcore shares CPU 0 and stays idle: --lcores 0@0,1@0,2@1,...,W@(W-1).
# At 1k, tunnels of 16 sessions (upstream, a worker gets whole tunnels).
if [ "$WORKERS" -gt 1 ]; then
	lc="0@0"
	for ((w = 1; w <= WORKERS; w++)); do lc="$lc,$w@$((w > 1 ? w - 1 : 0))"; done
	list=1
	for ((w = 2; w < WORKERS; w *= 2)); do list="$list,$w"; done
	list="$list,$WORKERS"
	for n in $SESSIONS; do
		spt=1000
		[ "$n" -gt 64000 ] || spt=$(((n + 63) / 64))
		# shellcheck disable=SC2046
		"$BIN" $(LCORES="--lcores $lc" eal "${MEM[@]}") -- --config bench/bench.yaml \
			--sessions "$n" --spt "$spt" --sizes 64 --scenarios plain,up,down \
			--workers "$list" "${WIN[@]}" --json "$TMP/scale-$n.json"
	done
fi
# 4 KiB pages, as lnsd's default eal.no-huge: true gives (64-byte packets).
if [ -n "$HUGE_MNT" ]; then
	for n in $SESSIONS; do
		# shellcheck disable=SC2046
		"$BIN" $(eal --no-huge -m 1536) -- --config bench/bench.yaml --sessions "$n" \
			--sizes 64 --scenarios plain,up,down "${WIN[@]}" --json "$TMP/nohuge-$n.json"
	done
fi

# testpmd's io forwarding on two net_ring loopback ports: each port's TX ring
# is its own RX ring, so one burst sent first circulates port 0 -> 1 -> 0.
TESTPMD=$(command -v dpdk-testpmd || true)
if [ -n "$TESTPMD" ]; then
	for size in ${SIZES//,/ }; do
		for rep in 1 2 3; do
			(sleep "$TP_SECONDS"; echo) | timeout 60 "$TESTPMD" -l 0,1 --no-pci --no-huge -m 256 \
				--no-telemetry --file-prefix "$PREFIX-tp" --log-level=lib.eal:error \
				--vdev=net_ring0 --vdev=net_ring1 -- --forward-mode=io --tx-first \
				--record-core-cycles --auto-start --nb-cores=1 --burst=64 \
				--total-num-mbufs=8192 --txpkts=$((size + 14)) \
				>"$TMP/testpmd-$size-$rep.txt" 2>&1 || true
		done
	done
else
	echo "bench: dpdk-testpmd not found (Debian package dpdk-dev): no testpmd floor" >&2
fi

# Optional: where the worker's cycles go (perf's samples, worker code only).
if [ "$PROFILE" != 0 ] && command -v perf >/dev/null; then
	for n in $(echo "$SESSIONS" | awk '{print $1, $NF}'); do
		for sc in up down plain; do
			# Sampling starts when lns_bench says (after set-up), through perf's fifo.
			rm -f "$TMP/perf.ctl"
			mkfifo "$TMP/perf.ctl"
			# shellcheck disable=SC2046
			perf record -q -D -1 --control "fifo:$TMP/perf.ctl" -o "$TMP/perf-$sc-$n.data" \
				-- "$BIN" $(eal "${MEM[@]}") -- --config bench/bench.yaml --sessions "$n" \
				--sizes 64 --scenarios "$sc" --window-ms 1500 --warmup-ms 40 --reps 1 \
				--perf-ctl "$TMP/perf.ctl" --json "$TMP/perfrun-$sc-$n.json" >/dev/null 2>&1
			perf report -i "$TMP/perf-$sc-$n.data" --stdio --no-children \
				--sort dso,symbol 2>/dev/null >"$TMP/profile-$sc-$n.txt" || true
		done
	done
fi

LOAD_END=$(loadavg)
mkdir -p "$OUT"
python3 bench/report.py --tmp "$TMP" --out "$OUT" --doc docs/performance.md \
	--memory-mode "$MEMORY_MODE" --load-start "$LOAD_START" --load-end "$LOAD_END" \
	--seconds $(($(date +%s) - START)) --quick "$QUICK" \
	--command "${BENCH_COMMAND:-QUICK=$QUICK PROFILE=$PROFILE REMOTE=$REMOTE IPV6_ALL=$IPV6_ALL WORKERS=$WORKERS bash bench/run.sh}"
