"""The bounds of arXiv 2305.09145: formulas at hand-computed values, the symbolic checks,
hypotheses decided exactly, property tests that every applicable bound holds where the
paper claims it, and one documenting test for every claim that fails (with its witness)."""

from __future__ import annotations

import pickle
from fractions import Fraction
from math import comb

import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exactpoly.arrangements.arrangement import n_regions, n_regions_central_subsets, zaslavsky_bound
from exactpoly.arrangements.catalog import central_generic_arrangement, generic_arrangement
from exactpoly.complex import region_complex
from exactpoly.errors import DomainError
from exactpoly.network import network_from_layers, random_network
from exactpoly.strategies import relu_networks
from exactpoly.theory import bounds as bounds_module
from exactpoly.theory.bounds import (
    BOUNDS,
    CLAIM_KINDS,
    HYPOTHESES,
    KINDS,
    METHODS,
    Bound,
    Checker,
    Hypothesis,
    NetworkFacts,
    _registry,
    claim_kind,
    claim_result_to_mapping,
    evaluate_expression,
    format_claim_results,
    format_claim_summary,
    hypothesis_holds,
    n,
    n_parameters,
    quantity_checker,
    region_checker,
    symbolic_checks,
    verify_network,
)

# ----------------------------------------------------------------------------- formulas


def test_table1_bound_rows_from_the_formulas():
    assert [BOUNDS["theorem1_one_layer"].evaluate(d=3, n=k) for k in (7, 8, 9, 10)] == [482, 686, 942, 1256]
    assert [BOUNDS["theorem3"].evaluate(d=3, n=k) for k in (7, 8, 9, 10)] == [482, 686, 942, 1256]
    lower = [BOUNDS["theorem2_one_layer"].evaluate(d=3, n=k) for k in (7, 8, 9, 10)]
    assert lower == [77, 116, Fraction(333, 2), 230]       # the paper prints 166 for 333/2
    assert [BOUNDS["theorem4"].evaluate(d=3, n=k) for k in (7, 8, 9, 10)] == lower


@pytest.mark.parametrize("name, values, expected", [
    ("lemma1", {"d": 2, "m": 4}, 1 + 4 + 6),
    ("lemma1", {"d": 3, "m": 2}, 4),
    ("lemma2", {"d": 2, "widths": (3, 1)}, 7 * 2),            # m_2 = min(2, 3, 1) = 1
    ("lemma2", {"d": 3, "widths": (7,)}, 64),
    ("lemma3", {"d": 2, "widths": (4, 4)}, 2 * 11),
    ("lemma3_exponent_d", {"d": 2, "widths": (4, 4)}, 4 * 11),
    ("lemma3", {"d": 3, "widths": (5,)}, 1 + 5 + 10 + 10),   # L = 1: an empty product
    ("lemma6", {"d": 3, "m": 5}, comb(4, 2) + 1 + 5 + 10),
    ("lemma6", {"d": 2, "m": 7}, 14),                         # 7 lines through 0: 14 sectors
    ("theorem3", {"d": 2, "n": 3}, 2 * 3 * 3 + 4 * 4),
    ("theorem3", {"d": 1, "n": 5}, 2 * 5 + 2),
    ("theorem3_facets", {"d": 3, "n": 1}, 14),
    ("theorem4", {"d": 2, "n": 3}, 6),
    ("theorem4_facets", {"d": 3, "n": 7}, 308),
    ("theorem5_step", {"d": 2, "n": 3, "f": 5}, 2 * 3 * 3 + 5 * 4),
    ("theorem8_step_eq11", {"d": 2, "n": 12}, Fraction(340, 79)),
    ("theorem8_proof", {"d": 2, "n": 12}, Fraction(52, 11)),
    ("theorem8_large_n", {"d": 3}, 7),
    ("theorem10_one_layer", {"d": 2, "n": 4}, Fraction(36, 8)),
    ("theorem12_step_eq12", {"d": 2, "n": 6, "d0": 1}, Fraction(16, 7)),
    ("theorem12_step_eq12", {"d": 3, "n": 7, "d0": 3}, Fraction(482, 64)),   # d0 = d: Theorem 8's (11)
    ("theorem12_proof", {"d": 2, "n": 6, "d0": 1}, Fraction(2) + Fraction(4, 6)),
    ("theorem12_large_n", {"d0": 1}, 3),
])
def test_formulas_at_hand_computed_values(name, values, expected):
    assert BOUNDS[name].evaluate(**values) == expected


def test_every_bound_is_well_formed():
    assert len(BOUNDS) >= 40
    for name, b in BOUNDS.items():
        assert isinstance(b, Bound) and b.name == name
        assert b.kind in KINDS and all(h in HYPOTHESES for h in b.hypotheses)
        assert b.statement and b.source
        if b.kind == "asymptotic":
            assert not b.is_checkable
        if b.kind == "large_n":
            assert b.is_checkable == (b.threshold is not None)
    assert BOUNDS["theorem1"].error_order == n ** (BOUNDS["theorem1"].symbols[1] * BOUNDS["theorem1"].symbols[2] - 1)
    assert BOUNDS["theorem8_large_n"].evaluate(d=2) == 5
    assert evaluate_expression(BOUNDS["theorem8_large_n"].threshold, {"d": 3}) == 21
    assert evaluate_expression(BOUNDS["theorem12_large_n"].threshold, {"d": 2, "d0": 1}) == 5


def test_bad_values_are_rejected():
    with pytest.raises(DomainError, match="unknown symbol"):
        BOUNDS["theorem3"].evaluate(d=3, q=2)
    with pytest.raises(DomainError, match="no value"):
        BOUNDS["theorem3"].evaluate(d=3)
    with pytest.raises(DomainError, match="unknown hypothesis"):
        hypothesis_holds("large", random_network("2-2-1"))
    with pytest.raises(DomainError, match="unknown bound"):
        verify_network(random_network("2-2-1"), bounds=["theorem99"])
    with pytest.raises(DomainError, match="methods"):
        verify_network(random_network("2-2-1"), methods=["voronoi"])


def test_n_parameters():
    assert n_parameters((3, 7, 1)) == 3 * 7 + 7 + 7 + 1
    assert n_parameters(random_network("3-4-4-1")) == 16 + 20 + 5


# ----------------------------------------------------------------------------- the registries

#: The bounds checked once per triangulation method (their check counts simplices).
SIMPLEX_BOUNDS = {"theorem1", "theorem1_one_layer", "theorem1_step", "theorem1_step_total", "theorem2",
                  "theorem2_one_layer", "theorem3", "theorem4", "theorem4_asymptotic", "theorem4_step", "theorem5",
                  "theorem6", "theorem8_step", "theorem8_step_total"}


def test_registries_are_consistent():
    assert all(h.name == name and callable(h.predicate) for name, h in HYPOTHESES.items())
    for name, b in BOUNDS.items():
        assert set(b.hypotheses) <= set(HYPOTHESES), name
        assert b.checker is None or (isinstance(b.checker, Checker) and callable(b.checker.run)), name
        if b.is_checkable:
            assert b.checker is not None, name
    # only Theorem 7 (asymptotic, S / #parameters) has no checker: one network never decides it
    assert {name for name, b in BOUNDS.items() if b.checker is None} == {"theorem7_deep", "theorem7_shallow"}
    assert {name for name, b in BOUNDS.items() if b.counts_simplices} == SIMPLEX_BOUNDS
    # every hypothesis some bound names is decided by its own predicate, not by a shared fallback
    used = {h for b in BOUNDS.values() for h in b.hypotheses}
    assert used == set(HYPOTHESES)
    assert len({HYPOTHESES[h].predicate for h in used}) == len(used)
    # the registries stay picklable values (module-level predicates and checkers)
    assert pickle.loads(pickle.dumps(BOUNDS)) == BOUNDS and pickle.loads(pickle.dumps(HYPOTHESES)) == HYPOTHESES


def test_registry_names_are_unique():
    with pytest.raises(DomainError, match="registered twice"):
        _registry([BOUNDS["lemma1"], BOUNDS["lemma2"], BOUNDS["lemma1"]])
    with pytest.raises(DomainError, match="registered twice"):
        _registry([HYPOTHESES["input_dim_2"], Hypothesis("input_dim_2", "again", lambda facts: True)])


def test_bound_and_hypothesis_refuse_what_cannot_be_checked():
    with pytest.raises(DomainError, match="checker"):   # checkable, on a quantity with no standard checker
        Bound("toy", "none", "x", "vertices_total", "<=", n, (n,), "exact")
    with pytest.raises(DomainError, match="checker: expected a Checker"):
        Bound("toy", "none", "x", "regions", "<=", n, (n,), "exact", checker=lambda facts: True)
    with pytest.raises(DomainError, match="unknown hypothesis"):
        Bound("toy", "none", "x", "regions", "<=", n, (n,), "exact", hypotheses=("toy_unregistered",))
    with pytest.raises(DomainError, match="predicate"):
        Hypothesis("toy", "x", predicate=True)
    with pytest.raises(DomainError, match="run"):
        Checker(run=None)
    # an asymptotic bound on an unmeasured quantity needs no checker; the standard ones come from the quantity
    assert Bound("toy", "none", "x", "vertices_total", "<=", n, (n,), "asymptotic").checker is None
    assert Bound("toy", "none", "x", "simplices_total", "<=", n, (n,), "exact").counts_simplices
    # a hypothesis without a predicate is stated, not decided
    facts = NetworkFacts(network_from_layers(1, [([[1]], [0]), ([[1]], [0])]))
    with pytest.raises(DomainError, match="unknown hypothesis"):
        facts.holds("toy_unregistered")


def _toy_registries(monkeypatch, calls):
    """Copies of the registries with two toy hypotheses and four toy bounds, patched into the module."""
    m = bounds_module.m  # the number of distinct first-layer hyperplanes

    def distinct(facts):
        calls.append(facts.net.architecture)
        return facts.m == facts.widths[0]

    hyps = {**HYPOTHESES,
            "toy_distinct": Hypothesis("toy_distinct", "no two first-layer neurons share a hyperplane", distinct),
            "toy_never": Hypothesis("toy_never", "toy hypothesis that never holds", lambda facts: False)}
    monkeypatch.setattr(bounds_module, "HYPOTHESES", hyps)
    toys = [
        # a network quantity: the standard checker of "regions" against the expression
        Bound("toy_regions", "toy", "#regions <= 2^m", "regions", "<=", 2 ** m, (m,), "exact",
              hypotheses=("one_hidden_layer", "toy_distinct")),
        Bound("toy_false", "toy", "#regions <= m", "regions", "<=", m, (m,), "exact",
              hypotheses=("toy_distinct",)),
        # one inequality per region, once per triangulation method
        Bound("toy_vertices", "toy", "#vertices(R) <= (d+1) #simplices(R)", "region_vertices", "<=",
              sympy.Symbol("s"), (), "exact", hypotheses=("bounded_domain",),
              checker=region_checker(lambda region, s, dim: (region.n_vertices, (dim + 1) * s))),
        Bound("toy_blocked", "toy", "never checked", "regions", ">=", m, (m,), "exact", hypotheses=("toy_never",)),
    ]
    monkeypatch.setattr(bounds_module, "BOUNDS", {**BOUNDS, **{b.name: b for b in toys}})
    return toys


def test_a_toy_bound_and_hypothesis_added_to_the_registries_are_verified_with_no_other_edit(monkeypatch):
    calls = []
    toys = _toy_registries(monkeypatch, calls)
    net = network_from_layers(2, [([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [0])])   # four unit squares in [-1, 1]^2
    results = verify_network(net, box=1)
    toy_claims = ["toy_regions", "toy_false", "toy_vertices [lexicographic-pulling]", "toy_vertices [delaunay]",
                  "toy_blocked"]
    assert [r.claim for r in results[-5:]] == toy_claims                  # appended in registry order
    res = {r.claim: r for r in results}
    assert len(results) == len(BOUNDS) + len(SIMPLEX_BOUNDS) + 5
    r = res["toy_regions"]
    assert (r.applicable, r.bound, r.value, r.holds, r.witness) == (True, 4, 4, True, None)
    r = res["toy_false"]
    assert (r.bound, r.value, r.holds, r.witness) == (2, 4, False, {"network": "2-2-1"})
    for mth in METHODS:                                                   # 4 vertices, 2 triangles per square
        r = res[f"toy_vertices [{mth}]"]
        assert (r.value, r.bound, r.holds) == (4, 6, True)
    r = res["toy_blocked"]
    assert not r.applicable and r.failed_hypotheses == ("toy hypothesis that never holds",)
    assert calls == ["2-2-1"]                                             # decided once per network
    # the same entries through the other public entry points
    assert hypothesis_holds("toy_distinct", net) and not hypothesis_holds("toy_never", net)
    text = format_claim_results(verify_network(net, box=1, bounds=["toy_false"]))
    assert text.splitlines()[1].split()[:6] == ["toy_false", "other", "NO", "4", "<=", "2"]
    # a failing per-region toy reports its smallest witness region
    duplicated = network_from_layers(2, [([[1, 0], [2, 0]], [0, 0]), ([[1, 1]], [0])])
    r = {r.claim: r for r in verify_network(duplicated, box=1, bounds=["toy_false", "toy_regions"])}
    assert not r["toy_false"].applicable and not r["toy_regions"].applicable
    assert toys[0].checker is BOUNDS["lemma2"].checker                   # "regions" has one standard checker


def test_the_toy_registries_do_not_leak():
    assert not any(name.startswith("toy") for name in [*BOUNDS, *HYPOTHESES])
    assert bounds_module.BOUNDS is BOUNDS and bounds_module.HYPOTHESES is HYPOTHESES


def test_a_per_region_check_needs_an_inequality(monkeypatch):
    eq = Bound("toy_eq", "toy", "#facets(R) == #simplices(R)", "region_facets", "==", sympy.Symbol("s"), (),
               "exact", checker=region_checker(lambda region, s, dim: (region.n_facets, s)))
    monkeypatch.setattr(bounds_module, "BOUNDS", {**BOUNDS, "toy_eq": eq})
    with pytest.raises(DomainError, match="relation"):
        verify_network(network_from_layers(1, [([[1]], [0]), ([[1]], [0])]), box=1, bounds=["toy_eq"])


def test_quantity_checker_compares_the_measure_with_the_formula():
    net = network_from_layers(2, [([[1, 0], [0, 1], [1, 1]], [0, 0, -1]), ([[1, 1, 1]], [0])])
    facts = NetworkFacts(net, region_complex(net, box=2))
    facets = quantity_checker(lambda facts, method: facts.cx.facets_total)
    upper = Bound("toy", "none", "#facets <= 4n", "facets_total", "<=", 4 * n, (n,), "exact", checker=facets)
    maximum = Bound("toy", "none", "max #facets >= 4n", "facets_total", ">=", 4 * n, (n,), "exact",
                    scope="maximum", checker=facets)
    unreached = Bound("toy", "none", "max #facets >= 10n", "facets_total", ">=", 10 * n, (n,), "exact",
                      scope="maximum", checker=facets)
    # 7 regions (a triangle and 6 cells cut by the box), 28 facets in all
    assert facets.verdict(facts, upper, None) == (28, 12, False, {"network": "2-3-1"})
    assert facets.verdict(facts, maximum, None) == (28, 12, True, {"network": "2-3-1"})   # witnessed
    assert facets.verdict(facts, unreached, None) == (28, 30, None, None)                # never refuted
    assert facts.holds("general_position") and facts.values()["n"] == 3


# ----------------------------------------------------------------------------- lemmas against arrangement.py


@pytest.mark.parametrize("m, dim", [(1, 1), (4, 2), (5, 3), (3, 3), (6, 2)])
def test_lemma1_is_attained_by_generic_arrangements(m, dim):
    A = generic_arrangement(m, dim)
    assert n_regions(A) == zaslavsky_bound(A) == BOUNDS["lemma1"].evaluate(d=dim, m=m)


@pytest.mark.parametrize("m, dim", [(1, 2), (4, 2), (4, 3), (6, 3), (5, 4), (2, 4)])
def test_lemma6_equals_lemma5_sum_and_zaslavsky(m, dim):
    A = central_generic_arrangement(m, dim)
    expected = BOUNDS["lemma6"].evaluate(d=dim, m=m)
    assert n_regions(A) == n_regions_central_subsets(A) == expected


# ----------------------------------------------------------------------------- symbolic checks

EXPECTED_SYMBOLIC = {
    "theorem3_leading_term_is_theorem1": True,
    "theorem4_leading_term": True,
    "theorem4_leading_term_vs_theorem2": False,   # 2d/(d+1) apart: Theorem 2 at L = 1 is weaker
    "theorem1_denominator_below_theorem2": False,  # equality at d = 1
    "theorem5_induction_leading_term": True,
    "lemma2_leading_term": True,
    "lemma3_printed_matches_theorem6": False,      # the exponent d is missing as printed
    "lemma3_exponent_d_matches_theorem6": True,
    "lemma4_multi_layer": True,
    "lemma4_one_layer": False,                     # (d + 2) n + 1 = Theta(n)
    "theorem7_shallow_order": True,
    "inequality13_first_step_is_equality": True,
    "inequality13_second_step": True,
    "theorem8_threshold": True,
    "theorem12_threshold": True,
    "lemma6_equals_stanley_sum": True,
    "theorem10_ratio": True,
    "theorem11_ratio": True,
    "theorem10_expansions": True,
}


def test_symbolic_checks():
    res = {c.name: c for c in symbolic_checks(max_d=4, max_L=3)}
    assert {k: c.holds for k, c in res.items()} == EXPECTED_SYMBOLIC
    assert "1/2" not in res["theorem8_threshold"].detail  # exact expressions only
    assert "2d/(d+1)" in res["theorem4_leading_term_vs_theorem2"].detail


# ----------------------------------------------------------------------------- hypotheses


def test_hypotheses_are_decided_exactly():
    gp = network_from_layers(2, [([[1, 0], [0, 1], [1, 1]], [0, 0, -1]), ([[1, 1, 1]], [0])])
    concurrent = network_from_layers(2, [([[1, 0], [0, 1], [1, 1]], [0, 0, 0]), ([[1, 1, 1]], [0])])
    duplicate = network_from_layers(2, [([[1, 0], [2, 0]], [1, 2]), ([[1, 1]], [0])])
    assert hypothesis_holds("general_position", gp)
    assert not hypothesis_holds("general_position", concurrent)
    assert not hypothesis_holds("general_position", duplicate)
    assert hypothesis_holds("zero_biases", concurrent) and not hypothesis_holds("zero_biases", gp)
    assert hypothesis_holds("independent_normals", concurrent)
    # B large enough: the vertex (1, 0) of x + y = 1 and y = 0 is not inside (-1, 1)^2
    cx1 = region_complex(gp, box=1)
    cx2 = region_complex(gp, box=2)
    assert not hypothesis_holds("box_large", gp, cx1)
    assert hypothesis_holds("box_large", gp, cx2)
    assert hypothesis_holds("box_large", gp)  # box="auto"
    # a fractional B: the threshold is exactly 1 (the vertex (1, 0)), so B = 1 + 1/1000 is large enough
    assert hypothesis_holds("box_large", gp, region_complex(gp, box=Fraction(1001, 1000)))
    # every region meets (-1, 1)^3, but the minimal face x = 1, y = 0 (a line along z) does not: B = 1 is too small
    bent = network_from_layers(3, [([[0, "-7/3", 0], [0, 0, 0], [1, 1, 0]], [0, 0, 0]), ([[-1, 0, -1]], [1]),
                                   ([[1]], [0])])
    assert not hypothesis_holds("box_large", bent, region_complex(bent, box=1))
    assert hypothesis_holds("box_large", bent, region_complex(bent, box=Fraction(1001, 1000)))
    # rank-1 first layer: parallel lines are "in general position" in their essentialization
    parallel = network_from_layers(2, [([[1, 0], [1, 0], [1, 0]], [-1, 0, 1]), ([[1, 1, 1]], [0])])
    assert hypothesis_holds("low_rank_general_position", parallel)
    assert not hypothesis_holds("general_position", parallel)


# ----------------------------------------------------------------------------- property tests

#: Claims that fail on some networks (each documented by a test below).
KNOWN_FALSE = {"theorem1_one_layer", "theorem3", "theorem1_step", "theorem1_step_total", "theorem8_step",
               "theorem8_step_total", "theorem12_step_eq12", "theorem12_proof", "theorem12_large_n", "lemma6"}

_weights = st.sampled_from([-2, -1, Fraction(-1, 2), Fraction(1, 3), Fraction(1, 2), 1, 2])


def _check_claims(net, box):
    for r in verify_network(net, box=box):
        name = r.claim.split(" ")[0]
        if not r.applicable:
            assert r.holds is None and r.bound is None
            continue
        if BOUNDS[name].scope == "maximum":
            assert r.holds in (True, None)
        elif name not in KNOWN_FALSE:
            assert r.holds is True, (r, net.weights, net.biases)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(net=relu_networks(input_dim=2, widths=st.lists(st.integers(1, 3), min_size=1, max_size=2),
                         weights=_weights, degenerate=True),
       box=st.sampled_from([1, "auto", Fraction(1, 2)]))
def test_applicable_bounds_hold_on_random_2d_nets(net, box):
    _check_claims(net, box)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(net=relu_networks(input_dim=3, widths=st.lists(st.integers(1, 4), min_size=1, max_size=1),
                         weights=_weights, zero_bias=False),
       box=st.sampled_from([1, "auto"]))
def test_applicable_bounds_hold_on_random_3d_nets(net, box):
    _check_claims(net, box)


@pytest.mark.parametrize("arch, seed", [("3-5-1", 0), ("2-12-1", 1), ("2-4-3-1", 2)])
def test_applicable_bounds_hold_on_xavier_nets(arch, seed):
    net = random_network(arch, seed=seed, bias="0.3")
    res = verify_network(net, box="auto")
    _check_claims(net, "auto")
    applicable = {r.claim for r in res if r.applicable}
    if arch == "2-12-1":   # n = 12 > 2d^2 + d = 10: the "n large enough" form of Theorem 8 applies
        assert {"theorem8_large_n", "theorem8_step_eq11", "theorem4 [delaunay]", "theorem9_proof"} <= applicable


# ----------------------------------------------------------------------------- claims that fail: the witnesses


def _results(net, box):
    return {r.claim: r for r in verify_network(net, box=box)}


def test_theorem3_fails_for_the_canonical_triangulation_of_one_plane_in_a_cube():
    """Theorem 3 / Theorem 1 (L = 1) claim #simplices <= 14 for d = 3, n = 1. The plane
    x + y + z = 0 cuts [-1, 1]^3 into two halves with 7 facets and 10 vertices each; the
    canonical triangulation has 7 + 8 = 15 simplices (Delaunay: 7 + 7 = 14)."""
    net = network_from_layers(3, [([[1, 1, 1]], [0]), ([[1]], [0])])
    res = _results(net, 1)
    for name in ("theorem3", "theorem1_one_layer"):
        r = res[f"{name} [lexicographic-pulling]"]
        assert (r.applicable, r.bound, r.value, r.holds) == (True, 14, 15, False)
        assert res[f"{name} [delaunay]"].holds is True
    assert res["theorem3_facets"].value == 14 and res["theorem3_facets"].holds   # the face count holds
    # every hypothesis of the paper holds: one layer, general position, B large enough
    assert res["theorem4 [lexicographic-pulling]"].applicable
    # Delaunay fails on another plane
    net2 = network_from_layers(3, [([[1, 2, 3]], ["1/5"]), ([[1]], [0])])
    r = _results(net2, 1)["theorem3 [delaunay]"]
    assert (r.bound, r.value, r.holds) == (14, 15, False)


def test_theorem1_step_simplices_at_most_facets_fails_per_region_and_in_total():
    """'Each facet belongs to exactly one simplex, so #simplices <= #facets' (proof of
    Theorem 1) is false. Smallest witness found among single planes: y - z + 1/3 = 0 in
    [-1, 1]^3 leaves a pentagonal prism (7 facets, 10 vertices) triangulated into 9
    simplices by both methods."""
    net = network_from_layers(3, [([[0, 1, -1]], ["1/3"]), ([[1]], [0])])
    res = _results(net, 1)
    for m in ("lexicographic-pulling", "delaunay"):
        r = res[f"theorem1_step [{m}]"]
        assert (r.value, r.bound, r.holds) == (9, 7, False)
        assert r.witness == {"region": "1", "facets": 7, "vertices": 10, "simplices": 9, "failing_regions": 1,
                             "regions": 2}
        assert res[f"theorem1_step_total [{m}]"].holds is True   # 3 + 9 <= 5 + 7
    tot = _results(network_from_layers(3, [([[1, 1, 1]], [0]), ([[1]], [0])]), 1)
    r = tot["theorem1_step_total [lexicographic-pulling]"]
    assert (r.value, r.bound, r.holds) == (15, 14, False)
    # on a Table I network it fails in total for both triangulations
    res = _results(random_network("3-7-1", seed=0), "auto")
    assert res["theorem1_step_total [lexicographic-pulling]"].value == 398
    assert res["theorem1_step_total [lexicographic-pulling]"].bound == 391
    assert not res["theorem1_step_total [delaunay]"].holds
    w = res["theorem1_step [delaunay]"].witness   # a combinatorial cube with 7 Delaunay simplices
    assert (w["facets"], w["vertices"], w["simplices"]) == (6, 8, 7)


def test_theorem8_step_facets_at_most_simplices_fails():
    """'#facets <= #simplices' (proof of Theorem 8) fails for every simplex region, and in
    total already for ReLU(x) on [-1, 1]: two intervals, 4 facets, 2 simplices."""
    net = network_from_layers(1, [([[1]], [0]), ([[1]], [0])])
    res = _results(net, 1)
    r = res["theorem8_step_total [lexicographic-pulling]"]
    assert (r.value, r.bound, r.holds) == (4, 2, False)
    assert res["theorem8_step [delaunay]"].witness["failing_regions"] == 2
    # yet Theorem 8's conclusion holds there: the face count (11) bounds the average
    assert res["theorem8_step_eq11"].holds


def test_theorem12_fails_for_parallel_lines():
    """Theorem 12 (rank d0 = 1 < d = 2): 6 parallel lines leave 7 strips with 4 facets each,
    average 4 > 2 d0 + 1 = 3 although n = 6 > 2 d d0 + d0 = 5. The proof counts
    sum_{i<d0} C(n, i) = 1 piece per box wall; the two walls across the lines have n + 1."""
    net = network_from_layers(2, [([[1, 0]] * 6, [-3, -2, -1, 1, 2, 3]), ([[1] * 6], [0])])
    res = _results(net, "auto")
    r = res["theorem12_large_n"]
    assert (r.applicable, r.bound, r.value, r.holds) == (True, 3, 4, False)
    assert res["theorem12_step_eq12"].holds is False and res["theorem12_step_eq12"].bound == Fraction(16, 7)
    r = res["theorem12_proof"]                                  # 2 d0 + 2 d d0 / (n - d0 + 1) = 8/3
    assert (r.bound, r.holds) == (Fraction(8, 3), False)


def test_theorem11_fails_for_a_rank_one_zero_bias_family():
    """Theorem 11 (zero biases, rank d0): average <= 2 d0 + d - 1 for n > C_d. For d = 2,
    d0 = 1 every neuron of the first layer vanishes on x = 0, later layers are multiples of
    |x| on each side: two rectangles, average 4 > 3 for every n, every depth and every B —
    so no constant C_d works. verify_network cannot decide it (C_d unknown) and says so."""
    for width in (1, 3, 6):
        for depth in (1, 2):
            layers = [([[k + 1, 0] for k in range(width)], [0] * width)]
            layers += [([[1] * width for _ in range(width)], [0] * width)] * (depth - 1)
            net = network_from_layers(2, layers + [([[1] * width], [0])])
            cx = region_complex(net, box=3)
            assert cx.n_regions == 2 and Fraction(cx.facets_total, cx.n_regions) == 4
            r = _results(net, 3)["theorem11_large_n"]
            assert not r.applicable and any("C_d" in h or "threshold" in h for h in r.failed_hypotheses)
    assert BOUNDS["theorem11_large_n"].evaluate(d=2, d0=1) == 3


def test_lemma6_fails_with_fewer_hyperplanes_than_dimensions():
    """Lemma 6's hypothesis 'any n normals independent' is vacuous for m < n: three
    hyperplanes through 0 of R^4 with normals e1, e2, e1 + e2 have 6 regions, not 8."""
    net = network_from_layers(4, [([[1, 0, 0, 0], [0, 1, 0, 0], [1, 1, 0, 0]], [0, 0, 0]), ([[1, 1, 1]], [0])])
    assert hypothesis_holds("independent_normals", net)
    r = _results(net, 1)["lemma6"]
    assert (r.applicable, r.bound, r.value, r.holds) == (True, 8, 6, False)


def test_theorem9_proof_holds_on_degenerate_2d_nets_and_theorem9_needs_a_threshold():
    net = network_from_layers(2, [([[1, 0], [0, 1], [1, 1], [1, 1]], [0, 0, 0, "1/2"]),
                                  ([[1, -1, 1, 0], [0, 0, 1, 1]], [0, "-1/3"]), ([[1, 1]], [0])])
    res = _results(net, 1)
    assert res["theorem9_proof"].holds is True
    assert not res["theorem9"].applicable


def test_lower_bounds_on_the_maximum_are_witnessed_never_refuted():
    net = random_network("2-4-4-1", seed=1)
    res = _results(net, "auto")
    r = res["lemma3_exponent_d"]
    assert (r.bound, r.value, r.holds, r.witness) == (44, 30, None, None)
    assert res["lemma3"].holds is True and res["lemma3"].witness == {"network": "2-4-4-1"}


def test_result_mapping_keys():
    net = network_from_layers(2, [([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [0])])
    maps = [claim_result_to_mapping(r) for r in verify_network(net, box=1, methods=["delaunay"])]
    assert {"claim", "applicable", "bound", "value", "holds", "witness"} <= set(maps[0])
    by = {m["claim"]: m for m in maps}
    # (2*2*2 + 2*2*3) / (1 + 2 + 1) = 5 against four unit squares with 4 facets each
    assert by["theorem8_step_eq11"]["bound"] == "5" and by["theorem8_step_eq11"]["value"] == "4"
    assert by["theorem8_step_eq11"]["holds"] is True and by["theorem8_step_eq11"]["failed_hypotheses"] == []
    assert by["theorem1 [delaunay]"]["applicable"] is False


def test_verify_reuses_a_given_complex_and_checks_the_induction_step_per_layer():
    net = random_network("2-3-3-1", seed=4, bias="0.2")
    cx = region_complex(net, box=2)
    res = {r.claim: r for r in verify_network(net, complex=cx, methods=["lexicographic-pulling"])}
    r = res["theorem5_step"]
    assert r.applicable and r.holds
    assert res["lemma1_local"].holds and res["lemma2"].holds


def test_edge_cases_no_hidden_layer_and_unbounded_domain():
    flat = network_from_layers(2, [([[1, 1]], [0])])
    res = _results(flat, 1)
    assert res["lemma2"].holds and not res["lemma1"].applicable and not res["theorem12_large_n"].applicable
    assert res["theorem8_step_total [delaunay]"].value == 4   # the square: 4 facets, 2 simplices
    degenerate = network_from_layers(2, [([[1, 0], [0, 0], [1, 0], [2, 0]], [0, 1, 0, 1]),
                                         ([[1, 1, 0, 1], [0, 1, 1, 1]], [0, 0]), ([[1, 1]], [0])])
    res = _results(degenerate, None)
    assert not res["theorem3 [delaunay]"].applicable and res["theorem5_step"].holds and res["lemma2"].holds
    assert all(r.holds is not False for r in res.values())


def test_claim_kind_of_every_registered_bound():
    kinds = {name: claim_kind(name, b.source) for name, b in BOUNDS.items()}
    assert set(kinds.values()) <= set(CLAIM_KINDS)
    # independent twin: the registry's own spelling (proof steps are named *_step* or sourced "proof of ...")
    for name, b in BOUNDS.items():
        if "_step" in name or b.source.startswith("proof of"):
            assert kinds[name] == "proof step", name
        else:
            assert kinds[name] == b.source.split()[0].lower(), name
    assert [kinds[k] for k in ("theorem3", "lemma3", "theorem1_step", "theorem8_step_total", "lemma1_local",
                               "theorem9_proof", "theorem8_large_n")] == \
        ["theorem", "lemma", "proof step", "proof step", "proof step", "proof step", "theorem"]
    assert claim_kind("theorem1_step [delaunay]", "proof of Theorem 1") == "proof step"
    assert claim_kind("cone", "Section IV, eq. (3)") == "construction"
    assert claim_kind("toy", "toy") == "other"


def test_mapping_gives_every_claim_its_relation_and_kind():
    net = random_network("2-3-1", seed=0, bias="0.2")
    results = verify_network(net, box=1)
    for r in results:
        m = claim_result_to_mapping(r)
        b = BOUNDS[r.claim.split(" [")[0]]
        assert (m["relation"], m["claim_kind"]) == (b.relation, claim_kind(b.name, b.source))
        assert m["kind"] == b.kind                       # the existing key keeps its meaning
    text = format_claim_results(results)
    for r, line in zip(results, text.splitlines()[1:-1], strict=True):
        cols = line.split()
        assert cols[0] == r.claim.split()[0] and BOUNDS[r.claim.split(" [")[0]].relation in cols


def test_failing_theorems_are_counted_apart_from_proof_steps():
    net = network_from_layers(3, [([[1, 1, 1]], [0]), ([[1]], [0])])   # a cube cut in a hexagon
    results = verify_network(net, box=1)
    failing = [claim_kind(r.claim, r.source) for r in results if r.holds is False]
    assert "theorem" in failing and "proof step" in failing        # Theorem 3 itself fails here
    last = format_claim_results(results).splitlines()[-1]
    assert ", ".join(f"{failing.count(k)} {k}{'s' if failing.count(k) != 1 else ''}"
                     for k in ("theorem", "lemma", "proof step")) in last


def test_claim_summary_over_networks_against_a_count_by_hand():
    nets = [random_network("2-3-1", seed=s, bias="0.2") for s in range(3)]
    runs = [(f"seed {s}", verify_network(net, box=1, methods=["delaunay"])) for s, net in enumerate(nets)]
    lines = format_claim_summary(runs, "title").splitlines()
    assert lines[0] == "title" and lines[1].split()[-3:] == ["on", "3", "networks"]
    body = lines[2:-1]
    assert len(body) == len(runs[0][1])
    n_fail = 0
    for k, line in enumerate(body):
        marks = [results[k].holds if results[k].applicable else "n/a" for _, results in runs]
        fails = [label for (label, _), mark in zip(runs, marks, strict=True) if mark is False]
        if fails:
            n_fail += 1
            assert f"fails on {len(fails)}/3, witness {fails[0]}" in line
        else:
            assert "fails" not in line and "witness" not in line
        if marks.count(True):
            assert f"holds on {marks.count(True)}/3" in line
        if marks.count("n/a"):
            assert f"not applicable on {marks.count('n/a')}/3" in line
    assert f"{n_fail} fail on some network" in lines[-1]


def test_claim_summary_refuses_empty_or_mismatched_runs():
    net = network_from_layers(1, [([[1]], [0]), ([[1]], [0])])
    with pytest.raises(DomainError, match="runs"):
        format_claim_summary([])
    with pytest.raises(DomainError, match="runs"):
        format_claim_summary([("a", verify_network(net, box=1, bounds=["lemma2"])),
                              ("b", verify_network(net, box=1, bounds=["lemma1"]))])
