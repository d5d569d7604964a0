"""Speed-up of the streamed statistics on a loopback Dask ``LocalCluster``, 1 worker against N.

Usage::

    .venv/bin/python benchmarks/bench_dask.py                          # 3-20x5-1 and 3-40x4-1, 1 and 2 workers
    .venv/bin/python benchmarks/bench_dask.py 3-80-40-1 --workers 1,2,4

For every workload and worker count, one ``LocalCluster`` (processes, one thread each, no
dashboard) is started and ``exactpoly histogram --arch ARCH --seeds 0 --stream --no-cache
--scheduler ADDRESS --format json`` runs against it in a child process. Printed: wall seconds
of the child, its CPU seconds (the client, which cuts the first layer into pieces), each
worker's CPU seconds during the run (read with psutil inside the workers), and the speed-up in
wall time against the first worker count. The JSON outputs of all worker counts must be
byte-identical (the run exits 1 otherwise): the speed-up comes from dividing the same exact work.
Needs the ``distributed`` extra. Measure on an otherwise idle machine: on a shared one the
workers compete with the other processes and the speed-up says little.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_stream import expand  # noqa: E402  (the WIDTHxDEPTH shorthand, one definition)

DEFAULT = ["3-20x5-1", "3-40x4-1"]


def _worker_cpu() -> float:
    import psutil

    t = psutil.Process().cpu_times()
    return float(t.user + t.system)


def run(arch: str, n_workers: int, out: Path) -> tuple[float, float, list[float]]:
    """(wall s, client CPU s, per-worker CPU s) of one histogram run on a fresh LocalCluster."""
    from dask.distributed import Client, LocalCluster

    exe = Path(sys.executable).with_name("exactpoly")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "exactpoly"]
    with LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        before = client.run(_worker_cpu)
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd + ["histogram", "--arch", expand(arch), "--seeds", "0", "--stream",
                                       "--no-cache", "--no-progress", "--scheduler", cluster.scheduler_address,
                                       "--format", "json", "-o", str(out)])
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        after = client.run(_worker_cpu)
    if status != 0:
        raise SystemExit(f"{arch}, {n_workers} workers: exactpoly failed (status {status})")
    workers = sorted(after[w] - before[w] for w in after)
    return wall, usage.ru_utime + usage.ru_stime, workers


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("archs", nargs="*", default=DEFAULT, help="ARCH or WIDTHxDEPTH shorthand")
    ap.add_argument("--workers", default="1,2", help="worker counts, comma-separated (default 1,2)")
    args = ap.parse_args(argv)
    counts = [int(w) for w in args.workers.split(",")]
    print("| workload | workers | wall s | client CPU s | worker CPU s | speed-up (wall) |")
    print("|---|---:|---:|---:|---:|---:|")
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        for arch in args.archs:
            first_wall = None
            outputs = []
            for n in counts:
                out = Path(tmp) / f"{arch}-{n}.json"
                wall, client, workers = run(arch, n, out)
                first_wall = first_wall or wall
                outputs.append(out.read_bytes())
                print(f"| {arch} | {n} | {wall:.1f} | {client:.1f} | {' + '.join(f'{w:.1f}' for w in workers)} "
                      f"| {first_wall / wall:.2f} |", flush=True)
            if any(o != outputs[0] for o in outputs):
                print(f"FAIL: {arch}: the histograms differ between worker counts", flush=True)
                failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
