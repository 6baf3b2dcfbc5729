#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Builds the Debian packages of one commit as Debian builds them
# (dpkg-buildpackage -us -uc -b), from that commit's tracked files only:
#   scripts/build-debian.sh OUTDIR [REV]
# REV: a commit; without it, the tracked files as the work tree has them.
#
# Each build is a snapshot versioned <changelog version>+git<N>.g<hash>
# (N: the commit's count of ancestors), so the packages of a later commit
# upgrade those of an earlier one; two builds that were both 0.3.0 would
# leave apt nothing to upgrade. The DKMS version stays dkms.conf's.
# OUTDIR receives the .debs, the .changes and build.log; the last line
# printed is the path of the .changes file.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"

[ $# -ge 1 ] || die "usage: build-debian.sh OUTDIR [REV]"
out=$(realpath -m "$1")
rev=${2:-}

commit=$(git -C "$top" rev-parse --verify -q "${rev:-HEAD}^{commit}") ||
	die "no commit ${rev:-HEAD} in this clone"
rm -rf "$out"
src=$out/src
mkdir -p "$src"
if [ -n "$rev" ]; then
	git -C "$top" archive --format=tar "$commit" | tar -C "$src" -xf -
else
	(cd "$top" && git ls-files -z | tar --null -T - -cf -) | tar -C "$src" -xf -
fi
[ -f "$src/debian/changelog" ] || die "commit $commit has no debian/ packaging"

release=$(dpkg-parsechangelog -l "$src/debian/changelog" -S Version)
# Trees from before snapshot versions (their debian/rules gave DKMS the
# package's version) build as their changelog says.
version=$release
if grep -q '^DKMS_VERSION' "$src/debian/rules"; then
	count=$(git -C "$top" rev-list --count "$commit")
	short=$(git -C "$top" rev-parse --short=7 "$commit")
	version=$release+git$count.g$short
	maintainer=$(dpkg-parsechangelog -l "$src/debian/changelog" -S Maintainer)
	when=$(date -R -u -d "@$(git -C "$top" log -1 --format=%ct "$commit")")
	{
		printf 'kcall (%s) unstable; urgency=medium\n\n' "$version"
		printf '  * Snapshot of commit %s.\n\n' "$short"
		printf ' -- %s  %s\n\n' "$maintainer" "$when"
		cat "$src/debian/changelog"
	} >"$src/debian/changelog.new"
	mv "$src/debian/changelog.new" "$src/debian/changelog"
fi

# Missing build dependencies: say which, and the one command that installs
# them (scripts/setup.sh installs them too).
if ! missing=$(cd "$src" && dpkg-checkbuilddeps 2>&1); then
	die "${missing#dpkg-checkbuilddeps: error: }; install them with: apt-get build-dep $top"
fi
if ! (cd "$src" && dpkg-buildpackage -us -uc -b) >"$out/build.log" 2>&1; then
	tail -n 40 "$out/build.log" >&2
	die "dpkg-buildpackage failed for $commit (log: $out/build.log)"
fi
# dpkg-buildpackage leaves its results beside the source tree.
rm -rf "$src"
echo "$out/kcall_${version}_$(dpkg --print-architecture).changes"
