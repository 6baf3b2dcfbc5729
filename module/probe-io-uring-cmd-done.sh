#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Which io_uring_cmd_done() the kernel headers declare (Kbuild's probe):
#   probe-io-uring-cmd-done.sh HEADER...
# prints, for the first HEADER that declares it, the form of its
# parameters: RES2 (cmd, ret, res2: 6.1 before issue_flags reached it),
# RES2_FLAGS (cmd, ret, res2, issue_flags: 6.1 stable to 6.x) or FLAGS
# (cmd, ret, issue_flags: 7.x); nothing when none declares it. Read from
# the declaration itself, not inferred from other symbols.
for header in "$@"; do
	[ -r "$header" ] || continue
	# The first declaration or definition, its parameters on one line.
	params=$(tr '\n\t' '  ' <"$header" |
		grep -o 'void[[:space:]]\{1,\}io_uring_cmd_done[[:space:]]*([^)]*)' |
		head -n 1 | sed 's/.*(\(.*\))/\1/')
	[ -n "$params" ] || continue
	commas=$(printf '%s' "$params" | tr -cd ',' | wc -c)
	last=${params##*,}
	case $commas:$last in
	3:*) echo RES2_FLAGS ;;
	2:*issue_flags*) echo FLAGS ;;
	2:*) echo RES2 ;;
	esac
	exit 0
done
