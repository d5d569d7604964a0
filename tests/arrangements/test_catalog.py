"""The catalog's classic arrangements: closed forms recomputed exactly, plus the
symbolic identities (sympy) behind Lemma 6 and Theorem 10 of arXiv 2305.09145."""

from __future__ import annotations

from math import comb, factorial

import pytest
import sympy

from exactpoly.arrangements.arrangement import (
    T,
    arrangement_rank,
    characteristic_polynomial,
    face_vector,
    is_central,
    is_essential,
    is_general_position,
    n_bounded_regions,
    n_regions,
    n_regions_central_subsets,
    zaslavsky_bound,
)
from exactpoly.arrangements.catalog import (
    CLASSIC_ARRANGEMENTS,
    braid_arrangement,
    catalan_arrangement,
    central_generic_arrangement,
    central_generic_n_regions,
    classic_arrangement,
    coordinate_arrangement,
    generic_arrangement,
    generic_n_bounded_regions,
    generic_n_regions,
    semiorder_arrangement,
    semiorder_n_regions,
    shi_arrangement,
)
from exactpoly.errors import DomainError

CASES = ([("braid", (n,)) for n in range(1, 6)]
         + [("shi", (n,)) for n in range(1, 5)]
         + [("catalan", (n,)) for n in range(1, 5)]
         + [("semiorder", (n,)) for n in range(1, 5)]
         + [("coordinate", (d,)) for d in range(1, 5)]
         + [("generic", (m, d)) for d in (1, 2, 3) for m in (0, 1, 2, 3, 5, 7)]
         + [("central_generic", (m, d)) for d in (2, 3, 4) for m in (0, 1, 2, 3, 5, 6)]
         + [("central_generic", (m, 1)) for m in (0, 1)])


@pytest.mark.parametrize("name,params", CASES, ids=lambda x: str(x))
def test_closed_forms(name, params):
    e = classic_arrangement(name, *params)
    A = e.arrangement
    chi = characteristic_polynomial(A)
    if e.characteristic_polynomial is not None:
        assert chi == e.characteristic_polynomial
    assert characteristic_polynomial(A, "deletion-restriction") == chi
    if len(A) <= 12:
        assert characteristic_polynomial(A, "whitney") == chi
        assert n_regions_central_subsets(A) == e.n_regions
    assert n_regions(A) == e.n_regions
    if e.n_bounded_regions is not None:
        assert n_bounded_regions(A) == e.n_bounded_regions
    assert face_vector(A)[-1] == e.n_regions


def test_explicit_polynomials_and_counts():
    assert characteristic_polynomial(braid_arrangement(4)) == sympy.Poly(T * (T - 1) * (T - 2) * (T - 3), T)
    assert characteristic_polynomial(shi_arrangement(4)) == sympy.Poly(T * (T - 4) ** 3, T)
    assert characteristic_polynomial(catalan_arrangement(3)) == sympy.Poly(T * (T - 4) * (T - 5), T)
    assert characteristic_polynomial(coordinate_arrangement(3)) == sympy.Poly((T - 1) ** 3, T)
    assert [n_regions(braid_arrangement(n)) for n in range(1, 6)] == [1, 2, 6, 24, 120]
    assert [n_regions(shi_arrangement(n)) for n in range(1, 5)] == [1, 3, 16, 125]
    assert [n_regions(catalan_arrangement(n)) for n in range(1, 5)] == [1, 4, 30, 336]
    assert [n_bounded_regions(shi_arrangement(n)) for n in range(1, 5)] == [1, 1, 4, 27]
    assert [n_bounded_regions(catalan_arrangement(n)) for n in range(1, 5)] == [1, 2, 12, 120]
    assert [n_regions(semiorder_arrangement(n)) for n in range(1, 5)] == [1, 3, 19, 183]
    assert [semiorder_n_regions(n) for n in range(1, 5)] == [1, 3, 19, 183]


def test_semiorder_five():
    assert n_regions(semiorder_arrangement(5)) == semiorder_n_regions(5) == 2371


def test_braid_face_vector_is_ordered_set_partitions():
    # k-faces of the braid arrangement <-> ordered set partitions of [n] into k blocks: k! S(n, k)
    for n in range(1, 6):
        f = face_vector(braid_arrangement(n))
        assert f == [0] + [factorial(k) * sympy.functions.combinatorial.numbers.stirling(n, k)
                           for k in range(1, n + 1)]


def test_coordinate_and_generic_face_vectors():
    for d in range(1, 5):
        assert face_vector(coordinate_arrangement(d)) == [comb(d, k) * 2 ** k for k in range(d + 1)]
    # generic: a k-flat is cut by the other m - (d - k) hyperplanes generically
    for d in (1, 2, 3):
        for m in (0, 2, 4, 6):
            expected = [comb(m, d - k) * sum(comb(m - d + k, i) for i in range(k + 1)) if m >= d - k else 0
                        for k in range(d + 1)]
            assert face_vector(generic_arrangement(m, d)) == expected


def test_generic_and_central_generic_structure():
    for d in (1, 2, 3):
        for m in (0, 1, 3, 6):
            A = generic_arrangement(m, d)
            assert is_general_position(A)
            assert n_regions(A) == zaslavsky_bound(A) == generic_n_regions(m, d)
            assert n_bounded_regions(A) == generic_n_bounded_regions(m, d)
    for d in (2, 3, 4):
        for m in range(7):
            C = central_generic_arrangement(m, d)
            assert is_central(C) and arrangement_rank(C) == min(m, d)
            assert is_essential(C) == (m >= d)
            assert is_general_position(C) == (m <= d)
            assert n_regions(C) == central_generic_n_regions(m, d)


def test_lemma6_equals_stanley_sum_symbolically():
    # for a central arrangement with any d normals independent, every subset is central
    # and rank B = min(|B|, d): Lemma 5 gives Σ_{i<=d} C(m,i) + Σ_{i=d+1}^{m} (-1)^{i-d} C(m,i)
    m, i = sympy.symbols("m i", integer=True, positive=True)
    for d in (2, 3):
        stanley = (sum(sympy.binomial(m, k) for k in range(d + 1))
                   + sympy.summation((-1) ** (i - d) * sympy.binomial(m, i), (i, d + 1, m)))
        lemma6 = sympy.binomial(m - 1, d - 1) + sum(sympy.binomial(m, k) for k in range(d))
        assert sympy.simplify(sympy.expand_func(stanley - lemma6)) == 0
        # and both agree with the enumeration for small m (m > d for the sum to be non-empty)
        for mm in range(d + 1, d + 5):
            assert lemma6.subs(m, mm) == central_generic_n_regions(mm, d)
            assert n_regions(central_generic_arrangement(mm, d)) == central_generic_n_regions(mm, d)
        # Theorem 10's proof: r = 2/(d-1)! m^(d-1) + O(m^(d-2))
        poly = sympy.Poly(sympy.expand_func(lemma6), m)
        assert poly.degree() == d - 1 and poly.LC() == sympy.Rational(2, factorial(d - 1))


def test_zaslavsky_bound_symbolically_matches_generic_chi():
    # (-1)^d χ(-1) of the generic closed form is Σ_{k<=d} C(m, k), for symbolic m
    m = sympy.symbols("m", integer=True, positive=True)
    for d in (1, 2, 3):
        chi = sum((-1) ** k * sympy.binomial(m, k) * T ** (d - k) for k in range(d + 1))
        regions = sympy.expand((-1) ** d * chi.subs(T, -1))
        assert sympy.simplify(sympy.expand_func(regions - sum(sympy.binomial(m, k) for k in range(d + 1)))) == 0
        bounded = sympy.expand((-1) ** d * chi.subs(T, 1))
        assert sympy.simplify(sympy.expand_func(bounded - sympy.binomial(m - 1, d))) == 0


def test_catalog_errors():
    assert set(CLASSIC_ARRANGEMENTS) == {"braid", "shi", "catalan", "semiorder", "coordinate", "generic",
                                         "central_generic"}
    with pytest.raises(DomainError, match="name"):
        classic_arrangement("nope", 3)
    with pytest.raises(DomainError, match="expected 2"):
        classic_arrangement("generic", 3)
    with pytest.raises(DomainError, match="n"):
        braid_arrangement(0)
    with pytest.raises(DomainError, match="n"):
        shi_arrangement(True)
    with pytest.raises(DomainError, match="m"):
        central_generic_arrangement(2, 1)
    with pytest.raises(DomainError, match="tabulated"):
        semiorder_n_regions(9)
