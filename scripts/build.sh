#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Configure and build the user-space side (library, CLI, tests, tools) in
# build/cmake, the host tests under sanitizers in build/asan, and the
# 32-bit compat test in build/m32.
#   scripts/build.sh [--demo]
# --demo: the library and the CLI alone, in build/cmake (what
# scripts/demo.sh runs; none of the test tool chain needed).
set -euo pipefail

demo=0
case ${1:-} in
'') ;;
--demo) demo=1 ;;
*) echo "usage: build.sh [--demo]" >&2; exit 1 ;;
esac

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"
kcall_ccache_launcher "$top"
launcher=("${kcall_launcher[@]}")
# The demo needs the CLI alone: a tree configured for the tests stays so
# (only the CLI is built), a new one is configured without them.
if [ "$demo" -eq 1 ]; then
	opts=()
	[ -e "$top/build/cmake/CMakeCache.txt" ] || opts=(-DKCALL_BUILD_TESTS=OFF)
	cmake -S "$top" -B "$top/build/cmake" -DCMAKE_BUILD_TYPE=RelWithDebInfo "${launcher[@]}" \
		"${opts[@]}" >/dev/null
	cmake --build "$top/build/cmake" -j "$(nproc)" --target kcall_cli
	exit 0
fi
cmake -S "$top" -B "$top/build/cmake" -DCMAKE_BUILD_TYPE=RelWithDebInfo "${launcher[@]}" \
	-DKCALL_BUILD_TESTS=ON >/dev/null
cmake --build "$top/build/cmake" -j "$(nproc)"

# The host tests again under AddressSanitizer and UBSan (build/asan):
# scripts/test.sh runs them with ctest there too.
cmake -S "$top" -B "$top/build/asan" -DCMAKE_BUILD_TYPE=Debug "${launcher[@]}" \
	-DKCALL_SANITIZE=ON >/dev/null
cmake --build "$top/build/asan" -j "$(nproc)" --target kcall_unit_tests uapi_c_test uapi_cpp_test \
	kcall_fuzz_oracle_tests kcall_default_conn_tests kcall_dlclose

# The 32-bit flavour of libkcall (ioctl transport only, no io_uring) and of the compat
# test program, for the VM suite's compat_ioctl check.
cmake -S "$top" -B "$top/build/m32" -DCMAKE_BUILD_TYPE=RelWithDebInfo "${launcher[@]}" \
	-DCMAKE_C_FLAGS=-m32 -DCMAKE_CXX_FLAGS=-m32 \
	-DKCALL_WITH_NETLINK=OFF -DKCALL_WITH_URING=OFF -DKCALL_LIBRARY_ONLY=ON >/dev/null
cmake --build "$top/build/m32" -j "$(nproc)" --target kcall_compat_test kcall_shared kcall_static
