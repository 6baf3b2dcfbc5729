#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Print "<run> <failed> <skipped>" for a JUnit/gtest XML report: run counts
every test that ran (failed ones included, skipped ones not), failed counts
failures and errors. With --skipped, print instead one line per skipped
test: "Suite.Test: message"."""
import sys
import xml.etree.ElementTree as ET

args = sys.argv[1:]
list_skipped = args[:1] == ["--skipped"]
if list_skipped:
    args = args[1:]
root = ET.parse(args[0]).getroot()
suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
tests = failed = skipped = 0
for s in suites:
    tests += int(s.get("tests", 0))
    failed += int(s.get("failures", 0)) + int(s.get("errors", 0))
    skipped += int(s.get("skipped", 0)) + int(s.get("disabled", 0))
    if list_skipped:
        for case in s.findall("testcase"):
            mark = case.find("skipped")
            if mark is None and case.get("result") != "skipped":
                continue
            msg = mark.get("message", "") if mark is not None else ""
            msg = " ".join(msg.split())
            print(f"{s.get('name')}.{case.get('name')}: {msg}")
if not list_skipped:
    print(tests - skipped, failed, skipped)
