"""Hyperplanes and arrangements as exact values: canonical rows, constructors, JSON files.

A hyperplane is ``b + a·x = 0`` with ``a != 0`` (docs/conventions.md, "Rows and hyperplanes"); its canonical form
is the row ``(b, a)`` scaled to coprime integers with the first non-zero entry of ``a``
positive (:func:`~exactpoly.geometry.rows.hyperplane_key`), so equal hyperplanes compare and
hash equal. An :class:`Arrangement` is a finite *set* of hyperplanes of R^d (coincident rows
are merged), stored as a sorted tuple. Arrangements may be affine (not central) and need not
be essential. Files and JSON objects have the format ``exactpoly.arrangement/1``.

Examples
--------
>>> A = arrangement_from_rows([(0, 1, 0), (0, 0, 2), (0, 0, "-1/3")])   # x = 0, y = 0 twice
>>> A.rows, hyperplane_from_row(["1/2", -1]).row
(((0, 0, 1), (0, 1, 0)), (-1, 2))
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import ArrangementFormatError, DomainError, NetworkFormatError
from ..geometry.linalg import primitive
from ..geometry.polyhedron import canonical_row
from ..geometry.rows import IntRow, hyperplane_key
from ..io.atomic import atomic_write_text
from ..io.jsonfile import read_json_file
from ..network import FORMAT_TAG as NETWORK_FORMAT_TAG
from ..network import ReluNetwork, network_from_mapping
from ..rational import to_fraction

__all__ = [
    "ARRANGEMENT_FORMAT_TAG",
    "Arrangement",
    "Hyperplane",
    "arrangement_from_mapping",
    "arrangement_from_network",
    "arrangement_from_rows",
    "arrangement_to_mapping",
    "hyperplane_from_row",
    "read_arrangement",
    "write_arrangement",
]


ARRANGEMENT_FORMAT_TAG = "exactpoly.arrangement/1"


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


@dataclass(frozen=True, repr=False)
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

    def __repr__(self) -> str:
        """``<Arrangement of m hyperplanes in R^d>``; O(1) (equality and hashing are the fields').

        >>> arrangement_from_rows([(1, 0, 1), (0, 1, 0)])
        <Arrangement of 2 hyperplanes in R^2>
        """
        m = len(self.hyperplanes)
        return f"<Arrangement of {m} hyperplane{'' if m == 1 else 's'} in R^{self.dim}>"

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
    <Arrangement of 0 hyperplanes in R^3>
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
    obj = read_json_file(path, what="arrangement file", error=ArrangementFormatError)
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
