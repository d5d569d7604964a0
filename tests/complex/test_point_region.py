"""region_at against its independent twin, the region complex (docs/conventions.md §"Facets"):
the facets of the region at a point (rows, supporting neurons and walls) must be those of the
region of region_complex with the same pattern, which must contain the point; every
certificate must hold and every tampered one must fail."""

from __future__ import annotations

import dataclasses
import json
from fractions import Fraction
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exactpoly import network_from_layers, random_network, region_at, region_complex
from exactpoly.cli import main
from exactpoly.complex import point_region as pr
from exactpoly.complex.point_region import (
    FacetCertificate,
    RedundancyCertificate,
    RegionInequality,
    check_certificates,
    recheck_region,
    region_from_mapping,
    region_to_mapping,
)
from exactpoly.errors import DomainError
from exactpoly.geometry.dd import exact_lp_minimum

NETS = [("2-5-1", 0), ("2-4-4-1", 1), ("3-6-3-1", 2), ("4-5-2", 3), ("3-4-4-4-1", 4)]


@cache
def _net(arch, seed):
    return random_network(arch, seed=seed)


@cache
def _complex(arch, seed, box):
    return region_complex(_net(arch, seed), box=box)


def _facets(rows):
    return sorted((f.row, f.neurons, f.walls) for f in rows)


def _assert_twin(net, cx, x, reg):
    assert check_certificates(reg)
    twin = cx.region_of_pattern(reg.pattern)
    assert cx.regions.index(twin) in cx.locate(x)
    assert _facets(reg.facets) == _facets(twin.facets)
    assert reg.n_facets == twin.n_facets
    # every inequality that is not a facet is implied: its row is strictly positive inside the twin
    for q in reg.redundant:
        assert all(sum(a * b for a, b in zip(q.row, p)) >= 0 for p in twin.points)


coordinate = st.fractions(min_value=Fraction(-63, 64), max_value=Fraction(63, 64), max_denominator=64)


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(k=st.integers(0, len(NETS) - 1), box=st.sampled_from([1, None]), data=st.data())
def test_facets_equal_the_region_complex(k, box, data):
    arch, seed = NETS[k]
    net = _net(arch, seed)
    x = data.draw(st.lists(coordinate, min_size=net.input_dim, max_size=net.input_dim))
    _assert_twin(net, _complex(arch, seed, box), x, region_at(net, x, box=box))


def test_coincident_dead_and_wall_neurons():
    # neurons 0 and 1 coincide (x and 2x), 2 is dead, 3 is the wall x = 1, 4 repeats y = 1/2 twice over layers
    net = network_from_layers(2, [([[1, 0], [2, 0], [0, 0], [1, 0], [0, 2]], [0, 0, 0, -1, -1]),
                                  ([[1, 1, 1, 1, 1], [0, 0, 0, 0, 4]], [0, 0]),
                                  ([[1, 1]], [0])])
    for box in (1, None):
        cx = region_complex(net, box=box)
        for x in (["1/2", "1/4"], ["-1/2", "3/4"], ["1/3", "-1/3"], ["7/8", "7/8"]):
            reg = region_at(net, x, box=box)
            _assert_twin(net, cx, x, reg)
            assert reg.pattern[2] == 0
            assert all((0, 2) not in q.neurons for q in reg.inequalities)  # dead: no inequality
    reg = region_at(net, ["1/2", "1/4"], box=1)
    by_row = {q.row: q for q in reg.inequalities}
    assert by_row[(0, 1, 0)].neurons == ((0, 0), (0, 1), (1, 0))  # layer 1 neuron 0 is 3x here
    assert by_row[(1, -1, 0)].neurons == ((0, 3),) and by_row[(1, -1, 0)].walls == ((0, 1),)


def test_point_on_hyperplanes_takes_the_lexicographic_side():
    net = _net("2-4-4-1", 1)
    cx = _complex("2-4-4-1", 1, 1)
    W, b = net.weights[0], net.biases[0]
    for i in range(4):  # a point on neuron (0, i)'s line: x = t e_k with the line through it
        a0, a1 = W[i]
        x = [Fraction(0), -b[i] / a1] if a1 else [-b[i] / a0, Fraction(0)]
        if not all(-1 < t < 1 for t in x):
            continue
        reg = region_at(net, x, box=1)
        assert (0, i) in reg.on_hyperplanes
        e = Fraction(1, 10 ** 6)
        inside = [x[0] + e, x[1] + e * e]  # the side x + (e, e^2)
        _assert_twin(net, cx, inside, reg)
        assert cx.locate(inside) == (cx.regions.index(cx.region_of_pattern(reg.pattern)),)
        assert len(cx.locate(x)) >= 2


def test_exact_fallback_settles_wrong_proposals(monkeypatch):
    """Floating-point rows that are nonsense: every proposal fails its exact check or is absent,
    and the exact LP settles each inequality; the result equals the twin's."""
    import numpy as np

    net = _net("3-6-3-1", 2)
    x = ["1/5", "-2/7", "1/3"]
    honest = region_at(net, x, box=1)
    rng = np.random.default_rng(0)

    def nonsense(ineqs):
        F = rng.standard_normal((len(ineqs), len(ineqs[0].row)))
        return F / np.linalg.norm(F[:, 1:], axis=1)[:, None]

    monkeypatch.setattr(pr, "_float_rows", nonsense)
    reg = region_at(net, x, box=1)
    assert reg.exact_fallbacks > 0
    assert check_certificates(reg)
    assert reg.inequalities == honest.inequalities
    assert reg.facet_indices == honest.facet_indices
    _assert_twin(net, _complex("3-6-3-1", 2, 1), x, reg)


def _tampered(reg):
    """Copies of *reg* with one certificate broken in each way."""
    fi = reg.facet_indices[0]
    ri = next(i for i, c in enumerate(reg.certificates) if isinstance(c, RedundancyCertificate))
    certs = list(reg.certificates)

    def with_cert(i, c):
        cs = list(certs)
        cs[i] = c
        return dataclasses.replace(reg, certificates=tuple(cs))

    p = certs[fi].point
    lam = certs[ri].multipliers
    yield with_cert(fi, FacetCertificate((p[0], p[1] + 1, *p[2:])))                # off the hyperplane
    yield with_cert(fi, FacetCertificate(reg.interior_point))                       # not on it
    yield with_cert(fi, RedundancyCertificate(lam, Fraction(0)))                    # a facet called redundant
    yield with_cert(ri, FacetCertificate(p))                                        # a redundant one called facet
    yield with_cert(ri, RedundancyCertificate(((lam[0][0], lam[0][1] * 2), *lam[1:]), certs[ri].slack))
    yield with_cert(ri, RedundancyCertificate(lam, certs[ri].slack + 1))
    yield with_cert(ri, RedundancyCertificate(((ri, Fraction(1)),), Fraction(0)))   # itself
    yield with_cert(ri, RedundancyCertificate(tuple((j, -v) for j, v in lam), -certs[ri].slack))
    yield dataclasses.replace(reg, interior_point=p)                               # on a hyperplane
    yield dataclasses.replace(reg, certificates=tuple(certs[:-1]))


def test_tampered_certificates_fail():
    net = network_from_layers(2, [([[1, 0], [0, 1], [1, 0], [1, 1]], [0, 0, "-1/2", 1]), ([[1, 1, 1, 1]], [0])])
    reg = region_at(net, ["3/4", "1/2"], box=1)
    assert check_certificates(reg)
    assert any(isinstance(c, RedundancyCertificate) for c in reg.certificates)
    bad = list(_tampered(reg))
    assert len(bad) == 10
    for b in bad:
        assert not check_certificates(b), b.certificates


def test_json_round_trip_and_recheck():
    net = _net("3-6-3-1", 2)
    reg = region_at(net, ["1/5", "-2/7", "1/3"], box=2)
    m = json.loads(json.dumps(region_to_mapping(reg)))
    back = region_from_mapping(m)
    assert back == reg
    assert recheck_region(back, net) == []
    assert m["n_facets"] == reg.n_facets == len(m["facets"])
    other = _net("3-6-3-1", 5)
    assert recheck_region(back, other)  # another network: other inequalities
    m["inequalities"][0]["row"][0] = str(int(m["inequalities"][0]["row"][0]) + 1)
    assert recheck_region(region_from_mapping(m), net)
    with pytest.raises(DomainError, match="format"):
        region_from_mapping({**m, "format": "nope"})
    short = region_to_mapping(reg, certificates=False)
    assert "interior_point" not in short and "point" not in short["inequalities"][0]


def test_arguments_are_checked():
    net = _net("2-5-1", 0)
    with pytest.raises(DomainError, match="x"):
        region_at(net, [0, 0, 0])
    with pytest.raises(DomainError, match="box"):
        region_at(net, [0, 0], box=-1)
    with pytest.raises(DomainError, match="open box"):
        region_at(net, [1, 0], box=1)


def test_no_hidden_layer_and_all_constant():
    net = network_from_layers(2, [([[1, 1]], [0])])
    reg = region_at(net, [0, 0])
    assert (reg.pattern, reg.n_inequalities, reg.n_facets) == ((), 0, 0) and check_certificates(reg)
    reg = region_at(net, [0, 0], box=1)
    assert reg.n_facets == 4 and check_certificates(reg)


def test_exact_lp_minimum_duality():
    # min x + y over x >= 0, y >= 0, x + 2y >= 2, 2x + y >= 2: optimum 4/3 at (2/3, 2/3)
    rows = [(0, 1, 0), (0, 0, 1), (-2, 1, 2), (-2, 2, 1)]
    value, x, dual = exact_lp_minimum((0, 1, 1), rows)
    assert value == Fraction(4, 3) and x == (Fraction(2, 3), Fraction(2, 3))
    assert all(v > 0 for _, v in dual)
    for k in (1, 2):
        assert sum(v * rows[j][k] for j, v in dual) == 1
    assert -sum(v * rows[j][0] for j, v in dual) == value


def test_cli_region_and_check(tmp_path, capsys):
    from exactpoly.network import write_network

    net = _net("3-6-3-1", 2)
    write_network(net, tmp_path / "net.json")
    (tmp_path / "x.txt").write_text("1/5 -2/7\n1/3\n")
    code = main(["region", str(tmp_path / "net.json"), "--point", str(tmp_path / "x.txt"), "--box", "1"])
    out = json.loads(capsys.readouterr().out)
    reg = region_at(net, ["1/5", "-2/7", "1/3"], box=1)
    assert code == 0 and out["n_facets"] == reg.n_facets and "interior_point" not in out
    assert out["timing"]["cpu_seconds"] >= 0
    cert = tmp_path / "cert.json"
    code = main(["region", str(tmp_path / "net.json"), "--point", str(tmp_path / "x.txt"), "--box", "1",
                 "--certificates", "--out", str(cert)])
    assert code == 0 and capsys.readouterr().out == ""
    assert main(["region", str(tmp_path / "net.json"), "--check", str(cert)]) == 0
    assert json.loads(capsys.readouterr().out)["check"] == "ok"
    data = json.loads(cert.read_text())
    k = data["facets"][0]
    data["inequalities"][k]["point"][1] = str(int(data["inequalities"][k]["point"][1]) + 1)
    cert.write_text(json.dumps(data))
    assert main(["region", str(tmp_path / "net.json"), "--check", str(cert)]) == 1
    assert json.loads(capsys.readouterr().out)["check"] == "failed"
    assert main(["region", str(tmp_path / "net.json")]) == 2
    assert main(["region", str(tmp_path / "net.json"), "--check", str(cert), "--box", "1"]) == 2
    capsys.readouterr()


def test_without_highspy_scipy_proposes_the_same(monkeypatch):
    import sys

    net = _net("3-4-4-4-1", 4)
    x = ["1/5", "-2/7", "1/3"]
    with_highs = region_at(net, x, box=1)
    monkeypatch.setitem(sys.modules, "highspy", None)  # import fails: scipy's own HiGHS bindings instead
    vendored = region_at(net, x, box=1)
    monkeypatch.setattr(pr, "_highs_module", lambda: None)  # no bindings: scipy.optimize.linprog
    for reg in (vendored, region_at(net, x, box=1)):
        assert check_certificates(reg)
        assert (reg.inequalities, reg.facet_indices) == (with_highs.inequalities, with_highs.facet_indices)
        _assert_twin(net, _complex("3-4-4-4-1", 4, 1), x, reg)


def _exact_facet_check(rows, i, p):
    v = rows.values([p])[0]
    return v[i] == 0 and all(t > 0 for j, t in enumerate(v) if j != i)


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_float_filter_decides_like_exact_integers(data):
    """_Rows.facet_checks / strictly_inside (float filter + exact fallback) against the plain
    fmpz_mat values, on rows and points with near-zero values, zeros and integers over 500 bits."""
    d = data.draw(st.integers(1, 5))
    big = st.integers(-(1 << 600), 1 << 600)
    small = st.integers(-40, 40)
    entry = st.one_of(small, small, big, st.integers(-(1 << 60), 1 << 60))
    rows = data.draw(st.lists(st.tuples(*[entry] * (d + 1)).filter(lambda r: any(r[1:])), min_size=1, max_size=8,
                              unique=True))
    # near-cancelling rows: value 1 at (1, 1, ..., 1) after huge terms
    rows.append((1 - (1 << 61) * d, *[1 << 61] * d))
    box = data.draw(st.sampled_from([None, Fraction(3, 2)]))
    ineqs = [RegionInequality(r, ((0, k),), ()) for k, r in enumerate(sorted(set(rows)))]
    if box is not None:
        ineqs += [RegionInequality((3, *[(-2 * s if k == j else 0) for k in range(d)]), (), ((j, s),))
                  for j in range(d) for s in (-1, 1)]
    R = pr._Rows(ineqs, d, box)
    pts = [data.draw(st.tuples(st.integers(1, 1 << 70), *[st.one_of(small, big)] * d)) for _ in range(3)]
    pts.append((1, *[1] * d))
    cand = [(i, pr._snap(q.row, p)) for i, q in enumerate(ineqs) for p in pts]
    cand = [(i, p) for i, p in cand if p[0] > 0]
    assert R.facet_checks(cand) == [_exact_facet_check(R, i, p) for i, p in cand]
    for p in pts + [p for _, p in cand]:
        assert R.strictly_inside(p) == all(v > 0 for v in R.values([p])[0])


def test_float_filter_defers_near_zero_values():
    # row value 1 at the point, but the float products cancel to 0: the filter must not decide
    row = (1 - (1 << 61) * 2, 1 << 61, 1 << 61)
    R = pr._Rows([RegionInequality(row, ((0, 0),), ())], 2, None)
    sure, unsure = pr._filtered_signs(R, [(1, 1, 1)])
    assert list(unsure[0]) == [0] and not len(sure[0])
    assert R.strictly_inside((1, 1, 1))
    assert not R.strictly_inside((1, 1, 0))


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_sparse_combination_check_matches_fractions(data):
    d = data.draw(st.integers(1, 4))
    R = data.draw(st.lists(st.tuples(*[st.integers(-5, 5)] * (d + 1)), min_size=2, max_size=6))
    lam = data.draw(st.lists(st.tuples(st.integers(1, len(R) - 1), st.fractions(0, 3, max_denominator=7)
                                       .filter(bool)), max_size=4))
    slack = data.draw(st.fractions(0, 3, max_denominator=5))
    comb = [sum((v * R[j][k] for j, v in lam), Fraction(0)) for k in range(d + 1)]
    comb[0] += slack
    target = tuple(int(t) for t in comb) if all(t.denominator == 1 for t in comb) else None
    for cand in (R[0], target):
        if cand is not None:
            R2 = [cand, *R[1:]]
            assert pr._combines(R2, {}, 0, lam, slack) == (comb == list(cand))


# the local LPs (sparse rows in a box): forced on every row of small nets, against the region complex

SPARSE_NETS = [("3-6-3-1", 2), ("4-5-2", 3), ("3-4-4-4-1", 4), ("5-8-1", 5)]


@settings(max_examples=30, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(k=st.integers(0, len(SPARSE_NETS) - 1), data=st.data())
def test_local_lps_agree_with_the_region_complex(k, data, monkeypatch_module):
    arch, seed = SPARSE_NETS[k]
    net = _net(arch, seed)
    x = data.draw(st.lists(coordinate, min_size=net.input_dim, max_size=net.input_dim))
    _assert_twin(net, _complex(arch, seed, 1), x, region_at(net, x, box=1))


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pr, "_LOCAL_SUPPORT", 1.0)
        yield mp


def test_local_lps_on_degenerate_nets(monkeypatch):
    monkeypatch.setattr(pr, "_LOCAL_SUPPORT", 1.0)
    calls = {"local": 0, "box": 0}
    local, box_cert = pr._local_lps, pr._box_certificate

    def counting_local(*a):
        calls["local"] += 1
        return local(*a)

    def counting_box(*a):
        out = box_cert(*a)
        calls["box"] += out is not None
        return out

    monkeypatch.setattr(pr, "_local_lps", counting_local)
    monkeypatch.setattr(pr, "_box_certificate", counting_box)
    # coincident (x, 2x), dead, wall (x = 1) neurons, a repeated hyperplane, and sparse neurons in 4 inputs
    net = network_from_layers(2, [([[1, 0], [2, 0], [0, 0], [1, 0], [0, 2]], [0, 0, 0, -1, -1]),
                                  ([[1, 1, 1, 1, 1], [0, 0, 0, 0, 4]], [0, 0]),
                                  ([[1, 1]], [0])])
    cx = region_complex(net, box=1)
    for x in (["1/2", "1/4"], ["-1/2", "3/4"], ["1/3", "-1/3"], ["7/8", "7/8"], [0, "1/2"]):
        _assert_twin(net, cx, x, region_at(net, x, box=1))
    # x_0 <= 1/2 makes the walls x_0 = 1 redundant; x_0 + x_1 <= 1 (sparse) too in part of the box
    net = network_from_layers(4, [([[1, 0, 0, 0], [0, 1, 0, 0], [1, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1],
                                    [0, 0, 1, 1]], [Fraction(-1, 2), Fraction(-1, 2), -1, 0, 0, 0]),
                                  ([[1] * 6], [0])])
    cx = region_complex(net, box=1)
    for x in (["1/4", "1/4", "1/4", "1/4"], ["-1/4", "1/3", "-1/2", "1/8"], ["3/4", "3/4", "1/4", "-1/4"]):
        reg = region_at(net, x, box=1)
        _assert_twin(net, cx, x, reg)
        assert reg.exact_fallbacks == 0
    assert calls["local"] >= 8 and calls["box"] >= 1


def test_box_certificate_rejects_multipliers_that_do_not_hold():
    # region in [-1, 1]: x > 1/2 (row (-1, 2)); the wall x >= -1 is implied by it (x > 1/2 > -1)
    ineqs = [RegionInequality((-1, 2), ((0, 0),), ()), RegionInequality((1, -1), (), ((0, 1),)),
             RegionInequality((1, 1), (), ((0, -1),))]
    rows = pr._Rows(ineqs, 1, Fraction(1))
    R = [q.row for q in ineqs]
    F = pr._float_rows(ineqs)
    import numpy as np

    good = pr._box_certificate(R, F, 2, [0], np.array([1.0]), rows)
    assert good is not None and good.multipliers == ((0, Fraction(1, 2)),) and good.slack == Fraction(3, 2)
    reg = pr.CertifiedRegion(1, Fraction(1), (Fraction(3, 4),), (1,), (), tuple(ineqs),
                             (pr.FacetCertificate((2, 1)), pr.FacetCertificate((1, 1)), good), (4, 3))
    assert check_certificates(reg)
    # 3 times larger: 1 + x = 3/2 (2x - 1) + 2 (1 - x) + 1/2, also valid
    assert pr._box_certificate(R, F, 2, [0], np.array([3.0]), rows) == RedundancyCertificate(
        ((0, Fraction(3, 2)), (1, Fraction(2))), Fraction(1, 2))
    # 10 times: the walls' constant exceeds the row's (slack 6 - 9 < 0): rejected
    assert pr._box_certificate(R, F, 2, [0], np.array([10.0]), rows) is None
    # no multiplier: the residual needs the wall x >= -1, row 2 itself: rejected
    assert pr._box_certificate(R, F, 2, [0], np.array([0.0]), rows) is None
    # the wall x <= 1 from x > 1/2: the residual needs row 1 itself: rejected
    assert pr._box_certificate(R, F, 1, [0], np.array([1.0]), rows) is None
    bad = dataclasses.replace(reg, certificates=(*reg.certificates[:2], RedundancyCertificate(
        ((0, Fraction(1, 2)),), Fraction(1, 2))))
    assert not check_certificates(bad)


def test_lp_duals_become_exact_box_certificates(monkeypatch):
    """In a box, most full-LP duals are made exact by _box_certificate (no fmpq rref); the
    others (e.g. zero slack, where rounding cannot be absorbed) go on to the rref and the exact LP."""
    calls = {"box": 0, "rref": 0}
    box_cert, mult = pr._box_certificate, pr._multipliers

    def counting_box(*a):
        out = box_cert(*a)
        calls["box"] += out is not None
        return out

    def counting_rref(*a):
        calls["rref"] += 1
        return mult(*a)

    monkeypatch.setattr(pr, "_box_certificate", counting_box)
    monkeypatch.setattr(pr, "_multipliers", counting_rref)
    for arch, seed in NETS:
        net, cx = _net(arch, seed), _complex(arch, seed, 1)
        for x in (["1/5", "-2/7", "1/3", "1/9"], ["-3/4", "1/2", "-1/8", "5/8"]):
            _assert_twin(net, cx, x[:net.input_dim], region_at(net, x[:net.input_dim], box=1))
    assert calls["box"] >= 5 and calls["box"] > calls["rref"]


@pytest.fixture
def batched(monkeypatch):
    """Dikin rays and pushes for every open inequality, and the blocked rays instead of the Gram feet."""
    monkeypatch.setattr(pr, "_DIKIN_MIN", 0)
    monkeypatch.setattr(pr, "_GRAM_MAX", 0)
    calls = {"dikin": 0, "pushes": 0, "rays": 0, "newton": 0}
    dikin, pushes, rays, newton = pr._dikin, pr._pushes, pr._rays, pr._newton_pushes

    def counting(name, f):
        def g(*a):
            out = f(*a)
            calls[name] += 1
            return out
        return g

    monkeypatch.setattr(pr, "_dikin", counting("dikin", dikin))
    monkeypatch.setattr(pr, "_pushes", counting("pushes", pushes))
    monkeypatch.setattr(pr, "_rays", counting("rays", rays))
    monkeypatch.setattr(pr, "_newton_pushes", counting("newton", newton))
    return calls


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
          deadline=None)
@given(k=st.integers(0, len(NETS) - 1), box=st.sampled_from([1, None]), data=st.data())
def test_dikin_rays_and_pushes_agree_with_the_region_complex(k, box, data, batched):
    arch, seed = NETS[k]
    net = _net(arch, seed)
    x = data.draw(st.lists(coordinate, min_size=net.input_dim, max_size=net.input_dim))
    _assert_twin(net, _complex(arch, seed, box), x, region_at(net, x, box=box))
    assert batched["rays"] >= 1


def test_dikin_rays_and_pushes_on_degenerate_nets(batched):
    # coincident (x, 2x), dead, wall (x = 1) neurons, a repeated hyperplane; redundant inequalities
    net = network_from_layers(2, [([[1, 0], [2, 0], [0, 0], [1, 0], [0, 2]], [0, 0, 0, -1, -1]),
                                  ([[1, 1, 1, 1, 1], [0, 0, 0, 0, 4]], [0, 0]),
                                  ([[1, 1]], [0])])
    for box in (1, None):
        cx = region_complex(net, box=box)
        for x in (["1/2", "1/4"], ["-1/2", "3/4"], ["1/3", "-1/3"], ["7/8", "7/8"], [0, "1/2"]):
            _assert_twin(net, cx, x, region_at(net, x, box=box))
    # a redundant inequality (x_0 <= 1/2 implies x_0 < 1) and parallel rows
    net = network_from_layers(2, [([[1, 0], [3, 0], [0, 1], [1, 1]], [Fraction(-1, 2), -3, 0, -1]),
                                  ([[1, 1, 1, 1]], [0])])
    cx = region_complex(net, box=1)
    for x in (["1/4", "1/4"], ["-1/4", "1/3"], ["3/4", "-1/2"], ["1/2", "1/4"]):
        reg = region_at(net, x, box=1)
        _assert_twin(net, cx, x, reg)
        assert reg.redundant
    assert batched["dikin"] >= 1 and batched["pushes"] >= 1 and batched["newton"] >= 1


def _thin_box(delta):
    """Unit float rows of -1 < x < 1, -delta < y < delta and the cut through (1/2, delta) and (1, delta/2)."""
    import numpy as np

    rows = np.array([[1, 1, 0], [1, -1, 0], [delta, 0, 1], [delta, 0, -1], [1.5 * delta, -delta, -1]])
    return rows / np.linalg.norm(rows[:, 1:], axis=1)[:, None]


def test_dikin_rays_settle_what_the_feet_do_not():
    """A thin box with a nearly horizontal cut: the perpendicular from the centre onto the cut
    leaves through y < delta first, the Dikin ray (H^-1 a, H ~ diag(1, 1/delta^2)) reaches the cut."""
    import numpy as np

    F = _thin_box(1e-3)
    bar = pr._Barrier(F)
    x0 = np.zeros(2)
    feet = np.ones(5, dtype=bool)
    got = {}
    pr._rays(bar, x0, feet, got)
    assert feet[4]  # the cut stays open after the feet
    xa, chol = bar.centre(x0, np.ones(5))
    dikin = np.ones(5, dtype=bool)
    got = {}
    pr._rays(bar, xa, dikin, got, chol)
    assert not dikin[4] and 4 in got
    z = got[4]
    s = F[:, 0] + F[:, 1:] @ z
    assert abs(s[4]) < 1e-12 and np.delete(s, 4).min() > 0  # on the cut, inside the others


def test_pushes_reach_beyond_open_hyperplanes():
    """From the analytic centre the pushes propose points on every facet (here all five), in floats."""
    import numpy as np

    F = _thin_box(1e-2)
    bar = pr._Barrier(F)
    xa, chol = bar.centre(np.zeros(2), np.ones(5))
    pending = np.ones(5, dtype=bool)
    got = {}
    assert pr._pushes(bar, xa, chol, pending, got) == 5 and not pending.any()
    for i, z in got.items():
        s = F[:, 0] + F[:, 1:] @ z
        assert abs(s[i]) < 1e-9 and np.delete(s, i).min() > 0


def test_wrong_batched_proposals_are_rejected_and_settled_exactly(batched, monkeypatch):
    """Dikin rays and pushes that propose nonsense points: every one fails its exact check and
    is settled by an LP or the exact fallback, never dropped; the result equals the twin's."""
    import numpy as np

    net = _net("3-6-3-1", 2)
    x = ["1/5", "-2/7", "1/3"]
    honest = region_at(net, x, box=1)
    rng = np.random.default_rng(1)
    rays, pushes, newton = pr._rays, pr._pushes, pr._newton_pushes
    wrong = {"n": 0}

    def scramble(f):
        def g(bar, xa, *a):
            props = a[2] if f is pushes else a[1]
            before = set(props)
            out = f(bar, xa, *a)
            for i in set(props) - before:
                props[i] = props[i] + rng.standard_normal(props[i].shape)
                wrong["n"] += 1
            return out
        return g

    monkeypatch.setattr(pr, "_rays", scramble(rays))
    monkeypatch.setattr(pr, "_pushes", scramble(pushes))
    monkeypatch.setattr(pr, "_newton_pushes", scramble(newton))
    reg = region_at(net, x, box=1)
    assert wrong["n"] > 0
    assert check_certificates(reg)
    assert reg.inequalities == honest.inequalities and reg.facet_indices == honest.facet_indices
    _assert_twin(net, _complex("3-6-3-1", 2, 1), x, reg)


def test_newton_pushes_find_facets_and_stop_on_redundant_rows():
    """The per-row central path proposes a point on a facet and gives up on a redundant row."""
    import numpy as np

    F = _thin_box(1e-2)
    F = np.vstack([F, [2.0, -1.0, 0.0]])  # x < 2: implied by x < 1
    bar = pr._Barrier(F)
    pending = np.ones(6, dtype=bool)
    got = {}
    assert pr._newton_pushes(bar, np.zeros(2), pending, got, np.arange(6)) == 5
    assert pending.tolist() == [False] * 5 + [True] and 5 not in got
    for i, z in got.items():
        s = F[:, 0] + F[:, 1:] @ z
        assert abs(s[i]) < 1e-9 and np.delete(s, i).min() > 0


def test_batched_steps_without_threadpoolctl(batched, monkeypatch):
    """Without threadpoolctl the BLAS threads are left alone; the result is the same."""
    import sys

    net = _net("2-4-4-1", 1)
    x = ["1/3", "-1/5"]
    with_limit = region_at(net, x, box=1)
    monkeypatch.setitem(sys.modules, "threadpoolctl", None)  # import raises ImportError
    reg = region_at(net, x, box=1)
    assert batched["dikin"] == 2
    assert reg.facet_indices == with_limit.facet_indices and reg.inequalities == with_limit.inequalities
    _assert_twin(net, _complex("2-4-4-1", 1, 1), x, reg)
