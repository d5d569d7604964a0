"""benchmarks/side_by_side.py: its tables parse, its cross-checks pass on real runs and
fail on doctored outputs. No timing is asserted (speed goes into docs/performance.md).

The Sage part runs only when a Python with passagemath-polyhedra is named by the
environment variable ``EXACTPOLY_SAGE_PYTHON`` or is this interpreter.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from twins import brute_force_complex

from exactpoly import network_from_layers, region_complex
from exactpoly.io.export import write_complex_json
from exactpoly.network import network_to_mapping

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "benchmarks" / "side_by_side.py"


def _load():
    spec = importlib.util.spec_from_file_location("side_by_side", SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


sbs = _load()


def _sage_python() -> str | None:
    for exe in (os.environ.get("EXACTPOLY_SAGE_PYTHON"), sys.executable):
        if exe and subprocess.run([exe, "-c", "import sage.all__sagemath_polyhedra"],
                                  capture_output=True).returncode == 0:
            return exe
    return None


def _tables(text: str) -> dict[str, list[dict[str, str]]]:
    """Every Markdown table of the output, under its ``### `` heading, as dicts."""
    tables: dict[str, list[dict[str, str]]] = {}
    title, header = None, None
    for line in text.splitlines():
        if line.startswith("### "):
            title, header = line[4:], None
            tables[title] = []
        elif line.startswith("|") and title is not None:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if header is None:
                header = cells
            elif not set("".join(cells)) <= set("-:"):
                assert len(cells) == len(header), line
                tables[title].append(dict(zip(header, cells)))
        else:
            header = None
    return tables


def _run(tmp_path, *extra):
    js = tmp_path / "rows.json"
    p = subprocess.run([sys.executable, str(SCRIPT), "--quick", "--json", str(js), *extra],
                       capture_output=True, text=True, cwd=ROOT)
    return p, json.loads(js.read_text()) if js.exists() else None


def _check_rows(table, rows, other_key):
    assert len(table) == len(rows) > 0
    for line, row in zip(table, rows):
        assert line["net"] == row["net"]
        assert int(line["regions"]) == row["regions"] and int(line["facets"]) == row["facets"]
        ours = float(line["exactpoly CPU s"])
        assert ours > 0 and float(line["ratio"]) == pytest.approx(row[other_key] / row["exactpoly_cpu"], abs=0.051)
        assert line[[k for k in line if k.startswith("exactpoly = ")][0]] == "yes" and row["same"]
        assert row["problems"] == []


def test_quick_run_brute_force_part(tmp_path):
    p, rows = _run(tmp_path, "--no-sage")
    assert p.returncode == 0, p.stdout + p.stderr
    assert "every output identical: yes" in p.stdout
    tables = _tables(p.stdout)
    (title,) = [t for t in tables if t.startswith("(b)")]
    _check_rows(tables[title], rows["brute"], "brute_cpu")
    assert {r["domain"] for r in rows["brute"]} == {"box 1", "R^d"}
    assert "sage" not in rows


@pytest.mark.skipif(_sage_python() is None, reason="Sage (passagemath-polyhedra) not importable; "
                                                   "set EXACTPOLY_SAGE_PYTHON")
def test_quick_run_sage_part(tmp_path):
    p, rows = _run(tmp_path, "--sage-python", _sage_python())
    assert p.returncode == 0, p.stdout + p.stderr
    tables = _tables(p.stdout)
    (title,) = [t for t in tables if t.startswith("(a)")]
    _check_rows(tables[title], rows["sage"], "sage_cpu")
    assert any(r["net"].startswith("coincident") for r in rows["sage"])


def _one_layer_net():
    # coincident (x, 2x, -x), parallel (y = 0, y = 1), through the origin, a dead neuron
    w = [[1, 0], [2, 0], [-1, 0], [0, 1], [0, 1], [1, 1], [1, -1], [0, 0]]
    b = [0, 0, 0, 0, -1, 0, 0, 1]
    return network_from_layers(2, [(w, b), ([[1] * len(w)], [0])])


def _ours(net, box, tmp_path):
    path = tmp_path / "cx.json"
    write_complex_json(region_complex(net, box=box), path)
    return sbs.exactpoly_regions(str(path))[0]


def _brute(net, box):
    regions, adjacency = brute_force_complex(net, box)
    return json.loads(json.dumps({
        "regions": {"".join(map(str, p)): {
            "facets": sorted([list(r), [list(n) for n in ns], [list(w) for w in ws]]
                             for r, (ns, ws) in reg["facets"].items()),
            "vertices": sorted(list(sbs._point(v)) for v in reg["vertices"])} for p, reg in regions.items()},
        "edges": sorted(sorted("".join(map(str, p)) for p in e) for e in adjacency)}))


@pytest.mark.parametrize("box", [1, None])
def test_brute_comparison_passes_and_can_fail(tmp_path, box):
    net = _one_layer_net()
    ours, brute = _ours(net, box, tmp_path), _brute(net, box)
    assert sbs.compare_with_brute(ours, brute, box is not None) == []
    pat = sorted(brute["regions"])[0]
    doctored = [copy.deepcopy(brute) for _ in range(3)]
    doctored[0]["regions"][pat]["facets"].pop()
    del doctored[1]["regions"][pat]
    doctored[2]["edges"].pop()
    for bad in doctored:
        assert sbs.compare_with_brute(ours, bad, box is not None) != []
    if box is not None:
        bad = copy.deepcopy(brute)
        bad["regions"][pat]["vertices"][0][0] = "7/3"
        assert sbs.compare_with_brute(ours, bad, True) != []


def test_sage_comparison_passes_and_can_fail(tmp_path):
    """The Sage-side form, here taken from the brute-force twin over R^d (facet rows;
    a region's vertices: the points where two facet lines meet, as the twin finds them in
    a large box)."""
    net = _one_layer_net()
    ours = _ours(net, None, tmp_path)
    brute = _brute(net, None)
    big = _brute(net, 1000)  # every vertex of the R^2 arrangement lies inside [-1000, 1000]^2
    lines = {p: r["lines"] for p, r in ours["regions"].items()}
    sage = {"regions": [{"rows": [f[0] for f in r["facets"]],
                         "vertices": None if lines[p] else [v for v in big["regions"][p]["vertices"]
                                                            if all(abs(float(x)) < 1000 for x in v)]}
                        for p, r in brute["regions"].items()]}
    assert sbs.compare_with_sage(ours, sage) == []
    assert sum(r["vertices"] is not None for r in sage["regions"]) > 0
    doctored = [copy.deepcopy(sage) for _ in range(4)]
    doctored[0]["regions"].pop()
    doctored[1]["regions"][0]["rows"].pop()
    doctored[2]["regions"][0]["rows"][0] = [v + 1 for v in doctored[2]["regions"][0]["rows"][0]]
    pointed = next(r for r in doctored[3]["regions"] if r["vertices"])
    pointed["vertices"][0] = ["1/7"] * 2
    for bad in doctored:
        assert sbs.compare_with_sage(ours, bad) != []


def test_hyperplanes_of_a_network_file():
    obj = network_to_mapping(_one_layer_net())
    # x = 0 three times, y = 0, y = 1, x + y = 0, x - y = 0; the dead neuron cuts nothing
    assert sbs.one_layer_hyperplanes(obj) == sorted([(0, 1, 0), (0, 0, 1), (-1, 0, 1), (0, 1, 1), (0, 1, -1)])
    assert sbs.primitive_row(["-2/3", "4/9", "0"]) == (-3, 2, 0)  # times 9/2
    assert sbs.hyperplane_key([3, -6, 9]) == (-1, 2, -3)
