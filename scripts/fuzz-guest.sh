#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Runs the coverage-guided fuzzer (tests/fuzz, kcall_kfuzz) inside a guest
# with kcall loaded ($KCALL_KO, set by vm-guest.sh):
#   fuzz-guest.sh BUILD_DIR RESULTS_DIR MODE [ARG]
# MODE:
#   replay         the corpus once, every oracle on: kernels without KCOV
#   ci SECONDS     the debug kernel's share of every test run: init and
#                  exit under KCOV, the corpus, SECONDS of fuzzing (with
#                  fail-nth), a third of that again from 3 threads in a
#                  pid namespace of their own while the module is
#                  unloaded and reloaded, then the coverage
#                  report (tools/report/fuzz-coverage.py), which must reach its
#                  goal
#   long SECONDS   fuzzing only, for the long runs (scripts/fuzz.sh --long):
#                  libFuzzer's fork mode, so that findings are saved and
#                  the run goes on
#   merge DIR      the corpus and DIR's inputs minimised into RESULTS_DIR/corpus
#   reproduce FILE one saved input, replayed
# Writes RESULTS_DIR/fuzz.xml (a JUnit report scripts/test.sh counts),
# fuzz-*.log, fuzz-reached (the sites reached, as they were found),
# fuzz-coverage.txt, new inputs to fuzz-corpus/ and crashes as crash-*.
set -u

build=$1
results=$2
mode=$3
arg=${4:-}
top=$(cd "$(dirname "$0")/.." && pwd)
fuzzer=$build/tests/kcall_kfuzz
corpus=$top/tests/fuzz/corpus
new=$results/fuzz-corpus
mkdir -p "$new"

mountpoint -q /sys/kernel/debug || mount -t debugfs debugfs /sys/kernel/debug
mountpoint -q /sys/kernel/tracing || mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null

export KCALL_FUZZ_COVERAGE=$results/fuzz-reached
# libFuzzer's settings for every run: no leak checking of its own (the
# harness is not instrumented), a generous per-input limit (TCG, KASAN).
common=(-timeout=120 -rss_limit_mb=2048 -detect_leaks=0 -print_final_stats=1
	-artifact_prefix="$results/")

cases=()
# check NAME SECONDS-LABEL COMMAND...: runs a check, records it for the report.
check() {
	local name=$1 log=$results/fuzz-$1.log start rc=0
	shift
	start=$(date +%s)
	"$@" >"$log" 2>&1 || rc=$?
	local secs=$(($(date +%s) - start))
	if [ "$rc" -eq 0 ]; then
		echo "fuzz: PASS $name (${secs}s)"
		cases+=("<testcase classname=\"KFuzz\" name=\"$name\" time=\"$secs\"/>")
	else
		echo "fuzz: FAIL $name (exit $rc, ${secs}s); the end of $log:"
		tail -n 25 "$log"
		for c in "$results"/crash-* "$results"/timeout-* "$results"/oom-*; do
			[ -e "$c" ] && echo "fuzz: reproduce with: scripts/fuzz.sh --reproduce ${c#"$top"/}"
		done
		cases+=("<testcase classname=\"KFuzz\" name=\"$name\" time=\"$secs\"><failure message=\"exit $rc\"/></testcase>")
	fi
	grep -h '^stat::\|kcall_kfuzz:\|Done [0-9]* runs' "$log" | sed 's/^/  /' | tail -n 12
	return "$rc"
}

report() {
	local n=${#cases[@]} f
	f=$(printf '%s\n' "${cases[@]}" | grep -c '<failure' || true)
	{
		echo '<?xml version="1.0" encoding="UTF-8"?>'
		echo "<testsuites tests=\"$n\" failures=\"$f\"><testsuite name=\"KFuzz\" tests=\"$n\" failures=\"$f\">"
		printf '%s\n' "${cases[@]}"
		echo '</testsuite></testsuites>'
	} >"$results/fuzz.xml"
	[ "$f" -eq 0 ]
}

rc=0
case $mode in
replay)
	check corpus-replay "$fuzzer" "${common[@]}" -runs=0 "$corpus" || rc=1
	;;
ci)
	secs=${arg:-180}
	: >"$KCALL_FUZZ_COVERAGE"
	KCALL_FUZZ_INIT_SWEEP=1 KCALL_FUZZ_FAILSLAB=1 check corpus-replay \
		"$fuzzer" "${common[@]}" -runs=0 "$corpus" || rc=1
	KCALL_FUZZ_FAILSLAB=1 check fuzz-"$secs"s \
		"$fuzzer" "${common[@]}" -max_total_time="$secs" "$new" "$corpus" || rc=1
	# In a pid namespace of its own, as a container's process: its pids,
	# its parent outside (retpid's 0), the log's "nspid".
	KCALL_FUZZ_THREADS=3 KCALL_FUZZ_RELOAD=1 check reload-3-threads-pidns unshare --pid --fork \
		"$fuzzer" "${common[@]}" -max_total_time=$((secs / 3)) "$new" "$corpus" || rc=1
	# The module is loaded and answers after the reloads.
	check module-answers-after-reloads "$build/tests/kcall-raw" retparam 7 || rc=1
	check coverage python3 "$top/tools/report/fuzz-coverage.py" --out "$results/fuzz-coverage.txt" \
		"$KCALL_KO" "$KCALL_FUZZ_COVERAGE" || rc=1
	head -n 3 "$results/fuzz-coverage.txt"
	;;
long)
	# Fork mode: a finding is saved and the run goes on (each child
	# process fuzzes a while and hands its coverage back).
	: >>"$KCALL_FUZZ_COVERAGE"
	KCALL_FUZZ_FAILSLAB=1 check fuzz-long \
		"$fuzzer" "${common[@]}" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
		-max_total_time="${arg:?seconds}" "$new" "$corpus" || rc=1
	python3 "$top/tools/report/fuzz-coverage.py" --out "$results/fuzz-coverage.txt" \
		"$KCALL_KO" "$KCALL_FUZZ_COVERAGE" | head -n 3
	;;
merge)
	# The committed corpus and new inputs, minimised into RESULTS_DIR/corpus.
	mkdir -p "$results/corpus"
	KCALL_FUZZ_FAILSLAB=1 "$fuzzer" "${common[@]}" -merge=1 "$results/corpus" "$corpus" \
		"${arg:?new inputs}" || rc=1
	exit "$rc"
	;;
reproduce)
	KCALL_FUZZ_FAILSLAB=1 "$fuzzer" "${common[@]}" "${arg:?input file}" || rc=1
	exit "$rc"
	;;
*)
	echo "fuzz-guest.sh: unknown mode $mode" >&2
	exit 2
	;;
esac
report || rc=1
exit "$rc"
