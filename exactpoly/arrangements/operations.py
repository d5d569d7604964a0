"""Arrangements made from arrangements: deletion, restriction, direct sum, essentialization.

They are the moves of the deletion-restriction recursion χ_A = χ_{A - H} - χ_{A^H}
(Stanley, *An Introduction to Hyperplane Arrangements*, Lemma 2.2) and of the product
formula χ_{A1 × A2} = χ_{A1} χ_{A2}; every result is again a canonical :class:`Arrangement`.

Examples
--------
>>> from exactpoly.arrangements.hyperplanes import arrangement_from_rows
>>> A = arrangement_from_rows([(0, 1, 0), (0, 0, 1), (-1, 1, 1)])   # x=0, y=0, x+y=1
>>> deletion(A, A.hyperplanes[0]).rows, restriction(A, A.hyperplanes[0]).rows
(((0, 0, 1), (0, 1, 0)), ((-1, 1), (0, 1)))
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from ..errors import DomainError
from ..geometry.linalg import primitive
from ..geometry.rows import IntRow, hyperplane_key
from .hyperplanes import Arrangement, Hyperplane, _arrangement_of_int_rows, _check_arrangement
from .poset import _system_of

__all__ = ["deletion", "direct_sum", "essentialization", "restriction"]


def deletion(arrangement: Arrangement, hyperplane: Hyperplane) -> Arrangement:
    """A - H: the arrangement without *hyperplane* (KeyError if it is not in A).

    Notes
    -----
    O(m).

    Examples
    --------
    >>> from exactpoly.arrangements.hyperplanes import arrangement_from_rows
    >>> A = arrangement_from_rows([(0, 1, 0), (0, 0, 1)])
    >>> deletion(A, A.hyperplanes[0]).rows
    ((0, 1, 0),)
    """
    A = _check_arrangement(arrangement)
    if hyperplane not in A.hyperplanes:
        raise KeyError(f"hyperplane {hyperplane!r} is not in the arrangement")
    return Arrangement(A.dim, tuple(H for H in A if H != hyperplane))


def restriction(arrangement: Arrangement, hyperplane: Hyperplane) -> Arrangement:
    """A^H: the arrangement {H ∩ K : K ∈ A - H, H ∩ K ≠ ∅} inside H ≅ R^{d-1}.

    Coordinates on H: x without x_j, where j is the first coordinate with ``a_j != 0``
    (x_j is eliminated with H's equation). Coincident intersections are merged.
    *hyperplane* need not belong to A (then A^H restricts all of A).

    Notes
    -----
    One elimination per hyperplane, O(m d).

    Examples
    --------
    >>> from exactpoly.arrangements.hyperplanes import arrangement_from_rows, hyperplane_from_row
    >>> A = arrangement_from_rows([(0, 1, 0), (0, 0, 1), (-1, 1, 1), (1, 1, 0)])
    >>> restriction(A, hyperplane_from_row([0, 1, 0])).rows   # on x = 0: y = 1 and y = 0
    ((-1, 1), (0, 1))
    """
    A = _check_arrangement(arrangement)
    if not isinstance(hyperplane, Hyperplane) or hyperplane.dim != A.dim:
        raise DomainError(f"hyperplane: expected a Hyperplane of R^{A.dim}, got {hyperplane!r}")
    return _arrangement_of_int_rows(A.dim - 1, _restrict_rows(A.rows, hyperplane.row))


def _restrict_rows(rows: Sequence[IntRow], H: IntRow) -> tuple[IntRow, ...]:
    """Rows of the other hyperplanes restricted to H, in coordinates without x_j.

    j is the first coordinate with ``a_j != 0``; x_j is eliminated. Rows that become
    constant (parallel to H, or H itself) are dropped; coincident ones merged.
    """
    j = next(k for k in range(1, len(H)) if H[k])
    hj = H[j]
    out = set()
    for r in rows:
        if r == H:
            continue
        c = r[j]
        new = tuple(hj * x - c * y for x, y in zip(r, H))
        new = new[:j] + new[j + 1:]
        canon = primitive(new)
        if any(canon[1:]):
            out.add(hyperplane_key(canon)[0])
    return tuple(sorted(out))


def direct_sum(first: Arrangement, second: Arrangement) -> Arrangement:
    """The product arrangement A1 × A2 in R^{d1 + d2}: {H × R^{d2}} ∪ {R^{d1} × K}.

    χ_{A1 × A2} = χ_{A1} · χ_{A2} (Stanley, Lecture 2).

    Notes
    -----
    O((m1 + m2)(d1 + d2)).

    Examples
    --------
    >>> from exactpoly.arrangements.hyperplanes import arrangement_from_rows
    >>> direct_sum(arrangement_from_rows([(1, 1)]), arrangement_from_rows([(0, 1)])).rows
    ((0, 0, 1), (1, 1, 0))
    """
    A, B = _check_arrangement(first), _check_arrangement(second)
    rows = [r + (0,) * B.dim for r in A.rows] + [(r[0],) + (0,) * A.dim + r[1:] for r in B.rows]
    return _arrangement_of_int_rows(A.dim + B.dim, rows)


def essentialization(arrangement: Arrangement) -> Arrangement:
    """The essentialization ess(A), an essential arrangement in R^r (r = rank of A).

    Coordinates ``y = U x`` where U (r × d) is the reduced row echelon form of the
    normal vectors; a hyperplane ``b + a·x = 0`` with ``a = c·U`` becomes ``b + c·y = 0``
    (c is read off the pivot columns of U). ``χ_A(t) = t^{d-r} χ_{ess(A)}(t)``, and the
    (relatively) bounded regions of A are the bounded regions of ess(A).

    Notes
    -----
    One exact echelon form of the normals, then O(m r) per hyperplane.

    Examples
    --------
    >>> from exactpoly.arrangements.hyperplanes import arrangement_from_rows
    >>> essentialization(arrangement_from_rows([(0, 1, 1, 0), (1, 1, 1, 0)])).rows
    ((0, 1), (1, 1))
    """
    A = _check_arrangement(arrangement)
    sys_ = _system_of([(0, *H.normal) for H in A])
    U, piv = sys_
    out = []
    for H in A:
        # a = Σ c_i U_i with U_i[p_i] = u_i > 0 and U_k[p_i] = 0 for k != i: c_i = a[p_i] / u_i
        c = [Fraction(H.row[p], U[i][p]) for i, p in enumerate(piv)]
        out.append(primitive([Fraction(H.row[0]), *c]))
    return _arrangement_of_int_rows(len(piv), out)
