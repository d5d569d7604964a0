"""Time ``exactpoly`` as a whole process on the workloads of the "speed and scale" issue.

Usage::

    .venv/bin/python benchmarks/bench_regions.py                     # every workload, 1 run each
    .venv/bin/python benchmarks/bench_regions.py --repeat 5          # median of 5 runs
    .venv/bin/python benchmarks/bench_regions.py 3-10-1:auto 3-40-20-1 --workers 1
    .venv/bin/python benchmarks/bench_regions.py 3-40-1:rd 3-40-1:auto --workers 1
    .venv/bin/python benchmarks/bench_regions.py --plot docs/img/performance.png --json bench.json

A workload ``ARCH[:BOX]`` (or a group name of ``GROUPS``, e.g. ``dims4-8``) is a Xavier-uniform
net (bias 0.01, seed 0) made by ``exactpoly random``; the timed command is ``exactpoly regions NET --box BOX --json``
(``ARCH:rd``: ``--unbounded``, all of R^d)
(the full complex: facets, vertices, adjacency, canonical simplices and volumes, all
summed in the JSON summary). The workload ``table1`` times ``exactpoly table1
--no-cache`` (4 architectures x 10 seeds, box auto). Prints a Markdown table:
regions, median wall seconds, seconds per region, seconds per (region x facet),
peak RSS of the child (``wait4``'s ru_maxrss).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

DEFAULT = ["3-10-1:auto", "3-7-1:1", "3-10-1:1", "3-20-10-1:1", "3-40-20-1:1", "3-80-40-1:1",
           "3-40-40-40-40-1:1", "table1"]
GROUPS = {
    # input dimension 4 to 8 (issue 17 §2): every summary field, box 1
    "dims4-8": ["4-20-10-1:1", "5-15-10-1:1", "6-12-8-1:1", "7-10-1:1", "8-8-1:1"],
}
"""Named groups of workloads: ``bench_regions.py dims4-8`` runs the group's workloads."""


def exactpoly_cmd() -> list[str]:
    exe = Path(sys.executable).with_name("exactpoly")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "exactpoly"]


def plot_rows(rows: list[dict], path: str) -> None:
    """Seconds vs regions, log-log, one labelled point per workload (matplotlib, Agg)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    pts = [(r["regions"], r["seconds"], r["workload"]) for r in rows if r["regions"]]
    fig, ax = plt.subplots(figsize=(6, 4), dpi=100)
    ax.loglog([p[0] for p in pts], [p[1] for p in pts], "o")
    for x, y, lab in pts:
        ax.annotate(lab.split(",")[0], (x, y), textcoords="offset points", xytext=(4, -10), fontsize=7)
    ax.set_xlabel("regions")
    ax.set_ylabel("wall seconds (whole process)")
    ax.set_title("exactpoly regions: time vs size (2 cores)")
    ax.grid(True, which="both", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("workloads", nargs="*", default=DEFAULT)
    ap.add_argument("--repeat", type=int, default=1, help="runs per workload (median reported)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--workers", type=int, default=None, help="passed to exactpoly (default: its own)")
    ap.add_argument("--json", metavar="FILE", help="also write the rows as JSON")
    ap.add_argument("--plot", metavar="PNG", help="seconds vs regions, log-log (matplotlib)")
    ap.add_argument("--replot", metavar="JSON", help="only draw --plot from rows saved earlier with --json")
    args = ap.parse_args(argv)
    if args.replot:
        plot_rows(json.loads(Path(args.replot).read_text()), args.plot or "performance.png")
        return 0
    base = exactpoly_cmd()
    extra = ["--workers", str(args.workers)] if args.workers else []
    rows = []
    workloads = [w for wl in args.workloads for w in GROUPS.get(wl, [wl])]
    print("| workload | regions | facets | seconds (median) | s / region | s / (region x facet) | peak RSS MiB "
          "| user+sys s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for wl in workloads:
            if wl == "table1":
                cmd = [*base, "table1", "--no-cache", "--no-progress", "--format", "json", *extra]
                label = "table1 (4 archs x 10 seeds, box auto)"
            else:
                arch, _, box = wl.partition(":")
                box = box or "1"
                net = os.path.join(tmp, f"{arch}.json")
                subprocess.run([*base, "random", "--arch", arch, "--init", "xavier_uniform", "--bias", "0.01",
                                "--seed", str(args.seed), "-o", net], check=True)
                domain = ["--unbounded"] if box == "rd" else ["--box", box]
                cmd = [*base, "regions", net, *domain, "--json", "--no-progress", *extra]
                label = f"{arch}, R^d" if box == "rd" else f"{arch}, box {box}"
            times, cpus, rss, out = [], [], 0, ""
            for _ in range(args.repeat):
                # a fresh interpreter per run keeps RUSAGE_CHILDREN's peak per workload
                probe = [sys.executable, "-c",
                         "import json, resource, subprocess, sys, time; t = time.perf_counter(); "
                         "p = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
                         "dt = time.perf_counter() - t; "
                         "u = resource.getrusage(resource.RUSAGE_CHILDREN); "
                         "print(json.dumps([p.returncode, dt, u.ru_maxrss, p.stdout, p.stderr,"
                         " u.ru_utime + u.ru_stime]))", *cmd]
                rc, dt, r, out, err, cpu = json.loads(subprocess.run(probe, capture_output=True, text=True,
                                                                check=True).stdout)
                if rc != 0:
                    raise SystemExit(f"{' '.join(cmd)} failed:\n{err}")
                times.append(dt)
                cpus.append(cpu)
                rss = max(rss, r)
            med = statistics.median(times)
            if wl == "table1":
                n = f = None
            else:
                s = json.loads(out)
                n, f = s["regions"], s["facets_total"]
            cpu = statistics.median(cpus)
            row = {"workload": label, "regions": n, "facets": f, "seconds": med, "peak_rss_mib": rss / 1024,
                   "cpu_seconds": cpu}
            rows.append(row)
            per_r = f"{med / n:.2e}" if n else "-"
            per_rf = f"{med / f:.2e}" if f else "-"
            print(f"| {label} | {n if n is not None else '-'} | {f if f is not None else '-'} | {med:.2f} | "
                  f"{per_r} | {per_rf} | {rss / 1024:.0f} | {cpu:.2f} |", flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1) + "\n")
    if args.plot:
        plot_rows(rows, args.plot)
    return 0


if __name__ == "__main__":
    sys.exit(main())
