#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Installs libkcall and the CLI as a distribution package would (prefix
# /usr, Debian's multiarch libdir, into a DESTDIR) and builds consumers
# against that tree: CMake find_package(kcall) and pkg-config, C and C++,
# shared and static. Also installs the library-only 32-bit build
# (build/m32). Prints one PASS/FAIL line per check and "N passed, N failed".
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/scripts/lib.sh"
build=$top/build/package
root=$top/build/package-root
out=$top/build/example
rm -rf "$root" "$out"
mkdir -p "$out"
passed=0
failed=0
multiarch=$(gcc -print-multiarch)
libdir=$root/usr/lib/$multiarch

check() {
	kcall_check package "$out" "$@"
}

# The same sources as build/cmake, configured for /usr (ccache makes the
# compilation cheap), library and CLI only.
install_tree() {
	kcall_ccache_launcher "$top"
	cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_INSTALL_PREFIX=/usr \
		"${kcall_launcher[@]}" >/dev/null &&
		cmake --build "$build" -j "$(nproc)" --target kcall_shared kcall_static kcall_cli \
			>/dev/null &&
		DESTDIR=$root cmake --install "$build" >/dev/null &&
		for f in "$libdir/libkcall.so" "$libdir/libkcall.a" "$libdir/pkgconfig/kcall.pc" \
			"$libdir/cmake/kcall/kcallConfig.cmake" "$root/usr/include/kcall/kcall.h" \
			"$root/usr/include/kcall/kcall.hpp" "$root/usr/include/kcall/version.h" \
			"$root/usr/include/kcall/uapi/kcall.h" "$root/usr/bin/kcall" \
			"$root/usr/share/man/man3/libkcall.3"; do
			test -e "$f" || { echo "missing: $f"; return 1; }
		done &&
		# Debian's linux-libc-dev owns /usr/include/linux.
		if [ -e "$root/usr/include/linux" ]; then
			echo "installs into /usr/include/linux"
			return 1
		fi &&
		LD_LIBRARY_PATH=$libdir "$root/usr/bin/kcall" --help | head -n 1
}

cmake_consumer() {
	cmake -S "$top/examples" -B "$out/cmake" -DCMAKE_PREFIX_PATH="$root/usr" &&
		cmake --build "$out/cmake" &&
		LD_LIBRARY_PATH=$libdir "$out/cmake/example_c" &&
		"$out/cmake/example_c_static" && "$out/cmake/example_cpp" &&
		! ldd "$out/cmake/example_c_static" | grep -q libkcall
}

# Before 1.0 a minor version may break the ABI: asking for 0.2 must fail.
cmake_refuses_older_minor() {
	if cmake -S "$top/examples" -B "$out/cmake-old" -DCMAKE_PREFIX_PATH="$root/usr" \
		-DKCALL_WANT=0.2 >"$out/cmake-old.log" 2>&1; then
		echo "find_package(kcall 0.2) accepted version $(pkg_version)"
		return 1
	fi
	grep -q 'considered but not accepted' \
		"$out/cmake-old.log" || { cat "$out/cmake-old.log"; return 1; }
}

pkg_version() {
	PKG_CONFIG_PATH=$libdir/pkgconfig pkg-config --modversion kcall
}

pkgconfig_consumer() {
	export PKG_CONFIG_PATH=$libdir/pkgconfig
	# The prefix follows the file: this tree, not /usr.
	[ "$(pkg-config --variable=includedir kcall)" -ef "$root/usr/include" ] || {
		echo "includedir $(pkg-config --variable=includedir kcall)"
		return 1
	}
	# shellcheck disable=SC2046
	cc -Wall -Wextra -Werror -o "$out/pc_c_shared" "$top/examples/example.c" \
		$(pkg-config --cflags --libs kcall) &&
		LD_LIBRARY_PATH=$libdir "$out/pc_c_shared" &&
		# C against the static library with cc: pkg-config --static
		# supplies the C++ runtime (Libs.private).
		cc -Wall -Wextra -Werror -o "$out/pc_c_static" "$top/examples/example.c" \
			$(pkg-config --cflags kcall) "$libdir/libkcall.a" \
			$(pkg-config --static --libs-only-l kcall | sed 's/-lkcall//') &&
		"$out/pc_c_static" &&
		c++ -std=c++20 -Wall -Wextra -Werror -o "$out/pc_cpp_shared" \
			"$top/examples/example.cpp" $(pkg-config --cflags --libs kcall) &&
		LD_LIBRARY_PATH=$libdir "$out/pc_cpp_shared"
}

# KCALL_LIBRARY_ONLY (the 32-bit build) installs the library, its headers
# and a pkg-config file without libnl.
library_only_install() {
	local r=$out/m32-root
	DESTDIR=$r cmake --install "$top/build/m32" --prefix /usr >/dev/null &&
		test -e "$r/usr/lib/libkcall.a" && test -e "$r/usr/include/kcall/kcall.h" &&
		test -e "$r/usr/lib/pkgconfig/kcall.pc" &&
		! grep -q libnl "$r/usr/lib/pkgconfig/kcall.pc" &&
		! test -e "$r/usr/bin/kcall"
}

# Every exported C function (kcall.h's KCALL_API declarations) is
# reachable with "man NAME" in the installed tree, by a page of its own or
# a ".so" link to one that exists, and libkcall(3)'s NAME line lists it, as
# liburing ships its pages.
man_pages() {
	local f page so bad=0 names man=$root/usr/share/man
	names=$(sed -n '/^\.SH NAME/,/^\.SH [^N]/p' "$man/man3/libkcall.3")
	while read -r f; do
		page=$man/man3/$f.3
		so=$(sed -n '1s/^\.so //p' "$page" 2>/dev/null)
		if [ ! -s "$page" ] || { [ -n "$so" ] && [ ! -s "$man/$so" ]; }; then
			echo "man $f: no page"
			bad=1
		fi
		grep -qw -- "$f" <<<"$names" || { echo "libkcall(3)'s NAME lacks $f"; bad=1; }
	done < <(sed -n 's/^KCALL_API [^(]*[ *]\(kcall_[a-z0-9_]*\)(.*/\1/p' \
		"$top/client/include/kcall/kcall.h")
	[ "$bad" -eq 0 ]
}

check install install_tree
check man-pages man_pages
check cmake-consumer cmake_consumer
check cmake-refuses-older-minor cmake_refuses_older_minor
check pkg-config-consumer pkgconfig_consumer
check library-only-install library_only_install
kcall_verdict package
