"""Exact functional dimension (arXiv 2402.08269; ../shared/papers/003_be5509422caae46a.txt).

Twins: the Jacobian is recomputed column by column as exact difference quotients
(a ReLU network with its activation pattern fixed is affine in each single
parameter, so the quotient is the derivative as long as no pattern changes), and
ranks by plain Fraction elimination. Property tests: positive rescaling and
permutation invariance, monotonicity in X, the bounds, the rescaling directions in
the kernel, and the one-hidden-layer pattern formula.
"""

from __future__ import annotations

import json
from fractions import Fraction
from itertools import pairwise

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from exactpoly.errors import DomainError, NumberError
from exactpoly.network import (
    network_from_layers,
    permute_neurons,
    random_network,
    rescale_neuron,
)
from exactpoly.theory.compositional import compositional_network
from exactpoly.theory.fdim import (
    SAMPLE_DENOMINATOR,
    boundary_samples,
    fdim_summary,
    functional_dimension,
    n_parameters,
    parameter_jacobian,
    parse_samples,
    random_samples,
    read_samples,
)

F = Fraction


# ----------------------------------------------------------------------------- helpers


def forward(net, x):
    h = tuple(F(v) for v in x)
    bits = []
    last = net.n_hidden_layers
    for l, (w, b) in enumerate(zip(net.weights, net.biases)):
        z = tuple(bi + sum((wij * hj for wij, hj in zip(row, h)), F(0)) for row, bi in zip(w, b))
        if l == last:
            return z, tuple(bits)
        bits.extend(1 if v > 0 else 0 for v in z)
        h = tuple(max(v, F(0)) for v in z)


def flat(net):
    out = []
    for w, b in zip(net.weights, net.biases):
        out += [x for row in w for x in row] + list(b)
    return out


def unflat(net, theta):
    layers, k = [], 0
    for w in net.weights:
        n, m = len(w), len(w[0])
        W = [theta[k + i * m:k + (i + 1) * m] for i in range(n)]
        k += n * m
        layers.append((W, theta[k:k + n]))
        k += n
    return network_from_layers(net.input_dim, layers)


def twin_jacobian(net, X):
    """Columns as exact difference quotients with a pattern-preserving step."""
    theta = flat(net)
    base = [forward(net, x) for x in X]
    cols = []
    for p in range(len(theta)):
        t = F(1, 2 ** 10)
        while True:
            th = list(theta)
            th[p] += t
            moved = unflat(net, th)
            vals = [forward(moved, x) for x in X]
            if all(v[1] == b[1] for v, b in zip(vals, base)):
                break
            t /= 2 ** 10
        cols.append([(yv - yb) / t for v, b in zip(vals, base) for yv, yb in zip(v[0], b[0])])
    return tuple(tuple(c[r] for c in cols) for r in range(len(X) * net.output_dim))


def frank(rows):
    """Rank by Fraction elimination (independent of flint)."""
    m = [list(map(F, r)) for r in rows]
    rank = 0
    for c in range(len(m[0]) if m else 0):
        piv = next((i for i in range(rank, len(m)) if m[i][c] != 0), None)
        if piv is None:
            continue
        m[rank], m[piv] = m[piv], m[rank]
        for i in range(len(m)):
            if i != rank and m[i][c] != 0:
                f = m[i][c] / m[rank][c]
                m[i] = [a - f * b for a, b in zip(m[i], m[rank])]
        rank += 1
    return rank


def rescaling_direction(net, layer, neuron):
    """d/dc at c = 1 of rescale_neuron(net, layer, neuron, c), in file order."""
    v = []
    for l, (w, b) in enumerate(zip(net.weights, net.biases)):
        for i, row in enumerate(w):
            for j, x in enumerate(row):
                if l == layer and i == neuron:
                    v.append(x)
                elif l == layer + 1 and j == neuron:
                    v.append(-x)
                else:
                    v.append(F(0))
        v += [x if (l == layer and i == neuron) else F(0) for i, x in enumerate(b)]
    return v


small = st.fractions(min_value=-3, max_value=3, max_denominator=5)


@st.composite
def nets(draw, d=None, depth=(1, 2), outputs=(1, 2)):
    d = draw(st.integers(1, 2)) if d is None else d
    widths = draw(st.lists(st.integers(1, 3), min_size=depth[0], max_size=depth[1]))
    out = draw(st.integers(*outputs))
    layers, prev = [], d
    for n in [*widths, out]:
        w = draw(st.lists(st.lists(small, min_size=prev, max_size=prev), min_size=n, max_size=n))
        b = draw(st.lists(small, min_size=n, max_size=n))
        layers.append((w, b))
        prev = n
    return network_from_layers(d, layers)


def samples(d, max_size=8):
    return st.lists(st.lists(small, min_size=d, max_size=d), min_size=0, max_size=max_size)


@st.composite
def cases(draw, **kw):
    net = draw(nets(**kw))
    X = draw(samples(net.input_dim))
    assume(not boundary_samples(net, X))
    return net, X


# ----------------------------------------------------------------------------- by hand


def test_one_hidden_layer_1d_by_hand():
    """relu(x) + relu(x - 1/2): each new point adds one dimension until P - N = 5."""
    net = network_from_layers(1, [([[1], [1]], [0, "-1/2"]), ([[1, 1]], [0])])
    X = [["1/4"], ["3/4"], ["7/8"], ["-1/2"], ["1/8"], ["-3/4"], ["5/8"]]
    assert [functional_dimension(net, X[:k]) for k in range(8)] == [0, 1, 2, 3, 4, 5, 5, 5]
    assert n_parameters(net) == 7 and net.n_hidden_neurons == 2


def test_jacobian_by_hand():
    # F = 3 relu(2x - 1) + relu(-x) - 1
    net = network_from_layers(1, [([[2], [-1]], [-1, 0]), ([[3, 1]], [-1])])
    # columns: w0 (2, -1), b0 (-1, 0), w1 (3, 1), b1
    assert parameter_jacobian(net, [[1], [-2]]) == (
        (3, 0, 3, 0, 1, 0, 1),     # x = 1: neuron 0 on (z = 1), neuron 1 off
        (0, -2, 0, 1, 0, 2, 1),    # x = -2: neuron 0 off, neuron 1 on (z = 2)
    )


def test_two_outputs_rows_sample_major():
    net = network_from_layers(1, [([[1]], [0]), ([[2], [5]], [0, 1])])
    J = parameter_jacobian(net, [[3]])
    assert J == ((6, 2, 3, 0, 1, 0), (15, 5, 0, 3, 0, 1))  # dF_k/dw0 = v_k x
    assert functional_dimension(net, [[3]]) == 2


def test_2d_identity_net_dependent_patterns():
    """relu(x) + relu(y), 3 affinely independent points per quadrant: the patterns
    (1,0), (0,1), (1,1) are dependent, so the closed form sum_p r_p + 1 = 10 would
    overcount; the rank formula gives 7 = P - N."""
    net = network_from_layers(2, [([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [0])])
    base = [(F(1, 2), F(1, 3)), (F(1, 3), F(1, 2)), (F(1, 5), F(1, 7))]
    X = [(sx * a, sy * b) for sx in (1, -1) for sy in (1, -1) for a, b in base]
    assert functional_dimension(net, X) == 7 == n_parameters(net) - 2
    assert functional_dimension(net, X[:3]) == 3     # one region: 1 + dim aff
    assert functional_dimension(net, X[:3] + X[-3:]) == 4  # plus the all-off region


# Exact functional dimension of random_network(arch, seed=0) on the first n points of
# random_samples(d, 80, seed=0): the table of docs/exponential-regions.md.
FDIM_TABLE = {
    "3-7-1": [(1, 1), (2, 2), (4, 4), (8, 8), (12, 12), (16, 16), (20, 20), (24, 24),
              (32, 29), (40, 29), (60, 29), (80, 29)],
    "2-5-5-1": [(1, 1), (2, 2), (4, 4), (8, 8), (12, 11), (16, 13), (20, 15), (24, 16),
                (32, 17), (40, 19), (60, 29), (80, 34)],
}


@pytest.mark.parametrize("arch", sorted(FDIM_TABLE))
def test_fdim_versus_sample_size(arch):
    net = random_network(arch, seed=0)
    X = random_samples(net.input_dim, 80, seed=0)
    got = [(n, functional_dimension(net, X[:n])) for n, _ in FDIM_TABLE[arch]]
    assert got == FDIM_TABLE[arch]
    assert max(r for _, r in got) <= n_parameters(net) - net.n_hidden_neurons


def test_compositional_net_fdim():
    net = compositional_network([F(1, 3), F(1, 2), F(3, 4)])
    X = random_samples(1, 60, seed=0)
    assert functional_dimension(net, X) == 11
    assert fdim_summary(net, X)["activation_patterns"] == 7


# ----------------------------------------------------------------------------- boundary


def test_boundary_point_is_reported_not_guessed():
    net = network_from_layers(2, [([[1, 0], [1, 1]], [0, "-1/2"]), ([[1, 1]], [0])])
    X = [["1/3", "1/3"], [0, "1/5"], ["1/4", "1/4"], [0, "1/2"]]
    assert boundary_samples(net, X) == ((1, ((0, 0),)), (2, ((0, 1),)), (3, ((0, 0), (0, 1))))
    with pytest.raises(DomainError, match=r"X\[1\] = \(0, 1/5\) lies on the zero set of hidden "
                                          r"neuron\(s\) \(0, 0\)"):
        functional_dimension(net, X)
    assert functional_dimension(net, X[:1]) == 1


def test_boundary_in_a_deeper_layer_and_dead_neuron():
    # layer 1 neuron: relu(h0 - 1) vanishes at x = 1
    net = network_from_layers(1, [([[1]], [0]), ([[1]], [-1]), ([[1]], [0])])
    assert boundary_samples(net, [[1], [2], ["1/2"]]) == ((0, ((1, 0),)),)
    dead = network_from_layers(1, [([[0], [1]], [0, 0]), ([[1, 1]], [0])])
    assert [k for k, _ in boundary_samples(dead, [[1], [2], [-1]])] == [0, 1, 2]
    with pytest.raises(DomainError, match=r"\(0, 0\)"):
        functional_dimension(dead, [[1]])


# ----------------------------------------------------------------------------- properties


@settings(max_examples=60, deadline=None)
@given(case=cases())
def test_jacobian_matches_difference_quotients(case):
    net, X = case
    J = parameter_jacobian(net, X)
    assert J == twin_jacobian(net, X)
    assert functional_dimension(net, X) == frank(J)


@settings(max_examples=100, deadline=None)
@given(case=cases(), data=st.data())
def test_invariant_under_rescaling_and_permutation(case, data):
    net, X = case
    r = functional_dimension(net, X)
    layer = data.draw(st.integers(0, net.n_hidden_layers - 1))
    width = net.hidden_widths[layer]
    c = data.draw(st.fractions(min_value=F(1, 7), max_value=7).filter(lambda v: v > 0))
    neuron = data.draw(st.integers(0, width - 1))
    assert functional_dimension(rescale_neuron(net, layer, neuron, c), X) == r
    perm = data.draw(st.permutations(range(width)))
    assert functional_dimension(permute_neurons(net, layer, perm), X) == r


@settings(max_examples=100, deadline=None)
@given(case=cases())
def test_monotone_and_bounded(case):
    net, X = case
    ranks = [functional_dimension(net, X[:k]) for k in range(len(X) + 1)]
    assert all(a <= b <= a + net.output_dim for a, b in pairwise(ranks))
    P, N, m = n_parameters(net), net.n_hidden_neurons, net.output_dim
    assert ranks[-1] <= min(P - N, len(X) * m)


@settings(max_examples=60, deadline=None)
@given(case=cases())
def test_rescaling_directions_span_an_N_dimensional_kernel(case):
    net, X = case
    assume(X)
    J = parameter_jacobian(net, X)
    dirs = [rescaling_direction(net, l, i)
            for l in range(net.n_hidden_layers) for i in range(net.hidden_widths[l])]
    for v in dirs:
        assert all(sum((a * b for a, b in zip(row, v)), F(0)) == 0 for row in J)
    assert frank(dirs) == net.n_hidden_neurons


def pattern_matrix(net, X):
    """Rows (1, s_1(x) (x, 1), ..., s_n(x) (x, 1)) of a one-hidden-layer net."""
    rows = []
    for x in X:
        bits = forward(net, x)[1]
        xt = [*map(F, x), F(1)]
        rows.append([F(1)] + [s * v for s in bits for v in xt])
    return rows


@settings(max_examples=150, deadline=None)
@given(case=cases(depth=(1, 1), outputs=(1, 1)))
def test_one_hidden_layer_pattern_formula(case):
    """fdim = rank [1 | s_1(x)(x,1) | ... | s_n(x)(x,1)] when no output weight is 0."""
    net, X = case
    assume(all(v != 0 for v in net.weights[1][0]))
    assert functional_dimension(net, X) == frank(pattern_matrix(net, X))


@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_one_hidden_layer_independent_patterns_closed_form(data):
    """1-D, neurons relu(x - c_1), ..., relu(x - c_n) with c_1 < ... < c_n: the
    patterns 1..10..0 are independent, so fdim = sum over met non-zero patterns of
    min(#points, 2) + [a point left of c_1]."""
    n = data.draw(st.integers(1, 4))
    cs = sorted(data.draw(st.lists(st.integers(-9, 9), min_size=n, max_size=n, unique=True)))
    vs = data.draw(st.lists(small.filter(lambda v: v != 0), min_size=n, max_size=n))
    net = network_from_layers(1, [([[1]] * n, [-c for c in cs]), ([vs], [data.draw(small)])])
    counts = data.draw(st.lists(st.integers(0, 3), min_size=n + 1, max_size=n + 1))
    edges = [F(-20), *cs, F(20)]
    X = []
    for k, cnt in enumerate(counts):  # cnt distinct points strictly inside interval k
        lo, hi = edges[k], edges[k + 1]
        X += [[lo + (hi - lo) * F(j + 1, cnt + 1)] for j in range(cnt)]
    expected = sum(min(c, 2) for c in counts[1:]) + (1 if counts[0] else 0)
    assert functional_dimension(net, X) == expected


# ----------------------------------------------------------------------------- samples


def test_random_samples_are_exact_seeded_and_in_the_box():
    X = random_samples(3, 50, seed=7, box="3/2")
    assert X == random_samples(3, 50, seed=7, box=F(3, 2)) != random_samples(3, 50, seed=8, box="3/2")
    assert len(X) == 50 and all(len(p) == 3 for p in X)
    assert all(abs(v) <= F(3, 2) and (v / F(3, 2) * SAMPLE_DENOMINATOR).denominator == 1
               for p in X for v in p)
    assert random_samples(2, 0) == ()
    for kw, match in (({"n": -1}, "n must be an int >= 0"), ({"seed": -2}, "seed must be"),
                      ({"box": 0}, "box: the half-width B must be positive"),
                      ({"input_dim": 0}, "input_dim must be an int >= 1")):
        args = {"input_dim": 2, "n": 3, **kw}
        with pytest.raises(DomainError, match=match):
            random_samples(args.pop("input_dim"), args.pop("n"), **args)


def test_parse_and_read_samples(tmp_path):
    assert parse_samples([[0.5, "1/3"]], 2) == ((F(1, 2), F(1, 3)),)
    with pytest.raises(DomainError, match=r"X\[1\]: expected 2 coordinates"):
        parse_samples([[1, 2], [3]], 2)
    with pytest.raises(DomainError, match=r"X\[0\]: expected a point"):
        parse_samples(["12"], 2)
    with pytest.raises(DomainError, match="X: expected a list of points"):
        parse_samples({"points": []}, 2)
    with pytest.raises(NumberError, match=r"X\[0\]\[1\]"):
        parse_samples([[1, float("nan")]], 2)
    with pytest.raises(NumberError, match=r"X\[0\]\[0\]: booleans"):
        parse_samples([[True]], 1)
    path = tmp_path / "X.json"
    path.write_text(json.dumps([["1/2"], [2], [0.25]]))
    assert read_samples(path, 1) == ((F(1, 2),), (F(2),), (F(1, 4),))
    path.write_text("[[1], [2")
    with pytest.raises(DomainError, match="X.json: malformed JSON at line 1"):
        read_samples(path, 1)
    with pytest.raises(DomainError, match="cannot read samples file"):
        read_samples(tmp_path / "missing.json", 1)
    path.write_text("[[1, 2]]")
    with pytest.raises(DomainError, match=r"X.json: samples\[0\]: expected 1 coordinates"):
        read_samples(path, 1)


def test_summary_and_empty_sample():
    net = random_network("2-3-1", seed=3)
    assert functional_dimension(net, []) == 0
    s = fdim_summary(net, random_samples(2, 30, seed=1))
    assert s == {"architecture": "2-3-1", "input_dim": 2, "samples": 30, "outputs": 1,
                 "parameters": 13, "hidden_neurons": 3, "activation_patterns": 5,
                 "functional_dimension": 9, "bound": 10}
    # 9 < 10: three of the five patterns met are met by one point each (the rank of
    # the pattern matrix of functional_dimension's Notes is 9)
    with pytest.raises(TypeError, match="net: expected a ReluNetwork"):
        functional_dimension("net.json", [])
