#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Guest half of scripts/bench.sh: describe the machine, run the benchmarks
# with the module loaded, write OUT/bench.json and OUT/machine.txt.
#   bench-guest.sh BUILD_DIR OUT_DIR [benchmark args...]
set -eu
build=$1
out=$2
shift 2
{
	echo "kernel: $(uname -r)"
	echo "cpu: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
	echo "vcpus: $(nproc)"
	echo "memory: $(awk '/MemTotal/ {print $2 " kB"}' /proc/meminfo)"
	echo "cmdline: $(cat /proc/cmdline)"
	for f in /sys/devices/system/cpu/vulnerabilities/*; do
		echo "vulnerability ${f##*/}: $(cat "$f")"
	done
} >"$out/machine.txt"
# Many sleeping processes: raise the limits that would stop them first.
ulimit -u unlimited 2>/dev/null || true
echo 65536 >/proc/sys/kernel/pid_max 2>/dev/null || true
"$build/tests/kcall_bench" --benchmark_out="$out/bench.json" \
	--benchmark_out_format=json "$@"
