"""A researcher's first hour: short reprs, point location, exact evaluation, local maps,
neighbours, the adjacency graph's attributes and the per-region records.

Twins: ``locate`` against a brute-force check of every region's strict / closed sign system
(``tests/twins.pattern_rows``, built without the engine), ``net(x)`` against an independent
Fraction forward pass and against the region's local affine map.
"""

from __future__ import annotations

import dataclasses
import random
import sys
from fractions import Fraction

import pytest

from exactpoly import network_from_layers, random_network, region_complex
from exactpoly.arrangements.hyperplanes import arrangement_from_network
from exactpoly.complex.regions import REGION_COLUMNS, _html_table
from exactpoly.errors import DomainError, ExactpolyError, MissingDependencyError, NumberError, ShapeError
from exactpoly.geometry.polyhedron import polyhedron_from_box
from exactpoly.io.export import adjacency_graph, region_statistics, region_statistics_csv

try:
    from twins import evaluate_row, pattern_rows
except ImportError:  # tests/ imported as a package
    from tests.twins import evaluate_row, pattern_rows

SQUARE = network_from_layers(2, [([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [0])])
# degenerate: a dead second-layer neuron, a second-layer hyperplane through the first layer's corner
DEAD_DEEP = network_from_layers(2, [([[1, 0], [0, 1]], [0, 0]), ([[0, 0], [1, -1], [1, 1]], [0, 0, "-1"]),
                                    ([[1, 1, 1]], [0])])
CASES = [(SQUARE, 1), (DEAD_DEEP, Fraction(3, 2)), (random_network("2-4-3-1", seed=0), 1),
         (random_network("3-5-2", seed=1), 1), (random_network("2-3-1", seed=2), None),
         (network_from_layers(1, [([[1], [-1], [2]], [0, 0, "1/2"]), ([[1, 1, 0]], ["1/4"])]), 1)]
IDS = ["square", "dead_deep", "2-4-3-1", "3-5-2", "2-3-1-unbounded", "one_d"]


def _forward(net, x):
    """An independent exact forward pass (lists of Fractions, ReLU on the hidden layers)."""
    h = [Fraction(t) for t in x]
    for l in range(len(net.weights)):
        z = [net.biases[l][i] + sum(net.weights[l][i][j] * h[j] for j in range(len(h)))
             for i in range(len(net.weights[l]))]
        h = z if l == len(net.weights) - 1 else [max(t, Fraction(0)) for t in z]
    return tuple(h)


def _brute_locate(cx, x):
    """Every region's sign system at x: the open one, else all whose closures contain x."""
    systems = [pattern_rows(cx.network, r.pattern, cx.box) for r in cx.regions]
    inside = [i for i, rows in enumerate(systems) if all(evaluate_row(row, x) > 0 for row in rows)]
    if inside:
        assert len(inside) == 1, (x, inside)   # open regions are disjoint
        return tuple(inside)
    return tuple(i for i, rows in enumerate(systems) if all(evaluate_row(row, x) >= 0 for row in rows))


def _apply(amap, x):
    A, c = amap
    return tuple(ci + sum(a * t for a, t in zip(row, x)) for row, ci in zip(A, c))


def _test_points(cx, n_random=40, seed=0):
    """Interior points, vertices, edge midpoints, and random rational points (small denominators,
    so that some fall on hyperplanes and box walls, some outside the box)."""
    rng = random.Random(seed)
    d = cx.input_dim
    pts = [r.interior_point for r in cx.regions]
    for r in cx.regions:
        vs = r.vertices
        pts += list(vs[:3])
        if len(vs) >= 2:
            pts.append(tuple((a + b) / 2 for a, b in zip(vs[0], vs[-1])))
    B = cx.box if cx.box is not None else Fraction(2)
    for _ in range(n_random):
        den = rng.choice([1, 2, 4, 7])
        lim = int((B + Fraction(1, 2)) * den)
        pts.append(tuple(Fraction(rng.randint(-lim, lim), den) for _ in range(d)))
    return pts


@pytest.fixture(scope="module", params=range(len(CASES)), ids=IDS)
def cx(request):
    net, B = CASES[request.param]
    return region_complex(net, box=B)


# ----------------------------------------------------------------------------- reprs


def test_short_reprs_say_what_the_object_is():
    cx = region_complex(SQUARE, box=1)
    assert repr(cx) == "<RegionComplex 2-2-1 box [-1,1]^2: 4 regions, 16 facets>"
    assert repr(cx.regions[1]) == "<Region 01: 4 facets, 4 vertices>"
    assert repr(SQUARE) == "<ReluNetwork 2-2-1>"
    assert repr(polyhedron_from_box(1, 3)) == "<Polyhedron in R^3: 6 rows>"
    assert repr(arrangement_from_network(SQUARE)) == "<Arrangement of 2 hyperplanes in R^2>"
    ux = region_complex(SQUARE, box=None)
    assert repr(ux) == "<RegionComplex 2-2-1 R^2: 4 regions, 8 facets>"
    assert repr(ux.regions[0]) == "<Region 00: 2 facets, 1 vertex, 2 rays>"
    half = region_complex(SQUARE, box="1/2")
    assert repr(half).startswith("<RegionComplex 2-2-1 box [-1/2,1/2]^2: ")


def test_repr_stays_short_on_a_large_complex():
    cx = region_complex(random_network("3-12-1", seed=3), box=1)
    assert cx.n_regions > 100
    text = repr(cx)
    assert len(text) < 100
    assert f"{cx.n_regions:,} regions" in text and f"{cx.facets_total:,} facets" in text
    assert all(len(repr(r)) < 80 for r in cx.regions)


def test_custom_reprs_keep_equality_and_hashing():
    cx = region_complex(SQUARE, box=1)
    cy = region_complex(SQUARE, box=1)
    assert cx.regions == cy.regions and hash(cx.regions[2]) == hash(cy.regions[2])
    assert dataclasses.replace(cx.regions[0]) == cx.regions[0]
    assert cx.regions[0] != cx.regions[1]
    assert cx != cy and cx == cx          # a complex compares by identity, as before
    other = network_from_layers(2, [([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [0])])
    assert other == SQUARE and hash(other) == hash(SQUARE)
    assert polyhedron_from_box(1, 2) == polyhedron_from_box(1, 2)
    assert hash(arrangement_from_network(SQUARE)) == hash(arrangement_from_network(other))


def test_html_reprs_are_tables_of_the_summary():
    cx = region_complex(SQUARE, box=1)
    h = cx._repr_html_()
    assert h.startswith("<table><caption>RegionComplex</caption>") and h.endswith("</table>")
    assert "<td style=\"text-align:left\">2-2-1</td>" in h and "box [-1,1]^2" in h
    assert "<td style=\"text-align:left\">16</td>" in h      # facets total
    n = SQUARE._repr_html_()
    assert "<caption>ReluNetwork</caption>" in n and "<td style=\"text-align:left\">9</td>" in n  # parameters


def test_html_table_escapes_every_cell():
    h = _html_table("<T&>", [("a<b", "x & \"y\" <script>")])
    assert "<script>" not in h and "a<b" not in h and "<T&>" not in h
    assert "x &amp; &quot;y&quot; &lt;script&gt;" in h and "&lt;T&amp;&gt;" in h


# ----------------------------------------------------------------------------- point location


def test_locate_agrees_with_brute_force_over_every_region(cx):
    for x in _test_points(cx):
        assert cx.locate(x) == _brute_locate(cx, x), x


def test_locate_interior_points_and_shared_boundaries(cx):
    for i, r in enumerate(cx.regions):
        assert cx.locate(r.interior_point) == (i,)
        assert r.contains(r.interior_point) and r.contains(r.interior_point, closed=True)
    for v in (v for r in cx.regions for v in r.vertices):
        found = cx.locate(v)
        assert found == tuple(sorted(found)) and found
        assert all(not cx.regions[i].contains(v) and cx.regions[i].contains(v, closed=True) for i in found)


def test_locate_examples_and_outside_the_box():
    cx = region_complex(SQUARE, box=1)
    assert cx.locate(["1/2", "1/2"]) == (cx._index[(1, 1)],)
    assert cx.locate([0, 0]) == (0, 1, 2, 3)
    assert cx.locate([1, "1/2"]) == (cx._index[(1, 1)],)       # on the box wall: the closure
    assert cx.locate([2, 0]) == () and cx.locate(["-1.5", "0.25"]) == ()
    assert cx.locate([0.5, -0.5]) == (cx._index[(1, 0)],)      # floats are their exact binary value
    assert region_complex(SQUARE, box=None).locate([100, -7]) == (2,)


def test_region_contains_matches_its_sign_system_and_its_polyhedron(cx):
    for x in _test_points(cx, n_random=15, seed=1):
        for r in cx.regions:
            rows = pattern_rows(cx.network, r.pattern, cx.box)
            assert r.contains(x) == all(evaluate_row(row, x) > 0 for row in rows)
            assert r.contains(x, closed=True) == all(evaluate_row(row, x) >= 0 for row in rows)
            assert r.contains(x, closed=True) == r.to_polyhedron().contains(x)


def test_to_polyhedron_has_the_region_geometry(cx):
    for r in cx.regions:
        P = r.to_polyhedron()
        assert P.is_full_dimensional
        assert P.vertices == r.vertices and P.rays == r.rays
        assert [f.row for f in P.facets] == [f.row for f in r.facets]
        if r.is_bounded:
            assert P.volume == r.volume


def test_point_arguments_are_checked():
    cx = region_complex(SQUARE, box=1)
    with pytest.raises(DomainError, match="x: expected 2 coordinates, got 3"):
        cx.locate([0, 0, 0])
    with pytest.raises(DomainError, match="x: expected 2 coordinates"):
        cx.regions[0].contains([1])
    with pytest.raises(DomainError, match="x: expected a sequence"):
        cx.locate("00")
    with pytest.raises(NumberError, match=r"x\[1\]"):
        cx.locate([0, float("nan")])
    with pytest.raises(DomainError, match="i: expected a region index 0..3, got 4"):
        cx.neighbors(4)
    with pytest.raises(DomainError, match="i: expected a region index"):
        cx.affine_map(-1)
    with pytest.raises(ShapeError, match="x: expected 2 coordinates"):
        SQUARE([1])
    with pytest.raises(ShapeError, match="x: expected a sequence"):
        SQUARE.evaluate(3)
    assert issubclass(DomainError, ExactpolyError) and issubclass(ShapeError, ExactpolyError)


# ----------------------------------------------------------------------------- exact evaluation


def test_evaluate_is_the_exact_forward_pass_and_the_local_affine_map(cx):
    net = cx.network
    for x in _test_points(cx, seed=2):
        y = net(x)
        assert all(type(t) is Fraction for t in y) and len(y) == net.output_dim
        assert y == net.evaluate(x) == _forward(net, x)
        for i in cx.locate(x):       # continuous: every region's map agrees on its closure
            assert _apply(cx.affine_map(i), x) == y


def test_affine_map_of_a_region_equals_the_complex_one(cx):
    for i, r in enumerate(cx.regions):
        assert r.affine_map(cx.network) == cx.affine_map(i)
        A, c = cx.affine_map(i)
        assert len(A) == len(c) == cx.network.output_dim and all(len(row) == cx.input_dim for row in A)


def test_evaluate_reads_numbers_exactly():
    net = network_from_layers(1, [([[1]], [0]), ([["1/3"]], [0])])
    assert net([0.1]) == (Fraction(3602879701896397, 36028797018963968) / 3,)
    assert net(["-5"]) == (Fraction(0),)
    assert net((Fraction(3, 7),)) == (Fraction(1, 7),)


# ----------------------------------------------------------------------------- neighbours, graph, records


def test_neighbors_come_from_the_edges(cx):
    for i in range(cx.n_regions):
        expected = sorted({v for u, v, _ in cx.edges if u == i} | {u for u, v, _ in cx.edges if v == i})
        assert cx.neighbors(i) == tuple(expected) == tuple(sorted(cx.graph.neighbors(i)))


def test_graph_carries_the_graphml_attributes(cx):
    g = adjacency_graph(cx)
    assert dict(cx.graph.graph) == dict(g.graph)
    assert list(cx.graph.nodes) == list(g.nodes)
    for i in cx.graph.nodes:
        assert cx.graph.nodes[i] == g.nodes[i]
        assert cx.graph.nodes[i]["neighbours"] == cx.graph.degree(i)
    assert sorted(cx.graph.edges) == sorted(g.edges)
    for u, v, neurons in cx.edges:
        assert cx.graph.edges[u, v]["neurons"] == neurons
        assert g.edges[u, v]["neurons"] == " ".join(f"{a}:{b}" for a, b in neurons)
    if cx.box is not None:
        assert {"simplices", "volume", "volume_float"} <= set(cx.graph.nodes[0])
    else:
        assert "volume" not in cx.graph.nodes[0]


def test_to_records_are_the_csv_rows(cx):
    recs = cx.to_records()
    assert recs == region_statistics(cx)
    assert [tuple(r) for r in recs] == [REGION_COLUMNS] * cx.n_regions
    header, *lines = region_statistics_csv(cx).splitlines()
    assert header.split(",") == list(REGION_COLUMNS) and len(lines) == cx.n_regions
    for i, (r, rec) in enumerate(zip(cx.regions, recs)):
        assert rec["region"] == i and rec["pattern"] == r.pattern_string
        assert rec["neighbours"] == len(cx.neighbors(i))
        assert rec["volume"] == (r.volume if cx.box is not None else None)
    if cx.box is not None:
        assert sum(rec["volume"] for rec in recs) == (2 * cx.box) ** cx.input_dim


def test_to_dataframe_without_pandas_names_the_dependency(monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)     # import pandas raises ImportError
    cx = region_complex(SQUARE, box=1)
    with pytest.raises(MissingDependencyError, match="to_dataframe needs pandas"):
        cx.to_dataframe()


def test_to_dataframe_has_exact_columns_and_float_companions():
    pytest.importorskip("pandas")
    cx = region_complex(SQUARE, box="1/2")
    df = cx.to_dataframe()
    assert list(df.columns) == [*REGION_COLUMNS, "volume_float", "interior_point_float"]
    assert list(df["volume"]) == [Fraction(1, 4)] * 4
    assert list(df["volume_float"]) == [0.25] * 4
    assert list(df["pattern"]) == ["00", "01", "10", "11"]
