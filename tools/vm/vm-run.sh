#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Boot a kernel in virtme-ng, load a freshly built kcall.ko, run one
# command in the guest and return its exit status.
#
#   tools/vm/vm-run.sh [-k KERNEL] [-t SECONDS] [-o DIR] [-i] [-n] [--] COMMAND [ARGS...]
#
# KERNEL is a guest kernel of the project's cache (tools/kernel/guest-kernel.sh;
# a version or a prefix such as 6.1); default: the newest. The machine's
# own kernels in /boot are never used. virtme-ng finds the kernel's modules
# beside its image and links them as the guest's /lib/modules/<ver>, which
# a guest-only overlay makes writable (DKMS and depmod in the guest write
# there; the cache stays as it was). "debug" is the cached debug kernel
# (tools/kernel/build-debug-kernel.sh: KASAN, lockdep, kmemleak, UBSAN...).
# The host's files are the guest's root (9p), so COMMAND runs from this
# work tree. KVM is used only when a short probe boots with it; otherwise
# the guest runs under TCG. SECONDS (or $KCALL_VM_TIMEOUT) bounds the whole
# boot: default 900 (a Debian kernel's whole suite takes about 6 min under
# TCG), 1800 on the debug kernel; a hung guest fails after that.
#
# The guest streams its kernel log to build/vm/<ver>/dmesg and the kernel
# console goes to build/vm/<ver>/console; a watcher reads both while they
# grow and stops the guest a few seconds after the first kernel report
# (kcall_splat_pattern in lib.sh; $KCALL_VM_STOP_DELAY seconds, default 5),
# so a report can neither scroll out of the ring nor wait for the end. The debug kernel also boots with
# panic_on_warn=1 and kasan.fault=panic (KCALL_PANIC_ON_WARN=0 turns both
# off): its first WARN or KASAN report stops it at once, and the console
# keeps what the panic printed.
#
# -i counts instructions: QEMU's -icount shift=0 makes one guest nanosecond
# one executed instruction, so clock_gettime() differences in the guest are
# instruction counts, the same on every run and under any host load. It
# needs one vCPU (with two, 6.1 hangs in early boot under -icount).
#
# -n loads no module: COMMAND starts with kcall unloaded and may install
# it itself (the Debian packages' test); nothing is unloaded at the end.
#
# KCALL_VM_CPUS: the guest's vCPUs (default 2): 1 leaves a core to the
# host, for a long fuzz run beside other work.
#
# DIR (default build/vm/<ver>) receives the guest's rc, kernel log, console
# and whatever COMMAND writes there.
#
# Fails (non-zero) when the module does not load or unload, when COMMAND
# fails, when the guest does not finish, or when the kernel log or console
# shows a report; the report is quoted.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/scripts/lib.sh"

kernel=
out=
vm_timeout=${KCALL_VM_TIMEOUT:-}
# Every kernel: warnings and worse on the console (vng --verbose would
# print every level to it), and a ring large enough for a whole run
# (KCALL_VM_LOG_BUF_LEN= empty keeps the kernel's default ring).
kopts=(loglevel=5)
log_buf_len=${KCALL_VM_LOG_BUF_LEN-16M}
[ -z "$log_buf_len" ] || kopts+=("log_buf_len=$log_buf_len")
# Enabling a trace event (the tests, the fuzzer and the demo trace kcall's)
# would otherwise also hook sched_switch and sched_wakeup to record comms:
# their static keys are rewritten with int3 while the other vCPU runs the
# scheduler, and QEMU's TCG can execute the stale int3 after the patch is
# done ("Oops: int3" in ttwu_do_activate on 6.12). Trace lines then name a
# task "<...>-pid"; kcall's own event carries the pid anyway.
kopts+=(trace_options=norecord-cmd)
default_timeout=900
# Seconds a guest may take to reach vm-guest.sh ($KCALL_VM_BOOT_LIMIT).
boot_limit=240
cpus=${KCALL_VM_CPUS:-2}
icount=0
load=1
qemu_opts=${KCALL_VM_QEMU_OPTS:-}
while [ $# -gt 0 ]; do
	case $1 in
	-k) kernel=$2; shift 2 ;;
	-t) vm_timeout=$2; shift 2 ;;
	-o) out=$2; shift 2 ;;
	-i) icount=1; cpus=1; qemu_opts="$qemu_opts -icount shift=0"; shift ;;
	-n) load=0; shift ;;
	--) shift; break ;;
	-*) die "unknown option $1" ;;
	*) break ;;
	esac
done
[ $# -gt 0 ] || die "usage: vm-run.sh [-k KERNEL] [-t SECONDS] [-o DIR] [-i] [-n] [--] COMMAND [ARGS...]"

command -v vng >/dev/null || die "virtme-ng is missing (run scripts/setup.sh)"
overlays=(--overlay-rwdir=/tmp)
if [ "$kernel" = debug ]; then
	dbg=$(kcall_debug_kernel_dir) ||
		die "no debug kernel built yet (tools/kernel/build-debug-kernel.sh)"
	kver=$(cat "$dbg/release")
	image=$dbg/build/arch/x86/boot/bzImage
	export KCALL_KDIR=$dbg/build
	# KASAN and lockdep under TCG: everything is several times slower.
	default_timeout=1800
	boot_limit=600
	if [ "${KCALL_PANIC_ON_WARN:-1}" = 1 ]; then
		kopts+=(panic_on_warn=1 kasan.fault=panic oops=panic)
	fi
else
	if [ -n "$kernel" ]; then
		kver=$(kcall_resolve_kernel "$kernel")
	else
		kver=$(kcall_default_kernel)
	fi
	image=$(kcall_kernel_image "$kver")
	overlays+=("--overlay-rwdir=$(kcall_kernel_dir "$kver")")
fi
vm_timeout=${vm_timeout:-$default_timeout}
boot_limit=${KCALL_VM_BOOT_LIMIT:-$boot_limit}

mkdir -p "$top/build"
build_log=$top/build/kmod-$kver.log
ko=-
if [ "$load" -eq 1 ] && ! ko=$("$top/tools/kernel/build-module.sh" "$kver" 2>"$build_log" | tail -n 1); then
	cat "$build_log" >&2
	die "module build for $kver failed"
fi

# Results come back through a host folder the guest may write.
out=$(realpath -m "${out:-$top/build/vm/$kver}")
rm -rf "$out"
mkdir -p "$out"
printf '%q ' "$@" >"$out/cmd"

# -icount is a TCG feature: -i never uses KVM.
accel=(--disable-kvm)
if [ "$icount" -eq 0 ] && [ "$("$top/tools/vm/kvm-probe.sh" "$image")" = kvm ]; then
	accel=()
fi

echo "vm-run: kernel $kver (${accel[*]:-kvm}), command: $*" >&2
pattern=$(kcall_splat_pattern)
stop_delay=${KCALL_VM_STOP_DELAY:-5}
append=()
for o in "${kopts[@]}"; do
	append+=(--append "$o")
done
# KCALL_VM_QEMU_OPTS: extra QEMU options (-i adds -icount).
[ -z "${qemu_opts# }" ] || append+=(--qemu-opts "${qemu_opts# }")

# boot: runs the guest to its end, or until the watcher stops it. The
# guest's stdout comes here; the kernel console (vng --verbose puts it on
# stderr) goes to $out/console. Both go through pipes (process
# substitution) because QEMU reopens its stdout and stderr by path and
# would truncate a regular file. Exit status: vng's.
# virtme-ng 1.35 accepts --rwdir only when some --overlay-rwdir is given.
boot() {
	local vng_pid watcher starter rc
	rm -f "$out/dmesg" "$out/console" "$out/splat"
	: >"$out/dmesg"
	timeout --kill-after=10 "$vm_timeout" \
		vng --run "$image" --force-9p "${accel[@]}" --verbose "${append[@]}" \
		--cpus "$cpus" --memory 2G --cwd "$top" \
		"${overlays[@]}" --rwdir="$out=$out" \
		--exec "KCALL_CACHE=$(printf %q "$(kcall_cache)") bash $top/tools/vm/vm-guest.sh $ko $out" \
		</dev/null > >(cat) 2> >(cat >"$out/console") &
	vng_pid=$!
	# The watcher: the first report in the stream or on the console is
	# kept in $out/splat and stops the guest $stop_delay s later (the rest of the
	# report is printed meanwhile). grep's status decides, not tail's: tail
	# dies of SIGPIPE once grep has its match, which under pipefail would
	# read as "no report" and leave a reporting guest running.
	(
		set +o pipefail
		tail -q -n +1 -F --pid="$vng_pid" "$out/dmesg" "$out/console" 2>/dev/null |
			grep -m1 -E "$pattern" >"$out/splat.tmp" || exit 0
		mv "$out/splat.tmp" "$out/splat"
		echo "vm-run: kernel report, stopping the guest in ${stop_delay} s: $(cat "$out/splat")" >&2
		sleep "$stop_delay"
		kill "$vng_pid" 2>/dev/null
	) &
	watcher=$!
	# A boot that hangs before vm-guest.sh starts (seen under TCG, early
	# in the kernel's own boot) is stopped after $boot_limit s instead of
	# at the run's timeout; it is then booted once more (below).
	(
		for _ in $(seq "$boot_limit"); do
			sleep 1
			[ ! -e "$out/started" ] || exit 0
			kill -0 "$vng_pid" 2>/dev/null || exit 0
		done
		echo "vm-run: the guest has not started after ${boot_limit}s: stopping it" >&2
		kill "$vng_pid" 2>/dev/null
	) &
	starter=$!
	wait "$vng_pid"
	rc=$?
	kill "$watcher" "$starter" 2>/dev/null
	wait "$watcher" "$starter" 2>/dev/null
	rm -f "$out/splat.tmp"
	return "$rc"
}
set +e
boot
vng_rc=$?
# A guest that never reached vm-guest.sh failed to boot (seen rarely under
# TCG): that is the VM, not kcall, so boot once more, unless the kernel
# reported a bug on the way. A guest that started and did not finish is a
# failure and is never retried. A boot stuck before it starts is stopped
# after $boot_limit s (240, 600 on the debug kernel), not at the timeout.
if [ ! -e "$out/started" ] && [ ! -s "$out/splat" ]; then
	mv "$out/console" "$out/console.1" 2>/dev/null
	echo "vm-run: the guest did not boot (vng exit $vng_rc); booting again," \
		"first console in $out/console.1" >&2
	boot
	vng_rc=$?
fi
if [ ! -e "$out/started" ]; then
	echo "vm-run: the guest did not boot; the end of its console:" >&2
	tail -n 40 "$out/console" >&2
fi
set -e

# Every verdict is reported, not only the first: a failing command can
# also have leaked or splatted. Exit status: the command's if it failed,
# else 1 for any other problem.
log_rc=0
"$top/tools/vm/check-kernel-log.sh" "$out/dmesg" "$out/console" || log_rc=$?
if [ -s "$out/splat" ]; then
	echo "vm-run: FAIL: the guest was stopped at its first kernel report: $(cat "$out/splat")" >&2
	log_rc=1
fi
if [ ! -s "$out/rc" ]; then
	[ "$vng_rc" -ne 124 ] || echo "vm-run: FAIL: timed out after ${vm_timeout}s" >&2
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
