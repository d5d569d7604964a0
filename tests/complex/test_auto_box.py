"""auto_box of one-hidden-layer nets: the arrangement shortcut against the R^d build."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactpoly.complex.build import _one_layer_auto_box, auto_box, build_cells
from exactpoly.geometry.polyhedron import interior_point_of, point_fractions
from exactpoly.network import network_from_layers, random_network
from exactpoly.parallel import make_runner


def _auto_box_from_rd_complex(net) -> Fraction:
    """The auto box of docs/conventions.md ("The box") from the R^d complex itself (the general method)."""
    with make_runner(1) as runner:
        cells, _e, _h, _v = build_cells(net, None, None, runner)
    m = Fraction(0)
    for c in cells:
        g = c.gens
        pts = [interior_point_of(g)] if g.lines or not g.points else [point_fractions(p) for p in g.points]
        m = max([m, *(abs(x) for p in pts for x in p)])
    return Fraction(int(m) + 1)


@pytest.mark.parametrize("arch", ["3-7-1", "2-5-1", "4-6-1"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_random_nets(arch, seed):
    net = random_network(arch, init="xavier_uniform", bias="0.01", seed=seed)
    assert _one_layer_auto_box(net) == _auto_box_from_rd_complex(net) == auto_box(net)


VALUES = st.sampled_from([0, 1, -1, 2, Fraction(1, 2), Fraction(-7, 3)])


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 3).flatmap(lambda d: st.tuples(
    st.just(d),
    st.lists(st.tuples(st.lists(VALUES, min_size=d, max_size=d), VALUES), min_size=1, max_size=6))))
def test_degenerate_nets(data):
    """Dead neurons, duplicated, parallel and concurrent hyperplanes, non-essential arrangements."""
    d, neurons = data
    W = [w for w, _ in neurons]
    b = [x for _, x in neurons]
    net = network_from_layers(d, [(W, b), ([[1] * len(W)], [0])])
    fast = _one_layer_auto_box(net)
    assert fast is None or fast == _auto_box_from_rd_complex(net)
    assert auto_box(net) == _auto_box_from_rd_complex(net)
