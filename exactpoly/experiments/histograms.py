"""Face histograms (Figs. 4–6 of arXiv 2305.09145) and sweeps over width, depth and bias, exactly.

Section V.A of the paper draws, for random networks at initialisation, the histogram
of the number of faces (facets, docs/conventions.md) of the activation regions in
``[-1, 1]^3``, and marks a region *simple* by Preliminary 3: "The maximum #faces a
polytope has is the total number of neurons (Γ) of a network. Unofficially, we
define the simplicity threshold as Γ/2. If a polytope has #faces smaller than Γ/2,
it is deemed simple; otherwise, it is complicated." Γ counts the hidden neurons
(3-80-40-1: "the theoretically most complicated polytope, which is 120"). Here a
region is simple iff ``#facets < Γ/2`` (strictly, as in the paper); facets include
the box walls (docs/conventions.md), which the paper's Γ does not count.

The paper finds the regions by sampling 8000 points and collecting distinct
activation patterns (see :mod:`exactpoly.experiments.sampling` for what that misses); here every
region is enumerated exactly by :func:`~exactpoly.complex.region_complex`.

* :func:`face_histograms` — one :class:`FacetHistogram` per (architecture, init),
  pooled over the seeds ("each experiment is repeated five times").
* :func:`sweep` — the same over widths, depths (hidden layers) or biases, with a
  per-network budget (regions and/or seconds): a network over budget is skipped,
  with a note, instead of running for hours.
* :func:`format_histograms`, :func:`format_sweep` — Markdown, CSV, LaTeX, JSON.

Finished networks are cached in ``histograms.jsonl`` next to Table I's cache
(:func:`~exactpoly.experiments.tables.default_cache_dir`), keyed by a SHA-256 of the exact network
and the box, so an interrupted run resumes where it stopped.

Examples
--------
>>> [h] = face_histograms(["2-4-1"], ["xavier_uniform"], seeds=[0, 1], cache=False)
>>> h.regions_per_seed, h.histogram, h.mean_facets, h.threshold, h.n_simple
((11, 11), ((3, 7), (4, 10), (5, 4), (7, 1)), Fraction(4, 1), Fraction(2, 1), 0)
"""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from math import comb
from typing import Any

from ..errors import DomainError
from ..network import INITIALISERS, network_to_mapping, parse_architecture, random_network
from ..parallel import iter_completed
from ..rational import format_fraction, to_fraction
from .cache import cache_key
from .stats import FacetStatistics, complex_histogram, decimal_string

__all__ = [
    "FacetHistogram",
    "SweepRow",
    "HISTOGRAM_FORMATS",
    "SWEEP_DEFAULTS",
    "complex_histogram",
    "decimal_string",
    "face_histograms",
    "format_histograms",
    "format_sweep",
    "histogram_net",
    "parse_inits",
    "sweep",
    "sweep_architecture",
]

HISTOGRAM_FORMATS = ("markdown", "csv", "latex", "json")
#: Default values of each sweep (Section V.A): widths, depths (hidden layers), biases.
SWEEP_DEFAULTS = {"width": (20, 40, 80, 160), "depth": (2, 5, 8), "bias": ("0", "0.01", "0.05", "0.1")}
_CACHE_NAME = "histograms.jsonl"


@dataclass(frozen=True)
class FacetHistogram(FacetStatistics):
    """Exact facet histogram of the regions of one architecture and initialiser, pooled over seeds.

    Attributes
    ----------
    architecture, init : str
    bias, box : Fraction
        The float32 bias (exactly) and the box half-width B.
    seeds : tuple of int
    regions_per_seed : tuple of int
    histogram : tuple of (int, int)
        ``(k, number of regions with k facets)`` summed over the seeds, k increasing.
    n_neurons : int
        Γ, the number of hidden neurons.

    ``n_regions``, ``facets_total``, ``mean_facets``, ``max_facets``, ``threshold`` (Γ/2),
    ``n_simple`` and ``simple_share`` are exact, pooled over the seeds
    (:class:`~exactpoly.experiments.stats.FacetStatistics`).
    """

    architecture: str
    init: str
    bias: Fraction
    box: Fraction
    seeds: tuple[int, ...]
    regions_per_seed: tuple[int, ...]
    histogram: tuple[tuple[int, int], ...]
    n_neurons: int

    @property
    def n_regions(self) -> int:
        """Regions over all seeds."""
        return sum(c for _, c in self.histogram)

    def to_mapping(self) -> dict[str, Any]:
        """JSON-ready dict: exact rationals as ``"p/q"`` strings, decimals beside them."""
        return {"architecture": self.architecture, "init": self.init, "bias": format_fraction(self.bias),
                "box": format_fraction(self.box), "seeds": list(self.seeds),
                "regions_per_seed": list(self.regions_per_seed), **self.statistics_mapping()}


def parse_inits(inits: str | Iterable[str]) -> list[str]:
    """Initialisers from ``"xavier_uniform,orthogonal"`` or a list (order kept, duplicates dropped).

    ``"kaiming"`` is read as ``"kaiming_normal"``.

    >>> parse_inits(["xavier_uniform,kaiming", "xavier_uniform"])
    ['xavier_uniform', 'kaiming_normal']
    """
    items = [inits] if isinstance(inits, str) else list(inits)
    out: list[str] = []
    for item in items:
        if not isinstance(item, str):
            raise DomainError(f"inits: expected initialiser names, got {item!r}")
        for name in item.split(","):
            name = name.strip()
            name = "kaiming_normal" if name == "kaiming" else name
            if name not in INITIALISERS:
                raise DomainError(f"inits: expected names among {', '.join(INITIALISERS)} (or 'kaiming'), "
                                  f"got {name!r}")
            if name not in out:
                out.append(name)
    if not out:
        raise DomainError("inits: at least one initialiser is needed")
    return out


def _box_value(box: Any) -> Fraction:
    from ..complex.build import parse_fixed_box  # the same validation as region_complex

    return parse_fixed_box(box, "face histograms need")


def _check_limit(value: Any, name: str, kind: type) -> Any:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float) if kind is float else int) or value <= 0:
        raise DomainError(f"{name}: expected a positive {kind.__name__} or None, got {value!r}")
    return value


class _OverBudget(Exception):
    pass


def _layer1_skip(net, base: dict, max_regions: int | None, max_seconds: float | None) -> dict | None:
    """The first layer splits one parent (the box) in one uninterruptible step: refuse it up front
    when Zaslavsky's bound for its hyperplanes allows more than *max_regions* regions."""
    if max_regions is None:
        return None
    bound = sum(comb(len(net.weights[0]), i) for i in range(net.input_dim + 1))
    if bound <= max_regions:
        return None
    return {**base, "status": "skipped",
            "reason": f"more than {max_regions} regions possible in layer 1 (up to {bound}); not built",
            "layer": 1, "regions_reached": None, "max_regions": max_regions, "max_seconds": max_seconds,
            "seconds": 0.0}


def histogram_net(architecture: str, init: str = "xavier_uniform", seed: int = 0, bias: Any = "0.01",
                  box: Any = 1, *, max_regions: int | None = None,
                  max_seconds: float | None = None, stream: bool = False, scheduler: str | None = None,
                  regions_jsonl: str | os.PathLike | None = None, stream_workers: int = 1) -> dict[str, Any]:
    """The facet histogram of one random network (no cache), or a note that it is over budget.

    Parameters
    ----------
    architecture, init, seed, bias
        As in :func:`~exactpoly.network.random_network`.
    box : rational
        B of the box ``[-B, B]^d``.
    max_regions : int, optional
        Give up as soon as some layer has more regions (regions only grow layer by layer).
        The first layer is one uninterruptible split of the box, so it is not even started
        when Zaslavsky's bound ``sum_{i<=d} C(n_1, i)`` exceeds *max_regions* (such a
        network may in fact have fewer regions in the box: the note says "possible").
    max_seconds : float, optional
        Give up after this much wall-clock time (then the result depends on the machine),
        checked after each parent region is split.
    stream : bool
        Stream the regions (:func:`~exactpoly.complex.stream.stream_statistics`): memory
        bounded by one path of frontiers instead of the whole complex, the same histogram.
        Budgets are then checked on the final regions counted so far, after each piece of
        the first layer (a skip names the last layer).
    scheduler : str, optional
        With *stream*: the Dask scheduler (``tcp://HOST:PORT``) whose workers stream the pieces.
    regions_jsonl : path, optional
        With *stream*: also write every region to this directory as JSON lines
        (:func:`~exactpoly.io.stream.write_regions_jsonl`).
    stream_workers : int
        With *stream* and no *scheduler*: local processes that share this one network's
        pieces (the histogram is the same for any number).

    Returns
    -------
    dict
        ``status`` ``"done"`` with ``regions``, ``facet_histogram`` (``{"k": count}``)
        and ``seconds``; or ``status`` ``"skipped"`` with ``reason``, ``layer`` and
        ``regions_reached`` (regions found so far in that layer). Always
        ``architecture``, ``init``, ``bias``, ``seed``, ``box``.

    Notes
    -----
    One exact region complex (:func:`~exactpoly.complex.region_complex`), serial.

    Examples
    --------
    >>> r = histogram_net("2-4-1", seed=0)
    >>> r["status"], r["regions"], r["facet_histogram"]
    ('done', 11, {'3': 4, '4': 5, '5': 1, '7': 1})
    >>> histogram_net("2-4-1", seed=0, max_regions=5)["reason"]
    'more than 5 regions possible in layer 1 (up to 11); not built'
    >>> histogram_net("2-2-4-1", seed=0, max_regions=5)["reason"]
    'more than 5 regions'
    """
    from ..complex import region_complex

    max_regions = _check_limit(max_regions, "max_regions", int)
    max_seconds = _check_limit(max_seconds, "max_seconds", float)
    B = _box_value(box)
    net = random_network(architecture, init, bias=bias, seed=seed)
    base = {"architecture": net.architecture, "init": "kaiming_normal" if init == "kaiming" else init,
            "bias": format_fraction(net.biases[0][0]), "seed": seed, "box": format_fraction(B)}
    t0 = time.perf_counter()
    pre = _layer1_skip(net, base, max_regions, max_seconds)
    if pre is not None:
        return pre

    def guard(layer: int, done: int, total: int, regions: int) -> None:
        if max_regions is not None and regions > max_regions:
            raise _OverBudget(f"more than {max_regions} regions", layer, regions)
        if max_seconds is not None and time.perf_counter() - t0 > max_seconds:
            raise _OverBudget(f"over {max_seconds} s", layer, regions)

    _streaming(stream, scheduler, regions_jsonl)
    try:
        if stream:
            return {**base, "status": "done", **_streamed(net, B, guard if (max_regions or max_seconds) else None,
                                                          scheduler, regions_jsonl, stream_workers),
                    "seconds": round(time.perf_counter() - t0, 2)}
        cx = region_complex(net, box=B, progress=guard if (max_regions or max_seconds) else None)
    except _OverBudget as e:
        reason, layer, regions = e.args
        return {**base, "status": "skipped", "reason": reason, "layer": layer + 1, "regions_reached": regions,
                "max_regions": max_regions, "max_seconds": max_seconds,
                "seconds": round(time.perf_counter() - t0, 2)}
    hist = complex_histogram(cx)
    return {**base, "status": "done", "regions": cx.n_regions,
            "facet_histogram": {str(k): v for k, v in hist.items()},
            "seconds": round(time.perf_counter() - t0, 2)}


def _streamed(net, B: Fraction, guard: Callable[[int, int, int, int], None] | None, scheduler: str | None,
              regions_jsonl: str | os.PathLike | None, workers: int = 1) -> dict[str, Any]:
    """``regions`` and ``facet_histogram`` of :func:`histogram_net` by streaming (bounded memory)."""
    from ..complex.stream import stream_statistics

    last = net.n_hidden_layers - 1
    progress = None if guard is None else (lambda done, total, regions: guard(last, done, total, regions))
    if regions_jsonl is not None:
        from ..io.stream import write_regions_jsonl

        s = write_regions_jsonl(net, regions_jsonl, B, workers=workers, scheduler=scheduler, progress=progress)
    else:
        s = stream_statistics(net, B, workers=workers, scheduler=scheduler, progress=progress)
    return {"regions": s.n_regions, "facet_histogram": {str(k): v for k, v in s.histogram}}


def _streaming(stream: Any, scheduler: str | None, regions_jsonl: Any) -> tuple[bool, str | None, Any]:
    """``(stream, scheduler, regions_jsonl)`` checked: the last two need *stream*."""
    if not isinstance(stream, bool):
        raise DomainError(f"stream: expected True or False, got {stream!r}")
    if (scheduler is not None or regions_jsonl is not None) and not stream:
        raise DomainError("stream: scheduler and regions_jsonl need stream=True")
    return stream, scheduler, None if regions_jsonl is None else os.fspath(regions_jsonl)


def _key(net_mapping: dict, box: str) -> str:
    return cache_key(net_mapping, box, what="facet-histogram")


def _job(args: tuple, stream_workers: int = 1) -> tuple[str, dict]:
    key, arch, init, seed, bias, box, max_regions, max_seconds, streaming = args
    stream, scheduler, jsonl = streaming
    if jsonl is not None:  # one directory per network
        jsonl = os.path.join(jsonl, f"{arch}_{init}_bias{bias}_seed{seed}_box{box}".replace("/", "over"))
    return key, histogram_net(arch, init, seed, bias, box, max_regions=max_regions, max_seconds=max_seconds,
                              stream=stream, scheduler=scheduler, regions_jsonl=jsonl, stream_workers=stream_workers)


def _usable(rec: dict, max_regions: int | None, max_seconds: float | None) -> bool:
    """A cached record answers the current request: done, or skipped under a budget at least as large."""
    if rec.get("status") == "done":
        return True
    if rec.get("status") != "skipped":
        return False
    if rec["reason"].startswith("more than"):
        return max_regions is not None and max_regions <= rec["max_regions"]
    return max_seconds is not None and max_seconds <= rec["max_seconds"]


def _record_problem(rec: dict) -> str | None:
    """What makes a stored :func:`histogram_net` record unusable (None: nothing); a finished
    network's histogram must count its regions. O(#distinct facet counts).

    >>> _record_problem({"architecture": "2-4-1", "init": "x", "bias": "0", "box": "1", "seed": 0,
    ...                  "status": "done", "regions": 2, "facet_histogram": {"3": 1}, "seconds": 0.1})
    'facet_histogram does not count the 2 regions'
    """
    def count(v: Any) -> bool:
        return isinstance(v, int) and not isinstance(v, bool) and v >= 0

    def seconds(v: Any) -> bool:
        return isinstance(v, int | float) and not isinstance(v, bool) and v >= 0

    if not count(rec.get("seed")) or not all(isinstance(rec.get(k), str) for k in ("architecture", "init", "bias",
                                                                                      "box")):
        return "seed, architecture, init, bias or box missing or of the wrong type"
    hist = rec.get("facet_histogram")
    if rec.get("status") == "done":
        if not (count(rec.get("regions")) and seconds(rec.get("seconds")) and isinstance(hist, dict)
                and all(k.isascii() and k.isdigit() and count(v) for k, v in hist.items())):
            return "regions, seconds or facet_histogram missing or of the wrong type"
        return None if sum(hist.values()) == rec["regions"] else f"facet_histogram does not count the " \
            f"{rec['regions']} regions"
    reason = rec.get("reason")
    if rec.get("status") == "skipped" and isinstance(reason, str) and seconds(rec.get("seconds")) and (
            (reason.startswith("more than") and count(rec.get("max_regions")))
            or (reason.startswith("over") and seconds(rec.get("max_seconds")))):
        return None
    return "status neither done nor skipped with its budget"


def _within(rec: dict, max_regions: int | None, max_seconds: float | None) -> dict:
    """A finished record over the current region budget reads as skipped (the output does not
    depend on what the cache holds)."""
    if rec["status"] == "done" and max_regions is not None and rec["regions"] > max_regions:
        return {**rec, "status": "skipped", "reason": f"more than {max_regions} regions", "layer": None,
                "regions_reached": rec["regions"], "max_regions": max_regions, "max_seconds": None}
    if rec["status"] == "skipped":  # a skip under a larger budget, reused: state the current one
        if rec["reason"].startswith("more than") and rec["max_regions"] != max_regions:
            return {**rec, "reason": f"more than {max_regions} regions"}
        if rec["reason"].startswith("over") and rec["max_seconds"] != max_seconds:
            return {**rec, "reason": f"over {max_seconds} s"}
    return rec


def _run_nets(specs: list[tuple[str, str, int, Any]], box: Any, *, cache: Any, workers: int,
              max_regions: int | None, max_seconds: float | None,
              progress: Callable[[int, int, str, bool], None] | None,
              streaming: tuple[bool, str | None, Any] = (False, None, None)) -> list[dict]:
    """Records of :func:`histogram_net` for ``(architecture, init, seed, bias)`` specs, in order.

    *streaming* is ``(stream, scheduler, regions_jsonl)`` of :func:`histogram_net`; with
    *regions_jsonl* every network is computed (the cache is written, not read)."""
    from .cache import open_cache

    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise DomainError(f"workers: expected a positive int, got {workers!r}")
    max_regions = _check_limit(max_regions, "max_regions", int)
    max_seconds = _check_limit(max_seconds, "max_seconds", float)
    B = _box_value(box)
    box_s = format_fraction(B)
    store = open_cache(cache, _CACHE_NAME, _record_problem)
    jobs, keys = [], []
    pre: dict[str, dict] = {}  # networks refused up front (a pure function of the network and budget)
    for arch, init, seed, bias in specs:
        net = random_network(arch, init, bias=bias, seed=seed)
        k = _key(network_to_mapping(net), box_s)
        keys.append(k)
        jobs.append((k, arch, init, seed, bias, box_s, max_regions, max_seconds, streaming))
        base = {"architecture": net.architecture, "init": "kaiming_normal" if init == "kaiming" else init,
                "bias": format_fraction(net.biases[0][0]), "seed": seed, "box": box_s}
        skip = _layer1_skip(net, base, max_regions, max_seconds)
        if skip is not None:
            pre[k] = skip
    total, done, todo, seen = len(jobs), 0, [], set()
    for job in jobs:
        cached = streaming[2] is None and job[0] in store.records
        if job[0] in pre or (cached and _usable(store.records[job[0]], max_regions, max_seconds)):
            done += 1
            if progress is not None:
                progress(done, total, f"{job[1]} {job[2]} seed {job[3]}", True)
        elif job[0] not in seen:
            seen.add(job[0])
            todo.append(job)
    if streaming[0] and streaming[1] is None and 1 < workers and len(todo) < workers:
        # fewer networks than workers: the workers share each network's pieces instead
        results: Iterator[tuple[tuple, tuple[str, dict]]] = ((job, _job(job, stream_workers=workers)) for job in todo)
    else:
        results = iter_completed(_job, todo, workers)
    for job, (k, res) in results:
        store.put(k, res)  # kept even if the run is interrupted later
        done += 1
        if progress is not None:
            progress(done, total, f"{job[1]} {job[2]} seed {job[3]}", False)
    return [pre[k] if k in pre else _within(store.records[k], max_regions, max_seconds) for k in keys]


def _pool(arch: str, init: str, bias: Fraction, B: Fraction, recs: Sequence[dict]) -> FacetHistogram:
    hist: Counter = Counter()
    for r in recs:
        for k, v in r["facet_histogram"].items():
            hist[int(k)] += v
    dims = parse_architecture(arch)
    return FacetHistogram(arch, init, bias, B, tuple(r["seed"] for r in recs),
                          tuple(r["regions"] for r in recs), tuple(sorted(hist.items())), sum(dims[1:-1]))


def _canonical_arch(a: str) -> str:
    if not isinstance(a, str):
        raise DomainError(f"architectures: expected strings like '3-40-20-1', got {a!r}")
    return "-".join(map(str, parse_architecture(a)))


def face_histograms(architectures: Sequence[str] = ("3-40-20-1",), inits: Iterable[str] | str = ("xavier_uniform",),
                    seeds: Iterable[int] | str = range(5), bias: Any = "0.01", box: Any = 1, *,
                    cache: str | os.PathLike | bool | None = None, workers: int = 1,
                    progress: Callable[[int, int, str, bool], None] | None = None, stream: bool = False,
                    scheduler: str | None = None,
                    regions_jsonl: str | os.PathLike | None = None) -> list[FacetHistogram]:
    """Exact facet histograms per architecture and initialiser (Fig. 4 of arXiv 2305.09145).

    Parameters
    ----------
    architectures : sequence of str
        E.g. ``["3-40-20-1", "3-80-40-1"]`` (the paper's).
    inits : sequence of str or str
        Initialisers (:func:`parse_inits`), default Xavier uniform; the paper uses
        all four of :data:`~exactpoly.network.INITIALISERS`.
    seeds : iterable of int or str
        Default 0..4 (the paper repeats each experiment five times).
    bias : number or str
        Constant bias, stored as float32 (default 0.01, the paper's).
    box : rational
        B of ``[-B, B]^d`` (default 1, the paper's).
    cache : path, None or False
        Directory of the JSON-lines cache; None: the default directory; False: none.
    workers : int
        Processes computing networks in parallel (the result does not depend on it).
    progress : callable, optional
        ``progress(done, total, label, cached)`` after each network.
    stream, scheduler, regions_jsonl
        As in :func:`histogram_net` (the histograms are identical with or without
        *stream*); *regions_jsonl* is a directory that gets one subdirectory of JSON
        lines per network, and makes every network be computed.

    Returns
    -------
    list of FacetHistogram
        Architectures in the given order, then initialisers in the given order.

    Raises
    ------
    DomainError
        A bad box (``"auto"`` included: the paper's box is fixed), seed list,
        initialiser or worker count.

    Notes
    -----
    One exact region complex per network not in the cache: roughly 1000 regions per
    second on one core (3-40-20-1, about 30 000 regions: about 30 s).

    Examples
    --------
    >>> hs = face_histograms(["2-3-1"], "xavier_uniform,orthogonal", seeds="0", cache=False)
    >>> [(h.init, h.n_regions, h.max_facets, str(h.threshold)) for h in hs]
    [('xavier_uniform', 7, 6, '3/2'), ('orthogonal', 7, 5, '3/2')]
    """
    from .tables import parse_seeds

    archs = [_canonical_arch(a) for a in ([architectures] if isinstance(architectures, str) else architectures)]
    if not archs:
        raise DomainError("architectures: at least one is needed")
    init_list = parse_inits(inits)
    seed_list = parse_seeds(seeds if isinstance(seeds, str) else list(seeds))
    B = _box_value(box)
    specs = [(a, i, s, bias) for a in archs for i in init_list for s in seed_list]
    recs = _run_nets(specs, B, cache=cache, workers=workers, max_regions=None, max_seconds=None,
                     progress=progress, streaming=_streaming(stream, scheduler, regions_jsonl))
    b32 = to_fraction(recs[0]["bias"])
    out, n = [], len(seed_list)
    for j in range(0, len(recs), n):
        a, i = specs[j][0], specs[j][1]
        out.append(_pool(a, i, b32, B, recs[j:j + n]))
    return out


def _histogram_tables(results: Sequence[FacetHistogram]) -> tuple[tuple[list, list], tuple[list, list]]:
    sh = ["architecture", "init", "bias (float32)", "seeds", "regions per seed", "regions", "mean #facets",
          "mean (decimal)", "max #facets", "Γ/2", "simple (#facets < Γ/2)", "simple share"]
    srows = [[h.architecture, h.init, decimal_string(h.bias, 4), _seed_text(h.seeds),
              " ".join(map(str, h.regions_per_seed)), h.n_regions, h.mean_facets, decimal_string(h.mean_facets),
              h.max_facets, h.threshold, h.n_simple, decimal_string(h.simple_share)] for h in results]
    ks = sorted({k for h in results for k, _ in h.histogram})
    hh = ["#facets"] + [f"{h.architecture} {h.init}" for h in results]
    counts = [dict(h.histogram) for h in results]
    hrows = [[k] + [c.get(k, 0) for c in counts] for k in ks]
    return (sh, srows), (hh, hrows)


def _seed_text(seeds: Sequence[int]) -> str:
    """``(0, 1, 2, 5)`` -> ``"0-2,5"``."""
    runs: list[list[int]] = []
    for s in seeds:
        if runs and s == runs[-1][1] + 1:
            runs[-1][1] = s
        else:
            runs.append([s, s])
    return ",".join(f"{a}-{b}" if b > a else f"{a}" for a, b in runs)


def format_histograms(results: Sequence[FacetHistogram], fmt: str = "markdown") -> str:
    """Render :func:`face_histograms`: a summary table, then the histogram table (one column per run).

    Parameters
    ----------
    results : sequence of FacetHistogram
    fmt : {"markdown", "csv", "latex", "json"}
        JSON: a list of :meth:`FacetHistogram.to_mapping`. CSV: the two tables
        separated by an empty line.

    Returns
    -------
    str
        Deterministic, newline-terminated.

    Examples
    --------
    >>> hs = face_histograms(["2-3-1"], seeds="0", cache=False)
    >>> print(format_histograms(hs, "csv"), end="")   # doctest: +ELLIPSIS
    architecture,init,bias (float32),seeds,regions per seed,regions,mean #facets,...,simple share
    2-3-1,xavier_uniform,0.0100,0,7,7,4,4.000,6,3/2,0,0.000
    <BLANKLINE>
    #facets,2-3-1 xavier_uniform
    3,3
    4,2
    5,1
    6,1
    """
    from ..io.export import format_table

    if fmt not in HISTOGRAM_FORMATS:
        raise DomainError(f"fmt: expected one of {', '.join(HISTOGRAM_FORMATS)}, got {fmt!r}")
    if fmt == "json":
        return json.dumps([h.to_mapping() for h in results], indent=1) + "\n"
    (sh, srows), (hh, hrows) = _histogram_tables(results)
    a = format_table(sh, srows, fmt)
    b = format_table(hh, hrows, fmt)
    if fmt == "csv":
        return a + "\n" + b
    note = ("Simple: #facets < Γ/2, Γ = number of hidden neurons (arXiv 2305.09145, Preliminary 3). Facets "
            "include box walls. Exact enumeration of all regions in the box, histograms summed over the seeds.")
    if fmt == "latex":
        return a + "\n\n" + b + "\n\n% " + note + "\n"
    return a + "\n\n" + b + "\n\n" + note + "\n"


# ----------------------------------------------------------------------------- sweeps


@dataclass(frozen=True)
class SweepRow:
    """One setting of a sweep: a value of the varied parameter and an initialiser, pooled over seeds.

    ``histogram`` is None when every seed was skipped; ``skipped`` holds
    ``(seed, reason)`` of the seeds over budget (e.g. ``"more than 50000 regions"``).
    ``seconds`` is the compute time of the finished seeds (a measurement, not part
    of the exact result).
    """

    vary: str
    value: str
    architecture: str
    init: str
    bias: Fraction
    histogram: FacetHistogram | None
    skipped: tuple[tuple[int, str], ...]
    seconds: float = field(default=0.0, compare=False)

    @property
    def note(self) -> str:
        if not self.skipped:
            return ""
        groups: dict[str, list[int]] = {}
        for seed, reason in self.skipped:
            groups.setdefault(reason, []).append(seed)
        return "skipped " + "; ".join(f"seed{'s' if len(seeds) > 1 else ''} {_seed_text(seeds)}: {reason}"
                                      for reason, seeds in groups.items())

    def to_mapping(self) -> dict[str, Any]:
        h = self.histogram.to_mapping() if self.histogram is not None else None
        return {"vary": self.vary, "value": self.value, "architecture": self.architecture, "init": self.init,
                "bias": format_fraction(self.bias), "result": h,
                "skipped": [{"seed": s, "reason": r} for s, r in self.skipped]}


def sweep_architecture(vary: str, value: Any, *, input_dim: int = 3, width: int = 20, depth: int = 2,
                       architecture: str = "3-80-40-1") -> str:
    """The architecture of one sweep setting.

    ``width``: ``depth`` hidden layers of width *value*; ``depth``: *value* hidden
    layers of width *width*; ``bias``: *architecture* (the paper's 3-80-40-1).

    >>> sweep_architecture("width", 40), sweep_architecture("depth", 3, width=5), sweep_architecture("bias", "0")
    ('3-40-40-1', '3-5-5-5-1', '3-80-40-1')
    """
    if vary == "bias":
        return _canonical_arch(architecture)
    if vary not in ("width", "depth"):
        raise DomainError(f"vary: expected 'width', 'depth' or 'bias', got {vary!r}")
    try:
        n = int(value)
    except (TypeError, ValueError):
        raise DomainError(f"values: a {vary} must be a positive integer, got {value!r}") from None
    if n < 1 or str(n) != str(value).strip():
        raise DomainError(f"values: a {vary} must be a positive integer, got {value!r}")
    w, dpt = (n, depth) if vary == "width" else (width, n)
    return "-".join([str(input_dim)] + [str(w)] * dpt + ["1"])


def sweep(vary: str, values: Sequence[Any] | None = None, *, inits: Iterable[str] | str = ("xavier_uniform",),
          seeds: Iterable[int] | str = range(5), bias: Any = "0.01", box: Any = 1, input_dim: int = 3,
          width: int = 20, depth: int = 2, architecture: str = "3-80-40-1",
          max_regions: int | None = None, max_seconds: float | None = None,
          cache: str | os.PathLike | bool | None = None, workers: int = 1,
          progress: Callable[[int, int, str, bool], None] | None = None, stream: bool = False,
          scheduler: str | None = None, regions_jsonl: str | os.PathLike | None = None) -> list[SweepRow]:
    """Facet histograms over widths, depths or biases (Section V.A, Figs. 5 and 6), with a budget.

    Parameters
    ----------
    vary : {"width", "depth", "bias"}
        ``width``: architectures ``d-w-...-w-1`` with *depth* hidden layers of each
        width in *values* (default 20, 40, 80, 160); ``depth``: *values* hidden
        layers (default 2, 5, 8) of width *width*; ``bias``: *architecture* (default
        3-80-40-1) with each bias in *values* (default 0, 0.01, 0.05, 0.1).
    values : sequence, optional
        Default :data:`SWEEP_DEFAULTS` ``[vary]``.
    inits, seeds, bias, box, cache, workers, progress, stream, scheduler, regions_jsonl
        As in :func:`face_histograms` (*bias* is ignored for ``vary="bias"``).
    input_dim, width, depth, architecture
        The fixed parameters (see *vary*).
    max_regions, max_seconds : optional
        Per-network budget: a network with more regions (checked layer by layer, so
        it stops early) or taking longer is skipped and reported in
        :attr:`SweepRow.skipped`.

    Returns
    -------
    list of SweepRow
        Values in the given order, then initialisers.

    Notes
    -----
    A skipped network costs at most its budget; skips are cached with their budget
    and reused while the budget is not raised.

    Examples
    --------
    >>> rows = sweep("width", [2, 3], seeds="0", input_dim=2, depth=1, cache=False, max_regions=6)
    >>> [(r.architecture, r.histogram and r.histogram.n_regions, r.note) for r in rows]
    [('2-2-1', 4, ''), ('2-3-1', None, 'skipped seed 0: more than 6 regions possible in layer 1 (up to 7); not built')]
    """
    from .tables import parse_seeds

    if vary not in SWEEP_DEFAULTS:
        raise DomainError(f"vary: expected 'width', 'depth' or 'bias', got {vary!r}")
    vals = list(SWEEP_DEFAULTS[vary] if values is None else values)
    if not vals:
        raise DomainError("values: at least one value is needed")
    init_list = parse_inits(inits)
    seed_list = parse_seeds(seeds if isinstance(seeds, str) else list(seeds))
    B = _box_value(box)
    settings = []
    for v in vals:
        arch = sweep_architecture(vary, v, input_dim=input_dim, width=width, depth=depth, architecture=architecture)
        b = v if vary == "bias" else bias
        if vary == "bias":
            to_fraction(b if not isinstance(b, float) else b, name="values")
        for i in init_list:
            settings.append((str(v).strip(), arch, i, b))
    specs = [(a, i, s, b) for _, a, i, b in settings for s in seed_list]
    recs = _run_nets(specs, B, cache=cache, workers=workers, max_regions=max_regions, max_seconds=max_seconds,
                     progress=progress, streaming=_streaming(stream, scheduler, regions_jsonl))
    rows, n = [], len(seed_list)
    for j, (v, a, i, _b) in enumerate(settings):
        chunk = recs[j * n:(j + 1) * n]
        done = [r for r in chunk if r["status"] == "done"]
        skipped = tuple((r["seed"], r["reason"]) for r in chunk if r["status"] != "done")
        b32 = to_fraction(chunk[0]["bias"])
        h = _pool(a, i, b32, B, done) if done else None
        rows.append(SweepRow(vary, v, a, i, b32, h, skipped, round(sum(r["seconds"] for r in done), 2)))
    return rows


def format_sweep(rows: Sequence[SweepRow], fmt: str = "markdown", *, timings: bool = False) -> str:
    """Render :func:`sweep`: one line per setting (regions, mean/max #facets, simple share, notes).

    *timings* adds the compute seconds of the finished networks (machine-dependent,
    so off by default to keep the output deterministic).

    >>> rows = sweep("depth", [1, 2], seeds="0", input_dim=2, width=2, cache=False)
    >>> print(format_sweep(rows, "csv"), end="")   # doctest: +ELLIPSIS
    depth,architecture,init,bias (float32),seeds done,regions per seed,mean regions,...,simple share,note
    1,2-2-1,xavier_uniform,0.0100,1,4,4,4,4.000,5,1,0.000,
    2,2-2-2-1,xavier_uniform,0.0100,1,4,4,4,4.000,5,2,0.000,
    """
    from ..io.export import format_table

    if fmt not in HISTOGRAM_FORMATS:
        raise DomainError(f"fmt: expected one of {', '.join(HISTOGRAM_FORMATS)}, got {fmt!r}")
    if fmt == "json":
        items = [dict(r.to_mapping(), **({"seconds": r.seconds} if timings else {})) for r in rows]
        return json.dumps(items, indent=1) + "\n"
    vary = rows[0].vary if rows else "value"
    headers = [vary, "architecture", "init", "bias (float32)", "seeds done", "regions per seed", "mean regions",
               "mean #facets", "mean (decimal)", "max #facets", "Γ/2", "simple share", "note"]
    if timings:
        headers.insert(-1, "seconds")
    out = []
    for r in rows:
        h = r.histogram
        if h is None:
            cells = [r.value, r.architecture, r.init, decimal_string(r.bias, 4), 0, None, None, None, None, None,
                     Fraction(sum(parse_architecture(r.architecture)[1:-1]), 2), None, r.note]
        else:
            mean_regions = Fraction(h.n_regions, len(h.seeds))
            cells = [r.value, r.architecture, r.init, decimal_string(r.bias, 4), len(h.seeds),
                     " ".join(map(str, h.regions_per_seed)), mean_regions, h.mean_facets,
                     decimal_string(h.mean_facets), h.max_facets, h.threshold, decimal_string(h.simple_share),
                     r.note]
        if timings:
            cells.insert(-1, r.seconds)
        out.append(cells)
    text = format_table(headers, out, fmt)
    return text if fmt == "csv" else text + "\n"


# ----------------------------------------------------------------------------- command line
