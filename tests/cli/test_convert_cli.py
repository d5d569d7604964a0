"""The command line: ``exactpoly convert`` and the export options of ``exactpoly regions``.

Bad input gets one line on stderr and exit status 2, and no output file is left behind.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from fractions import Fraction as F
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from exactpoly.cli import main
from exactpoly.complex import region_complex
from exactpoly.io.export import complex_to_graphml, region_statistics_csv
from exactpoly.io.torch_import import network_from_npz
from exactpoly.network import network_from_layers, network_to_mapping, read_network, write_network

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def one_line_error(code, err):
    assert code == 2
    assert err.startswith("exactpoly") and err.count("\n") == 1, err


@pytest.fixture
def npz(tmp_path):
    path = tmp_path / "weights.npz"
    np.savez(path, **{"0.weight": np.array([[0.1, -2.0], [0.5, 0.5]], dtype=np.float32),
                      "0.bias": np.array([0.0, -0.25], dtype=np.float32),
                      "2.weight": np.array([[1.0, -1.0]], dtype=np.float32)})
    return path


# ----------------------------------------------------------------------------- convert


def test_convert_npz(tmp_path, npz, capsys):
    out_file = tmp_path / "net.json"
    code, out, err = run(capsys, "convert", npz, "-o", out_file)
    assert code == 0 and out == "" and err == f"exactpoly: wrote {out_file}: 2-2-1\n"   # stdout stays clean
    net = read_network(out_file)
    assert net == network_from_npz(npz)
    assert net.weights[0][0][0] == F(float(np.float32(0.1)))
    assert json.loads(out_file.read_text())["layers"][0]["weight"][0][0] == "13421773/134217728"


def test_convert_to_stdout(npz, capsys):
    code, out, _ = run(capsys, "convert", npz)
    assert code == 0
    assert json.loads(out) == network_to_mapping(network_from_npz(npz))


def test_convert_json_and_input_dim(tmp_path, capsys):
    net = network_from_layers(1, [([[1]], [0]), ([[1]], [0])])
    write_network(net, tmp_path / "a.json")
    code, out, _ = run(capsys, "convert", tmp_path / "a.json", "--input-dim", "1")
    assert code == 0 and json.loads(out) == network_to_mapping(net)
    code, _, err = run(capsys, "convert", tmp_path / "a.json", "--input-dim", "3", "-o", tmp_path / "b.json")
    one_line_error(code, err)
    assert "input_dim" in err and not (tmp_path / "b.json").exists()


@pytest.mark.parametrize("name, content, message", [
    ("model.onnx", b"x", "unknown model file type"),
    ("bad.npz", b"PK\x03\x04 garbage", "not a .npz archive"),
    ("missing.npz", None, "missing.npz"),
])
def test_convert_errors(tmp_path, capsys, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    code, out, err = run(capsys, "convert", path, "-o", tmp_path / "net.json")
    one_line_error(code, err)
    assert message in err and out == ""
    assert not (tmp_path / "net.json").exists()


def test_convert_unsupported_key(tmp_path, capsys):
    np.savez(tmp_path / "bn.npz", **{"0.weight": np.ones((2, 2)), "1.running_mean": np.zeros(2)})
    code, _, err = run(capsys, "convert", tmp_path / "bn.npz", "-o", tmp_path / "net.json")
    one_line_error(code, err)
    assert "'1.running_mean'" in err
    assert os.listdir(tmp_path) == ["bn.npz"]


def test_convert_without_torch(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)
    (tmp_path / "model.pt").write_bytes(b"whatever")
    code, _, err = run(capsys, "convert", tmp_path / "model.pt", "-o", tmp_path / "net.json")
    one_line_error(code, err)
    assert "pip install 'exactpoly[torch]'" in err
    assert not (tmp_path / "net.json").exists()


def test_convert_usage_errors(capsys):
    code, _, err = run(capsys, "convert")
    one_line_error(code, err)
    code, _, err = run(capsys, "convert", "a.npz", "--input-dim", "0")
    one_line_error(code, err)


def test_convert_torch_models(tmp_path, capsys):
    torch = pytest.importorskip("torch")
    nn = torch.nn
    torch.manual_seed(0)
    model = nn.Sequential(nn.Flatten(), nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 1))
    torch.save(model, tmp_path / "model.pt")
    torch.save(model.state_dict(), tmp_path / "weights.pth")
    code, _, err = run(capsys, "convert", tmp_path / "model.pt", "-o", tmp_path / "a.json")
    assert code == 0 and err == f"exactpoly: wrote {tmp_path / 'a.json'}: 2-4-1\n"
    code, _, _ = run(capsys, "convert", tmp_path / "weights.pth", "-o", tmp_path / "b.json")
    assert code == 0
    a, b = read_network(tmp_path / "a.json"), read_network(tmp_path / "b.json")
    assert a == b and a.architecture == "2-4-1"
    assert a.weights[0][2][1] == F(model[1].weight[2, 1].item())
    torch.save(nn.Sequential(nn.Linear(2, 2), nn.Tanh()), tmp_path / "tanh.pt")
    code, _, err = run(capsys, "convert", tmp_path / "tanh.pt", "-o", tmp_path / "c.json")
    one_line_error(code, err)
    assert "Tanh" in err and not (tmp_path / "c.json").exists()


# ----------------------------------------------------------------------------- regions exports


def test_regions_graphml_and_csv(tmp_path, capsys):
    net_file = EXAMPLES / "concurrent_and_duplicate_2d.json"
    g_file, c_file = tmp_path / "r.graphml", tmp_path / "r.csv"
    code, out, _ = run(capsys, "regions", net_file, "--box", "1", "--json", "--graphml", g_file,
                       "--csv", c_file)
    assert code == 0
    s = json.loads(out)
    cx = region_complex(read_network(net_file), box=1)
    assert g_file.read_text() == complex_to_graphml(cx)
    assert c_file.read_text() == region_statistics_csv(cx)
    g = nx.read_graphml(g_file, node_type=int)
    assert g.number_of_nodes() == s["regions"] and g.number_of_edges() == s["adjacency_edges"]
    rows = list(csv.DictReader(io.StringIO(c_file.read_text())))
    assert sum(F(r["volume"]) for r in rows) == 4
    assert sum(int(r["facets"]) for r in rows) == s["facets_total"]


def test_regions_exports_unbounded(tmp_path, capsys):
    code, _, _ = run(capsys, "regions", EXAMPLES / "square_cross_2d.json", "--unbounded",
                     "--csv", tmp_path / "r.csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO((tmp_path / "r.csv").read_text())))
    assert len(rows) == 4 and all(r["volume"] == "" for r in rows)


def test_regions_export_to_a_missing_directory(tmp_path, capsys):
    code, _, err = run(capsys, "regions", EXAMPLES / "square_cross_2d.json",
                       "--graphml", tmp_path / "no" / "r.graphml")
    one_line_error(code, err)
    assert os.listdir(tmp_path) == []
