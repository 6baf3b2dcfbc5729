#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Guest half of demo.sh: call each operation through the kcall CLI over both
# transports and (when tools/kernel/kernel-tools.sh has extracted it) the kernel's
# YNL client, then show kcall's log lines.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
kcall=$top/build/cmake/client/kcall
status=0

# The command as one would type it: a word with a space in quotes.
shown() {
	local a out=
	for a in "$@"; do
		[[ $a == *' '* ]] && a="'$a'"
		out+=" $a"
	done
	printf '%s' "${out# }"
}

call() {
	printf '$ kcall %s\n' "$(shown "$@")"
	"$kcall" "$@" || status=1
}

# Expected to fail: (unsigned)-1 > 1024 and 1025 > 1024, retpid 2 unknown.
fails() {
	printf '$ kcall %s   (expected to fail)\n' "$(shown "$@")"
	if "$kcall" "$@"; then
		echo "unexpected success"
		status=1
	fi
}

echo "== kcall on $(uname -r): /dev/kcall $(stat -c '%A' /dev/kcall)"
call --version
call version

# Live events of everything below, printed at the end. The events group
# needs CAP_SYS_ADMIN: the demo runs as root.
"$kcall" monitor --json >/tmp/kcall-monitor.jsonl &
monitor=$!
# Every call is also a tracepoint; trace them in a tracing instance.
mountpoint -q /sys/kernel/tracing || mount -t tracefs tracefs /sys/kernel/tracing
inst=/sys/kernel/tracing/instances/kcall-demo
mkdir -p "$inst" && echo 1 >"$inst/events/kcall/enable"
sleep 1
for t in ioctl netlink; do
	echo "== the kcall CLI over $t"
	call -t "$t" goodbye
	call -t "$t" showparams 42
	call -t "$t" retparam 1024
	fails -t "$t" retparam 1025
	fails -t "$t" retparam -1
	call -t "$t" retpid self
	call -t "$t" retpid parent
	fails -t "$t" retpid 2
	call -t "$t" taskcount
	call -t "$t" --json taskcount
	call -t "$t" message "hello from the $t demo"
	fails -t "$t" message "$(printf '%0300d' 0)"
done
call stats
echo '$ setpriv --reuid=nobody kcall stats-reset   (expected to fail)'
if setpriv --reuid=65534 --regid=65534 --clear-groups "$kcall" stats-reset; then
	echo "unexpected success"
	status=1
fi
call stats-reset
call --json stats
echo "== sysfs: /sys/class/misc/kcall/stats/retparam_{calls,failures}"
cat /sys/class/misc/kcall/stats/retparam_calls /sys/class/misc/kcall/stats/retparam_failures
echo "== trace (events/kcall), first lines"
echo 0 >"$inst/events/kcall/enable"
grep 'kcall_' "$inst/trace" | head -n 8
rmdir "$inst"
kill "$monitor"
wait "$monitor" 2>/dev/null
echo "== kcall monitor --json (the calls above, live), first lines"
head -n 8 /tmp/kcall-monitor.jsonl

tools=$top/build/kernel-tools
echo "== generic netlink: genl ctrl get name kcall"
genl ctrl get name kcall || status=1
ynl() {
	/usr/bin/python3 "$tools/tools/net/ynl/pyynl/cli.py" --spec "$top/uapi/kcall.yaml" \
		--schema "$tools/Documentation/netlink/genetlink-legacy.yaml" "$@"
}
if [ -e "$tools/tools/net/ynl/pyynl/cli.py" ]; then
	echo "== generic netlink through the kernel's YNL client and uapi/kcall.yaml"
	echo '$ cli.py --multi goodbye {} --multi showparams {"value": 43} --multi retparam {"value": 7} --multi retpid {"which": 0} --multi taskcount {}'
	ynl --output-json --multi goodbye '{}' --multi showparams '{"value": 43}' \
		--multi retparam '{"value": 7}' --multi retpid '{"which": 0}' \
		--multi taskcount '{}' || status=1
	echo '$ cli.py --do retparam --json {"value": 1025}   (expected to fail)'
	if ynl --do retparam --json '{"value": 1025}'; then
		echo "unexpected success"
		status=1
	fi
else
	echo "== the kernel's YNL client: not shown (it comes with the kernel source that scripts/setup.sh --test fetches)"
fi
echo "== kernel log"
dmesg | grep 'kcall:'
exit "$status"
