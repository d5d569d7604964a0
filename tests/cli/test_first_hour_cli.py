"""The command line a researcher meets first: ``--version``, ``convert``'s confirmation, negative
numbers after ``slice --origin``/``--dirs``, decimals beside the fractions of ``regions``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

import exactpoly
from exactpoly.cli import main
from exactpoly.cli.common import with_decimal
from exactpoly.cli.slice import joined_negative_values
from exactpoly.complex import region_complex
from exactpoly.io.export import summary
from exactpoly.network import network_from_layers, read_network, write_network

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_version_prints_the_package_version(capsys):
    with pytest.raises(SystemExit) as e:
        main(["--version"])
    out, err = capsys.readouterr()
    assert e.value.code == 0 and err == "" and out == f"exactpoly {exactpoly.__version__}\n"
    res = subprocess.run([sys.executable, "-m", "exactpoly", "--version"], check=False, capture_output=True,
                         text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert res.returncode == 0 and res.stdout.split() == ["exactpoly", exactpoly.__version__]


def test_convert_to_stdout_stays_json_only(tmp_path, capsys):
    net = network_from_layers(2, [([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [0])])
    write_network(net, tmp_path / "a.json")
    code, out, err = run(capsys, "convert", tmp_path / "a.json")
    assert code == 0 and err == "" and json.loads(out)["format"] == "exactpoly.relu-net/1"
    code, out, err = run(capsys, "convert", tmp_path / "a.json", "-o", tmp_path / "b.json")
    assert code == 0 and out == "" and err == f"exactpoly: wrote {tmp_path / 'b.json'}: 2-2-1\n"


@pytest.mark.parametrize("joined", [False, True])
def test_slice_accepts_negative_origin_and_dirs_in_both_spellings(capsys, joined):
    net = EXAMPLES / "random_3-7-1_seed0.json"
    options = [("--origin", "-1/2,0,0"), ("--dirs", "-1,0,0;0,-1,0")]
    argv = [a for o, v in options for a in ([f"{o}={v}"] if joined else [o, v])]
    code, out, err = run(capsys, "slice", net, *argv, "--json")
    assert code == 0 and err == ""
    s = json.loads(out)
    assert s["plane"] == {"origin": ["-1/2", "0", "0"], "dirs": [["-1", "0", "0"], ["0", "-1", "0"]]}


def test_slice_still_reports_a_missing_value(capsys):
    code, out, err = run(capsys, "slice", EXAMPLES / "random_3-7-1_seed0.json", "--origin", "--dirs", "1,0,0;0,1,0")
    assert code == 2 and out == "" and "--origin" in err and err.count("\n") == 1


def test_joined_negative_values_touches_only_its_options():
    argv = ["slice", "n.json", "--seed", "-3", "--origin", "-.5,1", "--", "--dirs", "-1"]
    assert joined_negative_values(argv) == ["slice", "n.json", "--seed", "-3", "--origin=-.5,1", "--", "--dirs", "-1"]
    assert joined_negative_values(["--origin"]) == ["--origin"]


def test_regions_text_puts_decimals_beside_fractions_and_json_is_unchanged(capsys):
    net = EXAMPLES / "concurrent_and_duplicate_2d.json"
    code, out, _ = run(capsys, "regions", net, "--box", "1", "--json")
    assert out == json.dumps(summary(region_complex(read_network(net), box=1)), indent=1) + "\n"
    assert json.loads(out)["average_facets"] == "18/5"
    code, text, _ = run(capsys, "regions", net, "--box", "1")
    row = {line[:32].strip(): line[32:] for line in text.splitlines() if len(line) > 32}
    assert row["average facets"] == "18/5 ≈ 3.600"
    assert row["volume total"] == "4"                     # an integer gets no decimal
    code, text, _ = run(capsys, "regions", net, "--box", "1/3")
    volume = next(line for line in text.splitlines() if line.startswith("volume total")).split()[2:]
    assert volume == ["4/9", "≈", "0.444"]


@pytest.mark.parametrize("text, expected", [("391/64", "391/64 ≈ 6.109"), ("-2/3", "-2/3 ≈ -0.667"),
                                            ("1/3000", "1/3000 ≈ 0.000"), ("7", "7"), (None, "None"),
                                            ("a/b", "a/b")])
def test_with_decimal(text, expected):
    assert with_decimal(text) == expected


def test_with_decimal_against_float_rounding():
    # independent twin: the float value, for fractions whose rounding is not a tie
    for q in (Fraction(391, 64), Fraction(-22, 7), Fraction(5, 9), Fraction(-1, 12)):
        text = f"{q.numerator}/{q.denominator}"
        assert with_decimal(text, 4).split(" ≈ ")[1] == f"{float(q):.4f}"
    # where a float would lose the digits, the exact rounding keeps them
    assert with_decimal(f"{10 ** 20 + 2}/3", 1) == f"{10 ** 20 + 2}/3 ≈ 33333333333333333334.0"
