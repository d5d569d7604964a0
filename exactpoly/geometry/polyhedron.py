"""Exact convex polyhedra: H-representation rows, facets, vertices, incidence.

The double description itself (pycddlib's exact ``cdd.gmp``) is in :mod:`exactpoly.geometry.dd`.

A half-space is a row ``(b, a)`` meaning ``b + a·x >= 0`` (constant first, as in
cdd and Sage). A row's *canonical form* scales it by a positive rational to coprime
integers, so equal half-spaces compare and hash equal. Internally rows and
generators are tuples of Python ``int`` (homogenised: a point ``v`` is stored as
``(q, q·v)`` with ``q > 0`` the least common denominator, a ray/line ``r`` as
``(0, r)`` scaled to coprime integers); every public value is a ``Fraction``.

Examples
--------
>>> P = polyhedron_from_box(1, 2)
>>> P.dimension, P.n_facets, P.vertices[0]
(2, 4, (Fraction(-1, 1), Fraction(-1, 1)))
>>> Q = polyhedron_from_rows([(0, 1, 0), (0, 0, 1), (0, 1, 0)], labels=["a", "b", "c"])
>>> [(f.row, sorted(f.labels)) for f in Q.facets]   # rows 'a' and 'c' coincide
[((0, 0, 1), ['b']), ((0, 1, 0), ['a', 'c'])]
>>> Q.vertices, Q.rays
(((Fraction(0, 1), Fraction(0, 1)),), ((0, 1), (1, 0)))
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from math import lcm

from ..errors import DomainError, GeometryError
from ..rational import to_fraction
from .dd import Generators, generators_of, hull_facets, hull_facets_homogeneous, is_strictly_feasible
from .linalg import integer_rank, primitive
from .rows import IntRow, dot, hyperplane_key
from .triangulation import pulling_triangulation, simplex_volume

__all__ = [
    "Facet",
    "Generators",
    "Polyhedron",
    "canonical_row",
    "hyperplane_key",
    "polyhedron_from_rows",
    "polyhedron_from_box",
    "box_rows",
    "is_strictly_feasible",
    "hull_facets",
    "hull_facets_homogeneous",
    "generators_of",
]


def canonical_row(row: Sequence[Fraction | int | str | float]) -> IntRow:
    """Canonical form of the half-space ``b + a·x >= 0``: coprime integers, same orientation.

    Parameters
    ----------
    row : sequence of numbers
        ``(b, a_1, ..., a_d)``; entries are read with :func:`~exactpoly.rational.to_fraction`.

    Returns
    -------
    tuple of int

    Examples
    --------
    >>> canonical_row(["1/2", "-3/2", 0])
    (1, -3, 0)
    """
    return primitive([to_fraction(x, name="row entry") for x in row])


def box_rows(B: Fraction, d: int) -> list[tuple[IntRow, tuple[int, int]]]:
    """Rows of the box ``[-B, B]^d`` with their wall labels ``(coordinate, side)``.

    ``(j, -1)`` is the wall ``x_j = -B`` (row ``B + x_j >= 0``), ``(j, +1)`` the wall
    ``x_j = B`` (row ``B - x_j >= 0``). Order: coordinate, then side -1 before +1.

    >>> box_rows(Fraction(1, 2), 1)
    [((1, 2), (0, -1)), ((1, -2), (0, 1))]
    """
    out = []
    for j in range(d):
        for side in (-1, 1):
            a = [0] * d
            a[j] = -side
            out.append((primitive([B, *a]), (j, side)))
    return out


def facets_of(rows: Sequence[IntRow], labels: Sequence[frozenset], gens: Generators, d: int
              ) -> list[tuple[IntRow, frozenset, frozenset[int], frozenset[int]]]:
    """Internal: irredundant rows of a full-dimensional polyhedron.

    Rows equal after canonicalisation are merged and their label sets united. A
    row is a facet iff the generators on its hyperplane have homogenised rank d.
    Returns ``(row, labels, point_indices, ray_indices)`` sorted by row.

    Notes
    -----
    O(m (g d + rank)) for m rows and g generators; no LP.
    """
    merged: dict[IntRow, frozenset] = {}
    for r, lab in zip(rows, labels):
        merged[r] = merged.get(r, frozenset()) | lab
    out = []
    for r in sorted(merged):
        pts = frozenset(i for i, p in enumerate(gens.points) if dot(r, p) == 0)
        if len(pts) == 0:
            continue
        rys = frozenset(i for i, q in enumerate(gens.rays) if dot(r, q) == 0)
        if len(pts) + len(rys) + len(gens.lines) < d:
            continue
        mat = [gens.points[i] for i in pts] + [gens.rays[i] for i in rys] + list(gens.lines)
        if integer_rank(mat) == d:
            out.append((r, merged[r], pts, rys))
    return out


def point_fractions(p: IntRow) -> tuple[Fraction, ...]:
    """Internal: homogenised integer point ``(q, p)`` as a tuple of Fractions ``p/q``."""
    q = p[0]
    return tuple(Fraction(x, q) for x in p[1:])


@dataclass(frozen=True)
class Facet:
    """A facet of a full-dimensional polyhedron.

    Attributes
    ----------
    row : tuple of int
        Canonical inward row ``(b, a)``: the polyhedron satisfies ``b + a·x >= 0``.
    labels : frozenset
        Everything that supports the facet (all input rows with this canonical form).
    vertices : frozenset of int
        Indices into the polyhedron's ``vertices`` of the vertices on the facet.
    rays : frozenset of int
        Indices into ``rays`` of the rays parallel to the facet.
    """

    row: IntRow
    labels: frozenset
    vertices: frozenset[int]
    rays: frozenset[int] = frozenset()


@dataclass(frozen=True, repr=False)
class Polyhedron:
    """An exact convex polyhedron ``{x in R^d : b_i + a_i·x >= 0}``.

    Build it with :func:`polyhedron_from_rows` or :func:`polyhedron_from_box`.
    Rows are stored canonically (coprime integers); *labels* (one hashable per row)
    say what each row stands for (a neuron, a box wall, ...). Everything else is
    computed lazily and exactly by double description (``cdd.gmp``).

    Attributes
    ----------
    dim : int
        Ambient dimension d.
    rows : tuple of tuple of int
        Canonical rows.
    labels : tuple of Hashable
        One label per row.
    """

    dim: int
    rows: tuple[IntRow, ...]
    labels: tuple[Hashable, ...] = field(default=())

    def __repr__(self) -> str:
        """``<Polyhedron in R^d: m rows>``; O(1), computes nothing (equality and hashing are the fields').

        >>> polyhedron_from_box(1, 3)
        <Polyhedron in R^3: 6 rows>
        """
        return f"<Polyhedron in R^{self.dim}: {len(self.rows)} row{'' if len(self.rows) == 1 else 's'}>"

    @cached_property
    def generators(self) -> Generators:
        """Homogenised integer V-representation (points, rays, lines)."""
        return generators_of(self.rows, self.dim)

    @cached_property
    def _vertex_order(self) -> list[int]:
        pts = self.generators.points
        return sorted(range(len(pts)), key=lambda i: point_fractions(pts[i]))

    @property
    def is_empty(self) -> bool:
        """True when no point satisfies all rows."""
        return not self.generators.points

    @property
    def dimension(self) -> int:
        """Affine dimension (-1 when empty)."""
        return self.generators.dimension()

    @property
    def is_full_dimensional(self) -> bool:
        return self.dimension == self.dim

    @property
    def is_bounded(self) -> bool:
        """True when the polyhedron has no rays and no lines (a polytope, or empty)."""
        g = self.generators
        return not g.rays and not g.lines

    @cached_property
    def vertices(self) -> tuple[tuple[Fraction, ...], ...]:
        """Vertices in lexicographic order (empty when the polyhedron has lines)."""
        if self.generators.lines:
            return ()
        pts = self.generators.points
        return tuple(point_fractions(pts[i]) for i in self._vertex_order)

    @cached_property
    def rays(self) -> tuple[tuple[int, ...], ...]:
        """Extreme rays as coprime integer direction vectors, sorted."""
        return tuple(sorted(r[1:] for r in self.generators.rays))

    @cached_property
    def lines(self) -> tuple[tuple[int, ...], ...]:
        """A basis of the lineality space as integer vectors (cdd's choice), sorted."""
        return tuple(sorted(r[1:] for r in self.generators.lines))

    @cached_property
    def facets(self) -> tuple[Facet, ...]:
        """Facets sorted by canonical row; coincident rows merged into one facet.

        Raises
        ------
        GeometryError
            If the polyhedron is not full-dimensional (facets are (d-1)-faces of a
            d-dimensional polyhedron here).
        """
        if not self.is_full_dimensional:
            raise GeometryError(f"facets need a full-dimensional polyhedron; this one has "
                                f"dimension {self.dimension} in R^{self.dim}")
        g = self.generators
        labels = self.labels or tuple(range(len(self.rows)))
        raw = facets_of(self.rows, [frozenset([x]) for x in labels], g, self.dim)
        rank_of = {old: new for new, old in enumerate(self._vertex_order)}
        ray_sorted = sorted(range(len(g.rays)), key=lambda i: g.rays[i][1:])
        ray_rank = {old: new for new, old in enumerate(ray_sorted)}
        vert = (lambda s: frozenset(rank_of[i] for i in s)) if not g.lines else (lambda s: frozenset())
        return tuple(Facet(r, lab, vert(p), frozenset(ray_rank[i] for i in q))
                     for r, lab, p, q in raw)

    @property
    def n_facets(self) -> int:
        return len(self.facets)

    @cached_property
    def interior_point(self) -> tuple[Fraction, ...]:
        """A point of the relative interior: mean of the points plus the sum of the rays.

        Raises GeometryError when empty.
        """
        return interior_point_of(self.generators)

    @cached_property
    def volume(self) -> Fraction:
        """Exact d-dimensional volume (0 when not full-dimensional).

        Raises DomainError when unbounded. Computed from the canonical (lexicographic
        pulling) triangulation.
        """
        if not self.is_bounded:
            raise DomainError("volume: the polyhedron is unbounded")
        if self.is_empty or not self.is_full_dimensional:
            return Fraction(0)
        verts = self.vertices
        simp = pulling_triangulation(verts, [f.vertices for f in self.facets], self.dim)
        return sum((simplex_volume([verts[i] for i in s]) for s in simp), Fraction(0))

    def contains(self, point: Sequence[Fraction | int]) -> bool:
        """True when *point* satisfies every row (closed polyhedron)."""
        x = [to_fraction(v, name="point") for v in point]
        return all(r[0] + sum(a * v for a, v in zip(r[1:], x)) >= 0 for r in self.rows)


def interior_point_of(g: Generators) -> tuple[Fraction, ...]:
    """Internal: mean of the points plus the sum of the rays (relative interior).

    Summed in integers over the least common denominator of the points, one Fraction
    per coordinate at the end (the same values as summing Fractions, without a gcd per
    addition). O(#points * d) integer operations.
    """
    if not g.points:
        raise GeometryError("interior point of an empty polyhedron")
    d = len(g.points[0]) - 1
    den = 1
    for p in g.points:
        den = lcm(den, p[0])
    acc = [0] * d
    for p in g.points:
        s = den // p[0]
        for j in range(d):
            acc[j] += p[j + 1] * s
    den *= len(g.points)
    for r in g.rays:
        for j in range(d):
            acc[j] += r[j + 1] * den
    return tuple(Fraction(x, den) for x in acc)


def polyhedron_from_rows(rows: Sequence[Sequence], labels: Sequence[Hashable] | None = None,
                         dim: int | None = None) -> Polyhedron:
    """Build a :class:`Polyhedron` from half-space rows ``(b, a_1, ..., a_d)``.

    Parameters
    ----------
    rows : sequence of sequences of numbers
        Entries are read exactly with :func:`~exactpoly.rational.to_fraction`.
    labels : sequence of hashables, optional
        One label per row (default: the row index).
    dim : int, optional
        Ambient dimension; required when *rows* is empty.

    Examples
    --------
    >>> P = polyhedron_from_rows([(0, 1), (1, -1)])    # 0 <= x <= 1
    >>> P.vertices, P.volume
    (((Fraction(0, 1),), (Fraction(1, 1),)), Fraction(1, 1))
    """
    rows = list(rows)
    if dim is None:
        if not rows:
            raise DomainError("dim: required when rows is empty")
        dim = len(rows[0]) - 1
    if isinstance(dim, bool) or not isinstance(dim, int) or dim < 1:
        raise DomainError(f"dim: expected a positive integer, got {dim!r}")
    canon = []
    for i, r in enumerate(rows):
        if len(r) != dim + 1:
            raise DomainError(f"rows[{i}]: expected {dim + 1} entries (b, a_1..a_{dim}), got {len(r)}")
        canon.append(canonical_row(r))
    if labels is None:
        labels = tuple(range(len(rows)))
    elif len(labels) != len(rows):
        raise DomainError(f"labels: expected {len(rows)} labels, got {len(labels)}")
    return Polyhedron(dim, tuple(canon), tuple(labels))


def polyhedron_from_box(B, d: int) -> Polyhedron:
    """The box ``[-B, B]^d`` with wall labels ``(j, -1)`` / ``(j, +1)``.

    >>> polyhedron_from_box("1/2", 3).volume
    Fraction(1, 1)
    """
    Bq = to_fraction(B, name="B")
    if Bq <= 0:
        raise DomainError(f"B: the box half-width must be positive, got {B!r}")
    if isinstance(d, bool) or not isinstance(d, int) or d < 1:
        raise DomainError(f"d: expected a positive integer, got {d!r}")
    rows = box_rows(Bq, d)
    return Polyhedron(d, tuple(r for r, _ in rows), tuple(lab for _, lab in rows))


