#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Install everything kcall needs to build the module, the tests and to boot
# Debian kernels in virtme-ng, on a fresh Debian 12 (bookworm) machine.
# Idempotent: when every package is already present it changes nothing.
#
# Kernels: bookworm's linux-image-amd64 (6.1) and bookworm-backports' (6.12),
# and the source of the newest stable series (linux-source-7.3, from
# trixie-backports; it needs only binutils and xz-utils), from which
# scripts/build-debug-kernel.sh builds the debug kernel and
# scripts/kernel-tools.sh takes checkpatch.pl and the YNL tools.
# virtme-ng only exists in trixie; trixie and trixie-backports are added with
# pin priority 100 so that only the packages we name explicitly with /trixie
# or /trixie-backports come from them.
#
#   scripts/setup.sh [--debug-kernel]
# --debug-kernel: only what scripts/build-debug-kernel.sh needs (compiler,
# kernel build tools, virtme-ng, the 7.3 source), so that scripts/test.sh
# can start that long build while the rest installs.
set -euo pipefail

only_debug_kernel=0
[ "${1:-}" != --debug-kernel ] || only_debug_kernel=1

[ "$(id -u)" -eq 0 ] || { echo "setup: run as root" >&2; exit 1; }

export DEBIAN_FRONTEND=noninteractive

# Packages from bookworm.
# What the debug kernel's build needs (scripts/build-debug-kernel.sh):
# objtool, certs, the tarball's xz, and pahole (dwarves), which the kernel
# headers packages bring in later: the kernel's config records the pahole
# it was configured with, and a module built against it with another one
# warns (lint's W=1 gate fails).
DEBUG_KERNEL_PKGS=(build-essential bc bison flex kmod cpio libelf-dev libssl-dev xz-utils dwarves)
BOOKWORM_PKGS=(
	"${DEBUG_KERNEL_PKGS[@]}"
	# The scripts list and export the work tree's files with git.
	git
	# 32-bit test programs through compat_ioctl.
	gcc-multilib g++-multilib
	# Benchmark plots and profiling; callgrind counts the library's own
	# instructions (scripts/lib-cost.py, a gate of scripts/test.sh).
	gnuplot-nox linux-perf valgrind
	linux-image-amd64 linux-headers-amd64
	qemu-system-x86 busybox-static udev
	cmake pkg-config googletest libgtest-dev libgmock-dev libbenchmark-dev
	libnl-3-dev libnl-genl-3-dev libcli11-dev
	# io_uring submission of kcall commands (library, tests, benchmarks).
	liburing-dev
	sparse iproute2 util-linux procps python3 python3-yaml python3-jsonschema
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
	nlohmann-json3-dev abigail-tools
)
# The 6.12 kernel series, from bookworm-backports.
BACKPORTS_PKGS=(linux-image-amd64/bookworm-backports linux-headers-amd64/bookworm-backports)
# virtme-ng, alone, from trixie.
TRIXIE_PKGS=(virtme-ng/trixie)
# The debug kernel's source (scripts/lib.sh names the series).
. "$(dirname "$0")/lib.sh"
DEBUG_SRC_PKGS=("$KCALL_DEBUG_SOURCE/trixie-backports")

have_pkg() {
	dpkg-query -W -f='${Status}\n' "$1" 2>/dev/null | grep -q '^install ok installed$'
}

# add_source NAME SUITE: a deb822 source of Debian's archive for SUITE in
# /etc/apt/sources.list.d/kcall-NAME.sources; sets changed=1 when it adds one.
add_source() {
	local f=/etc/apt/sources.list.d/kcall-$1.sources
	[ -e "$f" ] && return 0
	cat >"$f" <<SRC
Types: deb
URIs: http://deb.debian.org/debian
Suites: $2
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
	changed=1
}

add_sources() {
	local changed=0 f pref
	add_source backports bookworm-backports
	add_source trixie trixie
	add_source trixie-backports trixie-backports
	f=/etc/apt/preferences.d/kcall-trixie.pref
	# Never upgrade the system from trixie; take only what is named. The
	# kernel packages themselves (trixie's are newer than bookworm's) are
	# never taken from there: a re-run would otherwise "upgrade" the
	# installed 6.12 metapackages to a kernel that needs trixie's libc.
	pref='Package: *
Pin: release n=trixie
Pin-Priority: 100

Package: *
Pin: release n=trixie-backports
Pin-Priority: 100

Package: linux-image-* linux-headers-* linux-kbuild-* linux-compiler-*
Pin: release n=trixie
Pin-Priority: -1

Package: linux-image-* linux-headers-* linux-kbuild-* linux-compiler-*
Pin: release n=trixie-backports
Pin-Priority: -1'
	if [ "$(cat "$f" 2>/dev/null)" != "$pref" ]; then
		echo "$pref" >"$f"
		changed=1
	fi
	return $((1 - changed))
}

# The backports kernel counts as present once any 6.12 image is installed.
have_612() { compgen -G '/boot/vmlinuz-6.12.*-amd64' >/dev/null; }
if [ "$only_debug_kernel" -eq 1 ]; then
	BOOKWORM_PKGS=("${DEBUG_KERNEL_PKGS[@]}")
	have_612() { true; }
fi
missing=()
for p in "${BOOKWORM_PKGS[@]}"; do
	have_pkg "$p" || missing+=("$p")
done
have_pkg virtme-ng || missing+=(virtme-ng)
have_612 || missing+=(linux-6.12)
have_pkg "$KCALL_DEBUG_SOURCE" || missing+=("$KCALL_DEBUG_SOURCE")

if [ ${#missing[@]} -eq 0 ]; then
	echo "setup: all dependencies present"
	exit 0
fi
echo "setup: installing: ${missing[*]}"

add_sources || true
apt-get update -qq
apt-get install -y -q --no-install-recommends "${BOOKWORM_PKGS[@]}"
have_612 || apt-get install -y -q --no-install-recommends "${BACKPORTS_PKGS[@]}"
have_pkg virtme-ng || apt-get install -y -q --no-install-recommends "${TRIXIE_PKGS[@]}"
have_pkg "$KCALL_DEBUG_SOURCE" ||
	apt-get install -y -q --no-install-recommends "${DEBUG_SRC_PKGS[@]}"
echo "setup: done"
