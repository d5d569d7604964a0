"""The shared example nets against their exact expected answers, and nets derived by hand."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest

from exactpoly import region_complex, summary
from exactpoly.network import network_from_layers, read_network

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
EXPECTED = json.loads((EXAMPLES / "expected_box1.json").read_text())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_expected_box1(name):
    want = EXPECTED[name]
    got = summary(region_complex(read_network(EXAMPLES / name), box=want["box"]))
    assert got["domain"] == {"box": want["box"]}
    for key, value in want.items():
        if key != "box":
            assert got[key] == value, key


def test_square_cross_by_hand():
    # ReLU(x), ReLU(y) on [-1, 1]^2: the axes cut the square into 4 unit squares.
    # Each quadrant: 4 facets (2 walls, 2 axes), 4 vertices, 2 triangles, area 1.
    # Adjacency: a 4-cycle. The facet on x = 0 of the quadrant x > 0 is supported by
    # neuron (0, 0), its walls are x = 1 and y = ±1.
    net = read_network(EXAMPLES / "square_cross_2d.json")
    cx = region_complex(net, box=1)
    r = cx.region_of_pattern("10")  # x > 0, y < 0
    assert r.vertices == ((0, -1), (0, 0), (1, -1), (1, 0))
    supports = sorted((f.neurons, f.walls) for f in r.facets)
    assert supports == [((), ((0, 1),)), ((), ((1, -1),)), (((0, 0),), ()), (((0, 1),), ())]
    assert sorted(cx.graph.degree[i] for i in cx.graph) == [2, 2, 2, 2]


def test_three_parallel_lines_by_hand():
    # d = 1 is too easy; take d = 2 with ReLU(x), ReLU(x - 1/2), ReLU(2x - 1) (a duplicate of
    # the second hyperplane) and a dead neuron 0·x + 0 on B = 1.
    # Lines x = 0 and x = 1/2 cut the square into strips [-1,0], [0,1/2], [1/2,1] (all x 2):
    # regions 3, each a rectangle: facets 4 + 4 + 4 = 12, vertices 12, simplices 6,
    # volume 2 + 1 + 1 = 4, adjacency edges 2 (a path).
    # Patterns (neurons x, x-1/2, 2x-1, dead): 0000, 1000, 1110.
    # The facet x = 1/2 of the right strip is supported by neurons 1 and 2 (one facet).
    net = network_from_layers(2, [([[1, 0], [1, 0], [2, 0], [0, 0]], [0, "-1/2", -1, 0]),
                                  ([[1, 1, 1, 1]], [0])])
    cx = region_complex(net, box=1)
    s = summary(cx)
    assert [r.pattern_string for r in cx.regions] == ["0000", "1000", "1110"]
    assert (s["regions"], s["facets_total"], s["vertices_total"], s["simplices_total"]) == (3, 12, 12, 6)
    assert s["volume_total"] == "4" and s["adjacency_edges"] == 2
    assert [r.volume for r in cx.regions] == [Fraction(2), Fraction(1), Fraction(1)]
    right = cx.region_of_pattern("1110")
    (f,) = [f for f in right.facets if f.neurons]
    assert f.neurons == ((0, 1), (0, 2)) and f.row == (-1, 2, 0)
    edge = cx.graph.edges[cx._index[(1, 0, 0, 0)], cx._index[(1, 1, 1, 0)]]
    assert edge["neurons"] == ((0, 1), (0, 2))


def test_neuron_on_box_wall_and_through_corner_by_hand():
    # Neurons: ReLU(x + 1) lies on the wall x = -1 of B = 1 (never cuts, always on);
    # ReLU(x + y + 2) touches the box only at the corner (-1, -1) (never cuts, on);
    # ReLU(x - y) is the diagonal through the corners (-1,-1) and (1,1).
    # Regions: the two triangles, patterns 110 (x < y) and 111 (x > y).
    # Triangle x > y: vertices (-1,-1), (1,-1), (1,1); facets y = -1 (wall), x = 1 (wall),
    # the diagonal (neuron 2). Triangle x < y: facets x = -1 (wall AND neuron 0: one facet),
    # y = 1 (wall) and the diagonal. Totals: 2 regions, 6 facets, 6 vertices, 2 simplices,
    # 1 edge. The corner neuron 1 supports nothing (it meets the closure in a point).
    net = network_from_layers(2, [([[1, 0], [1, 1], [1, -1]], [1, 2, 0]), ([[1, 1, 1]], [0])])
    cx = region_complex(net, box=1)
    s = summary(cx)
    assert [r.pattern_string for r in cx.regions] == ["110", "111"]
    assert (s["regions"], s["facets_total"], s["vertices_total"], s["simplices_total"],
            s["adjacency_edges"]) == (2, 6, 6, 2, 1)
    upper = cx.region_of_pattern("110")
    left = [f for f in upper.facets if (0, -1) in f.walls]
    assert len(left) == 1 and left[0].neurons == ((0, 0),)
    assert all((0, 1) not in f.neurons for r in cx.regions for f in r.facets)


def test_unbounded_cross():
    # ReLU(x), ReLU(y) on R^2: four quadrants, each a cone with apex 0 and 2 rays, 2 facets.
    net = read_network(EXAMPLES / "square_cross_2d.json")
    cx = region_complex(net, box=None)
    s = summary(cx)
    assert s["domain"] == {"unbounded": True}
    assert (s["regions"], s["facets_total"], s["vertices_total"], s["adjacency_edges"]) == (4, 8, 4, 4)
    assert s["simplices_total"] is None and s["volume_total"] is None
    assert cx.region_of_pattern("11").rays == ((0, 1), (1, 0))


def test_unbounded_strips_have_no_vertices():
    # Two parallel lines x = 0, x = 1 in R^2: three strips/half-planes, none has a vertex.
    net = network_from_layers(2, [([[1, 0], [1, 0]], [0, -1]), ([[1, 1]], [0])])
    cx = region_complex(net, box=None)
    assert cx.n_regions == 3 and cx.vertices_total == 0
    assert all(r.lines for r in cx.regions)


def test_box_auto_matches_unbounded_counts():
    net = read_network(EXAMPLES / "random_3-7-1_seed0.json")
    unb = region_complex(net, box=None)
    auto = region_complex(net, box="auto")
    assert auto.n_regions == unb.n_regions == 64  # 7 planes in general position: sum C(7, i<=3)
    assert sorted(r.pattern for r in auto.regions) == sorted(r.pattern for r in unb.regions)
    B = auto.box
    # every vertex of the R^d complex strictly inside the box
    assert all(abs(x) < B for r in unb.regions for v in r.vertices for x in v)
    assert auto.volume_total == (2 * B) ** 3


def test_no_hidden_layer_is_one_region():
    net = network_from_layers(2, [([[1, 1]], [0])])
    cx = region_complex(net, box="1/2")
    assert cx.n_regions == 1 and cx.regions[0].pattern == () and cx.volume_total == 1


def test_delaunay_second_method_on_examples():
    # both triangulations tile each region: same volume; on the 3-7-1 example the
    # totals differ, which is why every table names its method
    net = read_network(EXAMPLES / "random_3-7-1_seed0.json")
    cx = region_complex(net, box=1)
    from exactpoly.geometry.triangulation import simplex_volume
    for r in cx.regions:
        vol = sum(simplex_volume([r.vertices[i] for i in s]) for s in r.delaunay_simplices)
        assert vol == r.volume
    assert sum(len(r.delaunay_simplices) for r in cx.regions) >= cx.n_regions
