#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build kcall.ko for one kernel, out of the source tree:
#   tools/kernel/build-module.sh [KVER] [extra make args, e.g. W=1 C=2]
# The kernel build dir: the guest kernel's headers in the project's cache
# (tools/kernel/guest-kernel.sh); KCALL_KDIR overrides it (the debug kernel's).
# The sources are mirrored into build/kmod/<KVER>/ so that several kernels
# can be built side by side and the work tree stays free of objects.
# Prints the path of the built module on the last line.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/scripts/lib.sh"

kver=${1:-$(kcall_default_kernel)}
shift || true
kdir=${KCALL_KDIR:-$(kcall_kernel_dir "$kver")/lib/modules/$kver/build}
[ -d "$kdir" ] || die "no kernel build dir $kdir (run scripts/setup.sh)"

out=$top/build/kmod/$kver
mkdir -p "$out"
# Mirror only what Kbuild needs. tar keeps the sources' mtimes, so make
# rebuilds only what changed; objects from earlier builds stay in place.
tar -C "$top" -cf - --exclude='*.o' --exclude='*.ko' --exclude='.*.cmd' \
	--exclude='*.mod' --exclude='*.mod.c' Kbuild module uapi |
	tar -C "$out" -xf -
# Warnings are errors: the module must build clean with W=1.
make -C "$kdir" M="$out" W=1 KCFLAGS=-Werror "$@" modules >&2
echo "$out/kcall.ko"
