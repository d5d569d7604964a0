"""Tests of the CNN import (Conv2d, AvgPool2d, Flatten in nn.Sequential with input_shape).

The twin of each conversion is PyTorch's own float64 forward pass on float64 copies of the
model: with dyadic weights and inputs of few bits, every float64 operation is exact, so
the exact network must give exactly the same numbers (compared as Fractions with ==).
"""

from __future__ import annotations

import subprocess
import sys
from fractions import Fraction as F

import pytest

from exactpoly.errors import ShapeError
from exactpoly.io.torch_import import UnsupportedModelError, avgpool2d_affine, conv2d_affine

torch = pytest.importorskip("torch")
nn = torch.nn


def _dyadic_(model, seed: int) -> None:
    """Weights k/8 with small integers k: float64 arithmetic on them is exact."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randint(-8, 9, p.shape, generator=g, dtype=torch.float64) / 8)


def _inputs(shape, n: int, seed: int):
    g = torch.Generator().manual_seed(seed)
    return torch.randint(-16, 17, (n, *shape), generator=g, dtype=torch.float64) / 16


MODELS = [
    ((1, 4, 4), lambda: nn.Sequential(nn.Conv2d(1, 2, 2), nn.ReLU(), nn.AvgPool2d(2, stride=1), nn.Flatten(),
                                      nn.Linear(8, 3))),
    ((2, 5, 4), lambda: nn.Sequential(nn.Conv2d(2, 3, (3, 2), stride=(2, 1), padding=(1, 2)), nn.ReLU(),
                                      nn.AvgPool2d(2, stride=1, padding=1, count_include_pad=False),
                                      nn.Conv2d(3, 2, 2, bias=False), nn.ReLU(), nn.Flatten(),
                                      nn.Linear(42, 2))),
    ((1, 6, 6), lambda: nn.Sequential(nn.Conv2d(1, 2, 3, stride=2, padding=1), nn.AvgPool2d(2, stride=1),
                                      nn.ReLU(), nn.AvgPool2d(1, divisor_override=2), nn.Flatten(),
                                      nn.Linear(8, 1))),
]


@pytest.mark.parametrize("case", range(len(MODELS)))
def test_conv_import_matches_torch_float64_exactly(case):
    from exactpoly.io.torch_import import network_from_torch

    shape, make = MODELS[case]
    torch.manual_seed(case)
    model = make().double()
    _dyadic_(model, case)
    net = network_from_torch(model, input_shape=shape)
    assert net.input_dim == shape[0] * shape[1] * shape[2]
    X = _inputs(shape, 20, case)
    with torch.no_grad():
        Y = model(X).tolist()
    for x, y in zip(X, Y):
        assert list(net.evaluate([F(v) for v in x.flatten().tolist()])) == [F(v) for v in y]


def test_conv_matrix_against_a_rational_reimplementation():
    """conv2d_affine against a direct rational convolution at every output position."""
    g = torch.Generator().manual_seed(3)
    w = torch.randn(2, 2, 2, 3, generator=g, dtype=torch.float32)
    (W, b), (O, ho, wo) = conv2d_affine(w, None, (2, 3, 4), stride=(1, 2), padding=(1, 1))
    x = [F(k, 7) for k in range(24)]  # rational input, c-major
    K = [[[[F(v) for v in row] for row in ch] for ch in och] for och in w.tolist()]
    for o in range(O):
        for i in range(ho):
            for j in range(wo):
                want = sum((K[o][c][di][dj] * x[(c * 3 + i - 1 + di) * 4 + j * 2 - 1 + dj]
                            for c in range(2) for di in range(2) for dj in range(3)
                            if 0 <= i - 1 + di < 3 and 0 <= j * 2 - 1 + dj < 4), F(0))
                row = W[(o * ho + i) * wo + j]
                assert sum((a * v for a, v in zip(row, x)), F(0)) + b[(o * ho + i) * wo + j] == want


def test_avgpool_windows_are_exact_means():
    (W, _b), out = avgpool2d_affine((1, 3, 3), 2, stride=1, padding=1, count_include_pad=False)
    assert out == (1, 4, 4)
    assert [sum(r, F(0)) for r in W] == [F(1)] * 16  # every window is a mean of its real cells
    assert sorted({len([v for v in r if v]) for r in W}) == [1, 2, 4]


@pytest.mark.parametrize("layer, word", [
    (lambda: nn.MaxPool2d(2), "MaxPool2d"),
    (lambda: nn.Conv2d(1, 1, 2, dilation=2), "dilation"),
    (lambda: nn.Conv2d(2, 2, 1, groups=2), "groups"),
    (lambda: nn.Conv2d(1, 1, 3, padding="same"), "padding='same'"),
    (lambda: nn.Conv2d(1, 1, 2, padding=1, padding_mode="reflect"), "padding_mode"),
    (lambda: nn.AvgPool2d(2, ceil_mode=True), "ceil_mode"),
    (lambda: nn.BatchNorm2d(1), "BatchNorm2d"),
])
def test_unsupported_layers_are_refused_by_name(layer, word):
    from exactpoly.io.torch_import import network_from_torch

    with pytest.raises(UnsupportedModelError, match="model\\[0\\]") as e:
        network_from_torch(nn.Sequential(layer(), nn.Flatten(), nn.Linear(1, 1)), input_shape=(1, 4, 4))
    assert word in str(e.value)


def test_conv_needs_input_shape_and_linear_needs_flatten():
    from exactpoly.io.torch_import import network_from_torch

    with pytest.raises(UnsupportedModelError, match="input_shape"):
        network_from_torch(nn.Sequential(nn.Conv2d(1, 1, 2), nn.Flatten(), nn.Linear(9, 1)))
    with pytest.raises(UnsupportedModelError, match="Flatten"):
        network_from_torch(nn.Sequential(nn.Conv2d(1, 1, 2), nn.Linear(3, 1)), input_shape=(1, 4, 4))
    with pytest.raises(ShapeError, match="input_dim"):
        network_from_torch(nn.Sequential(nn.Flatten(), nn.Linear(16, 1)), input_shape=(1, 4, 4), input_dim=15)


def test_convert_cli_input_shape(tmp_path):
    from exactpoly.io.torch_import import network_from_torch
    from exactpoly.network import read_network

    shape, make = MODELS[0]
    torch.manual_seed(0)
    model = make()
    torch.save(model, tmp_path / "cnn.pt")
    out = tmp_path / "cnn.json"
    run = subprocess.run([sys.executable, "-m", "exactpoly", "convert", str(tmp_path / "cnn.pt"),
                          "--input-shape", "1,4,4", "-o", str(out)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert read_network(out) == network_from_torch(model, input_shape=shape)
    bad = subprocess.run([sys.executable, "-m", "exactpoly", "convert", str(tmp_path / "cnn.pt")],
                         capture_output=True, text=True)
    assert bad.returncode != 0 and "input_shape" in bad.stderr
