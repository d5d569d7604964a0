"""Exact sums of region volumes, arranged so that denominators stay small.

A parent's children's volumes add up to the parent's volume, whose denominator is
small; summing siblings first (and then up the pattern prefixes) avoids the huge
denominators a running total over many regions grows.

>>> from fractions import Fraction
>>> sum_by_prefix([((0, 0), Fraction(1, 3)), ((0, 1), Fraction(2, 3)), ((1, 0), Fraction(1, 2))], [1])
Fraction(3, 2)
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from functools import partial
from itertools import groupby

from ..rational import coprime_fraction
from . import kernels

__all__ = ["sum_volumes", "sum_by_prefix", "fraction_sum"]


def _pattern_prefix(n: int, item: tuple[tuple[int, ...], Fraction]) -> tuple[int, ...]:
    return item[0][:n]


def sum_volumes(terms: list[tuple[int, int]]) -> Fraction:
    """The exact sum of regions' volumes given as unreduced terms ``(N, M)``
    (:attr:`~exactpoly.complex.regions.Region.volume_terms`); worker side, called on one
    parent's children, whose sum is the parent's volume (the main process only adds
    partial sums).

    The terms are added over the product of their denominators and reduced once
    (:func:`~exactpoly.complex.kernels.sum_fractions`, GMP's gcd when compiled): one gcd
    per parent instead of two per region. O(children) multiplications of growing integers.
    """
    return coprime_fraction(*kernels.sum_fractions(terms))


def sum_by_prefix(items: list[tuple[tuple[int, ...], Fraction]], ends: Sequence[int]) -> Fraction:
    """Exact sum of ``(pattern, value)`` items, the cells of one cell contiguous, summed
    cell by cell up the pattern prefixes *ends* (deepest first).

    A cell's children's volumes add up to the cell's volume, whose denominator is
    small; a running total over many cells would grow a huge one (``docs/performance.md``
    has the measurements).
    """
    for n in reversed(ends):
        items = [(k, fraction_sum([v for _p, v in g])) for k, g in groupby(items, key=partial(_pattern_prefix, n))]
    return fraction_sum([v for _p, v in items])


def fraction_sum(values: list[Fraction]) -> Fraction:
    """The exact sum of Fractions (:func:`kernels.sum_fractions`, reduced after every term)."""
    if len(values) == 1:
        return values[0]
    return coprime_fraction(*kernels.sum_fractions([(v.numerator, v.denominator) for v in values], True))

