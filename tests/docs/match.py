# SPDX-License-Identifier: GPL-2.0-only
"""Does a command's output match what the documentation shows?

The rule (docs/TESTING.md, "Documentation examples"): the output is
compared line by line, exactly (spaces included), with these exceptions
and no others:
  - a line that is "..." alone matches any number of lines, none included;
  - "..." inside a line matches any text within that line;
  - <pid> and <count> match a decimal integer (0 included);
  - <time> matches a kernel log time stamp: spaces, digits, ".", digits;
  - a last line "[N]" is the command's exit status N (as cram shows it);
    without one the command must exit 0.
stdout and stderr are one stream, as a terminal shows them."""
import re

PLACEHOLDERS = {
    "<pid>": r"[0-9]+",
    "<count>": r"[0-9]+",
    "<time>": r" *[0-9]+\.[0-9]+",
}
ANY_LINES = "..."
_TOKEN = re.compile("|".join(re.escape(t) for t in [*PLACEHOLDERS, ANY_LINES]))
_STATUS = re.compile(r"\[([0-9]+)\]")


def split_status(expected):
    """(lines, exit status) of an expected output: its "[N]" line taken off."""
    if expected and _STATUS.fullmatch(expected[-1]):
        return expected[:-1], int(_STATUS.fullmatch(expected[-1]).group(1))
    return expected, 0


def line_pattern(line):
    """The compiled regular expression one expected line stands for."""
    out, pos = [], 0
    for m in _TOKEN.finditer(line):
        out.append(re.escape(line[pos:m.start()]))
        out.append(".*" if m.group() == ANY_LINES else PLACEHOLDERS[m.group()])
        pos = m.end()
    out.append(re.escape(line[pos:]))
    return re.compile("".join(out))


def lines_match(expected, actual):
    """Whether the actual lines match the expected ones (a list each)."""
    pats = [None if e == ANY_LINES else line_pattern(e) for e in expected]
    # reach[j]: the first i expected lines can match the first j actual ones.
    reach = [True] + [False] * len(actual)
    for p in pats:
        nxt = [False] * (len(actual) + 1)
        for j in range(len(actual) + 1):
            if p is None:
                nxt[j] = reach[j] or (j > 0 and nxt[j - 1])
            elif j > 0 and reach[j - 1] and p.fullmatch(actual[j - 1]):
                nxt[j] = True
        reach = nxt
    return reach[len(actual)]


def output_lines(text):
    """The lines of a command's output (a last newline ends a line, not
    starts an empty one)."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def mismatch(expected, text, status):
    """None when the output text and exit status match the expected lines
    (with their "[N]"); else what differs, for a failure message."""
    want, want_status = split_status(expected)
    got = output_lines(text)
    problems = []
    if status != want_status:
        problems.append(f"exit status {status}, expected {want_status}")
    if not lines_match(want, got):
        problems.append("output differs")
    if not problems:
        return None
    return "\n".join([", ".join(problems), "--- expected", *want, "--- actual", *got[:200],
                      *(["[... more lines]"] if len(got) > 200 else [])])
