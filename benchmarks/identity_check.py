"""Byte-identity guard for refactors: sha256 of ``complex_to_mapping`` (and the JSON summary)
on a fixed grid of networks x domains x worker counts, through the top-level API only, so that
the same script runs on any layout of the package.

Usage::

    .venv/bin/python benchmarks/identity_check.py > before.txt      # on the old build
    .venv/bin/python benchmarks/identity_check.py > after.txt       # on the new build
    diff before.txt after.txt                                       # must print nothing

Each line is ``NET DOMAIN workers=W SHA256``; the last line counts the combinations.
The grid: the shared degenerate 2-D examples and hand-made degenerate nets (dead neurons,
coincident and parallel hyperplanes, a hyperplane through a box corner, rank-deficient first
layers whose regions contain lines), and seeded random nets of 1-4 hidden layers in d = 1..4,
each on boxes 1 and 3/2, box "auto" and R^d, serially and with 2 workers. A combination that
raises records the exception's type and message instead of a hash, so a change in the errors
shows too.
"""

from __future__ import annotations

import hashlib
import json
import sys

import exactpoly as ep

DEGENERATE = {
    "square_cross": (2, [([[1, 0], [0, 1], [1, 0]], [0, 0, 0]), ([[1, 1, 1]], [0])]),
    "concurrent": (2, [([[1, 0], [0, 1], [1, 1], [1, -1]], [0, 0, 0, 0]), ([[1, 1, 1, 1]], [0])]),
    "parallel": (2, [([[1, 0], [2, 0], [1, 0]], [0, "1/2", "-1/3"]), ([[1, 1, 1]], [0])]),
    "dead_deep": (2, [([[1, 0], [0, 1]], [0, 0]), ([[0, 0], [1, -1], [1, 1]], [0, 0, "-1"]), ([[1, 1, 1]], [0])]),
    "corner": (2, [([[1, 1], [1, -1]], [2, 0]), ([[1, 1]], [0])]),
    "rank1_line": (2, [([[1, 0]], [0]), ([[1]], [0])]),
    "rank1_bias": (2, [([[1, 0], [2, 0]], [5, 1]), ([[1, -1]], [0])]),
    "rank2_in_3d": (3, [([[1, 0, 0], [0, 1, 0], [1, 1, 0]], [0, "1/3", 0]), ([[1, 1, 1]], [0])]),
    "later_through_facet": (2, [([[1, 0], [0, 1]], [0, 0]), ([[1, 0], [1, 1]], [0, 0]), ([[1, 1]], [0])]),
    "one_d": (1, [([[1], [-1], [2]], [0, 0, "1/2"]), ([[1, 1, 0], [1, -1, 1]], [0, "1/4"]), ([[1, 1]], [0])]),
}
RANDOM = [("2-3-1", 0), ("2-5-1", 1), ("2-4-3-1", 0), ("2-3-3-3-1", 2), ("3-5-1", 0), ("3-7-1", 0),
          ("3-4-3-1", 1), ("1-4-3-1", 0), ("4-5-1", 0), ("3-3-3-3-3-1", 0)]
DOMAINS = [("box1", 1), ("box3/2", "3/2"), ("auto", "auto"), ("Rd", None)]
WORKERS = [1, 2]


def nets():
    for name, (d, layers) in DEGENERATE.items():
        yield name, ep.network_from_layers(d, layers)
    for arch, seed in RANDOM:
        for bias in (0, 0.1):
            yield f"{arch}:s{seed}:b{bias}", ep.random_network(arch, bias=bias, seed=seed)


def digest(net, box, workers) -> str:
    try:
        cx = ep.region_complex(net, box=box, workers=workers)
    except Exception as e:  # noqa: BLE001 - the error itself is part of the identity
        return f"{type(e).__name__}: {e}"
    blob = json.dumps([ep.complex_to_mapping(cx), ep.summary(cx)], sort_keys=True).encode()
    return hashlib.sha256(blob).hexdigest()


def main() -> int:
    n = 0
    for name, net in nets():
        for dname, box in DOMAINS:
            for w in WORKERS:
                print(f"{name} {dname} workers={w} {digest(net, box, w)}", flush=True)
                n += 1
    print(f"{n} combinations")
    return 0


if __name__ == "__main__":
    sys.exit(main())
