# SPDX-License-Identifier: GPL-2.0-only
"""The command examples of the README and the man pages, each with the
output the documentation shows for it (docs/TESTING.md, "Documentation
examples").

Where examples are:
  - Markdown: a ```console block is a shell session: "$ " starts a
    command run as an unprivileged user, "# " one run as root, and the
    lines up to the next command are its output. A block whose info string
    is "text output-of CMD" shows what CMD (a path from the top of the
    tree) prints, run as root.
  - man pages: a .nf/.fi or .EX/.EE block whose first line starts with
    "$ " or "# " is a session as above, its roff escapes decoded.
A command line ending in a backslash continues on the next line."""
import dataclasses
import glob
import os
import re

# The documents whose examples are run, from the top of the tree.
DOCUMENTS = ["README.md", "docs/*.md", "client/man/*.[1-8]"]
PROMPTS = {"$ ": "user", "# ": "root"}


@dataclasses.dataclass
class Example:
    source: str  # "README.md:94": the file and line of the command
    user: str  # "user" or "root"
    command: str  # a shell command, or with script a path from the top
    expected: list  # the lines the documentation shows, with "[N]"
    script: bool = False  # an output-of block: the output of a script

    def name(self):
        return f"{self.source}: {self.command.splitlines()[0]}"


class DocError(Exception):
    """An example that cannot be read as one (it fails as a test)."""


def sessions(lines, source, first):
    """The examples of a session's lines; first: the line number of lines[0]."""
    examples, i = [], 0
    while i < len(lines):
        prompt = lines[i][:2]
        if prompt not in PROMPTS:
            raise DocError(f"{source}:{first + i}: output before the first command")
        start, cmd = i, lines[i][2:]
        while cmd.endswith("\\") and i + 1 < len(lines):
            i += 1
            cmd = cmd[:-1] + "\n" + lines[i]
        i += 1
        out = []
        while i < len(lines) and lines[i][:2] not in PROMPTS:
            out.append(lines[i])
            i += 1
        examples.append(Example(f"{source}:{first + start}", PROMPTS[prompt], cmd, out))
    return examples


def markdown(path, text):
    """The examples of a Markdown file."""
    examples, block, info, start = [], None, "", 0
    for n, line in enumerate(text.split("\n"), 1):
        fence = line.lstrip().startswith("```")
        if block is None:
            if fence:
                block, info, start = [], line.lstrip()[3:].split(), n + 1
                indented = not line.startswith("```")
            continue
        if not fence:
            block.append(line)
            continue
        # A session the extractor would not run is an error, not a skip.
        read = not indented and (info[:1] == ["console"] or info[:2] == ["text", "output-of"])
        if not read and any(
                b.lstrip().startswith("$ ") for b in block):
            raise DocError(f"{path}:{start - 1}: a shell session outside a ```console block "
                           "at the start of a line")
        if indented:
            block = None
            continue
        if info[:1] == ["console"]:
            examples += sessions(block, path, start)
        elif info[:2] == ["text", "output-of"]:
            if len(info) != 3:
                raise DocError(f"{path}:{start - 1}: output-of names one command")
            examples.append(Example(f"{path}:{start - 1}", "root", info[2], block, True))
        block = None
    return examples


# The roff escapes an example may hold, and the text they stand for.
ROFF = {r"\-": "-", r"\\": "\\", r"\e": "\\", r"\&": "", r"\(aq": "'", r"\(dq": '"',
        r"\(ga": "`", r"\fB": "", r"\fI": "", r"\fR": "", r"\fP": ""}
_ROFF = re.compile(r"\\\(..|\\f.|\\.")


def unroff(line, where):
    """A line of a man page's example as the reader sees it."""
    def one(m):
        if m.group() not in ROFF:
            raise DocError(f"{where}: roff escape {m.group()} in an example")
        return ROFF[m.group()]
    return _ROFF.sub(one, line)


def manpage(path, text):
    """The examples of a man page."""
    examples, block, start = [], None, 0
    for n, line in enumerate(text.split("\n"), 1):
        if block is None:
            if line in (".nf", ".EX"):
                block, start = [], n + 1
            continue
        if line not in (".fi", ".EE"):
            block.append(line)
            continue
        if block and block[0][:2] not in PROMPTS and any(b.startswith("$ ") for b in block):
            raise DocError(f"{path}:{start}: a session must start the .nf/.EX block")
        if block and block[0][:2] in PROMPTS:
            if any(b.startswith((".", "'")) for b in block):
                raise DocError(f"{path}:{start}: a roff request inside an example")
            examples += sessions([unroff(b, f"{path}:{start + k}") for k, b in enumerate(block)],
                                 path, start)
        block = None
    return examples


def examples(top):
    """Every example of the documents under top, in document order."""
    found = []
    for pattern in DOCUMENTS:
        for full in sorted(glob.glob(os.path.join(top, pattern))):
            path = os.path.relpath(full, top)
            with open(full, encoding="utf-8") as f:
                text = f.read()
            found += markdown(path, text) if path.endswith(".md") else manpage(path, text)
    return found
