#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The main job: install what is missing, build the module and tools, boot a
# Debian kernel in virtme-ng, load the module, call every operation and show
# the kernel's log lines, over /dev/kcall and over generic netlink.
#   scripts/demo.sh [KERNEL]        (default: the newest installed)
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/setup.sh"
"$top/scripts/kernel-tools.sh" >/dev/null
"$top/scripts/build.sh" >/dev/null
args=()
[ $# -eq 0 ] || args=(-k "$1")
exec "$top/scripts/vm-run.sh" "${args[@]}" -- bash "$top/scripts/demo-guest.sh"
