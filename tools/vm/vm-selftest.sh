#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Proves that vm-run.sh's verdict cannot miss a kernel report, with splats
# planted from outside kcall (LKDTM, built into the debug kernel):
#   1. panic_on_warn=0 and the kernel's default ring: an early WARN, then
#      over 1 MiB of log, which overwrites the WARN in the ring: the run
#      still fails and the verdict quotes the WARN (read from the stream).
#      (The watcher's stop is put off for this one, KCALL_VM_STOP_DELAY,
#      so that the flood runs.)
#   2. panic_on_warn=1: a WARN stops the guest at once (the guest command
#      would otherwise sleep for 10 minutes) and the verdict quotes the
#      report from the console, well before the boot's timeout.
#   3. a Debian kernel (no panic_on_warn): vm-run.sh's log watcher stops
#      the guest a few seconds after a report (the guest would sleep for
#      10 minutes), and the verdict quotes it.
#   4. a guest that does not start within the boot limit is stopped and
#      booted once more, and the run fails.
# Prints "selftest: PASS|FAIL name" lines and "N passed, N failed".
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/scripts/lib.sh"
logdir=$top/build/selftest
secs=0
mkdir -p "$logdir"
passed=0
failed=0
lkdtm=/sys/kernel/debug/provoke-crash/DIRECT

# quoted_warn LOG: vm-run.sh's verdict quotes LKDTM's WARN.
quoted_warn() {
	grep -q 'check-kernel-log: FAIL' "$1" && grep -E 'WARNING:.*lkdtm' "$1"
}

warn_then_flood() {
	local log=$logdir/warn-flood.out
	# 1,100 records of 1,000 bytes at KERN_INFO (not on the console),
	# then what the ring still holds of the WARN: nothing.
	local cmd="echo WARNING >$lkdtm;
		line=\$(printf '%01000d' 0);
		for i in \$(seq 1100); do echo \"<6>flood \$i \$line\" >/dev/kmsg; done;
		echo \"flooded \$((1100 * 1000)) bytes\";
		echo \"ring: \$(dmesg | grep -c 'WARNING:') WARNING lines left\""
	KCALL_PANIC_ON_WARN=0 KCALL_VM_LOG_BUF_LEN= KCALL_VM_STOP_DELAY=800 \
		must_fail warn-flood debug sh -c "$cmd" || return 1
	# Over 1 MiB was logged after the WARN, and the ring (all that a
	# dmesg at the end would read) no longer holds it: the verdict must
	# come from the stream.
	grep -q 'flooded 1100000 bytes' "$log" || { echo "the flood did not run"; return 1; }
	grep -q 'ring: 0 WARNING lines left' "$log" ||
		{ echo "the ring still holds the WARN: the test proves nothing"; return 1; }
	quoted_warn "$log" || { echo "the WARN is not quoted"; return 1; }
}

# must_fail NAME KERNEL COMMAND: vm-run.sh on KERNEL must fail COMMAND;
# its output goes to $logdir/NAME.out (and is printed), the seconds it
# took to $secs. Environment assignments before the call reach vm-run.sh.
must_fail() {
	local name=$1 kernel=$2 start
	shift 2
	start=$(date +%s)
	if "$top/tools/vm/vm-run.sh" -k "$kernel" -t 900 -o "$logdir/$name" -- "$@" \
		>"$logdir/$name.out" 2>&1; then
		echo "vm-run passed a run with a WARN"
		cat "$logdir/$name.out"
		return 1
	fi
	secs=$(($(date +%s) - start))
	cat "$logdir/$name.out"
	echo "vm-run ended after ${secs}s"
}

warn_panics() {
	local log=$logdir/warn-panic.out
	must_fail warn-panic debug sh -c "echo WARNING >$lkdtm; sleep 600" || return 1
	grep -q 'timed out' "$log" && { echo "the guest timed out instead of stopping"; return 1; }
	grep -q 'panic_on_warn set' "$log" || { echo "no panic quoted"; return 1; }
	quoted_warn "$log" || { echo "the WARN is not quoted"; return 1; }
	[ "$secs" -lt 600 ] || { echo "took longer than the guest's sleep"; return 1; }
}

# On a Debian kernel (no panic_on_warn, no LKDTM) a report planted in the
# kernel log stands for a WARN: the watcher reads the log, not its cause.
warn_stops() {
	local log=$logdir/warn-stop.out
	must_fail warn-stop "$debian" \
		sh -c "echo '<4>WARNING: planted by vm-selftest' >/dev/kmsg; sleep 600" || return 1
	grep -q 'kernel report, stopping the guest' "$log" ||
		{ echo "the watcher did not stop the guest"; return 1; }
	grep -q 'FAIL.*planted by vm-selftest' "$log" || { echo "the WARN is not quoted"; return 1; }
	[ "$secs" -lt 600 ] || { echo "took longer than the guest's sleep"; return 1; }
}

# A guest that does not start in time is stopped and booted once more,
# then the run fails: a 5 s limit no boot meets.
boot_limit() {
	local log=$logdir/boot-limit.out
	KCALL_VM_BOOT_LIMIT=5 must_fail boot-limit "$debian" true || return 1
	[ "$(grep -c 'has not started after 5s' "$log")" -eq 2 ] ||
		{ echo "not stopped twice (boot and one retry)"; return 1; }
	grep -q 'did not boot' "$log" || { echo "no boot failure reported"; return 1; }
}

kcall_check selftest "$logdir" "early WARN then 1 MiB of log fails the run" warn_then_flood
kcall_check selftest "$logdir" "panic_on_warn stops the guest at the first WARN" warn_panics
debian=$(kcall_kernels | head -n 1)
kcall_check selftest "$logdir" "the log watcher stops a Debian kernel's guest at its first report" warn_stops
kcall_check selftest "$logdir" "a guest that does not start in time is stopped, retried, failed" boot_limit
kcall_verdict selftest
