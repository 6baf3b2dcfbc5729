#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The coverage-guided fuzzer (tests/fuzz/kcall_kfuzz: libFuzzer fed by the
# debug kernel's KCOV) in a debug-kernel guest:
#   scripts/fuzz.sh [SECONDS]           what every test run does (default 180 s)
#   scripts/fuzz.sh --long SECONDS      fuzz that long (start it in the
#                                       background: 7200 for two hours)
#   scripts/fuzz.sh --reproduce FILE    replay one saved input (a crash-*),
#                                       one line per call
#   scripts/fuzz.sh --merge             minimise the new inputs of the last
#                                       run into tests/fuzz/corpus
# Results in build/vm/fuzz/ (or -o DIR): fuzz-coverage.txt, fuzz-*.log,
# new inputs in fuzz-corpus/, crashes as crash-*. Builds first.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"

out=$top/build/vm/fuzz
mode=ci
arg=180
vm_args=(-k debug)
while [ $# -gt 0 ]; do
	case $1 in
	-o) out=$(realpath -m "$2"); shift 2 ;;
	--long) mode=long; arg=$2; vm_args+=(-t $(($2 + 1200))); shift 2 ;;
	--reproduce) mode=reproduce; arg=$(realpath "$2"); shift 2 ;;
	--merge) mode=merge; shift ;;
	[0-9]*) arg=$1; shift ;;
	*) die "usage: fuzz.sh [-o DIR] [SECONDS | --long SECONDS | --reproduce FILE | --merge]" ;;
	esac
done

"$top/scripts/build.sh" >"$top/build/build.log" 2>&1 || { cat "$top/build/build.log"; exit 1; }
build=$top/build/cmake
case $mode in
merge)
	# libFuzzer's merge keeps the inputs that add coverage; it runs them,
	# so it runs in the guest too, into a folder the guest may write.
	[ -d "$out/fuzz-corpus" ] || die "no new inputs in $out/fuzz-corpus"
	"$top/tools/vm/vm-run.sh" "${vm_args[@]}" -o "$out-merge" -- \
		"$top/scripts/fuzz-guest.sh" "$build" "$out-merge" merge "$out/fuzz-corpus"
	rm -f "$top"/tests/fuzz/corpus/*
	cp "$out-merge"/corpus/* "$top/tests/fuzz/corpus/"
	echo "fuzz: tests/fuzz/corpus: $(find "$top/tests/fuzz/corpus" -type f | wc -l) inputs"
	;;
reproduce)
	exec "$top/tools/vm/vm-run.sh" "${vm_args[@]}" -o "$out-reproduce" -- env KCALL_FUZZ_VERBOSE=1 \
		"$top/scripts/fuzz-guest.sh" "$build" "$out-reproduce" reproduce "$arg"
	;;
*)
	exec "$top/tools/vm/vm-run.sh" "${vm_args[@]}" -o "$out" -- \
		"$top/scripts/fuzz-guest.sh" "$build" "$out" "$mode" "$arg"
	;;
esac
