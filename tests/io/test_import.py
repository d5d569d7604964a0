"""Tests of exactpoly.io.torch_import: exact import of numpy arrays, .npz files, PyTorch
``nn.Sequential`` models, state dicts and ``.pt`` files.

The numpy/.npz tests need no torch; the torch tests skip when torch is missing
(``pip install 'exactpoly[torch]'``). Exactness is checked with ``==`` on Fractions:
every float weight must become its exact binary value, and the imported network must
compute exactly what the float model computes where float arithmetic is exact
(dyadic weights and inputs).
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
from fractions import Fraction as F
from pathlib import Path

import numpy as np
import pytest

from exactpoly.errors import NetworkFormatError, ShapeError
from exactpoly.io.torch_import import (
    MissingDependencyError,
    UnsupportedModelError,
    network_from_npz,
    network_from_state_dict,
    read_model,
    read_torch,
)
from exactpoly.network import ReluNetwork, network_from_layers, write_network

ROOT = Path(__file__).resolve().parents[2]


def evaluate(net: ReluNetwork, x) -> list[F]:
    """Exact forward pass."""
    h = [F(v) for v in x]
    for l, (W, b) in enumerate(zip(net.weights, net.biases)):
        z = [sum((w * v for w, v in zip(row, h)), F(0)) + c for row, c in zip(W, b)]
        h = z if l == len(net.weights) - 1 else [max(v, F(0)) for v in z]
    return h


def npz_bytes(**arrays) -> io.BytesIO:
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return io.BytesIO(buf.getvalue())


# ----------------------------------------------------------------------------- no torch


def test_import_exactpoly_imports_neither_torch_nor_hypothesis():
    code = ("import sys, exactpoly, exactpoly.io.torch_import, exactpoly.io.export; "
            "print('torch' in sys.modules, 'hypothesis' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_state_dict_of_numpy_arrays_is_exact():
    w0 = np.array([[0.1, -2.5], [1e-3, 3.0]], dtype=np.float32)
    b0 = np.array([0.3, -0.7], dtype=np.float32)
    w1 = np.array([[1 / 3, 2.0]], dtype=np.float64)
    net = network_from_state_dict({"0.weight": w0, "0.bias": b0, "2.weight": w1, "2.bias": np.zeros(1)})
    assert net.architecture == "2-2-1"
    assert net.weights[0][0][0] == F(float(np.float32(0.1))) == F(13421773, 134217728)
    assert net.weights[0][1][0] == F(float(np.float32(1e-3)))
    assert net.biases[0] == (F(float(np.float32(0.3))), F(float(np.float32(-0.7))))
    assert net.weights[1][0][0] == F(1 / 3)
    assert all(x.denominator & (x.denominator - 1) == 0 for row in net.weights[0] for x in row)


def test_state_dict_missing_bias_is_zero_and_int_arrays_work():
    net = network_from_state_dict({"a.weight": np.array([[1, 2]]), "b.weight": np.array([[3]])})
    assert net.biases == ((F(0),), (F(0),))
    assert net.weights == (((F(1), F(2)),), ((F(3),),))


def test_float16_and_longdouble_are_exact():
    w16 = np.array([[0.1]], dtype=np.float16)
    wld = np.array([[1]], dtype=np.longdouble) / np.longdouble(3)
    net = network_from_state_dict({"0.weight": w16, "1.weight": wld})
    assert net.weights[0][0][0] == F(float(w16[0, 0]))
    p, q = wld[0, 0].as_integer_ratio()
    assert net.weights[1][0][0] == F(int(p), int(q))


@pytest.mark.parametrize("sd, error, pattern", [
    ({"0.weight": np.ones((2, 2)), "bn.running_mean": np.zeros(2)}, UnsupportedModelError,
     "'bn.running_mean'"),
    ({"conv.weight": np.ones((1, 1, 3, 3))}, UnsupportedModelError, "'conv.weight'.*2-D"),
    ({"0.bias": np.zeros(2)}, UnsupportedModelError, "'0.bias'.*without a weight"),
    ({"0.weight": np.ones((2, 3)), "1.weight": np.ones((1, 4))}, ShapeError, "'1.weight'.*4 inputs"),
    ({"0.weight": np.ones((2, 3)), "0.bias": np.zeros(3)}, ShapeError, r"'0.bias'.*\(2,\)"),
    ({"0.weight": np.array([[np.nan]])}, NetworkFormatError, "not a finite number"),
    ({"0.weight": np.array([[True]])}, UnsupportedModelError, "dtype bool"),
    ({"0.weight": np.array([["1"]])}, UnsupportedModelError, "dtype"),
    ({}, NetworkFormatError, "empty"),
    ([1, 2], NetworkFormatError, "mapping"),
])
def test_state_dict_errors(sd, error, pattern):
    with pytest.raises(error, match=pattern):
        network_from_state_dict(sd)


def test_input_dim_must_match():
    sd = {"0.weight": np.ones((1, 3))}
    assert network_from_state_dict(sd, input_dim=3).input_dim == 3
    with pytest.raises(ShapeError, match="input_dim"):
        network_from_state_dict(sd, input_dim=2)
    with pytest.raises(NetworkFormatError, match="input_dim"):
        network_from_state_dict(sd, input_dim=0)


def test_npz_state_dict_layout(tmp_path):
    arrays = {"layers.0.weight": np.array([[0.5, -1.0]], dtype=np.float32),
              "layers.0.bias": np.array([0.25], dtype=np.float32),
              "layers.2.weight": np.array([[2.0]], dtype=np.float32),
              "layers.2.bias": np.array([0.0], dtype=np.float32)}
    np.savez(tmp_path / "m.npz", **arrays)
    net = network_from_npz(tmp_path / "m.npz")
    assert net == network_from_layers(2, [([["1/2", -1]], ["1/4"]), ([[2]], [0])])
    assert read_model(tmp_path / "m.npz") == net
    assert network_from_npz(npz_bytes(**arrays)) == net


def test_npz_numbered_layout_is_ordered_by_number():
    arrays = {f"W{i}": np.full((1, 1), float(i + 1)) for i in range(12)}
    arrays["b11"] = np.array([5.0])
    net = network_from_npz(npz_bytes(**dict(reversed(list(arrays.items())))))
    assert [w[0][0] for w in net.weights] == [F(i + 1) for i in range(12)]
    assert net.biases[-1] == (F(5),) and net.biases[0] == (F(0),)


def test_npz_errors(tmp_path):
    with pytest.raises(ShapeError, match="W1"):
        network_from_npz(npz_bytes(W0=np.ones((1, 1)), W2=np.ones((1, 1))))
    np.save(tmp_path / "a.npy", np.ones(2))
    with pytest.raises(NetworkFormatError, match=r"a\.npy: not a \.npz"):
        network_from_npz(tmp_path / "a.npy")
    (tmp_path / "bad.npz").write_bytes(b"PK\x03\x04 this is not a zip")
    with pytest.raises(NetworkFormatError, match=r"bad\.npz: not a \.npz archive"):
        network_from_npz(tmp_path / "bad.npz")
    with pytest.raises(NetworkFormatError, match=r"missing\.npz"):
        network_from_npz(tmp_path / "missing.npz")
    np.savez(tmp_path / "bn.npz", **{"0.weight": np.ones((1, 1)), "0.running_var": np.ones(1)})
    with pytest.raises(UnsupportedModelError, match=r"bn\.npz: .*'0\.running_var'"):
        network_from_npz(tmp_path / "bn.npz")


def test_read_model_dispatch(tmp_path):
    net = network_from_layers(1, [([[1]], [0]), ([[1]], [0])])
    write_network(net, tmp_path / "n.json")
    assert read_model(tmp_path / "n.json") == net
    with pytest.raises(ShapeError, match="input_dim"):
        read_model(tmp_path / "n.json", input_dim=2)
    with pytest.raises(NetworkFormatError, match=r"unknown model file type '\.onnx'"):
        read_model(tmp_path / "m.onnx")


def test_missing_torch_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)   # import torch now raises ImportError
    with pytest.raises(MissingDependencyError, match=r"pip install 'exactpoly\[torch\]'"):
        read_torch(tmp_path / "m.pt")
    with pytest.raises(ImportError):
        read_model(tmp_path / "m.pt")


# ----------------------------------------------------------------------------- torch


@pytest.fixture
def torch():
    return pytest.importorskip("torch")


def _dyadic_model(torch, *layers):
    """Set every parameter to small dyadic values, so float64 evaluation is exact."""
    model = torch.nn.Sequential(*layers)
    gen = torch.Generator().manual_seed(0)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randint(-8, 9, p.shape, generator=gen).to(p.dtype) / 4)
    return model


def _agrees(torch, model, net, points):
    model = model.double().eval()
    for x in points:
        out = model(torch.tensor([x], dtype=torch.float64))[0].tolist()
        assert [F(v) for v in out] == evaluate(net, [F(v) for v in x])


POINTS = [(0.5, -1.25, 2.0), (-3.0, 0.75, 0.0), (1.0, 1.0, -1.0), (0.0, 0.0, 0.0)]


def test_sequential_weights_are_exact(torch):
    from exactpoly.io.torch_import import network_from_torch
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(3, 5), torch.nn.ReLU(),
                                torch.nn.Dropout(0.5), torch.nn.Linear(5, 4), torch.nn.ReLU(),
                                torch.nn.Identity(), torch.nn.Linear(4, 2))
    net = network_from_torch(model)
    assert net.architecture == "3-5-4-2"
    linears = [m for m in model if isinstance(m, torch.nn.Linear)]
    for l, m in enumerate(linears):
        W, b = m.weight.detach().numpy(), m.bias.detach().numpy()
        assert net.weights[l] == tuple(tuple(F(float(x)) for x in row) for row in W)
        assert net.biases[l] == tuple(F(float(x)) for x in b)
    assert network_from_state_dict(model.state_dict()) == net


@pytest.mark.parametrize("dtype", ["float16", "bfloat16", "float32", "float64"])
def test_parameter_dtypes_are_exact(torch, dtype):
    from exactpoly.io.torch_import import network_from_torch
    torch.manual_seed(1)
    model = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.Linear(3, 1))
    model = model.to(getattr(torch, dtype))
    net = network_from_torch(model)
    W = model[0].weight.detach()
    assert net.weights[0][1][1] == F(W[1, 1].item())       # .item() is exact for these dtypes
    assert net.weights[0][1][1] == F(float(W.to(torch.float64)[1, 1]))


def test_function_is_preserved_exactly(torch):
    from exactpoly.io.torch_import import network_from_torch
    nn = torch.nn
    cases = [
        (nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2)),
        (nn.Linear(3, 4), nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 1)),      # merged Linears
        (nn.ReLU(), nn.Linear(3, 2)),                                         # ReLU on the input
        (nn.Linear(3, 4), nn.ReLU(), nn.ReLU(), nn.Linear(4, 1), nn.ReLU()),  # idempotent, trailing
        (nn.Linear(3, 2, bias=False), nn.ReLU(), nn.Sequential(nn.Linear(2, 2), nn.ReLU()),
         nn.Linear(2, 1)),                                                    # nested, no bias
        (nn.Linear(3, 1),),
    ]
    for layers in cases:
        model = _dyadic_model(torch, *layers)
        net = network_from_torch(model)
        _agrees(torch, model, net, POINTS)


def test_structure_rewrites(torch):
    from exactpoly.io.torch_import import network_from_torch
    nn = torch.nn
    assert network_from_torch(nn.Sequential(nn.Linear(3, 4), nn.Linear(4, 2), nn.ReLU(),
                                            nn.Linear(2, 1))).architecture == "3-2-1"
    assert network_from_torch(nn.Sequential(nn.ReLU(), nn.Linear(3, 2))).architecture == "3-3-2"
    assert network_from_torch(nn.Sequential(nn.Linear(3, 2), nn.ReLU())).architecture == "3-2-2"
    assert network_from_torch(nn.Linear(3, 2)).architecture == "3-2"
    relu_only = network_from_torch(nn.Sequential(nn.ReLU(), nn.ReLU()), input_dim=2)
    assert relu_only.architecture == "2-2-2"
    with pytest.raises(UnsupportedModelError, match="input_dim"):
        network_from_torch(nn.Sequential(nn.ReLU()))


def test_unsupported_layers_are_named(torch):
    from exactpoly.io.torch_import import network_from_torch
    nn = torch.nn
    cases = [
        (nn.Sequential(nn.Linear(2, 2), nn.Sigmoid(), nn.Linear(2, 1)), r"model\[1\]: Sigmoid"),
        (nn.Sequential(nn.Linear(2, 2), nn.LeakyReLU(), nn.Linear(2, 1)), r"model\[1\]: LeakyReLU"),
        (nn.Sequential(nn.Linear(2, 2), nn.Sequential(nn.BatchNorm1d(2), nn.ReLU()),
                       nn.Linear(2, 1)), r"model\[1\.0\]: BatchNorm1d"),
        (nn.Sequential(nn.Conv2d(1, 1, 3)), r"model\[0\]: Conv2d"),
        (nn.Sequential(nn.Flatten(0)), r"Flatten\(start_dim=0"),
        (nn.ModuleList([nn.Linear(2, 2)]), "ModuleList is not an nn.Sequential"),
    ]
    for model, pattern in cases:
        with pytest.raises(UnsupportedModelError, match=pattern):
            network_from_torch(model)
    with pytest.raises(NetworkFormatError, match="torch.nn.Module"):
        network_from_torch([nn.Linear(2, 2)])
    with pytest.raises(ShapeError, match=r"model\[2\] \(Linear\): expects 3 inputs"):
        network_from_torch(nn.Sequential(nn.Linear(2, 2), nn.ReLU(), nn.Linear(3, 1)))


def test_custom_module_is_refused(torch):
    from exactpoly.io.torch_import import network_from_torch

    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = torch.nn.Linear(2, 1)

        def forward(self, x):
            return torch.sigmoid(self.fc(x))

    with pytest.raises(UnsupportedModelError, match="Net is not an nn.Sequential.*state_dict"):
        network_from_torch(Net())
    assert network_from_state_dict(Net().state_dict()).architecture == "2-1"


def test_state_dict_tensors(torch):
    torch.manual_seed(2)
    lin = torch.nn.Linear(2, 3)
    sd = {"0.weight": lin.weight, "0.bias": lin.bias.detach().to(torch.bfloat16),
          "1.weight": torch.ones(1, 3, dtype=torch.int64)}
    net = network_from_state_dict(sd)
    assert net.weights[0][2][1] == F(lin.weight[2, 1].item())
    assert net.biases[0][0] == F(lin.bias.detach().to(torch.bfloat16)[0].item())
    assert net.weights[1] == ((F(1), F(1), F(1)),)
    with pytest.raises(UnsupportedModelError, match="complex"):
        network_from_state_dict({"0.weight": torch.ones(1, 1, dtype=torch.complex64)})


def test_pt_files(torch, tmp_path):
    nn = torch.nn
    model = _dyadic_model(torch, nn.Flatten(), nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))
    torch.save(model, tmp_path / "full.pt")
    torch.save(model.state_dict(), tmp_path / "sd.pth")
    torch.save({"epoch": 3, "model_state_dict": model.state_dict(), "lr": 0.1}, tmp_path / "ck.pt")
    nets = [read_torch(tmp_path / "full.pt"), read_model(tmp_path / "sd.pth"),
            read_model(tmp_path / "ck.pt")]
    assert nets[0] == nets[1] == nets[2]
    _agrees(torch, model, nets[0], POINTS)

    torch.save(nn.Sequential(nn.MaxPool2d(2)), tmp_path / "pool.pt")
    with pytest.raises(UnsupportedModelError, match=r"pool\.pt: .*torch\.nn\.modules\.pooling\.MaxPool2d"):
        read_torch(tmp_path / "pool.pt")
    torch.save(nn.Sequential(nn.Conv2d(1, 1, 3)), tmp_path / "conv.pt")  # read with input_shape only
    with pytest.raises(UnsupportedModelError, match=r"conv\.pt: model\[0\]: Conv2d needs input_shape"):
        read_torch(tmp_path / "conv.pt")
    (tmp_path / "junk.pt").write_bytes(b"not a torch file")
    with pytest.raises(NetworkFormatError, match=r"junk\.pt: cannot load a PyTorch file"):
        read_torch(tmp_path / "junk.pt")
    with pytest.raises(NetworkFormatError, match=r"nothere\.pt"):
        read_torch(tmp_path / "nothere.pt")
    torch.save([1, 2, 3], tmp_path / "list.pt")
    with pytest.raises(NetworkFormatError, match=r"list\.pt: expected a saved nn\.Sequential"):
        read_torch(tmp_path / "list.pt")


def test_howto_page_examples_run(torch, tmp_path, monkeypatch):
    """The torch code blocks of docs/howto-import-pytorch.md (not doctests: torch is optional)."""
    text = (ROOT / "docs" / "howto-import-pytorch.md").read_text()
    blocks = [b for b in re.findall(r"```python\n(.*?)```", text, re.S) if ">>>" not in b]
    assert blocks, "the page has torch examples"
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    for block in blocks:
        exec(compile(block, "howto-import-pytorch.md", "exec"), namespace)
