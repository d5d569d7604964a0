"""The command line for arrangements: ``exactpoly arrangement`` and ``regions --check``."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from exactpoly.cli import app as cli
from exactpoly.cli import main
from exactpoly.complex import region_complex

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
KEYS = ["characteristic_polynomial", "rank", "regions", "bounded_regions", "face_vector",
        "general_position", "zaslavsky_bound"]


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp_path, name, obj):
    path = tmp_path / name
    path.write_text(obj if isinstance(obj, str) else json.dumps(obj))
    return path


def test_arrangement_json_exact_keys(tmp_path, capsys):
    # x = 0, y = 0, x + y = 1 and x = -1 (given twice): 10 regions, 2 bounded
    path = write(tmp_path, "a.json", {"format": "exactpoly.arrangement/1", "dim": 2,
                                      "hyperplanes": [[0, 1, 0], ["0", "0", "1"], [-1, 1, 1], [1, 1, 0],
                                                      ["1/2", "0.5", 0]]})
    code, out, err = run(capsys, "arrangement", str(path), "--json")
    assert code == 0 and err == ""
    s = json.loads(out)
    assert list(s) == KEYS
    assert s == {"characteristic_polynomial": ["1", "-4", "5"], "rank": 2, "regions": 10,
                 "bounded_regions": 2, "face_vector": [5, 14, 10], "general_position": False,
                 "zaslavsky_bound": 11}


def test_arrangement_of_a_network_file(capsys):
    code, out, _ = run(capsys, "arrangement", str(EXAMPLES / "random_3-7-1_seed0.json"), "--json")
    assert code == 0
    s = json.loads(out)
    assert s["characteristic_polynomial"] == ["1", "-7", "21", "-35"]
    assert (s["regions"], s["bounded_regions"], s["face_vector"]) == (64, 20, [35, 126, 154, 64])
    assert s["general_position"] is True and s["zaslavsky_bound"] == 64 and s["rank"] == 3


def test_arrangement_table(tmp_path, capsys):
    path = write(tmp_path, "braid.json", {"format": "exactpoly.arrangement/1", "dim": 3,
                                          "hyperplanes": [[0, 1, -1, 0], [0, 1, 0, -1], [0, 0, 1, -1]]})
    code, out, err = run(capsys, "arrangement", str(path))
    assert code == 0 and err == ""
    lines = dict(line.split("  ", 1) for line in out.strip().splitlines())
    assert lines["characteristic polynomial"].strip() == "t^3 - 3t^2 + 2t"
    assert lines["regions"].strip() == "6" and lines["bounded regions"].strip() == "0"
    assert lines["face vector [f_0..f_d]"].strip() == "[0, 1, 6, 6]"
    assert lines["general position"].strip() == "no"


BAD = {
    "malformed.json": '{"format": "exactpoly.arrangement/1", ',
    "tag.json": '{"format": "nope/1", "dim": 1, "hyperplanes": []}',
    "length.json": '{"format": "exactpoly.arrangement/1", "dim": 2, "hyperplanes": [[1, 1]]}',
    "zero.json": '{"format": "exactpoly.arrangement/1", "dim": 1, "hyperplanes": [[1, 0]]}',
    "nan.json": '{"format": "exactpoly.arrangement/1", "dim": 1, "hyperplanes": [[NaN, 1]]}',
    "zero_den.json": '{"format": "exactpoly.arrangement/1", "dim": 1, "hyperplanes": [["1/0", 1]]}',
    "bad_net.json": '{"format": "exactpoly.relu-net/1", "input_dim": 2, "layers": [{"weight": [[1]], "bias": [0]}]}',
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_arrangement_input(tmp_path, capsys, name):
    path = write(tmp_path, name, BAD[name])
    code, out, err = run(capsys, "arrangement", str(path), "--json")
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("exactpoly: error:") and name in lines[0]


def test_arrangement_usage_errors(tmp_path, capsys):
    code, _, err = run(capsys, "arrangement", str(tmp_path / "missing.json"))
    assert code == 2 and "missing.json" in err and len(err.strip().splitlines()) == 1
    code, _, err = run(capsys, "arrangement")
    assert code == 2 and len(err.strip().splitlines()) == 1


def test_regions_check_passes(capsys):
    for extra in (["--box", "1"], ["--unbounded"], ["--box", "auto"]):
        code, out, err = run(capsys, "regions", str(EXAMPLES / "dead_neuron_deep_2d.json"), *extra,
                             "--json", "--check", "--no-progress")
        assert code == 0
        assert json.loads(out)["regions"] >= 1     # stdout stays pure JSON
        assert "all hold" in err and len(err.strip().splitlines()) == 1


def test_regions_check_fails_with_report(capsys, monkeypatch):
    real = region_complex

    def broken(net, box=1, **kwargs):
        cx = real(net, box=box, **kwargs)
        return dataclasses.replace(cx, regions=cx.regions[1:])

    monkeypatch.setattr(cli, "region_complex", broken)
    code, out, err = run(capsys, "regions", str(EXAMPLES / "square_cross_2d.json"), "--check", "--json")
    assert code == 1
    assert json.loads(out)["regions"] == 3
    assert "FAIL" in err and "hidden layer 0" in err and "parent = the domain" in err
    assert "complex 3" in err and "parent 4" in err


def test_regions_without_check_is_unchanged(capsys):
    code, out, err = run(capsys, "regions", str(EXAMPLES / "square_cross_2d.json"), "--json")
    assert code == 0 and err == "" and json.loads(out)["regions"] == 4


def test_console_script_arrangement(tmp_path):
    path = write(tmp_path, "a.json", {"format": "exactpoly.arrangement/1", "dim": 1,
                                      "hyperplanes": [[0, 1], [1, 1], ["-1", 1]]})
    env = dict(os.environ, PYTHONPATH=str(Path(cli.__file__).resolve().parents[2]))
    proc = subprocess.run([sys.executable, "-m", "exactpoly", "arrangement", str(path), "--json"],
                          capture_output=True, text=True, env=env, check=False)
    assert proc.returncode == 0 and proc.stderr == ""
    assert json.loads(proc.stdout)["face_vector"] == [3, 4]
