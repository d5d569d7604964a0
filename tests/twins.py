"""Slow, exact, independent brute-force twins for the property tests.

``brute_force_complex`` recomputes the region complex of a ReLU network from the
definition (docs/conventions.md) without the layered engine of :mod:`exactpoly.complex`:

* activation patterns ``s`` in ``{0,1}^N`` are enumerated by a depth-first search
  over the hidden neurons in order; a prefix is pruned as soon as its strict sign
  system is infeasible (exact LP), which does not change the semantics "a pattern
  is a region iff its open set is non-empty";
* for a pattern, every hidden neuron's pre-activation ``z_i^s(x)`` is an affine
  function computed with :class:`~fractions.Fraction` from the bits of the earlier
  layers (``h = s ⊙ (W h_prev + b)``); ``z_i^s`` identically zero is a dead neuron
  (bit 0, no constraint), a non-zero constant imposes its sign, anything else the
  strict inequality ``z > 0`` (bit 1) or ``z < 0`` (bit 0);
* facets, vertices and adjacency by exact LPs and exact Gaussian elimination.

Only :func:`exactpoly.geometry.polyhedron.is_strictly_feasible` (an exact LP) and
:func:`exactpoly.geometry.polyhedron.canonical_row` are borrowed from the package.
"""

from __future__ import annotations

from fractions import Fraction
from itertools import combinations

from exactpoly.geometry.polyhedron import canonical_row, is_strictly_feasible

__all__ = ["brute_force_complex", "solve_exact", "pattern_rows", "evaluate_row"]


def _feasible(rows, equalities=()) -> bool:
    rows = list(rows)
    equalities = list(equalities)
    if not rows and not equalities:
        return True  # the open domain R^d is not empty
    return is_strictly_feasible(rows, equalities)


def _neg(row):
    return tuple(-x for x in row)


def evaluate_row(row, x) -> Fraction:
    """``b + a·x`` exactly."""
    return Fraction(row[0]) + sum((Fraction(a) * v for a, v in zip(row[1:], x)), Fraction(0))


def solve_exact(matrix, rhs):
    """Unique solution of the square system ``matrix x = rhs`` by Fraction Gaussian
    elimination, or None when the matrix is singular."""
    n = len(matrix)
    m = [[Fraction(v) for v in row] + [Fraction(r)] for row, r in zip(matrix, rhs)]
    for col in range(n):
        piv = next((i for i in range(col, n) if m[i][col] != 0), None)
        if piv is None:
            return None
        m[col], m[piv] = m[piv], m[col]
        p = m[col][col]
        m[col] = [v / p for v in m[col]]
        for i in range(n):
            if i != col and m[i][col] != 0:
                f = m[i][col]
                m[i] = [a - f * b for a, b in zip(m[i], m[col])]
    return tuple(m[i][n] for i in range(n))


def _box_rows(B, d):
    out = []
    if B is None:
        return out
    for j in range(d):
        for side in (-1, 1):
            a = [0] * d
            a[j] = -side  # side -1: B + x_j >= 0 (wall x_j = -B); side +1: B - x_j >= 0
            out.append((canonical_row([B, *a]), ("w", j, side)))
    return out


def _enumerate(net, B):
    """Yield ``(pattern, rows)`` for every non-empty region; ``rows`` is a list of
    ``(canonical inward row, label)`` with labels ``("n", layer, i)`` / ``("w", j, side)``."""
    d = net.input_dim
    L = net.n_hidden_layers
    widths = net.hidden_widths
    ident = [[Fraction(int(i == j)) for j in range(d)] for i in range(d)]
    zero = [Fraction(0)] * d

    def rec(layer, i, A, c, h_rows, h_consts, bits, rows):
        # A, c: the previous layer's output h_{layer-1}(x) = A x + c on this prefix
        # h_rows, h_consts: the outputs of this layer's neurons 0..i-1
        if layer == L:
            yield tuple(bits), rows
            return
        if i == widths[layer]:
            yield from rec(layer + 1, 0, h_rows, h_consts, [], [], bits, rows)
            return
        w = net.weights[layer][i]
        coef = [sum((w[k] * A[k][j] for k in range(len(w))), Fraction(0)) for j in range(d)]
        const = sum((w[k] * c[k] for k in range(len(w))), Fraction(0)) + net.biases[layer][i]
        if not any(coef):
            bit = 1 if const > 0 else 0  # dead (const == 0) or constant sign: no constraint
            yield from rec(layer, i + 1, A, c,
                           h_rows + [coef if bit else zero], h_consts + [const if bit else Fraction(0)],
                           bits + [bit], rows)
            return
        for bit in (0, 1):
            row = canonical_row([const, *coef] if bit else [-const, *(-v for v in coef)])
            new_rows = rows + [(row, ("n", layer, i))]
            if not _feasible(r for r, _ in new_rows):
                continue
            yield from rec(layer, i + 1, A, c,
                           h_rows + [coef if bit else zero], h_consts + [const if bit else Fraction(0)],
                           bits + [bit], new_rows)

    yield from rec(0, 0, ident, zero, [], [], [], _box_rows(B, d))


def pattern_rows(net, pattern, B=None):
    """The strict constraint rows (canonical, inward) of a pattern, or None when the
    pattern is inconsistent with the dead-neuron / constant-sign rule.

    Used by the tests to check interior points independently of the engine.
    """
    d = net.input_dim
    A = [[Fraction(int(i == j)) for j in range(d)] for i in range(d)]
    c = [Fraction(0)] * d
    rows = [r for r, _ in _box_rows(B, d)]
    pos = 0
    for layer, width in enumerate(net.hidden_widths):
        newA, newc = [], []
        for i in range(width):
            w = net.weights[layer][i]
            coef = [sum((w[k] * A[k][j] for k in range(len(w))), Fraction(0)) for j in range(d)]
            const = sum((w[k] * c[k] for k in range(len(w))), Fraction(0)) + net.biases[layer][i]
            bit = pattern[pos]
            pos += 1
            if not any(coef):
                if bit != (1 if const > 0 else 0):
                    return None
            else:
                rows.append(canonical_row([const, *coef] if bit else [-const, *(-v for v in coef)]))
            newA.append(coef if bit else [Fraction(0)] * d)
            newc.append(const if bit else Fraction(0))
        A, c = newA, newc
    return rows


def _facets(rows):
    """Facets of the open polyhedron ``rows > 0`` (full-dimensional): canonical row ->
    (sorted neurons, sorted walls)."""
    groups: dict[tuple, set] = {}
    for r, lab in rows:
        groups.setdefault(r, set()).add(lab)
    out = {}
    for r, labs in groups.items():
        others = [q for q in groups if q != r]
        assert _neg(r) not in groups, "a non-empty open region cannot have r and -r"
        if _feasible(others, [r]):
            neurons = tuple(sorted((lab[1], lab[2]) for lab in labs if lab[0] == "n"))
            walls = tuple(sorted((lab[1], lab[2]) for lab in labs if lab[0] == "w"))
            out[r] = (neurons, walls)
    return out


def _vertices(facet_rows, d):
    """Vertices of the closed polytope ``facet_rows >= 0``: every d-subset of facet
    hyperplanes with a unique common point that satisfies all facet rows."""
    verts = set()
    facet_rows = list(facet_rows)
    for combo in combinations(facet_rows, d):
        x = solve_exact([r[1:] for r in combo], [-r[0] for r in combo])
        if x is None:
            continue
        if all(evaluate_row(r, x) >= 0 for r in facet_rows):
            verts.add(x)
    return verts


def brute_force_complex(net, B, vertices=True):
    """Brute-force region complex of *net* on ``[-B, B]^d`` (or R^d when B is None).

    *vertices* False skips the vertices (their C(facets, d) enumeration is slow for d >= 6).

    Returns
    -------
    regions : dict
        pattern tuple -> ``{"facets": {row: (neurons, walls)}, "vertices": set}``;
        vertices are Fraction tuples (empty set when ``B is None``).
    adjacency : set of frozenset
        Pairs of adjacent patterns (closures meet in a (d-1)-dimensional set).
    """
    if B is not None:
        B = Fraction(B)
        assert B > 0
    d = net.input_dim
    regions = {}
    for pattern, rows in _enumerate(net, B):
        assert pattern not in regions
        facets = _facets(rows)
        verts = _vertices(facets, d) if B is not None and vertices else set()
        regions[pattern] = {"facets": facets, "vertices": verts}
    adjacency = set()
    pats = sorted(regions)
    for p, q in combinations(pats, 2):
        fp, fq = regions[p]["facets"], regions[q]["facets"]
        for r in fp:
            nr = _neg(r)
            if nr not in fq:
                continue
            others = [x for x in fp if x != r] + [x for x in fq if x != nr]
            if _feasible(others, [r]):
                adjacency.add(frozenset((p, q)))
                break
    return regions, adjacency
