#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Host tests of the documentation examples' extractor and matcher
(ctest: docs_examples); the examples themselves run in the VM suite."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import extract  # noqa: E402
import match  # noqa: E402

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def ok(expected, text, status=0):
    return match.mismatch(expected, text, status) is None


class Matcher(unittest.TestCase):
    def test_exact_lines(self):
        self.assertTrue(ok(["7"], "7\n"))
        self.assertFalse(ok(["7"], "8\n"))
        self.assertFalse(ok(["7"], "7 \n"))  # spaces count
        self.assertFalse(ok(["7"], "7\n8\n"))  # so does every line
        self.assertFalse(ok(["7", "8"], "7\n"))
        self.assertTrue(ok([], ""))
        self.assertFalse(ok([], "\n"))  # an empty line is a line

    def test_exit_status(self):
        self.assertFalse(ok(["kcall: x"], "kcall: x\n", 1))
        self.assertTrue(ok(["kcall: x", "[1]"], "kcall: x\n", 1))
        self.assertFalse(ok(["kcall: x", "[2]"], "kcall: x\n", 1))
        self.assertFalse(ok(["[1]"], "", 0))
        self.assertTrue(ok(["[1]", "x"], "[1]\nx\n"))  # only a last line is a status

    def test_placeholders(self):
        self.assertTrue(ok(['{"result":<pid>}'], '{"result":4711}\n'))
        self.assertTrue(ok(["retpid: <pid>"], "retpid: 0\n"))
        self.assertFalse(ok(["retpid: <pid>"], "retpid: -1\n"))
        self.assertFalse(ok(["retpid: <pid>"], "retpid: 12a\n"))
        self.assertFalse(ok(["retpid: <pid>"], "retpid: \n"))
        self.assertTrue(ok(["n <count>"], "n 83\n"))
        self.assertTrue(ok(["[<time>] kcall: x"], "[    2.345678] kcall: x\n"))
        self.assertFalse(ok(["[<time>] kcall: x"], "[2] kcall: x\n"))
        # Nothing else is loose: other angle brackets and regex syntax are text.
        self.assertTrue(ok(["<file> a.*b"], "<file> a.*b\n"))
        self.assertFalse(ok(["<file>"], "x\n"))
        self.assertFalse(ok(["a.*b"], "axxb\n"))

    def test_ellipsis(self):
        self.assertTrue(ok(["...", "b"], "a\nx\nb\n"))
        self.assertTrue(ok(["...", "b"], "b\n"))  # none
        self.assertTrue(ok(["a", "...", "b", "..."], "a\nb\nc\n"))
        self.assertFalse(ok(["a", "...", "b"], "a\nc\n"))
        self.assertFalse(ok(["...", "b", "a"], "a\nb\n"))  # order counts
        self.assertTrue(ok(["features ... io_uring"], "features goodbye batch io_uring\n"))
        self.assertFalse(ok(["features ... io_uring"], "features goodbye\nio_uring\n"))
        self.assertTrue(ok(["..."], ""))

    def test_failure_shows_both(self):
        msg = match.mismatch(["7"], "8\n", 1)
        self.assertIn("exit status 1, expected 0", msg)
        self.assertIn("--- expected\n7\n--- actual\n8", msg)


class Extractor(unittest.TestCase):
    def test_console_block(self):
        text = "x\n```console\n$ kcall retparam 7\n7\n# kcall a \\\n  b\n[1]\n```\n"
        got = extract.markdown("R.md", text)
        self.assertEqual([(e.source, e.user, e.command, e.expected) for e in got],
                         [("R.md:3", "user", "kcall retparam 7", ["7"]),
                          ("R.md:5", "root", "kcall a \n  b", ["[1]"])])

    def test_other_blocks_are_not_examples(self):
        text = "```sh\nrm -rf /\n```\n```c\n# include\n```\n```\nx\n```\n"
        self.assertEqual(extract.markdown("R.md", text), [])

    def test_a_session_it_would_not_run_is_an_error(self):
        for text in ("```sh\n$ rm -rf /\n```\n", "```\n$ x\n```\n",
                     "- item\n  ```console\n  $ kcall version\n  ```\n"):
            with self.assertRaises(extract.DocError, msg=text):
                extract.markdown("R.md", text)
        with self.assertRaises(extract.DocError):
            extract.manpage("k.1", ".nf\nFor example:\n$ kcall version\n.fi\n")

    def test_output_of(self):
        got = extract.markdown("R.md", "```text output-of scripts/d.sh\n...\nabi 3\n```\n")
        self.assertEqual([(e.source, e.command, e.expected, e.script) for e in got],
                         [("R.md:1", "scripts/d.sh", ["...", "abi 3"], True)])

    def test_output_before_command(self):
        with self.assertRaises(extract.DocError):
            extract.markdown("R.md", "```console\n7\n$ kcall retparam 7\n```\n")

    def test_manpage(self):
        text = ".SH EXAMPLES\n.nf\n$ kcall \\-t netlink x \\(aq\\\\n\\(aq\n\\fBok\\fR\n.fi\n" \
            ".nf\nint main(void);\n.fi\n"
        got = extract.manpage("k.1", text)
        self.assertEqual([(e.source, e.command, e.expected) for e in got],
                         [("k.1:3", "kcall -t netlink x '\\n'", ["ok"])])

    def test_manpage_unknown_escape(self):
        with self.assertRaises(extract.DocError):
            extract.manpage("k.1", ".nf\n$ kcall \\*x\n.fi\n")

    def test_the_documents(self):
        found = extract.examples(TOP)
        sources = {e.source.split(":")[0] for e in found}
        self.assertIn("README.md", sources)
        self.assertIn("client/man/kcall.1", sources)
        for e in found:
            if e.script:
                self.assertTrue(os.path.isfile(os.path.join(TOP, e.command)), e.name())


if __name__ == "__main__":
    unittest.main()
