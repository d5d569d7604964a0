"""The activation region containing a point, in any input dimension, with exact certificates.

:func:`region_at` computes, by one exact forward pass, the activation pattern at a point
and the H-representation of its region (``docs/conventions.md`` §"Activation regions"),
then sorts every inequality into a *facet* or a *redundant* inequality and proves each
verdict exactly:

* a facet carries an exact rational point on its hyperplane that satisfies every other
  inequality strictly (so the closure meets the hyperplane in a (d-1)-dimensional set);
* a redundant inequality carries exact multipliers ``mu >= 0``, ``lambda_j >= 0`` with
  ``row_i = mu e_0 + sum_j lambda_j row_j`` over other inequalities j (Farkas' lemma:
  then the hyperplane meets the closure only inside another hyperplane, in dimension
  <= d-2, or not at all).

Floating-point LPs (HiGHS through scipy) and a floating-point Gram matrix only *propose*
points and multipliers; :func:`check_certificates` (exact integers, no LP) decides, and a
proposal that fails is settled by an exact LP in ``cdd.gmp``
(:func:`~exactpoly.geometry.dd.exact_lp_minimum`), never dropped.

>>> from exactpoly import network_from_layers
>>> net = network_from_layers(2, [([[1, 0], [0, 1], [1, 1]], [0, 0, 1]), ([[1, 1, 1]], [0])])
>>> reg = region_at(net, ["1/2", "1/2"], box=1)
>>> reg.pattern_string, reg.n_inequalities, reg.n_facets
('111', 7, 4)
>>> [(f.row, f.neurons, f.walls) for f in reg.facets]
[((0, 0, 1), ((0, 1),), ()), ((0, 1, 0), ((0, 0),), ()), ((1, -1, 0), (), ((0, 1),)), ((1, 0, -1), (), ((1, 1),))]
>>> check_certificates(reg)
True
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from fractions import Fraction
from math import gcd, lcm
from typing import Any

import flint

from ..errors import DomainError, GeometryError, NetworkFormatError
from ..geometry.dd import exact_lp_minimum
from ..geometry.rows import IntRow, coprime, negated
from ..network import ReluNetwork
from ..rational import dyadic_point, format_fraction, to_fraction

__all__ = ["RegionInequality", "FacetCertificate", "RedundancyCertificate", "CertifiedRegion", "region_at",
           "check_certificates", "recheck_region", "region_to_mapping", "region_from_mapping",
           "CERTIFIED_REGION_FORMAT"]

#: The ``format`` tag of :func:`region_to_mapping`'s JSON.
CERTIFIED_REGION_FORMAT = "exactpoly.certified-region/1"

Neuron = tuple[int, int]
Wall = tuple[int, int]


@dataclass(frozen=True)
class RegionInequality:
    """One inequality ``b + a·x > 0`` of a region and everything that supports it.

    Attributes
    ----------
    row : tuple of int
        Canonical inward row ``(b, a)``: coprime integers, the region on the positive side.
    neurons : tuple of (int, int)
        The neurons ``(hidden layer, index)`` whose hyperplane on the region this is, sorted
        (several when neurons coincide there, ``docs/conventions.md`` §"Facets").
    walls : tuple of (int, int)
        The box walls ``(coordinate, side)`` on this hyperplane (side -1: ``x_j = -B``).
    """

    row: IntRow
    neurons: tuple[Neuron, ...]
    walls: tuple[Wall, ...]


@dataclass(frozen=True)
class FacetCertificate:
    """Proof that an inequality is a facet: ``point`` (homogeneous ``(q, q·z)``, ``q > 0``)
    lies on its hyperplane and strictly inside every other inequality."""

    point: IntRow


@dataclass(frozen=True)
class RedundancyCertificate:
    """Proof that inequality i is not a facet: ``row_i = slack·e_0 + sum lambda_j row_j``.

    ``multipliers`` are ``(j, lambda_j)`` with ``j != i`` indices of other inequalities and
    ``lambda_j > 0`` Fractions; ``slack >= 0``.
    """

    multipliers: tuple[tuple[int, Fraction], ...]
    slack: Fraction


Certificate = FacetCertificate | RedundancyCertificate


@dataclass(frozen=True, repr=False)
class CertifiedRegion:
    """The activation region containing a point, its H-representation and certified facets.

    Attributes
    ----------
    input_dim : int
    box : Fraction or None
        The domain ``[-box, box]^d``, or None for R^d.
    point : tuple of Fraction
        The point asked about.
    pattern : tuple of int
        The region's activation pattern, one bit per hidden neuron (``docs/conventions.md``).
    on_hyperplanes : tuple of (int, int)
        Neurons whose pre-activation is 0 at ``point`` but not constant on the region:
        ``point`` lies on the region's boundary, and the region is the one entered from
        ``point`` in the direction ``(e, e^2, ..., e^d)`` for small ``e > 0`` (see
        :func:`region_at`). Empty when ``point`` is inside its region.
    inequalities : tuple of RegionInequality
        Every distinct inequality of the region (neurons constant on the region give none;
        coincident hyperplanes give one), sorted by row.
    certificates : tuple of FacetCertificate or RedundancyCertificate
        One per inequality, in the same order: its verdict and its proof.
    interior_point : tuple of int
        A homogeneous exact point ``(q, q·c)`` strictly inside every inequality.
    exact_fallbacks : int
        Floating-point proposals that failed their exact check and were settled by an exact LP.
    """

    input_dim: int
    box: Fraction | None
    point: tuple[Fraction, ...]
    pattern: tuple[int, ...]
    on_hyperplanes: tuple[Neuron, ...]
    inequalities: tuple[RegionInequality, ...]
    certificates: tuple[Certificate, ...]
    interior_point: IntRow
    exact_fallbacks: int = 0

    def __repr__(self) -> str:
        return (f"<CertifiedRegion {self.pattern_string[:40]}{'...' if len(self.pattern) > 40 else ''}: "
                f"{self.n_facets} facets of {self.n_inequalities} inequalities>")

    @property
    def pattern_string(self) -> str:
        return "".join(map(str, self.pattern))

    @property
    def n_inequalities(self) -> int:
        return len(self.inequalities)

    @property
    def facet_indices(self) -> tuple[int, ...]:
        """Indices into ``inequalities`` of the facets."""
        return tuple(i for i, c in enumerate(self.certificates) if isinstance(c, FacetCertificate))

    @property
    def facets(self) -> tuple[RegionInequality, ...]:
        """The irredundant inequalities (the region's facets), sorted by row."""
        return tuple(self.inequalities[i] for i in self.facet_indices)

    @property
    def n_facets(self) -> int:
        return len(self.facet_indices)

    @property
    def redundant(self) -> tuple[RegionInequality, ...]:
        return tuple(q for q, c in zip(self.inequalities, self.certificates) if isinstance(c, RedundancyCertificate))


# ---------------------------------------------------------------------------------------------
# the exact forward pass


def _integer_layer(W: Sequence[Sequence[Fraction]], b: Sequence[Fraction]) -> tuple[list[list[int]], list[int], int]:
    """``(q W, q b, q)`` with q the lcm of the denominators. O(weights)."""
    q = lcm(*(x.denominator for r in W for x in r), *(x.denominator for x in b))
    return [[x.numerator * (q // x.denominator) for x in r] for r in W], \
        [x.numerator * (q // x.denominator) for x in b], q


def _homogeneous(z: Sequence[Fraction]) -> IntRow:
    """``(q, q·z)`` with q the lcm of the denominators (coprime). O(d)."""
    q = lcm(*(t.denominator for t in z)) if z else 1
    return (q, *[t.numerator * (q // t.denominator) for t in z])


def _lex_sign(row: Sequence[int]) -> int:
    """Sign of ``row`` along ``(e, e^2, ..., e^d)``: of its first non-zero normal entry."""
    for a in row[1:]:
        if a:
            return 1 if a > 0 else -1
    return 0


def _forward(net: ReluNetwork, xh: IntRow) -> tuple[tuple[int, ...], list[tuple[IntRow, Neuron]], tuple[Neuron, ...]]:
    """Pattern at *xh* (lexicographic on hyperplanes), the non-constant signed neuron rows, the tight neurons.

    Composes the local affine maps exactly as integer matrices over one denominator per
    layer (python-flint ``fmpz_mat``): O(sum_l n_l · active_{l-1} · (d + 1)) big-integer
    operations.
    """
    d = net.input_dim
    bits: list[int] = []
    rows: list[tuple[IntRow, Neuron]] = []
    tight: list[Neuron] = []
    x_col = flint.fmpz_mat([[v] for v in xh])
    prev_bits: list[int] = []
    act: flint.fmpz_mat | None = None  # active outputs of the previous layer, rows (c, A), over den
    den = 1
    for l in range(net.n_hidden_layers):
        Wi, bi, q = _integer_layer(net.weights[l], net.biases[l])
        if l == 0:
            P = flint.fmpz_mat([[bv, *r] for r, bv in zip(Wi, bi)])
        else:
            on = [j for j, v in enumerate(prev_bits) if v]
            left = flint.fmpz_mat([[r[j] for j in on] + [bv] for r, bv in zip(Wi, bi)])
            base = ([] if act is None else act.tolist()) + [[den] + [0] * d]
            P = left * flint.fmpz_mat(base)
        den *= q
        vals = [int(v) for v in (P * x_col).entries()]
        P_rows = [[int(v) for v in r] for r in P.tolist()]
        layer_bits = []
        for i, (r, v) in enumerate(zip(P_rows, vals)):
            s = (1 if v > 0 else -1) if v else _lex_sign(r)
            if v == 0 and s:
                tight.append((l, i))
            constant = not any(r[1:])
            bit = 1 if (s > 0 if not constant else r[0] > 0) else 0
            layer_bits.append(bit)
            if not constant:
                c = coprime(tuple(r))
                rows.append((c if bit else negated(c), (l, i)))
        prev_bits = layer_bits
        bits += layer_bits
        kept = [r for r, bv in zip(P_rows, layer_bits) if bv]
        act = flint.fmpz_mat(kept) if kept else None
    return tuple(bits), rows, tuple(tight)


def _inequalities(d: int, box: Fraction | None, rows: list[tuple[IntRow, Neuron]]) -> tuple[RegionInequality, ...]:
    """Group equal canonical rows (neurons and walls) into inequalities, sorted by row."""
    supp: dict[IntRow, tuple[list[Neuron], list[Wall]]] = {}
    for r, n in rows:
        supp.setdefault(r, ([], []))[0].append(n)
    if box is not None:
        p, q = box.numerator, box.denominator
        for j in range(d):
            for side in (-1, 1):
                r = (p, *[(-side * q if k == j else 0) for k in range(d)])
                supp.setdefault(r, ([], []))[1].append((j, side))
    return tuple(RegionInequality(r, tuple(sorted(ns)), tuple(sorted(ws))) for r, (ns, ws) in sorted(supp.items()))


# ---------------------------------------------------------------------------------------------
# exact evaluation of many rows at many points


class _Rows:
    """The inequalities as one exact integer matrix (non-wall rows) plus the box walls.

    :meth:`values` evaluates every row at a batch of homogeneous points with one
    ``fmpz_mat`` product: O(m · (d + 1) · k) big-integer operations for k points (walls:
    O(d k)). :meth:`facet_checks` and :meth:`strictly_inside` decide the same signs with a
    certified floating-point filter first (:func:`_filtered_signs`) and exact integers
    only where the filter cannot decide.
    """

    def __init__(self, ineqs: Sequence[RegionInequality], d: int, box: Fraction | None) -> None:
        self.m = len(ineqs)
        self.d = d
        self.general = [i for i, q in enumerate(ineqs) if not q.walls]
        self.walls = [(i, q.walls[0]) for i, q in enumerate(ineqs) if q.walls]
        self.wall_index = {w: i for i, w in self.walls}  # wall (axis, side) -> its inequality
        self.rows = [q.row for q in ineqs]
        self.M = flint.fmpz_mat([list(self.rows[i]) for i in self.general]) if self.general else None
        self.box = box
        self._scaled: Any = None

    def values(self, points: Sequence[IntRow]) -> list[list[int]]:
        """``out[k][i]`` = row i at point k (homogeneous), exactly."""
        k = len(points)
        out = [[0] * self.m for _ in range(k)]
        if self.M is not None and k:
            V = (self.M * flint.fmpz_mat([list(c) for c in zip(*points)])).tolist()
            for a, i in enumerate(self.general):
                for t, v in enumerate(V[a]):
                    out[t][i] = int(v)
        for i, _ in self.walls:
            r = self.rows[i]
            j = next(c for c in range(1, len(r)) if r[c])
            for t, p in enumerate(points):
                out[t][i] = r[0] * p[0] + r[j] * p[j]
        return out

    def value(self, i: int, p: IntRow) -> int:
        """Row i at the homogeneous point *p*, exactly. O(d)."""
        return sum(a * b for a, b in zip(self.rows[i], p) if a)

    def scaled(self) -> tuple[Any, Any]:
        """The rows scaled by powers of two into floats (:func:`_scaled_floats`), cached."""
        if self._scaled is None:
            self._scaled = _scaled_floats(self.rows)
        return self._scaled

    def facet_checks(self, cand: Sequence[tuple[int, IntRow]]) -> list[bool]:
        """For each ``(i, p)``: is row i zero at p and every other row positive there? Exact."""
        out = []
        for lo in range(0, len(cand), _FILTER_BLOCK):
            blk = cand[lo:lo + _FILTER_BLOCK]
            sure, unsure = _filtered_signs(self, [p for _, p in blk])
            for t, (i, p) in enumerate(blk):
                if self.value(i, p) != 0:
                    out.append(False)
                    continue
                ok = True
                for j in unsure[t]:
                    if j != i and self.value(int(j), p) <= 0:
                        ok = False
                        break
                out.append(ok and all(j == i for j in sure[t]))
        return out

    def strictly_inside(self, p: IntRow) -> bool:
        """Is every row positive at the homogeneous point *p*? Exact."""
        sure, unsure = _filtered_signs(self, [p])
        return not len(sure[0]) and all(self.value(int(j), p) > 0 for j in unsure[0])


_FILTER_BLOCK = 256  # points per float block of the filter (memory O(m · block))
_FILTER_BITS = 500  # rows and points with larger integers are evaluated exactly (no underflow below)


def _scaled_floats(vectors: Sequence[IntRow]) -> tuple[Any, Any]:
    """``(X, ok)``: each integer vector times ``2^-e`` (e its largest bit length) as float64,
    correctly rounded, and whether the filter may use it (e <= ``_FILTER_BITS``)."""
    import numpy as np

    e = np.array([max(abs(v).bit_length() for v in r) for r in vectors], dtype=np.int64)
    ok = e <= _FILTER_BITS
    X = np.zeros((len(vectors), len(vectors[0]) if vectors else 0))
    for k, r in enumerate(vectors):
        if ok[k]:
            X[k] = np.array(r, dtype=float)  # int -> float64 is correctly rounded
    return np.ldexp(X, -e[:, None] * ok[:, None]), ok


def _filtered_signs(rows: _Rows, points: Sequence[IntRow]) -> tuple[list[Any], list[Any]]:
    """Per point: rows proven ``<= 0`` by the float filter, and rows it cannot decide.

    Every other row is proven positive at the point. The filter: rows ``r`` and points
    ``p`` scaled by powers of two to entries ``<= 1`` in magnitude and correctly rounded
    to float64 (relative error ``u = 2^-53`` per entry; entries are ``>= 2^-500`` so
    no product underflows and no sum overflows), ``S = R P`` and ``E = |R| |P|`` by BLAS
    (each entry a sum of n = d + 1 products in some order, with or without FMA). Then
    ``|S - r·p| <= gamma_{n+2} |r|·|p|`` (Higham, *Accuracy and Stability of Numerical
    Algorithms*, 2nd ed., §3.1 and Lemma 3.3, for any order of summation) and
    ``|r|·|p| <= E / (1 - gamma_n)``; ``4 (n + 2) u E`` bounds both with room for the
    rounding of the bound itself (n < 2^40). A sign is decided only when ``|S|`` exceeds
    that bound; rows or points with integers over ``_FILTER_BITS`` bits are undecided.
    O(m · n · k) flops for k points.
    """
    import numpy as np

    R, rok = rows.scaled()
    P, pok = _scaled_floats(points)
    n = R.shape[1]
    S = R @ P.T
    E = np.abs(R) @ np.abs(P).T
    bound = (4.0 * (n + 2) * 2.0 ** -53) * E
    undecided = (np.abs(S) <= bound) | ~rok[:, None] | ~pok[None, :]
    nonpos = (S < 0) & ~undecided
    return [np.flatnonzero(nonpos[:, t]) for t in range(len(points))], \
        [np.flatnonzero(undecided[:, t]) for t in range(len(points))]


# ---------------------------------------------------------------------------------------------
# floating-point proposals


def _float_rows(ineqs: Sequence[RegionInequality]) -> Any:
    """The rows as unit-normal float64 rows ``(b, a) / |a|`` (proposals only)."""
    import numpy as np

    out = np.empty((len(ineqs), len(ineqs[0].row)))
    for i, q in enumerate(ineqs):
        shift = max(0, max(abs(v).bit_length() for v in q.row) - 900)
        if shift:
            s = 1 << shift
            out[i] = [v / s for v in q.row]  # int / int: correctly rounded
        else:
            out[i] = np.array(q.row, dtype=float)  # int -> float64: correctly rounded, the same values
    norms = np.linalg.norm(out[:, 1:], axis=1)
    return out / norms[:, None]


def _chebyshev(F: Any) -> Any | None:
    """A float point deep inside ``F >= 0`` (Chebyshev centre, radius capped at 1), or None."""
    import numpy as np
    from scipy.optimize import linprog

    m, k = F.shape
    A = np.hstack([-F[:, 1:], np.ones((m, 1))])  # -a y + r <= b
    c = np.zeros(k)
    c[-1] = -1.0
    # interior point method: several times faster than the simplex on these (dense, m >> d) LPs
    res = linprog(c, A_ub=A, b_ub=F[:, 0], bounds=[(None, None)] * (k - 1) + [(0, 1)], method="highs-ipm")
    if res.status != 0 or res.x[-1] <= 0:
        return None
    return res.x[:-1]


def _ray_point(ci: IntRow, ci_vals: Sequence[int], yh: IntRow, y_val_i: int, i: int) -> IntRow | None:
    """The exact point where the segment from ``c`` (value ``ci_vals[i] > 0`` of row i) to
    ``y`` (value ``y_val_i < 0``) crosses hyperplane i, homogeneous, or None."""
    a, b = ci_vals[i], y_val_i
    if not (a > 0 > b):
        return None
    # z_h = -b c_h + a y_h: a convex combination of c and y (weights -b c_0, a y_0 > 0), row_i(z_h) = 0
    z = [-b * u + a * v for u, v in zip(ci, yh)]
    g = gcd(*z)
    return tuple(t // g for t in z)


# ---------------------------------------------------------------------------------------------
# exact multipliers on a proposed support


def _multipliers(rows: Sequence[IntRow], i: int, support: Sequence[int]) -> RedundancyCertificate | None:
    """Exact ``lambda >= 0`` on *support* with ``a_i = sum lambda_j a_j`` and slack ``>= 0``, or None."""
    support = [j for j in support if j != i]
    if not support:
        return None
    d = len(rows[i]) - 1
    M = flint.fmpq_mat(d, len(support) + 1, [v for k in range(1, d + 1)
                                             for v in [rows[j][k] for j in support] + [rows[i][k]]])
    R, rank = M.rref()
    n = len(support)
    sol = [Fraction(0)] * n
    for r in range(rank):
        piv = next(c for c in range(n + 1) if R[r, c] != 0)
        if piv == n:
            return None  # inconsistent
        sol[piv] = Fraction(int(R[r, n].p), int(R[r, n].q))
    if any(s < 0 for s in sol):
        return None
    slack = rows[i][0] - sum(s * rows[j][0] for s, j in zip(sol, support))
    if slack < 0:
        return None
    cert = RedundancyCertificate(tuple((j, s) for j, s in sorted(zip(support, sol)) if s), Fraction(slack))
    return cert if cert.multipliers or slack else None


# ---------------------------------------------------------------------------------------------
# the analytic centre and Dikin rays (proposals only)


class _Barrier:
    """The log barrier ``-sum_j w_j log s_j(x)`` of the unit float rows ``F`` (``s = F_0 + A x``).

    ``A`` is split into its dense rows (BLAS) and its sparse rows (``scipy.sparse``: walls,
    convolution neurons), so the Hessian ``A^T diag(w / s^2) A`` costs
    O(dense rows · d^2 + sum over sparse rows of nnz^2) instead of O(m d^2).
    """

    def __init__(self, F: Any) -> None:
        import numpy as np
        from scipy.sparse import csr_matrix

        self.b = F[:, 0]
        self.A = F[:, 1:]
        self.S = csr_matrix(self.A)
        self.ST = self.S.T.tocsr()
        d = self.A.shape[1]
        nnz = np.diff(self.S.indptr)
        self.dense = np.flatnonzero(nnz > _LOCAL_SUPPORT * d)
        self.sparse = np.flatnonzero(nnz <= _LOCAL_SUPPORT * d)
        self.Ad = self.A[self.dense]
        self.Sp = self.S[self.sparse].tocsr()
        self.SpT = self.Sp.T.tocsr()

    def slacks(self, x: Any) -> Any:
        return self.b + self.S @ x

    def hessian(self, v: Any) -> Any:
        """``A^T diag(v) A``, dense d x d."""
        from scipy.sparse import diags

        H = (self.Ad * v[self.dense, None]).T @ self.Ad
        if self.sparse.size:
            H += (self.SpT @ diags(v[self.sparse]) @ self.Sp).toarray()
        return H

    def centre(self, x: Any, w: Any, iters: int = 60) -> tuple[Any, Any]:
        """Damped Newton (backtracking on the barrier) from the interior point *x*: the weighted
        analytic centre (approximately) and the Cholesky factor of the Hessian there, or
        ``(x, None)`` if the Hessian is singular (an unbounded region)."""
        import numpy as np
        from scipy.linalg import LinAlgError, cho_factor, cho_solve

        def f(y: Any) -> float:
            s = self.slacks(y)
            return float(-(w * np.log(s)).sum()) if s.min() > 0 else np.inf

        fx = f(x)
        if not np.isfinite(fx):
            return x, None
        for _ in range(iters):
            s = self.slacks(x)
            g = -(self.ST @ (w / s))
            try:
                C = cho_factor(self.hessian(w / s ** 2))
            except (LinAlgError, ValueError):
                return x, None
            dx = -cho_solve(C, g)
            dec = float(g @ dx)  # minus the squared Newton decrement
            if not dec < -1e-14:
                break
            t = 1.0
            while t > 1e-12:
                fn = f(x + t * dx)
                if fn <= fx + 0.25 * t * dec:
                    break
                t *= 0.5
            else:
                break
            x, fx = x + t * dx, fn
        s = self.slacks(x)
        try:
            return x, cho_factor(self.hessian(w / s ** 2))
        except (LinAlgError, ValueError):
            return x, None


_RAY_BLOCK = 512  # ray directions handled at a time (memory O(m · block))


def _rays(bar: _Barrier, x: Any, pending: Any, proposals: dict[int, Any], chol: Any = None) -> int:
    """Rays from the interior point *x* towards every pending hyperplane: proposals.

    The ray towards hyperplane i is ``x - t d_i`` with ``d_i = H^-1 a_i`` (Dikin: the
    closest point of the hyperplane in the metric of the barrier's Hessian H at x, given
    by its Cholesky factor *chol*) or, without *chol*, ``d_i = a_i`` (the perpendicular
    foot). Along it ``s_j(t) = s_j - t (A d_i)_j``: if row i is reached first (by a margin)
    its point proposes i as a facet; if another open row k is reached first by a margin,
    the point proposes k. Settled rows leave *pending*. Returns how many were proposed.
    O(nnz(A) · open + d^2 · open) flops, blocks of ``_RAY_BLOCK`` rays.
    """
    import numpy as np
    from scipy.linalg import cho_solve

    s = bar.slacks(x)
    if s.min() <= 0:
        return 0
    tol = 1e-9 * float(s.max())
    idx = np.flatnonzero(pending)
    found = 0
    for lo in range(0, idx.size, _RAY_BLOCK):
        blk = idx[lo:lo + _RAY_BLOCK]
        blk = blk[pending[blk]]
        if not blk.size:
            continue
        D = bar.A[blk].T
        if chol is not None:
            D = cho_solve(chol, D)
        T = np.asarray(bar.S @ D)  # (A d_i)_j, m x block
        cols = np.arange(blk.size)
        with np.errstate(divide="ignore", invalid="ignore"):
            R = np.where(T > 0, s[:, None] / T, np.inf)  # where each row is reached
        own = R[blk, cols].copy()
        R[blk, cols] = np.inf
        first = R.argmin(axis=0)
        for t, i in enumerate(blk.tolist()):
            if np.isfinite(own[t]) and _ray_settles(i, own[t], s, T[:, t], x, D[:, t], tol, proposals, pending):
                found += 1
                continue
            k = int(first[t])
            if pending[k] and np.isfinite(R[k, t]) and _ray_settles(k, R[k, t], s, T[:, t], x, D[:, t], tol,
                                                                    proposals, pending):
                found += 1
    return found



def _ray_settles(r: int, tr: Any, s: Any, Tcol: Any, x: Any, Dcol: Any, tol: float,
                 proposals: dict[int, Any], pending: Any) -> bool:
    """Does the ray ``x - t Dcol`` (slopes ``Tcol``) reach row r's hyperplane at ``tr`` with every
    other float slack above *tol*? Then its point proposes row r (and r is no longer pending)."""
    import numpy as np

    hit = s - tr * Tcol
    hit[r] = np.inf
    if hit.min() <= tol:
        return False
    proposals[r] = x - tr * Dcol
    pending[r] = False
    return True


_DIKIN_MIN = 64  # fewer open inequalities after the feet: no Dikin rays (their LPs cost less than the centre)
_DIKIN_ROUNDS = 4  # weighted analytic centres tried after the plain one
_DIKIN_WEIGHT = 0.1  # barrier weight of the still open rows in those rounds


def _dikin(bar: _Barrier, x: Any, pending: Any, proposals: dict[int, Any]) -> tuple[Any, Any]:
    """Proposals from Dikin rays at the analytic centre, then at weighted analytic centres.

    The analytic centre of the float region (damped Newton on the log barrier from the
    interior point *x*) and its Hessian H give rays that follow the region's shape
    (:func:`_rays`); then, while rays settle anything, the centre is recomputed with
    weight ``_DIKIN_WEIGHT`` on the open rows (it moves towards their hyperplanes) and
    rays are cast again. Each round: a few Newton steps (Hessian O(dense rows · d^2 +
    sparse nnz^2), Cholesky O(d^3)) and the rays (O(nnz(A) · open)).
    """
    import numpy as np

    w = np.ones(bar.A.shape[0])
    chol = None
    for r in range(_DIKIN_ROUNDS + 1):
        if not pending.any():
            break
        if r:
            w = np.where(pending, _DIKIN_WEIGHT, 1.0)
        x, chol = bar.centre(x, w)
        if chol is None:
            break
        got = _rays(bar, x, pending, proposals, chol)
        if r and not got:
            break
    return x, chol


_PUSH_STEPS = 14  # chord steps of the batched pushes


def _pushes(bar: _Barrier, x: Any, chol: Any, pending: Any, proposals: dict[int, Any]) -> int:
    """Batched pushes beyond every open hyperplane from the analytic centre (proposals only).

    For each open row i, from *x*: chord Newton steps (the Hessian H at *x*, factor *chol*,
    reused for every step and row) on ``tau_i s_i(y) - sum_{j != i} log s_j(y)`` with
    ``tau_i = 2^k / s_i(x)`` at step k, each step shortened to stay at 90% of the way to
    the nearest other hyperplane. When ``s_i(y) < 0`` the segment from x to y crosses
    hyperplane i strictly inside every other inequality (convexity): the crossing is
    proposed as i's facet point. Rows not beyond after ``_PUSH_STEPS`` steps stay open.
    Per step and block of ``_RAY_BLOCK`` rows: two sparse products with A
    (O(nnz(A) · block)) and one triangular solve pair (O(d^2 · block)).
    """
    import numpy as np
    from scipy.linalg import cho_solve

    b, A, S, ST = bar.b, bar.A, bar.S, bar.ST
    s = bar.slacks(x)
    if s.min() <= 0:
        return 0
    found = 0
    idx = np.flatnonzero(pending)
    for lo in range(0, idx.size, _RAY_BLOCK):
        blk = idx[lo:lo + _RAY_BLOCK]
        Y = np.repeat(x[:, None], blk.size, axis=1)
        tau = 1.0 / s[blk]
        live = np.arange(blk.size)
        for _ in range(_PUSH_STEPS):
            rows = blk[live]
            cols = np.arange(live.size)
            Yl = Y[:, live]
            Sy = b[:, None] + S @ Yl
            W = 1.0 / Sy
            W[rows, cols] = 0.0
            G = tau[live][None, :] * A[rows].T - ST @ W
            DY = -cho_solve(chol, G)
            T = S @ DY
            with np.errstate(divide="ignore", invalid="ignore"):
                reach = np.where(T < 0, -Sy / T, np.inf)
            reach[rows, cols] = np.inf
            Yl = Yl + DY * np.minimum(1.0, 0.9 * reach.min(axis=0))[None, :]
            Y[:, live] = Yl
            tau[live] *= 2.0
            val = b[rows] + np.einsum("ij,ji->i", A[rows], Yl)
            for t in np.flatnonzero(val < 0).tolist():
                i = int(rows[t])
                proposals[i] = x + (s[i] / (s[i] - val[t])) * (Yl[:, t] - x)
                pending[i] = False
                found += 1
            live = live[val >= 0]
            if not live.size:
                break
    return found


_NEWTON_STEPS = 60  # damped Newton steps of one row's central path


def _newton_pushes(bar: _Barrier, x: Any, pending: Any, proposals: dict[int, Any], todo: Any) -> int:
    """The central path of ``min s_i`` over the other rows, one row i of *todo* at a time (proposals only).

    From the interior point *x*, damped Newton steps (the exact Hessian of the barrier at
    each step, :meth:`_Barrier.hessian`) on ``tau s_i(y) - sum_{j != i} log s_j(y)``, with
    tau multiplied by 10 whenever the point is nearly centred (Newton decrement < 1). When
    ``s_i(y) < 0`` the segment from x to y crosses hyperplane i inside every other
    inequality: the crossing is proposed. Near the path the LP's minimum is at least
    ``s_i(y) - m / tau``; when that is positive (i is redundant in floats) or after
    ``_NEWTON_STEPS`` steps the row stays open for an LP. Per step O(dense rows · d^2 +
    sparse nnz^2 + d^3); meant for the few dense rows the batched steps leave open.
    """
    import numpy as np
    from scipy.linalg import LinAlgError, cho_factor, cho_solve

    b, A, S, ST = bar.b, bar.A, bar.S, bar.ST
    m = A.shape[0]
    s0 = bar.slacks(x)
    if s0.min() <= 0:
        return 0
    found = 0
    for i in todo.tolist():
        y = x.copy()
        tau = 1.0 / s0[i]
        for _ in range(_NEWTON_STEPS):
            s = bar.slacks(y)
            s[i] = 1.0
            if not s.min() > 0 or not np.isfinite(s).all():
                break
            w = 1.0 / s
            w[i] = 0.0
            g = tau * A[i] - ST @ w
            try:
                dy = -cho_solve(cho_factor(bar.hessian(w * w)), g)
            except (LinAlgError, ValueError):
                break
            lam = float(np.sqrt(max(-(g @ dy), 0.0)))
            T = S @ dy
            T[i] = 0.0
            neg = T < 0
            reach = float((-s[neg] / T[neg]).min()) if neg.any() else np.inf
            y = y + min(1.0 / (1.0 + lam) if lam > 0.25 else 1.0, 0.99 * reach) * dy
            vi = float(b[i] + A[i] @ y)
            if vi < 0:
                proposals[i] = x + (s0[i] / (s0[i] - vi)) * (y - x)
                pending[i] = False
                found += 1
                break
            if lam < 1.0:
                if vi > 2.0 * m / tau:
                    break  # the LP's minimum is positive: redundant (in floats)
                tau *= 10.0
    return found


# ---------------------------------------------------------------------------------------------
# the public functions


def _check_args(net: Any, x: Any, box: Any) -> tuple[tuple[Fraction, ...], Fraction | None]:
    if not isinstance(net, ReluNetwork):
        raise NetworkFormatError(f"net: expected a ReluNetwork, got {type(net).__name__}")
    d = net.input_dim
    if isinstance(x, (str, bytes)) or not hasattr(x, "__len__"):
        raise DomainError(f"x: expected a sequence of {d} numbers, got {x!r}"[:200])
    if len(x) != d:
        raise DomainError(f"x: expected {d} coordinates, got {len(x)}")
    q = tuple(to_fraction(t, name=f"x[{j}]") for j, t in enumerate(x))
    B = None
    if box is not None:
        B = to_fraction(box, name="box")
        if B <= 0:
            raise DomainError(f"box: expected a positive rational, got {box!r}")
        if not all(-B < t < B for t in q):
            raise DomainError(f"x: the point must lie in the open box (-{B}, {B})^{d}")
    return q, B


def region_at(net: ReluNetwork, x: Sequence[Any], box: Any = None) -> CertifiedRegion:
    """The activation region containing *x*: its exact inequalities, facets and certificates.

    Parameters
    ----------
    net : ReluNetwork
        Any input dimension.
    x : sequence of numbers
        d coordinates, read exactly (:func:`~exactpoly.rational.to_fraction`).
    box : number, optional
        ``B > 0``: the region is intersected with ``[-B, B]^d`` and *x* must lie in the open
        box ``(-B, B)^d``; None (default): R^d.

    Returns
    -------
    CertifiedRegion
        ``n_facets``, ``facets`` (with supporting neurons and walls), every inequality
        and one exact certificate per inequality (:func:`check_certificates`).

    Notes
    -----
    *Regions* are those of ``docs/conventions.md`` §"Activation regions": a neuron whose
    pre-activation is constant on the region gives no inequality (off when that constant
    is <= 0), neurons with the same hyperplane on the region give one inequality that lists
    them all. When *x* lies on the hyperplane of one or more neurons (pre-activation 0 at
    *x*, not constant on the region) it is on the boundary of several regions; this
    function returns the one containing ``x + (e, e^2, ..., e^d)`` for all small ``e > 0``
    (each such neuron's bit is the sign of the first non-zero coefficient of its
    pre-activation's linear part) and lists those neurons in ``on_hyperplanes``;
    :meth:`RegionComplex.locate <exactpoly.complex.regions.RegionComplex.locate>` lists
    all regions at a point for small nets.

    Steps and costs, with m inequalities, F facets, d inputs:

    1. the exact forward pass, ``fmpz_mat`` products, O(sum_l n_l · n_{l-1} · d);
    2. an exact interior point c (a float Chebyshev centre by HiGHS's interior point
       method, checked exactly, else x perturbed as above);
    3. proposals: the feet of the perpendiculars from c on every hyperplane, read off one
       float Gram matrix (O(m^2 d) flops; above ``_GRAM_MAX`` inequalities blocked
       products with the sparse rows instead, O(nnz · m)), and where such a ray leaves
       the region through another hyperplane first, its exit point for that one; when
       at least ``_DIKIN_MIN`` stay open (thin regions), batched proposals for all of
       them at once: Dikin rays ``x_a - t H^-1 a_i`` from the analytic centre x_a
       (damped Newton on the log barrier, Hessian H; :func:`_dikin`, O(nnz · open) per
       round) and from weighted analytic centres, then chord-Newton pushes beyond every
       open hyperplane with H fixed (:func:`_pushes`, O(nnz · open) per step), then one
       Newton central path of ``min s_i`` per open dense row (:func:`_newton_pushes`,
       O(dense rows · d^2 + d^3) per step); in a box, for each open
       sparse inequality (at most ``_LOCAL_SUPPORT · d`` non-zeros: convolution neurons,
       walls) two small LPs over a window of coordinates (:func:`_local_lps`); for the
       inequalities these do not settle, one HiGHS LP each (min row_i subject to the others; with
       :mod:`highspy`, or scipy's copy of its bindings, the matrix is built once and each
       solve is warm-started primal simplex), and after each LP the feet from a point
       near the new facet (O(m · open) each);
    4. exact checks: each proposed point is rounded to a dyadic grid and moved along one
       axis exactly onto its hyperplane, then all are checked by a certified float filter
       (:func:`_filtered_signs`, O(m · d · F) flops) with exact integers where it cannot
       decide; exact multipliers: in a box the float dual rounded and its residual
       absorbed exactly by the walls (:func:`_box_certificate`, O(sum nnz)), else (or if
       that slack is negative) on the LP dual's support by ``fmpq_mat`` rref;
    5. any failure: an exact LP (``cdd.gmp``) over all inequalities settles it.

    Examples
    --------
    >>> from exactpoly import network_from_layers
    >>> # two coincident neurons (x and 2x) and a dead one (0·x)
    >>> net = network_from_layers(1, [([[1], [2], [0]], [0, 0, 0]), ([[1, 1, 1]], [0])])
    >>> reg = region_at(net, [3])
    >>> reg.pattern, [(q.row, q.neurons) for q in reg.facets]
    ((1, 1, 0), [((0, 1), ((0, 0), (0, 1)))])
    >>> region_at(net, [0]).pattern, region_at(net, [0]).on_hyperplanes   # on x = 0: the side x > 0
    ((1, 1, 0), ((0, 0), (0, 1)))
    """
    q, B = _check_args(net, x, box)
    d = net.input_dim
    xh = _homogeneous(q)
    pattern, nrows, tight = _forward(net, xh)
    ineqs = _inequalities(d, B, nrows)
    if not ineqs:
        return CertifiedRegion(d, B, q, pattern, tight, (), (), xh)
    rows = _Rows(ineqs, d, B)
    certs, c, fallbacks = _classify(ineqs, rows, xh, bool(tight))
    return CertifiedRegion(d, B, q, pattern, tight, ineqs, certs, c, fallbacks)


def _interior(ineqs: Sequence[RegionInequality], rows: _Rows, xh: IntRow, on_boundary: bool, F: Any) -> IntRow:
    """An exact point strictly inside every inequality."""
    y = _chebyshev(F)
    if y is not None:
        ch = dyadic_point(y)
        if rows.strictly_inside(ch):
            return ch
    if not on_boundary:
        return xh
    k = 1
    while True:  # x + (e, e^2, ..., e^d), e = 2^-k: inside for k large enough
        e = Fraction(1, 1 << k)
        x = [Fraction(t, xh[0]) for t in xh[1:]]
        ph = _homogeneous([t + e ** (j + 1) for j, t in enumerate(x)])
        if rows.strictly_inside(ph):
            return ph
        k *= 2


@contextmanager
def _one_blas_thread() -> Iterator[None]:
    """One BLAS thread for the block, when :mod:`threadpoolctl` is installed (else no change).

    The batched steps factor many d x d matrices: on a shared 2-core machine a
    multi-threaded OpenBLAS Cholesky of d = 784 measured 4-5x the CPU seconds of one
    thread (threads spin while waiting).
    """
    try:
        from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]
    except ImportError:
        yield
        return
    with threadpool_limits(limits=1, user_api="blas"):
        yield


@contextmanager
def _quiet_stdout() -> Iterator[None]:
    """Silence file descriptor 1 (C libraries' prints) for the block."""
    import os
    import sys

    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


_GRAM_BLOCK = 1024  # columns of the float Gram matrix computed at a time (memory O(m · block))
_GRAM_MAX = 8192  # more inequalities: no m x m Gram matrix (memory), blocked rays instead

#: Diagnostics for benchmarks: when set to a list, :func:`region_at` appends one
#: ``(phase, CPU seconds, count)`` per phase of its classification (count: proposals made,
#: LPs run, points checked or exact LPs, by phase). None (default): nothing is recorded.
_STATS: list[tuple[str, float, int]] | None = None
_clock = [0.0]


def _phase(name: str, count: int = 0) -> None:
    """Record the CPU seconds since the last phase under *name* in ``_STATS`` (if set)."""
    import os

    t = os.times()
    now = t.user + t.system
    if _STATS is not None and name != "start":
        _STATS.append((name, now - _clock[0], count))
    _clock[0] = now


def _highs_module() -> Any:
    """:mod:`highspy`, else the same bindings that scipy (>= 1.15) ships, else None.

    Only ``Highs`` (the class), ``kHighsInf`` and ``HighsModelStatus`` are used.
    """
    try:
        import highspy

        return highspy
    except ImportError:
        pass
    try:
        from types import SimpleNamespace

        from scipy.optimize._highspy import _core  # private, but the same HiGHS bindings
    except ImportError:
        return None
    return SimpleNamespace(Highs=_core._Highs, kHighsInf=_core.kHighsInf, HighsModelStatus=_core.HighsModelStatus)


class _FloatLP:
    """``min row_i`` subject to every other row ``>= 0`` and ``row_i >= -1``, float (proposals only).

    With :mod:`highspy` installed the constraint matrix is built once and each solve only
    changes the objective and one row bound, so the dual simplex starts from the previous
    basis (warm start); otherwise each solve is one :func:`scipy.optimize.linprog` (HiGHS).
    :meth:`solve` returns ``("beyond", y)`` (``row_i(y) < 0``), ``("redundant", support)``
    (optimum >= 0; the dual's support proposes multipliers) or ``("failed", None)``.
    """

    def __init__(self, F: Any) -> None:
        import numpy as np

        self.F = F
        self.m, k = F.shape
        self.n = k - 1
        self.h: Any = None
        self.dual: Any = None  # the last "redundant" solve's dual (multipliers of the unit rows F)
        self.highs = highspy = _highs_module()
        if highspy is None:  # scipy's linprog instead
            return
        with _quiet_stdout():  # HiGHS prints a banner on stdout when constructed
            h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("threads", 1)
        h.setOptionValue("presolve", "off")  # keep the basis between solves (warm start)
        h.setOptionValue("simplex_strategy", 4)  # primal simplex: a new objective keeps the basis feasible
        inf = highspy.kHighsInf
        n = k - 1
        h.addVars(n, np.full(n, -inf), np.full(n, inf))  # n = self.n
        A = np.ascontiguousarray(F[:, 1:])
        nz = A != 0
        starts = np.concatenate([[0], np.cumsum(nz.sum(axis=1))[:-1]]).astype(np.int32)
        idx = np.nonzero(nz)[1].astype(np.int32)
        h.addRows(self.m, -F[:, 0], np.full(self.m, inf), int(nz.sum()), starts, idx, A[nz])
        self.h = h

    def solve(self, i: int) -> tuple[str, Any]:
        import numpy as np

        F = self.F
        if self.h is None:
            from scipy.optimize import linprog

            bnd = F[:, 0].copy()
            bnd[i] += 1.0
            res = linprog(F[i, 1:], A_ub=-F[:, 1:], b_ub=bnd, bounds=[(None, None)] * self.n, method="highs")
            if res.status != 0:
                return "failed", None
            y, lam = np.asarray(res.x), -np.asarray(res.ineqlin.marginals)
        else:
            highspy = self.highs
            h = self.h
            h.changeColsCost(self.n, np.arange(self.n, dtype=np.int32), F[i, 1:])
            h.changeRowBounds(i, -F[i, 0] - 1.0, highspy.kHighsInf)
            h.run()
            ok = h.getModelStatus() == highspy.HighsModelStatus.kOptimal
            sol = h.getSolution()
            h.changeRowBounds(i, -F[i, 0], highspy.kHighsInf)
            if not ok:
                return "failed", None
            y, lam = np.asarray(sol.col_value), np.asarray(sol.row_dual)
        if F[i, 0] + float(F[i, 1:] @ y) < 0:
            return "beyond", y
        lam = lam.copy()
        lam[i] = 0.0
        self.dual = lam
        top = float(lam.max()) if lam.size else 0.0
        return "redundant", [int(j) for j in np.flatnonzero(lam > 1e-12 * top)] if top > 0 else []


def _classify(ineqs: Sequence[RegionInequality], rows: _Rows, xh: IntRow, on_boundary: bool
              ) -> tuple[tuple[Certificate, ...], IntRow, int]:
    """One certificate per inequality (see :func:`region_at`, Notes) and the interior point used."""
    import numpy as np

    m = len(ineqs)
    R = [q.row for q in ineqs]
    _phase("start")
    F = _float_rows(ineqs)
    c = _interior(ineqs, rows, xh, on_boundary, F)
    _phase("centre")
    c_vals = rows.values([c])[0]
    cf = np.array([t / c[0] for t in c[1:]], dtype=float)
    s = F[:, 0] + F[:, 1:] @ cf  # float slacks at c (unit normals)
    certs: list[Certificate | None] = [None] * m
    proposals: dict[int, Any] = {}
    # 1. perpendicular feet z_i = c' - s'_i a_i from interior points c': the others' slacks there
    #    are s'_j - s'_i G_ji, so one Gram matrix serves every centre at O(m · pending) each
    #    (above _GRAM_MAX inequalities the Gram matrix is not stored: blocked rays instead)
    G = F[:, 1:] @ F[:, 1:].T if m <= _GRAM_MAX else None
    pending = np.ones(m, dtype=bool)
    bar = _Barrier(F) if G is None else None  # built when first needed (sparse copies of the rows)

    def feet(cp: Any) -> None:
        if G is None:
            assert bar is not None
            _rays(bar, cp, pending, proposals)
            return
        sp = F[:, 0] + F[:, 1:] @ cp
        if sp.min() <= 0:
            return
        idx = np.flatnonzero(pending)
        for lo in range(0, idx.size, _GRAM_BLOCK):
            blk = idx[lo:lo + _GRAM_BLOCK]
            M = sp[:, None] - G[:, blk] * sp[blk][None, :]
            M[blk, np.arange(blk.size)] = np.inf
            for i in blk[M.min(axis=0) > 1e-9 * sp.max()]:
                proposals[int(i)] = cp - sp[i] * F[i, 1:]  # the foot: on hyperplane i, inside the others
                pending[i] = False
            # where the ray from cp towards hyperplane i first leaves the region instead: that
            # row k's hyperplane, if hit first by a margin (then the hit point proposes k)
            Gb = G[:, blk]
            with np.errstate(divide="ignore", invalid="ignore"):
                T = np.where(Gb > 0, sp[:, None] / Gb, np.inf)
            first = T.argmin(axis=0)
            for t, k in enumerate(first.tolist()):
                if not pending[k] or not np.isfinite(T[k, t]):
                    continue
                hit = sp - T[k, t] * Gb[:, t]
                hit[k] = np.inf
                if hit.min() > 1e-9 * sp.max():
                    proposals[k] = cp - T[k, t] * F[blk[t], 1:]
                    pending[k] = False

    def crossing(i: int, y: Any) -> Any:
        """Where the segment from c to y (beyond hyperplane i) crosses it, in floats."""
        yi = float(F[i, 0] + F[i, 1:] @ y)
        return cf + (s[i] / (s[i] - yi)) * (y - cf)

    feet(cf)
    _phase("feet", len(proposals))
    if pending.sum() >= _DIKIN_MIN:  # 1b. Dikin rays from (weighted) analytic centres
        n0 = len(proposals)
        bar = bar or _Barrier(F)
        with _one_blas_thread():
            xa, chol = _dikin(bar, cf, pending, proposals)
            _phase("dikin", len(proposals) - n0)
            if chol is not None and pending.sum() >= _DIKIN_MIN:  # 1c. batched pushes beyond the open hyperplanes
                _phase("pushes", _pushes(bar, xa, chol, pending, proposals))
            if chol is not None:  # 1d. one central path per open dense row (their LPs are over all rows anyway)
                nnz = np.diff(bar.S.indptr)
                dense = np.flatnonzero(pending & (nnz > _LOCAL_SUPPORT * bar.A.shape[1]))
                _phase("newton", _newton_pushes(bar, xa, pending, proposals, dense))
    if rows.box is not None:  # 1e. LPs over the few variables and rows near each sparse inequality
        n0 = len(proposals) + sum(cert is not None for cert in certs)
        _local_lps(F, s, cf, pending, proposals, certs, R, rows)
        _phase("local_lps", len(proposals) + sum(cert is not None for cert in certs) - n0)
    lp = _FloatLP(F)
    todo: list[int] = []
    n_lps = 0
    while pending.any():  # 2. an LP for one inequality, then the feet from a point near its facet
        i = int(np.flatnonzero(pending)[0])
        pending[i] = False
        n_lps += 1
        kind, got = lp.solve(i)
        if kind == "beyond":
            proposals[i] = zf = crossing(i, got)
            feet(cf + 0.9 * (zf - cf))
        else:
            todo.append(i)
    _phase("lps", n_lps)
    failed: list[int] = []
    for attempt in range(2):
        # 2. one warm-started LP per inequality the feet did not settle
        if attempt:
            _phase("lps", len(todo))
        for i in todo:
            kind, got = lp.solve(i)
            if kind == "beyond":
                proposals[i] = crossing(i, got)
            elif kind == "redundant" and (cert := _lp_certificate(R, F, i, got, lp.dual, rows)) is not None:
                certs[i] = cert
            else:
                failed.append(i)
        # 3. exact checks of the proposed facet points, in one batch
        order = sorted(proposals)
        cand = [(i, _snap(R[i], dyadic_point(proposals[i]))) for i in order]
        todo = []
        for (i, p), ok in zip(cand, rows.facet_checks(cand)):
            if ok:
                certs[i] = FacetCertificate(p)
            else:
                todo.append(i)
        proposals = {}
        _phase("checks", len(cand))
        if attempt:
            failed += todo
        todo = [i for i in todo if i not in failed]  # a failed foot gets its LP once
    # 4. whatever the floats could not settle: an exact LP over all inequalities
    for i in sorted(set(failed)):
        if certs[i] is None:
            certs[i] = _exact_verdict(R, rows, c, c_vals, i)
    _phase("exact", len(set(failed)))
    assert all(cert is not None for cert in certs)
    return tuple(certs), c, len(set(failed))  # type: ignore[arg-type]


_LOCAL_SUPPORT = 1 / 12  # inequalities with at most this fraction of d non-zero normal entries get local LPs
_MULT_BITS = 64  # local multipliers are rounded to multiples of 2^-_MULT_BITS


def _local_lps(F: Any, s: Any, cf: Any, pending: Any, proposals: dict[int, Any], certs: list[Any],
               R: Sequence[IntRow], rows: _Rows) -> None:
    """Small LPs for the open sparse inequalities of a region in a box (proposals, then exact checks).

    For inequality i with normal support V (at most ``_LOCAL_SUPPORT · d`` coordinates,
    e.g. a convolution neuron or a box wall) and J the rows with a non-zero in V:

    * facet: maximise t over ``c + delta`` (delta on V only, first V the support, then
      the window W below) on hyperplane i with every row of J at least t (unit normals);
      rows outside J do not change, so t > 0 proposes a facet point (checked exactly with
      the others in :func:`_classify`);
    * redundancy: with W the union of the supports of the sparse rows of J and K the
      non-wall rows whose support lies in W, ``min row_i`` over ``row_K >= 0`` and the box
      on W, a relaxation of the region (its other rows dropped); a positive minimum
      proposes multipliers on K (the LP dual), and :func:`_box_certificate` makes them exact.

    Settled inequalities are taken off *pending*. One LP of |V| + 1 variables and |J| rows,
    and one of |W| variables and |K| rows, per open sparse inequality.
    """
    import numpy as np
    from scipy.optimize import linprog
    from scipy.sparse import csr_matrix, hstack

    m, k = F.shape
    d = k - 1
    A = csr_matrix(F[:, 1:])
    Ac = A.tocsc()
    nnz = np.diff(A.indptr)
    sparse = nnz <= _LOCAL_SUPPORT * d
    is_wall = np.zeros(m, dtype=bool)
    is_wall[[i for i, _ in rows.walls]] = True
    B = float(rows.box)  # type: ignore[arg-type]
    inW = np.zeros(d, dtype=bool)
    for i in np.flatnonzero(pending & sparse).tolist():
        S = A.indices[A.indptr[i]:A.indptr[i + 1]]
        J = np.unique(Ac[:, S].indices)
        Js = J[sparse[J] & (J != i)]
        W = np.unique(np.r_[S, A[Js].indices]) if Js.size else S
        found = False
        for V in (S, W):  # the facet LP moves the row's support, else the whole window
            J = np.unique(Ac[:, V].indices)
            J = J[J != i]
            sub = csr_matrix(A[J][:, V])
            res = linprog(np.r_[np.zeros(V.size), -1.0], A_ub=hstack([-sub, np.ones((J.size, 1))]).tocsr(),
                          b_ub=s[J], A_eq=np.r_[F[i, 1:][V], 0.0][None, :], b_eq=[-s[i]],
                          bounds=[(None, None)] * V.size + [(None, 1.0)], method="highs")
            if res.status == 0 and res.x[-1] > 1e-9:
                z = cf.copy()
                z[V] += res.x[:-1]
                proposals[i] = z
                found = True
                pending[i] = False
                break
            if V.size == W.size:
                break
        if found:
            continue
        inW[W] = True
        cand = np.unique(Ac[:, W].indices)
        K = [j for j in cand.tolist()
             if j != i and not is_wall[j] and inW[A.indices[A.indptr[j]:A.indptr[j + 1]]].all()]
        inW[W] = False
        if not K:
            continue
        AK = csr_matrix(A[K][:, W])
        res = linprog(F[i, 1:][W], A_ub=-AK, b_ub=F[K, 0], bounds=[(-B, B)] * W.size, method="highs")
        if res.status != 0 or res.fun + F[i, 0] <= 1e-9:
            continue
        lam = -np.asarray(res.ineqlin.marginals)
        cert = _box_certificate(R, F, i, K, lam, rows)
        if cert is not None:
            certs[i] = cert
            pending[i] = False


def _lp_certificate(R: Sequence[IntRow], F: Any, i: int, support: Sequence[int], dual: Any, rows: _Rows
                    ) -> RedundancyCertificate | None:
    """Exact multipliers from an LP dual: in a box first by :func:`_box_certificate` (exact
    integers, no linear solve), else (or if that fails) by :func:`_multipliers` (rref)."""
    if rows.box is not None:
        K = [j for j in support if j != i]
        cert = _box_certificate(R, F, i, K, dual[K], rows)
        if cert is not None:
            return cert
    return _multipliers(R, i, support)


def _box_certificate(R: Sequence[IntRow], F: Any, i: int, K: Sequence[int], lam: Any,
                     rows: _Rows) -> RedundancyCertificate | None:
    """Exact multipliers for row i from float ones on the rows K, the rest absorbed by the box walls.

    *lam* are multipliers of the unit-normal float rows ``F``; scaled to the integer rows
    and rounded to multiples of ``2^-_MULT_BITS`` they leave an exact integer residual
    ``r = row_i - sum mu_j row_j``; each non-zero normal entry ``r_k`` is the wall
    ``x_k <= B`` or ``x_k >= -B`` (row ``(p, -/+ q e_k)``, B = p/q) times ``|r_k|/q``, and
    the slack ``r_0 - B sum_k |r_k|`` must be >= 0 (else None). Exact integers,
    O(sum_j nnz(row_j)).
    """
    import numpy as np

    box = rows.box
    assert box is not None
    p, q = box.numerator, box.denominator
    Ri = R[i]
    kmax = max(range(1, len(Ri)), key=lambda t: abs(Ri[t]))
    Ni = float(Ri[kmax]) / F[i, kmax]
    P = 1 << _MULT_BITS
    acc = {t: P * v for t, v in enumerate(Ri) if v}
    mult: dict[int, Fraction] = {}
    for j, lj in zip(K, lam.tolist()):
        if not lj > 0:
            continue
        Rj = R[j]
        kj = max(range(1, len(Rj)), key=lambda t: abs(Rj[t]))
        mu = lj * Ni / (float(Rj[kj]) / F[j, kj])
        if not np.isfinite(mu):
            return None
        num = int(np.rint(np.ldexp(mu, _MULT_BITS)))
        if num <= 0:
            continue
        mult[j] = Fraction(num, P)
        for t, v in enumerate(Rj):
            if v:
                acc[t] = acc.get(t, 0) - num * v
    r0 = acc.pop(0, 0)
    total = 0
    for t, r in acc.items():
        if not r:
            continue
        w = rows.wall_index.get((t - 1, -1 if r > 0 else 1))
        if w is None or w == i:
            return None
        mult[w] = mult.get(w, Fraction(0)) + Fraction(abs(r), q * P)
        total += abs(r)
    slack = Fraction(r0 * q - p * total, q * P)
    if slack < 0 or not (mult or slack):
        return None
    return RedundancyCertificate(tuple(sorted(mult.items())), slack)


def _snap(row: IntRow, p: IntRow) -> IntRow:
    """The homogeneous point *p* moved along one axis onto the hyperplane of *row*, exactly.

    The axis is the one with the largest normal entry ``a_k``: ``z_k = -(b + sum_{j!=k} a_j p_j)/a_k``.
    """
    k = max(range(1, len(row)), key=lambda j: abs(row[j]))
    a = row[k]
    num = -(row[0] * p[0] + sum(row[j] * p[j] for j in range(1, len(row)) if j != k))
    z = [t * a for t in p]
    z[k] = num
    if a < 0:
        z = [-t for t in z]
    g = gcd(*z)
    return tuple(t // g for t in z)


def _exact_verdict(R: Sequence[IntRow], rows: _Rows, c: IntRow, c_vals: Sequence[int], i: int) -> Certificate:
    """Settle inequality i by an exact LP: min row_i s.t. row_j >= 0 (j != i), row_i >= -1."""
    cons = [r for j, r in enumerate(R) if j != i]
    idx = [j for j in range(len(R)) if j != i]
    cons.append((R[i][0] + 1, *R[i][1:]))
    value, y, dual = exact_lp_minimum(R[i], cons)
    if value < 0:
        yh = _homogeneous(y)
        yv = rows.values([yh])[0][i]
        z = _ray_point(c, c_vals, yh, yv, i)
        if z is None:
            raise GeometryError(f"inequality {i}: the exact LP's minimiser is not beyond its hyperplane")
        return FacetCertificate(z)
    lam = [(idx[k], v) for k, v in dual if k < len(idx) and v]
    if any(k == len(idx) and v for k, v in dual):
        raise GeometryError(f"inequality {i}: the exact LP's dual uses the bound row_i >= -1")
    return RedundancyCertificate(tuple(sorted(lam)), value)


def _failures(region: CertifiedRegion) -> list[str]:
    """What is wrong with *region*'s certificates (empty when they all hold), exactly."""
    out: list[str] = []
    ineqs = region.inequalities
    if len(region.certificates) != len(ineqs):
        return [f"{len(region.certificates)} certificates for {len(ineqs)} inequalities"]
    if not ineqs:
        return out
    rows = _Rows(ineqs, region.input_dim, region.box)
    R = [q.row for q in ineqs]
    sparse: dict[int, list[tuple[int, int]]] = {}
    c = region.interior_point
    if len(c) != region.input_dim + 1 or c[0] <= 0 or not rows.strictly_inside(c):
        out.append("the interior point is not strictly inside every inequality")
    facets = [(i, cert) for i, cert in enumerate(region.certificates) if isinstance(cert, FacetCertificate)]
    bad_points = [i for i, cert in facets if len(cert.point) != region.input_dim + 1 or cert.point[0] <= 0]
    out += [f"inequality {i}: a facet point must be (q, q·z) with q > 0" for i in bad_points]
    facets = [(i, cert) for i, cert in facets if i not in bad_points]
    oks = rows.facet_checks([(i, cert.point) for i, cert in facets])
    for (i, fc), ok in zip(facets, oks):
        if rows.value(i, fc.point) != 0:
            out.append(f"inequality {i}: the facet point is not on its hyperplane")
        elif not ok:
            out.append(f"inequality {i}: the facet point is not strictly inside the other inequalities")
    for i, cert in enumerate(region.certificates):
        if isinstance(cert, FacetCertificate):
            continue
        if not isinstance(cert, RedundancyCertificate):
            out.append(f"inequality {i}: unknown certificate {type(cert).__name__}")
            continue
        lam = cert.multipliers
        if any(not (0 <= j < len(R)) or j == i or v <= 0 for j, v in lam) or cert.slack < 0:
            out.append(f"inequality {i}: multipliers must be > 0 on other inequalities, slack >= 0")
            continue
        if not _combines(R, sparse, i, lam, cert.slack):
            out.append(f"inequality {i}: the multipliers do not combine to its row")
    return out


def _combines(R: Sequence[IntRow], sparse: dict[int, list[tuple[int, int]]], i: int,
              lam: Sequence[tuple[int, Fraction]], slack: Fraction) -> bool:
    """``R[i] == slack·e_0 + sum lambda_j R[j]``, exactly, over the rows' non-zero entries only.

    Everything is scaled by the lcm D of the denominators and compared as integers;
    *sparse* caches each row's non-zero ``(k, value)`` pairs. O(sum_j nnz(R[j])).
    """
    D = lcm(slack.denominator, *(v.denominator for _, v in lam))
    acc = [0] * len(R[i])
    acc[0] = slack.numerator * (D // slack.denominator)
    for j, v in lam:
        nz = sparse.get(j)
        if nz is None:
            nz = sparse[j] = [(k, a) for k, a in enumerate(R[j]) if a]
        f = v.numerator * (D // v.denominator)
        for k, a in nz:
            acc[k] += f * a
    return acc == [D * a for a in R[i]]


def check_certificates(region: CertifiedRegion) -> bool:
    """True when every certificate of *region* holds, checked with exact integers and no LP.

    A facet's point must lie on its hyperplane and strictly inside every other
    inequality; a redundant inequality's multipliers must be positive, on other
    inequalities, and combine exactly (with a non-negative slack) to its row; the
    interior point must be strictly inside every inequality. It does not recompute the
    inequalities from a network (:func:`region_from_mapping` with a network does).

    Notes
    -----
    One ``fmpz_mat`` product, O(m · d · F), plus O(d · sum |multipliers|) Fractions.

    Examples
    --------
    >>> from exactpoly import network_from_layers
    >>> net = network_from_layers(1, [([[1], [1]], [0, -1]), ([[1, 1]], [0])])
    >>> reg = region_at(net, [2])          # x > 0 is implied by x > 1
    >>> [type(c).__name__ for c in reg.certificates]
    ['FacetCertificate', 'RedundancyCertificate']
    >>> check_certificates(reg)
    True
    >>> bad = replace(reg, certificates=(reg.certificates[0], reg.certificates[0]))
    >>> check_certificates(bad)
    False
    """
    return not _failures(region)


# ---------------------------------------------------------------------------------------------
# JSON


def _strs(v: Sequence[int | Fraction]) -> list[str]:
    return [format_fraction(t) if isinstance(t, Fraction) else str(t) for t in v]


def region_to_mapping(region: CertifiedRegion, *, certificates: bool = True) -> dict[str, Any]:
    """*region* as JSON-ready data (``exactpoly.certified-region/1``); numbers as strings.

    Keys: ``format``, ``input_dim``, ``domain``, ``point``, ``pattern``, ``on_hyperplanes``,
    ``n_inequalities``, ``n_facets``, ``facets`` (indices into ``inequalities``), ``exact_fallbacks``,
    ``inequalities`` (row, neurons, walls, ``facet``) and,
    with *certificates*, ``interior_point`` and per inequality ``point`` (a facet) or
    ``multipliers`` and ``slack`` (redundant). O(size).

    >>> from exactpoly import network_from_layers
    >>> reg = region_at(network_from_layers(1, [([[1]], [0]), ([[1]], [0])]), ["1/2"], box=1)
    >>> m = region_to_mapping(reg)
    >>> m["n_facets"], m["inequalities"][0]["row"], region_from_mapping(m) == reg
    (2, ['0', '1'], True)
    """
    out: dict[str, Any] = {
        "format": CERTIFIED_REGION_FORMAT, "input_dim": region.input_dim,
        "domain": {"box": format_fraction(region.box)} if region.box is not None else {"unbounded": True},
        "point": _strs(region.point), "pattern": region.pattern_string,
        "on_hyperplanes": [list(n) for n in region.on_hyperplanes],
        "n_inequalities": region.n_inequalities, "n_facets": region.n_facets,
        "facets": list(region.facet_indices),
        "exact_fallbacks": region.exact_fallbacks,
    }
    if certificates:
        out["interior_point"] = _strs(region.interior_point)
    items = []
    for q, cert in zip(region.inequalities, region.certificates):
        item: dict[str, Any] = {"row": _strs(q.row), "neurons": [list(n) for n in q.neurons],
                                "walls": [list(w) for w in q.walls],
                                "facet": isinstance(cert, FacetCertificate)}
        if certificates:
            if isinstance(cert, FacetCertificate):
                item["point"] = _strs(cert.point)
            else:
                item["multipliers"] = [[j, format_fraction(v)] for j, v in cert.multipliers]
                item["slack"] = format_fraction(cert.slack)
        items.append(item)
    out["inequalities"] = items
    return out


def _int(s: Any, name: str) -> int:
    v = to_fraction(s, name=name)
    if v.denominator != 1:
        raise DomainError(f"{name}: expected an integer, got {s!r}")
    return int(v)


def region_from_mapping(obj: Mapping[str, Any]) -> CertifiedRegion:
    """The :class:`CertifiedRegion` of :func:`region_to_mapping` output (with certificates).

    Raises
    ------
    DomainError
        Wrong format tag, a missing key or certificate, or a malformed number.
    """
    try:
        if obj.get("format") != CERTIFIED_REGION_FORMAT:
            raise DomainError(f"format: expected {CERTIFIED_REGION_FORMAT!r}, got {obj.get('format')!r}")
        dom = obj["domain"]
        box = None if dom.get("unbounded") else to_fraction(dom["box"], name="domain.box")
        certs: list[Certificate] = []
        ineqs = []
        for k, it in enumerate(obj["inequalities"]):
            ineqs.append(RegionInequality(tuple(_int(v, f"inequalities[{k}].row") for v in it["row"]),
                                          tuple((int(a), int(b)) for a, b in it["neurons"]),
                                          tuple((int(a), int(b)) for a, b in it["walls"])))
            if it["facet"]:
                certs.append(FacetCertificate(tuple(_int(v, f"inequalities[{k}].point") for v in it["point"])))
            else:
                lam = tuple((int(j), to_fraction(v, name=f"inequalities[{k}].multipliers"))
                            for j, v in it["multipliers"])
                certs.append(RedundancyCertificate(lam, to_fraction(it["slack"], name=f"inequalities[{k}].slack")))
        return CertifiedRegion(int(obj["input_dim"]), box,
                               tuple(to_fraction(v, name="point") for v in obj["point"]),
                               tuple(int(b) for b in obj["pattern"]),
                               tuple((int(a), int(b)) for a, b in obj["on_hyperplanes"]),
                               tuple(ineqs), tuple(certs),
                               tuple(_int(v, "interior_point") for v in obj["interior_point"]),
                               int(obj.get("exact_fallbacks", 0)))
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        raise DomainError(f"certificate file: missing or malformed entry ({e!r})"[:300]) from None


def recheck_region(region: CertifiedRegion, net: ReluNetwork) -> list[str]:
    """What is wrong with *region* as the certified region of *net* at its point (empty: all holds).

    Recomputes the exact inequalities by the forward pass (no LP) and compares them with
    *region*'s, then checks every certificate exactly (:func:`check_certificates`).
    """
    q, B = _check_args(net, region.point, region.box)
    pattern, nrows, tight = _forward(net, _homogeneous(q))
    out = []
    if pattern != region.pattern:
        out.append("the activation pattern differs from the network's at the point")
    if _inequalities(net.input_dim, B, nrows) != region.inequalities:
        out.append("the inequalities differ from the network's region at the point")
    return out + _failures(region)


_ = replace  # doctests use dataclasses.replace
