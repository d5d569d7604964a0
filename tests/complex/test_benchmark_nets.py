"""The benchmark nets' exact results are regression tests (issue 7: "keep the exact
result identical whatever the path").

The expected values were computed by the engine before its speed-ups and agree with
the brute-force twin's invariants (volume identity: the regions tile the box of
volume 8). Any change to the engine that alters them changes the mathematics, not
only the speed.
"""

from __future__ import annotations

import hashlib
import json

import pytest

from exactpoly import complex_to_mapping, region_complex, summary
from exactpoly.network import random_network

SUMMARY_3_20_10_1 = {
    "adjacency_edges": 10144, "architecture": "3-20-10-1", "average_facets": "4253/708",
    "domain": {"box": "1"},
    "facet_histogram": {"4": 660, "5": 940, "6": 743, "7": 587, "8": 331, "9": 159, "10": 75, "11": 25,
                        "12": 11, "13": 4, "14": 5},
    "facets_total": 21265, "input_dim": 3, "layer_regions": [1, 1304, 3540], "max_facets": 14,
    "regions": 3540, "simplices_total": 21296, "triangulation": "lexicographic-pulling",
    "vertices_total": 28370, "volume_total": "8",
}

# sha256 of the sorted-key JSON of the whole 3-10-1 complex (every vertex, facet, simplex, edge)
COMPLEX_3_10_1_SHA256 = "54b0d75c80ab48473bd1650168c438b49cf6ee34cc21878f577548880510ed14"


def _net(arch: str):
    return random_network(arch, init="xavier_uniform", bias="0.01", seed=0)


def test_3_10_1_whole_complex_is_unchanged():
    cx = region_complex(_net("3-10-1"), box=1)
    blob = json.dumps(complex_to_mapping(cx), sort_keys=True).encode()
    assert hashlib.sha256(blob).hexdigest() == COMPLEX_3_10_1_SHA256


@pytest.mark.parametrize("workers", [1, 2])
def test_3_20_10_1_summary_is_unchanged(workers):
    assert summary(region_complex(_net("3-20-10-1"), box=1, workers=workers)) == SUMMARY_3_20_10_1
