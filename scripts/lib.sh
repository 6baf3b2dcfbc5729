# SPDX-License-Identifier: GPL-2.0-only
# Shared helpers for kcall's scripts. Sourced, not run.

die() {
	echo "${0##*/}: $*" >&2
	exit 1
}

# Debian kernels installed in /boot, oldest first.
kcall_kernels() {
	local f
	for f in /boot/vmlinuz-*; do
		[ -e "$f" ] || continue
		f=${f#/boot/vmlinuz-}
		[ -d "/lib/modules/$f/build" ] && echo "$f"
	done | sort -V
}

kcall_default_kernel() {
	local k
	k=$(kcall_kernels | tail -n 1)
	[ -n "$k" ] || die "no Debian kernel with headers installed (run scripts/setup.sh)"
	echo "$k"
}

# Resolve a kernel given as a full version or a series prefix ("6.1").
kcall_resolve_kernel() {
	local want=$1 k
	# An exact version, else the newest of a series ("6.1" is not "6.12").
	k=$(kcall_kernels | while read -r v; do
		case $v in "$want" | "$want".* | "$want"-*) echo "$v" ;; esac
	done | tail -n 1)
	[ -n "$k" ] || die "kernel '$want' is not installed (have: $(kcall_kernels | tr '\n' ' '))"
	echo "$k"
}
