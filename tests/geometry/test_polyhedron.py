"""Exact polyhedra (cdd.gmp), the pulling triangulation and atomic writes."""

from __future__ import annotations

import itertools
import os
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactpoly.errors import DomainError, GeometryError
from exactpoly.geometry.polyhedron import (
    canonical_row,
    hull_facets,
    hyperplane_key,
    is_strictly_feasible,
    polyhedron_from_box,
    polyhedron_from_rows,
)
from exactpoly.geometry.triangulation import faces_facets, pulling_triangulation, simplex_volume
from exactpoly.io import atomic as _io


def test_canonical_rows_and_keys():
    assert canonical_row([Fraction(1, 2), Fraction(-3, 2), 0]) == (1, -3, 0)
    assert canonical_row([0, 0.5, "1/4"]) == (0, 2, 1)
    assert hyperplane_key((3, -1, 2)) == ((-3, 1, -2), -1)
    with pytest.raises(DomainError):
        hyperplane_key((1, 0, 0))


def test_cube_facets_vertices_incidence():
    P = polyhedron_from_box(Fraction(1, 2), 3)
    assert P.dimension == 3 and P.is_bounded and P.n_facets == 6
    assert len(P.vertices) == 8 and P.vertices[0] == (Fraction(-1, 2),) * 3
    assert all(len(f.vertices) == 4 for f in P.facets)
    assert P.volume == 1
    # each vertex lies on exactly three facets
    counts = [sum(i in f.vertices for f in P.facets) for i in range(8)]
    assert counts == [3] * 8


def test_coincident_rows_merge_into_one_facet():
    # x >= 0 given three times (scaled), y >= 0, x + y <= 1
    P = polyhedron_from_rows([(0, 1, 0), (0, 2, 0), (0, Fraction(1, 3), 0), (0, 0, 1), (1, -1, -1)],
                             labels=["a", "b", "c", "d", "e"])
    assert [(f.row, sorted(f.labels)) for f in P.facets] == [
        ((0, 0, 1), ["d"]), ((0, 1, 0), ["a", "b", "c"]), ((1, -1, -1), ["e"])]
    assert P.volume == Fraction(1, 2)


def test_redundant_row_through_a_vertex_is_not_a_facet():
    # the unit square with the extra row x + y >= 0 touching only the vertex (0, 0)
    P = polyhedron_from_rows([(0, 1, 0), (0, 0, 1), (1, -1, 0), (1, 0, -1), (0, 1, 1)])
    assert sorted(f.row for f in P.facets) == [(0, 0, 1), (0, 1, 0), (1, -1, 0), (1, 0, -1)]


def test_unbounded_cone_and_strip():
    cone = polyhedron_from_rows([(0, 1, 0), (0, 0, 1)])
    assert cone.vertices == ((0, 0),) and cone.rays == ((0, 1), (1, 0)) and not cone.is_bounded
    assert cone.interior_point == (1, 1)
    assert [f.rays for f in cone.facets] == [frozenset({1}), frozenset({0})]
    with pytest.raises(DomainError):
        cone.volume
    strip = polyhedron_from_rows([(1, 1, 0), (1, -1, 0)])
    assert strip.vertices == () and strip.lines == ((0, 1),) and strip.n_facets == 2
    assert strip.dimension == 2


def test_empty_and_lower_dimensional():
    empty = polyhedron_from_rows([(0, 1), (-1, -1)])  # x >= 0 and x <= -1
    assert empty.is_empty and empty.dimension == -1
    seg = polyhedron_from_rows([(0, 1, 0), (0, -1, 0), (1, 0, 1), (1, 0, -1)])  # x = 0, |y| <= 1
    assert seg.dimension == 1 and seg.volume == 0
    with pytest.raises(GeometryError):
        seg.facets


def test_bad_arguments_are_named():
    with pytest.raises(DomainError, match="B"):
        polyhedron_from_box(0, 2)
    with pytest.raises(DomainError, match="rows\\[1\\]"):
        polyhedron_from_rows([(0, 1, 0), (0, 1)])
    with pytest.raises(DomainError, match="dim"):
        polyhedron_from_rows([])


def test_strict_feasibility():
    assert is_strictly_feasible([(0, 1, 0), (1, -1, 0)])
    assert not is_strictly_feasible([(0, 1, 0), (0, -1, 0)])
    # touching closed triangles: common edge x = 0 is a (d-1)-dimensional overlap
    assert is_strictly_feasible([(1, 0, 1), (1, 0, -1)], equalities=[(0, 1, 0)])
    # only a point in common
    assert not is_strictly_feasible([(0, 0, 1), (0, 0, -1)], equalities=[(0, 1, 0)])


def test_pulling_triangulation_of_the_cube():
    P = polyhedron_from_box(1, 3)
    simp = pulling_triangulation(P.vertices, [f.vertices for f in P.facets], 3)
    # pulling (-1,-1,-1): the three far squares, 2 triangles each
    assert len(simp) == 6 and all(0 in s for s in simp)
    assert sum(simplex_volume([P.vertices[i] for i in s]) for s in simp) == 8


def test_faces_facets_of_a_square_face():
    P = polyhedron_from_box(1, 3)
    f0 = P.facets[0].vertices
    edges = faces_facets(f0, [f.vertices for f in P.facets])
    assert len(edges) == 4 and all(len(e) == 2 for e in edges)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(-3, 3), st.integers(-3, 3), st.integers(-3, 3)),
                min_size=4, max_size=9, unique=True))
def test_triangulation_volume_equals_sum_and_is_invariant(points):
    # the convex hull of integer points: the pulling triangulation's volume is the hull's
    # volume, computed independently as the volume of a Delaunay-free fan from every vertex.
    from exactpoly.geometry.linalg import affine_dimension
    if affine_dimension(points) < 3:
        return
    import cdd
    import cdd.gmp
    mat = cdd.gmp.matrix_from_array([[1, *p] for p in points], rep_type=cdd.RepType.GENERATOR)
    rows = cdd.gmp.copy_inequalities(cdd.gmp.polyhedron_from_matrix(mat)).array
    P = polyhedron_from_rows(rows)
    vol = P.volume
    # twin: pulling from the lexicographically LARGEST vertex instead (reflect coordinates)
    Q = polyhedron_from_rows([(r[0], *(-x for x in r[1:])) for r in rows])
    assert Q.volume == vol > 0
    # and the simplices tile: each simplex has positive volume
    simp = pulling_triangulation(P.vertices, [f.vertices for f in P.facets], 3)
    assert all(simplex_volume([P.vertices[i] for i in s]) > 0 for s in simp)
    assert len({tuple(s) for s in simp}) == len(simp)
    assert all(len(s) == 4 for s in simp)
    for s in itertools.islice(simp, 3):
        assert all(0 <= i < len(P.vertices) for i in s)


def test_atomic_write_leaves_nothing_on_interrupt(tmp_path, monkeypatch):
    target = tmp_path / "out.json"

    def boom(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(KeyboardInterrupt):
        _io.atomic_write_text(target, "{}")
    assert os.listdir(tmp_path) == []


def _in_circumsphere(simplex_pts, q):
    """Exact sign test: > 0 iff q is strictly inside the circumsphere of the simplex."""
    from exactpoly.geometry.linalg import determinant
    rows = [[*(Fraction(x) for x in p), sum(Fraction(x) ** 2 for x in p), 1] for p in simplex_pts]
    rows.append([*(Fraction(x) for x in q), sum(Fraction(x) ** 2 for x in q), 1])
    orient = determinant([[*(Fraction(x) for x in p), 1] for p in simplex_pts])
    # det of the lifted matrix times the simplex orientation: positive inside (checked on
    # the unit triangle and tetrahedron with an inner and an outer point)
    return determinant(rows) * orient > 0


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.integers(-4, 4), st.integers(-4, 4)), min_size=3, max_size=9, unique=True),
       st.booleans())
def test_delaunay_is_empty_circle_triangulation(points, three_d):
    from exactpoly.geometry.linalg import affine_dimension
    from exactpoly.geometry.triangulation import delaunay_triangulation
    pts = [(*p, (p[0] * p[1]) % 3) for p in points] if three_d else points
    d = len(pts[0])
    if affine_dimension(pts) < d:
        return
    P = polyhedron_from_rows([r for r, _ in hull_facets(pts)])
    verts = P.vertices  # the hull's vertices (non-extreme input points dropped)
    simp = delaunay_triangulation(verts, d)
    vols = [simplex_volume([verts[i] for i in s]) for s in simp]
    assert all(v > 0 for v in vols) and sum(vols) == P.volume
    for s in simp:
        spts = [verts[i] for i in s]
        assert not any(_in_circumsphere(spts, verts[j]) for j in range(len(verts)) if j not in s)


def test_delaunay_of_a_cube_is_pulling():
    # all 8 vertices are cospherical: one cell, refined by lexicographic pulling
    from exactpoly.geometry.triangulation import delaunay_triangulation
    P = polyhedron_from_box(1, 3)
    assert delaunay_triangulation(P.vertices, 3) == \
        pulling_triangulation(P.vertices, [f.vertices for f in P.facets], 3)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 6).flatmap(
    lambda n: st.lists(st.lists(st.integers(-2**70, 2**70) | st.integers(-3, 3), min_size=n, max_size=n),
                       min_size=n, max_size=n)))
def test_small_integer_determinant_equals_flint(m):
    """The unrolled 2x2/3x3/4x4 formulas and Bareiss agree with FLINT's exact determinant."""
    import flint

    from exactpoly.geometry.triangulation import small_integer_determinant

    assert small_integer_determinant(m) == int(flint.fmpz_mat(m).det())


_COORD = st.fractions(min_value=-9, max_value=9, max_denominator=7)
_GRID = st.sampled_from([Fraction(0), Fraction(1), Fraction(2), Fraction(1, 2)])


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 3).flatmap(lambda d: st.tuples(st.just(d), st.lists(
    st.tuples(*[_COORD | _GRID] * d), min_size=d + 1, max_size=12, unique=True))))
def test_delaunay_by_subsets_equals_delaunay_by_double_description(data):
    """The small-set Delaunay (testing (d+1)-subsets; its own code for d = 3) against
    the lifted hull by cdd, cospherical grids included."""
    from exactpoly.geometry import triangulation as T
    from exactpoly.geometry.linalg import affine_dimension

    dim, pts = data
    if affine_dimension(pts) < dim:
        return
    old = T._DELAUNAY_SUBSETS_MAX
    try:
        T._DELAUNAY_SUBSETS_MAX = {0: 99}
        fast = T.delaunay_triangulation(pts, dim)
        T._DELAUNAY_SUBSETS_MAX = {0: -1}
        slow = T.delaunay_triangulation(pts, dim)
    finally:
        T._DELAUNAY_SUBSETS_MAX = old
    assert fast == slow


_GRID3 = st.tuples(*[st.sampled_from([Fraction(0), Fraction(1), Fraction(2), Fraction(-1), Fraction(1, 2)])] * 3)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(*[_COORD] * 3) | _GRID3, min_size=4, max_size=16, unique=True))
def test_delaunay_3d_wrapping_equals_subsets_and_double_description(pts):
    """Three ways to the Delaunay cells in R^3 (gift wrapping, 4-subsets, cdd's lifted
    hull) agree, on grids full of cospherical and coplanar points too."""
    from exactpoly.geometry import triangulation as T
    from exactpoly.geometry.linalg import affine_dimension
    from exactpoly.geometry.polyhedron import hull_facets_homogeneous

    if affine_dimension(pts) < 3:
        return
    rows = T._lifted_integer_rows([T._homogeneous(p) for p in pts])
    by_cdd = sorted(sorted(i for i in inc if i < len(rows))
                    for row, inc in hull_facets_homogeneous([*rows, [0, 0, 0, 0, 1]]) if row[-1] > 0)
    assert T._lower_cells_3d_walk(rows) == by_cdd
    assert T._lower_cells_3d(rows) == by_cdd


def test_delaunay_3d_cospherical_cells():
    from exactpoly.geometry import triangulation as T

    cube = [(x, y, z) for x in (0, 1) for y in (0, 1) for z in (0, 1)]
    rows = T._lifted_integer_rows([T._homogeneous(p) for p in cube])
    assert T._lower_cells_3d_walk(rows) == [list(range(8))]  # one cell: all 8 on a sphere
    two = cube + [(x, y, 2) for x in (0, 1) for y in (0, 1)]  # two stacked cubes: two cells
    rows = T._lifted_integer_rows([T._homogeneous(p) for p in two])
    assert T._lower_cells_3d_walk(rows) == [[0, 1, 2, 3, 4, 5, 6, 7], [1, 3, 5, 7, 8, 9, 10, 11]]
    # and the triangulation refines each cube by pulling: 2 x 6 tetrahedra
    assert len(T.delaunay_triangulation(two, 3)) == 12


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(*[_COORD] * 3) | _GRID3, min_size=4, max_size=14, unique=True))
def test_pulling_3d_equals_the_general_recursion(pts):
    """The unrolled 3-D pulling triangulation against the recursion for any dimension,
    on the hull of random and grid points (non-simple vertices included)."""
    from exactpoly.geometry import triangulation as T
    from exactpoly.geometry.linalg import affine_dimension
    from exactpoly.geometry.polyhedron import hull_facets

    if affine_dimension(pts) < 3:
        return
    facets = [s for _r, s in hull_facets(pts)]
    # vertices: the points that are the whole intersection of the facets through them
    # (hull_facets also lists points inside edges and facets)
    vertices = [i for i in set().union(*facets)
                if frozenset.intersection(*[f for f in facets if i in f]) == {i}]
    order = sorted(vertices, key=lambda i: pts[i])
    rank = {v: k for k, v in enumerate(order)}
    masks = [sum(1 << rank[i] for i in f if i in rank) for f in facets]
    assert T._sorted_pulling_simplices_3d(masks) == T._sorted_pulling_simplices_any(len(order), masks, 3)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 4).flatmap(lambda d: st.tuples(
    st.lists(st.tuples(st.integers(-9, 9).filter(bool), *[st.integers(-50, 50)] * d), min_size=1, max_size=6),
    st.lists(st.tuples(st.just(0), *[st.integers(-5, 5)] * d), max_size=3))))
def test_interior_point_is_the_fraction_mean_plus_the_rays(data):
    """The integer summation of interior_point_of against the plain Fraction sum (its twin)."""
    from exactpoly.geometry.dd import Generators
    from exactpoly.geometry.polyhedron import interior_point_of

    points, rays = data
    d = len(points[0]) - 1
    mean = [sum(Fraction(p[j + 1], p[0]) for p in points) / len(points) for j in range(d)]
    want = tuple(m + sum(r[j + 1] for r in rays) for j, m in enumerate(mean))
    assert interior_point_of(Generators(tuple(points), tuple(rays), ())) == want
