#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""How many tests or checks of one stage passed, failed and were skipped:
the one place the test command (scripts/test.sh) and the scripts it runs
count results.

  test-counts.py [--rc N] [--expect N] [--lines PREFIX] FILE...

FILE: a JUnit/gtest XML report (a test that ran counts, failures and
errors fail, skipped and disabled ones are skipped), or with --lines a log
whose "PREFIX: PASS|FAIL|NOT RUN ..." lines are one check each (NOT RUN
fails; PREFIX is an extended regular expression). A missing or empty FILE
holds no result. The rules that keep counts honest:
  - no result at all is one failure;
  - --rc N: a command that exited N != 0 with no failure counted is one;
  - --expect N: fewer than N tests run or skipped is one more.
Prints "PASSED FAILED SKIPPED SEEN" (SEEN: the tests or checks found run
or skipped, before any rule added one), then one "note: TEXT" line per rule that
added a failure and one "skipped: Suite.Test: message" line per skipped
test."""
import argparse
import os
import re
import xml.etree.ElementTree as ET


def xml_counts(path, skipped_tests):
    """(ran, failed, skipped) of a JUnit report; ran includes the failed."""
    root = ET.parse(path).getroot()
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    tests = failed = skipped = 0
    for s in suites:
        tests += int(s.get("tests", 0))
        failed += int(s.get("failures", 0)) + int(s.get("errors", 0))
        skipped += int(s.get("skipped", 0)) + int(s.get("disabled", 0))
        for case in s.findall("testcase"):
            mark = case.find("skipped")
            if mark is None and case.get("result") != "skipped":
                continue
            msg = mark.get("message", "") if mark is not None else ""
            skipped_tests.append(f"{s.get('name')}.{case.get('name')}: {' '.join(msg.split())}")
    return tests - skipped, failed, skipped


def line_counts(path, prefix):
    """(ran, failed, 0) of a log's "PREFIX: PASS|FAIL|NOT RUN" lines."""
    check = re.compile(f"^(?:{prefix}): (PASS|FAIL|NOT RUN) ")
    ran = failed = 0
    with open(path, errors="replace") as f:
        for line in f:
            m = check.match(line)
            if m:
                ran += 1
                failed += m.group(1) != "PASS"
    return ran, failed, 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rc", type=int, default=0)
    ap.add_argument("--expect", type=int, default=0)
    ap.add_argument("--lines", metavar="PREFIX")
    ap.add_argument("files", nargs="*")
    args = ap.parse_args()
    ran = failed = skipped = 0
    skipped_tests, notes = [], []
    for path in args.files:
        if not os.path.isfile(path) or os.path.getsize(path) == 0:
            continue
        r, f, s = (line_counts(path, args.lines) if args.lines
                   else xml_counts(path, skipped_tests))
        ran, failed, skipped = ran + r, failed + f, skipped + s
    seen = ran + skipped
    if seen == 0:
        notes.append("no result")
        ran, failed = ran + 1, failed + 1
    elif args.rc != 0 and failed == 0:
        notes.append(f"exited {args.rc} without a failed test or check")
        ran, failed = ran + 1, failed + 1
    if seen < args.expect:
        notes.append(f"ran {seen} of the {args.expect} tests its binaries list")
        ran, failed = ran + 1, failed + 1
    print(ran - failed, failed, skipped, seen)
    for n in notes:
        print("note:", n)
    for t in skipped_tests:
        print("skipped:", t)


if __name__ == "__main__":
    main()
