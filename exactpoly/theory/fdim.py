"""Exact functional dimension: the rank of the parameter Jacobian on a finite sample.

Bona-Pellissier, Malgouyres and Bachoc, "Geometry-induced Regularization in Deep ReLU
Neural Networks" (arXiv 2402.08269; summary in ``../shared/papers/003_be5509422caae46a.txt``)
study, for a fixed architecture and a finite input sample ``X``, the local dimension
of the image of the parameter-to-output map ``theta -> (F_theta(x))_{x in X}``: the
rank of its Jacobian with respect to all weights and biases. It is invariant under
the symmetries of ReLU networks (positive rescaling of a hidden neuron, permutation of
the neurons of a layer).

**Exactness.** At a parameter ``theta`` such that no hidden pre-activation vanishes
at any sample point, every point's activation pattern is constant near ``theta``, so
``F_theta(x)`` is a polynomial in ``theta`` there and its Jacobian is a rational
matrix at rational ``theta`` and ``x``: :func:`functional_dimension` is its exact rank
(python-flint). If some hidden neuron's pre-activation is **exactly 0** at a sample
point (the point lies on the neuron's zero set, e.g. on a region boundary) the map is
in general not differentiable there; we do not guess a one-sided derivative but
raise :class:`~exactpoly.errors.DomainError` naming the point and the neuron.
:func:`boundary_samples` lists every such point.

**Parameters** are ordered as in the network file (docs/conventions.md): for each layer
``l = 0..L`` the weights ``W_l`` row-major, then the biases ``b_l``. Jacobian rows are
ordered by sample, then by output.

**Samples file** (``exactpoly fdim --samples X.json``): a JSON list of points, each
a list of ``input_dim`` numbers written as in the network file (strings ``"p/q"``,
integers, exact decimals, or JSON floats taken as their exact binary value), e.g.
``[["1/2", 0], [0.25, "-1"]]``.

Examples
--------
>>> from exactpoly.network import network_from_layers
>>> net = network_from_layers(1, [([[1], [1]], [0, "-1/2"]), ([[1, 1]], [0])])
>>> [functional_dimension(net, X) for X in
...  ([["1/4"]], [["1/4"], ["3/4"]], [["1/4"], ["3/4"], ["7/8"]],
...   [["1/4"], ["3/4"], ["7/8"], ["-1/2"]], [["1/4"], ["3/4"], ["7/8"], ["-1/2"], ["1/8"]])]
[1, 2, 3, 4, 5]
>>> n_parameters(net) - net.n_hidden_neurons     # the upper bound, reached
5
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from ..errors import DomainError
from ..geometry.linalg import rank
from ..network import ReluNetwork
from ..rational import format_fraction, to_fraction

__all__ = [
    "MAX_SAMPLE_COORDINATES",
    "SAMPLE_DENOMINATOR",
    "boundary_samples",
    "fdim_summary",
    "functional_dimension",
    "n_parameters",
    "parameter_jacobian",
    "parse_samples",
    "random_samples",
    "read_samples",
]

Point = tuple[Fraction, ...]

#: Denominator of :func:`random_samples` (a prime: random points are never dyadic,
#: so they avoid the breakpoints of networks with float32 or dyadic weights).
SAMPLE_DENOMINATOR = 1_000_003


def _check_net(net: Any) -> ReluNetwork:
    if not isinstance(net, ReluNetwork):
        raise TypeError(f"net: expected a ReluNetwork, got {type(net).__name__}")
    return net


def parse_samples(obj: Any, input_dim: int, *, name: str = "X") -> tuple[Point, ...]:
    """Read a finite sample: a sequence of points, each a sequence of ``input_dim`` numbers.

    Numbers are anything :func:`~exactpoly.rational.to_fraction` reads (``"p/q"``,
    integers, exact decimals, floats taken exactly); bools, NaN and infinities are
    refused.

    Raises
    ------
    DomainError
        Not a list of points, or a point of the wrong length (naming ``X[k]``).
    NumberError
        A bad number (naming ``X[k][j]``).

    Notes
    -----
    O(|X| d).

    Examples
    --------
    >>> parse_samples([["1/2", 0], [0.25, "-1"]], 2)
    ((Fraction(1, 2), Fraction(0, 1)), (Fraction(1, 4), Fraction(-1, 1)))
    """
    def is_seq(v: Any) -> bool:
        return isinstance(v, (Sequence, np.ndarray)) and not isinstance(v, (str, bytes))

    if not is_seq(obj):
        raise DomainError(f"{name}: expected a list of points, got {type(obj).__name__} {obj!r}")
    out = []
    for k, p in enumerate(obj):
        if not is_seq(p):
            raise DomainError(f"{name}[{k}]: expected a point (a list of {input_dim} numbers), "
                              f"got {p!r}")
        if len(p) != input_dim:
            raise DomainError(f"{name}[{k}]: expected {input_dim} coordinates "
                              f"(the network's input dimension), got {len(p)}")
        out.append(tuple(to_fraction(v, name=f"{name}[{k}][{j}]") for j, v in enumerate(p)))
    return tuple(out)


def read_samples(path: str | os.PathLike[str], input_dim: int) -> tuple[Point, ...]:
    """Read a samples file (a JSON list of points, module docstring).

    Raises
    ------
    DomainError, NumberError
        Unreadable file, malformed JSON or a bad point; the message starts with the path.

    Notes
    -----
    :func:`~exactpoly.io.jsonfile.read_json_file` (size cap, nesting) then :func:`parse_samples`: O(file size).

    Examples
    --------
    >>> import tempfile, os
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = os.path.join(tmp, "X.json")
    ...     with open(path, "w") as f:
    ...         _ = f.write('[["1/3"], [2]]')
    ...     read_samples(path, 1)
    ((Fraction(1, 3),), (Fraction(2, 1),))
    """
    from ..io.jsonfile import read_json_file

    p = os.fspath(path)
    obj = read_json_file(p, what="samples file", error=DomainError)
    try:
        return parse_samples(obj, input_dim, name="samples")
    except ValueError as e:
        raise type(e)(f"{p}: {e}") from e


MAX_SAMPLE_COORDINATES = 10_000_000
"""The most coordinates (points x dimension) one call of :func:`random_samples` draws: each is an
exact Fraction of about 100 bytes, so this is about a gigabyte."""


def random_samples(input_dim: int, n: int, *, seed: int = 0, box: Any = 1) -> tuple[Point, ...]:
    """``n`` seeded random rational points of the box ``[-B, B]^d``.

    Coordinates are ``B k / 1000003`` (:data:`SAMPLE_DENOMINATOR`, a prime) with the
    integers ``k`` drawn uniformly from ``-1000003..1000003`` by one call of
    ``numpy.random.default_rng(seed).integers`` of shape ``(n, d)``; the result
    depends only on the arguments.

    Raises
    ------
    DomainError
        ``input_dim < 1``, ``n < 0``, ``seed < 0`` or ``B <= 0`` (naming the argument).

    Notes
    -----
    O(n d).

    Examples
    --------
    >>> X = random_samples(2, 3, seed=1)
    >>> len(X), all(-1 <= x <= 1 for p in X for x in p), X == random_samples(2, 3, seed=1)
    (3, True, True)
    """
    if isinstance(n, int) and not isinstance(n, bool) and n * max(input_dim, 1) > MAX_SAMPLE_COORDINATES:
        raise DomainError(f"n: {n} points in dimension {input_dim} are more than {MAX_SAMPLE_COORDINATES} "
                          "coordinates; take fewer samples")
    for value, name, low in ((input_dim, "input_dim", 1), (n, "n", 0), (seed, "seed", 0)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
            raise DomainError(f"{name} must be an int >= {low}, got {value!r}")
    B = to_fraction(box, name="box")
    if B <= 0:
        raise DomainError(f"box: the half-width B must be positive, got {format_fraction(B)}")
    q = SAMPLE_DENOMINATOR
    ks = np.random.default_rng(int(seed)).integers(-q, q, size=(int(n), int(input_dim)),
                                                   endpoint=True)
    return tuple(tuple(B * Fraction(int(k), q) for k in row) for row in ks.tolist())


def n_parameters(net: ReluNetwork) -> int:
    """Number of weights and biases of *net* (all layers, output layer included).

    Notes
    -----
    O(L).

    Examples
    --------
    >>> from exactpoly.network import random_network
    >>> n_parameters(random_network("3-7-1"))   # 3*7 + 7 + 7*1 + 1
    36
    """
    _check_net(net)
    return sum(len(w) * len(w[0]) + len(b) for w, b in zip(net.weights, net.biases))


def _forward(net: ReluNetwork, x: Point):
    """Hidden outputs per layer (input first), bits per layer, zero neurons, output."""
    hs = [x]
    bits: list[list[int]] = []
    zeros: list[tuple[int, int]] = []
    h = x
    L = net.n_hidden_layers
    for l in range(L + 1):
        w, b = net.weights[l], net.biases[l]
        z = [bi + sum((wij * hj for wij, hj in zip(row, h)), Fraction(0)) for row, bi in zip(w, b)]
        if l == L:
            return hs, bits, zeros, tuple(z)
        s = [1 if v > 0 else 0 for v in z]
        zeros.extend((l, i) for i, v in enumerate(z) if v == 0)
        h = tuple(v if si else Fraction(0) for v, si in zip(z, s))
        bits.append(s)
        hs.append(h)
    raise AssertionError("unreachable")


def boundary_samples(net: ReluNetwork, X: Sequence[Sequence[Any]]
                     ) -> tuple[tuple[int, tuple[tuple[int, int], ...]], ...]:
    """The sample points at which some hidden pre-activation is exactly zero.

    Returns
    -------
    tuple of (int, tuple of (int, int))
        ``(k, neurons)``: the index of the point in ``X`` and the hidden neurons
        ``(layer, index)`` whose pre-activation vanishes there, sorted; points in
        order. Empty when :func:`functional_dimension` is defined.

    Notes
    -----
    One exact forward pass per point: O(|X| · #weights).

    Examples
    --------
    >>> from exactpoly.network import network_from_layers
    >>> net = network_from_layers(1, [([[1], [1]], [0, "-1/2"]), ([[1, 1]], [0])])
    >>> boundary_samples(net, [["1/4"], ["1/2"], [0]])
    ((1, ((0, 1),)), (2, ((0, 0),)))
    """
    _check_net(net)
    pts = parse_samples(X, net.input_dim)
    out = []
    for k, x in enumerate(pts):
        zeros = _forward(net, x)[2]
        if zeros:
            out.append((k, tuple(zeros)))
    return tuple(out)


def parameter_jacobian(net: ReluNetwork, X: Sequence[Sequence[Any]]) -> tuple[tuple[Fraction, ...], ...]:
    """The exact Jacobian of ``theta -> (F_theta(x))_{x in X}`` at the network's ``theta``.

    Parameters
    ----------
    net : ReluNetwork
    X : sequence of points
        Each a sequence of ``input_dim`` rationals (see :func:`parse_samples`).

    Returns
    -------
    tuple of tuple of Fraction
        ``|X| · outputs`` rows (sample-major, then output) of :func:`n_parameters`
        entries, columns in file order (module docstring).

    Raises
    ------
    DomainError
        A point lies on the zero set of a hidden neuron (pre-activation exactly 0):
        the Jacobian is not defined there. The message names the point ``X[k]`` and
        the neuron ``(layer, index)``.

    Notes
    -----
    Exact back-propagation with Fractions: for output k, ``delta_L = e_k`` and
    ``delta_l = s_l * (W_{l+1}^T delta_{l+1})``; ``dF/dW_l[i][j] = delta_l[i] h_{l-1}[j]``,
    ``dF/db_l[i] = delta_l[i]`` (``h_{-1} = x``). O(|X| · outputs · #parameters).

    Examples
    --------
    >>> from exactpoly.network import network_from_layers
    >>> net = network_from_layers(1, [([[2]], [-1]), ([[3]], [0])])  # F = 3 relu(2x - 1)
    >>> parameter_jacobian(net, [[1]])   # d/d(w0, b0, w1, b1) at x = 1
    ((Fraction(3, 1), Fraction(3, 1), Fraction(1, 1), Fraction(1, 1)),)
    """
    _check_net(net)
    pts = parse_samples(X, net.input_dim)
    L = net.n_hidden_layers
    rows = []
    for k, x in enumerate(pts):
        hs, bits, zeros, _y = _forward(net, x)
        if zeros:
            coords = ", ".join(format_fraction(v) for v in x)
            names = ", ".join(f"({l}, {i})" for l, i in zeros)
            raise DomainError(
                f"X[{k}] = ({coords}) lies on the zero set of hidden neuron(s) {names} "
                "(pre-activation exactly 0): the network output is not differentiable in "
                "the parameters there, so the Jacobian and the functional dimension are "
                "undefined; move the point (boundary_samples() lists all such points)")
        for out in range(net.output_dim):
            delta = [Fraction(int(i == out)) for i in range(net.output_dim)]
            grads = []  # per layer, from the output layer down
            for l in range(L, -1, -1):
                h_prev = hs[l]
                gw = [dv * hj for dv in delta for hj in h_prev]
                grads.append(gw + list(delta))
                if l == 0:
                    break
                w = net.weights[l]
                s = bits[l - 1]
                delta = [sum((w[i][j] * delta[i] for i in range(len(w)) if delta[i]), Fraction(0))
                         if s[j] else Fraction(0) for j in range(len(h_prev))]
            row: list[Fraction] = []
            for g in reversed(grads):
                row.extend(g)
            rows.append(tuple(row))
    return tuple(rows)


def functional_dimension(net: ReluNetwork, X: Sequence[Sequence[Any]]) -> int:
    """The exact functional dimension of *net* on the sample *X* (arXiv 2402.08269).

    The rank of :func:`parameter_jacobian`: the dimension of the image of the
    tangent space of parameter space in R^{|X| · outputs}.

    Parameters
    ----------
    net : ReluNetwork
        Rational parameters ``theta``.
    X : sequence of points
        Rational points (see :func:`parse_samples`); may be empty (dimension 0).

    Returns
    -------
    int
        ``rank J``; always ``<= min(n_parameters(net) - n_hidden_neurons,
        |X| · outputs)``: each hidden neuron's positive rescaling is a direction
        of parameter space along which the function does not change, and these
        directions are linearly independent (each neuron has a non-zero incoming
        weight or bias, else it would vanish at every point).

    Raises
    ------
    DomainError
        Some hidden pre-activation is exactly 0 at a point of X (see
        :func:`parameter_jacobian`; :func:`boundary_samples` lists them).

    Notes
    -----
    Exact back-propagation, then an exact rank (FLINT):
    O(|X| m P + (|X| m)^2 P) for P parameters and m outputs (small entries).

    One hidden layer, one output (``d - n - 1``), every output weight ``v_i != 0``:
    the column of ``v_i`` is a combination of neuron i's incoming columns (the
    rescaling direction), and neuron i's incoming columns are ``v_i s_i(x) (x, 1)``,
    so ``fdim(theta, X) = rank [1 | s_1(x)(x, 1) | ... | s_n(x)(x, 1)]_{x in X}``
    with ``s(x)`` the activation pattern of x: it depends on ``theta`` only through
    the activation patterns of the points. If the non-zero patterns met by X are
    linearly independent vectors of R^n this is
    ``sum_p (1 + dim aff(X_p)) + [X meets the all-off pattern]`` over the non-zero
    patterns p, ``X_p`` the points with pattern p (tests/test_fdim.py checks both).

    Examples
    --------
    >>> from exactpoly.network import network_from_layers
    >>> net = network_from_layers(2, [([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [0])])
    >>> functional_dimension(net, [["1/2", "1/3"], ["1/3", "1/2"], ["1/5", "1/7"], ["-1", "-1"]])
    4
    """
    J = parameter_jacobian(net, X)
    return rank(J) if J else 0


def fdim_summary(net: ReluNetwork, X: Sequence[Sequence[Any]]) -> dict:
    """The JSON-ready report of ``exactpoly fdim --json``.

    Keys: ``architecture``, ``input_dim``, ``samples`` (|X|), ``outputs``,
    ``parameters``, ``hidden_neurons``, ``activation_patterns`` (distinct
    patterns among the points), ``functional_dimension``, ``bound``
    (``min(parameters - hidden_neurons, samples * outputs)``).

    Raises
    ------
    DomainError
        As :func:`functional_dimension`.

    Notes
    -----
    :func:`functional_dimension` plus one forward pass per point for the patterns.

    Examples
    --------
    >>> from exactpoly.network import network_from_layers
    >>> net = network_from_layers(1, [([[1], [1]], [0, "-1/2"]), ([[1, 1]], [0])])
    >>> s = fdim_summary(net, [["1/4"], ["3/4"]])
    >>> s["functional_dimension"], s["activation_patterns"], s["bound"]
    (2, 2, 2)
    """
    _check_net(net)
    pts = parse_samples(X, net.input_dim)
    r = functional_dimension(net, pts)
    patterns = {tuple(b for layer in _forward(net, x)[1] for b in layer) for x in pts}
    P, N, m = n_parameters(net), net.n_hidden_neurons, net.output_dim
    return {
        "architecture": net.architecture,
        "input_dim": net.input_dim,
        "samples": len(pts),
        "outputs": m,
        "parameters": P,
        "hidden_neurons": N,
        "activation_patterns": len(patterns),
        "functional_dimension": r,
        "bound": min(P - N, len(pts) * m),
    }
