#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Install kcall the way users do: the module through DKMS for every
# installed kernel, plus the modules-load.d file. The node's mode comes from
# the module's mode parameter alone (options kcall mode=0600 in
# /etc/modprobe.d); no udev rule or static node is installed. Run as root:
#   scripts/install.sh [--no-config] [KERNEL...]   (default: every kernel with headers)
#   scripts/install.sh --config-only
#   scripts/install.sh --uninstall
# --no-config installs only the module (what the test suite uses on the
# host); --config-only only the files under /etc (what the in-VM install
# tests apply to the guest's /etc overlay, so they test these very files).
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
	*) kernels+=("$(kcall_resolve_kernel "$a")") ;;
	esac
done

config_files=(
	"$top/packaging/kcall-modules-load.conf:/etc/modules-load.d/kcall.conf"
)
# Files of earlier versions: a udev rule (its MODE overrode the module's
# mode parameter) and a static node (for a minor that could be another
# driver's). Removed on install and uninstall.
stale_files=(/etc/tmpfiles.d/kcall.conf /etc/udev/rules.d/99-kcall.rules)

install_config() {
	rm -f "${stale_files[@]}"
	for f in "${config_files[@]}"; do
		install -D -m 0644 "${f%%:*}" "${f#*:}"
	done
}

if [ "$config_only" -eq 1 ]; then
	install_config
	echo "install: kcall $version configuration installed"
	exit 0
fi

[ ${#kernels[@]} -gt 0 ] || mapfile -t kernels < <(kcall_kernels)
command -v dkms >/dev/null || die "dkms is missing (run scripts/setup.sh)"

if [ "$uninstall" -eq 1 ]; then
	if [ -n "$(dkms status -m "$name" -v "$version" 2>/dev/null)" ]; then
		dkms remove -m "$name" -v "$version" --all
	fi
	rm -rf "$src"
	for f in "${config_files[@]}"; do
		rm -f "${f#*:}"
	done
	rm -f "${stale_files[@]}"
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
for k in "${kernels[@]}"; do
	dkms build -m "$name" -v "$version" -k "$k" --force
	dkms install -m "$name" -v "$version" -k "$k" --force
done
if [ "$config" -eq 1 ]; then
	install_config
else
	rm -f "${stale_files[@]}"
fi
dkms status -m "$name" -v "$version"
