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
    """The compiled walk against the Python twin on real regions, at every budget around its size;
    regions of more than 64 vertices or facets take the multi-word walk."""
    from exactpoly.complex._fast import pulling_count_volume

    wide = 0
    for r in _regions(d):
        n, fv = len(r.points), [f.vertices for f in r.facets]
        full = PY.pulling_count_volume(n, fv, d, 10**6, 10**6, r.points, True)
        assert pulling_count_volume(n, fv, d, 10**6, 10**6, r.points, True) == full
        count = full[0]
        assert count == len(full[2]) > 0
        if n > 64 or len(fv) > 64:
            wide += 1
            if wide > 3:  # the Python twin is slow there: every budget on a few regions
                continue
        for faces in range(0, 12):
            for cap in (count - 1, count):
                want = PY.pulling_count_volume(n, fv, d, faces, cap, r.points)
                assert pulling_count_volume(n, fv, d, faces, cap, r.points) == want
                if want[0] >= 0:
                    assert want[0] == count and (want[1] is None) == (cap < count)
    assert (wide > 0) == (d > 4)  # the 5-6-1 and 6-6-1 nets have box pieces of more than 64 vertices
    assert pulling_count_volume(65, [(0, 1)], 4, 10, 10, None) == PY.pulling_count_volume(65, [(0, 1)], 4, 10, 10,
                                                                                          None)


def _lex_polytope(points, facet_rows):
    """Homogeneous integer vertices in lexicographic order and the facet-vertex incidences of
    the rows ``(b, a)`` (``b + a·x >= 0``)."""
    pts = sorted(points)
    hom = tuple((1, *p) for p in pts)
    facets = [tuple(i for i, p in enumerate(pts) if b + sum(x * y for x, y in zip(a, p)) == 0) for b, a in facet_rows]
    return hom, facets


@pytest.mark.parametrize("d", [6, 7])
def test_wide_walk_on_a_cube(d):
    """The d-cube [-1, 1]^d (2^d vertices: over 64 for d >= 7, one word more for each d beyond):
    pulling from a vertex cones over the d facets avoiding it, so d! simplices of volume 2^d / d!
    each; the compiled walk, the Python twin and the closed form agree."""
    from itertools import product

    from exactpoly.complex._fast import pulling_count_volume

    rows = [(1, tuple((s if k == j else 0) for k in range(d))) for j in range(d) for s in (1, -1)]
    hom, facets = _lex_polytope(list(product((-1, 1), repeat=d)), rows)
    n = len(hom)
    got = pulling_count_volume(n, facets, d, 10**6, 10**6, hom, True)
    count, (num, den), simplices = got
    assert count == len(simplices) == factorial(d)
    assert Fraction(num, den * factorial(d)) == 2 ** d
    assert got == PY.pulling_count_volume(n, facets, d, 10**6, 10**6, hom, True)
    for faces, cap in ((0, 10**6), (1, 10**6), (d, count), (10**6, count - 1)):  # budgets: the same verdicts
        assert pulling_count_volume(n, facets, d, faces, cap, hom) == PY.pulling_count_volume(n, facets, d, faces,
                                                                                               cap, hom)


def test_wide_walk_on_a_cross_polytope():
    """The cross-polytope in d = 7: 14 vertices but 2^7 = 128 facets (over 64 facets).
    Pulling its lexicographically smallest vertex -e_1 cones over the 2^6 facets avoiding it,
    each a simplex: 64 simplices of volume 1/d! each (2^d / d! in all)."""
    from itertools import product

    from exactpoly.complex._fast import pulling_count_volume

    d = 7
    points = [tuple((s if k == j else 0) for k in range(d)) for j in range(d) for s in (1, -1)]
    rows = [(1, tuple(-x for x in signs)) for signs in product((-1, 1), repeat=d)]
    hom, facets = _lex_polytope(points, rows)
    got = pulling_count_volume(len(hom), facets, d, 10**6, 10**6, hom, True)
    count, (num, den), simplices = got
    assert count == len(simplices) == 2 ** (d - 1)
    assert all(s[0] == 0 for s in simplices)  # every simplex is a cone from the pulled vertex
    assert Fraction(num, den * factorial(d)) == Fraction(2 ** d, factorial(d))
    assert got == PY.pulling_count_volume(len(hom), facets, d, 10**6, 10**6, hom, True)
    assert pulling_count_volume(len(hom), facets, d, 0, 10**6, hom) == (-1, None, None)  # the root is not a simplex


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


@pytest.mark.parametrize("d", [1, 2, 3, 5, 8])
@pytest.mark.parametrize("B", [Fraction(1), Fraction(3, 2), Fraction(1, 3)])
def test_box_facets_closed_form_matches_the_rank_test(d, B):
    """The root box's facets in closed form (``build.box_facets``) against
    ``polyhedron.facets_of`` (dot products and a rank per row) on the same vertices."""
    from exactpoly.complex.build import box_facets, root_cell
    from exactpoly.geometry.dd import generators_of
    from exactpoly.geometry.polyhedron import box_rows, facets_of

    br = box_rows(B, d)
    rows = [r for r, _ in br]
    gens = generators_of(rows, d)
    want = facets_of(rows, [frozenset([("w", j, s)]) for _, (j, s) in br], gens, d)
    assert box_facets(br, gens.points) == want
    assert len(want) == 2 * d and all(len(f[2]) == 2 ** (d - 1) for f in want)
    root = root_cell(d, B)
    assert root.facets == facets_of(rows, [frozenset([("w", j, s)]) for _, (j, s) in br], root.gens, d)


@pytest.mark.parametrize("d", [1, 3, 6])
@pytest.mark.parametrize("B", [Fraction(1), Fraction(3, 2)])
def test_box_vertices_closed_form_and_order_free(d, B, monkeypatch):
    """The root box's vertices in closed form (``build.box_generators``, lexicographic order) are
    the double description's (cdd, its own order), and the complex built from either order is
    the same (regions, facets, vertices, volumes, edges)."""
    from exactpoly.complex import build
    from exactpoly.geometry.dd import generators_of
    from exactpoly.geometry.polyhedron import box_rows

    rows = [r for r, _ in box_rows(B, d)]
    dd = generators_of(rows, d)
    closed = build.box_generators(B, d)
    assert sorted(closed.points) == sorted(dd.points) and not closed.rays and not closed.lines
    assert list(closed.points) == sorted(closed.points, key=lambda p: [Fraction(x, p[0]) for x in p[1:]])
    net = _net(d, seed=4, arch="4-2-1")

    def fingerprint(cx):
        return [(r.pattern, r.facets, r.points, r.volume) for r in cx.regions], cx.edges

    got = fingerprint(region_complex(net, box=B))
    monkeypatch.setattr(build, "box_generators", lambda B, d: generators_of([r for r, _ in box_rows(B, d)], d))
    assert fingerprint(region_complex(net, box=B)) == got
