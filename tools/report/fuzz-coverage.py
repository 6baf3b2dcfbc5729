#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Coverage of kcall.ko as a number: which of its KCOV call sites the
fuzzer reached, per source line, and why each unreached one is.

  fuzz-coverage.py [--out FILE] [--goal PCT] [--reasons FILE] KO REACHED

KO is the module built for a KCOV kernel (Kbuild adds -g there, so every
site has a line). The denominator is every call of __sanitizer_cov_trace_pc
in it (its relocations); KCOV records the call's return address, so a site
is "<section> <offset of the relocation + 4>". REACHED is what kcall_kfuzz
wrote (KCALL_FUZZ_COVERAGE): one "<section> <offset>" per line.

Unreached sites are matched against --reasons (default
tests/fuzz/unreached.txt, reviewed like code): "function@file:line<TAB>why"
for one function's sites on one line (the outermost kcall function of an
inlined chain, or the innermost inlined one, such as a kernel header's
helper; "??:?" for compiler-made cold paths without a line),
"file:line<TAB>why" for a line's, "function<TAB>why" for a whole
function's; the most precise key wins.
The report gives the share of all sites, and the share of the sites that
can run at all: a reason says why a site cannot run without a bug elsewhere
(a WARN's body, lockdep's report branch, a destructor the kernel never
calls), unless it starts with "gap:", a site that can run but is not
reached or not measured, which counts against the goal, as does an
unreached site without a reason on file. Exits 1 when the share of the
sites that can run is below the goal (default 93.5 %: see docs/FUZZING.md).
"""
import argparse
import collections
import os
import re
import subprocess
import sys


def sites(ko):
    """{section: [offset]} of every __sanitizer_cov_trace_pc call."""
    out = subprocess.run(["readelf", "-rW", ko], check=True, capture_output=True, text=True).stdout
    found = collections.defaultdict(list)
    section = None
    for line in out.splitlines():
        m = re.match(r"Relocation section '\.rela(\S+)'", line)
        if m:
            section = m.group(1)
            continue
        f = line.split()
        if section and len(f) >= 5 and f[4].startswith("__sanitizer_cov_trace_pc"):
            found[section].append(int(f[0], 16) + 4)
    return found


def lines(ko, section, offsets):
    """(function, "file:line") in kcall's own code for the call before each
    return address: the outermost frame of an inlined chain, so that a
    site inside copy_to_user() is named by the kcall function and line that
    called it."""
    if not offsets:
        return []
    out = subprocess.run(
        ["addr2line", "-e", ko, "-j", section, "-a", "-f", "-i"] + [hex(o - 1) for o in offsets],
        check=True, capture_output=True, text=True).stdout.splitlines()
    groups = []
    for line in out:
        if re.match(r"^0x[0-9a-f]+$", line):
            groups.append([])
        else:
            groups[-1].append(line)
    def short(where):
        # Paths relative to the module's tree: build/kmod/<ver>/module/x.c.
        m = re.search(r"((?:module|uapi)/[^: ]+):(\d+)", where)
        if m:
            return f"{os.path.normpath(m.group(1))}:{m.group(2)}"
        return re.sub(r"^.*?/(include/)", r"\1", where.split(" ")[0])

    # (outermost function, its line, innermost "function@line")
    return [(g[-2], short(g[-1]), f"{g[0]}@{short(g[1])}") for g in groups]


def reasons(path):
    why = {}
    if path and os.path.exists(path):
        for line in open(path):
            line = line.rstrip("\n")
            if line and not line.startswith("#") and "\t" in line:
                fn, text = line.split("\t", 1)
                why[fn] = text
    return why


def main():
    top = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    ap = argparse.ArgumentParser()
    ap.add_argument("--out")
    ap.add_argument("--goal", type=float, default=93.5)
    ap.add_argument("--reasons", default=os.path.join(top, "tests/fuzz/unreached.txt"))
    ap.add_argument("ko")
    ap.add_argument("reached")
    a = ap.parse_args()

    reached = set()
    if os.path.exists(a.reached):
        for line in open(a.reached):
            f = line.split()
            if len(f) == 2:
                reached.add((f[0], int(f[1], 16)))
    why = reasons(a.reasons)
    total = hit = 0
    per_line = collections.OrderedDict()
    unreached = []
    for section, offs in sorted(sites(a.ko).items()):
        for off, (fn, where, inner) in zip(offs, lines(a.ko, section, offs)):
            total += 1
            ok = (section, off) in reached
            hit += ok
            n = per_line.setdefault(where, [0, 0])
            n[0] += ok
            n[1] += 1
            if not ok:
                unreached.append((section, off, fn, where, inner))
    pct = 100.0 * hit / total if total else 0.0

    def reason(fn, where, inner=""):
        return (why.get(inner) or why.get(f"{fn}@{where}") or why.get(where) or why.get(fn))

    # Sites that cannot run unless something else is broken (a WARN body,
    # lockdep's report branch, a destructor the kernel never calls) leave
    # the denominator of the goal; a reason starting with "gap:" is a site
    # that can run but is not reached (or not measured): it stays in.
    dead = sum(1 for u in unreached if reason(u[2], u[3], u[4]) and
               not reason(u[2], u[3], u[4]).startswith("gap:"))
    can_run = total - dead
    share = 100.0 * hit / can_run if can_run else 0.0
    no_reason = sorted({f"{u[2]} ({u[3]})" for u in unreached if not reason(u[2], u[3], u[4])})
    out = [f"kcall.ko: {total} KCOV sites, {hit} reached ({pct:.1f} % of all); {dead} cannot run "
           f"without a bug elsewhere; of the {can_run} that can, {share:.1f} % reached "
           f"(goal {a.goal:g} %)"]
    out.append(f"unreached: {len(unreached)}; not reached in this run, no reason on file (they "
               f"count against the goal): "
               f"{', '.join(no_reason) or 'none'}")
    out.append("")
    out.append("unreached sites (section+offset, line, function: why):")
    for section, off, fn, where, inner in unreached:
        out.append(f"  {section}+{off:#x}  {where}  {fn} ({inner}): "
                   f"{reason(fn, where, inner) or 'NO REASON ON FILE'}")
    out.append("")
    out.append("per source line (reached/sites):")
    for where, (h, n) in sorted(per_line.items(), key=lambda kv: kv[0]):
        out.append(f"  {where} {h}/{n}")
    text = "\n".join(out) + "\n"
    if a.out:
        with open(a.out, "w") as f:
            f.write(text)
    sys.stdout.write(text if not a.out else "\n".join(out[:2]) + "\n")
    return 0 if share >= a.goal else 1


if __name__ == "__main__":
    sys.exit(main())
