"""Tests of exactpoly.strategies: argument validation, and that every generated value
has the properties that were asked for (checked exactly, independently of the
generator: ranks with sympy, facets and dimensions with the polyhedron module).
"""

from __future__ import annotations

from fractions import Fraction as F
from itertools import combinations

import pytest
import sympy
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from exactpoly.arrangements.arrangement import is_general_position
from exactpoly.complex import region_complex
from exactpoly.geometry.polyhedron import Polyhedron
from exactpoly.network import ReluNetwork
from exactpoly.strategies import (
    ARRANGEMENT_DEGENERACIES,
    DEGENERACIES,
    arrangements,
    boxes,
    fractions,
    polyhedra,
    relu_networks,
)

FAST = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FIND = settings(max_examples=3000, database=None, deadline=None)


def srank(rows) -> int:
    """Rank by plain Fraction Gaussian elimination (independent of the flint code the
    strategies use)."""
    m = [[F(x) for x in r] for r in rows]
    rank, col = 0, 0
    ncols = len(m[0]) if m else 0
    while rank < len(m) and col < ncols:
        pivot = next((i for i in range(rank, len(m)) if m[i][col] != 0), None)
        if pivot is None:
            col += 1
            continue
        m[rank], m[pivot] = m[pivot], m[rank]
        for i in range(rank + 1, len(m)):
            f = m[i][col] / m[rank][col]
            if f:
                m[i] = [a - f * b for a, b in zip(m[i], m[rank])]
        rank += 1
        col += 1
    return rank


def test_srank_agrees_with_sympy():
    for rows in ([[1, 2], [2, 4]], [[0, 1, 2], [1, 0, 0], [1, 1, 2]], [[F(1, 3), 1], [1, 3]],
                 [[0, 0]], [[1, 0, 0], [0, 1, 0], [0, 0, 1]]):
        assert srank(rows) == sympy.Matrix(rows).rank()


def examples(strategy, n=200) -> list:
    """n generated examples, derandomized, without shrinking (fast)."""
    out: list = []

    @settings(max_examples=n, database=None, derandomize=True, deadline=None,
              phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(strategy)
    def collect(x):
        out.append(x)

    collect()
    return out


# ----------------------------------------------------------------------------- validation

BAD_ARGUMENTS = [
    (fractions, dict(min_value=1, max_value=0), "max_value"),
    (fractions, dict(min_value="x"), "min_value"),
    (fractions, dict(max_value=float("nan")), "max_value"),
    (fractions, dict(max_denominator=0), "max_denominator"),
    (fractions, dict(min_value="1/3", max_denominator=2), "min_value"),
    (boxes, dict(min_value=0), "min_value"),
    (boxes, dict(min_value=-1), "min_value"),
    (boxes, dict(min_value=2, max_value=1), "max_value"),
    (relu_networks, dict(input_dim=0), "input_dim"),
    (relu_networks, dict(input_dim=True), "input_dim"),
    (relu_networks, dict(input_dim=2.0), "input_dim"),
    (relu_networks, dict(output_dim=0), "output_dim"),
    (relu_networks, dict(widths=[2, 0]), "widths"),
    (relu_networks, dict(widths="2-3"), "widths"),
    (relu_networks, dict(weights=[1, 2]), "weights"),
    (relu_networks, dict(biases=3), "biases"),
    (relu_networks, dict(zero_bias=1), "zero_bias"),
    (relu_networks, dict(zero_bias=True, biases=st.just(1)), "biases"),
    (relu_networks, dict(degenerate="dead"), "degenerate"),
    (relu_networks, dict(degenerate=["dead", "zombie"]), "degenerate"),
    (relu_networks, dict(degenerate=[]), "degenerate"),
    (relu_networks, dict(degenerate=None), "degenerate"),
    (relu_networks, dict(zero_bias=True, degenerate=["parallel"]), "degenerate"),
    (arrangements, dict(dim=0), "dim"),
    (arrangements, dict(size=-1), "size"),
    (arrangements, dict(coefficients=(1, 2)), "coefficients"),
    (arrangements, dict(general_position="yes"), "general_position"),
    (arrangements, dict(central=None), "central"),
    (arrangements, dict(general_position=True, degenerate=True), "degenerate"),
    (arrangements, dict(central=True, degenerate=["parallel"]), "degenerate"),
    (arrangements, dict(degenerate=["skew"]), "degenerate"),
    (polyhedra, dict(dim=-1), "dim"),
    (polyhedra, dict(n_halfspaces=-2), "n_halfspaces"),
    (polyhedra, dict(coefficients=1), "coefficients"),
    (polyhedra, dict(bounded="yes"), "bounded"),
    (polyhedra, dict(full_dimensional=None), "full_dimensional"),
    (polyhedra, dict(bounded=False, full_dimensional=False, dim=1), "full_dimensional"),
    (polyhedra, dict(degenerate=["tangent"]), "degenerate"),
]


@pytest.mark.parametrize("strategy, kwargs, name", BAD_ARGUMENTS,
                         ids=[f"{f.__name__}-{n}-{i}" for i, (f, _k, n) in enumerate(BAD_ARGUMENTS)])
def test_bad_arguments_are_named(strategy, kwargs, name):
    with pytest.raises(InvalidArgument) as info:
        strategy(**kwargs)
    assert str(info.value).startswith(name), str(info.value)


DRAW_TIME_ERRORS = [
    (relu_networks, dict(input_dim=st.just(0)), "input_dim"),
    (relu_networks, dict(widths=st.just([1, -1])), "widths"),
    (relu_networks, dict(weights=st.just(float("inf"))), "weights"),
    (relu_networks, dict(biases=st.just("abc")), "biases"),
    (arrangements, dict(dim=1, size=st.just(2), central=True), "size"),
    (arrangements, dict(coefficients=st.just(None)), "coefficients"),
    (polyhedra, dict(dim=st.just(1), bounded=False, full_dimensional=False), "dim"),
]


@pytest.mark.parametrize("strategy, kwargs, name", DRAW_TIME_ERRORS,
                         ids=[f"{f.__name__}-{n}" for f, _k, n in DRAW_TIME_ERRORS])
def test_bad_values_from_argument_strategies_are_named(strategy, kwargs, name):
    s = strategy(**kwargs)

    @settings(max_examples=5, database=None)
    @given(s)
    def draw(_x):
        pass

    with pytest.raises(InvalidArgument) as info:
        draw()
    assert str(info.value).startswith(name), str(info.value)


# ----------------------------------------------------------------------------- numbers


@FAST
@given(fractions(-1, "3/2", max_denominator=3))
def test_fractions_in_range(x):
    assert isinstance(x, F) and -1 <= x <= F(3, 2) and x.denominator <= 3


@FAST
@given(boxes(min_value="1/3", max_value=5, max_denominator=3))
def test_boxes_positive_in_range(B):
    assert isinstance(B, F) and F(1, 3) <= B <= 5 and B.denominator <= 3


def test_boxes_shrink_to_one():
    assert find(boxes(), lambda B: True, settings=FIND) == 1
    assert find(boxes(min_value=2, max_value=3), lambda B: True, settings=FIND) == 2


# ----------------------------------------------------------------------------- networks


@FAST
@given(st.data())
def test_relu_networks_shapes(data):
    d = data.draw(st.integers(1, 3))
    widths = data.draw(st.lists(st.integers(1, 3), max_size=3))
    out = data.draw(st.integers(1, 2))
    net = data.draw(relu_networks(input_dim=d, widths=widths, output_dim=out))
    assert isinstance(net, ReluNetwork)
    assert net.input_dim == d and net.hidden_widths == tuple(widths) and net.output_dim == out
    assert all(isinstance(x, F) for w in net.weights for row in w for x in row)


@FAST
@given(relu_networks(input_dim=st.integers(1, 3), widths=st.lists(st.integers(1, 4), max_size=3),
                     zero_bias=True, degenerate=True))
def test_zero_bias_means_every_bias_is_zero(net):
    assert all(x == 0 for b in net.biases for x in b)


@FAST
@given(relu_networks(weights=st.sampled_from([1, -1]), biases=st.just("1/3")))
def test_weights_and_biases_come_from_the_given_strategies(net):
    assert {x for w in net.weights for row in w for x in row} <= {F(1), F(-1)}
    assert {x for b in net.biases for x in b} == {F(1, 3)}


@FAST
@given(relu_networks(weights=st.floats(-1, 1, width=32), biases=st.floats(-1, 1, width=32)))
def test_float32_weights_are_taken_exactly(net):
    import numpy as np
    for w, b in zip(net.weights, net.biases):
        for x in [*b, *(x for row in w for x in row)]:
            assert x.denominator & (x.denominator - 1) == 0      # a power of two
            assert F(float(np.float32(x))) == x                   # exactly a float32


def _rows(net, layer):
    return [(b, *w) for w, b in zip(net.weights[layer], net.biases[layer])]


def _has(kind, net) -> bool:
    """Does some hidden layer of *net* contain a neuron of this degenerate kind?"""
    for l in range(net.n_hidden_layers):
        rows = _rows(net, l)
        for i, r in enumerate(rows):
            b, w = r[0], r[1:]
            earlier = rows[:i]
            if kind == "dead" and not any(r):
                return True
            if kind == "constant" and not any(w) and b != 0:
                return True
            if kind == "relay" and sum(1 for x in w if x) == 1 and (l == 0 or b == 0) and len(w) > 1:
                return True
            if not any(w):
                continue
            for e in earlier:
                if kind == "duplicate" and e == r:
                    return True
                if kind == "opposite" and e == tuple(-x for x in r) and any(r):
                    return True
                if kind == "scaled" and any(e) and srank([e, r]) == 1 and e != r \
                        and e != tuple(-x for x in r):
                    return True
                if kind == "parallel" and e[1:] == w and e[0] != b:
                    return True
            if kind == "concurrent":
                for e1, e2 in combinations(earlier, 2):
                    if srank([e1, e2]) == 2 and srank([e1, e2, r]) == 2 and srank([e1, r]) == 2 \
                            and srank([e2, r]) == 2:
                        return True
    return False


@pytest.mark.parametrize("kind", DEGENERACIES)
def test_each_degenerate_kind_is_planted(kind):
    nets = examples(relu_networks(input_dim=2, widths=[3, 3], degenerate=[kind]), 40)
    assert any(_has(kind, n) for n in nets)


def test_degenerate_true_plants_every_kind():
    nets = examples(relu_networks(input_dim=2, widths=[3, 3], degenerate=True), 120)
    assert {k for k in DEGENERACIES if any(_has(k, n) for n in nets)} == set(DEGENERACIES)


def test_relu_networks_shrink_to_the_simplest_net():
    net = find(relu_networks(input_dim=st.integers(1, 3)), lambda n: True, settings=FIND)
    assert net.input_dim == 1 and net.hidden_widths == (1,)
    assert all(x == 0 for w in net.weights for row in w for x in row)
    assert all(x == 0 for b in net.biases for x in b)


def test_planted_neurons_shrink_to_ordinary_ones():
    # a net with a dead neuron is found, and shrinks to the smallest one that has it
    net = find(relu_networks(input_dim=1, widths=st.lists(st.integers(1, 3), min_size=1, max_size=2),
                             degenerate=True), lambda n: _has("dead", n), settings=FIND)
    assert net.hidden_widths == (1,) and not any(net.weights[0][0]) and net.biases[0][0] == 0


@settings(max_examples=25, deadline=None)
@given(relu_networks(input_dim=st.integers(1, 2), widths=st.lists(st.integers(1, 3), min_size=1,
                                                                   max_size=2),
                     degenerate=True), boxes())
def test_generated_nets_tile_the_box(net, B):
    # the strategies in use: volumes of the regions sum exactly to (2B)^d
    cx = region_complex(net, box=B)
    assert cx.volume_total == (2 * B) ** net.input_dim


# ----------------------------------------------------------------------------- arrangements


def _independent_gp(rows, d, central) -> bool:
    """General position from the definition, with sympy ranks over all subsets."""
    for k in range(1, min(d, len(rows)) + 1):
        for sub in combinations(rows, k):
            if srank([r[1:] for r in sub]) != k:
                return False
    if not central:
        for sub in combinations(rows, d + 1):
            if srank(sub) != d + 1:
                return False
    return True


@FAST
@given(st.data())
def test_arrangements_sizes_and_distinct_hyperplanes(data):
    d = data.draw(st.integers(1, 3))
    m = data.draw(st.integers(0, 6))
    A = data.draw(arrangements(dim=d, size=m, degenerate=True))
    assert A.dim == d and len(A) == m
    for r in A.rows:
        assert len(r) == d + 1 and any(r[1:])
    for r, s in combinations(A.rows, 2):
        assert srank([r, s]) == 2          # no hyperplane twice


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_general_position_really_is(data):
    d = data.draw(st.integers(1, 3))
    A = data.draw(arrangements(dim=d, size=st.integers(0, 6), general_position=True))
    assert _independent_gp(A.rows, d, central=False)
    assert is_general_position(A)           # the arrangement module agrees


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_central_general_position_really_is(data):
    d = data.draw(st.integers(2, 3))
    A = data.draw(arrangements(dim=d, size=st.integers(0, 6), general_position=True, central=True))
    assert all(r[0] == 0 for r in A.rows)
    assert _independent_gp(A.rows, d, central=True)


@pytest.mark.parametrize("kind", ARRANGEMENT_DEGENERACIES)
def test_arrangement_degeneracies_are_planted(kind):
    def has(A) -> bool:
        if kind == "parallel":
            return any(srank([r[1:], s[1:]]) == 1 for r, s in combinations(A.rows, 2))
        return any(srank(t) == 2 and srank([u[1:] for u in t]) == 2
                   for t in combinations(A.rows, 3))   # three lines through one point
    assert any(has(A) for A in examples(arrangements(dim=2, size=4, degenerate=[kind]), 100))


def test_arrangements_shrink_to_the_empty_one():
    A = find(arrangements(dim=st.integers(1, 3)), lambda A: True, settings=FIND)
    assert A.dim == 1 and len(A) == 0


# ----------------------------------------------------------------------------- polyhedra


@FAST
@given(polyhedra(dim=st.integers(1, 3), degenerate=True))
def test_bounded_polyhedra(P):
    assert isinstance(P, Polyhedron)
    assert P.is_bounded and P.is_full_dimensional and P.volume > 0


@FAST
@given(polyhedra(dim=st.integers(1, 3), bounded=False, degenerate=True))
def test_unbounded_polyhedra(P):
    assert not P.is_empty and not P.is_bounded and P.is_full_dimensional


@FAST
@given(polyhedra(dim=st.integers(1, 3), bounded=None))
def test_either_polyhedra_are_full_dimensional(P):
    assert P.is_full_dimensional


@FAST
@given(polyhedra(dim=st.integers(1, 3), bounded=True, full_dimensional=False, degenerate=True))
def test_lower_dimensional_polyhedra(P):
    assert not P.is_empty and 0 <= P.dimension < P.dim


@FAST
@given(polyhedra(dim=st.integers(2, 3), bounded=False, full_dimensional=False))
def test_lower_dimensional_unbounded_polyhedra(P):
    assert not P.is_empty and 1 <= P.dimension < P.dim and not P.is_bounded


def test_polyhedron_degeneracies_are_planted():
    # duplicate rows merge into one facet with two labels
    assert any(any(len(f.labels) > 1 for f in P.facets)
               for P in examples(polyhedra(degenerate=["duplicate"]), 100))
    # a redundant row supports no facet
    assert any(len({x for f in P.facets for x in f.labels}) < len(P.rows)
               for P in examples(polyhedra(degenerate=["redundant"]), 100))

    # rows through one point: a vertex on more than d facets (needs d >= 3)
    def degenerate_vertex(P):
        return any(sum(1 for f in P.facets if v in f.vertices) > P.dim
                   for v in range(len(P.vertices)))
    assert any(degenerate_vertex(P) for P in
               examples(polyhedra(dim=3, degenerate=["through_point"], n_halfspaces=5), 100))


def test_polyhedra_shrink_to_a_box():
    P = find(polyhedra(dim=st.integers(1, 3)), lambda P: True, settings=FIND)
    assert P.dim == 1 and P.vertices == ((F(-1),), (F(1),))
