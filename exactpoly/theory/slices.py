"""Exact 2-D cross-sections of the region complex (Fig. 10 of arXiv 2305.09145).

The paper draws the polytopes of an MNIST network on the plane ``I + a·α + b·β``
through an image ``I`` along two random directions and observes that "almost all the
polytopes are triangles or quadrilaterals". Here the plane is
``x(u, v) = x0 + u·a + v·b`` with an exact rational origin ``x0`` and linearly
independent rational directions ``a``, ``b``. The network restricted to the plane is
again a ReLU network, with 2 inputs: its first layer ``W_0 x + b_0`` becomes
``(W_0 [a b]) (u, v) + (W_0 x0 + b_0)`` — exactly — and the other layers are unchanged.
Its exact 2-D complex (in ``[-B, B]^2`` of ``(u, v)``, or in R^2) is the cross-section
of the original complex: each region of the slice is the intersection of the plane
with the closure-interior of a region of the original network, with the same pattern
(a neuron whose pre-activation vanishes on the whole slice region is off, as in
docs/conventions.md). Polygons are coloured by their number of edges (#facets, box walls
included).

Examples
--------
>>> from exactpoly import network_from_layers
>>> net = network_from_layers(3, [([[1, 0, 0], [0, 1, 0], [0, 0, 1]], [0, 0, "-1/2"]), ([[1, 1, 1]], [0])])
>>> plane = plane_from([0, 0, 0], [1, 0, 0], [0, 1, 1])
>>> sl = restrict_to_plane(net, plane)
>>> sl.architecture, sl.weights[0], sl.biases[0]
('2-3-1', ((Fraction(1, 1), Fraction(0, 1)), (Fraction(0, 1), Fraction(1, 1)),
           (Fraction(0, 1), Fraction(1, 1))), (Fraction(0, 1), Fraction(0, 1), Fraction(-1, 2)))
>>> cx = slice_complex(net, plane, box=1)
>>> [r.pattern_string for r in cx.regions]
['000', '010', '011', '100', '110', '111']
>>> cx.regions[2].pattern_string, polygon(cx.regions[2])   # u < 0, v > 1/2
('011', ((Fraction(-1, 1), Fraction(1, 2)), (Fraction(0, 1), Fraction(1, 2)),
         (Fraction(0, 1), Fraction(1, 1)), (Fraction(-1, 1), Fraction(1, 1))))
"""

from __future__ import annotations

import numbers
import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cmp_to_key
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    pass

from ..errors import DomainError
from ..network import ReluNetwork
from ..rational import format_fraction, to_fraction

__all__ = [
    "Plane",
    "plane_from",
    "parse_plane",
    "random_plane",
    "restrict_to_plane",
    "slice_complex",
    "polygon",
    "slice_summary",
    "plot_slice",
    "plot_complex",
    "decision_segments",
    "slice_title",
    "COLOURINGS",
]

Vector = tuple[Fraction, ...]


@dataclass(frozen=True)
class Plane:
    """The affine plane ``x(u, v) = origin + u·a + v·b`` of R^d (a, b linearly independent).

    Build it with :func:`plane_from`, :func:`parse_plane` or :func:`random_plane`.

    Attributes
    ----------
    origin, a, b : tuple of Fraction
        Each of length ``d``.
    """

    origin: Vector
    a: Vector
    b: Vector

    def __post_init__(self) -> None:
        for name in ("origin", "a", "b"):
            vec = getattr(self, name)
            if not isinstance(vec, tuple) or not all(isinstance(x, Fraction) for x in vec):
                raise DomainError(f"{name}: expected a tuple of Fractions (use plane_from), got {vec!r}")
        d = len(self.origin)
        if d < 2:
            raise DomainError(f"origin: a plane needs an ambient dimension >= 2, got {d}")
        for name in ("a", "b"):
            if len(getattr(self, name)) != d:
                raise DomainError(f"dirs: direction {name} has {len(getattr(self, name))} coordinates but the "
                                  f"origin has {d}")
        if not _independent(self.a, self.b):
            raise DomainError("dirs: the directions a and b are linearly dependent (parallel or zero); "
                              "they do not span a plane")

    @property
    def input_dim(self) -> int:
        return len(self.origin)

    def point(self, u: Any, v: Any) -> Vector:
        """The point ``origin + u·a + v·b`` (exact).

        >>> plane_from([1, 0], [1, 0], [0, 2]).point("1/2", 1)
        (Fraction(3, 2), Fraction(2, 1))
        """
        uq, vq = to_fraction(u, name="u"), to_fraction(v, name="v")
        return tuple(x + uq * p + vq * q for x, p, q in zip(self.origin, self.a, self.b))

    def to_mapping(self) -> dict[str, Any]:
        """``{"origin": [...], "dirs": [[...], [...]]}`` with ``"p/q"`` strings."""
        return {"origin": [format_fraction(x) for x in self.origin],
                "dirs": [[format_fraction(x) for x in self.a], [format_fraction(x) for x in self.b]]}


def _independent(a: Vector, b: Vector) -> bool:
    """Some 2x2 minor of [a b] is non-zero. O(d^2) worst case, O(d) typically."""
    n = len(a)
    for i in range(n):
        for j in range(i + 1, n):
            if a[i] * b[j] != a[j] * b[i]:
                return True
    return False


def _plane_vector(values: Any, name: str) -> Vector:
    import numpy as np

    if isinstance(values, np.ndarray):
        values = values.tolist() if values.ndim == 1 else None
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
        raise DomainError(f"{name}: expected a sequence of numbers, got {values!r}")
    return tuple(to_fraction(x, name=f"{name}[{j}]") for j, x in enumerate(values))


def plane_from(origin: Sequence[Any], a: Sequence[Any], b: Sequence[Any]) -> Plane:
    """The plane ``origin + u·a + v·b``; entries are read exactly (floats as their binary value).

    Raises
    ------
    NumberError
        A bad entry, named like ``dirs[1][2]``.
    DomainError
        Lengths differ, or a and b are linearly dependent (the message names ``dirs``).

    Notes
    -----
    O(d) to read, O(d^2) worst case for the independence test.

    Examples
    --------
    >>> plane_from([0, 0, 0], [1, 0, 0], ["1/2", 0, 0])
    Traceback (most recent call last):
    ...
    exactpoly.errors.DomainError: dirs: the directions a and b are linearly dependent (parallel or zero);
    they do not span a plane
    """
    return Plane(_plane_vector(origin, "origin"), _plane_vector(a, "dirs[0]"), _plane_vector(b, "dirs[1]"))


def parse_plane(origin: str | None, dirs: str, input_dim: int) -> Plane:
    """A plane from the CLI's ``--origin "x1,...,xd"`` and ``--dirs "a1,...,ad;b1,...,bd"``.

    A missing origin is the zero vector. Numbers are ``p/q``, integers or decimals.

    Raises
    ------
    DomainError
        The message names ``--origin`` or ``--dirs`` (wrong count, bad number, dependent directions).

    Examples
    --------
    >>> parse_plane("0,1/2,0", "1,0,0; 0,0,1", 3).origin
    (Fraction(0, 1), Fraction(1, 2), Fraction(0, 1))
    >>> parse_plane(None, "1,0", 2)
    Traceback (most recent call last):
    ...
    exactpoly.errors.DomainError: --dirs: expected two directions separated by ';', got '1,0'
    """
    def numbers(text: str, name: str) -> Vector:
        parts = [t.strip() for t in text.split(",")]
        if len(parts) != input_dim:
            raise DomainError(f"{name}: expected {input_dim} comma-separated numbers (the network has "
                              f"{input_dim} inputs), got {len(parts)} in {text!r}")
        try:
            return tuple(to_fraction(t, name=f"{name}[{j}]") for j, t in enumerate(parts))
        except ValueError as e:
            raise DomainError(str(e)) from None

    x0 = numbers(origin, "--origin") if origin is not None else (Fraction(0),) * input_dim
    vecs = [t for t in dirs.split(";")]
    if len(vecs) != 2:
        raise DomainError(f"--dirs: expected two directions separated by ';', got {dirs!r}")
    a, b = numbers(vecs[0], "--dirs"), numbers(vecs[1], "--dirs")
    try:
        return Plane(x0, a, b)
    except DomainError as e:
        raise DomainError(f"--{e}") from None


def random_plane(input_dim: int, seed: int = 0, *, origin: Sequence[Any] | None = None,
                 denominator: int = 64) -> Plane:
    """A seeded random plane with rational origin and directions.

    Directions: Gaussian vectors scaled by ``1/sqrt(d)`` (about unit length), each
    entry rounded to a multiple of ``1/denominator``; the origin (unless given, e.g.
    a data point as in the paper) is uniform in ``[-1, 1]^d`` on the same grid.
    Redrawn until the directions are independent.

    Notes
    -----
    ``numpy.random.default_rng(seed)``; O(d).

    Examples
    --------
    >>> p = random_plane(3, seed=0)
    >>> p.a
    (Fraction(3, 8), Fraction(1, 16), Fraction(-5, 16))
    >>> random_plane(3, seed=0) == p, random_plane(3, 1, origin=[0, 0, 0]).origin
    (True, (Fraction(0, 1), Fraction(0, 1), Fraction(0, 1)))
    """
    import numpy as np

    if isinstance(input_dim, bool) or not isinstance(input_dim, numbers.Integral) or input_dim < 2:
        raise DomainError(f"input_dim: a plane needs an ambient dimension >= 2, got {input_dim!r}")
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise DomainError(f"seed: expected a non-negative integer, got {seed!r}")
    if isinstance(denominator, bool) or not isinstance(denominator, int) or denominator < 1:
        raise DomainError(f"denominator: expected a positive integer, got {denominator!r}")
    d = int(input_dim)
    rng = np.random.default_rng(int(seed))
    x0 = rng.integers(-denominator, denominator, size=d, endpoint=True)
    x = _plane_vector(origin, "origin") if origin is not None else tuple(Fraction(int(k), denominator) for k in x0)
    if len(x) != d:
        raise DomainError(f"origin: expected {d} coordinates, got {len(x)}")
    while True:
        g = np.rint(rng.standard_normal(size=(2, d)) * (denominator / np.sqrt(d))).astype(np.int64)
        a = tuple(Fraction(int(k), denominator) for k in g[0])
        b = tuple(Fraction(int(k), denominator) for k in g[1])
        if _independent(a, b):
            return Plane(x, a, b)


def restrict_to_plane(net: ReluNetwork, plane: Plane) -> ReluNetwork:
    """The 2-input network ``(u, v) -> net(origin + u·a + v·b)``, exactly.

    The first layer (hidden, or the output layer of a net without hidden layers)
    becomes ``W_0 [a b]`` with bias ``W_0 origin + b_0``; the other layers are kept.
    Hidden neuron ``i`` keeps its index, so patterns of the slice are patterns of
    *net*.

    Raises
    ------
    DomainError
        The plane's dimension differs from ``net.input_dim`` (message names ``plane``).

    Notes
    -----
    O(n_1 · d) exact multiplications.

    Examples
    --------
    >>> from exactpoly import network_from_layers
    >>> net = network_from_layers(3, [([[1, 2, 3]], [1]), ([[1]], [0])])
    >>> restrict_to_plane(net, plane_from([1, 1, 1], [1, 0, 0], [0, 0, 1])).weights[0]
    ((Fraction(1, 1), Fraction(3, 1)),)
    """
    if not isinstance(net, ReluNetwork):
        raise DomainError(f"net: expected a ReluNetwork, got {type(net).__name__}")
    if not isinstance(plane, Plane):
        raise DomainError(f"plane: expected a Plane, got {type(plane).__name__}")
    if plane.input_dim != net.input_dim:
        raise DomainError(f"plane: it lives in R^{plane.input_dim} but the {net.architecture} network has "
                          f"{net.input_dim} inputs")
    W, b0 = net.weights[0], net.biases[0]
    zero = Fraction(0)
    W2 = tuple((sum((w * p for w, p in zip(row, plane.a)), zero), sum((w * q for w, q in zip(row, plane.b)), zero))
               for row in W)
    b2 = tuple(c + sum((w * x for w, x in zip(row, plane.origin)), zero) for row, c in zip(W, b0))
    return ReluNetwork(2, (W2, *net.weights[1:]), (b2, *net.biases[1:]))


def slice_complex(net: ReluNetwork, plane: Plane, box: Any = 1, **kwargs: Any):
    """The exact 2-D complex of *net* on *plane*, in ``[-B, B]^2`` of ``(u, v)`` (``box=None``: R^2).

    Same as ``region_complex(restrict_to_plane(net, plane), box=box, **kwargs)``.

    Examples
    --------
    >>> from exactpoly import network_from_layers
    >>> net = network_from_layers(3, [([[1, 1, 1]], [0]), ([[1]], [0])])
    >>> slice_complex(net, plane_from([0, 0, 0], [1, 0, 0], [0, 1, 0]), box=None).n_regions
    2
    """
    from ..complex import region_complex

    return region_complex(restrict_to_plane(net, plane), box=box, **kwargs)


def _ccw(points: Sequence[tuple[Fraction, Fraction]]) -> tuple[tuple[Fraction, Fraction], ...]:
    """Sort the vertices of a convex polygon counter-clockwise, exactly, starting at the lowest-then-leftmost."""
    n = len(points)
    cx = sum((p[0] for p in points), Fraction(0)) / n
    cy = sum((p[1] for p in points), Fraction(0)) / n

    def half(p: tuple[Fraction, Fraction]) -> int:
        dx, dy = p[0] - cx, p[1] - cy
        return 0 if dy > 0 or (dy == 0 and dx > 0) else 1

    def cmp(p: tuple[Fraction, Fraction], q: tuple[Fraction, Fraction]) -> int:
        hp, hq = half(p), half(q)
        if hp != hq:
            return hp - hq
        cross = (p[0] - cx) * (q[1] - cy) - (p[1] - cy) * (q[0] - cx)
        return -1 if cross > 0 else (1 if cross < 0 else 0)

    ring = sorted(points, key=cmp_to_key(cmp))
    start = min(range(n), key=lambda i: (ring[i][1], ring[i][0]))
    return tuple(ring[start:] + ring[:start])


def polygon(region: Any, window: Any = None) -> tuple[tuple[Fraction, Fraction], ...]:
    """The vertices of a 2-D region's closure in counter-clockwise order (exact).

    Parameters
    ----------
    region : Region
        A region of a 2-D complex.
    window : number, optional
        Clip to ``[-window, window]^2`` (exactly); needed for an unbounded region.
        An empty or degenerate intersection gives ``()``.

    Notes
    -----
    O(k log k) exact comparisons for k vertices (sorted around the centroid by
    half-plane and cross product, no angles); clipping is one exact vertex enumeration.

    Examples
    --------
    >>> from exactpoly import network_from_layers, region_complex
    >>> cx = region_complex(network_from_layers(2, [([[1, 1]], [0]), ([[1]], [0])]), box=None)
    >>> polygon(cx.regions[1], window=1)
    ((Fraction(1, 1), Fraction(-1, 1)), (Fraction(1, 1), Fraction(1, 1)), (Fraction(-1, 1), Fraction(1, 1)))
    """
    if region.dim != 2:
        raise DomainError(f"region: expected a region of a 2-D complex, got dimension {region.dim}")
    W = None
    if window is not None:
        W = to_fraction(window, name="window")
        if W <= 0:
            raise DomainError(f"window: expected a positive number, got {window!r}")
    if region.is_bounded and (W is None or all(abs(x) <= W for v in region.vertices for x in v)):
        pts = [(v[0], v[1]) for v in region.vertices]
    else:
        if W is None:
            raise DomainError("window: needed to draw an unbounded region")
        from ..geometry.polyhedron import polyhedron_from_box, polyhedron_from_rows

        rows = [f.row for f in region.facets] + list(polyhedron_from_box(W, 2).rows)
        pts = [(v[0], v[1]) for v in polyhedron_from_rows(rows).vertices]
        if len(pts) < 3:
            return ()
    return _ccw(pts)


def _window(cx: Any) -> Fraction:
    if cx.box is not None:
        return cx.box
    from ..complex import auto_box

    return auto_box(cx.network)


def slice_summary(net: ReluNetwork, plane: Plane, cx: Any) -> dict[str, Any]:
    """JSON-ready description of a cross-section: the plane, the slice network, the region summary
    (the keys of docs/conventions.md) and the polygon statistics the paper's Fig. 10 is about.

    Extra keys: ``network`` (architecture of *net*), ``plane``, ``edge_histogram``
    (#regions with k edges, box walls included — the same as ``facet_histogram``),
    ``triangles_and_quadrilaterals`` (exact share of regions with at most 4 edges),
    ``interior_regions``, ``interior_edge_histogram`` and
    ``interior_triangles_and_quadrilaterals`` for the regions not touching the box
    (their polygons are not cut by the window).

    Examples
    --------
    >>> from exactpoly import network_from_layers
    >>> net = network_from_layers(3, [([[1, 0, 0], [0, 1, 0]], [0, 0]), ([[1, 1]], [0])])
    >>> p = plane_from([0, 0, 5], [1, 0, 0], [0, 1, 0])
    >>> s = slice_summary(net, p, slice_complex(net, p))
    >>> s["regions"], s["edge_histogram"], s["triangles_and_quadrilaterals"], s["interior_regions"]
    (4, {'4': 4}, '1', 0)
    """
    from ..io.export import summary

    s = summary(cx)
    inner = [r for r in cx.regions if not any(f.walls for f in r.facets)]
    hist_in = Counter(r.n_facets for r in inner)

    def share(regions: list[Any]) -> str:
        return format_fraction(Fraction(sum(r.n_facets <= 4 for r in regions), len(regions))) if regions else "0"

    return {"network": net.architecture, "plane": plane.to_mapping(), "slice_architecture": s.pop("architecture"),
            **s, "edge_histogram": s["facet_histogram"],
            "triangles_and_quadrilaterals": share(list(cx.regions)),
            "interior_regions": len(inner),
            "interior_edge_histogram": {str(k): hist_in[k] for k in sorted(hist_in)},
            "interior_triangles_and_quadrilaterals": share(inner)}


Segment = tuple[tuple[Fraction, Fraction], tuple[Fraction, Fraction]]


def decision_segments(cx: Any, window: Any = None) -> tuple[Segment, ...]:
    """The decision boundary (output = 0) of a 2-D, single-output complex as exact segments.

    The output is affine on each region, ``f(x) = w·x + c``; the zero set of that map
    is intersected with the region's closed polygon (:func:`polygon`) exactly. A
    segment of positive length is kept; a segment on the common edge of two regions is
    kept once. A region on which the output is identically zero is all boundary and
    gives no segment (it is drawn filled).

    Parameters
    ----------
    cx : RegionComplex
        A complex of a network with 2 inputs and 1 output.
    window : number, optional
        Clip to ``[-window, window]^2``; default the complex's box (for an unbounded
        complex, :func:`~exactpoly.complex.auto_box`).

    Returns
    -------
    tuple of ((u0, v0), (u1, v1))
        Fractions, each segment with its endpoints in lexicographic order, the
        segments sorted.

    Raises
    ------
    DomainError
        *cx* is not 2-D with one output (the message names ``cx``).

    Notes
    -----
    O(sum of k_r) exact operations for regions with k_r vertices, after the output
    maps (:func:`~exactpoly.theory.pieces.region_affine_maps`).

    Examples
    --------
    >>> from exactpoly import network_from_layers, region_complex
    >>> net = network_from_layers(2, [([[1, 0]], [0]), ([[1]], ["-1/2"])])   # relu(u) - 1/2
    >>> decision_segments(region_complex(net, box=1))
    (((Fraction(1, 2), Fraction(-1, 1)), (Fraction(1, 2), Fraction(1, 1))),)
    """
    from .pieces import region_affine_maps

    _check_2d(cx)
    if cx.network.output_dim != 1:
        raise DomainError(f"cx: the decision boundary needs one output, the {cx.network.architecture} network "
                          f"has {cx.network.output_dim}")
    W = _window(cx) if window is None else to_fraction(window, name="window")
    segs: set[Segment] = set()
    for r, (A, c) in zip(cx.regions, region_affine_maps(cx)):
        (a, b), c0 = A[0], c[0]
        if a == 0 and b == 0:
            continue
        poly = polygon(r, window=W)
        vals = [a * x + b * y + c0 for x, y in poly]
        pts = {p for p, f in zip(poly, vals) if f == 0}
        for i in range(len(poly)):
            (p, fp), (q, fq) = (poly[i], vals[i]), (poly[i - 1], vals[i - 1])
            if (fp < 0 < fq) or (fq < 0 < fp):
                t = fp / (fp - fq)
                pts.add((p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])))
        if len(pts) == 2:
            lo, hi = sorted(pts)
            segs.add((lo, hi))
    return tuple(sorted(segs))


def _check_2d(cx: Any) -> None:
    if getattr(cx, "input_dim", None) != 2:
        raise DomainError(f"cx: expected a 2-D RegionComplex, got {type(cx).__name__} of dimension "
                          f"{getattr(cx, 'input_dim', None)} (restrict to a plane first: slice_complex, "
                          f"or 'exactpoly slice' on the command line)")


COLOURINGS = ("facets", "output", "gradient")


def plot_complex(cx: Any, path: str | os.PathLike[str], *, colour: str = "facets", graph: bool = False,
                 boundary: bool = True, dpi: int = 100, width: float = 7.0, height: float = 5.0,
                 title: str | None = None) -> str:
    """Draw any 2-D complex: regions as exact polygons, coloured, with the decision boundary.

    Parameters
    ----------
    cx : RegionComplex
        A complex with 2 inputs (e.g. from :func:`slice_complex`). An unbounded complex
        is drawn in the window ``[-B, B]^2`` of :func:`~exactpoly.complex.auto_box`.
    path : path-like
        The PNG is written atomically; exactly ``(width·dpi, height·dpi)`` pixels.
    colour : {"facets", "output", "gradient"}
        ``"facets"``: one fixed colour per #facets (= #edges, box walls included), with
        a legend of the counts; ``"output"``: the output's exact value at the region's
        interior point (one output only), diverging colour map centred at 0;
        ``"gradient"``: the Euclidean norm of the output's gradient (Frobenius norm of
        the Jacobian for several outputs). Both with a colour bar; the numbers are
        float *display* values of exact quantities.
    graph : bool
        Draw the adjacency graph (a dot at each region's interior point, a segment per
        adjacent pair).
    boundary : bool
        Draw the decision boundary, output = 0, exactly (:func:`decision_segments`;
        one-output networks only, ignored otherwise).
    dpi, width, height
        Image size; constrained layout keeps labels, legend and colour bar inside it.
    title : str, optional
        Default: the architecture, the domain and the number of regions.

    Returns
    -------
    str
        *path*.

    Raises
    ------
    DomainError
        *cx* is not 2-D (use :func:`slice_complex` first), *colour* is unknown, or
        ``colour="output"`` with several outputs; *dpi* is not a positive int.

    Notes
    -----
    O(sum of k_r log k_r) exact operations for the polygons of regions with k_r
    vertices, plus the output maps for ``"output"``, ``"gradient"`` and the boundary
    (:func:`~exactpoly.theory.pieces.region_affine_maps`). matplotlib (Agg) is
    imported here.

    Examples
    --------
    >>> import os, tempfile
    >>> from exactpoly import network_from_layers, region_complex
    >>> from exactpoly.plot import png_size
    >>> cx = region_complex(network_from_layers(2, [([[1, 0], [1, 1]], [0, 0]), ([[1, -1]], ["-1/4"])]), box=1)
    >>> png_size(plot_complex(cx, os.path.join(tempfile.mkdtemp(), "c.png"), colour="output", dpi=20))
    (140, 100)
    """
    return _draw_complex(cx, path, colour=colour, graph=graph, boundary=boundary, dpi=dpi, width=width,
                         height=height, title=title, facet_word="facets")


def _domain_text(cx: Any, W: Fraction) -> str:
    if cx.box is not None:
        return f"box [-{format_fraction(cx.box)}, {format_fraction(cx.box)}]^2"
    return f"R^2 (window [-{format_fraction(W)}, {format_fraction(W)}]^2)"


def _draw_complex(cx: Any, path: str | os.PathLike[str], *, colour: str, graph: bool, boundary: bool, dpi: int,
                  width: float, height: float, title: str | None, facet_word: str) -> str:
    import math

    from ..plot import check_dpi, pyplot, save_figure
    from .pieces import region_affine_maps

    _check_2d(cx)
    dpi = check_dpi(dpi)
    if colour not in COLOURINGS:
        raise DomainError(f"colour: expected one of {', '.join(COLOURINGS)}, got {colour!r}")
    n_out = cx.network.output_dim
    if colour == "output" and n_out != 1:
        raise DomainError(f"colour: 'output' needs one output, the {cx.network.architecture} network has {n_out}")
    W = _window(cx)
    polys = [polygon(r, window=W) for r in cx.regions]
    keep = [i for i, p in enumerate(polys) if p]
    maps = region_affine_maps(cx) if colour != "facets" else ()
    plt = pyplot()
    from matplotlib.collections import LineCollection, PolyCollection
    from matplotlib.patches import Patch

    fig, ax = plt.subplots(figsize=(width, height), dpi=dpi, layout="constrained")
    try:
        coll = PolyCollection([[(float(x), float(y)) for x, y in polys[i]] for i in keep], edgecolors="black",
                              linewidths=0.4)
        if colour == "facets":
            counts = sorted({r.n_facets for r in cx.regions})
            palette = plt.get_cmap("tab10")
            fixed = {k: palette((k - 3) % 10) for k in counts}  # fixed per #facets: comparable across plots
            coll.set_facecolor([fixed[cx.regions[i].n_facets] for i in keep])
            hist = Counter(r.n_facets for r in cx.regions)
            handles = [Patch(facecolor=fixed[k], edgecolor="black", label=f"{k} {facet_word}: {hist[k]}")
                       for k in counts]
        else:
            if colour == "output":
                vals = [float(sum((w * x for w, x in zip(maps[i][0][0], cx.regions[i].interior_point)),
                                  maps[i][1][0])) for i in keep]
                label, cmap = "output at the region's interior point (float display)", "coolwarm"
            else:
                vals = [math.sqrt(float(sum((w * w for row in maps[i][0] for w in row), Fraction(0))))
                        for i in keep]
                label, cmap = "gradient norm (float display)", "viridis"
            coll.set_array(vals)
            coll.set_cmap(cmap)
            if colour == "output" and vals and min(vals) < 0 < max(vals):
                from matplotlib.colors import TwoSlopeNorm

                coll.set_norm(TwoSlopeNorm(0.0, min(vals), max(vals)))
            fig.colorbar(coll, ax=ax, label=label, shrink=0.9)
        ax.add_collection(coll)
        if graph:
            pts = [tuple(float(t) for t in r.interior_point) for r in cx.regions]
            segs = [(pts[i], pts[j]) for i, j in cx.graph.edges]
            ax.add_collection(LineCollection(segs, colors="#333333", linewidths=0.5, alpha=0.7))
            ax.plot([p[0] for p in pts], [p[1] for p in pts], "o", color="#333333", markersize=1.5)
        zero = [[(float(x), float(y)) for x, y in s] for s in decision_segments(cx, window=W)] \
            if boundary and n_out == 1 else []
        if zero:
            line = LineCollection(zero, colors="black", linewidths=1.6, label="output = 0")
            ax.add_collection(line)
        if colour == "facets":  # beside the axes, never over a polygon
            ax.legend(handles=handles + ([line] if zero else []), loc="upper left", bbox_to_anchor=(1.03, 1),
                      borderaxespad=0, fontsize="small", title=f"#{facet_word}: #regions", title_fontsize="small")
        elif zero:  # the colour bar is on the right: above the axes, left
            ax.legend(handles=[line], loc="lower left", bbox_to_anchor=(0, 1), borderaxespad=0.1,
                      fontsize="small", frameon=False)
        w = float(W)
        ax.set_xlim(-w, w)
        ax.set_ylim(-w, w)
        ax.set_aspect("equal")
        ax.set_xlabel("u" if facet_word == "edges" else "x1")
        ax.set_ylabel("v" if facet_word == "edges" else "x2")
        fig.suptitle(title or f"{cx.network.architecture} on {_domain_text(cx, W)}: {cx.n_regions} regions",
                     fontsize=9)
        return save_figure(fig, path, dpi)
    finally:
        plt.close(fig)


def plot_slice(cx: Any, path: str | os.PathLike[str], *, graph: bool = False, dpi: int = 100,
               width: float = 6.0, height: float = 5.0, title: str | None = None,
               colour: str = "facets") -> str:
    """Draw a cross-section's 2-D complex: polygons coloured by #edges, optionally the adjacency graph on top.

    :func:`plot_complex` with the axes named ``u``, ``v`` (the plane's coordinates) and
    the legend in #edges.

    Parameters
    ----------
    cx : RegionComplex
        A 2-D complex (e.g. from :func:`slice_complex`). An unbounded complex is drawn
        in the window ``[-B, B]^2`` of :func:`~exactpoly.complex.auto_box`.
    path : path-like
        The PNG is written atomically; exactly ``(width·dpi, height·dpi)`` pixels.
    graph : bool
        Draw the adjacency graph (a dot at each region's interior point, a segment
        per adjacent pair).
    title : str, optional
        Name the network and the plane here (:func:`slice_title`).
    colour : {"facets", "output", "gradient"}
        As in :func:`plot_complex`.

    Notes
    -----
    Vertices are exact (:func:`polygon`); floats are used only for drawing.
    Cost as :func:`plot_complex`.

    Examples
    --------
    >>> import os, tempfile
    >>> from exactpoly import network_from_layers, region_complex
    >>> from exactpoly.plot import png_size
    >>> cx = region_complex(network_from_layers(2, [([[1, 0], [1, 1]], [0, 0]), ([[1, 1]], [0])]), box=1)
    >>> png_size(plot_slice(cx, os.path.join(tempfile.mkdtemp(), "s.png"), graph=True, dpi=20))
    (120, 100)
    """
    return _draw_complex(cx, path, colour=colour, graph=graph, boundary=True, dpi=dpi, width=width,
                         height=height, title=title, facet_word="edges")


def slice_title(name: str, net: ReluNetwork, plane: Plane, max_chars: int = 90) -> str:
    """A figure title naming the network and the plane ``origin + u·a + v·b``.

    Long vectors are shortened with ``...`` so that the second line stays within
    *max_chars* characters. O(d).

    Examples
    --------
    >>> from exactpoly import network_from_layers
    >>> net = network_from_layers(3, [([[1, 1, 1]], [0]), ([[1]], [0])])
    >>> print(slice_title("net.json", net, plane_from([0, 0, "1/2"], [1, 0, 0], [0, 1, 0])))
    net.json (3-1-1) on the plane x0 + u·a + v·b
    x0 = (0, 0, 1/2), a = (1, 0, 0), b = (0, 1, 0)
    """
    room = max(12, (max_chars - 17) // 3)  # 17: the "x0 = ", ", a = ", ", b = " around the vectors

    def vec(v: Vector) -> str:
        parts = [format_fraction(x) for x in v]
        if len(", ".join(parts)) + 2 <= room:
            return "(" + ", ".join(parts) + ")"
        while parts and len(", ".join(parts)) + 7 > room:  # whole entries only, then ", ...)"
            parts.pop()
        return "(" + ", ".join([*parts, "..."]) + ")"

    return (f"{name} ({net.architecture}) on the plane x0 + u·a + v·b\n"
            f"x0 = {vec(plane.origin)}, a = {vec(plane.a)}, b = {vec(plane.b)}")


# ----------------------------------------------------------------------------- CLI
