#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Run every kcall test:
#   scripts/test.sh [--debug-kernel] [KERNEL...]
#
# KERNEL: default 6.1 6.12 (Debian's two series), or "debug". The debug
# kernel (KASAN, lockdep, kmemleak, UBSAN, INIT_STACK_ALL_PATTERN; built by
# scripts/build-debug-kernel.sh into a cache outside the tree) joins the
# default list whenever it is cached. --debug-kernel builds it if needed
# (about an hour) and runs the suite on it with the long fuzz run
# (KCALL_FUZZ_COUNT per transport: 500000 there, a million messages in all;
# 20000 otherwise).
#
# Installs what is missing, builds, runs the host tests (ctest), the static
# analysis gates (scripts/lint.sh) and the package test (install tree and
# example consumers, scripts/test-package.sh), installs the module by DKMS,
# then boots each kernel once in virtme-ng and runs the whole in-VM suite
# (autoload of the installed module first, then the freshly built module).
# Ends with one "N passed, N failed" line.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"

debug_flag=0
if [ "${1:-}" = --debug-kernel ]; then
	debug_flag=1
	shift
fi
kernels=("$@")
if [ ${#kernels[@]} -eq 0 ]; then
	read -r -a kernels <<<"${KCALL_KERNELS:-6.1 6.12}"
	# A machine that built the debug kernel tests on it too (CI included).
	if [ "$debug_flag" -eq 0 ] && kcall_debug_kernel_dir >/dev/null; then
		kernels+=(debug)
	fi
fi
[ "$debug_flag" -eq 0 ] || kernels+=(debug)
# Debian kernels: lint and DKMS; "debug" only boots.
debian_kernels=()
for k in "${kernels[@]}"; do
	[ "$k" = debug ] || debian_kernels+=("$k")
done

"$top/scripts/setup.sh"
"$top/scripts/kernel-tools.sh" >/dev/null
"$top/scripts/build.sh"

passed=0
failed=0
summary=()

# Install through DKMS for the kernels under test, as users do, so that the
# VM suite can test modprobe and autoload; removed again at the end unless
# it was installed before.
if dkms status -m kcall 2>/dev/null | grep installed >/dev/null; then
	keep_install=1
else
	keep_install=0
fi
"$top/scripts/install.sh" --no-config "${debian_kernels[@]}" >"$top/build/dkms-install.log" 2>&1 ||
	{ cat "$top/build/dkms-install.log"; exit 1; }
echo "== DKMS"
dkms status -m kcall
[ "$keep_install" -eq 1 ] || trap '"$top/scripts/install.sh" --uninstall >/dev/null 2>&1' EXIT

# count_checks LABEL PREFIX COMMAND...: runs a script that prints
# "PREFIX: PASS|FAIL name" lines and adds them to the totals.
count_checks() {
	local label=$1 prefix=$2 log t f
	shift 2
	log=$top/build/$label.log
	"$@" | tee "$log" || true
	# (grep -c exits 1 when it counts nothing)
	t=$(grep -c "^$prefix: \(PASS\|FAIL\) " "$log" || true)
	f=$(grep -c "^$prefix: FAIL " "$log" || true)
	[ "$t" -gt 0 ] || { t=1 f=1; }
	passed=$((passed + t - f))
	failed=$((failed + f))
	summary+=("$label: $((t - f)) passed, $f failed")
}

# "tests failed" of a gtest or ctest JUnit report.
xml_counts() {
	python3 "$top/scripts/junit-counts.py" "$1"
}

echo "== host tests (ctest)"
host_xml=$top/build/cmake/host-tests.xml
rm -f "$host_xml"
if (cd "$top/build/cmake" && ctest --output-on-failure --output-junit "$host_xml"); then
	rc=0
else
	rc=$?
fi
if [ -s "$host_xml" ]; then
	read -r t f < <(xml_counts "$host_xml")
else
	t=0 f=1
fi
[ "$rc" -eq 0 ] || [ "$f" -gt 0 ] || f=1
passed=$((passed + t - f))
failed=$((failed + f))
summary+=("host: $((t - f)) passed, $f failed")

echo "== static analysis gates"
count_checks gates lint "$top/scripts/lint.sh" "${debian_kernels[@]}"

echo "== package: install tree and example consumers"
count_checks package package "$top/scripts/test-package.sh"

if [ "$debug_flag" -eq 1 ] && ! kcall_debug_kernel_dir >/dev/null; then
	echo "== building the debug kernel (once per machine; about an hour)"
	"$top/scripts/build-debug-kernel.sh" >/dev/null
fi

for k in "${kernels[@]}"; do
	if [ "$k" = debug ]; then
		kver=$(cat "$(kcall_debug_kernel_dir)/release")
		label="$kver (debug)"
		vm_args=(-k debug)
		fuzz=20000
		if [ "$debug_flag" -eq 1 ]; then
			# 500,000 per transport: a million messages, about 35 min
			# under TCG; the whole boot gets two hours.
			fuzz=500000
			vm_args+=(-t "${KCALL_VM_TIMEOUT:-7200}")
		fi
		suite_env=(env "KCALL_FUZZ_COUNT=${KCALL_FUZZ_COUNT:-$fuzz}")
		suite_args=()  # no DKMS for a kernel outside /boot
	else
		kver=$(kcall_resolve_kernel "$k")
		label=$kver
		vm_args=(-k "$kver")
		suite_env=(env "KCALL_FUZZ_COUNT=${KCALL_FUZZ_COUNT:-20000}")
		suite_args=(--installed)
	fi
	echo "== in-VM suite on $label"
	results=$top/build/vm/$kver
	if "$top/scripts/vm-run.sh" "${vm_args[@]}" -- "${suite_env[@]}" \
		"$top/tests/vm/run-suite.sh" "$top/build/cmake" "$results" "${suite_args[@]}"; then
		rc=0
	else
		rc=$?
	fi
	t=0 f=0
	for xml in "$results"/*.xml; do
		[ -s "$xml" ] || continue
		read -r xt xf < <(xml_counts "$xml")
		t=$((t + xt))
		f=$((f + xf))
	done
	# A boot, load, unload or kernel-log failure fails the run even when
	# every test passed.
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		t=$((t + 1))
		summary+=("$label: VM run failed (exit $rc)")
	fi
	passed=$((passed + t - f))
	failed=$((failed + f))
	summary+=("$label: $((t - f)) passed, $f failed")
done

echo "== summary"
printf '  %s\n' "${summary[@]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
