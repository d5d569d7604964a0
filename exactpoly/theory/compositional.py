"""Deep 1-D networks with exponentially many linear pieces: triangle-wave compositions.

Two constructions with exact rational weights, both on the unit interval ``[0, 1]``:

* :func:`compositional_network` -- the 4-neurons-per-layer *compositional*
  (triangle-wave) network of Milkert, Hyde and Laine, "Compelling ReLU Networks to
  Exhibit Exponentially Many Linear Regions at Initialization and During Training"
  (arXiv 2311.18022; summary in ``../shared/papers/002_e1f6cdf174129073.txt``): it is
  built from *peak parameters* ``a_1, ..., a_L`` and *scaling coefficients*
  ``s_1, ..., s_L``, and its depth-L output has exactly ``2^L`` linear pieces;
  :func:`differentiable_scalings` is the "differentiable manifold" choice of the
  scalings, derived from the peaks;
* :func:`sawtooth_network` -- the classic sawtooth net of Telgarsky (2 neurons per
  layer, the L-fold composition of the tent map, ``2^L`` pieces).

**The triangle wave.** For a peak ``a`` in ``(0, 1)`` the triangle function
``T_a(t) = t/a`` on ``[0, a]``, ``(1 - t)/(1 - a)`` on ``[a, 1]`` and 0 outside
``[0, 1]`` is, exactly on all of R,

    ``T_a(t) = relu(t)/a - relu(t - a)/(a(1 - a)) + relu(t - 1)/(1 - a)``.

With ``t_0(x) = x`` and ``t_i = T_{a_i}(t_{i-1})``, the function ``t_i`` maps
``[0, 1]`` onto ``[0, 1]`` with ``2^i`` monotone affine pieces (every piece of
``t_{i-1}`` runs from 0 to 1 or back and is cut once where ``t_{i-1} = a_i``).

**The network.** Hidden layer ``i`` (1-based) has four neurons, in this order:
``relu(t_{i-1})``, ``relu(t_{i-1} - a_i)``, ``relu(t_{i-1} - 1)`` (the three of the
triangle function) and ``relu(acc_{i-1})``, an accumulator that carries the partial
sum of the output. The output is

    ``F(x) = x - sum_i s_i t_i(x)``

(Yarotsky's form: with every ``a_i = 1/2`` and ``s_i = 4^{-i}`` it is the piecewise
linear interpolant of ``x^2`` on the grid ``k/2^L``). So that the accumulator is never
cut by its ReLU, it carries ``acc_i = x + sum_{j<=i} c_j`` with
``c_j = s_j (1 - t_j)`` when ``s_j >= 0`` and ``c_j = -s_j t_j`` when ``s_j < 0``,
which is ``>= x > 0`` on ``(0, 1]``; the output layer subtracts the constant
``sum_j max(s_j, 0)``. The source summary available to us fixes the width (four
neurons per layer), the triangle-wave composition and the peak/scaling
parametrisation but not the individual weights; this realisation is ours, and its
counts are verified exactly by ``tests/test_compositional.py``.

**The domain.** Region complexes use symmetric boxes ``[-B, B]^d``. With
``domain="box"`` (the default) the affine change of variable ``x = (u + 1)/2`` is
folded into the first layer (a composition of affine maps is affine, so no layer
is added): the network's input is ``u`` in ``[-1, 1]`` and ``region_complex(net,
box=1)`` is exactly the complex of the construction on ``[0, 1]``. Evaluate the
network at ``u = 2x - 1`` to get ``F(x)``. With ``domain="unit"`` the input is ``x``
itself; the construction is then only meaningful on ``[0, 1]`` (on ``[-1, 0)`` the
network is constant), and in the box ``[-1, 1]`` it has ``2^L + 1`` regions.

**Differentiable manifold.** The kink of the limit function ``x - sum_{i>=1} s_i
t_i`` at a peak of ``t_m`` is proportional to ``s_m - s_{m+1}/(1 - a_{m+1}) -
sum_{j>=m+2} s_j / ((1 - a_{m+1}) a_{m+2} ... a_j)``; it vanishes at every peak
(so the infinite-depth output is continuously differentiable) when

    ``s_{i+1} = s_i (1 - a_{i+1}) a_{i+2}``,

the choice of :func:`differentiable_scalings`. For a finite depth L the kink of
``F`` at a peak of ``t_m`` (``m = 1..L``), where ``t_{m-1}`` has slope ``lambda``,
is then exactly ``|lambda| s_m / (a_m (1 - a_m)) * prod_{k=m+2}^{L+1} (1 - a_k)``
(``a_{L+1}`` is the ``next_peak`` of :func:`differentiable_scalings`), positive:
``F`` is strictly convex and has exactly ``2^L`` pieces.

Examples
--------
>>> from fractions import Fraction
>>> from exactpoly.complex import region_complex
>>> from exactpoly.theory.pieces import n_linear_pieces
>>> net = compositional_network([Fraction(1, 2)] * 3)
>>> cx = region_complex(net, box=1)
>>> net.architecture, cx.n_regions, n_linear_pieces(cx)
('1-4-4-4-1', 8, 8)
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from ..errors import NetworkFormatError
from ..network import ReluNetwork, network_from_layers
from ..rational import format_fraction, to_fraction

__all__ = [
    "DOMAINS",
    "compositional_network",
    "differentiable_scalings",
    "sawtooth_network",
    "triangle_breakpoints",
]

DOMAINS = ("box", "unit")


def _peaks(peaks: Any) -> tuple[Fraction, ...]:
    if isinstance(peaks, (str, bytes)) or not isinstance(peaks, Sequence):
        raise NetworkFormatError(f"peaks must be a sequence of rationals in (0, 1), got {peaks!r}")
    if not peaks:
        raise NetworkFormatError("peaks must not be empty (one peak per hidden layer)")
    out = []
    for i, a in enumerate(peaks):
        q = to_fraction(a, name=f"peaks[{i}]")
        if not 0 < q < 1:
            raise NetworkFormatError(f"peaks[{i}] must lie strictly between 0 and 1, "
                                     f"got {format_fraction(q)}")
        out.append(q)
    return tuple(out)


def _domain(domain: Any) -> str:
    if domain not in DOMAINS:
        raise NetworkFormatError(f"domain must be one of {', '.join(map(repr, DOMAINS))}, "
                                 f"got {domain!r}")
    return domain


def _input_form(domain: str) -> tuple[list[Fraction], Fraction]:
    """``x`` as an affine form of the network input: ``(weights, bias)``."""
    if domain == "box":
        return [Fraction(1, 2)], Fraction(1, 2)  # x = (u + 1)/2
    return [Fraction(1)], Fraction(0)


def differentiable_scalings(peaks: Sequence[Any], *, first: Any = Fraction(1, 4),
                            next_peak: Any = Fraction(1, 2)) -> tuple[Fraction, ...]:
    """The differentiable-manifold scaling coefficients of a compositional network.

    Parameters
    ----------
    peaks : sequence of rationals in (0, 1)
        ``a_1, ..., a_L``.
    first : rational, default 1/4
        ``s_1``, the free overall amplitude of the manifold.
    next_peak : rational in (0, 1), default 1/2
        ``a_{L+1}``: the recurrence needs the peak two layers ahead, so the last
        scaling depends on the peak of a (virtual) next layer.

    Returns
    -------
    tuple of Fraction
        ``s_1 = first`` and ``s_{i+1} = s_i (1 - a_{i+1}) a_{i+2}`` for
        ``i = 1..L-1`` (arXiv 2311.18022, Sec. 3.1; the module docstring derives it
        as the condition that every kink of the infinite-depth output vanishes).

    Raises
    ------
    NetworkFormatError
        A peak outside ``(0, 1)`` (the message names ``peaks[i]`` or ``next_peak``),
        or an empty ``peaks``.

    Notes
    -----
    O(L) exact multiplications. All peaks 1/2 and ``first = 1/4`` give Yarotsky's
    ``s_i = 4^{-i}``.

    Examples
    --------
    >>> differentiable_scalings(["1/2", "1/2", "1/2"])
    (Fraction(1, 4), Fraction(1, 16), Fraction(1, 64))
    >>> differentiable_scalings(["1/3", "1/4"], first=1, next_peak="1/5")
    (Fraction(1, 1), Fraction(3, 20))
    """
    a = _peaks(peaks)
    nxt = to_fraction(next_peak, name="next_peak")
    if not 0 < nxt < 1:
        raise NetworkFormatError(f"next_peak must lie strictly between 0 and 1, "
                                 f"got {format_fraction(nxt)}")
    s = [to_fraction(first, name="first")]
    ext = a + (nxt,)
    for i in range(1, len(a)):
        # s_{i+1} = s_i (1 - a_{i+1}) a_{i+2}, 1-based; here s[i] from s[i-1]
        s.append(s[i - 1] * (1 - ext[i]) * ext[i + 1])
    return tuple(s)


def compositional_network(peaks: Sequence[Any], scalings: Sequence[Any] | None = None, *,
                          domain: str = "box") -> ReluNetwork:
    """The compositional (triangle-wave) network of arXiv 2311.18022 with ``2^L`` pieces.

    Parameters
    ----------
    peaks : sequence of rationals in (0, 1)
        ``a_1, ..., a_L``, one per hidden layer (the depth is ``L = len(peaks)``).
    scalings : sequence of L rationals, optional
        ``s_1, ..., s_L`` of the output ``F(x) = x - sum_i s_i t_i(x)``; default
        :func:`differentiable_scalings` ``(peaks)``.
    domain : {"box", "unit"}
        ``"box"``: the input ``u`` in ``[-1, 1]`` is mapped to ``x = (u + 1)/2``
        inside the first layer, so ``region_complex(net, box=1)`` is the complex on
        ``[0, 1]``; ``"unit"``: the input is ``x`` itself (module docstring).

    Returns
    -------
    ReluNetwork
        Architecture ``1-4-...-4-1``; hidden layer ``i`` is ``relu(t_{i-1})``,
        ``relu(t_{i-1} - a_i)``, ``relu(t_{i-1} - 1)``, ``relu(acc_{i-1})``.
        On ``(0, 1)`` it has exactly ``2^L`` activation regions (every layer's
        second neuron cuts every region once, the others never cut) and, with the
        default scalings, exactly ``2^L`` linear pieces.

    Raises
    ------
    NetworkFormatError
        A peak outside ``(0, 1)`` (naming ``peaks[i]``), ``len(scalings) != L``, a
        scaling that is not a finite rational (naming ``scalings[i]``), an unknown
        ``domain``.

    Notes
    -----
    O(L) exact operations (16 weights per layer). With arbitrary scalings some
    kinks of ``F`` may cancel -- then the function has fewer than ``2^L`` pieces
    although the network still has ``2^L`` activation regions (see
    :func:`exactpoly.theory.pieces.linear_pieces`).

    Examples
    --------
    >>> net = compositional_network(["1/2", "1/3"], scalings=["1/4", "1/8"])
    >>> net.architecture, [format_fraction(b) for b in net.biases[1]]  # t_1 - 0, - 1/3, - 1; acc_1
    ('1-4-4-1', ['0', '-1/3', '-1', '1/4'])
    """
    a = _peaks(peaks)
    L = len(a)
    if scalings is None:
        s = differentiable_scalings(a)
    else:
        if isinstance(scalings, (str, bytes)) or not isinstance(scalings, Sequence):
            raise NetworkFormatError(f"scalings must be a sequence of {L} rationals, got {scalings!r}")
        if len(scalings) != L:
            raise NetworkFormatError(f"scalings must have one entry per peak: expected {L}, "
                                     f"got {len(scalings)}")
        s = tuple(to_fraction(v, name=f"scalings[{i}]") for i, v in enumerate(scalings))
    tw, tb = _input_form(_domain(domain))  # t_{i-1} as an affine form of the previous layer
    aw, ab = list(tw), tb                  # acc_{i-1} likewise (acc_0 = x)
    layers = []
    for ai, si in zip(a, s):
        layers.append(([list(tw), list(tw), list(tw), list(aw)], [tb, tb - ai, tb - 1, ab]))
        # t_i = h0/a - h1/(a(1-a)) + h2/(1-a);  acc_i = h3 + c_i (module docstring)
        t_row = [1 / ai, -1 / (ai * (1 - ai)), 1 / (1 - ai)]
        tw, tb = [*t_row, Fraction(0)], Fraction(0)
        aw, ab = [-si * w for w in t_row] + [Fraction(1)], max(si, Fraction(0))
    offset = sum((max(si, Fraction(0)) for si in s), Fraction(0))
    layers.append(([aw], [ab - offset]))
    return network_from_layers(1, layers)


def sawtooth_network(depth: int, *, domain: str = "box") -> ReluNetwork:
    """Telgarsky's sawtooth net: the ``depth``-fold composition of the tent map.

    The tent map ``m(t) = 2 relu(t) - 4 relu(t - 1/2)`` is ``2t`` on ``[0, 1/2]`` and
    ``2 - 2t`` on ``[1/2, 1]``; hidden layer ``i`` is ``relu(t_{i-1})``,
    ``relu(t_{i-1} - 1/2)`` and the output is ``t_L = m^L(x)``, a sawtooth with
    ``2^{L-1}`` teeth and ``2^L`` linear pieces on ``[0, 1]`` (Telgarsky, "Benefits of
    depth in neural networks", 2016; the width-2 special case ``a_i = 1/2`` of the
    triangle waves of arXiv 2311.18022).

    Parameters
    ----------
    depth : int
        Number ``L >= 1`` of hidden layers.
    domain : {"box", "unit"}
        As in :func:`compositional_network`.

    Returns
    -------
    ReluNetwork
        Architecture ``1-2-...-2-1``.

    Notes
    -----
    O(L).

    Examples
    --------
    >>> from exactpoly.complex import region_complex
    >>> net = sawtooth_network(3)
    >>> cx = region_complex(net, box=1)
    >>> net.architecture, cx.n_regions   # u = 2x - 1: the pieces of m^3 are [k/8, (k+1)/8]
    ('1-2-2-2-1', 8)
    >>> sorted(format_fraction(r.vertices[0][0]) for r in cx.regions)
    ['-1', '-1/2', '-1/4', '-3/4', '0', '1/2', '1/4', '3/4']
    """
    if isinstance(depth, bool) or not isinstance(depth, int) or depth < 1:
        raise NetworkFormatError(f"depth must be an int >= 1, got {depth!r}")
    tw, tb = _input_form(_domain(domain))
    layers = []
    half = Fraction(1, 2)
    for _ in range(depth):
        layers.append(([list(tw), list(tw)], [tb, tb - half]))
        tw, tb = [Fraction(2), Fraction(-4)], Fraction(0)
    layers.append(([tw], [tb]))
    return network_from_layers(1, layers)


def triangle_breakpoints(peaks: Sequence[Any]) -> tuple[Fraction, ...]:
    """The breakpoints in ``[0, 1]`` of ``t_L = T_{a_L} o ... o T_{a_1}``, computed directly.

    A closed-form recursion that uses no network and no region complex (the
    independent derivation the tests compare the complex with): the breakpoints of
    ``t_0(x) = x`` are ``0, 1``; on each piece ``[p, q]`` of ``t_{i-1}`` (which runs
    from 0 to 1 or from 1 to 0) the new breakpoint is where ``t_{i-1} = a_i``:
    ``p + a_i (q - p)`` or ``p + (1 - a_i)(q - p)``.

    Returns
    -------
    tuple of Fraction
        ``2^L + 1`` sorted points, ``0`` and ``1`` included.

    Notes
    -----
    O(2^L) exact operations.

    Examples
    --------
    >>> [format_fraction(p) for p in triangle_breakpoints(["1/3", "1/2"])]
    ['0', '1/6', '1/3', '2/3', '1']
    """
    a = _peaks(peaks)
    pts = [Fraction(0), Fraction(1)]
    for ai in a:
        # t_{i-1} rises on its even-numbered pieces and falls on the odd ones (t_0 = x
        # rises; T_a maps a rising or falling piece to a rising then a falling one)
        new_pts = [pts[0]]
        for k in range(len(pts) - 1):
            p, q = pts[k], pts[k + 1]
            new_pts += [p + (ai if k % 2 == 0 else 1 - ai) * (q - p), q]
        pts = new_pts
    return tuple(pts)
