"""Linear pieces of the network function: regions merged where the output map is the same.

Activation regions (docs/conventions.md) are pieces of the *network*; the *function* it computes
can be affine across several of them (a kink of a hidden neuron may cancel in the
output, or be killed by a later layer). :func:`linear_pieces` merges regions whose
output affine maps are exactly equal, in any input dimension.

**Definition.** On a region with activation pattern ``s`` the network output is an
affine map ``x -> A_s x + c_s`` (``A_s`` of shape ``(outputs, d)``). Join two regions
when they are adjacent (closures meet in a (d-1)-dimensional set, the edges of
``RegionComplex.edges``) *and* their maps are exactly equal. A **linear piece** is a
connected component of that graph: a maximal set of regions, connected through
(d-1)-dimensional faces, on which the output agrees with one affine map. Two regions
with the same map that are not adjacent, or touch only in a lower-dimensional face
(d >= 2), are in different pieces unless a chain of adjacent equal-map regions joins
them. Pieces live in the complex's domain (the box, or R^d).

Examples
--------
>>> from exactpoly.network import network_from_layers
>>> from exactpoly.complex import region_complex
>>> # |x| = relu(x) + relu(-x) plus a neuron relu(x - 1/2) whose output weight is 0
>>> net = network_from_layers(1, [([[1], [-1], [1]], [0, 0, "-1/2"]), ([[1, 1, 0]], [0])])
>>> cx = region_complex(net, box=1)
>>> cx.n_regions, n_linear_pieces(cx), [p.regions for p in linear_pieces(cx)]
(3, 2, [(0,), (1, 2)])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from ..complex import RegionComplex
from ..complex.local_maps import AffineMap, PatternMaps
from ..errors import NetworkFormatError
from ..network import ReluNetwork

__all__ = [
    "LinearPiece",
    "linear_pieces",
    "n_linear_pieces",
    "output_affine_map",
    "region_affine_maps",
]

@dataclass(frozen=True)
class LinearPiece:
    """A linear piece of the network function on the complex's domain.

    Attributes
    ----------
    regions : tuple of int
        Indices into ``RegionComplex.regions``, sorted.
    weight : tuple of tuple of Fraction
        ``A`` of the output map ``x -> A x + c``, shape ``(outputs, d)``.
    bias : tuple of Fraction
        ``c``, one entry per output.
    """

    regions: tuple[int, ...]
    weight: tuple[tuple[Fraction, ...], ...]
    bias: tuple[Fraction, ...]


def _pattern(net: ReluNetwork, pattern) -> tuple[int, ...]:
    if isinstance(pattern, str):
        bits = tuple(1 if ch == "1" else 0 if ch == "0" else -1 for ch in pattern)
    elif isinstance(pattern, Sequence):
        bits = tuple(1 if p is True or p == 1 else 0 if p is False or p == 0 else -1
                     for p in pattern)
    else:
        raise NetworkFormatError(f"pattern must be a string or sequence of 0/1, got {pattern!r}")
    if -1 in bits:
        raise NetworkFormatError(f"pattern must consist of 0/1 bits, got {pattern!r}")
    if len(bits) != net.n_hidden_neurons:
        raise NetworkFormatError(f"pattern has {len(bits)} bits but the {net.architecture} network "
                                 f"has {net.n_hidden_neurons} hidden neurons")
    return bits


def output_affine_map(net: ReluNetwork, pattern) -> AffineMap:
    """The output map ``x -> A x + c`` of *net* with every hidden neuron's state fixed.

    Parameters
    ----------
    net : ReluNetwork
    pattern : str or sequence of 0/1
        One bit per hidden neuron, in neuron order (``Region.pattern``); 1 = the
        neuron passes its pre-activation, 0 = it outputs 0.

    Returns
    -------
    (weight, bias)
        ``weight`` a tuple of ``outputs`` rows of ``d`` Fractions, ``bias`` a tuple of
        ``outputs`` Fractions: ``W_L D_{L-1} (W_{L-1} ... D_0 (W_0 x + b_0) ...) + b_L``
        with ``D_l`` the 0/1 diagonal of layer ``l``'s bits.

    Raises
    ------
    NetworkFormatError
        The pattern has the wrong length or a symbol other than 0/1.

    Notes
    -----
    O(sum_l n_l n_{l-1} d) exact integer operations
    (:meth:`~exactpoly.complex.local_maps.PatternMaps.output_map`).

    Examples
    --------
    >>> from exactpoly.network import network_from_layers
    >>> net = network_from_layers(1, [([[2], [-1]], [0, 1]), ([[1, 3]], ["1/2"])])
    >>> output_affine_map(net, "11"), output_affine_map(net, [0, 1])
    ((((Fraction(-1, 1),),), (Fraction(7, 2),)), (((Fraction(-3, 1),),), (Fraction(7, 2),)))
    """
    if not isinstance(net, ReluNetwork):
        raise TypeError(f"net: expected a ReluNetwork, got {type(net).__name__}")
    return PatternMaps(net).output_map(_pattern(net, pattern))


def region_affine_maps(cx: RegionComplex) -> tuple[AffineMap, ...]:
    """The output affine map of every region of *cx*, in region order.

    Notes
    -----
    Maps are computed per pattern prefix and shared between regions with a common
    prefix (:class:`~exactpoly.complex.local_maps.PatternMaps`): O(P · sum_l n_l n_{l-1} d)
    for P distinct prefixes (at most the sum of ``cx.history``).

    Examples
    --------
    >>> from exactpoly.network import network_from_layers
    >>> from exactpoly.complex import region_complex
    >>> net = network_from_layers(1, [([[1]], [0]), ([[2]], [1])])
    >>> region_affine_maps(region_complex(net, box=1))   # 1 on x < 0, 2x + 1 on x > 0
    ((((Fraction(0, 1),),), (Fraction(1, 1),)), (((Fraction(2, 1),),), (Fraction(1, 1),)))
    """
    if not isinstance(cx, RegionComplex):
        raise TypeError(f"cx: expected a RegionComplex, got {type(cx).__name__}")
    maps = PatternMaps(cx.network)
    return tuple(maps.output_map(r.pattern) for r in cx.regions)


def linear_pieces(cx: RegionComplex) -> tuple[LinearPiece, ...]:
    """The linear pieces of the network function on the complex's domain.

    A piece is a connected component of the subgraph of ``cx.edges`` (adjacency:
    closures meeting in a (d-1)-dimensional set) whose edges join regions with
    exactly equal output affine maps (module docstring); works in any input
    dimension, on a box or on R^d.

    Parameters
    ----------
    cx : RegionComplex

    Returns
    -------
    tuple of LinearPiece
        Each piece's regions sorted; pieces ordered by their smallest region index.

    Notes
    -----
    Exact affine maps per region (:func:`region_affine_maps`), then connected
    components of the equal-map subgraph of ``cx.edges`` by union-find:
    O(maps + V + E α(V)).

    Examples
    --------
    >>> from exactpoly.network import network_from_layers
    >>> from exactpoly.complex import region_complex
    >>> # a hat: 0 on [-1, -1/2] and on [1/2, 1] -- the same map, two different pieces
    >>> net = network_from_layers(1, [([[1], [1], [1]], ["1/2", 0, "-1/2"]), ([[1, -2, 1]], [0])])
    >>> pieces = linear_pieces(region_complex(net, box=1))
    >>> len(pieces), [(p.weight, p.bias) for p in pieces][0]
    (4, (((Fraction(0, 1),),), (Fraction(0, 1),)))
    """
    maps = region_affine_maps(cx)
    parent = list(range(len(maps)))  # union-find over the equal-map adjacency edges

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for u, v, _neurons in cx.edges:
        if maps[u] == maps[v]:
            ru, rv = find(u), find(v)
            if ru != rv:
                parent[max(ru, rv)] = min(ru, rv)
    comps: dict[int, list[int]] = {}
    for i in range(len(maps)):  # increasing i: each component's list is sorted
        comps.setdefault(find(i), []).append(i)
    return tuple(LinearPiece(tuple(c), maps[c[0]][0], maps[c[0]][1])
                 for c in sorted(comps.values()))


def n_linear_pieces(cx: RegionComplex) -> int:
    """Number of linear pieces of the network function (see :func:`linear_pieces`).

    Notes
    -----
    Same cost as :func:`linear_pieces`.

    Examples
    --------
    >>> from exactpoly.network import network_from_layers
    >>> from exactpoly.complex import region_complex
    >>> net = network_from_layers(1, [([[1], [1]], [0, 0]), ([[1, -1]], [0])])  # relu(x) - relu(x)
    >>> cx = region_complex(net, box=1)
    >>> cx.n_regions, n_linear_pieces(cx)
    (2, 1)
    """
    return len(linear_pieces(cx))
