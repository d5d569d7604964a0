"""``exactpoly fdim``: exact answers, and one line on stderr with exit 2 for bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from exactpoly.cli import main
from exactpoly.network import network_from_layers, random_network, write_network
from exactpoly.theory.fdim import fdim_summary, random_samples

ROOT = Path(__file__).resolve().parents[2]


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def files(tmp_path):
    net = network_from_layers(1, [([[1], [1]], [0, "-1/2"]), ([[1, 1]], [0])])
    write_network(net, tmp_path / "net.json")
    (tmp_path / "X.json").write_text(json.dumps([["1/4"], [0.75], ["7/8"], [-0.5], ["1/8"], ["-3/4"]]))
    return tmp_path


def test_samples_file_json(files, capsys):
    code, out, err = run(capsys, "fdim", files / "net.json", "--samples", files / "X.json", "--json")
    assert code == 0 and err == ""
    assert json.loads(out) == {"architecture": "1-2-1", "input_dim": 1, "samples": 6, "outputs": 1,
                               "parameters": 7, "hidden_neurons": 2, "activation_patterns": 3,
                               "functional_dimension": 5, "bound": 5}


def test_samples_file_table(files, capsys):
    code, out, err = run(capsys, "fdim", files / "net.json", "--samples", files / "X.json")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].split() == ["architecture", "1-2-1"]
    assert "functional dimension     5" in out and f"6 (file {files / 'X.json'})" in out
    assert sorted(os.listdir(files)) == ["X.json", "net.json"]  # nothing written


def test_random_samples_match_the_library(tmp_path, capsys):
    net = random_network("3-7-1", seed=0)
    write_network(net, tmp_path / "net.json")
    code, out, _ = run(capsys, "fdim", tmp_path / "net.json", "--random-samples", 40, "--json")
    assert code == 0
    assert json.loads(out) == fdim_summary(net, random_samples(3, 40, seed=0))
    assert json.loads(out)["functional_dimension"] == 29
    code, out, _ = run(capsys, "fdim", tmp_path / "net.json", "--random-samples", 12, "--seed", 5,
                       "--box", "1/2", "--json")
    assert code == 0
    s = json.loads(out)
    assert s == fdim_summary(net, random_samples(3, 12, seed=5, box="1/2"))
    assert s["functional_dimension"] == 12
    code, out, _ = run(capsys, "fdim", tmp_path / "net.json", "--random-samples", 3, "--seed", 2)
    assert code == 0 and "3 (random, seed 2, box [-1, 1]^3)" in out


@pytest.mark.parametrize("argv, message", [
    ([], "one of the arguments --samples --random-samples is required"),
    (["--samples", "X.json", "--random-samples", "3"], "not allowed with argument"),
    (["--samples", "X.json", "--seed", "1"], "--seed and --box apply only to --random-samples"),
    (["--random-samples", "0"], "expected a positive integer, got '0'"),
    (["--random-samples", "x"], "expected a positive integer"),
    (["--random-samples", "3", "--seed", "-1"], "seed must be an int >= 0, got -1"),
    (["--random-samples", "3", "--box", "0"], "box: the half-width B must be positive"),
    (["--random-samples", "3", "--box", "nan"], "box: 'nan' is not a finite number"),
    (["--samples", "bad.json"], "malformed JSON"),
    (["--samples", "wrong_dim.json"], r"samples[0]: expected 1 coordinates"),
    (["--samples", "nan.json"], "samples[0][0]"),
    (["--samples", "missing.json"], "cannot read samples file"),
    (["--samples", "boundary.json"], "X[1] = (1/2) lies on the zero set of hidden neuron(s) (0, 1)"),
])
def test_bad_input_one_line_exit_2(files, capsys, monkeypatch, argv, message):
    monkeypatch.chdir(files)
    (files / "bad.json").write_text("[[1]")
    (files / "wrong_dim.json").write_text("[[1, 2]]")
    (files / "nan.json").write_text('[["nan"]]')
    (files / "boundary.json").write_text('[["1/4"], ["1/2"]]')
    code, out, err = run(capsys, "fdim", "net.json", *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and message in err, err


def test_bad_network_file(tmp_path, capsys):
    (tmp_path / "net.json").write_text('{"format": "other"}')
    code, out, err = run(capsys, "fdim", tmp_path / "net.json", "--random-samples", 2)
    assert code == 2 and out == "" and err.count("\n") == 1 and "missing key 'input_dim'" in err


def test_process_exit_status(files):
    (files / "boundary.json").write_text('[[0]]')
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-m", "exactpoly", "fdim", str(files / "net.json"),
                           "--samples", str(files / "boundary.json")],
                          capture_output=True, text=True, env=env, check=False)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.startswith("exactpoly: error: X[0] = (0) lies on the zero set")
    assert proc.stderr.count("\n") == 1
