"""Streamed face histograms and sweeps (``--stream``) against the non-streamed ones: identical."""

from __future__ import annotations

import json

import pytest

from exactpoly.cli import main
from exactpoly.errors import DomainError
from exactpoly.experiments.histograms import face_histograms, histogram_net, sweep


def test_histograms_identical_with_stream():
    kw = dict(seeds="0-1", cache=False)
    plain = face_histograms(["3-6-6-1", "2-5-5-5-1"], "xavier_uniform,orthogonal", **kw)
    streamed = face_histograms(["3-6-6-1", "2-5-5-5-1"], "xavier_uniform,orthogonal", stream=True, **kw)
    assert streamed == plain


def test_sweep_identical_with_stream_and_budget():
    kw = dict(seeds="0", input_dim=2, depth=2, cache=False, max_regions=60)
    plain = sweep("width", [3, 6, 12], **kw)
    streamed = sweep("width", [3, 6, 12], stream=True, **kw)
    assert [r.histogram for r in streamed] == [r.histogram for r in plain]
    assert [bool(r.skipped) for r in streamed] == [bool(r.skipped) for r in plain]


def test_stream_skip_counts_final_regions():
    r = histogram_net("2-3-8-1", seed=0, max_regions=10, stream=True)
    assert r["status"] == "skipped" and r["reason"] == "more than 10 regions"
    assert r["layer"] == 2 and r["regions_reached"] > 10


def test_stream_options_need_stream(tmp_path):
    with pytest.raises(DomainError, match="stream"):
        histogram_net("2-3-1", regions_jsonl=tmp_path)
    with pytest.raises(DomainError, match="stream"):
        face_histograms(["2-3-1"], seeds="0", cache=False, scheduler="tcp://127.0.0.1:1")
    assert main(["histogram", "--arch", "2-3-1", "--regions-jsonl", str(tmp_path), "--no-cache"]) == 2


def test_cli_stream_and_jsonl(tmp_path, capsys):
    args = ["histogram", "--arch", "2-4-4-1", "--seeds", "0", "--format", "json", "--no-cache"]
    assert main(args) == 0
    plain = json.loads(capsys.readouterr().out)
    assert main(args + ["--stream", "--regions-jsonl", str(tmp_path / "j")]) == 0
    assert json.loads(capsys.readouterr().out) == plain
    [net_dir] = list((tmp_path / "j").iterdir())
    manifest = json.loads((net_dir / "manifest.json").read_text())
    lines = [json.loads(x) for p in sorted(net_dir.glob("part-*.jsonl")) for x in p.read_text().splitlines()]
    assert manifest["regions"] == len(lines) == plain[0]["regions"]
    assert manifest["facet_histogram"] == plain[0]["facet_histogram"]


def test_one_network_two_workers_share_its_pieces(monkeypatch):
    """Fewer networks than workers: the workers stream one network's pieces, same histogram."""
    import exactpoly.complex.stream as stream_module

    seen = []
    real = stream_module.stream_statistics

    def spy(net, box=1, **kw):
        seen.append(kw.get("workers"))
        return real(net, box, **kw)

    monkeypatch.setattr(stream_module, "stream_statistics", spy)
    one = face_histograms(["2-6-4-1"], seeds=[0], cache=False, stream=True)
    two = face_histograms(["2-6-4-1"], seeds=[0], cache=False, stream=True, workers=2)
    assert one == two and seen == [1, 2]
