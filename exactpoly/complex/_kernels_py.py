"""The Python twins of the compiled kernels (``_fast.pyx``): the same algorithms, line for line.

Chosen by :mod:`exactpoly.complex.kernels` (the one switch) when the compiled module is
not built or ``EXACTPOLY_PURE_PYTHON=1``; the tests compare every kernel with its twin.
Internal: use the names through :mod:`~exactpoly.complex.kernels`.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations
from math import comb, gcd, lcm, prod

from ..errors import BudgetExceededError
from ..geometry.rows import IntRow, dot
from ..geometry.triangulation import n_sorted_pulling_simplices, small_integer_determinant, sorted_pulling_simplices

# A facet inside the engine: (canonical row, support labels, point indices, ray indices)
FacetData = tuple[IntRow, frozenset, frozenset[int], frozenset[int]]
# One side of a split: (points, their values of the later cuts, facets)
Child = tuple[tuple[IntRow, ...], list[tuple[int, ...]], list[FacetData]]


def vertex_values(rows: list[IntRow], pts: tuple[IntRow, ...],
                      cache: dict[IntRow, tuple[int, ...]]) -> tuple[list[tuple[int, ...]], bytes]:
    """``(values, flags)``: per point the tuple of every row's value there (from *cache*
    when present, else computed and stored), and per row the signs seen (1 positive,
    2 negative, 4 zero); the Python twin of the compiled ``_fast.vertex_values``."""
    values = []
    for p in pts:
        v = cache.get(p)
        if v is None:
            v = cache[p] = tuple([dot(r, p) for r in rows])
        values.append(v)
    flags = bytes((1 if max(c) > 0 else 0) | (2 if min(c) < 0 else 0) | (4 if 0 in c else 0)
                  for c in zip(*values)) if values else bytes(len(rows))
    return values, flags


def affine_rows(base: list[IntRow], cols: list[IntRow], rows: tuple[IntRow, ...],
                    add: list[int], sub: list[int]) -> list[IntRow]:
    """``base[j] + sum_{i in add} cols[i][j] rows[i] - sum_{i in sub} cols[i][j] rows[i]``
    for every j, as tuples; the Python twin of the compiled ``_fast.affine_rows``."""
    out = []
    for j, b in enumerate(base):
        acc = list(b)
        for sign, idx in ((1, add), (-1, sub)):
            for i in idx:
                w = sign * cols[i][j]
                if w:
                    acc = [a + w * x for a, x in zip(acc, rows[i])]
        out.append(tuple(acc))
    return out


def bit_changes(bits: tuple[int, ...], last: tuple[int, ...]) -> tuple[list[int], list[int]]:
    """``(add, sub)``: indices where *bits* turned on and where it turned off since
    *last*; the Python twin of the compiled ``_fast.bit_changes``."""
    add = [i for i, (a, b) in enumerate(zip(bits, last)) if a > b]
    sub = [i for i, (a, b) in enumerate(zip(bits, last)) if a < b]
    return add, sub


def next_cut(vals: list[tuple[int, ...]], t: int, stop: int) -> tuple[int, tuple[int, ...]]:
    """``(u, signs)``: the first column ``u`` in ``t:stop`` of *vals* with values of both
    signs (*stop* if none) and the side of each column before it (1 if some value is
    positive, else -1); the Python twin of the compiled ``_fast.next_cut``."""
    signs: list[int] = []
    for u in range(t, stop):
        col = [v[u] for v in vals]
        pos, neg = max(col) > 0, min(col) < 0
        if pos and neg:
            return u, tuple(signs)
        signs.append(1 if pos else -1)
    return stop, tuple(signs)


def sum_fractions(terms: list[tuple[int, int]], stepwise: bool = False) -> tuple[int, int]:
    """``(num, den)`` in lowest terms, ``den > 0``: the exact sum of ``n / d`` over the
    pairs *terms* (``d > 0``); the Python twin of the compiled ``_fast.sum_fractions``
    (GMP). By default over the product of the denominators with one gcd at the end
    (the pairs need not be reduced); with *stepwise* (pairs in lowest terms) reduced
    after every term, as ``Fraction`` addition does."""
    num, den = 0, 1
    for n, m in terms:
        if m <= 0:
            raise ValueError("sum_fractions: a denominator is not positive")
        if stepwise:
            g = gcd(den, m)
            if g != 1:
                s = den // g
                t = num * (m // g) + n * s
                g2 = gcd(t, g)
                num, den = t // g2, s * (m // g2)
                continue
        num, den = num * m + n * den, den * m
    if not stepwise:
        g = gcd(num, den)
        num, den = num // g, den // g
    return num, den


def lex_order(points: tuple[IntRow, ...] | list[IntRow]) -> list[int]:
    """Indices of homogeneous points in lexicographic order of their coordinates (exact)."""
    L = lcm(*(p[0] for p in points))
    keys = []
    for p in points:
        m = L // p[0]
        keys.append(tuple([x * m for x in p[1:]]) if m != 1 else p[1:])
    return sorted(range(len(points)), key=keys.__getitem__)


def region_order(points: tuple[IntRow, ...], facets: list[FacetData]) -> tuple[list[int], list[tuple[int, ...]]]:
    """``(order, facet_vertices)``: the points' lexicographic order and each facet's
    sorted new point indices; the Python twin of the compiled ``_fast.region_order``."""
    order = lex_order(points)
    rank_of = {old: new for new, old in enumerate(order)}
    return order, [tuple(sorted([rank_of[i] for i in f[2]])) for f in facets]



def _edge_candidates(fu: int, need: int, fminus: list[int], minus_mask: int, minus: list[int]) -> list[int]:
    """The vertices of *minus* (mask *minus_mask*) that share at least *need* facets with a vertex on
    the facets *fu* (a mask), in increasing order: every neighbour across an edge is among them.

    Each choice of *need* of the vertex's facets is intersected with the negative vertices on them;
    O(C(k, need) · need) big-integer ANDs for a vertex on k facets (k = d for a simple vertex).
    When that is more work than scanning *minus*, *minus* itself is returned.
    """
    facets = []
    while fu:
        low = fu & -fu
        facets.append(low.bit_length() - 1)
        fu ^= low
    if comb(len(facets), need) > len(minus):
        return minus
    cand = 0
    for choice in combinations(facets, need):
        m = minus_mask
        for j in choice:
            m &= fminus[j]
        cand |= m
    out = []
    while cand:
        low = cand & -cand
        out.append(low.bit_length() - 1)
        cand ^= low
    return out


def split_parts(pts: tuple[IntRow, ...], allvals: list[tuple[int, ...]], facets: list[FacetData], t: int,
                key: IntRow, nkey: IntRow, lab: frozenset) -> tuple[Child, Child]:
    """The two sides of a polytope cut by the hyperplane of column *t* of *allvals*
    (:func:`exactpoly.complex.split.split_polytope`): per side ``(points, values, facets)``.

    Vertices are classified by the exact sign of the cutting row; u (positive) and w
    (negative) span an edge iff the intersection of the facets containing both has
    exactly these two vertices; the crossing point is ``h(u)·w - h(w)·u`` made primitive,
    and its values of the later cuts follow linearly. O(|V+| |V-| m) for m facets.
    """
    vals = [v[t] for v in allvals]
    nv = len(pts)
    fverts = []
    vfac = [0] * nv
    for j, (_row, _labs, vs, _rys) in enumerate(facets):
        m = 0
        for i in vs:
            m |= 1 << i
            vfac[i] |= 1 << j
        fverts.append(m)
    full = (1 << nv) - 1
    plus = [i for i in range(nv) if vals[i] > 0]
    minus = [i for i in range(nv) if vals[i] < 0]
    zero = [i for i in range(nv) if vals[i] == 0]
    new_pts: list[IntRow] = []
    new_vals: list[tuple[int, ...]] = []
    new_fac: list[int] = []  # facets containing the crossing edge
    need = len(pts[0]) - 2  # an edge lies on at least d-1 facets
    head = (0,) * (t + 1)  # values of the cuts already made are never read again
    many = len(minus) > 64  # a big polytope (the compiled kernel declined it): look only at edge candidates
    if many:
        minus_mask = 0
        for w in minus:
            minus_mask |= 1 << w
        fminus = [fm & minus_mask for fm in fverts]
    for u in plus:
        fu, pu, hu, vu = vfac[u], pts[u], vals[u], allvals[u][t + 1:]
        for w in (_edge_candidates(fu, need, fminus, minus_mask, minus) if many else minus):
            common = fu & vfac[w]
            if common.bit_count() < need:
                continue
            face = full
            c = common
            while c:
                low = c & -c
                face &= fverts[low.bit_length() - 1]
                c ^= low
            if face != (1 << u) | (1 << w):
                continue
            hw = vals[w]
            raw = [hu * b - hw * a for a, b in zip(pu, pts[w])]
            g = gcd(*raw)
            new_pts.append(tuple(x // g for x in raw))
            # every row is linear in homogeneous coordinates: values follow exactly
            new_vals.append(head + tuple((hu * b - hw * a) // g for a, b in zip(vu, allvals[w][t + 1:])))
            new_fac.append(common)
    new_on: list[list[int]] = [[] for _ in facets]  # new vertices on each parent facet
    for k, fm in enumerate(new_fac):
        while fm:
            low = fm & -fm
            new_on[low.bit_length() - 1].append(k)
            fm ^= low
    children = []
    for side, row in ((plus, key), (minus, nkey)):
        keep = side + zero
        index = {old: k for k, old in enumerate(keep)}
        points = [pts[i] for i in keep] + new_pts
        child_vals = [allvals[i] for i in keep] + new_vals
        base = len(keep)
        side_mask = 0
        for i in side:
            side_mask |= 1 << i
        out_facets: list[FacetData] = []
        for j, (r, labs, vs, _rys) in enumerate(facets):
            if not fverts[j] & side_mask:
                continue
            verts = [index[i] for i in vs if i in index]
            verts += [base + k for k in new_on[j]]
            out_facets.append((r, labs, frozenset(verts), frozenset()))
        on_h = [index[i] for i in zero] + list(range(base, base + len(new_pts)))
        out_facets.append((row, lab, frozenset(on_h), frozenset()))
        children.append((tuple(points), child_vals, out_facets))
    return children[0], children[1]


def volume_numerator(hom: tuple[IntRow, ...], simplices: Sequence[tuple[int, ...]]) -> tuple[int, int]:
    """``(N, D)`` with volume ``N / (d! D)``: the simplices' terms over one common denominator.

    vol(conv(p_0..p_d)) = |det[(q_i, q_i p_i)]| / (prod q_i · d!); the terms are summed
    over D = the product of all q_i (a multiple of every simplex's denominator, found
    without a gcd), so the volume needs one gcd at the end. The Python twin of the
    compiled ``_fast.volume_numerator_3d`` (any d).
    """
    qs = [p[0] for p in hom]
    D = prod(qs)
    num = 0
    for s in simplices:
        det = small_integer_determinant([hom[i] for i in s])
        num += (det if det > 0 else -det) * (D // prod([qs[i] for i in s]))
    return num, D


def pulling_simplices(n: int, facets: list[tuple[int, ...]], d: int) -> list[tuple[int, ...]]:
    """The d-simplices of the canonical (lexicographic pulling) triangulation of a polytope
    with *n* vertices in lexicographic order and the given facet-vertex incidences
    (:func:`~exactpoly.geometry.triangulation.sorted_pulling_simplices`); the Python twin of
    the compiled ``_fast.pulling_simplices_3d``."""
    return sorted_pulling_simplices(n, facets, d)


def pulling_count_volume(n: int, facets: list[tuple[int, ...]], d: int, max_faces: int, max_simplices: int,
                         hom: tuple[IntRow, ...] | None, listing: bool = False
                         ) -> tuple[int, tuple[int, int] | None, list[tuple[int, ...]] | None]:
    """``(count, terms, simplices)`` of the canonical triangulation of a d-polytope (vertices
    ``0 .. n-1`` in lexicographic order): count -1 when more than *max_faces* faces that are
    not simplices are visited; *terms* the :func:`volume_numerator` of the simplices when *hom*
    is given and ``count <= max_simplices`` (else None); the sorted simplices when *listing*
    (same condition). The Python twin of the compiled ``_fast.pulling_count_volume``, which
    sums the volume over the face walk instead of a list."""
    if n == 0:
        return 0, ((0, 1) if hom is not None else None), ([] if listing else None)
    try:
        count = n_sorted_pulling_simplices(n, facets, d, max_faces)
    except BudgetExceededError:
        return -1, None, None
    if count > max_simplices:
        return count, None, None
    simplices = sorted_pulling_simplices(n, facets, d, budget=False)
    terms = volume_numerator(hom, simplices) if hom is not None else None
    return count, terms, (simplices if listing else None)
