"""Regions during training (Fig. 7 of arXiv 2305.09145), exactly.

Section V.B of the paper trains a 5-20-20-1 ReLU network (Xavier uniform, Adam,
binary cross-entropy) on a COVID-19 risk data set and follows the histogram of
#faces of its polytopes during training; the polytopes stay simple (#faces < Γ/2,
Γ = number of hidden neurons, Preliminary 3) while their number changes. The COVID
data are not available here, so this module trains on data that ship with exactpoly's
dependencies (or are generated from a documented seed), snapshots the network after every epoch, imports
each snapshot **exactly** (every float32 weight is its exact binary value, via
:func:`~exactpoly.io.torch_import.network_from_state_dict`) and computes the exact
complex of every snapshot.

Data sets (fixed: they do not depend on the training seed):

* ``"ball"`` (default, 3 inputs) — ``n_samples`` points ``x`` drawn uniformly from
  ``[-1, 1]^3`` by ``numpy.random.default_rng(data_seed).uniform`` and cast to
  float32; the label is ``1`` iff ``x_0^2 + x_1^2 + x_2^2 < 1`` evaluated **exactly**
  on the float32 values (the unit ball inscribed in the cube, about 52 % positives).
* ``"karate"`` (34 inputs) — Zachary's karate club, shipped with networkx
  (``networkx.karate_club_graph``): the input of member ``i`` is row ``i`` of the
  0/1 adjacency matrix, the label is ``1`` iff the member joined the ``"Officer"``'s
  club. 34 real samples of dimension 34, for the 2-D cross-sections of
  :mod:`exactpoly.theory.slices` (the paper uses MNIST, 784 inputs).

Training: ``torch.manual_seed(seed)`` inside ``torch.random.fork_rng`` (the global
generator is left as it was), ``torch.set_num_threads(1)`` (restored afterwards),
weights Xavier uniform and biases the float32 constant ``bias`` (default 0.01) as in
the paper, Adam, mini-batches in an order drawn from a ``torch.Generator`` seeded
with ``seed``, binary cross-entropy on the logit for one output, cross-entropy for
more. Runs are bit-for-bit repeatable on one machine and PyTorch build; other CPUs
or builds may round float32 sums differently, so published numbers name their setup.

PyTorch is optional (``pip install 'exactpoly[torch]'``): it is imported only when a
network is trained.

Examples
--------
>>> run = training_run("3-4-1", epochs=1, seed=0, n_samples=32)
>>> [(s.epoch, s.n_regions, s.max_facets) for s in run.epochs]
[(0, 15, 8), (1, 15, 8)]
>>> run.epochs[0].threshold, run.epochs[0].n_simple
(Fraction(2, 1), 0)
"""

from __future__ import annotations

import csv
import io
import json
import math
import numbers
import os
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

from ..errors import DomainError
from ..network import ReluNetwork, parse_architecture
from ..rational import format_fraction, to_fraction
from .stats import FacetStatistics, complex_histogram, decimal_string

__all__ = [
    "check_int",
    "DATASETS",
    "TRAINING_FORMATS",
    "Dataset",
    "EpochStats",
    "Snapshot",
    "TrainingRun",
    "ball_dataset",
    "dataset",
    "epoch_stats",
    "format_training",
    "karate_dataset",
    "plot_training",
    "train_snapshots",
    "training_run",
]

DATASETS = ("ball", "karate")
TRAINING_FORMATS = ("markdown", "csv", "json")


def _import_torch() -> Any:
    from ..io.torch_import import MissingDependencyError

    try:
        import torch
    except ImportError as e:
        raise MissingDependencyError(
            "training needs PyTorch: pip install 'exactpoly[torch]'") from e
    return torch


# ----------------------------------------------------------------------------- data


@dataclass(frozen=True, eq=False)
class Dataset:
    """A fixed training set: float32 inputs and integer class labels.

    Attributes
    ----------
    name : str
    X : numpy.ndarray
        float32, shape ``(n, d)``.
    y : numpy.ndarray
        int64 class labels ``0..k-1``, shape ``(n,)``.
    description : str
    """

    name: str
    X: np.ndarray
    y: np.ndarray
    description: str

    @property
    def input_dim(self) -> int:
        return int(self.X.shape[1])

    @property
    def n_classes(self) -> int:
        return int(self.y.max()) + 1 if len(self.y) else 0


def check_int(value: Any, name: str, low: int) -> int:
    """*value* checked: an integer (not a bool) ``>= low``; DomainError naming *name* otherwise."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < low:
        raise DomainError(f"{name}: expected an integer >= {low}, got {value!r}")
    return int(value)


def ball_dataset(n_samples: int = 512, data_seed: int = 0) -> Dataset:
    """The ``"ball"`` data set: uniform points of ``[-1, 1]^3``, label 1 inside the unit ball.

    Parameters
    ----------
    n_samples : int
        Number of points (>= 1).
    data_seed : int
        Seed of ``numpy.random.default_rng``.

    Notes
    -----
    The label ``x_0^2 + x_1^2 + x_2^2 < 1`` is decided exactly on the float32 inputs
    (Fractions), so it does not depend on float rounding. O(n_samples).

    Examples
    --------
    >>> ds = ball_dataset(8)
    >>> ds.X.shape, ds.X.dtype, ds.y.tolist()
    ((8, 3), dtype('float32'), [0, 0, 1, 0, 0, 1, 0, 1])
    """
    import numpy as np

    n = check_int(n_samples, "n_samples", 1)
    seed = check_int(data_seed, "data_seed", 0)
    X = np.random.default_rng(seed).uniform(-1.0, 1.0, size=(n, 3)).astype(np.float32)
    y = np.array([int(sum(to_fraction(v) ** 2 for v in row) < 1) for row in X], dtype=np.int64)
    return Dataset("ball", X, y, f"{n} uniform points of [-1, 1]^3 (float32, numpy default_rng({seed})), "
                                 "label 1 iff |x|^2 < 1 (exactly)")


def karate_dataset() -> Dataset:
    """Zachary's karate club (networkx): 34 members, inputs = 0/1 adjacency rows, label = club.

    Examples
    --------
    >>> ds = karate_dataset()
    >>> ds.X.shape, int(ds.y.sum()), ds.X[0, :4].tolist()
    ((34, 34), 17, [0.0, 1.0, 1.0, 1.0])
    """
    import networkx as nx
    import numpy as np

    g = nx.karate_club_graph()
    nodes = sorted(g.nodes)
    X = np.zeros((len(nodes), len(nodes)), dtype=np.float32)
    for i, j in g.edges:
        X[i, j] = X[j, i] = 1.0
    y = np.array([int(g.nodes[i]["club"] == "Officer") for i in nodes], dtype=np.int64)
    return Dataset("karate", X, y, "Zachary's karate club (networkx.karate_club_graph): 34 members, "
                                   "input = 0/1 adjacency row, label 1 iff club 'Officer'")


def dataset(name: str = "ball", *, n_samples: int = 512, data_seed: int = 0) -> Dataset:
    """The data set called *name* (one of :data:`DATASETS`).

    >>> dataset("karate").input_dim
    34
    """
    if name == "ball":
        return ball_dataset(n_samples, data_seed)
    if name == "karate":
        return karate_dataset()
    raise DomainError(f"dataset: expected one of {', '.join(DATASETS)}, got {name!r}")


# ----------------------------------------------------------------------------- training


@dataclass(frozen=True)
class Snapshot:
    """The network after ``epoch`` epochs (0 = at initialisation), imported exactly.

    Attributes
    ----------
    epoch : int
    network : ReluNetwork
    loss : Fraction
        The training loss on the whole data set, the exact value of the float32
        number PyTorch computes.
    accuracy : Fraction
        Share of correctly classified training points (exact).
    """

    epoch: int
    network: ReluNetwork
    loss: Fraction
    accuracy: Fraction


def _check_arch(architecture: Any, ds: Dataset) -> tuple[int, ...]:
    dims = parse_architecture(architecture)
    if len(dims) < 3:
        raise DomainError(f"architecture: {architecture!r} has no hidden layer")
    if dims[0] != ds.input_dim:
        raise DomainError(f"architecture: {architecture!r} has {dims[0]} inputs but the {ds.name!r} "
                          f"data set has {ds.input_dim}")
    k = ds.n_classes
    if dims[-1] != 1 and dims[-1] < k:
        raise DomainError(f"architecture: {architecture!r} has {dims[-1]} outputs; use 1 (a logit) or "
                          f">= {k} (one per class of {ds.name!r})")
    return dims


def train_snapshots(architecture: str = "3-20-10-1", epochs: int = 10, seed: int = 0, *,
                    data: Dataset | None = None, lr: Any = "0.01", batch_size: int = 64,
                    bias: Any = "0.01") -> tuple[Snapshot, ...]:
    """Train a ReLU network with PyTorch and return its exact snapshots after every epoch.

    Parameters
    ----------
    architecture : str
        ``"3-20-10-1"``: input dimension (must match the data), hidden widths, outputs
        (1 = one logit and binary cross-entropy; more = one logit per class and
        cross-entropy).
    epochs : int
        Number of epochs (>= 0); ``epochs + 1`` snapshots come back (epoch 0 included).
    seed : int
        Seeds the initial weights and the mini-batch order.
    data : Dataset, optional
        Default :func:`ball_dataset` ``()``.
    lr : number
        Adam's learning rate (read exactly, then as the nearest float).
    batch_size : int
    bias : number
        Initial bias of every neuron, stored as float32 (the paper's 0.01).

    Returns
    -------
    tuple of Snapshot

    Raises
    ------
    MissingDependencyError
        PyTorch is not installed (``pip install 'exactpoly[torch]'``).
    DomainError
        A bad argument; the message names it.

    Notes
    -----
    O(epochs · n · #weights) float operations; the exact import is O(#weights) per
    snapshot.

    Examples
    --------
    >>> snaps = train_snapshots("3-2-1", epochs=1, data=ball_dataset(16))
    >>> [s.epoch for s in snaps], snaps[0].network.architecture, snaps[0].network.biases[0][0]
    ([0, 1], '3-2-1', Fraction(5368709, 536870912))
    """
    import numpy as np

    ds = ball_dataset() if data is None else data
    if not isinstance(ds, Dataset):
        raise DomainError(f"data: expected a Dataset, got {type(ds).__name__}")
    dims = _check_arch(architecture, ds)
    epochs = check_int(epochs, "epochs", 0)
    seed = check_int(seed, "seed", 0)
    batch_size = check_int(batch_size, "batch_size", 1)
    lr_q = to_fraction(lr, name="lr")
    if lr_q <= 0:
        raise DomainError(f"lr: the learning rate must be positive, got {lr!r}")
    bias_f = float(to_fraction(bias, name="bias"))
    torch = _import_torch()
    from ..io.torch_import import network_from_state_dict

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed)
            layers: list[Any] = []
            for a, b in zip(dims[:-1], dims[1:]):
                lin = torch.nn.Linear(a, b)
                torch.nn.init.xavier_uniform_(lin.weight)
                torch.nn.init.constant_(lin.bias, bias_f)
                layers += [lin, torch.nn.ReLU()]
            model = torch.nn.Sequential(*layers[:-1])
            X = torch.from_numpy(np.ascontiguousarray(ds.X, dtype=np.float32))
            if dims[-1] == 1:
                y = torch.from_numpy(ds.y.astype(np.float32))
                loss_fn = torch.nn.BCEWithLogitsLoss()

                def loss_of(out: Any, target: Any) -> Any:
                    return loss_fn(out[:, 0], target)

                def predict(out: Any) -> Any:
                    return (out[:, 0] > 0).to(torch.int64)
            else:
                y = torch.from_numpy(ds.y.astype(np.int64))
                loss_fn = torch.nn.CrossEntropyLoss()

                def loss_of(out: Any, target: Any) -> Any:
                    return loss_fn(out, target)

                def predict(out: Any) -> Any:
                    return out.argmax(dim=1)
            labels = torch.from_numpy(ds.y.astype(np.int64))
            opt = torch.optim.Adam(model.parameters(), lr=float(lr_q))
            gen = torch.Generator().manual_seed(seed)
            n = X.shape[0]

            def snapshot(epoch: int) -> Snapshot:
                with torch.no_grad():
                    out = model(X)
                    loss = float(loss_of(out, y).item())
                    correct = int((predict(out) == labels).sum().item())
                    finite = all(bool(torch.isfinite(v).all()) for v in model.state_dict().values())
                if not finite or not math.isfinite(loss):
                    raise DomainError(f"lr: training diverged at epoch {epoch} (the weights or the loss are no longer "
                                      f"finite numbers); try a smaller learning rate than {format_fraction(lr_q)}")
                net = network_from_state_dict(model.state_dict())
                return Snapshot(epoch, net, to_fraction(loss, name="loss"), Fraction(correct, n))

            snaps = [snapshot(0)]
            for epoch in range(1, epochs + 1):
                order = torch.randperm(n, generator=gen)
                for start in range(0, n, batch_size):
                    idx = order[start:start + batch_size]
                    opt.zero_grad()
                    loss_of(model(X[idx]), y[idx]).backward()
                    opt.step()
                snaps.append(snapshot(epoch))
    finally:
        torch.set_num_threads(threads)
    return tuple(snaps)


# ----------------------------------------------------------------------------- exact statistics


@dataclass(frozen=True)
class EpochStats(FacetStatistics):
    """Exact region statistics of one snapshot.

    Attributes
    ----------
    epoch : int
    loss, accuracy : Fraction
        As in :class:`Snapshot`.
    n_regions : int
    histogram : tuple of (int, int)
        ``(k, number of regions with k facets)``, k increasing (box walls count).
    n_neurons : int
        Γ, the number of hidden neurons.

    ``facets_total``, ``mean_facets``, ``max_facets``, ``threshold`` (Γ/2), ``n_simple``
    and ``simple_share`` are exact (:class:`~exactpoly.experiments.stats.FacetStatistics`).
    """

    epoch: int
    loss: Fraction
    accuracy: Fraction
    n_regions: int
    histogram: tuple[tuple[int, int], ...]
    n_neurons: int

    def to_mapping(self) -> dict[str, Any]:
        """JSON-ready dict; exact rationals as ``"p/q"`` strings, decimals beside them."""
        return {"epoch": self.epoch, "loss": format_fraction(self.loss),
                "loss_decimal": decimal_string(self.loss, 4),
                "accuracy": format_fraction(self.accuracy), "accuracy_decimal": decimal_string(self.accuracy),
                **self.statistics_mapping()}


def epoch_stats(snapshot: Snapshot, box: Any = 1, *, plane: Any = None) -> EpochStats:
    """The exact complex of a snapshot in ``[-B, B]^d`` (``box=None``: R^d) and its statistics.

    With a :class:`~exactpoly.theory.slices.Plane`, the complex is that of the network
    restricted to the plane, in ``[-B, B]^2`` of the plane's coordinates (for inputs
    too high-dimensional for the full complex, like the paper's Fig. 10).

    Notes
    -----
    The cost of :func:`~exactpoly.complex.region_complex`.

    Examples
    --------
    >>> from exactpoly import network_from_layers
    >>> net = network_from_layers(2, [([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [0])])
    >>> s = epoch_stats(Snapshot(0, net, Fraction(1, 2), Fraction(1)), box=1)
    >>> s.n_regions, s.histogram, s.mean_facets, s.n_simple
    (4, ((4, 4),), Fraction(4, 1), 0)
    """
    from ..complex import region_complex

    if not isinstance(snapshot, Snapshot):
        raise DomainError(f"snapshot: expected a Snapshot, got {type(snapshot).__name__}")
    net = snapshot.network
    if plane is not None:
        from ..theory.slices import restrict_to_plane

        cx = region_complex(restrict_to_plane(net, plane), box=box)
    else:
        cx = region_complex(net, box=box)
    return EpochStats(snapshot.epoch, snapshot.loss, snapshot.accuracy, cx.n_regions,
                      tuple(complex_histogram(cx).items()), net.n_hidden_neurons)


@dataclass(frozen=True)
class TrainingRun:
    """A training run: its setup, the exact snapshots and their region statistics.

    Attributes
    ----------
    architecture, dataset : str
    seed, batch_size : int
    lr : Fraction
    box : Fraction, "auto" or None
        The domain: ``[-B, B]^d``, the automatic box of each snapshot, or R^d (None).
    plane : Plane or None
        When set, the statistics are those of this 2-D cross-section.
    snapshots : tuple of Snapshot
    epochs : tuple of EpochStats
    """

    architecture: str
    dataset: str
    seed: int
    lr: Fraction
    batch_size: int
    box: Fraction | str | None
    plane: Any
    snapshots: tuple[Snapshot, ...]
    epochs: tuple[EpochStats, ...]

    def to_mapping(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "architecture": self.architecture, "dataset": self.dataset, "seed": self.seed,
            "lr": format_fraction(self.lr), "batch_size": self.batch_size,
            "domain": _domain(self.box)}
        if self.plane is not None:
            out["plane"] = self.plane.to_mapping()
        out["epochs"] = [s.to_mapping() for s in self.epochs]
        return out


def _domain(box: Fraction | str | None) -> dict[str, Any]:
    if box is None:
        return {"unbounded": True}
    return {"box": box if isinstance(box, str) else format_fraction(box)}


def training_run(architecture: str = "3-20-10-1", epochs: int = 10, seed: int = 0, *, box: Any = 1,
                 dataset_name: str = "ball", n_samples: int = 512, data_seed: int = 0, lr: Any = "0.01",
                 batch_size: int = 64, bias: Any = "0.01", plane: Any = None,
                 progress: Any = None) -> TrainingRun:
    """Train (:func:`train_snapshots`) and compute the exact complex of every snapshot.

    Parameters
    ----------
    architecture, epochs, seed, lr, batch_size, bias
        As in :func:`train_snapshots`.
    box : number, "auto" or None
        The domain of every complex (default ``[-1, 1]^d``; the data live there).
    dataset_name : {"ball", "karate"}
        See :func:`dataset`; ``n_samples`` and ``data_seed`` apply to ``"ball"``.
    plane : Plane, optional
        Compute the complexes of this 2-D cross-section instead (see :func:`epoch_stats`).
    progress : callable, optional
        Called as ``progress(done, total, label)`` after each snapshot's complex.

    Returns
    -------
    TrainingRun

    Notes
    -----
    Training plus ``epochs + 1`` exact complexes; the complexes dominate. With the
    defaults (3-20-10-1, 10 epochs, ``[-1, 1]^3``) about half a minute on one core.

    Examples
    --------
    >>> run = training_run("3-3-1", epochs=2, n_samples=16)
    >>> [s.n_regions for s in run.epochs], run.epochs[-1].accuracy
    ([8, 8, 8], Fraction(1, 2))
    """
    from ..complex import parse_box

    B = parse_box(box)
    ds = dataset(dataset_name, n_samples=n_samples, data_seed=data_seed)
    if plane is not None:
        from ..theory.slices import Plane

        if not isinstance(plane, Plane):
            raise DomainError(f"plane: expected a Plane, got {type(plane).__name__}")
        if plane.input_dim != ds.input_dim:
            raise DomainError(f"plane: it lives in dimension {plane.input_dim} but the {ds.name!r} data "
                              f"have {ds.input_dim} inputs")
    snaps = train_snapshots(architecture, epochs, seed, data=ds, lr=lr, batch_size=batch_size, bias=bias)
    stats = []
    for k, s in enumerate(snaps):
        stats.append(epoch_stats(s, B, plane=plane))
        if progress is not None:
            progress(k + 1, len(snaps), f"epoch {s.epoch}: {stats[-1].n_regions} regions")
    return TrainingRun("-".join(map(str, parse_architecture(architecture))), ds.name, seed, to_fraction(lr),
                       batch_size, B, plane, snaps, tuple(stats))


# ----------------------------------------------------------------------------- output


_COLUMNS = ["epoch", "loss", "accuracy", "regions", "mean #facets", "mean (decimal)", "max #facets", "Γ/2",
            "simple (#facets < Γ/2)", "simple share", "histogram (#facets:regions)"]


def _rows(run: TrainingRun) -> list[list[Any]]:
    return [[s.epoch, decimal_string(s.loss, 4), decimal_string(s.accuracy), s.n_regions,
             format_fraction(s.mean_facets), decimal_string(s.mean_facets), s.max_facets,
             format_fraction(s.threshold), s.n_simple, decimal_string(s.simple_share),
             " ".join(f"{k}:{c}" for k, c in s.histogram)] for s in run.epochs]


def format_training(run: TrainingRun, fmt: str = "markdown") -> str:
    """Render a run as a Markdown table, CSV or JSON (one row per epoch; exact means).

    Loss and accuracy are shown as decimals in Markdown and CSV, exactly in JSON.

    Examples
    --------
    >>> run = training_run("3-3-1", epochs=1, n_samples=16)
    >>> print(format_training(run, "csv").splitlines()[1])
    0,0.7430,0.500,8,13/2,6.500,8,3/2,0,0.000,4:2 7:4 8:2
    """
    if not isinstance(run, TrainingRun):
        raise DomainError(f"run: expected a TrainingRun, got {type(run).__name__}")
    if fmt == "json":
        return json.dumps(run.to_mapping(), indent=1) + "\n"
    rows = _rows(run)
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(_COLUMNS)
        w.writerows(rows)
        return buf.getvalue()
    if fmt == "markdown":
        d = 2 if run.plane is not None else int(run.architecture.split("-")[0])
        if run.box is None:
            dom = f"R^{d}"
        elif isinstance(run.box, str):
            dom = f"the automatic box of each snapshot in R^{d}"
        else:
            dom = f"[-{format_fraction(run.box)}, {format_fraction(run.box)}]^{d}"
        where = "a 2-D cross-section, " if run.plane is not None else ""
        lines = [f"Training {run.architecture} on {run.dataset!r}, seed {run.seed}, Adam lr "
                 f"{format_fraction(run.lr)}, batch {run.batch_size}; exact complexes of {where}{dom}.", "",
                 "| " + " | ".join(_COLUMNS) + " |", "|" + "---|" * len(_COLUMNS)]
        lines += ["| " + " | ".join(map(str, r)) + " |" for r in rows]
        return "\n".join(lines) + "\n"
    raise DomainError(f"fmt: expected one of {', '.join(TRAINING_FORMATS)}, got {fmt!r}")


def plot_training(run: TrainingRun, path: str | os.PathLike[str], *, dpi: int = 100, width: float = 9.0,
                  height: float = 3.5) -> str:
    """Training curves: #regions, and mean / max #facets against Γ/2, per epoch.

    Writes a PNG of exactly ``(width·dpi, height·dpi)`` pixels atomically and returns
    its path. matplotlib (Agg) is imported here; floats are used for drawing only.

    Examples
    --------
    >>> import os, tempfile
    >>> from exactpoly.plot import png_size
    >>> run = training_run("3-2-1", epochs=1, n_samples=8)
    >>> png_size(plot_training(run, os.path.join(tempfile.mkdtemp(), "t.png"), dpi=20))
    (180, 70)
    """
    from ..plot import check_dpi, pyplot, save_figure

    if not isinstance(run, TrainingRun):
        raise DomainError(f"run: expected a TrainingRun, got {type(run).__name__}")
    dpi = check_dpi(dpi)
    plt = pyplot()
    from matplotlib.ticker import MaxNLocator

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(width, height), dpi=dpi, layout="constrained")
    word = "#edges" if run.plane is not None else "#facets"  # a 2-D cross-section's facets are edges
    try:
        ep = [s.epoch for s in run.epochs]
        ax1.plot(ep, [s.n_regions for s in run.epochs], "o-", color="#1f77b4", label="#regions")
        ax1.set_xlabel("epoch")
        ax1.set_ylabel("#regions", color="#1f77b4")
        ax1b = ax1.twinx()
        ax1b.plot(ep, [float(s.accuracy) for s in run.epochs], "s--", color="#7f7f7f", label="accuracy")
        ax1b.set_ylabel("training accuracy", color="#7f7f7f")
        ax1.set_title(f"{run.architecture} on {run.dataset}")
        ax2.set_title(f"2-D cross-section ({word} per polygon)" if run.plane is not None else
                      f"{word} per region")
        ax2.plot(ep, [float(s.mean_facets) for s in run.epochs], "o-", color="#2ca02c", label=f"mean {word}")
        ax2.plot(ep, [s.max_facets for s in run.epochs], "^-", color="#d62728", label=f"max {word}")
        if run.epochs:
            ax2.axhline(float(run.epochs[0].threshold), color="black", ls=":", label="Γ/2")
        ax2.set_xlabel("epoch")
        ax2.set_ylabel(word)
        for ax in (ax1, ax2):
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # epochs
        ax2.legend(loc="upper left", bbox_to_anchor=(1.02, 1), fontsize="small", borderaxespad=0)  # outside
        return save_figure(fig, path, dpi)
    finally:
        plt.close(fig)


# ----------------------------------------------------------------------------- CLI
