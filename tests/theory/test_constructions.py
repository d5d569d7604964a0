"""The Section IV constructions: the maximum one reaches #facets = #neurons exactly; the
average one behaves as the paper says only in the limit mu = infinity (documented)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from exactpoly.complex import region_complex
from exactpoly.errors import DomainError
from exactpoly.theory.constructions import average_faces_network, maximum_faces_network, rational_circle_points


@pytest.mark.parametrize("widths, dim", [((3,), 2), ((5, 3, 2), 2), ((4, 4, 4, 3), 2), ((4,), 3), ((4, 3), 3),
                                         ((6, 5, 4), 3), ((5, 4), 4)])
def test_maximum_construction_reaches_facets_equal_neurons(widths, dim):
    c = maximum_faces_network(widths, dim)
    cx = region_complex(c.network, box=c.box)
    (omega,) = c.regions(cx)
    total = sum(widths)
    assert omega.pattern == (1,) * total and c.expected_facets == (total,)
    assert omega.n_facets == total == c.network.n_hidden_neurons
    # every facet is one neuron, every neuron one facet, no box wall
    supports = [f.neurons for f in omega.facets]
    assert all(len(s) == 1 for s in supports) and all(f.walls == () for f in omega.facets)
    assert sorted(s[0] for s in supports) == [(l, i) for l, w in enumerate(widths) for i in range(w)]
    # Γ = #neurons bounds the facets on neurons (with box walls other regions can have more facets)
    assert max(sum(1 for f in r.facets if f.neurons) for r in cx.regions) == total
    assert cx.volume_total == (2 * c.box) ** dim


def test_maximum_construction_is_invariant_checked_on_r_d_too():
    c = maximum_faces_network((4, 3, 2))
    cx = region_complex(c.network, box=None)
    assert cx.region_of_pattern((1,) * 9).n_facets == 9 and cx.region_of_pattern((1,) * 9).is_bounded


def test_maximum_construction_rejects_bad_parameters():
    with pytest.raises(DomainError, match="d \\+ 1"):
        maximum_faces_network((2,), 2)
    with pytest.raises(DomainError, match="input_dim"):
        maximum_faces_network((3,), 1)
    with pytest.raises(DomainError, match=r"widths\[0\]"):
        maximum_faces_network((1, 3), 2)
    with pytest.raises(DomainError, match=r"widths\[1\]"):
        maximum_faces_network((4, 1, 3), 2)


def test_rational_circle_points_are_on_the_circle_around_the_origin():
    for k in (3, 4, 7):
        pts = rational_circle_points(k)
        assert len(set(pts)) == k and all(x * x + y * y == 1 for x, y in pts)
    with pytest.raises(DomainError):
        rational_circle_points(2)


@pytest.mark.parametrize("n, m, dim", [(3, 0, 3), (3, 1, 3), (5, 3, 3), (5, 2, 4)])
def test_average_construction_slices_the_cone(n, m, dim):
    c = average_faces_network(n, m, 100, dim)
    cx = region_complex(c.network, box=c.box)
    assert [r.n_facets for r in c.regions(cx)] == list(c.expected_facets) == [n + 1] + [n + 2] * m
    assert cx.volume_total == 2 ** dim
    for r in c.regions(cx):   # the cone's n neurons support n facets of every slice
        assert {f.neurons[0] for f in r.facets if f.neurons and f.neurons[0][0] == 0} == {(0, i) for i in range(n)}


def _slivers(c, cx):
    n = dict(c.parameters)["n"]
    return [r for r in cx.regions if any(r.pattern[:n]) and any(r.pattern[n + 1:])]


def test_average_construction_slivers_vanish_in_volume_but_not_in_number():
    """For every finite mu the second layer also cuts thin slivers off the regions around
    the cone. Their volume is O(1/mu), but they stay regions: the exact average #facets is
    the same for mu = 10, 100, 1000 (the combinatorics no longer changes) and is not n."""
    cxs = {}
    for mu in (10, 100, 1000):
        c = average_faces_network(4, 2, mu)
        cxs[mu] = (c, region_complex(c.network, box=c.box))
    counts = {mu: (cx.n_regions, cx.facets_total, len(_slivers(c, cx))) for mu, (c, cx) in cxs.items()}
    assert len(set(counts.values())) == 1 and counts[10] == (40, 230, 16)
    vols = {mu: sum(r.volume for r in _slivers(c, cx)) for mu, (c, cx) in cxs.items()}
    assert vols[10] > vols[100] > vols[1000] > 0
    assert all(Fraction(18, 100) < mu * v < Fraction(2, 10) for mu, v in vols.items())   # ~ 0.187 / mu
    avg = Fraction(230, 40)
    assert avg == Fraction(23, 4) and avg != 4


def test_average_construction_average_with_m_tends_to_the_per_cut_ratio_not_n():
    """Each further second-layer neuron adds one slice (n + 2 facets) and 2n slivers, a fixed
    number of regions and facets, so the average tends to their ratio as m grows — 50/9 for
    n = 4 — not to n as the paper's (n m + c1)/(c2 + m) (which ignores the slivers) says."""
    data = []
    for m in (3, 4, 5):
        c = average_faces_network(4, m, 100)
        cx = region_complex(c.network, box=c.box)
        data.append((cx.n_regions, cx.facets_total))
    steps = {(b[0] - a[0], b[1] - a[1]) for a, b in zip(data, data[1:])}
    assert steps == {(9, 50)}                 # 1 slice + 2n = 8 slivers, 50 facets per neuron
    assert Fraction(50, 9) != 4


def test_average_construction_at_small_mu_differs():
    c1 = average_faces_network(4, 2, 1)
    cx = region_complex(c1.network, box=c1.box)
    assert Fraction(cx.facets_total, cx.n_regions) == Fraction(117, 20)
    assert [r.n_facets for r in c1.regions(cx)] == [5, 6, 6]


def test_average_construction_rejects_bad_parameters():
    with pytest.raises(DomainError, match="input_dim"):
        average_faces_network(3, 1, 10, 2)
    with pytest.raises(DomainError, match="n:"):
        average_faces_network(4, 1, 10, 4)       # needs n >= 2d - 3 = 5
    with pytest.raises(DomainError, match="mu"):
        average_faces_network(4, 1, 0)
    with pytest.raises(ValueError):
        average_faces_network(4, 1, "x")
