#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The Debian packages (debian/): built as Debian builds them
# (dpkg-buildpackage -us -uc -b) from a copy of the tracked sources, then
# checked: lintian over the result with no error or warning left (each
# override in debian/*.lintian-overrides carries its reason), the files
# each package ships, and the bash completion as the kcall package ships
# it, in a bash session. Prints one "debian: PASS|FAIL" line per check and
# "N passed, N failed". The .debs stay in build/debian/ for the VM tests.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/scripts/lib.sh"

out=$top/build/debian
logs=$top/build/debian-logs
rm -rf "$logs" && mkdir -p "$logs"
passed=0 failed=0
check() { kcall_check debian "$logs" "$@"; }

# The tracked files as they are in the work tree (a fresh clone: HEAD),
# versioned as a snapshot of HEAD.
build() {
	"$top/scripts/build-debian.sh" "$out"
}
check "dpkg-buildpackage -us -uc -b" build
changes=$(find "$out" -maxdepth 1 -name '*.changes' 2>/dev/null | head -n 1)
if [ -z "$changes" ]; then
	kcall_verdict debian
	exit 1
fi
version=$(sed -n 's/^Version: //p' "$changes")
upstream=$(kcall_dkms_version)

lint() {
	local tags
	lintian --fail-on none "$changes" >"$out/lintian.log" 2>&1 || true
	tags=$(grep -E '^[EW]: ' "$out/lintian.log")
	[ -z "$tags" ] || { echo "$tags"; return 1; }
}
check "lintian: no errors or warnings" lint

# has DEB PATH...: the package ships every PATH (shell patterns).
has() {
	local deb=$1 list p
	shift
	list=$(dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|')
	for p in "$@"; do
		# shellcheck disable=SC2053
		grep -qx -- "$p" <<<"$list" || { echo "$deb lacks $p"; return 1; }
	done
}
# lacks DEB PATTERN...: no file of the package matches a PATTERN (regex).
lacks() {
	local deb=$1 list p
	shift
	list=$(dpkg-deb -c "$deb" | awk '{print $6}')
	for p in "$@"; do
		! grep -E -- "$p" <<<"$list" || { echo "$deb ships $p"; return 1; }
	done
}
arch=$(dpkg --print-architecture)
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
check "kcall-dkms: module source and dkms.conf, nothing loads it at boot" \
	has "$out/kcall-dkms_${version}_all.deb" "/usr/src/kcall-$upstream/dkms.conf" \
	"/usr/src/kcall-$upstream/Kbuild" "/usr/src/kcall-$upstream/module/core.c" \
	"/usr/src/kcall-$upstream/uapi/kcall.h"
check "kcall-dkms: no boot-time load, nothing under /etc" \
	lacks "$out/kcall-dkms_${version}_all.deb" 'modules-load\.d' '^\./etc/' '\.clang-format'
check "libkcall0.3: the shared library under its SONAME" \
	has "$out/libkcall0.3_${version}_$arch.deb" "/usr/lib/$multiarch/libkcall.so.0.3"
check "libkcall-dev: headers, static library, pkg-config, CMake package, libkcall(3)" \
	has "$out/libkcall-dev_${version}_$arch.deb" /usr/include/kcall/kcall.h \
	/usr/include/kcall/kcall.hpp /usr/include/kcall/uapi/kcall.h \
	"/usr/lib/$multiarch/libkcall.a" "/usr/lib/$multiarch/libkcall.so" \
	"/usr/lib/$multiarch/pkgconfig/kcall.pc" "/usr/lib/$multiarch/cmake/kcall/kcallConfig.cmake" \
	/usr/share/man/man3/libkcall.3.gz
# As liburing ships them: "man NAME" for every exported C function (a link
# to libkcall(3), which dh_installman made a symlink, or a page of its own).
man3=()
while read -r f; do
	man3+=("/usr/share/man/man3/$f.3.gz")
done < <(sed -n 's/^KCALL_API [^(]*[ *]\(kcall_[a-z0-9_]*\)(.*/\1/p' \
	"$top/client/include/kcall/kcall.h")
check "libkcall-dev: a man page for each of the ${#man3[@]} exported C functions" \
	has "$out/libkcall-dev_${version}_$arch.deb" "${man3[@]}"
check "kcall: the CLI, kcall(1), kcall(4), bash completion" \
	has "$out/kcall_${version}_$arch.deb" /usr/bin/kcall /usr/share/man/man1/kcall.1.gz \
	/usr/share/man/man4/kcall.4.gz /usr/share/bash-completion/completions/kcall

# The completion the package ships, in a bash session.
completion() {
	local root=$out/kcall-root
	rm -rf "$root"
	dpkg-deb -x "$out/kcall_${version}_$arch.deb" "$root" &&
		bash "$top/tests/completion/kcall_completion_test.sh" \
			"$root/usr/share/bash-completion/completions/kcall"
}
check "bash completion of the packaged kcall" completion

kcall_verdict debian
