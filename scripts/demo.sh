#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The main job: install what is missing (scripts/setup.sh: the demo's needs
# only, a guest kernel in the project's cache, nothing in /boot), build the
# module and the CLI, boot a Debian kernel in virtme-ng, load the module,
# call every operation and show the kernel's log lines, over /dev/kcall
# and over generic netlink.
#   scripts/demo.sh [KERNEL]        (default: the newest cached)
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"
"$top/scripts/setup.sh"
# The kernel's YNL client comes with the debug kernel's source, which only
# the tests fetch: shown when it is there.
[ ! -e "$(kcall_debug_source)" ] || "$top/tools/kernel/kernel-tools.sh" >/dev/null
"$top/scripts/build.sh" --demo >/dev/null
args=()
[ $# -eq 0 ] || args=(-k "$1")
exec "$top/tools/vm/vm-run.sh" "${args[@]}" -- bash "$top/scripts/demo-guest.sh"
