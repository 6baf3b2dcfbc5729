#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# libkcall.so exports its API and nothing else:
#   tools/check/check-exports.sh [LIBRARY]   (default build/cmake/client/libkcall.so)
# Every defined dynamic symbol is a C function kcall_* or a C++ symbol in
# namespace kcall but not kcall::detail/internal, each carries the
# KCALL_ version node, and every function kcall.h declares is exported.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/scripts/lib.sh"

lib=${1:-$top/build/cmake/client/libkcall.so}
[ -e "$lib" ] || die "no $lib (run scripts/build.sh)"
syms=$(nm -D --defined-only --with-symbol-versions "$lib" | awk '$2 != "A" { print $3 }')
bad=0
while read -r sym; do
	name=${sym%%@*}
	version=${sym#*@}
	version=${version#@}
	demangled=$(c++filt "$name")
	case $demangled in
	kcall::detail::* | kcall::internal::*) ;;
	kcall_* | kcall::*)
		case $version in
		KCALL_*) continue ;;
		esac
		;;
	esac
	echo "exported but not API (or unversioned): $demangled ($sym)"
	bad=1
done <<<"$syms"
# Each function of the C API, as kcall.h declares it.
for f in $(sed -n 's/^KCALL_API [^(]*[ *]\(kcall_[a-z0-9_]*\)(.*/\1/p' "$top/client/include/kcall/kcall.h"); do
	grep -qx "$f@@KCALL_.*" <<<"$syms" || { echo "declared in kcall.h, not exported: $f"; bad=1; }
done
n=$(wc -l <<<"$syms")
[ "$bad" -eq 0 ] || exit 1
echo "check-exports: $n symbols, all API, all versioned"
