#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Put one series of Debian's kernel into the project's cache for guests to
# boot, without installing it: nothing goes to /boot, /lib/modules or
# dpkg's database.
#   tools/kernel/guest-kernel.sh SERIES      (6.1: bookworm's; 6.12: bookworm-backports')
# Does nothing when the cache holds a kernel of SERIES already. Otherwise
# downloads (tools/kernel/fetch-debs.sh) the series' newest linux-image, its
# linux-headers, their -common part and linux-kbuild, and unpacks them
# with dpkg-deb -x into $(kcall_cache)/kernels/<ver>/, a small root:
#   boot/vmlinuz-<ver>, config-<ver>, System.map-<ver>
#   lib/modules/<ver>/    the modules, depmod run; build -> the headers
#   usr/src/, usr/lib/    the headers and kbuild, as the packages lay them out
# virtme-ng boots boot/vmlinuz-<ver> with lib/modules/<ver> as the guest's
# /lib/modules/<ver> (tools/vm/vm-run.sh); modules and DKMS build against
# lib/modules/<ver>/build.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/scripts/lib.sh"

series=${1:-}
case $series in
6.1) suites=bookworm,bookworm-updates,bookworm-security ;;
6.12) suites=bookworm-backports ;;
*) die "usage: guest-kernel.sh 6.1|6.12" ;;
esac

if kcall_resolve_kernel "$series" >/dev/null 2>&1; then
	echo "guest-kernel: $series cached: $(kcall_kernel_dir "$(kcall_resolve_kernel "$series")")"
	exit 0
fi

fetch() { "$top/tools/kernel/fetch-debs.sh" "$@"; }
# depends PACKAGE: the package names its candidate depends on.
depends() {
	fetch --show "$suites" - "$1" | sed -n 's/^Depends: //p' | tr ',|' '\n' |
		sed 's/^ *//; s/[ :].*//'
}

image=$(depends linux-image-amd64 | grep -m1 '^linux-image-') ||
	die "no linux-image package behind linux-image-amd64 in $suites"
kver=${image#linux-image-}
# The headers and what of their dependencies is the kernel's own (the
# -common half, kbuild); the compiler comes from the system (gcc-12).
headers=linux-headers-$kver
mapfile -t parts < <(depends "$headers" | grep -E '^linux-(headers-.*-common|kbuild-)' | sort -u)

dir=$(kcall_kernel_dir "$kver")
tmp=$dir.tmp
rm -rf "$tmp"
mkdir -p "$tmp/debs"
echo "guest-kernel: fetching Linux $kver from Debian $suites for guests only" \
	"(unpacked into $dir, not installed)"
mapfile -t debs < <(fetch "$suites" "$tmp/debs" "$image" "$headers" "${parts[@]}")
for d in "${debs[@]}"; do
	dpkg-deb -x "$d" "$tmp"
done
rm -rf "$tmp/debs"

# A package that ships /usr/lib/modules: lib is usr/lib, as on the system.
[ -e "$tmp/lib" ] || ln -s usr/lib "$tmp/lib"
if [ ! -e "$tmp/boot/vmlinuz-$kver" ] || [ ! -d "$tmp/lib/modules/$kver/kernel" ]; then
	die "$image did not unpack a kernel and its modules"
fi
# The headers' Makefile includes its -common half by absolute path: made
# relative to the Makefile itself, so that the cache can live anywhere.
mk=$tmp/usr/src/linux-headers-$kver/Makefile
[ -e "$mk" ] || die "$headers did not unpack usr/src/linux-headers-$kver"
sed -i 's|^include /usr/src/|include $(dir $(lastword $(MAKEFILE_LIST)))../|' "$mk"
ln -sfn "../../../usr/src/linux-headers-$kver" "$tmp/lib/modules/$kver/build"
# Other links into /usr/src (source -> the -common half) stay inside too.
for l in "$tmp/lib/modules/$kver"/*; do
	t=$(readlink "$l") || continue
	[[ $t != /usr/src/* ]] || ln -sfn "../../..$t" "$l"
done
depmod -b "$tmp" "$kver"
touch "$tmp/complete"
rm -rf "$dir"
mv "$tmp" "$dir"
echo "guest-kernel: $kver cached in $dir"
