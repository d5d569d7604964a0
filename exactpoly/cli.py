"""Command-line interface: a thin layer over the library.

``exactpoly regions NET.json [--box B | --box auto | --unbounded] [--json] [--out FILE]``
``exactpoly random --arch 3-7-1 [--init NAME] [--bias 0.01] [--seed 0] [-o FILE]``
``exactpoly arrangement FILE [--json]`` (FILE: an arrangement file or a network file)
``exactpoly regions ... --check`` exits with status 1 when a count identity fails.

Bad input gives one line on stderr and exit status 2, never a traceback, and no
output file is left behind (outputs are written atomically).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence

from ._io import atomic_write_text
from .arrangement import (arrangement_summary, characteristic_polynomial, check_layer_counts, format_polynomial,
                          read_arrangement)
from .complex import complex_to_mapping, region_complex, summary
from .errors import ExactpolyError
from .network import INITIALISERS, network_to_mapping, random_network, read_network, write_network

__all__ = ["main"]


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, exit 2 (argparse's own convention)
        raise _UsageError(f"{self.prog}: {message}")


class _Progress:
    """Progress line on stderr: layer, parents done, regions so far, rate."""

    def __init__(self, enabled: bool, n_layers: int) -> None:
        self.enabled = enabled
        self.n_layers = n_layers
        self.t0 = time.perf_counter()
        self.last = 0.0

    def __call__(self, layer: int, done: int, total: int, regions: int) -> None:
        if not self.enabled:
            return
        now = time.perf_counter()
        if now - self.last < 0.5 and done != total:
            return
        self.last = now
        rate = regions / max(now - self.t0, 1e-9)
        sys.stderr.write(f"\r[exactpoly] layer {layer + 1}/{self.n_layers}: parent {done}/{total}, "
                         f"{regions} regions, {rate:.0f} regions/s ")
        if done == total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


def _format_table(s: dict) -> str:
    dom = f"box [-{s['domain']['box']}, {s['domain']['box']}]^{s['input_dim']}" \
        if "box" in s["domain"] else f"R^{s['input_dim']}"
    rows = [
        ("architecture", s["architecture"]),
        ("domain", dom),
        ("regions", s["regions"]),
        ("regions after each layer", " -> ".join(map(str, s["layer_regions"]))),
        ("facets total", s["facets_total"]),
        ("average facets", s["average_facets"]),
        ("max facets", s["max_facets"]),
        ("vertices total", s["vertices_total"]),
        ("simplices total (lex. pulling)", s["simplices_total"] if s["simplices_total"] is not None else "-"),
        ("volume total", s["volume_total"] if s["volume_total"] is not None else "-"),
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
    net = read_network(args.network)
    box = None if args.unbounded else (args.box if args.box is not None else "1")
    show = args.progress or (args.progress is None and sys.stderr.isatty())
    cx = region_complex(net, box=box, progress=_Progress(bool(show), net.n_hidden_layers),
                        workers=args.workers, scheduler=args.scheduler)
    s = summary(cx)
    if args.out:
        atomic_write_text(args.out, json.dumps(complex_to_mapping(cx), indent=1) + "\n")
    print(json.dumps(s, indent=1) if args.json else _format_table(s))
    if args.check:
        report = check_layer_counts(cx)
        print(f"exactpoly: check: {report}", file=sys.stderr)
        if not report.ok:
            return 1
    return 0


def _cmd_arrangement(args: argparse.Namespace) -> int:
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


def _cmd_random(args: argparse.Namespace) -> int:
    net = random_network(args.arch, args.init, bias=args.bias, seed=args.seed)
    if args.output:
        write_network(net, args.output)
    else:
        print(json.dumps(network_to_mapping(net), indent=1))
    return 0


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="exactpoly", description="Exact geometry of ReLU networks.")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    r = sub.add_parser("regions", help="the exact region complex of a network and its summary",
                       description="Compute the exact region complex (DESIGN §1) and print its "
                                   "summary (DESIGN §2).")
    r.add_argument("network", metavar="NET.json", help="network file (exactpoly.relu-net/1)")
    dom = r.add_mutually_exclusive_group()
    dom.add_argument("--box", metavar="B", help="box [-B, B]^d (a positive rational such as 1, 3/2, "
                     "0.5) or 'auto' (a box whose regions are those of R^d); default 1")
    dom.add_argument("--unbounded", action="store_true", help="all of R^d")
    r.add_argument("--json", action="store_true", help="print the JSON summary")
    r.add_argument("--out", metavar="FILE", help="write the full complex as JSON (atomically)")
    r.add_argument("--progress", dest="progress", action="store_true", default=None,
                   help="progress on stderr (default: when stderr is a terminal)")
    r.add_argument("--no-progress", dest="progress", action="store_false")
    r.add_argument("--workers", type=_positive_int, default=1, metavar="N",
                   help="local worker processes splitting the parents of each layer (default 1; "
                        "the result is identical for any N)")
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

    g = sub.add_parser("random", help="a seeded random network (PyTorch-style initialisers, float32)")
    g.add_argument("--arch", required=True, help="architecture such as 3-7-1")
    g.add_argument("--init", default="xavier_uniform", choices=[*INITIALISERS, "kaiming"],
                   help="initialiser (default xavier_uniform)")
    g.add_argument("--bias", default="0.01", help="constant bias, stored as float32 (default 0.01)")
    g.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    g.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout (atomically)")
    g.set_defaults(func=_cmd_random)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``exactpoly`` console script; returns the exit status."""
    try:
        args = _parser().parse_args(argv)
        return args.func(args)
    except _UsageError as e:
        print(str(e), file=sys.stderr)
        return 2
    except BrokenPipeError:  # pragma: no cover - e.g. piping into head
        return 1
    except (ExactpolyError, ValueError, OSError) as e:
        print(f"exactpoly: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("exactpoly: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
