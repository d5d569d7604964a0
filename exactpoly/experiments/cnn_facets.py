"""Facets of CNN regions: the exact count beside the paper's hit-and-run estimate (Figs. 8-9).

Section V.C of arXiv 2305.09145 estimates the #faces of the activation regions of a
modified LeNet-5 ("removing one convolutional layer and replacing all activation
functions with ReLU") at 200 points drawn uniformly from ``[0, 1]^{28x28}``, by
hit-and-run with the stopping rule "no new face in the last 1000 iterations"
(Fig. 8: the estimates, Fig. 9: the iterations). This module runs the same protocol
and puts the **exact** #facets next to the estimate:

* networks (:func:`cnn_model`): ``"tiny"`` (1x4x4 inputs, untrained), ``"digits"`` (a
  LeNet-like CNN trained on scikit-learn's bundled 8x8 digits, pixels scaled to
  ``[0, 1]``; ``pip install 'exactpoly[digits]'``), ``"lenet5"`` (the paper's
  LeNet-5 with one convolution removed, untrained, 28x28 inputs), ``"lenet5-wide"``
  (the same with 32 first-layer channels: about the paper's 26,796 inequalities per
  region); each imported
  exactly (:func:`~exactpoly.io.torch_import.network_from_torch`);
* inputs ``x`` uniform in ``[0, 1]^d``; the network is composed exactly with
  ``x = (y + 1)/2`` so that regions live in the box ``[-1, 1]^d`` of
  docs/conventions.md (an affine bijection: the regions and their facets are the same);
* :func:`region_rows`: the region's inequalities at a point (one per hidden neuron
  whose local pre-activation is not constant, plus the 2d box walls), exact integers;
* the exact #facets: ``"dd"`` (exact GMP redundancy LPs,
  :func:`~exactpoly.geometry.dd.irredundant_rows`), ``"region_at"``
  (``exactpoly.region_at(net, y, box=1).n_facets`` when that function exists) or
  ``"none"``; the estimate: :func:`~exactpoly.experiments.sampling.hit_and_run_rows`.

Examples
--------
>>> res = cnn_facets("tiny", regions=2, seed=0, exact="dd", patience=100)
>>> [(r.exact_facets == len(set(r.found) & set(r.facets)) + r.missed, r.false_facets) for r in res.rows]
[(True, 0), (True, 0)]
"""

from __future__ import annotations

import csv
import io
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from math import lcm
from typing import Any

from ..errors import DomainError, MissingDependencyError
from ..geometry.linalg import primitive
from ..network import ReluNetwork
from .sampling import hit_and_run_rows, uniform_samples

__all__ = ["CNN_NETS", "CnnFacetRow", "CnnFacetsResult", "EXACT_METHODS", "cnn_facets", "cnn_model",
           "format_cnn_facets", "plot_cnn_facets", "region_rows", "unit_cube_network"]

#: The networks of :func:`cnn_model`.
CNN_NETS = ("tiny", "digits", "lenet5", "lenet5-wide")
#: How :func:`cnn_facets` counts the exact facets.
EXACT_METHODS = ("region_at", "dd", "none")

IntRow = tuple[int, ...]


def _torch() -> Any:
    try:
        import torch
    except ImportError as e:
        raise MissingDependencyError("the CNN experiment needs PyTorch: pip install 'exactpoly[torch]'") from e
    return torch


def _digits_data() -> tuple[Any, Any]:
    try:
        from sklearn.datasets import load_digits
    except ImportError as e:
        raise MissingDependencyError("--net digits needs scikit-learn (it ships the 8x8 digits): "
                                     "pip install 'exactpoly[digits]'") from e
    data = load_digits()
    return data.data / 16.0, data.target


def cnn_model(name: str, *, seed: int = 0, epochs: int = 30) -> tuple[Any, tuple[int, int, int], dict[str, Any]]:
    """A float32 ``torch.nn.Sequential`` CNN, its input shape and a description.

    Parameters
    ----------
    name : {"tiny", "digits", "lenet5", "lenet5-wide"}
        ``tiny``: Conv2d(1, 2, 2) - ReLU - AvgPool2d(2, stride 1) - Flatten - Linear(8, 4) -
        ReLU - Linear(4, 3) on 1x4x4 inputs, untrained. ``digits``: Conv2d(1, 4, 3) - ReLU -
        AvgPool2d(2) - Flatten - Linear(36, 16) - ReLU - Linear(16, 10) on 1x8x8 inputs,
        trained with Adam (lr 0.01, batches of 64, cross-entropy) for *epochs* epochs
        on the first 1,500 of scikit-learn's 1,797 digits (pixels / 16); the rest is
        the test set. ``lenet5``: LeNet-5 with one convolution removed, ReLU
        activations: Conv2d(1, 6, 5, padding 2) - ReLU - AvgPool2d(2) - Flatten -
        Linear(1176, 120) - ReLU - Linear(120, 84) - ReLU - Linear(84, 10) on 1x28x28
        inputs, PyTorch's default initialisation, untrained. ``lenet5-wide``: the same
        with 32 channels, Conv2d(1, 32, 5, padding 2) - ReLU - AvgPool2d(2) - Flatten -
        Linear(6272, 120) - ReLU - Linear(120, 84) - ReLU - Linear(84, 10), untrained:
        25,292 hidden neurons, so at most 25,292 + 1,568 walls = 26,860 inequalities per
        region of [0, 1]^784 (the paper's Fig. 8 reports 26,796; its layer sizes are not
        given).
    seed : int
        ``torch.manual_seed`` for the initialisation and the batch order.
    epochs : int
        Training epochs of ``digits``.

    Returns
    -------
    (model, (C, H, W), info)
        *info* holds ``train_accuracy``/``test_accuracy`` (exact fractions as strings)
        and the training CPU seconds for ``digits``.

    Notes
    -----
    Training uses one thread; it is repeatable on one machine and PyTorch build.
    """
    torch = _torch()
    nn = torch.nn
    if name not in CNN_NETS:
        raise DomainError(f"name: expected one of {', '.join(CNN_NETS)}, got {name!r}")
    info: dict[str, Any] = {"net": name}
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        with torch.random.fork_rng():
            torch.manual_seed(seed)
            if name == "tiny":
                model = nn.Sequential(nn.Conv2d(1, 2, 2), nn.ReLU(), nn.AvgPool2d(2, stride=1), nn.Flatten(),
                                      nn.Linear(8, 4), nn.ReLU(), nn.Linear(4, 3))
                return model.eval(), (1, 4, 4), info
            if name in ("lenet5", "lenet5-wide"):
                ch = 6 if name == "lenet5" else 32
                model = nn.Sequential(nn.Conv2d(1, ch, 5, padding=2), nn.ReLU(), nn.AvgPool2d(2), nn.Flatten(),
                                      nn.Linear(ch * 196, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(),
                                      nn.Linear(84, 10))
                return model.eval(), (1, 28, 28), info
            model = nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.AvgPool2d(2), nn.Flatten(),
                                  nn.Linear(36, 16), nn.ReLU(), nn.Linear(16, 10))
            X, y = _digits_data()
            Xt = torch.tensor(X, dtype=torch.float32).reshape(-1, 1, 8, 8)
            yt = torch.tensor(y, dtype=torch.long)
            n_train = 1500
            opt = torch.optim.Adam(model.parameters(), lr=0.01)
            gen = torch.Generator().manual_seed(seed)
            t0 = time.process_time()
            for _ in range(epochs):
                perm = torch.randperm(n_train, generator=gen)
                for k in range(0, n_train, 64):
                    idx = perm[k:k + 64]
                    opt.zero_grad()
                    loss = nn.functional.cross_entropy(model(Xt[idx]), yt[idx])
                    loss.backward()
                    opt.step()
            info["train_cpu_seconds"] = round(time.process_time() - t0, 1)
            model.eval()
            with torch.no_grad():
                pred = model(Xt).argmax(dim=1)
            right = (pred == yt).tolist()
            info["epochs"] = epochs
            info["train_accuracy"] = str(Fraction(sum(right[:n_train]), n_train))
            info["test_accuracy"] = str(Fraction(sum(right[n_train:]), len(right) - n_train))
            return model, (1, 8, 8), info
    finally:
        torch.set_num_threads(threads)


def unit_cube_network(net: ReluNetwork) -> ReluNetwork:
    """*net* composed with ``x = (y + 1)/2``: its regions in ``[0, 1]^d`` moved to ``[-1, 1]^d``, exactly.

    The first layer ``W x + b`` becomes ``(W/2) y + (b + W 1/2)``; an affine bijection
    of the input maps regions to regions and facets to facets. O(first layer size).

    >>> from exactpoly import network_from_layers
    >>> unit_cube_network(network_from_layers(1, [([[2]], [1]), ([[1]], [0])])).weights[0], \\
    ...     unit_cube_network(network_from_layers(1, [([[2]], [1]), ([[1]], [0])])).biases[0]
    (((Fraction(1, 1),),), (Fraction(2, 1),))
    """
    half = Fraction(1, 2)
    W0 = tuple(tuple(w * half for w in row) for row in net.weights[0])
    b0 = tuple(b + sum(row, Fraction(0)) * half for row, b in zip(net.weights[0], net.biases[0]))
    return ReluNetwork(net.input_dim, (W0, *net.weights[1:]), (b0, *net.biases[1:]))


def _integer_layers(net: ReluNetwork) -> list[tuple[list[list[int]], list[int], int]]:
    """Each hidden layer as (N, c, D) with W = N / D and b = c / D, integers."""
    out = []
    for W, b in zip(net.weights[:-1], net.biases[:-1]):
        D = 1
        for row in W:
            for w in row:
                if w.denominator != 1:
                    D = lcm(D, w.denominator)
        for v in b:
            D = lcm(D, v.denominator)
        N = [[w.numerator * (D // w.denominator) if w else 0 for w in row] for row in W]
        out.append((N, [v.numerator * (D // v.denominator) for v in b], D))
    return out


def region_rows(net: ReluNetwork, y: Sequence[Any], *, box: int = 1,
                _layers: list[tuple[list[list[int]], list[int], int]] | None = None
                ) -> tuple[tuple[IntRow, ...], str]:
    """The inequalities of the activation region of *net* containing *y*, in ``[-box, box]^d``.

    One inward row ``(b, a)`` (region: ``b + a·y > 0``, docs/conventions.md "Rows") per
    hidden neuron whose local pre-activation is not constant on the region, oriented by
    the neuron's sign at *y*, plus the 2d box walls; canonical (coprime) integers,
    duplicates merged, sorted. Returns ``(rows, pattern)`` with the activation pattern
    as a string of 0/1.

    Raises
    ------
    DomainError
        *y* has the wrong length, lies outside the open box, or on a neuron's
        hyperplane (no region contains it).

    Notes
    -----
    The local affine maps layer by layer as exact integer matrix products
    (python-flint): O(sum n_l n_{l-1} d).

    >>> from exactpoly import network_from_layers
    >>> net = network_from_layers(1, [([[1], [1]], [0, "-1/2"]), ([[1, 1]], [0])])
    >>> region_rows(net, ["3/4"])
    (((-1, 2), (0, 1), (1, -1), (1, 1)), '11')
    """
    import flint

    d = net.input_dim
    x = [Fraction(v) for v in y]
    if len(x) != d:
        raise DomainError(f"y: expected {d} coordinates, got {len(x)}")
    if any(not -box < v < box for v in x):
        raise DomainError(f"y: not in the open box (-{box}, {box})^{d}")
    q0 = 1
    for v in x:
        q0 = lcm(q0, v.denominator)
    point = flint.fmpz_mat([[q0], *([v.numerator * (q0 // v.denominator)] for v in x)])
    layers = _integer_layers(net) if _layers is None else _layers
    rows: set[IntRow] = set()
    pattern: list[str] = []
    H = flint.fmpz_mat([[0] + [int(i == j) for j in range(d)] for i in range(d)])  # rows (c, A) of the inputs
    mask = [True] * d
    Q = 1
    for N, c, D in layers:
        Nm = flint.fmpz_mat([[w if on else 0 for w, on in zip(row, mask)] for row in N])
        Z = Nm * H
        Zl = [[int(t) for t in r] for r in Z.tolist()]
        for i, ci in enumerate(c):
            Zl[i][0] += ci * Q
        Q *= D
        Z = flint.fmpz_mat(Zl)
        vals = [int(v) for v in (Z * point).entries()]
        mask = []
        for zi, val in zip(Zl, vals):
            if val == 0:
                raise DomainError("y: lies on a neuron's hyperplane (on the boundary of regions)")
            if any(zi[1:]):
                rows.add(primitive(zi if val > 0 else [-t for t in zi]))
            mask.append(val > 0)
            pattern.append("1" if val > 0 else "0")
        H = Z
    for j in range(d):
        for s in (1, -1):
            rows.add(tuple([box] + [s if k == j else 0 for k in range(d)]))
    return tuple(sorted(rows)), "".join(pattern)


@dataclass(frozen=True)
class CnnFacetRow:
    """One sampled region: the exact #facets and the hit-and-run estimate.

    Attributes
    ----------
    index : int
        Sample number.
    inequalities : int
        Distinct inequalities of the region (neurons + box walls, merged).
    exact_facets : int or None
        The exact #facets (None with ``exact="none"``).
    facets : tuple of int
        Indices of the facet rows (``exact="dd"`` only; empty otherwise).
    found : tuple of int
        Indices of the rows hit-and-run found.
    estimate : int
        ``len(found)``, the paper's estimate.
    iterations : int
        Iterations until the stopping rule fired (or the cap).
    stopped : bool
        False when the iteration cap ended the walk.
    ties : int
        Walks that hit a lower-dimensional face.
    exact_seconds, walk_seconds : float
        Process CPU seconds of the exact count and of the walk (measurements, not results:
        they vary from run to run).
    """

    index: int
    pattern_hash: str
    inequalities: int
    exact_facets: int | None
    facets: tuple[int, ...]
    found: tuple[int, ...]
    estimate: int
    iterations: int
    stopped: bool
    ties: int
    exact_seconds: float = 0.0
    walk_seconds: float = 0.0

    @property
    def false_facets(self) -> int:
        """Rows found that are not facets (always 0: a unique exit row is a facet); needs ``facets``."""
        return len(set(self.found) - set(self.facets)) if self.facets else 0

    @property
    def missed(self) -> int | None:
        """Facets the walk never hit, or None without an exact count."""
        if self.exact_facets is None:
            return None
        if self.facets:
            return self.exact_facets - len(set(self.found) & set(self.facets))
        return self.exact_facets - self.estimate


@dataclass(frozen=True)
class CnnFacetsResult:
    """The experiment: the network's description and one :class:`CnnFacetRow` per sample."""

    net: str
    architecture: str
    hidden_neurons: int
    exact_method: str
    seed: int
    patience: int
    max_iterations: int
    info: dict[str, Any] = field(default_factory=dict)
    rows: tuple[CnnFacetRow, ...] = ()


def _exact_count(method: str, net: ReluNetwork, y: Sequence[Fraction], rows: Sequence[IntRow]
                 ) -> tuple[int | None, tuple[int, ...]]:
    if method == "none":
        return None, ()
    if method == "dd":
        from ..geometry.dd import irredundant_rows

        facets = irredundant_rows(rows)
        return len(facets), facets
    from ..complex.point_region import region_at

    return int(region_at(net, list(y), box=1).n_facets), ()


def cnn_facets(name: str, regions: int = 50, *, seed: int = 0, exact: str = "dd", patience: int = 1000,
               max_iterations: int = 100_000, epochs: int = 30,
               progress: Any = None) -> CnnFacetsResult:
    """The Figs. 8-9 protocol on a CNN: exact #facets and hit-and-run estimate at uniform points.

    Parameters
    ----------
    name : {"tiny", "digits", "lenet5", "lenet5-wide"}
        The network (:func:`cnn_model`), imported exactly and moved to ``[-1, 1]^d``
        (:func:`unit_cube_network`).
    regions : int
        Number of uniform sample points of ``[0, 1]^d`` (the paper: 200), i.e. of regions
        (two samples in one region are two rows).
    seed : int
        Seed of the model (initialisation, training), the samples and the walks.
    exact : {"region_at", "dd", "none"}
        How the exact #facets is counted.
    patience, max_iterations : int
        The stopping rule of :func:`~exactpoly.experiments.sampling.hit_and_run_rows`.
    epochs : int
        Training epochs of ``digits``.
    progress : callable, optional
        Called with each finished row.

    Returns
    -------
    CnnFacetsResult

    Notes
    -----
    Per region: the local maps (O(sum n_l n_{l-1} d)), K exact LPs for ``dd``, and
    O(K d) per hit-and-run iteration.
    """
    from ..io.torch_import import network_from_torch

    if exact not in EXACT_METHODS:
        raise DomainError(f"exact: expected one of {', '.join(EXACT_METHODS)}, got {exact!r}")
    if isinstance(regions, bool) or not isinstance(regions, int) or regions < 1:
        raise DomainError(f"regions: expected a positive int, got {regions!r}")
    model, shape, info = cnn_model(name, seed=seed, epochs=epochs)
    net = unit_cube_network(network_from_torch(model, input_shape=shape))
    layers = _integer_layers(net)
    points = uniform_samples(net.input_dim, regions, seed=seed, box=1)
    out = []
    for k, y in enumerate(points):
        rows, pattern = region_rows(net, y, _layers=layers)
        t0 = time.process_time()
        n_exact, facets = _exact_count(exact, net, y, rows)
        t1 = time.process_time()
        walk = hit_and_run_rows(rows, y, seed=seed + k, patience=patience, max_iterations=max_iterations)
        t2 = time.process_time()
        row = CnnFacetRow(k, _digest(pattern), len(rows), n_exact, facets, walk.found, walk.found_facets,
                          walk.iterations, walk.stopped, walk.ties, round(t1 - t0, 3), round(t2 - t1, 3))
        out.append(row)
        if progress is not None:
            progress(row)
    return CnnFacetsResult(name, net.architecture, net.n_hidden_neurons, exact, seed, patience, max_iterations,
                           info, tuple(out))


def _digest(pattern: str) -> str:
    import hashlib

    return hashlib.sha256(pattern.encode()).hexdigest()[:12]


def format_cnn_facets(result: CnnFacetsResult, *, fmt: str = "csv") -> str:
    """The table of a :class:`CnnFacetsResult` as CSV (one line per region) or JSON (with the description)."""
    header = ["index", "pattern_sha256_12", "inequalities", "exact_facets", "estimate", "missed", "false_facets",
              "iterations", "stopped", "ties", "exact_cpu_s", "walk_cpu_s"]
    lines = [[r.index, r.pattern_hash, r.inequalities, r.exact_facets, r.estimate, r.missed, r.false_facets,
              r.iterations, r.stopped, r.ties, r.exact_seconds, r.walk_seconds] for r in result.rows]
    if fmt == "json":
        return json.dumps({"net": result.net, "architecture": result.architecture,
                           "hidden_neurons": result.hidden_neurons, "exact": result.exact_method,
                           "seed": result.seed, "patience": result.patience,
                           "max_iterations": result.max_iterations, "info": result.info,
                           "regions": [dict(zip(header, line)) for line in lines]}, indent=1) + "\n"
    if fmt != "csv":
        raise DomainError(f"fmt: expected 'csv' or 'json', got {fmt!r}")
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(["" if v is None else v for v in line] for line in lines)
    return buf.getvalue()


def plot_cnn_facets(result: CnnFacetsResult, path: Any, *, dpi: int = 100, width: float = 8.0,
                    height: float = 3.6) -> str:
    """Figs. 8-9 with the truth: per region, the exact #facets and the estimate (left), the iterations (right).

    Regions are sorted by exact #facets (by estimate without an exact count). O(regions).
    """
    from ..plot import check_dpi, pyplot, save_figure

    check_dpi(dpi)
    plt = pyplot()
    rows = sorted(result.rows, key=lambda r: (r.exact_facets if r.exact_facets is not None else r.estimate,
                                              r.estimate, r.index))
    xs = list(range(1, len(rows) + 1))
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(width, height), layout="constrained")
    exact = any(r.exact_facets is not None for r in rows)
    if exact:
        ax1.plot(xs, [r.exact_facets for r in rows], "o", ms=3, color="#1f77b4",
                 label=f"exact #facets ({result.exact_method})")
    ax1.plot(xs, [r.estimate for r in rows], "x", ms=3, color="#d62728", label="hit-and-run estimate")
    ax1.set_xlabel("region (sorted by exact #facets)" if exact else "region (sorted by estimate)")
    ax1.set_ylabel("#facets")
    ax2.plot(xs, [r.iterations for r in rows], ".", ms=4, color="#555555")
    ax2.set_xlabel("region (same order)")
    ax2.set_ylabel("hit-and-run iterations" + ("" if all(r.stopped for r in rows)
                                               else f" (cap {result.max_iterations})"))
    fig.legend(*ax1.get_legend_handles_labels(), loc="outside lower center", ncols=2, fontsize=7)
    fig.suptitle(f"{result.net} ({result.architecture}, {result.hidden_neurons} hidden neurons): "
                 f"{len(rows)} regions at uniform points, patience {result.patience}", fontsize=9)
    try:
        return save_figure(fig, path, dpi)
    finally:
        plt.close(fig)
