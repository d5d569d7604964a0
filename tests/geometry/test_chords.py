"""Tests of exactpoly.geometry.chords and the integer chord step of the hit-and-run walks.

Twins: FilteredRows.exits and is_strictly_inside against chord_exits and signs of the
exact integer values, on hypothesis-drawn rows built to defeat the float filter (entries
of 1 to 600 bits, rows that nearly cancel at the point, duplicated and opposite rows,
exact ties); sampling._chord_step against the same step written with Fractions;
hit_and_run_rows against the exact walk written out with exact values.
"""

from __future__ import annotations

from fractions import Fraction
from math import lcm

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from exactpoly.experiments.sampling import _chord_step, _direction, hit_and_run_rows
from exactpoly.geometry import chords
from exactpoly.geometry.chords import FilteredRows, chord_exits

d_dims = st.integers(1, 5)


@st.composite
def rows_point_direction(draw):
    """Rows that are positive at an integer point p (q = 1 or a power of two), a direction."""
    d = draw(d_dims)
    bits = draw(st.sampled_from([3, 30, 60, 120, 499, 520, 600]))
    ent = st.integers(-(2 ** bits), 2 ** bits)
    q = draw(st.sampled_from([1, 2 ** 5, 2 ** 40, 3]))
    p = [draw(st.integers(-(2 ** 8), 2 ** 8)) * q // q for _ in range(d)]
    P = (q, *p)
    rows = []
    for _ in range(draw(st.integers(1, 12))):
        a = [draw(ent) for _ in range(d)]
        lin = sum(x * y for x, y in zip(a, p))
        # b chosen so the row is barely positive at P: q b + a·p = small > 0 (near cancellation)
        small = draw(st.sampled_from([1, 2, 2 ** 20, 2 ** bits]))
        b = (small - lin) // q + 1
        rows.append((b, *a))
        if draw(st.booleans()):
            rows.append(rows[-1])  # a duplicate: every exit through it is a tie
    if draw(st.booleans()):  # the two walls of a box around p, so both chord ends exist
        for k in range(d):
            e = [0] * d
            e[k] = 1
            rows.append((2 ** 9 * q - p[k] + q, *e))
            e[k] = -1
            rows.append((2 ** 9 * q + p[k] + q, *e))
    u = [draw(st.integers(-(2 ** 21), 2 ** 21)) for _ in range(d)]
    if draw(st.booleans()) and rows:  # a direction along which some row is constant
        a = rows[0][1:]
        if d >= 2 and (a[0] or a[1]):
            u = [a[1], -a[0]] + [0] * (d - 2)
    if not any(u):
        u[0] = 1
    return rows, P, u


@settings(max_examples=300, deadline=None)
@given(rows_point_direction())
def test_filtered_exits_are_the_exact_exits(data):
    rows, P, u = data
    vals = [sum(a * x for a, x in zip(r, P)) for r in rows]
    assert all(v > 0 for v in vals)
    exact = chord_exits(vals, [sum(a * x for a, x in zip(r[1:], u)) for r in rows])
    for share in (0.0, 1.01):  # the dense and the sparse (CSR) float products
        old, chords._SPARSE_SHARE = chords._SPARSE_SHARE, share
        try:
            f = FilteredRows(rows)
        finally:
            chords._SPARSE_SHARE = old
        assert f.is_strictly_inside(P)
        assert f.exits(P, u) == exact
    # outside: the same point with one row pushed through zero
    bad = [(r[0] - (vals[0] // P[0]) - 1, *r[1:]) if i == 0 else r for i, r in enumerate(rows)]
    assert FilteredRows(bad).is_strictly_inside(P) == all(sum(a * x for a, x in zip(r, P)) > 0 for r in bad)


def test_filtered_exits_report_every_tied_row():
    # the square and its duplicated top row: a ray through the corner (1, 1) ties 2 rows,
    # one through the duplicated top edge ties the copies
    square = [(1, 1, 0), (1, -1, 0), (1, 0, 1), (1, 0, -1), (1, 0, -1)]
    f = FilteredRows(square)
    assert f.exits((1, 0, 0), (1, 1)) == ((1, 1), (1, 1), [1, 3, 4])
    assert f.exits((1, 0, 0), (1, 3)) == ((1, 3), (1, 3), [3, 4])
    assert f.exits((1, 0, 0), (1, 0)) == ((1, 1), (1, 1), [1])
    big = [(2 ** 700 + 1, 2 ** 700, 0), (1, -1, 0), (1, 0, 1), (1, 0, -1)]  # over 500 bits: exact path
    assert FilteredRows(big).exits((1, 0, 0), (-1, 0)) == chord_exits([2 ** 700 + 1, 1, 1, 1], [-(2 ** 700), 1, 0, 0])


def _chord_step_fractions(p, q, u, fwd, bwd, k, inside):
    hi, lo = Fraction(fwd[0], fwd[1] * q), -Fraction(bwd[0], bwd[1] * q)
    t = lo + (hi - lo) * Fraction(k, 2 ** 32)
    y = [Fraction(pj, q) + t * uj for pj, uj in zip(p, u)]
    m = 32
    while True:
        cand = [round(yv * 2 ** m) for yv in y]
        if inside(cand, 2 ** m):
            return cand, 2 ** m
        if m > 4096:
            den = 1
            for yv in y:
                den = lcm(den, yv.denominator)
            return [int(yv * den) for yv in y], den
        m *= 2


class _Draw:
    def __init__(self, k):
        self.k = k

    def integers(self, lo, hi):
        assert (lo, hi) == (1, 2 ** 32)
        return self.k


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 4).flatmap(lambda d: st.tuples(
    st.lists(st.integers(-(2 ** 40), 2 ** 40), min_size=d, max_size=d),
    st.sampled_from([1, 3, 2 ** 32, 2 ** 64 * 5]),
    st.lists(st.integers(-(2 ** 21), 2 ** 21), min_size=d, max_size=d),
    st.tuples(st.integers(1, 2 ** 70), st.integers(1, 2 ** 30)),
    st.tuples(st.integers(1, 2 ** 70), st.integers(1, 2 ** 30)),
    st.sampled_from([1, 2 ** 31, 2 ** 32 - 1, 12345]),
    st.integers(0, 3))))
def test_integer_chord_step_is_the_fraction_step(args):
    p, q, u, fwd, bwd, k, refuse = args
    calls = []

    def inside(cand, Q):  # refuse the first *refuse* grids, to exercise the finer ones
        calls.append(Q)
        return True if len(calls) > refuse else None

    got = _chord_step(p, q, u, fwd, bwd, _Draw(k), inside)
    calls.clear()
    ref = _chord_step_fractions(p, q, u, fwd, bwd, k, inside)
    assert got[:2] == ref


def test_integer_chord_step_rounds_half_to_even():
    # chord (-1, 3) in units of 1/q (bwd = (1, 1), fwd = (3, 1)), draw k = 2^31: t = 1 / q
    got, Q, _ = _chord_step([0], 1, [1], (3, 1), (1, 1), _Draw(2 ** 31), lambda c, Q: True)
    assert (got, Q) == ([2 ** 32], 2 ** 32)
    # q = 2^33: y 2^32 = u (-1/2 + k / 2^31), halves at k = 2^31 (u odd): 1/2 -> 0, 3/2 -> 2, 5/2 -> 2
    for u, want in ((1, 0), (3, 2), (5, 2), (-1, 0), (-3, -2)):
        got, Q, _ = _chord_step([0], 2 ** 33, [u], (3, 1), (1, 1), _Draw(2 ** 31), lambda c, Q: True)
        assert (got, Q) == ([want], 2 ** 32)
        assert _chord_step_fractions([0], 2 ** 33, [u], (3, 1), (1, 1), 2 ** 31, lambda c, Q: True) == (got, Q)


def _exact_walk(rows, start, seed, patience, max_iterations):
    """hit_and_run_rows written out with exact values of every row (the reference)."""
    d = len(rows[0]) - 1
    q = 1
    for v in start:
        q = lcm(q, Fraction(v).denominator)
    p = [int(Fraction(v) * q) for v in start]
    rng = np.random.default_rng(seed)
    first, ties, last_new, it, stopped = {}, 0, 0, 0, False
    while it < max_iterations:
        it += 1
        u = _direction(rng, d)
        vals = [r[0] * q + sum(a * x for a, x in zip(r[1:], p)) for r in rows]
        fwd, bwd, fr = chord_exits(vals, [sum(a * x for a, x in zip(r[1:], u)) for r in rows])
        if len(fr) == 1:
            if fr[0] not in first:
                first[fr[0]] = it
                last_new = it
        else:
            ties += 1
        p, q, _ = _chord_step(p, q, u, fwd, bwd, rng, lambda c, Q: True if all(
            r[0] * Q + sum(a * x for a, x in zip(r[1:], c)) > 0 for r in rows) else None)
        if it % patience == 0 and last_new <= it - patience:
            stopped = True
            break
    found = tuple(sorted(first))
    return found, tuple(first[f] for f in found), it, ties, stopped


def test_hit_and_run_rows_is_the_exact_walk():
    rng = np.random.default_rng(7)
    for d, m, bits in ((3, 20, 21), (6, 60, 64), (12, 200, 110), (4, 30, 530)):
        A = [[int(v) for v in rng.integers(-(2 ** 20), 2 ** 20, size=d)] for _ in range(m)]
        sh = 2 ** (bits - 21)  # entries of about *bits* bits
        rows = [(sum(abs(a) for a in r) * sh // 3 + 1, *[a * sh for a in r]) for r in A]
        rows += [(1, *[1 if j == k else 0 for j in range(d)]) for k in range(d)]
        rows += [(1, *[-1 if j == k else 0 for j in range(d)]) for k in range(d)]
        rows.append(rows[0])  # a duplicate: its hits are ties
        start = [Fraction(0)] * d
        walk = hit_and_run_rows(rows, start, seed=d, patience=40, max_iterations=400)
        ref = _exact_walk(rows, start, d, 40, 400)
        assert (walk.found, walk.first_hit, walk.iterations, walk.ties, walk.stopped) == ref
        assert walk.found_facets > 0


def test_hit_and_run_rows_on_sparse_rows_is_the_exact_walk():
    # rows with 3 non-zeros in d = 40 (as convolution rows are): the CSR path
    rng = np.random.default_rng(3)
    d = 40
    rows = []
    for _ in range(120):
        r = [0] * d
        for k in rng.choice(d, size=3, replace=False).tolist():
            r[k] = int(rng.integers(-(2 ** 30), 2 ** 30))
        rows.append((sum(abs(a) for a in r) // 2 + 1, *r))
    rows += [(1, *[1 if j == k else 0 for j in range(d)]) for k in range(d)]
    rows += [(1, *[-1 if j == k else 0 for j in range(d)]) for k in range(d)]
    assert not isinstance(FilteredRows(rows)._R, np.ndarray)
    start = [Fraction(0)] * d
    walk = hit_and_run_rows(rows, start, seed=1, patience=50, max_iterations=300)
    ref = _exact_walk(rows, start, 1, 50, 300)
    assert (walk.found, walk.first_hit, walk.iterations, walk.ties, walk.stopped) == ref
    assert walk.found_facets > 10
