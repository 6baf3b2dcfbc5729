#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Run every kcall test:
#   scripts/test.sh [--long-fuzz] [KERNEL...]
#
# KERNEL: default "6.1 6.12 debug": Debian's two series and the debug
# kernel, the newest stable series (linux-source-7.3) with KASAN, lockdep,
# kmemleak, UBSAN, KCOV and failslab, built by scripts/build-debug-kernel.sh
# into a per-machine cache when it is not there (about 12 min on 2 cores).
# --long-fuzz: a million fuzz messages on the debug kernel (500,000 per
# transport, about 35 min more) instead of 20,000 per transport.
#
# Installs what is missing (starting the debug kernel's build in the
# background as soon as its source is there), builds, then runs two VM
# lanes, one one-vCPU guest at a time each, beside the host stages; they
# take from one queue the debug kernel's suite (once its build is done),
# the suites of Debian's kernels and the Debian packages installed with
# apt in a guest of the first one. The
# host stages: the DKMS install for Debian's kernels (the suites test
# modprobe and autoload), the host tests (ctest, normal and ASan + UBSan),
# the library's instructions per call (scripts/lib-cost.py), the static
# analysis gates (scripts/lint.sh), the package test and the Debian
# packages (scripts/test-debian.sh). docs/TESTING.md has the stages, the
# time budget and the checks moved to commands of their own.
#
# Honest counts: a gate or script that exits non-zero counts as a failure
# even without a FAIL line; a kernel's suite must run at least the tests
# its binaries list, skipped ones are printed; a kernel that cannot be
# prepared prints "<kernel>: NOT RUN: <why>" and fails the run. The summary,
# a timing table and the closing "N passed, N failed" line are printed on
# every exit, an aborted run included.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"

long_fuzz=0
if [ "${1:-}" = --long-fuzz ]; then
	long_fuzz=1
	shift
fi
kernels=("$@")
[ ${#kernels[@]} -gt 0 ] || read -r -a kernels <<<"${KCALL_KERNELS:-6.1 6.12 debug}"

run_start=$(date +%s)
from_nothing=0
passed=0
failed=0
summary=()
timings=()
stage=start
stage_start=$(date +%s)
finished=0
keep_install=1

# begin NAME: a new stage of the timing table.
begin() {
	stage=$1
	stage_start=$(date +%s)
	echo "== $stage"
}
# end [NOTE]: the current stage took this long.
end() {
	timings+=("$(printf '%-36s %6ss %s' "$stage" $(($(date +%s) - stage_start)) "${1:-}")")
}
# add_count LABEL PASSED FAILED [SUMMARY]: into the run's totals, or in
# a lane (a background shell, lane_results set) into its results file,
# which the main shell adds up when the lane ends.
lane_results=
add_count() {
	local line=${4:-"$1: $2 passed, $3 failed"}
	if [ -n "$lane_results" ]; then
		record count "$2 $3"
		record summary "$line"
	else
		passed=$((passed + $2))
		failed=$((failed + $3))
		summary+=("$line")
	fi
}
add_summary() {
	if [ -n "$lane_results" ]; then record summary "$1"; else summary+=("$1"); fi
}
# tally LABEL [--rc N] [--expect N] [--lines PREFIX] FILE...: counts one
# stage's JUnit reports or "PREFIX: PASS|FAIL|NOT RUN" lines with
# scripts/test-counts.py, the one place that counts (and its rules: no
# result, a non-zero exit with no failure, fewer tests than listed each
# fail), prints the skipped tests and adds the counts. Sets tally_seen:
# the tests or checks found run or skipped.
tally_seen=0
tally() {
	local label=$1 p f s kind text
	shift
	{
		read -r p f s tally_seen
		while read -r kind text; do
			case $kind in
			note:) add_summary "$label: $text" ;;
			skipped:) echo "  skipped on $label: $text" ;;
			esac
		done
	} < <(python3 "$top/scripts/test-counts.py" "$@")
	add_count "$label" "${p:-0}" "${f:-1}"
	[ "${s:-0}" -eq 0 ] || add_summary "$label: $s skipped (listed above)"
}
report() {
	local rc=$?
	set +e
	if [ "$finished" -eq 0 ]; then
		summary+=("aborted during \"$stage\" (exit $rc)")
		failed=$((failed + 1))
		end aborted
		# Lanes still running, with their guests, and the debug
		# kernel's background build: stopped.
		for pid in "${pids[@]}" $debug_build_pid; do kill_tree "$pid"; done
	fi
	[ "$keep_install" -eq 1 ] || "$top/scripts/install.sh" --uninstall >/dev/null 2>&1
	echo "== timing (seconds)"
	printf '  %s\n' "${timings[@]}"
	budget
	echo "== summary"
	printf '  %s\n' "${summary[@]}"
	moved
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ] || exit 1
	exit "$rc"
}
trap report EXIT

# kill_tree PID: PID and every process below it.
kill_tree() {
	local child
	for child in $(pgrep -P "$1"); do kill_tree "$child"; done
	kill "$1" 2>/dev/null
}

# budget: the run's time against CI's limit and the targets (from nothing:
# this run installed packages or built the debug kernel), and the stages
# that took longest, so that a run creeping toward the limit says so.
budget() {
	local el=$(($(date +%s) - run_start)) kind=warm target=20
	[ "$from_nothing" -eq 0 ] || { kind="from nothing"; target=55; }
	echo "== time budget"
	printf '  this run: %d min %02d s of CI'"'"'s 90 min; target for a run %s: %d min' \
		$((el / 60)) $((el % 60)) "$kind" "$target"
	if [ "$el" -gt $((target * 60)) ]; then
		printf ' (OVER by %d s)\n' $((el - target * 60))
	else
		printf ' (%d s to spare)\n' $((target * 60 - el))
	fi
	[ "$el" -lt 3600 ] ||
		echo "  WARNING: less than 30 min of CI's limit left: make the run cheaper before adding to it"
	# A timing line is "STAGE   SECONDSs NOTE".
	printf '%s\n' "${timings[@]}" | awk '{
		for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+s$/) break
		if (i > NF) next
		name = $1; for (j = 2; j < i; j++) name = name " " $j
		print $i + 0 "\t" name
	}' | sort -rn | head -n 4 | awk -F '\t' '{ printf "  longest: %5d s  %s\n", $1, $2 }'
}

# moved: what this command leaves to others, under docs/TESTING.md's
# rule, and when each must run.
moved() {
	echo "== moved checks (docs/TESTING.md): run them when your change touches what they cover"
	echo "  scripts/vm-selftest.sh                 vm-run.sh, vm-guest.sh, check-kernel-log.sh, the splat pattern, debug.config"
	echo "  KCALL_DEBUG_VM_CPUS=2 scripts/test.sh debug   locking, RCU, per-CPU data, load/unload in module/; SQPOLL, io-wq"
	echo "  scripts/test-debian-vm.sh              debian/, dkms.conf, install.sh, Kbuild/Makefile, tests/debian/ (upgrades; 6.1 and 6.12)"
}

# Debian kernels get lint and DKMS; "debug" is built here and only boots.
debian_kernels=()
want_debug=0
for k in "${kernels[@]}"; do
	if [ "$k" = debug ]; then
		want_debug=1
	else
		debian_kernels+=("$k")
	fi
done

# The debug kernel's build (about 15 min on 2 cores from nothing) starts
# as soon as its tools and source are installed and runs in the
# background, beside the rest of setup, the build and the gates; its lane
# waits for it (debug_kernel_wait).
debug_rc=$top/build/debug-kernel.rc
debug_build_start=
debug_build_pid=
packages_done=$top/build/debian-packages.done
dkms_done=$top/build/dkms-install.done
pids=()
rm -f "$debug_rc" "$packages_done" "$dkms_done"
mkdir -p "$top/build"
begin setup
if [ "$want_debug" -eq 1 ] && ! kcall_debug_kernel_dir >/dev/null; then
	"$top/scripts/setup.sh" --debug-kernel
	debug_build_start=$(date +%s)
	(
		rc=0
		"$top/scripts/build-debug-kernel.sh" >/dev/null 2>"$top/build/debug-kernel.log" || rc=$?
		echo "$rc" >"$debug_rc"
	) &
	debug_build_pid=$!
fi
"$top/scripts/setup.sh" --test | tee "$top/build/setup.log"
grep -qE '^(setup: (installing|fetching)|guest-kernel: fetching)' "$top/build/setup.log" && from_nothing=1
[ -z "$debug_build_start" ] || from_nothing=1
"$top/scripts/kernel-tools.sh" >/dev/null
end

begin "build (library, CLI, tests)"
"$top/scripts/build.sh" >"$top/build/build.log" 2>&1 || { cat "$top/build/build.log"; exit 1; }
end

# debug_kernel_wait: waits for the background build; fails (with the
# reason in $debug_why) when the debug kernel is not there.
debug_why=
debug_kernel_wait() {
	if [ -n "$debug_build_start" ]; then
		while [ ! -e "$debug_rc" ]; do sleep 5; done
		if [ "$(cat "$debug_rc")" -ne 0 ]; then
			tail -n 30 "$top/build/debug-kernel.log"
			debug_why="the debug kernel did not build (build/debug-kernel.log)"
		fi
	fi
	kcall_debug_kernel_dir >/dev/null || debug_why=${debug_why:-"the debug kernel is not built"}
	[ -z "$debug_why" ]
}
lint_kernels=("${debian_kernels[@]}")
[ ${#lint_kernels[@]} -gt 0 ] || lint_kernels=(-)

# count_checks LABEL PREFIX COMMAND...: runs a script that prints
# "PREFIX: PASS|FAIL name" lines and adds them to the totals.
count_checks() {
	local label=$1 prefix=$2 log rc=0
	shift 2
	log=$top/build/$label.log
	"$@" >"$log" 2>&1 || rc=$?
	cat "$log"
	tally "$label" --rc "$rc" --lines "$prefix" "$log"
}

# host_tests LABEL DIR: ctest in a build directory, counted under LABEL.
host_tests() {
	local label=$1 dir=$2 xml=$2/host-tests.xml rc=0
	rm -f "$xml"
	(cd "$dir" && ctest --output-on-failure --output-junit "$xml") || rc=$?
	tally "$label" --rc "$rc" "$xml"
}

# Tests a kernel's suite must run at least: what its binaries list
# (kcall_vm_tests under $vm_filter).
expected_tests() {
	local b n=0 c filter
	for b in "$@"; do
		filter=*
		[ "$b" != kcall_vm_tests ] || filter=$vm_filter
		c=$("$top/build/cmake/tests/$b" --gtest_list_tests --gtest_filter="$filter" | grep -c '^  ') || return 1
		n=$((n + c))
	done
	echo "$n"
}

# The VM stages run as two lanes in parallel, one guest each (the suites
# are mostly single-threaded: two guests use both cores): every kernel's
# suite and the self-test in one, the apt installs in the other. A
# lane's output goes to build/lane-<name>.log, printed when it ends, and
# its counts, summary and timing lines to build/lane-<name>.results, which
# the main shell adds up.
record() { # record count|summary|timing TEXT...
	printf '%s\t%s\n' "$1" "$2" >>"$lane_results"
}
# A lane's stages start with begin; they end here, into its results file.
lane_end() {
	record timing "$(printf '%-36s %6ss %s' "$stage" $(($(date +%s) - stage_start)) "${1:-}")"
}
# lane_count_log LABEL PREFIX LOG: counts LOG's "PREFIX: PASS|FAIL|NOT RUN"
# lines. The failures and vm-run's verdicts go in the summary too: a long
# run's output is often read from its end only.
lane_count_log() {
	local line
	tally "$1" --lines "$2" "$3"
	# (grep finds nothing in a green log: not a failure of the lane)
	{ grep -E "^$2: (FAIL|NOT RUN) |vm-run: (FAIL|kernel report|the guest)" "$3" || true; } |
		head -n 10 | while IFS= read -r line; do
		record summary "  $line"
	done
}
lane_not_run() { # lane_not_run LABEL WHY
	echo "$1: NOT RUN: $2"
	add_count "$1" 0 1 "$1: NOT RUN: $2"
}

# One kernel's whole suite in one boot.
run_kernel() {
	local k=$1 kver label vm_args suite_env suite_args bins expect results
	# One vCPU per guest (docs/TESTING.md): two guests share two cores.
	local rc fuzz vm_filter=* cpus=1
	if [ "$k" = debug ]; then
		# The tests whose subject is a user-space tool (the kcall CLI end
		# to end, the YNL CLI) make there the calls other tests make, and
		# cost about 100 s under KASAN: they run on Debian's kernels.
		vm_filter='-YnlCli.*:*CliE2e*'
		kver=$(cat "$(kcall_debug_kernel_dir)/release")
		label="$kver (debug)"
		# The suite (about 18 min under TCG) and the coverage-guided
		# fuzzer's share (about 5 min): 45 min bound a hung guest.
		vm_args=(-k debug -t "${KCALL_VM_TIMEOUT:-2700}")
		fuzz=20000
		if [ "$long_fuzz" -eq 1 ]; then
			# 500,000 per transport: about 35 min more under TCG.
			fuzz=500000
			vm_args=(-k debug -t "${KCALL_VM_TIMEOUT:-5400}")
		fi
		suite_args=()  # no DKMS: the debug kernel has no headers package
		# Two CPUs in kcall at once: a moved check (see moved()).
		cpus=${KCALL_DEBUG_VM_CPUS:-1}
		bins=(kcall_vm_tests kcall_vm_unload_tests)
	else
		kver=$(kcall_resolve_kernel "$k")
		label=$kver
		vm_args=(-k "$kver")
		fuzz=20000
		suite_args=(--installed)
		bins=(kcall_vm_install_tests kcall_vm_tests kcall_vm_unload_tests)
	fi
	suite_env=(env "KCALL_FUZZ_COUNT=${KCALL_FUZZ_COUNT:-$fuzz}" "KCALL_VM_FILTER=$vm_filter")
	expect=$(expected_tests "${bins[@]}") || { lane_not_run "$label" "cannot list its tests"; return; }
	begin "suite on $label"
	results=$top/build/vm/$kver
	rc=0
	KCALL_VM_CPUS=$cpus "$top/scripts/vm-run.sh" "${vm_args[@]}" -- "${suite_env[@]}" \
		"$top/tests/vm/run-suite.sh" "$top/build/cmake" "$results" "${suite_args[@]}" || rc=$?
	# A boot, load, unload or kernel-log failure (vm-run's exit) fails the
	# run even when every test passed; so does a suite that ran fewer
	# tests than listed.
	tally "$label" --rc "$rc" --expect "$expect" "$results"/*.xml
	lane_end "$tally_seen/$expect tests"
	# The fuzzers' share of that boot, from their tests' own timing.
	if [ -s "$results/vm-tests.xml" ]; then
		record timing "$(python3 "$top/scripts/fuzz-time.py" "$label" "$results"/vm-tests.xml \
			"$results"/fuzz.xml)"
	fi
}

# The Debian packages installed with apt in a guest of a Debian kernel:
# apt_lane KERNEL ROUNDS (scripts/test-debian-vm.sh).
apt_lane() {
	local k=$1 rounds=$2 log
	log=$top/build/debian-vm-lane-$k.log
	begin "Debian packages with apt on $k"
	# One vCPU, as every guest here (run_kernel); the lane took this item
	# once this commit's packages were built (vm_ready).
	KCALL_VM_CPUS=1 "$top/scripts/test-debian-vm.sh" --rounds "$rounds" "$k" >"$log" 2>&1 || true
	cat "$log"
	lane_count_log "apt on $k ($rounds)" 'apt on .*' "$log"
	lane_end "$rounds"
}

# vm_item ITEM: one item of the VM work: a kernel's suite ("debug": first
# its W=1 and sparse gate), or "apt:KERNEL:ROUNDS".
vm_item() {
	local k=$1 t f
	if [[ $k == apt:* ]]; then
		IFS=: read -r _ t f <<<"$k"
		apt_lane "$t" "$f"
	elif [ "$k" = debug ]; then
		if ! debug_kernel_wait; then
			lane_not_run "$KCALL_DEBUG_SOURCE (debug)" "$debug_why"
			return
		fi
		if [ -n "$debug_build_start" ]; then
			# From its start to its end, beside everything else.
			record timing "$(printf '%-36s %6ss %s' "debug kernel build (background)" \
				$(($(stat -c %Y "$debug_rc") - debug_build_start)) \
				"$(cat "$(kcall_debug_kernel_dir)/release"), beside the stages above")"
		fi
		begin "W=1 and sparse (debug kernel)"
		"$top/scripts/lint.sh" --only sparse debug >"$top/build/lint-debug.log" 2>&1 || true
		cat "$top/build/lint-debug.log"
		lane_count_log "gates (debug)" lint "$top/build/lint-debug.log"
		lane_end
		run_kernel debug
	elif ! kcall_resolve_kernel "$k" >/dev/null 2>&1; then
		lane_not_run "$k" "not in the kernel cache (have: $(kcall_kernels | tr '\n' ' '); scripts/setup.sh --test fetches 6.1 and 6.12)"
	else
		run_kernel "$k"
	fi
}

# vm_ready ITEM: what ITEM needs is there: the debug kernel built (or its
# build over, failed or not: the item then says NOT RUN), this commit's
# packages for the apt round, the DKMS install for a Debian kernel's suite.
vm_ready() {
	case $1 in
	debug) [ -z "$debug_build_start" ] || [ -e "$debug_rc" ] ;;
	apt:*) [ -e "$packages_done" ] ;;
	*) [ -e "$dkms_done" ] ;;
	esac
}

# lane NAME: one guest at a time, taking the first item of vm_items that
# nobody took and that is ready, until none is left. Two lanes share the
# list: whichever is free takes the next, so neither idles while the
# other still has a queue (the debug kernel, when it builds, is taken
# last; the apt round waits for the packages).
vm_claims=$top/build/vm-claims
lane() {
	local name=$1 k took left
	lane_results=$top/build/lane-$name.results
	: >"$lane_results"
	while :; do
		took= left=0
		for k in "${vm_items[@]}"; do
			[ ! -e "$vm_claims/$k" ] || continue
			left=1
			vm_ready "$k" && mkdir "$vm_claims/$k" 2>/dev/null && { took=$k; break; }
		done
		if [ -n "$took" ]; then
			echo "== lane $name takes $took"
			vm_item "$took"
		elif [ "$left" -eq 1 ]; then
			sleep 5
		else
			break
		fi
	done
}

# The VM work, one guest per item, most wanted first: the debug kernel's
# suite (the longest, about 12 min under TCG), each Debian kernel's suite,
# with the packages installed with apt (one round, fresh, on the first
# Debian kernel; one vCPU, see apt_lane) before the last of them so that
# the two lanes end together. What one change cannot break from run to run
# is not here: the apt upgrade rounds, apt on every other kernel and the
# verdict self-test run with their own commands, under the rule in
# docs/TESTING.md ("Moved checks"), printed at the end of every run.
vm_items=()
apt_kernel=
for k in "${kernels[@]}"; do
	if [ "$k" = debug ]; then
		vm_items=(debug "${vm_items[@]}")
	else
		[ -n "$apt_kernel" ] || ! kcall_resolve_kernel "$k" >/dev/null 2>&1 || apt_kernel=$k
		vm_items+=("$k")
	fi
done
if [ -n "$apt_kernel" ]; then
	if [ ${#debian_kernels[@]} -gt 1 ]; then
		last=${vm_items[-1]}
		unset 'vm_items[-1]'
		vm_items+=("apt:$apt_kernel:fresh" "$last")
	else
		vm_items+=("apt:$apt_kernel:fresh")
	fi
fi
if [ "$want_debug" -eq 1 ] && [ -n "$apt_kernel" ]; then
	summary+=("apt on the debug kernel: NOT RUN: it has no linux-headers package, so DKMS cannot build kcall there (its suite loads the module built in-tree)")
fi
rm -rf "$vm_claims"
mkdir -p "$vm_claims"
# The KVM probe boots a guest once per work tree: before the lanes race.
"$top/scripts/kvm-probe.sh" "$(kcall_kernel_image "$(kcall_default_kernel)")" >/dev/null
# Two lanes, one guest each (TCG: a guest keeps a core busy), beside the
# host stages below (mostly one core of work).
lanes_start=$(date +%s)
lanes=()
if [ ${#vm_items[@]} -gt 0 ]; then
	for name in a b; do
		lane "$name" >"$top/build/lane-$name.log" 2>&1 &
		pids+=($!)
		lanes+=("$name")
	done
fi

# Install through DKMS for the kernels under test, as users do, so that the
# VM suite can test modprobe and autoload; removed again at the end unless
# it was installed before.
if [ ${#debian_kernels[@]} -gt 0 ]; then
	begin "DKMS install"
	dkms status -m kcall 2>/dev/null | grep installed >/dev/null || keep_install=0
	"$top/scripts/install.sh" --no-config "${debian_kernels[@]}" >"$top/build/dkms-install.log" 2>&1 ||
		{ cat "$top/build/dkms-install.log"; exit 1; }
	dkms status -m kcall
	end
fi
touch "$dkms_done"


begin "host tests (ctest)"
host_tests host "$top/build/cmake"
end

begin "host tests under ASan and UBSan"
host_tests host-asan "$top/build/asan"
end

begin "library cost (callgrind)"
count_checks libcost libcost "$top/scripts/lib-cost.py" --json "$top/build/lib-cost.json"
end

# The gates that need no debug kernel; its own W=1 and sparse build runs
# in its lane, once it is built.
begin "static analysis gates"
count_checks gates lint "$top/scripts/lint.sh" "${lint_kernels[@]}"
end

begin "package: install tree and consumers"
count_checks package package "$top/scripts/test-package.sh"
end

begin "Debian packages (dpkg-buildpackage, lintian)"
count_checks debian debian "$top/scripts/test-debian.sh"
end

# The apt round waits for this: the packages it installs are built.
touch "$packages_done"

begin "VM lanes (wall, beside the host stages)"
stage_start=$lanes_start
for i in "${!pids[@]}"; do
	rc=0
	wait "${pids[$i]}" || rc=$?
	name=${lanes[$i]}
	echo "== lane $name (exit $rc)"
	cat "$top/build/lane-$name.log"
	while IFS=$'\t' read -r kind text; do
		case $kind in
		count)
			read -r p f <<<"$text"
			passed=$((passed + p))
			failed=$((failed + f))
			;;
		summary) summary+=("$text") ;;
		timing) timings+=("$text") ;;
		esac
	done <"$top/build/lane-$name.results"
	if [ "$rc" -ne 0 ]; then
		summary+=("lane $name: exited $rc")
		failed=$((failed + 1))
	fi
done
end

finished=1
