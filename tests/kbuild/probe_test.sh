#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Kbuild's probe of io_uring_cmd_done()'s parameters against header
# fixtures of every form the kernels have had (no kernel here has the
# oldest one), kept as .h.in so that no C tooling takes them for ours.
# Run by ctest.
top=$(cd "$(dirname "$0")/../.." && pwd)
probe=$top/module/probe-io-uring-cmd-done.sh
fixtures=$top/tests/kbuild/io_uring_cmd_done
failed=0

expect() { # expect WANT HEADER...
	want=$1
	shift
	got=$(sh "$probe" "$@")
	if [ "$got" = "$want" ]; then
		echo "ok: $* -> ${want:-nothing}"
	else
		echo "FAIL: $* -> '${got}', want '${want}'"
		failed=1
	fi
}

expect RES2 "$fixtures/res2.h.in"
expect RES2_FLAGS "$fixtures/res2_flags.h.in"
expect FLAGS "$fixtures/flags.h.in"
expect "" "$fixtures/none.h.in"
# By the third parameter's type, whatever the names say (or if there are none).
expect FLAGS "$fixtures/flags_named.h.in"
expect RES2 "$fixtures/res2_named.h.in"
# Declarations in comments do not count, nor do comments in the parameters.
expect FLAGS "$fixtures/comments.h.in"
expect "" /nonexistent.h
# The first header that declares it decides (cmd.h, then io_uring.h).
expect FLAGS /nonexistent.h "$fixtures/none.h.in" "$fixtures/flags.h.in" "$fixtures/res2.h.in"
expect RES2_FLAGS "$fixtures/res2_flags.h.in" "$fixtures/flags.h.in"
exit "$failed"
