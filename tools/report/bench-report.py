#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Turn scripts/bench.sh's results into docs/PERFORMANCE.md and a plot.

usage: bench-report.py --counted JSON --timed JSON --machine TXT
                       [--lib-cost JSON] [--doc MD] [--plot PNG] [--analysis MD]

--counted: Google Benchmark JSON of the single-thread run under QEMU's
-icount shift=0, where a reported nanosecond is one executed instruction;
--timed: the thread rows under plain TCG, repeated (medians reported);
--lib-cost: tests/bench/lib-cost.py's counts of the library's own
instructions (host, callgrind). Prints the report; --doc writes it,
--plot draws the plot with gnuplot.
"""
import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile

TRANSPORTS = {"1": "ioctl", "2": "netlink"}
# The fixed denominator of the batch targets: a single raw ioctl
# retparam on the 6.1 guest before the single-call work, so that a cheaper
# single call does not move them.
SINGLE_IOCTL = 1012
OPS = ["goodbye", "showparams", "retparam", "retpid", "taskcount", "message", "stats", "version"]


def lib_budgets():
    """The library's budgets over the hand-written ioctl loop, by API: those
    tests/bench/lib-cost.py holds the host counts to, so that both agree."""
    top = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    path = os.path.join(top, "tests", "bench", "lib-cost.py")
    spec = importlib.util.spec_from_file_location("lib_cost", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return {api: budget for (transport, api), budget in module.BUDGETS.items() if transport == "ioctl"}


def load(path):
    """Iterations by name; repeated runs give a list per name."""
    with open(path) as f:
        data = json.load(f)
    runs = {}
    for b in data["benchmarks"]:
        if b.get("run_type", "iteration") != "iteration" or b.get("error_occurred"):
            continue
        runs.setdefault(b.get("run_name", b["name"]), []).append(b)
    return data.get("context", {}), runs


def instr(b):
    """Instructions per iteration: under -icount a nanosecond is one."""
    unit = {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}[b.get("time_unit", "ns")]
    return b["real_time"] * unit


def fmt(v):
    return f"{v:,.0f}"


def verdict(ok):
    if ok is None:
        return "reported"
    return "**met**" if ok else "**not met**"


class Report:
    def __init__(self, counted, timed, lib_cost):
        self.counted = counted
        self.timed = timed
        self.lib_cost = lib_cost

    def c(self, name):
        runs = self.counted.get(name)
        return instr(runs[0]) if runs else None

    def rate(self, name):
        runs = self.timed.get(name)
        if not runs:
            return None, 0
        return statistics.median(r["items_per_second"] for r in runs), len(runs)

    def targets(self):
        c = self.c
        rows = []
        raw_ioctl, enotty = c("BM_floor_raw_ioctl_retparam"), c("BM_floor_ioctl_enotty_kcall")
        raw_genl, rejected = c("BM_floor_raw_genl_retparam"), c("BM_floor_raw_genl_rejected")
        if raw_ioctl and enotty:
            own = raw_ioctl - enotty
            rows.append(("kcall's own cost of `retparam` above the unknown-ioctl floor of /dev/kcall ≤ 250",
                         f"{fmt(own)} ({fmt(raw_ioctl)} − {fmt(enotty)}; was ~411)", own <= 250))
        budgets = lib_budgets()
        for t, api, name, label in (("1", "cpp", "BM_lib_retparam/transport:1", "C++ API"),
                                    ("1", "capi", "BM_capi_retparam/transport:1", "C API")):
            lib = c(name)
            host = self.lib_cost.get("budgets", {}).get(f"ioctl-{api}", {}).get("extra")
            budget = budgets[api]
            if lib and raw_ioctl:
                extra = round(lib - raw_ioctl)  # whole instructions
                note = f"{extra:+,.0f} in the guest; {host:+.0f} on the host (callgrind)" if host is not None \
                    else f"{extra:+,.0f} in the guest"
                ok = extra <= budget and (host is None or host <= budget)
                rows.append((f"library over the hand-written loop, {label} over ioctl ≤ +{budget}", note, ok))
        for name, label in (("BM_lib_retparam/transport:2", "C++ API"),
                            ("BM_capi_retparam/transport:2", "C API")):
            lib = c(name)
            if lib and raw_genl:
                r = lib / raw_genl
                rows.append((f"library over the hand-written loop, {label} over netlink ≤ 1.1 ×",
                             f"{r:.3f} × ({fmt(lib)} against {fmt(raw_genl)})", r <= 1.1))
        if raw_genl and rejected:
            share = (raw_genl - rejected) / raw_genl
            rows.append(("kcall's own share of a netlink `retparam` round trip above its floor ≤ 25 %",
                         f"{share * 100:.1f} % ({fmt(raw_genl)} − {fmt(rejected)} for a rejected command)",
                         share <= 0.25))
        for name, label, limit in (("BM_batch_raw_ioctl/ops:8", "batch of 8 over ioctl", 250),
                                   ("BM_batch_raw_ioctl/ops:32", "batch of 32 over ioctl", 150),
                                   ("BM_batch_lib/transport:2/ops:32", "batch of 32 over netlink", 1250)):
            v = c(name)
            if v:
                per = v / int(name.rsplit(":", 1)[1])
                rows.append((f"{label} ≤ {limit} instructions per operation",
                             f"{per:,.0f} per op ({per / SINGLE_IOCTL:.3f} × a single raw ioctl "
                             f"retparam of {SINGLE_IOCTL:,} before the single-call work)", per <= limit))
        # io_uring at depth 32 beside the batches: no target of its own.
        for name, label in (("BM_uring_raw/depth:32", "hand-written io_uring at depth 32"),
                            ("BM_uring_lib/depth:32", "`kcall::Ring` at depth 32")):
            v = c(name)
            if v:
                rows.append((f"{label}, beside the batch of 32 over ioctl",
                             f"{v / 32:,.0f} per op ({v / 32 / SINGLE_IOCTL:.3f} × a single raw "
                             f"ioctl retparam of {SINGLE_IOCTL:,})", None))
        k, p = c("BM_count_kcall_taskcount/extra:1000"), c("BM_count_proc_readdir/extra:1000")
        if k and p:
            rows.append(("taskcount ≥ 40 × cheaper than counting /proc at +1000 processes",
                         f"{p / k:.1f} × (instructions)", p / k >= 40))
        return rows

    def render(self, context, machine):
        c = self.c
        out = ["# kcall performance\n"]
        out.append(
            "Generated by `scripts/bench.sh` and `tools/report/bench-report.py`. Single-thread figures are "
            "**instructions per operation**, user and kernel, counted by QEMU (`-icount shift=0`: "
            "the guest clock advances one nanosecond per executed instruction, so Google Benchmark's "
            "nanoseconds are instructions, the same on every run whatever the host does). Only the "
            "thread rows are time, under plain TCG, medians of repeated runs; TCG models no cache-line "
            "bouncing, so they inform and gate nothing. The library's own instructions are also counted "
            "on the host with callgrind and the kernel faked out (`tests/bench/lib-cost.py`, a gate of "
            "`scripts/test.sh`).\n")
        out.append("## Targets\n")
        out.append("| target | measured | verdict |")
        out.append("| --- | --- | --- |")
        for label, value, ok in self.targets():
            out.append(f"| {label} | {value} | {verdict(ok)} |")
        out.append("| 2 threads against one (ioctl and netlink, library and C API) | see *Threads*: "
                   "informs, gates nothing | — |")
        out.append("")

        getppid = c("BM_floor_getppid")
        raw = {"ioctl": c("BM_floor_raw_ioctl_retparam"), "netlink": c("BM_floor_raw_genl_retparam")}
        out.append("## Instructions per call\n")
        out.append("| call | instructions | × getppid | above its transport's hand-written loop |")
        out.append("| --- | ---: | ---: | ---: |")
        for name, label in (("BM_floor_getppid", "floor: `getppid()`"),
                            ("BM_floor_ioctl_enotty_devnull", "floor: unknown ioctl on /dev/null (ENOTTY)"),
                            ("BM_floor_ioctl_enotty_kcall", "floor: unknown ioctl on /dev/kcall (ENOTTY)"),
                            ("BM_floor_raw_ioctl_retparam", "hand-written ioctl `retparam`"),
                            ("BM_event_foreign_listener/listener:1",
                             "hand-written ioctl `retparam`, a listener in another netns"),
                            ("BM_floor_raw_genl_rejected", "floor: genl request to a command the family rejects"),
                            ("BM_floor_raw_genl_retparam", "hand-written genl `retparam` (send/recv)")):
            v = c(name)
            if v:
                out.append(f"| {label} | {fmt(v)} | {v / getppid:.2f} | — |")
        for op in OPS:
            for t, tname in TRANSPORTS.items():
                v = c(f"BM_lib_{op}/transport:{t}")
                if v:
                    extra = "" if op != "retparam" else f"{v - raw[tname]:+,.0f}"
                    out.append(f"| libkcall `{op}` over {tname} | {fmt(v)} | {v / getppid:.2f} | {extra} |")
        for t, tname in TRANSPORTS.items():
            v = c(f"BM_capi_retparam/transport:{t}")
            if v:
                out.append(f"| C API `kcall_retparam()`, default connection over {tname} | {fmt(v)} | "
                           f"{v / getppid:.2f} | {v - raw[tname]:+,.0f} |")
        out.append("")

        counts = self.lib_cost.get("instructions", {})
        if counts:
            out.append("## The library's own instructions (host, callgrind, kernel faked out)\n")
            out.append("`tests/bench/lib-cost.py`: `tests/bench/lib_cost.cpp` under callgrind, the kernel "
                       "answered in the process (`tests/lib/fake_kernel.c`) so that only user space "
                       "is left; the difference to the hand-written loop is the library's.\n")
            out.append("| retparam through | ioctl | netlink |")
            out.append("| --- | ---: | ---: |")
            for api, label in (("raw", "hand-written loop"), ("cpp", "C++ API"),
                               ("capi", "C API, default connection")):
                io, nl = counts.get(f"ioctl-{api}"), counts.get(f"netlink-{api}")
                cell = lambda v, base: "—" if v is None else (
                    f"{v:,}" if api == "raw" else f"{v:,} ({v - base:+,})")
                out.append(f"| {label} | {cell(io, counts.get('ioctl-raw'))} | "
                           f"{cell(nl, counts.get('netlink-raw'))} |")
            out.append("")

        out.append("## Batches and io_uring (instructions per operation)\n")
        out.append("| batch of retparam | ops | per batch | per operation | × single raw ioctl (1,012) |")
        out.append("| --- | ---: | ---: | ---: | ---: |")
        for name, label in (("BM_batch_raw_ioctl/ops:{n}", "hand-written `KCALL_IOC_BATCH`"),
                            ("BM_batch_lib/transport:1/ops:{n}", "`Client::run()` over ioctl"),
                            ("BM_batch_raw_genl/ops:{n}", "hand-written `KCALL_CMD_BATCH`"),
                            ("BM_batch_lib/transport:2/ops:{n}", "`Client::run()` over netlink"),
                            ("BM_uring_raw/depth:{n}", "hand-written io_uring, queue depth"),
                            ("BM_uring_lib/depth:{n}", "`kcall::Ring`, queue depth")):
            for n in (1, 8, 32):
                v = c(name.format(n=n))
                if v:
                    out.append(f"| {label} | {n} | {fmt(v)} | {fmt(v / n)} | {v / n / SINGLE_IOCTL:.3f} |")
        out.append("")

        out.append("## taskcount against /proc and sysinfo() (instructions)\n")
        out.append("| extra sleeping processes | processes | kcall taskcount | readdir(/proc) count | "
                   "sysinfo() | /proc ÷ taskcount |")
        out.append("| ---: | ---: | ---: | ---: | ---: | ---: |")
        for extra in (0, 1000, 5000):
            k = self.counted.get(f"BM_count_kcall_taskcount/extra:{extra}")
            p, s = c(f"BM_count_proc_readdir/extra:{extra}"), c(f"BM_count_sysinfo/extra:{extra}")
            if not (k and p and s):
                continue
            kv = instr(k[0])
            out.append(f"| +{extra} | {int(k[0].get('processes', 0))} | {fmt(kv)} | {fmt(p)} | "
                       f"{fmt(s)} | {p / kv:.1f} |")
        out.append("")

        out.append("## Threads (time under TCG, medians)\n")
        out.append("| calls | transport | 1 thread | 2 threads | 2 ÷ 1 | runs |")
        out.append("| --- | --- | ---: | ---: | ---: | ---: |")
        for bench, label in (("BM_threads_lib_retparam", "C++ API, a client per thread"),
                             ("BM_threads_capi_retparam", "C API, default connection")):
            for t, tname in TRANSPORTS.items():
                one, n1 = self.rate(f"{bench}/transport:{t}/real_time/threads:1")
                two, n2 = self.rate(f"{bench}/transport:{t}/real_time/threads:2")
                if one and two:
                    out.append(f"| {label} | {tname} | {one / 1000:.0f} k/s | {two / 1000:.0f} k/s | "
                               f"{two / one:.2f} | {min(n1, n2)} |")
        out.append("")

        out.append("## Machine\n")
        out.append("```")
        out.extend(machine.strip().splitlines())
        out.append(f"benchmark library: {context.get('library_build_type', '?')} build")
        out.append("```\n")
        return "\n".join(out)

    def plot(self, png):
        c = self.c
        rows = [(label, c(name)) for label, name in (
            ("getppid", "BM_floor_getppid"), ("ENOTTY /dev/kcall", "BM_floor_ioctl_enotty_kcall"),
            ("raw ioctl", "BM_floor_raw_ioctl_retparam"), ("C++ ioctl", "BM_lib_retparam/transport:1"),
            ("C API ioctl", "BM_capi_retparam/transport:1"), ("genl rejected", "BM_floor_raw_genl_rejected"),
            ("raw genl", "BM_floor_raw_genl_retparam"), ("C++ netlink", "BM_lib_retparam/transport:2"),
            ("C API netlink", "BM_capi_retparam/transport:2")) if c(name)]
        counts = []
        for extra in (0, 1000, 5000):
            vals = [c(f"{n}/extra:{extra}") for n in
                    ("BM_count_kcall_taskcount", "BM_count_proc_readdir", "BM_count_sysinfo")]
            if all(vals):
                counts.append((extra, *vals))
        with tempfile.TemporaryDirectory() as tmp:
            bars = os.path.join(tmp, "bars.dat")
            lines = os.path.join(tmp, "lines.dat")
            with open(bars, "w") as f:
                for i, (label, v) in enumerate(rows):
                    f.write(f'{i} "{label}" {v:.1f}\n')
            with open(lines, "w") as f:
                for row in counts:
                    f.write(" ".join(f"{x:.1f}" for x in row) + "\n")
            script = f"""
set terminal pngcairo size 1400,560 font "sans,10"
set output "{png}"
set multiplot layout 1,2
set title "retparam: instructions per call (log scale)"
set style fill solid 0.8
set boxwidth 0.7
set logscale y
set xtics rotate by -45 font "sans,9"
set grid ytics
unset key
plot "{bars}" using 1:3:xtic(2) with boxes lc rgb "#3465a4", \\
     "{bars}" using 1:3:(sprintf("%d", $3)) with labels offset 0,1 font "sans,8"
set title "Counting processes: instructions vs extra sleeping processes (log scale)"
set xtics norotate font "sans,10"
set key top left
set xlabel "extra processes"
plot "{lines}" using 1:2 with linespoints title "kcall taskcount", \\
     "{lines}" using 1:3 with linespoints title "readdir(/proc)", \\
     "{lines}" using 1:4 with linespoints title "sysinfo()"
unset multiplot
"""
            subprocess.run(["gnuplot"], input=script, text=True, check=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--counted", required=True)
    ap.add_argument("--timed", required=True)
    ap.add_argument("--machine", required=True)
    ap.add_argument("--lib-cost")
    ap.add_argument("--doc")
    ap.add_argument("--plot")
    ap.add_argument("--analysis", help="markdown appended as the analysis of the run")
    a = ap.parse_args()
    context, counted = load(a.counted)
    _, timed = load(a.timed)
    lib_cost = {}
    if a.lib_cost and os.path.exists(a.lib_cost):
        with open(a.lib_cost) as f:
            lib_cost = json.load(f)
    with open(a.machine) as f:
        machine = f.read()
    r = Report(counted, timed, lib_cost)
    text = r.render(context, machine)
    if a.plot:
        r.plot(a.plot)
        text += f"\n![instructions per call and counting processes]({os.path.basename(a.plot)})\n"
    if a.analysis:
        with open(a.analysis) as f:
            text += "\n" + f.read()
    print(text)
    if a.doc:
        with open(a.doc, "w") as f:
            f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
