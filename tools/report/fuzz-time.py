#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""The fuzzers' share of a kernel's suite, for scripts/test.sh's timing
table, from their tests' own times in JUnit reports: the seeded fuzzer
(classname Fuzz) and the coverage-guided one (KFuzz).

  fuzz-time.py LABEL REPORT...   (a missing REPORT counts nothing)"""
import os
import sys
import xml.etree.ElementTree as ET

secs = {"Fuzz": 0.0, "KFuzz": 0.0}
for path in sys.argv[2:]:
    if os.path.exists(path):
        for c in ET.parse(path).getroot().iter("testcase"):
            if c.get("classname") in secs:
                secs[c.get("classname")] += float(c.get("time", 0))
print(f"  of which fuzz on {sys.argv[1]:<18} {secs['Fuzz']:6.0f}s seeded, "
      f"{secs['KFuzz']:.0f}s coverage-guided")
