"""Local affine maps: each layer's pre-activations on a region, as exact integer rows.

On an activation region the network up to layer l is one affine map of the input
(``docs/conventions.md`` §1); the engine keeps it as integer numerators over one
denominator per layer (:data:`LocalMap`) and updates it from the previous region's by
outer products (:class:`LayerMaps`). The same maps serve the layer checks of
:mod:`exactpoly.arrangements` and the linear pieces of :mod:`exactpoly.theory.pieces`
(:func:`local_map_of_pattern`).

>>> from exactpoly.network import network_from_layers
>>> net = network_from_layers(2, [([[1, 0], [1, 1]], [0, "1/2"]), ([[1, -1]], [0])])
>>> T = identity_map(2)
>>> LayerMaps(net.weights[0], net.biases[0]).rows_on(T)     # x and 1/2 + x + y, times 2
[(0, 2, 0), (1, 2, 2)]
"""

from __future__ import annotations

from fractions import Fraction
from math import lcm

from ..geometry.rows import IntRow
from . import kernels

__all__ = ["LocalMap", "identity_map", "LayerMaps", "VALUE_CACHE_LIMIT"]


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

