#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# check-kernel-log.sh DMESG_FILE: fail (exit 1) when the kernel log holds a
# report of a kernel bug: WARNING, BUG, Oops, general protection fault,
# lockdep, KASAN, UBSAN, KFENCE or kmemleak. Prints the offending lines.
set -u

log=$1
if [ ! -s "$log" ]; then
	echo "check-kernel-log: no kernel log at $log" >&2
	exit 1
fi
pattern='WARNING:|BUG:|BUG |Oops|general protection fault|Call Trace:'
pattern+='|possible circular locking|possible recursive locking|inconsistent lock state'
pattern+='|suspicious RCU usage|KASAN|UBSAN|KFENCE|unreferenced object|kernel panic|Kernel panic'
pattern+='|INFO: task .* blocked for more than|soft lockup|hard LOCKUP|rcu_sched self-detected stall'
if grep -E "$pattern" "$log" >&2; then
	echo "check-kernel-log: FAIL: kernel reported a problem (above) in $log" >&2
	exit 1
fi
exit 0
