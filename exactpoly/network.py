"""ReLU networks with exact rational weights: the value type, file I/O, initialisers.

A :class:`ReluNetwork` is an immutable value. ``weights[l]`` has shape
``(n_l, n_{l-1})`` (``n_0`` is the input dimension); layers ``0..L-1`` are ReLU
hidden layers and layer ``L`` is the affine output layer, which creates no
regions. Hidden neurons are numbered ``0..N-1`` in layer order.

Examples
--------
>>> from exactpoly.network import network_from_layers
>>> net = network_from_layers(2, [([[1, 0], [0, "1/2"]], [0, "1/3"]),
...                               ([[1, 1]], [0])])
>>> net.architecture, net.n_hidden_neurons
('2-2-1', 2)
>>> net.biases[0]
(Fraction(0, 1), Fraction(1, 3))
"""

from __future__ import annotations

import json
import math
import numbers
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

from .errors import NetworkFormatError, NumberError, ShapeError
from .io.atomic import atomic_write_text
from .rational import format_fraction, to_fraction

__all__ = [
    "FORMAT_TAG",
    "MAX_RANDOM_PARAMETERS",
    "matrix_of",
    "vector_of",
    "INITIALISERS",
    "ReluNetwork",
    "network_from_layers",
    "network_from_numpy",
    "network_from_mapping",
    "network_to_mapping",
    "read_network",
    "write_network",
    "parse_architecture",
    "random_network",
    "layer_affine",
    "permute_neurons",
    "rescale_neuron",
]

FORMAT_TAG = "exactpoly.relu-net/1"
INITIALISERS = ("xavier_uniform", "xavier_normal", "kaiming_normal", "orthogonal")
_INIT_ALIASES = {"kaiming": "kaiming_normal"}

Matrix = tuple[tuple[Fraction, ...], ...]
Vector = tuple[Fraction, ...]


@dataclass(frozen=True, repr=False)
class ReluNetwork:
    """A fully connected ReLU network with exact rational weights (immutable, hashable).

    Build it with :func:`network_from_layers`, :func:`network_from_numpy`,
    :func:`network_from_mapping`, :func:`read_network` or :func:`random_network`;
    direct construction requires tuples of :class:`~fractions.Fraction` and is
    validated too. A network with zero hidden layers (one affine layer) is allowed;
    it has a single activation region.

    Attributes
    ----------
    input_dim : int
        ``n_0 >= 1``.
    weights : tuple of tuple of tuple of Fraction
        ``weights[l][i][j]``: layer ``l``, neuron (row) ``i``, input (column) ``j``.
    biases : tuple of tuple of Fraction
        ``biases[l][i]``.

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> net = ReluNetwork(1, (((F(2),),), ((F(1),),)), ((F(0),), (F(-1),)))
    >>> net, net.hidden_widths, net.output_dim, net.neuron_offsets
    (<ReluNetwork 1-1-1>, (1,), 1, (0,))
    """

    input_dim: int
    weights: tuple[Matrix, ...]
    biases: tuple[Vector, ...]

    def __post_init__(self) -> None:
        d = self.input_dim
        if not isinstance(d, int) or isinstance(d, bool) or d < 1:
            raise NetworkFormatError(f"input_dim must be an int >= 1, got {d!r}")
        for field in ("weights", "biases"):
            if not isinstance(getattr(self, field), tuple):
                raise NetworkFormatError(
                    f"{field} must be a tuple, got {type(getattr(self, field)).__name__} "
                    "(use network_from_layers to convert)")
        if not self.weights:
            raise ShapeError("a network needs at least one layer (the affine output layer)")
        if len(self.weights) != len(self.biases):
            raise ShapeError(f"got {len(self.weights)} weight matrices but "
                             f"{len(self.biases)} bias vectors")
        prev = d
        for l, (w, b) in enumerate(zip(self.weights, self.biases)):
            if not isinstance(w, tuple) or not isinstance(b, tuple):
                raise NetworkFormatError(f"layer {l}: weight and bias must be tuples")
            if not w:
                raise ShapeError(f"layer {l} is empty (it has no neurons)")
            for i, row in enumerate(w):
                if not isinstance(row, tuple):
                    raise NetworkFormatError(f"layer {l}, row {i}: must be a tuple")
                if len(row) != prev:
                    raise ShapeError(f"layer {l}, row {i}: expected {prev} weights, "
                                     f"got {len(row)}")
                for j, x in enumerate(row):
                    _check_fraction(x, f"layer {l} weight[{i}][{j}]")
            if len(b) != len(w):
                raise ShapeError(f"layer {l}: expected {len(w)} biases (one per row), "
                                 f"got {len(b)}")
            for i, x in enumerate(b):
                _check_fraction(x, f"layer {l} bias[{i}]")
            prev = len(w)

    def __repr__(self) -> str:
        return f"<ReluNetwork {self.architecture}>"

    def _repr_html_(self) -> str:
        """A small HTML table of the architecture (Jupyter's rich display); every cell is escaped."""
        import html

        n_params = sum(len(w) * len(w[0]) + len(b) for w, b in zip(self.weights, self.biases))
        rows = [("architecture", self.architecture), ("inputs", str(self.input_dim)),
                ("hidden widths", ", ".join(map(str, self.hidden_widths)) or "none"),
                ("outputs", str(self.output_dim)), ("hidden neurons", str(self.n_hidden_neurons)),
                ("parameters", f"{n_params:,}")]
        body = "".join(f"<tr><th style=\"text-align:left\">{html.escape(k)}</th>"
                       f"<td style=\"text-align:left\">{html.escape(v)}</td></tr>" for k, v in rows)
        return f"<table><caption>ReluNetwork</caption>{body}</table>"

    def evaluate(self, x: Sequence[Any]) -> Vector:
        """The exact output of the network at the input *x*.

        Parameters
        ----------
        x : sequence of numbers
            ``input_dim`` coordinates, read exactly with :func:`~exactpoly.rational.to_fraction`
            (ints, Fractions, ``"p/q"`` strings; a float is its exact binary value).

        Returns
        -------
        tuple of Fraction
            One value per output.

        Raises
        ------
        ShapeError
            *x* does not have ``input_dim`` coordinates. NumberError: a coordinate is not a number.

        Notes
        -----
        An exact forward pass, ReLU after every hidden layer: O(sum over layers of
        n_l · n_(l-1)) Fraction operations. ``net(x)`` is the same.

        Examples
        --------
        >>> net = network_from_layers(2, [([[1, 0], [0, 1]], [0, "-1/2"]), ([[1, 3]], ["1/3"])])
        >>> net.evaluate([2, 1])         # ReLU(2) + 3 ReLU(1 - 1/2) + 1/3
        (Fraction(23, 6),)
        >>> net(["-1", 0.25])            # 0 + 3 * 0 + 1/3
        (Fraction(1, 3),)
        """
        if not _is_sequence(x):
            raise ShapeError(f"x: expected a sequence of {self.input_dim} numbers, got {x!r}")
        coords: Any = x.tolist() if _is_ndarray(x) else x  # type: ignore[attr-defined]
        if len(coords) != self.input_dim:
            raise ShapeError(f"x: expected {self.input_dim} coordinates (the input dimension), got {len(coords)}")
        h = [to_fraction(t, name=f"x[{j}]") for j, t in enumerate(coords)]
        last = len(self.weights) - 1
        zero = Fraction(0)
        for l, (W, b) in enumerate(zip(self.weights, self.biases)):
            h = [bi + sum((w * t for w, t in zip(row, h)), zero) for row, bi in zip(W, b)]
            if l < last:
                h = [t if t > 0 else zero for t in h]
        return tuple(h)

    def __call__(self, x: Sequence[Any]) -> Vector:
        """``net(x)`` is :meth:`evaluate`: the exact output at *x* (tuple of Fractions)."""
        return self.evaluate(x)

    @property
    def n_hidden_layers(self) -> int:
        """Number ``L`` of ReLU hidden layers."""
        return len(self.weights) - 1

    @property
    def hidden_widths(self) -> tuple[int, ...]:
        """Widths ``(n_1, ..., n_L)`` of the hidden layers."""
        return tuple(len(w) for w in self.weights[:-1])

    @property
    def output_dim(self) -> int:
        """Number of outputs (rows of the affine output layer)."""
        return len(self.weights[-1])

    @property
    def n_hidden_neurons(self) -> int:
        """Total number ``N`` of hidden neurons."""
        return sum(self.hidden_widths)

    @property
    def architecture(self) -> str:
        """Architecture string such as ``"3-7-1"`` (input, hidden widths, output)."""
        return "-".join(map(str, (self.input_dim, *self.hidden_widths, self.output_dim)))

    @property
    def neuron_offsets(self) -> tuple[int, ...]:
        """Global index of the first neuron of each hidden layer."""
        offsets, total = [], 0
        for width in self.hidden_widths:
            offsets.append(total)
            total += width
        return tuple(offsets)


def _check_fraction(x: Any, name: str) -> None:
    if not isinstance(x, Fraction):
        raise NetworkFormatError(f"{name}: expected a Fraction, got {type(x).__name__} "
                                 f"{x!r} (use network_from_layers to convert)")


def _is_ndarray(obj: Any) -> bool:
    # numpy is imported lazily: an object can only be an array if numpy is loaded
    np_mod = sys.modules.get("numpy")
    return np_mod is not None and isinstance(obj, np_mod.ndarray)


def _is_sequence(obj: Any) -> bool:
    return (isinstance(obj, Sequence) or _is_ndarray(obj)) and not isinstance(obj, (str, bytes))


def vector_of(obj: Any, name: str) -> Vector:
    """A list (or 1-D numpy array) of exact numbers as a tuple of Fractions; errors name *name* and the index.

    >>> vector_of(["1/2", 3], "bias")
    (Fraction(1, 2), Fraction(3, 1))
    """
    if _is_ndarray(obj):
        if obj.ndim != 1:
            raise ShapeError(f"{name}: expected a 1-D array, got shape {obj.shape}")
        obj = obj.tolist()
    if not _is_sequence(obj):
        raise NetworkFormatError(f"{name}: expected a list of numbers, "
                                 f"got {type(obj).__name__} {obj!r}")
    return tuple(to_fraction(x, name=f"{name}[{j}]") for j, x in enumerate(obj))


def matrix_of(obj: Any, name: str) -> Matrix:
    """A list of rows (or 2-D numpy array) of exact numbers as tuples of Fractions;
    errors name *name*, the row and the index."""
    if _is_ndarray(obj):
        if obj.ndim != 2:
            raise ShapeError(f"{name}: expected a 2-D array, got shape {obj.shape}")
        obj = obj.tolist()
    if not _is_sequence(obj):
        raise NetworkFormatError(f"{name}: expected a list of rows, "
                                 f"got {type(obj).__name__} {obj!r}")
    return tuple(vector_of(row, f"{name}[{i}]") for i, row in enumerate(obj))


def _as_dim(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise NetworkFormatError(f"{name} must be an int >= 1, got {value!r}")
    return int(value)


def network_from_layers(input_dim: int, layers: Sequence[tuple[Any, Any]]) -> ReluNetwork:
    """Build a network from ``(weight, bias)`` pairs, converting every entry exactly.

    Parameters
    ----------
    input_dim : int
        Input dimension ``n_0 >= 1``.
    layers : sequence of (weight, bias)
        ``weight`` is a sequence of rows (or a 2-D numpy array) of shape
        ``(n_l, n_{l-1})``, ``bias`` a sequence of ``n_l`` numbers; the last pair is
        the affine output layer. Entries are anything :func:`~exactpoly.rational.to_fraction`
        accepts (floats are taken as their exact binary value).

    Returns
    -------
    ReluNetwork

    Raises
    ------
    NumberError
        An entry is not a finite number; the message names ``layer l weight[i][j]``.
    ShapeError, NetworkFormatError
        Inconsistent shapes (naming layer and row) or a malformed ``layers``.

    Notes
    -----
    O(number of weights).

    Examples
    --------
    >>> net = network_from_layers(1, [([[0.5], ["-1/3"]], [0, 1]), ([[1, 1]], [0])])
    >>> net.weights[0]
    ((Fraction(1, 2),), (Fraction(-1, 3),))
    """
    d = _as_dim(input_dim, "input_dim")
    if not _is_sequence(layers):
        raise NetworkFormatError(f"layers must be a sequence of (weight, bias) pairs, "
                                 f"got {type(layers).__name__}")
    weights, biases = [], []
    for l, pair in enumerate(layers):
        if not _is_sequence(pair) or len(pair) != 2:
            raise NetworkFormatError(f"layers[{l}] must be a (weight, bias) pair, got {pair!r}")
        weights.append(matrix_of(pair[0], f"layer {l} weight"))
        biases.append(vector_of(pair[1], f"layer {l} bias"))
    return ReluNetwork(d, tuple(weights), tuple(biases))


def network_from_numpy(weights: Sequence[np.ndarray], biases: Sequence[np.ndarray],
                       input_dim: int | None = None) -> ReluNetwork:
    """Build a network from lists of numpy arrays (float32/float64/int), exactly.

    Parameters
    ----------
    weights : list of 2-D arrays
        ``weights[l]`` of shape ``(n_l, n_{l-1})`` (PyTorch's ``nn.Linear.weight`` layout).
    biases : list of 1-D arrays
        ``biases[l]`` of shape ``(n_l,)``.
    input_dim : int, optional
        Defaults to the number of columns of ``weights[0]``.

    Returns
    -------
    ReluNetwork
        Every float becomes its exact binary value.

    Notes
    -----
    O(number of weights).

    Examples
    --------
    >>> import numpy as np
    >>> net = network_from_numpy([np.array([[0.1]], dtype=np.float32), np.ones((1, 1))],
    ...                          [np.zeros(1), np.zeros(1)])
    >>> net.weights[0][0][0]
    Fraction(13421773, 134217728)
    """
    if not _is_sequence(weights) or not _is_sequence(biases):
        raise NetworkFormatError("weights and biases must be lists of arrays")
    if len(weights) != len(biases):
        raise ShapeError(f"got {len(weights)} weight arrays but {len(biases)} bias arrays")
    if not weights:
        raise ShapeError("a network needs at least one layer (the affine output layer)")
    import numpy as np

    arrays = [np.asarray(w) for w in weights]
    if input_dim is None:
        if arrays[0].ndim != 2:
            raise ShapeError(f"layer 0 weight: expected a 2-D array, got shape {arrays[0].shape}")
        input_dim = int(arrays[0].shape[1])
    return network_from_layers(input_dim, [(w, np.asarray(b)) for w, b in zip(arrays, biases)])


def network_to_mapping(net: ReluNetwork) -> dict[str, Any]:
    """The JSON object (format ``exactpoly.relu-net/1``) of a network.

    Numbers are written as ``"p/q"`` or integer strings.

    Examples
    --------
    >>> net = network_from_layers(1, [([["1/2"]], [0]), ([[3]], [-1])])
    >>> network_to_mapping(net)["layers"][0]
    {'weight': [['1/2']], 'bias': ['0']}
    """
    if not isinstance(net, ReluNetwork):
        raise NetworkFormatError(f"net must be a ReluNetwork, got {type(net).__name__}")
    return {
        "format": FORMAT_TAG,
        "input_dim": net.input_dim,
        "layers": [{"weight": [[format_fraction(x) for x in row] for row in w],
                    "bias": [format_fraction(x) for x in b]}
                   for w, b in zip(net.weights, net.biases)],
    }


def network_from_mapping(obj: Any) -> ReluNetwork:
    """Read a network from its JSON object (format ``exactpoly.relu-net/1``).

    Numbers may be strings (``"p/q"``, integers, exact decimals), integers or
    floats (taken exactly); bools, NaN and infinities are rejected. Unknown
    extra keys are ignored.

    Raises
    ------
    NetworkFormatError
        Not an object, wrong format tag, a missing key, a wrong type or a bad number.
    ShapeError
        Inconsistent lengths; the message names layer and row.

    Examples
    --------
    >>> net = network_from_mapping({"format": "exactpoly.relu-net/1", "input_dim": 1,
    ...     "layers": [{"weight": [["2"]], "bias": [0.5]}, {"weight": [[1]], "bias": ["0"]}]})
    >>> net.biases[0][0], net.architecture
    (Fraction(1, 2), '1-1-1')
    """
    if not isinstance(obj, Mapping):
        raise NetworkFormatError(f"expected a JSON object, got {type(obj).__name__}")
    for key in ("format", "input_dim", "layers"):
        if key not in obj:
            raise NetworkFormatError(f"missing key {key!r}")
    if obj["format"] != FORMAT_TAG:
        raise NetworkFormatError(f"unsupported format tag {obj['format']!r} "
                                 f"(expected {FORMAT_TAG!r})")
    d = obj["input_dim"]
    if isinstance(d, bool) or not isinstance(d, int) or d < 1:
        raise NetworkFormatError(f"input_dim must be an integer >= 1, got {d!r}")
    layers = obj["layers"]
    if not _is_sequence(layers):
        raise NetworkFormatError(f"'layers' must be a list, got {type(layers).__name__}")
    pairs = []
    for l, layer in enumerate(layers):
        if not isinstance(layer, Mapping):
            raise NetworkFormatError(f"layers[{l}] must be an object with keys "
                                     f"'weight' and 'bias', got {type(layer).__name__}")
        for key in ("weight", "bias"):
            if key not in layer:
                raise NetworkFormatError(f"layers[{l}]: missing key {key!r}")
        pairs.append((layer["weight"], layer["bias"]))
    try:
        return network_from_layers(d, pairs)
    except NumberError as e:
        raise NetworkFormatError(str(e)) from e


def read_network(path: str | os.PathLike[str]) -> ReluNetwork:
    """Read a network file (JSON, format ``exactpoly.relu-net/1``).

    Raises
    ------
    NetworkFormatError
        The file cannot be read, is not valid UTF-8 JSON, or is not a valid
        network; the message starts with the path. (``ShapeError`` for shapes.)

    Examples
    --------
    >>> import tempfile, os
    >>> net = network_from_layers(1, [([[1]], [0]), ([[1]], [0])])
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     write_network(net, os.path.join(tmp, "n.json"))
    ...     read_network(os.path.join(tmp, "n.json")) == net
    True
    """
    from .io.jsonfile import read_json_file

    obj = read_json_file(path, what="network file")
    try:
        return network_from_mapping(obj)
    except NetworkFormatError as e:
        raise type(e)(f"{os.fspath(path)}: {e}") from e


def write_network(net: ReluNetwork, path: str | os.PathLike[str]) -> None:
    """Write a network file atomically (JSON, ``indent=1``, numbers as ``"p/q"``).

    The text goes to a temporary file in the same directory which then replaces
    *path* (``os.replace``); on any error the temporary file is removed and an
    existing *path* is left untouched.

    Examples
    --------
    >>> import tempfile, os
    >>> net = network_from_layers(1, [([[1]], ["1/3"]), ([[1]], [0])])
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     write_network(net, os.path.join(tmp, "n.json"))
    ...     os.listdir(tmp)
    ['n.json']
    """
    atomic_write_text(path, json.dumps(network_to_mapping(net), indent=1) + "\n")


def parse_architecture(text: str) -> tuple[int, ...]:
    """Parse an architecture string such as ``"3-7-1"`` into ``(3, 7, 1)``.

    At least two positive integers (input and output dimension) separated by ``-``.

    Examples
    --------
    >>> parse_architecture("3-7-7-1")
    (3, 7, 7, 1)
    """
    if not isinstance(text, str):
        raise NetworkFormatError(f"architecture must be a string like '3-7-1', got {text!r}")
    parts = [p.strip() for p in text.split("-")]
    if len(parts) < 2 or not all(p.isascii() and p.isdigit() for p in parts):
        raise NetworkFormatError(f"architecture {text!r}: expected at least two positive "
                                 "integers separated by '-', like '3-7-1'")
    dims = tuple(int(p) for p in parts)
    if min(dims) < 1:
        raise NetworkFormatError(f"architecture {text!r}: every width must be >= 1")
    return dims


def _architecture_tuple(architecture: Any) -> tuple[int, ...]:
    if isinstance(architecture, str):
        return parse_architecture(architecture)
    if not _is_sequence(architecture) or len(architecture) < 2:
        raise NetworkFormatError(f"architecture must be a string like '3-7-1' or a sequence "
                                 f"of at least two widths, got {architecture!r}")
    return tuple(_as_dim(n, f"architecture {architecture!r}: width") for n in architecture)


def _float32_constant(bias: Any) -> np.float32:
    """The float32 nearest to float(bias), like ``nn.init.constant_``."""
    import numpy as np
    if isinstance(bias, str):
        try:
            value = float(bias)
        except ValueError:
            raise NumberError(f"bias: cannot read {bias!r} as a float") from None
    else:
        q = to_fraction(bias, name="bias")
        try:
            value = float(q)
        except OverflowError:
            raise NumberError(f"bias: {bias!r} is out of float range") from None
    with np.errstate(over="ignore"):
        value32 = np.float32(value)
    if not np.isfinite(value32):
        raise NumberError(f"bias: {bias!r} is not a finite float32")
    return value32


def _orthonormal_columns(g: list[list[float]]) -> list[list[float]]:
    """Q of the thin QR of an m x n matrix (m >= n) with diag(R) > 0, in pure Python.

    Twice-iterated modified Gram-Schmidt; pure IEEE float64 arithmetic, hence
    bit-for-bit reproducible on every platform (LAPACK's QR is not).
    """
    m, n = len(g), len(g[0])
    qs: list[list[float]] = []
    for j in range(n):
        v = [g[i][j] for i in range(m)]
        for _ in range(2):
            for q in qs:
                dot = sum(a * b for a, b in zip(q, v))
                v = [a - dot * b for a, b in zip(v, q)]
        norm = math.sqrt(sum(a * a for a in v))
        qs.append([a / norm for a in v])
    return [[qs[j][i] for j in range(n)] for i in range(m)]


def _sample_weight(rng: np.random.Generator, init: str, rows: int, cols: int) -> np.ndarray:
    import numpy as np

    fan_in, fan_out = cols, rows
    if init == "xavier_uniform":
        a = math.sqrt(6.0 / (fan_in + fan_out))
        w = rng.uniform(-a, a, size=(rows, cols))
    elif init == "xavier_normal":
        w = rng.normal(0.0, math.sqrt(2.0 / (fan_in + fan_out)), size=(rows, cols))
    elif init == "kaiming_normal":
        w = rng.normal(0.0, math.sqrt(2.0) / math.sqrt(fan_in), size=(rows, cols))
    else:  # orthogonal, gain 1
        g = rng.standard_normal(size=(rows, cols))
        if rows < cols:
            g = g.T
        w = np.array(_orthonormal_columns(g.tolist()))
        if rows < cols:
            w = w.T
    return w.astype(np.float32)


MAX_RANDOM_PARAMETERS = 10_000_000
"""The most weights and biases :func:`random_network` draws (about a gigabyte of exact Fractions)."""


def random_network(architecture: str | Sequence[int], init: str = "xavier_uniform", *,
                   bias: Any = 0.01, seed: int = 0) -> ReluNetwork:
    """A seeded random network with float32 weights, mirroring ``torch.nn.init``.

    Parameters
    ----------
    architecture : str or sequence of int
        ``"3-7-1"`` or ``(3, 7, 1)``.
    init : {"xavier_uniform", "xavier_normal", "kaiming_normal", "orthogonal"}
        For a layer with ``fan_in = n_{l-1}``, ``fan_out = n_l``:
        ``xavier_uniform`` U(-a, a), ``a = sqrt(6/(fan_in+fan_out))``;
        ``xavier_normal`` N(0, 2/(fan_in+fan_out)); ``kaiming_normal`` (alias
        ``"kaiming"``) N(0, 2/fan_in) (PyTorch's mode ``fan_in``, nonlinearity
        ``relu``); ``orthogonal`` the Q factor (with positive diag R, i.e. PyTorch's
        sign correction, gain 1) of a standard Gaussian ``n_l x n_{l-1}`` matrix,
        transposed first when ``n_l < n_{l-1}`` as PyTorch does.
    bias : float, int, str or Fraction
        Constant bias of every neuron (all layers): the float32 nearest to
        ``float(bias)``, exactly like ``nn.init.constant_``; ``0`` gives exact zeros.
    seed : int
        Seed of ``numpy.random.default_rng``.

    Returns
    -------
    ReluNetwork
        Weights are sampled in float64, cast to float32 (like PyTorch parameters)
        and converted exactly, so every denominator is a power of two.

    Notes
    -----
    Generation order: layer by layer (output layer last), each weight matrix drawn
    row-major in one call; nothing else is random. The orthogonalisation is done in
    pure Python float64, so the result depends only on the arguments and NumPy's
    ``Generator`` streams. O(number of weights); orthogonal O(sum n_l n_{l-1}^2).
    The paper (arXiv 2305.09145, Sec. V) uses these initialisers with bias 0.01.

    Examples
    --------
    >>> net = random_network("2-3-1", "xavier_uniform", seed=1)
    >>> net == random_network("2-3-1", seed=1), net.biases[1]
    (True, (Fraction(5368709, 536870912),))
    """
    dims = _architecture_tuple(architecture)
    n_weights = sum((a + 1) * b for a, b in zip(dims, dims[1:]))
    if n_weights > MAX_RANDOM_PARAMETERS:
        raise NetworkFormatError(f"architecture: {'-'.join(map(str, dims))[:60]} has {n_weights} weights and "
                                 f"biases, more than the {MAX_RANDOM_PARAMETERS} a random network may have "
                                 "(each is an exact Fraction)")
    if not isinstance(init, str) or _INIT_ALIASES.get(init, init) not in INITIALISERS:
        raise NetworkFormatError(f"init must be one of {', '.join(INITIALISERS)} "
                                 f"(or 'kaiming'), got {init!r}")
    init = _INIT_ALIASES.get(init, init)
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise NetworkFormatError(f"seed must be a non-negative int, got {seed!r}")
    b = to_fraction(_float32_constant(bias), name="bias")
    import numpy as np

    rng = np.random.default_rng(int(seed))
    layers = [(_sample_weight(rng, init, rows, cols), [b] * rows)
              for cols, rows in zip(dims[:-1], dims[1:])]
    return network_from_layers(dims[0], layers)


def _check_layer(net: ReluNetwork, layer: Any, *, hidden: bool) -> int:
    if not isinstance(net, ReluNetwork):
        raise NetworkFormatError(f"net must be a ReluNetwork, got {type(net).__name__}")
    top = net.n_hidden_layers if hidden else net.n_hidden_layers + 1
    if isinstance(layer, bool) or not isinstance(layer, numbers.Integral) \
            or not 0 <= int(layer) < top:
        kind = "hidden layer" if hidden else "layer"
        raise NetworkFormatError(f"layer must be a {kind} index in 0..{top - 1} "
                                 f"for a {net.architecture} network, got {layer!r}")
    return int(layer)


def layer_affine(net: ReluNetwork, l: int) -> tuple[Matrix, Vector]:
    """The weight matrix and bias vector ``(W_l, b_l)`` of layer *l* (``0..L``).

    Examples
    --------
    >>> net = network_from_layers(1, [([[2]], [1]), ([[1]], [0])])
    >>> layer_affine(net, 0)
    (((Fraction(2, 1),),), (Fraction(1, 1),))
    """
    l = _check_layer(net, l, hidden=False)
    return net.weights[l], net.biases[l]


def permute_neurons(net: ReluNetwork, layer: int, permutation: Sequence[int]) -> ReluNetwork:
    """Reorder the neurons of hidden *layer*: new neuron ``i`` is old neuron ``permutation[i]``.

    The rows of ``W_layer``, ``b_layer`` and the columns of ``W_{layer+1}`` are
    permuted together, so the network function is unchanged.

    Examples
    --------
    >>> net = network_from_layers(1, [([[1], [2]], [0, 5]), ([[3, 4]], [0])])
    >>> p = permute_neurons(net, 0, [1, 0])
    >>> p.biases[0], p.weights[1]
    ((Fraction(5, 1), Fraction(0, 1)), ((Fraction(4, 1), Fraction(3, 1)),))
    """
    l = _check_layer(net, layer, hidden=True)
    n = len(net.weights[l])
    perm = list(permutation) if _is_sequence(permutation) else None
    if perm is None or any(isinstance(p, bool) or not isinstance(p, numbers.Integral)
                           for p in perm) or sorted(perm) != list(range(n)):
        raise NetworkFormatError(f"permutation must be a permutation of 0..{n - 1} "
                                 f"(layer {l} has {n} neurons), got {permutation!r}")
    weights, biases = list(net.weights), list(net.biases)
    weights[l] = tuple(net.weights[l][p] for p in perm)
    biases[l] = tuple(net.biases[l][p] for p in perm)
    weights[l + 1] = tuple(tuple(row[p] for p in perm) for row in net.weights[l + 1])
    return ReluNetwork(net.input_dim, tuple(weights), tuple(biases))


def rescale_neuron(net: ReluNetwork, layer: int, neuron: int, c: Any) -> ReluNetwork:
    """Multiply the incoming weights and bias of a hidden neuron by ``c > 0`` and
    divide its outgoing weights by ``c``; the network function is unchanged
    (``relu(c z) = c relu(z)``).

    Examples
    --------
    >>> net = network_from_layers(1, [([[1]], [1]), ([[3]], [0])])
    >>> r = rescale_neuron(net, 0, 0, "1/2")
    >>> r.weights[0][0][0], r.biases[0][0], r.weights[1][0][0]
    (Fraction(1, 2), Fraction(1, 2), Fraction(6, 1))
    """
    l = _check_layer(net, layer, hidden=True)
    n = len(net.weights[l])
    if isinstance(neuron, bool) or not isinstance(neuron, numbers.Integral) \
            or not 0 <= neuron < n:
        raise NetworkFormatError(f"neuron must be an index in 0..{n - 1} "
                                 f"(layer {l} has {n} neurons), got {neuron!r}")
    k = int(neuron)
    factor = to_fraction(c, name="c")
    if factor <= 0:
        raise NetworkFormatError(f"c must be > 0, got {format_fraction(factor)}")
    weights, biases = list(net.weights), list(net.biases)
    weights[l] = tuple(tuple(x * factor for x in row) if i == k else row
                       for i, row in enumerate(net.weights[l]))
    biases[l] = tuple(x * factor if i == k else x for i, x in enumerate(net.biases[l]))
    weights[l + 1] = tuple(row[:k] + (row[k] / factor,) + row[k + 1:]
                           for row in net.weights[l + 1])
    return ReluNetwork(net.input_dim, tuple(weights), tuple(biases))
