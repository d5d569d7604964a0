"""Checks of a region complex against arrangement counts, layer by layer.

Every region of a hidden layer is cut by the next layer's neurons along the local
arrangement of their pre-activations on it (:class:`~exactpoly.complex.local_maps.PatternMaps`);
Zaslavsky's count of that arrangement inside the region must be the number of its
children in the complex (:func:`check_layer_counts`, :class:`CountReport`). For one hidden
layer the whole complex is also compared with the first layer's arrangement.

Examples
--------
>>> from exactpoly.network import network_from_layers
>>> from exactpoly.complex import region_complex
>>> net = network_from_layers(1, [([[1], [1]], [0, "-1/2"]), ([[1, 1]], [0])])
>>> print(check_layer_counts(region_complex(net, box=1)))
6 count identities checked, all hold
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..complex.local_maps import PatternMaps
from ..geometry.linalg import primitive
from ..geometry.polyhedron import box_rows
from ..geometry.rows import IntRow
from .hyperplanes import Arrangement, _arrangement_of_int_rows, arrangement_from_network
from .invariants import _chi_poset, _eval, _face_vector_of, _poly, n_regions
from .poset import intersection_poset

__all__ = ["CountCheck", "CountReport", "check_layer_counts"]


@dataclass(frozen=True)
class CountCheck:
    """One identity between a count read off the region complex and a formula.

    Attributes
    ----------
    quantity : str
        What is counted, e.g. ``"child regions"``, ``"regions"``, ``"facets_total"``.
    layer : int or None
        0-based hidden layer whose neurons cut (None for whole-complex checks).
    parent : str or None
        Activation pattern of the parent region (``""``: the domain), or None.
    complex_count : int
        The number in the complex.
    formula_count : int
        The number from the formula.
    formula : str
        How ``formula_count`` was obtained.
    """

    quantity: str
    layer: int | None
    parent: str | None
    complex_count: int
    formula_count: int
    formula: str

    @property
    def ok(self) -> bool:
        return self.complex_count == self.formula_count

    def __str__(self) -> str:
        where = []
        if self.layer is not None:
            where.append(f"hidden layer {self.layer} (0-based)")
        if self.parent is not None:
            where.append(f"parent pattern {self.parent!r}" if self.parent else "parent = the domain")
        loc = ", ".join(where) + ": " if where else ""
        verdict = "ok" if self.ok else "MISMATCH"
        return (f"{verdict}: {loc}{self.quantity}: complex {self.complex_count}, "
                f"{self.formula} {self.formula_count}")


@dataclass(frozen=True)
class CountReport:
    """The result of :func:`check_layer_counts`: every identity checked, in order."""

    checks: tuple[CountCheck, ...]

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    @property
    def failures(self) -> tuple[CountCheck, ...]:
        return tuple(c for c in self.checks if not c.ok)

    def __str__(self) -> str:
        bad = self.failures
        head = (f"{len(self.checks)} count identities checked, all hold" if not bad else
                f"{len(bad)} of {len(self.checks)} count identities FAIL")
        return "\n".join([head, *(str(c) for c in bad)])


def _wall_pieces(A: Arrangement, B: Fraction, j: int, side: int) -> int:
    """Pieces into which A cuts the open facet {x_j = side·B, |x_i| < B} of the box."""
    d = A.dim
    if d == 1:
        return 1
    rows = []
    for r in A.rows:
        a = r[1:]
        rest = a[:j] + a[j + 1:]
        if any(rest):
            rows.append(primitive([r[0] + a[j] * side * B, *rest]))
    W = _arrangement_of_int_rows(d - 1, rows)
    return n_regions(W, domain=[r for r, _ in box_rows(B, d - 1)])


def check_layer_counts(complex: Any) -> CountReport:
    """Check the region complex against Zaslavsky's counts, layer by layer.

    For every hidden layer l and every region P of layer l (the *parent*; at l = 0
    the open domain), the number of regions of layer l + 1 inside P — read off the
    complex as the distinct pattern prefixes extending P's — must equal the number
    of regions of the local arrangement inside the open polyhedron P (docs/property-testing.md):
    the hyperplanes of layer l's neurons on P, computed exactly from the network and
    P's pattern (the local affine map of the earlier layers), dead and constant
    neurons left out, coincident hyperplanes merged, counted by
    ``Σ_{X meeting P} |μ(0̂, X)|`` (:func:`n_regions` with a domain). Also
    ``history[l]`` must equal the number of distinct prefixes of layer l.

    For a one-hidden-layer net, with A = :func:`arrangement_from_network`:

    * R^d: ``regions == n_regions(A)`` and ``facets_total == 2 f_{d-1}(A)`` (each
      (d-1)-face bounds two regions);
    * box ``[-B, B]^d``: ``regions == n_regions(A, box)``; ``regions == n_regions(A)``
      too when every flat of A meets the open box; and ``facets_total`` equals the face
      count of the proof of Theorem 3 of arXiv 2305.09145: 2 × the (d-1)-faces of A
      inside the open box plus the pieces into which A cuts the 2d open box facets.

    Parameters
    ----------
    complex : RegionComplex

    Returns
    -------
    CountReport
        ``report.ok``; ``report.failures`` name the layer, the parent pattern and
        both numbers.

    Notes
    -----
    Exact throughout (integer local maps per pattern prefix,
    :class:`~exactpoly.complex.local_maps.PatternMaps`; one strict-feasibility double
    description per candidate flat of each local arrangement). O(#parents · |local poset| · DD).

    Examples
    --------
    >>> from exactpoly.network import network_from_layers
    >>> from exactpoly.complex import region_complex
    >>> net = network_from_layers(2, [([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], ["-1/2"]), ([[1]], [0])])
    >>> report = check_layer_counts(region_complex(net, box=1))
    >>> report.ok, len(report.checks)
    (True, 8)
    >>> print(report.checks[5])   # on x < 0 < y the second layer sees ReLU(y) - 1/2
    ok: hidden layer 1 (0-based), parent pattern '01': child regions: complex 2,
    Zaslavsky count of the local arrangement in the parent 2
    >>> print(report)
    8 count identities checked, all hold
    """
    from ..complex import RegionComplex

    if not isinstance(complex, RegionComplex):
        raise TypeError(f"complex: expected a RegionComplex, got {type(complex).__name__}")
    cx = complex
    net = cx.network
    d = net.input_dim
    L = net.n_hidden_layers
    ends = (*net.neuron_offsets, net.n_hidden_neurons)
    patterns = [r.pattern for r in cx.regions]
    domain_rows: list[IntRow] = [] if cx.box is None else [r for r, _ in box_rows(cx.box, d)]
    checks: list[CountCheck] = []
    prefixes = [sorted({p[:ends[l]] for p in patterns}) for l in range(L + 1)]
    for l in range(L + 1):
        checks.append(CountCheck(f"regions after {l} hidden layer(s) (history)", None, None,
                                 cx.history[l] if l < len(cx.history) else -1, len(prefixes[l]),
                                 "distinct pattern prefixes"))
    maps = PatternMaps(net)
    for l in range(L):
        children = Counter(q[:ends[l]] for q in prefixes[l + 1])
        for P in prefixes[l]:
            strict = maps.region_rows(P)
            if strict is None:
                count = 0
            else:
                K = domain_rows + list(strict)
                loc = _arrangement_of_int_rows(d, maps.preactivations(P)[0])
                if K:
                    count = n_regions(loc, domain=K)
                else:
                    count = n_regions(loc)
            checks.append(CountCheck("child regions", l, "".join(map(str, P)), children[P], count,
                                     "Zaslavsky count of the local arrangement in the parent"))
    if L == 1:
        A = arrangement_from_network(net)
        full = intersection_poset(A)
        regions_rd = (-1) ** d * _eval(_poly(_chi_poset(full)), -1)
        if cx.box is None:
            checks.append(CountCheck("regions", None, None, cx.n_regions, regions_rd,
                                     "(-1)^d chi(-1) of the first-layer arrangement"))
            checks.append(CountCheck("facets_total", None, None, cx.facets_total,
                                     2 * _face_vector_of(full)[d - 1], "2 f_{d-1} of the first-layer arrangement"))
        else:
            B = cx.box
            inside = intersection_poset(A, domain_rows)
            checks.append(CountCheck("regions", None, None, cx.n_regions,
                                     sum(abs(v) for v in inside.mobius_values),
                                     "Zaslavsky count of the first-layer arrangement in the open box"))
            if len(inside) == len(full):
                checks.append(CountCheck("regions (every flat meets the box: count of R^d)", None, None,
                                         cx.n_regions, regions_rd,
                                         "(-1)^d chi(-1) of the first-layer arrangement"))
            interior = _face_vector_of(inside)[d - 1]
            walls = sum(_wall_pieces(A, B, j, s) for j in range(d) for s in (-1, 1))
            checks.append(CountCheck("facets_total", None, None, cx.facets_total, 2 * interior + walls,
                                     f"Theorem 3 face count 2 x {interior} interior (d-1)-faces + {walls} "
                                     "box-wall pieces ="))
    return CountReport(tuple(checks))
