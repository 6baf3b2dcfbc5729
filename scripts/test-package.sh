#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Installs the built client into build/install and builds the example
# consumer (tests/example) against it both ways: CMake find_package(kcall)
# and pkg-config. Prints one PASS/FAIL line per way and "N passed, N failed".
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"
prefix=$top/build/install
out=$top/build/example
rm -rf "$prefix" "$out"
mkdir -p "$out"
passed=0
failed=0

check() {
	kcall_check package "$out" "$@"
}

install_tree() {
	cmake --install "$top/build/cmake" --prefix "$prefix" &&
		test -f "$prefix/share/man/man3/libkcall.3" &&
		test -f "$prefix/include/linux/kcall.h" && test -x "$prefix/bin/kcall" &&
		"$prefix/bin/kcall" --help | head -n 1
}

cmake_consumer() {
	cmake -S "$top/tests/example" -B "$out/cmake" -DCMAKE_PREFIX_PATH="$prefix" &&
		cmake --build "$out/cmake" &&
		LD_LIBRARY_PATH=$prefix/lib "$out/cmake/example_c" &&
		"$out/cmake/example_cpp"
}

pkgconfig_consumer() {
	export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
	# shellcheck disable=SC2046
	cc -Wall -Wextra -Werror -o "$out/pc_shared" "$top/tests/example/example.c" \
		$(pkg-config --cflags --libs kcall) &&
		LD_LIBRARY_PATH=$prefix/lib "$out/pc_shared" &&
		c++ -std=c++20 -Wall -Wextra -Werror -o "$out/pc_static" \
			"$top/tests/example/example.cpp" -static-libstdc++ \
			$(pkg-config --cflags kcall) "$prefix/lib/libkcall.a" \
			$(pkg-config --static --libs-only-l kcall | sed 's/-lkcall//') &&
		"$out/pc_static"
}

check install install_tree
check cmake-consumer cmake_consumer
check pkg-config-consumer pkgconfig_consumer
echo "package: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
