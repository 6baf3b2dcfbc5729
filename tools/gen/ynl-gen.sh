#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Generate the netlink code from the family's YNL spec, uapi/kcall.yaml,
# with the kernel's own generator (tools/net/ynl/pyynl/ynl_gen_c.py of the
# newest kernel source, by tools/kernel/kernel-tools.sh), as the kernel's
# families do (net/handshake, net/core/netdev-genl-gen.c):
#   uapi/kcall_genl.h       the uapi enums and names (uapi/kcall.h includes it)
#   module/netlink_gen.h    declarations of the policies, op table and doits
#   module/netlink_gen.c    the per-command policies and the genl_ops table
#   tools/gen/ynl-gen.sh [--check]
# --check: regenerate into a scratch directory and fail, showing the diff,
# when the committed files differ (the lint gate runs this).
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/scripts/lib.sh"

check=0
case "${1:-}" in
--check) check=1 ;;
"") ;;
*) die "usage: ynl-gen.sh [--check]" ;;
esac

tools=$("$top/tools/kernel/kernel-tools.sh")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The generator finds the tree's root by walking up to a MAINTAINERS file
# (forever when there is none) and names the spec by its path from there;
# it looks for the schema beside the spec's directory. A scratch tree with
# both makes the files say "uapi/kcall.yaml", where the spec lives here.
mkdir -p "$work/tree/uapi" "$work/out/uapi" "$work/out/module"
touch "$work/tree/MAINTAINERS"
cp "$top/uapi/kcall.yaml" "$work/tree/uapi/"
cp "$tools/Documentation/netlink/genetlink-legacy.yaml" "$work/tree/"

gen() {
	python3 "$tools/tools/net/ynl/pyynl/ynl_gen_c.py" \
		--spec "$work/tree/uapi/kcall.yaml" "$@"
}
gen --mode uapi --header -o "$work/out/uapi/kcall_genl.h"
gen --mode kernel --header -o "$work/out/module/netlink_gen.h"
gen --mode kernel --source -o "$work/out/module/netlink_gen.c"

files=(uapi/kcall_genl.h module/netlink_gen.h module/netlink_gen.c)
if [ "$check" = 1 ]; then
	rc=0
	for f in "${files[@]}"; do
		if ! diff -u "$top/$f" "$work/out/$f"; then
			echo "ynl-gen: $f differs from what uapi/kcall.yaml generates (run tools/gen/ynl-gen.sh)"
			rc=1
		fi
	done
	[ "$rc" = 0 ] && echo "ynl-gen: ${files[*]} match uapi/kcall.yaml"
	exit "$rc"
fi
for f in "${files[@]}"; do
	cp "$work/out/$f" "$top/$f"
	echo "ynl-gen: wrote $f"
done
