"""Exact tables of docs/exponential-regions.md: 2^L by construction vs random init, and
functional dimension vs sample size.

Usage::

    .venv/bin/python benchmarks/exponential_table.py                 # print Markdown
    .venv/bin/python benchmarks/exponential_table.py --max-depth 8 --seeds 3
    .venv/bin/python benchmarks/exponential_table.py --out tables.md  # written atomically

Table 1, for depth L = 1..max-depth, all on the box [-1, 1] (the compositional and
sawtooth nets map it onto [0, 1], see exactpoly.theory.compositional):

* ``compositional_network([1/2] * L)`` (Yarotsky's peaks, differentiable scalings) and
  ``compositional_network(mixed peaks)`` (1/3, 2/5, 3/4, 1/7, 5/8, 1/2 repeated):
  activation regions and linear pieces of the output, and the seconds for the complex
  plus the pieces of the mixed net;
* ``sawtooth_network(L)`` (Telgarsky): regions / pieces;
* ``random_network("1-4-...-4-1", "xavier_uniform", bias=0.01, seed=s)`` for
  s = 0..seeds-1: "regions/pieces" per seed.

Table 2: ``functional_dimension`` of three nets on the first n points of
``random_samples(d, 80, seed=0)``, with the number of distinct activation patterns
met by those points, and the bound #parameters - #hidden neurons.

Every number is exact; the script is deterministic (only the seconds vary).
"""

from __future__ import annotations

import argparse
import sys
import time
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from exactpoly.complex import region_complex
from exactpoly.io.atomic import atomic_write_text
from exactpoly.network import random_network
from exactpoly.theory.compositional import compositional_network, sawtooth_network
from exactpoly.theory.fdim import fdim_summary, n_parameters, random_samples
from exactpoly.theory.pieces import n_linear_pieces

F = Fraction
MIXED = [F(1, 3), F(2, 5), F(3, 4), F(1, 7), F(5, 8), F(1, 2)]
SIZES = [1, 2, 4, 8, 12, 16, 20, 24, 32, 40, 60, 80]


def counts(net):
    cx = region_complex(net, box=1)
    return cx.n_regions, n_linear_pieces(cx)


def pair(c: tuple[int, int]) -> str:
    return f"{c[0]} / {c[1]}"


def depth_table(max_depth: int, seeds: int) -> str:
    head = ["L", "2^L", "compositional 1/2: regions / pieces", "compositional mixed: regions / pieces",
            "seconds (mixed)", "sawtooth: regions / pieces",
            *[f"Xavier seed {s}: regions / pieces" for s in range(seeds)], "Xavier best pieces"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for L in range(1, max_depth + 1):
        half = counts(compositional_network([F(1, 2)] * L))
        t0 = time.perf_counter()
        mixed = counts(compositional_network([MIXED[i % len(MIXED)] for i in range(L)]))
        dt = time.perf_counter() - t0
        saw = counts(sawtooth_network(L))
        arch = "-".join(["1", *["4"] * L, "1"])
        rnd = [counts(random_network(arch, "xavier_uniform", bias=0.01, seed=s)) for s in range(seeds)]
        row = [L, 2 ** L, pair(half), pair(mixed), f"{dt:.2f}", pair(saw),
               *[pair(c) for c in rnd], max(p for _, p in rnd)]
        lines.append("| " + " | ".join(map(str, row)) + " |")
    return "\n".join(lines)


def fdim_table() -> str:
    nets = [("3-7-1 Xavier seed 0", random_network("3-7-1", seed=0)),
            ("2-5-5-1 Xavier seed 0", random_network("2-5-5-1", seed=0)),
            ("compositional 1/3, 1/2, 3/4 (1-4-4-4-1)",
             compositional_network([F(1, 3), F(1, 2), F(3, 4)]))]
    head = ["\\|X\\|", *[f"{name}: fdim / patterns" for name, _ in nets]]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    samples = {name: random_samples(net.input_dim, SIZES[-1], seed=0) for name, net in nets}
    for n in SIZES:
        cells = []
        for name, net in nets:
            s = fdim_summary(net, samples[name][:n])
            cells.append(f"{s['functional_dimension']} / {s['activation_patterns']}")
        lines.append("| " + " | ".join([str(n), *cells]) + " |")
    bound = [str(n_parameters(net) - net.n_hidden_neurons) for _, net in nets]
    lines.append("| #params − #hidden | " + " | ".join(bound) + " |")
    return "\n".join(lines)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--max-depth", type=int, default=12)
    p.add_argument("--seeds", type=int, default=5)
    p.add_argument("--out", help="write the Markdown here (atomically) instead of stdout")
    args = p.parse_args(argv)
    text = (depth_table(args.max_depth, args.seeds) + "\n\n" + fdim_table() + "\n")
    if args.out:
        atomic_write_text(args.out, text)
    else:
        print(text, end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
