"""``exactpoly histogram``, ``sweep``, ``sample`` and ``train``: the experiments of Section V (Figs. 4-7).

Each command is a pair: ``add_*_arguments`` (its options) and ``run_*`` (the run, returning the
exit status). The library (:mod:`exactpoly.experiments`) is imported when a command runs, so
``exactpoly --help`` stays fast.
"""

from __future__ import annotations

import os
from typing import Any

from ..errors import DomainError
from ..io.outputs import (
    Content,
    OutputPath,
    check_distinct_outputs,
    check_output_path,
    check_output_paths,
    write_outputs,
)
from .common import TaskProgress, positive_float, positive_int, wants_progress

__all__ = ["add_histogram_arguments", "add_sweep_arguments", "add_sample_arguments", "add_train_arguments",
           "add_cnn_facets_arguments", "run_cnn_facets_cli",
           "run_histogram_cli", "run_sweep_cli", "run_sample_cli", "run_train_cli"]


def _common_arguments(p, *, bias: bool = True) -> None:
    from ..experiments.histograms import HISTOGRAM_FORMATS

    p.add_argument("--init", action="append", metavar="NAME[,NAME...]",
                   help="initialiser(s): xavier_uniform, xavier_normal, kaiming (kaiming_normal), orthogonal; "
                        "repeat or comma-separate (default xavier_uniform)")
    if bias:
        p.add_argument("--bias", default="0.01", help="constant bias, stored as float32 (default 0.01)")
    p.add_argument("--box", default="1", metavar="B", help="box [-B, B]^d (default 1, the paper's)")
    p.add_argument("--seeds", default="0-4", help="seeds, e.g. 0-4 or 0,3,5 (default 0-4: five repeats)")
    p.add_argument("--format", default="markdown", choices=HISTOGRAM_FORMATS, help="output format")
    p.add_argument("-o", "--output", metavar="FILE", help="write the table here instead of stdout (atomically)")
    p.add_argument("--plot", metavar="PNG", help="also draw the figure to this PNG file")
    p.add_argument("--cache", metavar="DIR", help="cache directory (default ~/.cache/exactpoly)")
    p.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    p.add_argument("--workers", type=positive_int, default=1, metavar="N",
                   help="processes computing networks in parallel; with --stream and fewer networks than N, "
                        "the processes share each network's pieces (default 1; the result is the same for any N)")
    p.add_argument("--progress", dest="progress", action="store_true", default=None,
                   help="progress on stderr (default: when stderr is a terminal)")
    p.add_argument("--no-progress", dest="progress", action="store_false")
    p.add_argument("--stream", action="store_true",
                   help="stream each network's regions (memory bounded by one path of frontiers, not the "
                        "whole complex; the same histograms): for the paper's large sizes")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="with --stream: the Dask scheduler (tcp://HOST:PORT) whose workers stream each "
                        "network (docs/howto-dask.md)")
    p.add_argument("--regions-jsonl", metavar="DIR",
                   help="with --stream: also write every region, one JSON object per line, to "
                        "DIR/<network>/part-*.jsonl (networks are then computed, not read from the cache)")


def add_histogram_arguments(p) -> None:
    """Arguments of ``exactpoly histogram`` (added to an argparse parser)."""
    p.add_argument("--arch", action="append", metavar="A[,A...]",
                   help="architecture(s), repeat or comma-separate (default 3-40-20-1)")
    _common_arguments(p)


def add_sweep_arguments(p) -> None:
    """Arguments of ``exactpoly sweep`` (added to an argparse parser)."""
    from ..experiments.histograms import SWEEP_DEFAULTS

    p.add_argument("--vary", required=True, choices=tuple(SWEEP_DEFAULTS), help="the parameter swept")
    p.add_argument("--values", metavar="V,V,...", help="values of the swept parameter (defaults: width "
                   "20,40,80,160; depth 2,5,8; bias 0,0.01,0.05,0.1)")
    p.add_argument("--input-dim", type=positive_int, default=3, metavar="D", help="input dimension (default 3)")
    p.add_argument("--width", type=positive_int, default=20, help="hidden width when varying depth (default 20)")
    p.add_argument("--depth", type=positive_int, default=2,
                   help="hidden layers when varying width (default 2)")
    p.add_argument("--arch", default="3-80-40-1", help="architecture when varying bias (default 3-80-40-1)")
    p.add_argument("--max-regions", type=positive_int, metavar="R",
                   help="skip a network as soon as some layer has more than R regions")
    p.add_argument("--max-seconds", type=positive_float, metavar="S",
                   help="skip a network after S seconds of computing (machine-dependent)")
    p.add_argument("--timings", action="store_true", help="add the compute seconds (not deterministic)")
    _common_arguments(p)


def _stream_options(args) -> dict[str, Any]:
    """``stream``, ``scheduler`` and ``regions_jsonl`` of the library call; the last two need ``--stream``."""
    for flag, value in (("--scheduler", args.scheduler), ("--regions-jsonl", args.regions_jsonl)):
        if value is not None and not args.stream:
            raise DomainError(f"{flag}: needs --stream")
    return {"stream": args.stream, "scheduler": args.scheduler, "regions_jsonl": args.regions_jsonl}


def _table_and_plot(outs: dict[str, OutputPath], text: str, plot: Any) -> None:
    """Write the table (to ``--output`` or stdout) and ``plot(path)`` (to ``--plot``), all or none."""
    import sys

    files: list[tuple[OutputPath, Content]] = []
    if "--plot" in outs:
        files.append((outs["--plot"], plot))
    if "--output" in outs:
        files.append((outs["--output"], text))
    write_outputs(files)
    if "--output" not in outs:
        sys.stdout.write(text)


def run_histogram_cli(args) -> int:
    """``exactpoly histogram``: exact face histograms (Fig. 4); returns the exit status."""
    from functools import partial

    from ..experiments.histograms import face_histograms, format_histograms

    outs = check_output_paths([("--output", args.output), ("--plot", args.plot)])

    archs = [a.strip() for item in (args.arch or ["3-40-20-1"]) for a in item.split(",") if a.strip()]
    show = wants_progress(args)
    results = face_histograms(archs, args.init or ["xavier_uniform"], args.seeds, args.bias, args.box,
                              cache=False if args.no_cache else args.cache, workers=args.workers,
                              progress=TaskProgress(bool(show), "histogram: network"), **_stream_options(args))
    from ..plot import plot_histograms

    _table_and_plot(outs, format_histograms(results, args.format), partial(plot_histograms, results))
    return 0


def run_sweep_cli(args) -> int:
    """``exactpoly sweep``: face histograms over width, depth or bias (Figs. 5, 6); returns the exit status."""
    from functools import partial

    from ..experiments.histograms import format_sweep, sweep

    outs = check_output_paths([("--output", args.output), ("--plot", args.plot)])

    values = [v.strip() for v in args.values.split(",")] if args.values is not None else None
    if values is not None and not all(values):
        raise DomainError(f"--values: expected a comma-separated list, got {args.values[:40]!r}")
    show = wants_progress(args)
    rows = sweep(args.vary, values, inits=args.init or ["xavier_uniform"], seeds=args.seeds, bias=args.bias,
                 box=args.box, input_dim=args.input_dim, width=args.width, depth=args.depth,
                 architecture=args.arch, max_regions=args.max_regions, max_seconds=args.max_seconds,
                 cache=False if args.no_cache else args.cache, workers=args.workers,
                 progress=TaskProgress(bool(show), "sweep: network"), **_stream_options(args))
    from ..plot import plot_sweep

    _table_and_plot(outs, format_sweep(rows, args.format, timings=args.timings), partial(plot_sweep, rows))
    return 0


def add_sample_arguments(p) -> None:
    """Arguments of ``exactpoly sample`` (added to an argparse parser)."""
    p.add_argument("network", metavar="NET.json", help="network file (exactpoly.relu-net/1)")
    p.add_argument("--box", default="1", metavar="B", help="box [-B, B]^d (default 1)")
    p.add_argument("--samples", type=positive_int, default=8000, metavar="N",
                   help="uniform samples (default 8000, the paper's)")
    p.add_argument("--seed", type=int, default=0, help="seed of the samples and of hit-and-run (default 0)")
    p.add_argument("--hit-and-run", type=int, default=10, metavar="K",
                   help="run the hit-and-run face estimator on the regions of the first K distinct sampled "
                        "patterns, starting at their first sample (default 10; 0: none)")
    p.add_argument("--patience", type=positive_int, default=1000, metavar="I",
                   help="hit-and-run checkpoint: stop when no new facet in the last I iterations (default 1000)")
    p.add_argument("--max-iterations", type=positive_int, default=100_000, metavar="I",
                   help="hit-and-run iteration cap per region (default 100000)")
    p.add_argument("--volume-step", type=positive_int, default=4, metavar="S",
                   help="volume classes span S binary orders of magnitude (default 4)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--plot", metavar="PNG", help="draw found/missed regions by volume and #facets")


def run_sample_cli(args) -> int:
    """``exactpoly sample``: the paper's sampling protocol against the exact complex; returns the exit status."""
    import sys
    from functools import partial

    from ..experiments.sampling import format_sampling, hit_and_run_facets, sampling_vs_exact, uniform_samples
    from ..network import read_network

    if args.hit_and_run < 0:
        raise DomainError(f"--hit-and-run: expected an int >= 0, got {args.hit_and_run}")
    outs = check_output_paths([("--plot", args.plot)], inputs=[args.network])
    net = read_network(args.network)
    report = sampling_vs_exact(net, args.box, args.samples, args.seed, volume_step=args.volume_step)
    X = uniform_samples(net.input_dim, args.samples, seed=args.seed, box=args.box)
    firsts: dict[int, int] = {}
    for k, i in enumerate(report.sample_regions):
        if i >= 0 and i not in firsts and len(firsts) < args.hit_and_run:
            firsts[i] = k
    results = [hit_and_run_facets(net, report.complex.regions[i], args.box, seed=args.seed,
                                  patience=args.patience, max_iterations=args.max_iterations, start=X[k])
               for i, k in firsts.items()]
    if outs:
        from ..plot import plot_sampling

        write_outputs([(outs["--plot"], partial(plot_sampling, report))])
    sys.stdout.write(format_sampling(report, results, json_output=args.json))
    return 0


def add_train_arguments(p: Any) -> None:
    """Arguments of ``exactpoly train`` (see :mod:`exactpoly.cli`)."""
    from ..experiments.training import DATASETS, TRAINING_FORMATS

    p.add_argument("--arch", default="3-20-10-1", help="architecture; the input dimension must match the "
                   "data set (default 3-20-10-1)")
    p.add_argument("--epochs", type=int, default=10, help="epochs (default 10); epoch 0 is the initialisation")
    p.add_argument("--seed", type=int, default=0, help="seed of the initial weights and batch order (default 0)")
    p.add_argument("--box", default="1", metavar="B", help="box [-B, B]^d of every complex, or 'auto' "
                   "(default 1)")
    p.add_argument("--dataset", default="ball", choices=DATASETS, help="training data (default ball: 512 "
                   "points of [-1, 1]^3, label |x| < 1; karate: 34 inputs, needs a plane)")
    p.add_argument("--lr", default="0.01", help="Adam learning rate (default 0.01)")
    p.add_argument("--batch-size", type=int, default=64, help="mini-batch size (default 64)")
    p.add_argument("--plane-seed", type=int, metavar="S", help="compute the complexes of a random 2-D "
                   "cross-section through a data point (seeded; see 'exactpoly slice') instead of the full "
                   "input space; needed for more than 3 inputs")
    p.add_argument("--format", default="markdown", choices=TRAINING_FORMATS, help="output format "
                   "(default markdown)")
    p.add_argument("-o", "--output", metavar="FILE", help="write the table here instead of stdout (atomically)")
    p.add_argument("--plot", metavar="PNG", help="draw the training curves (#regions, mean/max #facets)")
    p.add_argument("--snapshots", metavar="DIR", help="write every snapshot as DIR/epoch_000.json ... "
                   "(exact network files)")


def run_train_cli(args: Any) -> int:
    """``exactpoly train``: train, snapshot, exact complexes, table; returns the exit status."""
    import sys
    from functools import partial

    from ..experiments.training import check_int, dataset, format_training, plot_training, training_run
    from ..network import parse_architecture, write_network

    ds = dataset(args.dataset)
    plane = None
    if args.plane_seed is not None:
        from ..theory.slices import random_plane

        plane = random_plane(ds.input_dim, seed=check_int(args.plane_seed, "--plane-seed", 0),
                             origin=ds.X[args.plane_seed % len(ds.X)])
    elif ds.input_dim > 3:
        raise DomainError(f"--plane-seed: the {ds.name!r} data have {ds.input_dim} inputs; the full complex "
                          "is out of reach, give --plane-seed S to follow a 2-D cross-section")
    for name, value in (("--epochs", args.epochs), ("--seed", args.seed), ("--batch-size", args.batch_size)):
        check_int(value, name, 1 if name == "--batch-size" else 0)
    try:
        parse_architecture(args.arch)
    except ValueError as e:
        raise DomainError(f"--arch: {e}") from None
    outs = check_output_paths([("--output", args.output), ("--plot", args.plot)])
    snapshots = [] if args.snapshots is None else \
        [check_output_path(os.path.join(args.snapshots, f"epoch_{epoch:03d}.json") if args.snapshots else "",
                           "--snapshots", make_directories=True) for epoch in range(args.epochs + 1)]
    check_distinct_outputs([*outs.values(), *snapshots])
    show = sys.stderr.isatty()

    def progress(done: int, total: int, label: str) -> None:
        if show:
            sys.stderr.write(f"\r[exactpoly] train: complex {done}/{total}: {label:<40}")
            if done == total:
                sys.stderr.write("\n")
            sys.stderr.flush()

    run = training_run(args.arch, args.epochs, args.seed, box=args.box, dataset_name=args.dataset, lr=args.lr,
                       batch_size=args.batch_size, plane=plane, progress=progress)
    files: list[tuple[OutputPath, Content]] = [(snapshots[s.epoch], partial(write_network, s.network))
                                               for s in run.snapshots if snapshots]
    if "--plot" in outs:
        files.append((outs["--plot"], partial(plot_training, run)))
    text = format_training(run, args.format)
    if "--output" in outs:
        files.append((outs["--output"], text))
    write_outputs(files)
    if "--output" not in outs:
        sys.stdout.write(text)
    return 0


def add_cnn_facets_arguments(p: Any) -> None:
    """Arguments of ``exactpoly cnn-facets`` (Figs. 8-9)."""
    from ..experiments.cnn_facets import CNN_NETS, EXACT_METHODS

    p.add_argument("--net", choices=CNN_NETS, default="digits",
                   help="tiny (1x4x4, untrained), digits (8x8 digits, trained; exactpoly[digits]), lenet5 "
                        "(28x28, untrained) or lenet5-wide (lenet5 with 32 channels) (default digits)")
    p.add_argument("--regions", type=positive_int, default=50, metavar="N",
                   help="uniform sample points of [0, 1]^d, one region each (default 50; the paper: 200)")
    p.add_argument("--exact", choices=EXACT_METHODS, default="region_at",
                   help="exact #facets: region_at (exactpoly.region_at), dd (exact redundancy LPs) or none "
                        "(default region_at)")
    p.add_argument("--seed", type=int, default=0, help="seed of the model, the samples and the walks (default 0)")
    p.add_argument("--patience", type=positive_int, default=1000, metavar="I",
                   help="hit-and-run stops when no new facet in the last I iterations (default 1000, the paper's)")
    p.add_argument("--max-iterations", type=positive_int, default=100_000, metavar="I",
                   help="hit-and-run iteration cap per region (default 100000)")
    p.add_argument("--epochs", type=positive_int, default=30, metavar="E", help="training epochs of digits "
                   "(default 30)")
    p.add_argument("--json", action="store_true", help="print JSON instead of CSV")
    p.add_argument("-o", "--output", metavar="FILE", help="write the table here (atomically)")
    p.add_argument("--plot", metavar="PNG", help="draw exact #facets vs estimate and the iterations")


def run_cnn_facets_cli(args: Any) -> int:
    """``exactpoly cnn-facets``: the Figs. 8-9 protocol with the exact #facets; returns the exit status."""
    import sys
    from functools import partial

    from ..experiments.cnn_facets import cnn_facets, format_cnn_facets

    outs = check_output_paths([("--output", args.output), ("--plot", args.plot)], inputs=[])

    def report(row: Any) -> None:
        if wants_progress(args):
            print(f"exactpoly: region {row.index}: {row.inequalities} inequalities, exact {row.exact_facets}, "
                  f"estimate {row.estimate} after {row.iterations} iterations", file=sys.stderr)

    res = cnn_facets(args.net, args.regions, seed=args.seed, exact=args.exact, patience=args.patience,
                     max_iterations=args.max_iterations, epochs=args.epochs, progress=report)
    text = format_cnn_facets(res, fmt="json" if args.json else "csv")
    writes: list[tuple[OutputPath, Content]] = []
    if "--output" in outs:
        writes.append((outs["--output"], text))
    if "--plot" in outs:
        from ..experiments.cnn_facets import plot_cnn_facets

        writes.append((outs["--plot"], partial(plot_cnn_facets, res)))
    if writes:
        write_outputs(writes)
    if "--output" not in outs:
        sys.stdout.write(text)
    return 0
