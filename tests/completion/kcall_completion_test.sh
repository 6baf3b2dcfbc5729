#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The bash completion of kcall(1), as bash runs it: completes partial
# command lines in a bash session with bash-completion loaded and checks
# the candidates.
#   tests/completion/kcall_completion_test.sh [COMPLETION_FILE]
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
file=${1:-$top/client/completion/kcall}
[ -r /usr/share/bash-completion/bash_completion ] || {
	echo "completion: NOT RUN: bash-completion is not installed"
	exit 1
}
# shellcheck disable=SC1091
. /usr/share/bash-completion/bash_completion
# shellcheck disable=SC1090
. "$file"

pass=0 fail=0
# check "LINE" "EXPECTED CANDIDATES": completes LINE (the cursor at its end)
check() {
	local line=$1 want=$2 got
	read -r -a COMP_WORDS <<<"$line"
	[[ $line == *" " ]] && COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_LINE=$line
	COMP_POINT=${#line}
	COMPREPLY=()
	_kcall kcall "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]:-}"
	got=$(printf '%s\n' "${COMPREPLY[@]}" | sort | xargs)
	if [ "$got" = "$want" ]; then
		pass=$((pass + 1))
	else
		echo "completion: FAIL \"$line\": got \"$got\", want \"$want\""
		fail=$((fail + 1))
	fi
}

check "kcall ret" "retparam retpid"
check "kcall st" "stats stats-reset"
check "kcall " "batch goodbye message monitor retparam retpid showparams stats stats-reset taskcount version"
check "kcall -t " "auto ioctl netlink"
check "kcall --transport n" "netlink"
check "kcall -t netlink ret" "retparam retpid"
check "kcall retpid " "--help -h parent self"
check "kcall retpid s" "self"
check "kcall -t ioctl retpid p" "parent"
check "kcall batch --k" "--keep-going"
check "kcall monitor --c" "--count"
check "kcall --js" "--json"
echo "completion: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
