#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The Debian packages installed as users install them, in a virtme-ng guest
# booted without kcall (tests/debian/test-debian-vm.sh runs it, as root):
#   apt-guest.sh NEW PREV OLD ROUNDS
# NEW: this commit's .debs; PREV: the previous commit's, OLD: the 0.2.0
# source tree ("-" when there is none: that round prints NOT RUN, a
# failure). ROUNDS: which of these to run, e.g. "fresh,source"; each goes
# from a machine without kcall to this commit's packages installed, and
# back:
#   fresh    apt install on a machine that never had kcall.
#   source   scripts/install.sh of 0.2.0, then apt install: the package
#            takes it over.
#   package  the previous commit's packages, then this one's over them.
# Then, in each (installed_works): DKMS built for the running kernel and
# signed with its MOK key; nothing loads kcall at boot; first use loads it
# as nobody over either transport; modprobe; the CLI as nobody on both
# transports; programs built against libkcall-dev (pkg-config, CMake) run;
# and (end_round) apt purge unloads nothing and leaves no file behind.
# Prints "apt: PASS|FAIL|NOT RUN ..." lines and "apt: N passed, N failed".
set -uo pipefail

new=$1 prev=$2 old=$3 rounds=,$4,
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/scripts/lib.sh"
kver=$(uname -r)
work=/tmp/kcall-apt
lower=/run/kcall-lower
passed=0 failed=0
export DEBIAN_FRONTEND=noninteractive

check() { kcall_check apt "$work/logs" "$@"; }
not_run() {
	echo "apt: NOT RUN $1"
	failed=$((failed + 1))
}
as_nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"; }
loaded() { grep -q '^kcall ' /proc/modules; }
not_loaded() { ! loaded; }
unload() { ! loaded || rmmod kcall; }

# --- the machine: this kernel, no kcall -------------------------------------

mkdir -p "$work/logs"

# The host's kcall (the test run's own DKMS install) is not this machine's.
# (modules.dep still names its kcall.ko until the first DKMS install runs
# depmod, a minute under TCG.)
rm -rf /var/lib/dkms/kcall /usr/src/kcall-* /etc/modules-load.d/kcall.conf \
	/lib/modules/*/updates/dkms/kcall.ko*
# man-db's trigger re-indexes the manual pages after every apt run: five
# minutes under TCG. Debian's switch for it (debconf man-db/auto-update).
rm -f /var/lib/man-db/auto-update
# DKMS builds for the running kernel and for the newest one in /boot: this
# machine has one kernel, the guest's own from the project's cache (the
# host's in /boot would double every build, each minutes under TCG).
mkdir -p "$work/boot"
kboot=$(kcall_kernel_dir "$kver")/boot
cp "$kboot/config-$kver" "$kboot/System.map-$kver" "$kboot/vmlinuz-$kver" "$work/boot/"
mount --bind "$work/boot" /boot
# The overlays' lower layer for leftovers.py: the root file system (the
# host's, over 9p) without the overlays mounted on it, as a non-recursive
# bind mount shows it (9p takes one mount per tag).
mkdir -p "$lower"
mount --bind / "$lower" ||
	echo "apt: cannot bind-mount the root: leftovers cannot be told apart"

snapshot() { # snapshot FILE: every entry of the overlays' upper directories
	# Each upper directory once, under the overlay's own mount point (the
	# first; /boot above is a bind mount of a directory of /tmp's).
	findmnt -rn -t overlay -o TARGET,OPTIONS | while read -r target opts; do
		local upper=${opts#*upperdir=}
		echo "${upper%%,*} $target"
	done | awk '!seen[$1]++' | while read -r upper target; do
		(cd "$upper" && find . -mindepth 1 -printf '%y %p\n') |
			sed "s| \./| ${target%/}/|"
	done >"$1"
}
no_leftovers() { # no_leftovers BEFORE: nothing new since BEFORE
	snapshot "$work/after"
	python3 "$top/tests/debian/leftovers.py" "$1" "$work/after" "$lower"
}

packages() { # packages DIR: the four packages' files in DIR (no -dbgsym)
	local f
	for f in "$1"/kcall-dkms_*_all.deb "$1"/kcall_*.deb "$1"/libkcall[0-9]*.deb \
		"$1"/libkcall-dev_*.deb; do
		[[ $f == *-dbgsym_* ]] || echo "$f"
	done
}
apt_install() { # apt_install DIR: apt install ./the .debs, as a user does
	local debs
	mapfile -t debs < <(packages "$1")
	[ ${#debs[@]} -eq 4 ] || { echo "expected 4 packages in $1: ${debs[*]}"; return 1; }
	apt-get install -y --no-install-recommends "${debs[@]}"
}
purge() {
	# Purged: not even configuration files ("rc") left in dpkg's database.
	apt-get purge -y kcall-dkms kcall libkcall0.3 libkcall-dev &&
		! dpkg-query -W -f '${db:Status-Abbrev} ${Package}\n' 'kcall*' 'libkcall*' \
			2>/dev/null | grep -v '^un '
}

# --- what every round checks --------------------------------------------------

dkms_installed() { # exactly one kcall in DKMS, installed for this kernel
	local status
	status=$(dkms status -m kcall)
	echo "$status"
	[ "$(grep -c . <<<"$status")" -eq 1 ] && grep -q "$kver.*: installed" <<<"$status" &&
		# kcall.ko, or kcall.ko.xz where the kernel's modules are (6.12).
		[[ $(modinfo -n kcall) == /lib/modules/$kver/updates/dkms/kcall.ko* ]]
}
nothing_loads_it_at_boot() {
	! grep -rsl kcall /etc/modules-load.d /usr/lib/modules-load.d /etc/modules
}
# The module carries the DKMS key's signature: its signer is the
# certificate's subject and its key id the certificate's serial number.
signed_by_mok() {
	local signer cn key serial
	signer=$(modinfo -F signer kcall)
	key=$(modinfo -F sig_key kcall | tr -d ':\n' | tr a-f A-F | sed 's/^0*//')
	cn=$(openssl x509 -inform DER -in /var/lib/dkms/mok.pub -noout -subject -nameopt multiline |
		sed -n 's/^ *commonName *= *//p')
	serial=$(openssl x509 -inform DER -in /var/lib/dkms/mok.pub -noout -serial |
		sed 's/^serial=//; s/^0*//')
	echo "signer '$signer' key $key; mok.pub: '$cn' serial $serial"
	[ -n "$signer" ] && [ "$signer" = "$cn" ] && [ "$key" = "$serial" ]
}
first_use_loads_it() { # first_use_loads_it TRANSPORT: as nobody, from unloaded
	unload && ! loaded &&
		[ "$(as_nobody kcall -t "$1" retparam 7)" = 7 ] && loaded
}
# The module loaded is the one DKMS installed last (an upgrade leaves the
# old one loaded until then).
reloads_the_dkms_build() {
	unload && modprobe kcall &&
		[ "$(cat /sys/module/kcall/srcversion)" = "$(modinfo -F srcversion kcall)" ]
}
# shellcheck disable=SC2086 # $pc: pkg-config's words
consumers() { # C and C++ programs built against libkcall-dev, run as nobody
	local b=$work/example pc
	pc=$(pkg-config --cflags --libs kcall) || return 1
	rm -rf "$b" && mkdir -p "$b" && cp -r "$top/examples/." "$b/src" &&
		cc -Wall -Wextra -Werror -o "$b/pc_c" "$b/src/example.c" $pc &&
		c++ -std=c++20 -Wall -Wextra -Werror -o "$b/pc_cpp" "$b/src/example.cpp" $pc &&
		cmake -S "$b/src" -B "$b/cmake" >/dev/null && cmake --build "$b/cmake" >/dev/null &&
		chmod -R a+rX "$b" &&
		as_nobody "$b/pc_c" && as_nobody "$b/pc_cpp" &&
		as_nobody "$b/cmake/example_c" && as_nobody "$b/cmake/example_c_static" &&
		as_nobody "$b/cmake/example_cpp"
}
cli_works() { # the autopkgtest: both transports, root and nobody
	sh "$top/debian/tests/cli"
}
# apt purge: the module stays as loaded as it was.
purge_unloads_nothing() {
	local mods_before
	mods_before=$(cut -d' ' -f1 /proc/modules | sort)
	purge && [ "$(cut -d' ' -f1 /proc/modules | sort)" = "$mods_before" ]
}

# Every round ends with this commit's packages installed, however they
# came: what users get from them is checked the same way in each.
installed_works() { # installed_works ROUND
	check "$1: DKMS built and installed kcall for $kver" dkms_installed
	check "$1: nothing loads kcall at boot" nothing_loads_it_at_boot
	check "$1: the module is signed with DKMS's MOK key" signed_by_mok
	check "$1: first use loads it, as nobody, ioctl" first_use_loads_it ioctl
	check "$1: first use loads it, as nobody, netlink" first_use_loads_it netlink
	check "$1: modprobe kcall loads the DKMS build" reloads_the_dkms_build
	check "$1: the CLI on both transports, as root and as nobody" cli_works
	check "$1: programs built with pkg-config and CMake run, as nobody" consumers
}
end_round() { # end_round ROUND: purge; nothing left since the round began
	check "$1: apt purge unloads nothing, leaves nothing in dpkg's database" \
		purge_unloads_nothing
	check "$1: apt purge leaves no file behind" no_leftovers "$work/clean"
	unload
}

# --- round 1: a fresh install -----------------------------------------------------

fresh() {
	snapshot "$work/clean"
	check "fresh: apt install ./kcall-dkms ./kcall ./libkcall0.3 ./libkcall-dev ($kver)" \
		apt_install "$new"
	check "fresh: nothing loaded kcall" not_loaded
	installed_works fresh
	end_round fresh
}

# --- round 2: from a source install of 0.2.0 --------------------------------------

source_install() {
	"$old/scripts/install.sh" "$kver" >/dev/null && modprobe kcall &&
		[ "$(cat /sys/module/kcall/version)" = 0.2.0 ] &&
		test -f /etc/modules-load.d/kcall.conf
}
took_over() {
	! test -e /usr/src/kcall-0.2.0 && ! test -e /etc/modules-load.d/kcall.conf &&
		! test -e /var/lib/dkms/kcall/0.2.0 &&
		# The 0.2.0 module keeps serving until it is reloaded.
		[ "$(cat /sys/module/kcall/version)" = 0.2.0 ] &&
		[ "$(as_nobody kcall -t netlink retparam 5)" = 5 ]
}
from_source() {
	if [ "$old" = - ]; then
		not_run "source: no 0.2.0 tree to install from"
	else
		snapshot "$work/clean"
		check "source: scripts/install.sh of 0.2.0, loaded" source_install
		check "source: apt install over it" apt_install "$new"
		check "source: 0.2.0's DKMS build, sources and modules-load.d file gone, its module still serves" \
			took_over
		installed_works source
		end_round source
	fi
}

# --- round 3: from the previous commit's packages -------------------------------

upgraded() { # every package at this commit's version
	local want p
	want=$(dpkg-deb -f "$(ls "$new"/kcall_*.deb)" Version)
	for p in kcall-dkms kcall libkcall0.3 libkcall-dev; do
		[ "$(dpkg-query -W -f '${Version}' "$p")" = "$want" ] || return 1
	done
}
from_package() {
	if [ "$prev" = - ]; then
		not_run "package: no packages of the previous commit"
	else
		snapshot "$work/clean"
		check "package: the previous commit's packages install" apt_install "$prev"
		check "package: the previous commit's packages serve the CLI" cli_works
		check "package: this commit's packages upgrade them" apt_install "$new"
		check "package: every package at this commit's version" upgraded
		installed_works package
		end_round package
	fi
}

[[ $rounds != *,fresh,* ]] || fresh
[[ $rounds != *,source,* ]] || from_source
[[ $rounds != *,package,* ]] || from_package

echo "apt: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
