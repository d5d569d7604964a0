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

from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from math import factorial

from ..errors import BudgetExceededError, DomainError
from ..geometry.dd import Generators
from ..geometry.polyhedron import interior_point_of, point_fractions
from ..geometry.rows import IntRow
from ..geometry.triangulation import (
    check_simplex_budget,
    delaunay_triangulation_homogeneous,
    n_sorted_pulling_simplices,
    sorted_pulling_simplices,
)
from ..network import ReluNetwork
from ..rational import coprime_fraction
from . import kernels
from .sums import sum_by_prefix

__all__ = ["RegionFacet", "Region", "RegionComplex"]


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
        if self.dim <= 3:
            return tuple(kernels.pulling_simplices(len(self.points), fverts, self.dim))
        check_simplex_budget(self.n_simplices, len(self.points), self.dim)  # counted once, then listed
        return tuple(sorted_pulling_simplices(len(self.points), fverts, self.dim, budget=False))

    @cached_property
    def n_simplices(self) -> int:
        """Number of d-simplices of the canonical triangulation; in dimension >= 4 counted without
        listing them (:func:`~exactpoly.geometry.triangulation.n_sorted_pulling_simplices`, within its
        face budget: BudgetExceededError beyond). DomainError for an unbounded region."""
        if self.dim <= 3 or "simplices" in self.__dict__:
            return len(self.simplices)
        if not self.is_bounded:
            raise DomainError("simplices: the region is unbounded")
        count = self._simplex_count
        if isinstance(count, BudgetExceededError):
            raise count
        return count

    @cached_property
    def _simplex_count(self) -> int | BudgetExceededError:
        """The canonical triangulation's size in dimension >= 4, or the budget error (kept, so that
        asking again does not walk the faces again)."""
        try:
            return n_sorted_pulling_simplices(len(self.points), [f.vertices for f in self.facets], self.dim)
        except BudgetExceededError as e:
            return e

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
        num, D = kernels.volume_numerator(self.points, self.simplices, self.dim)
        return num, D * factorial(self.dim)


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

