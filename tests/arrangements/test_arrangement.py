"""Tests of exactpoly.arrangements.arrangement: values, invariants, and their independent twins.

Everything is compared exactly. Each invariant has an independent derivation that
it must agree with (docs/property-testing.md): χ by the intersection poset, by deletion–restriction
and by Whitney's theorem; regions by Zaslavsky's theorem, by the central-subset sum
of Lemma 5 and by the region complex of a one-hidden-layer network (R^d, "auto"
box, small boxes); face vectors by the Euler relation; the per-layer identity of
``check_layer_counts`` on deep, deliberately degenerate networks.
"""

from __future__ import annotations

import dataclasses
import json
from fractions import Fraction as F
from math import comb

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from exactpoly.arrangements.arrangement import (
    Arrangement,
    ArrangementFormatError,
    CountCheck,
    CountReport,
    Flat,
    Hyperplane,
    T,
    arrangement_from_mapping,
    arrangement_from_network,
    arrangement_from_rows,
    arrangement_rank,
    arrangement_summary,
    arrangement_to_mapping,
    characteristic_polynomial,
    check_layer_counts,
    deletion,
    direct_sum,
    essentialization,
    face_vector,
    hyperplane_from_row,
    intersection_poset,
    is_central,
    is_essential,
    is_general_position,
    mobius,
    n_bounded_regions,
    n_regions,
    n_regions_central_subsets,
    read_arrangement,
    restriction,
    whitney_numbers,
    write_arrangement,
    zaslavsky_bound,
)
from exactpoly.complex import region_complex
from exactpoly.errors import DomainError, NetworkFormatError, NumberError
from exactpoly.geometry.polyhedron import box_rows, polyhedron_from_box
from exactpoly.network import network_from_layers, write_network

METHODS = ("poset", "deletion-restriction", "whitney")

# ----------------------------------------------------------------------------- strategies

SMALL = [-2, -1, 0, 1, 2, 3]
POINTS = [F(0), F(1), F(-1), F(1, 2), F(-3, 2)]
KINDS = ["random"] * 4 + ["zero_bias", "duplicate", "opposite", "parallel", "concurrent", "axis"]


@st.composite
def arrangement_rows(draw, dims=(1, 2, 3), max_m=6):
    """Rows (b, a) of small rational arrangements, biased towards degeneracy:
    duplicated (scaled, negated), parallel, concurrent hyperplanes, zero biases."""
    d = draw(st.sampled_from(dims))
    m = draw(st.integers(0, max_m))
    point = [draw(st.sampled_from(POINTS)) for _ in range(d)]
    rows: list[tuple] = []
    while len(rows) < m:
        kind = draw(st.sampled_from(KINDS))
        if kind in ("duplicate", "opposite", "parallel") and not rows:
            kind = "random"
        if kind in ("random", "zero_bias"):
            a = [F(draw(st.sampled_from(SMALL))) for _ in range(d)]
            b = F(0) if kind == "zero_bias" else F(draw(st.sampled_from(SMALL)), draw(st.sampled_from([1, 2])))
        elif kind == "axis":
            a = [F(0)] * d
            a[draw(st.integers(0, d - 1))] = F(1)
            b = F(draw(st.sampled_from(SMALL)))
        elif kind == "concurrent":
            a = [F(draw(st.sampled_from(SMALL))) for _ in range(d)]
            b = -sum(x * p for x, p in zip(a, point))
        else:
            k = draw(st.integers(0, len(rows) - 1))
            s = {"duplicate": F(3, 2), "opposite": F(-2), "parallel": F(1)}[kind]
            a = [s * x for x in rows[k][1:]]
            b = rows[k][0] * s + (F(draw(st.sampled_from([1, -1, 2]))) if kind == "parallel" else 0)
        if not any(a):
            continue
        rows.append((b, *a))
    return d, rows


@st.composite
def arrangements(draw, dims=(1, 2, 3), max_m=6):
    d, rows = draw(arrangement_rows(dims, max_m))
    return arrangement_from_rows(rows, dim=d)


def net_of(A: Arrangement):
    """A one-hidden-layer net whose first layer is the arrangement A."""
    if not len(A):
        return network_from_layers(A.dim, [([[0] * A.dim], [0]), ([[1]], [0])])
    W = [list(H.normal) for H in A]
    b = [H.constant for H in A]
    return network_from_layers(A.dim, [(W, b), ([[1] * len(W)], [0])])


def chi_value(A, x):
    return int(characteristic_polynomial(A).eval(x))


# ----------------------------------------------------------------------------- values


def test_hyperplane_canonical_equal_and_hash():
    H1 = hyperplane_from_row(["1/2", -1, "3/2"])
    H2 = hyperplane_from_row([-3, 6, -9])
    assert H1 == H2 and hash(H1) == hash(H2) and H1.row == (-1, 2, -3)
    assert {H1, H2} == {H1}
    assert hyperplane_from_row([0.5, 0.25]).row == (2, 1)


def test_hyperplane_rejects_bad_rows():
    with pytest.raises(DomainError, match="zero normal"):
        hyperplane_from_row([1, 0, 0])
    with pytest.raises(DomainError, match="not canonical"):
        Hyperplane((0, -1, 0))
    with pytest.raises(DomainError, match="not canonical"):
        Hyperplane((0, 2, 2))
    with pytest.raises(DomainError):
        hyperplane_from_row([1])
    with pytest.raises(NumberError):
        hyperplane_from_row([float("nan"), 1])


def test_arrangement_from_rows_merges_and_sorts():
    A = arrangement_from_rows([(1, 0, 1), (0, 1, 0), (2, 0, 2), ("-1/2", 0, "-1/2"), (0, -5, 0)])
    assert A.rows == ((0, 1, 0), (1, 0, 1)) and len(A) == 2 and A.dim == 2
    assert A == arrangement_from_rows([(0, 3, 0), (1, 0, 1)])
    assert hash(A) == hash(arrangement_from_rows([(0, 3, 0), (1, 0, 1)]))


def test_arrangement_from_rows_errors_name_the_row():
    with pytest.raises(DomainError, match=r"rows\[1\].*zero normal"):
        arrangement_from_rows([(0, 1), (3, 0)])
    with pytest.raises(DomainError, match=r"rows\[1\]: expected 3"):
        arrangement_from_rows([(0, 1, 0), (1, 1)])
    with pytest.raises(DomainError, match="dim"):
        arrangement_from_rows([])
    with pytest.raises(NumberError, match=r"rows\[0\]\[1\]"):
        arrangement_from_rows([(0, "1/0")])
    with pytest.raises(DomainError, match="sorted"):
        Arrangement(1, (hyperplane_from_row([1, 1]), hyperplane_from_row([0, 1])))
    with pytest.raises(DomainError):
        Arrangement(2, (hyperplane_from_row([1, 1]),))


def test_arrangement_from_network_drops_dead_and_merges():
    net = network_from_layers(2, [([[1, 0], [2, 0], [0, 0], [0, 0], [0, 1]], [1, 2, 0, 5, 0]),
                                  ([[1, 1, 1, 1, 1]], [0])])
    A = arrangement_from_network(net)
    assert A.rows == ((0, 0, 1), (1, 1, 0))
    with pytest.raises(DomainError):
        arrangement_from_network(network_from_layers(1, [([[1]], [0])]))


def test_flats_are_canonical_subspaces():
    # the same point (1, -1) from two different pairs of lines
    P1 = intersection_poset(arrangement_from_rows([(0, 1, 1), (-2, 1, -1)]))
    P2 = intersection_poset(arrangement_from_rows([(-1, 1, 0), (1, 0, 1)]))
    assert P1.flats[-1] == P2.flats[-1] == Flat(2, ((-1, 1, 0), (1, 0, 1)))
    assert P1.flats[-1].point == (F(1), F(-1)) and P1.flats[-1].contains([1, -1])
    assert P1.flats[0] == Flat(2, ()) and P1.flats[0].dim == 2


def test_poset_of_concurrent_lines():
    A = arrangement_from_rows([(0, 1, 0), (0, 0, 1), (0, 1, 1), (0, 1, -1)])   # 4 lines through 0
    P = intersection_poset(A)
    assert [X.dim for X in P.flats] == [2, 1, 1, 1, 1, 0]
    assert P.mobius_values == (1, -1, -1, -1, -1, 3)
    assert P.hyperplane_sets[-1] == frozenset(range(4))
    assert sorted(P.hasse_diagram.edges) == [(0, 1), (0, 2), (0, 3), (0, 4), (1, 5), (2, 5), (3, 5), (4, 5)]
    assert characteristic_polynomial(A) == sympy.Poly(T**2 - 4 * T + 3, T)
    assert n_regions(A) == 8 and n_bounded_regions(A) == 0 and face_vector(A) == [1, 8, 8]
    assert whitney_numbers(A) == [1, -4, 3] and whitney_numbers(A, 2) == [1, 4, 1]
    assert list(mobius(A, P.flats[1]).values()) == [1, -1]
    assert not is_general_position(A) and zaslavsky_bound(A) == 11


def test_empty_arrangement_and_dimension_zero():
    A = arrangement_from_rows([], dim=3)
    for method in METHODS:
        assert characteristic_polynomial(A, method) == sympy.Poly(T**3, T)
    assert n_regions(A) == 1 and n_bounded_regions(A) == 1 and face_vector(A) == [0, 0, 0, 1]
    assert is_general_position(A) and is_central(A) and not is_essential(A) and arrangement_rank(A) == 0
    assert essentialization(A) == Arrangement(0)
    R = restriction(arrangement_from_rows([(1, 1)]), hyperplane_from_row([0, 1]))
    assert R == Arrangement(0) and characteristic_polynomial(R) == sympy.Poly(1, T)


def test_relatively_bounded_regions_of_non_essential_arrangements():
    # two parallel planes in R^3 (rank 1): the slab between them is relatively bounded
    A = arrangement_from_rows([(0, 0, 0, 1), (-1, 0, 0, 1)])
    assert n_regions(A) == 3 and n_bounded_regions(A) == 1 and arrangement_rank(A) == 1
    assert essentialization(A).rows == ((-1, 1), (0, 1))
    # a triangle times R: rank 2 in R^3, one relatively bounded region
    prism = arrangement_from_rows([(0, 1, 0, 0), (0, 0, 1, 0), (-1, 1, 1, 0)])
    assert n_bounded_regions(prism) == 1 and n_regions(prism) == 7


def test_counts_in_a_box_and_hyperplanes_missing_it():
    A = arrangement_from_rows([(0, 1, 0), (0, 0, 1), (-5, 1, 1), (1, 1, 0)])
    box = polyhedron_from_box(1, 2)
    # x + y = 5 misses the open box; x = -1 lies on its wall
    assert n_regions(A, domain=box) == 4
    assert face_vector(A, domain=box) == [1, 4, 4]
    assert n_regions(A) == 10
    # a domain that no flat but R^2 meets, and an empty one
    assert n_regions(A, domain=[(-6, 1, 0)]) == 3      # y = 0 and x + y = 5 cut x > 6, apart
    assert n_regions(A, domain=[(-6, 1, 0), (0, 0, 1)]) == 1
    assert n_regions(A, domain=[(0, 1, 0), (0, -1, 0)]) == 0 and face_vector(A, [(0, 1, 0), (0, -1, 0)]) == [0, 0, 0]
    with pytest.raises(DomainError):
        n_regions(A, domain=[(0, 1)])
    with pytest.raises(DomainError):
        n_regions(A, domain=polyhedron_from_box(1, 3))


def test_deletion_restriction_public_functions():
    A = arrangement_from_rows([(0, 1, 0), (0, 0, 1), (-1, 1, 1), (1, 1, 0)])
    for H in A:
        lhs = characteristic_polynomial(A)
        rhs = characteristic_polynomial(deletion(A, H)) - characteristic_polynomial(restriction(A, H))
        assert lhs == rhs
    with pytest.raises(KeyError):
        deletion(A, hyperplane_from_row([7, 1, 0]))


def test_summary_keys_and_values():
    A = arrangement_from_rows([(0, 1, 0, 0), (0, 0, 1, 0), (0, 0, 0, 1), (-1, 1, 1, 1)])
    s = arrangement_summary(A)
    assert list(s) == ["characteristic_polynomial", "rank", "regions", "bounded_regions", "face_vector",
                       "general_position", "zaslavsky_bound"]
    assert s == {"characteristic_polynomial": ["1", "-4", "6", "-4"], "rank": 3, "regions": 15,
                 "bounded_regions": 1, "face_vector": [4, 18, 28, 15],
                 "general_position": True, "zaslavsky_bound": 15}


# ----------------------------------------------------------------------------- file format


def test_file_roundtrip_and_network_files(tmp_path):
    A = arrangement_from_rows([(0, 1, -1), ("1/3", 1, 0)])
    path = tmp_path / "a.json"
    write_arrangement(A, path)
    assert json.loads(path.read_text()) == {"format": "exactpoly.arrangement/1", "dim": 2,
                                            "hyperplanes": [["0", "1", "-1"], ["1", "3", "0"]]}
    assert read_arrangement(path) == A
    net = network_from_layers(2, [([[1, -1], ["1/2", 0], [0, 0]], [0, "1/6", 1]), ([[1, 1, 1]], [0])])
    write_network(net, tmp_path / "n.json")
    assert read_arrangement(tmp_path / "n.json") == A


BAD_FILES = {
    "malformed": ('{"format": "exactpoly.arrangement/1", ', "malformed JSON"),
    "not_object": ("[1, 2]", "JSON object"),
    "tag": ('{"format": "other/1", "dim": 1, "hyperplanes": []}', "format tag"),
    "no_tag": ('{"dim": 1, "hyperplanes": []}', "'format'"),
    "no_dim": ('{"format": "exactpoly.arrangement/1", "hyperplanes": []}', "'dim'"),
    "no_hyperplanes": ('{"format": "exactpoly.arrangement/1", "dim": 1}', "'hyperplanes'"),
    "dim_bool": ('{"format": "exactpoly.arrangement/1", "dim": true, "hyperplanes": []}', "dim"),
    "dim_zero": ('{"format": "exactpoly.arrangement/1", "dim": 0, "hyperplanes": []}', "dim"),
    "hyperplanes_str": ('{"format": "exactpoly.arrangement/1", "dim": 1, "hyperplanes": "x"}', "list of rows"),
    "row_length": ('{"format": "exactpoly.arrangement/1", "dim": 2, "hyperplanes": [[0, 1, 0], [1, 1]]}',
                   r"hyperplanes\[1\]: expected 3"),
    "row_not_list": ('{"format": "exactpoly.arrangement/1", "dim": 1, "hyperplanes": [5]}', r"hyperplanes\[0\]"),
    "zero_normal": ('{"format": "exactpoly.arrangement/1", "dim": 2, "hyperplanes": [[1, 0, 0]]}',
                    r"hyperplanes\[0\]: zero normal"),
    "nan": ('{"format": "exactpoly.arrangement/1", "dim": 1, "hyperplanes": [[NaN, 1]]}', r"hyperplanes\[0\]\[0\]"),
    "inf": ('{"format": "exactpoly.arrangement/1", "dim": 1, "hyperplanes": [[0, Infinity]]}', r"\[0\]\[1\]"),
    "zero_den": ('{"format": "exactpoly.arrangement/1", "dim": 1, "hyperplanes": [["1/0", 1]]}', "zero denominator"),
    "bool": ('{"format": "exactpoly.arrangement/1", "dim": 1, "hyperplanes": [[true, 1]]}', "boolean"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_arrangement_files(tmp_path, name):
    text, message = BAD_FILES[name]
    path = tmp_path / f"{name}.json"
    path.write_text(text)
    with pytest.raises(ArrangementFormatError, match=message) as info:
        read_arrangement(path)
    assert str(path) in str(info.value) and isinstance(info.value, ValueError)


def test_bad_files_misc(tmp_path):
    with pytest.raises(ArrangementFormatError, match="nope.json"):
        read_arrangement(tmp_path / "nope.json")
    bad_net = {"format": "exactpoly.relu-net/1", "input_dim": 2, "layers": [{"weight": [[1]], "bias": [0]}]}
    with pytest.raises(NetworkFormatError, match="layer 0"):
        arrangement_from_mapping(bad_net)
    only_output = {"format": "exactpoly.relu-net/1", "input_dim": 1, "layers": [{"weight": [[1]], "bias": [0]}]}
    with pytest.raises(ArrangementFormatError, match="no hidden layer"):
        arrangement_from_mapping(only_output)
    assert arrangement_from_mapping(arrangement_to_mapping(arrangement_from_rows([(1, 2)]))).rows == ((1, 2),)
    # floats are taken exactly
    A = arrangement_from_mapping({"format": "exactpoly.arrangement/1", "dim": 1, "hyperplanes": [[0.1, 1]]})
    assert A.rows == ((3602879701896397, 36028797018963968),)


# ----------------------------------------------------------------------------- properties: χ and its twins


@settings(max_examples=200, deadline=None)
@given(arrangements())
def test_three_characteristic_polynomials_agree(A):
    chis = [characteristic_polynomial(A, m) for m in METHODS]
    assert chis[0] == chis[1] == chis[2]
    chi = chis[0]
    assert chi.degree() == A.dim and chi.LC() == 1
    # Whitney numbers of the first kind are χ's coefficients; signs alternate (Rota)
    w = whitney_numbers(A)
    assert [int(c) for c in chi.all_coeffs()][:len(w)] == w
    assert all(x * (-1) ** k > 0 for k, x in enumerate(w))
    assert len(w) == arrangement_rank(A) + 1


@settings(max_examples=120, deadline=None)
@given(arrangements())
def test_regions_zaslavsky_lemma5_and_lemma1(A):
    r = n_regions(A)
    assert r == (-1) ** A.dim * chi_value(A, -1) == n_regions_central_subsets(A)
    assert r == sum(abs(v) for v in intersection_poset(A).mobius_values)
    assert r == n_regions(A, domain=[])  # an empty list of rows is R^d
    # Lemma 1: r <= Σ_{i<=d} C(m, i), with equality iff general position
    assert r <= zaslavsky_bound(A)
    assert (r == zaslavsky_bound(A)) == is_general_position(A)
    assert n_bounded_regions(A) <= r


@settings(max_examples=80, deadline=None)
@given(arrangements())
def test_face_vector_euler_relation(A):
    f = face_vector(A)
    d = A.dim
    assert f[d] == n_regions(A)
    assert sum((-1) ** k * x for k, x in enumerate(f)) == (-1) ** d  # χ_c(R^d)
    assert f[0] == sum(1 for X in intersection_poset(A).flats if X.dim == 0)
    B = polyhedron_from_box(1, d)
    fb = face_vector(A, B)
    assert fb[d] == n_regions(A, B) and sum((-1) ** k * x for k, x in enumerate(fb)) == (-1) ** d
    assert all(x <= y for x, y in zip(fb, f))


@settings(max_examples=60, deadline=None)
@given(arrangements(), st.data())
def test_essentialization(A, data):
    E = essentialization(A)
    r = arrangement_rank(A)
    assert E.dim == r and is_essential(E) and len(E) == len(A)
    assert characteristic_polynomial(A) == sympy.Poly(T ** (A.dim - r), T) * characteristic_polynomial(E)
    assert n_bounded_regions(A) == n_bounded_regions(E) == (-1) ** r * chi_value(E, 1)
    assert n_regions(A) == n_regions(E)
    assert is_central(A) == is_central(E)


@settings(max_examples=60, deadline=None)
@given(arrangements(dims=(1, 2), max_m=4), arrangements(dims=(1, 2), max_m=4))
def test_direct_sum_is_product(A, B):
    S = direct_sum(A, B)
    assert S.dim == A.dim + B.dim and len(S) == len(A) + len(B)
    assert characteristic_polynomial(S) == characteristic_polynomial(A) * characteristic_polynomial(B)
    assert characteristic_polynomial(S, "deletion-restriction") == characteristic_polynomial(S)
    assert n_regions(S) == n_regions(A) * n_regions(B)
    assert n_bounded_regions(S) == n_bounded_regions(A) * n_bounded_regions(B)


@settings(max_examples=80, deadline=None)
@given(arrangement_rows(), st.data())
def test_invariance_under_symmetries(dr, data):
    d, rows = dr
    A = arrangement_from_rows(rows, dim=d)
    chi, fv = characteristic_polynomial(A), face_vector(A)
    # permuting and rescaling hyperplanes (any non-zero factor) changes nothing
    perm = data.draw(st.permutations(range(len(rows))))
    scales = [data.draw(st.sampled_from([F(2), F(-1), F(1, 3), F(-5, 2)])) for _ in rows]
    B = arrangement_from_rows([tuple(s * x for x in rows[i]) for i, s in zip(perm, scales)], dim=d)
    assert B == A
    # permuting / reflecting coordinates and translating: χ and faces are invariant
    cperm = data.draw(st.permutations(range(d)))
    signs = [data.draw(st.sampled_from([1, -1])) for _ in range(d)]
    shift = [data.draw(st.sampled_from([F(0), F(1), F(-1, 2)])) for _ in range(d)]
    moved = []
    for r in rows:
        a = [r[1 + cperm[j]] * signs[j] for j in range(d)]           # x_old[cperm[j]] = signs[j] y_j
        b = r[0] - sum(x * s for x, s in zip(a, shift))               # y = z - shift
        moved.append((b, *a))
    C = arrangement_from_rows(moved, dim=d)
    assert characteristic_polynomial(C) == chi and face_vector(C) == fv
    assert is_general_position(C) == is_general_position(A)


def test_lemma6_central_generic_by_hand():
    # m central planes of R^3 with any 3 normals independent: C(m-1,2) + 1 + m + C(m,2)
    for m in range(1, 7):
        rows = [(0, 1, k, k * k) for k in range(1, m + 1)]
        A = arrangement_from_rows(rows)
        assert n_regions(A) == comb(m - 1, 2) + 1 + m + comb(m, 2) == n_regions_central_subsets(A)


# ----------------------------------------------------------------------------- against the region complex


def net_of_rows(d, rows, dead=0):
    """A one-hidden-layer net with one neuron per row (duplicates kept) plus *dead*
    neurons with zero weights (biases 0, 1, -1, ...)."""
    W = [list(r[1:]) for r in rows] + [[0] * d for _ in range(dead)]
    b = [r[0] for r in rows] + [(0, 1, -1)[k % 3] for k in range(dead)]
    if not W:
        W, b = [[0] * d], [0]
    return network_from_layers(d, [(W, b), ([[1] * len(W)], [0])])


@settings(max_examples=150, deadline=None)
@given(arrangement_rows(max_m=5), st.integers(0, 2))
def test_one_layer_net_regions_match_complex(dr, dead):
    # the net keeps duplicated / opposite neurons and adds dead ones; the arrangement merges them
    d, rows = dr
    A = arrangement_from_rows(rows, dim=d)
    net = net_of_rows(d, rows, dead)
    assert arrangement_from_network(net) == A
    cx = region_complex(net, box=None)
    assert cx.n_regions == n_regions(A)
    assert cx.facets_total == 2 * face_vector(A)[d - 1]
    auto = region_complex(net, box="auto")
    assert auto.n_regions == n_regions(A)
    for B in (F(1, 2), F(1)):
        small = region_complex(net, box=B)
        assert small.n_regions == n_regions(A, polyhedron_from_box(B, d))
        assert small.n_regions == n_regions(A, [r for r, _ in box_rows(B, d)])
        report = check_layer_counts(small)
        assert report.ok, str(report)
    for c in (cx, auto):
        report = check_layer_counts(c)
        assert report.ok, str(report)


def _theorem3_bound(n, d):
    interior = 2 * n * sum(comb(n - 1, i) for i in range(d)) if n else 0
    return interior + 2 * d * sum(comb(n, i) for i in range(d))


@settings(max_examples=30, deadline=None)
@given(arrangements(dims=(2, 3), max_m=5))
def test_facets_total_within_theorem3_bound(A):
    cx = region_complex(net_of(A), box=1)
    assert cx.facets_total <= _theorem3_bound(len(A), A.dim)
    facet_checks = [c for c in check_layer_counts(cx).checks if c.quantity == "facets_total"]
    assert len(facet_checks) == 1 and facet_checks[0].ok


def test_theorem4_general_position_interior_faces():
    # n lines of R^2 in general position, box large enough: interior (d-1)-faces = n Σ_{i<d} C(n-1, i)
    A = arrangement_from_rows([(1, k, k * k) for k in range(1, 6)])
    assert is_general_position(A)
    cx = region_complex(net_of(A), box="auto")
    n, d = 5, 2
    interior = n * sum(comb(n - 1, i) for i in range(d))
    assert face_vector(A, polyhedron_from_box(cx.box, d))[d - 1] == face_vector(A)[d - 1] == interior
    assert cx.facets_total <= _theorem3_bound(n, d)
    assert check_layer_counts(cx).ok


VALUES = [F(-2), F(-1), F(0), F(1), F(2), F(1, 2), F(-1, 2)]
BIASES = [F(-1), F(-1, 2), F(0), F(1, 2), F(1), F(0), F(1, 3)]
DEEP_KINDS = ["random"] * 6 + ["dup", "opposite", "parallel", "dead", "zero_bias", "relay"]


@st.composite
def deep_nets(draw):
    """Deep nets up to 3 hidden layers of width <= 3, with duplicated, opposite,
    parallel, dead, zero-bias and relayed neurons."""
    d = draw(st.sampled_from([1, 2, 3]))
    depth = draw(st.integers(1, 3))
    layers, prev = [], d
    for l in range(depth):
        n = draw(st.integers(1, 3))
        W, b = [], []
        for _ in range(n):
            kind = draw(st.sampled_from(DEEP_KINDS))
            if kind in ("dup", "opposite", "parallel") and not W:
                kind = "random"
            if kind == "dup":
                k = draw(st.integers(0, len(W) - 1))
                W.append([2 * x for x in W[k]])
                b.append(2 * b[k])
            elif kind == "opposite":
                k = draw(st.integers(0, len(W) - 1))
                W.append([-x for x in W[k]])
                b.append(-b[k])
            elif kind == "parallel":
                k = draw(st.integers(0, len(W) - 1))
                W.append(list(W[k]))
                b.append(b[k] + draw(st.sampled_from([F(1), F(-1, 2)])))
            elif kind == "dead":
                W.append([F(0)] * prev)
                b.append(draw(st.sampled_from([F(0), F(0), F(1), F(-1)])))
            elif kind == "relay" and l > 0:
                w = [F(0)] * prev
                w[draw(st.integers(0, prev - 1))] = F(1)
                W.append(w)
                b.append(F(0))
            else:
                W.append([draw(st.sampled_from(VALUES)) for _ in range(prev)])
                b.append(F(0) if kind == "zero_bias" else draw(st.sampled_from(BIASES)))
        layers.append((W, b))
        prev = n
    layers.append(([[1] * prev], [0]))
    return network_from_layers(d, layers)


@settings(max_examples=300, deadline=None)
@given(deep_nets(), st.sampled_from([None, F(1), F(1, 2), "auto"]))
def test_layer_counts_hold_on_deep_degenerate_nets(net, box):
    cx = region_complex(net, box=box)
    report = check_layer_counts(cx)
    assert report.ok, str(report)
    n_child_checks = sum(1 for c in report.checks if c.quantity == "child regions")
    assert n_child_checks == sum(cx.history[:-1])


def test_layer_counts_on_a_relayed_dead_net():
    # layer 2 relays neuron (0, 0); neuron (1, 1) is dead everywhere; (1, 2) is constant 1
    net = network_from_layers(2, [([[1, 0], [0, 1], [1, 1]], [0, 0, "-1/2"]),
                                  ([[1, 0, 0], [0, 0, 0], [0, 0, 0]], [0, 0, 1]),
                                  ([[1, 1, 1]], [0])])
    for box in (None, 1):
        report = check_layer_counts(region_complex(net, box=box))
        assert report.ok, str(report)


def test_failure_report_names_layer_parent_and_numbers():
    net = network_from_layers(2, [([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], ["-1/2"]), ([[1]], [0])])
    cx = region_complex(net, box=1)
    broken = dataclasses.replace(cx, regions=tuple(r for r in cx.regions if r.pattern != (1, 1, 0)))
    report = check_layer_counts(broken)
    assert not report.ok
    (bad,) = [c for c in report.failures if c.quantity == "child regions"]
    assert (bad.layer, bad.parent, bad.complex_count, bad.formula_count) == (1, "11", 1, 2)
    text = str(report)
    assert "FAIL" in text and "hidden layer 1" in text and "'11'" in text and "complex 1" in text
    assert "parent 2" in text
    # the history no longer matches the patterns either
    assert any("history" in c.quantity for c in report.failures)
    assert isinstance(report, CountReport) and isinstance(bad, CountCheck)
    with pytest.raises(TypeError):
        check_layer_counts(net)


def test_one_layer_checks_in_box_and_rd():
    # three concurrent lines and a parallel one, a neuron on the wall x = 1 and one through a corner
    net = network_from_layers(2, [([[1, 0], [0, 1], [1, 1], [1, 0], [1, 0], [1, 1]],
                                   [0, 0, 0, "-1/2", -1, -2]),
                                  ([[1, 1, 1, 1, 1, 1]], [0])])
    cx = region_complex(net, box=1)
    report = check_layer_counts(cx)
    assert report.ok, str(report)
    names = [c.quantity for c in report.checks]
    assert "facets_total" in names and "regions" in names
    cx_rd = region_complex(net, box=None)
    rep = check_layer_counts(cx_rd)
    assert rep.ok and cx_rd.n_regions == n_regions(arrangement_from_network(net)) == 17
    big = region_complex(net, box=3)
    assert any(c.quantity.startswith("regions (every flat") for c in check_layer_counts(big).checks)


def test_arrangement_module_gathers_the_split_modules():
    """``exactpoly.arrangements.arrangement`` keeps every name it had before the split, each the
    very object of the module that defines it now, and no other."""
    from exactpoly.arrangements import arrangement, hyperplanes, invariants, layer_checks, operations, poset

    homes = (hyperplanes, poset, operations, invariants, layer_checks)
    defined = {n: m for m in homes for n in m.__all__}
    assert sum(len(m.__all__) for m in homes) == len(defined)  # each name has one home
    assert set(arrangement.__all__) == set(defined) | {"ArrangementFormatError"}
    assert len(arrangement.__all__) == 36  # as many as before the split
    assert all(getattr(arrangement, n) is getattr(m, n) for n, m in defined.items())
