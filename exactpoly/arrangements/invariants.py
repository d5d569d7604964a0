"""Exact invariants of an arrangement: characteristic polynomial, region counts, face vectors.

χ_A(t) by three independent algorithms (the intersection poset, deletion-restriction,
Whitney's central subsets); the number of regions in R^d or inside an open convex set K
(Zaslavsky), of bounded regions, the Whitney numbers, the face vector, general position
and Zaslavsky's bound. References: Zaslavsky, *Facing up to arrangements*, Mem. AMS 154
(1975); Stanley, *An Introduction to Hyperplane Arrangements* (2007), Theorem 2.4
(Whitney) and Theorem 2.5 (Zaslavsky), both quoted as Lemma 5 of arXiv 2305.09145;
Lemma 1 of arXiv 2305.09145 is Zaslavsky's bound.

Examples
--------
>>> from exactpoly.arrangements.hyperplanes import arrangement_from_rows
>>> from exactpoly.geometry.polyhedron import polyhedron_from_box
>>> A = arrangement_from_rows([(0, 1, 0), (0, 0, 1), (-1, 1, 1)])   # x=0, y=0, x+y=1
>>> characteristic_polynomial(A)
Poly(t**2 - 3*t + 3, t, domain='ZZ')
>>> n_regions(A), n_bounded_regions(A), face_vector(A)
(7, 1, [3, 9, 7])
>>> n_regions(A, domain=polyhedron_from_box("1/4", 2))   # only x=0 and y=0 cut (-1/4, 1/4)^2
4
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from math import comb
from typing import Any

import sympy

from ..errors import DomainError
from ..geometry.rows import IntRow
from .hyperplanes import Arrangement, _check_arrangement
from .operations import _restrict_rows
from .poset import IntersectionPoset, _extend, _mobius_all, _system_of, intersection_poset

__all__ = [
    "T",
    "arrangement_rank",
    "arrangement_summary",
    "characteristic_polynomial",
    "face_vector",
    "format_polynomial",
    "is_central",
    "is_essential",
    "is_general_position",
    "n_bounded_regions",
    "n_regions",
    "n_regions_central_subsets",
    "whitney_numbers",
    "zaslavsky_bound",
]


#: The variable of every characteristic polynomial.
T = sympy.Symbol("t")


def _poly(coeffs_by_degree: Sequence[int]) -> sympy.Poly:
    return sympy.Poly(list(reversed(list(coeffs_by_degree))) or [0], T, domain="ZZ")


def _eval(p: sympy.Poly, x: int) -> int:
    return int(p.eval(x))


def _chi_poset(P: IntersectionPoset) -> list[int]:
    d = P.arrangement.dim
    c = [0] * (d + 1)
    for X, v in zip(P.flats, P.mobius_values):
        c[X.dim] += v
    return c


def _chi_deletion_restriction(dim: int, rows: tuple[IntRow, ...], memo: dict) -> tuple[int, ...]:
    key = (dim, rows)
    hit = memo.get(key)
    if hit is not None:
        return hit
    if not rows:
        res = tuple([0] * dim + [1])
    else:
        H = rows[-1]
        a = _chi_deletion_restriction(dim, rows[:-1], memo)
        b = _chi_deletion_restriction(dim - 1, _restrict_rows(rows[:-1], H), memo)
        res = tuple(x - (b[k] if k < len(b) else 0) for k, x in enumerate(a))
    memo[key] = res
    return res


def _central_subsets(rows: Sequence[IntRow]):
    """Yield (size, rank) for every central subset B (non-empty intersection), DFS.

    Supersets of a non-central subset are not central, so the search is pruned there.
    """
    m = len(rows)
    stack = [(0, (), (), 0)]  # next index, system rows, pivots, size
    while stack:
        start, eqs, piv, size = stack.pop()
        yield size, len(eqs)
        for h in range(start, m):
            out = _extend(eqs, piv, rows[h])
            if out is None:
                continue
            if out == "contained":
                stack.append((h + 1, eqs, piv, size + 1))
            else:
                stack.append((h + 1, out[0], out[1], size + 1))


def characteristic_polynomial(arrangement: Arrangement, method: str = "poset") -> sympy.Poly:
    """The characteristic polynomial χ_A(t), an integer :class:`sympy.Poly` in ``t`` (:data:`T`).

    Parameters
    ----------
    arrangement : Arrangement
    method : {"poset", "deletion-restriction", "whitney"}
        Three independent algorithms (they agree exactly; the tests check it):

        * ``"poset"``: χ(t) = Σ_{X ∈ L(A)} μ(0̂, X) t^{dim X}.
        * ``"deletion-restriction"``: χ_A = χ_{A - H} - χ_{A^H} (Stanley, Lemma 2.2),
          recursively, with χ of the empty arrangement of R^k equal to t^k.
        * ``"whitney"``: Whitney's theorem, χ(t) = Σ over central subsets B of
          (-1)^{|B|} t^{d - rank B} (Stanley, Theorem 2.4; quoted in Lemma 5 of
          arXiv 2305.09145). Brute force over subsets: small m only.

    Returns
    -------
    sympy.Poly
        Monic of degree d, domain ``ZZ``.

    Notes
    -----
    poset: see :func:`intersection_poset`. deletion-restriction: at most 2^m
    recursive calls, memoised on the (canonical) arrangement. whitney: a depth-first
    search over subsets pruned at non-central ones, O(#central subsets · m r d).

    Examples
    --------
    >>> from exactpoly.arrangements.hyperplanes import arrangement_from_rows
    >>> A = arrangement_from_rows([(0, 1, -1, 0), (0, 1, 0, -1), (0, 0, 1, -1)])  # braid, n = 3
    >>> characteristic_polynomial(A)
    Poly(t**3 - 3*t**2 + 2*t, t, domain='ZZ')
    >>> characteristic_polynomial(A, "deletion-restriction") == characteristic_polynomial(A, "whitney")
    True
    """
    A = _check_arrangement(arrangement)
    if method == "poset":
        return _poly(_chi_poset(intersection_poset(A)))
    if method == "deletion-restriction":
        return _poly(_chi_deletion_restriction(A.dim, A.rows, {}))
    if method == "whitney":
        c = [0] * (A.dim + 1)
        for size, r in _central_subsets(A.rows):
            c[A.dim - r] += -1 if size % 2 else 1
        return _poly(c)
    raise DomainError(f"method: expected 'poset', 'deletion-restriction' or 'whitney', got {method!r}")


def format_polynomial(p: sympy.Poly) -> str:
    """A polynomial with integer coefficients as plain text, highest degree first.

    Notes
    -----
    O(degree).

    Examples
    --------
    >>> from exactpoly.arrangements.hyperplanes import arrangement_from_rows
    >>> format_polynomial(characteristic_polynomial(arrangement_from_rows([(0, 1, -1, 0), (0, 1, 0, -1),
    ...                                                                    (0, 0, 1, -1)])))
    't^3 - 3t^2 + 2t'
    """
    coeffs = [int(c) for c in p.all_coeffs()]
    deg = len(coeffs) - 1
    parts: list[str] = []
    for k, c in enumerate(coeffs):
        e = deg - k
        if c == 0:
            continue
        mag = abs(c)
        mono = "" if e == 0 else ("t" if e == 1 else f"t^{e}")
        body = str(mag) if (mag != 1 or e == 0) else ""
        term = body + mono
        if not parts:
            parts.append(("-" if c < 0 else "") + term)
        else:
            parts.append(("- " if c < 0 else "+ ") + term)
    return " ".join(parts) or "0"


def arrangement_rank(arrangement: Arrangement) -> int:
    """The rank of A: the dimension of the span of the normal vectors.

    Notes
    -----
    Rank of the normal matrix by exact fraction-free elimination, O(m d^2).

    Examples
    --------
    >>> from exactpoly.arrangements.hyperplanes import arrangement_from_rows
    >>> arrangement_rank(arrangement_from_rows([(0, 1, 1), (3, 2, 2)]))
    1
    """
    A = _check_arrangement(arrangement)
    return len(_system_of([(0, *H.normal) for H in A])[0])


def is_central(arrangement: Arrangement) -> bool:
    """True when all hyperplanes have a common point (the empty arrangement is central).

    Notes
    -----
    One exact echelon form of the rows; inconsistent iff not central. O(m d^2).

    Examples
    --------
    >>> from exactpoly.arrangements.hyperplanes import arrangement_from_rows
    >>> is_central(arrangement_from_rows([(1, 1, 0), (0, 0, 1)])), is_central(arrangement_from_rows([(1, 1), (0, 1)]))
    (True, False)
    """
    return _system_of(_check_arrangement(arrangement).rows) is not None


def is_essential(arrangement: Arrangement) -> bool:
    """True when the normals span R^d (equivalently, some flat is a point).

    Notes
    -----
    Rank of the normal matrix, O(m d^2).

    Examples
    --------
    >>> from exactpoly.arrangements.hyperplanes import arrangement_from_rows
    >>> is_essential(arrangement_from_rows([(0, 1, 0)]))
    False
    """
    A = _check_arrangement(arrangement)
    return arrangement_rank(A) == A.dim


def n_regions(arrangement: Arrangement, domain: Any = None) -> int:
    """Number of regions (connected components of the complement) of A, in R^d or in K.

    Parameters
    ----------
    arrangement : Arrangement
    domain : None, Polyhedron or sequence of rows, optional
        An open convex polyhedron K (see :func:`intersection_poset`); None for R^d.

    Returns
    -------
    int
        R^d: Zaslavsky's theorem r(A) = (-1)^d χ_A(-1) (Stanley, Theorem 2.5; Lemma 1
        of arXiv 2305.09145 gives the bound). Inside K: the number of non-empty sets
        R ∩ K, R a region, which is Σ_{X ∈ L(A), X ∩ K ≠ ∅} |μ(0̂, X)| (Zaslavsky 1975,
        by the Euler characteristic of the cells of K: each is an open convex set).
        0 when K is empty.

    Notes
    -----
    One intersection poset (restricted to K: one exact feasibility test per flat
    meeting K and per rejected candidate).

    Examples
    --------
    >>> from exactpoly.arrangements.hyperplanes import arrangement_from_rows
    >>> A = arrangement_from_rows([(0, 1, 0), (0, 0, 1), (0, 1, 1), (1, 1, 0)])
    >>> n_regions(A)                  # x=0, y=0, x+y=0 concurrent, and x=-1
    9
    >>> n_regions(A, domain=[(1, 1, 0), (0, -1, 0), (1, 0, 1), (1, 0, -1)])   # (-1, 0) x (-1, 1)
    3
    """
    A = _check_arrangement(arrangement)
    if domain is None:
        return (-1) ** A.dim * _eval(characteristic_polynomial(A), -1)
    P = intersection_poset(A, domain)
    return sum(abs(v) for v in P.mobius_values)


def n_bounded_regions(arrangement: Arrangement) -> int:
    """Number of relatively bounded regions: ``(-1)^rank χ_A(1)`` (Zaslavsky; Stanley, Theorem 2.5).

    A region is relatively bounded when its image in the essentialization is bounded;
    for an essential arrangement this is the number of bounded regions. By this
    convention the empty arrangement (rank 0) has one relatively bounded region.

    Notes
    -----
    χ from the intersection poset (see :func:`intersection_poset`), then one evaluation.

    Examples
    --------
    >>> from exactpoly.arrangements.hyperplanes import arrangement_from_rows
    >>> n_bounded_regions(arrangement_from_rows([(0, 1, 0), (1, 1, 0)]))   # two parallel lines: a strip
    1
    """
    A = _check_arrangement(arrangement)
    return (-1) ** arrangement_rank(A) * _eval(characteristic_polynomial(A), 1)


def n_regions_central_subsets(arrangement: Arrangement) -> int:
    """Regions by the central-subset formula of Lemma 5 (arXiv 2305.09145):
    ``r(A) = Σ_{B ⊆ A central} (-1)^{|B| - rank B}`` — a brute-force twin of :func:`n_regions`.

    Notes
    -----
    Depth-first search over subsets, pruned at non-central ones; exponential in m.

    Examples
    --------
    >>> from exactpoly.arrangements.hyperplanes import arrangement_from_rows
    >>> n_regions_central_subsets(arrangement_from_rows([(0, 1, 0), (0, 0, 1), (0, 1, 1)]))
    6
    """
    A = _check_arrangement(arrangement)
    return sum(1 if (size - r) % 2 == 0 else -1 for size, r in _central_subsets(A.rows))


def whitney_numbers(arrangement: Arrangement, kind: int = 1) -> list[int]:
    """Whitney numbers by rank k = 0..rank(A).

    Parameters
    ----------
    kind : {1, 2}
        1: first kind, ``w_k = Σ_{rank X = k} μ(0̂, X)`` (so ``χ(t) = Σ_k w_k t^{d-k}``);
        2: second kind, ``W_k`` = number of flats of rank k.

    Notes
    -----
    One intersection poset; O(|L|) after it.

    Examples
    --------
    >>> from exactpoly.arrangements.hyperplanes import arrangement_from_rows
    >>> A = arrangement_from_rows([(0, 1, 0), (0, 0, 1), (0, 1, 1)])
    >>> whitney_numbers(A), whitney_numbers(A, kind=2)
    ([1, -3, 2], [1, 3, 1])
    """
    P = intersection_poset(_check_arrangement(arrangement))
    if kind not in (1, 2):
        raise DomainError(f"kind: expected 1 or 2, got {kind!r}")
    r = max(X.rank for X in P.flats)
    out = [0] * (r + 1)
    for X, v in zip(P.flats, P.mobius_values):
        out[X.rank] += v if kind == 1 else 1
    return out


def face_vector(arrangement: Arrangement, domain: Any = None) -> list[int]:
    """The face vector ``[f_0, ..., f_d]`` of the decomposition of R^d (or of K) by A.

    ``f_k`` is the number of k-dimensional faces (relatively open cells, or their
    non-empty intersections with the open convex set K); ``f_d`` is the number of
    regions.

    Returns
    -------
    list of int
        Zaslavsky (1975): every k-face lies in exactly one k-dimensional flat X (its
        affine hull) and is a region of the restriction A^X, so
        ``f_k = Σ_{dim X = k} r(A^X) = Σ_{dim X = k} Σ_{Y ⊆ X} |μ(X, Y)|``; inside K
        both sums run over the flats meeting K (they form a down-set of L(A)).

    Notes
    -----
    One (restricted) intersection poset, then μ(X, Y) for all pairs X <= Y by
    intervals: O(Σ_Y |[0̂, Y]|^2).

    Examples
    --------
    >>> from exactpoly.arrangements.hyperplanes import arrangement_from_rows
    >>> face_vector(arrangement_from_rows([(0, 1, 0), (0, 0, 1)]))   # two crossing lines
    [1, 4, 4]
    >>> face_vector(arrangement_from_rows([(0, 1, 0), (0, 0, 1)]), domain=[(0, 1, 0), (1, -1, 0)])
    [0, 1, 2]
    """
    A = _check_arrangement(arrangement)
    return _face_vector_of(intersection_poset(A, domain))


def _face_vector_of(P: IntersectionPoset) -> list[int]:
    f = [0] * (P.arrangement.dim + 1)
    for (x, _y), v in _mobius_all(P).items():
        f[P.flats[x].dim] += abs(v)
    return f


def is_general_position(arrangement: Arrangement) -> bool:
    """True when every k ≤ d hyperplanes meet in a flat of codimension k and no d + 1 meet.

    Equivalently (Lemma 1 of arXiv 2305.09145) ``n_regions == zaslavsky_bound``.

    Notes
    -----
    Checked on the poset: every flat X lies on exactly rank(X) hyperplanes and there are
    C(m, k) flats of rank k for every k ≤ min(m, d).

    Examples
    --------
    >>> from exactpoly.arrangements.hyperplanes import arrangement_from_rows
    >>> is_general_position(arrangement_from_rows([(0, 1, 0), (0, 0, 1), (-1, 1, 1)]))
    True
    >>> is_general_position(arrangement_from_rows([(0, 1, 0), (0, 0, 1), (0, 1, 1)]))
    False
    """
    return _is_general_position_of(intersection_poset(_check_arrangement(arrangement)))


def _is_general_position_of(P: IntersectionPoset) -> bool:
    if any(len(s) != X.rank for X, s in zip(P.flats, P.hyperplane_sets)):
        return False
    counts = Counter(X.rank for X in P.flats)
    m = len(P.arrangement)
    return all(counts[k] == comb(m, k) for k in range(min(m, P.arrangement.dim) + 1))


def zaslavsky_bound(arrangement: Arrangement) -> int:
    """Zaslavsky's bound ``Σ_{i=0}^{d} C(m, i)`` on the number of regions (Lemma 1 of
    arXiv 2305.09145), attained iff A is in general position.

    Notes
    -----
    O(d) binomials.

    Examples
    --------
    >>> from exactpoly.arrangements.hyperplanes import arrangement_from_rows
    >>> zaslavsky_bound(arrangement_from_rows([(0, 1, 0), (0, 0, 1), (0, 1, 1)]))
    7
    """
    A = _check_arrangement(arrangement)
    return sum(comb(len(A), i) for i in range(A.dim + 1))


def arrangement_summary(arrangement: Arrangement) -> dict[str, Any]:
    """The JSON summary printed by ``exactpoly arrangement FILE --json``.

    Keys: ``characteristic_polynomial`` (all d + 1 coefficients, highest degree
    first, as integer strings), ``rank``, ``regions``, ``bounded_regions``,
    ``face_vector`` (``[f_0, ..., f_d]``), ``general_position``, ``zaslavsky_bound``.

    Notes
    -----
    One intersection poset for χ, the face vector and general position.

    Examples
    --------
    >>> from exactpoly.arrangements.hyperplanes import arrangement_from_rows
    >>> arrangement_summary(arrangement_from_rows([(0, 1, 0), (0, 0, 1)]))   # doctest: +NORMALIZE_WHITESPACE
    {'characteristic_polynomial': ['1', '-2', '1'], 'rank': 2, 'regions': 4, 'bounded_regions': 0,
     'face_vector': [1, 4, 4], 'general_position': True, 'zaslavsky_bound': 4}
    """
    A = _check_arrangement(arrangement)
    P = intersection_poset(A)
    chi = _poly(_chi_poset(P))
    r = arrangement_rank(A)
    return {
        "characteristic_polynomial": [str(int(c)) for c in chi.all_coeffs()],
        "rank": r,
        "regions": (-1) ** A.dim * _eval(chi, -1),
        "bounded_regions": (-1) ** r * _eval(chi, 1),
        "face_vector": _face_vector_of(P),
        "general_position": _is_general_position_of(P),
        "zaslavsky_bound": zaslavsky_bound(A),
    }
