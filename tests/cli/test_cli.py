"""The command line: summaries, outputs, and what bad input gets (one line, exit 2)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from exactpoly.cli import main

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_regions_json_summary(capsys):
    code, out, err = run(capsys, "regions", str(EXAMPLES / "concurrent_and_duplicate_2d.json"),
                         "--box", "1", "--json")
    assert code == 0 and err == ""
    s = json.loads(out)
    assert s["regions"] == 10 and s["average_facets"] == "18/5" and s["domain"] == {"box": "1"}
    assert list(s["facet_histogram"]) == ["3", "4", "5"]


def test_regions_table_and_defaults(capsys):
    code, out, _ = run(capsys, "regions", str(EXAMPLES / "square_cross_2d.json"))
    assert code == 0
    assert "regions" in out and "box [-1, 1]^2" in out


def test_regions_unbounded_and_auto(capsys):
    code, out, _ = run(capsys, "regions", str(EXAMPLES / "square_cross_2d.json"), "--unbounded", "--json")
    s = json.loads(out)
    assert code == 0 and s["domain"] == {"unbounded": True} and s["simplices_total"] is None
    code, out, _ = run(capsys, "regions", str(EXAMPLES / "square_cross_2d.json"), "--box", "auto", "--json")
    assert code == 0 and json.loads(out)["regions"] == 4


def test_regions_out_file(tmp_path, capsys):
    out_file = tmp_path / "cx.json"
    code, _, _ = run(capsys, "regions", str(EXAMPLES / "square_cross_2d.json"), "--out", str(out_file))
    assert code == 0
    data = json.loads(out_file.read_text())
    assert data["format"] == "exactpoly.region-complex/1"
    r = data["regions"][0]
    assert r["pattern"] == "00"
    assert r["vertices"] == [["-1", "-1"], ["-1", "0"], ["0", "-1"], ["0", "0"]]
    assert r["volume"] == "1" and len(r["simplices"]) == 2
    assert {tuple(e["regions"]) for e in data["edges"]} == {(0, 1), (0, 2), (1, 3), (2, 3)}
    assert os.listdir(tmp_path) == ["cx.json"]


BAD_NETS = {
    "malformed.json": '{"format": "exactpoly.relu-net/1", "input_dim": 2, ',
    "missing_key.json": '{"format": "exactpoly.relu-net/1", "layers": []}',
    "row_length.json": json.dumps({"format": "exactpoly.relu-net/1", "input_dim": 2, "layers": [
        {"weight": [[1, 0], [1]], "bias": [0, 0]}, {"weight": [[1, 1]], "bias": [0]}]}),
    "nan.json": '{"format": "exactpoly.relu-net/1", "input_dim": 1, "layers": '
                '[{"weight": [[NaN]], "bias": [0]}, {"weight": [[1]], "bias": [0]}]}',
    "inf.json": '{"format": "exactpoly.relu-net/1", "input_dim": 1, "layers": '
                '[{"weight": [[Infinity]], "bias": [0]}, {"weight": [[1]], "bias": [0]}]}',
    "zero_den.json": '{"format": "exactpoly.relu-net/1", "input_dim": 1, "layers": '
                     '[{"weight": [["1/0"]], "bias": [0]}, {"weight": [[1]], "bias": [0]}]}',
    "bool.json": '{"format": "exactpoly.relu-net/1", "input_dim": 1, "layers": '
                 '[{"weight": [[true]], "bias": [0]}, {"weight": [[1]], "bias": [0]}]}',
    "empty_layer.json": '{"format": "exactpoly.relu-net/1", "input_dim": 1, "layers": '
                        '[{"weight": [], "bias": []}, {"weight": [[1]], "bias": [0]}]}',
}


@pytest.mark.parametrize("name", sorted(BAD_NETS))
def test_bad_network_files(tmp_path, capsys, name):
    path = tmp_path / name
    path.write_text(BAD_NETS[name])
    out_file = tmp_path / "out.json"
    code, out, err = run(capsys, "regions", str(path), "--out", str(out_file))
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("exactpoly: error:") and "Traceback" not in err
    assert not out_file.exists() and sorted(os.listdir(tmp_path)) == [name]


def test_row_length_message_names_layer_and_row(tmp_path, capsys):
    path = tmp_path / "n.json"
    path.write_text(BAD_NETS["row_length.json"])
    _, _, err = run(capsys, "regions", str(path))
    assert "layer 0" in err and "row 1" in err and "expected 2" in err


@pytest.mark.parametrize("box", ["0", "-1", "x", "1/0", "nan", "inf", ""])
def test_bad_box(capsys, box):
    code, out, err = run(capsys, "regions", str(EXAMPLES / "square_cross_2d.json"), f"--box={box}")
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1 and "box" in err


def test_unreadable_and_usage(tmp_path, capsys):
    code, _, err = run(capsys, "regions", str(tmp_path / "nope.json"))
    assert code == 2 and "nope.json" in err
    code, _, err = run(capsys, "regions", str(EXAMPLES / "square_cross_2d.json"), "--box", "1", "--unbounded")
    assert code == 2 and len(err.strip().splitlines()) == 1
    code, _, err = run(capsys, "frobnicate")
    assert code == 2


def test_random_command(tmp_path, capsys):
    path = tmp_path / "net.json"
    code, _, _ = run(capsys, "random", "--arch", "3-7-1", "--init", "xavier_uniform", "--bias", "0.01",
                     "--seed", "0", "-o", str(path))
    assert code == 0
    data = json.loads(path.read_text())
    assert data["format"] == "exactpoly.relu-net/1" and len(data["layers"]) == 2
    # the constant bias is float32(0.01), exactly
    assert data["layers"][0]["bias"][0] == "5368709/536870912"
    code, out, _ = run(capsys, "random", "--arch", "3-7-1", "--seed", "0")
    assert json.loads(out) == data
    code, _, err = run(capsys, "random", "--arch", "3-x-1")
    assert code == 2 and "3-x-1" in err


def test_console_script_entry_point(tmp_path):
    # the real process: exit status and a single stderr line, no traceback
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    proc = subprocess.run([sys.executable, "-m", "exactpoly", "regions", str(bad)],
                          capture_output=True, text=True)
    assert proc.returncode == 2 and proc.stdout == ""
    assert len(proc.stderr.strip().splitlines()) == 1


def test_regions_skips_the_section_v_modules():
    """Start-up: ``regions`` neither imports nor builds the Section V commands' parsers."""
    net = str(EXAMPLES / "square_cross_2d.json")
    code = ("import sys; from exactpoly.cli import main; "
            f"assert main(['regions', {net!r}, '--json']) == 0; "
            "late = [m for m in ('exactpoly.experiments.histograms', 'exactpoly.experiments.sampling', "
            "'exactpoly.theory.slices', 'exactpoly.experiments.training') if m in sys.modules]; "
            "print('LATE', late)")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "LATE []" in p.stdout, p.stdout


@pytest.mark.parametrize("command, option", [("histogram", "--init"), ("sweep", "--vary"),
                                             ("sample", "--samples"), ("train", "--epochs"),
                                             ("slice", "--dirs")])
def test_section_v_commands_keep_their_options(capsys, command, option):
    with pytest.raises(SystemExit) as e:
        main([command, "--help"])
    assert e.value.code == 0
    assert option in capsys.readouterr().out
