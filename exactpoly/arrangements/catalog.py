"""A catalog of named examples with known, closed-form answers.

Every entry comes with the answers the literature gives for it, so the tests can
recompute them exactly (after Sage's ``hyperplane_arrangements``
library). This module currently holds the classic hyperplane arrangements; named
networks (the Section IV constructions of arXiv 2305.09145, sawtooth nets) are to
join it.

Classic arrangements (``n`` coordinates, hyperplanes ``x_i - x_j = c`` for ``i < j``):

============== ============================= ==========================================
name           hyperplanes                   characteristic polynomial
============== ============================= ==========================================
braid(n)       c = 0                         t (t-1) (t-2) ... (t-n+1)
shi(n)         c = 0, 1                      t (t-n)^{n-1}
catalan(n)     c = -1, 0, 1                  t (t-n-1) (t-n-2) ... (t-2n+1)
semiorder(n)   c = -1, 1                     (regions 1, 3, 19, 183, 2371, ...)
coordinate(d)  x_i = 0                       (t-1)^d
generic(m, d)  m in general position         Σ_{k<=min(m,d)} (-1)^k C(m,k) t^{d-k}
central_generic(m, d)  m through 0, any d normals independent   Lemma 6 of 2305.09145
============== ============================= ==========================================

Examples
--------
>>> from exactpoly.arrangements.invariants import characteristic_polynomial, n_regions
>>> entry = classic_arrangement("shi", 3)
>>> entry.characteristic_polynomial, entry.n_regions, entry.n_bounded_regions
(Poly(t**3 - 6*t**2 + 9*t, t, domain='ZZ'), 16, 4)
>>> characteristic_polynomial(entry.arrangement) == entry.characteristic_polynomial
True
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from math import comb, factorial

import sympy

from ..errors import DomainError
from .hyperplanes import Arrangement, arrangement_from_rows
from .invariants import T

__all__ = [
    "CLASSIC_ARRANGEMENTS",
    "ClassicArrangement",
    "braid_arrangement",
    "braid_characteristic_polynomial",
    "catalan_arrangement",
    "catalan_characteristic_polynomial",
    "central_generic_arrangement",
    "central_generic_characteristic_polynomial",
    "central_generic_n_regions",
    "classic_arrangement",
    "coordinate_arrangement",
    "coordinate_characteristic_polynomial",
    "generic_arrangement",
    "generic_characteristic_polynomial",
    "generic_n_bounded_regions",
    "generic_n_regions",
    "semiorder_arrangement",
    "semiorder_n_regions",
    "shi_arrangement",
    "shi_characteristic_polynomial",
]


def _check_int(value, name: str, least: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise DomainError(f"{name}: expected an int >= {least}, got {value!r}")
    return value


def _poly(expr) -> sympy.Poly:
    return sympy.Poly(expr, T, domain="ZZ")


def _difference_rows(n: int, constants) -> list[tuple[int, ...]]:
    """Rows of ``x_i - x_j = c`` (i < j, 0-based), i.e. ``-c + x_i - x_j = 0``."""
    rows = []
    for i in range(n):
        for j in range(i + 1, n):
            for c in constants:
                a = [0] * n
                a[i], a[j] = 1, -1
                rows.append((-c, *a))
    return rows


# ----------------------------------------------------------------------------- constructors


def braid_arrangement(n: int) -> Arrangement:
    """The braid arrangement (type A_{n-1}) in R^n: ``x_i = x_j`` for ``1 <= i < j <= n``.

    >>> len(braid_arrangement(4)), braid_arrangement(4).dim
    (6, 4)
    """
    n = _check_int(n, "n", 1)
    return arrangement_from_rows(_difference_rows(n, (0,)), dim=n)


def shi_arrangement(n: int) -> Arrangement:
    """The Shi arrangement in R^n: ``x_i - x_j = 0, 1`` for ``i < j``.

    >>> len(shi_arrangement(3))
    6
    """
    n = _check_int(n, "n", 1)
    return arrangement_from_rows(_difference_rows(n, (0, 1)), dim=n)


def catalan_arrangement(n: int) -> Arrangement:
    """The Catalan arrangement in R^n: ``x_i - x_j = -1, 0, 1`` for ``i < j``.

    >>> len(catalan_arrangement(3))
    9
    """
    n = _check_int(n, "n", 1)
    return arrangement_from_rows(_difference_rows(n, (-1, 0, 1)), dim=n)


def semiorder_arrangement(n: int) -> Arrangement:
    """The semiorder arrangement in R^n: ``x_i - x_j = -1, 1`` for ``i < j``.

    >>> semiorder_arrangement(2).rows
    ((-1, 1, -1), (1, 1, -1))
    """
    n = _check_int(n, "n", 1)
    return arrangement_from_rows(_difference_rows(n, (-1, 1)), dim=n)


def coordinate_arrangement(d: int) -> Arrangement:
    """The coordinate hyperplanes ``x_i = 0`` of R^d.

    >>> coordinate_arrangement(2).rows
    ((0, 0, 1), (0, 1, 0))
    """
    d = _check_int(d, "d", 1)
    return arrangement_from_rows([(0, *(int(i == j) for j in range(d))) for i in range(d)], dim=d)


def generic_arrangement(m: int, d: int) -> Arrangement:
    """m affine hyperplanes of R^d in general position (deterministic).

    Hyperplane k (k = 1..m) is ``1 + k x_1 + k^2 x_2 + ... + k^d x_d = 0``. Any j <= d
    normals ``k (1, k, ..., k^{d-1})`` are independent (Vandermonde), and any d + 1
    rows ``(1, k, ..., k^d)`` form a non-singular Vandermonde matrix, so no d + 1
    hyperplanes meet.

    >>> generic_arrangement(3, 2).rows
    ((1, 1, 1), (1, 2, 4), (1, 3, 9))
    """
    m = _check_int(m, "m", 0)
    d = _check_int(d, "d", 1)
    return arrangement_from_rows([tuple(k ** e for e in range(d + 1)) for k in range(1, m + 1)], dim=d)


def central_generic_arrangement(m: int, d: int) -> Arrangement:
    """m hyperplanes through the origin of R^d, any d of whose normals are independent.

    Hyperplane k (k = 1..m) is ``x_1 + k x_2 + ... + k^{d-1} x_d = 0`` (Vandermonde
    normals). These are the hypotheses of Lemma 6 of arXiv 2305.09145. For d = 1 all
    such hyperplanes coincide, so m <= 1 there.

    >>> central_generic_arrangement(3, 2).rows
    ((0, 1, 1), (0, 1, 2), (0, 1, 3))
    """
    m = _check_int(m, "m", 0)
    d = _check_int(d, "d", 1)
    if d == 1 and m > 1:
        raise DomainError(f"m: in R^1 there is only one hyperplane through the origin, got m = {m}")
    return arrangement_from_rows([(0, *(k ** e for e in range(d))) for k in range(1, m + 1)], dim=d)


# ----------------------------------------------------------------------------- closed forms


def braid_characteristic_polynomial(n: int) -> sympy.Poly:
    """``t (t-1) ... (t-n+1)`` (Stanley, Lecture 1; n! regions).

    >>> braid_characteristic_polynomial(3)
    Poly(t**3 - 3*t**2 + 2*t, t, domain='ZZ')
    """
    n = _check_int(n, "n", 1)
    return _poly(sympy.prod([T - k for k in range(n)]))


def shi_characteristic_polynomial(n: int) -> sympy.Poly:
    """``t (t-n)^{n-1}`` (Shi; Stanley, Lecture 5; (n+1)^{n-1} regions).

    >>> shi_characteristic_polynomial(2)
    Poly(t**2 - 2*t, t, domain='ZZ')
    """
    n = _check_int(n, "n", 1)
    return _poly(T * (T - n) ** (n - 1))


def catalan_characteristic_polynomial(n: int) -> sympy.Poly:
    """``t (t-n-1) (t-n-2) ... (t-2n+1)`` (Stanley, Lecture 5; n! C_n regions).

    >>> catalan_characteristic_polynomial(2)
    Poly(t**2 - 3*t, t, domain='ZZ')
    """
    n = _check_int(n, "n", 1)
    return _poly(T * sympy.prod([T - k for k in range(n + 1, 2 * n)]))


def coordinate_characteristic_polynomial(d: int) -> sympy.Poly:
    """``(t-1)^d``.

    >>> coordinate_characteristic_polynomial(2)
    Poly(t**2 - 2*t + 1, t, domain='ZZ')
    """
    d = _check_int(d, "d", 1)
    return _poly((T - 1) ** d)


def generic_characteristic_polynomial(m: int, d: int) -> sympy.Poly:
    """``Σ_{k=0}^{min(m,d)} (-1)^k C(m, k) t^{d-k}`` (Whitney's theorem: a subset is
    central iff it has at most d hyperplanes, and then its rank is its size).

    >>> generic_characteristic_polynomial(3, 2)
    Poly(t**2 - 3*t + 3, t, domain='ZZ')
    """
    m = _check_int(m, "m", 0)
    d = _check_int(d, "d", 1)
    return _poly(sum((-1) ** k * comb(m, k) * T ** (d - k) for k in range(min(m, d) + 1)))


def central_generic_characteristic_polynomial(m: int, d: int) -> sympy.Poly:
    """Whitney's theorem with rank B = min(|B|, d) (every subset is central):
    ``Σ_{k<d} (-1)^k C(m, k) t^{d-k} + Σ_{k>=d} (-1)^k C(m, k)``.

    >>> central_generic_characteristic_polynomial(3, 2)
    Poly(t**2 - 3*t + 2, t, domain='ZZ')
    """
    m = _check_int(m, "m", 0)
    d = _check_int(d, "d", 1)
    return _poly(sum((-1) ** k * comb(m, k) * T ** max(d - k, 0) for k in range(m + 1)))


def generic_n_regions(m: int, d: int) -> int:
    """Buck's formula ``Σ_{i=0}^{d} C(m, i)``: regions of m hyperplanes of R^d in general
    position (the equality case of Lemma 1 of arXiv 2305.09145).

    >>> generic_n_regions(4, 2)
    11
    """
    m = _check_int(m, "m", 0)
    d = _check_int(d, "d", 1)
    return sum(comb(m, i) for i in range(d + 1))


def generic_n_bounded_regions(m: int, d: int) -> int:
    """Buck's formula ``C(m-1, d)`` for the bounded regions of m >= 1 hyperplanes of R^d in
    general position (relatively bounded: 0 when m <= d); 1 for m = 0 (R^d itself,
    relatively bounded by convention, see :func:`~exactpoly.arrangements.invariants.n_bounded_regions`).

    >>> generic_n_bounded_regions(4, 2)
    3
    """
    m = _check_int(m, "m", 0)
    d = _check_int(d, "d", 1)
    return 1 if m == 0 else comb(m - 1, d)


def central_generic_n_regions(m: int, d: int) -> int:
    """Lemma 6 of arXiv 2305.09145: ``C(m-1, d-1) + Σ_{i=0}^{d-1} C(m, i)`` regions of
    m >= 1 central hyperplanes of R^d any d of whose normals are independent.

    >>> central_generic_n_regions(4, 3)
    14
    """
    m = _check_int(m, "m", 0)
    d = _check_int(d, "d", 1)
    if m == 0:
        return 1
    return comb(m - 1, d - 1) + sum(comb(m, i) for i in range(d))


# Number of semiorders on n labelled points (OEIS A006531), n = 0..6; the values for
# n = 1..5 are recomputed by the tests from the arrangement.
_SEMIORDERS = (1, 1, 3, 19, 183, 2371, 38703)


def semiorder_n_regions(n: int) -> int:
    """Regions of the semiorder arrangement: the number of semiorders on n labelled
    points (OEIS A006531: 1, 3, 19, 183, 2371, 38703 for n = 1..6).

    Examples
    --------
    >>> [semiorder_n_regions(n) for n in (1, 2, 3, 4)]
    [1, 3, 19, 183]
    """
    n = _check_int(n, "n", 1)
    if n >= len(_SEMIORDERS):
        raise DomainError(f"n: semiorder region counts are tabulated for n <= {len(_SEMIORDERS) - 1}, got {n}")
    return _SEMIORDERS[n]


# ----------------------------------------------------------------------------- entries


@dataclass(frozen=True)
class ClassicArrangement:
    """A catalog entry: an arrangement with its closed-form answers.

    Attributes
    ----------
    name : str
        One of :data:`CLASSIC_ARRANGEMENTS`.
    parameters : tuple of int
        ``(n,)``, ``(d,)`` or ``(m, d)``.
    arrangement : Arrangement
    characteristic_polynomial : sympy.Poly or None
        The closed form (None for the semiorder arrangement, which has none).
    n_regions : int
    n_bounded_regions : int or None
        Relatively bounded regions, ``(-1)^rank χ(1)`` (None when no closed form).
    reference : str
    """

    name: str
    parameters: tuple[int, ...]
    arrangement: Arrangement
    characteristic_polynomial: sympy.Poly | None
    n_regions: int
    n_bounded_regions: int | None
    reference: str


def _braid(n: int) -> ClassicArrangement:
    return ClassicArrangement("braid", (n,), braid_arrangement(n), braid_characteristic_polynomial(n),
                              factorial(n), 1 if n == 1 else 0,
                              "chi = t(t-1)...(t-n+1); n! regions, none bounded for n >= 2")


def _shi(n: int) -> ClassicArrangement:
    chi = shi_characteristic_polynomial(n)
    return ClassicArrangement("shi", (n,), shi_arrangement(n), chi, (n + 1) ** (n - 1),
                              (n - 1) ** (n - 1), "Shi: chi = t(t-n)^(n-1); (n+1)^(n-1) regions, "
                              "(n-1)^(n-1) bounded")


def _catalan(n: int) -> ClassicArrangement:
    chi = catalan_characteristic_polynomial(n)
    catalan_number = comb(2 * n, n) // (n + 1)
    return ClassicArrangement("catalan", (n,), catalan_arrangement(n), chi, factorial(n) * catalan_number,
                              factorial(2 * n - 2) // factorial(n - 1),
                              "chi = t(t-n-1)...(t-2n+1); n! C_n regions, (2n-2)!/(n-1)! bounded")


def _semiorder(n: int) -> ClassicArrangement:
    return ClassicArrangement("semiorder", (n,), semiorder_arrangement(n), None, semiorder_n_regions(n), None,
                              "regions = semiorders on n labelled points (OEIS A006531)")


def _coordinate(d: int) -> ClassicArrangement:
    return ClassicArrangement("coordinate", (d,), coordinate_arrangement(d), coordinate_characteristic_polynomial(d),
                              2 ** d, 0, "chi = (t-1)^d; 2^d regions, no bounded one")


def _generic(m: int, d: int) -> ClassicArrangement:
    return ClassicArrangement("generic", (m, d), generic_arrangement(m, d), generic_characteristic_polynomial(m, d),
                              generic_n_regions(m, d), generic_n_bounded_regions(m, d),
                              "Buck: sum_{i<=d} C(m,i) regions, C(m-1,d) bounded (Lemma 1 equality)")


def _central_generic(m: int, d: int) -> ClassicArrangement:
    return ClassicArrangement("central_generic", (m, d), central_generic_arrangement(m, d),
                              central_generic_characteristic_polynomial(m, d), central_generic_n_regions(m, d),
                              1 if m == 0 else 0,
                              "Lemma 6 of arXiv 2305.09145: C(m-1,d-1) + sum_{i<d} C(m,i) regions")


_BUILDERS: dict[str, tuple[int, Callable[..., ClassicArrangement]]] = {
    "braid": (1, _braid),
    "shi": (1, _shi),
    "catalan": (1, _catalan),
    "semiorder": (1, _semiorder),
    "coordinate": (1, _coordinate),
    "generic": (2, _generic),
    "central_generic": (2, _central_generic),
}

#: Names accepted by :func:`classic_arrangement`.
CLASSIC_ARRANGEMENTS = tuple(_BUILDERS)


def classic_arrangement(name: str, *parameters: int) -> ClassicArrangement:
    """The catalog entry *name* with its closed-form answers.

    Parameters
    ----------
    name : str
        ``"braid"``, ``"shi"``, ``"catalan"``, ``"semiorder"`` (parameter n),
        ``"coordinate"`` (d), ``"generic"``, ``"central_generic"`` (m, d).
    *parameters : int

    Examples
    --------
    >>> e = classic_arrangement("central_generic", 4, 3)
    >>> e.n_regions, e.arrangement.rows[:2]
    (14, ((0, 1, 1, 1), (0, 1, 2, 4)))
    """
    if name not in _BUILDERS:
        raise DomainError(f"name: expected one of {', '.join(CLASSIC_ARRANGEMENTS)}, got {name!r}")
    arity, build = _BUILDERS[name]
    if len(parameters) != arity:
        raise DomainError(f"{name}: expected {arity} integer parameter(s), got {parameters!r}")
    return build(*parameters)
