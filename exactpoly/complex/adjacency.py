"""Adjacency of regions (``docs/conventions.md`` §1 "Adjacency"): closures that meet in a (d-1)-dimensional set.

Two ways, one per domain:

- in a box every region is a polytope and adjacent regions share a whole facet, so
  adjacency is an exact hash join on the facets' vertex coordinates
  (:func:`match_facets`, :class:`FacetJoin`, fed while the workers finish regions);
- on R^d regions may be unbounded, so adjacency is tracked layer by layer: siblings by
  their sign vectors (:func:`~exactpoly.complex.split.process_parent`), children of
  adjacent parents by equal facet vertices and rays, or one exact feasibility test
  when a region contains a line (:func:`join_across_parents`, :func:`is_across`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from ..errors import GeometryError
from ..geometry.dd import is_strictly_feasible
from ..geometry.rows import IntRow, hyperplane_key, negated
from .regions import Region
from .split import Cell, _cones_enabled, facet_labels, neuron_labels

__all__ = ["match_facets", "FacetJoin", "touching", "is_across", "join_across_parents", "renumbered"]


def _facet_points(cell: Cell, row: IntRow) -> frozenset[IntRow] | None:
    """Homogenised points of the cell's facet on ``row``; None if it has rays/lines."""
    for r, _labs, pts, rys in cell.facets:
        if r == row:
            if rys or cell.gens.lines:
                return None
            return frozenset(cell.gens.points[i] for i in pts)
    raise GeometryError("expected facet row missing from a cell")


def _facet_generators(cell: Cell, row: IntRow) -> tuple[frozenset[IntRow], frozenset[IntRow]] | None:
    """Vertices and extreme rays (homogenised) of the cell's facet on ``row``; None if the cell has lines."""
    if cell.gens.lines:
        return None
    for r, _labs, pts, rys in cell.facets:
        if r == row:
            g = cell.gens
            return frozenset([g.points[i] for i in pts]), frozenset([g.rays[i] for i in rys])
    raise GeometryError("expected facet row missing from a cell")


def is_across(c1: Cell, c2: Cell, row: IntRow) -> bool:
    """Do c1 (facet on ``row``) and c2 (facet on ``-row``) share a (d-1)-dimensional piece?

    Regions of one layer whose closures meet in a (d-1)-dimensional set share a whole
    facet (the argument of :func:`match_facets` holds on R^d as in a box), and a pointed
    facet is determined by its vertices and extreme rays, all primitive integer vectors:
    for two pointed cells the answer is their equality. Otherwise one exact feasibility
    test. O(facet generators), or one ``cdd.gmp`` call.
    """
    nrow = negated(row)
    if _cones_enabled():
        g1 = _facet_generators(c1, row)
        if g1 is not None:
            g2 = _facet_generators(c2, nrow)
            if g2 is not None:
                return g1 == g2
    f1 = _facet_points(c1, row)
    f2 = _facet_points(c2, nrow)
    if f1 is not None and f1 == f2:
        return True
    key, _ = hyperplane_key(row)
    nkey = negated(key)
    others = [r for r in c1.rows if r != key and r != nkey]
    others += [r for r in c2.rows if r != key and r != nkey]
    return is_strictly_feasible(others, equalities=[row])


def match_facets(regions: Sequence[Region]) -> list[tuple[int, int, tuple[tuple[int, int], ...]]]:
    """Adjacency of polytopal regions by identical facets: sorted ``(i, j, neurons)``, ``i < j``.

    Two activation regions whose closures meet in a (d-1)-dimensional set share a
    whole facet: if a facet F of A met two regions B and C, the first neuron where
    B's and C's patterns differ is one affine function on their common ancestor,
    with both signs along F; by continuity it would take both signs on A as well
    (or vanish on F, making it a multiple of F's hyperplane, with one sign on B and
    C alike). So every facet that is not on the box boundary is shared with exactly
    one region, with the same vertices, and adjacency is a join on the vertex set
    (which spans the facet's hyperplane, so it identifies the facet). A neuron
    facet without a partner is a GeometryError. O(total facet-vertex incidences).

    The join is a hash join on the facets' fingerprints (the hash of their vertex
    coordinates, which the workers compute) and is exact: the two facets of a
    bucket are compared coordinate by coordinate, and a bucket that is not one
    such pair (a hash collision) is regrouped by the coordinates themselves.
    """
    join = FacetJoin()
    join.add(regions)
    edges = join.edges()
    edges.sort()
    return edges


_FACET_BITS = 32  # a facet's code in the join: region index << _FACET_BITS | facet index


_FACET_MASK = (1 << _FACET_BITS) - 1


class FacetJoin:
    """The facet join of :func:`match_facets`, fed region by region (internal).

    The main process feeds it the final regions as the workers send them, so the
    hash join runs while the workers go on instead of after the last one. Edges
    are ``(i, j, neurons)`` with ``i < j`` indices in the order the regions were fed.
    """

    def __init__(self) -> None:
        self.regions: list[Region] = []
        # fingerprint -> facet code (region index << _FACET_BITS | facet index), a pair of codes,
        # or a list of three or more
        self._table: dict[int, int | tuple[int, int] | list[int]] = {}
        self._paired: dict[int, tuple[int, int, tuple[tuple[int, int], ...]]] = {}
        self._odd: set[int] = set()  # buckets that are not one verified pair (collisions, errors)
        self._n_facets = 0  # facets fed that are not on the box boundary

    def add(self, regions: Sequence[Region]) -> None:
        table, paired, odd, fed = self._table, self._paired, self._odd, self.regions
        n_facets = 0
        for r in regions:
            idx = len(fed)
            fed.append(r)
            for k, h in enumerate(r.facet_fingerprints):
                if h is None:  # a facet on the box boundary has no neighbour
                    continue
                n_facets += 1
                code = idx << _FACET_BITS | k
                seen = table.get(h)
                if seen is None:
                    table[h] = code
                elif type(seen) is int:
                    table[h] = (seen, code)
                    edge = _shared_facet_edge(fed, seen, code)
                    if edge is not None:
                        paired[h] = edge
                    else:  # not one verified pair: regrouped exactly in edges()
                        odd.add(h)
                else:
                    table[h] = [*cast("tuple[int, ...] | list[int]", seen), code]
                    paired.pop(h, None)
                    odd.add(h)
        self._n_facets += n_facets

    def edges(self) -> list[tuple[int, int, tuple[tuple[int, int], ...]]]:
        """Every adjacency (unsorted); GeometryError for a facet without its partner.

        O(edges): the verified pairs are taken as they are, only the other buckets
        are regrouped; a facet left alone shows as a count that does not add up.
        """
        out = list(self._paired.values())
        regions = self.regions
        for h in self._odd:
            # a hash collision (or a facet without its partner): group by the coordinates
            for group in _exact_groups(regions, cast("tuple[int, ...] | list[int]", self._table[h])):
                edge = _shared_facet_edge(regions, *group) if len(group) == 2 else None
                if edge is None:
                    raise _unshared_facet(regions, group[0])
                out.append(edge)
        if 2 * len(out) != self._n_facets:  # a facet in a bucket of its own
            for seen in self._table.values():
                if type(seen) is int:
                    raise _unshared_facet(regions, seen)
        return out


def _unshared_facet(regions: Sequence[Region], code: int) -> GeometryError:
    return GeometryError(f"a facet of region {regions[code >> _FACET_BITS].pattern_string} is not shared with "
                         f"exactly one other region; expected 2, one on each side")


def _shared_facet_edge(regions: Sequence[Region], code_a: int, code_b: int
                       ) -> tuple[int, int, tuple[tuple[int, int], ...]] | None:
    """The edge of two facets (codes ``region << _FACET_BITS | facet``) if they are one facet seen
    from both sides: equal vertex coordinates and opposite rows; else None."""
    ra, rb = regions[code_a >> _FACET_BITS], regions[code_b >> _FACET_BITS]
    fa, fb = ra.facets[code_a & _FACET_MASK], rb.facets[code_b & _FACET_MASK]
    va, vb = fa.vertices, fb.vertices
    if len(va) != len(vb) or fa.row != negated(fb.row):
        return None
    pa, pb = ra.points, rb.points
    if [pa[i] for i in va] != [pb[i] for i in vb]:
        return None
    na, nb = fa.neurons, fb.neurons
    return (code_a >> _FACET_BITS, code_b >> _FACET_BITS, na if na == nb else tuple(sorted(set(na) | set(nb))))


def _facet_coordinates(regions: Sequence[Region], code: int) -> tuple[IntRow, ...]:
    """Facet ``code``'s vertices (homogeneous coordinates), in lexicographic order."""
    r = regions[code >> _FACET_BITS]
    return tuple([r.points[i] for i in r.facets[code & _FACET_MASK].vertices])


def _exact_groups(regions: Sequence[Region], codes: Sequence[int]) -> list[list[int]]:
    """Facets (codes ``region << _FACET_BITS | facet``) grouped by their exact vertex coordinates."""
    groups: dict[tuple[IntRow, ...], list[int]] = {}
    for code in codes:
        groups.setdefault(_facet_coordinates(regions, code), []).append(code)
    return list(groups.values())


def touching(cells: list[Cell], idx: list[int], key: IntRow) -> list[tuple[int, IntRow]]:
    """Cells among ``idx`` with a facet on the hyperplane ``key`` (either orientation)."""
    nkey = negated(key)
    out = []
    for k in idx:
        for row, _labs, _p, _r in cells[k].facets:
            if row == key or row == nkey:
                out.append((k, row))
                break
    return out


def renumbered(new_index: list[int], a: int, b: int, neurons: tuple) -> tuple[int, int, tuple]:
    """The edge ``(a, b, neurons)`` with both regions renumbered, smaller index first."""
    a, b = new_index[a], new_index[b]
    return (a, b, neurons) if a < b else (b, a, neurons)


def join_across_parents(parents: list, parent_edges: dict[tuple[int, int], tuple[IntRow, frozenset]],
                        cells: list[Cell], children_of: list[list[int]], layer_rows: list[list[IntRow]],
                        edges: dict[tuple[int, int], tuple[IntRow, frozenset]]) -> None:
    """R^d adjacency between children of adjacent parents, added to *edges* (in place).

    For each adjacent pair of parents (*parent_edges*, with the key of the shared
    hyperplane) the candidates are their children with a facet on that hyperplane
    (:func:`touching`). This layer's neurons that do not vanish on the shared face have
    the same sign on both sides of any (d-1)-dimensional piece of it (continuity), so
    only children whose patterns agree on them are compared; equal facet vertices and
    rays decide, or one exact feasibility test for a region with a line (:func:`is_across`).
    O(pairs of candidates).
    """
    if not parents:
        return
    off = len(parents[0].pattern)
    for (p1, p2), (key, _labs) in parent_edges.items():
        side1 = touching(cells, children_of[p1], key)
        if not side1:
            continue
        side2 = touching(cells, children_of[p2], key)
        nkey = negated(key)
        mask = [off + i for i, r in enumerate(layer_rows[p1])
                if any(r[1:]) and r != key and r != nkey]
        for c1, row in side1:
            pat1 = cells[c1].pattern
            for c2, row2 in side2:
                if row2 != negated(row):
                    continue
                pat2 = cells[c2].pattern
                if any(pat1[i] != pat2[i] for i in mask):
                    continue
                if is_across(cells[c1], cells[c2], row):
                    a, b = sorted((c1, c2))
                    labs = facet_labels(cells[c1], row) | facet_labels(cells[c2], row2)
                    edges[(a, b)] = (key, neuron_labels(labs))
