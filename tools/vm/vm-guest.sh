#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Runs inside the virtme-ng guest (started by vm-run.sh):
#   vm-guest.sh KO OUTDIR
# streams the kernel log to OUTDIR/dmesg from the first record on, for as
# long as the guest runs (the host reads it while it grows), loads KO, runs
# the command saved in OUTDIR/cmd, unloads the module and leaves the exit
# status in OUTDIR/rc. KO "-": no module is loaded or unloaded.
set -u

ko=$1
out=$2
# stderr would land in the host's console file, read for kernel reports:
# the command's messages go to stdout instead, so they reach the terminal.
exec 2>&1

# From the oldest record of the ring on, and following it: nothing printed
# before or during the command is lost to a wrapped ring (dmesg skips what
# it missed when it falls behind, and says so, instead of stopping).
dmesg --follow >"$out/dmesg" &
follower=$!

# Tells the host that the guest booted and reached us.
echo started >"$out/started"

finish() {
	# Let the reader catch up with the last records before stopping it.
	sleep 1
	kill "$follower" 2>/dev/null
	wait "$follower" 2>/dev/null
	echo "$1" >"$out/rc"
	exit 0
}

# Debug kernels: forget what kmemleak found before us.
kmemleak=/sys/kernel/debug/kmemleak
mountpoint -q /sys/kernel/debug || mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
[ -w "$kmemleak" ] && echo clear >"$kmemleak"

if [ "$ko" != - ]; then
	if ! insmod "$ko"; then
		echo "vm-guest: insmod $ko failed"
		finish 125
	fi
	for _ in $(seq 50); do
		[ -c /dev/kcall ] && break
		sleep 0.1
	done
	if [ ! -c /dev/kcall ]; then
		echo "vm-guest: /dev/kcall did not appear"
		finish 125
	fi
fi

# Tests that unload and reload the module need to know which one.
KCALL_KO=$ko bash -c "$(cat "$out/cmd")"
rc=$?

if [ "$ko" != - ] && ! rmmod kcall; then
	echo "vm-guest: rmmod kcall failed"
	[ "$rc" -ne 0 ] || rc=126
fi
# Objects must be unreferenced through two scans, some time apart, before
# kmemleak reports them.
if [ -w "$kmemleak" ]; then
	echo scan >"$kmemleak"
	sleep 5
	echo scan >"$kmemleak"
	cat "$kmemleak" >"$out/kmemleak"
fi
finish "$rc"
