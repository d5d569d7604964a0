"""The R^d complex by the cone form against the double-description path it replaced.

Pointed unbounded cells are cut combinatorially in cone form (``split._to_cone``) and
R^d adjacency of pointed cells is decided by equal facet generators; the twin is the
previous path, kept callable as ``split._double_description_only()``: one exact
double description per child and one exact feasibility test per candidate pair. The
whole complex (every region, facet, vertex, ray, line and edge) must be the same, byte
for byte, on degenerate nets (dead, duplicated, parallel, concurrent, rank-deficient
first layers whose regions contain lines) and on random nets of 1 to 3 hidden layers
in d = 1..4, with the compiled kernels and with their Python twins.
"""

from __future__ import annotations

import json
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exactpoly import complex_to_mapping, region_complex
from exactpoly.complex import kernels, split
from exactpoly.complex.build import auto_box
from exactpoly.geometry.dd import Generators
from exactpoly.network import network_from_layers, random_network
from exactpoly.strategies import relu_networks


def _blob(net) -> bytes:
    return json.dumps(complex_to_mapping(region_complex(net, box=None)), sort_keys=True).encode()


def _assert_twins(net) -> bytes:
    new = _blob(net)
    with split._double_description_only():
        old = _blob(net)
    assert new == old
    return new


def _pointed_cells_used(net) -> int:
    """How many regions of the R^d complex are pointed and unbounded (cut in cone form)."""
    from exactpoly.complex.build import build_cells
    cells, _e, _h, _v = build_cells(net, None)
    return sum(1 for c in cells if c.gens.rays and not c.gens.lines)


@pytest.mark.parametrize("layers, d", [
    ([([[1, 0]], [0]), ([[1]], [0])], 2),  # one line: both regions contain a line
    ([([[1, 0], [2, 0]], [5, 1]), ([[1, -1]], [0])], 2),  # rank 1 with a bias: parallel lines
    ([([[1, 0, 0], [0, 1, 0], [1, 1, 0]], [0, "1/3", 0]), ([[1, 1, 1]], [0])], 3),  # rank 2 in 3-D
    ([([[1, 0]], [5]), ([[1], [-1]], [-1, 2]), ([[1, 1]], [0])], 2),  # lines, then later cuts
    ([([[1, 0], [0, 0], [1, 0], [-2, 0]], [0, 1, 0, 0]), ([[1, 1, 1, 1]], [0])], 2),  # dead, duplicate, opposite
    ([([[1, 1], [1, -1], [2, 2]], [0, 0, 1]), ([[1, -1, 1], [0, 1, 1]], [-1, "1/2"]), ([[1, 1]], [0])], 2),
    ([([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1]], [0, 0, 0, -1]),
      ([[1, -1, 0, 1], [0, 1, 1, -1], [1, 1, 1, 1]], [0, 1, "-1/2"]), ([[1, 1, 1]], [0])], 3),
    ([([[1], [-1], [2]], [0, 1, -3]), ([[1, 1, 1]], [0])], 1),  # d = 1
])
def test_degenerate_nets(layers, d):
    _assert_twins(network_from_layers(d, layers))


@pytest.mark.parametrize("arch", ["1-4-1", "2-6-1", "2-4-3-1", "3-7-1", "3-5-4-1", "3-4-3-3-1", "4-6-1",
                                  "4-5-3-1", "2-3-3-3-1"])
@pytest.mark.parametrize("seed", [0, 1])
def test_random_nets(arch, seed):
    net = random_network(arch, init="xavier_uniform", bias="0.01", seed=seed)
    _assert_twins(net)


def test_python_kernels_agree():
    """The cone form through the Python twin of split_parts gives the same complex."""
    net = random_network("3-6-4-1", init="xavier_uniform", bias="0.01", seed=3)
    new = _assert_twins(net)
    with kernels.pure_python():
        assert _blob(net) == new


def test_cone_form_is_used():
    """The random nets above do go through the cone form (pointed unbounded parents)."""
    net = random_network("3-5-4-1", init="xavier_uniform", bias="0.01", seed=0)
    assert _pointed_cells_used(net) > 0


def test_cone_form_round_trip():
    """A quadrant in cone form lists the row t >= 0 on its two rays; back from it, nothing changed."""
    cell = split.Cell((), [], [], Generators(((1, 0, 0),), ((0, 0, 1), (0, 1, 0)), ()), None)
    facets = [((0, 0, 1), frozenset("a"), frozenset([0]), frozenset([1])),
              ((0, 1, 0), frozenset("b"), frozenset([0]), frozenset([0]))]
    cell.facets = list(facets)
    split._to_cone(cell)
    assert cell.gens == Generators(((1, 0, 0), (0, 0, 1), (0, 1, 0)), (), ())
    assert cell.facets == [((0, 0, 1), frozenset("a"), frozenset([0, 2]), frozenset()),
                           ((0, 1, 0), frozenset("b"), frozenset([0, 1]), frozenset()),
                           ((1, 0, 0), frozenset(), frozenset([1, 2]), frozenset())]
    assert sorted(split._from_cone(cell)) == facets
    assert cell.gens == Generators(((1, 0, 0),), ((0, 0, 1), (0, 1, 0)), ())


VALUES = st.sampled_from([0, 1, -1, 2, Fraction(1, 2), Fraction(-7, 3)])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(relu_networks(input_dim=st.integers(1, 4), widths=st.lists(st.integers(1, 4), min_size=1, max_size=3),
                     weights=VALUES, degenerate=True))
def test_degenerate_random_nets(net):
    _assert_twins(net)


@st.composite
def _rank_deficient_nets(draw):
    """A first layer of rank < d (every region contains a line), then one or two more layers."""
    d = draw(st.integers(2, 4))
    rank = draw(st.integers(1, d - 1))
    n = draw(st.integers(1, 4))
    W1 = [[draw(VALUES) for _ in range(rank)] + [0] * (d - rank) for _ in range(n)]
    b1 = [draw(VALUES) for _ in range(n)]
    layers = [(W1, b1)]
    width = n
    for _ in range(draw(st.integers(1, 2))):
        m = draw(st.integers(1, 3))
        layers.append(([[draw(VALUES) for _ in range(width)] for _ in range(m)], [draw(VALUES) for _ in range(m)]))
        width = m
    layers.append(([[1] * width], [0]))
    return network_from_layers(d, layers)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_rank_deficient_nets())
def test_non_essential_nets(net):
    _assert_twins(net)


@pytest.mark.parametrize("arch", ["2-6-1", "3-5-4-1"])
def test_auto_box_unchanged(arch):
    """auto_box builds the R^d complex (deep nets): the same box with either path."""
    net = random_network(arch, init="xavier_uniform", bias="0.01", seed=1)
    with split._double_description_only():
        old = auto_box(net)
    assert auto_box(net) == old
