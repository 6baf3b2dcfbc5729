#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Install kcall the way users do: the module through DKMS for every
# installed kernel, plus the modules-load.d file. The node's mode comes from
# the module's mode parameter alone (options kcall mode=0600 in
# /etc/modprobe.d); no udev rule or static node is installed. Run as root:
#   scripts/install.sh [--no-config] [KERNEL...]   (default: this machine's kernels with headers)
#   scripts/install.sh --config-only
#   scripts/install.sh --uninstall
# --no-config installs only the module (what the test suite uses on the
# host); --config-only only the files under /etc (what the in-VM install
# tests apply to the guest's /etc overlay, so they test these very files).
# A KERNEL that is a guest kernel of the project's cache (scripts/lib.sh,
# kcall_kernels; scripts/test.sh's DKMS stage) gets kcall in that kernel's
# own module tree there (dkms --installtree), which its guests see as
# /lib/modules/<ver>: the machine's /lib/modules is not touched for it.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"

name=kcall
version=$(kcall_dkms_version)
src=/usr/src/$name-$version
config=1
config_only=0
uninstall=0
kernels=()
for a in "$@"; do
	case $a in
	--no-config) config=0 ;;
	--config-only) config_only=1 ;;
	--uninstall) uninstall=1 ;;
	-*) die "unknown option $a" ;;
	*)
		if [ -d "/lib/modules/$a/build" ]; then
			kernels+=("$a")
		else
			kernels+=("$(kcall_resolve_kernel "$a")")
		fi
		;;
	esac
done

# Loads kcall at boot. debian/kcall-dkms.preinst knows these bytes (their
# md5sum): the package takes the file over only while it is unchanged.
modules_load=/etc/modules-load.d/kcall.conf
modules_load_text='# Load kcall at boot (installed as /etc/modules-load.d/kcall.conf).
kcall'
# Files of earlier versions: a udev rule (its MODE overrode the module's
# mode parameter) and a static node (for a minor that could be another
# driver's). Removed on install and uninstall.
stale_files=(/etc/tmpfiles.d/kcall.conf /etc/udev/rules.d/99-kcall.rules)

install_config() {
	rm -f "${stale_files[@]}"
	install -D -m 0644 /dev/stdin "$modules_load" <<<"$modules_load_text"
}

if [ "$config_only" -eq 1 ]; then
	install_config
	echo "install: kcall $version configuration installed"
	exit 0
fi

[ ${#kernels[@]} -gt 0 ] || mapfile -t kernels < <(kcall_host_kernels)
command -v dkms >/dev/null || die "dkms is missing: apt-get install dkms"

# dkms_tree K: a guest kernel's module tree in the cache, or nothing for
# one of this machine's kernels.
dkms_tree() {
	[ -e "$(kcall_kernel_dir "$1")/complete" ] || return 0
	echo "$(kcall_kernel_dir "$1")/lib/modules"
}
# drop_cached: kcall out of every cached guest kernel (DKMS removes it
# only from the trees it is told of).
drop_cached() {
	local k d
	while read -r k; do
		d=$(kcall_kernel_dir "$k")
		compgen -G "$d/lib/modules/$k/updates/dkms/$name.ko*" >/dev/null || continue
		rm -f "$d/lib/modules/$k/updates/dkms/$name.ko"*
		depmod -b "$d" "$k"
	done < <(kcall_kernels)
}

if [ "$uninstall" -eq 1 ]; then
	if [ -n "$(dkms status -m "$name" -v "$version" 2>/dev/null)" ]; then
		dkms remove -m "$name" -v "$version" --all
	fi
	rm -rf "$src"
	rm -f "$modules_load"
	rm -f "${stale_files[@]}"
	drop_cached
	echo "install: kcall $version removed"
	exit 0
fi

# An upgrade replaces every other version: DKMS would keep both and let
# them fight over kcall.ko.
dkms status -m "$name" 2>/dev/null | sed -n "s|^$name/\([^,:]*\)[,:].*|\1|p" | sort -u |
	while read -r old; do
		[ "$old" = "$version" ] && continue
		echo "install: replacing kcall $old"
		dkms remove -m "$name" -v "$old" --all
		rm -rf "/usr/src/$name-$old"
	done

# DKMS builds from /usr/src/<name>-<version>: the Kbuild sources only.
rm -rf "$src"
mkdir -p "$src"
cp -r "$top/Kbuild" "$top/dkms.conf" "$top/module" "$top/uapi" "$src/"
[ -n "$(dkms status -m "$name" -v "$version" 2>/dev/null)" ] || dkms add -m "$name" -v "$version"
drop_cached
for k in "${kernels[@]}"; do
	tree=$(dkms_tree "$k")
	if [ -z "$tree" ]; then
		dkms build -m "$name" -v "$version" -k "$k" --force
		dkms install -m "$name" -v "$version" -k "$k" --force
		continue
	fi
	dkms build -m "$name" -v "$version" -k "$k" --kernelsourcedir "$tree/$k/build" --force
	dkms install -m "$name" -v "$version" -k "$k" --kernelsourcedir "$tree/$k/build" \
		--installtree "$tree" --no-depmod --force
	depmod -b "${tree%/lib/modules}" "$k"
done
if [ "$config" -eq 1 ]; then
	install_config
else
	rm -f "${stale_files[@]}"
fi
dkms status -m "$name" -v "$version"
