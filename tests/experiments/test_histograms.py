"""Face histograms and sweeps (exactpoly.experiments.histograms, `exactpoly histogram` / `exactpoly sweep`)."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

from exactpoly import network_from_layers, random_network, region_complex, summary
from exactpoly.cli import main
from exactpoly.errors import DomainError
from exactpoly.experiments.histograms import (
    FacetHistogram,
    complex_histogram,
    decimal_string,
    face_histograms,
    format_histograms,
    format_sweep,
    histogram_net,
    parse_inits,
    sweep,
    sweep_architecture,
)


@pytest.mark.parametrize("arch", ["3-5-1", "3-6-3-1"])
def test_histogram_totals_equal_the_summary(arch):
    [h] = face_histograms([arch], ["xavier_uniform"], seeds=[0, 1], cache=False)
    hist, regions, facets = {}, 0, 0
    for s in (0, 1):
        cx = region_complex(random_network(arch, seed=s), box=1)
        sm = summary(cx)
        for k, v in sm["facet_histogram"].items():
            hist[int(k)] = hist.get(int(k), 0) + v
        regions += sm["regions"]
        facets += sm["facets_total"]
        assert complex_histogram(cx) == {int(k): v for k, v in sm["facet_histogram"].items()}
    assert dict(h.histogram) == hist
    assert h.n_regions == regions == sum(h.regions_per_seed)
    assert h.facets_total == facets
    assert h.mean_facets == Fraction(facets, regions)
    assert h.max_facets == max(hist)
    gamma = sum(int(x) for x in arch.split("-")[1:-1])
    assert h.n_neurons == gamma and h.threshold == Fraction(gamma, 2)
    assert h.n_simple == sum(v for k, v in hist.items() if 2 * k < gamma)  # strictly below Γ/2
    assert h.simple_share == Fraction(h.n_simple, regions)


def test_threshold_is_strict():
    # 2-4-1: Γ/2 = 2, no region has fewer than 3 facets; a fake histogram checks the strict rule
    h = FacetHistogram("3-8-1", "xavier_uniform", Fraction(0), Fraction(1), (0,), (3,), ((3, 1), (4, 2)), 8)
    assert h.threshold == 4 and h.n_simple == 1


def test_degenerate_zero_bias_and_dead_neuron():
    # bias 0: every first-layer hyperplane through the origin; the histogram still matches the complex
    [h] = face_histograms(["3-6-1"], "orthogonal", seeds="0", bias=0, cache=False)
    cx = region_complex(random_network("3-6-1", "orthogonal", bias=0, seed=0), box=1)
    assert dict(h.histogram) == complex_histogram(cx) and h.bias == 0
    # a dead neuron and a duplicated one: facets merged, never counted twice
    net = network_from_layers(2, [([[1, 0], [1, 0], [0, 0]], [0, 0, -1]), ([[1, 1, 1]], [0])])
    assert complex_histogram(region_complex(net, box=1)) == {4: 2}


def test_cache_resumes_and_reuses(tmp_path, monkeypatch):
    a = face_histograms(["2-4-1"], seeds="0-1", cache=tmp_path)
    lines = (tmp_path / "histograms.jsonl").read_text().splitlines()
    assert len(lines) == 2
    (tmp_path / "histograms.jsonl").write_text(lines[0] + "\n" + lines[1][:10])  # cut short

    calls = []
    import exactpoly.experiments.histograms as H

    real = H.histogram_net
    monkeypatch.setattr(H, "histogram_net", lambda *a, **k: calls.append(a) or real(*a, **k))
    b = face_histograms(["2-4-1"], seeds="0-1", cache=tmp_path)
    assert a == b and len(calls) == 1
    c = face_histograms(["2-4-1"], seeds="0-1", cache=tmp_path)
    assert c == a and len(calls) == 1


def test_workers_do_not_change_the_result():
    a = face_histograms(["2-4-1"], "xavier_uniform,kaiming", seeds="0-1", cache=False)
    b = face_histograms(["2-4-1"], "xavier_uniform,kaiming", seeds="0-1", cache=False, workers=2)
    assert a == b and [h.init for h in a] == ["xavier_uniform", "kaiming_normal"]


def test_budget_skips_and_notes(tmp_path):
    # layer 1 of 3-6-3-1 may have up to 1 + 6 + 15 + 20 = 42 regions: refused before building
    rec = histogram_net("3-6-3-1", max_regions=10)
    assert rec["status"] == "skipped" and rec["reason"].endswith("(up to 42); not built")
    # 3-3-3-1 has 8 regions after layer 1, 26 after layer 2; 3-3-3-3-1 then 59
    rows = sweep("depth", [1, 2, 3], width=3, seeds="0", max_regions=30, cache=tmp_path)
    assert [r.histogram and r.histogram.n_regions for r in rows] == [8, 26, None]
    assert rows[2].note == "skipped seed 0: more than 30 regions"
    # a finished network over a smaller budget reads as skipped, and a cached skip under a larger
    # budget states the current one: the output does not depend on what the cache holds
    again = sweep("depth", [1, 2, 3], width=3, seeds="0", max_regions=20, cache=tmp_path)
    assert [r.note for r in again] == ["", "skipped seed 0: more than 20 regions"] * 1 + \
        ["skipped seed 0: more than 20 regions"]
    assert again == sweep("depth", [1, 2, 3], width=3, seeds="0", max_regions=20, cache=False)
    # a raised budget recomputes the skipped one
    full = sweep("depth", [3], width=3, seeds="0", cache=tmp_path)
    assert full[0].histogram.n_regions == 59
    # a time budget
    assert histogram_net("3-3-3-3-1", max_seconds=1e-9)["reason"] == "over 1e-09 s"


def test_sweep_settings_and_formats():
    assert sweep_architecture("depth", 5) == "3-20-20-20-20-20-1"
    assert sweep_architecture("width", 160, depth=2) == "3-160-160-1"
    rows = sweep("bias", ["0", "0.1"], seeds="0", architecture="2-3-1", cache=False)
    assert [r.bias for r in rows] == [0, Fraction(13421773, 134217728)]
    md = format_sweep(rows)
    assert md.startswith("| bias ") and md == format_sweep(rows)
    data = json.loads(format_sweep(rows, "json"))
    assert data[0]["result"]["facet_histogram"] == {str(k): v for k, v in rows[0].histogram.histogram}
    assert "seconds" in format_sweep(rows, "csv", timings=True).splitlines()[0]
    assert format_sweep(rows, "latex").startswith("\\begin{tabular}")


def test_formats():
    hs = face_histograms(["2-3-1", "2-4-1"], seeds="0", cache=False)
    js = json.loads(format_histograms(hs, "json"))
    assert [j["regions"] for j in js] == [h.n_regions for h in hs]
    assert js[0]["mean_facets"] == str(hs[0].mean_facets) or Fraction(js[0]["mean_facets"]) == hs[0].mean_facets
    md = format_histograms(hs)
    assert "Preliminary 3" in md and "| #facets |" in md
    assert "\\begin{tabular}" in format_histograms(hs, "latex")


def test_decimal_string_is_exact_rounding():
    assert decimal_string(Fraction(1, 2000)) == "0.001" and decimal_string(Fraction(1, 3), 0) == "0"
    assert decimal_string(Fraction(-2, 3)) == "-0.667" and decimal_string(Fraction(-1, 10**9)) == "0.000"


def test_bad_arguments():
    with pytest.raises(DomainError, match="inits"):
        parse_inits("he_uniform")
    with pytest.raises(DomainError, match="box"):
        face_histograms(["2-3-1"], box="auto", cache=False)
    with pytest.raises(DomainError, match="vary"):
        sweep("height", cache=False)
    with pytest.raises(DomainError, match="values"):
        sweep("width", ["x"], cache=False)
    with pytest.raises(DomainError, match="max_regions"):
        histogram_net("2-3-1", max_regions=0)
    with pytest.raises(DomainError, match="workers"):
        face_histograms(["2-3-1"], cache=False, workers=0)


def test_cli_histogram_and_sweep(tmp_path, capsys):
    png = tmp_path / "h.png"
    assert main(["histogram", "--arch", "3-5-1", "--init", "xavier_uniform", "--init", "orthogonal",
                 "--seeds", "0", "--no-cache", "--format", "json", "--plot", str(png)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [d["init"] for d in data] == ["xavier_uniform", "orthogonal"]
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    out = tmp_path / "s.csv"
    assert main(["sweep", "--vary", "depth", "--values", "1,2", "--width", "3", "--seeds", "0",
                 "--cache", str(tmp_path), "--max-regions", "1000", "--format", "csv", "-o", str(out)]) == 0
    assert out.read_text().splitlines()[1].startswith("1,3-3-1,")
    assert main(["sweep", "--vary", "depth", "--values", "0", "--no-cache"]) == 2
    assert "values" in capsys.readouterr().err
    assert main(["histogram", "--init", "bogus", "--no-cache"]) == 2


def test_box_errors_name_face_histograms():
    with pytest.raises(DomainError, match=r"^box: face histograms need a bounded domain \(a positive rational\)$"):
        histogram_net("2-2-1", box=None)
    with pytest.raises(DomainError, match=r"^box: face histograms need a fixed box .*, got 'auto'$"):
        face_histograms(["2-3-1"], box=" AUTO ", cache=False)
