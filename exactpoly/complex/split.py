"""Splitting one parent region by the hyperplanes of one layer (the engine's core step).

A parent's plan (:func:`plan_split`) classifies every neuron of the layer on the parent
(fixed bit, cutting hyperplane, or a row that may support a facet); the cells are cut
hyperplane by hyperplane (:func:`cut_cells`): bounded ones combinatorially, with no LP
and no double description (:func:`split_polytope`, the kernel ``split_parts``), pointed
unbounded ones the same way in cone form (:func:`_to_cone`), and cells that contain a
line by one exact double description per child; :func:`finish_cells` gives
the children their patterns, local maps and facet labels. Internal to
:mod:`exactpoly.complex`.

Support labels inside the engine are ``("n", layer, index)`` for a neuron and
``("w", coordinate, side)`` for a box wall.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from itertools import chain

from ..errors import GeometryError
from ..geometry.dd import Generators, generators_of
from ..geometry.polyhedron import facets_of
from ..geometry.rows import IntRow, coprime, dot, hyperplane_key, negated
from . import kernels
from ._kernels_py import FacetData
from .local_maps import LayerMaps

__all__ = ["Cell", "FacetData", "Plan", "plan_split", "cut_cells", "finish_cells", "split_parent", "process_parent",
           "split_polytope", "set_facets", "finish_cell", "sides_on", "neuron_labels", "facet_labels", "SIGN_POSITIVE",
           "SIGN_NEGATIVE", "SIGN_ZERO"]

# Signs seen by a row at a cell's vertices (the kernel ``vertex_values``'s flags), as bits
SIGN_POSITIVE = 1
SIGN_NEGATIVE = 2
SIGN_ZERO = 4
BOTH_SIGNS = SIGN_POSITIVE | SIGN_NEGATIVE


class Cell:
    """Mutable working state of one region during the build (internal)."""

    __slots__ = ("pattern", "rows", "labels", "gens", "T", "facets", "signs", "extra", "vals")

    def __init__(self, pattern, rows, labels, gens, T):
        self.pattern: tuple[int, ...] = pattern
        self.rows: list[IntRow] = rows
        self.labels: list[frozenset] = labels
        self.gens: Generators = gens
        # previous layer's output on this cell, ((rows, den), bits): see LocalMap
        self.T = T
        self.facets: list[FacetData] = []
        self.signs: tuple[int, ...] = ()
        # rows valid on the whole cell (with their labels), kept out of the DD input
        self.extra: tuple[list[IntRow], list[frozenset]] = ([], [])
        self.vals: list[tuple[int, ...]] = []  # per vertex: values of the cutting rows (split only)


def sides_on(row: IntRow, g: Generators) -> tuple[bool, bool]:
    """(positive somewhere, negative somewhere) of ``row`` on the polyhedron's interior."""
    pos = neg = False
    for p in chain(g.points, g.rays):  # a ray's sign is that of the row's value far along it
        v = dot(row, p)
        if v > 0:
            pos = True
        elif v < 0:
            neg = True
    if g.lines and any(dot(row, r) for r in g.lines):
        return True, True
    return pos, neg


def set_facets(cell: Cell, facets: list[FacetData]) -> None:
    """Give *cell* its *facets*, and their rows and labels as its rows and labels (in place).

    A facet is ``(row, labels, point indices, ray indices)``, a plain tuple for the kernels. O(len(facets)).
    """
    cell.facets = facets
    cell.rows = [row for row, _labs, _pts, _rys in facets]
    cell.labels = [labs for _row, labs, _pts, _rys in facets]


def finish_cell(cell: Cell, d: int) -> None:
    """The facets of an unbounded (or the root) cell by double description; only its
    irredundant rows are kept for the next layer."""
    set_facets(cell, facets_of(cell.rows, cell.labels, cell.gens, d))


def neuron_labels(labels: frozenset) -> frozenset:
    return frozenset(x for x in labels if x[0] == "n")


def facet_labels(cell: Cell, row: IntRow) -> frozenset:
    for r, labs, _, _ in cell.facets:
        if r == row:
            return labs
    raise GeometryError("expected facet row missing from a neighbour cell")


def split_polytope(cell: Cell, key: IntRow, lab: frozenset, t: int) -> tuple[Cell, Cell]:
    """Split a polytope (known vertices and facet-vertex incidences) by a cutting hyperplane.

    No double description and no LP: vertices are classified by the exact sign of the
    row; u (positive) and w (negative) span an edge iff the smallest face containing
    both — the intersection of the facets containing both — has exactly these two
    vertices, and the edge's crossing point is ``h(u)·w - h(w)·u`` in homogeneous
    integer coordinates. A facet of the parent survives on a side iff it has a vertex
    strictly on that side; the hyperplane itself is a facet of both children.

    Notes
    -----
    O(|V+| |V-| m) bit operations for m facets, plus O(m |V|) for the incidences.
    """
    parts = kernels.split_parts(cell.gens.points, cell.vals, cell.facets, t, key, negated(key), lab)
    return _child(cell, *parts[0]), _child(cell, *parts[1])


def _child(cell: Cell, points: tuple[IntRow, ...], vals: list, facets: list[FacetData]) -> Cell:
    """A split's child cell: its points, their cut values and its facets."""
    child = Cell(cell.pattern, [], [], Generators(points, (), ()), None)
    set_facets(child, facets)
    child.vals = vals
    return child


class Plan:
    """One parent's split by one layer: what every piece of the work needs (internal)."""

    __slots__ = ("P", "layer", "n", "shared", "d", "bounded", "fixed_bits", "cut_groups", "keys", "labs",
                 "layer_rows")

    def __init__(self, P, layer, n, shared, d, bounded, fixed_bits, cut_groups, keys, labs, layer_rows):
        self.P, self.layer, self.n, self.d = P, layer, n, d
        self.shared: tuple[tuple[IntRow, ...], int] = shared  # the children's (rows, den): see LocalMap
        self.layer_rows: list[IntRow] | None = layer_rows  # every neuron's local row on P (see plan_split)
        self.bounded: bool = bounded
        self.fixed_bits: list[int] = fixed_bits
        self.cut_groups: dict[IntRow, list[tuple[int, int]]] = cut_groups
        self.keys: list[IntRow] = keys
        self.labs: list[frozenset] = labs


@cache
def _neuron_label(layer: int, i: int) -> frozenset:
    """The support label set of one neuron (shared, not rebuilt per region)."""
    return frozenset([("n", layer, i)])


def plan_split(P: Cell, layer: int, maps: LayerMaps, d: int, all_rows: bool = False) -> tuple[Plan, Cell]:
    """The cutting hyperplanes of ``layer`` on parent ``P`` and the cell to cut.

    Returns the plan and the first work cell (``P`` itself with the rows valid on
    all of it set aside, and, when bounded, every vertex's values of the cutting rows).
    On a bounded parent the signs are read from the rows' numerators over one common
    positive denominator (positive multiples of the rows: the same signs, and values
    that are positive multiples, which the split's arithmetic never distinguishes);
    only neurons that cut the parent or touch it (a zero at a vertex, so possibly a
    facet) get their canonical row. *all_rows* (R^d adjacency) makes every neuron's
    canonical row, in ``plan.layer_rows``; else that is None on a bounded parent.
    *maps* is the layer's :class:`LayerMaps` (the numerators and values come from it).
    """
    n = maps.n
    scaled = maps.rows_on(P.T)  # positive multiples of the rows (b, a) of this layer's pre-activations
    den = P.T[0][1] * maps.q
    fixed_bits = [0] * n
    cut_groups: dict[IntRow, list[tuple[int, int]]] = defaultdict(list)
    valid_rows: list[IntRow] = []
    valid_labels: list[frozenset] = []
    bounded = not P.gens.rays and not P.gens.lines
    cone = _cones_enabled() and not bounded and not P.gens.lines  # pointed and unbounded: see _to_cone
    pts = P.gens.points
    layer_rows = [coprime(r) for r in scaled] if all_rows or not bounded else None
    if bounded or cone:
        # every neuron's value at every vertex (one tuple per vertex);
        # new vertices inherit theirs linearly
        values, flags = maps.values_at(scaled, pts, den)
        if cone:  # a ray's values depend on the cell's map, not on a point: never cached
            ray_values, ray_flags = kernels.vertex_values(scaled, P.gens.rays, {})
            values = values + ray_values
            flags = bytes([a | b for a, b in zip(flags, ray_flags)])
    for i, row in enumerate(scaled):
        if bounded or cone:
            fl = flags[i]  # signs seen at the vertices (SIGN_* bits)
            if fl == SIGN_POSITIVE or fl == SIGN_NEGATIVE:  # one sign and no zero (most neurons): fixed bit, no facet
                fixed_bits[i] = fl & SIGN_POSITIVE
                continue
        if not any(row[1:]):
            fixed_bits[i] = 1 if row[0] > 0 else 0  # dead neuron (0) or a constant sign
            continue
        if not bounded and not cone:  # the facet test of the double description reads every one-sided row
            pos, neg = sides_on(row, P.gens)
            fl = (SIGN_POSITIVE if pos else 0) | (SIGN_NEGATIVE if neg else 0) | SIGN_ZERO
        if fl & BOTH_SIGNS == BOTH_SIGNS:
            key, s = hyperplane_key(layer_rows[i] if layer_rows is not None else coprime(row))
            cut_groups[key].append((i, s))
        elif fl & BOTH_SIGNS:
            fixed_bits[i] = fl & SIGN_POSITIVE
            if fl & SIGN_ZERO:  # vanishes at a vertex: may support a facet of a child
                prow = layer_rows[i] if layer_rows is not None else coprime(row)
                valid_rows.append(prow if fl & SIGN_POSITIVE else negated(prow))
                valid_labels.append(_neuron_label(layer, i))
        else:
            raise GeometryError("a non-zero affine function vanishes on a full-dimensional region")
    keys = sorted(cut_groups)
    labs = [frozenset(("n", layer, i) for i, _ in cut_groups[key]) for key in keys]
    first = Cell(P.pattern, list(P.rows), list(P.labels), P.gens, None)
    first.facets = P.facets
    first.extra = (valid_rows, valid_labels)
    if cone:
        _to_cone(first)
    if (bounded or cone) and keys:
        sel = [cut_groups[k][0] for k in keys]  # key = s * row_i
        first.vals = [tuple([v[i] if s_ > 0 else -v[i] for i, s_ in sel]) for v in values]
    return Plan(P, layer, n, (tuple(scaled), den), d, bounded, fixed_bits, cut_groups, keys, labs,
                 layer_rows), first


def _cut_combinatorially(c: Cell, t: int, stop: int, keys, labs, stack: list, out: list[Cell]) -> None:
    """One step of the depth-first cut of a polytope (or pointed cone) cell: skip the
    hyperplanes of ``t..stop-1`` that miss it; at the first that cuts it push both
    children (plus on top) onto *stack*, else the cell is final and goes to *out*."""
    u, skipped = kernels.next_cut(c.vals, t, stop)
    if skipped:
        c.signs += skipped
    if u == stop:
        out.append(c)
        return
    plus, minus = split_polytope(c, keys[u], labs[u], u)
    plus.signs, minus.signs = c.signs + (1,), c.signs + (-1,)
    plus.extra = minus.extra = c.extra
    stack.append((minus, u + 1))
    stack.append((plus, u + 1))


def cut_cells(plan: Plan, work: list[Cell], start: int, stop: int) -> list[Cell]:
    """Cut the work cells by the plan's hyperplanes ``start:stop``, in order.

    Each cell's pieces take its place in the list, so cutting parts of the list
    separately and concatenating gives the same list as cutting it whole.

    A bounded cell goes depth first through the hyperplanes: one scan of its vertex
    values (:func:`next_cut`) skips every hyperplane that does not cut it, and its
    children (positive first) take its place. A hyperplane that does not cut a cell
    cannot carry one of its facets (the cell's facets lie on the parent's facets or
    on other cutting hyperplanes, all different hyperplanes), so only the side is
    recorded. O(splits + vertices · hyperplanes) for the scans.
    """
    if not plan.bounded:
        if _cones_enabled():
            return _cut_cells_mixed(plan, work, start, stop)
        return _cut_cells_unbounded(plan, work, start, stop)
    keys, labs = plan.keys, plan.labs
    out: list[Cell] = []
    for cell in work:
        stack = [(cell, start)]
        while stack:
            c, t = stack.pop()
            _cut_combinatorially(c, t, stop, keys, labs, stack, out)
    return out


def _cut_cells_mixed(plan: Plan, work: list[Cell], start: int, stop: int) -> list[Cell]:
    """:func:`cut_cells` for a parent that is unbounded: pointed cells in cone form
    (:func:`_to_cone`) are cut combinatorially, as polytopes are; a cell with lines is
    cut by one double description per child, and a child without lines goes on in
    cone form. Depth first, like the bounded cut; the children's order differs from
    :func:`_cut_cells_unbounded`'s, not the children. O(the bounded cut's work on the
    pointed cells + one double description per child of a cell with lines)."""
    keys, labs, d = plan.keys, plan.labs, plan.d
    out = []
    for cell in work:
        stack = [(cell, start)]
        while stack:
            c, t = stack.pop()
            if t == stop:
                out.append(c)
                continue
            if not c.gens.lines:  # cone form: the combinatorial split
                _cut_combinatorially(c, t, stop, keys, labs, stack, out)
                continue
            key, lab = keys[t], labs[t]
            nkey = negated(key)
            pos, neg = sides_on(key, c.gens)
            if not (pos and neg):
                ex_rows, ex_labels = c.extra
                c.extra = (ex_rows + [key if pos else nkey], ex_labels + [lab])
                c.signs = c.signs + ((1 if pos else -1),)
                stack.append((c, t + 1))
                continue
            kids = []
            for sgn, row in ((1, key), (-1, nkey)):
                rows = c.rows + [row]
                child = Cell(c.pattern, rows, c.labels + [lab], generators_of(rows, d), None)
                child.signs = c.signs + (sgn,)
                child.extra = c.extra
                if not child.gens.lines:  # pointed from here on: its facets, then the cone form
                    finish_cell(child, d)
                    _to_cone(child)
                    child.vals = [tuple([dot(k, g) for k in keys]) for g in child.gens.points]
                kids.append(child)
            stack.append((kids[1], t + 1))
            stack.append((kids[0], t + 1))
    return out


def _cut_cells_unbounded(plan: Plan, work: list[Cell], start: int, stop: int) -> list[Cell]:
    """:func:`cut_cells` for unbounded cells: one double description per child, and
    the rows valid on a whole cell kept for its facet test (their labels)."""
    d = plan.d
    for t in range(start, stop):
        key, lab = plan.keys[t], plan.labs[t]
        nkey = negated(key)
        nxt = []
        for cell in work:
            pos, neg = sides_on(key, cell.gens)
            if pos and neg:
                children = (Cell(cell.pattern, cell.rows + [key], cell.labels + [lab],
                                  generators_of(cell.rows + [key], d), None),
                            Cell(cell.pattern, cell.rows + [nkey], cell.labels + [lab],
                                  generators_of(cell.rows + [nkey], d), None))
                for sgn, child in zip((1, -1), children):
                    child.signs = cell.signs + (sgn,)
                    child.extra = cell.extra
                    nxt.append(child)
            else:
                ex_rows, ex_labels = cell.extra
                cell.extra = (ex_rows + [key if pos else nkey], ex_labels + [lab])
                cell.signs = cell.signs + ((1 if pos else -1),)
                nxt.append(cell)
        work = nxt
    return work


def finish_cells(plan: Plan, work: list[Cell], need_map: bool = True) -> list[Cell]:
    """Patterns, local maps and facet labels of fully cut cells (in place; returns ``work``)."""
    shared, P = plan.shared, plan.P
    groups = [plan.cut_groups[key] for key in plan.keys]
    for cell in work:
        bits = list(plan.fixed_bits)
        for group, sgn in zip(groups, cell.signs):
            for i, s in group:
                bits[i] = 1 if s * sgn > 0 else 0
        cell.pattern = P.pattern + tuple(bits)
        if need_map:  # the layer's output on the cell, diag(bits) [Zc | ZA], shared Z
            cell.T = (shared, tuple(bits))
        ex_rows, ex_labels = cell.extra
        cell.extra = ([], [])
        cell.vals = []
        if plan.bounded:
            # facets are known combinatorially; a row valid on the whole cell is either
            # the canonical row of one of its facets (then it supports it) or redundant
            set_facets(cell, _with_valid_rows(cell.facets, ex_rows, ex_labels))
        elif not cell.gens.lines and _cones_enabled():  # cone form: back to points and rays
            set_facets(cell, _with_valid_rows(_from_cone(cell), ex_rows, ex_labels))
        else:
            cell.rows = cell.rows + ex_rows
            cell.labels = cell.labels + ex_labels
            finish_cell(cell, plan.d)
    return work


def _with_valid_rows(facets: list[FacetData], ex_rows: list[IntRow], ex_labels: list[frozenset]
                     ) -> list[FacetData]:
    """*facets* sorted, each with the labels of the rows valid on the whole cell that are its row.

    A row valid on the whole cell that vanishes on a facet is that facet's canonical row;
    any other one is redundant (supports no facet). O(facets + rows).
    """
    if ex_rows:
        at = {row: k for k, (row, _labs, _pts, _rys) in enumerate(facets)}
        hits = [(at[r], lab) for r, lab in zip(ex_rows, ex_labels) if r in at]
        if hits:
            facets = list(facets)
            for k, lab in hits:
                r, labs, pts, rys = facets[k]
                facets[k] = (r, labs | lab, pts, rys)
    return sorted(facets)


# The cone form of a pointed unbounded cell (see _to_cone).
_USE_CONES = True


def _cones_enabled() -> bool:
    """Are pointed unbounded cells split in cone form (the default)? False only in the
    tests that compare with the double-description path (:func:`_double_description_only`)."""
    return _USE_CONES


@contextmanager
def _double_description_only() -> Iterator[None]:
    """Split every unbounded cell by double description, as before the cone form, and
    decide R^d adjacency by the exact feasibility test (for the twin tests)."""
    global _USE_CONES
    was = _USE_CONES
    _USE_CONES = False
    try:
        yield
    finally:
        _USE_CONES = was


@cache
def _infinity_row(d: int) -> IntRow:
    """The row ``t >= 0`` of the homogenising coordinate: ``(1, 0, ..., 0)`` (no neuron's or wall's row)."""
    return (1,) + (0,) * d


def _to_cone(cell: Cell) -> None:
    """Put a pointed cell in cone form (in place), so the polytope split applies unchanged.

    A pointed polyhedron P with vertices v and extreme rays r has the homogenisation
    ``C = cone{(1, v), (0, r)} = {(t, x) : t >= 0, b t + a·x >= 0 for P's rows}``, a pointed
    cone. Its faces other than the apex are those of a polytope (a cross-section), its
    extreme rays are P's vertices and rays (homogeneous, as ``Generators`` stores them),
    its facets are P's facets (same rows, same generators) and, when P is unbounded,
    ``t >= 0`` (:func:`_infinity_row`, on the rays; it is listed even when it is a lower
    face: a valid face changes no smallest face, so no edge test). Cutting P by
    ``h >= 0`` cuts C by the linear ``h(t, x) >= 0``, and the combinatorial split of
    :func:`split_polytope` (edges from facet incidences, crossing point
    ``h(u)·w - h(w)·u``) works on the cone as on a polytope: a crossing of a point and
    a ray is a point, of two rays a ray. O(generators + facet incidences).
    """
    g = cell.gens
    n = len(g.points)
    hom = g.points + g.rays
    facets: list[FacetData] = [(r, labs, pts | frozenset([n + i for i in rys]) if rys else pts, frozenset())
                               for r, labs, pts, rys in cell.facets]
    if g.rays:
        facets.append((_infinity_row(len(hom[0]) - 1), frozenset(), frozenset(range(n, len(hom))), frozenset()))
    cell.gens = Generators(hom, (), ())
    cell.facets = facets


def _from_cone(cell: Cell) -> list[FacetData]:
    """A cell in cone form back in points and rays (in place): its generators split by the
    homogenising coordinate, and its facets (unsorted) without ``t >= 0``. O(generators + incidences)."""
    hom = cell.gens.points
    trow = _infinity_row(len(hom[0]) - 1)
    new_index = []
    points: list[IntRow] = []
    rays: list[IntRow] = []
    for p in hom:
        if p[0]:
            new_index.append(len(points))
            points.append(p)
        else:
            new_index.append(-1 - len(rays))
            rays.append(p)
    cell.gens = Generators(tuple(points), tuple(rays), ())
    if not rays:
        return [f for f in cell.facets if f[0] != trow]
    out = []
    for r, labs, vs, _rys in cell.facets:
        if r == trow:
            continue
        idx = [new_index[i] for i in vs]
        out.append((r, labs, frozenset([k for k in idx if k >= 0]), frozenset([-1 - k for k in idx if k < 0])))
    return out


def split_parent(P: Cell, layer: int, maps: LayerMaps, d: int, need_map: bool = True, all_rows: bool = False
                  ) -> tuple[list[Cell], list[IntRow], list[IntRow] | None]:
    """Split one parent region by the hyperplanes of ``layer``.

    Returns the children (finished: facets known), the sorted cutting hyperplane
    keys and every neuron's canonical local row on the parent (with *all_rows* or on
    an unbounded parent; else None). Bounded parents are split
    combinatorially (:func:`split_polytope`), pointed unbounded ones too, in cone
    form (:func:`_to_cone`); a cell with lines by one double
    description per child, with only the parent's facets and the cutting
    hyperplane as input: rows valid on a whole cell (neurons
    that do not cut it) change nothing there and join only the facet test, for
    their labels.
    """
    plan, first = plan_split(P, layer, maps, d, all_rows)
    work = cut_cells(plan, [first], 0, len(plan.keys))
    return finish_cells(plan, work, need_map), plan.keys, plan.layer_rows


def process_parent(P: Cell, layer: int, maps: LayerMaps, d: int, need_map: bool = True, edges: bool = True):
    """Split one parent and find the adjacencies among its children.

    Returns ``(children, sibling_edges, layer_rows)``, the last two only with
    *edges* (else ``[]`` and None: box complexes match facets at the end); sibling edges are
    ``(t1, t2, key, neuron labels)`` with ``t1 < t2`` indices into the children.
    Siblings are adjacent iff their sign vectors over the parent's cutting
    hyperplanes differ in exactly one hyperplane on which both have a facet.
    """
    kids, keys, layer_rows = split_parent(P, layer, maps, d, need_map, edges)
    sib: list[tuple[int, int, IntRow, frozenset]] = []
    if edges and len(kids) > 1:
        by_signs = {c.signs: t for t, c in enumerate(kids)}
        slot = {key: t for t, key in enumerate(keys)}
        seen = set()
        for t, C in enumerate(kids):
            for row, labs, _, _ in C.facets:
                key, _s = hyperplane_key(row)
                u = slot.get(key)
                if u is None:
                    continue
                flipped = C.signs[:u] + (-C.signs[u],) + C.signs[u + 1:]
                other = by_signs.get(flipped)
                if other is None:
                    raise GeometryError("a facet on a cutting hyperplane has no neighbour")
                pair = (min(t, other), max(t, other))
                if pair not in seen:
                    seen.add(pair)
                    olab = facet_labels(kids[other], negated(row))
                    sib.append((pair[0], pair[1], key, neuron_labels(labs | olab)))
    return kids, sib, (layer_rows if edges else None)

