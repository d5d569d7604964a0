"""The engine's local maps (``complex.local_maps.LayerMaps``) against exact Fraction arithmetic.

A cell's local map of the previous layer's output is ``((rows, den), bits)``; the
layer's pre-activation numerators on it must be exactly ``(W diag(bits) rows / den + b)
· q · den``, whether they were composed anew or updated from the previous cell's by
outer products, and neither cache (the previous cell, the values per point) may change
a complex.
"""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from exactpoly.complex import kernels, local_maps, region_complex
from exactpoly.network import random_network
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
