"""The Section IV constructions of arXiv 2305.09145 as exact networks.

Section IV of Fan et al. builds networks whose polytopes are complicated:

* **maximum #faces** (eqs. (4)-(7), Fig. 3): one polytope whose number of facets
  equals the number of neurons. :func:`maximum_faces_network` starts from a simplex
  cut out by d + 1 first-layer neurons and lets every further neuron (of any layer)
  cut off one vertex of the current polytope Ω; a neuron of layer l >= 2 realises
  its cut as an affine combination of d neurons of layer l - 1, which are all active
  on Ω — the linear system (7) of the paper.
* **average #faces** (eqs. (1)-(3), Fig. 2): a cone of n first-layer hyperplanes
  through one apex, cut by m second-layer neurons with large weights μ on the
  cone's neurons. :func:`average_faces_network` realises eq. (3) in R^d (d >= 3):
  the cone ``K = {x_d > s max_i a_i·x'}`` (n rational unit normals ``a_i``), an axis
  neuron ``ReLU(x_d)`` active in K, and ``y_k = ReLU(z_axis - k/(m+1) - μ Σ_i z_i)``.
  Inside K every ``z_i`` is 0, so ``y_k`` cuts K at ``x_d = k/(m+1)`` into m + 1
  slices with n + 2 facets (the tip: n + 1) for every μ > 0.

What the exact computation shows (see ``docs/table1.md``): the maximum construction
reaches #facets = #neurons exactly; in the average construction the second-layer
hyperplanes also cut thin *slivers* off every region that touches the upper part of
the cone, for every finite μ. Their volume is O(1/μ), but they are regions, so the
exact average #facets does not depend on μ at all and does not approach n; the
paper's count ``(n m + c1)/(c2 + m)`` holds only in the limit μ = ∞.

Examples
--------
>>> from exactpoly.complex import region_complex
>>> c = maximum_faces_network((3, 2))           # a triangle, two corners cut off
>>> cx = region_complex(c.network, box=c.box)
>>> [r.n_facets for r in c.regions(cx)], c.expected_facets
([5], (5,))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..errors import DomainError
from ..geometry.linalg import primitive
from ..geometry.polyhedron import polyhedron_from_rows
from ..network import ReluNetwork, network_from_layers
from ..rational import to_fraction

__all__ = ["Construction", "average_faces_network", "maximum_faces_network", "rational_circle_points"]

# one ``(weight, bias)`` pair of :func:`~exactpoly.network.network_from_layers`
_Layer = tuple[Sequence[Sequence[Fraction | int]], Sequence[Fraction | int]]


@dataclass(frozen=True)
class Construction:
    """An exact network from Section IV with its distinguished regions.

    Attributes
    ----------
    name : str
        ``"maximum_faces"`` or ``"average_faces"``.
    network : ReluNetwork
    box : Fraction
        A box half-width B for which the construction works as described.
    parameters : tuple of (str, value)
        The parameters it was built from.
    patterns : tuple of tuple of int
        Activation patterns of the distinguished regions (the complicated polytope;
        the cone's slices from the tip up).
    expected_facets : tuple of int
        Their numbers of facets.
    """

    name: str
    network: ReluNetwork
    box: Fraction
    parameters: tuple[tuple[str, Any], ...]
    patterns: tuple[tuple[int, ...], ...]
    expected_facets: tuple[int, ...]

    def regions(self, complex: Any) -> list:
        """The distinguished regions of a complex of :attr:`network` (KeyError if missing)."""
        return [complex.region_of_pattern(p) for p in self.patterns]


def _check_int(value: Any, name: str, least: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise DomainError(f"{name}: expected an int >= {least}, got {value!r}")
    return value


def rational_circle_points(count: int) -> list[tuple[Fraction, Fraction]]:
    """*count* >= 3 distinct rational points on the unit circle around the origin.

    ``((1 - t^2)/(1 + t^2), 2t/(1 + t^2))`` for ``t_k = (2k + 1 - count)/(count/2)``:
    angles spread over more than 180 degrees with gaps below 180 degrees, so the origin
    is inside their convex hull and every point is a vertex of it.

    >>> rational_circle_points(3)
    [(Fraction(-7, 25), Fraction(-24, 25)), (Fraction(1, 1), Fraction(0, 1)), (Fraction(-7, 25), Fraction(24, 25))]
    """
    count = _check_int(count, "count", 3)
    out = []
    for k in range(count):
        t = Fraction(2 * k + 1 - count) / Fraction(count, 2)
        out.append(((1 - t * t) / (1 + t * t), 2 * t / (1 + t * t)))
    return out


def _solve(A: list[list[Fraction]], rhs: list[Fraction]) -> list[Fraction]:
    """Exact Gauss-Jordan solve of a square non-singular system."""
    size = len(A)
    M = [list(map(Fraction, row)) + [Fraction(r)] for row, r in zip(A, rhs)]
    for col in range(size):
        piv = next(r for r in range(col, size) if M[r][col] != 0)
        M[col], M[piv] = M[piv], M[col]
        p = M[col][col]
        M[col] = [x / p for x in M[col]]
        for r in range(size):
            if r != col and M[r][col] != 0:
                fac = M[r][col]
                M[r] = [x - fac * y for x, y in zip(M[r], M[col])]
    return [M[r][size] for r in range(size)]


def _independent_rows(grads: list[tuple[Fraction, ...]], d: int) -> list[int] | None:
    """Indices of the first d linearly independent gradients (greedy), or None."""
    from ..geometry.linalg import rank

    chosen: list[int] = []
    for idx, g in enumerate(grads):
        if rank([grads[c] for c in chosen] + [g]) == len(chosen) + 1:
            chosen.append(idx)
            if len(chosen) == d:
                return chosen
    return None


def _vertex_cut(rows: list[tuple[int, ...]]) -> tuple[int, ...]:
    """A row cutting one vertex off the polytope {b + a·x > 0 for all rows}, and nothing else.

    The vertex is the one of largest L1 norm (lexicographically smallest on ties). With
    c the sum of the outward normals of the facets through it (inside its normal cone),
    the cut is ``c·x = c·v - gap/2``, gap = c·v - max over the other vertices of c·w.
    """
    P = polyhedron_from_rows(rows)
    verts = P.vertices
    v = max(verts, key=lambda p: (sum(abs(x) for x in p), tuple(-x for x in p)))
    tight = [r for r in P.rows if r[0] + sum(a * x for a, x in zip(r[1:], v)) == 0]
    dim = len(v)
    c = [-sum(r[1 + t] for r in tight) for t in range(dim)]
    cv = sum((a * x for a, x in zip(c, v)), Fraction(0))
    gap = cv - max(sum((a * x for a, x in zip(c, w)), Fraction(0)) for w in verts if w != v)
    t = cv - gap / 2
    return primitive([t, *(-x for x in c)])


def maximum_faces_network(widths: Sequence[int], input_dim: int = 2) -> Construction:
    """Section IV's "maximum #faces" network: one polytope with #facets = #neurons.

    Parameters
    ----------
    widths : sequence of int
        Hidden widths ``(n_1, ..., n_L)``; ``n_1 >= d + 1``; every layer followed by
        another needs ``n_l >= d`` (its neurons must span the affine functions).
    input_dim : int
        d >= 2 (in d = 1 a cut removes a facet for each one it adds).

    Returns
    -------
    Construction
        ``patterns`` is the all-ones pattern (every neuron active on Ω) and
        ``expected_facets`` is ``(sum(widths),)``; ``box`` is d + 1, which contains
        Ω strictly, so no box wall is a facet of Ω. The output layer sums the last
        hidden layer.

    Notes
    -----
    The first d + 1 neurons cut out the simplex ``{x_j < 1, Σ x_j > -1}``; every
    further neuron cuts off the vertex of largest L1 norm of the current polytope by
    a hyperplane separating it from the other vertices (:func:`_vertex_cut`), so each
    adds one facet and removes none. A neuron of layer l >= 2 gets the weights of the
    unique affine combination of the first d neurons of layer l - 1 with independent
    gradients (eq. (7) of the paper) — on Ω they are active, so its zero set is the
    designed cut. One double description per neuron.

    Examples
    --------
    >>> c = maximum_faces_network((3, 3, 2))
    >>> c.network.architecture, c.expected_facets, c.box
    ('2-3-3-2-1', (8,), Fraction(3, 1))
    """
    d = _check_int(input_dim, "input_dim", 2)
    ws = [_check_int(w, f"widths[{t}]", 1) for t, w in enumerate(widths)]
    if not ws:
        raise DomainError("widths: need at least one hidden layer")
    if ws[0] < d + 1:
        raise DomainError(f"widths[0]: the first layer needs >= d + 1 = {d + 1} neurons, got {ws[0]}")
    for t, w in enumerate(ws[:-1]):
        if w < d:
            raise DomainError(f"widths[{t}]: a layer followed by another needs >= d = {d} neurons, got {w}")
    rows: list[tuple[int, ...]] = []
    layers: list[_Layer] = []
    prev: list[tuple[Fraction, ...]] = []  # previous layer's pre-activations on Ω, as rows (none before layer 1)
    for li, w in enumerate(ws):
        targets: list[tuple[int, ...]] = []
        for t in range(w):
            if li == 0 and t < d:
                row = tuple([1] + [-1 if s == t else 0 for s in range(d)])
            elif li == 0 and t == d:
                row = tuple([1] + [1] * d)
            else:
                row = _vertex_cut(rows)
            rows.append(row)
            targets.append(row)
        W: list[Sequence[Fraction | int]]
        b: list[Fraction | int]
        if li == 0:
            W = [list(r[1:]) for r in targets]
            b = [r[0] for r in targets]
        else:
            grads = [tuple(Fraction(x) for x in g[1:]) for g in prev]
            pick = _independent_rows(grads, d)
            if pick is None:
                raise DomainError(f"widths[{li - 1}]: the layer's neurons do not span R^{d}")  # pragma: no cover
            W, b = [], []
            for row in targets:
                coef = _solve([[grads[p][r] for p in pick] for r in range(d)], [Fraction(x) for x in row[1:]])
                wrow = [Fraction(0)] * len(prev)
                for p, cval in zip(pick, coef):
                    wrow[p] = cval
                W.append(wrow)
                b.append(Fraction(row[0]) - sum(cval * prev[p][0] for p, cval in zip(pick, coef)))
        layers.append((W, b))
        prev = [tuple(Fraction(x) for x in r) for r in targets]
    layers.append(([[1] * ws[-1]], [0]))
    net = network_from_layers(d, layers)
    total = sum(ws)
    return Construction("maximum_faces", net, Fraction(d + 1), (("widths", tuple(ws)), ("input_dim", d)),
                        ((1,) * total,), (total,))


def average_faces_network(n: int, m: int, mu: Any, input_dim: int = 3) -> Construction:
    """Section IV's "average #faces" network, eq. (3): a cone of n hyperplanes cut by m neurons.

    Parameters
    ----------
    n : int
        Facets of the cone (first-layer neurons ``z_i = ReLU(s a_i·x' - x_d)``);
        ``n >= 2d - 3``: ``n - 2(d - 3)`` normals on a rational circle
        (:func:`rational_circle_points`) and ``±e_j`` for the other coordinates.
    m : int
        Second-layer neurons ``y_k = ReLU(z_axis - k/(m+1) - μ Σ_i z_i)``, k = 1..m
        (``z_axis = ReLU(x_d)`` is the (n+1)-th first-layer neuron).
    mu : rational
        The weight μ > 0 (the paper's μ_j, all equal).
    input_dim : int
        d >= 3 (in R^2 a cone has only two facets).

    Returns
    -------
    Construction
        ``box`` is 1; ``patterns`` are the m + 1 slices of the cone from the tip up
        (cone neurons off, axis on, ``y_k`` on below the slice), with
        ``expected_facets`` n + 1 for the tip and n + 2 for the others.

    Notes
    -----
    The steepness s is the smallest integer above the largest coordinate of the
    polytope ``{a_i·y < 1}``, so the cone meets the top wall ``x_d = 1`` strictly
    inside the box and no side wall.

    Examples
    --------
    >>> from exactpoly.complex import region_complex
    >>> c = average_faces_network(4, 2, 100)
    >>> cx = region_complex(c.network, box=c.box)
    >>> [r.n_facets for r in c.regions(cx)], c.expected_facets
    ([5, 6, 6], (5, 6, 6))
    """
    d = _check_int(input_dim, "input_dim", 3)
    n = _check_int(n, "n", max(3, 2 * d - 3))
    m = _check_int(m, "m", 0)
    mu_q = to_fraction(mu, name="mu")
    if mu_q <= 0:
        raise DomainError(f"mu: expected a positive rational, got {mu!r}")
    extra = 2 * (d - 3)
    circle = rational_circle_points(n - extra)
    normals: list[tuple[Fraction, ...]] = [(x, y) + (Fraction(0),) * (d - 3) for x, y in circle]
    for jj in range(2, d - 1):
        for sign in (1, -1):
            e = [Fraction(0)] * (d - 1)
            e[jj] = Fraction(sign)
            normals.append(tuple(e))
    P = polyhedron_from_rows([(1, *(-x for x in a)) for a in normals])
    R = max(abs(x) for v in P.vertices for x in v)
    s = int(R) + 1
    W1 = [[s * x for x in a] + [-1] for a in normals] + [[0] * (d - 1) + [1]]
    b1 = [0] * (n + 1)
    W2 = [[-mu_q] * n + [1] for _ in range(m)]
    b2 = [-Fraction(k, m + 1) for k in range(1, m + 1)]
    layers: list[_Layer] = [(W1, b1)]
    if m:
        layers.append((W2, b2))
    layers.append(([[1] * (m if m else n + 1)], [0]))
    net = network_from_layers(d, layers)
    patterns = tuple((0,) * n + (1,) + (1,) * j + (0,) * (m - j) for j in range(m + 1))
    expected = tuple([n + 1] + [n + 2] * m)
    return Construction("average_faces", net, Fraction(1), (("n", n), ("m", m), ("mu", mu_q), ("input_dim", d),
                                                            ("steepness", s)), patterns, expected)
