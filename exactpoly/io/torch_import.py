"""Import trained models exactly: PyTorch ``nn.Sequential`` models and state dicts, ``.npz`` files.

Every float32/float64 (also float16/bfloat16) weight becomes its **exact binary
value** (docs/conventions.md, "Numbers"): nothing is rounded, so the imported network is the
very function the float model computes in exact arithmetic.

PyTorch is optional: this module imports ``torch`` only inside the functions that
need it (``pip install 'exactpoly[torch]'``), and ``import exactpoly`` never
imports this module. ``.npz`` files and numpy arrays need no torch.

Supported layers of an ``nn.Sequential`` (nested ``nn.Sequential`` too):

* ``nn.Linear`` (with or without bias);
* ``nn.ReLU``;
* ``nn.Flatten`` with the default ``start_dim=1, end_dim=-1``, ``nn.Identity``,
  ``nn.Dropout``: the model is read as a function of one flat input vector at
  inference (eval mode), where all three are the identity;
* with ``input_shape=(C, H, W)``: ``nn.Conv2d`` (any stride and zero padding; dilation 1,
  one group, bias optional) and ``nn.AvgPool2d`` (``ceil_mode=False``), each converted
  to its exact dense affine map on the flattened image (PyTorch's ``c*H*W + h*W + w``
  order) — LeNet-style networks.

Exact rewriting keeps the function and the regions: consecutive ``Linear`` layers
are multiplied out into one affine map; a ``ReLU`` with no ``Linear`` before it
gets an identity layer (``ReLU(ReLU(z)) = ReLU(z)`` is merged); a model ending in
``ReLU`` gets an identity affine output layer, so its last ReLUs are hidden neurons.
Anything else (max pooling, normalisation, other activations, custom modules)
raises :class:`UnsupportedModelError` naming the layer.

Examples
--------
>>> import io, numpy as np
>>> buf = io.BytesIO()
>>> np.savez(buf, **{"0.weight": np.array([[0.1, -2]], dtype=np.float32),
...                  "0.bias": np.zeros(1, dtype=np.float32),
...                  "2.weight": np.ones((1, 1)), "2.bias": np.zeros(1)})
>>> net = network_from_npz(io.BytesIO(buf.getvalue()))
>>> net.architecture, net.weights[0][0][0]
('2-1-1', Fraction(13421773, 134217728))
"""

from __future__ import annotations

import os
import re
import warnings
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from fractions import Fraction
from typing import IO, Any

import numpy as np

from ..errors import MissingDependencyError, NetworkFormatError, NumberError, ShapeError, UnsupportedModelError
from ..network import ReluNetwork, matrix_of, read_network, vector_of

__all__ = [
    "SUPPORTED_LAYERS",
    "MissingDependencyError",
    "UnsupportedModelError",
    "avgpool2d_affine",
    "conv2d_affine",
    "network_from_torch",
    "network_from_state_dict",
    "network_from_npz",
    "read_torch",
    "read_model",
]

#: Class names of the ``torch.nn`` layers :func:`network_from_torch` reads.
SUPPORTED_LAYERS = ("Sequential", "Linear", "ReLU", "Flatten", "Identity", "Dropout", "Conv2d", "AvgPool2d")
MODEL_SUFFIXES = (".pt", ".pth", ".npz", ".json")

Matrix = list[list[Fraction]]
Vector = list[Fraction]
Affine = tuple[Matrix, Vector]
Shape = tuple[int, int, int]

_ZERO = Fraction(0)


def _import_torch() -> Any:
    try:
        import torch
    except ImportError as e:
        raise MissingDependencyError(
            "reading PyTorch models needs PyTorch: pip install 'exactpoly[torch]' "
            "(or convert the weights to a .npz file)") from e
    return torch


# ----------------------------------------------------------------------------- arrays


def _is_tensor(x: Any) -> bool:
    return type(x).__module__.split(".")[0] == "torch" and hasattr(x, "detach")


def _to_numpy(x: Any, name: str) -> np.ndarray:
    """A torch tensor or array-like as a numpy array whose values are exactly x's."""
    if _is_tensor(x):
        torch = _import_torch()
        t = x.detach()
        if t.is_quantized or t.is_complex() or t.dtype == torch.bool or t.device.type == "meta":
            raise UnsupportedModelError(f"{name}: cannot import a {t.dtype} tensor on "
                                        f"{t.device.type} exactly")
        if t.is_floating_point():
            t = t.to(torch.float64)  # exact for float16, bfloat16, float32
        return np.asarray(t.cpu().numpy())
    try:
        arr = np.asarray(x)
    except Exception as e:  # ragged lists, objects numpy refuses
        raise NetworkFormatError(f"{name}: not an array: {e}") from None
    if arr.dtype.kind not in "iuf":
        raise UnsupportedModelError(f"{name}: expected real numbers, got an array of dtype {arr.dtype}")
    return arr


def _weight(x: Any, name: str) -> Matrix:
    arr = _to_numpy(x, name)
    if arr.ndim != 2:
        raise UnsupportedModelError(f"{name}: expected a 2-D weight (out_features, in_features), "
                                    f"got shape {tuple(arr.shape)}")
    try:
        return [list(r) for r in matrix_of(arr, name)]
    except NumberError as e:  # NaN, infinities
        raise NetworkFormatError(str(e)) from None


def _bias(x: Any, n: int, name: str) -> Vector:
    if x is None:
        return [Fraction(0)] * n
    arr = _to_numpy(x, name)
    if arr.ndim != 1 or arr.shape[0] != n:
        raise ShapeError(f"{name}: expected shape ({n},) (one bias per output), "
                         f"got {tuple(arr.shape)}")
    try:
        return list(vector_of(arr, name))
    except NumberError as e:
        raise NetworkFormatError(str(e)) from None


def _identity(n: int) -> Affine:
    return ([[Fraction(int(i == j)) for j in range(n)] for i in range(n)], [Fraction(0)] * n)


def _compose(outer: Affine, inner: Affine) -> Affine:
    """outer ∘ inner, exactly: (W2 W1, W2 b1 + b2); zero entries are skipped (convolutions
    and pooling are sparse), which changes no value."""
    W2, b2 = outer
    W1, b1 = inner
    cols = len(W1[0])
    sparse1 = [[(j, v) for j, v in enumerate(r) if v] for r in W1]
    W: Matrix = []
    b: Vector = []
    for row, c in zip(W2, b2):
        acc: dict[int, Fraction] = {}
        bias = Fraction(0)
        for k, w in enumerate(row):
            if w:
                for j, v in sparse1[k]:
                    acc[j] = acc.get(j, _ZERO) + w * v
                if b1[k]:
                    bias += w * b1[k]
        W.append([acc.get(j, _ZERO) for j in range(cols)])
        b.append(bias + c)
    return W, b


def _assemble(ops: list[tuple[str, str, Affine | None]], input_dim: int | None,
              what: str) -> ReluNetwork:
    """Build the network from ``("linear", name, (W, b))`` and ``("relu", name, None)`` ops."""
    first = next((aff for kind, _n, aff in ops if kind == "linear"), None)
    if first is not None:
        n_in = len(first[0][0])
        if input_dim is not None and input_dim != n_in:
            raise ShapeError(f"input_dim: {input_dim} does not match the first Linear layer's "
                             f"in_features = {n_in}")
        input_dim = n_in
    if input_dim is None:
        raise UnsupportedModelError(f"{what} has no Linear layer; pass input_dim")
    layers: list[Affine] = []
    pending: Affine | None = None
    dim = input_dim
    relu_last = False
    for kind, name, aff in ops:
        if kind == "linear":
            assert aff is not None
            W, _b = aff
            if len(W[0]) != dim:
                raise ShapeError(f"{name}: expects {len(W[0])} inputs but the previous layer "
                                 f"has {dim} outputs")
            pending = aff if pending is None else _compose(aff, pending)
            dim = len(W)
            relu_last = False
        else:
            if pending is None:
                if relu_last:
                    continue  # ReLU(ReLU(z)) = ReLU(z)
                pending = _identity(dim)
            layers.append(pending)
            pending = None
            relu_last = True
    layers.append(pending if pending is not None else _identity(dim))
    return ReluNetwork(input_dim, tuple(tuple(tuple(r) for r in W) for W, _ in layers),
                       tuple(tuple(b) for _, b in layers))


def _check_input_dim(input_dim: Any) -> int | None:
    if input_dim is None:
        return None
    if isinstance(input_dim, bool) or not isinstance(input_dim, (int, np.integer)) or input_dim < 1:
        raise NetworkFormatError(f"input_dim must be an int >= 1, got {input_dim!r}")
    return int(input_dim)


# ----------------------------------------------------------------------------- convolutions


def _pair(value: Any, what: str) -> tuple[int, int]:
    pair = tuple(value) if isinstance(value, (tuple, list)) else (value, value)
    if len(pair) != 2 or not all(isinstance(v, int) and not isinstance(v, bool) for v in pair):
        raise UnsupportedModelError(f"{what}: expected an int or a pair of ints, got {value!r}")
    return int(pair[0]), int(pair[1])


def _check_shape(input_shape: Any) -> Shape | None:
    if input_shape is None:
        return None
    try:
        shape = tuple(input_shape)
    except TypeError:
        shape = ()
    if len(shape) != 3 or not all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) and v >= 1
                                  for v in shape):
        raise NetworkFormatError(f"input_shape must be three ints (C, H, W) >= 1, got {input_shape!r}")
    return int(shape[0]), int(shape[1]), int(shape[2])


def conv2d_affine(weight: Any, bias: Any, shape: Shape, *, stride: Any = 1, padding: Any = 0,
                  name: str = "Conv2d") -> tuple[Affine, Shape]:
    """The exact dense affine map of a 2-D convolution on flattened ``(C, H, W)`` inputs.

    Parameters
    ----------
    weight : tensor or array, shape (O, C, kH, kW)
    bias : tensor or array of shape (O,), or None (zero)
    shape : (C, H, W)
        The input's shape; inputs and outputs are flattened in PyTorch's order
        (``c*H*W + h*W + w``).
    stride, padding : int or pair of ints
        As ``torch.nn.Conv2d`` (zero padding; dilation 1, one group).

    Returns
    -------
    ((W, b), (O, H_out, W_out))
        ``W`` has ``O*H_out*W_out`` rows and ``C*H*W`` columns, with
        ``H_out = (H + 2 padding - kH) // stride + 1``.

    Notes
    -----
    O(O H_out W_out C kH kW) nonzero entries plus the zeros of the dense matrix.

    Examples
    --------
    >>> import numpy as np
    >>> (W, b), out = conv2d_affine(np.array([[[[1.0, -0.5]]]]), None, (1, 1, 3))
    >>> out, [[str(v) for v in r] for r in W]
    ((1, 1, 2), [['1', '-1/2', '0'], ['0', '1', '-1/2']])
    """
    arr = _to_numpy(weight, f"{name} weight")
    C, H, Wd = shape
    if arr.ndim != 4 or arr.shape[1] != C:
        raise ShapeError(f"{name}: expected a weight of shape (out_channels, {C}, kH, kW) for an input "
                         f"of shape {shape}, got {tuple(arr.shape)}")
    O, _c, kh, kw = (int(v) for v in arr.shape)
    sh, sw = _pair(stride, f"{name} stride")
    ph, pw = _pair(padding, f"{name} padding")
    if sh < 1 or sw < 1 or ph < 0 or pw < 0:
        raise UnsupportedModelError(f"{name}: stride {stride!r} / padding {padding!r} out of range")
    ho, wo = (H + 2 * ph - kh) // sh + 1, (Wd + 2 * pw - kw) // sw + 1
    if ho < 1 or wo < 1:
        raise ShapeError(f"{name}: a {kh}x{kw} kernel does not fit the input of shape {shape}")
    try:
        rows = matrix_of(arr.reshape(O * C * kh, kw), f"{name} weight")
    except NumberError as e:  # NaN, infinities
        raise NetworkFormatError(str(e)) from None
    kern = [[[rows[(o * C + c) * kh + di] for di in range(kh)] for c in range(C)] for o in range(O)]
    b = _bias(bias, O, f"{name} bias")
    n_in = C * H * Wd
    W: Matrix = []
    B: Vector = []
    for o in range(O):
        for i in range(ho):
            for j in range(wo):
                row = [_ZERO] * n_in
                for c in range(C):
                    for di in range(kh):
                        y = i * sh - ph + di
                        if 0 <= y < H:
                            for dj in range(kw):
                                x = j * sw - pw + dj
                                if 0 <= x < Wd and kern[o][c][di][dj]:
                                    row[(c * H + y) * Wd + x] = kern[o][c][di][dj]
                W.append(row)
                B.append(b[o])
    return (W, B), (O, ho, wo)


def avgpool2d_affine(shape: Shape, kernel: Any, *, stride: Any = None, padding: Any = 0,
                     count_include_pad: bool = True, divisor_override: int | None = None,
                     name: str = "AvgPool2d") -> tuple[Affine, Shape]:
    """The exact linear map of ``torch.nn.AvgPool2d`` (``ceil_mode=False``) on flattened inputs.

    Each output is the exact mean of its window: ``1/(kH kW)``, or ``1/divisor_override``,
    or, with ``count_include_pad=False``, one over the number of non-padding entries.

    Notes
    -----
    O(C H_out W_out kH kW) nonzero entries.

    Examples
    --------
    >>> (W, b), out = avgpool2d_affine((1, 2, 2), 2)
    >>> out, [str(v) for v in W[0]], b
    ((1, 1, 1), ['1/4', '1/4', '1/4', '1/4'], [Fraction(0, 1)])
    """
    C, H, Wd = shape
    kh, kw = _pair(kernel, f"{name} kernel_size")
    sh, sw = _pair(kernel if stride is None else stride, f"{name} stride")
    ph, pw = _pair(padding, f"{name} padding")
    if divisor_override is not None and (isinstance(divisor_override, bool)
                                         or not isinstance(divisor_override, int) or divisor_override < 1):
        raise UnsupportedModelError(f"{name}: divisor_override={divisor_override!r} is not a positive int")
    if min(kh, kw, sh, sw) < 1 or min(ph, pw) < 0:
        raise UnsupportedModelError(f"{name}: kernel {kernel!r}, stride {stride!r} or padding {padding!r} "
                                    "out of range")
    ho, wo = (H + 2 * ph - kh) // sh + 1, (Wd + 2 * pw - kw) // sw + 1
    if ho < 1 or wo < 1:
        raise ShapeError(f"{name}: a {kh}x{kw} window does not fit the input of shape {shape}")
    n_in = C * H * Wd
    W: Matrix = []
    for c in range(C):
        for i in range(ho):
            for j in range(wo):
                cells = [(y, x) for y in range(i * sh - ph, i * sh - ph + kh)
                         for x in range(j * sw - pw, j * sw - pw + kw) if 0 <= y < H and 0 <= x < Wd]
                div = (divisor_override if divisor_override is not None
                       else kh * kw if count_include_pad else len(cells))
                w = Fraction(1, div)
                row = [_ZERO] * n_in
                for y, x in cells:
                    row[(c * H + y) * Wd + x] = w
                W.append(row)
    return (W, [_ZERO] * len(W)), (C, ho, wo)


# ----------------------------------------------------------------------------- torch models


def _walk(module: Any, path: str, nn: Any) -> Iterator[tuple[str, Any]]:
    if type(module) is nn.Sequential:
        for name, child in module.named_children():
            yield from _walk(child, f"{path}.{name}" if path else name, nn)
    else:
        yield path or type(module).__name__, module


def network_from_torch(model: Any, *, input_dim: int | None = None,
                       input_shape: Sequence[int] | None = None) -> ReluNetwork:
    """The exact network of a PyTorch ``nn.Sequential`` of Linear/ReLU/Flatten/Conv2d/AvgPool2d layers.

    Parameters
    ----------
    model : torch.nn.Sequential or torch.nn.Linear
        Layers as listed in the module docstring (nested Sequentials are walked in
        order). A lone ``nn.Linear`` is a network without hidden layers.
    input_dim : int, optional
        Only needed when the model has no ``Linear`` layer; otherwise it must
        equal the first layer's ``in_features``.
    input_shape : (C, H, W), optional
        The shape of one input image, needed when the model has ``Conv2d`` or
        ``AvgPool2d`` layers (which act on ``(C, H, W)`` tensors). The network's
        input is then the flattened image (``C*H*W`` numbers in PyTorch's order),
        every convolution and pooling becomes its exact dense affine map
        (:func:`conv2d_affine`, :func:`avgpool2d_affine`), and a ``Linear`` layer
        must follow an ``nn.Flatten``.

    Returns
    -------
    ReluNetwork
        Weights and biases are the exact binary values of the parameters.

    Raises
    ------
    UnsupportedModelError
        A layer other than Linear/ReLU/Flatten/Identity/Dropout/Conv2d/AvgPool2d (the
        message gives its position and class, e.g. ``model[1.0]: MaxPool2d``), a
        non-default Flatten, a Conv2d with dilation, groups or non-zero padding mode,
        an AvgPool2d with ``ceil_mode=True``, or a custom module (its ``forward`` could do anything; pass
        ``model.state_dict()`` to :func:`network_from_state_dict` instead).
    ShapeError
        Consecutive layers whose sizes do not chain.

    Notes
    -----
    O(number of parameters), plus an exact matrix product (zeros skipped) for each
    pair of consecutive affine layers; a convolution costs O(outputs x inputs) for
    its dense matrix.

    Examples
    --------
    >>> import torch  # doctest: +SKIP
    >>> model = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU(),  # doctest: +SKIP
    ...                             torch.nn.Linear(3, 1))
    >>> network_from_torch(model).architecture  # doctest: +SKIP
    '2-3-1'
    """
    torch = _import_torch()
    nn = torch.nn
    if not isinstance(model, nn.Module):
        raise NetworkFormatError(f"model: expected a torch.nn.Module, got {type(model).__name__}")
    if type(model) not in (nn.Sequential, nn.Linear):
        raise UnsupportedModelError(
            f"model: a {type(model).__name__} is not an nn.Sequential, so its layer order is "
            "unknown; build an nn.Sequential, or pass model.state_dict() to "
            "network_from_state_dict (which puts a ReLU between consecutive Linear layers)")
    shape = _check_shape(input_shape)
    n_in = _check_input_dim(input_dim)
    if shape is not None:
        if n_in is not None and n_in != shape[0] * shape[1] * shape[2]:
            raise ShapeError(f"input_dim: {n_in} does not match input_shape {shape} "
                             f"({shape[0] * shape[1] * shape[2]} numbers)")
        n_in = shape[0] * shape[1] * shape[2]
    ops: list[tuple[str, str, Affine | None]] = []
    for path, m in _walk(model, "", nn):
        name = f"model[{path}]"
        kind = type(m)
        if kind is nn.Linear:
            if shape is not None:
                raise UnsupportedModelError(
                    f"{name}: Linear on a (C, H, W) = {shape} tensor acts on its last axis; "
                    "put an nn.Flatten() before it")
            W = _weight(m.weight, f"{name} (Linear) weight")
            ops.append(("linear", f"{name} (Linear)",
                        (W, _bias(m.bias, len(W), f"{name} (Linear) bias"))))
        elif kind is nn.ReLU:
            ops.append(("relu", name, None))
        elif kind is nn.Flatten:
            if (m.start_dim, m.end_dim) != (1, -1):
                raise UnsupportedModelError(f"{name}: Flatten(start_dim={m.start_dim}, "
                                            f"end_dim={m.end_dim}); only the default "
                                            "Flatten(start_dim=1, end_dim=-1) is supported")
            shape = None
        elif kind in (nn.Identity, nn.Dropout):
            pass
        elif kind is nn.Conv2d:
            what = f"{name} (Conv2d)"
            if shape is None:
                raise UnsupportedModelError(f"{name}: {kind.__name__} needs input_shape=(C, H, W) (and no "
                                            "Flatten before it)")
            for attr, ok in (("dilation", (1, 1)), ("groups", 1), ("padding_mode", "zeros")):
                if getattr(m, attr) != ok:
                    raise UnsupportedModelError(f"{what}: {attr}={getattr(m, attr)!r} is not supported "
                                                f"(only {attr}={ok!r})")
            if isinstance(m.padding, str):
                raise UnsupportedModelError(f"{what}: padding={m.padding!r} is not supported; "
                                            "give the padding as ints")
            aff, shape = conv2d_affine(m.weight, m.bias, shape, stride=m.stride, padding=m.padding, name=what)
            ops.append(("linear", what, aff))
        elif kind is nn.AvgPool2d:
            what = f"{name} (AvgPool2d)"
            if shape is None:
                raise UnsupportedModelError(f"{name}: {kind.__name__} needs input_shape=(C, H, W) (and no "
                                            "Flatten before it)")
            if m.ceil_mode:
                raise UnsupportedModelError(f"{what}: ceil_mode=True is not supported")
            aff, shape = avgpool2d_affine(shape, m.kernel_size, stride=m.stride, padding=m.padding,
                                          count_include_pad=m.count_include_pad,
                                          divisor_override=m.divisor_override, name=what)
            ops.append(("linear", what, aff))
        else:
            raise UnsupportedModelError(
                f"{name}: {kind.__name__} is not supported (supported layers: "
                f"{', '.join(SUPPORTED_LAYERS)})")
    return _assemble(ops, n_in, "the model")


def network_from_state_dict(state_dict: Mapping[str, Any], *,
                            input_dim: int | None = None) -> ReluNetwork:
    """The exact network of a state dict of Linear layers with a ReLU between consecutive ones.

    Parameters
    ----------
    state_dict : mapping of str to tensor or array
        Keys ``<layer>.weight`` (2-D, ``(out_features, in_features)``) and optionally
        ``<layer>.bias`` (1-D; a missing bias is zero), in layer order (the order of
        ``model.state_dict()``, i.e. the dict's order). Values are torch tensors or
        numpy arrays (anything ``numpy.asarray`` reads).
    input_dim : int, optional
        Must equal the first weight's number of columns when given.

    Returns
    -------
    ReluNetwork
        Every layer but the last is a ReLU layer; the last is the affine output layer.

    Raises
    ------
    UnsupportedModelError
        A key that is not ``.weight``/``.bias`` (e.g. a BatchNorm buffer), a weight
        that is not 2-D (a convolution), a bias without a weight.
    ShapeError
        Shapes that do not chain; the message names the keys.

    Notes
    -----
    A state dict does not record activations: a model with two Linear layers in a
    row, or without a ReLU somewhere, must be imported with :func:`network_from_torch`.

    Examples
    --------
    >>> import numpy as np
    >>> sd = {"0.weight": np.array([[1.5, -0.25]]), "0.bias": np.array([0.5]),
    ...       "2.weight": np.array([[2.0]])}
    >>> net = network_from_state_dict(sd)
    >>> net.architecture, net.biases
    ('2-1-1', ((Fraction(1, 2),), (Fraction(0, 1),)))
    """
    if not isinstance(state_dict, Mapping):
        raise NetworkFormatError(f"state_dict: expected a mapping of names to tensors, "
                                 f"got {type(state_dict).__name__}")
    groups: dict[str, dict[str, Any]] = {}
    for key, value in state_dict.items():
        if not isinstance(key, str):
            raise NetworkFormatError(f"state_dict: keys must be strings, got {key!r}")
        prefix, dot, leaf = key.rpartition(".")
        if not dot:
            prefix, leaf = "", key
        if leaf not in ("weight", "bias"):
            raise UnsupportedModelError(
                f"state_dict key {key!r}: only Linear weights and biases can be imported "
                "(is it a normalisation buffer or another layer type?)")
        groups.setdefault(prefix, {})[leaf] = (key, value)
    if not groups:
        raise NetworkFormatError("state_dict: it is empty")
    ops: list[tuple[str, str, Affine | None]] = []
    for prefix, parts in groups.items():
        if "weight" not in parts:
            raise UnsupportedModelError(f"state_dict key {parts['bias'][0]!r}: a bias "
                                        "without a weight")
        wkey, wval = parts["weight"]
        W = _weight(wval, f"state_dict[{wkey!r}]")
        bkey, bval = parts.get("bias", (f"{prefix}.bias", None))
        if ops:
            ops.append(("relu", f"before {wkey!r}", None))
        ops.append(("linear", f"state_dict[{wkey!r}]", (W, _bias(bval, len(W), f"state_dict[{bkey!r}]"))))
    return _assemble(ops, _check_input_dim(input_dim), "the state dict")


_NUMBERED = re.compile(r"^([Wb])(\d+)$")


def network_from_npz(file: str | os.PathLike[str] | IO[bytes], *,
                     input_dim: int | None = None) -> ReluNetwork:
    """The exact network stored in a numpy ``.npz`` file.

    Two layouts are read:

    * state-dict keys (``np.savez(f, **{k: v.numpy() for k, v in
      model.state_dict().items()})``): ``<layer>.weight`` / ``<layer>.bias`` in file
      order, read by :func:`network_from_state_dict`;
    * numbered keys ``W0, b0, W1, b1, ...`` (``W_l`` of shape ``(n_l, n_{l-1})``),
      ordered by the number.

    In both, every layer but the last is a ReLU layer. The file is read with
    ``allow_pickle=False``.

    Raises
    ------
    NetworkFormatError
        The file cannot be read or is not a ``.npz`` archive; the message starts
        with its name. ``UnsupportedModelError`` / ``ShapeError`` as for
        :func:`network_from_state_dict`.
    """
    label = os.fspath(file) if isinstance(file, (str, os.PathLike)) else "npz file"
    if isinstance(file, (str, os.PathLike)) and os.path.isfile(file) and not zipfile.is_zipfile(file):
        raise NetworkFormatError(f"{label}: not a .npz archive (not a zip file written by numpy.savez)")
    try:
        data = np.load(file, allow_pickle=False)
        if not isinstance(data, np.lib.npyio.NpzFile):
            raise NetworkFormatError(f"{label}: not a .npz archive (a single .npy array?)")
        with data:
            arrays = {k: data[k] for k in data.files}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as e:
        reason = ("it holds pickled objects, which exactpoly never loads" if "pickled" in str(e)
                  else str(e).strip().splitlines()[0][:200] if str(e).strip() else type(e).__name__)
        raise NetworkFormatError(f"{label}: cannot read a .npz file: {reason}") from e
    try:
        matches = {k: _NUMBERED.match(k) for k in arrays}
        if arrays and all(matches.values()):
            numbered = {(m.group(1), int(m.group(2))): k for k, m in matches.items() if m}
            n = 1 + max(i for _c, i in numbered)
            missing = [f"W{i}" for i in range(n) if ("W", i) not in numbered]
            if missing:
                raise ShapeError(f"missing weight array(s) {', '.join(missing)}")
            sd = {}
            for i in range(n):
                sd[f"{i}.weight"] = arrays[numbered["W", i]]
                if ("b", i) in numbered:
                    sd[f"{i}.bias"] = arrays[numbered["b", i]]
            return network_from_state_dict(sd, input_dim=input_dim)
        return network_from_state_dict(arrays, input_dim=input_dim)
    except NetworkFormatError as e:
        raise type(e)(f"{label}: {e}") from e


# ----------------------------------------------------------------------------- files


def _torch_load_reason(e: Exception) -> str:
    """Why ``torch.load(weights_only=True)`` failed, in a few words, without torch's advice to load
    unsafely (exactpoly never runs a file's code, so that advice does not apply)."""
    text = str(e)
    if "not a ZIP archive" in text or "failed finding central directory" in text:
        return "not a PyTorch file (not a zip archive saved by torch.save)"
    found = re.search(r"WeightsUnpickler error:\s*(.+?)(?:\n\s*\n|$)", text, re.S)
    if found and found.group(1).strip():
        return f"not a plain tensor/state-dict file ({found.group(1).strip().splitlines()[0]})"
    first = text.strip().splitlines()[0] if text.strip() else type(e).__name__
    if "weights_only" in first:
        return "not a plain tensor/state-dict file"
    return first[:200]


def read_torch(path: str | os.PathLike[str], *, input_dim: int | None = None,
               input_shape: Sequence[int] | None = None) -> ReluNetwork:
    """Read a PyTorch file saved with ``torch.save``: a whole ``nn.Sequential`` or a state dict.

    The file is loaded with ``weights_only=True`` (no arbitrary code runs) with only
    the supported layer classes allowed; a checkpoint dict with a ``state_dict`` or
    ``model_state_dict`` entry is accepted too.

    Raises
    ------
    MissingDependencyError
        PyTorch is not installed.
    UnsupportedModelError
        The saved model uses a class exactpoly does not import (named in the message).
    NetworkFormatError
        The file cannot be read; the message starts with the path.
    """
    torch = _import_torch()
    nn = torch.nn
    label = os.fspath(path)
    allowed = [nn.Sequential, nn.Linear, nn.ReLU, nn.Flatten, nn.Identity, nn.Dropout, nn.Conv2d, nn.AvgPool2d]
    try:
        with torch.serialization.safe_globals(allowed), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # torch's pickle-protocol warnings: the error below says it all
            obj = torch.load(path, map_location="cpu", weights_only=True)
    except OSError as e:
        raise NetworkFormatError(f"{label}: cannot read: {e}") from e
    except Exception as e:  # UnpicklingError, RuntimeError (not a zip file), ...
        found = re.search(r"Unsupported global: GLOBAL (\S+)", str(e))
        if found:
            raise UnsupportedModelError(
                f"{label}: the saved model uses {found.group(1)}, which exactpoly does not "
                f"import (supported layers: {', '.join(SUPPORTED_LAYERS)})") from None
        raise NetworkFormatError(f"{label}: cannot load a PyTorch file: {_torch_load_reason(e)}") from None
    try:
        if isinstance(obj, nn.Module):
            return network_from_torch(obj, input_dim=input_dim, input_shape=input_shape)
        if input_shape is not None:
            raise UnsupportedModelError("input_shape: a state dict has no layer order for convolutions; "
                                        "save the whole nn.Sequential")
        if isinstance(obj, Mapping):
            for key in ("model_state_dict", "state_dict"):
                if isinstance(obj.get(key), Mapping):
                    return network_from_state_dict(obj[key], input_dim=input_dim)
            return network_from_state_dict(obj, input_dim=input_dim)
        raise NetworkFormatError(f"expected a saved nn.Sequential or a state dict, got "
                                 f"{type(obj).__name__}")
    except NetworkFormatError as e:
        raise type(e)(f"{label}: {e}") from e


def read_model(path: str | os.PathLike[str], *, input_dim: int | None = None,
               input_shape: Sequence[int] | None = None) -> ReluNetwork:
    """Read a network from ``.pt``/``.pth`` (PyTorch), ``.npz`` (numpy) or ``.json`` (exactpoly).

    Dispatches on the suffix to :func:`read_torch`, :func:`network_from_npz` or
    :func:`~exactpoly.network.read_network`.

    Raises
    ------
    NetworkFormatError
        Unknown suffix, unreadable or malformed file (the message starts with the path).
    """
    label = os.fspath(path)
    suffix = os.path.splitext(label)[1].lower()
    if suffix in (".pt", ".pth"):
        return read_torch(path, input_dim=input_dim, input_shape=input_shape)
    if input_shape is not None:
        raise UnsupportedModelError(f"{label}: input_shape is only read with a saved PyTorch nn.Sequential "
                                    "(.pt/.pth)")
    if suffix == ".npz":
        return network_from_npz(path, input_dim=input_dim)
    if suffix == ".json":
        net = read_network(path)
        if input_dim is not None and _check_input_dim(input_dim) != net.input_dim:
            raise ShapeError(f"{label}: input_dim {input_dim} does not match the file's "
                             f"{net.input_dim}")
        return net
    raise NetworkFormatError(f"{label}: unknown model file type {suffix or '(no suffix)'!r}; "
                             f"expected one of {', '.join(MODEL_SUFFIXES)}")
