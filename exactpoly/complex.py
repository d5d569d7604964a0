"""The exact region complex of a ReLU network, built layer by layer.

DESIGN §1 "Activation region": layer 0 has one region, the open domain (the open
box ``(-B, B)^d`` or R^d). For a region R of layer l-1 every neuron of layer l has
an affine pre-activation on R. A neuron whose pre-activation is identically zero
on R is *off* there and cuts nothing; the other neurons' hyperplanes cut R, and the
regions of layer l inside R are the non-empty open cells of that arrangement. The
regions of the network are those of the last hidden layer; lower-dimensional
pieces are never regions.

Examples
--------
>>> from exactpoly.network import network_from_layers
>>> net = network_from_layers(2, [([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [0])])
>>> cx = region_complex(net, box=1)
>>> [r.pattern_string for r in cx.regions]
['00', '01', '10', '11']
>>> cx.n_regions, cx.graph.number_of_edges(), cx.volume_total
(4, 4, Fraction(4, 1))
>>> [f.walls for f in cx.regions[0].facets]
[(), (), ((1, -1),), ((0, -1),)]
"""

from __future__ import annotations

import gc
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cache, cached_property, lru_cache, partial
from itertools import accumulate, combinations, groupby
from math import comb, factorial, gcd, lcm, prod
from typing import cast

from ._linalg import integer_rank, primitive
from .errors import DomainError, GeometryError
from .network import ReluNetwork
from .parallel import make_runner
from .polyhedron import (
    Generators,
    box_rows,
    facets_of,
    generators_of,
    hyperplane_key,
    interior_point_of,
    is_strictly_feasible,
    point_fractions,
)
from .rational import coprime_fraction, format_fraction, to_fraction
from .triangulation import delaunay_triangulation_homogeneous, small_integer_determinant, sorted_pulling_simplices

_split_parts: Callable | None
_compiled_vertex_values: Callable | None
_compiled_affine_rows: Callable | None
_volume_numerator_3d: Callable | None
_compiled_next_cut: Callable | None
_compiled_region_order: Callable | None
_compiled_bit_changes: Callable | None
_pulling_simplices_3d: Callable | None
_compiled_sum_fractions: Callable | None
try:  # the compiled inner loops (setup.py); the Python code here is their twin and fallback
    from ._fast import affine_rows as _compiled_affine_rows
    from ._fast import bit_changes as _compiled_bit_changes
    from ._fast import next_cut as _compiled_next_cut
    from ._fast import pulling_simplices_3d as _pulling_simplices_3d
    from ._fast import region_order as _compiled_region_order
    from ._fast import split_parts as _split_parts
    from ._fast import sum_fractions as _compiled_sum_fractions
    from ._fast import vertex_values as _compiled_vertex_values
    from ._fast import volume_numerator_3d as _volume_numerator_3d
except ImportError:  # pragma: no cover - built without a C compiler
    _split_parts = _compiled_vertex_values = _compiled_affine_rows = None
    _volume_numerator_3d = _compiled_next_cut = _compiled_region_order = _compiled_bit_changes = None
    _pulling_simplices_3d = _compiled_sum_fractions = None

__all__ = [
    "RegionFacet",
    "Region",
    "RegionComplex",
    "region_complex",
    "auto_box",
    "summary",
    "complex_to_mapping",
]

IntRow = tuple[int, ...]
# A facet inside the engine: (canonical row, support labels, point indices, ray indices)
_FacetData = tuple[IntRow, frozenset, frozenset[int], frozenset[int]]
# Support labels inside the engine: ("n", layer, index) for a neuron, ("w", coord, side) for a wall.
Label = tuple[str, int, int]


@dataclass(frozen=True)
class RegionFacet:
    """A facet of an activation region.

    Attributes
    ----------
    row : tuple of int
        Canonical inward row ``(b, a)`` (coprime integers): the region satisfies
        ``b + a·x > 0`` and the facet lies on ``b + a·x = 0``.
    neurons : tuple of (int, int)
        Supporting neurons as ``(hidden layer, index)``, both 0-based, sorted.
    walls : tuple of (int, int)
        Supporting box walls as ``(coordinate, side)``; side -1 is ``x_j = -B``,
        +1 is ``x_j = B``. Sorted.
    vertices : tuple of int
        Indices into the region's ``vertices`` of the vertices on the facet, sorted.
    """

    row: IntRow
    neurons: tuple[tuple[int, int], ...]
    walls: tuple[tuple[int, int], ...]
    vertices: tuple[int, ...]


@dataclass(frozen=True)
class Region:
    """An activation region (an open convex polyhedron) and its exact geometry.

    Attributes
    ----------
    pattern : tuple of int
        One bit per hidden neuron (all layers, in order); off = 0.
    facets : tuple of RegionFacet
        Sorted by ``row``.
    points : tuple of tuple of int
        The vertices of the closure in homogeneous integer coordinates
        ``(q, q·v)`` (``q > 0``, coprime), lexicographically sorted by ``v``. When the
        region contains a line they are points of its minimal faces, not vertices.
    rays : tuple of tuple of int
        Extreme rays (unbounded domain only), coprime integer directions, sorted.
    lines : tuple of tuple of int
        A basis of the lineality space (unbounded domain only).

    ``vertices`` (exact Fractions), ``interior_point``, ``simplices`` and ``volume``
    are computed on first use.
    """

    pattern: tuple[int, ...]
    facets: tuple[RegionFacet, ...]
    points: tuple[tuple[int, ...], ...] = field(repr=False)
    rays: tuple[tuple[int, ...], ...]
    lines: tuple[tuple[int, ...], ...]

    @property
    def dim(self) -> int:
        return len(self.points[0]) - 1

    @property
    def pattern_string(self) -> str:
        """The activation pattern as a string of 0/1, e.g. ``"0110"``."""
        return "".join(map(str, self.pattern))

    @cached_property
    def vertices(self) -> tuple[tuple[Fraction, ...], ...]:
        """Vertices of the closure as exact Fractions, lexicographically sorted
        (empty when the region contains a line)."""
        if self.lines:
            return ()
        return tuple(point_fractions(p) for p in self.points)

    @cached_property
    def interior_point(self) -> tuple[Fraction, ...]:
        """A point of the open region: the mean of ``points`` plus the sum of the rays."""
        return interior_point_of(Generators(self.points, tuple((0, *r) for r in self.rays), ()))

    @property
    def n_facets(self) -> int:
        return len(self.facets)

    @property
    def n_vertices(self) -> int:
        return 0 if self.lines else len(self.points)

    @property
    def is_bounded(self) -> bool:
        return not self.rays and not self.lines

    @cached_property
    def simplices(self) -> tuple[tuple[int, ...], ...]:
        """d-simplices of the canonical (lexicographic pulling) triangulation.

        Each simplex is a sorted tuple of indices into ``vertices``. Raises
        DomainError for an unbounded region.
        """
        if not self.is_bounded:
            raise DomainError("simplices: the region is unbounded")
        fverts = [f.vertices for f in self.facets]
        if self.dim == 3 and _pulling_simplices_3d is not None:
            simplices = _pulling_simplices_3d(len(self.points), fverts)
            if simplices is not None:  # None: more than 64 vertices or facets
                return tuple(simplices)
        return tuple(sorted_pulling_simplices(len(self.points), fverts, self.dim))

    @property
    def n_simplices(self) -> int:
        return len(self.simplices)

    @cached_property
    def delaunay_simplices(self) -> tuple[tuple[int, ...], ...]:
        """d-simplices of the exact Delaunay triangulation of the vertices (second method).

        Cospherical cells are refined by lexicographic pulling; see
        :func:`~exactpoly.triangulation.delaunay_triangulation`.
        """
        if not self.is_bounded:
            raise DomainError("delaunay_simplices: the region is unbounded")
        return tuple(delaunay_triangulation_homogeneous(self.points, self.dim))

    @cached_property
    def _facet_fingerprints(self) -> tuple[int | None, ...]:
        """Per facet: ``hash`` of its vertices' coordinates, None on the box boundary.

        Used by the facet join; computed by the worker that finished the region.
        Equal facets of two regions have equal fingerprints (ints hash alike in every
        process); unequal ones almost never do, and the join checks exactly.
        """
        pts = self.points
        return tuple(None if f.walls else hash(tuple([pts[i] for i in f.vertices])) for f in self.facets)

    @cached_property
    def volume(self) -> Fraction:
        """Exact volume (sum over the canonical triangulation). DomainError if unbounded."""
        return coprime_fraction(*_sum_fractions([self._volume_terms]))

    @cached_property
    def _volume_terms(self) -> tuple[int, int]:
        """``(N, M)`` with ``volume == N / M``, not reduced: the simplices' terms over
        ``d!`` times the product of the vertex denominators. Workers compute it and sum
        a parent's children without reducing each region's Fraction (``_sum_volumes``)."""
        if self.dim == 3 and _volume_numerator_3d is not None:
            num, D = _volume_numerator_3d(tuple(self.points), self.simplices)  # tuple(): a no-op on tuples
        else:
            num, D = _volume_numerator(self.points, self.simplices)
        return num, D * factorial(self.dim)


def _volume_numerator(hom: tuple[IntRow, ...], simplices: Sequence[tuple[int, ...]]) -> tuple[int, int]:
    """``(N, D)`` with volume ``N / (d! D)``: the simplices' terms over one common denominator.

    vol(conv(p_0..p_d)) = |det[(q_i, q_i p_i)]| / (prod q_i · d!); the terms are summed
    over D = the product of all q_i (a multiple of every simplex's denominator, found
    without a gcd), so the volume needs one gcd at the end. The Python twin of the
    compiled ``_fast.volume_numerator_3d``.
    """
    qs = [p[0] for p in hom]
    D = prod(qs)
    num = 0
    for s in simplices:
        det = small_integer_determinant([hom[i] for i in s])
        num += (det if det > 0 else -det) * (D // prod([qs[i] for i in s]))
    return num, D


def _pattern_prefix(n: int, item: tuple[tuple[int, ...], Fraction]) -> tuple[int, ...]:
    return item[0][:n]


@dataclass(frozen=True, eq=False)
class RegionComplex:
    """The exact region complex of a network on a domain.

    Attributes
    ----------
    network : ReluNetwork
    box : Fraction or None
        B for the box ``[-B, B]^d``; None for R^d.
    regions : tuple of Region
        Sorted by activation pattern.
    edges : tuple of (int, int, tuple)
        Adjacent pairs ``(u, v, neurons)`` with ``u < v`` region indices (closures
        meet in a (d-1)-dimensional set) and the sorted supporting neurons
        ``(layer, index)`` of the shared face; sorted.
    history : tuple of int
        Number of regions after each layer; ``history[0] == 1`` (the domain).

    ``graph`` is the adjacency graph as a ``networkx.Graph`` (built on first use):
    nodes are region indices with attribute ``pattern`` (the pattern string), edges
    carry the attribute ``neurons``.
    """

    network: ReluNetwork
    box: Fraction | None
    regions: tuple[Region, ...]
    edges: tuple[tuple[int, int, tuple[tuple[int, int], ...]], ...] = field(repr=False)
    history: tuple[int, ...]
    # the regions' total volume when the workers that finished them summed it
    _volume: Fraction | None = field(default=None, repr=False, compare=False)

    @cached_property
    def graph(self):
        """The region adjacency graph (``networkx.Graph``)."""
        import networkx as nx

        g = nx.Graph()
        for i, r in enumerate(self.regions):
            g.add_node(i, pattern=r.pattern_string)
        for u, v, neurons in self.edges:
            g.add_edge(u, v, neurons=neurons)
        return g

    @property
    def input_dim(self) -> int:
        return self.network.input_dim

    @property
    def n_regions(self) -> int:
        return len(self.regions)

    @property
    def is_bounded(self) -> bool:
        return self.box is not None

    @property
    def facets_total(self) -> int:
        return sum(r.n_facets for r in self.regions)

    @property
    def vertices_total(self) -> int:
        return sum([0 if r.lines else len(r.points) for r in self.regions])

    @property
    def simplices_total(self) -> int | None:
        return sum([len(r.simplices) for r in self.regions]) if self.box is not None else None

    @cached_property
    def volume_total(self) -> Fraction | None:
        """Exact sum of the regions' volumes (None on R^d).

        Summed siblings first (regions are sorted by pattern, so the children of
        one parent are contiguous): their sum is the parent's volume, with a far
        smaller denominator than a running total over all regions would have.
        """
        if self.box is None:
            return None
        if self._volume is not None:
            return self._volume
        ends = list(accumulate(len(b) for b in self.network.biases[:-1]))[:-1]
        return _sum_by_prefix([(r.pattern, r.volume) for r in self.regions], ends)

    def region_of_pattern(self, pattern: str | tuple[int, ...]) -> Region:
        """The region with the given activation pattern (KeyError if none)."""
        key = tuple(int(c) for c in pattern)
        return self.regions[self._index[key]]

    @cached_property
    def _index(self) -> dict[tuple[int, ...], int]:
        return {r.pattern: i for i, r in enumerate(self.regions)}


# ----------------------------------------------------------------------------- engine


class _Cell:
    """Mutable working state of one region during the build (internal)."""

    __slots__ = ("pattern", "rows", "labels", "gens", "T", "facets", "signs", "extra", "vals")

    def __init__(self, pattern, rows, labels, gens, T):
        self.pattern: tuple[int, ...] = pattern
        self.rows: list[IntRow] = rows
        self.labels: list[frozenset] = labels
        self.gens: Generators = gens
        # previous layer's output on this cell, ((rows, den), bits): see LocalMap
        self.T = T
        self.facets: list[_FacetData] = []
        self.signs: tuple[int, ...] = ()
        # rows valid on the whole cell (with their labels), kept out of the DD input
        self.extra: tuple[list[IntRow], list[frozenset]] = ([], [])
        self.vals: list[tuple[int, ...]] = []  # per vertex: values of the cutting rows (split only)


def _dot(row: IntRow, g: IntRow) -> int:
    return sum(x * y for x, y in zip(row, g))


def _vertex_values_py(rows: list[IntRow], pts: tuple[IntRow, ...],
                      cache: dict[IntRow, tuple[int, ...]]) -> tuple[list[tuple[int, ...]], bytes]:
    """``(values, flags)``: per point the tuple of every row's value there (from *cache*
    when present, else computed and stored), and per row the signs seen (1 positive,
    2 negative, 4 zero); the Python twin of the compiled ``_fast.vertex_values``."""
    values = []
    for p in pts:
        v = cache.get(p)
        if v is None:
            v = cache[p] = tuple([_dot(r, p) for r in rows])
        values.append(v)
    flags = bytes((1 if max(c) > 0 else 0) | (2 if min(c) < 0 else 0) | (4 if 0 in c else 0)
                  for c in zip(*values)) if values else bytes(len(rows))
    return values, flags


_vertex_values: Callable = _compiled_vertex_values or _vertex_values_py


def _affine_rows_py(base: list[IntRow], cols: list[IntRow], rows: tuple[IntRow, ...],
                    add: list[int], sub: list[int]) -> list[IntRow]:
    """``base[j] + sum_{i in add} cols[i][j] rows[i] - sum_{i in sub} cols[i][j] rows[i]``
    for every j, as tuples; the Python twin of the compiled ``_fast.affine_rows``."""
    out = []
    for j, b in enumerate(base):
        acc = list(b)
        for sign, idx in ((1, add), (-1, sub)):
            for i in idx:
                w = sign * cols[i][j]
                if w:
                    acc = [a + w * x for a, x in zip(acc, rows[i])]
        out.append(tuple(acc))
    return out


_affine_rows: Callable = _compiled_affine_rows or _affine_rows_py


def _bit_changes_py(bits: tuple[int, ...], last: tuple[int, ...]) -> tuple[list[int], list[int]]:
    """``(add, sub)``: indices where *bits* turned on and where it turned off since
    *last*; the Python twin of the compiled ``_fast.bit_changes``."""
    add = [i for i, (a, b) in enumerate(zip(bits, last)) if a > b]
    sub = [i for i, (a, b) in enumerate(zip(bits, last)) if a < b]
    return add, sub


_bit_changes: Callable = _compiled_bit_changes or _bit_changes_py


def _next_cut_py(vals: list[tuple[int, ...]], t: int, stop: int) -> tuple[int, tuple[int, ...]]:
    """``(u, signs)``: the first column ``u`` in ``t:stop`` of *vals* with values of both
    signs (*stop* if none) and the side of each column before it (1 if some value is
    positive, else -1); the Python twin of the compiled ``_fast.next_cut``."""
    signs: list[int] = []
    for u in range(t, stop):
        col = [v[u] for v in vals]
        pos, neg = max(col) > 0, min(col) < 0
        if pos and neg:
            return u, tuple(signs)
        signs.append(1 if pos else -1)
    return stop, tuple(signs)


_next_cut: Callable = _compiled_next_cut or _next_cut_py


def _side(row: IntRow, g: Generators) -> tuple[bool, bool]:
    """(positive somewhere, negative somewhere) of ``row`` on the polyhedron's interior."""
    pos = neg = False
    for p in g.points:
        v = _dot(row, p)
        if v > 0:
            pos = True
        elif v < 0:
            neg = True
    for r in g.rays:
        v = _dot(row, r)
        if v > 0:
            pos = True
        elif v < 0:
            neg = True
    if g.lines and any(_dot(row, r) for r in g.lines):
        return True, True
    return pos, neg


def _coprime(row: IntRow) -> IntRow:
    """The positive multiple of an integer row with coprime entries."""
    g = gcd(*row)
    return tuple([x // g for x in row]) if g > 1 else row


def _neg(row: IntRow) -> IntRow:
    return tuple([-x for x in row])


def _finish(cell: _Cell, d: int) -> None:
    cell.facets = facets_of(cell.rows, cell.labels, cell.gens, d)
    # keep only irredundant rows for the next layer
    cell.rows = [f[0] for f in cell.facets]
    cell.labels = [f[1] for f in cell.facets]


def _neuron_labels(labels: frozenset) -> frozenset:
    return frozenset(x for x in labels if x[0] == "n")


def _facet_labels(cell: _Cell, row: IntRow) -> frozenset:
    for r, labs, _, _ in cell.facets:
        if r == row:
            return labs
    raise GeometryError("expected facet row missing from a neighbour cell")


def _facet_points(cell: _Cell, row: IntRow) -> frozenset[IntRow] | None:
    """Homogenised points of the cell's facet on ``row``; None if it has rays/lines."""
    for r, _labs, pts, rys in cell.facets:
        if r == row:
            if rys or cell.gens.lines:
                return None
            return frozenset(cell.gens.points[i] for i in pts)
    raise GeometryError("expected facet row missing from a cell")


def _is_across(c1: _Cell, c2: _Cell, row: IntRow) -> bool:
    """Do c1 (facet on ``row``) and c2 (facet on ``-row``) share a (d-1)-dimensional piece?"""
    f1 = _facet_points(c1, row)
    nrow = _neg(row)
    f2 = _facet_points(c2, nrow)
    if f1 is not None and f1 == f2:
        return True
    key, _ = hyperplane_key(row)
    nkey = _neg(key)
    others = [r for r in c1.rows if r != key and r != nkey]
    others += [r for r in c2.rows if r != key and r != nkey]
    return is_strictly_feasible(others, equalities=[row])


# A cell's local map of the previous layer's output is ``T = ((rows, den), bits)``:
# the affine map ``diag(bits) rows / den``, rows ``(c, A)`` of integers. Siblings share
# ``(rows, den)`` (their parent's pre-activations) and keep their own bits.
LocalMap = tuple[tuple[tuple[IntRow, ...], int], tuple[int, ...]]


def _identity_map(d: int) -> LocalMap:
    """The local map of the input itself, ``x -> x`` (the root's)."""
    rows = tuple(tuple(1 if c == j + 1 else 0 for c in range(d + 1)) for j in range(d))
    return (rows, 1), (1,) * d


_VALUE_CACHE_LIMIT = 1 << 16  # points whose values a process keeps (about 40 MB for 40 neurons)


class _LayerMaps:
    """One layer's weights as integers and one process's caches of its pre-activations (internal).

    With ``q`` the common denominator of the layer's weights and biases, ``W = q W_l``
    and ``b = q b_l`` are integers, and on a cell with local map ``((rows, den), bits)``
    the layer's pre-activations are ``(W diag(bits) rows + den b e_0) / (q den)``.
    :meth:`rows_on` returns the numerators: positive multiples of the pre-activation
    rows, so the same signs, and the rows of the children's local map, whose ``den`` is
    ``q den``. No fraction is reduced, so every cell of a layer has the same ``den``.

    Two caches make this cheap (3-80-40-1: 0.67 ms -> 0.04 ms per parent for the rows,
    0.23 -> 0.05 ms for the values):

    - consecutive parents mostly share ``(rows, den)`` and differ in a few bits (the
      first layer's cells of 3-80-40-1: 2 on average), so the numerators are updated
      from the previous parent's by one outer product ``W[:, i] rows[i]`` per changed
      bit instead of composed anew;
    - a pre-activation's value at a vertex is the network's, the same whichever
      region's closure holds the vertex (continuity), and with one ``den`` per layer
      also the same numerator: :meth:`values_at` caches it per point.

    Neither cache changes a result; they are per process and never sent.
    """

    __slots__ = ("n", "cols", "bias", "q", "_last", "_base", "_values", "_values_den")

    def __init__(self, weights, biases) -> None:
        q = lcm(*(Fraction(x).denominator for r in weights for x in r), *(Fraction(x).denominator for x in biases))
        W = [[int(Fraction(x) * q) for x in r] for r in weights]
        self.n = len(W)
        self.cols: list[IntRow] = [tuple(col) for col in zip(*W)]  # W[:, i]
        self.bias: list[int] = [int(Fraction(x) * q) for x in biases]
        self.q: int = q
        self._last: tuple | None = None  # (shared rows and den, bits, numerators) of the previous call
        self._base: tuple[int, int, list[IntRow]] | None = None  # (den, d + 1, bias rows den * b) last used
        self._values: dict[IntRow, tuple[int, ...]] = {}
        self._values_den: int | None = None

    def rows_on(self, T: LocalMap) -> list[IntRow]:
        """Numerator rows ``(b, a)`` of the layer's pre-activations on a cell with local map *T*.

        O(n · changed bits · (d+1)) exact multiplications after a sibling with the
        same shared rows, else O(n · active bits · (d+1)).
        """
        shared, bits = T
        prev_rows, den = shared
        last = self._last
        M = None
        if last is not None and (last[0] is shared or last[0] == shared):
            add, sub = _bit_changes(bits, last[1])
            active = last[3] + len(add) - len(sub)
            if len(add) + len(sub) < active:  # fewer outer products than composing anew
                M = _affine_rows(last[2], self.cols, prev_rows, add, sub)
        if M is None:
            k = len(prev_rows[0])
            cached = self._base
            if cached is None or cached[0] != den or cached[1] != k:  # one den per layer: rarely
                zeros = (0,) * (k - 1)
                cached = self._base = (den, k, [(den * b, *zeros) for b in self.bias])
            base = cached[2]
            on = [i for i, x in enumerate(bits) if x]
            M = _affine_rows(base, self.cols, prev_rows, on, [])
            active = len(on)
        self._last = (shared, bits, M, active)
        return M

    def values_at(self, rows: list[IntRow], pts: tuple[IntRow, ...], den: int
                  ) -> tuple[list[tuple[int, ...]], bytes]:
        """Per point the values of *rows* (numerators from :meth:`rows_on` on a cell whose
        local map has *den*), and per row the signs seen (1 positive, 2 negative, 4 zero)."""
        if den != self._values_den or len(self._values) > _VALUE_CACHE_LIMIT:
            self._values = {}
            self._values_den = den
        return _vertex_values(rows, pts, self._values)


def _split_polytope(cell: _Cell, key: IntRow, lab: frozenset, t: int) -> tuple[_Cell, _Cell]:
    """Split a polytope (known vertices and facet-vertex incidences) by a cutting hyperplane.

    No double description and no LP: vertices are classified by the exact sign of the
    row; u (positive) and w (negative) span an edge iff the smallest face containing
    both — the intersection of the facets containing both — has exactly these two
    vertices, and the edge's crossing point is ``h(u)·w - h(w)·u`` in homogeneous
    integer coordinates. A facet of the parent survives on a side iff it has a vertex
    strictly on that side; the hyperplane itself is a facet of both children.

    Notes
    -----
    O(|V+| |V-| m) bit operations for m facets, plus O(m |V|) for the incidences.
    """
    pts = cell.gens.points
    allvals = cell.vals
    nkey = _neg(key)
    if _split_parts is not None:
        parts = _split_parts(pts, allvals, cell.facets, t, key, nkey, lab)
        if parts is not None:
            return _child(cell, *parts[0]), _child(cell, *parts[1])
    vals = [v[t] for v in allvals]
    nv = len(pts)
    facets = cell.facets
    fverts = []
    vfac = [0] * nv
    for j, (_row, _labs, vs, _rys) in enumerate(facets):
        m = 0
        for i in vs:
            m |= 1 << i
            vfac[i] |= 1 << j
        fverts.append(m)
    full = (1 << nv) - 1
    plus = [i for i in range(nv) if vals[i] > 0]
    minus = [i for i in range(nv) if vals[i] < 0]
    zero = [i for i in range(nv) if vals[i] == 0]
    new_pts: list[IntRow] = []
    new_vals: list[tuple[int, ...]] = []
    new_fac: list[int] = []  # facets containing the crossing edge
    need = len(pts[0]) - 2  # an edge lies on at least d-1 facets
    head = (0,) * (t + 1)  # values of the cuts already made are never read again
    for u in plus:
        fu, pu, hu, vu = vfac[u], pts[u], vals[u], allvals[u][t + 1:]
        for w in minus:
            common = fu & vfac[w]
            if common.bit_count() < need:
                continue
            face = full
            c = common
            while c:
                low = c & -c
                face &= fverts[low.bit_length() - 1]
                c ^= low
            if face != (1 << u) | (1 << w):
                continue
            hw = vals[w]
            raw = [hu * b - hw * a for a, b in zip(pu, pts[w])]
            g = gcd(*raw)
            new_pts.append(tuple(x // g for x in raw))
            # every row is linear in homogeneous coordinates: values follow exactly
            new_vals.append(head + tuple((hu * b - hw * a) // g for a, b in zip(vu, allvals[w][t + 1:])))
            new_fac.append(common)
    new_on: list[list[int]] = [[] for _ in facets]  # new vertices on each parent facet
    for k, fm in enumerate(new_fac):
        while fm:
            low = fm & -fm
            new_on[low.bit_length() - 1].append(k)
            fm ^= low
    children = []
    for side, row in ((plus, key), (minus, nkey)):
        keep = side + zero
        index = {old: k for k, old in enumerate(keep)}
        points = [pts[i] for i in keep] + new_pts
        child_vals = [allvals[i] for i in keep] + new_vals
        base = len(keep)
        side_mask = 0
        for i in side:
            side_mask |= 1 << i
        out_facets: list[_FacetData] = []
        for j, (r, labs, vs, _rys) in enumerate(facets):
            if not fverts[j] & side_mask:
                continue
            verts = [index[i] for i in vs if i in index]
            verts += [base + k for k in new_on[j]]
            out_facets.append((r, labs, frozenset(verts), frozenset()))
        on_h = [index[i] for i in zero] + list(range(base, base + len(new_pts)))
        out_facets.append((row, lab, frozenset(on_h), frozenset()))
        children.append(_child(cell, tuple(points), child_vals, out_facets))
    return children[0], children[1]


def _child(cell: _Cell, points: tuple[IntRow, ...], vals: list, facets: list[_FacetData]) -> _Cell:
    """A split's child cell: its points, their cut values and its facets."""
    child = _Cell(cell.pattern, [f[0] for f in facets], [f[1] for f in facets], Generators(points, (), ()), None)
    child.facets = facets
    child.vals = vals
    return child


class _Plan:
    """One parent's split by one layer: what every piece of the work needs (internal)."""

    __slots__ = ("P", "layer", "n", "shared", "d", "bounded", "fixed_bits", "cut_groups", "keys", "labs",
                 "layer_rows")

    def __init__(self, P, layer, n, shared, d, bounded, fixed_bits, cut_groups, keys, labs, layer_rows):
        self.P, self.layer, self.n, self.d = P, layer, n, d
        self.shared: tuple[tuple[IntRow, ...], int] = shared  # the children's (rows, den): see LocalMap
        self.layer_rows: list[IntRow] | None = layer_rows  # every neuron's local row on P (see _plan_split)
        self.bounded: bool = bounded
        self.fixed_bits: list[int] = fixed_bits
        self.cut_groups: dict[IntRow, list[tuple[int, int]]] = cut_groups
        self.keys: list[IntRow] = keys
        self.labs: list[frozenset] = labs


@cache
def _neuron_label(layer: int, i: int) -> frozenset:
    """The support label set of one neuron (shared, not rebuilt per region)."""
    return frozenset([("n", layer, i)])


def _plan_split(P: _Cell, layer: int, maps: _LayerMaps, d: int, all_rows: bool = False) -> tuple[_Plan, _Cell]:
    """The cutting hyperplanes of ``layer`` on parent ``P`` and the cell to cut.

    Returns the plan and the first work cell (``P`` itself with the rows valid on
    all of it set aside, and, when bounded, every vertex's values of the cutting rows).
    On a bounded parent the signs are read from the rows' numerators over one common
    positive denominator (positive multiples of the rows: the same signs, and values
    that are positive multiples, which the split's arithmetic never distinguishes);
    only neurons that cut the parent or touch it (a zero at a vertex, so possibly a
    facet) get their canonical row. *all_rows* (R^d adjacency) makes every neuron's
    canonical row, in ``plan.layer_rows``; else that is None on a bounded parent.
    *maps* is the layer's :class:`_LayerMaps` (the numerators and values come from it).
    """
    n = maps.n
    scaled = maps.rows_on(P.T)  # positive multiples of the rows (b, a) of this layer's pre-activations
    den = P.T[0][1] * maps.q
    fixed_bits = [0] * n
    cut_groups: dict[IntRow, list[tuple[int, int]]] = defaultdict(list)
    valid_rows: list[IntRow] = []
    valid_labels: list[frozenset] = []
    bounded = not P.gens.rays and not P.gens.lines
    pts = P.gens.points
    layer_rows = [_coprime(r) for r in scaled] if all_rows or not bounded else None
    if bounded:
        # every neuron's value at every vertex (one tuple per vertex);
        # new vertices inherit theirs linearly
        values, flags = maps.values_at(scaled, pts, den)
    for i, row in enumerate(scaled):
        if bounded:
            fl = flags[i]  # signs seen at the vertices: 1 positive, 2 negative, 4 zero
            if fl == 1 or fl == 2:  # one sign and no zero (most neurons): a fixed bit, no facet
                fixed_bits[i] = fl & 1
                continue
        if not any(row[1:]):
            fixed_bits[i] = 1 if row[0] > 0 else 0  # dead neuron (0) or a constant sign
            continue
        if not bounded:  # the facet test of the double description reads every one-sided row: "may touch"
            pos, neg = _side(row, P.gens)
            fl = (1 if pos else 0) | (2 if neg else 0) | 4
        if fl & 3 == 3:
            key, s = hyperplane_key(layer_rows[i] if layer_rows is not None else _coprime(row))
            cut_groups[key].append((i, s))
        elif fl & 3:
            fixed_bits[i] = fl & 1
            if fl & 4:  # vanishes at a vertex: may support a facet of a child
                prow = layer_rows[i] if layer_rows is not None else _coprime(row)
                valid_rows.append(prow if fl & 1 else _neg(prow))
                valid_labels.append(_neuron_label(layer, i))
        else:
            raise GeometryError("a non-zero affine function vanishes on a full-dimensional region")
    keys = sorted(cut_groups)
    labs = [frozenset(("n", layer, i) for i, _ in cut_groups[key]) for key in keys]
    first = _Cell(P.pattern, list(P.rows), list(P.labels), P.gens, None)
    first.facets = P.facets
    first.extra = (valid_rows, valid_labels)
    if bounded and keys:
        sel = [cut_groups[k][0] for k in keys]  # key = s * row_i
        first.vals = [tuple([v[i] if s_ > 0 else -v[i] for i, s_ in sel]) for v in values]
    return _Plan(P, layer, n, (tuple(scaled), den), d, bounded, fixed_bits, cut_groups, keys, labs,
                 layer_rows), first


def _cut_cells(plan: _Plan, work: list[_Cell], start: int, stop: int) -> list[_Cell]:
    """Cut the work cells by the plan's hyperplanes ``start:stop``, in order.

    Each cell's pieces take its place in the list, so cutting parts of the list
    separately and concatenating gives the same list as cutting it whole.

    A bounded cell goes depth first through the hyperplanes: one scan of its vertex
    values (:func:`_next_cut_py`) skips every hyperplane that does not cut it, and its
    children (positive first) take its place. A hyperplane that does not cut a cell
    cannot carry one of its facets (the cell's facets lie on the parent's facets or
    on other cutting hyperplanes, all different hyperplanes), so only the side is
    recorded. O(splits + vertices · hyperplanes) for the scans.
    """
    if not plan.bounded:
        return _cut_cells_unbounded(plan, work, start, stop)
    keys, labs = plan.keys, plan.labs
    out = []
    for cell in work:
        stack = [(cell, start)]
        while stack:
            c, t = stack.pop()
            u, skipped = _next_cut(c.vals, t, stop)
            if skipped:
                c.signs += skipped
            if u == stop:
                out.append(c)
                continue
            plus, minus = _split_polytope(c, keys[u], labs[u], u)
            plus.signs, minus.signs = c.signs + (1,), c.signs + (-1,)
            plus.extra = minus.extra = c.extra
            stack.append((minus, u + 1))
            stack.append((plus, u + 1))
    return out


def _cut_cells_unbounded(plan: _Plan, work: list[_Cell], start: int, stop: int) -> list[_Cell]:
    """:func:`_cut_cells` for unbounded cells: one double description per child, and
    the rows valid on a whole cell kept for its facet test (their labels)."""
    d = plan.d
    for t in range(start, stop):
        key, lab = plan.keys[t], plan.labs[t]
        nkey = _neg(key)
        nxt = []
        for cell in work:
            pos, neg = _side(key, cell.gens)
            if pos and neg:
                children = (_Cell(cell.pattern, cell.rows + [key], cell.labels + [lab],
                                  generators_of(cell.rows + [key], d), None),
                            _Cell(cell.pattern, cell.rows + [nkey], cell.labels + [lab],
                                  generators_of(cell.rows + [nkey], d), None))
                for sgn, child in zip((1, -1), children):
                    child.signs = cell.signs + (sgn,)
                    child.extra = cell.extra
                    nxt.append(child)
            else:
                ex_rows, ex_labels = cell.extra
                cell.extra = (ex_rows + [key if pos else nkey], ex_labels + [lab])
                cell.signs = cell.signs + ((1 if pos else -1),)
                nxt.append(cell)
        work = nxt
    return work


def _finish_cells(plan: _Plan, work: list[_Cell], need_map: bool = True) -> list[_Cell]:
    """Patterns, local maps and facet labels of fully cut cells (in place; returns ``work``)."""
    shared, P = plan.shared, plan.P
    groups = [plan.cut_groups[key] for key in plan.keys]
    for cell in work:
        bits = list(plan.fixed_bits)
        for group, sgn in zip(groups, cell.signs):
            for i, s in group:
                bits[i] = 1 if s * sgn > 0 else 0
        cell.pattern = P.pattern + tuple(bits)
        if need_map:  # the layer's output on the cell, diag(bits) [Zc | ZA], shared Z
            cell.T = (shared, tuple(bits))
        ex_rows, ex_labels = cell.extra
        cell.extra = ([], [])
        cell.vals = []
        if plan.bounded:
            # facets are known combinatorially; a row valid on the whole cell is either
            # the canonical row of one of its facets (then it supports it) or redundant
            facets = cell.facets
            if ex_rows:
                at = {f[0]: k for k, f in enumerate(facets)}
                hits = [(at[r], lab) for r, lab in zip(ex_rows, ex_labels) if r in at]
                if hits:
                    facets = list(facets)
                    for k, lab in hits:
                        r, labs, pts, rys = facets[k]
                        facets[k] = (r, labs | lab, pts, rys)
            facets = sorted(facets)
            cell.facets = facets
            cell.rows = [f[0] for f in facets]
            cell.labels = [f[1] for f in facets]
        else:
            cell.rows = cell.rows + ex_rows
            cell.labels = cell.labels + ex_labels
            _finish(cell, plan.d)
    return work


def _split_parent(P: _Cell, layer: int, maps: _LayerMaps, d: int, need_map: bool = True, all_rows: bool = False
                  ) -> tuple[list[_Cell], list[IntRow], list[IntRow] | None]:
    """Split one parent region by the hyperplanes of ``layer``.

    Returns the children (finished: facets known), the sorted cutting hyperplane
    keys and every neuron's canonical local row on the parent (with *all_rows* or on
    an unbounded parent; else None). Bounded parents are split
    combinatorially (:func:`_split_polytope`); unbounded ones by one double
    description per child, with only the parent's facets and the cutting
    hyperplane as input: rows valid on a whole cell (neurons
    that do not cut it) change nothing there and join only the facet test, for
    their labels.
    """
    plan, first = _plan_split(P, layer, maps, d, all_rows)
    work = _cut_cells(plan, [first], 0, len(plan.keys))
    return _finish_cells(plan, work, need_map), plan.keys, plan.layer_rows


def _process_parent(P: _Cell, layer: int, maps: _LayerMaps, d: int, need_map: bool = True, edges: bool = True):
    """Split one parent and find the adjacencies among its children.

    Returns ``(children, sibling_edges, layer_rows)``, the last two only with
    *edges* (else ``[]`` and None: box complexes match facets at the end); sibling edges are
    ``(t1, t2, key, neuron labels)`` with ``t1 < t2`` indices into the children.
    Siblings are adjacent iff their sign vectors over the parent's cutting
    hyperplanes differ in exactly one hyperplane on which both have a facet.
    """
    kids, keys, layer_rows = _split_parent(P, layer, maps, d, need_map, edges)
    sib: list[tuple[int, int, IntRow, frozenset]] = []
    if edges and len(kids) > 1:
        by_signs = {c.signs: t for t, c in enumerate(kids)}
        slot = {key: t for t, key in enumerate(keys)}
        seen = set()
        for t, C in enumerate(kids):
            for row, labs, _, _ in C.facets:
                key, _s = hyperplane_key(row)
                u = slot.get(key)
                if u is None:
                    continue
                flipped = C.signs[:u] + (-C.signs[u],) + C.signs[u + 1:]
                other = by_signs.get(flipped)
                if other is None:
                    raise GeometryError("a facet on a cutting hyperplane has no neighbour")
                pair = (min(t, other), max(t, other))
                if pair not in seen:
                    seen.add(pair)
                    olab = _facet_labels(kids[other], _neg(row))
                    sib.append((pair[0], pair[1], key, _neuron_labels(labs | olab)))
    return kids, sib, (layer_rows if edges else None)


def _pack(cell: _Cell, with_map: bool = True) -> tuple:
    """A finished cell as plain data (its rows and labels are those of its facets)."""
    g = cell.gens
    return (cell.pattern, g.points, g.rays, g.lines, cell.facets,
            cell.T if with_map else None)


def _unpack(t: tuple) -> _Cell:
    pattern, points, rays, lines, facets, T = t
    cell = _Cell(pattern, [f[0] for f in facets], [f[1] for f in facets], Generators(points, rays, lines),
                 T)
    cell.facets = facets
    return cell


def _work_chunk(state: tuple, start: int, stop: int) -> tuple[list[tuple], Fraction | None]:
    """Worker entry point (processes or Dask): split parents ``start:stop`` of one layer.

    ``state = (layer, weights, biases, d, parents, last, edges, ends)`` is the same for
    all chunks of a layer; *parents* are live cells (inherited by forked processes) or
    packed ones (sent once to each Dask worker), *ends* the pattern prefix lengths of
    the layers before theirs. After the last layer the children's local affine maps
    are not needed and not sent back; finished regions come with the sum of their
    volumes (else None).
    """
    layer, weights, biases, d, parents, last, edges, ends = state
    maps = _LayerMaps(weights, biases)
    out: list[tuple] = []
    volumes: list[tuple[tuple[int, ...], Fraction]] = []  # (parent's pattern, its children's volume)
    for pk in parents[start:stop]:
        P = pk if isinstance(pk, _Cell) else _unpack(pk)
        kids, sib, lrows = _process_parent(P, layer, maps, d, not last, edges)
        if last and not edges:
            # final polytopes: finish them here, canonical triangulation and volume included
            regions = [_finished_region(k) for k in kids]
            volumes.append((P.pattern, _sum_volumes(regions)))
            out.append((regions, sib, lrows, None))
        else:
            # siblings share one pre-activation matrix: sent once, not once per child
            shared = kids[0].T[0] if not last else None
            out.append(([_pack(k, False) for k in kids], sib, lrows, shared))
    return out, (_sum_by_prefix(volumes, ends) if last and not edges else None)


def _sum_fractions_py(terms: list[tuple[int, int]], stepwise: bool = False) -> tuple[int, int]:
    """``(num, den)`` in lowest terms, ``den > 0``: the exact sum of ``n / d`` over the
    pairs *terms* (``d > 0``); the Python twin of the compiled ``_fast.sum_fractions``
    (GMP). By default over the product of the denominators with one gcd at the end
    (the pairs need not be reduced); with *stepwise* (pairs in lowest terms) reduced
    after every term, as ``Fraction`` addition does."""
    num, den = 0, 1
    for n, m in terms:
        if m <= 0:
            raise ValueError("sum_fractions: a denominator is not positive")
        if stepwise:
            g = gcd(den, m)
            if g != 1:
                s = den // g
                t = num * (m // g) + n * s
                g2 = gcd(t, g)
                num, den = t // g2, s * (m // g2)
                continue
        num, den = num * m + n * den, den * m
    if not stepwise:
        g = gcd(num, den)
        num, den = num // g, den // g
    return num, den


_sum_fractions: Callable = _compiled_sum_fractions or _sum_fractions_py


def _sum_volumes(regions: Sequence[Region]) -> Fraction:
    """The exact sum of the regions' volumes (worker side: the main process only adds
    partial sums). Called on one parent's children, whose sum is the parent's volume.

    The terms ``N / M`` (:attr:`Region._volume_terms`) are added over the product of
    their denominators and reduced once (:func:`_sum_fractions`, GMP's gcd when
    compiled): one gcd per parent instead of two per region (3-80-40-1: 27 -> 22 us
    per region; at depth 4 the terms have about 1500 bits).
    """
    return coprime_fraction(*_sum_fractions([r._volume_terms for r in regions]))


def _sum_by_prefix(items: list[tuple[tuple[int, ...], Fraction]], ends: Sequence[int]) -> Fraction:
    """Exact sum of ``(pattern, value)`` items, the cells of one cell contiguous, summed
    cell by cell up the pattern prefixes *ends* (deepest first).

    A cell's children's volumes add up to the cell's volume, whose denominator is
    small; a running total over many cells would grow a huge one (3-40-20-1, chunks of
    about 950 regions: 1.4 s -> 0.9 s for the children first; the levels above matter
    at depth 4).
    """
    for n in reversed(ends):
        items = [(k, _fraction_sum([v for _p, v in g])) for k, g in groupby(items, key=partial(_pattern_prefix, n))]
    return _fraction_sum([v for _p, v in items])


def _fraction_sum(values: list[Fraction]) -> Fraction:
    """The exact sum of Fractions (:func:`_sum_fractions`, reduced after every term)."""
    if len(values) == 1:
        return values[0]
    return coprime_fraction(*_sum_fractions([(v.numerator, v.denominator) for v in values], True))


def _unpack_children(packed: list, shared: tuple[tuple[IntRow, ...], int] | None) -> list:
    """Children sent back by a worker; *shared* (or None) is their local maps' ``(rows, den)``."""
    if packed and isinstance(packed[0], Region):
        return packed
    kids = [_unpack(k) for k in packed]
    if shared is not None:
        n = len(shared[0])
        for k in kids:
            k.T = (shared, k.pattern[-n:])
    return kids


def _pieces_chunk(state: tuple, start: int, stop: int) -> tuple[list, Fraction | None]:
    """Worker entry point: finish the pieces ``start:stop`` of one parent's split
    (with the sum of the volumes when they are finished regions, else None)."""
    plan, pieces, t, last = state
    kids = _finish_cells(plan, _cut_cells(plan, pieces[start:stop], t, len(plan.keys)), not last)
    if last:
        regions = [_finished_region(k) for k in kids]
        return regions, _sum_volumes(regions)
    return [_pack(k, False) for k in kids], None


def _report_piece(progress: Callable[[int, int, int, int], None], layer: int, pidx: int, total: int,
                  base: int, k: int) -> None:
    progress(layer, pidx, total, base + k)  # regions so far: earlier parents' plus this one's


_PIECES_PER_WORKER = 16  # enough pieces that uneven ones balance; the tests lower it
# Below this many expected children (K hyperplanes in general position cut R^d into
# sum_{i<=d} C(K, i) cells) a parent is split here: starting the workers costs more
# (3-10-1: 176 regions, 0.06 s serial, about 0.1 s more with two workers).
_PIECES_MIN_CELLS = 2000


def _split_parent_in_pieces(P: _Cell, layer: int, maps: _LayerMaps, d: int, last: bool, runner,
                            progress: Callable[[int], None] | None = None,
                            volumes: list[tuple[int, Fraction]] | None = None) -> list:
    """The children of one bounded parent, split by ``runner``'s forked workers.

    The first cutting hyperplanes are applied here until there are about 16 pieces
    per worker; each piece is then cut by the remaining ones and finished by a
    worker (one task per piece, so uneven pieces balance). Children of the last
    layer come back as finished Regions, others as cells with their local maps;
    ``(number of regions, sum of their volumes)`` of finished ones go to *volumes*.
    """
    plan, first = _plan_split(P, layer, maps, d)
    K = len(plan.keys)
    if sum(comb(K, i) for i in range(d + 1)) < _PIECES_MIN_CELLS:
        return _finish_cells(plan, _cut_cells(plan, [first], 0, K), not last)
    pieces, t = [first], 0
    while t < K and len(pieces) < _PIECES_PER_WORKER * runner.workers:
        pieces = _cut_cells(plan, pieces, t, t + 1)
        t += 1
    if t == K:
        return _finish_cells(plan, pieces, not last)
    kids: list = []
    state = (plan, pieces, t, last)
    tasks = [(i, i + 1) for i in range(len(pieces))]
    for result, volume in runner.map_shared(_pieces_chunk, state, tasks):
        kids.extend(_unpack_children(result, None if last else plan.shared))
        if volume is not None and volumes is not None:
            volumes.append((len(result), volume))
        if progress is not None:
            progress(len(kids))
    return kids


def _finished_region(cell: _Cell) -> Region:
    """The public Region of a final bounded cell with its simplices and volume computed."""
    r = _region_of(cell)
    r._volume_terms  # noqa: B018 - fills the cached simplices and volume terms before the region is sent back
    r._facet_fingerprints  # noqa: B018 - and the facet join's keys
    return r


def _build(net: ReluNetwork, B: Fraction | None,
           progress: Callable[[int, int, int, int], None] | None = None, runner=None,
           join: _FacetJoin | None = None):
    """Layer-by-layer subdivision. Returns (cells, edges, history, volume).

    ``volume`` is the exact total volume when workers finished every final region
    and summed their volumes (else None: the caller sums). ``edges`` maps ``(i, j)``
    with ``i < j`` (indices into cells) to
    ``(hyperplane key, neuron labels)`` of the shared face. With a *runner*
    (see :mod:`exactpoly.parallel`) the parents of a layer are split in chunks by
    other processes; the result is identical to the serial one.
    """
    d = net.input_dim
    track = B is None  # R^d: adjacency layer by layer; a box: by identical facets at the end
    if B is None:
        rows0: list[IntRow] = []
        labels0: list[frozenset] = []
    else:
        br = box_rows(B, d)
        rows0 = [r for r, _ in br]
        labels0 = [frozenset([("w", j, s)]) for _, (j, s) in br]
    root = _Cell((), rows0, labels0, generators_of(rows0, d), _identity_map(d))
    _finish(root, d)
    cells = [root]
    edges: dict[tuple[int, int], tuple[IntRow, frozenset]] = {}
    history = [1]

    volumes: list[tuple[int, Fraction]] = []  # (regions, their volume) from the workers
    for layer in range(net.n_hidden_layers):
        volumes.clear()
        new_cells: list[_Cell] = []
        children_of: list[list[int]] = []
        new_edges: dict[tuple[int, int], tuple[IntRow, frozenset]] = {}
        layer_rows: list[list[IntRow]] = []
        last_layer = layer == net.n_hidden_layers - 1
        collect = _Collector(new_cells, children_of, new_edges, layer_rows, join if last_layer else None)

        if runner is not None and runner.is_parallel and len(cells) >= runner.min_parents:
            chunks = runner.chunks(len(cells))
            last = layer == net.n_hidden_layers - 1
            parents = cells if runner.inherits_state else [_pack(c) for c in cells]
            ends = list(accumulate(len(b) for b in net.biases[:layer]))[:-1]
            state = (layer, net.weights[layer], net.biases[layer], d, parents, last, track, ends)
            done = 0
            for (_a, b), (result, volume) in zip(chunks, runner.map_shared(_work_chunk, state, chunks)):
                if volume is not None:
                    volumes.append((sum(len(r[0]) for r in result), volume))
                for packed_kids, sib, lrows, shared in result:
                    collect(_unpack_children(packed_kids, shared), sib, lrows)
                done = b
                if progress is not None:
                    progress(layer, done, len(cells), len(new_cells))
        elif runner is not None and runner.is_parallel and runner.inherits_state and B is not None:
            # few parents (the first layer has one: the box): cut each into pieces here,
            # then the workers finish the pieces; concatenated in order they are the
            # serial children (see _cut_cells)
            maps = _LayerMaps(net.weights[layer], net.biases[layer])
            last = layer == net.n_hidden_layers - 1
            n_parents = len(cells)
            for pidx, P in enumerate(cells):
                base = len(new_cells)
                on_piece = None if progress is None else partial(_report_piece, progress, layer, pidx,
                                                                 n_parents, base)
                kids = _split_parent_in_pieces(P, layer, maps, d, last, runner, on_piece, volumes)
                collect(kids, [], None)
                if progress is not None:
                    progress(layer, pidx + 1, len(cells), len(new_cells))
        else:
            maps = _LayerMaps(net.weights[layer], net.biases[layer])
            for pidx, P in enumerate(cells):
                collect(*_process_parent(P, layer, maps, d, layer < net.n_hidden_layers - 1, track))
                if progress is not None:
                    progress(layer, pidx + 1, len(cells), len(new_cells))
        # children of adjacent parents: candidates are the children with a facet on the shared hyperplane
        off = len(cells[0].pattern)
        for (p1, p2), (key, _labs) in (edges.items() if track else ()):
            side1 = _touching(new_cells, children_of[p1], key)
            if not side1:
                continue
            side2 = _touching(new_cells, children_of[p2], key)
            # neurons of this layer not vanishing on the shared face have the same sign
            # on both sides of any (d-1)-dimensional piece of it (continuity)
            nkey = _neg(key)
            mask = [off + i for i, r in enumerate(layer_rows[p1])
                    if any(r[1:]) and r != key and r != nkey]
            for c1, row in side1:
                pat1 = new_cells[c1].pattern
                for c2, row2 in side2:
                    if row2 != _neg(row):
                        continue
                    pat2 = new_cells[c2].pattern
                    if any(pat1[i] != pat2[i] for i in mask):
                        continue
                    if _is_across(new_cells[c1], new_cells[c2], row):
                        a, b = sorted((c1, c2))
                        labs = _facet_labels(new_cells[c1], row) | _facet_labels(new_cells[c2], row2)
                        new_edges[(a, b)] = (key, _neuron_labels(labs))
        cells, edges = new_cells, new_edges
        history.append(len(cells))
    volume = None
    if B is not None and sum(k for k, _v in volumes) == len(cells):
        volume = sum((v for _k, v in volumes), Fraction(0))
    return cells, edges, history, volume


class _Collector:
    """Appends one parent's children, sibling edges and local rows to a layer's lists."""

    def __init__(self, cells: list, children_of: list[list[int]],
                 edges: dict[tuple[int, int], tuple[IntRow, frozenset]], layer_rows: list[list[IntRow]],
                 join: _FacetJoin | None = None) -> None:
        self.cells, self.children_of, self.edges, self.layer_rows = cells, children_of, edges, layer_rows
        self.join = join  # fed the finished regions (the last layer's, from workers)

    def __call__(self, kids: list, sib, lrows: list[IntRow] | None) -> None:
        base = len(self.cells)
        self.cells.extend(kids)
        if self.join is not None and kids and isinstance(kids[0], Region):
            self.join.add(kids)
        if lrows is not None:  # only R^d complexes track adjacency layer by layer
            self.children_of.append(list(range(base, base + len(kids))))
            self.layer_rows.append(lrows)
        for t1, t2, key, labs in sib:
            self.edges[(base + t1, base + t2)] = (key, labs)


def _match_facets(regions: Sequence[Region]) -> list[tuple[int, int, tuple[tuple[int, int], ...]]]:
    """Adjacency of polytopal regions by identical facets: sorted ``(i, j, neurons)``, ``i < j``.

    Two activation regions whose closures meet in a (d-1)-dimensional set share a
    whole facet: if a facet F of A met two regions B and C, the first neuron where
    B's and C's patterns differ is one affine function on their common ancestor,
    with both signs along F; by continuity it would take both signs on A as well
    (or vanish on F, making it a multiple of F's hyperplane, with one sign on B and
    C alike). So every facet that is not on the box boundary is shared with exactly
    one region, with the same vertices, and adjacency is a join on the vertex set
    (which spans the facet's hyperplane, so it identifies the facet). A neuron
    facet without a partner is a GeometryError. O(total facet-vertex incidences).

    The join is a hash join on the facets' fingerprints (the hash of their vertex
    coordinates, which the workers compute) and is exact: the two facets of a
    bucket are compared coordinate by coordinate, and a bucket that is not one
    such pair (a hash collision) is regrouped by the coordinates themselves.
    """
    join = _FacetJoin()
    join.add(regions)
    edges = join.edges()
    edges.sort()
    return edges


_FACET_BITS = 32  # a facet's code in the join: region index << _FACET_BITS | facet index
_FACET_MASK = (1 << _FACET_BITS) - 1


class _FacetJoin:
    """The facet join of :func:`_match_facets`, fed region by region (internal).

    The main process feeds it the final regions as the workers send them, so the
    hash join runs while the workers go on instead of after the last one. Edges
    are ``(i, j, neurons)`` with ``i < j`` indices in the order the regions were fed.
    """

    def __init__(self) -> None:
        self.regions: list[Region] = []
        # fingerprint -> facet code (region index << _FACET_BITS | facet index), a pair of codes,
        # or a list of three or more
        self._table: dict[int, int | tuple[int, int] | list[int]] = {}
        self._paired: dict[int, tuple[int, int, tuple[tuple[int, int], ...]]] = {}
        self._odd: set[int] = set()  # buckets that are not one verified pair (collisions, errors)
        self._n_facets = 0  # facets fed that are not on the box boundary

    def add(self, regions: Sequence[Region]) -> None:
        table, paired, odd, fed = self._table, self._paired, self._odd, self.regions
        n_facets = 0
        for r in regions:
            idx = len(fed)
            fed.append(r)
            for k, h in enumerate(r._facet_fingerprints):
                if h is None:  # a facet on the box boundary has no neighbour
                    continue
                n_facets += 1
                code = idx << _FACET_BITS | k
                seen = table.get(h)
                if seen is None:
                    table[h] = code
                elif type(seen) is int:
                    table[h] = (seen, code)
                    edge = _shared_facet_edge(fed, seen, code)
                    if edge is not None:
                        paired[h] = edge
                    else:  # not one verified pair: regrouped exactly in edges()
                        odd.add(h)
                else:
                    table[h] = [*cast("tuple[int, ...] | list[int]", seen), code]
                    paired.pop(h, None)
                    odd.add(h)
        self._n_facets += n_facets

    def edges(self) -> list[tuple[int, int, tuple[tuple[int, int], ...]]]:
        """Every adjacency (unsorted); GeometryError for a facet without its partner.

        O(edges): the verified pairs are taken as they are, only the other buckets
        are regrouped; a facet left alone shows as a count that does not add up.
        """
        out = list(self._paired.values())
        regions = self.regions
        for h in self._odd:
            # a hash collision (or a facet without its partner): group by the coordinates
            for group in _exact_groups(regions, cast("tuple[int, ...] | list[int]", self._table[h])):
                edge = _shared_facet_edge(regions, *group) if len(group) == 2 else None
                if edge is None:
                    raise _unshared_facet(regions, group[0])
                out.append(edge)
        if 2 * len(out) != self._n_facets:  # a facet in a bucket of its own
            for seen in self._table.values():
                if type(seen) is int:
                    raise _unshared_facet(regions, seen)
        return out


def _unshared_facet(regions: Sequence[Region], code: int) -> GeometryError:
    return GeometryError(f"a facet of region {regions[code >> _FACET_BITS].pattern_string} is not shared with "
                         f"exactly one other region; expected 2, one on each side")


def _shared_facet_edge(regions: Sequence[Region], code_a: int, code_b: int
                       ) -> tuple[int, int, tuple[tuple[int, int], ...]] | None:
    """The edge of two facets (codes ``region << _FACET_BITS | facet``) if they are one facet seen
    from both sides: equal vertex coordinates and opposite rows; else None."""
    ra, rb = regions[code_a >> _FACET_BITS], regions[code_b >> _FACET_BITS]
    fa, fb = ra.facets[code_a & _FACET_MASK], rb.facets[code_b & _FACET_MASK]
    va, vb = fa.vertices, fb.vertices
    if len(va) != len(vb) or fa.row != _neg(fb.row):
        return None
    pa, pb = ra.points, rb.points
    if [pa[i] for i in va] != [pb[i] for i in vb]:
        return None
    na, nb = fa.neurons, fb.neurons
    return (code_a >> _FACET_BITS, code_b >> _FACET_BITS, na if na == nb else tuple(sorted(set(na) | set(nb))))


def _facet_coordinates(regions: Sequence[Region], code: int) -> tuple[IntRow, ...]:
    """Facet ``code``'s vertices (homogeneous coordinates), in lexicographic order."""
    r = regions[code >> _FACET_BITS]
    return tuple([r.points[i] for i in r.facets[code & _FACET_MASK].vertices])


def _exact_groups(regions: Sequence[Region], codes: Sequence[int]) -> list[list[int]]:
    """Facets (codes ``region << _FACET_BITS | facet``) grouped by their exact vertex coordinates."""
    groups: dict[tuple[IntRow, ...], list[int]] = {}
    for code in codes:
        groups.setdefault(_facet_coordinates(regions, code), []).append(code)
    return list(groups.values())


def _touching(cells: list[_Cell], idx: list[int], key: IntRow) -> list[tuple[int, IntRow]]:
    """Cells among ``idx`` with a facet on the hyperplane ``key`` (either orientation)."""
    nkey = _neg(key)
    out = []
    for k in idx:
        for row, _labs, _p, _r in cells[k].facets:
            if row == key or row == nkey:
                out.append((k, row))
                break
    return out


@lru_cache(maxsize=4096)
def _public_label_tuples(labels: frozenset) -> tuple[tuple, tuple]:
    """Sorted (neurons, walls) of a support label set (few distinct sets: memoised)."""
    neurons = tuple(sorted((x[1], x[2]) for x in labels if x[0] == "n"))
    walls = tuple(sorted((x[1], x[2]) for x in labels if x[0] == "w"))
    return neurons, walls


def _lex_order(points: tuple[IntRow, ...] | list[IntRow]) -> list[int]:
    """Indices of homogeneous points in lexicographic order of their coordinates (exact)."""
    L = lcm(*(p[0] for p in points))
    keys = []
    for p in points:
        m = L // p[0]
        keys.append(tuple([x * m for x in p[1:]]) if m != 1 else p[1:])
    return sorted(range(len(points)), key=keys.__getitem__)


def _region_order_py(points: tuple[IntRow, ...], facets: list[_FacetData]) -> tuple[list[int], list[tuple[int, ...]]]:
    """``(order, facet_vertices)``: the points' lexicographic order and each facet's
    sorted new point indices; the Python twin of the compiled ``_fast.region_order``."""
    order = _lex_order(points)
    rank_of = {old: new for new, old in enumerate(order)}
    return order, [tuple(sorted([rank_of[i] for i in f[2]])) for f in facets]


_region_order: Callable = _compiled_region_order or _region_order_py


def _region_of(cell: _Cell) -> Region:
    g = cell.gens
    order, fverts = _region_order(g.points, cell.facets)
    keep = not g.lines
    facets = []
    for (row, labs, _pts, _rys), vs in zip(cell.facets, fverts):
        neurons, walls = _public_label_tuples(labs)
        facets.append(RegionFacet(row, neurons, walls, vs if keep else ()))
    rays = tuple(sorted(r[1:] for r in g.rays))
    lines = tuple(sorted(r[1:] for r in g.lines))
    return Region(cell.pattern, tuple(facets), tuple([g.points[i] for i in order]), rays, lines)


def _renumbered(new_index: list[int], a: int, b: int, neurons: tuple) -> tuple[int, int, tuple]:
    """The edge ``(a, b, neurons)`` with both regions renumbered, smaller index first."""
    a, b = new_index[a], new_index[b]
    return (a, b, neurons) if a < b else (b, a, neurons)


def _parse_box(box) -> Fraction | None | str:
    if box is None:
        return None
    if isinstance(box, str) and box.strip().lower() == "auto":
        return "auto"
    try:
        B = to_fraction(box, name="box")
    except ValueError as e:
        raise DomainError(f"box: expected a positive rational, 'auto' or None, got {box!r}") from e
    if B <= 0:
        raise DomainError(f"box: the half-width B must be positive, got {box!r}")
    return B


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while the complex is built.

    The build allocates millions of long-lived tuples; each full collection walks
    all of them, which cost a third of a build's time (3-40-20-1: 34 s with the
    collector, 22 s without, serial). The engine makes no reference cycles, so
    reference counting frees everything in time; the collector's previous state is
    restored on exit. Forked workers inherit the pause.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def region_complex(net: ReluNetwork, box=1, *,
                   progress: Callable[[int, int, int, int], None] | None = None,
                   workers: int | None = 1, scheduler: str | None = None) -> RegionComplex:
    """The exact region complex of *net* on ``[-B, B]^d`` or on R^d.

    Parameters
    ----------
    net : ReluNetwork
    box : rational, "auto" or None
        B for the box ``[-B, B]^d`` (anything :func:`~exactpoly.rational.to_fraction`
        reads, e.g. ``1``, ``"3/2"``); ``"auto"`` for :func:`auto_box`; ``None``
        for all of R^d.
    progress : callable, optional
        Called as ``progress(layer, parents_done, parents_total, regions_so_far)``
        after each parent region (or chunk of parents) is split.
    workers : int or None
        Number of local processes (1: serial, the default; None: all cores). The
        parents of each layer are split in chunks; the result is identical.
    scheduler : str, optional
        Address of a Dask distributed scheduler (``tcp://HOST:PORT``) to run the
        chunks on instead of local processes.

    Returns
    -------
    RegionComplex

    Notes
    -----
    Layer by layer (DESIGN §1): each parent region's local pre-activations are
    affine functions (integer numerators over one denominator per layer, updated
    from the previous parent's by outer products, :class:`_LayerMaps`); a neuron whose
    hyperplane does not cut the parent is classified by the exact signs of its
    row at the parent's vertices; the cutting hyperplanes (coincident ones merged)
    split the parent one after the other. In a box every polytope is split
    combinatorially, with no LP and no double description: vertices are classified
    by exact sign, new vertices are made on the crossing edges, facets follow from
    the vertex-facet incidences (:func:`_split_polytope`); adjacency is a hash join
    on facet vertex sets (:func:`_match_facets`). On R^d each split is one exact
    double-description call (``cdd.gmp``) per child and adjacency is tracked layer
    by layer (siblings by sign vectors; children of adjacent parents by equal facet
    vertex sets, else one exact LP). Box cost: O(sum over splits of |V+| |V-| m)
    integer operations for polytopes with V vertices and m facets, i.e. roughly
    linear in the number of regions times their facets. With *workers* > 1 a layer
    with many parents is split in chunks of parents, and one with few (the first
    layer: the box) is cut into pieces that the workers finish.

    Examples
    --------
    >>> from exactpoly.network import network_from_layers
    >>> net = network_from_layers(1, [([[1], [1]], [0, "-1/2"]), ([[1, 1]], [0])])
    >>> cx = region_complex(net, box=1)
    >>> [(r.pattern_string, r.vertices) for r in cx.regions]   # doctest: +NORMALIZE_WHITESPACE
    [('00', ((Fraction(-1, 1),), (Fraction(0, 1),))),
     ('10', ((Fraction(0, 1),), (Fraction(1, 2),))),
     ('11', ((Fraction(1, 2),), (Fraction(1, 1),)))]
    """
    if not isinstance(net, ReluNetwork):
        raise TypeError(f"net: expected a ReluNetwork, got {type(net).__name__}")
    parsed = _parse_box(box)
    with _cyclic_gc_paused(), make_runner(workers, scheduler) as runner:
        B = _auto_box(net, runner) if isinstance(parsed, str) else parsed
        join = _FacetJoin() if B is not None else None
        cells, edges, history, volume = _build(net, B, progress, runner, join)
        keys = [bytes(c.pattern) for c in cells]  # patterns are bits: bytes order is tuple order
        order = sorted(range(len(cells)), key=keys.__getitem__)
        del keys
        regions = tuple([c if isinstance(c, Region) else _region_of(c) for c in map(cells.__getitem__, order)])
        new_index = [0] * len(order)
        for new, old in enumerate(order):
            new_index[old] = new
        if B is None:  # adjacency was tracked layer by layer
            out_edges = sorted([_renumbered(new_index, a, b, _public_label_tuples(labs)[0])
                                for (a, b), (_key, labs) in edges.items()])
        elif join is not None and len(join.regions) == len(cells):
            # joined while the workers finished the regions: renumber in pattern order
            out_edges = sorted([_renumbered(new_index, a, b, neurons) for a, b, neurons in join.edges()])
        else:
            out_edges = _match_facets(regions)
    return RegionComplex(net, B, regions, tuple(out_edges), tuple(history), volume)


def auto_box(net: ReluNetwork) -> Fraction:
    """A box half-width B for which the box complex has the same regions as R^d.

    Builds the complex on R^d and returns the smallest positive integer B strictly
    greater than every coordinate's absolute value over all vertices of all regions
    and over the interior points of the regions that have no vertex. Then every
    vertex of the R^d complex lies strictly inside ``(-B, B)^d`` and every region of
    R^d meets the open box, so region counts agree (DESIGN §1 ``box="auto"``).

    Examples
    --------
    >>> from exactpoly.network import network_from_layers
    >>> net = network_from_layers(2, [([[1, 0], [0, 1], [1, 1]], [-3, 0, "1/2"]), ([[1, 1, 1]], [0])])
    >>> auto_box(net)   # vertices (3, 0), (3, -7/2), (-1/2, 0)
    Fraction(4, 1)
    """
    with make_runner(1) as runner:
        return _auto_box(net, runner)


def _one_layer_auto_box(net: ReluNetwork) -> Fraction | None:
    """auto_box of a one-hidden-layer net from its arrangement alone; None if not essential.

    The R^d complex of one hidden layer is the arrangement of the (non-dead) neurons'
    hyperplanes. When their normals span R^d every region is pointed, so the largest
    coordinate over all region vertices is the largest over the points where d
    hyperplanes with independent normals meet (each such point is a 0-dimensional
    face, hence a vertex of every region at it); solved by Cramer's rule in integers.
    O(C(m, d) d^3) for m distinct hyperplanes.
    """
    d = net.input_dim
    keys = set()
    for w, b in zip(net.weights[0], net.biases[0]):
        if any(w):
            keys.add(hyperplane_key(primitive([b, *w]))[0])
    rows = sorted(keys)
    if integer_rank([r[1:] for r in rows]) < d:
        return None
    best = 0
    for combo in combinations(rows, d):
        A = [list(r[1:]) for r in combo]
        den = abs(small_integer_determinant(A))
        if den == 0:
            continue
        for j in range(d):
            Aj = [r[:j] + [-c[0]] + r[j + 1:] for r, c in zip(A, combo)]
            best = max(best, abs(small_integer_determinant(Aj)) // den)
    return Fraction(best + 1)


def _auto_box(net: ReluNetwork, runner) -> Fraction:
    if net.n_hidden_layers == 1:
        B = _one_layer_auto_box(net)
        if B is not None:
            return B
    cells, _edges, _h, _v = _build(net, None, None, runner)
    m = Fraction(0)
    for c in cells:
        g = c.gens
        pts = [interior_point_of(g)] if g.lines or not g.points else [point_fractions(p) for p in g.points]
        for p in pts:
            for x in p:
                m = max(m, abs(x))
    return Fraction(int(m) + 1)


def summary(cx: RegionComplex) -> dict:
    """The region summary of DESIGN §2 as a JSON-ready dict.

    Keys: ``input_dim``, ``architecture``, ``domain``, ``regions``, ``facets_total``,
    ``facet_histogram``, ``max_facets``, ``average_facets``, ``vertices_total``,
    ``simplices_total``, ``volume_total``, ``adjacency_edges``, plus
    ``layer_regions`` (the per-layer history) and ``triangulation`` (the method).

    >>> from exactpoly.network import network_from_layers
    >>> net = network_from_layers(2, [([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [0])])
    >>> s = summary(region_complex(net, box=1))
    >>> s["regions"], s["facet_histogram"], s["average_facets"], s["volume_total"]
    (4, {'4': 4}, '4', '4')
    """
    n_facets = [len(r.facets) for r in cx.regions]
    hist = Counter(n_facets)
    n = cx.n_regions
    ftot = sum(n_facets)
    domain = {"box": format_fraction(cx.box)} if cx.box is not None else {"unbounded": True}
    vol = cx.volume_total
    return {
        "input_dim": cx.input_dim,
        "architecture": cx.network.architecture,
        "domain": domain,
        "regions": n,
        "facets_total": ftot,
        "facet_histogram": {str(k): hist[k] for k in sorted(hist)},
        "max_facets": max(hist) if hist else 0,
        "average_facets": format_fraction(Fraction(ftot, n)) if n else "0",
        "vertices_total": cx.vertices_total,
        "simplices_total": cx.simplices_total,
        "volume_total": format_fraction(vol) if vol is not None else None,
        "adjacency_edges": len(cx.edges),
        "layer_regions": list(cx.history),
        "triangulation": "lexicographic-pulling",
    }


def complex_to_mapping(cx: RegionComplex) -> dict:
    """The full complex as a JSON-ready dict (format ``exactpoly.region-complex/1``).

    Every region: pattern, facets (canonical row as integer strings, supporting
    neurons ``[layer, index]`` and walls ``[coordinate, side]``, vertex indices),
    vertices as ``"p/q"`` strings, rays, lines, interior point, and for a box the
    simplices of the canonical triangulation and the volume; plus the adjacency
    edges with their supporting neurons and the summary.
    """
    regions = []
    for r in cx.regions:
        item: dict[str, object] = {
            "pattern": r.pattern_string,
            "vertices": [[format_fraction(x) for x in v] for v in r.vertices],
            "facets": [{"row": [str(x) for x in f.row],
                        "neurons": [list(t) for t in f.neurons],
                        "walls": [list(t) for t in f.walls],
                        "vertices": list(f.vertices)} for f in r.facets],
            "interior_point": [format_fraction(x) for x in r.interior_point],
        }
        if cx.box is not None:
            item["simplices"] = [list(s) for s in r.simplices]
            item["volume"] = format_fraction(r.volume)
        else:
            item["rays"] = [[str(x) for x in v] for v in r.rays]
            item["lines"] = [[str(x) for x in v] for v in r.lines]
        regions.append(item)
    edges = [{"regions": [u, v], "neurons": [list(t) for t in neurons]} for u, v, neurons in cx.edges]
    return {"format": "exactpoly.region-complex/1", "summary": summary(cx),
            "regions": regions, "edges": edges}
