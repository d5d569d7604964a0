"""The layer offsets and the named records of the build's workers (exactpoly.complex.build, workers, split)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from exactpoly import random_network, region_complex
from exactpoly.complex.regions import RegionComplex


@pytest.mark.parametrize("arch", ["2-3-1", "2-3-2-1", "2-2-3-2-1", "1-2-1-2-2-1"])
def test_volume_total_summed_by_layer_prefixes_is_the_box(arch):
    cx = region_complex(random_network(arch, seed=1), box=1)
    offsets = cx.network.neuron_offsets
    # the prefix of length offsets[l] is the pattern of the region's ancestor in layer l: history[l] of them,
    # each one's descendants contiguous (regions are sorted by pattern), so siblings are summed first
    for l, n in enumerate(offsets):
        prefixes = [r.pattern[:n] for r in cx.regions]
        assert len(set(prefixes)) == cx.history[l] and prefixes == sorted(prefixes)
    again = RegionComplex(cx.network, cx.box, cx.regions, cx.edges, cx.history)  # no worker sums: by prefixes
    assert again.volume_total == sum((r.volume for r in cx.regions), Fraction(0)) == 2 ** cx.input_dim
