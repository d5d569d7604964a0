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
  inference (eval mode), where all three are the identity.

Exact rewriting keeps the function and the regions: consecutive ``Linear`` layers
are multiplied out into one affine map; a ``ReLU`` with no ``Linear`` before it
gets an identity layer (``ReLU(ReLU(z)) = ReLU(z)`` is merged); a model ending in
``ReLU`` gets an identity affine output layer, so its last ReLUs are hidden neurons.
Anything else (convolutions, normalisation, other activations, custom modules)
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
from collections.abc import Iterator, Mapping
from fractions import Fraction
from typing import IO, Any

import numpy as np

from ..errors import MissingDependencyError, NetworkFormatError, NumberError, ShapeError, UnsupportedModelError
from ..network import ReluNetwork, matrix_of, read_network, vector_of

__all__ = [
    "SUPPORTED_LAYERS",
    "MissingDependencyError",
    "UnsupportedModelError",
    "network_from_torch",
    "network_from_state_dict",
    "network_from_npz",
    "read_torch",
    "read_model",
]

#: Class names of the ``torch.nn`` layers :func:`network_from_torch` reads.
SUPPORTED_LAYERS = ("Sequential", "Linear", "ReLU", "Flatten", "Identity", "Dropout")
MODEL_SUFFIXES = (".pt", ".pth", ".npz", ".json")

Matrix = list[list[Fraction]]
Vector = list[Fraction]
Affine = tuple[Matrix, Vector]


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
    """outer ∘ inner, exactly: (W2 W1, W2 b1 + b2)."""
    W2, b2 = outer
    W1, b1 = inner
    cols = len(W1[0])
    W = [[sum((row[k] * W1[k][j] for k in range(len(W1))), Fraction(0)) for j in range(cols)]
         for row in W2]
    b = [sum((row[k] * b1[k] for k in range(len(b1))), Fraction(0)) + c for row, c in zip(W2, b2)]
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


# ----------------------------------------------------------------------------- torch models


def _walk(module: Any, path: str, nn: Any) -> Iterator[tuple[str, Any]]:
    if type(module) is nn.Sequential:
        for name, child in module.named_children():
            yield from _walk(child, f"{path}.{name}" if path else name, nn)
    else:
        yield path or type(module).__name__, module


def network_from_torch(model: Any, *, input_dim: int | None = None) -> ReluNetwork:
    """The exact network of a PyTorch ``nn.Sequential`` of Linear/ReLU/Flatten layers.

    Parameters
    ----------
    model : torch.nn.Sequential or torch.nn.Linear
        Layers as listed in the module docstring (nested Sequentials are walked in
        order). A lone ``nn.Linear`` is a network without hidden layers.
    input_dim : int, optional
        Only needed when the model has no ``Linear`` layer; otherwise it must
        equal the first layer's ``in_features``.

    Returns
    -------
    ReluNetwork
        Weights and biases are the exact binary values of the parameters.

    Raises
    ------
    UnsupportedModelError
        A layer other than Linear/ReLU/Flatten/Identity/Dropout (the message gives
        its position, e.g. ``model[1.0]: Conv2d``), a non-default Flatten, or a
        custom module (its ``forward`` could do anything; pass
        ``model.state_dict()`` to :func:`network_from_state_dict` instead).
    ShapeError
        Consecutive layers whose sizes do not chain.

    Notes
    -----
    O(number of parameters), plus an exact matrix product for each pair of
    consecutive Linear layers.

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
    ops: list[tuple[str, str, Affine | None]] = []
    for path, m in _walk(model, "", nn):
        name = f"model[{path}]"
        kind = type(m)
        if kind is nn.Linear:
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
        elif kind in (nn.Identity, nn.Dropout):
            pass
        else:
            raise UnsupportedModelError(
                f"{name}: {kind.__name__} is not supported (supported layers: "
                f"{', '.join(SUPPORTED_LAYERS)})")
    return _assemble(ops, _check_input_dim(input_dim), "the model")


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


def read_torch(path: str | os.PathLike[str], *, input_dim: int | None = None) -> ReluNetwork:
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
    allowed = [nn.Sequential, nn.Linear, nn.ReLU, nn.Flatten, nn.Identity, nn.Dropout]
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
            return network_from_torch(obj, input_dim=input_dim)
        if isinstance(obj, Mapping):
            for key in ("model_state_dict", "state_dict"):
                if isinstance(obj.get(key), Mapping):
                    return network_from_state_dict(obj[key], input_dim=input_dim)
            return network_from_state_dict(obj, input_dim=input_dim)
        raise NetworkFormatError(f"expected a saved nn.Sequential or a state dict, got "
                                 f"{type(obj).__name__}")
    except NetworkFormatError as e:
        raise type(e)(f"{label}: {e}") from e


def read_model(path: str | os.PathLike[str], *, input_dim: int | None = None) -> ReluNetwork:
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
        return read_torch(path, input_dim=input_dim)
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
