#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Extract the kernel's own developer tools that kcall uses from the source
# of the newest stable series the CI runs ($KCALL_DEBUG_SOURCE in lib.sh,
# Debian's linux-source-7.3): checkpatch.pl and its data files, the YNL
# generator, client and schemas (tools/net/ynl/pyynl/ since 6.14), and the
# ioctl number registry. Into build/kernel-tools/, nothing of it committed.
# Prints the extracted tree's path.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/scripts/lib.sh"

tarball=$(kcall_debug_source)
[ -e "$tarball" ] || die "$KCALL_DEBUG_SOURCE is not in the cache (run scripts/setup.sh --test)"
dest=$top/build/kernel-tools
stamp=$dest/.from
from="$tarball $(stat -c %Y "$tarball")"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$from" ]; then
	rm -rf "$dest"
	mkdir -p "$dest"
	base=$(basename "$tarball" .tar.xz)
	tar -C "$dest" --strip-components=1 -xJf "$tarball" \
		"$base/scripts/checkpatch.pl" "$base/scripts/spelling.txt" \
		"$base/scripts/const_structs.checkpatch" \
		"$base/tools/net/ynl" "$base/Documentation/netlink" \
		"$base/Documentation/userspace-api/ioctl/ioctl-number.rst"
	echo "$from" >"$stamp"
fi
echo "$dest"
