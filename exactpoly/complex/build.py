"""Building a region complex: :func:`region_complex`, :func:`auto_box` and the layer loop.

``docs/conventions.md`` §1 "Activation region": layer 0 has one region, the open domain
(the open box ``(-B, B)^d`` or R^d). For a region R of layer l-1 every neuron of layer l
has an affine pre-activation on R. A neuron whose pre-activation is identically zero on
R is *off* there and cuts nothing; the other neurons' hyperplanes cut R, and the regions
of layer l inside R are the non-empty open cells of that arrangement. The regions of the
network are those of the last hidden layer; lower-dimensional pieces are never regions.

The layer loop (:func:`build_cells`) hands each parent to :mod:`~exactpoly.complex.split`
(the per-parent split), runs the parents on :mod:`~exactpoly.complex.workers` when asked,
and joins adjacency with :mod:`~exactpoly.complex.adjacency`.

Examples
--------
>>> from exactpoly.network import network_from_layers
>>> net = network_from_layers(2, [([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [0])])
>>> cx = region_complex(net, box=1)
>>> [r.pattern_string for r in cx.regions]
['00', '01', '10', '11']
>>> cx.n_regions, cx.graph.number_of_edges(), cx.volume_total
(4, 4, Fraction(4, 1))
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from fractions import Fraction
from functools import partial
from itertools import combinations, product

from ..errors import DomainError
from ..geometry.dd import Generators, generators_of
from ..geometry.linalg import integer_rank, primitive
from ..geometry.polyhedron import box_rows, point_fractions
from ..geometry.rows import IntRow, dot, hyperplane_key, negated
from ..geometry.triangulation import small_integer_determinant
from ..network import ReluNetwork
from ..parallel import make_runner
from ..rational import MAX_DIGITS_VARIABLE, format_fraction, to_fraction
from ..settings import positive_int_setting
from ._kernels_py import FacetData
from .adjacency import FacetJoin, join_across_parents, match_facets, renumbered
from .local_maps import LayerMaps, identity_map
from .regions import Region, RegionComplex
from .split import Cell, finish_cell, process_parent, set_facets
from .workers import (
    ChunkState,
    pack,
    public_label_tuples,
    region_of,
    report_piece,
    split_parent_in_pieces,
    unpack_children,
    work_chunk,
)

__all__ = ["region_complex", "auto_box", "box_threshold", "parse_box", "parse_fixed_box", "cyclic_gc_paused",
           "build_cells", "root_cell", "box_facets", "box_generators", "max_box_dim", "DEFAULT_MAX_BOX_DIM"]


def root_cell(d: int, B: Fraction | None) -> Cell:
    """Layer 0's one region: the open box ``(-B, B)^d`` with its wall labels, or R^d
    (``B=None``), with its generators and vertex values. O(2^d) for a box."""
    if B is None:
        root = Cell((), [], [], generators_of([], d), identity_map(d))
        finish_cell(root, d)
        return root
    br = box_rows(B, d)
    rows0 = [r for r, _ in br]
    root = Cell((), rows0, [frozenset([("w", j, s)]) for _, (j, s) in br], box_generators(B, d), identity_map(d))
    set_facets(root, box_facets(br, root.gens.points))
    return root


def box_generators(B: Fraction, d: int) -> Generators:
    """The 2^d vertices of the box ``[-B, B]^d`` in lexicographic order, homogeneous and
    primitive ``(q, ±p, ..., ±p)`` for ``B = p/q``: the double description's vertices in closed
    form (their order does not matter: the regions' vertices are sorted, docs/conventions.md).
    O(2^d d).

    >>> box_generators(Fraction(3, 2), 2).points
    ((2, -3, -3), (2, -3, 3), (2, 3, -3), (2, 3, 3))
    """
    p, q = B.numerator, B.denominator
    return Generators(tuple((q, *signs) for signs in product((-p, p), repeat=d)), (), ())


def box_facets(br: list[tuple[IntRow, tuple[int, int]]], points: tuple[IntRow, ...]) -> list[FacetData]:
    """The facets of the box ``[-B, B]^d`` (rows *br* of :func:`box_rows`, homogeneous vertices
    *points*) as :func:`~exactpoly.geometry.polyhedron.facets_of` gives them, in closed form:
    every wall is a facet, its vertices are those with ``x_j = ±B`` (two terms of the row,
    no rank test). O(2^d d) instead of O(2^d d^2) and d + 1 ranks.

    >>> from fractions import Fraction
    >>> from exactpoly.geometry.dd import generators_of
    >>> br = box_rows(Fraction(1), 1)
    >>> box_facets(br, generators_of([r for r, _ in br], 1).points)
    [((1, -1), frozenset({('w', 0, 1)}), frozenset({0}), frozenset()), ((1, 1), frozenset({('w', 0, -1)}), \
frozenset({1}), frozenset())]
    """
    out: list[FacetData] = []
    for row, (j, side) in sorted(br):
        b, a = row[0], row[1 + j]
        out.append((row, frozenset([("w", j, side)]),
                    frozenset([i for i, p in enumerate(points) if b * p[0] + a * p[1 + j] == 0]), frozenset()))
    return out


def build_cells(net: ReluNetwork, B: Fraction | None,
                progress: Callable[[int, int, int, int], None] | None = None, runner=None,
                join: FacetJoin | None = None):
    """Layer-by-layer subdivision. Returns (cells, edges, history, volume).

    ``volume`` is the exact total volume when workers finished every final region
    and summed their volumes (else None: the caller sums). ``edges`` maps ``(i, j)``
    with ``i < j`` (indices into cells) to
    ``(hyperplane key, neuron labels)`` of the shared face (R^d only; a box complex
    joins facets at the end). With a *runner* (see :mod:`exactpoly.parallel`) the
    parents of a layer are split in chunks by other processes (:func:`_split_in_chunks`)
    or, when there are few, each cut into pieces that the workers finish
    (:func:`_split_in_pieces`); the result is identical to the serial one
    (:func:`_split_serially`).
    """
    d = net.input_dim
    track = B is None  # R^d: adjacency layer by layer; a box: by identical facets at the end
    cells = [root_cell(d, B)]
    edges: dict[tuple[int, int], tuple[IntRow, frozenset]] = {}
    history = [1]

    volumes: list[tuple[int, Fraction]] = []  # (regions, their volume) from the workers
    for layer in range(net.n_hidden_layers):
        volumes.clear()
        last = layer == net.n_hidden_layers - 1
        collect = _Collector(join if last else None)
        if runner is not None and runner.is_parallel and len(cells) >= runner.min_parents:
            _split_in_chunks(net, layer, cells, collect, runner, track, progress, volumes)
        elif runner is not None and runner.is_parallel and runner.inherits_state and B is not None:
            _split_in_pieces(net, layer, cells, collect, runner, progress, volumes)
        else:
            _split_serially(net, layer, cells, collect, track, progress)
        if track:
            join_across_parents(cells, edges, collect.cells, collect.children_of, collect.layer_rows, collect.edges)
        cells, edges = collect.cells, collect.edges
        history.append(len(cells))
    volume = None
    if B is not None and sum(k for k, _v in volumes) == len(cells):
        volume = sum((v for _k, v in volumes), Fraction(0))
    return cells, edges, history, volume


def _split_serially(net: ReluNetwork, layer: int, cells: list[Cell], collect: _Collector, track: bool,
                    progress: Callable[[int, int, int, int], None] | None) -> None:
    """Split every parent of *layer* here, in order."""
    maps = LayerMaps(net.weights[layer], net.biases[layer])
    need_map = layer < net.n_hidden_layers - 1
    d = net.input_dim
    for pidx, P in enumerate(cells):
        collect(*process_parent(P, layer, maps, d, need_map, track))
        if progress is not None:
            progress(layer, pidx + 1, len(cells), len(collect.cells))


def _split_in_chunks(net: ReluNetwork, layer: int, cells: list[Cell], collect: _Collector, runner, track: bool,
                     progress: Callable[[int, int, int, int], None] | None,
                     volumes: list[tuple[int, Fraction]]) -> None:
    """Split the parents of *layer* in chunks on the runner's workers (:func:`~.workers.work_chunk`)."""
    chunks = runner.chunks(len(cells))
    last = layer == net.n_hidden_layers - 1
    parents = cells if runner.inherits_state else [pack(c) for c in cells]
    state = ChunkState(layer, net.weights[layer], net.biases[layer], net.input_dim, parents, last, track,
                       net.neuron_offsets[1:layer])
    for (_a, b), (result, volume) in zip(chunks, runner.map_shared(work_chunk, state, chunks)):
        if volume is not None:
            volumes.append((sum(len(r.children) for r in result), volume))
        for packed_kids, sib, lrows, shared in result:
            collect(unpack_children(packed_kids, shared), sib, lrows)
        if progress is not None:
            progress(layer, b, len(cells), len(collect.cells))


def _split_in_pieces(net: ReluNetwork, layer: int, cells: list[Cell], collect: _Collector, runner,
                     progress: Callable[[int, int, int, int], None] | None,
                     volumes: list[tuple[int, Fraction]]) -> None:
    """Few bounded parents (the first layer has one: the box): cut each into pieces here,
    then the workers finish the pieces; concatenated in order they are the serial
    children (see :func:`~.split.cut_cells`)."""
    maps = LayerMaps(net.weights[layer], net.biases[layer])
    last = layer == net.n_hidden_layers - 1
    n_parents = len(cells)
    for pidx, P in enumerate(cells):
        base = len(collect.cells)
        on_piece = None if progress is None else partial(report_piece, progress, layer, pidx, n_parents, base)
        kids = split_parent_in_pieces(P, layer, maps, net.input_dim, last, runner, on_piece, volumes)
        collect(kids, [], None)
        if progress is not None:
            progress(layer, pidx + 1, n_parents, len(collect.cells))


class _Collector:
    """One layer's children, sibling edges and (R^d) local rows, appended parent by parent."""

    def __init__(self, join: FacetJoin | None = None) -> None:
        self.cells: list = []
        self.children_of: list[list[int]] = []
        self.edges: dict[tuple[int, int], tuple[IntRow, frozenset]] = {}
        self.layer_rows: list[list[IntRow]] = []
        self.join = join  # fed the finished regions (the last layer's, from workers)

    def __call__(self, kids: list, sib, lrows: list[IntRow] | None) -> None:
        base = len(self.cells)
        self.cells.extend(kids)
        if self.join is not None and kids and isinstance(kids[0], Region):
            self.join.add(kids)
        if lrows is not None:  # only R^d complexes track adjacency layer by layer
            self.children_of.append(list(range(base, base + len(kids))))
            self.layer_rows.append(lrows)
        for t1, t2, key, labs in sib:
            self.edges[(base + t1, base + t2)] = (key, labs)


def parse_box(box) -> Fraction | None | str:
    """The domain argument of :func:`region_complex` checked: a positive Fraction B, ``"auto"`` or None (R^d).

    Raises
    ------
    DomainError
        Naming ``box`` when it is not a positive rational, ``"auto"`` or None, or when
        it is beyond the size limit on exact numbers (:func:`~exactpoly.rational.max_digits`;
        the message says which limit and quotes at most a short prefix of *box*).

    Notes
    -----
    O(size of *box*); its size is checked before any big arithmetic.

    Examples
    --------
    >>> parse_box("3/2"), parse_box(" AUTO "), parse_box(None)
    (Fraction(3, 2), 'auto', None)
    >>> parse_box("1e999999")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    exactpoly.errors.DomainError: box: '1e999999' is too large: its exponent is beyond +-4300; ...
    """
    if box is None:
        return None
    if isinstance(box, str) and box.strip().lower() == "auto":
        return "auto"
    try:
        B = to_fraction(box, name="box")
    except ValueError as e:  # NumberError: its message names box and the problem (or the size limit)
        hint = "" if MAX_DIGITS_VARIABLE in str(e) else "; box must be a positive rational, 'auto' or None"
        raise DomainError(f"{e}{hint}") from e
    if B <= 0:
        raise DomainError(f"box: the half-width B must be positive, got {format_fraction(B)}")
    return B


def parse_fixed_box(box, needed_by: str) -> Fraction:
    """:func:`parse_box` for callers that need one fixed box ``[-B, B]^d``: the positive Fraction B.

    *needed_by* names the caller with its verb (``"sampling needs"``) in the messages. O(1).

    Raises
    ------
    DomainError
        Naming ``box`` when it is ``"auto"``, None (R^d) or not a positive rational.

    >>> parse_fixed_box("3/2", "sampling needs")
    Fraction(3, 2)
    >>> parse_fixed_box("auto", "sampling needs")
    Traceback (most recent call last):
    exactpoly.errors.DomainError: box: sampling needs a fixed box [-B, B]^d (a positive rational), got 'auto'
    """
    if isinstance(box, str) and box.strip().lower() == "auto":
        raise DomainError(f"box: {needed_by} a fixed box [-B, B]^d (a positive rational), got 'auto'")
    B = parse_box(box)
    if not isinstance(B, Fraction):
        raise DomainError(f"box: {needed_by} a bounded domain (a positive rational)")
    return B


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while the complex is built.

    The build allocates millions of long-lived tuples; each full collection walks
    all of them, which cost about a third of a build's time (``docs/performance.md``).
    The engine makes no reference cycles, so reference counting frees everything in
    time; the collector's previous state is restored on exit. Forked workers inherit the pause.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def region_complex(net: ReluNetwork, box=1, *,
                   progress: Callable[[int, int, int, int], None] | None = None,
                   workers: int | None = 1, scheduler: str | None = None) -> RegionComplex:
    """The exact region complex of *net* on ``[-B, B]^d`` or on R^d.

    Parameters
    ----------
    net : ReluNetwork
    box : rational, "auto" or None
        B for the box ``[-B, B]^d`` (anything :func:`~exactpoly.rational.to_fraction`
        reads, e.g. ``1``, ``"3/2"``); ``"auto"`` for :func:`auto_box`; ``None``
        for all of R^d.
    progress : callable, optional
        Called as ``progress(layer, parents_done, parents_total, regions_so_far)``
        after each parent region (or chunk of parents) is split.
    workers : int or None
        Number of local processes (1: serial, the default; None: all cores). The
        parents of each layer are split in chunks; the result is identical.
    scheduler : str, optional
        Address of a Dask distributed scheduler (``tcp://HOST:PORT``) to run the
        chunks on instead of local processes.

    Returns
    -------
    RegionComplex

    Notes
    -----
    Layer by layer (docs/conventions.md): each parent region's local pre-activations are
    affine functions (integer numerators over one denominator per layer, updated
    from the previous parent's by outer products, :class:`LayerMaps`); a neuron whose
    hyperplane does not cut the parent is classified by the exact signs of its
    row at the parent's vertices; the cutting hyperplanes (coincident ones merged)
    split the parent one after the other. In a box every polytope is split
    combinatorially, with no LP and no double description: vertices are classified
    by exact sign, new vertices are made on the crossing edges, facets follow from
    the vertex-facet incidences (:func:`split_polytope`); adjacency is a hash join
    on facet vertex sets (:func:`match_facets`). On R^d a pointed region is split the
    same way in cone form (vertices ``(1, v)`` and rays ``(0, r)`` are the generators of
    a pointed cone, :func:`~exactpoly.complex.split._to_cone`); only a region that
    contains a line is split by one exact double description (``cdd.gmp``) per child.
    Adjacency is tracked layer by layer (siblings by sign vectors; children of
    adjacent parents by equal facet vertices and rays, or one exact feasibility test
    when a region contains a line). Cost: O(sum over splits of |V+| |V-| m)
    integer operations for regions with V generators and m facets, i.e. roughly
    linear in the number of regions times their facets. With *workers* > 1 a layer
    with many parents is split in chunks of parents, and one with few (the first
    layer: the box) is cut into pieces that the workers finish.

    Examples
    --------
    >>> from exactpoly.network import network_from_layers
    >>> net = network_from_layers(1, [([[1], [1]], [0, "-1/2"]), ([[1, 1]], [0])])
    >>> cx = region_complex(net, box=1)
    >>> [(r.pattern_string, r.vertices) for r in cx.regions]   # doctest: +NORMALIZE_WHITESPACE
    [('00', ((Fraction(-1, 1),), (Fraction(0, 1),))),
     ('10', ((Fraction(0, 1),), (Fraction(1, 2),))),
     ('11', ((Fraction(1, 2),), (Fraction(1, 1),)))]
    """
    if not isinstance(net, ReluNetwork):
        raise TypeError(f"net: expected a ReluNetwork, got {type(net).__name__}")
    parsed = parse_box(box)
    if parsed is not None:
        _check_box_vertices(net.input_dim)
    with cyclic_gc_paused(), make_runner(workers, scheduler) as runner:
        B = _auto_box(net, runner) if isinstance(parsed, str) else parsed
        join = FacetJoin() if B is not None else None
        cells, edges, history, volume = build_cells(net, B, progress, runner, join)
        keys = [bytes(c.pattern) for c in cells]  # patterns are bits: bytes order is tuple order
        order = sorted(range(len(cells)), key=keys.__getitem__)
        del keys
        regions = tuple([c if isinstance(c, Region) else region_of(c) for c in map(cells.__getitem__, order)])
        new_index = [0] * len(order)
        for new, old in enumerate(order):
            new_index[old] = new
        if B is None:  # adjacency was tracked layer by layer
            out_edges = sorted([renumbered(new_index, a, b, public_label_tuples(labs)[0])
                                for (a, b), (_key, labs) in edges.items()])
        elif join is not None and len(join.regions) == len(cells):
            # joined while the workers finished the regions: renumber in pattern order
            out_edges = sorted([renumbered(new_index, a, b, neurons) for a, b, neurons in join.edges()])
        else:
            out_edges = match_facets(regions)
    return RegionComplex(net, B, regions, tuple(out_edges), tuple(history), volume)


DEFAULT_MAX_BOX_DIM = 20
"""Largest input dimension of a box complex by default: the box ``[-B, B]^d`` has 2^d vertices,
and the engine lists every vertex exactly (:func:`max_box_dim`)."""


def max_box_dim() -> int:
    """The largest input dimension of a box complex: ``EXACTPOLY_MAX_BOX_DIM`` when set to a
    positive integer, else 20 (the box then has 2^20 vertices)."""
    return positive_int_setting("EXACTPOLY_MAX_BOX_DIM", DEFAULT_MAX_BOX_DIM)


def _check_box_vertices(d: int) -> None:
    limit = max_box_dim()
    if d > limit:
        raise DomainError(f"box: the box [-B, B]^{d} has 2^{d} vertices, which this engine would list one by one; "
                          f"box complexes are limited to input dimension {limit} (EXACTPOLY_MAX_BOX_DIM)")


def auto_box(net: ReluNetwork) -> Fraction:
    """The smallest box half-width B for which the box complex has the same regions as R^d.

    Returns the smallest positive integer B such that every minimal face of the R^d
    complex meets the open box ``(-B, B)^d`` (docs/conventions.md, "The box"): every
    vertex lies strictly inside it and, when the regions contain lines (the first
    layer has rank < d), every minimal face (a vertex plus the lines) meets it. Then
    every face meets it, every region too, and region counts agree. For a minimal
    face with a line the exact minimum t of ``max_i |x_i|`` over it is computed, and
    it meets the open box iff ``t < B``.

    Notes
    -----
    One hidden layer whose hyperplanes' normals span R^d: O(C(m, d) d^3) from the
    arrangement alone (:func:`_one_layer_threshold`). Otherwise the R^d complex is built
    (see :func:`region_complex`), plus one exact double description in dimension d + 1
    per minimal face of each region without a vertex (:func:`_min_sup_norm`).

    Examples
    --------
    >>> from exactpoly.network import network_from_layers
    >>> net = network_from_layers(2, [([[1, 0], [0, 1], [1, 1]], [-3, 0, "1/2"]), ([[1, 1, 1]], [0])])
    >>> auto_box(net)   # vertices (3, 0), (3, -7/2), (-1/2, 0)
    Fraction(4, 1)
    >>> auto_box(network_from_layers(2, [([[1, 0]], [5]), ([[1]], [0])]))  # x > -5 and x < -5 meet (-6, 6)^2
    Fraction(6, 1)
    """
    with make_runner(1) as runner:
        return _auto_box(net, runner)


def box_threshold(net: ReluNetwork) -> Fraction:
    """The exact threshold t of the box: every minimal face of the R^d complex meets the open
    box ``(-B, B)^d`` iff ``B > t`` (docs/conventions.md, "The box").

    t is the largest, over the minimal faces of the R^d complex, of the smallest
    ``max_i |x_i|`` on the face: the largest absolute coordinate of a vertex, and for a
    minimal face with a line (regions without a vertex) the exact minimum of the sup
    norm over it. :func:`auto_box` is ``floor(t) + 1``, the smallest integer above t.
    For a box B, ``B > box_threshold(net)`` is the hypothesis "B large enough" of the
    paper's Lemma 1 and Theorems 4, 8-12 (:mod:`exactpoly.theory.bounds`).

    Notes
    -----
    The cost of :func:`auto_box`: O(C(m, d) d^3) for one hidden layer whose normals span
    R^d, else one R^d complex plus one exact double description in dimension d + 1 per
    minimal face with a line.

    Examples
    --------
    >>> from exactpoly.network import network_from_layers
    >>> net = network_from_layers(2, [([[1, 0], [0, 1], [2, 2]], [-3, 0, 1]), ([[1, 1, 1]], [0])])
    >>> box_threshold(net), auto_box(net)   # vertices (3, 0), (3, -7/2), (-1/2, 0)
    (Fraction(7, 2), Fraction(4, 1))
    >>> box_threshold(network_from_layers(2, [([[1, 0]], [5]), ([[1]], [0])]))  # the line x = -5
    Fraction(5, 1)
    """
    with make_runner(1) as runner:
        return _box_threshold(net, runner)


def _one_layer_threshold(net: ReluNetwork) -> Fraction | None:
    """box_threshold of a one-hidden-layer net from its arrangement alone; None if not essential.

    The R^d complex of one hidden layer is the arrangement of the (non-dead) neurons'
    hyperplanes. When their normals span R^d every region is pointed, so the largest
    coordinate over all region vertices is the largest over the points where d
    hyperplanes with independent normals meet (each such point is a 0-dimensional
    face, hence a vertex of every region at it); solved by Cramer's rule in integers.
    O(C(m, d) d^3) for m distinct hyperplanes.
    """
    d = net.input_dim
    keys = set()
    for w, b in zip(net.weights[0], net.biases[0]):
        if any(w):
            keys.add(hyperplane_key(primitive([b, *w]))[0])
    rows = sorted(keys)
    if integer_rank([r[1:] for r in rows]) < d:
        return None
    best = Fraction(0)
    for combo in combinations(rows, d):
        A = [list(r[1:]) for r in combo]
        den = abs(small_integer_determinant(A))
        if den == 0:
            continue
        for j in range(d):
            Aj = [r[:j] + [-c[0]] + r[j + 1:] for r, c in zip(A, combo)]
            num = abs(small_integer_determinant(Aj))
            if num * best.denominator > best.numerator * den:
                best = Fraction(num, den)
    return best


def _auto_box(net: ReluNetwork, runner) -> Fraction:
    """:func:`auto_box` with the R^d complex built on *runner*: ``floor(t) + 1``."""
    return Fraction(int(_box_threshold(net, runner)) + 1)


def _box_threshold(net: ReluNetwork, runner) -> Fraction:
    """:func:`box_threshold` with the R^d complex built on *runner*."""
    if net.n_hidden_layers == 1:
        t = _one_layer_threshold(net)
        if t is not None:
            return t
    d = net.input_dim
    cells, _edges, _h, _v = build_cells(net, None, None, runner)
    vertex_max = Fraction(0)  # largest |coordinate| of a vertex
    line_min = Fraction(0)  # largest minimum of the sup norm over a minimal face with a line
    for c in cells:
        g = c.gens
        if g.lines or not g.points:  # no vertex: g.points are points of minimal faces, not vertices
            for p in g.points:  # the minimal face through p: the closure with its rows tight at p made equalities
                face = c.rows + [negated(r) for r in c.rows if dot(r, p) == 0]
                line_min = max(line_min, _min_sup_norm(face, d))
        else:
            for p in g.points:
                for x in point_fractions(p):
                    vertex_max = max(vertex_max, abs(x))
    return max(vertex_max, line_min)


def _min_sup_norm(rows: list[IntRow], d: int) -> Fraction:
    """The exact minimum of ``max_i |x_i|`` over the polyhedron ``rows >= 0`` in R^d (non-empty).

    With t for the maximum, ``Q = {(x, t) : rows(x) >= 0, t - x_i >= 0, t + x_i >= 0}``
    has no line (t and x are fixed along one) and t >= 0 on it, so t attains its minimum
    at a vertex of Q. O(one ``cdd.gmp`` double description in dimension d + 1 with
    len(rows) + 2d rows).

    >>> _min_sup_norm([(-5, -1, 0)], 2)   # x <= -5: the closest points to 0 have |x| = 5
    Fraction(5, 1)
    """
    lifted = [(*r, 0) for r in rows]
    for i in range(1, d + 1):
        for sign in (1, -1):
            lifted.append(tuple(sign if j == i else 0 for j in range(d + 1)) + (1,))  # t + sign*x_i >= 0
    return min(Fraction(p[-1], p[0]) for p in generators_of(lifted, d + 1).points)
