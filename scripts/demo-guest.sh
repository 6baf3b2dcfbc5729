#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Guest half of demo.sh: call each operation, then show kcall's log lines.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
raw=$top/build/cmake/tests/kcall-raw
status=0

call() {
	printf '$ kcall-raw %s\n' "$*"
	"$raw" "$@" || status=1
}

# Expected to fail: (unsigned)-1 > 1024 and 1025 > 1024, retpid 2 unknown.
fails() {
	printf '$ kcall-raw %s   (expected to fail)\n' "$*"
	if "$raw" "$@"; then
		echo "unexpected success"
		status=1
	fi
}

echo "== kcall on $(uname -r): /dev/kcall $(stat -c '%A' /dev/kcall)"
call goodbye
call showparams 42
call retparam 1024
fails retparam 1025
fails retparam -1
call retpid 0
call retpid 1
fails retpid 2
call taskcount
echo "== kernel log"
dmesg | grep 'kcall:'
exit "$status"
