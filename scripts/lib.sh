# SPDX-License-Identifier: GPL-2.0-only
# Shared helpers for kcall's scripts. Sourced, not run.

# The debug kernel's source: Debian's package of the newest stable series
# (trixie-backports). Moving to a newer series is this one line.
KCALL_DEBUG_SOURCE=linux-source-7.3

die() {
	echo "${0##*/}: $*" >&2
	exit 1
}

# The project's cache, outside the work tree: guest kernels, the debug
# kernel, the debug kernel's source and the private apt states that fetch
# them. $KCALL_CACHE overrides it.
kcall_cache() {
	echo "${KCALL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kcall}"
}

# The guest kernels: Debian's packages of each one unpacked (dpkg-deb -x)
# into $(kcall_cache)/kernels/<ver>/ by tools/kernel/guest-kernel.sh, never
# installed. Each folder is a small root: boot/vmlinuz-<ver>,
# lib/modules/<ver> (depmod run, build -> the headers unpacked beside).
kcall_kernel_dir() {
	echo "$(kcall_cache)/kernels/$1"
}

kcall_kernel_image() {
	echo "$(kcall_kernel_dir "$1")/boot/vmlinuz-$1"
}

# The cached guest kernels, oldest first. Never /boot: those are the
# machine's own kernels.
kcall_kernels() {
	local d
	for d in "$(kcall_cache)"/kernels/*/complete; do
		[ -e "$d" ] || continue
		d=${d%/complete}
		echo "${d##*/}"
	done | sort -V
}

# The machine's own kernels with headers (what DKMS builds for), oldest
# first: scripts/install.sh's default.
kcall_host_kernels() {
	local d
	for d in /lib/modules/*/build; do
		[ -e "$d" ] || continue
		d=${d%/build}
		echo "${d##*/}"
	done | sort -V
}

# The debug kernel's source tarball, unpacked from Debian's
# $KCALL_DEBUG_SOURCE package by scripts/setup.sh --test, and the
# package's version beside it (the debug kernel's cache key).
kcall_debug_source() {
	echo "$(kcall_cache)/source/$KCALL_DEBUG_SOURCE.tar.xz"
}

kcall_debug_source_version() {
	cat "$(kcall_cache)/source/$KCALL_DEBUG_SOURCE.version" 2>/dev/null
}

kcall_default_kernel() {
	local k
	k=$(kcall_kernels | tail -n 1)
	[ -n "$k" ] || die "no guest kernel in $(kcall_cache)/kernels (run scripts/setup.sh)"
	echo "$k"
}

# The cached debug kernel's directory (tools/kernel/build-debug-kernel.sh), or
# nothing (status 1) when it has not been built on this machine.
# kcall_ccache_launcher TOP: sets the array kcall_launcher to CMake's
# ccache options when ccache is installed (scripts/setup.sh), with paths
# taken relative to TOP so that a fresh clone elsewhere hits the same
# entries; empty otherwise.
kcall_ccache_launcher() {
	kcall_launcher=()
	command -v ccache >/dev/null || return 0
	kcall_launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
	export CCACHE_BASEDIR=$1 CCACHE_NOHASHDIR=1
}

# The DKMS version, dkms.conf's PACKAGE_VERSION: the directory under
# /usr/src, shared by every package snapshot of one release.
kcall_dkms_version() {
	sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$(dirname "${BASH_SOURCE[0]}")/../dkms.conf"
}

kcall_debug_kernel_dir() {
	"$(dirname "${BASH_SOURCE[0]}")/../tools/kernel/build-debug-kernel.sh" --print-dir 2>/dev/null
}

# What in a kernel log is a report of a kernel bug: WARNING, BUG, Oops,
# general protection fault, lockdep, KASAN, UBSAN, KFENCE, kmemleak, panic,
# hung task, lockups and RCU stalls. An extended regular expression, read
# by tools/vm/check-kernel-log.sh and by vm-run.sh's live watcher.
kcall_splat_pattern() {
	local p='WARNING:|BUG:|BUG |Oops|general protection fault|Call Trace:'
	p+='|possible circular locking|possible recursive locking|inconsistent lock state'
	p+='|suspicious RCU usage|KASAN|UBSAN|KFENCE|unreferenced object|kernel panic|Kernel panic'
	p+='|INFO: task .* blocked for more than|soft lockup|hard LOCKUP|rcu_sched self-detected stall'
	p+='|rcu: INFO: rcu_preempt'
	echo "$p"
}

# Resolve a kernel given as a full version or a series prefix ("6.1").
kcall_resolve_kernel() {
	local want=$1 k
	# An exact version, else the newest of a series ("6.1" is not "6.12").
	k=$(kcall_kernels | while read -r v; do
		case $v in "$want" | "$want".* | "$want"-*) echo "$v" ;; esac
	done | tail -n 1)
	# A failure returns rather than exits: callers also ask in conditions.
	if [ -z "$k" ]; then
		echo "${0##*/}: kernel '$want' is not in $(kcall_cache)/kernels" \
			"(have: $(kcall_kernels | tr '\n' ' '); scripts/setup.sh --test fetches 6.1 and 6.12)" >&2
		return 1
	fi
	echo "$k"
}

# kcall_verdict PREFIX: the closing "PREFIX: N passed, N failed" line of
# a script whose checks kcall_check counted; fails when one failed.
kcall_verdict() {
	echo "$1: $passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}

# kcall_check PREFIX LOGDIR NAME COMMAND...: runs one named check, prints
# "PREFIX: PASS NAME" or "PREFIX: FAIL NAME" with the log's tail, and
# counts it in the caller's $passed / $failed.
kcall_check() {
	# Bash locals are dynamically scoped: these names must not shadow the
	# caller's variables that COMMAND reads (e.g. "prefix").
	local kc_label=$1 kc_name=$3 kc_log kc_start=$SECONDS
	kc_log=$2/${3//[^A-Za-z0-9.-]/_}.log
	shift 3
	if "$@" >"$kc_log" 2>&1; then
		echo "$kc_label: PASS $kc_name ($((SECONDS - kc_start)) s)"
		passed=$((passed + 1))
	else
		echo "$kc_label: FAIL $kc_name ($((SECONDS - kc_start)) s, log: $kc_log)"
		tail -n 20 "$kc_log" | sed 's/^/    /'
		failed=$((failed + 1))
	fi
}
