"""Every triangulation of a small point configuration, exactly.

The canonical (lexicographic pulling) and the Delaunay triangulation of a region are
two choices among many (docs/conventions.md, "Canonical triangulation"); a claim about
"the" triangulation of a polytope, such as "#simplices(R) <= #facets(R)" in the proof of
Theorem 1 of arXiv 2305.09145, may hold for one triangulation and fail for another. This
module enumerates **all** triangulations of a point configuration (the vertices of a
region), so that the minimum and maximum number of d-simplices are exact facts.

A triangulation here uses any subset of the points as vertices (for the vertices of a
convex polytope that is all of them) and covers their convex hull. Two d-simplices
intersect properly iff no circuit ``(Z+, Z-)`` of the configuration has ``Z+`` in one
and ``Z-`` in the other (De Loera, Rambau and Santos, *Triangulations*, Thm. 4.1.x);
the search starts from the simplices containing a generic interior point and grows a
triangulation across its open interior ridges, each ridge crossed by exactly one
simplex, so every triangulation is produced exactly once.

All arithmetic is on integers (the points are scaled to a common denominator, which
does not change the triangulations).

Examples
--------
>>> hexagon = [(2, 0), (1, 2), (-1, 2), (-2, 0), (-1, -2), (1, -2)]
>>> count_triangulations(hexagon)                     # the Catalan number C_4
14
>>> cube = [(x, y, z) for x in (0, 1) for y in (0, 1) for z in (0, 1)]
>>> count_triangulations(cube), triangulation_size_range(cube)
(74, (5, 6))
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from fractions import Fraction
from functools import lru_cache
from itertools import combinations
from math import lcm
from random import Random

from ..errors import BudgetExceededError, DomainError
from .triangulation import small_integer_determinant

__all__ = ["DEFAULT_MAX_POINTS", "DEFAULT_MAX_NODES", "all_triangulations", "count_triangulations",
           "triangulation_size_range", "minimum_triangulation_size", "integer_points"]

#: The largest configuration :func:`all_triangulations` accepts by default.
DEFAULT_MAX_POINTS = 12
#: The default search budget (nodes of the search tree) of :func:`minimum_triangulation_size`.
DEFAULT_MAX_NODES = 200_000


def integer_points(points: Sequence[Sequence]) -> tuple[tuple[int, ...], ...]:
    """The points scaled by the lcm of their denominators: integers, same triangulations.

    Parameters
    ----------
    points : sequence of coordinate tuples
        Exact rationals (int, Fraction or rational strings).

    Returns
    -------
    tuple of tuple of int

    Examples
    --------
    >>> integer_points([(0, "1/2"), (1, 0)])
    ((0, 1), (2, 0))
    """
    fr = [tuple(Fraction(x) for x in p) for p in points]
    q = lcm(1, *(x.denominator for p in fr for x in p))
    return tuple(tuple(int(x * q) for x in p) for p in fr)


def _det(rows: list[list[int]]) -> int:
    n = len(rows)
    if n == 1:
        return rows[0][0]
    if n == 2:
        return rows[0][0] * rows[1][1] - rows[0][1] * rows[1][0]
    if n == 3:
        a, b, c = rows
        return (a[0] * (b[1] * c[2] - b[2] * c[1]) - a[1] * (b[0] * c[2] - b[2] * c[0])
                + a[2] * (b[0] * c[1] - b[1] * c[0]))
    return small_integer_determinant(rows)


def _kernel(vectors: list[tuple[int, ...]]) -> list[list[Fraction]]:
    """A basis of {x : sum x_i v_i = 0} by exact elimination (the v_i are the columns)."""
    k = len(vectors)
    rows = [[Fraction(v[r]) for v in vectors] for r in range(len(vectors[0]))]
    pivots: list[int] = []
    r = 0
    for c in range(k):
        p = next((t for t in range(r, len(rows)) if rows[t][c] != 0), None)
        if p is None:
            continue
        rows[r], rows[p] = rows[p], rows[r]
        inv = 1 / rows[r][c]
        rows[r] = [x * inv for x in rows[r]]
        for t in range(len(rows)):
            if t != r and rows[t][c] != 0:
                f = rows[t][c]
                rows[t] = [x - f * y for x, y in zip(rows[t], rows[r])]
        pivots.append(c)
        r += 1
    free = [c for c in range(k) if c not in pivots]
    basis = []
    for fc in free:
        x = [Fraction(0)] * k
        x[fc] = Fraction(1)
        for t, pc in enumerate(pivots):
            x[pc] = -rows[t][fc]
        basis.append(x)
    return basis


class _Configuration:
    """The combinatorics of one point configuration: simplices, circuits, ridges."""

    def __init__(self, points: tuple[tuple[int, ...], ...]) -> None:
        self.points = points
        self.n = len(points)
        self.d = d = len(points[0])
        lifted = [(1, *p) for p in points]
        self.lifted = lifted
        # d-simplices: (d+1)-subsets with non-zero determinant; value = |det| (normalised volume)
        signed: dict[tuple[int, ...], int] = {}
        self.volume: dict[int, int] = {}
        for sub in combinations(range(self.n), d + 1):
            det = signed[sub] = _det([list(lifted[i]) for i in sub])
            if det:
                self.volume[_mask(sub)] = abs(det)
        if not self.volume:
            raise DomainError(f"points: the {self.n} points do not span R^{d}")
        # circuits: minimal dependent subsets, as (positive mask, negative mask), both signs
        self.circuits: list[tuple[int, int]] = []

        def add_circuit(sub: Sequence[int], coeffs: Sequence) -> None:
            pos = _mask(i for i, x in zip(sub, coeffs) if x > 0)
            neg = _mask(i for i, x in zip(sub, coeffs) if x < 0)
            self.circuits += [(pos, neg), (neg, pos)]

        for k in range(2, min(d + 1, self.n) + 1):  # small circuits: exact kernels, only of dependent sets
            for sub in combinations(range(self.n), k):
                if k == d + 1 and signed[sub]:
                    continue
                ker = _kernel([lifted[i] for i in sub])
                if len(ker) == 1 and all(x != 0 for x in ker[0]):
                    add_circuit(sub, ker[0])
        if self.n >= d + 2:  # (d+2)-subsets: the kernel is the vector of signed maximal minors (Cramer)
            for sub in combinations(range(self.n), d + 2):
                coeffs = [(-1) ** j * signed[sub[:j] + sub[j + 1:]] for j in range(d + 2)]
                if all(coeffs):
                    add_circuit(sub, coeffs)
        # per simplex: the negative parts of the circuits whose positive part it contains
        by_pos: dict[int, list[int]] = {}
        for ps, ng in self.circuits:
            by_pos.setdefault(ps, []).append(ng)
        self._neg: dict[int, list[int]] = {}
        for sm in self.volume:
            vs = _bits(sm)
            negs: list[int] = []
            for k in range(1, len(vs) + 1):
                for part in combinations(vs, k):
                    negs += by_pos.get(_mask(part), ())
            self._neg[sm] = negs
        self._proper: dict[tuple[int, int], bool] = {}
        # ridges: d-subsets of some simplex; cofactors of the hyperplane through them
        self.plane: dict[int, tuple[int, ...]] = {}
        self.boundary: dict[int, bool] = {}
        for s in self.volume:
            for i in _bits(s):
                r = s & ~(1 << i)
                if r not in self.plane:
                    self.plane[r] = c = self._cofactors(r)
                    sides = {_sign(_dot(c, q)) for q in lifted} - {0}
                    self.boundary[r] = len(sides) == 1
        self.total: int | None = None  # normalised volume of the hull, known after the first triangulation

    def _cofactors(self, ridge: int) -> tuple[int, ...]:
        """c with c . (1, q) = det(rows of the ridge, (1, q)): the oriented hyperplane of the ridge."""
        rows = [list(self.lifted[i]) for i in _bits(ridge)]
        d1 = self.d + 1
        out = []
        for col in range(d1):
            minor = [[row[c] for c in range(d1) if c != col] for row in rows]
            out.append((-1) ** (self.d + col) * _det(minor))
        return tuple(out)

    def side(self, ridge: int, point: int) -> int:
        return _sign(_dot(self.plane[ridge], self.lifted[point]))

    def proper(self, s: int, t: int) -> bool:
        """Whether the simplices s and t intersect in a common face (no circuit with Z+ in s, Z- in t)."""
        key = (s, t) if s < t else (t, s)
        ok = self._proper.get(key)
        if ok is None:
            ok = not any(ng & t == ng for ng in self._neg[s])
            self._proper[key] = ok
        return ok

    def starts(self) -> list[int]:
        """The simplices that contain a fixed generic point in their interior (one per triangulation)."""
        rng = Random(0)
        planes = list(self.plane.values())
        for _ in range(1000):
            w = [rng.randint(1, 10 ** 6) for _ in range(self.n)]
            x = tuple(sum(wi * p[c] for wi, p in zip(w, self.lifted)) for c in range(self.d + 1))
            if all(_dot(c, x) != 0 for c in planes if any(c)):
                break
        else:  # pragma: no cover - 1000 random points all on a hyperplane has probability 0
            raise DomainError("points: no generic interior point found")
        out = []
        for s in self.volume:
            vs = _bits(s)
            if all(_sign(_dot(self.plane[s & ~(1 << i)], x)) == self.side(s & ~(1 << i), i) for i in vs):
                out.append(s)
        return sorted(out)

    def search(self, max_nodes: int | None, best: list[int] | None = None, floor: int = 1) -> Iterator[list[int]]:
        """Every triangulation (as a list of simplex masks); with *best* = [bound], only those with
        fewer than ``best[0]`` simplices, pruned by volume (branch and bound for the minimum), and
        nothing more once ``best[0] <= floor`` (a known lower bound)."""
        nodes = [0]
        chosen: list[int] = []
        count: dict[int, int] = {}
        maxvol = max(self.volume.values())

        def add(s: int, sign: int) -> None:
            for i in _bits(s):
                r = s & ~(1 << i)
                count[r] = count.get(r, 0) + sign

        def rec(vol: int) -> Iterator[list[int]]:
            nodes[0] += 1
            if max_nodes is not None and nodes[0] > max_nodes:
                raise BudgetExceededError(f"max_nodes: the search needs more than {max_nodes} nodes")
            open_ridge = None
            for s in chosen:
                for i in _bits(s):
                    r = s & ~(1 << i)
                    if count[r] == 1 and not self.boundary[r] and (open_ridge is None or r < open_ridge[0]):
                        open_ridge = (r, i)
            if open_ridge is None:
                if self.total is None:
                    self.total = vol
                yield list(chosen)
                return
            if best is not None and best[0] <= floor:
                return
            if best is not None and self.total is not None:
                need = -(-(self.total - vol) // maxvol)
                if len(chosen) + max(need, 1) >= best[0]:
                    return
            r, inside = open_ridge
            away = -self.side(r, inside)
            for b in range(self.n):
                if r >> b & 1 or self.side(r, b) != away:
                    continue
                t = r | (1 << b)
                if all(self.proper(t, s) for s in chosen):
                    chosen.append(t)
                    add(t, 1)
                    yield from rec(vol + self.volume[t])
                    add(t, -1)
                    chosen.pop()

        for s in self.starts():
            if best is not None and best[0] <= floor:
                return
            chosen.append(s)
            add(s, 1)
            yield from rec(self.volume[s])
            add(s, -1)
            chosen.pop()


def _mask(idx) -> int:
    m = 0
    for i in idx:
        m |= 1 << i
    return m


def _bits(m: int) -> list[int]:
    out = []
    i = 0
    while m:
        if m & 1:
            out.append(i)
        m >>= 1
        i += 1
    return out


def _dot(a: Sequence[int], b: Sequence[int]) -> int:
    return sum(x * y for x, y in zip(a, b))


def _sign(x: int) -> int:
    return (x > 0) - (x < 0)


def _hull_volume(cfg: _Configuration) -> int:
    """The normalised volume of the hull: that of the first triangulation found."""
    for t in cfg.search(None):
        return sum(cfg.volume[s] for s in t)
    raise DomainError("points: no triangulation found")  # pragma: no cover - every spanning set has one


def _configuration(points: Sequence[Sequence], max_points: int | None) -> _Configuration:
    pts = integer_points(points)
    if not pts or not pts[0]:
        raise DomainError("points: expected at least one point with at least one coordinate")
    if any(len(p) != len(pts[0]) for p in pts):
        raise DomainError("points: all points must have the same dimension")
    if len(set(pts)) != len(pts):
        raise DomainError("points: repeated point")
    if max_points is not None and len(pts) > max_points:
        raise BudgetExceededError(f"max_points: {len(pts)} points, more than {max_points} "
                                  f"(the number of triangulations grows exponentially)")
    return _cached_configuration(pts)


@lru_cache(maxsize=256)
def _cached_configuration(pts: tuple[tuple[int, ...], ...]) -> _Configuration:
    return _Configuration(pts)


def all_triangulations(points: Sequence[Sequence], *, max_points: int | None = DEFAULT_MAX_POINTS
                       ) -> Iterator[tuple[tuple[int, ...], ...]]:
    """Every triangulation of the convex hull of *points* with vertices among them.

    Parameters
    ----------
    points : sequence of coordinate tuples
        Exact rationals, spanning R^d (d = the number of coordinates).
    max_points : int or None
        Refuse more points than this (BudgetExceededError); None for no limit.

    Yields
    ------
    tuple of tuple of int
        One triangulation: its d-simplices as sorted index tuples, in sorted order. Each
        triangulation is yielded exactly once.

    Raises
    ------
    DomainError
        When the points are repeated, of mixed dimension or do not span R^d.
    BudgetExceededError
        When there are more than *max_points* points.

    Notes
    -----
    Exponential: the number of triangulations grows exponentially with the number of
    points (Catalan numbers for a convex polygon). Set-up O(n^{d+2} d^3) for the circuits.

    Examples
    --------
    >>> sorted(all_triangulations([(0, 0), (1, 0), (1, 1), (0, 1)]))
    [((0, 1, 2), (0, 2, 3)), ((0, 1, 3), (1, 2, 3))]
    """
    cfg = _configuration(points, max_points)
    for t in cfg.search(None):
        yield tuple(sorted(tuple(_bits(s)) for s in t))


def count_triangulations(points: Sequence[Sequence], *, max_points: int | None = DEFAULT_MAX_POINTS) -> int:
    """Number of triangulations of *points* (see :func:`all_triangulations`).

    >>> count_triangulations([(0, 0, 0), (1, 0, 0), (0, 1, 0), (0, 0, 1), (1, 1, 1)])
    2
    """
    cfg = _configuration(points, max_points)
    return sum(1 for _ in cfg.search(None))


def triangulation_size_range(points: Sequence[Sequence], *, max_points: int | None = DEFAULT_MAX_POINTS
                             ) -> tuple[int, int]:
    """The fewest and the most d-simplices over all triangulations of *points*.

    Enumerates every triangulation (see :func:`all_triangulations` for the cost).

    >>> prism = [(x, y, z) for z in (0, 1) for x, y in ((0, 0), (1, 0), (0, 1))]
    >>> triangulation_size_range(prism)
    (3, 3)
    """
    cfg = _configuration(points, max_points)
    sizes = [len(t) for t in cfg.search(None)]
    return min(sizes), max(sizes)


def minimum_triangulation_size(points: Sequence[Sequence], *, max_points: int | None = DEFAULT_MAX_POINTS,
                               max_nodes: int | None = DEFAULT_MAX_NODES, upper: int | None = None,
                               lower: int = 1) -> int:
    """The fewest d-simplices of any triangulation of *points*, by branch and bound.

    Parameters
    ----------
    points : sequence of coordinate tuples
        Exact rationals spanning R^d.
    max_points : int or None
        Refuse more points (BudgetExceededError); None for no limit.
    max_nodes : int or None
        Give up after this many nodes of the search tree (BudgetExceededError); None for
        no limit.
    upper : int, optional
        The size of a triangulation known already (e.g. the Delaunay one): only smaller
        ones are searched for, and *upper* is returned when there are none.
    lower : int
        A known lower bound (e.g. v - d for the v vertices of a d-polytope, all of which
        every triangulation uses): the search stops at a triangulation of that size.

    Returns
    -------
    int

    Notes
    -----
    The search of :func:`all_triangulations`, pruned when the simplices chosen plus
    ceil(remaining volume / largest simplex volume) cannot beat the best found; exact
    and exponential in the worst case. Configurations are cached (256 most recent).

    Examples
    --------
    >>> octahedron = [(1, 0, 0), (-1, 0, 0), (0, 1, 0), (0, -1, 0), (0, 0, 1), (0, 0, -1)]
    >>> minimum_triangulation_size(octahedron), count_triangulations(octahedron)
    (4, 3)
    """
    cfg = _configuration(points, max_points)
    best = [len(cfg.volume) + 1 if upper is None else upper]
    if upper is not None and cfg.total is None:
        cfg.total = _hull_volume(cfg)
    if best[0] <= lower:
        return best[0]
    for t in cfg.search(max_nodes, best, lower):
        best[0] = min(best[0], len(t))
    return best[0]
