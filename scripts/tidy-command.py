#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""The compile command of one file, for scripts/lint.sh's clang-tidy cache
key, with the work tree's path as @TOP@:
  tidy-command.py COMPILE_COMMANDS_JSON FILE TOP"""
import json
import sys
for e in json.load(open(sys.argv[1])):
    if e["file"] == sys.argv[2]:
        print(str(e.get("command") or e.get("arguments")).replace(sys.argv[3], "@TOP@"))
