#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# The test runner behind `make test` (which builds build/, build-asan/ and
# build-fuzz/ first). Tiers, in order:
#
#   unit   every meson test in build/; cmocka binaries report each case (TAP)
#   asan   the same tests from build-asan/ (AddressSanitizer + UBSan)
#   fuzz   each build-fuzz/tests/fuzz/fuzz_* for FUZZ_SECONDS (default 30) on
#          a copy of its corpus tests/fuzz/corpus/<name without fuzz_>/;
#          FUZZ_SECONDS=0 only replays the corpus; exit 77 (a target that
#          needs root for EAL, without it) is a skip
#   netns  each tests/netns/test_*.sh as root, NETNS_TIMEOUT (default 180) s each
#
# Usage: tests/run.sh [unit] [asan] [fuzz] [netns]   (default: all four)
#
# One line per test: "PASS name", "FAIL name" followed by the tail of its log,
# or "SKIP name: reason"; then exactly one line "N passed, N failed, N skipped".
# Exit status 1 if anything failed. Logs go to tests/out/ (git-ignored).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=$ROOT/tests/out
PY=/usr/bin/python3
BUILD=${BUILD:-build}
BUILD_ASAN=${BUILD_ASAN:-build-asan}
BUILD_FUZZ=${BUILD_FUZZ:-build-fuzz}
FUZZ_SECONDS=${FUZZ_SECONDS:-30}
NETNS_TIMEOUT=${NETNS_TIMEOUT:-180}
TAIL_LINES=${TAIL_LINES:-25}

PASSED=0
FAILED=0
SKIPPED=0

pass() {
	PASSED=$((PASSED + 1))
	echo "PASS $1"
}
# fail NAME [LOGFILE [ERE]]: the log's lines matching ERE (the failed checks), then its tail
fail() {
	FAILED=$((FAILED + 1))
	echo "FAIL $1"
	if [ -n "${3:-}" ] && [ -s "$2" ] && grep -q -E -- "$3" "$2"; then
		echo "    --- failed checks in ${2#"$ROOT"/}"
		grep -E -- "$3" "$2" | head -n 20 | sed 's/^/    /'
	fi
	if [ -n "${2:-}" ] && [ -s "$2" ]; then
		echo "    --- last $TAIL_LINES lines of ${2#"$ROOT"/}"
		tail -n "$TAIL_LINES" "$2" | sed 's/^/    /'
	fi
}
skip() {
	SKIPPED=$((SKIPPED + 1))
	echo "SKIP $1: $2"
}

mkdir -p "$OUT"

# Fuzzers and netns tests run in the background under timeout (which puts
# them in a process group of their own, out of reach of the terminal's ^C);
# on INT/TERM the runner stops the current one, lets it clean up, and leaves.
CHILD=
on_signal() {
	if [ -n "$CHILD" ]; then
		kill -TERM "$CHILD" 2>/dev/null || true
		wait "$CHILD" 2>/dev/null || true
	fi
	echo "interrupted"
	exit 130
}
trap on_signal INT TERM

# run_bounded SECONDS LOG CMD...: CMD's exit status; 124 or 137 when it ran out of time.
run_bounded() {
	local secs=$1 log=$2 rc=0
	shift 2
	timeout -k 10 "$secs" "$@" >"$log" 2>&1 </dev/null &
	CHILD=$!
	wait "$CHILD" || rc=$?
	CHILD=
	return "$rc"
}

# ---------------------------------------------------------------------------
# unit and asan: meson test, then one line per test (per case for TAP/cmocka
# output) read back from meson's testlog.json.

# report_meson TIER BUILDDIR LOG
report_meson() {
	local tier=$1 dir=$2 log=$3 verdict name
	while IFS=$'\t' read -r verdict name; do
		case $verdict in
		PASS) pass "$name" ;;
		SKIP) skip "${name%%$'\x1f'*}" "${name#*$'\x1f'}" ;;
		FAIL)
			fail "${name%%$'\x1f'*}"
			printf '%s\n' "${name#*$'\x1f'}" | tr $'\x1e' '\n' | tail -n "$TAIL_LINES" | sed 's/^/    /'
			;;
		*) fail "$tier (unexpected report line '$verdict $name')" "$log" ;;
		esac
	done < <("$PY" - "$tier" "$dir/meson-logs/testlog.json" <<-'EOF'
		import json, re, sys
		tier, path = sys.argv[1], sys.argv[2]
		US, RS = "\x1f", "\x1e"
		tap = re.compile(r"^(not ok|ok)\b\s*(\d+)?\s*(?:-\s*)?(.*?)\s*(#\s*(SKIP|TODO)\b\s*(.*))?$", re.I)
		cm_ok = re.compile(r"^\[\s+(OK|FAILED|SKIPPED|ERROR)\s+\]\s+(\S.*)$")

		def out(verdict, name, extra=""):
		    name = name.replace("\t", " ")
		    print("%s\t%s%s" % (verdict, name, (US + extra.replace("\n", RS).replace("\t", " ")) if verdict != "PASS" else ""))

		for raw in open(path):
		    t = json.loads(raw)
		    name = "%s/%s" % (tier, t["name"])
		    result = t.get("result", "")
		    stdout = (t.get("stdout") or "") + (t.get("stderr") or "")
		    lines = stdout.splitlines()
		    cases = []  # (verdict, case name, diagnostics)
		    running, done = set(), set()  # cmocka's own format
		    for i, l in enumerate(lines):
		        if l.startswith("[ RUN      ] "):
		            running.add(l[13:].strip())
		            continue
		        m = tap.match(l)
		        if m:
		            case = m.group(3) or m.group(6) or ("case %s" % m.group(2))
		            if m.group(5) and m.group(5).upper() == "SKIP":
		                # cmocka writes "not ok N # SKIP name": the name is the reason
		                why = m.group(6) if m.group(3) and m.group(6) else "skipped"
		                cases.append(("SKIP", case, why))
		            elif m.group(1) == "ok":
		                cases.append(("PASS", case, ""))
		            else:
		                diag = []
		                for d in lines[i + 1:]:
		                    if not d.startswith("#"):
		                        break
		                    diag.append(d)
		                cases.append(("FAIL", case, "\n".join(diag)))
		            continue
		        m = cm_ok.match(l)
		        if m and m.group(2).strip() in running and m.group(2).strip() not in done:
		            done.add(m.group(2).strip())
		            v = {"OK": "PASS", "SKIPPED": "SKIP"}.get(m.group(1), "FAIL")
		            diag = "\n".join(d for d in lines if "ERROR   ] ---" in d or "LINE   ] ---" in d) \
		                if v == "FAIL" else "skipped"
		            cases.append((v, m.group(2).strip(), diag))
		    ok = result in ("OK", "EXPECTEDFAIL")
		    for v, c, d in cases:
		        out(v, "%s/%s" % (name, c), d)
		    if result == "SKIP" and not cases:
		        out("SKIP", name, "skipped by the test (exit 77)")
		    elif not ok and result != "SKIP" and not any(v == "FAIL" for v, _, _ in cases):
		        # a crash, timeout or failure outside any reported case
		        out("FAIL", name, "meson result %s, exit %s\n%s" % (result, t.get("returncode"), "\n".join(lines[-20:])))
		    elif ok and not cases:
		        out("PASS", name)
	EOF
	)
}

# run_meson TIER BUILDDIR [extra meson test args]
run_meson() {
	local tier=$1 dir=$2 log="$OUT/$1.log" rc=0 failed_before=$FAILED
	shift 2
	if [ ! -f "$dir/build.ninja" ]; then
		if [ "$tier" = unit ]; then
			fail "$tier ($dir/ is not configured: run 'make build')"
		else
			skip "$tier" "$dir/ is not configured (run 'make $tier')"
		fi
		return
	fi
	rm -f "$dir/meson-logs/testlog.json"
	# cmocka prints TAP, so each case gets its own line.
	CMOCKA_MESSAGE_OUTPUT=TAP meson test -C "$dir" --no-rebuild --print-errorlogs "$@" \
		>"$log" 2>&1 || rc=$?
	if [ ! -s "$dir/meson-logs/testlog.json" ]; then
		if grep -q 'No tests defined' "$log"; then
			skip "$tier" "no tests defined in $dir/"
		else
			fail "$tier (meson test exited $rc without running tests)" "$log"
		fi
		return
	fi
	report_meson "$tier" "$dir" "$log"
	if [ "$rc" -ne 0 ] && [ "$FAILED" -eq "$failed_before" ]; then
		fail "$tier (meson test exited $rc but no test failed)" "$log"
	fi
}

tier_unit() {
	run_meson unit "$BUILD"
}

tier_asan() {
	ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:halt_on_error=1:detect_leaks=1} \
		UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:abort_on_error=1:print_stacktrace=1} \
		run_meson asan "$BUILD_ASAN" --timeout-multiplier 3
}

# ---------------------------------------------------------------------------
# fuzz: a crash, leak, timeout or out-of-memory is a failure; libFuzzer's
# artifacts (the input that did it) are kept in tests/out/fuzz/.

tier_fuzz() {
	local dir=$BUILD_FUZZ/tests/fuzz f name short corpus work log rc args
	local -a fuzzers=()
	if [ ! -f "$BUILD_FUZZ/build.ninja" ]; then
		skip fuzz "$BUILD_FUZZ/ is not configured (run 'make fuzz')"
		return
	fi
	for f in "$dir"/fuzz_*; do
		[ -f "$f" ] && [ -x "$f" ] && fuzzers+=("$f")
	done
	if [ ${#fuzzers[@]} -eq 0 ]; then
		skip fuzz "no fuzz_* executables in $dir/"
		return
	fi
	mkdir -p "$OUT/fuzz"
	for f in "${fuzzers[@]}"; do
		name=$(basename "$f")
		short=${name#fuzz_}
		corpus=$ROOT/tests/fuzz/corpus/$short
		log=$OUT/fuzz/$name.log
		work=$(mktemp -d "/tmp/lns-fuzz-$short.XXXXXX")
		if [ -d "$corpus" ]; then
			cp -r "$corpus/." "$work/"
		fi
		rm -f "$OUT/fuzz/$name"-crash-* "$OUT/fuzz/$name"-leak-* "$OUT/fuzz/$name"-timeout-* "$OUT/fuzz/$name"-oom-*
		args=(-timeout=25 -rss_limit_mb=2048 -print_final_stats=1 "-artifact_prefix=$OUT/fuzz/$name-")
		if [ -f "$ROOT/tests/fuzz/$short.dict" ]; then
			args+=("-dict=$ROOT/tests/fuzz/$short.dict")
		fi
		if [ "$FUZZ_SECONDS" -gt 0 ]; then
			args+=("-max_total_time=$FUZZ_SECONDS")
		else
			args+=(-runs=0)
		fi
		rc=0
		run_bounded $((FUZZ_SECONDS + 120)) "$log" "$f" "${args[@]}" "$work" || rc=$?
		rm -rf "$work"
		if [ "$rc" -eq 0 ]; then
			pass "fuzz/$name"
		elif [ "$rc" -eq 77 ]; then # as meson: skipped (fuzz_worker without root for EAL)
			skip "fuzz/$name" "$(grep -m 1 'skipped' "$log" || echo 'exit 77')"
		elif [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
			fail "fuzz/$name (did not finish within $((FUZZ_SECONDS + 120)) s)" "$log"
		else
			fail "fuzz/$name (exit $rc; reproducer under tests/out/fuzz/)" "$log"
		fi
	done
}

# ---------------------------------------------------------------------------
# netns: each test in its own process with a deadline. Exit 0 pass, 77 skip
# (reason on its "SKIP: " line), anything else fail. A test killed at its
# deadline leaves tests/out/netns/<name>/.resources, which is reaped here.

tier_netns() {
	local t name dir log rc reason
	local -a tests=()
	for t in tests/netns/test_*.sh; do
		[ -f "$t" ] && tests+=("$t")
	done
	if [ ${#tests[@]} -eq 0 ]; then
		skip netns "no tests/netns/test_*.sh"
		return
	fi
	for t in "${tests[@]}"; do
		name=$(basename "$t" .sh)
		dir=$OUT/netns/$name
		log=$OUT/netns/$name.log
		mkdir -p "$dir"
		rc=0
		LNS_TEST_OUT=$dir LNS_BUILD=$(realpath -m "$BUILD") run_bounded "$NETNS_TIMEOUT" "$log" bash "$t" || rc=$?
		if [ -f "$dir/.resources" ]; then
			bash -c '. tests/netns/lib.sh && lns_reap "$1"' reap "$dir/.resources" >>"$log" 2>&1 || true
		fi
		case $rc in
		0) pass "netns/$name" ;;
		77)
			reason=$(sed -n 's/^SKIP: //p' "$log" | tail -n 1)
			skip "netns/$name" "${reason:-skipped}"
			;;
		124 | 137) fail "netns/$name (killed after ${NETNS_TIMEOUT} s)" "$log" ' (FAIL - |error: )' ;;
		*) fail "netns/$name" "$log" ' (FAIL - |error: )' ;;
		esac
	done
}

# ---------------------------------------------------------------------------

tiers=("$@")
if [ ${#tiers[@]} -eq 0 ]; then
	tiers=(unit asan fuzz netns)
fi
for tier in "${tiers[@]}"; do
	case $tier in
	unit | asan | fuzz | netns) "tier_$tier" ;;
	*)
		echo "usage: $0 [unit] [asan] [fuzz] [netns]" >&2
		exit 2
		;;
	esac
done

echo "$PASSED passed, $FAILED failed, $SKIPPED skipped"
[ "$FAILED" -eq 0 ]
