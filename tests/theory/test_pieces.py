"""linear_pieces: regions merged where the output affine map is exactly the same.

Twins: the output map of a region is recomputed from exact forward evaluations at
d + 1 affinely independent interior points (no use of output_affine_map), and the
pieces from a union-find over the adjacency edges (1-D: over consecutive intervals).
"""

from __future__ import annotations

from fractions import Fraction
from itertools import pairwise

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from exactpoly.complex import region_complex
from exactpoly.errors import NetworkFormatError
from exactpoly.network import (
    network_from_layers,
    permute_neurons,
    random_network,
    rescale_neuron,
)
from exactpoly.theory.pieces import (
    LinearPiece,
    linear_pieces,
    n_linear_pieces,
    output_affine_map,
    region_affine_maps,
)

F = Fraction


def forward(net, x):
    h = tuple(F(v) for v in x)
    last = net.n_hidden_layers
    for l, (w, b) in enumerate(zip(net.weights, net.biases)):
        z = tuple(bi + sum((wij * hj for wij, hj in zip(row, h)), F(0)) for row, bi in zip(w, b))
        h = z if l == last else tuple(max(v, F(0)) for v in z)
    return h


def solve(matrix, rhs):
    """Gaussian elimination over Fractions (square, non-singular)."""
    n = len(matrix)
    m = [list(map(F, row)) + [F(r)] for row, r in zip(matrix, rhs)]
    for c in range(n):
        p = next(i for i in range(c, n) if m[i][c] != 0)
        m[c], m[p] = m[p], m[c]
        m[c] = [v / m[c][c] for v in m[c]]
        for i in range(n):
            if i != c and m[i][c] != 0:
                m[i] = [a - m[i][c] * b for a, b in zip(m[i], m[c])]
    return [row[-1] for row in m]


def twin_map(net, region):
    """Output map of a bounded region from forward evaluations at d + 1 interior points."""
    d = net.input_dim
    p = region.interior_point
    pts = [p]
    # p + (v - p)/2 is interior for every vertex v; pick affinely independent ones greedily
    for v in region.vertices:
        q = tuple((a + b) / 2 for a, b in zip(p, v))
        trial = pts + [q]
        diffs = [[a - b for a, b in zip(t, p)] for t in trial[1:]]
        if _rank(diffs) == len(diffs):
            pts = trial
        if len(pts) == d + 1:
            break
    assert len(pts) == d + 1
    vals = [forward(net, x) for x in pts]
    weight, bias = [], []
    for k in range(net.output_dim):
        sol = solve([[*x, 1] for x in pts], [v[k] for v in vals])
        weight.append(tuple(sol[:d]))
        bias.append(sol[d])
    return tuple(weight), tuple(bias)


def _rank(rows):
    m = [list(r) for r in rows]
    rank = 0
    cols = len(m[0]) if m else 0
    for c in range(cols):
        p = next((i for i in range(rank, len(m)) if m[i][c] != 0), None)
        if p is None:
            continue
        m[rank], m[p] = m[p], m[rank]
        for i in range(len(m)):
            if i != rank and m[i][c] != 0:
                f = m[i][c] / m[rank][c]
                m[i] = [a - f * b for a, b in zip(m[i], m[rank])]
        rank += 1
    return rank


def twin_pieces(cx):
    maps = [twin_map(cx.network, r) for r in cx.regions]
    parent = list(range(len(maps)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for u, v in cx.graph.edges():
        if maps[u] == maps[v]:
            parent[find(u)] = find(v)
    groups = {}
    for i in range(len(maps)):
        groups.setdefault(find(i), []).append(i)
    return sorted(tuple(g) for g in groups.values()), maps


def twin_pieces_1d(cx):
    """1-D: sort the intervals, merge consecutive ones with equal maps (no graph)."""
    order = sorted(range(cx.n_regions), key=lambda i: cx.regions[i].vertices[0])
    maps = {i: twin_map(cx.network, cx.regions[i]) for i in order}
    groups = [[order[0]]]
    for prev, cur in pairwise(order):
        assert cx.regions[prev].vertices[1] == cx.regions[cur].vertices[0]
        if maps[prev] == maps[cur]:
            groups[-1].append(cur)
        else:
            groups.append([cur])
    return sorted(tuple(sorted(g)) for g in groups)


# ----------------------------------------------------------------------------- by hand


def test_abs_with_a_silent_neuron():
    net = network_from_layers(1, [([[1], [-1], [1]], [0, 0, "-1/2"]), ([[1, 1, 0]], [0])])
    cx = region_complex(net, box=1)
    pieces = linear_pieces(cx)
    assert cx.n_regions == 3
    assert pieces == (LinearPiece((0,), ((F(-1),),), (F(0),)),
                      LinearPiece((1, 2), ((F(1),),), (F(0),)))


def test_equal_maps_not_adjacent_are_different_pieces_1d():
    net = network_from_layers(1, [([[1], [1], [1]], ["1/2", 0, "-1/2"]), ([[1, -2, 1]], [0])])
    cx = region_complex(net, box=1)
    pieces = linear_pieces(cx)
    assert len(pieces) == 4
    zero = [p for p in pieces if p.weight == ((F(0),),) and p.bias == (F(0),)]
    assert len(zero) == 2


def test_corner_touching_regions_are_different_pieces_2d():
    """F = |x| + |y| - |x + y| is 0 on the quadrants x, y > 0 and x, y < 0, which touch
    only at the origin; a silent neuron relu(x - y) splits both. 8 regions, 6 pieces."""
    lines = [(1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (-1, -1), (1, -1)]
    net = network_from_layers(2, [([list(r) for r in lines], [0] * 7), ([[1, 1, 1, 1, -1, -1, 0]], [0])])
    cx = region_complex(net, box=1)
    pieces = linear_pieces(cx)
    assert cx.n_regions == 8 and len(pieces) == 6
    zero = [p for p in pieces if p.weight == ((F(0), F(0)),)]
    assert [len(p.regions) for p in zero] == [2, 2]
    for p in zero:  # each zero piece lies in one quadrant
        signs = {tuple(x > 0 for x in cx.regions[i].interior_point) for i in p.regions}
        assert signs in ({(True, True)}, {(False, False)})
    assert sorted(p.regions for p in pieces) == twin_pieces(cx)[0]


def test_cancelling_neurons_one_piece_and_zero_hidden_layers():
    net = network_from_layers(2, [([[1, 2], [1, 2], [3, -1]], [0, 0, "1/3"]), ([[1, -1, 0]], [5])])
    cx = region_complex(net, box=1)
    assert cx.n_regions == 4 and n_linear_pieces(cx) == 1
    assert linear_pieces(cx)[0] == LinearPiece((0, 1, 2, 3), ((F(0), F(0)),), (F(5),))
    affine = network_from_layers(2, [([[1, 2]], [3])])
    cx = region_complex(affine, box=None)
    assert linear_pieces(cx) == (LinearPiece((0,), ((F(1), F(2)),), (F(3),)),)


def test_multi_output_needs_all_outputs_equal():
    # output 0 = relu(x) - relu(x) = 0 everywhere, output 1 = relu(x)
    net = network_from_layers(1, [([[1], [1]], [0, 0]), ([[1, -1], [1, 0]], [0, 0])])
    assert n_linear_pieces(region_complex(net, box=1)) == 2
    single = network_from_layers(1, [([[1], [1]], [0, 0]), ([[1, -1]], [0])])
    assert n_linear_pieces(region_complex(single, box=1)) == 1


def test_unbounded_complex():
    net = network_from_layers(2, [([[1, 0], [0, 1], [1, 0]], [0, 0, -1]), ([[1, 0, 0]], [0])])
    cx = region_complex(net, box=None)
    assert cx.n_regions == 6 and n_linear_pieces(cx) == 2  # relu(x): x < 0 and x > 0


def test_output_affine_map_by_hand_and_errors():
    net = network_from_layers(1, [([[2], [-1]], [0, 1]), ([[1, 1]], [0]), ([[1]], [0])])
    # layer 1's neuron sums with weight 1 each: on pattern 111, F = 2x + (1 - x) = x + 1
    assert output_affine_map(net, "111") == (((F(1),),), (F(1),))
    assert output_affine_map(net, (1, 0, 1)) == (((F(2),),), (F(0),))
    assert output_affine_map(net, "110") == (((F(0),),), (F(0),))
    with pytest.raises(NetworkFormatError, match="pattern has 2 bits but the 1-2-1-1 network has 3"):
        output_affine_map(net, "11")
    with pytest.raises(NetworkFormatError, match="0/1 bits"):
        output_affine_map(net, "1x1")
    with pytest.raises(NetworkFormatError, match="0/1 bits"):
        output_affine_map(net, [1, 2, 0])
    with pytest.raises(TypeError, match="net"):
        output_affine_map("net.json", "111")
    with pytest.raises(TypeError, match="cx: expected a RegionComplex"):
        linear_pieces(net)


# ----------------------------------------------------------------------------- properties


small = st.fractions(min_value=-3, max_value=3, max_denominator=4)


@st.composite
def nets(draw, d):
    widths = draw(st.lists(st.integers(1, 3), min_size=1, max_size=3))
    out = draw(st.integers(1, 2))
    layers, prev = [], d
    for n in [*widths, out]:
        # small integer-ish weights make coincident and cancelling kinks common
        w = draw(st.lists(st.lists(small, min_size=prev, max_size=prev), min_size=n, max_size=n))
        b = draw(st.lists(small, min_size=n, max_size=n))
        layers.append((w, b))
        prev = n
    return network_from_layers(d, layers)


def check_pieces(cx):
    pieces = linear_pieces(cx)
    maps = region_affine_maps(cx)
    seen = sorted(i for p in pieces for i in p.regions)
    assert seen == list(range(cx.n_regions))  # a partition
    which = {i: k for k, p in enumerate(pieces) for i in p.regions}
    for p in pieces:
        assert all(maps[i] == (p.weight, p.bias) for i in p.regions)
    for u, v in cx.graph.edges():
        assert (which[u] == which[v]) == (maps[u] == maps[v])
    assert [p.regions[0] for p in pieces] == sorted(p.regions[0] for p in pieces)
    assert n_linear_pieces(cx) == len(pieces) <= cx.n_regions
    return pieces


@settings(max_examples=120, deadline=None)
@given(net=nets(1))
def test_matches_twin_1d(net):
    cx = region_complex(net, box=2)
    pieces = check_pieces(cx)
    assert [p.regions for p in pieces] == twin_pieces_1d(cx)


@settings(max_examples=60, deadline=None)
@given(net=nets(2))
def test_matches_twin_2d(net):
    cx = region_complex(net, box=1)
    assume(cx.n_regions <= 40)
    pieces = check_pieces(cx)
    groups, maps = twin_pieces(cx)
    assert [p.regions for p in pieces] == groups
    assert region_affine_maps(cx) == tuple(maps)


@settings(max_examples=40, deadline=None)
@given(net=nets(2), data=st.data())
def test_symmetries_preserve_the_pieces(net, data):
    n = n_linear_pieces(region_complex(net, box=1))
    layer = data.draw(st.integers(0, net.n_hidden_layers - 1))
    width = net.hidden_widths[layer]
    perm = data.draw(st.permutations(range(width)))
    assert n_linear_pieces(region_complex(permute_neurons(net, layer, perm), box=1)) == n
    c = data.draw(st.fractions(min_value=F(1, 5), max_value=5))
    neuron = data.draw(st.integers(0, width - 1))
    assert n_linear_pieces(region_complex(rescale_neuron(net, layer, neuron, c), box=1)) == n


def test_random_3d_net_exact():
    cx = region_complex(random_network("3-5-1", seed=0), box=1)
    pieces = check_pieces(cx)
    assert len(pieces) == cx.n_regions == 26  # generic weights: every kink is a kink of F
