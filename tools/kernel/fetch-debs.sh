#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Download Debian packages from named suites through a private apt state,
# without touching the system's apt sources, lists or packages:
#   tools/kernel/fetch-debs.sh [--show] SUITE[,SUITE...] DEST PACKAGE...
# The state (a sources list naming only SUITEs, their package lists and
# apt's caches) lives in $(kcall_cache)/apt/<SUITEs>/; its lists are read
# from the archive when older than a day. The .debs land in DEST; their
# paths are printed. --show prints `apt-cache show` of each PACKAGE instead
# (the candidate version only) and downloads nothing.
# A suite named *-security comes from Debian's security archive.
# $KCALL_DEBIAN_MIRROR: the archive (default http://deb.debian.org).
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/scripts/lib.sh"

show=0
[ "${1:-}" != --show ] || { show=1; shift; }
[ $# -ge 3 ] || die "usage: fetch-debs.sh [--show] SUITE[,SUITE...] DEST PACKAGE..."
suites=$1 dest=$2
shift 2
mirror=${KCALL_DEBIAN_MIRROR:-http://deb.debian.org}

state=$(kcall_cache)/apt/${suites//,/+}
mkdir -p "$state/lists/partial" "$state/archives/partial" "$state/parts"
: >>"$state/status"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
[ -e "$keyring" ] || die "$keyring is missing (package debian-archive-keyring)"
for s in ${suites//,/ }; do
	case $s in
	*-security) echo "deb [signed-by=$keyring] $mirror/debian-security $s main" ;;
	*) echo "deb [signed-by=$keyring] $mirror/debian $s main" ;;
	esac
done >"$state/sources.list.new"
mv "$state/sources.list.new" "$state/sources.list"

# Nothing of the system's configuration but its architecture: no other
# sources, no pins, an empty dpkg status (nothing counts as installed).
opts=(
	-o "Dir::Etc::sourcelist=$state/sources.list"
	-o "Dir::Etc::sourceparts=$state/parts"
	-o "Dir::Etc::preferences=$state/parts/none"
	-o "Dir::Etc::preferencesparts=$state/parts"
	-o "Dir::State::lists=$state/lists"
	-o "Dir::State::status=$state/status"
	-o "Dir::Cache=$state"
	-o "Dir::Cache::archives=$state/archives"
	-o Acquire::Languages=none
	-q
)
# apt downloads as the user _apt, which cannot reach a root's cache.
[ "$(id -u)" -ne 0 ] || opts+=(-o APT::Sandbox::User=root)

stamp=$state/updated
if [ ! -e "$stamp" ] || [ -n "$(find "$stamp" -mmin +1440)" ]; then
	apt-get "${opts[@]}" update >"$state/update.log" 2>&1 || {
		cat "$state/update.log" >&2
		die "cannot read the package lists of $suites"
	}
	touch "$stamp"
fi

if [ "$show" -eq 1 ]; then
	apt-cache "${opts[@]}" show --no-all-versions "$@"
	exit 0
fi
mkdir -p "$dest"
dest=$(cd "$dest" && pwd)
(cd "$dest" && apt-get "${opts[@]}" download "$@" >&2)
for p in "$@"; do
	ls "$dest/${p%%=*}"_*.deb
done
