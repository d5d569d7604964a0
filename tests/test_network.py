"""Tests of exactpoly.network: the ReluNetwork value, file format, initialisers, symmetries."""

from __future__ import annotations

import json
import math
import os
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactpoly.errors import ExactpolyError, NetworkFormatError, NumberError, ShapeError
from exactpoly.network import (
    FORMAT_TAG,
    INITIALISERS,
    ReluNetwork,
    layer_affine,
    network_from_layers,
    network_from_mapping,
    network_from_numpy,
    network_to_mapping,
    parse_architecture,
    permute_neurons,
    random_network,
    read_network,
    rescale_neuron,
    write_network,
)

EXAMPLES = Path(__file__).parent.parent / "examples"
EXAMPLE_FILES = sorted(p for p in EXAMPLES.glob("*.json") if p.name != "expected_box1.json")

F = Fraction


# ---------------------------------------------------------------- helpers

def forward(net: ReluNetwork, x) -> tuple[Fraction, ...]:
    """Exact forward pass (the reference the symmetry tests compare against)."""
    h = tuple(Fraction(v) for v in x)
    last = net.n_hidden_layers
    for l, (w, b) in enumerate(zip(net.weights, net.biases)):
        z = tuple(bi + sum((wij * hj for wij, hj in zip(row, h)), Fraction(0))
                  for row, bi in zip(w, b))
        h = z if l == last else tuple(max(v, Fraction(0)) for v in z)
    return h


small_fractions = st.fractions(min_value=-5, max_value=5, max_denominator=12)


@st.composite
def networks(draw, max_layers=3, max_width=4, min_hidden=0):
    d = draw(st.integers(1, 3))
    widths = draw(st.lists(st.integers(1, max_width), min_size=min_hidden,
                           max_size=max_layers))
    out = draw(st.integers(1, 2))
    layers, prev = [], d
    for n in [*widths, out]:
        w = draw(st.lists(st.lists(small_fractions, min_size=prev, max_size=prev),
                          min_size=n, max_size=n))
        b = draw(st.lists(small_fractions, min_size=n, max_size=n))
        layers.append((w, b))
        prev = n
    return network_from_layers(d, layers)


def points(d):
    return st.lists(small_fractions, min_size=d, max_size=d)


def square_cross():
    return network_from_layers(2, [([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [0])])


def good_mapping():
    return {"format": FORMAT_TAG, "input_dim": 2,
            "layers": [{"weight": [["1", "-1/2"], [3, 0.25]], "bias": ["0", "1/3"]},
                       {"weight": [["1", "1"]], "bias": ["0"]}]}


# ---------------------------------------------------------------- the value type

def test_design_example_mapping():
    net = network_from_mapping(good_mapping())
    assert net.weights == (((F(1), F(-1, 2)), (F(3), F(1, 4))), ((F(1), F(1)),))
    assert net.biases == ((F(0), F(1, 3)), (F(0),))
    assert all(type(x) is Fraction for row in net.weights[0] for x in row)


def test_properties():
    net = network_from_layers(3, [([[1, 2, 3]] * 4, [0] * 4), ([[1] * 4] * 2, [0, 0]),
                                  ([[1, 1]], [5])])
    assert net.input_dim == 3
    assert net.n_hidden_layers == 2
    assert net.hidden_widths == (4, 2)
    assert net.output_dim == 1
    assert net.n_hidden_neurons == 6
    assert net.architecture == "3-4-2-1"
    assert net.neuron_offsets == (0, 4)
    assert repr(net) == "<ReluNetwork 3-4-2-1>"


def test_zero_hidden_layers_is_allowed():
    net = network_from_layers(2, [([[1, 2]], [3])])
    assert net.n_hidden_layers == 0
    assert net.hidden_widths == ()
    assert net.n_hidden_neurons == 0
    assert net.neuron_offsets == ()
    assert net.architecture == "2-1"
    assert forward(net, [1, 1]) == (F(6),)


def test_hashable_comparable_immutable():
    a, b = square_cross(), square_cross()
    assert a == b and hash(a) == hash(b) and len({a, b}) == 1
    assert a != rescale_neuron(a, 0, 0, 2)
    with pytest.raises(AttributeError):
        a.input_dim = 3  # type: ignore[misc]


def test_direct_construction_is_validated():
    one = ((F(1),),)
    assert ReluNetwork(1, (one,), ((F(0),),)).architecture == "1-1"
    with pytest.raises(NetworkFormatError, match="weight\\[0\\]\\[0\\]"):
        ReluNetwork(1, (((1,),),), ((F(0),),))
    with pytest.raises(NetworkFormatError, match="bias\\[0\\]"):
        ReluNetwork(1, (one,), ((0.0,),))
    with pytest.raises(NetworkFormatError, match="weights must be a tuple"):
        ReluNetwork(1, [one], ((F(0),),))  # type: ignore[arg-type]
    with pytest.raises(NetworkFormatError, match="row 0"):
        ReluNetwork(1, (([F(1)],),), ((F(0),),))  # type: ignore[arg-type]
    with pytest.raises(ShapeError, match="at least one layer"):
        ReluNetwork(1, (), ())
    with pytest.raises(ShapeError, match="2 weight matrices but 1 bias"):
        ReluNetwork(1, (one, one), ((F(0),),))
    for bad in (0, -1, True, 1.0, "1"):
        with pytest.raises(NetworkFormatError, match="input_dim"):
            ReluNetwork(bad, (one,), ((F(0),),))  # type: ignore[arg-type]


def test_layer_affine():
    net = network_from_layers(1, [([[2], [3]], [1, 0]), ([[1, -1]], ["1/2"])])
    assert layer_affine(net, 0) == (((F(2),), (F(3),)), (F(1), F(0)))
    assert layer_affine(net, 1) == (((F(1), F(-1)),), (F(1, 2),))
    for bad in (2, -1, True, "0"):
        with pytest.raises(NetworkFormatError, match="layer"):
            layer_affine(net, bad)


# ---------------------------------------------------------------- construction errors

def test_row_length_error_names_layer_and_row():
    layers = [([[1, 0]] * 7, [0] * 7), ([[1] * 7, [1] * 7, [1] * 7, [1] * 6], [0] * 4),
              ([[1] * 4], [0])]
    with pytest.raises(ShapeError, match="layer 1, row 3: expected 7 weights, got 6"):
        network_from_layers(2, layers)


def test_empty_layer_error():
    with pytest.raises(ShapeError, match="layer 1 is empty"):
        network_from_layers(2, [([[1, 0]], [0]), ([], []), ([[1]], [0])])


def test_bias_length_error():
    with pytest.raises(ShapeError, match="layer 0: expected 2 biases"):
        network_from_layers(1, [([[1], [2]], [0]), ([[1, 1]], [0])])


def test_number_error_names_entry():
    with pytest.raises(NumberError, match=r"layer 1 weight\[0\]\[1\]"):
        network_from_layers(1, [([[1], [2]], [0, 0]), ([[1, float("nan")]], [0])])
    with pytest.raises(NumberError, match=r"layer 0 bias\[0\]"):
        network_from_layers(1, [([[1]], [True]), ([[1]], [0])])


@pytest.mark.parametrize("layers", [
    "abc", [([[1]],)], [([[1]], [0], [0])], [("11", [0])], [([1], [0])], [([[1]], 0)],
    5,
])
def test_malformed_layers(layers):
    with pytest.raises(NetworkFormatError):
        network_from_layers(1, layers)


def test_network_from_layers_with_numpy():
    w = np.array([[0.1, -2.0]], dtype=np.float32)
    net = network_from_layers(2, [(w, np.array([0.5])), (np.array([[3]]), [0])])
    assert net.weights[0][0] == (F(float(np.float32(0.1))), F(-2))
    with pytest.raises(ShapeError, match="2-D"):
        network_from_layers(2, [(np.zeros(2), [0]), ([[1]], [0])])
    with pytest.raises(ShapeError, match="1-D"):
        network_from_layers(2, [(np.zeros((1, 2)), np.zeros((1, 1))), ([[1]], [0])])


def test_network_from_numpy():
    ws = [np.array([[0.1, 0.2], [1, 2]], dtype=np.float32), np.array([[1, -1]], dtype=np.int64)]
    bs = [np.array([0.01, 0.0]), np.zeros(1, dtype=np.float32)]
    net = network_from_numpy(ws, bs)
    assert net.architecture == "2-2-1"
    assert net.weights[0][0][0] == F(13421773, 134217728)
    assert net.biases[0][0] == F(0.01)
    assert net.weights[1] == ((F(1), F(-1)),)
    assert network_from_numpy(ws, bs, input_dim=2) == net
    with pytest.raises(ShapeError, match="layer 0, row 0: expected 3"):
        network_from_numpy(ws, bs, input_dim=3)
    with pytest.raises(ShapeError, match="2 weight arrays but 1 bias"):
        network_from_numpy(ws, bs[:1])
    with pytest.raises(NumberError):
        network_from_numpy([np.ones((1, 1), dtype=bool)], [np.zeros(1)])


# ---------------------------------------------------------------- mapping and files

@settings(max_examples=60, deadline=None)
@given(networks())
def test_mapping_round_trip(net):
    mapping = network_to_mapping(net)
    assert json.loads(json.dumps(mapping)) == mapping
    for layer in mapping["layers"]:
        assert all(isinstance(x, str) for row in layer["weight"] for x in row)
        assert all(isinstance(x, str) for x in layer["bias"])
    back = network_from_mapping(json.loads(json.dumps(mapping)))
    assert back == net and hash(back) == hash(net)


@settings(max_examples=25, deadline=None)
@given(networks())
def test_file_round_trip(net):
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "net.json"
        write_network(net, path)
        assert read_network(path) == net
        assert read_network(str(path)) == net
        assert os.listdir(tmp) == ["net.json"]


def test_written_file_layout(tmp_path):
    path = tmp_path / "n.json"
    write_network(network_from_layers(1, [([["1/3"]], [0.5]), ([[2]], [0])]), path)
    text = path.read_text()
    assert text.endswith("}\n")
    assert text.startswith('{\n "format": "exactpoly.relu-net/1",\n "input_dim": 1,')
    assert '"1/3"' in text and '"1/2"' in text


def test_write_overwrites(tmp_path):
    path = tmp_path / "n.json"
    path.write_text("old")
    write_network(square_cross(), path)
    assert read_network(path) == square_cross()
    assert os.listdir(tmp_path) == ["n.json"]


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_read_examples(path, tmp_path):
    net = read_network(path)
    assert net.input_dim >= 1 and net.output_dim >= 1
    assert network_to_mapping(net) == json.loads(path.read_text())
    write_network(net, tmp_path / path.name)
    assert read_network(tmp_path / path.name) == net


def test_examples_found():
    names = {p.name for p in EXAMPLE_FILES}
    assert {"square_cross_2d.json", "random_3-7-1_seed0.json"} <= names
    assert read_network(EXAMPLES / "random_3-7-1_seed0.json").architecture == "3-7-1"
    assert read_network(EXAMPLES / "square_cross_2d.json") == square_cross()


def test_mapping_number_forms():
    m = good_mapping()
    m["layers"][0]["bias"] = ["1e-3", -7, 0.1]
    m["layers"][0]["weight"].append([" 2/4 ", "0.125"])
    m["layers"][1]["weight"][0].append(0)
    net = network_from_mapping(m)
    assert net.biases[0] == (F(1, 1000), F(-7), F(0.1))
    assert net.weights[0][2] == (F(1, 2), F(1, 8))


def test_mapping_extra_keys_ignored():
    m = good_mapping()
    m["comment"] = "hello"
    m["layers"][0]["name"] = "first"
    assert network_from_mapping(m) == network_from_mapping(good_mapping())


def _without(mapping, *path):
    *head, last = path
    target = mapping
    for k in head:
        target = target[k]
    del target[last]
    return mapping


@pytest.mark.parametrize("path, key", [
    (("format",), "format"), (("input_dim",), "input_dim"), (("layers",), "layers"),
    (("layers", 0, "weight"), "weight"), (("layers", 1, "bias"), "bias"),
])
def test_missing_key(path, key):
    with pytest.raises(NetworkFormatError, match=f"missing key '{key}'"):
        network_from_mapping(_without(good_mapping(), *path))


@pytest.mark.parametrize("tag", ["exactpoly.relu-net/2", "", None, 1])
def test_wrong_format_tag(tag):
    m = good_mapping()
    m["format"] = tag
    with pytest.raises(NetworkFormatError, match="format tag"):
        network_from_mapping(m)


@pytest.mark.parametrize("mutate, exc, pattern", [
    (lambda m: m.__setitem__("input_dim", True), NetworkFormatError, "input_dim"),
    (lambda m: m.__setitem__("input_dim", "2"), NetworkFormatError, "input_dim"),
    (lambda m: m.__setitem__("input_dim", 2.0), NetworkFormatError, "input_dim"),
    (lambda m: m.__setitem__("input_dim", 0), NetworkFormatError, "input_dim"),
    (lambda m: m.__setitem__("input_dim", 3), ShapeError,
     "layer 0, row 0: expected 3 weights, got 2"),
    (lambda m: m.__setitem__("layers", {}), NetworkFormatError, "'layers' must be a list"),
    (lambda m: m.__setitem__("layers", []), ShapeError, "at least one layer"),
    (lambda m: m["layers"].__setitem__(0, [1]), NetworkFormatError, r"layers\[0\]"),
    (lambda m: m["layers"][1]["weight"][0].append("1"), ShapeError,
     "layer 1, row 0: expected 2 weights, got 3"),
    (lambda m: m["layers"][0]["bias"].pop(), ShapeError, "layer 0: expected 2 biases"),
    (lambda m: m["layers"][0].__setitem__("weight", []), ShapeError, "layer 0 is empty"),
    (lambda m: m["layers"][0].__setitem__("weight", "1"), NetworkFormatError, "layer 0 weight"),
    (lambda m: m["layers"][0]["weight"].__setitem__(1, 3), NetworkFormatError,
     r"layer 0 weight\[1\]"),
    (lambda m: m["layers"][0]["weight"][1].__setitem__(0, "1/0"), NetworkFormatError,
     r"layer 0 weight\[1\]\[0\].*zero denominator"),
    (lambda m: m["layers"][0]["weight"][1].__setitem__(1, True), NetworkFormatError,
     r"layer 0 weight\[1\]\[1\].*boolean"),
    (lambda m: m["layers"][1]["bias"].__setitem__(0, None), NetworkFormatError,
     r"layer 1 bias\[0\]"),
    (lambda m: m["layers"][1]["bias"].__setitem__(0, "abc"), NetworkFormatError,
     r"layer 1 bias\[0\]"),
    (lambda m: m["layers"][1]["bias"].__setitem__(0, float("inf")), NetworkFormatError,
     r"layer 1 bias\[0\].*finite"),
])
def test_mapping_errors(mutate, exc, pattern):
    m = good_mapping()
    mutate(m)
    with pytest.raises(exc, match=pattern):
        network_from_mapping(m)


def test_mapping_not_an_object():
    with pytest.raises(NetworkFormatError, match="JSON object"):
        network_from_mapping([1, 2])


def _write(tmp_path, text, name="bad.json"):
    path = tmp_path / name
    path.write_text(text)
    return path


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_inf_json_literals_rejected(tmp_path, literal):
    text = json.dumps(good_mapping()).replace('"1/3"', literal)
    path = _write(tmp_path, text)
    with pytest.raises(NetworkFormatError, match=r"bad\.json.*layer 0 bias\[1\].*finite") as info:
        read_network(path)
    assert isinstance(info.value.__cause__.__cause__, NumberError)


def test_malformed_json(tmp_path):
    path = _write(tmp_path, '{"format": "exactpoly.relu-net/1", "input_dim": 2,')
    with pytest.raises(NetworkFormatError, match=r"bad\.json.*malformed JSON at line 1") as info:
        read_network(path)
    assert not isinstance(info.value, json.JSONDecodeError)
    assert isinstance(info.value.__cause__, json.JSONDecodeError)


def test_unreadable_files(tmp_path):
    missing = tmp_path / "missing.json"
    with pytest.raises(NetworkFormatError, match="missing.json") as info:
        read_network(missing)
    assert not isinstance(info.value, OSError)
    assert isinstance(info.value.__cause__, OSError)
    with pytest.raises(NetworkFormatError, match="cannot read"):
        read_network(tmp_path)  # a directory
    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(NetworkFormatError, match="binary.json"):
        read_network(binary)


def test_read_errors_name_the_path(tmp_path):
    m = good_mapping()
    m["layers"][1]["weight"][0].append("1")
    path = _write(tmp_path, json.dumps(m), "shape.json")
    with pytest.raises(ShapeError, match="shape.json: layer 1, row 0: expected 2"):
        read_network(path)
    m = good_mapping()
    m["format"] = "other"
    path = _write(tmp_path, json.dumps(m), "tag.json")
    with pytest.raises(NetworkFormatError, match="tag.json: unsupported format tag"):
        read_network(path)


@pytest.mark.parametrize("failing", ["replace", "fsync"])
def test_atomic_write_cleans_up(tmp_path, monkeypatch, failing):
    path = tmp_path / "n.json"
    path.write_text("original")

    def boom(*args, **kwargs):
        raise OSError("simulated failure")

    monkeypatch.setattr(os, failing, boom)
    with pytest.raises(OSError, match="simulated failure"):
        write_network(square_cross(), path)
    monkeypatch.undo()
    assert os.listdir(tmp_path) == ["n.json"]
    assert path.read_text() == "original"


def test_write_rejects_non_network(tmp_path):
    with pytest.raises(NetworkFormatError, match="ReluNetwork"):
        write_network({"format": FORMAT_TAG}, tmp_path / "x.json")  # type: ignore[arg-type]
    assert os.listdir(tmp_path) == []


def test_write_into_missing_directory(tmp_path):
    with pytest.raises(FileNotFoundError):
        write_network(square_cross(), tmp_path / "nope" / "n.json")
    assert os.listdir(tmp_path) == []


# ---------------------------------------------------------------- architecture strings

@pytest.mark.parametrize("text, dims", [
    ("3-7-1", (3, 7, 1)), ("2-1", (2, 1)), ("3-7-7-7-1", (3, 7, 7, 7, 1)),
    (" 2 - 5 - 1 ", (2, 5, 1)), ("10-20-1", (10, 20, 1)),
])
def test_parse_architecture(text, dims):
    assert parse_architecture(text) == dims


@pytest.mark.parametrize("text", ["3", "", "3-", "-3-1", "3-0-1", "3--1", "a-b", "3-7.5-1",
                                  "3-+7-1", "3-٣-1", "3,7,1"])
def test_parse_architecture_rejects(text):
    with pytest.raises(NetworkFormatError, match="architecture") as info:
        parse_architecture(text)
    assert repr(text) in str(info.value)


def test_parse_architecture_rejects_non_string():
    with pytest.raises(NetworkFormatError, match="architecture"):
        parse_architecture((3, 7, 1))  # type: ignore[arg-type]


@given(st.lists(st.integers(1, 50), min_size=2, max_size=6))
def test_architecture_round_trip(dims):
    text = "-".join(map(str, dims))
    assert parse_architecture(text) == tuple(dims)
    if sum(dims) <= 40:
        assert random_network(text, seed=1).architecture == text


# ---------------------------------------------------------------- random networks

def _all_entries(net):
    for w, b in zip(net.weights, net.biases):
        yield from (x for row in w for x in row)
        yield from b


def _is_power_of_two(n: int) -> bool:
    return n > 0 and n & (n - 1) == 0


@pytest.mark.parametrize("init", [*INITIALISERS, "kaiming"])
def test_random_network_deterministic_and_float32(init):
    a = random_network("3-7-5-2", init, seed=3)
    assert a == random_network("3-7-5-2", init, seed=3)
    assert a == random_network((3, 7, 5, 2), init, seed=3)
    assert a != random_network("3-7-5-2", init, seed=4)
    assert a.architecture == "3-7-5-2"
    for x in _all_entries(a):
        assert type(x) is Fraction
        assert _is_power_of_two(x.denominator)
        assert x == Fraction(float(np.float32(float(x))))
    assert all(b == F(float(np.float32(0.01))) for bs in a.biases for b in bs)


def test_kaiming_alias():
    assert random_network("2-4-1", "kaiming", seed=5) == random_network("2-4-1", "kaiming_normal",
                                                                       seed=5)


def test_inits_differ():
    nets = {random_network("3-4-2", init, seed=0) for init in INITIALISERS}
    assert len(nets) == len(INITIALISERS)


def test_golden_values():
    """Pin the streams: a change here means random_network's output changed."""
    net = random_network("2-3-1", "xavier_uniform", seed=0)
    assert net.weights[0][0] == (F(2517153, 8388608), F(-8461959, 16777216))
    assert net.weights[1][0][2] == F(448199, 4194304)
    net = random_network("2-3-1", "orthogonal", seed=0)
    assert net.weights[0][0] == (F(9993279, 67108864), F(-9926959, 33554432))
    assert net.biases[0] == (F(5368709, 536870912),) * 3


def test_generation_order_xavier_uniform():
    """Layer by layer, each matrix drawn row-major in one call of the documented sampler."""
    dims = (3, 6, 4, 2)
    net = random_network(dims, "xavier_uniform", seed=11)
    rng = np.random.default_rng(11)
    for l, (fan_in, fan_out) in enumerate(zip(dims[:-1], dims[1:])):
        a = math.sqrt(6.0 / (fan_in + fan_out))
        w = rng.uniform(-a, a, size=(fan_out, fan_in)).astype(np.float32)
        assert net.weights[l] == tuple(tuple(F(float(x)) for x in row) for row in w)
        # |w| <= a, up to the float32 rounding of the bound itself
        bound = F(float(np.float32(a)))
        assert all(abs(x) <= bound for row in net.weights[l] for x in row)


def test_generation_order_kaiming():
    dims = (4, 5, 1)
    net = random_network(dims, "kaiming_normal", seed=2)
    rng = np.random.default_rng(2)
    for l, (fan_in, fan_out) in enumerate(zip(dims[:-1], dims[1:])):
        w = rng.normal(0.0, math.sqrt(2.0) / math.sqrt(fan_in), size=(fan_out, fan_in))
        assert net.weights[l] == tuple(tuple(F(float(x)) for x in row)
                                       for row in w.astype(np.float32))


@settings(max_examples=20, deadline=None)
@given(st.lists(st.integers(1, 6), min_size=2, max_size=4), st.integers(0, 2 ** 32))
def test_xavier_uniform_bounds(dims, seed):
    net = random_network(dims, "xavier_uniform", seed=seed, bias=0)
    for l, (fan_in, fan_out) in enumerate(zip(dims[:-1], dims[1:])):
        bound = F(float(np.float32(math.sqrt(6.0 / (fan_in + fan_out)))))
        assert all(abs(x) <= bound for row in net.weights[l] for x in row)
    assert all(b == 0 for bs in net.biases for b in bs)


def _layer_array(net, l):
    return np.array([[float(x) for x in row] for row in net.weights[l]])


@pytest.mark.parametrize("init, expected_std", [
    ("kaiming_normal", math.sqrt(2 / 200)),
    ("xavier_normal", math.sqrt(2 / 400)),
    ("xavier_uniform", math.sqrt(6 / 400) / math.sqrt(3)),
])
def test_sampler_std_sanity(init, expected_std):
    # statistical sanity check of the sampler only (40000 draws): a loose bound is fine here
    w = _layer_array(random_network("200-200-1", init, seed=7), 0)
    assert abs(w.mean()) < 0.05 * expected_std
    assert abs(w.std() / expected_std - 1) < 0.05


@pytest.mark.parametrize("rows, cols", [(5, 5), (7, 3), (3, 7), (1, 4), (4, 1), (1, 1)])
def test_orthogonal(rows, cols):
    net = random_network((cols, rows, 1), "orthogonal", seed=13)
    w = _layer_array(net, 0)  # the float32 matrix, in float64
    gram = w @ w.T if rows <= cols else w.T @ w
    assert np.allclose(gram, np.eye(min(rows, cols)), atol=1e-6)  # sampler sanity check
    # the same Q as PyTorch's recipe with LAPACK QR and its sign correction
    g = np.random.default_rng(13).standard_normal((rows, cols))
    if rows < cols:
        g = g.T
    q, r = np.linalg.qr(g)
    q = q * np.sign(np.diag(r))
    if rows < cols:
        q = q.T
    assert np.allclose(w, q, atol=1e-6)


@pytest.mark.parametrize("bias, expected", [
    (0, F(0)), (0.0, F(0)), ("0", F(0)), (0.01, F(float(np.float32(0.01)))),
    ("0.01", F(float(np.float32(0.01)))), (F(1, 3), F(float(np.float32(1 / 3)))),
    (-2, F(-2)), ("0.5", F(1, 2)), (np.float32(0.25), F(1, 4)), ("1/4", None),
])
def test_random_network_bias(bias, expected):
    if expected is None:  # float("1/4") is not a float literal
        with pytest.raises(NumberError, match="bias"):
            random_network("2-2-1", bias=bias)
        return
    net = random_network("2-2-1", bias=bias)
    assert all(b == expected for bs in net.biases for b in bs)


@pytest.mark.parametrize("bias", [True, float("nan"), "nan", "inf", float("-inf"), 1e40, "abc",
                                  None, F(10 ** 400)])
def test_random_network_bad_bias(bias):
    with pytest.raises(NumberError, match="bias"):
        random_network("2-2-1", bias=bias)


def test_random_network_bad_arguments():
    with pytest.raises(NetworkFormatError, match="init.*xavier_uniform.*orthogonal.*'he'"):
        random_network("2-2-1", "he")
    with pytest.raises(NetworkFormatError, match="init"):
        random_network("2-2-1", None)  # type: ignore[arg-type]
    for seed in (-1, True, 1.5, None):
        with pytest.raises(NetworkFormatError, match="seed"):
            random_network("2-2-1", seed=seed)  # type: ignore[arg-type]
    for arch in ("2", "2-0-1", (2,), (2, 0, 1), 5, (2, True)):
        with pytest.raises(NetworkFormatError, match="architecture"):
            random_network(arch)  # type: ignore[arg-type]
    assert issubclass(NetworkFormatError, ValueError) and issubclass(NetworkFormatError,
                                                                     ExactpolyError)


# ---------------------------------------------------------------- symmetries

@st.composite
def net_with_permutation(draw):
    net = draw(networks(min_hidden=1))
    layer = draw(st.integers(0, net.n_hidden_layers - 1))
    perm = draw(st.permutations(range(net.hidden_widths[layer])))
    return net, layer, perm


@settings(max_examples=60, deadline=None)
@given(net_with_permutation(), st.data())
def test_permute_neurons_preserves_function(args, data):
    net, layer, perm = args
    permuted = permute_neurons(net, layer, perm)
    assert permuted.architecture == net.architecture
    for _ in range(3):
        x = data.draw(points(net.input_dim))
        assert forward(permuted, x) == forward(net, x)
    inverse = [perm.index(i) for i in range(len(perm))]
    assert permute_neurons(permuted, layer, inverse) == net


@settings(max_examples=60, deadline=None)
@given(networks(min_hidden=1), st.data())
def test_rescale_neuron_preserves_function(net, data):
    layer = data.draw(st.integers(0, net.n_hidden_layers - 1))
    neuron = data.draw(st.integers(0, net.hidden_widths[layer] - 1))
    c = data.draw(st.fractions(min_value=F(1, 20), max_value=20))
    scaled = rescale_neuron(net, layer, neuron, c)
    for _ in range(3):
        x = data.draw(points(net.input_dim))
        assert forward(scaled, x) == forward(net, x)
    assert rescale_neuron(scaled, layer, neuron, 1 / c) == net


def test_symmetry_examples():
    net = network_from_layers(2, [([[1, -1], [2, 1]], [0, "1/2"]), ([[3, 4]], [1])])
    p = permute_neurons(net, 0, (1, 0))
    assert p.weights[0] == ((F(2), F(1)), (F(1), F(-1)))
    assert p.biases[0] == (F(1, 2), F(0))
    assert p.weights[1] == ((F(4), F(3)),)
    r = rescale_neuron(net, 0, 1, "3/2")
    assert r.weights[0][1] == (F(3), F(3, 2)) and r.biases[0][1] == F(3, 4)
    assert r.weights[1] == ((F(3), F(8, 3)),)
    for x in ([0, 0], [1, 2], ["-1/3", "5/7"]):
        assert forward(p, x) == forward(r, x) == forward(net, x)


def test_symmetry_errors():
    net = network_from_layers(2, [([[1, -1], [2, 1]], [0, 0]), ([[3, 4]], [1])])
    for layer in (1, -1, 2, True):  # 1 is the output layer: not a hidden layer
        with pytest.raises(NetworkFormatError, match="hidden layer"):
            permute_neurons(net, layer, [0, 1])
        with pytest.raises(NetworkFormatError, match="hidden layer"):
            rescale_neuron(net, layer, 0, 2)
    for perm in ([0], [0, 0], [1, 2], [0, 1, 2], "01", [0.0, 1.0], None):
        with pytest.raises(NetworkFormatError, match="permutation"):
            permute_neurons(net, 0, perm)  # type: ignore[arg-type]
    for neuron in (2, -1, True, 0.0):
        with pytest.raises(NetworkFormatError, match="neuron"):
            rescale_neuron(net, 0, neuron, 2)  # type: ignore[arg-type]
    for c in (0, -1, "-1/2"):
        with pytest.raises(NetworkFormatError, match="c must be > 0"):
            rescale_neuron(net, 0, 0, c)
    for c in ("abc", float("nan"), True):
        with pytest.raises(NumberError, match="c"):
            rescale_neuron(net, 0, 0, c)
    with pytest.raises(NetworkFormatError, match="ReluNetwork"):
        permute_neurons("net", 0, [0, 1])  # type: ignore[arg-type]
