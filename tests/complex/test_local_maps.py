"""The engine's local maps (``complex.local_maps.LayerMaps``) against exact Fraction arithmetic.

A cell's local map of the previous layer's output is ``((rows, den), bits)``; the
layer's pre-activation numerators on it must be exactly ``(W diag(bits) rows / den + b)
· q · den``, whether they were composed anew or updated from the previous cell's by
outer products, and neither cache (the previous cell, the values per point) may change
a complex. The per-pattern maps (``PatternMaps``) must be the plain Fraction composition of
the layers with the pattern's bits, and their regions the inputs with that pattern.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactpoly.complex import kernels, local_maps, region_complex
from exactpoly.errors import DomainError
from exactpoly.geometry.linalg import primitive
from exactpoly.geometry.rows import coprime
from exactpoly.network import network_from_layers, random_network
from exactpoly.strategies import relu_networks


def _fraction_rows(weights, biases, rows, den, bits):
    """Pre-activation rows (b, a) of a layer on a cell, composed in Fractions."""
    k = len(rows[0])
    out = []
    for wrow, b in zip(weights, biases):
        r = [Fraction(b)] + [Fraction(0)] * (k - 1)
        for w, bit, prow in zip(wrow, bits, rows):
            if bit:
                for c in range(k):
                    r[c] += Fraction(w) * Fraction(prow[c], den)
        out.append(r)
    return out


@settings(max_examples=30, deadline=None)
@given(data=st.data(), n_prev=st.integers(1, 6), n=st.integers(1, 5), k=st.integers(2, 4))
def test_rows_on_is_the_exact_composition(data, n_prev, n, k):
    frac = st.fractions(min_value=-3, max_value=3, max_denominator=64)
    weights = [[data.draw(frac) for _ in range(n_prev)] for _ in range(n)]
    biases = [data.draw(frac) for _ in range(n)]
    den = data.draw(st.integers(1, 10**6))
    rows = tuple(tuple(data.draw(st.integers(-10**9, 10**9)) for _ in range(k)) for _ in range(n_prev))
    maps = local_maps.LayerMaps(weights, biases)
    shared = (rows, den)
    bit_seqs = data.draw(st.lists(st.tuples(*[st.integers(0, 1)] * n_prev), min_size=1, max_size=8))
    for i, bits in enumerate(bit_seqs):
        # alternately the same object and an equal copy: both take the update path
        T = (shared if i % 2 == 0 else (tuple(rows), den), bits)
        got = maps.rows_on(T)
        want = _fraction_rows(weights, biases, rows, den, bits)
        assert got == [tuple(x * maps.q * den for x in r) for r in want]
        assert all(isinstance(x, int) for r in got for x in r)


def test_rows_on_updates_from_the_previous_sibling(monkeypatch):
    """Consecutive siblings differing in one bit: the update path really runs, and agrees."""
    calls = []
    real = kernels.affine_rows

    def spy(base, cols, rows, add, sub):
        calls.append((len(add), len(sub)))
        return real(base, cols, rows, add, sub)

    monkeypatch.setattr(kernels, "affine_rows", spy)
    weights = [[1, 2, -3, "1/2"], [0, 1, 1, 1], [-1, "3/7", 2, 5]]
    maps = local_maps.LayerMaps([[Fraction(x) for x in r] for r in weights], [Fraction(1, 3), 0, -2])
    rows = ((1, 2, 3), (0, -1, 4), (5, 5, -5), (2, 0, 1))
    shared = (rows, 6)
    first = maps.rows_on((shared, (1, 1, 1, 0)))
    second = maps.rows_on((shared, (1, 0, 1, 0)))
    assert calls == [(3, 0), (0, 1)]  # composed from 3 active rows, then one outer product removed
    fresh = local_maps.LayerMaps([[Fraction(x) for x in r] for r in weights], [Fraction(1, 3), 0, -2])
    assert second == fresh.rows_on((shared, (1, 0, 1, 0)))
    assert first == fresh.rows_on((shared, (1, 1, 1, 0)))


def _fingerprint(cx):
    return ([(r.pattern, r.facets, r.points, r.volume) for r in cx.regions], cx.edges, cx.history)


@settings(max_examples=25, deadline=None)
@given(net=relu_networks(input_dim=st.integers(1, 3), widths=st.lists(st.integers(1, 5), min_size=1, max_size=3),
                         degenerate=True))
def test_caches_never_change_a_complex(net):
    cached = _fingerprint(region_complex(net, box=1))
    saved_limit, saved_rows_on = local_maps.VALUE_CACHE_LIMIT, local_maps.LayerMaps.rows_on

    def rows_on_anew(self, T):
        self._last = None  # always composed from scratch
        return saved_rows_on(self, T)

    local_maps.VALUE_CACHE_LIMIT = -1  # the per-point values are recomputed for every cell
    local_maps.LayerMaps.rows_on = rows_on_anew
    try:
        uncached = _fingerprint(region_complex(net, box=1))
    finally:
        local_maps.VALUE_CACHE_LIMIT, local_maps.LayerMaps.rows_on = saved_limit, saved_rows_on
    assert cached == uncached


def test_value_cache_hits_on_a_real_net():
    """The first hidden layer's cells of 3-12-6-1 share vertices: most values come from the cache."""
    net = random_network("3-12-6-1", "xavier_uniform", bias=0.01, seed=2)
    seen = {"hits": 0, "points": 0}
    real = kernels.vertex_values

    def spy(rows, pts, cache):
        seen["points"] += len(pts)
        seen["hits"] += sum(p in cache for p in pts)
        return real(rows, pts, cache)

    kernels.vertex_values = spy
    try:
        region_complex(net, box=1)
    finally:
        kernels.vertex_values = real
    assert seen["points"] > 500 and seen["hits"] > seen["points"] // 2


# ----------------------------------------------------------------------------- PatternMaps


def _pattern_by_fractions(net, pattern):
    """Per hidden layer the pre-activation rows (b, a) in Fractions, the region's strict rows
    (None once a constant pre-activation contradicts its bit), and the output map."""
    d = net.input_dim
    A = [[Fraction(int(i == j)) for j in range(d)] for i in range(d)]  # the input: x -> I x + 0
    c = [Fraction(0)] * d
    pres, regions, strict = [], [()], []
    start = 0
    for W, b in zip(net.weights, net.biases):
        pre = [(bi + sum(w * ck for w, ck in zip(wrow, c)),
                *(sum(w * A[k][j] for k, w in enumerate(wrow)) for j in range(d))) for wrow, bi in zip(W, b)]
        pres.append(pre)
        bits = pattern[start:start + len(pre)]
        if len(bits) < len(pre):  # the output layer
            break
        for row, bit in zip(pre, bits):
            if strict is None:
                break
            if not any(row[1:]):
                if (row[0] > 0) != bool(bit):
                    strict = None
                continue
            canon = primitive(row)
            strict.append(canon if bit else tuple(-x for x in canon))
        regions.append(None if strict is None else tuple(strict))
        A = [list(row[1:]) if bit else [Fraction(0)] * d for row, bit in zip(pre, bits)]
        c = [row[0] if bit else Fraction(0) for row, bit in zip(pre, bits)]
        start += len(pre)
    out = pres[-1]
    return pres, regions, (tuple(tuple(r[1:]) for r in out), tuple(r[0] for r in out))


@settings(max_examples=60, deadline=None)
@given(net=relu_networks(input_dim=st.integers(1, 3), widths=st.lists(st.integers(1, 4), min_size=0, max_size=3),
                         output_dim=st.integers(1, 2), degenerate=True),
       data=st.data())
def test_pattern_maps_are_the_fraction_composition(net, data):
    maps = local_maps.PatternMaps(net)
    for _ in range(3):  # a few patterns per net: later ones share prefixes with the cache
        pattern = tuple(data.draw(st.lists(st.integers(0, 1), min_size=net.n_hidden_neurons,
                                           max_size=net.n_hidden_neurons)))
        pres, regions, output = _pattern_by_fractions(net, pattern)
        ends = (*net.neuron_offsets, net.n_hidden_neurons)
        for l, end in enumerate(ends):
            prefix = pattern[:end]
            rows, den = maps.preactivations(prefix)
            assert den > 0 and all(isinstance(x, int) for r in rows for x in r)
            assert [tuple(Fraction(x, den) for x in r) for r in rows] == pres[l]
            assert [coprime(r) for r in rows] == [primitive(r) for r in pres[l]]  # the canonical rows
            assert maps.region_rows(prefix) == regions[l]
            T = maps.local_map(prefix)
            assert T[1] == (pattern[ends[l - 1]:end] if l else (1,) * net.input_dim)
        assert maps.output_map(pattern) == output
        assert local_maps.PatternMaps(net).output_map(pattern) == output  # the same without a cache


@settings(max_examples=20, deadline=None)
@given(net=relu_networks(input_dim=st.integers(1, 2), widths=st.lists(st.integers(1, 3), min_size=1, max_size=3),
                         degenerate=True))
def test_pattern_maps_hold_at_every_region_of_a_complex(net):
    """At a region's interior point every prefix's strict rows are positive and the output map
    is the network's value there (a forward pass in Fractions)."""
    maps = local_maps.PatternMaps(net)
    ends = (*net.neuron_offsets, net.n_hidden_neurons)
    for region in region_complex(net, box=1).regions:
        x = region.interior_point
        for end in ends:
            rows = maps.region_rows(region.pattern[:end])
            assert rows is not None
            assert all(r[0] + sum(a * v for a, v in zip(r[1:], x)) > 0 for r in rows)
        h = list(x)
        for W, b in zip(net.weights, net.biases):
            z = [bi + sum(w * v for w, v in zip(wrow, h)) for wrow, bi in zip(W, b)]
            h = [max(v, Fraction(0)) for v in z]
        weight, bias = maps.output_map(region.pattern)
        assert [c + sum(a * v for a, v in zip(row, x)) for row, c in zip(weight, bias)] == z


def test_dead_and_constant_neurons_decide_emptiness():
    # neuron 0: x; neuron 1 dead (0); neuron 2 the constant -1; second layer: h0 - 1
    net = network_from_layers(1, [([[1], [0], [0]], [0, 0, -1]), ([[1, 0, 5]], [-1]), ([[1]], [0])])
    maps = local_maps.PatternMaps(net)
    assert maps.region_rows((1, 0, 0)) == ((0, 1),)
    assert maps.region_rows((1, 1, 0)) is None  # a dead neuron is off
    assert maps.region_rows((1, 0, 1)) is None  # -1 is negative
    assert maps.region_rows((1, 1, 0, 0)) is None  # below an empty region: empty
    assert maps.region_rows((0, 0, 0, 1)) is None  # on x < 0 the second layer is the constant -1
    assert maps.region_rows((1, 0, 0, 1)) == ((0, 1), (-1, 1))
    assert maps.preactivations((0, 0, 0)) == (((-1, 0),), 1)
    assert maps.output_map((1, 0, 0, 1)) == (((Fraction(1),),), (Fraction(-1),))


@pytest.mark.parametrize("bad, method", [((1,), "preactivations"), ((1, 0), "region_rows"), ([1, 0, 0], "local_map"),
                                         ((1, 2, 0), "preactivations"), ((1, 0, 0), "output_map"),
                                         ("1001", "output_map")])
def test_pattern_maps_name_a_bad_prefix(bad, method):
    net = network_from_layers(1, [([[1], [0], [0]], [0, 0, -1]), ([[1, 0, 5]], [-1]), ([[1]], [0])])
    with pytest.raises(DomainError, match="prefix|pattern"):
        getattr(local_maps.PatternMaps(net), method)(bad)


def test_pattern_maps_refuse_a_non_network():
    with pytest.raises(TypeError, match="net"):
        local_maps.PatternMaps("net.json")
