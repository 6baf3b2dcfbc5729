#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build the debug kernel for the VM suite from Debian's source of the newest
# stable series ($KCALL_DEBUG_SOURCE in scripts/lib.sh, linux-source-7.3, whose
# tarball scripts/setup.sh --debug-kernel unpacks into the project's cache):
# virtme-ng's minimal configuration (allnoconfig plus virtio, 9p, overlayfs,
# devtmpfs) with tests/kconfig/debug.config on top: what the suite needs to
# run, and KASAN, lockdep, PROVE_RCU, DEBUG_ATOMIC_SLEEP, kmemleak, UBSAN,
# INIT_STACK_ALL_PATTERN, KCOV, failslab, LKDTM and ftrace. Once per machine.
#
#   tools/kernel/build-debug-kernel.sh [--print-dir] [-j N]
#
# The kernel lives in a cache outside the work tree, keyed by the source
# package's version and the fragment's settings:
#   ${KCALL_CACHE:-$XDG_CACHE_HOME/kcall}/debug-kernel/<ver>-<hash>/
# holding src/ (the unpacked source), build/ (the O= tree: bzImage and
# what external modules build against), release, build-seconds and a
# "complete" marker. --print-dir prints that directory when the kernel is
# built and fails otherwise, without building: how scripts ask whether the
# cache exists. A cold build takes about 12 minutes on 2 cores.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/scripts/lib.sh"

print_only=0
jobs=$(nproc)
while [ $# -gt 0 ]; do
	case $1 in
	--print-dir) print_only=1; shift ;;
	-j) jobs=$2; shift 2 ;;
	*) die "usage: build-debug-kernel.sh [--print-dir] [-j N]" ;;
	esac
done

fragment=$top/tests/kconfig/debug.config
pkg=$KCALL_DEBUG_SOURCE
tarball=$(kcall_debug_source)
if [ ! -e "$tarball" ]; then
	[ "$print_only" = 1 ] && exit 1
	die "$pkg is missing (run scripts/setup.sh --debug-kernel)"
fi
srcver=$(kcall_debug_source_version || echo unknown)
# The key covers the fragment's settings, not its comments.
key=$srcver-$(grep -v -e '^[[:space:]]*#' -e '^[[:space:]]*$' "$fragment" | sha256sum | cut -c1-12)
dir=$(kcall_cache)/debug-kernel/$key

if [ "$print_only" = 1 ]; then
	[ -e "$dir/complete" ] || exit 1
	echo "$dir"
	exit 0
fi
if [ -e "$dir/complete" ]; then
	echo "build-debug-kernel: cached in $dir" >&2
	echo "$dir"
	exit 0
fi

command -v virtme-configkernel >/dev/null ||
	die "virtme-ng is missing (run scripts/setup.sh --debug-kernel)"
for tool in flex bison bc; do
	command -v "$tool" >/dev/null || die "$tool is missing (run scripts/setup.sh --debug-kernel)"
done

rm -rf "$dir"
mkdir -p "$dir/build"
echo "build-debug-kernel: unpacking $tarball" >&2
tar -xaf "$tarball" -C "$dir"
mv "$dir/$pkg" "$dir/src"
start=$(date +%s)

# virtme-ng's minimal config (allnoconfig + 9p, virtio, devtmpfs...) with
# our fragment on top: from defconfig the same kernel takes an hour.
(cd "$dir/src" && virtme-configkernel --allnoconfig --custom "$fragment" O="$dir/build") >&2
# virtme-ng's own items come after --custom and add what the suite never
# uses (DRM, sound, BPF, kprobes, DWARF...): the fragment is applied once
# more so that it has the last word, then Kconfig resolves dependencies.
args=()
while IFS='=' read -r name value; do
	case $value in
	y) args+=(--enable "${name#CONFIG_}") ;;
	n) args+=(--disable "${name#CONFIG_}") ;;
	*) args+=(--set-val "${name#CONFIG_}" "$value") ;;
	esac
done < <(grep -E '^CONFIG_[A-Z0-9_]+=' "$fragment")
"$dir/src/scripts/config" --file "$dir/build/.config" "${args[@]}"
make -C "$dir/src" O="$dir/build" olddefconfig >&2
# Kconfig silently drops what it cannot select, and may select again what
# the fragment turns off: every "=y" and "=n" of the fragment must hold.
wrong=$(grep -E '^CONFIG_[A-Z0-9_]+=[yn]$' "$fragment" | while read -r line; do
	case $line in
	*=y) grep -qx "$line" "$dir/build/.config" || echo "${line%=y}" ;;
	*=n) ! grep -qx "${line%=n}=y" "$dir/build/.config" || echo "${line%=n}=y" ;;
	esac
done)
[ -z "$wrong" ] || die "the fragment did not hold in $dir/build/.config:" $wrong

echo "build-debug-kernel: building with -j$jobs (log: $dir/build.log)" >&2
if ! make -C "$dir/src" O="$dir/build" -j"$jobs" bzImage modules_prepare \
	>"$dir/build.log" 2>&1; then
	tail -n 30 "$dir/build.log" >&2
	die "kernel build failed"
fi
# External modules resolve symbols against Module.symvers, which only a
# "make modules" writes; every driver we need is built in, so the kernel's
# own symbols are all there is.
cp "$dir/build/vmlinux.symvers" "$dir/build/Module.symvers"
make -s -C "$dir/src" O="$dir/build" kernelrelease >"$dir/release"
echo $(($(date +%s) - start)) >"$dir/build-seconds"
touch "$dir/complete"
echo "build-debug-kernel: done, $(cat "$dir/release") in $dir" >&2
echo "$dir"
