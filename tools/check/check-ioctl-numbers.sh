#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# kcall's ioctl numbers against the kernel's registry,
# Documentation/userspace-api/ioctl/ioctl-number.rst of the newest kernel
# source the project uses (linux-source-7.x, by tools/kernel/kernel-tools.sh):
#   tools/check/check-ioctl-numbers.sh [FILE]
# Fails when any entry for kcall's type (0xCA), dead ones included, lists a
# number kcall's commands use (uapi/kcall.h: KCALL_IOC_NR_BASE and the
# enum after it). ABI 2's deprecated range is reported, not judged: it is
# the one being left.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/scripts/lib.sh"

rel=Documentation/userspace-api/ioctl/ioctl-number.rst
file=${1:-}
if [ -z "$file" ]; then
	tools=$("$top/tools/kernel/kernel-tools.sh")
	file=$tools/$rel
fi
echo "check-ioctl-numbers: ${file}"
python3 "$top/tools/check/check-ioctl-numbers.py" "$file" "$top/uapi/kcall.h"
