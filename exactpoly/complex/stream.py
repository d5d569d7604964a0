"""Streaming a region complex: final regions one at a time, statistics in bounded memory.

:func:`~exactpoly.complex.region_complex` keeps every region of every layer alive until
the end (3-40x4-1: 311 000 regions, about 4 GB). Statistics (facet histograms, sweeps,
table rows) need each final region once: :func:`iter_final_regions` walks the layers
depth first — the children of one parent region are split through the remaining layers
and yielded as final regions before the next sibling is touched — so only one path of
frontiers (the children of one parent per layer, and a few small batches of the first
layer's split) is alive at a time. :func:`stream_statistics` counts them into a
:class:`StreamStatistics` and drops them; with a runner (local processes or a Dask
cluster, see :mod:`exactpoly.parallel`) the pieces of the first layer's split are
streamed by the workers and their statistics merged (:func:`merge_statistics`).

Order (the *stream order*): the first layer's regions come in the order of the split of
the domain (depth first through its sorted hyperplanes, the positive side first: a fixed
order), and below each of them the children of every parent in increasing pattern order.
Sorted by pattern, the stream is ``region_complex(net, box).regions`` (docs/conventions.md
§1), region for region.

Examples
--------
>>> from exactpoly.network import network_from_layers
>>> net = network_from_layers(2, [([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [0])])
>>> sorted(r.pattern_string for r in iter_final_regions(net, box=1))
['00', '01', '10', '11']
>>> s = stream_statistics(net, box=1)
>>> s.n_regions, s.histogram, s.vertex_histogram, s.mean_facets
(4, ((4, 4),), ((4, 4),), Fraction(4, 1))
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Protocol

from ..errors import DomainError
from ..facet_statistics import FacetStatistics
from ..network import ReluNetwork
from ..parallel import make_runner
from .build import auto_box, cyclic_gc_paused, parse_box, root_cell
from .local_maps import LayerMaps
from .regions import Region
from .split import Cell, cut_cells, finish_cells, plan_split, process_parent
from .workers import region_of

__all__ = ["StreamStatistics", "RegionSink", "iter_final_regions", "stream_statistics", "statistics_of",
           "merge_statistics", "stream_box", "FIRST_LAYER_PIECES", "CUT_STEP"]


@dataclass(frozen=True)
class StreamStatistics(FacetStatistics):
    """Exact running statistics of a stream of final regions (immutable).

    Attributes
    ----------
    n_regions : int
    histogram : tuple of (int, int)
        ``(k, number of regions with k facets)``, k increasing (box walls count,
        docs/conventions.md), as :func:`~exactpoly.experiments.stats.complex_histogram`.
    vertex_histogram : tuple of (int, int)
        ``(k, number of regions with k vertices)``, k increasing.
    n_neurons : int
        Γ, the number of hidden neurons (for the simplicity threshold Γ/2).

    ``facets_total``, ``mean_facets``, ``max_facets``, the simplicity threshold and share
    (:class:`~exactpoly.facet_statistics.FacetStatistics`) and ``vertices_total`` follow
    exactly; O(len(histogram)) each.
    """

    n_regions: int
    histogram: tuple[tuple[int, int], ...]
    vertex_histogram: tuple[tuple[int, int], ...]
    n_neurons: int

    @property
    def vertices_total(self) -> int:
        """Sum over the regions of their #vertices."""
        return sum(k * c for k, c in self.vertex_histogram)

    def facet_histogram(self) -> dict[int, int]:
        """``{k: count}``, k increasing: the value of :func:`~exactpoly.experiments.stats.complex_histogram`."""
        return dict(self.histogram)


def _sorted_items(c: Counter) -> tuple[tuple[int, int], ...]:
    return tuple(sorted(c.items()))


def statistics_of(regions: Iterable[Region], n_neurons: int) -> StreamStatistics:
    """The statistics of *regions*, consumed one at a time (nothing is kept).

    O(len(regions)) plus sorting the distinct counts.

    >>> from exactpoly import network_from_layers, region_complex
    >>> cx = region_complex(network_from_layers(1, [([[1], [1]], [0, "-1/2"]), ([[1, 1]], [0])]), box=1)
    >>> statistics_of(cx.regions, 2)
    StreamStatistics(n_regions=3, histogram=((2, 3),), vertex_histogram=((2, 3),), n_neurons=2)
    """
    facets: Counter = Counter()
    vertices: Counter = Counter()
    n = 0
    for r in regions:
        n += 1
        facets[len(r.facets)] += 1
        vertices[len(r.points)] += 1
    return StreamStatistics(n, _sorted_items(facets), _sorted_items(vertices), n_neurons)


def merge_statistics(parts: Iterable[StreamStatistics]) -> StreamStatistics:
    """The statistics of the union of disjoint streams (e.g. chunks streamed by different workers).

    Raises
    ------
    DomainError
        Naming ``parts`` when it is empty or the parts count different networks (Γ differs).

    Notes
    -----
    O(total length of the histograms). Merging is associative and commutative: the
    result does not depend on how the regions were chunked.

    >>> a = StreamStatistics(2, ((3, 2),), ((3, 2),), 4)
    >>> b = StreamStatistics(1, ((4, 1),), ((4, 1),), 4)
    >>> merge_statistics([a, b])
    StreamStatistics(n_regions=3, histogram=((3, 2), (4, 1)), vertex_histogram=((3, 2), (4, 1)), n_neurons=4)
    """
    parts = list(parts)
    if not parts:
        raise DomainError("parts: at least one StreamStatistics is needed")
    gammas = {p.n_neurons for p in parts}
    if len(gammas) != 1:
        raise DomainError(f"parts: statistics of different networks (Γ = {sorted(gammas)}) cannot be merged")
    facets: Counter = Counter()
    vertices: Counter = Counter()
    for p in parts:
        facets.update(dict(p.histogram))
        vertices.update(dict(p.vertex_histogram))
    return StreamStatistics(sum(p.n_regions for p in parts), _sorted_items(facets), _sorted_items(vertices),
                            parts[0].n_neurons)


def stream_box(net: ReluNetwork, box: Any) -> Fraction | None:
    """The domain of a stream: B of ``[-B, B]^d`` (``"auto"``: :func:`~.build.auto_box`) or None (R^d).

    Raises DomainError (naming ``box``) as :func:`~.build.parse_box` does. O(1), or
    :func:`~.build.auto_box`'s cost for ``"auto"``.
    """
    if not isinstance(net, ReluNetwork):
        raise TypeError(f"net: expected a ReluNetwork, got {type(net).__name__}")
    B = parse_box(box)
    if isinstance(B, str):
        return auto_box(net)
    return B


def _children(P: Cell, layer: int, maps: list[LayerMaps], d: int, last: bool) -> list[Cell]:
    """The children of *P* in *layer*, in decreasing pattern order (popped from the end: increasing)."""
    kids, _sib, _rows = process_parent(P, layer, maps[layer], d, not last, False)
    kids.sort(key=lambda c: c.pattern, reverse=True)
    return kids


def _descend(P: Cell, layer: int, maps: list[LayerMaps], d: int) -> Iterator[Cell]:
    """The final cells inside *P* (a region of layer ``layer - 1``), depth first, in pattern order."""
    last = layer == len(maps) - 1
    kids = _children(P, layer, maps, d, last)
    del P
    while kids:
        k = kids.pop()  # dropped from the frontier as soon as it is handed on
        if last:
            yield k
        else:
            yield from _descend(k, layer + 1, maps, d)


def _layer_maps(weights, biases) -> list[LayerMaps]:
    """The hidden layers' local-map builders (*weights*, *biases* of the hidden layers only)."""
    return [LayerMaps(w, b) for w, b in zip(weights, biases)]


#: The first layer's split of the domain is cut into about this many pieces (its first
#: hyperplanes, one after the other, until there are this many cells), each then cut by
#: the remaining hyperplanes and streamed on its own: the unit of work of a worker. A
#: constant, so the order of the stream does not depend on the number of workers.
FIRST_LAYER_PIECES = 256


class _StreamPlan:
    """The first layer's split of the domain, cut into pieces (made once; inherited by forked
    workers, sent once to each Dask worker)."""

    def __init__(self, net: ReluNetwork, B: Fraction | None, sink: RegionSink | None) -> None:
        L = net.n_hidden_layers
        self.weights, self.biases, self.d = net.weights[:L], net.biases[:L], net.input_dim
        self.n_neurons = sum(net.hidden_widths)
        self.sink = sink
        root = root_cell(net.input_dim, B)
        if root.gens.rays or root.gens.lines:  # R^d: one piece, the domain
            self.plan, self.pieces, self.t = None, [root], 0
            return
        plan, first = plan_split(root, 0, LayerMaps(self.weights[0], self.biases[0]), self.d)
        pieces, t, K = [first], 0, len(plan.keys)
        while t < K and len(pieces) < FIRST_LAYER_PIECES:
            pieces = cut_cells(plan, pieces, t, t + 1)
            t += 1
        self.plan, self.pieces, self.t = plan, pieces, t

    def final_cells(self, start: int, stop: int) -> Iterator[Cell]:
        """The final cells inside pieces ``start:stop``, in the stream order (see :func:`iter_final_regions`)."""
        maps = _layer_maps(self.weights, self.biases)
        last = len(maps) == 1
        plan = self.plan
        for i in range(start, stop):
            if plan is None:
                kids = _children(self.pieces[i], 0, maps, self.d, last)
                while kids:
                    k = kids.pop()
                    yield from ((k,) if last else _descend(k, 1, maps, self.d))
            else:
                for k in _cut_depth_first(plan, self.pieces[i], self.t, len(plan.keys), not last):
                    yield from ((k,) if last else _descend(k, 1, maps, self.d))


#: Hyperplanes a first-layer cell is cut by before its pieces are taken on one by one
#: (:func:`_cut_depth_first`): a cut cell carries every cutting row's value at each of its
#: vertices until it is finished, so they are finished in small batches.
CUT_STEP = 8


def _cut_depth_first(plan, cell: Cell, t: int, K: int, need_map: bool) -> Iterator[Cell]:
    """The finished first-layer regions inside *cell* (cut by the plan's hyperplanes ``:t``),
    depth first: cut by the next :data:`CUT_STEP` hyperplanes, then each piece in turn.

    The same cells as ``finish_cells(plan, cut_cells(plan, [cell], t, K))``, in the same
    order (:func:`~.split.cut_cells` replaces each cell by its pieces in place), with only
    one batch per level alive. O(the cuts) plus one kernel scan per level.
    """
    stop = min(t + CUT_STEP, K)
    cells = cut_cells(plan, [cell], t, stop)
    if stop == K:
        yield from finish_cells(plan, cells, need_map)
        return
    cells.reverse()
    while cells:
        yield from _cut_depth_first(plan, cells.pop(), stop, K, need_map)


def iter_final_regions(net: ReluNetwork, box: Any = 1) -> Iterator[Region]:
    """The regions of *net*, one at a time, in bounded memory, in the stream order.

    Parameters
    ----------
    net : ReluNetwork
    box : rational, "auto" or None
        As in :func:`~exactpoly.complex.region_complex`.

    Yields
    ------
    Region
        Each region of ``region_complex(net, box).regions`` exactly once, equal to it
        (the same pattern, facets, vertices, rays and lines; simplices and volume are
        computed on first use, as there). The *stream order* (see the module): first-layer
        regions in the order of the split, deeper children in pattern order; sorted by
        pattern they are ``region_complex(net, box).regions``. The order depends on
        nothing but *net* and *box*.

    Notes
    -----
    Depth first: alive at any time are a few batches of the first layer's split (cut
    :data:`CUT_STEP` hyperplanes at a time) and, per deeper layer, the remaining children
    of one parent, so memory is bounded by these frontiers, not by the complex. The same
    splits as :func:`~exactpoly.complex.region_complex` (serial, no adjacency): the same
    cost minus the adjacency join and the triangulations.

    Examples
    --------
    >>> from exactpoly.network import network_from_layers
    >>> net = network_from_layers(1, [([[1], [1]], [0, "-1/2"]), ([[1, 1]], [0])])
    >>> [(r.pattern_string, r.vertices) for r in iter_final_regions(net, box=1)]  # doctest: +NORMALIZE_WHITESPACE
    [('11', ((Fraction(1, 2),), (Fraction(1, 1),))),
     ('10', ((Fraction(0, 1),), (Fraction(1, 2),))),
     ('00', ((Fraction(-1, 1),), (Fraction(0, 1),)))]
    >>> from exactpoly import region_complex
    >>> sorted(iter_final_regions(net, box=1), key=lambda r: r.pattern) == list(region_complex(net, box=1).regions)
    True
    """
    with cyclic_gc_paused():
        plan = _StreamPlan(net, stream_box(net, box), None)
        for c in plan.final_cells(0, len(plan.pieces)):
            yield region_of(c)


def _cell_statistics(cells: Iterable[Cell], n_neurons: int) -> StreamStatistics:
    """:func:`statistics_of` the regions of final *cells*, without making the Regions
    (a Region has one facet per cell facet and one vertex per cell point, :func:`~.workers.region_of`)."""
    facets: Counter = Counter()
    vertices: Counter = Counter()
    n = 0
    for c in cells:
        n += 1
        facets[len(c.facets)] += 1
        vertices[len(c.gens.points)] += 1
    return StreamStatistics(n, _sorted_items(facets), _sorted_items(vertices), n_neurons)


class RegionSink(Protocol):
    """Where :func:`stream_statistics` hands every final region besides the statistics (e.g. a file).

    ``open(chunk)`` is called in the worker that streams piece number ``chunk`` (pieces
    are numbered in stream order) and returns a context manager whose value is called with each
    final region of the chunk, in order. A sink must be picklable (it travels to Dask
    workers), e.g. :class:`exactpoly.io.stream.JsonlRegionSink`.
    """

    def open(self, chunk: int) -> Any: ...


def _tee(cells: Iterator[Cell], put: Callable[[Region], Any]) -> Iterator[Cell]:
    for c in cells:
        put(region_of(c))
        yield c


def _stream_chunk(state: _StreamPlan, chunk: int, start: int, stop: int) -> StreamStatistics:
    """Worker entry point (processes or Dask): stream the pieces ``start:stop`` of the first layer."""
    with cyclic_gc_paused():
        cells = state.final_cells(start, stop)
        if state.sink is None:
            return _cell_statistics(cells, state.n_neurons)
        with state.sink.open(chunk) as put:
            return _cell_statistics(_tee(cells, put), state.n_neurons)


def stream_statistics(net: ReluNetwork, box: Any = 1, *, workers: int | None = 1, scheduler: str | None = None,
                      sink: RegionSink | None = None,
                      progress: Callable[[int, int, int], None] | None = None) -> StreamStatistics:
    """The exact statistics of the regions of *net*, streamed in bounded memory.

    Parameters
    ----------
    net : ReluNetwork
    box : rational, "auto" or None
        As in :func:`~exactpoly.complex.region_complex`.
    workers : int or None
        Local processes (1: serial, the default; None: all cores).
    scheduler : str, optional
        Address of a Dask distributed scheduler (``tcp://HOST:PORT``) whose workers
        stream the chunks instead of local processes (docs/howto-dask.md).
    sink : RegionSink, optional
        Also hand every final region to this sink (e.g. JSON lines on disk), piece by piece
        (chunk ``i`` of the sink is piece ``i``).
    progress : callable, optional
        ``progress(pieces_done, pieces_total, regions_so_far)`` after each piece, in order.

    Returns
    -------
    StreamStatistics
        Identical whatever *workers* or *scheduler*: equal to :func:`statistics_of`
        ``(region_complex(net, box).regions)``.

    Notes
    -----
    The first layer's split of the domain is cut here into :data:`FIRST_LAYER_PIECES`
    pieces (its first hyperplanes); each piece is one task: a worker cuts it by the
    remaining hyperplanes and streams its regions depth first through the deeper layers
    (:func:`iter_final_regions`), counting them; the tasks' statistics are merged
    (:func:`merge_statistics`). Peak memory per worker: one path of frontiers. Time: the splits of
    :func:`~exactpoly.complex.region_complex`, without adjacency or triangulations.

    Examples
    --------
    >>> from exactpoly.network import random_network
    >>> from exactpoly import region_complex
    >>> net = random_network("2-5-5-1", seed=3)
    >>> s = stream_statistics(net, box=1)
    >>> s == statistics_of(region_complex(net, box=1).regions, 10), s.n_regions
    (True, 49)
    """
    with cyclic_gc_paused():
        state = _StreamPlan(net, stream_box(net, box), sink)
    gamma = state.n_neurons
    with cyclic_gc_paused(), make_runner(workers, scheduler) as runner:
        chunks = [(i, i + 1) for i in range(len(state.pieces))]
        tasks = [(i, a, b) for i, (a, b) in enumerate(chunks)]
        results = runner.map_shared(_stream_chunk, state, tasks)
        parts: list[StreamStatistics] = []
        total = 0
        for part in results:
            parts.append(part)
            total += part.n_regions
            if progress is not None:
                progress(len(parts), len(tasks), total)
        if not parts:
            return StreamStatistics(0, (), (), gamma)
        return merge_statistics(parts)
