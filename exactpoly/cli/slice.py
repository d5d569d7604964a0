"""``exactpoly slice``: the exact 2-D cross-section of a network on a plane (Fig. 10)."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from functools import partial
from typing import Any

from ..errors import DomainError
from ..io.outputs import check_output_paths, write_outputs

__all__ = ["add_slice_arguments", "joined_negative_values", "run_slice_cli"]

#: The options of ``exactpoly slice`` whose value is a list of numbers, so may start with ``-``.
NUMBER_LIST_OPTIONS = ("--origin", "--dirs")
_NEGATIVE_NUMBER = re.compile(r"-[0-9.]")


def joined_negative_values(argv: Sequence[str], options: Sequence[str] = NUMBER_LIST_OPTIONS) -> list[str]:
    """*argv* with ``OPTION -1,0`` written ``OPTION=-1,0`` for each of *options*.

    argparse takes a value that starts with ``-`` for an option of its own, so
    ``--origin -1,0,0`` would fail while ``--origin=-1,0,0`` works; this joins the two
    spellings before parsing. Only a value that starts like a negative number (``-``
    then a digit or ``.``) is joined, so a missing value (``--origin --dirs ...``) is
    still reported by argparse, and nothing after ``--`` is touched. Linear in ``len(argv)``.

    Examples
    --------
    >>> joined_negative_values(["slice", "n.json", "--origin", "-1,0", "--dirs", "-1,0;0,-1", "--json"])
    ['slice', 'n.json', '--origin=-1,0', '--dirs=-1,0;0,-1', '--json']
    >>> joined_negative_values(["slice", "n.json", "--origin", "--dirs", "1,0;0,1"])
    ['slice', 'n.json', '--origin', '--dirs', '1,0;0,1']
    """
    out: list[str] = []
    k = 0
    while k < len(argv):
        token = argv[k]
        if token == "--":
            return out + list(argv[k:])
        if token in options and k + 1 < len(argv) and _NEGATIVE_NUMBER.match(argv[k + 1]):
            out.append(f"{token}={argv[k + 1]}")
            k += 2
            continue
        out.append(token)
        k += 1
    return out


def add_slice_arguments(p: Any) -> None:
    """Arguments of ``exactpoly slice`` (see :mod:`exactpoly.cli`)."""
    p.add_argument("network", metavar="NET", help="network file (.json; .pt/.pth/.npz as in 'exactpoly convert')")
    p.add_argument("--origin", metavar="X", help="origin x0 of the plane: d comma-separated numbers "
                   "(p/q, integers, decimals); default 0, random with --random-plane")
    p.add_argument("--dirs", metavar="A;B", help="the two directions: 'a1,...,ad;b1,...,bd' (linearly independent)")
    p.add_argument("--random-plane", action="store_true", help="random rational directions (and origin, unless "
                   "--origin is given), seeded by --seed")
    p.add_argument("--seed", type=int, help="seed of --random-plane (default 0)")
    dom = p.add_mutually_exclusive_group()
    dom.add_argument("--box", metavar="B", help="box [-B, B]^2 of the plane coordinates (u, v), or 'auto' "
                     "(default 1)")
    dom.add_argument("--unbounded", action="store_true", help="all of the plane (R^2)")
    p.add_argument("--plot", metavar="PNG", help="draw the polygons coloured by #edges")
    p.add_argument("--graph", action="store_true", help="with --plot: draw the adjacency graph on top")
    p.add_argument("--json", action="store_true", help="print the JSON summary")


def _format_text(s: dict[str, Any]) -> str:
    dom = f"box [-{s['domain']['box']}, {s['domain']['box']}]^2" if "box" in s["domain"] else "R^2"
    rows = [("network", s["network"]), ("slice network", s["slice_architecture"]),
            ("plane origin", ", ".join(s["plane"]["origin"])),
            ("plane directions", "; ".join(", ".join(v) for v in s["plane"]["dirs"])),
            ("domain (u, v)", dom), ("regions", s["regions"]), ("average edges", s["average_facets"]),
            ("max edges", s["max_facets"]),
            ("triangles + quadrilaterals", s["triangles_and_quadrilaterals"]),
            ("regions off the box walls", s["interior_regions"]),
            ("  triangles + quadrilaterals", s["interior_triangles_and_quadrilaterals"]),
            ("adjacency edges", s["adjacency_edges"])]
    w = max(len(k) for k, _ in rows)
    out = [f"{k:<{w}}  {v}" for k, v in rows] + ["", " edges  regions  (off the walls)"]
    for k, v in s["edge_histogram"].items():
        out.append(f"{k:>6}  {v:>7}  {s['interior_edge_histogram'].get(k, 0):>7}")
    return "\n".join(out)


def run_slice_cli(args: Any) -> int:
    """``exactpoly slice``: restrict a network to a plane, exact 2-D complex, summary and plot."""
    from ..io.torch_import import read_model
    from ..theory.slices import parse_plane, plot_slice, random_plane, slice_complex, slice_summary, slice_title

    if args.random_plane and args.dirs is not None:
        raise DomainError("--dirs: give either --dirs or --random-plane, not both")
    if not args.random_plane and args.dirs is None:
        raise DomainError("--dirs: required (or use --random-plane)")
    if args.seed is not None and not args.random_plane:
        raise DomainError("--seed: applies only to --random-plane")
    if args.graph and args.plot is None:
        raise DomainError("--graph: applies only with --plot")
    outs = check_output_paths([("--plot", args.plot)], inputs=[args.network])
    net = read_model(args.network)
    if net.input_dim < 2:
        raise DomainError(f"{args.network}: the network has {net.input_dim} input; a plane needs >= 2")
    if args.random_plane:
        seed = args.seed if args.seed is not None else 0
        if seed < 0:
            raise DomainError(f"--seed: expected a non-negative integer, got {seed}")
        origin = parse_plane(args.origin, ";".join(["1" + ",0" * (net.input_dim - 1),
                                                      "0,1" + ",0" * (net.input_dim - 2)]), net.input_dim).origin \
            if args.origin is not None else None
        plane = random_plane(net.input_dim, seed, origin=origin)
    else:
        plane = parse_plane(args.origin, args.dirs, net.input_dim)
    box = None if args.unbounded else (args.box if args.box is not None else "1")
    cx = slice_complex(net, plane, box=box)
    s = slice_summary(net, plane, cx)
    if outs:
        write_outputs([(outs["--plot"], partial(plot_slice, cx, graph=args.graph,
                                                title=slice_title(os.path.basename(args.network), net, plane)))])
    print(json.dumps(s, indent=1) if args.json else _format_text(s))
    return 0
