"""Input dimension 4 to 8 (issue 17 §2): twins of every count, the volume identity and the budgets.

* the complexes of small random nets in d = 4..8 against the brute-force twin
  (activation patterns by exact LPs, facets, adjacency; vertices where the twin's
  C(facets, d) enumeration is small), ``tests/twins.py``;
* the volume identity: the regions' exact volumes add up to the box's, ``(2B)^d``;
* the canonical triangulation (docs/conventions.md, "Canonical triangulation") against an
  independent listing written here from the definition, on Fractions: the simplex
  counts of the face walk, the listed simplices and the volume summed over the walk
  (``kernels.pulling_count_volume``) against the simplices' determinants;
* the compiled kernels against their Python twins, budgets included.
"""

from __future__ import annotations

from fractions import Fraction
from itertools import combinations
from math import factorial

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactpoly import region_complex, summary
from exactpoly.complex import _kernels_py as PY
from exactpoly.complex import kernels
from exactpoly.errors import BudgetExceededError
from exactpoly.geometry.linalg import determinant
from exactpoly.network import network_from_layers, random_network

try:
    from twins import brute_force_complex
except ImportError:  # tests/ imported as a package
    from tests.twins import brute_force_complex


def _net(d: int, seed: int = 0, arch: str = "3-2-1"):
    return random_network(f"{d}-{arch}", "xavier_uniform", bias=0.1, seed=seed)


def _independent_pulling(vertices, facet_sets, dim):
    """The lexicographic pulling triangulation from its definition: T(F) = {F} for a simplex,
    else the cones from F's lexicographically smallest vertex over T(G), G the facets of F
    not containing it; the facets of a face are the maximal proper intersections with the
    polytope's facets. Frozensets of indices, no bit masks, no memo."""
    def tri(face, k):
        if len(face) == k + 1:
            return [face]
        v = min(face, key=lambda i: vertices[i])
        cuts = {face & g for g in facet_sets} - {face, frozenset()}
        facets = [c for c in cuts if not any(c < o for o in cuts)]
        return [s | {v} for G in facets if v not in G for s in tri(G, k - 1)]

    return sorted(tuple(sorted(s)) for s in tri(frozenset(range(len(vertices))), dim))


def _simplex_volume(points) -> Fraction:
    p0 = points[0]
    return abs(determinant([[a - b for a, b in zip(p, p0)] for p in points[1:]])) / factorial(len(p0))


@pytest.mark.parametrize("d", [4, 5, 6, 7, 8])
def test_complex_matches_brute_force_and_tiles_the_box(d):
    net = _net(d, arch="3-1" if d > 5 else "3-2-1")  # the twin's LPs grow fast with d
    cx = region_complex(net, box=1)
    regions, adjacency = brute_force_complex(net, 1, vertices=False)
    assert sorted(r.pattern for r in cx.regions) == sorted(regions)
    for r in cx.regions:
        assert {f.row: (f.neurons, f.walls) for f in r.facets} == regions[r.pattern]["facets"]
    assert {frozenset((cx.regions[u].pattern, cx.regions[v].pattern)) for u, v, _n in cx.edges} == adjacency
    assert len(cx.regions) > 1
    s = summary(cx)
    if d == 8:  # a piece of the 8-cube has more than 8! / 2 = 20,160 simplices: over the default budget
        assert s["volume_total"] is None and "EXACTPOLY_MAX_SIMPLICES" in s["not_computed"]["volume_total"]
        assert s["simplices_total"] == sum(r.n_simplices for r in cx.regions) > 20_000
        return
    # the volume identity: the regions tile [-1, 1]^d
    assert sum(r.volume for r in cx.regions) == cx.volume_total == 2 ** d
    assert "not_computed" not in s and s["simplices_total"] == sum(len(r.simplices) for r in cx.regions)


def test_vertices_match_brute_force():
    net = _net(4, seed=1)
    cx = region_complex(net, box=1)
    regions, _adjacency = brute_force_complex(net, 1)
    for r in cx.regions:
        assert set(r.vertices) == regions[r.pattern]["vertices"]


@pytest.mark.parametrize("d", [4, 5, 6])  # d = 7 regions pass the default simplex budget
def test_canonical_triangulation_against_an_independent_listing(d):
    cx = region_complex(_net(d, seed=2), box=1)
    for r in cx.regions:
        facet_sets = [frozenset(f.vertices) for f in r.facets]
        want = _independent_pulling(r.vertices, facet_sets, d)
        assert r.n_simplices == len(want)  # counted by the face walk, before any listing
        volume = sum(_simplex_volume([r.vertices[i] for i in s]) for s in want)
        assert r.volume == volume  # summed over the face walk, no simplex listed
        assert "simplices" not in r.__dict__
        assert list(r.simplices) == want


def test_pure_python_path_is_identical_in_dimension_5():
    net = _net(5, seed=3)
    got = region_complex(net, box=1)
    with kernels.pure_python():
        want = region_complex(net, box=1)
        assert [(r.n_simplices, r.volume) for r in want.regions] == [(r.n_simplices, r.volume) for r in got.regions]
    assert summary(got) == summary(want)


def _regions(d, seed=0):
    return [r for r in region_complex(random_network(f"{d}-6-1", "xavier_uniform", bias=0.1, seed=seed),
                                      box=1).regions]


@pytest.mark.parametrize("d", [4, 5, 6])
def test_pulling_count_volume_twin(d):
    """The compiled walk against the Python twin on real regions, at every budget around its size."""
    from exactpoly.complex._fast import pulling_count_volume

    for r in _regions(d):
        n, fv = len(r.points), [f.vertices for f in r.facets]
        if n > 64 or len(fv) > 64:  # beyond 64-bit masks: the compiled walk declines
            assert pulling_count_volume(n, fv, d, 10**6, 10**6, r.points, True) is None
            continue
        full = PY.pulling_count_volume(n, fv, d, 10**6, 10**6, r.points, True)
        assert pulling_count_volume(n, fv, d, 10**6, 10**6, r.points, True) == full
        count = full[0]
        assert count == len(full[2]) > 0
        for faces in range(0, 12):
            for cap in (count - 1, count):
                want = PY.pulling_count_volume(n, fv, d, faces, cap, r.points)
                assert pulling_count_volume(n, fv, d, faces, cap, r.points) == want
                if want[0] >= 0:
                    assert want[0] == count and (want[1] is None) == (cap < count)
    assert pulling_count_volume(65, [(0, 1)], 4, 10, 10, None) is None  # beyond 64-bit masks: the Python path


@settings(max_examples=60, deadline=None)
@given(d=st.integers(1, 8), data=st.data())
def test_volume_numerator_nd_twin(d, data):
    from exactpoly.complex._fast import volume_numerator_nd

    coord = st.integers(-4, 4) | st.integers(-10**30, 10**30)
    pts = data.draw(st.lists(st.tuples(st.integers(1, 6) | st.integers(1, 10**20), *[coord] * d),
                             min_size=d + 1, max_size=d + 4))
    pts = tuple(pts + pts[:1])  # a repeated point: degenerate simplices add 0
    simplices = tuple(sorted(data.draw(st.lists(st.sampled_from(list(combinations(range(len(pts)), d + 1))),
                                                max_size=10))))
    assert volume_numerator_nd(pts, simplices, d) == PY.volume_numerator(pts, simplices)


def test_budgets_are_reported_not_exhausted(monkeypatch):
    """Over a budget a region keeps what it can and the summary names the rest."""
    net = _net(6, seed=0)
    full = summary(region_complex(net, box=1))
    monkeypatch.setenv("EXACTPOLY_MAX_SIMPLICES", "5")
    s = summary(region_complex(net, box=1))
    assert s["simplices_total"] == full["simplices_total"]  # counted, not listed
    assert s["volume_total"] is None and "EXACTPOLY_MAX_SIMPLICES" in s["not_computed"]["volume_total"]
    monkeypatch.setenv("EXACTPOLY_MAX_TRIANGULATION_FACES", "1")
    cx = region_complex(net, box=1)
    s = summary(cx)
    assert s["simplices_total"] is None and s["volume_total"] is None
    assert "EXACTPOLY_MAX_TRIANGULATION_FACES" in s["not_computed"]["simplices_total"]
    big = max(cx.regions, key=lambda r: len(r.points))
    with pytest.raises(BudgetExceededError, match="visits more than 1 faces"):
        big.n_simplices  # noqa: B018
    assert s["regions"] == full["regions"] and s["facets_total"] == full["facets_total"]


def test_one_neuron_in_dimension_12():
    """A hyperplane through the 12-cube: two regions with their facets and vertices; the
    triangulation fields stop at the face budget and say so."""
    d = 12
    net = network_from_layers(d, [([[1] * d], ["1/3"]), ([[1]], [0])])
    s = summary(region_complex(net, box=1))
    assert s["regions"] == 2 and s["facets_total"] == 2 * (2 * d + 1)  # 2d box walls and the hyperplane
    assert s["simplices_total"] is None and s["volume_total"] is None
    assert "EXACTPOLY_MAX_TRIANGULATION_FACES" in s["not_computed"]["simplices_total"]
