#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Extract the kernel's own developer tools that kcall uses (checkpatch.pl
# and its data files, the YNL netlink tools and schemas) from Debian's
# linux-source-6.12 tarball into build/kernel-tools/. Nothing of them is
# committed. Prints the extracted tree's path.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"

tarball=$(ls /usr/src/linux-source-6.12*.tar.xz 2>/dev/null | sort -V | tail -n 1)
[ -n "$tarball" ] || die "linux-source-6.12 is not installed (run scripts/setup.sh)"
dest=$top/build/kernel-tools
stamp=$dest/.from
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$tarball" ]; then
	rm -rf "$dest"
	mkdir -p "$dest"
	base=$(basename "$tarball" .tar.xz)
	tar -C "$dest" --strip-components=1 -xJf "$tarball" \
		"$base/scripts/checkpatch.pl" "$base/scripts/spelling.txt" \
		"$base/scripts/const_structs.checkpatch" \
		"$base/tools/net/ynl" "$base/Documentation/netlink"
	echo "$tarball" >"$stamp"
fi
echo "$dest"
