#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Cache keys for clang-tidy verdicts (tools/check/lint.sh).

    tidy-keys.py COMPILE_COMMANDS TOP EXTRA < FILES

For each C++ file named on stdin (relative to TOP), prints "KEY FILE".
KEY covers everything the verdict depends on: the file, the project
headers it includes (transitively, resolved as the compiler does: the
including file's folder, then the command's -I folders), the compile
command (with TOP written as @TOP@, so that a clone elsewhere finds the
same keys) and EXTRA (a file holding every .clang-tidy and clang-tidy's
version). System headers are left out: they change with clang-tidy's or
a library's package, which EXTRA's version line and the command catch
only in part, and a stale clean verdict there is harmless (findings in
system headers are not reported).
"""

import hashlib
import json
import os
import re
import shlex
import sys

INCLUDE = re.compile(rb'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)


def include_dirs(command):
    args = shlex.split(command)
    dirs = []
    for i, a in enumerate(args):
        if a == "-I" and i + 1 < len(args):
            dirs.append(args[i + 1])
        elif a.startswith("-I"):
            dirs.append(a[2:])
    return dirs


def project_headers(path, dirs, top, seen):
    """Adds to seen every header under top that path includes."""
    try:
        text = open(path, "rb").read()
    except OSError:
        return
    for kind, name in INCLUDE.findall(text):
        name = name.decode()
        where = ([os.path.dirname(path)] if kind == b'"' else []) + dirs
        for d in where:
            cand = os.path.normpath(os.path.join(d, name))
            if os.path.isfile(cand):
                if cand.startswith(top + os.sep) and cand not in seen:
                    seen.add(cand)
                    project_headers(cand, dirs, top, seen)
                break


def main():
    db_path, top, extra = sys.argv[1], os.path.realpath(sys.argv[2]), sys.argv[3]
    commands = {}
    for e in json.load(open(db_path)):
        commands[os.path.realpath(e["file"])] = e.get("command") or shlex.join(e["arguments"])
    extra_text = open(extra, "rb").read()
    for rel in sys.stdin.read().split():
        path = os.path.join(top, rel)
        command = commands.get(os.path.realpath(path), "")
        h = hashlib.sha256()
        h.update(open(path, "rb").read())
        headers = set()
        project_headers(path, include_dirs(command), top, headers)
        for hdr in sorted(headers):
            h.update(os.path.relpath(hdr, top).encode() + b"\0" + open(hdr, "rb").read())
        h.update(command.replace(top, "@TOP@").encode())
        h.update(extra_text)
        print(h.hexdigest()[:32], rel)


if __name__ == "__main__":
    main()
