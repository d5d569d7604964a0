"""The findings about arXiv 2305.09145 stated per triangulation rule (issue 18 item 12, issue 19 §2),
and the enumeration of all triangulations they rest on, each against an independent twin."""

from __future__ import annotations

import warnings
from fractions import Fraction
from itertools import combinations
from math import comb

import numpy as np
import pytest

from exactpoly.complex import region_complex
from exactpoly.errors import BudgetExceededError, DomainError
from exactpoly.geometry.all_triangulations import (
    all_triangulations,
    count_triangulations,
    minimum_triangulation_size,
    triangulation_size_range,
)
from exactpoly.geometry.linalg import determinant, integer_rank
from exactpoly.geometry.triangulation import delaunay_triangulation, simplex_volume
from exactpoly.theory import bounds as bounds_module
from exactpoly.theory.bounds import (
    BOUNDS,
    METHODS,
    TRIANGULATION_RULES,
    NetworkFacts,
    format_claim_results,
    minimum_count,
    verify_network,
)
from exactpoly.theory.constructions import average_faces_network, rational_circle_points
from exactpoly.theory.witnesses import (
    cube_cut_network,
    pentagonal_prism_network,
    theorem11_lines_network,
    theorem12_general_position_network,
)

CUBE = [(x, y, z) for x in (0, 1) for y in (0, 1) for z in (0, 1)]
OCTAHEDRON = [(1, 0, 0), (-1, 0, 0), (0, 1, 0), (0, -1, 0), (0, 0, 1), (0, 0, -1)]
TRIANGULAR_PRISM = [(x, y, z) for z in (0, 1) for x, y in ((0, 0), (1, 0), (0, 1))]


def _catalan(k: int) -> int:
    return comb(2 * k, k) // (k + 1)


def _hull_volume(points) -> Fraction:
    """Twin of a triangulation's volume: the volume of the Delaunay triangulation of the points."""
    return sum((simplex_volume([points[i] for i in s]) for s in delaunay_triangulation(points, len(points[0]))),
               Fraction(0))


def _in_simplex(x, simplex) -> bool:
    """Barycentric coordinates by Cramer's rule, all >= 0 (an independent point-location twin)."""
    rows = [[1, *p] for p in simplex]
    det = determinant([list(map(Fraction, r)) for r in rows])
    lam = []
    for k in range(len(rows)):
        r = [list(map(Fraction, row)) for row in rows]
        r[k] = [Fraction(1), *x]
        lam.append(determinant(r) / det)
    return all(v >= 0 for v in lam)


# ----------------------------------------------------------------------------- all triangulations


@pytest.mark.parametrize("k", range(3, 10))
def test_convex_polygon_has_catalan_many_triangulations(k):
    assert count_triangulations(rational_circle_points(k)) == _catalan(k - 2)


@pytest.mark.parametrize("points, count, sizes", [
    (CUBE, 74, (5, 6)),                 # De Loera, Rambau, Santos: the 3-cube has 74 triangulations
    (OCTAHEDRON, 3, (4, 4)),            # one per diagonal
    (TRIANGULAR_PRISM, 6, (3, 3)),      # 3! ways to cut the three square faces consistently
])
def test_known_polytopes(points, count, sizes):
    assert count_triangulations(points) == count
    assert triangulation_size_range(points) == sizes
    assert minimum_triangulation_size(points) == sizes[0]


@pytest.mark.parametrize("points", [CUBE, OCTAHEDRON, TRIANGULAR_PRISM, rational_circle_points(7),
                                    [(0, 0), (4, 0), (0, 4), (4, 4), (1, 2)]])
def test_every_triangulation_covers_the_hull_once(points):
    vol = _hull_volume(points)
    rng = np.random.default_rng(0)
    samples = []
    for _ in range(20):   # random convex combinations of the points: inside the hull
        w = [Fraction(int(x)) for x in rng.integers(1, 1000, size=len(points))]
        samples.append(tuple(sum(wi * p[c] for wi, p in zip(w, points)) / sum(w) for c in range(len(points[0]))))
    seen = set()
    for t in all_triangulations(points):
        # covers every sample point and has the hull's volume: a tiling
        assert all(any(_in_simplex(x, [points[i] for i in s]) for s in t) for x in samples)
        assert t not in seen
        seen.add(t)
        assert sum((simplex_volume([points[i] for i in s]) for s in t), Fraction(0)) == vol
        assert all(simplex_volume([points[i] for i in s]) > 0 for s in t)
    assert seen


def test_square_with_interior_point():
    # the two diagonals, and the four fans through the interior point (it sees each diagonal split it or not)
    pts = [(0, 0), (4, 0), (4, 4), (0, 4), (1, 2)]
    tris = list(all_triangulations(pts))
    assert sum(1 for t in tris if all(4 not in s for s in t)) == 2
    assert all(len(t) == (2 if all(4 not in s for s in t) else 4) for t in tris)


@pytest.mark.parametrize("seed", range(6))
def test_branch_and_bound_minimum_equals_enumeration(seed):
    rng = np.random.default_rng(seed)
    pts = list({tuple(int(x) for x in rng.integers(-6, 7, size=3)) for _ in range(8)})
    lo, hi = triangulation_size_range(pts)
    assert minimum_triangulation_size(pts) == lo
    assert lo <= len(delaunay_triangulation(pts, 3)) <= hi


def test_budgets_and_bad_points():
    with pytest.raises(BudgetExceededError, match="max_points"):
        count_triangulations(rational_circle_points(8), max_points=7)
    with pytest.raises(BudgetExceededError, match="max_nodes"):
        minimum_triangulation_size(rational_circle_points(12), max_nodes=3)
    with pytest.raises(DomainError, match="span"):
        count_triangulations([(0, 0), (1, 1), (2, 2)])
    with pytest.raises(DomainError, match="repeated"):
        count_triangulations([(0, 0), (1, 0), (0, 1), (0, 1)])


# ----------------------------------------------------------------------------- Theorem 3 per rule


def _by_claim(net, box, names, methods=TRIANGULATION_RULES):
    return {r.claim: r for r in verify_network(net, box=box, bounds=names, methods=methods)}


def test_cube_cut_theorem3_fails_only_for_the_canonical_triangulation():
    c = cube_cut_network()
    cx = region_complex(c.network, box=c.box)
    assert [r.n_facets for r in c.regions(cx)] == list(c.expected_facets)
    bound = BOUNDS["theorem3"].evaluate(d=3, n=1)
    canonical = sum(r.n_simplices for r in cx.regions)
    delaunay = sum(len(r.delaunay_simplices) for r in cx.regions)
    minimum = sum(triangulation_size_range(r.vertices)[0] for r in cx.regions)
    assert canonical > bound and delaunay <= bound and minimum <= bound
    res = _by_claim(c.network, c.box, ["theorem3"])
    assert [res[f"theorem3 [{m}]"].holds for m in TRIANGULATION_RULES] == [False, True, True]
    assert res["theorem3 [minimum]"].value == minimum


@pytest.mark.parametrize("box", [1, 2, 5, 100])
def test_skew_cube_cut_theorem3_fails_for_delaunay_not_for_the_minimum(box):
    c = cube_cut_network((1, 2, 3), "1/5", box=box)
    cx = region_complex(c.network, box=c.box)
    bound = BOUNDS["theorem3"].evaluate(d=3, n=1)
    delaunay = sum(len(r.delaunay_simplices) for r in cx.regions)
    ranges = [triangulation_size_range(r.vertices) for r in cx.regions]
    assert delaunay > bound and sum(lo for lo, _ in ranges) < bound
    res = _by_claim(c.network, c.box, ["theorem3"], methods=["delaunay", "minimum"])
    assert res["theorem3 [delaunay]"].holds is False and res["theorem3 [delaunay]"].value == delaunay
    assert res["theorem3 [minimum]"].holds is True
    assert res["theorem3 [minimum]"].value == sum(lo for lo, _ in ranges)


def test_pentagonal_prism_every_triangulation_has_more_simplices_than_facets():
    c = pentagonal_prism_network()
    cx = region_complex(c.network, box=c.box)
    prism = c.regions(cx)[1]
    assert prism.n_facets == c.expected_facets[1]
    lo, hi = triangulation_size_range(prism.vertices)
    assert lo > prism.n_facets
    sizes = {len(t) for t in all_triangulations(prism.vertices)}
    assert min(sizes) == lo and max(sizes) == hi
    res = _by_claim(c.network, c.box, ["theorem1_step"])
    assert all(res[f"theorem1_step [{m}]"].holds is False for m in TRIANGULATION_RULES)
    assert res["theorem1_step [minimum]"].value == lo


def test_minimum_is_opt_in_and_undecided_beyond_its_budget(monkeypatch):
    c = pentagonal_prism_network()
    assert {r.claim for r in verify_network(c.network, box=c.box, bounds=["theorem3"])} == \
        {f"theorem3 [{m}]" for m in METHODS}
    monkeypatch.setattr(bounds_module, "MINIMUM_MAX_VERTICES", 6)
    cx = region_complex(c.network, box=c.box)
    assert [minimum_count(r) for r in cx.regions] == [3, None]     # the triangular prism needs no search
    res = _by_claim(c.network, c.box, ["theorem3", "theorem1_step"], methods=["minimum"])
    for claim in ("theorem3 [minimum]", "theorem1_step [minimum]"):
        assert res[claim].holds is None and "1 of 2 regions" in res[claim].witness["not computed"]
    assert "not computed for 1 of 2 regions" in format_claim_results(list(res.values()))


def test_minimum_count_needs_no_search_when_a_triangulation_has_v_minus_d_simplices():
    cx = region_complex(cube_cut_network((1, 2, 3), "1/5").network, box=1)
    small = min(cx.regions, key=lambda r: r.n_vertices)
    assert minimum_count(small, max_vertices=0) == triangulation_size_range(small.vertices)[0] \
        == small.n_vertices - 3


# ----------------------------------------------------------------------------- Theorems 11 and 12


@pytest.mark.parametrize("n", [3, 5, 12])
def test_theorem11_fails_without_degeneracy(n):
    c = theorem11_lines_network(n)
    facts = NetworkFacts(c.network, region_complex(c.network, box=c.box))
    normals = [h.normal for h in facts.arrangement]
    assert facts.m == n and facts.d0 == 2 and facts.d == 4
    assert all(integer_rank([a, b]) == 2 for a, b in combinations(normals, 2))
    assert facts.holds("zero_biases") and facts.holds("box_large")
    average = Fraction(facts.cx.facets_total, facts.cx.n_regions)
    assert facts.cx.n_regions == 2 * n                      # 2n wedges around the common 2-flat
    assert average == 7 + Fraction(2, n)                    # (14n + 4) / 2n, counted by hand
    assert average > BOUNDS["theorem11_large_n"].evaluate(d=4, d0=2)


def test_theorem12_fails_in_general_position():
    n = 15
    c = theorem12_general_position_network(n)
    cx = region_complex(c.network, box=c.box)
    facts = NetworkFacts(c.network, cx)
    assert facts.d0 == 2 and facts.holds("low_rank_general_position") and facts.holds("box_large")
    regions = sum(comb(n, i) for i in range(3))
    # in the plane: n lines cut into n pieces each (two sides), 2n + 4 wall pieces; plus top and bottom
    assert (cx.n_regions, cx.facets_total) == (regions, 2 * n * n + 2 * n + 4 + 2 * regions) == (121, 726)
    r = {x.claim: x for x in verify_network(c.network, complex=cx, bounds=["theorem12_large_n"])}
    assert r["theorem12_large_n"].applicable and r["theorem12_large_n"].holds is False
    assert (r["theorem12_large_n"].value, r["theorem12_large_n"].bound) == (6, 5)


# ----------------------------------------------------------------------------- Section IV


@pytest.mark.parametrize("n", [3, 4])
def test_average_faces_construction_stays_below_six(n):
    cxs = [region_complex(c.network, box=c.box) for c in (average_faces_network(n, m, 100) for m in range(4))]
    for m, cx in enumerate(cxs):
        # each second-layer neuron adds one slice and 2n slivers: 2n + 1 regions, 12n + 2 facets
        assert cx.n_regions == cxs[0].n_regions + m * (2 * n + 1)
        assert cx.facets_total == cxs[0].facets_total + m * (12 * n + 2)
        assert Fraction(cx.facets_total, cx.n_regions) < 6
    assert Fraction(12 * n + 2, 2 * n + 1) < 6


# ----------------------------------------------------------------------------- renamed proof steps


@pytest.mark.parametrize("old, new", sorted(bounds_module.RENAMED_BOUNDS.items()))
def test_renamed_proof_steps_keep_their_old_names_with_a_warning(old, new):
    with pytest.warns(DeprecationWarning, match=new):
        assert BOUNDS[old] is BOUNDS[new]
    assert old not in list(BOUNDS) and new in list(BOUNDS) and BOUNDS[new].source.startswith("proof of")
    net = theorem12_general_position_network(4).network
    with pytest.warns(DeprecationWarning):
        res = verify_network(net, box=2, bounds=[old])
    assert [r.claim for r in res] == [new]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert BOUNDS.get(new) is BOUNDS[new]


# ----------------------------------------------------------------------------- the command line


def test_verify_cli_minimum_is_opt_in_and_named_in_the_output(capsys, tmp_path):
    import json

    from exactpoly.cli import main
    from exactpoly.network import write_network

    path = tmp_path / "prism.json"
    write_network(pentagonal_prism_network().network, path)
    assert main(["verify", str(path), "--box", "1"]) == 0
    out = capsys.readouterr().out
    assert "[minimum]" not in out and "minimum over all triangulations with --minimum" in out.splitlines()[0]
    assert main(["verify", str(path), "--box", "1", "--minimum", "--json"]) == 0
    items = {it["claim"]: it for it in json.loads(capsys.readouterr().out)}
    assert items["theorem1_step [minimum]"]["holds"] is False
    prism = region_complex(pentagonal_prism_network().network, box=1).regions[1]
    assert items["theorem1_step [minimum]"]["value"] == str(triangulation_size_range(prism.vertices)[0])
    assert items["theorem1_step [minimum]"]["bound"] == str(prism.n_facets)
