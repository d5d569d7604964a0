"""Command-line interface: a thin layer over the library.

``exactpoly regions NET.json [--box B | --box auto | --unbounded] [--json] [--out FILE]``
``exactpoly random --arch 3-7-1 [--init NAME] [--bias 0.01] [--seed 0] [-o FILE]``
``exactpoly arrangement FILE [--json]`` (FILE: an arrangement file or a network file)
``exactpoly regions ... --check`` exits with status 1 when a count identity fails.
``exactpoly fdim NET.json (--samples X.json | --random-samples N [--seed S] [--box B]) [--json]``
``exactpoly verify NET.json | --arch 3-8-1 [--init NAME] [--seeds 0-9] [--box B|auto] [--minimum] [--per-network]
[--json]``
``exactpoly table1 [--archs 3-7-1,...] [--seeds 0-9] [--format markdown|csv|latex|json] [-o FILE]``
``exactpoly convert MODEL.pt|MODEL.pth|WEIGHTS.npz [--input-dim N] [--input-shape C,H,W] [-o NET.json]``
(weights exactly; with -o one line "exactpoly: wrote NET.json: 2-6-4-1" on stderr, else the JSON on stdout)
``exactpoly regions ... [--graphml FILE] [--csv FILE]`` (adjacency graph, per-region statistics)
``exactpoly histogram [--arch 3-40-20-1] [--init NAME,...] [--seeds 0-4] [--format F] [--plot PNG]`` (Fig. 4)
``exactpoly sweep --vary width|depth|bias [--values ...] [--max-regions R] [--max-seconds S] [--plot PNG]``
``exactpoly sample NET.json [--box 1] [--samples 8000] [--seed 0] [--hit-and-run K] [--json] [--plot PNG]``
``exactpoly train [--arch 3-20-10-1] [--epochs 10] [--seed 0] [--box 1] [--format F] [--plot PNG]``
``    [--snapshots DIR] [--dataset ball|karate] [--plane-seed S]`` (Fig. 7; needs exactpoly[torch])
``exactpoly slice NET.json (--dirs "a1,...;b1,..." [--origin x1,...] | --random-plane [--seed S])``
``    [--box B | --unbounded] [--plot PNG [--graph]] [--json]`` (Fig. 10; ``--origin -1,0,0`` works as well as
``--origin=-1,0,0``)
``exactpoly region NET.json --point X.json [--box B] [--certificates] [--out F]``, ``exactpoly region NET.json
--check CERT.json`` (the certified region at a point, any input dimension)
``exactpoly --version`` prints ``exactpoly X.Y.Z``.

Bad input gives one line on stderr and exit status 2, never a traceback, and no
output file is left behind: every output path is checked before anything is computed
and a command's outputs are written all or none (:mod:`exactpoly.io.outputs`). A failed
check, a failed write or a worker process that died gives one line and exit status 1;
Ctrl-C (SIGINT) and SIGTERM stop the workers, remove temporary files and give one line
with exit status 130 and 143 (docs/limits.md).
"""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import signal
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import partial

from ..complex import region_complex
from ..errors import ExactpolyError, OutputWriteError
from ..io.atomic import atomic_write_text
from ..io.export import complex_to_mapping, summary
from ..io.jsontext import dumps_indented
from ..io.outputs import Content, OutputPath, check_output_paths, write_outputs
from ..network import INITIALISERS, network_to_mapping, random_network, read_network, write_network
from ..parallel import WorkerDiedError, default_workers
from .common import LayerProgress, Parser, TaskProgress, UsageError, positive_int, wants_progress, with_decimal

__all__ = ["main"]


def _format_table(s: dict) -> str:
    dom = f"box [-{s['domain']['box']}, {s['domain']['box']}]^{s['input_dim']}" \
        if "box" in s["domain"] else f"R^{s['input_dim']}"
    rows = [
        ("architecture", s["architecture"]),
        ("domain", dom),
        ("regions", s["regions"]),
        ("regions after each layer", " -> ".join(map(str, s["layer_regions"]))),
        ("facets total", s["facets_total"]),
        ("average facets", with_decimal(s["average_facets"])),
        ("max facets", s["max_facets"]),
        ("vertices total", s["vertices_total"]),
        ("simplices total (lex. pulling)", s["simplices_total"] if s["simplices_total"] is not None else "-"),
        ("volume total", with_decimal(s["volume_total"]) if s["volume_total"] is not None else "-"),
        ("adjacency edges", s["adjacency_edges"]),
    ]
    w = max(len(k) for k, _ in rows)
    out = [f"{k:<{w}}  {v}" for k, v in rows]
    out.append("")
    out.append("facets  regions")
    for k, v in s["facet_histogram"].items():
        out.append(f"{k:>6}  {v}")
    return "\n".join(out)


def _cmd_regions(args: argparse.Namespace) -> int:
    # one complex, then the process exits: no cyclic GC at all (region_complex pauses
    # it during the build; turning it back on would walk every object once, ~1 s on
    # 3-40-20-1, to free nothing - the engine makes no reference cycles)
    gc.disable()
    outs = check_output_paths([("--out", args.out), ("--graphml", args.graphml), ("--csv", args.csv),
                               ("--plot", args.plot)], inputs=[args.network])
    net = read_network(args.network)
    if args.plot is not None and net.input_dim != 2:
        from ..errors import DomainError

        raise DomainError(f"--plot: draws 2-D complexes only; the {net.architecture} network has {net.input_dim} "
                         f"inputs (restrict it to a plane first: exactpoly slice {args.network} --random-plane "
                         f"--plot PNG)")
    box = None if args.unbounded else (args.box if args.box is not None else "1")
    show = wants_progress(args)
    cx = region_complex(net, box=box, progress=LayerProgress(bool(show), net.n_hidden_layers),
                        workers=args.workers, scheduler=args.scheduler)
    s = summary(cx)
    files: list[tuple[OutputPath, Content]] = []
    if "--out" in outs:  # the JSON text is made (and freed) when its file is written
        files.append((outs["--out"],
                      lambda path: atomic_write_text(path, dumps_indented(complex_to_mapping(cx)) + "\n")))
    if "--graphml" in outs or "--csv" in outs:
        from ..io.export import write_graphml, write_region_csv

        files += [(outs[option], partial(writer, cx)) for option, writer in
                  (("--graphml", write_graphml), ("--csv", write_region_csv)) if option in outs]
    if "--plot" in outs:
        import os

        from ..theory.slices import plot_complex

        files.append((outs["--plot"], partial(plot_complex, cx, colour=args.colour,
                                              title=f"{os.path.basename(args.network)} ({net.architecture}), "
                                                    f"{'R^2' if box is None else f'box [-{cx.box}, {cx.box}]^2'}: "
                                                    f"{cx.n_regions} regions")))
    write_outputs(files)
    print(json.dumps(s, indent=1) if args.json else _format_table(s))
    if args.check:
        from ..arrangements.arrangement import check_layer_counts  # sympy: imported only when needed

        report = check_layer_counts(cx)
        print(f"exactpoly: check: {report}", file=sys.stderr)
        if not report.ok:
            return 1
    return 0


def _cmd_arrangement(args: argparse.Namespace) -> int:
    from ..arrangements.arrangement import (
        arrangement_summary,
        characteristic_polynomial,
        format_polynomial,
        read_arrangement,
    )

    arr = read_arrangement(args.file)
    s = arrangement_summary(arr)
    if args.json:
        print(json.dumps(s, indent=1))
        return 0
    rows = [
        ("dimension", arr.dim),
        ("hyperplanes", len(arr)),
        ("characteristic polynomial", format_polynomial(characteristic_polynomial(arr))),
        ("rank", s["rank"]),
        ("regions", s["regions"]),
        ("bounded regions", s["bounded_regions"]),
        ("face vector [f_0..f_d]", s["face_vector"]),
        ("general position", "yes" if s["general_position"] else "no"),
        ("Zaslavsky bound (Lemma 1)", s["zaslavsky_bound"]),
    ]
    w = max(len(k) for k, _ in rows)
    print("\n".join(f"{k:<{w}}  {v}" for k, v in rows))
    return 0


def _cmd_fdim(args: argparse.Namespace) -> int:
    from ..theory.fdim import fdim_summary, random_samples, read_samples  # numpy: loaded only when needed

    if args.samples is not None and (args.seed is not None or args.box is not None):
        raise UsageError("exactpoly fdim: --seed and --box apply only to --random-samples")
    net = read_network(args.network)
    if args.samples is not None:
        X = read_samples(args.samples, net.input_dim)
        source = f"file {args.samples}"
    else:
        seed, box = args.seed if args.seed is not None else 0, args.box if args.box is not None else "1"
        X = random_samples(net.input_dim, args.random_samples, seed=seed, box=box)
        source = f"random, seed {seed}, box [-{box}, {box}]^{net.input_dim}"
    s = fdim_summary(net, X)
    if args.json:
        print(json.dumps(s, indent=1))
        return 0
    rows = [("architecture", s["architecture"]), ("samples", f"{s['samples']} ({source})"),
            ("outputs", s["outputs"]), ("parameters", s["parameters"]),
            ("hidden neurons", s["hidden_neurons"]), ("activation patterns", s["activation_patterns"]),
            ("functional dimension", s["functional_dimension"]),
            ("bound min(P - N, |X| m)", s["bound"])]
    w = max(len(k) for k, _ in rows)
    print("\n".join(f"{k:<{w}}  {v}" for k, v in rows))
    return 0


def _cmd_random(args: argparse.Namespace) -> int:
    outs = check_output_paths([("--output", args.output)])
    net = random_network(args.arch, args.init, bias=args.bias, seed=args.seed)
    if outs:
        write_outputs([(outs["--output"], partial(write_network, net))])
    else:
        print(json.dumps(network_to_mapping(net), indent=1))
    return 0


def _cmd_verify(args: argparse.Namespace) -> int:
    from ..experiments.tables import parse_seeds
    from ..rational import format_fraction
    from ..theory.bounds import (
        METHODS,
        TRIANGULATION_RULES,
        claim_result_to_mapping,
        format_claim_results,
        format_claim_summary,
        verify_network,
    )

    if (args.network is None) == (args.arch is None):
        raise UsageError("exactpoly verify: give either a network file NET.json or --arch")
    if args.network is not None and (args.seeds, args.init, args.bias) != (None, None, None):
        raise UsageError("exactpoly verify: --seeds, --init and --bias apply only to --arch")
    if args.network is not None:
        nets = [(args.network, args.network, read_network(args.network))]
        what = f"network {args.network}"
    else:
        init, bias = args.init or "xavier_uniform", args.bias or "0.01"
        nets = [(f"{args.arch} {init} bias {bias} seed {s}", f"seed {s}", random_network(args.arch, init, bias=bias,
                                                                                          seed=s))
                for s in parse_seeds(args.seeds or "0")]
        what = f"{args.arch} {init} bias {bias}, seeds {args.seeds or '0'}"
    rules = ("simplices counted by the canonical (lexicographic pulling) and Delaunay triangulations"
             + (" and the minimum over all triangulations (regions up to 12 vertices, else undecided)"
                if args.minimum else "; their minimum over all triangulations with --minimum"))
    show = wants_progress(args)
    progress = TaskProgress(bool(show), "verify: network")
    items, texts, runs, boxes = [], [], [], []
    for k, (label, short, net) in enumerate(nets):
        cx = region_complex(net, box=args.box)
        results = verify_network(net, complex=cx, methods=TRIANGULATION_RULES if args.minimum else METHODS)
        if cx.box is None:  # --box is a rational or 'auto', never the unbounded domain
            raise UsageError("exactpoly verify: --box must be a positive rational or 'auto'")
        box = format_fraction(cx.box)
        items += [{**claim_result_to_mapping(r), "network": label, "box": box} for r in results]
        texts.append(format_claim_results(results, f"network {label}, box [-{box}, {box}]^{net.input_dim}; {rules}"))
        runs.append((short, results))
        boxes.append(box)
        progress(k + 1, len(nets), label)
    if args.json:
        print(json.dumps(items, indent=1))
        return 0
    if len(runs) > 1:  # one line per claim across the networks; the tables of each network on request
        domain = f"box [-{boxes[0]}, {boxes[0]}]^d" if len(set(boxes)) == 1 else f"boxes {', '.join(boxes)}"
        summary_text = format_claim_summary(runs, f"{what}, {domain}: summary over {len(runs)} networks; {rules}")
        texts = [*texts, summary_text] if args.per_network else [summary_text]
    print("\n".join(texts), end="")
    return 0


def _cmd_table1(args: argparse.Namespace) -> int:
    from ..experiments.tables import TABLE1_ARCHITECTURES, format_table1, table1, table1_protocol

    outs = check_output_paths([("--output", args.output)])
    archs = _listed(args.archs, "--archs") if args.archs is not None else list(TABLE1_ARCHITECTURES)
    show = wants_progress(args)
    rows = table1(archs, args.seeds, args.init, args.bias, args.box, cache=False if args.no_cache else args.cache,
                  workers=args.workers or default_workers(), progress=TaskProgress(bool(show), "table1: network"))
    text = format_table1(rows, args.format, protocol=table1_protocol(args.seeds, args.init, args.bias, args.box))
    if outs:
        write_outputs([(outs["--output"], text)])
    else:
        sys.stdout.write(text)
    return 0


def _cmd_convert(args: argparse.Namespace) -> int:
    from ..io.torch_import import read_model  # torch is imported only for .pt/.pth files

    outs = check_output_paths([("--output", args.output)], inputs=[args.model])
    net = read_model(args.model, input_dim=args.input_dim, input_shape=args.input_shape)
    if outs:
        write_outputs([(outs["--output"], partial(write_network, net))])
        print(f"exactpoly: wrote {args.output}: {net.architecture}", file=sys.stderr)  # stdout stays empty
    else:
        print(json.dumps(network_to_mapping(net), indent=1))
    return 0


def _input_shape(text: str) -> tuple[int, int, int]:
    """``C,H,W``: three positive ints (argparse type of ``convert --input-shape``)."""
    parts = text.split(",")
    if len(parts) != 3 or not all(p.strip().isdigit() and int(p) >= 1 for p in parts):
        raise argparse.ArgumentTypeError(f"expected C,H,W (three positive ints), got {text!r}")
    return int(parts[0]), int(parts[1]), int(parts[2])


def _listed(text: str, option: str) -> list[str]:
    """The comma-separated items of an option; an empty list is a usage error, never the default."""
    items = [a.strip() for a in text.split(",")]
    if not any(items) or not all(items):
        raise UsageError(f"exactpoly: {option}: expected a comma-separated list, got {text[:40]!r}")
    return items


def _run_in(module: str, runner: str, args: argparse.Namespace) -> int:
    """Run the command *runner* of the CLI module *module* (imported only when the command runs)."""
    return getattr(importlib.import_module(module, __package__), runner)(args)


class _Version(argparse.Action):
    """``--version``: ``exactpoly X.Y.Z`` from :data:`exactpoly.__version__`, read only when asked for."""

    def __init__(self, option_strings: Sequence[str], dest: str, help: str | None = None) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: object,
                 option_string: str | None = None) -> None:
        from .._metadata import package_version  # what exactpoly.__version__ is (the package itself is above cli)

        print(f"exactpoly {package_version()}")
        parser.exit(0)  # like --help: SystemExit(0)


def _parser(command: str | None = None) -> argparse.ArgumentParser:
    """The CLI parser; with *command*, other commands get a name and help line only.

    The Section V commands take their arguments from their own modules; importing
    those (and building their argument lists) is skipped when another command runs,
    which keeps start-up of ``exactpoly regions`` short.
    """
    p = Parser(prog="exactpoly", description="Exact geometry of ReLU networks.")
    p.add_argument("--version", action=_Version, help="print 'exactpoly X.Y.Z' and exit")
    sub = p.add_subparsers(dest="command", required=True, parser_class=Parser)

    r = sub.add_parser("regions", help="the exact region complex of a network and its summary",
                       description="Compute the exact region complex (docs/conventions.md) and print its "
                                   "summary (docs/conventions.md).")
    r.add_argument("network", metavar="NET.json", help="network file (exactpoly.relu-net/1)")
    dom = r.add_mutually_exclusive_group()
    dom.add_argument("--box", metavar="B", help="box [-B, B]^d (a positive rational such as 1, 3/2, "
                     "0.5) or 'auto' (a box whose regions are those of R^d); default 1")
    dom.add_argument("--unbounded", action="store_true", help="all of R^d")
    r.add_argument("--json", action="store_true", help="print the JSON summary")
    r.add_argument("--out", metavar="FILE", help="write the full complex as JSON (atomically)")
    r.add_argument("--graphml", metavar="FILE", help="write the adjacency graph with region attributes as "
                   "GraphML (networkx, Gephi; atomically)")
    r.add_argument("--csv", metavar="FILE", help="write per-region statistics as CSV (atomically)")
    r.add_argument("--plot", metavar="PNG", help="draw a 2-D complex: exact polygons and the decision boundary "
                   "output = 0 (atomically; other input dimensions: use 'exactpoly slice')")
    r.add_argument("--colour", choices=["facets", "output", "gradient"], default="facets",
                   help="with --plot: colour regions by #facets (default), the output at an interior point, "
                        "or the gradient norm")
    r.add_argument("--progress", dest="progress", action="store_true", default=None,
                   help="progress on stderr (default: when stderr is a terminal)")
    r.add_argument("--no-progress", dest="progress", action="store_false")
    r.add_argument("--workers", type=positive_int, default=None, metavar="N",
                   help="local worker processes splitting the parents of each layer (default: all "
                        "usable cores; layers with few parents run in this process; the result is "
                        "identical for any N)")
    r.add_argument("--scheduler", metavar="ADDRESS",
                   help="run on a Dask distributed scheduler, e.g. tcp://127.0.0.1:8786 "
                        "(needs exactpoly[distributed])")
    r.add_argument("--check", action="store_true",
                   help="check every layer's region counts against Zaslavsky's formula "
                        "(exit status 1 on a mismatch)")
    r.set_defaults(func=_cmd_regions)

    a = sub.add_parser("arrangement", help="characteristic polynomial and Zaslavsky counts of an arrangement",
                       description="Exact invariants of a hyperplane arrangement: an arrangement file "
                                   "(exactpoly.arrangement/1) or the first hidden layer of a network file.")
    a.add_argument("file", metavar="FILE", help="arrangement file or network file")
    a.add_argument("--json", action="store_true", help="print the JSON summary")
    a.set_defaults(func=_cmd_arrangement)

    f = sub.add_parser("fdim", help="exact functional dimension of a network on a finite sample",
                       description="Exact rank of the Jacobian of theta -> (F_theta(x))_{x in X} with "
                                   "respect to all weights and biases (arXiv 2402.08269). A sample point "
                                   "on a neuron's zero set is an error (the Jacobian is undefined there).")
    f.add_argument("network", metavar="NET.json", help="network file (exactpoly.relu-net/1)")
    src = f.add_mutually_exclusive_group(required=True)
    src.add_argument("--samples", metavar="X.json", help="JSON list of points, each a list of input_dim "
                     "numbers (\"p/q\" strings, integers, decimals, floats taken exactly)")
    src.add_argument("--random-samples", type=positive_int, metavar="N",
                     help="N seeded random rational points of the box (see --seed, --box)")
    f.add_argument("--seed", type=int, help="seed of --random-samples (default 0)")
    f.add_argument("--box", metavar="B", help="box [-B, B]^d of --random-samples (default 1)")
    f.add_argument("--json", action="store_true", help="print the JSON summary")
    f.set_defaults(func=_cmd_fdim)

    v = sub.add_parser("verify", help="check every bound of arXiv 2305.09145 on a network's exact complex",
                       description="Compute the exact complex once and check every bound of arXiv 2305.09145 "
                                   "(and the steps of its proofs) whose hypotheses hold; say which hypothesis "
                                   "fails for the others. A failed claim is reported with a witness; the exit "
                                   "status is 0 (a failed claim is a finding, not an error).")
    v.add_argument("network", metavar="NET.json", nargs="?", help="network file (exactpoly.relu-net/1)")
    v.add_argument("--arch", help="random networks of this architecture instead of a file, e.g. 3-8-1")
    v.add_argument("--init", choices=[*INITIALISERS, "kaiming"], help="initialiser with --arch "
                   "(default xavier_uniform)")
    v.add_argument("--bias", help="constant bias with --arch, stored as float32 (default 0.01)")
    v.add_argument("--seeds", help="seeds with --arch, e.g. 0-9 or 0,3,5 (default 0)")
    v.add_argument("--box", default="auto", metavar="B", help="box [-B, B]^d or 'auto' (default auto)")
    v.add_argument("--json", action="store_true", help="print a JSON list: one object per network and claim "
                   "(claim, applicable, bound, value, holds, witness, ...)")
    v.add_argument("--minimum", action="store_true", help="also count simplices by the minimum over all "
                   "triangulations of each region (exact enumeration; regions up to 12 vertices, beyond that "
                   "the claim is undecided with the reason)")
    v.add_argument("--per-network", action="store_true", help="with several networks: each network's table "
                   "before the summary (one line per claim across the networks)")
    v.add_argument("--progress", dest="progress", action="store_true", default=None,
                   help="progress on stderr (default: when stderr is a terminal)")
    v.add_argument("--no-progress", dest="progress", action="store_false")
    v.set_defaults(func=_cmd_verify)

    t = sub.add_parser("table1", help="Table I of arXiv 2305.09145: the bound rows exactly, the enumeration row "
                                      "for this package's seeded networks (the paper's are unpublished)",
                       description="Recompute Table I of arXiv 2305.09145: Theorem 1's upper bound, the exact "
                                   "maximum over seeds of the total #d-simplices (canonical triangulation), "
                                   "Theorem 2's lower bound, plus the paper's row, regions, facets, the seed "
                                   "and the Delaunay maximum. The bound rows are exact; the enumeration row is for "
                                   "this package's own seeded networks and cannot reproduce the paper's (its "
                                   "weights, box and triangulation are unpublished). Finished networks are cached, "
                                   "so an interrupted run resumes.")
    t.add_argument("--archs", metavar="A,B,...", help="architectures (default 3-7-1,3-8-1,3-9-1,3-10-1)")
    t.add_argument("--seeds", default="0-9", help="seeds, e.g. 0-9 or 0,3,5 (default 0-9)")
    t.add_argument("--init", default="xavier_uniform", choices=[*INITIALISERS, "kaiming"],
                   help="initialiser (default xavier_uniform)")
    t.add_argument("--bias", default="0.01", help="constant bias, stored as float32 (default 0.01)")
    t.add_argument("--box", default="auto", metavar="B", help="box [-B, B]^d or 'auto' (default auto)")
    t.add_argument("--format", default="markdown", choices=["markdown", "csv", "latex", "json"],
                   help="output format (default markdown)")
    t.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout (atomically)")
    t.add_argument("--cache", metavar="DIR", help="cache directory (default ~/.cache/exactpoly)")
    t.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    t.add_argument("--workers", type=positive_int, default=None, metavar="N",
                   help="processes computing networks in parallel (default: all usable cores; the table is "
                        "the same for any N)")
    t.add_argument("--progress", dest="progress", action="store_true", default=None,
                   help="progress on stderr (default: when stderr is a terminal)")
    t.add_argument("--no-progress", dest="progress", action="store_false")
    t.set_defaults(func=_cmd_table1)

    g = sub.add_parser("random", help="a seeded random network (PyTorch-style initialisers, float32)")
    g.add_argument("--arch", required=True, help="architecture such as 3-7-1")
    g.add_argument("--init", default="xavier_uniform", choices=[*INITIALISERS, "kaiming"],
                   help="initialiser (default xavier_uniform)")
    g.add_argument("--bias", default="0.01", help="constant bias, stored as float32 (default 0.01)")
    g.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    g.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout (atomically)")
    g.set_defaults(func=_cmd_random)
    c = sub.add_parser("convert", help="a PyTorch or numpy model as a network file, weights taken exactly",
                       description="Read a model saved with torch.save (an nn.Sequential of Linear/ReLU/"
                                   "Flatten layers, or a state dict; .pt/.pth, needs exactpoly[torch]) or a "
                                   ".npz file of weights, and write the network file (exactpoly.relu-net/1) "
                                   "with every float weight as its exact binary value.")
    c.add_argument("model", metavar="MODEL", help="model.pt, model.pth, weights.npz (or a network .json)")
    c.add_argument("--input-dim", type=positive_int, metavar="N",
                   help="input dimension (only needed for a model without a Linear layer)")
    c.add_argument("--input-shape", type=_input_shape, metavar="C,H,W",
                   help="image shape of a model with Conv2d/AvgPool2d layers, e.g. 1,8,8")
    c.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout (atomically)")
    c.set_defaults(func=_cmd_convert)

    # (name, CLI module, function adding its arguments, function running it, help, description)
    section_v = [
        ("histogram", ".experiments", "add_histogram_arguments", "run_histogram_cli",
         "exact face histograms per architecture and initialiser (Fig. 4)",
         "Exact #regions and histogram of #facets per region of random networks "
         "(arXiv 2305.09145, Fig. 4), pooled over the seeds, with the paper's "
         "simplicity threshold (#facets < Γ/2, Preliminary 3). Finished networks "
         "are cached, so an interrupted run resumes."),
        ("sweep", ".experiments", "add_sweep_arguments", "run_sweep_cli",
         "face histograms over width, depth or bias (Figs. 5, 6), with a budget",
         "Face histograms over widths, depths (hidden layers) or biases "
         "(arXiv 2305.09145, Section V.A); networks over the budget "
         "(--max-regions, --max-seconds) are skipped with a note."),
        ("sample", ".experiments", "add_sample_arguments", "run_sample_cli",
         "the paper's sampling protocol and hit-and-run face estimator vs exact",
         "Uniform samples in the box, their exact activation patterns, and the "
         "regions they find and miss (by exact volume and #facets); the hit-and-run "
         "face estimator (Preliminary 5) against the exact #facets."),
        ("train", ".experiments", "add_train_arguments", "run_train_cli",
         "train a small net with PyTorch; exact complex of every epoch (Fig. 7)",
         "Train a ReLU network with PyTorch (exactpoly[torch]) on fixed data, import "
         "the snapshot after every epoch exactly and report #regions and the facet "
         "histogram (mean, max, share of simple regions: #facets < Γ/2) per epoch."),
        ("region", ".region", "add_region_arguments", "run_region_cli",
         "the certified region containing a point, any input dimension (facets with exact certificates)",
         "The exact H-representation of the activation region containing a point and its "
         "irredundant facets with their supporting neurons, each verdict with an exact "
         "certificate; --check re-verifies a certificate file without any LP."),
        ("cnn-facets", ".experiments", "add_cnn_facets_arguments", "run_cnn_facets_cli",
         "exact #facets vs the hit-and-run estimate on CNN regions (Figs. 8-9)",
         "Import a LeNet-like CNN exactly (tiny, digits trained on scikit-learn's 8x8 digits, or "
         "an untrained LeNet-5 with one convolution removed), take uniform points of [0, 1]^d "
         "and put the exact #facets of each point's region next to the paper's hit-and-run "
         "estimate (no new face in --patience iterations) and its iterations."),
        ("slice", ".slice", "add_slice_arguments", "run_slice_cli",
         "exact 2-D cross-section of a network's complex on a plane (Fig. 10)",
         "Restrict the network to the plane x0 + u·a + v·b (exact rationals), compute "
         "the exact 2-D complex in [-B, B]^2 of (u, v) and report / draw its polygons "
         "by #edges."),
    ]
    for name, module, adder, runner, help_, description in section_v:
        sp = sub.add_parser(name, help=help_, description=description)
        if command is None or command == name:
            getattr(importlib.import_module(module, __package__), adder)(sp)
        sp.set_defaults(func=partial(_run_in, module, runner))
    return p


class _Terminated(KeyboardInterrupt):
    """SIGTERM, raised in the main thread like Ctrl-C so that the same clean-up runs
    (``finally`` blocks stop the workers, atomic writes remove their temporary file)."""


def _stop(signum: int, frame: object) -> None:
    """Handler of SIGINT and SIGTERM in the main process: raise once, then ignore both
    so that a second signal cannot cut the clean-up short."""
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, signal.SIG_IGN)
    raise _Terminated if signum == signal.SIGTERM else KeyboardInterrupt


@contextmanager
def _stopping_on_signals() -> Iterator[None]:
    """Within the block, SIGINT raises KeyboardInterrupt and SIGTERM raises :class:`_Terminated`.

    Only in the main thread (where Python runs signal handlers), only for a signal whose
    handler is still the default one (a signal ignored by the caller, e.g. SIGINT in a
    background job, stays ignored), and the previous handlers are restored on leaving.
    """
    threading = sys.modules.get("threading")  # not imported at all: this is the only thread (saves start-up)
    if threading is not None and threading.current_thread() is not threading.main_thread():
        yield
        return
    defaults = {signal.SIGINT: signal.default_int_handler, signal.SIGTERM: signal.SIG_DFL}
    saved = {sig: signal.getsignal(sig) for sig in defaults}
    for sig, default in defaults.items():
        if saved[sig] is default:
            signal.signal(sig, _stop)
    try:
        yield
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``exactpoly`` console script; returns the exit status.

    Every failure is one line on stderr: 2 for bad input, 1 for a failed check or a
    worker process that died, 130 for Ctrl-C and 143 for SIGTERM (workers stopped,
    no temporary file left). Running costs one parse of *argv* plus the command.

    >>> main(["random", "--arch", "1-1-1", "--arch-typo"])
    2
    """
    try:
        with _stopping_on_signals():
            if argv is None:
                argv = sys.argv[1:]
            command = argv[0] if argv and not argv[0].startswith("-") else None
            if command == "slice":  # "--origin -1,0,0" as well as "--origin=-1,0,0"
                from .slice import joined_negative_values

                argv = joined_negative_values(argv)
            args = _parser(command).parse_args(argv)
            return args.func(args)
    except UsageError as e:
        print(str(e), file=sys.stderr)
        return 2
    except BrokenPipeError:  # pragma: no cover - e.g. piping into head
        return 1
    except (WorkerDiedError, OutputWriteError) as e:  # runtime failures (a dead worker, a full disk), not bad input
        print(f"exactpoly: error: {e}", file=sys.stderr)
        return 1
    except (ExactpolyError, ValueError, OSError) as e:
        print(f"exactpoly: error: {e}", file=sys.stderr)
        return 2
    except _Terminated:
        print("exactpoly: terminated (SIGTERM)", file=sys.stderr)
        return 143
    except KeyboardInterrupt:
        print("exactpoly: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
