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
# and prints the report only. Results stay in build/bench/<ver>/.
#
# Two guests, each a single boot:
#  - counted: every single-thread benchmark under QEMU's -icount shift=0
#    (one vCPU), where a guest nanosecond is one executed instruction: the
#    figures are instructions per operation, user and kernel, the same on
#    every run whatever the host does;
#  - timed: the thread rows (BM_threads_*: 1 and 2 threads) under plain
#    TCG with two vCPUs, 5 repetitions, reported as medians; TCG models no
#    cache-line bouncing, so these inform and gate nothing.
# Beside them, tests/bench/lib-cost.py counts the library's own instructions
# on the host (callgrind) for the report.
# Not part of scripts/test.sh: benchmarks print numbers, they never fail a
# test run (the library's budgets are gated by tests/bench/lib-cost.py there).
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
	"$top/scripts/setup.sh" --test
fi
kver=$(kcall_resolve_kernel "$series")
"$top/scripts/build.sh" >/dev/null
out=$top/build/bench/$kver
mkdir -p "$out"

# counted: instructions (a nanosecond of guest time is one instruction).
"$top/tools/vm/vm-run.sh" -i -k "$kver" -o "$out/counted" -- \
	"$top/scripts/bench-guest.sh" "$top/build/cmake" "$out/counted" \
	--benchmark_filter=-BM_threads_ "$@" 2>&1 | tee "$out/counted.log"

# timed: the thread rows, medians of 5 repetitions.
"$top/tools/vm/vm-run.sh" -k "$kver" -o "$out/timed" -- \
	"$top/scripts/bench-guest.sh" "$top/build/cmake" "$out/timed" \
	--benchmark_filter=BM_threads_ --benchmark_repetitions=5 "$@" 2>&1 | tee "$out/timed.log"

"$top/tests/bench/lib-cost.py" --json "$out/lib-cost.json" | tee "$out/lib-cost.log" || true

accel=tcg
grep -q 'vm-run: kernel .* (kvm)' "$out/timed.log" && accel=kvm
{
	echo "host cpu: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
	echo "host cores: $(nproc)"
	echo "counted run: TCG, -icount shift=0, 1 vCPU (1 ns = 1 instruction)"
	echo "timed run: $accel, 2 vCPUs"
	grep -v '^cmdline:' "$out/counted/machine.txt"
} >"$out/machine-full.txt"

args=(--counted "$out/counted/bench.json" --timed "$out/timed/bench.json"
	--lib-cost "$out/lib-cost.json" --machine "$out/machine-full.txt")
if [ "$doc" -eq 1 ]; then
	args+=(--doc "$top/docs/PERFORMANCE.md" --plot "$top/docs/performance.png"
		--analysis "$top/tests/bench/analysis.md")
fi
/usr/bin/python3 "$top/tools/report/bench-report.py" "${args[@]}"
