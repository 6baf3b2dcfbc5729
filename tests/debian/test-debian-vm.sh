#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The Debian packages installed with apt, as users install them, in a guest
# of each Debian kernel (tests/debian/apt-guest.sh: fresh install, takeover
# of a 0.2.0 source install, upgrade from the previous commit's packages,
# purge without leftovers):
#   tests/debian/test-debian-vm.sh [--rounds R,...] [KERNEL...]   (default: 6.1 6.12)
# Rounds: fresh, source, package (default: all three). Each costs several
# DKMS builds and depmod runs, minutes each under TCG: scripts/test.sh
# runs the upgrades on the first Debian kernel, the fresh round on the others.
# Uses this commit's .debs from build/debian (tests/debian/test-debian.sh builds
# them); the package round builds the previous commit's into
# build/debian-prev, the source round exports the last 0.2.0 tree into
# build/debian-old. Prints the guest's "apt: PASS|FAIL|NOT RUN" lines and
# one "debian-vm: N passed, N failed".
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/scripts/lib.sh"

rounds=fresh,source,package
if [ "${1:-}" = --rounds ]; then
	rounds=$2
	shift 2
fi
kernels=("$@")
[ ${#kernels[@]} -gt 0 ] || kernels=(6.1 6.12)
new=$top/build/debian
passed=0 failed=0

# This commit's packages (their version ends in its hash), else built now:
# a work tree's build/debian may hold an older commit's.
if ! ls "$new"/kcall-dkms_*.g"$(git -C "$top" rev-parse --short=7 HEAD)"_all.deb >/dev/null 2>&1; then
	"$top/scripts/build-debian.sh" "$new" >/dev/null || die "cannot build this commit's packages"
fi

# The previous commit's packages (a shallow clone has none: NOT RUN).
prev=$top/build/debian-prev
if [[ ,$rounds, != *,package,* ]]; then
	prev=-
elif ! "$top/scripts/build-debian.sh" "$prev" HEAD^ >"$top/build/debian-prev.log" 2>&1; then
	echo "debian-vm: the previous commit's packages: $(tail -n 1 "$top/build/debian-prev.log")"
	prev=-
fi

# The last commit whose dkms.conf says 0.2.0: its parent of the change.
old=- bump=
[[ ,$rounds, == *,source,* ]] &&
	bump=$(git -C "$top" log --format=%H -S'PACKAGE_VERSION="0.2.0"' -- dkms.conf | head -n 1)
if [ -n "$bump" ] && git -C "$top" rev-parse -q --verify "$bump^" >/dev/null; then
	old=$top/build/debian-old/kcall-0.2.0
	rm -rf "$old" && mkdir -p "$old" &&
		git -C "$top" archive --format=tar "$bump^" | tar -C "$old" -xf - || old=-
	[ "$old" = - ] || grep -q 'PACKAGE_VERSION="0.2.0"' "$old/dkms.conf" || old=-
fi

for k in "${kernels[@]}"; do
	kver=$(kcall_resolve_kernel "$k") || { failed=$((failed + 1)); continue; }
	results=$top/build/vm/apt-$kver
	log=$top/build/debian-vm-$kver.log
	rc=0
	# A round is about 10 min under TCG; 50 min bound three.
	"$top/tools/vm/vm-run.sh" -n -k "$kver" -t "${KCALL_VM_TIMEOUT:-3000}" -o "$results" -- \
		"$top/tests/debian/apt-guest.sh" "$new" "$prev" "$old" "$rounds" >"$log" 2>&1 || rc=$?
	grep -E '^(apt: |    )' "$log" | sed "s/^apt: /apt on $kver: /"
	[ "$rc" -eq 0 ] || grep '^vm-run: ' "$log" | sed "s/^/apt on $kver: /"
	# Counted by the test command's rules (no check, or a failed guest run
	# without a failed check, is a failure), printed as a FAIL line each.
	{
		read -r p f _ _
		while read -r kind text; do
			[ "$kind" != note: ] || echo "apt on $kver: FAIL $text"
		done
	} < <(python3 "$top/tools/report/test-counts.py" --rc "$rc" --lines apt "$log")
	passed=$((passed + p))
	failed=$((failed + f))
done
kcall_verdict debian-vm
