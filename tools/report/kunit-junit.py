#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""KUnit results as a JUnit report, so that scripts/test.sh counts them
like every other test (run in the guest by scripts/test-guest.sh):

    kunit-junit.py OUT.xml PREFIX [--load-failed]

reads the KTAP of every suite named PREFIX* under /sys/kernel/debug/kunit
(KUNIT_DEBUGFS: the results of the suite's last run) and writes one
testcase per test case: "ok" passes, "not ok" fails with the diagnostic
lines before it, "# SKIP" is skipped. A module that did not load
(--load-failed), or no suite of PREFIX, is a failing testcase itself:
tests that never ran must not look like a pass."""
import glob
import os
import re
import sys
import xml.etree.ElementTree as ET

CASE = re.compile(r"^\s*(not ok|ok) \d+ (\S+)(.*)$")
root_dir = os.environ.get("KCALL_KUNIT_DIR", "/sys/kernel/debug/kunit")


def parse(suite, text):
    """(name, status, message) per test case of one suite's KTAP."""
    cases, diag = [], []
    for line in text.splitlines():
        m = CASE.match(line)
        if not m:
            text = line.strip()
            if text and not re.match(r"(KTAP version|TAP version|1\.\.\d|# Subtest:|# module:)", text):
                diag.append(text)
            continue
        status, name, rest = m.groups()
        if name == suite:  # the suite's own line closes it
            continue
        if "# SKIP" in rest:
            cases.append((name, "skipped", rest.split("# SKIP", 1)[1].strip()))
        elif status == "ok":
            cases.append((name, "passed", ""))
        else:
            cases.append((name, "failed", "\n".join(diag)))
        diag = []
    return cases


def main():
    out, prefix = sys.argv[1], sys.argv[2]
    load_failed = "--load-failed" in sys.argv[3:]
    suites = ET.Element("testsuites")
    results = []
    if load_failed:
        results.append(("kcall_kunit", [("load", "failed", "insmod kcall_kunit.ko failed")]))
    dirs = sorted(glob.glob(os.path.join(root_dir, prefix + "*")))
    for d in dirs:
        name = os.path.basename(d)
        try:
            with open(os.path.join(d, "results")) as f:
                cases = parse(name, f.read())
        except OSError as e:
            cases = [("results", "failed", str(e))]
        if not cases:
            cases = [("results", "failed", "no test case in the suite's KTAP")]
        results.append((name, cases))
    if not dirs and not load_failed:
        results.append(("kcall_kunit", [("results", "failed", f"no suite {prefix}* in {root_dir}")]))
    for name, cases in results:
        s = ET.SubElement(suites, "testsuite", name=name, tests=str(len(cases)),
                          failures=str(sum(c[1] == "failed" for c in cases)),
                          skipped=str(sum(c[1] == "skipped" for c in cases)))
        for case, status, msg in cases:
            c = ET.SubElement(s, "testcase", classname=name, name=case)
            if status == "failed":
                ET.SubElement(c, "failure", message=msg.splitlines()[0] if msg else "").text = msg
            elif status == "skipped":
                ET.SubElement(c, "skipped", message=msg)
            print(f"kunit: {'PASS' if status == 'passed' else status.upper()}: {name}.{case}")
    ET.ElementTree(suites).write(out, encoding="unicode", xml_declaration=True)
    return 1 if any(c[1] == "failed" for _, cases in results for c in cases) else 0


if __name__ == "__main__":
    sys.exit(main())
