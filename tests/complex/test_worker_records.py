"""The layer offsets and the named records of the build's workers (exactpoly.complex.build, workers, split)."""

from __future__ import annotations

import pickle
from fractions import Fraction

import pytest

from exactpoly import random_network, region_complex
from exactpoly.complex.local_maps import identity_map
from exactpoly.complex.regions import RegionComplex
from exactpoly.complex.split import Cell, finish_cell
from exactpoly.complex.workers import ChunkState, ParentResult, pack, unpack, work_chunk
from exactpoly.geometry.dd import generators_of
from exactpoly.geometry.polyhedron import box_rows


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


def _root(d: int) -> Cell:
    rows = [r for r, _ in box_rows(Fraction(1), d)]
    root = Cell((), rows, [frozenset([("w", j, s)]) for _, (j, s) in box_rows(Fraction(1), d)],
                generators_of(rows, d), identity_map(d))
    finish_cell(root, d)
    return root


def test_unpack_gives_back_the_facets_rows_and_labels():
    cell = _root(2)
    back = unpack(pickle.loads(pickle.dumps(pack(cell))))
    assert back.facets == cell.facets and back.rows == cell.rows and back.labels == cell.labels
    assert back.rows == [f[0] for f in cell.facets] and back.labels == [f[1] for f in cell.facets]


@pytest.mark.parametrize("last", [False, True])
def test_work_chunk_reads_its_named_state(last):
    net = random_network("2-3-1" if last else "2-3-2-1", seed=0)
    cx = region_complex(net, box=1)
    state = ChunkState(0, net.weights[0], net.biases[0], 2, [_root(2)], last, False, net.neuron_offsets[1:0])
    state = pickle.loads(pickle.dumps(state))  # as a Dask worker receives it
    result, volume = work_chunk(state, 0, 1)
    [parent] = result
    assert isinstance(parent, ParentResult) and len(parent.children) == cx.history[1]
    if last:  # finished regions and their total volume, the box's
        assert volume == 4 and parent.shared is None
        assert sorted(r.pattern for r in parent.children) == [r.pattern for r in cx.regions]
    else:  # packed cells and the local map they share
        assert volume is None and len(parent.shared[0]) == net.hidden_widths[0]
