"""Public hypothesis strategies for property tests of claims about ReLU geometry.

Every value these strategies generate is exact: weights, rows and box sizes are
:class:`fractions.Fraction` (docs/conventions.md, "Numbers"), so a property that holds in
rational arithmetic can be tested with ``==`` and ``<=`` and no tolerance.

* :func:`relu_networks` — :class:`~exactpoly.network.ReluNetwork` values, optionally
  with zero biases and deliberately degenerate neurons (duplicated, opposite,
  scaled, parallel, dead, constant, concurrent, relaying an earlier neuron);
* :func:`arrangements` — :class:`~exactpoly.arrangements.hyperplanes.Arrangement` values
  (hyperplanes ``b + a·x = 0``), optionally in general position, central or
  degenerate;
* :func:`polyhedra` — :class:`~exactpoly.geometry.polyhedron.Polyhedron` values, bounded or
  not, full-dimensional or not, with degenerate rows on request;
* :func:`boxes` — box half-widths ``B > 0`` for ``region_complex(net, box=B)``;
* :func:`fractions` — small exact rationals, the default entries of all of them.

Arguments are validated when the strategy is created (or, for arguments given as
strategies, when a value is drawn): a bad argument raises
:class:`hypothesis.errors.InvalidArgument` whose message starts with the
argument's name, as hypothesis's own strategies do. Hypothesis is needed
(``pip install 'exactpoly[test]'``); ``import exactpoly`` does not import this
module.

Examples
--------
>>> from hypothesis import given, settings
>>> from exactpoly.complex import region_complex
>>> @settings(max_examples=20, deadline=None)
... @given(relu_networks(input_dim=1, widths=[2]))
... def test_volume(net):
...     assert region_complex(net, box=1).volume_total == 2
>>> test_volume()
>>> relu_networks(input_dim=0)
Traceback (most recent call last):
    ...
hypothesis.errors.InvalidArgument: input_dim: expected an int >= 1 or a strategy of them, got 0
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from fractions import Fraction
from itertools import combinations
from typing import Any, TypeVar

from hypothesis import reject
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

from .arrangements.hyperplanes import Arrangement, arrangement_from_rows
from .errors import NumberError
from .geometry.linalg import rank
from .geometry.polyhedron import Polyhedron, polyhedron_from_rows
from .network import ReluNetwork
from .rational import to_fraction

__all__ = [
    "DEGENERACIES",
    "ARRANGEMENT_DEGENERACIES",
    "POLYHEDRON_DEGENERACIES",
    "fractions",
    "boxes",
    "relu_networks",
    "arrangements",
    "polyhedra",
]

#: Kinds of degenerate neurons :func:`relu_networks` can plant (``degenerate=True`` means all).
DEGENERACIES = ("duplicate", "opposite", "scaled", "parallel", "dead", "constant",
                "concurrent", "relay")
#: Kinds of degenerate hyperplanes :func:`arrangements` can plant.
ARRANGEMENT_DEGENERACIES = ("parallel", "concurrent")
#: Kinds of degenerate rows :func:`polyhedra` can plant.
POLYHEDRON_DEGENERACIES = ("duplicate", "redundant", "through_point")

_SCALES = (Fraction(2), Fraction(1, 2), Fraction(-1), Fraction(3), Fraction(-2), Fraction(-1, 2))
_MAX_TRIES = 24  # fresh draws of one hyperplane before the whole example is rejected

T = TypeVar("T")
Row = tuple[Fraction, ...]


# ----------------------------------------------------------------------------- validation


def _fraction_arg(value: Any, name: str) -> Fraction:
    try:
        return to_fraction(value, name=name)
    except NumberError as e:
        raise InvalidArgument(str(e)) from None


def _check_bool(value: Any, name: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidArgument(f"{name}: expected True or False, got {value!r}")
    return value


def _check_int(value: Any, name: str, min_value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < min_value:
        raise InvalidArgument(f"{name}: expected an int >= {min_value}, got {value!r}")
    return value


def _check_strategy(value: Any, name: str) -> SearchStrategy[Any]:
    if not isinstance(value, SearchStrategy):
        raise InvalidArgument(f"{name}: expected a hypothesis strategy, got "
                              f"{type(value).__name__} {value!r}")
    return value


def _int_strategy(value: Any, name: str, min_value: int) -> SearchStrategy[int]:
    """An int argument (checked now) or a strategy of ints (each draw checked)."""
    if isinstance(value, SearchStrategy):
        def check(x: Any) -> int:
            if isinstance(x, bool) or not isinstance(x, int) or x < min_value:
                raise InvalidArgument(f"{name}: the strategy drew {x!r}, expected an int "
                                      f">= {min_value}")
            return x
        return value.map(check)
    if isinstance(value, bool) or not isinstance(value, int) or value < min_value:
        raise InvalidArgument(f"{name}: expected an int >= {min_value} or a strategy of them, "
                              f"got {value!r}")
    return st.just(value)


def _kinds(value: Any, name: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
    if value is False:
        return ()
    if value is True:
        return allowed
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InvalidArgument(f"{name}: expected a bool or a collection of kinds from "
                              f"{allowed}, got {value!r}")
    kinds = tuple(value)
    bad = [k for k in kinds if k not in allowed]
    if bad or not kinds:
        raise InvalidArgument(f"{name}: unknown kind(s) {bad!r}; choose from {allowed}"
                              if bad else f"{name}: an empty collection of kinds; use False")
    return tuple(k for k in allowed if k in kinds)  # documented order, no repeats


def _number(draw: Callable[[SearchStrategy[Any]], Any], strategy: SearchStrategy[Any],
            name: str) -> Fraction:
    x = draw(strategy)
    try:
        return to_fraction(x, name=name)
    except NumberError as e:
        raise InvalidArgument(f"{name}: the strategy drew {x!r}, which is not an exact "
                              f"finite number ({e})") from None


# ----------------------------------------------------------------------------- numbers


def fractions(min_value: Any = -2, max_value: Any = 2, *,
              max_denominator: int | None = 2) -> SearchStrategy[Fraction]:
    """Exact rationals in ``[min_value, max_value]`` with small denominators.

    The default ``fractions()`` draws from the 9 values ``-2, -3/2, ..., 3/2, 2``:
    so few that duplicated, parallel and concurrent hyperplanes arise by chance,
    which is what exact geometry code must survive.

    Parameters
    ----------
    min_value, max_value : number or None
        Bounds (anything :func:`~exactpoly.rational.to_fraction` reads: ints,
        Fractions, ``"p/q"`` strings, floats taken exactly); None for no bound.
    max_denominator : int or None
        Largest denominator, ``>= 1``; None for any.

    Returns
    -------
    SearchStrategy of Fraction

    Notes
    -----
    A thin layer over :func:`hypothesis.strategies.fractions`; examples shrink
    towards smaller denominators, then towards zero (or the bound nearest to it).

    Examples
    --------
    >>> fractions("1/2", 0)
    Traceback (most recent call last):
        ...
    hypothesis.errors.InvalidArgument: max_value: 0 is smaller than min_value 1/2
    """
    lo = None if min_value is None else _fraction_arg(min_value, "min_value")
    hi = None if max_value is None else _fraction_arg(max_value, "max_value")
    if lo is not None and hi is not None and hi < lo:
        raise InvalidArgument(f"max_value: {max_value!r} is smaller than min_value {min_value}")
    if max_denominator is not None:
        _check_int(max_denominator, "max_denominator", 1)
        for bound, bname in ((lo, "min_value"), (hi, "max_value")):
            if bound is not None and bound.denominator > max_denominator:
                raise InvalidArgument(f"{bname}: {bound} has a denominator larger than "
                                      f"max_denominator={max_denominator}")
    return st.fractions(lo, hi, max_denominator=max_denominator)


def boxes(*, min_value: Any = "1/4", max_value: Any = 4,
          max_denominator: int = 4) -> SearchStrategy[Fraction]:
    """Box half-widths ``B`` (a positive Fraction) for ``region_complex(net, box=B)``.

    Parameters
    ----------
    min_value, max_value : number
        ``0 < min_value <= max_value``.
    max_denominator : int
        Largest denominator of B, ``>= 1``.

    Returns
    -------
    SearchStrategy of Fraction

    Notes
    -----
    Examples shrink towards ``B = 1`` (the default box of exactpoly) when 1 is in
    range, otherwise towards smaller denominators and then ``min_value``.

    Examples
    --------
    >>> boxes(min_value=0)
    Traceback (most recent call last):
        ...
    hypothesis.errors.InvalidArgument: min_value: a box half-width must be > 0, got 0
    """
    lo = _fraction_arg(min_value, "min_value")
    if lo <= 0:
        raise InvalidArgument(f"min_value: a box half-width must be > 0, got {min_value!r}")
    values = fractions(lo, max_value, max_denominator=max_denominator)
    hi = _fraction_arg(max_value, "max_value")
    if lo <= 1 <= hi:
        return st.one_of(st.just(Fraction(1)), values)
    return values


# ----------------------------------------------------------------------------- networks


def _widths_strategy(widths: Any) -> SearchStrategy[tuple[int, ...]]:
    def check(ws: Any) -> tuple[int, ...]:
        if isinstance(ws, (str, bytes)) or not isinstance(ws, Sequence):
            raise InvalidArgument(f"widths: expected a sequence of ints >= 1, got {ws!r}")
        for w in ws:
            if isinstance(w, bool) or not isinstance(w, int) or w < 1:
                raise InvalidArgument(f"widths: every hidden width must be an int >= 1, "
                                      f"got {w!r} in {ws!r}")
        return tuple(ws)
    if widths is None:
        return st.lists(st.integers(1, 3), min_size=1, max_size=2).map(tuple)
    if isinstance(widths, SearchStrategy):
        return widths.map(check)
    return st.just(check(widths))


def relu_networks(*, input_dim: int | SearchStrategy[int] = 2,
                  widths: Sequence[int] | SearchStrategy[Sequence[int]] | None = None,
                  output_dim: int | SearchStrategy[int] = 1,
                  weights: SearchStrategy[Any] | None = None,
                  biases: SearchStrategy[Any] | None = None,
                  zero_bias: bool = False,
                  degenerate: bool | Iterable[str] = False) -> SearchStrategy[ReluNetwork]:
    """ReLU networks with exact rational weights.

    Parameters
    ----------
    input_dim : int or strategy of int
        Input dimension ``d >= 1``.
    widths : sequence of int, strategy of sequences, or None
        Hidden widths ``(n_1, ..., n_L)``, each ``>= 1`` (an empty sequence gives a
        net without hidden layers). Default: 1 or 2 hidden layers of 1 to 3 neurons.
    output_dim : int or strategy of int
        Number of outputs (``>= 1``); the affine output layer creates no regions.
    weights : strategy of numbers, optional
        Entries of the weight matrices; anything
        :func:`~exactpoly.rational.to_fraction` reads (ints, Fractions,
        ``"p/q"``, floats such as ``st.floats(-1, 1, width=32)``, taken as their
        exact binary value). Default :func:`fractions`.
    biases : strategy of numbers, optional
        Entries of the bias vectors; default: the *weights* strategy.
    zero_bias : bool
        Every bias (all layers) exactly 0, the setting of Theorem 10.
    degenerate : bool or collection of str
        Plant degenerate neurons: ``True`` for all kinds in :data:`DEGENERACIES`
        (but ``parallel`` and ``constant`` when ``zero_bias``), or a collection of
        them. Per neuron a coin decides between an ordinary neuron and a planted
        kind: ``duplicate`` (an earlier neuron of the layer again), ``opposite``
        (its negative), ``scaled`` (times 2, 1/2, -1, 3, -2 or -1/2), ``parallel``
        (same weights, another bias), ``dead`` (all zero), ``constant`` (zero
        weights, non-zero bias), ``concurrent`` (a combination of two earlier
        neurons' rows, so its hyperplane passes through their intersection),
        ``relay`` (one non-zero weight: an axis-parallel hyperplane in the first
        layer; in later layers a zero-bias neuron whose zero set runs along an
        earlier neuron's bent hyperplane). Kinds needing earlier neurons of the
        same layer fall back to an ordinary neuron for the first ones.

    Returns
    -------
    SearchStrategy of ReluNetwork

    Raises
    ------
    hypothesis.errors.InvalidArgument
        A bad argument; the message starts with its name.

    Notes
    -----
    Generation order: input dimension, widths, then layer by layer and neuron by
    neuron (weights row-major, then the bias), the output layer last. Examples
    shrink towards fewer and narrower layers (as the *widths* strategy shrinks),
    smaller input dimension, entries towards zero and small denominators (as
    *weights* shrinks), and planted neurons towards ordinary ones. The region
    complex grows fast with the number of neurons: keep widths small.

    Examples
    --------
    >>> relu_networks(widths=[2, 0])
    Traceback (most recent call last):
        ...
    hypothesis.errors.InvalidArgument: widths: every hidden width must be an int >= 1, got 0 in [2, 0]
    >>> relu_networks(zero_bias=True, degenerate=["constant"])
    Traceback (most recent call last):
        ...
    hypothesis.errors.InvalidArgument: degenerate: 'constant' needs a non-zero bias, but zero_bias=True
    """
    dims = _int_strategy(input_dim, "input_dim", 1)
    outs = _int_strategy(output_dim, "output_dim", 1)
    width_st = _widths_strategy(widths)
    w_st = fractions() if weights is None else _check_strategy(weights, "weights")
    zero_bias = _check_bool(zero_bias, "zero_bias")
    if zero_bias and biases is not None:
        raise InvalidArgument("biases: must be None when zero_bias=True")
    b_st = w_st if biases is None else _check_strategy(biases, "biases")
    if degenerate is True and zero_bias:
        kinds = tuple(k for k in DEGENERACIES if k not in ("parallel", "constant"))
    else:
        kinds = _kinds(degenerate, "degenerate", DEGENERACIES)
        for k in ("parallel", "constant"):
            if zero_bias and k in kinds:
                raise InvalidArgument(f"degenerate: {k!r} needs a non-zero bias, but zero_bias=True")

    @st.composite
    def build(draw: Callable[[SearchStrategy[Any]], Any]) -> ReluNetwork:
        d = draw(dims)
        ws = draw(width_st)
        n_out = draw(outs)
        zero = Fraction(0)

        def bias() -> Fraction:
            return zero if zero_bias else _number(draw, b_st, "biases")

        weights_out: list[tuple[tuple[Fraction, ...], ...]] = []
        biases_out: list[tuple[Fraction, ...]] = []
        prev = d
        for layer, n in enumerate(ws):
            W: list[tuple[Fraction, ...]] = []
            b: list[Fraction] = []
            for _ in range(n):
                kind = "generic"
                if kinds and draw(st.booleans()):
                    kind = draw(st.sampled_from(kinds))
                if kind in ("duplicate", "opposite", "scaled", "parallel") and not W:
                    kind = "generic"
                if kind == "concurrent" and len(W) < 2:
                    kind = "generic"
                if kind == "generic":
                    row = tuple(_number(draw, w_st, "weights") for _ in range(prev))
                    c = bias()
                elif kind in ("duplicate", "opposite", "scaled", "parallel"):
                    k = draw(st.integers(0, len(W) - 1))
                    s = {"duplicate": Fraction(1), "opposite": Fraction(-1),
                         "parallel": Fraction(1)}.get(kind) or draw(st.sampled_from(_SCALES))
                    row = tuple(s * x for x in W[k])
                    c = bias() if kind == "parallel" else s * b[k]
                elif kind == "dead":
                    row, c = (zero,) * prev, zero
                elif kind == "constant":
                    row, c = (zero,) * prev, bias() or Fraction(1)
                elif kind == "concurrent":
                    j, k = draw(st.lists(st.integers(0, len(W) - 1), min_size=2, max_size=2,
                                         unique=True))
                    s, t = draw(st.sampled_from(_SCALES)), draw(st.sampled_from(_SCALES))
                    row = tuple(s * x + t * y for x, y in zip(W[j], W[k]))
                    c = s * b[j] + t * b[k]
                else:  # relay
                    k = draw(st.integers(0, prev - 1))
                    row = tuple(draw(st.sampled_from(_SCALES[:3])) if i == k else zero
                                for i in range(prev))
                    c = bias() if layer == 0 else zero
                W.append(row)
                b.append(c)
            weights_out.append(tuple(W))
            biases_out.append(tuple(b))
            prev = n
        weights_out.append(tuple(tuple(_number(draw, w_st, "weights") for _ in range(prev))
                                 for _ in range(n_out)))
        biases_out.append(tuple(bias() for _ in range(n_out)))
        return ReluNetwork(d, tuple(weights_out), tuple(biases_out))

    return build()


# ----------------------------------------------------------------------------- arrangements


def _normal_key(row: Row) -> tuple[Fraction, ...]:
    """The hyperplane of *row* up to non-zero scaling (first non-zero normal entry 1)."""
    lead = next(x for x in row[1:] if x)
    return tuple(x / lead for x in row)


def _fits_general_position(rows: list[Row], new: Row, d: int) -> bool:
    """Does adding *new* to rows in general position keep general position?

    General position: any k <= d normals are linearly independent, and any d + 1
    hyperplanes have an empty intersection (their rows ``(b, a)`` have rank d + 1).
    Only subsets containing *new* need checking.
    """
    normal = [new[1:]]
    for k in range(1, min(d - 1, len(rows)) + 1):
        for sub in combinations(rows, k):
            if rank([r[1:] for r in sub] + normal) != k + 1:
                return False
    if len(rows) >= d:
        for sub in combinations(rows, d):
            if rank([*sub, new]) != d + 1:
                return False
    return True


def _fits_central_general_position(rows: list[Row], new: Row, d: int) -> bool:
    """Any min(d, k) normals of a central arrangement are independent (Lemma 6)."""
    for k in range(1, min(d - 1, len(rows)) + 1):
        for sub in combinations(rows, k):
            if rank([r[1:] for r in sub] + [new[1:]]) != k + 1:
                return False
    return True


def arrangements(*, dim: int | SearchStrategy[int] = 2,
                 size: int | SearchStrategy[int] | None = None,
                 coefficients: SearchStrategy[Any] | None = None,
                 general_position: bool = False,
                 central: bool = False,
                 degenerate: bool | Iterable[str] = False
                 ) -> SearchStrategy[Arrangement]:
    """Affine hyperplane arrangements in R^d as :class:`~exactpoly.arrangements.hyperplanes.Arrangement`.

    Rows ``(b, a_1, ..., a_d)`` (the hyperplane ``b + a·x = 0``, docs/conventions.md, "Rows and hyperplanes")
    are drawn with non-zero normals and pairwise distinct hyperplanes, so *size*
    is exactly the number of hyperplanes of the arrangement (``len(A)``);
    ``A.rows`` holds them in canonical form.

    Parameters
    ----------
    dim : int or strategy of int
        Ambient dimension ``d >= 1``.
    size : int or strategy of int, optional
        Number of hyperplanes (``>= 0``); default 0 to 5.
    coefficients : strategy of numbers, optional
        Entries ``b`` and ``a_j`` (read exactly); default
        ``fractions(-3, 3, max_denominator=3)``.
    general_position : bool
        Any ``k <= d`` normals are linearly independent and any ``d + 1``
        hyperplanes have an empty intersection. With ``central=True``: any ``k <=
        d`` normals are independent (the hypothesis of Lemma 6 / Theorem 10).
    central : bool
        Every hyperplane passes through the origin (``b = 0``).
    degenerate : bool or collection of str
        Plant degenerate hyperplanes (``True``: all of
        :data:`ARRANGEMENT_DEGENERACIES`): ``parallel`` (the normal of an earlier
        hyperplane with another ``b``; not with ``central``) and ``concurrent``
        (a combination of two earlier rows: through their intersection). Not
        with ``general_position``.

    Returns
    -------
    SearchStrategy of Arrangement

    Raises
    ------
    hypothesis.errors.InvalidArgument
        A bad argument; the message starts with its name.

    Notes
    -----
    Hyperplanes are drawn one after the other; a candidate that would repeat a
    hyperplane or break general position is redrawn (up to 24 times, then the
    example is rejected), checked exactly with ranks over the new subsets:
    O(C(m, d) d^3) rank work per hyperplane. Examples shrink towards fewer
    hyperplanes (the empty arrangement first), lower dimension, and coefficients
    towards zero and small denominators.

    Examples
    --------
    >>> arrangements(general_position=True, degenerate=True)
    Traceback (most recent call last):
        ...
    hypothesis.errors.InvalidArgument: degenerate: cannot plant degenerate hyperplanes in general position
    """
    dims = _int_strategy(dim, "dim", 1)
    sizes = st.integers(0, 5) if size is None else _int_strategy(size, "size", 0)
    c_st = fractions(-3, 3, max_denominator=3) if coefficients is None \
        else _check_strategy(coefficients, "coefficients")
    general_position = _check_bool(general_position, "general_position")
    central = _check_bool(central, "central")
    if degenerate is not False and general_position:
        raise InvalidArgument("degenerate: cannot plant degenerate hyperplanes in general position")
    if degenerate is True and central:
        kinds: tuple[str, ...] = ("concurrent",)
    else:
        kinds = _kinds(degenerate, "degenerate", ARRANGEMENT_DEGENERACIES)
        if central and "parallel" in kinds:
            raise InvalidArgument("degenerate: 'parallel' hyperplanes cannot all pass through "
                                  "the origin (central=True)")
    zero = Fraction(0)

    @st.composite
    def build(draw: Callable[[SearchStrategy[Any]], Any]) -> Arrangement:
        d = draw(dims)
        m = draw(sizes)
        if central and d == 1 and m > 1:
            raise InvalidArgument(f"size: a central arrangement in dimension 1 has at most one "
                                  f"hyperplane, got size={m}")
        rows: list[Row] = []
        keys: set[tuple[Fraction, ...]] = set()
        for _ in range(m):
            for _try in range(_MAX_TRIES):
                kind = "generic"
                if kinds and rows and draw(st.booleans()):
                    kind = draw(st.sampled_from(kinds))
                    if kind == "concurrent" and len(rows) < 2:
                        kind = "parallel" if "parallel" in kinds else "generic"
                if kind == "parallel":
                    base = rows[draw(st.integers(0, len(rows) - 1))]
                    row: Row = (_number(draw, c_st, "coefficients"), *base[1:])
                elif kind == "concurrent":
                    j, k = draw(st.lists(st.integers(0, len(rows) - 1), min_size=2, max_size=2,
                                         unique=True))
                    s, t = draw(st.sampled_from(_SCALES)), draw(st.sampled_from(_SCALES))
                    row = tuple(s * x + t * y for x, y in zip(rows[j], rows[k]))
                else:
                    b = zero if central else _number(draw, c_st, "coefficients")
                    row = (b, *(_number(draw, c_st, "coefficients") for _ in range(d)))
                if not any(row[1:]):
                    continue
                key = _normal_key(row)
                if key in keys:
                    continue
                if general_position and not (
                        _fits_central_general_position(rows, row, d) if central
                        else _fits_general_position(rows, row, d)):
                    continue
                rows.append(row)
                keys.add(key)
                break
            else:
                reject()
        return arrangement_from_rows(rows, dim=d)

    return build()


# ----------------------------------------------------------------------------- polyhedra


def polyhedra(*, dim: int | SearchStrategy[int] = 2,
              n_halfspaces: int | SearchStrategy[int] | None = None,
              coefficients: SearchStrategy[Any] | None = None,
              bounded: bool | None = True,
              full_dimensional: bool = True,
              degenerate: bool | Iterable[str] = False) -> SearchStrategy[Polyhedron]:
    """Non-empty convex polyhedra ``{x : b_i + a_i·x >= 0}`` as :class:`~exactpoly.geometry.polyhedron.Polyhedron`.

    A centre ``c`` is drawn first; every random half-space contains ``c`` in its
    interior (``b + a·c > 0``), so the polyhedron is non-empty.

    Parameters
    ----------
    dim : int or strategy of int
        Ambient dimension ``d >= 1``.
    n_halfspaces : int or strategy of int, optional
        Number of random half-spaces (``>= 0``), on top of the box rows of a
        bounded polyhedron and the equalities of a lower-dimensional one;
        default 0 to 5.
    coefficients : strategy of numbers, optional
        Entries of the normals ``a`` and of the centre; default :func:`fractions`.
    bounded : bool or None
        True: the rows of a box ``c + [-B, B]^d`` (B from :func:`boxes`) are
        added, so the polyhedron is bounded. False: every normal ``a`` has
        ``a_1 >= 0``, so ``e_1`` is a recession direction and the polyhedron is
        unbounded. None: either, decided by a coin.
    full_dimensional : bool
        True: ``c`` is an interior point, the polyhedron has dimension d. False:
        1 to d hyperplanes through ``c`` are added as pairs of opposite rows,
        so the dimension is < d (and >= 0).
    degenerate : bool or collection of str
        Plant degenerate rows (``True``: all of :data:`POLYHEDRON_DEGENERACIES`):
        ``duplicate`` (a positive multiple of an earlier row: one facet with two
        labels), ``redundant`` (an earlier row loosened: never a facet),
        ``through_point`` (rows through one common point ``p``, a degenerate
        vertex when ``p`` survives the other rows).

    Returns
    -------
    SearchStrategy of Polyhedron
        Rows are labelled by their index (``polyhedron_from_rows``' default).

    Raises
    ------
    hypothesis.errors.InvalidArgument
        A bad argument; the message starts with its name.

    Notes
    -----
    Generation order: d, centre, number of rows, the box or equalities, then the
    rows. Examples shrink towards fewer rows, lower dimension, the centre and the
    normals towards zero, offsets ``b + a·c`` towards 1/4, and planted rows
    towards ordinary ones.

    Examples
    --------
    >>> polyhedra(bounded="yes")
    Traceback (most recent call last):
        ...
    hypothesis.errors.InvalidArgument: bounded: expected True, False or None, got 'yes'
    """
    dims = _int_strategy(dim, "dim", 1)
    counts = st.integers(0, 5) if n_halfspaces is None \
        else _int_strategy(n_halfspaces, "n_halfspaces", 0)
    c_st = fractions() if coefficients is None else _check_strategy(coefficients, "coefficients")
    if bounded is not None and not isinstance(bounded, bool):
        raise InvalidArgument(f"bounded: expected True, False or None, got {bounded!r}")
    full_dimensional = _check_bool(full_dimensional, "full_dimensional")
    if bounded is False and not full_dimensional and dim == 1:
        raise InvalidArgument("full_dimensional: an unbounded polyhedron in dimension 1 is "
                              "full-dimensional; full_dimensional=False needs dim >= 2")
    kinds = _kinds(degenerate, "degenerate", POLYHEDRON_DEGENERACIES)
    offsets = fractions(Fraction(1, 4), 3, max_denominator=4)
    box_st = boxes()

    @st.composite
    def build(draw: Callable[[SearchStrategy[Any]], Any]) -> Polyhedron:
        d = draw(dims)
        centre = tuple(_number(draw, c_st, "coefficients") for _ in range(d))
        m = draw(counts)
        is_bounded = draw(st.booleans()) if bounded is None else bounded
        rows: list[Row] = []

        def through(a: tuple[Fraction, ...], point: tuple[Fraction, ...]) -> Row:
            return (-sum((x * p for x, p in zip(a, point)), Fraction(0)), *a)

        def normal() -> tuple[Fraction, ...]:
            a = [_number(draw, c_st, "coefficients") for _ in range(d)]
            if not is_bounded:
                a[0] = abs(a[0])
            if not any(a):
                a[0] = Fraction(1)
            return tuple(a)

        if is_bounded:
            B = draw(box_st)
            for j in range(d):
                for side in (-1, 1):
                    e = tuple(Fraction(-side) if i == j else Fraction(0) for i in range(d))
                    wall = through(e, centre)
                    rows.append((wall[0] + B, *wall[1:]))
        if not full_dimensional:
            if not is_bounded and d == 1:
                raise InvalidArgument("dim: drew 1, but an unbounded polyhedron in dimension 1 "
                                      "is full-dimensional (full_dimensional=False)")
            for _ in range(draw(st.integers(1, d if is_bounded else d - 1))):
                a = normal()
                if not is_bounded:  # keep e_1 a recession direction of the hyperplane
                    a = (Fraction(0), *a[1:]) if any(a[1:]) else \
                        tuple(Fraction(int(i == d - 1)) for i in range(d))
                row = through(a, centre)
                rows.append(row)
                rows.append(tuple(-x for x in row))
        point: tuple[Fraction, ...] | None = None
        for _ in range(m):
            kind = "generic"
            if kinds and draw(st.booleans()):
                kind = draw(st.sampled_from(kinds))
                if kind in ("duplicate", "redundant") and len(rows) == 0:
                    kind = "generic"
            if kind == "duplicate":
                base = rows[draw(st.integers(0, len(rows) - 1))]
                s = draw(st.sampled_from(_SCALES[:2] + _SCALES[3:4]))  # 2, 1/2, 3
                rows.append(tuple(s * x for x in base))
                continue
            if kind == "redundant":
                base = rows[draw(st.integers(0, len(rows) - 1))]
                rows.append((base[0] + draw(offsets), *base[1:]))
                continue
            a = normal()
            if kind == "through_point":
                if point is None:
                    v = normal()
                    point = tuple(c + x for c, x in zip(centre, v))
                row = through(a, point)
                value = row[0] + sum((x * c for x, c in zip(row[1:], centre)), Fraction(0))
                if value < 0 and (is_bounded or a[0] == 0):
                    row = tuple(-x for x in row)
                    value = -value
                if value > 0:
                    rows.append(row)
                    continue
            rows.append((through(a, centre)[0] + draw(offsets), *a))
        return polyhedron_from_rows(rows, dim=d)

    return build()
