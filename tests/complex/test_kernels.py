"""The compiled kernels (``exactpoly/complex/_fast.pyx``) against their pure-Python twins
(``_kernels_py``), the one switch (``kernels``) and the stub ``_fast.pyi``.

``split_parts`` implements :func:`exactpoly.complex.split.split_polytope`: every child
(points, cut values, facets with their vertex sets) must be identical.
``vertex_values`` is the value-and-sign scan of ``plan_split`` and ``affine_rows`` the
composition of its local maps. Whole complexes on random and degenerate nets must be
identical on both paths, in process (:func:`kernels.pure_python`) and with
``EXACTPOLY_PURE_PYTHON=1``.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exactpoly.complex import _kernels_py as PY
from exactpoly.complex import kernels, region_complex, split, sums
from exactpoly.network import random_network
from exactpoly.strategies import relu_networks


def _children(pair):
    return [(c.gens.points, c.facets, c.vals, c.rows, c.labels, c.pattern) for c in pair]


def _fingerprint(cx):
    return ([(r.pattern, r.facets, r.points, r.volume) for r in cx.regions], cx.edges, cx.history)


def test_compiled_loops_are_built():
    # ./dev builds them (setup.py); without them the engine silently runs on the slower Python path
    from exactpoly.complex import _fast

    assert kernels.is_available() and kernels.COMPILED
    for name in ("vertex_values", "affine_rows", "bit_changes", "next_cut", "sum_fractions", "region_order"):
        assert getattr(kernels, name) is getattr(_fast, name), name
    with kernels.pure_python():
        assert not kernels.COMPILED
        for name in kernels.KERNELS:
            assert getattr(kernels, name) is not getattr(_fast, name, None), name
        assert kernels.next_cut is PY.next_cut
    assert kernels.COMPILED and kernels.next_cut is _fast.next_cut


def _pyx_signatures(text: str) -> dict[str, list[str]]:
    """Function name -> parameter names of the Python-visible ``def``s of a .pyx (``ctype name=default``)."""
    return {m.group(1): [p.split("=")[0].split()[-1] for p in m.group(2).split(",") if p.strip()]
            for m in re.finditer(r"^def (\w+)\(([^)]*)\)", text, re.M)}


def _pyi_signatures(text: str) -> dict[str, list[str]]:
    return {f.name: [a.arg for a in f.args.args] for f in ast.parse(text).body if isinstance(f, ast.FunctionDef)}


def test_stub_matches_the_compiled_source():
    """``_fast.pyi`` declares every Python-visible function of ``_fast.pyx`` with the same parameters."""
    import exactpoly.complex as pkg

    here = Path(pkg.__file__).parent
    pyx = _pyx_signatures((here / "_fast.pyx").read_text())
    pyi = _pyi_signatures((here / "_fast.pyi").read_text())
    assert pyx and pyx == pyi


def test_environment_switch_selects_the_python_twins():
    """``EXACTPOLY_PURE_PYTHON=1`` in a fresh process: the twins, and the same complex."""
    code = ("import json, hashlib; from exactpoly import complex_to_mapping, random_network, region_complex; "
            "from exactpoly.complex import kernels; "
            "cx = region_complex(random_network('3-6-4-1', seed=1), box=1); "
            "print(kernels.COMPILED, hashlib.sha256(json.dumps(complex_to_mapping(cx), sort_keys=True).encode())"
            ".hexdigest())")
    outs = {}
    for flag in ("1", "0"):
        env = {**os.environ, "EXACTPOLY_PURE_PYTHON": flag}
        outs[flag] = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                                    check=True, timeout=120).stdout.split()
    assert outs["1"][0] == "False" and outs["0"][0] == "True"
    assert outs["1"][1] == outs["0"][1]


@given(vals=st.lists(st.tuples(*[st.integers(-3, 3) | st.integers(-10**40, 10**40)] * 5), min_size=1, max_size=9),
       t=st.integers(0, 5), stop=st.integers(0, 5))
def test_next_cut_twin(vals, t, stop):
    from exactpoly.complex._fast import next_cut

    stop = max(t, stop)
    u, signs = next_cut(vals, t, stop)
    assert (u, signs) == PY.next_cut(vals, t, stop)
    assert t <= u <= stop and len(signs) == u - t
    cols = [[v[c] for v in vals] for c in range(5)]
    assert u == stop or (max(cols[u]) > 0 > min(cols[u]))  # u cuts
    assert all(not (max(cols[c]) > 0 > min(cols[c])) and s == (1 if max(cols[c]) > 0 else -1)
               for c, s in zip(range(t, u), signs))


# ints around the 30-bit digit boundaries of CPython's ints and GMP's 64-bit limbs
_edge_ints = st.sampled_from([0, 1, 2**29, 2**30 - 1, 2**30, 2**30 + 1, 2**60 - 1, 2**60, 2**63, 2**64 - 1,
                              2**64, 2**90, 2**128 + 1]).flatmap(lambda x: st.sampled_from([x, -x]))
_ints = st.integers() | st.integers(-2**3000, 2**3000) | _edge_ints


@given(x=_ints)
def test_gmp_int_conversions_round_trip(x):
    from exactpoly.complex._fast import int_roundtrip

    y = int_roundtrip(x)
    assert y == x and type(y) is int


def test_gmp_conversions_reject_non_ints():
    from fractions import Fraction

    from exactpoly.complex._fast import int_roundtrip, sum_fractions

    with pytest.raises(TypeError):
        int_roundtrip(1.0)
    with pytest.raises(TypeError):
        sum_fractions([(Fraction(1, 2), 1)])


@given(terms=st.lists(st.tuples(_ints, _ints.map(abs).filter(bool)), max_size=8))
def test_sum_fractions_twin(terms):
    from fractions import Fraction

    from exactpoly.complex._fast import sum_fractions
    from exactpoly.rational import coprime_fraction

    want = sum((Fraction(n, d) for n, d in terms), Fraction(0))
    assert sum_fractions(terms) == PY.sum_fractions(terms) == (want.numerator, want.denominator)
    assert coprime_fraction(*sum_fractions(terms)) == want
    # stepwise (reduced after each term) takes terms in lowest terms: common factors are
    # what its gcds remove, so draw some
    reduced = [(f.numerator, f.denominator) for f in (Fraction(n, d) for n, d in terms)]
    assert sum_fractions(reduced, True) == PY.sum_fractions(reduced, True) == (want.numerator, want.denominator)


@given(parts=st.lists(st.tuples(st.integers(-50, 50), st.integers(1, 12)), max_size=30),
       scale=st.integers(1, 10**40))
def test_sum_fractions_stepwise_shared_factors(parts, scale):
    """Denominators sharing factors (a scale common to all, small cofactors): the
    stepwise sum's cancellations all happen."""
    from fractions import Fraction

    from exactpoly.complex._fast import sum_fractions

    terms = [(f.numerator, f.denominator) for f in (Fraction(n, d * scale) for n, d in parts)]
    want = sum((Fraction(n, d) for n, d in terms), Fraction(0))
    assert sum_fractions(terms, True) == PY.sum_fractions(terms, True) == (want.numerator, want.denominator)


@pytest.mark.parametrize("bad", [0, -3])
def test_sum_fractions_rejects_non_positive_denominators(bad):
    from exactpoly.complex._fast import sum_fractions

    for fn in (sum_fractions, PY.sum_fractions):
        for stepwise in (False, True):
            with pytest.raises(ValueError, match="denominator"):
                fn([(1, 2), (1, bad)], stepwise)


@given(pts=st.lists(st.tuples(st.integers(1, 10**30), *[st.integers(-10**40, 10**40)] * 3),
                    min_size=4, max_size=9, unique=True),
       data=st.data())
def test_volume_numerator_3d_twin(pts, data):
    from itertools import combinations

    from exactpoly.complex._fast import volume_numerator_3d

    simplices = tuple(data.draw(st.lists(st.sampled_from(list(combinations(range(len(pts)), 4))),
                                         min_size=0, max_size=12)))
    assert volume_numerator_3d(tuple(pts), simplices) == PY.volume_numerator(tuple(pts), simplices)


@given(pts=st.lists(st.tuples(st.integers(1, 6) | st.integers(1, 10**30),
                              *[st.integers(-4, 4) | st.integers(-10**40, 10**40)] * 2), max_size=12),
       data=st.data())
def test_region_order_twin(pts, data):
    from exactpoly.complex._fast import region_order

    pts = tuple(pts + pts[:2])  # repeated points: both sorts are stable
    idx = st.frozensets(st.integers(0, len(pts) - 1)) if pts else st.just(frozenset())
    facets = [((0,), frozenset(), data.draw(idx), frozenset()) for _ in range(data.draw(st.integers(0, 5)))]
    order, fverts = region_order(pts, facets)
    assert (order, fverts) == PY.region_order(pts, facets)
    assert sorted(order) == list(range(len(pts)))
    assert all(len(v) == len(f[2]) for v, f in zip(fverts, facets))


@pytest.mark.parametrize("sign", [1, -1])
def test_affine_rows_at_the_c_long_boundary(sign):
    """Weights at and just past the range of a C long (one GMP multiply-add per
    coordinate, else a GMP weight): every term of one sign, so nothing cancels."""
    from exactpoly.complex._fast import affine_rows

    weights = [(1 << 63) - 1, -(1 << 63), 1 << 63, -(1 << 63) - 1, (1 << 64) + 3, 1, -1, 0, 1 << 200]
    cols = [(sign * w, -sign * w) for w in weights]
    big_r = (1 << 90) - 1
    rows = tuple((big_r, -big_r, big_r, 0) for _ in weights)
    base = [(sign * (1 << 130), -sign * (1 << 130), 0, 1), (0, 0, 0, 0)]
    n = len(weights)
    for add, sub in (([*range(n)], []), ([*range(5)], [*range(5, n)]), ([], [*range(n)])):
        got = affine_rows(base, cols, rows, add, sub)
        assert got == PY.affine_rows(base, cols, rows, add, sub)
        assert got == [tuple(base[j][c] + sum(cols[i][j] * rows[i][c] for i in add)
                             - sum(cols[i][j] * rows[i][c] for i in sub) for c in range(4)) for j in range(2)]


def test_affine_rows_rejects_ragged_rows():
    from exactpoly.complex._fast import affine_rows

    with pytest.raises(ValueError, match="length"):
        affine_rows([(1, 2)], [(1,)], ((1, 2, 3),), [0], [])
    with pytest.raises(ValueError, match="length"):
        affine_rows([(1, 2), (1,)], [(1, 1)], ((1, 2),), [0], [])


@given(pairs=st.lists(st.tuples(st.integers(0, 1), st.integers(0, 1)), max_size=20))
def test_bit_changes_twin(pairs):
    from exactpoly.complex._fast import bit_changes

    bits, last = tuple(p[0] for p in pairs), tuple(p[1] for p in pairs)
    add, sub = bit_changes(bits, last)
    assert (add, sub) == PY.bit_changes(bits, last)
    assert add == [i for i in range(len(bits)) if bits[i] and not last[i]]
    assert sub == [i for i in range(len(bits)) if last[i] and not bits[i]]


def test_pulling_simplices_3d_twin():
    """Every bounded region of random 3-input nets: the compiled triangulation is the Python one."""
    from exactpoly.complex._fast import pulling_simplices_3d
    from exactpoly.geometry.triangulation import sorted_pulling_simplices

    n = 0
    for seed in range(3):
        for r in region_complex(random_network("3-9-5-1", "xavier_uniform", bias=0.01, seed=seed), box=1).regions:
            fverts = [f.vertices for f in r.facets]
            assert pulling_simplices_3d(len(r.points), fverts) == sorted_pulling_simplices(len(r.points), fverts, 3)
            n += 1
    assert n > 100
    assert pulling_simplices_3d(65, [(0, 1, 2)]) is None  # beyond 64-bit masks: the Python path


def test_worker_volume_sums_are_the_exact_sums():
    """``_sum_volumes`` (unreduced terms, one gcd) and ``_sum_by_prefix`` (cell by cell)
    against the plain Fraction sum of the regions' volumes."""
    from fractions import Fraction
    from itertools import accumulate

    net = random_network("3-6-5-4-1", "xavier_uniform", bias=0.01, seed=1)
    regions = region_complex(net, box="1/2").regions
    for a, b in ((0, 1), (0, 7), (3, 40), (0, len(regions))):
        assert sums.sum_volumes([r.volume_terms for r in regions[a:b]]) == sum((r.volume for r in regions[a:b]),
                                                                                Fraction(0))
    ends = list(accumulate(len(b) for b in net.biases[:-1]))[:-1]
    assert sums.sum_by_prefix([(r.pattern, r.volume) for r in regions], ends) == 1
    assert all(r.volume == Fraction(*r.volume_terms) for r in regions)


def test_region_volumes_on_both_paths():
    cx = region_complex(random_network("3-9-4-1", "xavier_uniform", bias=0.01, seed=5), box=1)
    assert sum(r.volume for r in cx.regions) == 8
    compiled = [r.volume for r in cx.regions]
    with kernels.pure_python():
        for r in cx.regions:
            del r.__dict__["volume"], r.__dict__["volume_terms"]
        assert [r.volume for r in cx.regions] == compiled


@given(rows=st.lists(st.tuples(*[st.integers(-10**40, 10**40)] * 4), max_size=6),
       pts=st.lists(st.tuples(st.integers(1, 10**30), *[st.integers(-10**40, 10**40)] * 3), max_size=7,
                    unique=True),
       zeros=st.booleans(), cached=st.integers(0, 7))
def test_vertex_values_twin(rows, pts, zeros, cached):
    if zeros and rows and pts:  # a row vanishing at a point
        rows[0] = (-pts[0][1], pts[0][0], 0, 0)
    from exactpoly.complex._fast import vertex_values

    # the first *cached* points are already in the cache (a fake value: it must be used as is)
    seeded = {p: tuple(range(len(rows))) for p in pts[:cached]}
    c1, c2 = dict(seeded), dict(seeded)
    out = vertex_values(rows, tuple(pts), c1)
    assert out == PY.vertex_values(rows, tuple(pts), c2)
    assert c1 == c2 and set(c1) == set(pts)
    assert out[0] == [seeded.get(p, tuple(sum(a * b for a, b in zip(r, p)) for r in rows)) for p in pts]


@settings(max_examples=300)
@given(data=st.data(), n=st.integers(0, 5), m=st.integers(1, 6), k=st.integers(1, 4))
def test_affine_rows_twin(data, n, m, k):
    from exactpoly.complex._fast import affine_rows

    ints = st.integers(-10**30, 10**30) | st.just(0) | _edge_ints
    base = [tuple(data.draw(st.lists(ints, min_size=k, max_size=k))) for _ in range(n)]
    cols = [tuple(data.draw(st.lists(ints, min_size=n, max_size=n))) for _ in range(m)]
    rows = tuple(tuple(data.draw(st.lists(ints, min_size=k, max_size=k))) for _ in range(m))
    add = data.draw(st.lists(st.integers(0, m - 1), unique=True))
    sub = data.draw(st.lists(st.integers(0, m - 1), unique=True))
    out = affine_rows(base, cols, rows, add, sub)
    assert out == PY.affine_rows(base, cols, rows, add, sub)
    assert out == [tuple(base[j][c] + sum(cols[i][j] * rows[i][c] for i in add)
                         - sum(cols[i][j] * rows[i][c] for i in sub) for c in range(k)) for j in range(n)]


def test_every_split_of_a_build_is_identical(monkeypatch):
    """Record every split of a 3-12-6-1 build, redo each on both paths, compare children."""
    calls = []
    real = split.split_polytope

    def spy(cell, key, lab, t):
        calls.append((cell, key, lab, t))
        return real(cell, key, lab, t)

    monkeypatch.setattr(split, "split_polytope", spy)
    region_complex(random_network("3-12-6-1", "xavier_uniform", bias=0.01, seed=2), box=1)
    monkeypatch.undo()
    assert len(calls) > 100
    compiled = [_children(real(*c)) for c in calls]
    with kernels.pure_python():
        assert [_children(real(*c)) for c in calls] == compiled


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(net=relu_networks(input_dim=st.integers(1, 4), widths=st.lists(st.integers(1, 5), min_size=1, max_size=3),
                         degenerate=True))
def test_compiled_and_python_complexes_identical(net):
    compiled = _fingerprint(region_complex(net, box=1))
    with kernels.pure_python():
        python = _fingerprint(region_complex(net, box=1))
    assert compiled == python


def _wide_cuts():
    """Cuts of polytopes with more than 64 vertices or facets: the 7-cube (128 vertices) and
    the 7-cross-polytope (128 facets), each by hyperplanes through none, some and many vertices."""
    from fractions import Fraction
    from itertools import product

    from exactpoly.complex.build import root_cell

    d = 7
    cube = root_cell(d, Fraction(1))
    cross_pts = tuple((1, *[(s if k == j else 0) for k in range(d)]) for j in range(d) for s in (1, -1))
    cross_facets = []
    for signs in product((-1, 1), repeat=d):
        row = (1, *[-x for x in signs])
        cross_facets.append((row, frozenset([("w", signs, 0)]),
                             frozenset(i for i, p in enumerate(cross_pts) if sum(x * y for x, y in zip(row, p)) == 0),
                             frozenset()))
    keys = [(0, 3, -1, 2, 5, -7, 1, 4), (1, 1, 0, 0, 0, 0, 0, 0), (0, 1, 1, 1, 0, 0, 0, 0), (2, 1, -1, 1, -1, 1, -1, 1)]
    for pts, facets in ((cube.gens.points, cube.facets), (cross_pts, cross_facets)):
        for key in keys:
            allvals = [(sum(x * y for x, y in zip(key, p)), sum(p)) for p in pts]
            yield pts, allvals, facets, key


def test_wide_polytopes_split_like_the_python_twin():
    """Beyond 64 vertices or facets the compiled split runs on multi-word masks: the same
    children (points in the same order, values, facets) as the Python twin."""
    from exactpoly.complex._fast import split_parts

    lab = frozenset([("n", 0, 0)])
    crossings = 0
    for pts, allvals, facets, key in _wide_cuts():
        nkey = tuple(-x for x in key)
        got = split_parts(pts, allvals, facets, 0, key, nkey, lab)
        want = PY.split_parts(pts, allvals, facets, 0, key, nkey, lab)
        assert got == want
        crossings += len(got[0][0]) + len(got[1][0]) > len(pts)  # new vertices on crossing edges
    assert crossings >= 4


def test_wide_cells_of_a_complex_split_like_the_python_twin(monkeypatch):
    """Every split of a 6-input net's complex with more than 64 vertices or facets, through the
    compiled kernel and the Python twin."""
    from exactpoly.complex._fast import split_parts

    calls = []
    real = kernels.split_parts

    def record(pts, allvals, facets, t, key, nkey, lab):
        if len(pts) > 64 or len(facets) > 64:
            calls.append((pts, allvals, facets, t, key, nkey, lab))
        return real(pts, allvals, facets, t, key, nkey, lab)

    monkeypatch.setattr(kernels, "split_parts", record)
    region_complex(random_network("6-5-3-1", "xavier_uniform", bias=0.1, seed=0), box=1)
    assert len(calls) > 10
    for args in calls:
        assert split_parts(*args) == PY.split_parts(*args)
    assert split_parts((), [], [], 0, (0, 1), (0, -1), frozenset()) is None  # no vertex: the caller's path


@pytest.mark.parametrize("arch", ["2-6-4-1", "4-5-3-1"])
def test_compiled_and_python_on_random_nets(arch):
    net = random_network(arch, "xavier_uniform", bias=0.01, seed=0)
    compiled = _fingerprint(region_complex(net, box=1))
    with kernels.pure_python():
        assert _fingerprint(region_complex(net, box=1)) == compiled


@pytest.mark.parametrize("arch, seed", [("7-3-2-1", 0), ("8-2-1", 1), ("7-4-1", 3)])
def test_big_polytopes_edge_candidates_match_the_full_scan(arch, seed, monkeypatch):
    """In the Python twin, polytopes with more than 64 negative vertices look only at edge
    candidates (``_kernels_py._edge_candidates``); the complex equals the one of the full scan
    and the compiled one (multi-word masks)."""
    net = random_network(arch, "xavier_uniform", bias=0.01, seed=seed)
    calls = []
    real = PY._edge_candidates

    def spy(fu, need, fminus, minus_mask, minus):
        out = real(fu, need, fminus, minus_mask, minus)
        calls.append(len(out) < len(minus))
        return out

    def geometry(cx):  # volumes of d >= 4 regions may be over the triangulation budget
        return [(r.pattern, r.facets, r.points) for r in cx.regions], cx.edges, cx.history

    compiled = geometry(region_complex(net, box=1))  # the compiled split: multi-word masks, every pair
    monkeypatch.setattr(PY, "_edge_candidates", spy)
    with kernels.pure_python():
        fast = geometry(region_complex(net, box=1))
        assert calls and any(calls)  # the candidate path really ran, and pruned
        monkeypatch.setattr(PY, "_edge_candidates", lambda fu, need, fminus, minus_mask, minus: minus)
        assert geometry(region_complex(net, box=1)) == fast == compiled
