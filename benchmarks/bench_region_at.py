"""Timings of :func:`exactpoly.region_at` (CPU seconds, user + sys of this process).

    PYTHONPATH=$PWD .venv/bin/python benchmarks/bench_region_at.py [ARCH ...] [--box B] [--points K]

For each architecture (default: the table of docs/performance.md) a seeded random net
(xavier_uniform, bias 0.01) and K seeded random points in (-1, 1)^d with 1/64 steps;
prints per point #inequalities, #facets, exact fallbacks and CPU seconds, then the
distribution (min / median / max).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
from fractions import Fraction

from exactpoly import check_certificates, random_network, region_at


def cpu() -> float:
    t = os.times()
    return t.user + t.system


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("arch", nargs="*", default=["16-64-32-10", "64-256-128-64-10", "784-300-100-10"])
    p.add_argument("--box", default=None)
    p.add_argument("--points", type=int, default=3)
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args()
    for arch in a.arch:
        t0 = cpu()
        net = random_network(arch, seed=a.seed)
        print(f"{arch}: random network {cpu() - t0:.1f} s", flush=True)
        rng = random.Random(a.seed)
        times = []
        for k in range(a.points):
            x = [Fraction(rng.randint(-63, 63), 64) for _ in range(net.input_dim)]
            t0 = cpu()
            reg = region_at(net, x, box=a.box)
            t1 = cpu()
            ok = check_certificates(reg)
            t2 = cpu()
            times.append(t1 - t0)
            print(f"  point {k}: {reg.n_inequalities} inequalities, {reg.n_facets} facets, "
                  f"{reg.exact_fallbacks} exact fallbacks, region_at {t1 - t0:.2f} s, "
                  f"check {t2 - t1:.2f} s, certificates {'hold' if ok else 'FAIL'}", flush=True)
        print(f"  region_at CPU s: min {min(times):.2f}  median {statistics.median(times):.2f}  "
              f"max {max(times):.2f}", flush=True)


if __name__ == "__main__":
    main()
