"""The public data model of a region complex: :class:`RegionFacet`, :class:`Region`, :class:`RegionComplex`.

Immutable values; everything derived (vertices as Fractions, interior point, canonical
simplices, volume, the adjacency graph) is computed on first use. The definitions they
follow (activation region, facet, adjacency, canonical triangulation) are those of
``docs/conventions.md`` §1.

>>> from exactpoly import network_from_layers, region_complex
>>> cx = region_complex(network_from_layers(2, [([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [0])]), box=1)
>>> r = cx.regions[0]
>>> r.pattern_string, r.n_facets, r.n_vertices, r.n_simplices, r.volume
('00', 4, 4, 2, Fraction(1, 1))
>>> [f.walls for f in r.facets]
[(), (), ((1, -1),), ((0, -1),)]
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from math import factorial
from typing import Any

from ..errors import BudgetExceededError, DomainError, MissingDependencyError
from ..geometry.dd import Generators
from ..geometry.polyhedron import Polyhedron, interior_point_of, point_fractions, polyhedron_from_rows
from ..geometry.rows import IntRow
from ..geometry.triangulation import (
    check_simplex_budget,
    delaunay_triangulation_homogeneous,
    face_budget_error,
    max_faces,
    max_simplices,
)
from ..network import ReluNetwork
from ..rational import coprime_fraction, format_fraction, to_fraction
from . import kernels
from .local_maps import AffineMap, PatternMaps
from .sums import sum_by_prefix

__all__ = ["RegionFacet", "Region", "RegionComplex", "REGION_COLUMNS", "region_node_attributes",
           "graph_attributes"]

#: The columns of :meth:`RegionComplex.to_records` (and of the CSV export), in order.
REGION_COLUMNS = ("region", "pattern", "facets", "vertices", "neighbours", "simplices", "volume",
                  "rays", "lines", "interior_point")


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


@dataclass(frozen=True, repr=False)
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
    are computed on first use. ``repr`` is a one-line summary (pattern, numbers of facets,
    vertices, rays, lines); equality and hashing are those of the fields.
    """

    pattern: tuple[int, ...]
    facets: tuple[RegionFacet, ...]
    points: tuple[tuple[int, ...], ...] = field(repr=False)
    rays: tuple[tuple[int, ...], ...]
    lines: tuple[tuple[int, ...], ...]

    def __repr__(self) -> str:
        """``<Region PATTERN: F facets, V vertices[, R rays][, L lines]>``, O(1)."""
        extra = "".join(f", {n} {name}{'s' if n != 1 else ''}"
                        for n, name in ((len(self.rays), "ray"), (len(self.lines), "line")) if n)
        return f"<Region {self.pattern_string}: {_count(self.n_facets, 'facet')}, " \
               f"{_count(self.n_vertices, 'vertex', 'vertices')}{extra}>"

    @property
    def dim(self) -> int:
        return len(self.points[0]) - 1

    def contains(self, x: Sequence[Any], *, closed: bool = False) -> bool:
        """Whether the point *x* lies in the open region (``closed=False``) or in its closure.

        Parameters
        ----------
        x : sequence of numbers
            d coordinates, read exactly with :func:`~exactpoly.rational.to_fraction`
            (a float is its exact binary value).
        closed : bool, default False
            False: strictly inside every facet row, ``b + a·x > 0``; True: ``>= 0``.

        Returns
        -------
        bool

        Raises
        ------
        DomainError
            *x* does not have d coordinates.
        NumberError
            A coordinate is not a number.

        Notes
        -----
        O(facets · d) exact operations.

        Examples
        --------
        >>> from exactpoly import network_from_layers, region_complex
        >>> cx = region_complex(network_from_layers(1, [([[1]], [0]), ([[1]], [0])]), box=1)
        >>> r = cx.regions[1]                      # 0 < x < 1
        >>> r.contains(["1/2"]), r.contains([0]), r.contains([0], closed=True)
        (True, False, True)
        """
        q = _point(x, self.dim)
        if closed:
            return all(_row_value(f.row, q) >= 0 for f in self.facets)
        return all(_row_value(f.row, q) > 0 for f in self.facets)

    def to_polyhedron(self) -> Polyhedron:
        """The closure of the region as a :class:`~exactpoly.geometry.polyhedron.Polyhedron`.

        Its rows are the facet rows, labelled ``(neurons, walls)`` of each facet.
        O(facets · d); the polyhedron computes its own vertices on first use
        (double description).

        Examples
        --------
        >>> from exactpoly import network_from_layers, region_complex
        >>> cx = region_complex(network_from_layers(1, [([[1]], [0]), ([[1]], [0])]), box=1)
        >>> P = cx.regions[1].to_polyhedron()
        >>> P, P.vertices == cx.regions[1].vertices, P.volume
        (<Polyhedron in R^1: 2 rows>, True, Fraction(1, 1))
        """
        return polyhedron_from_rows([f.row for f in self.facets], [(f.neurons, f.walls) for f in self.facets],
                                    dim=self.dim)

    def affine_map(self, network: ReluNetwork) -> AffineMap:
        """The exact affine map ``x -> A x + c`` that *network* computes on this region.

        Parameters
        ----------
        network : ReluNetwork
            The network whose complex this region belongs to.

        Returns
        -------
        (A, c)
            ``A``: one tuple of d Fractions per output; ``c``: one Fraction per output.

        Notes
        -----
        :meth:`~exactpoly.complex.local_maps.PatternMaps.output_map` of the pattern:
        O(sum over layers of n_l · n_(l-1) · (d + 1)) exact operations.
        :meth:`RegionComplex.affine_map` keeps the maps of all regions' prefixes.

        Examples
        --------
        >>> from exactpoly import network_from_layers, region_complex
        >>> net = network_from_layers(1, [([[1]], [0]), ([[3]], ["1/2"])])
        >>> cx = region_complex(net, box=1)
        >>> cx.regions[1].affine_map(net)             # 3x + 1/2 where x > 0
        (((Fraction(3, 1),),), (Fraction(1, 2),))
        """
        return PatternMaps(network).output_map(self.pattern)

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
        if self.dim <= 3:
            return tuple(kernels.pulling_simplices(len(self.points), fverts, self.dim))
        check_simplex_budget(self.n_simplices, len(self.points), self.dim)  # counted once, then listed
        listed = kernels.pulling_count_volume(len(self.points), fverts, self.dim, max_faces(), max_simplices(),
                                              None, True)[2]
        if listed is None:  # pragma: no cover - the budgets changed in between
            check_simplex_budget(self.n_simplices + max_simplices(), len(self.points), self.dim)
        return tuple(listed or ())

    @cached_property
    def n_simplices(self) -> int:
        """Number of d-simplices of the canonical triangulation; in dimension >= 4 counted without
        listing them (the face walk of ``kernels.pulling_count_volume``, within the face budget
        :func:`~exactpoly.geometry.triangulation.max_faces`: BudgetExceededError beyond).
        DomainError for an unbounded region."""
        if self.dim <= 3 or "simplices" in self.__dict__:
            return len(self.simplices)
        count = self._pulling[0]
        if count < 0:
            raise face_budget_error(len(self.points), self.dim, max_faces())
        return count

    @cached_property
    def _pulling(self) -> tuple[int, tuple[int, int] | None]:
        """In dimension >= 4: the canonical triangulation's size (-1 over the face budget) and,
        when within :func:`~exactpoly.geometry.triangulation.max_simplices`, its volume terms
        ``(N, D)`` (``volume == N / (d! D)``), from one walk over the faces that lists no
        simplex. Kept, so that asking again does not walk the faces again."""
        if not self.is_bounded:
            raise DomainError("simplices: the region is unbounded")
        count, terms, _ = kernels.pulling_count_volume(len(self.points), [f.vertices for f in self.facets],
                                                       self.dim, max_faces(), max_simplices(), self.points)
        return count, terms

    @cached_property
    def delaunay_simplices(self) -> tuple[tuple[int, ...], ...]:
        """d-simplices of the exact Delaunay triangulation of the vertices (second method).

        Cospherical cells are refined by lexicographic pulling; see
        :func:`~exactpoly.geometry.triangulation.delaunay_triangulation`.
        """
        if not self.is_bounded:
            raise DomainError("delaunay_simplices: the region is unbounded")
        return tuple(delaunay_triangulation_homogeneous(self.points, self.dim))

    @cached_property
    def facet_fingerprints(self) -> tuple[int | None, ...]:
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
        return coprime_fraction(*kernels.sum_fractions([self.volume_terms]))

    @cached_property
    def volume_terms(self) -> tuple[int, int]:
        """``(N, M)`` with ``volume == N / M``, not reduced: the simplices' terms over
        ``d!`` times the product of the vertex denominators. Workers compute it and sum
        a parent's children without reducing each region's Fraction (``sum_volumes``)."""
        if self.dim <= 3 or "simplices" in self.__dict__:
            num, D = kernels.volume_numerator(self.points, self.simplices, self.dim)
            return num, D * factorial(self.dim)
        count, terms = self._pulling
        if terms is None:  # over a budget: the same error as listing the simplices
            check_simplex_budget(self.n_simplices, len(self.points), self.dim)
            raise face_budget_error(len(self.points), self.dim, max_faces())  # pragma: no cover
        return terms[0], terms[1] * factorial(self.dim)


@dataclass(frozen=True, eq=False, repr=False)
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

    ``graph`` is the adjacency graph as a ``networkx.Graph`` (built on first use) with
    the node attributes of the GraphML export (:func:`region_node_attributes`); edges
    carry ``neurons``, the sorted ``(layer, index)`` supports of the shared face.
    ``repr`` is a one-line summary; ``_repr_html_`` a small table for notebooks.
    """

    network: ReluNetwork
    box: Fraction | None
    regions: tuple[Region, ...]
    edges: tuple[tuple[int, int, tuple[tuple[int, int], ...]], ...]
    history: tuple[int, ...]
    # the regions' total volume when the workers that finished them summed it
    _volume: Fraction | None = field(default=None, compare=False)

    def __repr__(self) -> str:
        """``<RegionComplex ARCH DOMAIN: N regions, F facets>``; O(regions) (the facet total)."""
        return (f"<RegionComplex {self.network.architecture} {self._domain_text()}: "
                f"{_count(self.n_regions, 'region')}, {_count(self.facets_total, 'facet')}>")

    def _domain_text(self) -> str:
        if self.box is None:
            return f"R^{self.input_dim}"
        B = format_fraction(self.box)
        return f"box [-{B},{B}]^{self.input_dim}"

    def _repr_html_(self) -> str:
        """The summary as a small HTML table (Jupyter's rich display); every cell is escaped."""
        rows = [("architecture", self.network.architecture), ("domain", self._domain_text()),
                ("regions", f"{self.n_regions:,}"), ("facets total", f"{self.facets_total:,}"),
                ("vertices total", f"{self.vertices_total:,}"), ("adjacency edges", f"{len(self.edges):,}"),
                ("regions after each layer", " \u2192 ".join(map(str, self.history)))]
        return _html_table("RegionComplex", rows)

    @cached_property
    def graph(self):
        """The region adjacency graph (``networkx.Graph``) with the GraphML export's attributes.

        Nodes are region indices with :func:`region_node_attributes` (a triangulation-derived
        value over its budget, :class:`~exactpoly.errors.BudgetExceededError`, is left out);
        edges carry ``neurons`` (tuple of ``(layer, index)``); graph attributes are
        :func:`graph_attributes`. O(size of the complex) plus the regions' triangulations
        (in a box).
        """
        import networkx as nx

        g = nx.Graph(**graph_attributes(self))
        degree = self._degrees
        for i in range(self.n_regions):
            g.add_node(i, **region_node_attributes(self, i, degree[i], strict=False))
        for u, v, neurons in self.edges:
            g.add_edge(u, v, neurons=neurons)
        return g

    @cached_property
    def _neighbors(self) -> tuple[tuple[int, ...], ...]:
        adj: list[list[int]] = [[] for _ in self.regions]
        for u, v, _ in self.edges:
            adj[u].append(v)
            adj[v].append(u)
        return tuple(tuple(sorted(a)) for a in adj)

    @property
    def _degrees(self) -> list[int]:
        return [len(a) for a in self._neighbors]

    def neighbors(self, i: int) -> tuple[int, ...]:
        """The indices of the regions adjacent to region *i* (from ``edges``), sorted.

        Raises
        ------
        DomainError
            *i* is not a region index.

        Notes
        -----
        O(1) after one O(edges) pass.

        Examples
        --------
        >>> from exactpoly import network_from_layers, region_complex
        >>> cx = region_complex(network_from_layers(2, [([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [0])]), box=1)
        >>> [r.pattern_string for r in cx.regions], cx.neighbors(0), cx.neighbors(3)
        (['00', '01', '10', '11'], (1, 2), (1, 2))
        """
        if isinstance(i, bool) or not isinstance(i, int) or not 0 <= i < self.n_regions:
            raise DomainError(f"i: expected a region index 0..{self.n_regions - 1}, got {i!r}")
        return self._neighbors[i]

    def locate(self, x: Sequence[Any]) -> tuple[int, ...]:
        """The regions at the point *x*, as a sorted tuple of region indices.

        * ``(i,)`` when *x* lies in the open region i;
        * the indices of all regions whose closures contain *x* when *x* is on a boundary
          (a facet, a lower-dimensional face, a box wall): two or more, or one on the box
          boundary or in a lower-dimensional piece surrounded by one region;
        * ``()`` when *x* is outside the (closed) domain.

        Parameters
        ----------
        x : sequence of numbers
            d coordinates, read exactly with :func:`~exactpoly.rational.to_fraction`.

        Raises
        ------
        DomainError
            *x* does not have d coordinates.
        NumberError
            A coordinate is not a number.

        Notes
        -----
        One exact forward pass, O(sum over layers of n_l · n_(l-1)): when no hidden
        pre-activation is 0 at *x* and *x* is strictly inside the box, the activation
        pattern names the region. Otherwise every region's closed inequalities are checked,
        O(total facets · d).

        Examples
        --------
        >>> from exactpoly import network_from_layers, region_complex
        >>> cx = region_complex(network_from_layers(2, [([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [0])]), box=1)
        >>> cx.locate(["1/2", "-1/2"]), cx.locate([0, "1/2"]), cx.locate([0, 0]), cx.locate([2, 0])
        ((2,), (1, 3), (0, 1, 2, 3), ())
        """
        q = _point(x, self.input_dim)
        B = self.box
        if B is None or all(-B < t < B for t in q):
            pattern = _strict_pattern(self.network, q)
            if pattern is not None:
                i = self._index.get(pattern)
                if i is not None:
                    return (i,)
        return tuple(i for i, r in enumerate(self.regions) if r.contains(q, closed=True))

    @cached_property
    def _pattern_maps(self) -> PatternMaps:
        return PatternMaps(self.network)

    def affine_map(self, i: int) -> AffineMap:
        """The exact affine map ``x -> A x + c`` of the network's output on region *i*.

        Same value as ``cx.regions[i].affine_map(cx.network)``; the complex keeps the maps
        of the pattern prefixes, so siblings share their parent's work.

        Raises
        ------
        DomainError
            *i* is not a region index.

        Examples
        --------
        >>> from exactpoly import network_from_layers, region_complex
        >>> cx = region_complex(network_from_layers(1, [([[1], [-1]], [0, 0]), ([[1, 2]], [0])]), box=1)
        >>> cx.regions[0].pattern_string, cx.affine_map(0)     # x < 0: 2 * (-x)
        ('01', (((Fraction(-2, 1),),), (Fraction(0, 1),)))
        """
        if isinstance(i, bool) or not isinstance(i, int) or not 0 <= i < self.n_regions:
            raise DomainError(f"i: expected a region index 0..{self.n_regions - 1}, got {i!r}")
        return self._pattern_maps.output_map(self.regions[i].pattern)

    def to_records(self) -> list[dict[str, Any]]:
        """One plain dict per region (in the order of ``regions``), keys :data:`REGION_COLUMNS`.

        The columns of the CSV export (:func:`exactpoly.io.export.region_statistics`):
        ``region`` (index), ``pattern`` (str), ``facets``, ``vertices``, ``neighbours``
        (int), ``simplices`` (int; None on R^d), ``volume`` (exact Fraction; None on R^d),
        ``rays``, ``lines`` (int), ``interior_point`` (tuple of Fraction).

        Notes
        -----
        O(size of the complex) plus the regions' triangulations (cached on the regions).

        Examples
        --------
        >>> from exactpoly import network_from_layers, region_complex
        >>> cx = region_complex(network_from_layers(1, [([[1]], [0]), ([[1]], [0])]), box=1)
        >>> cx.to_records()[1]    # doctest: +NORMALIZE_WHITESPACE
        {'region': 1, 'pattern': '1', 'facets': 2, 'vertices': 2, 'neighbours': 1, 'simplices': 1,
         'volume': Fraction(1, 1), 'rays': 0, 'lines': 0, 'interior_point': (Fraction(1, 2),)}
        """
        bounded = self.box is not None
        degree = self._degrees
        return [{"region": i, "pattern": r.pattern_string, "facets": r.n_facets, "vertices": r.n_vertices,
                 "neighbours": degree[i], "simplices": r.n_simplices if bounded else None,
                 "volume": r.volume if bounded else None, "rays": len(r.rays), "lines": len(r.lines),
                 "interior_point": r.interior_point} for i, r in enumerate(self.regions)]

    def to_dataframe(self) -> Any:
        """:meth:`to_records` as a ``pandas.DataFrame`` (pandas is optional).

        The exact columns keep their Python values (``volume`` Fractions, ``interior_point``
        tuples of Fractions, object dtype); display companions are added, clearly labelled:
        ``volume_float`` (None on R^d) and ``interior_point_float`` (tuple of floats). Never
        compute with the ``*_float`` columns.

        Raises
        ------
        MissingDependencyError
            pandas is not installed.

        Examples
        --------
        >>> from exactpoly import network_from_layers, region_complex
        >>> cx = region_complex(network_from_layers(1, [([[1]], [0]), ([[1]], [0])]), box=1)
        >>> df = cx.to_dataframe()             # doctest: +SKIP
        >>> list(df["volume"]), list(df["volume_float"])    # doctest: +SKIP
        ([Fraction(1, 1), Fraction(1, 1)], [1.0, 1.0])
        """
        try:
            import pandas as pd  # type: ignore[import-untyped]
        except ImportError as e:
            raise MissingDependencyError("to_dataframe needs pandas (pip install pandas); "
                                         "cx.to_records() gives the same rows as plain dicts") from e
        records = self.to_records()
        for rec in records:
            rec["volume_float"] = None if rec["volume"] is None else float(rec["volume"])
            rec["interior_point_float"] = tuple(float(t) for t in rec["interior_point"])
        return pd.DataFrame.from_records(records, columns=[*REGION_COLUMNS, "volume_float", "interior_point_float"])

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
        return sum([r.n_simplices for r in self.regions]) if self.box is not None else None

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
        # up the ancestors: the regions after l layers (l >= 1) are the pattern prefixes of length neuron_offsets[l]
        return sum_by_prefix([(r.pattern, r.volume) for r in self.regions], self.network.neuron_offsets[1:])

    def region_of_pattern(self, pattern: str | tuple[int, ...]) -> Region:
        """The region with the given activation pattern (KeyError if none)."""
        key = tuple(int(c) for c in pattern)
        return self.regions[self._index[key]]

    @cached_property
    def _index(self) -> dict[tuple[int, ...], int]:
        return {r.pattern: i for i, r in enumerate(self.regions)}



def _count(n: int, singular: str, plural: str | None = None) -> str:
    return f"{n:,} {singular if n == 1 else (plural or singular + 's')}"


def _html_table(title: str, rows: Sequence[tuple[str, str]]) -> str:
    """A two-column HTML table with a caption; every text is escaped."""
    body = "".join(f"<tr><th style=\"text-align:left\">{html.escape(k)}</th>"
                   f"<td style=\"text-align:left\">{html.escape(v)}</td></tr>" for k, v in rows)
    return f"<table><caption>{html.escape(title)}</caption>{body}</table>"


def _point(x: Any, d: int) -> tuple[Fraction, ...]:
    """*x* as d exact Fractions (DomainError for the wrong length)."""
    if isinstance(x, (str, bytes)) or not hasattr(x, "__len__"):
        raise DomainError(f"x: expected a sequence of {d} numbers, got {x!r}")
    if len(x) != d:
        raise DomainError(f"x: expected {d} coordinates, got {len(x)}")
    return tuple(to_fraction(t, name=f"x[{j}]") for j, t in enumerate(x))


def _row_value(row: IntRow, q: Sequence[Fraction]) -> Fraction:
    return row[0] + sum((a * t for a, t in zip(row[1:], q)), Fraction(0))


def _strict_pattern(net: ReluNetwork, q: Sequence[Fraction]) -> tuple[int, ...] | None:
    """The activation pattern at *q*, or None when a hidden pre-activation is exactly 0 there."""
    bits: list[int] = []
    h = list(q)
    for W, b in zip(net.weights[:-1], net.biases[:-1]):
        pre = [bi + sum((w * t for w, t in zip(row, h)), Fraction(0)) for row, bi in zip(W, b)]
        if any(p == 0 for p in pre):
            return None
        bits += [1 if p > 0 else 0 for p in pre]
        h = [p if p > 0 else Fraction(0) for p in pre]
    return tuple(bits)


def graph_attributes(cx: RegionComplex) -> dict[str, str]:
    """The graph-level attributes of the adjacency graph: ``format``, ``architecture``, ``domain``.

    ``domain`` is ``"box B"`` or ``"R^d"``. O(1).

    >>> from exactpoly import network_from_layers, region_complex
    >>> graph_attributes(region_complex(network_from_layers(1, [([[1]], [0]), ([[1]], [0])]), box="1/2"))
    {'format': 'exactpoly.region-graph/1', 'architecture': '1-1-1', 'domain': 'box 1/2'}
    """
    return {"format": "exactpoly.region-graph/1", "architecture": cx.network.architecture,
            "domain": f"box {format_fraction(cx.box)}" if cx.box is not None else f"R^{cx.input_dim}"}


def region_node_attributes(cx: RegionComplex, i: int, degree: int, *, strict: bool = True) -> dict[str, Any]:
    """The attributes of region *i* in the adjacency graph (``cx.graph`` and the GraphML export).

    ``pattern`` (str), ``facets``, ``vertices``, ``neighbours`` (int, = *degree*),
    ``bounded`` (bool), ``interior_point`` (``"p/q"`` coordinates separated by spaces)
    and, in a box, ``simplices`` (int), ``volume`` (exact ``"p/q"``) and ``volume_float``
    (a float for display only). GraphML has no rational type, hence the strings.

    Parameters
    ----------
    cx : RegionComplex
    i : int
        Region index.
    degree : int
        Its number of neighbours.
    strict : bool, default True
        False: leave out ``simplices`` / ``volume`` / ``volume_float`` when over the
        triangulation budget instead of raising BudgetExceededError.

    Notes
    -----
    O(size of region i) plus its triangulation (cached on the region).

    >>> from exactpoly import network_from_layers, region_complex
    >>> cx = region_complex(network_from_layers(1, [([[1]], [0]), ([[1]], [0])]), box=1)
    >>> region_node_attributes(cx, 0, 1)    # doctest: +NORMALIZE_WHITESPACE
    {'pattern': '0', 'facets': 2, 'vertices': 2, 'neighbours': 1, 'bounded': True, 'interior_point': '-1/2',
     'simplices': 1, 'volume': '1', 'volume_float': 1.0}
    """
    r = cx.regions[i]
    attrs: dict[str, Any] = {
        "pattern": r.pattern_string,
        "facets": r.n_facets,
        "vertices": r.n_vertices,
        "neighbours": degree,
        "bounded": r.is_bounded,
        "interior_point": " ".join(format_fraction(x) for x in r.interior_point),
    }
    if cx.box is not None:
        try:
            simplices, volume = r.n_simplices, r.volume
        except BudgetExceededError:
            if strict:
                raise
            return attrs
        attrs["simplices"] = simplices
        attrs["volume"] = format_fraction(volume)
        attrs["volume_float"] = float(volume)
    return attrs
