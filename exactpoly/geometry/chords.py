"""Exact chords of a polytope ``{x : b + a·x > 0}`` through a point, for hit-and-run walks.

A hit-and-run step (arXiv 2305.09145, Preliminary 5) needs, for a point ``x`` inside and a
direction ``u``, the two ends of the chord ``x + t u``: the smallest ``t > 0`` and the
largest ``t < 0`` at which some row ``b + a·x`` vanishes, and every row vanishing at the
forward end (one row: the ray left through the relative interior of a facet; several: a
face of dimension <= d-2). :func:`chord_exits` finds them from the exact row values;
:class:`FilteredRows` finds the *same* answer for thousands of rows in high dimension
with a certified floating-point filter and exact integers only for the few rows the
filter cannot separate (docs/howto-region-at.md, "The certified float filter").

Rows are integer tuples ``(b, a_1, ..., a_d)``; points are homogeneous integer tuples
``(q, q x_1, ..., q x_d)`` with ``q > 0`` (docs/conventions.md, "Rows").

Examples
--------
>>> square = [(1, 1, 0), (1, -1, 0), (1, 0, 1), (1, 0, -1)]   # |x| < 1, |y| < 1
>>> f = FilteredRows(square)
>>> f.exits((2, 0, 1), (1, 1))   # from (0, 1/2) along (1, 1): t in (-1, 1/2), out through y < 1
((1, 1), (2, 1), [3])
>>> chord_exits(f.values((2, 0, 1)), f.values((0, 1, 1)))   # the same from the exact values
((1, 1), (2, 1), [3])
>>> f.is_strictly_inside((2, 0, 1)), f.is_strictly_inside((1, 1, 0))
(True, False)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .rows import IntRow

__all__ = ["FilteredRows", "chord_exits"]

_FILTER_BITS = 500  # rows and points with larger integers are evaluated exactly (no underflow below)
_SPARSE_SHARE = 0.25  # rows with fewer non-zeros than this share are multiplied as a sparse matrix


def chord_exits(vals: Sequence[int], slopes: Sequence[int]
                ) -> tuple[tuple[int, int] | None, tuple[int, int] | None, list[int]]:
    """The exits of the chord ``x + t u`` through a region ``vals + t * slopes > 0``, exactly.

    Parameters
    ----------
    vals : sequence of int
        The rows at the point (homogeneous: ``q (b + a·x)``), all positive.
    slopes : sequence of int
        The rows' linear parts at the direction ``u`` (``a·u``).

    Returns
    -------
    fwd, bwd, fwd_rows
        Forward: the smallest ``t = v / (-s)`` over rows with ``s < 0``, as the pair
        ``(v, -s)`` of the first such row, and every row attaining it. Backward: the
        smallest ``v / s`` over rows with ``s > 0``. None when there is none (the region
        is unbounded that way).

    Notes
    -----
    O(#rows) integer comparisons.

    Examples
    --------
    >>> chord_exits([2, 2, 1], [-1, -2, 1])
    ((2, 2), (1, 1), [1])
    """
    fwd: tuple[int, int] | None = None
    bwd: tuple[int, int] | None = None
    fwd_rows: list[int] = []
    for i, (v, s) in enumerate(zip(vals, slopes)):
        if s < 0:
            if fwd is None or v * fwd[1] < fwd[0] * (-s):
                fwd, fwd_rows = (v, -s), [i]
            elif v * fwd[1] == fwd[0] * (-s):
                fwd_rows.append(i)
        elif s > 0:
            if bwd is None or v * bwd[1] < bwd[0] * s:
                bwd = (v, s)
    return fwd, bwd, fwd_rows


def _scaled(vector: Sequence[int]) -> tuple[Any, bool]:
    """The integer vector times ``2^-e`` (e its largest bit length) as correctly rounded
    float64, and whether the filter may use it (``e <= _FILTER_BITS``)."""
    import numpy as np

    e = max(max(vector), -min(vector)).bit_length()
    if e > _FILTER_BITS:
        return None, False
    return np.ldexp(np.array(vector, dtype=float), -e), True


class FilteredRows:
    """Integer rows with a certified float filter: exact chord ends and inside tests, fast.

    Parameters
    ----------
    rows : sequence of integer rows ``(b, a_1, ..., a_d)``
        All of one length ``n = d + 1``.

    Notes
    -----
    Each row ``r`` is scaled by ``2^-e`` (e its largest bit length) and rounded to float64
    (relative error ``u = 2^-53`` per entry), and so is each point or direction ``p``. The
    float product ``S = R p`` (BLAS, any summation order, with or without FMA) then
    satisfies ``|S_j - r_j·p| <= gamma_{n+2} |r_j|·|p| <= 4 (n + 2) u L_j`` in the scaled
    units, with ``L_j`` the float sum of ``|r_j|`` (Higham, *Accuracy and Stability of
    Numerical Algorithms*, 2nd ed., §3.1; ``|p|_inf <= 1`` after scaling; the factor 4
    covers ``1 / (1 - gamma_n)`` and the rounding of the bound itself). Entries are at
    least ``2^-500`` in magnitude after scaling, so no product underflows. A sign is taken
    from ``S`` only beyond that bound; a chord ratio ``v_j / (-s_j)`` is enclosed in an
    interval from the bounds of ``v_j`` and ``s_j`` (widened by ``2^-50`` relative for the
    rounding of the interval arithmetic). Only the rows whose interval reaches the
    smallest upper end, and the rows whose sign the filter cannot decide, are evaluated
    exactly (O(nnz) integer operations each), so the result is that of
    :func:`chord_exits` on the exact values. Rows or points with integers of more than
    500 bits are evaluated exactly throughout.

    Cost: one float matrix-vector product per point or direction, O(nnz) flops (a
    sparse product when under a quarter of the entries are non-zero: convolution rows and
    box walls; the bound holds for its order of summation too), plus O(nnz of the row)
    exact integer operations per undecided or contending row.
    """

    def __init__(self, rows: Sequence[Sequence[int]]) -> None:
        import numpy as np

        self.rows: tuple[IntRow, ...] = tuple(tuple(map(int, r)) for r in rows)
        self.n = len(self.rows[0])
        self._nz: dict[int, tuple[tuple[int, int], ...]] = {}
        e = np.array([max(max(r), -min(r)).bit_length() for r in self.rows], dtype=np.int64)
        self._ok = e <= _FILTER_BITS
        # int -> float64 is correctly rounded (numpy casts int64 in the current, nearest
        # rounding mode and larger Python ints by PyLong_AsDouble); rows over 500 bits stay 0
        R = np.array([r if ok else (0,) * self.n for r, ok in zip(self.rows, self._ok.tolist())], dtype=float)
        R = np.ldexp(R, -(e * self._ok)[:, None])
        self._B = (4.0 * (self.n + 2) * 2.0 ** -53) * np.abs(R).sum(axis=1)
        self._R: Any = R
        if np.count_nonzero(R) < _SPARSE_SHARE * R.size:  # convolution rows, walls: a CSR product
            from scipy.sparse import csr_array

            self._R = csr_array(R)
        self._last: tuple[IntRow, Any] | None = None

    def value(self, j: int, p: Sequence[int]) -> int:
        """Row j at the homogeneous point (or direction) *p*, exactly. O(nnz of row j)."""
        nz = self._nz.get(j)
        if nz is None:
            nz = self._nz[j] = tuple((k, a) for k, a in enumerate(self.rows[j]) if a)
        return sum(a * p[k] for k, a in nz)

    def values(self, p: Sequence[int]) -> list[int]:
        """Every row at *p*, exactly. O(nnz)."""
        return [self.value(j, p) for j in range(len(self.rows))]

    def _float(self, p: Sequence[int], keep: bool = True) -> Any:
        """``(S, undecided)``: the scaled float products and the rows whose sign at *p* the
        filter does not decide; None when *p* has entries over 500 bits. The last point
        kept (*keep*) is not multiplied again."""
        import numpy as np

        key = tuple(p)
        if self._last is not None and self._last[0] == key:
            return self._last[1]
        P, ok = _scaled(key)
        got = None
        if ok:
            S = self._R @ P
            got = (S, (np.abs(S) <= self._B) | ~self._ok)
        if keep:
            self._last = (key, got)
        return got

    def is_strictly_inside(self, p: Sequence[int]) -> bool:
        """Is every row positive at the homogeneous point *p* (``p[0] > 0``)? Exact."""
        import numpy as np

        got = self._float(p)
        if got is None:
            return all(self.value(j, p) > 0 for j in range(len(self.rows)))
        S, und = got
        if np.any((S < 0) & ~und):
            return False
        return all(self.value(int(j), p) > 0 for j in np.flatnonzero(und))

    def exits(self, p: Sequence[int], u: Sequence[int]
              ) -> tuple[tuple[int, int] | None, tuple[int, int] | None, list[int]]:
        """:func:`chord_exits` of the rows' exact values at the homogeneous point *p* (inside
        the region) and their slopes along the direction *u* (d integers)."""
        import numpy as np

        du = (0, *u)
        gv, gu = self._float(p), self._float(du, keep=False)
        if gv is None or gu is None:
            return chord_exits(self.values(p), self.values(du))
        Sv, undv = gv
        Su, undu = gu
        B = self._B  # the same bound for the point and the direction: both are scaled to |.|_inf <= 1
        lo_v = np.where(undv, 0.0, np.maximum(Sv - B, 0.0))
        hi_v = Sv + B
        widen_lo, widen_hi = 1.0 - 2.0 ** -50, 1.0 + 2.0 ** -50
        picked: list[int] = [int(j) for j in np.flatnonzero(undu)]  # undu covers the rows over 500 bits
        for sign in (-1.0, 1.0):  # forward: slopes < 0, ratio v / -s; backward: slopes > 0, v / s
            mag = sign * Su
            sure = (mag > B) & self._ok  # a decided sign: not in undu
            if not sure.any():
                continue
            with np.errstate(divide="ignore", invalid="ignore"):
                lo = np.where(sure, lo_v / (mag + B), np.inf) * widen_lo
                hi = np.where(sure, hi_v / np.where(sure, mag - B, 1.0), np.inf) * widen_hi
            picked.extend(int(j) for j in np.flatnonzero(sure & (lo <= hi.min())))
        picked = sorted(set(picked))
        vals = [self.value(j, p) for j in picked]
        slopes = [self.value(j, du) for j in picked]
        fwd, bwd, rows = chord_exits(vals, slopes)
        return fwd, bwd, [picked[i] for i in rows]
