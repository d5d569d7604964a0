"""Tests of exactpoly.experiments.cnn_facets and hit_and_run_rows (Figs. 8-9).

Twins: the region rows computed with flint integer products against
sampling.region_inequalities (Fractions, layer by layer); the exact #facets from cdd's
redundancy LPs against the region complex of a 3-input CNN; hit_and_run_rows against
hit_and_run_facets (the same walk on the same rows).
"""

from __future__ import annotations

import csv
import subprocess
import sys
from fractions import Fraction as F

import pytest

from exactpoly import region_complex
from exactpoly.errors import DomainError
from exactpoly.experiments.cnn_facets import cnn_facets, format_cnn_facets, region_rows, unit_cube_network
from exactpoly.experiments.sampling import hit_and_run_facets, hit_and_run_rows, region_inequalities
from exactpoly.geometry.dd import irredundant_rows

torch = pytest.importorskip("torch")
nn = torch.nn


def _cnn3():
    from exactpoly.io.torch_import import network_from_torch

    torch.manual_seed(1)
    model = nn.Sequential(nn.Conv2d(1, 3, (1, 2)), nn.ReLU(), nn.Flatten(), nn.Linear(6, 2), nn.ReLU(),
                          nn.Linear(2, 1))
    return network_from_torch(model, input_shape=(1, 1, 3))


def test_region_rows_and_dd_facets_match_the_region_complex():
    net = _cnn3()
    cx = region_complex(net, box=1)
    assert len(cx.regions) > 3
    for region in cx.regions:
        rows, pattern = region_rows(net, region.interior_point)
        assert pattern == region.pattern_string
        assert rows == region_inequalities(net, region.pattern, box=1)
        assert len(irredundant_rows(rows)) == region.n_facets


def test_hit_and_run_rows_is_hit_and_run_facets_on_the_same_rows():
    net = _cnn3()
    cx = region_complex(net, box=1)
    for region in cx.regions[:4]:
        rows, _ = region_rows(net, region.interior_point)
        walk = hit_and_run_rows(rows, region.interior_point, seed=3, patience=30)
        ref = hit_and_run_facets(net, region, box=1, seed=3, patience=30)
        assert tuple(rows[i] for i in walk.found) == ref.found
        assert (walk.iterations, walk.ties, walk.first_hit) == (ref.iterations, ref.ties, ref.first_hit)
        assert walk.stopped and set(walk.found) <= set(irredundant_rows(rows))


def test_hit_and_run_rows_is_seeded_and_checks_its_arguments():
    square = [(1, 1, 0), (1, -1, 0), (1, 0, 1), (1, 0, -1)]
    assert hit_and_run_rows(square, (0, 0), seed=5, patience=20) == hit_and_run_rows(square, (0, 0), seed=5,
                                                                                      patience=20)
    capped = hit_and_run_rows(square, (0, 0), seed=5, patience=1000, max_iterations=10)
    assert (capped.iterations, capped.stopped) == (10, False)
    with pytest.raises(DomainError, match="start"):
        hit_and_run_rows(square, (1, 0))
    with pytest.raises(DomainError, match="unbounded"):
        hit_and_run_rows(square[:1], (0, 0), seed=1)
    with pytest.raises(DomainError, match="patience"):
        hit_and_run_rows(square, (0, 0), patience=0)


def test_unit_cube_network_keeps_the_function():
    net = _cnn3()
    moved = unit_cube_network(net)
    for y in ([F(1, 3), F(-1, 2), F(0)], [F(-7, 8), F(5, 9), F(1, 5)]):
        assert moved.evaluate(y) == net.evaluate([(v + 1) / 2 for v in y])


def test_cnn_facets_tiny_exact_versus_estimate():
    res = cnn_facets("tiny", regions=3, seed=2, exact="dd", patience=50)
    assert res.hidden_neurons == 22 and len(res.rows) == 3
    for r in res.rows:
        assert r.exact_facets == len(r.facets) and set(r.found) <= set(r.facets)
        assert r.estimate <= r.exact_facets <= r.inequalities and r.false_facets == 0
    table = list(csv.DictReader(format_cnn_facets(res).splitlines()))
    assert [int(t["exact_facets"]) for t in table] == [r.exact_facets for r in res.rows]


def test_cnn_facets_errors():
    with pytest.raises(DomainError, match="exact"):
        cnn_facets("tiny", regions=1, exact="lp")
    with pytest.raises(DomainError, match="name"):
        cnn_facets("vgg", regions=1)


def test_region_at_and_dd_counts_agree_on_tiny():
    """Two independent exact counts: certified region_at against cdd's redundancy LPs."""
    by_dd = cnn_facets("tiny", regions=6, seed=1, exact="dd", patience=50)
    by_region_at = cnn_facets("tiny", regions=6, seed=1, exact="region_at", patience=50)
    assert [r.exact_facets for r in by_region_at.rows] == [r.exact_facets for r in by_dd.rows]
    assert all(r.exact_seconds >= 0 and r.walk_seconds >= 0 for r in by_region_at.rows)
    table = list(csv.DictReader(format_cnn_facets(by_region_at).splitlines()))
    assert {"exact_cpu_s", "walk_cpu_s"} <= set(table[0])


def test_digits_model_trains():
    pytest.importorskip("sklearn")
    from exactpoly.experiments.cnn_facets import cnn_model

    model, shape, info = cnn_model("digits", seed=0, epochs=2)
    assert shape == (1, 8, 8)
    assert F(info["test_accuracy"]) > F(1, 2)  # ten classes: chance is 1/10


def test_cli_cnn_facets(tmp_path):
    pytest.importorskip("matplotlib")
    out, png = tmp_path / "t.csv", tmp_path / "t.png"
    run = subprocess.run([sys.executable, "-m", "exactpoly", "cnn-facets", "--net", "tiny", "--regions", "2",
                          "--exact", "dd", "--patience", "50", "-o", str(out), "--plot", str(png)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    rows = list(csv.DictReader(out.read_text().splitlines()))
    assert len(rows) == 2 and all(int(r["estimate"]) <= int(r["exact_facets"]) for r in rows)
    assert png.stat().st_size > 0
