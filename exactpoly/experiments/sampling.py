"""Sampling against exact enumeration, and the hit-and-run face estimator, in exact arithmetic.

arXiv 2305.09145 (Section V) finds the regions of a network by sampling "a total of
8,000 points ... uniformly ... from [-1, 1]^3" and checking "the activation states of
all neurons to avoid counting some polytopes more than once"; for high-dimensional
inputs it estimates a region's number of faces by hit-and-run (Preliminary 5: "randomly
'hit' the boundaries of the polytope from its interior point", Section V.C: "We set a
checkpoint every 1000 iterations. Once the algorithm cannot find any new face in the
last 1000 iterations, we consider it has found most of the faces of that polytope").
This module runs both protocols exactly and compares them with the exact complex:

* :func:`sample_patterns` — exact activation patterns of exact rational sample points;
* :func:`sampling_vs_exact` — how many regions the samples find and miss, and the
  missed ones by exact volume and by #facets (:class:`SamplingReport`);
* :func:`region_inequalities` — the K inequalities of Preliminary 5 (one per neuron not
  identically zero on the region, plus the box walls), as canonical integer rows;
* :func:`hit_and_run_facets` — the estimator, with exact rays: the hyperplane hit is
  the exact argmin of rational ratios; a tie between distinct hyperplanes means the
  ray hit a face of dimension <= d-2, and is reported, not counted;
* :func:`hit_and_run_rows` — the same estimator on any bounded H-representation and
  starting point, without a region complex (high-dimensional regions, Figs. 8-9;
  :class:`HitAndRunWalk`), with exact chords found through a certified float filter.

Examples
--------
>>> from exactpoly import network_from_layers, region_complex
>>> net = network_from_layers(2, [([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [0])])
>>> rep = sampling_vs_exact(net, box=1, n_samples=50, seed=0)
>>> rep.n_regions, rep.n_found, rep.n_missed, rep.n_boundary_samples
(4, 4, 0, 0)
>>> res = hit_and_run_facets(net, rep.complex.regions[0], box=1, seed=0, patience=50)
>>> res.exact_facets, res.found_facets, res.ties
(4, 4, 0)
"""

from __future__ import annotations

import decimal
import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from math import lcm
from typing import Any

from ..errors import DomainError
from ..geometry.chords import FilteredRows, chord_exits
from ..geometry.polyhedron import canonical_row
from ..geometry.rows import IntRow
from ..network import ReluNetwork
from ..rational import format_fraction

__all__ = [
    "HitAndRunResult",
    "HitAndRunWalk",
    "SamplingReport",
    "format_sampling",
    "hit_and_run_facets",
    "hit_and_run_rows",
    "region_inequalities",
    "sample_patterns",
    "sampling_vs_exact",
    "uniform_samples",
]

Point = tuple[Fraction, ...]


def _check_net(net: Any) -> ReluNetwork:
    if not isinstance(net, ReluNetwork):
        raise TypeError(f"net: expected a ReluNetwork, got {type(net).__name__}")
    return net


def _box(box: Any) -> Fraction:
    from ..complex.build import parse_fixed_box  # the same validation as region_complex

    return parse_fixed_box(box, "sampling needs")


def uniform_samples(input_dim: int, n: int, *, seed: int = 0, box: Any = 1) -> tuple[Point, ...]:
    """*n* seeded uniform rational points of ``[-B, B]^d``: :func:`exactpoly.theory.fdim.random_samples`.

    Coordinates are ``B k / 1000003`` with integers ``k`` uniform in ``-1000003..1000003``
    (``numpy.random.default_rng(seed)``), so the points are exact and reproducible.

    >>> uniform_samples(2, 1, seed=0)
    ((Fraction(701251, 1000003), Fraction(273924, 1000003)),)
    """
    from ..theory.fdim import random_samples

    return random_samples(input_dim, n, seed=seed, box=box)


def sample_patterns(net: ReluNetwork, X: Sequence[Sequence[Any]]) -> tuple[tuple[tuple[int, ...], bool], ...]:
    """Exact activation pattern of every point: ``(bits, on_zero_set)``.

    ``bits`` has one bit per hidden neuron (1 iff the pre-activation is > 0);
    ``on_zero_set`` is True when some pre-activation is exactly 0 at the point (the
    point may lie on a region boundary, or on a neuron dead on its region).

    Notes
    -----
    Integer matrix products (python-flint) with one common denominator per layer:
    O(|X| · #weights) exact operations.

    Examples
    --------
    >>> from exactpoly import network_from_layers
    >>> net = network_from_layers(1, [([[1], [1]], [0, "-1/2"]), ([[1, 1]], [0])])
    >>> sample_patterns(net, [["1/4"], ["1/2"], [-1]])
    (((1, 0), False), ((1, 0), True), ((0, 0), False))
    """
    import flint

    from ..theory.fdim import parse_samples

    _check_net(net)
    pts = parse_samples(X, net.input_dim)
    if not pts:
        return ()
    q = 1
    for p in pts:
        for x in p:
            q = lcm(q, x.denominator)
    n, d = len(pts), net.input_dim
    H = flint.fmpz_mat(d, n, [int(p[j] * q) for j in range(d) for p in pts])  # columns are points, h = H / Q
    Q = q
    bits: list[list[int]] = [[] for _ in range(n)]
    zero = [False] * n
    for l in range(net.n_hidden_layers):
        W, b = net.weights[l], net.biases[l]
        D = 1
        for row, bi in zip(W, b):
            D = lcm(D, bi.denominator, *(w.denominator for w in row))
        rows = len(W)
        Wz = flint.fmpz_mat(rows, len(W[0]), [int(w * D) for row in W for w in row])
        Z = Wz * H
        bz = [int(bi * D) * Q for bi in b]
        vals = []
        for i in range(rows):
            zi = []
            for k in range(n):
                z = int(Z[i, k]) + bz[i]
                if z == 0:
                    zero[k] = True
                bits[k].append(1 if z > 0 else 0)
                zi.append(z if z > 0 else 0)
            vals.extend(zi)
        H = flint.fmpz_mat(rows, n, vals)
        Q = Q * D
    return tuple((tuple(bits[k]), zero[k]) for k in range(n))


def _strictly_inside(rows: Sequence[IntRow], x: Point) -> bool:
    q = 1
    for v in x:
        q = lcm(q, v.denominator)
    p = [v.numerator * (q // v.denominator) for v in x]
    return all(r[0] * q + sum(a * pj for a, pj in zip(r[1:], p)) > 0 for r in rows)


@dataclass(frozen=True)
class SamplingReport:
    """What N uniform samples find of the exact complex (the paper's protocol, Section V).

    Attributes
    ----------
    n_samples, n_boundary_samples : int
        Samples drawn; samples in no open region (on a facet or lower face).
    sample_regions : tuple of int
        For each sample the index of its region in ``complex.regions`` (-1 on a boundary).
    found : tuple of bool
        Per region of the complex: hit by some sample.
    by_facets : tuple of (int, int, int)
        ``(k, regions with k facets, of them found)``, k increasing.
    by_volume : tuple of (int, int, int, Fraction)
        ``(c, regions, found, missed volume)`` for the regions whose volume share
        ``v / (2B)^d`` lies in ``(2^-s(c+1), 2^-sc]``, c increasing, s = ``volume_step``.
    missed_volume : Fraction
        Exact total volume of the missed regions.
    expected_missed : str
        Expected number of regions N independent uniform samples miss, sum over
        regions of ``(1 - share)^N``, as a decimal with one place (computed with
        40-digit :mod:`decimal` arithmetic: a display value, not an exact one).
    complex : RegionComplex
    """

    n_samples: int
    n_boundary_samples: int
    sample_regions: tuple[int, ...] = field(repr=False)
    found: tuple[bool, ...] = field(repr=False)
    by_facets: tuple[tuple[int, int, int], ...]
    by_volume: tuple[tuple[int, int, int, Fraction], ...]
    missed_volume: Fraction
    expected_missed: str = field(repr=False)
    complex: Any = field(repr=False)
    seed: int = 0
    volume_step: int = 4

    @property
    def n_regions(self) -> int:
        return len(self.found)

    @property
    def n_found(self) -> int:
        return sum(self.found)

    @property
    def n_missed(self) -> int:
        return self.n_regions - self.n_found

    def sampled_histogram(self) -> dict[int, int]:
        """Facet histogram of the found regions only (what the paper's protocol plots)."""
        return {k: f for k, _n, f in self.by_facets if f}

    def to_mapping(self) -> dict[str, Any]:

        cx = self.complex
        s = self.volume_step
        return {"architecture": cx.network.architecture, "box": format_fraction(cx.box), "seed": self.seed,
                "samples": self.n_samples, "boundary_samples": self.n_boundary_samples,
                "regions": self.n_regions, "found": self.n_found, "missed": self.n_missed,
                "missed_volume": format_fraction(self.missed_volume), "volume_step": self.volume_step,
                "missed_volume_share": format_fraction(self.missed_volume / (2 * cx.box) ** cx.input_dim),
                "expected_missed_decimal": self.expected_missed,
                "by_facets": [{"facets": k, "regions": n, "found": f, "missed": n - f}
                              for k, n, f in self.by_facets],
                "by_volume": [{"share_above": f"2^-{s * (j + 1)}", "share_at_most": f"2^-{s * j}", "regions": n,
                               "found": f, "missed": n - f, "missed_volume": format_fraction(v)}
                              for j, n, f, v in self.by_volume]}


def _exact_sum(values: Sequence[Fraction]) -> Fraction:
    """Exact sum, pairwise (operands of similar size: much faster than a running sum)."""
    vals = list(values)
    if not vals:
        return Fraction(0)
    while len(vals) > 1:
        vals = [vals[i] + vals[i + 1] if i + 1 < len(vals) else vals[i] for i in range(0, len(vals), 2)]
    return vals[0]


def _volume_class(share: Fraction, step: int) -> int:
    """c with share in (2^-step(c+1), 2^-step c] (share in (0, 1])."""
    j = (share.denominator // share.numerator).bit_length() - 1  # share in (2^-(j+1), 2^-j]
    return j // step


def sampling_vs_exact(net: ReluNetwork, box: Any = 1, n_samples: int = 8000, seed: int = 0, *,
                      complex=None, volume_step: int = 4) -> SamplingReport:
    """The paper's sampling protocol against the exact complex.

    Parameters
    ----------
    net : ReluNetwork
    box : rational
        B of ``[-B, B]^d`` (the paper: 1).
    n_samples : int
        Uniform samples (the paper: 8000), drawn by :func:`uniform_samples`.
    seed : int
    complex : RegionComplex, optional
        The exact complex of *net* on the box, if already built.
    volume_step : int
        Width of the volume classes in binary orders of magnitude (default 4: factors of 16).

    Returns
    -------
    SamplingReport

    Raises
    ------
    DomainError
        A bad box, sample count or seed; a *complex* of another network or box.

    Notes
    -----
    Each sample is located exactly: its pattern names a region, and the sample must
    satisfy every facet inequality of that region strictly (else it is on a
    boundary). Cost: the complex, plus O(N · #weights) for the patterns and
    O(N · #facets) for the checks.

    Examples
    --------
    >>> from exactpoly import random_network
    >>> rep = sampling_vs_exact(random_network("2-6-1", seed=0), n_samples=30, seed=1)
    >>> rep.n_regions, rep.n_found, rep.by_facets
    (22, 8, ((3, 7, 1), (4, 12, 4), (5, 1, 1), (6, 1, 1), (8, 1, 1)))
    """
    from ..complex import region_complex

    _check_net(net)
    B = _box(box)
    if isinstance(volume_step, bool) or not isinstance(volume_step, int) or volume_step < 1:
        raise DomainError(f"volume_step: expected a positive int, got {volume_step!r}")
    if complex is None:
        complex = region_complex(net, box=B)
    elif complex.network != net or complex.box != B:
        raise DomainError("complex: it is not the complex of this network on this box")
    X = uniform_samples(net.input_dim, n_samples, seed=seed, box=B)
    index = {r.pattern: i for i, r in enumerate(complex.regions)}
    located, boundary = [], 0
    for x, (bits, _z) in zip(X, sample_patterns(net, X)):
        i = index.get(bits, -1)
        if i >= 0 and not _strictly_inside([f.row for f in complex.regions[i].facets], x):
            i = -1
        boundary += i < 0
        located.append(i)
    hit = set(located)
    found = tuple(i in hit for i in range(complex.n_regions))
    total = (2 * B) ** net.input_dim
    fac_n: Counter = Counter()
    fac_f: Counter = Counter()
    vol_n: Counter = Counter()
    vol_f: Counter = Counter()
    vol_m: dict[int, list[Fraction]] = {}
    ctx = decimal.Context(prec=40)
    expected = decimal.Decimal(0)
    for r, f in zip(complex.regions, found):
        share = r.volume / total
        j = _volume_class(share, volume_step)
        fac_n[r.n_facets] += 1
        fac_f[r.n_facets] += f
        vol_n[j] += 1
        vol_f[j] += f
        vol_m.setdefault(j, [])
        if not f:
            vol_m[j].append(r.volume)
        miss = ctx.divide(decimal.Decimal(share.denominator - share.numerator), decimal.Decimal(share.denominator))
        expected = ctx.add(expected, ctx.power(miss, n_samples))
    bins = {j: _exact_sum(v) for j, v in vol_m.items()}
    missed_volume = _exact_sum(list(bins.values()))
    return SamplingReport(n_samples, boundary, tuple(located), found,
                          tuple((k, fac_n[k], fac_f[k]) for k in sorted(fac_n)),
                          tuple((j, vol_n[j], vol_f[j], bins[j]) for j in sorted(vol_n)),
                          missed_volume, str(expected.quantize(decimal.Decimal("0.1"), context=ctx)), complex, seed,
                          volume_step)


# ----------------------------------------------------------------------------- hit and run


def region_inequalities(net: ReluNetwork, pattern: Sequence[int], box: Any = 1) -> tuple[IntRow, ...]:
    """The inequalities defining the region of *pattern*: Preliminary 5's K rows.

    One inward row ``(b, a)`` (region: ``b + a·x > 0``) per hidden neuron whose local
    pre-activation along the pattern is not constant, then the 2d box walls; rows are
    canonical (coprime integers), duplicates merged, sorted.

    Notes
    -----
    Local affine maps layer by layer in exact Fractions: O(sum n_l n_{l-1} d).

    Examples
    --------
    >>> from exactpoly import network_from_layers
    >>> net = network_from_layers(1, [([[1], [1]], [0, "-1/2"]), ([[1, 1]], [0])])
    >>> region_inequalities(net, (1, 0), box=1)
    ((0, 1), (1, -2), (1, -1), (1, 1))
    """
    _check_net(net)
    B = _box(box)
    d = net.input_dim
    pat = tuple(pattern)
    if len(pat) != net.n_hidden_neurons or any(p not in (0, 1) for p in pat):
        raise DomainError(f"pattern: expected {net.n_hidden_neurons} bits 0/1, got {pattern!r}")
    # h = A x + c with A (n x d), c (n)
    A = [[Fraction(int(i == j)) for j in range(d)] for i in range(d)]
    c = [Fraction(0)] * d
    rows: set[IntRow] = set()
    pos = 0
    for l in range(net.n_hidden_layers):
        W, b = net.weights[l], net.biases[l]
        newA, newc = [], []
        for wrow, bi in zip(W, b):
            g = [sum((w * A[k][j] for k, w in enumerate(wrow) if w), Fraction(0)) for j in range(d)]
            z0 = bi + sum((w * c[k] for k, w in enumerate(wrow) if w), Fraction(0))
            on = pat[pos]
            pos += 1
            if any(g):
                rows.add(canonical_row([z0, *g] if on else [-z0, *(-x for x in g)]))
            newA.append(g if on else [Fraction(0)] * d)
            newc.append(z0 if on else Fraction(0))
        A, c = newA, newc
    for j in range(d):
        for s in (-1, 1):
            rows.add(canonical_row([B] + [Fraction(-s if k == j else 0) for k in range(d)]))
    return tuple(sorted(rows))


@dataclass(frozen=True)
class HitAndRunResult:
    """The hit-and-run estimate of one region's facets beside the exact answer.

    Attributes
    ----------
    pattern : str
    exact_facets : int
    found : tuple of tuple of int
        Canonical inward rows of the hyperplanes hit (each a facet of the region), sorted.
    first_hit : tuple of int
        For each row of ``found``, the iteration that first hit it.
    iterations : int
        Iterations run before the stopping rule fired.
    ties : int
        Rays whose exit point lay on two or more distinct hyperplanes (a face of
        dimension <= d-2): not counted.
    inequalities : int
        K, the number of candidate inequalities (:func:`region_inequalities`).
    """

    pattern: str
    exact_facets: int
    found: tuple[IntRow, ...]
    first_hit: tuple[int, ...]
    iterations: int
    ties: int
    inequalities: int

    @property
    def found_facets(self) -> int:
        return len(self.found)

    @property
    def iterations_to_all(self) -> int | None:
        """Iteration at which the last facet was first hit, or None if some facet was never hit."""
        return max(self.first_hit, default=0) if self.found_facets == self.exact_facets else None


def _direction(rng, d: int) -> list[int]:
    while True:
        u = [int(round(x * 2 ** 20)) for x in rng.standard_normal(d).tolist()]
        if any(u):
            return u


def _chord_step(p: list[int], q: int, u: Sequence[int], fwd: tuple[int, int], bwd: tuple[int, int],
                rng: Any, inside: Callable[[list[int], int], Any]) -> tuple[list[int], int, Any]:
    """One hit-and-run move from ``p / q`` along *u*: t uniform in the chord ``(-bwd, fwd)``
    (one draw of *rng*), the point rounded to the coarsest dyadic grid ``2^-m`` (m = 32, 64,
    ...) that *inside* accepts (it returns None to refuse, anything else is passed back),
    else kept exact. Returns ``(p', q', inside's answer or None)``.

    With ``k`` the draw, ``t = lo + (hi - lo) k / 2^32`` for ``hi = f0 / (f1 q)`` and
    ``lo = -b0 / (b1 q)``, i.e. ``t = tn / (c q)`` with ``c = b1 f1 2^32`` and
    ``tn = f0 b1 k - b0 f1 (2^32 - k)``; the point is ``y_j = (p_j c + tn u_j) / (c q)``,
    and ``round(y_j 2^m)`` rounds half to even (as ``round`` of a Fraction does), all in
    integers. O(d) integer operations per grid tried.
    """
    k = int(rng.integers(1, 2 ** 32))
    (f0, f1), (b0, b1) = fwd, bwd
    c = b1 * f1 << 32
    tn = f0 * b1 * k - b0 * f1 * ((1 << 32) - k)
    den = c * q
    num = [pj * c + tn * uj for pj, uj in zip(p, u)]
    m = 32
    while True:
        cand = []
        for nj in num:
            fl, r = divmod(nj << m, den)
            r2 = r << 1
            cand.append(fl + 1 if r2 > den or (r2 == den and fl & 1) else fl)
        got = inside(cand, 1 << m)
        if got is not None:
            return cand, 1 << m, got
        if m > 4096:  # keep the exact point
            y = [Fraction(nj, den) for nj in num]
            common = 1
            for yv in y:
                common = lcm(common, yv.denominator)
            return [int(yv * common) for yv in y], common, None
        m *= 2


def hit_and_run_facets(net: ReluNetwork, region, box: Any = 1, *, seed: int = 0, patience: int = 1000,
                       max_iterations: int = 100_000, start: Sequence[Any] | None = None) -> HitAndRunResult:
    """Estimate a region's facets by hit-and-run (Preliminary 5, Section V.C), exactly.

    Parameters
    ----------
    net : ReluNetwork
    region : Region
        A region of ``region_complex(net, box)``; its exact facets are the reference.
    box : rational
    seed : int
        Seed of ``numpy.random.default_rng`` for directions and steps.
    patience : int
        The paper's checkpoint: stop at the first multiple of *patience* iterations
        with no new facet since the previous checkpoint (paper: 1000).
    max_iterations : int
    start : point, optional
        Starting interior point (the paper starts at the sample); default
        ``region.interior_point``. Must lie in the open region.

    Returns
    -------
    HitAndRunResult

    Raises
    ------
    DomainError
        A bad *patience*, *max_iterations*, or a *start* not in the open region.

    Notes
    -----
    Iteration: draw a direction u (a standard Gaussian vector scaled by 2^20 and
    rounded to integers, so exactly rational); along the line x + t u every
    inequality ``b + a·x > 0`` gives an exact bound on t; the ray (t > 0) leaves the
    region through the row with the smallest ratio — the hit. A unique minimiser is a
    facet (the exit point lies on exactly one hyperplane of the region, hence in the
    relative interior of a facet); several minimisers mean a face of dimension <= d-2
    (a tie: reported, nothing counted). Then x moves to a uniform random point of the
    chord (the "run"), rounded to a dyadic point with denominator 2^m, m = 32, 64, ...,
    as long as that leaves the open region, so numbers stay small. Integer arithmetic
    only: O(K d) per iteration for K inequalities.

    Examples
    --------
    >>> from exactpoly import network_from_layers, region_complex
    >>> net = network_from_layers(2, [([[1, 1], [1, -1]], [0, 0]), ([[1, 1]], [0])])
    >>> cx = region_complex(net, box=1)
    >>> r = hit_and_run_facets(net, cx.regions[0], box=1, seed=0, patience=20)
    >>> r.pattern, r.exact_facets, r.found_facets, r.iterations_to_all, r.inequalities
    ('00', 3, 3, 4, 6)
    """
    import numpy as np

    _check_net(net)
    B = _box(box)
    for value, name in ((patience, "patience"), (max_iterations, "max_iterations")):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise DomainError(f"{name}: expected a positive int, got {value!r}")
    rows = region_inequalities(net, region.pattern, B)
    x = tuple(Fraction(v) for v in (region.interior_point if start is None else start))
    if len(x) != net.input_dim or not _strictly_inside(rows, x):
        raise DomainError(f"start: {start!r} is not a point of the open region {region.pattern_string}")
    q = 1
    for xv in x:
        q = lcm(q, xv.denominator)
    p = [int(xv * q) for xv in x]
    rng = np.random.default_rng(seed)
    d = net.input_dim
    first: dict[IntRow, int] = {}
    ties = 0
    last_new = 0
    it = 0
    while it < max_iterations:
        it += 1
        u = _direction(rng, d)
        vals = [r[0] * q + sum(a * pj for a, pj in zip(r[1:], p)) for r in rows]  # > 0, = q (b + a x)
        slopes = [sum(a * uj for a, uj in zip(r[1:], u)) for r in rows]
        fwd, bwd, fwd_rows = chord_exits(vals, slopes)
        if fwd is None or bwd is None:  # impossible in a box
            raise DomainError("box: the region is unbounded along a ray")
        if len(fwd_rows) == 1:
            key = rows[fwd_rows[0]]
            if key not in first:
                first[key] = it
                last_new = it
        else:
            ties += 1
        # run: t uniform in (-bwd, fwd) (in units of 1/q), then round to a dyadic point inside
        p, q, _ = _chord_step(p, q, u, fwd, bwd, rng, lambda cand, Q: True if all(
            r[0] * Q + sum(a * c for a, c in zip(r[1:], cand)) > 0 for r in rows) else None)
        if it % patience == 0 and last_new <= it - patience:
            break
    found = tuple(sorted(first))
    return HitAndRunResult(region.pattern_string, region.n_facets, found, tuple(first[f] for f in found), it,
                           ties, len(rows))


@dataclass(frozen=True)
class HitAndRunWalk:
    """What the paper's hit-and-run estimator found on one region (:func:`hit_and_run_rows`).

    Attributes
    ----------
    found : tuple of int
        Indices (into the rows given) of the inequalities hit, sorted; each is a facet
        of the region (a ray left the region through the relative interior of that
        facet).
    first_hit : tuple of int
        For each index of ``found``, the iteration that first hit it.
    iterations : int
        Iterations run before the stopping rule fired (or *max_iterations*).
    ties : int
        Rays that left through a face of dimension <= d-2 (two or more rows at once):
        not counted.
    inequalities : int
        K, the number of rows.
    stopped : bool
        True when the stopping rule fired (no new facet in the last *patience*
        iterations), False when *max_iterations* ran out first.
    """

    found: tuple[int, ...]
    first_hit: tuple[int, ...]
    iterations: int
    ties: int
    inequalities: int
    stopped: bool

    @property
    def found_facets(self) -> int:
        """The estimate: the number of distinct facets hit."""
        return len(self.found)


def hit_and_run_rows(rows: Sequence[Sequence[int]], start: Sequence[Any], *, seed: int = 0,
                     patience: int = 1000, max_iterations: int = 100_000) -> HitAndRunWalk:
    """The paper's hit-and-run face estimator (Preliminary 5, Section V.C) on a bounded region ``rows > 0``.

    Parameters
    ----------
    rows : sequence of integer rows ``(b, a_1..a_d)``
        The region ``{x : b + a·x > 0 for every row}`` (docs/conventions.md, "Rows");
        it must be bounded (include box walls).
    start : point
        A point of the open region (the paper starts at the sample), exact numbers.
    seed : int
        Seed of ``numpy.random.default_rng``: the walk is deterministic given the seed.
    patience : int
        The paper's stopping rule: a checkpoint every *patience* iterations (paper:
        1000); stop at the first checkpoint with no new facet since the previous one.
    max_iterations : int
        Stop here even if facets are still being found (``stopped`` is then False).

    Returns
    -------
    HitAndRunWalk

    Raises
    ------
    DomainError
        Bad *patience*/*max_iterations*, rows of different lengths, a *start* not in
        the open region, or an unbounded region.

    Notes
    -----
    Each iteration is the one of :func:`hit_and_run_facets`: a random integer direction
    u (a Gaussian scaled by 2^20), the exact exit ratios of the ray along u (the row
    with the unique smallest ratio is a facet hit; several are a tie), then a uniform
    random point of the chord rounded to a dyadic point inside. The exit rows and the
    inside test are exact, found by :class:`~exactpoly.geometry.chords.FilteredRows`: a
    certified float filter over all rows (one BLAS matrix-vector product of O(K d) flops
    per point and per direction) and exact integers for the few rows it cannot separate,
    so the walk is the one exact integer products give, step for step.

    Examples
    --------
    >>> square = [(1, 1, 0), (1, -1, 0), (1, 0, 1), (1, 0, -1), (2, 1, 1)]  # |x|,|y| <= 1; x+y > -2 redundant
    >>> w = hit_and_run_rows(square, (0, 0), seed=0, patience=50)
    >>> w.found, w.found_facets, w.inequalities, w.stopped
    ((0, 1, 2, 3), 4, 5, True)
    """
    import numpy as np

    for value, name in ((patience, "patience"), (max_iterations, "max_iterations")):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise DomainError(f"{name}: expected a positive int, got {value!r}")
    if not rows or len({len(r) for r in rows}) != 1 or len(rows[0]) < 2:
        raise DomainError("rows: expected a non-empty list of integer rows (b, a_1..a_d) of one length")
    chords = FilteredRows(rows)
    d = chords.n - 1
    x = tuple(Fraction(v) for v in start)
    q = 1
    for xv in x:
        q = lcm(q, xv.denominator)
    p = [int(xv * q) for xv in x]
    if len(x) != d or not chords.is_strictly_inside((q, *p)):
        raise DomainError(f"start: not a point of the open region (expected {d} coordinates)")
    rng = np.random.default_rng(seed)
    first: dict[int, int] = {}
    ties = 0
    last_new = 0
    it = 0
    stopped = False
    while it < max_iterations:
        it += 1
        u = _direction(rng, d)
        fwd, bwd, fwd_rows = chords.exits((q, *p), u)
        if fwd is None or bwd is None:
            raise DomainError("rows: the region is unbounded along a ray (add box walls)")
        if len(fwd_rows) == 1:
            if fwd_rows[0] not in first:
                first[fwd_rows[0]] = it
                last_new = it
        else:
            ties += 1
        p, q, _ = _chord_step(p, q, u, fwd, bwd, rng,
                              lambda cand, Q: True if chords.is_strictly_inside((Q, *cand)) else None)
        if it % patience == 0 and last_new <= it - patience:
            stopped = True
            break
    found = tuple(sorted(first))
    return HitAndRunWalk(found, tuple(first[f] for f in found), it, ties, len(chords.rows), stopped)


def format_sampling(report: SamplingReport, hit_and_run: Sequence[HitAndRunResult] = (), *,
                    json_output: bool = False) -> str:
    """Render a :class:`SamplingReport` (and hit-and-run results) as Markdown tables or JSON.

    Examples
    --------
    >>> from exactpoly import network_from_layers
    >>> net = network_from_layers(2, [([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [0])])
    >>> print(format_sampling(sampling_vs_exact(net, n_samples=20)).splitlines()[0])
    | quantity | value |
    """
    from ..io.export import format_table
    from .stats import decimal_string

    cx = report.complex
    if json_output:
        obj = report.to_mapping()
        obj["hit_and_run"] = [{"pattern": r.pattern, "exact_facets": r.exact_facets,
                               "found_facets": r.found_facets, "iterations": r.iterations,
                               "iterations_to_all": r.iterations_to_all, "ties": r.ties,
                               "inequalities": r.inequalities} for r in hit_and_run]
        return json.dumps(obj, indent=1) + "\n"
    total = (2 * cx.box) ** cx.input_dim
    head = [["architecture", cx.network.architecture], ["box", f"[-{format_fraction(cx.box)}, "
                                                                f"{format_fraction(cx.box)}]^{cx.input_dim}"],
            ["samples (seed)", f"{report.n_samples} ({report.seed})"],
            ["samples on a boundary", report.n_boundary_samples],
            ["regions (exact)", report.n_regions], ["regions found by sampling", report.n_found],
            ["regions missed", report.n_missed],
            ["missed volume share", decimal_string(report.missed_volume / total, 4)],
            ["expected missed (independent samples)", report.expected_missed]]
    out = [format_table(["quantity", "value"], head)]
    out.append(format_table(["#facets", "regions", "found", "missed"],
                            [[k, n, f, n - f] for k, n, f in report.by_facets]))
    out.append(format_table(["volume share in", "regions", "found", "missed", "missed volume share"],
                            [[f"(2^-{report.volume_step * (j + 1)}, 2^-{report.volume_step * j}]", n, f, n - f,
                              decimal_string(v / total, 4)]
                             for j, n, f, v in report.by_volume]))
    if hit_and_run:
        rows = [[r.pattern if len(r.pattern) <= 24 else r.pattern[:21] + "...", r.inequalities, r.exact_facets,
                 r.found_facets, r.iterations_to_all, r.iterations, r.ties] for r in hit_and_run]
        out.append(format_table(["region", "K", "exact #facets", "found", "iterations to all", "iterations run",
                                 "ties"], rows))
    return "\n\n".join(out) + "\n"


# ----------------------------------------------------------------------------- command line
