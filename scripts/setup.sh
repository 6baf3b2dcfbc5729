#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Install what kcall needs on Debian 12 (bookworm), by role, and say what
# before doing it:
#   scripts/setup.sh                  the demo's needs (scripts/demo.sh)
#   scripts/setup.sh --test           and the test tool chain (scripts/test.sh)
#   scripts/setup.sh --debug-kernel   only what tools/kernel/build-debug-kernel.sh
#                                     needs, so that scripts/test.sh can start
#                                     that long build while the rest installs
# Idempotent: when everything is present it changes nothing.
#
# What it never does: install a kernel or add an apt source. Guests boot
# Debian's kernels unpacked into the project's cache
# (tools/kernel/guest-kernel.sh: bookworm's 6.1 for the demo; bookworm-backports'
# 6.12 too for the tests), and the debug kernel's source
# (linux-source-7.3, trixie-backports) is unpacked there as well (--test,
# --debug-kernel): both are downloaded through a private apt state
# (tools/kernel/fetch-debs.sh). The one package from outside bookworm is
# virtme-ng, which only trixie has: its .deb is downloaded the same way and
# installed (apt resolves its dependencies from bookworm); nothing upgrades
# it later.
set -euo pipefail

role=demo
case ${1:-} in
'') ;;
--test) role='test' ;;
--debug-kernel) role=debug-kernel ;;
*) echo "usage: setup.sh [--test | --debug-kernel]" >&2; exit 1 ;;
esac

[ "$(id -u)" -eq 0 ] || { echo "setup: run as root" >&2; exit 1; }

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"
export DEBIAN_FRONTEND=noninteractive

# The demo: build kcall.ko against a guest kernel's headers (the kernel's
# own build tools, unpacked with them, link libelf and libssl), build the
# library and the CLI, boot the guest (QEMU; virtme-ng makes its
# initramfs with busybox), and show generic netlink (genl, iproute2).
DEMO_PKGS=(
	build-essential kmod libelf1 libssl3 debian-archive-keyring
	qemu-system-x86 busybox-static iproute2
	cmake pkg-config libnl-3-dev libnl-genl-3-dev libcli11-dev liburing-dev
	nlohmann-json3-dev
)
# What the debug kernel's build needs (tools/kernel/build-debug-kernel.sh):
# objtool, certs, the tarball's xz, and pahole (dwarves): the kernel's
# config records the pahole it was configured with, and a module built
# against it with another one warns (lint's W=1 gate fails); 6.12's
# headers need it for their modules' BTF too.
DEBUG_KERNEL_PKGS=(build-essential bc bison flex kmod cpio libelf-dev libssl-dev xz-utils dwarves
	debian-archive-keyring)
TEST_PKGS=(
	"${DEMO_PKGS[@]}"
	"${DEBUG_KERNEL_PKGS[@]}"
	# The scripts list and export the work tree's files with git.
	git
	# 32-bit test programs through compat_ioctl.
	gcc-multilib g++-multilib
	# Benchmark plots and profiling; callgrind counts the library's own
	# instructions (tests/bench/lib-cost.py, a gate of scripts/test.sh).
	gnuplot-nox linux-perf valgrind
	udev googletest libgtest-dev libgmock-dev libbenchmark-dev
	sparse util-linux procps python3 python3-yaml python3-jsonschema
	# Installation as users do it, and its Debian packages (debian/):
	# debhelper with dh-dkms, lintian, and bash-completion for testing
	# the CLI's completion.
	dkms debhelper dh-dkms lintian bash-completion
	# DKMS makes its MOK key with openssl and signs nothing without it (the
	# apt guests check the signature with it too).
	openssl
	clang-format clang-tidy
	# libFuzzer for the coverage-guided fuzzer (tests/fuzz).
	libclang-rt-14-dev
	# A compiler cache: a fresh clone's build reuses earlier runs' objects.
	ccache
	# The CLI's JSON; the library's ABI check (abidw, abidiff).
	abigail-tools
)
case $role in
demo) pkgs=("${DEMO_PKGS[@]}") series=(6.1) source=0 ;;
test) pkgs=("${TEST_PKGS[@]}") series=(6.1 6.12) source=1 ;;
debug-kernel) pkgs=("${DEBUG_KERNEL_PKGS[@]}") series=() source=1 ;;
esac

have_pkg() {
	dpkg-query -W -f='${Status}\n' "$1" 2>/dev/null | grep -q '^install ok installed$'
}
missing=()
for p in "${pkgs[@]}"; do
	have_pkg "$p" || missing+=("$p")
done
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | awk 'NF && !seen[$0]++')
need_vng=0
command -v vng >/dev/null || need_vng=1
need_series=()
for s in "${series[@]}"; do
	kcall_resolve_kernel "$s" >/dev/null 2>&1 || need_series+=("$s")
done
need_source=0
[ "$source" -eq 0 ] || [ -e "$(kcall_debug_source)" ] || need_source=1

if [ ${#missing[@]} -eq 0 ] && [ "$need_vng" -eq 0 ] && [ ${#need_series[@]} -eq 0 ] &&
	[ "$need_source" -eq 0 ]; then
	echo "setup: all dependencies present ($role)"
	exit 0
fi

if [ ${#missing[@]} -gt 0 ]; then
	echo "setup: installing from your apt sources (${role}): ${missing[*]}"
	apt-get update -qq
	apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if [ "$need_vng" -eq 1 ]; then
	echo "setup: installing virtme-ng, which only Debian trixie packages: its .deb is" \
		"downloaded from trixie through a private apt state in $(kcall_cache)/apt" \
		"and installed with its dependencies from your sources; no apt source is added"
	tmp=$(mktemp -d)
	deb=$("$top/tools/kernel/fetch-debs.sh" trixie "$tmp" virtme-ng)
	apt-get install -y -q --no-install-recommends "$deb"
	rm -rf "$tmp"
fi

for s in "${need_series[@]}"; do
	"$top/tools/kernel/guest-kernel.sh" "$s"
done

if [ "$need_source" -eq 1 ]; then
	dest=$(kcall_debug_source)
	echo "setup: fetching $KCALL_DEBUG_SOURCE (the debug kernel's source) from Debian" \
		"trixie-backports through a private apt state, unpacked to $dest, not installed"
	tmp=$(mktemp -d)
	deb=$("$top/tools/kernel/fetch-debs.sh" trixie-backports "$tmp" "$KCALL_DEBUG_SOURCE")
	mkdir -p "$(dirname "$dest")"
	dpkg-deb --fsys-tarfile "$deb" |
		tar -xOf - "./usr/src/$KCALL_DEBUG_SOURCE.tar.xz" >"$dest.tmp"
	dpkg-deb -f "$deb" Version >"${dest%.tar.xz}.version"
	mv "$dest.tmp" "$dest"
	rm -rf "$tmp"
fi
echo "setup: done ($role)"
