"""Compositional (triangle-wave) and sawtooth networks: exactly 2^L regions and pieces.

Every count is compared with an independent derivation: the closed-form breakpoints
of the triangle-wave composition (``triangle_breakpoints``), a direct evaluation of
``x - sum s_i t_i(x)`` from the definition of the triangle functions (no network),
Yarotsky's interpolation of x^2, and the closed-form kinks of the differentiable
manifold (arXiv 2311.18022; ../shared/papers/002_e1f6cdf174129073.txt).
"""

from __future__ import annotations

from fractions import Fraction
from itertools import pairwise

import pytest

from exactpoly.complex import region_complex
from exactpoly.errors import NetworkFormatError, NumberError
from exactpoly.network import network_to_mapping, random_network
from exactpoly.theory.compositional import (
    compositional_network,
    differentiable_scalings,
    sawtooth_network,
    triangle_breakpoints,
)
from exactpoly.theory.pieces import linear_pieces, n_linear_pieces, region_affine_maps

F = Fraction
HALF = F(1, 2)
MIXED = [F(1, 3), F(2, 5), F(3, 4), F(1, 7), F(5, 8), F(1, 2)]


def mixed(L):
    return [MIXED[i % len(MIXED)] for i in range(L)]


# ----------------------------------------------------------------------------- twins


def forward(net, x):
    """Exact forward pass (independent of the complex)."""
    h = tuple(F(v) for v in x)
    last = net.n_hidden_layers
    for l, (w, b) in enumerate(zip(net.weights, net.biases)):
        z = tuple(bi + sum((wij * hj for wij, hj in zip(row, h)), F(0)) for row, bi in zip(w, b))
        h = z if l == last else tuple(max(v, F(0)) for v in z)
    return h


def tri(a, t):
    """The triangle function T_a on R, from its definition."""
    if t <= 0 or t >= 1:
        return F(0)
    return t / a if t <= a else (1 - t) / (1 - a)


def direct_value(peaks, scalings, x):
    """x - sum_i s_i t_i(x), with t_i the composed triangle functions: no network."""
    t, total = F(x), F(x)
    for a, s in zip(peaks, scalings):
        t = tri(a, t)
        total -= s * t
    return total


def levels(peaks):
    """Breakpoints of t_L created at each level m, with |slope| of t_{m-1} there."""
    pts = [F(0), F(1)]
    out = []
    for a in peaks:
        new = []
        nxt = [pts[0]]
        for k in range(len(pts) - 1):
            p, q = pts[k], pts[k + 1]
            mid = p + (a if k % 2 == 0 else 1 - a) * (q - p)
            new.append((mid, 1 / (q - p)))
            nxt += [mid, q]
        out.append(new)
        pts = nxt
    return out


def u_of(x):
    return 2 * x - 1


def slopes_in_x(cx):
    """(left endpoint x, slope dF/dx) of every region of a 1-D box complex, sorted."""
    maps = region_affine_maps(cx)
    return sorted(((r.vertices[0][0] + 1) / 2, 2 * m[0][0][0]) for r, m in zip(cx.regions, maps))


# ----------------------------------------------------------------------------- construction


def test_layer_weights_by_hand():
    net = compositional_network([F(1, 3)], scalings=[F(1, 2)], domain="unit")
    m = network_to_mapping(net)
    assert m["layers"][0] == {"weight": [["1"], ["1"], ["1"], ["1"]], "bias": ["0", "-1/3", "-1", "0"]}
    # t_1 = 3 h0 - 9/2 h1 + 3/2 h2; acc_1 = h3 + 1/2 (1 - t_1); F = acc_1 - 1/2
    assert m["layers"][1] == {"weight": [["-3/2", "9/4", "-3/4", "1"]], "bias": ["0"]}
    assert net.architecture == "1-4-1"


def test_sawtooth_weights_by_hand():
    m = network_to_mapping(sawtooth_network(2, domain="unit"))
    assert [layer["bias"] for layer in m["layers"]] == [["0", "-1/2"], ["0", "-1/2"], ["0"]]
    assert m["layers"][1]["weight"] == [["2", "-4"], ["2", "-4"]]
    assert m["layers"][2]["weight"] == [["2", "-4"]]


def test_differentiable_scalings_recurrence():
    a = [F(1, 3), F(2, 5), F(3, 4), F(1, 7)]
    s = differentiable_scalings(a, first=F(2), next_peak=F(5, 6))
    assert s == (F(2), F(2) * F(3, 5) * F(3, 4), F(2) * F(3, 5) * F(3, 4) * F(1, 4) * F(1, 7),
                 F(2) * F(3, 5) * F(3, 4) * F(1, 4) * F(1, 7) * F(6, 7) * F(5, 6))
    assert differentiable_scalings([HALF] * 5) == tuple(F(1, 4 ** i) for i in range(1, 6))


def test_breakpoints_closed_form():
    assert triangle_breakpoints([HALF, HALF]) == (0, F(1, 4), F(1, 2), F(3, 4), 1)
    assert triangle_breakpoints([F(1, 3), F(1, 2)]) == (0, F(1, 6), F(1, 3), F(2, 3), 1)
    for L in range(1, 9):
        assert len(triangle_breakpoints(mixed(L))) == 2 ** L + 1


# ----------------------------------------------------------------------------- 2^L, exactly


@pytest.mark.parametrize("peaks_of", [lambda L: [HALF] * L, mixed], ids=["yarotsky", "mixed"])
def test_exactly_2_to_the_L_regions_and_pieces(peaks_of):
    """L = 1..12: the 1-D complex has 2^L regions (doubling at every layer) and the
    output 2^L linear pieces."""
    for L in range(1, 13):
        peaks = peaks_of(L)
        cx = region_complex(compositional_network(peaks), box=1)
        assert cx.history == tuple(2 ** i for i in range(L + 1))
        assert n_linear_pieces(cx) == 2 ** L
        if L in (1, 5, 12):
            # region endpoints are the closed-form breakpoints (u = 2x - 1)
            ends = sorted({v[0] for r in cx.regions for v in r.vertices})
            assert ends == [u_of(x) for x in triangle_breakpoints(peaks)]
            # patterns: per layer (1, b, 0, 1), every b-string once
            for r in cx.regions:
                assert all(r.pattern[4 * i] == 1 and r.pattern[4 * i + 2] == 0
                           and r.pattern[4 * i + 3] == 1 for i in range(L))
            assert len({r.pattern[1::4] for r in cx.regions}) == 2 ** L


@pytest.mark.parametrize("L", [1, 4, 8])
def test_values_match_the_definition(L):
    """At every breakpoint and every region midpoint the network computes
    x - sum s_i t_i(x), for the default and for arbitrary (also negative) scalings."""
    peaks = mixed(L)
    for scalings in (None, [F((-1) ** i * (i + 2), 3 * i + 5) for i in range(L)]):
        net = compositional_network(peaks, scalings)
        s = differentiable_scalings(peaks) if scalings is None else scalings
        bps = triangle_breakpoints(peaks)
        xs = list(bps) + [(p + q) / 2 for p, q in pairwise(bps)]
        for x in xs:
            assert forward(net, [u_of(x)]) == (direct_value(peaks, s, x),)
        unit = compositional_network(peaks, scalings, domain="unit")
        for x in xs[::3]:
            assert forward(unit, [x]) == (direct_value(peaks, s, x),)


def test_yarotsky_interpolates_x_squared():
    """Peaks 1/2 and s_i = 4^-i: the depth-L output interpolates x^2 on k/2^L."""
    for L in range(1, 9):
        net = compositional_network([HALF] * L)
        for k in range(2 ** L + 1):
            x = F(k, 2 ** L)
            assert forward(net, [u_of(x)]) == (x * x,)


@pytest.mark.parametrize("L", [1, 2, 3, 6, 9])
def test_kinks_of_the_differentiable_manifold(L):
    """The kink of F at a level-m breakpoint is
    |lambda| s_m / (a_m (1 - a_m)) * prod_{k=m+2}^{L+1} (1 - a_k) > 0."""
    peaks = mixed(L)
    nxt = F(3, 5)
    s = differentiable_scalings(peaks, first=F(1, 3), next_peak=nxt)
    cx = region_complex(compositional_network(peaks, s), box=1)
    pieces = slopes_in_x(cx)
    kink_at = {pieces[i + 1][0]: pieces[i + 1][1] - pieces[i][1] for i in range(len(pieces) - 1)}
    ext = [*peaks, nxt]
    expected = {}
    for m, pts in enumerate(levels(peaks), start=1):
        a = peaks[m - 1]
        tail = F(1)
        for k in range(m + 2, L + 2):
            tail *= 1 - ext[k - 1]
        for x, lam in pts:
            expected[x] = lam * s[m - 1] / (a * (1 - a)) * tail
    assert kink_at == expected
    assert all(v > 0 for v in expected.values())


def test_cancelled_kink_fewer_pieces_than_regions():
    """s_2 = s_1 (1 - a_2) cancels the kink at x = a_1: 4 regions but 3 pieces."""
    a1, a2 = HALF, F(1, 3)
    cx = region_complex(compositional_network([a1, a2], [F(1, 4), F(1, 4) * (1 - a2)]), box=1)
    pieces = linear_pieces(cx)
    assert cx.n_regions == 4 and len(pieces) == 3
    merged = [p for p in pieces if len(p.regions) == 2]
    assert len(merged) == 1
    ends = sorted(v[0] for i in merged[0].regions for v in cx.regions[i].vertices)
    assert ends[1] == ends[2] == u_of(a1)  # the two regions meet at x = a_1
    zero = region_complex(compositional_network([a1, a2, a1], [0, 0, 0]), box=1)
    assert zero.n_regions == 8 and n_linear_pieces(zero) == 1  # F = x


def test_unit_domain_in_the_box_adds_one_region():
    """domain="unit" on [-1, 1]: the constant piece on [-1, 0] is one more region
    and (F'(0+) = 2^-L != 0) one more piece."""
    for L in (1, 3, 6):
        cx = region_complex(compositional_network([HALF] * L, domain="unit"), box=1)
        assert cx.n_regions == 2 ** L + 1 and n_linear_pieces(cx) == 2 ** L + 1
        cx = region_complex(sawtooth_network(L, domain="unit"), box=1)
        assert cx.n_regions == 2 ** L + 1 and n_linear_pieces(cx) == 2 ** L + 1


def test_sawtooth_2_to_the_L():
    for L in range(1, 13):
        net = sawtooth_network(L)
        cx = region_complex(net, box=1)
        assert cx.history == tuple(2 ** i for i in range(L + 1))
        assert n_linear_pieces(cx) == 2 ** L
        if L <= 8:
            # m^L(k / 2^L) = k mod 2; slopes +-2^L
            for k in range(2 ** L + 1):
                assert forward(net, [u_of(F(k, 2 ** L))]) == (F(k % 2),)
            assert {abs(s) for _, s in slopes_in_x(cx)} == {2 ** L}


# ----------------------------------------------------------------------------- random init


# Exact (regions, pieces) of random_network("1-4-...-4-1", "xavier_uniform", bias=0.01,
# seed=s) in the box [-1, 1], for seeds 0..4, depth L = 1..12.
XAVIER = {
    1: [(5, 5), (5, 5), (5, 5), (5, 5), (5, 5)],
    2: [(7, 7), (8, 8), (10, 10), (11, 11), (8, 8)],
    3: [(7, 7), (9, 9), (12, 12), (14, 14), (10, 10)],
    4: [(9, 9), (10, 10), (13, 13), (15, 15), (13, 13)],
    5: [(10, 10), (11, 11), (13, 13), (15, 15), (15, 15)],
    6: [(11, 11), (13, 13), (13, 13), (16, 16), (19, 19)],
    7: [(11, 11), (13, 13), (13, 1), (16, 16), (22, 22)],
    8: [(11, 11), (14, 14), (13, 1), (16, 16), (28, 28)],
    9: [(11, 11), (14, 14), (13, 1), (17, 17), (29, 29)],
    10: [(11, 11), (15, 15), (13, 1), (17, 17), (29, 29)],
    11: [(12, 12), (15, 15), (13, 1), (17, 17), (29, 29)],
    12: [(12, 12), (16, 16), (13, 1), (17, 17), (29, 29)],
}


def test_xavier_init_falls_short_of_2_to_the_L():
    for L, expected in XAVIER.items():
        arch = "-".join(["1", *["4"] * L, "1"])
        got = []
        for seed in range(5):
            cx = region_complex(random_network(arch, "xavier_uniform", bias=0.01, seed=seed), box=1)
            got.append((cx.n_regions, n_linear_pieces(cx)))
        assert got == expected, L
        if L >= 4:
            assert max(p for _, p in got) < 2 ** L
    # seed 2 from depth 7 on: the function is constant although 13 regions remain


# ----------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("call, match", [
    (lambda: compositional_network([]), "peaks must not be empty"),
    (lambda: compositional_network([HALF, 1]), r"peaks\[1\] must lie strictly between 0 and 1, got 1"),
    (lambda: compositional_network([0]), r"peaks\[0\]"),
    (lambda: compositional_network("1/2"), "peaks must be a sequence"),
    (lambda: compositional_network([HALF], [1, 2]), "expected 1, got 2"),
    (lambda: compositional_network([HALF], HALF), "scalings must be a sequence"),
    (lambda: compositional_network([HALF], domain="cube"), "domain must be one of"),
    (lambda: sawtooth_network(0), "depth must be an int >= 1, got 0"),
    (lambda: sawtooth_network(True), "depth"),
    (lambda: differentiable_scalings([HALF], next_peak=F(3, 2)), "next_peak must lie strictly"),
])
def test_bad_arguments_are_named(call, match):
    with pytest.raises(NetworkFormatError, match=match):
        call()


def test_bad_numbers_are_named():
    with pytest.raises(NumberError, match=r"scalings\[1\]"):
        compositional_network([HALF, HALF], [1, float("nan")])
    with pytest.raises(NumberError, match=r"peaks\[0\]"):
        compositional_network([float("inf")])
    with pytest.raises(NumberError, match="first"):
        differentiable_scalings([HALF], first="x")


def test_deterministic_and_exact_float_peaks():
    assert compositional_network([0.25, "3/8"]) == compositional_network([F(1, 4), F(3, 8)])
    assert compositional_network([0.1]).biases[0][1] == F(1, 2) - F(0.1)
