"""Local affine maps: each layer's pre-activations on a region, as exact integer rows.

On an activation region the network up to layer l is one affine map of the input
(``docs/conventions.md`` §1); the engine keeps it as integer numerators over one
denominator per layer (:data:`LocalMap`) and updates it from the previous region's by
outer products (:class:`LayerMaps`). The same maps, per activation-pattern prefix
(:class:`PatternMaps`), serve the layer checks of :mod:`exactpoly.arrangements` and the
linear pieces of :mod:`exactpoly.theory.pieces`.

>>> from exactpoly.network import network_from_layers
>>> net = network_from_layers(2, [([[1, 0], [1, 1]], [0, "1/2"]), ([[1, -1]], [0])])
>>> T = identity_map(2)
>>> LayerMaps(net.weights[0], net.biases[0]).rows_on(T)     # x and 1/2 + x + y, times 2
[(0, 2, 0), (1, 2, 2)]
"""

from __future__ import annotations

from fractions import Fraction
from math import lcm

from ..errors import DomainError
from ..geometry.rows import IntRow, coprime, negated
from ..network import ReluNetwork
from . import kernels

__all__ = ["LocalMap", "identity_map", "LayerMaps", "VALUE_CACHE_LIMIT", "AffineMap", "PatternMaps"]


# A cell's local map of the previous layer's output is ``T = ((rows, den), bits)``:
# the affine map ``diag(bits) rows / den``, rows ``(c, A)`` of integers. Siblings share
# ``(rows, den)`` (their parent's pre-activations) and keep their own bits.
LocalMap = tuple[tuple[tuple[IntRow, ...], int], tuple[int, ...]]


def identity_map(d: int) -> LocalMap:
    """The local map of the input itself, ``x -> x`` (the root's)."""
    rows = tuple(tuple(1 if c == j + 1 else 0 for c in range(d + 1)) for j in range(d))
    return (rows, 1), (1,) * d


VALUE_CACHE_LIMIT = 1 << 16  # points whose values a process keeps (about 40 MB for 40 neurons)


class LayerMaps:
    """One layer's weights as integers and one process's caches of its pre-activations (internal).

    With ``q`` the common denominator of the layer's weights and biases, ``W = q W_l``
    and ``b = q b_l`` are integers, and on a cell with local map ``((rows, den), bits)``
    the layer's pre-activations are ``(W diag(bits) rows + den b e_0) / (q den)``.
    :meth:`rows_on` returns the numerators: positive multiples of the pre-activation
    rows, so the same signs, and the rows of the children's local map, whose ``den`` is
    ``q den``. No fraction is reduced, so every cell of a layer has the same ``den``.

    Two caches make this cheap (measured in ``docs/performance.md``):

    - consecutive parents mostly share ``(rows, den)`` and differ in a few bits (the
      first layer's cells of 3-80-40-1: 2 on average), so the numerators are updated
      from the previous parent's by one outer product ``W[:, i] rows[i]`` per changed
      bit instead of composed anew;
    - a pre-activation's value at a vertex is the network's, the same whichever
      region's closure holds the vertex (continuity), and with one ``den`` per layer
      also the same numerator: :meth:`values_at` caches it per point.

    Neither cache changes a result; they are per process and never sent.
    """

    __slots__ = ("n", "cols", "bias", "q", "_last", "_base", "_values", "_values_den")

    def __init__(self, weights, biases) -> None:
        q = lcm(*(Fraction(x).denominator for r in weights for x in r), *(Fraction(x).denominator for x in biases))
        W = [[int(Fraction(x) * q) for x in r] for r in weights]
        self.n = len(W)
        self.cols: list[IntRow] = [tuple(col) for col in zip(*W)]  # W[:, i]
        self.bias: list[int] = [int(Fraction(x) * q) for x in biases]
        self.q: int = q
        self._last: tuple | None = None  # (shared rows and den, bits, numerators) of the previous call
        self._base: tuple[int, int, list[IntRow]] | None = None  # (den, d + 1, bias rows den * b) last used
        self._values: dict[IntRow, tuple[int, ...]] = {}
        self._values_den: int | None = None

    def rows_on(self, T: LocalMap) -> list[IntRow]:
        """Numerator rows ``(b, a)`` of the layer's pre-activations on a cell with local map *T*.

        O(n · changed bits · (d+1)) exact multiplications after a sibling with the
        same shared rows, else O(n · active bits · (d+1)).
        """
        shared, bits = T
        prev_rows, den = shared
        last = self._last
        M = None
        if last is not None and (last[0] is shared or last[0] == shared):
            add, sub = kernels.bit_changes(bits, last[1])
            active = last[3] + len(add) - len(sub)
            if len(add) + len(sub) < active:  # fewer outer products than composing anew
                M = kernels.affine_rows(last[2], self.cols, prev_rows, add, sub)
        if M is None:
            k = len(prev_rows[0])
            cached = self._base
            if cached is None or cached[0] != den or cached[1] != k:  # one den per layer: rarely
                zeros = (0,) * (k - 1)
                cached = self._base = (den, k, [(den * b, *zeros) for b in self.bias])
            base = cached[2]
            on = [i for i, x in enumerate(bits) if x]
            M = kernels.affine_rows(base, self.cols, prev_rows, on, [])
            active = len(on)
        self._last = (shared, bits, M, active)
        return M

    def values_at(self, rows: list[IntRow], pts: tuple[IntRow, ...], den: int
                  ) -> tuple[list[tuple[int, ...]], bytes]:
        """Per point the values of *rows* (numerators from :meth:`rows_on` on a cell whose
        local map has *den*), and per row the signs seen (1 positive, 2 negative, 4 zero)."""
        if den != self._values_den or len(self._values) > VALUE_CACHE_LIMIT:
            self._values = {}
            self._values_den = den
        return kernels.vertex_values(rows, pts, self._values)



# The output map ``x -> A x + c`` of a network on a region: ``(A, c)``, ``A`` as rows of Fractions.
AffineMap = tuple[tuple[tuple[Fraction, ...], ...], tuple[Fraction, ...]]


class PatternMaps:
    """A network's exact local affine maps per activation-pattern prefix, each computed once.

    A *prefix* is the tuple of the 0/1 bits of hidden layers ``0..l-1`` in neuron order
    (``len(prefix) == net.neuron_offsets[l]``, or ``net.n_hidden_neurons`` for the whole
    pattern); its *region* is the set of inputs where the neurons have these states
    (``docs/conventions.md`` §"Activation regions"). On it the network up to layer l is
    one affine map, kept as the engine keeps it (:data:`LocalMap`, :class:`LayerMaps`):
    integer numerators over one denominator per layer, so siblings share their
    parent's rows and differ only in their bits.

    Parameters
    ----------
    net : ReluNetwork

    Notes
    -----
    Each prefix's map is composed once from its parent's: O(n_l · active bits ·
    (d + 1)) exact integer operations, less after a sibling (outer-product updates of
    :meth:`LayerMaps.rows_on`). Nothing is reduced, so the entries grow with the depth
    like the product of the layers' weight denominators.

    Examples
    --------
    >>> from exactpoly.network import network_from_layers
    >>> # ReLU(x), ReLU(y), then a second layer neuron ReLU(h0 + h1 - 1/2)
    >>> net = network_from_layers(2, [([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], ["-1/2"]), ([[1]], [0])])
    >>> maps = PatternMaps(net)
    >>> maps.preactivations((0, 1))      # on x < 0 < y the second layer sees (-1 + 2y) / 2
    (((-1, 0, 2),), 2)
    >>> maps.region_rows((0, 1)), maps.region_rows((0, 0, 1))   # -x > 0, y > 0; -1/2 > 0 is empty
    (((0, -1, 0), (0, 0, 1)), None)
    >>> maps.output_map((1, 1, 1))
    (((Fraction(1, 1), Fraction(1, 1)),), (Fraction(-1, 2),))
    """

    __slots__ = ("net", "_layers", "_offsets", "_layer_at", "_maps", "_pre", "_regions")

    def __init__(self, net: ReluNetwork) -> None:
        if not isinstance(net, ReluNetwork):
            raise TypeError(f"net: expected a ReluNetwork, got {type(net).__name__}")
        self.net = net
        self._layers = [LayerMaps(W, b) for W, b in zip(net.weights, net.biases)]  # the output layer last
        self._offsets = (*net.neuron_offsets, net.n_hidden_neurons)
        self._layer_at = {n: l for l, n in enumerate(self._offsets)}  # prefix length -> next layer
        self._maps: dict[tuple[int, ...], LocalMap] = {(): identity_map(net.input_dim)}
        self._pre: dict[tuple[int, ...], tuple[tuple[IntRow, ...], int]] = {}
        self._regions: dict[tuple[int, ...], tuple[IntRow, ...] | None] = {(): ()}

    def _layer_of(self, prefix: tuple[int, ...]) -> int:
        """The layer after *prefix* (0 for the input, L for the output layer); checks *prefix*."""
        l = self._layer_at.get(len(prefix)) if isinstance(prefix, tuple) else None
        if l is None:
            raise DomainError(f"prefix: expected a tuple of 0/1 bits of length in {self._offsets} "
                              f"(whole hidden layers of the {self.net.architecture} network), got {prefix!r}")
        if any(b != 0 and b != 1 for b in prefix):
            raise DomainError(f"prefix: bits must be 0 or 1, got {prefix!r}")
        return l

    def local_map(self, prefix: tuple[int, ...]) -> LocalMap:
        """The local map ``((rows, den), bits)`` of the last hidden layer of *prefix* on its region.

        ``diag(bits) rows / den`` are that layer's outputs as affine functions of the
        input (rows ``(c, A)``); ``()`` gives :func:`identity_map`. O(1) when cached,
        else :meth:`preactivations` of the parent prefix.

        >>> from exactpoly.network import network_from_layers
        >>> net = network_from_layers(1, [([[2], [-1]], [0, 1]), ([[1, 3]], ["1/2"])])
        >>> PatternMaps(net).local_map((1, 0))    # (2x, 1 - x) with the second neuron off
        ((((0, 2), (1, -1)), 1), (1, 0))
        """
        T = self._maps.get(prefix) if isinstance(prefix, tuple) else None
        if T is None:
            l = self._layer_of(prefix)
            lo = self._offsets[l - 1]  # l >= 1: the empty prefix is cached
            T = self._maps[prefix] = (self.preactivations(prefix[:lo]), tuple(int(b) for b in prefix[lo:]))
        return T

    def preactivations(self, prefix: tuple[int, ...]) -> tuple[tuple[IntRow, ...], int]:
        """``(rows, den)``: the next layer's pre-activations on the region of *prefix*.

        Row i over ``den`` is neuron i's pre-activation ``(b, a)``, ``b + a·x``, exactly
        (for a whole pattern: output i's affine map). The rows are integer positive
        multiples of the pre-activation rows, so they have their signs, and
        :func:`~exactpoly.geometry.rows.coprime` of a row is its canonical row. They are
        also the shared part of the children's local maps. O(1) when cached, else one
        :meth:`LayerMaps.rows_on`.

        Raises
        ------
        DomainError
            *prefix* is not a tuple of 0/1 bits of whole hidden layers.

        >>> from exactpoly.network import network_from_layers
        >>> net = network_from_layers(1, [([[2], [-1]], [0, 1]), ([[1, 3]], ["1/2"])])
        >>> PatternMaps(net).preactivations((1, 0))   # (1 + 4x) / 2 = 1/2 + 2x
        (((1, 4),), 2)
        """
        got = self._pre.get(prefix) if isinstance(prefix, tuple) else None
        if got is None:
            l = self._layer_of(prefix)
            T = self.local_map(prefix)
            layer = self._layers[l]
            got = self._pre[prefix] = (tuple(layer.rows_on(T)), T[0][1] * layer.q)
        return got

    def region_rows(self, prefix: tuple[int, ...]) -> tuple[IntRow, ...] | None:
        """The strict inequalities ``b + a·x > 0`` of the region of *prefix*, or None if it is empty.

        Per neuron, in neuron order, its canonical (coprime) pre-activation row on the
        parent region, negated when the neuron is off. A neuron whose pre-activation is
        constant there cuts nothing: a dead one (identically 0) must be off and a
        non-zero constant must have the neuron's sign, else the region is empty
        (``docs/conventions.md``). The domain's own rows are not included. O(1) when
        cached, else O(n_l (d + 1)) gcds after the parent's.

        Raises
        ------
        DomainError
            *prefix* is not a tuple of 0/1 bits of whole hidden layers.

        >>> from exactpoly.network import network_from_layers
        >>> net = network_from_layers(1, [([[2], [0]], [0, 3]), ([[1, 1]], [0])])
        >>> maps = PatternMaps(net)
        >>> maps.region_rows((1, 1)), maps.region_rows((1, 0))   # the constant 3 is on
        (((0, 1),), None)
        """
        if isinstance(prefix, tuple) and prefix in self._regions:
            return self._regions[prefix]
        l = self._layer_of(prefix)
        lo = self._offsets[l - 1]
        parent = self.region_rows(prefix[:lo])
        rows: tuple[IntRow, ...] | None = None
        if parent is not None:
            out = list(parent)
            for r, bit in zip(self.preactivations(prefix[:lo])[0], prefix[lo:]):
                r = coprime(r)
                if not any(r[1:]):
                    if (r[0] > 0) != bool(bit):
                        break
                    continue
                out.append(r if bit else negated(r))
            else:
                rows = tuple(out)
        self._regions[prefix] = rows
        return rows

    def output_map(self, pattern: tuple[int, ...]) -> AffineMap:
        """The network's output map ``x -> A x + c`` with every hidden neuron's state fixed.

        ``A`` has one row of d Fractions per output, ``c`` one Fraction per output:
        ``W_L D_{L-1} (W_{L-1} ... D_0 (W_0 x + b_0) ...) + b_L`` with ``D_l`` the 0/1
        diagonal of layer l's bits of *pattern* (one bit per hidden neuron). O(outputs ·
        (d + 1)) gcds after :meth:`preactivations` of *pattern*.

        Raises
        ------
        DomainError
            *pattern* is not a tuple of ``net.n_hidden_neurons`` bits 0/1.

        >>> from exactpoly.network import network_from_layers
        >>> net = network_from_layers(1, [([[2], [-1]], [0, 1]), ([[1, 3]], ["1/2"])])
        >>> PatternMaps(net).output_map((0, 1))   # 3 (1 - x) + 1/2
        (((Fraction(-3, 1),),), (Fraction(7, 2),))
        """
        if not isinstance(pattern, tuple) or len(pattern) != self._offsets[-1]:
            raise DomainError(f"pattern: expected a tuple of {self._offsets[-1]} bits 0/1 (one per hidden "
                              f"neuron of the {self.net.architecture} network), got {pattern!r}")
        rows, den = self.preactivations(pattern)
        return (tuple(tuple(Fraction(x, den) for x in r[1:]) for r in rows),
                tuple(Fraction(r[0], den) for r in rows))
