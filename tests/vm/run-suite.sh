#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Runs the whole in-VM suite inside a guest with the module loaded:
#   run-suite.sh BUILD_DIR RESULTS_DIR [--installed]
# Each test binary writes a JUnit report to RESULTS_DIR, and so does the
# coverage-guided fuzzer (scripts/fuzz-guest.sh). Exits non-zero when any
# of them fails. --installed: kcall is also installed through DKMS
# for this kernel; test modprobe and autoload first, without the module.
set -u

build=$1
results=$2
rc=0
if [ "${3:-}" = --installed ]; then
	rmmod kcall
	"$build/tests/kcall_vm_install_tests" --gtest_output="xml:$results/vm-install-tests.xml" || rc=1
	# Back to the module under test (KCALL_KO, set by vm-guest.sh), and to
	# the node devtmpfs makes for it instead of the static one.
	lsmod | grep -q '^kcall ' && rmmod kcall
	rm -f /dev/kcall
	insmod "$KCALL_KO" || rc=1
	for _ in $(seq 50); do
		[ -c /dev/kcall ] && break
		sleep 0.1
	done
fi
top=$(cd "$(dirname "$0")/../.." && pwd)
mountpoint -q /sys/kernel/debug || mount -t debugfs debugfs /sys/kernel/debug
# The KUnit suites of the module's pure logic (kcall_kunit.ko, built beside
# kcall.ko for kernels with KUnit: the debug kernel) run as it loads; their
# KTAP results become a JUnit report (kunit.xml), counted like the others.
if [ -d /sys/kernel/debug/kunit ]; then
	# Read while the module is loaded: its unload deletes the results.
	if insmod "$(dirname "$KCALL_KO")/kcall_kunit.ko"; then
		python3 "$top/scripts/kunit-junit.py" "$results/kunit.xml" kcall_ || rc=1
		rmmod kcall_kunit
	else
		python3 "$top/scripts/kunit-junit.py" "$results/kunit.xml" kcall_ --load-failed || rc=1
	fi
fi
# KCALL_VM_FILTER: a gtest filter for kcall_vm_tests (scripts/test.sh).
"$build/tests/kcall_vm_tests" --gtest_filter="${KCALL_VM_FILTER:-*}" \
	--gtest_output="xml:$results/vm-tests.xml" || rc=1
# It unloads and reloads the module.
"$build/tests/kcall_vm_unload_tests" --gtest_output="xml:$results/vm-unload-tests.xml" || rc=1
# The coverage-guided fuzzer (its own JUnit report, fuzz.xml): on a kernel
# with KCOV (the debug kernel) its corpus, then fuzzing with kernel
# coverage and the coverage report; elsewhere its corpus replayed, every
# oracle on.
if [ -e /sys/kernel/debug/kcov ]; then
	"$top/scripts/fuzz-guest.sh" "$build" "$results" ci "${KCALL_KFUZZ_SECONDS:-180}" || rc=1
else
	"$top/scripts/fuzz-guest.sh" "$build" "$results" replay || rc=1
fi
exit "$rc"
