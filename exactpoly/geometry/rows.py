"""Integer rows: the one definition of ``IntRow`` and the small exact operations on them.

A half-space row ``(b, a)`` means ``b + a·x >= 0`` (constant first; ``docs/conventions.md``
§"Rows"); a homogeneous point ``(q, q·v)`` pairs with it by the dot product, whose sign is
the side of the hyperplane ``b + a·x = 0`` the point lies on.

>>> dot((1, -2, 3), (2, 1, 1))
3
>>> negated((1, -2)), coprime((4, -6, 2))
((-1, 2), (2, -3, 1))
>>> hyperplane_key((1, -2, 3))
((-1, 2, -3), -1)
"""

from __future__ import annotations

from math import gcd

from ..errors import DomainError

__all__ = ["IntRow", "dot", "negated", "coprime", "hyperplane_key"]

IntRow = tuple[int, ...]


def dot(row: IntRow, point: IntRow) -> int:
    """``row · point``: the value of a row at a homogeneous point (or along a direction). O(d)."""
    return sum(x * y for x, y in zip(row, point))


def negated(row: IntRow) -> IntRow:
    """The opposite half-space of the same hyperplane. O(d)."""
    return tuple([-x for x in row])


def coprime(row: IntRow) -> IntRow:
    """The positive multiple of an integer row with coprime entries (a zero row is returned as is). O(d) gcds."""
    g = gcd(*row)
    return tuple([x // g for x in row]) if g > 1 else row


def hyperplane_key(row: IntRow) -> tuple[IntRow, int]:
    """Key of the hyperplane ``b + a·x = 0`` of a canonical row, up to sign.

    Returns ``(key, s)`` with ``row == s * key`` and the first non-zero entry of
    ``key``'s normal part ``a`` positive. Equal hyperplanes (of coprime rows) have equal
    keys. O(d).

    Raises
    ------
    DomainError
        When the normal part ``a`` is zero (the row is not a hyperplane).

    >>> hyperplane_key((0, 0, 5))
    ((0, 0, 5), 1)
    """
    for x in row[1:]:
        if x:
            if x > 0:
                return row, 1
            return tuple(-y for y in row), -1
    raise DomainError(f"row {row!r} has a zero normal vector: it is not a hyperplane")
