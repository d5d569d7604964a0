"""Small exact networks that witness the findings about arXiv 2305.09145 (docs/table1.md).

Each function returns a :class:`~exactpoly.theory.constructions.Construction`: the
network, a box on which the finding holds, and the distinguished regions with their
numbers of facets. ``exactpoly verify`` on them reports the failures; the tests
(``tests/theory/test_findings.py``) recount each one independently.

* :func:`cube_cut_network` — one plane through the cube ``[-B, B]^3``. With
  ``x + y + z = 0`` Theorem 3 (= Theorem 1 at L = 1) fails only for the canonical
  triangulation (15 > 14; Delaunay and the minimum give 14); with
  ``x + 2y + 3z + 1/5 = 0`` it fails for the Delaunay triangulation (9 + 6 = 15 > 14)
  while the minimum over all triangulations is 12.
* :func:`pentagonal_prism_network` — ``y - z + 1/3 = 0`` cuts ``[-1, 1]^3`` into a
  triangular and a pentagonal prism; *every* triangulation of the pentagonal prism has
  8 to 11 simplices against its 7 facets, so "#simplices(R) <= #facets(R)" (proof of
  Theorem 1) fails for all triangulations.
* :func:`theorem11_lines_network` — d = 4, zero biases, n distinct hyperplanes
  ``x_1 + k x_2 = 0`` (rank d0 = 2, any two normals independent): average #facets
  ``7 + 2/n > 2 d0 + d - 1 = 7`` for every n, so Theorem 11 fails without degeneracy.
* :func:`theorem12_general_position_network` — d = 3, d0 = 2: n planes over lines of
  R^2 in general position (tangents of the unit circle); at n = 15 > 2 d d0 + d0 = 14
  the average is exactly 6 > 2 d0 + 1 = 5 (121 regions, 726 facets).

Examples
--------
>>> from exactpoly.complex import region_complex
>>> c = pentagonal_prism_network()
>>> cx = region_complex(c.network, box=c.box)
>>> [r.n_facets for r in c.regions(cx)], c.expected_facets
([5, 7], (5, 7))
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from ..errors import DomainError
from ..network import network_from_layers
from ..rational import to_fraction
from .constructions import Construction

__all__ = ["cube_cut_network", "pentagonal_prism_network", "theorem11_lines_network",
           "theorem12_general_position_network"]


def _positive_int(value: Any, name: str, least: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise DomainError(f"{name}: expected an int >= {least}, got {value!r}")
    return value


def cube_cut_network(normal: Sequence[Any] = (1, 1, 1), offset: Any = 0, box: Any = 1) -> Construction:
    """The 3-1-1 network ``ReLU(normal . x + offset)``: one plane through the cube ``[-B, B]^3``.

    Parameters
    ----------
    normal : three rationals
        Default ``(1, 1, 1)`` (a hexagonal cut through the centre); ``(1, 2, 3)`` with
        ``offset="1/5"`` is the Delaunay witness of Theorem 3.
    offset : rational
    box : rational
        B > 0.

    Returns
    -------
    Construction
        ``patterns`` are the two halves ``(0,)`` and ``(1,)``; ``expected_facets`` is
        each half's 1 + the number of cube faces it meets (counted from the signs of
        the plane at the cube's vertices).

    Raises
    ------
    DomainError
        When the normal is not three rationals, not zero, or the plane misses the open cube.

    Examples
    --------
    >>> from exactpoly.complex import region_complex
    >>> c = cube_cut_network((1, 2, 3), "1/5")
    >>> cx = region_complex(c.network, box=c.box)
    >>> [(r.n_facets, r.n_simplices) for r in c.regions(cx)]
    [(6, 5), (7, 9)]
    """
    a = tuple(to_fraction(x, name="normal") for x in normal)
    if len(a) != 3 or not any(a):
        raise DomainError(f"normal: expected three rationals, not all 0, got {normal!r}")
    b = to_fraction(offset, name="offset")
    B = to_fraction(box, name="box")
    if B <= 0:
        raise DomainError(f"box: expected a positive rational, got {box!r}")
    corners = [(sx * B, sy * B, sz * B) for sx in (-1, 1) for sy in (-1, 1) for sz in (-1, 1)]
    values = [sum(x * y for x, y in zip(a, c)) + b for c in corners]
    if min(values) >= 0 or max(values) <= 0:
        raise DomainError(f"offset: the plane {normal!r} . x + {offset!r} = 0 does not cut the open cube")
    expected = []
    for side in (-1, 1):
        # a face of the cube (coordinate j at sign s) lies in a half when some corner of it is strictly inside
        faces = sum(1 for j in range(3) for s in (-1, 1)
                    if any(v * side > 0 for c, v in zip(corners, values) if c[j] == s * B))
        expected.append(faces + 1)
    net = network_from_layers(3, [([list(a)], [b]), ([[1]], [0])])
    return Construction("cube_cut", net, B, (("normal", a), ("offset", b)), ((0,), (1,)), tuple(expected))


def pentagonal_prism_network() -> Construction:
    """``ReLU(y - z + 1/3)`` on ``[-1, 1]^3``: a triangular prism and a pentagonal prism.

    Every triangulation of the pentagonal prism (10 vertices, 7 facets) has 8 to 11
    simplices (:func:`~exactpoly.geometry.all_triangulations.triangulation_size_range`),
    so the proof step "#simplices(R) <= #facets(R)" of Theorem 1 fails for all of them.

    Returns
    -------
    Construction
        Box 1; ``patterns`` ``(0,)`` (the triangular prism, 5 facets) and ``(1,)``
        (the pentagonal prism, 7 facets).

    Examples
    --------
    >>> from exactpoly.complex import region_complex
    >>> from exactpoly.geometry.all_triangulations import triangulation_size_range
    >>> c = pentagonal_prism_network()
    >>> prism = c.regions(region_complex(c.network, box=c.box))[1]
    >>> prism.n_vertices, prism.n_facets, triangulation_size_range(prism.vertices)
    (10, 7, (8, 11))
    """
    net = network_from_layers(3, [([[0, 1, -1]], [Fraction(1, 3)]), ([[1]], [0])])
    return Construction("pentagonal_prism", net, Fraction(1), (), ((0,), (1,)), (5, 7))


def theorem11_lines_network(n: int, box: Any = 1) -> Construction:
    """The 4-n-1 network ``sum_k ReLU(x_1 + (k + 1) x_2)``, k = 1..n: Theorem 11 without degeneracy.

    Zero biases, n distinct hyperplanes through 0 whose normals ``(1, k + 1, 0, 0)``
    are pairwise independent (rank d0 = 2), none through a corner of the box. They
    cut ``[-B, B]^4`` into 2n wedges; the 2n walls of the (x_1, x_2)-square are cut at
    2n points, so the wedges have ``2 * 2n + (2n + 4)`` facets in that plane and 4
    more each from ``x_3, x_4``: ``14 n + 4`` facets in all, average ``7 + 2/n``,
    above Theorem 11's ``2 d0 + d - 1 = 7`` for every n (so for every C_d).

    Parameters
    ----------
    n : int
        n >= 2 neurons.
    box : rational
        B > 0 (the complex has no vertex, so every B is "large enough").

    Returns
    -------
    Construction
        ``patterns``: the 2n wedges are all the regions, so none are singled out
        (empty); ``parameters`` ``(("n", n),)``.

    Examples
    --------
    >>> from exactpoly.complex import region_complex
    >>> cx = region_complex(theorem11_lines_network(3).network, box=1)
    >>> cx.n_regions, cx.facets_total
    (6, 46)
    """
    n = _positive_int(n, "n", 2)
    B = to_fraction(box, name="box")
    if B <= 0:
        raise DomainError(f"box: expected a positive rational, got {box!r}")
    W = [[1, k + 1, 0, 0] for k in range(1, n + 1)]
    net = network_from_layers(4, [(W, [0] * n), ([[1] * n], [0])])
    return Construction("theorem11_lines", net, B, (("n", n),), (), ())


def theorem12_general_position_network(n: int = 15) -> Construction:
    """The 3-n-1 network of n planes ``p_k . (x, y) = 1`` over tangents of the unit circle.

    ``p_k = ((1 - t^2)/(1 + t^2), 2t/(1 + t^2))`` for ``t = k/n``, k = 0..n-1: points of a
    quarter circle, so no two tangents are parallel, no three meet (a point outside a
    circle is on two tangents) and every crossing lies within sqrt(2) of the origin.
    The first layer has rank d0 = 2 in R^3 and is in general position in its span;
    on ``[-2, 2]^3`` (B large enough) the regions are the ``1 + n + C(n, 2)`` cells of
    the line arrangement times ``[-2, 2]``. At n = 15 > 2 d d0 + d0 = 14: 121 regions,
    726 facets, average 6 > 2 d0 + 1 = 5.

    Parameters
    ----------
    n : int
        n >= 2 neurons (default 15).

    Returns
    -------
    Construction
        Box 2; no distinguished regions; ``parameters`` ``(("n", n),)``.

    Examples
    --------
    >>> from exactpoly.complex import region_complex
    >>> cx = region_complex(theorem12_general_position_network(4).network, box=2)
    >>> cx.n_regions, cx.facets_total
    (11, 66)
    """
    n = _positive_int(n, "n", 2)
    W = []
    for k in range(n):
        t = Fraction(k, n)
        W.append([(1 - t * t) / (1 + t * t), 2 * t / (1 + t * t), 0])
    net = network_from_layers(3, [(W, [-1] * n), ([[1] * n], [0])])
    return Construction("theorem12_general_position", net, Fraction(2), (("n", n),), (), ())
