"""Sampling against the exact complex, and the exact hit-and-run face estimator (exactpoly.experiments.sampling)."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

from exactpoly import network_from_layers, random_network, region_complex, write_network
from exactpoly.cli import main
from exactpoly.errors import DomainError
from exactpoly.experiments.sampling import (
    format_sampling,
    hit_and_run_facets,
    region_inequalities,
    sample_patterns,
    sampling_vs_exact,
    uniform_samples,
)

try:
    from twins import evaluate_row, pattern_rows
except ImportError:  # tests/ imported as a package
    from tests.twins import evaluate_row, pattern_rows

NETS = {
    "3-5-1": random_network("3-5-1", seed=0),
    "3-6-3-1": random_network("3-6-3-1", "orthogonal", seed=1),
}


def _forward_bits(net, x):
    """Slow twin: one exact Fraction forward pass."""
    h, bits = list(x), []
    for l in range(net.n_hidden_layers):
        z = [b + sum((w * v for w, v in zip(row, h)), Fraction(0)) for row, b in zip(net.weights[l], net.biases[l])]
        bits += [1 if v > 0 else 0 for v in z]
        h = [v if v > 0 else Fraction(0) for v in z]
    return tuple(bits)


@pytest.mark.parametrize("name", sorted(NETS))
def test_sampled_patterns_are_exact_regions(name):
    net = NETS[name]
    cx = region_complex(net, box=1)
    rep = sampling_vs_exact(net, box=1, n_samples=300, seed=2, complex=cx)
    X = uniform_samples(net.input_dim, 300, seed=2, box=1)
    pats = sample_patterns(net, X)
    exact = {r.pattern for r in cx.regions}
    assert [p for p, _ in pats] == [_forward_bits(net, x) for x in X]
    assert {p for p, _ in pats} <= exact  # sampled patterns are a subset of the exact ones
    for x, i, (p, _z) in zip(X, rep.sample_regions, pats):
        assert i >= 0  # generic samples are never on a boundary
        region = cx.regions[i]
        assert region.pattern == p
        rows = pattern_rows(net, p, Fraction(1))
        assert all(evaluate_row(r, x) > 0 for r in rows)  # the sample lies in the open region
    assert rep.n_found == len({p for p, _ in pats}) == len(set(rep.sample_regions))
    assert rep.n_found + rep.n_missed == rep.n_regions == cx.n_regions
    assert sum(n for _, n, _ in rep.by_facets) == cx.n_regions
    assert sum(f for _, _, f in rep.by_facets) == rep.n_found
    assert sum(n for _, n, _, _ in rep.by_volume) == cx.n_regions
    missed = [r for r, f in zip(cx.regions, rep.found) if not f]
    assert rep.missed_volume == sum((r.volume for r in missed), Fraction(0)) == sum(v for *_, v in rep.by_volume)
    for j, n, f, _ in rep.by_volume:  # volume classes are what they say
        for r, found in zip(cx.regions, rep.found):
            share = r.volume / 8
            if Fraction(1, 2 ** (4 * (j + 1))) < share <= Fraction(1, 2 ** (4 * j)):
                n -= 1
                f -= found
        assert n == 0 and f == 0


def test_boundary_samples_are_reported():
    [x] = uniform_samples(2, 1, seed=5)
    net = network_from_layers(2, [([[1, 0], [0, 1]], [-x[0], 0]), ([[1, 1]], [0])])  # x_1 = sample's x_1
    rep = sampling_vs_exact(net, box=1, n_samples=1, seed=5)
    assert rep.n_boundary_samples == 1 and rep.sample_regions == (-1,) and rep.n_found == 0
    assert sample_patterns(net, [x])[0][1] is True


def test_dead_neuron_samples_are_inside():
    # neuron 2 is identically zero on the whole box (weights and bias 0): bit 0, zero set everywhere
    net = network_from_layers(2, [([[1, 0], [0, 0]], [0, 0]), ([[1, 1]], [0])])
    rep = sampling_vs_exact(net, box=1, n_samples=40, seed=0)
    assert rep.n_boundary_samples == 0 and rep.n_found == rep.n_regions == 2
    assert all(z for _, z in sample_patterns(net, uniform_samples(2, 40, seed=0)))


@pytest.mark.parametrize("name", sorted(NETS))
def test_region_inequalities_match_the_twin(name):
    net = NETS[name]
    cx = region_complex(net, box=1)
    for r in cx.regions[::7]:
        ineq = region_inequalities(net, r.pattern, box=1)
        assert set(ineq) == set(pattern_rows(net, r.pattern, Fraction(1)))
        assert {f.row for f in r.facets} <= set(ineq)


@pytest.mark.parametrize("name", sorted(NETS))
def test_hit_and_run_finds_only_facets(name):
    net = NETS[name]
    cx = region_complex(net, box=1)
    for k, r in enumerate(cx.regions[::9]):
        res = hit_and_run_facets(net, r, box=1, seed=k, patience=60)
        facets = {f.row for f in r.facets}
        assert res.found_facets <= res.exact_facets == r.n_facets
        assert set(res.found) <= facets  # every hyperplane hit is an actual facet
        assert res.iterations % 60 == 0 and res.iterations >= 60
        assert all(1 <= t <= res.iterations for t in res.first_hit)
        if res.found_facets == res.exact_facets:
            assert res.iterations_to_all == max(res.first_hit)
        else:
            assert res.iterations_to_all is None
        assert res == hit_and_run_facets(net, r, box=1, seed=k, patience=60)  # deterministic


def test_hit_and_run_ties_and_duplicates(monkeypatch):
    import exactpoly.experiments.sampling as S

    # duplicated neuron and a dead one: one facet per hyperplane, the dead neuron gives no row
    net = network_from_layers(2, [([[1, 0], [2, 0], [0, 0]], [0, 0, -1]), ([[1, 1, 1]], [0])])
    cx = region_complex(net, box=1)
    r = cx.region_of_pattern("110")
    assert region_inequalities(net, r.pattern, 1) == ((0, 1, 0), (1, -1, 0), (1, 0, -1), (1, 0, 1), (1, 1, 0))
    res = hit_and_run_facets(net, r, box=1, seed=0, patience=200)
    assert res.found_facets == res.exact_facets == 4 and res.ties == 0
    # a ray along the diagonal of the square (0, 1)^2 always leaves through the corner (1, 1): a tie
    net2 = network_from_layers(2, [([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [0])])
    r2 = region_complex(net2, box=1).region_of_pattern("11")
    monkeypatch.setattr(S, "_direction", lambda rng, d: [1, 1])
    res = hit_and_run_facets(net2, r2, box=1, patience=5, start=["1/2", "1/2"])
    assert res.found == () and res.ties == res.iterations == 5  # nothing new by the first checkpoint


def test_bad_arguments():
    net = NETS["3-5-1"]
    r = region_complex(net, box=1).regions[0]
    with pytest.raises(DomainError, match="start"):
        hit_and_run_facets(net, r, box=1, start=[5, 5, 5])
    with pytest.raises(DomainError, match="patience"):
        hit_and_run_facets(net, r, box=1, patience=0)
    with pytest.raises(DomainError, match="box"):
        sampling_vs_exact(net, box="auto")
    with pytest.raises(DomainError, match="pattern"):
        region_inequalities(net, (1, 0), box=1)
    with pytest.raises(DomainError, match="complex"):
        sampling_vs_exact(net, box=2, n_samples=1, complex=region_complex(net, box=1))


def test_cli_sample(tmp_path, capsys):
    path = tmp_path / "net.json"
    write_network(NETS["3-6-3-1"], path)
    png = tmp_path / "s.png"
    assert main(["sample", str(path), "--samples", "200", "--hit-and-run", "2", "--patience", "50", "--json",
                 "--plot", str(png)]) == 0
    data = json.loads(capsys.readouterr().out)
    cx = region_complex(NETS["3-6-3-1"], box=1)
    assert data["regions"] == cx.n_regions and data["found"] + data["missed"] == cx.n_regions
    assert len(data["hit_and_run"]) == 2
    assert all(h["found_facets"] <= h["exact_facets"] for h in data["hit_and_run"])
    assert png.read_bytes()[:4] == b"\x89PNG"
    assert main(["sample", str(path), "--samples", "50", "--hit-and-run", "1", "--patience", "20"]) == 0
    text = capsys.readouterr().out
    assert "regions missed" in text and "iterations to all" in text
    assert text == format_sampling(sampling_vs_exact(NETS["3-6-3-1"], 1, 50, 0), [
        hit_and_run_facets(NETS["3-6-3-1"], cx.regions[sampling_vs_exact(NETS["3-6-3-1"], 1, 50, 0).sample_regions[0]],
                           1, seed=0, patience=20, start=uniform_samples(3, 50, seed=0)[0])])
    assert main(["sample", str(path), "--box", "0"]) == 2


def test_box_errors_name_sampling():
    net = network_from_layers(1, [([[1]], [0]), ([[1]], [0])])
    with pytest.raises(DomainError, match=r"^box: sampling needs a fixed box .*, got 'auto'$"):
        region_inequalities(net, (1,), box="auto")
    with pytest.raises(DomainError, match=r"^box: sampling needs a bounded domain \(a positive rational\)$"):
        hit_and_run_facets(net, region_complex(net, box=1).regions[0], box=None)


def test_rows_are_the_one_introw():
    from exactpoly.experiments import sampling
    from exactpoly.geometry.rows import IntRow

    assert sampling.IntRow is IntRow  # not a local copy of tuple[int, ...]
