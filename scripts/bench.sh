#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Benchmarks: boot a Debian kernel in virtme-ng, load kcall, run
# tests/bench (Google Benchmark) and turn its JSON into
# docs/PERFORMANCE.md and docs/performance.png.
#
#   scripts/bench.sh [KERNEL] [--no-doc] [-- benchmark args...]
#
# KERNEL: a version or series (default 6.1). --no-doc leaves docs/ alone
# and prints the report only. Results stay in build/vm/<ver>/.
# Not part of scripts/test.sh: benchmarks print numbers, they never fail a
# test run.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"

series=6.1
doc=1
while [ $# -gt 0 ]; do
	case $1 in
	--no-doc) doc=0; shift ;;
	--) shift; break ;;
	-*) die "unknown option $1" ;;
	*) series=$1; shift ;;
	esac
done

if [ "$(id -u)" -eq 0 ]; then
	"$top/scripts/setup.sh"
fi
kver=$(kcall_resolve_kernel "$series")
"$top/scripts/build.sh" >/dev/null
out=$top/build/vm/$kver
log=$top/build/bench-$kver.log
"$top/scripts/vm-run.sh" -k "$kver" -- \
	"$top/tests/bench/run-bench.sh" "$top/build/cmake" "$out" "$@" 2>&1 | tee "$log"

accel=tcg
grep -q 'vm-run: kernel .* (kvm)' "$log" && accel=kvm
{
	echo "host cpu: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
	echo "host cores: $(nproc)"
	echo "accelerator: $accel"
	cat "$out/machine.txt"
} >"$out/machine-full.txt"

args=("$out/bench.json" "$out/machine-full.txt")
if [ "$doc" -eq 1 ]; then
	args+=(--doc "$top/docs/PERFORMANCE.md" --plot "$top/docs/performance.png"
		--analysis "$top/tests/bench/analysis.md")
fi
/usr/bin/python3 "$top/scripts/bench-report.py" "${args[@]}"
