"""Time ``exactpoly regions`` as a whole process on the reference workloads.

Usage::

    .venv/bin/python benchmarks/bench_regions.py                  # all workloads, 1 run each
    .venv/bin/python benchmarks/bench_regions.py --repeat 5 3-7-1 3-10-1
    .venv/bin/python benchmarks/bench_regions.py --box auto 3-10-1

Each workload is a Xavier-uniform net (bias 0.01, seed 0) made by ``exactpoly random``;
the timed command is ``exactpoly regions NET --box B --json`` (full complex: facets,
vertices, adjacency, canonical simplices). Prints a Markdown table: regions, median
wall seconds, seconds per region, seconds per (region x facet), peak RSS of the child.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT = ["3-7-1", "3-10-1", "3-20-10-1", "3-40-20-1"]


def exactpoly_cmd() -> list[str]:
    exe = Path(sys.executable).with_name("exactpoly")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "exactpoly"]


def run_once(cmd: list[str]) -> tuple[float, dict, int]:
    """Wall time, parsed JSON summary, peak RSS (KiB) of one child process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _pid, status, usage = os.wait4(proc.pid, 0)
    dt = time.perf_counter() - t0
    out = proc.stdout.read()
    err = proc.stderr.read()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{err}")
    return dt, json.loads(out), usage.ru_maxrss


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("archs", nargs="*", default=DEFAULT)
    ap.add_argument("--repeat", type=int, default=1, help="runs per workload (median reported)")
    ap.add_argument("--box", default="1")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    base = exactpoly_cmd()
    print("| workload | regions | facets | seconds (median) | s / region | s / (region x facet) | peak RSS MiB |")
    print("|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for arch in args.archs:
            net = os.path.join(tmp, f"{arch}.json")
            subprocess.run([*base, "random", "--arch", arch, "--init", "xavier_uniform", "--bias", "0.01",
                            "--seed", str(args.seed), "-o", net], check=True)
            cmd = [*base, "regions", net, "--box", args.box, "--json", "--no-progress"]
            times, rss = [], 0
            for _ in range(args.repeat):
                dt, s, r = run_once(cmd)
                times.append(dt)
                rss = max(rss, r)
            med = statistics.median(times)
            n, f = s["regions"], s["facets_total"]
            print(f"| {arch}, box {s['domain'].get('box')} | {n} | {f} | {med:.2f} | {med / n:.2e} | "
                  f"{med / f:.2e} | {rss / 1024:.0f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
