"""The intersection poset of an arrangement and its Möbius function, exactly.

The flats of an arrangement A (the non-empty intersections of its hyperplanes) are
canonical integer equation systems (reduced row echelon form, :class:`Flat`); ordered by
reverse inclusion they form the intersection poset L(A) with bottom element 0̂ = R^d
(:class:`IntersectionPoset`), whose Möbius function μ(0̂, X) gives the characteristic
polynomial and the region counts of :mod:`~exactpoly.arrangements.invariants`. With an
open convex set K only the flats meeting K are kept; the geometric tests are exact: signs
on the generators of K's closure (one double description), a point of the flat strictly
inside K, or :func:`~exactpoly.geometry.polyhedron.is_strictly_feasible`. Reference:
Stanley, *An Introduction to Hyperplane Arrangements* (2007), Lecture 1.

Examples
--------
>>> from exactpoly.arrangements.hyperplanes import arrangement_from_rows
>>> P = intersection_poset(arrangement_from_rows([(0, 1, 0), (0, 0, 1), (-1, 1, 1)]))   # x=0, y=0, x+y=1
>>> len(P), P.mobius_values
(7, (1, -1, -1, -1, 1, 1, 1))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from math import gcd
from typing import Any

from ..errors import DomainError
from ..geometry.linalg import primitive
from ..geometry.polyhedron import Polyhedron, canonical_row, is_strictly_feasible
from ..geometry.rows import IntRow, hyperplane_key
from ..rational import to_fraction
from .hyperplanes import Arrangement, _check_arrangement

__all__ = ["Flat", "IntersectionPoset", "intersection_poset", "mobius"]


# ----------------------------------------------------------------------------- exact row echelon systems
#
# A non-empty affine subspace X of R^d is the zero set of a system of rows (b, a); the
# affine functions vanishing on X are exactly the row span of any such system, so the
# reduced row echelon form (pivots on the a-columns 1..d, each row scaled to coprime
# integers with a positive pivot) is a canonical description of X.


def _reduce(rows: Sequence[IntRow], pivots: Sequence[int], v: IntRow) -> IntRow:
    """Fraction-free reduction of v by an echelon system (zero at every pivot)."""
    for r, p in zip(rows, pivots):
        c = v[p]
        if c:
            rp = r[p]
            v = tuple(rp * x - c * y for x, y in zip(v, r))
    return v


def _extend(rows: tuple[IntRow, ...], pivots: tuple[int, ...], v: IntRow):
    """Add the equation v to a canonical system.

    Returns ``"contained"`` when v is in the row span (X ⊆ {v = 0}), ``None`` when the
    system becomes inconsistent (X ∩ {v = 0} empty), else the new canonical
    ``(rows, pivots)`` sorted by pivot.
    """
    w = _reduce(rows, pivots, v)
    p = next((j for j in range(1, len(w)) if w[j]), None)
    if p is None:
        return "contained" if w[0] == 0 else None
    w = primitive(w)
    if w[p] < 0:
        w = tuple(-x for x in w)
    new = []
    for r in rows:
        c = r[p]
        if c:
            r = primitive(tuple(w[p] * x - c * y for x, y in zip(r, w)))
        new.append(r)
    new.append(w)
    piv = list(pivots) + [p]
    order = sorted(range(len(new)), key=lambda i: piv[i])
    return tuple(new[i] for i in order), tuple(piv[i] for i in order)


def _pivots_of(rows: Sequence[IntRow]) -> tuple[int, ...]:
    return tuple(next(j for j in range(1, len(r)) if r[j]) for r in rows)


def _system_of(rows: Sequence[IntRow]):
    """Canonical system of a list of rows; None if inconsistent."""
    sys_rows: tuple[IntRow, ...] = ()
    piv: tuple[int, ...] = ()
    for r in rows:
        out = _extend(sys_rows, piv, tuple(r))
        if out is None:
            return None
        if out != "contained":
            sys_rows, piv = out
    return sys_rows, piv


def _flat_generators(eqs: tuple[IntRow, ...], piv: tuple[int, ...], d: int):
    """Homogeneous integer generators of the flat of a canonical system.

    Returns ``(point, directions)``: ``point = (q, q·p)`` with ``q > 0`` and p on the
    flat (free coordinates 0), and one direction ``(0, q·u)`` per free coordinate, so
    that a row ``(b, a)`` restricted to the flat ``p + Σ t_j u_j`` is the row
    ``(row·point, row·dir_1, ..., row·dir_k)`` scaled by ``1/q``.
    """
    q = 1
    for r, p in zip(eqs, piv):
        q = q * r[p] // gcd(q, r[p])
    point = [q] + [0] * d
    for r, p in zip(eqs, piv):
        point[p] = -r[0] * (q // r[p])
    free = [j for j in range(1, d + 1) if j not in piv]
    dirs = []
    for f in free:
        v = [0] * (d + 1)
        v[f] = q
        for r, p in zip(eqs, piv):
            v[p] = -r[f] * (q // r[p])
        dirs.append(tuple(v))
    return tuple(point), dirs


@dataclass(frozen=True)
class Flat:
    """A non-empty affine subspace of R^d given by its canonical equation system.

    Attributes
    ----------
    ambient_dim : int
        d.
    equations : tuple of tuple of int
        Rows ``(b, a)`` meaning ``b + a·x = 0``: the reduced row echelon form of any
        defining system (pivots on the ``a`` columns, increasing), each row scaled to
        coprime integers with a positive pivot. Equal subspaces have equal equations.
        ``()`` is the whole space R^d.

    Examples
    --------
    >>> from exactpoly.arrangements.hyperplanes import arrangement_from_rows
    >>> P = intersection_poset(arrangement_from_rows([(0, 1, 1), (-2, 1, -1)]))
    >>> P.flats[-1], P.flats[-1].dim, P.flats[-1].point
    (Flat(ambient_dim=2, equations=((-1, 1, 0), (1, 0, 1))), 0, (Fraction(1, 1), Fraction(-1, 1)))
    """

    ambient_dim: int
    equations: tuple[IntRow, ...] = ()

    @property
    def rank(self) -> int:
        """Codimension ``d - dim`` (the rank of the flat in the intersection poset)."""
        return len(self.equations)

    @property
    def dim(self) -> int:
        """Affine dimension."""
        return self.ambient_dim - len(self.equations)

    @cached_property
    def point(self) -> tuple[Fraction, ...]:
        """A point of the flat: free coordinates 0, pivot coordinates solved (exact)."""
        x = [Fraction(0)] * self.ambient_dim
        for r, p in zip(self.equations, _pivots_of(self.equations)):
            x[p - 1] = Fraction(-r[0], r[p])
        return tuple(x)

    def contains(self, point: Sequence[Any]) -> bool:
        """True when *point* satisfies every equation."""
        x = [to_fraction(v, name="point") for v in point]
        if len(x) != self.ambient_dim:
            raise DomainError(f"point: expected {self.ambient_dim} coordinates, got {len(x)}")
        return all(r[0] + sum(a * v for a, v in zip(r[1:], x)) == 0 for r in self.equations)


def _domain_rows(domain: Any, d: int) -> tuple[IntRow, ...] | None:
    """None (R^d) or the canonical strict rows of an open convex polyhedron K."""
    if domain is None:
        return None
    if isinstance(domain, Polyhedron):
        if domain.dim != d:
            raise DomainError(f"domain: a polyhedron in R^{domain.dim}, the arrangement is in R^{d}")
        rows: Sequence[IntRow] = domain.rows
    else:
        if isinstance(domain, (str, bytes)) or not isinstance(domain, Sequence):
            raise DomainError(f"domain: expected None, a Polyhedron or a list of rows (b, a), got {domain!r}")
        parsed: list[IntRow] = []
        for i, r in enumerate(domain):
            if isinstance(r, (str, bytes)) or not isinstance(r, Sequence) or len(r) != d + 1:
                raise DomainError(f"domain[{i}]: expected {d + 1} numbers (b, a_1..a_{d}), got {r!r}")
            parsed.append(canonical_row(r))
        rows = parsed
    unique = tuple(dict.fromkeys(rows))  # dedupe, keep order
    return unique or None


def _meets(domain: tuple[IntRow, ...] | None, equations: tuple[IntRow, ...], pivots: tuple[int, ...] = (),
           d: int = -1) -> bool:
    """Does the flat meet the open set {domain rows > 0}? (exact)

    With the pivots and d: a point of the flat strictly inside decides at once (and for
    a 0-dimensional flat that point is the flat); otherwise one double description.
    """
    if domain is None:
        return True
    if d >= 0:
        point, _dirs = _flat_generators(equations, pivots, d)
        if all(sum(x * y for x, y in zip(r, point)) > 0 for r in domain):
            return True
        if len(equations) == d:
            return False
    return is_strictly_feasible(list(domain), list(equations))


def _prepare_domain(K: tuple[IntRow, ...], d: int):
    """None when the open set K = {rows > 0} is empty; else ``(rows, generators)``: the
    irredundant rows of K's closure (None when K = R^d) and its V-representation.

    K is non-empty iff no row is identically 0 and its closure is full-dimensional;
    then K is the interior of the closure. One exact double description.
    """
    if any(not any(r) for r in K):
        return None
    if d == 0:
        return (None, None) if all(r[0] > 0 for r in K) else None
    P = Polyhedron(d, K)
    if not P.is_full_dimensional:
        return None
    return tuple(f.row for f in P.facets) or None, P.generators


def _cuts(row: IntRow, gens) -> bool:
    """Does the hyperplane ``row = 0`` meet the interior of a full-dimensional polyhedron?

    Iff the affine function takes both signs on it (the interior is dense and
    connected), i.e. on its generators.
    """
    if gens.lines and any(sum(x * y for x, y in zip(row, g)) for g in gens.lines):
        return True
    pos = neg = False
    for g in (*gens.points, *gens.rays):
        v = sum(x * y for x, y in zip(row, g))
        pos, neg = pos or v > 0, neg or v < 0
        if pos and neg:
            return True
    return False


@dataclass(frozen=True, eq=False)
class IntersectionPoset:
    """The intersection poset L(A) (flats meeting an open convex set K, if given).

    L(A) is the set of non-empty intersections of subsets of A, ordered by reverse
    inclusion; its bottom element 0̂ is R^d (the empty intersection). With a domain
    K, only the flats meeting the open set K are kept: they form a down-set of L(A)
    (a flat containing one that meets K meets K), so every Möbius value below a kept
    flat is that of L(A).

    Attributes
    ----------
    arrangement : Arrangement
    domain : tuple of tuple of int or None
        Canonical rows of K = {x : b + a·x > 0 for every row}, or None for R^d.
    flats : tuple of Flat
        Sorted by rank, then by equations; ``flats[0]`` is R^d (when it meets K).
    hyperplane_sets : tuple of frozenset of int
        For each flat, the indices (into ``arrangement.hyperplanes``) of the
        hyperplanes containing it. ``X <= Y`` iff ``hyperplane_sets[X] <= hyperplane_sets[Y]``.
    mobius_values : tuple of int
        μ(0̂, X) for each flat.
    lower_covers : tuple of tuple of int
        For each flat, the indices of the flats it covers (one rank lower).

    Build it with :func:`intersection_poset`. ``down_sets`` (the intervals [0̂, Y])
    and ``hasse_diagram`` (a ``networkx.DiGraph``) are derived on demand.
    """

    arrangement: Arrangement
    domain: tuple[IntRow, ...] | None
    flats: tuple[Flat, ...]
    hyperplane_sets: tuple[frozenset[int], ...]
    mobius_values: tuple[int, ...]
    lower_covers: tuple[tuple[int, ...], ...] = field(repr=False, default=())
    _masks: tuple[int, ...] = field(repr=False, default=())

    def __len__(self) -> int:
        return len(self.flats)

    @cached_property
    def _index(self) -> dict[Flat, int]:
        return {X: i for i, X in enumerate(self.flats)}

    def index(self, flat: Flat) -> int:
        """Position of *flat* in ``flats`` (KeyError if it is not a flat here)."""
        return self._index[flat]

    def is_leq(self, i: int, j: int) -> bool:
        """``flats[i] <= flats[j]`` in the poset, i.e. ``flats[j] ⊆ flats[i]``."""
        return self._masks[i] & self._masks[j] == self._masks[i]

    @cached_property
    def down_sets(self) -> tuple[frozenset[int], ...]:
        """For each flat Y, the indices of the flats X <= Y (Y included): the interval [0̂, Y]."""
        return _down_sets(self.lower_covers)

    @cached_property
    def hasse_diagram(self):
        """Cover relations as a ``networkx.DiGraph`` on flat indices (edge X -> Y: Y covers X)."""
        import networkx as nx

        g = nx.DiGraph()
        g.add_nodes_from(range(len(self.flats)))
        g.add_edges_from((i, j) for j, low in enumerate(self.lower_covers) for i in low)
        return g


def _down_sets(lower_covers: Sequence[Sequence[int]]) -> tuple[frozenset[int], ...]:
    """Down-sets from lower covers; indices are sorted by rank, so covers come first."""
    down: list[frozenset[int]] = []
    for j, low in enumerate(lower_covers):
        acc = {j}
        for i in low:
            acc |= down[i]
        down.append(frozenset(acc))
    return tuple(down)


def intersection_poset(arrangement: Arrangement, domain: Any = None) -> IntersectionPoset:
    """The intersection poset of *arrangement*, with the Möbius function μ(0̂, ·).

    Parameters
    ----------
    arrangement : Arrangement
    domain : None, Polyhedron or sequence of rows, optional
        An open convex polyhedron K: the interior of a :class:`~exactpoly.geometry.polyhedron.Polyhedron`,
        or ``{x : b + a·x > 0}`` for rows ``(b, a)``. Only flats meeting K are kept.

    Returns
    -------
    IntersectionPoset

    Notes
    -----
    Rank by rank: each flat X is intersected with each hyperplane not containing it
    (exact fraction-free row echelon form; X ∩ H empty when the system becomes
    inconsistent); new flats are identified by the set of hyperplanes containing
    them, which also gives the cover relations. With a domain, hyperplanes missing K
    are dropped first (sign test on K's generators, one double description) and a
    flat of rank >= 2 is kept iff ``is_strictly_feasible(K, equations)`` (one exact
    double description per candidate). μ(0̂, X) = -Σ_{Y < X} μ(0̂, Y) over the
    interval [0̂, X]. O(|L| m r d) arithmetic for the flats (r = rank) plus
    O(Σ_X |[0̂, X]|) for μ.

    Examples
    --------
    >>> from exactpoly.arrangements.hyperplanes import arrangement_from_rows
    >>> P = intersection_poset(arrangement_from_rows([(0, 1, 0), (0, 0, 1), (0, 1, 1)]))
    >>> [X.dim for X in P.flats], P.mobius_values
    ([2, 1, 1, 1, 0], (1, -1, -1, -1, 2))
    """
    A = _check_arrangement(arrangement)
    K = _domain_rows(domain, A.dim)
    rows = A.rows
    m = len(rows)
    active = list(range(m))
    feasible_rows = None
    if K is not None:
        prepared = _prepare_domain(K, A.dim)
        if prepared is None:  # K is empty
            return IntersectionPoset(A, K, (), (), (), ())
        feasible_rows, gens = prepared
        if gens is not None:
            # a hyperplane missing K contains no flat meeting K: leave it out
            active = [h for h in range(m) if _cuts(rows[h], gens)]
    # flat data: (equations, pivots, mask of the hyperplanes containing it)
    d = A.dim
    flats: list[tuple[tuple[IntRow, ...], tuple[int, ...], int]] = [((), (), 0)]
    covers: list[list[int]] = [[]]
    index_of: dict[int, int | None] = {0: 0}   # mask -> flat index (None: misses K)
    level = [0]
    while level:
        nxt = []
        for i in level:
            eqs, piv, mask = flats[i]
            if len(eqs) == d:
                continue  # a point: nothing below it
            # the restriction A^X: hyperplanes with the same trace on X give the same flat
            point, dirs = _flat_generators(eqs, piv, d)
            groups: dict[IntRow, int] = {}
            for h in active:
                if mask >> h & 1:
                    continue
                r = rows[h]
                trace = primitive([sum(x * y for x, y in zip(r, point))] +
                                  [sum(x * y for x, y in zip(r, v)) for v in dirs])
                if any(trace[1:]):  # else X ∩ H is empty (H parallel to X)
                    key = hyperplane_key(trace)[0]
                    groups[key] = groups.get(key, 0) | 1 << h
            for group in groups.values():
                new_mask = mask | group
                j = index_of.get(new_mask, -1)
                if j != -1:
                    if j is not None:
                        covers[j].append(i)
                    continue
                h = (group & -group).bit_length() - 1
                new_eqs, new_piv = _extend(eqs, piv, rows[h])
                # hyperplanes (rank 1) cut K by the choice of `active`
                if eqs and not _meets(feasible_rows, new_eqs, new_piv, d):
                    index_of[new_mask] = None
                    continue
                index_of[new_mask] = len(flats)
                flats.append((new_eqs, new_piv, new_mask))
                covers.append([i])
                nxt.append(len(flats) - 1)
        level = nxt
    order = sorted(range(len(flats)), key=lambda i: (len(flats[i][0]), flats[i][0]))
    pos = {old: new for new, old in enumerate(order)}
    masks = tuple(flats[i][2] for i in order)
    lower = tuple(tuple(sorted(pos[c] for c in covers[i])) for i in order)
    down = _down_sets(lower)
    mu: list[int] = []
    for j in range(len(order)):
        mu.append(1 if j == 0 else -sum(mu[k] for k in down[j] if k != j))
    P = IntersectionPoset(
        A, K,
        tuple(Flat(d, flats[i][0]) for i in order),
        tuple(frozenset(k for k in range(m) if mk >> k & 1) for mk in masks),
        tuple(mu),
        lower,
        masks,
    )
    P.__dict__["down_sets"] = down  # cached_property's slot: computed already
    return P


def _mobius_all(P: IntersectionPoset) -> dict[tuple[int, int], int]:
    """μ(X, Y) for every pair X <= Y of the poset, keyed by index pairs.

    For each Y, μ(X, Y) = -Σ_{Z ∈ [X, Y)} μ(X, Z) over X in the interval [0̂, Y];
    O(Σ_Y |[0̂, Y]|^2).
    """
    mu: dict[tuple[int, int], int] = {}
    for y, down in enumerate(P.down_sets):
        below = sorted(down)   # rank order
        for x in below:
            if x == y:
                mu[x, y] = 1
                continue
            mu[x, y] = -sum(mu.get((x, z), 0) for z in below if z != y)
    return mu


def _poset(arrangement_or_poset: Any) -> IntersectionPoset:
    if isinstance(arrangement_or_poset, IntersectionPoset):
        return arrangement_or_poset
    return intersection_poset(_check_arrangement(arrangement_or_poset))


def mobius(arrangement_or_poset: Arrangement | IntersectionPoset, lower: Flat | None = None) -> dict[Flat, int]:
    """The Möbius function μ(lower, Y) of the intersection poset, for every flat Y >= lower.

    Parameters
    ----------
    arrangement_or_poset : Arrangement or IntersectionPoset
    lower : Flat, optional
        Default: the bottom element 0̂ = R^d.

    Returns
    -------
    dict
        Flat -> int, in the poset's order.

    Notes
    -----
    μ(X, X) = 1 and μ(X, Y) = -Σ_{X <= Z < Y} μ(X, Z), the sum running over the
    interval [X, Y] (down-sets from the cover relations): O(Σ_{Y >= X} |[0̂, Y]|).

    Examples
    --------
    >>> from exactpoly.arrangements.hyperplanes import arrangement_from_rows
    >>> A = arrangement_from_rows([(0, 1, 0), (0, 0, 1), (0, 1, 1)])   # three concurrent lines
    >>> sorted(mobius(A).values())
    [-1, -1, -1, 1, 2]
    >>> H = intersection_poset(A).flats[1]          # a line; only the origin lies above it
    >>> list(mobius(A, H).values())
    [1, -1]
    """
    P = _poset(arrangement_or_poset)
    if not P.flats:
        return {}
    x = 0 if lower is None else P.index(lower)
    if x == 0:
        return dict(zip(P.flats, P.mobius_values))
    mx = P._masks[x]
    mu: dict[int, int] = {}
    for y in range(x, len(P.flats)):
        if P._masks[y] & mx != mx:
            continue
        mu[y] = 1 if y == x else -sum(mu[z] for z in P.down_sets[y] if z != y and z in mu)
    return {P.flats[y]: v for y, v in mu.items()}
