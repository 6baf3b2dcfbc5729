#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Print "<tests> <failed>" for a JUnit/gtest XML report (failed counts
failures and errors; skipped tests count as neither)."""
import sys
import xml.etree.ElementTree as ET

root = ET.parse(sys.argv[1]).getroot()
suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
tests = failed = skipped = 0
for s in suites:
    tests += int(s.get("tests", 0))
    failed += int(s.get("failures", 0)) + int(s.get("errors", 0))
    skipped += int(s.get("skipped", 0)) + int(s.get("disabled", 0))
print(tests - skipped, failed)
