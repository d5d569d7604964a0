"""The one implementation of a facet histogram's statistics (exactpoly.experiments.stats), shared by
face histograms and training runs."""

from __future__ import annotations

from fractions import Fraction

import pytest

from exactpoly import network_from_layers, region_complex
from exactpoly.experiments import histograms, training
from exactpoly.experiments.histograms import FacetHistogram
from exactpoly.experiments.stats import FacetStatistics, complex_histogram, decimal_string
from exactpoly.experiments.training import EpochStats

STAT_NAMES = ("n_regions", "facets_total", "mean_facets", "max_facets", "threshold", "n_simple", "simple_share")


def _pair(histogram, n_neurons):
    n = sum(c for _, c in histogram)
    h = FacetHistogram("3-8-1", "xavier_uniform", Fraction(1, 100), Fraction(1), (0,), (n,), histogram, n_neurons)
    e = EpochStats(3, Fraction(1, 3), Fraction(3, 4), n, histogram, n_neurons)
    return h, e


@pytest.mark.parametrize("histogram, n_neurons", [(((3, 1), (4, 2), (9, 4)), 8), ((), 6), (((5, 3),), 10)])
def test_both_classes_give_the_same_statistics(histogram, n_neurons):
    h, e = _pair(histogram, n_neurons)
    assert isinstance(h, FacetStatistics) and isinstance(e, FacetStatistics)
    assert [getattr(h, a) for a in STAT_NAMES] == [getattr(e, a) for a in STAT_NAMES]
    assert h.statistics_mapping() == e.statistics_mapping()
    assert list(h.to_mapping())[-len(h.statistics_mapping()):] == list(h.statistics_mapping())


def test_statistics_values_and_json_are_pinned():
    # one region at k = Γ/2 = 4 is not simple (strictly below, Preliminary 3)
    h, e = _pair(((3, 1), (4, 2), (9, 4)), 8)
    assert (h.n_regions, h.facets_total, h.mean_facets, h.max_facets) == (7, 47, Fraction(47, 7), 9)
    assert (h.threshold, h.n_simple, h.simple_share) == (4, 1, Fraction(1, 7))
    assert e.to_mapping() == {
        "epoch": 3, "loss": "1/3", "loss_decimal": "0.3333", "accuracy": "3/4", "accuracy_decimal": "0.750",
        "regions": 7, "facets_total": 47, "facet_histogram": {"3": 1, "4": 2, "9": 4}, "mean_facets": "47/7",
        "mean_facets_decimal": "6.714", "max_facets": 9, "neurons": 8, "simplicity_threshold": "4",
        "simple_regions": 1, "simple_share": "1/7", "simple_share_decimal": "0.143"}
    assert list(h.to_mapping()) == ["architecture", "init", "bias", "box", "seeds", "regions_per_seed", "regions",
                                    "facets_total", "facet_histogram", "mean_facets", "mean_facets_decimal",
                                    "max_facets", "neurons", "simplicity_threshold", "simple_regions",
                                    "simple_share", "simple_share_decimal"]


def test_no_regions_gives_zeros_not_a_division_error():
    h, _e = _pair((), 6)
    assert (h.n_regions, h.mean_facets, h.max_facets, h.n_simple, h.simple_share) == (0, 0, 0, 0, 0)


def test_statistics_are_read_only_and_the_classes_stay_frozen_values():
    h, e = _pair(((3, 1),), 8)
    with pytest.raises(AttributeError):
        h.mean_facets = Fraction(1)  # type: ignore[misc]
    assert e == _pair(((3, 1),), 8)[1] and hash(e) == hash(_pair(((3, 1),), 8)[1])
    assert "mean_facets" not in repr(h)


def test_old_import_paths_are_the_shared_functions():
    assert histograms.decimal_string is training.decimal_string is decimal_string
    assert histograms.complex_histogram is complex_histogram


def test_epoch_histogram_is_the_complex_histogram():
    net = network_from_layers(2, [([[1, 0], [0, 1], [1, 1]], [0, 0, "-1/2"]), ([[1, 1, 1]], [0])])
    cx = region_complex(net, box=1)
    s = training.epoch_stats(training.Snapshot(0, net, Fraction(0), Fraction(1)), box=1)
    assert dict(s.histogram) == complex_histogram(cx) and s.n_regions == cx.n_regions == sum(dict(s.histogram).values())
    assert list(dict(s.histogram)) == sorted(dict(s.histogram))
