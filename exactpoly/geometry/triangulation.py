"""Canonical triangulations of polytopes and exact simplex volumes.

The canonical triangulation is the **lexicographic pulling triangulation** of
docs/conventions.md, "Canonical triangulation": for a k-dimensional face F with vertex set V(F), if |V(F)| = k + 1 then
T(F) = {F}; otherwise, with v the lexicographically smallest vertex of F
(coordinates compared as exact rationals), T(F) = {conv(v ∪ S) : S ∈ T(G)} over the
facets G of F that do not contain v.

Examples
--------
>>> from fractions import Fraction
>>> square = [(0, 0), (0, 1), (1, 0), (1, 1)]
>>> facets = [frozenset({0, 1}), frozenset({0, 2}), frozenset({1, 3}), frozenset({2, 3})]
>>> pulling_triangulation(square, facets, 2)
[(0, 1, 3), (0, 2, 3)]
>>> simplex_volume([(0, 0), (0, 1), (1, 1)])
Fraction(1, 2)
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from itertools import combinations
from math import factorial

from ..errors import BudgetExceededError, GeometryError
from ..settings import positive_int_setting
from .linalg import determinant

__all__ = ["pulling_triangulation", "sorted_pulling_simplices", "delaunay_triangulation",
           "delaunay_triangulation_homogeneous", "n_pulling_simplices", "n_sorted_pulling_simplices", "max_faces",
           "max_simplices", "check_simplex_budget", "DEFAULT_MAX_FACES", "DEFAULT_MAX_SIMPLICES",
           "simplex_volume", "faces_facets", "small_integer_determinant", "face_budget_error"]


def faces_facets(face: frozenset[int], polytope_facets: Sequence[frozenset[int]]) -> list[frozenset[int]]:
    """Vertex sets of the facets of a face of a polytope.

    The facets of a face F are the maximal elements of {V(F) ∩ V(G)} over the
    polytope's facets G that do not contain F (every face of F is F ∩ G' for an
    intersection G' of facets, and a facet of F is contained in such a proper
    intersection).

    Notes
    -----
    O(m^2 |V(F)|) for m polytope facets.

    >>> faces_facets(frozenset({0, 1, 2}), [frozenset({0, 1, 2}), frozenset({0, 1}), frozenset({2, 3})])
    [frozenset({0, 1}), frozenset({2})]
    """
    cands = {face & g for g in polytope_facets if not face <= g}
    cands.discard(frozenset())
    maximal = [c for c in cands if not any(c < o for o in cands)]
    return sorted(maximal, key=lambda s: sorted(s))


def sorted_pulling_simplices(n_vertices: int, facets: Sequence[Sequence[int]], dim: int, *,
                             budget: bool = True) -> list[tuple[int, ...]]:
    """Lexicographic pulling triangulation when vertex indices are already in lexicographic order.

    Parameters
    ----------
    n_vertices : int
        Vertices are ``0 .. n_vertices - 1``, index order = lexicographic order.
    facets : sequence of sequences of int
        Facet–vertex incidences.
    dim : int
        Dimension of the polytope.
    budget : bool
        In dimension >= 4, first count the simplices (:func:`n_sorted_pulling_simplices`) and
        raise BudgetExceededError when the walk passes :func:`max_faces` faces or the count
        passes :func:`max_simplices` (default). False: the caller has checked.

    Returns
    -------
    list of tuple of int
        Sorted d-simplices as sorted index tuples.

    Notes
    -----
    Faces are bit masks over the vertices; the pulled vertex of a face is its lowest
    set bit. A face's facets are the maximal proper intersections with the
    polytope's facets (see :func:`faces_facets`); faces are memoised. Cost
    O(#faces · m^2) word operations for m facets.

    >>> sorted_pulling_simplices(4, [(0, 1), (0, 2), (1, 3), (2, 3)], 2)   # a square
    [(0, 1, 3), (0, 2, 3)]
    """
    fmasks = _facet_masks(facets)
    if dim == 3 and n_vertices:
        return _sorted_pulling_simplices_3d(fmasks)
    if dim > 3 and n_vertices and budget:  # the budgets, before any list is built
        check_simplex_budget(_count_pulling_simplices(n_vertices, fmasks, dim, max_faces()), n_vertices, dim)
    return _sorted_pulling_simplices_any(n_vertices, fmasks, dim)


def _facet_masks(facets: Sequence[Sequence[int]]) -> list[int]:
    fmasks = []
    for f in facets:
        m = 0
        for i in f:
            m |= 1 << i
        fmasks.append(m)
    return fmasks


DEFAULT_MAX_FACES = 10_000
"""Default budget of counting the canonical triangulation of one polytope of dimension >= 4: the
faces its lexicographic pulling recursion may visit (:func:`max_faces`)."""

DEFAULT_MAX_SIMPLICES = 20_000
"""Default budget of listing the canonical triangulation of one polytope of dimension >= 4
(its simplices, and the volume summed over them): :func:`max_simplices`."""


def max_faces() -> int:
    """The face budget of counting one canonical triangulation in dimension >= 4:
    ``EXACTPOLY_MAX_TRIANGULATION_FACES`` when set to a positive integer, else 10,000.

    A d-cube cut by one hyperplane has fewer than 3^d / 2 faces, so the default covers such
    regions up to about d = 8; beyond it :func:`n_sorted_pulling_simplices` raises
    BudgetExceededError rather than exhausting time and memory.
    """
    return positive_int_setting("EXACTPOLY_MAX_TRIANGULATION_FACES", DEFAULT_MAX_FACES)


def max_simplices() -> int:
    """The budget of listing one canonical triangulation in dimension >= 4 (and of the volume
    summed over it): ``EXACTPOLY_MAX_SIMPLICES`` when set to a positive integer, else 20,000
    simplices. A region over it keeps its simplex count (:func:`n_sorted_pulling_simplices`)
    but :func:`sorted_pulling_simplices` raises BudgetExceededError.
    """
    return positive_int_setting("EXACTPOLY_MAX_SIMPLICES", DEFAULT_MAX_SIMPLICES)


def check_simplex_budget(count: int, n_vertices: int, dim: int) -> None:
    """BudgetExceededError when a canonical triangulation of *count* simplices is over :func:`max_simplices`."""
    cap = max_simplices()
    if count > cap:
        raise BudgetExceededError(
            f"the canonical triangulation of a {dim}-polytope with {n_vertices} vertices has {count} simplices, "
            f"more than the {cap} that are listed (set EXACTPOLY_MAX_SIMPLICES to raise the budget)")


def n_sorted_pulling_simplices(n_vertices: int, facets: Sequence[Sequence[int]], dim: int,
                               face_budget: int | None = None) -> int:
    """The number of d-simplices of :func:`sorted_pulling_simplices`, counted without listing them.

    The same recursion over faces, each face's count memoised as an integer (a face that is
    a simplex counts 1; else the sum over its facets not containing its lowest vertex), so
    the memory is O(#faces) instead of O(#simplices · d). In dimension >= 4 at most
    *face_budget* (default :func:`max_faces`) faces that are not simplices are visited
    (BudgetExceededError beyond). O(#faces · m^2) word operations for m facets.

    >>> cube = [(0, 1, 2, 3), (4, 5, 6, 7), (0, 1, 4, 5), (2, 3, 6, 7), (0, 2, 4, 6), (1, 3, 5, 7)]
    >>> n_sorted_pulling_simplices(8, cube, 3)
    6
    >>> tesseract = [tuple(v for v in range(16) if (v >> j) & 1 == s) for j in range(4) for s in (0, 1)]
    >>> n_sorted_pulling_simplices(16, tesseract, 4), len(sorted_pulling_simplices(16, tesseract, 4))
    (24, 24)
    """
    if not n_vertices:
        return 0
    fmasks = _facet_masks(facets)
    if dim == 3:
        return len(_sorted_pulling_simplices_3d(fmasks))
    if dim <= 3:
        return _count_pulling_simplices(n_vertices, fmasks, dim, None)
    return _count_pulling_simplices(n_vertices, fmasks, dim, max_faces() if face_budget is None else face_budget)


def face_budget_error(n_vertices: int, dim: int, budget: int) -> BudgetExceededError:
    """The error of a canonical triangulation whose pulling recursion visits more than *budget*
    faces that are not simplices (:func:`max_faces`)."""
    return BudgetExceededError(
        f"the canonical triangulation of a {dim}-polytope with {n_vertices} vertices visits more than "
        f"{budget} faces (set EXACTPOLY_MAX_TRIANGULATION_FACES to raise the budget)")


def _count_pulling_simplices(n_vertices: int, fmasks: list[int], dim: int, budget: int | None) -> int:
    """The count of :func:`n_sorted_pulling_simplices`; BudgetExceededError when more than *budget*
    faces that are not simplices are visited (the same rule as the compiled
    ``pulling_count_volume``, whatever the order of the walk)."""
    memo: dict[int, int] = {}

    def count(face: int, k: int) -> int:
        if face.bit_count() == k + 1:
            return 1
        got = memo.get(face)
        if got is not None:
            return got
        if budget is not None and len(memo) + len(open_faces) >= budget:
            raise face_budget_error(n_vertices, dim, budget)
        open_faces.add(face)
        low = face & -face
        cands = {face & g for g in fmasks}
        cands.discard(face)
        cands.discard(0)
        total = 0
        for c in cands:
            if c & low or any(c != o and c & o == c for o in cands):
                continue  # contains the pulled vertex, or not maximal: not a facet to cone over
            total += count(c, k - 1)
        open_faces.discard(face)
        memo[face] = total
        return total

    open_faces: set[int] = set()
    return count((1 << n_vertices) - 1, dim)


def _sorted_pulling_simplices_any(n_vertices: int, fmasks: list[int], dim: int) -> list[tuple[int, ...]]:
    """:func:`sorted_pulling_simplices` in any dimension, on facet bit masks (recursive)."""
    memo: dict[int, list[int]] = {}

    def tri(face: int, k: int) -> list[int]:
        if face.bit_count() == k + 1:
            return [face]
        got = memo.get(face)
        if got is not None:
            return got
        low = face & -face  # the lexicographically smallest vertex
        cands = {face & g for g in fmasks}
        cands.discard(face)
        cands.discard(0)
        out: list[int] = []
        for c in cands:
            if c & low:
                continue
            if any(c != o and c & o == c for o in cands):
                continue  # not maximal: not a facet of this face
            out.extend(s | low for s in tri(c, k - 1))
        memo[face] = out
        return out

    if n_vertices == 0:
        return []
    simplices = []
    for m in tri((1 << n_vertices) - 1, dim):
        idx = []
        i = 0
        while m:
            if m & 1:
                idx.append(i)
            m >>= 1
            i += 1
        simplices.append(tuple(idx))
    simplices.sort()
    return simplices


def _bits(m: int) -> tuple[int, ...]:
    out = []
    while m:
        low = m & -m
        out.append(low.bit_length() - 1)
        m ^= low
    return tuple(out)


def _sorted_pulling_simplices_3d(fmasks: list[int]) -> list[tuple[int, ...]]:
    """:func:`sorted_pulling_simplices` of a 3-polytope, unrolled.

    Pulling vertex 0 cones it over the facets F not containing it; each such
    polygon is pulled at its own lowest vertex w, i.e. fanned from w over its edges
    not containing w. The edges of F are its intersections with the other facets
    that have exactly two vertices (two facets of a 3-polytope meet in an edge, a
    vertex or not at all). O(m^2) word operations for m facets.
    """
    m = len(fmasks)
    edges: list[list[int]] = [[] for _ in range(m)]
    for a in range(m):
        Fa = fmasks[a]
        for b in range(a + 1, m):
            e = Fa & fmasks[b]
            if e.bit_count() == 2:
                edges[a].append(e)
                edges[b].append(e)
    out = []
    for a, F in enumerate(fmasks):
        if F & 1:
            continue
        w = F & -F
        for e in edges[a]:
            if not e & w:
                out.append(_bits(1 | w | e))
    out.sort()
    return out


def pulling_triangulation(vertices: Sequence[Sequence], facets: Sequence[frozenset[int]], dim: int
                          ) -> list[tuple[int, ...]]:
    """The canonical (lexicographic pulling) triangulation of a full-dimensional polytope.

    Parameters
    ----------
    vertices : sequence of coordinate tuples (exact rationals)
    facets : sequence of frozensets of vertex indices
        The facet–vertex incidences of the polytope.
    dim : int
        The polytope's dimension (equal to the ambient dimension here).

    Returns
    -------
    list of tuple of int
        The d-simplices as sorted tuples of vertex indices, in sorted order.

    Notes
    -----
    Recursion over the face lattice with memoisation (:func:`sorted_pulling_simplices`
    after sorting the vertices lexicographically); no coordinates are used except to
    order the vertices. Cost O(#faces · m^2) for m facets.
    """
    order = sorted(range(len(vertices)), key=lambda i: tuple(Fraction(x) for x in vertices[i]))
    rank = {v: r for r, v in enumerate(order)}
    simp = sorted_pulling_simplices(len(order), [[rank[i] for i in f] for f in facets], dim)
    return sorted(tuple(sorted(order[i] for i in s)) for s in simp)


def delaunay_triangulation(vertices: Sequence[Sequence], dim: int) -> list[tuple[int, ...]]:
    """Exact Delaunay triangulation of a full-dimensional point set (the vertices of a polytope).

    The Delaunay subdivision is the projection of the lower hull of the points
    lifted to the paraboloid ``(v, |v|^2)``, computed exactly: in R^3 by testing
    4-subsets (up to 9 points) or by gift wrapping across ridges; in other
    dimensions by testing (d+1)-subsets (up to 7 points) or by double description
    (``cdd.gmp``). Cells with more than d + 1 points (cospherical points, e.g. a square) are not
    simplices; they are refined by their lexicographic pulling triangulation, so the
    result is always a triangulation and is determined by the points alone.

    Parameters
    ----------
    vertices : sequence of coordinate tuples (exact rationals)
    dim : int

    Returns
    -------
    list of tuple of int
        Sorted d-simplices as sorted index tuples.

    Notes
    -----
    R^3: O(n^4) integer operations for the subsets, O(#cells · n) for the wrapping;
    otherwise one DD call in dimension d + 1 for the lifted hull. Plus one DD call
    per non-simplicial (cospherical) cell.

    >>> # a square (4 cospherical points: one cell, pulled from (0, 0)) and a roof vertex
    >>> delaunay_triangulation([(0, 0), (2, 0), (0, 2), (2, 2), (1, 3)], 2)
    [(0, 1, 3), (0, 2, 3), (2, 3, 4)]
    """
    return delaunay_triangulation_homogeneous([_homogeneous(v) for v in vertices], dim)


def _homogeneous(v: Sequence) -> tuple[int, ...]:
    """Homogeneous coprime integer coordinates ``(q, q·v)`` of a rational point, ``q > 0``."""
    from math import lcm

    xs = [Fraction(x) for x in v]
    q = lcm(*(x.denominator for x in xs))
    return (q, *(x.numerator * (q // x.denominator) for x in xs))


def delaunay_triangulation_homogeneous(points: Sequence[Sequence[int]], dim: int) -> list[tuple[int, ...]]:
    """:func:`delaunay_triangulation` of points given as homogeneous integers ``(q, q·v)``, ``q > 0``.

    The form of :attr:`exactpoly.complex.Region.points`; no Fractions are made.

    >>> delaunay_triangulation_homogeneous([(1, 0, 0), (1, 2, 0), (1, 0, 2), (1, 2, 2), (2, 2, 6)], 2)
    [(0, 1, 3), (0, 2, 3), (2, 3, 4)]
    """
    from .dd import hull_facets_homogeneous

    n = len(points)
    rows = _lifted_integer_rows(points)
    if n <= _DELAUNAY_SUBSETS_MAX.get(dim, _DELAUNAY_SUBSETS_MAX[0]):
        cells = _lower_cells_by_subsets(rows, dim)
    else:
        up = [0] * (dim + 1) + [1]
        # a facet whose row has no upward component is vertical (contains the upward ray)
        cells = [sorted(i for i in inc if i < n)
                 for row, inc in hull_facets_homogeneous([*rows, up]) if row[-1] > 0]
    out: list[tuple[int, ...]] = []
    for cell in cells:
        if len(cell) == dim + 1:
            out.append(tuple(cell))
            continue
        sub = [points[i] for i in cell]
        facets = [frozenset(s) for _r, s in hull_facets_homogeneous(sub)]
        verts = [tuple(Fraction(x, p[0]) for x in p[1:]) for p in sub]
        for simplex in pulling_triangulation(verts, facets, dim):
            out.append(tuple(sorted(cell[i] for i in simplex)))
    return sorted(out)


# Up to this many points (by dimension; key 0: any other) the lower hull is found
# without a DD call: in R^3 by 4-subsets up to _SUBSETS_3D_MAX points and by gift
# wrapping above; in other dimensions by (d+1)-subsets up to 7 points. Measured on
# the regions of Table I's nets (R^3, ms per point set; subsets / wrapping / cdd):
# 6 points 0.40 / 0.91 / 1.75, 8: 1.49 / 1.46 / 4.05, 10: 3.75 / 2.86 / 6.48,
# 12: 8.55 / 3.73 / 10.25, 14: 17.5 / 5.75 / 16.6, 18: 47.3 / 10.2 / 29.4.
_DELAUNAY_SUBSETS_MAX = {3: 1 << 30, 0: 7}
_SUBSETS_3D_MAX = 9


def _lifted_integer_rows(points: Sequence[Sequence[int]]) -> list[list[int]]:
    """Homogeneous integer rows ``(q^2, q X, |X|^2)`` of points ``(q, X)`` lifted to the paraboloid."""
    rows = []
    for p in points:
        q, X = p[0], p[1:]
        rows.append([q * q, *(q * x for x in X), sum(x * x for x in X)])
    return rows


def _lower_cells_by_subsets(rows: Sequence[Sequence[int]], dim: int) -> list[list[int]]:
    """Cells of the Delaunay subdivision: point sets of the lower facets of the lifted points.

    Every lower facet of the lifted point set is spanned by some d+1 affinely
    independent lifted points; the hyperplane through them (generalised cross product
    of the lifted rows ``(q^2, q X, |X|^2)`` of :func:`_lifted_integer_rows`) is a lower facet iff
    its upward component is positive and no lifted point lies strictly below it.
    Cospherical cells are found once per spanning subset and deduplicated.
    O(C(n, d+1) · n · d) exact integer operations: for small n only.
    """
    if dim == 3:
        return _lower_cells_3d(rows) if len(rows) <= _SUBSETS_3D_MAX else _lower_cells_3d_walk(rows)
    m = dim + 2
    cells: dict[frozenset[int], None] = {}
    for subset in combinations(range(len(rows)), dim + 1):
        M = [rows[i] for i in subset]
        h = [(-1) ** j * small_integer_determinant([[*r[:j], *r[j + 1:]] for r in M]) for j in range(m)]
        if h[-1] == 0:
            continue  # affinely dependent points or a vertical hyperplane
        if h[-1] < 0:
            h = [-x for x in h]
        on = []
        for k, r in enumerate(rows):
            s = sum(a * b for a, b in zip(h, r))
            if s < 0:
                break
            if s == 0:
                on.append(k)
        else:
            cells[frozenset(on)] = None
    return sorted(sorted(c) for c in cells)


_PAIRS_5 = [(0, 1), (0, 2), (0, 3), (0, 4), (1, 2), (1, 3), (1, 4), (2, 3), (2, 4), (3, 4)]


def _pair_minors(a: Sequence[int], b: Sequence[int]) -> list[int]:
    """The ten 2x2 minors of two lifted rows ``(w, x, y, z, s)`` (columns in ``_PAIRS_5`` order)."""
    return [a[p] * b[q] - a[q] * b[p] for p, q in _PAIRS_5]


def _orientation(m: list[int], c: list[int]) -> int:
    """Orientation of four points in R^3 (the 4x4 minor without the lifted column),
    from the pair minors of the first two and of the last two."""
    m01, m02, m03, _m04, m12, m13, _m14, m23, _m24, _m34 = m
    c01, c02, c03, _c04, c12, c13, _c14, c23, _c24, _c34 = c
    return m01 * c23 - m02 * c13 + m03 * c12 + m12 * c03 - m13 * c02 + m23 * c01


def _upward_plane(m: list[int], c: list[int]) -> tuple[int, int, int, int, int] | None:
    """The hyperplane through four lifted points, upward component positive; None if vertical.

    Its coefficients are the 4x4 minors of the 4x5 matrix, ``h_j = (-1)^j minor_j``, each a
    Laplace expansion over the pair minors *m* (first two rows) and *c* (last two).
    """
    m01, m02, m03, m04, m12, m13, m14, m23, m24, m34 = m
    c01, c02, c03, c04, c12, c13, c14, c23, c24, c34 = c
    h4 = m01 * c23 - m02 * c13 + m03 * c12 + m12 * c03 - m13 * c02 + m23 * c01
    if h4 == 0:
        return None  # coplanar points: a vertical hyperplane
    d3 = m01 * c24 - m02 * c14 + m04 * c12 + m12 * c04 - m14 * c02 + m24 * c01
    d2 = m01 * c34 - m03 * c14 + m04 * c13 + m13 * c04 - m14 * c03 + m34 * c01
    d1 = m02 * c34 - m03 * c24 + m04 * c23 + m23 * c04 - m24 * c03 + m34 * c02
    d0 = m12 * c34 - m13 * c24 + m14 * c23 + m23 * c14 - m24 * c13 + m34 * c12
    if h4 > 0:
        return d0, -d1, d2, -d3, h4
    return -d0, d1, -d2, d3, -h4


def _lower_cell(h: tuple[int, int, int, int, int], rows: Sequence[Sequence[int]]) -> tuple[int, ...] | None:
    """The points on the upward plane *h* if none lies strictly below it (a lower cell), else None."""
    h0, h1, h2, h3, h4 = h
    on = []
    for t, (w, x, y, z, s) in enumerate(rows):
        v = h0 * w + h1 * x + h2 * y + h3 * z + h4 * s
        if v < 0:
            return None
        if v == 0:
            on.append(t)
    return tuple(on)


def _lower_cells_3d(rows: Sequence[Sequence[int]]) -> list[list[int]]:
    """:func:`_lower_cells_by_subsets` for d = 3, on lifted rows ``(w, x, y, z, s)``.

    The hyperplane through four lifted points comes from the 2x2 minors of the
    first two and the last two rows (:func:`_upward_plane`), and those are computed
    once per pair of points, not once per subset. About three times faster than
    the generic code.
    """
    n = len(rows)
    minors = {(i, j): _pair_minors(rows[i], rows[j]) for i, j in combinations(range(n), 2)}
    cells: dict[tuple[int, ...], None] = {}
    for i, j, k, l in combinations(range(n), 4):
        h = _upward_plane(minors[i, j], minors[k, l])
        if h is not None:
            on = _lower_cell(h, rows)
            if on is not None:
                cells[on] = None
    return sorted(list(c) for c in cells)


def _lower_cells_3d_walk(rows: Sequence[Sequence[int]]) -> list[list[int]]:
    """Delaunay cells in R^3 by gift wrapping: from one cell to its neighbours across ridges.

    Each ridge (a triangle, or a facet polygon of a cospherical cell) that is not on
    the convex hull is crossed once: among the points strictly beyond it, the
    neighbour cell's lifted hyperplane is the lowest one of the pencil through the
    lifted ridge, found by one scan that keeps the point below the current best
    plane. Every cell found is checked against all points (no point strictly below
    its lifted hyperplane, else GeometryError), and its point set is all points on
    that hyperplane, so cospherical cells come out whole. The first cell contains
    point 0 and its nearest neighbour (a Delaunay edge). Same cells as
    :func:`_lower_cells_3d`; O(#cells · n) exact integer operations instead of O(n^4).
    """
    n = len(rows)
    cache: dict[tuple[int, int], list[int]] = {}

    def mn(i: int, j: int) -> list[int]:
        m = cache.get((i, j))
        if m is None:
            m = cache[i, j] = _pair_minors(rows[i], rows[j])
            cache[j, i] = [-x for x in m]
        return m

    def orient(i: int, j: int, k: int, l: int) -> int:
        return _orientation(mn(i, j), mn(k, l))

    def plane(i: int, j: int, k: int, l: int) -> tuple[int, int, int, int, int]:
        h = _upward_plane(mn(i, j), mn(k, l))
        if h is None:  # callers pass affinely independent points
            raise GeometryError("Delaunay: a vertical plane through a ridge")
        return h

    # a first cell: through point 0 and its nearest neighbour (a Delaunay edge)
    def dist2(t: int) -> Fraction:  # squared distance to point 0 (rows: w = q^2, w v)
        r0, r = rows[0], rows[t]
        return Fraction(sum((r[c] * r0[0] - r0[c] * r[0]) ** 2 for c in (1, 2, 3)), (r[0] * r0[0]) ** 2)

    start = None
    j = min(range(1, n), key=dist2)
    others = [t for t in range(1, n) if t != j]
    for k, l in combinations(others, 2):
        if orient(0, j, k, l) == 0:
            continue
        start = _lower_cell(plane(0, j, k, l), rows)
        if start is not None:
            break
    if start is None:
        raise GeometryError("Delaunay: no cell through the nearest-neighbour edge")

    def ridges(cell):
        if len(cell) == 4:
            for drop in range(4):
                F = cell[:drop] + cell[drop + 1:]
                yield F, F, cell[drop]
            return
        seen: set[tuple[int, ...]] = set()
        for a, b, c in combinations(cell, 3):
            o = [orient(a, b, c, t) for t in cell]
            if not any(o):
                continue
            if any(x > 0 for x in o) and any(x < 0 for x in o):
                continue
            F = tuple(t for t, x in zip(cell, o) if x == 0)
            if F in seen:
                continue
            seen.add(F)
            opp = next(t for t, x in zip(cell, o) if x != 0)
            yield F, (a, b, c), opp

    cells: dict[tuple[int, ...], None] = {start: None}
    queue = [start]
    done: set[tuple[int, ...]] = set()
    while queue:
        C = queue.pop()
        for F, (a, b, c), opp in ridges(C):
            if F in done:
                continue
            done.add(F)
            positive = orient(a, b, c, opp) > 0
            best = None
            hb = (0, 0, 0, 0, 0)  # the plane through the ridge and best
            for t in range(n):
                o = orient(a, b, c, t)
                if o == 0 or (o > 0) == positive:
                    continue
                if best is not None:
                    h0, h1, h2, h3, h4 = hb
                    w, x, y, z, s = rows[t]
                    if h0 * w + h1 * x + h2 * y + h3 * z + h4 * s >= 0:
                        continue
                best = t
                hb = plane(a, b, c, t)
            if best is None:
                continue  # on the boundary of the convex hull
            D = _lower_cell(hb, rows)
            if D is None:
                raise GeometryError("Delaunay: gift wrapping met a point below a lower facet")
            if D not in cells:
                cells[D] = None
                queue.append(D)
    return sorted(list(c) for c in cells)


def n_pulling_simplices(vertices: Sequence[Sequence], facets: Sequence[frozenset[int]], dim: int) -> int:
    """Number of d-simplices of the canonical triangulation (see :func:`pulling_triangulation`).

    >>> n_pulling_simplices([(0,), (1,)], [frozenset({0}), frozenset({1})], 1)
    1
    """
    return len(pulling_triangulation(vertices, facets, dim))


def simplex_volume(points: Sequence[Sequence]) -> Fraction:
    """Exact volume |det(p_1 - p_0, ..., p_d - p_0)| / d! of a d-simplex in R^d.

    >>> simplex_volume([(0, 0, 0), (1, 0, 0), (0, 1, 0), (0, 0, 1)])
    Fraction(1, 6)
    """
    p0 = [Fraction(x) for x in points[0]]
    d = len(p0)
    if len(points) != d + 1:
        raise ValueError(f"points: a {d}-simplex needs {d + 1} points, got {len(points)}")
    rows = [[Fraction(x) - y for x, y in zip(p, p0)] for p in points[1:]]
    return abs(determinant(rows)) / factorial(d)


def small_integer_determinant(rows: Sequence[Sequence[int]]) -> int:
    """Determinant of a small square integer matrix by Bareiss' fraction-free elimination.

    Pure Python ints (exact); for the (d+1) x (d+1) matrices of simplex volumes this is
    faster than building a FLINT matrix. O(n^3) multiplications.

    >>> small_integer_determinant([[2, 1, 0], [1, 3, 1], [0, 1, 4]])
    18
    >>> small_integer_determinant([[1, 2, 3, 4], [0, 1, 5, 2], [3, 0, 1, 1], [2, 2, 0, 7]])
    62
    """
    n = len(rows)
    if n == 4:  # Laplace expansion by 2x2 minors of the first two rows (the volumes of d = 3)
        (a0, a1, a2, a3), (b0, b1, b2, b3), (c0, c1, c2, c3), (d0, d1, d2, d3) = rows
        s0 = a0 * b1 - a1 * b0
        s1 = a0 * b2 - a2 * b0
        s2 = a0 * b3 - a3 * b0
        s3 = a1 * b2 - a2 * b1
        s4 = a1 * b3 - a3 * b1
        s5 = a2 * b3 - a3 * b2
        return (s0 * (c2 * d3 - c3 * d2) - s1 * (c1 * d3 - c3 * d1) + s2 * (c1 * d2 - c2 * d1)
                + s3 * (c0 * d3 - c3 * d0) - s4 * (c0 * d2 - c2 * d0) + s5 * (c0 * d1 - c1 * d0))
    if n == 3:
        (a0, a1, a2), (b0, b1, b2), (c0, c1, c2) = rows
        return a0 * (b1 * c2 - b2 * c1) - a1 * (b0 * c2 - b2 * c0) + a2 * (b0 * c1 - b1 * c0)
    if n == 2:
        (a0, a1), (b0, b1) = rows
        return a0 * b1 - a1 * b0
    m = [list(r) for r in rows]
    sign, prev = 1, 1
    for k in range(n - 1):
        if m[k][k] == 0:
            for i in range(k + 1, n):
                if m[i][k] != 0:
                    m[k], m[i] = m[i], m[k]
                    sign = -sign
                    break
            else:
                return 0
        akk = m[k][k]
        for i in range(k + 1, n):
            aik = m[i][k]
            row_i, row_k = m[i], m[k]
            for j in range(k + 1, n):
                row_i[j] = (row_i[j] * akk - aik * row_k[j]) // prev
        prev = akk
    return sign * m[n - 1][n - 1]
