#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Prints "kvm" when a virtme-ng guest boots with KVM on this machine, else
# "tcg". Nested KVM can abort or hang at boot, so only a guest that really
# reaches user space within a short timeout counts. The answer is cached in
# build/ (KCALL_KVM=0|1 overrides it).
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
image=$1  # a kernel image
cache=$top/build/kvm-probe

case ${KCALL_KVM:-} in
1) echo kvm; exit 0 ;;
0) echo tcg; exit 0 ;;
esac
if [ -s "$cache" ]; then
	cat "$cache"
	exit 0
fi

result=tcg
if [ -w /dev/kvm ]; then
	marker=kcall-kvm-probe-ok
	if timeout --kill-after=5 45 vng --run "$image" --force-9p \
		--exec "echo $marker" </dev/null 2>/dev/null | grep -q "$marker"; then
		result=kvm
	fi
fi
mkdir -p "$(dirname "$cache")"
echo "$result" >"$cache"
echo "$result"
