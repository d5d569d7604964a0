"""Property tests of exactpoly.complex against an independent brute-force twin.

Everything is compared exactly (``==`` on Fractions and integer rows, never a
tolerance). The networks are small (at most 6 hidden neurons) but deliberately
degenerate: duplicated, scaled, opposite and parallel neurons, dead and constant
neurons, zero biases, first-layer hyperplanes through a box corner or on a box wall,
deeper neurons that relay an earlier neuron (so their bent hyperplane runs exactly
along an earlier facet). See docs/conventions.md for the conventions and docs/property-testing.md for the checks.
"""

from __future__ import annotations

from fractions import Fraction as F
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactpoly import region_complex, summary
from exactpoly.network import network_from_layers, permute_neurons, rescale_neuron
from exactpoly.rational import format_fraction

try:
    from twins import brute_force_complex, evaluate_row, pattern_rows
except ImportError:  # tests/ imported as a package
    from tests.twins import brute_force_complex, evaluate_row, pattern_rows


# ----------------------------------------------------------------------------- strategies

VALUES = [F(-2), F(-1), F(0), F(1), F(2), F(1, 2), F(-1, 2), F(3, 2), F(-3, 2)]
BIAS_VALUES = [F(-1), F(-1, 2), F(0), F(1, 2), F(1), F(1, 3), F(-2)]
SCALES = [F(2), F(1, 2), F(3), F(-1), F(-2), F(-1, 2)]
BOXES = [F(1), F(1, 2), F(3)]
# "random" is listed several times to weight it
FIRST_KINDS = ["random"] * 9 + ["zero_bias", "dup", "opposite", "scaled", "parallel",
                                "dead", "const", "corner", "wall"]
DEEP_KINDS = ["random"] * 9 + ["zero_bias", "dup", "opposite", "scaled", "parallel",
                               "dead", "const", "relay", "relay_sum"]

values = st.sampled_from(VALUES)
boxes = st.sampled_from(BOXES)


@st.composite
def relu_nets(draw, dims=(1, 2, 3), max_depth=3, max_width=3, max_total=6, box=None):
    """Small ReLU networks with rational weights chosen to provoke degeneracy.

    *box* (the B the net will be tested on, or None) scales the biases of most nets
    so that their hyperplanes tend to cut the box.
    """
    d = draw(st.sampled_from(dims))
    scale = F(1) if box is None else draw(st.sampled_from([F(box), F(box), F(1)]))
    bias_values = st.sampled_from([scale * v for v in BIAS_VALUES])
    corner_boxes = st.sampled_from(BOXES if box is None else [F(box), F(box), *BOXES])
    depth = draw(st.integers(1, max_depth))
    widths, remaining = [], max_total
    for l in range(depth):
        top = min(max_width, remaining - (depth - l - 1))
        # prefer wide layers (more cuts), the first layer especially
        choices = [top] * (2 if l == 0 else 1) + list(range(top, 0, -1))
        widths.append(draw(st.sampled_from(choices)))
        remaining -= widths[-1]
    layers, prev = [], d
    for l, n in enumerate(widths):
        W, b = [], []
        for _ in range(n):
            kind = draw(st.sampled_from(FIRST_KINDS if l == 0 else DEEP_KINDS))
            if kind in ("dup", "opposite", "scaled", "parallel") and not W:
                kind = "random"
            if kind in ("random", "zero_bias"):
                w = [draw(values) for _ in range(prev)]
                c = F(0) if kind == "zero_bias" else draw(bias_values)
            elif kind in ("dup", "opposite", "scaled", "parallel"):
                k = draw(st.integers(0, len(W) - 1))
                if kind == "scaled":
                    s = draw(st.sampled_from(SCALES))
                else:
                    s = F(-1) if kind == "opposite" else F(1)
                w = [s * x for x in W[k]]
                c = draw(bias_values) if kind == "parallel" else s * b[k]
            elif kind == "dead":
                w, c = [F(0)] * prev, F(0)
            elif kind == "const":
                w, c = [F(0)] * prev, draw(st.sampled_from([F(-1), F(1), F(1, 2)]))
            elif kind == "corner":  # first layer: hyperplane through a corner of a tested box
                w = [draw(values) for _ in range(prev)]
                if not any(w):
                    w[0] = F(1)
                Bc = draw(corner_boxes)
                corner = [Bc * draw(st.sampled_from([-1, 1])) for _ in range(prev)]
                c = -sum(a * x for a, x in zip(w, corner))
            elif kind == "wall":  # first layer: hyperplane x_j = ±B of a tested box
                j = draw(st.integers(0, prev - 1))
                sgn = draw(st.sampled_from([F(-1), F(1), F(2)]))
                w = [F(0)] * prev
                w[j] = sgn
                c = abs(sgn) * draw(corner_boxes) * draw(st.sampled_from([-1, 1]))
            elif kind == "relay":  # z = ±h_k (+ bias): zero set along an earlier facet
                k = draw(st.integers(0, prev - 1))
                w = [F(0)] * prev
                w[k] = draw(st.sampled_from([F(1), F(-1), F(2)]))
                c = scale * draw(st.sampled_from([F(0), F(0), F(-1, 2), F(1)]))
            elif kind == "relay_sum":
                w = [F(0)] * prev
                for k in draw(st.sets(st.integers(0, prev - 1), min_size=1)):
                    w[k] = draw(st.sampled_from([F(1), F(-1)]))
                c = scale * draw(st.sampled_from([F(0), F(-1, 2)]))
            else:  # pragma: no cover
                raise AssertionError(kind)
            W.append(w)
            b.append(c)
        layers.append((W, b))
        prev = n
    layers.append(([[1] * prev], [0]))
    return network_from_layers(d, layers)


def nets_with_box(box_choices=tuple(BOXES), **kw):
    """``(net, B)``: B drawn first, then a net whose biases are scaled to B."""
    return st.sampled_from(box_choices).flatmap(
        lambda B: st.tuples(relu_nets(box=B, **kw), st.just(B)))


# ----------------------------------------------------------------------------- helpers


def complex_data(cx):
    """The complex as plain data, in the twin's format."""
    regions = {}
    for r in cx.regions:
        facets = {f.row: (f.neurons, f.walls) for f in r.facets}
        assert len(facets) == len(r.facets), f"duplicate facet rows in region {r.pattern}"
        regions[r.pattern] = {"facets": facets, "vertices": set(r.vertices)}
    assert len(regions) == len(cx.regions), "duplicate patterns"
    adj = {frozenset((cx.regions[u].pattern, cx.regions[v].pattern)) for u, v in cx.graph.edges}
    return regions, adj


def assert_same(got, want, compare_vertices=True):
    (gr, ga), (wr, wa) = got, want
    assert sorted(gr) == sorted(wr), "patterns differ"
    for p in sorted(wr):
        assert gr[p]["facets"] == wr[p]["facets"], f"facets of region {p}"
        if compare_vertices:
            assert gr[p]["vertices"] == wr[p]["vertices"], f"vertices of region {p}"
    assert ga == wa, ("adjacency differs: extra " + repr(ga - wa) + ", missing " + repr(wa - ga))


def check_structure(cx):
    """Documented orders and internal consistency of one complex."""
    net = cx.network
    N = net.n_hidden_neurons
    pats = [r.pattern for r in cx.regions]
    assert pats == sorted(pats) and len(set(pats)) == len(pats)
    assert sorted(cx.graph.nodes) == list(range(len(cx.regions)))
    for i, r in enumerate(cx.regions):
        assert len(r.pattern) == N and set(r.pattern) <= {0, 1}
        assert cx.graph.nodes[i]["pattern"] == r.pattern_string
        rows = [f.row for f in r.facets]
        assert rows == sorted(rows)
        assert list(r.vertices) == sorted(set(r.vertices))
        for f in r.facets:
            assert f.neurons or f.walls, f"facet {f.row} of {r.pattern} has no support"
            assert list(f.neurons) == sorted(set(f.neurons))
            assert list(f.walls) == sorted(set(f.walls))
            if cx.box is not None:
                on = tuple(k for k, v in enumerate(r.vertices) if evaluate_row(f.row, v) == 0)
                assert f.vertices == on, f"facet {f.row} vertex incidences of {r.pattern}"
        # the interior point is in the open region defined by the pattern (twin's rows)
        prow = pattern_rows(net, r.pattern, cx.box)
        assert prow is not None, f"pattern {r.pattern} breaks the dead/constant-neuron rule"
        for row in prow:
            assert evaluate_row(row, r.interior_point) > 0, (r.pattern, row)


def twin_check(net, B):
    cx = region_complex(net, box=B)
    check_structure(cx)
    assert_same(complex_data(cx), brute_force_complex(net, B), compare_vertices=B is not None)
    return cx


# ----------------------------------------------------------------------------- regression nets

# name -> (input_dim, layers); all with B = 1 in mind
REGRESSION_NETS = {
    # neuron 1 duplicates neuron 0
    "duplicate": (2, [([[1, 0], [1, 0], [0, 1]], [0, 0, 0]), ([[1, 1, 1]], [0])]),
    # (w, b) and (-w, -b)
    "opposite": (1, [([[1], [-1]], [0, 0]), ([[1, 1]], [0])]),
    "opposite_2d": (2, [([[1, 2], [-1, -2], [1, -1]], ["1/2", "-1/2", 0]), ([[1, 1, 1]], [0])]),
    # layer-2 neuron 0 has an all-zero row; neuron (1, 1) relays relu(x)+relu(y)
    "dead_layer2": (2, [([[1, 0], [0, 1]], [0, 0]), ([[0, 0], [1, 1]], [0, 0]), ([[1, 1]], [0])]),
    # layer-2 neuron z = relu(x) - relu(y): its zero set is the layer-1 facet x = 0 where
    # y < 0, the facet y = 0 where x < 0, the diagonal where both are on
    "through_facet": (2, [([[1, 0], [0, 1]], [0, 0]), ([[1, -1]], [0]), ([[1]], [0])]),
    # x + y + 2 = 0 touches the box [-1, 1]^2 only at the corner (-1, -1); x = y joins two
    # corners; -x + 2y - 1 = 0 passes through the corner (1, 1) and cuts
    "corner": (2, [([[1, 1], [1, -1]], [2, 0]), ([[1, 1]], [0])]),
    "corner_cut": (2, [([[-1, 2]], [-1]), ([[1]], [0])]),
    # neuron x0 + 1 = 0 coincides with the box wall x0 = -1 (row (1, 1, 0) for B = 1)
    "wall": (2, [([[1, 0], [0, 1]], [1, 0]), ([[1, 1]], [0])]),
    # a layer-2 neuron on the wall x1 = 1 (relu(y) = y on y > 0)
    "wall_layer2": (2, [([[1, 0], [0, 1]], [0, 0]), ([[0, 1]], [-1]), ([[1]], [0])]),
    # three concurrent lines through the origin
    "concurrent": (2, [([[1, 0], [0, 1], [1, 1]], [0, 0, 0]), ([[1, 1, 1]], [0])]),
    # three planes through one line in 3-D, and a parallel pair
    "pencil_3d": (3, [([[1, 0, 0], [0, 1, 0], [1, 1, 0], [1, 0, 0]], [0, 0, 0, "-1/2"]),
                      ([[1, 1, 1, 1]], [0])]),
    # constant neurons (+ and -) and a sawtooth-like second layer
    "constants": (1, [([[0], [0], [2]], [1, -1, -1]), ([[1, 0, -2], [0, 0, 1]], [0, "-1/2"]),
                      ([[1, 1]], [0])]),
}


def regression_net(name):
    d, layers = REGRESSION_NETS[name]
    return network_from_layers(d, layers)


@pytest.mark.parametrize("B", [F(1), F(1, 2), F(3), None], ids=["B=1", "B=1/2", "B=3", "Rd"])
@pytest.mark.parametrize("name", sorted(REGRESSION_NETS))
def test_regression_nets_match_twin(name, B):
    net = regression_net(name)
    cx = twin_check(net, B)
    check_counts_and_graph(cx)


def _numbers(cx):
    s = summary(cx)
    return s["regions"], s["facets_total"], s["vertices_total"], s["adjacency_edges"]


def test_duplicate_by_hand():
    # Lines x = 0 (neurons 0 and 1, identical) and y = 0 cut [-1, 1]^2 into four unit
    # squares; each has 4 facets and 4 vertices -> 4 regions, 16 facets, 16 vertices;
    # the squares form a 4-cycle -> 4 edges. Neurons 0 and 1 always agree.
    cx = region_complex(regression_net("duplicate"), box=1)
    assert _numbers(cx) == (4, 16, 16, 4)
    assert [r.pattern for r in cx.regions] == [(0, 0, 0), (0, 0, 1), (1, 1, 0), (1, 1, 1)]
    for r in cx.regions:
        f = next(f for f in r.facets if f.row in ((0, 1, 0), (0, -1, 0)))
        assert f.neurons == ((0, 0), (0, 1)) and f.walls == ()


def test_opposite_by_hand():
    # On [-1, 1]: x < 0 has pattern (0, 1), x > 0 has (1, 0); each interval has the wall and
    # the point 0 (supported by both neurons) as facets -> 2 regions, 4 facets, 4 vertices,
    # 1 edge.
    cx = region_complex(regression_net("opposite"), box=1)
    assert _numbers(cx) == (2, 4, 4, 1)
    assert [r.pattern for r in cx.regions] == [(0, 1), (1, 0)]
    assert cx.regions[0].facets[0].row == (0, -1) and cx.regions[0].facets[0].neurons == ((0, 0), (0, 1))
    assert cx.graph.edges[0, 1]["neurons"] == ((0, 0), (0, 1))


def test_dead_layer2_by_hand():
    # Layer 1: x = 0, y = 0 -> four squares. Layer-2 neuron 0 is dead (bit 0 everywhere).
    # Layer-2 neuron 1 is z = relu(x) + relu(y): identically 0 on x<0,y<0 (dead, bit 0),
    # positive elsewhere (bit 1, no cut). So 4 regions, 16 facets, 16 vertices, 4 edges.
    # On the square x<0<y the facet y = 0 is also the zero set of z = y, so neuron (1, 1)
    # supports it too.
    cx = region_complex(regression_net("dead_layer2"), box=1)
    assert _numbers(cx) == (4, 16, 16, 4)
    assert [r.pattern for r in cx.regions] == [(0, 0, 0, 0), (0, 1, 0, 1), (1, 0, 0, 1), (1, 1, 0, 1)]
    r = cx.region_of_pattern("0101")
    f = next(f for f in r.facets if f.row == (0, 0, 1))
    assert f.neurons == ((0, 1), (1, 1))
    r = cx.region_of_pattern("0000")
    assert all((1, 1) not in f.neurons for f in r.facets)


def test_through_facet_by_hand():
    # Layer 1 cuts [-1,1]^2 into 4 squares. z = relu(x) - relu(y):
    #   x<0,y<0: z == 0 dead               -> (0,0,0), square: 4 facets, 4 vertices
    #   x<0,y>0: z = -y < 0 (facet y=0)    -> (0,1,0), square: 4, 4
    #   x>0,y<0: z = x > 0 (facet x=0)     -> (1,0,1), square: 4, 4
    #   x>0,y>0: z = x - y cuts the diagonal -> (1,1,0) triangle (0,0),(0,1),(1,1): 3, 3
    #                                       and (1,1,1) triangle (0,0),(1,0),(1,1): 3, 3
    # -> 5 regions, 18 facets, 18 vertices. Edges: 000-010, 000-101, 010-110 (x = 0),
    # 101-111 (y = 0), 110-111 (diagonal) -> 5. Euler: 9 vertices, 13 segments, 5 faces.
    cx = region_complex(regression_net("through_facet"), box=1)
    assert _numbers(cx) == (5, 18, 18, 5)
    assert [r.pattern_string for r in cx.regions] == ["000", "010", "101", "110", "111"]
    edges = {frozenset((cx.regions[u].pattern_string, cx.regions[v].pattern_string))
             for u, v in cx.graph.edges}
    assert edges == {frozenset(e) for e in [("000", "010"), ("000", "101"), ("010", "110"),
                                             ("101", "111"), ("110", "111")]}
    f = next(f for f in cx.region_of_pattern("101").facets if f.row == (0, 1, 0))
    assert f.neurons == ((0, 0), (1, 0))
    f = next(f for f in cx.region_of_pattern("010").facets if f.row == (0, 0, 1))
    assert f.neurons == ((0, 1), (1, 0))
    assert euler_2d(cx) == (9, 13, 5)


def test_corner_by_hand():
    # x + y + 2 > 0 on the open box (it touches only the corner (-1,-1)): bit 1, no cut, no
    # facet. x - y = 0 joins the corners (-1,-1), (1,1): two triangles, 3 facets and
    # 3 vertices each -> 2 regions, 6 facets, 6 vertices, 1 edge.
    cx = region_complex(regression_net("corner"), box=1)
    assert _numbers(cx) == (2, 6, 6, 1)
    assert [r.pattern for r in cx.regions] == [(1, 0), (1, 1)]
    assert all((0, 0) not in f.neurons for r in cx.regions for f in r.facets)
    # -x + 2y - 1 = 0 runs from (-1, 0) to the corner (1, 1): a triangle above, a
    # quadrilateral below -> 2 regions, 7 facets, 7 vertices, 1 edge.
    cx = region_complex(regression_net("corner_cut"), box=1)
    assert _numbers(cx) == (2, 7, 7, 1)


def test_wall_by_hand():
    # Neuron 0 is x + 1 >= 0 on the box: bit 1, and its zero set is the wall x = -1, so that
    # facet is supported by the wall (0, -1) and neuron (0, 0) (one facet, not two).
    # y = 0 halves the box: 2 regions x 4 facets, 8 vertices, 1 edge.
    cx = region_complex(regression_net("wall"), box=1)
    assert _numbers(cx) == (2, 8, 8, 1)
    for r in cx.regions:
        f = r.facets[[f.row for f in r.facets].index((1, 1, 0))]
        assert f.neurons == ((0, 0),) and f.walls == ((0, -1),)


def test_concurrent_by_hand():
    # x = 0, y = 0, x + y = 0 through the origin; the diagonal joins the corners (-1, 1) and
    # (1, -1). Quadrants I and III stay squares (4 facets, 4 vertices); II and IV split into
    # two triangles each (3, 3) -> 6 regions, 20 facets, 20 vertices; the regions form a
    # 6-cycle around the origin (opposite ones meet in a point only) -> 6 edges.
    # Euler: 9 vertices - 14 segments + 6 faces = 1.
    cx = region_complex(regression_net("concurrent"), box=1)
    assert _numbers(cx) == (6, 20, 20, 6)
    assert sorted(d for _, d in cx.graph.degree) == [2] * 6
    assert euler_2d(cx) == (9, 14, 6)


# ----------------------------------------------------------------------------- invariants


def check_counts_and_graph(cx):
    """Volumes, facets <-> neighbours, history: the twin-free properties."""
    n = len(cx.regions)
    assert cx.history[0] == 1 and cx.history[-1] == n
    assert len(cx.history) == cx.network.n_hidden_layers + 1
    assert all(a <= b for a, b in zip(cx.history, cx.history[1:]))
    if cx.box is not None:
        vols = [r.volume for r in cx.regions]
        assert all(v > 0 for v in vols)
        total = sum(vols, F(0))
        assert total == (2 * cx.box) ** cx.input_dim
        assert cx.volume_total == total
        assert summary(cx)["volume_total"] == format_fraction(total)
    rows_of = [{f.row: f for f in r.facets} for r in cx.regions]
    for u, v, data in cx.graph.edges(data=True):
        assert data["neurons"], f"edge {u}-{v} has no supporting neuron"
        shared = [row for row in rows_of[u] if tuple(-x for x in row) in rows_of[v]]
        assert len(shared) == 1, f"edge {u}-{v}: regions share {len(shared)} facet hyperplanes"
        row = shared[0]
        fu, fv = rows_of[u][row], rows_of[v][tuple(-x for x in row)]
        assert not fu.walls and not fv.walls
        assert data["neurons"] == tuple(sorted(set(fu.neurons) | set(fv.neurons)))
        if cx.box is not None:  # the shared facet is the same polytope on both sides
            assert ({cx.regions[u].vertices[k] for k in fu.vertices}
                    == {cx.regions[v].vertices[k] for k in fv.vertices}), f"edge {u}-{v}"
    for i, r in enumerate(cx.regions):
        across = {tuple(-x for x in f.row) for f in r.facets}
        nbr_rows = []
        for j in cx.graph.neighbors(i):
            nbr_rows += list(across & set(rows_of[j]))
        for f in r.facets:
            nf = tuple(-x for x in f.row)
            if f.walls:
                assert nf not in nbr_rows, f"box-wall facet {f.row} of {r.pattern} has a neighbour"
            else:
                assert f.neurons
                # Exactly one neighbour: if two regions B, C met the facet F of A in
                # (d-1)-dimensional pieces, take the first layer l where their bits differ;
                # B, C lie in one layer-(l-1) region P on which that neuron's z is one affine
                # function taking both signs, so z restricted to H = hyperplane(F) is
                # non-constant with both signs on F; z is continuous, so it takes both signs
                # on A, which is then not an activation region. (So a facet never touches
                # several neighbours, even in degenerate nets.)
                assert nbr_rows.count(nf) == 1, (
                    f"facet {f.row} of {r.pattern} has {nbr_rows.count(nf)} neighbours across it")
        assert cx.graph.degree(i) == sum(1 for f in r.facets if not f.walls)


def _on_segment(v, p, q):
    if (q[0] - p[0]) * (v[1] - p[1]) != (q[1] - p[1]) * (v[0] - p[0]):
        return False
    return all(min(a, b) <= x <= max(a, b) for x, a, b in zip(v, p, q))


def euler_2d(cx):
    """(V, E, F) of the subdivided square; region edges are split at every global vertex."""
    V = {v for r in cx.regions for v in r.vertices}
    E = set()
    for r in cx.regions:
        for f in r.facets:
            assert len(f.vertices) == 2
            p, q = (r.vertices[k] for k in f.vertices)
            on = sorted(v for v in V if _on_segment(v, p, q))
            E.update(frozenset(s) for s in zip(on, on[1:]))
    return len(V), len(E), len(cx.regions)


def euler_3d_face_to_face(cx):
    """(f0, f1, f2, f3) of a face-to-face 3-D complex, faces counted by vertex sets."""
    f0, f1, f2 = set(), set(), set()
    for r in cx.regions:
        facets = [frozenset(r.vertices[k] for k in f.vertices) for f in r.facets]
        f0.update(r.vertices)
        f2.update(facets)
        for a, b in combinations(facets, 2):
            common = a & b
            if len(common) >= 2:
                assert len(common) == 2  # two facets of a 3-polytope meet in an edge
                f1.add(common)
    return len(f0), len(f1), len(f2), len(cx.regions)


# ----------------------------------------------------------------------------- properties


@settings(max_examples=400, deadline=None)
@given(case=nets_with_box())
def test_matches_brute_force_twin_in_box(case):
    net, B = case
    twin_check(net, B)


@settings(max_examples=200, deadline=None)
@given(net=relu_nets())
def test_matches_brute_force_twin_on_Rd(net):
    cx = twin_check(net, None)
    check_counts_and_graph(cx)


@settings(max_examples=50, deadline=None)
@given(case=nets_with_box(dims=(4,), max_depth=1, max_width=3))
def test_matches_brute_force_twin_4d_one_layer(case):
    net, B = case
    twin_check(net, B)


@settings(max_examples=300, deadline=None)
@given(case=nets_with_box())
def test_volumes_neighbours_history(case):
    net, B = case
    check_counts_and_graph(region_complex(net, box=B))



@settings(max_examples=60, deadline=None)
@given(case=nets_with_box())
def test_facet_join_is_exact_when_every_fingerprint_collides(case):
    """The facet join's hash buckets are checked coordinate by coordinate: with every
    fingerprint equal (one bucket holding all facets) it finds the same edges, and
    a facet whose partner is gone is an error, not a silent wrong match."""
    from exactpoly.complex.adjacency import match_facets
    from exactpoly.errors import GeometryError

    net, B = case
    cx = region_complex(net, box=B)
    regions = list(cx.regions)
    for r in regions:
        r.__dict__["facet_fingerprints"] = tuple(None if f.walls else 7 for f in r.facets)
    assert tuple(match_facets(regions)) == cx.edges
    inner = [i for i, r in enumerate(regions) if any(not f.walls for f in r.facets)]
    if inner:  # drop one region: its neighbours' shared facets lose their partner
        with pytest.raises(GeometryError, match="expected 2"):
            match_facets(regions[:inner[0]] + regions[inner[0] + 1:])

@settings(max_examples=200, deadline=None)
@given(case=nets_with_box(dims=(2,)))
def test_euler_characteristic_2d(case):
    net, B = case
    V, E, Fc = euler_2d(region_complex(net, box=B))
    assert V - E + Fc == 1


@settings(max_examples=150, deadline=None)
@given(case=nets_with_box(dims=(3,), max_depth=1, max_width=4))
def test_euler_characteristic_3d_one_layer(case):
    net, B = case
    f0, f1, f2, f3 = euler_3d_face_to_face(region_complex(net, box=B))
    assert f0 - f1 + f2 - f3 == 1


@settings(max_examples=60, deadline=None)
@given(case=nets_with_box(dims=(3,), max_depth=3))
def test_euler_characteristic_3d_deep(case):
    # Deeper nets are not hyperplane arrangements, but the closures of their regions still
    # meet face to face (shared facets are identical, see check_counts_and_graph; the
    # "canonical polyhedral complex" of Grigsby-Lindsey), so faces are still determined by
    # their vertex sets.
    net, B = case
    f0, f1, f2, f3 = euler_3d_face_to_face(region_complex(net, box=B))
    assert f0 - f1 + f2 - f3 == 1


@settings(max_examples=80, deadline=None)
@given(case=nets_with_box(dims=(1,)))
def test_euler_characteristic_1d(case):
    net, B = case
    cx = region_complex(net, box=B)
    V = {v for r in cx.regions for v in r.vertices}
    assert len(V) - len(cx.regions) == 1


@settings(max_examples=150, deadline=None)
@given(net=relu_nets())
def test_auto_box_matches_Rd(net):
    # docs/conventions.md, "The box": with box="auto" every region of R^d meets the box and every vertex is
    # strictly inside, so the regions, their adjacency and their neuron facets agree.
    cr, ca = region_complex(net, box=None), region_complex(net, box="auto")
    assert ca.box is not None and ca.box > 0
    (dr, ar), (da, aa) = complex_data(cr), complex_data(ca)
    assert sorted(dr) == sorted(da)
    assert aa == ar
    for p, reg in dr.items():
        inner = {row: sup for row, sup in da[p]["facets"].items() if not sup[1]}
        assert inner == reg["facets"], p
    for r in cr.regions:  # the R^d vertices are strictly inside the auto box
        assert all(abs(x) < ca.box for v in r.vertices for x in v)


def _relabel(data, pattern_map, neuron_map):
    regions, adj = data
    out = {}
    for p, reg in regions.items():
        facets = {row: (tuple(sorted(neuron_map(nr) for nr in neurons)), walls)
                  for row, (neurons, walls) in reg["facets"].items()}
        out[pattern_map(p)] = {"facets": facets, "vertices": reg["vertices"]}
    return out, {frozenset(pattern_map(p) for p in e) for e in adj}


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_permuting_neurons(data):
    B = data.draw(st.sampled_from(BOXES + [None]), label="B")
    net = data.draw(relu_nets(box=B), label="net")
    layer = data.draw(st.integers(0, net.n_hidden_layers - 1), label="layer")
    perm = data.draw(st.permutations(range(net.hidden_widths[layer])), label="perm")
    off = net.neuron_offsets[layer]
    inverse = {old: new for new, old in enumerate(perm)}

    def pattern_map(p):  # new bit i is old bit perm[i]
        q = list(p)
        for i, old in enumerate(perm):
            q[off + i] = p[off + old]
        return tuple(q)

    def neuron_map(nr):
        return (layer, inverse[nr[1]]) if nr[0] == layer else nr

    cx = region_complex(net, box=B)
    cy = region_complex(permute_neurons(net, layer, perm), box=B)
    assert_same(complex_data(cy), _relabel(complex_data(cx), pattern_map, neuron_map))
    sx, sy = summary(cx), summary(cy)
    for key in ("regions", "facets_total", "facet_histogram", "vertices_total",
                "simplices_total", "volume_total", "adjacency_edges"):
        assert sx[key] == sy[key], key


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_positive_rescaling(data):
    B = data.draw(st.sampled_from(BOXES + [None]), label="B")
    net = data.draw(relu_nets(box=B), label="net")
    layer = data.draw(st.integers(0, net.n_hidden_layers - 1), label="layer")
    neuron = data.draw(st.integers(0, net.hidden_widths[layer] - 1), label="neuron")
    c = data.draw(st.sampled_from([F(2), F(1, 3), F(7, 5)]), label="c")
    cx = region_complex(net, box=B)
    cy = region_complex(rescale_neuron(net, layer, neuron, c), box=B)
    assert [r.pattern for r in cx.regions] == [r.pattern for r in cy.regions]
    assert complex_data(cx) == complex_data(cy)
    assert cx.regions == cy.regions
    assert summary(cx) | {"architecture": None} == summary(cy) | {"architecture": None}


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_reflecting_a_coordinate(data):
    # x_j -> -x_j (negate column j of W_0) mirrors the complex: same patterns and
    # adjacency, facet rows with a_j negated (walls (j, s) -> (j, -s)), mirrored vertices.
    B = data.draw(st.sampled_from(BOXES + [None]), label="B")
    net = data.draw(relu_nets(box=B), label="net")
    j = data.draw(st.integers(0, net.input_dim - 1), label="j")
    W0 = [[-x if k == j else x for k, x in enumerate(row)] for row in net.weights[0]]
    mirrored = network_from_layers(net.input_dim, [(W0, net.biases[0])]
                                   + list(zip(net.weights[1:], net.biases[1:])))

    def flip(v):
        return tuple(-x if k == j else x for k, x in enumerate(v))

    rx, ax = complex_data(region_complex(net, box=B))
    ry, ay = complex_data(region_complex(mirrored, box=B))
    assert ax == ay
    assert sorted(rx) == sorted(ry)
    for p, reg in rx.items():
        want = {(row[0], *flip(row[1:])): (neurons, tuple(sorted((c, -sd if c == j else sd)
                                                                 for c, sd in walls)))
                for row, (neurons, walls) in reg["facets"].items()}
        assert ry[p]["facets"] == want
        assert ry[p]["vertices"] == {flip(v) for v in reg["vertices"]}


@settings(max_examples=60, deadline=None)
@given(case=nets_with_box(BOXES + [None]))
def test_deterministic(case):
    net, B = case
    cx, cy = region_complex(net, box=B), region_complex(net, box=B)
    assert summary(cx) == summary(cy)
    assert cx.regions == cy.regions
    assert list(cx.graph.nodes(data=True)) == list(cy.graph.nodes(data=True))
    assert list(cx.graph.edges(data=True)) == list(cy.graph.edges(data=True))
    assert cx.history == cy.history
