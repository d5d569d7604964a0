"""Table I of arXiv 2305.09145, computed exactly, with a resumable cache.

Table I compares, for the one-hidden-layer architectures 3-7-1 ... 3-10-1, the
upper bound of Theorem 1, the maximum over 10 random (Xavier-uniform) networks of
the total number of d-simplices of a triangulation of all regions, and the lower
bound of Theorem 2. :func:`table1` recomputes it exactly and adds rows the paper
lacks: the paper's own enumeration (for reference), the number of regions and the
total number of facets of the maximising network, the seed attaining the maximum,
and the same maximum under the exact Delaunay triangulation.

Protocol (also printed under the table, :func:`table1_protocol`): for every
architecture and seed, ``random_network(arch, init, bias=bias, seed=seed)`` (float32
weights as PyTorch makes them, converted exactly); the region complex on
``box="auto"`` (every vertex of the R^d complex strictly inside, every region of R^d
meets the box, so the regions are those of R^d); its total number of d-simplices of
the canonical (lexicographic pulling) triangulation, summed over all regions; the
maximum over the seeds, the smallest seed attaining it, the regions and facets of
that seed's complex, and (separately) the maximum of the Delaunay totals. Bound rows
come from :data:`~exactpoly.theory.bounds.BOUNDS` (``theorem1_one_layer`` and
``theorem2_one_layer``) for one hidden layer and are empty otherwise; the lower
bound is printed as the integer part of the exact value, the paper's convention
(3-9-1: 333/2, printed 166).

Finished networks are appended to a JSON-lines cache (default
``$XDG_CACHE_HOME/exactpoly/table1.jsonl`` or ``~/.cache/exactpoly/table1.jsonl``),
keyed by a SHA-256 of everything that determines the counts — the exact network,
the box, the methods and the package version — so an interrupted run resumes where
it stopped and a finished one reprints instantly. A cached count is never printed
unchecked: a line that fails its integrity check or has the wrong fields is dropped
(:mod:`~exactpoly.experiments.cache`); a record of another network, a cached count above
the Theorem 1 row, or a maximum below the Theorem 2 row sends those networks back to be
computed without the cache, with a warning naming the cache file and its lines. A fresh
exact count beyond a bound row is printed (Theorem 1 fails for some degenerate networks,
docs/table1.md) with a warning naming the network.

Examples
--------
>>> rows = table1(["2-3-1"], seeds=[0, 1], cache=False)
>>> rows[0]["architecture"], rows[0]["upper_bound"], rows[0]["lower_bound"], rows[0]["enumeration"]
('2-3-1', 34, 6, 14)
>>> print(format_table1(rows, "csv"), end="")
architecture,upper_bound,enumeration,lower_bound,paper_enumeration,regions,facets_total,seed,enumeration_delaunay
2-3-1,34,14,6,,7,28,0,14
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Iterable, Sequence
from fractions import Fraction
from math import floor
from typing import Any

from ..errors import DomainError
from ..network import network_to_mapping, parse_architecture, random_network
from ..parallel import iter_completed
from .cache import cache_key, default_cache_dir, open_cache

__all__ = [
    "MAX_SEEDS",
    "PAPER_TABLE1",
    "TABLE1_ARCHITECTURES",
    "TABLE1_FORMATS",
    "TABLE1_KEYS",
    "default_cache_dir",
    "format_table1",
    "parse_seeds",
    "table1",
    "table1_net",
    "table1_protocol",
]

#: The architectures of Table I.
TABLE1_ARCHITECTURES = ("3-7-1", "3-8-1", "3-9-1", "3-10-1")
#: Table I as printed in the paper (arXiv 2305.09145).
PAPER_TABLE1 = {
    "3-7-1": {"upper_bound": 482, "enumeration": 446, "lower_bound": 77},
    "3-8-1": {"upper_bound": 686, "enumeration": 663, "lower_bound": 116},
    "3-9-1": {"upper_bound": 942, "enumeration": 893, "lower_bound": 166},
    "3-10-1": {"upper_bound": 1256, "enumeration": 1140, "lower_bound": 230},
}
#: Keys of every row of :func:`table1` (and of ``exactpoly table1 --format json``), in order.
TABLE1_KEYS = ("architecture", "upper_bound", "enumeration", "lower_bound", "paper_enumeration", "regions",
               "facets_total", "seed", "enumeration_delaunay")
TABLE1_FORMATS = ("markdown", "csv", "latex", "json")
_log = logging.getLogger(__name__)

_LABELS = {
    "upper_bound": "Upper bound (Theorem 1)",
    "enumeration": "Enumeration (exactpoly, lexicographic pulling, max over seeds)",
    "lower_bound": "Lower bound (Theorem 2)",
    "paper_enumeration": "Enumeration (paper)",
    "regions": "Regions (maximising seed)",
    "facets_total": "Facets, all regions (maximising seed)",
    "seed": "Seed attaining the maximum",
    "enumeration_delaunay": "Enumeration (exact Delaunay, max over seeds)",
}
_ROW_ORDER = ("upper_bound", "enumeration", "lower_bound", "paper_enumeration", "regions", "facets_total", "seed",
              "enumeration_delaunay")


MAX_SEEDS = 100_000
"""The most seeds one sweep takes (each seed is one exact complex)."""


def parse_seeds(text: str | Iterable[int]) -> list[int]:
    """Seeds from ``"0-9"``, ``"0,2,5"``, ``"0-4,7"`` (or an iterable of ints), sorted, unique.

    At most :data:`MAX_SEEDS` seeds (a larger range is refused before any list is built).

    >>> parse_seeds("0-3,7"), parse_seeds([2, 1, 2])
    ([0, 1, 2, 3, 7], [1, 2])
    """
    if not isinstance(text, str):
        seeds = []
        for s in text:
            if isinstance(s, bool) or not isinstance(s, int) or s < 0:
                raise DomainError(f"seeds: expected non-negative ints, got {s!r}")
            seeds.append(s)
    else:
        seeds = []
        for part in text.split(","):
            part = part.strip()
            lo, sep, hi = part.partition("-")
            if not lo.isdigit() or (sep and not hi.isdigit()):
                raise DomainError(f"seeds: expected e.g. '0-9' or '0,3,5', got {text!r}")
            a, b = int(lo), int(hi) if sep else int(lo)
            if b < a:
                raise DomainError(f"seeds: empty range {part!r} in {text!r}")
            if b - a + 1 + len(seeds) > MAX_SEEDS:
                raise DomainError(f"seeds: {text[:40]!r} asks for more than {MAX_SEEDS} networks")
            seeds.extend(range(a, b + 1))
    if not seeds:
        raise DomainError("seeds: at least one seed is needed")
    return sorted(set(seeds))


def _bounded(box: Fraction | None) -> Fraction:
    if box is None:
        raise DomainError("box: Table I needs a bounded domain (a positive rational or 'auto')")
    return box


def _box_spec(box: Any) -> str:
    if isinstance(box, str) and box.strip().lower() == "auto":
        return "auto"
    from ..complex import parse_box  # the same validation as region_complex
    from ..rational import format_fraction

    B = parse_box(box)
    if not isinstance(B, Fraction):
        raise DomainError("box: Table I needs a bounded domain (a positive rational or 'auto')")
    return format_fraction(B)


def _key(net_mapping: dict, box: str) -> str:
    return cache_key(net_mapping, box, methods=["lexicographic-pulling", "delaunay"])


_COUNTS = ("seed", "regions", "facets_total", "simplices", "simplices_delaunay")
_LABELS_OF_NET = ("architecture", "init", "bias", "box")


def _record_problem(result: dict) -> str | None:
    """What makes a stored :func:`table1_net` result unusable (None: nothing). O(1).

    >>> _record_problem({"seed": 0}), _record_problem({})
    ("'regions' missing or not a non-negative int", "'seed' missing or not a non-negative int")
    """
    for name in _COUNTS:
        value = result.get(name)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            return f"{name!r} missing or not a non-negative int"
    for name in _LABELS_OF_NET:
        if not isinstance(result.get(name), str):
            return f"{name!r} missing or not a string"
    return None


def _bound_rows(dims: Sequence[int]) -> tuple[int | Fraction | None, Fraction | None]:
    """Theorem 1's upper and Theorem 2's exact lower bound for one hidden layer, else (None, None)."""
    from ..theory.bounds import BOUNDS

    if len(dims) != 3:
        return None, None
    return (BOUNDS["theorem1_one_layer"].evaluate(d=dims[0], n=dims[1]),
            Fraction(BOUNDS["theorem2_one_layer"].evaluate(d=dims[0], n=dims[1])))


def _doubtful(arch: str, seeds: Sequence[int], results: Sequence[dict]) -> tuple[list[int], str]:
    """The seeds whose counts contradict a bound row of *arch* (positions in *seeds*), and why.

    >>> _doubtful("2-3-1", [0, 1], [{"simplices": 14}, {"simplices": 1014}])
    ([1], 'seed 1: 1014 simplices exceed the Theorem 1 upper bound 34')
    >>> _doubtful("2-3-1", [0, 1], [{"simplices": 5}, {"simplices": 4}])
    ([0, 1], 'the maximum 5 over the seeds is below the Theorem 2 lower bound 6')
    """
    upper, lower = _bound_rows(parse_architecture(arch))
    if upper is None or lower is None:
        return [], ""
    over = [i for i, r in enumerate(results) if r["simplices"] > upper]
    if over:
        return over, f"seed {seeds[over[0]]}: {results[over[0]]['simplices']} simplices exceed the Theorem 1 upper " \
            f"bound {upper}"
    best = max(r["simplices"] for r in results)
    if best < lower:
        return list(range(len(seeds))), f"the maximum {best} over the seeds is below the Theorem 2 lower bound {lower}"
    return [], ""


def table1_net(architecture: str, seed: int, init: str = "xavier_uniform", bias: Any = "0.01",
               box: Any = "auto") -> dict[str, Any]:
    """The Table I counts of one network (no cache).

    Returns
    -------
    dict
        ``architecture``, ``init``, ``bias`` (the float32 bias as an exact string),
        ``seed``, ``box`` (the B used), ``regions``, ``facets_total``, ``simplices``
        (canonical triangulation), ``simplices_delaunay``.

    >>> r = table1_net("2-3-1", 0)
    >>> r["box"], r["regions"], r["simplices"], r["simplices_delaunay"]
    ('1', 7, 14, 14)
    """
    from ..complex import region_complex
    from ..rational import format_fraction
    from ..theory.bounds import delaunay_count

    net = random_network(architecture, init, bias=bias, seed=seed)
    cx = region_complex(net, box=_box_spec(box))
    return {"architecture": net.architecture, "init": init, "bias": format_fraction(net.biases[0][0]),
            "seed": seed, "box": format_fraction(_bounded(cx.box)), "regions": cx.n_regions,
            "facets_total": cx.facets_total, "simplices": cx.simplices_total,
            "simplices_delaunay": sum(delaunay_count(r) for r in cx.regions)}


def _job(args: tuple) -> tuple[str, dict]:
    from ..complex import cyclic_gc_paused

    key, arch, seed, init, bias, box = args
    with cyclic_gc_paused():  # the counts make no reference cycles; the collector cost 15 %
        return key, table1_net(arch, seed, init, bias, box)


def table1(architectures: Sequence[str] = TABLE1_ARCHITECTURES, seeds: Iterable[int] | str = range(10),
           init: str = "xavier_uniform", bias: Any = "0.01", box: Any = "auto", *,
           cache: str | os.PathLike | bool | None = None, workers: int = 1,
           progress: Callable[[int, int, str, bool], None] | None = None) -> list[dict[str, Any]]:
    """Table I, exactly: one row per architecture with the keys :data:`TABLE1_KEYS`.

    Parameters
    ----------
    architectures : sequence of str
        Default :data:`TABLE1_ARCHITECTURES`.
    seeds : iterable of int or str
        Default 0..9 (``"0-9"`` style strings are read by :func:`parse_seeds`).
    init, bias : see :func:`~exactpoly.network.random_network`
    box : rational or "auto"
    cache : path, None or False
        Directory of the JSON-lines cache; None: :func:`default_cache_dir`;
        False: no cache.
    workers : int
        Processes computing networks in parallel (the result does not depend on it).
    progress : callable, optional
        Called as ``progress(done, total, label, cached)`` after each network.

    Returns
    -------
    list of dict
        In the order of *architectures*. ``upper_bound``/``lower_bound`` are ints
        (None for more than one hidden layer: the paper gives only asymptotic forms
        there), ``paper_enumeration`` is None for architectures not in the paper.

    Notes
    -----
    Cost: one region complex on ``box="auto"`` (two exact builds) and one exact
    Delaunay triangulation per region, for every network not in the cache; cached
    counts that contradict a bound row are computed again (module docstring).
    """
    archs = []
    for a in architectures:
        dims = parse_architecture(a)
        archs.append("-".join(map(str, dims)))
    if not archs:
        raise DomainError("architectures: at least one is needed")
    seed_list = parse_seeds(seeds if isinstance(seeds, str) else list(seeds))
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise DomainError(f"workers: expected a positive int, got {workers!r}")
    box_s = _box_spec(box)
    store = open_cache(cache, "table1.jsonl", _record_problem)
    jobs = []
    keys: dict[tuple[str, int], str] = {}
    for a in archs:
        for s in seed_list:
            net = random_network(a, init, bias=bias, seed=s)
            k = _key(network_to_mapping(net), box_s)
            keys[(a, s)] = k
            jobs.append((k, a, s, init, bias, box_s))
            rec = store.records.get(k)
            if rec is not None and (rec["architecture"], rec["seed"]) != (a, s):
                store.discard([k], f"the record of {rec['architecture']} seed {rec['seed']} under the key of {a} "
                                   f"seed {s}")
    total = len(jobs)
    done = 0
    todo = []
    for job in jobs:
        if job[0] in store.records:
            done += 1
            if progress is not None:
                progress(done, total, f"{job[1]} seed {job[2]}", True)
        else:
            todo.append(job)
    fresh = {job[0] for job in todo}

    def compute(todo: list[tuple]) -> None:
        nonlocal done
        # largest networks first, so that the last jobs to finish are small ones and no
        # worker idles long at the end (the table does not depend on the order)
        todo.sort(key=lambda job: -sum(parse_architecture(job[1])[1:-1]))
        for job, (k, res) in iter_completed(_job, todo, workers):
            store.put(k, res)  # finished networks are kept even if the sweep is interrupted
            done += 1
            if progress is not None:
                progress(done, total, f"{job[1]} seed {job[2]}", False)

    compute(todo)
    # a count from the cache that contradicts a bound row is computed again without it
    redo: dict[str, tuple] = {}
    for a in dict.fromkeys(archs):
        bad, why = _doubtful(a, seed_list, [store.records[keys[(a, s)]] for s in seed_list])
        cached = [k for k in (keys[(a, seed_list[i])] for i in bad)
                  if k not in fresh and store.records[k].get("confirmed") is not True]
        if cached:
            store.discard(cached, f"{a} {why}")
            done -= len(cached)
            redo.update((job[0], job) for job in jobs if job[0] in cached)
    compute(list(redo.values()))
    fresh |= set(redo)
    for a in dict.fromkeys(archs):
        bad, why = _doubtful(a, seed_list, [store.records[keys[(a, s)]] for s in seed_list])
        if bad:  # exact counts, computed without the cache: a finding about the bound, printed and said
            _log.warning(f"exactpoly: warning: {a} {why} (an exact count, checked without the cache; docs/table1.md "
                         "lists networks where the paper's bounds fail)")
        for k in (keys[(a, seed_list[i])] for i in bad):
            if k in fresh:  # marked, so that the next run takes it from the cache
                store.put(k, {**store.records[k], "confirmed": True})
    rows = []
    for a in archs:
        results = [store.records[keys[(a, s)]] for s in seed_list]
        best = max(results, key=lambda r: (r["simplices"], -r["seed"]))
        dims = parse_architecture(a)
        upper, exact_lower = _bound_rows(dims)
        lower = None if exact_lower is None else floor(exact_lower)
        paper = PAPER_TABLE1.get(a, {}).get("enumeration")
        rows.append({"architecture": a, "upper_bound": upper, "enumeration": best["simplices"],
                     "lower_bound": lower, "paper_enumeration": paper, "regions": best["regions"],
                     "facets_total": best["facets_total"], "seed": best["seed"],
                     "enumeration_delaunay": max(r["simplices_delaunay"] for r in results)})
    return rows


def table1_protocol(seeds: Iterable[int] | str = range(10), init: str = "xavier_uniform", bias: Any = "0.01",
                    box: Any = "auto") -> str:
    """The protocol stated under the table, as plain text (one paragraph).

    >>> table1_protocol()[:60]
    'Protocol: for every architecture and every seed in 0-9, rand'
    """
    seed_list = parse_seeds(seeds if isinstance(seeds, str) else list(seeds))
    runs = []
    start = prev = seed_list[0]
    for s in seed_list[1:] + [None]:
        if s is not None and s == prev + 1:
            prev = s
            continue
        runs.append(f"{start}-{prev}" if prev > start else f"{start}")
        if s is not None:
            start = prev = s
    box_s = _box_spec(box)
    dom = ("box='auto' (the smallest integer B such that every minimal face of the R^d complex meets the "
           "open box (-B, B)^d, e.g. every vertex strictly inside it, so the regions are those of R^d)"
           if box_s == "auto" else f"the box [-{box_s}, {box_s}]^d")
    return (f"Protocol: for every architecture and every seed in {','.join(runs)}, "
            f"random_network(arch, '{init}', bias={bias}, seed=seed) (numpy default_rng(seed), weights drawn "
            f"as in torch.nn.init and stored as float32, bias the float32 nearest to {bias}, all converted "
            f"exactly to rationals); the exact region complex on {dom}; the total number of d-simplices of "
            "the canonical (lexicographic pulling) triangulation summed over all regions. Enumeration = the "
            "maximum over the seeds; regions, facets and seed are those of the smallest seed attaining it; "
            "the Delaunay row is the maximum over the seeds of the exact Delaunay totals. Bounds: Theorem 1's "
            "and Theorem 2's one-hidden-layer formulas (exactpoly.theory.bounds), empty for deeper networks; the "
            "lower bound is printed as the integer part of the exact value, as in the paper (3-9-1: 333/2, "
            "printed 166). The paper's enumeration row is copied from it (its weights, box and triangulation "
            "are not published). Exact rational arithmetic throughout, no tolerance.")


def _cell(v: Any) -> str:
    return "" if v is None else str(v)


def format_table1(rows: Sequence[dict[str, Any]], fmt: str = "markdown", protocol: str | None = None) -> str:
    """Render rows of :func:`table1`.

    Parameters
    ----------
    rows : list of dict
    fmt : {"markdown", "csv", "latex", "json"}
        Markdown and LaTeX: the paper's layout (one column per architecture) with the
        protocol under the table; CSV: one line per architecture with the
        :data:`TABLE1_KEYS` as header (empty cell for None); JSON: the list of rows.
    protocol : str, optional
        Text under the Markdown/LaTeX table (default: :func:`table1_protocol`).

    Returns
    -------
    str
        Ends with a newline; deterministic.
    """
    if fmt not in TABLE1_FORMATS:
        raise DomainError(f"fmt: expected one of {', '.join(TABLE1_FORMATS)}, got {fmt!r}")
    if fmt == "json":
        return json.dumps([{k: r[k] for k in TABLE1_KEYS} for r in rows], indent=1) + "\n"
    if fmt == "csv":
        lines = [",".join(TABLE1_KEYS)]
        lines += [",".join(_cell(r[k]) for k in TABLE1_KEYS) for r in rows]
        return "\n".join(lines) + "\n"
    text = protocol if protocol is not None else table1_protocol()
    archs = [r["architecture"] for r in rows]
    if fmt == "markdown":
        out = ["| | " + " | ".join(archs) + " |", "|---|" + "---:|" * len(archs)]
        for k in _ROW_ORDER:
            out.append(f"| {_LABELS[k]} | " + " | ".join(_cell(r[k]) if r[k] is not None else "—" for r in rows)
                       + " |")
        return "\n".join(out) + "\n\n" + text + "\n"
    special = {"\\": "\\textbackslash{}", "_": "\\_", "&": "\\&", "%": "\\%", "#": "\\#", "^": "\\^{}",
               "~": "\\~{}", "{": "\\{", "}": "\\}", "$": "\\$"}

    def esc(text: str) -> str:
        return "".join(special.get(ch, ch) for ch in text)

    caption = ("\\caption{Exact \\#simplices of ReLU networks against the bounds of Theorems 1 and 2 "
               "(Table I of arXiv 2305.09145).}")
    out = ["\\begin{table}[t]", "\\centering", caption,
           "\\begin{tabular}{l" + "r" * len(archs) + "}", "\\hline",
           " & " + " & ".join(archs) + " \\\\", "\\hline"]
    for k in _ROW_ORDER:
        out.append(esc(_LABELS[k]) + " & " + " & ".join(_cell(r[k]) if r[k] is not None else "--" for r in rows)
                   + " \\\\")
    out += ["\\hline", "\\end{tabular}", "", "\\smallskip", "{\\footnotesize " + esc(text) + "}", "\\end{table}"]
    return "\n".join(out) + "\n"
