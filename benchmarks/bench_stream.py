"""CPU time, regions per second and peak memory of the streamed statistics (``--stream``).

Usage::

    .venv/bin/python benchmarks/bench_stream.py                      # the default workloads
    .venv/bin/python benchmarks/bench_stream.py 3-80-40-1 3-20x8-1   # ARCH or WIDTHxDEPTH shorthand

Each workload is a Xavier-uniform net (bias 0.01, seed 0, box 1), streamed serially by
:func:`exactpoly.complex.stream.stream_statistics` in a child process; printed: regions,
the child's user+sys CPU seconds (the machine is shared: CPU time, not wall time, is the
measure), regions per CPU second, peak RSS of the child (``wait4``'s ru_maxrss) and the
mean #facets. ``3-20x8-1`` stands for ``3-20-20-20-20-20-20-20-20-1``.
"""

from __future__ import annotations

import os
import subprocess
import sys

DEFAULT = ["3-80-40-1", "3-40x4-1", "3-20x5-1", "3-20x8-1", "3-160-1", "3-40x5-1"]

CHILD = """
import sys
from exactpoly.network import random_network
from exactpoly.complex.stream import stream_statistics
s = stream_statistics(random_network(sys.argv[1], "xavier_uniform", bias="0.01", seed=0), 1)
print(s.n_regions, s.facets_total)
"""


def expand(arch: str) -> str:
    """``3-20x8-1`` -> ``3-20-20-20-20-20-20-20-20-1``; other architectures unchanged."""
    parts = []
    for p in arch.split("-"):
        if "x" in p:
            w, k = p.split("x")
            parts += [w] * int(k)
        else:
            parts.append(p)
    return "-".join(parts)


def run(arch: str) -> tuple[int, int, float, int]:
    """(regions, facets, CPU seconds, peak RSS MiB) of one streamed workload, in a child process."""
    proc = subprocess.Popen([sys.executable, "-c", CHILD, expand(arch)], stdout=subprocess.PIPE, text=True)
    _pid, status, usage = os.wait4(proc.pid, 0)
    assert proc.stdout is not None
    out = proc.stdout.read().split()
    if status != 0 or len(out) != 2:
        raise SystemExit(f"{arch}: the child failed (status {status})")
    return int(out[0]), int(out[1]), usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024


def main(argv: list[str]) -> None:
    print("| workload | regions | CPU s | regions / CPU s | peak RSS MiB | mean #facets |")
    print("|---|---:|---:|---:|---:|---:|")
    for arch in argv or DEFAULT:
        regions, facets, cpu, rss = run(arch)
        print(f"| {arch} | {regions} | {cpu:.1f} | {regions / cpu:.0f} | {rss} | {facets / regions:.3f} |", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
