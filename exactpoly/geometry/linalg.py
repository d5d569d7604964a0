"""Exact linear algebra on small integer/rational matrices (python-flint inside).

Internal module: inputs are sequences of rows of ``int``/``Fraction``; outputs are
``int``/``Fraction``; flint values never leave it.

Examples
--------
>>> from fractions import Fraction
>>> rank([[1, 2, 3], [2, 4, 6]])
1
>>> determinant([[Fraction(1, 2), 0], [0, 4]])
Fraction(2, 1)
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from math import gcd, lcm

import flint

from ..rational import from_fmpq, to_fmpq

__all__ = ["rank", "determinant", "integer_rank", "integer_determinant", "primitive",
           "affine_dimension"]


def integer_rank(rows: Sequence[Sequence[int]]) -> int:
    """Rank of an integer matrix (list of equal-length rows); 0 for no rows.

    Notes
    -----
    Fraction-free elimination in FLINT, O(m n min(m, n)) word operations for small
    entries.

    >>> integer_rank([[1, 1], [2, 2], [0, 3]])
    2
    """
    if not rows:
        return 0
    return flint.fmpz_mat([list(r) for r in rows]).rank()


def integer_determinant(rows: Sequence[Sequence[int]]) -> int:
    """Determinant of a square integer matrix.

    >>> integer_determinant([[2, 1], [1, 3]])
    5
    """
    return int(flint.fmpz_mat([list(r) for r in rows]).det())


def _fmpq_mat(rows: Sequence[Sequence[Fraction | int]]) -> flint.fmpq_mat:
    m = len(rows)
    n = len(rows[0]) if m else 0
    return flint.fmpq_mat(m, n, [to_fmpq(Fraction(x)) for r in rows for x in r])


def rank(rows: Sequence[Sequence[Fraction | int]]) -> int:
    """Rank of a rational matrix given as rows.

    >>> rank([[Fraction(1, 3), 1], [1, 3]])
    1
    """
    if not rows or not len(rows[0]):
        return 0
    return _fmpq_mat(rows).rank()


def determinant(rows: Sequence[Sequence[Fraction | int]]) -> Fraction:
    """Determinant of a square rational matrix, as a Fraction.

    >>> determinant([[1, 2], [3, 4]])
    Fraction(-2, 1)
    """
    return from_fmpq(_fmpq_mat(rows).det())


def primitive(values: Sequence[Fraction | int]) -> tuple[int, ...]:
    """Scale a rational vector by a positive rational to coprime integers.

    The zero vector maps to itself.

    >>> primitive([Fraction(1, 2), Fraction(-3, 4), 0])
    (2, -3, 0)
    """
    den = 1
    for x in values:
        if type(x) is not int:
            den = lcm(den, x.denominator)
    ints = [x * den if type(x) is int else x.numerator * (den // x.denominator) for x in values]
    g = 0
    for x in ints:
        g = gcd(g, x)
    if g > 1:
        ints = [x // g for x in ints]
    return tuple(ints)


def affine_dimension(points: Sequence[Sequence[Fraction | int]]) -> int:
    """Dimension of the affine hull of *points* (-1 for no points).

    >>> affine_dimension([(0, 0), (1, 1), (2, 2)])
    1
    """
    if not points:
        return -1
    p0 = points[0]
    diffs = [[Fraction(a) - Fraction(b) for a, b in zip(p, p0)] for p in points[1:]]
    return rank(diffs) if diffs else 0
