#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Static analysis gates, each of which must report zero findings:
#   scripts/lint.sh [--only REGEX] [KERNEL...|-]   (default: 6.1 6.12 debug; -: none)
#   - module build with W=1, warnings as errors, and sparse (C=2) in the
#     same build, for each kernel ("debug": the cached debug kernel,
#     scripts/build-debug-kernel.sh)
#   - checkpatch.pl --strict on module/ and uapi/ (from linux-source-7.3),
#     but for the files YNL generates; those must equal what
#     scripts/ynl-gen.sh generates from uapi/kcall.yaml
#   - clang-format (check only) and clang-tidy on the C++ of client/, tests/
#   - kcall's ioctl numbers against the newest kernel's ioctl-number.rst
#     (scripts/check-ioctl-numbers.sh)
#   - libkcall's ABI against its committed baseline (scripts/abi-check.sh)
#     and its exported symbols (scripts/check-exports.sh)
# Prints one line per gate and "N passed, N failed".
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"

only=.
if [ "${1:-}" = --only ]; then
	only=$2
	shift 2
fi
kernels=("$@")
[ ${#kernels[@]} -gt 0 ] || read -r -a kernels <<<"${KCALL_KERNELS:-6.1 6.12 debug}"
[ "${kernels[*]}" != - ] || kernels=()
cd "$top"
passed=0
failed=0
logdir=$top/build/lint
mkdir -p "$logdir"

# gate NAME COMMAND...: the command must succeed and print no finding.
gate() {
	grep -qE "$only" <<<"$1" || return 0
	kcall_check lint "$logdir" "$@"
}

# A W=1 build with sparse: make succeeds and nothing warns, in any case:
# modpost says "WARNING:" (a missing MODULE_DESCRIPTION(), say).
kbuild_clean() {
	local kver=$1 out
	shift
	# Rebuild every object (warnings only show when a file compiles).
	rm -f "$top/build/kmod/$kver/module/"*.o
	out=$("$top/scripts/build-module.sh" "$kver" "$@" 2>&1) || { echo "$out"; return 1; }
	if grep -iE 'warning:|error:' <<<"$out"; then
		return 1
	fi
}

# Runs a command and fails when its output holds a line matching PATTERN
# (tools such as checkpatch exit non-zero on findings, so their exit status
# alone is not read: a crash without output must fail too).
# findings PATTERN COMMAND...
findings() {
	local pattern=$1 out rc
	shift
	out=$("$@" 2>&1)
	rc=$?
	echo "$out"
	if grep -qE "$pattern" <<<"$out"; then
		return 1
	fi
	return "$rc"
}

# The generated files are the generator's style (upstream's), not ours.
checkpatch() {
	local tools
	tools=$("$top/scripts/kernel-tools.sh") || return 1
	findings 'ERROR|WARNING|CHECK' perl "$tools/scripts/checkpatch.pl" --no-tree \
		--strict --terse --show-types -f \
		$(ls module/*.[ch] module/tests/*.c | grep -v '^module/netlink_gen\.[ch]$') \
		uapi/kcall.h
}

cxx_sources() {
	git ls-files 'client/*.cpp' 'client/*.h' 'client/*.hpp' 'tests/*.cpp' 'tests/*.h'
}

clang_format_check() {
	cxx_sources | xargs -r clang-format --dry-run --Werror
}

# clang-tidy takes minutes on two cores: a file found clean is remembered
# in ${KCALL_CACHE:-~/.cache/kcall}/clang-tidy/ under a key of everything
# its verdict depends on (scripts/tidy-keys.py: the file, the project
# headers it includes, the compile command, every .clang-tidy and
# clang-tidy's version), so an unchanged file is not analysed again, and a
# changed header only sends the files that include it. Only clean verdicts
# are kept: findings always come from a fresh run.
tidy_cache=$(kcall_cache)/clang-tidy
# tidy_one KEY FILE: analyses FILE; a clean verdict is kept under KEY.
tidy_one() {
	local out rc=0
	out=$(clang-tidy -p "$top/build/cmake" --quiet "$2" 2>&1) || rc=$?
	echo "$out"
	if [ "$rc" -eq 0 ] && ! grep -qE 'warning:|error:' <<<"$out"; then
		mkdir -p "$tidy_cache"
		echo "$2" >"$tidy_cache/$1"
	fi
	return "$rc"
}
export -f tidy_one
export top tidy_cache

clang_tidy_check() {
	local extra
	cmake -S "$top" -B "$top/build/cmake" >/dev/null || return 1
	extra=$top/build/lint/tidy-extra
	{
		git ls-files '.clang-tidy' '*/.clang-tidy' | xargs cat
		clang-tidy --version
	} >"$extra"
	# tests/example is a separate project, built against the installed
	# package by scripts/test-package.sh: not in this compile database.
	# One process per file without a cached verdict, as many as there are
	# cores.
	cxx_sources | grep '\.cpp$' | grep -v '^tests/example/' |
		python3 "$top/scripts/tidy-keys.py" "$top/build/cmake/compile_commands.json" "$top" "$extra" |
		while read -r key file; do
			[ -e "$tidy_cache/$key" ] || echo "$key $file"
		done >"$top/build/lint/tidy-todo"
	echo "clang-tidy: $(wc -l <"$top/build/lint/tidy-todo") files to analyse, the rest cached clean"
	findings 'warning:|error:' xargs -r -P "$(nproc)" -n 2 \
		bash -c 'tidy_one "$0" "$1"' <"$top/build/lint/tidy-todo"
}

for k in "${kernels[@]}"; do
	if [ "$k" = debug ]; then
		dbg=$(kcall_debug_kernel_dir) || {
			gate "W=1 and sparse C=2 (debug)" false "no debug kernel (scripts/build-debug-kernel.sh)"
			continue
		}
		kver=$(cat "$dbg/release")
		export KCALL_KDIR=$dbg/build
	else
		kver=$(kcall_resolve_kernel "$k")
		unset KCALL_KDIR
	fi
	# build-module.sh always builds with W=1 and -Werror: one build
	# gives both verdicts.
	gate "W=1 and sparse C=2 ($kver)" kbuild_clean "$kver" C=2
done
unset KCALL_KDIR
gate "checkpatch --strict" checkpatch
gate "generated netlink code matches uapi/kcall.yaml" "$top/scripts/ynl-gen.sh" --check
gate "clang-format" clang_format_check
gate "clang-tidy" clang_tidy_check
gate "ioctl numbers free in the newest ioctl-number.rst" "$top/scripts/check-ioctl-numbers.sh"
gate "libkcall ABI (abidiff against client/abi/)" "$top/scripts/abi-check.sh"
gate "libkcall exports only its API" "$top/scripts/check-exports.sh"

kcall_verdict lint
