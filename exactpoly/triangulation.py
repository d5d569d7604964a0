"""Canonical triangulations of polytopes and exact simplex volumes.

The canonical triangulation is the **lexicographic pulling triangulation** of
DESIGN §1: for a k-dimensional face F with vertex set V(F), if |V(F)| = k + 1 then
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
from math import factorial

from ._linalg import determinant

__all__ = ["pulling_triangulation", "n_pulling_simplices", "simplex_volume", "faces_facets"]


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
    Recursion over the face lattice with memoisation on vertex sets; each face's
    facets are found from the polytope's facet incidences (:func:`faces_facets`),
    so no coordinates are used except to order vertices lexicographically.
    Cost O(#faces · m^2 · |V|) set operations for m facets.
    """
    order = sorted(range(len(vertices)), key=lambda i: tuple(Fraction(x) for x in vertices[i]))
    lexrank = {v: r for r, v in enumerate(order)}
    memo: dict[frozenset[int], list[frozenset[int]]] = {}

    def tri(face: frozenset[int], k: int) -> list[frozenset[int]]:
        if len(face) == k + 1:
            return [face]
        got = memo.get(face)
        if got is not None:
            return got
        v = min(face, key=lexrank.__getitem__)
        out: list[frozenset[int]] = []
        for g in faces_facets(face, facets):
            if v not in g:
                out.extend(s | {v} for s in tri(g, k - 1))
        memo[face] = out
        return out

    if not vertices:
        return []
    return sorted(tuple(sorted(s)) for s in tri(frozenset(range(len(vertices))), dim))


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
