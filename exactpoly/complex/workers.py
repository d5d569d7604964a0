"""Worker plumbing: what the runners of :mod:`exactpoly.parallel` execute, and finishing cells into Regions.

A layer's parents are split in chunks (:func:`work_chunk`), or a single big parent is
cut into pieces that the workers finish (:func:`split_parent_in_pieces`,
:func:`pieces_chunk`). Cells cross process boundaries as plain tuples (:func:`pack`,
:func:`unpack`); siblings' shared local-map rows are sent once. Final cells become
public :class:`~exactpoly.complex.regions.Region` values (:func:`region_of`) with their
canonical simplices and volume computed where they were finished.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from functools import lru_cache
from math import comb
from typing import NamedTuple, cast

from ..errors import BudgetExceededError
from ..geometry.dd import Generators
from ..geometry.rows import IntRow
from ..network import Matrix, Vector
from . import kernels
from .local_maps import LayerMaps
from .regions import Region, RegionFacet
from .split import Cell, cut_cells, finish_cells, plan_split, process_parent, set_facets
from .sums import sum_by_prefix, sum_volumes

__all__ = ["ChunkState", "ParentResult", "pack", "unpack", "work_chunk", "unpack_children", "pieces_chunk",
           "split_parent_in_pieces", "finished_region", "region_of", "public_label_tuples", "report_piece",
           "PIECES_PER_WORKER", "PIECES_MIN_CELLS"]


def pack(cell: Cell, with_map: bool = True) -> tuple:
    """A finished cell as plain data (its rows and labels are those of its facets)."""
    g = cell.gens
    return (cell.pattern, g.points, g.rays, g.lines, cell.facets,
            cell.T if with_map else None)


def unpack(t: tuple) -> Cell:
    pattern, points, rays, lines, facets, T = t
    cell = Cell(pattern, [], [], Generators(points, rays, lines), T)
    set_facets(cell, facets)
    return cell


class ChunkState(NamedTuple):
    """What every chunk of one layer's split shares (:func:`work_chunk`); made once per layer."""

    layer: int
    weights: Matrix
    biases: Vector
    d: int
    #: live cells (inherited by forked processes) or packed ones (sent once to each Dask worker)
    parents: list
    #: the last hidden layer: the children are final
    last: bool
    #: track adjacency layer by layer (R^d): sibling edges and every neuron's local row
    edges: bool
    #: the pattern prefix lengths of the layers before *layer* (``net.neuron_offsets[1:layer]``)
    ends: tuple[int, ...]


class ParentResult(NamedTuple):
    """One parent's split as a worker sends it back (:func:`work_chunk`)."""

    #: finished Regions (last layer in a box) or packed cells (:func:`pack`, without their maps)
    children: list
    #: ``(t1, t2, key, neuron labels)`` of adjacent siblings (see :func:`~.split.process_parent`)
    sibling_edges: list
    #: every neuron's local row on the parent (R^d), else None
    layer_rows: list[IntRow] | None
    #: the packed children's shared local maps' ``(rows, den)``, else None
    shared: tuple[tuple[IntRow, ...], int] | None


def work_chunk(state: ChunkState, start: int, stop: int) -> tuple[list[ParentResult], Fraction | None]:
    """Worker entry point (processes or Dask): split parents ``start:stop`` of one layer.

    *state* is the same for all chunks of a layer. After the last layer the children's
    local affine maps are not needed and not sent back; finished regions come with the
    sum of their volumes (else None). O(the parents' splits).
    """
    maps = LayerMaps(state.weights, state.biases)
    layer, d, last, edges = state.layer, state.d, state.last, state.edges
    out: list[ParentResult] = []
    volumes: list[tuple[tuple[int, ...], Fraction | None]] = []  # (parent's pattern, its children's volume)
    for pk in state.parents[start:stop]:
        P = pk if isinstance(pk, Cell) else unpack(pk)
        kids, sib, lrows = process_parent(P, layer, maps, d, not last, edges)
        if last and not edges:
            # final polytopes: finish them here, canonical triangulation and volume included
            regions = [finished_region(k) for k in kids]
            volumes.append((P.pattern, _finished_volume(regions)))
            out.append(ParentResult(regions, sib, lrows, None))
        else:
            # siblings share one pre-activation matrix: sent once, not once per child
            shared = kids[0].T[0] if not last else None
            out.append(ParentResult([pack(k, False) for k in kids], sib, lrows, shared))
    if not last or edges or any(v is None for _p, v in volumes):
        return out, None
    return out, sum_by_prefix(cast("list[tuple[tuple[int, ...], Fraction]]", volumes), state.ends)


def unpack_children(packed: list, shared: tuple[tuple[IntRow, ...], int] | None) -> list:
    """Children sent back by a worker; *shared* (or None) is their local maps' ``(rows, den)``."""
    if packed and isinstance(packed[0], Region):
        return packed
    kids = [unpack(k) for k in packed]
    if shared is not None:
        n = len(shared[0])
        for k in kids:
            k.T = (shared, k.pattern[-n:])
    return kids


def pieces_chunk(state: tuple, start: int, stop: int) -> tuple[list, Fraction | None]:
    """Worker entry point: finish the pieces ``start:stop`` of one parent's split
    (with the sum of the volumes when they are finished regions, else None)."""
    plan, pieces, t, last = state
    kids = finish_cells(plan, cut_cells(plan, pieces[start:stop], t, len(plan.keys)), not last)
    if last:
        regions = [finished_region(k) for k in kids]
        return regions, _finished_volume(regions)
    return [pack(k, False) for k in kids], None


def report_piece(progress: Callable[[int, int, int, int], None], layer: int, pidx: int, total: int,
                  base: int, k: int) -> None:
    progress(layer, pidx, total, base + k)  # regions so far: earlier parents' plus this one's


PIECES_PER_WORKER = 16  # enough pieces that uneven ones balance; the tests lower it


# Below this many expected children (K hyperplanes in general position cut R^d into
# sum_{i<=d} C(K, i) cells) a parent is split here: starting the workers costs more
# (``docs/performance.md``: a small net is faster serially than with two workers).
PIECES_MIN_CELLS = 2000


def split_parent_in_pieces(P: Cell, layer: int, maps: LayerMaps, d: int, last: bool, runner,
                            progress: Callable[[int], None] | None = None,
                            volumes: list[tuple[int, Fraction]] | None = None) -> list:
    """The children of one bounded parent, split by ``runner``'s forked workers.

    The first cutting hyperplanes are applied here until there are about 16 pieces
    per worker; each piece is then cut by the remaining ones and finished by a
    worker (one task per piece, so uneven pieces balance). Children of the last
    layer come back as finished Regions, others as cells with their local maps;
    ``(number of regions, sum of their volumes)`` of finished ones go to *volumes*.
    """
    plan, first = plan_split(P, layer, maps, d)
    K = len(plan.keys)
    if sum(comb(K, i) for i in range(d + 1)) < PIECES_MIN_CELLS:
        return finish_cells(plan, cut_cells(plan, [first], 0, K), not last)
    pieces, t = [first], 0
    while t < K and len(pieces) < PIECES_PER_WORKER * runner.workers:
        pieces = cut_cells(plan, pieces, t, t + 1)
        t += 1
    if t == K:
        return finish_cells(plan, pieces, not last)
    kids: list = []
    state = (plan, pieces, t, last)
    tasks = [(i, i + 1) for i in range(len(pieces))]
    for result, volume in runner.map_shared(pieces_chunk, state, tasks):
        kids.extend(unpack_children(result, None if last else plan.shared))
        if volume is not None and volumes is not None:
            volumes.append((len(result), volume))
        if progress is not None:
            progress(len(kids))
    return kids


def finished_region(cell: Cell) -> Region:
    """The public Region of a final bounded cell with its simplices and volume computed."""
    r = region_of(cell)
    try:
        r.volume_terms  # noqa: B018 - fills the cached simplices and volume terms before the region is sent back
    except BudgetExceededError:
        pass  # over the triangulation budget (d >= 4): left uncomputed, reported as such by the summary
    r.facet_fingerprints  # noqa: B018 - and the facet join's keys
    return r


def _finished_volume(regions: list[Region]) -> Fraction | None:
    """The exact sum of the finished regions' volumes, or None when one is over the triangulation budget."""
    try:
        return sum_volumes([r.volume_terms for r in regions])
    except BudgetExceededError:
        return None


@lru_cache(maxsize=4096)
def public_label_tuples(labels: frozenset) -> tuple[tuple, tuple]:
    """Sorted (neurons, walls) of a support label set (few distinct sets: memoised)."""
    neurons = tuple(sorted((x[1], x[2]) for x in labels if x[0] == "n"))
    walls = tuple(sorted((x[1], x[2]) for x in labels if x[0] == "w"))
    return neurons, walls


def region_of(cell: Cell) -> Region:
    g = cell.gens
    order, fverts = kernels.region_order(g.points, cell.facets)
    keep = not g.lines
    facets = []
    for (row, labs, _pts, _rys), vs in zip(cell.facets, fverts):
        neurons, walls = public_label_tuples(labs)
        facets.append(RegionFacet(row, neurons, walls, vs if keep else ()))
    rays = tuple(sorted(r[1:] for r in g.rays))
    lines = tuple(sorted(r[1:] for r in g.lines))
    return Region(cell.pattern, tuple(facets), tuple([g.points[i] for i in order]), rays, lines)

