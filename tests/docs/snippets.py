#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""The README's C and C++ examples and libkcall(3)'s program, which the
build compiles and links (tests/CMakeLists.txt): snippets.py TOP OUTDIR
writes OUTDIR/readme_c.c, OUTDIR/readme_cpp.cpp and OUTDIR/libkcall_3.c.
A README example's #include lines go first, then the standard headers an
excerpt leaves out, then the rest as main()'s body; the man page's is a
whole program, its roff escapes decoded."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import extract  # noqa: E402

PRELUDE = {"c": ["#include <stdint.h>", "#include <stdio.h>"],
           "cpp": ["#include <iostream>"]}
OUTPUT = {"c": "readme_c.c", "cpp": "readme_cpp.cpp"}


def blocks(text):
    """{language: [lines of its first fenced block]} for C and C++."""
    found, lang, lines = {}, None, []
    for line in text.split("\n"):
        if lang is None:
            if line.startswith("```") and line[3:].strip() in OUTPUT:
                lang, lines = line[3:].strip(), []
        elif line.startswith("```"):
            found.setdefault(lang, lines)
            lang = None
        else:
            lines.append(line)
    return found


def program(lang, lines):
    includes = [x for x in lines if x.startswith("#include")]
    body = [x for x in lines if not x.startswith("#include")]
    head = "int main(void)" if lang == "c" else "int main()"
    return "\n".join(["// Generated from README.md by tests/docs/snippets.py.", *includes,
                      *PRELUDE[lang], head, "{", *body, "\treturn 0;", "}", ""])


def man_program(path):
    """The first .nf block of a man page's EXAMPLES, as the reader sees it."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    start = lines.index(".nf", lines.index(".SH EXAMPLES")) + 1
    body = lines[start:lines.index(".fi", start)]
    return "\n".join([f"// Generated from {os.path.basename(path)} by tests/docs/snippets.py.",
                       *(extract.unroff(x, path) for x in body), ""])


def main():
    top, out = sys.argv[1:3]
    readme = os.path.join(top, "README.md")
    with open(readme, encoding="utf-8") as f:
        found = blocks(f.read())
    with open(os.path.join(out, "libkcall_3.c"), "w", encoding="utf-8") as f:
        f.write(man_program(os.path.join(top, "client/man/libkcall.3")))
    for lang, name in OUTPUT.items():
        if lang not in found:
            sys.exit(f"snippets.py: {readme} has no ```{lang} example")
        with open(os.path.join(out, name), "w", encoding="utf-8") as f:
            f.write(program(lang, found[lang]))


if __name__ == "__main__":
    main()
