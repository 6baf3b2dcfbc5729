#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# libkcall's ABI against the committed baseline of its SONAME:
#   tools/check/abi-check.sh [LIBRARY]            check (lint gate)
#   tools/check/abi-check.sh --update [LIBRARY]   write the baseline
# LIBRARY defaults to build/cmake/client/libkcall.so (scripts/build.sh).
# The baseline is client/abi/<SONAME>.abi.xz (abidw's XML, compressed: the
# C++ API pulls libstdc++'s types in). A change abidiff reports, other than
# added symbols, fails: an incompatible change needs a new SONAME (the
# project's version: before 1.0 the minor is in the SONAME), and with it a
# new baseline; a compatible one, a new baseline.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/scripts/lib.sh"

update=0
if [ "${1:-}" = --update ]; then
	update=1
	shift
fi
lib=${1:-$top/build/cmake/client/libkcall.so}
[ -e "$lib" ] || die "no $lib (run scripts/build.sh)"
command -v abidiff >/dev/null || die "abigail-tools is missing (run scripts/setup.sh)"
lib=$(readlink -f "$lib")
soname=$(readelf -d "$lib" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
[ -n "$soname" ] || die "$lib has no SONAME"
baseline=$top/client/abi/$soname.abi.xz
headers=(--headers-dir "$top/client/include/kcall"
	--headers-dir "$top/build/cmake/client/include/kcall")

if [ "$update" -eq 1 ]; then
	mkdir -p "$top/client/abi"
	abidw "${headers[@]}" --drop-private-types --no-corpus-path --no-show-locs \
		--no-comp-dir-path --type-id-style hash "$lib" | xz -9 >"$baseline"
	echo "abi-check: wrote ${baseline#"$top"/}"
	exit 0
fi

[ -e "$baseline" ] || die "no baseline for $soname: a new SONAME needs" \
	"tools/check/abi-check.sh --update (and the old baseline removed)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
xz -dc "$baseline" >"$tmp/baseline.abi"
rc=0
# Every type reachable from an exported symbol counts, std:: ones too (a
# header filter would hide a kcall type's change inside std::variant).
abidiff --no-added-syms "$tmp/baseline.abi" "$lib" >"$tmp/report" 2>&1 || rc=$?
# abidiff's status is a bit mask: 1 error, 2 usage, 4 ABI change,
# 8 incompatible change.
if [ "$rc" -ne 0 ]; then
	cat "$tmp/report"
	if [ $((rc & 3)) -ne 0 ]; then
		echo "abi-check: abidiff failed (status $rc)"
	elif [ $((rc & 8)) -ne 0 ]; then
		echo "abi-check: incompatible ABI change without a new SONAME ($soname):" \
			"bump the project's version, or undo the change"
	else
		echo "abi-check: the ABI changed ($soname): if it is compatible," \
			"tools/check/abi-check.sh --update; else bump the project's version"
	fi
	exit 1
fi
echo "abi-check: $soname matches ${baseline#"$top"/}"
