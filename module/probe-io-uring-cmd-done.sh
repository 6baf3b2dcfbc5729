#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Which io_uring_cmd_done() the kernel headers declare (Kbuild's probe):
#   probe-io-uring-cmd-done.sh HEADER...
# prints, for the first HEADER that declares it, the form of its
# parameters: RES2 (cmd, ret, res2: 6.1 before issue_flags reached it),
# RES2_FLAGS (cmd, ret, res2, issue_flags: 6.1 stable to 6.x) or FLAGS
# (cmd, ret, issue_flags: 7.x); nothing when none declares it, or when the
# first that does has a form not listed here (kcall_compat.h then stops
# the build). Read from the declaration itself, not inferred from other
# symbols: C comments are dropped first, and the two three-parameter forms
# are told apart by the third parameter's type (an unsigned int of flags,
# or a 64-bit res2), never by its name.
for header in "$@"; do
	[ -r "$header" ] || continue
	form=$(awk '
	# Outside comments, the text of the header on one line.
	{
		line = $0
		out = ""
		while (line != "") {
			if (incomment) {
				i = index(line, "*/")
				if (i == 0)
					line = ""
				else {
					line = substr(line, i + 2)
					incomment = 0
					out = out " "
				}
				continue
			}
			b = index(line, "/*")
			l = index(line, "//")
			if (l && (!b || l < b)) {
				out = out substr(line, 1, l - 1)
				line = ""
			} else if (b) {
				out = out substr(line, 1, b - 1)
				line = substr(line, b + 2)
				incomment = 1
			} else {
				out = out line
				line = ""
			}
		}
		text = text " " out
	}
	END {
		gsub(/[ \t]+/, " ", text)
		# The first declaration or definition.
		if (!match(text, /void \**io_uring_cmd_done ?\([^)]*\)/))
			exit
		params = substr(text, RSTART, RLENGTH)
		sub(/^[^(]*\(/, "", params)
		sub(/\)$/, "", params)
		n = split(params, p, ",")
		if (n == 4) {
			print "RES2_FLAGS"
			exit
		}
		if (n != 3) {
			print "-"
			exit
		}
		# The third parameter without its name (if it has one) and qualifiers.
		nw = split(p[3], w, " ")
		types = "^(int|long|short|char|signed|unsigned|ssize_t|size_t|u32|u64|s32|s64|__u32|__u64|__s32|__s64)$"
		last = nw
		if (nw > 1 && w[nw] !~ types)
			last = nw - 1
		type = ""
		for (i = 1; i <= last; i++)
			if (w[i] != "const" && w[i] != "volatile")
				type = type (type == "" ? "" : " ") w[i]
		if (type ~ /^(unsigned|unsigned int|u32|__u32)$/)
			print "FLAGS"
		else if (type ~ /^(ssize_t|u64|s64|__u64|__s64|long|long long|unsigned long|unsigned long long)$/)
			print "RES2"
		else
			print "-"
	}' "$header")
	[ -n "$form" ] || continue
	[ "$form" = - ] || echo "$form"
	exit 0
done
