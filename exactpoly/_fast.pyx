# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
"""Compiled inner loops of the engine (internal; ``complex.py`` has the Python twins).

``split_parts`` is :func:`exactpoly.complex._split_polytope`, the same algorithm,
line for line, as the pure-Python fallback in ``complex.py``:
vertices classified by the exact sign of the cutting row, crossing edges found by
vertex-facet incidences, new vertices ``h(u)·w - h(w)·u`` made primitive, their
values of the remaining cuts carried linearly. Coordinates and values stay exact
Python ints; only the incidence bookkeeping (vertex and facet sets as 64-bit masks,
index arrays) is C. Polytopes with more than 64 vertices or facets return None and
take the Python path.

``vertex_values`` is the value-and-sign scan of :func:`exactpoly.complex._plan_split`,
``affine_rows`` the composition of its local maps (``complex._LayerMaps``),
``next_cut`` the cell scan of ``_cut_cells``, ``volume_numerator_3d`` the sum of
:attr:`exactpoly.complex.Region.volume`.
"""

from math import gcd

cdef extern from *:
    int __builtin_popcountll(unsigned long long) nogil
    int __builtin_ctzll(unsigned long long) nogil

ctypedef unsigned long long u64

cdef frozenset _EMPTY = frozenset()


def split_parts(tuple pts, list allvals, list facets, Py_ssize_t t, tuple key, tuple nkey, object lab):
    """``((points, vals, facets), (points, vals, facets))`` of the two children, or None.

    *pts* are the cell's homogeneous integer points, *allvals* per point the values of
    the cutting rows (``allvals[i][t]`` the current one), *facets* the cell's facets
    ``(row, labels, point indices, ray indices)``; *key*/*nkey* the cutting row and its
    negation (the new facet of the positive/negative child), *lab* its labels.
    O(|V+| |V-| m) word operations plus the exact arithmetic of the new vertices.
    """
    cdef Py_ssize_t nv = len(pts), nf = len(facets)
    if nv > 64 or nf > 64 or nv == 0:
        return None
    cdef u64 fverts[64]
    cdef u64 vfac[64]
    cdef Py_ssize_t plus[64]
    cdef Py_ssize_t minus[64]
    cdef Py_ssize_t zero[64]
    cdef Py_ssize_t index[64]
    cdef Py_ssize_t np_ = 0, nm = 0, nz = 0
    cdef Py_ssize_t i, j, k, a, b, u, w, base, nnew, x, dim1
    cdef u64 m, common, face, c, bu, side_mask
    cdef int need
    cdef list vals = [None] * nv
    cdef tuple f, pu, pw, vu, vw, p
    cdef list raw, verts, keep_pts, keep_vals, out_facets, on_h, new_on
    cdef object h, hu, hw, g

    for i in range(nv):
        vfac[i] = 0
    for j in range(nf):
        f = facets[j]
        m = 0
        for i in f[2]:
            m |= (<u64>1) << i
            vfac[i] |= (<u64>1) << j
        fverts[j] = m
    for i in range(nv):
        h = (<tuple>allvals[i])[t]
        vals[i] = h
        if h > 0:
            plus[np_] = i
            np_ += 1
        elif h < 0:
            minus[nm] = i
            nm += 1
        else:
            zero[nz] = i
            nz += 1

    dim1 = len(<tuple>pts[0])
    need = <int>(dim1 - 2)  # an edge lies on at least d-1 facets
    cdef tuple head = (0,) * (t + 1)  # values of the cuts already made are never read again
    cdef Py_ssize_t t1 = t + 1
    cdef u64 full = (~(<u64>0)) if nv == 64 else (((<u64>1) << nv) - 1)
    cdef list new_pts = []
    cdef list new_vals = []
    cdef list new_fac = []
    for a in range(np_):
        u = plus[a]
        pu = <tuple>pts[u]
        hu = vals[u]
        bu = (<u64>1) << u
        vu = None
        for b in range(nm):
            w = minus[b]
            common = vfac[u] & vfac[w]
            if __builtin_popcountll(common) < need:
                continue
            face = full
            c = common
            while c:
                face &= fverts[__builtin_ctzll(c)]
                c &= c - 1
            if face != (bu | ((<u64>1) << w)):
                continue
            hw = vals[w]
            pw = <tuple>pts[w]
            raw = [hu * pw[x] - hw * pu[x] for x in range(dim1)]
            g = gcd(*raw)
            if vu is None:
                vu = (<tuple>allvals[u])[t1:]
            vw = (<tuple>allvals[w])[t1:]
            if g == 1:
                new_pts.append(tuple(raw))
                new_vals.append(head + tuple([hu * vw[x] - hw * vu[x] for x in range(len(vu))]))
            else:
                new_pts.append(tuple([y // g for y in raw]))
                new_vals.append(head + tuple([(hu * vw[x] - hw * vu[x]) // g for x in range(len(vu))]))
            new_fac.append(common)

    nnew = len(new_pts)
    new_on = [[] for _ in range(nf)]  # new vertices on each parent facet
    for k in range(nnew):
        c = <u64>new_fac[k]
        while c:
            (<list>new_on[__builtin_ctzll(c)]).append(k)
            c &= c - 1

    cdef list children = []
    cdef Py_ssize_t* side
    cdef Py_ssize_t ns
    cdef object row
    for s in range(2):
        if s == 0:
            side, ns, row = plus, np_, key
        else:
            side, ns, row = minus, nm, nkey
        for i in range(nv):
            index[i] = -1
        keep_pts = []
        keep_vals = []
        side_mask = 0
        base = ns + nz  # the side's vertices, then those on the hyperplane, then the new ones
        for a in range(base):
            if a < ns:
                i = side[a]
                side_mask |= (<u64>1) << i
            else:
                i = zero[a - ns]
            index[i] = a
            keep_pts.append(pts[i])
            keep_vals.append(allvals[i])
        keep_pts.extend(new_pts)
        keep_vals.extend(new_vals)
        out_facets = []
        for j in range(nf):
            if not (fverts[j] & side_mask):
                continue
            f = facets[j]
            verts = []
            c = fverts[j]
            while c:
                i = __builtin_ctzll(c)
                if index[i] >= 0:
                    verts.append(index[i])
                c &= c - 1
            for k in new_on[j]:
                verts.append(base + k)
            out_facets.append((f[0], f[1], frozenset(verts), _EMPTY))
        on_h = []
        for a in range(nz):
            on_h.append(index[zero[a]])
        for k in range(nnew):
            on_h.append(base + k)
        out_facets.append((row, lab, frozenset(on_h), _EMPTY))
        children.append((tuple(keep_pts), keep_vals, out_facets))
    return children[0], children[1]


cdef int _column_flags(list vals, Py_ssize_t col, bint early):
    """The signs in column *col* of per-point value tuples: 1 positive, 2 negative, 4 zero
    (or-ed); with *early*, the scan stops once both signs are seen."""
    cdef int fl = 0
    cdef object x
    for row in vals:
        x = (<tuple>row)[col]
        if x > 0:
            fl |= 1
        elif x < 0:
            fl |= 2
        else:
            fl |= 4
        if early and fl & 3 == 3:
            break
    return fl


def vertex_values(list rows, tuple pts, dict cache):
    """``(values, flags)``: per point the tuple of every row's exact value there, and
    per row a bit mask of the signs seen (1 positive, 2 negative, 4 zero).

    ``values[j][i] == sum(rows[i][k] * pts[j][k])`` as Python ints. A point's tuple is
    taken from *cache* when there, else computed and stored (the caller keeps the
    cache valid: the same rows at every point, up to a global positive scale).
    O(rows · points · len) exact multiplications for the points not cached.
    """
    cdef Py_ssize_t n = len(rows), nv = len(pts), i, j, k, dim
    cdef list values = []
    cdef list vals
    cdef tuple r, p, v
    cdef object x
    cdef bytearray flags = bytearray(n)
    for j in range(nv):
        p = <tuple>pts[j]
        v = cache.get(p)
        if v is None:
            dim = len(p)
            vals = []
            for i in range(n):
                r = <tuple>rows[i]
                x = r[0] * p[0]
                for k in range(1, dim):
                    x = x + r[k] * p[k]
                vals.append(x)
            v = tuple(vals)
            cache[p] = v
        values.append(v)
    for i in range(n):
        flags[i] = _column_flags(values, i, False)
    return values, bytes(flags)


cdef object _pack(tuple x, Py_ssize_t S):
    """``sum(x[c] << (c S))``: a row as one integer, S bits per coordinate (Kronecker)."""
    cdef Py_ssize_t c, k = len(x)
    cdef object p = x[k - 1]
    for c in range(k - 2, -1, -1):
        p = (p << S) + x[c]
    return p


cdef Py_ssize_t _max_bits(object rows):
    cdef Py_ssize_t m = 0, b
    for r in rows:
        for x in <tuple>r:
            b = x.bit_length()
            if b > m:
                m = b
    return m


def affine_rows(list base, list cols, tuple rows, list add, list sub, Py_ssize_t wbits):
    """Rows of a composed affine map, updated by outer products.

    Row ``j`` of the result is ``base[j] + sum(cols[i][j] * rows[i] for i in add)
    - sum(cols[i][j] * rows[i] for i in sub)``, a tuple of exact Python ints; every
    ``cols[i][j]`` has at most *wbits* bits. O(len(base) · (len(add) + len(sub)) ·
    len(rows[0])) exact multiplications; with four or more outer products each row
    is handled as one integer holding all its coordinates (Kronecker substitution:
    ``S`` bits per coordinate, enough for the exact result's bound), so each term
    is one multiplication and one addition instead of one per coordinate.
    """
    cdef Py_ssize_t n = len(base), na = len(add), ns = len(sub), j, c, k, t, S
    cdef list out = []
    cdef list acc
    cdef tuple r
    cdef object w, i, p, v, mask, half, full
    if n == 0:
        return out
    k = len(<tuple>base[0])
    cdef list arows = [rows[<Py_ssize_t>i] for i in add]
    cdef list acols = [cols[<Py_ssize_t>i] for i in add]
    cdef list srows = [rows[<Py_ssize_t>i] for i in sub]
    cdef list scols = [cols[<Py_ssize_t>i] for i in sub]
    cdef list apack, spack
    if na + ns >= 4 and k > 1:
        # |result| <= |base| + (na + ns) 2^(wbits + row bits): S - 1 bits hold it with room
        S = max(_max_bits(base), wbits + max(_max_bits(arows), _max_bits(srows))) + (na + ns).bit_length() + 3
        apack = [_pack(<tuple>r, S) for r in arows]
        spack = [_pack(<tuple>r, S) for r in srows]
        full = (<object>1) << S  # Python ints: a C shift would overflow past 63 bits
        mask = full - 1
        half = full >> 1
        for j in range(n):
            p = _pack(<tuple>base[j], S)
            for t in range(na):
                w = (<tuple>acols[t])[j]
                if w:
                    p = p + w * apack[t]
            for t in range(ns):
                w = (<tuple>scols[t])[j]
                if w:
                    p = p - w * spack[t]
            acc = []
            for c in range(k - 1):
                v = p & mask
                if v >= half:
                    v = v - full
                acc.append(v)
                p = (p - v) >> S
            acc.append(p)
            out.append(tuple(acc))
        return out
    for j in range(n):
        acc = list(<tuple>base[j])
        for t in range(na):
            w = (<tuple>acols[t])[j]
            if w:
                r = <tuple>arows[t]
                for c in range(k):
                    acc[c] = acc[c] + w * r[c]
        for t in range(ns):
            w = (<tuple>scols[t])[j]
            if w:
                r = <tuple>srows[t]
                for c in range(k):
                    acc[c] = acc[c] - w * r[c]
        out.append(tuple(acc))
    return out


def bit_changes(tuple bits, tuple last):
    """``(add, sub)``: the indices where *bits* is 1 and *last* 0, and where it is 0 and
    *last* 1 (equal lengths). O(len(bits))."""
    cdef Py_ssize_t i, n = len(bits)
    cdef list add = [], sub = []
    cdef object a, b
    for i in range(n):
        a = bits[i]
        b = last[i]
        if a is not b and a != b:
            if a:
                add.append(i)
            else:
                sub.append(i)
    return add, sub


def volume_numerator_3d(tuple hom, tuple simplices):
    """``(N, D)`` with ``volume == N / (6 D)`` for tetrahedra in homogeneous coordinates.

    ``D`` is the product of every point's ``q`` and ``N`` the sum over the simplices of
    ``|det[(q_i, q_i p_i)]| · D / prod q_i`` (exact ints): the summation of
    :attr:`exactpoly.complex.Region.volume`, whose Python code is the twin. The 2x2
    minors of each simplex's first two points are computed once per pair (in a
    pulling triangulation every simplex starts with the first vertex and its
    facet's lowest one). O(simplices) determinants of 18 multiplications.
    """
    cdef Py_ssize_t n = len(hom), a, b, c, e, i
    cdef list qs = [(<tuple>p)[0] for p in hom]
    cdef object D = 1, N = 0, det, s0, s1, s2, s3, s4, s5
    cdef object a0, a1, a2, a3, b0, b1, b2, b3, c0, c1, c2, c3, d0, d1, d2, d3
    cdef dict cache = {}
    cdef tuple s, pa, pb, pc, pd, m
    for i in range(n):
        D = D * qs[i]
    for s in simplices:
        a, b, c, e = s
        m = cache.get(a * n + b)
        if m is None:
            pa = <tuple>hom[a]
            pb = <tuple>hom[b]
            a0, a1, a2, a3 = pa
            b0, b1, b2, b3 = pb
            m = (a0 * b1 - a1 * b0, a0 * b2 - a2 * b0, a0 * b3 - a3 * b0,
                 a1 * b2 - a2 * b1, a1 * b3 - a3 * b1, a2 * b3 - a3 * b2)
            cache[a * n + b] = m
        s0, s1, s2, s3, s4, s5 = m
        pc = <tuple>hom[c]
        pd = <tuple>hom[e]
        c0, c1, c2, c3 = pc
        d0, d1, d2, d3 = pd
        det = (s0 * (c2 * d3 - c3 * d2) - s1 * (c1 * d3 - c3 * d1) + s2 * (c1 * d2 - c2 * d1)
               + s3 * (c0 * d3 - c3 * d0) - s4 * (c0 * d2 - c2 * d0) + s5 * (c0 * d1 - c1 * d0))
        if det < 0:
            det = -det
        N = N + det * (D // (qs[a] * qs[b] * qs[c] * qs[e]))
    return N, D


def next_cut(list vals, Py_ssize_t t, Py_ssize_t stop):
    """``(u, signs)``: *u* the first column in ``t:stop`` of the per-point value tuples
    *vals* with values of both signs (*stop* if none), *signs* the side of every column
    before it (1 if some value is positive, else -1). The cell scan of
    ``complex._cut_cells``. O(points · (u - t)) comparisons.
    """
    cdef Py_ssize_t u
    cdef int fl
    cdef list signs = []
    for u in range(t, stop):
        fl = _column_flags(vals, u, True)
        if fl & 3 == 3:
            return u, tuple(signs)
        signs.append(1 if fl & 1 else -1)
    return stop, tuple(signs)


cdef bint _lex_less(tuple a, tuple b):
    """Is ``a[1:] / a[0] < b[1:] / b[0]`` lexicographically (``a[0], b[0] > 0``)? Exact."""
    cdef Py_ssize_t c, n = len(a)
    cdef object x, y
    for c in range(1, n):
        x = a[c] * b[0]
        y = b[c] * a[0]
        if x != y:
            return x < y
    return False


def region_order(tuple pts, list facets):
    """``(order, facet_vertices)``: the point indices in lexicographic order of their
    coordinates, and per facet ``(row, labels, point indices, ray indices)`` the sorted
    new indices of its points. The ordering of ``complex._region_of``.

    A stable binary insertion sort comparing ``p/q`` exactly by cross-multiplication
    (``p_c q' < p'_c q``): O(n log n) comparisons of two products each, instead of
    scaling every coordinate to the common denominator of all the points.
    """
    cdef Py_ssize_t n = len(pts), i, lo, hi, mid
    cdef list order = []
    cdef tuple p
    for i in range(n):
        p = <tuple>pts[i]
        lo = 0
        hi = len(order)
        while lo < hi:
            mid = (lo + hi) >> 1
            if _lex_less(p, <tuple>pts[<Py_ssize_t>order[mid]]):
                hi = mid
            else:
                lo = mid + 1
        order.insert(lo, i)
    cdef list rank = [0] * n
    for i in range(n):
        rank[<Py_ssize_t>order[i]] = i
    cdef list fverts = []
    cdef list vs
    for f in facets:
        vs = [rank[<Py_ssize_t>j] for j in (<tuple>f)[2]]
        vs.sort()
        fverts.append(tuple(vs))
    return order, fverts


def pulling_simplices_3d(Py_ssize_t n, list facets):
    """The sorted simplices of the lexicographic pulling triangulation of a 3-polytope
    with vertices ``0 .. n-1`` (in lexicographic order) and the given facet vertex
    index tuples, or None when n > 64.

    ``triangulation._sorted_pulling_simplices_3d`` on 64-bit masks: vertex 0 is coned
    over the facets not containing it, each fanned from its lowest vertex over its
    edges not containing it (an edge of F is its intersection with another facet when
    that has exactly two vertices). O(m^2) word operations for m facets.
    """
    if n > 64:
        return None
    cdef Py_ssize_t m = len(facets), a, b
    cdef object i
    cdef u64 fm[64]
    cdef u64 e, w, F, s
    cdef list out = []
    cdef list simplex
    cdef u64 one = 1
    if m > 64:
        return None
    for a in range(m):
        F = 0
        for i in facets[a]:
            F |= one << <Py_ssize_t>i
        fm[a] = F
    for a in range(m):
        F = fm[a]
        if F & 1:
            continue
        w = F & (~F + 1)
        for b in range(m):
            if b == a:
                continue
            e = F & fm[b]
            if __builtin_popcountll(e) != 2 or e & w:
                continue
            s = one | w | e
            simplex = []
            while s:
                simplex.append(__builtin_ctzll(s))
                s &= s - 1
            out.append(tuple(simplex))
    out.sort()
    return out
