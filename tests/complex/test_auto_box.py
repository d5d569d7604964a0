"""auto_box against the convention of docs/conventions.md ("The box"), checked by brute force.

The twin: B is enough when every vertex of the R^d complex lies strictly inside (-B, B)^d
and the complex on the box [-B, B]^d has as many regions as the one on R^d (a convex region
meets the open box in one convex piece, so equal counts mean every region meets it). Both
conditions only get easier as B grows, so the auto box is the first integer B that is enough.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactpoly.complex.build import _min_sup_norm, _one_layer_threshold, auto_box, box_threshold, region_complex
from exactpoly.geometry.polyhedron import is_strictly_feasible
from exactpoly.network import network_from_layers, random_network


def _face_meets_open_box(point, lines, B: int) -> bool:
    """Does the affine set ``point + span(lines)`` (a homogeneous point, directions) meet (-B, B)^d? One exact LP in
    the line coefficients: ``B -+ (p_i/q + sum_j c_j l_j[i]) > 0`` for every coordinate i."""
    q = point[0]
    if not lines:
        return all(abs(Fraction(x, q)) < B for x in point[1:])
    rows = []
    for i in range(1, len(point)):
        for s in (1, -1):  # q B - s (p_i + q sum_j c_j l_j[i]) > 0
            rows.append((q * B - s * point[i], *[-s * q * ln[i - 1] for ln in lines]))
    return is_strictly_feasible(rows)


def _is_enough(net, B: int, rd) -> bool:
    """Brute force: every minimal face of R^d (a vertex, or a point of the closure plus its lines)
    meets the open box (-B, B)^d and no R^d region is missed by the box."""
    inside = all(_face_meets_open_box(p, r.lines, B) for r in rd.regions for p in r.points)
    return inside and region_complex(net, box=B).n_regions == rd.n_regions


def _faces_meet(rd, B) -> bool:
    """Brute force, for any rational B > 0: every minimal face of the R^d complex meets (-B, B)^d."""
    return all(_face_meets_open_box(p, r.lines, B) for r in rd.regions for p in r.points)


def _check_threshold(net) -> None:
    """box_threshold t is exact: the minimal faces all meet (-B, B)^d for B just above t, not at B = t."""
    t = box_threshold(net)
    rd = region_complex(net, box=None)
    assert auto_box(net) == int(t) + 1
    assert _faces_meet(rd, t + Fraction(1, 10**9))
    if t > 0:
        assert not _faces_meet(rd, t)


def _brute_force_auto_box(net, cap: int = 200) -> Fraction:
    rd = region_complex(net, box=None)
    for B in range(1, cap + 1):
        if _is_enough(net, B, rd):
            return Fraction(B)
    raise AssertionError(f"no B <= {cap} is enough")


@pytest.mark.parametrize("arch", ["3-7-1", "2-5-1", "4-6-1"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_random_nets(arch, seed):
    """The arrangement shortcut agrees with the general method, and the result is the smallest B."""
    net = random_network(arch, init="xavier_uniform", bias="0.01", seed=seed)
    B = auto_box(net)
    assert Fraction(int(_one_layer_threshold(net)) + 1) == B
    rd = region_complex(net, box=None)
    assert _is_enough(net, int(B), rd)
    assert B == 1 or not _is_enough(net, int(B) - 1, rd)


@pytest.mark.parametrize("layers, d, expected", [
    # the examples of the issue: a rank-1 first layer, every region contains a line
    ([([[1, 0]], [0]), ([[1]], [0])], 2, 1),
    ([([[1, 0]], [5]), ([[1]], [0])], 2, 6),
    ([([[1, 0]], ["-7/2"]), ([[1]], [0])], 2, 4),
    ([([[1, 0], [2, 0]], [5, 1]), ([[1, -1]], [0])], 2, 6),  # rank1_bias of benchmarks/identity_check.py
    ([([[1, 0, 0], [0, 1, 0], [1, 1, 0]], [0, "1/3", 0]), ([[1, 1, 1]], [0])], 3, 1),  # rank2_in_3d
    ([([[1, 1, 0], [0, 0, 0]], [-3, 1]), ([[1, 1]], [0])], 3, 2),  # x + y > 3 meets (-B, B)^3 iff B > 3/2
    ([([[1, 0]], [5]), ([[1], [-1]], [-1, 2]), ([[1, 1]], [0])], 2, 6),  # deeper: the later cuts of x > -5
    # lines y = 0 and x + y = 0 bent by a second layer through the line x = 1, y = 0: every region meets
    # (-1, 1)^3 but that minimal face does not, and the box [-1, 1]^3 loses an adjacency
    ([([[0, "-7/3", 0], [0, 0, 0], [1, 1, 0]], [0, 0, 0]), ([[-1, 0, -1]], [1]), ([[1]], [0])], 3, 2),
])
def test_regions_without_vertices(layers, d, expected):
    net = network_from_layers(d, layers)
    assert auto_box(net) == expected == _brute_force_auto_box(net)
    rd, bx = region_complex(net, box=None), region_complex(net, box=expected)
    assert bx.graph.number_of_edges() == rd.graph.number_of_edges()


@pytest.mark.parametrize("layers, d, expected", [
    ([([[1, 0], [0, 1], [2, 2]], [-3, 0, 1]), ([[1, 1, 1]], [0])], 2, Fraction(7, 2)),  # a vertex (3, -7/2)
    ([([[1, 0]], [5]), ([[1]], [0])], 2, Fraction(5)),  # the line x = -5
    ([([[1, 1, 0], [0, 0, 0]], [-3, 1]), ([[1, 1]], [0])], 3, Fraction(3, 2)),  # the plane x + y = 3
    ([([[1, 0]], [0]), ([[1]], [0])], 2, Fraction(0)),  # the line x = 0: any box
    ([([[1, 0]], [5]), ([[1], [-1]], [-1, 2]), ([[1, 1]], [0])], 2, Fraction(5)),  # deeper
])
def test_box_threshold_examples(layers, d, expected):
    net = network_from_layers(d, layers)
    assert box_threshold(net) == expected
    _check_threshold(net)


@pytest.mark.parametrize("arch, seed", [("3-7-1", 0), ("2-5-1", 1), ("2-4-3-1", 0), ("3-5-3-1", 2)])
def test_box_threshold_random(arch, seed):
    """One and two hidden layers (the arrangement shortcut and the complex)."""
    _check_threshold(random_network(arch, init="xavier_uniform", bias="0.01", seed=seed))


def test_min_sup_norm():
    assert _min_sup_norm([], 2) == 0
    assert _min_sup_norm([(-3, 1, 1)], 2) == Fraction(3, 2)  # x + y >= 3: closest at (3/2, 3/2)
    assert _min_sup_norm([(-3, 1, 1), (-5, 1, -1)], 2) == Fraction(4)  # and x - y >= 5: (4, -1)
    assert _min_sup_norm([(0, 1, 0), (0, -1, 0)], 2) == 0  # the line x = 0


VALUES = st.sampled_from([0, 1, -1, 2, Fraction(1, 2), Fraction(-7, 3)])


def _layer(d: int):
    return st.lists(st.tuples(st.lists(VALUES, min_size=d, max_size=d), VALUES), min_size=1, max_size=4)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 3).flatmap(lambda d: st.tuples(st.just(d), _layer(d))))
def test_degenerate_one_layer_nets(data):
    """Dead neurons, duplicated, parallel and concurrent hyperplanes, non-essential arrangements."""
    d, neurons = data
    W = [w for w, _ in neurons]
    b = [x for _, x in neurons]
    net = network_from_layers(d, [(W, b), ([[1] * len(W)], [0])])
    _check_threshold(net)
    expected = _brute_force_auto_box(net)
    fast = _one_layer_threshold(net)
    assert fast is None or Fraction(int(fast) + 1) == expected
    assert auto_box(net) == expected


@st.composite
def _rank_deficient_nets(draw):
    """Two hidden layers; the first has normals along x_1 only (rank <= 1 < d: every region contains a line)."""
    d = draw(st.integers(2, 3))
    n = draw(st.integers(1, 3))
    W1 = [[draw(VALUES)] + [0] * (d - 1) for _ in range(n)]
    b1 = [draw(VALUES) for _ in range(n)]
    W2 = [[draw(VALUES) for _ in range(n)] for _ in range(2)]
    b2 = [draw(VALUES) for _ in range(2)]
    return network_from_layers(d, [(W1, b1), (W2, b2), ([[1, 1]], [0])])


@settings(max_examples=25, deadline=None)
@given(_rank_deficient_nets())
def test_rank_deficient_two_layer_nets(net):
    assert auto_box(net) == _brute_force_auto_box(net)
    _check_threshold(net)
