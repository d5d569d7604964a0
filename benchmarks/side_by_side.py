"""Time exactpoly side by side with independent exact enumerators, and check they agree.

Two comparisons in one run, every timed command a whole process, CPU time = the
child's user + sys (``os.wait4``), so the shared machine's load and the number of
cores do not enter:

(a) **one-layer nets over R^d against Sage** (passagemath-polyhedra, the optional
    ``bench`` extra, usually in its own venv given by ``--sage-python``):
    ``exactpoly regions NET --unbounded --out X`` against a Sage process that reads
    the same network file, builds the hyperplane arrangement over ``QQ`` from the
    exact rational weights and computes ``HyperplaneArrangement.regions()`` and every
    region's H-representation (its facets) and vertices. Both outputs are reduced to
    the same canonical form (a facet = its primitive integer inward row
    ``(b, a_1, ..., a_d)``, docs/conventions.md) and compared: the number of regions,
    the facet histogram, the set of facet rows of every region, and the vertices of
    every pointed region. A difference is reported as ``FAIL`` and makes the script
    exit with status 1.
(b) **small deep nets against the brute-force twin** of the test suite
    (``tests/twins.py``: every activation pattern by depth-first search with exact
    LP pruning, facets, vertices and adjacency by exact LPs and Gaussian
    elimination): ``exactpoly regions NET --box B --out X`` (or ``--unbounded``)
    against a process running ``brute_force_complex``; compared are the patterns,
    every region's facets with their supporting neurons and walls, the vertices (box)
    and the adjacent pairs.

Nothing is cached between runs: every network file is written afresh into a
temporary directory and every process starts cold. The ratio is the other tool's
CPU seconds over exactpoly's.

Usage::

    .venv/bin/python benchmarks/side_by_side.py --sage-python /work/sage-venv/bin/python
    .venv/bin/python benchmarks/side_by_side.py --quick            # small nets, seconds
    .venv/bin/python benchmarks/side_by_side.py --no-sage          # part (b) only

Set up Sage once (its own venv, Python >= 3.10)::

    python3 -m venv /work/sage-venv && /work/sage-venv/bin/pip install passagemath-polyhedra

This file is also the worker of both independent sides (``--sage-worker NET`` runs under
the Sage interpreter and imports only the standard library and Sage; ``--brute-worker
NET`` runs the twin); their output is JSON on stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from fractions import Fraction
from math import gcd
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATIO = 10  # issue 17: exactpoly --unbounded >= 10x faster than Sage on 3-20-1 and 3-40-1
TARGET_NETS = ("3-20-1", "3-40-1")

# ----------------------------------------------------------------------------- exact rows (stdlib only)


def _fraction(x) -> Fraction:
    """A number of a network file exactly: "p/q", integer or decimal strings, ints, floats."""
    if isinstance(x, bool):
        raise ValueError(f"a bool is not a number: {x!r}")
    if isinstance(x, (int, str)):
        return Fraction(x)
    if isinstance(x, float):
        return Fraction(x)  # the float's exact binary value, as exactpoly.rational does
    raise ValueError(f"not a number: {x!r}")


def primitive_row(row) -> tuple[int, ...]:
    """The row scaled by a positive rational to coprime integers (orientation kept)."""
    fr = [Fraction(x) for x in row]
    den = 1
    for x in fr:
        den = den * x.denominator // gcd(den, x.denominator)
    ints = [int(x * den) for x in fr]
    g = 0
    for v in ints:
        g = gcd(g, v)
    return tuple(v // g for v in ints) if g else tuple(ints)


def hyperplane_key(row) -> tuple[int, ...]:
    """The primitive row of a hyperplane ``b + a.x = 0`` with its first non-zero entry of
    ``a`` positive: equal keys, equal hyperplanes."""
    p = primitive_row(row)
    first = next(v for v in p[1:] if v)
    return p if first > 0 else tuple(-v for v in p)


def one_layer_hyperplanes(obj: dict) -> list[tuple[int, ...]]:
    """The distinct hyperplanes of a one-layer network file (dead neurons, zero weight
    rows, cut nothing), sorted."""
    layers = obj["layers"]
    if len(layers) != 2:
        raise ValueError(f"a one-layer network has 2 layers (hidden, output), got {len(layers)}")
    keys = set()
    for w, b in zip(layers[0]["weight"], layers[0]["bias"]):
        row = [_fraction(b), *(_fraction(x) for x in w)]
        if any(row[1:]):
            keys.add(hyperplane_key(row))
    return sorted(keys)


def _point(values) -> tuple[str, ...]:
    return tuple(str(Fraction(str(v))) for v in values)


# ----------------------------------------------------------------------------- the Sage side


def sage_worker(path: str) -> int:
    """Run under Sage's Python: regions, facets and vertices of the arrangement of a
    one-layer network file, as JSON on stdout."""
    t0 = time.process_time()
    from sage.all__sagemath_polyhedra import QQ, HyperplaneArrangements

    t1 = time.process_time()
    obj = json.loads(Path(path).read_text())
    d = obj["input_dim"]
    planes = one_layer_hyperplanes(obj)
    H = HyperplaneArrangements(QQ, tuple(f"x{i}" for i in range(d)))
    A = H(*[[list(p[1:]), p[0]] for p in planes]) if planes else H()
    regions = []
    for P in A.regions():
        if P.n_equations():
            raise AssertionError("a region of an arrangement is full-dimensional")
        rows = sorted(primitive_row([str(x) for x in q.vector()]) for q in P.inequalities())  # via str: exact
        verts = sorted(_point(v.vector()) for v in P.vertices()) if P.n_lines() == 0 else None
        regions.append({"rows": [list(r) for r in rows], "vertices": verts})
    t2 = time.process_time()
    print(json.dumps({"regions": regions, "hyperplanes": len(planes), "import_seconds": t1 - t0,
                      "compute_seconds": t2 - t1}))
    return 0


# ----------------------------------------------------------------------------- the brute-force side


def brute_worker(path: str, box: str | None) -> int:
    """Run the brute-force twin (tests/twins.py) on a network file, JSON on stdout."""
    sys.path.insert(0, str(ROOT / "tests"))
    sys.path.insert(0, str(ROOT))
    from twins import brute_force_complex

    from exactpoly.network import read_network

    t1 = time.process_time()
    net = read_network(path)
    regions, adjacency = brute_force_complex(net, None if box is None else Fraction(box))
    out = {}
    for pattern, reg in regions.items():
        key = "".join(map(str, pattern))
        out[key] = {"facets": sorted([list(r), [list(n) for n in ns], [list(w) for w in ws]]
                                     for r, (ns, ws) in reg["facets"].items()),
                    "vertices": sorted(list(_point(v)) for v in reg["vertices"])}
    edges = sorted(sorted("".join(map(str, p)) for p in e) for e in adjacency)
    print(json.dumps({"regions": out, "edges": edges, "compute_seconds": time.process_time() - t1}))
    return 0


# ----------------------------------------------------------------------------- canonical forms


def exactpoly_regions(out_file: str) -> tuple[dict, dict]:
    """The complex file of ``exactpoly regions --out``, keyed by pattern, and its summary."""
    obj = json.loads(Path(out_file).read_text())
    regions = {}
    for r in obj["regions"]:
        regions[r["pattern"]] = {
            "facets": sorted([[int(x) for x in f["row"]], f["neurons"], f["walls"]] for f in r["facets"]),
            "vertices": sorted(list(_point(v)) for v in r["vertices"]),
            "lines": len(r.get("lines", [])),
        }
    pats = [r["pattern"] for r in obj["regions"]]
    edges = sorted(sorted((pats[e["regions"][0]], pats[e["regions"][1]])) for e in obj["edges"])
    return {"regions": regions, "edges": edges}, obj["summary"]


def compare_with_sage(ours: dict, sage: dict) -> list[str]:
    """Differences between exactpoly's R^d complex and Sage's regions (empty: identical)."""
    problems = []
    a = list(ours["regions"].values())
    b = sage["regions"]
    if len(a) != len(b):
        problems.append(f"regions: exactpoly {len(a)}, Sage {len(b)}")
    ha = Counter(len(r["facets"]) for r in a)
    hb = Counter(len(r["rows"]) for r in b)
    if ha != hb:
        problems.append(f"facet histogram: exactpoly {sorted(ha.items())}, Sage {sorted(hb.items())}")
    ra = Counter(tuple(tuple(f[0]) for f in r["facets"]) for r in a)
    rb = Counter(tuple(tuple(x) for x in r["rows"]) for r in b)
    if ra != rb:
        problems.append(f"facet rows: {sum((ra - rb).values())} regions of exactpoly not in Sage, "
                        f"{sum((rb - ra).values())} of Sage not in exactpoly")
    va = Counter((tuple(tuple(f[0]) for f in r["facets"]), tuple(tuple(v) for v in r["vertices"]))
                 for r in a if not r["lines"])
    vb = Counter((tuple(tuple(x) for x in r["rows"]), tuple(tuple(v) for v in r["vertices"]))
                 for r in b if r["vertices"] is not None)
    if va != vb:
        problems.append(f"vertices: {sum((va - vb).values())} pointed regions differ")
    return problems


def compare_with_brute(ours: dict, brute: dict, bounded: bool) -> list[str]:
    """Differences between exactpoly's complex and the brute-force twin's (empty: identical)."""
    problems = []
    a, b = ours["regions"], brute["regions"]
    if set(a) != set(b):
        problems.append(f"patterns: {len(set(a) - set(b))} only in exactpoly, {len(set(b) - set(a))} only in the twin")
    common = sorted(set(a) & set(b))
    bad_f = [p for p in common if a[p]["facets"] != b[p]["facets"]]
    if bad_f:
        problems.append(f"facets (rows, neurons, walls) differ in {len(bad_f)} regions, e.g. {bad_f[0]}")
    if bounded:
        bad_v = [p for p in common if a[p]["vertices"] != b[p]["vertices"]]
        if bad_v:
            problems.append(f"vertices differ in {len(bad_v)} regions, e.g. {bad_v[0]}")
    if ours["edges"] != brute["edges"]:
        problems.append(f"adjacency: exactpoly {len(ours['edges'])} pairs, twin {len(brute['edges'])}")
    return problems


# ----------------------------------------------------------------------------- timing


def run_timed(cmd: list[str], env: dict | None = None) -> tuple[str, float, float]:
    """Run *cmd*, return (stdout, CPU seconds user + sys of the whole process tree it
    waited for, peak RSS MiB); fail loudly on a non-zero exit."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        p = subprocess.Popen(cmd, stdout=out, stderr=err, env=env)
        _, status, ru = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if p.returncode != 0:
            raise SystemExit(f"{' '.join(cmd)} failed ({p.returncode}):\n{err.read().decode()[-3000:]}")
        return out.read().decode(), ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024


def exactpoly_cmd() -> list[str]:
    exe = Path(sys.executable).with_name("exactpoly")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "exactpoly"]


def _env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [env.get("PYTHONPATH")])])
    return env


# ----------------------------------------------------------------------------- workloads


def _int_net(d: int, rows: list[tuple[list[int], int]]) -> dict:
    """A one-layer network file with integer weights and biases, output weights 1."""
    return {"format": "exactpoly.relu-net/1", "input_dim": d,
            "layers": [{"weight": [[str(x) for x in w] for w, _ in rows], "bias": [str(b) for _, b in rows]},
                       {"weight": [["1"] * len(rows)], "bias": ["0"]}]}


def _normal(rng: random.Random, d: int, k: int = 4) -> list[int]:
    while True:
        w = [rng.randint(-k, k) for _ in range(d)]
        if any(w):
            return w


def degenerate_nets(seed: int, quick: bool) -> list[tuple[str, dict]]:
    """One-layer nets over R^3 whose arrangements are not generic: coincident neurons
    (positive and negative multiples), parallel families, all through the origin,
    rank-deficient (every region contains a line), with dead neurons."""
    rng = random.Random(seed)
    n = 3 if quick else 6
    out = []
    rows = []
    for _ in range(n):
        w, b = _normal(rng, 3), rng.randint(-3, 3)
        rows += [(w, b), ([2 * x for x in w], 2 * b), ([-x for x in w], -b)]
    out.append((f"coincident 3-{len(rows)}-1", _int_net(3, rows)))
    rows = [(w, off) for w in (_normal(rng, 3) for _ in range(3 if quick else 4)) for off in range(-2, 3)]
    out.append((f"parallel 3-{len(rows)}-1", _int_net(3, rows)))
    rows = [(_normal(rng, 3), 0) for _ in range(2 * n)]
    out.append((f"central 3-{len(rows)}-1", _int_net(3, rows)))
    rows = [([*_normal(rng, 2), 0], rng.randint(-3, 3)) for _ in range(2 * n)]
    out.append((f"rank-2 3-{len(rows)}-1", _int_net(3, rows)))
    rows = [(_normal(rng, 3), rng.randint(-1, 1)) for _ in range(2 * n)] + [([0, 0, 0], 1), ([0, 0, 0], -1)]
    rows += [(w, 0) for w in ([1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1])]
    out.append((f"dead+concurrent 3-{len(rows)}-1", _int_net(3, rows)))
    return out


def random_net(arch: str, seed: int, tmp: str) -> str:
    """``exactpoly random`` with its defaults spelled out: Xavier uniform, bias 0.01."""
    path = os.path.join(tmp, f"{arch}_seed{seed}.json")
    subprocess.run([*exactpoly_cmd(), "random", "--arch", arch, "--init", "xavier_uniform", "--bias", "0.01",
                    "--seed", str(seed), "-o", path], check=True, env=_env())
    return path


# ----------------------------------------------------------------------------- the two tables


def _fmt(x: float) -> str:
    return f"{x:.2f}" if x >= 0.1 else f"{x:.3f}"


def run_sage_part(sage_python: str, quick: bool, seed: int, workers: int, tmp: str) -> tuple[list[dict], bool]:
    archs = ["3-6-1", "3-10-1"] if quick else ["3-20-1", "3-40-1", "4-12-1", "5-10-1", "6-10-1", "7-10-1", "8-10-1"]
    nets = [(f"{a} (seed {seed})", random_net(a, seed, tmp)) for a in archs]
    for name, obj in degenerate_nets(seed, quick):
        path = os.path.join(tmp, name.replace(" ", "_").replace("+", "_") + ".json")
        Path(path).write_text(json.dumps(obj))
        nets.append((name, path))
    print("### (a) one-layer nets over R^d: exactpoly vs Sage `HyperplaneArrangement.regions()`\n")
    print("| net | hyperplanes | regions | facets | exactpoly CPU s | Sage CPU s | ratio | "
          "Sage regions() + facets CPU s | ratio (Sage compute only) | exactpoly = Sage |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    rows, ok = [], True
    for name, path in nets:
        out = os.path.join(tmp, "cx.json")
        _, t_ours, _ = run_timed([*exactpoly_cmd(), "regions", path, "--unbounded", "--out", out, "--no-progress",
                                  "--workers", str(workers)], env=_env())
        ours, summ = exactpoly_regions(out)
        os.remove(out)
        text, t_sage, _ = run_timed([sage_python, __file__, "--sage-worker", path])
        sage = json.loads(text)
        problems = compare_with_sage(ours, sage)
        ok &= not problems
        row = {"net": name, "hyperplanes": sage["hyperplanes"], "regions": summ["regions"],
               "facets": summ["facets_total"], "exactpoly_cpu": t_ours, "sage_cpu": t_sage,
               "ratio": t_sage / t_ours, "sage_compute_cpu": sage["compute_seconds"],
               "ratio_compute": sage["compute_seconds"] / t_ours, "same": not problems, "problems": problems}
        rows.append(row)
        print(f"| {name} | {row['hyperplanes']} | {row['regions']} | {row['facets']} | {_fmt(t_ours)} | "
              f"{_fmt(t_sage)} | {row['ratio']:.1f} | {_fmt(row['sage_compute_cpu'])} | "
              f"{row['ratio_compute']:.1f} | {'yes' if not problems else 'FAIL: ' + '; '.join(problems)} |",
              flush=True)
    print()
    for row in rows:
        if row["net"].split(" ")[0] in TARGET_NETS:
            verdict = "met" if row["ratio"] >= TARGET_RATIO else "NOT met"
            print(f"target >= {TARGET_RATIO}x on {row['net']} (whole process): {row['ratio']:.1f}x, {verdict}")
    print()
    return rows, ok


def run_brute_part(quick: bool, seed: int, workers: int, tmp: str) -> tuple[list[dict], bool]:
    if quick:
        work = [("2-3-3-1", "1"), ("2-3-3-1", None), ("2-2-2-2-1", "1")]
    else:
        work = [("2-4-4-1", "1"), ("2-4-4-1", None), ("2-5-5-1", "1"), ("3-4-4-1", "1"), ("3-5-4-1", None),
                ("2-3-3-3-1", "1"), ("3-3-3-3-1", "1/2")]
    nets = [(f"{a} (seed {seed})", random_net(a, seed, tmp), box) for a, box in work]
    for ex in ("dead_neuron_deep_2d", "concurrent_and_duplicate_2d"):
        path = str(ROOT / "examples" / f"{ex}.json")
        nets += [(f"examples/{ex}", path, "1"), (f"examples/{ex}", path, None)]
    print("### (b) small deep nets: exactpoly vs the brute-force twin (`tests/twins.py`)\n")
    print("| net | domain | regions | facets | exactpoly CPU s | brute force CPU s | ratio | exactpoly = twin |")
    print("|---|---|---:|---:|---:|---:|---:|---|")
    rows, ok = [], True
    for name, path, box in nets:
        out = os.path.join(tmp, "cx.json")
        dom = ["--unbounded"] if box is None else ["--box", box]
        _, t_ours, _ = run_timed([*exactpoly_cmd(), "regions", path, *dom, "--out", out, "--no-progress",
                                  "--workers", str(workers)], env=_env())
        ours, summ = exactpoly_regions(out)
        os.remove(out)
        text, t_brute, _ = run_timed([sys.executable, __file__, "--brute-worker", path,
                                      *([] if box is None else ["--box", box])], env=_env())
        brute = json.loads(text)
        problems = compare_with_brute(ours, brute, box is not None)
        ok &= not problems
        domain = "R^d" if box is None else f"box {box}"
        row = {"net": name, "domain": domain, "regions": summ["regions"], "facets": summ["facets_total"],
               "exactpoly_cpu": t_ours, "brute_cpu": t_brute, "ratio": t_brute / t_ours,
               "same": not problems, "problems": problems}
        rows.append(row)
        print(f"| {name} | {domain} | {row['regions']} | {row['facets']} | {_fmt(t_ours)} | {_fmt(t_brute)} | "
              f"{row['ratio']:.1f} | {'yes' if not problems else 'FAIL: ' + '; '.join(problems)} |", flush=True)
    print()
    return rows, ok


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sage-python", metavar="PATH",
                    help="a Python with passagemath-polyhedra (default: this one if it imports Sage)")
    ap.add_argument("--no-sage", action="store_true", help="skip part (a), the comparison with Sage")
    ap.add_argument("--quick", action="store_true", help="small nets only (a few seconds; used by the tests)")
    ap.add_argument("--seed", type=int, default=0, help="seed of the random nets (default 0)")
    ap.add_argument("--workers", type=int, default=1, help="exactpoly --workers (default 1: one core, like Sage)")
    ap.add_argument("--json", metavar="FILE", help="also write every row as JSON")
    ap.add_argument("--sage-worker", metavar="NET", help=argparse.SUPPRESS)
    ap.add_argument("--brute-worker", metavar="NET", help=argparse.SUPPRESS)
    ap.add_argument("--box", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.sage_worker:
        return sage_worker(args.sage_worker)
    if args.brute_worker:
        return brute_worker(args.brute_worker, args.box)
    sage_python = None
    if not args.no_sage:
        sage_python = args.sage_python or sys.executable
        probe = subprocess.run([sage_python, "-c", "import sage.all__sagemath_polyhedra"], capture_output=True)
        if probe.returncode != 0:
            if args.sage_python:
                raise SystemExit(f"--sage-python {args.sage_python}: cannot import sage.all__sagemath_polyhedra")
            print("(a) skipped: Sage (passagemath-polyhedra) is not importable; pass --sage-python\n")
            sage_python = None
    print(f"CPU seconds (user + sys) of whole processes; exactpoly --workers {args.workers}; seed {args.seed}; "
          f"ratio = other / exactpoly\n")
    result: dict[str, list] = {}
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        if sage_python:
            result["sage"], ok_a = run_sage_part(sage_python, args.quick, args.seed, args.workers, tmp)
            ok &= ok_a
        result["brute"], ok_b = run_brute_part(args.quick, args.seed, args.workers, tmp)
        ok &= ok_b
    print("every output identical: " + ("yes" if ok else "NO"))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1) + "\n")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
