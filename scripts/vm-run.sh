#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Boot a Debian kernel in virtme-ng, load a freshly built kcall.ko, run one
# command in the guest and return its exit status.
#
#   scripts/vm-run.sh [-k KERNEL] [-t SECONDS] [--] COMMAND [ARGS...]
#
# KERNEL is a version from /boot (or a prefix such as 6.1); default: the
# newest one with headers. "debug" is the cached debug kernel
# (scripts/build-debug-kernel.sh): KASAN, lockdep, kmemleak, UBSAN...
# The host's files are the guest's root (9p), so COMMAND runs from this
# work tree. KVM is used only when a short probe boots with it; otherwise
# the guest runs under TCG. SECONDS (or $KCALL_VM_TIMEOUT) bounds the whole
# boot: default 900, 5400 on the debug kernel.
#
# Fails (non-zero) when the module does not load or unload, when COMMAND
# fails, or when the guest's kernel log shows a warning, BUG, Oops, general
# protection fault, lockdep, KASAN, UBSAN or kmemleak report.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"

kernel=
vm_timeout=${KCALL_VM_TIMEOUT:-}
default_timeout=900
while [ $# -gt 0 ]; do
	case $1 in
	-k) kernel=$2; shift 2 ;;
	-t) vm_timeout=$2; shift 2 ;;
	--) shift; break ;;
	-*) die "unknown option $1" ;;
	*) break ;;
	esac
done
[ $# -gt 0 ] || die "usage: vm-run.sh [-k KERNEL] [-t SECONDS] [--] COMMAND [ARGS...]"

command -v vng >/dev/null || die "virtme-ng is missing (run scripts/setup.sh)"
if [ "$kernel" = debug ]; then
	dbg=$(kcall_debug_kernel_dir) ||
		die "no debug kernel built yet (scripts/build-debug-kernel.sh)"
	kver=$(cat "$dbg/release")
	image=$dbg/build/arch/x86/boot/bzImage
	export KCALL_KDIR=$dbg/build
	# KASAN and lockdep under TCG: everything is several times slower.
	default_timeout=5400
elif [ -n "$kernel" ]; then
	kver=$(kcall_resolve_kernel "$kernel")
	image=/boot/vmlinuz-$kver
else
	kver=$(kcall_default_kernel)
	image=/boot/vmlinuz-$kver
fi
vm_timeout=${vm_timeout:-$default_timeout}

mkdir -p "$top/build"
build_log=$top/build/kmod-$kver.log
if ! ko=$("$top/scripts/build-module.sh" "$kver" 2>"$build_log" | tail -n 1); then
	cat "$build_log" >&2
	die "module build for $kver failed"
fi

# Results come back through a host folder the guest may write.
out=$top/build/vm/$kver
rm -rf "$out"
mkdir -p "$out"
printf '%q ' "$@" >"$out/cmd"

accel=(--disable-kvm)
if [ "$("$top/scripts/kvm-probe.sh" "$image")" = kvm ]; then
	accel=()
fi

echo "vm-run: kernel $kver (${accel[*]:-kvm}), command: $*" >&2
# virtme-ng 1.35 accepts --rwdir only when some --overlay-rwdir is given.
vng_run() {
	timeout --kill-after=10 "$vm_timeout" \
		vng --run "$image" --force-9p "${accel[@]}" \
		--cpus 2 --memory 2G --cwd "$top" \
		--overlay-rwdir=/tmp --rwdir="$out=$out" \
		--exec "bash $top/scripts/vm-guest.sh $ko $out" "$@" </dev/null
}
# boot [CONSOLE_FILE]: the guest's output goes through pipes because QEMU
# reopens its stdout and stderr by path and would truncate a regular file
# that our caller redirected them to. With a file, vng --verbose puts the
# kernel console (and the command's stderr) on its stderr, kept there.
# Exit status: vng's (pipefail).
boot() {
	if [ $# -gt 0 ]; then
		{ vng_run --verbose 2>&1 >&3 3>&- | cat >"$1"; } 3>&1 | cat
	else
		vng_run 2>&1 | cat
	fi
}
set +e
boot
vng_rc=$?
# A guest that never reached vm-guest.sh failed to boot (seen rarely under
# TCG): that is the VM, not kcall, so boot once more, this time with the
# kernel console (vng -v sends it to stderr) kept in $out/console. A guest
# that started and did not finish is a failure and is never retried.
if [ ! -e "$out/started" ]; then
	echo "vm-run: the guest did not boot (vng exit $vng_rc); booting again," \
		"console in $out/console" >&2
	boot "$out/console"
	vng_rc=$?
	if [ ! -e "$out/started" ]; then
		echo "vm-run: the guest did not boot again; the end of its console:" >&2
		tail -n 40 "$out/console" >&2
	fi
fi
set -e

# Every verdict is reported, not only the first: a failing command can
# also have leaked or splatted. Exit status: the command's if it failed,
# else 1 for any other problem.
log_rc=0
"$top/scripts/check-kernel-log.sh" "$out/dmesg" || log_rc=$?
if [ ! -s "$out/rc" ]; then
	[ "$vng_rc" -ne 124 ] || echo "vm-run: timed out after ${vm_timeout}s" >&2
	echo "vm-run: FAIL: the guest did not finish (vng exit $vng_rc)" >&2
	exit 1
fi
status=0
rc=$(cat "$out/rc")
if [ "$rc" -ne 0 ]; then
	echo "vm-run: FAIL: guest command exited $rc on $kver" >&2
	status=$rc
fi
[ "$log_rc" -eq 0 ] || [ "$status" -ne 0 ] || status=$log_rc
# Debug kernels: kmemleak scanned after the command and the unload.
if [ -s "$out/kmemleak" ]; then
	echo "vm-run: FAIL: kmemleak reports $(grep -c '^unreferenced object' "$out/kmemleak") leaks:" >&2
	head -n 40 "$out/kmemleak" >&2
	[ "$status" -ne 0 ] || status=1
elif [ -e "$out/kmemleak" ]; then
	echo "vm-run: kmemleak: no leaks" >&2
fi
[ "$status" -ne 0 ] || echo "vm-run: OK on $kver" >&2
exit "$status"
