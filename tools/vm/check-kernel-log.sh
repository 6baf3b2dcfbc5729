#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# check-kernel-log.sh LOG [LOG...]: fail (exit 1) when a guest's kernel log
# holds a report of a kernel bug (kcall_splat_pattern in scripts/lib.sh).
# LOGs are the streamed kernel log and the kernel console: the stream has
# everything while the guest runs, the console also what a panic printed
# after the stream's reader stopped. The first LOG must exist and not be
# empty; the others may be missing. Quotes the first report with what
# follows it, and lists every matching line.
set -u

. "$(dirname "$0")/../../scripts/lib.sh"

[ $# -ge 1 ] || die "usage: check-kernel-log.sh LOG [LOG...]"
if [ ! -s "$1" ]; then
	echo "check-kernel-log: no kernel log at $1" >&2
	exit 1
fi
pattern=$(kcall_splat_pattern)
status=0
for log in "$@"; do
	[ -s "$log" ] || continue
	first=$(grep -n -m1 -E "$pattern" "$log" | cut -d: -f1)
	[ -n "$first" ] || continue
	status=1
	echo "check-kernel-log: FAIL: kernel report in $log, line $first:" >&2
	sed -n "$first,$((first + 40))p" "$log" | sed 's/^/    /' >&2
	echo "check-kernel-log: every matching line of $log:" >&2
	grep -E "$pattern" "$log" | head -n 50 | sed 's/^/    /' >&2
done
exit "$status"
