"""Exact double description: the only user of pycddlib (``cdd.gmp``, GMP rationals).

Every other module reaches cdd through these functions: the V-representation of an
H-representation (:func:`generators_of`), the facets of a hull (:func:`hull_facets`,
:func:`hull_facets_homogeneous`) and exact strict feasibility (:func:`is_strictly_feasible`).
Rows are ``(b, a)`` meaning ``b + a·x >= 0`` (``docs/conventions.md`` §"Rows"); generators
are homogenised integers (a point ``v`` as ``(q, q·v)``, ``q > 0``; a ray or line ``r`` as
``(0, r)``), all coprime.

>>> g = generators_of([(1, 1, 0), (1, -1, 0)], 2)      # the strip -1 <= x <= 1
>>> g.points, g.rays, g.lines
(((1, 1, 0), (1, -1, 0)), (), ((0, 0, 1),))
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

import cdd
import cdd.gmp

from ..errors import GeometryError
from .linalg import integer_rank, primitive
from .rows import IntRow

__all__ = ["Generators", "generators_of", "hull_facets", "hull_facets_homogeneous", "irredundant_rows",
           "is_strictly_feasible", "exact_lp_minimum"]


@dataclass(frozen=True)
class Generators:
    """Homogenised integer V-representation of a non-empty polyhedron.

    ``points`` are ``(q, p_1..p_d)`` with ``q > 0`` (the point ``p/q``), ``rays`` and
    ``lines`` are ``(0, r_1..r_d)``. When ``lines`` is non-empty the points are not
    vertices (the polyhedron has none) but points of its minimal faces.
    """

    points: tuple[IntRow, ...]
    rays: tuple[IntRow, ...]
    lines: tuple[IntRow, ...]

    @property
    def is_pointed(self) -> bool:
        return not self.lines

    def dimension(self) -> int:
        """Affine dimension of the polyhedron (-1 when empty)."""
        if not self.points:
            return -1
        return integer_rank([*self.points, *self.rays, *self.lines]) - 1


def _cdd_generators(rows: Sequence[IntRow], d: int, equalities: Iterable[int] = ()) -> Generators:
    """V-representation of ``{x : rows >= 0, rows[equalities] == 0}`` by cdd's exact DD."""
    if not rows:
        # all of R^d: the origin and d lines
        axes = tuple(tuple(1 if i == j + 1 else 0 for i in range(d + 1)) for j in range(d))
        return Generators(((1,) + (0,) * d,), (), axes)
    mat = cdd.gmp.matrix_from_array([list(r) for r in rows], lin_set=set(equalities),
                                    rep_type=cdd.RepType.INEQUALITY)
    poly = cdd.gmp.polyhedron_from_matrix(mat)
    gen = cdd.gmp.copy_generators(poly)
    lin = gen.lin_set
    points: list[IntRow] = []
    rays: list[IntRow] = []
    lines: list[IntRow] = []
    for i, g in enumerate(gen.array):
        t = g[0]
        if i in lin:
            if t != 0:
                raise GeometryError("cdd returned a lineality generator with non-zero t")
            lines.append(primitive(g))
        elif t == 0:
            rays.append(primitive(g))
        elif t > 0:
            points.append(primitive(g))  # (q, q·v), q = lcm of the denominators: coprime
        else:
            points.append(primitive([-x for x in g]))
    if not points and all(r[0] == 0 for r in rows):
        # homogeneous input: cdd returns a cone's rays only; its apex is the origin
        points.append((1,) + (0,) * d)
    return Generators(tuple(points), tuple(rays), tuple(lines))


def generators_of(rows: Sequence[IntRow], d: int) -> Generators:
    """Internal: V-representation of the polyhedron ``rows >= 0`` in R^d."""
    return _cdd_generators(rows, d)


def hull_facets(points: Sequence[Sequence[Fraction | int]], rays: Sequence[Sequence[Fraction | int]] = ()
                ) -> list[tuple[IntRow, frozenset[int]]]:
    """Facets of ``conv(points) + cone(rays)`` (full-dimensional) with their incident generators.

    Returns canonical inward rows ``(b, a)`` and, for each, the indices of the
    points (``0..len(points)-1``) and rays (numbered after the points) on it; sorted
    by row. Exact double description in ``cdd.gmp``.

    Examples
    --------
    >>> [(r, sorted(s)) for r, s in hull_facets([(0, 0), (1, 0), (0, 1)])]
    [((0, 0, 1), [0, 1]), ((0, 1, 0), [0, 2]), ((1, -1, -1), [1, 2])]
    """
    return hull_facets_homogeneous([[1, *p] for p in points] + [[0, *r] for r in rays])


def hull_facets_homogeneous(generators: Sequence[Sequence[Fraction | int]]) -> list[tuple[IntRow, frozenset[int]]]:
    """:func:`hull_facets` of homogeneous generators ``(t, t·x)`` (``t > 0`` a point, ``t = 0`` a ray).

    Any positive multiple of a generator is the same generator, so integer rows
    (cheaper for ``cdd.gmp`` than Fractions) can be passed as they are.

    >>> hull_facets_homogeneous([(2, 0, 0), (3, 3, 0), (5, 0, 5)]) == hull_facets([(0, 0), (1, 0), (0, 1)])
    True
    """
    mat = cdd.gmp.matrix_from_array([list(g) for g in generators], rep_type=cdd.RepType.GENERATOR)
    poly = cdd.gmp.polyhedron_from_matrix(mat)
    ineq = cdd.gmp.copy_inequalities(poly)
    if ineq.lin_set:
        raise GeometryError("hull_facets: the points do not span a full-dimensional polyhedron")
    inc = cdd.gmp.copy_incidence(poly)
    out = [(primitive(row), frozenset(inc[i])) for i, row in enumerate(ineq.array)
           if any(x != 0 for x in row[1:])]  # cdd may add the trivial row 1 >= 0
    return sorted(out)


def is_strictly_feasible(rows: Sequence[IntRow], equalities: Sequence[IntRow] = ()) -> bool:
    """True when some x satisfies every row strictly (``> 0``) and every equality (``= 0``).

    Decided by exact double description, not by an LP: with an extra variable t,
    the polyhedron ``{(x, t) : row(x) - t >= 0, equalities = 0, 0 <= t <= 1}`` is
    non-empty (t = 0 is allowed) and the system is strictly feasible iff one of its
    points has ``t > 0`` — i.e. iff one of its generators does. (cdd's LP solvers
    can stop at a pivot limit even in GMP mode; double description cannot.)

    Notes
    -----
    One ``cdd.gmp`` DD call in dimension d + 1.

    >>> is_strictly_feasible([(0, 1, 0), (0, -1, 0)])           # x > 0 and x < 0
    False
    >>> is_strictly_feasible([(0, 1, 0)], equalities=[(0, 0, 1)])
    True
    """
    width = len(rows[0]) if rows else len(equalities[0])
    arr = [tuple(r) + (-1,) for r in rows]
    arr += [tuple(e) + (0,) for e in equalities]
    arr.append((1,) + (0,) * (width - 1) + (-1,))            # t <= 1
    arr.append((0,) + (0,) * (width - 1) + (1,))             # t >= 0
    eq = range(len(rows), len(rows) + len(equalities))
    gens = _cdd_generators(arr, width, eq)
    return any(p[-1] > 0 for p in gens.points) or any(r[-1] > 0 for r in gens.rays)


def exact_lp_minimum(objective: IntRow, rows: Sequence[IntRow]
                     ) -> tuple[Fraction, tuple[Fraction, ...], tuple[tuple[int, Fraction], ...]]:
    """Exact ``min b + a·x`` over ``rows >= 0`` (cdd.gmp's exact simplex), with its dual.

    Returns ``(value, x, multipliers)``: the optimum, a minimiser and ``(k, lambda_k)``
    for the rows with ``lambda_k > 0``, so that ``a = sum lambda_k a_k`` and
    ``value = b - sum lambda_k b_k`` (LP duality).

    Raises
    ------
    GeometryError
        The LP is infeasible, unbounded or cdd stopped (pivot limit).

    Notes
    -----
    Exact rational simplex; worst case exponential, typically polynomial in
    ``len(rows)`` and d. Used only to settle what floating-point LPs could not.

    >>> exact_lp_minimum((0, 1), [(-1, 1), (3, -1)])       # min x over 1 <= x <= 3
    (Fraction(1, 1), (Fraction(1, 1),), ((0, Fraction(1, 1)),))
    """
    mat = cdd.gmp.linprog_from_array([list(r) for r in rows] + [list(objective)], obj_type=cdd.LPObjType.MIN)
    cdd.gmp.linprog_solve(mat)
    if mat.status != cdd.LPStatusType.OPTIMAL:
        raise GeometryError(f"exact LP: status {mat.status.name}, not optimal")
    dual = tuple((int(k), -Fraction(v)) for k, v in mat.dual_solution if v)
    return Fraction(mat.obj_value), tuple(Fraction(v) for v in mat.primal_solution), dual


def irredundant_rows(rows: Sequence[IntRow]) -> tuple[int, ...]:
    """Indices of the rows that are facets of a full-dimensional polyhedron ``{x : rows >= 0}``.

    For a full-dimensional polyhedron given by pairwise distinct canonical rows (no two
    rows positive multiples of each other), a row is a facet exactly when it is not
    redundant (the irredundant system of a full-dimensional polyhedron is unique up to
    positive scaling, a standard fact of polyhedral theory). Decided by cdd's exact (GMP) redundancy LPs, one
    per row, so this works in dimensions where double description cannot (64 inputs
    and more); used for regions of high-dimensional networks (Figs. 8-9).

    Raises
    ------
    GeometryError
        Rows of different lengths or an empty list.

    Notes
    -----
    K exact LPs with K rows in dimension d, each O(K d) per pivot.

    >>> irredundant_rows([(1, 1, 0), (1, -1, 0), (1, 0, 1), (1, 0, -1), (2, 1, 1)])
    (0, 1, 2, 3)
    """
    if not rows or len({len(r) for r in rows}) != 1:
        raise GeometryError("rows: expected a non-empty list of rows of one length")
    mat = cdd.gmp.matrix_from_array([list(r) for r in rows], rep_type=cdd.RepType.INEQUALITY)
    red = cdd.gmp.redundant_rows(mat)
    return tuple(i for i in range(len(rows)) if i not in red)
