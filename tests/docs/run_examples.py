#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Runs the documentation's command examples in a guest with kcall loaded
and compares their output with the documentation's (match.py's rule):

  run_examples.py TOP BUILD REPORT      one JUnit test per example
  run_examples.py --count TOP           how many examples there are

TOP: the source tree; BUILD: its CMake build (the CLI is
BUILD/client/kcall, first on PATH); REPORT: the JUnit file to write.
Root's examples run as root, the user's as nobody; each in a fresh
"bash -c" in an empty folder, stdin from /dev/null, in document order.
Exits 1 when an example fails."""
import os
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import extract  # noqa: E402
import match  # noqa: E402

NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
# Seconds an example may take under TCG; a script (the demo's guest half)
# makes some forty calls.
TIMEOUT, SCRIPT_TIMEOUT = 60, 300


def run(example, top, build, cwd):
    """(output, exit status) of one example."""
    env = {"PATH": f"{build}/client:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
           "HOME": cwd, "LANG": "C.UTF-8", "TERM": "dumb"}
    argv, limit = ["bash", "-c", example.command], TIMEOUT
    if example.script:
        argv, limit = ["bash", os.path.join(top, example.command)], SCRIPT_TIMEOUT
    if example.user == "user":
        argv = NOBODY + argv
    try:
        p = subprocess.run(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=limit)
    except subprocess.TimeoutExpired as e:
        return (e.output or b"").decode(errors="replace") + f"[timed out after {limit} s]\n", -1
    return p.stdout.decode(errors="replace"), p.returncode


def report(path, cases):
    """Writes the JUnit report of cases: (name, seconds, failure or None)."""
    failed = sum(1 for c in cases if c[2] is not None)
    suite = ET.Element("testsuite", name="docs", tests=str(len(cases)), failures=str(failed),
                       errors="0", skipped="0")
    for name, seconds, failure in cases:
        case = ET.SubElement(suite, "testcase", classname="docs", name=name,
                             time=f"{seconds:.3f}")
        if failure is not None:
            ET.SubElement(case, "failure", message=failure.split("\n")[0]).text = failure
    ET.ElementTree(suite).write(path, encoding="utf-8", xml_declaration=True)


def main():
    if sys.argv[1:2] == ["--count"] and len(sys.argv) == 3:
        print(len(extract.examples(sys.argv[2])))
        return 0
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    top, build, path = (os.path.abspath(a) for a in sys.argv[1:])
    try:
        examples = extract.examples(top)
    except extract.DocError as e:
        report(path, [("docs: reading the examples", 0.0, str(e))])
        print(f"docs: FAIL {e}")
        return 1
    cases = []
    for ex in examples:
        with tempfile.TemporaryDirectory(prefix="kcall-docs-") as cwd:
            os.chmod(cwd, 0o777)
            start = time.monotonic()
            out, status = run(ex, top, build, cwd)
            failure = match.mismatch(ex.expected, out, status)
        cases.append((ex.name(), time.monotonic() - start, failure))
        print(f"docs: {'PASS' if failure is None else 'FAIL'} {ex.name()}")
        if failure is not None:
            print("  " + failure.replace("\n", "\n  "))
    report(path, cases)
    return 1 if any(c[2] is not None for c in cases) else 0


if __name__ == "__main__":
    sys.exit(main())
