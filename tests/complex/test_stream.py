"""The streamed complex (exactpoly.complex.stream, exactpoly.io.stream) against its twins.

Twins: the whole complex built by :func:`region_complex` (regions, facet histogram via
:func:`complex_histogram`, per-region records of :func:`complex_to_mapping`), and on small
nets the brute-force enumeration of tests/twins.py; on random and degenerate networks, in
a box and on R^d, serial and with forked workers, with the first layer cut into few and
many pieces.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactpoly import complex_to_mapping, network_from_layers, random_network, region_complex
from exactpoly.complex import stream
from exactpoly.complex.stream import (
    StreamStatistics,
    iter_final_regions,
    merge_statistics,
    statistics_of,
    stream_statistics,
)
from exactpoly.errors import DomainError
from exactpoly.experiments.stats import complex_histogram
from exactpoly.io.stream import read_regions_jsonl, write_regions_jsonl
from exactpoly.strategies import relu_networks
from tests.twins import brute_force_complex

NETS = ["2-5-5-1", "3-8-8-8-1", "2-6-1", "3-12-6-1", "2-4-4-4-4-1"]


def _by_pattern(regions):
    return sorted(regions, key=lambda r: r.pattern)


def _degenerate_net():
    """Duplicate, opposite, dead, constant and concurrent neurons; a relay in layer 2."""
    return network_from_layers(2, [
        ([[1, 0], [1, 0], [-1, 0], [0, 0], [0, 0], [0, 1], [1, 1], ["1/2", "-1/3"]],
         [0, 0, 0, 0, 1, "1/4", "1/4", "1/5"]),
        ([[1, -1, 0, 0, 0, 1, 0, 2], [0, 0, 0, 0, 0, 1, 0, 0], [1, 1, 1, 1, 1, 1, 1, 1]],
         [0, 0, "-1/2"]),
        ([[1, 1, -1]], [0]),
    ])


@pytest.mark.parametrize("pieces, step", [(1, 1), (4, 3), (256, 8)])
@pytest.mark.parametrize("arch", NETS + ["2-20-1", "3-16-4-1"])
def test_stream_regions_are_the_complex(arch, pieces, step, monkeypatch):
    monkeypatch.setattr(stream, "FIRST_LAYER_PIECES", pieces)
    monkeypatch.setattr(stream, "CUT_STEP", step)
    net = random_network(arch, seed=7)
    cx = region_complex(net, box=1)
    streamed = list(iter_final_regions(net, box=1))
    assert len(streamed) == cx.n_regions
    assert _by_pattern(streamed) == list(cx.regions)
    s = stream_statistics(net, box=1)
    assert s == statistics_of(cx.regions, sum(net.hidden_widths))
    assert s.facet_histogram() == complex_histogram(cx)
    assert s.n_regions == cx.n_regions
    assert s.vertex_histogram == tuple(sorted(Counter(r.n_vertices for r in cx.regions).items()))


@pytest.mark.parametrize("box", [1, "3/2", None])
def test_degenerate_net(box, monkeypatch):
    monkeypatch.setattr(stream, "FIRST_LAYER_PIECES", 3)
    monkeypatch.setattr(stream, "CUT_STEP", 2)
    net = _degenerate_net()
    cx = region_complex(net, box=box)
    assert _by_pattern(iter_final_regions(net, box=box)) == list(cx.regions)
    assert stream_statistics(net, box=box).facet_histogram() == complex_histogram(cx)


def test_brute_force_twin():
    net = random_network("2-4-3-1", seed=2)
    regions, _adjacency = brute_force_complex(net, 1)
    streamed = list(iter_final_regions(net, box=1))
    assert sorted(r.pattern for r in streamed) == sorted(regions)
    assert Counter(r.n_facets for r in streamed) == Counter(len(v["facets"]) for v in regions.values())


@settings(max_examples=25, deadline=None)
@given(net=relu_networks(input_dim=st.integers(1, 3), widths=st.lists(st.integers(1, 4), min_size=1, max_size=3),
                         degenerate=True),
       pieces=st.integers(1, 6), step=st.integers(1, 3), bounded=st.booleans())
def test_stream_matches_complex_property(net, pieces, step, bounded):
    old = stream.FIRST_LAYER_PIECES, stream.CUT_STEP
    stream.FIRST_LAYER_PIECES, stream.CUT_STEP = pieces, step
    try:
        box = 1 if bounded else None
        cx = region_complex(net, box=box)
        assert _by_pattern(iter_final_regions(net, box=box)) == list(cx.regions)
        assert stream_statistics(net, box=box) == statistics_of(cx.regions, sum(net.hidden_widths))
    finally:
        stream.FIRST_LAYER_PIECES, stream.CUT_STEP = old


def test_stream_order_is_fixed():
    net = random_network("3-12-6-1", seed=3)
    a = [r.pattern for r in iter_final_regions(net, box=1)]
    assert a == [r.pattern for r in iter_final_regions(net, box=1)]
    assert len(set(a)) == len(a)


def test_workers_give_the_same_statistics():
    net = random_network("3-10-10-1", seed=4)
    serial = stream_statistics(net, box=1)
    assert stream_statistics(net, box=1, workers=2) == serial
    assert serial == statistics_of(region_complex(net, box=1).regions, 20)


def test_progress_counts_every_region():
    net = random_network("2-6-6-1", seed=5)
    seen = []
    s = stream_statistics(net, box=1, progress=lambda done, total, regions: seen.append((done, total, regions)))
    assert seen[-1] == (len(seen), len(seen), s.n_regions)
    assert [x[2] for x in seen] == sorted(x[2] for x in seen)


def test_merge_statistics_is_the_union():
    net = random_network("3-8-8-1", seed=6)
    regions = region_complex(net, box=1).regions
    whole = statistics_of(regions, 16)
    for cut in (0, 1, len(regions) // 3, len(regions)):
        parts = [statistics_of(regions[:cut], 16), statistics_of(regions[cut:], 16)]
        assert merge_statistics(parts) == whole
        assert merge_statistics(reversed(parts)) == whole


def test_merge_statistics_errors():
    with pytest.raises(DomainError, match="parts"):
        merge_statistics([])
    a = StreamStatistics(1, ((3, 1),), ((3, 1),), 4)
    b = StreamStatistics(1, ((3, 1),), ((3, 1),), 5)
    with pytest.raises(DomainError, match="parts"):
        merge_statistics([a, b])


def test_statistics_values():
    s = StreamStatistics(3, ((3, 2), (5, 1)), ((3, 2), (6, 1)), 6)
    assert (s.facets_total, s.vertices_total, s.mean_facets, s.max_facets) == (11, 12, Fraction(11, 3), 5)
    empty = StreamStatistics(0, (), (), 2)
    assert (empty.mean_facets, empty.max_facets) == (0, 0)


def test_bad_arguments():
    net = random_network("2-3-1", seed=0)
    with pytest.raises(TypeError, match="net"):
        stream_statistics("2-3-1")
    with pytest.raises(DomainError, match="box"):
        stream_statistics(net, box=-1)


@pytest.mark.parametrize("box", [1, None])
@pytest.mark.parametrize("workers", [1, 2])
def test_jsonl_records_are_the_complex(tmp_path, box, workers, monkeypatch):
    monkeypatch.setattr(stream, "FIRST_LAYER_PIECES", 5)
    net = random_network("2-5-4-1", seed=8)
    out = tmp_path / "regions"
    s = write_regions_jsonl(net, out, box=box, workers=workers)
    records = [json.loads(line) for line in read_regions_jsonl(out)]
    mapping = complex_to_mapping(region_complex(net, box=box))
    assert sorted(records, key=lambda r: r["pattern"]) == mapping["regions"]
    assert [r["pattern"] for r in records] == [r.pattern_string for r in iter_final_regions(net, box=box)]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["regions"] == s.n_regions == len(records)
    assert manifest["parts"] == sorted(n for n in os.listdir(out) if n.startswith("part-"))
    assert not [n for n in os.listdir(out) if n.endswith(".tmp")]


def test_jsonl_refuses_a_used_directory(tmp_path):
    net = random_network("2-3-1", seed=0)
    write_regions_jsonl(net, tmp_path, box=1)
    with pytest.raises(DomainError, match="directory"):
        write_regions_jsonl(net, tmp_path, box=1)
    f = tmp_path / "file"
    f.write_text("x")
    with pytest.raises(DomainError, match="directory"):
        write_regions_jsonl(net, f, box=1)
