"""``exactpoly region``: the certified activation region containing a point (any input dimension).

``exactpoly region NET --point FILE [--box B] [--certificates] [--out F]`` prints (or writes
atomically) the JSON of :func:`exactpoly.complex.point_region.region_to_mapping` plus
``network``, ``architecture`` and ``timing``; ``exactpoly region NET --check CERT``
re-verifies a certificate file written with ``--certificates``: it recomputes the exact
inequalities from NET at the file's point (one forward pass, no LP) and checks every
certificate exactly, exit status 0 when all hold and 1 otherwise.
"""

from __future__ import annotations

import json
import os
import re
import time
from typing import Any

from ..errors import DomainError
from ..io.outputs import check_output_paths, write_outputs

__all__ = ["add_region_arguments", "run_region_cli", "read_point"]


def add_region_arguments(p: Any) -> None:
    """Arguments of ``exactpoly region`` (see :mod:`exactpoly.cli.region`)."""
    p.add_argument("network", metavar="NET", help="network file (.json; .pt/.pth/.npz as in 'exactpoly convert')")
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--point", metavar="FILE", help="the point: a JSON list of d numbers (\"p/q\" strings, "
                      "integers, decimals) or d numbers separated by spaces, commas or newlines")
    what.add_argument("--check", metavar="CERT", help="re-verify a certificate file (written with "
                      "--certificates) against NET, exactly and without any LP")
    p.add_argument("--box", metavar="B", help="intersect with [-B, B]^d (default: R^d)")
    p.add_argument("--certificates", action="store_true", help="include every certificate in the JSON "
                   "(facet points, multipliers, the interior point)")
    p.add_argument("--out", metavar="FILE", help="write the JSON here (atomically) instead of stdout")


def read_point(path: str) -> list[str]:
    """The numbers of a point file, as strings (parsed exactly by :func:`region_at`).

    >>> import tempfile, os
    >>> with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
    ...     _ = f.write("1/2, -3\\n0.25")
    >>> read_point(f.name); os.remove(f.name)
    ['1/2', '-3', '0.25']
    """
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if text.lstrip().startswith("["):
        try:
            values = json.loads(text)
        except json.JSONDecodeError as e:
            raise DomainError(f"--point: {path} is not valid JSON ({e.msg})") from None
        if not isinstance(values, list) or any(isinstance(v, (list, dict, bool)) or v is None for v in values):
            raise DomainError(f"--point: {path} must hold a flat list of numbers")
        return [v if isinstance(v, str) else repr(v) if isinstance(v, float) else str(v) for v in values]
    return [t for t in re.split(r"[\s,]+", text.strip()) if t]


def run_region_cli(args: Any) -> int:
    """``exactpoly region``: one certified region, or ``--check`` of a certificate file."""
    from ..complex.point_region import recheck_region, region_at, region_from_mapping, region_to_mapping
    from ..io.torch_import import read_model

    if args.check is not None:
        for flag, value in (("--box", args.box), ("--certificates", args.certificates or None),
                            ("--out", args.out)):
            if value is not None:
                raise DomainError(f"{flag}: does not apply with --check")
        net = read_model(args.network)
        with open(args.check, encoding="utf-8") as f:
            try:
                obj = json.load(f)
            except json.JSONDecodeError as e:
                raise DomainError(f"--check: {args.check} is not valid JSON ({e.msg})") from None
        if not isinstance(obj, dict) or "interior_point" not in obj:
            raise DomainError(f"--check: {args.check} has no certificates (write it with --certificates)")
        region = region_from_mapping(obj)
        t0 = time.process_time()
        failures = recheck_region(region, net)
        out = {"check": "failed" if failures else "ok", "failures": failures[:100],
               "n_inequalities": region.n_inequalities, "n_facets": region.n_facets,
               "timing": {"cpu_seconds": round(time.process_time() - t0, 3)}}
        print(json.dumps(out, indent=1))
        return 1 if failures else 0
    outs = check_output_paths([("--out", args.out)], inputs=[args.network, args.point])
    net = read_model(args.network)
    x = read_point(args.point)
    t0, w0 = time.process_time(), time.perf_counter()
    region = region_at(net, x, box=args.box)
    cpu, wall = time.process_time() - t0, time.perf_counter() - w0
    data = {"network": os.path.basename(args.network), "architecture": net.architecture,
            **region_to_mapping(region, certificates=args.certificates),
            "timing": {"cpu_seconds": round(cpu, 3), "wall_seconds": round(wall, 3)}}
    text = json.dumps(data, indent=1) + "\n"
    if outs:
        write_outputs([(outs["--out"], text)])
    else:
        print(text, end="")
    return 0
