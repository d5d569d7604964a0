"""Timings of :func:`exactpoly.region_at` (CPU seconds, user + sys of this process).

    PYTHONPATH=$PWD .venv/bin/python benchmarks/bench_region_at.py [ARCH ...] [--box B] [--points K]
    PYTHONPATH=$PWD .venv/bin/python benchmarks/bench_region_at.py --cnn lenet5 [--points K]

For each architecture (default: the table of docs/performance.md) a seeded random net
(xavier_uniform, bias 0.01) and K seeded random points in (-1, 1)^d with 1/64 steps;
with ``--cnn NAME`` instead the CNN of :func:`exactpoly.experiments.cnn_facets.cnn_model`
moved to ``[-1, 1]^d`` and its K uniform points in box 1 (the protocol of
``exactpoly cnn-facets``; needs PyTorch). Prints per point #inequalities, #facets, exact
fallbacks, CPU seconds and the CPU seconds and counts of each phase of the classification
(``point_region._STATS``), then the distribution (min / median / max).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
from collections.abc import Iterator
from fractions import Fraction
from typing import Any

from exactpoly import check_certificates, random_network, region_at
from exactpoly.complex import point_region


def cpu() -> float:
    t = os.times()
    return t.user + t.system


def cases(a: argparse.Namespace) -> Iterator[tuple[str, Any, Any, list[list[Fraction]]]]:
    """(label, network, box, points) per benchmarked net."""
    if a.cnn:
        from exactpoly.experiments.cnn_facets import cnn_model, unit_cube_network
        from exactpoly.experiments.sampling import uniform_samples
        from exactpoly.io.torch_import import network_from_torch

        for name in a.cnn:
            t0 = cpu()
            model, shape, _ = cnn_model(name, seed=a.seed)
            net = unit_cube_network(network_from_torch(model, input_shape=shape))
            print(f"{name} {net.architecture}: network {cpu() - t0:.1f} s", flush=True)
            pts = uniform_samples(net.input_dim, a.skip + a.points, seed=a.seed, box=1)[a.skip:]
            yield name, net, 1, [list(y) for y in pts]
        return
    for arch in a.arch:
        t0 = cpu()
        net = random_network(arch, seed=a.seed)
        print(f"{arch}: random network {cpu() - t0:.1f} s", flush=True)
        rng = random.Random(a.seed)
        yield arch, net, a.box, [[Fraction(rng.randint(-63, 63), 64) for _ in range(net.input_dim)]
                                 for _ in range(a.points)]


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("arch", nargs="*", default=["16-64-32-10", "64-256-128-64-10", "784-300-100-10"])
    p.add_argument("--box", default=None)
    p.add_argument("--points", type=int, default=3)
    p.add_argument("--skip", type=int, default=0, help="with --cnn: start at this sample point")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--cnn", action="append", help="a cnn_model name (repeatable) instead of random nets")
    a = p.parse_args()
    for _label, net, box, points in cases(a):
        times = []
        for k, x in enumerate(points):
            point_region._STATS = stats = []
            t0 = cpu()
            reg = region_at(net, x, box=box)
            t1 = cpu()
            point_region._STATS = None
            ok = check_certificates(reg)
            t2 = cpu()
            times.append(t1 - t0)
            print(f"  point {a.skip + k if a.cnn else k}: {reg.n_inequalities} inequalities, {reg.n_facets} facets, "
                  f"{reg.exact_fallbacks} exact fallbacks, region_at {t1 - t0:.2f} s, "
                  f"check {t2 - t1:.2f} s, certificates {'hold' if ok else 'FAIL'}", flush=True)
            print("    phases (CPU s, count): forward+rows " f"{t1 - t0 - sum(s for _, s, _ in stats):.2f}, "
                  + ", ".join(f"{name} {s:.2f} ({n})" for name, s, n in stats), flush=True)
        print(f"  region_at CPU s: min {min(times):.2f}  median {statistics.median(times):.2f}  "
              f"max {max(times):.2f}", flush=True)


if __name__ == "__main__":
    main()
