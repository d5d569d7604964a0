"""Affine hyperplane arrangements over the rationals: exact combinatorial invariants.

A hyperplane is ``b + a·x = 0`` with ``a != 0`` (docs/conventions.md, "Rows and hyperplanes"); its canonical form
is the row ``(b, a)`` scaled to coprime integers with the first non-zero entry of ``a``
positive, so equal hyperplanes compare and hash equal. An :class:`Arrangement` is a
finite *set* of hyperplanes of R^d (coincident rows are merged), stored as a sorted
tuple. Arrangements may be affine (not central) and need not be essential.

Everything here is exact: intersection flats are canonical (reduced row echelon)
integer equation systems, the Möbius function and the characteristic polynomial
have integer values, and the geometric tests ("does a hyperplane, a flat meet the
open convex set K?") are exact: signs on the generators of K's closure (one double
description), a point of the flat strictly inside K, or
:func:`~exactpoly.geometry.polyhedron.is_strictly_feasible` (an exact double description).
References: Zaslavsky, *Facing up to arrangements*, Mem. AMS 154
(1975); Stanley, *An Introduction to Hyperplane Arrangements* (2007), Theorem 2.4
(Whitney) and Theorem 2.5 (Zaslavsky), both quoted as Lemma 5 of arXiv 2305.09145;
Lemma 1 of arXiv 2305.09145 is Zaslavsky's bound.

Examples
--------
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

import json
import os
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from math import comb, gcd
from typing import Any

import numpy as np
import sympy

from ..complex.local_maps import PatternMaps
from ..errors import ArrangementFormatError, DomainError, NetworkFormatError
from ..geometry.linalg import primitive
from ..geometry.polyhedron import Polyhedron, box_rows, canonical_row, is_strictly_feasible
from ..geometry.rows import IntRow, hyperplane_key
from ..io.atomic import atomic_write_text
from ..network import FORMAT_TAG as NETWORK_FORMAT_TAG
from ..network import ReluNetwork, network_from_mapping
from ..rational import to_fraction

__all__ = [
    "ARRANGEMENT_FORMAT_TAG",
    "Arrangement",
    "ArrangementFormatError",
    "CountCheck",
    "CountReport",
    "Flat",
    "Hyperplane",
    "IntersectionPoset",
    "T",
    "arrangement_from_mapping",
    "arrangement_from_network",
    "arrangement_from_rows",
    "arrangement_rank",
    "arrangement_summary",
    "arrangement_to_mapping",
    "characteristic_polynomial",
    "check_layer_counts",
    "deletion",
    "direct_sum",
    "essentialization",
    "face_vector",
    "format_polynomial",
    "hyperplane_from_row",
    "intersection_poset",
    "is_central",
    "is_essential",
    "is_general_position",
    "mobius",
    "n_bounded_regions",
    "n_regions",
    "n_regions_central_subsets",
    "read_arrangement",
    "restriction",
    "whitney_numbers",
    "write_arrangement",
    "zaslavsky_bound",
]

ARRANGEMENT_FORMAT_TAG = "exactpoly.arrangement/1"

#: The variable of every characteristic polynomial.
T = sympy.Symbol("t")


# ----------------------------------------------------------------------------- values


@dataclass(frozen=True, order=True)
class Hyperplane:
    """The hyperplane ``b + a·x = 0`` of R^d, in canonical form.

    Build it with :func:`hyperplane_from_row`. Hyperplanes are ordered by their
    canonical row (constant first), which is the order inside an :class:`Arrangement`.

    Attributes
    ----------
    row : tuple of int
        ``(b, a_1, ..., a_d)``: coprime integers, ``a != 0``, and the first non-zero
        entry of ``a`` positive. Two rows define the same hyperplane iff their
        canonical rows are equal.

    Examples
    --------
    >>> H = hyperplane_from_row(["1/2", -1, "3/2"])
    >>> H, H.dim, H.constant, H.normal
    (Hyperplane(row=(-1, 2, -3)), 2, -1, (2, -3))
    >>> H == hyperplane_from_row([2, -4, 6])
    True
    """

    row: IntRow

    def __post_init__(self) -> None:
        r = self.row
        if not isinstance(r, tuple) or len(r) < 2 or any(isinstance(x, bool) or not isinstance(x, int)
                                                          for x in r):
            raise DomainError(f"row: expected a tuple of at least 2 ints (use hyperplane_from_row), got {r!r}")
        lead = next((x for x in r[1:] if x), 0)
        if lead == 0:
            raise DomainError(f"row {r!r} has a zero normal vector: it is not a hyperplane")
        if lead < 0 or primitive(r) != r:
            raise DomainError(f"row {r!r} is not canonical (use hyperplane_from_row)")

    @property
    def dim(self) -> int:
        """Ambient dimension d."""
        return len(self.row) - 1

    @property
    def constant(self) -> int:
        """The constant ``b`` of the canonical row."""
        return self.row[0]

    @property
    def normal(self) -> IntRow:
        """The normal vector ``a`` of the canonical row."""
        return self.row[1:]


def hyperplane_from_row(row: Sequence[Any]) -> Hyperplane:
    """The hyperplane ``b + a·x = 0`` of a row ``(b, a_1, ..., a_d)`` of exact numbers.

    Parameters
    ----------
    row : sequence of numbers
        Read with :func:`~exactpoly.rational.to_fraction` (``"p/q"``, ints, floats taken
        exactly, ...). Any non-zero multiple gives the same hyperplane.

    Raises
    ------
    DomainError
        When ``a = 0`` (no hyperplane) or the row has fewer than two entries.

    Notes
    -----
    O(d): exact conversion, then a gcd.

    Examples
    --------
    >>> hyperplane_from_row([0, -2, 0]).row
    (0, 1, 0)
    """
    if len(row) < 2:
        raise DomainError(f"row: expected (b, a_1, ..., a_d) with d >= 1, got {list(row)!r}")
    canon = canonical_row(row)
    if not any(canon[1:]):
        raise DomainError(f"row {list(row)!r} has a zero normal vector: it is not a hyperplane")
    return Hyperplane(hyperplane_key(canon)[0])


@dataclass(frozen=True)
class Arrangement:
    """A finite set of distinct affine hyperplanes in R^d (immutable, hashable).

    Build it with :func:`arrangement_from_rows`, :func:`arrangement_from_network`,
    :func:`arrangement_from_mapping` or :func:`read_arrangement`.

    Attributes
    ----------
    dim : int
        Ambient dimension ``d >= 0`` (``d = 0`` only arises by restriction).
    hyperplanes : tuple of Hyperplane
        Strictly increasing (sorted by canonical row, no repetitions).

    Examples
    --------
    >>> A = arrangement_from_rows([(1, 0, 1), (0, 1, 0), (2, 0, 2)])   # y=-1 twice, x=0
    >>> len(A), A.rows
    (2, ((0, 1, 0), (1, 0, 1)))
    """

    dim: int
    hyperplanes: tuple[Hyperplane, ...] = ()

    def __post_init__(self) -> None:
        d = self.dim
        if isinstance(d, bool) or not isinstance(d, int) or d < 0:
            raise DomainError(f"dim: expected an int >= 0, got {d!r}")
        if not isinstance(self.hyperplanes, tuple):
            raise DomainError("hyperplanes: expected a tuple of Hyperplane (use arrangement_from_rows)")
        prev = None
        for i, H in enumerate(self.hyperplanes):
            if not isinstance(H, Hyperplane):
                raise DomainError(f"hyperplanes[{i}]: expected a Hyperplane, got {type(H).__name__}")
            if H.dim != d:
                raise DomainError(f"hyperplanes[{i}]: a hyperplane of R^{H.dim} in an arrangement of R^{d}")
            if prev is not None and not prev < H:
                raise DomainError("hyperplanes: must be sorted and distinct (use arrangement_from_rows)")
            prev = H

    def __len__(self) -> int:
        return len(self.hyperplanes)

    def __iter__(self):
        return iter(self.hyperplanes)

    @property
    def n_hyperplanes(self) -> int:
        """Number m of (distinct) hyperplanes."""
        return len(self.hyperplanes)

    @property
    def rows(self) -> tuple[IntRow, ...]:
        """The canonical rows ``(b, a)``, in order."""
        return tuple(H.row for H in self.hyperplanes)


def _arrangement_of_int_rows(dim: int, rows) -> Arrangement:
    """Internal: rational rows -> Arrangement of those with a non-zero normal (merging)."""
    canon = set()
    for r in rows:
        c = primitive(r)
        if any(c[1:]):
            canon.add(hyperplane_key(c)[0])
    return Arrangement(dim, tuple(Hyperplane(r) for r in sorted(canon)))


def arrangement_from_rows(rows: Sequence[Sequence[Any]], dim: int | None = None) -> Arrangement:
    """The arrangement of the hyperplanes ``b + a·x = 0`` given as rows ``(b, a_1..a_d)``.

    Parameters
    ----------
    rows : sequence of sequences of numbers
        Entries are read exactly with :func:`~exactpoly.rational.to_fraction`.
        Coincident rows (equal up to a non-zero factor) give one hyperplane.
    dim : int, optional
        Ambient dimension; required when *rows* is empty.

    Raises
    ------
    DomainError
        A row of the wrong length, a zero normal vector (naming ``rows[i]``), a bad dim.
    NumberError
        An entry that is not an exact finite number.

    Notes
    -----
    O(m d) plus sorting.

    Examples
    --------
    >>> A = arrangement_from_rows([("1/2", 1), (-1, -2)])   # x = -1/2 and x = -1/2
    >>> A.rows
    ((1, 2),)
    >>> arrangement_from_rows([], dim=3)
    Arrangement(dim=3, hyperplanes=())
    >>> import numpy as np
    >>> arrangement_from_rows(np.array([[0.5, 1.0, -1.0]])).rows   # floats taken exactly
    ((1, 2, -2),)
    """
    rows = list(rows)
    if dim is None:
        if not rows:
            raise DomainError("dim: required when rows is empty")
        dim = len(rows[0]) - 1
    if isinstance(dim, bool) or not isinstance(dim, int) or dim < 0:
        raise DomainError(f"dim: expected an int >= 0, got {dim!r}")
    canon = set()
    for i, r in enumerate(rows):
        if isinstance(r, np.ndarray):
            r = r.tolist()
        if isinstance(r, (str, bytes)) or not isinstance(r, Sequence) or len(r) != dim + 1:
            raise DomainError(f"rows[{i}]: expected {dim + 1} numbers (b, a_1..a_{dim}), got {r!r}")
        c = canonical_row([to_fraction(x, name=f"rows[{i}][{j}]") for j, x in enumerate(r)])
        if not any(c[1:]):
            raise DomainError(f"rows[{i}] = {list(r)!r} has a zero normal vector: it is not a hyperplane")
        canon.add(hyperplane_key(c)[0])
    return Arrangement(dim, tuple(Hyperplane(c) for c in sorted(canon)))


def arrangement_from_network(net: ReluNetwork) -> Arrangement:
    """The arrangement of the first hidden layer of *net*: ``b_i + W_i·x = 0``.

    Neurons with a zero weight row (dead or constant: they cut nothing, docs/conventions.md)
    are left out; neurons with the same zero set give one hyperplane.

    Notes
    -----
    O(n d) for the n neurons of the first layer.

    Examples
    --------
    >>> from exactpoly.network import network_from_layers
    >>> net = network_from_layers(2, [([[1, 0], [2, 0], [0, 0]], [1, 2, 5]), ([[1, 1, 1]], [0])])
    >>> arrangement_from_network(net).rows
    ((1, 1, 0),)
    """
    if not isinstance(net, ReluNetwork):
        raise TypeError(f"net: expected a ReluNetwork, got {type(net).__name__}")
    if net.n_hidden_layers == 0:
        raise DomainError(f"net: a {net.architecture} network has no hidden layer")
    rows = [(b, *w) for w, b in zip(net.weights[0], net.biases[0])]
    return _arrangement_of_int_rows(net.input_dim, [primitive(r) for r in rows])


def arrangement_to_mapping(arrangement: Arrangement) -> dict[str, Any]:
    """The JSON object (format ``exactpoly.arrangement/1``) of an arrangement.

    Notes
    -----
    O(m d).

    Examples
    --------
    >>> arrangement_to_mapping(arrangement_from_rows([(1, 2, 0)]))
    {'format': 'exactpoly.arrangement/1', 'dim': 2, 'hyperplanes': [['1', '2', '0']]}
    """
    _check_arrangement(arrangement)
    return {"format": ARRANGEMENT_FORMAT_TAG, "dim": arrangement.dim,
            "hyperplanes": [[str(x) for x in r] for r in arrangement.rows]}


def arrangement_from_mapping(obj: Any) -> Arrangement:
    """Read an arrangement from its JSON object.

    Format ``{"format": "exactpoly.arrangement/1", "dim": d, "hyperplanes": [[b, a1..ad], ...]}``;
    numbers as in docs/conventions.md (strings ``"p/q"``, integers, exact decimals, JSON
    integers, JSON floats taken exactly). A network object (format
    ``exactpoly.relu-net/1``) is read too and gives :func:`arrangement_from_network`.

    Raises
    ------
    ArrangementFormatError
        Not an object, unknown format tag, a missing key, a bad ``dim``, a row of the
        wrong length or with a zero normal vector, a bad number; the message names it.

    Notes
    -----
    O(m d) exact conversions.

    Examples
    --------
    >>> arrangement_from_mapping({"format": "exactpoly.arrangement/1", "dim": 1,
    ...                           "hyperplanes": [["1/2", 1], [0.5, "1"]]}).rows
    ((1, 2),)
    """
    if not isinstance(obj, Mapping):
        raise ArrangementFormatError(f"expected a JSON object, got {type(obj).__name__}")
    if "format" not in obj:
        raise ArrangementFormatError("missing key 'format'")
    tag = obj["format"]
    if tag == NETWORK_FORMAT_TAG:
        try:
            return arrangement_from_network(network_from_mapping(obj))
        except DomainError as e:
            raise ArrangementFormatError(str(e)) from e
    if tag != ARRANGEMENT_FORMAT_TAG:
        raise ArrangementFormatError(f"unsupported format tag {tag!r} (expected "
                                     f"{ARRANGEMENT_FORMAT_TAG!r} or {NETWORK_FORMAT_TAG!r})")
    for key in ("dim", "hyperplanes"):
        if key not in obj:
            raise ArrangementFormatError(f"missing key {key!r}")
    d = obj["dim"]
    if isinstance(d, bool) or not isinstance(d, int) or d < 1:
        raise ArrangementFormatError(f"dim must be an integer >= 1, got {d!r}")
    hs = obj["hyperplanes"]
    if isinstance(hs, (str, bytes, Mapping)) or not isinstance(hs, Sequence):
        raise ArrangementFormatError(f"'hyperplanes' must be a list of rows, got {type(hs).__name__}")
    canon = set()
    for i, r in enumerate(hs):
        if isinstance(r, (str, bytes, Mapping)) or not isinstance(r, Sequence):
            raise ArrangementFormatError(f"hyperplanes[{i}]: expected a list [b, a1, ..., a{d}], got {r!r}")
        if len(r) != d + 1:
            raise ArrangementFormatError(f"hyperplanes[{i}]: expected {d + 1} numbers (b, a1..a{d}), "
                                         f"got {len(r)}")
        try:
            vals = [to_fraction(x, name=f"hyperplanes[{i}][{j}]") for j, x in enumerate(r)]
        except ValueError as e:
            raise ArrangementFormatError(str(e)) from e
        c = primitive(vals)
        if not any(c[1:]):
            raise ArrangementFormatError(f"hyperplanes[{i}]: zero normal vector (a1..a{d} all 0): "
                                         "not a hyperplane")
        canon.add(hyperplane_key(c)[0])
    return Arrangement(d, tuple(Hyperplane(c) for c in sorted(canon)))


def read_arrangement(path: str | os.PathLike[str]) -> Arrangement:
    """Read an arrangement file (``exactpoly.arrangement/1``), or the first hidden layer
    of a network file (``exactpoly.relu-net/1``).

    Raises
    ------
    ArrangementFormatError
        Unreadable file, malformed JSON, or an invalid arrangement; the message starts
        with the path. (Network files raise the errors of
        :func:`~exactpoly.network.network_from_mapping`.)

    Notes
    -----
    O(file size).

    Examples
    --------
    >>> import tempfile, os
    >>> A = arrangement_from_rows([(0, 1, -1), (1, 1, 0)])
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     write_arrangement(A, os.path.join(tmp, "a.json"))
    ...     read_arrangement(os.path.join(tmp, "a.json")) == A
    True
    """
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except (OSError, UnicodeDecodeError) as e:
        raise ArrangementFormatError(f"{os.fspath(path)}: cannot read arrangement file: {e}") from e
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as e:
        raise ArrangementFormatError(f"{os.fspath(path)}: malformed JSON at line {e.lineno} "
                                     f"column {e.colno}: {e.msg}") from e
    try:
        return arrangement_from_mapping(obj)
    except (ArrangementFormatError, NetworkFormatError) as e:
        raise type(e)(f"{os.fspath(path)}: {e}") from e


def write_arrangement(arrangement: Arrangement, path: str | os.PathLike[str]) -> None:
    """Write an arrangement file atomically (JSON, canonical integer rows as strings)."""
    atomic_write_text(path, json.dumps(arrangement_to_mapping(arrangement), indent=1) + "\n")


def _check_arrangement(arrangement: Any) -> Arrangement:
    if not isinstance(arrangement, Arrangement):
        raise TypeError(f"arrangement: expected an Arrangement, got {type(arrangement).__name__}")
    return arrangement


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


# ----------------------------------------------------------------------------- flats and the poset


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


# ----------------------------------------------------------------------------- characteristic polynomial


def _poly(coeffs_by_degree: Sequence[int]) -> sympy.Poly:
    return sympy.Poly(list(reversed(list(coeffs_by_degree))) or [0], T, domain="ZZ")


def _chi_poset(P: IntersectionPoset) -> list[int]:
    d = P.arrangement.dim
    c = [0] * (d + 1)
    for X, v in zip(P.flats, P.mobius_values):
        c[X.dim] += v
    return c


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


def _eval(p: sympy.Poly, x: int) -> int:
    return int(p.eval(x))


# ----------------------------------------------------------------------------- counts


def arrangement_rank(arrangement: Arrangement) -> int:
    """The rank of A: the dimension of the span of the normal vectors.

    Notes
    -----
    Rank of the normal matrix by exact fraction-free elimination, O(m d^2).

    Examples
    --------
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
    >>> is_essential(arrangement_from_rows([(0, 1, 0)]))
    False
    """
    A = _check_arrangement(arrangement)
    return arrangement_rank(A) == A.dim


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
    >>> zaslavsky_bound(arrangement_from_rows([(0, 1, 0), (0, 0, 1), (0, 1, 1)]))
    7
    """
    A = _check_arrangement(arrangement)
    return sum(comb(len(A), i) for i in range(A.dim + 1))


# ----------------------------------------------------------------------------- constructions


def deletion(arrangement: Arrangement, hyperplane: Hyperplane) -> Arrangement:
    """A - H: the arrangement without *hyperplane* (KeyError if it is not in A).

    Notes
    -----
    O(m).

    Examples
    --------
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
    >>> A = arrangement_from_rows([(0, 1, 0), (0, 0, 1), (-1, 1, 1), (1, 1, 0)])
    >>> restriction(A, hyperplane_from_row([0, 1, 0])).rows   # on x = 0: y = 1 and y = 0
    ((-1, 1), (0, 1))
    """
    A = _check_arrangement(arrangement)
    if not isinstance(hyperplane, Hyperplane) or hyperplane.dim != A.dim:
        raise DomainError(f"hyperplane: expected a Hyperplane of R^{A.dim}, got {hyperplane!r}")
    return _arrangement_of_int_rows(A.dim - 1, _restrict_rows(A.rows, hyperplane.row))


def direct_sum(first: Arrangement, second: Arrangement) -> Arrangement:
    """The product arrangement A1 × A2 in R^{d1 + d2}: {H × R^{d2}} ∪ {R^{d1} × K}.

    χ_{A1 × A2} = χ_{A1} · χ_{A2} (Stanley, Lecture 2).

    Notes
    -----
    O((m1 + m2)(d1 + d2)).

    Examples
    --------
    >>> direct_sum(arrangement_from_rows([(1, 1)]), arrangement_from_rows([(0, 1)])).rows
    ((0, 0, 1), (1, 1, 0))
    """
    A, B = _check_arrangement(first), _check_arrangement(second)
    rows = [r + (0,) * B.dim for r in A.rows] + [(r[0],) + (0,) * A.dim + r[1:] for r in B.rows]
    return _arrangement_of_int_rows(A.dim + B.dim, rows)


# ----------------------------------------------------------------------------- checks of the region complex


@dataclass(frozen=True)
class CountCheck:
    """One identity between a count read off the region complex and a formula.

    Attributes
    ----------
    quantity : str
        What is counted, e.g. ``"child regions"``, ``"regions"``, ``"facets_total"``.
    layer : int or None
        0-based hidden layer whose neurons cut (None for whole-complex checks).
    parent : str or None
        Activation pattern of the parent region (``""``: the domain), or None.
    complex_count : int
        The number in the complex.
    formula_count : int
        The number from the formula.
    formula : str
        How ``formula_count`` was obtained.
    """

    quantity: str
    layer: int | None
    parent: str | None
    complex_count: int
    formula_count: int
    formula: str

    @property
    def ok(self) -> bool:
        return self.complex_count == self.formula_count

    def __str__(self) -> str:
        where = []
        if self.layer is not None:
            where.append(f"hidden layer {self.layer} (0-based)")
        if self.parent is not None:
            where.append(f"parent pattern {self.parent!r}" if self.parent else "parent = the domain")
        loc = ", ".join(where) + ": " if where else ""
        verdict = "ok" if self.ok else "MISMATCH"
        return (f"{verdict}: {loc}{self.quantity}: complex {self.complex_count}, "
                f"{self.formula} {self.formula_count}")


@dataclass(frozen=True)
class CountReport:
    """The result of :func:`check_layer_counts`: every identity checked, in order."""

    checks: tuple[CountCheck, ...]

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    @property
    def failures(self) -> tuple[CountCheck, ...]:
        return tuple(c for c in self.checks if not c.ok)

    def __str__(self) -> str:
        bad = self.failures
        head = (f"{len(self.checks)} count identities checked, all hold" if not bad else
                f"{len(bad)} of {len(self.checks)} count identities FAIL")
        return "\n".join([head, *(str(c) for c in bad)])


def _wall_pieces(A: Arrangement, B: Fraction, j: int, side: int) -> int:
    """Pieces into which A cuts the open facet {x_j = side·B, |x_i| < B} of the box."""
    d = A.dim
    if d == 1:
        return 1
    rows = []
    for r in A.rows:
        a = r[1:]
        rest = a[:j] + a[j + 1:]
        if any(rest):
            rows.append(primitive([r[0] + a[j] * side * B, *rest]))
    W = _arrangement_of_int_rows(d - 1, rows)
    return n_regions(W, domain=[r for r, _ in box_rows(B, d - 1)])


def check_layer_counts(complex: Any) -> CountReport:
    """Check the region complex against Zaslavsky's counts, layer by layer.

    For every hidden layer l and every region P of layer l (the *parent*; at l = 0
    the open domain), the number of regions of layer l + 1 inside P — read off the
    complex as the distinct pattern prefixes extending P's — must equal the number
    of regions of the local arrangement inside the open polyhedron P (docs/property-testing.md):
    the hyperplanes of layer l's neurons on P, computed exactly from the network and
    P's pattern (the local affine map of the earlier layers), dead and constant
    neurons left out, coincident hyperplanes merged, counted by
    ``Σ_{X meeting P} |μ(0̂, X)|`` (:func:`n_regions` with a domain). Also
    ``history[l]`` must equal the number of distinct prefixes of layer l.

    For a one-hidden-layer net, with A = :func:`arrangement_from_network`:

    * R^d: ``regions == n_regions(A)`` and ``facets_total == 2 f_{d-1}(A)`` (each
      (d-1)-face bounds two regions);
    * box ``[-B, B]^d``: ``regions == n_regions(A, box)``; ``regions == n_regions(A)``
      too when every flat of A meets the open box; and ``facets_total`` equals the face
      count of the proof of Theorem 3 of arXiv 2305.09145: 2 × the (d-1)-faces of A
      inside the open box plus the pieces into which A cuts the 2d open box facets.

    Parameters
    ----------
    complex : RegionComplex

    Returns
    -------
    CountReport
        ``report.ok``; ``report.failures`` name the layer, the parent pattern and
        both numbers.

    Notes
    -----
    Exact throughout (Fraction local maps, one strict-feasibility double description
    per candidate flat of each local arrangement). O(#parents · |local poset| · DD).

    Examples
    --------
    >>> from exactpoly.network import network_from_layers
    >>> from exactpoly.complex import region_complex
    >>> net = network_from_layers(2, [([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], ["-1/2"]), ([[1]], [0])])
    >>> report = check_layer_counts(region_complex(net, box=1))
    >>> report.ok, len(report.checks)
    (True, 8)
    >>> print(report.checks[5])   # on x < 0 < y the second layer sees ReLU(y) - 1/2
    ok: hidden layer 1 (0-based), parent pattern '01': child regions: complex 2,
    Zaslavsky count of the local arrangement in the parent 2
    >>> print(report)
    8 count identities checked, all hold
    """
    from ..complex import RegionComplex

    if not isinstance(complex, RegionComplex):
        raise TypeError(f"complex: expected a RegionComplex, got {type(complex).__name__}")
    cx = complex
    net = cx.network
    d = net.input_dim
    L = net.n_hidden_layers
    ends = (*net.neuron_offsets, net.n_hidden_neurons)
    patterns = [r.pattern for r in cx.regions]
    domain_rows: list[IntRow] = [] if cx.box is None else [r for r, _ in box_rows(cx.box, d)]
    checks: list[CountCheck] = []
    prefixes = [sorted({p[:ends[l]] for p in patterns}) for l in range(L + 1)]
    for l in range(L + 1):
        checks.append(CountCheck(f"regions after {l} hidden layer(s) (history)", None, None,
                                 cx.history[l] if l < len(cx.history) else -1, len(prefixes[l]),
                                 "distinct pattern prefixes"))
    maps = PatternMaps(net)
    for l in range(L):
        children = Counter(q[:ends[l]] for q in prefixes[l + 1])
        for P in prefixes[l]:
            strict = maps.region_rows(P)
            if strict is None:
                count = 0
            else:
                K = domain_rows + list(strict)
                loc = _arrangement_of_int_rows(d, maps.preactivations(P)[0])
                if K:
                    count = n_regions(loc, domain=K)
                else:
                    count = n_regions(loc)
            checks.append(CountCheck("child regions", l, "".join(map(str, P)), children[P], count,
                                     "Zaslavsky count of the local arrangement in the parent"))
    if L == 1:
        A = arrangement_from_network(net)
        full = intersection_poset(A)
        regions_rd = (-1) ** d * _eval(_poly(_chi_poset(full)), -1)
        if cx.box is None:
            checks.append(CountCheck("regions", None, None, cx.n_regions, regions_rd,
                                     "(-1)^d chi(-1) of the first-layer arrangement"))
            checks.append(CountCheck("facets_total", None, None, cx.facets_total,
                                     2 * _face_vector_of(full)[d - 1], "2 f_{d-1} of the first-layer arrangement"))
        else:
            B = cx.box
            inside = intersection_poset(A, domain_rows)
            checks.append(CountCheck("regions", None, None, cx.n_regions,
                                     sum(abs(v) for v in inside.mobius_values),
                                     "Zaslavsky count of the first-layer arrangement in the open box"))
            if len(inside) == len(full):
                checks.append(CountCheck("regions (every flat meets the box: count of R^d)", None, None,
                                         cx.n_regions, regions_rd,
                                         "(-1)^d chi(-1) of the first-layer arrangement"))
            interior = _face_vector_of(inside)[d - 1]
            walls = sum(_wall_pieces(A, B, j, s) for j in range(d) for s in (-1, 1))
            checks.append(CountCheck("facets_total", None, None, cx.facets_total, 2 * interior + walls,
                                     f"Theorem 3 face count 2 x {interior} interior (d-1)-faces + {walls} "
                                     "box-wall pieces ="))
    return CountReport(tuple(checks))


def format_polynomial(p: sympy.Poly) -> str:
    """A polynomial with integer coefficients as plain text, highest degree first.

    Notes
    -----
    O(degree).

    Examples
    --------
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
