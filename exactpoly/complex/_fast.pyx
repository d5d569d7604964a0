# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
"""Compiled inner loops of the engine (internal; ``_kernels_py.py`` has the Python twins and
``kernels.py`` chooses between them; ``_fast.pyi`` is the typed interface, checked against
this file by the tests).

``split_parts`` is the kernel of :func:`exactpoly.complex.split.split_polytope`, the same
algorithm, line for line, as its Python twin ``_kernels_py.split_parts``:
vertices classified by the exact sign of the cutting row, crossing edges found by
vertex-facet incidences, new vertices ``h(u)·w - h(w)·u`` made primitive, their
values of the remaining cuts carried linearly. Coordinates and values stay exact
Python ints; only the incidence bookkeeping (vertex and facet sets as 64-bit masks,
index arrays) is C; polytopes with more than 64 vertices or facets take the same
steps on multi-word masks (``_split_parts_wide``).

``vertex_values`` is the value-and-sign scan of :func:`exactpoly.complex.split.plan_split`,
``affine_rows`` the composition of its local maps (:class:`exactpoly.complex.local_maps.LayerMaps`),
``next_cut`` the cell scan of ``split.cut_cells``, ``volume_numerator_3d`` the sum of
:attr:`exactpoly.complex.Region.volume`, ``sum_fractions`` the exact sums of volumes,
``region_order`` the vertex order of ``workers.region_of``.

The big-integer arithmetic of ``vertex_values``, ``affine_rows``,
``volume_numerator_3d``, ``sum_fractions`` and ``region_order`` is GMP's (libgmp,
whose headers pycddlib needs anyway): at depth 3 and 4 the numbers have hundreds
to thousands of bits, where GMP's multiplications, exact divisions and gcds are
several times faster than Python's and need no object per intermediate result.
Values cross the boundary as exact Python ints (on CPython 3.11 by copying the
int's digits, elsewhere through a hex string); nothing is rounded.
"""

from math import gcd

from cpython.long cimport PyLong_AsLongAndOverflow
from cpython.mem cimport PyMem_Free, PyMem_Malloc, PyMem_Realloc
from cpython.bytes cimport PyBytes_FromStringAndSize
from libc.string cimport memcmp, memcpy, memset

cdef extern from *:
    int __builtin_popcountll(unsigned long long) nogil
    int __builtin_ctzll(unsigned long long) nogil

# GMP (libgmp, already required by pycddlib) for the long-integer arithmetic: exact
# integers only, converted from and to Python ints at the boundary.
cdef extern from "gmp.h":
    ctypedef struct __mpz_struct:
        pass
    ctypedef __mpz_struct* mpz_ptr
    void mpz_init(mpz_ptr)
    void mpz_clear(mpz_ptr)
    void mpz_set_ui(mpz_ptr, unsigned long)
    void mpz_set(mpz_ptr, mpz_ptr)
    void mpz_mul(mpz_ptr, mpz_ptr, mpz_ptr)
    void mpz_addmul(mpz_ptr, mpz_ptr, mpz_ptr)
    void mpz_add(mpz_ptr, mpz_ptr, mpz_ptr)
    void mpz_addmul_ui(mpz_ptr, mpz_ptr, unsigned long)
    void mpz_submul_ui(mpz_ptr, mpz_ptr, unsigned long)
    void mpz_submul(mpz_ptr, mpz_ptr, mpz_ptr)
    void mpz_divexact(mpz_ptr, mpz_ptr, mpz_ptr)
    void mpz_abs(mpz_ptr, mpz_ptr)
    void mpz_gcd(mpz_ptr, mpz_ptr, mpz_ptr)
    int mpz_sgn(mpz_ptr)
    int mpz_cmp_ui(mpz_ptr, unsigned long)
    int mpz_cmp(mpz_ptr, mpz_ptr)

cdef extern from *:
    """
    #include <string.h>
    #include <gmp.h>
    /* Python int <-> mpz. On CPython 3.11 the int's base-2**30 digits are copied
       directly (mpz_import/mpz_export with nail bits); elsewhere (or built with
       -DEP_GMP_HEX) through a hex string, slower but only public API. Both are exact. */
    #if PY_VERSION_HEX >= 0x030B0000 && PY_VERSION_HEX < 0x030C0000 && !defined(EP_GMP_HEX)
    static int ep_mpz_set_pylong(__mpz_struct *z, PyObject *o) {
        PyLongObject *v;
        Py_ssize_t n;
        if (!PyLong_Check(o)) { PyErr_SetString(PyExc_TypeError, "expected an int"); return -1; }
        v = (PyLongObject *)o;
        n = Py_SIZE(v);
        mpz_import(z, (size_t)(n < 0 ? -n : n), -1, sizeof(digit), 0, sizeof(digit) * 8 - PyLong_SHIFT,
                   v->ob_digit);
        if (n < 0) mpz_neg(z, z);
        return 0;
    }
    static PyObject *ep_pylong_from_mpz(__mpz_struct *z) {
        size_t count = 0, nd;
        PyLongObject *v;
        if (mpz_sgn(z) == 0) return PyLong_FromLong(0);
        nd = (mpz_sizeinbase(z, 2) + PyLong_SHIFT - 1) / PyLong_SHIFT;
        v = _PyLong_New((Py_ssize_t)nd);
        if (v == NULL) return NULL;
        mpz_export(v->ob_digit, &count, -1, sizeof(digit), 0, sizeof(digit) * 8 - PyLong_SHIFT, z);
        Py_SET_SIZE(v, mpz_sgn(z) < 0 ? -(Py_ssize_t)count : (Py_ssize_t)count);
        return (PyObject *)v;
    }
    #define EP_GMP_DIGITS 1
    #else
    static int ep_mpz_set_pylong(__mpz_struct *z, PyObject *o) {
        PyObject *h;
        const char *s;
        int r;
        if (!PyLong_Check(o)) { PyErr_SetString(PyExc_TypeError, "expected an int"); return -1; }
        h = PyNumber_ToBase(o, 16);  /* "0x1f" or "-0x1f" */
        if (h == NULL) return -1;
        s = PyUnicode_AsUTF8(h);
        if (s == NULL) { Py_DECREF(h); return -1; }
        r = mpz_set_str(z, s[0] == '-' ? s + 3 : s + 2, 16);
        if (s[0] == '-') mpz_neg(z, z);
        Py_DECREF(h);
        if (r != 0) { PyErr_SetString(PyExc_ValueError, "int to mpz"); return -1; }
        return 0;
    }
    static PyObject *ep_pylong_from_mpz(__mpz_struct *z) {
        char *s = mpz_get_str(NULL, 16, z);
        PyObject *r;
        void (*freefunc)(void *, size_t);
        if (s == NULL) return PyErr_NoMemory();
        r = PyLong_FromString(s, NULL, 16);
        mp_get_memory_functions(NULL, NULL, &freefunc);
        freefunc(s, strlen(s) + 1);
        return r;
    }
    #define EP_GMP_DIGITS 0
    #endif
    """
    int ep_mpz_set_pylong(mpz_ptr z, object o) except -1
    object ep_pylong_from_mpz(mpz_ptr z)
    int EP_GMP_DIGITS

GMP_DIGITS = bool(EP_GMP_DIGITS)  # the fast conversion is compiled in (CPython 3.11)


def int_roundtrip(object x):
    """``x`` converted to GMP and back (tests the conversions; equal to ``x``)."""
    cdef __mpz_struct z
    mpz_init(&z)
    try:
        ep_mpz_set_pylong(&z, x)
        return ep_pylong_from_mpz(&z)
    finally:
        mpz_clear(&z)

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
    if nv == 0:
        return None
    if nv > 64 or nf > 64:
        return _split_parts_wide(pts, allvals, facets, t, key, nkey, lab)
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


cdef object _split_parts_wide(tuple pts, list allvals, list facets, Py_ssize_t t, tuple key, tuple nkey,
                              object lab):
    """:func:`split_parts` beyond 64 vertices or facets: vertex sets of ``wv = ceil(nv / 64)``
    words, facet sets of ``wf = ceil(nf / 64)``; the same steps and the same children (new
    vertices in the same order). O(|V+| |V-| wf + #edges · d · wv) word operations."""
    cdef Py_ssize_t nv = len(pts), nf = len(facets)
    cdef Py_ssize_t wv = (nv + 63) // 64, wf = (nf + 63) // 64
    cdef Py_ssize_t np_ = 0, nm = 0, nz = 0, i, j, k, a, b, u, w, x, y, base, nnew, dim1, need, pc, ns, s
    cdef u64* fverts = NULL
    cdef u64* vfac = NULL
    cdef u64* face = NULL
    cdef u64* common = NULL
    cdef u64* side_mask = NULL
    cdef Py_ssize_t* plus = NULL
    cdef Py_ssize_t* minus = NULL
    cdef Py_ssize_t* zero = NULL
    cdef Py_ssize_t* index = NULL
    cdef Py_ssize_t* side
    cdef u64 c, word
    cdef bint edge, hit
    cdef list vals = [None] * nv
    cdef tuple f, pu, pw, vu, vw
    cdef list raw, verts, keep_pts, keep_vals, out_facets, on_h
    cdef list new_on = [[] for _ in range(nf)]  # new vertices on each parent facet
    cdef object h, hu, hw, g, row
    cdef list new_pts = []
    cdef list new_vals = []
    cdef list children = []
    cdef tuple head = (0,) * (t + 1)  # values of the cuts already made are never read again
    cdef Py_ssize_t t1 = t + 1
    try:
        fverts = <u64*>PyMem_Malloc(nf * wv * sizeof(u64) + 8)
        vfac = <u64*>PyMem_Malloc(nv * wf * sizeof(u64) + 8)
        face = <u64*>PyMem_Malloc(wv * sizeof(u64))
        side_mask = <u64*>PyMem_Malloc(wv * sizeof(u64))
        common = <u64*>PyMem_Malloc(wf * sizeof(u64))
        plus = <Py_ssize_t*>PyMem_Malloc(nv * sizeof(Py_ssize_t))
        minus = <Py_ssize_t*>PyMem_Malloc(nv * sizeof(Py_ssize_t))
        zero = <Py_ssize_t*>PyMem_Malloc(nv * sizeof(Py_ssize_t))
        index = <Py_ssize_t*>PyMem_Malloc(nv * sizeof(Py_ssize_t))
        if (fverts == NULL or vfac == NULL or face == NULL or side_mask == NULL or common == NULL or plus == NULL
                or minus == NULL or zero == NULL or index == NULL):
            raise MemoryError()
        memset(fverts, 0, nf * wv * sizeof(u64))
        memset(vfac, 0, nv * wf * sizeof(u64))
        for j in range(nf):
            f = facets[j]
            for i in f[2]:
                fverts[j * wv + i // 64] |= (<u64>1) << (i % 64)
                vfac[i * wf + j // 64] |= (<u64>1) << (j % 64)
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
        need = dim1 - 2  # an edge lies on at least d-1 facets
        for a in range(np_):
            u = plus[a]
            pu = <tuple>pts[u]
            hu = vals[u]
            vu = None
            for b in range(nm):
                w = minus[b]
                pc = 0
                for y in range(wf):
                    common[y] = vfac[u * wf + y] & vfac[w * wf + y]
                    pc += __builtin_popcountll(common[y])
                if pc < need:
                    continue
                for x in range(wv):
                    face[x] = ~(<u64>0)
                if nv % 64:
                    face[wv - 1] = ((<u64>1) << (nv % 64)) - 1
                for y in range(wf):
                    c = common[y]
                    while c:
                        j = y * 64 + __builtin_ctzll(c)
                        c &= c - 1
                        for x in range(wv):
                            face[x] &= fverts[j * wv + x]
                face[u // 64] ^= (<u64>1) << (u % 64)  # u and w lie on every facet of common
                face[w // 64] ^= (<u64>1) << (w % 64)
                edge = True
                for x in range(wv):
                    if face[x]:
                        edge = False
                        break
                if not edge:
                    continue
                hw = vals[w]
                pw = <tuple>pts[w]
                raw = [hu * pw[x] - hw * pu[x] for x in range(dim1)]
                g = gcd(*raw)
                if vu is None:
                    vu = (<tuple>allvals[u])[t1:]
                vw = (<tuple>allvals[w])[t1:]
                k = len(new_pts)
                if g == 1:
                    new_pts.append(tuple(raw))
                    new_vals.append(head + tuple([hu * vw[x] - hw * vu[x] for x in range(len(vu))]))
                else:
                    new_pts.append(tuple([z // g for z in raw]))
                    new_vals.append(head + tuple([(hu * vw[x] - hw * vu[x]) // g for x in range(len(vu))]))
                for y in range(wf):
                    c = common[y]
                    while c:
                        (<list>new_on[y * 64 + __builtin_ctzll(c)]).append(k)
                        c &= c - 1

        nnew = len(new_pts)
        for s in range(2):
            if s == 0:
                side, ns, row = plus, np_, key
            else:
                side, ns, row = minus, nm, nkey
            for i in range(nv):
                index[i] = -1
            memset(side_mask, 0, wv * sizeof(u64))
            keep_pts = []
            keep_vals = []
            base = ns + nz  # the side's vertices, then those on the hyperplane, then the new ones
            for a in range(base):
                if a < ns:
                    i = side[a]
                    side_mask[i // 64] |= (<u64>1) << (i % 64)
                else:
                    i = zero[a - ns]
                index[i] = a
                keep_pts.append(pts[i])
                keep_vals.append(allvals[i])
            keep_pts.extend(new_pts)
            keep_vals.extend(new_vals)
            out_facets = []
            for j in range(nf):
                hit = False
                for x in range(wv):
                    if fverts[j * wv + x] & side_mask[x]:
                        hit = True
                        break
                if not hit:
                    continue
                f = facets[j]
                verts = []
                for x in range(wv):
                    word = fverts[j * wv + x]
                    while word:
                        i = x * 64 + __builtin_ctzll(word)
                        word &= word - 1
                        if index[i] >= 0:
                            verts.append(index[i])
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
    finally:
        PyMem_Free(fverts)
        PyMem_Free(vfac)
        PyMem_Free(face)
        PyMem_Free(side_mask)
        PyMem_Free(common)
        PyMem_Free(plus)
        PyMem_Free(minus)
        PyMem_Free(zero)
        PyMem_Free(index)


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
    taken from *cache* when there, else computed (GMP dot products; the rows are
    converted once per call, and only when some point is not cached) and stored (the
    caller keeps the cache valid: the same rows at every point, up to a global
    positive scale). O(rows · points · len) exact multiplications for the points not
    cached.
    """
    cdef Py_ssize_t n = len(rows), nv = len(pts), i, j, c, dim = 0
    cdef list values = []
    cdef list vals
    cdef tuple p, v
    cdef bytearray flags = bytearray(n)
    cdef __mpz_struct* Z = NULL  # the rows (n x dim), the point (dim), an accumulator
    cdef Py_ssize_t nz = 0
    try:
        for j in range(nv):
            p = <tuple>pts[j]
            v = cache.get(p)
            if v is None:
                if Z == NULL:
                    dim = len(p)
                    nz = n * dim + dim + 1
                    Z = _mpz_array(nz)
                    _load_rows(Z, rows, dim, "vertex_values")
                _load_rows(&Z[n * dim], (p,), dim, "vertex_values")
                vals = []
                for i in range(n):
                    mpz_mul(&Z[nz - 1], &Z[i * dim], &Z[n * dim])
                    for c in range(1, dim):
                        mpz_addmul(&Z[nz - 1], &Z[i * dim + c], &Z[n * dim + c])
                    vals.append(ep_pylong_from_mpz(&Z[nz - 1]))
                v = tuple(vals)
                cache[p] = v
            values.append(v)
    finally:
        _mpz_free(Z, nz)
    for i in range(n):
        flags[i] = _column_flags(values, i, False)
    return values, bytes(flags)


cdef int _term(mpz_ptr acc, object w, mpz_ptr row, Py_ssize_t k, mpz_ptr tmp, bint negate) except -1:
    """``acc[c] += w * row[c]`` (``-=`` when *negate*) for ``c < k``; *w* a Python int."""
    cdef int overflow = 0
    cdef long sw = PyLong_AsLongAndOverflow(w, &overflow)  # raises on a non-int
    cdef unsigned long mag
    cdef Py_ssize_t c
    if overflow == 0:
        mag = <unsigned long>sw if sw >= 0 else <unsigned long>(-(sw + 1)) + 1  # |sw|, LONG_MIN included
        if (sw >= 0) != negate:
            for c in range(k):
                mpz_addmul_ui(&acc[c], &row[c], mag)
        else:
            for c in range(k):
                mpz_submul_ui(&acc[c], &row[c], mag)
        return 0
    ep_mpz_set_pylong(tmp, w)
    for c in range(k):
        if negate:
            mpz_submul(&acc[c], tmp, &row[c])
        else:
            mpz_addmul(&acc[c], tmp, &row[c])
    return 0


def affine_rows(list base, list cols, tuple rows, list add, list sub):
    """Rows of a composed affine map, updated by outer products.

    Row ``j`` of the result is ``base[j] + sum(cols[i][j] * rows[i] for i in add)
    - sum(cols[i][j] * rows[i] for i in sub)``, a tuple of exact Python ints; the
    Python twin is ``_kernels_py.affine_rows``. GMP multiply-adds: a weight that fits
    a C long is one ``mpz_addmul_ui`` per coordinate (``docs/performance.md``).
    O(len(base) · (len(add) + len(sub)) · len(rows[0])) exact multiplications.
    """
    cdef Py_ssize_t n = len(base), na = len(add), ns = len(sub), j, c, k, t, i, nt
    cdef list out = []
    if n == 0:
        return out
    k = len(<tuple>base[0])
    nt = na + ns
    # Z: the rows of the outer products (nt x k), the accumulator (k), one scratch value
    cdef Py_ssize_t nz = nt * k + k + 1
    cdef __mpz_struct* Z = _mpz_array(nz)
    cdef mpz_ptr R = Z, acc = &Z[nt * k], tmp = &Z[nt * k + k]
    cdef list terms = add + sub
    cdef list tcols = [cols[<Py_ssize_t>i] for i in terms]
    cdef object w
    try:
        _load_rows(R, [rows[<Py_ssize_t>i] for i in terms], k, "affine_rows")
        for j in range(n):
            _load_rows(acc, (base[j],), k, "affine_rows")
            for t in range(nt):
                w = (<tuple>tcols[t])[j]
                if w:
                    _term(acc, w, &R[t * k], k, tmp, t >= na)
            out.append(tuple([ep_pylong_from_mpz(&acc[c]) for c in range(k)]))
        return out
    finally:
        _mpz_free(Z, nz)


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


cdef __mpz_struct* _mpz_array(Py_ssize_t n) except NULL:
    """*n* initialised GMP integers (zero); release them with :func:`_mpz_free`."""
    cdef Py_ssize_t i
    cdef __mpz_struct* Z = <__mpz_struct*>PyMem_Malloc((n if n > 0 else 1) * sizeof(__mpz_struct))
    if Z == NULL:
        raise MemoryError()
    for i in range(n):
        mpz_init(&Z[i])
    return Z


cdef void _mpz_free(__mpz_struct* Z, Py_ssize_t n):
    cdef Py_ssize_t i
    if Z != NULL:
        for i in range(n):
            mpz_clear(&Z[i])
        PyMem_Free(Z)


cdef int _load_rows(mpz_ptr Z, object rows, Py_ssize_t dim, str what) except -1:
    """Tuples of *dim* ints into ``Z`` row after row (ValueError naming *what* for a
    row of another length)."""
    cdef Py_ssize_t i = 0, c
    cdef tuple r
    for row in rows:
        r = <tuple>row
        if len(r) != dim:
            raise ValueError(f"{what}: rows of different lengths")
        for c in range(dim):
            ep_mpz_set_pylong(&Z[i * dim + c], r[c])
        i += 1
    return 0


cdef inline void _minors(mpz_ptr out, mpz_ptr x, mpz_ptr y):
    """The six 2x2 minors ``x[i] y[j] - x[j] y[i]`` of two 4-coordinate rows, for
    ``(i, j)`` = (0,1), (0,2), (0,3), (1,2), (1,3), (2,3), into ``out[0:6]``."""
    cdef int i, j, t = 0
    for i in range(3):
        for j in range(i + 1, 4):
            mpz_mul(&out[t], &x[i], &y[j])
            mpz_submul(&out[t], &x[j], &y[i])
            t += 1


def volume_numerator_3d(tuple hom, tuple simplices):
    """``(N, D)`` with ``volume == N / (6 D)`` for tetrahedra in homogeneous coordinates.

    ``D`` is the product of every point's ``q`` and ``N`` the sum over the simplices of
    ``|det[(q_i, q_i p_i)]| · D / prod q_i`` (exact ints): the summation of
    :attr:`exactpoly.complex.Region.volume`; the Python twin is ``_kernels_py.volume_numerator``.
    The arithmetic is GMP's (the numbers have hundreds to thousands of bits in deep nets). The 2x2 minors of each simplex's first
    two points are computed once per pair (in a pulling triangulation consecutive
    sorted simplices share their first two vertices). O(simplices) determinants of
    18 multiplications.
    """
    cdef Py_ssize_t n = len(hom), a, b, cc, e, pa = -1, pb = -1
    cdef Py_ssize_t nz = 4 * n + 17
    cdef __mpz_struct* Z = _mpz_array(nz)
    # Z[0:4n]: the points; then D, N, det, quotient, q4, minors m[6], k[6]
    cdef mpz_ptr P = Z, D = &Z[4 * n], N = &Z[4 * n + 1], det = &Z[4 * n + 2]
    cdef mpz_ptr u = &Z[4 * n + 3], q4 = &Z[4 * n + 4], m = &Z[4 * n + 5], k = &Z[4 * n + 11]
    cdef tuple s
    try:
        _load_rows(P, hom, 4, "volume_numerator_3d")
        mpz_set_ui(D, 1)
        for i in range(n):
            mpz_mul(D, D, &P[4 * i])
        mpz_set_ui(N, 0)
        for s in simplices:
            a = s[0]
            b = s[1]
            cc = s[2]
            e = s[3]
            if a != pa or b != pb:
                pa = a
                pb = b
                _minors(m, &P[4 * a], &P[4 * b])
            _minors(k, &P[4 * cc], &P[4 * e])
            # Laplace expansion along the first two rows
            mpz_mul(det, &m[0], &k[5])
            mpz_submul(det, &m[1], &k[4])
            mpz_addmul(det, &m[2], &k[3])
            mpz_addmul(det, &m[3], &k[2])
            mpz_submul(det, &m[4], &k[1])
            mpz_addmul(det, &m[5], &k[0])
            mpz_abs(det, det)
            mpz_mul(q4, &P[4 * a], &P[4 * b])
            mpz_mul(q4, q4, &P[4 * cc])
            mpz_mul(q4, q4, &P[4 * e])
            mpz_divexact(u, D, q4)
            mpz_addmul(N, det, u)
        return ep_pylong_from_mpz(N), ep_pylong_from_mpz(D)
    finally:
        _mpz_free(Z, nz)


def volume_numerator_nd(tuple hom, simplices, Py_ssize_t d):
    """``(N, D)`` with ``volume == N / (d! D)`` for d-simplices in homogeneous coordinates, any d.

    The general-dimension twin of :func:`volume_numerator_3d` (Python twin
    ``_kernels_py.volume_numerator``): ``D`` is the product of every point's ``q`` and ``N``
    the sum over the simplices of ``|det[(q_i, q_i p_i)]| · D / prod q_i``. Each
    determinant is Bareiss' fraction-free elimination done row by row with a column pivot
    per row, so consecutive simplices that share their first k vertices (sorted simplices
    of a pulling triangulation share the pulled vertices) reuse the k reduced rows; a
    degenerate simplex adds 0. GMP arithmetic; O(simplices · d^3) multiplications at most.
    """
    cdef Py_ssize_t n = len(hom), w = d + 1, k, j, c, t, start, valid = 0, p
    cdef Py_ssize_t nz = n * w + w * w + 6
    cdef Py_ssize_t prev_s[65]
    cdef Py_ssize_t piv[65]
    cdef Py_ssize_t si
    if w > 65:
        raise ValueError(f"volume_numerator_nd: d = {d} is over 64")
    cdef __mpz_struct* Z = _mpz_array(nz)
    cdef mpz_ptr P = Z, R = &Z[n * w], D = &Z[n * w + w * w], N = &Z[n * w + w * w + 1]
    cdef mpz_ptr qp = &Z[n * w + w * w + 2], u = &Z[n * w + w * w + 3], tmp = &Z[n * w + w * w + 4]
    cdef mpz_ptr rk
    cdef mpz_ptr rj
    cdef mpz_ptr divisor
    cdef tuple s
    cdef bint first = True
    try:
        _load_rows(P, hom, w, "volume_numerator_nd")
        mpz_set_ui(D, 1)
        for i in range(n):
            mpz_mul(D, D, &P[w * i])
        mpz_set_ui(N, 0)
        for obj in simplices:
            s = <tuple>obj
            if len(s) != w:
                raise ValueError(f"volume_numerator_nd: a simplex of {len(s)} points in dimension {d}")
            start = 0
            if not first:
                while start < w and start < valid and prev_s[start] == <Py_ssize_t>s[start]:
                    start += 1
            first = False
            valid = start
            for k in range(start, w):
                si = <Py_ssize_t>s[k]
                prev_s[k] = si
                rk = &R[k * w]
                for c in range(w):
                    mpz_set(&rk[c], &P[si * w + c])
                for j in range(k):
                    p = piv[j]
                    rj = &R[j * w]
                    for c in range(w):
                        if c == p:
                            continue
                        mpz_mul(tmp, &rk[c], &rj[p])
                        mpz_submul(tmp, &rk[p], &rj[c])
                        if j > 0:
                            mpz_divexact(&rk[c], tmp, &R[(j - 1) * w + piv[j - 1]])
                        else:
                            mpz_set(&rk[c], tmp)
                    mpz_set_ui(&rk[p], 0)
                piv[k] = -1
                for c in range(w):
                    if mpz_sgn(&rk[c]) != 0:
                        piv[k] = c
                        break
                if piv[k] < 0:
                    break  # a degenerate simplex: determinant 0
                valid = k + 1
            if valid < w:
                for k in range(valid, w):
                    prev_s[k] = <Py_ssize_t>s[k]
                continue
            mpz_abs(tmp, &R[d * w + piv[d]])
            mpz_set(qp, &P[w * prev_s[0]])
            for k in range(1, w):
                mpz_mul(qp, qp, &P[w * prev_s[k]])
            mpz_divexact(u, D, qp)
            mpz_addmul(N, tmp, u)
        return ep_pylong_from_mpz(N), ep_pylong_from_mpz(D)
    finally:
        _mpz_free(Z, nz)


def sum_fractions(list terms, bint stepwise=False):
    """``(num, den)``, coprime with ``den > 0``: the exact sum of ``n / d`` over the
    ``(n, d)`` pairs of *terms* (ints, every ``d > 0``).

    By default the pairs need not be reduced: they are summed over the product of the
    denominators and reduced by one GMP gcd at the end (few terms with unreduced,
    related denominators: a region's children's volumes). With *stepwise* the pairs
    must be in lowest terms and the sum is kept reduced after each one, as
    ``Fraction.__add__`` does (many terms: the product of all the denominators would
    grow without bound). The Python twin is ``_kernels_py.sum_fractions``.
    O(len(terms)) products and gcds.
    """
    cdef __mpz_struct z[8]
    cdef mpz_ptr num = &z[0], den = &z[1], x = &z[2], y = &z[3], g = &z[4], s = &z[5], t = &z[6], u = &z[7]
    cdef Py_ssize_t i
    cdef tuple term
    for i in range(8):
        mpz_init(&z[i])
    try:
        mpz_set_ui(num, 0)
        mpz_set_ui(den, 1)
        for term in terms:
            ep_mpz_set_pylong(x, term[0])
            ep_mpz_set_pylong(y, term[1])
            if mpz_sgn(y) <= 0:
                raise ValueError("sum_fractions: a denominator is not positive")
            if stepwise:
                mpz_gcd(g, den, y)
                if mpz_cmp_ui(g, 1) != 0:
                    # num/den + x/y = (num (y/g) + x (den/g)) / ((den/g) y), then the
                    # common factor of the new numerator and g (Fraction._add)
                    mpz_divexact(s, den, g)
                    mpz_divexact(u, y, g)
                    mpz_mul(t, num, u)
                    mpz_addmul(t, x, s)
                    mpz_gcd(u, t, g)
                    mpz_divexact(num, t, u)
                    mpz_divexact(y, y, u)
                    mpz_mul(den, s, y)
                    continue
            mpz_mul(num, num, y)
            mpz_addmul(num, x, den)
            mpz_mul(den, den, y)
        if not stepwise:
            mpz_gcd(g, num, den)
            mpz_divexact(num, num, g)
            mpz_divexact(den, den, g)
        return ep_pylong_from_mpz(num), ep_pylong_from_mpz(den)
    finally:
        for i in range(8):
            mpz_clear(&z[i])


def next_cut(list vals, Py_ssize_t t, Py_ssize_t stop):
    """``(u, signs)``: *u* the first column in ``t:stop`` of the per-point value tuples
    *vals* with values of both signs (*stop* if none), *signs* the side of every column
    before it (1 if some value is positive, else -1). The cell scan of
    ``split.cut_cells``. O(points · (u - t)) comparisons.
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


cdef bint _lex_less(mpz_ptr a, mpz_ptr b, Py_ssize_t dim, mpz_ptr x, mpz_ptr y):
    """Is ``a[1:] / a[0] < b[1:] / b[0]`` lexicographically (``a[0], b[0] > 0``)? Exact
    (cross-multiplication into the scratch values x, y)."""
    cdef Py_ssize_t c
    cdef int cmp
    for c in range(1, dim):
        mpz_mul(x, &a[c], &b[0])
        mpz_mul(y, &b[c], &a[0])
        cmp = mpz_cmp(x, y)
        if cmp != 0:
            return cmp < 0
    return False


def region_order(tuple pts, list facets):
    """``(order, facet_vertices)``: the point indices in lexicographic order of their
    coordinates, and per facet ``(row, labels, point indices, ray indices)`` the sorted
    new indices of its points. The ordering of ``workers.region_of``.

    A stable binary insertion sort comparing ``p/q`` exactly by cross-multiplication
    (``p_c q' < p'_c q``, GMP products): O(n log n) comparisons of two products each,
    instead of scaling every coordinate to the common denominator of all the points.
    """
    cdef Py_ssize_t n = len(pts), i, lo, hi, mid, dim = len(<tuple>pts[0]) if n else 0
    cdef list order = []
    cdef Py_ssize_t nz = n * dim + 2
    cdef __mpz_struct* Z = _mpz_array(nz)
    cdef mpz_ptr x = &Z[n * dim], y = &Z[n * dim + 1]
    try:
        _load_rows(Z, pts, dim, "region_order")
        for i in range(n):
            lo = 0
            hi = len(order)
            while lo < hi:
                mid = (lo + hi) >> 1
                if _lex_less(&Z[i * dim], &Z[<Py_ssize_t>order[mid] * dim], dim, x, y):
                    hi = mid
                else:
                    lo = mid + 1
            order.insert(lo, i)
    finally:
        _mpz_free(Z, nz)
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


# The lexicographic pulling recursion in any dimension (triangulation.sorted_pulling_simplices),
# on 64-bit vertex masks: the faces it visits are nodes (a face that is a simplex is a leaf),
# each with its count of simplices and the facets it is coned over (its children).
cdef struct _Lattice:
    u64* mask
    int* kdim
    unsigned long long* count
    Py_ssize_t* cstart
    Py_ssize_t* cend
    Py_ssize_t n_nodes
    Py_ssize_t cap
    Py_ssize_t* child
    Py_ssize_t n_child
    Py_ssize_t ccap
    Py_ssize_t n_inner
    Py_ssize_t max_inner
    Py_ssize_t words  # u64 words per face mask: 0 or 1 for the 64-bit walk, ceil(n / 64) for the wide one
    u64* scratch  # the wide walk's candidate masks: per face dimension k, m masks of ``words`` words
    bint over_budget
    bint overflow


cdef int _lat_grow(_Lattice* L) except -1:
    cdef Py_ssize_t cap = L.cap * 2 if L.cap else 64
    cdef void* p
    p = PyMem_Realloc(L.mask, cap * (L.words if L.words > 1 else 1) * sizeof(u64))
    if p == NULL:
        raise MemoryError()
    L.mask = <u64*>p
    p = PyMem_Realloc(L.kdim, cap * sizeof(int))
    if p == NULL:
        raise MemoryError()
    L.kdim = <int*>p
    p = PyMem_Realloc(L.count, cap * sizeof(unsigned long long))
    if p == NULL:
        raise MemoryError()
    L.count = <unsigned long long*>p
    p = PyMem_Realloc(L.cstart, cap * sizeof(Py_ssize_t))
    if p == NULL:
        raise MemoryError()
    L.cstart = <Py_ssize_t*>p
    p = PyMem_Realloc(L.cend, cap * sizeof(Py_ssize_t))
    if p == NULL:
        raise MemoryError()
    L.cend = <Py_ssize_t*>p
    L.cap = cap
    return 0


cdef int _lat_push_child(_Lattice* L, Py_ssize_t c) except -1:
    cdef void* p
    if L.n_child == L.ccap:
        L.ccap = L.ccap * 2 if L.ccap else 256
        p = PyMem_Realloc(L.child, L.ccap * sizeof(Py_ssize_t))
        if p == NULL:
            raise MemoryError()
        L.child = <Py_ssize_t*>p
    L.child[L.n_child] = c
    L.n_child += 1
    return 0


cdef void _lat_free(_Lattice* L):
    PyMem_Free(L.mask)
    PyMem_Free(L.scratch)
    PyMem_Free(L.kdim)
    PyMem_Free(L.count)
    PyMem_Free(L.cstart)
    PyMem_Free(L.cend)
    PyMem_Free(L.child)


cdef inline Py_ssize_t _lat_open(_Lattice* L, dict memo, object key, int k) except -1:
    """A new node for a k-face, memoised under *key*; the caller writes its mask."""
    cdef Py_ssize_t me
    if L.n_nodes == L.cap:
        _lat_grow(L)
    me = L.n_nodes
    L.n_nodes += 1
    L.kdim[me] = k
    L.cstart[me] = 0
    L.cend[me] = 0
    memo[key] = me
    return me


cdef inline bint _lat_is_leaf(_Lattice* L, Py_ssize_t me, Py_ssize_t n_vertices, int k):
    """Settle node *me* if its face (of *n_vertices* vertices) is a k-simplex (count 1) or
    one face too many for the budget (``L.over_budget``); True when the node is settled."""
    if n_vertices == k + 1:
        L.count[me] = 1
        return True
    L.n_inner += 1
    if L.n_inner > L.max_inner:
        L.over_budget = True
        return True
    return False


cdef inline int _lat_add_kid(_Lattice* L, list kids, Py_ssize_t kid, unsigned long long* total) except -1:
    """Append a child node and add its count to *total* (``L.overflow`` past 64 bits)."""
    cdef unsigned long long cnt = L.count[kid]
    kids.append(kid)
    if total[0] + cnt < total[0]:
        L.overflow = True
    total[0] += cnt
    return 0


cdef inline Py_ssize_t _lat_close(_Lattice* L, Py_ssize_t me, list kids, unsigned long long total) except -2:
    """Store node *me*'s count and children; returns *me*."""
    L.count[me] = total
    L.cstart[me] = L.n_child
    for kid in kids:
        _lat_push_child(L, kid)
    L.cend[me] = L.n_child
    return me


cdef Py_ssize_t _lat_node(_Lattice* L, dict memo, u64* fm, Py_ssize_t m, u64 face, int k) except -2:
    """The node of *face* (a k-face), visiting it and its pulling children on first sight;
    -1 when the face budget is exceeded (``L.over_budget``)."""
    cdef object key = face
    cdef object got = memo.get(key)
    cdef Py_ssize_t i, j, a, nc = 0, me, kid
    cdef u64 c, low
    cdef u64 cand[64]
    cdef list kids
    cdef unsigned long long total = 0
    if got is not None:
        return <Py_ssize_t>got
    me = _lat_open(L, memo, key, k)
    L.mask[me] = face
    if _lat_is_leaf(L, me, __builtin_popcountll(face), k):
        return -1 if L.over_budget else me
    low = face & (~face + 1)
    for a in range(m):
        c = face & fm[a]
        if c == face or c == 0:
            continue
        for j in range(nc):
            if cand[j] == c:
                break
        else:
            cand[nc] = c
            nc += 1
    kids = []
    for i in range(nc):
        c = cand[i]
        if c & low:
            continue
        for j in range(nc):
            if cand[j] != c and (c & cand[j]) == c:
                break  # not maximal: not a facet of this face
        else:
            kid = _lat_node(L, memo, fm, m, c, k - 1)
            if kid < 0:
                return -1
            _lat_add_kid(L, kids, kid, &total)
    return _lat_close(L, me, kids, total)


cdef void _lat_list(_Lattice* L, Py_ssize_t node, u64 prefix, list out):
    cdef Py_ssize_t t
    cdef u64 face = L.mask[node]
    if __builtin_popcountll(face) == L.kdim[node] + 1:  # a simplex
        out.append(prefix | face)
        return
    prefix |= face & (~face + 1)
    for t in range(L.cstart[node], L.cend[node]):
        _lat_list(L, L.child[t], prefix, out)


cdef int _bareiss_row(mpz_ptr R, Py_ssize_t* piv, Py_ssize_t k, Py_ssize_t w, mpz_ptr src, mpz_ptr tmp):
    """Load *src* as row k of ``R`` and reduce it against the rows 0..k-1 (Bareiss, column
    pivots ``piv``); set ``piv[k]``. Returns 0 when the row reduces to zero (degenerate)."""
    cdef Py_ssize_t j, c, p
    cdef mpz_ptr rk = &R[k * w]
    cdef mpz_ptr rj
    for c in range(w):
        mpz_set(&rk[c], &src[c])
    for j in range(k):
        p = piv[j]
        rj = &R[j * w]
        for c in range(w):
            if c == p:
                continue
            mpz_mul(tmp, &rk[c], &rj[p])
            mpz_submul(tmp, &rk[p], &rj[c])
            if j > 0:
                mpz_divexact(&rk[c], tmp, &R[(j - 1) * w + piv[j - 1]])
            else:
                mpz_set(&rk[c], tmp)
        mpz_set_ui(&rk[p], 0)
    for c in range(w):
        if mpz_sgn(&rk[c]) != 0:
            piv[k] = c
            return 1
    return 0


cdef void _lat_volume(_Lattice* L, Py_ssize_t node, Py_ssize_t depth, Py_ssize_t w, mpz_ptr P, mpz_ptr R,
                      Py_ssize_t* piv, mpz_ptr A, mpz_ptr tmp, mpz_ptr u):
    """Set ``A[depth]`` to the sum, over the simplices s under *node* (face F), of
    ``|det s| · q(F) / q(s ∩ F)`` (q(X): the product of the vertices' q over X); rows
    0..depth-1 of ``R`` hold the pulled vertices above it, reduced. A parent with face F' and
    pulled vertex v adds a child's ``A`` times ``q(F' - F - {v})``, so at the root ``A[0]`` is
    ``sum |det s| · q(all) / q(s)``: the numerator over ``D = q(all)`` with one small product
    per edge of the walk instead of a division of D per simplex."""
    cdef u64 face = L.mask[node], low, rest
    cdef Py_ssize_t t, v, k = depth, kid
    if __builtin_popcountll(face) == L.kdim[node] + 1:  # a simplex: its vertices are the remaining rows
        while face:
            v = __builtin_ctzll(face)
            face &= face - 1
            if not _bareiss_row(R, piv, k, w, &P[v * w], tmp):
                mpz_set_ui(&A[depth], 0)
                return  # degenerate: adds 0
            k += 1
        mpz_abs(&A[depth], &R[(w - 1) * w + piv[w - 1]])
        return
    mpz_set_ui(&A[depth], 0)
    low = face & (~face + 1)
    v = __builtin_ctzll(low)
    if not _bareiss_row(R, piv, depth, w, &P[v * w], tmp):
        return
    for t in range(L.cstart[node], L.cend[node]):
        kid = L.child[t]
        _lat_volume(L, kid, depth + 1, w, P, R, piv, A, tmp, u)
        if mpz_sgn(&A[depth + 1]) == 0:
            continue
        rest = face & ~L.mask[kid] & ~low
        if rest == 0:
            mpz_add(&A[depth], &A[depth], &A[depth + 1])
            continue
        v = __builtin_ctzll(rest)
        rest &= rest - 1
        mpz_set(u, &P[v * w])
        while rest:
            v = __builtin_ctzll(rest)
            rest &= rest - 1
            mpz_mul(u, u, &P[v * w])
        mpz_addmul(&A[depth], &A[depth + 1], u)


cdef tuple _walk_volume_terms(_Lattice* L, Py_ssize_t root, object hom, Py_ssize_t n, Py_ssize_t w,
                              Py_ssize_t* piv, bint wide):
    """The ``(N, D)`` of :func:`pulling_count_volume` from a finished walk: the vertices' rows
    loaded as GMP integers, ``D`` the product of their q, ``N`` summed by
    :func:`_lat_volume` (one-word masks) or :func:`_wlat_volume` (multi-word)."""
    cdef Py_ssize_t a, nz = n * w + w * w + w + 4
    cdef __mpz_struct* Z = _mpz_array(nz)
    try:
        _load_rows(Z, hom, w, "pulling_count_volume")
        mpz_set_ui(&Z[nz - 4], 1)
        for a in range(n):
            mpz_mul(&Z[nz - 4], &Z[nz - 4], &Z[a * w])
        if wide:
            _wlat_volume(L, root, 0, w, Z, &Z[n * w], piv, &Z[n * w + w * w], &Z[nz - 2], &Z[nz - 1])
        else:
            _lat_volume(L, root, 0, w, Z, &Z[n * w], piv, &Z[n * w + w * w], &Z[nz - 2], &Z[nz - 1])
        return (ep_pylong_from_mpz(&Z[n * w + w * w]), ep_pylong_from_mpz(&Z[nz - 4]))
    finally:
        _mpz_free(Z, nz)


def pulling_count_volume(Py_ssize_t n, list facets, Py_ssize_t d, Py_ssize_t max_faces, Py_ssize_t max_simplices,
                         object hom, bint listing=False):
    """The canonical triangulation of a d-polytope counted, and its volume summed, in one walk.

    Vertices ``0 .. n-1`` in lexicographic order, *facets* their facet-vertex index tuples
    (``triangulation.sorted_pulling_simplices``). Returns None when d is over 64 or a count
    overflows 64 bits: the caller uses the Python twin ``_kernels_py.pulling_count_volume``.
    Over 64 vertices or facets the walk runs on multi-word masks (``_pulling_count_volume_wide``,
    the same result). Else ``(count, terms, simplices)``: count -1 when
    the walk would visit more than *max_faces* faces that are not simplices; *terms* the
    ``(N, D)`` of :func:`volume_numerator_nd` when *hom* is given and ``count <= max_simplices``,
    else None; *simplices* the sorted simplex tuples when *listing* (same condition), else
    None. The volume reuses each pulled vertex's reduced row for every simplex under it
    (no simplex is listed). O(#faces · m^2) word operations plus O(#faces · d^2) GMP ones.
    """
    cdef Py_ssize_t m = len(facets), a, root, w = d + 1
    cdef u64 fm[64]
    cdef u64 one = 1, F
    cdef _Lattice L
    cdef dict memo = {}
    cdef list masks
    cdef list out
    cdef list simplex
    cdef u64 s
    cdef Py_ssize_t piv[65]
    if d > 64 or n < 1:
        return None
    if n > 64 or m > 64:
        return _pulling_count_volume_wide(n, facets, d, max_faces, max_simplices, hom, listing)
    for a in range(m):
        F = 0
        for i in facets[a]:
            F |= one << <Py_ssize_t>i
        fm[a] = F
    memset(&L, 0, sizeof(_Lattice))
    L.max_inner = max_faces
    try:
        root = _lat_node(&L, memo, fm, m, (one << n) - 1 if n < 64 else ~(<u64>0), <int>d)
        if L.over_budget:
            return -1, None, None
        if L.overflow:
            return None
        count = L.count[root]
        if count > <unsigned long long>max_simplices:
            return count, None, None
        terms = None if hom is None else _walk_volume_terms(&L, root, hom, n, w, piv, False)
        simplices = None
        if listing:
            masks = []
            _lat_list(&L, root, 0, masks)
            out = []
            for sm in masks:
                s = sm
                simplex = []
                while s:
                    simplex.append(__builtin_ctzll(s))
                    s &= s - 1
                out.append(tuple(simplex))
            out.sort()
            simplices = out
        return count, terms, simplices
    finally:
        _lat_free(&L)


# The same walk beyond 64 vertices or facets: a face is ``words = ceil(n / 64)`` u64 words
# (vertex i is bit i % 64 of word i // 64), memoised under the bytes of its words. A node at
# face dimension k writes its candidate facets to ``L.scratch`` row k (the recursion only
# goes down in k, so the rows of the faces on the stack are never shared).
cdef Py_ssize_t _wlat_node(_Lattice* L, dict memo, u64* fm, Py_ssize_t m, u64* face, int k) except -2:
    """:func:`_lat_node` on multi-word masks; -1 when the face budget is exceeded."""
    cdef Py_ssize_t W = L.words
    cdef object key = PyBytes_FromStringAndSize(<char*>face, W * 8)
    cdef object got = memo.get(key)
    cdef Py_ssize_t i, j, x, a, lw, nc = 0, me, kid, pc = 0
    cdef u64 lowbit
    cdef u64* cand
    cdef u64* c
    cdef u64* o
    cdef bint nonzero, same, sub
    cdef list kids
    cdef unsigned long long total = 0
    if got is not None:
        return <Py_ssize_t>got
    me = _lat_open(L, memo, key, k)
    memcpy(&L.mask[me * W], face, W * sizeof(u64))
    for x in range(W):
        pc += __builtin_popcountll(face[x])
    if _lat_is_leaf(L, me, pc, k):
        return -1 if L.over_budget else me
    lw = 0
    while face[lw] == 0:
        lw += 1
    lowbit = face[lw] & (~face[lw] + 1)
    cand = &L.scratch[k * m * W]
    for a in range(m):
        c = &cand[nc * W]
        nonzero = False
        same = True
        for x in range(W):
            c[x] = face[x] & fm[a * W + x]
            if c[x]:
                nonzero = True
            if c[x] != face[x]:
                same = False
        if same or not nonzero:
            continue
        for j in range(nc):
            if memcmp(&cand[j * W], c, W * sizeof(u64)) == 0:
                break
        else:
            nc += 1
    kids = []
    for i in range(nc):
        c = &cand[i * W]
        if c[lw] & lowbit:
            continue
        for j in range(nc):
            if j == i:
                continue
            o = &cand[j * W]
            sub = True
            for x in range(W):
                if (c[x] & o[x]) != c[x]:
                    sub = False
                    break
            if sub:
                break  # not maximal (the candidates are distinct): not a facet of this face
        else:
            kid = _wlat_node(L, memo, fm, m, c, k - 1)
            if kid < 0:
                return -1
            _lat_add_kid(L, kids, kid, &total)
    return _lat_close(L, me, kids, total)


cdef Py_ssize_t _wlat_low(_Lattice* L, Py_ssize_t node, bint* simplex):
    """The lowest vertex of *node*'s face; ``simplex[0]`` whether the face is a simplex."""
    cdef Py_ssize_t W = L.words, x, pc = 0, low = -1
    cdef u64* face = &L.mask[node * W]
    for x in range(W):
        if face[x]:
            pc += __builtin_popcountll(face[x])
            if low < 0:
                low = x * 64 + __builtin_ctzll(face[x])
    simplex[0] = pc == L.kdim[node] + 1
    return low


cdef void _wlat_list(_Lattice* L, Py_ssize_t node, list prefix, list out):
    """Append the simplices under *node* to *out*, as sorted index tuples (*prefix* holds the
    vertices pulled above it, increasing, all below the node's vertices)."""
    cdef Py_ssize_t t, x, W = L.words
    cdef u64 word
    cdef bint simplex
    cdef Py_ssize_t low = _wlat_low(L, node, &simplex)
    cdef list s
    if simplex:
        s = list(prefix)
        for x in range(W):
            word = L.mask[node * W + x]
            while word:
                s.append(x * 64 + __builtin_ctzll(word))
                word &= word - 1
        out.append(tuple(s))
        return
    prefix.append(low)
    for t in range(L.cstart[node], L.cend[node]):
        _wlat_list(L, L.child[t], prefix, out)
    prefix.pop()


cdef void _wlat_volume(_Lattice* L, Py_ssize_t node, Py_ssize_t depth, Py_ssize_t w, mpz_ptr P, mpz_ptr R,
                       Py_ssize_t* piv, mpz_ptr A, mpz_ptr tmp, mpz_ptr u):
    """:func:`_lat_volume` on multi-word masks."""
    cdef Py_ssize_t t, v, x, k = depth, W = L.words, kid
    cdef u64 word
    cdef u64* face = &L.mask[node * W]
    cdef u64* sub
    cdef bint simplex, first
    cdef Py_ssize_t low = _wlat_low(L, node, &simplex)
    if simplex:  # its vertices are the remaining rows
        for x in range(W):
            word = face[x]
            while word:
                v = x * 64 + __builtin_ctzll(word)
                word &= word - 1
                if not _bareiss_row(R, piv, k, w, &P[v * w], tmp):
                    mpz_set_ui(&A[depth], 0)
                    return  # degenerate: adds 0
                k += 1
        mpz_abs(&A[depth], &R[(w - 1) * w + piv[w - 1]])
        return
    mpz_set_ui(&A[depth], 0)
    if not _bareiss_row(R, piv, depth, w, &P[low * w], tmp):
        return
    for t in range(L.cstart[node], L.cend[node]):
        kid = L.child[t]
        _wlat_volume(L, kid, depth + 1, w, P, R, piv, A, tmp, u)
        if mpz_sgn(&A[depth + 1]) == 0:
            continue
        sub = &L.mask[kid * W]
        first = True
        for x in range(W):
            word = face[x] & ~sub[x]
            if x == low // 64:
                word &= ~((<u64>1) << (low % 64))
            while word:
                v = x * 64 + __builtin_ctzll(word)
                word &= word - 1
                if first:
                    mpz_set(u, &P[v * w])
                    first = False
                else:
                    mpz_mul(u, u, &P[v * w])
        if first:
            mpz_add(&A[depth], &A[depth], &A[depth + 1])
        else:
            mpz_addmul(&A[depth], &A[depth + 1], u)


cdef object _pulling_count_volume_wide(Py_ssize_t n, list facets, Py_ssize_t d, Py_ssize_t max_faces,
                                       Py_ssize_t max_simplices, object hom, bint listing):
    """:func:`pulling_count_volume` for any number of vertices and facets (d <= 64), on
    multi-word masks. O(#faces · m^2 · n / 64) word operations plus O(#faces · d^2) GMP ones."""
    cdef Py_ssize_t m = len(facets), a, x, root, w = d + 1, W = (n + 63) // 64
    cdef u64* fm = NULL
    cdef u64* full = NULL
    cdef _Lattice L
    cdef dict memo = {}
    cdef list out
    cdef Py_ssize_t piv[65]
    cdef Py_ssize_t i
    memset(&L, 0, sizeof(_Lattice))
    L.words = W
    L.max_inner = max_faces
    try:
        fm = <u64*>PyMem_Malloc((m if m > 0 else 1) * W * sizeof(u64))
        full = <u64*>PyMem_Malloc(W * sizeof(u64))
        L.scratch = <u64*>PyMem_Malloc((d + 1) * (m if m > 0 else 1) * W * sizeof(u64))
        if fm == NULL or full == NULL or L.scratch == NULL:
            raise MemoryError()
        memset(fm, 0, (m if m > 0 else 1) * W * sizeof(u64))
        for a in range(m):
            for i in facets[a]:
                if i < 0 or i >= n:
                    raise IndexError(f"pulling_count_volume: facet vertex {i} is not in 0..{n - 1}")
                fm[a * W + i // 64] |= (<u64>1) << (i % 64)
        for x in range(W):
            full[x] = ~(<u64>0)
        if n % 64:
            full[W - 1] = ((<u64>1) << (n % 64)) - 1
        root = _wlat_node(&L, memo, fm, m, full, <int>d)
        if L.over_budget:
            return -1, None, None
        if L.overflow:
            return None
        count = L.count[root]
        if count > <unsigned long long>max_simplices:
            return count, None, None
        terms = None if hom is None else _walk_volume_terms(&L, root, hom, n, w, piv, True)
        simplices = None
        if listing:
            out = []
            _wlat_list(&L, root, [], out)
            out.sort()
            simplices = out
        return count, terms, simplices
    finally:
        _lat_free(&L)
        PyMem_Free(fm)
        PyMem_Free(full)
